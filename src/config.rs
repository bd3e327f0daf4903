//! What the middleware checks: the app id, the tokens, the replay window and the body
//! limit; and, in production, duplicate suppression and the slow-handler warning.

use std::{fmt, sync::Arc, time::Duration};

use crate::{dedup::DedupStore, error::ConfigError, signature::SigningKey};

/// Settings of the [`TimCallback`](crate::TimCallback) middleware.
///
/// Built from the application's SDKAppID; everything else has a safe default.
///
/// | method | default | meaning |
/// | --- | --- | --- |
/// | [`new(sdk_app_id)`](Self::new) | required | the SDKAppID every request must carry in `SdkAppid` |
/// | [`token(t)`](Self::token) | off | the callback token from the console: requires `RequestTime` and `Sign = sha256(token + RequestTime)` |
/// | [`previous_token(t)`](Self::previous_token) | none | also accept an earlier token while a change in the console takes effect |
/// | [`replay_window(d)`](Self::replay_window) | 60 s | how far `RequestTime` may be from now, past or future |
/// | [`body_limit(n)`](Self::body_limit) | 256 KiB | the largest body read; past it `413` and the connection is closed |
/// | [`unhandled_commands(p)`](Self::unhandled_commands) | `Ack` | what commands no route handles get: OK, or `404` FAIL |
/// | [`dedup(store)`](Self::dedup) | off | duplicate suppression in a [`MemoryStore`](crate::MemoryStore) or a `RedisStore` (feature `redis`) |
/// | [`dedup_ttl(d)`](Self::dedup_ttl) | 10 min | how long a handled callback's reply is kept (at least twice the replay window) |
/// | [`dedup_timeout(d)`](Self::dedup_timeout) | 250 ms | how long each store call may take |
/// | [`dedup_wait(d)`](Self::dedup_wait) | 1 s | how long a copy waits for a first delivery still in its handler |
/// | [`dedup_store_failure(f)`](Self::dedup_store_failure) | `Accept` | a store that cannot answer: fail open (warn, count) or `503` |
/// | [`dedup_before_callbacks(b)`](Self::dedup_before_callbacks) | `true` | replay before-callbacks' verdicts too, or re-run their handler |
/// | [`slow_handler_warning(d)`](Self::slow_handler_warning) | 1.5 s | warn when a handler takes longer (Tencent gives up after 2 s) |
///
/// `Debug` of the config never shows the token; no log line or error shows the token or a
/// full `Sign`.
///
/// ```
/// use std::time::Duration;
/// use actix_tim_callback::{CallbackConfig, UnhandledCommands};
///
/// let config = CallbackConfig::new(1400000000)
///     .token("the callback token from the IM console")
///     .replay_window(Duration::from_secs(30))
///     .body_limit(64 * 1024)
///     .unhandled_commands(UnhandledCommands::Ack);
/// assert_eq!(config.sdk_app_id(), 1400000000);
/// // The token never shows in logs:
/// assert!(!format!("{config:?}").contains("callback token"));
/// ```
#[derive(Clone)]
pub struct CallbackConfig {
    pub(crate) sdk_app_id: u64,
    /// The current token first, then the previous ones.
    pub(crate) keys: Vec<SigningKey>,
    pub(crate) replay_window: Duration,
    pub(crate) body_limit: usize,
    pub(crate) unhandled: UnhandledCommands,
    pub(crate) dedup: Option<Dedup>,
    pub(crate) slow_handler: Duration,
    /// The first invalid setting; the middleware refuses to start with it.
    pub(crate) error: Option<ConfigError>,
}

/// The duplicate-suppression settings.
#[derive(Clone)]
pub(crate) struct Dedup {
    pub(crate) store: Arc<dyn DedupStore>,
    pub(crate) ttl: Duration,
    pub(crate) timeout: Duration,
    pub(crate) wait: Duration,
    pub(crate) on_failure: StoreFailure,
    pub(crate) before_callbacks: bool,
}

