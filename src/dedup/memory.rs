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
