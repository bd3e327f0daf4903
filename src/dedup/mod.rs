//! Duplicate suppression: a callback delivered twice (a retry, a replay, another instance)
//! is handled once, and every later delivery gets the reply the first one got.
//!
//! Turn it on with [`CallbackConfig::dedup`](crate::CallbackConfig::dedup) and a
//! [`Dedup`] (or just a store): a [`MemoryStore`] for one instance, a `RedisStore` (feature
//! `redis`) for several. A callback is claimed under its key before its handler runs. The
//! claim has an owner (the request that made it) and one of three states: in flight while
//! the handler runs, done with the reply the handler gave, or gone (released after a
//! failure, or expired). Implement [`DedupStore`] to keep claims elsewhere.

pub(crate) mod admission;
pub(crate) mod key;
mod memory;
#[cfg(feature = "redis")]
mod redis;
mod settings;
mod store;

pub use memory::MemoryStore;
#[cfg(feature = "redis")]
pub use redis::RedisStore;
pub use settings::{Dedup, StoreFailure};
pub use store::{Claim, DedupStore, StoreError, StoredReply};
