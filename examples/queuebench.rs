//! Load benchmark of the durable queue: five servers in this process, each an
//! `HttpServer` with one worker on a loopback port, driven in turn by `wrk` (one thread,
//! the same connections and duration) with `Group.CallbackAfterSendMsg` callbacks, every
//! request a distinct callback (its own `MsgSeq`, a `GroupId` per round):
//!
//! - **crate**: `TimCallback` + `Callback<AnyEvent>` returning `Ack` (no queue);
//! - **queue-sqlite**: the same route with `enqueue` into a `SqliteQueue` in a temp file
//!   (`SqliteQueue::callback_queue`: a batch in one `INSERT`), and a worker in the process
//!   that counts the tasks;
//! - **sqlite-apalis-push**: the same with apalis' own push
//!   (`CallbackQueue::new(sqlite.storage())`: a statement per task), in a file of its own;
//! - **queue-redis**: `enqueue` into a `RedisQueue` on a `redis-server` this bench starts
//!   on a free port, and a worker;
//! - **queue-postgres**: `enqueue` into a `PostgresQueue` on a PostgreSQL this bench starts
//!   on a free port (the tests' server: `tests/common/postgres.rs`, `fsync = off`), and a
//!   worker; left out when PostgreSQL is not installed.
//!
//! "CPU/task" is the CPU time that served a round, divided by the requests answered OK: this
//! process's (the HTTP worker, the pusher, the queue worker, SQLite's thread) plus the queue
//! server's (`redis-server`, or the postmaster and its backends), `wrk` left out. It is read
//! from `/proc`, so it holds when other work shares the machine and the throughput does not.
//!
//! After each queued round the bench waits until the worker has run every callback
//! answered OK ("drain": the time from the load's end until then; at most 60 s). The
//! table gives the medians over the rounds and the ratios to **crate**. `--only crate,queue-redis`
//! runs only the servers named (the table leaves the others out).
//!
//! ```sh
//! cargo run --release --example queuebench --features queue-sqlite,queue-redis,queue-postgres -- --rounds 3 --duration 5
//! ```

use std::{
    net::{SocketAddr, TcpListener},
    process::{Command, Stdio},
    sync::{
        atomic::{AtomicU64, Ordering},
        mpsc, Arc,
    },
    thread,
    time::{Duration, Instant},
};

use actix_tim_callback::{
    model::AnyEvent, queue::enqueue, queue::CallbackBackend, queue::CallbackQueue,
    queue::CallbackTask, queue::PostgresQueue, queue::QueueWorker, queue::RedisQueue, queue::Retry,
    queue::SqliteQueue, Ack, Callback, CallbackConfig, TimCallback,
};
use actix_web::{rt::System, web, App, HttpServer};

// The server the tests start; the bench uses only its start and URL.
#[allow(dead_code)]
#[path = "../tests/common/postgres.rs"]
mod postgres_server;

const PATH: &str = "/im/callback";
const QUERY: &str = "?SdkAppid=1400000000&CallbackCommand=Group.CallbackAfterSendMsg&contenttype=json&ClientIP=127.0.0.1&OptPlatform=RESTAPI";
const BODY: &str = include_str!("../tests/fixtures/samples/Group.CallbackAfterSendMsg.json");
const NAMES: [&str; 5] = [
    "crate",
    "queue-sqlite",
    "sqlite-apalis-push",
    "queue-redis",
    "queue-postgres",
];

struct Round {
    /// CPU seconds of this process and of the round's queue server over the round and its
    /// drain.
    cpu_s: f64,
    requests_per_sec: f64,
    p99_us: f64,
    requests: u64,
    errors: u64,
}

