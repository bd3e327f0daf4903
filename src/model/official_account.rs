//! The official-account callbacks (`OfficialAccount.*`): an official account's lifecycle,
//! its subscribers and its broadcast messages.

use serde::{Deserialize, Serialize};

use super::serde_helpers::NumberOrString;
use crate::model::MsgElement;

/// `OfficialAccount.CallbackBeforeCreateOfficialAccount`: the app admin asked to create
/// an official account.
///
/// A before-callback: Tencent waits for the reply and acts on it. Answer with a
/// `crate::reply::ApprovalReply<C2cCodes>` (0 allows; 1 refuses and the caller gets 20006; Tencent's
/// international page allows a custom refusal code in [120001, 130000]). The account does
/// not exist yet, so there is no `Official_Account`.
///
/// [Tencent's page](https://cloud.tencent.com/document/product/269/102315)
/// ([international](https://www.tencentcloud.com/document/product/1047/60795))
#[serde_with::serde_as]
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct BeforeCreateOfficialAccount {
    /// `CallbackCommand`: `OfficialAccount.CallbackBeforeCreateOfficialAccount`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub callback_command: String,
    /// `Operator_Account`: the UserID of who asked to create the account.
    #[serde(rename = "Operator_Account")]
    pub operator_account: String,
    /// `Owner_Account`: the UserID of the account's creator, who becomes its owner.
    #[serde(rename = "Owner_Account")]
    pub owner_account: Option<String>,
    /// `Name`: the name of the account to create.
    pub name: Option<String>,
    /// `EventTime`: when the event happened, in Unix milliseconds (a number or a string on
    /// the wire).
    #[serde_as(as = "Option<NumberOrString>")]
    pub event_time: Option<u64>,
}

/// `OfficialAccount.CallbackAfterCreateOfficialAccount`: an official account was created.
///
/// An after-callback: the reply is only acknowledged.
///
/// [Tencent's page](https://www.tencentcloud.com/document/product/1047/60796)
#[serde_with::serde_as]
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct AfterCreateOfficialAccount {
    /// `CallbackCommand`: `OfficialAccount.CallbackAfterCreateOfficialAccount`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub callback_command: String,
    /// `Official_Account`: the new official account's ID.
    #[serde(rename = "Official_Account")]
    pub official_account: String,
    /// `Operator_Account`: the UserID of who created the account.
    #[serde(rename = "Operator_Account")]
    pub operator_account: Option<String>,
    /// `Owner_Account`: the UserID of the account's owner.
    #[serde(rename = "Owner_Account")]
    pub owner_account: Option<String>,
    /// `Name`: the account's name.
    pub name: Option<String>,
    /// `EventTime`: when the event happened, in Unix milliseconds (a number or a string on
    /// the wire).
    #[serde_as(as = "Option<NumberOrString>")]
    pub event_time: Option<u64>,
}

/// `OfficialAccount.CallbackAfterOfficialAccountInfoChanged`: an official account's name,
/// introduction, avatar or organization changed.
///
/// Each of these fields is `None` unless it is sent. An after-callback: the reply is only
/// acknowledged.
///
/// [Tencent's page](https://www.tencentcloud.com/document/product/1047/60797)
#[serde_with::serde_as]
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct AfterOfficialAccountInfoChanged {
    /// `CallbackCommand`: `OfficialAccount.CallbackAfterOfficialAccountInfoChanged`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub callback_command: String,
    /// `Official_Account`: the changed official account's ID.
    #[serde(rename = "Official_Account")]
    pub official_account: String,
    /// `Operator_Account`: the UserID of who made the change.
    #[serde(rename = "Operator_Account")]
    pub operator_account: Option<String>,
    /// `Introduction`: the new introduction.
    pub introduction: Option<String>,
    /// `Name`: the new name.
    pub name: Option<String>,
    /// `FaceUrl`: the new avatar URL.
    pub face_url: Option<String>,
    /// `Organization`: the new organization the account belongs to.
    pub organization: Option<String>,
    /// `EventTime`: when the event happened, in Unix milliseconds (a number or a string on
    /// the wire).
    #[serde_as(as = "Option<NumberOrString>")]
    pub event_time: Option<u64>,
}

/// `OfficialAccount.CallbackAfterOfficialAccountDestroyed`: an official account was
/// destroyed.
///
/// An after-callback: the reply is only acknowledged.
///
/// [Tencent's page](https://www.tencentcloud.com/document/product/1047/60798)
#[serde_with::serde_as]
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct AfterOfficialAccountDestroyed {
    /// `CallbackCommand`: `OfficialAccount.CallbackAfterOfficialAccountDestroyed`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub callback_command: String,
    /// `Official_Account`: the destroyed official account's ID.
    #[serde(rename = "Official_Account")]
    pub official_account: String,
    /// `Owner_Account`: the UserID of the account's owner.
    #[serde(rename = "Owner_Account")]
    pub owner_account: Option<String>,
    /// `Name`: the account's name.
    pub name: Option<String>,
    /// `EventTime`: when the event happened, in Unix milliseconds (a number or a string on
    /// the wire).
    #[serde_as(as = "Option<NumberOrString>")]
    pub event_time: Option<u64>,
}

