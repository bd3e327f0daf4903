//! Decoding of [`MsgElement`] in one pass over the input.
//!
//! Each element's `MsgContent` is decoded straight into the struct of its `MsgType` (the
//! content is buffered as a [`Value`] only when `MsgContent` comes before `MsgType`), so
//! elements decode through any self-describing deserializer, including the buffering ones
//! behind `#[serde(flatten)]` and `#[serde(untagged)]`.
//!
//! Content decoding never fails on the content's shape: a field of the wrong type is kept
//! as the value sent, and the content becomes [`MsgElement::Invalid`] holding the content
//! as sent. The part already decoded is written back as JSON for that; what writing back
//! would change (explicit nulls, unknown fields, an integer in a float field, a missing
//! `MsgContent`) is collected on the way as [`Patch`]es, so the JSON is the one sent. The
//! patches of content that decodes are dropped.
//!
//! Nesting: the elements of a `TIMRelayElem`'s messages are one level deeper than the relay;
//! content deeper than [`MAX_DEPTH`] is kept as `Invalid` without decoding, whatever the
//! deserializer's own recursion limit.

use std::fmt;
use std::marker::PhantomData;

use serde::de::value::{MapAccessDeserializer, SeqAccessDeserializer};
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::*;

/// The number of message levels decoded: content at this depth (the 17th level of
/// forwarded messages inside forwarded messages) is kept as [`MsgElement::Invalid`].
const MAX_DEPTH: u8 = 16;

impl<'de> Deserialize<'de> for MsgElement {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let (element, _) = ElementSeed { depth: 0 }.deserialize(deserializer)?;
        Ok(element)
    }
}

// ---------------------------------------------------------------------------------------
// Patches: what writing a decoded value back would lose
// ---------------------------------------------------------------------------------------

/// One step of a path into JSON.
enum Seg {
    Key(String),
    Index(usize),
}

/// Sets (or, with `None`, removes) the value at a path in the JSON written for a decoded
/// value, to get the JSON as sent.
struct Patch {
    /// The path, innermost step first (each enclosing level pushes its step).
    path_reversed: Vec<Seg>,
    value: Option<Value>,
}

type Patches = Vec<Patch>;

impl Patch {
    fn at(key: &str, value: Option<Value>) -> Patch {
        Patch {
            path_reversed: vec![Seg::Key(key.to_owned())],
            value,
        }
    }
}

/// `patches` of a value found under `seg`.
fn under(seg: impl Fn() -> Seg, patches: Patches) -> impl Iterator<Item = Patch> {
    patches.into_iter().map(move |mut patch| {
        patch.path_reversed.push(seg());
        patch
    })
}

/// The JSON as sent of a decoded value: the JSON written for it with `patches` applied.
fn as_sent<T: Serialize>(value: &T, patches: Patches) -> Value {
    // Writing the crate's own types to a `Value` does not fail (string keys, finite floats).
    let mut json = serde_json::to_value(value).unwrap_or(Value::Null);
    for patch in patches {
        apply(&mut json, patch);
    }
    json
}

fn apply(json: &mut Value, patch: Patch) {
    let Some((last, parents)) = patch.path_reversed.split_first() else {
        return;
    };
    let mut at = json;
    for seg in parents.iter().rev() {
        let next = match (seg, at) {
            (Seg::Key(key), Value::Object(map)) => map.get_mut(key),
            (Seg::Index(i), Value::Array(items)) => items.get_mut(*i),
            _ => None,
        };
        match next {
            Some(next) => at = next,
            None => return,
        }
    }
    match (last, at, patch.value) {
        (Seg::Key(key), Value::Object(map), Some(value)) => {
            map.insert(key.clone(), value);
        }
        (Seg::Key(key), Value::Object(map), None) => {
            map.remove(key);
        }
        (Seg::Index(i), Value::Array(items), Some(value)) => {
            if let Some(item) = items.get_mut(*i) {
                *item = value;
            }
        }
        _ => {}
    }
}

// ---------------------------------------------------------------------------------------
// Lenient values: objects and arrays decoded, anything else kept as sent
// ---------------------------------------------------------------------------------------

/// What a value read leniently became.
enum Shape<T> {
    Null,
    Decoded(T),
    /// Not of the expected shape: the value as sent.
    Raw(Value),
}

