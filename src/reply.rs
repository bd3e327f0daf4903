//! What a handler answers: the fixed OK reply, and the replies Tencent reads: before-send,
//! approval (create, join, invite, subscribe), friend checks and the chatbot's data.

use actix_web::{http::header, web::Bytes, HttpRequest, HttpResponse, Responder};
use serde::Serialize;

use crate::{
    error::{mime_json, ReplyCodeError},
    message::MsgElement,
};

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

/// Writes a reply type as its JSON body, `200`, `Content-Type: application/json`.
fn json_reply(reply: &impl Serialize) -> HttpResponse {
    match serde_json::to_vec(reply) {
        Ok(body) => HttpResponse::Ok()
            .insert_header((header::CONTENT_TYPE, mime_json()))
            .body(body),
        Err(err) => {
            log::error!("could not encode a Tencent IM callback reply: {err}");
            HttpResponse::InternalServerError().finish()
        }
    }
}

impl Responder for BeforeSendReply {
    type Body = actix_web::body::BoxBody;

    fn respond_to(self, _: &HttpRequest) -> HttpResponse {
        json_reply(&self)
    }
}

/// The app's own refusal codes Tencent passes on to the client: `[10100, 10200]` for group
/// and topic callbacks, `[120001, 130000]` for official-account callbacks.
const APP_CODES: [std::ops::RangeInclusive<u32>; 2] = [10100..=10200, 120001..=130000];

/// The reply to a callback that asks whether an action may happen: creating a group or a
/// topic, applying to join or inviting into a group, creating an official account, adding
/// subscribers.
///
/// | callback | type |
/// | --- | --- |
/// | `Group.CallbackBeforeCreateGroup` | [`BeforeCreateGroup`](crate::model::BeforeCreateGroup) |
/// | `Group.CallbackBeforeApplyJoinGroup` | [`BeforeApplyJoinGroup`](crate::model::BeforeApplyJoinGroup) |
/// | `Group.CallbackBeforeInviteJoinGroup` | [`BeforeInviteJoinGroup`](crate::model::BeforeInviteJoinGroup) (also partial refusal) |
/// | `Group.CallbackBeforeCreateTopic` | [`BeforeCreateTopic`](crate::model::BeforeCreateTopic) |
/// | `OfficialAccount.CallbackBeforeCreateOfficialAccount` | [`BeforeCreateOfficialAccount`](crate::model::BeforeCreateOfficialAccount) |
/// | `OfficialAccount.CallbackBeforeAddSubscriber` | [`OfficialAccountBeforeAddSubscriber`](crate::model::OfficialAccountBeforeAddSubscriber) (also partial refusal) |
///
/// ```
/// use actix_tim_callback::{model::BeforeInviteJoinGroup, ApprovalReply, Callback};
///
/// async fn before_invite(cb: Callback<BeforeInviteJoinGroup>) -> ApprovalReply {
///     let bots: Vec<String> = cb
///         .destination_members
///         .iter()
///         .filter(|member| member.member_account.starts_with("bot_"))
///         .map(|member| member.member_account.clone())
///         .collect();
///     if bots.is_empty() {
///         ApprovalReply::allow()
///     } else {
///         ApprovalReply::refuse_members(bots)
///     }
/// }
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ApprovalReply {
    #[serde(rename = "ActionStatus")]
    action_status: &'static str,
    #[serde(rename = "ErrorCode")]
    error_code: u32,
    #[serde(rename = "ErrorInfo")]
    error_info: String,
    #[serde(
        rename = "RefusedMembers_Account",
        skip_serializing_if = "Option::is_none"
    )]
    refused_members: Option<Vec<String>>,
    // Tencent's pages name the subscriber list both ways; both are written.
    #[serde(
        rename = "RefusedSubscribers_Account",
        skip_serializing_if = "Option::is_none"
    )]
    refused_subscribers: Option<Vec<String>>,
}

impl ApprovalReply {
    fn with_code(error_code: u32, error_info: String) -> Self {
        Self {
            action_status: "OK",
            error_code,
            error_info,
            refused_members: None,
            refused_subscribers: None,
        }
    }

