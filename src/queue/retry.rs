//! [`Retry`]: how often, and how far apart, a worker runs a failing task.

use std::time::Duration;

use apalis::prelude::BackoffRetryPolicy;
use tower::{
    retry::backoff::{ExponentialBackoff, ExponentialBackoffMaker, MakeBackoff},
    util::rng::HasherRng,
};

/// How a worker retries a task whose handler returned an error: up to `attempts` runs in
/// all, waiting `first_delay` after the first failure, doubling up to `max_delay` (with
/// some jitter). The retries run in the worker that holds the task (apalis' retry layer),
/// so the backend's own immediate refetch is not used.
///
/// A task that fails its last attempt is kept as failed: in SQLite and PostgreSQL as a
/// `Failed` row that `SqliteQueue::retry_failed` / `PostgresQueue::retry_failed` runs
/// again; in Redis apalis schedules it again itself, `attempt` seconds later, until its
/// 25th attempt, and then keeps it in its dead set.
///
/// ```
/// use actix_tim_callback::queue::Retry;
/// use std::time::Duration;
///
/// let retry = Retry { attempts: 3, first_delay: Duration::from_millis(200), ..Retry::default() };
/// assert_eq!(retry.max_delay, Duration::from_secs(30));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retry {
    /// Runs in all, the first included (at least 1).
    pub attempts: usize,
    /// The wait after the first failure.
    pub first_delay: Duration,
    /// The longest wait between two runs.
    pub max_delay: Duration,
}

impl Default for Retry {
    /// 5 attempts, 1 s after the first failure, at most 30 s apart.
    fn default() -> Self {
        Self {
            attempts: 5,
            first_delay: Duration::from_secs(1),
            max_delay: Duration::from_secs(30),
        }
    }
}

impl Retry {
    /// The apalis retry policy of these settings.
    pub(crate) fn policy(&self) -> BackoffRetryPolicy<ExponentialBackoff> {
        let first = self.first_delay.max(Duration::from_millis(1));
        let max = self.max_delay.max(first);
        // Valid with the clamps above; tower's default backoff would be the fallback.
        let backoff = ExponentialBackoffMaker::new(first, max, 0.1, HasherRng::default())
            .unwrap_or_default()
            .make_backoff();
        BackoffRetryPolicy::new(self.attempts.saturating_sub(1), backoff)
    }
}
