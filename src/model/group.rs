//! The `Group.*` callbacks that are not about topics: group lifecycle, members, group
//! messages, group attributes, read receipts and the daily group quota alarm.

use serde::{Deserialize, Serialize};

use crate::model::{CallbackEvent, GroupType, KeyValue, Member, MsgElement, MsgExtension};

/// `Group.CallbackBeforeCreateGroup`: a user or the app admin asked to create a group.
///
/// A before-callback: Tencent waits for the reply and acts on it. Answer with a
/// crate::ApprovalReply (`ErrorCode` 0 allows; 1 refuses and the caller gets 10016; a code
/// in [10100, 10200] refuses and is passed to the client). The group does not exist yet,
/// so there is no `GroupId`.
///
/// [Tencent's page](https://www.tencentcloud.com/document/product/1047/34368)
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct BeforeCreateGroup {
    /// `CallbackCommand`: `Group.CallbackBeforeCreateGroup`.
    #[serde(
        rename = "CallbackCommand",
        default,
        skip_serializing_if = "String::is_empty"
    )]
    pub callback_command: String,
    /// `Operator_Account`: the UserID of who asked to create the group (the app admin for
    /// REST API calls).
    #[serde(rename = "Operator_Account")]
    pub operator_account: String,
    /// `Owner_Account`: the UserID of the owner the group would have.
    #[serde(
        rename = "Owner_Account",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub owner_account: Option<String>,
    /// `Type`: the type of the group to create.
    #[serde(rename = "Type", default, skip_serializing_if = "Option::is_none")]
    pub group_type: Option<GroupType>,
    /// `Name`: the name of the group to create.
    #[serde(rename = "Name", default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// `CreateGroupNum`: how many groups of this type the operator has already created.
    #[serde(
        rename = "CreateGroupNum",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub create_group_num: Option<u64>,
    /// `MemberList`: the initial members of the group to create.
    #[serde(rename = "MemberList", default)]
    pub member_list: Vec<Member>,
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

impl CallbackEvent for BeforeCreateGroup {
    const COMMAND: &'static str = "Group.CallbackBeforeCreateGroup";
}

/// `Group.CallbackAfterCreateGroup`: a group was created.
///
/// An after-callback: the reply is only acknowledged.
///
/// [Tencent's page](https://www.tencentcloud.com/document/product/1047/34369)
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AfterCreateGroup {
    /// `CallbackCommand`: `Group.CallbackAfterCreateGroup`.
    #[serde(
        rename = "CallbackCommand",
        default,
        skip_serializing_if = "String::is_empty"
    )]
    pub callback_command: String,
    /// `GroupId`: the new group.
    #[serde(rename = "GroupId")]
    pub group_id: String,
    /// `Operator_Account`: the UserID of who created the group.
    #[serde(
        rename = "Operator_Account",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub operator_account: Option<String>,
    /// `Owner_Account`: the UserID of the group's owner.
    #[serde(
        rename = "Owner_Account",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub owner_account: Option<String>,
    /// `Type`: the group's type.
    #[serde(rename = "Type", default, skip_serializing_if = "Option::is_none")]
    pub group_type: Option<GroupType>,
    /// `Name`: the group's name.
    #[serde(rename = "Name", default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// `MemberList`: the group's initial members.
    #[serde(rename = "MemberList", default)]
    pub member_list: Vec<Member>,
    /// `UserDefinedDataList`: the custom group fields set at creation (custom fields are
    /// off by default and must be enabled in the console).
    #[serde(rename = "UserDefinedDataList", default)]
    pub user_defined_data_list: Vec<KeyValue>,
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

impl CallbackEvent for AfterCreateGroup {
    const COMMAND: &'static str = "Group.CallbackAfterCreateGroup";
}

/// `Group.CallbackBeforeApplyJoinGroup`: a user asked to join a group.
///
/// A before-callback: Tencent waits for the reply and acts on it. Answer with a
/// crate::ApprovalReply (0 allows, 1 refuses with 10016, [10100, 10200] is a custom
/// refusal). If the group requires admin approval, that approval is still needed after a 0.
///
/// [Tencent's page](https://www.tencentcloud.com/document/product/1047/34370)
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct BeforeApplyJoinGroup {
    /// `CallbackCommand`: `Group.CallbackBeforeApplyJoinGroup`.
    #[serde(
        rename = "CallbackCommand",
        default,
        skip_serializing_if = "String::is_empty"
    )]
    pub callback_command: String,
    /// `GroupId`: the group the user asks to join.
    #[serde(rename = "GroupId")]
    pub group_id: String,
    /// `Type`: the group's type.
    #[serde(rename = "Type", default, skip_serializing_if = "Option::is_none")]
    pub group_type: Option<GroupType>,
    /// `Requestor_Account`: the UserID of the user asking to join.
    #[serde(
        rename = "Requestor_Account",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub requestor_account: Option<String>,
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

