//! [`QueueWorker`]: a supervised apalis worker, restarted under a new name whenever it
//! exits, with its health visible and a graceful stop.

use std::{
    fmt,
    future::Future,
    pin::pin,
    sync::{
        atomic::{AtomicBool, AtomicU64, Ordering},
        Arc,
    },
    time::{Duration, Instant},
};

use apalis::prelude::{Attempt, BoxDynError, WorkerError};
use futures_util::future::{select, Either, LocalBoxFuture};
use tokio::sync::{mpsc, watch};

use super::{
    backend::{Finished, Handler},
    retry::Retry,
    task::CallbackTask,
};
use crate::{
    log::{unix_now, LogSafe},
    telemetry,
};

/// The first wait before a worker that exited is started again; it doubles up to
/// [`MAX_RESTART_DELAY`] while the worker keeps exiting within [`STABLE_RUN`].
const FIRST_RESTART_DELAY: Duration = Duration::from_millis(200);
const MAX_RESTART_DELAY: Duration = Duration::from_secs(5);
const STABLE_RUN: Duration = Duration::from_secs(30);

/// How long [`QueueWorker::stop`] waits for the tasks in hand: less than the 30 s that
/// actix's `HttpServer` and Kubernetes each give a stopping process.
pub const STOP_GRACE: Duration = Duration::from_secs(10);

/// A running queue worker: an apalis worker that takes [`CallbackTask`]s and runs the
/// app's handler on each, with [`Retry`](crate::queue::Retry) settings, supervised.
///
/// - **Unique names.** apalis refuses a worker whose name was seen within the heartbeat
///   (the worker exits at once, its tasks untouched), so every start gets a name of its own:
///   the given name, the process id, the process start time and a run number.
/// - **Supervision.** An apalis worker exits on its first backend error (e.g. Redis
///   restarted) or when its name is refused; this one is started again, 200 ms later at
///   first, up to 5 s apart while it keeps failing. Each exit is logged at error level and
///   counted (`tim_callback_queue_worker_restarts_total`); [`is_up`](Self::is_up) and the
///   `tim_callback_queue_worker_up` gauge say whether it runs.
/// - **Graceful stop.** [`stop`](Self::stop) lets the tasks in hand finish (for at most
///   [`STOP_GRACE`]) and the worker deregister; await it before the process exits (after `HttpServer::run` returns), or
///   the runtime may go away under the backend's connections.
///
/// Made by [`CallbackBackend::worker`](super::CallbackBackend::worker). It runs on the
/// actix system's thread it was started on.
pub struct QueueWorker {
    health: Arc<Health>,
    stop: watch::Sender<bool>,
    supervisor: Option<actix_web::rt::task::JoinHandle<()>>,
}

/// What the supervisor and the handler wrapper report.
#[derive(Debug, Default)]
pub(crate) struct Health {
    up: AtomicBool,
    restarts: AtomicU64,
    done: AtomicU64,
    failed: AtomicU64,
}

impl fmt::Debug for QueueWorker {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("QueueWorker")
            .field("up", &self.is_up())
            .field("restarts", &self.restarts())
            .field("done", &self.done())
            .field("failed", &self.failed())
            .finish()
    }
}

impl QueueWorker {
    /// Whether the apalis worker is running now (false between an exit and its restart,
    /// and after [`stop`](Self::stop)).
    pub fn is_up(&self) -> bool {
        self.health.up.load(Ordering::Relaxed)
    }

    /// How many times the worker exited and was started again.
    pub fn restarts(&self) -> u64 {
        self.health.restarts.load(Ordering::Relaxed)
    }

    /// Tasks the handler completed since the worker was started.
    pub fn done(&self) -> u64 {
        self.health.done.load(Ordering::Relaxed)
    }

    /// Tasks that failed their last attempt since the worker was started.
    pub fn failed(&self) -> u64 {
        self.health.failed.load(Ordering::Relaxed)
    }

    /// Stops the worker: no new task is fetched, the ones in hand finish, the worker
    /// deregisters. Returns once it has, or after [`STOP_GRACE`] at most, as
    /// [`stop_within`](Self::stop_within) does.
    pub async fn stop(self) {
        self.stop_within(STOP_GRACE).await;
    }

