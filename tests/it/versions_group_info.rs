//! The other versions of Tencent's pages for the group-information callbacks
//! (`Group.CallbackBeforeCreateGroup` ... `Group.CallbackOnDailyGroupQuotaAlarm`; sources in
//! `tests/fixtures/versions/SOURCES.md`). No version read prints a field the model lacks;
//! two print `EventTime` in the other JSON type than the linked page's sample, and both
//! decode to the same instant.

use actix_tim_callback::model::group;
use serde::de::DeserializeOwned;
use std::path::Path;

fn decode_version<T: DeserializeOwned>(file: &str) -> T {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/versions")
        .join(file);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|err| panic!("{file}: {err}"));
    serde_json::from_str(&text).unwrap_or_else(|err| panic!("{file}: {err}"))
}

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
