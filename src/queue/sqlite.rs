//! [`SqliteQueue`]: the queue in an SQLite file.

use std::{path::Path, str::FromStr, time::Duration};

use apalis::prelude::{BackendExt, WorkerBuilder, WorkerBuilderExt, WorkerError};
use apalis_sqlite::{Config, SqliteStorage};
use futures_util::future::LocalBoxFuture;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};

use ulid::Ulid;

use tokio::sync::mpsc;

use super::{
    backend::{CallbackBackend, Finished, QueueCounts, Run, Sealed},
    backend_error::BackendError,
    error::QueueError,
    failed::FailedTask,
    push::{CallbackQueue, Commit},
    stored::Stored,
    task::{CallbackTask, QUEUE_NAME},
    worker::{ack_loop, with_ack_loop},
};
use crate::log::unix_now;

/// How often an idle worker looks for new tasks (apalis' SQLite backend is not woken by a
/// push from another connection).
const POLL_INTERVAL: Duration = Duration::from_millis(50);

/// The queue in an SQLite file: for an app on one machine.
///
/// [`open`](Self::open) sets the file up as the queue benchmark found both safe and fast:
///
/// - **WAL, `synchronous = NORMAL`.** A commit is durable once the WAL is written; it is
///   fsynced at checkpoints. A crash of the process loses nothing; a power cut or an OS
///   crash can lose the commits since the last checkpoint (callbacks that were answered
///   OK), never corrupt the file. Use [`open_with`](Self::open_with) and
///   `SqliteSynchronous::Full` to fsync every commit instead (slower).
/// - **One connection.** Writers on several connections collide (`database is locked`,
///   with SQLite's busy handler sleeping between tries); the pusher, the worker and its
///   heartbeats share one.
///   apalis' own `setup`, which sets `synchronous = OFF` on whichever connection it gets,
///   runs on a throwaway connection.
/// - **Group commit.** [`CallbackQueue`](crate::queue::CallbackQueue) commits the pushes of
///   concurrent requests in one transaction; each request is answered after its commit.
/// - **Worker:** batches of 50, no per-task lock write (`lock_tasks(false)`), a 2 s
///   heartbeat (the tasks of a dead worker come back after 4 s), a poll every 50 ms when
///   idle.
/// - **Acks of its own.** The worker's storage does not ack (`persist_results(false)`):
///   the rows of the tasks done are deleted, all those finished since the last ack in one
///   statement, where apalis' ack would first mark each `Done` (a write of the row and of
///   the indexes on its status) for a purge to delete. A task that failed its last attempt
///   is kept as apalis' ack keeps it. A graceful stop writes the acks still waiting.
///
/// A task whose handler fails all its [`Retry`](super::Retry) attempts is kept as a
/// `Failed` row; [`retry_failed`](CallbackBackend::retry_failed) queues those again.
#[derive(Debug, Clone)]
pub struct SqliteQueue {
    pool: SqlitePool,
    config: Config,
}

impl SqliteQueue {
    /// Opens (or creates) the queue in the SQLite file at `path`, with the settings above.
    /// Fails when the file cannot be opened or set up.
    pub async fn open(path: impl AsRef<Path>) -> Result<Self, BackendError> {
        Self::open_with(path, SqliteSynchronous::Normal).await
    }

    /// [`open`](Self::open) with a `synchronous` setting of its own.
    pub async fn open_with(
        path: impl AsRef<Path>,
        synchronous: SqliteSynchronous,
    ) -> Result<Self, BackendError> {
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
        let ready = match SqliteStorage::setup(&setup).await {
            Ok(()) => finish_setup(&setup).await.map_err(BackendError::from),
            Err(apalis_sqlite::Error::Database(err)) => Err(err.into()),
            Err(other) => Err(BackendError::Setup(other.to_string())),
        };
        setup.close().await;
        ready?;
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

    /// The apalis storage of the queue, for [`CallbackQueue::new`].
    pub fn storage(&self) -> SqliteStorage<CallbackTask> {
        SqliteStorage::new(&self.pool).with_config(self.config.clone())
    }

    /// The connection pool (one connection), e.g. for queries of the app's own.
    pub fn pool(&self) -> &SqlitePool {
        &self.pool
    }
}

impl Sealed for SqliteQueue {}

impl CallbackBackend for SqliteQueue {
    /// Writes each batch of tasks as one `INSERT` of apalis' rows, where apalis' own push
    /// (`CallbackQueue::new(queue.storage())`, which also works) runs one statement per
    /// task.
    fn callback_queue_with_budget(&self, budget: Duration) -> CallbackQueue {
        let rows = InsertRows {
            pool: self.pool.clone(),
        };
        CallbackQueue::start(rows, budget)
    }

