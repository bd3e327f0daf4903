//! The wire-name enums of Tencent's payloads (`GroupType`, `Platform`, ...); the other
//! quirks (`EventTime` as a number or a string, a string or an array) are `serde_with`
//! adapters on the fields.

/// Generates `From<&str>`, `FromStr`, `as_str` and `Display` for an enum of wire names that
/// keeps unknown values in `Other`; the enum derives `serde_with::DeserializeFromStr` and
/// `SerializeDisplay` on top (a borrowed string is read without allocating unless kept).
macro_rules! string_enum {
    ($name:ident { $($variant:ident => $wire:literal $(| $alias:literal)*),+ $(,)? }) => {
        impl From<&str> for $name {
            fn from(value: &str) -> Self {
                match value {
                    $($wire $(| $alias)* => Self::$variant,)+
                    other => Self::Other(other.to_owned()),
                }
            }
        }

        impl std::str::FromStr for $name {
            type Err = std::convert::Infallible;

            fn from_str(value: &str) -> Result<Self, Self::Err> {
                Ok(Self::from(value))
            }
        }

        impl $name {
            /// The name as written on the wire (the canonical one for aliases).
            pub fn as_str(&self) -> &str {
                match self {
                    $(Self::$variant => $wire,)+
                    Self::Other(other) => other,
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}
pub(crate) use string_enum;
