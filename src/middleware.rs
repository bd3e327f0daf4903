//! The middleware that admits only requests meant for this app, signed when a token is
//! set, and writes the reply the IM backend expects.

use std::{
    any::Any,
    cell::RefCell,
    collections::HashSet,
    future::{ready, Ready},
    panic::{self, AssertUnwindSafe},
    pin::Pin,
    rc::Rc,
    sync::{Arc, Mutex, Once, PoisonError},
    task::{Context, Poll},
    time::{Instant, SystemTime, UNIX_EPOCH},
};

use actix_web::rt::time::timeout;
use actix_web::{
    body::{BodySize, BoxBody, EitherBody, MessageBody},
    dev::{Payload, Service, ServiceRequest, ServiceResponse, Transform},
    error::PayloadError,
    http::{header, Method, StatusCode},
    web::Bytes,
    Error, HttpMessage, ResponseError,
};
use futures_util::{future::LocalBoxFuture, FutureExt, Stream, StreamExt};

use crate::{
    config::{CallbackConfig, UnhandledCommands},
    error::{rejected, CallbackError, LogSafe},
    meta::{Claimed, Verified},
    metrics,
    query::Query,
    reply::{ack_response, mime_json},
    verify::verify,
};

/// Middleware for the callback URL: checks the query string before any byte of the body
/// is read, and writes the reply the IM backend expects.
///
/// For each request it
/// 1. rejects anything but `POST` (405);
/// 2. rejects a missing, malformed or foreign `SdkAppid` (403);
/// 3. when a token is configured, rejects a missing, expired or wrong signature (401);
/// 4. hands the verified metadata to the extractors and guards, and calls the handler;
/// 5. turns a `200` or `204` reply without body (a handler returning `Ok(())`, or
///    `HttpResponse::Ok().finish()`) into `200` with
///    `{"ActionStatus":"OK","ErrorInfo":"","ErrorCode":0}`, answers commands no route
///    handles as [`UnhandledCommands`] says, and turns errors of handlers and extractors
///    into a `FAIL` reply with their status. An error is never answered OK.
///
/// Every rejection is logged at warn level and answered with a `FAIL` JSON body as a
/// response, so outer middleware such as `Logger` sees it. Two cases leave no request to
/// answer with and come back as an `Err` instead, whose response actix writes: a handler
/// that panics ([`CallbackError::HandlerPanicked`], a `FAIL` 500; the worker goes on
/// serving), and an `Err` of an inner middleware, passed on as it is. After
/// a rejection an unread body is not read on: the connection is closed. After an accepted
/// callback whose body nobody read, at most the body limit is read, to keep the
/// connection alive.
///
/// A configuration that [`CallbackConfig::validate`] refuses (an empty token) makes the
/// middleware log the error and fail to start, so the app does not serve unprotected.
///
/// ```
/// use actix_tim_callback::{command, Callback, CallbackConfig, TimCallback};
/// use actix_tim_callback::model::group;
/// use actix_web::{web, App};
///
/// // `Ok(())` becomes the OK reply; an `Err` becomes a `FAIL` reply with its status.
/// async fn on_exception(cb: Callback<group::SendMsgException>) -> actix_web::Result<()> {
///     log::warn!("group {} lost a message: {}", cb.event.group_id, cb.event.kind());
///     Ok(())
/// }
///
/// let app = App::new().service(
///     web::scope("/im/callback")
///         .wrap(TimCallback::new(CallbackConfig::new(1400000000).token("secret")))
///         .route("", web::post().guard(command::<group::SendMsgException>()).to(on_exception)),
/// );
/// ```
#[derive(Debug, Clone)]
pub struct TimCallback {
    shared: Arc<Shared>,
}

/// What every worker's middleware shares.
#[derive(Debug)]
struct Shared {
    config: CallbackConfig,
    /// The unhandled commands already warned about, so each is warned about once.
    warned: Mutex<HashSet<String>>,
}

/// How many distinct unhandled commands are warned about; the rest are logged at debug
/// level, so that made-up commands cannot grow the set without bound.
const MAX_WARNED_COMMANDS: usize = 64;

