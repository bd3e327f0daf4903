//! [`Scan`]: what the crate reads of a body without decoding it as an event, in one pass
//! that borrows from the body and skips everything else.

use std::borrow::Cow;

use serde::Deserialize;
use serde_with::BorrowCow;

/// A body's `CallbackCommand` and the ids Tencent documents as unique for a callback (the
/// duplicate key's), borrowed from the body where no escape forces a copy.
#[serde_with::serde_as]
#[derive(Debug, Default, PartialEq, Eq, Deserialize)]
pub(crate) struct Scan<'a> {
    /// `CallbackCommand`.
    #[serde(rename = "CallbackCommand", borrow, default)]
    #[serde_as(as = "Option<BorrowCow>")]
    pub(crate) command: Option<Cow<'a, str>>,
    /// `MsgKey`: unique for one-to-one messages.
    #[serde(rename = "MsgKey", borrow, default)]
    #[serde_as(as = "Option<BorrowCow>")]
    pub(crate) msg_key: Option<Cow<'a, str>>,
    /// `GroupId`: with `MsgSeq`, unique for group messages.
    #[serde(rename = "GroupId", borrow, default)]
    #[serde_as(as = "Option<BorrowCow>")]
    pub(crate) group_id: Option<Cow<'a, str>>,
    /// `MsgSeq`.
    #[serde(rename = "MsgSeq", default)]
    pub(crate) msg_seq: Option<u64>,
    /// The events of a batched body (`{"Events": [...]}`): the first one's command stands
    /// for the body's.
    #[serde(rename = "Events", borrow, default)]
    events: Vec<Scan<'a>>,
}

impl<'a> Scan<'a> {
    /// Scans `body`; `None` when it is not a JSON object (or an id is of another type).
    pub(crate) fn of(body: &'a [u8]) -> Option<Self> {
        serde_json::from_slice(body).ok()
    }

    /// The body's command: its own, else its first event's.
    pub(crate) fn command(&self) -> Option<&str> {
        self.command
            .as_deref()
            .or_else(|| self.events.first()?.command.as_deref())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_command_and_the_ids_and_skips_the_rest() {
        let body = br#"{"CallbackCommand":"Group.CallbackAfterSendMsg","GroupId":"@TGS#1","MsgBody":[{"MsgType":"TIMTextElem","MsgContent":{"Text":"hi"}}],"MsgSeq":7,"MsgKey":"k"}"#;
        let scan = Scan::of(body).expect("JSON");
        assert_eq!(scan.command(), Some("Group.CallbackAfterSendMsg"));
        assert_eq!(scan.group_id.as_deref(), Some("@TGS#1"));
        assert_eq!(scan.msg_seq, Some(7));
        assert_eq!(scan.msg_key.as_deref(), Some("k"));
        assert!(matches!(scan.group_id, Some(Cow::Borrowed(_))));
    }

    #[test]
    fn a_batched_body_takes_its_first_events_command() {
        let body =
            br#"{"Events":[{"CallbackCommand":"Push.OfflinePush"},{"CallbackCommand":"X"}]}"#;
        assert_eq!(
            Scan::of(body).expect("JSON").command(),
            Some("Push.OfflinePush")
        );
        assert_eq!(Scan::of(b"{}").expect("JSON").command(), None);
    }

    #[test]
    fn escaped_ids_are_unescaped_and_bad_bodies_are_none() {
        let scan = Scan::of(br#"{"GroupId":"@TGS\u00231"}"#).expect("JSON");
        assert_eq!(scan.group_id.as_deref(), Some("@TGS#1"));
        assert_eq!(Scan::of(b"not json"), None);
        assert_eq!(Scan::of(b"[1]"), None);
        assert_eq!(Scan::of(br#"{"MsgSeq":"7"}"#), None);
        assert_eq!(Scan::of(br#"{"GroupId":"a"} trailing"#), None);
    }
}
