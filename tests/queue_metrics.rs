//! The queue's metrics (features `metrics` and `queue-sqlite`), read from a recorder
//! installed for this test binary: every series the queue produces, from real pushes,
//! attempts and worker exits, and every one the alert rules read.

mod common;

use std::{collections::BTreeMap, sync::OnceLock, time::Duration};

use actix_tim_callback::{
    queue::enqueue, queue::CallbackBackend, queue::CallbackQueue, queue::CallbackTask,
    queue::SqliteQueue, testkit::TestCallback, CallbackConfig, TimCallback,
};
use actix_web::{test, web, App};
use common::{
    queue::{quick_retry, sample_task, wait_for_counts, wait_until, TempDir},
    APP_ID, PATH,
};
use metrics_util::debugging::{DebugValue, DebuggingRecorder, Snapshotter};

fn snapshotter() -> &'static Snapshotter {
    static SNAPSHOTTER: OnceLock<Snapshotter> = OnceLock::new();
    SNAPSHOTTER.get_or_init(|| {
        let recorder = DebuggingRecorder::new();
        let snapshotter = recorder.snapshotter();
        recorder
            .install()
            .expect("the only recorder of this binary");
        snapshotter
    })
}

/// `name{label=value,...}` → the counter's count or the gauge's value, since the last call
/// (gauges: their value now).
fn series() -> BTreeMap<String, f64> {
    snapshotter()
        .snapshot()
        .into_vec()
        .into_iter()
        .filter_map(|(key, _, _, value)| {
            let key = key.key();
            let labels: Vec<String> = key
                .labels()
                .map(|label| format!("{}={}", label.key(), label.value()))
                .collect();
            let name = format!("{}{{{}}}", key.name(), labels.join(","));
            match value {
                DebugValue::Counter(0) => None,
                DebugValue::Counter(count) => Some((name, count as f64)),
                DebugValue::Gauge(value) => Some((name, value.into_inner())),
                DebugValue::Histogram(_) => None,
            }
        })
        .collect()
}

