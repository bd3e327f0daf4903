//! The middleware that admits only requests meant for this app, signed when a token is
//! set, and writes the OK reply for handlers that return nothing.

use std::{
    any::Any,
    cell::Cell,
    future::{ready, Ready},
    panic::{self, AssertUnwindSafe},
    sync::{Arc, Once},
    time::{SystemTime, UNIX_EPOCH},
};

use actix_web::{
    body::{BodySize, BoxBody, EitherBody, MessageBody},
    dev::{Payload, Service, ServiceRequest, ServiceResponse, Transform},
    http::{header, Method, StatusCode},
    web::Bytes,
    Error, HttpMessage, ResponseError,
};
use futures_util::{
    future::{join, CatchUnwind, Either, Join, Map},
    FutureExt,
};

use crate::{
    config::{CallbackConfig, UnhandledCommands},
    error::{mime_json, CallbackError, LogSafe},
    meta::{parse_decimal, Param, RawQuery, Verified},
    reply::OK_BODY,
    signature::LastSign,
};

/// Middleware for the callback URL: checks the query string before any byte of the body
/// is read, and replies OK for handlers that return nothing.
///
/// For each request it
/// 1. rejects anything but `POST` (405);
/// 2. rejects a missing, malformed or foreign `SdkAppid` (403);
/// 3. when a token is configured, rejects a missing, expired or wrong signature (401);
/// 4. passes the parsed query to the extractors and guards, and calls the handler;
/// 5. turns a `200` or `204` reply without body (a handler returning `Ok(())`, or
///    `HttpResponse::Ok().finish()`) into `200` with
///    `{"ActionStatus":"OK","ErrorInfo":"","ErrorCode":0}`, answers commands no route
///    handles as [`UnhandledCommands`] says, and turns errors from handlers and other
///    extractors into a `FAIL` reply with their status. An error is never answered OK.
///
/// Every rejection is logged at warn level and answered with a `FAIL` JSON body, as a
/// response (never an `Err`), so outer middleware such as `Logger` still sees it.
///
/// ```
/// use actix_tim_callback::{command, Callback, CallbackConfig, TimCallback};
/// use actix_tim_callback::model::SendMsgException;
/// use actix_web::{web, App};
///
/// // `Ok(())` becomes the OK reply; an `Err` becomes a `FAIL` reply with its status.
/// async fn on_exception(cb: Callback<SendMsgException>) -> actix_web::Result<()> {
///     log::warn!("group {} lost a message: {}", cb.event.group_id, cb.event.kind());
///     Ok(())
/// }
///
/// let app = App::new().service(
///     web::scope("/im/callback")
///         .wrap(TimCallback::new(CallbackConfig::new(1400000000).token("secret")))
///         .route("", web::post().guard(command::<SendMsgException>()).to(on_exception)),
/// );
/// ```
#[derive(Debug, Clone)]
pub struct TimCallback {
    config: Arc<CallbackConfig>,
}

