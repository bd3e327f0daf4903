//! The `Group.*` callbacks: group lifecycle, members, group messages, group attributes,
//! read receipts, the daily group quota alarm, and the topics of communities.

use serde::{Deserialize, Serialize};
use serde_with::{formats::PreferMany, DefaultOnNull, OneOrMany};

use super::serde_helpers::NumberOrString;
use crate::model::{GroupType, KeyValue, Member, MsgElement, MsgExtension};

/// `Group.CallbackBeforeCreateGroup`: a user or the app admin asked to create a group.
///
/// A before-callback: Tencent waits for the reply and acts on it. Answer with a
/// `crate::reply::ApprovalReply<GroupCodes>` (`ErrorCode` 0 allows; 1 refuses and the caller gets 10016; a code
/// in [10100, 10200] refuses and is passed to the client). The group does not exist yet,
/// so there is no `GroupId`.
///
/// [Tencent's page](https://www.tencentcloud.com/document/product/1047/34368)
#[serde_with::serde_as]
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct BeforeCreateGroup {
    /// `CallbackCommand`: `Group.CallbackBeforeCreateGroup`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub callback_command: String,
    /// `Operator_Account`: the UserID of who asked to create the group (the app admin for
    /// REST API calls).
    #[serde(rename = "Operator_Account")]
    pub operator_account: String,
    /// `Owner_Account`: the UserID of the owner the group would have.
    #[serde(rename = "Owner_Account")]
    pub owner_account: Option<String>,
    /// `Type`: the type of the group to create.
    #[serde(rename = "Type")]
    pub group_type: Option<GroupType>,
    /// `Name`: the name of the group to create.
    pub name: Option<String>,
    /// `CreateGroupNum`: how many groups of this type the operator has already created.
    pub create_group_num: Option<u64>,
    /// `MemberList`: the initial members of the group to create.
    #[serde(default)]
    pub member_list: Vec<Member>,
    /// `EventTime`: when the event happened, in Unix milliseconds (a number or a string on
    /// the wire).
    #[serde_as(as = "Option<NumberOrString>")]
    pub event_time: Option<u64>,
}

/// `Group.CallbackAfterCreateGroup`: a group was created.
///
/// An after-callback: the reply is only acknowledged.
///
/// [Tencent's page](https://www.tencentcloud.com/document/product/1047/34369)
#[serde_with::serde_as]
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct AfterCreateGroup {
    /// `CallbackCommand`: `Group.CallbackAfterCreateGroup`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub callback_command: String,
    /// `GroupId`: the new group.
    pub group_id: String,
    /// `Operator_Account`: the UserID of who created the group.
    #[serde(rename = "Operator_Account")]
    pub operator_account: Option<String>,
    /// `Owner_Account`: the UserID of the group's owner.
    #[serde(rename = "Owner_Account")]
    pub owner_account: Option<String>,
    /// `Type`: the group's type.
    #[serde(rename = "Type")]
    pub group_type: Option<GroupType>,
    /// `Name`: the group's name.
    pub name: Option<String>,
    /// `MemberList`: the group's initial members.
    #[serde(default)]
    pub member_list: Vec<Member>,
    /// `UserDefinedDataList`: the custom group fields set at creation (custom fields are
    /// off by default and must be enabled in the console).
    #[serde(default)]
    pub user_defined_data_list: Vec<KeyValue>,
    /// `EventTime`: when the event happened, in Unix milliseconds (a number or a string on
    /// the wire).
    #[serde_as(as = "Option<NumberOrString>")]
    pub event_time: Option<u64>,
}

/// `Group.CallbackBeforeApplyJoinGroup`: a user asked to join a group.
///
/// A before-callback: Tencent waits for the reply and acts on it. Answer with a
/// `crate::reply::ApprovalReply<GroupCodes>` (0 allows, 1 refuses with 10016, [10100, 10200] is a custom
/// refusal). If the group requires admin approval, that approval is still needed after a 0.
///
/// [Tencent's page](https://www.tencentcloud.com/document/product/1047/34370)
#[serde_with::serde_as]
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct BeforeApplyJoinGroup {
    /// `CallbackCommand`: `Group.CallbackBeforeApplyJoinGroup`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub callback_command: String,
    /// `GroupId`: the group the user asks to join.
    pub group_id: String,
    /// `Type`: the group's type.
    #[serde(rename = "Type")]
    pub group_type: Option<GroupType>,
    /// `Requestor_Account`: the UserID of the user asking to join.
    #[serde(rename = "Requestor_Account")]
    pub requestor_account: Option<String>,
    /// `ApplyMsg`: the message of the join request (printed by the Chinese page,
    /// cloud.tencent.com 269/1665).
    pub apply_msg: Option<String>,
    /// `TopicId`: the topic, sent for private topics only (the Chinese page's table).
    pub topic_id: Option<String>,
    /// `EventTime`: when the event happened, in Unix milliseconds (a number or a string on
    /// the wire).
    #[serde_as(as = "Option<NumberOrString>")]
    pub event_time: Option<u64>,
}

