//! Callbacks about users: login state (`State.*`), profiles (`Profile.*`), friends and
//! block lists (`Sns.*`) and follows (`Follow.*`).

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{CallbackEvent, Platform};

/// `State.StateChange`: a user went online, went offline or was disconnected.
///
/// An after-callback: Tencent only checks that the reply is OK.
/// [Tencent's page](https://www.tencentcloud.com/document/product/1047/34357)
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct StateChange {
    /// `CallbackCommand`: `State.StateChange`.
    #[serde(
        rename = "CallbackCommand",
        default,
        skip_serializing_if = "String::is_empty"
    )]
    pub callback_command: String,
    /// `Info`: who changed state, how and why.
    #[serde(rename = "Info")]
    pub info: StateInfo,
    /// `KickedDevice`: the devices logged out by this login (present only for a `Login`
    /// that kicked other devices off).
    #[serde(rename = "KickedDevice", default)]
    pub kicked_device: Vec<KickedDevice>,
    /// `EventTime`: when the event happened, in Unix milliseconds (a number or a string on
    /// the wire).
    #[serde(
        rename = "EventTime",
        default,
        with = "crate::model::serde_helpers::event_time",
        skip_serializing_if = "Option::is_none"
    )]
    pub event_time: Option<u64>,
}

impl CallbackEvent for StateChange {
    const COMMAND: &'static str = "State.StateChange";
}

/// The `Info` of a [`StateChange`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct StateInfo {
    /// `Action`: `Login` (a connection was set up), `Logout` (the user logged out) or
    /// `Disconnect` (the connection was lost).
    #[serde(rename = "Action")]
    pub action: String,
    /// `To_Account`: the user whose state changed.
    #[serde(rename = "To_Account")]
    pub to_account: String,
    /// `Reason`: why. For `Login`: `Register` (connected, or reconnected after a network
    /// loss); for `Logout`: `Unregister`; for `Disconnect`: `LinkClose` (the connection was
    /// closed, e.g. the app was killed) or `TimeOut` (no heartbeat for 400 seconds).
    #[serde(rename = "Reason", default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// A device logged out by another login, an item of [`StateChange::kicked_device`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct KickedDevice {
    /// `Platform`: the platform of the kicked device (`iOS`, `Android`, `Web`, `Windows`,
    /// `iPad`, `Mac`, `Linux`, ...).
    #[serde(rename = "Platform", default, skip_serializing_if = "Option::is_none")]
    pub platform: Option<Platform>,
}

/// `Profile.CallbackPortraitSet`: a user's profile was updated.
///
/// An after-callback: Tencent only checks that the reply is OK.
/// [Tencent's page](https://www.tencentcloud.com/document/product/1047/48733)
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PortraitSet {
    /// `CallbackCommand`: `Profile.CallbackPortraitSet`.
    #[serde(
        rename = "CallbackCommand",
        default,
        skip_serializing_if = "String::is_empty"
    )]
    pub callback_command: String,
    /// `Operator_Account`: who made the update (the user, or an admin through the REST
    /// API).
    #[serde(
        rename = "Operator_Account",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub operator_account: Option<String>,
    /// `From_Account`: the user whose profile was updated.
    #[serde(rename = "From_Account")]
    pub from_account: String,
    /// `ProfileItem`: the profile fields that were updated, with their new values.
    #[serde(rename = "ProfileItem", default)]
    pub profile_item: Vec<ProfileItem>,
    /// `EventTime`: when the event happened, in Unix milliseconds (a number or a string on
    /// the wire).
    #[serde(
        rename = "EventTime",
        default,
        with = "crate::model::serde_helpers::event_time",
        skip_serializing_if = "Option::is_none"
    )]
    pub event_time: Option<u64>,
}

impl CallbackEvent for PortraitSet {
    const COMMAND: &'static str = "Profile.CallbackPortraitSet";
}

/// One updated profile field, an item of [`PortraitSet::profile_item`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ProfileItem {
    /// `Tag`: the profile field, e.g. `Tag_Profile_IM_Nick`, `Tag_Profile_IM_Gender`, or a
    /// custom `Tag_Profile_Custom_*` field.
    #[serde(rename = "Tag")]
    pub tag: String,
    /// `Value`: the new value, as sent: a string for most tags, a number for some (e.g.
    /// `Tag_Profile_IM_BirthDay`, `Tag_Profile_IM_Level`), depending on the tag.
    #[serde(rename = "Value", default)]
    pub value: Value,
}

