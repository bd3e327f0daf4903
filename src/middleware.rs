//! The middleware that admits only requests meant for this app, signed when a token is
//! set, and writes the reply the IM backend expects. The request's way through reads top
//! to bottom in [`TimCallbackMiddleware::call`]: [`Shared::admit`], [`read_body`],
//! [`Shared::claim`], the inner service, [`Shared::finish`], [`Shared::settle`].

use std::{
    any::Any,
    collections::HashSet,
    future::{ready, Ready},
    panic::{self, AssertUnwindSafe},
    pin::Pin,
    rc::Rc,
    sync::{Arc, Mutex, Once, PoisonError},
    task::{Context, Poll},
    time::{Duration, Instant, SystemTime, UNIX_EPOCH},
};

use actix_web::{
    body::{self, BodySize, BoxBody, EitherBody, MessageBody},
    dev::{Payload, Service, ServiceRequest, ServiceResponse, Transform},
    http::{
        header::{self, ContentLength},
        Method, StatusCode,
    },
    rt::time::{sleep, timeout},
    web::{Bytes, BytesMut},
    Error, HttpMessage, HttpResponse, ResponseError,
};
use futures_util::{future::LocalBoxFuture, FutureExt, StreamExt};
use serde::Deserialize;

use crate::{
    config::{CallbackConfig, Dedup, StoreFailure, UnhandledCommands},
    dedup::{new_owner, Claim, StoreError, StoredReply},
    error::{rejected, CallbackError, LogSafe},
    meta::CallbackMeta,
    model::AnyEvent,
    query::Query,
    reply::{ack_response, mime_json},
    request::CallbackRequest,
    telemetry,
    verify::verify,
};

/// Middleware for the callback URL: checks the query string before any byte of the body
/// is read, reads the body, suppresses duplicates, and writes the reply the IM backend
/// expects.
///
/// For each request, in this order, it
/// 1. rejects anything but `POST` (405), a missing, malformed or foreign `SdkAppid` (403),
///    and, when a token is configured, a missing, expired or wrong signature (401), all
///    before the body is read;
/// 2. reads the body, at most [`body_limit`](CallbackConfig::body_limit) (413 past it);
/// 3. with [`dedup`](CallbackConfig::dedup), claims the callback: a duplicate gets the
///    first delivery's reply without the handler, one that arrives while the first is
///    handled waits for its outcome;
/// 4. calls the route with the body as its payload (so `web::Bytes` and `web::Json` work
///    too) and the verified metadata for the extractors and guards;
/// 5. writes the reply (table below), and settles the claim: completed with the reply on
///    a success, released otherwise, so a retry is handled.
///
/// Build it once, outside `HttpServer::new`, and clone it into each worker: the workers then
/// share its duplicate store and its warn-once set.
///
/// # Replies
///
/// Every `FAIL` reply is `{"ActionStatus":"FAIL","ErrorCode":<code>,"ErrorInfo":"<reason>"}`
/// with `Content-Type: application/json`, and is logged once at warn level. An error is
/// never answered OK.
///
/// | request | status | reply |
/// | --- | --- | --- |
/// | valid, handler returns [`Ack`](crate::Ack), `Ok(())` or an empty `200`/`204` | 200 | `{"ActionStatus":"OK","ErrorInfo":"","ErrorCode":0}` |
/// | valid, handler returns a body of its own (a before-callback's reply) | its status | its body, unchanged |
/// | valid, `CallbackCommand` no route handles | 200 | OK; warned once per command, debug after ([`UnhandledCommands::Ack`], the default) |
/// | same, with [`UnhandledCommands::Reject`] | 404 | FAIL 40401 |
/// | not `POST` | 405 | FAIL 40501, `Allow: POST` |
/// | `SdkAppid` missing / not a number or repeated with different values / another app's | 403 | FAIL 40301 / 40302 / 40303 |
/// | token set: `Sign` or `RequestTime` missing / `RequestTime` malformed / outside the replay window / `Sign` wrong / `Sign` repeated with different values | 401 | FAIL 40101 / 40102 / 40103 / 40104 / 40105 |
/// | body over the limit (by `Content-Length` or while streaming) | 413 | FAIL 41301, connection closed |
/// | body could not be read | 400 | FAIL 40001 |
/// | body not JSON, or of the wrong shape | 400 | FAIL 40002, the field path in `ErrorInfo` |
/// | `CallbackCommand` is not the handler's event type | 400 | FAIL 40003 |
/// | handler or another extractor returns an error, or an empty `4xx`/`5xx` | its status | FAIL `status × 100 + 99` (e.g. 50099) |
/// | handler panics | 500 | FAIL 50002, as an `Err` of the middleware (no request is left to answer with); the worker goes on |
/// | with `dedup`: a callback already handled (retry, replay, another instance) | the first's | the first delivery's reply, without the handler; counted |
/// | with `dedup`: another delivery of it still in its handler after [`dedup_wait`](CallbackConfig::dedup_wait) | 409 | FAIL 40901 (retry later) |
/// | with `dedup`: the store does not answer in time | 200 / 503 | handled as new ([`StoreFailure::Accept`](crate::StoreFailure), the default), or FAIL 50301 |
/// | an extractor of the crate used without the middleware | 500 | FAIL 50001, and an error log telling you to add it |
///
/// After a rejection before or while the body is read, the unread rest is not read: the
/// connection is closed. A configuration that [`CallbackConfig::validate`] refuses (an
/// empty token) makes the middleware log the error and fail to start, so the app does not
/// serve unprotected.
///
/// ```
/// use actix_tim_callback::{command, Callback, CallbackConfig, TimCallback};
/// use actix_tim_callback::model::group::SendMsgException;
/// use actix_web::{web, App};
///
/// // `Ok(())` becomes the OK reply; an `Err` becomes a `FAIL` reply with its status.
/// async fn on_exception(cb: Callback<SendMsgException>) -> actix_web::Result<()> {
///     log::warn!("group {} lost a message: {}", cb.event.group_id, cb.event.kind());
///     Ok(())
/// }
///
/// let tim = TimCallback::new(CallbackConfig::new(1400000000).token("secret"));
/// let app = App::new().service(
///     web::scope("/im/callback")
///         .wrap(tim.clone())
///         .route("", web::post().guard(command::<SendMsgException>()).to(on_exception)),
/// );
/// ```
#[derive(Debug, Clone)]
pub struct TimCallback {
    shared: Arc<Shared>,
}

