//! What a handler answers: the fixed OK reply, and the reply of "before" callbacks.

use actix_web::{http::header, web::Bytes, HttpRequest, HttpResponse, Responder};
use serde::Serialize;

use crate::{error::mime_json, model::MsgElement};

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

/// The reply to a "before" callback (`Group.CallbackBeforeSendMsg`,
/// `C2C.CallbackBeforeSendMsg`): let the message through, refuse it, drop it silently, or
/// change it.
///
/// The [`TimCallback`](crate::TimCallback) middleware passes it through unchanged.
///
/// ```
/// use actix_tim_callback::{model::{GroupBeforeSendMsg, MsgElement}, BeforeSendReply, Callback};
///
/// async fn before_send(cb: Callback<GroupBeforeSendMsg>) -> BeforeSendReply {
///     let shouts = cb.msg_body.iter().any(|element| match element {
///         MsgElement::Text(text) => text.text.as_deref().is_some_and(|t| t.contains("!!!")),
///         _ => false,
///     });
///     if shouts { BeforeSendReply::refuse() } else { BeforeSendReply::allow() }
/// }
/// ```
///
/// `ActionStatus` is always `OK`, also when refusing (as Tencent's samples show); the
/// fields are read through methods, so a reply cannot be made to say `FAIL`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BeforeSendReply {
    #[serde(rename = "ActionStatus")]
    action_status: &'static str,
    #[serde(rename = "ErrorCode")]
    error_code: u32,
    #[serde(rename = "ErrorInfo")]
    error_info: String,
    #[serde(rename = "MsgBody", skip_serializing_if = "Option::is_none")]
    msg_body: Option<Vec<MsgElement>>,
    #[serde(rename = "CloudCustomData", skip_serializing_if = "Option::is_none")]
    cloud_custom_data: Option<String>,
}

impl BeforeSendReply {
    fn with_code(error_code: u32, error_info: String) -> Self {
        Self {
            action_status: "OK",
            error_code,
            error_info,
            msg_body: None,
            cloud_custom_data: None,
        }
    }

    /// Deliver the message as it was sent (`ErrorCode` 0).
    pub fn allow() -> Self {
        Self::with_code(0, String::new())
    }

    /// Do not deliver the message (`ErrorCode` 1); the sender gets error 10016 for a group
    /// message, 20006 for a one-to-one message.
    pub fn refuse() -> Self {
        Self::with_code(1, String::new())
    }

    /// Do not deliver the message, and tell the sender it was (`ErrorCode` 2).
    pub fn discard() -> Self {
        Self::with_code(2, String::new())
    }

    /// Do not deliver the message, and pass `code` and `info` to the sender. Tencent
    /// documents the codes an app may use as 10100–10200 for group messages and
    /// 120001–130000 for one-to-one messages.
    pub fn refuse_with(code: u32, info: impl Into<String>) -> Self {
        Self::with_code(code, info.into())
    }

    /// Deliver `msg_body` instead of the message sent (`ErrorCode` 0).
    pub fn replace_body(msg_body: Vec<MsgElement>) -> Self {
        Self {
            msg_body: Some(msg_body),
            ..Self::allow()
        }
    }

    /// `ErrorCode`: `0` allow, `1` refuse, `2` drop silently, or a code of the app's own.
    pub fn error_code(&self) -> u32 {
        self.error_code
    }

    /// `ErrorInfo`: passed to the sender with a code of the app's own.
    pub fn error_info(&self) -> &str {
        &self.error_info
    }

    /// `MsgBody`: the message body to deliver instead of the one sent.
    pub fn msg_body(&self) -> Option<&[MsgElement]> {
        self.msg_body.as_deref()
    }

    /// `CloudCustomData`: the custom data to deliver instead of the one sent.
    pub fn cloud_custom_data(&self) -> Option<&str> {
        self.cloud_custom_data.as_deref()
    }

    /// Also deliver `data` as the message's `CloudCustomData`.
    pub fn with_cloud_custom_data(mut self, data: impl Into<String>) -> Self {
        self.cloud_custom_data = Some(data.into());
        self
    }
}

impl Responder for BeforeSendReply {
    type Body = actix_web::body::BoxBody;

    fn respond_to(self, _: &HttpRequest) -> HttpResponse {
        match serde_json::to_vec(&self) {
            Ok(body) => HttpResponse::Ok()
                .insert_header((header::CONTENT_TYPE, mime_json()))
                .body(body),
            Err(err) => {
                log::error!("could not encode the before-send reply: {err}");
                HttpResponse::InternalServerError().finish()
            }
        }
    }
}
