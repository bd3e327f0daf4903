//! `RedisStore` against a real `redis-server` (feature `redis`; CI installs the server).
//!
//! Each test starts a server of its own on a free loopback port. Timeouts here only turn
//! a hang into a failure, except where a test says it asserts promptness.

use std::{
    sync::{Arc, Barrier},
    thread,
    time::{Duration, Instant},
};

use actix_tim_callback::{
    dedup::Claim, dedup::DedupStore, dedup::RedisStore, dedup::StoreError, dedup::StoredReply,
};
use actix_web::rt::{time::timeout, System};
use futures_util::future::join_all;

use crate::common::redis::RedisServer;

const TTL: Duration = Duration::from_secs(600);
const LEASE: Duration = Duration::from_secs(30);

/// A bound on a call while Redis is down, only to turn a hang into a failure (the
/// middleware bounds every store call with its own timeout, `Dedup::timeout`; what is tested
/// here is that the call fails, not how fast).
const DOWN_CALL_LIMIT: Duration = Duration::from_secs(10);

async fn connect(server: &RedisServer) -> RedisStore {
    timeout(Duration::from_secs(10), RedisStore::connect(&server.url()))
        .await
        .expect("connect hung")
        .expect("connect to the test server")
}

async fn claim(store: &RedisStore, key: &str, owner: &str, lease: Duration) -> Claim {
    timeout(Duration::from_secs(10), store.claim(key, owner, lease))
        .await
        .expect("claim hung")
        .expect("claim")
}

async fn complete(store: &RedisStore, key: &str, owner: &str, reply: &StoredReply) {
    timeout(
        Duration::from_secs(10),
        store.complete(key, owner, reply, TTL),
    )
    .await
    .expect("complete hung")
    .expect("complete");
}

async fn release(store: &RedisStore, key: &str, owner: &str) {
    timeout(Duration::from_secs(10), store.release(key, owner))
        .await
        .expect("release hung")
        .expect("release");
}

fn verdict() -> StoredReply {
    StoredReply {
        status: 200,
        content_type: Some("application/json".into()),
        body: r#"{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","ResultItem":[{"To_Account":"b","ResultCode":38001}]}"#.into(),
    }
}

/// A plain connection to the server, to look at what the store wrote.
async fn raw(server: &RedisServer) -> redis::aio::MultiplexedConnection {
    redis::Client::open(server.url())
        .unwrap()
        .get_multiplexed_async_connection()
        .await
        .unwrap()
}

#[actix_web::test]
async fn new_in_flight_done() {
    let server = RedisServer::start();
    let store = connect(&server).await;

    assert_eq!(claim(&store, "a", "1", LEASE).await, Claim::New);
    assert_eq!(claim(&store, "a", "2", LEASE).await, Claim::InFlight);
    assert_eq!(claim(&store, "b", "2", LEASE).await, Claim::New);

    complete(&store, "a", "1", &verdict()).await;
    assert_eq!(claim(&store, "a", "3", LEASE).await, Claim::Done(verdict()));
    // A clone shares the connection and the claims; a done claim is never released.
    let clone = store.clone();
    release(&clone, "a", "1").await;
    assert_eq!(claim(&clone, "a", "3", LEASE).await, Claim::Done(verdict()));

    release(&store, "b", "2").await;
    assert_eq!(claim(&store, "b", "3", LEASE).await, Claim::New);
    release(&store, "never claimed", "1").await;
}

#[actix_web::test]
async fn only_the_owner_releases_or_completes() {
    let server = RedisServer::start();
    let store = connect(&server).await;

    assert_eq!(claim(&store, "a", "1", LEASE).await, Claim::New);
    release(&store, "a", "2").await;
    complete(&store, "a", "2", &verdict()).await;
    assert_eq!(claim(&store, "a", "3", LEASE).await, Claim::InFlight);
    release(&store, "a", "1").await;
    assert_eq!(claim(&store, "a", "3", LEASE).await, Claim::New);
    // The first owner's late release or completion leaves the new claim alone.
    release(&store, "a", "1").await;
    complete(&store, "a", "1", &verdict()).await;
    assert_eq!(claim(&store, "a", "4", LEASE).await, Claim::InFlight);
    // A completion whose claim expired (or never reached Redis) marks it done.
    complete(&store, "gone", "5", &verdict()).await;
    assert_eq!(
        claim(&store, "gone", "6", LEASE).await,
        Claim::Done(verdict())
    );
}

