//! The spans of a callback and of its queued task (features `opentelemetry` and
//! `queue-sqlite`), exported to memory through `tracing-opentelemetry`: the `tim_callback`
//! span under the request's span with its fields, the task kept with the callback span's
//! `traceparent`, and the worker's `tim_callback.task` span linked to that span.
//!
//! Each test installs its own subscriber for its thread (the actix system's, where the
//! middleware and the worker run) and reads its own exporter.

mod common;

use actix_tim_callback::{
    dedup::MemoryStore,
    queue::{enqueue, CallbackBackend, CallbackTask, SqliteQueue},
    testkit::TestCallback,
    Callback, CallbackConfig, TimCallback,
};
use actix_web::{test, web, App};
use opentelemetry::{
    trace::{SpanId, SpanKind, TraceId, TracerProvider as _},
    Value,
};
use opentelemetry_sdk::trace::{InMemorySpanExporter, SdkTracerProvider, SpanData};
use tracing::{subscriber::DefaultGuard, Instrument};
use tracing_subscriber::{layer::SubscriberExt, Registry};

use common::{
    queue::{quick_retry, recording, sample_task, wait_until, Runs, TempDir},
    APP_ID, OK_JSON, PATH, TOKEN,
};

/// `Group.CallbackAfterSendMsg`, the command the tests queue.
const AFTER_SEND: &str = "Group.CallbackAfterSendMsg";

/// The spans ended on this thread, as an OpenTelemetry exporter gets them.
struct Exported {
    exporter: InMemorySpanExporter,
    _provider: SdkTracerProvider,
    _subscriber: DefaultGuard,
}

impl Exported {
    /// A `tracing_opentelemetry` layer over an in-memory exporter, the default subscriber
    /// of this thread until dropped.
    fn install() -> Self {
        let exporter = InMemorySpanExporter::default();
        let provider = SdkTracerProvider::builder()
            .with_simple_exporter(exporter.clone())
            .build();
        let layer = tracing_opentelemetry::layer().with_tracer(provider.tracer("tests"));
        let subscriber = tracing::subscriber::set_default(Registry::default().with(layer));
        Self {
            exporter,
            _provider: provider,
            _subscriber: subscriber,
        }
    }

    fn spans(&self) -> Vec<SpanData> {
        self.exporter.get_finished_spans().expect("the spans")
    }

    /// The one ended span named `name`.
    fn one(&self, name: &str) -> SpanData {
        let mut named: Vec<SpanData> = self
            .spans()
            .into_iter()
            .filter(|span| span.name == name)
            .collect();
        assert_eq!(named.len(), 1, "spans named {name}: {named:#?}");
        named.remove(0)
    }

    /// Every ended span named `name`, in the order they ended.
    fn all(&self, name: &str) -> Vec<SpanData> {
        self.spans()
            .into_iter()
            .filter(|span| span.name == name)
            .collect()
    }
}

/// The attribute `key` of `span`.
fn attribute(span: &SpanData, key: &str) -> Option<Value> {
    span.attributes
        .iter()
        .find(|kv| kv.key.as_str() == key)
        .map(|kv| kv.value.clone())
}

fn string(value: &str) -> Option<Value> {
    Some(Value::from(value.to_owned()))
}

/// The app of the queue tests: `enqueue` on the callback URL, under
/// `tracing_actix_web::TracingLogger`.
macro_rules! queued_app {
    ($queue:expr) => {
        test::init_service(
            App::new()
                .wrap(tracing_actix_web::TracingLogger::default())
                .app_data($queue.clone())
                .service(
                    web::scope(PATH)
                        .wrap(TimCallback::new(CallbackConfig::new(APP_ID)))
                        .route("", web::post().to(enqueue)),
                ),
        )
        .await
    };
}

