//! What the middleware leaves in a verified request for the extractors and guards, and the
//! one way to reach it.

use std::{
    cell::{Cell, OnceCell, RefCell},
    rc::Rc,
    sync::Once,
    time::SystemTime,
};

use actix_web::{dev::Extensions, web::Bytes, HttpMessage, HttpRequest};

use crate::{
    decode::decode_event,
    dedup::key::{has_documented_id, key},
    error::CallbackError,
    log::LogSafe,
    meta::CallbackMeta,
    model::AnyEvent,
    telemetry,
};

/// A verified callback request: its metadata and its body, read by the middleware.
#[derive(Debug)]
pub(crate) struct CallbackRequest {
    /// Its `command` is the request's one command: the query's, else the body's.
    meta: CallbackMeta,
    body: Bytes,
    received_at: SystemTime,
    key: OnceCell<String>,
    /// The body decoded once for its duplicate key, until an extractor takes it.
    event: RefCell<Option<AnyEvent>>,
    /// Set by a matching command guard or by an extractor: a handler was routed, so an
    /// empty `404` or `405` is its answer, not actix's "no route for this command".
    routed: Cell<bool>,
    /// The OpenTelemetry context of the request's `tim_callback` span, for a task queued
    /// from it.
    #[cfg(all(feature = "opentelemetry", feature = "queue"))]
    span_context: opentelemetry::trace::SpanContext,
}

impl CallbackRequest {
    /// The state of a request admitted with `meta` and `body`; made in the request's
    /// `tim_callback` span (feature `tracing`).
    pub(crate) fn new(meta: CallbackMeta, body: Bytes, received_at: SystemTime) -> Self {
        Self {
            meta,
            body,
            received_at,
            key: OnceCell::new(),
            event: RefCell::new(None),
            routed: Cell::new(false),
            #[cfg(all(feature = "opentelemetry", feature = "queue"))]
            span_context: telemetry::trace_context::of_callback(),
        }
    }

    /// The state the middleware left in `req`, for a handler's extractor: marks the request
    /// as routed. Without the middleware, logs the mistake (once per process) and fails.
    pub(crate) fn get(req: &HttpRequest) -> Result<Rc<Self>, CallbackError> {
        match req.extensions().get::<Rc<Self>>() {
            Some(state) => {
                state.routed.set(true);
                Ok(Rc::clone(state))
            }
            None => {
                // No middleware to count it: counted here.
                telemetry::rejected(None, CallbackError::MiddlewareMissing.kind());
                static LOGGED: Once = Once::new();
                LOGGED.call_once(|| {
                    log::error!(
                        "{} {}: {}",
                        req.method(),
                        req.path(),
                        CallbackError::MiddlewareMissing
                    );
                });
                Err(CallbackError::MiddlewareMissing)
            }
        }
    }

    /// For a command guard: whether the request is a verified callback of `command`, marked
    /// routed when it is; `None` without the middleware.
    pub(crate) fn matches_command(extensions: &Extensions, command: &str) -> Option<bool> {
        let state = extensions.get::<Rc<Self>>()?;
        let matched = state.command() == Some(command);
        if matched {
            state.routed.set(true);
        }
        Some(matched)
    }

    pub(crate) fn meta(&self) -> &CallbackMeta {
        &self.meta
    }

    /// The query's `CallbackCommand`, else the body's (top level, or its first event's).
    pub(crate) fn command(&self) -> Option<&str> {
        self.meta.command.as_deref()
    }

    /// The command as a log line shows it.
    pub(crate) fn shown(&self) -> LogSafe<&str> {
        LogSafe(self.command().unwrap_or("(no command)"))
    }

    pub(crate) fn body(&self) -> &Bytes {
        &self.body
    }

    /// When the middleware admitted the request.
    #[cfg_attr(not(feature = "queue"), allow(dead_code))]
    pub(crate) fn received_at(&self) -> SystemTime {
        self.received_at
    }

    /// The callback's duplicate key (see [`Dedup`](crate::dedup::Dedup)). For the commands
    /// whose key is an id of the body, the body is decoded for it, and the event kept for
    /// the handler's extractor.
    pub(crate) fn key(&self) -> &str {
        self.key.get_or_init(|| {
            let command = self.command().unwrap_or_default();
            let event = has_documented_id(command)
                .then(|| decode_event::<AnyEvent>(&self.body, command).ok())
                .flatten();
            let key = key(self.meta.sdk_app_id, command, event.as_ref(), &self.body);
            *self.event.borrow_mut() = event;
            key
        })
    }

    /// The duplicate key, if [`key`](Self::key) computed it already.
    pub(crate) fn known_key(&self) -> Option<&str> {
        self.key.get().map(String::as_str)
    }

    /// The W3C `traceparent` of the request's `tim_callback` span; `None` when it has no
    /// OpenTelemetry context.
    #[cfg(all(feature = "opentelemetry", feature = "queue"))]
    pub(crate) fn traceparent(&self) -> Option<String> {
        telemetry::trace_context::traceparent(&self.span_context)
    }

    /// The W3C `tracestate` of the callback's span, when it has a context and a state.
    #[cfg(all(feature = "opentelemetry", feature = "queue"))]
    pub(crate) fn tracestate(&self) -> Option<String> {
        telemetry::trace_context::tracestate(&self.span_context)
    }

    /// `Err` when the body names another command than the request's (the query's); an
    /// empty `CallbackCommand` in the body names none.
    pub(crate) fn check_body_command(&self, body: Option<&str>) -> Result<(), CallbackError> {
        match (self.command(), body) {
            (Some(query), Some(body)) if !body.is_empty() && query != body => {
                Err(CallbackError::ConflictingCommand {
                    query: query.to_owned(),
                    body: body.to_owned(),
                })
            }
            _ => Ok(()),
        }
    }

    /// The event decoded for the duplicate key, if any and not taken yet.
    pub(crate) fn take_event(&self) -> Option<AnyEvent> {
        self.event.borrow_mut().take()
    }

    pub(crate) fn routed(&self) -> bool {
        self.routed.get()
    }
}
