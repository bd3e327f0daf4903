//! Typed payloads of Tencent Cloud IM callbacks: one type per command, in a file per
//! section of Tencent's docs, and [`AnyEvent`] for every command on one route.

mod alert;
mod any;
mod bot;
mod c2c;
mod common;
mod event;
mod group;
mod group_type;

mod moderation;
mod official_account;
mod platform;
mod push;
mod serde_helpers;
mod topic;
mod user;

pub use crate::message::*;
pub use alert::RequestOverLimit;
pub use any::AnyEvent;
pub use bot::{BotOnC2cMessage, BotOnGroupMessage, ChatbotOnC2cSignalMessage};
pub use c2c::{
    AfterC2cMsgExtension, C2cAfterModifyMsg, C2cAfterMsgReadAll, C2cAfterMsgReadReceipt,
    C2cAfterMsgReport, C2cAfterMsgWithdraw, C2cAfterSendMsg, C2cBeforeSendMsg, C2cMsgInfo,
    GroupReadInfo,
};
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
pub use moderation::{ContactItem, ContentResultNotify};
pub use official_account::{
    AfterCreateOfficialAccount, AfterOfficialAccountDestroyed, AfterOfficialAccountFull,
    AfterOfficialAccountInfoChanged, BeforeCreateOfficialAccount,
    OfficialAccountAfterAddSubscriber, OfficialAccountAfterDeleteSubscriber,
    OfficialAccountAfterMsgWithdraw, OfficialAccountAfterSendMsg,
    OfficialAccountBeforeAddSubscriber, OfficialAccountBeforeSendMsg, Subscriber,
    WithdrawnOfficialAccountMsg,
};
pub use platform::Platform;
pub use push::{AllMemberPush, AllMemberPushEvent, OfflinePush, OfflinePushEvent};
pub use topic::{AfterCreateTopic, AfterTopicDestroyed, AfterTopicInfoChanged, BeforeCreateTopic};
pub use user::{
    AfterFollowAdd, AfterFollowDelete, BlackListAdd, BlackListDelete, FollowItem, FriendAdd,
    FriendDelete, FriendItem, FriendPair, KickedDevice, PortraitSet, PrevFriendAdd,
    PrevFriendResponse, ProfileItem, ResponseFriendItem, StateChange, StateInfo,
};
