//! Decoding of [`MsgElement`]: the element object is read by a small visitor, its
//! `MsgContent` buffered as a [`Value`] (so the key order does not matter), then decoded
//! into the content struct of its `MsgType` with that struct's derived `Deserialize`, the
//! one list of its fields. Content that does not decode is kept as the buffered original:
//! [`MsgElement::Invalid`]. The elements of forwarded messages (`RelayedMsg::msg_body`)
//! decode through this same impl; one of the wrong shape makes its relay's content fail
//! to decode, and that relay is kept `Invalid` as sent.
//!
//! The depth of the input is bounded by the deserializer that read it (serde_json's
//! recursion limit of 128); decoding the buffered content recurses as deep as that input.

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, DeserializeOwned, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde::Deserialize;
use serde_json::Value;

use super::*;

impl<'de> Deserialize<'de> for MsgElement {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(ElementVisitor)
    }
}

/// The keys of an element object.
#[derive(Deserialize)]
#[serde(field_identifier)]
enum Key {
    MsgType,
    MsgContent,
    #[serde(other)]
    Other,
}

/// A `MsgType`, borrowed from the input when the deserializer can (not allocated for the
/// known types).
#[derive(Deserialize)]
struct MsgType<'a>(#[serde(borrow)] Cow<'a, str>);

struct ElementVisitor;

impl<'de> Visitor<'de> for ElementVisitor {
    type Value = MsgElement;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a message element object with MsgType and MsgContent")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<MsgElement, A::Error> {
        let mut msg_type: Option<MsgType<'de>> = None;
        let mut content: Option<Value> = None;
        while let Some(key) = map.next_key()? {
            match key {
                Key::MsgType if msg_type.is_some() => {
                    return Err(de::Error::duplicate_field(MSG_TYPE));
                }
                Key::MsgType => msg_type = Some(map.next_value()?),
                Key::MsgContent if content.is_some() => {
                    return Err(de::Error::duplicate_field(MSG_CONTENT));
                }
                Key::MsgContent => content = Some(map.next_value()?),
                Key::Other => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        let msg_type = msg_type.map_or(Cow::Borrowed(""), |MsgType(name)| name);
        Ok(element(msg_type, content.unwrap_or_default()))
    }
}

/// The element of this `MsgType` with this `MsgContent` (`Value::Null` when it was missing).
fn element(msg_type: Cow<'_, str>, content: Value) -> MsgElement {
    match &*msg_type {
        TEXT => typed(msg_type, content, MsgElement::Text),
        LOCATION => typed(msg_type, content, MsgElement::Location),
        FACE => typed(msg_type, content, MsgElement::Face),
        CUSTOM => typed(msg_type, content, MsgElement::Custom),
        SOUND => typed(msg_type, content, MsgElement::Sound),
        IMAGE => typed(msg_type, content, MsgElement::Image),
        FILE => typed(msg_type, content, MsgElement::File),
        VIDEO_FILE => typed(msg_type, content, MsgElement::VideoFile),
        RELAY => typed(msg_type, content, MsgElement::Relay),
        _ => MsgElement::Unknown {
            msg_type: msg_type.into_owned(),
            content,
        },
    }
}

/// Content of a known `MsgType`: missing or `null` gives the default struct, content that
/// does not decode into `T` the [`MsgElement::Invalid`] that keeps it.
fn typed<T: DeserializeOwned + Default>(
    msg_type: Cow<'_, str>,
    content: Value,
    variant: fn(T) -> MsgElement,
) -> MsgElement {
    if content.is_null() {
        return variant(T::default());
    }
    match T::deserialize(&content) {
        Ok(decoded) => variant(decoded),
        Err(_) => MsgElement::Invalid {
            msg_type: msg_type.into_owned(),
            content,
        },
    }
}
