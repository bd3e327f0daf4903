//! The group-message and one-to-one message callbacks, the before-send reply, and the test
//! kit that drives them.

use actix_tim_callback::{
    command,
    model::{c2c, group, CallbackEvent, CustomElem, GroupType, MsgElement},
    reply::BeforeSendReply,
    reply::GroupCodes,
    reply::RefusalCode,
    reply::OK_BODY,
    testkit::TestCallback,
    Ack, Callback, CallbackConfig, TimCallback,
};
use actix_web::{
    http::{Method, StatusCode},
    test::{call_service, init_service, read_body},
    web, App,
};
use serde::de::DeserializeOwned;
use serde_json::{json, Value};

const PATH: &str = "/im/callback";
const TOKEN: &str = "family-test-token";

fn fixture(name: &str) -> Value {
    let path = format!("{}/tests/fixtures/{name}.json", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).expect("fixture exists");
    serde_json::from_str(&text).expect("fixture is JSON")
}

fn decode<E: DeserializeOwned>(value: Value) -> E {
    serde_json::from_value(value).expect("decodes")
}

fn text(text: &str) -> MsgElement {
    MsgElement::text(text)
}

#[test]
fn group_before_send_msg_sample_decodes() {
    let event: group::BeforeSendMsg = decode(fixture("group_before_send_msg"));
    assert_eq!(event.callback_command, group::BeforeSendMsg::COMMAND);
    assert_eq!(event.group_id, "@TGS#2J4SZEAEL");
    assert_eq!(event.group_type, Some(GroupType::Community));
    assert_eq!(event.from_account, "jared");
    assert_eq!(event.operator_account.as_deref(), Some("admin"));
    assert_eq!(event.random, 123456);
    assert!(event.is_online_only());
    assert_eq!(event.msg_body, vec![text("red packet")]);
    assert_eq!(
        event.cloud_custom_data.as_deref(),
        Some("your cloud custom data")
    );
    assert_eq!(
        event.topic_id.as_deref(),
        Some("@TGS#_@TGS#cQVLVHIM62CJ@TOPIC#_TestTopic")
    );
    assert_eq!(event.event_time, Some(1670574414123));
}

#[test]
fn group_after_send_msg_sample_decodes() {
    let event: group::AfterSendMsg = decode(fixture("group_after_send_msg"));
    assert_eq!(event.callback_command, "Group.CallbackAfterSendMsg");
    assert_eq!(event.group_type, Some(GroupType::Public));
    assert_eq!(
        event.msg_id.as_deref(),
        Some("144115233406643804-1727580296-4026038328")
    );
    assert_eq!(event.msg_seq, Some(123));
    assert_eq!(event.msg_time, Some(1490686222));
    assert_eq!(event.msg_body, vec![text("red packet")]);
    assert_eq!(event.event_time, Some(1670574414123));
    assert!(event.group_at_info.is_empty());
}

#[test]
fn group_after_send_msg_with_mentions_and_numeric_event_time() {
    let mut payload = fixture("group_after_send_msg");
    payload["EventTime"] = json!(1670574414124u64);
    payload["GroupAtInfo"] = json!([
        {"GroupAtAllFlag": 1},
        {"GroupAtAllFlag": 0, "GroupAt_Account": "lily"}
    ]);
    let event: group::AfterSendMsg = decode(payload);
    assert_eq!(event.event_time, Some(1670574414124));
    assert_eq!(event.group_at_info.len(), 2);
    assert!(event.group_at_info[0].is_at_all());
    assert!(!event.group_at_info[1].is_at_all());
    assert_eq!(
        event.group_at_info[1].group_at_account.as_deref(),
        Some("lily")
    );
}

#[test]
fn old_group_after_send_msg_without_newer_fields_decodes() {
    let mut payload = fixture("group_after_send_msg");
    let object = payload.as_object_mut().expect("object");
    for field in ["MsgId", "OnlineOnlyFlag", "CloudCustomData", "EventTime"] {
        object.remove(field);
    }
    object.insert("SomethingNew".into(), json!({"x": 1}));
    let event: group::AfterSendMsg = decode(payload);
    assert_eq!(event.msg_id, None);
    assert_eq!(event.online_only_flag, None);
    assert_eq!(event.cloud_custom_data, None);
    assert_eq!(event.event_time, None);
    assert_eq!(event.msg_seq, Some(123));
}

