//! The `Callback<E>` extractor: the verified request's metadata and its typed body.

use std::{future::Future, ops::Deref, pin::Pin};

use actix_web::{
    dev::Payload,
    http::header,
    web::{Bytes, BytesMut},
    FromRequest, HttpMessage, HttpRequest,
};
use futures_util::StreamExt;
use serde::de::DeserializeOwned;

use crate::{
    error::CallbackError,
    meta::{CallbackMeta, Verified},
    model::CallbackEvent,
};

/// A verified callback: the URL metadata and the body decoded as `E`.
///
/// Reads the body up to the configured limit (no `Content-Type` needed) and decodes it
/// with serde. It only works behind the [`TimCallback`](crate::TimCallback) middleware:
/// without it, it fails with [`CallbackError::MiddlewareMissing`] rather than decode a
/// request nobody verified.
///
/// When the query names a `CallbackCommand` other than `E::COMMAND` the extractor fails
/// with [`CallbackError::UnexpectedCommand`]; route each command to its handler with
/// [`command`](crate::command).
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

impl<E: CallbackEvent + 'static> FromRequest for Callback<E> {
    type Error = CallbackError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, CallbackError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        extract(req, payload, Some(E::COMMAND), |meta, event| Callback {
            meta,
            event,
        })
    }
}

/// Any verified callback, with its body as JSON: for the commands that have no typed
/// model yet, or to log or forward callbacks as they are.
///
/// Same reading rules and limits as [`Callback`], for any `CallbackCommand`.
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
    type Future = Pin<Box<dyn Future<Output = Result<Self, CallbackError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        extract(req, payload, None, |meta, body| RawCallback { meta, body })
    }
}

/// Reads and decodes the body of a verified request as `T`, for a handler of `command`
/// (any command when `None`).
fn extract<T, R>(
    req: &HttpRequest,
    payload: &mut Payload,
    command: Option<&'static str>,
    build: fn(CallbackMeta, T) -> R,
) -> Pin<Box<dyn Future<Output = Result<R, CallbackError>>>>
where
    T: DeserializeOwned + 'static,
    R: 'static,
{
    let verified = req.extensions().get::<Verified>().map(|verified| {
        verified.extracted.set(true);
        (verified.meta.clone(), verified.body_limit)
    });
    let Some((meta, body_limit)) = verified else {
        return Box::pin(std::future::ready(Err(middleware_missing(req))));
    };
    if let (Some(expected), Some(received)) = (command, meta.command.as_deref()) {
        if received != expected {
            let err = CallbackError::UnexpectedCommand {
                expected,
                received: received.to_owned(),
            };
            return Box::pin(std::future::ready(Err(rejected(req, err))));
        }
    }
    let declared_length = content_length(req);
    let mut payload = payload.take();
    let req = req.clone();
    Box::pin(async move {
        let body = read_body(&mut payload, declared_length, body_limit)
            .await
            .map_err(|err| rejected(&req, err))?;
        let value = decode(&body).map_err(|err| rejected(&req, err))?;
        Ok(build(meta, value))
    })
}

fn content_length(req: &HttpRequest) -> Option<usize> {
    req.headers()
        .get(header::CONTENT_LENGTH)?
        .to_str()
        .ok()?
        .parse()
        .ok()
}

/// Reads the whole body, failing as soon as it would exceed `limit`.
async fn read_body(
    payload: &mut Payload,
    declared_length: Option<usize>,
    limit: usize,
) -> Result<Bytes, CallbackError> {
    if declared_length.is_some_and(|length| length > limit) {
        return Err(CallbackError::PayloadTooLarge { limit });
    }
    let mut body = BytesMut::with_capacity(declared_length.unwrap_or(0));
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(CallbackError::Payload)?;
        if body.len() + chunk.len() > limit {
            return Err(CallbackError::PayloadTooLarge { limit });
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body.freeze())
}

/// Decodes a body; on failure, decodes again to find where it failed (the slow path is
/// only paid for bad input).
pub(crate) fn decode<T: DeserializeOwned>(body: &[u8]) -> Result<T, CallbackError> {
    serde_json::from_slice(body).map_err(|_| {
        let mut json = serde_json::Deserializer::from_slice(body);
        match serde_path_to_error::deserialize::<_, T>(&mut json) {
            Err(err) => CallbackError::InvalidJson {
                path: err.path().to_string(),
                message: err.into_inner().to_string(),
            },
            Ok(_) => CallbackError::InvalidJson {
                path: ".".to_owned(),
                message: "trailing characters after the JSON value".to_owned(),
            },
        }
    })
}

fn rejected(req: &HttpRequest, err: CallbackError) -> CallbackError {
    log::warn!(
        "rejected Tencent IM callback {} {}: {err}",
        req.method(),
        req.path()
    );
    err
}

pub(crate) fn middleware_missing(req: &HttpRequest) -> CallbackError {
    log::error!(
        "{} {}: {}",
        req.method(),
        req.path(),
        CallbackError::MiddlewareMissing
    );
    CallbackError::MiddlewareMissing
}
