//! The content moderation result callback (`ContentCallback.ResultNotify`).

use serde::{Deserialize, Serialize};
use serde_with::{formats::PreferMany, DefaultOnNull, OneOrMany};

use super::serde_helpers::NumberOrString;

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
#[serde_with::serde_as]
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct ResultNotify {
    /// `CallbackCommand`: not in Tencent's body; kept if a future body carries it.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub callback_command: String,
    /// `Scene`: what was moderated: `C2C` (one-to-one message), `C2CCustom` (one-to-one
    /// custom message), `Group`, `GroupCustom`, `GroupInfo` (group profile),
    /// `GroupMemberInfo` (group member profile), `RelationChain` (friend data) or
    /// `UserInfo` (user profile).
    pub scene: Option<String>,
    /// `SdkAppId`: the app's SDKAppID (a JSON number here).
    pub sdk_app_id: Option<u64>,
    /// `From_Account`: who submitted the content.
    #[serde(rename = "From_Account")]
    pub from_account: Option<String>,
    /// `ContactItem`: for a message, its recipient.
    pub contact_item: Option<ContactItem>,
    /// `ContentType`: the kind of content: `Text`, `Image`, `Audio` or `Video`.
    pub content_type: Option<String>,
    /// `TextContent`: for `Text`, the text moderated. Tencent's table types it as a
    /// string, its sample sends an array (a custom message may carry several texts):
    /// both are read.
    #[serde_as(as = "DefaultOnNull<OneOrMany<_, PreferMany>>")]
    #[serde(default)]
    pub text_content: Vec<String>,
    /// `FileURL`: for `Image`, `Audio` and `Video`, the URL of the file moderated (not in
    /// Tencent's sample).
    #[serde(rename = "FileURL")]
    pub file_url: Option<String>,
    /// `MsgID`: the message: its `MsgKey` for a one-to-one message, its `MsgSeq` for a
    /// group message (absent for a group message that was blocked and never delivered).
    #[serde(rename = "MsgID")]
    pub msg_id: Option<String>,
    /// `CtxcbResult`: what IM did: `1` blocked the content, `0` let it through.
    pub ctxcb_result: u32,
    /// `CtxcbRequestId`: the moderation service's request ID.
    pub ctxcb_request_id: Option<String>,
    /// `CtxcbKeywords`: the sensitive words the text hit.
    #[serde(default)]
    pub ctxcb_keywords: Vec<String>,
    /// `CtxcbSuggestion`: the moderation service's advice: `Block`, `Review` or `Normal`.
    pub ctxcb_suggestion: Option<String>,
    /// `CtxcbLabel`: the violation category: `Normal`, `Illegal`, `Abuse`, `Polity`, `Ad`,
    /// `Porn`, `Sexy`, `Terror` or `Composite`.
    pub ctxcb_label: Option<String>,
    /// `CtxcbSubLabel`: the violation's subcategory, e.g. `InsinuationPorn`.
    pub ctxcb_sub_label: Option<String>,
    /// `CtxcbSubLabelDesc`: a description of the subcategory (in Chinese).
    pub ctxcb_sub_label_desc: Option<String>,
    /// `CtxcbLibName`: the custom word library that was hit, if any.
    pub ctxcb_lib_name: Option<String>,
    /// `CloudCustomData`: for a message, its custom data; empty for other scenes.
    pub cloud_custom_data: Option<String>,
    /// `EventTime`: when the event happened, in Unix milliseconds (a number or a string on
    /// the wire; not in Tencent's sample).
    #[serde_as(as = "Option<NumberOrString>")]
    pub event_time: Option<u64>,
}

impl ResultNotify {
    /// Whether IM blocked the content (`CtxcbResult` is `1`).
    pub fn is_blocked(&self) -> bool {
        self.ctxcb_result == 1
    }
}

/// The recipient of a moderated message, the `ContactItem` of a [`ResultNotify`].
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct ContactItem {
    /// `ContactType`: `1` for a one-to-one message, `2` for a group message.
    pub contact_type: Option<u32>,
    /// `To_Account`: the recipient of a one-to-one message.
    #[serde(rename = "To_Account")]
    pub to_account: Option<String>,
    /// `GroupId`: the group of a group message.
    pub group_id: Option<String>,
    /// `ToGroupId`: when `ContactType` is `2`, the recipient group's ID (the name every
    /// page's field table gives; no page's sample is a group message).
    pub to_group_id: Option<String>,
}
