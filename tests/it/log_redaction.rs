//! The token and full signatures never leave the process: not in a log record, not in a
//! `FAIL` reply, not in the `Debug` or `Display` of an error, not in the `Debug` of the
//! config or the middleware.
//!
//! Every log record of the test binary is captured by the one logger of `common`.

use std::sync::Mutex;

use crate::common::*;
use actix_tim_callback::{
    command, model::group, testkit::TestCallback, Ack, Callback, CallbackConfig, CallbackMeta,
    TimCallback, UnhandledCommands,
};
use actix_web::{
    body::MessageBody,
    dev::ServiceResponse,
    http::{Method, StatusCode},
    test::{init_service, read_body, try_call_service, TestRequest},
    web, App, HttpResponse,
};
use serde_json::{json, Value};

/// A token that could not appear in a log by chance.
const SECRET: &str = "s3cr3t-T0KEN-do-not-log-8f2c1a";

fn config() -> CallbackConfig {
    CallbackConfig::new(APP_ID)
        .token(SECRET)
        .body_limit(4096)
        .unhandled_commands(UnhandledCommands::Reject)
}

/// Everything one request left behind: the reply, and the error's `Debug` and `Display`.
async fn outputs<B: MessageBody>(result: Result<ServiceResponse<B>, actix_web::Error>) -> String {
    match result {
        Ok(res) => {
            let error = res
                .response()
                .error()
                .map(|err| format!("{err:?} | {err} | {:?}", err.as_response_error()))
                .unwrap_or_default();
            let status = res.status();
            let body = read_body(res).await;
            format!("{status} {} {error}", String::from_utf8_lossy(&body))
        }
        Err(err) => {
            let res = err.error_response();
            let body = actix_web::body::to_bytes(res.into_body())
                .await
                .unwrap_or_default();
            format!("{err:?} | {err} | {}", String::from_utf8_lossy(&body))
        }
    }
}

