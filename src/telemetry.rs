//! The crate's telemetry: its metrics (feature `metrics`), the middleware's and the queue's,
//! through the `metrics` facade (the app installs the exporter it wants), and its spans
//! (feature `tracing`, in [`spans`]). Without the features every function here does
//! nothing. Each takes plain labels.
//!
//! The outcome a span records is the name of the counter the same function increments:
//! `accepted`, `rejected` (with the counter's `reason`) or `duplicate` for a callback, the
//! attempt counter's `outcome` (`done`, `retry`, `failed`, `undecodable`) for a task. One
//! call counts and records both, so the two cannot disagree.

// Without the features the labels are not read.
#![cfg_attr(
    not(all(feature = "metrics", feature = "tracing")),
    allow(unused_variables)
)]

#[cfg(feature = "tracing")]
mod spans;
#[cfg(all(feature = "opentelemetry", feature = "queue"))]
pub(crate) mod trace_context;

use std::future::Future;

/// The `app` label of a callback's SDKAppID (`CallbackConfig::label_of`).
pub(crate) type App = std::sync::Arc<str>;

/// The `app` label: the callback's SDKAppID (one the config takes, its label built once),
/// or `unknown` for a request refused before its app was known (never a received,
/// unchecked id).
#[cfg(feature = "metrics")]
fn app_label(app: Option<&App>) -> metrics::SharedString {
    match app {
        Some(app) => metrics::SharedString::from(App::clone(app)),
        None => metrics::SharedString::const_str("unknown"),
    }
}

/// The `command` label: one of Tencent's commands, else `other`, so that made-up commands
/// cannot grow the set of series.
#[cfg(feature = "metrics")]
fn command_label(command: Option<&str>) -> &'static str {
    command
        .and_then(|command| {
            crate::model::AnyEvent::COMMANDS
                .into_iter()
                .find(|known| *known == command)
        })
        .unwrap_or("other")
}

/// Gives each metric its help text, once per process (the recorder must be installed
/// first, as apps do before building the server).
pub(crate) fn describe() {
    #[cfg(feature = "metrics")]
    {
        static DESCRIBED: std::sync::Once = std::sync::Once::new();
        DESCRIBED.call_once(|| {
            metrics::describe_counter!(
                "tim_callback_accepted_total",
                "Tencent IM callbacks answered with success, by command"
            );
            metrics::describe_counter!(
                "tim_callback_rejected_total",
                "Tencent IM callbacks not accepted, by reason (CallbackError::kind)"
            );
            metrics::describe_counter!(
                "tim_callback_duplicates_total",
                "Duplicate Tencent IM callbacks answered with the first delivery's reply, without their handler"
            );
            metrics::describe_counter!(
                "tim_callback_dedup_store_failures_total",
                "Duplicate-store calls that failed or timed out, by operation"
            );
            metrics::describe_counter!(
                "tim_callback_token_total",
                "Signed Tencent IM callbacks by the token that signed them (current, previous)"
            );
            metrics::describe_histogram!(
                "tim_callback_handler_seconds",
                metrics::Unit::Seconds,
                "Time a Tencent IM callback spent in its extractors and handler"
            );
            metrics::describe_counter!(
                "tim_callback_queue_pushed_total",
                "Tencent IM callbacks committed to the durable queue (answered OK)"
            );
            metrics::describe_counter!(
                "tim_callback_queue_push_failures_total",
                "Tencent IM callbacks not queued, by reason (QueueError::kind)"
            );
            metrics::describe_gauge!(
                "tim_callback_queue_worker_up",
                "Whether the queue worker runs (1) or is between an exit and its restart (0)"
            );
            metrics::describe_counter!(
                "tim_callback_queue_worker_restarts_total",
                "Times the queue worker exited and was started again"
            );
            metrics::describe_counter!(
                "tim_callback_queue_attempts_total",
                "Attempts of queued callbacks, by outcome (done, retry, failed, undecodable)"
            );
        });
    }
}

/// Runs `handled`, the middleware's handling of one callback, in its `tim_callback` span
/// (feature `tracing`), a child of the span current now.
pub(crate) fn in_callback_span<F: Future>(handled: F) -> impl Future<Output = F::Output> {
    #[cfg(feature = "tracing")]
    let handled = spans::in_callback_span(handled);
    handled
}

/// The SDKAppID of the callback in hand: one of the config's apps.
pub(crate) fn callback_app(sdk_app_id: u64) {
    #[cfg(feature = "tracing")]
    spans::record_callback_number("sdk_app_id", sdk_app_id);
}

/// The command of the callback in hand: the query's, else the body's.
pub(crate) fn callback_command(command: &str) {
    #[cfg(feature = "tracing")]
    spans::record_callback("command", command);
}

/// The duplicate key of the callback in hand, once something computed it (the duplicate
/// claim, `enqueue`).
pub(crate) fn callback_key(key: Option<&str>) {
    #[cfg(feature = "tracing")]
    if let Some(key) = key {
        spans::record_callback("key", key);
    }
}

