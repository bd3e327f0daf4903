//! Part A of the callback catalogue: users (State, Profile, Sns, Follow), one-to-one
//! messages (C2C), bots, content moderation, pushes and the rate-limit alert. Each command
//! is decoded from Tencent's sample body, written back without losing a field, and checked
//! against the drift of its pages.

use crate::common::samples::{assert_keeps_every_field, sample, sample_json};
use actix_tim_callback::model::{
    alert, bot, c2c, chatbot, content_callback, follow, profile, push, sns, state, CallbackEvent,
    GroupType, MsgElement, Platform,
};
use serde::{de::DeserializeOwned, Serialize};
use serde_json::{json, Value};

const MS: u64 = 1_670_574_414_123;

/// Decodes a body as the extractor does: from the text.
fn decode<T: DeserializeOwned>(body: &Value) -> Result<T, serde_json::Error> {
    serde_json::from_str(&body.to_string())
}

/// The sample of `T`'s command, decoded from Tencent's text.
fn decode_sample<T: CallbackEvent>() -> T {
    serde_json::from_str(&sample(T::COMMAND))
        .unwrap_or_else(|err| panic!("{} sample: {err}", T::COMMAND))
}

/// The sample of `T`'s command with `key` (a dotted path) set to `value`, or removed for
/// `None`. For a batched body (`Events`), `key` is set in every event.
fn sample_with<T: CallbackEvent>(key: &str, value: Option<Value>) -> Value {
    let mut body = sample_json(T::COMMAND);
    match body.get_mut("Events").and_then(Value::as_array_mut) {
        Some(events) if key != "Events" => {
            for event in events {
                set(event, key, value.clone());
            }
        }
        _ => set(&mut body, key, value),
    }
    body
}

fn set(target: &mut Value, key: &str, value: Option<Value>) {
    let (parent, last) = match key.rsplit_once('.') {
        Some((path, last)) => (
            path.split('.').fold(target, |at, part| {
                at.get_mut(part).expect("path in the sample")
            }),
            last,
        ),
        None => (target, key),
    };
    let object = parent.as_object_mut().expect("an object");
    match value {
        Some(value) => {
            object.insert(last.to_owned(), value);
        }
        None => {
            object.remove(last);
        }
    }
}

/// The checks every command gets: round trip, `EventTime` as number / string / absent,
/// unknown fields ignored, required fields required.
fn check_command<T>(required: &[&str], event_time: fn(&T) -> Option<u64>)
where
    T: CallbackEvent + Serialize + PartialEq + std::fmt::Debug,
{
    let command = T::COMMAND;
    let decoded: T = decode_sample();

    let written = serde_json::to_value(&decoded).expect("serialise");
    assert_keeps_every_field(&sample_json(command), &written);
    let again: T = decode(&written).unwrap_or_else(|err| panic!("{command} written: {err}"));
    assert_eq!(again, decoded, "{command}: decode(encode(x)) == x");

    let as_number: T = decode(&sample_with::<T>("EventTime", Some(json!(MS)))).expect("number");
    let as_string: T =
        decode(&sample_with::<T>("EventTime", Some(json!(MS.to_string())))).expect("string");
    let absent: T = decode(&sample_with::<T>("EventTime", None)).expect("absent");
    assert_eq!(
        event_time(&as_number),
        Some(MS),
        "{command}: EventTime as a number"
    );
    assert_eq!(
        event_time(&as_string),
        Some(MS),
        "{command}: EventTime as a string"
    );
    assert_eq!(event_time(&absent), None, "{command}: EventTime absent");

    let with_unknown: T = decode(&sample_with::<T>(
        "SomeFieldTencentAddsLater",
        Some(json!({ "nested": [1, "two", null] })),
    ))
    .unwrap_or_else(|err| panic!("{command}: an unknown field must be ignored: {err}"));
    assert_eq!(with_unknown, decoded, "{command}: unknown field ignored");

    for key in required {
        let err = decode::<T>(&sample_with::<T>(key, None))
            .expect_err(&format!("{command}: {key} is required"))
            .to_string();
        let name = key.rsplit('.').next().expect("a key");
        assert!(err.contains(&format!("`{name}`")), "{command}: {err}");
    }
}

// ---- State / Profile / Sns / Follow ----

#[test]
fn state_change_sample() {
    let event: state::StateChange = decode_sample();
    assert_eq!(event.callback_command, state::StateChange::COMMAND);
    assert_eq!(event.info.action, "Login");
    assert_eq!(event.info.to_account, "testuser316");
    assert_eq!(event.info.reason.as_deref(), Some("Register"));
    let platforms: Vec<_> = event
        .kicked_device
        .iter()
        .map(|d| d.platform.clone())
        .collect();
    assert_eq!(
        platforms,
        vec![Some(Platform::Windows), Some(Platform::Android)]
    );
    assert_eq!(event.event_time, Some(1_629_883_332_497));
}

#[test]
fn state_change_checks() {
    check_command::<state::StateChange>(&["Info", "Info.Action", "Info.To_Account"], |e| {
        e.event_time
    });
}

