//! The durable queue (feature `queue`): after-callbacks answered OK once they are an
//! apalis task, processed by a supervised worker with retries.

// With `queue` alone (no backend feature) nothing starts a worker.
#![cfg_attr(
    not(any(
        feature = "queue-sqlite",
        feature = "queue-redis",
        feature = "queue-postgres"
    )),
    allow(dead_code)
)]

mod accept;
mod counters;
#[cfg(any(feature = "queue-sqlite", feature = "queue-postgres"))]
mod counts;
mod error;
#[cfg(feature = "queue-postgres")]
mod postgres;
mod push;
#[cfg(feature = "queue-redis")]
mod redis;
mod retry;
#[cfg(feature = "queue-sqlite")]
mod sqlite;
mod task;
mod worker;

pub use accept::enqueue;
#[cfg(any(feature = "queue-sqlite", feature = "queue-postgres"))]
pub use counts::QueueCounts;
pub use error::QueueError;
#[cfg(feature = "queue-postgres")]
pub use postgres::PostgresQueue;
pub use push::{CallbackQueue, DEFAULT_PUSH_BUDGET};
#[cfg(feature = "queue-redis")]
pub use redis::RedisQueue;
pub use retry::Retry;
#[cfg(feature = "queue-sqlite")]
pub use sqlite::SqliteQueue;
pub use task::{CallbackTask, QUEUE_NAME};
pub use worker::QueueWorker;
