//! Stores of duplicate suppression: a callback is claimed by its key before it is handled,
//! so a second delivery of the same callback is recognised as a duplicate.

use std::{
    collections::{BTreeMap, HashMap},
    fmt,
    sync::{Arc, Mutex, PoisonError},
    time::{Duration, Instant},
};

use futures_util::future::{self, BoxFuture};

/// Where claims of callbacks live, shared by every worker (and, for Redis, every instance).
pub trait DedupStore: Send + Sync + 'static {
    /// Claims `key` for `ttl`, atomically: `Claim::Claimed` when this call took it,
    /// `Claim::Duplicate` when it was already claimed and not released or expired.
    fn claim<'a>(&'a self, key: &'a str, ttl: Duration)
        -> BoxFuture<'a, Result<Claim, StoreError>>;

    /// Releases a claim (the handler failed), so a retry of the callback can succeed.
    fn release<'a>(&'a self, key: &'a str) -> BoxFuture<'a, Result<(), StoreError>>;
}

/// The answer of [`DedupStore::claim`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Claim {
    /// This call took the key: handle the callback.
    Claimed,
    /// The key was already claimed, and neither released nor expired: the callback is a
    /// duplicate.
    Duplicate,
}

/// The store could not answer (connection refused, protocol error...). Display says why.
#[derive(Debug)]
pub struct StoreError {
    message: String,
}

impl StoreError {
    /// An error that displays as `message`.
    pub fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
        }
    }
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for StoreError {}

/// A [`DedupStore`] in the memory of one process, shared by all its workers.
///
/// Build it once, outside the `HttpServer::new` closure, and hand a clone to each worker:
/// clones share the same claims. It holds at most `max_entries` claims: expired claims
/// are dropped first, and when it is still full the oldest claim is evicted.
///
/// Duplicates are only recognised within one process: run `RedisStore` (feature `redis`)
/// when several instances of the app receive callbacks.
///
/// ```
/// use std::time::Duration;
/// use actix_tim_callback::{Claim, DedupStore, MemoryStore};
///
/// # actix_web::rt::System::new().block_on(async {
/// let store = MemoryStore::new(10_000);
/// let worker = store.clone();
/// let ttl = Duration::from_secs(600);
///
/// assert_eq!(store.claim("1400000000:msg-1", ttl).await?, Claim::Claimed);
/// assert_eq!(worker.claim("1400000000:msg-1", ttl).await?, Claim::Duplicate);
///
/// // The handler failed: let the retry of the callback through.
/// worker.release("1400000000:msg-1").await?;
/// assert_eq!(store.claim("1400000000:msg-1", ttl).await?, Claim::Claimed);
/// # Ok::<(), actix_tim_callback::StoreError>(())
/// # }).unwrap();
/// ```
#[derive(Clone)]
pub struct MemoryStore {
    inner: Arc<Mutex<Claims>>,
}

impl MemoryStore {
    /// A store that holds at most `max_entries` claims (at least one).
    pub fn new(max_entries: usize) -> Self {
        let max_entries = max_entries.max(1);
        Self {
            inner: Arc::new(Mutex::new(Claims {
                max_entries,
                next_seq: 0,
                by_key: HashMap::new(),
                by_age: BTreeMap::new(),
            })),
        }
    }

    fn claims(&self) -> std::sync::MutexGuard<'_, Claims> {
        // Nothing panics while the lock is held, and the maps stay consistent anyway.
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
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
            .field("max_entries", &claims.max_entries)
            .field("entries", &claims.by_key.len())
            .finish()
    }
}

impl DedupStore for MemoryStore {
    fn claim<'a>(
        &'a self,
        key: &'a str,
        ttl: Duration,
    ) -> BoxFuture<'a, Result<Claim, StoreError>> {
        let claim = self.claims().claim(key, ttl, Instant::now());
        Box::pin(future::ready(Ok(claim)))
    }

    fn release<'a>(&'a self, key: &'a str) -> BoxFuture<'a, Result<(), StoreError>> {
        self.claims().remove(key);
        Box::pin(future::ready(Ok(())))
    }
}

/// The claims of a [`MemoryStore`]: by key, and by claim order for dropping and evicting.
/// Both maps always hold the same claims.
struct Claims {
    max_entries: usize,
    next_seq: u64,
    by_key: HashMap<Arc<str>, Entry>,
    by_age: BTreeMap<u64, Arc<str>>,
}

