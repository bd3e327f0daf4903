//! `Follow.*`: follows.

use serde::{Deserialize, Serialize};
use serde_with::{formats::PreferMany, DefaultOnNull, OneOrMany};

use super::serde_helpers::NumberOrString;

/// `Follow.CallbackAfterFollowAdd`: a user followed other users.
///
/// An after-callback: Tencent only checks that the reply is OK. Unlike
/// [`AfterFollowDelete`], the followed users come as objects (`FollowList`).
/// [Tencent's page](https://www.tencentcloud.com/document/product/1047/70355)
#[serde_with::serde_as]
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct AfterFollowAdd {
    /// `CallbackCommand`: `Follow.CallbackAfterFollowAdd`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub callback_command: String,
    /// `From_Account`: the user who followed.
    #[serde(rename = "From_Account")]
    pub from_account: String,
    /// `FollowList`: the users now followed.
    #[serde(default)]
    pub follow_list: Vec<FollowItem>,
    /// `EventTime`: when the event happened, in Unix milliseconds (a number or a string on
    /// the wire).
    #[serde_as(as = "Option<NumberOrString>")]
    pub event_time: Option<u64>,
}

/// One followed user, an item of [`AfterFollowAdd::follow_list`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct FollowItem {
    /// `To_Account`: the followed user.
    #[serde(rename = "To_Account")]
    pub to_account: String,
}

/// `Follow.CallbackAfterFollowDelete`: a user unfollowed other users.
///
/// An after-callback: Tencent only checks that the reply is OK. Unlike
/// [`AfterFollowAdd`], the unfollowed users come as a list of strings (`To_Account`).
/// [Tencent's page](https://www.tencentcloud.com/document/product/1047/70356)
#[serde_with::serde_as]
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct AfterFollowDelete {
    /// `CallbackCommand`: `Follow.CallbackAfterFollowDelete`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub callback_command: String,
    /// `From_Account`: the user who unfollowed.
    #[serde(rename = "From_Account")]
    pub from_account: String,
    /// `To_Account`: the users no longer followed (a lone string is read as a list of
    /// one).
    #[serde_as(as = "DefaultOnNull<OneOrMany<_, PreferMany>>")]
    #[serde(rename = "To_Account", default)]
    pub to_account: Vec<String>,
    /// `EventTime`: when the event happened, in Unix milliseconds (a number or a string on
    /// the wire).
    #[serde_as(as = "Option<NumberOrString>")]
    pub event_time: Option<u64>,
}