/// `Sns.CallbackPrevFriendAdd`: a user is about to add friends.
///
/// A before-callback: answer with a `crate::FriendCheckReply` to allow or refuse each
/// friend request.
/// [Tencent's page](https://www.tencentcloud.com/document/product/1047/43468)
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PrevFriendAdd {
    /// `CallbackCommand`: `Sns.CallbackPrevFriendAdd`.
    #[serde(
        rename = "CallbackCommand",
        default,
        skip_serializing_if = "String::is_empty"
    )]
    pub callback_command: String,
    /// `Requester_Account`: who issued the request (the user, or an admin through the REST
    /// API).
    #[serde(
        rename = "Requester_Account",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub requester_account: Option<String>,
    /// `From_Account`: the user who adds friends.
    #[serde(rename = "From_Account")]
    pub from_account: String,
    /// `FriendItem`: the users to add, with the request's details.
    #[serde(rename = "FriendItem", default)]
    pub friend_item: Vec<FriendItem>,
    /// `AddType`: `Add_Type_Both` (two-way, the default) or `Add_Type_Single` (one-way).
    #[serde(rename = "AddType", default, skip_serializing_if = "Option::is_none")]
    pub add_type: Option<String>,
    /// `ForceAddFlags`: `1` when an admin forces the friendship, `0` for a normal request.
    #[serde(
        rename = "ForceAddFlags",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub force_add_flags: Option<u32>,
    /// `EventTime`: when the event happened, in Unix milliseconds (a number or a string on
    /// the wire).
    #[serde(
        rename = "EventTime",
        default,
        with = "crate::model::serde_helpers::event_time",
        skip_serializing_if = "Option::is_none"
    )]
    pub event_time: Option<u64>,
}

impl CallbackEvent for PrevFriendAdd {
    const COMMAND: &'static str = "Sns.CallbackPrevFriendAdd";
}

/// One friend request, an item of [`PrevFriendAdd::friend_item`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct FriendItem {
    /// `To_Account`: the user to add.
    #[serde(rename = "To_Account")]
    pub to_account: String,
    /// `Remark`: the remark `From_Account` sets for `To_Account`.
    #[serde(rename = "Remark", default, skip_serializing_if = "Option::is_none")]
    pub remark: Option<String>,
    /// `GroupName`: the friend list group `From_Account` puts `To_Account` in.
    #[serde(rename = "GroupName", default, skip_serializing_if = "Option::is_none")]
    pub group_name: Option<String>,
    /// `AddSource`: where the request comes from, `AddSource_Type_<source>`.
    #[serde(rename = "AddSource", default, skip_serializing_if = "Option::is_none")]
    pub add_source: Option<String>,
    /// `AddWording`: the message sent with the request.
    #[serde(
        rename = "AddWording",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub add_wording: Option<String>,
}

/// `Sns.CallbackPrevFriendResponse`: a user is about to answer friend requests.
///
/// A before-callback: answer with a `crate::FriendCheckReply` to allow or refuse each
/// answer.
/// [Tencent's page](https://www.tencentcloud.com/document/product/1047/43467)
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PrevFriendResponse {
    /// `CallbackCommand`: `Sns.CallbackPrevFriendResponse`.
    #[serde(
        rename = "CallbackCommand",
        default,
        skip_serializing_if = "String::is_empty"
    )]
    pub callback_command: String,
    /// `Requester_Account`: who issued the request (the user, or an admin through the REST
    /// API).
    #[serde(
        rename = "Requester_Account",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub requester_account: Option<String>,
    /// `From_Account`: the user who answers.
    #[serde(rename = "From_Account")]
    pub from_account: String,
    /// `ResponseFriendItem`: the answers, one per requesting user.
    #[serde(rename = "ResponseFriendItem", default)]
    pub response_friend_item: Vec<ResponseFriendItem>,
    /// `EventTime`: when the event happened, in Unix milliseconds (a number or a string on
    /// the wire).
    #[serde(
        rename = "EventTime",
        default,
        with = "crate::model::serde_helpers::event_time",
        skip_serializing_if = "Option::is_none"
    )]
    pub event_time: Option<u64>,
}

impl CallbackEvent for PrevFriendResponse {
    const COMMAND: &'static str = "Sns.CallbackPrevFriendResponse";
}