#[actix_web::test]
async fn keys_are_prefixed_and_carry_their_ttl() {
    let server = RedisServer::start();
    let store = connect(&server).await;
    let other = connect(&server).await.prefix("other-app:");
    let mut conn = raw(&server).await;
    let pttl_conn = conn.clone();
    let pttl = |key: &'static str| {
        let mut conn = pttl_conn.clone();
        async move {
            redis::cmd("PTTL")
                .arg(key)
                .query_async::<i64>(&mut conn)
                .await
                .unwrap()
        }
    };

    assert_eq!(claim(&store, "k", "owner", LEASE).await, Claim::New);
    let value: Option<String> = redis::cmd("GET")
        .arg("tim-callback:k")
        .query_async(&mut conn)
        .await
        .unwrap();
    assert_eq!(value.as_deref(), Some("F:owner"));
    let lease = pttl("tim-callback:k").await;
    assert!(lease > 29_000 && lease <= 30_000, "PTTL {lease}");
    complete(&store, "k", "owner", &verdict()).await;
    let ttl = pttl("tim-callback:k").await;
    assert!(ttl > 590_000 && ttl <= 600_000, "PTTL {ttl}");

    // Another prefix is another set of claims.
    assert_eq!(claim(&other, "k", "owner", LEASE).await, Claim::New);
    let exists: i64 = redis::cmd("EXISTS")
        .arg("other-app:k")
        .query_async(&mut conn)
        .await
        .unwrap();
    assert_eq!(exists, 1);
    release(&other, "k", "owner").await;
    let exists: i64 = redis::cmd("EXISTS")
        .arg("other-app:k")
        .query_async(&mut conn)
        .await
        .unwrap();
    assert_eq!(exists, 0);
    assert_eq!(claim(&store, "k", "x", LEASE).await, Claim::Done(verdict()));
}

#[actix_web::test]
async fn claims_expire() {
    let server = RedisServer::start();
    let store = connect(&server).await;
    let lease = Duration::from_millis(50);

    // A claim is held for its lease (one long enough that no machine outlives it here)...
    let long = Duration::from_secs(60);
    assert_eq!(claim(&store, "held", "1", long).await, Claim::New);
    assert_eq!(claim(&store, "held", "2", long).await, Claim::InFlight);
    // ...and lapses after it: Redis' own expiry, polled for (the cap only ends a hang).
    assert_eq!(claim(&store, "a", "1", lease).await, Claim::New);
    let started = Instant::now();
    loop {
        match claim(&store, "a", "2", lease).await {
            Claim::New => break,
            Claim::InFlight => {
                assert!(
                    started.elapsed() < Duration::from_secs(30),
                    "the lease never lapsed"
                );
                actix_web::rt::time::sleep(Duration::from_millis(5)).await;
            }
            other => panic!("{other:?}"),
        }
    }

    // Durations under a millisecond and past Redis' range still claim (PX 0 and
    // overflowing PX are errors in Redis).
    assert_eq!(
        claim(&store, "tiny", "1", Duration::from_micros(10)).await,
        Claim::New
    );
    assert_eq!(claim(&store, "huge", "1", Duration::MAX).await, Claim::New);
    assert_eq!(
        claim(&store, "huge", "2", Duration::MAX).await,
        Claim::InFlight
    );
}