impl TimCallback {
    /// The middleware for these settings.
    pub fn new(config: CallbackConfig) -> Self {
        // `HttpServer` builds the app once per worker: warn once per process, not per worker.
        static UNSIGNED_WARNING: Once = Once::new();
        if config.key.is_none() {
            UNSIGNED_WARNING.call_once(|| log::warn!(
                "Tencent IM callbacks for SdkAppid {} are accepted without signature checks: set a callback token",
                config.sdk_app_id
            ));
        }
        Self {
            config: Arc::new(config),
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
        ready(Ok(TimCallbackMiddleware {
            service,
            config: Arc::clone(&self.config),
            last_sign: Cell::default(),
        }))
    }
}

/// The service [`TimCallback`] wraps around the inner service.
#[doc(hidden)]
pub struct TimCallbackMiddleware<S> {
    service: S,
    config: Arc<CallbackConfig>,
    /// The expected `Sign` of the last `RequestTime` seen by this worker: every callback
    /// of the same second carries the same one, so a burst hashes once.
    last_sign: Cell<LastSign>,
}

type Handled<B> = Result<ServiceResponse<EitherBody<B>>, Error>;
type Caught<B> = std::thread::Result<Result<ServiceResponse<B>, Error>>;

/// The future of [`TimCallbackMiddleware`], named so that no request pays for a box:
/// a rejection (or a panic of the inner `call`) is ready at once; otherwise the inner
/// service's future runs with unwinding caught, and [`finish`] writes the reply.
pub(crate) type TimCallbackFuture<F, B> = Either<
    Ready<Handled<B>>,
    Map<Join<CatchUnwind<AssertUnwindSafe<F>>, Ready<CallState>>, FinishFn<B>>,
>;

pub(crate) type FinishFn<B> = fn((Caught<B>, CallState)) -> Handled<B>;

/// What the middleware keeps of a request while the inner service runs.
#[doc(hidden)]
#[derive(Debug)]
pub struct CallState {
    command: CommandName,
    unhandled: UnhandledCommands,
}

impl<S, B> Service<ServiceRequest> for TimCallbackMiddleware<S>
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error> + 'static,
    B: MessageBody + 'static,
{
    type Response = ServiceResponse<EitherBody<B>>;
    type Error = Error;
    type Future = TimCallbackFuture<S::Future, B>;

    actix_web::dev::forward_ready!(service);

    fn call(&self, mut req: ServiceRequest) -> Self::Future {
        let verified = match verify(&self.config, &self.last_sign, &req) {
            Ok(verified) => verified,
            Err(err) => {
                log::warn!(
                    "rejected Tencent IM callback {} {}: {}",
                    req.method(),
                    req.path(),
                    LogSafe(&err)
                );
                // actix-http drains a dropped chunked body to its end to keep the
                // connection; a payload still alive while the reply is written makes it
                // close the connection instead.
                let payload = req.take_payload();
                let res = req
                    .error_response(err)
                    .map_body(|_, body| {
                        BoxBody::new(HoldPayload {
                            body,
                            _payload: payload,
                        })
                    })
                    .map_into_right_body();
                return Either::Left(ready(Ok(res)));
            }
        };
        let state = CallState {
            command: verified.with_command(req.query_string(), CommandName::new),
            unhandled: self.config.unhandled,
        };
        req.extensions_mut().insert(verified);
        match panic::catch_unwind(AssertUnwindSafe(|| self.service.call(req))) {
            Ok(fut) => Either::Right(
                join(AssertUnwindSafe(fut).catch_unwind(), ready(state))
                    .map(finish_call::<B> as FinishFn<B>),
            ),
            // The request went into the panicking service, so there is none left to
            // build a response with: the error's own response is the FAIL reply.
            Err(panic) => Either::Left(ready(panicked(&state, &*panic))),
        }
    }
}

/// The outcome of the inner service, as the reply the IM backend gets.
fn finish_call<B: MessageBody>((outcome, state): (Caught<B>, CallState)) -> Handled<B> {
    match outcome {
        Ok(Ok(res)) => Ok(finish(res, state.command.as_str(), state.unhandled)),
        // Handler and extractor errors arrive as `Ok` responses; an `Err` comes from
        // inner middleware and is passed on as it is, never answered OK.
        Ok(Err(err)) => Err(err),
        Err(panic) => panicked(&state, &*panic),
    }
}

fn panicked<T>(state: &CallState, panic: &(dyn Any + Send)) -> Result<T, Error> {
    log::error!(
        "Tencent IM callback {} handler panicked: {}",
        LogSafe(state.command.as_str().unwrap_or("(no command)")),
        LogSafe(panic_message(panic))
    );
    Err(CallbackError::HandlerPanicked.into())
}

/// A copy of the request's `CallbackCommand` for the middleware's log lines, which must
/// outlive the request (a panicking handler takes it along). Every command Tencent
/// defines fits inline, so keeping it costs no allocation.
#[derive(Debug)]
enum CommandName {
    Absent,
    Inline { len: u8, bytes: [u8; 48] },
    Heap(Box<str>),
}

impl CommandName {
    fn new(command: Option<&str>) -> Self {
        let Some(command) = command else {
            return Self::Absent;
        };
        let mut bytes = [0; 48];
        match bytes.get_mut(..command.len()) {
            Some(prefix) => {
                prefix.copy_from_slice(command.as_bytes());
                Self::Inline {
                    len: command.len() as u8,
                    bytes,
                }
            }
            None => Self::Heap(command.into()),
        }
    }

