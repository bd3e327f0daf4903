//! A bounded soak: many concurrent awc clients send a mix of valid, foreign, forged,
//! replayed, malformed, oversized and wrong-method callbacks to a real `HttpServer` on
//! loopback. Every valid callback must be acked OK and handled exactly once, every bad one
//! rejected with its FAIL reply, no 5xx, no panic, and the heap must not keep growing.
//!
//! Size: `TIM_SOAK_REQUESTS` (default 3 000, at least 1 000; a few seconds in a debug
//! build) and `TIM_SOAK_CLIENTS` (default 16). The long run:
//!
//! ```sh
//! TIM_SOAK_REQUESTS=1000000 cargo test --release --test soak -- --nocapture
//! ```
//!
//! Memory is counted by a counting global allocator over the whole process (server
//! workers, clients and test): the heap blocks and bytes alive after a warm-up of a fifth
//! of the requests, and again at the end, each time once the connections of the round are
//! closed. The blocks alive may grow by less than one per twenty requests sent after the
//! warm-up, so that leaking a single allocation on every tenth request fails the test
//! with room to spare, and the bytes alive by less than 64 per request. The process's
//! `VmRSS` is printed, not checked: allocators keep freed pages, so it cannot show a leak
//! that small.

mod common;

use std::{
    alloc::System,
    collections::HashMap,
    panic,
    sync::{
        atomic::{AtomicU8, AtomicUsize, Ordering},
        Arc, Mutex,
    },
    time::Duration,
};

use actix_tim_callback::{command, model::group, Ack, Callback, CallbackConfig, TimCallback};
use actix_web::web;
use common::{net::*, *};
use serde_json::{json, Value};
use stats_alloc::{StatsAlloc, INSTRUMENTED_SYSTEM};

#[global_allocator]
static GLOBAL: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

const LIMIT: usize = 16 * 1024;

/// How many heap blocks more may be alive at the end than after the warm-up, per request
/// sent in between: a twentieth (one leaked allocation on every tenth request is twice
/// that).
const BLOCKS_PER_REQUEST: f64 = 0.05;
/// How many heap bytes more may be alive at the end, per request sent in between.
const BYTES_PER_REQUEST: usize = 64;

/// Heap blocks and bytes alive in the whole process.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Heap {
    blocks: isize,
    bytes: isize,
}

impl Heap {
    fn now() -> Self {
        let stats = GLOBAL.stats();
        Heap {
            blocks: stats.allocations as isize - stats.deallocations as isize,
            bytes: stats.bytes_allocated as isize - stats.bytes_deallocated as isize,
        }
    }

    /// The heap once the server has dropped every connection the clients closed (a
    /// state, waited for), and the frees that follow have stopped: the first of two
    /// readings 100 ms apart that agree (or the last after 5 s).
    async fn settled(server: &TestServer) -> Self {
        let started = std::time::Instant::now();
        while server.open_connections() > 0 {
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "{} connections still open 30 s after the clients closed them",
                server.open_connections()
            );
            actix_web::rt::time::sleep(Duration::from_millis(5)).await;
        }
        let mut last = Heap::now();
        for _ in 0..50 {
            actix_web::rt::time::sleep(Duration::from_millis(100)).await;
            let now = Heap::now();
            if now == last {
                break;
            }
            last = now;
        }
        last
    }
}

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// How often the handler saw each request, by index `client * per_client + i`
/// (allocated before the run, so that the bookkeeping does not grow during it), and the
/// group ids it could not place.
#[derive(Clone)]
struct Seen {
    per_client: usize,
    counts: Arc<Vec<AtomicU8>>,
    strays: Arc<Mutex<Vec<String>>>,
}

impl Seen {
    fn new(clients: usize, per_client: usize) -> Self {
        Self {
            per_client,
            counts: Arc::new(
                (0..clients * per_client)
                    .map(|_| AtomicU8::new(0))
                    .collect(),
            ),
            strays: Arc::default(),
        }
    }

