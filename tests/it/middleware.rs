//! The `TimCallback` middleware and the `Callback<E>` / `CallbackMeta` extractors, driven
//! through a whole actix-web service.

use std::{
    sync::{Arc, Mutex},
    time::Duration,
};

use crate::common::*;
use actix_tim_callback::{
    command,
    model::{group, MsgElement, Platform},
    testkit::TestCallback,
    Ack, Callback, CallbackConfig, CallbackMeta, ConfigError, TimCallback,
};
use actix_web::{
    body::MessageBody,
    dev::{ServiceFactory, ServiceRequest, ServiceResponse, Transform},
    http::{header, Method, StatusCode},
    test::{call_service, init_service, ok_service, read_body, TestRequest},
    web, App, Error, HttpMessage, HttpResponse, Route,
};
use serde::Deserialize;
use serde_json::{json, Value};

/// The `SdkAppid` check.
mod app_id;
/// The body: its limit, its JSON, its content type.
mod body;
/// `CallbackCommand` against the handler's event type.
mod command_check;
/// What a handler returns, and the errors of handlers and other extractors, as Tencent reads them.
mod handler_replies;
/// `CallbackMeta`.
mod meta;
/// Methods other than `POST`.
mod methods;
/// The signature check: `Sign`, `RequestTime`, the replay window, the token.
mod signature;
/// Rejected requests leave the body unread.
mod unread_body;
/// The extractors without the middleware.
mod without_middleware;

// ---------------------------------------------------------------------------------------
// Fixtures
// ---------------------------------------------------------------------------------------

/// The callbacks a handler received.
#[derive(Clone, Default)]
struct Seen(Arc<Mutex<Vec<Callback<group::SendMsgException>>>>);

impl Seen {
    fn count(&self) -> usize {
        self.0.lock().unwrap().len()
    }

    fn only(&self) -> Callback<group::SendMsgException> {
        let seen = self.0.lock().unwrap();
        assert_eq!(seen.len(), 1, "handler invoked exactly once");
        seen[0].clone()
    }
}

/// `POST` guarded for `Group.CallbackSendMsgException`.
fn exception_route() -> Route {
    web::post().guard(command::<group::SendMsgException>())
}

/// The guarded route with a handler that records its callback and returns `Ack`.
fn recording(seen: &Seen) -> Route {
    let seen = seen.clone();
    exception_route().to(move |cb: Callback<group::SendMsgException>| {
        let seen = seen.clone();
        async move {
            seen.0.lock().unwrap().push(cb);
            Ack
        }
    })
}

/// The middleware on `web::scope(PATH)`, with `route` on the scope's own path.
fn scoped_app(
    config: CallbackConfig,
    route: Route,
) -> App<
    impl ServiceFactory<
        ServiceRequest,
        Config = (),
        Response = ServiceResponse<impl MessageBody>,
        Error = Error,
        InitError = (),
    >,
> {
    App::new().service(
        web::scope(PATH)
            .wrap(TimCallback::new(config))
            .route("", route),
    )
}

fn config() -> CallbackConfig {
    CallbackConfig::new(APP_ID)
}

fn signed_config() -> CallbackConfig {
    CallbackConfig::new(APP_ID).token(TOKEN)
}

fn post(uri: &str, body: impl Into<actix_web::web::Bytes>) -> TestRequest {
    TestRequest::post().uri(uri).set_payload(body)
}

fn header_str<B>(res: &ServiceResponse<B>, name: header::HeaderName) -> Option<String> {
    res.headers()
        .get(name)
        .map(|v| v.to_str().expect("ascii header").to_owned())
}

/// The seed payload as JSON, to derive variants from.
fn seed_json() -> Value {
    serde_json::from_str(SEED).expect("seed is JSON")
}

// ---------------------------------------------------------------------------------------
// A valid callback
// ---------------------------------------------------------------------------------------

#[actix_web::test]
async fn valid_unsigned_callback_gets_exact_ok_reply_and_decoded_event() {
    let seen = Seen::default();
    let app = init_service(scoped_app(config(), recording(&seen))).await;

    let res = call_service(&app, post(&exception_uri(""), SEED).to_request()).await;

    assert_ok(res).await;
    let cb = seen.only();
    assert_eq!(cb.group_id, "@TGS#2J4SZEAEL");
    assert_eq!(cb.from_account, "jared");
    assert_eq!(cb.random, 123456);
    assert_eq!(cb.error_code, 10023);
    assert_eq!(cb.event.event_time, Some(1670574414123));
    assert_eq!(cb.meta.sdk_app_id, APP_ID);
    assert_eq!(cb.meta.command.as_deref(), Some(SEND_MSG_EXCEPTION));
}

// ---------------------------------------------------------------------------------------
// Where the middleware is mounted
// ---------------------------------------------------------------------------------------

#[actix_web::test]
async fn middleware_on_the_whole_app_works() {
    let seen = Seen::default();
    let app = init_service(
        App::new()
            .wrap(TimCallback::new(signed_config()))
            .route(PATH, recording(&seen)),
    )
    .await;

    let signed = format!("&{}", signed_query(TOKEN, now_secs()));
    let res = call_service(&app, post(&exception_uri(&signed), SEED).to_request()).await;
    assert_ok(res).await;
    assert_eq!(seen.count(), 1);

    let res = call_service(&app, post(&exception_uri(""), SEED).to_request()).await;
    assert_fail(res, StatusCode::UNAUTHORIZED, 40101).await;

    let unhandled = callback_uri("Group.CallbackAfterRecallMsg", &signed);
    let res = call_service(&app, post(&unhandled, "{}").to_request()).await;
    assert_ok(res).await;
    assert_eq!(seen.count(), 1);
}

#[actix_web::test]
async fn middleware_on_a_resource_works() {
    let seen = Seen::default();
    let app = init_service(
        App::new().service(
            web::resource(PATH)
                .wrap(TimCallback::new(signed_config()))
                .route(recording(&seen)),
        ),
    )
    .await;

    let signed = format!("&{}", signed_query(TOKEN, now_secs()));
    let res = call_service(&app, post(&exception_uri(&signed), SEED).to_request()).await;
    assert_ok(res).await;
    assert_eq!(seen.count(), 1);

    let foreign =
        format!("{PATH}?SdkAppid=1400000001&CallbackCommand={SEND_MSG_EXCEPTION}{signed}");
    let res = call_service(&app, post(&foreign, SEED).to_request()).await;
    assert_fail(res, StatusCode::FORBIDDEN, 40303).await;

    // The resource's own default (an empty 405) counts as "no handler".
    let unhandled = callback_uri("Group.CallbackAfterRecallMsg", &signed);
    let res = call_service(&app, post(&unhandled, "{}").to_request()).await;
    assert_ok(res).await;

    let get = TestRequest::get().uri(&exception_uri(&signed)).to_request();
    let res = call_service(&app, get).await;
    assert_fail(res, StatusCode::METHOD_NOT_ALLOWED, 40501).await;
    assert_eq!(seen.count(), 1);
}

/// A route taking `Callback<SendMsgException>` without a command guard.
fn unguarded(seen: &Seen) -> Route {
    let seen = seen.clone();
    web::post().to(move |cb: Callback<group::SendMsgException>| {
        let seen = seen.clone();
        async move {
            seen.0.lock().unwrap().push(cb);
            Ack
        }
    })
}
