//! The durable queue in a real `redis-server` on a free loopback port (feature
//! `queue-redis`; skipped with a note when the server is not installed).
//!
//! Waits have deadlines only to turn a hang into a failure; the push budget is behaviour.

mod common;

use std::time::{Duration, SystemTime};

use actix_tim_callback::{
    model::{AnyEvent, CallbackBody},
    queue::enqueue,
    queue::BackendError,
    queue::CallbackBackend,
    queue::CallbackTask,
    queue::RedisQueue,
    testkit::TestCallback,
    CallbackConfig, TimCallback,
};
use actix_web::{test, web, App};

use common::{
    queue::{after_commands, quick_retry, recording, wait_until, Runs},
    redis::RedisServer,
    APP_ID, OK_JSON, PATH,
};

fn redis_installed() -> bool {
    // The binary's logger: the start-up checks' warnings are asserted.
    common::capture_logs();
    RedisServer::installed()
}
#[actix_web::test]
async fn callbacks_answered_ok_reach_the_worker_as_the_same_event() {
    if !redis_installed() {
        return;
    }
    let server = RedisServer::durable();
    let redis = RedisQueue::connect(&server.url()).await.expect("connect");
    let queue = web::Data::new(redis.callback_queue());
    let runs = Runs::default();
    let worker = redis.worker("roundtrip", quick_retry(3), recording(&runs));
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
            .path(PATH)
            .to_request();
        let res = test::call_service(&app, req).await;
        assert_eq!(res.status(), 200, "{command}");
        assert_eq!(test::read_body(res).await, OK_JSON.as_bytes());
    }
    wait_until("every task", || runs.len() >= commands.len()).await;
    for task in runs.tasks() {
        let body = TestCallback::sample(&task.command)
            .expect("a sample")
            .body_bytes();
        let sent = AnyEvent::deserialize_command(
            &task.command,
            &mut serde_json::Deserializer::from_slice(&body),
        )
        .expect("decodes");
        assert_eq!(task.event().expect("decodes"), sent, "{}", task.command);
    }
    assert_eq!(runs.len(), commands.len(), "one task per callback");
    worker.stop().await;
}

/// A Redis crash (SIGKILL) and restart with AOF while the worker holds tasks: nothing
/// answered OK is lost, the worker resumes by itself (apalis issue 492: a worker stuck
/// for good after a Redis restart) and the tasks the dead worker held are queued again
/// (apalis issue 467).
#[actix_web::test]
async fn a_redis_crash_and_restart_with_aof_loses_no_callback_answered_ok() {
    if !redis_installed() {
        return;
    }
    let mut server = RedisServer::durable();
    let redis = RedisQueue::connect(&server.url()).await.expect("connect");
    common::queue::an_outage_of_the_store_loses_no_callback_answered_ok(
        &redis,
        &mut server,
        Duration::from_secs(1),
    )
    .await;
}

#[actix_web::test]
async fn a_pushed_task_with_the_same_key_is_one_task() {
    if !redis_installed() {
        return;
    }
    let server = RedisServer::durable();
    let redis = RedisQueue::connect(&server.url()).await.expect("connect");
    let queue = redis.callback_queue();
    let body = TestCallback::sample("State.StateChange")
        .expect("a sample")
        .body_bytes();
    let event = AnyEvent::deserialize_command(
        "State.StateChange",
        &mut serde_json::Deserializer::from_slice(&body),
    )
    .expect("decodes");
    let meta: CallbackTask = serde_json::from_value(serde_json::json!({
        "command": "State.StateChange", "sdk_app_id": APP_ID, "received_at_ms": 0, "key": "", "event": null,
    }))
    .expect("a task");
    for _ in 0..3 {
        let task =
            CallbackTask::new(&meta.meta(), &event, SystemTime::now(), "same-key").expect("a task");
        queue.push(task).await.expect("queued");
    }
    let runs = Runs::default();
    let worker = redis.worker("idempotent", quick_retry(3), recording(&runs));
    wait_until("the task", || runs.len() == 1).await;
    actix_web::rt::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(runs.len(), 1);
    worker.stop().await;
}

