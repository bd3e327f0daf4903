//! What the middleware checks: the app id, the optional token, the replay window and the
//! body limit.

use std::{fmt, time::Duration};

use crate::{error::ConfigError, signature::SigningKey};

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

    /// Settings for the application with this SDKAppID, without callback authentication.
    pub fn new(sdk_app_id: u64) -> Self {
        Self {
            sdk_app_id,
            key: None,
            replay_window: Self::DEFAULT_REPLAY_WINDOW,
            body_limit: Self::DEFAULT_BODY_LIMIT,
            unhandled: UnhandledCommands::Ack,
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
        let token = token.as_ref();
        if token.trim().is_empty() {
            self.key = None;
            self.error.get_or_insert(ConfigError::EmptyToken);
        } else {
            self.key = Some(SigningKey::new(token));
        }
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
