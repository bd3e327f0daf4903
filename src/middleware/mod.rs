//! The middleware that admits only requests meant for this app, signed when a token is
//! set, and writes the reply the IM backend expects. The request's way through reads top
//! to bottom in [`TimCallbackMiddleware::call`]: [`Inner::admit`], [`read_body`], the
//! duplicate claim ([`admission::claim`]), the inner service, [`Inner::finish`], and the
//! claim settled.

mod body;
mod verdict;

use std::{
    collections::HashSet,
    future::{ready, Ready},
    panic::{self, AssertUnwindSafe},
    rc::Rc,
    sync::{Arc, Mutex, Once, PoisonError},
    time::{Instant, SystemTime},
};

use actix_web::{
    body::{EitherBody, MessageBody},
    dev::{Payload, Service, ServiceRequest, ServiceResponse, Transform},
    http::Method,
    Error, HttpMessage,
};
use futures_util::{future::LocalBoxFuture, FutureExt};

use self::body::{panic_message, read_body, reject, replay};
use crate::{
    config::{CallbackConfig, UnhandledCommands},
    dedup::admission::{self, Admission},
    error::CallbackError,
    log::{since_epoch, LogSafe},
    meta::CallbackMeta,
    query::{parse_decimal, Query},
    request::CallbackRequest,
    scan::Scan,
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
///    the request's one command is the query's `CallbackCommand`, else the body's;
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
/// With the feature `tracing`, each request runs in a `tim_callback` span, a child of the
/// span current when the middleware is called (see [the crate's docs](crate#tracing)).
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
/// | valid, `CallbackCommand` no route handles | 200 | OK; warned once per command, debug after ([`UnhandledCommands::Ack`](crate::UnhandledCommands::Ack), the default) |
/// | same, with [`UnhandledCommands::Reject`](crate::UnhandledCommands::Reject) | 404 | FAIL 40401 |
/// | a path of the scope no resource has (a mistyped callback URL, a trailing slash) | 404 | FAIL 40402 and an error log naming the path, whatever the policy: a misconfiguration, never OK. A URL with a trailing slash reaches its handler with `App::new().wrap(actix_web::middleware::NormalizePath::trim())` |
/// | not `POST` | 405 | FAIL 40501, `Allow: POST` |
/// | `SdkAppid` missing / not a number or repeated with different values / another app's | 403 | FAIL 40301 / 40302 / 40303 |
/// | token set: `Sign` or `RequestTime` missing / `RequestTime` malformed / outside the replay window / `Sign` wrong / `Sign` repeated with different values | 401 | FAIL 40101 / 40102 / 40103 / 40104 / 40105 |
/// | `CallbackCommand` empty, or repeated with different values / named neither in the query nor in the body | 400 | FAIL 40004 / 40005 |
/// | body over the limit (by `Content-Length` or while streaming) | 413 | FAIL 41301, connection closed |
/// | body could not be read | 400 | FAIL 40001 |
/// | body not JSON, or of the wrong shape | 400 | FAIL 40002, the field path in `ErrorInfo` |
/// | `CallbackCommand` is not the handler's event type | 400 | FAIL 40003 |
/// | the body's `CallbackCommand` is not the query's (checked where the body is read: the crate's extractors, `enqueue`, a command no route handles; a `web::Json` handler sees the body as sent) | 400 | FAIL 40006 |
/// | handler or another extractor returns an error, or an empty `4xx`/`5xx` | its status | FAIL `status × 100 + 99` (e.g. 50099) |
/// | handler panics | 500 | FAIL 50002, as an `Err` of the middleware (no request is left to answer with); the worker goes on |
/// | with `dedup`: a callback already handled (retry, replay, another instance) | the first's | the first delivery's reply, without the handler; counted |
/// | with `dedup`: another delivery of it still in its handler after [`Dedup::wait`](crate::dedup::Dedup::wait) | 409 | FAIL 40901 (retry later) |
/// | with `dedup`: the store does not answer in time | 200 / 503 | handled as new ([`StoreFailure::Accept`](crate::dedup::StoreFailure), the default), or FAIL 50301 |
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
/// # actix_web::rt::System::new().block_on(async {
/// # use actix_tim_callback::testkit::TestCallback;
/// # use actix_web::test;
/// # let app = test::init_service(app).await;
/// # let signed = TestCallback::send_msg_exception().path("/im/callback").signed("secret");
/// # let res = test::call_service(&app, signed.to_request()).await;
/// # assert_eq!(test::read_body(res).await, actix_tim_callback::reply::OK_BODY);
/// # let forged = TestCallback::send_msg_exception().path("/im/callback").signed("guess");
/// # assert_eq!(test::call_service(&app, forged.to_request()).await.status(), 401);
/// # });
/// ```
#[derive(Debug, Clone)]
pub struct TimCallback {
    inner: Arc<Inner>,
}

/// What every worker's middleware shares: build [`TimCallback`] once, outside
/// `HttpServer::new`, and clone it into each worker.
#[derive(Debug)]
struct Inner {
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
        static UNSIGNED_WARNING: Once = Once::new();
        telemetry::describe();
        if let Some(dedup) = &mut config.dedup {
            // A captured request stays valid for the window before and after its time.
            dedup.ttl = dedup.ttl.max(config.replay_window.saturating_mul(2));
        }
        if config.validate().is_ok() {
            log::info!("Tencent IM callbacks accepted: {}", startup_line(&config));
            let unsigned: Vec<String> = config
                .apps
                .iter()
                .filter(|app| !app.verifies_signatures())
                .map(|app| app.sdk_app_id.to_string())
                .collect();
            if !unsigned.is_empty() {
                UNSIGNED_WARNING.call_once(|| log::warn!(
                    "Tencent IM callbacks for SdkAppid {} are accepted without signature checks: set a callback token",
                    unsigned.join(", ")
                ));
            }
        }
        Self {
            inner: Arc::new(Inner {
                config,
                warned: Mutex::default(),
            }),
        }
    }
}