#[actix_web::test]
async fn no_rejection_leaks_the_token_or_a_full_sign() {
    capture_logs();
    let typed = |cb: Callback<group::SendMsgException>| async move {
        match cb.from_account.as_str() {
            "panic" => panic!("handler bug with {}", cb.meta.sdk_app_id),
            "error" => Err(actix_web::error::ErrorInternalServerError("boom")),
            _ => Ok(Ack),
        }
    };
    let app = init_service(
        App::new()
            .service(
                web::scope(PATH).wrap(TimCallback::new(config())).route(
                    "",
                    web::post()
                        .guard(command::<group::SendMsgException>())
                        .to(typed),
                ),
            )
            // An unguarded typed handler, for `UnexpectedCommand`.
            .service(
                web::scope("/unguarded")
                    .wrap(TimCallback::new(config()))
                    .route("", web::post().to(typed)),
            )
            // No middleware, for `MiddlewareMissing`.
            .route("/bare", web::post().to(typed)),
    )
    .await;

    let now = now_secs();
    let time = now.to_string();
    // Full signs that must never be echoed: the right one for now, the right one for
    // other seconds, and a forged one.
    let right = actix_tim_callback::sign(SECRET, &time);
    let stale = actix_tim_callback::sign(SECRET, &(now - 3600).to_string());
    let future = actix_tim_callback::sign(SECRET, &(now + 3600).to_string());
    let forged = actix_tim_callback::sign("guess", &time);
    let valid = format!("&RequestTime={time}&Sign={right}");
    let body_with = |from: &str| {
        let mut body: Value = serde_json::from_str(SEED).expect("seed");
        body["From_Account"] = json!(from);
        body.to_string()
    };
    let query = |rest: &str| format!("CallbackCommand={SEND_MSG_EXCEPTION}{rest}");
    let requests: Vec<(Method, String, String)> = vec![
        (
            Method::GET,
            format!("{PATH}?SdkAppid={APP_ID}&{}", query(&valid)),
            SEED.to_owned(),
        ),
        (
            Method::POST,
            format!("{PATH}?{}", query(&valid)),
            SEED.to_owned(),
        ),
        (
            Method::POST,
            format!("{PATH}?SdkAppid=x&{}", query(&valid)),
            SEED.to_owned(),
        ),
        (
            Method::POST,
            format!("{PATH}?SdkAppid={}&{}", APP_ID + 1, query(&valid)),
            SEED.to_owned(),
        ),
        (
            Method::POST,
            format!("{PATH}?SdkAppid={APP_ID}&{}", query("")),
            SEED.to_owned(),
        ),
        (
            Method::POST,
            format!(
                "{PATH}?SdkAppid={APP_ID}&{}",
                query(&format!("&RequestTime=x&Sign={right}"))
            ),
            SEED.to_owned(),
        ),
        (
            Method::POST,
            format!(
                "{PATH}?SdkAppid={APP_ID}&{}",
                query(&format!("{valid}&Sign={forged}"))
            ),
            SEED.to_owned(),
        ),
        (
            Method::POST,
            format!(
                "{PATH}?SdkAppid={APP_ID}&{}",
                query(&format!("&RequestTime={}&Sign={stale}", now - 3600))
            ),
            SEED.to_owned(),
        ),
        (
            Method::POST,
            format!(
                "{PATH}?SdkAppid={APP_ID}&{}",
                query(&format!("&RequestTime={}&Sign={future}", now + 3600))
            ),
            SEED.to_owned(),
        ),
        (
            Method::POST,
            format!(
                "{PATH}?SdkAppid={APP_ID}&{}",
                query(&format!("&RequestTime={time}&Sign={forged}"))
            ),
            SEED.to_owned(),
        ),
        (
            Method::POST,
            format!(
                "{PATH}?SdkAppid={APP_ID}&{}",
                query(&format!(
                    "&RequestTime={time}&Sign={}",
                    right.to_uppercase()
                ))
            ),
            SEED.to_owned(),
        ),
        (
            Method::POST,
            format!("{PATH}?SdkAppid={APP_ID}&{}", query(&valid)),
            "x".repeat(5000),
        ),
        (
            Method::POST,
            format!("{PATH}?SdkAppid={APP_ID}&{}", query(&valid)),
            "{".to_owned(),
        ),
        (
            Method::POST,
            format!("{PATH}?SdkAppid={APP_ID}&CallbackCommand=Other{valid}"),
            seed_without_command(),
        ),
        (
            Method::POST,
            format!("/unguarded?SdkAppid={APP_ID}&CallbackCommand=Other{valid}"),
            SEED.to_owned(),
        ),
        (
            Method::POST,
            format!("/bare?SdkAppid={APP_ID}&{}", query(&valid)),
            SEED.to_owned(),
        ),
        (
            Method::POST,
            format!("{PATH}?SdkAppid={APP_ID}&{}", query(&valid)),
            body_with("error"),
        ),
        (
            Method::POST,
            format!("{PATH}?SdkAppid={APP_ID}&{}", query(&valid)),
            body_with("panic"),
        ),
        // And a valid one: its signed URL must not be logged either.
        (
            Method::POST,
            format!("{PATH}?SdkAppid={APP_ID}&{}", query(&valid)),
            SEED.to_owned(),
        ),
    ];

    let mut seen = Vec::new();
    for (method, uri, body) in requests {
        let req = TestRequest::default()
            .method(method)
            .uri(&uri)
            .set_payload(body)
            .to_request();
        seen.push(outputs(try_call_service(&app, req).await).await);
    }
    // The valid callback went through, so its signed URL was in play.
    let last = seen.last().expect("a reply to the valid callback");
    assert!(
        last.starts_with("200 OK") && last.contains(OK_JSON),
        "the valid callback is accepted: {last}"
    );
    // Every kind of rejection was produced.
    for code in [
        "40501", "40301", "40302", "40303", "40101", "40102", "40103", "40104", "40105", "41301",
        "40002", "40401", "40003", "50001", "50099", "50002",
    ] {
        assert!(
            seen.iter().any(|s| s.contains(code)),
            "no reply with {code}: {seen:#?}"
        );
    }

    let logs = records();
    assert!(
        logs.iter()
            .any(|l| l.contains("rejected Tencent IM callback")),
        "rejections are logged: {logs:#?}"
    );
    for secret in [
        SECRET,
        &right,
        &stale,
        &future,
        &forged,
        &right.to_uppercase(),
    ] {
        for line in &logs {
            assert!(!line.contains(secret), "{secret} in log record: {line}");
        }
        for output in &seen {
            assert!(
                !output.contains(secret),
                "{secret} in reply or error: {output}"
            );
        }
    }
}

#[test]
fn debug_of_config_and_middleware_redacts_the_token() {
    let config = CallbackConfig::new(APP_ID).token(SECRET);
    for shown in [
        format!("{config:?}"),
        format!("{config:#?}"),
        format!("{:?}", config.clone()),
        format!("{:?}", TimCallback::new(config.clone())),
    ] {
        assert!(!shown.contains(SECRET), "{shown}");
        assert!(!shown.contains("s3cr3t"), "{shown}");
        assert!(shown.contains("redacted"), "says the token is set: {shown}");
    }
    let unsigned = format!("{:?}", CallbackConfig::new(APP_ID));
    assert!(!unsigned.contains("redacted"), "{unsigned}");
}

