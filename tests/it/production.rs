//! Running several instances in production: token rotation, duplicate suppression with the
//! in-memory store (and a store that fails), and the slow-handler warning. The same rules
//! against a real Redis are in `tests/redis_dedup.rs`.

use std::{
    sync::{
        atomic::{AtomicBool, Ordering},
        Arc, Mutex,
    },
    time::Duration,
};

use crate::common::{assert_fail_body, captured_warnings, Counter, APP_ID, OK_JSON, PATH, TOKEN};
use actix_tim_callback::{
    dedup::Claim,
    dedup::Dedup,
    dedup::DedupStore,
    dedup::MemoryStore,
    dedup::StoreError,
    dedup::StoreFailure,
    dedup::StoredReply,
    model::{c2c, AnyEvent},
    testkit::TestCallback,
    Ack, Callback, CallbackConfig, TimCallback,
};
use actix_web::{
    dev::{Service, ServiceResponse},
    http::StatusCode,
    test::{call_service, init_service, read_body},
    web, App, Error, HttpResponse,
};
use futures_util::future::{self, BoxFuture};

/// What the handler of [`app`] does.
#[derive(Clone, Copy)]
enum Behaviour {
    Ack,
    Fail,
    Panic,
    Sleep(Duration),
}

/// One route taking every command; counts its calls and behaves as told.
async fn app(
    config: CallbackConfig,
    calls: Counter,
    behaviour: Arc<Mutex<Behaviour>>,
) -> impl Service<actix_http::Request, Response = ServiceResponse, Error = Error> {
    init_service(
        App::new().service(web::scope(PATH).wrap(TimCallback::new(config)).route(
            "",
            web::post().to(move |_: Callback<AnyEvent>| {
                let calls = calls.clone();
                let behaviour = *behaviour.lock().unwrap();
                async move {
                    calls.hit();
                    match behaviour {
                        Behaviour::Ack => HttpResponse::Ok().finish(),
                        Behaviour::Fail => HttpResponse::InternalServerError().finish(),
                        Behaviour::Panic => panic!("handler bug"),
                        Behaviour::Sleep(time) => {
                            actix_web::rt::time::sleep(time).await;
                            HttpResponse::Ok().finish()
                        }
                    }
                }
            }),
        )),
    )
    .await
}

fn sample(command: &str) -> TestCallback {
    TestCallback::sample(command)
        .expect("a sample")
        .path(PATH)
        .signed(TOKEN)
}

