//! Fail-safe behaviour over a real HTTP connection: a handler (or an extractor) that
//! returns an error or panics yields a `FAIL` reply with the right status, never OK, and
//! the one worker goes on serving the next callback on the same thread.

use std::{
    future::{ready, Ready},
    sync::{Arc, Mutex},
    thread::ThreadId,
};

use crate::common::{net::*, *};
use actix_tim_callback::{command, model::group, Callback, CallbackConfig, TimCallback};
use actix_web::{dev::Payload, web, FromRequest, HttpRequest, HttpResponse};
use serde_json::{json, Value};

/// The worker threads that ran a handler.
type Threads = Arc<Mutex<Vec<ThreadId>>>;

/// An extractor that panics when the query has `boom`.
struct Boom;

impl FromRequest for Boom {
    type Error = actix_web::Error;
    type Future = Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        if req.query_string().contains("boom") {
            panic!("extractor bug");
        }
        ready(Ok(Boom))
    }
}

/// Fails in the way the sender's account says.
async fn handler(
    cb: Callback<group::SendMsgException>,
    _: Boom,
    threads: web::Data<Threads>,
) -> actix_web::Result<HttpResponse> {
    threads.lock().unwrap().push(std::thread::current().id());
    match cb.from_account.as_str() {
        "panic" => panic!("handler bug"),
        "error" => Err(actix_web::error::ErrorInternalServerError("database down")),
        "bad-request" => Err(actix_web::error::ErrorBadRequest("nope")),
        // An empty error status of its own: a FAIL body is written for it.
        "unavailable" => Ok(HttpResponse::ServiceUnavailable().finish()),
        _ => Ok(HttpResponse::Ok().finish()),
    }
}

fn configure(threads: Threads) -> impl Fn(&mut web::ServiceConfig) + Send + Clone + 'static {
    move |cfg: &mut web::ServiceConfig| {
        cfg.app_data(web::Data::new(threads.clone())).service(
            web::scope(PATH)
                .wrap(TimCallback::new(CallbackConfig::new(APP_ID).token(TOKEN)))
                .route(
                    "",
                    web::post()
                        .guard(command::<group::SendMsgException>())
                        .to(handler),
                ),
        );
    }
}

fn callback(server: &TestServer, from: &str, extra: &str) -> RawResponse {
    let mut body: Value = serde_json::from_str(SEED).expect("seed");
    body["From_Account"] = json!(from);
    let uri = exception_uri(&format!("&{}{extra}", signed_query(TOKEN, now_secs())));
    let request = request_bytes("POST", &uri, &[], body.to_string().as_bytes());
    exchange(server.addr(), &request, false).expect("exchange")
}

#[test]
fn failing_and_panicking_handlers_get_fail_replies_and_the_worker_keeps_serving() {
    let threads: Threads = Arc::default();
    let server = TestServer::start(1, configure(threads.clone()));

    let res = callback(&server, "jared", "");
    assert_eq!(res.status, 200, "{}", res.text());
    assert_eq!(res.text(), OK_JSON);
    let worker = threads.lock().unwrap()[0];

    let failures = [
        ("panic", "", 500, 50002),
        ("error", "", 500, 50099),
        ("unavailable", "", 503, 50399),
        ("bad-request", "", 400, 40099),
        ("jared", "&boom=1", 500, 50002),
    ];
    for round in 0..10 {
        for (from, extra, status, code) in failures {
            let res = callback(&server, from, extra);
            assert_eq!(
                res.status,
                status,
                "round {round}, {from}{extra}: {}",
                res.text()
            );
            assert_eq!(
                res.header("content-type"),
                Some("application/json"),
                "{from}{extra}"
            );
            let info = assert_fail_body(&res.body, code);
            assert!(
                !info.contains("database down"),
                "internal detail leaked: {info}"
            );

            let res = callback(&server, "jared", "");
            assert_eq!(res.status, 200, "after {from}{extra}: {}", res.text());
            assert_eq!(res.text(), OK_JSON);
        }
    }
    // The one worker handled everything on the same thread: no panic killed it.
    let threads = threads.lock().unwrap();
    assert!(
        threads.iter().all(|t| *t == worker),
        "a worker was replaced"
    );
    assert_eq!(threads.len(), 1 + 10 * 4 * 2 + 10, "handler runs");
}

/// A panic keeps the connection usable for the reply, and a keep-alive connection goes on
/// with the next request.
#[test]
fn a_panic_is_answered_on_a_keep_alive_connection_that_stays_usable() {
    use std::io::Write;

    let threads: Threads = Arc::default();
    let server = TestServer::start(1, configure(threads.clone()));
    let mut stream = connect(server.addr()).expect("connect");
    for from in ["panic", "jared", "panic", "jared"] {
        let mut body: Value = serde_json::from_str(SEED).expect("seed");
        body["From_Account"] = json!(from);
        let uri = exception_uri(&format!("&{}", signed_query(TOKEN, now_secs())));
        let request = request_bytes("POST", &uri, &[], body.to_string().as_bytes());
        stream.write_all(&request).expect("send");
        let res = read_response(&mut stream, false).expect("reply on the same connection");
        if from == "panic" {
            assert_eq!(res.status, 500);
            assert_fail_body(&res.body, 50002);
        } else {
            assert_eq!(res.status, 200);
            assert_eq!(res.text(), OK_JSON);
        }
    }
}
