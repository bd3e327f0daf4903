//! [`RedisQueue`]: the queue in Redis.

use std::time::Duration;

use apalis::prelude::{WorkerBuilder, WorkerBuilderExt, WorkerError};
use apalis_redis::{Config, RedisStorage};
use futures_util::future::LocalBoxFuture;
use redis::aio::ConnectionManager;

use tokio::sync::mpsc;

use super::{
    backend::{CallbackBackend, Finished, QueueCounts, Run, Sealed},
    backend_error::BackendError,
    failed::FailedTask,
    push::CallbackQueue,
    redis_durability::{check_durability, Risks},
    stored::Stored,
    task::{CallbackTask, QUEUE_NAME},
    worker::{ack_loop, with_ack_loop, with_side_loop},
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

/// Counts the tasks pending (`KEYS[1]` active list, `KEYS[2]` scheduled set), running (the
/// inflight set `KEYS[4]:<worker>` of every worker of the set `KEYS[3]`), dead (`KEYS[5]`)
/// and done (apalis' done set `KEYS[6]`, left by older versions, and the count `KEYS[7]`
/// of [`ACK_SCRIPT`]).
const COUNTS_SCRIPT: &str = r#"
local pending = redis.call('llen', KEYS[1]) + redis.call('zcard', KEYS[2])
local running = 0
for _, worker in ipairs(redis.call('zrange', KEYS[3], 0, -1)) do
    running = running + redis.call('scard', KEYS[4] .. ':' .. worker)
end
local done = redis.call('scard', KEYS[6]) + (tonumber(redis.call('get', KEYS[7])) or 0)
return {pending, running, redis.call('scard', KEYS[5]), done}
"#;

/// Writes the outcomes of finished tasks of one worker (its inflight set `KEYS[1]`): a task
/// done has its data (`KEYS[2]`) and metadata (`KEYS[3]:<id>`) deleted and is counted
/// (`KEYS[5]`); a task that failed its last attempt joins the dead set (`KEYS[4]`) with its
/// attempts, last error and time (`ARGV[1]`, Unix seconds) in its metadata, as apalis' own
/// ack writes them. `ARGV[2..]`: groups of id, `Done` or `Failed`, attempts, result. A task
/// no longer in the worker's inflight set (queued again after the worker was seen dead) is
/// left to the worker that has it.
const ACK_SCRIPT: &str = r#"
local done = 0
for i = 2, #ARGV, 4 do
    local id = ARGV[i]
    if redis.call('srem', KEYS[1], id) == 1 then
        if ARGV[i + 1] == 'Done' then
            redis.call('hdel', KEYS[2], id)
            redis.call('del', KEYS[3] .. ':' .. id)
            done = done + 1
        else
            redis.call('sadd', KEYS[4], id)
            redis.call('hset', KEYS[3] .. ':' .. id, 'status', 'Failed', 'attempts', ARGV[i + 2],
                'result', ARGV[i + 3], 'done_at', ARGV[1])
        end
    end
end
if done > 0 then
    redis.call('incrby', KEYS[5], done)
end
return done
"#;

/// Up to `ARGV[1]` dead tasks (`KEYS[1]`), each as its id, its data (`KEYS[2]`), and its
/// attempts, last result and failure time from its metadata (`KEYS[3]:<id>`).
const FAILED_SCRIPT: &str = r#"
local tasks = {}
for _, id in ipairs(redis.call('srandmember', KEYS[1], tonumber(ARGV[1]))) do
    local meta = redis.call('hmget', KEYS[3] .. ':' .. id, 'attempts', 'result', 'done_at')
    table.insert(tasks, {id, redis.call('hget', KEYS[2], id), meta[1], meta[2], meta[3]})
end
return tasks
"#;

/// Queues the dead task `ARGV[1]` (of `KEYS[1]`) again on the active list (`KEYS[2]`), its
/// metadata (`KEYS[3]:<id>`) back to `Pending` with no attempt, and signals it (`KEYS[4]`);
/// returns 1, or 0 when it is not dead.
const RETRY_ONE_SCRIPT: &str = r#"
if redis.call('srem', KEYS[1], ARGV[1]) == 0 then
    return 0
end
redis.call('hset', KEYS[3] .. ':' .. ARGV[1], 'status', 'Pending', 'attempts', 0)
redis.call('rpush', KEYS[2], ARGV[1])
redis.call('del', KEYS[4])
redis.call('lpush', KEYS[4], 1)
return 1
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

/// Deletes up to `ARGV[1]` tasks of the set `KEYS[1]` (apalis' done set, or the dead set):
/// their data (`KEYS[2]`) and metadata (`KEYS[3]:<id>`); returns how many.
const PURGE_SCRIPT: &str = r#"
local ids = redis.call('spop', KEYS[1], tonumber(ARGV[1]))
for _, id in ipairs(ids) do
    redis.call('hdel', KEYS[2], id)
    redis.call('del', KEYS[3] .. ':' .. id)
end
return #ids
"#;

/// The key of the done count, beside apalis' keys of the queue.
const DONE_COUNT_KEY: &str = "tim_callbacks:done_count";

/// How long an idempotency key (the callback's duplicate key) is remembered: a redelivery
/// within it is not queued again. apalis-redis ignores the key without a TTL.
const IDEMPOTENCY_TTL: Duration = Duration::from_secs(24 * 60 * 60);

/// The queue in Redis: for an app on several machines.
///
/// **An OK means "stored" only as far as Redis stores.** [`connect`](Self::connect) reads
/// the server's persistence and eviction settings (`CONFIG GET`, or `INFO` where `CONFIG`
/// is renamed, as on managed Redis) and refuses, with a [`BackendError::UnsafeStore`]
/// naming the setting and the fix:
///
/// - **no persistence** (`appendonly no` and `save ""`): a Redis restart loses every
///   callback answered OK and not yet processed. Fix: `appendonly yes`
///   (`appendfsync everysec` loses at most about 1 s on a crash), or opt in with
///   [`RedisQueueBuilder::accept_no_persistence`];
/// - **an evicting policy** (`maxmemory-policy allkeys-*`): under memory pressure Redis
///   deletes queued tasks. Fix: `noeviction` (pushes then fail, answered FAIL, when memory
///   is full), or opt in with [`RedisQueueBuilder::accept_eviction`].
///
/// It warns (a log line) when snapshots (RDB) are the only persistence, with how many
/// seconds of acked callbacks a crash can lose; when `appendfsync no` leaves the flush to
/// the OS; when a `volatile-*` policy may evict the idempotency keys (a redelivery could
/// then be queued twice); and when it cannot read the settings.
///
/// Settings, from the queue benchmark: batches of 50, no per-task lock write
/// (`lock_tasks(false)`), no pub/sub events (`emit_events(false)`), a 2 s heartbeat (the
/// tasks of a dead worker come back after 4 s), and the callback's duplicate key as the
/// idempotency key for 24 h.
///
/// A push during a Redis outage takes seconds to fail on its own: the
/// [`CallbackQueue`](crate::queue::CallbackQueue)'s budget bounds it.
///
/// **Acks of its own.** The worker's storage does not ack (`persist_results(false)`): the
/// outcomes of the tasks finished since the last ack are written by one script, the data
/// of a task done deleted and counted (apalis-redis keeps it for ever, in a done set), a
/// task that failed its last [`Retry`](super::Retry) attempt moved to apalis' dead set with
/// its last error (apalis-redis would schedule it again, up to its 25th attempt).
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

/// Connects a [`RedisQueue`], with the opt-ins for a Redis that may lose tasks: made by
/// [`RedisQueue::builder`].
#[derive(Debug, Clone)]
#[must_use = "a builder does nothing until `connect` is called"]
pub struct RedisQueueBuilder {
    url: String,
    risks: Risks,
}

impl std::fmt::Debug for RedisQueue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RedisQueue")
            .field("config", &self.config)
            .finish()
    }
}

