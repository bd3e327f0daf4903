use serde::{de::DeserializeOwned, Deserializer};

use super::AnyEvent;
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
///
/// async fn on_my_command(cb: actix_tim_callback::Callback<MyCommand>) -> Ack {
///     println!("{:?}", cb.event_time);
///     Ack
/// }
/// # actix_web::rt::System::new().block_on(async {
/// # use actix_web::{test, web, App};
/// # let app = test::init_service(App::new().service(web::scope("/cb").wrap(actix_tim_callback::TimCallback::new(actix_tim_callback::CallbackConfig::new(1400000000))).route("", web::post().guard(actix_tim_callback::command::<MyCommand>()).to(on_my_command)))).await;
/// # let req = actix_tim_callback::testkit::TestCallback::new("My.Command", r#"{"EventTime":1}"#).path("/cb").to_request();
/// # assert_eq!(test::read_body(test::call_service(&app, req).await).await, actix_tim_callback::reply::OK_BODY);
/// # });
/// ```
pub trait CallbackEvent: DeserializeOwned {
    /// The `CallbackCommand` value, e.g. `Group.CallbackSendMsgException`.
    const COMMAND: &'static str;

    /// What a handler answers it with: [`Ack`](crate::Ack) when Tencent only checks for OK,
    /// else the reply Tencent reads (e.g. [`ApprovalReply`](crate::reply::ApprovalReply)).
    type Reply: CallbackReply;

    /// The event out of an [`AnyEvent`] of its variant, or the `AnyEvent` back. The crate's
    /// event types take theirs; keep the default (`Err`) for your own.
    fn from_any(event: AnyEvent) -> Result<Self, AnyEvent> {
        Err(event)
    }

    /// The `CallbackCommand` the body names, when it names one: the extractor refuses a
    /// body whose command is not the request's. The crate's event types give theirs; the
    /// default is `None` (not checked).
    fn callback_command(&self) -> Option<&str> {
        None
    }
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

    /// This type out of an event already decoded as an [`AnyEvent`], or the `AnyEvent`
    /// back (the default): the extractor then decodes the body itself.
    fn from_any(event: AnyEvent) -> Result<Self, AnyEvent> {
        Err(event)
    }

    /// The `CallbackCommand` the decoded body names, if any (see
    /// [`CallbackEvent::callback_command`]).
    fn callback_command(&self) -> Option<&str> {
        None
    }
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

    fn from_any(event: AnyEvent) -> Result<Self, AnyEvent> {
        E::from_any(event)
    }

    fn callback_command(&self) -> Option<&str> {
        CallbackEvent::callback_command(self)
    }
}
