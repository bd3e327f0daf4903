//! The other versions of Tencent's pages (`tests/fixtures/versions/`, sources in its
//! `SOURCES.md`): the Chinese pages and older or newer revisions print fields the linked
//! page does not. Each of their samples is typed under its own command, through the public
//! API and through the middleware, with the fields those versions add holding the sample's
//! values, and unknown fields added to them are not rejected.

use crate::common::{
    samples::{
        assert_keeps_every_field, decode_version, sample_json, version_json, version_text,
        versions_dir,
    },
    APP_ID, OK_JSON, PATH, TOKEN,
};
use actix_tim_callback::{
    model::{desk, live, state, AnyEvent, AnyEventSeed, CallbackEvent, MsgElement},
    testkit::TestCallback,
    Ack, Callback, CallbackConfig, TimCallback,
};
use actix_web::{
    test::{call_service, init_service, read_body},
    web, App,
};
use serde::{de::DeserializeOwned, de::DeserializeSeed, Serialize};
use serde_json::{json, Value};

/// The sample files, as `(file name, command)`: the command is the name up to the second
/// dot (`Live.CallbackAfterDestroyRoom.zh.json` → `Live.CallbackAfterDestroyRoom`).
fn version_files() -> Vec<(String, String)> {
    let mut files: Vec<(String, String)> = std::fs::read_dir(versions_dir())
        .expect("tests/fixtures/versions")
        .map(|entry| {
            entry
                .expect("a file")
                .file_name()
                .into_string()
                .expect("UTF-8")
        })
        .filter(|name| name.ends_with(".json"))
        .map(|name| {
            let mut parts = name.splitn(3, '.');
            let command = format!(
                "{}.{}",
                parts.next().expect("a family"),
                parts.next().expect("a command")
            );
            (name, command)
        })
        .collect();
    files.sort();
    files
}

/// Decodes `body` as the extractor does for a request of `command`: from the text, keyed on
/// the command.
fn any_event(command: &str, body: &str) -> AnyEvent {
    let mut json = serde_json::Deserializer::from_str(body);
    AnyEventSeed::new(command)
        .deserialize(&mut json)
        .unwrap_or_else(|err| panic!("{command}: {err}"))
}

fn decode<T: DeserializeOwned>(body: &Value) -> Result<T, serde_json::Error> {
    serde_json::from_str(&body.to_string())
}

/// What the model writes back for a sample: every field, except that a numeric
/// `Owner_Account` (the destroy-room sample prints a bare number) comes back as its digits
/// in a string.
fn expected_written(mut sample: Value) -> Value {
    if let Some(owner) = sample.pointer_mut("/RoomInfo/Owner_Account") {
        if let Value::Number(number) = owner {
            *owner = Value::String(number.to_string());
        }
    }
    sample
}

/// Adds an unknown field to the body and to each object directly inside it (`RoomInfo`,
/// `Statistic`, ...).
fn with_unknown_fields(mut body: Value) -> Value {
    let object = body.as_object_mut().expect("an object");
    for value in object.values_mut() {
        if let Value::Object(inner) = value {
            inner.insert("InnerFieldFromTheFuture".to_owned(), json!([1, "two"]));
        }
    }
    object.insert(
        "FieldFromTheFuture".to_owned(),
        json!({"nested": {"deeper": [null, 2.5]}}),
    );
    body
}

/// Decodes the sample as `T`, writes it back, and checks it kept every field, decodes to
/// itself again, and ignores unknown fields.
fn check_round_trip<T>(file: &str) -> T
where
    T: CallbackEvent + Serialize + PartialEq + std::fmt::Debug,
{
    let decoded: T = decode_version(file);
    let written = serde_json::to_value(&decoded).expect("serialises");
    assert_keeps_every_field(&expected_written(version_json(file)), &written);
    let again: T = decode(&written).unwrap_or_else(|err| panic!("{file} written: {err}"));
    assert_eq!(again, decoded, "{file}: decode(encode(x)) == x");
    let with_unknown: T = decode(&with_unknown_fields(version_json(file)))
        .unwrap_or_else(|err| panic!("{file}: unknown fields must not be rejected: {err}"));
    assert_eq!(with_unknown, decoded, "{file}: unknown fields ignored");
    decoded
}

