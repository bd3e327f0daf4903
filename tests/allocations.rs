//! Heap allocations per accepted callback, counted by a counting global allocator, for
//! the crate (`TimCallback` + `Callback<group::SendMsgException>`, token set) and for the
//! hand-written handler a careful user would write without it (see
//! `benches/support/apps.rs`), with the bare handler as the floor of the stack.
//!
//! Each app is driven through `init_service` + `call_service` the same way: the requests
//! are built before counting starts, and the count covers the whole service call (routing,
//! middleware, extractors, decode, handler, reply) and dropping the response. Run with
//! `cargo test --test allocations -- --nocapture` to see the numbers.
//!
//! This file is its own test binary with one test, so nothing else allocates while it
//! counts.

#[path = "../benches/support/apps.rs"]
mod apps;

use std::alloc::System;

use actix_web::{
    http::StatusCode,
    test::{call_service, init_service, read_body, TestRequest},
    web, App,
};
use stats_alloc::{Region, StatsAlloc, INSTRUMENTED_SYSTEM};

#[global_allocator]
static GLOBAL: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

/// Requests before counting: fills actix's request and response pools and every lazy
/// initialisation.
const WARM_UP: usize = 200;
/// Requests counted.
const COUNTED: usize = 2_000;

/// What one accepted callback costs.
#[derive(Debug, Clone, Copy)]
struct Cost {
    /// Allocations plus reallocations, per request.
    allocations: f64,
    /// Bytes allocated, per request.
    bytes: f64,
}

async fn cost_per_callback(routes: fn(&mut web::ServiceConfig)) -> Cost {
    let app = init_service(App::new().configure(routes)).await;
    let path = apps::signed_path(apps::now_secs());
    // Each request its own `Random` (of the seed's six digits), so that none duplicates
    // another: with duplicate suppression every one is claimed.
    let next = std::cell::Cell::new(100_000);
    let request = || {
        next.set(next.get() + 1);
        let body = apps::SEED.replace("123456", &next.get().to_string());
        TestRequest::post()
            .uri(&path)
            .set_payload(body)
            .to_request()
    };

    for _ in 0..WARM_UP {
        let res = call_service(&app, request()).await;
        assert_eq!(res.status(), StatusCode::OK);
        assert_eq!(read_body(res).await, apps::OK_JSON.as_bytes());
    }

    let requests: Vec<_> = (0..COUNTED).map(|_| request()).collect();
    let region = Region::new(GLOBAL);
    for req in requests {
        let res = call_service(&app, req).await;
        assert_eq!(res.status(), StatusCode::OK);
    }
    let change = region.change();
    let per_request = |n: usize| n as f64 / COUNTED as f64;
    Cost {
        allocations: per_request(change.allocations + change.reallocations),
        bytes: per_request(change.bytes_allocated),
    }
}

#[actix_web::test]
async fn crate_allocates_no_more_than_the_hand_written_handler() {
    let bare = cost_per_callback(apps::bare_routes).await;
    let hand_written = cost_per_callback(apps::handwritten_routes).await;
    let decode_floor = cost_per_callback(apps::decode_floor_routes).await;
    let with_crate = cost_per_callback(apps::crate_routes).await;
    let with_dedup = cost_per_callback(apps::crate_dedup_routes).await;

    println!("heap allocations per accepted callback (seed payload, {COUNTED} requests):");
    for (name, cost) in [
        ("bare", bare),
        ("hand-written", hand_written),
        ("decode-floor", decode_floor),
        ("crate", with_crate),
        ("crate-dedup", with_dedup),
    ] {
        println!(
            "  {name:<13} {:>6.2} allocations  {:>8.1} bytes",
            cost.allocations, cost.bytes
        );
    }

    assert!(
        with_crate.allocations <= hand_written.allocations,
        "the crate allocates more per callback ({:.2}) than the hand-written handler ({:.2})",
        with_crate.allocations,
        hand_written.allocations
    );
}
