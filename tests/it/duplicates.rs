//! Duplicate suppression as one claim with an owner and three states, made by the
//! middleware for every route: a duplicate gets the reply the first delivery got, one that
//! arrives while the first is handled waits for its outcome, and nobody touches a claim
//! it does not own. Each test names the problem of issue 14 it pins.

use std::{
    sync::{
        atomic::{AtomicBool, AtomicUsize, Ordering},
        Arc,
    },
    time::Duration,
};

use crate::common::{assert_fail_body, Counter, APP_ID, OK_JSON, PATH, TOKEN};
use actix_tim_callback::{
    command_named, dedup::Claim, dedup::Dedup, dedup::DedupStore, dedup::MemoryStore,
    dedup::StoreError, dedup::StoreFailure, dedup::StoredReply, testkit::TestCallback, Callback,
    CallbackConfig, RawCallback, TimCallback,
};
use actix_web::{
    dev::{Service, ServiceResponse},
    http::StatusCode,
    test::{call_service, init_service, read_body},
    web, App, Error, HttpResponse,
};
use futures_util::future::{self, BoxFuture};

fn sample(command: &str) -> TestCallback {
    TestCallback::sample(command)
        .expect("a sample")
        .path(PATH)
        .signed(TOKEN)
}

async fn send(
    app: &impl Service<actix_http::Request, Response = ServiceResponse, Error = Error>,
    callback: TestCallback,
) -> (StatusCode, String) {
    let res = call_service(app, callback.to_request()).await;
    let status = res.status();
    (
        status,
        String::from_utf8_lossy(&read_body(res).await).into_owned(),
    )
}

/// Waits until `condition` holds: the tests wait for states, never for amounts of time.
async fn until(what: &str, condition: impl Fn() -> bool) {
    for _ in 0..10_000 {
        if condition() {
            return;
        }
        actix_web::rt::time::sleep(Duration::from_millis(1)).await;
    }
    panic!("{what} did not happen within 10 s");
}

/// Problem 1: a friend check delivered twice was answered "allow everyone" (the bare OK).
#[actix_web::test]
async fn a_duplicate_friend_check_gets_the_same_verdict() {
    const REFUSAL: &str = r#"{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":"","ResultItem":[{"To_Account":"id2","ResultCode":38001,"ResultInfo":"not now"}]}"#;
    let calls = Counter::new();
    let seen = calls.clone();
    let tim = TimCallback::new(
        CallbackConfig::new(APP_ID)
            .token(TOKEN)
            .dedup(MemoryStore::default()),
    );
    let app = init_service(App::new().service(web::scope(PATH).wrap(tim).route(
        "",
        web::post().to(move |_: RawCallback| {
            seen.hit();
            async {
                HttpResponse::Ok()
                    .content_type("application/json")
                    .body(REFUSAL)
            }
        }),
    )))
    .await;
    for delivery in 0..3 {
        let (status, body) = send(&app, sample("Sns.CallbackPrevFriendAdd")).await;
        assert_eq!(
            (status, body.as_str()),
            (StatusCode::OK, REFUSAL),
            "{delivery}"
        );
    }
    assert_eq!(calls.get(), 1, "the copies got the stored verdict");
}

