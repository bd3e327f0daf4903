//! Routing each `CallbackCommand` to its own handler on the one callback URL, and what
//! happens to commands no route handles.

use std::sync::{Arc, Mutex};

use crate::common::*;
use actix_tim_callback::{
    command, command_named, model::group, model::CallbackEvent, testkit::TestCallback, Ack,
    Callback, CallbackConfig, CallbackMeta, RawCallback, TimCallback, UnhandledCommands,
};
use actix_web::{
    body::MessageBody,
    dev::{ServiceFactory, ServiceRequest, ServiceResponse},
    http::StatusCode,
    test::{call_service, init_service, read_body, TestRequest},
    web, App, Error, HttpResponse, Scope,
};
use serde::Deserialize;

const STATE_CHANGE: &str = "State.StateChange";
const NEW_MEMBER_JOIN: &str = "Group.CallbackAfterNewMemberJoin";
const RECALL_MSG: &str = "Group.CallbackAfterRecallMsg";

/// `State.StateChange`, defined outside the crate.
#[derive(Debug, Clone, Deserialize)]
struct StateChange {
    #[serde(rename = "EventTime")]
    event_time: Option<u64>,
    #[serde(rename = "Info")]
    info: StateInfo,
}

#[derive(Debug, Clone, Deserialize)]
struct StateInfo {
    #[serde(rename = "Action")]
    action: String,
    #[serde(rename = "To_Account")]
    to_account: String,
}

impl CallbackEvent for StateChange {
    const COMMAND: &'static str = STATE_CHANGE;
    type Reply = Ack;
}

const STATE_CHANGE_BODY: &str = r#"{
    "CallbackCommand": "State.StateChange",
    "EventTime": 1629883332497,
    "Info": {"Action": "Login", "To_Account": "jared", "Reason": "Register"},
    "KickedDevice": [{"Platform": "Android"}]
}"#;

const NEW_MEMBER_JOIN_BODY: &str = r#"{
    "CallbackCommand": "Group.CallbackAfterNewMemberJoin",
    "GroupId": "@TGS#2J4SZEAEL",
    "Type": "Public",
    "JoinType": "Apply",
    "Operator_Account": "leckie",
    "NewMemberList": [{"Member_Account": "jared"}]
}"#;

const RECALL_MSG_BODY: &str = r#"{
    "CallbackCommand": "Group.CallbackAfterRecallMsg",
    "Type": "Public",
    "GroupId": "@TGS#2J4SZEAEL",
    "Operator_Account": "jared",
    "MsgSeqList": [{"MsgSeq": 1}]
}"#;

/// What each handler received.
#[derive(Clone, Default)]
struct Handlers {
    exception: Counter,
    state: Arc<Mutex<Vec<(StateChange, CallbackMeta)>>>,
    join: Arc<Mutex<Vec<CallbackMeta>>>,
}

impl Handlers {
    /// (exception, state change, new member join) call counts.
    fn counts(&self) -> (usize, usize, usize) {
        (
            self.exception.get(),
            self.state.lock().unwrap().len(),
            self.join.lock().unwrap().len(),
        )
    }
}

/// The callback scope with three routes on its own path, one per command.
fn callback_scope(
    config: CallbackConfig,
    handlers: &Handlers,
) -> Scope<
    impl ServiceFactory<
        ServiceRequest,
        Config = (),
        Response = ServiceResponse<impl MessageBody>,
        Error = Error,
        InitError = (),
    >,
> {
    let exception = handlers.exception.clone();
    let state = handlers.state.clone();
    let join = handlers.join.clone();
    web::scope(PATH)
        .wrap(TimCallback::new(config))
        .route(
            "",
            web::post().guard(command::<group::SendMsgException>()).to(
                move |_: Callback<group::SendMsgException>| {
                    let exception = exception.clone();
                    async move {
                        exception.hit();
                        Ack
                    }
                },
            ),
        )
        .route(
            "",
            web::post()
                .guard(command::<StateChange>())
                .to(move |cb: Callback<StateChange>| {
                    let state = state.clone();
                    async move {
                        state.lock().unwrap().push((cb.event, cb.meta));
                        actix_web::Result::<()>::Ok(())
                    }
                }),
        )
        .route(
            "",
            web::post()
                .guard(command_named(NEW_MEMBER_JOIN))
                .to(move |meta: CallbackMeta| {
                    let join = join.clone();
                    async move {
                        join.lock().unwrap().push(meta);
                        HttpResponse::Ok().finish()
                    }
                }),
        )
}

