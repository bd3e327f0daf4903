//! The `Group.*` (topics included) and `OfficialAccount.*` callbacks of the catalogue:
//! Tencent's sample of each decodes to the printed values and is written back whole,
//! `EventTime` comes in every form, unknown fields are ignored, required fields are
//! required, and each documented drift is absorbed.

use std::fmt::Debug;

use crate::common::samples::{assert_keeps_every_field, sample, sample_json};
use actix_tim_callback::model::*;
use serde::{de::DeserializeOwned, Serialize};
use serde_json::{json, Value};

/// Decodes Tencent's sample of `T::COMMAND` from its text.
fn decode<T: CallbackEvent>() -> T {
    serde_json::from_str(&sample(T::COMMAND)).unwrap_or_else(|err| panic!("{}: {err}", T::COMMAND))
}

/// Decodes `T::COMMAND`'s sample after `edit`.
fn decode_edited<T: DeserializeOwned>(
    command: &str,
    edit: impl FnOnce(&mut serde_json::Map<String, Value>),
) -> Result<T, serde_json::Error> {
    let mut body = sample_json(command);
    edit(body.as_object_mut().expect("samples are objects"));
    serde_json::from_value(body)
}

/// The checks every command gets beyond its spot checks: the command name, the round
/// trip, `EventTime` as a number, a string and absent, an unknown field, and each
/// required key missing.
fn check_command<T>(required: &[&str], event_time: fn(&T) -> Option<u64>)
where
    T: CallbackEvent + Serialize + PartialEq + Debug,
{
    let command = T::COMMAND;
    let decoded: T = decode();

    let written = serde_json::to_value(&decoded).expect("serializes");
    assert_keeps_every_field(&sample_json(command), &written);
    assert_eq!(written["CallbackCommand"], json!(command));

    let as_number: T = decode_edited(command, |body| {
        body.insert("EventTime".into(), json!(1_670_574_414_123_u64));
    })
    .expect("EventTime as a number");
    let as_string: T = decode_edited(command, |body| {
        body.insert("EventTime".into(), json!("1670574414123"));
    })
    .expect("EventTime as a string");
    let absent: T = decode_edited(command, |body| {
        body.remove("EventTime");
    })
    .expect("EventTime absent");
    assert_eq!(event_time(&as_number), Some(1_670_574_414_123), "{command}");
    assert_eq!(event_time(&as_string), Some(1_670_574_414_123), "{command}");
    assert_eq!(event_time(&absent), None, "{command}");
    assert!(
        serde_json::to_value(&absent)
            .expect("serializes")
            .get("EventTime")
            .is_none(),
        "{command}: an absent EventTime is not written"
    );

    let with_unknown: T = decode_edited(command, |body| {
        body.insert(
            "SomeFieldTencentAddsLater".into(),
            json!({"nested": [1, 2]}),
        );
    })
    .expect("unknown fields are ignored");
    assert_eq!(with_unknown, decoded, "{command}");

    for key in required {
        let err = decode_edited::<T>(command, |body| {
            body.remove(*key).expect("required key in the sample");
        })
        .expect_err(key);
        assert!(
            err.to_string().contains(key),
            "{command}: the error names {key}: {err}"
        );
    }
}

fn members(names: &[&str]) -> Vec<Member> {
    names.iter().map(|name| Member::new(*name)).collect()
}

fn text(message: &str) -> Vec<MsgElement> {
    vec![MsgElement::text(message)]
}

// ---- Group lifecycle and members ----

#[test]
fn before_create_group() {
    let event: group::BeforeCreateGroup = decode();
    assert_eq!(event.callback_command, "Group.CallbackBeforeCreateGroup");
    assert_eq!(event.operator_account, "leckie");
    assert_eq!(event.owner_account.as_deref(), Some("leckie"));
    assert_eq!(event.group_type, Some(GroupType::Public));
    assert_eq!(event.name.as_deref(), Some("MyFirstGroup"));
    assert_eq!(event.create_group_num, Some(123));
    assert_eq!(event.member_list, members(&["bob", "peter"]));
    assert_eq!(event.event_time, Some(1_670_574_414_123));
    check_command::<group::BeforeCreateGroup>(&["Operator_Account"], |e| e.event_time);
}