/// `OfficialAccount.CallbackBeforeAddSubscriber`: users are about to subscribe to an
/// official account (on their own or added by the app admin).
///
/// A before-callback: Tencent waits for the reply and acts on it. Answer with a
/// `crate::reply::ApprovalReply<C2cCodes>`: 0 lets the subscription go on, 1 refuses it; a reply may refuse
/// only some users (a list named `RefusedMembers_Account`, or `RefusedSubscribers_Account`
/// on Tencent's international page).
///
/// [Tencent's page](https://cloud.tencent.com/document/product/269/102319)
/// ([international](https://www.tencentcloud.com/document/product/1047/60799))
#[serde_with::serde_as]
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct BeforeAddSubscriber {
    /// `CallbackCommand`: `OfficialAccount.CallbackBeforeAddSubscriber`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub callback_command: String,
    /// `Official_Account`: the official account to subscribe to.
    #[serde(rename = "Official_Account")]
    pub official_account: String,
    /// `Operator_Account`: the UserID of who made the request.
    #[serde(rename = "Operator_Account")]
    pub operator_account: Option<String>,
    /// `SubscribeAccountList`: the users to be added as subscribers.
    #[serde(default)]
    pub subscribe_account_list: Vec<Subscriber>,
    /// `EventTime`: when the event happened, in Unix milliseconds (a number or a string on
    /// the wire).
    #[serde_as(as = "Option<NumberOrString>")]
    pub event_time: Option<u64>,
}

/// `OfficialAccount.CallbackAfterAddSubscriber`: users subscribed to an official account.
///
/// An after-callback: the reply is only acknowledged.
///
/// [Tencent's page](https://www.tencentcloud.com/document/product/1047/60800)
#[serde_with::serde_as]
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct AfterAddSubscriber {
    /// `CallbackCommand`: `OfficialAccount.CallbackAfterAddSubscriber`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub callback_command: String,
    /// `Official_Account`: the official account subscribed to.
    #[serde(rename = "Official_Account")]
    pub official_account: String,
    /// `Operator_Account`: the UserID of who made the request.
    #[serde(rename = "Operator_Account")]
    pub operator_account: Option<String>,
    /// `SubscribeAccountList`: the new subscribers.
    #[serde(default)]
    pub subscribe_account_list: Vec<Subscriber>,
    /// `EventTime`: when the event happened, in Unix milliseconds (a number or a string on
    /// the wire).
    #[serde_as(as = "Option<NumberOrString>")]
    pub event_time: Option<u64>,
}

/// `OfficialAccount.CallbackAfterOfficialAccountFull`: an official account reached its
/// subscriber limit.
///
/// An after-callback: the reply is only acknowledged.
///
/// [Tencent's page](https://www.tencentcloud.com/document/product/1047/60801)
#[serde_with::serde_as]
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct AfterOfficialAccountFull {
    /// `CallbackCommand`: `OfficialAccount.CallbackAfterOfficialAccountFull`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub callback_command: String,
    /// `Official_Account`: the full official account.
    #[serde(rename = "Official_Account")]
    pub official_account: String,
    /// `EventTime`: when the event happened, in Unix milliseconds (a number or a string on
    /// the wire).
    #[serde_as(as = "Option<NumberOrString>")]
    pub event_time: Option<u64>,
}

/// `OfficialAccount.CallbackAfterDeleteSubscriber`: users unsubscribed from an official
/// account, or the app admin removed them.
///
/// An after-callback: the reply is only acknowledged.
///
/// [Tencent's page](https://www.tencentcloud.com/document/product/1047/60802)
#[serde_with::serde_as]
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct AfterDeleteSubscriber {
    /// `CallbackCommand`: `OfficialAccount.CallbackAfterDeleteSubscriber`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub callback_command: String,
    /// `Official_Account`: the official account unsubscribed from.
    #[serde(rename = "Official_Account")]
    pub official_account: String,
    /// `Operator_Account`: the UserID of who made the request.
    #[serde(rename = "Operator_Account")]
    pub operator_account: Option<String>,
    /// `SubscribeAccountList`: the users who are no longer subscribers.
    #[serde(default)]
    pub subscribe_account_list: Vec<Subscriber>,
    /// `EventTime`: when the event happened, in Unix milliseconds (a number or a string on
    /// the wire).
    #[serde_as(as = "Option<NumberOrString>")]
    pub event_time: Option<u64>,
}