impl CallbackEvent for BeforeApplyJoinGroup {
    const COMMAND: &'static str = "Group.CallbackBeforeApplyJoinGroup";
}

/// `Group.CallbackBeforeInviteJoinGroup`: a member (or the app admin) is adding users to
/// a group.
///
/// A before-callback: Tencent waits for the reply and acts on it. Answer with a
/// crate::ApprovalReply (0 allows, 1 refuses with 10016, [10100, 10200] is a custom
/// refusal); a reply may refuse only some users (`RefusedMembers_Account`).
///
/// [Tencent's page](https://www.tencentcloud.com/document/product/1047/34371)
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct BeforeInviteJoinGroup {
    /// `CallbackCommand`: `Group.CallbackBeforeInviteJoinGroup`.
    #[serde(
        rename = "CallbackCommand",
        default,
        skip_serializing_if = "String::is_empty"
    )]
    pub callback_command: String,
    /// `GroupId`: the group the users are added to.
    #[serde(rename = "GroupId")]
    pub group_id: String,
    /// `Type`: the group's type.
    #[serde(rename = "Type", default, skip_serializing_if = "Option::is_none")]
    pub group_type: Option<GroupType>,
    /// `Operator_Account`: the UserID of who sends the invitation.
    #[serde(
        rename = "Operator_Account",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub operator_account: Option<String>,
    /// `DestinationMembers`: the users to be added.
    #[serde(rename = "DestinationMembers", default)]
    pub destination_members: Vec<Member>,
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

impl CallbackEvent for BeforeInviteJoinGroup {
    const COMMAND: &'static str = "Group.CallbackBeforeInviteJoinGroup";
}

/// `Group.CallbackAfterNewMemberJoin`: users joined a group (by request, by invitation or
/// added through the REST API).
///
/// An after-callback: the reply is only acknowledged.
///
/// [Tencent's page](https://www.tencentcloud.com/document/product/1047/34372)
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct GroupAfterNewMemberJoin {
    /// `CallbackCommand`: `Group.CallbackAfterNewMemberJoin`.
    #[serde(
        rename = "CallbackCommand",
        default,
        skip_serializing_if = "String::is_empty"
    )]
    pub callback_command: String,
    /// `GroupId`: the group joined.
    #[serde(rename = "GroupId")]
    pub group_id: String,
    /// `Type`: the group's type.
    #[serde(rename = "Type", default, skip_serializing_if = "Option::is_none")]
    pub group_type: Option<GroupType>,
    /// `JoinType`: how they joined. Documented values: `Apply` (by request), `Invited`
    /// (by invitation).
    #[serde(rename = "JoinType", default, skip_serializing_if = "Option::is_none")]
    pub join_type: Option<String>,
    /// `Operator_Account`: the UserID of who made the request.
    #[serde(
        rename = "Operator_Account",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub operator_account: Option<String>,
    /// `NewMemberList`: the new members.
    #[serde(rename = "NewMemberList", default)]
    pub new_member_list: Vec<Member>,
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

impl CallbackEvent for GroupAfterNewMemberJoin {
    const COMMAND: &'static str = "Group.CallbackAfterNewMemberJoin";
}

/// `Group.CallbackAfterMemberExit`: members left a group or were removed from it.
///
/// An after-callback: the reply is only acknowledged.
///
/// [Tencent's page](https://www.tencentcloud.com/document/product/1047/34373)
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct GroupAfterMemberExit {
    /// `CallbackCommand`: `Group.CallbackAfterMemberExit`.
    #[serde(
        rename = "CallbackCommand",
        default,
        skip_serializing_if = "String::is_empty"
    )]
    pub callback_command: String,
    /// `GroupId`: the group left.
    #[serde(rename = "GroupId")]
    pub group_id: String,
    /// `Type`: the group's type.
    #[serde(rename = "Type", default, skip_serializing_if = "Option::is_none")]
    pub group_type: Option<GroupType>,
    /// `ExitType`: how they left. Documented values: `Kicked` (removed), `Quit` (left on
    /// their own).
    #[serde(rename = "ExitType", default, skip_serializing_if = "Option::is_none")]
    pub exit_type: Option<String>,
    /// `Operator_Account`: the UserID of who made the request.
    #[serde(
        rename = "Operator_Account",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub operator_account: Option<String>,
    /// `ExitMemberList`: the members who left.
    #[serde(rename = "ExitMemberList", default)]
    pub exit_member_list: Vec<Member>,
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

impl CallbackEvent for GroupAfterMemberExit {
    const COMMAND: &'static str = "Group.CallbackAfterMemberExit";
}

