//! Audit log: every Tencent IM callback, whatever its command, written as one structured
//! JSON line on standard output, with counts per command at `GET /stats`.
//!
//! ```sh
//! cargo run --example audit_log
//! cargo run --features cli --bin tim-callback -- send --url http://127.0.0.1:8080/im/callback --all-samples
//! curl -s http://127.0.0.1:8080/stats
//! ```
//!
//! Environment: `BIND_ADDR` (default `127.0.0.1:8080`), `TIM_SDKAPPID` (default
//! `1400000000`), `TIM_CALLBACK_TOKEN` (when set, signatures are checked), `RUST_LOG`.
//!
//! ## Queue mode: a durable archive
//!
//! With `TIM_QUEUE=sqlite://PATH` (a file), `TIM_QUEUE=redis://HOST:PORT/` or
//! `TIM_QUEUE=postgres://USER@HOST/DATABASE` (built with `--features queue-postgres`), each
//! after-callback is answered OK only once it is a task in that queue, and a worker in the
//! same process appends it as one JSON line (the event in Tencent's shape) to
//! `TIM_AUDIT_FILE` (default `tim-audit.jsonl` in the temp directory), flushed to disk before the task is marked
//! done. Killed with SIGKILL and started again with the same settings, it writes every
//! callback it answered OK (at least once: a line may appear twice; its `key` tells). A
//! redelivered callback is answered as the first delivery was, without a second line
//! (`MemoryStore`: within one process's memory).
//! Before-callbacks, friend checks and the chatbot are answered at once (allowed) and
//! written directly. A queue it cannot reach at start-up is an error: it does not start.
//! `/stats` shows `accepted` (answered OK since start), `queued` (waiting; SQLite and
//! PostgreSQL), `written`, `failed`, `worker_up` and `worker_restarts`.
//!
//! With `TIM_CONSOLE_PASSWORD` set (and the `console` feature), the queue's operator
//! console is served at `/queue/`, behind HTTP Basic (user `admin`, that password), for
//! every backend alike: the counts, the dead tasks with their last error, a retry per
//! task and for all. Without the variable there is no console; an empty one is refused.
//!
//! ```sh
//! TIM_QUEUE=sqlite:///tmp/tim-queue.db TIM_AUDIT_FILE=/tmp/audit.jsonl BIND_ADDR=127.0.0.1:8081 \
//!     cargo run --example audit_log --features queue-sqlite,queue-redis &
//! cargo run --features cli --bin tim-callback -- send --url http://127.0.0.1:8081/im/callback --all-samples
//! curl -s http://127.0.0.1:8081/stats
//! cargo run --features cli --bin tim-callback -- queue stats --url sqlite:///tmp/tim-queue.db
//! kill -9 %1                      # between the OK and the work: nothing is lost
//! TIM_QUEUE=sqlite:///tmp/tim-queue.db TIM_AUDIT_FILE=/tmp/audit.jsonl BIND_ADDR=127.0.0.1:8081 \
//!     cargo run --example audit_log --features queue-sqlite,queue-redis &
//! wc -l /tmp/audit.jsonl
//! TIM_QUEUE=redis://127.0.0.1:6379/ TIM_AUDIT_FILE=/tmp/audit.jsonl \
//!     cargo run --example audit_log --features queue-sqlite,queue-redis
//! TIM_QUEUE=sqlite:///tmp/tim-queue.db TIM_CONSOLE_PASSWORD=a-long-random-password \
//!     cargo run --example audit_log --features queue-sqlite,console
//! # then open http://127.0.0.1:8080/queue/ (user admin)
//! ```

use std::{
    collections::BTreeMap,
    sync::Mutex,
    time::{SystemTime, UNIX_EPOCH},
};

use actix_tim_callback::{model::AnyEvent, Ack, Callback, CallbackConfig, TimCallback};
use actix_web::{web, App, HttpResponse, HttpServer};
use serde::Serialize;
use serde_json::json;

const CALLBACK_PATH: &str = "/im/callback";

