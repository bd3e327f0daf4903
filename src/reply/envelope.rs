//! [`Reply`]: Tencent's reply envelope around the fields of one kind of reply.

use actix_web::{HttpRequest, HttpResponse, Responder};
use serde::Serialize;

use super::{ack::json_response, CallbackReply};

/// Tencent's reply envelope (`ActionStatus`, `ErrorCode`, `ErrorInfo`) with the fields of
/// one kind of reply (`F`): the one type behind [`BeforeSendReply`](super::BeforeSendReply), [`ApprovalReply`](super::ApprovalReply),
/// [`FriendCheckReply`](super::FriendCheckReply), [`ChatbotReply`](super::ChatbotReply) and [`AssignAgentReply`](super::AssignAgentReply).
///
/// `ActionStatus` is always `OK`, also when refusing (as Tencent's samples show); the fields
/// are read through methods, so a reply cannot be made to say `FAIL`. The
/// [`TimCallback`](crate::TimCallback) middleware passes it through unchanged.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Reply<F> {
    pub(super) action_status: &'static str,
    pub(super) error_code: u32,
    pub(super) error_info: String,
    #[serde(flatten)]
    pub(super) fields: F,
}

impl<F> Reply<F> {
    pub(super) fn envelope(error_code: u32, error_info: String, fields: F) -> Self {
        Self {
            action_status: "OK",
            error_code,
            error_info,
            fields,
        }
    }

    /// `ErrorCode`: `0` lets the action happen; what other codes mean depends on the
    /// callback (see each reply's constructors).
    pub fn error_code(&self) -> u32 {
        self.error_code
    }

    /// `ErrorInfo`: passed to the client with a code of the app's own.
    pub fn error_info(&self) -> &str {
        &self.error_info
    }
}

// The one Responder of every reply Tencent reads.
impl<F: Serialize> Responder for Reply<F> {
    type Body = actix_web::body::BoxBody;

    fn respond_to(self, _: &HttpRequest) -> HttpResponse {
        match serde_json::to_vec(&self) {
            Ok(body) => json_response(body),
            Err(err) => {
                log::error!("could not encode a Tencent IM callback reply: {err}");
                HttpResponse::InternalServerError().finish()
            }
        }
    }
}

impl<F: Serialize> CallbackReply for Reply<F> {
    const READ_BY_TENCENT: bool = true;
}
