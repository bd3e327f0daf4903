//! `Live.*`: the room callbacks of the live-streaming product (TUILiveKit).

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::serde_helpers::{string_enum, NumberOrString};

/// `Live.CallbackAfterCreateRoom`: a live room was created (by a client or the REST API).
///
/// An after-callback: Tencent only checks that the reply is OK.
/// [Tencent's page](https://www.tencentcloud.com/document/product/647/64422)
#[serde_with::serde_as]
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct AfterCreateRoom {
    /// `CallbackCommand`: `Live.CallbackAfterCreateRoom`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub callback_command: String,
    /// `Operator_Account`: the UserID of who created the room.
    #[serde(rename = "Operator_Account")]
    pub operator_account: Option<String>,
    /// `RoomInfo`: the new room.
    pub room_info: RoomInfo,
    /// `EventTime`: when the room was created, in Unix milliseconds (not in the page's
    /// sample; a number or a string).
    #[serde_as(as = "Option<NumberOrString>")]
    pub event_time: Option<u64>,
}

/// A live room, as `Live.CallbackAfterCreateRoom` describes it (`RoomInfo`).
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct RoomInfo {
    /// `RoomId`.
    pub room_id: String,
    /// `RoomName`.
    pub room_name: Option<String>,
    /// `RoomType`: `Live` in the page's sample (its table says `Meeting`).
    pub room_type: Option<String>,
    /// `Owner_Account`: the host's UserID.
    #[serde(rename = "Owner_Account")]
    pub owner_account: Option<String>,
    /// `MaxMemberCount`: the most members the room takes.
    pub max_member_count: Option<u64>,
    /// `IsMessageDisabled`: whether members may not send text messages.
    pub is_message_disabled: Option<bool>,
    /// `CustomInfo`: the app's custom data.
    pub custom_info: Option<String>,
    /// `IsSeatEnabled`: whether the room has seats (co-hosting).
    pub is_seat_enabled: Option<bool>,
    /// `TakeSeatMode`: `None`, `FreeToTake` or `ApplyToTake`.
    pub take_seat_mode: Option<String>,
    /// `MaxSeatCount`: how many seats the room has.
    pub max_seat_count: Option<u64>,
    /// `CreateTime`: when the room was created (the page says a scheduled start time), in
    /// Unix seconds.
    pub create_time: Option<u64>,
    /// `IsPublicVisible`: whether the room is listed publicly.
    pub is_public_visible: Option<bool>,
    /// `CoverURL`: the room's cover image.
    #[serde(rename = "CoverURL")]
    pub cover_url: Option<String>,
    /// `Category`: the app's tags of the room. The page types it only as an array (its
    /// sample sends integers, the create-room API names categories like "Game"), so each
    /// item is kept as sent.
    #[serde(default)]
    pub category: Vec<Value>,
}

/// `Live.CallbackAfterDestroyRoom`: a live room was dissolved.
///
/// An after-callback: Tencent only checks that the reply is OK.
/// [Tencent's page](https://www.tencentcloud.com/document/product/647/64423)
#[serde_with::serde_as]
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct AfterDestroyRoom {
    /// `CallbackCommand`: `Live.CallbackAfterDestroyRoom`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub callback_command: String,
    /// `Operator_Account`: the UserID of who dissolved the room.
    #[serde(rename = "Operator_Account")]
    pub operator_account: Option<String>,
    /// `RoomId`: the room.
    pub room_id: String,
    /// `EventType`: whether a user dissolved the room or the system did (the room was
    /// empty).
    pub event_type: Option<DestroyType>,
    /// `EventTime`: when the room was dissolved, in Unix milliseconds (a number or a
    /// string).
    #[serde_as(as = "Option<NumberOrString>")]
    pub event_time: Option<u64>,
}

/// Who dissolved a live room (`EventType` of `Live.CallbackAfterDestroyRoom`).
#[derive(
    Debug, Clone, PartialEq, Eq, Hash, serde_with::DeserializeFromStr, serde_with::SerializeDisplay,
)]
#[non_exhaustive]
pub enum DestroyType {
    /// `DestroyByUser`: a user (or the REST API) dissolved it.
    ByUser,
    /// `DestroyBySystem`: the system dissolved it once nobody was in it.
    BySystem,
    /// A value this crate does not know, kept as sent.
    Other(String),
}

string_enum!(DestroyType {
    ByUser => "DestroyByUser",
    BySystem => "DestroyBySystem",
});
