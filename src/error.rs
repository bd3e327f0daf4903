//! Why a callback request was rejected, and the `FAIL` reply sent for it.

use actix_web::{
    http::{
        header::{self, ContentType},
        StatusCode,
    },
    web::Bytes,
    HttpRequest, HttpResponse, ResponseError,
};

use crate::log::LogSafe;

/// A callback request that was not accepted.
///
/// Every variant answers with its own HTTP status and a JSON body in Tencent's reply
/// envelope, `{"ActionStatus":"FAIL","ErrorCode":<code>,"ErrorInfo":"<what was wrong>"}`,
/// so the IM console shows the failure and the reason. [`error_code`](Self::error_code)
/// lists the codes. The token and the full `Sign` never appear in a message.
///
/// A variant is declared in one place: its message here, its code and kind in one arm of
/// `parts`; the status is the code's first three digits. The codes are listed in
/// [`TimCallback`](crate::TimCallback)'s reply table.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CallbackError {
    /// The request was not a `POST` (405).
    #[error("callbacks must be sent with POST")]
    MethodNotAllowed,
    /// The query string has no `SdkAppid` (403).
    #[error("SdkAppid is missing from the query string")]
    MissingAppId,
    /// `SdkAppid` is not a decimal number, or is repeated with different values (403).
    #[error("SdkAppid is not a number, or is given more than once with different values")]
    InvalidAppId,
    /// `SdkAppid` names another application (403).
    #[error("SdkAppid {received} is not this application's")]
    ForeignAppId {
        /// The app id the request carried.
        received: u64,
    },
    /// A token is configured but `Sign` or `RequestTime` is missing (401).
    #[error("Sign and RequestTime are required (callback authentication is on)")]
    MissingSignature,
    /// `RequestTime` is not a Unix time in seconds, or is repeated with different values
    /// (401).
    #[error("RequestTime is not a Unix time in seconds, or is given more than once with different values")]
    InvalidRequestTime,
    /// `Sign` is repeated with different values (401).
    #[error("Sign is given more than once with different values")]
    ConflictingSign,
    /// `RequestTime` lies outside the replay window (401).
    #[error(
        "RequestTime is {} s in the {}, outside the {window_secs} s replay window",
        skew_secs.unsigned_abs(),
        if *skew_secs >= 0 { "past" } else { "future" }
    )]
    ExpiredSignature {
        /// How far `RequestTime` is from now, in seconds (positive: in the past).
        skew_secs: i64,
        /// The configured replay window, in seconds.
        window_secs: u64,
    },
    /// `Sign` is not `sha256(token + RequestTime)` (401).
    #[error("Sign does not match sha256(token + RequestTime)")]
    WrongSignature,
    /// The body is larger than the configured limit (413).
    #[error("body is larger than the {limit} byte limit")]
    PayloadTooLarge {
        /// The configured body limit, in bytes.
        limit: usize,
    },
    /// The body could not be read from the connection (400).
    #[error("body could not be read: {0}")]
    Payload(#[source] actix_web::error::PayloadError),
    /// The body is not valid JSON, or not of the expected shape (400).
    #[error("invalid body at {path}: {message}")]
    InvalidJson {
        /// Where decoding failed, e.g. `MsgBody[0].MsgContent.Latitude` (`.` for the root).
        path: String,
        /// What serde reported.
        message: String,
    },
    /// `CallbackCommand` is empty, or given more than once with different values (400).
    #[error("CallbackCommand is empty, or given more than once with different values")]
    InvalidCommand,
    /// Neither the query string nor the body names a `CallbackCommand` (400).
    #[error("the request names no CallbackCommand, in the query string or the body")]
    MissingCommand,
    /// The query's `CallbackCommand` and the body's differ (400): neither is signed, and
    /// Tencent never sends them apart, so the request is not answered as either.
    #[error("CallbackCommand {query} in the query, {body} in the body")]
    ConflictingCommand {
        /// The query's command.
        query: String,
        /// The body's command.
        body: String,
    },
    /// No resource of the app has the request's path (404): the callback URL configured in
    /// the IM console is not the path of the scope the middleware wraps.
    #[error("no resource has the path {path}; the callback URL in the IM console must be the path of the scope TimCallback wraps{}", if path.len() > 1 && path.ends_with('/') { " (the URL ends with '/': configure it without, or wrap the App with actix_web::middleware::NormalizePath::trim())" } else { "" })]
    NoResource {
        /// The request's path.
        path: String,
    },
    /// The request's `CallbackCommand` is not one the handler's event type decodes (400).
    #[error("CallbackCommand {received} reached a handler for {expected}; route commands with actix_tim_callback::command::<E>()")]
    UnexpectedCommand {
        /// The command the event type expects.
        expected: &'static str,
        /// The command the request carried.
        received: String,
    },
    /// No handler is routed for this `CallbackCommand` and the middleware was set to
    /// reject such commands (404).
    #[error("no handler for CallbackCommand {command}")]
    UnhandledCommand {
        /// The command the request carried.
        command: String,
    },
    /// The handler, or another extractor, failed; the reply keeps its status.
    #[error("the callback handler failed: {}", status.canonical_reason().unwrap_or("error"))]
    Handler {
        /// The status the handler's error asked for.
        status: StatusCode,
    },
    /// The handler panicked (500). The worker goes on serving.
    #[error("the callback handler panicked")]
    HandlerPanicked,
    /// Another delivery of the same callback is still being handled, and did not finish
    /// within `Dedup::wait` (409): retry later. Only
    /// with [`CallbackConfig::dedup`](crate::CallbackConfig::dedup).
    #[error("another delivery of this callback is still being handled; retry it later")]
    InFlight,
    /// The duplicate store did not answer in time and the configuration says to refuse
    /// rather than accept (503; see `dedup::StoreFailure`).
    #[error("the duplicate store did not answer in time; retry the callback")]
    StoreUnavailable,
    /// An extractor ran on a request that did not pass the [`TimCallback`] middleware
    /// (500): nothing is decoded before the request is verified.
    ///
    /// [`TimCallback`]: crate::TimCallback
    #[error("a Tencent IM callback extractor ran without the TimCallback middleware; wrap the route or scope with actix_tim_callback::TimCallback")]
    MiddlewareMissing,
}

