//! Property tests (proptest):
//!
//! 1. any query string and any body bytes: the service never panics, never answers 5xx,
//!    always answers with the reply envelope, and reaches the handler only when the app id
//!    and the signature are valid (and then exactly once, with the body decoded as serde
//!    decodes it);
//! 2. any valid `group::SendMsgException` (built as JSON, decoded) serialises and decodes back
//!    equal, and the handler receives exactly what a direct decode gives;
//! 3. the signature check accepts exactly the correct digest.
//!
//! Case counts: `PROPTEST_CASES` overrides the defaults below. Failures are not persisted
//! to files; proptest prints the minimal failing input.

use std::{
    cell::Cell,
    sync::{Arc, Mutex},
};

use crate::common::*;
use actix_tim_callback::{command, model::group, Ack, Callback, CallbackConfig, TimCallback};
use actix_web::{
    http::Uri,
    test::{call_service, init_service, read_body, TestRequest},
    web, App,
};
use proptest::{
    prelude::*,
    test_runner::{Config, TestCaseError, TestRunner},
};
use serde_json::{json, Map, Value};
use sha2::{Digest, Sha256};

/// The number of cases for a property: `PROPTEST_CASES` if set, else `default`.
fn case_count(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn runner(cases: u32) -> TestRunner {
    TestRunner::new(Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    })
}

