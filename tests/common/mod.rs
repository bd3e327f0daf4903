//! Helpers shared by the middleware and routing integration tests.

// Each test crate uses a subset of these helpers.
#![allow(dead_code)]

use std::{
    collections::VecDeque,
    pin::Pin,
    sync::{
        atomic::{AtomicUsize, Ordering},
        Arc,
    },
    task::{Context, Poll},
    time::{SystemTime, UNIX_EPOCH},
};

use actix_web::{
    body::MessageBody,
    dev::{Payload, ServiceResponse},
    error::PayloadError,
    http::{header, StatusCode},
    test,
    web::Bytes,
};
use futures_util::Stream;
use serde_json::Value;

/// The SDKAppID the middleware under test is configured with.
pub(crate) const APP_ID: u64 = 1_400_000_000;

/// The callback token used when signature checks are on.
pub(crate) const TOKEN: &str = "test-callback-token-0123456789";

/// The path the callback scope is mounted on.
pub(crate) const PATH: &str = "/im/callback";

/// `Group.CallbackSendMsgException`.
pub(crate) const SEND_MSG_EXCEPTION: &str = "Group.CallbackSendMsgException";

/// The seed payload from Tencent's documentation.
pub(crate) const SEED: &str = include_str!("../fixtures/send_msg_exception.json");

/// The seed without its `CallbackCommand`: a body for a request of any command (a body that
/// names another command than the query's is refused, 40006).
pub(crate) fn seed_without_command() -> String {
    let mut body: serde_json::Value = serde_json::from_str(SEED).expect("the seed is JSON");
    body.as_object_mut()
        .expect("an object")
        .remove("CallbackCommand");
    body.to_string()
}

/// The exact reply the IM backend expects for an accepted callback (written out, not
/// taken from the crate, so a change of the crate's constant fails the tests).
pub(crate) const OK_JSON: &str = r#"{"ActionStatus":"OK","ErrorInfo":"","ErrorCode":0}"#;

/// The current Unix time in seconds (the one clock of the tests).
pub(crate) fn now_secs() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("clock after 1970")
        .as_secs()
}

/// `RequestTime=<time>&Sign=<sha256(token + time)>`.
pub(crate) fn signed_query(token: &str, time: u64) -> String {
    let time = time.to_string();
    format!(
        "RequestTime={time}&Sign={}",
        actix_tim_callback::sign(token, &time)
    )
}

/// The query string Tencent sends for `command`, without signature parameters.
pub(crate) fn callback_query(command: &str) -> String {
    format!("SdkAppid={APP_ID}&CallbackCommand={command}&contenttype=json")
}

/// `PATH?<query for command><extra>`; `extra` starts with `&` when not empty.
pub(crate) fn callback_uri(command: &str, extra: &str) -> String {
    format!("{PATH}?{}{extra}", callback_query(command))
}

/// The URI of a `Group.CallbackSendMsgException` callback, with `extra` appended.
pub(crate) fn exception_uri(extra: &str) -> String {
    callback_uri(SEND_MSG_EXCEPTION, extra)
}

/// A shared counter: handler invocations, stream polls.
#[derive(Debug, Clone, Default)]
pub(crate) struct Counter(Arc<AtomicUsize>);

impl Counter {
    pub(crate) fn new() -> Self {
        Self::default()
    }

    pub(crate) fn hit(&self) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }

    pub(crate) fn get(&self) -> usize {
        self.0.load(Ordering::SeqCst)
    }
}

/// Asserts the exact OK reply: status 200, `Content-Type: application/json` and
/// [`OK_JSON`] as the body.
pub(crate) async fn assert_ok<B: MessageBody>(res: ServiceResponse<B>) {
    assert_eq!(
        res.status(),
        StatusCode::OK,
        "status of an accepted callback"
    );
    assert_eq!(
        res.headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok()),
        Some("application/json"),
        "content type of the OK reply"
    );
    let body = test::read_body(res).await;
    assert_eq!(
        std::str::from_utf8(&body).expect("utf-8 body"),
        OK_JSON,
        "body of an accepted callback"
    );
}

/// Asserts a `FAIL` reply with this status and `ErrorCode`, and returns its `ErrorInfo`
/// (checked to be non-empty).
pub(crate) async fn assert_fail<B: MessageBody>(
    res: ServiceResponse<B>,
    status: StatusCode,
    error_code: u64,
) -> String {
    assert_eq!(res.status(), status, "status of the FAIL reply");
    assert_eq!(
        res.headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok()),
        Some("application/json"),
        "content type of the FAIL reply"
    );
    let body = test::read_body(res).await;
    assert_fail_body(&body, error_code)
}

