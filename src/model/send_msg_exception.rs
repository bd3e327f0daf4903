use super::{group_message::group_message, GroupMessage};

group_message!(event {
    /// `Group.CallbackSendMsgException`: the IM backend failed to deliver a group message
    /// to the group's members.
    ///
    /// The fields of [`GroupMessage`] are reachable directly (`exception.group_id`);
    /// [`kind`](Self::kind) files the `ErrorCode`.
    pub struct SendMsgException(GroupMessage) = "Group.CallbackSendMsgException" {
        /// `ErrorCode`: why delivery failed; see [`kind`](Self::kind).
        #[serde(rename = "ErrorCode")]
        pub error_code: i64,
        /// `ErrorInfo`: the failure in words.
        #[serde(rename = "ErrorInfo", default)]
        pub error_info: String,
    }
});

impl SendMsgException {
    /// The category of [`error_code`](Self::error_code).
    pub fn kind(&self) -> ExceptionKind {
        ExceptionKind::from_code(self.error_code)
    }
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
