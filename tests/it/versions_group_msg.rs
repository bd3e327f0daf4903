//! The other versions of Tencent's pages for the group message and membership callbacks
//! (`Group.CallbackBeforeSendMsg`, `Group.CallbackSendMsgException`, `Group.CallbackAfterRecallMsg`,
//! `Group.CallbackAfterGroupMsgExtension`, `Group.CallbackAfterReadReceipt`, the join, exit and
//! member callbacks; sources in `tests/fixtures/versions/SOURCES.md`). The fields only some
//! versions print are checked here with the values those versions print.

use crate::common::samples::{assert_keeps_every_field, decode_json, sample_json, version_json};
use actix_tim_callback::model::group;
use serde_json::json;

#[test]
fn group_before_send_msg_of_the_chinese_page_types_msg_id() {
    // cloud.tencent.com/document/product/269/1619 (2025-02-28) prints `MsgId` after
    // `Random`; the stored copy is cut off after `CloudCustomData`, so the value is set on
    // Tencent's sample.
    let mut body = sample_json("Group.CallbackBeforeSendMsg");
    body["MsgId"] = json!("144115233406643804-1727580296-4026038328");
    let msg: group::BeforeSendMsg = decode_json(&body);
    assert_eq!(
        msg.msg_id.as_deref(),
        Some("144115233406643804-1727580296-4026038328")
    );
    assert_keeps_every_field(&body, &serde_json::to_value(&msg).expect("serialises"));

    // Tencent's own sample has none.
    let plain: group::BeforeSendMsg = decode_json(&sample_json("Group.CallbackBeforeSendMsg"));
    assert_eq!(plain.msg_id, None);
}

#[test]
fn group_before_send_msg_of_the_chinese_api_page_sends_event_time_as_a_number() {
    // cloud.tencent.com/document/api/269/1619 prints `"EventTime": 1670574414123`, a number,
    // where the linked page prints a string.
    let body = version_json("Group.CallbackBeforeSendMsg.zh.json");
    assert!(body["EventTime"].is_u64());
    let msg: group::BeforeSendMsg = decode_json(&body);
    assert_eq!(msg.event_time, Some(1_670_574_414_123));
    assert_eq!(
        msg.topic_id.as_deref(),
        Some("@TGS#_@TGS#cQVLVHIM62CJ@TOPIC#_TestTopic")
    );
    assert_eq!(msg.msg_id, None);
    assert_keeps_every_field(&body, &serde_json::to_value(&msg).expect("serialises"));
}

#[test]
fn group_msg_extension_pages_print_a_delete_and_a_clear_body() {
    // trtc.io/zh/document/76007 and tencentcloud.com/ko/document/product/1047/76007 print,
    // after the set body of the sample, a delete body (`OperateType` 2, empty values) and a
    // clear body (`OperateType` 3, no extensions).
    let body = version_json("Group.CallbackAfterGroupMsgExtension.en-delete.json");
    let delete: group::AfterGroupMsgExtension = decode_json(&body);
    assert_eq!(delete.operate_type, Some(2));
    assert_eq!(delete.extension_list.len(), 2);
    assert_eq!(delete.extension_list[0].key, "key2");
    assert_eq!(delete.extension_list[0].value, "");
    assert_eq!(delete.extension_list[1].seq, Some(57));
    assert_eq!(delete.seq, Some(57));
    assert_eq!(delete.event_time, Some(1_764_688_312_045));
    assert_keeps_every_field(&body, &serde_json::to_value(&delete).expect("serialises"));

    let body = version_json("Group.CallbackAfterGroupMsgExtension.en-clear.json");
    let clear: group::AfterGroupMsgExtension = decode_json(&body);
    assert_eq!(clear.operate_type, Some(3));
    assert!(clear.extension_list.is_empty());
    assert_eq!(clear.seq, Some(58));
    assert_eq!(clear.event_time, Some(1_764_688_329_047));
    assert_keeps_every_field(&body, &serde_json::to_value(&clear).expect("serialises"));
}