/// Callbacks received, per command, shared by all workers.
#[derive(Debug, Default, Serialize)]
struct Stats {
    total: u64,
    /// Commands the crate does not type (kept as raw JSON).
    untyped: u64,
    by_command: BTreeMap<String, u64>,
}

/// The audit line of one callback: when it arrived, its command, where it came from, and
/// the event as Tencent sent it.
fn audit_line(cb: &Callback<AnyEvent>, received_ms: u128) -> String {
    json!({
        "received_ms": received_ms,
        "command": cb.event.command(),
        "typed": !cb.event.is_unknown(),
        "sdk_app_id": cb.meta.sdk_app_id,
        "client_ip": cb.meta.client_ip,
        "platform": cb.meta.platform.as_ref().map(|platform| platform.as_str()),
        "event": cb.event,
    })
    .to_string()
}

async fn on_callback(cb: Callback<AnyEvent>, stats: web::Data<Mutex<Stats>>) -> Ack {
    let received_ms = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |since| since.as_millis());
    println!("{}", audit_line(&cb, received_ms));
    let mut stats = stats
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    stats.total += 1;
    stats.untyped += u64::from(cb.event.is_unknown());
    *stats
        .by_command
        .entry(cb.event.command().to_owned())
        .or_default() += 1;
    Ack
}

async fn stats(stats: web::Data<Mutex<Stats>>) -> HttpResponse {
    let stats = stats
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    HttpResponse::Ok().json(&*stats)
}

/// The callback URL (every command, one handler) and `/stats`.
fn routes(
    tim: TimCallback,
    counts: web::Data<Mutex<Stats>>,
) -> impl FnOnce(&mut web::ServiceConfig) {
    move |cfg| {
        cfg.app_data(counts)
            .service(
                web::scope(CALLBACK_PATH)
                    .wrap(tim)
                    .route("", web::post().to(on_callback)),
            )
            .route("/stats", web::get().to(stats));
    }
}

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("info")).init();
    let bind_addr = std::env::var("BIND_ADDR").unwrap_or_else(|_| "127.0.0.1:8080".to_owned());
    let sdk_app_id = match std::env::var("TIM_SDKAPPID") {
        Ok(value) => value.trim().parse::<u64>().map_err(|err| {
            std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                format!("TIM_SDKAPPID={value:?} is not a number: {err}"),
            )
        })?,
        Err(_) => 1400000000,
    };
    let mut config = CallbackConfig::new(sdk_app_id);
    // An empty variable means "unset": the middleware refuses an empty token.
    if let Some(token) = std::env::var("TIM_CALLBACK_TOKEN")
        .ok()
        .filter(|token| !token.trim().is_empty())
    {
        config = config.token(token);
    }
    if let Ok(queue) = std::env::var("TIM_QUEUE") {
        return queue_mode::run(&queue, config, &bind_addr).await;
    }
    if std::env::var_os("TIM_CONSOLE_PASSWORD").is_some() {
        return Err(std::io::Error::other(
            "TIM_CONSOLE_PASSWORD is set without TIM_QUEUE: the console shows a queue",
        ));
    }
    eprintln!("Tencent IM audit log for SdkAppid {sdk_app_id}: callbacks on POST http://{bind_addr}{CALLBACK_PATH}, counts on GET http://{bind_addr}/stats");
    let counts = web::Data::new(Mutex::new(Stats::default()));
    let tim = TimCallback::new(config);
    HttpServer::new(move || App::new().configure(routes(tim.clone(), counts.clone())))
        .bind(&bind_addr)?
        .run()
        .await
}

/// Queue mode (`TIM_QUEUE`): the durable archive.
#[cfg(not(any(
    feature = "queue-sqlite",
    feature = "queue-redis",
    feature = "queue-postgres"
)))]
mod queue_mode {
    use actix_tim_callback::CallbackConfig;

    pub(crate) async fn run(_: &str, _: CallbackConfig, _: &str) -> std::io::Result<()> {
        Err(std::io::Error::other(
            "TIM_QUEUE is set but the example was built without a queue: \
             cargo run --example audit_log --features queue-sqlite,queue-redis,queue-postgres",
        ))
    }
}

