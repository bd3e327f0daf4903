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
//! - `tracing`: a `tracing` span per callback and per attempt of a queued task ([Tracing](#tracing)).
//! - `opentelemetry`: `tracing`, and a queued task's span linked to its request's through
//!   `tracing-opentelemetry` 0.33 (`opentelemetry` 0.32, as `tracing-actix-web`'s
//!   `opentelemetry_0_32`).
//! - `queue-sqlite`, `queue-redis`, `queue-postgres`: the durable queue (`queue`) in an
//!   SQLite file, Redis or PostgreSQL; `queue` alone: over any apalis backend.
//! - `console`: `queue::Console`, the queue's operator console (counts, dead tasks, retry)
//!   for the app to mount at a path of its own, behind HTTP Basic.
//! - `test-util`: `testkit::TestCallback`, signed requests for handler tests.
//! - `float_roundtrip`: exact coordinates (serde_json's `float_roundtrip`, for the whole app).
//!
//! # Tracing
//!
//! With the feature `tracing`, the middleware runs each request in a span `tim_callback`
//! (level INFO, target `actix_tim_callback`), made when the middleware is called, so a
//! child of the span current then: `tracing_actix_web::TracingLogger`'s request span when
//! it wraps the app. The handler runs inside it, so its spans and log events nest under
//! it. Its fields: `command`, `sdk_app_id` (only ever one of the config's apps), `key` (the
//! duplicate key, when the duplicate claim or `enqueue` computed it), `outcome` (the
//! `metrics` feature's counter: `accepted`, `rejected` or `duplicate`), `reason` (a
//! rejection's, as [`CallbackError::kind`] names it), and `latency_ms` (from the call to
//! the response, before the body is written). A request refused before its command is
//! verified has no `command`; an error of an inner middleware has no `outcome`, as no
//! counter counts it.
//!
//! The queue's worker (features `queue-*`) runs each attempt of a task in a span
//! `tim_callback.task`: `otel.kind` `consumer`, `task_id`, `attempt`, `command`,
//! `sdk_app_id`, `key`, and `outcome` (the attempt counter's: `done`, `retry`, `failed`,
//! `undecodable`). It is a root: the attempt runs after the request was answered, maybe
//! on another machine, maybe again on a retry.
//!
//! With the feature `opentelemetry`, [`enqueue`](queue::enqueue) stores the W3C
//! `traceparent` of the request's `tim_callback` span (so the trace id of the request, the
//! span id of that span) and its `tracestate` with the task
//! ([`CallbackTask::traceparent`](queue::CallbackTask)), and the attempt's span *links* to
//! it: an exporter shows the request's trace and, linked
//! from it, one trace per attempt, as OpenTelemetry's messaging conventions have a consumer
//! point to its producer. Not a parent: that would stretch the request's trace over the
//! queue's wait and every retry. The context is read through the `tracing_opentelemetry`
//! layer, so only with one installed (without it, or with the span filtered out, no
//! context is stored); the crate does not read an incoming `traceparent` header itself:
//! with `tracing-actix-web`'s `opentelemetry_0_32` feature that header becomes the request
//! span's parent, and so the stored trace.
//!
//! ```no_run
//! # #[cfg(feature = "queue-sqlite")]
//! # async fn run() -> std::io::Result<()> {
//! use actix_tim_callback::queue::{enqueue, CallbackBackend, CallbackTask, Retry, SqliteQueue};
//! use actix_tim_callback::{CallbackConfig, TimCallback};
//! use actix_web::{web, App, HttpServer};
//! use opentelemetry::trace::TracerProvider as _;
//! use tracing_subscriber::layer::SubscriberExt;
//!
//! // Give the provider your exporter, e.g. `.with_batch_exporter(otlp_exporter)`.
//! let provider = opentelemetry_sdk::trace::SdkTracerProvider::builder().build();
//! let otel = tracing_opentelemetry::layer().with_tracer(provider.tracer("callbacks"));
//! tracing::subscriber::set_global_default(tracing_subscriber::registry().with(otel))
//!     .map_err(std::io::Error::other)?;
//!
//! let sqlite = SqliteQueue::open("callbacks.db").await.map_err(std::io::Error::other)?;
//! let worker = sqlite.worker("archive", Retry::default(), |task: CallbackTask| async move {
//!     // In the attempt's `tim_callback.task` span, linked to the request's.
//!     tracing::info!(key = %task.key, "archived");
//!     Ok::<(), std::io::Error>(())
//! });
//! let queue = web::Data::new(sqlite.callback_queue());
//! let tim = TimCallback::new(CallbackConfig::new(1400000000));
//! HttpServer::new(move || {
//!     App::new()
//!         // The request span, the parent of each `tim_callback` span.
//!         .wrap(tracing_actix_web::TracingLogger::default())
//!         .app_data(queue.clone())
//!         .service(
//!             web::scope("/im/callback")
//!                 .wrap(tim.clone())
//!                 .route("", web::post().to(enqueue)),
//!         )
//! })
//! .bind(("127.0.0.1", 8080))?
//! .run()
//! .await?;
//! worker.stop().await;
//! provider.shutdown().map_err(std::io::Error::other)
//! # }
//! ```
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
