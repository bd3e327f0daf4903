//! Typed payloads of Tencent Cloud IM callbacks.

mod c2c_message;
mod common;
mod event;
mod flat_callback;
mod group;
mod group_type;
mod message;
mod official_account;
mod platform;
mod serde_helpers;
mod topic;

pub use c2c_message::{C2cAfterSendMsg, C2cBeforeSendMsg, C2cMessage};
pub use common::{KeyValue, Member, MsgExtension};
pub use event::{CallbackBody, CallbackEvent};
pub use group::{
    AfterChangeGroupOwner, AfterCreateGroup, AfterGroupAttrChanged, AfterGroupDestroyed,
    AfterGroupFull, AfterGroupInfoChanged, AfterGroupMsgExtension, BeforeApplyJoinGroup,
    BeforeCreateGroup, BeforeInviteJoinGroup, ExceptionKind, GroupAfterMemberExit,
    GroupAfterMemberFieldChanged, GroupAfterNewMemberJoin, GroupAfterReadReceipt,
    GroupAfterRecallMsg, GroupAfterSendMsg, GroupAt, GroupAttr, GroupBeforeSendMsg,
    GroupMsgReceipt, GroupOnMemberStateChange, OnDailyGroupQuotaAlarm, RecalledGroupMsg,
    SendMsgException,
};
pub use group_type::GroupType;
pub use message::*;
pub use official_account::{
    AfterCreateOfficialAccount, AfterOfficialAccountDestroyed, AfterOfficialAccountFull,
    AfterOfficialAccountInfoChanged, BeforeCreateOfficialAccount,
    OfficialAccountAfterAddSubscriber, OfficialAccountAfterDeleteSubscriber,
    OfficialAccountAfterMsgWithdraw, OfficialAccountAfterSendMsg,
    OfficialAccountBeforeAddSubscriber, OfficialAccountBeforeSendMsg, Subscriber,
    WithdrawnOfficialAccountMsg,
};
pub use platform::Platform;
pub use topic::{AfterCreateTopic, AfterTopicDestroyed, AfterTopicInfoChanged, BeforeCreateTopic};