/// Queue mode (`TIM_QUEUE`): the durable archive.
#[cfg(any(
    feature = "queue-sqlite",
    feature = "queue-redis",
    feature = "queue-postgres"
))]
mod queue_mode {
    use std::{
        fs::{File, OpenOptions},
        future::Future,
        io::{self, Write},
        sync::{
            atomic::{AtomicU64, Ordering},
            Arc, Mutex,
        },
        time::Duration,
    };

    use actix_tim_callback::{
        dedup::MemoryStore,
        model::AnyEvent,
        queue::{enqueue, CallbackBackend, CallbackQueue, CallbackTask, QueueWorker, Retry},
        Ack, CallbackConfig, RawCallback, TimCallback,
    };
    use actix_web::{guard, rt::time::timeout, web, App, HttpRequest, HttpResponse, HttpServer};
    use serde_json::json;

    use super::CALLBACK_PATH;

    /// Where the operator console is served (with `TIM_CONSOLE_PASSWORD`).
    const CONSOLE_PATH: &str = "/queue";

    /// What mounts the operator console on each worker's app.
    type Mount = Arc<dyn Fn(&mut web::ServiceConfig) + Send + Sync>;

    /// The operator console of `backend` at [`CONSOLE_PATH`], behind HTTP Basic (user
    /// `admin`) with `TIM_CONSOLE_PASSWORD`; `None` when the variable is not set.
    #[cfg(feature = "console")]
    fn console_of<B: CallbackBackend + Send + Sync>(backend: &B) -> io::Result<Option<Mount>> {
        use actix_tim_callback::queue::{Console, ConsoleAuth};

        let Ok(password) = std::env::var("TIM_CONSOLE_PASSWORD") else {
            return Ok(None);
        };
        let auth = ConsoleAuth::basic("admin", &password)
            .map_err(|err| refuse(format!("TIM_CONSOLE_PASSWORD: {err}")))?;
        let console = Console::new(CONSOLE_PATH, backend.clone(), auth);
        Ok(Some(Arc::new(move |cfg: &mut web::ServiceConfig| {
            cfg.service(console.clone());
        })))
    }

    /// Without the `console` feature: no console, and a password set for one is an error.
    #[cfg(not(feature = "console"))]
    fn console_of<B: CallbackBackend>(_: &B) -> io::Result<Option<Mount>> {
        match std::env::var_os("TIM_CONSOLE_PASSWORD") {
            Some(_) => Err(refuse(
                "TIM_CONSOLE_PASSWORD is set but the example was built without the console \
                 feature: cargo run --example audit_log --features queue-sqlite,console"
                    .to_owned(),
            )),
            None => Ok(None),
        }
    }

    /// What `/stats` shows.
    struct State {
        accepted: AtomicU64,
        worker: QueueWorker,
        backlog: Backlog,
    }

    /// The queue `/stats` counts the waiting tasks of.
    enum Backlog {
        #[cfg(feature = "queue-sqlite")]
        Sqlite(actix_tim_callback::queue::SqliteQueue),
        #[cfg(feature = "queue-redis")]
        Redis(actix_tim_callback::queue::RedisQueue),
        #[cfg(feature = "queue-postgres")]
        Postgres(actix_tim_callback::queue::PostgresQueue),
    }

    impl Backlog {
        async fn queued(&self) -> Option<u64> {
            match self {
                #[cfg(feature = "queue-sqlite")]
                Self::Sqlite(queue) => queue
                    .counts()
                    .await
                    .ok()
                    .map(|counts| counts.pending + counts.running),
                #[cfg(feature = "queue-redis")]
                Self::Redis(queue) => queue
                    .counts()
                    .await
                    .ok()
                    .map(|counts| counts.pending + counts.running),
                #[cfg(feature = "queue-postgres")]
                Self::Postgres(queue) => queue
                    .counts()
                    .await
                    .ok()
                    .map(|counts| counts.pending + counts.running),
            }
        }
    }

