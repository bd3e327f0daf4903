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
//!   [`Group.CallbackSendMsgException`](model::group::SendMsgException); [`reply`]: what
//!   handlers answer; [`dedup`]: duplicate suppression; `queue` (features `queue-*`): the
//!   durable queue; `testkit` (feature `test-util`): requests for handler tests.
//!
//! ```no_run
//! use actix_tim_callback::{command, Ack, Callback, CallbackConfig, TimCallback};
//! use actix_tim_callback::model::group::SendMsgException;
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
//!     // Built once, outside `HttpServer::new`: every worker shares its state.
//!     let tim = TimCallback::new(CallbackConfig::new(1400000000).token("token from the IM console"));
//!     HttpServer::new(move || {
//!         App::new().service(
//!             web::scope("/im/callback")
//!                 .wrap(tim.clone())
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
//! The reply rules are in [`TimCallback`]'s docs, the settings in [`CallbackConfig`]'s, the
//! catalogue of commands in [`model`]'s, testing in `testkit::TestCallback`'s (feature
//! `test-util`), signing by hand in [`sign`]'s; running several instances in
//! [docs/production.md](https://github.com/actix-tim-callback/actix-tim-callback/blob/main/docs/production.md).
//!
//! # Crate features
//!
//! - `redis`: `dedup::RedisStore`, duplicate suppression shared by every instance.
//! - `metrics`: counters and a handler-time histogram through the `metrics` facade (the
//!   queue's series too).
//! - `queue-sqlite`, `queue-redis`, `queue-postgres`: the durable queue (`queue`) in an
//!   SQLite file, Redis or PostgreSQL; `queue` alone: over any apalis backend.
//! - `console`: `queue::Console`, the queue's operator console (counts, dead tasks, retry)
//!   for the app to mount at a path of its own, behind HTTP Basic.
//! - `test-util`: `testkit::TestCallback`, signed requests for handler tests.
//! - `float_roundtrip`: exact coordinates (serde_json's `float_roundtrip`, for the whole app).
//!
#![doc = include_str!("../docs/mutual-tls.md")]
#![forbid(unsafe_code)]
#![cfg_attr(docsrs, feature(doc_cfg))]
#![warn(missing_docs)]

mod app;
mod config;
mod decode;
pub mod dedup;
mod error;
mod extract;
mod guard;
mod log;
mod message;
mod meta;
mod middleware;
pub mod model;
mod query;
#[cfg(feature = "queue")]
pub mod queue;
pub mod reply;
mod request;
mod scan;
mod signature;
mod telemetry;
#[cfg(feature = "test-util")]
pub mod testkit;
mod verify;

pub use app::SdkApp;
pub use config::{CallbackConfig, UnhandledCommands};
pub use error::{CallbackError, ConfigError};
pub use extract::{Callback, RawCallback};
pub use guard::{command, command_named, on, CommandGuard};
pub use meta::CallbackMeta;
pub use middleware::TimCallback;
pub use reply::Ack;
pub use signature::sign;

/// The README's examples, compiled as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;

/// The production guide's examples, compiled as doctests.
#[cfg(doctest)]
#[doc = include_str!("../docs/production.md")]
pub struct ProductionDoctests;