/// Decodes an object or an array; any other value, and by default objects and arrays too,
/// is kept raw.
trait Lenient<'de>: Sized {
    type Out;

    fn map<A: MapAccess<'de>>(self, map: A) -> Result<Shape<Self::Out>, A::Error> {
        Value::deserialize(MapAccessDeserializer::new(map)).map(Shape::Raw)
    }

    fn seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Shape<Self::Out>, A::Error> {
        Value::deserialize(SeqAccessDeserializer::new(seq)).map(Shape::Raw)
    }
}

/// The visitor (and seed) of a [`Lenient`] value.
struct OrRaw<L>(L);

impl<'de, L: Lenient<'de>> DeserializeSeed<'de> for OrRaw<L> {
    type Value = Shape<L::Out>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de, L: Lenient<'de>> Visitor<'de> for OrRaw<L> {
    type Value = Shape<L::Out>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        Ok(Shape::Raw(Value::Bool(v)))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Shape::Raw(Value::from(v)))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Shape::Raw(Value::from(v)))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        Ok(Shape::Raw(Value::from(v)))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Shape::Raw(Value::String(v.to_owned())))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(Shape::Raw(Value::String(v)))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Shape::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Shape::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(self)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        self.0.map(map)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        self.0.seq(seq)
    }
}

/// An object key, borrowed from the input when the deserializer can.
enum Key<'de> {
    Borrowed(&'de str),
    Owned(String),
}

impl Key<'_> {
    fn as_str(&self) -> &str {
        match self {
            Key::Borrowed(key) => key,
            Key::Owned(key) => key,
        }
    }
}

struct KeySeed;

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = Key<'de>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Key<'de>, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for KeySeed {
    type Value = Key<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a field name")
    }

    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Key<'de>, E> {
        Ok(Key::Borrowed(v))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Key<'de>, E> {
        Ok(Key::Owned(v.to_owned()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Key<'de>, E> {
        Ok(Key::Owned(v))
    }
}

// ---------------------------------------------------------------------------------------
// Content structs, field by field
// ---------------------------------------------------------------------------------------

/// What reading one field did.
enum Outcome {
    /// Decoded into its field.
    Set,
    /// Decoded; writing it back needs these patches (relative to the field's value).
    Patched(Patches),
    /// Not decoded into a field but fine (an explicit null, a field this crate does not
    /// know, a number written differently than it would be written back): the value sent.
    Kept(Value),
    /// Not of the field's type: the value sent. Makes the content `Invalid`.
    Mismatch(Value),
}

/// A content struct (or one of its parts) decoded field by field.
trait Fields: Default + Serialize {
    /// Reads the value of `key` from `map` into its field; `depth` is the message level of
    /// the content.
    fn field<'de, A: MapAccess<'de>>(
        &mut self,
        key: &str,
        map: &mut A,
        depth: u8,
    ) -> Result<Outcome, A::Error>;
}

/// A [`Fields`] struct read leniently.
struct Struct<T> {
    depth: u8,
    of: PhantomData<T>,
}

impl<T> Struct<T> {
    fn at(depth: u8) -> OrRaw<Struct<T>> {
        OrRaw(Struct {
            depth,
            of: PhantomData,
        })
    }
}

impl<'de, T: Fields> Lenient<'de> for Struct<T> {
    type Out = (T, Patches);

    fn map<A: MapAccess<'de>>(self, mut map: A) -> Result<Shape<(T, Patches)>, A::Error> {
        let mut out = T::default();
        let mut patches = Patches::new();
        let mut mismatched = false;
        while let Some(key) = map.next_key_seed(KeySeed)? {
            let key = key.as_str();
            match out.field(key, &mut map, self.depth)? {
                Outcome::Set => {}
                Outcome::Patched(inner) => {
                    patches.extend(under(|| Seg::Key(key.to_owned()), inner));
                }
                Outcome::Kept(value) => patches.push(Patch::at(key, Some(value))),
                Outcome::Mismatch(value) => {
                    mismatched = true;
                    patches.push(Patch::at(key, Some(value)));
                }
            }
        }
        Ok(if mismatched {
            Shape::Raw(as_sent(&out, patches))
        } else {
            Shape::Decoded((out, patches))
        })
    }
}

