//! Every callback on one route: [`AnyEvent`], typed by its command.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

use super::*;

/// Any Tencent IM callback, decoded by its `CallbackCommand` into the type of that command,
/// for handlers that take every callback on one route.
///
/// `Callback<AnyEvent>` needs no guard: it dispatches on the query's `CallbackCommand` (the
/// body's when the query has none). A command the crate does not type is kept as
/// [`Unknown`](Self::Unknown), with its raw JSON, and never rejected. Serialising writes
/// the body back in Tencent's shape.
///
/// ```
/// use actix_tim_callback::{model::AnyEvent, Ack, Callback};
///
/// async fn every_callback(cb: Callback<AnyEvent>) -> Ack {
///     match &cb.event {
///         AnyEvent::StateChange(change) => println!("{:?} went {}", change.info.to_account, change.info.action),
///         AnyEvent::SendMsgException(exception) => println!("lost a message: {}", exception.kind()),
///         other if other.is_unknown() => println!("untyped command {}", other.command()),
///         other => println!("{}", other.command()),
///     }
///     Ack
/// }
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum AnyEvent {
    /// `Alert.RequestOverLimit`.
    RequestOverLimit(Box<RequestOverLimit>),
    /// `State.StateChange`.
    StateChange(Box<StateChange>),
    /// `Profile.CallbackPortraitSet`.
    PortraitSet(Box<PortraitSet>),
    /// `Sns.CallbackPrevFriendAdd`.
    PrevFriendAdd(Box<PrevFriendAdd>),
    /// `Sns.CallbackPrevFriendResponse`.
    PrevFriendResponse(Box<PrevFriendResponse>),
    /// `Sns.CallbackFriendAdd`.
    FriendAdd(Box<FriendAdd>),
    /// `Sns.CallbackFriendDelete`.
    FriendDelete(Box<FriendDelete>),
    /// `Sns.CallbackBlackListAdd`.
    BlackListAdd(Box<BlackListAdd>),
    /// `Sns.CallbackBlackListDelete`.
    BlackListDelete(Box<BlackListDelete>),
    /// `Follow.CallbackAfterFollowAdd`.
    AfterFollowAdd(Box<AfterFollowAdd>),
    /// `Follow.CallbackAfterFollowDelete`.
    AfterFollowDelete(Box<AfterFollowDelete>),
    /// `C2C.CallbackBeforeSendMsg`.
    C2cBeforeSendMsg(Box<C2cBeforeSendMsg>),
    /// `C2C.CallbackAfterSendMsg`.
    C2cAfterSendMsg(Box<C2cAfterSendMsg>),
    /// `C2C.CallbackAfterMsgReport`.
    C2cAfterMsgReport(Box<C2cAfterMsgReport>),
    /// `C2C.CallbackAfterMsgWithDraw`.
    C2cAfterMsgWithdraw(Box<C2cAfterMsgWithdraw>),
    /// `C2C.CallbackAfterC2CMsgExtension`.
    AfterC2cMsgExtension(Box<AfterC2cMsgExtension>),
    /// `C2C.CallbackAfterMsgReadReceipt`.
    C2cAfterMsgReadReceipt(Box<C2cAfterMsgReadReceipt>),
    /// `C2C.CallbackAfterModifyMsg`.
    C2cAfterModifyMsg(Box<C2cAfterModifyMsg>),
    /// `C2C.CallbackAfterMsgReadAll`.
    C2cAfterMsgReadAll(Box<C2cAfterMsgReadAll>),
    /// `Group.CallbackBeforeCreateGroup`.
    BeforeCreateGroup(Box<BeforeCreateGroup>),
    /// `Group.CallbackAfterCreateGroup`.
    AfterCreateGroup(Box<AfterCreateGroup>),
    /// `Group.CallbackBeforeApplyJoinGroup`.
    BeforeApplyJoinGroup(Box<BeforeApplyJoinGroup>),
    /// `Group.CallbackBeforeInviteJoinGroup`.
    BeforeInviteJoinGroup(Box<BeforeInviteJoinGroup>),
    /// `Group.CallbackAfterNewMemberJoin`.
    GroupAfterNewMemberJoin(Box<GroupAfterNewMemberJoin>),
    /// `Group.CallbackAfterMemberExit`.
    GroupAfterMemberExit(Box<GroupAfterMemberExit>),
    /// `Group.CallbackBeforeSendMsg`.
    GroupBeforeSendMsg(Box<GroupBeforeSendMsg>),
    /// `Group.CallbackAfterSendMsg`.
    GroupAfterSendMsg(Box<GroupAfterSendMsg>),
    /// `Group.CallbackAfterGroupFull`.
    AfterGroupFull(Box<AfterGroupFull>),
    /// `Group.CallbackAfterGroupDestroyed`.
    AfterGroupDestroyed(Box<AfterGroupDestroyed>),
    /// `Group.CallbackAfterGroupInfoChanged`.
    AfterGroupInfoChanged(Box<AfterGroupInfoChanged>),
    /// `Group.CallbackAfterRecallMsg`.
    GroupAfterRecallMsg(Box<GroupAfterRecallMsg>),
    /// `Group.CallbackOnMemberStateChange`.
    GroupOnMemberStateChange(Box<GroupOnMemberStateChange>),
    /// `Group.CallbackSendMsgException`.
    SendMsgException(Box<SendMsgException>),
    /// `Group.CallbackAfterMemberFieldChanged`.
    GroupAfterMemberFieldChanged(Box<GroupAfterMemberFieldChanged>),
    /// `Group.CallbackAfterGroupAttrChanged`.
    AfterGroupAttrChanged(Box<AfterGroupAttrChanged>),
    /// `Group.CallbackAfterReadReceipt`.
    GroupAfterReadReceipt(Box<GroupAfterReadReceipt>),
    /// `Group.CallbackAfterChangeGroupOwner`.
    AfterChangeGroupOwner(Box<AfterChangeGroupOwner>),
    /// `Group.CallbackOnDailyGroupQuotaAlarm`.
    OnDailyGroupQuotaAlarm(Box<OnDailyGroupQuotaAlarm>),
    /// `Group.CallbackAfterGroupMsgExtension`.
    AfterGroupMsgExtension(Box<AfterGroupMsgExtension>),
    /// `Group.CallbackBeforeCreateTopic`.
    BeforeCreateTopic(Box<BeforeCreateTopic>),
    /// `Group.CallbackAfterCreateTopic`.
    AfterCreateTopic(Box<AfterCreateTopic>),
    /// `Group.CallbackAfterTopicDestroyed`.
    AfterTopicDestroyed(Box<AfterTopicDestroyed>),
    /// `Group.CallbackAfterTopicInfoChanged`.
    AfterTopicInfoChanged(Box<AfterTopicInfoChanged>),
    /// `ContentCallback.ResultNotify`.
    ContentResultNotify(Box<ContentResultNotify>),
    /// `Bot.OnC2CMessage`.
    BotOnC2cMessage(Box<BotOnC2cMessage>),
    /// `Bot.OnGroupMessage`.
    BotOnGroupMessage(Box<BotOnGroupMessage>),
    /// `Chatbot.OnC2CSignalMessage`.
    ChatbotOnC2cSignalMessage(Box<ChatbotOnC2cSignalMessage>),
    /// `OfficialAccount.CallbackBeforeCreateOfficialAccount`.
    BeforeCreateOfficialAccount(Box<BeforeCreateOfficialAccount>),
    /// `OfficialAccount.CallbackAfterCreateOfficialAccount`.
    AfterCreateOfficialAccount(Box<AfterCreateOfficialAccount>),
    /// `OfficialAccount.CallbackAfterOfficialAccountInfoChanged`.
    AfterOfficialAccountInfoChanged(Box<AfterOfficialAccountInfoChanged>),
    /// `OfficialAccount.CallbackAfterOfficialAccountDestroyed`.
    AfterOfficialAccountDestroyed(Box<AfterOfficialAccountDestroyed>),
    /// `OfficialAccount.CallbackBeforeAddSubscriber`.
    OfficialAccountBeforeAddSubscriber(Box<OfficialAccountBeforeAddSubscriber>),
    /// `OfficialAccount.CallbackAfterAddSubscriber`.
    OfficialAccountAfterAddSubscriber(Box<OfficialAccountAfterAddSubscriber>),
    /// `OfficialAccount.CallbackAfterOfficialAccountFull`.
    AfterOfficialAccountFull(Box<AfterOfficialAccountFull>),
    /// `OfficialAccount.CallbackAfterDeleteSubscriber`.
    OfficialAccountAfterDeleteSubscriber(Box<OfficialAccountAfterDeleteSubscriber>),
    /// `OfficialAccount.CallbackBeforeSendMsg`.
    OfficialAccountBeforeSendMsg(Box<OfficialAccountBeforeSendMsg>),
    /// `OfficialAccount.CallbackAfterSendMsg`.
    OfficialAccountAfterSendMsg(Box<OfficialAccountAfterSendMsg>),
    /// `OfficialAccount.CallbackAfterMsgWithDraw`.
    OfficialAccountAfterMsgWithdraw(Box<OfficialAccountAfterMsgWithdraw>),
    /// `Push.OfflinePush`.
    OfflinePush(Box<OfflinePush>),
    /// `Push.AllMemberPush`.
    AllMemberPush(Box<AllMemberPush>),
    /// A command the crate does not type, kept as sent.
    Unknown {
        /// The `CallbackCommand` (empty when the request named none).
        command: String,
        /// The body as sent.
        body: Value,
    },
}

