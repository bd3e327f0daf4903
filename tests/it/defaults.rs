//! Every documented default of `CallbackConfig`: the constants at their values, and the
//! default config behaving by them (each at its value where a test can afford the time).
//! Every wait here is for a state; time only bounds a hang or is the default under test.

use std::{
    sync::{
        atomic::{AtomicBool, Ordering},
        Arc, Mutex,
    },
    time::{Duration, Instant},
};

use actix_tim_callback::{
    dedup::Claim, dedup::Dedup, dedup::DedupStore, dedup::MemoryStore, dedup::StoreError,
    dedup::StoredReply, model::group, testkit::TestCallback, Ack, Callback, CallbackConfig,
    RawCallback, TimCallback,
};
use actix_web::{
    dev::{Service, ServiceResponse},
    http::StatusCode,
    rt::time::{sleep, timeout},
    test::{call_service, init_service, read_body},
    web, App, Error,
};
use futures_util::future::{self, BoxFuture};

use crate::common::{
    assert_fail_body, captured_warnings, now_secs, APP_ID, OK_JSON, PATH, SEED, TOKEN,
};

/// Long enough to mean "hung", never a measure of speed.
const HANG: Duration = Duration::from_secs(30);

#[test]
fn the_documented_defaults_have_their_documented_values() {
    assert_eq!(CallbackConfig::DEFAULT_BODY_LIMIT, 256 * 1024);
    assert_eq!(
        CallbackConfig::DEFAULT_REPLAY_WINDOW,
        Duration::from_secs(60)
    );
    assert_eq!(Dedup::DEFAULT_TTL, Duration::from_secs(10 * 60));
    assert_eq!(Dedup::DEFAULT_TIMEOUT, Duration::from_millis(250));
    assert_eq!(Dedup::DEFAULT_WAIT, Duration::from_secs(1));
    assert_eq!(
        CallbackConfig::DEFAULT_SLOW_HANDLER,
        Duration::from_millis(1500)
    );
}

async fn send(
    app: &impl Service<actix_http::Request, Response = ServiceResponse, Error = Error>,
    callback: TestCallback,
) -> (StatusCode, Vec<u8>) {
    let res = call_service(app, callback.path(PATH).to_request()).await;
    let status = res.status();
    (status, read_body(res).await.to_vec())
}

/// Waits until `condition` holds (polling, up to [`HANG`]).
async fn until(what: &str, condition: impl Fn() -> bool) {
    let started = Instant::now();
    while !condition() {
        assert!(
            started.elapsed() < HANG,
            "{what} did not happen within {HANG:?}"
        );
        sleep(Duration::from_millis(1)).await;
    }
}

#[actix_web::test]
async fn the_default_body_limit_takes_256_kib_and_refuses_one_byte_more() {
    let app = init_service(
        App::new().service(
            web::scope(PATH)
                .wrap(TimCallback::new(CallbackConfig::new(APP_ID)))
                .route(
                    "",
                    web::post().to(|cb: Callback<group::SendMsgException>| async move {
                        assert_eq!(cb.group_id, "@TGS#2J4SZEAEL");
                        Ack
                    }),
                ),
        ),
    )
    .await;
    // The seed padded with trailing whitespace (valid JSON) to exactly 256 KiB.
    let padded = |len: usize| format!("{SEED}{}", " ".repeat(len - SEED.len()));
    let exact = padded(256 * 1024);
    assert_eq!(exact.len(), 262_144);
    let (status, body) = send(&app, TestCallback::send_msg_exception().body(exact)).await;
    assert_eq!(
        (status, body.as_slice()),
        (StatusCode::OK, OK_JSON.as_bytes())
    );
    let over = padded(256 * 1024 + 1);
    let (status, body) = send(&app, TestCallback::send_msg_exception().body(over)).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_fail_body(&body, 41301);
}