/// Problem 2: a redelivery while the first attempt was failing was answered OK at once,
/// and the callback was lost. Now it waits for the first attempt's outcome; the first
/// failed, so it is handled itself.
#[actix_web::test]
async fn a_redelivery_during_a_failing_first_attempt_is_never_answered_ok_first() {
    let store = CountingStore::default();
    let calls = Arc::new(AtomicUsize::new(0));
    let first_may_fail = Arc::new(AtomicBool::new(false));
    let tim = TimCallback::new(
        CallbackConfig::new(APP_ID)
            .token(TOKEN)
            .dedup(Dedup::new(store.clone()).wait(Duration::from_secs(10))),
    );
    let app = init_service(App::new().service(web::scope(PATH).wrap(tim).route("", {
        let calls = Arc::clone(&calls);
        let first_may_fail = Arc::clone(&first_may_fail);
        web::post().to(move |_: RawCallback| {
            let call = calls.fetch_add(1, Ordering::SeqCst);
            let first_may_fail = Arc::clone(&first_may_fail);
            async move {
                if call == 0 {
                    until("the test lets the first attempt fail", || {
                        first_may_fail.load(Ordering::SeqCst)
                    })
                    .await;
                    HttpResponse::InternalServerError().finish()
                } else {
                    HttpResponse::Ok().finish()
                }
            }
        })
    })))
    .await;

    let first = send(&app, sample("Group.CallbackAfterNewMemberJoin"));
    let second = async {
        until("the first attempt runs", || {
            calls.load(Ordering::SeqCst) == 1
        })
        .await;
        let second = send(&app, sample("Group.CallbackAfterNewMemberJoin"));
        let release_first = async {
            until("the redelivery finds the first in flight", || {
                store.in_flight.load(Ordering::SeqCst) > 0
            })
            .await;
            first_may_fail.store(true, Ordering::SeqCst);
        };
        future::join(second, release_first).await.0
    };
    let (first, second) = future::join(first, second).await;
    assert_eq!(first.0, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(second, (StatusCode::OK, OK_JSON.to_owned()));
    assert_eq!(
        calls.load(Ordering::SeqCst),
        2,
        "the redelivery was handled"
    );
}

/// A redelivery that waits longer than `Dedup::wait` for a first delivery still running is
/// answered with a retryable FAIL, never with OK.
#[actix_web::test]
async fn a_redelivery_that_waits_too_long_gets_a_retryable_fail() {
    let store = CountingStore::default();
    let done = Arc::new(AtomicBool::new(false));
    let calls = Counter::new();
    let tim = TimCallback::new(
        CallbackConfig::new(APP_ID)
            .token(TOKEN)
            .dedup(Dedup::new(store.clone()).wait(Duration::ZERO)),
    );
    let app = init_service(App::new().service(web::scope(PATH).wrap(tim).route("", {
        let done = Arc::clone(&done);
        let calls = calls.clone();
        web::post().to(move |_: RawCallback| {
            calls.hit();
            let done = Arc::clone(&done);
            async move {
                until("the test ends the first delivery", || {
                    done.load(Ordering::SeqCst)
                })
                .await;
                HttpResponse::Ok().finish()
            }
        })
    })))
    .await;
    let first = send(&app, sample("State.StateChange"));
    let second = async {
        until("the first delivery runs", || calls.get() == 1).await;
        let second = send(&app, sample("State.StateChange")).await;
        done.store(true, Ordering::SeqCst);
        second
    };
    let (first, (status, body)) = future::join(first, second).await;
    assert_eq!(first, (StatusCode::OK, OK_JSON.to_owned()));
    assert_eq!(status, StatusCode::CONFLICT);
    assert_fail_body(body.as_bytes(), 40901);
    assert_eq!(calls.get(), 1);
    // Once the first is done, a copy gets its reply.
    assert_eq!(
        send(&app, sample("State.StateChange")).await,
        (StatusCode::OK, OK_JSON.to_owned())
    );
    assert_eq!(calls.get(), 1);
}

/// Problem 3: a handler that takes no extractor of the crate was never deduplicated.
#[actix_web::test]
async fn routes_whose_handler_takes_nothing_are_deduplicated() {
    let calls = Counter::new();
    let seen = calls.clone();
    let tim = TimCallback::new(
        CallbackConfig::new(APP_ID)
            .token(TOKEN)
            .dedup(MemoryStore::default()),
    );
    let app = init_service(
        App::new().service(
            web::scope(PATH).wrap(tim).route(
                "",
                web::post()
                    .guard(command_named("Group.CallbackAfterNewMemberJoin"))
                    .to(move || {
                        seen.hit();
                        async { actix_tim_callback::Ack }
                    }),
            ),
        ),
    )
    .await;
    for _ in 0..3 {
        let (status, body) = send(&app, sample("Group.CallbackAfterNewMemberJoin")).await;
        assert_eq!((status, body.as_str()), (StatusCode::OK, OK_JSON));
    }
    assert_eq!(calls.get(), 1);
}

/// The body stays readable for actix's own extractors behind the middleware.
#[actix_web::test]
async fn handlers_can_take_the_body_as_bytes_or_json() {
    let tim = TimCallback::new(CallbackConfig::new(APP_ID).token(TOKEN));
    let app = init_service(
        App::new().service(
            web::scope(PATH)
                .wrap(tim)
                .app_data(web::JsonConfig::default().content_type_required(false))
                .route(
                    "",
                    web::post()
                        .guard(command_named("State.StateChange"))
                        .to(|body: web::Bytes| async move { HttpResponse::Ok().body(body) }),
                )
                .route(
                    "",
                    web::post()
                        .guard(command_named("Group.CallbackAfterGroupFull"))
                        .to(|json: web::Json<serde_json::Value>| async move {
                            HttpResponse::Ok().body(json["GroupId"].to_string())
                        }),
                ),
        ),
    )
    .await;
    let state = include_str!("../fixtures/samples/State.StateChange.json");
    let (status, body) = send(&app, sample("State.StateChange")).await;
    assert_eq!((status, body.as_str()), (StatusCode::OK, state));
    let full: serde_json::Value = serde_json::from_str(include_str!(
        "../fixtures/samples/Group.CallbackAfterGroupFull.json"
    ))
    .expect("JSON");
    let (status, body) = send(&app, sample("Group.CallbackAfterGroupFull")).await;
    assert_eq!(
        (status, body),
        (StatusCode::OK, full["GroupId"].to_string())
    );
}

/// A store whose claims do not reach it in time while `slow` is set, over a memory store
/// the tests can look into; counts the in-flight answers it gives.
#[derive(Clone, Default)]
struct CountingStore {
    inner: MemoryStore,
    slow: Arc<AtomicBool>,
    in_flight: Arc<AtomicUsize>,
    keys: Arc<std::sync::Mutex<Vec<String>>>,
}

impl CountingStore {
    /// The keys claimed, in order.
    fn claimed_keys(&self) -> Vec<String> {
        self.keys.lock().unwrap().clone()
    }
}

impl DedupStore for CountingStore {
    fn claim<'a>(
        &'a self,
        key: &'a str,
        owner: &'a str,
        lease: Duration,
    ) -> BoxFuture<'a, Result<Claim, StoreError>> {
        self.keys.lock().unwrap().push(key.to_owned());
        Box::pin(async move {
            if self.slow.load(Ordering::SeqCst) {
                future::pending::<()>().await;
            }
            let claim = self.inner.claim(key, owner, lease).await?;
            if claim == Claim::InFlight {
                self.in_flight.fetch_add(1, Ordering::SeqCst);
            }
            Ok(claim)
        })
    }

    fn complete<'a>(
        &'a self,
        key: &'a str,
        owner: &'a str,
        reply: &'a StoredReply,
        ttl: Duration,
    ) -> BoxFuture<'a, Result<(), StoreError>> {
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

