//! [`SqliteQueue`]: the queue in an SQLite file, set up as the load probe found fast and
//! safe.

use std::{
    future::Future,
    path::Path,
    str::FromStr,
    time::{Duration, SystemTime, UNIX_EPOCH},
};

use apalis::prelude::{Attempt, BackendExt, BoxDynError, WorkerBuilder, WorkerBuilderExt};
use apalis_sqlite::{Config, SqliteStorage};
use futures_util::future::LocalBoxFuture;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};

use ulid::Ulid;

use super::{
    counts::QueueCounts,
    error::QueueError,
    push::{CallbackQueue, Commit, DEFAULT_PUSH_BUDGET},
    retry::Retry,
    task::{CallbackTask, QUEUE_NAME},
    worker::{purge_loop, run_attempt, stop_signal, supervise, with_side_loop, QueueWorker},
};

/// How often an idle worker looks for new tasks (apalis' SQLite backend is not woken by a
/// push from another connection).
const POLL_INTERVAL: Duration = Duration::from_millis(50);

/// How often the worker deletes the rows of tasks it finished: apalis' ack query gets
/// slower with every finished row left (in queuebench, 1 s: 1.3k callbacks/s; 100 ms:
/// 2.5k/s; 20 ms: 3.2k/s).
const PURGE_INTERVAL: Duration = Duration::from_millis(20);

/// The queue in an SQLite file: for an app on one machine.
///
/// [`open`](Self::open) sets the file up as the load probe of this crate found both safe
/// and fast:
///
/// - **WAL, `synchronous = NORMAL`.** A commit is durable once the WAL is written; it is
///   fsynced at checkpoints. A crash of the process loses nothing; a power cut or an OS
///   crash can lose the commits since the last checkpoint (callbacks that were answered
///   OK), never corrupt the file. Use [`open_with`](Self::open_with) and
///   `SqliteSynchronous::Full` to fsync every commit instead (slower).
/// - **One connection.** Writers on several connections collide (`database is locked`,
///   p99 up to 1 s in the probe); the pusher, the worker and its heartbeats share one.
///   apalis' own `setup`, which sets `synchronous = OFF` on whichever connection it gets,
///   runs on a throwaway connection.
/// - **Group commit.** [`CallbackQueue`](crate::CallbackQueue) commits the pushes of
///   concurrent requests in one transaction; each request is answered after its commit.
/// - **Worker:** batches of 50, no per-task lock write (`lock_tasks(false)`), a 2 s
///   heartbeat (the tasks of a dead worker come back after 4 s), a poll every 50 ms when
///   idle, and the rows of finished tasks deleted every 20 ms while it works (apalis' ack
///   gets slower with every one left).
///
/// A task whose handler fails all its [`Retry`] attempts is kept as a `Failed` row;
/// [`retry_failed`](Self::retry_failed) queues those again.
#[derive(Debug, Clone)]
pub struct SqliteQueue {
    pool: SqlitePool,
    config: Config,
}

impl SqliteQueue {
    /// Opens (or creates) the queue in the SQLite file at `path`, with the settings above.
    /// Fails when the file cannot be opened or set up.
    pub async fn open(path: impl AsRef<Path>) -> Result<Self, sqlx::Error> {
        Self::open_with(path, SqliteSynchronous::Normal).await
    }

    /// [`open`](Self::open) with a `synchronous` setting of its own.
    pub async fn open_with(
        path: impl AsRef<Path>,
        synchronous: SqliteSynchronous,
    ) -> Result<Self, sqlx::Error> {
        let options = SqliteConnectOptions::from_str("sqlite:")?
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(synchronous)
            .busy_timeout(Duration::from_secs(5));
        // `SqliteStorage::setup` sets `synchronous = OFF` on its connection: a throwaway one.
        let setup = SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(options.clone())
            .await?;
        let ready = SqliteStorage::setup(&setup).await;
        setup.close().await;
        ready.map_err(|err| match err {
            apalis_sqlite::Error::Database(err) => err,
            other => sqlx::Error::Protocol(other.to_string()),
        })?;
        let pool = SqlitePoolOptions::new()
            .max_connections(1)
            .min_connections(1)
            .connect_with(options)
            .await?;
        let config = Config::default()
            .queue(QUEUE_NAME)
            .batch_size(50)
            .lock_tasks(false)
            .heartbeat_interval(Duration::from_secs(2));
        Ok(Self { pool, config })
    }

    /// The apalis storage of the queue, for [`CallbackQueue::new`](crate::CallbackQueue::new).
    pub fn storage(&self) -> SqliteStorage<CallbackTask> {
        SqliteStorage::new(&self.pool).with_config(self.config.clone())
    }

    /// Starts the [`CallbackQueue`] that requests push into this queue through, with the
    /// [default budget](DEFAULT_PUSH_BUDGET); call it inside the actix system, as
    /// [`CallbackQueue::new`].
    ///
    /// It writes each batch of tasks as one `INSERT` of apalis' rows, where apalis'
    /// own push (`CallbackQueue::new(queue.storage())`, which also works) runs one
    /// statement per task: 1.1–1.4× the callbacks per second in the queue benchmark.
    pub fn callback_queue(&self) -> CallbackQueue {
        self.callback_queue_with_budget(DEFAULT_PUSH_BUDGET)
    }

    /// [`callback_queue`](Self::callback_queue) with a push budget of its own, as
    /// [`CallbackQueue::with_budget`].
    pub fn callback_queue_with_budget(&self, budget: Duration) -> CallbackQueue {
        CallbackQueue::start(
            InsertRows {
                pool: self.pool.clone(),
            },
            budget,
        )
    }

