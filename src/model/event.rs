use serde::{de::DeserializeOwned, Deserializer};

use crate::reply::CallbackReply;

/// A callback body type, named by the `CallbackCommand` it is sent with.
///
/// The crate's event types get theirs from the catalogue. Implement it to receive any other
/// command through [`Callback`](crate::Callback):
///
/// ```
/// use actix_tim_callback::{model::CallbackEvent, Ack};
/// use serde::Deserialize;
///
/// #[derive(Deserialize)]
/// struct MyCommand {
///     #[serde(rename = "EventTime")]
///     event_time: Option<u64>,
/// }
///
/// impl CallbackEvent for MyCommand {
///     const COMMAND: &'static str = "My.Command";
///     type Reply = Ack;
/// }
/// ```
pub trait CallbackEvent: DeserializeOwned {
    /// The `CallbackCommand` value, e.g. `Group.CallbackSendMsgException`.
    const COMMAND: &'static str;

    /// What a handler answers it with: [`Ack`](crate::Ack) when Tencent only checks for OK,
    /// else the reply Tencent reads (e.g. [`ApprovalReply`](crate::reply::ApprovalReply)).
    type Reply: CallbackReply;
}

/// What [`Callback<T>`](crate::Callback) decodes: the event of one command (every
/// [`CallbackEvent`] is one), or a type that takes several commands and decodes each by
/// its name.
pub trait CallbackBody: Sized {
    /// Whether a request of `command` is for this type.
    fn accepts(command: &str) -> bool;

    /// What this type takes, for error messages: its command, or a description.
    fn expected() -> &'static str;

    /// Decodes the body of a request of `command` (the query's `CallbackCommand`, else the
    /// body's, else empty).
    fn deserialize_command<'de, D: Deserializer<'de>>(
        command: &str,
        deserializer: D,
    ) -> Result<Self, D::Error>;
}

impl<E: CallbackEvent> CallbackBody for E {
    fn accepts(command: &str) -> bool {
        command == E::COMMAND
    }

    fn expected() -> &'static str {
        E::COMMAND
    }

    fn deserialize_command<'de, D: Deserializer<'de>>(
        _: &str,
        deserializer: D,
    ) -> Result<Self, D::Error> {
        E::deserialize(deserializer)
    }
}