#[test]
fn every_version_file_is_listed_in_sources_and_typed_under_its_command() {
    let sources = std::fs::read_to_string(versions_dir().join("SOURCES.md")).expect("SOURCES.md");
    let files = version_files();
    assert!(files.len() >= 7, "{files:?}");
    for (file, command) in files {
        assert!(
            sources.contains(&format!("`{file}`")),
            "{file} is not listed in SOURCES.md"
        );
        assert!(
            AnyEvent::COMMANDS.contains(&command.as_str()),
            "{file}: {command} is not in the catalogue"
        );
        let body = version_text(&file);
        assert_eq!(
            version_json(&file)["CallbackCommand"],
            command.as_str(),
            "{file}"
        );
        let event = any_event(&command, &body);
        assert!(!event.is_unknown(), "{file} is typed");
        assert_eq!(event.command(), command);
        // Written back through `AnyEvent`, the body keeps every field.
        let written = serde_json::to_value(&event).expect("serialises");
        assert_keeps_every_field(&expected_written(version_json(&file)), &written);
        // Unknown fields, at the top and inside the nested objects, are not rejected.
        let odd = with_unknown_fields(version_json(&file)).to_string();
        let odd_event = any_event(&command, &odd);
        assert_eq!(odd_event, event, "{file}: unknown fields ignored");
    }
}

#[test]
fn destroy_room_of_the_newest_pages_types_room_info_and_statistic() {
    let destroyed: live::AfterDestroyRoom =
        check_round_trip("Live.CallbackAfterDestroyRoom.en.json");
    assert_eq!(destroyed.callback_command, "Live.CallbackAfterDestroyRoom");
    assert_eq!(destroyed.operator_account.as_deref(), Some("admin"));
    assert_eq!(destroyed.room_id, "tandy-test-rest");
    assert_eq!(destroyed.event_type, Some(live::DestroyType::ByUser));
    assert_eq!(destroyed.event_time, Some(1_703_589_922_780));

    let room = destroyed.room_info.as_ref().expect("RoomInfo");
    // The sample's RoomInfo names no room: the event's RoomId does.
    assert_eq!(room.room_id, "");
    assert_eq!(room.room_name.as_deref(), Some("live name"));
    assert_eq!(room.room_type.as_deref(), Some("Live"));
    // Printed as a bare number, read as the UserID's digits.
    assert_eq!(room.owner_account.as_deref(), Some("144115216631667826"));
    assert_eq!(room.is_seat_enabled, Some(true));
    assert_eq!(room.take_seat_mode.as_deref(), Some("FreeToTake"));
    assert_eq!(room.max_member_count, Some(400));
    assert_eq!(room.max_seat_count, Some(4));
    assert_eq!(room.category, [json!(1), json!(2), json!(3)]);
    assert_eq!(room.custom_info.as_deref(), Some(""));
    assert_eq!(room.is_message_disabled, Some(false));
    assert_eq!(room.cover_url.as_deref(), Some("cover url"));
    assert_eq!(room.activity_status, Some(0));
    assert_eq!(room.is_public_visible, Some(false));
    assert_eq!(room.view_count, Some(0));
    assert_eq!(room.background_url.as_deref(), Some("background url"));
    assert_eq!(room.is_unlimited_room_enabled, Some(true));
    assert_eq!(room.create_time, None);
    assert_eq!(room.event_time, None);

    let statistic = destroyed.statistic.as_ref().expect("Statistic");
    assert_eq!(statistic.total_viewers, Some(0));
    assert_eq!(statistic.total_gifts_sent, Some(0));
    assert_eq!(statistic.total_gift_coins, Some(0));
    assert_eq!(statistic.total_unique_gift_senders, Some(0));
    assert_eq!(statistic.total_likes_received, Some(0));

    // The sample's counts are all zero: other counts land in their own fields.
    let mut counted = version_json("Live.CallbackAfterDestroyRoom.en.json");
    counted["Statistic"] = json!({
        "TotalViewers": 1024,
        "TotalGiftsSent": 56,
        "TotalGiftCoins": 8800,
        "TotalUniqueGiftSenders": 12,
        "TotalLikesReceived": 3200
    });
    counted["RoomInfo"]["ViewCount"] = json!(10);
    counted["RoomInfo"]["ActivityStatus"] = json!(1);
    let counted: live::AfterDestroyRoom = decode(&counted).expect("counted");
    let statistic = counted.statistic.expect("Statistic");
    assert_eq!(
        [
            statistic.total_viewers,
            statistic.total_gifts_sent,
            statistic.total_gift_coins,
            statistic.total_unique_gift_senders,
            statistic.total_likes_received,
        ],
        [Some(1024), Some(56), Some(8800), Some(12), Some(3200)]
    );
    let room = counted.room_info.expect("RoomInfo");
    assert_eq!((room.view_count, room.activity_status), (Some(10), Some(1)));
}

