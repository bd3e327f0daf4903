//! Exception monitor: receives `Group.CallbackSendMsgException` callbacks, logs each
//! undelivered group message, and serves live counts at `GET /stats` (JSON) and
//! `GET /metrics` (Prometheus: the exception counts, beside the crate's own metrics with
//! `--features metrics`).
//!
//! ```sh
//! cargo run --example exception_monitor
//! cargo run --example exception_monitor --features metrics,redis   # production shape
//! ```
//!
//! Environment: `BIND_ADDR` (default `127.0.0.1:8080`), `TIM_SDKAPPID` (default
//! `1400000000`), `TIM_CALLBACK_TOKEN` (when set, signatures are checked),
//! `TIM_CALLBACK_PREVIOUS_TOKEN` (also accepted while a token change takes effect),
//! `TIM_DEDUP_REDIS` (`redis://host:port`: duplicate suppression shared by every instance;
//! without it, an in-memory store), `RUST_LOG`.

use std::{collections::BTreeMap, sync::Mutex};

use actix_tim_callback::{
    command,
    dedup::MemoryStore,
    model::{group, GroupType},
    Ack, Callback, CallbackConfig, TimCallback,
};
use actix_web::{http::header, web, App, HttpResponse, HttpServer};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use serde::Serialize;

/// The seed's example payload, as Tencent documents it (comments stripped).
const EXAMPLE_PAYLOAD: &str = include_str!("../tests/fixtures/send_msg_exception.json");
const CALLBACK_PATH: &str = "/im/callback";

#[derive(Debug, Default, Serialize)]
struct Stats {
    total: u64,
    by_kind: BTreeMap<&'static str, u64>,
    by_group_type: BTreeMap<String, u64>,
}

/// Counts of accepted exceptions, shared by all workers; the Prometheus counts live in the
/// `metrics` recorder, beside the crate's own.
struct Monitor {
    stats: Mutex<Stats>,
    metrics: PrometheusHandle,
}

/// Bucket bounds of `tim_callback_handler_seconds`: the alert rules in `deploy/` read the
/// 1.5 s and 2 s buckets (Tencent's deadline is 2 s).
const HANDLER_BUCKETS: [f64; 12] = [
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 1.5, 2.0, 2.5, 5.0,
];

/// The process-wide Prometheus recorder, installed once.
fn prometheus() -> PrometheusHandle {
    static HANDLE: std::sync::OnceLock<PrometheusHandle> = std::sync::OnceLock::new();
    HANDLE
        .get_or_init(|| {
            let builder = PrometheusBuilder::new()
                .set_buckets_for_metric(
                    Matcher::Full("tim_callback_handler_seconds".to_owned()),
                    &HANDLER_BUCKETS,
                )
                .expect("the bucket list is not empty");
            match builder.install_recorder() {
                Ok(handle) => handle,
                Err(err) => {
                    log::error!("could not install the Prometheus recorder: {err}");
                    PrometheusBuilder::new().build_recorder().handle()
                }
            }
        })
        .clone()
}

impl Monitor {
    fn new() -> Self {
        Self {
            stats: Mutex::new(Stats::default()),
            metrics: prometheus(),
        }
    }

    fn record(&self, exception: &group::SendMsgException) {
        let kind = exception.kind().as_str();
        let group_type = exception
            .group_type
            .as_ref()
            .map_or_else(|| "unknown".to_owned(), ToString::to_string);
        metrics::counter!(
            "tim_group_send_msg_exceptions_total",
            "kind" => kind,
            "group_type" => group_type.clone()
        )
        .increment(1);
        let mut stats = self
            .stats
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        stats.total += 1;
        *stats.by_kind.entry(kind).or_default() += 1;
        *stats.by_group_type.entry(group_type).or_default() += 1;
    }
}

async fn on_exception(
    callback: Callback<group::SendMsgException>,
    monitor: web::Data<Monitor>,
) -> Ack {
    let exception = &callback.event;
    let kind: group::ExceptionKind = exception.kind();
    let or_dash = |value: Option<&str>| value.unwrap_or("-").to_owned();
    log::warn!(
        "undelivered group message: group={} type={} from={} kind={kind} code={} info={:?} platform={} client_ip={}",
        exception.group_id,
        or_dash(exception.group_type.as_ref().map(GroupType::as_str)),
        exception.from_account,
        exception.error_code,
        exception.error_info,
        or_dash(callback.meta.platform.as_ref().map(|platform| platform.as_str())),
        or_dash(callback.meta.client_ip.as_deref()),
    );
    monitor.record(exception);
    Ack
}

async fn stats(monitor: web::Data<Monitor>) -> HttpResponse {
    let stats = monitor
        .stats
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    HttpResponse::Ok().json(&*stats)
}

async fn metrics(monitor: web::Data<Monitor>) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        ))
        .body(monitor.metrics.render())
}