/// `Group.CallbackBeforeSendMsg`: a group message is about to be delivered.
///
/// A before-callback: Tencent waits for the reply and acts on it. Answer with a
/// crate::BeforeSendReply to allow, refuse, drop or change the message.
///
/// [Tencent's page](https://cloud.tencent.com/document/product/269/1619)
/// ([international](https://www.tencentcloud.com/document/product/1047/34374))
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct GroupBeforeSendMsg {
    /// `CallbackCommand`: `Group.CallbackBeforeSendMsg`.
    #[serde(
        rename = "CallbackCommand",
        default,
        skip_serializing_if = "String::is_empty"
    )]
    pub callback_command: String,
    /// `GroupId`: the group the message is sent to.
    #[serde(rename = "GroupId")]
    pub group_id: String,
    /// `Type`: the group's type.
    #[serde(rename = "Type", default, skip_serializing_if = "Option::is_none")]
    pub group_type: Option<GroupType>,
    /// `From_Account`: the sender's UserID.
    #[serde(rename = "From_Account")]
    pub from_account: String,
    /// `Operator_Account`: who issued the send request (an admin for REST API sends).
    #[serde(
        rename = "Operator_Account",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub operator_account: Option<String>,
    /// `Random`: the unsigned 32-bit random number of the send request.
    #[serde(rename = "Random", default)]
    pub random: u32,
    /// `OnlineOnlyFlag`: `1` for an online-only message, else `0` (live-streaming groups
    /// always send `0`).
    #[serde(
        rename = "OnlineOnlyFlag",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub online_only_flag: Option<u32>,
    /// `MsgBody`: the message's elements.
    #[serde(rename = "MsgBody", default)]
    pub msg_body: Vec<MsgElement>,
    /// `CloudCustomData`: the message's custom data.
    #[serde(
        rename = "CloudCustomData",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub cloud_custom_data: Option<String>,
    /// `TopicId`: the topic, in communities with topics.
    #[serde(rename = "TopicId", default, skip_serializing_if = "Option::is_none")]
    pub topic_id: Option<String>,
    /// `EventTime`: when the event happened, in Unix milliseconds (a number or a string on
    /// the wire; absent in older payloads).
    #[serde(
        rename = "EventTime",
        default,
        with = "crate::model::serde_helpers::event_time",
        skip_serializing_if = "Option::is_none"
    )]
    pub event_time: Option<u64>,
}

impl GroupBeforeSendMsg {
    /// Whether the message is online-only (`OnlineOnlyFlag` is `1`).
    pub fn is_online_only(&self) -> bool {
        self.online_only_flag == Some(1)
    }
}

impl CallbackEvent for GroupBeforeSendMsg {
    const COMMAND: &'static str = "Group.CallbackBeforeSendMsg";
}

/// `Group.CallbackAfterSendMsg`: a group message was sent.
///
/// An after-callback: the reply is only acknowledged.
///
/// [Tencent's page](https://cloud.tencent.com/document/product/269/2661)
/// ([international](https://www.tencentcloud.com/document/product/1047/34375))
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct GroupAfterSendMsg {
    /// `CallbackCommand`: `Group.CallbackAfterSendMsg`.
    #[serde(
        rename = "CallbackCommand",
        default,
        skip_serializing_if = "String::is_empty"
    )]
    pub callback_command: String,
    /// `GroupId`: the group the message was sent to.
    #[serde(rename = "GroupId")]
    pub group_id: String,
    /// `Type`: the group's type.
    #[serde(rename = "Type", default, skip_serializing_if = "Option::is_none")]
    pub group_type: Option<GroupType>,
    /// `From_Account`: the sender's UserID.
    #[serde(rename = "From_Account")]
    pub from_account: String,
    /// `Operator_Account`: who issued the send request (an admin for REST API sends).
    #[serde(
        rename = "Operator_Account",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub operator_account: Option<String>,
    /// `Random`: the unsigned 32-bit random number of the send request.
    #[serde(rename = "Random", default)]
    pub random: u32,
    /// `OnlineOnlyFlag`: `1` for an online-only message, else `0` (live-streaming groups
    /// always send `0`).
    #[serde(
        rename = "OnlineOnlyFlag",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub online_only_flag: Option<u32>,
    /// `MsgBody`: the message's elements.
    #[serde(rename = "MsgBody", default)]
    pub msg_body: Vec<MsgElement>,
    /// `CloudCustomData`: the message's custom data.
    #[serde(
        rename = "CloudCustomData",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub cloud_custom_data: Option<String>,
    /// `TopicId`: the topic, in communities with topics.
    #[serde(rename = "TopicId", default, skip_serializing_if = "Option::is_none")]
    pub topic_id: Option<String>,
    /// `MsgId`: the message's id on the client (newer payloads).
    #[serde(rename = "MsgId", default, skip_serializing_if = "Option::is_none")]
    pub msg_id: Option<String>,
    /// `MsgSeq`: the message's sequence number in the group (later messages have larger
    /// numbers).
    #[serde(rename = "MsgSeq", default, skip_serializing_if = "Option::is_none")]
    pub msg_seq: Option<u64>,
    /// `MsgTime`: when the message was sent, in Unix seconds.
    #[serde(rename = "MsgTime", default, skip_serializing_if = "Option::is_none")]
    pub msg_time: Option<u64>,
    /// `GroupAtInfo`: who the message @-mentions.
    #[serde(rename = "GroupAtInfo", default, skip_serializing_if = "Vec::is_empty")]
    pub group_at_info: Vec<GroupAt>,
    /// `EventTime`: when the event happened, in Unix milliseconds (a number or a string on
    /// the wire; absent in older payloads).
    #[serde(
        rename = "EventTime",
        default,
        with = "crate::model::serde_helpers::event_time",
        skip_serializing_if = "Option::is_none"
    )]
    pub event_time: Option<u64>,
}