impl fmt::Debug for Dedup {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Dedup")
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

/// What the middleware answers for a `CallbackCommand` no route handles.
///
/// The IM backend sends every callback switched on in the console to the one URL, so
/// switching a new one on must not start failing requests before the app handles it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum UnhandledCommands {
    /// Reply OK and log the command at info level (the default).
    #[default]
    Ack,
    /// Reply `404` with a `FAIL` body, so the console shows the callback as failed.
    Reject,
}

impl CallbackConfig {
    /// The default replay window: `RequestTime` may be at most 60 s from now, as Tencent
    /// advises.
    pub const DEFAULT_REPLAY_WINDOW: Duration = Duration::from_secs(60);

    /// The default body limit, 256 KiB: real callbacks are a few KB (Tencent caps a
    /// message at 12 KB and sends larger forwarded messages by reference).
    pub const DEFAULT_BODY_LIMIT: usize = 256 * 1024;

    /// How long a claimed callback is remembered by default: 10 minutes (never less than
    /// twice the replay window, as a captured request stays valid that long).
    pub const DEFAULT_DEDUP_TTL: Duration = Duration::from_secs(600);

    /// How long the duplicate store may take to answer by default: 250 ms, well inside
    /// Tencent's 2 s.
    pub const DEFAULT_DEDUP_TIMEOUT: Duration = Duration::from_millis(250);

    /// How long a delivery waits by default for another delivery of the same callback
    /// that is still being handled: 1 s.
    pub const DEFAULT_DEDUP_WAIT: Duration = Duration::from_secs(1);

    /// How long an in-flight claim holds before another delivery may take it over: 30 s,
    /// far past Tencent's 2 s, so only a process that died mid-handler lets it lapse.
    pub const DEDUP_LEASE: Duration = Duration::from_secs(30);

    /// When a handler is warned about as slow by default: 1.5 s of Tencent's 2 s.
    pub const DEFAULT_SLOW_HANDLER: Duration = Duration::from_millis(1500);

    /// Settings for the application with this SDKAppID, without callback authentication.
    pub fn new(sdk_app_id: u64) -> Self {
        Self {
            sdk_app_id,
            keys: Vec::new(),
            replay_window: Self::DEFAULT_REPLAY_WINDOW,
            body_limit: Self::DEFAULT_BODY_LIMIT,
            unhandled: UnhandledCommands::Ack,
            dedup: None,
            slow_handler: Self::DEFAULT_SLOW_HANDLER,
            error: None,
        }
    }

    /// Turns on signature checks with the callback token from the IM console: every
    /// request must then carry `RequestTime` and `Sign = sha256(token + RequestTime)`.
    ///
    /// An empty or blank token is refused: anyone could compute its signatures. The
    /// configuration then reports [`ConfigError::EmptyToken`] from
    /// [`validate`](Self::validate), and the middleware logs it and refuses to start (as
    /// actix-cors does for an invalid origin). Leave `token` out to run unsigned.
    ///
    /// ```
    /// use actix_tim_callback::{CallbackConfig, ConfigError};
    ///
    /// let config = CallbackConfig::new(1400000000).token("  ");
    /// assert_eq!(config.validate(), Err(ConfigError::EmptyToken));
    /// ```
    pub fn token(mut self, token: impl AsRef<str>) -> Self {
        match self.key_for(token.as_ref()) {
            Some(key) if self.keys.is_empty() => self.keys.push(key),
            Some(key) => self.keys[0] = key,
            None => {}
        }
        self
    }

