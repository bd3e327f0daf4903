//! `Group.CallbackSendMsgException`: the seed payload and every quirk of PROTOCOL.md.

use actix_tim_callback::model::{group, CallbackEvent, GroupType, MsgElement, Platform};
use serde_json::{json, Value};

const SEED: &str = include_str!("../fixtures/send_msg_exception.json");

fn seed() -> Value {
    serde_json::from_str(SEED).expect("seed payload is JSON")
}

fn decode(value: Value) -> group::SendMsgException {
    serde_json::from_value(value).expect("decodes")
}

fn decode_with(field: &str, value: Value) -> Result<group::SendMsgException, serde_json::Error> {
    let mut payload = seed();
    payload[field] = value;
    serde_json::from_value(payload)
}

/// The path and message of the error decoding the seed with `field` set to `value`, as the
/// extractor reports it (through `serde_path_to_error`).
fn rejected_at(field: &str, value: Value) -> (String, String) {
    let mut payload = seed();
    payload[field] = value;
    let text = payload.to_string();
    let mut json = serde_json::Deserializer::from_str(&text);
    let err = serde_path_to_error::deserialize::<_, group::SendMsgException>(&mut json)
        .expect_err("rejected");
    (err.path().to_string(), err.inner().to_string())
}

fn without(field: &str) -> group::SendMsgException {
    let mut payload = seed();
    payload
        .as_object_mut()
        .expect("object")
        .remove(field)
        .expect("field present in the seed");
    decode(payload)
}

#[test]
fn seed_payload_decodes_to_the_documented_values() {
    let event: group::SendMsgException = serde_json::from_slice(SEED.as_bytes()).expect("decodes");
    assert_eq!(event.callback_command, "Group.CallbackSendMsgException");
    assert_eq!(event.group_id, "@TGS#2J4SZEAEL");
    assert_eq!(event.group_type, Some(GroupType::Public));
    assert_eq!(event.from_account, "jared");
    assert_eq!(event.operator_account.as_deref(), Some("admin"));
    assert_eq!(event.random, 123456);
    assert_eq!(event.online_only_flag, Some(1));
    assert!(event.is_online_only());
    assert_eq!(event.msg_body, vec![MsgElement::text("red packet")]);
    assert_eq!(
        event.cloud_custom_data.as_deref(),
        Some("your cloud custom data")
    );
    assert_eq!(event.error_code, 10023);
    assert_eq!(
        event.error_info,
        "msg count exceeds limit,please retry later"
    );
    assert_eq!(event.event_time, Some(1670574414123));
    assert_eq!(event.kind(), group::ExceptionKind::RateLimited);
}

#[test]
fn command_name_is_tencents() {
    assert_eq!(
        group::SendMsgException::COMMAND,
        "Group.CallbackSendMsgException"
    );
}

#[test]
fn event_time_as_number_as_string_or_absent() {
    let number = decode_with("EventTime", json!(1670574414123u64)).expect("number");
    assert_eq!(number.event_time, Some(1670574414123));
    let string = decode_with("EventTime", json!("1670574414123")).expect("string");
    assert_eq!(string.event_time, Some(1670574414123));
    let null = decode_with("EventTime", Value::Null).expect("null");
    assert_eq!(null.event_time, None);
    assert_eq!(without("EventTime").event_time, None);
}

#[test]
fn event_time_that_is_not_milliseconds_is_rejected() {
    for bad in [
        json!("soon"),
        json!("-1"),
        json!(""),
        json!(-5),
        json!(1.5),
        json!([]),
    ] {
        let (path, message) = rejected_at("EventTime", bad.clone());
        assert_eq!(path, "EventTime", "{bad}");
        assert!(
            message.contains("milliseconds") || message.contains("digits"),
            "{bad}: {message}"
        );
    }
}

#[test]
fn random_is_unsigned_32_bit() {
    let high = decode_with("Random", json!(2804799576u64)).expect("above 2^31");
    assert_eq!(high.random, 2804799576);
    assert_eq!(
        decode_with("Random", json!(u32::MAX)).expect("max").random,
        u32::MAX
    );
    assert!(decode_with("Random", json!(u64::from(u32::MAX) + 1)).is_err());
    assert!(decode_with("Random", json!(-1)).is_err());
    assert_eq!(without("Random").random, 0);
}

#[test]
fn optional_fields_may_be_absent() {
    assert_eq!(without("OnlineOnlyFlag").online_only_flag, None);
    assert!(!without("OnlineOnlyFlag").is_online_only());
    assert_eq!(without("CloudCustomData").cloud_custom_data, None);
    assert_eq!(without("Operator_Account").operator_account, None);
    assert_eq!(without("Type").group_type, None);
    assert!(without("MsgBody").msg_body.is_empty());
    assert_eq!(without("ErrorInfo").error_info, "");
    assert_eq!(without("CallbackCommand").callback_command, "");
}

#[test]
fn required_fields_are_required() {
    for field in ["GroupId", "From_Account", "ErrorCode"] {
        let mut payload = seed();
        payload.as_object_mut().expect("object").remove(field);
        let err = serde_json::from_value::<group::SendMsgException>(payload).expect_err(field);
        assert!(err.to_string().contains(field), "{field}: {err}");
    }
}