#[test]
fn c2c_before_send_msg_sample_decodes() {
    let event: c2c::BeforeSendMsg = decode(fixture("c2c_before_send_msg"));
    assert_eq!(event.callback_command, c2c::BeforeSendMsg::COMMAND);
    assert_eq!(event.from_account, "jared");
    assert_eq!(event.to_account, "John");
    assert_eq!(event.msg_seq, Some(48374));
    assert_eq!(event.msg_random, Some(2837546));
    assert_eq!(event.msg_time, Some(1557481126));
    assert_eq!(event.msg_key.as_deref(), Some("48374_2837546_1557481126"));
    assert!(event.is_online_only());
    assert_eq!(event.msg_body, vec![text("red packet")]);
    assert_eq!(event.event_time, None, "not in Tencent's C2C samples");
}

#[test]
fn c2c_after_send_msg_sample_decodes_and_failures_are_told_apart() {
    let event: c2c::AfterSendMsg = decode(fixture("c2c_after_send_msg"));
    assert_eq!(event.to_account, "Jonh");
    assert_eq!(event.send_msg_result, Some(0));
    assert_eq!(event.error_info.as_deref(), Some("send msg succeed"));
    assert_eq!(event.unread_msg_num, Some(7));
    assert!(event.is_delivered());

    let mut failed = fixture("c2c_after_send_msg");
    failed["SendMsgResult"] = json!(20006);
    failed["UnreadMsgNum"] = json!(-1);
    failed["EventTime"] = json!("1670574414123");
    let event: c2c::AfterSendMsg = decode(failed);
    assert!(!event.is_delivered());
    assert_eq!(event.unread_msg_num, Some(-1));
    assert_eq!(event.event_time, Some(1670574414123));
}

#[test]
fn required_fields_of_each_family_are_required() {
    let mut group = fixture("group_before_send_msg");
    group.as_object_mut().expect("object").remove("GroupId");
    let err = serde_json::from_value::<group::BeforeSendMsg>(group).expect_err("GroupId");
    assert!(err.to_string().contains("GroupId"), "{err}");

    let mut c2c = fixture("c2c_before_send_msg");
    c2c.as_object_mut().expect("object").remove("To_Account");
    let err = serde_json::from_value::<c2c::BeforeSendMsg>(c2c).expect_err("To_Account");
    assert!(err.to_string().contains("To_Account"), "{err}");
}

#[test]
fn every_event_serializes_flat_and_decodes_back_equal() {
    fn round_trip<E>(name: &str)
    where
        E: DeserializeOwned + serde::Serialize + PartialEq + std::fmt::Debug,
    {
        let fixture = fixture(name);
        let event: E = decode(fixture.clone());
        let value = serde_json::to_value(&event).expect("serializes");
        // Every field of the fixture is written back at its own place (flat, not under a
        // shared core), and reading the written body gives the same event.
        crate::common::samples::assert_keeps_every_field(&fixture, &value);
        assert_eq!(decode::<E>(value), event, "{name}");
    }
    round_trip::<group::SendMsgException>("send_msg_exception");
    round_trip::<group::BeforeSendMsg>("group_before_send_msg");
    round_trip::<group::AfterSendMsg>("group_after_send_msg");
    round_trip::<c2c::BeforeSendMsg>("c2c_before_send_msg");
    round_trip::<c2c::AfterSendMsg>("c2c_after_send_msg");
}

#[test]
fn before_send_replies_have_tencents_fields() {
    let json =
        |reply: &BeforeSendReply<GroupCodes>| serde_json::to_value(reply).expect("serializes");
    assert_eq!(
        json(&BeforeSendReply::allow()),
        json!({"ActionStatus": "OK", "ErrorCode": 0, "ErrorInfo": ""})
    );
    assert_eq!(json(&BeforeSendReply::refuse())["ErrorCode"], 1);
    assert_eq!(json(&BeforeSendReply::discard())["ErrorCode"], 2);
    assert_eq!(
        json(&BeforeSendReply::refuse_with(
            RefusalCode::of(10100),
            "not in this group"
        )),
        json!({"ActionStatus": "OK", "ErrorCode": 10100, "ErrorInfo": "not in this group"})
    );
    let replaced = BeforeSendReply::replace_body(vec![
        text("red packet"),
        MsgElement::Custom(CustomElem::new("LV1").desc("CustomElement.MemberLevel")),
    ])
    .with_cloud_custom_data("your cloud custom data");
    assert_eq!(
        json(&replaced),
        json!({
            "ActionStatus": "OK", "ErrorCode": 0, "ErrorInfo": "",
            "MsgBody": [
                {"MsgType": "TIMTextElem", "MsgContent": {"Text": "red packet"}},
                {"MsgType": "TIMCustomElem", "MsgContent": {"Desc": "CustomElement.MemberLevel", "Data": "LV1"}}
            ],
            "CloudCustomData": "your cloud custom data"
        })
    );
}

