//! `Chatbot.*`: the custom signals of an AI chatbot. The Desk's agent routing (`ChatBot.*`)
//! is in [`desk`](super::desk).

use serde::{Deserialize, Serialize};

use super::serde_helpers::NumberOrString;

/// `Chatbot.OnC2CSignalMessage`: a user sent a custom signal to an AI chatbot.
///
/// A sync-reply callback: answer with a `crate::reply::ChatbotReply`; its `RspData` is passed
/// back to the chatbot.
/// [Tencent's page](https://www.tencentcloud.com/document/product/1047/59057)
#[serde_with::serde_as]
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct OnC2cSignalMessage {
    /// `CallbackCommand`: `Chatbot.OnC2CSignalMessage`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub callback_command: String,
    /// `From_Account`: the sender.
    #[serde(rename = "From_Account")]
    pub from_account: String,
    /// `To_Account`: the chatbot.
    #[serde(rename = "To_Account")]
    pub to_account: String,
    /// `MsgSeq`: the signal's sequence number.
    pub msg_seq: Option<u64>,
    /// `MsgRandom`: the signal's random number (unsigned 32-bit).
    pub msg_random: Option<u32>,
    /// `MsgKey`: the signal's unique key.
    pub msg_key: Option<String>,
    /// `Data`: the `data` of the custom signal, as sent (often JSON inside the string).
    pub data: Option<String>,
    /// `EventTime`: when the event happened, in Unix milliseconds (a number or a string on
    /// the wire).
    #[serde_as(as = "Option<NumberOrString>")]
    pub event_time: Option<u64>,
}
