//! Callback bodies built from the fields a family of callbacks shares plus their own.
//!
//! The JSON is flat, the Rust types are not: an event holds the shared fields in one
//! struct (`message`, also reachable through `Deref`) and adds its own. Decoding goes
//! through a flat twin of the event instead of `#[serde(flatten)]`, which would buffer
//! every field before decoding it.

/// `flat_callback! { common { <struct> } fields { <shared fields> } }` declares the shared
/// struct; `flat_callback! { event { <struct>(<Shared>) = "<command>" { <own fields> } }
/// fields { <shared fields> } }` declares an event of the family. Each family keeps its
/// field list once, in a macro that calls this one.
macro_rules! flat_callback {
    (
        common { $(#[$attr:meta])* pub struct $common:ident; }
        fields { $( $(#[$field_attr:meta])* pub $field:ident: $ty:ty, )* }
    ) => {
        $(#[$attr])*
        #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
        #[non_exhaustive]
        pub struct $common {
            $( $(#[$field_attr])* pub $field: $ty, )*
        }
    };
    (
        event {
            $(#[$attr:meta])*
            pub struct $event:ident($common:ident) = $command:literal {
                $( $(#[$own_attr:meta])* pub $own:ident: $own_ty:ty, )*
            }
        }
        fields { $( $(#[$field_attr:meta])* pub $field:ident: $ty:ty, )* }
    ) => {
        $(#[$attr])*
        #[derive(Debug, Clone, PartialEq, serde::Serialize)]
        #[non_exhaustive]
        pub struct $event {
            /// The fields every callback of this family carries (also reachable directly
            /// through `Deref`, e.g. `event.from_account`).
            #[serde(flatten)]
            pub message: $common,
            $( $(#[$own_attr])* pub $own: $own_ty, )*
        }

        impl<'de> serde::Deserialize<'de> for $event {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                // The flat twin, named like the event so that errors name the event.
                #[derive(serde::Deserialize)]
                struct $event {
                    $( $(#[$field_attr])* $field: $ty, )*
                    $( $(#[$own_attr])* $own: $own_ty, )*
                }
                let flat = <$event as serde::Deserialize>::deserialize(deserializer)?;
                Ok(Self {
                    message: $common { $( $field: flat.$field, )* },
                    $( $own: flat.$own, )*
                })
            }
        }

        impl std::ops::Deref for $event {
            type Target = $common;

            fn deref(&self) -> &$common {
                &self.message
            }
        }

        impl std::ops::DerefMut for $event {
            fn deref_mut(&mut self) -> &mut $common {
                &mut self.message
            }
        }

        impl crate::model::CallbackEvent for $event {
            const COMMAND: &'static str = $command;
        }
    };
}
pub(crate) use flat_callback;