impl GroupAfterSendMsg {
    /// Whether the message is online-only (`OnlineOnlyFlag` is `1`).
    pub fn is_online_only(&self) -> bool {
        self.online_only_flag == Some(1)
    }
}

impl CallbackEvent for GroupAfterSendMsg {
    const COMMAND: &'static str = "Group.CallbackAfterSendMsg";
}

/// One @-mention of a group message (`GroupAtInfo` item).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct GroupAt {
    /// `GroupAtAllFlag`: `1` when the message mentions everyone, else `0`.
    #[serde(
        rename = "GroupAtAllFlag",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub group_at_all_flag: Option<u32>,
    /// `GroupAt_Account`: the mentioned member's UserID.
    #[serde(
        rename = "GroupAt_Account",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub group_at_account: Option<String>,
}

impl GroupAt {
    /// Whether this mention is @all.
    pub fn is_at_all(&self) -> bool {
        self.group_at_all_flag == Some(1)
    }
}

/// `Group.CallbackAfterGroupFull`: a group reached its member limit.
///
/// An after-callback: the reply is only acknowledged.
///
/// [Tencent's page](https://www.tencentcloud.com/document/product/1047/34376)
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AfterGroupFull {
    /// `CallbackCommand`: `Group.CallbackAfterGroupFull`.
    #[serde(
        rename = "CallbackCommand",
        default,
        skip_serializing_if = "String::is_empty"
    )]
    pub callback_command: String,
    /// `GroupId`: the full group.
    #[serde(rename = "GroupId")]
    pub group_id: String,
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

impl CallbackEvent for AfterGroupFull {
    const COMMAND: &'static str = "Group.CallbackAfterGroupFull";
}

/// `Group.CallbackAfterGroupDestroyed`: a group was disbanded.
///
/// An after-callback: the reply is only acknowledged.
///
/// [Tencent's page](https://www.tencentcloud.com/document/product/1047/34377)
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AfterGroupDestroyed {
    /// `CallbackCommand`: `Group.CallbackAfterGroupDestroyed`.
    #[serde(
        rename = "CallbackCommand",
        default,
        skip_serializing_if = "String::is_empty"
    )]
    pub callback_command: String,
    /// `GroupId`: the disbanded group.
    #[serde(rename = "GroupId")]
    pub group_id: String,
    /// `Type`: the group's type.
    #[serde(rename = "Type", default, skip_serializing_if = "Option::is_none")]
    pub group_type: Option<GroupType>,
    /// `Owner_Account`: the UserID of the group's owner.
    #[serde(
        rename = "Owner_Account",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub owner_account: Option<String>,
    /// `Name`: the group's name.
    #[serde(rename = "Name", default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// `MemberList`: the group's members when it was disbanded. Tencent does not send it
    /// for communities, so it is empty for them.
    #[serde(rename = "MemberList", default)]
    pub member_list: Vec<Member>,
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

impl CallbackEvent for AfterGroupDestroyed {
    const COMMAND: &'static str = "Group.CallbackAfterGroupDestroyed";
}

/// `Group.CallbackAfterGroupInfoChanged`: a group's name, introduction, notification or
/// avatar URL changed.
///
/// Only the changed fields are sent, so each of them is `None` unless it changed. Other
/// group fields do not trigger the callback. An after-callback: the reply is only
/// acknowledged. It shares its console switch with `Group.CallbackAfterTopicInfoChanged`.
///
/// [Tencent's page](https://www.tencentcloud.com/document/product/1047/34378)
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AfterGroupInfoChanged {
    /// `CallbackCommand`: `Group.CallbackAfterGroupInfoChanged`.
    #[serde(
        rename = "CallbackCommand",
        default,
        skip_serializing_if = "String::is_empty"
    )]
    pub callback_command: String,
    /// `GroupId`: the changed group.
    #[serde(rename = "GroupId")]
    pub group_id: String,
    /// `Type`: the group's type.
    #[serde(rename = "Type", default, skip_serializing_if = "Option::is_none")]
    pub group_type: Option<GroupType>,
    /// `Operator_Account`: the UserID of who made the change.
    #[serde(
        rename = "Operator_Account",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub operator_account: Option<String>,
    /// `Name`: the new group name, if it changed.
    #[serde(rename = "Name", default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// `Introduction`: the new group introduction, if it changed.
    #[serde(
        rename = "Introduction",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub introduction: Option<String>,
    /// `Notification`: the new group notification, if it changed.
    #[serde(
        rename = "Notification",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub notification: Option<String>,
    /// `FaceUrl`: the new group avatar URL, if it changed.
    #[serde(rename = "FaceUrl", default, skip_serializing_if = "Option::is_none")]
    pub face_url: Option<String>,
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

