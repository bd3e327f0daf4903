//! [`SdkApp`]: one IM application a middleware takes callbacks of, with its tokens.

use std::{fmt, sync::Arc};

use crate::{error::ConfigError, signature::SigningKey};

/// One IM application: its SDKAppID and, with callback authentication, its token and the
/// tokens still accepted during a rotation.
///
/// A middleware takes the callbacks of the app of
/// [`CallbackConfig::new`](crate::CallbackConfig::new) (configured with
/// [`CallbackConfig::token`](crate::CallbackConfig::token)); add more with
/// [`CallbackConfig::app`](crate::CallbackConfig::app), each with tokens of
/// its own: a test and a production app on one URL, or one service for several apps.
/// [`CallbackMeta::sdk_app_id`](crate::CallbackMeta::sdk_app_id) says which app a callback
/// is of. `Debug` never shows a token.
///
/// ```
/// use actix_tim_callback::{CallbackConfig, SdkApp};
///
/// let config = CallbackConfig::new(1400000000)
///     .token("production token")
///     .app(SdkApp::new(1400000001).token("test token").previous_token("old test token"));
/// assert_eq!(config.sdk_app_ids().collect::<Vec<_>>(), [1400000000, 1400000001]);
/// assert!(config.validate().is_ok());
/// ```
#[derive(Clone)]
pub struct SdkApp {
    pub(crate) sdk_app_id: u64,
    /// The SDKAppID as the metrics label it: built once, shared by every request.
    pub(crate) label: Arc<str>,
    /// The current token first, then the previous ones.
    pub(crate) keys: Vec<SigningKey>,
    /// The first invalid setting.
    pub(crate) error: Option<ConfigError>,
}

impl SdkApp {
    /// The application with this SDKAppID, without callback authentication.
    pub fn new(sdk_app_id: u64) -> Self {
        Self {
            sdk_app_id,
            label: sdk_app_id.to_string().into(),
            keys: Vec::new(),
            error: None,
        }
    }

    /// Its callback token (see [`CallbackConfig::token`](crate::CallbackConfig::token)).
    pub fn token(mut self, token: impl AsRef<str>) -> Self {
        match self.key_for(token.as_ref()) {
            Some(key) if self.keys.is_empty() => self.keys.push(key),
            Some(key) => self.keys[0] = key,
            None => {}
        }
        self
    }

    /// A token still accepted while a change in the console takes effect (see
    /// [`CallbackConfig::previous_token`](crate::CallbackConfig::previous_token)).
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

    /// Its SDKAppID.
    pub fn sdk_app_id(&self) -> u64 {
        self.sdk_app_id
    }

    /// Whether its callbacks' signatures are checked.
    pub fn verifies_signatures(&self) -> bool {
        !self.keys.is_empty()
    }
}

impl fmt::Debug for SdkApp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SdkApp")
            .field("sdk_app_id", &self.sdk_app_id)
            .field("token", &self.keys.first().map(|_| "<redacted>"))
            .field("previous_tokens", &self.keys.len().saturating_sub(1))
            .finish()
    }
}