/// A value with no parts, converted from the JSON read for it.
trait Leaf: Sized {
    /// The value, and the JSON to keep when writing the value back would not give `json`;
    /// `Err(json)` when `json` is not of this type.
    fn from_json(json: Value) -> Result<(Self, Option<Value>), Value>;
}

impl Leaf for String {
    fn from_json(json: Value) -> Result<(Self, Option<Value>), Value> {
        match json {
            Value::String(s) => Ok((s, None)),
            other => Err(other),
        }
    }
}

impl Leaf for u64 {
    fn from_json(json: Value) -> Result<(Self, Option<Value>), Value> {
        json.as_u64().map(|n| (n, None)).ok_or(json)
    }
}

impl Leaf for u32 {
    fn from_json(json: Value) -> Result<(Self, Option<Value>), Value> {
        match json.as_u64().map(u32::try_from) {
            Some(Ok(n)) => Ok((n, None)),
            _ => Err(json),
        }
    }
}

impl Leaf for i64 {
    fn from_json(json: Value) -> Result<(Self, Option<Value>), Value> {
        json.as_i64().map(|n| (n, None)).ok_or(json)
    }
}

impl Leaf for f64 {
    fn from_json(json: Value) -> Result<(Self, Option<Value>), Value> {
        match json {
            // An integer (`22`) is read as a float, as serde does, and written back as
            // `22.0`: keep it as sent.
            Value::Number(n) => match n.as_f64() {
                Some(f) if n.is_f64() => Ok((f, None)),
                Some(f) => Ok((f, Some(Value::Number(n)))),
                None => Err(Value::Number(n)),
            },
            other => Err(other),
        }
    }
}

impl Leaf for Vec<String> {
    fn from_json(json: Value) -> Result<(Self, Option<Value>), Value> {
        match json {
            Value::Array(items) if items.iter().all(Value::is_string) => Ok((
                items
                    .into_iter()
                    .filter_map(|item| match item {
                        Value::String(s) => Some(s),
                        _ => None,
                    })
                    .collect(),
                None,
            )),
            other => Err(other),
        }
    }
}

/// Reads a field holding a [`Leaf`].
fn leaf<'de, T: Leaf, A: MapAccess<'de>>(
    map: &mut A,
    field: &mut Option<T>,
) -> Result<Outcome, A::Error> {
    let json: Value = map.next_value()?;
    if json.is_null() {
        *field = None;
        return Ok(Outcome::Kept(Value::Null));
    }
    Ok(match T::from_json(json) {
        Ok((value, keep)) => {
            *field = Some(value);
            keep.map_or(Outcome::Set, Outcome::Kept)
        }
        Err(json) => Outcome::Mismatch(json),
    })
}

/// Reads a field this crate does not know: kept, in case the content must be kept as sent.
fn unknown<'de, A: MapAccess<'de>>(map: &mut A) -> Result<Outcome, A::Error> {
    map.next_value().map(Outcome::Kept)
}

/// An item of a list field.
trait Item: Serialize + Sized {
    /// Stands in the list for an item kept raw until the list is written back.
    fn placeholder() -> Self;

    /// Decodes one item, or keeps it raw (`Ok(Err(json))`).
    fn decode<'de, D: Deserializer<'de>>(
        deserializer: D,
        depth: u8,
    ) -> Result<Result<(Self, Patches), Value>, D::Error>;
}

fn struct_item<'de, T: Fields, D: Deserializer<'de>>(
    deserializer: D,
    depth: u8,
) -> Result<Result<(T, Patches), Value>, D::Error> {
    Ok(match Struct::<T>::at(depth).deserialize(deserializer)? {
        Shape::Decoded(item) => Ok(item),
        Shape::Null => Err(Value::Null),
        Shape::Raw(json) => Err(json),
    })
}

impl Item for ImageInfo {
    fn placeholder() -> Self {
        Self::default()
    }

    fn decode<'de, D: Deserializer<'de>>(
        deserializer: D,
        depth: u8,
    ) -> Result<Result<(Self, Patches), Value>, D::Error> {
        struct_item(deserializer, depth)
    }
}

impl Item for RelayedMsg {
    fn placeholder() -> Self {
        Self::default()
    }

    fn decode<'de, D: Deserializer<'de>>(
        deserializer: D,
        depth: u8,
    ) -> Result<Result<(Self, Patches), Value>, D::Error> {
        struct_item(deserializer, depth)
    }
}

