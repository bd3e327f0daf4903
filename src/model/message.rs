//! Message body elements (`MsgBody`) carried by Tencent Cloud IM callbacks.
//!
//! A `MsgBody` is a JSON array of `{"MsgType": "...", "MsgContent": {...}}`
//! objects. Each object decodes into one [`MsgElement`]. Every content field
//! is optional because older SDKs omit some of them, and unknown fields are
//! ignored. A `MsgType` this crate does not model is kept verbatim as
//! [`MsgElement::Unknown`] instead of being rejected.

use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde::ser::{SerializeMap, Serializer};
use serde::{Deserialize, Serialize};
use serde_json::Value;

const TEXT: &str = "TIMTextElem";
const LOCATION: &str = "TIMLocationElem";
const FACE: &str = "TIMFaceElem";
const CUSTOM: &str = "TIMCustomElem";
const SOUND: &str = "TIMSoundElem";
const IMAGE: &str = "TIMImageElem";
const FILE: &str = "TIMFileElem";
const VIDEO_FILE: &str = "TIMVideoFileElem";
const RELAY: &str = "TIMRelayElem";

const MSG_TYPE: &str = "MsgType";
const MSG_CONTENT: &str = "MsgContent";

/// Content of a text message (`TIMTextElem`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TextElem {
    /// The message text.
    #[serde(rename = "Text", default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
}

/// Content of a location message (`TIMLocationElem`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct LocationElem {
    /// Human-readable description of the location.
    #[serde(rename = "Desc", default, skip_serializing_if = "Option::is_none")]
    pub desc: Option<String>,
    /// Latitude in degrees.
    #[serde(rename = "Latitude", default, skip_serializing_if = "Option::is_none")]
    pub latitude: Option<f64>,
    /// Longitude in degrees.
    #[serde(rename = "Longitude", default, skip_serializing_if = "Option::is_none")]
    pub longitude: Option<f64>,
}

/// Content of a face (emoji / sticker) message (`TIMFaceElem`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FaceElem {
    /// Index of the face, defined by the application.
    #[serde(rename = "Index", default, skip_serializing_if = "Option::is_none")]
    pub index: Option<i64>,
    /// Extra data of the face, defined by the application.
    #[serde(rename = "Data", default, skip_serializing_if = "Option::is_none")]
    pub data: Option<String>,
}

/// Content of a custom message (`TIMCustomElem`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomElem {
    /// Custom payload, defined by the application.
    #[serde(rename = "Data", default, skip_serializing_if = "Option::is_none")]
    pub data: Option<String>,
    /// Custom description (used as offline push text).
    #[serde(rename = "Desc", default, skip_serializing_if = "Option::is_none")]
    pub desc: Option<String>,
    /// Extension field (used as offline push extension).
    #[serde(rename = "Ext", default, skip_serializing_if = "Option::is_none")]
    pub ext: Option<String>,
    /// Custom APNs push sound.
    #[serde(rename = "Sound", default, skip_serializing_if = "Option::is_none")]
    pub sound: Option<String>,
}

/// Content of a voice message (`TIMSoundElem`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SoundElem {
    /// Download URL of the audio; old SDKs may omit it.
    #[serde(rename = "Url", default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Unique ID of the audio file.
    #[serde(rename = "UUID", default, skip_serializing_if = "Option::is_none")]
    pub uuid: Option<String>,
    /// Size of the audio file in bytes.
    #[serde(rename = "Size", default, skip_serializing_if = "Option::is_none")]
    pub size: Option<u64>,
    /// Duration of the audio in seconds.
    #[serde(rename = "Second", default, skip_serializing_if = "Option::is_none")]
    pub second: Option<u64>,
    /// Download mode flag (`2`: downloadable from `url`); old SDKs may omit it.
    #[serde(
        rename = "Download_Flag",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub download_flag: Option<u32>,
}

/// Content of an image message (`TIMImageElem`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImageElem {
    /// Unique ID of the image.
    #[serde(rename = "UUID", default, skip_serializing_if = "Option::is_none")]
    pub uuid: Option<String>,
    /// Image format: 1 JPG, 2 GIF, 3 PNG, 4 BMP, 255 other.
    #[serde(
        rename = "ImageFormat",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub image_format: Option<u32>,
    /// The available renditions of the image (original, large, thumbnail).
    #[serde(
        rename = "ImageInfoArray",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub image_info_array: Option<Vec<ImageInfo>>,
}

