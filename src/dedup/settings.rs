//! [`Dedup`]: duplicate suppression's settings, given to
//! [`CallbackConfig::dedup`](crate::CallbackConfig::dedup) as one value.

use std::{fmt, sync::Arc, time::Duration};

use super::DedupStore;

/// Duplicate suppression: the store, and how the middleware uses it.
///
/// A callback already handled (a retry after a timeout, a replay of a captured request,
/// the same callback reaching another instance) gets **the reply the first delivery got**,
/// without reaching its handler, and is counted. After the body is read, the callback is
/// claimed in the store under a key from what Tencent documents as unique: `MsgKey` for
/// one-to-one messages, `GroupId` and `MsgSeq` for group messages after send, else a digest
/// of `SdkAppid`, the command and the exact body. The claim covers every route, whatever
/// its handler takes:
///
/// - a handler that succeeds completes the claim with its reply (the OK reply, or a
///   before-callback's verdict), kept for the [`ttl`](Self::ttl);
/// - a handler that fails or panics releases it, so a retry is handled;
/// - a delivery that arrives while another is being handled waits up to
///   [`wait`](Self::wait) for its outcome, then is answered
///   [`CallbackError::InFlight`](crate::CallbackError::InFlight) (409): never OK before the
///   first delivery succeeded.
///
/// | method | default | meaning |
/// | --- | --- | --- |
/// | [`new(store)`](Self::new) | required | a [`MemoryStore`](super::MemoryStore) for one instance, a `RedisStore` (feature `redis`) for several |
/// | [`ttl(d)`](Self::ttl) | 10 min | how long a handled callback's reply is kept (at least twice the replay window) |
/// | [`timeout(d)`](Self::timeout) | 250 ms | how long each store call may take |
/// | [`wait(d)`](Self::wait) | 1 s | how long a copy waits for a first delivery still in its handler |
/// | [`on_store_failure(f)`](Self::on_store_failure) | `Accept` | a store that cannot answer: fail open (warn, count) or `503` |
/// | [`before_callbacks(b)`](Self::before_callbacks) | `true` | replay before-callbacks' verdicts too, or re-run their handler |
///
/// A store alone is the default settings: `.dedup(MemoryStore::default())`.
///
/// ```
/// use std::time::Duration;
/// use actix_tim_callback::{dedup::{Dedup, MemoryStore}, CallbackConfig, TimCallback};
///
/// // Built once, outside `HttpServer::new`, so every worker shares the store.
/// let tim = TimCallback::new(
///     CallbackConfig::new(1400000000)
///         .token("token")
///         .dedup(Dedup::new(MemoryStore::default()).ttl(Duration::from_secs(3600))),
/// );
/// # let _ = tim;
/// ```
#[derive(Clone)]
pub struct Dedup {
    pub(crate) store: Arc<dyn DedupStore>,
    /// The store's type, for the start-up log line.
    pub(crate) store_name: &'static str,
    pub(crate) ttl: Duration,
    pub(crate) timeout: Duration,
    pub(crate) wait: Duration,
    pub(crate) on_failure: StoreFailure,
    pub(crate) before_callbacks: bool,
}

impl Dedup {
    /// How long a claimed callback is remembered by default: 10 minutes (never less than
    /// twice the replay window, as a captured request stays valid that long).
    pub const DEFAULT_TTL: Duration = Duration::from_secs(600);

    /// How long the store may take to answer by default: 250 ms, well inside Tencent's 2 s.
    pub const DEFAULT_TIMEOUT: Duration = Duration::from_millis(250);

    /// How long a delivery waits by default for another delivery of the same callback
    /// that is still being handled: 1 s.
    pub const DEFAULT_WAIT: Duration = Duration::from_secs(1);

    /// How long an in-flight claim holds before another delivery may take it over: 30 s,
    /// far past Tencent's 2 s, so only a process that died mid-handler lets it lapse.
    pub const LEASE: Duration = Duration::from_secs(30);

    /// Duplicate suppression in `store`, with the defaults above.
    pub fn new<S: DedupStore>(store: S) -> Self {
        let name = std::any::type_name::<S>();
        Self {
            store: Arc::new(store),
            store_name: name.rsplit("::").next().unwrap_or(name),
            ttl: Self::DEFAULT_TTL,
            timeout: Self::DEFAULT_TIMEOUT,
            wait: Self::DEFAULT_WAIT,
            on_failure: StoreFailure::Accept,
            before_callbacks: true,
        }
    }

    /// How long a handled callback is remembered (default 10 minutes; the middleware makes
    /// it at least twice the replay window).
    pub fn ttl(mut self, ttl: Duration) -> Self {
        self.ttl = ttl;
        self
    }

    /// How long each store call may take (default 250 ms).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// How long a delivery waits for another delivery of the same callback still being
    /// handled (default 1 s), before it is answered
    /// [`CallbackError::InFlight`](crate::CallbackError::InFlight).
    pub fn wait(mut self, wait: Duration) -> Self {
        self.wait = wait;
        self
    }

    /// What to do when the store cannot answer in time (default: accept the callback).
    pub fn on_store_failure(mut self, on_failure: StoreFailure) -> Self {
        self.on_failure = on_failure;
        self
    }

    /// Whether "before" callbacks and the chatbot's, whose reply Tencent reads, are
    /// deduplicated (default `true`: a duplicate gets the first delivery's stored reply).
    /// With `false` every delivery of them runs its handler again, for verdicts that must
    /// be decided afresh each time.
    pub fn before_callbacks(mut self, dedup: bool) -> Self {
        self.before_callbacks = dedup;
        self
    }
}

impl<S: DedupStore> From<S> for Dedup {
    /// Duplicate suppression in `store`, with the default settings.
    fn from(store: S) -> Self {
        Self::new(store)
    }
}

impl fmt::Debug for Dedup {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Dedup")
            .field("store", &self.store_name)
            .field("ttl", &self.ttl)
            .field("timeout", &self.timeout)
            .field("wait", &self.wait)
            .field("on_failure", &self.on_failure)
            .field("before_callbacks", &self.before_callbacks)
            .finish_non_exhaustive()
    }
}

/// What the middleware does when the duplicate store cannot answer in time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum StoreFailure {
    /// Accept the callback as if it were new, log a warning and count it (the default):
    /// a store outage must not turn into lost callbacks.
    #[default]
    Accept,
    /// Answer `503` with a `FAIL` body ([`CallbackError::StoreUnavailable`](crate::CallbackError::StoreUnavailable)),
    /// so that Tencent's retry (where switched on) tries again.
    Reject,
}
