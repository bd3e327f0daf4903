//! Every one of Tencent's 60 callback commands, through the real middleware: each sample,
//! and its drifted variants, is accepted, typed under its own command, and loses no field.

mod common;

use std::sync::{Arc, Mutex};

use actix_tim_callback::{
    command, model::*, Ack, Callback, CallbackConfig, TestCallback, TimCallback,
};
use actix_web::{
    dev::{Service, ServiceResponse},
    test::{call_service, init_service, read_body},
    web, App, Error,
};
use common::{
    samples::{assert_keeps_every_field, commands, sample_json},
    APP_ID, OK_JSON, PATH, TOKEN,
};
use serde::Serialize;
use serde_json::{json, Value};

/// What the handlers saw: the command and the event written back as JSON.
type Seen = Arc<Mutex<Vec<(String, bool, Value)>>>;

/// One route taking every command as `AnyEvent`, recording what it decoded.
async fn any_event_app(
    seen: Seen,
) -> impl Service<actix_http::Request, Response = ServiceResponse, Error = Error> {
    init_service(
        App::new().service(
            web::scope(PATH)
                .wrap(TimCallback::new(CallbackConfig::new(APP_ID).token(TOKEN)))
                .route(
                    "",
                    web::post().to(move |cb: Callback<AnyEvent>| {
                        let seen = seen.clone();
                        async move {
                            let written = serde_json::to_value(&cb.event).expect("serialises");
                            seen.lock().unwrap().push((
                                cb.event.command().to_owned(),
                                cb.event.is_unknown(),
                                written,
                            ));
                            Ack
                        }
                    }),
                ),
        ),
    )
    .await
}

/// Posts `body` as a signed callback of `command`; returns what the handler decoded.
async fn post(
    app: &impl Service<actix_http::Request, Response = ServiceResponse, Error = Error>,
    seen: &Seen,
    command: &str,
    body: &Value,
) -> (String, bool, Value) {
    let req = TestCallback::new(command, body.to_string())
        .path(PATH)
        .signed(TOKEN)
        .to_request();
    let res = call_service(app, req).await;
    let status = res.status();
    let reply = read_body(res).await;
    assert_eq!(
        status,
        200,
        "{command}: {}",
        String::from_utf8_lossy(&reply)
    );
    assert_eq!(reply, OK_JSON, "{command}");
    seen.lock().unwrap().pop().expect("the handler ran")
}

/// The objects that carry `EventTime`: the body, or each event of a batched body.
fn events(body: &mut Value) -> Vec<&mut serde_json::Map<String, Value>> {
    if body.get("Events").is_some() {
        let events = body["Events"].as_array_mut().expect("Events is a list");
        events.iter_mut().filter_map(Value::as_object_mut).collect()
    } else {
        body.as_object_mut().into_iter().collect()
    }
}

/// `EventTime` as a number where it was a string, a string where it was a number, and a
/// number where it was absent.
fn flip_event_time(mut body: Value) -> Value {
    for event in events(&mut body) {
        let flipped = match event.get("EventTime") {
            Some(Value::String(text)) => json!(text.parse::<u64>().expect("digits")),
            Some(Value::Number(number)) => json!(number.to_string()),
            _ => json!(1_670_574_414_123u64),
        };
        event.insert("EventTime".to_owned(), flipped);
    }
    body
}

fn without_event_time(mut body: Value) -> Value {
    for event in events(&mut body) {
        event.remove("EventTime");
    }
    body
}

/// The sample with an element of an unknown `MsgType` and a malformed text element added
/// to every `MsgBody`, at any depth.
fn with_odd_elements(mut body: Value) -> Value {
    fn visit(value: &mut Value) {
        match value {
            Value::Object(map) => {
                for (key, value) in map.iter_mut() {
                    if key == "MsgBody" {
                        if let Value::Array(elements) = value {
                            elements.push(json!({"MsgType": "TIMFutureElem", "MsgContent": {"Hologram": true}}));
                            elements.push(
                                json!({"MsgType": "TIMTextElem", "MsgContent": {"Text": 12345}}),
                            );
                        }
                    }
                    visit(value);
                }
            }
            Value::Array(items) => items.iter_mut().for_each(visit),
            _ => {}
        }
    }
    visit(&mut body);
    body
}

fn has_msg_body(value: &Value) -> bool {
    match value {
        Value::Object(map) => map
            .iter()
            .any(|(key, value)| key == "MsgBody" || has_msg_body(value)),
        Value::Array(items) => items.iter().any(has_msg_body),
        _ => false,
    }
}

#[actix_web::test]
async fn there_are_sixty_commands_and_a_sample_of_each_in_the_test_kit() {
    let commands = commands();
    assert_eq!(commands.len(), 60);
    let kit: Vec<&str> = TestCallback::commands().collect();
    assert_eq!(kit, commands);
}