/// One subscriber of an official account (`SubscribeAccountList` item).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct Subscriber {
    /// `Subscriber_Account`: the subscriber's UserID.
    #[serde(rename = "Subscriber_Account")]
    pub subscriber_account: String,
}

/// `OfficialAccount.CallbackBeforeSendMsg`: an official-account message is about to be
/// delivered to the subscribers.
///
/// A before-callback. Tencent's international page documents the group before-send reply:
/// answer with a `crate::reply::BeforeSendReply<C2cCodes>` (0 allows, 1 refuses with 10016, 2
/// drops silently, a code in [120001, 130000] refuses and is passed to the client;
/// `MsgBody` and `CloudCustomData` replace the message).
///
/// [Tencent's page](https://cloud.tencent.com/document/product/269/102323)
/// ([international](https://www.tencentcloud.com/document/product/1047/60803))
#[serde_with::serde_as]
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct BeforeSendMsg {
    /// `CallbackCommand`: `OfficialAccount.CallbackBeforeSendMsg`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub callback_command: String,
    /// `Official_Account`: the sending official account.
    #[serde(rename = "Official_Account")]
    pub official_account: String,
    /// `OnlineOnlyFlag`: `1` for an online-only message, else `0`.
    pub online_only_flag: Option<u32>,
    /// `MsgBody`: the message's elements.
    #[serde(default)]
    pub msg_body: Vec<MsgElement>,
    /// `CloudCustomData`: the message's custom data.
    pub cloud_custom_data: Option<String>,
    /// `EventTime`: when the event happened, in Unix milliseconds (a number or a string on
    /// the wire).
    #[serde_as(as = "Option<NumberOrString>")]
    pub event_time: Option<u64>,
}

impl BeforeSendMsg {
    /// Whether the message is online-only (`OnlineOnlyFlag` is `1`).
    pub fn is_online_only(&self) -> bool {
        self.online_only_flag == Some(1)
    }
}

/// `OfficialAccount.CallbackAfterSendMsg`: an official-account message was delivered to
/// the subscribers.
///
/// An after-callback: the reply is only acknowledged.
///
/// [Tencent's page](https://cloud.tencent.com/document/product/269/102324)
/// ([international](https://www.tencentcloud.com/document/product/1047/60804))
#[serde_with::serde_as]
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct AfterSendMsg {
    /// `CallbackCommand`: `OfficialAccount.CallbackAfterSendMsg`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub callback_command: String,
    /// `Official_Account`: the sending official account.
    #[serde(rename = "Official_Account")]
    pub official_account: String,
    /// `MsgKey`: the message's unique key, used to recall it through the REST API.
    pub msg_key: Option<String>,
    /// `MsgTime`: when the message was sent (server time), in Unix seconds.
    pub msg_time: Option<u64>,
    /// `OnlineOnlyFlag`: `1` for an online-only message, else `0`.
    pub online_only_flag: Option<u32>,
    /// `MsgBody`: the message's elements.
    #[serde(default)]
    pub msg_body: Vec<MsgElement>,
    /// `CloudCustomData`: the message's custom data.
    pub cloud_custom_data: Option<String>,
    /// `EventTime`: when the event happened, in Unix milliseconds (a number or a string on
    /// the wire).
    #[serde_as(as = "Option<NumberOrString>")]
    pub event_time: Option<u64>,
}

impl AfterSendMsg {
    /// Whether the message is online-only (`OnlineOnlyFlag` is `1`).
    pub fn is_online_only(&self) -> bool {
        self.online_only_flag == Some(1)
    }
}

/// `OfficialAccount.CallbackAfterMsgWithDraw`: official-account messages were recalled.
///
/// An after-callback: the reply is only acknowledged.
///
/// [Tencent's page](https://www.tencentcloud.com/document/product/1047/60805)
#[serde_with::serde_as]
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct AfterMsgWithDraw {
    /// `CallbackCommand`: `OfficialAccount.CallbackAfterMsgWithDraw`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub callback_command: String,
    /// `Official_Account`: the official account of the recalled messages.
    #[serde(rename = "Official_Account")]
    pub official_account: String,
    /// `WithdrawMsgList`: the recalled messages.
    #[serde(default)]
    pub withdraw_msg_list: Vec<WithdrawnOfficialAccountMsg>,
    /// `EventTime`: when the event happened, in Unix milliseconds (a number or a string on
    /// the wire).
    #[serde_as(as = "Option<NumberOrString>")]
    pub event_time: Option<u64>,
}

/// One recalled official-account message (`WithdrawMsgList` item).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[non_exhaustive]
pub struct WithdrawnOfficialAccountMsg {
    /// `MsgKey`: the recalled message's unique key.
    pub msg_key: String,
}