impl CallbackEvent for AfterGroupInfoChanged {
    const COMMAND: &'static str = "Group.CallbackAfterGroupInfoChanged";
}

/// `Group.CallbackAfterRecallMsg`: group messages were recalled.
///
/// An after-callback: the reply is only acknowledged.
///
/// [Tencent's page](https://cloud.tencent.com/document/product/269/73141)
/// ([international](https://www.tencentcloud.com/document/product/1047/46979))
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct GroupAfterRecallMsg {
    /// `CallbackCommand`: `Group.CallbackAfterRecallMsg`.
    #[serde(
        rename = "CallbackCommand",
        default,
        skip_serializing_if = "String::is_empty"
    )]
    pub callback_command: String,
    /// `GroupId`: the group of the recalled messages.
    #[serde(rename = "GroupId")]
    pub group_id: String,
    /// `Type`: the group's type.
    #[serde(rename = "Type", default, skip_serializing_if = "Option::is_none")]
    pub group_type: Option<GroupType>,
    /// `Operator_Account`: the UserID of who recalled the messages.
    #[serde(
        rename = "Operator_Account",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub operator_account: Option<String>,
    /// `MsgSeqList`: the recalled messages.
    #[serde(rename = "MsgSeqList", default)]
    pub msg_seq_list: Vec<RecalledGroupMsg>,
    /// `TopicId`: the topic the messages were recalled in (communities with topics only).
    #[serde(rename = "TopicId", default, skip_serializing_if = "Option::is_none")]
    pub topic_id: Option<String>,
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

impl CallbackEvent for GroupAfterRecallMsg {
    const COMMAND: &'static str = "Group.CallbackAfterRecallMsg";
}

/// One recalled group message (`MsgSeqList` item of `Group.CallbackAfterRecallMsg`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct RecalledGroupMsg {
    /// `MsgSeq`: the recalled message's sequence number in the group.
    #[serde(rename = "MsgSeq")]
    pub msg_seq: u64,
    /// `MsgId`: the recalled message's id on the client (newer payloads).
    #[serde(rename = "MsgId", default, skip_serializing_if = "Option::is_none")]
    pub msg_id: Option<String>,
}

/// `Group.CallbackOnMemberStateChange`: members of an audio-video group went offline or
/// came back online.
///
/// Needs the "online audio-video group members" feature in the console. An
/// after-callback: the reply is only acknowledged.
///
/// [Tencent's page](https://www.tencentcloud.com/document/product/1047/48734)
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct GroupOnMemberStateChange {
    /// `CallbackCommand`: `Group.CallbackOnMemberStateChange`.
    #[serde(
        rename = "CallbackCommand",
        default,
        skip_serializing_if = "String::is_empty"
    )]
    pub callback_command: String,
    /// `GroupId`: the audio-video group.
    #[serde(rename = "GroupId")]
    pub group_id: String,
    /// `EventType`: documented values `Offline` (disconnected) and `Online` (reconnected).
    #[serde(rename = "EventType", default, skip_serializing_if = "Option::is_none")]
    pub event_type: Option<String>,
    /// `EventCause`: why. Documented values `HeartbeatInterrupt`, `HeartbeatRecover`,
    /// `Join` (first entry into the group), `Quit` (last exit from the group). In
    /// Tencent's table, not in its sample.
    #[serde(
        rename = "EventCause",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub event_cause: Option<String>,
    /// `MemberList`: the members the event is about.
    #[serde(rename = "MemberList", default)]
    pub member_list: Vec<Member>,
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

impl CallbackEvent for GroupOnMemberStateChange {
    const COMMAND: &'static str = "Group.CallbackOnMemberStateChange";
}