    /// The audit file, appended to and flushed to disk line by line.
    #[derive(Clone)]
    struct AuditFile(Arc<Mutex<File>>);

    impl AuditFile {
        fn open(path: &str) -> io::Result<Self> {
            let file = OpenOptions::new().create(true).append(true).open(path)?;
            Ok(Self(Arc::new(Mutex::new(file))))
        }

        fn append(&self, line: &serde_json::Value) -> io::Result<()> {
            let mut file = self
                .0
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            writeln!(file, "{line}")?;
            file.sync_data()
        }
    }

    fn task_line(task: &CallbackTask) -> serde_json::Value {
        json!({
            "received_ms": task.received_at_ms,
            "command": task.command,
            "key": task.key,
            "sdk_app_id": task.sdk_app_id,
            "client_ip": task.client_ip,
            "platform": task.platform.as_ref().map(|platform| platform.as_str()),
            "event": task.body,
        })
    }

    /// Whether Tencent reads the reply of the request's command: those are answered here.
    fn reply_is_read(ctx: &guard::GuardContext<'_>) -> bool {
        let query = ctx.head().uri.query().unwrap_or_default();
        form_urlencoded::parse(query.as_bytes())
            .any(|(name, command)| name == "CallbackCommand" && AnyEvent::reads_reply(&command))
    }

    async fn answer_now(cb: RawCallback, audit: web::Data<AuditFile>) -> HttpResponse {
        let line = json!({
            "command": cb.command(),
            "sdk_app_id": cb.meta.sdk_app_id,
            "client_ip": cb.meta.client_ip,
            "event": cb.body,
        });
        match audit.append(&line) {
            Ok(()) => HttpResponse::Ok().finish(),
            Err(err) => {
                log::error!("could not write the audit file: {err}");
                HttpResponse::ServiceUnavailable().finish()
            }
        }
    }

    async fn queue_it(req: HttpRequest, state: web::Data<State>) -> actix_web::Result<Ack> {
        let ack = enqueue(req).await?;
        state.accepted.fetch_add(1, Ordering::Relaxed);
        Ok(ack)
    }

    async fn stats(state: web::Data<State>) -> HttpResponse {
        HttpResponse::Ok().json(json!({
            "accepted": state.accepted.load(Ordering::Relaxed),
            "queued": state.backlog.queued().await,
            "written": state.worker.done(),
            "failed": state.worker.failed(),
            "worker_up": state.worker.is_up(),
            "worker_restarts": state.worker.restarts(),
        }))
    }

    fn refuse(what: String) -> io::Error {
        eprintln!("audit_log: {what}");
        io::Error::other(what)
    }

    /// How long the example waits for a queue server at start-up.
    const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

    /// What [`open`] starts: the queue requests push into, its worker, what `/stats`
    /// counts, and the operator console when there is one.
    type Opened = (CallbackQueue, QueueWorker, Backlog, Option<Mount>);