impl AnyEvent {
    /// The 60 commands the crate types, in the order of Tencent's catalogue.
    pub const COMMANDS: [&'static str; 60] = [
        RequestOverLimit::COMMAND,
        StateChange::COMMAND,
        PortraitSet::COMMAND,
        PrevFriendAdd::COMMAND,
        PrevFriendResponse::COMMAND,
        FriendAdd::COMMAND,
        FriendDelete::COMMAND,
        BlackListAdd::COMMAND,
        BlackListDelete::COMMAND,
        AfterFollowAdd::COMMAND,
        AfterFollowDelete::COMMAND,
        C2cBeforeSendMsg::COMMAND,
        C2cAfterSendMsg::COMMAND,
        C2cAfterMsgReport::COMMAND,
        C2cAfterMsgWithdraw::COMMAND,
        AfterC2cMsgExtension::COMMAND,
        C2cAfterMsgReadReceipt::COMMAND,
        C2cAfterModifyMsg::COMMAND,
        C2cAfterMsgReadAll::COMMAND,
        BeforeCreateGroup::COMMAND,
        AfterCreateGroup::COMMAND,
        BeforeApplyJoinGroup::COMMAND,
        BeforeInviteJoinGroup::COMMAND,
        GroupAfterNewMemberJoin::COMMAND,
        GroupAfterMemberExit::COMMAND,
        GroupBeforeSendMsg::COMMAND,
        GroupAfterSendMsg::COMMAND,
        AfterGroupFull::COMMAND,
        AfterGroupDestroyed::COMMAND,
        AfterGroupInfoChanged::COMMAND,
        GroupAfterRecallMsg::COMMAND,
        GroupOnMemberStateChange::COMMAND,
        SendMsgException::COMMAND,
        GroupAfterMemberFieldChanged::COMMAND,
        AfterGroupAttrChanged::COMMAND,
        GroupAfterReadReceipt::COMMAND,
        AfterChangeGroupOwner::COMMAND,
        OnDailyGroupQuotaAlarm::COMMAND,
        AfterGroupMsgExtension::COMMAND,
        BeforeCreateTopic::COMMAND,
        AfterCreateTopic::COMMAND,
        AfterTopicDestroyed::COMMAND,
        AfterTopicInfoChanged::COMMAND,
        ContentResultNotify::COMMAND,
        BotOnC2cMessage::COMMAND,
        BotOnGroupMessage::COMMAND,
        ChatbotOnC2cSignalMessage::COMMAND,
        BeforeCreateOfficialAccount::COMMAND,
        AfterCreateOfficialAccount::COMMAND,
        AfterOfficialAccountInfoChanged::COMMAND,
        AfterOfficialAccountDestroyed::COMMAND,
        OfficialAccountBeforeAddSubscriber::COMMAND,
        OfficialAccountAfterAddSubscriber::COMMAND,
        AfterOfficialAccountFull::COMMAND,
        OfficialAccountAfterDeleteSubscriber::COMMAND,
        OfficialAccountBeforeSendMsg::COMMAND,
        OfficialAccountAfterSendMsg::COMMAND,
        OfficialAccountAfterMsgWithdraw::COMMAND,
        OfflinePush::COMMAND,
        AllMemberPush::COMMAND,
    ];