#[test]
fn after_create_group() {
    let event: group::AfterCreateGroup = decode();
    assert_eq!(event.group_id, "@TGS#2J4SZEAEL");
    assert_eq!(event.operator_account.as_deref(), Some("group_root"));
    assert_eq!(event.owner_account.as_deref(), Some("leckie"));
    assert_eq!(event.member_list, members(&["bob", "peter"]));
    assert_eq!(
        event.user_defined_data_list,
        [
            KeyValue::new("UserDefined1", "hello"),
            KeyValue::new("UserDefined2", "world")
        ]
    );
    check_command::<group::AfterCreateGroup>(&["GroupId"], |e| e.event_time);
}

#[test]
fn before_apply_join_group() {
    let event: group::BeforeApplyJoinGroup = decode();
    assert_eq!(event.group_id, "@TGS#2J4SZEAEL");
    assert_eq!(event.group_type, Some(GroupType::Public));
    assert_eq!(event.requestor_account.as_deref(), Some("jared"));
    check_command::<group::BeforeApplyJoinGroup>(&["GroupId"], |e| e.event_time);
}

#[test]
fn before_invite_join_group() {
    let event: group::BeforeInviteJoinGroup = decode();
    assert_eq!(event.group_id, "@TGS#2J4SZEAEL");
    assert_eq!(event.operator_account.as_deref(), Some("leckie"));
    assert_eq!(event.destination_members, members(&["jared", "leckie"]));
    check_command::<group::BeforeInviteJoinGroup>(&["GroupId"], |e| e.event_time);
}

#[test]
fn after_new_member_join() {
    let event: group::AfterNewMemberJoin = decode();
    assert_eq!(event.group_id, "@TGS#2J4SZEAEL");
    assert_eq!(event.join_type.as_deref(), Some("Apply"));
    assert_eq!(event.operator_account.as_deref(), Some("leckie"));
    assert_eq!(event.new_member_list, members(&["jared", "tommy"]));
    check_command::<group::AfterNewMemberJoin>(&["GroupId"], |e| e.event_time);
}

#[test]
fn after_member_exit() {
    let event: group::AfterMemberExit = decode();
    assert_eq!(event.group_id, "@TGS#2J4SZEAEL");
    assert_eq!(event.exit_type.as_deref(), Some("Kicked"));
    assert_eq!(event.exit_member_list, members(&["jared", "tommy"]));
    check_command::<group::AfterMemberExit>(&["GroupId"], |e| e.event_time);
}

#[test]
fn after_group_full() {
    let event: group::AfterGroupFull = decode();
    assert_eq!(event.callback_command, "Group.CallbackAfterGroupFull");
    assert_eq!(event.group_id, "@TGS#2J4SZEAEL");
    assert_eq!(event.event_time, Some(1_670_574_414_123));
    check_command::<group::AfterGroupFull>(&["GroupId"], |e| e.event_time);
}

#[test]
fn after_group_destroyed() {
    let event: group::AfterGroupDestroyed = decode();
    assert_eq!(event.group_id, "@TGS#2J4SZEAEL");
    assert_eq!(event.owner_account.as_deref(), Some("leckie"));
    assert_eq!(event.name.as_deref(), Some("MyFirstGroup"));
    assert_eq!(event.member_list, members(&["leckie", "peter", "bob"]));
    check_command::<group::AfterGroupDestroyed>(&["GroupId"], |e| e.event_time);
}

#[test]
fn a_destroyed_community_has_no_member_list() {
    let event: group::AfterGroupDestroyed =
        decode_edited(group::AfterGroupDestroyed::COMMAND, |body| {
            body.insert("Type".into(), json!("Community"));
            body.remove("MemberList");
        })
        .expect("decodes without MemberList");
    assert_eq!(event.group_type, Some(GroupType::Community));
    assert!(event.member_list.is_empty());
}

