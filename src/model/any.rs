//! Every callback on one route: [`AnyEvent`], typed by its command, and
//! [`AnyEventSeed`], the decoding keyed on the command. Both come from the one list in
//! `catalogue.rs`, which also gives each event type its [`CallbackEvent`] impl.

use serde::{de::DeserializeSeed, Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

use super::*;
use crate::reply::CallbackReply;

macro_rules! any_event {
    ($($command:literal => $variant:ident($family:ident::$ty:ident): $reply:ident $(<$codes:ident>)?,)*) => {
        /// Any Tencent IM callback, decoded by its `CallbackCommand` into the type of that
        /// command, for handlers that take every callback on one route.
        ///
        /// `Callback<AnyEvent>` needs no guard: it dispatches on the query's
        /// `CallbackCommand` (the body's when the query has none). A command the crate does
        /// not type is kept as [`Unknown`](Self::Unknown), with its raw JSON, and never
        /// rejected. Serialising writes the body back in Tencent's shape (the event's own
        /// fields, no tag). A variant is named by the command's family followed by its type
        /// (`Group.CallbackSendMsgException` → `GroupSendMsgException`, a
        /// [`group::SendMsgException`]); the table is in [`model`](crate::model).
        ///
        /// ```
        /// use actix_tim_callback::{model::AnyEvent, Ack, Callback};
        ///
        /// async fn every_callback(cb: Callback<AnyEvent>) -> Ack {
        ///     match &cb.event {
        ///         AnyEvent::StateStateChange(change) => println!("{:?} went {}", change.info.to_account, change.info.action),
        ///         AnyEvent::GroupSendMsgException(exception) => println!("lost a message: {}", exception.kind()),
        ///         other if other.is_unknown() => println!("untyped command {}", other.command()),
        ///         other => println!("{}", other.command()),
        ///     }
        ///     Ack
        /// }
        /// # actix_web::rt::System::new().block_on(async {
        /// # use actix_web::{test, web, App};
        /// # let app = test::init_service(App::new().service(web::scope("/cb").wrap(actix_tim_callback::TimCallback::new(actix_tim_callback::CallbackConfig::new(1400000000))).route("", web::post().to(every_callback)))).await;
        /// # for command in ["State.StateChange", "Group.CallbackSendMsgException", "Made.Up"] {
        /// #     let req = actix_tim_callback::testkit::TestCallback::sample(command).unwrap_or_else(|| actix_tim_callback::testkit::TestCallback::new(command, "{}")).path("/cb").to_request();
        /// #     assert_eq!(test::read_body(test::call_service(&app, req).await).await, actix_tim_callback::reply::OK_BODY, "{command}");
        /// # }
        /// # });
        /// ```
        #[derive(Debug, Clone, PartialEq, Serialize)]
        #[serde(untagged)]
        #[non_exhaustive]
        pub enum AnyEvent {
            $(
                #[doc = concat!("`", $command, "`: [`", stringify!($family), "::", stringify!($ty), "`].")]
                $variant(Box<$family::$ty>),
            )*
            /// A command the crate does not type, kept as sent.
            #[serde(serialize_with = "body_as_sent")]
            Unknown {
                /// The `CallbackCommand` (empty when the request named none).
                command: String,
                /// The body as sent.
                body: Value,
            },
        }

        impl AnyEvent {
            /// The commands the crate types, in the order of Tencent's catalogue.
            pub const COMMANDS: [&'static str; [$($command),*].len()] = [$($command),*];

            /// The event's `CallbackCommand`, e.g. `State.StateChange`.
            pub fn command(&self) -> &str {
                match self {
                    $(Self::$variant(_) => $command,)*
                    Self::Unknown { command, .. } => command,
                }
            }

            /// The `CallbackCommand` its body names, if it names one.
            fn body_command(&self) -> Option<&str> {
                match self {
                    $(Self::$variant(event) => CallbackEvent::callback_command(&**event),)*
                    Self::Unknown { body, .. } => body.get("CallbackCommand")?.as_str(),
                }
            }

            /// Whether Tencent reads the reply to `command` and acts on it (its event type's
            /// [`Reply`](CallbackEvent::Reply) says so); `false` for a command the crate does
            /// not type.
            ///
            /// ```
            /// use actix_tim_callback::model::AnyEvent;
            ///
            /// assert!(AnyEvent::reads_reply("Sns.CallbackPrevFriendAdd"));
            /// assert!(!AnyEvent::reads_reply("Group.CallbackAfterSendMsg"));
            /// assert!(!AnyEvent::reads_reply("Made.Up"));
            /// ```
            pub fn reads_reply(command: &str) -> bool {
                match command {
                    $($command => <$reply $(<$codes>)? as CallbackReply>::READ_BY_TENCENT,)*
                    _ => false,
                }
            }
        }

        $(
            impl CallbackEvent for $family::$ty {
                const COMMAND: &'static str = $command;
                type Reply = $reply $(<$codes>)?;

                fn from_any(event: AnyEvent) -> Result<Self, AnyEvent> {
                    match event {
                        AnyEvent::$variant(event) => Ok(*event),
                        other => Err(other),
                    }
                }

                fn callback_command(&self) -> Option<&str> {
                    Some(self.callback_command.as_str()).filter(|command| !command.is_empty())
                }
            }
        )*

        fn decode<'de, D: Deserializer<'de>>(command: &str, deserializer: D) -> Result<AnyEvent, D::Error> {
            match command {
                $(
                    $command => <$family::$ty as Deserialize>::deserialize(deserializer)
                        .map(|event| AnyEvent::$variant(Box::new(event))),
                )*
                _ => Ok(AnyEvent::Unknown {
                    command: command.to_owned(),
                    body: Value::deserialize(deserializer)?,
                }),
            }
        }
    };
}

super::catalogue::catalogue!(any_event);

fn body_as_sent<S: Serializer>(_: &str, body: &Value, serializer: S) -> Result<S::Ok, S::Error> {
    body.serialize(serializer)
}

impl AnyEvent {
    /// Whether the command is one the crate does not type.
    pub fn is_unknown(&self) -> bool {
        matches!(self, Self::Unknown { .. })
    }
}

/// Decodes a body as the [`AnyEvent`] of a command known beforehand (from the query
/// string, a queue message's header, ...): a [`DeserializeSeed`] keyed on the command.
///
/// ```
/// use actix_tim_callback::model::{AnyEvent, AnyEventSeed};
/// use serde::de::DeserializeSeed;
///
/// let body = br#"{"Info": {"Action": "Login", "To_Account": "alice"}}"#;
/// let mut json = serde_json::Deserializer::from_slice(body);
/// let event = AnyEventSeed::new("State.StateChange").deserialize(&mut json)?;
/// assert!(matches!(event, AnyEvent::StateStateChange(_)));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AnyEventSeed<'a> {
    command: &'a str,
}

impl<'a> AnyEventSeed<'a> {
    /// Decodes bodies of `command`.
    pub fn new(command: &'a str) -> Self {
        Self { command }
    }
}

impl<'de> DeserializeSeed<'de> for AnyEventSeed<'_> {
    type Value = AnyEvent;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<AnyEvent, D::Error> {
        decode(self.command, deserializer)
    }
}

impl CallbackBody for AnyEvent {
    fn accepts(_: &str) -> bool {
        true
    }

    fn expected() -> &'static str {
        "any command"
    }

    /// Decodes the body as the type of `command`; a command the crate does not type
    /// becomes [`Unknown`](Self::Unknown).
    fn deserialize_command<'de, D: Deserializer<'de>>(
        command: &str,
        deserializer: D,
    ) -> Result<Self, D::Error> {
        decode(command, deserializer)
    }

    fn from_any(event: AnyEvent) -> Result<Self, AnyEvent> {
        Ok(event)
    }

    fn callback_command(&self) -> Option<&str> {
        self.body_command()
    }
}
