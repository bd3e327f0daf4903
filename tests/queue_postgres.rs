//! The durable queue in a real PostgreSQL server on a free loopback port (feature
//! `queue-postgres`; skipped with a note when PostgreSQL is not installed): what is
//! answered OK is processed, what cannot be queued is never answered OK.
//!
//! Waits have deadlines only to turn a hang into a failure; the push budget is behaviour
//! (Tencent gives up after 2 s).

mod common;

use std::{
    collections::{BTreeMap, BTreeSet},
    sync::{
        atomic::{AtomicUsize, Ordering},
        Arc, Mutex,
    },
    time::Duration,
};

use actix_tim_callback::{
    queue::enqueue, queue::CallbackBackend, queue::CallbackTask, queue::PostgresQueue,
    testkit::TestCallback, CallbackConfig, TimCallback,
};
use actix_web::{test, web, App};

use common::{
    kill,
    postgres::PostgresServer,
    queue::{
        after_commands, quick_retry, recording, sample_event, sample_task, wait_until, Runs,
        TempDir,
    },
    APP_ID, OK_JSON, PATH,
};
/// The metadata of a callback of `command` (`CallbackMeta` is built by the middleware;
#[actix_web::test]
async fn callbacks_answered_ok_reach_the_worker_as_the_same_event() {
    let Some(server) = PostgresServer::start() else {
        return;
    };
    let postgres = PostgresQueue::connect(&server.url())
        .await
        .expect("connect");
    let queue = web::Data::new(postgres.callback_queue());
    let runs = Runs::default();
    let worker = postgres.worker("roundtrip", quick_retry(3), recording(&runs));
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
        assert!(
            task.key.starts_with(&format!("{APP_ID}:{command}:")),
            "{}",
            task.key
        );
    }
    assert_eq!(runs.len(), commands.len(), "one run per callback");
    assert_eq!(worker.done(), commands.len() as u64);
    assert!(worker.is_up());
    worker.stop().await;
    let counts = postgres.counts().await.expect("counts");
    assert_eq!(counts.pending + counts.running, 0);
    assert_eq!(counts.failed, 0);
    // The worker's purge loop may have deleted them already; none is left after this.
    postgres.purge_done().await.expect("purge");
    let (rows,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM apalis.jobs")
        .fetch_one(postgres.pool())
        .await
        .expect("count");
    assert_eq!(rows, 0, "the rows of finished tasks are deleted");
}

#[actix_web::test]
async fn a_redelivered_callback_is_one_task_also_in_one_batch_and_from_two_machines_at_once() {
    let Some(server) = PostgresServer::start() else {
        return;
    };
    let postgres = PostgresQueue::connect(&server.url())
        .await
        .expect("connect");
    // Connecting again (another machine, or a restart) keeps the setup as it is.
    let other = PostgresQueue::connect(&server.url())
        .await
        .expect("connect again");
    let queue = postgres.callback_queue();
    let other_queue = other.callback_queue();

    // Pushed one after the other: the second and third are skipped, and answered OK.
    for _ in 0..3 {
        queue
            .push(sample_task("State.StateChange", "sequential"))
            .await
            .expect("queued");
    }
    assert_eq!(postgres.counts().await.expect("counts").pending, 1);

    // Pushed at once: one batch that holds a key already queued, one key twice, and a
    // new key; the batch does not fail, and each key is one task.
    let pushes = ["sequential", "batched", "batched", "fresh", "sequential"]
        .map(|key| queue.push(sample_task("State.StateChange", key)));
    for pushed in futures_util::future::join_all(pushes).await {
        pushed.expect("queued");
    }
    assert_eq!(postgres.counts().await.expect("counts").pending, 3);

    // Two machines push the same keys at once: neither fails, each key is one task.
    let keys: Vec<String> = (0..20).map(|i| format!("racing-{i}")).collect();
    let mine = keys
        .iter()
        .map(|key| queue.push(sample_task("State.StateChange", key)));
    let theirs = keys
        .iter()
        .map(|key| other_queue.push(sample_task("State.StateChange", key)));
    let (mine, theirs) = futures_util::future::join(
        futures_util::future::join_all(mine),
        futures_util::future::join_all(theirs),
    )
    .await;
    for pushed in mine.into_iter().chain(theirs) {
        pushed.expect("queued");
    }
    assert_eq!(postgres.counts().await.expect("counts").pending, 23);

    let runs = Runs::default();
    let worker = postgres.worker("redelivery", quick_retry(1), recording(&runs));
    wait_until("every task", || worker.done() == 23).await;
    // No second run of any key comes later.
    actix_web::rt::time::sleep(Duration::from_millis(500)).await;
    let by_key = runs.by_key();
    assert_eq!(by_key.len(), 23, "{:?}", by_key.keys());
    for (key, runs) in &by_key {
        assert_eq!(runs.len(), 1, "{key} ran {} times", runs.len());
    }
    worker.stop().await;
}

