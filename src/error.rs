//! Why a callback request was rejected, and the `FAIL` reply sent for it.

use std::fmt;

use actix_web::{
    http::{header, StatusCode},
    web::Bytes,
    HttpRequest, HttpResponse, ResponseError,
};

/// A callback request that was not accepted.
///
/// Every variant answers with its own HTTP status and a JSON body in Tencent's reply
/// envelope, `{"ActionStatus":"FAIL","ErrorCode":<code>,"ErrorInfo":"<what was wrong>"}`,
/// so the IM console shows the failure and the reason. [`error_code`](Self::error_code)
/// lists the codes. The token and the full `Sign` never appear in a message.
#[derive(Debug)]
#[non_exhaustive]
pub enum CallbackError {
    /// The request was not a `POST` (405).
    MethodNotAllowed,
    /// The query string has no `SdkAppid` (403).
    MissingAppId,
    /// `SdkAppid` is not a decimal number, or is repeated with different values (403).
    InvalidAppId,
    /// `SdkAppid` names another application (403).
    ForeignAppId {
        /// The app id the request carried.
        received: u64,
    },
    /// A token is configured but `Sign` or `RequestTime` is missing (401).
    MissingSignature,
    /// `RequestTime` is not a Unix time in seconds, or is repeated with different values
    /// (401).
    InvalidRequestTime,
    /// `Sign` is repeated with different values (401).
    ConflictingSign,
    /// `RequestTime` lies outside the replay window (401).
    ExpiredSignature {
        /// How far `RequestTime` is from now, in seconds (positive: in the past).
        skew_secs: i64,
        /// The configured replay window, in seconds.
        window_secs: u64,
    },
    /// `Sign` is not `sha256(token + RequestTime)` (401).
    WrongSignature,
    /// The body is larger than the configured limit (413).
    PayloadTooLarge {
        /// The configured body limit, in bytes.
        limit: usize,
    },
    /// The body could not be read from the connection (400).
    Payload(actix_web::error::PayloadError),
    /// The body is not valid JSON, or not of the expected shape (400).
    InvalidJson {
        /// Where decoding failed, e.g. `MsgBody[0].MsgContent.Latitude` (`.` for the root).
        path: String,
        /// What serde reported.
        message: String,
    },
    /// The query's `CallbackCommand` is not the one the handler's event type decodes (400).
    UnexpectedCommand {
        /// The command the event type expects.
        expected: &'static str,
        /// The command the request carried.
        received: String,
    },
    /// No handler is routed for this `CallbackCommand` and the middleware was set to
    /// reject such commands (404).
    UnhandledCommand {
        /// The command the request carried, if any.
        command: Option<String>,
    },
    /// The handler, or another extractor, failed; the reply keeps its status.
    Handler {
        /// The status the handler's error asked for.
        status: StatusCode,
    },
    /// The handler panicked (500). The worker goes on serving.
    HandlerPanicked,
    /// The callback was already accepted (a retry, a replay, or the same callback at
    /// another instance): answered with the OK reply without reaching the handler, and
    /// counted. Only with [`CallbackConfig::dedup`](crate::CallbackConfig::dedup).
    Duplicate,
    /// The duplicate store did not answer in time and the configuration says to refuse
    /// rather than accept (503; see [`StoreFailure`](crate::StoreFailure)).
    StoreUnavailable,
    /// An extractor ran on a request that did not pass the [`TimCallback`] middleware
    /// (500): nothing is decoded before the request is verified.
    ///
    /// [`TimCallback`]: crate::TimCallback
    MiddlewareMissing,
}