/// What every worker's middleware shares: build [`TimCallback`] once, outside
/// `HttpServer::new`, and clone it into each worker.
#[derive(Debug)]
struct Shared {
    config: CallbackConfig,
    /// The unhandled commands already warned about, so each is warned about once.
    warned: Mutex<HashSet<String>>,
}

/// How many distinct unhandled commands are warned about; the rest are logged at debug
/// level, so that made-up commands cannot grow the set without bound.
const MAX_WARNED_COMMANDS: usize = 64;

/// How often a delivery asks the store again while another delivery is in flight.
const IN_FLIGHT_POLL: Duration = Duration::from_millis(20);

/// The largest success reply kept with a claim; a larger one is not replayed (its claim is
/// released, so a duplicate runs the handler again).
const MAX_STORED_REPLY: usize = 64 * 1024;

impl TimCallback {
    /// The middleware for these settings.
    pub fn new(mut config: CallbackConfig) -> Self {
        static UNSIGNED_WARNING: Once = Once::new();
        telemetry::describe();
        if !config.verifies_signatures() && config.validate().is_ok() {
            UNSIGNED_WARNING.call_once(|| log::warn!(
                "Tencent IM callbacks for SdkAppid {} are accepted without signature checks: set a callback token",
                config.sdk_app_id
            ));
        }
        if let Some(dedup) = &mut config.dedup {
            // A captured request stays valid for the window before and after its time.
            dedup.ttl = dedup.ttl.max(config.replay_window.saturating_mul(2));
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
            service: Rc::new(service),
            shared: Arc::clone(&self.shared),
        }))
    }
}

/// The service [`TimCallback`] wraps around the inner service.
// Public only because `Transform::Transform` names it; not re-exported, as actix-web's
// own inner middleware services.
#[allow(unreachable_pub)]
pub struct TimCallbackMiddleware<S> {
    service: Rc<S>,
    shared: Arc<Shared>,
}

