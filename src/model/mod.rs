//! Typed payloads of Tencent Cloud IM callbacks: one plain struct per command, in the module
//! of its family, and [`AnyEvent`] for every command on one route.
//!
//! The naming rule: a command `Family.CallbackTail` is the type `family::Tail` (the family
//! in snake case, the tail without a leading `Callback`, an all-capitals word written as one
//! word: `C2C.CallbackAfterSendMsg` is [`c2c::AfterSendMsg`]) and the [`AnyEvent`] variant
//! `FamilyTail` (`C2cAfterSendMsg`). One exception: `ChatBot.*`, the Desk product's agent
//! routing, is in [`desk`] beside `Desk.*`, so that it is not mistaken for the AI chatbot's
//! `Chatbot.*` ([`chatbot`]). Item types that several families share ([`Member`], [`KeyValue`],
//! [`GroupType`], the message elements) are here at the top.
//!
//! The catalogue, with the reply each callback takes ([`Ack`] when Tencent only
//! checks for OK):
//!
#![doc = catalogue::catalogue!(catalogue::catalogue_table)]

mod catalogue;

pub mod alert;
mod any;
pub mod bot;
pub mod c2c;
pub mod chatbot;
mod common;
pub mod content_callback;
pub mod desk;
mod event;
pub mod follow;
pub mod group;
mod group_type;
pub mod live;
pub mod official_account;
mod platform;
pub mod profile;
pub mod push;
mod serde_helpers;
pub mod sns;
pub mod state;

pub use crate::message::*;
pub use any::{AnyEvent, AnyEventSeed};
#[cfg(feature = "test-util")]
pub(crate) use catalogue::catalogue;
pub use common::{KeyValue, Member, MsgExtension};
pub use event::{CallbackBody, CallbackEvent};
pub use group_type::GroupType;
pub use platform::Platform;

// The replies the catalogue's entries name, for `any.rs` and the table above.
use crate::reply::{
    Ack, ApprovalReply, AssignAgentReply, BeforeSendReply, C2cCodes, ChatbotReply,
    FriendCheckReply, GroupCodes,
};
