//! The Desk (customer service) product: its session events (`Desk.*`) and its agent
//! routing (`ChatBot.*`, not the AI chatbot's `Chatbot.*` of [`chatbot`](super::chatbot)).

use serde::{Deserialize, Serialize};

use super::serde_helpers::NumberOrString;
use super::MsgElement;

/// `Desk.SessionEventNotify`: something happened in a Desk session: a message in the
/// chatbot or the live-agent phase, the session starting, a transfer to a live agent
/// (started, done, failed for want of an agent), a reassignment, the session closing, the
/// user not answering. Which one is [`event`](Self::event).
///
/// An after-callback: Tencent only checks that the reply is OK.
/// [Tencent's page](https://cloud.tencent.com/document/product/269/111212)
#[serde_with::serde_as]
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct SessionEventNotify {
    /// `CallbackCommand`: `Desk.SessionEventNotify`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub callback_command: String,
    /// `SessionId`: the Desk session.
    pub session_id: String,
    /// `Event`: what happened, e.g. `SessionBegin` (the session started),
    /// `ChatBot.UserSendMsg` (the user sent a message to the chatbot) or
    /// `ChatBot.RobotSendMsg` (the chatbot answered); kept as sent, since Tencent adds event
    /// types.
    #[serde(default)]
    pub event: String,
    /// `EventTime`: when it happened, in Unix milliseconds (a number or a string).
    #[serde_as(as = "Option<NumberOrString>")]
    pub event_time: Option<u64>,
    /// `ChannelType`: how the user reached the Desk: `SDK` (app or client) or `Web` (H5).
    pub channel_type: Option<String>,
    /// `ClientUserId`: the user's UserID.
    pub client_user_id: Option<String>,
    /// `CustomerServiceId`: the UserID of the customer-service account.
    pub customer_service_id: Option<String>,
    /// `AgentId`: the live agent, when there is one.
    pub agent_id: Option<String>,
    /// `MsgKey`: the message's key, for message events.
    pub msg_key: Option<String>,
    /// `MsgBody`: the message, for message events.
    #[serde(default)]
    pub msg_body: Vec<MsgElement>,
    /// `CloudCustomData`: the message's custom data.
    pub cloud_custom_data: Option<String>,
    /// `IsContactUser`: whether the agent contacted the user first.
    pub is_contact_user: Option<bool>,
    /// `SatisfactionSelected`: the user's satisfaction rating, 1 to 5 stars.
    pub satisfaction_selected: Option<u32>,
    /// `ForwardFromAgentId`: the agent the session was reassigned from. Printed by the
    /// Chinese page (cloud.tencent.com/document/product/269/111212), not by the older
    /// version of 2025-04-07 (tencentcloud.com/zh/document/product/1229/68989).
    pub forward_from_agent_id: Option<String>,
}

/// `ChatBot.OnAssignAgent`: a user in a Desk session asked for a human agent, and the app
/// assigns agents by webhook.
///
/// Tencent reads the reply: answer with a crate::reply::AssignAgentReply naming an agent group
/// (`AgentGroupId`) and/or agents (`AgentIdList`).
/// [Tencent's page](https://www.tencentcloud.com/document/product/1047/63270)
#[serde_with::serde_as]
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct OnAssignAgent {
    /// `CallbackCommand`: `ChatBot.OnAssignAgent`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub callback_command: String,
    /// `SessionId`: the Desk session.
    pub session_id: String,
    /// `ClientUserId`: the UserID of the user who asked for a human agent.
    pub client_user_id: Option<String>,
    /// `EventTime`: when the user asked, in Unix milliseconds (the page's table says a
    /// string, its sample sends a number: both are read).
    #[serde_as(as = "Option<NumberOrString>")]
    pub event_time: Option<u64>,
}

/// `ChatBot.OnAssignHuman`: a user in a Desk session asked to be transferred to a live
/// agent, and the app routes agents from its business server.
///
/// Tencent reads the reply: answer with a crate::reply::AssignAgentReply naming an agent group
/// (`AgentGroupId`) and/or agents (`AgentIdList`, the agents' e-mail addresses).
/// [Tencent's page](https://intl.cloud.tencent.com/document/product/1229/68988); the
/// [Chinese page](https://cloud.tencent.com/document/product/679/116643) also prints the
/// customer-service account ([`customer_service_id`](Self::customer_service_id)).
#[serde_with::serde_as]
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct OnAssignHuman {
    /// `CallbackCommand`: `ChatBot.OnAssignHuman`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub callback_command: String,
    /// `SessionId`: the Desk session.
    pub session_id: String,
    /// `ClientUserId`: the UserID of the user who asked for a live agent.
    pub client_user_id: Option<String>,
    /// `CustomerServiceId`: the UserID of the customer-service account the user wrote to
    /// (e.g. `@customer_service_account`), the same account as
    /// [`SessionEventNotify::customer_service_id`]. Only sent with the Desk's "SDK light
    /// integration" (SDK 轻量集成), and only printed by the Chinese page
    /// (cloud.tencent.com/document/product/679/116643, updated 2025-07-28); the
    /// international page omits it.
    pub customer_service_id: Option<String>,
    /// `EventTime`: when the user asked, in Unix milliseconds (a number or a string).
    #[serde_as(as = "Option<NumberOrString>")]
    pub event_time: Option<u64>,
}
