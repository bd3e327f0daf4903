//! Receive [Tencent Cloud IM third-party callbacks][callbacks] in actix-web, verified and
//! typed.
//!
//! - [`TimCallback`]: middleware that rejects requests not meant for your SDKAppID,
//!   and forged or replayed signatures when a token is set, before reading any body; it
//!   writes the fixed OK reply for handlers that return [`Ack`], `Ok(())` or an empty
//!   `200`, and a `FAIL` reply for every rejection and error.
//! - [`Callback<E>`]: extractor that hands a handler the typed body and the URL
//!   metadata, read with a size limit, no `Content-Type` required.
//! - [`RawCallback`]: the same for any command, with the body as JSON.
//! - [`command`]: a guard that routes each `CallbackCommand` to its own handler on the
//!   one callback URL; commands with no handler are answered OK and logged.
//! - [`model`]: the payloads, starting with
//!   [`Group.CallbackSendMsgException`](model::SendMsgException).
//!
//! ```no_run
//! use actix_tim_callback::{command, Ack, Callback, CallbackConfig, TimCallback};
//! use actix_tim_callback::model::SendMsgException;
//! use actix_web::{web, App, HttpServer};
//!
//! async fn on_exception(cb: Callback<SendMsgException>) -> Ack {
//!     log::warn!(
//!         "message to {} from {} not delivered: {} ({})",
//!         cb.group_id, cb.from_account, cb.kind(), cb.error_info
//!     );
//!     Ack
//! }
//!
//! #[actix_web::main]
//! async fn main() -> std::io::Result<()> {
//!     HttpServer::new(|| {
//!         let config = CallbackConfig::new(1400000000).token("token from the IM console");
//!         App::new().service(
//!             web::scope("/im/callback")
//!                 .wrap(TimCallback::new(config))
//!                 .route("", web::post().guard(command::<SendMsgException>()).to(on_exception)),
//!         )
//!     })
//!     .bind(("127.0.0.1", 8080))?
//!     .run()
//!     .await
//! }
//! ```
//!
//! [callbacks]: https://cloud.tencent.com/document/product/269/1522
//!
//! See the README for the behaviour table, signing by hand and routing several commands.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod config;
mod dedup;
mod error;
mod extract;
mod guard;
mod message;
mod meta;
mod metrics;
mod middleware;
pub mod model;
mod query;
#[cfg(feature = "queue")]
mod queue;
mod reply;
mod signature;
#[cfg(feature = "test-util")]
mod testkit;
mod verify;

pub use config::{CallbackConfig, StoreFailure, UnhandledCommands};
#[cfg(feature = "redis")]
pub use dedup::RedisStore;
pub use dedup::{Claim, DedupStore, MemoryStore, StoreError};
pub use error::{CallbackError, ConfigError, ReplyCodeError};
pub use extract::{Callback, RawCallback};
pub use guard::{command, command_named, CommandGuard};
pub use meta::CallbackMeta;
pub use middleware::TimCallback;
#[cfg(feature = "queue-redis")]
pub use queue::RedisQueue;
#[cfg(feature = "queue")]
pub use queue::{
    enqueue, CallbackQueue, CallbackTask, QueueError, QueueWorker, Retry, DEFAULT_PUSH_BUDGET,
    QUEUE_NAME,
};
#[cfg(feature = "queue-sqlite")]
pub use queue::{QueueCounts, SqliteQueue};
pub use reply::{
    Ack, ApprovalReply, BeforeSendReply, ChatbotReply, FriendCheckReply, FriendCheckResult, OK_BODY,
};
pub use signature::sign;
#[cfg(feature = "test-util")]
pub use testkit::TestCallback;

/// The README's examples, compiled as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