/// One answer to a friend request, an item of
/// [`PrevFriendResponse::response_friend_item`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ResponseFriendItem {
    /// `To_Account`: the user who asked to be a friend.
    #[serde(rename = "To_Account")]
    pub to_account: String,
    /// `Remark`: the remark `From_Account` sets for `To_Account`.
    #[serde(rename = "Remark", default, skip_serializing_if = "Option::is_none")]
    pub remark: Option<String>,
    /// `TagName`: the friend list group `From_Account` puts `To_Account` in.
    #[serde(rename = "TagName", default, skip_serializing_if = "Option::is_none")]
    pub tag_name: Option<String>,
    /// `ResponseAction`: `Response_Action_AgreeAndAdd` (agree and add back),
    /// `Response_Action_Agree` (agree only) or `Response_Action_Reject`.
    #[serde(
        rename = "ResponseAction",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub response_action: Option<String>,
}

/// Two users of a friend or block-list change, an item of a `PairList`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct FriendPair {
    /// `From_Account`: the user whose friend list or block list changed.
    #[serde(rename = "From_Account")]
    pub from_account: String,
    /// `To_Account`: the user added to or removed from that list.
    #[serde(rename = "To_Account")]
    pub to_account: String,
    /// `Initiator_Account`: who sent the friend request (`Sns.CallbackFriendAdd` only).
    #[serde(
        rename = "Initiator_Account",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub initiator_account: Option<String>,
}

/// `Sns.CallbackFriendAdd`: friendships were added.
///
/// An after-callback: Tencent only checks that the reply is OK.
/// [Tencent's page](https://www.tencentcloud.com/document/product/1047/34359)
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct FriendAdd {
    /// `CallbackCommand`: `Sns.CallbackFriendAdd`.
    #[serde(
        rename = "CallbackCommand",
        default,
        skip_serializing_if = "String::is_empty"
    )]
    pub callback_command: String,
    /// `PairList`: the friendships added: `to_account` is now in `from_account`'s friend
    /// list.
    #[serde(rename = "PairList")]
    pub pair_list: Vec<FriendPair>,
    /// `ClientCmd`: what triggered it: `friend_add` / `FriendAdd` (a friend request) or
    /// `friend_response` / `FriendResponse` (an answer to one).
    #[serde(rename = "ClientCmd", default, skip_serializing_if = "Option::is_none")]
    pub client_cmd: Option<String>,
    /// `Admin_Account`: the admin, when the friendship was added through the REST API;
    /// empty otherwise.
    #[serde(
        rename = "Admin_Account",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub admin_account: Option<String>,
    /// `ForceFlag`: `1` when an admin forced the friendship, `0` for a normal one.
    #[serde(rename = "ForceFlag", default, skip_serializing_if = "Option::is_none")]
    pub force_flag: Option<u32>,
    /// `EventTime`: when the event happened, in Unix milliseconds (a number or a string on
    /// the wire).
    #[serde(
        rename = "EventTime",
        default,
        with = "crate::model::serde_helpers::event_time",
        skip_serializing_if = "Option::is_none"
    )]
    pub event_time: Option<u64>,
}

impl CallbackEvent for FriendAdd {
    const COMMAND: &'static str = "Sns.CallbackFriendAdd";
}

/// `Sns.CallbackFriendDelete`: friendships were deleted.
///
/// An after-callback: Tencent only checks that the reply is OK.
/// [Tencent's page](https://www.tencentcloud.com/document/product/1047/34360)
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct FriendDelete {
    /// `CallbackCommand`: `Sns.CallbackFriendDelete`.
    #[serde(
        rename = "CallbackCommand",
        default,
        skip_serializing_if = "String::is_empty"
    )]
    pub callback_command: String,
    /// `PairList`: the friendships deleted: `to_account` was removed from `from_account`'s
    /// friend list.
    #[serde(rename = "PairList")]
    pub pair_list: Vec<FriendPair>,
    /// `EventTime`: when the event happened, in Unix milliseconds (a number or a string on
    /// the wire).
    #[serde(
        rename = "EventTime",
        default,
        with = "crate::model::serde_helpers::event_time",
        skip_serializing_if = "Option::is_none"
    )]
    pub event_time: Option<u64>,
}

impl CallbackEvent for FriendDelete {
    const COMMAND: &'static str = "Sns.CallbackFriendDelete";
}

