//! The crate's metrics (feature `metrics`), read from a recorder installed for this test
//! binary: what an operator alerts on.

mod common;

use std::{
    collections::{BTreeMap, BTreeSet},
    sync::OnceLock,
    time::Duration,
};

use actix_tim_callback::{
    command_named, dedup::Claim, dedup::Dedup, dedup::DedupStore, dedup::MemoryStore,
    dedup::StoreError, dedup::StoreFailure, dedup::StoredReply, model::AnyEvent,
    testkit::TestCallback, Ack, Callback, CallbackConfig, TimCallback, UnhandledCommands,
};
use actix_web::{
    http::Method,
    test::{call_service, init_service},
    web, App, HttpResponse,
};
use common::{APP_ID, PATH};
use futures_util::future::BoxFuture;
use metrics_util::debugging::{DebugValue, DebuggingRecorder, Snapshotter};

/// The recorder of this test binary; each snapshot takes the counts since the last one.
fn snapshotter() -> &'static Snapshotter {
    static SNAPSHOTTER: OnceLock<Snapshotter> = OnceLock::new();
    SNAPSHOTTER.get_or_init(|| {
        let recorder = DebuggingRecorder::new();
        let snapshotter = recorder.snapshotter();
        recorder
            .install()
            .expect("the only recorder of this binary");
        snapshotter
    })
}

/// `name{label=value,...}` → count (counters) or number of samples (histograms), since the
/// last call.
fn counts() -> BTreeMap<String, u64> {
    snapshotter()
        .snapshot()
        .into_vec()
        .into_iter()
        .filter_map(|(key, _, _, value)| {
            let key = key.key();
            let labels: Vec<String> = key
                .labels()
                .map(|label| format!("{}={}", label.key(), label.value()))
                .collect();
            let name = format!("{}{{{}}}", key.name(), labels.join(","));
            match value {
                DebugValue::Counter(0) => None,
                DebugValue::Counter(count) => Some((name, count)),
                DebugValue::Histogram(samples) if samples.is_empty() => None,
                DebugValue::Histogram(samples) => Some((name, samples.len() as u64)),
                DebugValue::Gauge(_) => None,
            }
        })
        .collect()
}

fn expect(pairs: &[(&str, u64)]) -> BTreeMap<String, u64> {
    pairs
        .iter()
        .map(|(name, count)| ((*name).to_owned(), *count))
        .collect()
}

/// A store that always fails.
struct DownStore;

impl DedupStore for DownStore {
    fn claim<'a>(
        &'a self,
        _: &'a str,
        _: &'a str,
        _: Duration,
    ) -> BoxFuture<'a, Result<Claim, StoreError>> {
        Box::pin(async { Err(StoreError::new("connection refused")) })
    }

    fn complete<'a>(
        &'a self,
        _: &'a str,
        _: &'a str,
        _: &'a StoredReply,
        _: Duration,
    ) -> BoxFuture<'a, Result<(), StoreError>> {
        Box::pin(async { Err(StoreError::new("connection refused")) })
    }

    fn release<'a>(&'a self, _: &'a str, _: &'a str) -> BoxFuture<'a, Result<(), StoreError>> {
        Box::pin(async { Err(StoreError::new("connection refused")) })
    }
}