    /// Let the action happen (`ErrorCode` 0).
    pub fn allow() -> Self {
        Self::with_code(0, String::new())
    }

    /// Refuse the action (`ErrorCode` 1): the caller gets error 10016 for group and topic
    /// callbacks, 20006 for official-account callbacks.
    pub fn refuse() -> Self {
        Self::with_code(1, String::new())
    }

    /// Refuse the action and pass `code` and `info` to the caller. Tencent documents the
    /// codes an app may use as `[10100, 10200]` for group and topic callbacks and
    /// `[120001, 130000]` for official-account callbacks; any other code is an error.
    pub fn refuse_with(code: u32, info: impl Into<String>) -> Result<Self, ReplyCodeError> {
        if !APP_CODES.iter().any(|range| range.contains(&code)) {
            return Err(ReplyCodeError {
                code,
                allowed: "[10100, 10200] or [120001, 130000]",
            });
        }
        Ok(Self::with_code(code, info.into()))
    }

    /// Let the invitation happen for every member but `members`
    /// (`RefusedMembers_Account`), for `Group.CallbackBeforeInviteJoinGroup`.
    pub fn refuse_members<I, S>(members: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Self {
            refused_members: Some(members.into_iter().map(Into::into).collect()),
            ..Self::allow()
        }
    }

    /// Add every subscriber but `subscribers`, for
    /// `OfficialAccount.CallbackBeforeAddSubscriber`. Tencent's pages name the list
    /// `RefusedMembers_Account` and `RefusedSubscribers_Account`; the reply carries both.
    pub fn refuse_subscribers<I, S>(subscribers: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let refused: Vec<String> = subscribers.into_iter().map(Into::into).collect();
        Self {
            refused_members: Some(refused.clone()),
            refused_subscribers: Some(refused),
            ..Self::allow()
        }
    }

    /// `ErrorCode`: `0` allow, `1` refuse, or a code of the app's own.
    pub fn error_code(&self) -> u32 {
        self.error_code
    }

    /// `ErrorInfo`: passed to the caller with a code of the app's own.
    pub fn error_info(&self) -> &str {
        &self.error_info
    }

    /// The members or subscribers refused, if the reply refuses some.
    pub fn refused(&self) -> Option<&[String]> {
        self.refused_members.as_deref()
    }
}

impl Responder for ApprovalReply {
    type Body = actix_web::body::BoxBody;

    fn respond_to(self, _: &HttpRequest) -> HttpResponse {
        json_reply(&self)
    }
}

/// The reply to the friend-check callbacks `Sns.CallbackPrevFriendAdd` and
/// `Sns.CallbackPrevFriendResponse`: a verdict per friend (`ResultItem`). Tencent ignores
/// a non-zero top-level `ErrorCode` here; only the items count, and a friend without an
/// item is allowed.
///
/// ```
/// use actix_tim_callback::{model::PrevFriendAdd, Callback, FriendCheckReply};
///
/// async fn before_friend_add(cb: Callback<PrevFriendAdd>) -> FriendCheckReply {
///     let mut reply = FriendCheckReply::new();
///     for item in &cb.friend_item {
///         reply = if item.to_account.starts_with("vip_") {
///             reply
///                 .refuse(&item.to_account, 38001, "VIPs accept no requests")
///                 .unwrap_or_else(|_| FriendCheckReply::new())
///         } else {
///             reply.allow(&item.to_account)
///         };
///     }
///     reply
/// }
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FriendCheckReply {
    #[serde(rename = "ActionStatus")]
    action_status: &'static str,
    #[serde(rename = "ErrorCode")]
    error_code: u32,
    #[serde(rename = "ErrorInfo")]
    error_info: &'static str,
    #[serde(rename = "ResultItem")]
    result_item: Vec<FriendCheckResult>,
}

