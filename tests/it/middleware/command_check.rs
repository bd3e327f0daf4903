//! `CallbackCommand` against the handler's event type.

use super::*;

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
    // The request's one command is the query's, else the body's: the metadata says so.
    let cb = seen.only();
    assert_eq!(cb.meta.command.as_deref(), Some(SEND_MSG_EXCEPTION));
    assert_eq!(cb.callback_command, SEND_MSG_EXCEPTION);
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

/// A body whose `CallbackCommand` is not the query's: neither is signed, Tencent never sends
/// them apart, so the request is answered as neither (40006) by every extractor, and by the
/// middleware for a command no route handles.
#[actix_web::test]
async fn a_body_naming_another_command_than_the_query_is_400_everywhere() {
    use actix_tim_callback::{model::AnyEvent, RawCallback};
    let seen = Seen::default();
    let contradicting = || {
        let mut body: serde_json::Value = serde_json::from_str(SEED).expect("JSON");
        body["CallbackCommand"] = "State.StateChange".into();
        body.to_string()
    };
    let check = |info: String| {
        assert!(
            info.contains(&format!(
                "CallbackCommand {SEND_MSG_EXCEPTION} in the query"
            )),
            "{info}"
        );
        assert!(info.contains("State.StateChange in the body"), "{info}");
    };

    // A typed extractor, guarded and unguarded.
    let app = init_service(scoped_app(config(), unguarded(&seen))).await;
    let res = call_service(&app, post(&exception_uri(""), contradicting()).to_request()).await;
    check(assert_fail(res, StatusCode::BAD_REQUEST, 40006).await);
    assert_eq!(seen.count(), 0);

    // `Callback<AnyEvent>` and `RawCallback`.
    let any = web::post().to(|_: Callback<AnyEvent>| async { Ack });
    let app = init_service(scoped_app(config(), any)).await;
    let res = call_service(&app, post(&exception_uri(""), contradicting()).to_request()).await;
    check(assert_fail(res, StatusCode::BAD_REQUEST, 40006).await);
    let raw = web::post().to(|_: RawCallback| async { Ack });
    let app = init_service(scoped_app(config(), raw)).await;
    let res = call_service(&app, post(&exception_uri(""), contradicting()).to_request()).await;
    check(assert_fail(res, StatusCode::BAD_REQUEST, 40006).await);

    // A command no route handles: not answered OK either.
    let other = web::post()
        .guard(actix_tim_callback::command::<group::AfterSendMsg>())
        .to(|_: Callback<group::AfterSendMsg>| async { Ack });
    let app = init_service(scoped_app(config(), other)).await;
    let res = call_service(&app, post(&exception_uri(""), contradicting()).to_request()).await;
    check(assert_fail(res, StatusCode::BAD_REQUEST, 40006).await);

    // An empty `CallbackCommand` in the body names none: accepted.
    let app = init_service(scoped_app(config(), unguarded(&seen))).await;
    let mut empty: serde_json::Value = serde_json::from_str(SEED).expect("JSON");
    empty["CallbackCommand"] = "".into();
    let res = call_service(
        &app,
        post(&exception_uri(""), empty.to_string()).to_request(),
    )
    .await;
    assert_ok(res).await;
    assert_eq!(seen.count(), 1);
}