/// One test, so that nothing else records between its snapshots.
#[actix_web::test]
async fn every_outcome_is_counted_under_its_own_name() {
    snapshotter();
    let config = CallbackConfig::new(APP_ID)
        .token("new")
        .previous_token("old")
        .dedup(MemoryStore::default());
    let app = init_service(App::new().service(
        web::scope(PATH).wrap(TimCallback::new(config)).route(
            "",
            web::post().to(|cb: Callback<AnyEvent>| async move {
                if cb.event.command() == "Group.CallbackAfterGroupFull" {
                    HttpResponse::InternalServerError().finish()
                } else {
                    HttpResponse::Ok().finish()
                }
            }),
        ),
    ))
    .await;
    let send = |callback: TestCallback| {
        let req = callback.path(PATH).to_request();
        call_service(&app, req)
    };
    let sample = |command: &str| TestCallback::sample(command).expect("a sample");
    counts();

    send(sample("State.StateChange").signed("new")).await;
    send(sample("State.StateChange").signed("new")).await;
    send(sample("C2C.CallbackAfterSendMsg").signed("old")).await;
    assert_eq!(
        counts(),
        expect(&[
            (
                "tim_callback_accepted_total{app=1400000000,command=State.StateChange}",
                1
            ),
            (
                "tim_callback_accepted_total{app=1400000000,command=C2C.CallbackAfterSendMsg}",
                1
            ),
            (
                "tim_callback_duplicates_total{app=1400000000,command=State.StateChange}",
                1
            ),
            ("tim_callback_token_total{app=1400000000,token=current}", 2),
            ("tim_callback_token_total{app=1400000000,token=previous}", 1),
            (
                "tim_callback_handler_seconds{app=1400000000,command=State.StateChange}",
                1
            ),
            (
                "tim_callback_handler_seconds{app=1400000000,command=C2C.CallbackAfterSendMsg}",
                1
            ),
        ])
    );

    send(sample("State.StateChange").signed("guess")).await;
    send(
        sample("State.StateChange")
            .sdk_app_id(APP_ID + 1)
            .signed("new"),
    )
    .await;
    send(sample("Group.CallbackAfterGroupFull").signed("new")).await;
    send(TestCallback::new("Made.Up", "{}").signed("new")).await;
    send(sample("State.StateChange").body("not json").signed("new")).await;
    assert_eq!(
        counts(),
        expect(&[
            (
                "tim_callback_rejected_total{app=1400000000,reason=wrong_signature}",
                1
            ),
            (
                "tim_callback_rejected_total{app=unknown,reason=foreign_app_id}",
                1
            ),
            (
                "tim_callback_rejected_total{app=1400000000,reason=handler}",
                1
            ),
            (
                "tim_callback_rejected_total{app=1400000000,reason=invalid_json}",
                1
            ),
            // A made-up command is labelled `other`, so it cannot grow the label set.
            (
                "tim_callback_accepted_total{app=1400000000,command=other}",
                1
            ),
            // The foreign app id is refused before its signature is looked at.
            ("tim_callback_token_total{app=1400000000,token=current}", 3),
            (
                "tim_callback_handler_seconds{app=1400000000,command=Group.CallbackAfterGroupFull}",
                1
            ),
            (
                "tim_callback_handler_seconds{app=1400000000,command=other}",
                1
            ),
            (
                "tim_callback_handler_seconds{app=1400000000,command=State.StateChange}",
                1
            ),
        ])
    );

    // Every rejection an alert rule names, each from a real request of its kind: renaming
    // an error kind must fail here, not silently disable an alert.
    let now = common::now_secs();
    let signed = || sample("State.StateChange").signed("new");
    // The app is labelled once the request is known to be one of the config's apps
    // (`unknown` before: a received, unchecked id never becomes a label).
    let kinds: Vec<(&str, &str, TestCallback)> = vec![
        ("missing_signature", "1400000000", signed().without_sign()),
        (
            "invalid_request_time",
            "1400000000",
            signed().raw_request_time("soon"),
        ),
        (
            "conflicting_sign",
            "1400000000",
            signed().query_param("Sign", "0".repeat(64)),
        ),
        (
            "expired_signature",
            "1400000000",
            signed().request_time(now - 600),
        ),
        (
            "wrong_signature",
            "1400000000",
            signed().sign("0".repeat(64)),
        ),
        ("foreign_app_id", "unknown", signed().sdk_app_id(APP_ID + 1)),
        ("missing_app_id", "unknown", signed().without_sdk_app_id()),
        ("invalid_app_id", "unknown", signed().raw_sdk_app_id("abc")),
        (
            "method_not_allowed",
            "unknown",
            signed().method(Method::GET),
        ),
    ];
    let mut produced = BTreeSet::new();
    for (reason, app, callback) in kinds {
        let res = send(callback).await;
        assert!(res.status().is_client_error(), "{reason}: {}", res.status());
        let counted = counts();
        assert_eq!(
            counted.get(&format!(
                "tim_callback_rejected_total{{app={app},reason={reason}}}"
            )),
            Some(&1),
            "{reason}: {counted:?}"
        );
        produced.insert(reason.to_owned());
    }
    for reason in [
        "wrong_signature",
        "foreign_app_id",
        "handler",
        "invalid_json",
    ] {
        produced.insert(reason.to_owned());
    }

    let down = init_service(
        App::new().service(
            web::scope(PATH)
                .wrap(TimCallback::new(
                    CallbackConfig::new(APP_ID).dedup(DownStore),
                ))
                .route("", web::post().to(|_: Callback<AnyEvent>| async { Ack })),
        ),
    )
    .await;
    let res = call_service(&down, sample("State.StateChange").path(PATH).to_request()).await;
    assert_eq!(res.status(), 200, "fail-open");
    assert_eq!(
        counts(),
        expect(&[
            (
                "tim_callback_accepted_total{app=1400000000,command=State.StateChange}",
                1
            ),
            (
                "tim_callback_dedup_store_failures_total{operation=claim}",
                1
            ),
            (
                "tim_callback_dedup_store_failures_total{operation=complete}",
                1
            ),
            (
                "tim_callback_handler_seconds{app=1400000000,command=State.StateChange}",
                1
            ),
        ])
    );

    let rejecting = init_service(
        App::new().service(
            web::scope(PATH)
                .wrap(TimCallback::new(CallbackConfig::new(APP_ID).dedup(
                    Dedup::new(DownStore).on_store_failure(StoreFailure::Reject),
                )))
                .route("", web::post().to(|_: Callback<AnyEvent>| async { Ack })),
        ),
    )
    .await;
    let res = call_service(
        &rejecting,
        sample("State.StateChange").path(PATH).to_request(),
    )
    .await;
    assert_eq!(res.status(), 503);
    let counted = counts();
    assert_eq!(
        counted.get("tim_callback_rejected_total{app=1400000000,reason=store_unavailable}"),
        Some(&1),
        "{counted:?}"
    );
    produced.insert("store_unavailable".to_owned());

    // Commands no route handles: counted by what they were answered, and never timed as
    // a handler (issue 14, problem 7).
    let routes = |unhandled| {
        App::new().service(
            web::scope(PATH)
                .wrap(TimCallback::new(
                    CallbackConfig::new(APP_ID).unhandled_commands(unhandled),
                ))
                .route(
                    "",
                    web::post()
                        .guard(command_named("Group.CallbackAfterGroupFull"))
                        .to(|| async { Ack }),
                ),
        )
    };
    let rejecting = init_service(routes(UnhandledCommands::Reject)).await;
    let res = call_service(
        &rejecting,
        sample("State.StateChange").path(PATH).to_request(),
    )
    .await;
    assert_eq!(res.status(), 404);
    assert_eq!(
        counts(),
        expect(&[(
            "tim_callback_rejected_total{app=1400000000,reason=unhandled_command}",
            1
        )])
    );
    produced.insert("unhandled_command".to_owned());
    let acking = init_service(routes(UnhandledCommands::Ack)).await;
    let res = call_service(&acking, sample("State.StateChange").path(PATH).to_request()).await;
    assert_eq!(res.status(), 200);
    let res = call_service(
        &acking,
        sample("Group.CallbackAfterGroupFull")
            .path(PATH)
            .to_request(),
    )
    .await;
    assert_eq!(res.status(), 200);
    assert_eq!(
        counts(),
        expect(&[
            (
                "tim_callback_accepted_total{app=1400000000,command=State.StateChange}",
                1
            ),
            (
                "tim_callback_accepted_total{app=1400000000,command=Group.CallbackAfterGroupFull}",
                1
            ),
            (
                "tim_callback_handler_seconds{app=1400000000,command=Group.CallbackAfterGroupFull}",
                1
            ),
        ])
    );

    // The reasons no alert names, each from a real request of its kind too, and the store
    // failure of a release (a handler that failed, its claim released into a store that is
    // down).
    let panicking = |cb: Callback<AnyEvent>| async move {
        if cb.event.command() == "Group.CallbackAfterGroupFull" {
            panic!("a handler bug");
        }
        Ok::<_, actix_web::Error>(Ack)
    };
    let app = init_service(
        App::new()
            .service(
                web::scope(PATH)
                    .wrap(TimCallback::new(
                        CallbackConfig::new(APP_ID).body_limit(64 * 1024),
                    ))
                    .route(
                        "",
                        web::post().guard(command_named("State.StateChange")).to(
                            |_: Callback<actix_tim_callback::model::state::StateChange>| async {
                                Ack
                            },
                        ),
                    )
                    .route(
                        "",
                        web::post()
                            .guard(command_named("Group.CallbackAfterGroupFull"))
                            .to(panicking),
                    )
                    .route(
                        "",
                        web::post()
                            .guard(command_named("Group.CallbackAfterNewMemberJoin"))
                            .to(
                                |_: Callback<actix_tim_callback::model::state::StateChange>| async {
                                    Ack
                                },
                            ),
                    ),
            )
            .route(
                "/bare",
                web::post().to(|_: Callback<AnyEvent>| async { Ack }),
            ),
    )
    .await;
    let broken = {
        let items: Vec<Result<actix_web::web::Bytes, actix_web::error::PayloadError>> = vec![
            Ok(actix_web::web::Bytes::from_static(b"{")),
            Err(actix_web::error::PayloadError::Incomplete(None)),
        ];
        let stream: std::pin::Pin<
            Box<
                dyn futures_util::Stream<
                    Item = Result<actix_web::web::Bytes, actix_web::error::PayloadError>,
                >,
            >,
        > = Box::pin(futures_util::stream::iter(items));
        actix_web::dev::Payload::from(stream)
    };
    let mut contradicting: serde_json::Value =
        serde_json::from_slice(&sample("State.StateChange").body_bytes()).expect("JSON");
    contradicting["CallbackCommand"] = "Group.CallbackAfterGroupFull".into();
    let more: Vec<(&str, actix_http::Request)> = vec![
        (
            "payload_too_large",
            sample("State.StateChange")
                .body(vec![b' '; 65 * 1024])
                .path(PATH)
                .to_request(),
        ),
        (
            "payload",
            sample("State.StateChange")
                .path(PATH)
                .to_request()
                .replace_payload(broken)
                .0,
        ),
        (
            "unexpected_command",
            sample("Group.CallbackAfterNewMemberJoin")
                .path(PATH)
                .to_request(),
        ),
        (
            "middleware_missing",
            sample("State.StateChange").path("/bare").to_request(),
        ),
        (
            "invalid_command",
            sample("State.StateChange")
                .command(Some(""))
                .path(PATH)
                .to_request(),
        ),
        (
            "missing_command",
            sample("State.StateChange")
                .command(None)
                .body("{}")
                .path(PATH)
                .to_request(),
        ),
        (
            "conflicting_command",
            sample("State.StateChange")
                .body(contradicting.to_string())
                .path(PATH)
                .to_request(),
        ),
        (
            "no_resource",
            sample("State.StateChange")
                .path(format!("{PATH}/elsewhere"))
                .to_request(),
        ),
    ];
    for (reason, req) in more {
        let res = call_service(&app, req).await;
        assert!(!res.status().is_success(), "{reason}: {}", res.status());
        let counted = counts();
        let app = if reason == "middleware_missing" {
            "unknown"
        } else {
            "1400000000"
        };
        assert_eq!(
            counted.get(&format!(
                "tim_callback_rejected_total{{app={app},reason={reason}}}"
            )),
            Some(&1),
            "{reason}: {counted:?}"
        );
        produced.insert(reason.to_owned());
    }
    let panicked = actix_web::test::try_call_service(
        &app,
        sample("Group.CallbackAfterGroupFull")
            .path(PATH)
            .to_request(),
    )
    .await;
    assert!(panicked.is_err(), "a panic is the middleware's Err");
    let counted = counts();
    assert_eq!(
        counted.get("tim_callback_rejected_total{app=1400000000,reason=handler_panicked}"),
        Some(&1),
        "{counted:?}"
    );

    // In flight: another delivery holds the claim past the wait.
    let store = MemoryStore::default();
    let holding = TestCallback::sample("State.StateChange").expect("a sample");
    let app = init_service(
        App::new().service(
            web::scope(PATH)
                .wrap(TimCallback::new(
                    CallbackConfig::new(APP_ID)
                        .dedup(Dedup::new(store.clone()).wait(Duration::ZERO)),
                ))
                .route("", web::post().to(|_: Callback<AnyEvent>| async { Ack })),
        ),
    )
    .await;
    let key = format!(
        "{APP_ID}:State.StateChange:{}",
        sha256_hex(APP_ID, "State.StateChange", &holding.body_bytes())
    );
    assert_eq!(
        store
            .claim(&key, "another delivery", Dedup::LEASE)
            .await
            .ok(),
        Some(Claim::New)
    );
    let res = call_service(&app, holding.path(PATH).to_request()).await;
    assert_eq!(res.status(), 409);
    let counted = counts();
    assert_eq!(
        counted.get("tim_callback_rejected_total{app=1400000000,reason=in_flight}"),
        Some(&1),
        "{counted:?}"
    );

    // A release the store does not take: the handler failed, the store is down.
    let failing = init_service(
        App::new().service(
            web::scope(PATH)
                .wrap(TimCallback::new(
                    CallbackConfig::new(APP_ID).dedup(DownStore),
                ))
                .route(
                    "",
                    web::post().to(|_: Callback<AnyEvent>| async {
                        HttpResponse::InternalServerError().finish()
                    }),
                ),
        ),
    )
    .await;
    let res = call_service(
        &failing,
        sample("State.StateChange").path(PATH).to_request(),
    )
    .await;
    assert_eq!(res.status(), 500);
    let counted = counts();
    assert_eq!(
        counted.get("tim_callback_dedup_store_failures_total{operation=release}"),
        Some(&1),
        "{counted:?}"
    );

    // Every reason the alert rules name is one a real request above produced.
    let named = alert_reasons();
    assert!(
        named.len() >= 8,
        "reasons read from the alert rules: {named:?}"
    );
    for reason in &named {
        assert!(
            produced.contains(reason),
            "deploy/prometheus-alerts.yml names reason {reason:?}, which no request produced \
             (produced: {produced:?})"
        );
    }
}