impl CallbackError {
    /// The non-zero `ErrorCode` written into the `FAIL` reply: the HTTP status of the
    /// reply times 100, plus a number of its own.
    ///
    /// | variant | code |
    /// | --- | --- |
    /// | `MethodNotAllowed` | 40501 |
    /// | `MissingAppId` | 40301 |
    /// | `InvalidAppId` | 40302 |
    /// | `ForeignAppId` | 40303 |
    /// | `MissingSignature` | 40101 |
    /// | `InvalidRequestTime` | 40102 |
    /// | `ExpiredSignature` | 40103 |
    /// | `WrongSignature` | 40104 |
    /// | `ConflictingSign` | 40105 |
    /// | `PayloadTooLarge` | 41301 |
    /// | `Payload` | 40001 |
    /// | `InvalidJson` | 40002 |
    /// | `UnexpectedCommand` | 40003 |
    /// | `UnhandledCommand` | 40401 |
    /// | `Handler` | the HTTP status × 100 + 99, e.g. 50099 |
    /// | `MiddlewareMissing` | 50001 |
    /// | `HandlerPanicked` | 50002 |
    /// | `StoreUnavailable` | 50301 |
    /// | `Duplicate` | 0 (answered OK) |
    pub fn error_code(&self) -> u32 {
        match self {
            Self::MethodNotAllowed => 40501,
            Self::MissingAppId => 40301,
            Self::InvalidAppId => 40302,
            Self::ForeignAppId { .. } => 40303,
            Self::MissingSignature => 40101,
            Self::InvalidRequestTime => 40102,
            Self::ExpiredSignature { .. } => 40103,
            Self::WrongSignature => 40104,
            Self::ConflictingSign => 40105,
            Self::PayloadTooLarge { .. } => 41301,
            Self::Payload(_) => 40001,
            Self::InvalidJson { .. } => 40002,
            Self::UnexpectedCommand { .. } => 40003,
            Self::UnhandledCommand { .. } => 40401,
            Self::Handler { status } => u32::from(status.as_u16()) * 100 + 99,
            Self::MiddlewareMissing => 50001,
            Self::HandlerPanicked => 50002,
            Self::StoreUnavailable => 50301,
            Self::Duplicate => 0,
        }
    }

    /// The variant's name in snake case, e.g. `wrong_signature`: the `reason` label of the
    /// `tim_callback_rejected_total` metric.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::MethodNotAllowed => "method_not_allowed",
            Self::MissingAppId => "missing_app_id",
            Self::InvalidAppId => "invalid_app_id",
            Self::ForeignAppId { .. } => "foreign_app_id",
            Self::MissingSignature => "missing_signature",
            Self::InvalidRequestTime => "invalid_request_time",
            Self::ConflictingSign => "conflicting_sign",
            Self::ExpiredSignature { .. } => "expired_signature",
            Self::WrongSignature => "wrong_signature",
            Self::PayloadTooLarge { .. } => "payload_too_large",
            Self::Payload(_) => "payload",
            Self::InvalidJson { .. } => "invalid_json",
            Self::UnexpectedCommand { .. } => "unexpected_command",
            Self::UnhandledCommand { .. } => "unhandled_command",
            Self::Handler { .. } => "handler",
            Self::HandlerPanicked => "handler_panicked",
            Self::MiddlewareMissing => "middleware_missing",
            Self::StoreUnavailable => "store_unavailable",
            Self::Duplicate => "duplicate",
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

impl fmt::Display for CallbackError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::MethodNotAllowed => f.write_str("callbacks must be sent with POST"),
            Self::MissingAppId => f.write_str("SdkAppid is missing from the query string"),
            Self::InvalidAppId => {
                f.write_str("SdkAppid is not a number, or is given more than once with different values")
            }
            Self::ForeignAppId { received } => {
                write!(f, "SdkAppid {received} is not this application's")
            }
            Self::MissingSignature => f.write_str("Sign and RequestTime are required (callback authentication is on)"),
            Self::InvalidRequestTime => f.write_str(
                "RequestTime is not a Unix time in seconds, or is given more than once with different values",
            ),
            Self::ConflictingSign => f.write_str("Sign is given more than once with different values"),
            Self::ExpiredSignature {
                skew_secs,
                window_secs,
            } => write!(
                f,
                "RequestTime is {} s in the {}, outside the {window_secs} s replay window",
                skew_secs.unsigned_abs(),
                if *skew_secs >= 0 { "past" } else { "future" }
            ),
            Self::WrongSignature => f.write_str("Sign does not match sha256(token + RequestTime)"),
            Self::PayloadTooLarge { limit } => write!(f, "body is larger than the {limit} byte limit"),
            Self::Payload(err) => write!(f, "body could not be read: {err}"),
            Self::InvalidJson { path, message } => write!(f, "invalid body at {path}: {message}"),
            Self::UnexpectedCommand { expected, received } => write!(
                f,
                "CallbackCommand {received} reached a handler for {expected}; route commands with actix_tim_callback::command::<E>()"
            ),
            Self::UnhandledCommand { command } => match command {
                Some(command) => write!(f, "no handler for CallbackCommand {command}"),
                None => f.write_str("no handler for a request without CallbackCommand"),
            },
            Self::Handler { status } => write!(
                f,
                "the callback handler failed: {}",
                status.canonical_reason().unwrap_or("error")
            ),
            Self::HandlerPanicked => f.write_str("the callback handler panicked"),
            Self::Duplicate => f.write_str("the callback was already accepted"),
            Self::StoreUnavailable => f.write_str(
                "the duplicate store did not answer in time; retry the callback",
            ),
            Self::MiddlewareMissing => f.write_str(
                "a Tencent IM callback extractor ran without the TimCallback middleware; wrap the route or scope with actix_tim_callback::TimCallback",
            ),
        }
    }
}

