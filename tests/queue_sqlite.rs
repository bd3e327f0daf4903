//! The durable queue in a real SQLite file (feature `queue-sqlite`): what is answered OK
//! is processed, what cannot be queued is never answered OK.
//!
//! Waits have deadlines only to turn a hang into a failure; no test asserts speed except
//! the push budget, which is behaviour (Tencent gives up after 2 s).

mod common;

use std::{
    collections::BTreeMap,
    io::{BufRead, BufReader, Write},
    process::{Command, Stdio},
    sync::{
        atomic::{AtomicUsize, Ordering},
        Arc, Mutex,
    },
    time::{Duration, Instant},
};

use actix_tim_callback::{
    dedup::MemoryStore, model::AnyEvent, queue::enqueue, queue::CallbackBackend,
    queue::CallbackQueue, queue::CallbackTask, queue::Retry, queue::SqliteQueue, queue::STOP_GRACE,
    testkit::TestCallback, CallbackConfig, TimCallback,
};
use actix_web::{test, web, App};

use common::{
    kill,
    queue::{
        after_commands, quick_retry, recording, sample_event, sample_task, wait_until, Runs,
        TempDir,
    },
    APP_ID, OK_JSON, PATH,
};
#[actix_web::test]
async fn every_after_callback_is_answered_ok_once_queued_and_reaches_the_worker_as_the_same_event()
{
    let dir = TempDir::new("queue-roundtrip");
    let sqlite = SqliteQueue::open(dir.join("queue.db")).await.expect("open");
    let queue = web::Data::new(sqlite.callback_queue());
    let runs = Runs::default();
    let worker = sqlite.worker("roundtrip", quick_retry(3), recording(&runs));
    let app = test::init_service(
        App::new().app_data(queue.clone()).service(
            web::scope(PATH)
                .wrap(TimCallback::new(CallbackConfig::new(APP_ID)))
                .route("", web::post().to(enqueue)),
        ),
    )
    .await;
    let commands = after_commands();
    for command in &commands {
        let req = TestCallback::sample(command)
            .expect("a sample")
            .client_ip("10.1.2.3")
            .path(PATH)
            .to_request();
        let res = test::call_service(&app, req).await;
        assert_eq!(res.status(), 200, "{command}");
        assert_eq!(test::read_body(res).await, OK_JSON.as_bytes(), "{command}");
    }
    wait_until("every task", || runs.len() >= commands.len()).await;
    let mut by_command = BTreeMap::new();
    for task in runs.tasks() {
        by_command.insert(task.command.clone(), task);
    }
    assert_eq!(by_command.len(), commands.len(), "one task per callback");
    for command in &commands {
        let task = &by_command[*command];
        assert_eq!(
            task.event().expect("decodes"),
            sample_event(command),
            "{command}"
        );
        assert_eq!(task.sdk_app_id, APP_ID);
        assert_eq!(task.meta().client_ip.as_deref(), Some("10.1.2.3"));
        // The key the middleware claims the callback under: app id, command, then the
        // documented id or a digest of the body.
        assert!(
            task.key.starts_with(&format!("{APP_ID}:{command}:")),
            "{}",
            task.key
        );
        assert!(task.received_at_ms > 0);
    }
    assert_eq!(worker.done(), commands.len() as u64);
    assert!(worker.is_up());
    worker.stop().await;
    let counts = sqlite.counts().await.expect("counts");
    assert_eq!(
        (counts.pending, counts.running, counts.failed, counts.done),
        (0, 0, 0, commands.len() as u64),
        "{counts:?}"
    );
}

/// A task as 0.1 stored it: the body as a JSON object under `event`.
const OLD_TASK: &str = r#"{"command":"State.StateChange","sdk_app_id":1400000000,"client_ip":"127.0.0.1","platform":"Web","request_time":null,"received_at_ms":1,"key":"old-key","event":{"CallbackCommand":"State.StateChange","EventTime":1670574414123,"Info":{"Action":"Logout","To_Account":"u1","Reason":"Unlinked"}},"field_of_a_later_version":1}"#;