impl TimCallback {
    /// The middleware for these settings.
    pub fn new(mut config: CallbackConfig) -> Self {
        // `HttpServer` builds the app once per worker: warn once per process, not per worker.
        static UNSIGNED_WARNING: Once = Once::new();
        metrics::describe();
        if !config.verifies_signatures() && config.validate().is_ok() {
            UNSIGNED_WARNING.call_once(|| log::warn!(
                "Tencent IM callbacks for SdkAppid {} are accepted without signature checks: set a callback token",
                config.sdk_app_id
            ));
        }
        if let Some(dedup) = &mut config.dedup {
            // A captured request stays valid for the window before and after its time.
            dedup.ttl = dedup.ttl.max(config.replay_window * 2);
        }
        Self {
            shared: Arc::new(Shared {
                config,
                warned: Mutex::default(),
            }),
        }
    }
}

impl<S, B> Transform<S, ServiceRequest> for TimCallback
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error> + 'static,
    B: MessageBody + 'static,
{
    type Response = ServiceResponse<EitherBody<B>>;
    type Error = Error;
    type Transform = TimCallbackMiddleware<S>;
    type InitError = ();
    type Future = Ready<Result<Self::Transform, Self::InitError>>;

    fn new_transform(&self, service: S) -> Self::Future {
        if let Err(err) = self.shared.config.validate() {
            log::error!("TimCallback refused to start: {err}");
            return ready(Err(()));
        }
        ready(Ok(TimCallbackMiddleware {
            service,
            shared: Arc::clone(&self.shared),
        }))
    }
}

/// The service [`TimCallback`] wraps around the inner service.
// Public only because `Transform::Transform` names it; not re-exported, as actix-web's
// own inner middleware services.
#[allow(unreachable_pub)]
pub struct TimCallbackMiddleware<S> {
    service: S,
    shared: Arc<Shared>,
}

impl<S, B> Service<ServiceRequest> for TimCallbackMiddleware<S>
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error> + 'static,
    B: MessageBody + 'static,
{
    type Response = ServiceResponse<EitherBody<B>>;
    type Error = Error;
    type Future = LocalBoxFuture<'static, Result<Self::Response, Error>>;

    actix_web::dev::forward_ready!(service);

    fn call(&self, mut req: ServiceRequest) -> Self::Future {
        let config = &self.shared.config;
        let verified = match req.method() {
            &Method::POST => verify(config, &Query::parse(req.query_string()), now()),
            _ => Err(CallbackError::MethodNotAllowed),
        };
        let (meta, token) = match verified {
            Ok(verified) => verified,
            Err(err) => return Box::pin(ready(Ok(reject(req, err)))),
        };
        if let Some(token) = token {
            log::debug!(
                "Tencent IM callback signed with the {} token",
                token.as_str()
            );
            metrics::token(token);
        }
        let command = meta.command.clone();
        let dedup = config
            .dedup
            .clone()
            .map(|dedup| (dedup, Claimed::default()));
        let claimed = dedup.as_ref().map(|(_, claimed)| Rc::clone(claimed));
        req.extensions_mut()
            .insert(Verified::new(meta, config.body_limit, dedup));
        let body = SharedPayload::install(&mut req);
        let started = Instant::now();
        let called = panic::catch_unwind(AssertUnwindSafe(|| self.service.call(req)));
        let shared = Arc::clone(&self.shared);
        Box::pin(async move {
            let outcome = match called {
                Ok(fut) => AssertUnwindSafe(fut).catch_unwind().await,
                Err(panic) => Err(panic),
            };
            let res = match outcome {
                Ok(Ok(res)) => {
                    let duplicate = res.response().error().is_some_and(|err| {
                        matches!(err.as_error(), Some(CallbackError::Duplicate))
                    });
                    if !duplicate {
                        shared.time_handler(command.as_deref(), started);
                    }
                    shared.finish(res, command.as_deref())
                }
                // From inner middleware; the request went with it, so there is none left
                // to build a response with.
                Ok(Err(err)) => {
                    shared.release(claimed).await;
                    return Err(err);
                }
                Err(panic) => {
                    shared.time_handler(command.as_deref(), started);
                    log::error!(
                        "Tencent IM callback {} handler panicked: {}",
                        LogSafe(command.as_deref().unwrap_or("(no command)")),
                        LogSafe(panic_message(&*panic))
                    );
                    metrics::rejected(CallbackError::HandlerPanicked.kind());
                    shared.release(claimed).await;
                    return Err(CallbackError::HandlerPanicked.into());
                }
            };
            if !res.status().is_success() {
                shared.release(claimed).await;
            }
            Ok(body.settle(res, shared.config.body_limit).await)
        })
    }
}

