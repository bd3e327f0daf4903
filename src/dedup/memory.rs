//! [`MemoryStore`]: duplicate suppression in the memory of one process.

use std::{
    fmt,
    sync::{Arc, Mutex, MutexGuard, PoisonError},
    time::{Duration, Instant},
};

use futures_util::future::{self, BoxFuture};

use super::{Claim, DedupStore, StoreError, StoredReply};

/// A [`DedupStore`] in the memory of one process, shared by all its workers.
///
/// Build it once, outside the `HttpServer::new` closure, and hand a clone to each worker:
/// clones share the same claims. It holds at most `max_entries` claims (a
/// [`quick_cache`] cache): when it is full, the claims least likely to be asked for again
/// are evicted first, expired or not.
///
/// Duplicates are only recognised within one process: run `RedisStore` (feature `redis`)
/// when several instances of the app receive callbacks.
///
/// ```
/// use std::time::Duration;
/// use actix_tim_callback::{dedup::Claim, dedup::DedupStore, dedup::MemoryStore, dedup::StoredReply};
///
/// # actix_web::rt::System::new().block_on(async {
/// let store = MemoryStore::new(10_000);
/// let worker = store.clone();
/// let lease = Duration::from_secs(30);
///
/// assert_eq!(store.claim("1400000000:msg-1", "first", lease).await?, Claim::New);
/// assert_eq!(worker.claim("1400000000:msg-1", "second", lease).await?, Claim::InFlight);
///
/// // The first delivery's handler failed: let the retry of the callback through.
/// store.release("1400000000:msg-1", "first").await?;
/// assert_eq!(worker.claim("1400000000:msg-1", "second", lease).await?, Claim::New);
///
/// // It succeeded: later deliveries get its reply.
/// let reply = StoredReply { status: 200, content_type: None, body: "OK".into() };
/// worker.complete("1400000000:msg-1", "second", &reply, Duration::from_secs(600)).await?;
/// assert_eq!(store.claim("1400000000:msg-1", "third", lease).await?, Claim::Done(reply));
/// # Ok::<(), actix_tim_callback::dedup::StoreError>(())
/// # }).unwrap();
/// ```
#[derive(Clone)]
pub struct MemoryStore {
    claims: Arc<Mutex<quick_cache::unsync::Cache<String, Entry>>>,
}

struct Entry {
    owner: String,
    /// `None` while the owner's handler runs.
    reply: Option<StoredReply>,
    /// `None`: the duration was too long to add to an `Instant`, so it never expires.
    expires: Option<Instant>,
}

impl Entry {
    fn new(owner: &str, reply: Option<StoredReply>, ttl: Duration) -> Self {
        Self {
            owner: owner.to_owned(),
            reply,
            expires: Instant::now().checked_add(ttl),
        }
    }

    fn live(&self) -> bool {
        self.expires.is_none_or(|expires| Instant::now() < expires)
    }
}

impl MemoryStore {
    /// A store that holds at most `max_entries` claims (at least one).
    pub fn new(max_entries: usize) -> Self {
        Self {
            claims: Arc::new(Mutex::new(quick_cache::unsync::Cache::new(
                max_entries.max(1),
            ))),
        }
    }

    fn claims(&self) -> MutexGuard<'_, quick_cache::unsync::Cache<String, Entry>> {
        // Nothing panics while the lock is held.
        self.claims.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn claim_now(&self, key: &str, owner: &str, lease: Duration) -> Claim {
        let mut claims = self.claims();
        match claims.get(key) {
            Some(entry) if entry.live() => match &entry.reply {
                Some(reply) => Claim::Done(reply.clone()),
                None => Claim::InFlight,
            },
            _ => {
                claims.insert(key.to_owned(), Entry::new(owner, None, lease));
                Claim::New
            }
        }
    }

    fn complete_now(&self, key: &str, owner: &str, reply: &StoredReply, ttl: Duration) {
        let mut claims = self.claims();
        if let Some(mut entry) = claims.peek_mut(key) {
            if entry.live() && entry.owner != owner {
                return;
            }
            if entry.owner != owner {
                entry.owner = owner.to_owned();
            }
            entry.reply = Some(reply.clone());
            entry.expires = Instant::now().checked_add(ttl);
            return;
        }
        claims.insert(key.to_owned(), Entry::new(owner, Some(reply.clone()), ttl));
    }

    fn release_now(&self, key: &str, owner: &str) {
        self.claims()
            .remove_if(key, |entry| entry.owner == owner && entry.reply.is_none());
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.claims().len()
    }
}

impl Default for MemoryStore {
    /// A store of at most 100,000 claims.
    fn default() -> Self {
        Self::new(100_000)
    }
}

impl fmt::Debug for MemoryStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let claims = self.claims();
        f.debug_struct("MemoryStore")
            .field("max_entries", &claims.capacity())
            .field("entries", &claims.len())
            .finish()
    }
}