#[actix_web::test]
async fn every_sample_and_its_drift_is_typed_under_its_own_command_and_keeps_every_field() {
    let seen = Seen::default();
    let app = any_event_app(seen.clone()).await;
    let mut with_elements = 0;
    for command in commands() {
        let sample = sample_json(&command);
        let variants = [
            ("as printed", sample.clone(), sample.clone()),
            (
                "EventTime flipped",
                flip_event_time(sample.clone()),
                flip_event_time(sample.clone()),
            ),
            (
                "EventTime removed",
                without_event_time(sample.clone()),
                without_event_time(sample.clone()),
            ),
            (
                "unknown field",
                {
                    let mut body = sample.clone();
                    body["FieldFromTheFuture"] = json!({"nested": [1, 2]});
                    body
                },
                sample.clone(),
            ),
            (
                "odd elements",
                with_odd_elements(sample.clone()),
                with_odd_elements(sample.clone()),
            ),
        ];
        if has_msg_body(&sample) {
            with_elements += 1;
        }
        for (variant, body, expected) in variants {
            let (typed_as, unknown, written) = post(&app, &seen, &command, &body).await;
            assert_eq!(typed_as, command, "{command} ({variant})");
            assert!(!unknown, "{command} ({variant}) is typed");
            assert_keeps_every_field(&expected, &written);
        }
    }
    // The odd-elements variant did change bodies: the message callbacks have a MsgBody.
    assert!(
        with_elements >= 10,
        "{with_elements} samples with a MsgBody"
    );
}

#[actix_web::test]
async fn odd_elements_are_kept_as_raw_json_not_rejected() {
    let seen = Seen::default();
    let app = any_event_app(seen.clone()).await;
    let body = with_odd_elements(sample_json("Group.CallbackAfterSendMsg"));
    let (_, _, written) = post(&app, &seen, "Group.CallbackAfterSendMsg", &body).await;
    let elements = written["MsgBody"].as_array().expect("MsgBody");
    assert_eq!(elements[elements.len() - 2]["MsgType"], "TIMFutureElem");
    assert_eq!(elements[elements.len() - 1]["MsgContent"]["Text"], 12345);
}

#[actix_web::test]
async fn an_untyped_command_is_kept_as_unknown_with_its_body() {
    let seen = Seen::default();
    let app = any_event_app(seen.clone()).await;
    let body = json!({"CallbackCommand": "Future.CallbackSomething", "Answer": 42});
    let (command, unknown, written) = post(&app, &seen, "Future.CallbackSomething", &body).await;
    assert_eq!(command, "Future.CallbackSomething");
    assert!(unknown);
    assert_eq!(written, body);
}

#[actix_web::test]
async fn without_a_command_in_the_query_the_bodys_command_dispatches() {
    let seen = Seen::default();
    let app = any_event_app(seen.clone()).await;
    for command in [
        "State.StateChange",
        "Push.OfflinePush",
        "Group.CallbackSendMsgException",
    ] {
        let req = TestCallback::sample(command)
            .expect("a sample")
            .command(None)
            .path(PATH)
            .signed(TOKEN)
            .to_request();
        let res = call_service(&app, req).await;
        assert_eq!(res.status(), 200, "{command}");
        let (typed_as, unknown, _) = seen.lock().unwrap().pop().expect("the handler ran");
        assert_eq!(typed_as, command);
        assert!(!unknown);
    }
}

#[actix_web::test]
async fn a_missing_required_field_is_still_a_400_with_its_path() {
    let seen = Seen::default();
    let app = any_event_app(seen.clone()).await;
    let mut body = sample_json("Group.CallbackAfterGroupFull");
    body.as_object_mut().expect("an object").remove("GroupId");
    let req = TestCallback::new("Group.CallbackAfterGroupFull", body.to_string())
        .path(PATH)
        .signed(TOKEN)
        .to_request();
    let res = call_service(&app, req).await;
    assert_eq!(res.status(), 400);
    let info = common::assert_fail_body(&read_body(res).await, 40002);
    assert!(info.contains("GroupId"), "{info}");
    assert!(seen.lock().unwrap().is_empty());
}

/// A route for `E` alone, behind its own guard, that records the event.
fn route<E>(cfg: &mut web::ServiceConfig, seen: &Seen)
where
    E: CallbackEvent + Serialize + 'static,
{
    let seen = seen.clone();
    cfg.route(
        "",
        web::post()
            .guard(command::<E>())
            .to(move |cb: Callback<E>| {
                let seen = seen.clone();
                async move {
                    let written = serde_json::to_value(&cb.event).expect("serialises");
                    seen.lock()
                        .unwrap()
                        .push((E::COMMAND.to_owned(), false, written));
                    Ack
                }
            }),
    );
}