    /// Opens the queue `queue_url` names, starts its worker on `archive` and makes its
    /// console (with `TIM_CONSOLE_PASSWORD`); a queue it cannot reach is an error (the
    /// example does not start).
    async fn open<F, Fut>(queue_url: &str, archive: F) -> io::Result<Opened>
    where
        F: Fn(CallbackTask) -> Fut + Clone + Send + Sync + 'static,
        Fut: Future<Output = io::Result<()>> + Send + 'static,
    {
        let retry = Retry::default();
        if let Some(path) = queue_url.strip_prefix("sqlite://") {
            #[cfg(feature = "queue-sqlite")]
            {
                let sqlite = timeout(
                    CONNECT_TIMEOUT,
                    actix_tim_callback::queue::SqliteQueue::open(path),
                )
                .await
                .map_err(|_| refuse(format!("the SQLite queue {path} did not open within 5 s")))?
                .map_err(|err| refuse(format!("cannot open the SQLite queue {path}: {err}")))?;
                let console = console_of(&sqlite)?;
                let worker = sqlite.worker("audit_log", retry, archive);
                return Ok((
                    sqlite.callback_queue(),
                    worker,
                    Backlog::Sqlite(sqlite),
                    console,
                ));
            }
            #[cfg(not(feature = "queue-sqlite"))]
            return Err(refuse(format!(
                "TIM_QUEUE=sqlite://{path}: built without the queue-sqlite feature"
            )));
        }
        if queue_url.starts_with("redis://") {
            #[cfg(feature = "queue-redis")]
            {
                let redis = timeout(
                    CONNECT_TIMEOUT,
                    actix_tim_callback::queue::RedisQueue::connect(queue_url),
                )
                .await
                .map_err(|_| refuse(format!("Redis at {queue_url} did not answer within 5 s")))?
                .map_err(|err| {
                    refuse(format!("cannot reach the Redis queue {queue_url}: {err}"))
                })?;
                let console = console_of(&redis)?;
                let worker = redis.worker("audit_log", retry, archive);
                return Ok((
                    redis.callback_queue(),
                    worker,
                    Backlog::Redis(redis),
                    console,
                ));
            }
            #[cfg(not(feature = "queue-redis"))]
            return Err(refuse(format!(
                "TIM_QUEUE={queue_url}: built without the queue-redis feature"
            )));
        }
        if queue_url.starts_with("postgres://") || queue_url.starts_with("postgresql://") {
            #[cfg(feature = "queue-postgres")]
            {
                let postgres = timeout(
                    CONNECT_TIMEOUT,
                    actix_tim_callback::queue::PostgresQueue::connect(queue_url),
                )
                .await
                .map_err(|_| {
                    refuse(format!(
                        "PostgreSQL at {queue_url} did not answer within 5 s"
                    ))
                })?
                .map_err(|err| {
                    refuse(format!(
                        "cannot reach the PostgreSQL queue {queue_url}: {err}"
                    ))
                })?;
                let console = console_of(&postgres)?;
                let worker = postgres.worker("audit_log", retry, archive);
                return Ok((
                    postgres.callback_queue(),
                    worker,
                    Backlog::Postgres(postgres),
                    console,
                ));
            }
            #[cfg(not(feature = "queue-postgres"))]
            return Err(refuse(format!(
                "TIM_QUEUE={queue_url}: built without the queue-postgres feature"
            )));
        }
        Err(refuse(format!(
            "TIM_QUEUE={queue_url:?} is none of sqlite://PATH, redis://HOST:PORT/, \
             postgres://USER@HOST/DATABASE"
        )))
    }