#[test]
fn after_group_info_changed() {
    let event: group::AfterGroupInfoChanged = decode();
    assert_eq!(event.group_id, "@TGS#2J4SZEAEL");
    assert_eq!(event.operator_account.as_deref(), Some("leckie"));
    assert_eq!(event.notification.as_deref(), Some("NewNotification"));
    check_command::<group::AfterGroupInfoChanged>(&["GroupId"], |e| e.event_time);
}

#[test]
fn group_info_changed_carries_only_the_changed_fields() {
    let event: group::AfterGroupInfoChanged = decode();
    assert_eq!(
        (&event.name, &event.introduction, &event.face_url),
        (&None, &None, &None)
    );
    let written = serde_json::to_value(&event).expect("serializes");
    for key in ["Name", "Introduction", "FaceUrl"] {
        assert!(written.get(key).is_none(), "{key} is not invented");
    }

    // Only GroupId is needed: a change of the avatar alone.
    let avatar_only: group::AfterGroupInfoChanged = serde_json::from_value(json!({
        "GroupId": "@TGS#1",
        "FaceUrl": "https://example.com/face.png"
    }))
    .expect("decodes");
    assert_eq!(
        avatar_only.face_url.as_deref(),
        Some("https://example.com/face.png")
    );
    assert_eq!(avatar_only.notification, None);
    assert_eq!(avatar_only.group_type, None);
    assert_eq!(avatar_only.operator_account, None);
}

#[test]
fn after_member_field_changed() {
    let event: group::AfterMemberFieldChanged = decode();
    assert_eq!(event.group_id, "@TGS#xxxx");
    assert_eq!(event.group_type, Some(GroupType::Community));
    assert_eq!(event.member_account.as_deref(), Some("123456"));
    assert_eq!(event.role.as_deref(), Some("Admin"));
    assert_eq!(event.name_card.as_deref(), Some("jacky"));
    check_command::<group::AfterMemberFieldChanged>(&["GroupId"], |e| e.event_time);
}

#[test]
fn member_field_changed_accepts_modified_account() {
    let event: group::AfterMemberFieldChanged =
        decode_edited(group::AfterMemberFieldChanged::COMMAND, |body| {
            let account = body.remove("Member_Account").expect("in the sample");
            body.insert("Modified_Account".into(), account);
        })
        .expect("decodes with Modified_Account");
    assert_eq!(event.member_account.as_deref(), Some("123456"));
    let written = serde_json::to_value(&event).expect("serializes");
    assert_eq!(written["Member_Account"], json!("123456"));
    assert!(written.get("Modified_Account").is_none());
}

#[test]
fn after_change_group_owner() {
    let event: group::AfterChangeGroupOwner = decode();
    assert_eq!(event.group_id, "@TGS#2TTV7VSII");
    assert_eq!(event.operator_account.as_deref(), Some("admin"));
    assert_eq!(event.old_owner_account.as_deref(), Some("user1"));
    assert_eq!(event.new_owner_account.as_deref(), Some("user2"));
    check_command::<group::AfterChangeGroupOwner>(&["GroupId"], |e| e.event_time);
}

#[test]
fn on_member_state_change() {
    let event: group::OnMemberStateChange = decode();
    assert_eq!(event.group_id, "@TGS#2J4SZEAEL");
    assert_eq!(event.event_type.as_deref(), Some("Offline"));
    assert_eq!(event.event_cause, None);
    assert_eq!(event.member_list, members(&["jared", "tommy"]));
    check_command::<group::OnMemberStateChange>(&["GroupId"], |e| e.event_time);

    let with_cause: group::OnMemberStateChange =
        decode_edited(group::OnMemberStateChange::COMMAND, |body| {
            body.insert("EventCause".into(), json!("HeartbeatInterrupt"));
        })
        .expect("decodes");
    assert_eq!(
        with_cause.event_cause.as_deref(),
        Some("HeartbeatInterrupt")
    );
}

#[test]
fn on_daily_group_quota_alarm() {
    let event: group::OnDailyGroupQuotaAlarm = decode();
    assert_eq!(event.quota_used, 7321);
    assert_eq!(event.quota, 10000);
    assert_eq!(event.event_time, Some(1_670_574_414_123));
    check_command::<group::OnDailyGroupQuotaAlarm>(&["QuotaUsed", "Quota"], |e| e.event_time);
}

