//! The five servers the performance measurements compare, shared by
//! `benches/callpath.rs`, `benches/decode.rs`, `examples/loadbench.rs` and
//! `tests/allocations.rs`:
//!
//! - **bare**: ignores the body and returns the static OK JSON (the floor of this stack);
//! - **hand-written**: what a careful user writes without the crate;
//! - **decode floor**: reads the body and decodes it into the crate's `group::SendMsgException`,
//!   nothing else;
//! - **crate-unsigned**: `TimCallback` + `Callback<group::SendMsgException>` without a token;
//! - **crate**: the same with a token (every signature checked);
//! - **crate-dedup**: the crate server with an in-memory duplicate store;
//! - **crate-redis**: the crate server with a `RedisStore` (only where [`REDIS_STORE`] is
//!   set: `examples/loadbench.rs` sets it when `TIM_LOADBENCH_REDIS` names a server);
//! - **crate-after** and **crate-after-dedup**: the crate server (token set) for
//!   `Group.CallbackAfterSendMsg` ([`Payload::After`]), without and with an in-memory
//!   duplicate store, whose key is the body's `GroupId` and `MsgSeq` (read by a scan of the
//!   body before the handler's decode).
//!
//! All are mounted on [`PATH`] and answer a valid callback with the same bytes.

// Each user of this module uses a part of it.
#![allow(dead_code)]

use std::time::{SystemTime, UNIX_EPOCH};

use actix_tim_callback::{
    command, dedup::MemoryStore, model::group, Ack, Callback, CallbackConfig, TimCallback,
};
use actix_web::{web, HttpResponse};
use futures_util::StreamExt;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The SDKAppID all three servers are configured with.
pub(crate) const APP_ID: u64 = 1_400_000_000;
/// The callback token of the crate and hand-written servers.
pub(crate) const TOKEN: &str = "bench-callback-token-0123456789";
/// The callback URL's path.
pub(crate) const PATH: &str = "/im/callback";
/// Tencent's example `Group.CallbackSendMsgException` body (the seed payload).
pub(crate) const SEED: &str = include_str!("../../tests/fixtures/send_msg_exception.json");
/// Tencent's sample `Group.CallbackAfterSendMsg` body.
pub(crate) const AFTER: &str =
    include_str!("../../tests/fixtures/samples/Group.CallbackAfterSendMsg.json");

/// What a server is posted: its body, and the text replaced by a request number to make
/// each callback distinct (`Random` in the seed, `MsgSeq` in the after-send body).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Payload {
    /// [`SEED`], a `Group.CallbackSendMsgException`.
    Seed,
    /// [`AFTER`], a `Group.CallbackAfterSendMsg`.
    After,
}

impl Payload {
    pub(crate) fn command(self) -> &'static str {
        match self {
            Self::Seed => "Group.CallbackSendMsgException",
            Self::After => "Group.CallbackAfterSendMsg",
        }
    }

    pub(crate) fn body(self) -> &'static str {
        match self {
            Self::Seed => SEED,
            Self::After => AFTER,
        }
    }

    /// The text of the body replaced by the request number.
    pub(crate) fn placeholder(self) -> &'static str {
        match self {
            Self::Seed => "123456",
            Self::After => "\"MsgSeq\": 123",
        }
    }

    /// What stays of the placeholder before the request number.
    pub(crate) fn kept(self) -> &'static str {
        match self {
            Self::Seed => "",
            Self::After => "\"MsgSeq\": ",
        }
    }

    /// The body of request number `n`.
    pub(crate) fn numbered(self, n: u64) -> String {
        let with = format!("{}{n}", self.kept());
        self.body().replacen(self.placeholder(), &with, 1)
    }

    /// Path and query string the IM backend sends, signed for `time` with [`TOKEN`].
    pub(crate) fn signed_path(self, time: u64) -> String {
        let time = time.to_string();
        format!(
            "{PATH}?SdkAppid={APP_ID}&CallbackCommand={}&contenttype=json\
             &ClientIP=10.0.0.7&OptPlatform=RESTAPI&RequestTime={time}&Sign={}",
            self.command(),
            actix_tim_callback::sign(TOKEN, &time)
        )
    }
}

/// The reply an accepted callback gets.
pub(crate) const OK_JSON: &str = r#"{"ActionStatus":"OK","ErrorInfo":"","ErrorCode":0}"#;

/// The current Unix time in seconds.
pub(crate) fn now_secs() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("clock after 1970")
        .as_secs()
}

/// Path and query string the IM backend sends for the seed, signed for `time` with
/// [`TOKEN`]: all the parameters Tencent documents.
pub(crate) fn signed_path(time: u64) -> String {
    Payload::Seed.signed_path(time)
}

