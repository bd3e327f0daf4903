//! The durable queue (feature `queue`): after-callbacks answered OK once they are an apalis
//! task, processed by a supervised worker with retries.
//!
//! Pick a backend with its feature: [`SqliteQueue`] (`queue-sqlite`, a file on one
//! machine), [`RedisQueue`] (`queue-redis`) or [`PostgresQueue`] (`queue-postgres`), for
//! many machines. Each is a [`CallbackBackend`]: route after-callbacks to [`enqueue`] with
//! its [`CallbackQueue`] in the app's data, and run your handler in its
//! [`worker`](CallbackBackend::worker) on each [`CallbackTask`].
//!
//! With the feature `tracing` each attempt runs in a `tim_callback.task` span, and with
//! `opentelemetry` that span links to the span of the request that queued the task (see
//! [the crate's docs](crate#tracing)).

// With `queue` alone (no backend feature) nothing starts a worker.
#![cfg_attr(
    not(any(
        feature = "queue-sqlite",
        feature = "queue-redis",
        feature = "queue-postgres"
    )),
    allow(dead_code)
)]

mod backend;
mod backend_error;
#[cfg(feature = "console")]
mod console;
mod enqueue;
mod error;
mod failed;
#[cfg(feature = "queue-postgres")]
mod postgres;
mod push;
#[cfg(feature = "queue-redis")]
mod redis;
#[cfg(feature = "queue-redis")]
mod redis_durability;
mod retry;
mod router;
#[cfg(feature = "queue-sqlite")]
mod sqlite;
mod stored;
mod task;
mod worker;

pub use backend::{CallbackBackend, QueueCounts};
pub use backend_error::BackendError;
#[cfg(feature = "console")]
pub use console::{Console, ConsoleAuth, ConsoleAuthError};
pub use enqueue::enqueue;
pub use error::QueueError;
pub use failed::FailedTask;
#[cfg(feature = "queue-postgres")]
pub use postgres::PostgresQueue;
pub use push::CallbackQueue;
#[cfg(feature = "queue-redis")]
pub use redis::{RedisQueue, RedisQueueBuilder};
pub use retry::Retry;
pub use router::TaskRouter;
#[cfg(feature = "queue-sqlite")]
pub use sqlite::SqliteQueue;
pub use task::{CallbackTask, QUEUE_NAME};
pub use worker::{QueueWorker, STOP_GRACE};
