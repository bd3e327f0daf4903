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
    Ack, Callback, CallbackConfig, CallbackMeta, ConfigError, TestCallback, TimCallback,
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
// 1. A valid callback
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
// 2. What handlers return
// ---------------------------------------------------------------------------------------

#[actix_web::test]
async fn handler_returning_ok_unit_gets_ok_reply_with_200_not_204() {
    let calls = Counter::new();
    let c = calls.clone();
    let route = exception_route().to(move |_: Callback<group::SendMsgException>| {
        let c = c.clone();
        async move {
            c.hit();
            actix_web::Result::<()>::Ok(())
        }
    });
    let app = init_service(scoped_app(config(), route)).await;

    let res = call_service(&app, post(&exception_uri(""), SEED).to_request()).await;

    assert_ok(res).await;
    assert_eq!(calls.get(), 1);
}

#[actix_web::test]
async fn handler_returning_empty_200_gets_ok_reply() {
    let calls = Counter::new();
    let c = calls.clone();
    let route = exception_route().to(move |_: Callback<group::SendMsgException>| {
        let c = c.clone();
        async move {
            c.hit();
            HttpResponse::Ok().finish()
        }
    });
    let app = init_service(scoped_app(config(), route)).await;

    let res = call_service(&app, post(&exception_uri(""), SEED).to_request()).await;

    assert_ok(res).await;
    assert_eq!(calls.get(), 1);
}

#[actix_web::test]
async fn handler_returning_its_own_json_body_is_passed_through_unchanged() {
    let reply = json!({
        "ActionStatus": "OK",
        "ErrorInfo": "",
        "ErrorCode": 0,
        "MsgBody": [{"MsgType": "TIMTextElem", "MsgContent": {"Text": "replaced"}}]
    });
    let calls = Counter::new();
    let c = calls.clone();
    let sent = reply.clone();
    let route = exception_route().to(move |_: Callback<group::SendMsgException>| {
        let c = c.clone();
        let sent = sent.clone();
        async move {
            c.hit();
            HttpResponse::Ok().json(sent)
        }
    });
    let app = init_service(scoped_app(config(), route)).await;

    let res = call_service(&app, post(&exception_uri(""), SEED).to_request()).await;

    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(
        header_str(&res, header::CONTENT_TYPE).as_deref(),
        Some("application/json")
    );
    let body = read_body(res).await;
    assert_eq!(body, serde_json::to_vec(&reply).unwrap());
    assert_eq!(calls.get(), 1);
}

/// A handler that explicitly answers an empty `404` (here through `Option::None`, which
/// actix turns into an empty 404) handled the command; the middleware must not mistake
/// it for a command without a route and answer `200 OK`.
#[actix_web::test]
async fn handler_returning_empty_404_is_not_answered_ok() {
    let calls = Counter::new();
    let c = calls.clone();
    let route = exception_route().to(move |_: Callback<group::SendMsgException>| {
        let c = c.clone();
        async move {
            c.hit();
            Option::<Ack>::None
        }
    });
    let app = init_service(scoped_app(config(), route)).await;

    let res = call_service(&app, post(&exception_uri(""), SEED).to_request()).await;

    assert_eq!(calls.get(), 1, "the handler ran");
    // The handler's status is kept, with a FAIL body instead of an OK.
    assert_fail(res, StatusCode::NOT_FOUND, 40499).await;
}

#[actix_web::test]
async fn handler_returning_empty_500_gets_a_fail_body() {
    let route = exception_route().to(|_: Callback<group::SendMsgException>| async {
        HttpResponse::InternalServerError().finish()
    });
    let app = init_service(scoped_app(config(), route)).await;

    let res = call_service(&app, post(&exception_uri(""), SEED).to_request()).await;

    assert_fail(res, StatusCode::INTERNAL_SERVER_ERROR, 50099).await;
}

