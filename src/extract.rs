//! The `Callback<E>` extractor: the verified request's metadata and its typed body.

use std::{
    future::Future,
    marker::PhantomData,
    ops::Deref,
    pin::Pin,
    task::{ready, Context, Poll},
};

use actix_web::{
    dev::Payload,
    http::header,
    web::{Bytes, BytesMut},
    FromRequest, HttpMessage, HttpRequest,
};
use futures_util::Stream;
use serde::de::DeserializeOwned;

use crate::{
    error::{CallbackError, LogSafe},
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
    type Future = ExtractFuture<E, Self>;

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
    type Future = ExtractFuture<serde_json::Value, Self>;

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
) -> ExtractFuture<T, R> {
    let extensions = req.extensions();
    let Some(verified) = extensions.get::<Verified>() else {
        drop(extensions);
        return ExtractFuture::failed(middleware_missing(req));
    };
    verified.extracted.set(true);
    if let Some(expected) = command {
        let unexpected = verified.with_command(req.query_string(), |received| {
            received
                .filter(|received| *received != expected)
                .map(str::to_owned)
        });
        if let Some(received) = unexpected {
            drop(extensions);
            let err = CallbackError::UnexpectedCommand { expected, received };
            return ExtractFuture::failed(rejected(req, err));
        }
    }
    let meta = verified.take_meta(req.query_string());
    let limit = verified.body_limit;
    drop(extensions);
    let declared_length = content_length(req);
    if declared_length.is_some_and(|length| length > limit) {
        // Not a byte is read: dropping the payload tells actix to close the connection.
        drop(payload.take());
        return ExtractFuture::failed(rejected(req, CallbackError::PayloadTooLarge { limit }));
    }
    ExtractFuture {
        state: State::Reading(Reading {
            req: req.clone(),
            payload: payload.take(),
            meta,
            limit,
            declared_length,
            body: Body::Empty,
        }),
        build,
        decoded: PhantomData,
    }
}

/// The future of [`Callback`] and [`RawCallback`]: reads the body up to the limit, then
/// decodes it. A named type, so that extracting costs no boxed future.
#[doc(hidden)]
#[must_use = "futures do nothing unless polled"]
pub struct ExtractFuture<T, R> {
    state: State,
    build: fn(CallbackMeta, T) -> R,
    decoded: PhantomData<fn() -> T>,
}

enum State {
    Reading(Reading),
    Failed(CallbackError),
    Done,
}

struct Reading {
    req: HttpRequest,
    payload: Payload,
    meta: CallbackMeta,
    limit: usize,
    declared_length: Option<usize>,
    body: Body,
}

/// The body read so far. A body that arrives in one chunk (the usual case) is kept as
/// that chunk, without a copy.
enum Body {
    Empty,
    One(Bytes),
    Many(BytesMut),
}

impl Body {
    fn len(&self) -> usize {
        match self {
            Body::Empty => 0,
            Body::One(bytes) => bytes.len(),
            Body::Many(bytes) => bytes.len(),
        }
    }

    /// Appends a chunk; a second chunk moves the body into a buffer sized from
    /// `Content-Length` (already checked against the limit).
    fn push(&mut self, chunk: Bytes, declared_length: Option<usize>) {
        match self {
            Body::Empty => *self = Body::One(chunk),
            Body::One(first) => {
                let needed = first.len() + chunk.len();
                let mut buf = BytesMut::with_capacity(declared_length.unwrap_or(0).max(needed));
                buf.extend_from_slice(first);
                buf.extend_from_slice(&chunk);
                *self = Body::Many(buf);
            }
            Body::Many(buf) => buf.extend_from_slice(&chunk),
        }
    }

    fn into_bytes(self) -> Bytes {
        match self {
            Body::Empty => Bytes::new(),
            Body::One(bytes) => bytes,
            Body::Many(buf) => buf.freeze(),
        }
    }
}

impl<T, R> ExtractFuture<T, R> {
    fn failed(err: CallbackError) -> Self {
        Self {
            state: State::Failed(err),
            build: |_, _| unreachable!("a failed extraction builds nothing"),
            decoded: PhantomData,
        }
    }
}

impl<T: DeserializeOwned, R> Future for ExtractFuture<T, R> {
    type Output = Result<R, CallbackError>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.get_mut();
        let reading = match &mut this.state {
            State::Reading(reading) => reading,
            State::Failed(_) => match std::mem::replace(&mut this.state, State::Done) {
                State::Failed(err) => return Poll::Ready(Err(err)),
                _ => unreachable!(),
            },
            State::Done => panic!("ExtractFuture polled after completion"),
        };
        while let Some(chunk) = ready!(Pin::new(&mut reading.payload).poll_next(cx)) {
            let chunk = match chunk {
                Ok(chunk) => chunk,
                Err(err) => {
                    let err = rejected(&reading.req, CallbackError::Payload(err));
                    this.state = State::Done;
                    return Poll::Ready(Err(err));
                }
            };
            if reading.body.len() + chunk.len() > reading.limit {
                let err = CallbackError::PayloadTooLarge {
                    limit: reading.limit,
                };
                let err = rejected(&reading.req, err);
                this.state = State::Done;
                return Poll::Ready(Err(err));
            }
            if !chunk.is_empty() {
                reading.body.push(chunk, reading.declared_length);
            }
        }
        let State::Reading(reading) = std::mem::replace(&mut this.state, State::Done) else {
            unreachable!()
        };
        let Reading {
            req, meta, body, ..
        } = reading;
        Poll::Ready(match decode(&body.into_bytes()) {
            Ok(value) => Ok((this.build)(meta, value)),
            Err(err) => Err(rejected(&req, err)),
        })
    }
}

fn content_length(req: &HttpRequest) -> Option<usize> {
    req.headers()
        .get(header::CONTENT_LENGTH)?
        .to_str()
        .ok()?
        .parse()
        .ok()
}

/// Decodes a body straight from its bytes; on failure, decodes again to find where it
/// failed (the slow path is only paid for bad input).
///
/// A UTF-8 body (every valid JSON body) is checked once as a whole and parsed as a `str`,
/// which spares serde_json a UTF-8 check per string; the result is the same as
/// `from_slice`'s, and other bodies go through `from_slice` as they are.
pub(crate) fn decode<T: DeserializeOwned>(body: &[u8]) -> Result<T, CallbackError> {
    let decoded = match std::str::from_utf8(body) {
        Ok(text) => serde_json::from_str(text),
        Err(_) => serde_json::from_slice(body),
    };
    decoded.map_err(|_| {
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
        "rejected Tencent IM callback {} {}: {}",
        req.method(),
        req.path(),
        LogSafe(&err)
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