#[actix_web::test]
async fn a_queued_callback_is_one_trace_from_the_request_to_the_task_through_a_link() {
    let exported = Exported::install();
    let dir = TempDir::new("tracing-link");
    let sqlite = SqliteQueue::open(dir.join("queue.db")).await.expect("open");
    let queue = web::Data::new(sqlite.callback_queue());
    let runs = Runs::default();
    let worker = sqlite.worker("tracing", quick_retry(1), recording(&runs));
    let app = queued_app!(queue);

    let req = TestCallback::group_after_send_msg().path(PATH).to_request();
    let res = test::call_service(&app, req).await;
    assert_eq!(res.status(), 200);
    assert_eq!(test::read_body(res).await, OK_JSON.as_bytes());
    wait_until("the task done", || worker.done() == 1).await;
    worker.stop().await;
    let task = runs.tasks().pop().expect("the task ran");

    // The callback's span, a child of tracing-actix-web's request span, with its fields.
    let callback = exported.one("tim_callback");
    let request = exported
        .spans()
        .into_iter()
        .find(|span| span.span_context.span_id() == callback.parent_span_id)
        .expect("the callback span's parent is exported");
    assert_eq!(request.span_kind, SpanKind::Server, "{request:#?}");
    assert_eq!(attribute(&request, "http.method"), string("POST"));
    assert_eq!(
        callback.span_context.trace_id(),
        request.span_context.trace_id()
    );
    assert_eq!(attribute(&callback, "command"), string(AFTER_SEND));
    assert_eq!(
        attribute(&callback, "sdk_app_id"),
        Some(Value::I64(i64::try_from(APP_ID).expect("an i64")))
    );
    assert_eq!(attribute(&callback, "key"), string(&task.key));
    assert!(!task.key.is_empty());
    assert_eq!(attribute(&callback, "outcome"), string("accepted"));
    assert_eq!(attribute(&callback, "reason"), None);
    match attribute(&callback, "latency_ms") {
        Some(Value::F64(ms)) => assert!(ms >= 0.0, "{ms}"),
        other => panic!("latency_ms: {other:?}"),
    }

    // The task keeps the callback span's context (not the request span's)...
    let (trace_id, span_id) = (
        callback.span_context.trace_id(),
        callback.span_context.span_id(),
    );
    assert_eq!(
        task.traceparent.as_deref(),
        Some(format!("00-{trace_id}-{span_id}-01").as_str())
    );

    // ... and the worker's span, the root of a trace of its own, links to that span.
    let attempt = exported.one("tim_callback.task");
    assert_eq!(attempt.parent_span_id, SpanId::INVALID);
    assert_ne!(attempt.span_context.trace_id(), trace_id);
    assert_eq!(attempt.span_kind, SpanKind::Consumer);
    assert_eq!(attempt.links.len(), 1, "{:#?}", attempt.links);
    let link = &attempt.links[0].span_context;
    assert_eq!(link.trace_id(), trace_id);
    assert_eq!(link.span_id(), span_id);
    assert!(link.is_remote() && link.is_sampled());
    assert_eq!(attribute(&attempt, "command"), string(AFTER_SEND));
    assert_eq!(attribute(&attempt, "key"), string(&task.key));
    assert_eq!(
        attribute(&attempt, "sdk_app_id"),
        Some(Value::I64(i64::try_from(APP_ID).expect("an i64")))
    );
    assert_eq!(attribute(&attempt, "attempt"), Some(Value::I64(1)));
    assert_eq!(attribute(&attempt, "outcome"), string("done"));
    assert!(attribute(&attempt, "task_id").is_some());
}

#[actix_web::test]
async fn a_task_without_a_trace_context_runs_without_a_link_and_is_stored_as_before() {
    let exported = Exported::install();
    let dir = TempDir::new("tracing-no-link");
    let sqlite = SqliteQueue::open(dir.join("queue.db")).await.expect("open");
    let queue = sqlite.callback_queue();
    let runs = Runs::default();
    let worker = sqlite.worker("tracing-none", quick_retry(1), recording(&runs));

    let plain = sample_task(AFTER_SEND, "no-context");
    assert_eq!(plain.traceparent, None);
    let json = serde_json::to_value(&plain).expect("JSON");
    assert!(json.get("traceparent").is_none(), "{json}");
    assert!(json.get("tracestate").is_none(), "{json}");
    // A context that is not a traceparent (a row edited by hand) is not linked either.
    let mut garbled = sample_task(AFTER_SEND, "garbled-context");
    garbled.traceparent = Some("00-not-a-traceparent-01".to_owned());
    queue.push(plain).await.expect("queued");
    queue.push(garbled).await.expect("queued");
    wait_until("both tasks done", || worker.done() == 2).await;
    worker.stop().await;

    let mut keys: Vec<Option<Value>> = exported
        .all("tim_callback.task")
        .iter()
        .map(|attempt| {
            assert!(attempt.links.is_empty(), "{:#?}", attempt.links);
            assert_eq!(attribute(attempt, "outcome"), string("done"));
            attribute(attempt, "key")
        })
        .collect();
    keys.sort_by_key(|key| format!("{key:?}"));
    assert_eq!(keys, [string("garbled-context"), string("no-context")]);
    assert_eq!(runs.len(), 2);
}

