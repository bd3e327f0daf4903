//! The fixed OK reply.

use actix_web::{http::header, web::Bytes, HttpRequest, HttpResponse, Responder};

use crate::error::mime_json;

/// The reply body Tencent expects for an accepted callback.
pub const OK_BODY: &str = r#"{"ActionStatus":"OK","ErrorInfo":"","ErrorCode":0}"#;

/// An explicit OK reply: `200`, `Content-Type: application/json`, [`OK_BODY`].
///
/// Behind the [`TimCallback`](crate::TimCallback) middleware a fallible handler may as well
/// return `Ok(())` (actix-web has no `Responder` for a bare `()`); `Ack` says so in the
/// signature and works without the middleware.
///
/// ```
/// use actix_tim_callback::{model::SendMsgException, Ack, Callback};
///
/// async fn on_exception(cb: Callback<SendMsgException>) -> Ack {
///     println!("{}", cb.event.error_code);
///     Ack
/// }
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Ack;

impl Responder for Ack {
    type Body = actix_web::body::BoxBody;

    fn respond_to(self, _: &HttpRequest) -> HttpResponse {
        ack_response()
    }
}

pub(crate) fn ack_response() -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, mime_json()))
        .body(Bytes::from_static(OK_BODY.as_bytes()))
}