#[test]
fn state_change_without_kicked_devices_and_with_unknown_platforms() {
    let mut body = sample_with::<state::StateChange>("KickedDevice", None);
    let event: state::StateChange = decode(&body).expect("no state::KickedDevice");
    assert!(event.kicked_device.is_empty());

    body["KickedDevice"] = json!([{ "Platform": "Linux" }, { "Platform": "IOS" }, {}]);
    let event: state::StateChange = decode(&body).expect("other platforms");
    let platforms: Vec<_> = event
        .kicked_device
        .iter()
        .map(|d| d.platform.clone())
        .collect();
    assert_eq!(
        platforms,
        vec![
            Some(Platform::Other("Linux".into())),
            Some(Platform::Ios),
            None
        ]
    );
}

#[test]
fn portrait_set_sample() {
    let event: profile::PortraitSet = decode_sample();
    assert_eq!(event.callback_command, profile::PortraitSet::COMMAND);
    assert_eq!(event.from_account, "id1");
    assert_eq!(event.operator_account.as_deref(), Some("id1"));
    assert_eq!(event.profile_item.len(), 4);
    assert_eq!(event.profile_item[0].tag, "Tag_Profile_IM_Nick");
    assert_eq!(event.profile_item[0].value, json!("nick1"));
    assert_eq!(event.profile_item[3].tag, "Tag_Profile_Custom_Data");
    assert_eq!(event.event_time, Some(1_656_921_052_497));
}

#[test]
fn portrait_set_checks() {
    check_command::<profile::PortraitSet>(&["From_Account"], |e| e.event_time);
}

#[test]
fn portrait_set_keeps_numeric_profile_values() {
    let body = sample_with::<profile::PortraitSet>(
        "ProfileItem",
        Some(json!([
            { "Tag": "Tag_Profile_IM_BirthDay", "Value": 19900101 },
            { "Tag": "Tag_Profile_IM_Level", "Value": 3 }
        ])),
    );
    let event: profile::PortraitSet = decode(&body).expect("numeric values");
    assert_eq!(event.profile_item[0].value, json!(19_900_101));
    assert_eq!(event.profile_item[1].value, json!(3));
    assert_eq!(
        serde_json::to_value(&event).expect("serialise")["ProfileItem"],
        body["ProfileItem"]
    );
}

#[test]
fn prev_friend_add_sample() {
    let event: sns::PrevFriendAdd = decode_sample();
    assert_eq!(event.callback_command, sns::PrevFriendAdd::COMMAND);
    assert_eq!(event.from_account, "id");
    assert_eq!(event.requester_account.as_deref(), Some("id"));
    assert_eq!(event.friend_item.len(), 2);
    assert_eq!(event.friend_item[1].to_account, "id2");
    assert_eq!(
        event.friend_item[1].add_source.as_deref(),
        Some("AddSource_Type_Android")
    );
    assert_eq!(
        event.friend_item[0].add_wording.as_deref(),
        Some("this is id1!")
    );
    assert_eq!(event.add_type.as_deref(), Some("Add_Type_Both"));
    assert_eq!(event.force_add_flags, Some(0));
    assert_eq!(event.event_time, Some(1_631_777_344_870));
}

#[test]
fn prev_friend_add_checks() {
    check_command::<sns::PrevFriendAdd>(&["From_Account"], |e| e.event_time);
}

#[test]
fn prev_friend_response_sample() {
    let event: sns::PrevFriendResponse = decode_sample();
    assert_eq!(event.callback_command, sns::PrevFriendResponse::COMMAND);
    assert_eq!(event.from_account, "id");
    assert_eq!(event.response_friend_item.len(), 2);
    assert_eq!(event.response_friend_item[0].to_account, "id1");
    assert_eq!(
        event.response_friend_item[0].tag_name.as_deref(),
        Some("group1")
    );
    assert_eq!(
        event.response_friend_item[1].response_action.as_deref(),
        Some("Response_Action_Reject")
    );
    assert_eq!(event.event_time, Some(1_631_777_645_424));
}

#[test]
fn prev_friend_response_checks() {
    check_command::<sns::PrevFriendResponse>(&["From_Account"], |e| e.event_time);
}

#[test]
fn friend_item_needs_its_to_account() {
    let mut body = sample_json(sns::PrevFriendAdd::COMMAND);
    body["FriendItem"][0]
        .as_object_mut()
        .expect("item")
        .remove("To_Account");
    let err = decode::<sns::PrevFriendAdd>(&body)
        .expect_err("To_Account")
        .to_string();
    assert!(err.contains("`To_Account`"), "{err}");
}

#[test]
fn friend_add_sample() {
    let event: sns::FriendAdd = decode_sample();
    assert_eq!(event.callback_command, sns::FriendAdd::COMMAND);
    assert_eq!(event.pair_list.len(), 3);
    assert_eq!(event.pair_list[2].from_account, "id");
    assert_eq!(event.pair_list[2].to_account, "id3");
    assert_eq!(event.pair_list[2].initiator_account.as_deref(), Some("id"));
    assert_eq!(event.client_cmd.as_deref(), Some("friend_add"));
    assert_eq!(event.admin_account.as_deref(), Some(""));
    assert_eq!(event.force_flag, Some(1));
    assert_eq!(event.event_time, None);
}