#[actix_web::test]
async fn an_old_task_still_decodes() {
    let task: CallbackTask = serde_json::from_str(OLD_TASK).expect("decodes");
    assert_eq!(task.key, "old-key");
    match task.event().expect("the event decodes") {
        AnyEvent::StateStateChange(change) => assert_eq!(change.info.to_account, "u1"),
        other => panic!("decoded as {}", other.command()),
    }
}

/// A row queued by 0.1 (its job the task JSON of 0.1, in apalis' own columns), left in the
/// file across the upgrade, is run by the new worker with its body intact.
#[actix_web::test]
async fn a_row_of_the_old_format_is_run_after_the_upgrade() {
    let dir = TempDir::new("queue-old-row");
    let sqlite = SqliteQueue::open(dir.join("queue.db")).await.expect("open");
    sqlx::query(
        "INSERT INTO Jobs (job, id, job_type, status, attempts, max_attempts, run_at, priority, \
         metadata, idempotency_key) VALUES (?1, '01JZ0000000000000000000000', ?2, 'Pending', 0, 1, \
         strftime('%s', 'now'), 0, '{}', 'old-key')",
    )
    .bind(OLD_TASK.as_bytes())
    .bind(actix_tim_callback::queue::QUEUE_NAME)
    .execute(sqlite.pool())
    .await
    .expect("the old row");
    let runs = Runs::default();
    let worker = sqlite.worker("upgrade", quick_retry(1), recording(&runs));
    wait_until("the old task done", || worker.done() == 1).await;
    worker.stop().await;
    let task = runs.tasks().pop().expect("the old task ran");
    assert_eq!(task.key, "old-key");
    assert_eq!(task.client_ip.as_deref(), Some("127.0.0.1"));
    let body: serde_json::Value = serde_json::from_str(task.body.get()).expect("JSON");
    assert_eq!(body["Info"]["Reason"], "Unlinked");
    assert!(matches!(
        task.event().expect("decodes"),
        AnyEvent::StateStateChange(_)
    ));
}

/// The write lock of an SQLite file, held by another process (the `sqlite3` CLI).
struct WriteLock {
    child: std::process::Child,
    stdin: std::process::ChildStdin,
}

impl WriteLock {
    /// Takes the lock; `None` (with a note) when `sqlite3` is not installed.
    fn take(path: &std::path::Path) -> Option<Self> {
        let Ok(mut child) = Command::new("sqlite3")
            .arg(path)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
        else {
            eprintln!("sqlite3 is not installed: skipped (Debian: apt-get install sqlite3)");
            return None;
        };
        let mut stdin = child.stdin.take().expect("stdin");
        writeln!(stdin, "BEGIN EXCLUSIVE; SELECT 'locked';").expect("write");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("stdout"))
            .read_line(&mut line)
            .expect("read");
        assert_eq!(line.trim(), "locked");
        Some(Self { child, stdin })
    }

    /// Gives the lock up and waits for the process to exit.
    fn release(mut self) {
        writeln!(self.stdin, "ROLLBACK;").expect("write");
        drop(self.stdin);
        let _ = self.child.wait();
    }
}

