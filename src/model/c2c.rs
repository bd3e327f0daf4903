//! One-to-one (C2C) message callbacks: before and after a message is sent, read reports
//! and receipts, recalls, changes and message extensions.

use serde::{Deserialize, Serialize};

use super::{CallbackEvent, MsgElement, MsgExtension};

/// `C2C.CallbackBeforeSendMsg`: a one-to-one message is about to be delivered.
///
/// A before-callback: answer with a `crate::BeforeSendReply` to let the message through,
/// refuse it, drop it silently, or replace its `MsgBody` / `CloudCustomData`.
/// [Tencent's page](https://www.tencentcloud.com/document/product/1047/34364)
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct C2cBeforeSendMsg {
    /// `CallbackCommand`: `C2C.CallbackBeforeSendMsg`.
    #[serde(
        rename = "CallbackCommand",
        default,
        skip_serializing_if = "String::is_empty"
    )]
    pub callback_command: String,
    /// `From_Account`: the sender.
    #[serde(rename = "From_Account")]
    pub from_account: String,
    /// `To_Account`: the recipient.
    #[serde(rename = "To_Account")]
    pub to_account: String,
    /// `MsgSeq`: the message's sequence number.
    #[serde(rename = "MsgSeq", default, skip_serializing_if = "Option::is_none")]
    pub msg_seq: Option<u64>,
    /// `MsgRandom`: the message's random number (unsigned 32-bit).
    #[serde(rename = "MsgRandom", default, skip_serializing_if = "Option::is_none")]
    pub msg_random: Option<u32>,
    /// `MsgTime`: when the message was sent, in Unix seconds.
    #[serde(rename = "MsgTime", default, skip_serializing_if = "Option::is_none")]
    pub msg_time: Option<u64>,
    /// `MsgKey`: the message's unique key, used to recall it through the REST API.
    #[serde(rename = "MsgKey", default, skip_serializing_if = "Option::is_none")]
    pub msg_key: Option<String>,
    /// `MsgId`: the message's ID on the client (on newer pages only).
    #[serde(rename = "MsgId", default, skip_serializing_if = "Option::is_none")]
    pub msg_id: Option<String>,
    /// `OnlineOnlyFlag`: `1` for an online-only message, else `0`.
    #[serde(
        rename = "OnlineOnlyFlag",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub online_only_flag: Option<u32>,
    /// `MsgBody`: the message's elements.
    #[serde(rename = "MsgBody", default)]
    pub msg_body: Vec<MsgElement>,
    /// `CloudCustomData`: the message's custom data.
    #[serde(
        rename = "CloudCustomData",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub cloud_custom_data: Option<String>,
    /// `EventTime`: when the event happened, in Unix milliseconds (a number or a string on
    /// the wire; not in Tencent's sample).
    #[serde(
        rename = "EventTime",
        default,
        with = "crate::model::serde_helpers::event_time",
        skip_serializing_if = "Option::is_none"
    )]
    pub event_time: Option<u64>,
}

impl CallbackEvent for C2cBeforeSendMsg {
    const COMMAND: &'static str = "C2C.CallbackBeforeSendMsg";
}

impl C2cBeforeSendMsg {
    /// Whether the message is online-only (`OnlineOnlyFlag` is `1`).
    pub fn is_online_only(&self) -> bool {
        self.online_only_flag == Some(1)
    }
}