/// `Group.CallbackSendMsgException`: the IM backend failed to deliver a group message to
/// the group's members.
///
/// [`kind`](Self::kind) files the `ErrorCode`. An after-callback: the reply is fixed at
/// OK / 0 / "".
///
/// [Tencent's page](https://cloud.tencent.com/document/product/269/78619)
/// ([international](https://www.tencentcloud.com/document/product/1047/49462))
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SendMsgException {
    /// `CallbackCommand`: `Group.CallbackSendMsgException`.
    #[serde(
        rename = "CallbackCommand",
        default,
        skip_serializing_if = "String::is_empty"
    )]
    pub callback_command: String,
    /// `GroupId`: the group the message was sent to.
    #[serde(rename = "GroupId")]
    pub group_id: String,
    /// `Type`: the group's type.
    #[serde(rename = "Type", default, skip_serializing_if = "Option::is_none")]
    pub group_type: Option<GroupType>,
    /// `From_Account`: the sender's UserID.
    #[serde(rename = "From_Account")]
    pub from_account: String,
    /// `Operator_Account`: who issued the send request (an admin for REST API sends).
    #[serde(
        rename = "Operator_Account",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub operator_account: Option<String>,
    /// `Random`: the unsigned 32-bit random number of the send request.
    #[serde(rename = "Random", default)]
    pub random: u32,
    /// `OnlineOnlyFlag`: `1` for an online-only message, else `0` (live-streaming groups
    /// always send `0`).
    #[serde(
        rename = "OnlineOnlyFlag",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub online_only_flag: Option<u32>,
    /// `MsgBody`: the message's elements.
    #[serde(rename = "MsgBody", default)]
    pub msg_body: Vec<MsgElement>,
    /// `CloudCustomData`: the message's custom data.
    #[serde(
        rename = "CloudCustomData",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub cloud_custom_data: Option<String>,
    /// `TopicId`: the topic, in communities with topics.
    #[serde(rename = "TopicId", default, skip_serializing_if = "Option::is_none")]
    pub topic_id: Option<String>,
    /// `ErrorCode`: why delivery failed; see [`kind`](Self::kind).
    #[serde(rename = "ErrorCode")]
    pub error_code: i64,
    /// `ErrorInfo`: the failure in words.
    #[serde(rename = "ErrorInfo", default)]
    pub error_info: String,
    /// `EventTime`: when the event happened, in Unix milliseconds (a number or a string on
    /// the wire; absent in older payloads).
    #[serde(
        rename = "EventTime",
        default,
        with = "crate::model::serde_helpers::event_time",
        skip_serializing_if = "Option::is_none"
    )]
    pub event_time: Option<u64>,
}

impl SendMsgException {
    /// The category of [`error_code`](Self::error_code).
    pub fn kind(&self) -> ExceptionKind {
        ExceptionKind::from_code(self.error_code)
    }

    /// Whether the message is online-only (`OnlineOnlyFlag` is `1`).
    pub fn is_online_only(&self) -> bool {
        self.online_only_flag == Some(1)
    }
}

impl CallbackEvent for SendMsgException {
    const COMMAND: &'static str = "Group.CallbackSendMsgException";
}

/// Why a group message could not be delivered, by `ErrorCode`.
///
/// Tencent adds codes; unknown codes fall into [`Other`](Self::Other), and the raw code
/// stays in [`SendMsgException::error_code`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum ExceptionKind {
    /// Bad parameters, or the group does not exist: 10003, 10004, 10005, 10008, 10010,
    /// 10011, 10012, 10015, 10019.
    InvalidParameter,
    /// Sending too fast: 10006, 10023.
    RateLimited,
    /// Content security strike: 80001, 80004.
    SecurityStrike,
    /// The sender is muted: 10017.
    SenderMuted,
    /// The sender may not send here: 10007.
    PermissionDenied,
    /// Internal errors, a before-send callback's refusal, a disabled command, a body too
    /// long, and any code not listed above.
    Other,
}

impl ExceptionKind {
    /// Every category, in declaration order.
    pub const ALL: [ExceptionKind; 6] = [
        Self::InvalidParameter,
        Self::RateLimited,
        Self::SecurityStrike,
        Self::SenderMuted,
        Self::PermissionDenied,
        Self::Other,
    ];

    /// The category of an `ErrorCode`.
    pub fn from_code(code: i64) -> Self {
        match code {
            10003 | 10004 | 10005 | 10008 | 10010 | 10011 | 10012 | 10015 | 10019 => {
                Self::InvalidParameter
            }
            10006 | 10023 => Self::RateLimited,
            80001 | 80004 => Self::SecurityStrike,
            10017 => Self::SenderMuted,
            10007 => Self::PermissionDenied,
            _ => Self::Other,
        }
    }

    /// The category's name: `invalid_parameter`, `rate_limited`, `security_strike`,
    /// `sender_muted`, `permission_denied` or `other`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::InvalidParameter => "invalid_parameter",
            Self::RateLimited => "rate_limited",
            Self::SecurityStrike => "security_strike",
            Self::SenderMuted => "sender_muted",
            Self::PermissionDenied => "permission_denied",
            Self::Other => "other",
        }
    }
}