// ---- Group attributes, receipts, extensions ----

#[test]
fn after_group_attr_changed() {
    let event: group::AfterGroupAttrChanged = decode();
    assert_eq!(event.group_id, "@TGS#2J4SZEAEL");
    assert_eq!(event.option_type.as_deref(), Some("set"));
    assert_eq!(event.group_attr.len(), 2);
    assert_eq!(event.group_attr[1].key, "key2");
    assert_eq!(event.group_attr[1].value, "values");
    check_command::<group::AfterGroupAttrChanged>(&["GroupId"], |e| e.event_time);
}

#[test]
fn group_attr_items_accept_both_cases_and_write_lower_case() {
    let event: group::AfterGroupAttrChanged =
        decode_edited(group::AfterGroupAttrChanged::COMMAND, |body| {
            body.insert(
                "GroupAttr".into(),
                json!([{"Key": "k1", "Value": "v1"}, {"key": "k2"}]),
            );
        })
        .expect("decodes Key/Value and a missing value");
    assert_eq!(event.group_attr[0].key, "k1");
    assert_eq!(event.group_attr[0].value, "v1");
    assert_eq!(event.group_attr[1].key, "k2");
    assert_eq!(event.group_attr[1].value, "");

    let written = serde_json::to_value(&event).expect("serializes");
    assert_eq!(
        written["GroupAttr"],
        json!([{"key": "k1", "value": "v1"}, {"key": "k2", "value": ""}])
    );
}

#[test]
fn after_read_receipt() {
    let event: group::AfterReadReceipt = decode();
    assert_eq!(event.group_id, "@TGS#2TTV7VSII");
    assert_eq!(event.group_msg_receipt_list.len(), 2);
    check_command::<group::AfterReadReceipt>(&["GroupId"], |e| e.event_time);
}

#[test]
fn read_receipts_keep_their_nested_lists() {
    let event: group::AfterReadReceipt = decode();
    let second = &event.group_msg_receipt_list[1];
    assert_eq!(second.msg_seq, 2);
    assert_eq!(second.read_num, Some(1));
    assert_eq!(second.unread_num, Some(6));
    assert_eq!(second.read_receipt_members, members(&["user0"]));

    let edited: group::AfterReadReceipt = decode_edited(group::AfterReadReceipt::COMMAND, |body| {
        body.insert(
            "GroupMsgReceiptList".into(),
            json!([{"MsgSeq": 7, "ReadNum": 0, "UnreadNum": 3}]),
        );
    })
    .expect("an item without ReadReceiptMembers decodes");
    assert!(edited.group_msg_receipt_list[0]
        .read_receipt_members
        .is_empty());

    let err = decode_edited::<group::AfterReadReceipt>(group::AfterReadReceipt::COMMAND, |body| {
        body.insert("GroupMsgReceiptList".into(), json!([{"ReadNum": 1}]));
    })
    .expect_err("an item without MsgSeq fails");
    assert!(err.to_string().contains("MsgSeq"), "{err}");
}

#[test]
fn after_group_msg_extension() {
    let event: group::AfterGroupMsgExtension = decode();
    assert_eq!(event.group_id, "test");
    assert_eq!(event.msg_seq, Some(10));
    assert_eq!(event.operate_type, Some(1));
    assert_eq!(event.seq, Some(56));
    assert_eq!(event.extension_list.len(), 2);
    assert_eq!(event.extension_list[1].key, "key3");
    assert_eq!(event.extension_list[1].value, "12122");
    assert_eq!(event.extension_list[1].seq, Some(56));
    check_command::<group::AfterGroupMsgExtension>(&["GroupId"], |e| e.event_time);
}

#[test]
fn a_cleared_group_msg_extension_writes_its_empty_list() {
    let event: group::AfterGroupMsgExtension =
        decode_edited(group::AfterGroupMsgExtension::COMMAND, |body| {
            body.insert("OperateType".into(), json!(3));
            body.insert("ExtensionList".into(), json!([]));
        })
        .expect("decodes");
    assert_eq!(event.operate_type, Some(3));
    let written = serde_json::to_value(&event).expect("serializes");
    assert_eq!(written["ExtensionList"], json!([]));
}

