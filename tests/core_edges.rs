//! The edges of the core that a review found open: an empty token, a routed handler's own
//! empty 404/405, an unguarded extractor fed another command's body, unhandled commands
//! dropped in silence, and what `CallbackMeta` reports without a token.

mod common;

use std::sync::Mutex;

use actix_tim_callback::{
    command, command_named, model::group, Ack, Callback, CallbackConfig, CallbackMeta, ConfigError,
    TestCallback, TimCallback,
};
use actix_web::{
    dev::Transform,
    http::StatusCode,
    test::{call_service, init_service, ok_service, read_body},
    web, App, HttpResponse,
};
use common::*;

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
async fn a_routed_handlers_own_empty_404_or_405_is_a_fail_not_ok() {
    for status in [StatusCode::NOT_FOUND, StatusCode::METHOD_NOT_ALLOWED] {
        let app = init_service(
            App::new().service(
                web::scope(PATH)
                    .wrap(TimCallback::new(CallbackConfig::new(APP_ID)))
                    .route(
                        "",
                        web::post()
                            .guard(command_named("Group.CallbackAfterNewMemberJoin"))
                            .to(move |_: web::Bytes| async move {
                                HttpResponse::build(status).finish()
                            }),
                    ),
            ),
        )
        .await;
        let req = TestCallback::new("Group.CallbackAfterNewMemberJoin", "{}")
            .path(PATH)
            .to_request();
        let res = call_service(&app, req).await;
        assert_eq!(res.status(), status);
        let body = read_body(res).await;
        assert_fail_body(&body, u64::from(status.as_u16()) * 100 + 99);
    }
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
async fn each_unhandled_command_is_warned_about_once() {
    captured_warnings();
    let app = init_service(
        App::new().service(
            web::scope(PATH)
                .wrap(TimCallback::new(CallbackConfig::new(APP_ID)))
                .route(
                    "",
                    web::post()
                        .guard(command::<group::SendMsgException>())
                        .to(|_: Callback<group::SendMsgException>| async { Ack }),
                ),
        ),
    )
    .await;
    let count = |command: &str| {
        captured_warnings()
            .lock()
            .unwrap()
            .iter()
            .filter(|line| line.contains("no route handles") && line.contains(command))
            .count()
    };
    for _ in 0..3 {
        for typo in [
            "Group.CallbackSendMsgExceptoin",
            "Group.CallbackAfterSendMgs",
        ] {
            let req = TestCallback::send_msg_exception()
                .command(Some(typo))
                .path(PATH)
                .to_request();
            let res = call_service(&app, req).await;
            assert_eq!(res.status(), StatusCode::OK, "still acked");
            assert_eq!(read_body(res).await, OK_JSON);
        }
    }
    assert_eq!(count("Group.CallbackSendMsgExceptoin"), 1);
    assert_eq!(count("Group.CallbackAfterSendMgs"), 1);
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