/// An incoming `traceparent` (from the app's proxy; Tencent sends none) becomes the
/// request span's parent through tracing-actix-web, and so the trace the task keeps: the
/// crate stores its own span's context, in the caller's trace.
#[actix_web::test]
async fn an_incoming_traceparent_reaches_the_task_through_tracing_actix_web() {
    opentelemetry::global::set_text_map_propagator(
        opentelemetry_sdk::propagation::TraceContextPropagator::new(),
    );
    let exported = Exported::install();
    let dir = TempDir::new("tracing-header");
    let sqlite = SqliteQueue::open(dir.join("queue.db")).await.expect("open");
    let queue = web::Data::new(sqlite.callback_queue());
    let runs = Runs::default();
    let worker = sqlite.worker("tracing-header", quick_retry(1), recording(&runs));
    let app = queued_app!(queue);

    let ingress = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
    let vendors = "congo=t61rcWkgMzE,rojo=00f067aa0ba902b7";
    let mut req = TestCallback::group_after_send_msg().path(PATH).to_request();
    req.headers_mut().insert(
        actix_web::http::header::HeaderName::from_static("traceparent"),
        actix_web::http::header::HeaderValue::from_static(ingress),
    );
    req.headers_mut().insert(
        actix_web::http::header::HeaderName::from_static("tracestate"),
        actix_web::http::header::HeaderValue::from_static(vendors),
    );
    let res = test::call_service(&app, req).await;
    assert_eq!(test::read_body(res).await, OK_JSON.as_bytes());
    wait_until("the task done", || worker.done() == 1).await;
    worker.stop().await;

    let callback = exported.one("tim_callback");
    let trace_id = TraceId::from_hex("0af7651916cd43dd8448eb211c80319c").expect("hex");
    assert_eq!(callback.span_context.trace_id(), trace_id);
    let span_id = callback.span_context.span_id();
    assert_ne!(span_id, SpanId::from_hex("b7ad6b7169203331").expect("hex"));
    let task = runs.tasks().pop().expect("ran");
    assert_eq!(
        task.traceparent,
        Some(format!("00-{trace_id}-{span_id}-01"))
    );
    assert_eq!(
        task.tracestate.as_deref(),
        Some(vendors),
        "the caller's tracestate kept"
    );
    let attempt = exported.one("tim_callback.task");
    let link = &attempt.links[0].span_context;
    assert_eq!(link.trace_id(), trace_id);
    assert_eq!(link.trace_state().header(), vendors);
}

/// A handler that opens a span of its own.
async fn traced_handler(
    _: Callback<actix_tim_callback::model::group::AfterSendMsg>,
) -> &'static str {
    tracing::info_span!("handler").in_scope(|| "")
}

#[actix_web::test]
async fn the_callback_span_nests_under_the_callers_span_and_the_handlers_under_it() {
    let exported = Exported::install();
    let app = test::init_service(
        App::new().service(
            web::scope(PATH)
                .wrap(TimCallback::new(CallbackConfig::new(APP_ID)))
                .route("", web::post().to(traced_handler)),
        ),
    )
    .await;
    let outer = tracing::info_span!("outer");
    let req = TestCallback::group_after_send_msg().path(PATH).to_request();
    let res = test::call_service(&app, req)
        .instrument(outer.clone())
        .await;
    assert_eq!(test::read_body(res).await, OK_JSON.as_bytes());
    drop(outer);

    let outer = exported.one("outer");
    let callback = exported.one("tim_callback");
    let handler = exported.one("handler");
    assert_eq!(callback.parent_span_id, outer.span_context.span_id());
    assert_eq!(handler.parent_span_id, callback.span_context.span_id());
    assert_eq!(
        handler.span_context.trace_id(),
        outer.span_context.trace_id()
    );
    assert_eq!(attribute(&callback, "outcome"), string("accepted"));
    // No `enqueue`, no duplicate claim: nothing computed the key.
    assert_eq!(attribute(&callback, "key"), None);
}

