//! The rate-limit alert callback (`Alert.RequestOverLimit`).

use serde::{Deserialize, Serialize};

use super::serde_helpers::NumberOrString;

/// `Alert.RequestOverLimit`: the app's requests to an API reached 80% of its rate limit.
///
/// An alert: sent by default once a callback URL is configured (there is no switch);
/// Tencent only checks that the reply is OK.
/// [Tencent's page](https://www.tencentcloud.com/document/product/1047/60256)
#[serde_with::serde_as]
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct RequestOverLimit {
    /// `CallbackCommand`: `Alert.RequestOverLimit`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub callback_command: String,
    /// `ServiceName`: the internal service of the API, e.g. `openim`.
    pub service_name: Option<String>,
    /// `Command`: the API's command, e.g. `batchsendmsg`; with `ServiceName` it names the
    /// API.
    pub command: String,
    /// `Request`: the API's request rate, in requests per second.
    pub request: Option<u64>,
    /// `Limit`: the API's rate limit, in requests per second.
    pub limit: Option<u64>,
    /// `EventTime`: when the event happened, in Unix milliseconds (a number or a string on
    /// the wire; not in Tencent's sample).
    #[serde_as(as = "Option<NumberOrString>")]
    pub event_time: Option<u64>,
}