impl std::fmt::Display for ExceptionKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// `Group.CallbackAfterMemberFieldChanged`: a member's role or group name card changed.
///
/// An after-callback: the reply is only acknowledged.
///
/// [Tencent's page](https://www.tencentcloud.com/document/product/1047/60393)
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct GroupAfterMemberFieldChanged {
    /// `CallbackCommand`: `Group.CallbackAfterMemberFieldChanged`.
    #[serde(
        rename = "CallbackCommand",
        default,
        skip_serializing_if = "String::is_empty"
    )]
    pub callback_command: String,
    /// `GroupId`: the member's group.
    #[serde(rename = "GroupId")]
    pub group_id: String,
    /// `Type`: the group's type.
    #[serde(rename = "Type", default, skip_serializing_if = "Option::is_none")]
    pub group_type: Option<GroupType>,
    /// `Operator_Account`: the UserID of who made the change.
    #[serde(
        rename = "Operator_Account",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub operator_account: Option<String>,
    /// `Member_Account`: the UserID of the changed member. Tencent's page prints
    /// `Member_Account`, a peer SDK reads `Modified_Account`: both are accepted, and it is
    /// written back as `Member_Account`.
    #[serde(
        rename = "Member_Account",
        alias = "Modified_Account",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub member_account: Option<String>,
    /// `Role`: the member's new role, if it changed. Documented values `Admin` (made an
    /// admin) and `Member` (admin role removed).
    #[serde(rename = "Role", default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    /// `NameCard`: the member's new group name card, if it changed.
    #[serde(rename = "NameCard", default, skip_serializing_if = "Option::is_none")]
    pub name_card: Option<String>,
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

impl CallbackEvent for GroupAfterMemberFieldChanged {
    const COMMAND: &'static str = "Group.CallbackAfterMemberFieldChanged";
}

/// `Group.CallbackAfterGroupAttrChanged`: a group's custom attributes were set, modified,
/// cleared or deleted.
///
/// An after-callback: the reply is only acknowledged.
///
/// [Tencent's page](https://www.tencentcloud.com/document/product/1047/60394)
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AfterGroupAttrChanged {
    /// `CallbackCommand`: `Group.CallbackAfterGroupAttrChanged`.
    #[serde(
        rename = "CallbackCommand",
        default,
        skip_serializing_if = "String::is_empty"
    )]
    pub callback_command: String,
    /// `GroupId`: the changed group.
    #[serde(rename = "GroupId")]
    pub group_id: String,
    /// `Type`: the group's type.
    #[serde(rename = "Type", default, skip_serializing_if = "Option::is_none")]
    pub group_type: Option<GroupType>,
    /// `Operator_Account`: the UserID of who made the change.
    #[serde(
        rename = "Operator_Account",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub operator_account: Option<String>,
    /// `OptionType`: what was done. Documented values `set` (reset the attributes),
    /// `modify`, `clear` and `delete`. In the sample, not in Tencent's table.
    #[serde(
        rename = "OptionType",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub option_type: Option<String>,
    /// `GroupAttr`: the attributes concerned.
    #[serde(rename = "GroupAttr", default)]
    pub group_attr: Vec<GroupAttr>,
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

impl CallbackEvent for AfterGroupAttrChanged {
    const COMMAND: &'static str = "Group.CallbackAfterGroupAttrChanged";
}

/// One group custom attribute (`GroupAttr` item).
///
/// Unlike every other key-value list, Tencent writes these keys in lower case (`key`,
/// `value`); `Key` and `Value` are accepted too, and lower case is written back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct GroupAttr {
    /// `key`: the attribute's name.
    #[serde(rename = "key", alias = "Key")]
    pub key: String,
    /// `value`: the attribute's value (empty when not sent).
    #[serde(rename = "value", alias = "Value", default)]
    pub value: String,
}

/// `Group.CallbackAfterReadReceipt`: members sent read receipts for group messages.
///
/// Communities are not supported. An after-callback: the reply is only acknowledged.
///
/// [Tencent's page](https://www.tencentcloud.com/document/product/1047/60395)
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct GroupAfterReadReceipt {
    /// `CallbackCommand`: `Group.CallbackAfterReadReceipt`.
    #[serde(
        rename = "CallbackCommand",
        default,
        skip_serializing_if = "String::is_empty"
    )]
    pub callback_command: String,
    /// `GroupId`: the messages' group.
    #[serde(rename = "GroupId")]
    pub group_id: String,
    /// `Type`: the group's type.
    #[serde(rename = "Type", default, skip_serializing_if = "Option::is_none")]
    pub group_type: Option<GroupType>,
    /// `GroupMsgReceiptList`: the read state of each message concerned.
    #[serde(rename = "GroupMsgReceiptList", default)]
    pub group_msg_receipt_list: Vec<GroupMsgReceipt>,
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

impl CallbackEvent for GroupAfterReadReceipt {
    const COMMAND: &'static str = "Group.CallbackAfterReadReceipt";
}