impl Item for MsgElement {
    fn placeholder() -> Self {
        MsgElement::Unknown {
            msg_type: String::new(),
            content: Value::Null,
        }
    }

    /// An element's shape (an object with a string `MsgType`) is checked at every level:
    /// a bad one fails the decode, with its path.
    fn decode<'de, D: Deserializer<'de>>(
        deserializer: D,
        depth: u8,
    ) -> Result<Result<(Self, Patches), Value>, D::Error> {
        ElementSeed { depth }.deserialize(deserializer).map(Ok)
    }
}

/// A list field read leniently: an item of the wrong shape makes the whole list raw.
struct List<T> {
    depth: u8,
    of: PhantomData<T>,
}

struct ItemSeed<T> {
    depth: u8,
    of: PhantomData<T>,
}

impl<'de, T: Item> DeserializeSeed<'de> for ItemSeed<T> {
    type Value = Result<(T, Patches), Value>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        T::decode(deserializer, self.depth)
    }
}

impl<'de, T: Item> Lenient<'de> for List<T> {
    type Out = (Vec<T>, Patches);

    fn seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Shape<Self::Out>, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(256));
        let mut patches = Patches::new();
        let mut raw = Vec::new();
        while let Some(item) = seq.next_element_seed(ItemSeed::<T> {
            depth: self.depth,
            of: PhantomData,
        })? {
            let i = items.len();
            match item {
                Ok((item, inner)) => {
                    items.push(item);
                    patches.extend(under(|| Seg::Index(i), inner));
                }
                Err(json) => {
                    items.push(T::placeholder());
                    raw.push(Patch {
                        path_reversed: vec![Seg::Index(i)],
                        value: Some(json),
                    });
                }
            }
        }
        Ok(if raw.is_empty() {
            Shape::Decoded((items, patches))
        } else {
            patches.extend(raw);
            Shape::Raw(as_sent(&items, patches))
        })
    }
}

/// Reads a field holding a list of [`Item`]s.
fn list<'de, T: Item, A: MapAccess<'de>>(
    map: &mut A,
    field: &mut Option<Vec<T>>,
    depth: u8,
) -> Result<Outcome, A::Error> {
    Ok(
        match map.next_value_seed(OrRaw(List::<T> {
            depth,
            of: PhantomData,
        }))? {
            Shape::Null => {
                *field = None;
                Outcome::Kept(Value::Null)
            }
            Shape::Decoded((items, patches)) => {
                *field = Some(items);
                if patches.is_empty() {
                    Outcome::Set
                } else {
                    Outcome::Patched(patches)
                }
            }
            Shape::Raw(json) => Outcome::Mismatch(json),
        },
    )
}

impl Fields for TextElem {
    fn field<'de, A: MapAccess<'de>>(
        &mut self,
        key: &str,
        map: &mut A,
        _: u8,
    ) -> Result<Outcome, A::Error> {
        match key {
            "Text" => leaf(map, &mut self.text),
            _ => unknown(map),
        }
    }
}

impl Fields for LocationElem {
    fn field<'de, A: MapAccess<'de>>(
        &mut self,
        key: &str,
        map: &mut A,
        _: u8,
    ) -> Result<Outcome, A::Error> {
        match key {
            "Desc" => leaf(map, &mut self.desc),
            "Latitude" => leaf(map, &mut self.latitude),
            "Longitude" => leaf(map, &mut self.longitude),
            _ => unknown(map),
        }
    }
}

impl Fields for FaceElem {
    fn field<'de, A: MapAccess<'de>>(
        &mut self,
        key: &str,
        map: &mut A,
        _: u8,
    ) -> Result<Outcome, A::Error> {
        match key {
            "Index" => leaf(map, &mut self.index),
            "Data" => leaf(map, &mut self.data),
            _ => unknown(map),
        }
    }
}

impl Fields for CustomElem {
    fn field<'de, A: MapAccess<'de>>(
        &mut self,
        key: &str,
        map: &mut A,
        _: u8,
    ) -> Result<Outcome, A::Error> {
        match key {
            "Data" => leaf(map, &mut self.data),
            "Desc" => leaf(map, &mut self.desc),
            "Ext" => leaf(map, &mut self.ext),
            "Sound" => leaf(map, &mut self.sound),
            _ => unknown(map),
        }
    }
}