    pub(crate) async fn run(
        queue_url: &str,
        config: CallbackConfig,
        bind_addr: &str,
    ) -> io::Result<()> {
        let audit_path = std::env::var("TIM_AUDIT_FILE").unwrap_or_else(|_| {
            std::env::temp_dir()
                .join("tim-audit.jsonl")
                .display()
                .to_string()
        });
        let audit = AuditFile::open(&audit_path)
            .map_err(|err| refuse(format!("cannot open TIM_AUDIT_FILE={audit_path}: {err}")))?;
        let writer = audit.clone();
        let archive = move |task: CallbackTask| {
            let writer = writer.clone();
            async move { writer.append(&task_line(&task)) }
        };
        let (queue, worker, backlog, console) = open(queue_url, archive).await?;
        let state = web::Data::new(State {
            accepted: AtomicU64::new(0),
            worker,
            backlog,
        });
        let queue = web::Data::new(queue);
        let audit = web::Data::new(audit);
        eprintln!(
            "Tencent IM audit log, queue {queue_url}, archive {audit_path}: callbacks on POST http://{bind_addr}{CALLBACK_PATH}, counts on GET http://{bind_addr}/stats"
        );
        if console.is_some() {
            eprintln!(
                "Operator console of the queue on http://{bind_addr}{CONSOLE_PATH}/ (HTTP Basic, user admin, TIM_CONSOLE_PASSWORD)"
            );
        }
        let app_state = state.clone();
        // A redelivery within the store's memory is answered as the first delivery was,
        // without a second task.
        let tim = TimCallback::new(config.dedup(MemoryStore::default()));
        HttpServer::new(move || {
            App::new()
                .app_data(queue.clone())
                .app_data(audit.clone())
                .app_data(app_state.clone())
                .service(
                    web::scope(CALLBACK_PATH)
                        .wrap(tim.clone())
                        .route(
                            "",
                            web::post()
                                .guard(guard::fn_guard(reply_is_read))
                                .to(answer_now),
                        )
                        .route("", web::post().to(queue_it)),
                )
                .route("/stats", web::get().to(stats))
                .configure(|cfg| {
                    if let Some(mount) = &console {
                        mount(cfg);
                    }
                })
        })
        .bind(bind_addr)?
        .run()
        .await?;
        // Stop the worker before the runtime goes away (its connections live there).
        match Arc::try_unwrap(web::Data::into_inner(state)) {
            Ok(state) => state.worker.stop().await,
            Err(_) => log::warn!("the queue worker is still shared; it stops with the process"),
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_tim_callback::{reply::OK_BODY, testkit::TestCallback};
    use actix_web::test::{self, TestRequest};

    #[actix_web::test]
    async fn every_command_is_logged_and_counted_under_its_own_name() {
        let counts = web::Data::new(Mutex::new(Stats::default()));
        let app = test::init_service(App::new().configure(routes(
            TimCallback::new(CallbackConfig::new(1400000000).token("audit")),
            counts.clone(),
        )))
        .await;
        for command in TestCallback::commands() {
            let req = TestCallback::sample(command)
                .expect("a sample")
                .path(CALLBACK_PATH)
                .signed("audit")
                .to_request();
            let reply = test::call_and_read_body(&app, req).await;
            assert_eq!(reply, OK_BODY.as_bytes(), "{command}");
        }
        let unknown = TestCallback::new("Future.Callback", r#"{"X":1}"#)
            .path(CALLBACK_PATH)
            .signed("audit")
            .to_request();
        test::call_service(&app, unknown).await;
        let forged = TestCallback::sample("State.StateChange")
            .expect("a sample")
            .path(CALLBACK_PATH)
            .signed("guess")
            .to_request();
        assert_eq!(test::call_service(&app, forged).await.status(), 401);

        let req = TestRequest::get().uri("/stats").to_request();
        let stats: serde_json::Value = test::call_and_read_body_json(&app, req).await;
        // Every command of the catalogue, and the untyped one.
        let sent = TestCallback::commands().count() + 1;
        assert_eq!(stats["total"], sent);
        assert_eq!(stats["untyped"], 1);
        assert_eq!(stats["by_command"]["State.StateChange"], 1);
        assert_eq!(stats["by_command"]["Push.OfflinePush"], 1);
        assert_eq!(stats["by_command"]["Future.Callback"], 1);
        assert_eq!(
            stats["by_command"].as_object().map(|map| map.len()),
            Some(sent)
        );
    }

    #[actix_web::test]
    async fn the_audit_line_is_one_json_object_with_the_event() {
        let app = test::init_service(
            App::new().service(
                web::scope(CALLBACK_PATH)
                    .wrap(TimCallback::new(CallbackConfig::new(1400000000)))
                    .route(
                        "",
                        web::post().to(|cb: Callback<AnyEvent>| async move {
                            HttpResponse::Ok().body(audit_line(&cb, 7))
                        }),
                    ),
            ),
        )
        .await;
        let req = TestCallback::sample("State.StateChange")
            .expect("a sample")
            .client_ip("10.0.0.9")
            .path(CALLBACK_PATH)
            .to_request();
        let line = test::call_and_read_body(&app, req).await;
        assert!(!line.contains(&b'\n'), "one line");
        let line: serde_json::Value = serde_json::from_slice(&line).expect("JSON");
        assert_eq!(line["received_ms"], 7);
        assert_eq!(line["command"], "State.StateChange");
        assert_eq!(line["typed"], true);
        assert_eq!(line["client_ip"], "10.0.0.9");
        assert_eq!(line["event"]["Info"]["To_Account"], "testuser316");
    }
}
