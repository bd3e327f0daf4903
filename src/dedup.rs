//! Duplicate suppression: the store interface, its claims, and the key of a callback.
//!
//! A callback is claimed under its key before its handler runs. The claim has an owner (the
//! request that made it) and one of three states: in flight while the handler runs, done
//! with the reply the handler gave, or gone (released after a failure, or expired). A later
//! delivery of a done callback gets the same reply without the handler; one that arrives
//! while the first is in flight waits for its outcome.

use std::{
    collections::hash_map::RandomState,
    hash::BuildHasher,
    sync::atomic::{AtomicU64, Ordering},
    time::Duration,
};

use actix_web::web::Bytes;
use futures_util::future::BoxFuture;
use sha2::{Digest, Sha256};

/// Where claims of callbacks live, shared by every worker (and, for Redis, every instance).
///
/// Every operation names the claim's `owner`, a token unique to the request that claimed
/// it: [`complete`](Self::complete) and [`release`](Self::release) act only on a claim the
/// owner still holds, so a request whose claim expired (or never reached the store) cannot
/// touch another request's claim.
pub trait DedupStore: Send + Sync + 'static {
    /// Claims `key` for `owner` for `lease`, atomically. [`Claim::New`] when this call
    /// took it; [`Claim::InFlight`] when another request holds it; [`Claim::Done`] with the
    /// stored reply when the callback was already handled.
    fn claim<'a>(
        &'a self,
        key: &'a str,
        owner: &'a str,
        lease: Duration,
    ) -> BoxFuture<'a, Result<Claim, StoreError>>;

    /// Marks the claim done with the `reply` its handler gave, kept for `ttl`. Does nothing
    /// when another owner holds the key now.
    fn complete<'a>(
        &'a self,
        key: &'a str,
        owner: &'a str,
        reply: &'a StoredReply,
        ttl: Duration,
    ) -> BoxFuture<'a, Result<(), StoreError>>;

    /// Deletes the claim if `owner` still holds it in flight (the handler failed), so that
    /// a retry of the callback is handled.
    fn release<'a>(&'a self, key: &'a str, owner: &'a str)
        -> BoxFuture<'a, Result<(), StoreError>>;
}

/// The answer of [`DedupStore::claim`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Claim {
    /// This call took the key: handle the callback.
    New,
    /// Another request holds the key and has not finished yet.
    InFlight,
    /// The callback was handled already; this is the reply it got.
    Done(StoredReply),
}

/// The reply a handled callback got, kept with its claim so that a later delivery gets the
/// same answer (a friend check's verdicts, a before-send's changes, or the OK reply).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredReply {
    /// The HTTP status, a success.
    pub status: u16,
    /// The `Content-Type` header, if the reply had one.
    pub content_type: Option<String>,
    /// The body.
    pub body: Bytes,
}

impl StoredReply {
    /// The reply as bytes: the status, a space, the content type, a newline, the body.
    pub fn encode(&self) -> Vec<u8> {
        let head = format!(
            "{} {}\n",
            self.status,
            self.content_type.as_deref().unwrap_or_default()
        );
        let mut bytes = Vec::with_capacity(head.len() + self.body.len());
        bytes.extend_from_slice(head.as_bytes());
        bytes.extend_from_slice(&self.body);
        bytes
    }

    /// Reads what [`encode`](Self::encode) wrote; `None` for anything else.
    pub fn decode(bytes: &[u8]) -> Option<Self> {
        let newline = bytes.iter().position(|&b| b == b'\n')?;
        let head = std::str::from_utf8(&bytes[..newline]).ok()?;
        let (status, content_type) = head.split_once(' ')?;
        Some(Self {
            status: status.parse().ok()?,
            content_type: (!content_type.is_empty()).then(|| content_type.to_owned()),
            body: Bytes::copy_from_slice(&bytes[newline + 1..]),
        })
    }
}

/// The store could not answer (connection refused, protocol error...). Display says why;
/// [`source`](std::error::Error::source) is the store's own error, when there is one.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct StoreError {
    message: String,
    #[source]
    source: Option<Box<dyn std::error::Error + Send + Sync>>,
}

impl StoreError {
    /// An error that displays as `message`.
    pub fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            source: None,
        }
    }

    /// An error that displays as `message`, caused by `source`.
    pub fn with_source(
        message: impl Into<String>,
        source: impl std::error::Error + Send + Sync + 'static,
    ) -> Self {
        Self {
            message: message.into(),
            source: Some(Box::new(source)),
        }
    }
}

/// The duplicate-store key of a callback, from what Tencent documents as unique: `MsgKey`
/// for one-to-one messages, `GroupId` + `MsgSeq` for group messages after send, else a
/// digest of the app id, the command and the exact body.
pub(crate) fn key(app_id: u64, command: &str, body: &[u8]) -> String {
    #[derive(serde::Deserialize)]
    struct Ids {
        #[serde(rename = "MsgKey")]
        msg_key: Option<String>,
        #[serde(rename = "GroupId")]
        group_id: Option<String>,
        #[serde(rename = "MsgSeq")]
        msg_seq: Option<u64>,
    }
    let ids = || serde_json::from_slice::<Ids>(body).ok();
    let documented = match command {
        "C2C.CallbackBeforeSendMsg" | "C2C.CallbackAfterSendMsg" => {
            ids().and_then(|ids| ids.msg_key)
        }
        "Group.CallbackAfterSendMsg" => ids().and_then(|ids| {
            let (group_id, msg_seq) = (ids.group_id?, ids.msg_seq?);
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
            let mut hex = [0u8; 64];
            // 32 bytes always fit 64 hex digits, which are ASCII.
            let _ = hex::encode_to_slice(digest, &mut hex);
            key.push_str(std::str::from_utf8(&hex).unwrap_or_default());
        }
    }
    key
}

/// A token unique to one request across every instance: a random number drawn once per
/// process, and a counter.
pub(crate) fn new_owner() -> String {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    static PROCESS: std::sync::OnceLock<u64> = std::sync::OnceLock::new();
    // `RandomState` is seeded from the operating system's random source.
    let process = *PROCESS.get_or_init(|| RandomState::new().hash_one(std::process::id()));
    format!("{process:016x}-{:x}", NEXT.fetch_add(1, Ordering::Relaxed))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_replies_round_trip() {
        for reply in [
            StoredReply {
                status: 200,
                content_type: Some("application/json".into()),
                body: Bytes::from_static(br#"{"ActionStatus":"OK"}"#),
            },
            StoredReply {
                status: 204,
                content_type: None,
                body: Bytes::new(),
            },
            StoredReply {
                status: 200,
                content_type: Some("text/plain; charset=utf-8".into()),
                body: Bytes::from_static(b"two\nlines"),
            },
        ] {
            assert_eq!(StoredReply::decode(&reply.encode()), Some(reply));
        }
        assert_eq!(StoredReply::decode(b"no newline"), None);
        assert_eq!(StoredReply::decode(b"twohundred x\n{}"), None);
    }

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

    #[test]
    fn store_errors_keep_their_source() {
        use std::error::Error;
        let io = std::io::Error::new(std::io::ErrorKind::ConnectionRefused, "refused");
        let err = StoreError::with_source("redis: connection refused", io);
        assert_eq!(err.to_string(), "redis: connection refused");
        assert_eq!(
            err.source().map(ToString::to_string).as_deref(),
            Some("refused")
        );
        assert!(StoreError::new("x").source().is_none());
    }
}
