use serde::{Deserialize, Serialize};

use super::{serde_helpers::millis_number_or_string, CallbackEvent, GroupType, MsgElement};

/// `Group.CallbackSendMsgException`: the IM backend failed to deliver a group message to
/// the group's members.
///
/// Fields the documentation marks optional, and fields old payloads lack, are `Option`s
/// or default to empty. Unknown fields are ignored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SendMsgException {
    /// `CallbackCommand`: `Group.CallbackSendMsgException`.
    #[serde(rename = "CallbackCommand", default)]
    pub callback_command: String,
    /// `GroupId`: the group the message was sent to.
    #[serde(rename = "GroupId")]
    pub group_id: String,
    /// `Type`: the group's type.
    #[serde(rename = "Type")]
    pub group_type: GroupType,
    /// `From_Account`: the sender's UserID.
    #[serde(rename = "From_Account")]
    pub from_account: String,
    /// `Operator_Account`: who issued the send request (an admin for REST API sends).
    #[serde(
        rename = "Operator_Account",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub operator_account: Option<String>,
    /// `Random`: the unsigned 32-bit random number of the send request.
    #[serde(rename = "Random", default)]
    pub random: u32,
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
    /// `CloudCustomData`: the message's custom data.
    #[serde(
        rename = "CloudCustomData",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub cloud_custom_data: Option<String>,
    /// `ErrorCode`: why delivery failed; see [`kind`](Self::kind).
    #[serde(rename = "ErrorCode")]
    pub error_code: i64,
    /// `ErrorInfo`: the failure in words.
    #[serde(rename = "ErrorInfo", default)]
    pub error_info: String,
    /// `EventTime`: when the failure happened, in Unix milliseconds. Sent as a number or
    /// as a string; absent in older payloads.
    #[serde(
        rename = "EventTime",
        default,
        deserialize_with = "millis_number_or_string::deserialize",
        skip_serializing_if = "Option::is_none"
    )]
    pub event_time: Option<u64>,
}

impl SendMsgException {
    /// The category of [`error_code`](Self::error_code).
    pub fn kind(&self) -> ExceptionKind {
        ExceptionKind::from_code(self.error_code)
    }

    /// Whether the message was online-only (`OnlineOnlyFlag` is `1`).
    pub fn is_online_only(&self) -> bool {
        self.online_only_flag == Some(1)
    }
}

impl CallbackEvent for SendMsgException {
    const COMMAND: &'static str = "Group.CallbackSendMsgException";
}

/// Why a group message could not be delivered, by `ErrorCode`.
///
/// Tencent adds codes; unknown codes fall into [`Other`](Self::Other), and the raw code
/// stays in [`SendMsgException::error_code`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum ExceptionKind {
    /// Bad parameters, or the group does not exist: 10003, 10004, 10005, 10008, 10010,
    /// 10011, 10012, 10015, 10019.
    InvalidParameter,
    /// Sending too fast: 10006, 10023.
    RateLimited,
    /// Content security strike: 80001, 80004.
    SecurityStrike,
    /// The sender is muted: 10017.
    SenderMuted,
    /// The sender may not send here: 10007.
    PermissionDenied,
    /// Internal errors, a before-send callback's refusal, a disabled command, a body too
    /// long, and any code not listed above.
    Other,
}

impl ExceptionKind {
    /// Every category, in declaration order.
    pub const ALL: [ExceptionKind; 6] = [
        Self::InvalidParameter,
        Self::RateLimited,
        Self::SecurityStrike,
        Self::SenderMuted,
        Self::PermissionDenied,
        Self::Other,
    ];

    /// The category of an `ErrorCode`.
    pub fn from_code(code: i64) -> Self {
        match code {
            10003 | 10004 | 10005 | 10008 | 10010 | 10011 | 10012 | 10015 | 10019 => {
                Self::InvalidParameter
            }
            10006 | 10023 => Self::RateLimited,
            80001 | 80004 => Self::SecurityStrike,
            10017 => Self::SenderMuted,
            10007 => Self::PermissionDenied,
            _ => Self::Other,
        }
    }

    /// The category's name: `invalid_parameter`, `rate_limited`, `security_strike`,
    /// `sender_muted`, `permission_denied` or `other`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::InvalidParameter => "invalid_parameter",
            Self::RateLimited => "rate_limited",
            Self::SecurityStrike => "security_strike",
            Self::SenderMuted => "sender_muted",
            Self::PermissionDenied => "permission_denied",
            Self::Other => "other",
        }
    }
}

impl std::fmt::Display for ExceptionKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}
