//! [`RedisStore`]: duplicate suppression shared by every instance of the app (feature
//! `redis`).

use std::{future::Future, sync::Arc, time::Duration};

use futures_util::future::BoxFuture;
use redis::{
    aio::{ConnectionManager, ConnectionManagerConfig},
    Client, RedisError, Script,
};

use super::{Claim, DedupStore, StoreError, StoredReply};

/// A claim is `F:<owner>` while its handler runs and `D:<owner>\n<reply>` once done. Taking
/// it is `SET NX PX`; when that fails, the value says in flight or done.
const CLAIM: &str = r"
if redis.call('SET', KEYS[1], 'F:' .. ARGV[1], 'NX', 'PX', ARGV[2]) then
  return false
end
return redis.call('GET', KEYS[1])
";

/// Completes a claim the owner still holds, or one that is gone (it expired, or the claim
/// never reached Redis); never one another owner holds.
const COMPLETE: &str = r"
local value = redis.call('GET', KEYS[1])
if value == false or value == 'F:' .. ARGV[1] then
  redis.call('SET', KEYS[1], 'D:' .. ARGV[1] .. '\n' .. ARGV[2], 'PX', ARGV[3])
  return 1
end
return 0
";

/// Deletes a claim only while its owner holds it in flight.
const RELEASE: &str = r"
if redis.call('GET', KEYS[1]) == 'F:' .. ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
";

/// A [`DedupStore`] in Redis, shared by every instance of the app.
///
/// A claim is one key, taken with `SET NX PX` and carrying its owner; completing and
/// releasing it are Lua scripts that compare the owner first, so that a request never
/// touches a claim another request holds. The connection is a [`ConnectionManager`]: a call
/// that fails on a lost connection is tried once more on a new one (Redis restarted), and
/// the middleware bounds both tries with
/// [`Dedup::timeout`](super::Dedup::timeout).
///
/// Build it once, outside the `HttpServer::new` closure, and hand a clone to each worker:
/// clones share the connection. Connect it in a runtime that keeps running while the server
/// does (such as `main`'s under `#[actix_web::main]`): the connection is driven there.
///
/// ```no_run
/// use actix_tim_callback::dedup::RedisStore;
///
/// # async fn build() -> Result<(), actix_tim_callback::dedup::StoreError> {
/// let store = RedisStore::connect("redis://127.0.0.1:6379/")
///     .await?
///     .prefix("my-app:tim-callback:");
/// # Ok(())
/// # }
/// ```
#[cfg_attr(docsrs, doc(cfg(feature = "redis")))]
#[derive(Debug, Clone)]
pub struct RedisStore {
    manager: ConnectionManager,
    prefix: Arc<str>,
    scripts: Arc<Scripts>,
}

#[derive(Debug)]
struct Scripts {
    claim: Script,
    complete: Script,
    release: Script,
}

impl RedisStore {
    /// Connects to the Redis server at `url` (`redis://[:password@]host[:port][/db]`).
    ///
    /// Fails when the server cannot be reached now. Once connected, a lost connection is
    /// made again by the next call, without waiting between attempts. Build the store with
    /// [`RedisStore::new`] for other reconnection settings.
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        let client = Client::open(url).map_err(store_error)?;
        // The default retries a lost connection with backoff for seconds, and every call
        // waits for that; a callback cannot wait that long. The store tries once more.
        let config = ConnectionManagerConfig::new().set_number_of_retries(0);
        let manager = ConnectionManager::new_with_config(client, config)
            .await
            .map_err(store_error)?;
        Ok(Self::new(manager))
    }

    /// A store on a connection manager built by the caller, with keys prefixed
    /// `tim-callback:`.
    pub fn new(manager: ConnectionManager) -> Self {
        Self {
            manager,
            prefix: Arc::from("tim-callback:"),
            scripts: Arc::new(Scripts {
                claim: Script::new(CLAIM),
                complete: Script::new(COMPLETE),
                release: Script::new(RELEASE),
            }),
        }
    }

    /// Prefixes every key with `prefix` instead of `tim-callback:`.
    pub fn prefix(mut self, prefix: impl Into<String>) -> Self {
        self.prefix = Arc::from(prefix.into());
        self
    }

    /// Runs `call` on the connection, and once more when it failed because the connection
    /// was lost: the manager reconnects on the second call.
    async fn with_retry<T, F, Fut>(&self, call: F) -> Result<T, StoreError>
    where
        F: Fn(ConnectionManager) -> Fut,
        Fut: Future<Output = Result<T, RedisError>>,
    {
        match call(self.manager.clone()).await {
            Err(err) if lost_connection(&err) => {
                log::debug!("redis connection lost ({err}); trying once more");
                call(self.manager.clone()).await.map_err(store_error)
            }
            other => other.map_err(store_error),
        }
    }
}

fn lost_connection(err: &RedisError) -> bool {
    err.is_io_error() || err.is_connection_dropped() || err.is_connection_refusal()
}

/// `PX` takes whole milliseconds above zero.
fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis())
        .unwrap_or(u64::MAX)
        .clamp(1, i64::MAX as u64 / 2)
}

impl DedupStore for RedisStore {
    fn claim<'a>(
        &'a self,
        key: &'a str,
        owner: &'a str,
        lease: Duration,
    ) -> BoxFuture<'a, Result<Claim, StoreError>> {
        Box::pin(async move {
            let key = format!("{}{key}", self.prefix);
            let value: Option<Vec<u8>> = self
                .with_retry(|mut con| {
                    let mut call = self.scripts.claim.key(&key);
                    call.arg(owner).arg(millis(lease));
                    async move { call.invoke_async(&mut con).await }
                })
                .await?;
            let Some(value) = value else {
                return Ok(Claim::New);
            };
            if value.starts_with(b"F:") {
                return Ok(Claim::InFlight);
            }
            value
                .strip_prefix(b"D:")
                .and_then(|done| {
                    let newline = done.iter().position(|&b| b == b'\n')?;
                    StoredReply::decode(&done[newline + 1..])
                })
                .map(Claim::Done)
                .ok_or_else(|| StoreError::new(format!("redis: key {key} holds no claim")))
        })
    }

    fn complete<'a>(
        &'a self,
        key: &'a str,
        owner: &'a str,
        reply: &'a StoredReply,
        ttl: Duration,
    ) -> BoxFuture<'a, Result<(), StoreError>> {
        Box::pin(async move {
            let key = format!("{}{key}", self.prefix);
            let reply = reply.encode();
            let _: i64 = self
                .with_retry(|mut con| {
                    let mut call = self.scripts.complete.key(&key);
                    call.arg(owner).arg(&reply).arg(millis(ttl));
                    async move { call.invoke_async(&mut con).await }
                })
                .await?;
            Ok(())
        })
    }

    fn release<'a>(
        &'a self,
        key: &'a str,
        owner: &'a str,
    ) -> BoxFuture<'a, Result<(), StoreError>> {
        Box::pin(async move {
            let key = format!("{}{key}", self.prefix);
            let _: i64 = self
                .with_retry(|mut con| {
                    let mut call = self.scripts.release.key(&key);
                    call.arg(owner);
                    async move { call.invoke_async(&mut con).await }
                })
                .await?;
            Ok(())
        })
    }
}

fn store_error(error: RedisError) -> StoreError {
    StoreError::with_source(format!("redis: {error}"), error)
}
