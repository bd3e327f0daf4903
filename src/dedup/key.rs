//! The duplicate key of a callback and the owner of a claim.

use std::{
    collections::hash_map::RandomState,
    hash::BuildHasher,
    sync::{
        atomic::{AtomicU64, Ordering},
        OnceLock,
    },
};

use sha2::{Digest, Sha256};

use crate::scan::Scan;

/// The duplicate-store key of a callback, from what Tencent documents as unique: `MsgKey`
/// for one-to-one messages, `GroupId` + `MsgSeq` for group messages after send, else a
/// digest of the app id, the command and the exact body. Only the first two read the body
/// (one [`Scan`]).
pub(crate) fn key(app_id: u64, command: &str, body: &[u8]) -> String {
    let documented = match command {
        "C2C.CallbackBeforeSendMsg" | "C2C.CallbackAfterSendMsg" => {
            Scan::of(body).and_then(|scan| Some(scan.msg_key?.into_owned()))
        }
        "Group.CallbackAfterSendMsg" => Scan::of(body).and_then(|scan| {
            let (group_id, msg_seq) = (scan.group_id?, scan.msg_seq?);
            Some(format!("{group_id}:{msg_seq}"))
        }),
        _ => None,
    };
    let mut key = format!("{app_id}:{command}:");
    match documented {
        Some(id) => key.push_str(&id),
        None => {
            let digest = Sha256::new()
                .chain_update(app_id.to_be_bytes())
                .chain_update(command)
                .chain_update(body)
                .finalize();
            key.push_str(&hex::encode(digest));
        }
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

    #[test]
    fn keys_use_documented_ids_else_a_digest() {
        let c2c = br#"{"MsgKey":"abc","MsgSeq":1}"#;
        assert_eq!(
            key(1, "C2C.CallbackAfterSendMsg", c2c),
            "1:C2C.CallbackAfterSendMsg:abc"
        );
        let group = br#"{"GroupId":"@TGS#1","MsgSeq":7}"#;
        assert_eq!(
            key(1, "Group.CallbackAfterSendMsg", group),
            "1:Group.CallbackAfterSendMsg:@TGS#1:7"
        );
        let other = key(1, "State.StateChange", b"{}");
        assert_eq!(other.len(), "1:State.StateChange:".len() + 64);
        assert_ne!(other, key(2, "State.StateChange", b"{}"));
        assert_ne!(other, key(1, "State.StateChange", b"{ }"));
    }

    #[test]
    fn owners_are_unique() {
        let owners: std::collections::HashSet<_> = (0..1000).map(|_| new_owner()).collect();
        assert_eq!(owners.len(), 1000);
    }
}
