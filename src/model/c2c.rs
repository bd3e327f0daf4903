//! One-to-one (C2C) message callbacks: before and after a message is sent, read reports
//! and receipts, recalls, changes and message extensions.

use serde::{Deserialize, Serialize};

use super::serde_helpers::NumberOrString;
use super::{MsgElement, MsgExtension};

/// `C2C.CallbackBeforeSendMsg`: a one-to-one message is about to be delivered.
///
/// A before-callback: answer with a `crate::reply::BeforeSendReply<C2cCodes>` to let the message through,
/// refuse it, drop it silently, or replace its `MsgBody` / `CloudCustomData`.
/// [Tencent's page](https://www.tencentcloud.com/document/product/1047/34364)
#[serde_with::serde_as]
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct BeforeSendMsg {
    /// `CallbackCommand`: `C2C.CallbackBeforeSendMsg`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub callback_command: String,
    /// `From_Account`: the sender.
    #[serde(rename = "From_Account")]
    pub from_account: String,
    /// `To_Account`: the recipient.
    #[serde(rename = "To_Account")]
    pub to_account: String,
    /// `MsgSeq`: the message's sequence number.
    pub msg_seq: Option<u64>,
    /// `MsgRandom`: the message's random number (unsigned 32-bit).
    pub msg_random: Option<u32>,
    /// `MsgTime`: when the message was sent, in Unix seconds.
    pub msg_time: Option<u64>,
    /// `MsgKey`: the message's unique key, used to recall it through the REST API.
    pub msg_key: Option<String>,
    /// `MsgId`: the message's ID on the client (on newer pages only).
    pub msg_id: Option<String>,
    /// `OnlineOnlyFlag`: `1` for an online-only message, else `0`.
    pub online_only_flag: Option<u32>,
    /// `MsgBody`: the message's elements.
    #[serde(default)]
    pub msg_body: Vec<MsgElement>,
    /// `CloudCustomData`: the message's custom data.
    pub cloud_custom_data: Option<String>,
    /// `EventTime`: when the event happened, in Unix milliseconds (a number or a string on
    /// the wire; not in Tencent's sample).
    #[serde_as(as = "Option<NumberOrString>")]
    pub event_time: Option<u64>,
}

