//! The wire-name enums of Tencent's payloads (`GroupType`, `Platform`); the other quirks
//! (`EventTime` as a number or a string, a string or an array) are `serde_with` adapters
//! on the fields.

use std::fmt;

use serde::de::{self, Visitor};

/// Generates `From<&str>`, `as_str`, `Display`, `Serialize` and a `Deserialize` that
/// borrows the string for an enum of wire names that keeps unknown values in `Other`.
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

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                deserializer.deserialize_str(crate::model::serde_helpers::FromStrVisitor::<Self>::new())
            }
        }
    };
}
pub(crate) use string_enum;

/// Visits a string without allocating unless the type keeps it.
pub(crate) struct FromStrVisitor<T>(std::marker::PhantomData<T>);

impl<T> FromStrVisitor<T> {
    pub(crate) fn new() -> Self {
        Self(std::marker::PhantomData)
    }
}

impl<T: for<'a> From<&'a str>> Visitor<'_> for FromStrVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<T, E> {
        Ok(T::from(value))
    }
}
