//! The group-message callbacks: before a message is sent, after it was sent, and when it
//! could not be delivered. They share one set of fields, [`GroupMessage`].

use serde::{Deserialize, Serialize};

/// The fields of every group-message callback, in one list (see `flat_callback`).
macro_rules! group_message {
    ($kind:ident $declaration:tt) => {
        $crate::model::flat_callback::flat_callback! {
            $kind $declaration
            fields {
                /// `CallbackCommand`, e.g. `Group.CallbackAfterSendMsg`.
                #[serde(rename = "CallbackCommand", default)]
                pub callback_command: String,
                /// `GroupId`: the group the message was sent to.
                #[serde(rename = "GroupId")]
                pub group_id: String,
                /// `Type`: the group's type.
                #[serde(rename = "Type")]
                pub group_type: crate::model::GroupType,
                /// `From_Account`: the sender's UserID.
                #[serde(rename = "From_Account")]
                pub from_account: String,
                /// `Operator_Account`: who issued the send request (an admin for REST API
                /// sends).
                #[serde(rename = "Operator_Account", default, skip_serializing_if = "Option::is_none")]
                pub operator_account: Option<String>,
                /// `Random`: the unsigned 32-bit random number of the send request.
                #[serde(rename = "Random", default)]
                pub random: u32,
                /// `OnlineOnlyFlag`: `1` for an online-only message, else `0` (live-streaming
                /// groups always send `0`).
                #[serde(rename = "OnlineOnlyFlag", default, skip_serializing_if = "Option::is_none")]
                pub online_only_flag: Option<u32>,
                /// `MsgBody`: the message's elements.
                #[serde(rename = "MsgBody", default)]
                pub msg_body: Vec<crate::model::MsgElement>,
                /// `CloudCustomData`: the message's custom data.
                #[serde(rename = "CloudCustomData", default, skip_serializing_if = "Option::is_none")]
                pub cloud_custom_data: Option<String>,
                /// `TopicId`: the topic, in communities with topics.
                #[serde(rename = "TopicId", default, skip_serializing_if = "Option::is_none")]
                pub topic_id: Option<String>,
                /// `EventTime`: when the event happened, in Unix milliseconds. Sent as a
                /// number or as a string; absent in older payloads.
                #[serde(
                    rename = "EventTime",
                    default,
                    with = "crate::model::serde_helpers::event_time",
                    skip_serializing_if = "Option::is_none"
                )]
                pub event_time: Option<u64>,
            }
        }
    };
}
pub(crate) use group_message;

group_message!(common {
    /// The fields every group-message callback carries.
    ///
    /// Fields old payloads lack are `Option`s or default to empty; unknown fields are
    /// ignored.
    pub struct GroupMessage;
});

impl GroupMessage {
    /// Whether the message is online-only (`OnlineOnlyFlag` is `1`).
    pub fn is_online_only(&self) -> bool {
        self.online_only_flag == Some(1)
    }
}

group_message!(event {
    /// `Group.CallbackBeforeSendMsg`: a group message is about to be delivered. Reply with
    /// a [`BeforeSendReply`](crate::BeforeSendReply) to allow, refuse, drop or change it.
    pub struct GroupBeforeSendMsg(GroupMessage) = "Group.CallbackBeforeSendMsg" {}
});

group_message!(event {
    /// `Group.CallbackAfterSendMsg`: a group message was sent. The reply is ignored
    /// beyond OK.
    pub struct GroupAfterSendMsg(GroupMessage) = "Group.CallbackAfterSendMsg" {
        /// `MsgId`: the message's id on the client (newer payloads).
        #[serde(rename = "MsgId", default, skip_serializing_if = "Option::is_none")]
        pub msg_id: Option<String>,
        /// `MsgSeq`: the message's sequence number in the group (later messages have
        /// larger numbers).
        #[serde(rename = "MsgSeq", default, skip_serializing_if = "Option::is_none")]
        pub msg_seq: Option<u64>,
        /// `MsgTime`: when the message was sent, in Unix seconds.
        #[serde(rename = "MsgTime", default, skip_serializing_if = "Option::is_none")]
        pub msg_time: Option<u64>,
        /// `GroupAtInfo`: who the message @-mentions. Tencent's table describes it but
        /// shows no sample; the element shape is inferred from the description.
        #[serde(rename = "GroupAtInfo", default, skip_serializing_if = "Vec::is_empty")]
        pub group_at_info: Vec<GroupAt>,
    }
});

/// One @-mention of a group message (`GroupAtInfo` element).
///
/// Unconfirmed shape: Tencent documents the two fields in prose only.
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