    fn record(&self, group_id: &str) {
        let index = group_id
            .strip_prefix("soak-")
            .and_then(|rest| rest.split_once('-'))
            .and_then(|(c, i)| Some((c.parse::<usize>().ok()?, i.parse::<usize>().ok()?)))
            .map(|(client, i)| client * self.per_client + i)
            .filter(|&index| index < self.counts.len());
        match index {
            Some(index) => {
                self.counts[index].fetch_add(1, Ordering::SeqCst);
            }
            None => self.strays.lock().unwrap().push(group_id.to_owned()),
        }
    }

    fn count(&self, client: usize, i: usize) -> u8 {
        self.counts[client * self.per_client + i].load(Ordering::SeqCst)
    }
}

fn configure(seen: Seen) -> impl Fn(&mut web::ServiceConfig) + Send + Clone + 'static {
    move |cfg: &mut web::ServiceConfig| {
        let seen = seen.clone();
        cfg.service(
            web::scope(PATH)
                .wrap(TimCallback::new(
                    CallbackConfig::new(APP_ID).token(TOKEN).body_limit(LIMIT),
                ))
                .route(
                    "",
                    web::post().guard(command::<group::SendMsgException>()).to(
                        move |cb: Callback<group::SendMsgException>| {
                            let seen = seen.clone();
                            async move {
                                seen.record(&cb.group_id);
                                Ack
                            }
                        },
                    ),
                ),
        );
    }
}

/// The kinds of request in the mix, and the reply each must get.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Kind {
    Valid,
    ForeignAppId,
    ForgedSign,
    Replayed,
    Malformed,
    WrongShape,
    Oversized,
    Get,
}

impl Kind {
    /// Every kind, in the order of their discriminants.
    const ALL: [Kind; 8] = [
        Kind::Valid,
        Kind::ForeignAppId,
        Kind::ForgedSign,
        Kind::Replayed,
        Kind::Malformed,
        Kind::WrongShape,
        Kind::Oversized,
        Kind::Get,
    ];

    /// The mix: valid callbacks are 40 %.
    const MIX: [Kind; 10] = [
        Kind::Valid,
        Kind::ForeignAppId,
        Kind::Valid,
        Kind::ForgedSign,
        Kind::Valid,
        Kind::Replayed,
        Kind::Malformed,
        Kind::Valid,
        Kind::WrongShape,
        Kind::Oversized,
    ];

    fn of(client: usize, i: usize) -> Kind {
        // Every 37th request is a GET, so that it lands on every kind's slot in turn.
        if (client + i) % 37 == 36 {
            return Kind::Get;
        }
        Kind::MIX[(client * 7 + i) % Kind::MIX.len()]
    }

    fn expected(self) -> (u16, u64) {
        match self {
            Kind::Valid => (200, 0),
            Kind::ForeignAppId => (403, 40303),
            Kind::ForgedSign => (401, 40104),
            Kind::Replayed => (401, 40103),
            Kind::Malformed | Kind::WrongShape => (400, 40002),
            Kind::Oversized => (413, 41301),
            Kind::Get => (405, 40501),
        }
    }
}

/// The URL and body of request `i` of `client`, and the group id of a valid one.
fn request(server: &TestServer, kind: Kind, id: &str) -> (String, Vec<u8>) {
    let now = now_secs();
    let signed = format!("&{}", signed_query(TOKEN, now));
    let mut body: Value = serde_json::from_str(SEED).expect("seed");
    body["GroupId"] = json!(id);
    let valid_body = body.to_string().into_bytes();
    let (uri, body) = match kind {
        Kind::Valid | Kind::Get => (exception_uri(&signed), valid_body),
        Kind::ForeignAppId => (
            format!(
                "{PATH}?SdkAppid={}&CallbackCommand={SEND_MSG_EXCEPTION}{signed}",
                APP_ID + 1
            ),
            valid_body,
        ),
        Kind::ForgedSign => (
            exception_uri(&format!(
                "&RequestTime={now}&Sign={}",
                actix_tim_callback::sign("guessed-token", &now.to_string())
            )),
            valid_body,
        ),
        Kind::Replayed => (
            exception_uri(&format!("&{}", signed_query(TOKEN, now - 600))),
            valid_body,
        ),
        Kind::Malformed => (exception_uri(&signed), valid_body[..40].to_vec()),
        Kind::WrongShape => (
            exception_uri(&signed),
            json!({"GroupId": 7, "Type": [], "ErrorCode": "x"})
                .to_string()
                .into_bytes(),
        ),
        Kind::Oversized => {
            body["Padding"] = json!("x".repeat(LIMIT));
            (exception_uri(&signed), body.to_string().into_bytes())
        }
    };
    (server.url(&uri), body)
}

