//! [`Ack`], the fixed OK reply, and the `FAIL` envelope of every refusal.

use actix_web::{http::header::ContentType, web::Bytes, HttpRequest, HttpResponse, Responder};
use serde::Serialize;

use super::Reply;

/// The reply body Tencent expects for an accepted callback.
pub const OK_BODY: &str = r#"{"ActionStatus":"OK","ErrorInfo":"","ErrorCode":0}"#;

/// A type a handler answers a callback with. Every event type names its own (the `Reply`
/// of `model::CallbackEvent`), and from it follows whether Tencent reads the reply.
pub trait CallbackReply: Responder {
    /// Whether Tencent reads the reply and acts on it (`false`: it only checks for OK).
    const READ_BY_TENCENT: bool;
}

/// An explicit OK reply: `200`, `Content-Type: application/json`, [`OK_BODY`].
///
/// Behind the [`TimCallback`](crate::TimCallback) middleware a fallible handler may as well
/// return `Ok(())` (actix-web has no `Responder` for a bare `()`); `Ack` says so in the
/// signature and works without the middleware.
///
/// ```
/// use actix_tim_callback::{model::group::SendMsgException, Ack, Callback};
///
/// async fn on_exception(cb: Callback<SendMsgException>) -> Ack {
///     println!("{}", cb.event.error_code);
///     Ack
/// }
/// # actix_web::rt::System::new().block_on(async {
/// # use actix_web::{test, web, App};
/// # // Without the middleware too: `Ack` is the OK reply itself.
/// # let app = test::init_service(App::new().route("/cb", web::post().to(|| async { Ack }))).await;
/// # let res = test::call_service(&app, test::TestRequest::post().uri("/cb").to_request()).await;
/// # assert_eq!(res.headers().get("content-type").unwrap(), "application/json");
/// # assert_eq!(test::read_body(res).await, actix_tim_callback::reply::OK_BODY);
/// # });
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Ack;

impl Responder for Ack {
    type Body = actix_web::body::BoxBody;

    fn respond_to(self, _: &HttpRequest) -> HttpResponse {
        ack_response()
    }
}

impl CallbackReply for Ack {
    const READ_BY_TENCENT: bool = false;
}

/// What a handler of an event whose reply type is `R` may answer with: `R`, or a `Result`
/// of it whose error becomes a `FAIL` reply (see [`on`](crate::on)).
pub trait Answer<R: CallbackReply>: Responder {}

impl<R: CallbackReply> Answer<R> for R {}

impl<R: CallbackReply, E: Into<actix_web::Error>> Answer<R> for Result<R, E> {}

pub(crate) fn ack_response() -> HttpResponse {
    json_response(Bytes::from_static(OK_BODY.as_bytes()))
}

pub(super) fn json_response(body: impl Into<Bytes>) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header(ContentType::json())
        .body(body.into())
}

/// The `FAIL` envelope, `{"ActionStatus":"FAIL","ErrorCode":code,"ErrorInfo":info}`.
pub(crate) fn fail_body(code: u32, info: &str) -> Bytes {
    let reply = Reply {
        action_status: "FAIL",
        error_code: code,
        error_info: info.to_owned(),
        fields: NoFields {},
    };
    match serde_json::to_vec(&reply) {
        Ok(body) => Bytes::from(body),
        // Unreachable for a struct of a string and numbers; still never an empty reply.
        Err(_) => {
            Bytes::from_static(br#"{"ActionStatus":"FAIL","ErrorCode":50000,"ErrorInfo":""}"#)
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(super) struct NoFields {}
