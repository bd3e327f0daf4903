//! `Bot.*`: messages sent to a bot.

use serde::{Deserialize, Serialize};

use super::serde_helpers::NumberOrString;
use super::{GroupType, MsgElement};

/// `Bot.OnC2CMessage`: a user sent a one-to-one message to a bot.
///
/// An after-callback: Tencent only checks that the reply is OK. `SendMsgResult` and
/// `ErrorInfo` belong to the request, not to the reply.
/// [Tencent's page](https://www.tencentcloud.com/document/product/1047/68952)
#[serde_with::serde_as]
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct OnC2cMessage {
    /// `CallbackCommand`: `Bot.OnC2CMessage`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub callback_command: String,
    /// `From_Account`: the sender.
    #[serde(rename = "From_Account")]
    pub from_account: String,
    /// `To_Account`: the bot.
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
    /// `MsgId`: the message's ID on the client (printed only by the Chinese page's sample,
    /// after `MsgKey`).
    pub msg_id: Option<String>,
    /// `OnlineOnlyFlag`: `1` for an online-only message, else `0`.
    pub online_only_flag: Option<u32>,
    /// `SendMsgResult`: `0` when the message was delivered, else Tencent's error code.
    pub send_msg_result: Option<i64>,
    /// `ErrorInfo`: `send msg succeed`, or why delivery failed.
    pub error_info: Option<String>,
    /// `MsgBody`: the message's elements.
    #[serde(default)]
    pub msg_body: Vec<MsgElement>,
    /// `CloudCustomData`: the message's custom data.
    pub cloud_custom_data: Option<String>,
    /// `EventTime`: when the event happened, in Unix milliseconds (a number or a string on
    /// the wire).
    #[serde_as(as = "Option<NumberOrString>")]
    pub event_time: Option<u64>,
}

/// `Bot.OnGroupMessage`: a group message mentioned (@) bots. An @all does not trigger
/// it.
///
/// An after-callback: Tencent only checks that the reply is OK.
/// [Tencent's page](https://www.tencentcloud.com/document/product/1047/68953)
#[serde_with::serde_as]
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct OnGroupMessage {
    /// `CallbackCommand`: `Bot.OnGroupMessage`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub callback_command: String,
    /// `GroupId`: the group the message was sent to.
    pub group_id: String,
    /// `Type`: the group's type.
    #[serde(rename = "Type")]
    pub group_type: GroupType,
    /// `From_Account`: the sender.
    #[serde(rename = "From_Account")]
    pub from_account: Option<String>,
    /// `Operator_Account`: who issued the send request (an admin for REST API sends).
    #[serde(rename = "Operator_Account")]
    pub operator_account: Option<String>,
    /// `Random`: the random number of the send request (unsigned 32-bit).
    pub random: Option<u32>,
    /// `MsgSeq`: the message's sequence number (group messages are ordered by it).
    pub msg_seq: Option<u64>,
    /// `MsgTime`: when the message was sent, in Unix seconds.
    pub msg_time: Option<u64>,
    /// `OnlineOnlyFlag`: `1` for an online-only message, else `0` (live-streaming groups
    /// always send `0`).
    pub online_only_flag: Option<u32>,
    /// `MsgBody`: the message's elements.
    #[serde(default)]
    pub msg_body: Vec<MsgElement>,
    /// `AtRobots_Account`: the bots mentioned.
    #[serde(rename = "AtRobots_Account", default)]
    pub at_robots_account: Vec<String>,
    /// `CloudCustomData`: the message's custom data.
    pub cloud_custom_data: Option<String>,
    /// `TopicId`: the topic, in communities with topics (not in Tencent's sample).
    pub topic_id: Option<String>,
    /// `EventTime`: when the event happened, in Unix milliseconds (a number or a string on
    /// the wire).
    #[serde_as(as = "Option<NumberOrString>")]
    pub event_time: Option<u64>,
}