#[actix_web::test]
async fn outcomes_are_the_metrics_names_rejected_with_its_reason_and_duplicate() {
    let exported = Exported::install();
    let app = test::init_service(
        App::new().service(
            web::scope(PATH)
                .wrap(TimCallback::new(
                    CallbackConfig::new(APP_ID)
                        .token(TOKEN)
                        .dedup(MemoryStore::default()),
                ))
                .route("", web::post().to(traced_handler)),
        ),
    )
    .await;
    let forged = TestCallback::group_after_send_msg()
        .path(PATH)
        .signed("not the token");
    let res = test::call_service(&app, forged.to_request()).await;
    assert_eq!(res.status(), 401);
    let signed = TestCallback::group_after_send_msg()
        .path(PATH)
        .signed(TOKEN);
    for _ in 0..2 {
        let res = test::call_service(&app, signed.to_request()).await;
        assert_eq!(test::read_body(res).await, OK_JSON.as_bytes());
    }

    let spans = exported.all("tim_callback");
    assert_eq!(spans.len(), 3, "{spans:#?}");
    let rejected = &spans[0];
    assert_eq!(attribute(rejected, "outcome"), string("rejected"));
    assert_eq!(attribute(rejected, "reason"), string("wrong_signature"));
    // The app is one of the config's; the command of an unverified query is not recorded.
    assert_eq!(
        attribute(rejected, "sdk_app_id"),
        Some(Value::I64(i64::try_from(APP_ID).expect("an i64")))
    );
    assert_eq!(attribute(rejected, "command"), None);
    let (first, again) = (&spans[1], &spans[2]);
    assert_eq!(attribute(first, "outcome"), string("accepted"));
    assert_eq!(attribute(again, "outcome"), string("duplicate"));
    assert_eq!(attribute(again, "command"), string(AFTER_SEND));
    let key = attribute(first, "key").expect("the claim computed the key");
    assert_eq!(attribute(again, "key"), Some(key));
    // Only the first delivery reached the handler.
    assert_eq!(exported.all("handler").len(), 1);
}

/// A task's `traceparent` survives the store, and the attempt links to exactly that span.
#[actix_web::test]
async fn a_stored_trace_context_reaches_the_worker_as_queued_and_is_linked() {
    let exported = Exported::install();
    let dir = TempDir::new("tracing-stored");
    let sqlite = SqliteQueue::open(dir.join("queue.db")).await.expect("open");
    let queue = sqlite.callback_queue();
    let runs = Runs::default();
    let worker = sqlite.worker("tracing-stored", quick_retry(1), recording(&runs));
    let mut task: CallbackTask = sample_task(AFTER_SEND, "stored-context");
    let trace_id = TraceId::from_hex("4bf92f3577b34da6a3ce929d0e0e4736").expect("hex");
    let traceparent = format!("00-{trace_id}-00f067aa0ba902b7-01");
    task.traceparent = Some(traceparent.clone());
    task.tracestate = Some("rojo=00f067aa0ba902b7".to_owned());
    queue.push(task).await.expect("queued");
    wait_until("the task done", || worker.done() == 1).await;
    worker.stop().await;
    let ran = runs.tasks().pop().expect("ran");
    assert_eq!(ran.traceparent, Some(traceparent));
    let attempt = exported.one("tim_callback.task");
    assert_eq!(attempt.links.len(), 1, "{:#?}", attempt.links);
    let link = &attempt.links[0].span_context;
    assert_eq!(link.trace_id(), trace_id);
    assert_eq!(
        link.span_id(),
        SpanId::from_hex("00f067aa0ba902b7").expect("hex")
    );
    assert_eq!(link.trace_state().get("rojo"), Some("00f067aa0ba902b7"));
}
