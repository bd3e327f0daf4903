//! [`QueueCounts`]: the tasks of an SQL queue, by state.

/// The tasks of a queue, by state: what `counts` of `SqliteQueue` and `PostgresQueue`
/// return.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct QueueCounts {
    /// Waiting or running.
    pub queued: u64,
    /// Failed all their attempts, kept.
    pub failed: u64,
}