#[actix_web::test]
async fn a_task_that_fails_two_attempts_of_three_is_processed_after_backoff() {
    let Some(server) = PostgresServer::start() else {
        return;
    };
    let postgres = PostgresQueue::connect(&server.url())
        .await
        .expect("connect");
    let queue = postgres.callback_queue();
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
    let worker = postgres.worker("retry", quick_retry(3), handler);
    let events: Vec<_> = after_commands().into_iter().take(5).collect();
    for command in &events {
        let task = sample_task(command, &format!("key-{command}"));
        queue.push(task).await.expect("queued");
    }
    wait_until("every task done", || worker.done() == events.len() as u64).await;
    let by_key = runs.by_key();
    assert_eq!(by_key.len(), events.len());
    for (key, runs) in by_key {
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
    assert_eq!(postgres.counts().await.expect("counts").pending, 0);
}

#[actix_web::test]
async fn a_task_that_fails_every_attempt_is_kept_and_runs_again_on_request() {
    let Some(server) = PostgresServer::start() else {
        return;
    };
    let postgres = PostgresQueue::connect(&server.url())
        .await
        .expect("connect");
    let queue = postgres.callback_queue();
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
    let worker = postgres.worker("failing", quick_retry(2), handler);
    queue
        .push(sample_task("State.StateChange", "failing-key"))
        .await
        .expect("queued");
    wait_until("the task failed", || worker.failed() == 1).await;
    // Not refetched by the backend once the worker's attempts are spent (apalis-postgres
    // fetches a failed row again while its attempts are below its `max_attempts`).
    actix_web::rt::time::sleep(Duration::from_millis(800)).await;
    assert_eq!(runs.len(), 2);
    let counts = postgres.counts().await.expect("counts");
    assert_eq!((counts.pending + counts.running, counts.failed), (0, 1));
    // Kept as apalis' ack keeps a failed task.
    let (status, attempts, result): (String, i32, String) = sqlx::query_as(
        "SELECT status, attempts, last_result::text FROM apalis.jobs \
         WHERE idempotency_key = 'failing-key'",
    )
    .fetch_one(postgres.pool())
    .await
    .expect("the failed row");
    assert_eq!((status.as_str(), attempts), ("Failed", 2));
    assert!(result.starts_with("{\"Err\":"), "{result}");
    // A redelivery of a failed callback is not a second task either.
    queue
        .push(sample_task("State.StateChange", "failing-key"))
        .await
        .expect("queued");
    assert_eq!(postgres.counts().await.expect("counts").failed, 1);
    healthy.store(1, Ordering::SeqCst);
    assert_eq!(postgres.retry_failed().await.expect("retry"), 1);
    wait_until("the task done", || worker.done() == 1).await;
    assert_eq!(runs.len(), 3);
    worker.stop().await;
    let counts = postgres.counts().await.expect("counts");
    assert_eq!((counts.pending + counts.running, counts.failed), (0, 0));
    // The done task's row went with its ack.
    let rows: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM apalis.jobs")
        .fetch_one(postgres.pool())
        .await
        .expect("count");
    assert_eq!(rows, 0);
}

/// PostgreSQL down for 10 s (an immediate shutdown, as a crash) while the worker holds
/// tasks: nothing answered OK is lost and the worker resumes by itself.
#[actix_web::test]
async fn postgres_down_for_ten_seconds_loses_no_callback_answered_ok() {
    let Some(mut server) = PostgresServer::start() else {
        return;
    };
    let postgres = PostgresQueue::connect(&server.url())
        .await
        .expect("connect");
    common::queue::an_outage_of_the_store_loses_no_callback_answered_ok(
        &postgres,
        &mut server,
        Duration::from_secs(10),
    )
    .await;
}

/// PostgreSQL down when the worker starts (apalis-postgres' listener used to `expect` a
/// connection): no panic; the worker keeps trying and runs every task once it is back.
#[actix_web::test]
async fn postgres_down_when_the_worker_starts_is_survived() {
    let Some(mut server) = PostgresServer::start() else {
        return;
    };
    let postgres = PostgresQueue::connect(&server.url())
        .await
        .expect("connect");
    let panics = common::count_panics();
    server.stop();
    let runs = Runs::default();
    let worker = postgres.worker("down-at-start", quick_retry(3), recording(&runs));
    wait_until("the worker tried and was restarted", || {
        worker.restarts() >= 1
    })
    .await;
    server.start_again();
    let queue = web::Data::new(postgres.callback_queue());
    let app = test::init_service(
        App::new().app_data(queue.clone()).service(
            web::scope(PATH)
                .wrap(TimCallback::new(CallbackConfig::new(APP_ID)))
                .route("", web::post().to(enqueue)),
        ),
    )
    .await;
    for serial in 0..5 {
        common::queue::post_until_ok(&app, serial).await;
    }
    wait_until("every task", || runs.len() >= 5).await;
    wait_until("the worker up", || worker.is_up()).await;
    assert_eq!(panics.count(), 0, "nothing panicked");
    worker.stop().await;
}

#[actix_web::test]
async fn a_push_that_timed_out_is_not_queued_later_and_each_ok_is_committed() {
    // A push that outlives the budget is answered FAIL. With the server back at once
    // (within the pool's acquire timeout), its task may not be queued by a later commit,
    // and a later request may not be answered OK before its own task is committed.
    let Some(mut server) = PostgresServer::start() else {
        return;
    };
    let postgres = PostgresQueue::connect(&server.url())
        .await
        .expect("connect");
    let queue = postgres.callback_queue_with_budget(Duration::from_millis(300));
    server.stop();
    queue
        .push(sample_task("State.StateChange", "while-down"))
        .await
        .expect_err("no OK while PostgreSQL is down");
    server.start_again();
    let committed = || async {
        let keys: Vec<(String,)> = sqlx::query_as("SELECT idempotency_key FROM apalis.jobs")
            .fetch_all(postgres.pool())
            .await
            .expect("keys");
        keys.into_iter()
            .map(|(key,)| key)
            .collect::<BTreeSet<String>>()
    };
    for i in 0..5 {
        let key = format!("after-{i}");
        // Pushed until OK, as Tencent redelivers (the pool reconnects after the restart).
        common::queue::push_until_ok(&queue, || sample_task("State.StateChange", &key)).await;
        let keys = committed().await;
        assert!(
            keys.contains(&key),
            "{key} answered OK, not committed: {keys:?}"
        );
    }
    let keys = committed().await;
    assert!(
        !keys.contains("while-down"),
        "a task answered FAIL was queued: {keys:?}"
    );
}

// ---------------------------------------------------------------------------------------
// The process killed between the OK and the work (tests/common/kill.rs).

/// Not a test of its own: the server the kill test runs as a child process.
#[::core::prelude::v1::test]
#[ignore = "run by sigkill_between_ok_and_work_loses_nothing as a child process"]
fn queue_child_server() {
    let Some(url) = kill::child_queue() else {
        return;
    };
    actix_web::rt::System::new().block_on(async move {
        let postgres = PostgresQueue::connect(&url).await.expect("connect");
        let worker = postgres.worker("child", quick_retry(3), kill::child_handler());
        kill::serve(postgres.callback_queue()).await;
        worker.stop().await;
    });
}

#[::core::prelude::v1::test]
fn sigkill_between_ok_and_work_loses_nothing_also_with_a_restart_within_the_heartbeat() {
    let Some(server) = PostgresServer::start() else {
        return;
    };
    let dir = TempDir::new("queue-postgres-kill");
    kill::sigkill_between_ok_and_work_loses_nothing(&server.url(), &dir.join("done.txt"));
}

#[actix_web::test]
async fn dead_tasks_are_listed_with_their_error_retried_and_purged() {
    let Some(server) = PostgresServer::start() else {
        return;
    };
    let postgres = PostgresQueue::connect(&server.url())
        .await
        .expect("connect");
    common::queue::dead_tasks_are_listed_retried_and_purged(&postgres).await;
}

#[actix_web::test]
async fn a_stored_task_that_cannot_be_decoded_fails_alone_and_the_worker_goes_on() {
    let Some(server) = PostgresServer::start() else {
        return;
    };
    let postgres = PostgresQueue::connect(&server.url())
        .await
        .expect("connect");
    let write = async {
        for (i, stored) in common::queue::UNDECODABLE.iter().enumerate() {
            sqlx::query(
                "INSERT INTO apalis.jobs (id, job_type, job, status, attempts, max_attempts, \
                 run_at, priority, idempotency_key) \
                 VALUES ($1, $2, $3, 'Pending', 0, 1, now(), 0, $1)",
            )
            .bind(format!("01JZ000000000000000000000{i}"))
            .bind(actix_tim_callback::queue::QUEUE_NAME)
            .bind(*stored)
            .execute(postgres.pool())
            .await
            .expect("the undecodable row");
        }
    };
    common::queue::undecodable_tasks_fail_alone(&postgres, write).await;
}
