//! The whole callback path in process, without a network: `init_service` +
//! `call_service` of the seed callback through the five servers of
//! `benches/support/apps.rs` (bare, hand-written, decode-floor, crate, crate-dedup), the requests built beforehand.
//!
//! - `cargo bench --bench callpath` prints the time per callback of each (median of
//!   batches; `cargo test --benches` only checks that all five answer OK);
//! - `cargo bench --bench callpath -- crate 3000` runs 3000 callbacks through one server
//!   and exits: the driver `benches/callgrind.sh` counts instructions with it, which no
//!   other load on the machine can disturb.

#[path = "support/apps.rs"]
mod apps;

use std::time::Instant;

use actix_web::{
    http::StatusCode,
    test::{call_service, init_service, TestRequest},
    web, App,
};

type Routes = fn(&mut web::ServiceConfig);

const SERVERS: [(&str, Routes); 5] = [
    ("bare", apps::bare_routes),
    ("hand-written", apps::handwritten_routes),
    ("decode-floor", apps::decode_floor_routes),
    ("crate", apps::crate_routes),
    ("crate-dedup", apps::crate_dedup_routes),
];

/// Sends `warm_up` callbacks, then `batches` batches of `per_batch`; returns the time per
/// callback of each batch, in nanoseconds.
async fn run(routes: Routes, warm_up: usize, batches: usize, per_batch: usize) -> Vec<f64> {
    let app = init_service(App::new().configure(routes)).await;
    let path = apps::signed_path(apps::now_secs());
    // Each callback its own `Random`, so that none duplicates another (crate-dedup).
    let sent = std::cell::Cell::new(0u64);
    let request = || {
        sent.set(sent.get() + 1);
        let body = apps::SEED.replacen("123456", &sent.get().to_string(), 1);
        TestRequest::post()
            .uri(&path)
            .set_payload(body)
            .to_request()
    };
    for _ in 0..warm_up {
        let res = call_service(&app, request()).await;
        assert_eq!(res.status(), StatusCode::OK);
    }
    let mut times = Vec::with_capacity(batches);
    for _ in 0..batches {
        let requests: Vec<_> = (0..per_batch).map(|_| request()).collect();
        let start = Instant::now();
        for req in requests {
            let res = call_service(&app, req).await;
            assert_eq!(res.status(), StatusCode::OK);
        }
        times.push(start.elapsed().as_nanos() as f64 / per_batch as f64);
    }
    times
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let one = SERVERS
        .iter()
        .find(|(name, _)| args.first().is_some_and(|arg| arg == name));
    actix_web::rt::System::new().block_on(async move {
        if let Some((_, routes)) = one {
            // For callgrind: no warm-up, no timing, just this many callbacks.
            let count = args.get(1).and_then(|n| n.parse().ok()).unwrap_or(1000);
            run(*routes, 0, 1, count).await;
            return;
        }
        // `cargo bench` passes `--bench`; `cargo test --benches` does not: a smoke run then.
        let (warm_up, batches, per_batch) = if args.iter().any(|arg| arg == "--bench") {
            (2_000, 15, 5_000)
        } else {
            (10, 3, 10)
        };
        println!("in-process callback path, seed payload (no network):");
        for (name, routes) in SERVERS {
            let mut times = run(routes, warm_up, batches, per_batch).await;
            times.sort_by(f64::total_cmp);
            println!(
                "  {name:<13} {:>7.0} ns/callback (median of {} batches, min {:.0}, max {:.0})",
                times[times.len() / 2],
                times.len(),
                times[0],
                times[times.len() - 1]
            );
        }
    });
}
