//! What the middleware checks: the app id, the optional token, the replay window and the
//! body limit.

use std::{fmt, time::Duration};

use crate::signature::SigningKey;

/// Settings of the [`TimCallback`](crate::TimCallback) middleware.
///
/// Built from the application's SDKAppID; everything else has a safe default.
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
    pub(crate) key: Option<SigningKey>,
    pub(crate) replay_window: Duration,
    pub(crate) body_limit: usize,
    pub(crate) unhandled: UnhandledCommands,
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

    /// Settings for the application with this SDKAppID, without callback authentication.
    pub fn new(sdk_app_id: u64) -> Self {
        Self {
            sdk_app_id,
            key: None,
            replay_window: Self::DEFAULT_REPLAY_WINDOW,
            body_limit: Self::DEFAULT_BODY_LIMIT,
            unhandled: UnhandledCommands::Ack,
        }
    }

    /// Turns on signature checks with the callback token from the IM console: every
    /// request must then carry `RequestTime` and `Sign = sha256(token + RequestTime)`.
    pub fn token(mut self, token: impl AsRef<str>) -> Self {
        self.key = Some(SigningKey::new(token.as_ref()));
        self
    }

    /// How far `RequestTime` may be from now, in the past or the future (default 60 s).
    pub fn replay_window(mut self, window: Duration) -> Self {
        self.replay_window = window;
        self
    }

    /// The largest body the extractors read, in bytes (default 256 KiB).
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

    /// Whether signatures are checked.
    pub fn verifies_signatures(&self) -> bool {
        self.key.is_some()
    }
}

impl fmt::Debug for CallbackConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CallbackConfig")
            .field("sdk_app_id", &self.sdk_app_id)
            .field("token", &self.key.as_ref().map(|_| "<redacted>"))
            .field("replay_window", &self.replay_window)
            .field("body_limit", &self.body_limit)
            .field("unhandled", &self.unhandled)
            .finish()
    }
}