#[test]
fn friend_add_checks() {
    check_command::<sns::FriendAdd>(&["PairList"], |e| e.event_time);
}

#[test]
fn friend_delete_sample() {
    let event: sns::FriendDelete = decode_sample();
    assert_eq!(event.callback_command, sns::FriendDelete::COMMAND);
    assert_eq!(event.pair_list.len(), 3);
    assert_eq!(event.pair_list[0].from_account, "id");
    assert_eq!(event.pair_list[0].to_account, "id1");
    assert_eq!(event.pair_list[0].initiator_account, None);
}

#[test]
fn friend_delete_checks() {
    check_command::<sns::FriendDelete>(&["PairList"], |e| e.event_time);
}

#[test]
fn black_list_add_sample() {
    let event: sns::BlackListAdd = decode_sample();
    assert_eq!(event.callback_command, sns::BlackListAdd::COMMAND);
    assert_eq!(event.pair_list.len(), 3);
    assert_eq!(event.pair_list[1].to_account, "id2");
}

#[test]
fn black_list_add_checks() {
    check_command::<sns::BlackListAdd>(&["PairList"], |e| e.event_time);
}

#[test]
fn black_list_delete_sample() {
    let event: sns::BlackListDelete = decode_sample();
    assert_eq!(event.callback_command, sns::BlackListDelete::COMMAND);
    assert_eq!(event.pair_list.len(), 3);
    assert_eq!(event.pair_list[2].from_account, "id");
    assert_eq!(event.pair_list[2].to_account, "id3");
}

#[test]
fn black_list_delete_checks() {
    check_command::<sns::BlackListDelete>(&["PairList"], |e| e.event_time);
}

#[test]
fn pair_items_need_both_accounts() {
    for key in ["From_Account", "To_Account"] {
        let mut body = sample_json(sns::BlackListDelete::COMMAND);
        body["PairList"][1]
            .as_object_mut()
            .expect("item")
            .remove(key);
        let err = decode::<sns::BlackListDelete>(&body)
            .expect_err(key)
            .to_string();
        assert!(err.contains(&format!("`{key}`")), "{err}");
    }
}

#[test]
fn after_follow_add_sample() {
    let event: follow::AfterFollowAdd = decode_sample();
    assert_eq!(event.callback_command, follow::AfterFollowAdd::COMMAND);
    assert_eq!(event.from_account, "UserID_001");
    let followed: Vec<_> = event
        .follow_list
        .iter()
        .map(|f| f.to_account.as_str())
        .collect();
    assert_eq!(followed, ["UserID_002", "UserID_003"]);
    assert_eq!(event.event_time, Some(1_702_018_343_678));
}

#[test]
fn after_follow_add_checks() {
    check_command::<follow::AfterFollowAdd>(&["From_Account"], |e| e.event_time);
}

#[test]
fn after_follow_delete_sample() {
    let event: follow::AfterFollowDelete = decode_sample();
    assert_eq!(event.callback_command, follow::AfterFollowDelete::COMMAND);
    assert_eq!(event.from_account, "UserID_001");
    assert_eq!(event.to_account, ["UserID_002", "UserID_003"]);
    assert_eq!(event.event_time, Some(1_702_018_343_678));
}

#[test]
fn after_follow_delete_checks() {
    check_command::<follow::AfterFollowDelete>(&["From_Account"], |e| e.event_time);
}

/// Drift: adding lists objects (`FollowList: [{To_Account}]`), deleting lists strings
/// (`To_Account: [String]`). The delete also takes a lone string.
#[test]
fn follow_add_and_delete_use_different_shapes() {
    let add = sample_json(follow::AfterFollowAdd::COMMAND);
    let delete = sample_json(follow::AfterFollowDelete::COMMAND);
    // Each shape in the other's place is refused or ignored, not misread.
    let mut swapped = add.clone();
    swapped["FollowList"] = delete["To_Account"].clone();
    assert!(decode::<follow::AfterFollowAdd>(&swapped).is_err());

    let lone = sample_with::<follow::AfterFollowDelete>("To_Account", Some(json!("UserID_009")));
    let event: follow::AfterFollowDelete = decode(&lone).expect("a lone string");
    assert_eq!(event.to_account, ["UserID_009"]);
    assert_eq!(
        serde_json::to_value(&event).expect("serialise")["To_Account"],
        json!(["UserID_009"])
    );
}

// ---- C2C ----

#[test]
fn c2c_before_send_msg_sample() {
    let event: c2c::BeforeSendMsg = decode_sample();
    assert_eq!(event.callback_command, c2c::BeforeSendMsg::COMMAND);
    assert_eq!(event.from_account, "jared");
    assert_eq!(event.to_account, "John");
    assert_eq!(event.msg_seq, Some(48_374));
    assert_eq!(event.msg_random, Some(2_837_546));
    assert_eq!(event.msg_time, Some(1_557_481_126));
    assert_eq!(event.msg_key.as_deref(), Some("48374_2837546_1557481126"));
    assert_eq!(event.msg_body, vec![MsgElement::text("red packet")]);
    assert_eq!(
        event.cloud_custom_data.as_deref(),
        Some("your cloud custom data")
    );
    assert!(event.is_online_only());
}

