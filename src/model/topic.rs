//! The topic callbacks of communities with topics (`Group.*Topic*`). Topics must be
//! enabled in the console; each shares its console switch with the matching group
//! callback.

use serde::{Deserialize, Serialize};

use crate::model::{CallbackEvent, GroupType, KeyValue};

/// `Group.CallbackBeforeCreateTopic`: a user or the app admin asked to create a topic.
///
/// A before-callback: Tencent waits for the reply and acts on it. Answer with a
/// crate::ApprovalReply (0 allows; 1 refuses and the caller gets 10016; a code in
/// [10100, 10200] refuses and is passed to the client). Shares its switch with
/// `Group.CallbackBeforeCreateGroup`.
///
/// [Tencent's page](https://www.tencentcloud.com/document/product/1047/49463)
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct BeforeCreateTopic {
    /// `CallbackCommand`: `Group.CallbackBeforeCreateTopic`.
    #[serde(
        rename = "CallbackCommand",
        default,
        skip_serializing_if = "String::is_empty"
    )]
    pub callback_command: String,
    /// `Operator_Account`: the UserID of who asked to create the topic.
    #[serde(rename = "Operator_Account")]
    pub operator_account: String,
    /// `GroupId`: the community the topic would belong to. Neither Tencent's table nor its
    /// sample has it; read when present.
    #[serde(rename = "GroupId", default, skip_serializing_if = "Option::is_none")]
    pub group_id: Option<String>,
    /// `Type`: the group's type (`Community`).
    #[serde(rename = "Type", default, skip_serializing_if = "Option::is_none")]
    pub group_type: Option<GroupType>,
    /// `Name`: the name of the topic to create.
    #[serde(rename = "Name", default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// `EventTime`: when the event happened, in Unix milliseconds (a number or a string on
    /// the wire; absent in Tencent's sample).
    #[serde(
        rename = "EventTime",
        default,
        with = "crate::model::serde_helpers::event_time",
        skip_serializing_if = "Option::is_none"
    )]
    pub event_time: Option<u64>,
}

impl CallbackEvent for BeforeCreateTopic {
    const COMMAND: &'static str = "Group.CallbackBeforeCreateTopic";
}

/// `Group.CallbackAfterCreateTopic`: a topic was created.
///
/// An after-callback: the reply is only acknowledged. Shares its switch with
/// `Group.CallbackAfterCreateGroup`.
///
/// [Tencent's page](https://www.tencentcloud.com/document/product/1047/49464)
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AfterCreateTopic {
    /// `CallbackCommand`: `Group.CallbackAfterCreateTopic`.
    #[serde(
        rename = "CallbackCommand",
        default,
        skip_serializing_if = "String::is_empty"
    )]
    pub callback_command: String,
    /// `GroupId`: the topic's community.
    #[serde(rename = "GroupId")]
    pub group_id: String,
    /// `TopicId`: the new topic.
    #[serde(rename = "TopicId")]
    pub topic_id: String,
    /// `Operator_Account`: the UserID of who created the topic.
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
    /// `Type`: the group's type (`Community`).
    #[serde(rename = "Type", default, skip_serializing_if = "Option::is_none")]
    pub group_type: Option<GroupType>,
    /// `Name`: the topic's name.
    #[serde(rename = "Name", default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// `UserDefinedDataList`: the custom topic fields set at creation (custom fields are
    /// off by default and must be enabled in the console).
    #[serde(rename = "UserDefinedDataList", default)]
    pub user_defined_data_list: Vec<KeyValue>,
    /// `EventTime`: when the event happened, in Unix milliseconds (a number or a string on
    /// the wire; absent in Tencent's sample).
    #[serde(
        rename = "EventTime",
        default,
        with = "crate::model::serde_helpers::event_time",
        skip_serializing_if = "Option::is_none"
    )]
    pub event_time: Option<u64>,
}

impl CallbackEvent for AfterCreateTopic {
    const COMMAND: &'static str = "Group.CallbackAfterCreateTopic";
}

