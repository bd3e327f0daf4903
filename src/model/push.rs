//! Push result callbacks (`Push.*`). Both are batched: one body carries 1 to 100 events,
//! each with its own `CallbackCommand`, and their times are in **seconds**.

use serde::{Deserialize, Serialize};

use super::serde_helpers::NumberOrString;

/// `Push.OfflinePush`: results of offline pushes of one-to-one and group messages, in a
/// batch of 1 to 100 events.
///
/// An after-callback: Tencent only checks that the reply is OK. Capped at 1000 callbacks
/// per second by default; over the cap they are delayed and retried.
/// [Tencent's page](https://www.tencentcloud.com/document/product/1047/67552)
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct OfflinePush {
    /// `CallbackCommand`: not at the top of Tencent's body (each event carries it); kept
    /// if a body carries it.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub callback_command: String,
    /// `Events`: the push events of this batch.
    pub events: Vec<OfflinePushEvent>,
}

/// One push result of an [`OfflinePush`] batch.
#[serde_with::serde_as]
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct OfflinePushEvent {
    /// `CallbackCommand`: `Push.OfflinePush`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub callback_command: String,
    /// `EventType`: `1` for a one-to-one message, `2` for a group message.
    pub event_type: Option<u32>,
    /// `From_Account`: the message's sender.
    #[serde(rename = "From_Account")]
    pub from_account: Option<String>,
    /// `To_Account`: the user pushed to.
    #[serde(rename = "To_Account")]
    pub to_account: Option<String>,
    /// `PushPlatform`: the push vendor: `0` unknown, `1` Apple APNs, `2` Xiaomi, `3`
    /// Huawei, `4` Google FCM, `5` Meizu, `6` OPPO, `7` vivo, `8` Honor.
    pub push_platform: Option<u32>,
    /// `PushStage`: `1` sent, `2` delivered to the device, `3` clicked.
    pub push_stage: Option<u32>,
    /// `MsgKey`: the message's unique key (one-to-one messages only).
    pub msg_key: Option<String>,
    /// `GroupID`: the group (group messages only). Note the spelling: `GroupID`, not
    /// `GroupId`; both are read.
    #[serde(rename = "GroupID", alias = "GroupId")]
    pub group_id: Option<String>,
    /// `MsgSeq`: the message's sequence number.
    pub msg_seq: Option<u64>,
    /// `MsgRandom`: the message's random number (unsigned 32-bit).
    pub msg_random: Option<u32>,
    /// `MsgTime`: when the message was sent, in Unix seconds.
    pub msg_time: Option<u64>,
    /// `PushID`: the push's unique ID.
    #[serde(rename = "PushID")]
    pub push_id: Option<String>,
    /// `ErrCode`: `0` when the push step succeeded, else an error code.
    pub err_code: Option<i64>,
    /// `ErrInfo`: a description of the result; may be empty.
    pub err_info: Option<String>,
    /// `EventTime`: when the event happened, in Unix **seconds** (unlike the other
    /// callbacks' milliseconds; a number or a string on the wire).
    #[serde_as(as = "Option<NumberOrString>")]
    pub event_time: Option<u64>,
}

/// `Push.AllMemberPush`: results of pushes to all users, to tags or to single users, in a
/// batch of 1 to 100 events.
///
/// An after-callback: Tencent only checks that the reply is OK. Capped at 1000 callbacks
/// per second by default; over the cap they are delayed and retried.
/// [Tencent's page](https://www.tencentcloud.com/document/product/1047/67551)
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct AllMemberPush {
    /// `CallbackCommand`: not at the top of Tencent's body (each event carries it); kept
    /// if a body carries it.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub callback_command: String,
    /// `Events`: the push events of this batch.
    pub events: Vec<AllMemberPushEvent>,
}

/// One push result of an [`AllMemberPush`] batch.
#[serde_with::serde_as]
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct AllMemberPushEvent {
    /// `CallbackCommand`: `Push.AllMemberPush`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub callback_command: String,
    /// `EventType`: `1` for an offline push, `2` for an online push.
    pub event_type: Option<u32>,
    /// `TaskId`: the ID of the push task (returned when the push was sent).
    pub task_id: Option<String>,
    /// `TaskTime`: when the push task was started, in Unix seconds.
    pub task_time: Option<u64>,
    /// `To_Account`: the user pushed to.
    #[serde(rename = "To_Account")]
    pub to_account: Option<String>,
    /// `PushPlatform`: the push vendor: `0` unknown, `1` Apple APNs, `2` Xiaomi, `3`
    /// Huawei, `4` Google FCM, `5` Meizu, `6` OPPO, `7` vivo, `8` Honor.
    pub push_platform: Option<u32>,
    /// `PushStage`: `1` sent, `2` delivered to the device, `3` clicked.
    pub push_stage: Option<u32>,
    /// `ErrCode`: `0` when the push step succeeded, else an error code.
    pub err_code: Option<i64>,
    /// `ErrInfo`: a description of the result; may be empty.
    pub err_info: Option<String>,
    /// `EventTime`: when the event happened, in Unix **seconds** (unlike the other
    /// callbacks' milliseconds; a number or a string on the wire).
    #[serde_as(as = "Option<NumberOrString>")]
    pub event_time: Option<u64>,
}
