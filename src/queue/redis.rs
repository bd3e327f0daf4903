//! [`RedisQueue`]: the queue in Redis, set up as the load probe found fast.

use std::{
    future::Future,
    time::{Duration, SystemTime, UNIX_EPOCH},
};

use apalis::prelude::{Attempt, BoxDynError, WorkerBuilder, WorkerBuilderExt};
use apalis_redis::{Config, RedisStorage};
use redis::aio::ConnectionManager;

use super::{
    push::{CallbackQueue, DEFAULT_PUSH_BUDGET},
    retry::Retry,
    task::{CallbackTask, QUEUE_NAME},
    worker::{run_attempt, stop_signal, supervise, with_side_loop, QueueWorker},
};

/// How often the worker's side loop moves due tasks to apalis' active list (see
/// [`promote_due`]).
const PROMOTE_INTERVAL: Duration = Duration::from_millis(50);

/// At most this many tasks per call of [`PROMOTE_SCRIPT`]: far below Lua's `unpack` limit
/// (about 8,000 values).
const PROMOTE_CHUNK: usize = 1000;

/// Moves up to `ARGV[2]` tasks that are due (`ARGV[1]`, Unix seconds) from apalis'
/// scheduled set (`KEYS[1]`) to its active list (`KEYS[2]`) and signals them (`KEYS[3]`),
/// as apalis' own `fetch_next.lua` does, but in chunks.
const PROMOTE_SCRIPT: &str = r#"
local due = redis.call('zrangebyscore', KEYS[1], 0, ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
if #due > 0 then
    redis.call('rpush', KEYS[2], unpack(due))
    redis.call('zrem', KEYS[1], unpack(due))
    redis.call('del', KEYS[3])
    redis.call('lpush', KEYS[3], 1)
end
return #due
"#;

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
///
/// apalis-redis 1.0 puts every pushed task in its scheduled set, and its fetch promotes
/// *all* due tasks in one Lua `unpack`: with a backlog above about 8,000 tasks the fetch
/// fails ("too many results to unpack") at every start, and the worker never runs again.
/// The worker here runs a side loop that promotes due tasks in chunks of 1,000 every 50 ms
/// (and before each start), so the set apalis sees stays small.
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

    /// Starts the [`CallbackQueue`] that requests push into this queue through, with the
    /// [default budget](DEFAULT_PUSH_BUDGET): `CallbackQueue::new(self.storage())`. Call
    /// it inside the actix system, as [`CallbackQueue::new`].
    pub fn callback_queue(&self) -> CallbackQueue {
        self.callback_queue_with_budget(DEFAULT_PUSH_BUDGET)
    }

    /// [`callback_queue`](Self::callback_queue) with a push budget of its own, as
    /// [`CallbackQueue::with_budget`].
    pub fn callback_queue_with_budget(&self, budget: Duration) -> CallbackQueue {
        CallbackQueue::with_budget(self.storage(), budget)
    }

    /// The connection, e.g. for commands of the app's own.
    pub fn connection(&self) -> ConnectionManager {
        self.conn.clone()
    }

    /// Starts a supervised worker named `name` that runs `handler` on every task, with
    /// `retry`; as `SqliteQueue::worker`: call it inside the actix system, and
    /// [`stop`](QueueWorker::stop) it before the process exits.
    pub fn worker<F, Fut, E>(&self, name: &str, retry: Retry, handler: F) -> QueueWorker
    where
        F: Fn(CallbackTask) -> Fut + Clone + Send + Sync + 'static,
        Fut: Future<Output = Result<(), E>> + Send + 'static,
        E: Into<BoxDynError> + Send + 'static,
    {
        let storage = self.storage();
        let conn = self.conn.clone();
        let config = self.config.clone();
        supervise(name, move |unique, stop, health| {
            let promote = promote_loop(conn.clone(), config.clone());
            let handler = handler.clone();
            let worker = WorkerBuilder::new(unique)
                .backend(storage.clone())
                .retry(retry.policy())
                .build(move |task: CallbackTask, attempt: Attempt| {
                    run_attempt(handler.clone(), task, attempt, retry, health.clone())
                });
            with_side_loop(worker.run_until(stop_signal(stop)), promote)
        })
    }
}

/// Moves the due tasks of apalis' scheduled set to its active list, a chunk at a time;
/// returns how many.
async fn promote_due(
    conn: &mut ConnectionManager,
    config: &Config,
) -> Result<usize, redis::RedisError> {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |since| since.as_secs());
    let mut moved = 0;
    loop {
        let chunk: usize = redis::cmd("EVAL")
            .arg(PROMOTE_SCRIPT)
            .arg(3)
            .arg(config.scheduled_jobs_set())
            .arg(config.active_jobs_list())
            .arg(config.signal_list())
            .arg(now)
            .arg(PROMOTE_CHUNK)
            .query_async(conn)
            .await?;
        moved += chunk;
        if chunk < PROMOTE_CHUNK {
            return Ok(moved);
        }
    }
}

async fn promote_loop(mut conn: ConnectionManager, config: Config) {
    loop {
        if let Err(err) = promote_due(&mut conn, &config).await {
            log::debug!("could not promote the due tasks of the Tencent IM callback queue: {err}");
        }
        actix_web::rt::time::sleep(PROMOTE_INTERVAL).await;
    }
}