/// Where the error of a response came from.
#[derive(Debug, Clone, Copy)]
pub(crate) enum ErrorSource {
    /// A [`CallbackError`], whose response already is a `FAIL` reply.
    Crate,
    /// A handler's, an extractor's or a middleware's own error.
    Other,
}

/// What the IM backend gets for what the inner service answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Reply {
    /// The response as it is: a body of the handler's own, or the crate's `FAIL` reply.
    AsIs,
    /// Tencent's OK reply, status `200`.
    Ok,
    /// A `FAIL` reply with the response's status.
    Fail,
    /// actix's own empty reply when no route matched: the command is not handled.
    Unhandled,
}

/// The reply rules, for a response of `status`, its error, whether its body is `empty`,
/// and whether a handler was `routed` (a command guard matched or an extractor ran). Only
/// a success is ever answered OK.
pub(crate) fn decide(
    status: StatusCode,
    error: Option<ErrorSource>,
    empty: bool,
    routed: bool,
) -> Reply {
    match (error, status) {
        (Some(ErrorSource::Crate), _) => Reply::AsIs,
        (Some(ErrorSource::Other), _) => Reply::Fail,
        (None, _) if !empty => Reply::AsIs,
        (None, StatusCode::OK | StatusCode::NO_CONTENT) => Reply::Ok,
        // actix answers a request no route matched with an empty 404 (or 405 when a
        // resource matched but none of its routes' guards did).
        (None, StatusCode::NOT_FOUND | StatusCode::METHOD_NOT_ALLOWED) if !routed => {
            Reply::Unhandled
        }
        (None, status) if status.is_client_error() || status.is_server_error() => Reply::Fail,
        (None, _) => Reply::AsIs,
    }
}