/// A before-send handler that refuses messages containing "spam", drops "drop", masks
/// "secret", and allows the rest.
async fn moderate(cb: Callback<group::BeforeSendMsg>) -> BeforeSendReply<GroupCodes> {
    let texts: Vec<&str> = cb
        .msg_body
        .iter()
        .filter_map(|element| match element {
            MsgElement::Text(text) => text.text.as_deref(),
            _ => None,
        })
        .collect();
    if texts.iter().any(|t| t.contains("spam")) {
        BeforeSendReply::refuse_with(RefusalCode::of(10100), "spam is not allowed")
    } else if texts.iter().any(|t| t.contains("drop")) {
        BeforeSendReply::discard()
    } else if texts.iter().any(|t| t.contains("secret")) {
        BeforeSendReply::replace_body(vec![text("***")])
    } else {
        BeforeSendReply::allow()
    }
}

async fn group_app() -> impl actix_web::dev::Service<
    actix_http::Request,
    Response = actix_web::dev::ServiceResponse<impl actix_web::body::MessageBody>,
    Error = actix_web::Error,
> {
    init_service(
        App::new().service(
            web::scope(PATH)
                .wrap(TimCallback::new(
                    CallbackConfig::new(TestCallback::DEFAULT_SDK_APP_ID).token(TOKEN),
                ))
                .route(
                    "",
                    web::post()
                        .guard(command::<group::BeforeSendMsg>())
                        .to(moderate),
                )
                .route(
                    "",
                    web::post()
                        .guard(command::<group::AfterSendMsg>())
                        .to(|_: Callback<group::AfterSendMsg>| async { Ack }),
                )
                .route(
                    "",
                    web::post()
                        .guard(command::<group::SendMsgException>())
                        .to(|_: Callback<group::SendMsgException>| async { Ack }),
                ),
        ),
    )
    .await
}

fn with_text(message: &str) -> TestCallback {
    let message = message.to_owned();
    TestCallback::group_before_send_msg()
        .path(PATH)
        .signed(TOKEN)
        .edit_json(|body| body["MsgBody"][0]["MsgContent"]["Text"] = json!(message))
}

#[actix_web::test]
async fn before_send_replies_pass_through_the_middleware_unchanged() {
    let app = group_app().await;
    let cases = [
        ("hello", BeforeSendReply::<GroupCodes>::allow()),
        (
            "buy spam now",
            BeforeSendReply::refuse_with(RefusalCode::of(10100), "spam is not allowed"),
        ),
        ("drop me", BeforeSendReply::discard()),
        (
            "my secret",
            BeforeSendReply::replace_body(vec![text("***")]),
        ),
    ];
    for (message, expected) in cases {
        let res = call_service(&app, with_text(message).to_request()).await;
        assert_eq!(res.status(), StatusCode::OK, "{message}");
        let body = read_body(res).await;
        assert_eq!(
            body,
            serde_json::to_vec(&expected).expect("serializes"),
            "{message}"
        );
    }
}

#[actix_web::test]
async fn the_three_group_callbacks_share_one_scope() {
    let app = group_app().await;
    for request in [
        TestCallback::group_after_send_msg(),
        TestCallback::send_msg_exception(),
    ] {
        let res = call_service(&app, request.path(PATH).signed(TOKEN).to_request()).await;
        assert_eq!(res.status(), StatusCode::OK);
        assert_eq!(read_body(res).await, OK_BODY.as_bytes());
    }
    let allowed = call_service(&app, with_text("hi").to_request()).await;
    let body: Value = serde_json::from_slice(&read_body(allowed).await).expect("JSON");
    assert_eq!(body["ErrorCode"], 0);
}