impl std::error::Error for CallbackError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Payload(err) => Some(err),
            Self::MethodNotAllowed
            | Self::MissingAppId
            | Self::InvalidAppId
            | Self::ForeignAppId { .. }
            | Self::MissingSignature
            | Self::InvalidRequestTime
            | Self::ConflictingSign
            | Self::ExpiredSignature { .. }
            | Self::WrongSignature
            | Self::PayloadTooLarge { .. }
            | Self::InvalidJson { .. }
            | Self::UnexpectedCommand { .. }
            | Self::UnhandledCommand { .. }
            | Self::Handler { .. }
            | Self::HandlerPanicked
            | Self::MiddlewareMissing
            | Self::Duplicate
            | Self::StoreUnavailable => None,
        }
    }
}

impl ResponseError for CallbackError {
    /// The status is the first three digits of the [`error_code`](Self::error_code);
    /// `200` for a duplicate.
    fn status_code(&self) -> StatusCode {
        if matches!(self, Self::Duplicate) {
            return StatusCode::OK;
        }
        u16::try_from(self.error_code() / 100)
            .ok()
            .and_then(|status| StatusCode::from_u16(status).ok())
            .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }

    fn error_response(&self) -> HttpResponse {
        if matches!(self, Self::Duplicate) {
            return crate::reply::ack_response();
        }
        let mut res = HttpResponse::build(self.status_code());
        res.insert_header((header::CONTENT_TYPE, crate::reply::mime_json()));
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
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ConfigError {
    /// The callback token is empty or blank: anyone could compute its signatures.
    EmptyToken,
    /// A previous token was given without a current one.
    PreviousTokenWithoutToken,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::EmptyToken => f.write_str(
                "the Tencent IM callback token is empty or blank; set the token from the IM console, or leave CallbackConfig::token out to accept unsigned callbacks",
            ),
            Self::PreviousTokenWithoutToken => f.write_str(
                "CallbackConfig::previous_token needs the current token first: call token(current).previous_token(old)",
            ),
        }
    }
}

impl std::error::Error for ConfigError {}

/// Shows text that came from a request (a command, a handler's error, a serde message) in
/// a log line with its control characters escaped, so that a request cannot forge lines.
pub(crate) struct LogSafe<T>(pub(crate) T);

impl<T: fmt::Display> fmt::Display for LogSafe<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        struct Escaping<'a, 'b>(&'a mut fmt::Formatter<'b>);

        impl fmt::Write for Escaping<'_, '_> {
            fn write_str(&mut self, text: &str) -> fmt::Result {
                for part in text.split_inclusive(char::is_control) {
                    match part.char_indices().last() {
                        Some((at, c)) if c.is_control() => {
                            self.0.write_str(&part[..at])?;
                            write!(self.0, "{}", c.escape_default())?;
                        }
                        _ => self.0.write_str(part)?,
                    }
                }
                Ok(())
            }
        }

        fmt::write(&mut Escaping(f), format_args!("{}", self.0))
    }
}

#[cfg(test)]
mod tests {
    use super::LogSafe;

    #[test]
    fn log_safe_escapes_line_breaks_and_other_control_characters() {
        assert_eq!(
            LogSafe("a\nb\r\nc\u{1b}[31m").to_string(),
            "a\\nb\\r\\nc\\u{1b}[31m"
        );
        assert_eq!(
            LogSafe("Group.CallbackSendMsgException").to_string(),
            "Group.CallbackSendMsgException"
        );
        assert_eq!(LogSafe("").to_string(), "");
    }
}