impl Fields for SoundElem {
    fn field<'de, A: MapAccess<'de>>(
        &mut self,
        key: &str,
        map: &mut A,
        _: u8,
    ) -> Result<Outcome, A::Error> {
        match key {
            "Url" => leaf(map, &mut self.url),
            "UUID" => leaf(map, &mut self.uuid),
            "Size" => leaf(map, &mut self.size),
            "Second" => leaf(map, &mut self.second),
            "Download_Flag" => leaf(map, &mut self.download_flag),
            _ => unknown(map),
        }
    }
}

impl Fields for ImageElem {
    fn field<'de, A: MapAccess<'de>>(
        &mut self,
        key: &str,
        map: &mut A,
        depth: u8,
    ) -> Result<Outcome, A::Error> {
        match key {
            "UUID" => leaf(map, &mut self.uuid),
            "ImageFormat" => leaf(map, &mut self.image_format),
            "ImageInfoArray" => list(map, &mut self.image_info_array, depth),
            _ => unknown(map),
        }
    }
}

impl Fields for ImageInfo {
    fn field<'de, A: MapAccess<'de>>(
        &mut self,
        key: &str,
        map: &mut A,
        _: u8,
    ) -> Result<Outcome, A::Error> {
        match key {
            "Type" => leaf(map, &mut self.kind),
            "Size" => leaf(map, &mut self.size),
            "Width" => leaf(map, &mut self.width),
            "Height" => leaf(map, &mut self.height),
            "URL" => leaf(map, &mut self.url),
            _ => unknown(map),
        }
    }
}

impl Fields for FileElem {
    fn field<'de, A: MapAccess<'de>>(
        &mut self,
        key: &str,
        map: &mut A,
        _: u8,
    ) -> Result<Outcome, A::Error> {
        match key {
            "Url" => leaf(map, &mut self.url),
            "UUID" => leaf(map, &mut self.uuid),
            "FileSize" => leaf(map, &mut self.file_size),
            "FileName" => leaf(map, &mut self.file_name),
            "Download_Flag" => leaf(map, &mut self.download_flag),
            _ => unknown(map),
        }
    }
}

impl Fields for VideoFileElem {
    fn field<'de, A: MapAccess<'de>>(
        &mut self,
        key: &str,
        map: &mut A,
        _: u8,
    ) -> Result<Outcome, A::Error> {
        match key {
            "VideoUrl" => leaf(map, &mut self.video_url),
            "VideoUUID" => leaf(map, &mut self.video_uuid),
            "VideoSize" => leaf(map, &mut self.video_size),
            "VideoSecond" => leaf(map, &mut self.video_second),
            "VideoFormat" => leaf(map, &mut self.video_format),
            "VideoDownloadFlag" => leaf(map, &mut self.video_download_flag),
            "ThumbUrl" => leaf(map, &mut self.thumb_url),
            "ThumbUUID" => leaf(map, &mut self.thumb_uuid),
            "ThumbSize" => leaf(map, &mut self.thumb_size),
            "ThumbWidth" => leaf(map, &mut self.thumb_width),
            "ThumbHeight" => leaf(map, &mut self.thumb_height),
            "ThumbFormat" => leaf(map, &mut self.thumb_format),
            "ThumbDownloadFlag" => leaf(map, &mut self.thumb_download_flag),
            _ => unknown(map),
        }
    }
}

impl Fields for RelayElem {
    fn field<'de, A: MapAccess<'de>>(
        &mut self,
        key: &str,
        map: &mut A,
        depth: u8,
    ) -> Result<Outcome, A::Error> {
        match key {
            "Title" => leaf(map, &mut self.title),
            "MsgNum" => leaf(map, &mut self.msg_num),
            "CompatibleText" => leaf(map, &mut self.compatible_text),
            "AbstractList" => leaf(map, &mut self.abstract_list),
            "MsgList" => list(map, &mut self.msg_list, depth),
            "JsonMsgKey" => leaf(map, &mut self.json_msg_key),
            _ => unknown(map),
        }
    }
}