fn post(command: &str, body: impl Into<actix_web::web::Bytes>) -> TestRequest {
    TestRequest::post()
        .uri(&callback_uri(command, ""))
        .set_payload(body.into())
}

#[actix_web::test]
async fn each_command_reaches_only_its_own_handler() {
    let handlers = Handlers::default();
    let app =
        init_service(App::new().service(callback_scope(CallbackConfig::new(APP_ID), &handlers)))
            .await;

    let res = call_service(&app, post(SEND_MSG_EXCEPTION, SEED).to_request()).await;
    assert_ok(res).await;
    assert_eq!(handlers.counts(), (1, 0, 0));

    let res = call_service(&app, post(STATE_CHANGE, STATE_CHANGE_BODY).to_request()).await;
    assert_ok(res).await;
    assert_eq!(handlers.counts(), (1, 1, 0));

    let res = call_service(
        &app,
        post(NEW_MEMBER_JOIN, NEW_MEMBER_JOIN_BODY).to_request(),
    )
    .await;
    assert_ok(res).await;
    assert_eq!(handlers.counts(), (1, 1, 1));

    let (state, meta) = handlers.state.lock().unwrap()[0].clone();
    assert_eq!(state.info.action, "Login");
    assert_eq!(state.info.to_account, "jared");
    assert_eq!(state.event_time, Some(1629883332497));
    assert_eq!(meta.command.as_deref(), Some(STATE_CHANGE));
    let join = handlers.join.lock().unwrap()[0].clone();
    assert_eq!(join.command.as_deref(), Some(NEW_MEMBER_JOIN));
    assert_eq!(join.sdk_app_id, APP_ID);
}

#[actix_web::test]
async fn commands_are_routed_with_signatures_on() {
    let handlers = Handlers::default();
    let config = CallbackConfig::new(APP_ID).token(TOKEN);
    let app = init_service(App::new().service(callback_scope(config, &handlers))).await;
    let signed = format!("&{}", signed_query(TOKEN, now_secs()));

    let req = TestRequest::post()
        .uri(&callback_uri(STATE_CHANGE, &signed))
        .set_payload(STATE_CHANGE_BODY)
        .to_request();
    assert_ok(call_service(&app, req).await).await;
    assert_eq!(handlers.counts(), (0, 1, 0));

    // Unsigned: rejected before routing, whatever the command.
    let res = call_service(&app, post(STATE_CHANGE, STATE_CHANGE_BODY).to_request()).await;
    assert_fail(res, StatusCode::UNAUTHORIZED, 40101).await;
    let res = call_service(&app, post(RECALL_MSG, RECALL_MSG_BODY).to_request()).await;
    assert_fail(res, StatusCode::UNAUTHORIZED, 40101).await;
    assert_eq!(handlers.counts(), (0, 1, 0));
}

#[actix_web::test]
async fn body_of_the_wrong_shape_for_the_routed_command_is_400() {
    let handlers = Handlers::default();
    let app =
        init_service(App::new().service(callback_scope(CallbackConfig::new(APP_ID), &handlers)))
            .await;

    // Routed by the query to the StateChange handler, whose type needs `Info`.
    let res = call_service(&app, post(STATE_CHANGE, NEW_MEMBER_JOIN_BODY).to_request()).await;

    let info = assert_fail(res, StatusCode::BAD_REQUEST, 40002).await;
    assert!(info.contains("missing field `Info`"), "{info}");
    assert_eq!(handlers.counts(), (0, 0, 0));
}

#[actix_web::test]
async fn unhandled_command_is_acked_without_invoking_any_handler() {
    let handlers = Handlers::default();
    let app =
        init_service(App::new().service(callback_scope(CallbackConfig::new(APP_ID), &handlers)))
            .await;

    let res = call_service(&app, post(RECALL_MSG, RECALL_MSG_BODY).to_request()).await;

    assert_ok(res).await;
    assert_eq!(handlers.counts(), (0, 0, 0));
}

#[actix_web::test]
async fn unhandled_command_is_404_with_reject_policy() {
    let handlers = Handlers::default();
    let config = CallbackConfig::new(APP_ID).unhandled_commands(UnhandledCommands::Reject);
    let app = init_service(App::new().service(callback_scope(config, &handlers))).await;

    let res = call_service(&app, post(RECALL_MSG, RECALL_MSG_BODY).to_request()).await;

    let info = assert_fail(res, StatusCode::NOT_FOUND, 40401).await;
    assert!(info.contains(RECALL_MSG), "{info}");
    assert_eq!(handlers.counts(), (0, 0, 0));
}