#[actix_web::test]
async fn a_queue_that_does_not_commit_is_answered_fail_within_the_budget_and_never_ok() {
    let dir = TempDir::new("queue-down");
    let path = dir.join("queue.db");
    let sqlite = SqliteQueue::open(&path).await.expect("open");
    let budget = Duration::from_millis(300);
    let queue = web::Data::new(sqlite.callback_queue_with_budget(budget));
    let app = test::init_service(
        App::new().app_data(queue.clone()).service(
            web::scope(PATH)
                .wrap(TimCallback::new(
                    CallbackConfig::new(APP_ID).dedup(MemoryStore::default()),
                ))
                .route("", web::post().to(enqueue)),
        ),
    )
    .await;
    // Another process holds the write lock: every push waits for it.
    let Some(lock) = WriteLock::take(&path) else {
        return;
    };

    let request = || {
        TestCallback::sample("Group.CallbackAfterSendMsg")
            .expect("a sample")
            .path(PATH)
            .to_request()
    };
    // The crate's own budget answers it (QueueError::Timeout, 50312), not SQLite's 5 s
    // busy timeout (a push error, 50311).
    let res = test::call_service(&app, request()).await;
    assert_eq!(res.status(), 503);
    let body = test::read_body(res).await;
    let message = common::assert_fail_body(&body, 50312);
    assert!(message.contains("not queued within 300ms"), "{message}");

    // The lock goes away. The timed-out INSERT still holds the pool's one connection
    // until SQLite's busy handler wakes it (it may commit: at least once); `counts` waits
    // for that connection.
    lock.release();
    let before = sqlite.counts().await.expect("counts");
    assert!(before.pending <= 1, "{before:?}");

    // Tencent redelivers until OK. The claim was released, so a redelivery is handled
    // again (a kept claim would answer every one the first FAIL, or 409): it is queued and
    // OK, at the latest after a few tries on a machine loaded past the 300 ms budget.
    for tries in 1.. {
        let res = test::call_service(&app, request()).await;
        let status = res.status().as_u16();
        let body = test::read_body(res).await;
        if status == 200 {
            assert_eq!(body, OK_JSON.as_bytes());
            break;
        }
        assert_eq!(status, 503, "{}", String::from_utf8_lossy(&body));
        assert!(tries < 10, "no redelivery was queued in {tries} tries");
        actix_web::rt::time::sleep(Duration::from_millis(100)).await;
    }
    let counts = sqlite.counts().await.expect("counts");
    assert_eq!(counts.pending, 1, "the callback is queued once");
}

#[actix_web::test]
async fn a_task_that_fails_two_attempts_of_three_is_processed_after_backoff() {
    let dir = TempDir::new("queue-retry");
    let sqlite = SqliteQueue::open(dir.join("queue.db")).await.expect("open");
    let queue = sqlite.callback_queue();
    let runs = Runs::default();
    let attempts = Arc::new(Mutex::new(BTreeMap::<String, usize>::new()));
    let handler = {
        let runs = runs.clone();
        let attempts = attempts.clone();
        move |task: CallbackTask| {
            runs.record(&task);
            let mut attempts = attempts.lock().unwrap();
            let count = attempts.entry(task.key.clone()).or_default();
            *count += 1;
            let result = if count.is_multiple_of(3) {
                Ok(())
            } else {
                Err(std::io::Error::other("the database is down"))
            };
            std::future::ready(result)
        }
    };
    let worker = sqlite.worker("retry", quick_retry(3), handler);
    let events: Vec<_> = after_commands().into_iter().take(5).collect();
    for command in &events {
        let task = sample_task(command, &format!("key-{command}"));
        queue.push(task).await.expect("queued");
    }
    wait_until("every task done", || worker.done() == events.len() as u64).await;
    for (key, runs) in runs.by_key() {
        assert_eq!(runs.len(), 3, "{key} ran three times");
        for pair in runs.windows(2) {
            assert!(
                pair[1] - pair[0] >= Duration::from_millis(80),
                "{key}: retried after {:?}, without backoff",
                pair[1] - pair[0]
            );
        }
    }
    assert_eq!(worker.failed(), 0);
    worker.stop().await;
}

