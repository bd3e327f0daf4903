//! [`PostgresQueue`]: the queue in PostgreSQL, in apalis-postgres' tables, with a
//! redelivered callback kept to one task.

use std::{str::FromStr, time::Duration};

use apalis::prelude::{BackendExt, Strategy, WorkerBuilder, WorkerBuilderExt, WorkerError};
use apalis_postgres::{Config, PostgresStorage, Pubsub};
use futures_util::future::LocalBoxFuture;
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};

use tokio::sync::mpsc;

use super::{
    backend::{CallbackBackend, Finished, QueueCounts, Run, Sealed},
    backend_error::BackendError,
    failed::FailedTask,
    push::CallbackQueue,
    stored::Stored,
    task::{CallbackTask, QUEUE_NAME},
    worker::{ack_loop, with_ack_loop},
};

/// How often an idle worker looks for tasks besides the notifications: for the tasks no
/// insert announces (queued again by [`PostgresQueue::retry_failed`], or by apalis after a
/// worker died) and the ones announced while a fetch ran.
const POLL_INTERVAL: Duration = Duration::from_millis(200);

/// How long a query waits for a connection of the pool: during an outage the worker's
/// next query fails after this long (and the worker is restarted), not after sqlx's 30 s.
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(3);

/// The trigger that keeps a redelivered callback one task (see [`PostgresQueue`]) and the
/// table of the done count (the acks delete the rows of done tasks), created by
/// [`PostgresQueue::connect`] in one transaction, under an advisory lock so that apps
/// connecting at once do not collide. The trigger is created only when missing (no table
/// lock at every connect); the function is replaced, so its latest body is the one used.
const SETUP: &str = r#"
CREATE OR REPLACE FUNCTION apalis.tim_callbacks_skip_duplicate() RETURNS trigger
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
    IF NEW.idempotency_key IS NULL THEN
        RETURN NEW;
    END IF;
    -- Concurrent pushes of one key wait for each other's commit: the later one then sees
    -- the row (READ COMMITTED: each statement of the function takes a new snapshot).
    PERFORM pg_advisory_xact_lock(hashtext(NEW.job_type), hashtext(NEW.idempotency_key));
    IF EXISTS (
        SELECT 1 FROM apalis.jobs
        WHERE job_type = NEW.job_type AND idempotency_key = NEW.idempotency_key
    ) THEN
        RETURN NULL;
    END IF;
    RETURN NEW;
END
$$;
DO $$
BEGIN
    IF NOT EXISTS (
        SELECT 1 FROM pg_trigger
        WHERE tgname = 'tim_callbacks_skip_duplicate' AND tgrelid = 'apalis.jobs'::regclass
    ) THEN
        CREATE TRIGGER tim_callbacks_skip_duplicate
        BEFORE INSERT ON apalis.jobs
        FOR EACH ROW
        WHEN (NEW.job_type = 'tim_callbacks')
        EXECUTE FUNCTION apalis.tim_callbacks_skip_duplicate();
    END IF;
END
$$;
CREATE TABLE IF NOT EXISTS apalis.tim_callback_counts (
    queue text PRIMARY KEY,
    done bigint NOT NULL DEFAULT 0
);
"#;