#[test]
fn member_state_change_of_the_chinese_pages_carries_the_event_cause() {
    // tencentcloud.com/zh/document/product/1047/48734 and cloud.tencent.com 269/76156 print
    // `EventCause` (the linked page's sample does not) and no `EventTime`.
    let body = version_json("Group.CallbackOnMemberStateChange.zh.json");
    let change: group::OnMemberStateChange = decode_json(&body);
    assert_eq!(change.event_type.as_deref(), Some("Offline"));
    assert_eq!(change.event_cause.as_deref(), Some("HeartbeatInterrupt"));
    assert_eq!(change.member_list.len(), 2);
    assert_eq!(change.event_time, None);
    assert_keeps_every_field(&body, &serde_json::to_value(&change).expect("serialises"));
}

#[test]
fn apply_join_group_of_the_chinese_page_types_apply_msg_and_topic_id() {
    // cloud.tencent.com/document/product/269/1665 (2025-02-28) prints `ApplyMsg` and a
    // numeric `EventTime`; its table adds `TopicId` (private topics only), which no sample
    // prints, so it is set here.
    let body = version_json("Group.CallbackBeforeApplyJoinGroup.zh.json");
    let apply: group::BeforeApplyJoinGroup = decode_json(&body);
    assert_eq!(apply.apply_msg.as_deref(), Some("test"));
    assert_eq!(apply.requestor_account.as_deref(), Some("jared"));
    assert_eq!(apply.event_time, Some(1_670_574_414_123));
    assert_eq!(apply.topic_id, None);
    assert_keeps_every_field(&body, &serde_json::to_value(&apply).expect("serialises"));

    let mut body = body;
    body["TopicId"] = json!("@TGS#_@TGS#cQVLVHIM62CJ@TOPIC#_TestTopic");
    let apply: group::BeforeApplyJoinGroup = decode_json(&body);
    assert_eq!(
        apply.topic_id.as_deref(),
        Some("@TGS#_@TGS#cQVLVHIM62CJ@TOPIC#_TestTopic")
    );
    assert_keeps_every_field(&body, &serde_json::to_value(&apply).expect("serialises"));
}

#[test]
fn invite_join_group_of_the_chinese_page_types_topic_id() {
    // cloud.tencent.com/document/product/269/1666 (2025-02-08) prints a numeric `EventTime`;
    // its table adds `TopicId` (private topics only), set here.
    let body = version_json("Group.CallbackBeforeInviteJoinGroup.zh.json");
    let invite: group::BeforeInviteJoinGroup = decode_json(&body);
    assert_eq!(invite.event_time, Some(1_670_574_414_123));
    assert_eq!(invite.destination_members.len(), 2);
    assert_eq!(invite.topic_id, None);
    assert_keeps_every_field(&body, &serde_json::to_value(&invite).expect("serialises"));

    let mut body = body;
    body["TopicId"] = json!("@TGS#_@TGS#cQVLVHIM62CJ@TOPIC#_TestTopic");
    let invite: group::BeforeInviteJoinGroup = decode_json(&body);
    assert_eq!(
        invite.topic_id.as_deref(),
        Some("@TGS#_@TGS#cQVLVHIM62CJ@TOPIC#_TestTopic")
    );
    assert_keeps_every_field(&body, &serde_json::to_value(&invite).expect("serialises"));
}

#[test]
fn member_field_changed_reads_the_chinese_pages_modified_account() {
    // cloud.tencent.com/document/product/269/105353 prints `Modified_Account` where
    // tencentcloud.com/zh/document/product/1047/60393 and the English page print
    // `Member_Account`.
    let mut body = sample_json("Group.CallbackAfterMemberFieldChanged");
    let object = body.as_object_mut().expect("an object");
    let account = object.remove("Member_Account").expect("Member_Account");
    object.insert("Modified_Account".to_owned(), account);
    let changed: group::AfterMemberFieldChanged = decode_json(&body);
    assert_eq!(changed.member_account.as_deref(), Some("123456"));
    assert_eq!(changed.role.as_deref(), Some("Admin"));
}