#[actix_web::test]
async fn a_task_that_fails_every_attempt_is_kept_and_runs_again_on_request() {
    let dir = TempDir::new("queue-failed");
    let sqlite = SqliteQueue::open(dir.join("queue.db")).await.expect("open");
    let queue = sqlite.callback_queue();
    let healthy = Arc::new(AtomicUsize::new(0));
    let runs = Runs::default();
    let handler = {
        let healthy = healthy.clone();
        let runs = runs.clone();
        move |task: CallbackTask| {
            runs.record(&task);
            let result = match healthy.load(Ordering::SeqCst) {
                0 => Err(std::io::Error::other("down")),
                _ => Ok(()),
            };
            std::future::ready(result)
        }
    };
    let worker = sqlite.worker("failing", quick_retry(2), handler);
    let command = "State.StateChange";
    let task = sample_task(command, "failing-key");
    queue.push(task).await.expect("queued");
    wait_until("the task failed", || worker.failed() == 1).await;
    // Not refetched by the backend once the worker's attempts are spent.
    actix_web::rt::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(runs.len(), 2);
    assert_eq!(sqlite.counts().await.expect("counts").failed, 1);
    // Kept as apalis' ack keeps a failed task.
    let (status, attempts, result): (String, i64, String) = sqlx::query_as(
        "SELECT status, attempts, last_result FROM Jobs WHERE idempotency_key = 'failing-key'",
    )
    .fetch_one(sqlite.pool())
    .await
    .expect("the failed row");
    assert_eq!((status.as_str(), attempts), ("Failed", 2));
    assert!(result.starts_with("{\"Err\":"), "{result}");
    healthy.store(1, Ordering::SeqCst);
    assert_eq!(sqlite.retry_failed().await.expect("retry"), 1);
    wait_until("the task done", || worker.done() == 1).await;
    assert_eq!(runs.len(), 3);
    worker.stop().await;
}

#[actix_web::test]
async fn a_redelivered_callback_is_one_task() {
    let dir = TempDir::new("queue-redelivery");
    let sqlite = SqliteQueue::open(dir.join("queue.db")).await.expect("open");
    let queue = web::Data::new(sqlite.callback_queue());
    let app = test::init_service(
        App::new().app_data(queue.clone()).service(
            web::scope(PATH)
                .wrap(TimCallback::new(
                    CallbackConfig::new(APP_ID).dedup(MemoryStore::default()),
                ))
                .route("", web::post().to(enqueue)),
        ),
    )
    .await;
    for _ in 0..3 {
        let req = TestCallback::sample("Group.CallbackAfterSendMsg")
            .expect("a sample")
            .path(PATH)
            .to_request();
        let res = test::call_service(&app, req).await;
        assert_eq!(res.status(), 200);
        assert_eq!(test::read_body(res).await, OK_JSON.as_bytes());
    }
    assert_eq!(sqlite.counts().await.expect("counts").pending, 1);
    let runs = Runs::default();
    let worker = sqlite.worker("redelivery", quick_retry(1), recording(&runs));
    wait_until("the task", || worker.done() == 1).await;
    actix_web::rt::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(runs.len(), 1);
    worker.stop().await;
}

#[actix_web::test]
async fn through_apalis_own_push_a_timed_out_push_is_not_completed_by_the_next_and_each_ok_is_committed(
) {
    // apalis keeps a flush that did not finish in its storage; the next push on that
    // storage would complete it in place of its own tasks.
    let dir = TempDir::new("queue-apalis-timeout");
    let path = dir.join("queue.db");
    let sqlite = SqliteQueue::open(&path).await.expect("open");
    let queue = CallbackQueue::with_budget(sqlite.storage(), Duration::from_millis(300));
    let command = "State.StateChange";
    let task = |key: &str| sample_task(command, key);
    let Some(lock) = WriteLock::take(&path) else {
        return;
    };
    queue
        .push(task("while-locked"))
        .await
        .expect_err("no OK while the file is locked");
    lock.release();
    for i in 0..5 {
        let key = format!("after-{i}");
        // Pushed until OK, as Tencent redelivers: right after the lock, the timed-out
        // INSERT may still hold the pool's one connection past the budget.
        common::queue::push_until_ok(&queue, || task(&key)).await;
        let row: Option<(String,)> =
            sqlx::query_as("SELECT id FROM Jobs WHERE idempotency_key = ?1")
                .bind(&key)
                .fetch_optional(sqlite.pool())
                .await
                .expect("the row");
        assert!(row.is_some(), "{key} answered OK, not committed");
    }
}

