//! [`CallbackQueue`]: pushes tasks into any apalis backend, committing the pushes of
//! concurrent requests together, each request waiting for the commit of its own task.

use std::{fmt, marker::PhantomData, time::Duration};

use apalis::prelude::{TaskBuilder, TaskSink, TaskSinkError};
use futures_util::future::LocalBoxFuture;
use tokio::sync::{mpsc, oneshot};

use super::{error::QueueError, task::CallbackTask};
use crate::{log::LogSafe, telemetry};

/// At most this many tasks are committed in one push (one SQLite transaction, one Redis
/// script call).
const MAX_BATCH: usize = 256;

/// How many pushes may wait for the pusher before a request waits for room.
const CHANNEL_CAPACITY: usize = 4 * MAX_BATCH;

/// The handle requests push their callbacks through: cheap to clone, shared by every
/// actix worker.
///
/// One task per process (the *pusher*) owns the apalis backend. It takes the pushes that
/// arrived while the previous commit ran and commits them together (up to 256), then tells
/// each request its own outcome: a request is answered OK only after the commit that holds
/// its task succeeded. A push that fails, or that does not complete within the budget, is
/// a [`QueueError`], answered `FAIL`.
///
/// Each task carries the callback's duplicate key as its apalis idempotency key, and is
/// pushed with `max_attempts(1)`: retries run in the worker with backoff (see
/// [`Retry`](crate::queue::Retry)), not as immediate refetches by the backend.
///
/// Get it from the queue it pushes into
/// ([`CallbackBackend::callback_queue`](super::CallbackBackend::callback_queue)), or with
/// [`new`](Self::new) over any other apalis backend.
/// Build it once, in `main` inside the actix system, before `HttpServer::new`, and give a
/// clone to every worker with `web::Data`:
///
/// ```no_run
/// # #[cfg(feature = "queue-sqlite")]
/// # async fn run() -> std::io::Result<()> {
/// use actix_tim_callback::queue::{enqueue, CallbackBackend, SqliteQueue};
/// use actix_tim_callback::{CallbackConfig, TimCallback};
/// use actix_web::{web, App, HttpServer};
///
/// let sqlite = SqliteQueue::open("callbacks.db").await.map_err(std::io::Error::other)?;
/// let queue = web::Data::new(sqlite.callback_queue());
/// let tim = TimCallback::new(CallbackConfig::new(1400000000));
/// HttpServer::new(move || {
///     App::new().app_data(queue.clone()).service(
///         web::scope("/im/callback")
///             .wrap(tim.clone())
///             .route("", web::post().to(enqueue)),
///     )
/// })
/// .bind(("127.0.0.1", 8080))?
/// .run()
/// .await
/// # }
/// ```
#[derive(Clone)]
pub struct CallbackQueue {
    pushes: mpsc::Sender<Push>,
    budget: Duration,
}

impl fmt::Debug for CallbackQueue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CallbackQueue")
            .field("budget", &self.budget)
            .field("running", &!self.pushes.is_closed())
            .finish()
    }
}

/// One request's task and where to tell it the outcome.
struct Push {
    task: CallbackTask,
    outcome: oneshot::Sender<Result<(), QueueError>>,
}

impl CallbackQueue {
    /// The default push budget: well inside the 2 s Tencent waits for a reply, so that a
    /// queue that does not answer is reported as a `FAIL` before Tencent gives up.
    pub const DEFAULT_BUDGET: Duration = Duration::from_millis(750);

    /// Starts the pusher for `backend`, any apalis backend that takes a `CallbackTask`
    /// (`SqliteStorage<CallbackTask>`, `RedisStorage<CallbackTask>`,
    /// `PostgresStorage<CallbackTask>`, ...), with the [default budget](Self::DEFAULT_BUDGET).
    /// Each batch goes through the backend's own `push_all`.
    ///
    /// Call it inside the actix system that serves the app (e.g. in
    /// `#[actix_web::main]`): the pusher runs on that system's thread.
    pub fn new<S, K: 'static>(backend: S) -> Self
    where
        S: TaskSink<CallbackTask, K> + Clone + Send + 'static,
        TaskSinkError<S::Error>: fmt::Display,
    {
        Self::with_budget(backend, Self::DEFAULT_BUDGET)
    }

    /// [`new`](Self::new) with a push budget of its own: how long a request waits for its
    /// task to be committed before it is answered `FAIL`.
    pub fn with_budget<S, K: 'static>(backend: S, budget: Duration) -> Self
    where
        S: TaskSink<CallbackTask, K> + Clone + Send + 'static,
        TaskSinkError<S::Error>: fmt::Display,
    {
        let sink = ApalisSink {
            backend,
            kind: PhantomData,
        };
        Self::start(sink, budget)
    }