#[actix_web::test]
async fn handled_commands_still_succeed_with_reject_policy() {
    let handlers = Handlers::default();
    let config = CallbackConfig::new(APP_ID).unhandled_commands(UnhandledCommands::Reject);
    let app = init_service(App::new().service(callback_scope(config, &handlers))).await;

    assert_ok(call_service(&app, post(SEND_MSG_EXCEPTION, SEED).to_request()).await).await;
    assert_ok(call_service(&app, post(STATE_CHANGE, STATE_CHANGE_BODY).to_request()).await).await;
    assert_ok(
        call_service(
            &app,
            post(NEW_MEMBER_JOIN, NEW_MEMBER_JOIN_BODY).to_request(),
        )
        .await,
    )
    .await;
    assert_eq!(handlers.counts(), (1, 1, 1));
}

/// Without `CallbackCommand` in the query, the request's command is the body's: the
/// guards route by it as by the query's.
#[actix_web::test]
async fn request_without_query_command_is_routed_by_the_bodys() {
    let handlers = Handlers::default();
    let app =
        init_service(App::new().service(callback_scope(CallbackConfig::new(APP_ID), &handlers)))
            .await;

    let uri = format!("{PATH}?SdkAppid={APP_ID}&contenttype=json");
    let req = TestRequest::post().uri(&uri).set_payload(SEED).to_request();
    let res = call_service(&app, req).await;

    assert_ok(res).await;
    assert_eq!(handlers.counts(), (1, 0, 0));
}

/// A request that names no command anywhere is malformed (400), whatever the unhandled
/// policy: it is never answered OK, and no handler runs.
#[actix_web::test]
async fn request_without_any_command_is_400() {
    for policy in [UnhandledCommands::Ack, UnhandledCommands::Reject] {
        let handlers = Handlers::default();
        let config = CallbackConfig::new(APP_ID).unhandled_commands(policy);
        let app = init_service(App::new().service(callback_scope(config, &handlers))).await;

        let uri = format!("{PATH}?SdkAppid={APP_ID}&contenttype=json");
        for body in [
            r#"{"GroupId":"@TGS#1"}"#,
            r#"{"CallbackCommand":""}"#,
            "not json",
        ] {
            let req = TestRequest::post().uri(&uri).set_payload(body).to_request();
            let info = assert_fail(
                call_service(&app, req).await,
                StatusCode::BAD_REQUEST,
                40005,
            )
            .await;
            assert!(info.contains("names no CallbackCommand"), "{info}");
        }
        assert_eq!(handlers.counts(), (0, 0, 0));
    }
}

#[actix_web::test]
async fn command_guard_matches_the_exact_command_only() {
    let handlers = Handlers::default();
    let app =
        init_service(App::new().service(callback_scope(CallbackConfig::new(APP_ID), &handlers)))
            .await;

    for near_miss in [
        "Group.CallbackSendMsgException2",
        "Group.CallbackSendMsg",
        "State.StateChange%20",
    ] {
        let res = call_service(&app, post(near_miss, seed_without_command()).to_request()).await;
        assert_ok(res).await;
        // With the seed's own `CallbackCommand` in the body, the request contradicts itself.
        let res = call_service(&app, post(near_miss, SEED).to_request()).await;
        assert_fail(res, StatusCode::BAD_REQUEST, 40006).await;
    }
    // Repeated with different values, or empty: no command is trusted, the request is
    // malformed (and the body's command is not taken instead).
    let conflicting = format!(
        "{}&CallbackCommand={STATE_CHANGE}",
        callback_uri(SEND_MSG_EXCEPTION, "")
    );
    let empty = format!("{PATH}?SdkAppid={APP_ID}&CallbackCommand=");
    for uri in [conflicting, empty] {
        let req = TestRequest::post().uri(&uri).set_payload(SEED).to_request();
        assert_fail(
            call_service(&app, req).await,
            StatusCode::BAD_REQUEST,
            40004,
        )
        .await;
    }
    assert_eq!(handlers.counts(), (0, 0, 0));
}