/// A callback of `app` answered with success (not a duplicate).
pub(crate) fn accepted(app: Option<&App>, command: Option<&str>) {
    #[cfg(feature = "metrics")]
    metrics::counter!("tim_callback_accepted_total", "app" => app_label(app), "command" => command_label(command))
        .increment(1);
    #[cfg(feature = "tracing")]
    spans::record_callback("outcome", "accepted");
}

/// A callback rejected, by [`CallbackError::kind`](crate::CallbackError::kind).
pub(crate) fn rejected(app: Option<&App>, reason: &'static str) {
    #[cfg(feature = "metrics")]
    metrics::counter!("tim_callback_rejected_total", "app" => app_label(app), "reason" => reason)
        .increment(1);
    #[cfg(feature = "tracing")]
    {
        spans::record_callback("outcome", "rejected");
        spans::record_callback("reason", reason);
    }
}

/// A duplicate answered OK without reaching its handler.
pub(crate) fn duplicate(app: Option<&App>, command: Option<&str>) {
    #[cfg(feature = "metrics")]
    metrics::counter!("tim_callback_duplicates_total", "app" => app_label(app), "command" => command_label(command))
        .increment(1);
    #[cfg(feature = "tracing")]
    spans::record_callback("outcome", "duplicate");
}

/// The duplicate store failed or timed out (`claim`, `complete` or `release`).
pub(crate) fn store_failure(operation: &'static str) {
    #[cfg(feature = "metrics")]
    metrics::counter!("tim_callback_dedup_store_failures_total", "operation" => operation)
        .increment(1);
}

/// Which token of `app` signed an accepted request: `current` or `previous`.
pub(crate) fn token(app: Option<&App>, used: &'static str) {
    #[cfg(feature = "metrics")]
    metrics::counter!("tim_callback_token_total", "app" => app_label(app), "token" => used)
        .increment(1);
}

/// How long the handler (with its extractors) took.
pub(crate) fn handler_time(app: Option<&App>, command: Option<&str>, seconds: f64) {
    #[cfg(feature = "metrics")]
    metrics::histogram!("tim_callback_handler_seconds", "app" => app_label(app), "command" => command_label(command))
        .record(seconds);
}

/// Callbacks queued (answered OK).
#[cfg(feature = "queue")]
pub(crate) fn pushed(count: usize) {
    #[cfg(feature = "metrics")]
    metrics::counter!("tim_callback_queue_pushed_total").increment(count as u64);
}

/// A callback not queued, by `QueueError::kind`.
#[cfg(feature = "queue")]
pub(crate) fn push_failed(reason: &'static str) {
    #[cfg(feature = "metrics")]
    metrics::counter!("tim_callback_queue_push_failures_total", "reason" => reason).increment(1);
}

/// Whether the worker named `worker` (its name without the per-start suffix) is running.
#[cfg(feature = "queue")]
pub(crate) fn worker_up(worker: &str, up: bool) {
    #[cfg(feature = "metrics")]
    metrics::gauge!("tim_callback_queue_worker_up", "worker" => worker.to_owned()).set(if up {
        1.0
    } else {
        0.0
    });
}

/// The worker exited and is being restarted.
#[cfg(feature = "queue")]
pub(crate) fn worker_restart(worker: &str) {
    #[cfg(feature = "metrics")]
    metrics::counter!("tim_callback_queue_worker_restarts_total", "worker" => worker.to_owned())
        .increment(1);
}

/// One attempt of a task ended: `done`, `retry` (it failed and runs again), `failed` (it
/// failed its last attempt and is kept as failed) or `undecodable` (never run).
#[cfg(feature = "queue")]
pub(crate) fn attempt(outcome: &'static str) {
    #[cfg(feature = "metrics")]
    metrics::counter!("tim_callback_queue_attempts_total", "outcome" => outcome).increment(1);
    #[cfg(feature = "tracing")]
    spans::record_task("outcome", outcome);
}

/// Runs `attempt`, one attempt (number `number`) of the task with apalis id `id`, in its
/// `tim_callback.task` span (feature `tracing`): a root, linked to the span of the
/// callback that queued it once the task is decoded ([`task_decoded`]).
#[cfg(feature = "queue")]
pub(crate) fn in_task_span<F: Future>(
    number: usize,
    id: &dyn std::fmt::Display,
    attempt: F,
) -> impl Future<Output = F::Output> {
    #[cfg(feature = "tracing")]
    let attempt = spans::in_task_span(number, id, attempt);
    attempt
}

/// The task of the attempt in hand, decoded: its command, app and key on its span, and
/// (feature `opentelemetry`) the link to the callback's span it keeps the context of.
#[cfg(feature = "queue")]
pub(crate) fn task_decoded(
    command: &str,
    sdk_app_id: u64,
    key: &str,
    traceparent: Option<&str>,
    tracestate: Option<&str>,
) {
    #[cfg(feature = "tracing")]
    spans::task_decoded(command, sdk_app_id, key, traceparent, tracestate);
    #[cfg(not(feature = "tracing"))]
    let _ = (command, sdk_app_id, key, traceparent, tracestate);
}