/// The monitor's routes: the callback scope behind the middleware, and the two read-outs.
fn routes(tim: TimCallback, monitor: web::Data<Monitor>) -> impl FnOnce(&mut web::ServiceConfig) {
    move |cfg| {
        cfg.app_data(monitor)
            .service(
                web::scope(CALLBACK_PATH).wrap(tim).route(
                    "",
                    web::post()
                        .guard(command::<group::SendMsgException>())
                        .to(on_exception),
                ),
            )
            .route("/stats", web::get().to(stats))
            .route("/metrics", web::get().to(metrics));
    }
}

fn curl_command(bind_addr: &str, sdk_app_id: u64, signed: bool) -> String {
    let payload: String = EXAMPLE_PAYLOAD
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let query = format!(
        "SdkAppid={sdk_app_id}&CallbackCommand=Group.CallbackSendMsgException&contenttype=json&ClientIP=127.0.0.1&OptPlatform=RESTAPI"
    );
    if signed {
        format!(
            "T=$(date +%s); S=$(printf '%s%s' \"$TIM_CALLBACK_TOKEN\" \"$T\" | sha256sum | cut -d' ' -f1)\n\
             curl -sS \"http://{bind_addr}{CALLBACK_PATH}?{query}&RequestTime=$T&Sign=$S\" --data-binary '{payload}'"
        )
    } else {
        format!("curl -sS 'http://{bind_addr}{CALLBACK_PATH}?{query}' --data-binary '{payload}'")
    }
}

/// An environment variable, unless unset or blank.
fn env_var(name: &str) -> Option<String> {
    std::env::var(name)
        .ok()
        .filter(|value| !value.trim().is_empty())
}

/// Duplicate suppression in the Redis at `url`, shared by every instance.
#[cfg(feature = "redis")]
async fn with_redis(config: CallbackConfig, url: &str) -> std::io::Result<CallbackConfig> {
    let store = actix_tim_callback::dedup::RedisStore::connect(url)
        .await
        .map_err(|err| std::io::Error::other(format!("TIM_DEDUP_REDIS={url}: {err}")))?;
    Ok(config.dedup(store))
}