#[actix_web::test]
async fn scope_default_service_overrides_the_unhandled_policy() {
    for policy in [UnhandledCommands::Ack, UnhandledCommands::Reject] {
        let handlers = Handlers::default();
        let defaults = Counter::new();
        let d = defaults.clone();
        let config = CallbackConfig::new(APP_ID).unhandled_commands(policy);
        let scope = callback_scope(config, &handlers).default_service(web::to(move || {
            let d = d.clone();
            async move {
                d.hit();
                HttpResponse::Accepted().body("custom")
            }
        }));
        let app = init_service(App::new().service(scope)).await;

        let res = call_service(&app, post(RECALL_MSG, RECALL_MSG_BODY).to_request()).await;

        assert_eq!(res.status(), StatusCode::ACCEPTED, "{policy:?}");
        assert_eq!(read_body(res).await, "custom", "{policy:?}");
        assert_eq!(defaults.get(), 1, "{policy:?}");
        assert_eq!(handlers.counts(), (0, 0, 0), "{policy:?}");

        // Handled commands do not reach the default service.
        let res = call_service(&app, post(SEND_MSG_EXCEPTION, SEED).to_request()).await;
        assert_ok(res).await;
        assert_eq!(defaults.get(), 1, "{policy:?}");
    }
}

#[actix_web::test]
async fn raw_callback_as_default_service_catches_every_unrouted_command() {
    let handlers = Handlers::default();
    let caught = Arc::new(Mutex::new(Vec::<RawCallback>::new()));
    let sink = caught.clone();
    let scope = callback_scope(CallbackConfig::new(APP_ID), &handlers).default_service(web::to(
        move |cb: RawCallback| {
            let sink = sink.clone();
            async move {
                sink.lock().unwrap().push(cb);
                Ack
            }
        },
    ));
    let app = init_service(App::new().service(scope)).await;

    let res = call_service(&app, post(RECALL_MSG, RECALL_MSG_BODY).to_request()).await;
    assert_ok(res).await;
    let res = call_service(&app, post(SEND_MSG_EXCEPTION, SEED).to_request()).await;
    assert_ok(res).await;

    let caught = caught.lock().unwrap();
    assert_eq!(caught.len(), 1, "the typed route took the exception");
    assert_eq!(caught[0].command(), Some(RECALL_MSG));
    assert_eq!(caught[0].meta.sdk_app_id, APP_ID);
    let sent: serde_json::Value = serde_json::from_str(RECALL_MSG_BODY).unwrap();
    assert_eq!(caught[0].body, sent);
    assert_eq!(handlers.counts(), (1, 0, 0));
}

#[actix_web::test]
async fn raw_callback_rejects_bad_json_and_reads_the_command_from_the_body() {
    let caught = Arc::new(Mutex::new(Vec::<RawCallback>::new()));
    let sink = caught.clone();
    let app = init_service(
        App::new().service(
            web::scope(PATH)
                .wrap(TimCallback::new(CallbackConfig::new(APP_ID)))
                .default_service(web::to(move |cb: RawCallback| {
                    let sink = sink.clone();
                    async move {
                        sink.lock().unwrap().push(cb);
                        Ack
                    }
                })),
        ),
    )
    .await;

    let bad = TestRequest::post()
        .uri(&format!(
            "{PATH}?SdkAppid={APP_ID}&CallbackCommand={RECALL_MSG}"
        ))
        .set_payload("{not json")
        .to_request();
    assert_fail(
        call_service(&app, bad).await,
        StatusCode::BAD_REQUEST,
        40002,
    )
    .await;

    let no_command = TestRequest::post()
        .uri(&format!("{PATH}?SdkAppid={APP_ID}"))
        .set_payload(RECALL_MSG_BODY)
        .to_request();
    assert_ok(call_service(&app, no_command).await).await;
    let caught = caught.lock().unwrap();
    assert_eq!(caught.len(), 1);
    assert_eq!(caught[0].meta.command.as_deref(), Some(RECALL_MSG));
    assert_eq!(caught[0].command(), Some(RECALL_MSG));
}