#[test]
fn destroy_room_of_the_chinese_pages_types_room_info_without_statistic() {
    let destroyed: live::AfterDestroyRoom =
        check_round_trip("Live.CallbackAfterDestroyRoom.zh.json");
    assert_eq!(destroyed.room_id, "tandy-test-rest");
    assert_eq!(destroyed.event_type, Some(live::DestroyType::ByUser));
    assert!(destroyed.statistic.is_none());
    let room = destroyed.room_info.expect("RoomInfo");
    assert_eq!(room.owner_account.as_deref(), Some("144115216631667826"));
    assert_eq!(room.background_url.as_deref(), Some("background url"));
    assert_eq!(room.is_unlimited_room_enabled, Some(true));
    assert_eq!(room.view_count, Some(0));
    assert_eq!(room.activity_status, Some(0));
    assert_eq!(room.max_member_count, Some(400));
}

#[test]
fn destroy_room_of_the_older_pages_has_neither() {
    let destroyed: live::AfterDestroyRoom =
        check_round_trip("Live.CallbackAfterDestroyRoom.zh-2024.json");
    assert_eq!(destroyed.room_id, "tandy-test-rest");
    assert_eq!(destroyed.event_time, Some(1_703_589_922_780));
    assert!(destroyed.room_info.is_none());
    assert!(destroyed.statistic.is_none());
}

#[test]
fn destroyed_room_owner_is_read_as_a_string_or_a_number() {
    // Servers send the shape of the create-room sample too: a string UserID, RoomId inside.
    let mut body = version_json("Live.CallbackAfterDestroyRoom.zh.json");
    body["RoomInfo"]["Owner_Account"] = json!("user3");
    body["RoomInfo"]["RoomId"] = json!("tandy-test-rest");
    body["Operator_Account"] = json!("@TIM#SYSTEM");
    body["EventType"] = json!("DestroyBySystem");
    let destroyed: live::AfterDestroyRoom = decode(&body).expect("string owner");
    let room = destroyed.room_info.as_ref().expect("RoomInfo");
    assert_eq!(room.owner_account.as_deref(), Some("user3"));
    assert_eq!(room.room_id, "tandy-test-rest");
    assert_eq!(destroyed.event_type, Some(live::DestroyType::BySystem));
    assert_keeps_every_field(
        &body,
        &serde_json::to_value(&destroyed).expect("serialises"),
    );

    for (owner, read) in [
        (json!(7), Some("7")),
        (json!(-7), Some("-7")),
        (json!(u64::MAX), Some("18446744073709551615")),
        (Value::Null, None),
    ] {
        body["RoomInfo"]["Owner_Account"] = owner.clone();
        let destroyed: live::AfterDestroyRoom =
            decode(&body).unwrap_or_else(|err| panic!("{owner}: {err}"));
        assert_eq!(
            destroyed
                .room_info
                .expect("RoomInfo")
                .owner_account
                .as_deref(),
            read,
            "{owner}"
        );
    }
    // A UserID is never an object or a fraction: those are refused with the field's name.
    for owner in [json!({"id": 1}), json!(1.5), json!(true)] {
        body["RoomInfo"]["Owner_Account"] = owner.clone();
        let err = decode::<live::AfterDestroyRoom>(&body).expect_err("not a UserID");
        assert!(err.to_string().contains("UserID"), "{owner}: {err}");
    }
}

#[test]
fn create_room_reads_event_time_where_each_version_prints_it() {
    // One Chinese version prints EventTime inside RoomInfo.
    let inside: live::AfterCreateRoom =
        check_round_trip("Live.CallbackAfterCreateRoom.zh-2024.json");
    assert_eq!(inside.room_info.event_time, Some(1_703_589_922_780));
    assert_eq!(inside.event_time, None);
    assert_eq!(inside.room_info.room_id, "tandy-test-rest");
    assert_eq!(inside.room_info.owner_account.as_deref(), Some("user3"));
    assert_eq!(inside.room_info.create_time, Some(1_703_589_922));
    // ... as a string too, like every EventTime.
    let mut as_string = version_json("Live.CallbackAfterCreateRoom.zh-2024.json");
    as_string["RoomInfo"]["EventTime"] = json!("1703589922780");
    let as_string: live::AfterCreateRoom = decode(&as_string).expect("a string time");
    assert_eq!(as_string.room_info.event_time, Some(1_703_589_922_780));

    // The later one prints it at the top.
    let top: live::AfterCreateRoom = check_round_trip("Live.CallbackAfterCreateRoom.zh.json");
    assert_eq!(top.event_time, Some(1_703_589_922_780));
    assert_eq!(top.room_info.event_time, None);
    assert_eq!(top.room_info.max_seat_count, Some(16));
    assert_eq!(top.room_info.category, [json!(1), json!(2)]);
    // The destroy-room pages' room fields are absent from the create-room pages.
    assert_eq!(top.room_info.view_count, None);
    assert_eq!(top.room_info.background_url, None);
}

