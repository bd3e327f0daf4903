//! The `Callback<E>` and `RawCallback` extractors: the verified request's metadata and its
//! decoded body.

use std::{
    future::{ready, Ready},
    ops::Deref,
};

use actix_web::{dev::Payload, FromRequest, HttpRequest};
use serde::Deserialize;

use crate::{
    decode::decode,
    error::{rejected, CallbackError},
    meta::CallbackMeta,
    model::CallbackBody,
    request::CallbackRequest,
};

/// A verified callback: the URL metadata and the body decoded as `E`.
///
/// Decodes the body the middleware read (no `Content-Type` needed) with serde. It only
/// works behind the [`TimCallback`](crate::TimCallback) middleware:
/// without it, it fails with [`CallbackError::MiddlewareMissing`] rather than decode a
/// request nobody verified.
///
/// When the request's `CallbackCommand` (the query's, else the body's) is not one `E`
/// takes, the extractor fails with [`CallbackError::UnexpectedCommand`]; route each
/// command to its handler with [`command`](crate::command).
///
/// ```
/// use actix_tim_callback::{model::group, Ack, Callback};
///
/// async fn on_exception(cb: Callback<group::SendMsgException>) -> Ack {
///     // `Callback` derefs to the event.
///     println!("{} from {:?}: {}", cb.group_id, cb.meta.client_ip, cb.kind());
///     Ack
/// }
/// # actix_web::rt::System::new().block_on(async {
/// # use actix_web::{test, web, App};
/// # let app = test::init_service(App::new().service(web::scope("/cb").wrap(actix_tim_callback::TimCallback::new(actix_tim_callback::CallbackConfig::new(1400000000))).route("", web::post().to(on_exception)))).await;
/// # let req = actix_tim_callback::testkit::TestCallback::send_msg_exception().path("/cb").to_request();
/// # let res = test::call_service(&app, req).await;
/// # assert_eq!(res.status(), 200);
/// # assert_eq!(test::read_body(res).await, actix_tim_callback::reply::OK_BODY);
/// # });
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Callback<E> {
    /// The query parameters of the request.
    pub meta: CallbackMeta,
    /// The decoded body.
    pub event: E,
}

impl<E> Callback<E> {
    /// The decoded body, without the metadata.
    pub fn into_inner(self) -> E {
        self.event
    }
}

impl<E> Deref for Callback<E> {
    type Target = E;

    fn deref(&self) -> &E {
        &self.event
    }
}

impl<E: CallbackBody> FromRequest for Callback<E> {
    type Error = CallbackError;
    type Future = Ready<Result<Self, CallbackError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(
            extract(req, Some((E::accepts, E::expected()))).and_then(|state| {
                // Decoded once: by the middleware already when it claimed the callback
                // under ids of its body, else here.
                let event = match state.take_event().map(E::from_any) {
                    Some(Ok(event)) => event,
                    _ => {
                        let command = state.command().unwrap_or_default();
                        decode(state.body(), command).map_err(|err| rejected(req, err))?
                    }
                };
                state
                    .check_body_command(event.callback_command())
                    .map_err(|err| rejected(req, err))?;
                Ok(Callback {
                    meta: state.meta().clone(),
                    event,
                })
            }),
        )
    }
}

/// Any verified callback, with its body as JSON: to log or forward callbacks as they are.
///
/// Same reading rules and limits as [`Callback`], for any `CallbackCommand`. For typed
/// events of every command, see [`model::AnyEvent`](crate::model).
///
/// ```
/// use actix_tim_callback::{Ack, RawCallback};
///
/// async fn any_callback(cb: RawCallback) -> Ack {
///     println!("{:?}: {}", cb.command(), cb.body);
///     Ack
/// }
/// # actix_web::rt::System::new().block_on(async {
/// # use actix_web::{test, web, App};
/// # let app = test::init_service(App::new().service(web::scope("/cb").wrap(actix_tim_callback::TimCallback::new(actix_tim_callback::CallbackConfig::new(1400000000))).route("", web::post().to(any_callback)))).await;
/// # let req = actix_tim_callback::testkit::TestCallback::sample("State.StateChange").expect("a sample").path("/cb").to_request();
/// # let res = test::call_service(&app, req).await;
/// # assert_eq!(res.status(), 200);
/// # assert_eq!(test::read_body(res).await, actix_tim_callback::reply::OK_BODY);
/// # });
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct RawCallback {
    /// The query parameters of the request.
    pub meta: CallbackMeta,
    /// The body as sent.
    pub body: serde_json::Value,
}

impl RawCallback {
    /// The `CallbackCommand` of the query string, or else of the body.
    pub fn command(&self) -> Option<&str> {
        self.meta
            .command
            .as_deref()
            .or_else(|| self.body.get("CallbackCommand")?.as_str())
    }
}

impl FromRequest for RawCallback {
    type Error = CallbackError;
    type Future = Ready<Result<Self, CallbackError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(extract(req, None).and_then(|state| {
            let raw: AnyJson = decode(state.body(), "").map_err(|err| rejected(req, err))?;
            state
                .check_body_command(raw.callback_command())
                .map_err(|err| rejected(req, err))?;
            let AnyJson(body) = raw;
            Ok(RawCallback {
                meta: state.meta().clone(),
                body,
            })
        }))
    }
}

/// The metadata alone, for handlers that need no body.
impl FromRequest for CallbackMeta {
    type Error = CallbackError;
    type Future = Ready<Result<Self, CallbackError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(CallbackRequest::get(req).map(|state| state.meta().clone()))
    }
}

/// Which commands an extractor takes, and how to name them in an error.
type Accepts = (fn(&str) -> bool, &'static str);

/// The verified request, when it is for a command `accepts` takes.
fn extract(
    req: &HttpRequest,
    accepts: Option<Accepts>,
) -> Result<std::rc::Rc<CallbackRequest>, CallbackError> {
    let state = CallbackRequest::get(req)?;
    if let (Some((accepts, expected)), Some(received)) = (accepts, state.command()) {
        if !accepts(received) {
            return Err(rejected(
                req,
                CallbackError::UnexpectedCommand {
                    expected,
                    received: received.to_owned(),
                },
            ));
        }
    }
    Ok(state)
}

/// The body of a [`RawCallback`]: any command, as JSON.
struct AnyJson(serde_json::Value);

impl CallbackBody for AnyJson {
    fn accepts(_: &str) -> bool {
        true
    }

    fn expected() -> &'static str {
        "any command"
    }

    fn deserialize_command<'de, D: serde::Deserializer<'de>>(
        _: &str,
        deserializer: D,
    ) -> Result<Self, D::Error> {
        serde_json::Value::deserialize(deserializer).map(AnyJson)
    }

    fn callback_command(&self) -> Option<&str> {
        self.0.get("CallbackCommand")?.as_str()
    }
}
