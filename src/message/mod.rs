//! Message body elements (`MsgBody`) carried by Tencent Cloud IM callbacks.
//!
//! A `MsgBody` is a JSON array of `{"MsgType": "...", "MsgContent": {...}}`
//! objects. Each object decodes into one [`MsgElement`]. Every content field
//! is optional because older SDKs omit some of them, and unknown fields are
//! ignored. A `MsgType` this crate does not model is kept verbatim as
//! [`MsgElement::Unknown`], and content that does not have its type's documented shape
//! as [`MsgElement::Invalid`], instead of being rejected.

use serde::ser::{SerializeMap, Serializer};
use serde::{Deserialize, Serialize};
use serde_json::Value;

mod body;
mod decode;

pub use body::MsgBody;

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
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
#[non_exhaustive]
pub struct TextElem {
    /// The message text.
    pub text: Option<String>,
}

/// Content of a location message (`TIMLocationElem`).
///
/// Tencent writes coordinates as the shortest decimal that reads back exactly, often 16 or 17
/// significant digits. serde_json's default float parser reads those to within one unit in
/// the last place (about 10^-14 degrees); its `float_roundtrip` feature reads them exactly.
/// This crate does not turn that on for your application unless you enable the crate's
/// `float_roundtrip` feature (or serde_json's yourself).
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
#[non_exhaustive]
pub struct LocationElem {
    /// Human-readable description of the location.
    pub desc: Option<String>,
    /// Latitude in degrees.
    pub latitude: Option<f64>,
    /// Longitude in degrees.
    pub longitude: Option<f64>,
}

/// Content of a face (emoji / sticker) message (`TIMFaceElem`).
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
#[non_exhaustive]
pub struct FaceElem {
    /// Index of the face, defined by the application.
    pub index: Option<i64>,
    /// Extra data of the face, defined by the application.
    pub data: Option<String>,
}

/// Content of a custom message (`TIMCustomElem`).
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
#[non_exhaustive]
pub struct CustomElem {
    /// Custom payload, defined by the application.
    pub data: Option<String>,
    /// Custom description (used as offline push text).
    pub desc: Option<String>,
    /// Extension field (used as offline push extension).
    pub ext: Option<String>,
    /// Custom APNs push sound.
    pub sound: Option<String>,
}

/// Content of a voice message (`TIMSoundElem`).
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
#[non_exhaustive]
pub struct SoundElem {
    /// Download URL of the audio; old SDKs may omit it.
    pub url: Option<String>,
    /// Unique ID of the audio file.
    #[serde(rename = "UUID")]
    pub uuid: Option<String>,
    /// Size of the audio file in bytes.
    pub size: Option<u64>,
    /// Duration of the audio in seconds.
    pub second: Option<u64>,
    /// Download mode flag (`2`: downloadable from `url`); old SDKs may omit it.
    #[serde(rename = "Download_Flag")]
    pub download_flag: Option<u32>,
}

/// Content of an image message (`TIMImageElem`).
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
#[non_exhaustive]
pub struct ImageElem {
    /// Unique ID of the image.
    #[serde(rename = "UUID")]
    pub uuid: Option<String>,
    /// Image format: 1 JPG, 2 GIF, 3 PNG, 4 BMP, 255 other.
    pub image_format: Option<u32>,
    /// The available renditions of the image (original, large, thumbnail).
    pub image_info_array: Option<Vec<ImageInfo>>,
}

/// One rendition of an image, an item of [`ImageElem::image_info_array`].
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
#[non_exhaustive]
pub struct ImageInfo {
    /// Rendition type: 1 original, 2 large, 3 thumbnail.
    #[serde(rename = "Type")]
    pub kind: Option<u32>,
    /// Size of this rendition in bytes.
    pub size: Option<u64>,
    /// Width in pixels.
    pub width: Option<u64>,
    /// Height in pixels.
    pub height: Option<u64>,
    /// Download URL of this rendition.
    #[serde(rename = "URL")]
    pub url: Option<String>,
}