/// `Group.CallbackBeforeInviteJoinGroup`: a member (or the app admin) is adding users to
/// a group.
///
/// A before-callback: Tencent waits for the reply and acts on it. Answer with a
/// `crate::reply::ApprovalReply<GroupCodes>` (0 allows, 1 refuses with 10016, [10100, 10200] is a custom
/// refusal); a reply may refuse only some users (`RefusedMembers_Account`).
///
/// [Tencent's page](https://www.tencentcloud.com/document/product/1047/34371)
#[serde_with::serde_as]
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct BeforeInviteJoinGroup {
    /// `CallbackCommand`: `Group.CallbackBeforeInviteJoinGroup`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub callback_command: String,
    /// `GroupId`: the group the users are added to.
    pub group_id: String,
    /// `Type`: the group's type.
    #[serde(rename = "Type")]
    pub group_type: Option<GroupType>,
    /// `Operator_Account`: the UserID of who sends the invitation.
    #[serde(rename = "Operator_Account")]
    pub operator_account: Option<String>,
    /// `DestinationMembers`: the users to be added.
    #[serde(default)]
    pub destination_members: Vec<Member>,
    /// `TopicId`: the topic, sent for private topics only (the Chinese page's table,
    /// cloud.tencent.com 269/1666).
    pub topic_id: Option<String>,
    /// `EventTime`: when the event happened, in Unix milliseconds (a number or a string on
    /// the wire).
    #[serde_as(as = "Option<NumberOrString>")]
    pub event_time: Option<u64>,
}

/// `Group.CallbackAfterNewMemberJoin`: users joined a group (by request, by invitation or
/// added through the REST API).
///
/// An after-callback: the reply is only acknowledged.
///
/// [Tencent's page](https://www.tencentcloud.com/document/product/1047/34372)
#[serde_with::serde_as]
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct AfterNewMemberJoin {
    /// `CallbackCommand`: `Group.CallbackAfterNewMemberJoin`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub callback_command: String,
    /// `GroupId`: the group joined.
    pub group_id: String,
    /// `Type`: the group's type.
    #[serde(rename = "Type")]
    pub group_type: Option<GroupType>,
    /// `JoinType`: how they joined. Documented values: `Apply` (by request), `Invited`
    /// (by invitation).
    pub join_type: Option<String>,
    /// `Operator_Account`: the UserID of who made the request.
    #[serde(rename = "Operator_Account")]
    pub operator_account: Option<String>,
    /// `NewMemberList`: the new members.
    #[serde(default)]
    pub new_member_list: Vec<Member>,
    /// `EventTime`: when the event happened, in Unix milliseconds (a number or a string on
    /// the wire).
    #[serde_as(as = "Option<NumberOrString>")]
    pub event_time: Option<u64>,
}

/// `Group.CallbackAfterMemberExit`: members left a group or were removed from it.
///
/// An after-callback: the reply is only acknowledged.
///
/// [Tencent's page](https://www.tencentcloud.com/document/product/1047/34373)
#[serde_with::serde_as]
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct AfterMemberExit {
    /// `CallbackCommand`: `Group.CallbackAfterMemberExit`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub callback_command: String,
    /// `GroupId`: the group left.
    pub group_id: String,
    /// `Type`: the group's type.
    #[serde(rename = "Type")]
    pub group_type: Option<GroupType>,
    /// `ExitType`: how they left. Documented values: `Kicked` (removed), `Quit` (left on
    /// their own).
    pub exit_type: Option<String>,
    /// `Operator_Account`: the UserID of who made the request.
    #[serde(rename = "Operator_Account")]
    pub operator_account: Option<String>,
    /// `ExitMemberList`: the members who left.
    #[serde(default)]
    pub exit_member_list: Vec<Member>,
    /// `EventTime`: when the event happened, in Unix milliseconds (a number or a string on
    /// the wire).
    #[serde_as(as = "Option<NumberOrString>")]
    pub event_time: Option<u64>,
}

