//! Decoding a `Group.CallbackSendMsgException` body:
//!
//! - `model`: the crate's `group::SendMsgException`, exactly as `Callback<group::SendMsgException>`
//!   decodes it (the body checked as UTF-8 once, then `serde_json::from_str`);
//! - `model_from_slice`: the same model through `serde_json::from_slice`;
//! - `value`: `serde_json::from_slice::<serde_json::Value>`;
//! - `naive`: `serde_json::from_slice` into a `#[derive(Deserialize)]` struct of owned
//!   `String`s with the elements as `Value`s (`benches/support/apps.rs`, the hand-written
//!   baseline's struct).
//!
//! Two payloads: `seed`, Tencent's documented example (pretty-printed, as in the docs),
//! and `large`, a compact body with text, image and video elements and a `TIMRelayElem`
//! whose `MsgList` is 12 KB of forwarded text, image and video messages.
//!
//! `cargo bench --bench decode`; criterion prints the time per callback and MB/s
//! (10^6 bytes per second). Instructions per decode, with valgrind:
//! `DECODE_COUNT=N valgrind --tool=callgrind target/release/deps/decode-… seed|large` for
//! two values of N.

#[path = "support/apps.rs"]
mod apps;
#[path = "support/payloads.rs"]
mod payloads;

use std::hint::black_box;

use actix_tim_callback::model::{group, MsgElement};
use apps::NaiveException;
use criterion::{criterion_group, Criterion, Throughput};
use serde_json::Value;

/// Fails loudly if a payload does not decode the same way with all three.
fn check(payload: &str, elements: usize) {
    let model: group::SendMsgException = serde_json::from_str(payload).expect("model decodes");
    assert_eq!(model.group_id, "@TGS#2J4SZEAEL");
    assert_eq!(model.msg_body.len(), elements);
    assert!(!model
        .msg_body
        .iter()
        .any(|e| matches!(e, MsgElement::Unknown { .. })));
    let naive: NaiveException = serde_json::from_str(payload).expect("naive decodes");
    assert_eq!(naive.msg_body.len(), elements);
    let value: Value = serde_json::from_str(payload).expect("value decodes");
    assert_eq!(value["MsgBody"].as_array().map(Vec::len), Some(elements));
}

fn decode(c: &mut Criterion) {
    let large = payloads::large_payload();
    check(apps::SEED, 1);
    check(&large, 4);
    for (name, payload) in [("seed", apps::SEED), ("large", large.as_str())] {
        let bytes = payload.as_bytes();
        let mut group = c.benchmark_group(format!("decode/{name}"));
        group.throughput(Throughput::BytesDecimal(bytes.len() as u64));
        group.bench_function("model", |b| {
            b.iter(|| {
                let text = std::str::from_utf8(black_box(bytes)).unwrap();
                serde_json::from_str::<group::SendMsgException>(text).unwrap()
            })
        });
        group.bench_function("model_from_slice", |b| {
            b.iter(|| serde_json::from_slice::<group::SendMsgException>(black_box(bytes)).unwrap())
        });
        group.bench_function("value", |b| {
            b.iter(|| serde_json::from_slice::<Value>(black_box(bytes)).unwrap())
        });
        group.bench_function("naive", |b| {
            b.iter(|| serde_json::from_slice::<NaiveException>(black_box(bytes)).unwrap())
        });
        group.finish();
        println!("decode/{name}: {} bytes", bytes.len());
    }
}

criterion_group!(benches, decode);

/// `DECODE_COUNT=N decode seed|large` decodes that payload N times into the model and
/// exits, for counting instructions with callgrind (deterministic on a loaded machine):
/// the difference between two counts over the difference of N is the cost of one decode.
fn main() {
    if let Some(count) = std::env::var("DECODE_COUNT")
        .ok()
        .and_then(|n| n.parse().ok())
    {
        let large = payloads::large_payload();
        let payload = match std::env::args().nth(1).as_deref() {
            Some("large") => large.as_str(),
            _ => apps::SEED,
        };
        for _ in 0..count {
            let text = std::str::from_utf8(black_box(payload.as_bytes())).unwrap();
            black_box(serde_json::from_str::<group::SendMsgException>(text).unwrap());
        }
        return;
    }
    benches();
    Criterion::default().configure_from_args().final_summary();
}
