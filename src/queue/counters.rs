//! The queue's metrics (feature `metrics`), through the `metrics` facade. Without the
//! feature every function here does nothing.

/// Callbacks queued (answered OK).
pub(crate) fn pushed(count: usize) {
    #[cfg(feature = "metrics")]
    metrics::counter!("tim_callback_queue_pushed_total").increment(count as u64);
    #[cfg(not(feature = "metrics"))]
    let _ = count;
}

/// A callback not queued, by [`QueueError::kind`](crate::QueueError::kind).
pub(crate) fn push_failed(reason: &'static str) {
    #[cfg(feature = "metrics")]
    metrics::counter!("tim_callback_queue_push_failures_total", "reason" => reason).increment(1);
    #[cfg(not(feature = "metrics"))]
    let _ = reason;
}

/// Whether the worker named `worker` (its name without the per-start suffix) is running.
pub(crate) fn worker_up(worker: &str, up: bool) {
    #[cfg(feature = "metrics")]
    metrics::gauge!("tim_callback_queue_worker_up", "worker" => worker.to_owned()).set(if up {
        1.0
    } else {
        0.0
    });
    #[cfg(not(feature = "metrics"))]
    let _ = (worker, up);
}

/// The worker exited and is being restarted.
pub(crate) fn worker_restart(worker: &str) {
    #[cfg(feature = "metrics")]
    metrics::counter!("tim_callback_queue_worker_restarts_total", "worker" => worker.to_owned())
        .increment(1);
    #[cfg(not(feature = "metrics"))]
    let _ = worker;
}

/// One attempt of a task ended: `done`, `retry` (it failed and runs again) or `failed`
/// (it failed its last attempt and is kept as failed).
pub(crate) fn attempt(outcome: &'static str) {
    #[cfg(feature = "metrics")]
    metrics::counter!("tim_callback_queue_attempts_total", "outcome" => outcome).increment(1);
    #[cfg(not(feature = "metrics"))]
    let _ = outcome;
}
