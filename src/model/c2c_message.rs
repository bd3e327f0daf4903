//! The one-to-one message callbacks: before a message is sent and after it was sent.
//! They share one set of fields, [`C2cMessage`].

/// The fields of every one-to-one message callback, in one list (see `flat_callback`).
macro_rules! c2c_message {
    ($kind:ident $declaration:tt) => {
        $crate::model::flat_callback::flat_callback! {
            $kind $declaration
            fields {
                /// `CallbackCommand`, e.g. `C2C.CallbackAfterSendMsg`.
                #[serde(rename = "CallbackCommand", default)]
                pub callback_command: String,
                /// `From_Account`: the sender's UserID.
                #[serde(rename = "From_Account")]
                pub from_account: String,
                /// `To_Account`: the recipient's UserID.
                #[serde(rename = "To_Account")]
                pub to_account: String,
                /// `MsgSeq`: the message's sequence number (unsigned 32-bit).
                #[serde(rename = "MsgSeq", default, skip_serializing_if = "Option::is_none")]
                pub msg_seq: Option<u32>,
                /// `MsgRandom`: the message's random number (unsigned 32-bit).
                #[serde(rename = "MsgRandom", default, skip_serializing_if = "Option::is_none")]
                pub msg_random: Option<u32>,
                /// `MsgTime`: when the message was sent, in Unix seconds.
                #[serde(rename = "MsgTime", default, skip_serializing_if = "Option::is_none")]
                pub msg_time: Option<u64>,
                /// `MsgKey`: the message's unique key (`MsgSeq_MsgRandom_MsgTime`), used to
                /// recall it through the REST API.
                #[serde(rename = "MsgKey", default, skip_serializing_if = "Option::is_none")]
                pub msg_key: Option<String>,
                /// `MsgId`: the message's id on the client (listed in Tencent's Chinese
                /// table only; unconfirmed).
                #[serde(rename = "MsgId", default, skip_serializing_if = "Option::is_none")]
                pub msg_id: Option<String>,
                /// `OnlineOnlyFlag`: `1` for an online-only message, else `0`.
                #[serde(rename = "OnlineOnlyFlag", default, skip_serializing_if = "Option::is_none")]
                pub online_only_flag: Option<u32>,
                /// `MsgBody`: the message's elements.
                #[serde(rename = "MsgBody", default)]
                pub msg_body: Vec<crate::model::MsgElement>,
                /// `CloudCustomData`: the message's custom data.
                #[serde(rename = "CloudCustomData", default, skip_serializing_if = "Option::is_none")]
                pub cloud_custom_data: Option<String>,
                /// `EventTime`: when the event happened, in Unix milliseconds, as a number or
                /// a string. Not in Tencent's one-to-one samples; accepted when present.
                #[serde(
                    rename = "EventTime",
                    default,
                    with = "crate::model::serde_helpers::event_time",
                    skip_serializing_if = "Option::is_none"
                )]
                pub event_time: Option<u64>,
            }
        }
    };
}

c2c_message!(common {
    /// The fields every one-to-one message callback carries.
    ///
    /// Fields old payloads lack are `Option`s or default to empty; unknown fields are
    /// ignored.
    pub struct C2cMessage;
});

impl C2cMessage {
    /// Whether the message is online-only (`OnlineOnlyFlag` is `1`).
    pub fn is_online_only(&self) -> bool {
        self.online_only_flag == Some(1)
    }
}

c2c_message!(event {
    /// `C2C.CallbackBeforeSendMsg`: a one-to-one message is about to be delivered. Reply
    /// with a [`BeforeSendReply`](crate::BeforeSendReply) to allow, refuse, drop or change
    /// it.
    pub struct C2cBeforeSendMsg(C2cMessage) = "C2C.CallbackBeforeSendMsg" {}
});

c2c_message!(event {
    /// `C2C.CallbackAfterSendMsg`: a one-to-one message was sent, or failed (then
    /// `SendMsgResult` is its error code). The reply is ignored beyond OK.
    pub struct C2cAfterSendMsg(C2cMessage) = "C2C.CallbackAfterSendMsg" {
        /// `SendMsgResult`: `0` when the message was delivered, else Tencent's error code.
        #[serde(rename = "SendMsgResult", default, skip_serializing_if = "Option::is_none")]
        pub send_msg_result: Option<i64>,
        /// `ErrorInfo`: `send msg succeed`, or why sending failed.
        #[serde(rename = "ErrorInfo", default)]
        pub error_info: String,
        /// `UnreadMsgNum`: the recipient's unread one-to-one messages; `-1` when sending
        /// failed.
        #[serde(rename = "UnreadMsgNum", default, skip_serializing_if = "Option::is_none")]
        pub unread_msg_num: Option<i64>,
    }
});

impl C2cAfterSendMsg {
    /// Whether the message was delivered (`SendMsgResult` is `0`).
    pub fn is_delivered(&self) -> bool {
        self.send_msg_result == Some(0)
    }
}
