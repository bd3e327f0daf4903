//! The whole callback path in process, without a network: `init_service` +
//! `call_service` of the seed callback through the five servers of
//! `benches/support/apps.rs` (bare, hand-written, decode-floor, crate, crate-dedup), the
//! requests built beforehand.
//!
//! - `cargo bench --bench callpath` runs the five in rounds, one batch each per round, and
//!   prints the median time per callback of each and the median of the per-round ratios
//!   crate / decode-floor: servers measured side by side share the machine's load, so
//!   the ratio is steadier than either time (`cargo test --benches` only checks that all
//!   five answer OK);
//! - `cargo bench --bench callpath -- crate 3000` runs 3000 callbacks through one server
//!   and exits: the driver `benches/callgrind.sh` counts instructions with it, which no
//!   other load on the machine can disturb.

#[path = "support/apps.rs"]
mod apps;

use std::{cell::Cell, time::Instant};

use actix_web::{
    dev::{Service, ServiceResponse},
    http::StatusCode,
    test::{call_service, init_service, TestRequest},
    web, App, Error,
};

use apps::Payload;

type Routes = fn(&mut web::ServiceConfig);

const SERVERS: [(&str, Routes, Payload); 8] = [
    ("bare", apps::bare_routes, Payload::Seed),
    ("hand-written", apps::handwritten_routes, Payload::Seed),
    ("decode-floor", apps::decode_floor_routes, Payload::Seed),
    ("crate-unsigned", apps::crate_unsigned_routes, Payload::Seed),
    ("crate", apps::crate_routes, Payload::Seed),
    ("crate-dedup", apps::crate_dedup_routes, Payload::Seed),
    ("crate-after", apps::crate_after_routes, Payload::After),
    (
        "crate-after-dedup",
        apps::crate_after_dedup_routes,
        Payload::After,
    ),
];

/// Signed callbacks, each with its own number, so that none duplicates another (the dedup
/// servers).
struct Requests {
    time: u64,
    sent: Cell<u64>,
}

impl Requests {
    fn new() -> Self {
        Self {
            time: apps::now_secs(),
            sent: Cell::new(0),
        }
    }

    fn batch(&self, payload: Payload, count: usize) -> Vec<actix_http::Request> {
        let path = payload.signed_path(self.time);
        (0..count)
            .map(|_| {
                self.sent.set(self.sent.get() + 1);
                TestRequest::post()
                    .uri(&path)
                    .set_payload(payload.numbered(self.sent.get()))
                    .to_request()
            })
            .collect()
    }
}

/// Sends `requests` through `app`; returns the time per callback in nanoseconds.
async fn run_batch<S>(app: &S, requests: Vec<actix_http::Request>) -> f64
where
    S: Service<actix_http::Request, Response = ServiceResponse, Error = Error>,
{
    let count = requests.len();
    let start = Instant::now();
    for req in requests {
        let res = call_service(app, req).await;
        assert_eq!(res.status(), StatusCode::OK);
    }
    start.elapsed().as_nanos() as f64 / count as f64
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let one = SERVERS
        .iter()
        .find(|(name, ..)| args.first().is_some_and(|arg| arg == name));
    actix_web::rt::System::new().block_on(async move {
        let requests = Requests::new();
        if let Some((_, routes, payload)) = one {
            // For callgrind: no warm-up, no timing, just this many callbacks.
            let count = args.get(1).and_then(|n| n.parse().ok()).unwrap_or(1000);
            let app = init_service(App::new().configure(*routes)).await;
            run_batch(&app, requests.batch(*payload, count)).await;
            return;
        }
        // `cargo bench` passes `--bench`; `cargo test --benches` does not: a smoke run then.
        let (rounds, per_batch) = if args.iter().any(|arg| arg == "--bench") {
            (31, 3_000)
        } else {
            (2, 10)
        };
        let mut apps = Vec::new();
        for (_, routes, _) in SERVERS {
            apps.push(init_service(App::new().configure(routes)).await);
        }
        for (app, (_, _, payload)) in apps.iter().zip(SERVERS) {
            run_batch(app, requests.batch(payload, per_batch)).await;
        }
        let mut times = vec![Vec::new(); SERVERS.len()];
        for _ in 0..rounds {
            for ((app, times), (_, _, payload)) in apps.iter().zip(&mut times).zip(SERVERS) {
                times.push(run_batch(app, requests.batch(payload, per_batch)).await);
            }
        }
        let mut ratios: Vec<f64> = times[4].iter().zip(&times[2]).map(|(c, f)| f / c).collect();
        println!("in-process callback path, seed payload (no network), {rounds} rounds:");
        for ((name, ..), times) in SERVERS.iter().zip(&mut times) {
            let median = median(times);
            println!(
                "  {name:<13} {median:>7.0} ns/callback (median; min {:.0}, max {:.0})",
                times[0],
                times[times.len() - 1]
            );
        }
        let median = median(&mut ratios);
        println!(
            "  crate / decode-floor throughput, median of per-round ratios: {median:.3} ({:.3}..{:.3})",
            ratios[0],
            ratios[ratios.len() - 1]
        );
    });
}
