//! The content moderation result callback (`ContentCallback.ResultNotify`).

use serde::{Deserialize, Serialize};

use super::CallbackEvent;

/// `ContentCallback.ResultNotify`: the verdict of content moderation on a message, a
/// profile, a group profile or a friend request.
///
/// An after-callback: Tencent only checks that the reply is OK. By default only
/// violations are sent; the console can be set to send every result.
///
/// Its body differs from the other callbacks: it has no `CallbackCommand` (only the query
/// string carries the command, so [`callback_command`](Self::callback_command) is
/// usually empty), and `SdkAppId` is a JSON number.
/// [Tencent's page](https://www.tencentcloud.com/document/product/1047/78240)
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ContentResultNotify {
    /// `CallbackCommand`: not in Tencent's body; kept if a future body carries it.
    #[serde(
        rename = "CallbackCommand",
        default,
        skip_serializing_if = "String::is_empty"
    )]
    pub callback_command: String,
    /// `Scene`: what was moderated: `C2C` (one-to-one message), `C2CCustom` (one-to-one
    /// custom message), `Group`, `GroupCustom`, `GroupInfo` (group profile),
    /// `GroupMemberInfo` (group member profile), `RelationChain` (friend data) or
    /// `UserInfo` (user profile).
    #[serde(rename = "Scene", default, skip_serializing_if = "Option::is_none")]
    pub scene: Option<String>,
    /// `SdkAppId`: the app's SDKAppID (a JSON number here).
    #[serde(rename = "SdkAppId", default, skip_serializing_if = "Option::is_none")]
    pub sdk_app_id: Option<u64>,
    /// `From_Account`: who submitted the content.
    #[serde(
        rename = "From_Account",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub from_account: Option<String>,
    /// `ContactItem`: for a message, its recipient.
    #[serde(
        rename = "ContactItem",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub contact_item: Option<ContactItem>,
    /// `ContentType`: the kind of content: `Text`, `Image`, `Audio` or `Video`.
    #[serde(
        rename = "ContentType",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub content_type: Option<String>,
    /// `TextContent`: for `Text`, the text moderated. Tencent's table types it as a
    /// string, its sample sends an array (a custom message may carry several texts):
    /// both are read.
    #[serde(
        rename = "TextContent",
        default,
        deserialize_with = "crate::model::serde_helpers::one_or_many"
    )]
    pub text_content: Vec<String>,
    /// `FileURL`: for `Image`, `Audio` and `Video`, the URL of the file moderated (not in
    /// Tencent's sample).
    #[serde(rename = "FileURL", default, skip_serializing_if = "Option::is_none")]
    pub file_url: Option<String>,
    /// `MsgID`: the message: its `MsgKey` for a one-to-one message, its `MsgSeq` for a
    /// group message (absent for a group message that was blocked and never delivered).
    #[serde(rename = "MsgID", default, skip_serializing_if = "Option::is_none")]
    pub msg_id: Option<String>,
    /// `CtxcbResult`: what IM did: `1` blocked the content, `0` let it through.
    #[serde(rename = "CtxcbResult")]
    pub ctxcb_result: u32,
    /// `CtxcbRequestId`: the moderation service's request ID.
    #[serde(
        rename = "CtxcbRequestId",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub ctxcb_request_id: Option<String>,
    /// `CtxcbKeywords`: the sensitive words the text hit.
    #[serde(rename = "CtxcbKeywords", default)]
    pub ctxcb_keywords: Vec<String>,
    /// `CtxcbSuggestion`: the moderation service's advice: `Block`, `Review` or `Normal`.
    #[serde(
        rename = "CtxcbSuggestion",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub ctxcb_suggestion: Option<String>,
    /// `CtxcbLabel`: the violation category: `Normal`, `Illegal`, `Abuse`, `Polity`, `Ad`,
    /// `Porn`, `Sexy`, `Terror` or `Composite`.
    #[serde(
        rename = "CtxcbLabel",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub ctxcb_label: Option<String>,
    /// `CtxcbSubLabel`: the violation's subcategory, e.g. `InsinuationPorn`.
    #[serde(
        rename = "CtxcbSubLabel",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub ctxcb_sub_label: Option<String>,
    /// `CtxcbSubLabelDesc`: a description of the subcategory (in Chinese).
    #[serde(
        rename = "CtxcbSubLabelDesc",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub ctxcb_sub_label_desc: Option<String>,
    /// `CtxcbLibName`: the custom word library that was hit, if any.
    #[serde(
        rename = "CtxcbLibName",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub ctxcb_lib_name: Option<String>,
    /// `CloudCustomData`: for a message, its custom data; empty for other scenes.
    #[serde(
        rename = "CloudCustomData",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub cloud_custom_data: Option<String>,
    /// `EventTime`: when the event happened, in Unix milliseconds (a number or a string on
    /// the wire; not in Tencent's sample).
    #[serde(
        rename = "EventTime",
        default,
        with = "crate::model::serde_helpers::event_time",
        skip_serializing_if = "Option::is_none"
    )]
    pub event_time: Option<u64>,
}

impl CallbackEvent for ContentResultNotify {
    const COMMAND: &'static str = "ContentCallback.ResultNotify";
}

impl ContentResultNotify {
    /// Whether IM blocked the content (`CtxcbResult` is `1`).
    pub fn is_blocked(&self) -> bool {
        self.ctxcb_result == 1
    }
}

/// The recipient of a moderated message, the `ContactItem` of a [`ContentResultNotify`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ContactItem {
    /// `ContactType`: `1` for a one-to-one message, `2` for a group message.
    #[serde(
        rename = "ContactType",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub contact_type: Option<u32>,
    /// `To_Account`: the recipient of a one-to-one message.
    #[serde(
        rename = "To_Account",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub to_account: Option<String>,
    /// `GroupId`: the group of a group message.
    #[serde(rename = "GroupId", default, skip_serializing_if = "Option::is_none")]
    pub group_id: Option<String>,
}
