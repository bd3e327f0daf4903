//! [`CallbackBackend`]: the one surface of every queue backend. A backend's file holds only
//! what differs (how it commits a batch, how its worker polls, its maintenance queries);
//! the worker, its supervision and the handler's attempts are written once, here and in
//! `worker.rs`.

use std::{fmt, future::Future, sync::Arc, time::Duration};

use apalis::prelude::{Attempt, BoxDynError, TaskId, WorkerError};
use futures_util::future::{BoxFuture, LocalBoxFuture};
use tokio::sync::{mpsc, watch};

use super::{
    push::CallbackQueue,
    retry::Retry,
    task::CallbackTask,
    worker::{run_attempt, stop_signal, supervise, Health, QueueWorker},
};

/// The tasks of a queue, by state: what [`CallbackBackend::counts`] returns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct QueueCounts {
    /// Waiting or running.
    pub queued: u64,
    /// Failed all their attempts, kept.
    pub failed: u64,
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
/// use actix_tim_callback::queue::{CallbackBackend, CallbackTask, Retry, SqliteQueue};
///
/// async fn archive(task: CallbackTask) -> Result<(), std::io::Error> {
///     println!("{} {}", task.command, task.body);
///     Ok(())
/// }
///
/// # async fn run() -> Result<(), sqlx::Error> {
/// let sqlite = SqliteQueue::open("callbacks.db").await?;
/// let worker = sqlite.worker("archive", Retry::default(), archive);
/// // ... serve the app with `web::Data::new(sqlite.callback_queue())` ...
/// println!("{:?}", sqlite.counts().await?);
/// worker.stop().await;
/// # Ok(())
/// # }
/// ```
pub trait CallbackBackend: Sealed + Clone + fmt::Debug + 'static {
    /// The error of the backend's own calls.
    type Error: std::error::Error + Send + Sync + 'static;

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

    /// How many tasks wait or run, and how many failed all their attempts.
    fn counts(&self) -> impl Future<Output = Result<QueueCounts, Self::Error>> + Send;

    /// Queues the tasks that failed all their attempts again, with their attempts reset;
    /// returns how many.
    fn retry_failed(&self) -> impl Future<Output = Result<u64, Self::Error>> + Send;

    /// Deletes what is left of the tasks that are done; returns how many. The worker does
    /// it by itself while it works.
    fn purge_done(&self) -> impl Future<Output = Result<u64, Self::Error>> + Send;
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
    /// The apalis service of the run: one attempt of the handler per task.
    pub(crate) fn service(
        &self,
    ) -> impl Fn(CallbackTask, Attempt) -> BoxFuture<'static, Result<(), BoxDynError>>
           + Clone
           + Send
           + Sync
           + 'static {
        let (handler, retry, health) = (self.handler.clone(), self.retry, self.health.clone());
        move |task, attempt| {
            Box::pin(run_attempt(
                handler.clone(),
                task,
                attempt,
                retry,
                health.clone(),
            ))
        }
    }

    /// [`service`](Self::service) for a worker whose storage does not ack
    /// (`persist_results(false)`): the last outcome of each task (done, or failed its last
    /// attempt) goes to `finished`, for the backend to write in batches of its own
    /// ([`ack_loop`](super::worker::ack_loop)).
    pub(crate) fn acking_service(
        &self,
        finished: mpsc::UnboundedSender<Finished>,
    ) -> impl Fn(CallbackTask, Attempt, TaskId) -> BoxFuture<'static, Result<(), BoxDynError>>
           + Clone
           + Send
           + Sync
           + 'static {
        let (handler, retry, health) = (self.handler.clone(), self.retry, self.health.clone());
        move |task, attempt: Attempt, id: TaskId| {
            let (handler, health, finished) = (handler.clone(), health.clone(), finished.clone());
            Box::pin(async move {
                let result = run_attempt(handler, task, attempt.clone(), retry, health).await;
                let attempt = attempt.current();
                let error = match &result {
                    Ok(()) => None,
                    Err(err) if attempt >= retry.attempts.max(1) => Some(err.to_string()),
                    // Tried again by the retry layer.
                    Err(_) => return result,
                };
                let _ = finished.send(Finished {
                    id: id.to_string(),
                    attempt,
                    error,
                });
                result
            })
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