#[actix_web::test]
async fn the_default_replay_window_is_60_s_each_way() {
    let app = init_service(
        App::new().service(
            web::scope(PATH)
                .wrap(TimCallback::new(CallbackConfig::new(APP_ID).token(TOKEN)))
                .route("", web::post().to(|_: RawCallback| async { Ack })),
        ),
    )
    .await;
    let at = |time: u64| {
        TestCallback::send_msg_exception()
            .signed(TOKEN)
            .request_time(time)
    };
    // Both edges at the value, each on the side a clock tick during the test cannot
    // cross: 60 s ahead (a tick makes it 59) is in, 61 s behind (a tick makes it 62) out.
    let (status, body) = send(&app, at(now_secs() + 60)).await;
    assert_eq!(
        (status, body.as_slice()),
        (StatusCode::OK, OK_JSON.as_bytes())
    );
    let (status, body) = send(&app, at(now_secs() - 61)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_fail_body(&body, 40103);
    let (status, body) = send(&app, at(now_secs() - 59)).await;
    assert_eq!(
        (status, body.as_slice()),
        (StatusCode::OK, OK_JSON.as_bytes())
    );
}

/// A `MemoryStore` that records the TTL each completed claim is kept for, and can be told
/// to never answer a claim.
#[derive(Clone, Default)]
struct Recording {
    inner: MemoryStore,
    ttls: Arc<Mutex<Vec<Duration>>>,
    hang: Arc<AtomicBool>,
}

impl DedupStore for Recording {
    fn claim<'a>(
        &'a self,
        key: &'a str,
        owner: &'a str,
        lease: Duration,
    ) -> BoxFuture<'a, Result<Claim, StoreError>> {
        if self.hang.load(Ordering::SeqCst) {
            return Box::pin(future::pending());
        }
        self.inner.claim(key, owner, lease)
    }

    fn complete<'a>(
        &'a self,
        key: &'a str,
        owner: &'a str,
        reply: &'a StoredReply,
        ttl: Duration,
    ) -> BoxFuture<'a, Result<(), StoreError>> {
        self.ttls.lock().unwrap().push(ttl);
        self.inner.complete(key, owner, reply, ttl)
    }

    fn release<'a>(
        &'a self,
        key: &'a str,
        owner: &'a str,
    ) -> BoxFuture<'a, Result<(), StoreError>> {
        self.inner.release(key, owner)
    }
}

#[actix_web::test]
async fn a_handled_callback_is_remembered_for_the_default_10_minutes() {
    let store = Recording::default();
    let app = init_service(
        App::new().service(
            web::scope(PATH)
                .wrap(TimCallback::new(
                    CallbackConfig::new(APP_ID).dedup(store.clone()),
                ))
                .route("", web::post().to(|_: RawCallback| async { Ack })),
        ),
    )
    .await;
    let state = || TestCallback::sample("State.StateChange").expect("sample");
    for _ in 0..2 {
        let (status, body) = send(&app, state()).await;
        assert_eq!(
            (status, body.as_slice()),
            (StatusCode::OK, OK_JSON.as_bytes())
        );
    }
    assert_eq!(*store.ttls.lock().unwrap(), vec![Duration::from_secs(600)]);
}