async fn status_and_body(
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

fn deduplicating() -> CallbackConfig {
    CallbackConfig::new(APP_ID)
        .token(TOKEN)
        .dedup(MemoryStore::default())
}

fn behaving(behaviour: Behaviour) -> Arc<Mutex<Behaviour>> {
    Arc::new(Mutex::new(behaviour))
}

#[actix_web::test]
async fn requests_signed_with_a_previous_token_are_accepted_during_a_rotation() {
    let calls = Counter::new();
    let config = CallbackConfig::new(APP_ID)
        .token("new-token")
        .previous_token("old-token");
    let app = app(config, calls.clone(), behaving(Behaviour::Ack)).await;
    for token in ["new-token", "old-token"] {
        let (status, body) = status_and_body(&app, sample("State.StateChange").signed(token)).await;
        assert_eq!(
            (status, body.as_str()),
            (StatusCode::OK, OK_JSON),
            "{token}"
        );
    }
    let (status, body) = status_and_body(&app, sample("State.StateChange").signed("other")).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_fail_body(body.as_bytes(), 40104);
    assert_eq!(calls.get(), 2);

    // Once the old token is dropped from the config, it is refused.
    let app_after = app_without_previous().await;
    let (status, _) =
        status_and_body(&app_after, sample("State.StateChange").signed("old-token")).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

async fn app_without_previous(
) -> impl Service<actix_http::Request, Response = ServiceResponse, Error = Error> {
    app(
        CallbackConfig::new(APP_ID).token("new-token"),
        Counter::new(),
        behaving(Behaviour::Ack),
    )
    .await
}

#[test]
fn a_previous_token_needs_a_current_one_and_must_not_be_blank() {
    use actix_tim_callback::ConfigError;
    assert_eq!(
        CallbackConfig::new(APP_ID).previous_token("old").validate(),
        Err(ConfigError::PreviousTokenWithoutToken)
    );
    assert_eq!(
        CallbackConfig::new(APP_ID)
            .token("new")
            .previous_token(" ")
            .validate(),
        Err(ConfigError::EmptyToken)
    );
    // A blank current token is its own mistake, whatever follows it.
    assert_eq!(
        CallbackConfig::new(APP_ID)
            .token("")
            .previous_token("old")
            .validate(),
        Err(ConfigError::EmptyToken)
    );
}

#[actix_web::test]
async fn a_duplicate_is_acked_without_reaching_the_handler() {
    let calls = Counter::new();
    let app = app(deduplicating(), calls.clone(), behaving(Behaviour::Ack)).await;
    for _ in 0..3 {
        let (status, body) = status_and_body(&app, sample("State.StateChange")).await;
        assert_eq!((status, body.as_str()), (StatusCode::OK, OK_JSON));
    }
    assert_eq!(calls.get(), 1, "the replays were acked without the handler");
    // Another callback is not a duplicate of the first.
    status_and_body(&app, sample("Group.CallbackAfterGroupFull")).await;
    assert_eq!(calls.get(), 2);
}

#[actix_web::test]
async fn without_dedup_every_delivery_reaches_the_handler() {
    let calls = Counter::new();
    let config = CallbackConfig::new(APP_ID).token(TOKEN);
    let app = app(config, calls.clone(), behaving(Behaviour::Ack)).await;
    for _ in 0..3 {
        status_and_body(&app, sample("State.StateChange")).await;
    }
    assert_eq!(calls.get(), 3);
}

#[actix_web::test]
async fn keys_come_from_what_tencent_documents_as_unique() {
    let calls = Counter::new();
    let app = app(deduplicating(), calls.clone(), behaving(Behaviour::Ack)).await;
    // The same one-to-one message (same MsgKey) delivered again with another EventTime.
    let c2c = sample("C2C.CallbackAfterSendMsg");
    status_and_body(&app, c2c.clone()).await;
    status_and_body(
        &app,
        c2c.clone().edit_json(|body| body["EventTime"] = 1.into()),
    )
    .await;
    assert_eq!(calls.get(), 1, "MsgKey identifies a one-to-one message");
    status_and_body(&app, c2c.edit_json(|body| body["MsgKey"] = "other".into())).await;
    assert_eq!(calls.get(), 2);

    // The same group message (GroupId + MsgSeq) with another body.
    let group = sample("Group.CallbackAfterSendMsg");
    status_and_body(&app, group.clone()).await;
    status_and_body(
        &app,
        group.clone().edit_json(|body| body["Random"] = 7.into()),
    )
    .await;
    assert_eq!(calls.get(), 3, "GroupId + MsgSeq identify a group message");
    status_and_body(&app, group.edit_json(|body| body["MsgSeq"] = 999.into())).await;
    assert_eq!(calls.get(), 4);

    // Other commands: the exact body.
    let state = sample("State.StateChange");
    status_and_body(&app, state.clone()).await;
    status_and_body(&app, state.edit_json(|body| body["EventTime"] = 1.into())).await;
    assert_eq!(calls.get(), 6, "a different body is another callback");
}

#[actix_web::test]
async fn a_duplicate_arriving_while_the_first_still_runs_waits_for_its_reply() {
    let calls = Counter::new();
    let behaviour = behaving(Behaviour::Sleep(Duration::from_millis(200)));
    let app = app(deduplicating(), calls.clone(), behaviour).await;
    let first = status_and_body(&app, sample("State.StateChange"));
    let second = async {
        // Sent once the first is in its handler (a state, not an amount of time).
        while calls.get() == 0 {
            actix_web::rt::time::sleep(Duration::from_millis(1)).await;
        }
        status_and_body(&app, sample("State.StateChange")).await
    };
    let (first, second) = future::join(first, second).await;
    assert_eq!(first, (StatusCode::OK, OK_JSON.to_owned()));
    assert_eq!(second, (StatusCode::OK, OK_JSON.to_owned()));
    assert_eq!(calls.get(), 1);
}

#[actix_web::test]
async fn a_failed_handler_releases_its_claim_so_a_retry_succeeds() {
    let calls = Counter::new();
    let behaviour = behaving(Behaviour::Fail);
    let app = app(deduplicating(), calls.clone(), behaviour.clone()).await;
    let (status, _) = status_and_body(&app, sample("State.StateChange")).await;
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
    *behaviour.lock().unwrap() = Behaviour::Ack;
    let (status, _) = status_and_body(&app, sample("State.StateChange")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(calls.get(), 2, "the retry reached the handler");
    status_and_body(&app, sample("State.StateChange")).await;
    assert_eq!(calls.get(), 2, "and is remembered once accepted");
}

#[actix_web::test]
async fn a_panicking_handler_releases_its_claim_so_a_retry_succeeds() {
    let calls = Counter::new();
    let behaviour = behaving(Behaviour::Panic);
    let app = app(deduplicating(), calls.clone(), behaviour.clone()).await;
    let panicked = app.call(sample("State.StateChange").to_request()).await;
    let err = panicked.expect_err("a panic comes back as an error");
    assert_eq!(
        err.as_response_error().status_code(),
        StatusCode::INTERNAL_SERVER_ERROR
    );
    *behaviour.lock().unwrap() = Behaviour::Ack;
    let (status, _) = status_and_body(&app, sample("State.StateChange")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(calls.get(), 2);
}

#[actix_web::test]
async fn a_request_rejected_before_its_handler_does_not_keep_a_claim() {
    let calls = Counter::new();
    let app = app(deduplicating(), calls.clone(), behaving(Behaviour::Ack)).await;
    // A body the model refuses (GroupId missing) is a 400...
    let broken = sample("Group.CallbackAfterGroupFull")
        .edit_json(|body| drop(body.as_object_mut().map(|body| body.remove("GroupId"))));
    let (status, _) = status_and_body(&app, broken.clone()).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    // ...and stays one: it was never remembered as accepted.
    let (status, _) = status_and_body(&app, broken).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(calls.get(), 0);
}

#[actix_web::test]
async fn before_callbacks_are_deduplicated_unless_told_otherwise() {
    let calls = Counter::new();
    let app = app(deduplicating(), calls.clone(), behaving(Behaviour::Ack)).await;
    for command in ["Group.CallbackBeforeSendMsg", "Chatbot.OnC2CSignalMessage"] {
        status_and_body(&app, sample(command)).await;
        status_and_body(&app, sample(command)).await;
    }
    assert_eq!(calls.get(), 2, "each duplicate got the stored reply");

    let calls = Counter::new();
    let config = CallbackConfig::new(APP_ID)
        .token(TOKEN)
        .dedup(Dedup::new(MemoryStore::default()).before_callbacks(false));
    let told = self::app(config, calls.clone(), behaving(Behaviour::Ack)).await;
    for command in [
        "Group.CallbackBeforeSendMsg",
        "Sns.CallbackPrevFriendAdd",
        "Chatbot.OnC2CSignalMessage",
    ] {
        status_and_body(&told, sample(command)).await;
        status_and_body(&told, sample(command)).await;
    }
    assert_eq!(calls.get(), 6, "each before-callback reached its handler");
    // After-callbacks are still deduplicated.
    status_and_body(&told, sample("State.StateChange")).await;
    status_and_body(&told, sample("State.StateChange")).await;
    assert_eq!(calls.get(), 7);
}

/// A store that fails, or answers too late, on demand.
#[derive(Clone, Default)]
struct FlakyStore {
    inner: MemoryStore,
    down: Arc<AtomicBool>,
    slow: Arc<AtomicBool>,
}

impl DedupStore for FlakyStore {
    fn claim<'a>(
        &'a self,
        key: &'a str,
        owner: &'a str,
        lease: Duration,
    ) -> BoxFuture<'a, Result<Claim, StoreError>> {
        Box::pin(async move {
            if self.slow.load(Ordering::SeqCst) {
                // Never answers: only the middleware's timeout ends the call.
                std::future::pending::<()>().await;
            }
            if self.down.load(Ordering::SeqCst) {
                return Err(StoreError::new("connection refused"));
            }
            self.inner.claim(key, owner, lease).await
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

#[actix_web::test]
async fn a_failing_store_fails_open_by_default() {
    let store = FlakyStore::default();
    let calls = Counter::new();
    let config = CallbackConfig::new(APP_ID)
        .token(TOKEN)
        .dedup(store.clone());
    let app = app(config, calls.clone(), behaving(Behaviour::Ack)).await;
    store.down.store(true, Ordering::SeqCst);
    for _ in 0..2 {
        let (status, body) = status_and_body(&app, sample("State.StateChange")).await;
        assert_eq!((status, body.as_str()), (StatusCode::OK, OK_JSON));
    }
    assert_eq!(calls.get(), 2, "accepted unchecked while the store is down");
    // A store that answers too late is cut off at the timeout and fails open too.
    store.down.store(false, Ordering::SeqCst);
    store.slow.store(true, Ordering::SeqCst);
    // Answered at all means cut off (the 30 s only turns a hang into a failure).
    let (status, _) = actix_web::rt::time::timeout(
        Duration::from_secs(30),
        status_and_body(&app, sample("State.StateChange")),
    )
    .await
    .expect("a store that never answers hung the request");
    assert_eq!(status, StatusCode::OK);
    assert_eq!(calls.get(), 3);
    // Back up: suppression works again.
    store.slow.store(false, Ordering::SeqCst);
    status_and_body(&app, sample("Group.CallbackAfterGroupFull")).await;
    status_and_body(&app, sample("Group.CallbackAfterGroupFull")).await;
    assert_eq!(calls.get(), 4);
}

#[actix_web::test]
async fn a_failing_store_can_be_told_to_answer_503() {
    let store = FlakyStore::default();
    store.down.store(true, Ordering::SeqCst);
    let calls = Counter::new();
    let config = CallbackConfig::new(APP_ID)
        .token(TOKEN)
        .dedup(Dedup::new(store).on_store_failure(StoreFailure::Reject));
    let app = app(config, calls.clone(), behaving(Behaviour::Ack)).await;
    let (status, body) = status_and_body(&app, sample("State.StateChange")).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert_fail_body(body.as_bytes(), 50301);
    assert_eq!(calls.get(), 0);
}

#[actix_web::test]
async fn a_typed_extractor_deduplicates_too() {
    let calls = Counter::new();
    let seen = calls.clone();
    let app = init_service(
        App::new().service(
            web::scope(PATH)
                .wrap(TimCallback::new(deduplicating()))
                .route(
                    "",
                    web::post().to(move |_: Callback<c2c::AfterSendMsg>| {
                        let seen = seen.clone();
                        async move {
                            seen.hit();
                            Ack
                        }
                    }),
                ),
        ),
    )
    .await;
    for _ in 0..2 {
        let (status, _) = status_and_body(&app, sample("C2C.CallbackAfterSendMsg")).await;
        assert_eq!(status, StatusCode::OK);
    }
    assert_eq!(calls.get(), 1);
}

#[actix_web::test]
async fn a_handler_close_to_the_deadline_is_warned_about() {
    captured_warnings();
    let slow_warnings = || {
        captured_warnings()
            .lock()
            .unwrap()
            .iter()
            .filter(|line| line.contains("Alert.RequestOverLimit took"))
            .count()
    };
    let config = CallbackConfig::new(APP_ID)
        .token(TOKEN)
        .slow_handler_warning(Duration::from_millis(500));
    // Past the threshold by sleeping (at least that long on any machine); the quick
    // handler below returns at once, far under half a second even on a loaded machine.
    let behaviour = behaving(Behaviour::Sleep(Duration::from_millis(600)));
    let app = app(config, Counter::new(), behaviour.clone()).await;
    status_and_body(&app, sample("Alert.RequestOverLimit")).await;
    assert_eq!(slow_warnings(), 1);
    *behaviour.lock().unwrap() = Behaviour::Ack;
    status_and_body(&app, sample("Alert.RequestOverLimit")).await;
    assert_eq!(slow_warnings(), 1, "a quick handler is not warned about");
}