/// Every column of the row of `key`, as SQLite quotes it, by column name.
async fn job_row(sqlite: &SqliteQueue, key: &str) -> BTreeMap<String, String> {
    use sqlx::Row;
    let columns: Vec<String> = sqlx::query_scalar("SELECT name FROM pragma_table_info('Jobs')")
        .fetch_all(sqlite.pool())
        .await
        .expect("the columns");
    let select = columns
        .iter()
        .map(|column| format!("quote({column})"))
        .collect::<Vec<_>>()
        .join(", ");
    let sql = format!("SELECT {select} FROM Jobs WHERE idempotency_key = ?1");
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(key)
        .fetch_one(sqlite.pool())
        .await
        .expect("the row");
    columns
        .into_iter()
        .enumerate()
        .map(|(i, column)| (column, row.get::<String, _>(i)))
        .collect()
}

#[actix_web::test]
async fn the_one_insert_writes_the_row_apalis_own_push_writes_and_skips_a_known_key() {
    let dir = TempDir::new("queue-rows");
    let sqlite = SqliteQueue::open(dir.join("queue.db")).await.expect("open");
    let ours = sqlite.callback_queue();
    let apalis = CallbackQueue::new(sqlite.storage());
    let command = "Group.CallbackAfterSendMsg";
    let task = |key: &str| sample_task(command, key);
    ours.push(task("ours")).await.expect("queued by one INSERT");
    apalis.push(task("apalis")).await.expect("queued by apalis");

    let mut ours_row = job_row(&sqlite, "ours").await;
    let mut apalis_row = job_row(&sqlite, "apalis").await;
    for row in [&mut ours_row, &mut apalis_row] {
        let job = row.remove("job").expect("a job column");
        // quote() of a BLOB is X'hex'.
        let hex = job.trim_start_matches("X'").trim_end_matches('\'');
        let bytes: Vec<u8> = (0..hex.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).expect("hex"))
            .collect();
        let decoded: CallbackTask = serde_json::from_slice(&bytes).expect("the job decodes");
        assert_eq!(decoded.command, command);
        for column in ["id", "idempotency_key", "run_at"] {
            assert!(row.remove(column).is_some(), "a {column} column");
        }
    }
    assert_eq!(ours_row, apalis_row, "the other columns are apalis' own");

    // A batch that holds a known key: the known one is skipped, the new one queued.
    let (again, new) =
        futures_util::future::join(ours.push(task("ours")), ours.push(task("new"))).await;
    again.expect("a known key is no error");
    new.expect("queued");
    assert_eq!(sqlite.counts().await.expect("counts").pending, 3);

    // Both rows are the worker's.
    let runs = Runs::default();
    let worker = sqlite.worker("rows", quick_retry(1), recording(&runs));
    wait_until("every task done", || worker.done() == 3).await;
    worker.stop().await;
}

#[actix_web::test]
async fn before_callbacks_are_never_queued() {
    let dir = TempDir::new("queue-before");
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
    for command in [
        "Group.CallbackBeforeSendMsg",
        "Sns.CallbackPrevFriendAdd",
        "Chatbot.OnC2CSignalMessage",
    ] {
        let req = TestCallback::sample(command)
            .expect("a sample")
            .path(PATH)
            .to_request();
        let res = test::call_service(&app, req).await;
        assert_eq!(res.status(), 500, "{command}");
        let body: serde_json::Value =
            serde_json::from_slice(&test::read_body(res).await).expect("JSON");
        assert_eq!(body["ActionStatus"], "FAIL", "{command}");
    }
    assert_eq!(sqlite.counts().await.expect("counts").pending, 0);
}

// ---------------------------------------------------------------------------------------
// The process killed between the OK and the work (tests/common/kill.rs).

