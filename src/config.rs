//! What the middleware checks: the app id, the tokens, the replay window and the body
//! limit; and, in production, duplicate suppression and the slow-handler warning.

use std::{fmt, sync::Arc, time::Duration};

use crate::{app::SdkApp, dedup::Dedup, error::ConfigError};

/// Settings of the [`TimCallback`](crate::TimCallback) middleware.
///
/// Built from the application's SDKAppID; everything else has a safe default.
///
/// | method | default | meaning |
/// | --- | --- | --- |
/// | [`new(sdk_app_id)`](Self::new) | required | the SDKAppID every request must carry in `SdkAppid` |
/// | [`token(t)`](Self::token) | off | the callback token from the console: requires `RequestTime` and `Sign = sha256(token + RequestTime)` |
/// | [`previous_token(t)`](Self::previous_token) | none | also accept an earlier token while a change in the console takes effect |
/// | [`app(a)`](Self::app) | none | also take the callbacks of another app ([`SdkApp`]), with tokens of its own |
/// | [`replay_window(d)`](Self::replay_window) | 60 s | how far `RequestTime` may be from now, past or future |
/// | [`body_limit(n)`](Self::body_limit) | 256 KiB | the largest body read; past it `413` and the connection is closed |
/// | [`unhandled_commands(p)`](Self::unhandled_commands) | `Ack` | what commands no route handles get: OK, or `404` FAIL |
/// | [`dedup(d)`](Self::dedup) | off | duplicate suppression: a [`Dedup`] with its own settings, or just a store ([`MemoryStore`](crate::dedup::MemoryStore), `RedisStore`) |
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
    /// The apps whose callbacks are taken: the one of [`new`](Self::new) first.
    pub(crate) apps: Vec<SdkApp>,
    pub(crate) replay_window: Duration,
    pub(crate) body_limit: usize,
    pub(crate) unhandled: UnhandledCommands,
    pub(crate) dedup: Option<Dedup>,
    pub(crate) slow_handler: Duration,
    /// The first invalid setting; the middleware refuses to start with it.
    pub(crate) error: Option<ConfigError>,
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

    /// When a handler is warned about as slow by default: 1.5 s of Tencent's 2 s.
    pub const DEFAULT_SLOW_HANDLER: Duration = Duration::from_millis(1500);

    /// Settings for the application with this SDKAppID, without callback authentication.
    pub fn new(sdk_app_id: u64) -> Self {
        Self {
            apps: vec![SdkApp::new(sdk_app_id)],
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
        self.apps[0] = self.apps[0].clone().token(token);
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
        self.apps[0] = self.apps[0].clone().previous_token(token);
        self
    }

    /// Also takes the callbacks of `app`, checked against its own tokens (see [`SdkApp`]).
    /// An SDKAppID given twice is refused ([`ConfigError::DuplicateApp`]).
    pub fn app(mut self, app: SdkApp) -> Self {
        if self
            .apps
            .iter()
            .any(|known| known.sdk_app_id == app.sdk_app_id)
        {
            self.error.get_or_insert(ConfigError::DuplicateApp {
                sdk_app_id: app.sdk_app_id,
            });
        } else {
            self.apps.push(app);
        }
        self
    }

    /// Turns on duplicate suppression (see [`Dedup`]): a callback already handled gets
    /// the reply the first delivery got, without reaching its handler. Give a store for the
    /// default settings, or a [`Dedup`] with settings of its own.
    ///
    /// ```
    /// use actix_tim_callback::{dedup::MemoryStore, CallbackConfig, TimCallback};
    ///
    /// // Built once, outside `HttpServer::new`, so every worker shares the store; wrap
    /// // the callback scope with it, as without dedup.
    /// let tim = TimCallback::new(CallbackConfig::new(1400000000).token("token").dedup(MemoryStore::default()));
    /// # let _ = tim;
    /// ```
    pub fn dedup(mut self, dedup: impl Into<Dedup>) -> Self {
        self.dedup = Some(dedup.into());
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

    /// The SDKAppID of [`new`](Self::new).
    pub fn sdk_app_id(&self) -> u64 {
        self.apps[0].sdk_app_id
    }

    /// The SDKAppIDs requests may carry: the one of [`new`](Self::new), then the
    /// [`app`](Self::app)s in the order they were added.
    pub fn sdk_app_ids(&self) -> impl Iterator<Item = u64> + '_ {
        self.apps.iter().map(SdkApp::sdk_app_id)
    }

    /// `Ok` when every setting is valid; else the first invalid one. Call it at start-up to
    /// fail before serving; the middleware checks it too.
    pub fn validate(&self) -> Result<(), ConfigError> {
        let first = self
            .apps
            .iter()
            .find_map(|app| app.error.as_ref())
            .or(self.error.as_ref());
        match first {
            Some(err) => Err(err.clone()),
            None => Ok(()),
        }
    }

    /// Whether the signatures of the app of [`new`](Self::new) are checked (each
    /// [`SdkApp`] says so of its own).
    pub fn verifies_signatures(&self) -> bool {
        self.apps[0].verifies_signatures()
    }

    /// The app of this SDKAppID, if it is one of the config's.
    pub(crate) fn app_of(&self, sdk_app_id: u64) -> Option<&SdkApp> {
        self.apps.iter().find(|app| app.sdk_app_id == sdk_app_id)
    }

    /// The metrics label of the app of this SDKAppID (see [`telemetry`](crate::telemetry)).
    pub(crate) fn label_of(&self, sdk_app_id: u64) -> Option<&Arc<str>> {
        self.app_of(sdk_app_id).map(|app| &app.label)
    }
}

impl fmt::Debug for CallbackConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CallbackConfig")
            .field("apps", &self.apps)
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