#[actix_web::test]
async fn a_backlog_larger_than_luas_unpack_limit_is_drained() {
    // apalis-redis 1.0 promotes every due task with one Lua `unpack`, which fails above
    // about 8,000: without the worker's chunked promotion it never fetches again.
    if !redis_installed() {
        return;
    }
    let server = RedisServer::durable();
    let redis = RedisQueue::connect(&server.url()).await.expect("connect");
    let queue = redis.callback_queue();
    let body = TestCallback::sample("State.StateChange")
        .expect("a sample")
        .body_bytes();
    let event = AnyEvent::deserialize_command(
        "State.StateChange",
        &mut serde_json::Deserializer::from_slice(&body),
    )
    .expect("decodes");
    let meta: CallbackTask = serde_json::from_value(serde_json::json!({
        "command": "State.StateChange", "sdk_app_id": APP_ID, "received_at_ms": 0, "key": "", "event": null,
    }))
    .expect("a task");
    // Above the unpack limit by one: the check is that the worker fetches at all (a chunk
    // of the backlog promoted before apalis' first fetch), not how fast it drains.
    const BACKLOG: usize = 8_001;
    for chunk in 0..BACKLOG.div_ceil(500) {
        let pushes = (chunk * 500..((chunk + 1) * 500).min(BACKLOG)).map(|i| {
            let task = CallbackTask::new(
                &meta.meta(),
                &event,
                SystemTime::now(),
                format!("backlog-{i}"),
            )
            .expect("a task");
            queue.push(task)
        });
        for pushed in futures_util::future::join_all(pushes).await {
            pushed.expect("queued");
        }
    }
    assert_eq!(
        redis.counts().await.expect("counts").pending,
        BACKLOG as u64
    );
    let runs = Runs::default();
    let worker = redis.worker("backlog", quick_retry(3), recording(&runs));
    wait_until("the first batch of the backlog", || runs.len() >= 50).await;
    assert_eq!(worker.restarts(), 0, "apalis' fetch never failed");
    worker.stop().await;
}

/// A task pushed by 0.1 (the body as a JSON object under `event`), left in Redis across the
/// upgrade, is run by the new worker with its body intact.
#[actix_web::test]
async fn a_task_of_the_old_format_is_run_after_the_upgrade() {
    use apalis::prelude::TaskSink;
    if !redis_installed() {
        return;
    }
    let server = RedisServer::durable();
    let redis = RedisQueue::connect(&server.url()).await.expect("connect");
    let old: serde_json::Value = serde_json::from_str(
        r#"{"command":"State.StateChange","sdk_app_id":1400000000,"received_at_ms":1,"key":"old-key","event":{"CallbackCommand":"State.StateChange","Info":{"Action":"Logout","To_Account":"u1","Reason":"Unlinked"}}}"#,
    )
    .expect("JSON");
    let config = apalis_redis::Config::default().queue(actix_tim_callback::queue::QUEUE_NAME);
    let mut storage = apalis_redis::RedisStorage::<serde_json::Value>::new(redis.connection())
        .with_config(config);
    storage.push(old).await.expect("pushed as 0.1 did");
    let runs = Runs::default();
    let worker = redis.worker("upgrade", quick_retry(1), recording(&runs));
    wait_until("the old task done", || worker.done() == 1).await;
    worker.stop().await;
    let task = runs.tasks().pop().expect("the old task ran");
    assert_eq!(task.key, "old-key");
    let body: serde_json::Value = serde_json::from_str(task.body.get()).expect("JSON");
    assert_eq!(body["Info"]["Reason"], "Unlinked");
    assert!(task.event().is_ok());
}