// ---- Group messages ----

#[test]
fn group_before_send_msg() {
    let event: group::BeforeSendMsg = decode();
    assert_eq!(event.group_id, "@TGS#2J4SZEAEL");
    assert_eq!(event.group_type, Some(GroupType::Community));
    assert_eq!(event.from_account, "jared");
    assert_eq!(event.operator_account.as_deref(), Some("admin"));
    assert_eq!(event.random, 123_456);
    assert_eq!(event.msg_body, text("red packet"));
    assert_eq!(
        event.topic_id.as_deref(),
        Some("@TGS#_@TGS#cQVLVHIM62CJ@TOPIC#_TestTopic")
    );
    assert!(event.is_online_only());
    check_command::<group::BeforeSendMsg>(&["GroupId", "From_Account"], |e| e.event_time);
}

#[test]
fn group_after_send_msg() {
    let event: group::AfterSendMsg = decode();
    assert_eq!(event.group_id, "@TGS#2J4SZEAEL");
    assert_eq!(event.group_type, Some(GroupType::Public));
    assert_eq!(event.from_account, "jared");
    assert_eq!(event.msg_seq, Some(123));
    assert_eq!(event.msg_time, Some(1_490_686_222));
    assert_eq!(
        event.cloud_custom_data.as_deref(),
        Some("your cloud custom data")
    );
    assert_eq!(event.group_at_info.len(), 3);
    assert_eq!(
        event.group_at_info[2].group_at_account.as_deref(),
        Some("tandy")
    );
    check_command::<group::AfterSendMsg>(&["GroupId", "From_Account"], |e| e.event_time);
}

#[test]
fn group_at_tells_at_all() {
    let event: group::AfterSendMsg = decode();
    let at_all: Vec<bool> = event
        .group_at_info
        .iter()
        .map(group::GroupAt::is_at_all)
        .collect();
    assert_eq!(at_all, [true, false, false]);
    assert!(!group::GroupAt::default().is_at_all());
}

#[test]
fn random_uses_the_full_unsigned_range_and_defaults_to_zero() {
    let max: group::BeforeSendMsg = decode_edited(group::BeforeSendMsg::COMMAND, |body| {
        body.insert("Random".into(), json!(u32::MAX));
    })
    .expect("decodes");
    assert_eq!(max.random, u32::MAX);
    let absent: group::SendMsgException = decode_edited(group::SendMsgException::COMMAND, |body| {
        body.remove("Random");
    })
    .expect("decodes");
    assert_eq!(absent.random, 0);
}

#[test]
fn online_only_is_the_flag_set_to_one() {
    fn flags<T: DeserializeOwned>(command: &str, online_only: fn(&T) -> bool) -> [bool; 3] {
        let with = |flag: Option<u32>| {
            let event: T = decode_edited(command, |body| match flag {
                Some(flag) => {
                    body.insert("OnlineOnlyFlag".into(), json!(flag));
                }
                None => {
                    body.remove("OnlineOnlyFlag");
                }
            })
            .expect("decodes");
            online_only(&event)
        };
        [with(Some(1)), with(Some(0)), with(None)]
    }
    let expected = [true, false, false];
    assert_eq!(
        flags(
            group::BeforeSendMsg::COMMAND,
            group::BeforeSendMsg::is_online_only
        ),
        expected
    );
    assert_eq!(
        flags(
            group::AfterSendMsg::COMMAND,
            group::AfterSendMsg::is_online_only
        ),
        expected
    );
    assert_eq!(
        flags(
            group::SendMsgException::COMMAND,
            group::SendMsgException::is_online_only
        ),
        expected
    );
    assert_eq!(
        flags(
            official_account::BeforeSendMsg::COMMAND,
            official_account::BeforeSendMsg::is_online_only
        ),
        expected
    );
    assert_eq!(
        flags(
            official_account::AfterSendMsg::COMMAND,
            official_account::AfterSendMsg::is_online_only
        ),
        expected
    );
}

