//! [`CallbackBackend`]: the one surface of every queue backend. A backend's file holds only
//! what differs (how it commits a batch, how its worker polls, its maintenance queries);
//! the worker, its supervision and the handler's attempts are written once, here and in
//! `worker.rs`.

use std::{fmt, future::Future, sync::Arc, time::Duration};

use apalis::prelude::{Attempt, BoxDynError, TaskId, WorkerError};
use futures_util::future::{BoxFuture, LocalBoxFuture};
use tokio::sync::{mpsc, watch};

use super::{
    backend_error::BackendError,
    failed::FailedTask,
    push::CallbackQueue,
    retry::Retry,
    task::CallbackTask,
    worker::{run_attempt, stop_signal, supervise, undecodable, Health, QueueWorker},
};
use crate::telemetry;

/// The tasks of a queue, by state: what [`CallbackBackend::counts`] returns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct QueueCounts {
    /// Waiting to be fetched by a worker (due now or scheduled).
    pub pending: u64,
    /// Fetched by a worker and not yet finished.
    pub running: u64,
    /// Failed all their attempts (or could not be decoded), kept: the dead tasks of
    /// [`failed_tasks`](CallbackBackend::failed_tasks).
    pub failed: u64,
    /// Done since the queue was created (the worker deletes a task once it is done, and
    /// counts it).
    pub done: u64,
}

mod sealed {
    pub trait Sealed {}
}
pub(crate) use sealed::Sealed;

/// A durable queue of callbacks: [`SqliteQueue`](super::SqliteQueue),
/// [`RedisQueue`](super::RedisQueue) or [`PostgresQueue`](super::PostgresQueue), each with
/// the same surface (in the manner of apalis' capability traits): the
/// [`CallbackQueue`] requests push into, a supervised [`worker`](Self::worker), and the
/// maintenance calls. Sealed: the crate's backends implement it.
///
/// ```no_run
/// use actix_tim_callback::queue::{BackendError, CallbackBackend, CallbackTask, Retry, SqliteQueue};
///
/// async fn archive(task: CallbackTask) -> Result<(), std::io::Error> {
///     println!("{} {}", task.command, task.body);
///     Ok(())
/// }
///
/// # async fn run() -> Result<(), BackendError> {
/// let sqlite = SqliteQueue::open("callbacks.db").await?;
/// let worker = sqlite.worker("archive", Retry::default(), archive);
/// // ... serve the app with `web::Data::new(sqlite.callback_queue())` ...
/// println!("{:?}", sqlite.counts().await?);
/// worker.stop().await;
/// # Ok(())
/// # }
/// ```
pub trait CallbackBackend: Sealed + Clone + fmt::Debug + 'static {
    /// Starts the [`CallbackQueue`] that requests push into this queue through, with a
    /// push budget of its own (see [`CallbackQueue::with_budget`]). Call it inside the
    /// actix system that serves the app.
    fn callback_queue_with_budget(&self, budget: Duration) -> CallbackQueue;

    /// [`callback_queue_with_budget`](Self::callback_queue_with_budget) with the
    /// [default budget](CallbackQueue::DEFAULT_BUDGET).
    fn callback_queue(&self) -> CallbackQueue {
        self.callback_queue_with_budget(CallbackQueue::DEFAULT_BUDGET)
    }

    /// Starts a supervised worker named `name` (a unique suffix is added at every start)
    /// that runs `handler` on every task, with `retry`.
    ///
    /// Call it inside the actix system (e.g. in `#[actix_web::main]`), and
    /// [`stop`](QueueWorker::stop) it before the process exits.
    fn worker<F, Fut, E>(&self, name: &str, retry: Retry, handler: F) -> QueueWorker
    where
        F: Fn(CallbackTask) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<(), E>> + Send + 'static,
        E: Into<BoxDynError> + Send + 'static,
    {
        let handler: Handler = Arc::new(move |task| {
            let done = handler(task);
            Box::pin(async move { done.await.map_err(Into::into) })
        });
        let backend = self.clone();
        supervise(name, move |name, stop, health| {
            backend.run(Run {
                name,
                stop,
                retry,
                handler: handler.clone(),
                health,
            })
        })
    }

    /// One run of the backend's apalis worker, until it fails or is stopped.
    #[doc(hidden)]
    fn run(&self, run: Run) -> LocalBoxFuture<'static, Result<(), WorkerError>>;

    /// How many tasks are pending, running, failed (dead) and done.
    fn counts(&self) -> impl Future<Output = Result<QueueCounts, BackendError>> + Send;

    /// Up to `limit` of the tasks that failed all their attempts, the latest failure first,
    /// each with its last error.
    fn failed_tasks(
        &self,
        limit: usize,
    ) -> impl Future<Output = Result<Vec<FailedTask>, BackendError>> + Send;

    /// Queues the failed task `id` (a [`FailedTask::id`]) again with its attempts reset;
    /// `false` when no failed task has this id (it was retried or purged already).
    fn retry_task(&self, id: &str) -> impl Future<Output = Result<bool, BackendError>> + Send;

    /// Queues every task that failed all its attempts again, with its attempts reset;
    /// returns how many.
    fn retry_failed(&self) -> impl Future<Output = Result<u64, BackendError>> + Send;

    /// Deletes the tasks that failed all their attempts, for good; returns how many.
    fn purge_failed(&self) -> impl Future<Output = Result<u64, BackendError>> + Send;

    /// Deletes what is left of the tasks that are done (the worker deletes each once it is
    /// done; older versions of this crate left them); returns how many.
    fn purge_done(&self) -> impl Future<Output = Result<u64, BackendError>> + Send;
}