/// What the middleware accepts, for its start-up log line: the apps (signed or not), the
/// duplicate suppression, what a command without a route gets.
fn startup_line(config: &CallbackConfig) -> String {
    let apps: Vec<String> = config
        .apps
        .iter()
        .map(|app| match app.keys.len() {
            0 => format!("SdkAppid {} (unsigned)", app.sdk_app_id),
            1 => format!("SdkAppid {} (signed)", app.sdk_app_id),
            tokens => format!("SdkAppid {} (signed, {tokens} tokens)", app.sdk_app_id),
        })
        .collect();
    let dedup = match &config.dedup {
        Some(dedup) => format!(
            "duplicates suppressed in {} (replies kept {:?})",
            dedup.store_name, dedup.ttl
        ),
        None => "no duplicate suppression".to_owned(),
    };
    let unhandled = match config.unhandled {
        UnhandledCommands::Ack => "answered OK",
        UnhandledCommands::Reject => "refused (404)",
    };
    format!(
        "{}; {dedup}; commands without a route {unhandled}",
        apps.join(", ")
    )
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
        if let Err(err) = self.inner.config.validate() {
            log::error!("TimCallback refused to start: {err}");
            return ready(Err(()));
        }
        ready(Ok(TimCallbackMiddleware {
            service: Rc::new(service),
            inner: Arc::clone(&self.inner),
        }))
    }
}

