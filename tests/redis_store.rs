//! `RedisStore` against a real `redis-server` (feature `redis`; CI installs the server).
//!
//! Each test starts a server of its own on a free loopback port. Timeouts here only turn
//! a hang into a failure, except where a test says it asserts promptness.

mod common;

use std::{
    sync::{Arc, Barrier},
    thread,
    time::{Duration, Instant},
};

use actix_tim_callback::{Claim, DedupStore, RedisStore, StoreError};
use actix_web::rt::{time::timeout, System};
use futures_util::future::join_all;

use common::redis::RedisServer;

const TTL: Duration = Duration::from_secs(600);

/// How long a call may take while Redis is down: the middleware bounds calls with its
/// own timeout, but the store itself should fail promptly.
const DOWN_CALL_LIMIT: Duration = Duration::from_secs(1);

async fn connect(server: &RedisServer) -> RedisStore {
    timeout(Duration::from_secs(10), RedisStore::connect(&server.url()))
        .await
        .expect("connect hung")
        .expect("connect to the test server")
}

async fn claim(store: &RedisStore, key: &str, ttl: Duration) -> Claim {
    timeout(Duration::from_secs(10), store.claim(key, ttl))
        .await
        .expect("claim hung")
        .expect("claim")
}

async fn release(store: &RedisStore, key: &str) {
    timeout(Duration::from_secs(10), store.release(key))
        .await
        .expect("release hung")
        .expect("release");
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
async fn claim_duplicate_release() {
    let server = RedisServer::start();
    let store = connect(&server).await;

    assert_eq!(claim(&store, "a", TTL).await, Claim::Claimed);
    assert_eq!(claim(&store, "a", TTL).await, Claim::Duplicate);
    assert_eq!(claim(&store, "b", TTL).await, Claim::Claimed);

    release(&store, "a").await;
    assert_eq!(claim(&store, "a", TTL).await, Claim::Claimed);
    assert_eq!(claim(&store, "a", TTL).await, Claim::Duplicate);
    assert_eq!(claim(&store, "b", TTL).await, Claim::Duplicate);

    release(&store, "never claimed").await;
    let clone = store.clone();
    assert_eq!(claim(&clone, "b", TTL).await, Claim::Duplicate);
}

#[actix_web::test]
async fn keys_are_prefixed_and_carry_the_ttl() {
    let server = RedisServer::start();
    let store = connect(&server).await;
    let other = connect(&server).await.prefix("other-app:");
    let mut conn = raw(&server).await;

    assert_eq!(claim(&store, "k", TTL).await, Claim::Claimed);
    let value: Option<String> = redis::cmd("GET")
        .arg("tim-callback:k")
        .query_async(&mut conn)
        .await
        .unwrap();
    assert_eq!(value.as_deref(), Some("1"));
    let pttl: i64 = redis::cmd("PTTL")
        .arg("tim-callback:k")
        .query_async(&mut conn)
        .await
        .unwrap();
    assert!(pttl > 590_000 && pttl <= 600_000, "PTTL {pttl}");

    // Another prefix is another set of claims.
    assert_eq!(claim(&other, "k", TTL).await, Claim::Claimed);
    assert_eq!(claim(&other, "k", TTL).await, Claim::Duplicate);
    let exists: i64 = redis::cmd("EXISTS")
        .arg("other-app:k")
        .query_async(&mut conn)
        .await
        .unwrap();
    assert_eq!(exists, 1);

    release(&store, "k").await;
    let exists: i64 = redis::cmd("EXISTS")
        .arg("tim-callback:k")
        .query_async(&mut conn)
        .await
        .unwrap();
    assert_eq!(exists, 0);
    assert_eq!(claim(&other, "k", TTL).await, Claim::Duplicate);
}

#[actix_web::test]
async fn claims_expire() {
    let server = RedisServer::start();
    let store = connect(&server).await;
    let ttl = Duration::from_millis(50);

    assert_eq!(claim(&store, "a", ttl).await, Claim::Claimed);
    assert_eq!(claim(&store, "b", TTL).await, Claim::Claimed);
    assert_eq!(claim(&store, "a", ttl).await, Claim::Duplicate);

    actix_web::rt::time::sleep(Duration::from_millis(80)).await;
    assert_eq!(claim(&store, "a", ttl).await, Claim::Claimed);
    assert_eq!(claim(&store, "b", TTL).await, Claim::Duplicate);

    // A ttl under a millisecond still claims (PX 0 would be an error).
    assert_eq!(
        claim(&store, "tiny", Duration::from_micros(10)).await,
        Claim::Claimed
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
        .map(|_| {
            let url = url.clone();
            let barrier = Arc::clone(&barrier);
            thread::spawn(move || {
                System::new().block_on(async move {
                    let store = RedisStore::connect(&url).await.expect("connect");
                    barrier.wait();
                    let mut claimed = Vec::new();
                    for k in 0..KEYS {
                        let key = format!("race-{k}");
                        let claims = (0..CLAIMS_PER_INSTANCE).map(|_| store.claim(&key, TTL));
                        let results = timeout(Duration::from_secs(10), join_all(claims))
                            .await
                            .expect("claims hung");
                        claimed.push(
                            results
                                .into_iter()
                                .map(|result| result.expect("claim"))
                                .filter(|claim| *claim == Claim::Claimed)
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
async fn bad_url_is_an_error() {
    let error = RedisStore::connect("http://127.0.0.1/")
        .await
        .expect_err("not a redis URL");
    assert!(error.to_string().starts_with("redis: "), "{error}");
}

/// One call while Redis is down: it must fail, and within [`DOWN_CALL_LIMIT`].
async fn fails_promptly<T: std::fmt::Debug>(
    what: &str,
    call: impl std::future::Future<Output = Result<T, StoreError>>,
) -> Duration {
    let started = Instant::now();
    let result = timeout(DOWN_CALL_LIMIT, call)
        .await
        .unwrap_or_else(|_| panic!("{what} with Redis down took over {DOWN_CALL_LIMIT:?}"));
    let elapsed = started.elapsed();
    let error = result.expect_err("a call with Redis down succeeded");
    eprintln!("{what} with Redis down failed in {elapsed:?}: {error}");
    elapsed
}

#[actix_web::test]
async fn store_fails_promptly_while_redis_is_down_and_recovers_after_a_restart() {
    let mut server = RedisServer::start();
    let store = connect(&server).await;
    assert_eq!(claim(&store, "before", TTL).await, Claim::Claimed);

    server.stop();
    for i in 0..5 {
        fails_promptly(&format!("claim {i}"), store.claim("down", TTL)).await;
    }
    fails_promptly("release", store.release("before")).await;
    // Still failing after a pause (no connection attempt left pending that succeeds).
    actix_web::rt::time::sleep(Duration::from_millis(200)).await;
    fails_promptly("claim after a pause", store.claim("down", TTL)).await;

    server.start_again();
    let restarted = Instant::now();
    let mut attempts = 0;
    let first = loop {
        attempts += 1;
        match timeout(DOWN_CALL_LIMIT, store.claim("after", TTL)).await {
            Ok(Ok(claim)) => break claim,
            Ok(Err(error)) => eprintln!("claim after restart failed: {error}"),
            Err(_) => eprintln!("claim after restart timed out"),
        }
        assert!(
            restarted.elapsed() < Duration::from_secs(5),
            "the store did not recover within 5 s of the restart"
        );
        actix_web::rt::time::sleep(Duration::from_millis(50)).await;
    };
    eprintln!(
        "store recovered {:?} after the restart, on attempt {attempts}",
        restarted.elapsed()
    );
    assert_eq!(first, Claim::Claimed);
    assert_eq!(claim(&store, "after", TTL).await, Claim::Duplicate);
    // The restarted server kept nothing.
    assert_eq!(claim(&store, "before", TTL).await, Claim::Claimed);
    release(&store, "after").await;
    assert_eq!(claim(&store, "after", TTL).await, Claim::Claimed);
}
