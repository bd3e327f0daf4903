//! Duplicate suppression across instances, against a real `redis-server` (feature `redis`;
//! `.ci/run` installs the server): two separate servers sharing one Redis handle each
//! callback once, replays are acked without the handler, and a Redis outage fails open
//! (counted) until Redis is back.

mod common;

use std::{
    sync::{
        atomic::{AtomicUsize, Ordering},
        Arc,
    },
    time::Duration,
};

use actix_tim_callback::{
    dedup::Dedup, dedup::RedisStore, model::AnyEvent, testkit::TestCallback, Ack, Callback,
    CallbackConfig, TimCallback,
};
use actix_web::web;
use common::{
    net::{exchange, request_bytes, TestServer},
    redis::RedisServer,
    APP_ID, OK_JSON, PATH, TOKEN,
};
use metrics_util::debugging::{DebugValue, DebuggingRecorder, Snapshotter};

/// The recorder of this test binary (one test, so nothing else records between reads).
fn snapshotter() -> Snapshotter {
    let recorder = DebuggingRecorder::new();
    let snapshotter = recorder.snapshotter();
    recorder
        .install()
        .expect("the only recorder of this binary");
    snapshotter
}

/// Store failures counted since the last call.
fn store_failures(snapshotter: &Snapshotter) -> u64 {
    snapshotter
        .snapshot()
        .into_vec()
        .into_iter()
        .filter(|(key, ..)| key.key().name() == "tim_callback_dedup_store_failures_total")
        .map(|(.., value)| match value {
            DebugValue::Counter(count) => count,
            _ => 0,
        })
        .sum()
}

/// An instance of the app: its own connection to the shared Redis, its own handler count.
fn instance(store: RedisStore, calls: Arc<AtomicUsize>) -> TestServer {
    let config = CallbackConfig::new(APP_ID)
        .token(TOKEN)
        // The sharing is tested, not the timeout: a slow claim on a loaded machine must not
        // fail open (and run the handler twice).
        .dedup(Dedup::new(store).timeout(Duration::from_secs(5)));
    TestServer::start(2, move |cfg: &mut web::ServiceConfig| {
        let calls = calls.clone();
        cfg.service(
            web::scope(PATH)
                .wrap(TimCallback::new(config.clone()))
                .route(
                    "",
                    web::post().to(move |_: Callback<AnyEvent>| {
                        let calls = calls.clone();
                        async move {
                            calls.fetch_add(1, Ordering::SeqCst);
                            Ack
                        }
                    }),
                ),
        );
    })
}

/// Posts `callback` to `server` over HTTP; returns the status and the body. The blocking
/// socket runs off this runtime: the stores' Redis connections are driven by it.
async fn post(server: &TestServer, callback: &TestCallback) -> (u16, String) {
    let addr = server.addr();
    let request = request_bytes("POST", &callback.uri(), &[], &callback.body_bytes());
    actix_web::rt::task::spawn_blocking(move || {
        let res = exchange(addr, &request, false).expect("a reply");
        (res.status, res.text())
    })
    .await
    .expect("posted")
}

fn signed(command: &str) -> TestCallback {
    TestCallback::sample(command)
        .expect("a sample")
        .path(PATH)
        .signed(TOKEN)
}

#[actix_web::test]
async fn two_instances_sharing_redis_handle_each_callback_once() {
    let snapshotter = snapshotter();
    let mut redis = RedisServer::start();
    let calls = [Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0))];
    let total = |calls: &[Arc<AtomicUsize>; 2]| {
        calls
            .iter()
            .map(|c| c.load(Ordering::SeqCst))
            .sum::<usize>()
    };
    let url = redis.url();
    let servers = [
        instance(
            RedisStore::connect(&url).await.expect("Redis"),
            calls[0].clone(),
        ),
        instance(
            RedisStore::connect(&url).await.expect("Redis"),
            calls[1].clone(),
        ),
    ];

    // The same callback reaches both instances, at the same time: one handler call.
    let callback = signed("C2C.CallbackAfterSendMsg");
    let replies =
        futures_util::future::join(post(&servers[0], &callback), post(&servers[1], &callback))
            .await;
    for (status, body) in [&replies.0, &replies.1] {
        assert_eq!((*status, body.as_str()), (200, OK_JSON));
    }
    assert_eq!(
        total(&calls),
        1,
        "the handler ran once across both instances"
    );

    // A replay of the captured request, byte for byte, inside the window: acked, not handled.
    for server in &servers {
        assert_eq!(post(server, &callback).await, (200, OK_JSON.to_owned()));
    }
    assert_eq!(total(&calls), 1);
    // Another callback is handled.
    post(&servers[1], &signed("State.StateChange")).await;
    assert_eq!(total(&calls), 2);
    assert_eq!(store_failures(&snapshotter), 0);

    // Redis stops in the middle of the run: callbacks are still accepted, nothing is 5xx,
    // and every failure is counted.
    redis.stop();
    for (at, command) in ["Group.CallbackAfterGroupFull", "Sns.CallbackFriendAdd"]
        .iter()
        .enumerate()
    {
        let (status, body) = post(&servers[at % 2], &signed(command)).await;
        assert_eq!(
            (status, body.as_str()),
            (200, OK_JSON),
            "{command} while Redis is down"
        );
    }
    assert_eq!(total(&calls), 4, "accepted unchecked (fail-open)");
    // Each callback's claim and completion failed.
    assert_eq!(store_failures(&snapshotter), 4);

    // Redis is back: the first callback after the restart is claimed on a new connection
    // (issue 14, problem 5), so its copy at the other instance is a duplicate.
    redis.start_again();
    let again = signed("Group.CallbackAfterGroupDestroyed");
    assert_eq!(post(&servers[0], &again).await, (200, OK_JSON.to_owned()));
    assert_eq!(post(&servers[1], &again).await, (200, OK_JSON.to_owned()));
    assert_eq!(
        total(&calls),
        5,
        "handled once, on the first try after the restart"
    );
    assert_eq!(store_failures(&snapshotter), 0);
}