#[test]
fn unknown_fields_are_ignored() {
    let mut payload = seed();
    payload["SomethingNew"] = json!({"nested": [1, 2, 3]});
    payload["AnotherFlag"] = json!(7);
    assert_eq!(decode(payload), decode(seed()));
}

#[test]
fn topic_id_of_communities_with_topics_is_kept() {
    assert_eq!(decode(seed()).topic_id, None);
    let event =
        decode_with("TopicId", json!("@TGS#_@TGS#cQVLVHIM62CJ@TOPIC#_TestTopic")).expect("decodes");
    assert_eq!(
        event.topic_id.as_deref(),
        Some("@TGS#_@TGS#cQVLVHIM62CJ@TOPIC#_TestTopic")
    );
}

#[test]
fn wrong_types_name_the_event_and_the_field() {
    let (path, message) = rejected_at("GroupId", json!(12));
    assert_eq!(path, "GroupId");
    assert!(
        message.contains("invalid type: integer `12`, expected a string"),
        "{message}"
    );
    let err = serde_json::from_str::<group::SendMsgException>("[]").expect_err("not an object");
    assert!(err.to_string().contains("struct SendMsgException"), "{err}");
    let (path, message) = rejected_at("ErrorCode", json!("10023"));
    assert_eq!(path, "ErrorCode");
    assert!(
        message.contains("invalid type: string \"10023\", expected i64"),
        "{message}"
    );
}

#[test]
fn group_types_old_new_and_unknown() {
    let cases = [
        ("Public", GroupType::Public),
        ("Private", GroupType::Private),
        ("Work", GroupType::Private),
        ("ChatRoom", GroupType::ChatRoom),
        ("Meeting", GroupType::ChatRoom),
        ("AVChatRoom", GroupType::AvChatRoom),
        ("BChatRoom", GroupType::BChatRoom),
        ("Community", GroupType::Community),
        ("Galaxy", GroupType::Other("Galaxy".to_owned())),
    ];
    for (wire, expected) in cases {
        let event = decode_with("Type", json!(wire)).expect(wire);
        assert_eq!(event.group_type, Some(expected), "{wire}");
    }
    assert_eq!(GroupType::from("Work").as_str(), "Private");
    assert_eq!(GroupType::Other("Galaxy".to_owned()).to_string(), "Galaxy");
}

#[test]
fn platforms_with_documented_variants_and_unknown() {
    let cases = [
        ("RESTAPI", Platform::RestApi),
        ("Web", Platform::Web),
        ("Android", Platform::Android),
        ("iOS", Platform::Ios),
        ("IOS", Platform::Ios),
        ("Windows", Platform::Windows),
        ("Mac", Platform::Mac),
        ("macOS", Platform::Mac),
        ("iPad", Platform::IPad),
        ("Unknown", Platform::Unknown),
        ("HarmonyOS", Platform::Other("HarmonyOS".to_owned())),
    ];
    for (wire, expected) in cases {
        assert_eq!(Platform::from(wire), expected, "{wire}");
        let decoded: Platform = serde_json::from_value(json!(wire)).expect(wire);
        assert_eq!(decoded, expected, "{wire}");
    }
    assert_eq!(
        serde_json::to_value(Platform::Mac).expect("serializes"),
        json!("Mac")
    );
}

#[test]
fn error_codes_fall_into_the_protocol_categories() {
    let cases: &[(&[i64], group::ExceptionKind)] = &[
        (
            &[
                10003, 10004, 10005, 10008, 10010, 10011, 10012, 10015, 10019,
            ],
            group::ExceptionKind::InvalidParameter,
        ),
        (&[10006, 10023], group::ExceptionKind::RateLimited),
        (&[80001, 80004], group::ExceptionKind::SecurityStrike),
        (&[10017], group::ExceptionKind::SenderMuted),
        (&[10007], group::ExceptionKind::PermissionDenied),
        (
            &[10002, 10016, 10026, 80002, 0, -1, 99999],
            group::ExceptionKind::Other,
        ),
    ];
    for (codes, kind) in cases {
        for &code in *codes {
            assert_eq!(group::ExceptionKind::from_code(code), *kind, "{code}");
            let event = decode_with("ErrorCode", json!(code)).expect("decodes");
            assert_eq!(event.kind(), *kind, "{code}");
            assert_eq!(event.error_code, code, "raw code kept");
        }
    }
}

#[test]
fn kind_names_are_the_protocol_categories() {
    let names: Vec<&str> = group::ExceptionKind::ALL
        .iter()
        .map(|kind| kind.as_str())
        .collect();
    assert_eq!(
        names,
        [
            "invalid_parameter",
            "rate_limited",
            "security_strike",
            "sender_muted",
            "permission_denied",
            "other"
        ]
    );
    assert_eq!(
        group::ExceptionKind::SenderMuted.to_string(),
        "sender_muted"
    );
}

#[test]
fn serializes_back_to_an_equal_event_with_event_time_as_a_number() {
    let event = decode(seed());
    let value = serde_json::to_value(&event).expect("serializes");
    assert_eq!(value["EventTime"], json!(1670574414123u64));
    assert_eq!(value["Type"], json!("Public"));
    assert_eq!(decode(value), event);
}
