//! What a handler answers: the fixed OK reply ([`Ack`]), and the replies Tencent reads,
//! all one envelope ([`Reply`]) with the fields of their callback.
//!
//! An app's own refusal codes are a [`RefusalCode`] of the callback's family, checked once
//! when it is made, so a `refuse…` builder cannot fail and cannot take another family's code.

use std::{fmt, marker::PhantomData, ops::RangeInclusive};

use actix_web::{http::header, web::Bytes, HttpRequest, HttpResponse, Responder};
use serde::Serialize;

use crate::model::MsgElement;

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

/// The `Content-Type` of every reply.
pub(crate) fn mime_json() -> header::HeaderValue {
    header::HeaderValue::from_static("application/json")
}

pub(crate) fn ack_response() -> HttpResponse {
    json_response(Bytes::from_static(OK_BODY.as_bytes()))
}

fn json_response(body: impl Into<Bytes>) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, mime_json()))
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
struct NoFields {}

/// Tencent's reply envelope (`ActionStatus`, `ErrorCode`, `ErrorInfo`) with the fields of
/// one kind of reply (`F`): the one type behind [`BeforeSendReply`], [`ApprovalReply`],
/// [`FriendCheckReply`], [`ChatbotReply`] and [`AssignAgentReply`].
///
/// `ActionStatus` is always `OK`, also when refusing (as Tencent's samples show); the fields
/// are read through methods, so a reply cannot be made to say `FAIL`. The
/// [`TimCallback`](crate::TimCallback) middleware passes it through unchanged.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Reply<F> {
    action_status: &'static str,
    error_code: u32,
    error_info: String,
    #[serde(flatten)]
    fields: F,
}

impl<F> Reply<F> {
    fn envelope(error_code: u32, error_info: String, fields: F) -> Self {
        Self {
            action_status: "OK",
            error_code,
            error_info,
            fields,
        }
    }

    /// `ErrorCode`: `0` lets the action happen; what other codes mean depends on the
    /// callback (see each reply's constructors).
    pub fn error_code(&self) -> u32 {
        self.error_code
    }

    /// `ErrorInfo`: passed to the client with a code of the app's own.
    pub fn error_info(&self) -> &str {
        &self.error_info
    }
}

// The one Responder of every reply Tencent reads.
impl<F: Serialize> Responder for Reply<F> {
    type Body = actix_web::body::BoxBody;

    fn respond_to(self, _: &HttpRequest) -> HttpResponse {
        match serde_json::to_vec(&self) {
            Ok(body) => json_response(body),
            Err(err) => {
                log::error!("could not encode a Tencent IM callback reply: {err}");
                HttpResponse::InternalServerError().finish()
            }
        }
    }
}

impl<F: Serialize> CallbackReply for Reply<F> {
    const READ_BY_TENCENT: bool = true;
}

/// The codes an app may refuse with in one family of callbacks ([`FriendCodes`],
/// [`GroupCodes`], [`C2cCodes`]); sealed.
pub trait CodeFamily: sealed::Sealed {
    /// The codes Tencent documents for the family.
    const CODES: RangeInclusive<u32>;
}

mod sealed {
    pub trait Sealed {}
    impl Sealed for super::FriendCodes {}
    impl Sealed for super::GroupCodes {}
    impl Sealed for super::C2cCodes {}
}

/// The friend checks (`Sns.CallbackPrev*`): `ResultCode` in `[38000, 39000]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FriendCodes {}

impl CodeFamily for FriendCodes {
    const CODES: RangeInclusive<u32> = 38000..=39000;
}

/// Group and topic callbacks (`Group.*`): `ErrorCode` in `[10100, 10200]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupCodes {}

impl CodeFamily for GroupCodes {
    const CODES: RangeInclusive<u32> = 10100..=10200;
}

/// One-to-one and official-account callbacks (`C2C.*`, `OfficialAccount.*`): `ErrorCode`
/// in `[120001, 130000]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum C2cCodes {}