    /// Stops the worker as [`stop`](Self::stop) does, waiting at most `grace` for the tasks
    /// in hand; returns whether they all finished in time.
    ///
    /// A task waiting between two attempts of its [`Retry`] holds the stop for as long as
    /// its backoff, so the wait is bounded. Once `grace` has passed, the worker is dropped
    /// where it is: the tasks it still holds stay locked by it and are run again once the
    /// backend sees the worker dead (about 4 s without its heartbeat), as after a crash.
    pub async fn stop_within(mut self, grace: Duration) -> bool {
        let _ = self.stop.send(true);
        let Some(mut supervisor) = self.supervisor.take() else {
            return true;
        };
        if actix_web::rt::time::timeout(grace, &mut supervisor)
            .await
            .is_ok()
        {
            return true;
        }
        supervisor.abort();
        log::warn!(
            "the Tencent IM callback queue worker still held tasks {grace:?} after it was asked \
             to stop; dropped them, they run again once the queue sees the worker dead"
        );
        false
    }
}

impl Drop for QueueWorker {
    fn drop(&mut self) {
        let _ = self.stop.send(true);
    }
}

/// A future that completes when the worker is asked to stop, as apalis' `run_until` takes.
pub(crate) async fn stop_signal(mut stop: watch::Receiver<bool>) -> Result<(), std::io::Error> {
    let _ = stop.wait_for(|stop| *stop).await;
    Ok(())
}

/// Starts `run` (one run of an apalis worker, under the name it is given, until the stop
/// signal) and starts it again whenever it exits, until [`QueueWorker::stop`].
pub(crate) fn supervise<F>(name: &str, mut run: F) -> QueueWorker
where
    F: FnMut(
            String,
            watch::Receiver<bool>,
            Arc<Health>,
        ) -> LocalBoxFuture<'static, Result<(), WorkerError>>
        + 'static,
{
    let health = Arc::new(Health::default());
    let (stop, stopped) = watch::channel(false);
    let started_ms = unix_now().as_millis();
    let process = format!("{name}-{}-{started_ms}", std::process::id());
    let name = name.to_owned();
    let shared = health.clone();
    let supervisor = actix_web::rt::spawn(async move {
        let health = shared;
        let mut delay = FIRST_RESTART_DELAY;
        for run_number in 1u64.. {
            let unique = format!("{process}-{run_number}");
            health.up.store(true, Ordering::Relaxed);
            telemetry::worker_up(&name, true);
            log::info!("Tencent IM callback queue worker {unique} started");
            let started = Instant::now();
            let result = run(unique.clone(), stopped.clone(), health.clone()).await;
            health.up.store(false, Ordering::Relaxed);
            telemetry::worker_up(&name, false);
            if *stopped.borrow() {
                log::info!("Tencent IM callback queue worker {unique} stopped");
                return;
            }
            if started.elapsed() > STABLE_RUN {
                delay = FIRST_RESTART_DELAY;
            }
            match result {
                Ok(()) => log::error!(
                    "Tencent IM callback queue worker {unique} exited; restarting in {delay:?}"
                ),
                Err(err) => log::error!(
                    "Tencent IM callback queue worker {unique} failed ({}); restarting in {delay:?}",
                    LogSafe(err)
                ),
            }
            health.restarts.fetch_add(1, Ordering::Relaxed);
            telemetry::worker_restart(&name);
            let wait = actix_web::rt::time::sleep(delay);
            let stopping = stop_signal(stopped.clone());
            if let Either::Right(_) = select(pin!(wait), pin!(stopping)).await {
                return;
            }
            delay = (delay * 2).min(MAX_RESTART_DELAY);
        }
    });
    QueueWorker {
        health,
        stop,
        supervisor: Some(supervisor),
    }
}

/// Runs a backend's worker future with its side loop (a loop that never ends, such as the
/// promotion of due retries) beside it: the worker's end, or its graceful stop, decides.
#[cfg(feature = "queue-redis")]
pub(crate) fn with_side_loop(
    worker: impl Future<Output = Result<(), WorkerError>> + 'static,
    side_loop: impl Future<Output = ()> + 'static,
) -> LocalBoxFuture<'static, Result<(), WorkerError>> {
    Box::pin(async move {
        match select(Box::pin(worker), Box::pin(side_loop)).await {
            Either::Left((result, _)) => result,
            Either::Right(((), worker)) => worker.await,
        }
    })
}

