//! `Sns.*`: friends and block lists.

use serde::{Deserialize, Serialize};

use super::serde_helpers::NumberOrString;

/// `Sns.CallbackPrevFriendAdd`: a user is about to add friends.
///
/// A before-callback: answer with a `crate::reply::FriendCheckReply` to allow or refuse each
/// friend request.
/// [Tencent's page](https://www.tencentcloud.com/document/product/1047/43468)
#[serde_with::serde_as]
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct PrevFriendAdd {
    /// `CallbackCommand`: `Sns.CallbackPrevFriendAdd`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub callback_command: String,
    /// `Requester_Account`: who issued the request (the user, or an admin through the REST
    /// API).
    #[serde(rename = "Requester_Account")]
    pub requester_account: Option<String>,
    /// `From_Account`: the user who adds friends.
    #[serde(rename = "From_Account")]
    pub from_account: String,
    /// `FriendItem`: the users to add, with the request's details.
    #[serde(default)]
    pub friend_item: Vec<FriendItem>,
    /// `AddType`: `Add_Type_Both` (two-way, the default) or `Add_Type_Single` (one-way).
    pub add_type: Option<String>,
    /// `ForceAddFlags`: `1` when an admin forces the friendship, `0` for a normal request.
    pub force_add_flags: Option<u32>,
    /// `EventTime`: when the event happened, in Unix milliseconds (a number or a string on
    /// the wire).
    #[serde_as(as = "Option<NumberOrString>")]
    pub event_time: Option<u64>,
}

/// One friend request, an item of [`PrevFriendAdd::friend_item`].
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct FriendItem {
    /// `To_Account`: the user to add.
    #[serde(rename = "To_Account")]
    pub to_account: String,
    /// `Remark`: the remark `From_Account` sets for `To_Account`.
    pub remark: Option<String>,
    /// `GroupName`: the friend list group `From_Account` puts `To_Account` in.
    pub group_name: Option<String>,
    /// `AddSource`: where the request comes from, `AddSource_Type_<source>`.
    pub add_source: Option<String>,
    /// `AddWording`: the message sent with the request.
    pub add_wording: Option<String>,
}

/// `Sns.CallbackPrevFriendResponse`: a user is about to answer friend requests.
///
/// A before-callback: answer with a `crate::reply::FriendCheckReply` to allow or refuse each
/// answer.
/// [Tencent's page](https://www.tencentcloud.com/document/product/1047/43467)
#[serde_with::serde_as]
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct PrevFriendResponse {
    /// `CallbackCommand`: `Sns.CallbackPrevFriendResponse`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub callback_command: String,
    /// `Requester_Account`: who issued the request (the user, or an admin through the REST
    /// API).
    #[serde(rename = "Requester_Account")]
    pub requester_account: Option<String>,
    /// `From_Account`: the user who answers.
    #[serde(rename = "From_Account")]
    pub from_account: String,
    /// `ResponseFriendItem`: the answers, one per requesting user.
    #[serde(default)]
    pub response_friend_item: Vec<ResponseFriendItem>,
    /// `EventTime`: when the event happened, in Unix milliseconds (a number or a string on
    /// the wire).
    #[serde_as(as = "Option<NumberOrString>")]
    pub event_time: Option<u64>,
}

/// One answer to a friend request, an item of
/// [`PrevFriendResponse::response_friend_item`].
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct ResponseFriendItem {
    /// `To_Account`: the user who asked to be a friend.
    #[serde(rename = "To_Account")]
    pub to_account: String,
    /// `Remark`: the remark `From_Account` sets for `To_Account`.
    pub remark: Option<String>,
    /// `TagName`: the friend list group `From_Account` puts `To_Account` in.
    pub tag_name: Option<String>,
    /// `ResponseAction`: `Response_Action_AgreeAndAdd` (agree and add back),
    /// `Response_Action_Agree` (agree only) or `Response_Action_Reject`.
    pub response_action: Option<String>,
}