/// Not a test of its own: the server the kill test runs as a child process.
#[::core::prelude::v1::test]
#[ignore = "run by sigkill_between_ok_and_work_loses_nothing as a child process"]
fn queue_child_server() {
    let Some(db) = kill::child_queue() else {
        return;
    };
    actix_web::rt::System::new().block_on(async move {
        let sqlite = SqliteQueue::open(&db).await.expect("open");
        let worker = sqlite.worker("child", quick_retry(3), kill::child_handler());
        kill::serve(sqlite.callback_queue()).await;
        worker.stop().await;
    });
}

#[::core::prelude::v1::test]
fn sigkill_between_ok_and_work_loses_nothing_also_with_a_restart_within_the_heartbeat() {
    let dir = TempDir::new("queue-kill");
    let db = dir.join("queue.db");
    kill::sigkill_between_ok_and_work_loses_nothing(
        db.to_str().expect("a UTF-8 temp path"),
        &dir.join("done.txt"),
    );
}

/// apalis-sqlite 1.0's ack (`queries/task/ack.sql`), as it runs for each batch of results.
const APALIS_ACK: &str =
    "WITH j AS (SELECT value ->> 'task_id' AS task_id, value ->> 'attempt' AS attempt, \
     value ->> 'result' AS result, value ->> 'status' AS status FROM json_each(?1)) \
     UPDATE Jobs SET status = j.status, attempts = j.attempt, last_result = j.result, \
     done_at = strftime('%s', 'now') FROM j WHERE Jobs.id = j.task_id AND Jobs.lock_by = ?2";

#[actix_web::test]
async fn apalis_ack_looks_each_task_of_the_batch_up_by_id_also_after_a_reopen() {
    let dir = TempDir::new("queue-ack-plan");
    let path = dir.join("queue.db");
    for _ in 0..2 {
        let sqlite = SqliteQueue::open(&path).await.expect("open");
        let plan: Vec<(i64, i64, i64, String)> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "EXPLAIN QUERY PLAN {APALIS_ACK}"
        )))
        .bind("[]")
        .bind("worker")
        .fetch_all(sqlite.pool())
        .await
        .expect("the plan");
        let steps: Vec<&str> = plan.iter().map(|(_, _, _, step)| step.as_str()).collect();
        assert!(
            steps
                .iter()
                .any(|step| step
                    .starts_with("SEARCH Jobs USING INDEX sqlite_autoindex_Jobs_1 (id=?)")),
            "{steps:?}"
        );
        assert!(!steps.iter().any(|step| step.contains("LIdx")), "{steps:?}");
        sqlite.pool().close().await;
    }
}

#[actix_web::test]
async fn a_done_task_leaves_no_row_and_a_stopped_worker_acks_what_it_finished() {
    let dir = TempDir::new("queue-acks");
    let path = dir.join("queue.db");
    let sqlite = SqliteQueue::open(&path).await.expect("open");
    let queue = sqlite.callback_queue();
    let pushes = (0..40).map(|i| queue.push(sample_task("State.StateChange", &format!("ack-{i}"))));
    for pushed in futures_util::future::join_all(pushes).await {
        pushed.expect("queued");
    }
    let runs = Runs::default();
    let worker = sqlite.worker("acks", quick_retry(1), recording(&runs));
    wait_until("every task done", || worker.done() == 40).await;
    // Stopped at once: the acks still waiting are written before `stop` returns.
    worker.stop().await;
    let rows: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM Jobs")
        .fetch_one(sqlite.pool())
        .await
        .expect("count");
    assert_eq!(
        rows, 0,
        "a done task's row is deleted by its ack, no purge needed"
    );
    let again = sqlite.worker("acks", quick_retry(1), recording(&runs));
    actix_web::rt::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(runs.len(), 40, "no task runs twice after a graceful stop");
    again.stop().await;
}