/// What the duplicate store says about a callback.
enum Admission {
    /// Handle it; settle the claim of `owner` afterwards (none without duplicate
    /// suppression).
    Handle { owner: Option<String> },
    /// Handled already: answer with its reply.
    Replay(StoredReply),
    /// Do not handle it now.
    Refuse(CallbackError),
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
        let service = Rc::clone(&self.service);
        let shared = Arc::clone(&self.shared);
        Box::pin(async move {
            let received_at = SystemTime::now();
            let meta = match shared.admit(&req, received_at) {
                Ok(meta) => meta,
                Err(err) => return Ok(reject(req, err)),
            };
            let body = match read_body(&mut req, shared.config.body_limit).await {
                Ok(body) => body,
                Err(err) => return Ok(reject(req, err)),
            };
            let command = meta.command.clone().or_else(|| body_command(&body));
            let state = Rc::new(CallbackRequest::new(
                meta,
                command,
                body.clone(),
                received_at,
            ));
            let owner = match shared.claim(&state).await {
                Admission::Handle { owner } => owner,
                Admission::Replay(reply) => return Ok(replay(req, &state, reply)),
                Admission::Refuse(err) => return Ok(reject(req, err)),
            };
            req.extensions_mut().insert(Rc::clone(&state));
            req.set_payload(Payload::from(body));

            let started = Instant::now();
            let called = panic::catch_unwind(AssertUnwindSafe(|| service.call(req)));
            let outcome = match called {
                Ok(fut) => AssertUnwindSafe(fut).catch_unwind().await,
                Err(panic) => Err(panic),
            };
            let res = match outcome {
                Ok(Ok(res)) => res,
                // From inner middleware; the request went with it, so there is none left
                // to build a response with.
                Ok(Err(err)) => {
                    shared.release(&state, owner.as_deref()).await;
                    return Err(err);
                }
                Err(panic) => {
                    shared.time_handler(&state, started);
                    log::error!(
                        "Tencent IM callback {} handler panicked: {}",
                        state.shown(),
                        LogSafe(panic_message(&*panic))
                    );
                    telemetry::rejected(CallbackError::HandlerPanicked.kind());
                    shared.release(&state, owner.as_deref()).await;
                    return Err(CallbackError::HandlerPanicked.into());
                }
            };
            if state.routed() {
                shared.time_handler(&state, started);
            }
            let res = shared.finish(res, &state);
            Ok(shared.settle(res, &state, owner.as_deref()).await)
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
    /// Method, app id and signature, before any byte of the body is read.
    fn admit(&self, req: &ServiceRequest, at: SystemTime) -> Result<CallbackMeta, CallbackError> {
        if req.method() != Method::POST {
            return Err(CallbackError::MethodNotAllowed);
        }
        let now = at
            .duration_since(UNIX_EPOCH)
            .map_or(0, |since| since.as_secs());
        let (meta, token) = verify(&self.config, &Query::parse(req.query_string()), now)?;
        if let Some(token) = token {
            log::debug!(
                "Tencent IM callback signed with the {} token",
                token.as_str()
            );
            telemetry::token(token.as_str());
        }
        Ok(meta)
    }

    /// Claims the callback in the duplicate store (see [`CallbackConfig::dedup`]): a new
    /// one is handled, a handled one replayed, and one in flight waited for, up to the
    /// configured wait.
    async fn claim(&self, state: &CallbackRequest) -> Admission {
        let Some(dedup) = &self.config.dedup else {
            return Admission::Handle { owner: None };
        };
        let command = state.command().unwrap_or_default();
        if !dedup.before_callbacks && AnyEvent::reads_reply(command) {
            return Admission::Handle { owner: None };
        }
        let owner = new_owner();
        let waited = Instant::now();
        loop {
            let claimed = bounded(
                dedup,
                dedup
                    .store
                    .claim(state.key(), &owner, CallbackConfig::DEDUP_LEASE),
            )
            .await;
            match claimed {
                Ok(Claim::New) => return Admission::Handle { owner: Some(owner) },
                Ok(Claim::Done(reply)) => return Admission::Replay(reply),
                Ok(Claim::InFlight) if waited.elapsed() < dedup.wait => {
                    sleep(IN_FLIGHT_POLL.min(dedup.wait)).await;
                }
                Ok(Claim::InFlight) => {
                    log::info!(
                        "duplicate Tencent IM callback {} arrived while another delivery was handled; answered 409",
                        LogSafe(command)
                    );
                    return Admission::Refuse(CallbackError::InFlight);
                }
                Err(why) => return self.store_failed(dedup, state, owner, &why).await,
            }
        }
    }

    /// The store did not answer a claim. A claim that timed out may still have reached
    /// the store: it is ours, and settled like one (completing and releasing compare the
    /// owner, so they never touch another request's claim).
    async fn store_failed(
        &self,
        dedup: &Dedup,
        state: &CallbackRequest,
        owner: String,
        why: &str,
    ) -> Admission {
        telemetry::store_failure("claim");
        let command = state.shown();
        match dedup.on_failure {
            StoreFailure::Accept => {
                log::warn!(
                    "duplicate store failed ({}): Tencent IM callback {command} accepted unchecked",
                    LogSafe(why)
                );
                Admission::Handle { owner: Some(owner) }
            }
            StoreFailure::Reject => {
                log::warn!(
                    "duplicate store failed ({}): Tencent IM callback {command} answered 503",
                    LogSafe(why)
                );
                self.release(state, Some(&owner)).await;
                Admission::Refuse(CallbackError::StoreUnavailable)
            }
        }
    }

    /// Writes the reply the IM backend expects from what the inner service returned, and
    /// counts it.
    fn finish<B: MessageBody>(
        &self,
        res: ServiceResponse<B>,
        state: &CallbackRequest,
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
        let command = state.command();
        let shown = state.shown();
        match decide(status, error, empty, state.routed()) {
            Reply::AsIs => {
                let crate_error = res
                    .response()
                    .error()
                    .and_then(|err| err.as_error::<CallbackError>());
                match crate_error {
                    Some(err) => telemetry::rejected(err.kind()),
                    None if status.is_success() => telemetry::accepted(command),
                    None => telemetry::rejected("handler"),
                }
                res.map_into_left_body()
            }
            Reply::Ok => {
                telemetry::accepted(command);
                res.into_response(ack_response()).map_into_right_body()
            }
            Reply::Fail => {
                telemetry::rejected("handler");
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
                        telemetry::accepted(command);
                        self.log_unhandled(shown.0);
                        ack_response()
                    }
                    UnhandledCommands::Reject => {
                        let err = CallbackError::UnhandledCommand {
                            command: command.map(str::to_owned),
                        };
                        telemetry::rejected(err.kind());
                        log::warn!("rejected Tencent IM callback: {}", LogSafe(&err));
                        err.error_response()
                    }
                };
                res.into_response(reply).map_into_right_body()
            }
        }
    }

