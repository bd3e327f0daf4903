//! The body decoder: any bytes, decoded as `Group.CallbackSendMsgException` directly and
//! through the whole middleware + extractor path.
//!
//! - decoding never panics, whatever the bytes;
//! - a decoded event serialises, and its serialisation decodes back to the same event
//!   (floats compared to the last few units: serde_json without `float_roundtrip` may read
//!   a 17-digit float one unit off; set `FUZZ_STRICT_FLOATS=1` to compare them exactly);
//! - through the service, a signed request is answered 200 OK exactly when serde decodes
//!   the body, else `400` or `413` with a `FAIL` reply, and the handler gets the same event.

#![no_main]

use std::{cell::RefCell, sync::OnceLock};

use actix_tim_callback::{command, model::group, Ack, Callback, CallbackConfig, TimCallback};
use actix_web::{
    test::{call_service, init_service, read_body, TestRequest},
    web, App,
};
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

const APP_ID: u64 = 1_400_000_000;
const TOKEN: &str = "fuzz-token";
const LIMIT: usize = 64 * 1024;

type Harness = Box<dyn Fn(Vec<u8>) -> (u16, Vec<u8>, Vec<group::SendMsgException>)>;

thread_local! {
    // Leaked on purpose: dropped during thread-local destruction at exit, the app would
    // touch actix-http's own thread-local pools, already gone.
    static HARNESS: &'static Harness = Box::leak(Box::new(harness()));
}

fn harness() -> Harness {
    let system = actix_web::rt::System::new();
    let received: std::rc::Rc<RefCell<Vec<group::SendMsgException>>> = Default::default();
    let app = {
        let received = received.clone();
        system.block_on(init_service(
            App::new().service(
                web::scope("/cb")
                    .wrap(TimCallback::new(
                        CallbackConfig::new(APP_ID).token(TOKEN).body_limit(LIMIT),
                    ))
                    .route(
                        "",
                        web::post().guard(command::<group::SendMsgException>()).to(
                            move |cb: Callback<group::SendMsgException>| {
                                received.borrow_mut().push(cb.into_inner());
                                async { Ack }
                            },
                        ),
                    ),
            ),
        ))
    };
    Box::new(move |body| {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs())
            .to_string();
        let uri = format!(
            "/cb?SdkAppid={APP_ID}&CallbackCommand=Group.CallbackSendMsgException&RequestTime={now}&Sign={}",
            actix_tim_callback::sign(TOKEN, &now)
        );
        let (status, reply) = system.block_on(async {
            let req = TestRequest::post().uri(&uri).set_payload(body).to_request();
            let res = call_service(&app, req).await;
            (res.status().as_u16(), read_body(res).await.to_vec())
        });
        (status, reply, std::mem::take(&mut *received.borrow_mut()))
    })
}

fn strict_floats() -> bool {
    static STRICT: OnceLock<bool> = OnceLock::new();
    *STRICT.get_or_init(|| std::env::var_os("FUZZ_STRICT_FLOATS").is_some())
}

/// JSON values equal, floats to a relative 1e-15.
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) if x.is_f64() || y.is_f64() => {
            match (x.as_f64(), y.as_f64()) {
                (Some(x), Some(y)) if !strict_floats() => {
                    x == y || (x - y).abs() <= 1e-15 * x.abs().max(y.abs())
                }
                _ => x == y,
            }
        }
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(x, y)| same(x, y))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }
        _ => a == b,
    }
}

fuzz_target!(|data: &[u8]| {
    let direct = serde_json::from_slice::<group::SendMsgException>(data);
    if let Ok(event) = &direct {
        let wire = serde_json::to_vec(event).expect("a decoded event serialises");
        let back: group::SendMsgException =
            serde_json::from_slice(&wire).expect("the crate's own output decodes");
        let (a, b) = (
            serde_json::to_value(event).expect("to_value"),
            serde_json::to_value(&back).expect("to_value"),
        );
        assert!(same(&a, &b), "round trip changed the event:\n{a}\n{b}");
    }
    // The raw decoder the catch-all extractor uses.
    let _ = serde_json::from_slice::<Value>(data);

    let (status, reply, received) = HARNESS.with(|call| call(data.to_vec()));
    let reply: Value = serde_json::from_slice(&reply).expect("every reply is JSON");
    match direct {
        Ok(event) if data.len() <= LIMIT => {
            assert_eq!(status, 200, "{reply}");
            assert_eq!(reply["ActionStatus"], "OK");
            assert_eq!(received.len(), 1);
            let (a, b) = (
                serde_json::to_value(&event).expect("to_value"),
                serde_json::to_value(&received[0]).expect("to_value"),
            );
            assert!(same(&a, &b), "the handler got another event");
        }
        _ => {
            assert!(status == 400 || status == 413, "status {status}: {reply}");
            assert_eq!(reply["ActionStatus"], "FAIL");
            assert!(
                received.is_empty(),
                "the handler ran on a body serde rejects"
            );
        }
    }
});
