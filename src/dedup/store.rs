//! [`DedupStore`]: where claims of callbacks live, and what a claim answers.

use std::time::Duration;

use actix_web::web::Bytes;
use futures_util::future::BoxFuture;

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