/// One rendition of an image, an item of [`ImageElem::image_info_array`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImageInfo {
    /// Rendition type: 1 original, 2 large, 3 thumbnail.
    #[serde(rename = "Type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<u32>,
    /// Size of this rendition in bytes.
    #[serde(rename = "Size", default, skip_serializing_if = "Option::is_none")]
    pub size: Option<u64>,
    /// Width in pixels.
    #[serde(rename = "Width", default, skip_serializing_if = "Option::is_none")]
    pub width: Option<u64>,
    /// Height in pixels.
    #[serde(rename = "Height", default, skip_serializing_if = "Option::is_none")]
    pub height: Option<u64>,
    /// Download URL of this rendition.
    #[serde(rename = "URL", default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

/// Content of a file message (`TIMFileElem`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileElem {
    /// Download URL of the file; old SDKs may omit it.
    #[serde(rename = "Url", default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Unique ID of the file.
    #[serde(rename = "UUID", default, skip_serializing_if = "Option::is_none")]
    pub uuid: Option<String>,
    /// Size of the file in bytes.
    #[serde(rename = "FileSize", default, skip_serializing_if = "Option::is_none")]
    pub file_size: Option<u64>,
    /// Name of the file.
    #[serde(rename = "FileName", default, skip_serializing_if = "Option::is_none")]
    pub file_name: Option<String>,
    /// Download mode flag (`2`: downloadable from `url`); old SDKs may omit it.
    #[serde(
        rename = "Download_Flag",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub download_flag: Option<u32>,
}

/// Content of a video message (`TIMVideoFileElem`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct VideoFileElem {
    /// Download URL of the video; old SDKs may omit it.
    #[serde(rename = "VideoUrl", default, skip_serializing_if = "Option::is_none")]
    pub video_url: Option<String>,
    /// Unique ID of the video.
    #[serde(rename = "VideoUUID", default, skip_serializing_if = "Option::is_none")]
    pub video_uuid: Option<String>,
    /// Size of the video in bytes.
    #[serde(rename = "VideoSize", default, skip_serializing_if = "Option::is_none")]
    pub video_size: Option<u64>,
    /// Duration of the video in seconds.
    #[serde(
        rename = "VideoSecond",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub video_second: Option<u64>,
    /// Container format of the video, e.g. `mp4`.
    #[serde(
        rename = "VideoFormat",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub video_format: Option<String>,
    /// Video download mode flag (`2`: downloadable from `video_url`); old SDKs may omit it.
    #[serde(
        rename = "VideoDownloadFlag",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub video_download_flag: Option<u32>,
    /// Download URL of the thumbnail; old SDKs may omit it.
    #[serde(rename = "ThumbUrl", default, skip_serializing_if = "Option::is_none")]
    pub thumb_url: Option<String>,
    /// Unique ID of the thumbnail.
    #[serde(rename = "ThumbUUID", default, skip_serializing_if = "Option::is_none")]
    pub thumb_uuid: Option<String>,
    /// Size of the thumbnail in bytes.
    #[serde(rename = "ThumbSize", default, skip_serializing_if = "Option::is_none")]
    pub thumb_size: Option<u64>,
    /// Width of the thumbnail in pixels.
    #[serde(
        rename = "ThumbWidth",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub thumb_width: Option<u64>,
    /// Height of the thumbnail in pixels.
    #[serde(
        rename = "ThumbHeight",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub thumb_height: Option<u64>,
    /// Image format of the thumbnail, e.g. `JPG`.
    #[serde(
        rename = "ThumbFormat",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub thumb_format: Option<String>,
    /// Thumbnail download mode flag (`2`: downloadable from `thumb_url`); old SDKs may omit it.
    #[serde(
        rename = "ThumbDownloadFlag",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub thumb_download_flag: Option<u32>,
}

/// Content of a merged-forward message (`TIMRelayElem`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RelayElem {
    /// Title of the forwarded conversation.
    #[serde(rename = "Title", default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Number of forwarded messages.
    #[serde(rename = "MsgNum", default, skip_serializing_if = "Option::is_none")]
    pub msg_num: Option<u64>,
    /// Fallback text shown by clients that cannot render merged messages.
    #[serde(
        rename = "CompatibleText",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub compatible_text: Option<String>,
    /// Summary lines of the forwarded messages.
    #[serde(
        rename = "AbstractList",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub abstract_list: Option<Vec<String>>,
    /// The forwarded messages; absent when they are only reachable via `json_msg_key`.
    #[serde(rename = "MsgList", default, skip_serializing_if = "Option::is_none")]
    pub msg_list: Option<Vec<RelayedMsg>>,
    /// Key to fetch the forwarded messages when they were too large to inline.
    #[serde(
        rename = "JsonMsgKey",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub json_msg_key: Option<String>,
}

