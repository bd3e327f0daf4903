//! The `Callback<E>` and `RawCallback` extractors: the verified request's metadata and its
//! decoded body.

use std::ops::Deref;

use actix_web::{
    dev::Payload,
    http::header,
    web::{Bytes, BytesMut},
    FromRequest, HttpMessage, HttpRequest,
};
use futures_util::{future::LocalBoxFuture, StreamExt};
use serde::Deserialize;

use crate::{
    error::{CallbackError, LogSafe},
    meta::{CallbackMeta, Verified},
    model::CallbackBody,
};

/// A verified callback: the URL metadata and the body decoded as `E`.
///
/// Reads the body up to the configured limit (no `Content-Type` needed) and decodes it
/// with serde. It only works behind the [`TimCallback`](crate::TimCallback) middleware:
/// without it, it fails with [`CallbackError::MiddlewareMissing`] rather than decode a
/// request nobody verified.
///
/// When the request's `CallbackCommand` (the query's, else the body's) is not one `E`
/// takes, the extractor fails with [`CallbackError::UnexpectedCommand`]; route each
/// command to its handler with [`command`](crate::command).
///
/// ```
/// use actix_tim_callback::{model::SendMsgException, Ack, Callback};
///
/// async fn on_exception(cb: Callback<SendMsgException>) -> Ack {
///     // `Callback` derefs to the event.
///     println!("{} from {:?}: {}", cb.group_id, cb.meta.client_ip, cb.kind());
///     Ack
/// }
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

impl<E: CallbackBody + 'static> FromRequest for Callback<E> {
    type Error = CallbackError;
    type Future = LocalBoxFuture<'static, Result<Self, CallbackError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let req = req.clone();
        let payload = payload.take();
        Box::pin(async move {
            let (meta, body, body_command) =
                read(&req, payload, Some((E::accepts, E::expected()))).await?;
            let command = meta.command.as_deref().or(body_command.as_deref());
            let event =
                decode(&body, command.unwrap_or_default()).map_err(|err| rejected(&req, err))?;
            Ok(Callback { meta, event })
        })
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
    type Future = LocalBoxFuture<'static, Result<Self, CallbackError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let req = req.clone();
        let payload = payload.take();
        Box::pin(async move {
            let (meta, body, _) = read(&req, payload, None).await?;
            let AnyJson(body) = decode(&body, "").map_err(|err| rejected(&req, err))?;
            Ok(RawCallback { meta, body })
        })
    }
}

/// Which commands an extractor takes, and how to name them in an error.
type Accepts = (fn(&str) -> bool, &'static str);

/// Checks that the request was verified and is for a command `accepts` takes, then reads
/// its body up to the limit. The command is checked before the body is read when the
/// query names it, after, from the body (also returned), when it does not.
async fn read(
    req: &HttpRequest,
    mut payload: Payload,
    accepts: Option<Accepts>,
) -> Result<(CallbackMeta, Bytes, Option<String>), CallbackError> {
    let (meta, limit) = match req.extensions().get::<Verified>() {
        Some(verified) => {
            verified.routed.set(true);
            (verified.meta.clone(), verified.body_limit)
        }
        None => {
            log_middleware_missing(req);
            return Err(CallbackError::MiddlewareMissing);
        }
    };
    let check = |command: Option<&str>| match (accepts, command) {
        (Some((accepts, expected)), Some(received)) if !accepts(received) => Err(rejected(
            req,
            CallbackError::UnexpectedCommand {
                expected,
                received: received.to_owned(),
            },
        )),
        _ => Ok(()),
    };
    check(meta.command.as_deref())?;
    if content_length(req).is_some_and(|length| length > limit) {
        return Err(rejected(req, CallbackError::PayloadTooLarge { limit }));
    }
    let mut body = BytesMut::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|err| rejected(req, CallbackError::Payload(err)))?;
        if body.len() + chunk.len() > limit {
            return Err(rejected(req, CallbackError::PayloadTooLarge { limit }));
        }
        body.extend_from_slice(&chunk);
    }
    let body = body.freeze();
    let body_command = match meta.command {
        Some(_) => None,
        None => body_command(&body),
    };
    check(body_command.as_deref())?;
    Ok((meta, body, body_command))
}

fn content_length(req: &HttpRequest) -> Option<usize> {
    req.headers()
        .get(header::CONTENT_LENGTH)?
        .to_str()
        .ok()?
        .parse()
        .ok()
}

/// The `CallbackCommand` of a body: top-level, or of the first event of a batched body
/// (`{"Events": [...]}`). Read only for requests whose query names no command.
fn body_command(body: &[u8]) -> Option<String> {
    #[derive(Deserialize)]
    struct Command {
        #[serde(rename = "CallbackCommand")]
        command: Option<String>,
        #[serde(rename = "Events", default)]
        events: Vec<Command>,
    }
    let body: Command = serde_json::from_slice(body).ok()?;
    body.command
        .or_else(|| body.events.into_iter().next()?.command)
}

/// Decodes a JSON body as `T` for `command`; on failure, decodes again to find where it
/// failed (only bad input pays for the path tracking).
fn decode<T: CallbackBody>(body: &[u8], command: &str) -> Result<T, CallbackError> {
    let mut json = serde_json::Deserializer::from_slice(body);
    let decoded = T::deserialize_command(command, &mut json).and_then(|value| {
        json.end()?;
        Ok(value)
    });
    decoded.map_err(|_| {
        let mut json = serde_json::Deserializer::from_slice(body);
        let mut track = serde_path_to_error::Track::new();
        let tracked = serde_path_to_error::Deserializer::new(&mut json, &mut track);
        let message = match T::deserialize_command(command, tracked) {
            Err(err) => err.to_string(),
            Ok(_) => "trailing characters after the JSON value".to_owned(),
        };
        CallbackError::InvalidJson {
            path: track.path().to_string(),
            message,
        }
    })
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
}

fn rejected(req: &HttpRequest, err: CallbackError) -> CallbackError {
    log::warn!(
        "rejected Tencent IM callback {} {}: {}",
        req.method(),
        req.path(),
        LogSafe(&err)
    );
    err
}

pub(crate) fn log_middleware_missing(req: &HttpRequest) {
    log::error!(
        "{} {}: {}",
        req.method(),
        req.path(),
        CallbackError::MiddlewareMissing
    );
}
