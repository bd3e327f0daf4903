//! [`QueueError`]: why a callback was not queued, answered with a `FAIL` reply.

use std::time::Duration;

use actix_web::{
    http::{header::ContentType, StatusCode},
    HttpResponse, ResponseError,
};

use crate::{log::LogSafe, reply::fail_body};

/// Why a callback was not queued. It is answered with a `FAIL` reply of its own code (never
/// OK), so the IM backend may send the callback again, and any duplicate claim is
/// released. Its status is the code's first three digits.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum QueueError {
    /// The backend refused the push or failed (503, 50311).
    #[error("the callback could not be queued: {}", LogSafe(.0))]
    Push(String),
    /// The push did not complete within the budget (503, 50312). It may still complete
    /// later: the callback is then queued once now and again if the IM backend resends it.
    #[error("the callback was not queued within {0:?}")]
    Timeout(Duration),
    /// The queue's pusher is not running: the [`CallbackQueue`](super::CallbackQueue) was
    /// built outside a running actix system, or its system stopped (503, 50313).
    #[error("the callback queue is not running; build CallbackQueue inside the actix system that serves the app")]
    Closed,
    /// The callback's reply is read by Tencent (a before-callback, a friend check, the
    /// chatbot), so it is never queued: route it to a handler that answers it (500, 50011).
    #[error("{} is not queued: Tencent reads its reply; route it to a handler that answers it", LogSafe(.command))]
    ReplyRead {
        /// The command of the callback.
        command: String,
    },
    /// The task could not be encoded (500, 50012).
    #[error("the callback could not be encoded: {}", LogSafe(.0))]
    Encode(String),
    /// [`enqueue`](super::enqueue) ran in an app without a
    /// [`CallbackQueue`](super::CallbackQueue) in its data (500, 50013).
    #[error("no CallbackQueue in the app's data: add .app_data(web::Data::new(queue.callback_queue())) to the App (once, outside HttpServer::new)")]
    NotConfigured,
}

impl QueueError {
    /// The `ErrorCode` of the `FAIL` reply.
    pub fn error_code(&self) -> u32 {
        self.parts().0
    }

    /// The error's name in snake case, e.g. `timeout`: the `reason` label of the
    /// `tim_callback_queue_push_failures_total` metric.
    pub fn kind(&self) -> &'static str {
        self.parts().1
    }

    fn parts(&self) -> (u32, &'static str) {
        match self {
            Self::Push(_) => (50311, "push"),
            Self::Timeout(_) => (50312, "timeout"),
            Self::Closed => (50313, "closed"),
            Self::ReplyRead { .. } => (50011, "reply_read"),
            Self::Encode(_) => (50012, "encode"),
            Self::NotConfigured => (50013, "not_configured"),
        }
    }
}

impl ResponseError for QueueError {
    fn status_code(&self) -> StatusCode {
        u16::try_from(self.error_code() / 100)
            .ok()
            .and_then(|status| StatusCode::from_u16(status).ok())
            .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }

    fn error_response(&self) -> HttpResponse {
        HttpResponse::build(self.status_code())
            .insert_header(ContentType::json())
            .body(fail_body(self.error_code(), &self.to_string()))
    }
}
