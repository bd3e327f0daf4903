//! Typed payloads of Tencent Cloud IM callbacks.

mod event;
mod group_type;
mod message;
mod platform;
mod send_msg_exception;
mod serde_helpers;

pub use event::CallbackEvent;
pub use group_type::GroupType;
pub use message::*;
pub use platform::Platform;
pub use send_msg_exception::{ExceptionKind, SendMsgException};