#[test]
fn group_after_recall_msg() {
    let event: group::AfterRecallMsg = decode();
    assert_eq!(event.group_id, "1213456");
    assert_eq!(event.operator_account.as_deref(), Some("admin"));
    assert_eq!(event.msg_seq_list.len(), 1);
    assert_eq!(event.msg_seq_list[0].msg_seq, 130);
    assert_eq!(
        event.msg_seq_list[0].msg_id.as_deref(),
        Some("144115213033478435-1739361321-2512805311")
    );
    assert_eq!(
        event.topic_id.as_deref(),
        Some("@TGS#_@TGS#cQVLVHIM62CJ@TOPIC#_TestTopic")
    );
    check_command::<group::AfterRecallMsg>(&["GroupId"], |e| e.event_time);

    let older: group::AfterRecallMsg = decode_edited(group::AfterRecallMsg::COMMAND, |body| {
        body.insert("MsgSeqList".into(), json!([{"MsgSeq": 1}, {"MsgSeq": 2}]));
    })
    .expect("items without MsgId decode");
    assert_eq!(older.msg_seq_list[1].msg_seq, 2);
    assert_eq!(older.msg_seq_list[1].msg_id, None);
}

#[test]
fn send_msg_exception() {
    let event: group::SendMsgException = decode();
    assert_eq!(event.group_id, "@TGS#2J4SZEAEL");
    assert_eq!(event.group_type, Some(GroupType::Public));
    assert_eq!(event.from_account, "jared");
    assert_eq!(event.random, 123_456);
    assert_eq!(event.msg_body, text("red packet"));
    assert_eq!(event.error_code, 10023);
    assert_eq!(
        event.error_info,
        "msg count exceeds limit,please retry later"
    );
    assert_eq!(event.kind(), group::ExceptionKind::RateLimited);
    check_command::<group::SendMsgException>(&["GroupId", "From_Account", "ErrorCode"], |e| {
        e.event_time
    });
}

#[test]
fn send_msg_exception_kind_files_codes_as_before() {
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
            let event: group::SendMsgException =
                decode_edited(group::SendMsgException::COMMAND, |body| {
                    body.insert("ErrorCode".into(), json!(code));
                })
                .expect("decodes");
            assert_eq!(event.kind(), *kind, "{code}");
            assert_eq!(event.error_code, code, "the raw code is kept");
        }
    }
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

// ---- Topics ----

#[test]
fn before_create_topic() {
    let event: group::BeforeCreateTopic = decode();
    assert_eq!(event.operator_account, "leckie");
    assert_eq!(event.group_type, Some(GroupType::Community));
    assert_eq!(event.name.as_deref(), Some("MyFirstTopic"));
    assert_eq!(event.group_id, None);
    assert_eq!(event.event_time, None);
    check_command::<group::BeforeCreateTopic>(&["Operator_Account"], |e| e.event_time);
}

#[test]
fn after_create_topic() {
    let event: group::AfterCreateTopic = decode();
    assert_eq!(event.group_id, "@TGS#2J4SZEAEL");
    assert_eq!(
        event.topic_id,
        "@TGS#_@TGS#cQVLVHIM62CJ@TOPIC#_@TOPIC#cRTE3HIM62C5"
    );
    assert_eq!(event.owner_account.as_deref(), Some("leckie"));
    assert_eq!(event.name.as_deref(), Some("MyFirstTopic"));
    assert_eq!(
        event.user_defined_data_list[1],
        KeyValue::new("UserDefined2", "world")
    );
    check_command::<group::AfterCreateTopic>(&["GroupId", "TopicId"], |e| e.event_time);
}

#[test]
fn after_topic_destroyed() {
    let event: group::AfterTopicDestroyed = decode();
    assert_eq!(event.group_id, "@TGS#_@TGS#cQVLVHIM62CJ");
    assert_eq!(event.group_type, Some(GroupType::Community));
    assert_eq!(
        event.topic_id_list,
        [
            "@TGS#_@TGS#cQVLVHIM62CJ@TOPIC#_TestTopic",
            "@TGS#_@TGS#cQVLVHIM62CJ@TOPIC#_TestTopic_1"
        ]
    );
    check_command::<group::AfterTopicDestroyed>(&["GroupId"], |e| e.event_time);
}