#[test]
fn c2c_before_send_msg_checks() {
    check_command::<c2c::BeforeSendMsg>(&["From_Account", "To_Account"], |e| e.event_time);
}

#[test]
fn c2c_after_send_msg_sample() {
    let event: c2c::AfterSendMsg = decode_sample();
    assert_eq!(event.callback_command, c2c::AfterSendMsg::COMMAND);
    assert_eq!(event.from_account, "jared");
    assert_eq!(event.to_account, "Jonh");
    assert_eq!(event.msg_seq, Some(48_374));
    assert_eq!(event.send_msg_result, Some(0));
    assert_eq!(event.error_info.as_deref(), Some("send msg succeed"));
    assert_eq!(event.unread_msg_num, Some(7));
    assert_eq!(event.msg_body, vec![MsgElement::text("red packet")]);
    assert!(event.is_delivered());
    assert!(event.is_online_only());
}

#[test]
fn c2c_after_send_msg_checks() {
    check_command::<c2c::AfterSendMsg>(&["From_Account", "To_Account"], |e| e.event_time);
}

/// Drift: the after-send request carries `SendMsgResult` and its own `ErrorInfo`; a failed
/// delivery still calls back, with the error code and `UnreadMsgNum: -1`.
#[test]
fn c2c_after_send_msg_of_a_failed_delivery() {
    let mut body = sample_json(c2c::AfterSendMsg::COMMAND);
    body["SendMsgResult"] = json!(80001);
    body["ErrorInfo"] = json!("dirty word");
    body["UnreadMsgNum"] = json!(-1);
    body["OnlineOnlyFlag"] = json!(0);
    let event: c2c::AfterSendMsg = decode(&body).expect("failed delivery");
    assert!(!event.is_delivered());
    assert!(!event.is_online_only());
    assert_eq!(event.send_msg_result, Some(80001));
    assert_eq!(event.error_info.as_deref(), Some("dirty word"));
    assert_eq!(event.unread_msg_num, Some(-1));

    let bare: c2c::AfterSendMsg =
        decode(&json!({ "From_Account": "a", "To_Account": "b" })).expect("bare");
    assert!(!bare.is_delivered(), "no SendMsgResult is not a delivery");
    assert!(!bare.is_online_only());
}

/// Drift: newer pages add `MsgId`; `MsgRandom` uses the full unsigned 32-bit range and
/// `MsgSeq` is unsigned.
#[test]
fn c2c_messages_take_msg_id_and_full_range_numbers() {
    let mut body = sample_json(c2c::BeforeSendMsg::COMMAND);
    body["MsgId"] = json!("144115433090395387-1769139578-24064952");
    body["MsgRandom"] = json!(u32::MAX);
    body["MsgSeq"] = json!(u64::from(u32::MAX) + 1);
    let event: c2c::BeforeSendMsg = decode(&body).expect("decodes");
    assert_eq!(
        event.msg_id.as_deref(),
        Some("144115433090395387-1769139578-24064952")
    );
    assert_eq!(event.msg_random, Some(u32::MAX));
    assert_eq!(event.msg_seq, Some(u64::from(u32::MAX) + 1));
    assert_keeps_every_field(&body, &serde_json::to_value(&event).expect("serialise"));

    body["MsgRandom"] = json!(-1);
    let err = decode::<c2c::BeforeSendMsg>(&body)
        .expect_err("negative")
        .to_string();
    assert!(err.contains("invalid value"), "{err}");
}

/// "Never lose a callback to drift": an element whose content does not match its type
/// keeps the callback.
#[test]
fn c2c_message_with_a_mismatched_element_still_decodes() {
    let mut body = sample_json(c2c::BeforeSendMsg::COMMAND);
    body["MsgBody"] = json!([
        { "MsgType": "TIMTextElem", "MsgContent": { "Text": 12345 } },
        { "MsgType": "TIMTextElem", "MsgContent": { "Text": "fine" } }
    ]);
    let event: c2c::BeforeSendMsg = decode(&body).expect("decodes");
    assert_eq!(
        event.msg_body,
        vec![
            MsgElement::Invalid {
                msg_type: "TIMTextElem".into(),
                content: json!({ "Text": 12345 }),
            },
            MsgElement::text("fine"),
        ]
    );
    assert_keeps_every_field(&body, &serde_json::to_value(&event).expect("serialise"));
}

#[test]
fn c2c_after_msg_report_sample() {
    let event: c2c::AfterMsgReport = decode_sample();
    assert_eq!(event.callback_command, c2c::AfterMsgReport::COMMAND);
    assert_eq!(event.report_account, "jared");
    assert_eq!(event.peer_account, "Jonh");
    assert_eq!(event.last_read_time, Some(1_614_754_606));
    assert_eq!(event.unread_msg_num, None);
    assert_eq!(event.event_time, Some(MS));
}

