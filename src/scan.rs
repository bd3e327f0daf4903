//! [`Scan`]: what the crate reads of a body without decoding it as an event, in one pass
//! that borrows from the body and skips everything else.

use std::borrow::Cow;

use serde::Deserialize;
use serde_with::BorrowCow;

/// A body's `CallbackCommand` (for a request whose query names none), borrowed from the body
/// where no escape forces a copy.
#[serde_with::serde_as]
#[derive(Debug, Default, PartialEq, Eq, Deserialize)]
pub(crate) struct Scan<'a> {
    /// `CallbackCommand`.
    #[serde(rename = "CallbackCommand", borrow, default)]
    #[serde_as(as = "Option<BorrowCow>")]
    command: Option<Cow<'a, str>>,
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
    fn reads_the_command_and_skips_the_rest() {
        let body = br#"{"GroupId":"@TGS#1","MsgBody":[{"MsgType":"TIMTextElem","MsgContent":{"Text":"hi"}}],"CallbackCommand":"Group.CallbackAfterSendMsg"}"#;
        let scan = Scan::of(body).expect("JSON");
        assert_eq!(scan.command(), Some("Group.CallbackAfterSendMsg"));
        assert!(matches!(scan.command, Some(Cow::Borrowed(_))));
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
    fn escaped_commands_are_unescaped_and_bad_bodies_are_none() {
        let scan = Scan::of(br#"{"CallbackCommand":"State.State\u0043hange"}"#).expect("JSON");
        assert_eq!(scan.command(), Some("State.StateChange"));
        assert_eq!(Scan::of(b"not json"), None);
        assert_eq!(Scan::of(br#"{"CallbackCommand":7}"#), None);
        assert_eq!(Scan::of(br#"{"CallbackCommand":"a"} trailing"#), None);
    }
}
