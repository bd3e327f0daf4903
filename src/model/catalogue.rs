//! The catalogue: the one list of the callback commands the crate types.

/// Hands the list of every callback command the crate types to the macro at path `$then`,
/// in the order of Tencent's catalogue. Each entry reads
///
/// ```text
/// "Family.CallbackTail" => FamilyTail(family::Tail): ReplyType,
/// ```
///
/// the command, the [`AnyEvent`](super::AnyEvent) variant, the event type (a plain struct
/// in its family's module) and the type the handler answers with. Adding a command is one
/// entry here plus its struct (and Tencent's sample body in `tests/fixtures/samples/`, which
/// the test kit includes). Names follow one rule: the module is the command's family in
/// snake case (`C2C` → `c2c`; `ChatBot`, the Desk's agent routing, lives in `desk`), the type is the part after the dot
/// without a leading `Callback`, an all-capitals word written as one word (`C2C` → `C2c`),
/// and the variant is the family followed by the type.
macro_rules! catalogue {
    ($($then:ident)::+) => {
        $($then)::+! {
            "Alert.RequestOverLimit" => AlertRequestOverLimit(alert::RequestOverLimit): Ack,
            "State.StateChange" => StateStateChange(state::StateChange): Ack,
            "Profile.CallbackPortraitSet" => ProfilePortraitSet(profile::PortraitSet): Ack,
            "Sns.CallbackPrevFriendAdd" => SnsPrevFriendAdd(sns::PrevFriendAdd): FriendCheckReply,
            "Sns.CallbackPrevFriendResponse" => SnsPrevFriendResponse(sns::PrevFriendResponse): FriendCheckReply,
            "Sns.CallbackFriendAdd" => SnsFriendAdd(sns::FriendAdd): Ack,
            "Sns.CallbackFriendDelete" => SnsFriendDelete(sns::FriendDelete): Ack,
            "Sns.CallbackBlackListAdd" => SnsBlackListAdd(sns::BlackListAdd): Ack,
            "Sns.CallbackBlackListDelete" => SnsBlackListDelete(sns::BlackListDelete): Ack,
            "Follow.CallbackAfterFollowAdd" => FollowAfterFollowAdd(follow::AfterFollowAdd): Ack,
            "Follow.CallbackAfterFollowDelete" => FollowAfterFollowDelete(follow::AfterFollowDelete): Ack,
            "C2C.CallbackBeforeSendMsg" => C2cBeforeSendMsg(c2c::BeforeSendMsg): BeforeSendReply<C2cCodes>,
            "C2C.CallbackAfterSendMsg" => C2cAfterSendMsg(c2c::AfterSendMsg): Ack,
            "C2C.CallbackAfterMsgReport" => C2cAfterMsgReport(c2c::AfterMsgReport): Ack,
            "C2C.CallbackAfterMsgWithDraw" => C2cAfterMsgWithDraw(c2c::AfterMsgWithDraw): Ack,
            "C2C.CallbackAfterC2CMsgExtension" => C2cAfterC2cMsgExtension(c2c::AfterC2cMsgExtension): Ack,
            "C2C.CallbackAfterMsgReadReceipt" => C2cAfterMsgReadReceipt(c2c::AfterMsgReadReceipt): Ack,
            "C2C.CallbackAfterModifyMsg" => C2cAfterModifyMsg(c2c::AfterModifyMsg): Ack,
            "C2C.CallbackAfterMsgReadAll" => C2cAfterMsgReadAll(c2c::AfterMsgReadAll): Ack,
            "Group.CallbackBeforeCreateGroup" => GroupBeforeCreateGroup(group::BeforeCreateGroup): ApprovalReply<GroupCodes>,
            "Group.CallbackAfterCreateGroup" => GroupAfterCreateGroup(group::AfterCreateGroup): Ack,
            "Group.CallbackBeforeApplyJoinGroup" => GroupBeforeApplyJoinGroup(group::BeforeApplyJoinGroup): ApprovalReply<GroupCodes>,
            "Group.CallbackBeforeInviteJoinGroup" => GroupBeforeInviteJoinGroup(group::BeforeInviteJoinGroup): ApprovalReply<GroupCodes>,
            "Group.CallbackAfterNewMemberJoin" => GroupAfterNewMemberJoin(group::AfterNewMemberJoin): Ack,
            "Group.CallbackAfterMemberExit" => GroupAfterMemberExit(group::AfterMemberExit): Ack,
            "Group.CallbackBeforeSendMsg" => GroupBeforeSendMsg(group::BeforeSendMsg): BeforeSendReply<GroupCodes>,
            "Group.CallbackAfterSendMsg" => GroupAfterSendMsg(group::AfterSendMsg): Ack,
            "Group.CallbackAfterGroupFull" => GroupAfterGroupFull(group::AfterGroupFull): Ack,
            "Group.CallbackAfterGroupDestroyed" => GroupAfterGroupDestroyed(group::AfterGroupDestroyed): Ack,
            "Group.CallbackAfterGroupInfoChanged" => GroupAfterGroupInfoChanged(group::AfterGroupInfoChanged): Ack,
            "Group.CallbackAfterRecallMsg" => GroupAfterRecallMsg(group::AfterRecallMsg): Ack,
            "Group.CallbackOnMemberStateChange" => GroupOnMemberStateChange(group::OnMemberStateChange): Ack,
            "Group.CallbackSendMsgException" => GroupSendMsgException(group::SendMsgException): Ack,
            "Group.CallbackAfterMemberFieldChanged" => GroupAfterMemberFieldChanged(group::AfterMemberFieldChanged): Ack,
            "Group.CallbackAfterGroupAttrChanged" => GroupAfterGroupAttrChanged(group::AfterGroupAttrChanged): Ack,
            "Group.CallbackAfterReadReceipt" => GroupAfterReadReceipt(group::AfterReadReceipt): Ack,
            "Group.CallbackAfterChangeGroupOwner" => GroupAfterChangeGroupOwner(group::AfterChangeGroupOwner): Ack,
            "Group.CallbackOnDailyGroupQuotaAlarm" => GroupOnDailyGroupQuotaAlarm(group::OnDailyGroupQuotaAlarm): Ack,
            "Group.CallbackAfterGroupMsgExtension" => GroupAfterGroupMsgExtension(group::AfterGroupMsgExtension): Ack,
            "Group.CallbackBeforeCreateTopic" => GroupBeforeCreateTopic(group::BeforeCreateTopic): ApprovalReply<GroupCodes>,
            "Group.CallbackAfterCreateTopic" => GroupAfterCreateTopic(group::AfterCreateTopic): Ack,
            "Group.CallbackAfterTopicDestroyed" => GroupAfterTopicDestroyed(group::AfterTopicDestroyed): Ack,
            "Group.CallbackAfterTopicInfoChanged" => GroupAfterTopicInfoChanged(group::AfterTopicInfoChanged): Ack,
            "ContentCallback.ResultNotify" => ContentCallbackResultNotify(content_callback::ResultNotify): Ack,
            "Bot.OnC2CMessage" => BotOnC2cMessage(bot::OnC2cMessage): Ack,
            "Bot.OnGroupMessage" => BotOnGroupMessage(bot::OnGroupMessage): Ack,
            "Chatbot.OnC2CSignalMessage" => ChatbotOnC2cSignalMessage(chatbot::OnC2cSignalMessage): ChatbotReply,
            "OfficialAccount.CallbackBeforeCreateOfficialAccount" => OfficialAccountBeforeCreateOfficialAccount(official_account::BeforeCreateOfficialAccount): ApprovalReply<C2cCodes>,
            "OfficialAccount.CallbackAfterCreateOfficialAccount" => OfficialAccountAfterCreateOfficialAccount(official_account::AfterCreateOfficialAccount): Ack,
            "OfficialAccount.CallbackAfterOfficialAccountInfoChanged" => OfficialAccountAfterOfficialAccountInfoChanged(official_account::AfterOfficialAccountInfoChanged): Ack,
            "OfficialAccount.CallbackAfterOfficialAccountDestroyed" => OfficialAccountAfterOfficialAccountDestroyed(official_account::AfterOfficialAccountDestroyed): Ack,
            "OfficialAccount.CallbackBeforeAddSubscriber" => OfficialAccountBeforeAddSubscriber(official_account::BeforeAddSubscriber): ApprovalReply<C2cCodes>,
            "OfficialAccount.CallbackAfterAddSubscriber" => OfficialAccountAfterAddSubscriber(official_account::AfterAddSubscriber): Ack,
            "OfficialAccount.CallbackAfterOfficialAccountFull" => OfficialAccountAfterOfficialAccountFull(official_account::AfterOfficialAccountFull): Ack,
            "OfficialAccount.CallbackAfterDeleteSubscriber" => OfficialAccountAfterDeleteSubscriber(official_account::AfterDeleteSubscriber): Ack,
            "OfficialAccount.CallbackBeforeSendMsg" => OfficialAccountBeforeSendMsg(official_account::BeforeSendMsg): BeforeSendReply<C2cCodes>,
            "OfficialAccount.CallbackAfterSendMsg" => OfficialAccountAfterSendMsg(official_account::AfterSendMsg): Ack,
            "OfficialAccount.CallbackAfterMsgWithDraw" => OfficialAccountAfterMsgWithDraw(official_account::AfterMsgWithDraw): Ack,
            "Push.OfflinePush" => PushOfflinePush(push::OfflinePush): Ack,
            "Push.AllMemberPush" => PushAllMemberPush(push::AllMemberPush): Ack,
            "ChatBot.OnAssignAgent" => ChatBotOnAssignAgent(desk::OnAssignAgent): AssignAgentReply,
            "ChatBot.OnAssignHuman" => ChatBotOnAssignHuman(desk::OnAssignHuman): AssignAgentReply,
            "Desk.SessionEventNotify" => DeskSessionEventNotify(desk::SessionEventNotify): Ack,
            "Live.CallbackAfterCreateRoom" => LiveAfterCreateRoom(live::AfterCreateRoom): Ack,
            "Live.CallbackAfterDestroyRoom" => LiveAfterDestroyRoom(live::AfterDestroyRoom): Ack,
        }
    };
}
pub(crate) use catalogue;

/// The catalogue table of `model`'s documentation.
macro_rules! catalogue_table {
    ($($command:literal => $variant:ident($family:ident::$ty:ident): $reply:ident $(<$codes:ident>)?,)*) => {
        concat!(
            "| command | type | [`AnyEvent`] variant | reply |\n",
            "| --- | --- | --- | --- |\n",
            $(
                "| `", $command, "` | [`", stringify!($family), "::", stringify!($ty), "`] | `",
                stringify!($variant), "` | [`", stringify!($reply), "`]",
                $(" ([`", stringify!($codes), "`])",)? " |\n",
            )*
        )
    };
}
pub(crate) use catalogue_table;