/// Two app instances (two threads, each with its own runtime, store and connection)
/// race for the same keys: each key is claimed exactly once.
#[test]
fn one_of_two_instances_claims_a_key() {
    const KEYS: usize = 20;
    const CLAIMS_PER_INSTANCE: usize = 16;
    let server = RedisServer::start();
    let url = server.url();
    let barrier = Arc::new(Barrier::new(2));

    let instances: Vec<_> = (0..2)
        .map(|instance| {
            let url = url.clone();
            let barrier = Arc::clone(&barrier);
            thread::spawn(move || {
                System::new().block_on(async move {
                    let store = RedisStore::connect(&url).await.expect("connect");
                    barrier.wait();
                    let mut claimed = Vec::new();
                    for k in 0..KEYS {
                        let key = format!("race-{k}");
                        let owners: Vec<String> = (0..CLAIMS_PER_INSTANCE)
                            .map(|i| format!("{instance}-{i}"))
                            .collect();
                        let claims = owners.iter().map(|owner| store.claim(&key, owner, LEASE));
                        let results = timeout(Duration::from_secs(10), join_all(claims))
                            .await
                            .expect("claims hung");
                        claimed.push(
                            results
                                .into_iter()
                                .map(|result| result.expect("claim"))
                                .filter(|claim| *claim == Claim::New)
                                .count(),
                        );
                    }
                    claimed
                })
            })
        })
        .collect();

    let claimed: Vec<Vec<usize>> = instances
        .into_iter()
        .map(|instance| instance.join().unwrap())
        .collect();
    for k in 0..KEYS {
        assert_eq!(claimed[0][k] + claimed[1][k], 1, "race-{k}: {claimed:?}");
    }
}

#[actix_web::test]
async fn connect_fails_promptly_without_a_server() {
    let mut server = RedisServer::start();
    server.stop();
    let started = Instant::now();
    let result = timeout(DOWN_CALL_LIMIT, RedisStore::connect(&server.url()))
        .await
        .expect("connect to a stopped server hung");
    let error = result.expect_err("connected to a stopped server");
    eprintln!(
        "connect without a server failed in {:?}: {error}",
        started.elapsed()
    );
}

#[actix_web::test]
async fn bad_url_is_an_error_with_its_source() {
    let error = RedisStore::connect("http://127.0.0.1/")
        .await
        .expect_err("not a redis URL");
    assert!(error.to_string().starts_with("redis: "), "{error}");
    assert!(std::error::Error::source(&error).is_some(), "{error:?}");
}

/// One call while Redis is down: it must fail, and within [`DOWN_CALL_LIMIT`].
async fn fails_promptly<T: std::fmt::Debug>(
    what: &str,
    call: impl std::future::Future<Output = Result<T, StoreError>>,
) {
    let started = Instant::now();
    let result = timeout(DOWN_CALL_LIMIT, call)
        .await
        .unwrap_or_else(|_| panic!("{what} with Redis down took over {DOWN_CALL_LIMIT:?}"));
    let error = result.expect_err("a call with Redis down succeeded");
    eprintln!(
        "{what} with Redis down failed in {:?}: {error}",
        started.elapsed()
    );
}

/// The first call after Redis came back succeeds: the call that finds the connection
/// dead reconnects and tries once more (issue 14, problem 5).
#[actix_web::test]
async fn the_first_call_after_a_restart_succeeds() {
    let mut server = RedisServer::start();
    let store = connect(&server).await;
    assert_eq!(claim(&store, "before", "1", LEASE).await, Claim::New);

    server.stop();
    server.start_again();
    // No call has seen the dead connection yet: this one must reconnect by itself.
    let first = timeout(DOWN_CALL_LIMIT, store.claim("after", "1", LEASE))
        .await
        .expect("the first claim after a restart hung")
        .expect("the first claim after a restart failed");
    assert_eq!(first, Claim::New);
    // The restarted server kept nothing.
    assert_eq!(claim(&store, "before", "2", LEASE).await, Claim::New);
}

#[actix_web::test]
async fn store_fails_promptly_while_redis_is_down_and_recovers_after_a_restart() {
    let mut server = RedisServer::start();
    let store = connect(&server).await;
    assert_eq!(claim(&store, "before", "1", LEASE).await, Claim::New);

    server.stop();
    for i in 0..5 {
        fails_promptly(&format!("claim {i}"), store.claim("down", "1", LEASE)).await;
    }
    fails_promptly("release", store.release("before", "1")).await;
    fails_promptly("complete", store.complete("before", "1", &verdict(), TTL)).await;

    server.start_again();
    let first = timeout(DOWN_CALL_LIMIT, store.claim("after", "1", LEASE))
        .await
        .expect("claim after restart hung")
        .expect("claim after restart failed");
    assert_eq!(first, Claim::New);
    assert_eq!(claim(&store, "after", "2", LEASE).await, Claim::InFlight);
}
