//! [`CallbackTask`]: an accepted callback as a durable task.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

use crate::{
    log::unix_millis,
    meta::CallbackMeta,
    model::{AnyEvent, CallbackBody, Platform},
};

/// The apalis queue name of callback tasks in every backend: fixed, so that moving the task
/// type to another module does not strand the tasks already queued (apalis' default name
/// is the type's path).
pub const QUEUE_NAME: &str = "tim_callbacks";

/// An accepted callback, as the worker receives it: the command, the URL metadata, when it
/// arrived, the body exactly as Tencent sent it, and the callback's duplicate key.
///
/// The body is stored as the bytes Tencent sent (a JSON [`RawValue`]: neither parsed into
/// this crate's types nor written again when the task is queued), so a task queued by one
/// version of the crate still decodes after an upgrade, with every field Tencent sent;
/// [`event`](Self::event) decodes it, once, in the worker. Tasks queued before 0.2, whose
/// body was stored as `event`, are read the same way. Fields added later get defaults, and
/// fields a task does not know are ignored.
///
/// Delivery is at least once: a task whose work was done but not yet marked done when the
/// process died runs again. Make the work idempotent with [`key`](Self::key), e.g. as a
/// unique column.
///
/// ```
/// use actix_tim_callback::{model::AnyEvent, queue::CallbackTask};
///
/// async fn archive(task: CallbackTask) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
///     match task.event()? {
///         AnyEvent::GroupAfterSendMsg(msg) => println!("{:?} in {}", msg.msg_seq, msg.group_id),
///         other => println!("{} ({})", other.command(), task.key),
///     }
///     Ok(())
/// }
/// # let task: CallbackTask = serde_json::from_str(r#"{"command":"Group.CallbackAfterSendMsg",
/// #     "sdk_app_id":1400000000,"received_at_ms":0,"key":"k",
/// #     "body":{"GroupId":"@TGS#1","From_Account":"a","MsgSeq":7}}"#)?;
/// # assert_eq!(task.body.get(), r#"{"GroupId":"@TGS#1","From_Account":"a","MsgSeq":7}"#);
/// # actix_web::rt::System::new().block_on(archive(task))?;
/// # Ok::<(), Box<dyn std::error::Error + Send + Sync>>(())
/// ```
#[derive(Debug, Clone, Serialize, Deserialize)]
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
    /// The body, exactly as Tencent sent it (`event` in tasks queued before 0.2).
    #[serde(alias = "event")]
    pub body: Box<RawValue>,
    /// The W3C `traceparent` of the callback's `tim_callback` span when [`enqueue`] queued
    /// it (feature `opentelemetry`, with a `tracing_opentelemetry` layer installed), which
    /// the span of each attempt in the worker links to. `None` otherwise, and in tasks
    /// queued by older versions; not written when `None`, so such a task is stored as
    /// before.
    ///
    /// [`enqueue`]: super::enqueue
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub traceparent: Option<String>,
    /// The W3C `tracestate` of that span (the vendors' entries its trace carries, such as a
    /// sampler's), which the worker's link keeps. `None` when the span has none, and
    /// whenever [`traceparent`](Self::traceparent) is `None`; not written when `None`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tracestate: Option<String>,
}

impl CallbackTask {
    /// A task for `event`, received with `meta` at `received_at`, with duplicate key `key`.
    ///
    /// The queue's handler makes these from the body as sent; this is for a worker's own
    /// tests.
    pub fn new(
        meta: &CallbackMeta,
        event: &AnyEvent,
        received_at: SystemTime,
        key: impl Into<String>,
    ) -> Result<Self, serde_json::Error> {
        let command = meta.command.as_deref().unwrap_or(event.command());
        let body = serde_json::value::to_raw_value(event)?;
        Ok(Self::with_body(
            meta,
            command,
            body,
            received_at,
            key.into(),
        ))
    }

    /// A task for the callback `command` whose body is `body`.
    pub(crate) fn with_body(
        meta: &CallbackMeta,
        command: &str,
        body: Box<RawValue>,
        received_at: SystemTime,
        key: String,
    ) -> Self {
        Self {
            command: command.to_owned(),
            sdk_app_id: meta.sdk_app_id,
            client_ip: meta.client_ip.clone(),
            platform: meta.platform.clone(),
            request_time: meta.request_time,
            received_at_ms: unix_millis(received_at),
            key,
            body,
            traceparent: None,
            tracestate: None,
        }
    }

    /// The event, decoded by its command as the handler of a `Callback<AnyEvent>` gets it.
    pub fn event(&self) -> Result<AnyEvent, serde_json::Error> {
        self.decode()
    }

    /// The body decoded as `T` (an event type, or [`AnyEvent`]), as the handler of a
    /// `Callback<T>` gets it; an error when `T` does not take the task's command.
    pub fn decode<T: CallbackBody>(&self) -> Result<T, serde_json::Error> {
        if !T::accepts(&self.command) {
            return Err(serde::de::Error::custom(format_args!(
                "a task of {} is not {}",
                self.command,
                T::expected()
            )));
        }
        let mut json = serde_json::Deserializer::from_str(self.body.get());
        let event = T::deserialize_command(&self.command, &mut json)?;
        json.end()?;
        Ok(event)
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
