//! The reply rules: what the IM backend gets for what the inner service answered.

use actix_web::{
    body::{BodySize, BoxBody, EitherBody, MessageBody},
    dev::ServiceResponse,
    http::{header, StatusCode},
    ResponseError,
};

use super::Inner;
use crate::{
    config::UnhandledCommands, error::CallbackError, log::LogSafe, reply::ack_response,
    request::CallbackRequest, scan::Scan, telemetry,
};

/// Where the error of a response came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ErrorSource {
    /// A [`CallbackError`] of this kind (or a `QueueError`, kind `queue`), whose response
    /// already is a `FAIL` reply.
    Crate(&'static str),
    /// A handler's, an extractor's or a middleware's own error.
    Other,
}

/// Whether a response has a body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Body {
    Empty,
    Filled,
}

/// Whether a handler was routed: a command guard matched or an extractor of the crate ran.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Routed {
    Yes,
    No,
}

/// What the IM backend gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Verdict {
    /// The response as it is: a body of the handler's own, or the crate's `FAIL` reply.
    AsIs,
    /// Tencent's OK reply, status `200`.
    Ok,
    /// A `FAIL` reply with the response's status.
    Fail,
    /// actix's own empty reply when no route matched: the command is not handled.
    Unhandled,
}

/// The reply rules. Only a success is ever answered OK.
pub(crate) fn decide(
    status: StatusCode,
    error: Option<ErrorSource>,
    body: Body,
    routed: Routed,
) -> Verdict {
    match (error, status, body) {
        (Some(ErrorSource::Crate(_)), _, _) => Verdict::AsIs,
        (Some(ErrorSource::Other), _, _) => Verdict::Fail,
        (None, _, Body::Filled) => Verdict::AsIs,
        (None, StatusCode::OK | StatusCode::NO_CONTENT, Body::Empty) => Verdict::Ok,
        // actix answers a request no route matched with an empty 404 (or 405 when a
        // resource matched but none of its routes' guards did).
        (None, StatusCode::NOT_FOUND | StatusCode::METHOD_NOT_ALLOWED, Body::Empty)
            if routed == Routed::No =>
        {
            Verdict::Unhandled
        }
        (None, status, _) if status.is_client_error() || status.is_server_error() => Verdict::Fail,
        (None, _, _) => Verdict::AsIs,
    }
}

