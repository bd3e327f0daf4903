//! `ChatBot.*`: the agent-routing callbacks of the Desk (customer service) product. Not the
//! AI chatbot's `Chatbot.*` ([`chatbot`](super::chatbot)): the two prefixes differ in case.

use serde::{Deserialize, Serialize};

use super::serde_helpers::NumberOrString;

/// `ChatBot.OnAssignAgent`: a user in a Desk session asked for a human agent, and the app
/// assigns agents by webhook.
///
/// Tencent reads the reply: answer with a crate::AssignAgentReply naming an agent group
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
/// Tencent reads the reply: answer with a crate::AssignAgentReply naming an agent group
/// (`AgentGroupId`) and/or agents (`AgentIdList`, the agents' e-mail addresses).
/// [Tencent's page](https://intl.cloud.tencent.com/document/product/1229/68988)
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
    /// `EventTime`: when the user asked, in Unix milliseconds (a number or a string).
    #[serde_as(as = "Option<NumberOrString>")]
    pub event_time: Option<u64>,
}