#[test]
fn topic_id_list_is_a_string_or_an_array() {
    let one: group::AfterTopicDestroyed =
        decode_edited(group::AfterTopicDestroyed::COMMAND, |body| {
            body.insert("TopicIdList".into(), json!("@TOPIC#_one"));
        })
        .expect("a lone string decodes");
    assert_eq!(one.topic_id_list, ["@TOPIC#_one"]);
    let written = serde_json::to_value(&one).expect("serializes");
    assert_eq!(written["TopicIdList"], json!(["@TOPIC#_one"]));

    let absent: group::AfterTopicDestroyed =
        decode_edited(group::AfterTopicDestroyed::COMMAND, |body| {
            body.remove("TopicIdList");
        })
        .expect("an absent list decodes");
    assert!(absent.topic_id_list.is_empty());

    assert!(decode_edited::<group::AfterTopicDestroyed>(
        group::AfterTopicDestroyed::COMMAND,
        |body| {
            body.insert("TopicIdList".into(), json!(42));
        }
    )
    .is_err());
}

#[test]
fn after_topic_info_changed() {
    let event: group::AfterTopicInfoChanged = decode();
    assert_eq!(event.group_id, "@TGS#2J4SZEAEL");
    assert_eq!(event.operator_account.as_deref(), Some("leckie"));
    assert_eq!(event.name.as_deref(), Some("TestTopic"));
    assert_eq!(event.introduction.as_deref(), Some("TestIntroduction"));
    assert_eq!(event.face_url.as_deref(), Some("http://this.is.face.url"));
    assert_eq!(event.topic_id, None);
    check_command::<group::AfterTopicInfoChanged>(&["GroupId"], |e| e.event_time);

    let with_topic: group::AfterTopicInfoChanged =
        decode_edited(group::AfterTopicInfoChanged::COMMAND, |body| {
            body.insert("TopicId".into(), json!("@TOPIC#_t"));
        })
        .expect("decodes");
    assert_eq!(with_topic.topic_id.as_deref(), Some("@TOPIC#_t"));
}

// ---- Official accounts ----

fn subscribers(names: &[&str]) -> Vec<String> {
    names.iter().map(|name| name.to_string()).collect()
}

fn subscriber_names(list: &[official_account::Subscriber]) -> Vec<String> {
    list.iter()
        .map(|subscriber| subscriber.subscriber_account.clone())
        .collect()
}

#[test]
fn before_create_official_account() {
    let event: official_account::BeforeCreateOfficialAccount = decode();
    assert_eq!(event.operator_account, "107867");
    assert_eq!(event.owner_account.as_deref(), Some("107867"));
    assert_eq!(event.name.as_deref(), Some("TestOfficialAccount"));
    assert_eq!(event.event_time, Some(1_670_574_414_123));
    check_command::<official_account::BeforeCreateOfficialAccount>(&["Operator_Account"], |e| {
        e.event_time
    });
}

#[test]
fn after_create_official_account() {
    let event: official_account::AfterCreateOfficialAccount = decode();
    assert_eq!(event.official_account, "@TOA#_test_OA_for_penn");
    assert_eq!(event.operator_account.as_deref(), Some("107867"));
    assert_eq!(event.name.as_deref(), Some("TestOfficialAccount"));
    check_command::<official_account::AfterCreateOfficialAccount>(&["Official_Account"], |e| {
        e.event_time
    });
}

#[test]
fn after_official_account_info_changed() {
    let event: official_account::AfterOfficialAccountInfoChanged = decode();
    assert_eq!(event.official_account, "@TOA#_test_OA_for_penn");
    assert_eq!(event.introduction.as_deref(), Some("NewNotification"));
    assert_eq!(
        event.face_url.as_deref(),
        Some("http://this.is.newface.url")
    );
    assert_eq!(event.organization.as_deref(), Some("NewOrganization"));
    check_command::<official_account::AfterOfficialAccountInfoChanged>(
        &["Official_Account"],
        |e| e.event_time,
    );

    let name_only: official_account::AfterOfficialAccountInfoChanged =
        serde_json::from_value(json!({
            "Official_Account": "@TOA#_1",
            "Name": "Renamed"
        }))
        .expect("only the changed field decodes");
    assert_eq!(name_only.name.as_deref(), Some("Renamed"));
    assert_eq!(name_only.organization, None);
}