/// One test, so that nothing else records between its snapshots.
#[actix_web::test]
async fn every_queue_series_is_produced_under_its_own_name() {
    snapshotter();
    let dir = TempDir::new("queue-metrics");
    let sqlite = SqliteQueue::open(dir.join("queue.db")).await.expect("open");
    let queue = web::Data::new(sqlite.callback_queue());
    let app = test::init_service(
        App::new().app_data(queue.clone()).service(
            web::scope(PATH)
                .wrap(TimCallback::new(CallbackConfig::new(APP_ID)))
                .route("", web::post().to(enqueue)),
        ),
    )
    .await;
    let no_queue = test::init_service(
        App::new().service(
            web::scope(PATH)
                .wrap(TimCallback::new(CallbackConfig::new(APP_ID)))
                .route("", web::post().to(enqueue)),
        ),
    )
    .await;
    let post = |command: &str| TestCallback::sample(command).expect("a sample").path(PATH);
    series();

    // Pushed: two after-callbacks answered OK.
    for command in ["Group.CallbackAfterSendMsg", "State.StateChange"] {
        let res = test::call_service(&app, post(command).to_request()).await;
        assert_eq!(res.status(), 200, "{command}");
    }
    // Not queued, by reason.
    let res = test::call_service(&app, post("Group.CallbackBeforeSendMsg").to_request()).await;
    common::assert_fail(
        res,
        actix_web::http::StatusCode::INTERNAL_SERVER_ERROR,
        50011,
    )
    .await;
    let res = test::call_service(&no_queue, post("State.StateChange").to_request()).await;
    common::assert_fail(
        res,
        actix_web::http::StatusCode::INTERNAL_SERVER_ERROR,
        50013,
    )
    .await;
    // A write lock held by another connection past the push budget: a timeout.
    let locker = sqlx::sqlite::SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(sqlx::sqlite::SqliteConnectOptions::new().filename(dir.join("queue.db")))
        .await
        .expect("another connection");
    let mut lock = locker.begin().await.expect("a transaction");
    sqlx::query("INSERT INTO TimCallbackCounts (queue, done) VALUES ('lock', 0)")
        .execute(&mut *lock)
        .await
        .expect("the write lock");
    let short = sqlite.callback_queue_with_budget(Duration::from_millis(200));
    let err = short
        .push(sample_task("State.StateChange", "locked"))
        .await
        .expect_err("the file is locked");
    assert_eq!(err.error_code(), 50312);
    lock.rollback().await.expect("unlocked");
    locker.close().await;
    // A store that refuses: a push error.
    let closed_dir = TempDir::new("queue-metrics-refused");
    let refused = SqliteQueue::open(closed_dir.join("queue.db"))
        .await
        .expect("open");
    let refusing = refused.callback_queue();
    refused.pool().close().await;
    let err = refusing
        .push(sample_task("State.StateChange", "refused"))
        .await
        .expect_err("a closed pool");
    assert_eq!(err.error_code(), 50311);
    let stopped = std::thread::spawn(|| {
        // A queue whose actix system is gone.
        actix_web::rt::System::new().block_on(async {
            let dir = TempDir::new("queue-metrics-closed");
            let sqlite = SqliteQueue::open(dir.join("queue.db")).await.expect("open");
            sqlite.callback_queue()
        })
    })
    .join()
    .expect("the other system");
    let err = stopped
        .push(sample_task("State.StateChange", "closed"))
        .await
        .expect_err("closed");
    assert_eq!(err.error_code(), 50313);
    let outside = std::thread::spawn(|| {
        // Built outside any actix system: not a panic, a queue that says why it fails.
        let broken = TempDir::new("queue-metrics-outside");
        let queue = actix_web::rt::System::new().block_on(async {
            SqliteQueue::open(broken.join("queue.db"))
                .await
                .expect("open")
        });
        queue.callback_queue()
    })
    .join()
    .expect("no panic outside a system");
    let err = outside
        .push(sample_task("State.StateChange", "outside"))
        .await
        .expect_err("closed");
    assert_eq!(err.error_code(), 50313);

    // Attempts: a task done, one retried then done, one failed, one undecodable.
    sqlx::query(
        "INSERT INTO Jobs (job, id, job_type, status, attempts, max_attempts, run_at, \
         priority, metadata, idempotency_key) VALUES (x'00', '01JZ0000000000000000000000', ?1, \
         'Pending', 0, 1, strftime('%s', 'now'), 0, '{}', 'undecodable')",
    )
    .bind(actix_tim_callback::queue::QUEUE_NAME)
    .execute(sqlite.pool())
    .await
    .expect("the undecodable row");
    let direct: &CallbackQueue = &queue;
    for key in ["retried", "failing"] {
        direct
            .push(sample_task("State.StateChange", key))
            .await
            .expect("queued");
    }
    let tries = std::sync::Arc::new(std::sync::Mutex::new(BTreeMap::<String, usize>::new()));
    let handler = {
        let tries = tries.clone();
        move |task: CallbackTask| {
            let mut tries = tries.lock().unwrap();
            let count = tries.entry(task.key.clone()).or_default();
            *count += 1;
            let result = match (task.key.as_str(), *count) {
                ("failing", _) | ("retried", 1) => Err(std::io::Error::other("not now")),
                _ => Ok(()),
            };
            std::future::ready(result)
        }
    };
    let worker = sqlite.worker("metrics", quick_retry(2), handler);
    wait_for_counts(&sqlite, "every task finished", |counts| {
        counts.done == 4 && counts.failed == 2
    })
    .await;
    // The worker exits when its store goes away, and is started again.
    sqlite.pool().close().await;
    wait_until("a restart", || worker.restarts() >= 1).await;
    let worker_name = "worker=metrics";
    let up = format!("tim_callback_queue_worker_up{{{worker_name}}}");
    let recorded = series();
    worker.stop().await;
    let stopped_up = series();

    let count = |name: &str| recorded.get(name).copied().unwrap_or(0.0);
    assert_eq!(
        count("tim_callback_queue_pushed_total{}"),
        4.0,
        "{recorded:#?}"
    );
    for (reason, expected) in [
        ("reply_read", 1.0),
        ("not_configured", 1.0),
        ("timeout", 1.0),
        ("push", 1.0),
        ("closed", 2.0),
    ] {
        assert_eq!(
            count(&format!(
                "tim_callback_queue_push_failures_total{{reason={reason}}}"
            )),
            expected,
            "{reason}: {recorded:#?}"
        );
    }
    for (outcome, expected) in [
        // The two posted, the retried one, and the locked one: a push over its budget
        // may still commit (answered FAIL, run once now and again if Tencent resends).
        ("done", 4.0),
        ("retry", 2.0),
        ("failed", 1.0),
        ("undecodable", 1.0),
    ] {
        assert_eq!(
            count(&format!(
                "tim_callback_queue_attempts_total{{outcome={outcome}}}"
            )),
            expected,
            "{outcome}: {recorded:#?}"
        );
    }
    assert!(
        count(&format!(
            "tim_callback_queue_worker_restarts_total{{{worker_name}}}"
        )) >= 1.0,
        "{recorded:#?}"
    );
    assert!(recorded.contains_key(&up), "{recorded:#?}");
    assert_eq!(stopped_up.get(&up), Some(&0.0), "down once stopped");

    // The alert rules read only series produced here.
    let rules = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/deploy/prometheus-alerts.yml"
    ))
    .expect("the alert rules");
    for name in rules
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .filter(|word| word.starts_with("tim_callback_queue_"))
    {
        assert!(
            recorded
                .keys()
                .chain(stopped_up.keys())
                .any(|series| series.starts_with(name)),
            "the alert rules read {name}, which the queue never produced"
        );
    }
}