/// `Group.CallbackAfterTopicDestroyed`: topics were deleted.
///
/// An after-callback: the reply is only acknowledged. Shares its switch with
/// `Group.CallbackAfterGroupDestroyed`.
///
/// [Tencent's page](https://www.tencentcloud.com/document/product/1047/49465)
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AfterTopicDestroyed {
    /// `CallbackCommand`: `Group.CallbackAfterTopicDestroyed`.
    #[serde(
        rename = "CallbackCommand",
        default,
        skip_serializing_if = "String::is_empty"
    )]
    pub callback_command: String,
    /// `GroupId`: the deleted topics' community.
    #[serde(rename = "GroupId")]
    pub group_id: String,
    /// `Type`: the group's type (`Community`).
    #[serde(rename = "Type", default, skip_serializing_if = "Option::is_none")]
    pub group_type: Option<GroupType>,
    /// `TopicIdList`: the deleted topics. Tencent's table types it as a string, its sample
    /// sends an array: both are read, and it is written as an array.
    #[serde(
        rename = "TopicIdList",
        default,
        deserialize_with = "crate::model::serde_helpers::one_or_many"
    )]
    pub topic_id_list: Vec<String>,
    /// `EventTime`: when the event happened, in Unix milliseconds (a number or a string on
    /// the wire; absent in Tencent's sample).
    #[serde(
        rename = "EventTime",
        default,
        with = "crate::model::serde_helpers::event_time",
        skip_serializing_if = "Option::is_none"
    )]
    pub event_time: Option<u64>,
}

impl CallbackEvent for AfterTopicDestroyed {
    const COMMAND: &'static str = "Group.CallbackAfterTopicDestroyed";
}

/// `Group.CallbackAfterTopicInfoChanged`: a topic's name, introduction, notification or
/// avatar URL changed.
///
/// Like `Group.CallbackAfterGroupInfoChanged` (whose switch it shares), each of these
/// fields is `None` unless it is sent. An after-callback: the reply is only acknowledged.
///
/// [Tencent's page](https://www.tencentcloud.com/document/product/1047/49466)
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AfterTopicInfoChanged {
    /// `CallbackCommand`: `Group.CallbackAfterTopicInfoChanged`.
    #[serde(
        rename = "CallbackCommand",
        default,
        skip_serializing_if = "String::is_empty"
    )]
    pub callback_command: String,
    /// `GroupId`: the changed topic's community.
    #[serde(rename = "GroupId")]
    pub group_id: String,
    /// `TopicId`: the changed topic. Neither Tencent's table nor its sample has it; read
    /// when present.
    #[serde(rename = "TopicId", default, skip_serializing_if = "Option::is_none")]
    pub topic_id: Option<String>,
    /// `Type`: the group's type (`Community`).
    #[serde(rename = "Type", default, skip_serializing_if = "Option::is_none")]
    pub group_type: Option<GroupType>,
    /// `Operator_Account`: the UserID of who made the change.
    #[serde(
        rename = "Operator_Account",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub operator_account: Option<String>,
    /// `Name`: the new topic name, if it changed.
    #[serde(rename = "Name", default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// `Introduction`: the new topic introduction, if it changed.
    #[serde(
        rename = "Introduction",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub introduction: Option<String>,
    /// `Notification`: the new topic notification, if it changed.
    #[serde(
        rename = "Notification",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub notification: Option<String>,
    /// `FaceUrl`: the new topic avatar URL, if it changed.
    #[serde(rename = "FaceUrl", default, skip_serializing_if = "Option::is_none")]
    pub face_url: Option<String>,
    /// `EventTime`: when the event happened, in Unix milliseconds (a number or a string on
    /// the wire; absent in Tencent's sample).
    #[serde(
        rename = "EventTime",
        default,
        with = "crate::model::serde_helpers::event_time",
        skip_serializing_if = "Option::is_none"
    )]
    pub event_time: Option<u64>,
}

impl CallbackEvent for AfterTopicInfoChanged {
    const COMMAND: &'static str = "Group.CallbackAfterTopicInfoChanged";
}