/// Two users of a friend or block-list change, an item of a `PairList`.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct FriendPair {
    /// `From_Account`: the user whose friend list or block list changed.
    #[serde(rename = "From_Account")]
    pub from_account: String,
    /// `To_Account`: the user added to or removed from that list.
    #[serde(rename = "To_Account")]
    pub to_account: String,
    /// `Initiator_Account`: who sent the friend request (`Sns.CallbackFriendAdd` only).
    #[serde(rename = "Initiator_Account")]
    pub initiator_account: Option<String>,
}

/// `Sns.CallbackFriendAdd`: friendships were added.
///
/// An after-callback: Tencent only checks that the reply is OK.
/// [Tencent's page](https://www.tencentcloud.com/document/product/1047/34359)
#[serde_with::serde_as]
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct FriendAdd {
    /// `CallbackCommand`: `Sns.CallbackFriendAdd`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub callback_command: String,
    /// `PairList`: the friendships added: `to_account` is now in `from_account`'s friend
    /// list.
    pub pair_list: Vec<FriendPair>,
    /// `ClientCmd`: what triggered it: `friend_add` / `FriendAdd` (a friend request) or
    /// `friend_response` / `FriendResponse` (an answer to one).
    pub client_cmd: Option<String>,
    /// `Admin_Account`: the admin, when the friendship was added through the REST API;
    /// empty otherwise.
    #[serde(rename = "Admin_Account")]
    pub admin_account: Option<String>,
    /// `ForceFlag`: `1` when an admin forced the friendship, `0` for a normal one.
    pub force_flag: Option<u32>,
    /// `EventTime`: when the event happened, in Unix milliseconds (a number or a string on
    /// the wire).
    #[serde_as(as = "Option<NumberOrString>")]
    pub event_time: Option<u64>,
}

/// `Sns.CallbackFriendDelete`: friendships were deleted.
///
/// Also sent when a user adds a friend to their block list: that deletes the friendship
/// (Tencent's Chinese page).
///
/// An after-callback: Tencent only checks that the reply is OK.
/// [Tencent's page](https://www.tencentcloud.com/document/product/1047/34360)
#[serde_with::serde_as]
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct FriendDelete {
    /// `CallbackCommand`: `Sns.CallbackFriendDelete`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub callback_command: String,
    /// `PairList`: the friendships deleted: `to_account` was removed from `from_account`'s
    /// friend list.
    pub pair_list: Vec<FriendPair>,
    /// `EventTime`: when the event happened, in Unix milliseconds (a number or a string on
    /// the wire).
    #[serde_as(as = "Option<NumberOrString>")]
    pub event_time: Option<u64>,
}

/// `Sns.CallbackBlackListAdd`: users were added to block lists.
///
/// An after-callback: Tencent only checks that the reply is OK.
/// [Tencent's page](https://www.tencentcloud.com/document/product/1047/34361)
#[serde_with::serde_as]
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct BlackListAdd {
    /// `CallbackCommand`: `Sns.CallbackBlackListAdd`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub callback_command: String,
    /// `PairList`: the entries added: `to_account` is now in `from_account`'s block list.
    pub pair_list: Vec<FriendPair>,
    /// `EventTime`: when the event happened, in Unix milliseconds (a number or a string on
    /// the wire).
    #[serde_as(as = "Option<NumberOrString>")]
    pub event_time: Option<u64>,
}

/// `Sns.CallbackBlackListDelete`: users were removed from block lists.
///
/// An after-callback: Tencent only checks that the reply is OK.
/// [Tencent's page](https://www.tencentcloud.com/document/product/1047/34362)
#[serde_with::serde_as]
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct BlackListDelete {
    /// `CallbackCommand`: `Sns.CallbackBlackListDelete`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub callback_command: String,
    /// `PairList`: the entries removed: `to_account` is no longer in `from_account`'s
    /// block list.
    pub pair_list: Vec<FriendPair>,
    /// `EventTime`: when the event happened, in Unix milliseconds (a number or a string on
    /// the wire).
    #[serde_as(as = "Option<NumberOrString>")]
    pub event_time: Option<u64>,
}
