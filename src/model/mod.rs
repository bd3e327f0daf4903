//! Typed payloads of Tencent Cloud IM callbacks.

mod c2c_message;
mod common;
mod event;
mod flat_callback;
mod group_message;
mod group_type;
mod message;
mod platform;
mod send_msg_exception;
mod serde_helpers;

pub use c2c_message::{C2cAfterSendMsg, C2cBeforeSendMsg, C2cMessage};
pub use common::{KeyValue, Member, MsgExtension};
pub use event::{CallbackBody, CallbackEvent};
pub use group_message::{GroupAfterSendMsg, GroupAt, GroupBeforeSendMsg, GroupMessage};
pub use group_type::GroupType;
pub use message::*;
pub use platform::Platform;
pub use send_msg_exception::{ExceptionKind, SendMsgException};