/// Content of a file message (`TIMFileElem`).
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
#[non_exhaustive]
pub struct FileElem {
    /// Download URL of the file; old SDKs may omit it.
    pub url: Option<String>,
    /// Unique ID of the file.
    #[serde(rename = "UUID")]
    pub uuid: Option<String>,
    /// Size of the file in bytes.
    pub file_size: Option<u64>,
    /// Name of the file.
    pub file_name: Option<String>,
    /// Download mode flag (`2`: downloadable from `url`); old SDKs may omit it.
    #[serde(rename = "Download_Flag")]
    pub download_flag: Option<u32>,
}

/// Content of a video message (`TIMVideoFileElem`).
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
#[non_exhaustive]
pub struct VideoFileElem {
    /// Download URL of the video; old SDKs may omit it.
    pub video_url: Option<String>,
    /// Unique ID of the video.
    #[serde(rename = "VideoUUID")]
    pub video_uuid: Option<String>,
    /// Size of the video in bytes.
    pub video_size: Option<u64>,
    /// Duration of the video in seconds.
    pub video_second: Option<u64>,
    /// Container format of the video, e.g. `mp4`.
    pub video_format: Option<String>,
    /// Video download mode flag (`2`: downloadable from `video_url`); old SDKs may omit it.
    pub video_download_flag: Option<u32>,
    /// Download URL of the thumbnail; old SDKs may omit it.
    pub thumb_url: Option<String>,
    /// Unique ID of the thumbnail.
    #[serde(rename = "ThumbUUID")]
    pub thumb_uuid: Option<String>,
    /// Size of the thumbnail in bytes.
    pub thumb_size: Option<u64>,
    /// Width of the thumbnail in pixels.
    pub thumb_width: Option<u64>,
    /// Height of the thumbnail in pixels.
    pub thumb_height: Option<u64>,
    /// Image format of the thumbnail, e.g. `JPG`.
    pub thumb_format: Option<String>,
    /// Thumbnail download mode flag (`2`: downloadable from `thumb_url`); old SDKs may omit it.
    pub thumb_download_flag: Option<u32>,
}

/// Content of a merged-forward message (`TIMRelayElem`).
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
#[non_exhaustive]
pub struct RelayElem {
    /// Title of the forwarded conversation.
    pub title: Option<String>,
    /// Number of forwarded messages.
    pub msg_num: Option<u64>,
    /// Fallback text shown by clients that cannot render merged messages.
    pub compatible_text: Option<String>,
    /// Summary lines of the forwarded messages.
    pub abstract_list: Option<Vec<String>>,
    /// The forwarded messages; absent when they are only reachable via `json_msg_key`.
    pub msg_list: Option<Vec<RelayedMsg>>,
    /// Key to fetch the forwarded messages when they were too large to inline.
    pub json_msg_key: Option<String>,
}

/// One forwarded message, an item of [`RelayElem::msg_list`].
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
#[non_exhaustive]
pub struct RelayedMsg {
    /// User ID of the original sender.
    #[serde(rename = "From_Account")]
    pub from_account: Option<String>,
    /// User ID of the original recipient (one-to-one messages).
    #[serde(rename = "To_Account")]
    pub to_account: Option<String>,
    /// Group ID of the original message (group messages).
    pub group_id: Option<String>,
    /// Sequence number of the original message.
    pub msg_seq: Option<u64>,
    /// Random number of the original message.
    pub msg_random: Option<u64>,
    /// Send time of the original message, Unix timestamp in seconds.
    pub msg_time_stamp: Option<u64>,
    /// Body of the original message.
    pub msg_body: Option<Vec<MsgElement>>,
    /// Cloud custom data of the original message.
    pub cloud_custom_data: Option<String>,
}

impl TextElem {
    /// A text element with this text.
    pub fn new(text: impl Into<String>) -> Self {
        Self {
            text: Some(text.into()),
        }
    }
}

impl LocationElem {
    /// A location: its description, latitude and longitude in degrees.
    pub fn new(desc: impl Into<String>, latitude: f64, longitude: f64) -> Self {
        Self {
            desc: Some(desc.into()),
            latitude: Some(latitude),
            longitude: Some(longitude),
        }
    }
}