    /// Settles the claim of `owner`: a success completes it with the reply, which a later
    /// delivery gets; anything else releases it, so a retry is handled.
    async fn settle<B: MessageBody + 'static>(
        &self,
        res: ServiceResponse<EitherBody<B>>,
        state: &CallbackRequest,
        owner: Option<&str>,
    ) -> ServiceResponse<EitherBody<B>> {
        let (Some(dedup), Some(owner)) = (&self.config.dedup, owner) else {
            return res;
        };
        if !res.status().is_success() {
            self.release(state, Some(owner)).await;
            return res;
        }
        let storable = match res.response().body().size() {
            BodySize::None => true,
            BodySize::Sized(size) => size <= MAX_STORED_REPLY as u64,
            BodySize::Stream => false,
        };
        if !storable {
            log::warn!(
                "the reply to Tencent IM callback {} is streamed or larger than {MAX_STORED_REPLY} bytes and is not kept; a duplicate runs its handler again",
                state.shown()
            );
            self.release(state, Some(owner)).await;
            return res;
        }
        let (req, res) = res.into_parts();
        let (res, body) = res.into_parts();
        let body = match body::to_bytes(body).await {
            Ok(body) => body,
            Err(err) => {
                log::warn!(
                    "the reply to Tencent IM callback {} failed: {}",
                    state.shown(),
                    LogSafe(err)
                );
                self.release(state, Some(owner)).await;
                let err = CallbackError::Handler {
                    status: StatusCode::INTERNAL_SERVER_ERROR,
                };
                return ServiceResponse::new(req, err.error_response()).map_into_right_body();
            }
        };
        let reply = StoredReply {
            status: res.status().as_u16(),
            content_type: res
                .headers()
                .get(header::CONTENT_TYPE)
                .and_then(|value| value.to_str().ok())
                .map(str::to_owned),
            body: body.clone(),
        };
        if let Err(why) = bounded(
            dedup,
            dedup.store.complete(state.key(), owner, &reply, dedup.ttl),
        )
        .await
        {
            telemetry::store_failure("complete");
            log::warn!(
                "duplicate store failed to record a handled callback ({}); a retry will be handled again once its claim expires",
                LogSafe(&why)
            );
        }
        let res = res.set_body(BoxBody::new(body));
        ServiceResponse::new(req, res).map_into_right_body()
    }

    /// Releases the claim of `owner`, so that a retry of the callback is handled.
    async fn release(&self, state: &CallbackRequest, owner: Option<&str>) {
        let (Some(dedup), Some(owner)) = (&self.config.dedup, owner) else {
            return;
        };
        if let Err(why) = bounded(dedup, dedup.store.release(state.key(), owner)).await {
            telemetry::store_failure("release");
            log::warn!(
                "duplicate store failed to release a failed callback ({}); its retry waits until the claim's lease ends",
                LogSafe(&why)
            );
        }
    }

    /// Records how long the handler (with its extractors) took, and warns when it came
    /// close to Tencent's 2 s.
    fn time_handler(&self, state: &CallbackRequest, started: Instant) {
        let took = started.elapsed();
        telemetry::handler_time(state.command(), took.as_secs_f64());
        if took > self.config.slow_handler {
            log::warn!(
                "Tencent IM callback {} took {took:?} in its handler; the IM backend gives up after 2 s",
                state.shown()
            );
        }
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

/// A store call, bounded by the configured timeout.
async fn bounded<T>(
    dedup: &Dedup,
    call: impl std::future::Future<Output = Result<T, StoreError>>,
) -> Result<T, String> {
    match timeout(dedup.timeout, call).await {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(err)) => Err(err.to_string()),
        Err(_) => Err(format!("no answer within {:?}", dedup.timeout)),
    }
}