/// A task waiting a minute for its next attempt does not hold `stop_within` past its grace;
/// the task it dropped is run again by the next worker, as after a crash, not lost.
#[actix_web::test]
async fn a_stop_does_not_wait_out_a_retry_backoff_and_the_dropped_task_runs_again() {
    let dir = TempDir::new("queue-stop-grace");
    let sqlite = SqliteQueue::open(dir.join("queue.db")).await.expect("open");
    sqlite
        .callback_queue()
        .push(sample_task("State.StateChange", "stop-grace"))
        .await
        .expect("queued");
    let failures = Runs::default();
    let failing = {
        let failures = failures.clone();
        move |task: CallbackTask| {
            failures.record(&task);
            std::future::ready(Err::<(), _>(std::io::Error::other("the archive is down")))
        }
    };
    let a_minute_apart = Retry {
        attempts: 3,
        first_delay: Duration::from_secs(60),
        max_delay: Duration::from_secs(60),
    };
    let worker = sqlite.worker("stop-grace", a_minute_apart, failing);
    wait_until("the first attempt failed", || failures.len() == 1).await;

    let asked = Instant::now();
    let in_time = worker.stop_within(Duration::from_millis(300)).await;
    assert!(
        !in_time,
        "the task was still waiting for its second attempt"
    );
    assert!(
        asked.elapsed() < Duration::from_secs(10),
        "stop waited {:?}, as if for the 60 s backoff",
        asked.elapsed()
    );

    let runs = Runs::default();
    let again = sqlite.worker("stop-grace", quick_retry(1), recording(&runs));
    wait_until("the dropped task ran again", || runs.len() == 1).await;
    assert_eq!(runs.tasks()[0].key, "stop-grace");
    assert_eq!(
        failures.len(),
        1,
        "the stopped worker ran nothing after its stop"
    );
    assert!(
        again.stop_within(STOP_GRACE).await,
        "nothing held the second stop"
    );
}

#[actix_web::test]
async fn dead_tasks_are_listed_with_their_error_retried_and_purged() {
    let dir = TempDir::new("queue-dead");
    let sqlite = SqliteQueue::open(dir.join("queue.db")).await.expect("open");
    common::queue::dead_tasks_are_listed_retried_and_purged(&sqlite).await;
}

#[actix_web::test]
async fn a_stored_task_that_cannot_be_decoded_fails_alone_and_the_worker_goes_on() {
    let dir = TempDir::new("queue-undecodable");
    let sqlite = SqliteQueue::open(dir.join("queue.db")).await.expect("open");
    let write = async {
        for (i, stored) in common::queue::UNDECODABLE.iter().enumerate() {
            sqlx::query(
                "INSERT INTO Jobs (job, id, job_type, status, attempts, max_attempts, run_at, \
                 priority, metadata, idempotency_key) VALUES (?1, ?2, ?3, 'Pending', 0, 1, \
                 strftime('%s', 'now'), 0, '{}', ?2)",
            )
            .bind(*stored)
            .bind(format!("01JZ000000000000000000000{i}"))
            .bind(actix_tim_callback::queue::QUEUE_NAME)
            .execute(sqlite.pool())
            .await
            .expect("the undecodable row");
        }
    };
    common::queue::undecodable_tasks_fail_alone(&sqlite, write).await;
}

/// A body whose `CallbackCommand` names another command than the query (the one the
/// signature covers) is refused by `enqueue` too (400, 40006): nothing is queued.
#[actix_web::test]
async fn enqueue_refuses_a_body_of_another_command_than_the_query() {
    let dir = TempDir::new("queue-conflict");
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
    let req = TestCallback::sample("State.StateChange")
        .expect("a sample")
        .edit_json(|body| body["CallbackCommand"] = "Group.CallbackAfterSendMsg".into())
        .path(PATH)
        .to_request();
    let res = test::call_service(&app, req).await;
    let info = common::assert_fail(res, actix_web::http::StatusCode::BAD_REQUEST, 40006).await;
    assert!(info.contains("Group.CallbackAfterSendMsg"), "{info}");
    let counts = sqlite.counts().await.expect("counts");
    assert_eq!(counts.pending, 0, "nothing queued: {counts:?}");
}

