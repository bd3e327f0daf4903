//! Every callback command of the catalogue, through the real middleware: each sample,
//! and its drifted variants, is accepted, typed under its own command, and loses no field.

/// `Group.*` (topics included) and `OfficialAccount.*`.
mod groups;
/// The group and one-to-one message callbacks, their before-send replies, the test kit.
mod messages;
/// Users (State, Profile, Sns, Follow), one-to-one messages, bots, moderation, pushes.
mod users;

use std::sync::{Arc, Mutex};

use crate::common::{
    samples::{assert_keeps_every_field, commands, sample_json},
    APP_ID, OK_JSON, PATH, TOKEN,
};
use actix_tim_callback::{
    command, model::*, testkit::TestCallback, Ack, Callback, CallbackConfig, TimCallback,
};
use actix_web::{
    dev::{Service, ServiceResponse},
    test::{call_service, init_service, read_body},
    web, App, Error,
};
use serde::{de::DeserializeSeed, Serialize};
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
async fn every_command_of_the_catalogue_has_a_sample_in_the_test_kit() {
    // Tencent's 60 IM commands and the five of the Desk and Live products, at least.
    let commands = commands();
    assert!(commands.len() >= 65, "{}", commands.len());
    let mut kit: Vec<&str> = TestCallback::commands().collect();
    kit.sort_unstable();
    assert_eq!(kit, commands);
    let mut catalogue = AnyEvent::COMMANDS.to_vec();
    catalogue.sort_unstable();
    assert_eq!(catalogue, commands);
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
    let info = crate::common::assert_fail_body(&read_body(res).await, 40002);
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
    route::<alert::RequestOverLimit>(cfg, seen);
    route::<state::StateChange>(cfg, seen);
    route::<profile::PortraitSet>(cfg, seen);
    route::<sns::PrevFriendAdd>(cfg, seen);
    route::<sns::PrevFriendResponse>(cfg, seen);
    route::<sns::FriendAdd>(cfg, seen);
    route::<sns::FriendDelete>(cfg, seen);
    route::<sns::BlackListAdd>(cfg, seen);
    route::<sns::BlackListDelete>(cfg, seen);
    route::<follow::AfterFollowAdd>(cfg, seen);
    route::<follow::AfterFollowDelete>(cfg, seen);
    route::<c2c::BeforeSendMsg>(cfg, seen);
    route::<c2c::AfterSendMsg>(cfg, seen);
    route::<c2c::AfterMsgReport>(cfg, seen);
    route::<c2c::AfterMsgWithDraw>(cfg, seen);
    route::<c2c::AfterC2cMsgExtension>(cfg, seen);
    route::<c2c::AfterMsgReadReceipt>(cfg, seen);
    route::<c2c::AfterModifyMsg>(cfg, seen);
    route::<c2c::AfterMsgReadAll>(cfg, seen);
    route::<group::BeforeCreateGroup>(cfg, seen);
    route::<group::AfterCreateGroup>(cfg, seen);
    route::<group::BeforeApplyJoinGroup>(cfg, seen);
    route::<group::BeforeInviteJoinGroup>(cfg, seen);
    route::<group::AfterNewMemberJoin>(cfg, seen);
    route::<group::AfterMemberExit>(cfg, seen);
    route::<group::BeforeSendMsg>(cfg, seen);
    route::<group::AfterSendMsg>(cfg, seen);
    route::<group::AfterGroupFull>(cfg, seen);
    route::<group::AfterGroupDestroyed>(cfg, seen);
    route::<group::AfterGroupInfoChanged>(cfg, seen);
    route::<group::AfterRecallMsg>(cfg, seen);
    route::<group::OnMemberStateChange>(cfg, seen);
    route::<group::SendMsgException>(cfg, seen);
    route::<group::AfterMemberFieldChanged>(cfg, seen);
    route::<group::AfterGroupAttrChanged>(cfg, seen);
    route::<group::AfterReadReceipt>(cfg, seen);
    route::<group::AfterChangeGroupOwner>(cfg, seen);
    route::<group::OnDailyGroupQuotaAlarm>(cfg, seen);
    route::<group::AfterGroupMsgExtension>(cfg, seen);
    route::<group::BeforeCreateTopic>(cfg, seen);
    route::<group::AfterCreateTopic>(cfg, seen);
    route::<group::AfterTopicDestroyed>(cfg, seen);
    route::<group::AfterTopicInfoChanged>(cfg, seen);
    route::<content_callback::ResultNotify>(cfg, seen);
    route::<bot::OnC2cMessage>(cfg, seen);
    route::<bot::OnGroupMessage>(cfg, seen);
    route::<chatbot::OnC2cSignalMessage>(cfg, seen);
    route::<official_account::BeforeCreateOfficialAccount>(cfg, seen);
    route::<official_account::AfterCreateOfficialAccount>(cfg, seen);
    route::<official_account::AfterOfficialAccountInfoChanged>(cfg, seen);
    route::<official_account::AfterOfficialAccountDestroyed>(cfg, seen);
    route::<official_account::BeforeAddSubscriber>(cfg, seen);
    route::<official_account::AfterAddSubscriber>(cfg, seen);
    route::<official_account::AfterOfficialAccountFull>(cfg, seen);
    route::<official_account::AfterDeleteSubscriber>(cfg, seen);
    route::<official_account::BeforeSendMsg>(cfg, seen);
    route::<official_account::AfterSendMsg>(cfg, seen);
    route::<official_account::AfterMsgWithDraw>(cfg, seen);
    route::<push::OfflinePush>(cfg, seen);
    route::<push::AllMemberPush>(cfg, seen);
    route::<desk::OnAssignAgent>(cfg, seen);
    route::<desk::OnAssignHuman>(cfg, seen);
    route::<desk::SessionEventNotify>(cfg, seen);
    route::<live::AfterCreateRoom>(cfg, seen);
    route::<live::AfterDestroyRoom>(cfg, seen);
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

/// Whether Tencent reads the reply, per command, as the catalogue's pages say (written
/// out here, not derived, so a wrong `Reply` in the list fails).
const READ_REPLIES: [&str; 14] = [
    "Sns.CallbackPrevFriendAdd",
    "Sns.CallbackPrevFriendResponse",
    "C2C.CallbackBeforeSendMsg",
    "Group.CallbackBeforeCreateGroup",
    "Group.CallbackBeforeApplyJoinGroup",
    "Group.CallbackBeforeInviteJoinGroup",
    "Group.CallbackBeforeSendMsg",
    "Group.CallbackBeforeCreateTopic",
    "Chatbot.OnC2CSignalMessage",
    "OfficialAccount.CallbackBeforeCreateOfficialAccount",
    "OfficialAccount.CallbackBeforeAddSubscriber",
    "OfficialAccount.CallbackBeforeSendMsg",
    "ChatBot.OnAssignAgent",
    "ChatBot.OnAssignHuman",
];

#[test]
fn reads_reply_is_true_exactly_for_the_callbacks_whose_reply_tencent_reads() {
    for command in AnyEvent::COMMANDS {
        assert_eq!(
            AnyEvent::reads_reply(command),
            READ_REPLIES.contains(&command),
            "{command}"
        );
    }
    for other in [
        "",
        "Made.Up",
        "Chatbot.OnAssignAgent",
        "sns.callbackprevfriendadd",
    ] {
        assert!(!AnyEvent::reads_reply(other), "{other}");
    }
}

#[test]
fn each_event_type_names_its_reply_with_its_familys_codes() {
    use actix_tim_callback::reply::{
        ApprovalReply, AssignAgentReply, BeforeSendReply, C2cCodes, FriendCheckReply, GroupCodes,
    };
    use std::any::TypeId;
    fn replies_with<E: CallbackEvent, R: 'static>() -> bool
    where
        E::Reply: 'static,
    {
        TypeId::of::<E::Reply>() == TypeId::of::<R>()
    }
    assert!(replies_with::<
        group::BeforeSendMsg,
        BeforeSendReply<GroupCodes>,
    >());
    assert!(replies_with::<c2c::BeforeSendMsg, BeforeSendReply<C2cCodes>>());
    assert!(replies_with::<
        official_account::BeforeSendMsg,
        BeforeSendReply<C2cCodes>,
    >());
    assert!(replies_with::<
        group::BeforeCreateTopic,
        ApprovalReply<GroupCodes>,
    >());
    assert!(replies_with::<
        official_account::BeforeAddSubscriber,
        ApprovalReply<C2cCodes>,
    >());
    assert!(replies_with::<sns::PrevFriendResponse, FriendCheckReply>());
    assert!(replies_with::<desk::OnAssignHuman, AssignAgentReply>());
    assert!(replies_with::<group::SendMsgException, Ack>());
    assert!(!replies_with::<
        group::BeforeSendMsg,
        BeforeSendReply<C2cCodes>,
    >());
}

/// The naming rule of `model`: `Family.CallbackTail` is the type `Tail` and the variant
/// `FamilyTail`, an all-capitals word written as one word.
fn rule(command: &str) -> (String, String) {
    fn one_word_acronyms(name: &str) -> String {
        let chars: Vec<char> = name.chars().collect();
        let capital = |c: char| c.is_ascii_uppercase() || c.is_ascii_digit();
        (0..chars.len())
            .map(|i| {
                // A capital after a capital is lowered, unless it starts the next word.
                let starts_word = chars.get(i + 1).is_some_and(|n| n.is_ascii_lowercase());
                if i > 0 && capital(chars[i - 1]) && capital(chars[i]) && !starts_word {
                    chars[i].to_ascii_lowercase()
                } else {
                    chars[i]
                }
            })
            .collect()
    }
    let (family, tail) = command.split_once('.').expect("Family.Tail");
    let tail = tail.strip_prefix("Callback").unwrap_or(tail);
    let ty = one_word_acronyms(tail);
    (format!("{}{ty}", one_word_acronyms(family)), ty)
}

#[test]
fn every_variant_and_type_is_named_by_the_rule() {
    assert_eq!(
        rule("C2C.CallbackAfterC2CMsgExtension"),
        (
            "C2cAfterC2cMsgExtension".to_owned(),
            "AfterC2cMsgExtension".to_owned()
        )
    );
    assert_eq!(rule("Sns.CallbackPrevFriendAdd").1, "PrevFriendAdd");
    for command in AnyEvent::COMMANDS {
        let body = sample_json(command);
        let event = AnyEventSeed::new(command)
            .deserialize(&body)
            .unwrap_or_else(|err| panic!("{command}: {err}"));
        let (variant, ty) = rule(command);
        let debug = format!("{event:?}");
        assert!(
            debug.starts_with(&format!("{variant}({ty} {{")),
            "{command}: {}",
            &debug[..debug.len().min(80)]
        );
    }
}

#[test]
fn the_seed_decodes_by_the_command_it_is_given() {
    let body = sample_json("State.StateChange");
    let event = AnyEventSeed::new("State.StateChange")
        .deserialize(&body)
        .expect("typed");
    assert!(matches!(&event, AnyEvent::StateStateChange(change) if change.info.action == "Login"));
    assert_eq!(event.command(), "State.StateChange");
    // The command decides, not the body's CallbackCommand.
    let unknown = AnyEventSeed::new("Made.Up")
        .deserialize(&body)
        .expect("kept");
    assert!(unknown.is_unknown());
    assert_eq!(unknown.command(), "Made.Up");
    assert_eq!(serde_json::to_value(&unknown).expect("written"), body);
    // Wrong shape for the named command: an error, not Unknown.
    let err = AnyEventSeed::new("State.StateChange")
        .deserialize(&json!({"Info": "not an object"}))
        .expect_err("Info must be an object");
    assert!(err.to_string().contains("invalid type"), "{err}");
    // From a reader, as a queue consumer would.
    let bytes = serde_json::to_vec(&body).expect("bytes");
    let mut de = serde_json::Deserializer::from_slice(&bytes);
    let again = AnyEventSeed::new("State.StateChange")
        .deserialize(&mut de)
        .expect("typed");
    assert_eq!(again, event);
}

#[test]
fn the_desk_and_live_callbacks_are_typed_from_their_samples() {
    let decode = |command: &str, body: Value| {
        AnyEventSeed::new(command)
            .deserialize(body)
            .unwrap_or_else(|err| panic!("{command}: {err}"))
    };
    let AnyEvent::ChatBotOnAssignAgent(agent) = decode(
        "ChatBot.OnAssignAgent",
        sample_json("ChatBot.OnAssignAgent"),
    ) else {
        panic!("ChatBot.OnAssignAgent")
    };
    assert_eq!(agent.session_id, "aa-bb-cc-dd");
    assert_eq!(agent.client_user_id.as_deref(), Some("123"));
    assert_eq!(agent.event_time, Some(1670574414123));
    // The table types EventTime as a string.
    let mut as_string = sample_json("ChatBot.OnAssignAgent");
    as_string["EventTime"] = json!("1670574414123");
    assert!(
        matches!(decode("ChatBot.OnAssignAgent", as_string), AnyEvent::ChatBotOnAssignAgent(a) if a.event_time == Some(1670574414123))
    );
    assert!(matches!(
        decode(
            "ChatBot.OnAssignHuman",
            sample_json("ChatBot.OnAssignHuman")
        ),
        AnyEvent::ChatBotOnAssignHuman(_)
    ));
    // `Chatbot.` is another family: this body is not a signal message.
    assert!(AnyEventSeed::new("Chatbot.OnAssignAgent")
        .deserialize(sample_json("ChatBot.OnAssignAgent"))
        .expect("kept")
        .is_unknown());

    let AnyEvent::DeskSessionEventNotify(desk) = decode(
        "Desk.SessionEventNotify",
        sample_json("Desk.SessionEventNotify"),
    ) else {
        panic!("Desk.SessionEventNotify")
    };
    assert_eq!(desk.event, "ChatBot.UserSendMsg");
    assert_eq!(desk.channel_type.as_deref(), Some("SDK"));
    assert_eq!(desk.satisfaction_selected, Some(5));
    assert_eq!(desk.is_contact_user, Some(false));
    assert_eq!(desk.msg_body.len(), 1);
    assert_eq!(desk.forward_from_agent_id.as_deref(), Some(""));

    let AnyEvent::LiveAfterCreateRoom(created) = decode(
        "Live.CallbackAfterCreateRoom",
        sample_json("Live.CallbackAfterCreateRoom"),
    ) else {
        panic!("Live.CallbackAfterCreateRoom")
    };
    assert_eq!(created.operator_account.as_deref(), Some("admin"));
    assert_eq!(created.room_info.room_id, "tandy-test-rest");
    assert_eq!(created.room_info.cover_url.as_deref(), Some("cover url"));
    assert_eq!(created.room_info.max_seat_count, Some(16));
    assert_eq!(created.room_info.category, [json!(1), json!(2)]);
    // The page leaves Category's items open: names are kept too.
    let mut named = sample_json("Live.CallbackAfterCreateRoom");
    named["RoomInfo"]["Category"] = json!(["Game", 3]);
    let AnyEvent::LiveAfterCreateRoom(named) = decode("Live.CallbackAfterCreateRoom", named) else {
        panic!("named categories")
    };
    assert_eq!(named.room_info.category, [json!("Game"), json!(3)]);

    let AnyEvent::LiveAfterDestroyRoom(destroyed) = decode(
        "Live.CallbackAfterDestroyRoom",
        sample_json("Live.CallbackAfterDestroyRoom"),
    ) else {
        panic!("Live.CallbackAfterDestroyRoom")
    };
    assert_eq!(destroyed.room_id, "tandy-test-rest");
    assert_eq!(destroyed.event_type, Some(live::DestroyType::ByUser));
    let mut by_system = sample_json("Live.CallbackAfterDestroyRoom");
    by_system["EventType"] = json!("DestroyByTimeout");
    let AnyEvent::LiveAfterDestroyRoom(other) = decode("Live.CallbackAfterDestroyRoom", by_system)
    else {
        panic!("other event type")
    };
    assert_eq!(
        other.event_type,
        Some(live::DestroyType::Other("DestroyByTimeout".to_owned()))
    );
}
