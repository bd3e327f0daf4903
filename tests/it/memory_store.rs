//! `MemoryStore` through its public `DedupStore` interface: claims, owners, expiry, its
//! bound, and one claim among racing threads.

use std::{
    sync::{Arc, Barrier},
    thread,
    time::Duration,
};

use actix_tim_callback::dedup::{Claim, DedupStore, MemoryStore, StoredReply};
use futures_util::FutureExt;

// The store answers at once: its futures are ready when made.
fn claim(store: &MemoryStore, key: &str, owner: &str, lease: Duration) -> Claim {
    store
        .claim(key, owner, lease)
        .now_or_never()
        .expect("ready")
        .expect("a memory store does not fail")
}

fn complete(store: &MemoryStore, key: &str, owner: &str, reply: &StoredReply, ttl: Duration) {
    store
        .complete(key, owner, reply, ttl)
        .now_or_never()
        .expect("ready")
        .expect("a memory store does not fail");
}

fn release(store: &MemoryStore, key: &str, owner: &str) {
    store
        .release(key, owner)
        .now_or_never()
        .expect("ready")
        .expect("a memory store does not fail");
}

/// How many claims the store holds, as its `Debug` shows.
fn entries(store: &MemoryStore) -> usize {
    let debug = format!("{store:?}");
    let at = debug.find("entries: ").expect("entries in Debug") + "entries: ".len();
    debug[at..]
        .split(|c: char| !c.is_ascii_digit())
        .next()
        .and_then(|n| n.parse().ok())
        .expect("a count")
}

const LEASE: Duration = Duration::from_secs(30);
const TTL: Duration = Duration::from_secs(600);

fn ok() -> StoredReply {
    StoredReply {
        status: 200,
        content_type: Some("application/json".into()),
        body: "{}".into(),
    }
}

/// A store, as the middleware holds it (`Arc<dyn DedupStore>`), is shared across threads:
/// a claim made on one is seen on another.
#[test]
fn stores_are_shareable() {
    let store: Arc<dyn DedupStore> = Arc::new(MemoryStore::default());
    let other = Arc::clone(&store);
    thread::spawn(move || {
        let claimed = other.claim("a", "1", LEASE).now_or_never().expect("ready");
        assert_eq!(claimed.ok(), Some(Claim::New));
    })
    .join()
    .expect("no panic");
    let seen = store.claim("a", "2", LEASE).now_or_never().expect("ready");
    assert_eq!(seen.ok(), Some(Claim::InFlight));
}

#[test]
fn new_in_flight_done() {
    let store = MemoryStore::new(10);
    assert_eq!(claim(&store, "a", "1", LEASE), Claim::New);
    assert_eq!(claim(&store, "a", "2", LEASE), Claim::InFlight);
    complete(&store, "a", "1", &ok(), TTL);
    assert_eq!(claim(&store, "a", "3", LEASE), Claim::Done(ok()));
    // A done claim is never released.
    release(&store, "a", "1");
    assert_eq!(claim(&store, "a", "3", LEASE), Claim::Done(ok()));
}

#[test]
fn only_the_owner_releases_or_completes() {
    let store = MemoryStore::new(10);
    assert_eq!(claim(&store, "a", "1", LEASE), Claim::New);
    release(&store, "a", "2");
    complete(&store, "a", "2", &ok(), TTL);
    assert_eq!(claim(&store, "a", "3", LEASE), Claim::InFlight);
    release(&store, "a", "1");
    assert_eq!(claim(&store, "a", "3", LEASE), Claim::New);
    release(&store, "a", "1");
    assert_eq!(claim(&store, "a", "4", LEASE), Claim::InFlight);
}

#[test]
fn a_completion_without_a_claim_marks_it_done() {
    // The claim timed out before reaching the store, the handler succeeded.
    let store = MemoryStore::new(10);
    complete(&store, "a", "1", &ok(), TTL);
    assert_eq!(claim(&store, "a", "2", LEASE), Claim::Done(ok()));
}

#[test]
fn expired_claims_are_claimed_again() {
    let store = MemoryStore::new(10);
    assert_eq!(claim(&store, "a", "1", Duration::ZERO), Claim::New);
    assert_eq!(claim(&store, "a", "2", LEASE), Claim::New);
    // The first owner's late release does not touch the new claim.
    release(&store, "a", "1");
    assert_eq!(claim(&store, "a", "3", LEASE), Claim::InFlight);
    complete(&store, "a", "2", &ok(), Duration::ZERO);
    assert_eq!(claim(&store, "a", "3", LEASE), Claim::New);
}

#[test]
fn huge_durations_never_expire() {
    let store = MemoryStore::new(10);
    assert_eq!(claim(&store, "a", "1", Duration::MAX), Claim::New);
    assert_eq!(claim(&store, "a", "2", Duration::MAX), Claim::InFlight);
}

#[test]
fn clones_share_claims() {
    let store = MemoryStore::default();
    let worker = store.clone();
    assert_eq!(claim(&store, "a", "1", LEASE), Claim::New);
    assert_eq!(claim(&worker, "a", "2", LEASE), Claim::InFlight);
}

#[test]
fn store_never_grows_past_its_bound() {
    let store = MemoryStore::new(100);
    for i in 0..1_000 {
        assert_eq!(claim(&store, &format!("k{i}"), "o", LEASE), Claim::New);
        assert!(entries(&store) <= 100);
    }
    // The newest claim survives eviction.
    assert_eq!(claim(&store, "k999", "p", LEASE), Claim::InFlight);
}

#[test]
fn one_of_many_threads_claims_a_key() {
    const THREADS: usize = 8;
    const KEYS: usize = 200;
    let store = MemoryStore::default();
    let barrier = Arc::new(Barrier::new(THREADS));
    let handles: Vec<_> = (0..THREADS)
        .map(|t| {
            let store = store.clone();
            let barrier = Arc::clone(&barrier);
            thread::spawn(move || {
                barrier.wait();
                (0..KEYS)
                    .map(|k| claim(&store, &format!("key-{k}"), &t.to_string(), LEASE))
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    let results: Vec<Vec<Claim>> = handles
        .into_iter()
        .map(|handle| handle.join().expect("no panic"))
        .collect();
    for k in 0..KEYS {
        let new = results
            .iter()
            .filter(|claims| claims[k] == Claim::New)
            .count();
        assert_eq!(new, 1, "key-{k}");
    }
}