/// `C2C.CallbackAfterSendMsg`: a one-to-one message was sent, or failed to be (then
/// `SendMsgResult` is the error code; e.g. a dirty-word filter hit).
///
/// An after-callback: Tencent only checks that the reply is OK. `SendMsgResult` and
/// `ErrorInfo` belong to the request, not to the reply.
/// [Tencent's page](https://www.tencentcloud.com/document/product/1047/34365)
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct C2cAfterSendMsg {
    /// `CallbackCommand`: `C2C.CallbackAfterSendMsg`.
    #[serde(
        rename = "CallbackCommand",
        default,
        skip_serializing_if = "String::is_empty"
    )]
    pub callback_command: String,
    /// `From_Account`: the sender.
    #[serde(rename = "From_Account")]
    pub from_account: String,
    /// `To_Account`: the recipient.
    #[serde(rename = "To_Account")]
    pub to_account: String,
    /// `MsgSeq`: the message's sequence number.
    #[serde(rename = "MsgSeq", default, skip_serializing_if = "Option::is_none")]
    pub msg_seq: Option<u64>,
    /// `MsgRandom`: the message's random number (unsigned 32-bit).
    #[serde(rename = "MsgRandom", default, skip_serializing_if = "Option::is_none")]
    pub msg_random: Option<u32>,
    /// `MsgTime`: when the message was sent, in Unix seconds.
    #[serde(rename = "MsgTime", default, skip_serializing_if = "Option::is_none")]
    pub msg_time: Option<u64>,
    /// `MsgKey`: the message's unique key, used to recall it through the REST API.
    #[serde(rename = "MsgKey", default, skip_serializing_if = "Option::is_none")]
    pub msg_key: Option<String>,
    /// `MsgId`: the message's ID on the client (on newer pages only).
    #[serde(rename = "MsgId", default, skip_serializing_if = "Option::is_none")]
    pub msg_id: Option<String>,
    /// `OnlineOnlyFlag`: `1` for an online-only message, else `0`.
    #[serde(
        rename = "OnlineOnlyFlag",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub online_only_flag: Option<u32>,
    /// `SendMsgResult`: `0` when the message was delivered, else Tencent's error code.
    #[serde(
        rename = "SendMsgResult",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub send_msg_result: Option<i64>,
    /// `ErrorInfo`: `send msg succeed`, or why delivery failed.
    #[serde(rename = "ErrorInfo", default, skip_serializing_if = "Option::is_none")]
    pub error_info: Option<String>,
    /// `UnreadMsgNum`: how many one-to-one messages the recipient has not read (all
    /// conversations); `-1` when delivery failed.
    #[serde(
        rename = "UnreadMsgNum",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub unread_msg_num: Option<i64>,
    /// `MsgBody`: the message's elements.
    #[serde(rename = "MsgBody", default)]
    pub msg_body: Vec<MsgElement>,
    /// `CloudCustomData`: the message's custom data.
    #[serde(
        rename = "CloudCustomData",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub cloud_custom_data: Option<String>,
    /// `EventTime`: when the event happened, in Unix milliseconds (a number or a string on
    /// the wire; not in Tencent's sample).
    #[serde(
        rename = "EventTime",
        default,
        with = "crate::model::serde_helpers::event_time",
        skip_serializing_if = "Option::is_none"
    )]
    pub event_time: Option<u64>,
}

impl CallbackEvent for C2cAfterSendMsg {
    const COMMAND: &'static str = "C2C.CallbackAfterSendMsg";
}

impl C2cAfterSendMsg {
    /// Whether the message is online-only (`OnlineOnlyFlag` is `1`).
    pub fn is_online_only(&self) -> bool {
        self.online_only_flag == Some(1)
    }

    /// Whether the message was delivered (`SendMsgResult` is `0`).
    pub fn is_delivered(&self) -> bool {
        self.send_msg_result == Some(0)
    }
}

/// `C2C.CallbackAfterMsgReport`: a user reported one-to-one messages as read.
///
/// An after-callback: Tencent only checks that the reply is OK.
/// [Tencent's page](https://www.tencentcloud.com/document/product/1047/43465)
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct C2cAfterMsgReport {
    /// `CallbackCommand`: `C2C.CallbackAfterMsgReport`.
    #[serde(
        rename = "CallbackCommand",
        default,
        skip_serializing_if = "String::is_empty"
    )]
    pub callback_command: String,
    /// `Report_Account`: the user who read the messages.
    #[serde(rename = "Report_Account")]
    pub report_account: String,
    /// `Peer_Account`: the other user of the conversation.
    #[serde(rename = "Peer_Account")]
    pub peer_account: String,
    /// `LastReadTime`: the time up to which messages are read, in Unix seconds.
    #[serde(
        rename = "LastReadTime",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub last_read_time: Option<u64>,
    /// `UnreadMsgNum`: how many one-to-one messages `Report_Account` has still not read
    /// (older pages only; newer ones dropped it).
    #[serde(
        rename = "UnreadMsgNum",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub unread_msg_num: Option<i64>,
    /// `EventTime`: when the event happened, in Unix milliseconds (a number or a string on
    /// the wire).
    #[serde(
        rename = "EventTime",
        default,
        with = "crate::model::serde_helpers::event_time",
        skip_serializing_if = "Option::is_none"
    )]
    pub event_time: Option<u64>,
}

impl CallbackEvent for C2cAfterMsgReport {
    const COMMAND: &'static str = "C2C.CallbackAfterMsgReport";
}