/// The maintenance surface on Redis: counts, a dead task queued again, done tasks purged.
#[actix_web::test]
async fn redis_counts_retries_the_dead_and_purges_the_done() {
    if !redis_installed() {
        return;
    }
    let server = RedisServer::durable();
    let redis = RedisQueue::connect(&server.url()).await.expect("connect");
    let queue = redis.callback_queue();
    for key in ["a", "b", "c"] {
        queue
            .push(common::queue::sample_task(
                "Group.CallbackAfterSendMsg",
                key,
            ))
            .await
            .expect("queued");
    }
    let counts = redis.counts().await.expect("counts");
    assert_eq!((counts.pending + counts.running, counts.failed), (3, 0));

    let runs = Runs::default();
    let worker = redis.worker("maintenance", quick_retry(1), recording(&runs));
    wait_until("every task done", || worker.done() == 3).await;
    worker.stop().await;
    let counts = redis.counts().await.expect("counts");
    assert_eq!((counts.pending + counts.running, counts.failed), (0, 0));
    // The worker purged the done tasks' data as it went, or purge_done does now.
    redis.purge_done().await.expect("purge");
    let mut conn = redis.connection();
    let data: u64 = redis::cmd("HLEN")
        .arg(format!("{}:data", actix_tim_callback::queue::QUEUE_NAME))
        .query_async(&mut conn)
        .await
        .expect("HLEN");
    assert_eq!(data, 0, "no data of done tasks is left");

    // A dead task (as apalis-redis leaves one) is queued again with its attempts reset.
    let dead = format!("{}:dead", actix_tim_callback::queue::QUEUE_NAME);
    let _: () = redis::cmd("SADD")
        .arg(&dead)
        .arg("01JZ0000000000000000000000")
        .query_async(&mut conn)
        .await
        .expect("SADD");
    assert_eq!(redis.counts().await.expect("counts").failed, 1);
    assert_eq!(redis.retry_failed().await.expect("retry"), 1);
    let counts = redis.counts().await.expect("counts");
    assert_eq!((counts.pending + counts.running, counts.failed), (1, 0));
}

#[actix_web::test]
async fn dead_tasks_are_listed_with_their_error_retried_and_purged() {
    if !redis_installed() {
        return;
    }
    let server = RedisServer::durable();
    let redis = RedisQueue::connect(&server.url()).await.expect("connect");
    common::queue::dead_tasks_are_listed_retried_and_purged(&redis).await;
}

#[actix_web::test]
async fn a_stored_task_that_cannot_be_decoded_fails_alone_and_the_worker_goes_on() {
    if !redis_installed() {
        return;
    }
    let server = RedisServer::durable();
    let redis = RedisQueue::connect(&server.url()).await.expect("connect");
    let queue = actix_tim_callback::queue::QUEUE_NAME;
    let mut conn = redis.connection();
    let write = async {
        for (i, stored) in common::queue::UNDECODABLE.iter().enumerate() {
            let id = format!("01JZ000000000000000000000{i}");
            let _: () = redis::pipe()
                .cmd("HSET")
                .arg(format!("{queue}:data"))
                .arg(&id)
                .arg(*stored)
                .cmd("HSET")
                .arg(format!("{queue}:meta:{id}"))
                .arg("attempts")
                .arg(0)
                .arg("max_attempts")
                .arg(1)
                .arg("status")
                .arg("Pending")
                .cmd("RPUSH")
                .arg(format!("{queue}:active"))
                .arg(&id)
                .query_async(&mut conn)
                .await
                .expect("the undecodable task");
        }
    };
    common::queue::undecodable_tasks_fail_alone(&redis, write).await;
}

// ---------------------------------------------------------------------------------------
// The process killed between the OK and the work (tests/common/kill.rs).

/// Not a test of its own: the server the kill test runs as a child process.
#[::core::prelude::v1::test]
#[ignore = "run by sigkill_between_ok_and_work_loses_nothing as a child process"]
fn queue_child_server() {
    let Some(url) = common::kill::child_queue() else {
        return;
    };
    actix_web::rt::System::new().block_on(async move {
        let redis = RedisQueue::connect(&url).await.expect("connect");
        let worker = redis.worker("child", quick_retry(3), common::kill::child_handler());
        common::kill::serve(redis.callback_queue()).await;
        worker.stop().await;
    });
}

