//! The W3C trace context a queued task keeps (feature `opentelemetry`): the `traceparent`
//! and `tracestate` of its callback's `tim_callback` span, written when `enqueue` queues
//! it, and the link the worker's `tim_callback.task` span makes to it.
//!
//! A link, not a parent: the task runs after the request was answered, maybe on another
//! machine, maybe several times (retries), so each attempt is a trace of its own that
//! points back to the request's, as OpenTelemetry's messaging conventions have consumers
//! do. A parent would stretch the request's trace over the queue's wait and retries.

use opentelemetry::trace::{SpanContext, SpanId, TraceContextExt, TraceFlags, TraceId, TraceState};
use tracing::Span;
use tracing_opentelemetry::OpenTelemetrySpanExt;

use crate::log::LogSafe;

/// The OpenTelemetry context of the current `tim_callback` span; invalid when there is
/// none, when it is disabled, or without a `tracing_opentelemetry` layer.
pub(crate) fn of_callback() -> SpanContext {
    match super::spans::current(super::spans::CALLBACK) {
        Some(span) => span.context().span().span_context().clone(),
        None => SpanContext::empty_context(),
    }
}

/// `cx` as a W3C `traceparent` (`00-<trace id>-<span id>-<flags>`); `None` when invalid.
pub(crate) fn traceparent(cx: &SpanContext) -> Option<String> {
    cx.is_valid().then(|| {
        format!(
            "00-{}-{}-{:02x}",
            cx.trace_id(),
            cx.span_id(),
            cx.trace_flags().to_u8()
        )
    })
}

/// `cx`'s W3C `tracestate`; `None` when `cx` is invalid or its state empty.
pub(crate) fn tracestate(cx: &SpanContext) -> Option<String> {
    let header = cx.trace_state().header();
    (cx.is_valid() && !header.is_empty()).then_some(header)
}

/// The remote span context of a W3C `traceparent`, as a propagator reads it: lowercase
/// hex, neither id all zeros, version `ff` refused, parts after the flags only in a later
/// version than `00`; only the `sampled` flag kept. A `tracestate` that does not parse is
/// dropped (as the propagator does), the traceparent kept.
pub(crate) fn parse(traceparent: &str, tracestate: Option<&str>) -> Option<SpanContext> {
    let mut parts = traceparent.split('-');
    let version = parts.next()?;
    let trace_id = parts.next()?;
    let span_id = parts.next()?;
    let flags = parts.next()?;
    let hex = |text: &str, len: usize| {
        text.len() == len && text.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
    };
    let well_formed = hex(version, 2)
        && version != "ff"
        && !(version == "00" && parts.next().is_some())
        && hex(trace_id, 32)
        && hex(span_id, 16)
        && hex(flags, 2);
    if !well_formed {
        return None;
    }
    let flags = TraceFlags::new(u8::from_str_radix(flags, 16).ok()?) & TraceFlags::SAMPLED;
    let state = tracestate
        .and_then(|state| state.parse::<TraceState>().ok())
        .unwrap_or_default();
    let cx = SpanContext::new(
        TraceId::from_hex(trace_id).ok()?,
        SpanId::from_hex(span_id).ok()?,
        flags,
        true,
        state,
    );
    cx.is_valid().then_some(cx)
}

/// Links `span` to the span whose `traceparent` (and `tracestate`) a task keeps; nothing
/// when it keeps none, or one that does not parse (logged at debug level: the task runs
/// all the same).
pub(crate) fn link(span: &Span, traceparent: Option<&str>, tracestate: Option<&str>) {
    let Some(traceparent) = traceparent else {
        return;
    };
    match parse(traceparent, tracestate) {
        Some(cx) => span.add_link(cx),
        None => log::debug!(
            "queued Tencent IM callback keeps a trace context that is not a W3C traceparent ({}); its span is not linked",
            LogSafe(traceparent)
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    #[test]
    fn a_traceparent_reads_back_as_it_was_written() {
        let cx = parse(SAMPLE, None).expect("the W3C sample parses");
        assert_eq!(
            cx.trace_id(),
            TraceId::from_hex("4bf92f3577b34da6a3ce929d0e0e4736").expect("hex")
        );
        assert_eq!(
            cx.span_id(),
            SpanId::from_hex("00f067aa0ba902b7").expect("hex")
        );
        assert!(cx.is_sampled());
        assert!(cx.is_remote());
        assert_eq!(traceparent(&cx).as_deref(), Some(SAMPLE));
        let unsampled = parse(
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00",
            None,
        )
        .expect("parses");
        assert!(!unsampled.is_sampled());
    }

    #[test]
    fn a_later_version_may_append_parts_and_unknown_flags_are_dropped() {
        let cx = parse(
            "01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-03-extra",
            None,
        )
        .expect("a later version parses");
        assert_eq!(cx.trace_flags(), TraceFlags::SAMPLED);
    }

    #[test]
    fn malformed_traceparents_are_refused() {
        for bad in [
            "",
            "00",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra",
            "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
            "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",
            "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",
            "00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-1",
            "00-+bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
        ] {
            assert!(parse(bad, None).is_none(), "{bad:?}");
        }
        assert_eq!(traceparent(&SpanContext::empty_context()), None);
    }

    #[test]
    fn a_tracestate_reads_back_and_a_malformed_one_is_dropped_alone() {
        let state = "congo=t61rcWkgMzE,rojo=00f067aa0ba902b7";
        let cx = parse(SAMPLE, Some(state)).expect("parses");
        assert_eq!(cx.trace_state().get("congo"), Some("t61rcWkgMzE"));
        assert_eq!(tracestate(&cx).as_deref(), Some(state));
        let without = parse(SAMPLE, Some("no equals sign")).expect("the traceparent is kept");
        assert_eq!(tracestate(&without), None);
        assert_eq!(without.span_id(), cx.span_id());
        assert_eq!(tracestate(&parse(SAMPLE, None).expect("parses")), None);
    }
}