    fn run(&self, run: Run) -> LocalBoxFuture<'static, Result<(), WorkerError>> {
        let (finished, outcomes) = mpsc::unbounded_channel();
        let (pool, name) = (self.pool.clone(), run.name.clone());
        let acks = ack_loop(outcomes, move |batch| {
            let (pool, name) = (pool.clone(), name.clone());
            Box::pin(async move { ack(&pool, &name, batch).await })
        });
        // The worker's storage leaves the acks to `ack`.
        let storage = SqliteStorage::<CallbackTask>::new(&self.pool)
            .with_config(self.config.clone().persist_results(false));
        let worker = WorkerBuilder::new(run.name.clone())
            .backend(Stored(storage.poll_with_interval(POLL_INTERVAL)))
            .retry(run.retry.policy())
            .build(run.acking_service(finished));
        with_ack_loop(worker.run_until(run.stop_signal()), acks)
    }

    async fn counts(&self) -> Result<QueueCounts, BackendError> {
        // apalis fetches a `Failed` row again while it has attempts left.
        let (pending, running, failed, done): (i64, i64, i64, i64) = sqlx::query_as(
            "SELECT \
             COALESCE(SUM(status = 'Pending' OR (status = 'Failed' AND attempts < max_attempts)), 0), \
             COALESCE(SUM(status IN ('Queued', 'Running')), 0), \
             COALESCE(SUM(status = 'Failed' AND attempts >= max_attempts), 0), \
             COALESCE(SUM(status = 'Done'), 0) \
                 + COALESCE((SELECT done FROM TimCallbackCounts WHERE queue = ?1), 0) \
             FROM Jobs WHERE job_type = ?1",
        )
        .bind(QUEUE_NAME)
        .fetch_one(&self.pool)
        .await?;
        Ok(QueueCounts {
            pending: count(pending),
            running: count(running),
            failed: count(failed),
            done: count(done),
        })
    }

    async fn failed_tasks(&self, limit: usize) -> Result<Vec<FailedTask>, BackendError> {
        let rows: Vec<FailedRow> = sqlx::query_as(
            "SELECT id, CAST(job AS BLOB), attempts, CAST(last_result AS TEXT), done_at FROM Jobs \
             WHERE job_type = ?1 AND status = 'Failed' AND attempts >= max_attempts \
             ORDER BY done_at DESC, id DESC LIMIT ?2",
        )
        .bind(QUEUE_NAME)
        .bind(i64::try_from(limit).unwrap_or(i64::MAX))
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(id, job, attempts, result, failed_at)| {
                FailedTask::from_stored(id, &job, attempts, result.as_deref(), failed_at)
            })
            .collect())
    }

    async fn retry_task(&self, id: &str) -> Result<bool, BackendError> {
        let result = sqlx::query(sqlx::AssertSqlSafe(format!("{RETRY} AND id = ?2")))
            .bind(QUEUE_NAME)
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(result.rows_affected() > 0)
    }

    async fn retry_failed(&self) -> Result<u64, BackendError> {
        let result = sqlx::query(RETRY)
            .bind(QUEUE_NAME)
            .execute(&self.pool)
            .await?;
        Ok(result.rows_affected())
    }

    async fn purge_failed(&self) -> Result<u64, BackendError> {
        let result = sqlx::query(
            "DELETE FROM Jobs WHERE job_type = ?1 AND status = 'Failed' AND attempts >= max_attempts",
        )
        .bind(QUEUE_NAME)
        .execute(&self.pool)
        .await?;
        Ok(result.rows_affected())
    }

    async fn purge_done(&self) -> Result<u64, BackendError> {
        let result = sqlx::query("DELETE FROM Jobs WHERE job_type = ?1 AND status = 'Done'")
            .bind(QUEUE_NAME)
            .execute(&self.pool)
            .await?;
        Ok(result.rows_affected())
    }
}