    /// The event's `CallbackCommand`, e.g. `State.StateChange`.
    pub fn command(&self) -> &str {
        match self {
            Self::RequestOverLimit(_) => RequestOverLimit::COMMAND,
            Self::StateChange(_) => StateChange::COMMAND,
            Self::PortraitSet(_) => PortraitSet::COMMAND,
            Self::PrevFriendAdd(_) => PrevFriendAdd::COMMAND,
            Self::PrevFriendResponse(_) => PrevFriendResponse::COMMAND,
            Self::FriendAdd(_) => FriendAdd::COMMAND,
            Self::FriendDelete(_) => FriendDelete::COMMAND,
            Self::BlackListAdd(_) => BlackListAdd::COMMAND,
            Self::BlackListDelete(_) => BlackListDelete::COMMAND,
            Self::AfterFollowAdd(_) => AfterFollowAdd::COMMAND,
            Self::AfterFollowDelete(_) => AfterFollowDelete::COMMAND,
            Self::C2cBeforeSendMsg(_) => C2cBeforeSendMsg::COMMAND,
            Self::C2cAfterSendMsg(_) => C2cAfterSendMsg::COMMAND,
            Self::C2cAfterMsgReport(_) => C2cAfterMsgReport::COMMAND,
            Self::C2cAfterMsgWithdraw(_) => C2cAfterMsgWithdraw::COMMAND,
            Self::AfterC2cMsgExtension(_) => AfterC2cMsgExtension::COMMAND,
            Self::C2cAfterMsgReadReceipt(_) => C2cAfterMsgReadReceipt::COMMAND,
            Self::C2cAfterModifyMsg(_) => C2cAfterModifyMsg::COMMAND,
            Self::C2cAfterMsgReadAll(_) => C2cAfterMsgReadAll::COMMAND,
            Self::BeforeCreateGroup(_) => BeforeCreateGroup::COMMAND,
            Self::AfterCreateGroup(_) => AfterCreateGroup::COMMAND,
            Self::BeforeApplyJoinGroup(_) => BeforeApplyJoinGroup::COMMAND,
            Self::BeforeInviteJoinGroup(_) => BeforeInviteJoinGroup::COMMAND,
            Self::GroupAfterNewMemberJoin(_) => GroupAfterNewMemberJoin::COMMAND,
            Self::GroupAfterMemberExit(_) => GroupAfterMemberExit::COMMAND,
            Self::GroupBeforeSendMsg(_) => GroupBeforeSendMsg::COMMAND,
            Self::GroupAfterSendMsg(_) => GroupAfterSendMsg::COMMAND,
            Self::AfterGroupFull(_) => AfterGroupFull::COMMAND,
            Self::AfterGroupDestroyed(_) => AfterGroupDestroyed::COMMAND,
            Self::AfterGroupInfoChanged(_) => AfterGroupInfoChanged::COMMAND,
            Self::GroupAfterRecallMsg(_) => GroupAfterRecallMsg::COMMAND,
            Self::GroupOnMemberStateChange(_) => GroupOnMemberStateChange::COMMAND,
            Self::SendMsgException(_) => SendMsgException::COMMAND,
            Self::GroupAfterMemberFieldChanged(_) => GroupAfterMemberFieldChanged::COMMAND,
            Self::AfterGroupAttrChanged(_) => AfterGroupAttrChanged::COMMAND,
            Self::GroupAfterReadReceipt(_) => GroupAfterReadReceipt::COMMAND,
            Self::AfterChangeGroupOwner(_) => AfterChangeGroupOwner::COMMAND,
            Self::OnDailyGroupQuotaAlarm(_) => OnDailyGroupQuotaAlarm::COMMAND,
            Self::AfterGroupMsgExtension(_) => AfterGroupMsgExtension::COMMAND,
            Self::BeforeCreateTopic(_) => BeforeCreateTopic::COMMAND,
            Self::AfterCreateTopic(_) => AfterCreateTopic::COMMAND,
            Self::AfterTopicDestroyed(_) => AfterTopicDestroyed::COMMAND,
            Self::AfterTopicInfoChanged(_) => AfterTopicInfoChanged::COMMAND,
            Self::ContentResultNotify(_) => ContentResultNotify::COMMAND,
            Self::BotOnC2cMessage(_) => BotOnC2cMessage::COMMAND,
            Self::BotOnGroupMessage(_) => BotOnGroupMessage::COMMAND,
            Self::ChatbotOnC2cSignalMessage(_) => ChatbotOnC2cSignalMessage::COMMAND,
            Self::BeforeCreateOfficialAccount(_) => BeforeCreateOfficialAccount::COMMAND,
            Self::AfterCreateOfficialAccount(_) => AfterCreateOfficialAccount::COMMAND,
            Self::AfterOfficialAccountInfoChanged(_) => AfterOfficialAccountInfoChanged::COMMAND,
            Self::AfterOfficialAccountDestroyed(_) => AfterOfficialAccountDestroyed::COMMAND,
            Self::OfficialAccountBeforeAddSubscriber(_) => {
                OfficialAccountBeforeAddSubscriber::COMMAND
            }
            Self::OfficialAccountAfterAddSubscriber(_) => {
                OfficialAccountAfterAddSubscriber::COMMAND
            }
            Self::AfterOfficialAccountFull(_) => AfterOfficialAccountFull::COMMAND,
            Self::OfficialAccountAfterDeleteSubscriber(_) => {
                OfficialAccountAfterDeleteSubscriber::COMMAND
            }
            Self::OfficialAccountBeforeSendMsg(_) => OfficialAccountBeforeSendMsg::COMMAND,
            Self::OfficialAccountAfterSendMsg(_) => OfficialAccountAfterSendMsg::COMMAND,
            Self::OfficialAccountAfterMsgWithdraw(_) => OfficialAccountAfterMsgWithdraw::COMMAND,
            Self::OfflinePush(_) => OfflinePush::COMMAND,
            Self::AllMemberPush(_) => AllMemberPush::COMMAND,
            Self::Unknown { command, .. } => command,
        }
    }