/// Every `reason` label value the alert rules match (`reason=~"a|b"`, `reason!~"a|b"`,
/// `reason="a"`) or compare (`eq $labels.reason "a"`).
fn alert_reasons() -> BTreeSet<String> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/deploy/prometheus-alerts.yml");
    let text = std::fs::read_to_string(path).expect("the alert rules");
    let mut reasons = BTreeSet::new();
    // Only the rules on rejections: the queue's rules name push-failure reasons, which
    // tests/queue_metrics.rs produces.
    for rule in text
        .split("- alert:")
        .filter(|rule| rule.contains("tim_callback_rejected_total{"))
    {
        for marker in [
            "reason=~\"",
            "reason!~\"",
            "reason=\"",
            "reason!=\"",
            "$labels.reason \"",
        ] {
            for (at, _) in rule.match_indices(marker) {
                let rest = &rule[at + marker.len()..];
                let values = &rest[..rest.find('"').expect("closing quote")];
                reasons.extend(values.split('|').map(str::to_owned));
            }
        }
    }
    reasons
}

/// The digest part of the duplicate key of a callback without documented ids: the hex
/// SHA-256 of the app id (big-endian), the command and the body.
fn sha256_hex(app_id: u64, command: &str, body: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::new()
        .chain_update(app_id.to_be_bytes())
        .chain_update(command)
        .chain_update(body)
        .finalize();
    hex::encode(digest)
}