impl CodeFamily for C2cCodes {
    const CODES: RangeInclusive<u32> = 120001..=130000;
}

/// A refusal code of the app's own, in the range Tencent documents for family `F`.
///
/// ```
/// use actix_tim_callback::{GroupCodes, RefusalCode};
///
/// // In a `const`, a code out of range fails the build.
/// const QUOTA: RefusalCode<GroupCodes> = RefusalCode::of(10150);
/// assert_eq!(QUOTA.get(), 10150);
///
/// // At run time, it is an error.
/// assert!(RefusalCode::<GroupCodes>::new(120001).is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RefusalCode<F> {
    code: u32,
    family: PhantomData<fn() -> F>,
}

impl<F: CodeFamily> RefusalCode<F> {
    /// `code`, or an error when it is outside [`F::CODES`](CodeFamily::CODES).
    pub const fn new(code: u32) -> Result<Self, ReplyCodeError> {
        if code < *F::CODES.start() || code > *F::CODES.end() {
            return Err(ReplyCodeError {
                code,
                allowed: F::CODES,
            });
        }
        Ok(Self {
            code,
            family: PhantomData,
        })
    }

    /// `code`, for a `const`: a code outside [`F::CODES`](CodeFamily::CODES) fails the build
    /// there (and panics anywhere else; use [`new`](Self::new) at run time).
    pub const fn of(code: u32) -> Self {
        match Self::new(code) {
            Ok(code) => code,
            Err(_) => panic!("refusal code outside the range Tencent documents for its family"),
        }
    }

    /// The code.
    pub const fn get(self) -> u32 {
        self.code
    }
}

impl<F: CodeFamily> TryFrom<u32> for RefusalCode<F> {
    type Error = ReplyCodeError;

    fn try_from(code: u32) -> Result<Self, ReplyCodeError> {
        Self::new(code)
    }
}

/// A refusal code outside the range Tencent documents for its family (see
/// [`RefusalCode::new`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReplyCodeError {
    /// The code given.
    pub code: u32,
    /// The codes Tencent documents for the family.
    pub allowed: RangeInclusive<u32>,
}

impl fmt::Display for ReplyCodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "reply code {} is outside the documented range [{}, {}]",
            self.code,
            self.allowed.start(),
            self.allowed.end()
        )
    }
}

impl std::error::Error for ReplyCodeError {}

/// The reply to a before-send callback (`Group.CallbackBeforeSendMsg` with
/// [`GroupCodes`], `C2C.CallbackBeforeSendMsg` and `OfficialAccount.CallbackBeforeSendMsg`
/// with [`C2cCodes`]): let the message through, refuse it, drop it silently, or change it.
///
/// ```
/// use actix_tim_callback::{
///     model::{group::BeforeSendMsg, MsgElement},
///     BeforeSendReply, Callback, GroupCodes, RefusalCode,
/// };
///
/// const SHOUTING: RefusalCode<GroupCodes> = RefusalCode::of(10100);
///
/// async fn before_send(cb: Callback<BeforeSendMsg>) -> BeforeSendReply<GroupCodes> {
///     let shouts = cb.msg_body.iter().any(|element| match element {
///         MsgElement::Text(text) => text.text.as_deref().is_some_and(|t| t.contains("!!!")),
///         _ => false,
///     });
///     if shouts {
///         BeforeSendReply::refuse_with(SHOUTING, "no shouting")
///     } else {
///         BeforeSendReply::allow()
///     }
/// }
/// ```
pub type BeforeSendReply<F> = Reply<BeforeSendFields<F>>;

/// The fields of a [`BeforeSendReply`] beyond the envelope: `MsgBody`, `CloudCustomData`.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct BeforeSendFields<F> {
    msg_body: Option<Vec<MsgElement>>,
    cloud_custom_data: Option<String>,
    #[serde(skip)]
    family: PhantomData<fn() -> F>,
}

impl<F> Default for BeforeSendFields<F> {
    fn default() -> Self {
        Self {
            msg_body: None,
            cloud_custom_data: None,
            family: PhantomData,
        }
    }
}