#[actix_web::test]
async fn test_kit_breakers_each_trip_their_check() {
    let app = group_app().await;
    let base = || TestCallback::send_msg_exception().path(PATH).signed(TOKEN);
    let now = crate::common::now_secs();
    // Each breaker trips the one check it is named for: the status and the FAIL code.
    let cases: Vec<(&str, TestCallback, u16, u64)> = vec![
        (
            "unsigned",
            TestCallback::send_msg_exception().path(PATH),
            401,
            40101,
        ),
        ("foreign app", base().sdk_app_id(1400000001), 403, 40303),
        ("malformed app", base().raw_sdk_app_id("abc"), 403, 40302),
        ("no app", base().without_sdk_app_id(), 403, 40301),
        (
            "duplicate app",
            base().query_param("SdkAppid", "1"),
            403,
            40302,
        ),
        (
            "wrong token",
            TestCallback::send_msg_exception()
                .path(PATH)
                .signed("guess"),
            401,
            40104,
        ),
        ("stale", base().request_time(now - 600), 401, 40103),
        ("future", base().request_time(now + 600), 401, 40103),
        ("bad time", base().raw_request_time("soon"), 401, 40102),
        ("forged sign", base().sign("0".repeat(64)), 401, 40104),
        ("no sign", base().without_sign(), 401, 40101),
        ("no time", base().without_request_time(), 401, 40101),
        (
            "second sign",
            base().query_param("Sign", "0".repeat(64)),
            401,
            40105,
        ),
        ("GET", base().method(Method::GET), 405, 40501),
        ("not JSON", base().body("{"), 400, 40002),
        ("wrong shape", base().body(r#"{"GroupId": 1}"#), 400, 40002),
    ];
    for (name, request, status, code) in cases {
        let res = call_service(&app, request.to_request()).await;
        assert_eq!(res.status().as_u16(), status, "{name}");
        let body = read_body(res).await;
        crate::common::assert_fail_body(&body, code);
    }
    // The unbroken request and an unhandled command are acked with the exact OK body.
    for (name, request) in [
        ("valid", base()),
        (
            "unhandled command",
            base()
                .command(Some("Group.CallbackAfterRecallMsg"))
                .edit_json(|body| {
                    body.as_object_mut()
                        .map(|body| body.remove("CallbackCommand"));
                }),
        ),
    ] {
        let res = call_service(&app, request.to_request()).await;
        assert_eq!(res.status(), StatusCode::OK, "{name}");
        assert_eq!(read_body(res).await, crate::common::OK_JSON, "{name}");
    }
}

#[test]
fn test_kit_writes_tencents_query_string() {
    let request = TestCallback::c2c_after_send_msg()
        .sdk_app_id(1400000001)
        .client_ip("::1")
        .platform("iOS")
        .signed("xxxxyyyy")
        .request_time(1669872112);
    assert_eq!(
        request.query_string(),
        "SdkAppid=1400000001&CallbackCommand=C2C.CallbackAfterSendMsg&contenttype=json\
         &ClientIP=%3A%3A1&OptPlatform=iOS&RequestTime=1669872112\
         &Sign=17773bc39a671d7b9aa835458704d2a6db81360a5940292b587d6d760d484061"
    );
    let unsigned = TestCallback::send_msg_exception().command(None).path("/cb");
    assert_eq!(
        unsigned.uri(),
        "/cb?SdkAppid=1400000000&contenttype=json&ClientIP=127.0.0.1&OptPlatform=Web"
    );
}

#[test]
fn test_kit_event_uses_the_events_command_and_body() {
    let event: group::AfterSendMsg = decode(fixture("group_after_send_msg"));
    let request = TestCallback::event(&event);
    assert!(request
        .query_string()
        .contains("CallbackCommand=Group.CallbackAfterSendMsg"));
    assert_eq!(
        decode::<group::AfterSendMsg>(serde_json::from_slice(&request.body_bytes()).expect("JSON")),
        event
    );
}

#[test]
fn every_event_accepts_event_time_as_number_string_or_absent_and_ignores_unknown_fields() {
    fn variants<E>(name: &str, event_time: fn(&E) -> Option<u64>)
    where
        E: DeserializeOwned,
    {
        for (value, expected) in [
            (Some(json!(1670574414123u64)), Some(1670574414123)),
            (Some(json!("1670574414123")), Some(1670574414123)),
            (Some(Value::Null), None),
            (None, None),
        ] {
            let mut payload = fixture(name);
            let object = payload.as_object_mut().expect("object");
            object.remove("EventTime");
            if let Some(value) = value {
                object.insert("EventTime".into(), value);
            }
            object.insert("FieldFromTheFuture".into(), json!({"nested": [true]}));
            let event: E = decode(payload);
            assert_eq!(event_time(&event), expected, "{name}");
        }
    }
    variants::<group::SendMsgException>("send_msg_exception", |e| e.event_time);
    variants::<group::BeforeSendMsg>("group_before_send_msg", |e| e.event_time);
    variants::<group::AfterSendMsg>("group_after_send_msg", |e| e.event_time);
    variants::<c2c::BeforeSendMsg>("c2c_before_send_msg", |e| e.event_time);
    variants::<c2c::AfterSendMsg>("c2c_after_send_msg", |e| e.event_time);
}

#[test]
fn optional_fields_of_every_event_may_be_absent() {
    let cases: [(&str, &[&str]); 5] = [
        (
            "send_msg_exception",
            &[
                "Operator_Account",
                "Random",
                "OnlineOnlyFlag",
                "MsgBody",
                "CloudCustomData",
                "ErrorInfo",
                "CallbackCommand",
            ],
        ),
        (
            "group_before_send_msg",
            &[
                "Operator_Account",
                "Random",
                "OnlineOnlyFlag",
                "MsgBody",
                "CloudCustomData",
                "TopicId",
            ],
        ),
        (
            "group_after_send_msg",
            &[
                "MsgId",
                "MsgSeq",
                "MsgTime",
                "OnlineOnlyFlag",
                "MsgBody",
                "CloudCustomData",
            ],
        ),
        (
            "c2c_before_send_msg",
            &[
                "MsgSeq",
                "MsgRandom",
                "MsgTime",
                "MsgKey",
                "OnlineOnlyFlag",
                "MsgBody",
                "CloudCustomData",
            ],
        ),
        (
            "c2c_after_send_msg",
            &["SendMsgResult", "ErrorInfo", "UnreadMsgNum", "MsgBody"],
        ),
    ];
    // What an absent field is written back as: nothing, or its documented default.
    let default_of = |name: &str, field: &str| match (name, field) {
        (_, "Random") => Some(json!(0)),
        (_, "MsgBody") => Some(json!([])),
        ("send_msg_exception", "ErrorInfo") => Some(json!("")),
        _ => None,
    };
    for (name, optional) in cases {
        let full = fixture(name);
        let mut payload = full.clone();
        let object = payload.as_object_mut().expect("object");
        for field in optional {
            object
                .remove(*field)
                .unwrap_or_else(|| panic!("{name} has {field}"));
        }
        fn written<E: DeserializeOwned + serde::Serialize>(payload: Value) -> Value {
            serde_json::to_value(decode::<E>(payload)).expect("serializes")
        }
        let (reduced, whole) = match name {
            "send_msg_exception" => (
                written::<group::SendMsgException>(payload),
                written::<group::SendMsgException>(full),
            ),
            "group_before_send_msg" => (
                written::<group::BeforeSendMsg>(payload),
                written::<group::BeforeSendMsg>(full),
            ),
            "group_after_send_msg" => (
                written::<group::AfterSendMsg>(payload),
                written::<group::AfterSendMsg>(full),
            ),
            "c2c_before_send_msg" => (
                written::<c2c::BeforeSendMsg>(payload),
                written::<c2c::BeforeSendMsg>(full),
            ),
            "c2c_after_send_msg" => (
                written::<c2c::AfterSendMsg>(payload),
                written::<c2c::AfterSendMsg>(full),
            ),
            other => unreachable!("{other}"),
        };
        for field in optional {
            assert_eq!(
                reduced.get(*field).cloned(),
                default_of(name, field),
                "{name}: absent {field} decodes to its default"
            );
        }
        // The fields that were sent decode as in the whole body.
        for (key, value) in whole.as_object().expect("object") {
            if !optional.contains(&key.as_str()) {
                assert_eq!(reduced.get(key), Some(value), "{name}: {key}");
            }
        }
    }
}