#[test]
fn c2c_after_msg_report_checks() {
    check_command::<c2c::AfterMsgReport>(&["Report_Account", "Peer_Account"], |e| e.event_time);
}

/// Drift: newer pages dropped `UnreadMsgNum` from the report and withdraw callbacks; older
/// payloads still carry it.
#[test]
fn c2c_report_and_withdraw_with_the_old_unread_msg_num() {
    let report: c2c::AfterMsgReport = decode(&sample_with::<c2c::AfterMsgReport>(
        "UnreadMsgNum",
        Some(json!(12)),
    ))
    .expect("old");
    assert_eq!(report.unread_msg_num, Some(12));
    let withdraw: c2c::AfterMsgWithDraw = decode(&sample_with::<c2c::AfterMsgWithDraw>(
        "UnreadMsgNum",
        Some(json!(0)),
    ))
    .expect("old");
    assert_eq!(withdraw.unread_msg_num, Some(0));
    assert_eq!(
        serde_json::to_value(&withdraw).expect("serialise")["UnreadMsgNum"],
        json!(0)
    );
}

#[test]
fn c2c_after_msg_withdraw_sample() {
    let event: c2c::AfterMsgWithDraw = decode_sample();
    assert_eq!(event.callback_command, c2c::AfterMsgWithDraw::COMMAND);
    assert_eq!(event.from_account, "jared");
    assert_eq!(event.to_account, "Jonh");
    assert_eq!(event.msg_key.as_deref(), Some("48374_2837546_1557481126"));
    assert_eq!(event.unread_msg_num, None);
    assert_eq!(event.event_time, Some(MS));
}

#[test]
fn c2c_after_msg_withdraw_checks() {
    check_command::<c2c::AfterMsgWithDraw>(&["From_Account", "To_Account"], |e| e.event_time);
}

#[test]
fn after_c2c_msg_extension_sample() {
    let event: c2c::AfterC2cMsgExtension = decode_sample();
    assert_eq!(event.callback_command, c2c::AfterC2cMsgExtension::COMMAND);
    assert_eq!(event.from_account, "user1");
    assert_eq!(event.to_account, "user2");
    assert_eq!(
        event.msg_key.as_deref(),
        Some("93847636_1287657_1764688415")
    );
    assert_eq!(event.operate_type, Some(1));
    assert_eq!(event.extension_list.len(), 3);
    assert_eq!(event.extension_list[2].key, "k3");
    assert_eq!(event.extension_list[2].value, "v3");
    assert_eq!(event.extension_list[2].seq, Some(1));
    assert_eq!(event.seq, Some(1));
    assert_eq!(event.event_time, Some(1_764_688_540_182));
}

#[test]
fn after_c2c_msg_extension_checks() {
    check_command::<c2c::AfterC2cMsgExtension>(&["From_Account", "To_Account"], |e| e.event_time);
}

#[test]
fn c2c_after_msg_read_receipt_sample() {
    let event: c2c::AfterMsgReadReceipt = decode_sample();
    assert_eq!(event.callback_command, c2c::AfterMsgReadReceipt::COMMAND);
    assert_eq!(event.operator_account, "jared");
    assert_eq!(event.peer_account, "Jonh");
    assert_eq!(event.c2c_msg_info.len(), 1);
    let info = &event.c2c_msg_info[0];
    assert_eq!(info.from_account.as_deref(), Some("Jonh"));
    assert_eq!(info.to_account.as_deref(), Some("jared"));
    assert_eq!(
        info.msg_key.as_deref(),
        Some("33973751_24064952_1769139583")
    );
    assert_eq!(
        info.msg_id.as_deref(),
        Some("144115433090395387-1769139578-24064952")
    );
    assert_eq!(event.event_time, Some(1_769_139_587_754));
}

#[test]
fn c2c_after_msg_read_receipt_checks() {
    check_command::<c2c::AfterMsgReadReceipt>(&["Operator_Account", "Peer_Account"], |e| {
        e.event_time
    });
}

#[test]
fn c2c_after_modify_msg_sample() {
    let event: c2c::AfterModifyMsg = decode_sample();
    assert_eq!(event.callback_command, c2c::AfterModifyMsg::COMMAND);
    assert_eq!(event.operator_account.as_deref(), Some("jared"));
    assert_eq!(event.from_account, "jared");
    assert_eq!(event.to_account, "Jonh");
    assert_eq!(event.msg_random, Some(690));
    assert_eq!(event.msg_seq, Some(609));
    assert_eq!(event.msg_time, Some(1_769_771_529));
    assert_eq!(event.msg_key.as_deref(), Some("609_690_1769771529"));
    assert_eq!(
        event.msg_body,
        vec![MsgElement::text("2026-01-30T11:20:26.548Z")]
    );
    assert_eq!(event.cloud_custom_data.as_deref(), Some("1769772027"));
    assert_eq!(event.event_time, Some(1_769_772_027_036));
}

#[test]
fn c2c_after_modify_msg_checks() {
    check_command::<c2c::AfterModifyMsg>(&["From_Account", "To_Account"], |e| e.event_time);
}

