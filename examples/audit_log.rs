//! Audit log: every Tencent IM callback, whatever its command, written as one structured
//! JSON line on standard output, with counts per command at `GET /stats`.
//!
//! ```sh
//! cargo run --example audit_log
//! cargo run --example send -- --url http://127.0.0.1:8080/im/callback --all-samples
//! curl -s http://127.0.0.1:8080/stats
//! ```
//!
//! Environment: `BIND_ADDR` (default `127.0.0.1:8080`), `TIM_SDKAPPID` (default
//! `1400000000`), `TIM_CALLBACK_TOKEN` (when set, signatures are checked), `RUST_LOG`.

use std::{
    collections::BTreeMap,
    sync::Mutex,
    time::{SystemTime, UNIX_EPOCH},
};

use actix_tim_callback::{model::AnyEvent, Ack, Callback, CallbackConfig, TimCallback};
use actix_web::{web, App, HttpResponse, HttpServer};
use serde::Serialize;
use serde_json::json;

const CALLBACK_PATH: &str = "/im/callback";

/// Callbacks received, per command, shared by all workers.
#[derive(Debug, Default, Serialize)]
struct Stats {
    total: u64,
    /// Commands the crate does not type (kept as raw JSON).
    untyped: u64,
    by_command: BTreeMap<String, u64>,
}

/// The audit line of one callback: when it arrived, its command, where it came from, and
/// the event as Tencent sent it.
fn audit_line(cb: &Callback<AnyEvent>, received_ms: u128) -> String {
    json!({
        "received_ms": received_ms,
        "command": cb.event.command(),
        "typed": !cb.event.is_unknown(),
        "sdk_app_id": cb.meta.sdk_app_id,
        "client_ip": cb.meta.client_ip,
        "platform": cb.meta.platform.as_ref().map(|platform| platform.as_str()),
        "event": cb.event,
    })
    .to_string()
}

async fn on_callback(cb: Callback<AnyEvent>, stats: web::Data<Mutex<Stats>>) -> Ack {
    let received_ms = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |since| since.as_millis());
    println!("{}", audit_line(&cb, received_ms));
    let mut stats = stats
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    stats.total += 1;
    stats.untyped += u64::from(cb.event.is_unknown());
    *stats
        .by_command
        .entry(cb.event.command().to_owned())
        .or_default() += 1;
    Ack
}

async fn stats(stats: web::Data<Mutex<Stats>>) -> HttpResponse {
    let stats = stats
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    HttpResponse::Ok().json(&*stats)
}

/// The callback URL (every command, one handler) and `/stats`.
fn routes(
    config: CallbackConfig,
    counts: web::Data<Mutex<Stats>>,
) -> impl FnOnce(&mut web::ServiceConfig) {
    move |cfg| {
        cfg.app_data(counts)
            .service(
                web::scope(CALLBACK_PATH)
                    .wrap(TimCallback::new(config))
                    .route("", web::post().to(on_callback)),
            )
            .route("/stats", web::get().to(stats));
    }
}

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("info")).init();
    let bind_addr = std::env::var("BIND_ADDR").unwrap_or_else(|_| "127.0.0.1:8080".to_owned());
    let sdk_app_id = match std::env::var("TIM_SDKAPPID") {
        Ok(value) => value.trim().parse::<u64>().map_err(|err| {
            std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                format!("TIM_SDKAPPID={value:?} is not a number: {err}"),
            )
        })?,
        Err(_) => 1400000000,
    };
    let mut config = CallbackConfig::new(sdk_app_id);
    // An empty variable means "unset": the middleware refuses an empty token.
    if let Some(token) = std::env::var("TIM_CALLBACK_TOKEN")
        .ok()
        .filter(|token| !token.trim().is_empty())
    {
        config = config.token(token);
    }
    eprintln!("Tencent IM audit log for SdkAppid {sdk_app_id}: callbacks on POST http://{bind_addr}{CALLBACK_PATH}, counts on GET http://{bind_addr}/stats");
    let counts = web::Data::new(Mutex::new(Stats::default()));
    HttpServer::new(move || App::new().configure(routes(config.clone(), counts.clone())))
        .bind(&bind_addr)?
        .run()
        .await
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_tim_callback::{TestCallback, OK_BODY};
    use actix_web::test::{self, TestRequest};

    #[actix_web::test]
    async fn every_command_is_logged_and_counted_under_its_own_name() {
        let counts = web::Data::new(Mutex::new(Stats::default()));
        let app = test::init_service(App::new().configure(routes(
            CallbackConfig::new(1400000000).token("audit"),
            counts.clone(),
        )))
        .await;
        for command in TestCallback::commands() {
            let req = TestCallback::sample(command)
                .expect("a sample")
                .path(CALLBACK_PATH)
                .signed("audit")
                .to_request();
            let reply = test::call_and_read_body(&app, req).await;
            assert_eq!(reply, OK_BODY.as_bytes(), "{command}");
        }
        let unknown = TestCallback::new("Future.Callback", r#"{"X":1}"#)
            .path(CALLBACK_PATH)
            .signed("audit")
            .to_request();
        test::call_service(&app, unknown).await;
        let forged = TestCallback::sample("State.StateChange")
            .expect("a sample")
            .path(CALLBACK_PATH)
            .signed("guess")
            .to_request();
        assert_eq!(test::call_service(&app, forged).await.status(), 401);

        let req = TestRequest::get().uri("/stats").to_request();
        let stats: serde_json::Value = test::call_and_read_body_json(&app, req).await;
        // Every command of the catalogue, and the untyped one.
        let sent = TestCallback::commands().count() + 1;
        assert_eq!(stats["total"], sent);
        assert_eq!(stats["untyped"], 1);
        assert_eq!(stats["by_command"]["State.StateChange"], 1);
        assert_eq!(stats["by_command"]["Push.OfflinePush"], 1);
        assert_eq!(stats["by_command"]["Future.Callback"], 1);
        assert_eq!(
            stats["by_command"].as_object().map(|map| map.len()),
            Some(sent)
        );
    }

    #[actix_web::test]
    async fn the_audit_line_is_one_json_object_with_the_event() {
        let app = test::init_service(
            App::new().service(
                web::scope(CALLBACK_PATH)
                    .wrap(TimCallback::new(CallbackConfig::new(1400000000)))
                    .route(
                        "",
                        web::post().to(|cb: Callback<AnyEvent>| async move {
                            HttpResponse::Ok().body(audit_line(&cb, 7))
                        }),
                    ),
            ),
        )
        .await;
        let req = TestCallback::sample("State.StateChange")
            .expect("a sample")
            .client_ip("10.0.0.9")
            .path(CALLBACK_PATH)
            .to_request();
        let line = test::call_and_read_body(&app, req).await;
        assert!(!line.contains(&b'\n'), "one line");
        let line: serde_json::Value = serde_json::from_slice(&line).expect("JSON");
        assert_eq!(line["received_ms"], 7);
        assert_eq!(line["command"], "State.StateChange");
        assert_eq!(line["typed"], true);
        assert_eq!(line["client_ip"], "10.0.0.9");
        assert_eq!(line["event"]["Info"]["To_Account"], "testuser316");
    }
}