#[actix_web::test]
async fn panicking_handler_gets_a_fail_reply_and_the_service_keeps_serving() {
    let calls = Counter::new();
    let c = calls.clone();
    let route = exception_route().to(move |cb: Callback<group::SendMsgException>| {
        let c = c.clone();
        async move {
            c.hit();
            if cb.from_account == "jared" {
                panic!("handler bug");
            }
            Ack
        }
    });
    let app = init_service(scoped_app(config(), route)).await;

    let err = actix_web::test::try_call_service(&app, post(&exception_uri(""), SEED).to_request())
        .await
        .err()
        .expect("a panic is an error, never an OK");
    let res = err.error_response();
    assert_eq!(res.status(), StatusCode::INTERNAL_SERVER_ERROR);
    let body = actix_web::body::to_bytes(res.into_body()).await.unwrap();
    let body: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(body["ActionStatus"], "FAIL");
    assert_eq!(body["ErrorCode"], 50002);

    let mut other = seed_json();
    other["From_Account"] = json!("someone else");
    let res = call_service(
        &app,
        post(&exception_uri(""), other.to_string()).to_request(),
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(read_body(res).await, OK_JSON.as_bytes());
    assert_eq!(calls.get(), 2);
}

// ---------------------------------------------------------------------------------------
// 3. Errors from handlers and other extractors
// ---------------------------------------------------------------------------------------

#[actix_web::test]
async fn handler_internal_server_error_becomes_500_fail_reply() {
    let calls = Counter::new();
    let c = calls.clone();
    let route = exception_route().to(move |_: Callback<group::SendMsgException>| {
        let c = c.clone();
        async move {
            c.hit();
            Err::<Ack, _>(actix_web::error::ErrorInternalServerError("boom"))
        }
    });
    let app = init_service(scoped_app(config(), route)).await;

    let res = call_service(&app, post(&exception_uri(""), SEED).to_request()).await;

    let info = assert_fail(res, StatusCode::INTERNAL_SERVER_ERROR, 50099).await;
    assert!(info.contains("handler failed"), "{info}");
    assert_eq!(calls.get(), 1);
}

#[actix_web::test]
async fn handler_unit_result_error_becomes_fail_reply_not_ok() {
    let route = exception_route().to(|_: Callback<group::SendMsgException>| async {
        actix_web::Result::<()>::Err(actix_web::error::ErrorInternalServerError("boom"))
    });
    let app = init_service(scoped_app(config(), route)).await;

    let res = call_service(&app, post(&exception_uri(""), SEED).to_request()).await;

    assert_fail(res, StatusCode::INTERNAL_SERVER_ERROR, 50099).await;
}

#[actix_web::test]
async fn handler_bad_request_error_becomes_400_fail_reply() {
    let route = exception_route().to(|_: Callback<group::SendMsgException>| async {
        Err::<Ack, _>(actix_web::error::ErrorBadRequest("nope"))
    });
    let app = init_service(scoped_app(config(), route)).await;

    let res = call_service(&app, post(&exception_uri(""), SEED).to_request()).await;

    let info = assert_fail(res, StatusCode::BAD_REQUEST, 40099).await;
    assert!(info.contains("Bad Request"), "{info}");
}

#[derive(Deserialize)]
struct Tenant {
    tenant: String,
}

#[actix_web::test]
async fn other_extractor_error_keeps_its_status_with_fail_reply() {
    let calls = Counter::new();
    let c = calls.clone();
    let route = exception_route().to(
        move |_: Callback<group::SendMsgException>, q: web::Query<Tenant>| {
            let c = c.clone();
            async move {
                c.hit();
                assert!(!q.tenant.is_empty());
                Ack
            }
        },
    );
    let app = init_service(scoped_app(config(), route)).await;

    // The query has no `tenant`.
    let res = call_service(&app, post(&exception_uri(""), SEED).to_request()).await;

    assert_fail(res, StatusCode::BAD_REQUEST, 40099).await;
    assert_eq!(calls.get(), 0, "handler not invoked");
}

// ---------------------------------------------------------------------------------------
// 4. SdkAppid
// ---------------------------------------------------------------------------------------

async fn app_id_case(query: &str) -> (ServiceResponse<impl MessageBody>, Seen) {
    let seen = Seen::default();
    let app = init_service(scoped_app(config(), recording(&seen))).await;
    let uri = format!("{PATH}?{query}");
    let res = call_service(&app, post(&uri, SEED).to_request()).await;
    (res, seen)
}

#[actix_web::test]
async fn missing_sdk_app_id_is_403() {
    let (res, seen) =
        app_id_case("CallbackCommand=Group.CallbackSendMsgException&contenttype=json").await;

    let info = assert_fail(res, StatusCode::FORBIDDEN, 40301).await;
    assert!(
        info.contains("SdkAppid") && info.contains("missing"),
        "{info}"
    );
    assert_eq!(seen.count(), 0);
}

#[actix_web::test]
async fn non_numeric_sdk_app_id_is_403() {
    for value in [
        "abc",
        "%2B1400000000", // a literal `+`
        "+1400000000",   // `+` decodes to a space
        "1400000000%20",
        "%201400000000",
        "-1400000000",
        "1400000000.0",
        "0x5F5E1000",
        "",
    ] {
        let (res, seen) = app_id_case(&format!(
            "SdkAppid={value}&CallbackCommand=Group.CallbackSendMsgException"
        ))
        .await;
        let info = assert_fail(res, StatusCode::FORBIDDEN, 40302).await;
        assert!(info.contains("SdkAppid"), "{value:?}: {info}");
        assert_eq!(seen.count(), 0, "{value:?}: handler not invoked");
    }
}

#[actix_web::test]
async fn sdk_app_id_without_value_is_403() {
    let (res, seen) = app_id_case("SdkAppid&CallbackCommand=Group.CallbackSendMsgException").await;

    assert_fail(res, StatusCode::FORBIDDEN, 40302).await;
    assert_eq!(seen.count(), 0);
}

#[actix_web::test]
async fn overflowing_sdk_app_id_is_403() {
    let (res, seen) =
        app_id_case("SdkAppid=18446744073709551616&CallbackCommand=Group.CallbackSendMsgException")
            .await;

    assert_fail(res, StatusCode::FORBIDDEN, 40302).await;
    assert_eq!(seen.count(), 0);
}

#[actix_web::test]
async fn repeated_sdk_app_id_with_different_values_is_403() {
    for query in [
        "SdkAppid=1400000000&SdkAppid=1",
        "SdkAppid=1&SdkAppid=1400000000",
        "SdkAppid=1400000000&sdkappid=1",
        "sdkappid=1&SdkAppid=1400000000",
        "SdkAppid=1400000000&SDKAPPID=1400000001&SdkAppid=1400000000",
    ] {
        let (res, seen) = app_id_case(&format!(
            "{query}&CallbackCommand=Group.CallbackSendMsgException"
        ))
        .await;
        let info = assert_fail(res, StatusCode::FORBIDDEN, 40302).await;
        assert!(info.contains("more than once"), "{query}: {info}");
        assert_eq!(seen.count(), 0, "{query}: handler not invoked");
    }
}

#[actix_web::test]
async fn repeated_sdk_app_id_with_the_same_value_is_accepted() {
    for query in [
        "SdkAppid=1400000000&SdkAppid=1400000000",
        "SdkAppid=1400000000&sdkappid=1400000000",
    ] {
        let (res, seen) = app_id_case(&format!(
            "{query}&CallbackCommand=Group.CallbackSendMsgException"
        ))
        .await;
        assert_ok(res).await;
        assert_eq!(seen.count(), 1, "{query}");
    }
}

#[actix_web::test]
async fn foreign_sdk_app_id_is_403_naming_the_received_id() {
    for foreign in ["1400000001", "18446744073709551615", "0"] {
        let (res, seen) = app_id_case(&format!(
            "SdkAppid={foreign}&CallbackCommand=Group.CallbackSendMsgException"
        ))
        .await;
        let info = assert_fail(res, StatusCode::FORBIDDEN, 40303).await;
        assert!(info.contains(foreign), "{foreign}: {info}");
        assert_eq!(seen.count(), 0, "{foreign}: handler not invoked");
    }
}

// ---------------------------------------------------------------------------------------
// 5. Signatures
// ---------------------------------------------------------------------------------------

async fn signed_case(
    config: CallbackConfig,
    extra: &str,
) -> (ServiceResponse<impl MessageBody>, Seen) {
    let seen = Seen::default();
    let app = init_service(scoped_app(config, recording(&seen))).await;
    let res = call_service(&app, post(&exception_uri(extra), SEED).to_request()).await;
    (res, seen)
}

#[actix_web::test]
async fn valid_signature_is_accepted() {
    let (res, seen) = signed_case(
        signed_config(),
        &format!("&{}", signed_query(TOKEN, now_secs())),
    )
    .await;

    assert_ok(res).await;
    assert_eq!(seen.count(), 1);
}

#[actix_web::test]
async fn missing_sign_or_request_time_is_401() {
    let now = now_secs();
    let sign = actix_tim_callback::sign(TOKEN, &now.to_string());
    for extra in [
        format!("&RequestTime={now}"),
        format!("&Sign={sign}"),
        String::new(),
    ] {
        let (res, seen) = signed_case(signed_config(), &extra).await;
        let info = assert_fail(res, StatusCode::UNAUTHORIZED, 40101).await;
        assert!(
            info.contains("Sign") && info.contains("RequestTime"),
            "{info}"
        );
        assert_eq!(seen.count(), 0, "{extra:?}: handler not invoked");
    }
}

#[actix_web::test]
async fn non_numeric_request_time_is_401() {
    let now = now_secs();
    for time in [
        "abc".to_owned(),
        format!("-{now}"),
        format!("%2B{now}"),
        format!("{now}.0"),
        format!("{now}000000000000"), // overflows u64
        String::new(),
    ] {
        let sign = actix_tim_callback::sign(TOKEN, &time);
        let (res, seen) =
            signed_case(signed_config(), &format!("&RequestTime={time}&Sign={sign}")).await;
        let info = assert_fail(res, StatusCode::UNAUTHORIZED, 40102).await;
        assert!(info.contains("RequestTime"), "{time:?}: {info}");
        assert_eq!(seen.count(), 0, "{time:?}: handler not invoked");
    }
}

#[actix_web::test]
async fn repeated_sign_or_request_time_with_different_values_is_401() {
    let now = now_secs();
    let good = signed_query(TOKEN, now);
    let other_sign = actix_tim_callback::sign(TOKEN, &(now - 1).to_string());
    for (extra, code) in [
        (format!("&{good}&Sign={other_sign}"), 40105),
        (format!("&{good}&sign={other_sign}"), 40105),
        (format!("&{good}&RequestTime={}", now - 1), 40102),
        (format!("&RequestTime={}&{good}", now - 1), 40102),
    ] {
        let (res, seen) = signed_case(signed_config(), &extra).await;
        let info = assert_fail(res, StatusCode::UNAUTHORIZED, code).await;
        assert!(info.contains("more than once"), "{extra}: {info}");
        assert_eq!(seen.count(), 0, "{extra}: handler not invoked");
    }
}

#[actix_web::test]
async fn repeated_sign_and_request_time_with_the_same_values_are_accepted() {
    let now = now_secs();
    let good = signed_query(TOKEN, now);
    let (res, seen) = signed_case(signed_config(), &format!("&{good}&{good}")).await;

    assert_ok(res).await;
    assert_eq!(seen.count(), 1);
}

#[actix_web::test]
async fn request_time_two_minutes_in_the_past_is_401() {
    let (res, seen) = signed_case(
        signed_config(),
        &format!("&{}", signed_query(TOKEN, now_secs() - 120)),
    )
    .await;

    let info = assert_fail(res, StatusCode::UNAUTHORIZED, 40103).await;
    assert!(info.contains("past"), "{info}");
    assert!(info.contains("60 s"), "names the window: {info}");
    assert_eq!(seen.count(), 0);
}

#[actix_web::test]
async fn request_time_two_minutes_in_the_future_is_401() {
    let (res, seen) = signed_case(
        signed_config(),
        &format!("&{}", signed_query(TOKEN, now_secs() + 120)),
    )
    .await;

    let info = assert_fail(res, StatusCode::UNAUTHORIZED, 40103).await;
    assert!(info.contains("future"), "{info}");
    assert_eq!(seen.count(), 0);
}

#[actix_web::test]
async fn far_away_request_times_are_401_not_a_panic() {
    for time in [0, u64::MAX, i64::MAX as u64 + 1] {
        let (res, seen) =
            signed_case(signed_config(), &format!("&{}", signed_query(TOKEN, time))).await;
        assert_fail(res, StatusCode::UNAUTHORIZED, 40103).await;
        assert_eq!(seen.count(), 0, "{time}");
    }
}

#[actix_web::test]
async fn request_time_within_the_window_is_accepted() {
    for offset in [-30i64, 30] {
        let time = now_secs().checked_add_signed(offset).unwrap();
        let (res, seen) =
            signed_case(signed_config(), &format!("&{}", signed_query(TOKEN, time))).await;
        assert_ok(res).await;
        assert_eq!(seen.count(), 1, "offset {offset}");
    }
}

#[actix_web::test]
async fn custom_replay_window_expires_earlier() {
    let short = || signed_config().replay_window(Duration::from_secs(5));

    let (res, seen) = signed_case(
        short(),
        &format!("&{}", signed_query(TOKEN, now_secs() - 30)),
    )
    .await;
    let info = assert_fail(res, StatusCode::UNAUTHORIZED, 40103).await;
    assert!(info.contains("5 s"), "names the window: {info}");
    assert_eq!(seen.count(), 0);

    let (res, seen) = signed_case(
        short(),
        &format!("&{}", signed_query(TOKEN, now_secs() - 1)),
    )
    .await;
    assert_ok(res).await;
    assert_eq!(seen.count(), 1);
}

#[actix_web::test]
async fn signature_made_with_another_token_is_401() {
    let (res, seen) = signed_case(
        signed_config(),
        &format!("&{}", signed_query("another-token", now_secs())),
    )
    .await;

    let info = assert_fail(res, StatusCode::UNAUTHORIZED, 40104).await;
    assert!(info.contains("Sign"), "{info}");
    assert_eq!(seen.count(), 0);
}

#[actix_web::test]
async fn malformed_variants_of_the_right_sign_are_401() {
    let now = now_secs();
    let right = actix_tim_callback::sign(TOKEN, &now.to_string());
    for sign in [
        right.to_uppercase(),
        right[..63].to_owned(),
        format!("{right}0"),
        String::new(),
    ] {
        let (res, seen) =
            signed_case(signed_config(), &format!("&RequestTime={now}&Sign={sign}")).await;
        assert_fail(res, StatusCode::UNAUTHORIZED, 40104).await;
        assert_eq!(seen.count(), 0, "{sign:?}: handler not invoked");
    }
}

#[actix_web::test]
async fn sign_of_another_second_is_401() {
    let now = now_secs();
    let sign = actix_tim_callback::sign(TOKEN, &(now - 1).to_string());
    let (res, seen) =
        signed_case(signed_config(), &format!("&RequestTime={now}&Sign={sign}")).await;

    assert_fail(res, StatusCode::UNAUTHORIZED, 40104).await;
    assert_eq!(seen.count(), 0);
}

#[actix_web::test]
async fn token_and_sign_never_appear_in_fail_replies() {
    let now = now_secs();
    let right = actix_tim_callback::sign(TOKEN, &now.to_string());
    let other = actix_tim_callback::sign("another-token", &now.to_string());
    let cases = [
        (format!("&RequestTime={now}&Sign={other}"), 40104),
        (
            format!("&RequestTime={now}&Sign={}", right.to_uppercase()),
            40104,
        ),
        (format!("&{}", signed_query(TOKEN, now - 120)), 40103),
        (
            format!("&RequestTime={now}&Sign={right}&Sign={other}"),
            40105,
        ),
        (format!("&Sign={right}"), 40101),
    ];
    for (extra, code) in cases {
        let (res, _) = signed_case(signed_config(), &extra).await;
        let status = res.status();
        let body = read_body(res).await;
        let text = String::from_utf8_lossy(&body).to_lowercase();
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{extra}");
        assert_fail_body(&body, code);
        assert!(
            !text.contains(&TOKEN.to_lowercase()),
            "token leaked: {text}"
        );
        assert!(!text.contains(&right), "right sign leaked: {text}");
        assert!(!text.contains(&other), "sent sign leaked: {text}");
    }
}

#[actix_web::test]
async fn without_a_token_sign_and_request_time_are_not_checked() {
    let (res, seen) = signed_case(config(), "&RequestTime=1&Sign=not-a-signature").await;

    assert_ok(res).await;
    assert_eq!(seen.count(), 1);
}

// ---------------------------------------------------------------------------------------
// 6. The body
// ---------------------------------------------------------------------------------------

async fn body_case(
    config: CallbackConfig,
    body: impl Into<actix_web::web::Bytes>,
) -> (ServiceResponse<impl MessageBody>, Seen) {
    let seen = Seen::default();
    let app = init_service(scoped_app(config, recording(&seen))).await;
    let res = call_service(&app, post(&exception_uri(""), body).to_request()).await;
    (res, seen)
}

#[actix_web::test]
async fn body_over_the_limit_with_content_length_is_413() {
    let (res, seen) = body_case(config().body_limit(64), SEED).await;

    let info = assert_fail(res, StatusCode::PAYLOAD_TOO_LARGE, 41301).await;
    assert!(info.contains("64"), "names the limit: {info}");
    assert_eq!(seen.count(), 0);
}

#[actix_web::test]
async fn body_of_exactly_the_limit_is_accepted_and_one_byte_less_is_413() {
    let (res, seen) = body_case(config().body_limit(SEED.len()), SEED).await;
    assert_ok(res).await;
    assert_eq!(seen.count(), 1);

    let (res, seen) = body_case(config().body_limit(SEED.len() - 1), SEED).await;
    assert_fail(res, StatusCode::PAYLOAD_TOO_LARGE, 41301).await;
    assert_eq!(seen.count(), 0);
}

#[actix_web::test]
async fn body_over_the_limit_without_content_length_is_413() {
    let seen = Seen::default();
    let polls = Counter::new();
    let app = init_service(scoped_app(config().body_limit(64), recording(&seen))).await;
    let (req, _) = TestRequest::post()
        .uri(&exception_uri(""))
        .to_request()
        .replace_payload(counting_payload(chunks_of(SEED, 40), &polls));
    assert!(req.headers().get(header::CONTENT_LENGTH).is_none());

    let res = call_service(&app, req).await;

    assert_fail(res, StatusCode::PAYLOAD_TOO_LARGE, 41301).await;
    assert_eq!(seen.count(), 0);
    // 40 + 40 > 64: reading stops at the second chunk instead of draining the stream.
    assert_eq!(polls.get(), 2, "stops reading once over the limit");
}

#[actix_web::test]
async fn chunked_body_without_content_length_within_the_limit_is_accepted() {
    let seen = Seen::default();
    let polls = Counter::new();
    let app = init_service(scoped_app(
        config().body_limit(SEED.len()),
        recording(&seen),
    ))
    .await;
    let (req, _) = TestRequest::post()
        .uri(&exception_uri(""))
        .to_request()
        .replace_payload(counting_payload(chunks_of(SEED, 7), &polls));

    let res = call_service(&app, req).await;

    assert_ok(res).await;
    assert_eq!(seen.only().group_id, "@TGS#2J4SZEAEL");
}

#[actix_web::test]
async fn body_that_is_not_json_is_400() {
    let (res, seen) = body_case(config(), "GroupId=@TGS#2J4SZEAEL").await;

    let info = assert_fail(res, StatusCode::BAD_REQUEST, 40002).await;
    assert!(info.contains("invalid body"), "{info}");
    assert_eq!(seen.count(), 0);
}

#[actix_web::test]
async fn json_with_trailing_garbage_is_400() {
    let (res, seen) = body_case(config(), format!("{SEED} trailing")).await;

    let info = assert_fail(res, StatusCode::BAD_REQUEST, 40002).await;
    assert!(info.contains("trailing"), "{info}");
    assert_eq!(seen.count(), 0);
}

#[actix_web::test]
async fn json_without_group_id_is_400_naming_the_field() {
    let mut json = seed_json();
    json.as_object_mut().unwrap().remove("GroupId");
    let (res, seen) = body_case(config(), json.to_string()).await;

    let info = assert_fail(res, StatusCode::BAD_REQUEST, 40002).await;
    assert!(info.contains("GroupId"), "{info}");
    assert_eq!(seen.count(), 0);
}

#[actix_web::test]
async fn json_with_random_as_a_string_is_400_naming_the_field() {
    let mut json = seed_json();
    json["Random"] = json!("123456");
    let (res, seen) = body_case(config(), json.to_string()).await;

    let info = assert_fail(res, StatusCode::BAD_REQUEST, 40002).await;
    assert!(info.contains("Random"), "{info}");
    assert_eq!(seen.count(), 0);
}

/// The seed with its text element turned into a location whose `Latitude` is a string;
/// `MsgType` stays before `MsgContent`, as in Tencent's payloads.
fn seed_with_string_latitude() -> String {
    let body = SEED
        .replace(r#""TIMTextElem""#, r#""TIMLocationElem""#)
        .replace(
            r#""Text": "red packet""#,
            r#""Desc": "office", "Latitude": "22.5", "Longitude": 113.9"#,
        );
    assert!(body.contains(r#""Latitude": "22.5""#) && body.contains("TIMLocationElem"));
    body
}

/// An element whose content does not match its type is kept as sent, never a 400:
/// Tencent does not retry, so a 400 would lose the callback for good.
#[actix_web::test]
async fn wrong_type_deep_in_msg_body_is_kept_as_an_invalid_element() {
    let (res, seen) = body_case(config(), seed_with_string_latitude()).await;

    assert_ok(res).await;
    let cb = seen.only();
    assert_eq!(
        cb.msg_body,
        vec![MsgElement::Invalid {
            msg_type: "TIMLocationElem".to_owned(),
            content: json!({"Desc": "office", "Latitude": "22.5", "Longitude": 113.9}),
        }]
    );
}

/// JSON object members are unordered: the content is kept whether `MsgContent` comes
/// before `MsgType` or after.
#[actix_web::test]
async fn wrong_type_deep_in_msg_body_is_kept_whatever_the_key_order() {
    let mut json = seed_json();
    json["MsgBody"] = json!([{
        "MsgType": "TIMLocationElem",
        "MsgContent": {"Desc": "office", "Latitude": "22.5", "Longitude": 113.9}
    }]);
    let body = json.to_string();
    // serde_json's map is sorted: MsgContent is written before MsgType.
    assert!(body.find("MsgContent") < body.find("MsgType"), "{body}");
    let (res, seen) = body_case(config(), body).await;

    assert_ok(res).await;
    assert!(matches!(
        &seen.only().msg_body[..],
        [MsgElement::Invalid { msg_type, .. }] if msg_type == "TIMLocationElem"
    ));
}

/// What still fails an element is its own shape: a `MsgType` that is not a string is a
/// 400 naming the element.
#[actix_web::test]
async fn element_of_the_wrong_shape_is_400_with_its_path() {
    let mut json = seed_json();
    json["MsgBody"] = json!([{"MsgType": "TIMTextElem", "MsgContent": {"Text": "hi"}}, {"MsgType": 1, "MsgContent": {}}]);
    let (res, seen) = body_case(config(), json.to_string()).await;

    let info = assert_fail(res, StatusCode::BAD_REQUEST, 40002).await;
    assert!(info.contains("MsgBody[1].MsgType"), "{info}");
    assert_eq!(seen.count(), 0);
}

#[actix_web::test]
async fn empty_body_is_400() {
    let (res, seen) = body_case(config(), "").await;
    assert_fail(res, StatusCode::BAD_REQUEST, 40002).await;
    assert_eq!(seen.count(), 0);

    // No payload at all, not even `Content-Length: 0`.
    let seen = Seen::default();
    let app = init_service(scoped_app(config(), recording(&seen))).await;
    let res = call_service(
        &app,
        TestRequest::post().uri(&exception_uri("")).to_request(),
    )
    .await;
    assert_fail(res, StatusCode::BAD_REQUEST, 40002).await;
    assert_eq!(seen.count(), 0);
}

#[actix_web::test]
async fn invalid_utf8_inside_a_string_is_400() {
    let body = SEED.replacen("jared", "ja\u{0}", 1).into_bytes();
    let at = body.iter().position(|&b| b == 0).unwrap();
    let mut body = body;
    body.splice(at..=at, [0xff, 0xfe]);
    assert!(std::str::from_utf8(&body).is_err());

    let (res, seen) = body_case(config(), body).await;

    assert_fail(res, StatusCode::BAD_REQUEST, 40002).await;
    assert_eq!(seen.count(), 0);
}

#[actix_web::test]
async fn body_is_decoded_without_any_content_type() {
    let seen = Seen::default();
    let app = init_service(scoped_app(config(), recording(&seen))).await;
    let req = post(&exception_uri(""), SEED).to_request();
    assert!(req.headers().get(header::CONTENT_TYPE).is_none());

    let res = call_service(&app, req).await;

    assert_ok(res).await;
    assert_eq!(seen.only().group_id, "@TGS#2J4SZEAEL");
}

#[actix_web::test]
async fn body_is_decoded_whatever_the_content_type() {
    for content_type in ["text/plain", "application/x-www-form-urlencoded"] {
        let seen = Seen::default();
        let app = init_service(scoped_app(config(), recording(&seen))).await;
        let req = post(&exception_uri(""), SEED)
            .insert_header((header::CONTENT_TYPE, content_type))
            .to_request();

        let res = call_service(&app, req).await;

        assert_ok(res).await;
        assert_eq!(seen.count(), 1, "{content_type}");
    }
}

#[actix_web::test]
async fn unknown_fields_and_unknown_msg_type_are_accepted() {
    let mut json = seed_json();
    json["TopicId"] = json!("@TGS#_topic");
    json["SomethingNew"] = json!({"nested": [1, 2, 3]});
    json["MsgBody"] = json!([
        {"MsgType": "TIMTextElem", "MsgContent": {"Text": "hi", "NewField": true}},
        {"MsgType": "TIMFutureElem", "MsgContent": {"Whatever": 1}}
    ]);
    let (res, seen) = body_case(config(), json.to_string()).await;

    assert_ok(res).await;
    let cb = seen.only();
    assert_eq!(cb.msg_body.len(), 2);
    match &cb.msg_body[1] {
        MsgElement::Unknown { msg_type, content } => {
            assert_eq!(msg_type, "TIMFutureElem");
            assert_eq!(content, &json!({"Whatever": 1}));
        }
        other => panic!("unknown MsgType kept raw, got {other:?}"),
    }
}

// ---------------------------------------------------------------------------------------
// 7. Methods
// ---------------------------------------------------------------------------------------

#[actix_web::test]
async fn methods_other_than_post_are_405_with_allow_post() {
    for method in [
        Method::GET,
        Method::PUT,
        Method::DELETE,
        Method::PATCH,
        Method::OPTIONS,
    ] {
        let seen = Seen::default();
        let app = init_service(scoped_app(config(), recording(&seen))).await;
        let req = TestRequest::default()
            .method(method.clone())
            .uri(&exception_uri(""))
            .set_payload(SEED)
            .to_request();

        let res = call_service(&app, req).await;

        assert_eq!(
            header_str(&res, header::ALLOW).as_deref(),
            Some("POST"),
            "{method}"
        );
        let info = assert_fail(res, StatusCode::METHOD_NOT_ALLOWED, 40501).await;
        assert!(info.contains("POST"), "{method}: {info}");
        assert_eq!(seen.count(), 0, "{method}: handler not invoked");
    }
}

#[actix_web::test]
async fn head_is_405_with_allow_post_and_never_ok() {
    let seen = Seen::default();
    let app = init_service(scoped_app(config(), recording(&seen))).await;
    let req = TestRequest::default()
        .method(Method::HEAD)
        .uri(&exception_uri(""))
        .to_request();

    let res = call_service(&app, req).await;

    assert_eq!(res.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(header_str(&res, header::ALLOW).as_deref(), Some("POST"));
    // The HTTP layer drops the body of a HEAD reply; in this in-process service the
    // middleware's FAIL body is still there, and it must be the FAIL reply, not the OK.
    let body = read_body(res).await;
    assert_fail_body(&body, 40501);
    assert_eq!(seen.count(), 0);
}

// ---------------------------------------------------------------------------------------
// 8. Rejected requests leave the body unread
// ---------------------------------------------------------------------------------------

/// Sends the seed as a poll-counting stream; returns (status, body, polls, handler calls).
async fn streamed(
    config: CallbackConfig,
    method: Method,
    uri: &str,
) -> (StatusCode, Vec<u8>, usize, usize) {
    let seen = Seen::default();
    let polls = Counter::new();
    let app = init_service(scoped_app(config, recording(&seen))).await;
    let (req, _) = TestRequest::default()
        .method(method)
        .uri(uri)
        .to_request()
        .replace_payload(counting_payload(chunks_of(SEED, 64), &polls));

    let res = call_service(&app, req).await;

    let status = res.status();
    let body = read_body(res).await.to_vec();
    (status, body, polls.get(), seen.count())
}

#[actix_web::test]
async fn valid_streamed_request_is_read_which_shows_the_poll_counter_works() {
    let (status, body, polls, calls) = streamed(
        signed_config(),
        Method::POST,
        &exception_uri(&format!("&{}", signed_query(TOKEN, now_secs()))),
    )
    .await;

    assert_eq!(status, StatusCode::OK);
    assert_eq!(body, OK_JSON.as_bytes());
    assert!(polls > 0, "the body was read");
    assert_eq!(calls, 1);
}

#[actix_web::test]
async fn foreign_app_id_is_rejected_without_reading_the_body() {
    let uri = format!(
        "{PATH}?SdkAppid=1400000001&CallbackCommand={SEND_MSG_EXCEPTION}&{}",
        signed_query(TOKEN, now_secs())
    );
    let (status, body, polls, calls) = streamed(signed_config(), Method::POST, &uri).await;

    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_fail_body(&body, 40303);
    assert_eq!(polls, 0, "body not polled");
    assert_eq!(calls, 0);
}

#[actix_web::test]
async fn wrong_signature_is_rejected_without_reading_the_body() {
    let uri = exception_uri(&format!("&{}", signed_query("another-token", now_secs())));
    let (status, body, polls, calls) = streamed(signed_config(), Method::POST, &uri).await;

    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_fail_body(&body, 40104);
    assert_eq!(polls, 0, "body not polled");
    assert_eq!(calls, 0);
}

#[actix_web::test]
async fn expired_signature_is_rejected_without_reading_the_body() {
    let uri = exception_uri(&format!("&{}", signed_query(TOKEN, now_secs() - 120)));
    let (status, body, polls, calls) = streamed(signed_config(), Method::POST, &uri).await;

    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_fail_body(&body, 40103);
    assert_eq!(polls, 0, "body not polled");
    assert_eq!(calls, 0);
}

#[actix_web::test]
async fn get_is_rejected_without_reading_the_body() {
    let uri = exception_uri(&format!("&{}", signed_query(TOKEN, now_secs())));
    let (status, body, polls, calls) = streamed(signed_config(), Method::GET, &uri).await;

    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
    assert_fail_body(&body, 40501);
    assert_eq!(polls, 0, "body not polled");
    assert_eq!(calls, 0);
}

/// The middleware reads the body (within the limit) before any route, then the extractor
/// refuses a command its type does not take.
#[actix_web::test]
async fn unexpected_command_is_rejected_by_the_extractor() {
    let seen = Seen::default();
    let polls = Counter::new();
    let route = web::post().to({
        let seen = seen.clone();
        move |cb: Callback<group::SendMsgException>| {
            let seen = seen.clone();
            async move {
                seen.0.lock().unwrap().push(cb);
                Ack
            }
        }
    });
    let app = init_service(scoped_app(config(), route)).await;
    let (req, _) = TestRequest::post()
        .uri(&callback_uri("Group.CallbackAfterSendMsg", ""))
        .to_request()
        .replace_payload(counting_payload(chunks_of(SEED, 64), &polls));

    let res = call_service(&app, req).await;

    assert_fail(res, StatusCode::BAD_REQUEST, 40003).await;
    assert_eq!(seen.count(), 0);
}

#[actix_web::test]
async fn declared_oversized_body_is_rejected_without_reading_it() {
    let seen = Seen::default();
    let polls = Counter::new();
    let app = init_service(scoped_app(config().body_limit(64), recording(&seen))).await;
    let (req, _) = TestRequest::post()
        .uri(&exception_uri(""))
        .insert_header((header::CONTENT_LENGTH, SEED.len()))
        .to_request()
        .replace_payload(counting_payload(chunks_of(SEED, 64), &polls));

    let res = call_service(&app, req).await;

    assert_fail(res, StatusCode::PAYLOAD_TOO_LARGE, 41301).await;
    assert_eq!(polls.get(), 0, "body not polled");
    assert_eq!(seen.count(), 0);
}

// ---------------------------------------------------------------------------------------
// 9. CallbackCommand against the handler's event type
// ---------------------------------------------------------------------------------------

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

#[actix_web::test]
async fn other_command_reaching_an_unguarded_typed_handler_is_400() {
    let seen = Seen::default();
    let app = init_service(scoped_app(config(), unguarded(&seen))).await;

    let req = post(&callback_uri("Group.CallbackAfterSendMsg", ""), SEED).to_request();
    let res = call_service(&app, req).await;

    let info = assert_fail(res, StatusCode::BAD_REQUEST, 40003).await;
    assert!(info.contains("Group.CallbackAfterSendMsg"), "{info}");
    assert!(info.contains(SEND_MSG_EXCEPTION), "{info}");
    assert_eq!(seen.count(), 0);
}

#[actix_web::test]
async fn matching_command_reaching_an_unguarded_typed_handler_is_accepted() {
    let seen = Seen::default();
    let app = init_service(scoped_app(config(), unguarded(&seen))).await;

    let res = call_service(&app, post(&exception_uri(""), SEED).to_request()).await;

    assert_ok(res).await;
    assert_eq!(seen.count(), 1);
}

#[actix_web::test]
async fn query_without_callback_command_is_decoded_by_the_body() {
    let seen = Seen::default();
    let app = init_service(scoped_app(config(), unguarded(&seen))).await;

    let uri = format!("{PATH}?SdkAppid={APP_ID}&contenttype=json");
    let res = call_service(&app, post(&uri, SEED).to_request()).await;

    assert_ok(res).await;
    let cb = seen.only();
    assert_eq!(cb.meta.command, None);
    assert_eq!(cb.callback_command, SEND_MSG_EXCEPTION);
}

// ---------------------------------------------------------------------------------------
// 10. Extractors without the middleware
// ---------------------------------------------------------------------------------------

#[actix_web::test]
async fn callback_extractor_without_middleware_is_500() {
    for guarded in [false, true] {
        let seen = Seen::default();
        let route = if guarded {
            recording(&seen)
        } else {
            unguarded(&seen)
        };
        let app = init_service(App::new().route(PATH, route)).await;

        let res = call_service(&app, post(&exception_uri(""), SEED).to_request()).await;

        let info = assert_fail(res, StatusCode::INTERNAL_SERVER_ERROR, 50001).await;
        assert!(info.contains("TimCallback"), "{info}");
        assert_eq!(seen.count(), 0, "guarded: {guarded}: handler not invoked");
    }
}

#[actix_web::test]
async fn callback_meta_extractor_without_middleware_is_500() {
    let calls = Counter::new();
    let c = calls.clone();
    let route = web::post().to(move |_: CallbackMeta| {
        let c = c.clone();
        async move {
            c.hit();
            Ack
        }
    });
    let app = init_service(App::new().route(PATH, route)).await;

    let res = call_service(&app, post(&exception_uri(""), SEED).to_request()).await;

    assert_fail(res, StatusCode::INTERNAL_SERVER_ERROR, 50001).await;
    assert_eq!(calls.get(), 0);
}

// ---------------------------------------------------------------------------------------
// 11. CallbackMeta
// ---------------------------------------------------------------------------------------

#[actix_web::test]
async fn callback_meta_carries_the_query_parameters() {
    let metas: Arc<Mutex<Vec<(CallbackMeta, CallbackMeta)>>> = Arc::default();
    let m = metas.clone();
    let route = exception_route().to(
        move |cb: Callback<group::SendMsgException>, meta: CallbackMeta| {
            let m = m.clone();
            async move {
                m.lock().unwrap().push((cb.meta, meta));
                Ack
            }
        },
    );
    let app = init_service(scoped_app(signed_config(), route)).await;
    let now = now_secs();

    let uri = exception_uri(&format!(
        "&ClientIP=%3A%3A1&OptPlatform=iOS&{}",
        signed_query(TOKEN, now)
    ));
    let res = call_service(&app, post(&uri, SEED).to_request()).await;

    assert_ok(res).await;
    let metas = metas.lock().unwrap();
    assert_eq!(metas.len(), 1);
    let (from_callback, standalone) = &metas[0];
    assert_eq!(
        from_callback, standalone,
        "both extractors see the same meta"
    );
    assert_eq!(from_callback.sdk_app_id, APP_ID);
    assert_eq!(from_callback.command.as_deref(), Some(SEND_MSG_EXCEPTION));
    assert_eq!(from_callback.client_ip.as_deref(), Some("::1"));
    assert_eq!(from_callback.platform, Some(Platform::Ios));
    assert_eq!(from_callback.request_time, Some(now));
}

#[actix_web::test]
async fn callback_meta_platform_variants_and_absent_parameters() {
    let cases = [
        ("&OptPlatform=IOS", Some(Platform::Ios)),
        ("&OptPlatform=macOS", Some(Platform::Mac)),
        ("&OptPlatform=RESTAPI", Some(Platform::RestApi)),
        (
            "&OptPlatform=HarmonyOS",
            Some(Platform::Other("HarmonyOS".to_owned())),
        ),
        ("&OptPlatform=Web&OptPlatform=Android", None),
        ("", None),
    ];
    for (extra, platform) in cases {
        let seen = Seen::default();
        let app = init_service(scoped_app(config(), recording(&seen))).await;

        let res = call_service(&app, post(&exception_uri(extra), SEED).to_request()).await;

        assert_ok(res).await;
        let meta = seen.only().meta;
        assert_eq!(meta.platform, platform, "{extra}");
        assert_eq!(meta.client_ip, None, "{extra}");
        assert_eq!(meta.request_time, None, "{extra}");
    }
}

// ---------------------------------------------------------------------------------------
// 12. Where the middleware is mounted
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

#[actix_web::test]
async fn an_empty_or_blank_token_refuses_to_start_the_app() {
    captured_warnings();
    for token in ["", "   ", "\t"] {
        let config = CallbackConfig::new(APP_ID).token(token);
        assert_eq!(config.validate(), Err(ConfigError::EmptyToken));
        // What `App::wrap` does when a worker builds the app: the middleware refuses.
        let middleware = TimCallback::new(config).new_transform(ok_service()).await;
        assert!(
            middleware.is_err(),
            "token {token:?} must not make a working app"
        );
    }
    let lines = captured_warnings().lock().unwrap().clone();
    assert!(
        lines
            .iter()
            .any(|line| line.contains("token is empty or blank")),
        "the refusal is logged: {lines:?}"
    );
}

#[actix_web::test]
async fn an_unguarded_extractor_checks_the_bodys_command_when_the_query_has_none() {
    let calls = Counter::new();
    let seen = calls.clone();
    let app = init_service(
        App::new().service(
            web::scope(PATH)
                .wrap(TimCallback::new(CallbackConfig::new(APP_ID)))
                .route(
                    "",
                    web::post().to(move |_: Callback<group::SendMsgException>| {
                        let seen = seen.clone();
                        async move {
                            seen.hit();
                            Ack
                        }
                    }),
                ),
        ),
    )
    .await;
    // Another command's body, no command in the query: refused, handler not called.
    let other = TestCallback::group_after_send_msg()
        .command(None)
        .path(PATH);
    let res = call_service(&app, other.to_request()).await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    let info = assert_fail_body(&read_body(res).await, 40003);
    assert!(info.contains("Group.CallbackAfterSendMsg"), "{info}");
    assert_eq!(calls.get(), 0);
    // Its own command in the body: accepted.
    let own = TestCallback::send_msg_exception().command(None).path(PATH);
    let res = call_service(&app, own.to_request()).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(read_body(res).await, OK_JSON);
    assert_eq!(calls.get(), 1);
}

#[actix_web::test]
async fn request_time_is_reported_only_when_verified() {
    let received = std::sync::Arc::new(Mutex::new(Vec::new()));
    let app_with = |config: CallbackConfig| {
        let received = received.clone();
        App::new().service(web::scope(PATH).wrap(TimCallback::new(config)).route(
            "",
            web::post().to(move |meta: CallbackMeta| {
                let received = received.clone();
                async move {
                    received.lock().unwrap().push(meta.request_time);
                    Ack
                }
            }),
        ))
    };
    let unsigned = init_service(app_with(CallbackConfig::new(APP_ID))).await;
    let req = TestCallback::send_msg_exception()
        .request_time(1)
        .sign("0")
        .path(PATH)
        .to_request();
    assert_eq!(call_service(&unsigned, req).await.status(), StatusCode::OK);

    let signed = init_service(app_with(CallbackConfig::new(APP_ID).token(TOKEN))).await;
    let now = now_secs();
    let req = TestCallback::send_msg_exception()
        .signed(TOKEN)
        .request_time(now)
        .path(PATH)
        .to_request();
    assert_eq!(call_service(&signed, req).await.status(), StatusCode::OK);

    assert_eq!(*received.lock().unwrap(), vec![None, Some(now)]);
}