#[test]
fn c2c_after_msg_read_all_sample() {
    let event: c2c::AfterMsgReadAll = decode_sample();
    assert_eq!(event.callback_command, c2c::AfterMsgReadAll::COMMAND);
    assert_eq!(event.report_account, "Jonh");
    assert_eq!(event.group_read_info.len(), 1);
    assert_eq!(event.group_read_info[0].group_id, "groupid");
    assert_eq!(event.group_read_info[0].msg_seq, Some(100));
    assert_eq!(event.event_time, Some(1_769_773_302_575));
}

#[test]
fn c2c_after_msg_read_all_checks() {
    check_command::<c2c::AfterMsgReadAll>(&["Report_Account"], |e| e.event_time);
}

/// Drift: despite its `C2C.` name, the read-all callback covers groups; without any group
/// read it comes with no (or an empty) `c2c::GroupReadInfo`.
#[test]
fn c2c_after_msg_read_all_without_groups() {
    let event: c2c::AfterMsgReadAll =
        decode(&sample_with::<c2c::AfterMsgReadAll>("GroupReadInfo", None)).expect("absent");
    assert!(event.group_read_info.is_empty());
    assert_eq!(
        serde_json::to_value(&event).expect("serialise")["GroupReadInfo"],
        json!([]),
        "an empty list is written"
    );
}

// ---- Bots ----

#[test]
fn bot_on_c2c_message_sample() {
    let event: bot::OnC2cMessage = decode_sample();
    assert_eq!(event.callback_command, bot::OnC2cMessage::COMMAND);
    assert_eq!(event.from_account, "jared");
    assert_eq!(event.to_account, "Jonh");
    assert_eq!(event.msg_random, Some(2_837_546));
    assert_eq!(event.send_msg_result, Some(0));
    assert_eq!(event.error_info.as_deref(), Some("send msg succeed"));
    assert_eq!(event.msg_body, vec![MsgElement::text("red packet")]);
    assert_eq!(event.event_time, Some(MS));
}

#[test]
fn bot_on_c2c_message_checks() {
    check_command::<bot::OnC2cMessage>(&["From_Account", "To_Account"], |e| e.event_time);
}

#[test]
fn bot_on_group_message_sample() {
    let event: bot::OnGroupMessage = decode_sample();
    assert_eq!(event.callback_command, bot::OnGroupMessage::COMMAND);
    assert_eq!(event.group_id, "@TGS#2J4SZEAEL");
    assert_eq!(event.group_type, GroupType::Public);
    assert_eq!(event.from_account.as_deref(), Some("jared"));
    assert_eq!(event.operator_account.as_deref(), Some("admin"));
    assert_eq!(event.random, Some(123_456));
    assert_eq!(event.msg_seq, Some(123));
    assert_eq!(event.msg_body, vec![MsgElement::text("@@RBT#001 hello")]);
    assert_eq!(event.at_robots_account, ["@RBT#001"]);
    assert_eq!(event.event_time, Some(MS));
}

#[test]
fn bot_on_group_message_checks() {
    check_command::<bot::OnGroupMessage>(&["GroupId", "Type"], |e| e.event_time);
}

#[test]
fn bot_on_group_message_group_types() {
    for (wire, expected) in [
        ("Community", GroupType::Community),
        ("Work", GroupType::Private),
        ("Galaxy", GroupType::Other("Galaxy".into())),
    ] {
        let event: bot::OnGroupMessage = decode(&sample_with::<bot::OnGroupMessage>(
            "Type",
            Some(json!(wire)),
        ))
        .expect(wire);
        assert_eq!(event.group_type, expected);
    }
}

#[test]
fn chatbot_on_c2c_signal_message_sample() {
    let event: chatbot::OnC2cSignalMessage = decode_sample();
    assert_eq!(event.callback_command, chatbot::OnC2cSignalMessage::COMMAND);
    assert_eq!(event.from_account, "user01");
    assert_eq!(event.to_account, "@RBT#chatbot");
    assert_eq!(event.msg_seq, Some(5678));
    assert_eq!(event.msg_random, Some(8765));
    assert_eq!(event.msg_key.as_deref(), Some("8765_5678_4321"));
    assert_eq!(event.event_time, Some(MS));
}

#[test]
fn chatbot_on_c2c_signal_message_checks() {
    check_command::<chatbot::OnC2cSignalMessage>(&["From_Account", "To_Account"], |e| e.event_time);
}

/// Drift: Tencent prints `Data` with a doubled backslash; it is JSON inside a string, kept
/// as the string.
#[test]
fn chatbot_signal_data_is_kept_as_a_string() {
    let event: chatbot::OnC2cSignalMessage = decode_sample();
    let data = event.data.as_deref().expect("Data");
    assert_eq!(data, "{\"msg\":\"这是自定义透传内容\"}");
    let inner: Value = serde_json::from_str(data).expect("JSON inside");
    assert_eq!(inner["msg"], "这是自定义透传内容");
}

// ---- Content moderation ----