impl BeforeSendMsg {
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
#[serde_with::serde_as]
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct AfterSendMsg {
    /// `CallbackCommand`: `C2C.CallbackAfterSendMsg`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub callback_command: String,
    /// `From_Account`: the sender.
    #[serde(rename = "From_Account")]
    pub from_account: String,
    /// `To_Account`: the recipient.
    #[serde(rename = "To_Account")]
    pub to_account: String,
    /// `MsgSeq`: the message's sequence number.
    pub msg_seq: Option<u64>,
    /// `MsgRandom`: the message's random number (unsigned 32-bit).
    pub msg_random: Option<u32>,
    /// `MsgTime`: when the message was sent, in Unix seconds.
    pub msg_time: Option<u64>,
    /// `MsgKey`: the message's unique key, used to recall it through the REST API.
    pub msg_key: Option<String>,
    /// `MsgId`: the message's ID on the client (on newer pages only).
    pub msg_id: Option<String>,
    /// `OnlineOnlyFlag`: `1` for an online-only message, else `0`.
    pub online_only_flag: Option<u32>,
    /// `SendMsgResult`: `0` when the message was delivered, else Tencent's error code.
    pub send_msg_result: Option<i64>,
    /// `ErrorInfo`: `send msg succeed`, or why delivery failed.
    pub error_info: Option<String>,
    /// `UnreadMsgNum`: how many one-to-one messages the recipient has not read (all
    /// conversations); `-1` when delivery failed.
    pub unread_msg_num: Option<i64>,
    /// `MsgBody`: the message's elements.
    #[serde(default)]
    pub msg_body: Vec<MsgElement>,
    /// `CloudCustomData`: the message's custom data.
    pub cloud_custom_data: Option<String>,
    /// `EventTime`: when the event happened, in Unix milliseconds (a number or a string on
    /// the wire; not in Tencent's sample).
    #[serde_as(as = "Option<NumberOrString>")]
    pub event_time: Option<u64>,
}

impl AfterSendMsg {
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
#[serde_with::serde_as]
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct AfterMsgReport {
    /// `CallbackCommand`: `C2C.CallbackAfterMsgReport`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub callback_command: String,
    /// `Report_Account`: the user who read the messages.
    #[serde(rename = "Report_Account")]
    pub report_account: String,
    /// `Peer_Account`: the other user of the conversation.
    #[serde(rename = "Peer_Account")]
    pub peer_account: String,
    /// `LastReadTime`: the time up to which messages are read, in Unix seconds.
    pub last_read_time: Option<u64>,
    /// `UnreadMsgNum`: how many one-to-one messages `Report_Account` has still not read
    /// (older pages only; newer ones dropped it).
    pub unread_msg_num: Option<i64>,
    /// `EventTime`: when the event happened, in Unix milliseconds (a number or a string on
    /// the wire).
    #[serde_as(as = "Option<NumberOrString>")]
    pub event_time: Option<u64>,
}

/// `C2C.CallbackAfterMsgWithDraw`: a one-to-one message was recalled.
///
/// An after-callback: Tencent only checks that the reply is OK.
/// [Tencent's page](https://www.tencentcloud.com/document/product/1047/43466)
#[serde_with::serde_as]
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct AfterMsgWithDraw {
    /// `CallbackCommand`: `C2C.CallbackAfterMsgWithDraw`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub callback_command: String,
    /// `From_Account`: the sender of the recalled message.
    #[serde(rename = "From_Account")]
    pub from_account: String,
    /// `To_Account`: the recipient of the recalled message.
    #[serde(rename = "To_Account")]
    pub to_account: String,
    /// `MsgKey`: the recalled message's unique key.
    pub msg_key: Option<String>,
    /// `UnreadMsgNum`: how many one-to-one messages `To_Account` has not read (older pages
    /// only; newer ones dropped it).
    pub unread_msg_num: Option<i64>,
    /// `EventTime`: when the event happened, in Unix milliseconds (a number or a string on
    /// the wire).
    #[serde_as(as = "Option<NumberOrString>")]
    pub event_time: Option<u64>,
}

/// `C2C.CallbackAfterC2CMsgExtension`: the extensions (key-value pairs) of a one-to-one
/// message were set or deleted.
///
/// An after-callback: Tencent only checks that the reply is OK.
/// [Tencent's page](https://www.tencentcloud.com/document/product/1047/76006)
#[serde_with::serde_as]
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct AfterC2cMsgExtension {
    /// `CallbackCommand`: `C2C.CallbackAfterC2CMsgExtension`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub callback_command: String,
    /// `From_Account`: the user who changed the extensions.
    #[serde(rename = "From_Account")]
    pub from_account: String,
    /// `To_Account`: the other user of the conversation.
    #[serde(rename = "To_Account")]
    pub to_account: String,
    /// `MsgKey`: the key of the message whose extensions changed.
    pub msg_key: Option<String>,
    /// `OperateType`: `1` when extensions were set, `2` when they were deleted.
    pub operate_type: Option<u32>,
    /// `ExtensionList`: the extensions that changed.
    #[serde(default)]
    pub extension_list: Vec<MsgExtension>,
    /// `Seq`: the message's extension version after the change.
    pub seq: Option<u64>,
    /// `EventTime`: when the event happened, in Unix milliseconds (a number or a string on
    /// the wire).
    #[serde_as(as = "Option<NumberOrString>")]
    pub event_time: Option<u64>,
}

/// `C2C.CallbackAfterMsgReadReceipt`: a user sent read receipts for one-to-one messages.
///
/// An after-callback: Tencent only checks that the reply is OK.
/// [Tencent's page](https://cloud.tencent.com/document/product/269/128223)
#[serde_with::serde_as]
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct AfterMsgReadReceipt {
    /// `CallbackCommand`: `C2C.CallbackAfterMsgReadReceipt`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
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
    #[serde_as(as = "Option<NumberOrString>")]
    pub event_time: Option<u64>,
}

/// One message of a read receipt, an item of [`AfterMsgReadReceipt::c2c_msg_info`].
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct C2cMsgInfo {
    /// `From_Account`: the message's sender.
    #[serde(rename = "From_Account")]
    pub from_account: Option<String>,
    /// `To_Account`: the message's recipient.
    #[serde(rename = "To_Account")]
    pub to_account: Option<String>,
    /// `MsgKey`: the message's unique key.
    pub msg_key: Option<String>,
    /// `MsgId`: the message's ID on the client.
    pub msg_id: Option<String>,
}

/// `C2C.CallbackAfterModifyMsg`: a one-to-one message was changed after it was sent.
///
/// An after-callback: Tencent only checks that the reply is OK.
/// [Tencent's page](https://cloud.tencent.com/document/product/269/128224)
#[serde_with::serde_as]
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct AfterModifyMsg {
    /// `CallbackCommand`: `C2C.CallbackAfterModifyMsg`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub callback_command: String,
    /// `Operator_Account`: who changed the message.
    #[serde(rename = "Operator_Account")]
    pub operator_account: Option<String>,
    /// `From_Account`: the message's sender.
    #[serde(rename = "From_Account")]
    pub from_account: String,
    /// `To_Account`: the message's recipient.
    #[serde(rename = "To_Account")]
    pub to_account: String,
    /// `MsgSeq`: the message's sequence number.
    pub msg_seq: Option<u64>,
    /// `MsgRandom`: the message's random number (unsigned 32-bit).
    pub msg_random: Option<u32>,
    /// `MsgTime`: when the message was sent, in Unix seconds.
    pub msg_time: Option<u64>,
    /// `MsgKey`: the message's unique key.
    pub msg_key: Option<String>,
    /// `MsgId`: the message's ID on the client (not in Tencent's sample).
    pub msg_id: Option<String>,
    /// `MsgBody`: the message's elements after the change.
    #[serde(default)]
    pub msg_body: Vec<MsgElement>,
    /// `CloudCustomData`: the message's custom data after the change.
    pub cloud_custom_data: Option<String>,
    /// `EventTime`: when the event happened, in Unix milliseconds (a number or a string on
    /// the wire).
    #[serde_as(as = "Option<NumberOrString>")]
    pub event_time: Option<u64>,
}

/// `C2C.CallbackAfterMsgReadAll`: a user marked all messages as read. Despite the `C2C`
/// prefix it covers groups too: `GroupReadInfo` lists the groups read up to which
/// message.
///
/// An after-callback: Tencent only checks that the reply is OK.
/// [Tencent's page](https://cloud.tencent.com/document/product/269/128225)
#[serde_with::serde_as]
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct AfterMsgReadAll {
    /// `CallbackCommand`: `C2C.CallbackAfterMsgReadAll`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub callback_command: String,
    /// `Report_Account`: the user who marked everything read.
    #[serde(rename = "Report_Account")]
    pub report_account: String,
    /// `GroupReadInfo`: the groups read, each with the last message read.
    #[serde(default)]
    pub group_read_info: Vec<GroupReadInfo>,
    /// `EventTime`: when the event happened, in Unix milliseconds (a number or a string on
    /// the wire).
    #[serde_as(as = "Option<NumberOrString>")]
    pub event_time: Option<u64>,
}

/// One group marked read, an item of [`AfterMsgReadAll::group_read_info`].
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct GroupReadInfo {
    /// `GroupId`: the group.
    pub group_id: String,
    /// `MsgSeq`: the sequence number of the last message read.
    pub msg_seq: Option<u64>,
}