impl FaceElem {
    /// A face: its index and its data, both defined by the application.
    pub fn new(index: i64, data: impl Into<String>) -> Self {
        Self {
            index: Some(index),
            data: Some(data.into()),
        }
    }
}

impl CustomElem {
    /// A custom element carrying `data`; add the optional parts with
    /// [`desc`](Self::desc), [`ext`](Self::ext) and [`sound`](Self::sound).
    pub fn new(data: impl Into<String>) -> Self {
        Self {
            data: Some(data.into()),
            ..Self::default()
        }
    }

    /// Sets `Desc`, the description (used as offline push text).
    pub fn desc(mut self, desc: impl Into<String>) -> Self {
        self.desc = Some(desc.into());
        self
    }

    /// Sets `Ext`, the extension (used as offline push extension).
    pub fn ext(mut self, ext: impl Into<String>) -> Self {
        self.ext = Some(ext.into());
        self
    }

    /// Sets `Sound`, the custom APNs push sound.
    pub fn sound(mut self, sound: impl Into<String>) -> Self {
        self.sound = Some(sound.into());
        self
    }
}

impl SoundElem {
    /// A voice message downloadable from `url`: its size in bytes and duration in seconds.
    /// `Download_Flag` is set to `2` (download from `Url`), the only value Tencent's REST
    /// API accepts; `UUID` stays unset.
    pub fn new(url: impl Into<String>, size: u64, second: u64) -> Self {
        Self {
            url: Some(url.into()),
            size: Some(size),
            second: Some(second),
            download_flag: Some(2),
            ..Self::default()
        }
    }
}

impl ImageElem {
    /// An image: its unique ID, its format (1 JPG, 2 GIF, 3 PNG, 4 BMP, 255 other) and its
    /// renditions.
    pub fn new(uuid: impl Into<String>, image_format: u32, renditions: Vec<ImageInfo>) -> Self {
        Self {
            uuid: Some(uuid.into()),
            image_format: Some(image_format),
            image_info_array: Some(renditions),
        }
    }
}

impl ImageInfo {
    /// One rendition: its type (1 original, 2 large, 3 thumbnail), size in bytes, width
    /// and height in pixels, and download URL.
    pub fn new(kind: u32, size: u64, width: u64, height: u64, url: impl Into<String>) -> Self {
        Self {
            kind: Some(kind),
            size: Some(size),
            width: Some(width),
            height: Some(height),
            url: Some(url.into()),
        }
    }
}

impl FileElem {
    /// A file downloadable from `url`: its size in bytes and its name. `Download_Flag` is
    /// set to `2` (download from `Url`); `UUID` stays unset.
    pub fn new(url: impl Into<String>, file_size: u64, file_name: impl Into<String>) -> Self {
        Self {
            url: Some(url.into()),
            file_size: Some(file_size),
            file_name: Some(file_name.into()),
            download_flag: Some(2),
            ..Self::default()
        }
    }
}

impl VideoFileElem {
    /// A video downloadable from `video_url` with its thumbnail at `thumb_url`; both
    /// download flags are set to `2` (download from the URL). Set the sizes, duration and
    /// formats on the returned value's fields.
    pub fn new(video_url: impl Into<String>, thumb_url: impl Into<String>) -> Self {
        Self {
            video_url: Some(video_url.into()),
            video_download_flag: Some(2),
            thumb_url: Some(thumb_url.into()),
            thumb_download_flag: Some(2),
            ..Self::default()
        }
    }
}

impl RelayElem {
    /// A merged-forward message titled `title` holding `msg_list` (`MsgNum` is set to
    /// its length).
    pub fn new(title: impl Into<String>, msg_list: Vec<RelayedMsg>) -> Self {
        Self {
            title: Some(title.into()),
            msg_num: Some(msg_list.len() as u64),
            msg_list: Some(msg_list),
            ..Self::default()
        }
    }
}

