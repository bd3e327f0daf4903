//! The bad-input matrix: hostile or broken requests to the public callback URL.
//!
//! Every case of [`cases`] is sent twice: through the in-process actix-web service
//! (`actix_web::test`) and as raw HTTP/1.1 bytes to a real `HttpServer` on loopback. Each
//! asserts the exact status, the exact `FAIL` JSON reply (`ActionStatus`, `ErrorCode`, a
//! non-empty `ErrorInfo`, nothing else), `Content-Type: application/json`, that the handler
//! was not invoked, and that the next valid callback is still served and counted once.
//! (Over the wire a `HEAD` reply has no body; its `FAIL` body is checked in process.)

use std::net::Shutdown;

use crate::common::{net::*, *};
use actix_tim_callback::{
    command, model::group, Ack, Callback, CallbackConfig, TimCallback, UnhandledCommands,
};
use actix_web::{
    dev::Payload,
    error::PayloadError,
    http::{header, Method},
    test::{call_service, init_service, read_body, TestRequest},
    web::{self, Bytes},
    App,
};
use serde_json::{json, Value};

/// The body limit of the app under test: small, so over-limit cases stay cheap.
const LIMIT: usize = 64 * 1024;

/// `1400000001`: an app id that is not ours.
const FOREIGN: u64 = APP_ID + 1;

// ---------------------------------------------------------------------------------------
// The app under test
// ---------------------------------------------------------------------------------------

fn config() -> CallbackConfig {
    CallbackConfig::new(APP_ID)
        .token(TOKEN)
        .body_limit(LIMIT)
        .unhandled_commands(UnhandledCommands::Reject)
}

/// The callback scope, counting handler invocations in `calls`.
fn configure(calls: Counter) -> impl Fn(&mut web::ServiceConfig) + Send + Clone + 'static {
    move |cfg: &mut web::ServiceConfig| {
        let calls = calls.clone();
        cfg.service(web::scope(PATH).wrap(TimCallback::new(config())).route(
            "",
            web::post().guard(command::<group::SendMsgException>()).to(
                move |cb: Callback<group::SendMsgException>| {
                    let calls = calls.clone();
                    async move {
                        assert_eq!(cb.meta.sdk_app_id, APP_ID);
                        calls.hit();
                        Ack
                    }
                },
            ),
        ));
    }
}

// ---------------------------------------------------------------------------------------
// The cases
// ---------------------------------------------------------------------------------------

/// How the body goes on the wire.
#[derive(Debug, Clone)]
enum Body {
    /// With `Content-Length`.
    Sized(Vec<u8>),
    /// Chunked transfer encoding over TCP; a stream without `Content-Length` in process.
    Chunked(Vec<u8>),
    /// `Content-Length: n` declared, only these bytes sent.
    Declared(u64, Vec<u8>),
    /// These bytes, then the connection's write side closes (TCP) or the stream fails
    /// (in process) before the declared length.
    Broken(Vec<u8>),
}

