//! `State.*`: users going online and offline.

use serde::{Deserialize, Serialize};

use super::serde_helpers::NumberOrString;
use super::Platform;

/// `State.StateChange`: a user went online, went offline or was disconnected.
///
/// An after-callback: Tencent only checks that the reply is OK.
/// [Tencent's page](https://www.tencentcloud.com/document/product/1047/34357)
#[serde_with::serde_as]
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct StateChange {
    /// `CallbackCommand`: `State.StateChange`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub callback_command: String,
    /// `Info`: who changed state, how and why.
    pub info: StateInfo,
    /// `KickedDevice`: the devices logged out by this login (present only for a `Login`
    /// that kicked other devices off).
    #[serde(default)]
    pub kicked_device: Vec<KickedDevice>,
    /// `EventTime`: when the event happened, in Unix milliseconds (a number or a string on
    /// the wire).
    #[serde_as(as = "Option<NumberOrString>")]
    pub event_time: Option<u64>,
}

/// The `Info` of a [`StateChange`].
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct StateInfo {
    /// `Action`: `Login` (a connection was set up), `Logout` (the user logged out),
    /// `Disconnect` (the connection was lost) or, per the Chinese page,
    /// `CustomStatusChange` (the user set a custom status).
    pub action: String,
    /// `To_Account`: the user whose state changed.
    #[serde(rename = "To_Account")]
    pub to_account: String,
    /// `Reason`: why. For `Login`: `Register` (connected, or reconnected after a network
    /// loss); for `Logout`: `Unregister`; for `Disconnect`: `LinkClose` (the connection was
    /// closed, e.g. the app was killed) or `TimeOut` (no heartbeat for 400 seconds); for
    /// `CustomStatusChange`: `SetCustomStatus`.
    pub reason: Option<String>,
    /// `CustomStatus`: the user's custom status after the change, for a
    /// `CustomStatusChange`. Only the Chinese page prints it
    /// (tencentcloud.com/zh/document/product/1047/34357), in its table among `Info`'s fields
    /// (after `Reason`, before `KickedDevice`); no sample shows it.
    pub custom_status: Option<String>,
}

/// A device logged out by another login, an item of [`StateChange::kicked_device`].
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct KickedDevice {
    /// `Platform`: the platform of the kicked device (`iOS`, `Android`, `Web`, `Windows`,
    /// `iPad`, `Mac`, `Linux`, ...).
    pub platform: Option<Platform>,
}