/// A typed route for each of the 60 commands.
fn every_typed_route(cfg: &mut web::ServiceConfig, seen: &Seen) {
    route::<RequestOverLimit>(cfg, seen);
    route::<StateChange>(cfg, seen);
    route::<PortraitSet>(cfg, seen);
    route::<PrevFriendAdd>(cfg, seen);
    route::<PrevFriendResponse>(cfg, seen);
    route::<FriendAdd>(cfg, seen);
    route::<FriendDelete>(cfg, seen);
    route::<BlackListAdd>(cfg, seen);
    route::<BlackListDelete>(cfg, seen);
    route::<AfterFollowAdd>(cfg, seen);
    route::<AfterFollowDelete>(cfg, seen);
    route::<C2cBeforeSendMsg>(cfg, seen);
    route::<C2cAfterSendMsg>(cfg, seen);
    route::<C2cAfterMsgReport>(cfg, seen);
    route::<C2cAfterMsgWithdraw>(cfg, seen);
    route::<AfterC2cMsgExtension>(cfg, seen);
    route::<C2cAfterMsgReadReceipt>(cfg, seen);
    route::<C2cAfterModifyMsg>(cfg, seen);
    route::<C2cAfterMsgReadAll>(cfg, seen);
    route::<BeforeCreateGroup>(cfg, seen);
    route::<AfterCreateGroup>(cfg, seen);
    route::<BeforeApplyJoinGroup>(cfg, seen);
    route::<BeforeInviteJoinGroup>(cfg, seen);
    route::<GroupAfterNewMemberJoin>(cfg, seen);
    route::<GroupAfterMemberExit>(cfg, seen);
    route::<GroupBeforeSendMsg>(cfg, seen);
    route::<GroupAfterSendMsg>(cfg, seen);
    route::<AfterGroupFull>(cfg, seen);
    route::<AfterGroupDestroyed>(cfg, seen);
    route::<AfterGroupInfoChanged>(cfg, seen);
    route::<GroupAfterRecallMsg>(cfg, seen);
    route::<GroupOnMemberStateChange>(cfg, seen);
    route::<SendMsgException>(cfg, seen);
    route::<GroupAfterMemberFieldChanged>(cfg, seen);
    route::<AfterGroupAttrChanged>(cfg, seen);
    route::<GroupAfterReadReceipt>(cfg, seen);
    route::<AfterChangeGroupOwner>(cfg, seen);
    route::<OnDailyGroupQuotaAlarm>(cfg, seen);
    route::<AfterGroupMsgExtension>(cfg, seen);
    route::<BeforeCreateTopic>(cfg, seen);
    route::<AfterCreateTopic>(cfg, seen);
    route::<AfterTopicDestroyed>(cfg, seen);
    route::<AfterTopicInfoChanged>(cfg, seen);
    route::<ContentResultNotify>(cfg, seen);
    route::<BotOnC2cMessage>(cfg, seen);
    route::<BotOnGroupMessage>(cfg, seen);
    route::<ChatbotOnC2cSignalMessage>(cfg, seen);
    route::<BeforeCreateOfficialAccount>(cfg, seen);
    route::<AfterCreateOfficialAccount>(cfg, seen);
    route::<AfterOfficialAccountInfoChanged>(cfg, seen);
    route::<AfterOfficialAccountDestroyed>(cfg, seen);
    route::<OfficialAccountBeforeAddSubscriber>(cfg, seen);
    route::<OfficialAccountAfterAddSubscriber>(cfg, seen);
    route::<AfterOfficialAccountFull>(cfg, seen);
    route::<OfficialAccountAfterDeleteSubscriber>(cfg, seen);
    route::<OfficialAccountBeforeSendMsg>(cfg, seen);
    route::<OfficialAccountAfterSendMsg>(cfg, seen);
    route::<OfficialAccountAfterMsgWithdraw>(cfg, seen);
    route::<OfflinePush>(cfg, seen);
    route::<AllMemberPush>(cfg, seen);
}

#[actix_web::test]
async fn each_commands_own_type_works_alone_behind_its_guard() {
    let seen = Seen::default();
    let routes = seen.clone();
    let app = init_service(
        App::new().service(
            web::scope(PATH)
                .wrap(TimCallback::new(CallbackConfig::new(APP_ID).token(TOKEN)))
                .configure(move |cfg| every_typed_route(cfg, &routes)),
        ),
    )
    .await;
    for command in commands() {
        let req = TestCallback::sample(&command)
            .expect("a sample")
            .path(PATH)
            .signed(TOKEN)
            .to_request();
        let res = call_service(&app, req).await;
        assert_eq!(res.status(), 200, "{command}");
        assert_eq!(read_body(res).await, OK_JSON, "{command}");
        let (routed_to, _, written) =
            seen.lock().unwrap().pop().unwrap_or_else(|| {
                panic!("{command}: no typed route took it (acked as unhandled)")
            });
        assert_eq!(routed_to, command);
        assert_keeps_every_field(&sample_json(&command), &written);
    }
}
