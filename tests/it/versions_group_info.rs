//! The other versions of Tencent's pages for the group-information callbacks
//! (`Group.CallbackBeforeCreateGroup` ... `Group.CallbackOnDailyGroupQuotaAlarm`; sources in
//! `tests/fixtures/versions/SOURCES.md`). Some versions print `EventTime` in the other JSON
//! type than the linked page's sample, and decode to the same instant; one Chinese table
//! lists a `TopicId` no sample sends, set here on the sample.

use crate::common::samples::{assert_keeps_every_field, decode_version, sample};
use actix_tim_callback::model::group;
use serde_json::json;

#[test]
fn group_info_changed_of_the_chinese_page_sends_event_time_as_a_number() {
    // cloud.tencent.com 269/2930 prints `"EventTime": 1670574414123`; the linked English
    // page prints the digits in a string.
    let event: group::AfterGroupInfoChanged =
        decode_version("Group.CallbackAfterGroupInfoChanged.zh.json");
    assert_eq!(event.event_time, Some(1_670_574_414_123));
    assert_eq!(event.group_id, "@TGS#2J4SZEAEL");
    assert_eq!(event.operator_account.as_deref(), Some("leckie"));
    assert_eq!(event.notification.as_deref(), Some("NewNotification"));
    assert_eq!(event.name, None);
}

#[test]
fn group_created_of_the_english_copy_sends_event_time_as_a_string() {
    // tencentcloud.com/ko 1047/34369 (English text) prints `"EventTime":"1670574414123"`;
    // the linked page's sample prints a number.
    let event: group::AfterCreateGroup = decode_version("Group.CallbackAfterCreateGroup.en.json");
    assert_eq!(event.event_time, Some(1_670_574_414_123));
    assert_eq!(event.owner_account.as_deref(), Some("leckie"));
    assert_eq!(event.member_list.len(), 2);
    assert_eq!(event.user_defined_data_list.len(), 2);
}

#[test]
fn group_full_types_the_private_topic_the_chinese_table_lists() {
    // cloud.tencent.com 269/1669 lists `TopicId` (String, sent only for private topics) in
    // its table; its sample, like every other version's, has none and prints `EventTime`
    // as a number.
    let event: group::AfterGroupFull = decode_version("Group.CallbackAfterGroupFull.zh.json");
    assert_eq!(event.group_id, "@TGS#2J4SZEAEL");
    assert_eq!(event.event_time, Some(1_670_574_414_123));
    assert_eq!(event.topic_id, None);

    let body = json!({
        "CallbackCommand": "Group.CallbackAfterGroupFull",
        "GroupId": "@TGS#2J4SZEAEL",
        "TopicId": "@TGS#_@TGS#cQVLVHIM62CJ@TOPIC#_TestTopic",
        "EventTime": 1670574414123_u64
    });
    let event: group::AfterGroupFull = serde_json::from_str(&body.to_string()).expect("decodes");
    assert_eq!(
        event.topic_id.as_deref(),
        Some("@TGS#_@TGS#cQVLVHIM62CJ@TOPIC#_TestTopic")
    );
    assert_keeps_every_field(&body, &serde_json::to_value(&event).expect("serialises"));
}

#[test]
fn group_destroyed_of_the_chinese_page_types_the_operator() {
    // cloud.tencent.com 269/1670 prints `"Operator_Account": "administrator"` and lists it
    // in its table; the English pages do not.
    let event: group::AfterGroupDestroyed =
        decode_version("Group.CallbackAfterGroupDestroyed.zh.json");
    assert_eq!(event.operator_account.as_deref(), Some("administrator"));
    assert_eq!(event.owner_account.as_deref(), Some("leckie"));
    assert_eq!(event.member_list.len(), 3);
    assert_eq!(event.event_time, Some(1_670_574_414_123));

    let english: group::AfterGroupDestroyed =
        serde_json::from_str(&sample("Group.CallbackAfterGroupDestroyed")).expect("decodes");
    assert_eq!(english.operator_account, None);
}

#[test]
fn group_creation_request_of_the_newest_chinese_page_has_no_create_group_num() {
    // cloud.tencent.com/document/product/269/1662 (2025-12-04) no longer prints
    // `CreateGroupNum`, and prints `EventTime` as a number.
    let event: group::BeforeCreateGroup = decode_version("Group.CallbackBeforeCreateGroup.zh.json");
    assert_eq!(event.create_group_num, None);
    assert_eq!(event.operator_account, "leckie");
    assert_eq!(event.member_list.len(), 2);
    assert_eq!(event.event_time, Some(1_670_574_414_123));
}