// ---------------------------------------------------------------------------------------
// bare
// ---------------------------------------------------------------------------------------

/// Drains the body without looking at it: actix closes a keep-alive connection after
/// answering a request whose `Content-Length` body was left unread, so a handler that
/// does not even drain the body measures reconnects, not the stack.
async fn bare(mut body: web::Payload) -> HttpResponse {
    while let Some(Ok(_)) = body.next().await {}
    HttpResponse::Ok()
        .content_type("application/json")
        .body(OK_JSON)
}

/// The bare server's routes: `POST PATH` answers the OK JSON without decoding anything.
pub(crate) fn bare_routes(cfg: &mut web::ServiceConfig) {
    cfg.route(PATH, web::post().to(bare));
}

// ---------------------------------------------------------------------------------------
// hand-written
// ---------------------------------------------------------------------------------------

/// The query parameters, as a careful user declares them for `web::Query`.
#[derive(Deserialize)]
pub(crate) struct TimQuery {
    #[serde(rename = "SdkAppid")]
    pub(crate) sdk_app_id: u64,
    #[serde(rename = "CallbackCommand")]
    pub(crate) callback_command: String,
    #[serde(rename = "RequestTime")]
    pub(crate) request_time: String,
    #[serde(rename = "Sign")]
    pub(crate) sign: String,
    #[serde(rename = "ClientIP")]
    pub(crate) client_ip: Option<String>,
    #[serde(rename = "OptPlatform")]
    pub(crate) opt_platform: Option<String>,
}

/// The body as a naive `#[derive(Deserialize)]` of owned `String`s, with the message
/// elements as `serde_json::Value`s and `EventTime` (a number or a string) as a `Value`.
#[derive(Debug, Deserialize)]
pub(crate) struct NaiveException {
    #[serde(rename = "CallbackCommand", default)]
    pub(crate) callback_command: String,
    #[serde(rename = "GroupId")]
    pub(crate) group_id: String,
    #[serde(rename = "Type")]
    pub(crate) group_type: String,
    #[serde(rename = "From_Account")]
    pub(crate) from_account: String,
    #[serde(rename = "Operator_Account", default)]
    pub(crate) operator_account: String,
    #[serde(rename = "Random", default)]
    pub(crate) random: u32,
    #[serde(rename = "OnlineOnlyFlag", default)]
    pub(crate) online_only_flag: u32,
    #[serde(rename = "MsgBody", default)]
    pub(crate) msg_body: Vec<serde_json::Value>,
    #[serde(rename = "CloudCustomData", default)]
    pub(crate) cloud_custom_data: String,
    #[serde(rename = "ErrorCode")]
    pub(crate) error_code: i64,
    #[serde(rename = "ErrorInfo", default)]
    pub(crate) error_info: String,
    #[serde(rename = "EventTime", default)]
    pub(crate) event_time: serde_json::Value,
}

#[derive(Serialize)]
struct Reply {
    #[serde(rename = "ActionStatus")]
    action_status: &'static str,
    #[serde(rename = "ErrorInfo")]
    error_info: &'static str,
    #[serde(rename = "ErrorCode")]
    error_code: i32,
}

fn reply(status: &'static str, code: i32) -> Reply {
    Reply {
        action_status: status,
        error_info: "",
        error_code: code,
    }
}

/// The hand-written handler: app id, replay window and `sha256(token + RequestTime)`
/// checks, then the body decoded into [`NaiveException`].
///
/// The sign is compared with `==` on the lowercase hex string (what most users write;
/// the crate compares in constant time).
async fn handwritten(query: web::Query<TimQuery>, body: web::Bytes) -> HttpResponse {
    if query.sdk_app_id != APP_ID {
        return HttpResponse::Forbidden().json(reply("FAIL", 1));
    }
    match query.request_time.parse::<u64>() {
        Ok(time) if now_secs().abs_diff(time) <= 60 => {}
        _ => return HttpResponse::Unauthorized().json(reply("FAIL", 2)),
    }
    let mut hasher = Sha256::new();
    hasher.update(TOKEN.as_bytes());
    hasher.update(query.request_time.as_bytes());
    if hex::encode(hasher.finalize()) != query.sign {
        return HttpResponse::Unauthorized().json(reply("FAIL", 3));
    }
    let event: NaiveException = match serde_json::from_slice(&body) {
        Ok(event) => event,
        Err(_) => return HttpResponse::BadRequest().json(reply("FAIL", 4)),
    };
    std::hint::black_box((&query.callback_command, &event));
    HttpResponse::Ok().json(reply("OK", 0))
}