/// The service [`TimCallback`] wraps around the inner service.
// Public only because `Transform::Transform` names it; not re-exported, as actix-web's
// own inner middleware services.
#[allow(unreachable_pub)]
pub struct TimCallbackMiddleware<S> {
    service: Rc<S>,
    inner: Arc<Inner>,
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
        let inner = Arc::clone(&self.inner);
        // Made here, in the caller's span (e.g. `tracing_actix_web::TracingLogger`'s
        // request span), and entered at every poll: the handler runs inside it.
        Box::pin(telemetry::in_callback_span(async move {
            let received_at = SystemTime::now();
            let mut meta = match inner.admit(&req, received_at) {
                Ok(meta) => meta,
                Err((app, err)) => {
                    if let Some(app) = app {
                        telemetry::callback_app(app);
                    }
                    let app = app.and_then(|app| inner.config.label_of(app));
                    return Ok(reject(req, app, err));
                }
            };
            telemetry::callback_app(meta.sdk_app_id);
            if let Some(command) = &meta.command {
                telemetry::callback_command(command);
            }
            let body = match read_body(&mut req, inner.config.body_limit).await {
                Ok(body) => body,
                Err(err) => {
                    let app = inner.config.label_of(meta.sdk_app_id);
                    return Ok(reject(req, app, err));
                }
            };
            if meta.command.is_none() {
                meta.command = Scan::of(&body)
                    .and_then(|scan| Some(scan.command()?.to_owned()))
                    .filter(|command| !command.is_empty());
                match &meta.command {
                    Some(command) => telemetry::callback_command(command),
                    None => {
                        return Ok(reject(
                            req,
                            inner.config.label_of(meta.sdk_app_id),
                            CallbackError::MissingCommand,
                        ))
                    }
                }
            }
            let state = Rc::new(CallbackRequest::new(meta, body.clone(), received_at));
            let command = state.command().unwrap_or_default();
            let dedup = inner.config.dedup.as_ref();
            let admission = admission::claim(dedup, command, || state.key()).await;
            telemetry::callback_key(state.known_key());
            let claim = match admission {
                Admission::Handle(claim) => claim,
                Admission::Replay(reply) => {
                    let app = inner.config.label_of(state.meta().sdk_app_id);
                    return Ok(replay(req, app, &state, reply));
                }
                Admission::Refuse(err) => {
                    return Ok(reject(
                        req,
                        inner.config.label_of(state.meta().sdk_app_id),
                        err,
                    ))
                }
            };
            req.extensions_mut().insert(Rc::clone(&state));
            req.set_payload(Payload::from(body));

            let started = Instant::now();
            let called = panic::catch_unwind(AssertUnwindSafe(|| service.call(req)));
            let outcome = match called {
                Ok(fut) => AssertUnwindSafe(fut).catch_unwind().await,
                Err(panic) => Err(panic),
            };
            // `enqueue` computes the key when the claim did not.
            telemetry::callback_key(state.known_key());
            let res = match outcome {
                Ok(Ok(res)) => res,
                // From inner middleware; the request went with it, so there is none left
                // to build a response with.
                Ok(Err(err)) => {
                    if let Some(claim) = claim {
                        claim.release().await;
                    }
                    return Err(err);
                }
                Err(panic) => {
                    inner.time_handler(&state, started);
                    log::error!(
                        "Tencent IM callback {} handler panicked: {}",
                        state.shown(),
                        LogSafe(panic_message(&*panic))
                    );
                    telemetry::rejected(
                        inner.config.label_of(state.meta().sdk_app_id),
                        CallbackError::HandlerPanicked.kind(),
                    );
                    if let Some(claim) = claim {
                        claim.release().await;
                    }
                    return Err(CallbackError::HandlerPanicked.into());
                }
            };
            if state.routed() {
                inner.time_handler(&state, started);
            }
            let res = inner.finish(res, &state);
            Ok(match claim {
                Some(claim) => claim.settle(res).await,
                None => res,
            })
        }))
    }
}

impl Inner {
    /// Method, app id and signature, before any byte of the body is read. A refusal names
    /// the app when the request was one of the config's apps (a signature refused).
    fn admit(
        &self,
        req: &ServiceRequest,
        at: SystemTime,
    ) -> Result<CallbackMeta, (Option<u64>, CallbackError)> {
        if req.method() != Method::POST {
            return Err((None, CallbackError::MethodNotAllowed));
        }
        let now = since_epoch(at).as_secs();
        let query = Query::parse(req.query_string());
        let (meta, token) = verify(&self.config, &query, now).map_err(|err| {
            let app = query.app_id.value().and_then(parse_decimal);
            (app.filter(|&app| self.config.app_of(app).is_some()), err)
        })?;
        if let Some(token) = token {
            log::debug!(
                "Tencent IM callback of SdkAppid {} signed with the {} token",
                meta.sdk_app_id,
                token.as_str()
            );
            telemetry::token(self.config.label_of(meta.sdk_app_id), token.as_str());
        }
        Ok(meta)
    }

    /// Records how long the handler (with its extractors) took, and warns when it came
    /// close to Tencent's 2 s.
    fn time_handler(&self, state: &CallbackRequest, started: Instant) {
        let took = started.elapsed();
        telemetry::handler_time(
            self.config.label_of(state.meta().sdk_app_id),
            state.command(),
            took.as_secs_f64(),
        );
        if took > self.config.slow_handler {
            log::warn!(
                "Tencent IM callback {} took {took:?} in its handler; the IM backend gives up after 2 s",
                state.shown()
            );
        }
    }

    /// Warns once per command that no route handles it (a typo in a guard would otherwise
    /// drop every callback of that command in silence); debug level after that.
    pub(super) fn log_unhandled(&self, command: &str) {
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