/// The lowercase hex SHA-256 of `token + time`, computed here (not by the crate).
fn reference_sign(token: &str, time: &str) -> String {
    let digest = Sha256::digest(format!("{token}{time}").as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

// ---------------------------------------------------------------------------------------
// 1. Any query, any body
// ---------------------------------------------------------------------------------------

/// Percent-encodes every byte that may not stand in a URI query as it is; keeps `&`, `=`,
/// `%` and `+` so that they keep their meaning (and invalid `%` escapes get through).
fn encode_query_bytes(bytes: &[u8]) -> String {
    let mut out = String::new();
    for &b in bytes {
        if b.is_ascii_alphanumeric() || b"&=%+-._~".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn encode_value(value: &str) -> String {
    form_urlencoded::byte_serialize(value.as_bytes()).collect()
}

/// A parameter's value: text as it is, or a `RequestTime` (and its right `Sign`) some
/// seconds from the time the case runs at, written only then. Times in the replay window
/// are at most 50 s away and times outside at least 70 s, so that the crate's clock may
/// move on by several seconds while a case runs and still agree with its expectation.
#[derive(Debug, Clone)]
enum Val {
    Text(String),
    /// `RequestTime`: the case's time plus this many seconds.
    Time(i64),
    /// The right `Sign` for `Time` of this offset.
    SignFor(i64),
}

impl Val {
    fn text(value: impl Into<String>) -> Self {
        Val::Text(value.into())
    }

    fn render(&self, now: u64) -> String {
        let time = |offset: i64| now.checked_add_signed(offset).expect("a time").to_string();
        match self {
            Val::Text(text) => text.clone(),
            Val::Time(offset) => time(*offset),
            Val::SignFor(offset) => reference_sign(TOKEN, &time(*offset)),
        }
    }
}

/// A query string: parameters (written for the case's time), or raw text.
#[derive(Debug, Clone)]
enum ArbQuery {
    Params(Vec<(String, Val)>),
    Raw(String),
}

impl ArbQuery {
    /// The query string of a case run at `now`.
    fn render(&self, now: u64) -> String {
        match self {
            ArbQuery::Params(params) => params
                .iter()
                .map(|(name, value)| {
                    format!(
                        "{}={}",
                        encode_value(name),
                        encode_value(&value.render(now))
                    )
                })
                .collect::<Vec<_>>()
                .join("&"),
            ArbQuery::Raw(query) => query.clone(),
        }
    }
}

/// An offset of a `RequestTime` inside the 60 s replay window, 10 s from its edges.
fn inside_window() -> impl Strategy<Value = i64> {
    -50i64..=50
}

/// An offset of a `RequestTime` outside the replay window, 10 s from its edges; mostly
/// just outside, where a window a little too wide would let it in.
fn outside_window() -> impl Strategy<Value = i64> {
    let distance = prop_oneof![3 => 70i64..=130, 1 => 130i64..100_000];
    (distance, any::<bool>()).prop_map(|(distance, past)| if past { -distance } else { distance })
}

/// The offset of a correctly signed `RequestTime`: mostly inside the window, so that
/// valid callbacks are common, else replayed or from the future.
fn signed_offset() -> impl Strategy<Value = i64> {
    prop_oneof![3 => inside_window(), 1 => outside_window()]
}

/// One query parameter: a name spelled some way, and a value.
fn arb_param() -> impl Strategy<Value = (String, Val)> {
    let time = prop_oneof![
        inside_window().prop_map(Val::Time),
        outside_window().prop_map(Val::Time),
        any::<u64>().prop_map(|t| Val::Text(t.to_string())),
        "[0-9+ .-]{0,12}".prop_map(Val::Text),
        Just(Val::text("")),
    ];
    let app_id = prop_oneof![
        4 => Just(Val::text(APP_ID.to_string())),
        1 => Just(Val::text(format!("0{APP_ID}"))),
        1 => Just(Val::text(format!("{}", APP_ID + 1))),
        1 => any::<u64>().prop_map(|id| Val::Text(id.to_string())),
        1 => "[0-9a-z+ -]{0,25}".prop_map(Val::Text),
    ];
    let sign = prop_oneof!["[0-9a-f]{64}", "[0-9a-fA-F]{60,68}", ".{0,70}",].prop_map(Val::Text);
    let command = prop_oneof![
        3 => Just(Val::text(SEND_MSG_EXCEPTION)),
        1 => Just(Val::text("Group.CallbackAfterSendMsg")),
        1 => ".{0,30}".prop_map(Val::Text),
    ];
    let name = |names: &'static [&'static str]| prop::sample::select(names).prop_map(str::to_owned);
    prop_oneof![
        (
            name(&["SdkAppid", "sdkappid", "SDKAPPID", "SdkAppId"]),
            app_id
        ),
        (name(&["RequestTime", "requesttime"]), time),
        (name(&["Sign", "sign", "SIGN"]), sign),
        (name(&["CallbackCommand", "callbackcommand"]), command),
        (
            name(&["contenttype", "ClientIP", "OptPlatform", "Other", ""]),
            ".{0,20}".prop_map(Val::Text)
        ),
    ]
}

/// A query string: raw bytes, or parameters Tencent could send, mixed with junk; half of
/// the structured ones carry the right `Sign`, mostly for a time in the window, so that
/// valid requests are common.
fn arb_query() -> impl Strategy<Value = ArbQuery> {
    // Tencent's own query, signed, with a few parameters added anywhere.
    let nearly_valid = (
        prop::collection::vec((arb_param(), any::<prop::sample::Index>()), 0..3),
        signed_offset(),
    )
        .prop_map(|(extra, offset)| {
            let mut params = vec![
                ("SdkAppid".to_owned(), Val::text(APP_ID.to_string())),
                ("CallbackCommand".to_owned(), Val::text(SEND_MSG_EXCEPTION)),
                ("contenttype".to_owned(), Val::text("json")),
                ("RequestTime".to_owned(), Val::Time(offset)),
                ("Sign".to_owned(), Val::SignFor(offset)),
            ];
            for (param, at) in extra {
                let len = params.len();
                params.insert(at.index(len + 1), param);
            }
            ArbQuery::Params(params)
        });
    let structured = (
        prop::collection::vec(arb_param(), 0..8),
        any::<bool>(),
        signed_offset(),
        any::<bool>(),
        any::<prop::sample::Index>(),
    )
        .prop_map(|(mut params, sign_it, offset, with_app_id, at)| {
            if with_app_id {
                params.insert(0, ("SdkAppid".to_owned(), Val::text(APP_ID.to_string())));
            }
            if sign_it {
                let len = params.len();
                params.insert(
                    at.index(len + 1),
                    ("RequestTime".to_owned(), Val::Time(offset)),
                );
                params.push(("Sign".to_owned(), Val::SignFor(offset)));
            }
            ArbQuery::Params(params)
        });
    prop_oneof![
        2 => nearly_valid,
        2 => structured,
        1 => prop::collection::vec(any::<u8>(), 0..200)
            .prop_map(|b| ArbQuery::Raw(encode_query_bytes(&b))),
    ]
}

/// A body: the seed, the seed with bytes changed or cut, JSON of other shapes, any bytes.
fn arb_body() -> impl Strategy<Value = Vec<u8>> {
    let seed = SEED.as_bytes().to_vec();
    let len = seed.len();
    prop_oneof![
        4 => Just(seed.clone()),
        2 => (prop::collection::vec((0..len, any::<u8>()), 1..4)).prop_map({
            let seed = seed.clone();
            move |edits| {
                let mut body = seed.clone();
                for (at, byte) in edits {
                    body[at] = byte;
                }
                body
            }
        }),
        1 => (0..len).prop_map({
            let seed = seed.clone();
            move |cut| seed[..cut].to_vec()
        }),
        2 => arb_json(3).prop_map(|v| v.to_string().into_bytes()),
        2 => prop::collection::vec(any::<u8>(), 0..600),
    ]
}

/// Any JSON value, nested up to `depth` levels.
fn arb_json(depth: u32) -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        exact_float().prop_map(Value::from),
        ".{0,12}".prop_map(Value::from),
    ];
    leaf.prop_recursive(depth, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map(
                prop_oneof![
                    Just("GroupId".to_owned()),
                    Just("MsgBody".to_owned()),
                    Just("Random".to_owned()),
                    ".{0,8}"
                ],
                inner,
                0..4
            )
            .prop_map(|m| Value::Object(m.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

/// What the query says, read here independently of the crate: whether the app id and
/// the signature are valid (with the token set), and whether the command is ours.
#[derive(Debug)]
struct Verdict {
    app_id_ok: bool,
    signature_ok: bool,
    command_ok: bool,
}

/// What the middleware must decide for `query` and `body` at `now`. The request's command
/// is the query's; without one in the query, the body's.
fn judge(query: &str, body: &[u8], now: u64) -> Verdict {
    let mut app_ids = Vec::new();
    let mut times = Vec::new();
    let mut signs = Vec::new();
    let mut commands = Vec::new();
    for (name, value) in form_urlencoded::parse(query.as_bytes()) {
        let value = value.into_owned();
        match name.to_ascii_lowercase().as_str() {
            "sdkappid" => app_ids.push(value),
            "requesttime" => times.push(value),
            "sign" => signs.push(value),
            "callbackcommand" => commands.push(value),
            _ => {}
        }
    }
    let single = |values: &[String]| -> Option<String> {
        let first = values.first()?;
        values.iter().all(|v| v == first).then(|| first.clone())
    };
    let digits = |v: &str| -> Option<u64> {
        (!v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()))
            .then(|| v.parse().ok())
            .flatten()
    };
    let app_id_ok = single(&app_ids).and_then(|v| digits(&v)) == Some(APP_ID);
    let signature_ok = match (single(&times), single(&signs)) {
        (Some(time), Some(sign)) => {
            digits(&time).is_some_and(|t| t.abs_diff(now) <= 60)
                && sign == reference_sign(TOKEN, &time)
        }
        _ => false,
    };
    let command_ok = if commands.is_empty() {
        let body: Option<Value> = serde_json::from_slice(body).ok();
        let body_command = body.as_ref().and_then(|body| {
            body.get("CallbackCommand")
                .or_else(|| body.get("Events")?.get(0)?.get("CallbackCommand"))
        });
        body_command.and_then(Value::as_str) == Some(SEND_MSG_EXCEPTION)
    } else {
        single(&commands).as_deref() == Some(SEND_MSG_EXCEPTION)
    };
    Verdict {
        app_id_ok,
        signature_ok,
        command_ok,
    }
}

/// The event a handler of the seed's command takes from `body`: it decodes, and its own
/// `CallbackCommand` is empty, absent or the seed's (another is refused, 40006).
fn accepted(body: &[u8]) -> Option<group::SendMsgException> {
    serde_json::from_slice::<group::SendMsgException>(body)
        .ok()
        .filter(|event| {
            event.callback_command.is_empty() || event.callback_command == SEND_MSG_EXCEPTION
        })
}

/// The events a handler received.
#[derive(Clone, Default)]
struct Received(Arc<Mutex<Vec<group::SendMsgException>>>);

impl Received {
    fn take(&self) -> Vec<group::SendMsgException> {
        std::mem::take(&mut *self.0.lock().unwrap())
    }
}

fn recording_app(
    config: CallbackConfig,
    received: &Received,
) -> App<
    impl actix_web::dev::ServiceFactory<
        actix_web::dev::ServiceRequest,
        Config = (),
        Response = actix_web::dev::ServiceResponse<impl actix_web::body::MessageBody>,
        Error = actix_web::Error,
        InitError = (),
    >,
> {
    let received = received.clone();
    App::new().service(web::scope(PATH).wrap(TimCallback::new(config)).route(
        "",
        web::post().guard(command::<group::SendMsgException>()).to(
            move |cb: Callback<group::SendMsgException>| {
                let received = received.clone();
                async move {
                    received.0.lock().unwrap().push(cb.into_inner());
                    Ack
                }
            },
        ),
    ))
}

#[test]
fn any_query_and_any_body_never_panic_and_reach_the_handler_only_when_verified() {
    let system = actix_web::rt::System::new();
    let received = Received::default();
    let app = system.block_on(init_service(recording_app(
        CallbackConfig::new(APP_ID).token(TOKEN),
        &received,
    )));
    let cases = case_count(3000);
    let ran = Cell::new(0u32);
    let reached = Cell::new(0u32);
    let skipped = Cell::new(0u32);

    let result = runner(cases).run(&(arb_query(), arb_body()), |(query, body)| {
        ran.set(ran.get() + 1);
        // One clock reading per case: the query is signed for it and judged at it.
        let now = now_secs();
        let query = query.render(now);
        let uri = format!("{PATH}?{query}");
        if Uri::try_from(uri.as_str()).is_err() {
            skipped.set(skipped.get() + 1);
            return Ok(());
        }
        let verdict = judge(&query, &body, now);
        let (status, reply) = system.block_on(async {
            let req = TestRequest::post().uri(&uri).set_payload(body.clone());
            let res = call_service(&app, req.to_request()).await;
            (res.status().as_u16(), read_body(res).await)
        });
        let handled = received.take();
        let reply: Value = serde_json::from_slice(&reply)
            .map_err(|err| TestCaseError::fail(format!("reply is not JSON ({err}): {reply:?}")))?;
        prop_assert!(reply["ActionStatus"] == "OK" || reply["ActionStatus"] == "FAIL");
        prop_assert!(status < 500, "status {status}: {reply}");

        let decoded = accepted(&body);
        if !verdict.app_id_ok {
            prop_assert_eq!(status, 403, "{}", reply);
        } else if !verdict.signature_ok {
            prop_assert_eq!(status, 401, "{}", reply);
        }
        if !(verdict.app_id_ok && verdict.signature_ok) {
            prop_assert!(handled.is_empty(), "handler reached: {:?}", verdict);
            prop_assert_eq!(&reply["ActionStatus"], "FAIL");
        }
        if verdict.app_id_ok && verdict.signature_ok && verdict.command_ok {
            match decoded {
                Some(event) => {
                    reached.set(reached.get() + 1);
                    prop_assert_eq!(status, 200, "{}", reply);
                    prop_assert_eq!(handled, vec![event]);
                }
                None => {
                    prop_assert_eq!(status, 400, "{}", reply);
                    prop_assert!(
                        reply["ErrorCode"] == 40002 || reply["ErrorCode"] == 40006,
                        "{}",
                        reply
                    );
                    prop_assert!(handled.is_empty());
                }
            }
        } else {
            prop_assert!(handled.is_empty(), "handler reached: {:?}", verdict);
        }
        Ok(())
    });
    if let Err(err) = result {
        panic!("{err}");
    }
    eprintln!(
        "any query/body: {} cases run, {} skipped (not a URI), {} reached the handler",
        ran.get(),
        skipped.get(),
        reached.get()
    );
    assert!(
        reached.get() > 0,
        "the strategy produces valid callbacks too"
    );
}

/// The same without a token: only the app id guards the handler.
#[test]
fn without_a_token_only_our_app_id_reaches_the_handler() {
    let system = actix_web::rt::System::new();
    let received = Received::default();
    let app = system.block_on(init_service(recording_app(
        CallbackConfig::new(APP_ID),
        &received,
    )));
    let cases = case_count(1000);
    let result = runner(cases).run(&(arb_query(), arb_body()), |(query, body)| {
        let now = now_secs();
        let query = query.render(now);
        let uri = format!("{PATH}?{query}");
        if Uri::try_from(uri.as_str()).is_err() {
            return Ok(());
        }
        let verdict = judge(&query, &body, now);
        let status = system.block_on(async {
            let req = TestRequest::post().uri(&uri).set_payload(body.clone());
            call_service(&app, req.to_request()).await.status().as_u16()
        });
        let handled = received.take();
        prop_assert!(status < 500);
        if !verdict.app_id_ok {
            prop_assert_eq!(status, 403);
            prop_assert!(handled.is_empty());
        } else if verdict.command_ok {
            let decoded = accepted(&body);
            prop_assert_eq!(handled.len(), usize::from(decoded.is_some()));
            prop_assert_eq!(status, if decoded.is_some() { 200 } else { 400 });
        } else {
            prop_assert!(handled.is_empty());
        }
        Ok(())
    });
    if let Err(err) = result {
        panic!("{err}");
    }
}

// ---------------------------------------------------------------------------------------
// 2. Valid values round-trip
// ---------------------------------------------------------------------------------------

fn opt<T: std::fmt::Debug + Clone + 'static>(
    s: impl Strategy<Value = T> + 'static,
) -> BoxedStrategy<Option<T>> {
    prop::option::of(s).boxed()
}

/// Content object from optional fields: absent fields are left out, or sent as `null`.
fn object(fields: Vec<(&'static str, Option<Value>)>, nulls: bool) -> Value {
    let mut map = Map::new();
    for (name, value) in fields {
        match value {
            Some(value) => {
                map.insert(name.to_owned(), value);
            }
            None if nulls => {
                map.insert(name.to_owned(), Value::Null);
            }
            None => {}
        }
    }
    Value::Object(map)
}

fn s() -> BoxedStrategy<Option<Value>> {
    opt(any::<String>().prop_map(Value::from))
}

fn u() -> BoxedStrategy<Option<Value>> {
    opt(any::<u64>().prop_map(Value::from))
}

fn u32v() -> BoxedStrategy<Option<Value>> {
    opt(any::<u32>().prop_map(Value::from))
}

fn finite() -> BoxedStrategy<Option<Value>> {
    opt(exact_float().prop_map(Value::from))
}

/// A float that survives a serialise/decode round trip exactly. With the crate's
/// `float_roundtrip` feature (serde_json's), any finite float (see
/// `floats_of_17_significant_digits_round_trip` below). Without it, serde_json reads a
/// decimal exactly when its digits (the `.0` it is written with included) make an integer
/// a float holds exactly and its power of ten is at most 10^22 (one correctly rounded
/// operation on two exact operands), and others only to within a unit in the last place
/// (see `without_float_roundtrip_...` below): then decimals of up to 15 significant digits
/// and 8 decimals, below 10^15 (GPS coordinates are written with 6 to 8 decimals).
fn exact_float() -> BoxedStrategy<f64> {
    if cfg!(feature = "float_roundtrip") {
        any::<f64>()
            .prop_filter("JSON has no NaN or infinity", |f| f.is_finite())
            .boxed()
    } else {
        (-999_999_999_999_999_i64..=999_999_999_999_999, -8_i32..=0)
            .prop_map(|(digits, exponent)| {
                format!("{digits}e{exponent}")
                    .parse::<f64>()
                    .expect("a decimal")
            })
            .boxed()
    }
}

/// A valid message element as JSON, any of the nine types or an unknown one.
fn arb_element(depth: u32) -> BoxedStrategy<Value> {
    let typed = |msg_type: &'static str, content: BoxedStrategy<Value>| {
        (content, any::<bool>())
            .prop_map(move |(content, content_first)| {
                // `MsgContent` before `MsgType` takes the buffered path of the decoder.
                let mut map = Map::new();
                if content_first {
                    map.insert("MsgContent".to_owned(), content);
                    map.insert("MsgType".to_owned(), json!(msg_type));
                } else {
                    map.insert("MsgType".to_owned(), json!(msg_type));
                    map.insert("MsgContent".to_owned(), content);
                }
                Value::Object(map)
            })
            .boxed()
    };
    let nulls = any::<bool>();
    let text = (s(), nulls).prop_map(|(t, n)| object(vec![("Text", t)], n));
    let location = (s(), finite(), finite(), nulls).prop_map(|(d, la, lo, n)| {
        object(vec![("Desc", d), ("Latitude", la), ("Longitude", lo)], n)
    });
    let face = (opt(any::<i64>().prop_map(Value::from)), s(), nulls)
        .prop_map(|(i, d, n)| object(vec![("Index", i), ("Data", d)], n));
    let custom = (s(), s(), s(), s(), nulls).prop_map(|(d, de, e, so, n)| {
        object(
            vec![("Data", d), ("Desc", de), ("Ext", e), ("Sound", so)],
            n,
        )
    });
    let sound = (s(), s(), u(), u(), u32v(), nulls).prop_map(|(url, id, sz, sec, f, n)| {
        object(
            vec![
                ("Url", url),
                ("UUID", id),
                ("Size", sz),
                ("Second", sec),
                ("Download_Flag", f),
            ],
            n,
        )
    });
    let info = (u32v(), u(), u(), u(), s())
        .prop_map(|(t, sz, w, h, url)| {
            object(
                vec![
                    ("Type", t),
                    ("Size", sz),
                    ("Width", w),
                    ("Height", h),
                    ("URL", url),
                ],
                false,
            )
        })
        .boxed();
    let image = (
        s(),
        u32v(),
        opt(prop::collection::vec(info, 0..3).prop_map(Value::from)),
        nulls,
    )
        .prop_map(|(id, f, infos, n)| {
            object(
                vec![("UUID", id), ("ImageFormat", f), ("ImageInfoArray", infos)],
                n,
            )
        });
    let file = (s(), s(), u(), s(), u32v(), nulls).prop_map(|(url, id, sz, name, f, n)| {
        object(
            vec![
                ("Url", url),
                ("UUID", id),
                ("FileSize", sz),
                ("FileName", name),
                ("Download_Flag", f),
            ],
            n,
        )
    });
    let video = (
        (s(), s(), u(), u(), s(), u32v()),
        (s(), s(), u(), u(), u(), s(), u32v()),
    )
        .prop_map(
            |((vu, vid, vs, vsec, vf, vfl), (tu, tid, ts, tw, th, tf, tfl))| {
                object(
                    vec![
                        ("VideoUrl", vu),
                        ("VideoUUID", vid),
                        ("VideoSize", vs),
                        ("VideoSecond", vsec),
                        ("VideoFormat", vf),
                        ("VideoDownloadFlag", vfl),
                        ("ThumbUrl", tu),
                        ("ThumbUUID", tid),
                        ("ThumbSize", ts),
                        ("ThumbWidth", tw),
                        ("ThumbHeight", th),
                        ("ThumbFormat", tf),
                        ("ThumbDownloadFlag", tfl),
                    ],
                    false,
                )
            },
        );
    let unknown = ("[A-Za-z]{0,12}", opt(arb_json(2))).prop_map(|(msg_type, content)| {
        let msg_type = if msg_type.starts_with("TIM") {
            format!("X{msg_type}")
        } else {
            msg_type
        };
        object(
            vec![("MsgType", Some(json!(msg_type))), ("MsgContent", content)],
            false,
        )
    });
    let mut choices: Vec<BoxedStrategy<Value>> = vec![
        typed("TIMTextElem", text.boxed()),
        typed("TIMLocationElem", location.boxed()),
        typed("TIMFaceElem", face.boxed()),
        typed("TIMCustomElem", custom.boxed()),
        typed("TIMSoundElem", sound.boxed()),
        typed("TIMImageElem", image.boxed()),
        typed("TIMFileElem", file.boxed()),
        typed("TIMVideoFileElem", video.boxed()),
        unknown.boxed(),
    ];
    if depth > 0 {
        let relayed = (
            s(),
            s(),
            s(),
            u(),
            u(),
            u(),
            opt(prop::collection::vec(arb_element(depth - 1), 0..2).prop_map(Value::from)),
            s(),
        )
            .prop_map(|(from, to, group, seq, random, ts, body, data)| {
                object(
                    vec![
                        ("From_Account", from),
                        ("To_Account", to),
                        ("GroupId", group),
                        ("MsgSeq", seq),
                        ("MsgRandom", random),
                        ("MsgTimeStamp", ts),
                        ("MsgBody", body),
                        ("CloudCustomData", data),
                    ],
                    false,
                )
            });
        let relay = (
            s(),
            u(),
            s(),
            opt(prop::collection::vec(any::<String>(), 0..3).prop_map(Value::from)),
            opt(prop::collection::vec(relayed, 0..2).prop_map(Value::from)),
            s(),
        )
            .prop_map(|(title, num, compat, list, msgs, key)| {
                object(
                    vec![
                        ("Title", title),
                        ("MsgNum", num),
                        ("CompatibleText", compat),
                        ("AbstractList", list),
                        ("MsgList", msgs),
                        ("JsonMsgKey", key),
                    ],
                    false,
                )
            });
        choices.push(typed("TIMRelayElem", relay.boxed()));
    }
    prop::strategy::Union::new(choices).boxed()
}

/// A valid `Group.CallbackSendMsgException` body as JSON.
fn arb_exception() -> impl Strategy<Value = Value> {
    let group_type = prop_oneof![
        prop::sample::select(
            &[
                "Public",
                "Private",
                "Work",
                "ChatRoom",
                "Meeting",
                "AVChatRoom",
                "BChatRoom",
                "Community",
            ][..]
        )
        .prop_map(str::to_owned),
        any::<String>(),
    ];
    let event_time = prop_oneof![
        Just(None),
        Just(Some(Value::Null)),
        any::<u64>().prop_map(|t| Some(json!(t))),
        any::<u64>().prop_map(|t| Some(json!(t.to_string()))),
    ];
    // The body's command: absent, empty, the query's, or anything (then refused, 40006).
    let command = prop_oneof![
        Just(None),
        Just(Some(String::new())),
        Just(Some(SEND_MSG_EXCEPTION.to_owned())),
        any::<String>().prop_map(Some),
    ];
    (
        (
            command,
            any::<String>(),
            group_type,
            any::<String>(),
            opt(any::<String>()),
            opt(any::<u32>()),
        ),
        (
            opt(any::<u32>()),
            opt(prop::collection::vec(arb_element(2), 0..4)),
            opt(any::<String>()),
            any::<i64>(),
            opt(any::<String>()),
            event_time,
            opt(arb_json(2)),
            opt(any::<String>()),
        ),
    )
        .prop_map(
            |(
                (command, group, group_type, from, operator, random),
                (flag, body, data, code, info, event_time, extra, topic),
            )| {
                let mut map = Map::new();
                let mut put = |name: &str, value: Option<Value>| {
                    if let Some(value) = value {
                        map.insert(name.to_owned(), value);
                    }
                };
                put("CallbackCommand", command.map(Value::from));
                put("GroupId", Some(group.into()));
                put("Type", Some(group_type.into()));
                put("From_Account", Some(from.into()));
                put("Operator_Account", operator.map(Value::from));
                put("Random", random.map(Value::from));
                put("OnlineOnlyFlag", flag.map(Value::from));
                put("MsgBody", body.map(Value::from));
                put("CloudCustomData", data.map(Value::from));
                put("ErrorCode", Some(code.into()));
                put("ErrorInfo", info.map(Value::from));
                put("EventTime", event_time);
                put("TopicId", topic.map(Value::from));
                put("FutureField", extra);
                Value::Object(map)
            },
        )
}

#[test]
fn any_valid_send_msg_exception_serialises_and_decodes_back_equal() {
    let cases = case_count(2000);
    let result = runner(cases).run(&arb_exception(), |json| {
        let wire = serde_json::to_vec(&json).expect("JSON");
        let event: group::SendMsgException = serde_json::from_slice(&wire)
            .map_err(|err| TestCaseError::fail(format!("valid body rejected: {err}: {json}")))?;
        prop_assert_eq!(&event.group_id, json["GroupId"].as_str().unwrap());
        prop_assert_eq!(event.error_code, json["ErrorCode"].as_i64().unwrap());
        prop_assert_eq!(
            event.msg_body.len(),
            json["MsgBody"].as_array().map_or(0, Vec::len)
        );

        let again = serde_json::to_vec(&event).expect("serialises");
        let back: group::SendMsgException = serde_json::from_slice(&again)
            .map_err(|err| TestCaseError::fail(format!("own output rejected: {err}")))?;
        prop_assert_eq!(&back, &event);
        // And the serialisation is stable.
        prop_assert_eq!(serde_json::to_vec(&back).expect("serialises"), again);
        Ok(())
    });
    if let Err(err) = result {
        panic!("{err}");
    }
}

#[test]
fn the_handler_receives_exactly_what_serde_decodes() {
    let system = actix_web::rt::System::new();
    let received = Received::default();
    let app = system.block_on(init_service(recording_app(
        CallbackConfig::new(APP_ID).token(TOKEN),
        &received,
    )));
    let cases = case_count(300);
    let result = runner(cases).run(&arb_exception(), |json| {
        let wire = serde_json::to_vec(&json).expect("JSON");
        let expected: group::SendMsgException = serde_json::from_slice(&wire).expect("valid");
        let status = system.block_on(async {
            let req = TestRequest::post()
                .uri(&exception_uri(&format!(
                    "&{}",
                    signed_query(TOKEN, now_secs())
                )))
                .set_payload(wire.clone());
            call_service(&app, req.to_request()).await.status().as_u16()
        });
        // A body that names another command than the query's is refused (40006).
        let contradicts = expected.callback_command != SEND_MSG_EXCEPTION
            && !expected.callback_command.is_empty();
        if contradicts {
            prop_assert_eq!(status, 400);
            prop_assert!(received.take().is_empty());
        } else {
            prop_assert_eq!(status, 200);
            prop_assert_eq!(received.take(), vec![expected]);
        }
        Ok(())
    });
    if let Err(err) = result {
        panic!("{err}");
    }
}

// ---------------------------------------------------------------------------------------
// 3. The signature check accepts exactly the correct digest
// ---------------------------------------------------------------------------------------

#[test]
fn sign_is_the_lowercase_hex_sha256_of_token_and_time() {
    let result = runner(case_count(2000)).run(&(any::<String>(), ".{0,24}"), |(token, time)| {
        let sign = actix_tim_callback::sign(&token, &time);
        prop_assert_eq!(sign.len(), 64);
        prop_assert_eq!(&sign, &reference_sign(&token, &time));
        Ok(())
    });
    if let Err(err) = result {
        panic!("{err}");
    }
}

/// A change of one character of a valid `Sign`: another hex digit, an uppercase letter, or
/// any other character.
fn mutate(sign: &str, at: usize, replacement: char) -> String {
    let mut chars: Vec<char> = sign.chars().collect();
    let at = at % chars.len();
    let original = chars[at];
    chars[at] = if replacement == original {
        if original.is_ascii_lowercase() {
            original.to_ascii_uppercase()
        } else if original == '0' {
            '1'
        } else {
            '0'
        }
    } else {
        replacement
    };
    chars.into_iter().collect()
}

#[test]
fn the_signature_check_accepts_exactly_the_correct_digest() {
    let system = actix_web::rt::System::new();
    let cases = case_count(300);
    let strategy = (
        any::<String>().prop_filter("a token that is not blank", |token| {
            !token.trim().is_empty()
        }),
        inside_window(),
        any::<usize>(),
        prop_oneof![
            prop::char::range('0', '9'),
            prop::char::range('a', 'f'),
            prop::char::range('A', 'F'),
            any::<char>(),
        ],
        "[0-9a-f]{64}",
    );
    let result = runner(cases).run(&strategy, |(token, offset, at, replacement, random)| {
        let received = Received::default();
        let time = (now_secs() as i64 + offset).to_string();
        let right = actix_tim_callback::sign(&token, &time);
        let wrong = mutate(&right, at, replacement);
        prop_assert_ne!(&wrong, &right);
        let statuses = system.block_on(async {
            let app = init_service(recording_app(
                CallbackConfig::new(APP_ID).token(&token),
                &received,
            ))
            .await;
            let mut statuses = Vec::new();
            for sign in [&right, &wrong, &random, &right.to_uppercase()] {
                let uri =
                    exception_uri(&format!("&RequestTime={time}&Sign={}", encode_value(sign)));
                let req = TestRequest::post().uri(&uri).set_payload(SEED);
                let res = call_service(&app, req.to_request()).await;
                let status = res.status().as_u16();
                let body = read_body(res).await;
                statuses.push((status, body));
            }
            statuses
        });
        prop_assert_eq!(statuses[0].0, 200, "the right sign is accepted");
        for (status, body) in &statuses[1..] {
            let reply: Value = serde_json::from_slice(body).expect("JSON");
            if *status == 200 {
                // Only possible if the random or uppercased sign equals the right one.
                prop_assert!(random == right || right.to_uppercase() == right);
            } else {
                prop_assert_eq!(*status, 401);
                prop_assert_eq!(&reply["ErrorCode"], 40104);
            }
        }
        prop_assert_eq!(
            received.take().len(),
            1,
            "only the right sign reached the handler"
        );
        Ok(())
    });
    if let Err(err) = result {
        panic!("{err}");
    }
}

/// A `SendMsgException` body whose one element is a location with this `Latitude`.
fn location_body(latitude: &str) -> String {
    format!(
        r#"{{"GroupId":"g","Type":"Public","From_Account":"a","ErrorCode":0,"MsgBody":[{{"MsgType":"TIMLocationElem","MsgContent":{{"Latitude":{latitude}}}}}]}}"#
    )
}

/// The `Latitude` of the location in `body`.
fn latitude_of(body: &str) -> f64 {
    let decoded: group::SendMsgException = serde_json::from_str(body).expect("valid");
    match decoded.msg_body.as_slice() {
        [actix_tim_callback::model::MsgElement::Location(location)] => {
            location.latitude.expect("Latitude")
        }
        other => panic!("expected one location, got {other:?}"),
    }
}

/// serde_json without its `float_roundtrip` feature reads some 17-digit decimals one unit
/// in the last place off, so such a `Latitude` would change on a serialise/decode round
/// trip; the crate's `float_roundtrip` feature turns serde_json's on.
#[cfg(feature = "float_roundtrip")]
#[test]
fn floats_of_17_significant_digits_round_trip() {
    let body = location_body;
    let decoded: group::SendMsgException =
        serde_json::from_str(&body("-2.0666825281506996e-171")).expect("valid");
    let again = serde_json::to_string(&decoded).expect("serialises");
    let back: group::SendMsgException = serde_json::from_str(&again).expect("valid");
    assert_eq!(back, decoded, "{again}");

    // The same for any finite f64, as a property.
    let result = runner(case_count(2000)).run(
        &any::<f64>().prop_filter("finite", |f| f.is_finite()),
        |latitude| {
            let text = body(&serde_json::to_string(&latitude).expect("float"));
            prop_assert_eq!(latitude_of(&text), latitude);
            let decoded: group::SendMsgException = serde_json::from_str(&text).expect("valid");
            let again = serde_json::to_string(&decoded).expect("serialises");
            let back: group::SendMsgException = serde_json::from_str(&again).expect("valid");
            prop_assert_eq!(back, decoded);
            Ok(())
        },
    );
    if let Err(err) = result {
        panic!("{err}");
    }
}

/// The distance between two floats in units in the last place.
#[cfg(not(feature = "float_roundtrip"))]
fn ulps(a: f64, b: f64) -> u64 {
    (a.to_bits() as i64 - b.to_bits() as i64).unsigned_abs()
}

/// Without the crate's `float_roundtrip` feature the crate does not switch serde_json's
/// on for the whole application (features unify): a 17-digit decimal serde_json's default
/// parser misreads stays misread. What is then exact and what is not:
#[cfg(not(feature = "float_roundtrip"))]
#[test]
fn without_float_roundtrip_coordinates_are_exact_to_15_digits_and_within_one_unit_beyond() {
    let text = "-2.0666825281506996e-171";
    let correct: f64 = text.parse().expect("float");
    let read: f64 = serde_json::from_str(text).expect("float");
    assert_ne!(
        read, correct,
        "serde_json reads {text} exactly: something turned its float_roundtrip feature on"
    );

    // Any coordinate written as Tencent writes it (the shortest decimal that reads back
    // exactly, 16-17 digits for most) decodes within one unit in the last place.
    let result = runner(case_count(2000)).run(&(-180.0..=180.0_f64), |coordinate| {
        let text = serde_json::to_string(&coordinate).expect("float");
        let read = latitude_of(&location_body(&text));
        prop_assert!(ulps(read, coordinate) <= 1, "{text} read as {read:?}");
        Ok(())
    });
    if let Err(err) = result {
        panic!("{err}");
    }

    // Decimals of up to 15 significant digits decode exactly and write back as sent.
    let result = runner(case_count(2000)).run(&exact_float(), |coordinate| {
        let text = serde_json::to_string(&coordinate).expect("float");
        let decoded: group::SendMsgException =
            serde_json::from_str(&location_body(&text)).expect("valid");
        let again = serde_json::to_string(&decoded).expect("serialises");
        prop_assert_eq!(latitude_of(&location_body(&text)), coordinate);
        prop_assert!(
            again.contains(&format!(":{text}")),
            "{text} written as {again}"
        );
        Ok(())
    });
    if let Err(err) = result {
        panic!("{err}");
    }
}