/// One friend's verdict in a [`FriendCheckReply`] (`ResultItem` element).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FriendCheckResult {
    /// `To_Account`: the friend the verdict is about.
    #[serde(rename = "To_Account")]
    pub to_account: String,
    /// `ResultCode`: `0` allows; a code in `[38000, 39000]` refuses.
    #[serde(rename = "ResultCode")]
    pub result_code: u32,
    /// `ResultInfo`: why, passed to the client with a refusal.
    #[serde(rename = "ResultInfo")]
    pub result_info: String,
}

impl FriendCheckReply {
    /// The refusal codes Tencent documents for `ResultCode`.
    pub const REFUSAL_CODES: std::ops::RangeInclusive<u32> = 38000..=39000;

    /// A reply with no verdicts yet (every friend allowed).
    pub fn new() -> Self {
        Self {
            action_status: "OK",
            error_code: 0,
            error_info: "",
            result_item: Vec::new(),
        }
    }

    /// Allows the request for `to_account` (`ResultCode` 0).
    pub fn allow(mut self, to_account: impl Into<String>) -> Self {
        self.result_item.push(FriendCheckResult {
            to_account: to_account.into(),
            result_code: 0,
            result_info: String::new(),
        });
        self
    }

    /// Refuses the request for `to_account` with `code` (in
    /// [`REFUSAL_CODES`](Self::REFUSAL_CODES); any other code is an error) and `info`.
    pub fn refuse(
        mut self,
        to_account: impl Into<String>,
        code: u32,
        info: impl Into<String>,
    ) -> Result<Self, ReplyCodeError> {
        if !Self::REFUSAL_CODES.contains(&code) {
            return Err(ReplyCodeError {
                code,
                allowed: "[38000, 39000]",
            });
        }
        self.result_item.push(FriendCheckResult {
            to_account: to_account.into(),
            result_code: code,
            result_info: info.into(),
        });
        Ok(self)
    }

    /// The verdicts, in the order they were added.
    pub fn results(&self) -> &[FriendCheckResult] {
        &self.result_item
    }
}

impl Default for FriendCheckReply {
    fn default() -> Self {
        Self::new()
    }
}

impl Responder for FriendCheckReply {
    type Body = actix_web::body::BoxBody;

    fn respond_to(self, _: &HttpRequest) -> HttpResponse {
        json_reply(&self)
    }
}

/// The reply to `Chatbot.OnC2CSignalMessage`: data sent back to the chatbot (`RspData`),
/// or nothing.
///
/// ```
/// use actix_tim_callback::{model::ChatbotOnC2cSignalMessage, Callback, ChatbotReply};
///
/// async fn on_signal(cb: Callback<ChatbotOnC2cSignalMessage>) -> ChatbotReply {
///     ChatbotReply::send(r#"{"msg":"pong"}"#)
/// }
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChatbotReply {
    #[serde(rename = "ActionStatus")]
    action_status: &'static str,
    #[serde(rename = "ErrorCode")]
    error_code: u32,
    #[serde(rename = "ErrorInfo")]
    error_info: &'static str,
    #[serde(rename = "RspData")]
    rsp_data: String,
}

impl ChatbotReply {
    /// Sends `data` back to the chatbot (`ErrorCode` 0, `RspData`).
    pub fn send(data: impl Into<String>) -> Self {
        Self {
            action_status: "OK",
            error_code: 0,
            error_info: "",
            rsp_data: data.into(),
        }
    }

    /// Sends nothing back (`ErrorCode` 1; `RspData` is required, so it is empty).
    pub fn ignore() -> Self {
        Self {
            error_code: 1,
            ..Self::send("")
        }
    }

    /// `RspData`: the data sent back.
    pub fn rsp_data(&self) -> &str {
        &self.rsp_data
    }

    /// `ErrorCode`: `0` sends the data, `1` ignores it.
    pub fn error_code(&self) -> u32 {
        self.error_code
    }
}

impl Responder for ChatbotReply {
    type Body = actix_web::body::BoxBody;

    fn respond_to(self, _: &HttpRequest) -> HttpResponse {
        json_reply(&self)
    }
}