/// Parses a `FAIL` body and checks its three fields; returns `ErrorInfo`.
pub(crate) fn assert_fail_body(body: &[u8], error_code: u64) -> String {
    let text = String::from_utf8_lossy(body);
    assert_ne!(text, OK_JSON, "a rejection must never be answered OK");
    let json: Value = serde_json::from_slice(body)
        .unwrap_or_else(|err| panic!("FAIL body is not JSON ({err}): {text}"));
    let object = json.as_object().expect("FAIL body is a JSON object");
    assert_eq!(
        object.len(),
        3,
        "FAIL body has exactly three fields: {text}"
    );
    assert_eq!(json["ActionStatus"], "FAIL", "ActionStatus in {text}");
    assert_eq!(json["ErrorCode"], error_code, "ErrorCode in {text}");
    let info = json["ErrorInfo"]
        .as_str()
        .unwrap_or_else(|| panic!("ErrorInfo is a string in {text}"))
        .to_owned();
    assert!(!info.is_empty(), "ErrorInfo says what was wrong: {text}");
    info
}

/// A body stream that counts how often it is polled and yields `chunks` one by one.
pub(crate) struct CountingStream {
    chunks: VecDeque<Bytes>,
    polls: Counter,
}

impl Stream for CountingStream {
    type Item = Result<Bytes, PayloadError>;

    fn poll_next(mut self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.polls.hit();
        Poll::Ready(self.chunks.pop_front().map(Ok))
    }
}

/// A request payload made of `chunks` (no `Content-Length`), counting its polls.
pub(crate) fn counting_payload<I, C>(chunks: I, polls: &Counter) -> Payload
where
    I: IntoIterator<Item = C>,
    C: Into<Bytes>,
{
    let stream = CountingStream {
        chunks: chunks.into_iter().map(Into::into).collect(),
        polls: polls.clone(),
    };
    let boxed: Pin<Box<dyn Stream<Item = Result<Bytes, PayloadError>>>> = Box::pin(stream);
    Payload::from(boxed)
}

/// Splits `body` into chunks of at most `size` bytes.
pub(crate) fn chunks_of(body: &str, size: usize) -> Vec<Bytes> {
    body.as_bytes()
        .chunks(size)
        .map(Bytes::copy_from_slice)
        .collect()
}

/// The one logger of a test binary (`log` allows one per process): every record from the
/// first call of [`capture_logs`] on, at every level.
struct Capture;

/// Every record, as `LEVEL target: message`.
static RECORDS: std::sync::Mutex<Vec<String>> = std::sync::Mutex::new(Vec::new());

/// The messages of the warning and error records.
static WARNINGS: std::sync::Mutex<Vec<String>> = std::sync::Mutex::new(Vec::new());

impl log::Log for Capture {
    fn enabled(&self, _: &log::Metadata<'_>) -> bool {
        true
    }

    fn log(&self, record: &log::Record<'_>) {
        let message = record.args().to_string();
        let line = format!("{} {}: {message}", record.level(), record.target());
        RECORDS.lock().unwrap_or_else(|e| e.into_inner()).push(line);
        if record.level() <= log::Level::Warn {
            WARNINGS
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push(message);
        }
    }

    fn flush(&self) {}
}

/// Installs the capturing logger of this binary (once; later calls do nothing).
pub(crate) fn capture_logs() {
    static INIT: std::sync::Once = std::sync::Once::new();
    INIT.call_once(|| {
        log::set_logger(&Capture).expect("the only logger of this binary");
        log::set_max_level(log::LevelFilter::Trace);
    });
}

/// Every record logged in this binary since [`capture_logs`], as `LEVEL target: message`.
pub(crate) fn records() -> Vec<String> {
    RECORDS.lock().unwrap_or_else(|e| e.into_inner()).clone()
}

/// Warning and error messages logged in this binary, captured from the first call on.
pub(crate) fn captured_warnings() -> &'static std::sync::Mutex<Vec<String>> {
    capture_logs();
    &WARNINGS
}

/// The process killed between the OK and the work (the queue tests).
#[cfg(feature = "queue")]
pub(crate) mod kill;
/// Real servers on loopback and a raw HTTP/1.1 client (the hardening tests).
pub(crate) mod net;
/// A real PostgreSQL server for the `PostgresQueue` tests.
#[cfg(feature = "queue-postgres")]
pub(crate) mod postgres;
/// Temp dirs, recording handlers and waits for the queue tests.
#[cfg(feature = "queue")]
pub(crate) mod queue;
/// A real `redis-server` for the `RedisStore` tests.
#[cfg(feature = "redis")]
pub(crate) mod redis;
pub(crate) mod samples;

/// Counts the panics of this process from now on (of every thread: a worker's tasks run
/// on the actix system's thread): [`PanicCount::count`].
#[allow(dead_code)]
pub(crate) fn count_panics() -> PanicCount {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static PANICS: AtomicUsize = AtomicUsize::new(0);
    static HOOK: std::sync::Once = std::sync::Once::new();
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            PANICS.fetch_add(1, Ordering::SeqCst);
            previous(info);
        }));
    });
    PanicCount {
        counter: &PANICS,
        start: PANICS.load(Ordering::SeqCst),
    }
}

/// Panics counted since [`count_panics`].
#[allow(dead_code)]
pub(crate) struct PanicCount {
    counter: &'static std::sync::atomic::AtomicUsize,
    start: usize,
}

#[allow(dead_code)]
impl PanicCount {
    pub(crate) fn count(&self) -> usize {
        self.counter.load(std::sync::atomic::Ordering::SeqCst) - self.start
    }
}