#[test]
fn content_result_notify_sample() {
    let event: content_callback::ResultNotify =
        serde_json::from_str(&sample("ContentCallback.ResultNotify")).expect("sample decodes");
    assert_eq!(event.scene.as_deref(), Some("C2C"));
    assert_eq!(event.sdk_app_id, Some(1_400_187_352));
    assert_eq!(event.from_account.as_deref(), Some("jared"));
    let contact = event.contact_item.as_ref().expect("ContactItem");
    assert_eq!(contact.contact_type, Some(1));
    assert_eq!(contact.to_account.as_deref(), Some("Jonh"));
    assert_eq!(contact.group_id, None);
    assert_eq!(event.content_type.as_deref(), Some("Text"));
    assert_eq!(event.text_content, ["aaabbbccc", "1234567"]);
    assert_eq!(
        event.msg_id.as_deref(),
        Some("1434460578_4137340972_1661154487")
    );
    assert_eq!(event.ctxcb_result, 1);
    assert!(event.is_blocked());
    assert_eq!(event.ctxcb_keywords, ["aaabbbccc", "1234567"]);
    assert_eq!(event.ctxcb_suggestion.as_deref(), Some("Review"));
    assert_eq!(event.ctxcb_label.as_deref(), Some("Sexy"));
    assert_eq!(event.ctxcb_sub_label.as_deref(), Some("InsinuationPorn"));
    assert_eq!(event.ctxcb_sub_label_desc.as_deref(), Some("影射XX"));
    assert_eq!(event.ctxcb_lib_name.as_deref(), Some("test"));
    assert_eq!(event.cloud_custom_data.as_deref(), Some("aaabbbccc"));
}

#[test]
fn content_result_notify_checks() {
    check_command::<content_callback::ResultNotify>(&["CtxcbResult"], |e| e.event_time);
}

/// Drift: no `CallbackCommand` in the body, and `SdkAppId` a JSON number.
#[test]
fn content_result_notify_has_no_command_in_its_body() {
    let event: content_callback::ResultNotify = decode_sample();
    assert_eq!(event.callback_command, "");
    let written = serde_json::to_value(&event).expect("serialise");
    assert!(written.get("CallbackCommand").is_none(), "{written}");
    assert_eq!(written["SdkAppId"], json!(1_400_187_352u64));

    let passed: content_callback::ResultNotify = decode(&sample_with::<
        content_callback::ResultNotify,
    >("CtxcbResult", Some(json!(0))))
    .expect("0");
    assert!(!passed.is_blocked());
}

/// Drift: the table types `TextContent` as a string, the sample sends an array.
#[test]
fn content_result_notify_text_content_string_or_array() {
    let one: content_callback::ResultNotify = decode(
        &sample_with::<content_callback::ResultNotify>("TextContent", Some(json!("just one"))),
    )
    .expect("a string");
    assert_eq!(one.text_content, ["just one"]);
    let absent: content_callback::ResultNotify = decode(&sample_with::<
        content_callback::ResultNotify,
    >("TextContent", None))
    .expect("absent");
    assert!(absent.text_content.is_empty());
    let image: content_callback::ResultNotify = decode(&json!({
        "Scene": "Group", "SdkAppId": 1400187352, "ContactItem": { "ContactType": 2, "GroupId": "@TGS#1" },
        "ContentType": "Image", "FileURL": "https://example.com/a.jpg", "CtxcbResult": 0
    }))
    .expect("an image result");
    assert_eq!(image.file_url.as_deref(), Some("https://example.com/a.jpg"));
    assert_eq!(
        image.contact_item.and_then(|c| c.group_id).as_deref(),
        Some("@TGS#1")
    );
}

// ---- Push ----

#[test]
fn offline_push_sample() {
    let batch: push::OfflinePush = decode_sample();
    assert_eq!(batch.events.len(), 2);
    let c2c = &batch.events[0];
    assert_eq!(c2c.callback_command, push::OfflinePush::COMMAND);
    assert_eq!(c2c.event_type, Some(1));
    assert_eq!(c2c.from_account.as_deref(), Some("user1"));
    assert_eq!(c2c.to_account.as_deref(), Some("user2"));
    assert_eq!(c2c.msg_key.as_deref(), Some("48374_2837546_1557481126"));
    assert_eq!(c2c.group_id, None);
    assert_eq!(
        c2c.push_id.as_deref(),
        Some("67120c46_6a4086c0_9bf5fb50_200002d1089b322_2000005d8d46421")
    );
    let group = &batch.events[1];
    assert_eq!(group.event_type, Some(2));
    assert_eq!(group.group_id.as_deref(), Some("@TGS#12DEVUDHQ"));
    assert_eq!(group.msg_seq, Some(48_375));
    assert_eq!(group.push_platform, Some(1));
    assert_eq!(group.push_stage, Some(1));
    assert_eq!(group.err_code, Some(0));
    assert_eq!(group.err_info.as_deref(), Some("OK"));
}

#[test]
fn offline_push_checks() {
    check_command::<push::OfflinePush>(&["Events"], |b| b.events[0].event_time);
}