/// `C2C.CallbackAfterMsgWithDraw`: a one-to-one message was recalled.
///
/// An after-callback: Tencent only checks that the reply is OK.
/// [Tencent's page](https://www.tencentcloud.com/document/product/1047/43466)
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct C2cAfterMsgWithdraw {
    /// `CallbackCommand`: `C2C.CallbackAfterMsgWithDraw`.
    #[serde(
        rename = "CallbackCommand",
        default,
        skip_serializing_if = "String::is_empty"
    )]
    pub callback_command: String,
    /// `From_Account`: the sender of the recalled message.
    #[serde(rename = "From_Account")]
    pub from_account: String,
    /// `To_Account`: the recipient of the recalled message.
    #[serde(rename = "To_Account")]
    pub to_account: String,
    /// `MsgKey`: the recalled message's unique key.
    #[serde(rename = "MsgKey", default, skip_serializing_if = "Option::is_none")]
    pub msg_key: Option<String>,
    /// `UnreadMsgNum`: how many one-to-one messages `To_Account` has not read (older pages
    /// only; newer ones dropped it).
    #[serde(
        rename = "UnreadMsgNum",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub unread_msg_num: Option<i64>,
    /// `EventTime`: when the event happened, in Unix milliseconds (a number or a string on
    /// the wire).
    #[serde(
        rename = "EventTime",
        default,
        with = "crate::model::serde_helpers::event_time",
        skip_serializing_if = "Option::is_none"
    )]
    pub event_time: Option<u64>,
}

impl CallbackEvent for C2cAfterMsgWithdraw {
    const COMMAND: &'static str = "C2C.CallbackAfterMsgWithDraw";
}

/// `C2C.CallbackAfterC2CMsgExtension`: the extensions (key-value pairs) of a one-to-one
/// message were set or deleted.
///
/// An after-callback: Tencent only checks that the reply is OK.
/// [Tencent's page](https://www.tencentcloud.com/document/product/1047/76006)
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AfterC2cMsgExtension {
    /// `CallbackCommand`: `C2C.CallbackAfterC2CMsgExtension`.
    #[serde(
        rename = "CallbackCommand",
        default,
        skip_serializing_if = "String::is_empty"
    )]
    pub callback_command: String,
    /// `From_Account`: the user who changed the extensions.
    #[serde(rename = "From_Account")]
    pub from_account: String,
    /// `To_Account`: the other user of the conversation.
    #[serde(rename = "To_Account")]
    pub to_account: String,
    /// `MsgKey`: the key of the message whose extensions changed.
    #[serde(rename = "MsgKey", default, skip_serializing_if = "Option::is_none")]
    pub msg_key: Option<String>,
    /// `OperateType`: `1` when extensions were set, `2` when they were deleted.
    #[serde(
        rename = "OperateType",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub operate_type: Option<u32>,
    /// `ExtensionList`: the extensions that changed.
    #[serde(rename = "ExtensionList", default)]
    pub extension_list: Vec<MsgExtension>,
    /// `Seq`: the message's extension version after the change.
    #[serde(rename = "Seq", default, skip_serializing_if = "Option::is_none")]
    pub seq: Option<u64>,
    /// `EventTime`: when the event happened, in Unix milliseconds (a number or a string on
    /// the wire).
    #[serde(
        rename = "EventTime",
        default,
        with = "crate::model::serde_helpers::event_time",
        skip_serializing_if = "Option::is_none"
    )]
    pub event_time: Option<u64>,
}

impl CallbackEvent for AfterC2cMsgExtension {
    const COMMAND: &'static str = "C2C.CallbackAfterC2CMsgExtension";
}

/// `C2C.CallbackAfterMsgReadReceipt`: a user sent read receipts for one-to-one messages.
///
/// An after-callback: Tencent only checks that the reply is OK.
/// [Tencent's page](https://cloud.tencent.com/document/product/269/128223)
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct C2cAfterMsgReadReceipt {
    /// `CallbackCommand`: `C2C.CallbackAfterMsgReadReceipt`.
    #[serde(
        rename = "CallbackCommand",
        default,
        skip_serializing_if = "String::is_empty"
    )]
    pub callback_command: String,
    /// `Operator_Account`: the user who read the messages.
    #[serde(rename = "Operator_Account")]
    pub operator_account: String,
    /// `Peer_Account`: the other user of the conversation.
    #[serde(rename = "Peer_Account")]
    pub peer_account: String,
    /// `C2CMsgInfo`: the messages read.
    #[serde(rename = "C2CMsgInfo", default)]
    pub c2c_msg_info: Vec<C2cMsgInfo>,
    /// `EventTime`: when the event happened, in Unix milliseconds (a number or a string on
    /// the wire).
    #[serde(
        rename = "EventTime",
        default,
        with = "crate::model::serde_helpers::event_time",
        skip_serializing_if = "Option::is_none"
    )]
    pub event_time: Option<u64>,
}

impl CallbackEvent for C2cAfterMsgReadReceipt {
    const COMMAND: &'static str = "C2C.CallbackAfterMsgReadReceipt";
}

/// One message of a read receipt, an item of [`C2cAfterMsgReadReceipt::c2c_msg_info`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct C2cMsgInfo {
    /// `From_Account`: the message's sender.
    #[serde(
        rename = "From_Account",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub from_account: Option<String>,
    /// `To_Account`: the message's recipient.
    #[serde(
        rename = "To_Account",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub to_account: Option<String>,
    /// `MsgKey`: the message's unique key.
    #[serde(rename = "MsgKey", default, skip_serializing_if = "Option::is_none")]
    pub msg_key: Option<String>,
    /// `MsgId`: the message's ID on the client.
    #[serde(rename = "MsgId", default, skip_serializing_if = "Option::is_none")]
    pub msg_id: Option<String>,
}

