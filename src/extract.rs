//! The `Callback<E>` and `RawCallback` extractors: the verified request's metadata and its
//! decoded body.

use std::ops::Deref;

use actix_web::{
    dev::Payload,
    http::header,
    rt::time::timeout,
    web::{Bytes, BytesMut},
    FromRequest, HttpMessage, HttpRequest,
};
use futures_util::{future::LocalBoxFuture, StreamExt};
use serde::Deserialize;
use sha2::{Digest, Sha256};

use crate::{
    config::{Dedup, StoreFailure},
    dedup::Claim,
    error::{rejected, CallbackError, LogSafe},
    meta::{CallbackMeta, Claimed, Verified},
    metrics,
    model::CallbackBody,
    signature::lowercase_hex,
};

/// A verified callback: the URL metadata and the body decoded as `E`.
///
/// Reads the body up to the configured limit (no `Content-Type` needed) and decodes it
/// with serde. It only works behind the [`TimCallback`](crate::TimCallback) middleware:
/// without it, it fails with [`CallbackError::MiddlewareMissing`] rather than decode a
/// request nobody verified.
///
/// When the request's `CallbackCommand` (the query's, else the body's) is not one `E`
/// takes, the extractor fails with [`CallbackError::UnexpectedCommand`]; route each
/// command to its handler with [`command`](crate::command).
///
/// ```
/// use actix_tim_callback::{model::group, Ack, Callback};
///
/// async fn on_exception(cb: Callback<group::SendMsgException>) -> Ack {
///     // `Callback` derefs to the event.
///     println!("{} from {:?}: {}", cb.group_id, cb.meta.client_ip, cb.kind());
///     Ack
/// }
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Callback<E> {
    /// The query parameters of the request.
    pub meta: CallbackMeta,
    /// The decoded body.
    pub event: E,
}

impl<E> Callback<E> {
    /// The decoded body, without the metadata.
    pub fn into_inner(self) -> E {
        self.event
    }
}

impl<E> Deref for Callback<E> {
    type Target = E;

    fn deref(&self) -> &E {
        &self.event
    }
}

impl<E: CallbackBody + 'static> FromRequest for Callback<E> {
    type Error = CallbackError;
    type Future = LocalBoxFuture<'static, Result<Self, CallbackError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let req = req.clone();
        let payload = payload.take();
        Box::pin(async move {
            let (meta, body, body_command) =
                read(&req, payload, Some((E::accepts, E::expected()))).await?;
            let command = meta.command.as_deref().or(body_command.as_deref());
            let event =
                decode(&body, command.unwrap_or_default()).map_err(|err| rejected(&req, err))?;
            Ok(Callback { meta, event })
        })
    }
}

/// Any verified callback, with its body as JSON: to log or forward callbacks as they are.
///
/// Same reading rules and limits as [`Callback`], for any `CallbackCommand`. For typed
/// events of every command, see [`model::AnyEvent`](crate::model).
///
/// ```
/// use actix_tim_callback::{Ack, RawCallback};
///
/// async fn any_callback(cb: RawCallback) -> Ack {
///     println!("{:?}: {}", cb.command(), cb.body);
///     Ack
/// }
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct RawCallback {
    /// The query parameters of the request.
    pub meta: CallbackMeta,
    /// The body as sent.
    pub body: serde_json::Value,
}

impl RawCallback {
    /// The `CallbackCommand` of the query string, or else of the body.
    pub fn command(&self) -> Option<&str> {
        self.meta
            .command
            .as_deref()
            .or_else(|| self.body.get("CallbackCommand")?.as_str())
    }
}

impl FromRequest for RawCallback {
    type Error = CallbackError;
    type Future = LocalBoxFuture<'static, Result<Self, CallbackError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let req = req.clone();
        let payload = payload.take();
        Box::pin(async move {
            let (meta, body, _) = read(&req, payload, None).await?;
            let AnyJson(body) = decode(&body, "").map_err(|err| rejected(&req, err))?;
            Ok(RawCallback { meta, body })
        })
    }
}