impl RedisQueue {
    /// Connects to the Redis at `url` (e.g. `redis://127.0.0.1:6379/`) and checks that it
    /// keeps what it is given (see above). Fails when Redis does not answer, or may lose
    /// callbacks answered OK.
    pub async fn connect(url: &str) -> Result<Self, BackendError> {
        Self::builder(url).connect().await
    }

    /// A builder for a queue in the Redis at `url`, to accept a Redis that may lose tasks.
    ///
    /// ```no_run
    /// # async fn run() -> Result<(), actix_tim_callback::queue::BackendError> {
    /// use actix_tim_callback::queue::RedisQueue;
    ///
    /// // A throwaway Redis of a test environment: no persistence, and that is fine.
    /// let queue = RedisQueue::builder("redis://127.0.0.1:6379/")
    ///     .accept_no_persistence()
    ///     .connect()
    ///     .await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn builder(url: &str) -> RedisQueueBuilder {
        RedisQueueBuilder {
            url: url.to_owned(),
            risks: Risks::default(),
        }
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
    async fn in_chunks(&self, script: &str, keys: &[String]) -> Result<u64, BackendError> {
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

impl RedisQueueBuilder {
    /// Accepts a Redis that persists nothing (`appendonly no`, `save ""`): a Redis restart
    /// then loses every callback answered OK and not yet processed.
    pub fn accept_no_persistence(mut self) -> Self {
        self.risks.no_persistence = true;
        self
    }

    /// Accepts a Redis whose `maxmemory-policy` evicts any key (`allkeys-*`): under memory
    /// pressure it then deletes queued callbacks answered OK.
    pub fn accept_eviction(mut self) -> Self {
        self.risks.eviction = true;
        self
    }

    /// Connects, checks the server's settings (see [`RedisQueue`]) and sets the queue up.
    pub async fn connect(self) -> Result<RedisQueue, BackendError> {
        let mut conn = apalis_redis::connect(self.url.as_str()).await?;
        check_durability(&mut conn, self.risks).await?;
        let config = Config::default()
            .queue(QUEUE_NAME)
            .batch_size(50)
            .lock_tasks(false)
            .emit_events(false)
            .heartbeat_interval(Duration::from_secs(2))
            .idempotency_ttl(Some(IDEMPOTENCY_TTL));
        Ok(RedisQueue { conn, config })
    }
}

impl Sealed for RedisQueue {}

impl CallbackBackend for RedisQueue {
    fn callback_queue_with_budget(&self, budget: Duration) -> CallbackQueue {
        CallbackQueue::with_budget(self.storage(), budget)
    }

    fn run(&self, run: Run) -> LocalBoxFuture<'static, Result<(), WorkerError>> {
        let (finished, outcomes) = mpsc::unbounded_channel();
        let (queue, inflight) = (
            self.clone(),
            format!("{}:{}", self.config.inflight_jobs_set(), run.name),
        );
        let acks = ack_loop(outcomes, move |batch| {
            let (queue, inflight) = (queue.clone(), inflight.clone());
            Box::pin(async move { queue.ack(&inflight, batch).await })
        });
        let promote = promote_loop(self.conn.clone(), self.config.clone());
        // The worker's storage leaves the acks to `ack`.
        let storage = RedisStorage::<CallbackTask>::new(self.conn.clone())
            .with_config(self.config.clone().persist_results(false));
        let worker = WorkerBuilder::new(run.name.clone())
            .backend(Stored(storage))
            .retry(run.retry.policy())
            .build(run.acking_service(finished));
        let worker = with_side_loop(
            with_ack_loop(worker.run_until(run.stop_signal()), acks),
            promote,
        );
        let (mut conn, config) = (self.conn.clone(), self.config.clone());
        Box::pin(async move {
            // Before apalis' first fetch, which would promote the whole backlog at once.
            if let Err(err) = promote_due(&mut conn, &config).await {
                log::debug!(
                    "could not promote the due tasks of the Tencent IM callback queue: {err}"
                );
            }
            worker.await
        })
    }

    async fn counts(&self) -> Result<QueueCounts, BackendError> {
        let (pending, running, failed, done): (u64, u64, u64, u64) = redis::cmd("EVAL")
            .arg(COUNTS_SCRIPT)
            .arg(7)
            .arg(self.config.active_jobs_list())
            .arg(self.config.scheduled_jobs_set())
            .arg(self.config.workers_set())
            .arg(self.config.inflight_jobs_set())
            .arg(self.config.dead_jobs_set())
            .arg(self.config.done_jobs_set())
            .arg(DONE_COUNT_KEY)
            .query_async(&mut self.conn.clone())
            .await?;
        Ok(QueueCounts {
            pending,
            running,
            failed,
            done,
        })
    }

    async fn failed_tasks(&self, limit: usize) -> Result<Vec<FailedTask>, BackendError> {
        if limit == 0 {
            return Ok(Vec::new());
        }
        type Row = (
            String,
            Option<Vec<u8>>,
            Option<i64>,
            Option<String>,
            Option<i64>,
        );
        let rows: Vec<Row> = redis::cmd("EVAL")
            .arg(FAILED_SCRIPT)
            .arg(3)
            .arg(self.config.dead_jobs_set())
            .arg(self.config.job_data_hash())
            .arg(self.config.job_meta_hash())
            .arg(limit)
            .query_async(&mut self.conn.clone())
            .await?;
        let mut tasks: Vec<FailedTask> = rows
            .into_iter()
            .map(|(id, data, attempts, result, failed_at)| {
                let data = data.unwrap_or_default();
                FailedTask::from_stored(
                    id,
                    &data,
                    attempts.unwrap_or(0),
                    result.as_deref(),
                    failed_at,
                )
            })
            .collect();
        tasks.sort_by(|a, b| b.failed_at.cmp(&a.failed_at).then(b.id.cmp(&a.id)));
        Ok(tasks)
    }

    async fn retry_task(&self, id: &str) -> Result<bool, BackendError> {
        let retried: u64 = redis::cmd("EVAL")
            .arg(RETRY_ONE_SCRIPT)
            .arg(4)
            .arg(self.config.dead_jobs_set())
            .arg(self.config.active_jobs_list())
            .arg(self.config.job_meta_hash())
            .arg(self.config.signal_list())
            .arg(id)
            .query_async(&mut self.conn.clone())
            .await?;
        Ok(retried == 1)
    }

    async fn retry_failed(&self) -> Result<u64, BackendError> {
        let keys = [
            self.config.dead_jobs_set(),
            self.config.active_jobs_list(),
            self.config.job_meta_hash(),
            self.config.signal_list(),
        ];
        self.in_chunks(RETRY_SCRIPT, &keys).await
    }

    async fn purge_failed(&self) -> Result<u64, BackendError> {
        let keys = [
            self.config.dead_jobs_set(),
            self.config.job_data_hash(),
            self.config.job_meta_hash(),
        ];
        self.in_chunks(PURGE_SCRIPT, &keys).await
    }

    async fn purge_done(&self) -> Result<u64, BackendError> {
        let keys = [
            self.config.done_jobs_set(),
            self.config.job_data_hash(),
            self.config.job_meta_hash(),
        ];
        self.in_chunks(PURGE_SCRIPT, &keys).await
    }
}

impl RedisQueue {
    /// Writes the outcomes of a batch of finished tasks of the worker whose inflight set is
    /// `inflight`, in one script ([`ACK_SCRIPT`]).
    async fn ack(&self, inflight: &str, batch: &[Finished]) -> Result<(), redis::RedisError> {
        let mut script = redis::cmd("EVAL");
        script
            .arg(ACK_SCRIPT)
            .arg(5)
            .arg(inflight)
            .arg(self.config.job_data_hash())
            .arg(self.config.job_meta_hash())
            .arg(self.config.dead_jobs_set())
            .arg(DONE_COUNT_KEY)
            .arg(unix_now().as_secs());
        for task in batch {
            let (status, result) = match &task.error {
                None => ("Done", String::new()),
                Some(error) => ("Failed", serde_json::json!({ "Err": error }).to_string()),
            };
            script
                .arg(&task.id)
                .arg(status)
                .arg(task.attempt)
                .arg(result);
        }
        let _: u64 = script.query_async(&mut self.conn.clone()).await?;
        Ok(())
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