struct Entry {
    seq: u64,
    /// `None`: the ttl was too long to add to an `Instant`, so the claim never expires.
    expires: Option<Instant>,
}

impl Entry {
    fn expired(&self, now: Instant) -> bool {
        self.expires.is_some_and(|expires| expires <= now)
    }
}

impl Claims {
    fn claim(&mut self, key: &str, ttl: Duration, now: Instant) -> Claim {
        if let Some(entry) = self.by_key.get(key) {
            if !entry.expired(now) {
                return Claim::Duplicate;
            }
            self.remove(key);
        }
        self.drop_expired(now);
        while self.by_key.len() >= self.max_entries {
            let Some((_, oldest)) = self.by_age.pop_first() else {
                break;
            };
            self.by_key.remove(&oldest);
        }

        let seq = self.next_seq;
        self.next_seq += 1;
        let key: Arc<str> = Arc::from(key);
        self.by_age.insert(seq, Arc::clone(&key));
        self.by_key.insert(
            key,
            Entry {
                seq,
                expires: now.checked_add(ttl),
            },
        );
        Claim::Claimed
    }

    /// Drops the expired claims at the old end. With one ttl per store (the usual case)
    /// claim order is expiry order, so this drops them all; a claim with a shorter ttl
    /// behind a longer one waits for its turn, or for eviction.
    fn drop_expired(&mut self, now: Instant) {
        while let Some((_, key)) = self.by_age.first_key_value() {
            if !self.by_key[key].expired(now) {
                break;
            }
            let key = Arc::clone(key);
            self.remove(&key);
        }
    }

    fn remove(&mut self, key: &str) {
        if let Some(entry) = self.by_key.remove(key) {
            self.by_age.remove(&entry.seq);
        }
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        debug_assert_eq!(self.by_key.len(), self.by_age.len());
        self.by_key.len()
    }
}

#[cfg(feature = "redis")]
pub use self::redis_store::RedisStore;

#[cfg(feature = "redis")]
mod redis_store {
    use std::{sync::Arc, time::Duration};

    use futures_util::future::BoxFuture;
    use redis::{
        aio::{ConnectionManager, ConnectionManagerConfig},
        Client, RedisError,
    };

    use super::{Claim, DedupStore, StoreError};

    /// A [`DedupStore`] in Redis, shared by every instance of the app.
    ///
    /// A claim is `SET <prefix><key> 1 NX PX <ttl in ms>` and a release is `DEL`. The
    /// connection is a [`ConnectionManager`], which reconnects by itself when Redis comes
    /// back after a restart. Calls carry no timeout of their own: the middleware bounds
    /// each one.
    ///
    /// Build it once, outside the `HttpServer::new` closure, and hand a clone to each
    /// worker: clones share the connection. Connect it in a runtime that keeps running
    /// while the server does (such as `main`'s under `#[actix_web::main]`): the connection
    /// is driven there, and a store whose runtime is blocked or gone fails every call.
    ///
    /// ```no_run
    /// use actix_tim_callback::RedisStore;
    ///
    /// # async fn build() -> Result<(), actix_tim_callback::StoreError> {
    /// let store = RedisStore::connect("redis://127.0.0.1:6379/")
    ///     .await?
    ///     .prefix("my-app:tim-callback:");
    /// # Ok(())
    /// # }
    /// ```
    #[derive(Debug, Clone)]
    pub struct RedisStore {
        manager: ConnectionManager,
        prefix: Arc<str>,
    }

    impl RedisStore {
        /// Connects to the Redis server at `url` (`redis://[:password@]host[:port][/db]`).
        ///
        /// Fails when the server cannot be reached now. Once connected, a lost connection
        /// is made again on the next call, without waiting between attempts: while Redis
        /// is down each call fails at once, and the first call after Redis is back
        /// succeeds. Build the store with [`RedisStore::new`] for other reconnection
        /// settings.
        pub async fn connect(url: &str) -> Result<Self, StoreError> {
            let client = Client::open(url).map_err(store_error)?;
            // The default retries a lost connection with backoff for seconds, and every
            // call waits for that attempt; a callback cannot wait that long.
            let config = ConnectionManagerConfig::new().set_number_of_retries(0);
            let manager = ConnectionManager::new_with_config(client, config)
                .await
                .map_err(store_error)?;
            Ok(Self::new(manager))
        }