#[test]
fn assign_human_of_the_chinese_page_types_the_customer_service_account() {
    let human: desk::OnAssignHuman = check_round_trip("ChatBot.OnAssignHuman.zh.json");
    assert_eq!(human.session_id, "aa-bb-cc-dd");
    assert_eq!(human.client_user_id.as_deref(), Some("123"));
    assert_eq!(
        human.customer_service_id.as_deref(),
        Some("@customer_service_account")
    );
    assert_eq!(human.event_time, Some(1_670_574_414_123));
    // The international page's body, without it, still decodes.
    let mut without = version_json("ChatBot.OnAssignHuman.zh.json");
    without
        .as_object_mut()
        .expect("an object")
        .remove("CustomerServiceId");
    let without: desk::OnAssignHuman = decode(&without).expect("without CustomerServiceId");
    assert_eq!(without.customer_service_id, None);
    assert_eq!(without.client_user_id.as_deref(), Some("123"));
}

#[test]
fn session_event_of_the_older_page_has_no_forward_from_agent() {
    let event: desk::SessionEventNotify = check_round_trip("Desk.SessionEventNotify.zh-2025.json");
    assert_eq!(event.session_id, "2baf4d84-beb4-4607-a1ea-6ebcaef3e0e6");
    assert_eq!(event.event, "ChatBot.UserSendMsg");
    assert_eq!(event.event_time, Some(1_725_540_020_017));
    assert_eq!(
        event.customer_service_id.as_deref(),
        Some("@customer_service_account")
    );
    assert_eq!(event.agent_id.as_deref(), Some("test@qq.com"));
    assert_eq!(event.satisfaction_selected, Some(5));
    assert_eq!(event.forward_from_agent_id, None);
    assert!(matches!(
        event.msg_body.as_slice(),
        [MsgElement::Text(text)] if text.text.as_deref() == Some("请问如何申请退费?")
    ));
}

#[test]
fn state_change_types_the_custom_status_the_chinese_table_lists() {
    // No page prints a sample of it: the body is Tencent's sample with the fields the
    // Chinese table lists for a custom-status change (Action, Reason, CustomStatus in Info).
    let mut body = sample_json("State.StateChange");
    body["Info"] = json!({
        "Action": "CustomStatusChange",
        "To_Account": "testuser316",
        "Reason": "SetCustomStatus",
        "CustomStatus": "in a meeting"
    });
    body.as_object_mut()
        .expect("an object")
        .remove("KickedDevice");
    let change: state::StateChange = decode(&body).expect("a custom-status change");
    assert_eq!(change.info.action, "CustomStatusChange");
    assert_eq!(change.info.reason.as_deref(), Some("SetCustomStatus"));
    assert_eq!(change.info.custom_status.as_deref(), Some("in a meeting"));
    assert!(change.kicked_device.is_empty());
    assert_keeps_every_field(&body, &serde_json::to_value(&change).expect("serialises"));
    // Tencent's own sample, a login, has none.
    let login: state::StateChange = decode(&sample_json("State.StateChange")).expect("login");
    assert_eq!(login.info.custom_status, None);
}

#[actix_web::test]
async fn every_version_is_accepted_by_the_middleware_and_typed() {
    type Seen = std::sync::Arc<std::sync::Mutex<Vec<(String, bool, Value)>>>;
    let seen = Seen::default();
    let recorded = seen.clone();
    let app = init_service(
        App::new().service(
            web::scope(PATH)
                .wrap(TimCallback::new(CallbackConfig::new(APP_ID).token(TOKEN)))
                .route(
                    "",
                    web::post().to(move |cb: Callback<AnyEvent>| {
                        let recorded = recorded.clone();
                        async move {
                            let written = serde_json::to_value(&cb.event).expect("serialises");
                            recorded.lock().unwrap().push((
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
    .await;
    for (file, command) in version_files() {
        for body in [
            version_text(&file),
            with_unknown_fields(version_json(&file)).to_string(),
        ] {
            let req = TestCallback::new(&command, body)
                .path(PATH)
                .signed(TOKEN)
                .to_request();
            let res = call_service(&app, req).await;
            let status = res.status();
            let reply = read_body(res).await;
            assert_eq!(status, 200, "{file}: {}", String::from_utf8_lossy(&reply));
            assert_eq!(reply, OK_JSON, "{file}");
            let (typed_as, unknown, written) = seen.lock().unwrap().pop().expect("the handler ran");
            assert_eq!(typed_as, command, "{file}");
            assert!(!unknown, "{file} is typed");
            assert_keeps_every_field(&expected_written(version_json(&file)), &written);
        }
    }
}