/// The queue in PostgreSQL: for an app on several machines that has a PostgreSQL already.
///
/// [`connect`](Self::connect) runs apalis-postgres' migrations (its `apalis` schema, which
/// needs a role that may create a schema and the `hstore` extension) and sets the queue up:
///
/// - **One task per callback.** apalis-postgres 1.0 stores the idempotency key (the
///   callback's duplicate key) under a unique index, but its insert has no `ON CONFLICT`:
///   a redelivery would fail the whole batch it is pushed in, and so every request of
///   that batch. A `BEFORE INSERT` trigger on the rows of this queue skips a row whose key
///   is already there (or earlier in the same batch) instead; pushes of one key from
///   several machines at once are serialized by a transaction-scoped advisory lock, so the
///   later one is skipped, not failed. A key is remembered as long as its row is: until
///   its task is done (its row is deleted by the ack, below), or for ever when it failed.
/// - **Durability.** A request is answered OK once the transaction of its batch is
///   committed: as durable as the server's `synchronous_commit` makes it.
/// - **Group commit.** [`CallbackQueue`](crate::queue::CallbackQueue) commits the pushes of
///   concurrent requests in one transaction (apalis' one multi-row `INSERT`).
/// - **Worker:** batches of 50, no per-task lock write (`lock_tasks(false)`), a 2 s
///   heartbeat with 2 missed ones allowed (the tasks of a dead worker come back after
///   4 s), woken by apalis' `LISTEN`/`NOTIFY` on every insert and polling every 200 ms
///   besides.
/// - **Acks of its own.** The worker's storage does not ack (`persist_results(false)`):
///   the rows of the tasks done are deleted, all those finished since the last ack in one
///   statement. apalis' ack updates each row to `Done`, a new version of the row and an
///   entry in each of its six indexes, and leaves it to a purge; the worker fell behind
///   the pushes that way. A task that failed its last attempt is kept as apalis' ack
///   keeps it. A graceful stop writes the acks still waiting.
/// - **Outages.** A query waits at most 3 s for a connection: a worker whose server went
///   away fails and is restarted by its supervisor; a push fails within the
///   [`CallbackQueue`](crate::queue::CallbackQueue)'s budget.
///
/// A task whose handler fails all its [`Retry`](super::Retry) attempts is kept as a
/// `Failed` row; [`retry_failed`](CallbackBackend::retry_failed) queues those again.
///
/// ```no_run
/// use actix_tim_callback::queue::{enqueue, CallbackBackend, CallbackTask, PostgresQueue, Retry};
/// use actix_tim_callback::{CallbackConfig, TimCallback};
/// use actix_web::{web, App, HttpServer};
///
/// async fn archive(task: CallbackTask) -> Result<(), std::io::Error> {
///     println!("{} {}", task.command, task.body);
///     Ok(())
/// }
///
/// #[actix_web::main]
/// async fn main() -> std::io::Result<()> {
///     let postgres = PostgresQueue::connect("postgres://tim@db.internal/tim")
///         .await
///         .map_err(std::io::Error::other)?;
///     let queue = web::Data::new(postgres.callback_queue());
///     let worker = postgres.worker("archive", Retry::default(), archive);
///     let tim = TimCallback::new(CallbackConfig::new(1400000000));
///     HttpServer::new(move || {
///         App::new().app_data(queue.clone()).service(
///             web::scope("/im/callback")
///                 .wrap(tim.clone())
///                 .route("", web::post().to(enqueue)),
///         )
///     })
///     .bind(("127.0.0.1", 8080))?
///     .run()
///     .await?;
///     worker.stop().await;
///     Ok(())
/// }
/// ```
#[derive(Debug, Clone)]
pub struct PostgresQueue {
    pool: PgPool,
    config: Config,
}

impl PostgresQueue {
    /// Connects to the PostgreSQL at `url` (e.g. `postgres://user:password@host/db`) with a
    /// pool of up to 10 connections, and sets the queue up as above. Fails when the server
    /// does not answer or the setup fails.
    ///
    /// The connection is not encrypted: this crate builds sqlx without a TLS stack.
    pub async fn connect(url: &str) -> Result<Self, BackendError> {
        let options = PgConnectOptions::from_str(url)?;
        Self::connect_with(PgPoolOptions::new().max_connections(10), options).await
    }

    /// [`connect`](Self::connect) with a pool and connection options of its own (the
    /// 3 s acquire timeout is set on `pool`).
    pub async fn connect_with(
        pool: PgPoolOptions,
        options: PgConnectOptions,
    ) -> Result<Self, BackendError> {
        let pool = pool
            .acquire_timeout(ACQUIRE_TIMEOUT)
            .connect_with(options)
            .await?;
        PostgresStorage::<()>::setup(&pool)
            .await
            .map_err(|err| match err {
                apalis_postgres::Error::Database(err) => BackendError::Database(err),
                other => BackendError::Setup(other.to_string()),
            })?;
        let mut setup = pool.begin().await?;
        sqlx::query("SELECT pg_advisory_xact_lock(hashtext('apalis.tim_callbacks_setup'))")
            .execute(&mut *setup)
            .await?;
        sqlx::raw_sql(SETUP).execute(&mut *setup).await?;
        setup.commit().await?;
        let config = Config::default()
            .queue(QUEUE_NAME)
            .batch_size(50)
            .lock_tasks(false)
            .heartbeat_interval(Duration::from_secs(2))
            .missed_heartbeats(2);
        Ok(Self { pool, config })
    }

    /// The apalis storage of the queue, for [`CallbackQueue::new`].
    pub fn storage(&self) -> PostgresStorage<CallbackTask> {
        PostgresStorage::new(&self.pool).with_config(self.config.clone())
    }

    /// The connection pool, e.g. for queries of the app's own.
    pub fn pool(&self) -> &PgPool {
        &self.pool
    }
}

impl Sealed for PostgresQueue {}

impl CallbackBackend for PostgresQueue {
    fn callback_queue_with_budget(&self, budget: Duration) -> CallbackQueue {
        CallbackQueue::with_budget(self.storage(), budget)
    }