        /// A store on a connection manager built by the caller, with keys prefixed
        /// `tim-callback:`.
        pub fn new(manager: ConnectionManager) -> Self {
            Self {
                manager,
                prefix: Arc::from("tim-callback:"),
            }
        }

        /// Prefixes every key with `prefix` instead of `tim-callback:`.
        pub fn prefix(mut self, prefix: impl Into<String>) -> Self {
            self.prefix = Arc::from(prefix.into());
            self
        }
    }

    impl DedupStore for RedisStore {
        fn claim<'a>(
            &'a self,
            key: &'a str,
            ttl: Duration,
        ) -> BoxFuture<'a, Result<Claim, StoreError>> {
            Box::pin(async move {
                // PX 0 is an error in Redis.
                let millis = u64::try_from(ttl.as_millis()).unwrap_or(u64::MAX).max(1);
                let reply: Option<String> = redis::cmd("SET")
                    .arg(format!("{}{key}", self.prefix))
                    .arg(1)
                    .arg("NX")
                    .arg("PX")
                    .arg(millis)
                    .query_async(&mut self.manager.clone())
                    .await
                    .map_err(store_error)?;
                Ok(match reply {
                    Some(_) => Claim::Claimed,
                    None => Claim::Duplicate,
                })
            })
        }

        fn release<'a>(&'a self, key: &'a str) -> BoxFuture<'a, Result<(), StoreError>> {
            Box::pin(async move {
                redis::cmd("DEL")
                    .arg(format!("{}{key}", self.prefix))
                    .exec_async(&mut self.manager.clone())
                    .await
                    .map_err(store_error)
            })
        }
    }

    fn store_error(error: RedisError) -> StoreError {
        StoreError::new(format!("redis: {error}"))
    }
}

#[cfg(test)]
mod tests {
    use std::{
        sync::{Arc, Barrier},
        thread,
        time::Duration,
    };

    use futures_util::FutureExt;

    use super::*;

    const LONG: Duration = Duration::from_secs(600);

    fn claim(store: &MemoryStore, key: &str, ttl: Duration) -> Claim {
        store
            .claim(key, ttl)
            .now_or_never()
            .expect("a memory store answers at once")
            .expect("a memory store never fails")
    }

    fn release(store: &MemoryStore, key: &str) {
        store
            .release(key)
            .now_or_never()
            .expect("a memory store answers at once")
            .expect("a memory store never fails");
    }

    fn len(store: &MemoryStore) -> usize {
        store.claims().len()
    }

    #[test]
    fn stores_are_shareable() {
        fn shareable<T: DedupStore + Clone + Send + Sync>() {}
        shareable::<MemoryStore>();
        #[cfg(feature = "redis")]
        shareable::<RedisStore>();
        let _: Arc<dyn DedupStore> = Arc::new(MemoryStore::default());
    }

    #[test]
    fn claim_duplicate_release() {
        let store = MemoryStore::new(10);
        assert_eq!(claim(&store, "a", LONG), Claim::Claimed);
        assert_eq!(claim(&store, "a", LONG), Claim::Duplicate);
        assert_eq!(claim(&store, "b", LONG), Claim::Claimed);

        release(&store, "a");
        assert_eq!(claim(&store, "a", LONG), Claim::Claimed);
        assert_eq!(claim(&store, "a", LONG), Claim::Duplicate);
        assert_eq!(claim(&store, "b", LONG), Claim::Duplicate);

        release(&store, "never claimed");
        assert_eq!(len(&store), 2);
    }

    #[test]
    fn clones_share_claims() {
        let store = MemoryStore::default();
        let worker = store.clone();
        assert_eq!(claim(&store, "a", LONG), Claim::Claimed);
        assert_eq!(claim(&worker, "a", LONG), Claim::Duplicate);
        release(&worker, "a");
        assert_eq!(claim(&store, "a", LONG), Claim::Claimed);
    }