/// Which commands an extractor takes, and how to name them in an error.
type Accepts = (fn(&str) -> bool, &'static str);

/// Checks that the request was verified and is for a command `accepts` takes, then reads
/// its body up to the limit. The command is checked before the body is read when the
/// query names it, after, from the body (also returned), when it does not.
async fn read(
    req: &HttpRequest,
    mut payload: Payload,
    accepts: Option<Accepts>,
) -> Result<(CallbackMeta, Bytes, Option<String>), CallbackError> {
    let (meta, limit, dedup) = match req.extensions().get::<Verified>() {
        Some(verified) => {
            verified.routed.set(true);
            (
                verified.meta.clone(),
                verified.body_limit,
                verified.dedup.clone(),
            )
        }
        None => {
            log_middleware_missing(req);
            return Err(CallbackError::MiddlewareMissing);
        }
    };
    let check = |command: Option<&str>| match (accepts, command) {
        (Some((accepts, expected)), Some(received)) if !accepts(received) => Err(rejected(
            req,
            CallbackError::UnexpectedCommand {
                expected,
                received: received.to_owned(),
            },
        )),
        _ => Ok(()),
    };
    check(meta.command.as_deref())?;
    if content_length(req).is_some_and(|length| length > limit) {
        return Err(rejected(req, CallbackError::PayloadTooLarge { limit }));
    }
    let mut body = BytesMut::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|err| rejected(req, CallbackError::Payload(err)))?;
        if body.len() + chunk.len() > limit {
            return Err(rejected(req, CallbackError::PayloadTooLarge { limit }));
        }
        body.extend_from_slice(&chunk);
    }
    let body = body.freeze();
    let body_command = match meta.command {
        Some(_) => None,
        None => body_command(&body),
    };
    check(body_command.as_deref())?;
    if let Some((dedup, claimed)) = dedup {
        let command = meta.command.as_deref().or(body_command.as_deref());
        let command = command.unwrap_or_default();
        claim(req, &dedup, &claimed, meta.sdk_app_id, command, &body).await?;
    }
    Ok((meta, body, body_command))
}

/// Claims the callback in the duplicate store (see
/// [`CallbackConfig::dedup`](crate::CallbackConfig::dedup)): a callback already claimed is
/// a [`CallbackError::Duplicate`], answered OK without reaching the handler.
async fn claim(
    req: &HttpRequest,
    dedup: &Dedup,
    claimed: &Claimed,
    app_id: u64,
    command: &str,
    body: &[u8],
) -> Result<(), CallbackError> {
    let before = command.contains(".CallbackBefore") || command.starts_with("Chatbot.");
    if before && !dedup.before_callbacks {
        return Ok(());
    }
    let key = dedup_key(app_id, command, body);
    let why = match timeout(dedup.timeout, dedup.store.claim(&key, dedup.ttl)).await {
        Ok(Ok(Claim::Claimed)) => {
            *claimed.borrow_mut() = Some(key);
            return Ok(());
        }
        Ok(Ok(Claim::Duplicate)) => {
            log::info!(
                "duplicate Tencent IM callback {} answered OK without its handler",
                LogSafe(command)
            );
            return Err(CallbackError::Duplicate);
        }
        Ok(Err(err)) => err.to_string(),
        Err(_) => format!("no answer within {:?}", dedup.timeout),
    };
    metrics::store_failure("claim");
    // A claim that timed out may still have reached the store.
    match dedup.on_failure {
        StoreFailure::Accept => {
            log::warn!(
                "duplicate store failed ({}): Tencent IM callback {} accepted unchecked",
                LogSafe(&why),
                LogSafe(command)
            );
            // Released like a claim of its own if the handler fails, so a retry can pass.
            *claimed.borrow_mut() = Some(key);
            Ok(())
        }
        StoreFailure::Reject => {
            log::warn!("duplicate store failed: {}", LogSafe(&why));
            let _ = timeout(dedup.timeout, dedup.store.release(&key)).await;
            Err(rejected(req, CallbackError::StoreUnavailable))
        }
    }
}

