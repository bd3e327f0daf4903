//! Helpers of the queue tests: a temp dir per test, a handler that records the tasks it
//! ran, waits with a deadline (only to turn a hang into a failure), tasks from Tencent's
//! samples and quick retries.

use std::{
    collections::BTreeMap,
    path::PathBuf,
    sync::{Arc, Mutex},
    time::{Duration, Instant, SystemTime, UNIX_EPOCH},
};

use actix_tim_callback::{
    model::{AnyEvent, CallbackBody},
    queue::CallbackBackend,
    queue::CallbackTask,
    queue::QueueCounts,
    queue::Retry,
    testkit::TestCallback,
    CallbackMeta,
};

use super::APP_ID;

/// How long a test waits for the worker before it fails.
pub(crate) const DEADLINE: Duration = Duration::from_secs(30);

/// A directory of its own under the system temp dir, removed when dropped.
pub(crate) struct TempDir(pub(crate) PathBuf);

impl TempDir {
    pub(crate) fn new(name: &str) -> Self {
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |since| since.as_nanos());
        let dir = std::env::temp_dir().join(format!(
            "actix-tim-callback-{name}-{}-{nanos}",
            std::process::id()
        ));
        std::fs::create_dir_all(&dir).expect("a temp dir");
        Self(dir)
    }

    pub(crate) fn join(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Every run of the worker's handler: the task and when it ran.
#[derive(Clone, Default)]
pub(crate) struct Runs(pub(crate) Arc<Mutex<Vec<(Instant, CallbackTask)>>>);

impl Runs {
    pub(crate) fn record(&self, task: &CallbackTask) {
        self.0.lock().unwrap().push((Instant::now(), task.clone()));
    }

    pub(crate) fn len(&self) -> usize {
        self.0.lock().unwrap().len()
    }

    /// The runs per duplicate key, in order.
    pub(crate) fn by_key(&self) -> BTreeMap<String, Vec<Instant>> {
        let mut keys = BTreeMap::<String, Vec<Instant>>::new();
        for (at, task) in self.0.lock().unwrap().iter() {
            keys.entry(task.key.clone()).or_default().push(*at);
        }
        keys
    }

    pub(crate) fn tasks(&self) -> Vec<CallbackTask> {
        self.0
            .lock()
            .unwrap()
            .iter()
            .map(|(_, task)| task.clone())
            .collect()
    }
}

/// Waits until `done` holds, checking every 20 ms; panics with `what` after [`DEADLINE`].
pub(crate) async fn wait_until(what: &str, mut done: impl FnMut() -> bool) {
    let started = Instant::now();
    while !done() {
        assert!(started.elapsed() < DEADLINE, "timed out waiting for {what}");
        actix_web::rt::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Waits up to [`DEADLINE`] for `done`; whether it held.
pub(crate) async fn wait_for(mut done: impl FnMut() -> bool) -> bool {
    let started = Instant::now();
    while !done() {
        if started.elapsed() > DEADLINE {
            return false;
        }
        actix_web::rt::time::sleep(Duration::from_millis(20)).await;
    }
    true
}

/// `attempts` runs, 100 ms after the first failure, at most 400 ms apart.
pub(crate) fn quick_retry(attempts: usize) -> Retry {
    Retry {
        attempts,
        first_delay: Duration::from_millis(100),
        max_delay: Duration::from_millis(400),
    }
}

/// A handler that records every task it runs in `runs` and succeeds.
pub(crate) fn recording(
    runs: &Runs,
) -> impl Fn(CallbackTask) -> std::future::Ready<Result<(), std::io::Error>> + Clone {
    let runs = runs.clone();
    move |task: CallbackTask| {
        runs.record(&task);
        std::future::ready(Ok(()))
    }
}

/// Tencent's sample of `command`, decoded.
pub(crate) fn sample_event(command: &str) -> AnyEvent {
    let body = TestCallback::sample(command)
        .expect("a sample")
        .body_bytes();
    AnyEvent::deserialize_command(command, &mut serde_json::Deserializer::from_slice(&body))
        .expect("the sample decodes")
}

/// The metadata of a callback of `command` (`CallbackMeta` is built by the middleware;
/// a stored task gives one too).
pub(crate) fn callback_meta(command: &str) -> CallbackMeta {
    let task: CallbackTask = serde_json::from_value(serde_json::json!({
        "command": command, "sdk_app_id": APP_ID, "received_at_ms": 0, "key": "", "event": null,
    }))
    .expect("a task");
    task.meta()
}

/// A task of Tencent's sample of `command`, received now, with duplicate key `key`.
pub(crate) fn sample_task(command: &str, key: &str) -> CallbackTask {
    CallbackTask::new(
        &callback_meta(command),
        &sample_event(command),
        SystemTime::now(),
        key,
    )
    .expect("a task")
}

/// The "after" commands of the catalogue (the ones the queue takes), with their samples.
pub(crate) fn after_commands() -> Vec<&'static str> {
    actix_tim_callback::testkit::TestCallback::commands()
        .filter(|command| !actix_tim_callback::model::AnyEvent::reads_reply(command))
        .collect()
}

/// The `MsgSeq` of a queued group message.
pub(crate) fn msg_seq(task: &CallbackTask) -> Option<u64> {
    let body: serde_json::Value = serde_json::from_str(task.body.get()).ok()?;
    body["MsgSeq"].as_u64()
}

/// Waits until the backend's counts satisfy `done`, checking every 20 ms; panics with
/// `what` and the last counts after [`DEADLINE`].
#[allow(dead_code)] // Not every test binary uses every helper.
pub(crate) async fn wait_for_counts<B: CallbackBackend>(
    backend: &B,
    what: &str,
    mut done: impl FnMut(&QueueCounts) -> bool,
) -> QueueCounts {
    let started = Instant::now();
    loop {
        let counts = backend.counts().await.expect("counts");
        if done(&counts) {
            return counts;
        }
        assert!(
            started.elapsed() < DEADLINE,
            "timed out waiting for {what}: {counts:?}"
        );
        actix_web::rt::time::sleep(Duration::from_millis(20)).await;
    }
}

/// The dead-task surface, the same on every backend: a task that fails all its attempts
/// is kept with its last error, listed, retried by id (and then done and counted),
/// retried with the others, and purged.
#[allow(dead_code)]
pub(crate) async fn dead_tasks_are_listed_retried_and_purged<B: CallbackBackend>(backend: &B) {
    let healthy = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let runs = Runs::default();
    let handler = {
        let (healthy, runs) = (healthy.clone(), runs.clone());
        move |task: CallbackTask| {
            runs.record(&task);
            let result = if healthy.load(std::sync::atomic::Ordering::SeqCst) {
                Ok(())
            } else {
                Err(std::io::Error::other(format!(
                    "the archive is down <{}>",
                    task.key
                )))
            };
            std::future::ready(result)
        }
    };
    let worker = backend.worker("dead-tasks", quick_retry(2), handler);
    let queue = backend.callback_queue();
    for key in ["dead-a", "dead-b"] {
        queue
            .push(sample_task("Group.CallbackAfterSendMsg", key))
            .await
            .expect("queued");
    }
    let counts = wait_for_counts(backend, "two dead tasks", |counts| counts.failed == 2).await;
    assert_eq!(
        (counts.pending, counts.running, counts.done),
        (0, 0, 0),
        "{counts:?}"
    );
    assert_eq!(worker.failed(), 2);
    assert_eq!(runs.len(), 4, "two attempts each");

    let dead = backend.failed_tasks(10).await.expect("failed tasks");
    assert_eq!(dead.len(), 2, "{dead:?}");
    let mut keys: Vec<String> = dead
        .iter()
        .map(|failed| {
            let task = failed.task.as_ref().expect("the task decodes");
            assert_eq!(task.command, "Group.CallbackAfterSendMsg");
            assert_eq!(failed.attempts, 2, "{failed:?}");
            assert_eq!(
                failed.last_error,
                format!("the archive is down <{}>", task.key)
            );
            let failed_at = failed.failed_at.expect("when it failed");
            assert!(failed_at >= task.received_at() - Duration::from_secs(1));
            task.key.clone()
        })
        .collect();
    keys.sort();
    assert_eq!(keys, ["dead-a", "dead-b"]);
    assert_eq!(
        backend.failed_tasks(1).await.expect("failed tasks").len(),
        1
    );

    // One retried by its id: run again, done and counted.
    healthy.store(true, std::sync::atomic::Ordering::SeqCst);
    let first = dead[0].id.clone();
    assert!(backend.retry_task(&first).await.expect("retry"));
    assert!(
        !backend.retry_task(&first).await.expect("retry"),
        "no longer dead"
    );
    assert!(!backend
        .retry_task("01JZZZZZZZZZZZZZZZZZZZZZZZ")
        .await
        .expect("retry"));
    let counts = wait_for_counts(backend, "the retried task done", |counts| counts.done == 1).await;
    assert_eq!(
        (counts.pending, counts.running, counts.failed),
        (0, 0, 1),
        "{counts:?}"
    );
    let left = backend.failed_tasks(10).await.expect("failed tasks");
    assert_eq!(left.len(), 1);
    assert_ne!(left[0].id, first);

    // The rest retried at once.
    assert_eq!(backend.retry_failed().await.expect("retry all"), 1);
    wait_for_counts(backend, "every task done", |counts| {
        counts.done == 2 && counts.failed == 0
    })
    .await;
    assert_eq!(worker.done(), 2);

    // A dead task purged for good.
    healthy.store(false, std::sync::atomic::Ordering::SeqCst);
    queue
        .push(sample_task("Group.CallbackAfterSendMsg", "dead-c"))
        .await
        .expect("queued");
    wait_for_counts(backend, "a dead task", |counts| counts.failed == 1).await;
    assert_eq!(backend.purge_failed().await.expect("purge"), 1);
    let counts = backend.counts().await.expect("counts");
    assert_eq!(
        (counts.pending, counts.running, counts.failed, counts.done),
        (0, 0, 0, 2),
        "{counts:?}"
    );
    assert!(backend.failed_tasks(10).await.expect("failed").is_empty());
    worker.stop().await;
}

/// What a store may hold that this version cannot decode: bytes that are not JSON (a
/// corrupted row) and a JSON task of another format (a newer version's).
#[allow(dead_code)]
pub(crate) const UNDECODABLE: [&[u8]; 2] = [
    b"\x00\x9f not json",
    br#"{"format":3,"callback":{"command":"Group.CallbackAfterSendMsg"}}"#,
];

/// A worker that meets stored tasks it cannot decode (written into the store by
/// `write_undecodable`, beside a good task pushed after them) fails each of them alone,
/// with the decoding error as its last error, and goes on: no crash loop, no restart.
#[allow(dead_code)]
pub(crate) async fn undecodable_tasks_fail_alone<B, F>(backend: &B, write_undecodable: F)
where
    B: CallbackBackend,
    F: std::future::Future<Output = ()>,
{
    write_undecodable.await;
    backend
        .callback_queue()
        .push(sample_task("Group.CallbackAfterSendMsg", "good"))
        .await
        .expect("queued");
    let runs = Runs::default();
    let worker = backend.worker("undecodable", quick_retry(3), recording(&runs));
    let counts = wait_for_counts(backend, "the good task done, the others failed", |counts| {
        counts.done == 1 && counts.failed == UNDECODABLE.len() as u64
    })
    .await;
    assert_eq!(counts.pending + counts.running, 0, "{counts:?}");
    assert_eq!(runs.len(), 1, "only the good task ran");
    assert_eq!(runs.tasks()[0].key, "good");
    assert_eq!(worker.restarts(), 0, "the worker never exited");
    assert!(worker.is_up());
    assert_eq!(worker.failed(), UNDECODABLE.len() as u64);
    let failed = backend.failed_tasks(10).await.expect("failed tasks");
    assert_eq!(failed.len(), UNDECODABLE.len());
    for task in &failed {
        assert!(task.task.is_none(), "{task:?}");
        assert!(
            task.last_error
                .starts_with("the stored task cannot be decoded: "),
            "{task:?}"
        );
        assert_eq!(task.attempts, 1, "not retried: {task:?}");
    }
    worker.stop().await;
}

/// A store server a test stops (as a crash) and starts again on the same address and data.
#[allow(dead_code)]
pub(crate) trait Outage {
    fn stop(&mut self);
    fn start_again(&mut self);
}

#[cfg(feature = "queue-redis")]
impl Outage for super::redis::RedisServer {
    fn stop(&mut self) {
        super::redis::RedisServer::stop(self);
    }

    fn start_again(&mut self) {
        super::redis::RedisServer::start_again(self);
    }
}

#[cfg(feature = "queue-postgres")]
impl Outage for super::postgres::PostgresServer {
    fn stop(&mut self) {
        super::postgres::PostgresServer::stop(self);
    }

    fn start_again(&mut self) {
        super::postgres::PostgresServer::start_again(self);
    }
}

/// Posts the callback numbered `serial` until it is answered OK, as Tencent redelivers
/// until OK; panics after [`DEADLINE`].
#[allow(dead_code)]
pub(crate) async fn post_until_ok<S, B>(app: &S, serial: usize)
where
    S: actix_web::dev::Service<
        actix_http::Request,
        Response = actix_web::dev::ServiceResponse<B>,
        Error = actix_web::Error,
    >,
    B: actix_web::body::MessageBody,
{
    let started = Instant::now();
    loop {
        let res = actix_web::test::call_service(app, numbered(serial)).await;
        let status = res.status();
        let body = actix_web::test::read_body(res).await;
        if status == 200 {
            assert_eq!(body, super::OK_JSON.as_bytes());
            return;
        }
        let code = super::assert_fail_body(&body, fail_code(&body));
        assert!(
            started.elapsed() < DEADLINE,
            "callback {serial} never accepted: {status} {code}"
        );
        actix_web::rt::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Pushes `task()` until the queue takes it, as Tencent redelivers until OK; a push that
/// fails must fail with a push error or the budget. Panics after [`DEADLINE`].
#[allow(dead_code)]
pub(crate) async fn push_until_ok(
    queue: &actix_tim_callback::queue::CallbackQueue,
    task: impl Fn() -> CallbackTask,
) {
    use actix_tim_callback::queue::QueueError;
    let started = Instant::now();
    while let Err(err) = queue.push(task()).await {
        assert!(
            matches!(err, QueueError::Push(_) | QueueError::Timeout(_)),
            "{err:?}"
        );
        assert!(started.elapsed() < DEADLINE, "never queued: {err}");
        actix_web::rt::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The `ErrorCode` of a FAIL body.
pub(crate) fn fail_code(body: &[u8]) -> u64 {
    serde_json::from_slice::<serde_json::Value>(body)
        .ok()
        .and_then(|json| json["ErrorCode"].as_u64())
        .unwrap_or(0)
}

/// Tencent's sample group message, numbered `serial` (its `MsgSeq`: a callback of its own).
pub(crate) fn numbered(serial: usize) -> actix_http::Request {
    TestCallback::sample("Group.CallbackAfterSendMsg")
        .expect("a sample")
        .edit_json(move |body| body["MsgSeq"] = serde_json::json!(serial))
        .path(super::PATH)
        .to_request()
}

/// The store goes away while the worker holds tasks, stays down for `down_for`, and comes
/// back: every callback answered OK before and after is processed, the ones sent while it
/// was down are answered FAIL (a push error or the push budget, never OK) and never run, and
/// the worker resumes by itself.
#[allow(dead_code)]
pub(crate) async fn an_outage_of_the_store_loses_no_callback_answered_ok<B: CallbackBackend>(
    backend: &B,
    store: &mut impl Outage,
    down_for: Duration,
) {
    use actix_tim_callback::{queue::enqueue, CallbackConfig, TimCallback};
    use actix_web::{test, web, App};
    use std::sync::atomic::{AtomicBool, Ordering};

    let queue = web::Data::new(backend.callback_queue_with_budget(Duration::from_millis(500)));
    let open = Arc::new(AtomicBool::new(false));
    let runs = Runs::default();
    let handler = {
        let (open, runs) = (open.clone(), runs.clone());
        move |task: CallbackTask| {
            let (open, runs) = (open.clone(), runs.clone());
            async move {
                // The worker holds its tasks until the store has been down.
                while !open.load(Ordering::SeqCst) {
                    actix_web::rt::time::sleep(Duration::from_millis(10)).await;
                }
                runs.record(&task);
                Ok::<(), std::io::Error>(())
            }
        }
    };
    let worker = backend.worker("outage", quick_retry(3), handler);
    let app = test::init_service(
        App::new().app_data(queue.clone()).service(
            web::scope(super::PATH)
                .wrap(TimCallback::new(CallbackConfig::new(super::APP_ID)))
                .route("", web::post().to(enqueue)),
        ),
    )
    .await;
    let mut acked = Vec::new();
    for serial in 0..20 {
        post_until_ok(&app, serial).await;
        acked.push(serial);
    }
    wait_for_counts(backend, "tasks in the worker's hands", |counts| {
        counts.running > 0
    })
    .await;

    store.stop();
    for serial in 1000..1003 {
        let res = test::call_service(&app, numbered(serial)).await;
        assert_eq!(res.status(), 503, "no OK while the store is down");
        let body = test::read_body(res).await;
        let code = fail_code(&body);
        assert!(
            code == 50311 || code == 50312,
            "a push error or the budget: {}",
            String::from_utf8_lossy(&body)
        );
        super::assert_fail_body(&body, code);
    }
    actix_web::rt::time::sleep(down_for).await;
    store.start_again();
    open.store(true, Ordering::SeqCst);
    for serial in 20..30 {
        post_until_ok(&app, serial).await;
        acked.push(serial);
    }
    let ran = || -> std::collections::BTreeSet<usize> {
        runs.tasks()
            .iter()
            .filter_map(msg_seq)
            .map(|serial| serial as usize)
            .collect()
    };
    let drained = wait_for(|| acked.iter().all(|serial| ran().contains(serial))).await;
    assert!(
        drained,
        "lost: {:?}; worker up {}, restarts {}",
        acked
            .iter()
            .filter(|serial| !ran().contains(serial))
            .collect::<Vec<_>>(),
        worker.is_up(),
        worker.restarts()
    );
    assert!(
        ran().iter().all(|serial| *serial < 1000),
        "a callback answered FAIL ran: {:?}",
        ran()
    );
    // Whether the worker exited with the store (and was started again: counted in
    // `restarts`) or rode the outage out on a reconnecting connection (Redis'
    // ConnectionManager), it runs again by itself.
    wait_until("the worker up", || worker.is_up()).await;
    worker.stop().await;
}