#[cfg(not(feature = "redis"))]
async fn with_redis(_: CallbackConfig, _: &str) -> std::io::Result<CallbackConfig> {
    Err(std::io::Error::other(
        "TIM_DEDUP_REDIS needs the redis feature: cargo run --example exception_monitor --features redis",
    ))
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
    let token = env_var("TIM_CALLBACK_TOKEN");

    let mut config = CallbackConfig::new(sdk_app_id);
    if let Some(token) = &token {
        config = config.token(token);
    }
    if let Some(previous) = env_var("TIM_CALLBACK_PREVIOUS_TOKEN") {
        config = config.previous_token(previous);
    }
    config = match env_var("TIM_DEDUP_REDIS") {
        Some(url) => with_redis(config, &url).await?,
        None => config.dedup(MemoryStore::default()),
    };
    if let Err(err) = config.validate() {
        return Err(std::io::Error::new(std::io::ErrorKind::InvalidInput, err));
    }
    let monitor = web::Data::new(Monitor::new());

    println!("Tencent IM exception monitor for SdkAppid {sdk_app_id}");
    println!("  callbacks: POST http://{bind_addr}{CALLBACK_PATH}");
    println!("  counts:    GET  http://{bind_addr}/stats   and   GET http://{bind_addr}/metrics");
    println!(
        "  signatures: {}",
        if token.is_some() {
            "checked (TIM_CALLBACK_TOKEN is set)"
        } else {
            "NOT checked (set TIM_CALLBACK_TOKEN to check them)"
        }
    );
    println!(
        "  duplicates: suppressed in {}",
        if std::env::var_os("TIM_DEDUP_REDIS").is_some() {
            "Redis, shared by every instance (TIM_DEDUP_REDIS)"
        } else {
            "memory, this instance only (set TIM_DEDUP_REDIS to share them)"
        }
    );
    println!(
        "Try it:\n{}\n",
        curl_command(&bind_addr, sdk_app_id, token.is_some())
    );

    // Built once and cloned into each worker, so they share the duplicate store and the
    // warn-once set.
    let tim = TimCallback::new(config);
    HttpServer::new(move || App::new().configure(routes(tim.clone(), monitor.clone())))
        .bind(&bind_addr)?
        .run()
        .await
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_tim_callback::{reply::OK_BODY, sign};
    use actix_web::test::{self, TestRequest};

    const QUERY: &str =
        "SdkAppid=1400000000&CallbackCommand=Group.CallbackSendMsgException&contenttype=json";

    #[actix_web::test]
    async fn accepted_exceptions_are_acked_and_counted_rejected_ones_are_not() {
        let monitor = web::Data::new(Monitor::new());
        let app = test::init_service(App::new().configure(routes(
            TimCallback::new(CallbackConfig::new(1400000000)),
            monitor.clone(),
        )))
        .await;

        for _ in 0..2 {
            let req = TestRequest::post()
                .uri(&format!("{CALLBACK_PATH}?{QUERY}"))
                .set_payload(EXAMPLE_PAYLOAD)
                .to_request();
            assert_eq!(
                test::call_and_read_body(&app, req).await,
                OK_BODY.as_bytes()
            );
        }
        let foreign = TestRequest::post()
            .uri(&format!("{CALLBACK_PATH}?SdkAppid=1400000001&CallbackCommand=Group.CallbackSendMsgException"))
            .set_payload(EXAMPLE_PAYLOAD)
            .to_request();
        assert_eq!(test::call_service(&app, foreign).await.status(), 403);

        let stats: serde_json::Value =
            test::call_and_read_body_json(&app, TestRequest::get().uri("/stats").to_request())
                .await;
        assert_eq!(
            stats,
            serde_json::json!({"total": 2, "by_kind": {"rate_limited": 2}, "by_group_type": {"Public": 2}})
        );
        let metrics =
            test::call_and_read_body(&app, TestRequest::get().uri("/metrics").to_request()).await;
        let metrics = String::from_utf8_lossy(&metrics);
        // The other tests of this file count other group types.
        assert!(
            metrics.contains(
                r#"tim_group_send_msg_exceptions_total{kind="rate_limited",group_type="Public"} 2"#
            ),
            "{metrics}"
        );
        // The crate's own metrics, beside them (feature `metrics`; the recorder is shared
        // by the tests).
        #[cfg(feature = "metrics")]
        {
            let value = |series: &str| -> u64 {
                metrics
                    .lines()
                    .find_map(|line| line.strip_prefix(series)?.trim().parse().ok())
                    .unwrap_or_else(|| panic!("{series} in {metrics}"))
            };
            let accepted = r#"tim_callback_accepted_total{app="1400000000",command="Group.CallbackSendMsgException"}"#;
            assert!(value(accepted) >= 2);
            assert!(
                value(r#"tim_callback_rejected_total{app="unknown",reason="foreign_app_id"}"#) >= 1
            );
            let bucket = r#"tim_callback_handler_seconds_bucket{app="1400000000",command="Group.CallbackSendMsgException",le="1.5"}"#;
            assert!(metrics.contains(bucket), "{metrics}");
        }
    }

    #[actix_web::test]
    async fn with_a_token_only_signed_callbacks_are_counted() {
        let monitor = web::Data::new(Monitor::new());
        let config = CallbackConfig::new(1400000000).token("monitor-token");
        let app = test::init_service(
            App::new().configure(routes(TimCallback::new(config), monitor.clone())),
        )
        .await;
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or_default()
            .to_string();
        let signed = format!(
            "{QUERY}&RequestTime={now}&Sign={}",
            sign("monitor-token", &now)
        );
        let forged = format!("{QUERY}&RequestTime={now}&Sign={}", sign("guessed", &now));
        // Another group type than the other test, which counts the `Public` series.
        let payload = EXAMPLE_PAYLOAD.replace(r#""Type": "Public""#, r#""Type": "Private""#);
        assert_ne!(payload, EXAMPLE_PAYLOAD);
        for (query, status) in [(signed, 200), (forged, 401)] {
            let req = TestRequest::post()
                .uri(&format!("{CALLBACK_PATH}?{query}"))
                .set_payload(payload.clone())
                .to_request();
            assert_eq!(test::call_service(&app, req).await.status(), status);
        }
        assert_eq!(monitor.stats.lock().map(|s| s.total).unwrap_or_default(), 1);
    }

    #[test]
    fn printed_curl_command_carries_the_seed_payload_on_one_line() {
        let command = curl_command("127.0.0.1:8080", 1400000000, false);
        assert_eq!(command.lines().count(), 1);
        assert!(command.contains("http://127.0.0.1:8080/im/callback?SdkAppid=1400000000&CallbackCommand=Group.CallbackSendMsgException"));
        let payload = command
            .split("--data-binary '")
            .nth(1)
            .and_then(|rest| rest.strip_suffix('\''))
            .expect("payload in the command");
        let printed: serde_json::Value = serde_json::from_str(payload).expect("valid JSON");
        let seed: serde_json::Value = serde_json::from_str(EXAMPLE_PAYLOAD).expect("valid JSON");
        assert_eq!(printed, seed);
    }

    #[test]
    fn signed_curl_command_signs_with_the_token_from_the_environment_not_a_literal() {
        let command = curl_command("127.0.0.1:8080", 1400000000, true);
        assert!(command.contains(r#""$TIM_CALLBACK_TOKEN""#));
        assert!(command.contains("&RequestTime=$T&Sign=$S"));
    }
}