/// At most this many outcomes are written in one ack.
const MAX_ACK_BATCH: usize = 512;

/// How long an ack that failed waits before it is tried again.
const ACK_RETRY_DELAY: Duration = Duration::from_millis(200);

/// How long a worker that stopped waits for the acks of the tasks it finished.
const ACK_FLUSH: Duration = Duration::from_secs(2);

/// Writes the outcomes of finished tasks (from [`Run::acking_service`]) with `ack`, all that
/// are waiting at once, until every sender is dropped. A batch whose ack fails is tried
/// again while the worker runs; if the run ends first, its tasks stay locked by this worker
/// and are run again once apalis sees the worker dead (at least once).
///
/// [`Run::acking_service`]: super::backend::Run::acking_service
pub(crate) async fn ack_loop<E: fmt::Display>(
    mut finished: mpsc::UnboundedReceiver<Finished>,
    mut ack: impl for<'a> FnMut(&'a [Finished]) -> LocalBoxFuture<'a, Result<(), E>>,
) {
    let mut batch = Vec::with_capacity(MAX_ACK_BATCH);
    while finished.recv_many(&mut batch, MAX_ACK_BATCH).await > 0 {
        while let Err(err) = ack(&batch).await {
            log::warn!(
                "could not mark finished tasks of the Tencent IM callback queue: {err}; retrying"
            );
            actix_web::rt::time::sleep(ACK_RETRY_DELAY).await;
        }
        batch.clear();
    }
}

/// Runs a backend's worker future with its [`ack_loop`] beside it. When the worker ends
/// (its service, and so every sender of the ack loop, dropped), the acks still waiting
/// are written, for at most 2 s, before the run returns.
pub(crate) fn with_ack_loop(
    worker: impl Future<Output = Result<(), WorkerError>> + 'static,
    acks: impl Future<Output = ()> + 'static,
) -> LocalBoxFuture<'static, Result<(), WorkerError>> {
    Box::pin(async move {
        match select(Box::pin(worker), Box::pin(acks)).await {
            Either::Left((result, acks)) => {
                let _ = actix_web::rt::time::timeout(ACK_FLUSH, acks).await;
                result
            }
            // Only once every sender is gone: the worker is ending.
            Either::Right(((), worker)) => worker.await,
        }
    })
}

/// Runs the app's handler on one attempt of a task (`attempt`, out of `retry.attempts`),
/// and counts its outcome.
pub(crate) async fn run_attempt(
    handler: Handler,
    task: CallbackTask,
    attempt: Attempt,
    retry: Retry,
    health: Arc<Health>,
) -> Result<(), BoxDynError> {
    let attempt = attempt.current();
    let attempts = retry.attempts.max(1);
    let key = task.key.clone();
    let command = task.command.clone();
    match handler(task).await {
        Ok(()) => {
            health.done.fetch_add(1, Ordering::Relaxed);
            telemetry::attempt("done");
            Ok(())
        }
        Err(err) => {
            let (command, key) = (LogSafe(&command), LogSafe(&key));
            if attempt >= attempts {
                health.failed.fetch_add(1, Ordering::Relaxed);
                telemetry::attempt("failed");
                log::error!(
                    "queued Tencent IM callback {command} ({key}) failed its last attempt ({attempt} of {attempts}), kept as failed: {}",
                    LogSafe(&err)
                );
            } else {
                telemetry::attempt("retry");
                log::warn!(
                    "queued Tencent IM callback {command} ({key}) failed attempt {attempt} of {attempts}, retried: {}",
                    LogSafe(&err)
                );
            }
            Err(err)
        }
    }
}

/// Logs and counts a stored task that cannot be decoded (a corrupted row, a format of a
/// newer version of this crate): it is failed at once, never run. Returns its last error.
pub(crate) fn undecodable(id: &str, err: &serde_json::Error, health: &Health) -> String {
    health.failed.fetch_add(1, Ordering::Relaxed);
    telemetry::attempt("undecodable");
    log::error!(
        "queued Tencent IM callback task {} cannot be decoded ({err}); kept as failed, not run: \
         fix or purge it (CallbackBackend::failed_tasks lists it)",
        LogSafe(id)
    );
    format!("the stored task cannot be decoded: {err}")
}