    /// Starts the pusher (on the current actix system's thread) for `backend`.
    pub(crate) fn start(backend: impl Commit, budget: Duration) -> Self {
        let (pushes, received) = mpsc::channel(CHANNEL_CAPACITY);
        // In an actix system, and in its running runtime (not after its `block_on`).
        let running = actix_web::rt::System::try_current().is_some()
            && tokio::runtime::Handle::try_current().is_ok();
        if running {
            actix_web::rt::spawn(pusher(received, backend, budget));
        } else {
            // No runtime to run the pusher on: every push fails, and says why.
            log::error!(
                "CallbackQueue built outside an actix system: every push fails ({})",
                QueueError::Closed
            );
        }
        Self { pushes, budget }
    }

    /// The push budget.
    pub fn budget(&self) -> Duration {
        self.budget
    }

    /// Queues `task` and waits, at most the budget, until it is committed.
    ///
    /// Failures are logged and counted (`tim_callback_queue_push_failures_total`).
    pub async fn push(&self, task: CallbackTask) -> Result<(), QueueError> {
        let (outcome, committed) = oneshot::channel();
        let push = async {
            self.pushes
                .send(Push { task, outcome })
                .await
                .map_err(|_| QueueError::Closed)?;
            committed.await.unwrap_or(Err(QueueError::Closed))
        };
        let result = match actix_web::rt::time::timeout(self.budget, push).await {
            Ok(result) => result,
            Err(_) => Err(QueueError::Timeout(self.budget)),
        };
        if let Err(err) = &result {
            telemetry::push_failed(err.kind());
            log::error!("Tencent IM callback not queued: {}", LogSafe(err));
        }
        result
    }
}

/// Commits one batch of tasks, all or none: what the pusher needs of a backend.
pub(crate) trait Commit: 'static {
    /// Commits `tasks`; on an error none of them is queued.
    fn commit<'a>(
        &'a mut self,
        tasks: &'a [CallbackTask],
    ) -> LocalBoxFuture<'a, Result<(), QueueError>>;
}

/// Any apalis backend, through its `push_all` on a fresh clone per batch.
///
/// An apalis storage keeps a flush that did not finish: a commit dropped when the budget
/// ran out (its requests answered `FAIL`) would be completed by the next commit on the
/// same storage in place of that commit's own tasks, and the next requests answered OK
/// with their tasks still in memory. A clone starts with an empty sink.
struct ApalisSink<S, K> {
    backend: S,
    kind: PhantomData<fn() -> K>,
}

impl<S, K> Commit for ApalisSink<S, K>
where
    S: TaskSink<CallbackTask, K> + Clone + 'static,
    K: 'static,
    TaskSinkError<S::Error>: fmt::Display,
{
    fn commit<'a>(
        &'a mut self,
        tasks: &'a [CallbackTask],
    ) -> LocalBoxFuture<'a, Result<(), QueueError>> {
        let tasks: Vec<_> = tasks
            .iter()
            .map(|task| {
                TaskBuilder::new(task.clone())
                    .idempotency_key(&task.key)
                    .max_attempts(1)
                    .build()
            })
            .collect();
        let mut backend = self.backend.clone();
        Box::pin(async move {
            backend
                .push_all(futures_util::stream::iter(tasks))
                .await
                .map_err(|err| QueueError::Push(err.to_string()))
        })
    }
}

/// Commits the pushes that are waiting, up to [`MAX_BATCH`] at a time, until every
/// [`CallbackQueue`] is dropped.
async fn pusher(mut received: mpsc::Receiver<Push>, mut backend: impl Commit, budget: Duration) {
    let mut batch = Vec::with_capacity(MAX_BATCH);
    let mut tasks = Vec::with_capacity(MAX_BATCH);
    let mut outcomes = Vec::with_capacity(MAX_BATCH);
    while received.recv_many(&mut batch, MAX_BATCH).await > 0 {
        // A request that gave up was answered FAIL: its task is not queued.
        for push in batch.drain(..) {
            if !push.outcome.is_closed() {
                tasks.push(push.task);
                outcomes.push(push.outcome);
            }
        }
        if tasks.is_empty() {
            continue;
        }
        let result = match actix_web::rt::time::timeout(budget, backend.commit(&tasks)).await {
            Ok(result) => result,
            Err(_) => Err(QueueError::Timeout(budget)),
        };
        if result.is_ok() {
            telemetry::pushed(tasks.len());
        }
        tasks.clear();
        for outcome in outcomes.drain(..) {
            let _ = outcome.send(result.clone());
        }
    }
}