#[actix_web::test]
async fn scope_default_service_still_sits_behind_the_checks() {
    let defaults = Counter::new();
    let d = defaults.clone();
    let scope = callback_scope(CallbackConfig::new(APP_ID), &Handlers::default()).default_service(
        web::to(move || {
            let d = d.clone();
            async move {
                d.hit();
                HttpResponse::Accepted().body("custom")
            }
        }),
    );
    let app = init_service(App::new().service(scope)).await;

    let uri = format!("{PATH}?SdkAppid=1400000001&CallbackCommand={RECALL_MSG}");
    let req = TestRequest::post()
        .uri(&uri)
        .set_payload(RECALL_MSG_BODY)
        .to_request();
    let res = call_service(&app, req).await;

    assert_fail(res, StatusCode::FORBIDDEN, 40303).await;
    assert_eq!(defaults.get(), 0);
}

/// A path of the scope no resource has (a mistyped callback URL, a trailing slash) is a
/// misconfiguration, not a command without a route: never OK, whatever the unhandled
/// policy, with the path in the reply and an error log; a trailing slash says how to fix it.
#[actix_web::test]
async fn a_path_no_resource_has_is_refused_whatever_the_unhandled_policy() {
    capture_logs();
    for policy in [UnhandledCommands::Ack, UnhandledCommands::Reject] {
        let handlers = Handlers::default();
        let config = CallbackConfig::new(APP_ID).unhandled_commands(policy);
        let app = init_service(App::new().service(callback_scope(config, &handlers))).await;
        for (path, hint) in [
            (format!("{PATH}/elsewhere"), false),
            (format!("{PATH}/"), true),
        ] {
            let uri = format!("{path}?{}", callback_query(SEND_MSG_EXCEPTION));
            let req = TestRequest::post().uri(&uri).set_payload(SEED).to_request();
            let info =
                assert_fail(call_service(&app, req).await, StatusCode::NOT_FOUND, 40402).await;
            assert!(
                info.contains(&format!("no resource has the path {path}")),
                "{info}"
            );
            assert_eq!(info.contains("NormalizePath::trim()"), hint, "{info}");
        }
        assert_eq!(handlers.counts(), (0, 0, 0));
    }
    assert!(
        records()
            .iter()
            .any(|line| line.starts_with("ERROR") && line.contains(&format!("{PATH}/elsewhere"))),
        "an error log names the path"
    );
}

/// The documented fix for a callback URL configured with a trailing slash: actix-web's
/// `NormalizePath::trim()` on the App, and the callback reaches its handler.
#[actix_web::test]
async fn with_normalize_path_a_trailing_slash_reaches_the_handler() {
    let handlers = Handlers::default();
    let app = init_service(
        App::new()
            .wrap(actix_web::middleware::NormalizePath::trim())
            .service(callback_scope(CallbackConfig::new(APP_ID), &handlers)),
    )
    .await;
    let uri = format!("{PATH}/?{}", callback_query(SEND_MSG_EXCEPTION));
    let req = TestRequest::post().uri(&uri).set_payload(SEED).to_request();
    assert_ok(call_service(&app, req).await).await;
    assert_eq!(handlers.counts(), (1, 0, 0));
}

#[actix_web::test]
async fn unhandled_command_from_a_foreign_app_is_rejected_not_acked() {
    let handlers = Handlers::default();
    let app =
        init_service(App::new().service(callback_scope(CallbackConfig::new(APP_ID), &handlers)))
            .await;

    let uri = format!("{PATH}?SdkAppid=1400000001&CallbackCommand={RECALL_MSG}");
    let req = TestRequest::post()
        .uri(&uri)
        .set_payload(RECALL_MSG_BODY)
        .to_request();
    let res = call_service(&app, req).await;

    assert_fail(res, StatusCode::FORBIDDEN, 40303).await;
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
                .body(seed_without_command())
                .path(PATH)
                .to_request();
            let res = call_service(&app, req).await;
            assert_eq!(res.status(), StatusCode::OK, "still acked");
            assert_eq!(read_body(res).await, OK_JSON);
        }
    }
    assert_eq!(count("Group.CallbackSendMsgExceptoin"), 1);
    assert_eq!(count("Group.CallbackAfterSendMgs"), 1);
    // As the README says: warn the first time per command, debug after that.
    for typo in [
        "Group.CallbackSendMsgExceptoin",
        "Group.CallbackAfterSendMgs",
    ] {
        let levels: Vec<String> = records()
            .iter()
            .filter(|line| line.contains(&format!("no route handles Tencent IM callback {typo};")))
            .map(|line| line.split(' ').next().unwrap_or_default().to_owned())
            .collect();
        assert_eq!(levels, ["WARN", "DEBUG", "DEBUG"], "{typo}");
    }
}
