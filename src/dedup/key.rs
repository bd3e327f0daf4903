//! The duplicate key of a callback and the owner of a claim.

use std::{
    collections::hash_map::RandomState,
    fmt::Write,
    hash::BuildHasher,
    sync::{
        atomic::{AtomicU64, Ordering},
        OnceLock,
    },
};

use sha2::{Digest, Sha256};

use crate::model::{c2c, group, AnyEvent, CallbackEvent};

/// Whether the duplicate key of `command` is an id of its body (see [`key`]), so that its
/// body is decoded to claim it.
pub(crate) fn has_documented_id(command: &str) -> bool {
    [
        c2c::BeforeSendMsg::COMMAND,
        c2c::AfterSendMsg::COMMAND,
        group::AfterSendMsg::COMMAND,
    ]
    .contains(&command)
}

/// The duplicate-store key of a callback, from what Tencent documents as unique for its
/// decoded `event`: `MsgKey` for one-to-one messages, `GroupId` + `MsgSeq` for group
/// messages after send; else (no such id, or no event) a digest of the app id, the command
/// and the exact body.
pub(crate) fn key(app_id: u64, command: &str, event: Option<&AnyEvent>, body: &[u8]) -> String {
    let mut key = format!("{app_id}:{command}:");
    let documented = match event {
        Some(AnyEvent::C2cBeforeSendMsg(message)) => message.msg_key.as_ref().map(|id| {
            key.push_str(id);
        }),
        Some(AnyEvent::C2cAfterSendMsg(message)) => message.msg_key.as_ref().map(|id| {
            key.push_str(id);
        }),
        Some(AnyEvent::GroupAfterSendMsg(message)) => message.msg_seq.map(|seq| {
            let _ = write!(key, "{}:{seq}", message.group_id);
        }),
        _ => None,
    };
    if documented.is_none() {
        let digest = Sha256::new()
            .chain_update(app_id.to_be_bytes())
            .chain_update(command)
            .chain_update(body)
            .finalize();
        key.push_str(&hex::encode(digest));
    }
    key
}

/// A token unique to one request across every instance: a random number drawn once per
/// process, and a counter.
pub(crate) fn new_owner() -> String {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    static PROCESS: OnceLock<u64> = OnceLock::new();
    // `RandomState` is seeded from the operating system's random source.
    let process = *PROCESS.get_or_init(|| RandomState::new().hash_one(std::process::id()));
    format!("{process:016x}-{:x}", NEXT.fetch_add(1, Ordering::Relaxed))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(command: &str, body: &str) -> AnyEvent {
        crate::decode::decode_event(body.as_bytes(), command).expect("decodes")
    }

    #[test]
    fn keys_use_documented_ids_else_a_digest() {
        let c2c = r#"{"From_Account":"a","To_Account":"b","MsgKey":"abc","MsgSeq":1}"#;
        for command in ["C2C.CallbackAfterSendMsg", "C2C.CallbackBeforeSendMsg"] {
            let event = event(command, c2c);
            assert_eq!(
                key(1, command, Some(&event), b"{}"),
                format!("1:{command}:abc")
            );
        }
        let group = r#"{"GroupId":"@TGS#1","From_Account":"a","MsgSeq":7}"#;
        let event = event("Group.CallbackAfterSendMsg", group);
        assert_eq!(
            key(1, "Group.CallbackAfterSendMsg", Some(&event), b"{}"),
            "1:Group.CallbackAfterSendMsg:@TGS#1:7"
        );
        // Without the documented id, or without an event: a digest of the body.
        let without_seq = event_without_seq();
        let digest = key(1, "Group.CallbackAfterSendMsg", Some(&without_seq), b"{}");
        assert_eq!(digest, key(1, "Group.CallbackAfterSendMsg", None, b"{}"));
        let other = key(1, "State.StateChange", None, b"{}");
        assert_eq!(other.len(), "1:State.StateChange:".len() + 64);
        assert_ne!(other, key(2, "State.StateChange", None, b"{}"));
        assert_ne!(other, key(1, "State.StateChange", None, b"{ }"));
        assert!(has_documented_id("Group.CallbackAfterSendMsg"));
        assert!(!has_documented_id("Group.CallbackBeforeSendMsg"));
    }

    fn event_without_seq() -> AnyEvent {
        event(
            "Group.CallbackAfterSendMsg",
            r#"{"GroupId":"@TGS#1","From_Account":"a"}"#,
        )
    }

    #[test]
    fn owners_are_unique() {
        let owners: std::collections::HashSet<_> = (0..1000).map(|_| new_owner()).collect();
        assert_eq!(owners.len(), 1000);
    }
}
