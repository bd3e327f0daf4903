//! The crate's `tracing` spans (feature `tracing`), both at INFO level with the target
//! `actix_tim_callback`:
//!
//! - `tim_callback`, one per request the middleware takes, made when the middleware is
//!   called, so a child of the span current then (`tracing_actix_web::TracingLogger`'s
//!   request span when it wraps the app), and entered whenever the middleware's future is
//!   polled, so the handler's spans and events nest under it. Fields: `command`,
//!   `sdk_app_id`, `key` (the duplicate key, when the claim or `enqueue` computed it),
//!   `outcome` (`accepted`, `rejected`, `duplicate`: the name of the counter the `metrics`
//!   feature increments), `reason` (a rejection's, the rejected counter's label) and
//!   `latency_ms` (from the call to the response, without writing the body).
//! - `tim_callback.task`, one per attempt of a queued task, a root: the attempt runs later,
//!   maybe on another machine, in a trace of its own, linked to the callback's (feature
//!   `opentelemetry`). Fields: `otel.kind` (`consumer`), `task_id`, `attempt`, `command`,
//!   `sdk_app_id`, `key`, `outcome` (`done`, `retry`, `failed`, `undecodable`: the attempt
//!   counter's label).
//!
//! The fields are declared empty and recorded on the crate's span current when they are
//! known, so every record is made inside the span's future, by the code that counts.

use std::{future::Future, time::Instant};

use tracing::{field::Empty, Instrument, Span};

/// The target of the crate's spans.
const TARGET: &str = "actix_tim_callback";

/// The name of a callback's span.
pub(super) const CALLBACK: &str = "tim_callback";

/// The name of a task attempt's span.
#[cfg(feature = "queue")]
const TASK: &str = "tim_callback.task";

/// `handled` in a new `tim_callback` span, a child of the current span; records the
/// latency when it completes.
pub(super) fn in_callback_span<F: Future>(handled: F) -> impl Future<Output = F::Output> {
    let span = tracing::info_span!(
        target: TARGET,
        CALLBACK,
        command = Empty,
        sdk_app_id = Empty,
        key = Empty,
        outcome = Empty,
        reason = Empty,
        latency_ms = Empty,
    );
    let started = Instant::now();
    let ended = span.clone();
    async move {
        let output = handled.instrument(span).await;
        ended.record("latency_ms", started.elapsed().as_secs_f64() * 1e3);
        output
    }
}

/// The current span, when it is the crate's span named `name` (a handler's own span, or
/// one of another library, is never written to).
pub(super) fn current(name: &str) -> Option<Span> {
    let span = Span::current();
    let ours = span
        .metadata()
        .is_some_and(|meta| meta.target() == TARGET && meta.name() == name);
    ours.then_some(span)
}

/// Records `field` on the callback's span, when one is current.
pub(super) fn record_callback(field: &'static str, value: impl tracing::Value) {
    if let Some(span) = current(CALLBACK) {
        span.record(field, value);
    }
}

/// Records the number `value` on the callback's span, when one is current.
pub(super) fn record_callback_number(field: &'static str, value: u64) {
    if let Some(span) = current(CALLBACK) {
        record_number(&span, field, value);
    }
}

/// Records `value` as an `i64` when it is one: `tracing_opentelemetry` makes an `i64` an
/// integer attribute, a `u64` a string.
fn record_number(span: &Span, field: &'static str, value: u64) {
    match i64::try_from(value) {
        Ok(value) => span.record(field, value),
        Err(_) => span.record(field, value),
    };
}

/// Records `field` on the task attempt's span, when one is current.
#[cfg(feature = "queue")]
pub(super) fn record_task(field: &'static str, value: impl tracing::Value) {
    if let Some(span) = current(TASK) {
        span.record(field, value);
    }
}

/// `attempt` in a new `tim_callback.task` span, a root.
#[cfg(feature = "queue")]
pub(super) fn in_task_span<F: Future>(
    number: usize,
    id: &dyn std::fmt::Display,
    attempt: F,
) -> impl Future<Output = F::Output> {
    let span = tracing::info_span!(
        target: TARGET,
        parent: None,
        TASK,
        otel.kind = "consumer",
        task_id = %id,
        attempt = Empty,
        command = Empty,
        sdk_app_id = Empty,
        key = Empty,
        outcome = Empty,
    );
    record_number(&span, "attempt", u64::try_from(number).unwrap_or(u64::MAX));
    attempt.instrument(span)
}

/// Records the decoded task on the current task span, and links the span to the
/// callback's whose context the task keeps (feature `opentelemetry`).
#[cfg(feature = "queue")]
pub(super) fn task_decoded(
    command: &str,
    sdk_app_id: u64,
    key: &str,
    traceparent: Option<&str>,
    tracestate: Option<&str>,
) {
    let Some(span) = current(TASK) else {
        return;
    };
    span.record("command", command);
    record_number(&span, "sdk_app_id", sdk_app_id);
    span.record("key", key);
    #[cfg(feature = "opentelemetry")]
    super::trace_context::link(&span, traceparent, tracestate);
    #[cfg(not(feature = "opentelemetry"))]
    let _ = (traceparent, tracestate);
}
