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
    queue::CallbackTask,
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
