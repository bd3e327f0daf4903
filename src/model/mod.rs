//! Typed payloads of Tencent Cloud IM callbacks.

mod alert;
mod bot;
mod c2c;
mod common;
mod event;
mod flat_callback;
mod group_message;
mod group_type;
mod message;
mod moderation;
mod platform;
mod push;
mod send_msg_exception;
mod serde_helpers;
mod user;

pub use alert::RequestOverLimit;
pub use bot::{BotOnC2cMessage, BotOnGroupMessage, ChatbotOnC2cSignalMessage};
pub use c2c::{
    AfterC2cMsgExtension, C2cAfterModifyMsg, C2cAfterMsgReadAll, C2cAfterMsgReadReceipt,
    C2cAfterMsgReport, C2cAfterMsgWithdraw, C2cAfterSendMsg, C2cBeforeSendMsg, C2cMsgInfo,
    GroupReadInfo,
};
pub use common::{KeyValue, Member, MsgExtension};
pub use event::CallbackEvent;
pub use group_message::{GroupAfterSendMsg, GroupAt, GroupBeforeSendMsg, GroupMessage};
pub use group_type::GroupType;
pub use message::*;
pub use moderation::{ContactItem, ContentResultNotify};
pub use platform::Platform;
pub use push::{AllMemberPush, AllMemberPushEvent, OfflinePush, OfflinePushEvent};
pub use send_msg_exception::{ExceptionKind, SendMsgException};
pub use user::{
    AfterFollowAdd, AfterFollowDelete, BlackListAdd, BlackListDelete, FollowItem, FriendAdd,
    FriendDelete, FriendItem, FriendPair, KickedDevice, PortraitSet, PrevFriendAdd,
    PrevFriendResponse, ProfileItem, ResponseFriendItem, StateChange, StateInfo,
};