impl Shared {
    /// Writes the reply the IM backend expects from what the inner service returned.
    fn finish<B: MessageBody>(
        &self,
        res: ServiceResponse<B>,
        command: Option<&str>,
    ) -> ServiceResponse<EitherBody<B>> {
        let status = res.status();
        let error = res
            .response()
            .error()
            .map(|err| match err.as_error::<CallbackError>() {
                Some(_) => ErrorSource::Crate,
                None => ErrorSource::Other,
            });
        let empty = matches!(
            res.response().body().size(),
            BodySize::None | BodySize::Sized(0)
        );
        let routed = res
            .request()
            .extensions()
            .get::<Verified>()
            .is_some_and(|verified| verified.routed.get());
        let shown = LogSafe(command.unwrap_or("(no command)"));
        let reply = decide(status, error, empty, routed);
        count(&res, reply, command);
        match reply {
            Reply::AsIs => res.map_into_left_body(),
            Reply::Ok => res.into_response(ack_response()).map_into_right_body(),
            Reply::Fail => {
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
                    head.headers_mut().insert(header::CONTENT_TYPE, mime_json());
                    head.headers_mut().remove(header::CONTENT_LENGTH);
                    EitherBody::right(BoxBody::new(body))
                })
            }
            Reply::Unhandled => {
                let reply = match self.config.unhandled {
                    UnhandledCommands::Ack => {
                        self.log_unhandled(shown.0);
                        ack_response()
                    }
                    UnhandledCommands::Reject => {
                        let err = CallbackError::UnhandledCommand {
                            command: command.map(str::to_owned),
                        };
                        log::warn!("rejected Tencent IM callback: {}", LogSafe(&err));
                        err.error_response()
                    }
                };
                res.into_response(reply).map_into_right_body()
            }
        }
    }

    /// Records how long the handler (with its extractors) took, and warns when it came
    /// close to Tencent's 2 s.
    fn time_handler(&self, command: Option<&str>, started: Instant) {
        let took = started.elapsed();
        metrics::handler_time(command, took.as_secs_f64());
        if took > self.config.slow_handler {
            log::warn!(
                "Tencent IM callback {} took {took:?} in its handler; the IM backend gives up after 2 s",
                LogSafe(command.unwrap_or("(no command)"))
            );
        }
    }

    /// Releases the duplicate-store claim of a callback that was not accepted, so that a
    /// retry can succeed.
    async fn release(&self, claimed: Option<Claimed>) {
        let (Some(dedup), Some(key)) = (&self.config.dedup, claimed.and_then(|c| c.take())) else {
            return;
        };
        let why = match timeout(dedup.timeout, dedup.store.release(&key)).await {
            Ok(Ok(())) => return,
            Ok(Err(err)) => err.to_string(),
            Err(_) => format!("no answer within {:?}", dedup.timeout),
        };
        metrics::store_failure("release");
        log::warn!(
            "duplicate store failed to release a failed callback ({}); its retry will be answered OK until the claim expires",
            LogSafe(&why)
        );
    }

    /// Warns once per command that no route handles it (a typo in a guard would otherwise
    /// drop every callback of that command in silence); debug level after that.
    fn log_unhandled(&self, command: &str) {
        let first = {
            let mut warned = self.warned.lock().unwrap_or_else(PoisonError::into_inner);
            warned.len() < MAX_WARNED_COMMANDS && warned.insert(command.to_owned())
        };
        if first {
            log::warn!(
                "no route handles Tencent IM callback {}; answered OK. Route it with actix_tim_callback::command, or switch it off in the IM console",
                LogSafe(command)
            );
        } else {
            log::debug!(
                "no route handles Tencent IM callback {}; answered OK",
                LogSafe(command)
            );
        }
    }
}

/// Counts what the IM backend gets (feature `metrics`).
fn count<B>(res: &ServiceResponse<B>, reply: Reply, command: Option<&str>) {
    let crate_error = res
        .response()
        .error()
        .and_then(|err| err.as_error::<CallbackError>());
    match (reply, crate_error) {
        (_, Some(CallbackError::Duplicate)) => metrics::duplicate(command),
        (_, Some(err)) => metrics::rejected(err.kind()),
        (Reply::Fail, None) => metrics::rejected("handler"),
        (Reply::Unhandled, None) | (Reply::Ok, None) => metrics::accepted(command),
        (Reply::AsIs, None) if res.status().is_success() => metrics::accepted(command),
        (Reply::AsIs, None) => metrics::rejected("handler"),
    }
}

/// The `FAIL` reply to a request the middleware itself rejects.
fn reject<B>(mut req: ServiceRequest, err: CallbackError) -> ServiceResponse<EitherBody<B>> {
    metrics::rejected(err.kind());
    let err = rejected(req.request(), err);
    let payload = req.take_payload();
    req.error_response(err)
        .map_body(|_, body| {
            BoxBody::new(HoldPayload {
                body,
                _payload: payload,
            })
        })
        .map_into_right_body()
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |since| since.as_secs())
}

fn panic_message(panic: &(dyn Any + Send)) -> &str {
    panic
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| panic.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("(no message)")
}

/// The request body, shared between the handler (through the request's payload) and the
/// middleware, which decides after the handler what to do with what is left unread.
#[derive(Clone)]
struct SharedPayload(Rc<RefCell<BodyState>>);

struct BodyState {
    payload: Payload,
    read: usize,
    finished: bool,
}