/// `Group.CallbackBeforeSendMsg`: a group message is about to be delivered.
///
/// A before-callback: Tencent waits for the reply and acts on it. Answer with a
/// `crate::reply::BeforeSendReply<GroupCodes>` to allow, refuse, drop or change the message.
///
/// [Tencent's page](https://cloud.tencent.com/document/product/269/1619)
/// ([international](https://www.tencentcloud.com/document/product/1047/34374))
#[serde_with::serde_as]
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct BeforeSendMsg {
    /// `CallbackCommand`: `Group.CallbackBeforeSendMsg`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub callback_command: String,
    /// `GroupId`: the group the message is sent to.
    pub group_id: String,
    /// `Type`: the group's type.
    #[serde(rename = "Type")]
    pub group_type: Option<GroupType>,
    /// `From_Account`: the sender's UserID.
    #[serde(rename = "From_Account")]
    pub from_account: String,
    /// `Operator_Account`: who issued the send request (an admin for REST API sends).
    #[serde(rename = "Operator_Account")]
    pub operator_account: Option<String>,
    /// `Random`: the unsigned 32-bit random number of the send request.
    #[serde(default)]
    pub random: u32,
    /// `MsgId`: the message's id on the client (printed by the Chinese page, cloud.tencent.com
    /// 269/1619).
    pub msg_id: Option<String>,
    /// `OnlineOnlyFlag`: `1` for an online-only message, else `0` (live-streaming groups
    /// always send `0`).
    pub online_only_flag: Option<u32>,
    /// `MsgBody`: the message's elements.
    #[serde(default)]
    pub msg_body: Vec<MsgElement>,
    /// `CloudCustomData`: the message's custom data.
    pub cloud_custom_data: Option<String>,
    /// `TopicId`: the topic, in communities with topics.
    pub topic_id: Option<String>,
    /// `EventTime`: when the event happened, in Unix milliseconds (a number or a string on
    /// the wire; absent in older payloads).
    #[serde_as(as = "Option<NumberOrString>")]
    pub event_time: Option<u64>,
}

impl BeforeSendMsg {
    /// Whether the message is online-only (`OnlineOnlyFlag` is `1`).
    pub fn is_online_only(&self) -> bool {
        self.online_only_flag == Some(1)
    }
}

/// `Group.CallbackAfterSendMsg`: a group message was sent.
///
/// An after-callback: the reply is only acknowledged.
///
/// [Tencent's page](https://cloud.tencent.com/document/product/269/2661)
/// ([international](https://www.tencentcloud.com/document/product/1047/34375))
#[serde_with::serde_as]
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct AfterSendMsg {
    /// `CallbackCommand`: `Group.CallbackAfterSendMsg`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub callback_command: String,
    /// `GroupId`: the group the message was sent to.
    pub group_id: String,
    /// `Type`: the group's type.
    #[serde(rename = "Type")]
    pub group_type: Option<GroupType>,
    /// `From_Account`: the sender's UserID.
    #[serde(rename = "From_Account")]
    pub from_account: String,
    /// `Operator_Account`: who issued the send request (an admin for REST API sends).
    #[serde(rename = "Operator_Account")]
    pub operator_account: Option<String>,
    /// `Random`: the unsigned 32-bit random number of the send request.
    #[serde(default)]
    pub random: u32,
    /// `OnlineOnlyFlag`: `1` for an online-only message, else `0` (live-streaming groups
    /// always send `0`).
    pub online_only_flag: Option<u32>,
    /// `MsgBody`: the message's elements.
    #[serde(default)]
    pub msg_body: Vec<MsgElement>,
    /// `CloudCustomData`: the message's custom data.
    pub cloud_custom_data: Option<String>,
    /// `TopicId`: the topic, in communities with topics.
    pub topic_id: Option<String>,
    /// `MsgId`: the message's id on the client (newer payloads).
    pub msg_id: Option<String>,
    /// `MsgSeq`: the message's sequence number in the group (later messages have larger
    /// numbers).
    pub msg_seq: Option<u64>,
    /// `MsgTime`: when the message was sent, in Unix seconds.
    pub msg_time: Option<u64>,
    /// `GroupAtInfo`: who the message @-mentions.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub group_at_info: Vec<GroupAt>,
    /// `EventTime`: when the event happened, in Unix milliseconds (a number or a string on
    /// the wire; absent in older payloads).
    #[serde_as(as = "Option<NumberOrString>")]
    pub event_time: Option<u64>,
}