impl RelayedMsg {
    /// A forwarded message sent by `from_account` with this body.
    pub fn new(from_account: impl Into<String>, msg_body: Vec<MsgElement>) -> Self {
        Self {
            from_account: Some(from_account.into()),
            msg_body: Some(msg_body),
            ..Self::default()
        }
    }
}

/// One element of a message body: a `MsgType` with its `MsgContent`.
///
/// Serialized as `{"MsgType": "TIM...Elem", "MsgContent": {...}}`.
///
/// `MsgContent` is read as a [`Value`] (in either key order), then decoded into the
/// struct of its `MsgType` with that struct's derived `Deserialize`. Decoding does not fail
/// because of what `MsgContent` holds: content of a known `MsgType` that does not decode
/// into its struct is kept as sent as [`MsgElement::Invalid`], and a `MsgType` this crate
/// does not know as [`MsgElement::Unknown`]. Content that decodes is written back from its
/// struct (fields this crate does not know are dropped); kept content is written back as
/// sent.
///
/// Only an element that is not an object, a `MsgType` that is not a string, or a repeated
/// `MsgType` or `MsgContent` fails, as does input nested beyond the deserializer's recursion
/// limit (128 levels for `serde_json`). Inside forwarded messages all of it is content: an
/// element that is not an object or whose `MsgType` is not a string keeps the relay that
/// holds it as [`MsgElement::Invalid`], and of a repeated key the buffered `Value` keeps
/// the last.
///
/// Elements decode through any self-describing deserializer, including the buffering ones
/// behind `#[serde(flatten)]` and `#[serde(untagged)]`:
///
/// ```
/// use actix_tim_callback::model::MsgElement;
/// use serde::Deserialize;
///
/// #[derive(Debug, PartialEq, Deserialize)]
/// #[serde(untagged)]
/// enum Part {
///     Element(MsgElement),
///     Note(String),
/// }
///
/// let parts: Vec<Part> = serde_json::from_str(
///     r#"[{"MsgType": "TIMTextElem", "MsgContent": {"Text": "hi"}}, "a note"]"#,
/// )?;
/// assert_eq!(parts[0], Part::Element(MsgElement::text("hi")));
/// # Ok::<(), serde_json::Error>(())
/// ```
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
    /// A known `MsgType` whose content did not match the documented shape (e.g. a number
    /// where a string is documented), kept as sent instead of failing the callback.
    ///
    /// Also produced for a `TIMRelayElem` whose forwarded messages hold an element of the
    /// wrong shape (not an object, or a `MsgType` that is not a string): the whole relay
    /// content is kept. Serializing writes `msg_type` and `content` back
    /// verbatim.
    Invalid {
        /// The `MsgType` as received, e.g. `TIMTextElem`.
        msg_type: String,
        /// The `MsgContent` as received.
        content: Value,
    },
}

impl MsgElement {
    /// A text element (`TIMTextElem`).
    pub fn text(text: impl Into<String>) -> Self {
        MsgElement::Text(TextElem::new(text))
    }

    /// A custom element (`TIMCustomElem`) with its data, description (offline push text)
    /// and extension (offline push extension). Build a [`CustomElem`] to leave parts out
    /// or to set the push sound.
    pub fn custom(
        data: impl Into<String>,
        desc: impl Into<String>,
        ext: impl Into<String>,
    ) -> Self {
        MsgElement::Custom(CustomElem::new(data).desc(desc).ext(ext))
    }

    /// A face element (`TIMFaceElem`) with its index and data.
    pub fn face(index: i64, data: impl Into<String>) -> Self {
        MsgElement::Face(FaceElem::new(index, data))
    }

    /// A location element (`TIMLocationElem`): description, latitude and longitude.
    pub fn location(desc: impl Into<String>, latitude: f64, longitude: f64) -> Self {
        MsgElement::Location(LocationElem::new(desc, latitude, longitude))
    }

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
            MsgElement::Unknown { msg_type, .. } | MsgElement::Invalid { msg_type, .. } => msg_type,
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
            MsgElement::Unknown { content, .. } | MsgElement::Invalid { content, .. } => {
                map.serialize_entry(MSG_CONTENT, content)?
            }
        }
        map.end()
    }
}