/// The duplicate-store key of a callback, from what Tencent documents as unique: `MsgKey`
/// for one-to-one messages, `GroupId` + `MsgSeq` for group messages after send, else a
/// digest of the app id, the command and the exact body.
fn dedup_key(app_id: u64, command: &str, body: &[u8]) -> String {
    #[derive(Deserialize)]
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
                .chain_update(app_id.to_string())
                .chain_update(command)
                .chain_update(body)
                .finalize();
            key.extend(lowercase_hex(&digest.into()).map(char::from));
        }
    }
    key
}

fn content_length(req: &HttpRequest) -> Option<usize> {
    req.headers()
        .get(header::CONTENT_LENGTH)?
        .to_str()
        .ok()?
        .parse()
        .ok()
}

/// The `CallbackCommand` of a body: top-level, or of the first event of a batched body
/// (`{"Events": [...]}`). Read only for requests whose query names no command.
fn body_command(body: &[u8]) -> Option<String> {
    #[derive(Deserialize)]
    struct Command {
        #[serde(rename = "CallbackCommand")]
        command: Option<String>,
        #[serde(rename = "Events", default)]
        events: Vec<Command>,
    }
    let body: Command = serde_json::from_slice(body).ok()?;
    body.command
        .or_else(|| body.events.into_iter().next()?.command)
}

/// Decodes a JSON body as `T` for `command`; on failure, decodes again to find where it
/// failed (only bad input pays for the path tracking).
fn decode<T: CallbackBody>(body: &[u8], command: &str) -> Result<T, CallbackError> {
    // A body checked as UTF-8 once, as a whole, spares serde_json a check per string:
    // 1.11 µs instead of 1.35 µs for the seed payload (`cargo bench --bench decode`).
    let decoded = match std::str::from_utf8(body) {
        Ok(text) => decode_all(serde_json::Deserializer::from_str(text), command),
        Err(_) => decode_all(serde_json::Deserializer::from_slice(body), command),
    };
    decoded.map_err(|_| {
        let mut json = serde_json::Deserializer::from_slice(body);
        let mut track = serde_path_to_error::Track::new();
        let tracked = serde_path_to_error::Deserializer::new(&mut json, &mut track);
        let message = match T::deserialize_command(command, tracked) {
            Err(err) => err.to_string(),
            Ok(_) => "trailing characters after the JSON value".to_owned(),
        };
        CallbackError::InvalidJson {
            path: track.path().to_string(),
            message,
        }
    })
}

/// Decodes the whole input as `T`: trailing characters are an error.
fn decode_all<'de, R, T>(
    mut json: serde_json::Deserializer<R>,
    command: &str,
) -> serde_json::Result<T>
where
    R: serde_json::de::Read<'de>,
    T: CallbackBody,
{
    let value = T::deserialize_command(command, &mut json)?;
    json.end()?;
    Ok(value)
}

/// The body of a [`RawCallback`]: any command, as JSON.
struct AnyJson(serde_json::Value);

impl CallbackBody for AnyJson {
    fn accepts(_: &str) -> bool {
        true
    }

    fn expected() -> &'static str {
        "any command"
    }

    fn deserialize_command<'de, D: serde::Deserializer<'de>>(
        _: &str,
        deserializer: D,
    ) -> Result<Self, D::Error> {
        serde_json::Value::deserialize(deserializer).map(AnyJson)
    }
}

pub(crate) fn log_middleware_missing(req: &HttpRequest) {
    log::error!(
        "{} {}: {}",
        req.method(),
        req.path(),
        CallbackError::MiddlewareMissing
    );
}
