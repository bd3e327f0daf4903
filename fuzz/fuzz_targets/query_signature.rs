//! The query/signature checks: any query string (and any body) through the middleware.
//!
//! Input: the query bytes, then `\n`, then the body. Bytes that may not stand in a URI are
//! percent-encoded; `&`, `=`, `%` and `+` keep their meaning. A first byte `S` appends a
//! correct `RequestTime`/`Sign` for now, so that the fuzzer also explores the requests
//! that pass the signature check.
//!
//! - nothing panics, nothing answers 5xx, every reply is the JSON envelope;
//! - the handler runs only when the app id and the signature are valid, judged here with
//!   `form_urlencoded` and `sha2`, independently of the crate;
//! - an invalid app id is 403, a valid app id with an invalid signature 401.

#![no_main]

use std::{
    cell::Cell,
    rc::Rc,
    time::{SystemTime, UNIX_EPOCH},
};

use actix_tim_callback::{command, model::group, Ack, Callback, CallbackConfig, TimCallback};
use actix_web::{
    http::Uri,
    test::{call_service, init_service, read_body, TestRequest},
    web, App,
};
use libfuzzer_sys::fuzz_target;
use serde_json::Value;
use sha2::{Digest, Sha256};

const APP_ID: u64 = 1_400_000_000;
const TOKEN: &str = "fuzz-token";
const COMMAND: &str = "Group.CallbackSendMsgException";

type Harness = Box<dyn Fn(&str, Vec<u8>) -> (u16, Vec<u8>, usize)>;

thread_local! {
    // Leaked on purpose: dropped during thread-local destruction at exit, the app would
    // touch actix-http's own thread-local pools, already gone.
    static HARNESS: &'static Harness = Box::leak(Box::new(harness()));
}

fn harness() -> Harness {
    let system = actix_web::rt::System::new();
    let calls: Rc<Cell<usize>> = Rc::default();
    let app = {
        let calls = calls.clone();
        system.block_on(init_service(
            App::new().service(
                web::scope("/cb")
                    .wrap(TimCallback::new(CallbackConfig::new(APP_ID).token(TOKEN)))
                    .route(
                        "",
                        web::post().guard(command::<group::SendMsgException>()).to(
                            move |_: Callback<group::SendMsgException>| {
                                calls.set(calls.get() + 1);
                                async { Ack }
                            },
                        ),
                    ),
            ),
        ))
    };
    Box::new(move |uri, body| {
        let before = calls.get();
        let (status, reply) = system.block_on(async {
            let req = TestRequest::post().uri(uri).set_payload(body).to_request();
            let res = call_service(&app, req).await;
            (res.status().as_u16(), read_body(res).await.to_vec())
        });
        (status, reply, calls.get() - before)
    })
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

fn reference_sign(time: &str) -> String {
    Sha256::digest(format!("{TOKEN}{time}").as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// (app id valid, signature valid, command ours), read independently of the crate.
fn judge(query: &str, now: u64) -> (bool, bool, bool) {
    let (mut ids, mut times, mut signs, mut commands) = (vec![], vec![], vec![], vec![]);
    for (name, value) in form_urlencoded::parse(query.as_bytes()) {
        let value = value.into_owned();
        match name.to_ascii_lowercase().as_str() {
            "sdkappid" => ids.push(value),
            "requesttime" => times.push(value),
            "sign" => signs.push(value),
            "callbackcommand" => commands.push(value),
            _ => {}
        }
    }
    let single = |v: &[String]| v.first().filter(|f| v.iter().all(|x| x == *f)).cloned();
    let digits = |v: &str| {
        (!v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()))
            .then(|| v.parse::<u64>().ok())
            .flatten()
    };
    let app_id = single(&ids).and_then(|v| digits(&v)) == Some(APP_ID);
    let signature = match (single(&times), single(&signs)) {
        (Some(t), Some(s)) => {
            digits(&t).is_some_and(|t| t.abs_diff(now) <= 60) && s == reference_sign(&t)
        }
        _ => false,
    };
    let command = single(&commands).as_deref() == Some(COMMAND);
    (app_id, signature, command)
}

fn encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    for &b in bytes {
        if b.is_ascii_alphanumeric() || b"&=%+-._~".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fuzz_target!(|data: &[u8]| {
    let (query, body) = match data.iter().position(|&b| b == b'\n') {
        Some(at) => (&data[..at], &data[at + 1..]),
        None => (data, &[][..]),
    };
    let mut query = encode(query);
    let now = now();
    if query.starts_with('S') {
        let t = now.to_string();
        query.push_str(&format!("&RequestTime={t}&Sign={}", reference_sign(&t)));
    }
    let uri = format!("/cb?{query}");
    if Uri::try_from(uri.as_str()).is_err() {
        return;
    }
    let (app_id, signature, command) = judge(&query, now);
    let (status, reply, calls) = HARNESS.with(|call| call(&uri, body.to_vec()));

    let reply: Value = serde_json::from_slice(&reply).expect("every reply is JSON");
    assert!(status < 500, "status {status}: {reply}");
    assert!(reply["ActionStatus"] == "OK" || reply["ActionStatus"] == "FAIL");
    if !app_id {
        assert_eq!(status, 403, "{query}: {reply}");
    } else if !signature {
        assert_eq!(status, 401, "{query}: {reply}");
    }
    if calls > 0 {
        assert!(app_id && signature && command, "handler reached: {query}");
        assert_eq!(calls, 1);
        assert_eq!(status, 200);
    }
    if app_id && signature && command {
        let decodes = serde_json::from_slice::<group::SendMsgException>(body).is_ok();
        assert_eq!(calls, usize::from(decodes), "{query}: {reply}");
    }
});
