//! The body of a callback request: read once, with a limit; and the replies the middleware
//! writes itself (a rejection, a duplicate's replay).

use std::{
    any::Any,
    pin::Pin,
    task::{Context, Poll},
};

use actix_web::{
    body::{BodySize, BoxBody, EitherBody, MessageBody},
    dev::{Payload, ServiceRequest, ServiceResponse},
    http::{
        header::{self, ContentLength},
        StatusCode,
    },
    web::{Bytes, BytesMut},
    HttpMessage, HttpResponse,
};
use futures_util::StreamExt;

use crate::{
    dedup::StoredReply,
    error::{rejected, CallbackError},
    request::CallbackRequest,
    telemetry,
};

/// Reads the whole body, at most `limit` bytes. On failure the unread rest stays in the
/// request, for [`reject`] to hold.
pub(super) async fn read_body(
    req: &mut ServiceRequest,
    limit: usize,
) -> Result<Bytes, CallbackError> {
    let too_large = CallbackError::PayloadTooLarge { limit };
    let declared = req.get_header::<ContentLength>().map(|length| length.0);
    if declared.is_some_and(|length| length > limit) {
        return Err(too_large);
    }
    let mut payload = req.take_payload();
    let mut body = BytesMut::with_capacity(declared.unwrap_or(0));
    while let Some(chunk) = payload.next().await {
        let chunk = match chunk {
            Ok(chunk) if body.len() + chunk.len() <= limit => chunk,
            Ok(_) => {
                req.set_payload(payload);
                return Err(too_large);
            }
            Err(err) => return Err(CallbackError::Payload(err)),
        };
        body.extend_from_slice(&chunk);
    }
    Ok(body.freeze())
}

/// The reply the first delivery of a duplicate got.
pub(super) fn replay<B>(
    req: ServiceRequest,
    app: Option<&telemetry::App>,
    state: &CallbackRequest,
    reply: StoredReply,
) -> ServiceResponse<EitherBody<B>> {
    log::info!(
        "duplicate Tencent IM callback {} answered with the first delivery's reply",
        state.shown()
    );
    telemetry::duplicate(app, state.command());
    let status = StatusCode::from_u16(reply.status).unwrap_or(StatusCode::OK);
    let mut res = HttpResponse::build(status);
    if let Some(content_type) = reply.content_type {
        res.insert_header((header::CONTENT_TYPE, content_type));
    }
    req.into_response(res.body(reply.body))
        .map_into_right_body()
}

/// The `FAIL` reply to a request the middleware itself rejects. An unread body is kept
/// until the reply is written, which makes actix-http close the connection instead of
/// reading on.
pub(super) fn reject<B>(
    mut req: ServiceRequest,
    app: Option<&telemetry::App>,
    err: CallbackError,
) -> ServiceResponse<EitherBody<B>> {
    telemetry::rejected(app, err.kind());
    let err = rejected(req.request(), err);
    let payload = req.take_payload();
    req.error_response(err)
        .map_body(|_, body| {
            BoxBody::new(HoldPayload {
                body,
                _payload: payload,
            })
        })
        .map_into_right_body()
}

pub(super) fn panic_message(panic: &(dyn Any + Send)) -> &str {
    panic
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| panic.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("(no message)")
}

/// A reply body that keeps the request's unread payload until the reply is written.
struct HoldPayload {
    body: BoxBody,
    _payload: Payload,
}

impl MessageBody for HoldPayload {
    type Error = <BoxBody as MessageBody>::Error;

    fn size(&self) -> BodySize {
        self.body.size()
    }

    fn poll_next(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Bytes, Self::Error>>> {
        Pin::new(&mut self.get_mut().body).poll_next(cx)
    }
}