/// The key the crate claims a one-to-one message under.
fn c2c_key() -> String {
    let sample: serde_json::Value = serde_json::from_str(include_str!(
        "../fixtures/samples/C2C.CallbackAfterSendMsg.json"
    ))
    .expect("JSON");
    format!(
        "{APP_ID}:C2C.CallbackAfterSendMsg:{}",
        sample["MsgKey"].as_str().expect("a MsgKey")
    )
}

/// Problem 4: a request whose claim timed out released the key anyway, reopening a claim
/// another delivery held; with `StoreFailure::Reject` too.
#[actix_web::test]
async fn a_request_never_releases_a_claim_it_does_not_own() {
    for on_failure in [StoreFailure::Accept, StoreFailure::Reject] {
        let store = CountingStore::default();
        let calls = Counter::new();
        let seen = calls.clone();
        let tim = TimCallback::new(
            CallbackConfig::new(APP_ID).token(TOKEN).dedup(
                Dedup::new(store.clone())
                    .timeout(Duration::from_millis(20))
                    .on_store_failure(on_failure),
            ),
        );
        let app = init_service(App::new().service(web::scope(PATH).wrap(tim).route(
            "",
            web::post().to(move |_: RawCallback| {
                seen.hit();
                async { HttpResponse::InternalServerError().finish() }
            }),
        )))
        .await;
        // Another delivery holds the claim (at another instance, say).
        let key = c2c_key();
        let lease = Duration::from_secs(30);
        assert_eq!(
            store.inner.claim(&key, "other", lease).await.ok(),
            Some(Claim::New)
        );

        // This delivery's claim times out; it fails open (handler fails) or answers 503.
        store.slow.store(true, Ordering::SeqCst);
        let (status, _) = send(&app, sample("C2C.CallbackAfterSendMsg")).await;
        let expected = match on_failure {
            StoreFailure::Accept => StatusCode::INTERNAL_SERVER_ERROR,
            _ => StatusCode::SERVICE_UNAVAILABLE,
        };
        assert_eq!(status, expected, "{on_failure:?}");

        // The other delivery's claim is untouched.
        assert_eq!(
            store.inner.claim(&key, "third", lease).await.ok(),
            Some(Claim::InFlight),
            "{on_failure:?}"
        );
    }
}

/// Problem 6: a replay window of `Duration::MAX` overflowed when doubled for the claim's
/// lifetime.
#[actix_web::test]
async fn a_huge_replay_window_does_not_panic() {
    let tim = TimCallback::new(
        CallbackConfig::new(APP_ID)
            .token(TOKEN)
            .replay_window(Duration::MAX)
            .dedup(Dedup::new(MemoryStore::default()).ttl(Duration::MAX)),
    );
    let calls = Counter::new();
    let seen = calls.clone();
    let app = init_service(App::new().service(web::scope(PATH).wrap(tim).route(
        "",
        web::post().to(move |_: Callback<actix_tim_callback::model::AnyEvent>| {
            seen.hit();
            async { actix_tim_callback::Ack }
        }),
    )))
    .await;
    for _ in 0..2 {
        let (status, body) = send(&app, sample("State.StateChange")).await;
        assert_eq!((status, body.as_str()), (StatusCode::OK, OK_JSON));
    }
    assert_eq!(
        calls.get(),
        1,
        "the second delivery was claimed and found done"
    );
}