/// Reads the whole body, at most `limit` bytes. On failure the unread rest stays in the
/// request, for [`reject`] to hold.
async fn read_body(req: &mut ServiceRequest, limit: usize) -> Result<Bytes, CallbackError> {
    let too_large = CallbackError::PayloadTooLarge { limit };
    let declared = req.get_header::<ContentLength>().map(|length| length.0);
    if declared.is_some_and(|length| length > limit) {
        return Err(too_large);
    }
    let mut payload = req.take_payload();
    let mut body = BytesMut::with_capacity(declared.unwrap_or(0));
    while let Some(chunk) = payload.next().await {
        let chunk = match chunk {
            Ok(chunk) if body.len() + chunk.len() <= limit => chunk,
            Ok(_) => {
                req.set_payload(payload);
                return Err(too_large);
            }
            Err(err) => return Err(CallbackError::Payload(err)),
        };
        body.extend_from_slice(&chunk);
    }
    Ok(body.freeze())
}

/// The `CallbackCommand` of a body: top-level, or of the first event of a batched body
/// (`{"Events": [...]}`). Read only for requests whose query names no command.
fn body_command(body: &[u8]) -> Option<String> {
    #[derive(Deserialize)]
    struct Command {
        #[serde(rename = "CallbackCommand")]
        command: Option<String>,
        #[serde(rename = "Events", default)]
        events: Vec<Command>,
    }
    let body: Command = serde_json::from_slice(body).ok()?;
    body.command
        .or_else(|| body.events.into_iter().next()?.command)
}

/// The reply the first delivery of a duplicate got.
fn replay<B>(
    req: ServiceRequest,
    state: &CallbackRequest,
    reply: StoredReply,
) -> ServiceResponse<EitherBody<B>> {
    log::info!(
        "duplicate Tencent IM callback {} answered with the first delivery's reply",
        state.shown()
    );
    telemetry::duplicate(state.command());
    let status = StatusCode::from_u16(reply.status).unwrap_or(StatusCode::OK);
    let mut res = HttpResponse::build(status);
    if let Some(content_type) = reply.content_type {
        res.insert_header((header::CONTENT_TYPE, content_type));
    }
    req.into_response(res.body(reply.body))
        .map_into_right_body()
}

/// The `FAIL` reply to a request the middleware itself rejects. An unread body is kept
/// until the reply is written, which makes actix-http close the connection instead of
/// reading on.
fn reject<B>(mut req: ServiceRequest, err: CallbackError) -> ServiceResponse<EitherBody<B>> {
    telemetry::rejected(err.kind());
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

fn panic_message(panic: &(dyn Any + Send)) -> &str {
    panic
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| panic.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("(no message)")
}

/// A reply body that keeps the request's unread payload until the reply is written.
struct HoldPayload {
    body: BoxBody,
    _payload: Payload,
}

impl MessageBody for HoldPayload {
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
