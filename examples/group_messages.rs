//! One callback URL for the three group-message callbacks: a before-send moderator that
//! refuses messages with a banned word, an after-send logger, and an exception logger.
//!
//! ```sh
//! cargo run --example group_messages
//! cargo run --features cli --bin tim-callback -- send --url http://127.0.0.1:8080/im/callback \
//!     --command Group.CallbackBeforeSendMsg tests/fixtures/group_before_send_msg.json
//! ```
//!
//! Environment: `BIND_ADDR` (default `127.0.0.1:8080`), `TIM_SDKAPPID` (default
//! `1400000000`), `TIM_CALLBACK_TOKEN`, `BANNED_WORDS` (comma-separated, default `spam`).

use actix_tim_callback::{
    command,
    model::{group, MsgElement},
    reply::BeforeSendReply,
    reply::GroupCodes,
    reply::RefusalCode,
    Ack, Callback, CallbackConfig, TimCallback,
};
use actix_web::{web, App, HttpServer};

/// Words that get a group message refused.
struct BannedWords(Vec<String>);

impl BannedWords {
    fn from_env() -> Self {
        let words = std::env::var("BANNED_WORDS").unwrap_or_else(|_| "spam".to_owned());
        Self(
            words
                .split(',')
                .map(|word| word.trim().to_lowercase())
                .filter(|word| !word.is_empty())
                .collect(),
        )
    }

    fn found_in(&self, body: &[MsgElement]) -> Option<&str> {
        let texts = body.iter().filter_map(|element| match element {
            MsgElement::Text(text) => text.text.as_deref(),
            _ => None,
        });
        let texts: Vec<String> = texts.map(str::to_lowercase).collect();
        self.0
            .iter()
            .find(|word| texts.iter().any(|text| text.contains(word.as_str())))
            .map(String::as_str)
    }
}

/// The app's code for a banned word: in a `const`, a code outside Tencent's group range
/// would not build.
const BANNED_WORD: RefusalCode<GroupCodes> = RefusalCode::of(10100);

/// Refuses a message with a banned word; the sender sees the app's code 10100.
async fn before_send(
    callback: Callback<group::BeforeSendMsg>,
    banned: web::Data<BannedWords>,
) -> BeforeSendReply<GroupCodes> {
    match banned.found_in(&callback.msg_body) {
        Some(word) => {
            log::info!(
                "refused a message from {} to {}: banned word {word:?}",
                callback.from_account,
                callback.group_id
            );
            BeforeSendReply::refuse_with(BANNED_WORD, "the message contains a banned word")
        }
        None => BeforeSendReply::allow(),
    }
}

async fn after_send(callback: Callback<group::AfterSendMsg>) -> Ack {
    log::info!(
        "{} sent message #{} to {}",
        callback.from_account,
        callback.msg_seq.unwrap_or_default(),
        callback.group_id
    );
    Ack
}

async fn send_exception(callback: Callback<group::SendMsgException>) -> Ack {
    log::warn!(
        "message from {} to {} not delivered: {} ({})",
        callback.from_account,
        callback.group_id,
        callback.kind(),
        callback.error_info
    );
    Ack
}

fn routes(
    tim: TimCallback,
    banned: web::Data<BannedWords>,
) -> impl FnOnce(&mut web::ServiceConfig) {
    move |cfg| {
        cfg.app_data(banned).service(
            web::scope("/im/callback")
                .wrap(tim)
                .route(
                    "",
                    web::post()
                        .guard(command::<group::BeforeSendMsg>())
                        .to(before_send),
                )
                .route(
                    "",
                    web::post()
                        .guard(command::<group::AfterSendMsg>())
                        .to(after_send),
                )
                .route(
                    "",
                    web::post()
                        .guard(command::<group::SendMsgException>())
                        .to(send_exception),
                ),
        );
    }
}

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("info")).init();
    let bind_addr = std::env::var("BIND_ADDR").unwrap_or_else(|_| "127.0.0.1:8080".to_owned());
    let sdk_app_id = std::env::var("TIM_SDKAPPID")
        .ok()
        .and_then(|id| id.trim().parse().ok())
        .unwrap_or(1400000000);
    let mut config = CallbackConfig::new(sdk_app_id);
    // An empty variable means "unset": an empty token is refused by the middleware.
    if let Some(token) = std::env::var("TIM_CALLBACK_TOKEN")
        .ok()
        .filter(|t| !t.trim().is_empty())
    {
        config = config.token(token);
    }
    let banned = web::Data::new(BannedWords::from_env());
    println!(
        "group-message callbacks for SdkAppid {sdk_app_id} at POST http://{bind_addr}/im/callback"
    );
    // Built once and cloned into each worker, so they share the duplicate store and the
    // warn-once set.
    let tim = TimCallback::new(config);
    HttpServer::new(move || App::new().configure(routes(tim.clone(), banned.clone())))
        .bind(&bind_addr)?
        .run()
        .await
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_tim_callback::{reply::OK_BODY, testkit::TestCallback};
    use actix_web::test::{call_and_read_body, init_service};
    use serde_json::{json, Value};

    #[actix_web::test]
    async fn refuses_banned_words_and_acks_the_other_callbacks() {
        let banned = web::Data::new(BannedWords(vec!["spam".to_owned()]));
        let config = CallbackConfig::new(TestCallback::DEFAULT_SDK_APP_ID).token("t");
        let app =
            init_service(App::new().configure(routes(TimCallback::new(config), banned))).await;
        let before = |text: &str| {
            let text = text.to_owned();
            TestCallback::group_before_send_msg()
                .path("/im/callback")
                .signed("t")
                .edit_json(|body| body["MsgBody"][0]["MsgContent"]["Text"] = json!(text))
                .to_request()
        };

        let reply: Value =
            serde_json::from_slice(&call_and_read_body(&app, before("Buy SPAM")).await)
                .expect("JSON reply");
        assert_eq!(reply["ErrorCode"], 10100);
        assert_eq!(reply["ActionStatus"], "OK");
        let reply: Value = serde_json::from_slice(&call_and_read_body(&app, before("hello")).await)
            .expect("JSON reply");
        assert_eq!(reply["ErrorCode"], 0);

        for callback in [
            TestCallback::group_after_send_msg(),
            TestCallback::send_msg_exception(),
        ] {
            let req = callback.path("/im/callback").signed("t").to_request();
            assert_eq!(call_and_read_body(&app, req).await, OK_BODY.as_bytes());
        }
    }
}