impl Fields for RelayedMsg {
    fn field<'de, A: MapAccess<'de>>(
        &mut self,
        key: &str,
        map: &mut A,
        depth: u8,
    ) -> Result<Outcome, A::Error> {
        match key {
            "From_Account" => leaf(map, &mut self.from_account),
            "To_Account" => leaf(map, &mut self.to_account),
            "GroupId" => leaf(map, &mut self.group_id),
            "MsgSeq" => leaf(map, &mut self.msg_seq),
            "MsgRandom" => leaf(map, &mut self.msg_random),
            "MsgTimeStamp" => leaf(map, &mut self.msg_time_stamp),
            // The forwarded message's elements are one level deeper.
            "MsgBody" => list(map, &mut self.msg_body, depth + 1),
            "CloudCustomData" => leaf(map, &mut self.cloud_custom_data),
            _ => unknown(map),
        }
    }
}

// ---------------------------------------------------------------------------------------
// Elements
// ---------------------------------------------------------------------------------------

/// The decoded `MsgType`; known names are matched without allocating.
enum Kind {
    Text,
    Location,
    Face,
    Custom,
    Sound,
    Image,
    File,
    VideoFile,
    Relay,
    Other(String),
}

impl Kind {
    fn known(name: &str) -> Option<Kind> {
        Some(match name {
            TEXT => Kind::Text,
            LOCATION => Kind::Location,
            FACE => Kind::Face,
            CUSTOM => Kind::Custom,
            SOUND => Kind::Sound,
            IMAGE => Kind::Image,
            FILE => Kind::File,
            VIDEO_FILE => Kind::VideoFile,
            RELAY => Kind::Relay,
            _ => return None,
        })
    }

    /// The element for this type without any `MsgContent`.
    fn without_content(self) -> MsgElement {
        match self {
            Kind::Text => MsgElement::Text(TextElem::default()),
            Kind::Location => MsgElement::Location(LocationElem::default()),
            Kind::Face => MsgElement::Face(FaceElem::default()),
            Kind::Custom => MsgElement::Custom(CustomElem::default()),
            Kind::Sound => MsgElement::Sound(SoundElem::default()),
            Kind::Image => MsgElement::Image(ImageElem::default()),
            Kind::File => MsgElement::File(FileElem::default()),
            Kind::VideoFile => MsgElement::VideoFile(VideoFileElem::default()),
            Kind::Relay => MsgElement::Relay(RelayElem::default()),
            Kind::Other(msg_type) => MsgElement::Unknown {
                msg_type,
                content: Value::Null,
            },
        }
    }
}

impl<'de> Deserialize<'de> for Kind {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KindVisitor;

        impl Visitor<'_> for KindVisitor {
            type Value = Kind;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a MsgType string")
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<Kind, E> {
                Ok(Kind::known(v).unwrap_or_else(|| Kind::Other(v.to_owned())))
            }

            fn visit_string<E: de::Error>(self, v: String) -> Result<Kind, E> {
                Ok(match Kind::known(&v) {
                    Some(kind) => kind,
                    None => Kind::Other(v),
                })
            }
        }

        deserializer.deserialize_str(KindVisitor)
    }
}

/// The `MsgContent` of a `kind` element at message level `depth`, with the patches (under
/// `MsgContent`) that write the element back as sent.
struct ContentSeed {
    kind: Kind,
    depth: u8,
}

impl<'de> DeserializeSeed<'de> for ContentSeed {
    type Value = (MsgElement, Patches);

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        let depth = self.depth;
        match self.kind {
            Kind::Other(msg_type) => Ok((
                MsgElement::Unknown {
                    msg_type,
                    content: Value::deserialize(deserializer)?,
                },
                Patches::new(),
            )),
            kind if depth >= MAX_DEPTH => Ok((
                MsgElement::Invalid {
                    msg_type: kind.without_content().msg_type().to_owned(),
                    content: Value::deserialize(deserializer)?,
                },
                Patches::new(),
            )),
            Kind::Text => typed(deserializer, depth, MsgElement::Text),
            Kind::Location => typed(deserializer, depth, MsgElement::Location),
            Kind::Face => typed(deserializer, depth, MsgElement::Face),
            Kind::Custom => typed(deserializer, depth, MsgElement::Custom),
            Kind::Sound => typed(deserializer, depth, MsgElement::Sound),
            Kind::Image => typed(deserializer, depth, MsgElement::Image),
            Kind::File => typed(deserializer, depth, MsgElement::File),
            Kind::VideoFile => typed(deserializer, depth, MsgElement::VideoFile),
            Kind::Relay => typed(deserializer, depth, MsgElement::Relay),
        }
    }
}