    fn as_str(&self) -> Option<&str> {
        match self {
            Self::Absent => None,
            // Copied whole from a `str`, so always UTF-8.
            Self::Inline { len, bytes } => std::str::from_utf8(&bytes[..usize::from(*len)]).ok(),
            Self::Heap(command) => Some(command),
        }
    }
}

fn panic_message(panic: &(dyn Any + Send)) -> &str {
    panic
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| panic.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("(no message)")
}

fn verify(
    config: &CallbackConfig,
    last_sign: &Cell<LastSign>,
    req: &ServiceRequest,
) -> Result<Verified, CallbackError> {
    if req.method() != Method::POST {
        return Err(CallbackError::MethodNotAllowed);
    }
    let query = RawQuery::parse(req.query_string());
    let app_id = match &query.app_id {
        Param::Absent => return Err(CallbackError::MissingAppId),
        param => param
            .value()
            .and_then(parse_decimal)
            .ok_or(CallbackError::InvalidAppId)?,
    };
    if app_id != config.sdk_app_id {
        return Err(CallbackError::ForeignAppId { received: app_id });
    }
    let request_time = match &config.key {
        None => query.request_time.value().and_then(parse_decimal),
        Some(key) => {
            let (time, sign) = match (&query.request_time, &query.sign) {
                (Param::Absent, _) | (_, Param::Absent) => {
                    return Err(CallbackError::MissingSignature)
                }
                (time, sign) => (
                    time.value().ok_or(CallbackError::InvalidRequestTime)?,
                    sign.value().ok_or(CallbackError::InvalidRequestTime)?,
                ),
            };
            let seconds = parse_decimal(time).ok_or(CallbackError::InvalidRequestTime)?;
            check_window(seconds, config)?;
            if !key.verify_cached(time, sign, last_sign) {
                return Err(CallbackError::WrongSignature);
            }
            Some(seconds)
        }
    };
    Ok(Verified::new(
        query.into_meta(app_id, request_time),
        config.body_limit,
    ))
}

fn check_window(request_time: u64, config: &CallbackConfig) -> Result<(), CallbackError> {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |since| since.as_secs());
    let skew = i128::from(now) - i128::from(request_time);
    let window = config.replay_window.as_secs();
    if skew.unsigned_abs() > u128::from(window) {
        let skew_secs = i64::try_from(skew).unwrap_or(if skew > 0 { i64::MAX } else { i64::MIN });
        return Err(CallbackError::ExpiredSignature {
            skew_secs,
            window_secs: window,
        });
    }
    Ok(())
}

/// Writes the reply the IM backend expects from what the handler returned.
fn finish<B>(
    res: ServiceResponse<B>,
    command: Option<&str>,
    unhandled: UnhandledCommands,
) -> ServiceResponse<EitherBody<B>>
where
    B: MessageBody,
{
    if let Some(err) = res.response().error() {
        if err.as_error::<CallbackError>().is_some() {
            return res.map_into_left_body();
        }
        let status = res.status();
        log::warn!(
            "Tencent IM callback {} failed in its handler with {status}: {}",
            LogSafe(command.unwrap_or("(no command)")),
            LogSafe(err)
        );
        return replace_body(res, CallbackError::Handler { status }.fail_body());
    }
    let empty = matches!(
        res.response().body().size(),
        BodySize::None | BodySize::Sized(0)
    );
    if !empty {
        return res.map_into_left_body();
    }
    let routed = res
        .request()
        .extensions()
        .get::<Verified>()
        .is_some_and(|verified| verified.extracted.get());
    match res.status() {
        StatusCode::OK | StatusCode::NO_CONTENT => {
            let mut res = replace_body(res, ok_body());
            *res.response_mut().status_mut() = StatusCode::OK;
            res
        }
        // actix answers a request no route matched with an empty 404 (or 405 when a
        // resource matched but none of its routes' guards did).
        StatusCode::NOT_FOUND | StatusCode::METHOD_NOT_ALLOWED if !routed => match unhandled {
            UnhandledCommands::Reject => {
                let err = CallbackError::UnhandledCommand {
                    command: command.map(str::to_owned),
                };
                log::warn!("rejected Tencent IM callback: {}", LogSafe(&err));
                let reply = err.error_response();
                res.into_response(reply).map_into_right_body()
            }
            _ => {
                log::info!(
                    "no handler for Tencent IM callback {}; replied OK",
                    LogSafe(command.unwrap_or("(no command)"))
                );
                res.into_response(crate::reply::ack_response())
                    .map_into_right_body()
            }
        },
        status if status.is_client_error() || status.is_server_error() => {
            log::warn!(
                "Tencent IM callback {} answered {status} by its handler",
                LogSafe(command.unwrap_or("(no command)"))
            );
            replace_body(res, CallbackError::Handler { status }.fail_body())
        }
        _ => res.map_into_left_body(),
    }
}

fn ok_body() -> Bytes {
    Bytes::from_static(OK_BODY.as_bytes())
}

/// Keeps the status, headers and error of `res`, with a JSON body instead of its own.
fn replace_body<B, L>(res: ServiceResponse<B>, body: Bytes) -> ServiceResponse<EitherBody<L>> {
    res.map_body(|head, _| {
        head.headers_mut().insert(header::CONTENT_TYPE, mime_json());
        head.headers_mut().remove(header::CONTENT_LENGTH);
        EitherBody::right(BoxBody::new(body))
    })
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
        self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<Bytes, Self::Error>>> {
        std::pin::Pin::new(&mut self.get_mut().body).poll_next(cx)
    }
}