impl CallbackError {
    /// The non-zero `ErrorCode` written into the `FAIL` reply: the HTTP status of the
    /// reply times 100, plus a number of its own (e.g. 40104 for `WrongSignature`, the
    /// handler's status × 100 + 99 for `Handler`).
    pub fn error_code(&self) -> u32 {
        self.parts().0
    }

    /// The variant's name in snake case, e.g. `wrong_signature`: the `reason` label of the
    /// `tim_callback_rejected_total` metric.
    pub fn kind(&self) -> &'static str {
        self.parts().1
    }

    /// The code and the kind of each variant.
    fn parts(&self) -> (u32, &'static str) {
        match self {
            Self::MethodNotAllowed => (40501, "method_not_allowed"),
            Self::MissingAppId => (40301, "missing_app_id"),
            Self::InvalidAppId => (40302, "invalid_app_id"),
            Self::ForeignAppId { .. } => (40303, "foreign_app_id"),
            Self::MissingSignature => (40101, "missing_signature"),
            Self::InvalidRequestTime => (40102, "invalid_request_time"),
            Self::ExpiredSignature { .. } => (40103, "expired_signature"),
            Self::WrongSignature => (40104, "wrong_signature"),
            Self::ConflictingSign => (40105, "conflicting_sign"),
            Self::PayloadTooLarge { .. } => (41301, "payload_too_large"),
            Self::Payload(_) => (40001, "payload"),
            Self::InvalidJson { .. } => (40002, "invalid_json"),
            Self::UnexpectedCommand { .. } => (40003, "unexpected_command"),
            Self::InvalidCommand => (40004, "invalid_command"),
            Self::MissingCommand => (40005, "missing_command"),
            Self::ConflictingCommand { .. } => (40006, "conflicting_command"),
            Self::NoResource { .. } => (40402, "no_resource"),
            Self::UnhandledCommand { .. } => (40401, "unhandled_command"),
            Self::InFlight => (40901, "in_flight"),
            Self::Handler { status } => (u32::from(status.as_u16()) * 100 + 99, "handler"),
            Self::MiddlewareMissing => (50001, "middleware_missing"),
            Self::HandlerPanicked => (50002, "handler_panicked"),
            Self::StoreUnavailable => (50301, "store_unavailable"),
        }
    }

    /// The `FAIL` reply body for this error.
    pub(crate) fn fail_body(&self) -> Bytes {
        crate::reply::fail_body(self.error_code(), &self.to_string())
    }
}

/// Logs a rejected request at warn level, for the middleware and the extractors alike.
pub(crate) fn rejected(req: &HttpRequest, err: CallbackError) -> CallbackError {
    log::warn!(
        "rejected Tencent IM callback {} {}: {}",
        req.method(),
        req.path(),
        LogSafe(&err)
    );
    err
}

impl ResponseError for CallbackError {
    /// The status is the first three digits of the [`error_code`](Self::error_code).
    fn status_code(&self) -> StatusCode {
        u16::try_from(self.error_code() / 100)
            .ok()
            .and_then(|status| StatusCode::from_u16(status).ok())
            .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }

    fn error_response(&self) -> HttpResponse {
        let mut res = HttpResponse::build(self.status_code());
        res.insert_header(ContentType::json());
        if matches!(self, Self::MethodNotAllowed) {
            res.insert_header((header::ALLOW, "POST"));
        }
        res.body(self.fail_body())
    }
}

/// A [`CallbackConfig`](crate::CallbackConfig) setting that must not be used.
///
/// [`TimCallback`](crate::TimCallback) logs it at error level and refuses to start, so the
/// app fails at start-up rather than serve callbacks unprotected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// The callback token is empty or blank: anyone could compute its signatures.
    #[error("the Tencent IM callback token is empty or blank; set the token from the IM console, or leave CallbackConfig::token out to accept unsigned callbacks")]
    EmptyToken,
    /// One SDKAppID was given twice, as [`CallbackConfig::new`](crate::CallbackConfig::new)'s
    /// or [`app`](crate::CallbackConfig::app)'s.
    #[error("SdkAppid {sdk_app_id} is configured twice; give each app once, with CallbackConfig::new or CallbackConfig::app")]
    DuplicateApp {
        /// The SDKAppID given twice.
        sdk_app_id: u64,
    },
    /// A previous token was given without a current one.
    #[error("CallbackConfig::previous_token needs the current token first: call token(current).previous_token(old)")]
    PreviousTokenWithoutToken,
}