    /// The connection pool (one connection), e.g. for queries of the app's own.
    pub fn pool(&self) -> &SqlitePool {
        &self.pool
    }

    /// Starts a supervised worker named `name` (a unique suffix is added at every start)
    /// that runs `handler` on every task, with `retry`.
    ///
    /// Call it inside the actix system (e.g. in `#[actix_web::main]`), and
    /// [`stop`](QueueWorker::stop) it before the process exits.
    ///
    /// ```no_run
    /// use actix_tim_callback::{CallbackTask, Retry, SqliteQueue};
    ///
    /// async fn archive(task: CallbackTask) -> Result<(), std::io::Error> {
    ///     println!("{} {}", task.command, task.event);
    ///     Ok(())
    /// }
    ///
    /// # async fn run() -> Result<(), sqlx::Error> {
    /// let sqlite = SqliteQueue::open("callbacks.db").await?;
    /// let worker = sqlite.worker("archive", Retry::default(), archive);
    /// // ... serve the app ...
    /// worker.stop().await;
    /// # Ok(())
    /// # }
    /// ```
    pub fn worker<F, Fut, E>(&self, name: &str, retry: Retry, handler: F) -> QueueWorker
    where
        F: Fn(CallbackTask) -> Fut + Clone + Send + Sync + 'static,
        Fut: Future<Output = Result<(), E>> + Send + 'static,
        E: Into<BoxDynError> + Send + 'static,
    {
        let storage = self.storage();
        let pool = self.pool.clone();
        supervise(name, move |unique, stop, health| {
            let purged = pool.clone();
            let purge = purge_loop(PURGE_INTERVAL, health.clone(), move || {
                let pool = purged.clone();
                async move { purge(&pool).await }
            });
            let handler = handler.clone();
            let worker = WorkerBuilder::new(unique)
                .backend(storage.clone().poll_with_interval(POLL_INTERVAL))
                .retry(retry.policy())
                .build(move |task: CallbackTask, attempt: Attempt| {
                    run_attempt(handler.clone(), task, attempt, retry, health.clone())
                });
            with_side_loop(worker.run_until(stop_signal(stop)), purge)
        })
    }

    /// Deletes the rows of finished tasks; returns how many.
    pub async fn purge_done(&self) -> Result<u64, sqlx::Error> {
        purge(&self.pool).await
    }

    /// Queues the tasks that failed all their attempts again (with their attempts reset);
    /// returns how many.
    pub async fn retry_failed(&self) -> Result<u64, sqlx::Error> {
        let result = sqlx::query(
            "UPDATE Jobs SET status = 'Pending', attempts = 0, lock_by = NULL, lock_at = NULL, \
             done_at = NULL, run_at = strftime('%s', 'now') WHERE job_type = ?1 AND status = 'Failed'",
        )
        .bind(QUEUE_NAME)
        .execute(&self.pool)
        .await?;
        Ok(result.rows_affected())
    }

    /// How many tasks wait or run (`queued`) and how many failed all their attempts.
    pub async fn counts(&self) -> Result<QueueCounts, sqlx::Error> {
        let (queued, failed): (i64, i64) = sqlx::query_as(
            "SELECT COALESCE(SUM(status IN ('Pending', 'Queued', 'Running')), 0), \
             COALESCE(SUM(status = 'Failed'), 0) FROM Jobs WHERE job_type = ?1",
        )
        .bind(QUEUE_NAME)
        .fetch_one(&self.pool)
        .await?;
        Ok(QueueCounts {
            queued: u64::try_from(queued).unwrap_or(0),
            failed: u64::try_from(failed).unwrap_or(0),
        })
    }
}

async fn purge(pool: &SqlitePool) -> Result<u64, sqlx::Error> {
    let result = sqlx::query("DELETE FROM Jobs WHERE job_type = ?1 AND status = 'Done'")
        .bind(QUEUE_NAME)
        .execute(pool)
        .await?;
    Ok(result.rows_affected())
}

/// Commits a batch of tasks as one `INSERT` of rows in apalis-sqlite 1.0's `Jobs` table,
/// with the values its own push writes (`sink.sql`): the statement is atomic, and one
/// round trip to the connection's thread instead of one per task. A duplicate key is
/// skipped, as apalis skips it.
struct InsertRows {
    pool: SqlitePool,
}

impl Commit for InsertRows {
    fn commit<'a>(
        &'a mut self,
        tasks: &'a [CallbackTask],
    ) -> LocalBoxFuture<'a, Result<(), QueueError>> {
        Box::pin(async move {
            let mut sql = String::from(
                "INSERT INTO Jobs (job, id, job_type, status, attempts, max_attempts, run_at, \
                 priority, metadata, idempotency_key) VALUES ",
            );
            for i in 0..tasks.len() {
                if i > 0 {
                    sql.push(',');
                }
                sql.push_str("(?, ?, ?, 'Pending', 0, 1, ?, 0, '{}', ?)");
            }
            sql.push_str(" ON CONFLICT (job_type, idempotency_key) DO NOTHING");
            let now = SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_or(0, |since| since.as_secs());
            let now = i64::try_from(now).unwrap_or(i64::MAX);
            // The statement holds only placeholders; the values are bound.
            let mut insert = sqlx::query(sqlx::AssertSqlSafe(sql));
            for task in tasks {
                let job =
                    serde_json::to_vec(task).map_err(|err| QueueError::Encode(err.to_string()))?;
                insert = insert
                    .bind(job)
                    .bind(Ulid::generate().to_string())
                    .bind(QUEUE_NAME)
                    .bind(now)
                    .bind(&task.key);
            }
            insert
                .execute(&self.pool)
                .await
                .map_err(|err| QueueError::Push(err.to_string()))?;
            Ok(())
        })
    }
}
