//! End-to-end load benchmark: the servers of `benches/support/apps.rs` in this process,
//! each an `HttpServer` with one worker on a loopback port, driven in turn by `wrk` with
//! the same connections and duration, posting Tencent's example
//! `Group.CallbackSendMsgException` callback (each with its own `Random`):
//!
//! - **bare**: a handler that ignores the body and returns the static OK JSON;
//! - **hand-written**: `web::Query`, app id and sha256 signature check, `web::Bytes` +
//!   `serde_json::from_slice` into a derive struct, `HttpResponse::Ok().json(..)`;
//! - **decode-floor**: `web::Bytes` + `serde_json::from_slice` into the crate's own
//!   `group::SendMsgException`, then the static OK JSON: the limit of any typed receiver on actix;
//! - **crate**: `TimCallback` (token set) + `Callback<group::SendMsgException>` returning `Ack`;
//! - **crate-dedup**: the same with duplicate suppression in a `MemoryStore` (each request
//!   carries its own `Random`, so every one is claimed under a digest of its body);
//! - **crate-after** / **crate-after-dedup**: the crate for `Group.CallbackAfterSendMsg`,
//!   each request its own `MsgSeq`, without and with a `MemoryStore` (the key is the body's
//!   `GroupId` and `MsgSeq`).
//!
//! Rounds alternate the servers; each round signs a fresh query (`RequestTime` is now). The
//! table gives the median over the rounds of requests/s, p50 and p99 latency, the CPU per
//! request of the servers (this process) and of `wrk` (a client near one core per second
//! of load is the limit, not the server), and the ratios.
//!
//! ```sh
//! benches/loadbench.sh                    # installs wrk if missing, then runs this
//! cargo run --release --example loadbench -- --rounds 5 --duration 5 --connections 32
//! ```

#[path = "../benches/support/apps.rs"]
mod apps;

use std::{
    fmt::Write as _,
    io::{Read, Write},
    net::{SocketAddr, TcpStream},
    process::{Command, ExitCode},
    sync::mpsc,
    thread,
    time::Duration,
};

use actix_web::{dev::ServerHandle, rt::System, web, App, HttpServer};

use apps::Payload;

/// The routes of one server.
type Routes = fn(&mut web::ServiceConfig);

/// The servers, in the order each round runs them, and what each is posted.
const SERVERS: &[(&str, Routes, Payload)] = &[
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
    #[cfg(feature = "redis")]
    ("crate-redis", apps::crate_redis_routes, Payload::Seed),
];

/// The servers this run measures: crate-redis only when `TIM_LOADBENCH_REDIS` names a
/// Redis server (`benches/loadbench.sh` starts one).
fn servers() -> Vec<(&'static str, Routes, Payload)> {
    let redis = std::env::var("TIM_LOADBENCH_REDIS").is_ok();
    SERVERS
        .iter()
        .copied()
        .filter(|(name, ..)| redis || *name != "crate-redis")
        .collect()
}

/// Command-line settings.
#[derive(Debug, Clone)]
struct Args {
    rounds: usize,
    duration: u64,
    warm_up: u64,
    connections: usize,
    threads: usize,
    /// Run only this server (for profiling); the ratios need all five.
    only: Option<String>,
    /// Pin the servers to CPU 0 and wrk to CPU 1 (with `taskset`), so that the two never
    /// share a core (needs two CPUs or more).
    pin: bool,
}

impl Args {
    fn parse() -> Result<Self, String> {
        let mut args = Args {
            rounds: 5,
            duration: 5,
            warm_up: 2,
            connections: 32,
            threads: 1,
            only: None,
            pin: false,
        };
        let mut it = std::env::args().skip(1);
        while let Some(flag) = it.next() {
            if flag == "--help" || flag == "-h" {
                return Err(String::new());
            }
            if flag == "--pin" {
                args.pin = true;
                continue;
            }
            if flag == "--only" {
                let name = it.next().ok_or("--only needs a server name")?;
                if !SERVERS.iter().any(|(server, ..)| *server == name) {
                    return Err(format!("--only: no server named {name}"));
                }
                args.only = Some(name);
                continue;
            }
            let value = it
                .next()
                .ok_or_else(|| format!("{flag} needs a value"))?
                .parse::<u64>()
                .map_err(|err| format!("{flag}: {err}"))?;
            match flag.as_str() {
                "--rounds" => args.rounds = value.max(1) as usize,
                "--duration" => args.duration = value.max(1),
                "--warm-up" => args.warm_up = value,
                "--connections" => args.connections = value.max(1) as usize,
                "--threads" => args.threads = value.max(1) as usize,
                other => return Err(format!("unknown argument {other}")),
            }
        }
        Ok(args)
    }
}

