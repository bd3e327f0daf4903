//! [`QueueError`]: why a callback was not queued, answered with a `FAIL` reply.

use std::{fmt, time::Duration};

use actix_web::{http::StatusCode, HttpResponse, ResponseError};

use crate::reply::mime_json;

/// Why a callback was not queued. It is answered with a `FAIL` reply (never OK), so the
/// IM backend may send the callback again, and any duplicate claim is released.
///
/// Behind the [`TimCallback`](crate::TimCallback) middleware the reply is the
/// middleware's handler-failure reply for the status below (a `503` is `ErrorCode`
/// 50399), logged with this error's message.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum QueueError {
    /// The backend refused the push or failed (503).
    Push(String),
    /// The push did not complete within the budget (503). It may still complete later:
    /// the callback is then queued once now and again if the IM backend resends it.
    Timeout(Duration),
    /// The queue's pusher is not running: the [`CallbackQueue`](crate::CallbackQueue) was
    /// built outside a running actix system, or its system stopped (503).
    Closed,
    /// The callback's reply is read by Tencent (a before-callback, a friend check, the
    /// chatbot), so it is never queued: route it to a handler that answers it (500).
    ReplyRead {
        /// The command of the callback.
        command: String,
    },
    /// The event could not be encoded as JSON (500).
    Encode(String),
}

impl QueueError {
    /// The `ErrorCode` of the reply when no middleware rewrites it.
    pub fn error_code(&self) -> u32 {
        match self {
            Self::Push(_) => 50311,
            Self::Timeout(_) => 50312,
            Self::Closed => 50313,
            Self::ReplyRead { .. } => 50011,
            Self::Encode(_) => 50012,
        }
    }

    /// The error's name in snake case, e.g. `timeout`: the `reason` label of the
    /// `tim_callback_queue_push_failures_total` metric.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Push(_) => "push",
            Self::Timeout(_) => "timeout",
            Self::Closed => "closed",
            Self::ReplyRead { .. } => "reply_read",
            Self::Encode(_) => "encode",
        }
    }
}

impl fmt::Display for QueueError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Push(why) => write!(f, "the callback could not be queued: {why}"),
            Self::Timeout(budget) => {
                write!(f, "the callback was not queued within {budget:?}")
            }
            Self::Closed => f.write_str(
                "the callback queue is not running; build CallbackQueue inside the actix system that serves the app",
            ),
            Self::ReplyRead { command } => write!(
                f,
                "{command} is not queued: Tencent reads its reply; route it to a handler that answers it"
            ),
            Self::Encode(why) => write!(f, "the callback could not be encoded: {why}"),
        }
    }
}

impl std::error::Error for QueueError {}

impl ResponseError for QueueError {
    fn status_code(&self) -> StatusCode {
        match self {
            Self::Push(_) | Self::Timeout(_) | Self::Closed => StatusCode::SERVICE_UNAVAILABLE,
            Self::ReplyRead { .. } | Self::Encode(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        let body = serde_json::json!({
            "ActionStatus": "FAIL",
            "ErrorCode": self.error_code(),
            "ErrorInfo": self.to_string(),
        });
        HttpResponse::build(self.status_code())
            .insert_header((actix_web::http::header::CONTENT_TYPE, mime_json()))
            .body(body.to_string())
    }
}