#[derive(Debug, Clone)]
struct Case {
    name: String,
    method: &'static str,
    /// The query string, already percent-encoded; `None`: no `?` at all.
    query: Option<String>,
    headers: Vec<(&'static str, String)>,
    body: Body,
    status: u16,
    code: u64,
}

fn sign_of(time: &str) -> String {
    actix_tim_callback::sign(TOKEN, time)
}

/// The query Tencent sends, signed for `now`, with `SdkAppid` given as `app_id` (raw).
fn query_with_app_id(app_id: &str, now: u64) -> String {
    format!(
        "{app_id}&CallbackCommand={SEND_MSG_EXCEPTION}&contenttype=json&ClientIP=203.0.113.7&OptPlatform=RESTAPI&RequestTime={now}&Sign={}",
        sign_of(&now.to_string())
    )
}

/// A valid query except for the signature parameters, which are `sig` (raw).
fn query_with_sig(sig: &str) -> String {
    format!(
        "SdkAppid={APP_ID}&CallbackCommand={SEND_MSG_EXCEPTION}&contenttype=json&ClientIP=203.0.113.7&OptPlatform=RESTAPI{sig}"
    )
}

/// A fully valid, signed query.
fn valid_query(now: u64) -> String {
    query_with_sig(&format!(
        "&RequestTime={now}&Sign={}",
        sign_of(&now.to_string())
    ))
}

fn seed() -> Value {
    serde_json::from_str(SEED).expect("seed is JSON")
}

fn with(field: &str, value: Value) -> Vec<u8> {
    let mut body = seed();
    body[field] = value;
    body.to_string().into_bytes()
}

fn with_element(content: Value) -> Vec<u8> {
    let mut body = seed();
    body["MsgBody"] = json!([content]);
    body.to_string().into_bytes()
}

/// The seed, padded with an unknown string field to `size` bytes.
fn seed_of_size(size: usize) -> Vec<u8> {
    let mut body = seed();
    body["Padding"] = json!("");
    let base = body.to_string().len();
    body["Padding"] = json!("x".repeat(size - base));
    let bytes = body.to_string().into_bytes();
    assert_eq!(bytes.len(), size);
    bytes
}

/// `depth` nested arrays around `0`.
fn nested_arrays(depth: usize) -> String {
    format!("{}0{}", "[".repeat(depth), "]".repeat(depth))
}

/// Every hostile or broken request, signed (where it is signed) for `now`.
fn cases(now: u64) -> Vec<Case> {
    let t = now.to_string();
    let sign = sign_of(&t);
    let mut cases = Vec::new();
    let mut add = |name: &str,
                   method: &'static str,
                   query: Option<String>,
                   body: Body,
                   status: u16,
                   code: u64| {
        cases.push(Case {
            name: name.to_owned(),
            method,
            query,
            headers: Vec::new(),
            body,
            status,
            code,
        });
    };
    let seed_body = || Body::Sized(SEED.as_bytes().to_vec());
    let valid = || Some(valid_query(now));

    // -- method --------------------------------------------------------------------------
    for method in ["GET", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD", "post"] {
        add(
            &format!("method {method}"),
            method,
            valid(),
            if method == "HEAD" || method == "GET" {
                Body::Sized(Vec::new())
            } else {
                seed_body()
            },
            405,
            40501,
        );
    }

    // -- SdkAppid --------------------------------------------------------------------------
    let app = |q: &str| Some(query_with_app_id(q, now));
    add("no query string", "POST", None, seed_body(), 403, 40301);
    add(
        "empty query string",
        "POST",
        Some(String::new()),
        seed_body(),
        403,
        40301,
    );
    add(
        "SdkAppid absent",
        "POST",
        app("contenttype=json"),
        seed_body(),
        403,
        40301,
    );
    add(
        "SdkAppid[] is another name",
        "POST",
        app(&format!("SdkAppid%5B%5D={APP_ID}")),
        seed_body(),
        403,
        40301,
    );
    add(
        "name with a trailing space",
        "POST",
        app(&format!("SdkAppid%20={APP_ID}")),
        seed_body(),
        403,
        40301,
    );
    for (name, value) in [
        ("SdkAppid empty", "SdkAppid=".to_owned()),
        ("SdkAppid without =", "SdkAppid".to_owned()),
        ("SdkAppid letters", "SdkAppid=abc".to_owned()),
        ("SdkAppid negative", format!("SdkAppid=-{APP_ID}")),
        ("SdkAppid %2B sign", format!("SdkAppid=%2B{APP_ID}")),
        ("SdkAppid + (a space)", format!("SdkAppid=+{APP_ID}")),
        ("SdkAppid trailing NUL", format!("SdkAppid={APP_ID}%00")),
        ("SdkAppid trailing newline", format!("SdkAppid={APP_ID}%0A")),
        ("SdkAppid float", "SdkAppid=1.4e9".to_owned()),
        ("SdkAppid hex", "SdkAppid=0x5371D980".to_owned()),
        (
            "SdkAppid u64 overflow",
            "SdkAppid=18446744073709551616".to_owned(),
        ),
        ("SdkAppid 40 digits", format!("SdkAppid={}", "9".repeat(40))),
        (
            "SdkAppid repeated, different",
            format!("SdkAppid={APP_ID}&SdkAppid={FOREIGN}"),
        ),
        (
            "SdkAppid repeated in another case",
            format!("SdkAppid={APP_ID}&sdkappid={FOREIGN}"),
        ),
        (
            "SdkAppid foreign then ours in capitals",
            format!("SdkAppid={FOREIGN}&SDKAPPID={APP_ID}"),
        ),
        (
            "SdkAppid percent-encoded name smuggles a second id",
            format!("Sdk%41ppid={FOREIGN}&SdkAppid={APP_ID}"),
        ),
        (
            "SdkAppid with an encoded &SdkAppid= inside",
            format!("SdkAppid={APP_ID}%26SdkAppid%3D{FOREIGN}"),
        ),
        (
            "SdkAppid full-width digits",
            "SdkAppid=%EF%BC%91%EF%BC%94%EF%BC%90%EF%BC%90".to_owned(),
        ),
        ("SdkAppid invalid UTF-8", "SdkAppid=%FF%FE".to_owned()),
        ("SdkAppid with ;", format!("SdkAppid={APP_ID};")),
        (
            "SdkAppid double-encoded digits",
            "SdkAppid=%2531400000000".to_owned(),
        ),
    ] {
        add(name, "POST", app(&value), seed_body(), 403, 40302);
    }
    for (name, value) in [
        ("foreign SdkAppid", format!("SdkAppid={FOREIGN}")),
        ("SdkAppid 0", "SdkAppid=0".to_owned()),
        ("SdkAppid u64::MAX", format!("SdkAppid={}", u64::MAX)),
        ("SdkAppid one digit more", format!("SdkAppid={APP_ID}0")),
        (
            "foreign SdkAppid in capitals",
            format!("SDKAPPID={FOREIGN}"),
        ),
        (
            "foreign SdkAppid, percent-encoded name",
            format!("Sdk%41ppid={FOREIGN}"),
        ),
        (
            "foreign SdkAppid, percent-encoded digits",
            "SdkAppid=%31%34%30%30%30%30%30%30%30%31".to_owned(),
        ),
    ] {
        add(name, "POST", app(&value), seed_body(), 403, 40303);
    }

    // -- RequestTime and Sign ----------------------------------------------------------------
    let sig = |q: String| Some(query_with_sig(&q));
    for (name, q) in [
        ("no RequestTime nor Sign", String::new()),
        ("Sign without RequestTime", format!("&Sign={sign}")),
        ("RequestTime without Sign", format!("&RequestTime={t}")),
        (
            "Sign in another parameter name",
            format!("&RequestTime={t}&Signature={sign}"),
        ),
    ] {
        add(name, "POST", sig(q), seed_body(), 401, 40101);
    }
    for (name, q) in [
        (
            "RequestTime empty",
            format!("&RequestTime=&Sign={}", sign_of("")),
        ),
        (
            "RequestTime letters",
            format!("&RequestTime=abc&Sign={}", sign_of("abc")),
        ),
        (
            "RequestTime negative",
            format!("&RequestTime=-{t}&Sign={}", sign_of(&format!("-{t}"))),
        ),
        (
            "RequestTime with a fraction",
            format!("&RequestTime={t}.0&Sign={}", sign_of(&format!("{t}.0"))),
        ),
        (
            "RequestTime %2B sign",
            format!("&RequestTime=%2B{t}&Sign={}", sign_of(&format!("+{t}"))),
        ),
        (
            "RequestTime u64 overflow",
            format!(
                "&RequestTime=18446744073709551616&Sign={}",
                sign_of("18446744073709551616")
            ),
        ),
        (
            "RequestTime repeated, different",
            format!("&RequestTime={t}&RequestTime={}&Sign={sign}", now - 1),
        ),
    ] {
        add(name, "POST", sig(q), seed_body(), 401, 40102);
    }
    add(
        "Sign repeated, different",
        "POST",
        sig(format!(
            "&RequestTime={t}&Sign={sign}&sign={}",
            sign_of(&(now - 1).to_string())
        )),
        seed_body(),
        401,
        40105,
    );
    let signed_at = |time: String| format!("&RequestTime={time}&Sign={}", sign_of(&time));
    for (name, q) in [
        (
            "RequestTime an hour old",
            signed_at((now - 3600).to_string()),
        ),
        (
            "RequestTime just outside the window",
            signed_at((now - 61).to_string()),
        ),
        (
            "RequestTime two minutes ahead",
            signed_at((now + 120).to_string()),
        ),
        ("RequestTime 0", signed_at("0".to_owned())),
        ("RequestTime u64::MAX", signed_at(u64::MAX.to_string())),
        (
            "RequestTime in milliseconds",
            signed_at((now * 1000).to_string()),
        ),
    ] {
        add(name, "POST", sig(q), seed_body(), 401, 40103);
    }
    let mut flipped = sign.clone().into_bytes();
    flipped[10] = if flipped[10] == b'0' { b'1' } else { b'0' };
    let flipped = String::from_utf8(flipped).expect("hex");
    let wrong = |s: String| format!("&RequestTime={t}&Sign={s}");
    for (name, q) in [
        ("Sign empty", wrong(String::new())),
        ("Sign 63 characters", wrong(sign[..63].to_owned())),
        ("Sign 65 characters", wrong(format!("{sign}0"))),
        ("Sign 128 characters", wrong(sign.repeat(2))),
        ("Sign in uppercase", wrong(sign.to_uppercase())),
        ("Sign not hex", wrong("g".repeat(64))),
        ("Sign all zeros", wrong("0".repeat(64))),
        ("Sign one digit changed", wrong(flipped)),
        (
            "Sign of the previous second",
            wrong(sign_of(&(now - 1).to_string())),
        ),
        (
            "Sign made with another token",
            wrong(actix_tim_callback::sign("another-token", &t)),
        ),
        (
            "Sign of time + token (reversed)",
            wrong(actix_tim_callback::sign(&t, TOKEN)),
        ),
        ("Sign of the token alone", wrong(sign_of(""))),
        (
            "Tencent's documented Sign",
            wrong("17773bc39a671d7b9aa835458704d2a6db81360a5940292b587d6d760d484061".to_owned()),
        ),
        ("Sign with a trailing space", wrong(format!("{sign}%20"))),
        ("Sign with a trailing NUL", wrong(format!("{sign}%00"))),
        (
            "RequestTime with a leading zero, Sign of the time without",
            format!("&RequestTime=0{t}&Sign={sign}"),
        ),
        (
            "Sign of 64 multibyte characters",
            wrong("%C3%A9".repeat(32)),
        ),
    ] {
        add(name, "POST", sig(q), seed_body(), 401, 40104);
    }

    // -- CallbackCommand (malformed: 400; no route: the app rejects unhandled commands) ------
    let signed = format!("&RequestTime={t}&Sign={sign}");
    let without_command = SEED.replace(
        "\"CallbackCommand\": \"Group.CallbackSendMsgException\",",
        "",
    );
    assert!(!without_command.contains("CallbackCommand"));
    add(
        "CallbackCommand absent, and not in the body",
        "POST",
        Some(format!("SdkAppid={APP_ID}{signed}")),
        Body::Sized(without_command.into_bytes()),
        400,
        40005,
    );
    for (name, q) in [
        (
            "CallbackCommand repeated, different",
            format!(
                "SdkAppid={APP_ID}&CallbackCommand={SEND_MSG_EXCEPTION}&CallbackCommand=State.StateChange{signed}"
            ),
        ),
        (
            "CallbackCommand empty",
            format!("SdkAppid={APP_ID}&CallbackCommand={signed}"),
        ),
    ] {
        add(name, "POST", Some(q), seed_body(), 400, 40004);
    }
    for (name, q) in [
        (
            "CallbackCommand of another callback",
            format!("SdkAppid={APP_ID}&CallbackCommand=Group.CallbackAfterSendMsg{signed}"),
        ),
        (
            "CallbackCommand in lowercase",
            format!("SdkAppid={APP_ID}&CallbackCommand=group.callbacksendmsgexception{signed}"),
        ),
    ] {
        // With the seed's body, the request contradicts itself; without its command, it is
        // a command no route handles.
        add(
            &format!("{name}, the body naming the seed's"),
            "POST",
            Some(q.clone()),
            seed_body(),
            400,
            40006,
        );
        add(
            name,
            "POST",
            Some(q),
            Body::Sized(crate::common::seed_without_command().into_bytes()),
            404,
            40401,
        );
    }

    // -- body --------------------------------------------------------------------------------
    let half = SEED.len() / 2;
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend(SEED.encode_utf16().flat_map(u16::to_le_bytes));
    let mut bom = b"\xEF\xBB\xBF".to_vec();
    bom.extend_from_slice(SEED.as_bytes());
    let mut invalid_utf8 = SEED.as_bytes().to_vec();
    let jared = SEED.find("jared").expect("seed names jared");
    invalid_utf8[jared] = 0xFF;
    let mut raw_control = SEED.as_bytes().to_vec();
    raw_control[jared] = 0x01;
    let deep_content = {
        let mut body = seed();
        body["MsgBody"] = json!([{"MsgType": "TIMNewElem", "MsgContent": 0}]);
        body.to_string().replace(
            "\"MsgContent\":0",
            &format!("\"MsgContent\":{}", nested_arrays(10_000)),
        )
    };
    let deep_relay = {
        let mut element = json!({"MsgType": "TIMTextElem", "MsgContent": {"Text": "x"}});
        for _ in 0..200 {
            element = json!({"MsgType": "TIMRelayElem", "MsgContent": {"MsgList": [{"MsgBody": [element]}]}});
        }
        let mut body = seed();
        body["MsgBody"] = json!([element]);
        body.to_string()
    };
    for (name, body) in [
        ("empty body", Vec::new()),
        ("truncated JSON", SEED.as_bytes()[..half].to_vec()),
        ("not JSON", b"hello, callback".to_vec()),
        ("form-encoded body", b"GroupId=%40TGS%23x&ErrorCode=1".to_vec()),
        ("XML body", b"<GroupId>x</GroupId>".to_vec()),
        ("JSON null", b"null".to_vec()),
        ("JSON array", b"[]".to_vec()),
        ("JSON number", b"42".to_vec()),
        ("JSON string", b"\"Group.CallbackSendMsgException\"".to_vec()),
        ("empty JSON object", b"{}".to_vec()),
        ("NUL bytes", vec![0; 64]),
        ("GroupId a number", with("GroupId", json!(42))),
        ("GroupId null", with("GroupId", Value::Null)),
        ("Random a string", with("Random", json!("123456"))),
        ("Random negative", with("Random", json!(-1))),
        ("Random above u32", with("Random", json!(4_294_967_296_u64))),
        ("Random a float", with("Random", json!(1.5))),
        ("ErrorCode a string", with("ErrorCode", json!("10023"))),
        ("MsgBody an object", with("MsgBody", json!({"MsgType": "TIMTextElem"}))),
        ("MsgBody a string", with("MsgBody", json!("red packet"))),
        ("EventTime letters", with("EventTime", json!("soon"))),
        ("EventTime negative", with("EventTime", json!(-1))),
        ("EventTime a float", with("EventTime", json!(1.5))),
        ("Type a number", with("Type", json!(1))),
        ("OnlineOnlyFlag a string", with("OnlineOnlyFlag", json!("1"))),
        (
            "MsgType a number",
            with_element(json!({"MsgType": 1, "MsgContent": {}})),
        ),
        (
            "MsgType twice",
            br#"{"GroupId":"g","Type":"Public","From_Account":"a","ErrorCode":1,"MsgBody":[{"MsgType":"TIMTextElem","MsgType":"TIMFaceElem"}]}"#.to_vec(),
        ),
        ("invalid UTF-8 in a string", invalid_utf8),
        ("raw control character in a string", raw_control),
        (
            "lone surrogate escape",
            SEED.replacen("jared", "\\ud800", 1).into_bytes(),
        ),
        ("UTF-8 byte order mark", bom),
        ("UTF-16 body", utf16),
        (
            "duplicate GroupId",
            SEED.replacen("\"GroupId\"", "\"GroupId\": \"@TGS#other\", \"GroupId\"", 1)
                .into_bytes(),
        ),
        ("trailing garbage", format!("{SEED} trailing").into_bytes()),
        ("two JSON documents", format!("{SEED}{SEED}").into_bytes()),
        (
            "number literal out of range",
            SEED.replacen("123456", "1e400", 1).into_bytes(),
        ),
        (
            "nesting deeper than serde_json's limit in an unknown element",
            deep_content.into_bytes(),
        ),
        (
            "200 nested forwarded messages",
            deep_relay.into_bytes(),
        ),
        (
            "nesting deeper than serde_json's limit at the top",
            nested_arrays(10_000).into_bytes(),
        ),
    ] {
        add(name, "POST", valid(), Body::Sized(body), 400, 40002);
    }
    add(
        "gzip Content-Encoding is not decoded",
        "POST",
        valid(),
        Body::Sized(b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03garbage".to_vec()),
        400,
        40002,
    );
    if let Some(case) = cases.last_mut() {
        case.headers.push(("Content-Encoding", "gzip".to_owned()));
    }
    let mut add = |name: &str, body: Body, status: u16, code: u64| {
        cases.push(Case {
            name: name.to_owned(),
            method: "POST",
            query: Some(valid_query(now)),
            headers: Vec::new(),
            body,
            status,
            code,
        });
    };
    add(
        "body one byte over the limit, with Content-Length",
        Body::Sized(seed_of_size(LIMIT + 1)),
        413,
        41301,
    );
    add(
        "body of 4 times the limit, with Content-Length",
        Body::Sized(seed_of_size(4 * LIMIT)),
        413,
        41301,
    );
    add(
        "body one byte over the limit, chunked",
        Body::Chunked(seed_of_size(LIMIT + 1)),
        413,
        41301,
    );
    add(
        "body of 4 times the limit, chunked",
        Body::Chunked(seed_of_size(4 * LIMIT)),
        413,
        41301,
    );
    add(
        "1 GiB declared, 1 KiB sent",
        Body::Declared(1 << 30, vec![b' '; 1024]),
        413,
        41301,
    );
    add(
        "u64::MAX declared",
        Body::Declared(u64::MAX, vec![b' '; 16]),
        413,
        41301,
    );
    add(
        "body cut off before its declared length",
        Body::Broken(SEED.as_bytes()[..half].to_vec()),
        400,
        40001,
    );
    add(
        "chunked body that is not JSON",
        Body::Chunked(b"not json at all".to_vec()),
        400,
        40002,
    );
    cases
}

/// Case `i`, signed for the current second: the list is rebuilt when the clock moves on,
/// so that signed cases stay inside the replay window however slow the machine is.
fn signed_now(cache: &mut Option<(u64, Vec<Case>)>, i: usize) -> Case {
    let now = now_secs();
    match cache {
        Some((at, cases)) if *at == now => cases[i].clone(),
        _ => {
            let fresh = cases(now);
            let case = fresh[i].clone();
            *cache = Some((now, fresh));
            case
        }
    }
}

// ---------------------------------------------------------------------------------------
// In process
// ---------------------------------------------------------------------------------------

/// A payload that yields `bytes` and then fails as a connection closed mid-body does.
fn broken_payload(bytes: Vec<u8>) -> Payload {
    let items: Vec<Result<Bytes, PayloadError>> =
        vec![Ok(Bytes::from(bytes)), Err(PayloadError::Incomplete(None))];
    let stream: std::pin::Pin<Box<dyn futures_util::Stream<Item = Result<Bytes, PayloadError>>>> =
        Box::pin(futures_util::stream::iter(items));
    Payload::from(stream)
}

/// The request of `case` for the in-process service, and the payload to put in it when the
/// body is not a plain sized one.
fn in_process_request(case: &Case) -> (TestRequest, Option<Payload>) {
    let method = Method::from_bytes(case.method.as_bytes()).expect("method token");
    let uri = match &case.query {
        Some(query) => format!("{PATH}?{query}"),
        None => PATH.to_owned(),
    };
    let mut req = TestRequest::default().method(method).uri(&uri);
    for (name, value) in &case.headers {
        req = req.insert_header((*name, value.as_str()));
    }
    let polls = Counter::new();
    match &case.body {
        Body::Sized(body) => (req.set_payload(body.clone()), None),
        Body::Chunked(body) => {
            let chunks: Vec<Bytes> = body.chunks(1000).map(Bytes::copy_from_slice).collect();
            (req, Some(counting_payload(chunks, &polls)))
        }
        Body::Declared(length, body) => (
            req.insert_header((header::CONTENT_LENGTH, length.to_string())),
            Some(counting_payload([Bytes::from(body.clone())], &polls)),
        ),
        Body::Broken(body) => (
            req.insert_header((header::CONTENT_LENGTH, (body.len() + 100).to_string())),
            Some(broken_payload(body.clone())),
        ),
    }
}

#[actix_web::test]
async fn every_bad_request_is_rejected_in_process_and_the_app_keeps_serving() {
    let calls = Counter::new();
    let app = init_service(App::new().configure(configure(calls.clone()))).await;
    let mut cache = None;
    let count = cases(now_secs()).len();
    let mut failures = Vec::new();

    for i in 0..count {
        let case = signed_now(&mut cache, i);
        let before = calls.get();
        let (req, payload) = in_process_request(&case);
        let req = match payload {
            Some(payload) => req.to_request().replace_payload(payload).0,
            None => req.to_request(),
        };
        let res = call_service(&app, req).await;
        let status = res.status();
        let content_type = res
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let allow = res
            .headers()
            .get(header::ALLOW)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let body = read_body(res).await;
        let outcome = check_fail(
            &case,
            Read::InProcess,
            status.as_u16(),
            content_type.as_deref(),
            allow.as_deref(),
            &body,
        );
        if let Err(why) = outcome {
            failures.push(format!("{}: {why}", case.name));
        }
        if calls.get() != before {
            failures.push(format!("{}: the handler was invoked", case.name));
        }

        // The next valid callback is served, and counted once.
        let res = call_service(
            &app,
            TestRequest::post()
                .uri(&format!("{PATH}?{}", valid_query(now_secs())))
                .set_payload(SEED)
                .to_request(),
        )
        .await;
        assert_ok(res).await;
        assert_eq!(calls.get(), before + 1, "after {}", case.name);
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert_eq!(calls.get(), count, "only the valid callbacks were handled");
}

/// How a reply was read: in process the body of every reply is there; over the wire a
/// `HEAD` reply has none.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Read {
    InProcess,
    OverTheWire,
}

/// Checks a rejection: status, `Content-Type`, `Allow` for 405, and the `FAIL` body
/// (which the HTTP layer leaves out of a `HEAD` reply on the wire).
fn check_fail(
    case: &Case,
    read: Read,
    status: u16,
    content_type: Option<&str>,
    allow: Option<&str>,
    body: &[u8],
) -> Result<(), String> {
    if status != case.status {
        return Err(format!(
            "status {status}, expected {} (body {})",
            case.status,
            String::from_utf8_lossy(body)
        ));
    }
    if content_type != Some("application/json") {
        return Err(format!("Content-Type {content_type:?}"));
    }
    if status == 405 && allow != Some("POST") {
        return Err(format!("Allow {allow:?}"));
    }
    if read == Read::OverTheWire && case.method == "HEAD" {
        // Status and headers are all a HEAD reply carries on the wire.
        return Ok(());
    }
    std::panic::catch_unwind(|| assert_fail_body(body, case.code))
        .map(drop)
        .map_err(|_| {
            format!(
                "not the FAIL {} body: {}",
                case.code,
                String::from_utf8_lossy(body)
            )
        })
}

// ---------------------------------------------------------------------------------------
// Over the wire
// ---------------------------------------------------------------------------------------

fn wire_request(case: &Case) -> (Vec<u8>, bool) {
    let target = match &case.query {
        Some(query) => format!("{PATH}?{query}"),
        None => PATH.to_owned(),
    };
    let mut headers: Vec<(&str, String)> = case.headers.clone();
    let (body, broken) = match &case.body {
        Body::Sized(body) => (body.clone(), false),
        Body::Chunked(body) => {
            headers.push(("Transfer-Encoding", "chunked".to_owned()));
            (chunked(body, 1000), false)
        }
        Body::Declared(length, body) => {
            headers.push(("Content-Length", length.to_string()));
            (body.clone(), false)
        }
        Body::Broken(body) => {
            headers.push(("Content-Length", (body.len() + 100).to_string()));
            (body.clone(), true)
        }
    };
    let header_refs: Vec<(&str, &str)> = headers.iter().map(|(n, v)| (*n, v.as_str())).collect();
    (
        request_bytes(case.method, &target, &header_refs, &body),
        broken,
    )
}

fn valid_over_the_wire(server: &TestServer) -> RawResponse {
    let request = request_bytes(
        "POST",
        &format!("{PATH}?{}", valid_query(now_secs())),
        &[],
        SEED.as_bytes(),
    );
    exchange(server.addr(), &request, false).expect("valid callback exchange")
}

#[test]
fn every_bad_request_is_rejected_over_the_wire_and_the_server_keeps_serving() {
    use std::io::Write;

    let calls = Counter::new();
    let server = TestServer::start(2, configure(calls.clone()));
    let mut cache = None;
    let count = cases(now_secs()).len();
    let mut failures = Vec::new();

    for i in 0..count {
        let case = signed_now(&mut cache, i);
        let before = calls.get();
        let (request, broken) = wire_request(&case);
        let head = case.method == "HEAD";
        let res = if broken {
            let mut stream = connect(server.addr()).expect("connect");
            stream
                .write_all(&request)
                .expect("send the cut-off request");
            stream.shutdown(Shutdown::Write).expect("half-close");
            read_response(&mut stream, head)
        } else {
            exchange(server.addr(), &request, head)
        };
        match res {
            Ok(res) => {
                if let Err(why) = check_fail(
                    &case,
                    Read::OverTheWire,
                    res.status,
                    res.header("content-type"),
                    res.header("allow"),
                    &res.body,
                ) {
                    failures.push(format!("{}: {why}", case.name));
                }
            }
            Err(err) => failures.push(format!("{}: no response ({err})", case.name)),
        }
        if calls.get() != before {
            failures.push(format!("{}: the handler was invoked", case.name));
        }

        let res = valid_over_the_wire(&server);
        assert_eq!(res.status, 200, "after {}: {}", case.name, res.text());
        assert_eq!(res.text(), OK_JSON, "after {}", case.name);
        assert_eq!(calls.get(), before + 1, "after {}", case.name);
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert_eq!(calls.get(), count);
}

/// A chunked body whose chunk framing breaks after the request passed the checks: the
/// extractor cannot read the body and answers `FAIL 40001`; never the handler.
#[test]
fn broken_chunk_framing_is_rejected_and_the_server_keeps_serving() {
    let calls = Counter::new();
    let server = TestServer::start(1, configure(calls.clone()));
    for (name, framing) in [
        ("chunk size not hex", b"zz\r\nabc\r\n0\r\n\r\n".to_vec()),
        (
            "chunk size overflowing",
            b"ffffffffffffffffffff\r\nabc\r\n0\r\n\r\n".to_vec(),
        ),
        (
            "chunk longer than its size",
            b"2\r\nabcdef\r\n0\r\n\r\n".to_vec(),
        ),
    ] {
        let mut request = format!(
            "POST {PATH}?{} HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n",
            valid_query(now_secs())
        )
        .into_bytes();
        request.extend_from_slice(&framing);
        let res = exchange(server.addr(), &request, false).expect(name);
        assert_eq!(res.status, 400, "{name}: {}", res.text());
        assert_eq!(
            res.header("content-type"),
            Some("application/json"),
            "{name}"
        );
        assert_fail_body(&res.body, 40001);
        assert_eq!(calls.get(), 0, "{name}: the handler was not invoked");
    }
    let res = valid_over_the_wire(&server);
    assert_eq!(res.status, 200, "{}", res.text());
    assert_eq!(calls.get(), 1);
}

/// `Expect: 100-continue` on a foreign app id: actix-web's default expect handler says
/// `100 Continue` before the middleware runs, then the middleware rejects.
#[test]
fn expect_continue_on_a_foreign_app_id_is_rejected() {
    let calls = Counter::new();
    let server = TestServer::start(1, configure(calls.clone()));
    let request = request_bytes(
        "POST",
        &format!(
            "{PATH}?{}",
            query_with_app_id(&format!("SdkAppid={FOREIGN}"), now_secs())
        ),
        &[("Expect", "100-continue")],
        SEED.as_bytes(),
    );
    let res = exchange(server.addr(), &request, false).expect("exchange");
    assert_eq!(res.status, 403);
    assert_fail_body(&res.body, 40303);
    assert_eq!(calls.get(), 0);
}