    #[test]
    fn claims_expire() {
        let store = MemoryStore::new(10);
        let ttl = Duration::from_millis(30);
        assert_eq!(claim(&store, "a", ttl), Claim::Claimed);
        assert_eq!(claim(&store, "b", LONG), Claim::Claimed);
        assert_eq!(claim(&store, "a", ttl), Claim::Duplicate);

        thread::sleep(Duration::from_millis(40));
        assert_eq!(claim(&store, "a", ttl), Claim::Claimed);
        assert_eq!(claim(&store, "b", LONG), Claim::Duplicate);
        assert_eq!(claim(&store, "a", ttl), Claim::Duplicate);
    }

    #[test]
    fn zero_and_huge_ttls() {
        let store = MemoryStore::new(10);
        assert_eq!(claim(&store, "zero", Duration::ZERO), Claim::Claimed);
        assert_eq!(claim(&store, "zero", Duration::ZERO), Claim::Claimed);
        assert_eq!(claim(&store, "max", Duration::MAX), Claim::Claimed);
        assert_eq!(claim(&store, "max", Duration::MAX), Claim::Duplicate);
    }

    #[test]
    fn expired_claims_are_dropped_before_evicting() {
        let store = MemoryStore::new(2);
        assert_eq!(
            claim(&store, "short", Duration::from_millis(30)),
            Claim::Claimed
        );
        assert_eq!(claim(&store, "long", LONG), Claim::Claimed);

        thread::sleep(Duration::from_millis(40));
        assert_eq!(claim(&store, "new", LONG), Claim::Claimed);
        assert_eq!(len(&store), 2);
        assert_eq!(claim(&store, "long", LONG), Claim::Duplicate);
        assert_eq!(claim(&store, "new", LONG), Claim::Duplicate);
    }

    #[test]
    fn full_store_evicts_the_oldest_claim() {
        let store = MemoryStore::new(3);
        for key in ["a", "b", "c"] {
            assert_eq!(claim(&store, key, LONG), Claim::Claimed);
        }
        // A duplicate takes no room.
        assert_eq!(claim(&store, "a", LONG), Claim::Duplicate);
        assert_eq!(len(&store), 3);

        assert_eq!(claim(&store, "d", LONG), Claim::Claimed);
        assert_eq!(len(&store), 3);
        for key in ["b", "c", "d"] {
            assert_eq!(claim(&store, key, LONG), Claim::Duplicate, "{key}");
        }
        // "a" was evicted, so it is claimed again, which evicts "b".
        assert_eq!(claim(&store, "a", LONG), Claim::Claimed);
        assert_eq!(claim(&store, "b", LONG), Claim::Claimed);
        assert_eq!(claim(&store, "d", LONG), Claim::Duplicate);
    }

    #[test]
    fn store_never_grows_past_its_bound() {
        let store = MemoryStore::new(100);
        for i in 0..1_000 {
            assert_eq!(claim(&store, &format!("k{i}"), LONG), Claim::Claimed);
            if i % 3 == 0 {
                release(&store, &format!("k{}", i / 2));
            }
            assert!(len(&store) <= 100);
        }
        assert_eq!(len(&store), 100);
        // The newest 100 survived.
        assert_eq!(claim(&store, "k999", LONG), Claim::Duplicate);
        assert_eq!(claim(&store, "k900", LONG), Claim::Duplicate);
    }

    #[test]
    fn one_of_many_threads_claims_a_key() {
        const THREADS: usize = 8;
        const KEYS: usize = 200;
        let store = MemoryStore::default();
        let barrier = Arc::new(Barrier::new(THREADS));
        let handles: Vec<_> = (0..THREADS)
            .map(|_| {
                let store = store.clone();
                let barrier = Arc::clone(&barrier);
                thread::spawn(move || {
                    barrier.wait();
                    (0..KEYS)
                        .map(|k| claim(&store, &format!("key-{k}"), LONG))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        let results: Vec<Vec<Claim>> = handles
            .into_iter()
            .map(|handle| handle.join().unwrap())
            .collect();
        for k in 0..KEYS {
            let claimed = results
                .iter()
                .filter(|claims| claims[k] == Claim::Claimed)
                .count();
            assert_eq!(claimed, 1, "key-{k}");
        }
        assert_eq!(len(&store), KEYS);
    }

    #[test]
    fn store_error_displays_its_message() {
        let error = StoreError::new("connection refused");
        assert_eq!(error.to_string(), "connection refused");
        let _: &dyn std::error::Error = &error;
    }
}