/// One forwarded message, an item of [`RelayElem::msg_list`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RelayedMsg {
    /// User ID of the original sender.
    #[serde(
        rename = "From_Account",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub from_account: Option<String>,
    /// User ID of the original recipient (one-to-one messages).
    #[serde(
        rename = "To_Account",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub to_account: Option<String>,
    /// Group ID of the original message (group messages).
    #[serde(rename = "GroupId", default, skip_serializing_if = "Option::is_none")]
    pub group_id: Option<String>,
    /// Sequence number of the original message.
    #[serde(rename = "MsgSeq", default, skip_serializing_if = "Option::is_none")]
    pub msg_seq: Option<u64>,
    /// Random number of the original message.
    #[serde(rename = "MsgRandom", default, skip_serializing_if = "Option::is_none")]
    pub msg_random: Option<u64>,
    /// Send time of the original message, Unix timestamp in seconds.
    #[serde(
        rename = "MsgTimeStamp",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub msg_time_stamp: Option<u64>,
    /// Body of the original message.
    #[serde(rename = "MsgBody", default, skip_serializing_if = "Option::is_none")]
    pub msg_body: Option<Vec<MsgElement>>,
    /// Cloud custom data of the original message.
    #[serde(
        rename = "CloudCustomData",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub cloud_custom_data: Option<String>,
}

/// One element of a message body: a `MsgType` with its `MsgContent`.
///
/// Serialized as `{"MsgType": "TIM...Elem", "MsgContent": {...}}`.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum MsgElement {
    /// `TIMTextElem`.
    Text(TextElem),
    /// `TIMLocationElem`.
    Location(LocationElem),
    /// `TIMFaceElem`.
    Face(FaceElem),
    /// `TIMCustomElem`.
    Custom(CustomElem),
    /// `TIMSoundElem`.
    Sound(SoundElem),
    /// `TIMImageElem`.
    Image(ImageElem),
    /// `TIMFileElem`.
    File(FileElem),
    /// `TIMVideoFileElem`.
    VideoFile(VideoFileElem),
    /// `TIMRelayElem`.
    Relay(RelayElem),
    /// A MsgType this crate does not model: kept with its raw content, never rejected.
    ///
    /// Also produced for an element without `MsgType` (then `msg_type` is
    /// empty). Serializing writes `msg_type` and `content` back verbatim.
    Unknown {
        /// The `MsgType` as received (empty when it was missing).
        msg_type: String,
        /// The raw `MsgContent` (`Value::Null` when it was missing).
        content: Value,
    },
}

impl MsgElement {
    /// The wire name of this element's `MsgType`, e.g. `"TIMTextElem"`.
    pub fn msg_type(&self) -> &str {
        match self {
            MsgElement::Text(_) => TEXT,
            MsgElement::Location(_) => LOCATION,
            MsgElement::Face(_) => FACE,
            MsgElement::Custom(_) => CUSTOM,
            MsgElement::Sound(_) => SOUND,
            MsgElement::Image(_) => IMAGE,
            MsgElement::File(_) => FILE,
            MsgElement::VideoFile(_) => VIDEO_FILE,
            MsgElement::Relay(_) => RELAY,
            MsgElement::Unknown { msg_type, .. } => msg_type,
        }
    }
}

impl Serialize for MsgElement {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(2))?;
        map.serialize_entry(MSG_TYPE, self.msg_type())?;
        match self {
            MsgElement::Text(c) => map.serialize_entry(MSG_CONTENT, c)?,
            MsgElement::Location(c) => map.serialize_entry(MSG_CONTENT, c)?,
            MsgElement::Face(c) => map.serialize_entry(MSG_CONTENT, c)?,
            MsgElement::Custom(c) => map.serialize_entry(MSG_CONTENT, c)?,
            MsgElement::Sound(c) => map.serialize_entry(MSG_CONTENT, c)?,
            MsgElement::Image(c) => map.serialize_entry(MSG_CONTENT, c)?,
            MsgElement::File(c) => map.serialize_entry(MSG_CONTENT, c)?,
            MsgElement::VideoFile(c) => map.serialize_entry(MSG_CONTENT, c)?,
            MsgElement::Relay(c) => map.serialize_entry(MSG_CONTENT, c)?,
            MsgElement::Unknown { content, .. } => map.serialize_entry(MSG_CONTENT, content)?,
        }
        map.end()
    }
}

/// The decoded `MsgType`; known names are matched without allocating.
#[derive(Clone)]
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

    /// The element for a known type without any `MsgContent`.
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

/// Deserializes a `MsgContent` value straight into the struct selected by the `MsgType`.
struct ContentSeed(Kind);