    /// Also accepts requests signed with an earlier token, while a change of token in the
    /// IM console takes effect (Tencent applies it about 2 minutes after saving). Call it
    /// after [`token`](Self::token), once per token still accepted; which token signed each
    /// request is logged at debug level and counted (feature `metrics`), so you know when
    /// the old one can go. A blank token is refused as in `token`.
    ///
    /// ```
    /// use actix_tim_callback::CallbackConfig;
    ///
    /// let config = CallbackConfig::new(1400000000)
    ///     .token("the new token")
    ///     .previous_token("the old token");
    /// assert!(config.validate().is_ok());
    /// ```
    pub fn previous_token(mut self, token: impl AsRef<str>) -> Self {
        if self.keys.is_empty() {
            self.error
                .get_or_insert(ConfigError::PreviousTokenWithoutToken);
        }
        if let Some(key) = self.key_for(token.as_ref()) {
            self.keys.push(key);
        }
        self
    }

    fn key_for(&mut self, token: &str) -> Option<SigningKey> {
        if token.trim().is_empty() {
            self.error.get_or_insert(ConfigError::EmptyToken);
            return None;
        }
        Some(SigningKey::new(token))
    }

    /// Turns on duplicate suppression with `store`: a callback already handled (a retry
    /// after a timeout, a replay of a captured request, the same callback reaching another
    /// instance) gets **the reply the first delivery got**, without reaching its handler,
    /// and is counted.
    ///
    /// After the body is read, the callback is claimed in the store under a key from what
    /// Tencent documents as unique: `MsgKey` for one-to-one messages, `GroupId` and
    /// `MsgSeq` for group messages after send, else a digest of `SdkAppid`, the command and
    /// the exact body. The claim covers every route, whatever its handler takes:
    ///
    /// - a handler that succeeds completes the claim with its reply (the OK reply, or a
    ///   before-callback's verdict), kept for [`dedup_ttl`](Self::dedup_ttl);
    /// - a handler that fails or panics releases it, so a retry is handled;
    /// - a delivery that arrives while another is being handled waits up to
    ///   [`dedup_wait`](Self::dedup_wait) for its outcome, then is answered
    ///   [`CallbackError::InFlight`](crate::CallbackError::InFlight) (409): never OK before
    ///   the first delivery succeeded.
    ///
    /// Before-callbacks are deduplicated too: their stored verdict is replayed, so a
    /// duplicate friend check or message check gets the same answer as the first (see
    /// [`dedup_before_callbacks`](Self::dedup_before_callbacks) to re-run them instead).
    ///
    /// Use a [`MemoryStore`](crate::MemoryStore) for one instance, a `RedisStore` (feature
    /// `redis`) for several.
    ///
    /// ```
    /// use actix_tim_callback::{CallbackConfig, MemoryStore, TimCallback};
    ///
    /// // Built once, outside `HttpServer::new`, so every worker shares the store.
    /// let tim = TimCallback::new(CallbackConfig::new(1400000000).token("token").dedup(MemoryStore::default()));
    /// // HttpServer::new(move || App::new().wrap(tim.clone()) ...)
    /// ```
    pub fn dedup(mut self, store: impl DedupStore) -> Self {
        self.dedup = Some(Dedup {
            store: Arc::new(store),
            ttl: Self::DEFAULT_DEDUP_TTL,
            timeout: Self::DEFAULT_DEDUP_TIMEOUT,
            wait: Self::DEFAULT_DEDUP_WAIT,
            on_failure: StoreFailure::Accept,
            before_callbacks: true,
        });
        self
    }

    /// How long a handled callback is remembered (default 10 minutes; never less than twice
    /// the replay window). Has no effect without [`dedup`](Self::dedup).
    pub fn dedup_ttl(mut self, ttl: Duration) -> Self {
        if let Some(dedup) = &mut self.dedup {
            dedup.ttl = ttl;
        }
        self
    }

    /// How long each store call may take (default 250 ms). Has no effect without
    /// [`dedup`](Self::dedup).
    pub fn dedup_timeout(mut self, timeout: Duration) -> Self {
        if let Some(dedup) = &mut self.dedup {
            dedup.timeout = timeout;
        }
        self
    }