impl<F: CodeFamily> Reply<BeforeSendFields<F>> {
    /// Deliver the message as it was sent (`ErrorCode` 0).
    pub fn allow() -> Self {
        Self::envelope(0, String::new(), BeforeSendFields::default())
    }

    /// Do not deliver the message (`ErrorCode` 1); the sender gets error 10016 for a group
    /// message, 20006 for a one-to-one message.
    pub fn refuse() -> Self {
        Self::envelope(1, String::new(), BeforeSendFields::default())
    }

    /// Do not deliver the message, and tell the sender it was (`ErrorCode` 2).
    pub fn discard() -> Self {
        Self::envelope(2, String::new(), BeforeSendFields::default())
    }

    /// Do not deliver the message, and pass `code` and `info` to the sender.
    pub fn refuse_with(code: RefusalCode<F>, info: impl Into<String>) -> Self {
        Self::envelope(code.get(), info.into(), BeforeSendFields::default())
    }

    /// Deliver `msg_body` instead of the message sent (`ErrorCode` 0).
    pub fn replace_body(msg_body: Vec<MsgElement>) -> Self {
        let mut reply = Self::allow();
        reply.fields.msg_body = Some(msg_body);
        reply
    }

    /// Also deliver `data` as the message's `CloudCustomData`.
    pub fn with_cloud_custom_data(mut self, data: impl Into<String>) -> Self {
        self.fields.cloud_custom_data = Some(data.into());
        self
    }

    /// `MsgBody`: the message body to deliver instead of the one sent.
    pub fn msg_body(&self) -> Option<&[MsgElement]> {
        self.fields.msg_body.as_deref()
    }

    /// `CloudCustomData`: the custom data to deliver instead of the one sent.
    pub fn cloud_custom_data(&self) -> Option<&str> {
        self.fields.cloud_custom_data.as_deref()
    }
}

/// The reply to a callback that asks whether an action may happen: creating a group or a
/// topic, applying to join or inviting into a group ([`GroupCodes`]), creating an official
/// account, adding subscribers ([`C2cCodes`]). Which callback takes which family is in the
/// catalogue table of `model`.
///
/// ```
/// use actix_tim_callback::{model::group::BeforeInviteJoinGroup, ApprovalReply, Callback, GroupCodes};
///
/// async fn before_invite(cb: Callback<BeforeInviteJoinGroup>) -> ApprovalReply<GroupCodes> {
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
pub type ApprovalReply<F> = Reply<ApprovalFields<F>>;

/// The fields of an [`ApprovalReply`] beyond the envelope: the members or subscribers
/// refused.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ApprovalFields<F> {
    #[serde(rename = "RefusedMembers_Account")]
    refused_members: Option<Vec<String>>,
    // Tencent's pages name the subscriber list both ways; both are written.
    #[serde(rename = "RefusedSubscribers_Account")]
    refused_subscribers: Option<Vec<String>>,
    #[serde(skip)]
    family: PhantomData<fn() -> F>,
}

impl<F> Default for ApprovalFields<F> {
    fn default() -> Self {
        Self {
            refused_members: None,
            refused_subscribers: None,
            family: PhantomData,
        }
    }
}

impl<F: CodeFamily> Reply<ApprovalFields<F>> {
    /// Let the action happen (`ErrorCode` 0).
    pub fn allow() -> Self {
        Self::envelope(0, String::new(), ApprovalFields::default())
    }

    /// Refuse the action (`ErrorCode` 1): the caller gets error 10016 for group and topic
    /// callbacks, 20006 for official-account callbacks.
    pub fn refuse() -> Self {
        Self::envelope(1, String::new(), ApprovalFields::default())
    }

    /// Refuse the action and pass `code` and `info` to the caller.
    pub fn refuse_with(code: RefusalCode<F>, info: impl Into<String>) -> Self {
        Self::envelope(code.get(), info.into(), ApprovalFields::default())
    }