    fn run(&self, run: Run) -> LocalBoxFuture<'static, Result<(), WorkerError>> {
        let (finished, outcomes) = mpsc::unbounded_channel();
        let (pool, name) = (self.pool.clone(), run.name.clone());
        let acks = ack_loop(outcomes, move |batch| {
            let (pool, name) = (pool.clone(), name.clone());
            Box::pin(async move { ack(&pool, &name, batch).await })
        });
        // The interval first: a listener that could not connect ends its stream, and a
        // strategy that is ready hides the ones after it.
        let wake = Strategy::new()
            .interval(POLL_INTERVAL)
            .stream(Pubsub::new(self.pool.clone(), QUEUE_NAME.to_owned()));
        // The worker's storage leaves the acks to `ack`.
        let storage = PostgresStorage::<CallbackTask>::new(&self.pool)
            .with_config(self.config.clone().persist_results(false));
        let worker = WorkerBuilder::new(run.name.clone())
            .backend(Stored(storage.poll_with_strategy(wake)))
            .retry(run.retry.policy())
            .build(run.acking_service(finished));
        with_ack_loop(worker.run_until(run.stop_signal()), acks)
    }

    async fn counts(&self) -> Result<QueueCounts, BackendError> {
        // apalis-postgres fetches a `Failed` row again while it has attempts left.
        let (pending, running, failed, done): (i64, i64, i64, i64) = sqlx::query_as(
            "SELECT \
             COUNT(*) FILTER (WHERE status = 'Pending' \
                 OR (status = 'Failed' AND attempts < max_attempts)), \
             COUNT(*) FILTER (WHERE status IN ('Queued', 'Running')), \
             COUNT(*) FILTER (WHERE status = 'Failed' AND attempts >= max_attempts), \
             COUNT(*) FILTER (WHERE status = 'Done') \
                 + COALESCE((SELECT done FROM apalis.tim_callback_counts WHERE queue = $1), 0) \
             FROM apalis.jobs WHERE job_type = $1",
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
            "SELECT id, job, attempts, last_result::text, \
             extract(epoch FROM done_at)::bigint FROM apalis.jobs \
             WHERE job_type = $1 AND status = 'Failed' AND attempts >= max_attempts \
             ORDER BY done_at DESC NULLS LAST, id DESC LIMIT $2",
        )
        .bind(QUEUE_NAME)
        .bind(i64::try_from(limit).unwrap_or(i64::MAX))
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(id, job, attempts, result, failed_at)| {
                FailedTask::from_stored(id, &job, attempts.into(), result.as_deref(), failed_at)
            })
            .collect())
    }

    async fn retry_task(&self, id: &str) -> Result<bool, BackendError> {
        let result = sqlx::query(sqlx::AssertSqlSafe(format!("{RETRY} AND id = $2")))
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
            "DELETE FROM apalis.jobs \
             WHERE job_type = $1 AND status = 'Failed' AND attempts >= max_attempts",
        )
        .bind(QUEUE_NAME)
        .execute(&self.pool)
        .await?;
        Ok(result.rows_affected())
    }

    async fn purge_done(&self) -> Result<u64, BackendError> {
        let result = sqlx::query("DELETE FROM apalis.jobs WHERE job_type = $1 AND status = 'Done'")
            .bind(QUEUE_NAME)
            .execute(&self.pool)
            .await?;
        Ok(result.rows_affected())
    }
}

/// Queues the failed tasks of the queue `$1` again, with their attempts reset.
const RETRY: &str = "UPDATE apalis.jobs SET status = 'Pending', attempts = 0, lock_by = NULL, \
     lock_at = NULL, done_at = NULL, run_at = now() \
     WHERE job_type = $1 AND status = 'Failed' AND attempts >= max_attempts";

/// A failed task's row: id, job, attempts, last result, failure time (Unix seconds).
type FailedRow = (String, Vec<u8>, i32, Option<String>, Option<i64>);

fn count(n: i64) -> u64 {
    u64::try_from(n).unwrap_or(0)
}

/// Writes the outcomes of a batch of finished tasks of the worker `worker`: the rows of the
/// tasks done deleted and counted in one statement, a task that failed its last attempt
/// kept as a `Failed` row, as apalis' ack writes it. A row another worker took over (this
/// one was seen dead) is left to that worker.
async fn ack(pool: &PgPool, worker: &str, batch: &[Finished]) -> Result<(), sqlx::Error> {
    let done: Vec<String> = batch
        .iter()
        .filter(|task| task.error.is_none())
        .map(|task| task.id.clone())
        .collect();
    if !done.is_empty() {
        sqlx::query(
            "WITH done AS (DELETE FROM apalis.jobs WHERE id = ANY($1) AND lock_by = $2 RETURNING 1) \
             INSERT INTO apalis.tim_callback_counts (queue, done) \
             SELECT $3, count(*) FROM done \
             ON CONFLICT (queue) DO UPDATE SET done = apalis.tim_callback_counts.done + excluded.done",
        )
        .bind(done)
        .bind(worker)
        .bind(QUEUE_NAME)
        .execute(pool)
        .await?;
    }
    for task in batch.iter().filter(|task| task.error.is_some()) {
        sqlx::query(
            "UPDATE apalis.jobs SET status = 'Failed', attempts = $3, \
             last_result = jsonb_build_object('Err', $4::text), done_at = now() \
             WHERE id = $1 AND lock_by = $2",
        )
        .bind(&task.id)
        .bind(worker)
        .bind(i32::try_from(task.attempt).unwrap_or(i32::MAX))
        .bind(&task.error)
        .execute(pool)
        .await?;
    }
    Ok(())
}