/// The hand-written server's routes.
pub(crate) fn handwritten_routes(cfg: &mut web::ServiceConfig) {
    cfg.route(PATH, web::post().to(handwritten));
}

// ---------------------------------------------------------------------------------------
// decode floor
// ---------------------------------------------------------------------------------------

/// Reads the body and decodes it into the crate's own model, then returns the static OK
/// JSON: no query check, no signature, no middleware. The limit any typed receiver on
/// actix can reach.
async fn decode_floor(body: web::Bytes) -> HttpResponse {
    match serde_json::from_slice::<group::SendMsgException>(&body) {
        Ok(_) => HttpResponse::Ok()
            .content_type("application/json")
            .body(OK_JSON),
        Err(_) => HttpResponse::BadRequest().finish(),
    }
}

/// The decode-floor server's routes.
pub(crate) fn decode_floor_routes(cfg: &mut web::ServiceConfig) {
    cfg.route(PATH, web::post().to(decode_floor));
}

// ---------------------------------------------------------------------------------------
// crate
// ---------------------------------------------------------------------------------------

async fn with_crate(cb: Callback<group::SendMsgException>) -> Ack {
    std::hint::black_box(&cb);
    Ack
}

/// The crate server with duplicate suppression in memory: every callback is claimed
/// (the load generator sends each with its own `Random`, so none is a duplicate).
pub(crate) fn crate_dedup_routes(cfg: &mut web::ServiceConfig) {
    static STORE: std::sync::OnceLock<MemoryStore> = std::sync::OnceLock::new();
    let store = STORE.get_or_init(MemoryStore::default).clone();
    let config = CallbackConfig::new(APP_ID).token(TOKEN).dedup(store);
    cfg.service(
        web::scope(PATH).wrap(TimCallback::new(config)).route(
            "",
            web::post()
                .guard(command::<group::SendMsgException>())
                .to(with_crate),
        ),
    );
}

/// The store of the crate-redis server, connected by whoever runs it.
#[cfg(feature = "redis")]
pub(crate) static REDIS_STORE: std::sync::OnceLock<actix_tim_callback::dedup::RedisStore> =
    std::sync::OnceLock::new();

/// The crate server with duplicate suppression in Redis (see [`REDIS_STORE`]).
#[cfg(feature = "redis")]
pub(crate) fn crate_redis_routes(cfg: &mut web::ServiceConfig) {
    let store = REDIS_STORE.get().expect("REDIS_STORE is connected").clone();
    let config = CallbackConfig::new(APP_ID).token(TOKEN).dedup(store);
    cfg.service(
        web::scope(PATH).wrap(TimCallback::new(config)).route(
            "",
            web::post()
                .guard(command::<group::SendMsgException>())
                .to(with_crate),
        ),
    );
}

/// The crate's server without a token: no signature is checked.
pub(crate) fn crate_unsigned_routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::scope(PATH)
            .wrap(TimCallback::new(CallbackConfig::new(APP_ID)))
            .route(
                "",
                web::post()
                    .guard(command::<group::SendMsgException>())
                    .to(with_crate),
            ),
    );
}

/// The crate's server: the README's quick start, with a token.
pub(crate) fn crate_routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::scope(PATH)
            .wrap(TimCallback::new(CallbackConfig::new(APP_ID).token(TOKEN)))
            .route(
                "",
                web::post()
                    .guard(command::<group::SendMsgException>())
                    .to(with_crate),
            ),
    );
}

async fn after_send(cb: Callback<group::AfterSendMsg>) -> Ack {
    std::hint::black_box(&cb);
    Ack
}

fn after_send_routes(cfg: &mut web::ServiceConfig, config: CallbackConfig) {
    cfg.service(
        web::scope(PATH).wrap(TimCallback::new(config)).route(
            "",
            web::post()
                .guard(command::<group::AfterSendMsg>())
                .to(after_send),
        ),
    );
}

/// The crate's server for `Group.CallbackAfterSendMsg`, with a token.
pub(crate) fn crate_after_routes(cfg: &mut web::ServiceConfig) {
    after_send_routes(cfg, CallbackConfig::new(APP_ID).token(TOKEN));
}

/// The same with duplicate suppression in memory (each request its own `MsgSeq`, so every
/// one is claimed under its own key).
pub(crate) fn crate_after_dedup_routes(cfg: &mut web::ServiceConfig) {
    static STORE: std::sync::OnceLock<MemoryStore> = std::sync::OnceLock::new();
    let store = STORE.get_or_init(MemoryStore::default).clone();
    after_send_routes(cfg, CallbackConfig::new(APP_ID).token(TOKEN).dedup(store));
}