impl DedupStore for MemoryStore {
    fn claim<'a>(
        &'a self,
        key: &'a str,
        owner: &'a str,
        lease: Duration,
    ) -> BoxFuture<'a, Result<Claim, StoreError>> {
        Box::pin(future::ready(Ok(self.claim_now(key, owner, lease))))
    }

    fn complete<'a>(
        &'a self,
        key: &'a str,
        owner: &'a str,
        reply: &'a StoredReply,
        ttl: Duration,
    ) -> BoxFuture<'a, Result<(), StoreError>> {
        self.complete_now(key, owner, reply, ttl);
        Box::pin(future::ready(Ok(())))
    }

    fn release<'a>(
        &'a self,
        key: &'a str,
        owner: &'a str,
    ) -> BoxFuture<'a, Result<(), StoreError>> {
        self.release_now(key, owner);
        Box::pin(future::ready(Ok(())))
    }
}

#[cfg(test)]
mod tests {
    use std::{
        sync::{Arc, Barrier},
        thread,
    };

    use super::*;

    const LEASE: Duration = Duration::from_secs(30);
    const TTL: Duration = Duration::from_secs(600);

    fn ok() -> StoredReply {
        StoredReply {
            status: 200,
            content_type: Some("application/json".into()),
            body: "{}".into(),
        }
    }

    #[test]
    fn stores_are_shareable() {
        fn shareable<T: DedupStore + Clone + Send + Sync>() {}
        shareable::<MemoryStore>();
        let _: Arc<dyn DedupStore> = Arc::new(MemoryStore::default());
    }

    #[test]
    fn new_in_flight_done() {
        let store = MemoryStore::new(10);
        assert_eq!(store.claim_now("a", "1", LEASE), Claim::New);
        assert_eq!(store.claim_now("a", "2", LEASE), Claim::InFlight);
        store.complete_now("a", "1", &ok(), TTL);
        assert_eq!(store.claim_now("a", "3", LEASE), Claim::Done(ok()));
        // A done claim is never released.
        store.release_now("a", "1");
        assert_eq!(store.claim_now("a", "3", LEASE), Claim::Done(ok()));
    }

    #[test]
    fn only_the_owner_releases_or_completes() {
        let store = MemoryStore::new(10);
        assert_eq!(store.claim_now("a", "1", LEASE), Claim::New);
        store.release_now("a", "2");
        store.complete_now("a", "2", &ok(), TTL);
        assert_eq!(store.claim_now("a", "3", LEASE), Claim::InFlight);
        store.release_now("a", "1");
        assert_eq!(store.claim_now("a", "3", LEASE), Claim::New);
        store.release_now("a", "1");
        assert_eq!(store.claim_now("a", "4", LEASE), Claim::InFlight);
    }

    #[test]
    fn a_completion_without_a_claim_marks_it_done() {
        // The claim timed out before reaching the store, the handler succeeded.
        let store = MemoryStore::new(10);
        store.complete_now("a", "1", &ok(), TTL);
        assert_eq!(store.claim_now("a", "2", LEASE), Claim::Done(ok()));
    }

    #[test]
    fn expired_claims_are_claimed_again() {
        let store = MemoryStore::new(10);
        assert_eq!(store.claim_now("a", "1", Duration::ZERO), Claim::New);
        assert_eq!(store.claim_now("a", "2", LEASE), Claim::New);
        // The first owner's late release does not touch the new claim.
        store.release_now("a", "1");
        assert_eq!(store.claim_now("a", "3", LEASE), Claim::InFlight);
        store.complete_now("a", "2", &ok(), Duration::ZERO);
        assert_eq!(store.claim_now("a", "3", LEASE), Claim::New);
    }

    #[test]
    fn huge_durations_never_expire() {
        let store = MemoryStore::new(10);
        assert_eq!(store.claim_now("a", "1", Duration::MAX), Claim::New);
        assert_eq!(store.claim_now("a", "2", Duration::MAX), Claim::InFlight);
    }

    #[test]
    fn clones_share_claims() {
        let store = MemoryStore::default();
        let worker = store.clone();
        assert_eq!(store.claim_now("a", "1", LEASE), Claim::New);
        assert_eq!(worker.claim_now("a", "2", LEASE), Claim::InFlight);
    }

    #[test]
    fn store_never_grows_past_its_bound() {
        let store = MemoryStore::new(100);
        for i in 0..1_000 {
            assert_eq!(store.claim_now(&format!("k{i}"), "o", LEASE), Claim::New);
            assert!(store.len() <= 100);
        }
        // The newest claim survives eviction.
        assert_eq!(store.claim_now("k999", "p", LEASE), Claim::InFlight);
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
                        .map(|k| store.claim_now(&format!("key-{k}"), &t.to_string(), LEASE))
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
}