/// What one client saw. Counted in an array, not a map, so that a tally allocates
/// nothing unless something went wrong (the heap check counts what it keeps).
#[derive(Debug, Default)]
struct Tally {
    /// Requests sent, by `Kind as usize`.
    sent: [usize; Kind::ALL.len()],
    mismatches: Vec<String>,
    server_errors: usize,
    transport_errors: Vec<String>,
}

async fn run_client(server: &TestServer, client: usize, range: std::ops::Range<usize>) -> Tally {
    let http = awc::Client::builder()
        .timeout(Duration::from_secs(30))
        .finish();
    let mut tally = Tally::default();
    for i in range {
        let kind = Kind::of(client, i);
        let id = format!("soak-{client}-{i}");
        let (url, body) = request(server, kind, &id);
        tally.sent[kind as usize] += 1;
        let sent = match kind {
            Kind::Get => http.get(&url).send().await,
            _ => http.post(&url).send_body(body).await,
        };
        let mut res = match sent {
            Ok(res) => res,
            Err(err) => {
                tally.transport_errors.push(format!("{kind:?} {id}: {err}"));
                continue;
            }
        };
        let status = res.status().as_u16();
        let reply = res.body().limit(64 * 1024).await.unwrap_or_default();
        if status >= 500 {
            tally.server_errors += 1;
        }
        let (expected_status, expected_code) = kind.expected();
        let reply_ok = if expected_code == 0 {
            reply == OK_JSON.as_bytes()
        } else {
            serde_json::from_slice::<Value>(&reply).is_ok_and(|json| {
                json["ActionStatus"] == "FAIL" && json["ErrorCode"] == expected_code
            })
        };
        if status != expected_status || !reply_ok {
            tally.mismatches.push(format!(
                "{kind:?} {id}: {status} {}",
                String::from_utf8_lossy(&reply)
            ));
        }
    }
    tally
}

/// Runs `clients` concurrent clients over requests `range` (split between them).
async fn round(
    server: &TestServer,
    clients: usize,
    per_client: std::ops::Range<usize>,
) -> Vec<Tally> {
    let runs = (0..clients).map(|client| run_client(server, client, per_client.clone()));
    futures_util::future::join_all(runs).await
}

