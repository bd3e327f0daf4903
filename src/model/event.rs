use serde::de::DeserializeOwned;

/// A callback body type, named by the `CallbackCommand` it is sent with.
///
/// Implement it to receive any command through [`Callback`](crate::Callback):
///
/// ```
/// use actix_tim_callback::model::CallbackEvent;
/// use serde::Deserialize;
///
/// #[derive(Deserialize)]
/// struct StateChange {
///     #[serde(rename = "EventTime")]
///     event_time: Option<u64>,
/// }
///
/// impl CallbackEvent for StateChange {
///     const COMMAND: &'static str = "State.StateChange";
/// }
/// ```
pub trait CallbackEvent: DeserializeOwned {
    /// The `CallbackCommand` value, e.g. `Group.CallbackSendMsgException`.
    const COMMAND: &'static str;
}