    /// Let the invitation happen for every member but `members`
    /// (`RefusedMembers_Account`), for `Group.CallbackBeforeInviteJoinGroup`.
    pub fn refuse_members<I, S>(members: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let mut reply = Self::allow();
        reply.fields.refused_members = Some(members.into_iter().map(Into::into).collect());
        reply
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
        let mut reply = Self::allow();
        reply.fields.refused_members = Some(refused.clone());
        reply.fields.refused_subscribers = Some(refused);
        reply
    }

    /// The members or subscribers refused, if the reply refuses some.
    pub fn refused(&self) -> Option<&[String]> {
        self.fields.refused_members.as_deref()
    }
}

/// The reply to the friend checks `Sns.CallbackPrevFriendAdd` and
/// `Sns.CallbackPrevFriendResponse`: a verdict per friend (`ResultItem`). Tencent ignores a
/// non-zero top-level `ErrorCode` here; only the items count, and a friend without an item
/// is allowed.
///
/// ```
/// use actix_tim_callback::{model::sns::PrevFriendAdd, Callback, FriendCheckReply, FriendCodes, RefusalCode};
///
/// const VIP: RefusalCode<FriendCodes> = RefusalCode::of(38001);
///
/// async fn before_friend_add(cb: Callback<PrevFriendAdd>) -> FriendCheckReply {
///     let mut reply = FriendCheckReply::new();
///     for item in &cb.friend_item {
///         reply = if item.to_account.starts_with("vip_") {
///             reply.refuse(&item.to_account, VIP, "VIPs accept no requests")
///         } else {
///             reply.allow(&item.to_account)
///         };
///     }
///     reply
/// }
/// ```
pub type FriendCheckReply = Reply<FriendCheckFields>;

/// The fields of a [`FriendCheckReply`] beyond the envelope: `ResultItem`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct FriendCheckFields {
    result_item: Vec<FriendCheckResult>,
}

/// One friend's verdict in a [`FriendCheckReply`] (`ResultItem` element).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct FriendCheckResult {
    /// `To_Account`: the friend the verdict is about.
    #[serde(rename = "To_Account")]
    pub to_account: String,
    /// `ResultCode`: `0` allows; a [`RefusalCode<FriendCodes>`] refuses.
    pub result_code: u32,
    /// `ResultInfo`: why, passed to the client with a refusal.
    pub result_info: String,
}

impl Reply<FriendCheckFields> {
    /// A reply with no verdicts yet (every friend allowed).
    pub fn new() -> Self {
        Self::envelope(0, String::new(), FriendCheckFields::default())
    }

    /// Allows the request for `to_account` (`ResultCode` 0).
    pub fn allow(self, to_account: impl Into<String>) -> Self {
        self.verdict(to_account.into(), 0, String::new())
    }

    /// Refuses the request for `to_account` with `code` and `info`.
    pub fn refuse(
        self,
        to_account: impl Into<String>,
        code: RefusalCode<FriendCodes>,
        info: impl Into<String>,
    ) -> Self {
        self.verdict(to_account.into(), code.get(), info.into())
    }

    fn verdict(mut self, to_account: String, result_code: u32, result_info: String) -> Self {
        self.fields.result_item.push(FriendCheckResult {
            to_account,
            result_code,
            result_info,
        });
        self
    }

    /// The verdicts, in the order they were added.
    pub fn results(&self) -> &[FriendCheckResult] {
        &self.fields.result_item
    }
}

impl Default for Reply<FriendCheckFields> {
    fn default() -> Self {
        Self::new()
    }
}

/// The reply to `Chatbot.OnC2CSignalMessage`: data sent back to the chatbot (`RspData`),
/// or nothing.
///
/// ```
/// use actix_tim_callback::{model::chatbot::OnC2cSignalMessage, Callback, ChatbotReply};
///
/// async fn on_signal(cb: Callback<OnC2cSignalMessage>) -> ChatbotReply {
///     ChatbotReply::send(r#"{"msg":"pong"}"#)
/// }
/// ```
pub type ChatbotReply = Reply<ChatbotFields>;