    /// How long a delivery waits for another delivery of the same callback still being
    /// handled (default 1 s), before it is answered
    /// [`CallbackError::InFlight`](crate::CallbackError::InFlight). Has no effect without
    /// [`dedup`](Self::dedup).
    pub fn dedup_wait(mut self, wait: Duration) -> Self {
        if let Some(dedup) = &mut self.dedup {
            dedup.wait = wait;
        }
        self
    }

    /// What to do when the store cannot answer in time (default: accept the callback).
    pub fn dedup_store_failure(mut self, on_failure: StoreFailure) -> Self {
        if let Some(dedup) = &mut self.dedup {
            dedup.on_failure = on_failure;
        }
        self
    }

    /// Whether "before" callbacks and the chatbot's, whose reply Tencent reads, are
    /// deduplicated (default `true`: a duplicate gets the first delivery's stored reply).
    /// With `false` every delivery of them runs its handler again, for verdicts that must
    /// be decided afresh each time.
    pub fn dedup_before_callbacks(mut self, dedup: bool) -> Self {
        if let Some(settings) = &mut self.dedup {
            settings.before_callbacks = dedup;
        }
        self
    }

    /// Warns about a handler that takes longer than `after` (default 1.5 s of Tencent's
    /// 2 s budget): past 2 s the IM backend counts the callback as failed.
    pub fn slow_handler_warning(mut self, after: Duration) -> Self {
        self.slow_handler = after;
        self
    }

    /// How far `RequestTime` may be from now, in the past or the future (default 60 s).
    pub fn replay_window(mut self, window: Duration) -> Self {
        self.replay_window = window;
        self
    }

    /// The largest body the middleware reads, in bytes (default 256 KiB); a larger one is
    /// answered `413` and the connection closed.
    pub fn body_limit(mut self, limit: usize) -> Self {
        self.body_limit = limit;
        self
    }

    /// What to answer for commands no route handles (default: [`UnhandledCommands::Ack`]).
    pub fn unhandled_commands(mut self, policy: UnhandledCommands) -> Self {
        self.unhandled = policy;
        self
    }

    /// The SDKAppID requests must carry.
    pub fn sdk_app_id(&self) -> u64 {
        self.sdk_app_id
    }

    /// `Ok` when every setting is valid; else the first invalid one. Call it at start-up to
    /// fail before serving; the middleware checks it too.
    pub fn validate(&self) -> Result<(), ConfigError> {
        match &self.error {
            Some(err) => Err(err.clone()),
            None => Ok(()),
        }
    }

    /// Whether signatures are checked.
    pub fn verifies_signatures(&self) -> bool {
        !self.keys.is_empty()
    }
}

impl fmt::Debug for CallbackConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CallbackConfig")
            .field("sdk_app_id", &self.sdk_app_id)
            .field("token", &self.keys.first().map(|_| "<redacted>"))
            .field("previous_tokens", &self.keys.len().saturating_sub(1))
            .field("replay_window", &self.replay_window)
            .field("body_limit", &self.body_limit)
            .field("unhandled", &self.unhandled)
            .field("dedup", &self.dedup)
            .field("slow_handler", &self.slow_handler)
            .field("error", &self.error)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_or_blank_tokens_are_refused_and_never_sign() {
        for token in ["", " ", "\t\n "] {
            let config = CallbackConfig::new(1).token(token);
            assert_eq!(config.validate(), Err(ConfigError::EmptyToken), "{token:?}");
            assert!(!config.verifies_signatures());
        }
        // A later valid token does not hide the mistake.
        let config = CallbackConfig::new(1).token("").token("real");
        assert_eq!(config.validate(), Err(ConfigError::EmptyToken));
    }

    #[test]
    fn a_real_token_is_valid() {
        let config = CallbackConfig::new(1).token(" padded token ");
        assert_eq!(config.validate(), Ok(()));
        assert!(config.verifies_signatures());
        assert_eq!(CallbackConfig::new(1).validate(), Ok(()));
    }
}