/// The read state of one group message (`GroupMsgReceiptList` item).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct GroupMsgReceipt {
    /// `MsgSeq`: the message's sequence number in the group.
    #[serde(rename = "MsgSeq")]
    pub msg_seq: u64,
    /// `ReadNum`: how many members have read it.
    #[serde(rename = "ReadNum", default, skip_serializing_if = "Option::is_none")]
    pub read_num: Option<u64>,
    /// `UnreadNum`: how many members have not read it.
    #[serde(rename = "UnreadNum", default, skip_serializing_if = "Option::is_none")]
    pub unread_num: Option<u64>,
    /// `ReadReceiptMembers`: the members who have read it.
    #[serde(rename = "ReadReceiptMembers", default)]
    pub read_receipt_members: Vec<Member>,
}

/// `Group.CallbackAfterChangeGroupOwner`: a group's ownership was transferred.
///
/// An after-callback: the reply is only acknowledged.
///
/// [Tencent's page](https://www.tencentcloud.com/document/product/1047/60396)
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AfterChangeGroupOwner {
    /// `CallbackCommand`: `Group.CallbackAfterChangeGroupOwner`.
    #[serde(
        rename = "CallbackCommand",
        default,
        skip_serializing_if = "String::is_empty"
    )]
    pub callback_command: String,
    /// `GroupId`: the group.
    #[serde(rename = "GroupId")]
    pub group_id: String,
    /// `Type`: the group's type.
    #[serde(rename = "Type", default, skip_serializing_if = "Option::is_none")]
    pub group_type: Option<GroupType>,
    /// `Operator_Account`: the UserID of who transferred the ownership.
    #[serde(
        rename = "Operator_Account",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub operator_account: Option<String>,
    /// `OldOwner_Account`: the UserID of the previous owner.
    #[serde(
        rename = "OldOwner_Account",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub old_owner_account: Option<String>,
    /// `NewOwner_Account`: the UserID of the new owner.
    #[serde(
        rename = "NewOwner_Account",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub new_owner_account: Option<String>,
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

impl CallbackEvent for AfterChangeGroupOwner {
    const COMMAND: &'static str = "Group.CallbackAfterChangeGroupOwner";
}

/// `Group.CallbackOnDailyGroupQuotaAlarm`: the day's net group growth (groups created minus
/// groups disbanded) passed 70% of the app's daily limit.
///
/// An alert: not caused by one user action; the reply is only acknowledged.
///
/// [Tencent's page](https://www.tencentcloud.com/document/product/1047/57455)
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct OnDailyGroupQuotaAlarm {
    /// `CallbackCommand`: `Group.CallbackOnDailyGroupQuotaAlarm`.
    #[serde(
        rename = "CallbackCommand",
        default,
        skip_serializing_if = "String::is_empty"
    )]
    pub callback_command: String,
    /// `QuotaUsed`: the day's net number of new groups so far.
    #[serde(rename = "QuotaUsed")]
    pub quota_used: u64,
    /// `Quota`: the daily limit of net new groups.
    #[serde(rename = "Quota")]
    pub quota: u64,
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

impl CallbackEvent for OnDailyGroupQuotaAlarm {
    const COMMAND: &'static str = "Group.CallbackOnDailyGroupQuotaAlarm";
}

/// `Group.CallbackAfterGroupMsgExtension`: the extensions of a group message were set,
/// deleted or cleared.
///
/// An after-callback: the reply is only acknowledged.
///
/// [Tencent's page](https://cloud.tencent.com/document/product/269/126476)
/// ([international](https://www.tencentcloud.com/document/product/1047/76007))
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AfterGroupMsgExtension {
    /// `CallbackCommand`: `Group.CallbackAfterGroupMsgExtension`.
    #[serde(
        rename = "CallbackCommand",
        default,
        skip_serializing_if = "String::is_empty"
    )]
    pub callback_command: String,
    /// `GroupId`: the message's group.
    #[serde(rename = "GroupId")]
    pub group_id: String,
    /// `MsgSeq`: the message's sequence number in the group.
    #[serde(rename = "MsgSeq", default, skip_serializing_if = "Option::is_none")]
    pub msg_seq: Option<u64>,
    /// `OperateType`: `1` set extensions, `2` delete extensions, `3` clear all extensions.
    #[serde(
        rename = "OperateType",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub operate_type: Option<u32>,
    /// `ExtensionList`: the extensions concerned (deleted ones have an empty value; empty
    /// when all were cleared).
    #[serde(rename = "ExtensionList", default)]
    pub extension_list: Vec<MsgExtension>,
    /// `Seq`: the message's extension version after the change.
    #[serde(rename = "Seq", default, skip_serializing_if = "Option::is_none")]
    pub seq: Option<u64>,
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

impl CallbackEvent for AfterGroupMsgExtension {
    const COMMAND: &'static str = "Group.CallbackAfterGroupMsgExtension";
}