impl Inner {
    /// Writes the reply the IM backend expects from what the inner service returned, and
    /// counts it.
    pub(super) fn finish<B: MessageBody>(
        &self,
        res: ServiceResponse<B>,
        state: &CallbackRequest,
    ) -> ServiceResponse<EitherBody<B>> {
        let status = res.status();
        let error = res
            .response()
            .error()
            .map(|err| match err.as_error::<CallbackError>() {
                Some(err) => ErrorSource::Crate(err.kind()),
                #[cfg(feature = "queue")]
                None if err.as_error::<crate::queue::QueueError>().is_some() => {
                    ErrorSource::Crate("queue")
                }
                None => ErrorSource::Other,
            });
        let body = match res.response().body().size() {
            BodySize::None | BodySize::Sized(0) => Body::Empty,
            _ => Body::Filled,
        };
        let routed = if state.routed() {
            Routed::Yes
        } else {
            Routed::No
        };
        let command = state.command();
        let shown = state.shown();
        let app = self.config.label_of(state.meta().sdk_app_id);
        match decide(status, error, body, routed) {
            Verdict::AsIs => {
                match error {
                    Some(ErrorSource::Crate(kind)) => telemetry::rejected(app, kind),
                    _ if status.is_success() => telemetry::accepted(app, command),
                    _ => telemetry::rejected(app, "handler"),
                }
                res.map_into_left_body()
            }
            Verdict::Ok => {
                telemetry::accepted(app, command);
                res.into_response(ack_response()).map_into_right_body()
            }
            Verdict::Fail => {
                telemetry::rejected(app, "handler");
                let reason = res
                    .response()
                    .error()
                    .map(|err| format!(": {}", LogSafe(err)));
                log::warn!(
                    "Tencent IM callback {shown} failed in its handler with {status}{}",
                    reason.unwrap_or_default()
                );
                let body = CallbackError::Handler { status }.fail_body();
                res.map_body(|head, _| {
                    let json = header::HeaderValue::from_static("application/json");
                    head.headers_mut().insert(header::CONTENT_TYPE, json);
                    head.headers_mut().remove(header::CONTENT_LENGTH);
                    EitherBody::right(BoxBody::new(body))
                })
            }
            Verdict::Unhandled => {
                let path = res.request().path();
                let refusal = if res.request().resource_map().has_resource(path) {
                    let body = Scan::of(state.body());
                    state
                        .check_body_command(body.as_ref().and_then(Scan::command))
                        .err()
                } else {
                    // Not a command without a route: a path without a resource.
                    Some(CallbackError::NoResource {
                        path: path.to_owned(),
                    })
                };
                if let Some(err) = refusal {
                    telemetry::rejected(app, err.kind());
                    log::error!("Tencent IM callback {shown} refused: {}", LogSafe(&err));
                    return res
                        .into_response(err.error_response())
                        .map_into_right_body();
                }
                let reply = match self.config.unhandled {
                    UnhandledCommands::Ack => {
                        telemetry::accepted(app, command);
                        self.log_unhandled(shown.0);
                        ack_response()
                    }
                    UnhandledCommands::Reject => {
                        let err = CallbackError::UnhandledCommand {
                            command: command.unwrap_or_default().to_owned(),
                        };
                        telemetry::rejected(app, err.kind());
                        log::warn!("rejected Tencent IM callback: {}", LogSafe(&err));
                        err.error_response()
                    }
                };
                res.into_response(reply).map_into_right_body()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The reply rules as a table: status, error, body, routed → verdict.
    #[test]
    fn reply_rules() {
        use Body::{Empty, Filled};
        use Routed::{No, Yes};
        const CRATE: Option<ErrorSource> = Some(ErrorSource::Crate("invalid_json"));
        const OTHER: Option<ErrorSource> = Some(ErrorSource::Other);
        let table: &[(u16, Option<ErrorSource>, Body, Routed, Verdict)] = &[
            // Successes without a body are OK; with a body they pass as they are.
            (200, None, Empty, Yes, Verdict::Ok),
            (204, None, Empty, Yes, Verdict::Ok),
            (200, None, Empty, No, Verdict::Ok),
            (200, None, Filled, Yes, Verdict::AsIs),
            (201, None, Empty, Yes, Verdict::AsIs),
            (202, None, Empty, Yes, Verdict::AsIs),
            // actix's "no route" replies, unless a handler was routed.
            (404, None, Empty, No, Verdict::Unhandled),
            (405, None, Empty, No, Verdict::Unhandled),
            (404, None, Empty, Yes, Verdict::Fail),
            (405, None, Empty, Yes, Verdict::Fail),
            (404, None, Filled, No, Verdict::AsIs),
            // Other empty failures become FAIL replies.
            (400, None, Empty, Yes, Verdict::Fail),
            (500, None, Empty, No, Verdict::Fail),
            (503, None, Empty, Yes, Verdict::Fail),
            // Errors: the crate's pass as they are, others become FAIL replies.
            (400, CRATE, Filled, Yes, Verdict::AsIs),
            (413, CRATE, Filled, No, Verdict::AsIs),
            (500, OTHER, Filled, Yes, Verdict::Fail),
            (404, OTHER, Empty, No, Verdict::Fail),
            (200, OTHER, Empty, Yes, Verdict::Fail),
            // Neither success nor failure: as it is.
            (302, None, Empty, Yes, Verdict::AsIs),
        ];
        for &(status, error, body, routed, expected) in table {
            let status = StatusCode::from_u16(status).expect("a status");
            assert_eq!(
                decide(status, error, body, routed),
                expected,
                "{status} {error:?} {body:?} {routed:?}"
            );
        }
    }
}