#[actix_web::test]
async fn a_store_that_does_not_answer_is_given_up_on_after_the_default_250_ms() {
    let store = Recording::default();
    store.hang.store(true, Ordering::SeqCst);
    let app = init_service(
        App::new().service(
            web::scope(PATH)
                .wrap(TimCallback::new(CallbackConfig::new(APP_ID).dedup(store)))
                .route("", web::post().to(|_: RawCallback| async { Ack })),
        ),
    )
    .await;
    let started = Instant::now();
    let state = TestCallback::sample("State.StateChange").expect("sample");
    let (status, body) = timeout(HANG, send(&app, state))
        .await
        .expect("a store that never answers hung the request");
    // Answered at all: cut off. Not before the default timeout (a lower bound no machine
    // can miss), and failed open.
    assert!(
        started.elapsed() >= Duration::from_millis(250),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(
        (status, body.as_slice()),
        (StatusCode::OK, OK_JSON.as_bytes())
    );
}

#[actix_web::test]
async fn a_duplicate_of_a_callback_in_flight_waits_the_default_1_s_then_gets_409() {
    let entered = Arc::new(AtomicBool::new(false));
    let release = Arc::new(AtomicBool::new(false));
    let (in_handler, go) = (entered.clone(), release.clone());
    let app = init_service(
        App::new().service(
            web::scope(PATH)
                .wrap(TimCallback::new(
                    CallbackConfig::new(APP_ID).dedup(MemoryStore::default()),
                ))
                .route(
                    "",
                    web::post().to(move |_: RawCallback| {
                        let (in_handler, go) = (in_handler.clone(), go.clone());
                        async move {
                            in_handler.store(true, Ordering::SeqCst);
                            until("the release of the first delivery", || {
                                go.load(Ordering::SeqCst)
                            })
                            .await;
                            Ack
                        }
                    }),
                ),
        ),
    )
    .await;
    let state = || TestCallback::sample("State.StateChange").expect("sample");
    let first = send(&app, state());
    let second = async {
        until("the first delivery in its handler", || {
            entered.load(Ordering::SeqCst)
        })
        .await;
        let started = Instant::now();
        let answer = send(&app, state()).await;
        let waited = started.elapsed();
        release.store(true, Ordering::SeqCst);
        (answer, waited)
    };
    let (first, ((status, body), waited)) = timeout(HANG, future::join(first, second))
        .await
        .expect("hung");
    assert_eq!(
        (first.0, first.1.as_slice()),
        (StatusCode::OK, OK_JSON.as_bytes())
    );
    assert_eq!(status, StatusCode::CONFLICT);
    assert_fail_body(&body, 40901);
    assert!(
        waited >= Duration::from_secs(1),
        "answered after {waited:?}"
    );
}

#[actix_web::test]
async fn a_handler_over_the_default_1_5_s_is_warned_about_and_a_quick_one_is_not() {
    const COMMAND: &str = "Test.DefaultSlowHandler";
    let warnings = || {
        captured_warnings()
            .lock()
            .unwrap()
            .iter()
            .filter(|line| line.contains(&format!("{COMMAND} took")))
            .count()
    };
    warnings();
    let app = init_service(
        App::new().service(
            web::scope(PATH)
                .wrap(TimCallback::new(CallbackConfig::new(APP_ID)))
                .route(
                    "",
                    web::post().to(|cb: RawCallback| async move {
                        if cb.body["slow"] == true {
                            sleep(Duration::from_millis(1600)).await;
                        }
                        Ack
                    }),
                ),
        ),
    )
    .await;
    // A handler that returns at once is under 1.5 s on any machine this runs on.
    let (status, _) = send(&app, TestCallback::new(COMMAND, "{}")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(warnings(), 0, "a quick handler is not warned about");
    let (status, _) = send(&app, TestCallback::new(COMMAND, r#"{"slow":true}"#)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(warnings(), 1, "a handler past 1.5 s is");
}

/// A handled callback is remembered at least twice the replay window: a captured request
/// stays valid that long. A shorter TTL is raised to it; a longer one is kept.
#[actix_web::test]
async fn the_claim_outlives_twice_the_replay_window() {
    for (window, ttl, kept) in [
        (30, Duration::from_millis(1), Duration::from_secs(60)),
        (600, Dedup::DEFAULT_TTL, Duration::from_secs(1200)),
        (30, Duration::from_secs(3600), Duration::from_secs(3600)),
    ] {
        let store = Recording::default();
        let config = CallbackConfig::new(APP_ID)
            .replay_window(Duration::from_secs(window))
            .dedup(Dedup::new(store.clone()).ttl(ttl));
        let app = init_service(
            App::new().service(
                web::scope(PATH)
                    .wrap(TimCallback::new(config))
                    .route("", web::post().to(|_: RawCallback| async { Ack })),
            ),
        )
        .await;
        let (status, _) = send(
            &app,
            TestCallback::sample("State.StateChange").expect("sample"),
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(
            *store.ttls.lock().unwrap(),
            vec![kept],
            "window {window} s, ttl {ttl:?}"
        );
    }
}