    /// Whether the command is one the crate does not type.
    pub fn is_unknown(&self) -> bool {
        matches!(self, Self::Unknown { .. })
    }
}

impl Serialize for AnyEvent {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::RequestOverLimit(event) => event.serialize(serializer),
            Self::StateChange(event) => event.serialize(serializer),
            Self::PortraitSet(event) => event.serialize(serializer),
            Self::PrevFriendAdd(event) => event.serialize(serializer),
            Self::PrevFriendResponse(event) => event.serialize(serializer),
            Self::FriendAdd(event) => event.serialize(serializer),
            Self::FriendDelete(event) => event.serialize(serializer),
            Self::BlackListAdd(event) => event.serialize(serializer),
            Self::BlackListDelete(event) => event.serialize(serializer),
            Self::AfterFollowAdd(event) => event.serialize(serializer),
            Self::AfterFollowDelete(event) => event.serialize(serializer),
            Self::C2cBeforeSendMsg(event) => event.serialize(serializer),
            Self::C2cAfterSendMsg(event) => event.serialize(serializer),
            Self::C2cAfterMsgReport(event) => event.serialize(serializer),
            Self::C2cAfterMsgWithdraw(event) => event.serialize(serializer),
            Self::AfterC2cMsgExtension(event) => event.serialize(serializer),
            Self::C2cAfterMsgReadReceipt(event) => event.serialize(serializer),
            Self::C2cAfterModifyMsg(event) => event.serialize(serializer),
            Self::C2cAfterMsgReadAll(event) => event.serialize(serializer),
            Self::BeforeCreateGroup(event) => event.serialize(serializer),
            Self::AfterCreateGroup(event) => event.serialize(serializer),
            Self::BeforeApplyJoinGroup(event) => event.serialize(serializer),
            Self::BeforeInviteJoinGroup(event) => event.serialize(serializer),
            Self::GroupAfterNewMemberJoin(event) => event.serialize(serializer),
            Self::GroupAfterMemberExit(event) => event.serialize(serializer),
            Self::GroupBeforeSendMsg(event) => event.serialize(serializer),
            Self::GroupAfterSendMsg(event) => event.serialize(serializer),
            Self::AfterGroupFull(event) => event.serialize(serializer),
            Self::AfterGroupDestroyed(event) => event.serialize(serializer),
            Self::AfterGroupInfoChanged(event) => event.serialize(serializer),
            Self::GroupAfterRecallMsg(event) => event.serialize(serializer),
            Self::GroupOnMemberStateChange(event) => event.serialize(serializer),
            Self::SendMsgException(event) => event.serialize(serializer),
            Self::GroupAfterMemberFieldChanged(event) => event.serialize(serializer),
            Self::AfterGroupAttrChanged(event) => event.serialize(serializer),
            Self::GroupAfterReadReceipt(event) => event.serialize(serializer),
            Self::AfterChangeGroupOwner(event) => event.serialize(serializer),
            Self::OnDailyGroupQuotaAlarm(event) => event.serialize(serializer),
            Self::AfterGroupMsgExtension(event) => event.serialize(serializer),
            Self::BeforeCreateTopic(event) => event.serialize(serializer),
            Self::AfterCreateTopic(event) => event.serialize(serializer),
            Self::AfterTopicDestroyed(event) => event.serialize(serializer),
            Self::AfterTopicInfoChanged(event) => event.serialize(serializer),
            Self::ContentResultNotify(event) => event.serialize(serializer),
            Self::BotOnC2cMessage(event) => event.serialize(serializer),
            Self::BotOnGroupMessage(event) => event.serialize(serializer),
            Self::ChatbotOnC2cSignalMessage(event) => event.serialize(serializer),
            Self::BeforeCreateOfficialAccount(event) => event.serialize(serializer),
            Self::AfterCreateOfficialAccount(event) => event.serialize(serializer),
            Self::AfterOfficialAccountInfoChanged(event) => event.serialize(serializer),
            Self::AfterOfficialAccountDestroyed(event) => event.serialize(serializer),
            Self::OfficialAccountBeforeAddSubscriber(event) => event.serialize(serializer),
            Self::OfficialAccountAfterAddSubscriber(event) => event.serialize(serializer),
            Self::AfterOfficialAccountFull(event) => event.serialize(serializer),
            Self::OfficialAccountAfterDeleteSubscriber(event) => event.serialize(serializer),
            Self::OfficialAccountBeforeSendMsg(event) => event.serialize(serializer),
            Self::OfficialAccountAfterSendMsg(event) => event.serialize(serializer),
            Self::OfficialAccountAfterMsgWithdraw(event) => event.serialize(serializer),
            Self::OfflinePush(event) => event.serialize(serializer),
            Self::AllMemberPush(event) => event.serialize(serializer),
            Self::Unknown { body, .. } => body.serialize(serializer),
        }
    }
}