#[test]
fn after_official_account_destroyed() {
    let event: official_account::AfterOfficialAccountDestroyed = decode();
    assert_eq!(event.official_account, "@TOA#_test_OA_for_penn");
    assert_eq!(event.owner_account.as_deref(), Some("107867"));
    assert_eq!(event.name.as_deref(), Some("TestOfficialAccount"));
    check_command::<official_account::AfterOfficialAccountDestroyed>(&["Official_Account"], |e| {
        e.event_time
    });
}

#[test]
fn before_add_subscriber() {
    let event: official_account::BeforeAddSubscriber = decode();
    assert_eq!(event.official_account, "@TOA#_test_for_penn");
    assert_eq!(event.operator_account.as_deref(), Some("107867"));
    assert_eq!(
        subscriber_names(&event.subscribe_account_list),
        subscribers(&["jared", "leckie"])
    );
    check_command::<official_account::BeforeAddSubscriber>(&["Official_Account"], |e| e.event_time);
}

#[test]
fn after_add_subscriber() {
    let event: official_account::AfterAddSubscriber = decode();
    assert_eq!(event.official_account, "@TOA#_test_for_penn");
    assert_eq!(
        subscriber_names(&event.subscribe_account_list),
        subscribers(&["jared", "leckie"])
    );
    check_command::<official_account::AfterAddSubscriber>(&["Official_Account"], |e| e.event_time);
}

#[test]
fn after_official_account_full() {
    let event: official_account::AfterOfficialAccountFull = decode();
    assert_eq!(
        event.callback_command,
        "OfficialAccount.CallbackAfterOfficialAccountFull"
    );
    assert_eq!(event.official_account, "@TOA#_test_OA_for_penn");
    assert_eq!(event.event_time, Some(1_670_574_414_123));
    check_command::<official_account::AfterOfficialAccountFull>(&["Official_Account"], |e| {
        e.event_time
    });
}

#[test]
fn after_delete_subscriber() {
    let event: official_account::AfterDeleteSubscriber = decode();
    assert_eq!(event.official_account, "@TOA#_test_OA_for_penn");
    assert_eq!(event.operator_account.as_deref(), Some("leckie"));
    assert_eq!(
        subscriber_names(&event.subscribe_account_list),
        subscribers(&["jared", "leckie"])
    );
    check_command::<official_account::AfterDeleteSubscriber>(&["Official_Account"], |e| {
        e.event_time
    });
}

#[test]
fn official_account_before_send_msg() {
    let event: official_account::BeforeSendMsg = decode();
    assert_eq!(event.official_account, "@TOA#_2J4SZEAEL");
    assert_eq!(event.msg_body, text("red packet"));
    assert_eq!(
        event.cloud_custom_data.as_deref(),
        Some("your cloud custom data")
    );
    check_command::<official_account::BeforeSendMsg>(&["Official_Account"], |e| e.event_time);
}

#[test]
fn official_account_after_send_msg() {
    let event: official_account::AfterSendMsg = decode();
    assert_eq!(event.official_account, "@TOA#_2J4SZEAEL");
    assert_eq!(event.msg_key.as_deref(), Some("71_1_1698741698"));
    assert_eq!(event.msg_time, Some(1_490_686_222));
    assert_eq!(event.msg_body, text("red packet"));
    check_command::<official_account::AfterSendMsg>(&["Official_Account"], |e| e.event_time);
}

#[test]
fn official_account_after_msg_withdraw() {
    let event: official_account::AfterMsgWithDraw = decode();
    assert_eq!(event.official_account, "#TOA#_123");
    assert_eq!(event.withdraw_msg_list.len(), 1);
    assert_eq!(event.withdraw_msg_list[0].msg_key, "71_1_1698741698");
    check_command::<official_account::AfterMsgWithDraw>(&["Official_Account"], |e| e.event_time);
}
