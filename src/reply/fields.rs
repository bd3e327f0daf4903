//! The fields each kind of reply Tencent reads adds to the envelope, and their builders.

use std::marker::PhantomData;

use serde::Serialize;

use super::{CodeFamily, FriendCodes, RefusalCode, Reply};
use crate::message::MsgElement;

/// The reply to a before-send callback (`Group.CallbackBeforeSendMsg` with
/// [`GroupCodes`](super::GroupCodes), `C2C.CallbackBeforeSendMsg` and `OfficialAccount.CallbackBeforeSendMsg`
/// with [`C2cCodes`](super::C2cCodes)): let the message through, refuse it, drop it silently, or change it.
///
/// ```
/// use actix_tim_callback::model::{group::BeforeSendMsg, MsgElement};
/// use actix_tim_callback::reply::{BeforeSendReply, GroupCodes, RefusalCode};
/// use actix_tim_callback::Callback;
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
/// # actix_web::rt::System::new().block_on(async {
/// # use actix_web::{test, web, App};
/// # let app = test::init_service(App::new().service(web::scope("/cb").wrap(actix_tim_callback::TimCallback::new(actix_tim_callback::CallbackConfig::new(1400000000))).route("", web::post().to(before_send)))).await;
/// # let reply = |req: actix_tim_callback::testkit::TestCallback| {
/// #     let app = &app;
/// #     async move {
/// #         let res = test::call_service(app, req.path("/cb").to_request()).await;
/// #         assert_eq!(res.status(), 200);
/// #         serde_json::from_slice::<serde_json::Value>(&test::read_body(res).await).unwrap()
/// #     }
/// # };
/// # let sample = || actix_tim_callback::testkit::TestCallback::sample("Group.CallbackBeforeSendMsg").unwrap();
/// # assert_eq!(reply(sample()).await, serde_json::json!({"ActionStatus": "OK", "ErrorCode": 0, "ErrorInfo": ""}));
/// # let shouting = sample().edit_json(|body| body["MsgBody"][0]["MsgContent"]["Text"] = "hey!!!".into());
/// # assert_eq!(reply(shouting).await["ErrorCode"], 10100);
/// # });
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
/// topic, applying to join or inviting into a group ([`GroupCodes`](super::GroupCodes)), creating an official
/// account, adding subscribers ([`C2cCodes`](super::C2cCodes)). Which callback takes which family is in the
/// catalogue table of `model`.
///
/// ```
/// use actix_tim_callback::{model::group::BeforeInviteJoinGroup, reply::ApprovalReply, Callback, reply::GroupCodes};
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
/// # actix_web::rt::System::new().block_on(async {
/// # use actix_web::{test, web, App};
/// # let app = test::init_service(App::new().service(web::scope("/cb").wrap(actix_tim_callback::TimCallback::new(actix_tim_callback::CallbackConfig::new(1400000000))).route("", web::post().to(before_invite)))).await;
/// # let reply = |req: actix_tim_callback::testkit::TestCallback| {
/// #     let app = &app;
/// #     async move {
/// #         let res = test::call_service(app, req.path("/cb").to_request()).await;
/// #         assert_eq!(res.status(), 200);
/// #         serde_json::from_slice::<serde_json::Value>(&test::read_body(res).await).unwrap()
/// #     }
/// # };
/// # let sample = || actix_tim_callback::testkit::TestCallback::sample("Group.CallbackBeforeInviteJoinGroup").unwrap();
/// # assert_eq!(reply(sample()).await["ErrorCode"], 0);
/// # let with_a_bot = sample().edit_json(|body| body["DestinationMembers"][0]["Member_Account"] = "bot_7".into());
/// # assert_eq!(reply(with_a_bot).await["RefusedMembers_Account"], serde_json::json!(["bot_7"]));
/// # });
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
/// use actix_tim_callback::{model::sns::PrevFriendAdd, Callback, reply::FriendCheckReply, reply::FriendCodes, reply::RefusalCode};
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
/// # actix_web::rt::System::new().block_on(async {
/// # use actix_web::{test, web, App};
/// # let app = test::init_service(App::new().service(web::scope("/cb").wrap(actix_tim_callback::TimCallback::new(actix_tim_callback::CallbackConfig::new(1400000000))).route("", web::post().to(before_friend_add)))).await;
/// # let reply = |req: actix_tim_callback::testkit::TestCallback| {
/// #     let app = &app;
/// #     async move {
/// #         let res = test::call_service(app, req.path("/cb").to_request()).await;
/// #         assert_eq!(res.status(), 200);
/// #         serde_json::from_slice::<serde_json::Value>(&test::read_body(res).await).unwrap()
/// #     }
/// # };
/// # let sample = || actix_tim_callback::testkit::TestCallback::sample("Sns.CallbackPrevFriendAdd").unwrap();
/// # let vip = sample().edit_json(|body| body["FriendItem"][0]["To_Account"] = "vip_1".into());
/// # let verdicts = reply(vip).await;
/// # assert_eq!(verdicts["ResultItem"][0]["To_Account"], "vip_1");
/// # assert_eq!(verdicts["ResultItem"][0]["ResultCode"], 38001);
/// # });
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
/// use actix_tim_callback::{model::chatbot::OnC2cSignalMessage, Callback, reply::ChatbotReply};
///
/// async fn on_signal(cb: Callback<OnC2cSignalMessage>) -> ChatbotReply {
///     ChatbotReply::send(r#"{"msg":"pong"}"#)
/// }
/// # actix_web::rt::System::new().block_on(async {
/// # use actix_web::{test, web, App};
/// # let app = test::init_service(App::new().service(web::scope("/cb").wrap(actix_tim_callback::TimCallback::new(actix_tim_callback::CallbackConfig::new(1400000000))).route("", web::post().to(on_signal)))).await;
/// # let reply = |req: actix_tim_callback::testkit::TestCallback| {
/// #     let app = &app;
/// #     async move {
/// #         let res = test::call_service(app, req.path("/cb").to_request()).await;
/// #         assert_eq!(res.status(), 200);
/// #         serde_json::from_slice::<serde_json::Value>(&test::read_body(res).await).unwrap()
/// #     }
/// # };
/// # let sample = || actix_tim_callback::testkit::TestCallback::sample("Chatbot.OnC2CSignalMessage").unwrap();
/// # assert_eq!(reply(sample()).await["RspData"], r#"{"msg":"pong"}"#);
/// # });
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
/// use actix_tim_callback::{model::desk::OnAssignHuman, reply::AssignAgentReply, Callback};
///
/// async fn on_assign(cb: Callback<OnAssignHuman>) -> AssignAgentReply {
///     AssignAgentReply::group(6521).with_agents(["svc1@example.com", "svc2@example.com"])
/// }
/// # actix_web::rt::System::new().block_on(async {
/// # use actix_web::{test, web, App};
/// # let app = test::init_service(App::new().service(web::scope("/cb").wrap(actix_tim_callback::TimCallback::new(actix_tim_callback::CallbackConfig::new(1400000000))).route("", web::post().to(on_assign)))).await;
/// # let reply = |req: actix_tim_callback::testkit::TestCallback| {
/// #     let app = &app;
/// #     async move {
/// #         let res = test::call_service(app, req.path("/cb").to_request()).await;
/// #         assert_eq!(res.status(), 200);
/// #         serde_json::from_slice::<serde_json::Value>(&test::read_body(res).await).unwrap()
/// #     }
/// # };
/// # let sample = || actix_tim_callback::testkit::TestCallback::sample("ChatBot.OnAssignHuman").unwrap();
/// # let assigned = reply(sample()).await;
/// # assert_eq!(assigned["AgentGroupId"], 6521);
/// # assert_eq!(assigned["AgentIdList"], serde_json::json!(["svc1@example.com", "svc2@example.com"]));
/// # });
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