/// Queues the failed tasks of the queue `?1` again, with their attempts reset.
const RETRY: &str = "UPDATE Jobs SET status = 'Pending', attempts = 0, lock_by = NULL, \
     lock_at = NULL, done_at = NULL, run_at = strftime('%s', 'now') \
     WHERE job_type = ?1 AND status = 'Failed' AND attempts >= max_attempts";

/// The done tasks, counted by the acks (their rows are deleted).
const COUNTS_TABLE: &str = "CREATE TABLE IF NOT EXISTS TimCallbackCounts \
     (queue TEXT PRIMARY KEY NOT NULL, done INTEGER NOT NULL DEFAULT 0)";

/// A failed task's row: id, job, attempts, last result, failure time (Unix seconds).
type FailedRow = (String, Vec<u8>, i64, Option<String>, Option<i64>);

fn count(n: i64) -> u64 {
    u64::try_from(n).unwrap_or(0)
}

/// Writes the outcomes of a batch of finished tasks of the worker `worker`: the rows of the
/// tasks done deleted in one statement and counted, a task that failed its last attempt
/// kept as a `Failed` row, as apalis' ack writes it. A row another worker took over (this
/// one was seen dead) is left to that worker.
async fn ack(pool: &SqlitePool, worker: &str, batch: &[Finished]) -> Result<(), sqlx::Error> {
    let done: Vec<&str> = batch
        .iter()
        .filter(|task| task.error.is_none())
        .map(|task| task.id.as_str())
        .collect();
    let mut tx = pool.begin().await?;
    if !done.is_empty() {
        let ids = serde_json::to_string(&done).map_err(|err| sqlx::Error::Encode(err.into()))?;
        let deleted = sqlx::query(
            "DELETE FROM Jobs WHERE id IN (SELECT value FROM json_each(?1)) AND lock_by = ?2",
        )
        .bind(ids)
        .bind(worker)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        sqlx::query(
            "INSERT INTO TimCallbackCounts (queue, done) VALUES (?1, ?2) \
             ON CONFLICT (queue) DO UPDATE SET done = done + excluded.done",
        )
        .bind(QUEUE_NAME)
        .bind(i64::try_from(deleted).unwrap_or(i64::MAX))
        .execute(&mut *tx)
        .await?;
    }
    for task in batch.iter().filter(|task| task.error.is_some()) {
        sqlx::query(
            "UPDATE Jobs SET status = 'Failed', attempts = ?3, last_result = json_object('Err', ?4), \
             done_at = strftime('%s', 'now') WHERE id = ?1 AND lock_by = ?2",
        )
        .bind(&task.id)
        .bind(worker)
        .bind(i64::try_from(task.attempt).unwrap_or(i64::MAX))
        .bind(&task.error)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await
}

/// Creates the table of the done count, and [tells the planner](plan_acks_by_id) how acks
/// find their rows.
async fn finish_setup(pool: &SqlitePool) -> Result<(), sqlx::Error> {
    sqlx::query(COUNTS_TABLE).execute(pool).await?;
    plan_acks_by_id(pool).await
}

/// Tells SQLite's planner what holds for apalis' `lock_by` index (`LIdx`): one worker's
/// name is on every row it fetched, so `lock_by = ?` selects most of the table.
///
/// Without statistics the planner takes any equality on an index as selective, and runs
/// apalis' ack (`UPDATE Jobs … FROM json_each(?) WHERE Jobs.id = j.task_id AND
/// Jobs.lock_by = ?`) as a walk of every row of the worker, each against the whole JSON
/// array of the batch, parsed again for each row: the ack cost grows with the rows the
/// worker left and took most of SQLite's time. With this one statistics row it looks each
/// task of the batch up by its id. Written at every open, after apalis' setup (whose
/// `PRAGMA optimize` may analyze the table again); the connections opened after it read it.
async fn plan_acks_by_id(pool: &SqlitePool) -> Result<(), sqlx::Error> {
    let mut tx = pool.begin().await?;
    // ANALYZE of the small Workers table creates `sqlite_stat1` when it is missing.
    sqlx::query("ANALYZE Workers").execute(&mut *tx).await?;
    sqlx::query("DELETE FROM sqlite_stat1 WHERE tbl = 'Jobs' AND idx = 'LIdx'")
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES ('Jobs', 'LIdx', '1000000 1000000')",
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await
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
            let now = i64::try_from(unix_now().as_secs()).unwrap_or(i64::MAX);
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