/// `C2C.CallbackAfterModifyMsg`: a one-to-one message was changed after it was sent.
///
/// An after-callback: Tencent only checks that the reply is OK.
/// [Tencent's page](https://cloud.tencent.com/document/product/269/128224)
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct C2cAfterModifyMsg {
    /// `CallbackCommand`: `C2C.CallbackAfterModifyMsg`.
    #[serde(
        rename = "CallbackCommand",
        default,
        skip_serializing_if = "String::is_empty"
    )]
    pub callback_command: String,
    /// `Operator_Account`: who changed the message.
    #[serde(
        rename = "Operator_Account",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub operator_account: Option<String>,
    /// `From_Account`: the message's sender.
    #[serde(rename = "From_Account")]
    pub from_account: String,
    /// `To_Account`: the message's recipient.
    #[serde(rename = "To_Account")]
    pub to_account: String,
    /// `MsgSeq`: the message's sequence number.
    #[serde(rename = "MsgSeq", default, skip_serializing_if = "Option::is_none")]
    pub msg_seq: Option<u64>,
    /// `MsgRandom`: the message's random number (unsigned 32-bit).
    #[serde(rename = "MsgRandom", default, skip_serializing_if = "Option::is_none")]
    pub msg_random: Option<u32>,
    /// `MsgTime`: when the message was sent, in Unix seconds.
    #[serde(rename = "MsgTime", default, skip_serializing_if = "Option::is_none")]
    pub msg_time: Option<u64>,
    /// `MsgKey`: the message's unique key.
    #[serde(rename = "MsgKey", default, skip_serializing_if = "Option::is_none")]
    pub msg_key: Option<String>,
    /// `MsgId`: the message's ID on the client (not in Tencent's sample).
    #[serde(rename = "MsgId", default, skip_serializing_if = "Option::is_none")]
    pub msg_id: Option<String>,
    /// `MsgBody`: the message's elements after the change.
    #[serde(rename = "MsgBody", default)]
    pub msg_body: Vec<MsgElement>,
    /// `CloudCustomData`: the message's custom data after the change.
    #[serde(
        rename = "CloudCustomData",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub cloud_custom_data: Option<String>,
    /// `EventTime`: when the event happened, in Unix milliseconds (a number or a string on
    /// the wire).
    #[serde(
        rename = "EventTime",
        default,
        with = "crate::model::serde_helpers::event_time",
        skip_serializing_if = "Option::is_none"
    )]
    pub event_time: Option<u64>,
}

impl CallbackEvent for C2cAfterModifyMsg {
    const COMMAND: &'static str = "C2C.CallbackAfterModifyMsg";
}

/// `C2C.CallbackAfterMsgReadAll`: a user marked all messages as read. Despite the `C2C`
/// prefix it covers groups too: `GroupReadInfo` lists the groups read up to which
/// message.
///
/// An after-callback: Tencent only checks that the reply is OK.
/// [Tencent's page](https://cloud.tencent.com/document/product/269/128225)
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct C2cAfterMsgReadAll {
    /// `CallbackCommand`: `C2C.CallbackAfterMsgReadAll`.
    #[serde(
        rename = "CallbackCommand",
        default,
        skip_serializing_if = "String::is_empty"
    )]
    pub callback_command: String,
    /// `Report_Account`: the user who marked everything read.
    #[serde(rename = "Report_Account")]
    pub report_account: String,
    /// `GroupReadInfo`: the groups read, each with the last message read.
    #[serde(rename = "GroupReadInfo", default)]
    pub group_read_info: Vec<GroupReadInfo>,
    /// `EventTime`: when the event happened, in Unix milliseconds (a number or a string on
    /// the wire).
    #[serde(
        rename = "EventTime",
        default,
        with = "crate::model::serde_helpers::event_time",
        skip_serializing_if = "Option::is_none"
    )]
    pub event_time: Option<u64>,
}

impl CallbackEvent for C2cAfterMsgReadAll {
    const COMMAND: &'static str = "C2C.CallbackAfterMsgReadAll";
}

/// One group marked read, an item of [`C2cAfterMsgReadAll::group_read_info`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct GroupReadInfo {
    /// `GroupId`: the group.
    #[serde(rename = "GroupId")]
    pub group_id: String,
    /// `MsgSeq`: the sequence number of the last message read.
    #[serde(rename = "MsgSeq", default, skip_serializing_if = "Option::is_none")]
    pub msg_seq: Option<u64>,
}