impl CallbackBody for AnyEvent {
    fn accepts(_: &str) -> bool {
        true
    }

    fn expected() -> &'static str {
        "any command"
    }

    /// Decodes the body as the type of `command`; a command the crate does not type
    /// becomes [`Unknown`](Self::Unknown).
    fn deserialize_command<'de, D: Deserializer<'de>>(
        command: &str,
        deserializer: D,
    ) -> Result<Self, D::Error> {
        fn typed<'de, T: Deserialize<'de>, D: Deserializer<'de>>(
            deserializer: D,
            variant: fn(Box<T>) -> AnyEvent,
        ) -> Result<AnyEvent, D::Error> {
            T::deserialize(deserializer).map(|event| variant(Box::new(event)))
        }
        match command {
            RequestOverLimit::COMMAND => typed(deserializer, Self::RequestOverLimit),
            StateChange::COMMAND => typed(deserializer, Self::StateChange),
            PortraitSet::COMMAND => typed(deserializer, Self::PortraitSet),
            PrevFriendAdd::COMMAND => typed(deserializer, Self::PrevFriendAdd),
            PrevFriendResponse::COMMAND => typed(deserializer, Self::PrevFriendResponse),
            FriendAdd::COMMAND => typed(deserializer, Self::FriendAdd),
            FriendDelete::COMMAND => typed(deserializer, Self::FriendDelete),
            BlackListAdd::COMMAND => typed(deserializer, Self::BlackListAdd),
            BlackListDelete::COMMAND => typed(deserializer, Self::BlackListDelete),
            AfterFollowAdd::COMMAND => typed(deserializer, Self::AfterFollowAdd),
            AfterFollowDelete::COMMAND => typed(deserializer, Self::AfterFollowDelete),
            C2cBeforeSendMsg::COMMAND => typed(deserializer, Self::C2cBeforeSendMsg),
            C2cAfterSendMsg::COMMAND => typed(deserializer, Self::C2cAfterSendMsg),
            C2cAfterMsgReport::COMMAND => typed(deserializer, Self::C2cAfterMsgReport),
            C2cAfterMsgWithdraw::COMMAND => typed(deserializer, Self::C2cAfterMsgWithdraw),
            AfterC2cMsgExtension::COMMAND => typed(deserializer, Self::AfterC2cMsgExtension),
            C2cAfterMsgReadReceipt::COMMAND => typed(deserializer, Self::C2cAfterMsgReadReceipt),
            C2cAfterModifyMsg::COMMAND => typed(deserializer, Self::C2cAfterModifyMsg),
            C2cAfterMsgReadAll::COMMAND => typed(deserializer, Self::C2cAfterMsgReadAll),
            BeforeCreateGroup::COMMAND => typed(deserializer, Self::BeforeCreateGroup),
            AfterCreateGroup::COMMAND => typed(deserializer, Self::AfterCreateGroup),
            BeforeApplyJoinGroup::COMMAND => typed(deserializer, Self::BeforeApplyJoinGroup),
            BeforeInviteJoinGroup::COMMAND => typed(deserializer, Self::BeforeInviteJoinGroup),
            GroupAfterNewMemberJoin::COMMAND => typed(deserializer, Self::GroupAfterNewMemberJoin),
            GroupAfterMemberExit::COMMAND => typed(deserializer, Self::GroupAfterMemberExit),
            GroupBeforeSendMsg::COMMAND => typed(deserializer, Self::GroupBeforeSendMsg),
            GroupAfterSendMsg::COMMAND => typed(deserializer, Self::GroupAfterSendMsg),
            AfterGroupFull::COMMAND => typed(deserializer, Self::AfterGroupFull),
            AfterGroupDestroyed::COMMAND => typed(deserializer, Self::AfterGroupDestroyed),
            AfterGroupInfoChanged::COMMAND => typed(deserializer, Self::AfterGroupInfoChanged),
            GroupAfterRecallMsg::COMMAND => typed(deserializer, Self::GroupAfterRecallMsg),
            GroupOnMemberStateChange::COMMAND => {
                typed(deserializer, Self::GroupOnMemberStateChange)
            }
            SendMsgException::COMMAND => typed(deserializer, Self::SendMsgException),
            GroupAfterMemberFieldChanged::COMMAND => {
                typed(deserializer, Self::GroupAfterMemberFieldChanged)
            }
            AfterGroupAttrChanged::COMMAND => typed(deserializer, Self::AfterGroupAttrChanged),
            GroupAfterReadReceipt::COMMAND => typed(deserializer, Self::GroupAfterReadReceipt),
            AfterChangeGroupOwner::COMMAND => typed(deserializer, Self::AfterChangeGroupOwner),
            OnDailyGroupQuotaAlarm::COMMAND => typed(deserializer, Self::OnDailyGroupQuotaAlarm),
            AfterGroupMsgExtension::COMMAND => typed(deserializer, Self::AfterGroupMsgExtension),
            BeforeCreateTopic::COMMAND => typed(deserializer, Self::BeforeCreateTopic),
            AfterCreateTopic::COMMAND => typed(deserializer, Self::AfterCreateTopic),
            AfterTopicDestroyed::COMMAND => typed(deserializer, Self::AfterTopicDestroyed),
            AfterTopicInfoChanged::COMMAND => typed(deserializer, Self::AfterTopicInfoChanged),
            ContentResultNotify::COMMAND => typed(deserializer, Self::ContentResultNotify),
            BotOnC2cMessage::COMMAND => typed(deserializer, Self::BotOnC2cMessage),
            BotOnGroupMessage::COMMAND => typed(deserializer, Self::BotOnGroupMessage),
            ChatbotOnC2cSignalMessage::COMMAND => {
                typed(deserializer, Self::ChatbotOnC2cSignalMessage)
            }
            BeforeCreateOfficialAccount::COMMAND => {
                typed(deserializer, Self::BeforeCreateOfficialAccount)
            }
            AfterCreateOfficialAccount::COMMAND => {
                typed(deserializer, Self::AfterCreateOfficialAccount)
            }
            AfterOfficialAccountInfoChanged::COMMAND => {
                typed(deserializer, Self::AfterOfficialAccountInfoChanged)
            }
            AfterOfficialAccountDestroyed::COMMAND => {
                typed(deserializer, Self::AfterOfficialAccountDestroyed)
            }
            OfficialAccountBeforeAddSubscriber::COMMAND => {
                typed(deserializer, Self::OfficialAccountBeforeAddSubscriber)
            }
            OfficialAccountAfterAddSubscriber::COMMAND => {
                typed(deserializer, Self::OfficialAccountAfterAddSubscriber)
            }
            AfterOfficialAccountFull::COMMAND => {
                typed(deserializer, Self::AfterOfficialAccountFull)
            }
            OfficialAccountAfterDeleteSubscriber::COMMAND => {
                typed(deserializer, Self::OfficialAccountAfterDeleteSubscriber)
            }
            OfficialAccountBeforeSendMsg::COMMAND => {
                typed(deserializer, Self::OfficialAccountBeforeSendMsg)
            }
            OfficialAccountAfterSendMsg::COMMAND => {
                typed(deserializer, Self::OfficialAccountAfterSendMsg)
            }
            OfficialAccountAfterMsgWithdraw::COMMAND => {
                typed(deserializer, Self::OfficialAccountAfterMsgWithdraw)
            }
            OfflinePush::COMMAND => typed(deserializer, Self::OfflinePush),
            AllMemberPush::COMMAND => typed(deserializer, Self::AllMemberPush),
            _ => Ok(Self::Unknown {
                command: command.to_owned(),
                body: Value::deserialize(deserializer)?,
            }),
        }
    }
}