fn main() {
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("error")).init();
    let mut rounds = 3;
    let mut duration = 5;
    let mut connections = 32;
    let mut only: Option<String> = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let text = args.next().unwrap_or_default();
        let value = text.parse().unwrap_or(0);
        match arg.as_str() {
            "--only" => only = Some(text),
            "--rounds" => rounds = value,
            "--duration" => duration = value,
            "--connections" => connections = value,
            other => panic!("unknown argument {other}"),
        }
    }
    let redis_port = free_port();
    let dir = std::env::temp_dir().join(format!("queuebench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let mut redis = Command::new("redis-server")
        .args([
            "--port",
            &redis_port.to_string(),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
        ])
        .stdout(Stdio::null())
        .spawn()
        .expect("redis-server (apt-get install redis-server)");
    thread::sleep(Duration::from_millis(500));
    let postgres_server = postgres_server::PostgresServer::start();
    let postgres_url = postgres_server
        .as_ref()
        .map(postgres_server::PostgresServer::url);
    let postgres_pid = postgres_server
        .as_ref()
        .and_then(postgres_server::PostgresServer::pid);
    let redis_pid = redis.id();

    let (ready, addrs) = mpsc::channel();
    let db = dir.join("queue.db");
    let apalis_db = dir.join("apalis-push.db");
    let server_thread = thread::spawn(move || {
        System::new().block_on(async move {
            let done: Vec<Arc<AtomicU64>> = (0..NAMES.len())
                .map(|_| Arc::new(AtomicU64::new(0)))
                .collect();
            let sqlite = SqliteQueue::open(&db).await.expect("sqlite");
            let apalis_sqlite = SqliteQueue::open(&apalis_db).await.expect("sqlite");
            // Without persistence, as the runs before AOF was required: the figures stay
            // comparable (benches/README.md).
            let redis = RedisQueue::builder(&format!("redis://127.0.0.1:{redis_port}/"))
                .accept_no_persistence()
                .connect()
                .await
                .expect("redis");
            let count = |done: Arc<AtomicU64>| {
                move |_: CallbackTask| {
                    done.fetch_add(1, Ordering::Relaxed);
                    std::future::ready(Ok::<(), std::io::Error>(()))
                }
            };
            let mut workers: Vec<QueueWorker> = vec![
                sqlite.worker("bench", Retry::default(), count(done[1].clone())),
                apalis_sqlite.worker("bench", Retry::default(), count(done[2].clone())),
                redis.worker("bench", Retry::default(), count(done[3].clone())),
            ];
            let mut queues = vec![
                None,
                Some(web::Data::new(sqlite.callback_queue())),
                Some(web::Data::new(CallbackQueue::new(apalis_sqlite.storage()))),
                Some(web::Data::new(redis.callback_queue())),
            ];
            if let Some(url) = postgres_url {
                let postgres = PostgresQueue::connect(&url).await.expect("postgres");
                workers.push(postgres.worker("bench", Retry::default(), count(done[4].clone())));
                queues.push(Some(web::Data::new(postgres.callback_queue())));
            }
            let mut servers = Vec::new();
            let mut bound = Vec::new();
            for queue in queues {
                let tim = TimCallback::new(CallbackConfig::new(1400000000));
                let server = HttpServer::new(move || {
                    let scope = web::scope(PATH).wrap(tim.clone());
                    match &queue {
                        Some(queue) => App::new()
                            .app_data(queue.clone())
                            .service(scope.route("", web::post().to(enqueue))),
                        None => App::new().service(
                            scope.route("", web::post().to(|_: Callback<AnyEvent>| async { Ack })),
                        ),
                    }
                })
                .workers(1)
                .bind(("127.0.0.1", 0))
                .expect("bind");
                bound.push(server.addrs()[0]);
                servers.push(server.run());
            }
            ready.send((bound, done)).expect("send");
            futures_util::future::join_all(servers).await;
            for worker in workers {
                worker.stop().await;
            }
        })
    });
    let (addrs, done): (Vec<SocketAddr>, Vec<Arc<AtomicU64>>) = addrs.recv().expect("servers");

    let mut results: Vec<Vec<(Round, Option<f64>)>> = addrs.iter().map(|_| Vec::new()).collect();
    for round in 0..rounds {
        for (i, addr) in addrs.iter().enumerate() {
            if only
                .as_deref()
                .is_some_and(|names| !names.split(',').any(|name| name == NAMES[i]))
            {
                continue;
            }
            let script = dir.join(format!("r{round}-{i}.lua"));
            std::fs::write(&script, wrk_script(&format!("@TGS#bench{round}x{i}"))).expect("script");
            let before = done[i].load(Ordering::Relaxed);
            let server = match NAMES[i] {
                "queue-redis" => vec![redis_pid],
                "queue-postgres" => postgres_pid.map(family).unwrap_or_default(),
                _ => Vec::new(),
            };
            let cpu_before = cpu_seconds(std::process::id())
                + server.iter().map(|&p| cpu_seconds(p)).sum::<f64>();
            let mut result = run_wrk(duration, connections, *addr, &script);
            let ended = Instant::now();
            let drain = (i > 0).then(|| {
                let accepted = result.requests - result.errors;
                while done[i].load(Ordering::Relaxed) - before < accepted
                    && ended.elapsed() < Duration::from_secs(60)
                {
                    thread::sleep(Duration::from_millis(20));
                }
                let ran = done[i].load(Ordering::Relaxed) - before;
                if ran < accepted {
                    eprintln!(
                        "{}: only {ran} of {accepted} accepted ran within 60 s",
                        NAMES[i]
                    );
                }
                ended.elapsed().as_secs_f64()
            });
            // Backends that started during the round are counted; those that exited are not.
            let server = match NAMES[i] {
                "queue-postgres" => postgres_pid.map(family).unwrap_or_default(),
                _ => server,
            };
            result.cpu_s = cpu_seconds(std::process::id())
                + server.iter().map(|&p| cpu_seconds(p)).sum::<f64>()
                - cpu_before;
            eprintln!(
                "round {round} {:<13} {:>9.0} req/s  p99 {:>8.2} ms  errors {}  drain {}  CPU/task {:.1} µs",
                NAMES[i],
                result.requests_per_sec,
                result.p99_us / 1e3,
                result.errors,
                drain.map_or("-".to_owned(), |d| format!("{d:.2} s")),
                cpu_per_task(&result),
            );
            results[i].push((result, drain));
        }
    }
    let medians: Vec<(f64, f64, Option<f64>, f64)> = results
        .iter()
        .map(|rounds| {
            let mut rps: Vec<f64> = rounds.iter().map(|(r, _)| r.requests_per_sec).collect();
            let mut p99: Vec<f64> = rounds.iter().map(|(r, _)| r.p99_us).collect();
            let mut drain: Vec<f64> = rounds.iter().filter_map(|(_, d)| *d).collect();
            let mut cpu: Vec<f64> = rounds.iter().map(|(r, _)| cpu_per_task(r)).collect();
            (
                median(&mut rps),
                median(&mut p99),
                (!drain.is_empty()).then(|| median(&mut drain)),
                median(&mut cpu),
            )
        })
        .collect();
    println!(
        "| server | accepted/s | p99 | drain after load | CPU/task | accepted/s vs crate | p99 vs crate |"
    );
    println!("|---|---|---|---|---|---|---|");
    for (i, (rps, p99, drain, cpu)) in medians.iter().enumerate() {
        if results[i].is_empty() {
            continue;
        }
        println!(
            "| {} | {:.0} | {:.2} ms | {} | {:.1} µs | {:.3} | {:.2} |",
            NAMES[i],
            rps,
            p99 / 1e3,
            drain.map_or("–".to_owned(), |d| format!("{d:.2} s")),
            cpu,
            rps / medians[0].0,
            p99 / medians[0].1
        );
    }
    let _ = redis.kill();
    let _ = redis.wait();
    drop(postgres_server);
    let _ = std::fs::remove_dir_all(&dir);
    drop(server_thread);
    std::process::exit(0);
}

fn free_port() -> u16 {
    TcpListener::bind(("127.0.0.1", 0))
        .and_then(|l| l.local_addr())
        .expect("a port")
        .port()
}

/// Each request a distinct callback: `MsgSeq` counts up, `GroupId` is the round's own.
fn wrk_script(group: &str) -> String {
    let body = BODY.replace("\"MsgSeq\": 123", "\"MsgSeq\": 999999999");
    let body = body.replacen("@TGS#2J4SZEAEL", group, 1);
    let mut lua = String::new();
    lua.push_str("wrk.method = \"POST\"\n");
    lua.push_str(&format!("wrk.path = \"{PATH}{QUERY}\"\n"));
    lua.push_str("wrk.headers[\"Content-Type\"] = \"application/json\"\n");
    lua.push_str(&format!("wrk.body = [==[{body}]==]\n"));
    lua.push_str("local sent = 0\n");
    lua.push_str("request = function()\n  sent = sent + 1\n");
    lua.push_str("  local body = string.gsub(wrk.body, \"999999999\", tostring(sent), 1)\n");
    lua.push_str("  return wrk.format(nil, nil, nil, body)\nend\n");
    lua
}

fn run_wrk(duration: u64, connections: u64, addr: SocketAddr, script: &std::path::Path) -> Round {
    let output = Command::new("wrk")
        .args([
            "-t1",
            &format!("-c{connections}"),
            &format!("-d{duration}s"),
            "--latency",
            "-s",
        ])
        .arg(script)
        .arg(format!("http://{addr}"))
        .output()
        .expect("wrk (apt-get install wrk)");
    let report = String::from_utf8_lossy(&output.stdout);
    let mut round = Round {
        cpu_s: 0.0,
        requests_per_sec: 0.0,
        p99_us: 0.0,
        requests: 0,
        errors: 0,
    };
    for line in report.lines().map(str::trim) {
        if let Some(rest) = line.strip_prefix("Requests/sec:") {
            round.requests_per_sec = rest.trim().parse().unwrap_or(0.0);
        } else if let Some(rest) = line.strip_prefix("99%") {
            round.p99_us = duration_us(rest.trim());
        } else if let Some(rest) = line.strip_prefix("Non-2xx or 3xx responses:") {
            round.errors += rest.trim().parse::<u64>().unwrap_or(0);
        } else if line.contains(" requests in ") {
            round.requests = line
                .split_whitespace()
                .next()
                .and_then(|n| n.parse().ok())
                .unwrap_or(0);
        }
    }
    round
}

/// CPU µs per request answered OK.
fn cpu_per_task(round: &Round) -> f64 {
    round.cpu_s * 1e6 / (round.requests - round.errors).max(1) as f64
}

/// User and system CPU seconds of process `pid` (all its threads), 0 once it is gone.
fn cpu_seconds(pid: u32) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    // The fields after the command (which may hold spaces) in parentheses.
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .map_or("", |(_, rest)| rest)
        .split_whitespace()
        .collect();
    let ticks = |n: usize| {
        fields
            .get(n)
            .and_then(|f| f.parse::<u64>().ok())
            .unwrap_or(0)
    };
    // utime and stime are fields 14 and 15 of the line, 12 and 13 after the command;
    // the kernel counts them in USER_HZ, 100 on Linux.
    (ticks(11) + ticks(12)) as f64 / 100.0
}

/// `pid` and its children (a postmaster's backends).
fn family(pid: u32) -> Vec<u32> {
    let mut pids = vec![pid];
    let children =
        std::fs::read_to_string(format!("/proc/{pid}/task/{pid}/children")).unwrap_or_default();
    pids.extend(
        children
            .split_whitespace()
            .filter_map(|p| p.parse::<u32>().ok()),
    );
    pids
}

fn duration_us(text: &str) -> f64 {
    let split = text
        .find(|c: char| c.is_ascii_alphabetic())
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let number: f64 = number.parse().unwrap_or(0.0);
    number
        * match unit {
            "us" => 1.0,
            "ms" => 1e3,
            "s" => 1e6,
            _ => 0.0,
        }
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values.get(values.len() / 2).copied().unwrap_or(0.0)
}
