//! What a handler answers: the fixed OK reply ([`Ack`]), and the replies
//! Tencent reads, all one envelope ([`Reply`]) with the fields of their callback.
//!
//! An app's own refusal codes are a [`RefusalCode`] of the callback's family, checked once
//! when it is made, so a `refuse…` builder cannot fail and cannot take another family's
//! code. Which callback takes which reply is in the catalogue table of the `model`
//! module.

mod ack;
mod codes;
mod envelope;
mod fields;

pub(crate) use ack::{ack_response, fail_body};
pub use ack::{Ack, Answer, CallbackReply, OK_BODY};
pub use codes::{C2cCodes, CodeFamily, FriendCodes, GroupCodes, RefusalCode, ReplyCodeError};
pub use envelope::Reply;
pub use fields::{
    ApprovalFields, ApprovalReply, AssignAgentFields, AssignAgentReply, BeforeSendFields,
    BeforeSendReply, ChatbotFields, ChatbotReply, FriendCheckFields, FriendCheckReply,
    FriendCheckResult,
};

#[cfg(test)]
mod tests {
    use super::{ack::fail_body, ack::NoFields, Reply, OK_BODY};

    #[test]
    fn the_fail_envelope_is_tencents_shape() {
        let body = fail_body(40100, "say \"no\"");
        let json: serde_json::Value = serde_json::from_slice(&body).expect("JSON");
        assert_eq!(
            json,
            serde_json::json!({"ActionStatus": "FAIL", "ErrorCode": 40100, "ErrorInfo": "say \"no\""})
        );
    }

    #[test]
    fn ok_body_is_the_envelope_with_nothing_refused() {
        let ok: serde_json::Value = serde_json::from_str(OK_BODY).expect("JSON");
        let envelope =
            serde_json::to_value(Reply::envelope(0, String::new(), NoFields {})).expect("JSON");
        assert_eq!(ok, envelope);
    }
}
