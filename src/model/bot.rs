//! Chatbot callbacks: messages sent to a bot (`Bot.*`) and the custom signals of an AI
//! chatbot (`Chatbot.*`).

use serde::{Deserialize, Serialize};

use super::{CallbackEvent, GroupType, MsgElement};

/// `Bot.OnC2CMessage`: a user sent a one-to-one message to a bot.
///
/// An after-callback: Tencent only checks that the reply is OK. `SendMsgResult` and
/// `ErrorInfo` belong to the request, not to the reply.
/// [Tencent's page](https://www.tencentcloud.com/document/product/1047/68952)
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct BotOnC2cMessage {
    /// `CallbackCommand`: `Bot.OnC2CMessage`.
    #[serde(
        rename = "CallbackCommand",
        default,
        skip_serializing_if = "String::is_empty"
    )]
    pub callback_command: String,
    /// `From_Account`: the sender.
    #[serde(rename = "From_Account")]
    pub from_account: String,
    /// `To_Account`: the bot.
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
    /// the wire).
    #[serde(
        rename = "EventTime",
        default,
        with = "crate::model::serde_helpers::event_time",
        skip_serializing_if = "Option::is_none"
    )]
    pub event_time: Option<u64>,
}

impl CallbackEvent for BotOnC2cMessage {
    const COMMAND: &'static str = "Bot.OnC2CMessage";
}

/// `Bot.OnGroupMessage`: a group message mentioned (@) bots. An @all does not trigger
/// it.
///
/// An after-callback: Tencent only checks that the reply is OK.
/// [Tencent's page](https://www.tencentcloud.com/document/product/1047/68953)
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct BotOnGroupMessage {
    /// `CallbackCommand`: `Bot.OnGroupMessage`.
    #[serde(
        rename = "CallbackCommand",
        default,
        skip_serializing_if = "String::is_empty"
    )]
    pub callback_command: String,
    /// `GroupId`: the group the message was sent to.
    #[serde(rename = "GroupId")]
    pub group_id: String,
    /// `Type`: the group's type.
    #[serde(rename = "Type")]
    pub group_type: GroupType,
    /// `From_Account`: the sender.
    #[serde(
        rename = "From_Account",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub from_account: Option<String>,
    /// `Operator_Account`: who issued the send request (an admin for REST API sends).
    #[serde(
        rename = "Operator_Account",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub operator_account: Option<String>,
    /// `Random`: the random number of the send request (unsigned 32-bit).
    #[serde(rename = "Random", default, skip_serializing_if = "Option::is_none")]
    pub random: Option<u32>,
    /// `MsgSeq`: the message's sequence number (group messages are ordered by it).
    #[serde(rename = "MsgSeq", default, skip_serializing_if = "Option::is_none")]
    pub msg_seq: Option<u64>,
    /// `MsgTime`: when the message was sent, in Unix seconds.
    #[serde(rename = "MsgTime", default, skip_serializing_if = "Option::is_none")]
    pub msg_time: Option<u64>,
    /// `OnlineOnlyFlag`: `1` for an online-only message, else `0` (live-streaming groups
    /// always send `0`).
    #[serde(
        rename = "OnlineOnlyFlag",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub online_only_flag: Option<u32>,
    /// `MsgBody`: the message's elements.
    #[serde(rename = "MsgBody", default)]
    pub msg_body: Vec<MsgElement>,
    /// `AtRobots_Account`: the bots mentioned.
    #[serde(rename = "AtRobots_Account", default)]
    pub at_robots_account: Vec<String>,
    /// `CloudCustomData`: the message's custom data.
    #[serde(
        rename = "CloudCustomData",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub cloud_custom_data: Option<String>,
    /// `TopicId`: the topic, in communities with topics (not in Tencent's sample).
    #[serde(rename = "TopicId", default, skip_serializing_if = "Option::is_none")]
    pub topic_id: Option<String>,
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

impl CallbackEvent for BotOnGroupMessage {
    const COMMAND: &'static str = "Bot.OnGroupMessage";
}

/// `Chatbot.OnC2CSignalMessage`: a user sent a custom signal to an AI chatbot.
///
/// A sync-reply callback: answer with a `crate::ChatbotReply`; its `RspData` is passed
/// back to the chatbot.
/// [Tencent's page](https://www.tencentcloud.com/document/product/1047/59057)
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ChatbotOnC2cSignalMessage {
    /// `CallbackCommand`: `Chatbot.OnC2CSignalMessage`.
    #[serde(
        rename = "CallbackCommand",
        default,
        skip_serializing_if = "String::is_empty"
    )]
    pub callback_command: String,
    /// `From_Account`: the sender.
    #[serde(rename = "From_Account")]
    pub from_account: String,
    /// `To_Account`: the chatbot.
    #[serde(rename = "To_Account")]
    pub to_account: String,
    /// `MsgSeq`: the signal's sequence number.
    #[serde(rename = "MsgSeq", default, skip_serializing_if = "Option::is_none")]
    pub msg_seq: Option<u64>,
    /// `MsgRandom`: the signal's random number (unsigned 32-bit).
    #[serde(rename = "MsgRandom", default, skip_serializing_if = "Option::is_none")]
    pub msg_random: Option<u32>,
    /// `MsgKey`: the signal's unique key.
    #[serde(rename = "MsgKey", default, skip_serializing_if = "Option::is_none")]
    pub msg_key: Option<String>,
    /// `Data`: the `data` of the custom signal, as sent (often JSON inside the string).
    #[serde(rename = "Data", default, skip_serializing_if = "Option::is_none")]
    pub data: Option<String>,
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

impl CallbackEvent for ChatbotOnC2cSignalMessage {
    const COMMAND: &'static str = "Chatbot.OnC2CSignalMessage";
}
