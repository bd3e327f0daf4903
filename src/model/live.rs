//! `Live.*`: the room callbacks of the live-streaming product (TUILiveKit).

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::serde_helpers::{string_enum, NumberOrString, StringOrNumber};

/// `Live.CallbackAfterCreateRoom`: a live room was created (by a client or the REST API).
///
/// An after-callback: Tencent only checks that the reply is OK.
/// [Tencent's page](https://www.tencentcloud.com/document/product/647/64422)
#[serde_with::serde_as]
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
    /// `EventTime`: when the room was created, in Unix milliseconds (not in the
    /// international page's sample; a number or a string). One Chinese version of the page
    /// prints it inside `RoomInfo` instead: see [`RoomInfo::event_time`].
    #[serde_as(as = "Option<NumberOrString>")]
    pub event_time: Option<u64>,
}

/// A live room (`RoomInfo`), as `Live.CallbackAfterCreateRoom` describes it when the room is
/// created and, in the newer versions of its page, `Live.CallbackAfterDestroyRoom` when it
/// is dissolved.
#[serde_with::serde_as]
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct RoomInfo {
    /// `RoomId`: the room. `Live.CallbackAfterCreateRoom` always sends it; the sample of
    /// `Live.CallbackAfterDestroyRoom`'s pages leaves it out of `RoomInfo` (the room is the
    /// event's own `RoomId`), so it is empty when absent and not written back when empty.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub room_id: String,
    /// `RoomName`.
    pub room_name: Option<String>,
    /// `RoomType`: `Live` in the page's sample (its table says `Meeting`).
    pub room_type: Option<String>,
    /// `Owner_Account`: the host's UserID. The pages' tables type it as a string and the
    /// create-room sample sends one, but the destroy-room sample of the newer pages (Chinese
    /// and international) prints a bare number (`144115216631667826`): both are read, the
    /// number as its decimal digits, and it is written back as a string.
    #[serde(rename = "Owner_Account")]
    #[serde_as(as = "Option<StringOrNumber>")]
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
    /// `ActivityStatus`: the room's activity status, a tag the app defines. Printed only by
    /// the newer destroy-room pages (Chinese: cloud.tencent.com/document/product/269/117712
    /// and product/647/110524; international: trtc.io/document/64423).
    pub activity_status: Option<i64>,
    /// `ViewCount`: how many times users entered the room (the same user entering again
    /// counts again). Printed by the same destroy-room pages as
    /// [`activity_status`](Self::activity_status).
    pub view_count: Option<u64>,
    /// `BackgroundURL`: the room's background image. Printed by the same destroy-room
    /// pages as [`activity_status`](Self::activity_status).
    #[serde(rename = "BackgroundURL")]
    pub background_url: Option<String>,
    /// `IsUnlimitedRoomEnabled`: whether the room mixes streams for high concurrency
    /// (`true` for rooms of the SDK's TUILiveKit; `false` by default). Printed by the same
    /// destroy-room pages as [`activity_status`](Self::activity_status).
    pub is_unlimited_room_enabled: Option<bool>,
    /// `EventTime`: when the room was created, in Unix milliseconds (a number or a string).
    /// Only one version of the Chinese create-room page prints it here, inside `RoomInfo`
    /// (cloud.tencent.com/document/product/647/110679); the others print it at the top of
    /// the body ([`AfterCreateRoom::event_time`]).
    #[serde_as(as = "Option<NumberOrString>")]
    pub event_time: Option<u64>,
}

/// `Live.CallbackAfterDestroyRoom`: a live room was dissolved.
///
/// An after-callback: Tencent only checks that the reply is OK.
/// [Tencent's page](https://www.tencentcloud.com/document/product/647/64423); the
/// [Chinese page](https://cloud.tencent.com/document/product/269/117712) and the newer
/// versions of both also print the room as it was ([`room_info`](Self::room_info)) and,
/// in the newest, its statistics ([`statistic`](Self::statistic)).
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
    /// `RoomInfo`: the room as it was when it was dissolved. Printed by the Chinese pages
    /// (cloud.tencent.com/document/product/269/117712; product/647/110524, updated
    /// 2025-11-10) and the international page of November 2025 (trtc.io/document/64423);
    /// absent from the older versions (e.g. product/647/110680, updated 2024-09-14). Its
    /// sample has no `RoomId` or `CreateTime` inside.
    pub room_info: Option<RoomInfo>,
    /// `Statistic`: what happened in the room over its life. Printed by the newest pages
    /// (trtc.io/document/64423, November 2025; tencentcloud.com/zh/document/product/1071/78184,
    /// March 2026), not by the earlier ones that already print `RoomInfo`.
    pub statistic: Option<RoomStatistic>,
}

/// A dissolved live room's statistics (`Statistic` of `Live.CallbackAfterDestroyRoom`), as
/// the newest versions of its page print them. Every count is over the room's whole life.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct RoomStatistic {
    /// `TotalViewers`: room entries, the same user entering again counting again.
    pub total_viewers: Option<u64>,
    /// `TotalGiftsSent`: gifts sent in the room.
    pub total_gifts_sent: Option<u64>,
    /// `TotalGiftCoins`: the value of those gifts, in the app's gift coins.
    pub total_gift_coins: Option<u64>,
    /// `TotalUniqueGiftSenders`: how many users sent gifts (each counted once).
    pub total_unique_gift_senders: Option<u64>,
    /// `TotalLikesReceived`: likes the room received.
    pub total_likes_received: Option<u64>,
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