#[test]
fn all_member_push_sample() {
    let batch: push::AllMemberPush = decode_sample();
    assert_eq!(batch.events.len(), 2);
    let first = &batch.events[0];
    assert_eq!(first.callback_command, push::AllMemberPush::COMMAND);
    assert_eq!(first.event_type, Some(1));
    assert_eq!(
        first.task_id.as_deref(),
        Some("657bf434_537529d8_2000005e80aa873_2780d131_bc614e")
    );
    assert_eq!(first.task_time, Some(1_557_481_127));
    assert_eq!(first.to_account.as_deref(), Some("user2"));
    assert_eq!(batch.events[1].event_type, Some(2));
    assert_eq!(batch.events[1].push_platform, Some(0));
    assert_eq!(batch.events[1].event_time, Some(1_557_481_129));
}

#[test]
fn all_member_push_checks() {
    check_command::<push::AllMemberPush>(&["Events"], |b| b.events[0].event_time);
}

/// Drift: push bodies are batched, each event has its own command, and `EventTime` is in
/// seconds (kept as sent, not scaled).
#[test]
fn push_batches_carry_their_command_and_seconds_per_event() {
    let offline: push::OfflinePush = decode_sample();
    for event in &offline.events {
        assert_eq!(event.callback_command, "Push.OfflinePush");
        assert_eq!(event.event_time, Some(1_557_481_127));
    }
    let all: push::AllMemberPush = decode_sample();
    assert_eq!(all.events[0].event_time, Some(1_557_481_128));

    let empty: push::AllMemberPush = decode(&json!({ "Events": [] })).expect("an empty batch");
    assert!(empty.events.is_empty());
    assert_eq!(
        serde_json::to_value(&empty).expect("serialise"),
        json!({ "Events": [] })
    );
    let err = decode::<push::OfflinePush>(&json!({ "Events": {} })).expect_err("not a list");
    assert!(err.to_string().contains("invalid type: map"), "{err}");
}

/// Drift: the offline push spells the group key `GroupID`; `GroupId` is read too and
/// written back as `GroupID`.
#[test]
fn offline_push_group_id_spellings() {
    let mut body = sample_json(push::OfflinePush::COMMAND);
    let event = body["Events"][1].as_object_mut().expect("event");
    let group = event.remove("GroupID").expect("GroupID");
    event.insert("GroupId".into(), group);
    let batch: push::OfflinePush = decode(&body).expect("GroupId");
    assert_eq!(batch.events[1].group_id.as_deref(), Some("@TGS#12DEVUDHQ"));
    let written = serde_json::to_value(&batch).expect("serialise");
    assert_eq!(written["Events"][1]["GroupID"], "@TGS#12DEVUDHQ");
}

// ---- Alert ----

#[test]
fn request_over_limit_sample() {
    let event: alert::RequestOverLimit = decode_sample();
    assert_eq!(event.callback_command, alert::RequestOverLimit::COMMAND);
    assert_eq!(event.service_name.as_deref(), Some("openim"));
    assert_eq!(event.command, "batchsendmsg");
    assert_eq!(event.request, Some(510));
    assert_eq!(event.limit, Some(200));
    assert_eq!(event.event_time, None);
}

#[test]
fn request_over_limit_checks() {
    check_command::<alert::RequestOverLimit>(&["Command"], |e| e.event_time);
}

// ---- The whole part ----

/// Every command of this part has a sample named after its `COMMAND`, and a sample's
/// `CallbackCommand` (where the body has one) is that command.
#[test]
fn commands_match_their_samples() {
    let commands = [
        state::StateChange::COMMAND,
        profile::PortraitSet::COMMAND,
        sns::PrevFriendAdd::COMMAND,
        sns::PrevFriendResponse::COMMAND,
        sns::FriendAdd::COMMAND,
        sns::FriendDelete::COMMAND,
        sns::BlackListAdd::COMMAND,
        sns::BlackListDelete::COMMAND,
        follow::AfterFollowAdd::COMMAND,
        follow::AfterFollowDelete::COMMAND,
        c2c::BeforeSendMsg::COMMAND,
        c2c::AfterSendMsg::COMMAND,
        c2c::AfterMsgReport::COMMAND,
        c2c::AfterMsgWithDraw::COMMAND,
        c2c::AfterC2cMsgExtension::COMMAND,
        c2c::AfterMsgReadReceipt::COMMAND,
        c2c::AfterModifyMsg::COMMAND,
        c2c::AfterMsgReadAll::COMMAND,
        bot::OnC2cMessage::COMMAND,
        bot::OnGroupMessage::COMMAND,
        chatbot::OnC2cSignalMessage::COMMAND,
        content_callback::ResultNotify::COMMAND,
        push::OfflinePush::COMMAND,
        push::AllMemberPush::COMMAND,
        alert::RequestOverLimit::COMMAND,
    ];
    assert_eq!(commands.len(), 25);
    let all = crate::common::samples::commands();
    for command in commands {
        assert!(all.iter().any(|c| c == command), "no sample for {command}");
        let body = sample_json(command);
        let in_body = body
            .get("CallbackCommand")
            .or_else(|| body["Events"].get(0).and_then(|e| e.get("CallbackCommand")));
        match in_body {
            Some(value) => assert_eq!(value, command),
            None => assert_eq!(command, "ContentCallback.ResultNotify"),
        }
    }
}