/// `Sns.CallbackBlackListAdd`: users were added to block lists.
///
/// An after-callback: Tencent only checks that the reply is OK.
/// [Tencent's page](https://www.tencentcloud.com/document/product/1047/34361)
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct BlackListAdd {
    /// `CallbackCommand`: `Sns.CallbackBlackListAdd`.
    #[serde(
        rename = "CallbackCommand",
        default,
        skip_serializing_if = "String::is_empty"
    )]
    pub callback_command: String,
    /// `PairList`: the entries added: `to_account` is now in `from_account`'s block list.
    #[serde(rename = "PairList")]
    pub pair_list: Vec<FriendPair>,
    /// `EventTime`: when the event happened, in Unix milliseconds (a number or a string on
    /// the wire).
    #[serde(
        rename = "EventTime",
        default,
        with = "crate::model::serde_helpers::event_time",
        skip_serializing_if = "Option::is_none"
    )]
    pub event_time: Option<u64>,
}

impl CallbackEvent for BlackListAdd {
    const COMMAND: &'static str = "Sns.CallbackBlackListAdd";
}

/// `Sns.CallbackBlackListDelete`: users were removed from block lists.
///
/// An after-callback: Tencent only checks that the reply is OK.
/// [Tencent's page](https://www.tencentcloud.com/document/product/1047/34362)
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct BlackListDelete {
    /// `CallbackCommand`: `Sns.CallbackBlackListDelete`.
    #[serde(
        rename = "CallbackCommand",
        default,
        skip_serializing_if = "String::is_empty"
    )]
    pub callback_command: String,
    /// `PairList`: the entries removed: `to_account` is no longer in `from_account`'s
    /// block list.
    #[serde(rename = "PairList")]
    pub pair_list: Vec<FriendPair>,
    /// `EventTime`: when the event happened, in Unix milliseconds (a number or a string on
    /// the wire).
    #[serde(
        rename = "EventTime",
        default,
        with = "crate::model::serde_helpers::event_time",
        skip_serializing_if = "Option::is_none"
    )]
    pub event_time: Option<u64>,
}

impl CallbackEvent for BlackListDelete {
    const COMMAND: &'static str = "Sns.CallbackBlackListDelete";
}

/// `Follow.CallbackAfterFollowAdd`: a user followed other users.
///
/// An after-callback: Tencent only checks that the reply is OK. Unlike
/// [`AfterFollowDelete`], the followed users come as objects (`FollowList`).
/// [Tencent's page](https://www.tencentcloud.com/document/product/1047/70355)
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AfterFollowAdd {
    /// `CallbackCommand`: `Follow.CallbackAfterFollowAdd`.
    #[serde(
        rename = "CallbackCommand",
        default,
        skip_serializing_if = "String::is_empty"
    )]
    pub callback_command: String,
    /// `From_Account`: the user who followed.
    #[serde(rename = "From_Account")]
    pub from_account: String,
    /// `FollowList`: the users now followed.
    #[serde(rename = "FollowList", default)]
    pub follow_list: Vec<FollowItem>,
    /// `EventTime`: when the event happened, in Unix milliseconds (a number or a string on
    /// the wire).
    #[serde(
        rename = "EventTime",
        default,
        with = "crate::model::serde_helpers::event_time",
        skip_serializing_if = "Option::is_none"
    )]
    pub event_time: Option<u64>,
}

impl CallbackEvent for AfterFollowAdd {
    const COMMAND: &'static str = "Follow.CallbackAfterFollowAdd";
}

/// One followed user, an item of [`AfterFollowAdd::follow_list`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AfterFollowDelete {
    /// `CallbackCommand`: `Follow.CallbackAfterFollowDelete`.
    #[serde(
        rename = "CallbackCommand",
        default,
        skip_serializing_if = "String::is_empty"
    )]
    pub callback_command: String,
    /// `From_Account`: the user who unfollowed.
    #[serde(rename = "From_Account")]
    pub from_account: String,
    /// `To_Account`: the users no longer followed (a lone string is read as a list of
    /// one).
    #[serde(
        rename = "To_Account",
        default,
        deserialize_with = "crate::model::serde_helpers::one_or_many"
    )]
    pub to_account: Vec<String>,
    /// `EventTime`: when the event happened, in Unix milliseconds (a number or a string on
    /// the wire).
    #[serde(
        rename = "EventTime",
        default,
        with = "crate::model::serde_helpers::event_time",
        skip_serializing_if = "Option::is_none"
    )]
    pub event_time: Option<u64>,
}

impl CallbackEvent for AfterFollowDelete {
    const COMMAND: &'static str = "Follow.CallbackAfterFollowDelete";
}