/// The tasks a killed worker held are queued again once its heartbeat is missed (apalis
/// issue 467: orphaned Redis tasks never re-enqueued).
#[::core::prelude::v1::test]
fn sigkill_between_ok_and_work_loses_nothing_also_with_a_restart_within_the_heartbeat() {
    if !redis_installed() {
        return;
    }
    let server = RedisServer::durable();
    let dir = common::queue::TempDir::new("queue-redis-kill");
    common::kill::sigkill_between_ok_and_work_loses_nothing(&server.url(), &dir.join("done.txt"));
}

// ---------------------------------------------------------------------------------------
// A Redis that may lose what it is given: refused at connect, unless accepted.

#[actix_web::test]
async fn a_redis_without_persistence_is_refused_with_the_setting_and_the_fix_unless_accepted() {
    if !redis_installed() {
        return;
    }
    let server = RedisServer::start();
    let err = RedisQueue::connect(&server.url())
        .await
        .expect_err("refused");
    let message = err.to_string();
    assert!(
        matches!(
            err,
            BackendError::UnsafeStore {
                setting: "appendonly",
                ..
            }
        ),
        "{err:?}"
    );
    assert!(message.contains("appendonly yes"), "{message}");
    assert!(message.contains("accept_no_persistence()"), "{message}");
    let redis = RedisQueue::builder(&server.url())
        .accept_no_persistence()
        .connect()
        .await
        .expect("accepted");
    redis.counts().await.expect("a working queue");
    assert!(
        common::records()
            .iter()
            .any(|line| line.starts_with("WARN") && line.contains("no persistence (accepted)")),
        "{:?}",
        common::records()
    );
}

#[actix_web::test]
async fn a_redis_that_evicts_any_key_is_refused_unless_accepted() {
    if !redis_installed() {
        return;
    }
    let server = RedisServer::start_with(&[
        "--appendonly",
        "yes",
        "--maxmemory",
        "64mb",
        "--maxmemory-policy",
        "allkeys-lru",
    ]);
    let err = RedisQueue::connect(&server.url())
        .await
        .expect_err("refused");
    let message = err.to_string();
    assert!(
        message.contains("maxmemory-policy = allkeys-lru")
            && message.contains("noeviction")
            && message.contains("accept_eviction()"),
        "{message}"
    );
    RedisQueue::builder(&server.url())
        .accept_eviction()
        .connect()
        .await
        .expect("accepted");
}

#[actix_web::test]
async fn a_redis_with_snapshots_only_is_accepted_with_a_warning_of_what_a_crash_loses() {
    if !redis_installed() {
        return;
    }
    let server = RedisServer::start_with(&["--appendonly", "no", "--save", "900 1 60 100"]);
    RedisQueue::connect(&server.url()).await.expect("accepted");
    assert!(
        common::records().iter().any(|line| line.starts_with("WARN")
            && line.contains("RDB snapshots only (save \"900 1 60 100\"")
            && line.contains("up to 900 s")),
        "{:?}",
        common::records()
    );
}

/// Managed Redis often renames `CONFIG`: the settings are read from `INFO` then, and what
/// cannot be read is a warning, never a refusal.
#[actix_web::test]
async fn a_redis_without_config_is_read_through_info_and_warned_about() {
    if !redis_installed() {
        return;
    }
    let server =
        RedisServer::start_with(&["--appendonly", "yes", "--rename-command", "CONFIG", ""]);
    RedisQueue::connect(&server.url()).await.expect("accepted");
    let records = common::records();
    assert!(
        records.iter().any(|line| line.starts_with("INFO")
            && line.contains("queue on Redis: appendonly yes")
            && line.contains("save \"unknown\"")),
        "{records:?}"
    );
}