/// The app's handler, as every backend's worker runs it.
pub(crate) type Handler =
    Arc<dyn Fn(CallbackTask) -> BoxFuture<'static, Result<(), BoxDynError>> + Send + Sync>;

/// What one run of a worker needs: its unique name, its stop signal, the handler and its
/// retries, and the health it reports.
#[allow(unreachable_pub)] // Named by the sealed trait only.
pub struct Run {
    pub(crate) name: String,
    pub(crate) stop: watch::Receiver<bool>,
    pub(crate) retry: Retry,
    handler: Handler,
    pub(crate) health: Arc<Health>,
}

impl Run {
    /// The apalis service of the run, for a worker whose storage does not ack
    /// (`persist_results(false)`) and hands it each task as the bytes the store holds
    /// ([`Stored`](super::stored::Stored)): decodes the task, runs the handler's attempt,
    /// and sends the last outcome of each task (done, failed its last attempt, or
    /// undecodable) to `finished`, for the backend to write in batches of its own
    /// ([`ack_loop`](super::worker::ack_loop)).
    ///
    /// A task that cannot be decoded is not run and not retried: it is failed at once,
    /// with the decoding error as its last error.
    pub(crate) fn acking_service(
        &self,
        finished: mpsc::UnboundedSender<Finished>,
    ) -> impl Fn(Vec<u8>, Attempt, TaskId) -> BoxFuture<'static, Result<(), BoxDynError>>
           + Clone
           + Send
           + Sync
           + 'static {
        let (handler, retry, health) = (self.handler.clone(), self.retry, self.health.clone());
        move |stored: Vec<u8>, attempt: Attempt, task_id: TaskId| {
            let (handler, health, finished) = (handler.clone(), health.clone(), finished.clone());
            let id = task_id.to_string();
            let number = attempt.current();
            Box::pin(telemetry::in_task_span(number, &task_id, async move {
                let task = match serde_json::from_slice::<CallbackTask>(&stored) {
                    Ok(task) => {
                        telemetry::task_decoded(
                            &task.command,
                            task.sdk_app_id,
                            &task.key,
                            task.traceparent.as_deref(),
                            task.tracestate.as_deref(),
                        );
                        task
                    }
                    Err(err) => {
                        let error = undecodable(&id, &err, &health);
                        let _ = finished.send(Finished {
                            id,
                            attempt: attempt.current(),
                            error: Some(error),
                        });
                        return Ok(());
                    }
                };
                let result = run_attempt(handler, task, attempt.clone(), retry, health).await;
                let attempt = attempt.current();
                let error = match &result {
                    Ok(()) => None,
                    Err(err) if attempt >= retry.attempts.max(1) => Some(err.to_string()),
                    // Tried again by the retry layer.
                    Err(_) => return result,
                };
                let _ = finished.send(Finished { id, attempt, error });
                result
            }))
        }
    }

    /// The future that ends when the worker is asked to stop, as apalis' `run_until` takes.
    pub(crate) fn stop_signal(
        &self,
    ) -> impl Future<Output = Result<(), std::io::Error>> + Send + 'static {
        stop_signal(self.stop.clone())
    }
}

/// The last outcome of a task, as a backend that acks by itself writes it.
#[derive(Debug)]
pub(crate) struct Finished {
    /// The apalis task id.
    pub(crate) id: String,
    /// The attempts made.
    pub(crate) attempt: usize,
    /// `None` when the task is done, else the error of its last attempt.
    pub(crate) error: Option<String>,
}

impl fmt::Debug for Run {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Run")
            .field("name", &self.name)
            .field("retry", &self.retry)
            .finish_non_exhaustive()
    }
}
