//! [`CallbackTask`]: an accepted callback as a durable task.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use crate::{
    meta::CallbackMeta,
    model::{AnyEvent, CallbackBody, Platform},
};

/// The apalis queue name of callback tasks in every backend: fixed, so that moving the task
/// type to another module does not strand the tasks already queued (apalis' default name
/// is the type's path).
pub const QUEUE_NAME: &str = "tim_callbacks";

/// An accepted callback, as the worker receives it: the command, the URL metadata, when it
/// arrived, the event in Tencent's own JSON shape, and the callback's duplicate key.
///
/// The event is stored as the JSON Tencent sent (re-encoded from the typed
/// [`AnyEvent`]), not in a shape of this crate's, so a task queued by one version of the
/// crate still decodes after an upgrade; [`event`](Self::event) decodes it. Fields added
/// later get defaults, and fields a task does not know are ignored.
///
/// Delivery is at least once: a task whose work was done but not yet marked done when the
/// process died runs again. Make the work idempotent with [`key`](Self::key), e.g. as a
/// unique column.
///
/// ```
/// use actix_tim_callback::{model::AnyEvent, CallbackTask};
///
/// async fn archive(task: CallbackTask) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
///     match task.event()? {
///         AnyEvent::GroupAfterSendMsg(msg) => println!("{:?} in {}", msg.msg_seq, msg.group_id),
///         other => println!("{} ({})", other.command(), task.key),
///     }
///     Ok(())
/// }
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CallbackTask {
    /// `CallbackCommand`, e.g. `Group.CallbackAfterSendMsg` (the query's, else the body's).
    pub command: String,
    /// `SdkAppid`, as checked by the middleware.
    pub sdk_app_id: u64,
    /// `ClientIP`.
    #[serde(default)]
    pub client_ip: Option<String>,
    /// `OptPlatform`.
    #[serde(default)]
    pub platform: Option<Platform>,
    /// `RequestTime`, when the signature was checked (see [`CallbackMeta::request_time`]).
    #[serde(default)]
    pub request_time: Option<u64>,
    /// When the callback arrived, in Unix milliseconds.
    pub received_at_ms: u64,
    /// The callback's duplicate key: the same for every delivery of one callback.
    pub key: String,
    /// The body as JSON, in Tencent's shape.
    pub event: serde_json::Value,
}

impl CallbackTask {
    /// A task for `event`, received with `meta` at `received_at`, with duplicate key `key`.
    ///
    /// The queue's handler makes these; this is for a worker's own tests.
    pub fn new(
        meta: &CallbackMeta,
        event: &AnyEvent,
        received_at: SystemTime,
        key: impl Into<String>,
    ) -> Result<Self, serde_json::Error> {
        let command = meta.command.as_deref().unwrap_or(event.command());
        let event = serde_json::to_value(event)?;
        Ok(Self::with_body(
            meta,
            command,
            event,
            received_at,
            key.into(),
        ))
    }

    /// A task for the callback `command` whose body is `event`.
    pub(crate) fn with_body(
        meta: &CallbackMeta,
        command: &str,
        event: serde_json::Value,
        received_at: SystemTime,
        key: String,
    ) -> Self {
        Self {
            command: command.to_owned(),
            sdk_app_id: meta.sdk_app_id,
            client_ip: meta.client_ip.clone(),
            platform: meta.platform.clone(),
            request_time: meta.request_time,
            received_at_ms: received_at.duration_since(UNIX_EPOCH).map_or(0, |since| {
                u64::try_from(since.as_millis()).unwrap_or(u64::MAX)
            }),
            key,
            event,
        }
    }

    /// The event, decoded by its command as the handler of a `Callback<AnyEvent>` gets it.
    pub fn event(&self) -> Result<AnyEvent, serde_json::Error> {
        AnyEvent::deserialize_command(&self.command, &self.event)
    }

    /// The URL metadata of the callback.
    pub fn meta(&self) -> CallbackMeta {
        CallbackMeta {
            sdk_app_id: self.sdk_app_id,
            command: Some(self.command.clone()),
            client_ip: self.client_ip.clone(),
            platform: self.platform.clone(),
            request_time: self.request_time,
        }
    }

    /// When the callback arrived.
    pub fn received_at(&self) -> SystemTime {
        UNIX_EPOCH + Duration::from_millis(self.received_at_ms)
    }
}