/// A worker made of typed handlers: each task reaches the handler of its command's type,
/// decoded from the body as sent; a command no route takes, and a body that does not
/// decode as its route's type, end dead with an error that names them.
#[actix_web::test]
async fn a_task_router_hands_each_command_to_its_typed_handler() {
    use actix_tim_callback::{
        model::{group, state},
        queue::TaskRouter,
    };
    let dir = TempDir::new("queue-router");
    let sqlite = SqliteQueue::open(dir.join("queue.db")).await.expect("open");
    let seen = Arc::new(Mutex::new(Vec::<String>::new()));
    let handler = {
        let (groups, states) = (seen.clone(), seen.clone());
        TaskRouter::new()
            .on(move |msg: group::AfterSendMsg, task: CallbackTask| {
                groups.lock().unwrap().push(format!(
                    "group {} {} {}",
                    msg.group_id, msg.from_account, task.key
                ));
                std::future::ready(Ok::<_, std::io::Error>(()))
            })
            .on(move |change: state::StateChange, task: CallbackTask| {
                states
                    .lock()
                    .unwrap()
                    .push(format!("state {} {}", change.info.to_account, task.key));
                std::future::ready(Ok::<_, std::io::Error>(()))
            })
            .into_handler()
    };
    let worker = sqlite.worker("typed", quick_retry(1), handler);
    let queue = sqlite.callback_queue();
    let group_msg = sample_task("Group.CallbackAfterSendMsg", "k-group");
    let group_id = match group_msg.event().expect("decodes") {
        AnyEvent::GroupAfterSendMsg(msg) => msg.group_id,
        other => panic!("{other:?}"),
    };
    queue.push(group_msg).await.expect("queued");
    queue
        .push(sample_task("State.StateChange", "k-state"))
        .await
        .expect("queued");
    queue
        .push(sample_task("Group.CallbackAfterGroupFull", "k-unrouted"))
        .await
        .expect("queued");
    let broken: CallbackTask = serde_json::from_value(serde_json::json!({
        "command": "State.StateChange", "sdk_app_id": APP_ID, "received_at_ms": 0,
        "key": "k-broken",
        "body": {"CallbackCommand": "State.StateChange", "Info": {"Action": 7}},
    }))
    .expect("a task");
    queue.push(broken).await.expect("queued");
    wait_until("two done, two dead", || {
        worker.done() == 2 && worker.failed() == 2
    })
    .await;
    worker.stop().await;

    let mut seen = seen.lock().unwrap().clone();
    seen.sort();
    let group_line = seen
        .iter()
        .find(|line| line.starts_with("group "))
        .expect("the group message was handled")
        .clone();
    assert!(
        group_line.starts_with(&format!("group {group_id} ")) && group_line.ends_with(" k-group"),
        "{seen:?}"
    );
    assert_eq!(seen.len(), 2, "{seen:?}");
    assert!(
        seen[1].starts_with("state ") && seen[1].ends_with(" k-state"),
        "{seen:?}"
    );

    let dead = sqlite.failed_tasks(10).await.expect("the dead tasks");
    let error_of = |key: &str| {
        dead.iter()
            .find(|failed| failed.task.as_ref().is_some_and(|task| task.key == key))
            .unwrap_or_else(|| panic!("{key} is dead: {dead:?}"))
            .last_error
            .clone()
    };
    let unrouted = error_of("k-unrouted");
    assert!(
        unrouted.contains("no route of this worker takes Group.CallbackAfterGroupFull"),
        "{unrouted}"
    );
    let broken = error_of("k-broken");
    assert!(
        broken.contains("the body of State.StateChange does not decode as"),
        "{broken}"
    );
}