/// Decodes the content struct of a known `MsgType`: an explicit `null` gives the default,
/// content of another shape the [`MsgElement::Invalid`] that keeps it.
fn typed<'de, T: Fields, D: Deserializer<'de>>(
    deserializer: D,
    depth: u8,
    element: fn(T) -> MsgElement,
) -> Result<(MsgElement, Patches), D::Error> {
    Ok(match Struct::<T>::at(depth).deserialize(deserializer)? {
        Shape::Decoded((content, patches)) => (
            element(content),
            under(|| Seg::Key(MSG_CONTENT.to_owned()), patches).collect(),
        ),
        Shape::Null => (
            element(T::default()),
            vec![Patch::at(MSG_CONTENT, Some(Value::Null))],
        ),
        Shape::Raw(content) => {
            let msg_type = element(T::default()).msg_type().to_owned();
            (MsgElement::Invalid { msg_type, content }, Patches::new())
        }
    })
}

/// One element at message level `depth` (0 for the elements of a callback's `MsgBody`),
/// with the patches that write it back as sent.
struct ElementSeed {
    depth: u8,
}

impl<'de> DeserializeSeed<'de> for ElementSeed {
    type Value = (MsgElement, Patches);

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for ElementSeed {
    type Value = (MsgElement, Patches);

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a message element object with MsgType and MsgContent")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let depth = self.depth;
        let mut type_seen = false;
        let mut content_seen = false;
        // The type until its content comes.
        let mut kind: Option<Kind> = None;
        // The content until its type comes (JSON objects are unordered).
        let mut buffered: Option<Value> = None;
        let mut decoded: Option<(MsgElement, Patches)> = None;
        let mut patches = Patches::new();

        while let Some(key) = map.next_key_seed(KeySeed)? {
            match key.as_str() {
                MSG_TYPE => {
                    if type_seen {
                        return Err(de::Error::duplicate_field(MSG_TYPE));
                    }
                    type_seen = true;
                    let msg_type: Kind = map.next_value()?;
                    match buffered.take() {
                        Some(content) => {
                            decoded = Some(buffered_content(msg_type, content, depth)?);
                        }
                        None => kind = Some(msg_type),
                    }
                }
                MSG_CONTENT => {
                    if content_seen {
                        return Err(de::Error::duplicate_field(MSG_CONTENT));
                    }
                    content_seen = true;
                    match kind.take() {
                        Some(kind) => {
                            decoded = Some(map.next_value_seed(ContentSeed { kind, depth })?);
                        }
                        None => buffered = Some(map.next_value()?),
                    }
                }
                // Ignored, but kept for writing back a nested element as sent (the patches
                // of a callback's own elements are never used).
                other if depth > 0 => {
                    let value: Value = map.next_value()?;
                    patches.push(Patch::at(other, Some(value)));
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }

        let absent = |key: &str| Patch::at(key, None);
        let (element, mut own) = match (decoded, kind, buffered) {
            (Some(decoded), _, _) => decoded,
            (None, Some(kind), _) => (kind.without_content(), vec![absent(MSG_CONTENT)]),
            (None, None, Some(content)) => (
                MsgElement::Unknown {
                    msg_type: String::new(),
                    content,
                },
                vec![absent(MSG_TYPE)],
            ),
            (None, None, None) => (
                MsgElement::Unknown {
                    msg_type: String::new(),
                    content: Value::Null,
                },
                vec![absent(MSG_TYPE), absent(MSG_CONTENT)],
            ),
        };
        own.extend(patches);
        Ok((element, own))
    }
}

/// The element for content that came before its `MsgType`, decoded from its buffer.
fn buffered_content<E: de::Error>(
    kind: Kind,
    content: Value,
    depth: u8,
) -> Result<(MsgElement, Patches), E> {
    if let Kind::Other(msg_type) = kind {
        return Ok((MsgElement::Unknown { msg_type, content }, Patches::new()));
    }
    let (element, patches) = ContentSeed { kind, depth }
        .deserialize(&content)
        .map_err(E::custom)?;
    Ok(match element {
        // The buffer is the content as sent.
        MsgElement::Invalid { msg_type, .. } => {
            (MsgElement::Invalid { msg_type, content }, Patches::new())
        }
        element => (element, patches),
    })
}
