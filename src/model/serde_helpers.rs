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

/// `serde_with` adapter for Tencent's times (`EventTime`): a JSON number or a string of
/// digits (blanks around them allowed), read into a `u64` and written as a number. Use as
/// `#[serde_as(as = "Option<NumberOrString>")]` (`null` and absent give `None`).
///
/// `PickFirst<(_, DisplayFromStr)>` reads the same, but buffers the value and builds an
/// error before it tries the string: the seed decoded about 20% slower with it.
pub(crate) struct NumberOrString;

impl<'de> serde_with::DeserializeAs<'de, u64> for NumberOrString {
    fn deserialize_as<D: serde::Deserializer<'de>>(deserializer: D) -> Result<u64, D::Error> {
        struct Digits;

        impl serde::de::Visitor<'_> for Digits {
            type Value = u64;

            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a time as a number or a string of digits")
            }

            fn visit_u64<E: serde::de::Error>(self, value: u64) -> Result<u64, E> {
                Ok(value)
            }

            fn visit_i64<E: serde::de::Error>(self, value: i64) -> Result<u64, E> {
                u64::try_from(value)
                    .map_err(|_| E::invalid_value(serde::de::Unexpected::Signed(value), &self))
            }

            fn visit_str<E: serde::de::Error>(self, value: &str) -> Result<u64, E> {
                let trimmed = value.trim();
                let digits = !trimmed.is_empty() && trimmed.bytes().all(|b| b.is_ascii_digit());
                digits
                    .then(|| trimmed.parse().ok())
                    .flatten()
                    .ok_or_else(|| E::invalid_value(serde::de::Unexpected::Str(value), &self))
            }
        }

        deserializer.deserialize_any(Digits)
    }
}

impl serde_with::SerializeAs<u64> for NumberOrString {
    fn serialize_as<S: serde::Serializer>(value: &u64, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_u64(*value)
    }
}

/// `serde_with` adapter for a UserID that a page prints as a bare number
/// (`"Owner_Account": 144115216631667826`) where its table says a string: a JSON string, or
/// an integer read as its decimal digits; written as a string. Use as
/// `#[serde_as(as = "Option<StringOrNumber>")]`.
pub(crate) struct StringOrNumber;

impl<'de> serde_with::DeserializeAs<'de, String> for StringOrNumber {
    fn deserialize_as<D: serde::Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
        struct Id;

        impl serde::de::Visitor<'_> for Id {
            type Value = String;

            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a UserID as a string or an integer")
            }

            fn visit_str<E: serde::de::Error>(self, value: &str) -> Result<String, E> {
                Ok(value.to_owned())
            }

            fn visit_string<E: serde::de::Error>(self, value: String) -> Result<String, E> {
                Ok(value)
            }

            fn visit_u64<E: serde::de::Error>(self, value: u64) -> Result<String, E> {
                Ok(value.to_string())
            }

            fn visit_i64<E: serde::de::Error>(self, value: i64) -> Result<String, E> {
                Ok(value.to_string())
            }
        }

        deserializer.deserialize_any(Id)
    }
}

impl serde_with::SerializeAs<String> for StringOrNumber {
    fn serialize_as<S: serde::Serializer>(
        value: &String,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(value)
    }
}