/// Problem 8: the quick start built the config (and a `MemoryStore`) inside
/// `HttpServer::new`, so every worker had its own claims. Every example, the README and the
/// crate docs build the middleware outside the closure and clone it in.
#[test]
fn docs_and_examples_build_the_middleware_outside_the_server_closure() {
    let root = env!("CARGO_MANIFEST_DIR");
    let mut files = vec![
        format!("{root}/README.md"),
        format!("{root}/docs/production.md"),
        format!("{root}/src/lib.rs"),
    ];
    for entry in std::fs::read_dir(format!("{root}/examples")).expect("examples") {
        files.push(entry.expect("entry").path().display().to_string());
    }
    let mut checked = 0;
    for file in files {
        let text = std::fs::read_to_string(&file).expect("readable");
        for (at, _) in text.match_indices("HttpServer::new(") {
            let closure = &text[at..];
            let end = closure.find(".bind").unwrap_or(closure.len());
            let closure = &closure[..end];
            for built in ["TimCallback::new(", "CallbackConfig::new(", "MemoryStore::"] {
                assert!(
                    !closure.contains(built),
                    "{file}: {built} inside HttpServer::new makes one per worker:\n{closure}"
                );
            }
            checked += 1;
        }
    }
    assert!(checked >= 3, "found {checked} servers to check");
}

/// Problem 9: `TestCallback::event` sent an empty body when the event did not serialise,
/// and the user's test then blamed the handler.
#[test]
#[should_panic(expected = "does not serialise")]
fn an_event_that_does_not_serialise_fails_the_test_kit_itself() {
    #[derive(serde::Serialize, serde::Deserialize)]
    struct Broken {
        map: std::collections::HashMap<Vec<u8>, u8>,
    }
    impl actix_tim_callback::model::CallbackEvent for Broken {
        const COMMAND: &'static str = "Test.Broken";
        type Reply = actix_tim_callback::Ack;
    }
    let broken = Broken {
        map: [(vec![1], 1)].into_iter().collect(),
    };
    let _ = TestCallback::event(&broken);
}

/// With duplicate suppression, a callback keyed by ids of its body (`GroupId` + `MsgSeq`,
/// `MsgKey`) is decoded once, by the middleware; the handler's extractor gets that event,
/// exactly as it decodes the body itself without duplicate suppression. A body whose ids do
/// not decode is claimed under a digest of its bytes, and its handler's extractor still
/// answers 400 with the path.
#[actix_web::test]
async fn a_callback_keyed_by_its_ids_reaches_the_handler_as_decoded_once() {
    use actix_tim_callback::model::{group, AnyEvent};
    use std::sync::Mutex;
    let seen: Arc<Mutex<Vec<(group::AfterSendMsg, AnyEvent)>>> = Arc::default();
    let store = CountingStore::default();
    let tim = TimCallback::new(
        CallbackConfig::new(APP_ID)
            .token(TOKEN)
            .dedup(store.clone()),
    );
    let recorded = Arc::clone(&seen);
    let app = init_service(App::new().service(web::scope(PATH).wrap(tim).route(
        "",
        web::post().to(
            move |typed: Callback<group::AfterSendMsg>, any: Callback<AnyEvent>| {
                recorded
                    .lock()
                    .unwrap()
                    .push((typed.into_inner(), any.into_inner()));
                async { HttpResponse::Ok().finish() }
            },
        ),
    )))
    .await;

    let callback = sample("Group.CallbackAfterSendMsg");
    let expected: group::AfterSendMsg =
        serde_json::from_slice(&callback.body_bytes()).expect("the sample decodes");
    assert_eq!(
        send(&app, callback).await,
        (StatusCode::OK, OK_JSON.to_owned())
    );
    let (typed, any) = seen.lock().unwrap().pop().expect("the handler ran");
    assert_eq!(typed, expected);
    assert_eq!(any, AnyEvent::GroupAfterSendMsg(Box::new(expected.clone())));
    assert_eq!(
        store.claimed_keys(),
        vec![format!(
            "{APP_ID}:Group.CallbackAfterSendMsg:{}:{}",
            expected.group_id,
            expected.msg_seq.expect("a MsgSeq")
        )]
    );

    let bad = sample("Group.CallbackAfterSendMsg").edit_json(|body| body["MsgSeq"] = "x".into());
    let (status, body) = send(&app, bad).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_fail_body(body.as_bytes(), 40002);
    assert!(body.contains("MsgSeq"), "{body}");
    let keys = store.claimed_keys();
    assert_eq!(keys.len(), 2);
    assert_eq!(
        keys[1].len(),
        format!("{APP_ID}:Group.CallbackAfterSendMsg:").len() + 64,
        "a digest: {}",
        keys[1]
    );
}
