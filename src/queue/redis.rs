//! [`RedisQueue`]: the queue in Redis.

use std::time::Duration;

use apalis::prelude::{WorkerBuilder, WorkerBuilderExt, WorkerError};
use apalis_redis::{Config, RedisStorage};
use futures_util::future::LocalBoxFuture;
use redis::aio::ConnectionManager;

use super::{
    backend::{CallbackBackend, QueueCounts, Run, Sealed},
    push::CallbackQueue,
    task::{CallbackTask, QUEUE_NAME},
    worker::{purge_loop, with_side_loop},
};
use crate::log::unix_now;

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

/// Counts the tasks waiting (`KEYS[1]` active list, `KEYS[2]` scheduled set), running (the
/// inflight set `KEYS[4]:<worker>` of every worker of the set `KEYS[3]`) and dead
/// (`KEYS[5]`).
const COUNTS_SCRIPT: &str = r#"
local queued = redis.call('llen', KEYS[1]) + redis.call('zcard', KEYS[2])
for _, worker in ipairs(redis.call('zrange', KEYS[3], 0, -1)) do
    queued = queued + redis.call('scard', KEYS[4] .. ':' .. worker)
end
return {queued, redis.call('scard', KEYS[5])}
"#;

/// Queues up to `ARGV[1]` dead tasks (`KEYS[1]`) again on the active list (`KEYS[2]`),
/// their metadata (`KEYS[3]:<id>`) back to `Pending` with no attempt, and signals them
/// (`KEYS[4]`); returns how many.
const RETRY_SCRIPT: &str = r#"
local ids = redis.call('spop', KEYS[1], tonumber(ARGV[1]))
for _, id in ipairs(ids) do
    redis.call('hset', KEYS[3] .. ':' .. id, 'status', 'Pending', 'attempts', 0)
    redis.call('rpush', KEYS[2], id)
end
if #ids > 0 then
    redis.call('del', KEYS[4])
    redis.call('lpush', KEYS[4], 1)
end
return #ids
"#;

/// Deletes up to `ARGV[1]` done tasks (`KEYS[1]`): their data (`KEYS[2]`) and metadata
/// (`KEYS[3]:<id>`); returns how many.
const PURGE_SCRIPT: &str = r#"
local ids = redis.call('spop', KEYS[1], tonumber(ARGV[1]))
for _, id in ipairs(ids) do
    redis.call('hdel', KEYS[2], id)
    redis.call('del', KEYS[3] .. ':' .. id)
end
return #ids
"#;

/// How often the worker deletes the tasks it finished (apalis-redis keeps their data and
/// metadata for ever otherwise).
const PURGE_INTERVAL: Duration = Duration::from_secs(1);

/// How long an idempotency key (the callback's duplicate key) is remembered: a redelivery
/// within it is not queued again. apalis-redis ignores the key without a TTL.
const IDEMPOTENCY_TTL: Duration = Duration::from_secs(24 * 60 * 60);

/// The queue in Redis: for an app on several machines.
///
/// Settings, from the queue benchmark: batches of 50, no per-task lock write
/// (`lock_tasks(false)`), no pub/sub events (`emit_events(false)`), a 2 s heartbeat (the
/// tasks of a dead worker come back after 4 s), and the callback's duplicate key as the
/// idempotency key for 24 h.
///
/// A push during a Redis outage takes seconds to fail on its own: the
/// [`CallbackQueue`](crate::queue::CallbackQueue)'s budget bounds it. Retries: after the
/// worker's [`Retry`](super::Retry) attempts, apalis-redis schedules a failed task again itself,
/// `attempt` seconds later, until its 25th attempt (it ignores `max_attempts`), and then
/// keeps it in its dead set.
///
/// apalis-redis 1.0 puts every pushed task in its scheduled set, and its fetch promotes
/// *all* due tasks in one Lua `unpack`: with a backlog above about 8,000 tasks the fetch
/// fails ("too many results to unpack") at every start, and the worker never runs again.
/// The worker here runs a side loop that promotes due tasks in chunks of 1,000 every 50 ms
/// (and before each start), so the set apalis sees stays small, and deletes the data of
/// the tasks it finished every second (apalis-redis keeps it for ever).
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

    /// The apalis storage of the queue, for [`CallbackQueue::new`].
    pub fn storage(&self) -> RedisStorage<CallbackTask> {
        RedisStorage::new(self.conn.clone()).with_config(self.config.clone())
    }

    /// The connection, e.g. for commands of the app's own.
    pub fn connection(&self) -> ConnectionManager {
        self.conn.clone()
    }

    /// Runs one of the maintenance scripts on chunks until it handles fewer than a chunk.
    async fn in_chunks(&self, script: &str, keys: &[String]) -> Result<u64, redis::RedisError> {
        let mut conn = self.conn.clone();
        let mut handled = 0;
        loop {
            let chunk: u64 = redis::cmd("EVAL")
                .arg(script)
                .arg(keys.len())
                .arg(keys)
                .arg(PROMOTE_CHUNK)
                .query_async(&mut conn)
                .await?;
            handled += chunk;
            if chunk < PROMOTE_CHUNK as u64 {
                return Ok(handled);
            }
        }
    }
}

impl Sealed for RedisQueue {}

impl CallbackBackend for RedisQueue {
    type Error = redis::RedisError;

    fn callback_queue_with_budget(&self, budget: Duration) -> CallbackQueue {
        CallbackQueue::with_budget(self.storage(), budget)
    }

    fn run(&self, run: Run) -> LocalBoxFuture<'static, Result<(), WorkerError>> {
        let promote = promote_loop(self.conn.clone(), self.config.clone());
        let queue = self.clone();
        let purge = purge_loop(PURGE_INTERVAL, run.health.clone(), move || {
            let queue = queue.clone();
            async move { queue.purge_done().await }
        });
        let side_loops = async move {
            futures_util::future::join(promote, purge).await;
        };
        let worker = WorkerBuilder::new(run.name.clone())
            .backend(self.storage())
            .retry(run.retry.policy())
            .build(run.service());
        with_side_loop(worker.run_until(run.stop_signal()), side_loops)
    }

    async fn counts(&self) -> Result<QueueCounts, redis::RedisError> {
        let (queued, failed): (u64, u64) = redis::cmd("EVAL")
            .arg(COUNTS_SCRIPT)
            .arg(5)
            .arg(self.config.active_jobs_list())
            .arg(self.config.scheduled_jobs_set())
            .arg(self.config.workers_set())
            .arg(self.config.inflight_jobs_set())
            .arg(self.config.dead_jobs_set())
            .query_async(&mut self.conn.clone())
            .await?;
        Ok(QueueCounts { queued, failed })
    }

    async fn retry_failed(&self) -> Result<u64, redis::RedisError> {
        let keys = [
            self.config.dead_jobs_set(),
            self.config.active_jobs_list(),
            self.config.job_meta_hash(),
            self.config.signal_list(),
        ];
        self.in_chunks(RETRY_SCRIPT, &keys).await
    }

    async fn purge_done(&self) -> Result<u64, redis::RedisError> {
        let keys = [
            self.config.done_jobs_set(),
            self.config.job_data_hash(),
            self.config.job_meta_hash(),
        ];
        self.in_chunks(PURGE_SCRIPT, &keys).await
    }
}

/// Moves the due tasks of apalis' scheduled set to its active list, a chunk at a time;
/// returns how many.
async fn promote_due(
    conn: &mut ConnectionManager,
    config: &Config,
) -> Result<usize, redis::RedisError> {
    let now = unix_now().as_secs();
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