#[actix_web::test]
async fn debug_of_what_a_handler_receives_has_no_sign() {
    // One time for the request and for the sign looked for: the check holds whatever the
    // clock does while the test runs.
    let time = now_secs();
    let right = actix_tim_callback::sign(SECRET, &time.to_string());
    let shown = std::sync::Arc::new(Mutex::new(String::new()));
    let out = shown.clone();
    let app = init_service(App::new().service(
        web::scope(PATH).wrap(TimCallback::new(config())).route(
            "",
            web::post().to(
                move |cb: Callback<group::SendMsgException>, meta: CallbackMeta| {
                    let out = out.clone();
                    async move {
                        *out.lock().unwrap() = format!("{cb:?} {meta:?} {cb:#?}");
                        HttpResponse::Ok().finish()
                    }
                },
            ),
        ),
    ))
    .await;
    let callback = TestCallback::send_msg_exception()
        .path(PATH)
        .signed(SECRET)
        .request_time(time);
    let query = callback.query_string();
    assert!(
        query.contains(&format!("RequestTime={time}&Sign={right}")),
        "the request carries the sign looked for: {query}"
    );

    let res = try_call_service(&app, callback.to_request())
        .await
        .expect("served");

    assert_eq!(
        res.status(),
        StatusCode::OK,
        "the signed callback is accepted"
    );
    let shown = shown.lock().unwrap().clone();
    assert!(
        shown.contains(&format!("request_time: Some({time})")),
        "the handler saw the verified time: {shown}"
    );
    assert!(!shown.contains(&right), "{shown}");
    assert!(!shown.contains(SECRET), "{shown}");
}

/// A `CallbackCommand` with a line break must not reach the log as it is: whoever can
/// post a callback with the right app id (anyone, without a token) could forge log lines.
#[actix_web::test]
async fn attacker_controlled_command_cannot_forge_log_lines() {
    capture_logs();
    let typed = |_: Callback<group::SendMsgException>| async { Ack };
    let app = init_service(
        App::new()
            .service(
                web::scope(PATH)
                    .wrap(TimCallback::new(CallbackConfig::new(APP_ID)))
                    .route(
                        "",
                        web::post()
                            .guard(command::<group::SendMsgException>())
                            .to(typed),
                    ),
            )
            .service(
                web::scope("/unguarded")
                    .wrap(TimCallback::new(CallbackConfig::new(APP_ID)))
                    .route("", web::post().to(typed)),
            ),
    )
    .await;
    // Unhandled command with the default policy: logged, replied OK.
    let req = TestRequest::post()
        .uri(&format!(
            "{PATH}?SdkAppid={APP_ID}&CallbackCommand=X%0AERROR%20forged-line-1"
        ))
        .set_payload(seed_without_command())
        .to_request();
    let res = try_call_service(&app, req).await.expect("served");
    assert_ok(res).await;
    // Reaches a typed handler for another command: rejected and logged at warn.
    let req = TestRequest::post()
        .uri(&format!(
            "/unguarded?SdkAppid={APP_ID}&CallbackCommand=Y%0D%0AERROR%20forged-line-2"
        ))
        .set_payload(SEED)
        .to_request();
    let res = try_call_service(&app, req).await.expect("served");
    assert_fail(res, StatusCode::BAD_REQUEST, 40003).await;
    // A right-to-left override and a line separator (issue 14, problem 10): a log viewer
    // would show the rest of the line reversed, or break it.
    let req = TestRequest::post()
        .uri(&format!(
            "{PATH}?SdkAppid={APP_ID}&CallbackCommand=Group.X%E2%80%AEforged-line-3%E2%80%A8%E2%81%A6"
        ))
        .set_payload(seed_without_command())
        .to_request();
    let res = try_call_service(&app, req).await.expect("served");
    assert_ok(res).await;

    let logs = records();
    for line in logs.iter().filter(|l| l.contains("forged-line-3")) {
        for raw in ['\u{202e}', '\u{2028}', '\u{2066}'] {
            assert!(!line.contains(raw), "raw {raw:?} in {line:?}");
        }
        assert!(
            line.contains("Group.X\\u{202e}forged-line-3\\u{2028}\\u{2066}"),
            "escaped in {line:?}"
        );
    }
    for (marker, escaped) in [
        ("forged-line-1", "X\\nERROR forged-line-1"),
        ("forged-line-2", "Y\\r\\nERROR forged-line-2"),
        ("forged-line-3", "Group.X\\u{202e}forged-line-3"),
    ] {
        let lines: Vec<&String> = logs.iter().filter(|l| l.contains(marker)).collect();
        // The command is logged, so the check below looks at real records.
        assert!(!lines.is_empty(), "{marker} is logged: {logs:#?}");
        for line in lines {
            assert!(
                !line.contains('\n') && !line.contains('\r'),
                "log record with a raw line break: {line:?}"
            );
            assert!(line.contains(escaped), "escaped in {line:?}");
        }
    }
}