impl AfterSendMsg {
    /// Whether the message is online-only (`OnlineOnlyFlag` is `1`).
    pub fn is_online_only(&self) -> bool {
        self.online_only_flag == Some(1)
    }
}

/// One @-mention of a group message (`GroupAtInfo` item).
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct GroupAt {
    /// `GroupAtAllFlag`: `1` when the message mentions everyone, else `0`.
    pub group_at_all_flag: Option<u32>,
    /// `GroupAt_Account`: the mentioned member's UserID.
    #[serde(rename = "GroupAt_Account")]
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
#[serde_with::serde_as]
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct AfterGroupFull {
    /// `CallbackCommand`: `Group.CallbackAfterGroupFull`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub callback_command: String,
    /// `GroupId`: the full group.
    pub group_id: String,
    /// `TopicId`: the full topic; sent only for private topics (仅私密话题支持).
    pub topic_id: Option<String>,
    /// `EventTime`: when the event happened, in Unix milliseconds (a number or a string on
    /// the wire).
    #[serde_as(as = "Option<NumberOrString>")]
    pub event_time: Option<u64>,
}

/// `Group.CallbackAfterGroupDestroyed`: a group was disbanded.
///
/// An after-callback: the reply is only acknowledged.
///
/// [Tencent's page](https://www.tencentcloud.com/document/product/1047/34377)
#[serde_with::serde_as]
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct AfterGroupDestroyed {
    /// `CallbackCommand`: `Group.CallbackAfterGroupDestroyed`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub callback_command: String,
    /// `GroupId`: the disbanded group.
    pub group_id: String,
    /// `Operator_Account`: the UserID of the operator who disbanded the group (printed by
    /// the Chinese page).
    #[serde(rename = "Operator_Account")]
    pub operator_account: Option<String>,
    /// `Type`: the group's type.
    #[serde(rename = "Type")]
    pub group_type: Option<GroupType>,
    /// `Owner_Account`: the UserID of the group's owner.
    #[serde(rename = "Owner_Account")]
    pub owner_account: Option<String>,
    /// `Name`: the group's name.
    pub name: Option<String>,
    /// `MemberList`: the group's members when it was disbanded. Tencent does not send it
    /// for communities, so it is empty for them.
    #[serde(default)]
    pub member_list: Vec<Member>,
    /// `EventTime`: when the event happened, in Unix milliseconds (a number or a string on
    /// the wire).
    #[serde_as(as = "Option<NumberOrString>")]
    pub event_time: Option<u64>,
}

/// `Group.CallbackAfterGroupInfoChanged`: a group's name, introduction, notification or
/// avatar URL changed.
///
/// Only the changed fields are sent, so each of them is `None` unless it changed. Other
/// group fields do not trigger the callback. An after-callback: the reply is only
/// acknowledged. It shares its console switch with `Group.CallbackAfterTopicInfoChanged`.
///
/// [Tencent's page](https://www.tencentcloud.com/document/product/1047/34378)
#[serde_with::serde_as]
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct AfterGroupInfoChanged {
    /// `CallbackCommand`: `Group.CallbackAfterGroupInfoChanged`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub callback_command: String,
    /// `GroupId`: the changed group.
    pub group_id: String,
    /// `Type`: the group's type.
    #[serde(rename = "Type")]
    pub group_type: Option<GroupType>,
    /// `Operator_Account`: the UserID of who made the change.
    #[serde(rename = "Operator_Account")]
    pub operator_account: Option<String>,
    /// `Name`: the new group name, if it changed.
    pub name: Option<String>,
    /// `Introduction`: the new group introduction, if it changed.
    pub introduction: Option<String>,
    /// `Notification`: the new group notification, if it changed.
    pub notification: Option<String>,
    /// `FaceUrl`: the new group avatar URL, if it changed.
    pub face_url: Option<String>,
    /// `EventTime`: when the event happened, in Unix milliseconds (a number or a string on
    /// the wire).
    #[serde_as(as = "Option<NumberOrString>")]
    pub event_time: Option<u64>,
}

/// `Group.CallbackAfterRecallMsg`: group messages were recalled.
///
/// An after-callback: the reply is only acknowledged.
///
/// [Tencent's page](https://cloud.tencent.com/document/product/269/73141)
/// ([international](https://www.tencentcloud.com/document/product/1047/46979))
#[serde_with::serde_as]
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct AfterRecallMsg {
    /// `CallbackCommand`: `Group.CallbackAfterRecallMsg`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub callback_command: String,
    /// `GroupId`: the group of the recalled messages.
    pub group_id: String,
    /// `Type`: the group's type.
    #[serde(rename = "Type")]
    pub group_type: Option<GroupType>,
    /// `Operator_Account`: the UserID of who recalled the messages.
    #[serde(rename = "Operator_Account")]
    pub operator_account: Option<String>,
    /// `MsgSeqList`: the recalled messages.
    #[serde(default)]
    pub msg_seq_list: Vec<RecalledGroupMsg>,
    /// `TopicId`: the topic the messages were recalled in (communities with topics only).
    pub topic_id: Option<String>,
    /// `EventTime`: when the event happened, in Unix milliseconds (a number or a string on
    /// the wire).
    #[serde_as(as = "Option<NumberOrString>")]
    pub event_time: Option<u64>,
}

/// One recalled group message (`MsgSeqList` item of `Group.CallbackAfterRecallMsg`).
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct RecalledGroupMsg {
    /// `MsgSeq`: the recalled message's sequence number in the group.
    pub msg_seq: u64,
    /// `MsgId`: the recalled message's id on the client (newer payloads).
    pub msg_id: Option<String>,
}

/// `Group.CallbackOnMemberStateChange`: members of an audio-video group went offline or
/// came back online.
///
/// Needs the "online audio-video group members" feature in the console. An
/// after-callback: the reply is only acknowledged.
///
/// [Tencent's page](https://www.tencentcloud.com/document/product/1047/48734)
#[serde_with::serde_as]
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct OnMemberStateChange {
    /// `CallbackCommand`: `Group.CallbackOnMemberStateChange`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub callback_command: String,
    /// `GroupId`: the audio-video group.
    pub group_id: String,
    /// `EventType`: documented values `Offline` (disconnected) and `Online` (reconnected).
    pub event_type: Option<String>,
    /// `EventCause`: why. Documented values `HeartbeatInterrupt`, `HeartbeatRecover`,
    /// `Join` (first entry into the group), `Quit` (last exit from the group). In
    /// Tencent's table, not in its sample.
    pub event_cause: Option<String>,
    /// `MemberList`: the members the event is about.
    #[serde(default)]
    pub member_list: Vec<Member>,
    /// `EventTime`: when the event happened, in Unix milliseconds (a number or a string on
    /// the wire).
    #[serde_as(as = "Option<NumberOrString>")]
    pub event_time: Option<u64>,
}

/// `Group.CallbackSendMsgException`: the IM backend failed to deliver a group message to
/// the group's members.
///
/// [`kind`](Self::kind) files the `ErrorCode`. An after-callback: the reply is fixed at
/// OK / 0 / "".
///
/// [Tencent's page](https://cloud.tencent.com/document/product/269/78619)
/// ([international](https://www.tencentcloud.com/document/product/1047/49462))
#[serde_with::serde_as]
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct SendMsgException {
    /// `CallbackCommand`: `Group.CallbackSendMsgException`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub callback_command: String,
    /// `GroupId`: the group the message was sent to.
    pub group_id: String,
    /// `Type`: the group's type.
    #[serde(rename = "Type")]
    pub group_type: Option<GroupType>,
    /// `From_Account`: the sender's UserID.
    #[serde(rename = "From_Account")]
    pub from_account: String,
    /// `Operator_Account`: who issued the send request (an admin for REST API sends).
    #[serde(rename = "Operator_Account")]
    pub operator_account: Option<String>,
    /// `Random`: the unsigned 32-bit random number of the send request.
    #[serde(default)]
    pub random: u32,
    /// `OnlineOnlyFlag`: `1` for an online-only message, else `0` (live-streaming groups
    /// always send `0`).
    pub online_only_flag: Option<u32>,
    /// `MsgBody`: the message's elements.
    #[serde(default)]
    pub msg_body: Vec<MsgElement>,
    /// `CloudCustomData`: the message's custom data.
    pub cloud_custom_data: Option<String>,
    /// `TopicId`: the topic, in communities with topics.
    pub topic_id: Option<String>,
    /// `ErrorCode`: why delivery failed; see [`kind`](Self::kind).
    pub error_code: i64,
    /// `ErrorInfo`: the failure in words.
    #[serde(default)]
    pub error_info: String,
    /// `EventTime`: when the event happened, in Unix milliseconds (a number or a string on
    /// the wire; absent in older payloads).
    #[serde_as(as = "Option<NumberOrString>")]
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
#[serde_with::serde_as]
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct AfterMemberFieldChanged {
    /// `CallbackCommand`: `Group.CallbackAfterMemberFieldChanged`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub callback_command: String,
    /// `GroupId`: the member's group.
    pub group_id: String,
    /// `Type`: the group's type.
    #[serde(rename = "Type")]
    pub group_type: Option<GroupType>,
    /// `Operator_Account`: the UserID of who made the change.
    #[serde(rename = "Operator_Account")]
    pub operator_account: Option<String>,
    /// `Member_Account`: the UserID of the changed member. Tencent's page prints
    /// `Member_Account`, the Chinese page (cloud.tencent.com 269/105353) and a peer SDK
    /// `Modified_Account`: both are accepted, and it is
    /// written back as `Member_Account`.
    #[serde(rename = "Member_Account", alias = "Modified_Account")]
    pub member_account: Option<String>,
    /// `Role`: the member's new role, if it changed. Documented values `Admin` (made an
    /// admin) and `Member` (admin role removed).
    pub role: Option<String>,
    /// `NameCard`: the member's new group name card, if it changed.
    pub name_card: Option<String>,
    /// `EventTime`: when the event happened, in Unix milliseconds (a number or a string on
    /// the wire).
    #[serde_as(as = "Option<NumberOrString>")]
    pub event_time: Option<u64>,
}

/// `Group.CallbackAfterGroupAttrChanged`: a group's custom attributes were set, modified,
/// cleared or deleted.
///
/// An after-callback: the reply is only acknowledged.
///
/// [Tencent's page](https://www.tencentcloud.com/document/product/1047/60394)
#[serde_with::serde_as]
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct AfterGroupAttrChanged {
    /// `CallbackCommand`: `Group.CallbackAfterGroupAttrChanged`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub callback_command: String,
    /// `GroupId`: the changed group.
    pub group_id: String,
    /// `Type`: the group's type.
    #[serde(rename = "Type")]
    pub group_type: Option<GroupType>,
    /// `Operator_Account`: the UserID of who made the change.
    #[serde(rename = "Operator_Account")]
    pub operator_account: Option<String>,
    /// `OptionType`: what was done. Documented values `set` (reset the attributes),
    /// `modify`, `clear` and `delete`. In the sample, not in Tencent's table.
    pub option_type: Option<String>,
    /// `GroupAttr`: the attributes concerned.
    #[serde(default)]
    pub group_attr: Vec<GroupAttr>,
    /// `EventTime`: when the event happened, in Unix milliseconds (a number or a string on
    /// the wire).
    #[serde_as(as = "Option<NumberOrString>")]
    pub event_time: Option<u64>,
}

/// One group custom attribute (`GroupAttr` item).
///
/// Unlike every other key-value list, Tencent writes these keys in lower case (`key`,
/// `value`); `Key` and `Value` are accepted too, and lower case is written back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
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
#[serde_with::serde_as]
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct AfterReadReceipt {
    /// `CallbackCommand`: `Group.CallbackAfterReadReceipt`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub callback_command: String,
    /// `GroupId`: the messages' group.
    pub group_id: String,
    /// `Type`: the group's type.
    #[serde(rename = "Type")]
    pub group_type: Option<GroupType>,
    /// `GroupMsgReceiptList`: the read state of each message concerned.
    #[serde(default)]
    pub group_msg_receipt_list: Vec<GroupMsgReceipt>,
    /// `EventTime`: when the event happened, in Unix milliseconds (a number or a string on
    /// the wire).
    #[serde_as(as = "Option<NumberOrString>")]
    pub event_time: Option<u64>,
}

/// The read state of one group message (`GroupMsgReceiptList` item).
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct GroupMsgReceipt {
    /// `MsgSeq`: the message's sequence number in the group.
    pub msg_seq: u64,
    /// `ReadNum`: how many members have read it.
    pub read_num: Option<u64>,
    /// `UnreadNum`: how many members have not read it.
    pub unread_num: Option<u64>,
    /// `ReadReceiptMembers`: the members who have read it.
    #[serde(default)]
    pub read_receipt_members: Vec<Member>,
}

/// `Group.CallbackAfterChangeGroupOwner`: a group's ownership was transferred.
///
/// An after-callback: the reply is only acknowledged.
///
/// [Tencent's page](https://www.tencentcloud.com/document/product/1047/60396)
#[serde_with::serde_as]
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct AfterChangeGroupOwner {
    /// `CallbackCommand`: `Group.CallbackAfterChangeGroupOwner`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub callback_command: String,
    /// `GroupId`: the group.
    pub group_id: String,
    /// `Type`: the group's type.
    #[serde(rename = "Type")]
    pub group_type: Option<GroupType>,
    /// `Operator_Account`: the UserID of who transferred the ownership.
    #[serde(rename = "Operator_Account")]
    pub operator_account: Option<String>,
    /// `OldOwner_Account`: the UserID of the previous owner.
    #[serde(rename = "OldOwner_Account")]
    pub old_owner_account: Option<String>,
    /// `NewOwner_Account`: the UserID of the new owner.
    #[serde(rename = "NewOwner_Account")]
    pub new_owner_account: Option<String>,
    /// `EventTime`: when the event happened, in Unix milliseconds (a number or a string on
    /// the wire).
    #[serde_as(as = "Option<NumberOrString>")]
    pub event_time: Option<u64>,
}

/// `Group.CallbackOnDailyGroupQuotaAlarm`: the day's net group growth (groups created minus
/// groups disbanded) passed 70% of the app's daily limit.
///
/// An alert: not caused by one user action; the reply is only acknowledged.
///
/// [Tencent's page](https://www.tencentcloud.com/document/product/1047/57455)
#[serde_with::serde_as]
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct OnDailyGroupQuotaAlarm {
    /// `CallbackCommand`: `Group.CallbackOnDailyGroupQuotaAlarm`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub callback_command: String,
    /// `QuotaUsed`: the day's net number of new groups so far.
    pub quota_used: u64,
    /// `Quota`: the daily limit of net new groups.
    pub quota: u64,
    /// `EventTime`: when the event happened, in Unix milliseconds (a number or a string on
    /// the wire).
    #[serde_as(as = "Option<NumberOrString>")]
    pub event_time: Option<u64>,
}

/// `Group.CallbackAfterGroupMsgExtension`: the extensions of a group message were set,
/// deleted or cleared.
///
/// An after-callback: the reply is only acknowledged.
///
/// [Tencent's page](https://cloud.tencent.com/document/product/269/126476)
/// ([international](https://www.tencentcloud.com/document/product/1047/76007))
#[serde_with::serde_as]
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct AfterGroupMsgExtension {
    /// `CallbackCommand`: `Group.CallbackAfterGroupMsgExtension`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub callback_command: String,
    /// `GroupId`: the message's group.
    pub group_id: String,
    /// `MsgSeq`: the message's sequence number in the group.
    pub msg_seq: Option<u64>,
    /// `OperateType`: `1` set extensions, `2` delete extensions, `3` clear all extensions.
    pub operate_type: Option<u32>,
    /// `ExtensionList`: the extensions concerned (deleted ones have an empty value; empty
    /// when all were cleared).
    #[serde(default)]
    pub extension_list: Vec<MsgExtension>,
    /// `Seq`: the message's extension version after the change.
    pub seq: Option<u64>,
    /// `EventTime`: when the event happened, in Unix milliseconds (a number or a string on
    /// the wire).
    #[serde_as(as = "Option<NumberOrString>")]
    pub event_time: Option<u64>,
}

/// `Group.CallbackBeforeCreateTopic`: a user or the app admin asked to create a topic.
///
/// A before-callback: Tencent waits for the reply and acts on it. Answer with a
/// `crate::reply::ApprovalReply<GroupCodes>` (0 allows; 1 refuses and the caller gets 10016; a code in
/// [10100, 10200] refuses and is passed to the client). Shares its switch with
/// `Group.CallbackBeforeCreateGroup`.
///
/// [Tencent's page](https://www.tencentcloud.com/document/product/1047/49463)
#[serde_with::serde_as]
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct BeforeCreateTopic {
    /// `CallbackCommand`: `Group.CallbackBeforeCreateTopic`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub callback_command: String,
    /// `Operator_Account`: the UserID of who asked to create the topic.
    #[serde(rename = "Operator_Account")]
    pub operator_account: String,
    /// `GroupId`: the community the topic would belong to. Neither Tencent's table nor its
    /// sample has it; read when present.
    pub group_id: Option<String>,
    /// `Type`: the group's type (`Community`).
    #[serde(rename = "Type")]
    pub group_type: Option<GroupType>,
    /// `Name`: the name of the topic to create.
    pub name: Option<String>,
    /// `EventTime`: when the event happened, in Unix milliseconds (a number or a string on
    /// the wire; absent in Tencent's sample).
    #[serde_as(as = "Option<NumberOrString>")]
    pub event_time: Option<u64>,
}

/// `Group.CallbackAfterCreateTopic`: a topic was created.
///
/// An after-callback: the reply is only acknowledged. Shares its switch with
/// `Group.CallbackAfterCreateGroup`.
///
/// [Tencent's page](https://www.tencentcloud.com/document/product/1047/49464)
#[serde_with::serde_as]
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct AfterCreateTopic {
    /// `CallbackCommand`: `Group.CallbackAfterCreateTopic`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub callback_command: String,
    /// `GroupId`: the topic's community.
    pub group_id: String,
    /// `TopicId`: the new topic.
    pub topic_id: String,
    /// `Operator_Account`: the UserID of who created the topic.
    #[serde(rename = "Operator_Account")]
    pub operator_account: Option<String>,
    /// `Owner_Account`: the UserID of the group's owner.
    #[serde(rename = "Owner_Account")]
    pub owner_account: Option<String>,
    /// `Type`: the group's type (`Community`).
    #[serde(rename = "Type")]
    pub group_type: Option<GroupType>,
    /// `Name`: the topic's name.
    pub name: Option<String>,
    /// `UserDefinedDataList`: the custom topic fields set at creation (custom fields are
    /// off by default and must be enabled in the console).
    #[serde(default)]
    pub user_defined_data_list: Vec<KeyValue>,
    /// `EventTime`: when the event happened, in Unix milliseconds (a number or a string on
    /// the wire; absent in Tencent's sample).
    #[serde_as(as = "Option<NumberOrString>")]
    pub event_time: Option<u64>,
}

/// `Group.CallbackAfterTopicDestroyed`: topics were deleted.
///
/// An after-callback: the reply is only acknowledged. Shares its switch with
/// `Group.CallbackAfterGroupDestroyed`.
///
/// [Tencent's page](https://www.tencentcloud.com/document/product/1047/49465)
#[serde_with::serde_as]
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct AfterTopicDestroyed {
    /// `CallbackCommand`: `Group.CallbackAfterTopicDestroyed`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub callback_command: String,
    /// `GroupId`: the deleted topics' community.
    pub group_id: String,
    /// `Type`: the group's type (`Community`).
    #[serde(rename = "Type")]
    pub group_type: Option<GroupType>,
    /// `TopicIdList`: the deleted topics. Tencent's table types it as a string, its sample
    /// sends an array: both are read, and it is written as an array.
    #[serde_as(as = "DefaultOnNull<OneOrMany<_, PreferMany>>")]
    #[serde(default)]
    pub topic_id_list: Vec<String>,
    /// `EventTime`: when the event happened, in Unix milliseconds (a number or a string on
    /// the wire; absent in Tencent's sample).
    #[serde_as(as = "Option<NumberOrString>")]
    pub event_time: Option<u64>,
}

/// `Group.CallbackAfterTopicInfoChanged`: a topic's name, introduction, notification or
/// avatar URL changed.
///
/// Like `Group.CallbackAfterGroupInfoChanged` (whose switch it shares), each of these
/// fields is `None` unless it is sent. An after-callback: the reply is only acknowledged.
///
/// [Tencent's page](https://www.tencentcloud.com/document/product/1047/49466)
#[serde_with::serde_as]
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct AfterTopicInfoChanged {
    /// `CallbackCommand`: `Group.CallbackAfterTopicInfoChanged`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub callback_command: String,
    /// `GroupId`: the changed topic's community.
    pub group_id: String,
    /// `TopicId`: the changed topic. Neither Tencent's table nor its sample has it; read
    /// when present.
    pub topic_id: Option<String>,
    /// `Type`: the group's type (`Community`).
    #[serde(rename = "Type")]
    pub group_type: Option<GroupType>,
    /// `Operator_Account`: the UserID of who made the change.
    #[serde(rename = "Operator_Account")]
    pub operator_account: Option<String>,
    /// `Name`: the new topic name, if it changed.
    pub name: Option<String>,
    /// `Introduction`: the new topic introduction, if it changed.
    pub introduction: Option<String>,
    /// `Notification`: the new topic notification, if it changed.
    pub notification: Option<String>,
    /// `FaceUrl`: the new topic avatar URL, if it changed.
    pub face_url: Option<String>,
    /// `EventTime`: when the event happened, in Unix milliseconds (a number or a string on
    /// the wire; absent in Tencent's sample).
    #[serde_as(as = "Option<NumberOrString>")]
    pub event_time: Option<u64>,
}