#[actix_web::test]
async fn soak_mixed_callbacks_from_many_clients() {
    // Every panic anywhere in the process (server workers included) is counted.
    let panics = Arc::new(AtomicUsize::new(0));
    let previous = panic::take_hook();
    {
        let panics = panics.clone();
        panic::set_hook(Box::new(move |info| {
            panics.fetch_add(1, Ordering::SeqCst);
            previous(info);
        }));
    }

    // At least 1 000, so that the heap bound, made of per-request shares, is well above
    // what the run keeps for good (pools and buffers filled before the end of the warm-up).
    let total = env_usize("TIM_SOAK_REQUESTS", 3000).max(1000);
    for (index, kind) in Kind::ALL.into_iter().enumerate() {
        assert_eq!(kind as usize, index, "Kind::ALL is in declaration order");
    }
    let clients = env_usize("TIM_SOAK_CLIENTS", 16).max(1);
    let per_client = total.div_ceil(clients).max(5);
    let warm_up = per_client / 5;
    let seen = Seen::new(clients, per_client);
    let server = TestServer::start(2, configure(seen.clone()));

    let mut tallies = round(&server, clients, 0..warm_up).await;
    // Room for the second round's tallies, so that keeping them does not count as growth.
    tallies.reserve(clients);
    let heap_before = Heap::settled(&server).await;
    let rss_before = rss_kib();
    tallies.extend(round(&server, clients, warm_up..per_client).await);
    let heap_after = Heap::settled(&server).await;
    let rss_after = rss_kib();
    drop(server);
    let measured = clients * (per_client - warm_up);

    let mut sent: HashMap<Kind, usize> = HashMap::new();
    let mut mismatches = Vec::new();
    let mut transport_errors = Vec::new();
    let mut server_errors = 0;
    for tally in tallies {
        for (kind, n) in Kind::ALL.into_iter().zip(tally.sent) {
            *sent.entry(kind).or_default() += n;
        }
        mismatches.extend(tally.mismatches);
        transport_errors.extend(tally.transport_errors);
        server_errors += tally.server_errors;
    }
    let requests: usize = sent.values().sum();
    let mut handled = 0usize;
    let mut wrong_counts = Vec::new();
    for client in 0..clients {
        for i in 0..per_client {
            let expected = u8::from(Kind::of(client, i) == Kind::Valid);
            let count = seen.count(client, i);
            handled += usize::from(count);
            if count != expected {
                wrong_counts.push(format!("soak-{client}-{i}: handled {count} times"));
            }
        }
    }
    let strays = seen.strays.lock().unwrap().clone();
    eprintln!(
        "soak: {requests} requests from {clients} clients: {sent:?}; {} valid handled; \
         {} mismatches, {} transport errors, {server_errors} 5xx, {} panics; \
         heap {heap_before:?} after warm-up, {heap_after:?} at the end ({measured} requests \
         between); VmRSS {rss_before:?} KiB after warm-up, {rss_after:?} KiB at the end",
        handled,
        mismatches.len(),
        transport_errors.len(),
        panics.load(Ordering::SeqCst),
    );

    assert!(
        transport_errors.is_empty(),
        "{} transport errors, e.g. {:?}",
        transport_errors.len(),
        &transport_errors[..transport_errors.len().min(5)]
    );
    assert!(
        mismatches.is_empty(),
        "{} unexpected replies, e.g. {:?}",
        mismatches.len(),
        &mismatches[..mismatches.len().min(5)]
    );
    assert_eq!(server_errors, 0, "no 5xx");
    assert_eq!(panics.load(Ordering::SeqCst), 0, "no panics");
    // Every valid callback was handled exactly once, and nothing else was.
    assert!(strays.is_empty(), "unknown callbacks handled: {strays:?}");
    assert!(
        wrong_counts.is_empty(),
        "{} requests handled a wrong number of times, e.g. {:?}",
        wrong_counts.len(),
        &wrong_counts[..wrong_counts.len().min(5)]
    );
    assert_eq!(handled, sent.get(&Kind::Valid).copied().unwrap_or(0));
    for kind in Kind::MIX.iter().chain([&Kind::Get]) {
        assert!(
            sent.get(kind).copied().unwrap_or(0) > 0,
            "{kind:?} was sent"
        );
    }
    // The heap does not grow with the requests.
    let block_bound = (measured as f64 * BLOCKS_PER_REQUEST) as isize;
    let byte_bound = (measured * BYTES_PER_REQUEST) as isize;
    let grown = Heap {
        blocks: heap_after.blocks - heap_before.blocks,
        bytes: heap_after.bytes - heap_before.bytes,
    };
    assert!(
        grown.blocks < block_bound,
        "{} more heap blocks alive after {measured} requests (bound {block_bound}): a leak",
        grown.blocks
    );
    assert!(
        grown.bytes < byte_bound,
        "{} more heap bytes alive after {measured} requests (bound {byte_bound}): a leak",
        grown.bytes
    );
}