/// The fields of a [`ChatbotReply`] beyond the envelope: `RspData`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ChatbotFields {
    rsp_data: String,
}

impl Reply<ChatbotFields> {
    /// Sends `data` back to the chatbot (`ErrorCode` 0, `RspData`).
    pub fn send(data: impl Into<String>) -> Self {
        Self::envelope(
            0,
            String::new(),
            ChatbotFields {
                rsp_data: data.into(),
            },
        )
    }

    /// Sends nothing back (`ErrorCode` 1; `RspData` is required, so it is empty).
    pub fn ignore() -> Self {
        Self::envelope(
            1,
            String::new(),
            ChatbotFields {
                rsp_data: String::new(),
            },
        )
    }

    /// `RspData`: the data sent back.
    pub fn rsp_data(&self) -> &str {
        &self.fields.rsp_data
    }
}

/// The reply to the customer-service routing callbacks `ChatBot.OnAssignAgent` and
/// `ChatBot.OnAssignHuman`: which agent group (`AgentGroupId`) and agents (`AgentIdList`)
/// to assign the session to. With neither, the Desk assigns by its own rules.
///
/// ```
/// use actix_tim_callback::{model::chat_bot::OnAssignHuman, AssignAgentReply, Callback};
///
/// async fn on_assign(cb: Callback<OnAssignHuman>) -> AssignAgentReply {
///     AssignAgentReply::group(6521).with_agents(["svc1@example.com", "svc2@example.com"])
/// }
/// ```
pub type AssignAgentReply = Reply<AssignAgentFields>;

/// The fields of an [`AssignAgentReply`] beyond the envelope: `AgentGroupId`,
/// `AgentIdList`.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct AssignAgentFields {
    agent_group_id: Option<u64>,
    agent_id_list: Option<Vec<String>>,
}

impl Reply<AssignAgentFields> {
    /// Leaves the choice to the Desk's own routing rules (`ErrorCode` 0, no agent named).
    pub fn any_agent() -> Self {
        Self::envelope(0, String::new(), AssignAgentFields::default())
    }

    /// Assigns an agent of group `agent_group_id` (`AgentGroupId`).
    pub fn group(agent_group_id: u64) -> Self {
        let mut reply = Self::any_agent();
        reply.fields.agent_group_id = Some(agent_group_id);
        reply
    }

    /// Assigns one of `agents` (`AgentIdList`; for `ChatBot.OnAssignHuman`, the agents'
    /// e-mail addresses), by their availability.
    pub fn agents<I, S>(agents: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Self::any_agent().with_agents(agents)
    }

    /// Also names the agents (`AgentIdList`) to choose from.
    pub fn with_agents<I, S>(mut self, agents: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.fields.agent_id_list = Some(agents.into_iter().map(Into::into).collect());
        self
    }

    /// `AgentGroupId`: the agent group named, if any.
    pub fn agent_group_id(&self) -> Option<u64> {
        self.fields.agent_group_id
    }

    /// `AgentIdList`: the agents named, if any.
    pub fn agent_id_list(&self) -> Option<&[String]> {
        self.fields.agent_id_list.as_deref()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fail_envelope_is_tencents_shape() {
        let body = fail_body(40100, "say \"no\"");
        let json: serde_json::Value = serde_json::from_slice(&body).expect("JSON");
        assert_eq!(
            json,
            serde_json::json!({"ActionStatus": "FAIL", "ErrorCode": 40100, "ErrorInfo": "say \"no\""})
        );
    }

    #[test]
    fn ok_body_is_the_envelope_with_nothing_refused() {
        let ok: serde_json::Value = serde_json::from_str(OK_BODY).expect("JSON");
        let envelope =
            serde_json::to_value(Reply::envelope(0, String::new(), NoFields {})).expect("JSON");
        assert_eq!(ok, envelope);
    }
}
