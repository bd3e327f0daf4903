//! [`BackendError`]: why a call of a queue backend failed.

use crate::log::LogSafe;

/// Why a call of a queue backend ([`CallbackBackend`](super::CallbackBackend) and the
/// backends' constructors) failed: the store's own error, or a store set up so that a
/// callback answered OK could be lost.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BackendError {
    /// The SQLite or PostgreSQL database failed or refused the call.
    #[cfg(any(feature = "queue-sqlite", feature = "queue-postgres"))]
    #[error("the queue's database failed: {0}")]
    Database(#[from] sqlx::Error),
    /// Redis failed or refused the call.
    #[cfg(feature = "queue-redis")]
    #[error("the queue's Redis failed: {0}")]
    Redis(#[from] redis::RedisError),
    /// apalis' setup of the store (its migrations) failed.
    #[error("the queue's store could not be set up: {}", LogSafe(.0))]
    Setup(String),
    /// The store is set up so that it may lose callbacks answered OK: refused unless the
    /// builder's opt-in for this risk was called (see `RedisQueue::builder`).
    #[error("the queue's Redis has {setting} = {}: {risk}. {fix}", LogSafe(.value))]
    UnsafeStore {
        /// The setting, e.g. `maxmemory-policy`.
        setting: &'static str,
        /// Its value on the server.
        value: String,
        /// What it may lose.
        risk: &'static str,
        /// How to fix it, or opt in.
        fix: &'static str,
    },
}