const USAGE: &str = "usage: loadbench [--rounds N (5)] [--duration SECONDS (5)] \
[--warm-up SECONDS (2)] [--connections C (32)] [--threads T (1)] \
[--only bare|hand-written|crate] [--pin]";

/// What `wrk` reported for one round.
#[derive(Debug, Clone, Copy)]
struct Round {
    requests_per_sec: f64,
    p50_us: f64,
    p99_us: f64,
    /// CPU time of this process (the servers) per request, in microseconds: the cost of
    /// a callback, less sensitive than throughput to other load on the machine.
    cpu_us: f64,
    /// CPU time of `wrk` per second of load: near 1.0, the client is the limit.
    wrk_cpu: f64,
    /// Non-2xx/3xx responses plus socket errors: must be 0.
    errors: u64,
}

fn main() -> ExitCode {
    let args = match Args::parse() {
        Ok(args) => args,
        Err(err) => {
            if !err.is_empty() {
                eprintln!("{err}");
            }
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    if Command::new("wrk").arg("--version").output().is_err() {
        eprintln!(
            "wrk is not installed: run benches/loadbench.sh (installs it), or apt-get install wrk"
        );
        return ExitCode::from(2);
    }

    let machine = machine();
    let (handles, addrs, server_thread) = start_servers();
    let pinned = args.pin && pin_servers();
    let servers = servers();
    for ((name, _, payload), addr) in servers.iter().zip(&addrs) {
        if let Err(err) = check_server(*addr, *payload) {
            eprintln!("{name} server on {addr} does not answer a callback OK: {err}");
            return ExitCode::FAILURE;
        }
    }

    println!(
        "loadbench: wrk -t{} -c{} -d{}s, {} rounds (+ {} s warm-up), servers with 1 worker each, {}",
        args.threads,
        args.connections,
        args.duration,
        args.rounds,
        args.warm_up,
        if pinned {
            "servers on CPU 0 and wrk on CPU 1"
        } else {
            "not pinned"
        }
    );
    println!("machine: {machine}");

    let script = std::env::temp_dir().join(format!("tim-loadbench-{}.lua", std::process::id()));
    let mut results: Vec<Vec<Round>> = vec![Vec::new(); servers.len()];
    let mut failed = false;
    let total_rounds = usize::from(args.warm_up > 0) + args.rounds;
    for round in 0..total_rounds {
        let warm_up = args.warm_up > 0 && round == 0;
        let duration = if warm_up { args.warm_up } else { args.duration };
        for (i, (name, _, payload)) in servers.iter().enumerate() {
            if args.only.as_ref().is_some_and(|only| only != name) {
                continue;
            }
            // A fresh signature for each run: the replay window is 60 s.
            let lua = wrk_script(*payload, &payload.signed_path(apps::now_secs()));
            if let Err(err) = std::fs::write(&script, lua) {
                eprintln!("cannot write {}: {err}", script.display());
                return ExitCode::FAILURE;
            }
            let (cpu_before, children_before) = process_cpu_secs();
            let result = run_wrk(&args, pinned, duration, addrs[i], &script).map(|mut r| {
                let (cpu_after, children_after) = process_cpu_secs();
                let requests = r.requests_per_sec * duration as f64;
                r.cpu_us = (cpu_after - cpu_before) * 1e6 / requests.max(1.0);
                r.wrk_cpu = (children_after - children_before) / duration as f64;
                r
            });
            match result {
                Ok(r) => {
                    let label = if warm_up {
                        "warm-up".to_owned()
                    } else {
                        format!("round {}", round + usize::from(args.warm_up == 0))
                    };
                    println!(
                        "  {label:<9} {name:<17} {:>8.0} req/s  p50 {:>8}  p99 {:>8}  cpu {:>5.1}us/req  wrk {:>4.2} cpu{}",
                        r.requests_per_sec,
                        micros(r.p50_us),
                        micros(r.p99_us),
                        r.cpu_us,
                        r.wrk_cpu,
                        if r.errors > 0 {
                            format!("  ({} ERRORS)", r.errors)
                        } else {
                            String::new()
                        }
                    );
                    failed |= r.errors > 0;
                    if !warm_up {
                        results[i].push(r);
                    }
                }
                Err(err) => {
                    eprintln!("wrk failed against {name}: {err}");
                    return ExitCode::FAILURE;
                }
            }
        }
    }
    let _ = std::fs::remove_file(&script);

    if args.only.is_some() {
        stop_servers(handles, server_thread);
        return ExitCode::SUCCESS;
    }
    let medians: Vec<Round> = results.iter().map(|rounds| median_round(rounds)).collect();
    println!();
    println!(
        "{:<17} {:>10} {:>9} {:>9} {:>12} {:>8} {:>13}",
        "server", "req/s", "p50", "p99", "cpu/req", "wrk cpu", "req/s spread"
    );
    for ((name, ..), (median, rounds)) in servers.iter().zip(medians.iter().zip(&results)) {
        let min = rounds
            .iter()
            .map(|r| r.requests_per_sec)
            .fold(f64::MAX, f64::min);
        let max = rounds
            .iter()
            .map(|r| r.requests_per_sec)
            .fold(0.0, f64::max);
        println!(
            "{name:<17} {:>10.0} {:>9} {:>9} {:>10.1}us {:>8.2} {:>12.1}%",
            median.requests_per_sec,
            micros(median.p50_us),
            micros(median.p99_us),
            median.cpu_us,
            median.wrk_cpu,
            (max - min) / median.requests_per_sec * 100.0
        );
    }
    // Each round runs the servers back to back, so the ratios within a round share the
    // machine's conditions; their median is less sensitive to drifting load.
    let index = |name: &str| servers.iter().position(|(server, ..)| *server == name);
    let paired = |a: &str, b: &str| -> Option<String> {
        let (a, b) = (index(a)?, index(b)?);
        let mut ratios: Vec<f64> = results[a]
            .iter()
            .zip(&results[b])
            .map(|(a, b)| a.requests_per_sec / b.requests_per_sec)
            .collect();
        let median = median(&mut ratios);
        // Oriented as the throughput ratio: above 1.0, `a` is the cheaper.
        let cpu = medians[b].cpu_us / medians[a].cpu_us;
        Some(format!(
            "{median:.3} ({:.3}..{:.3}), cpu/req {cpu:.3}",
            ratios[0],
            ratios[ratios.len() - 1]
        ))
    };
    println!(
        "per-round throughput ratios a / b, median (min..max), and cpu/req of b / a (the same way up):"
    );
    for (a, b) in [
        ("crate-unsigned", "decode-floor"),
        ("crate", "decode-floor"),
        ("crate-dedup", "crate"),
        ("crate-after-dedup", "crate-after"),
        ("crate-redis", "crate"),
        ("crate", "hand-written"),
        ("crate", "bare"),
    ] {
        if let Some(ratio) = paired(a, b) {
            println!("  {a} / {b}: {ratio}");
        }
    }
    println!(
        "(medians over {} rounds; spread = (max - min) / median)",
        args.rounds
    );

    stop_servers(handles, server_thread);
    if failed {
        eprintln!("some requests were not answered 200: the numbers are not valid");
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}

/// Starts the five servers on a thread of their own; returns their handles, their
/// addresses and the thread.
fn start_servers() -> (
    Vec<ServerHandle>,
    Vec<SocketAddr>,
    thread::JoinHandle<std::io::Result<()>>,
) {
    let (tx, rx) = mpsc::channel();
    let thread = thread::spawn(move || {
        System::new().block_on(async move {
            let mut running = Vec::new();
            #[cfg(feature = "redis")]
            if let Ok(url) = std::env::var("TIM_LOADBENCH_REDIS") {
                // Connected in this thread's runtime, which runs as long as the servers.
                let store = actix_tim_callback::dedup::RedisStore::connect(&url)
                    .await
                    .map_err(std::io::Error::other)?;
                let _ = apps::REDIS_STORE.set(store);
            }
            for (_, routes, _) in servers() {
                let server = HttpServer::new(move || App::new().configure(routes))
                    .workers(1)
                    .disable_signals()
                    .bind(("127.0.0.1", 0))?;
                let addr = server.addrs()[0];
                let server = server.run();
                tx.send((server.handle(), addr))
                    .expect("the main thread waits for the servers");
                running.push(server);
            }
            drop(tx);
            for result in futures_util::future::join_all(running).await {
                result?;
            }
            Ok(())
        })
    });
    let (handles, addrs) = rx.iter().unzip();
    (handles, addrs, thread)
}

fn stop_servers(handles: Vec<ServerHandle>, thread: thread::JoinHandle<std::io::Result<()>>) {
    System::new().block_on(async move {
        for handle in handles {
            handle.stop(false).await;
        }
    });
    if let Ok(Err(err)) = thread.join() {
        eprintln!("server error: {err}");
    }
}

/// Pins every thread of this process (the servers' workers and acceptors) to CPU 0, so
/// that wrk can have CPU 1 to itself. False where that is not possible.
fn pin_servers() -> bool {
    if thread::available_parallelism().map_or(1, |n| n.get()) < 2 {
        return false;
    }
    Command::new("taskset")
        .args(["-a", "-p", "-c", "0", &std::process::id().to_string()])
        .output()
        .is_ok_and(|output| output.status.success())
}

/// Posts one signed callback with a plain HTTP/1.1 request and checks the exact OK reply.
fn check_server(addr: SocketAddr, payload: Payload) -> Result<(), String> {
    let mut stream = TcpStream::connect(addr).map_err(|err| err.to_string())?;
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .map_err(|err| err.to_string())?;
    let request = format!(
        "POST {} HTTP/1.1\r\nHost: {addr}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{}",
        payload.signed_path(apps::now_secs()),
        payload.body().len(),
        payload.body()
    );
    stream
        .write_all(request.as_bytes())
        .map_err(|err| err.to_string())?;
    let mut response = String::new();
    stream
        .read_to_string(&mut response)
        .map_err(|err| err.to_string())?;
    if response.starts_with("HTTP/1.1 200") && response.ends_with(apps::OK_JSON) {
        Ok(())
    } else {
        Err(response)
    }
}

/// The wrk script: a `POST` of the payload to the signed URL, without `Content-Type` (as
/// Tencent sends it).
fn wrk_script(payload: Payload, path: &str) -> String {
    let mut lua = String::new();
    writeln!(lua, "wrk.method = \"POST\"").unwrap();
    writeln!(lua, "wrk.path = \"{path}\"").unwrap();
    writeln!(lua, "wrk.body = [==[{}]==]", payload.body()).unwrap();
    // Each request its own number, so that no callback duplicates another (only the
    // dedup servers look).
    writeln!(lua, "local sent = 0").unwrap();
    writeln!(lua, "request = function()").unwrap();
    writeln!(lua, "  sent = sent + 1").unwrap();
    writeln!(
        lua,
        "  local body = string.gsub(wrk.body, [==[{}]==], [==[{}]==] .. tostring(sent), 1)",
        payload.placeholder(),
        payload.kept()
    )
    .unwrap();
    writeln!(lua, "  return wrk.format(nil, nil, nil, body)").unwrap();
    writeln!(lua, "end").unwrap();
    lua
}

fn run_wrk(
    args: &Args,
    pinned: bool,
    duration: u64,
    addr: SocketAddr,
    script: &std::path::Path,
) -> Result<Round, String> {
    let mut command = if pinned {
        let mut taskset = Command::new("taskset");
        taskset.args(["-c", "1", "wrk"]);
        taskset
    } else {
        Command::new("wrk")
    };
    let output = command
        .arg(format!("-t{}", args.threads))
        .arg(format!("-c{}", args.connections))
        .arg(format!("-d{duration}s"))
        .arg("--latency")
        .arg("-s")
        .arg(script)
        .arg(format!("http://{addr}"))
        .output()
        .map_err(|err| err.to_string())?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    if !output.status.success() {
        return Err(format!(
            "{}{}",
            stdout,
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    parse_wrk(&stdout).ok_or_else(|| format!("cannot read wrk's report:\n{stdout}"))
}

/// Reads `Requests/sec`, the 50% and 99% latencies and the error counts of wrk's report.
fn parse_wrk(report: &str) -> Option<Round> {
    let mut requests_per_sec = None;
    let mut p50_us = None;
    let mut p99_us = None;
    let mut errors = 0;
    for line in report.lines().map(str::trim) {
        if let Some(rest) = line.strip_prefix("Requests/sec:") {
            requests_per_sec = rest.trim().parse().ok();
        } else if let Some(rest) = line.strip_prefix("50%") {
            p50_us = parse_duration_us(rest.trim());
        } else if let Some(rest) = line.strip_prefix("99%") {
            p99_us = parse_duration_us(rest.trim());
        } else if let Some(rest) = line.strip_prefix("Non-2xx or 3xx responses:") {
            errors += rest.trim().parse::<u64>().ok()?;
        } else if let Some(rest) = line.strip_prefix("Socket errors:") {
            // "connect 0, read 0, write 0, timeout 0"
            for part in rest.split(',') {
                errors += part.split_whitespace().nth(1)?.parse::<u64>().ok()?;
            }
        }
    }
    Some(Round {
        requests_per_sec: requests_per_sec?,
        p50_us: p50_us?,
        p99_us: p99_us?,
        cpu_us: 0.0,
        wrk_cpu: 0.0,
        errors,
    })
}

/// `161.00us`, `1.23ms`, `2.00s` in microseconds.
fn parse_duration_us(text: &str) -> Option<f64> {
    let split = text.find(|c: char| c.is_ascii_alphabetic())?;
    let (number, unit) = text.split_at(split);
    let number: f64 = number.parse().ok()?;
    let scale = match unit {
        "us" => 1.0,
        "ms" => 1e3,
        "s" => 1e6,
        "m" => 60e6,
        _ => return None,
    };
    Some(number * scale)
}

fn micros(us: f64) -> String {
    if us >= 1000.0 {
        format!("{:.2}ms", us / 1000.0)
    } else {
        format!("{us:.0}us")
    }
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    let mid = values.len() / 2;
    if values.len() % 2 == 1 {
        values[mid]
    } else {
        (values[mid - 1] + values[mid]) / 2.0
    }
}

/// The median of each column, over the rounds.
fn median_round(rounds: &[Round]) -> Round {
    let column = |f: fn(&Round) -> f64| median(&mut rounds.iter().map(f).collect::<Vec<_>>());
    Round {
        requests_per_sec: column(|r| r.requests_per_sec),
        p50_us: column(|r| r.p50_us),
        p99_us: column(|r| r.p99_us),
        cpu_us: column(|r| r.cpu_us),
        wrk_cpu: column(|r| r.wrk_cpu),
        errors: rounds.iter().map(|r| r.errors).sum(),
    }
}

/// User + system CPU time so far of this process, and of its children that were waited for
/// (`wrk`), in seconds (`/proc/self/stat`, in clock ticks of 1/100 s; 0 where there is no
/// procfs).
fn process_cpu_secs() -> (f64, f64) {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else {
        return (0.0, 0.0);
    };
    // The fields after the command name (which may hold spaces) start after the last ')':
    // state is field 3, utime field 14, stime 15, cutime 16 and cstime 17.
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .map_or("", |(_, rest)| rest)
        .split_whitespace()
        .collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    (
        (ticks(11) + ticks(12)) / 100.0,
        (ticks(13) + ticks(14)) / 100.0,
    )
}

/// `nproc` and the CPU model, for the report.
fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|info| {
            info.lines()
                .find(|line| line.starts_with("model name"))
                .and_then(|line| line.split(':').nth(1))
                .map(|model| model.trim().to_owned())
        })
        .unwrap_or_else(|| "unknown CPU".to_owned());
    let cores = thread::available_parallelism().map_or(0, |n| n.get());
    format!("{cores} cores, {cpu}")
}

#[cfg(test)]
mod tests {
    use super::*;

    const REPORT: &str = "Running 5s test @ http://127.0.0.1:40000
  1 threads and 32 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   412.70us  101.33us   3.12ms   90.12%
    Req/Sec    77.64k     2.10k   80.91k    72.00%
  Latency Distribution
     50%  401.00us
     75%  430.00us
     90%  480.00us
     99%    1.02ms
  386412 requests in 5.00s, 66.33MB read
Requests/sec:  77282.41
Transfer/sec:     13.27MB
";

    #[test]
    fn reads_wrk_report() {
        let round = parse_wrk(REPORT).expect("parsed");
        assert_eq!(round.requests_per_sec, 77282.41);
        assert_eq!(round.p50_us, 401.0);
        assert_eq!(round.p99_us, 1020.0);
        assert_eq!(round.errors, 0);
        let bad = format!("{REPORT}  Non-2xx or 3xx responses: 7\n  Socket errors: connect 0, read 2, write 0, timeout 1\n");
        assert_eq!(parse_wrk(&bad).expect("parsed").errors, 10);
    }
}