impl SharedPayload {
    /// Moves the request's payload behind a shared handle, and gives the request a stream
    /// that reads through it.
    fn install(req: &mut ServiceRequest) -> Self {
        let shared = SharedPayload(Rc::new(RefCell::new(BodyState {
            payload: req.take_payload(),
            read: 0,
            finished: false,
        })));
        req.set_payload(Payload::Stream {
            payload: Box::pin(shared.clone()),
        });
        shared
    }

    /// Leaves the connection alive for a success whose body is read within `limit`
    /// (reading what nobody read); otherwise keeps the unread payload until the reply is
    /// written, which makes actix-http close the connection instead of reading on.
    async fn settle<B: MessageBody + 'static>(
        mut self,
        res: ServiceResponse<EitherBody<B>>,
        limit: usize,
    ) -> ServiceResponse<EitherBody<B>> {
        if self.0.borrow().finished {
            return res;
        }
        if res.status().is_success() {
            while let Some(chunk) = self.next().await {
                if chunk.is_err() || self.0.borrow().read > limit {
                    break;
                }
            }
            if self.0.borrow().finished && self.0.borrow().read <= limit {
                return res;
            }
        }
        res.map_body(|_, body| {
            EitherBody::right(BoxBody::new(HoldPayload {
                body: BoxBody::new(body),
                _payload: self,
            }))
        })
    }
}

impl Stream for SharedPayload {
    type Item = Result<Bytes, PayloadError>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let mut state = self.0.borrow_mut();
        if state.finished {
            return Poll::Ready(None);
        }
        let polled = Pin::new(&mut state.payload).poll_next(cx);
        match &polled {
            Poll::Ready(Some(Ok(chunk))) => state.read += chunk.len(),
            Poll::Ready(None) => state.finished = true,
            Poll::Ready(Some(Err(_))) | Poll::Pending => {}
        }
        polled
    }
}

/// A reply body that keeps the request's unread payload until the reply is written.
struct HoldPayload<P> {
    body: BoxBody,
    _payload: P,
}

impl<P: Unpin> MessageBody for HoldPayload<P> {
    type Error = <BoxBody as MessageBody>::Error;

    fn size(&self) -> BodySize {
        self.body.size()
    }

    fn poll_next(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Bytes, Self::Error>>> {
        Pin::new(&mut self.get_mut().body).poll_next(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The reply rules as a table: status, error, empty body, routed → reply.
    #[test]
    fn reply_rules() {
        use ErrorSource::{Crate, Other};
        let table: &[(u16, Option<ErrorSource>, bool, bool, Reply)] = &[
            // Successes without a body are OK; with a body they pass as they are.
            (200, None, true, true, Reply::Ok),
            (204, None, true, true, Reply::Ok),
            (200, None, true, false, Reply::Ok),
            (200, None, false, true, Reply::AsIs),
            (201, None, true, true, Reply::AsIs),
            (202, None, true, true, Reply::AsIs),
            // actix's "no route" replies, unless a handler was routed.
            (404, None, true, false, Reply::Unhandled),
            (405, None, true, false, Reply::Unhandled),
            (404, None, true, true, Reply::Fail),
            (405, None, true, true, Reply::Fail),
            (404, None, false, false, Reply::AsIs),
            // Other empty failures become FAIL replies.
            (400, None, true, true, Reply::Fail),
            (500, None, true, false, Reply::Fail),
            (503, None, true, true, Reply::Fail),
            // Errors: the crate's pass as they are, others become FAIL replies.
            (400, Some(Crate), false, true, Reply::AsIs),
            (413, Some(Crate), false, false, Reply::AsIs),
            (500, Some(Other), false, true, Reply::Fail),
            (404, Some(Other), true, false, Reply::Fail),
            (200, Some(Other), true, true, Reply::Fail),
            // Neither success nor failure: as it is.
            (302, None, true, true, Reply::AsIs),
        ];
        for &(status, error, empty, routed, expected) in table {
            let status = StatusCode::from_u16(status).expect("a status");
            assert_eq!(
                decide(status, error, empty, routed),
                expected,
                "{status} {error:?} empty={empty} routed={routed}"
            );
        }
    }
}
