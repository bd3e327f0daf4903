//! [`RedisQueue`]: the queue in Redis, set up as the load probe found fast.

use std::{future::Future, time::Duration};

use apalis::prelude::{Attempt, BoxDynError, WorkerBuilder, WorkerBuilderExt};
use apalis_redis::{Config, RedisStorage};
use futures_util::FutureExt;
use redis::aio::ConnectionManager;

use super::{
    retry::Retry,
    task::{CallbackTask, QUEUE_NAME},
    worker::{run_attempt, stop_signal, supervise, QueueWorker},
};

/// How long an idempotency key (the callback's duplicate key) is remembered: a redelivery
/// within it is not queued again. apalis-redis ignores the key without a TTL.
const IDEMPOTENCY_TTL: Duration = Duration::from_secs(24 * 60 * 60);

/// The queue in Redis: for an app on several machines.
///
/// Settings, from the load probe: batches of 50, no per-task lock write
/// (`lock_tasks(false)`), no pub/sub events (`emit_events(false)`), a 2 s heartbeat (the
/// tasks of a dead worker come back after 4 s), and the callback's duplicate key as the
/// idempotency key for 24 h.
///
/// A push during a Redis outage takes seconds to fail on its own: the
/// [`CallbackQueue`](crate::CallbackQueue)'s budget bounds it. Retries: after the
/// worker's [`Retry`] attempts, apalis-redis schedules a failed task again itself,
/// `attempt` seconds later, until its 25th attempt (it ignores `max_attempts`), and then
/// keeps it in its dead set.
#[derive(Clone)]
pub struct RedisQueue {
    conn: ConnectionManager,
    config: Config,
}

impl std::fmt::Debug for RedisQueue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RedisQueue")
            .field("config", &self.config)
            .finish()
    }
}

impl RedisQueue {
    /// Connects to the Redis at `url` (e.g. `redis://127.0.0.1:6379/`). Fails when Redis
    /// does not answer.
    pub async fn connect(url: &str) -> Result<Self, redis::RedisError> {
        let conn = apalis_redis::connect(url).await?;
        let config = Config::default()
            .queue(QUEUE_NAME)
            .batch_size(50)
            .lock_tasks(false)
            .emit_events(false)
            .heartbeat_interval(Duration::from_secs(2))
            .idempotency_ttl(Some(IDEMPOTENCY_TTL));
        Ok(Self { conn, config })
    }

    /// The apalis storage of the queue, for [`CallbackQueue::new`](crate::CallbackQueue::new).
    pub fn storage(&self) -> RedisStorage<CallbackTask> {
        RedisStorage::new(self.conn.clone()).with_config(self.config.clone())
    }

    /// The connection, e.g. for commands of the app's own.
    pub fn connection(&self) -> ConnectionManager {
        self.conn.clone()
    }

    /// Starts a supervised worker named `name` that runs `handler` on every task, with
    /// `retry`; as [`SqliteQueue::worker`](crate::SqliteQueue::worker).
    pub fn worker<F, Fut, E>(&self, name: &str, retry: Retry, handler: F) -> QueueWorker
    where
        F: Fn(CallbackTask) -> Fut + Clone + Send + Sync + 'static,
        Fut: Future<Output = Result<(), E>> + Send + 'static,
        E: Into<BoxDynError> + Send + 'static,
    {
        let storage = self.storage();
        supervise(name, move |unique, stop, health| {
            let handler = handler.clone();
            let worker = WorkerBuilder::new(unique)
                .backend(storage.clone())
                .retry(retry.policy())
                .build(move |task: CallbackTask, attempt: Attempt| {
                    run_attempt(
                        handler.clone(),
                        task,
                        attempt.current(),
                        retry.attempts.max(1),
                        health.clone(),
                    )
                });
            worker.run_until(stop_signal(stop)).boxed_local()
        })
    }
}
