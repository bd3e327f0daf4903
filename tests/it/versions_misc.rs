//! The other versions of Tencent's pages for `Sns.*`, `Profile.*`, `Follow.*`, `Alert.*`,
//! `Bot.*`, `ContentCallback.*` and `Push.*` (sources in `tests/fixtures/versions/SOURCES.md`).
//! None of their stored copies prints a whole body that `tests/fixtures/samples/` lacks, so
//! the fields only some versions print are set on Tencent's sample here, with the values
//! those versions print.

use crate::common::samples::{assert_keeps_every_field, decode_json, sample_json};
use actix_tim_callback::model::{bot, content_callback};
use serde_json::json;

#[test]
fn moderation_result_of_a_group_message_types_to_group_id() {
    // Every page's field table (tencentcloud.com 1047/78240, intl 1047/77840 in both
    // languages, cloud.tencent.com 269/95616, trtc.io 78240) names the group of a
    // `ContactType` 2 recipient `ToGroupId`; no page's sample is a group message.
    let mut body = sample_json("ContentCallback.ResultNotify");
    body["Scene"] = json!("Group");
    body["ContactItem"] = json!({"ContactType": 2, "ToGroupId": "@TGS#2J4SZEAEL"});
    body["MsgID"] = json!("123");
    let notify: content_callback::ResultNotify = decode_json(&body);
    let contact = notify.contact_item.as_ref().expect("ContactItem");
    assert_eq!(contact.contact_type, Some(2));
    assert_eq!(contact.to_group_id.as_deref(), Some("@TGS#2J4SZEAEL"));
    assert_eq!(contact.group_id, None);
    assert_eq!(contact.to_account, None);
    assert_keeps_every_field(&body, &serde_json::to_value(&notify).expect("serialises"));

    // Tencent's own sample, a one-to-one message, has none.
    let c2c: content_callback::ResultNotify =
        decode_json(&sample_json("ContentCallback.ResultNotify"));
    let contact = c2c.contact_item.expect("ContactItem");
    assert_eq!(contact.to_group_id, None);
    assert_eq!(contact.to_account.as_deref(), Some("Jonh"));
}

#[test]
fn moderation_result_of_the_older_intl_pages_decodes_without_the_verdict_details() {
    // intl.cloud.tencent.com 1047/77840 (English and Chinese) prints the sample up to
    // `CtxcbRequestId`: no keywords, suggestion, labels, library or custom data.
    let mut body = sample_json("ContentCallback.ResultNotify");
    let object = body.as_object_mut().expect("an object");
    for key in [
        "CtxcbKeywords",
        "CtxcbSuggestion",
        "CtxcbLabel",
        "CtxcbSubLabel",
        "CtxcbSubLabelDesc",
        "CtxcbLibName",
        "CloudCustomData",
    ] {
        assert!(object.remove(key).is_some(), "{key}");
    }
    let notify: content_callback::ResultNotify = decode_json(&body);
    assert!(notify.is_blocked());
    assert_eq!(
        notify.ctxcb_request_id.as_deref(),
        Some("241ed925-4c56-4357-95dd-1e6e7798f214")
    );
    assert_eq!(notify.text_content, ["aaabbbccc", "1234567"]);
    assert!(notify.ctxcb_keywords.is_empty());
    assert_eq!(notify.ctxcb_suggestion, None);
    assert_eq!(notify.cloud_custom_data, None);
    assert_keeps_every_field(&body, &serde_json::to_value(&notify).expect("serialises"));
}

#[test]
fn bot_c2c_message_of_the_chinese_page_types_msg_id() {
    // cloud.tencent.com 269/90407 (2025-05-27) prints `MsgId` after `MsgKey`; the stored
    // copy is cut off after `ErrorInfo`, so the value is set on Tencent's sample.
    let mut body = sample_json("Bot.OnC2CMessage");
    body["MsgId"] = json!("144115233406643804-1727580296-4026038328");
    let message: bot::OnC2cMessage = decode_json(&body);
    assert_eq!(
        message.msg_id.as_deref(),
        Some("144115233406643804-1727580296-4026038328")
    );
    assert_eq!(message.msg_key.as_deref(), Some("48374_2837546_1557481126"));
    assert_keeps_every_field(&body, &serde_json::to_value(&message).expect("serialises"));
    let without: bot::OnC2cMessage = decode_json(&sample_json("Bot.OnC2CMessage"));
    assert_eq!(without.msg_id, None);
}