/// Reads an optional content struct; an explicit `null` gives the default.
fn content<'de, T, D>(deserializer: D) -> Result<T, D::Error>
where
    T: Deserialize<'de> + Default,
    D: Deserializer<'de>,
{
    Ok(Option::<T>::deserialize(deserializer)?.unwrap_or_default())
}

impl<'de> DeserializeSeed<'de> for ContentSeed {
    type Value = MsgElement;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<MsgElement, D::Error> {
        Ok(match self.0 {
            Kind::Text => MsgElement::Text(content(d)?),
            Kind::Location => MsgElement::Location(content(d)?),
            Kind::Face => MsgElement::Face(content(d)?),
            Kind::Custom => MsgElement::Custom(content(d)?),
            Kind::Sound => MsgElement::Sound(content(d)?),
            Kind::Image => MsgElement::Image(content(d)?),
            Kind::File => MsgElement::File(content(d)?),
            Kind::VideoFile => MsgElement::VideoFile(content(d)?),
            Kind::Relay => MsgElement::Relay(content(d)?),
            Kind::Other(msg_type) => MsgElement::Unknown {
                msg_type,
                content: Value::deserialize(d)?,
            },
        })
    }
}

/// A key of the element object.
enum Field {
    MsgType,
    MsgContent,
    Other,
}

impl<'de> Deserialize<'de> for Field {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct FieldVisitor;

        impl Visitor<'_> for FieldVisitor {
            type Value = Field;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a field name")
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<Field, E> {
                Ok(match v {
                    MSG_TYPE => Field::MsgType,
                    MSG_CONTENT => Field::MsgContent,
                    _ => Field::Other,
                })
            }

            fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<Field, E> {
                Ok(match v {
                    b"MsgType" => Field::MsgType,
                    b"MsgContent" => Field::MsgContent,
                    _ => Field::Other,
                })
            }
        }

        deserializer.deserialize_identifier(FieldVisitor)
    }
}

impl<'de> Deserialize<'de> for MsgElement {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ElementVisitor;

        impl<'de> Visitor<'de> for ElementVisitor {
            type Value = MsgElement;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a message element object with MsgType and MsgContent")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<MsgElement, A::Error> {
                let mut seen_type = false;
                let mut kind: Option<Kind> = None;
                // `MsgContent` decoded directly because `MsgType` came first.
                let mut decoded: Option<MsgElement> = None;
                // `MsgContent` buffered because it came before `MsgType`.
                let mut buffered: Option<Value> = None;

                while let Some(field) = map.next_key::<Field>()? {
                    match field {
                        Field::MsgType => {
                            if seen_type {
                                return Err(de::Error::duplicate_field(MSG_TYPE));
                            }
                            seen_type = true;
                            kind = Some(map.next_value::<Kind>()?);
                        }
                        Field::MsgContent => {
                            if decoded.is_some() || buffered.is_some() {
                                return Err(de::Error::duplicate_field(MSG_CONTENT));
                            }
                            match kind.take() {
                                Some(k) => decoded = Some(map.next_value_seed(ContentSeed(k))?),
                                None => buffered = Some(map.next_value::<Value>()?),
                            }
                        }
                        Field::Other => {
                            map.next_value::<IgnoredAny>()?;
                        }
                    }
                }

                if let Some(element) = decoded {
                    return Ok(element);
                }
                match (buffered, kind) {
                    (Some(content), Some(Kind::Other(msg_type))) => {
                        Ok(MsgElement::Unknown { msg_type, content })
                    }
                    (Some(value), Some(k)) => {
                        // The buffered content is decoded apart from the outer document,
                        // so on failure it is decoded again to put its inner path into the
                        // message by hand (tracking costs too much to pay on success).
                        if let Ok(element) = ContentSeed(k.clone()).deserialize(&value) {
                            return Ok(element);
                        }
                        let mut track = serde_path_to_error::Track::new();
                        let content = serde_path_to_error::Deserializer::new(value, &mut track);
                        ContentSeed(k).deserialize(content).map_err(|err| {
                            de::Error::custom(format_args!("{MSG_CONTENT}.{}: {err}", track.path()))
                        })
                    }
                    (Some(value), None) => Ok(MsgElement::Unknown {
                        msg_type: String::new(),
                        content: value,
                    }),
                    (None, Some(k)) => Ok(k.without_content()),
                    (None, None) => Ok(MsgElement::Unknown {
                        msg_type: String::new(),
                        content: Value::Null,
                    }),
                }
            }
        }

        deserializer.deserialize_map(ElementVisitor)
    }
}
