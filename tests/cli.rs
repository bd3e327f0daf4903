//! The `tim-callback` binary end to end (feature `cli`): the built binary run as a user
//! runs it, against a real server using the crate and real queue stores.
//!
//! `send` posts to an actix `HttpServer` on a free loopback port, started in this process
//! with `TimCallback` and the routes of `examples/group_messages.rs` (`cargo test --test
//! cli` does not build the example's binary, and a test cannot run cargo while cargo holds
//! the build directory), with counters of the requests and of the callbacks the handlers
//! saw. `queue` runs on an SQLite file in a temp dir, a real `redis-server` and a real
//! PostgreSQL (each skipped with a note when not installed), on dead tasks made by a real
//! worker whose handler fails. Deadlines only turn a hang into a failure.

mod common;

use std::{
    fs,
    io::Write,
    path::{Path, PathBuf},
    process::{Command, Stdio},
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use actix_tim_callback::{
    command,
    model::{group, MsgElement},
    queue::{CallbackBackend, CallbackTask, PostgresQueue, RedisQueue, SqliteQueue},
    reply::{BeforeSendReply, GroupCodes, RefusalCode},
    sign,
    testkit::TestCallback,
    Ack, Callback, CallbackConfig, TimCallback,
};
use actix_web::{dev::Service, rt::System, web, HttpResponse};
use serde_json::Value;

use common::{
    net::TestServer,
    postgres::PostgresServer,
    queue::{quick_retry, recording, sample_task, wait_for_counts, Runs, TempDir},
    redis::RedisServer,
    APP_ID, OK_JSON, PATH, TOKEN,
};

/// How long one run of the binary may take before it counts as hung.
const RUN_DEADLINE: Duration = Duration::from_secs(60);

/// The command the dead tasks and most sends are of.
const AFTER_SEND: &str = "Group.CallbackAfterSendMsg";

/// The command the moderator answers, allowing or refusing.
const BEFORE_SEND: &str = "Group.CallbackBeforeSendMsg";

/// What one run of the binary did.
#[derive(Debug)]
struct Run {
    /// The exit status (`None`: killed by a signal).
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

impl Run {
    /// Panics, with the run's output, unless it exited with `code`.
    #[track_caller]
    fn expect_code(&self, code: i32) -> &Self {
        assert_eq!(self.code, Some(code), "{self:#?}");
        self
    }
}

/// Runs the binary with `args` (and `stdin` as its standard input), without the
/// environment variables it reads, and waits for it (at most [`RUN_DEADLINE`]).
fn run_with_stdin(args: &[&str], stdin: &[u8]) -> Run {
    let dir = TempDir::new("cli-run");
    let (out, err) = (dir.join("stdout"), dir.join("stderr"));
    let mut child = Command::new(env!("CARGO_BIN_EXE_tim-callback"))
        .args(args)
        .env_remove("TIM_CALLBACK_TOKEN")
        .env_remove("TIM_CALLBACK_URL")
        .env_remove("TIM_SDKAPPID")
        .env_remove("TIM_QUEUE_URL")
        .stdin(Stdio::piped())
        .stdout(fs::File::create(&out).expect("stdout file"))
        .stderr(fs::File::create(&err).expect("stderr file"))
        .spawn()
        .expect("the binary runs");
    let mut input = child.stdin.take().expect("stdin");
    // A command that does not read its input closes the pipe: that is not an error here.
    let _ = input.write_all(stdin);
    drop(input);
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if started.elapsed() > RUN_DEADLINE {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "tim-callback {args:?} hung; stderr so far:\n{}",
                fs::read_to_string(&err).unwrap_or_default()
            );
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    Run {
        code: status.code(),
        stdout: fs::read_to_string(&out).expect("stdout"),
        stderr: fs::read_to_string(&err).expect("stderr"),
    }
}

/// [`run_with_stdin`] with an empty standard input.
fn run(args: &[&str]) -> Run {
    run_with_stdin(args, b"")
}

/// [`run`] from inside an actix system (the queue tests), on a blocking thread.
async fn run_async(args: &[&str]) -> Run {
    let args: Vec<String> = args.iter().map(|arg| (*arg).to_owned()).collect();
    actix_web::rt::task::spawn_blocking(move || {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        run(&args)
    })
    .await
    .expect("the run finished")
}

// ---- send ----------------------------------------------------------------------------

/// The app of `examples/group_messages.rs` (a moderator refusing "spam", an after-send and
/// an exception handler behind `TimCallback` with a token) on a real server, recording the
/// query of every request it gets and the group of every after-send callback its handler
/// saw; beside it, outside the middleware, two endpoints answering as an app should not.
struct GroupMessages {
    server: TestServer,
    queries: Arc<Mutex<Vec<String>>>,
    after_send: Arc<Mutex<Vec<String>>>,
}

/// The moderator's code for a banned word.
const BANNED_WORD: RefusalCode<GroupCodes> = RefusalCode::of(10100);

/// Refuses a group message with "spam" in a text element.
async fn moderate(callback: Callback<group::BeforeSendMsg>) -> BeforeSendReply<GroupCodes> {
    let spam = callback.msg_body.iter().any(|element| match element {
        MsgElement::Text(text) => text.text.as_deref().is_some_and(|t| t.contains("spam")),
        _ => false,
    });
    if spam {
        BeforeSendReply::refuse_with(BANNED_WORD, "the message contains a banned word")
    } else {
        BeforeSendReply::allow()
    }
}

impl GroupMessages {
    fn start() -> Self {
        let queries = Arc::new(Mutex::new(Vec::new()));
        let after_send = Arc::new(Mutex::new(Vec::new()));
        let tim = TimCallback::new(CallbackConfig::new(APP_ID).token(TOKEN));
        let (recorded, seen) = (queries.clone(), after_send.clone());
        let server = TestServer::start(1, move |cfg: &mut web::ServiceConfig| {
            let (recorded, seen) = (recorded.clone(), seen.clone());
            let scope = web::scope(PATH)
                .wrap(tim.clone())
                .wrap_fn(move |req, srv| {
                    recorded.lock().unwrap().push(req.query_string().to_owned());
                    srv.call(req)
                })
                .app_data(web::Data::new(seen))
                .route(
                    "",
                    web::post()
                        .guard(command::<group::BeforeSendMsg>())
                        .to(moderate),
                )
                .route(
                    "",
                    web::post().guard(command::<group::AfterSendMsg>()).to(
                        |callback: Callback<group::AfterSendMsg>,
                         seen: web::Data<Arc<Mutex<Vec<String>>>>| async move {
                            seen.lock().unwrap().push(callback.group_id.clone());
                            Ack
                        },
                    ),
                )
                .route(
                    "",
                    web::post()
                        .guard(command::<group::SendMsgException>())
                        .to(|_: Callback<group::SendMsgException>| async { Ack }),
                );
            cfg.service(scope)
                .route(
                    "/raw/accepted",
                    web::post().to(|| async {
                        HttpResponse::Accepted()
                            .content_type("application/json")
                            .body(OK_JSON)
                    }),
                )
                .route(
                    "/raw/no-error-code",
                    web::post().to(|| async {
                        HttpResponse::Ok()
                            .content_type("application/json")
                            .body(r#"{"ActionStatus":"OK","ErrorInfo":""}"#)
                    }),
                );
        });
        Self {
            server,
            queries,
            after_send,
        }
    }

    fn url(&self) -> String {
        self.server.url(PATH)
    }

    /// The requests the callback URL got.
    fn requests(&self) -> usize {
        self.queries.lock().unwrap().len()
    }

    /// The query strings of the requests the callback URL got, the parameters by name.
    fn queries(&self) -> Vec<Vec<(String, String)>> {
        self.queries
            .lock()
            .unwrap()
            .iter()
            .map(|query| {
                form_urlencoded::parse(query.as_bytes())
                    .into_owned()
                    .collect()
            })
            .collect()
    }

    /// The groups of the after-send callbacks the handler saw.
    fn after_send(&self) -> Vec<String> {
        self.after_send.lock().unwrap().clone()
    }
}

/// The `GroupId` of Tencent's sample of `Group.CallbackAfterSendMsg`.
fn sample_group_id() -> String {
    let body = TestCallback::sample(AFTER_SEND)
        .expect("a sample")
        .body_bytes();
    let json: Value = serde_json::from_slice(&body).expect("JSON");
    json["GroupId"].as_str().expect("a group").to_owned()
}

#[test]
fn a_signed_sample_reaches_the_handler_and_a_wrong_token_prints_the_fail_reply() {
    let app = GroupMessages::start();
    let url = app.url();

    let sent = run(&[
        "send", "--sample", AFTER_SEND, "--url", &url, "--token", TOKEN,
    ]);
    sent.expect_code(0);
    assert_eq!(sent.stdout.trim(), OK_JSON, "the reply on stdout");
    assert!(sent.stderr.contains("(signed)"), "{sent:#?}");
    assert!(
        sent.stderr
            .contains(&format!("CallbackCommand={AFTER_SEND}")),
        "{sent:#?}"
    );
    assert_eq!(app.after_send(), [sample_group_id()], "the handler saw it");
    let queries = app.queries();
    let query = |name: &str| {
        queries[0]
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.clone())
            .unwrap_or_else(|| panic!("no {name} in {:?}", queries[0]))
    };
    assert_eq!(query("CallbackCommand"), AFTER_SEND);
    assert_eq!(query("SdkAppid"), APP_ID.to_string());
    assert_eq!(query("Sign"), sign(TOKEN, &query("RequestTime")));
    assert_eq!(query("ClientIP"), "127.0.0.1");
    assert_eq!(query("OptPlatform"), "Web");

    let forged = run(&[
        "send", "--sample", AFTER_SEND, "--url", &url, "--token", "guess",
    ]);
    forged.expect_code(1);
    let reply: Value = serde_json::from_str(forged.stdout.trim()).expect("the reply is printed");
    assert_eq!(reply["ActionStatus"], "FAIL", "{forged:#?}");
    assert!(
        forged.stderr.contains("did not answer OK (HTTP 401"),
        "{forged:#?}"
    );

    let unsigned = run(&["send", "--sample", AFTER_SEND, "--url", &url]);
    unsigned.expect_code(1);
    assert!(unsigned.stderr.contains("unsigned"), "{unsigned:#?}");

    // The query options, seen by the server; another app's id is refused.
    let foreign = run(&[
        "send",
        "--sample",
        AFTER_SEND,
        "--url",
        &url,
        "--token",
        TOKEN,
        "--sdkappid",
        "1400000001",
        "--client-ip",
        "10.1.2.3",
        "--platform",
        "iOS",
    ]);
    foreign.expect_code(1);
    assert!(
        foreign.stderr.contains("did not answer OK (HTTP 403"),
        "{foreign:#?}"
    );
    let queries = app.queries();
    for (name, value) in [
        ("SdkAppid", "1400000001"),
        ("ClientIP", "10.1.2.3"),
        ("OptPlatform", "iOS"),
    ] {
        assert!(
            queries[3].contains(&(name.to_owned(), value.to_owned())),
            "{name}={value}: {:?}",
            queries[3]
        );
    }

    assert_eq!(app.requests(), 4);
    assert_eq!(
        app.after_send().len(),
        1,
        "refused callbacks never reach it"
    );
}

#[test]
fn only_http_2xx_with_action_status_ok_and_error_code_0_exits_with_0() {
    let app = GroupMessages::start();
    let dir = TempDir::new("cli-replies");
    // A message the moderator refuses: ActionStatus OK, ErrorCode 10100.
    let mut spam: Value = serde_json::from_slice(
        &TestCallback::sample(BEFORE_SEND)
            .expect("a sample")
            .body_bytes(),
    )
    .expect("JSON");
    spam["MsgBody"] = serde_json::json!([
        {"MsgType": "TIMTextElem", "MsgContent": {"Text": "buy spam now"}}
    ]);
    let spam_file = dir.join("spam.json");
    fs::write(&spam_file, spam.to_string()).expect("write");
    let spam_file = spam_file.to_str().expect("UTF-8");
    let url = app.url();

    let allowed = run(&[
        "send",
        "--sample",
        BEFORE_SEND,
        "--url",
        &url,
        "--token",
        TOKEN,
    ]);
    allowed.expect_code(0);
    let refused = run(&["send", spam_file, "--url", &url, "--token", TOKEN]);
    refused.expect_code(1);
    let reply: Value = serde_json::from_str(refused.stdout.trim()).expect("the reply");
    assert_eq!(
        (&reply["ActionStatus"], &reply["ErrorCode"]),
        (&"OK".into(), &10100.into()),
        "{refused:#?}"
    );
    assert!(
        refused.stderr.contains(
            "did not answer OK (HTTP 200 OK, ActionStatus OK, ErrorCode 10100, \
             ErrorInfo \"the message contains a banned word\")"
        ),
        "{refused:#?}"
    );
    assert_eq!(app.requests(), 2);

    let accepted = run(&[
        "send",
        "--sample",
        AFTER_SEND,
        "--url",
        &app.server.url("/raw/accepted"),
    ]);
    accepted.expect_code(0);
    let no_code = run(&[
        "send",
        "--sample",
        AFTER_SEND,
        "--url",
        &app.server.url("/raw/no-error-code"),
    ]);
    no_code.expect_code(1);
    assert!(
        no_code.stderr.contains("ActionStatus OK, no ErrorCode"),
        "{no_code:#?}"
    );
    let not_found = run(&[
        "send",
        "--sample",
        AFTER_SEND,
        "--url",
        &app.server.url("/nowhere"),
    ]);
    not_found.expect_code(1);
    assert!(
        not_found
            .stderr
            .contains("did not answer OK (HTTP 404 Not Found, not a JSON reply)"),
        "{not_found:#?}"
    );
}

#[test]
fn a_file_without_a_readable_command_is_never_sent() {
    let app = GroupMessages::start();
    let url = app.url();
    let dir = TempDir::new("cli-files");
    let write = |name: &str, body: &str| -> PathBuf {
        let path = dir.join(name);
        fs::write(&path, body).expect("write");
        path
    };
    let mut sample: Value = serde_json::from_slice(
        &TestCallback::sample(AFTER_SEND)
            .expect("a sample")
            .body_bytes(),
    )
    .expect("JSON");
    sample
        .as_object_mut()
        .expect("an object")
        .remove("CallbackCommand");
    let without = write("without.json", &sample.to_string());
    sample["CallbackCommand"] = "".into();
    let empty = write("empty.json", &sample.to_string());
    let not_json = write("not.json", "GroupId=@TGS#1");
    let missing = dir.join("missing.json");

    for (path, why) in [
        (&without, "no \"CallbackCommand\" field"),
        (&empty, "\"CallbackCommand\" is empty"),
        (&not_json, "not JSON"),
        (&missing, "cannot read"),
    ] {
        let path = path.to_str().expect("a UTF-8 path");
        let refused = run(&["send", path, "--url", &url, "--token", TOKEN]);
        refused.expect_code(2);
        assert!(refused.stderr.contains(why), "{refused:#?}");
        assert!(refused.stdout.is_empty(), "{refused:#?}");
    }
    let empty_command = run(&[
        "send",
        without.to_str().expect("UTF-8"),
        "--command",
        "",
        "--url",
        &url,
    ]);
    empty_command.expect_code(2);
    assert_eq!(app.requests(), 0, "no request reached the server");

    // With --command the same file is sent, and so is a file of `samples`' output, also
    // on standard input.
    run(&[
        "send",
        without.to_str().expect("UTF-8"),
        "--command",
        AFTER_SEND,
        "--url",
        &url,
        "--token",
        TOKEN,
    ])
    .expect_code(0);
    let printed = run(&["samples", AFTER_SEND]);
    printed.expect_code(0);
    let from_samples = write("after_send.json", &printed.stdout);
    run(&[
        "send",
        from_samples.to_str().expect("UTF-8"),
        "--url",
        &url,
        "--token",
        TOKEN,
    ])
    .expect_code(0);
    run_with_stdin(
        &["send", "-", "--url", &url, "--token", TOKEN],
        printed.stdout.as_bytes(),
    )
    .expect_code(0);
    assert_eq!(app.after_send(), vec![sample_group_id(); 3]);
}

#[test]
fn an_unknown_sample_or_an_unreachable_app_is_a_clear_error() {
    let app = GroupMessages::start();
    let unknown = run(&["send", "--sample", "Unknown.Command", "--url", &app.url()]);
    unknown.expect_code(2);
    assert!(
        unknown.stderr.contains("no sample of \"Unknown.Command\"")
            && unknown.stderr.contains("`tim-callback samples` lists"),
        "{unknown:#?}"
    );
    let near = run(&[
        "send",
        "--sample",
        "Group.AfterSendMsg",
        "--url",
        &app.url(),
    ]);
    near.expect_code(2);
    assert!(near.stderr.contains(AFTER_SEND), "a suggestion: {near:#?}");
    assert_eq!(app.requests(), 0);

    // A port nothing listens on (bound, then freed).
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("a free port")
        .port();
    let url = format!("http://127.0.0.1:{port}/im/callback");
    let unreachable = run(&["send", "--sample", AFTER_SEND, "--url", &url]);
    unreachable.expect_code(1);
    assert!(
        unreachable.stderr.contains(&format!("POST {url} failed")),
        "{unreachable:#?}"
    );
}

#[test]
fn all_samples_is_a_conformance_run_of_every_command() {
    let app = GroupMessages::start();
    let commands = TestCallback::commands().count();
    let all = run(&[
        "send",
        "--all-samples",
        "--url",
        &app.url(),
        "--token",
        TOKEN,
    ]);
    all.expect_code(0);
    let lines: Vec<&str> = all.stdout.lines().collect();
    assert_eq!(lines.len(), commands + 1, "{all:#?}");
    assert!(lines[..commands].iter().all(|line| line.starts_with("ok ")));
    assert_eq!(
        lines[commands],
        format!("{commands} commands: {commands} answered OK, 0 not")
    );
    assert_eq!(app.requests(), commands);
    assert_eq!(app.after_send(), [sample_group_id()]);

    let forged = run(&[
        "send",
        "--all-samples",
        "--url",
        &app.url(),
        "--token",
        "guess",
    ]);
    forged.expect_code(1);
    assert!(
        forged.stdout.ends_with(&format!(
            "{commands} commands: 0 answered OK, {commands} not\n"
        )),
        "{forged:#?}"
    );
}

#[test]
fn samples_lists_every_command_and_prints_each_sample() {
    let list = run(&["samples"]);
    list.expect_code(0);
    let listed: Vec<&str> = list.stdout.lines().collect();
    let commands: Vec<&str> = TestCallback::commands().collect();
    assert_eq!(listed, commands);
    let send_list = run(&["send", "--list"]);
    send_list.expect_code(0);
    assert_eq!(
        send_list.stdout, list.stdout,
        "send --list is the same list"
    );
    let printed = run(&["samples", "State.StateChange"]);
    printed.expect_code(0);
    let body = TestCallback::sample("State.StateChange")
        .expect("a sample")
        .body_bytes();
    assert_eq!(printed.stdout.trim_end().as_bytes(), body.trim_ascii_end());
    run(&["samples", "Unknown.Command"]).expect_code(2);
}

#[test]
fn every_subcommand_has_help_naming_its_options() {
    for (args, options) in [
        (&["--help"][..], &["send", "samples", "queue"][..]),
        (
            &["send", "--help"],
            &[
                "--url",
                "--sample",
                "[FILE]",
                "--all-samples",
                "--list",
                "--token",
                "TIM_CALLBACK_TOKEN",
                "--sdkappid",
                "--command",
                "--client-ip",
                "--platform",
                "--timeout",
            ],
        ),
        (&["samples", "--help"], &["[COMMAND]"]),
        (&["queue", "--help"], &["stats", "dead", "retry", "purge"]),
        (
            &["queue", "stats", "--help"],
            &[
                "--url",
                "--json",
                "--accept-no-persistence",
                "--accept-eviction",
            ],
        ),
        (
            &["queue", "dead", "--help"],
            &["--url", "--limit", "--json"],
        ),
        (
            &["queue", "retry", "--help"],
            &["--url", "[ID]...", "--all"],
        ),
        (
            &["queue", "purge", "--help"],
            &["--url", "--failed", "--yes"],
        ),
    ] {
        let help = run(args);
        help.expect_code(0);
        for option in options {
            assert!(
                help.stdout.contains(option),
                "{args:?}: {option}\n{help:#?}"
            );
        }
    }
    run(&["send"]).expect_code(2);
    run(&["queue", "retry", "--url", "sqlite://q.db"]).expect_code(2);
}

// ---- queue ---------------------------------------------------------------------------

/// Makes the pending tasks of `backend` dead: a worker whose handler always fails, with
/// one attempt, until the queue counts `dead` dead tasks.
async fn fail_tasks<B: CallbackBackend>(backend: &B, dead: u64) {
    let handler = |task: CallbackTask| {
        std::future::ready(Err(std::io::Error::other(format!(
            "the archive is down <{}>",
            task.key
        ))))
    };
    let worker = backend.worker("cli-failing", quick_retry(1), handler);
    wait_for_counts(backend, "the dead tasks", |counts| counts.failed == dead).await;
    worker.stop().await;
}

/// Runs the pending tasks of `backend` with a handler that succeeds, until the queue counts
/// `done` done tasks; returns the keys of the tasks it ran.
async fn run_tasks<B: CallbackBackend>(backend: &B, done: u64) -> Vec<String> {
    let runs = Runs::default();
    let worker = backend.worker("cli-working", quick_retry(1), recording(&runs));
    wait_for_counts(backend, "the done tasks", |counts| counts.done == done).await;
    worker.stop().await;
    let mut keys: Vec<String> = runs.tasks().into_iter().map(|task| task.key).collect();
    keys.sort();
    keys
}

/// Pushes a task of `key` into `backend`, committed.
async fn push<B: CallbackBackend>(backend: &B, key: &str) {
    backend
        .callback_queue()
        .push(sample_task(AFTER_SEND, key))
        .await
        .expect("queued");
}

/// The `--json` counts of `queue stats`.
fn counts_json(pending: u64, running: u64, failed: u64, done: u64) -> Value {
    serde_json::json!({"pending": pending, "running": running, "failed": failed, "done": done})
}

/// `tim-callback queue ARGS --url URL OPTIONS`, run from inside the actix system.
async fn queue_cli(args: &[&str], url: &str, options: &[&str]) -> Run {
    let mut all: Vec<&str> = vec!["queue"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--url", url]);
    all.extend_from_slice(options);
    run_async(&all).await
}

/// `queue stats`, `dead`, `retry` and `purge` on the queue at `url` (which `backend`
/// opened too, empty), with `options` (e.g. a Redis opt-in) on every command.
async fn queue_commands_on<B: CallbackBackend>(backend: &B, url: &str, options: &[&str]) {
    let cli = |args: &'static [&'static str]| queue_cli(args, url, options);

    // Three pushed, then done: the counts are what was pushed and run.
    for key in ["cli-1", "cli-2", "cli-3"] {
        push(backend, key).await;
    }
    let stats = cli(&["stats", "--json"]).await;
    stats.expect_code(0);
    assert!(stats.stderr.contains("opening the queue at "), "{stats:#?}");
    let counts: Value = serde_json::from_str(&stats.stdout).expect("JSON");
    assert_eq!(counts, counts_json(3, 0, 0, 0), "{stats:#?}");
    assert_eq!(run_tasks(backend, 3).await, ["cli-1", "cli-2", "cli-3"]);
    let stats = cli(&["stats", "--json"]).await;
    let counts: Value = serde_json::from_str(&stats.stdout).expect("JSON");
    assert_eq!(counts, counts_json(0, 0, 0, 3), "{stats:#?}");

    // One dead task: counted, listed with its error.
    push(backend, "cli-dead").await;
    fail_tasks(backend, 1).await;
    let dead = backend.failed_tasks(10).await.expect("failed tasks");
    let id = dead[0].id.clone();
    let stats = cli(&["stats"]).await;
    stats.expect_code(0);
    assert_eq!(
        stats.stdout, "pending  0\nrunning  0\nfailed   1\ndone     3\n",
        "{stats:#?}"
    );

    let listed = cli(&["dead"]).await;
    listed.expect_code(0);
    for shown in [
        format!("{id}  {AFTER_SEND}\n"),
        "key:        cli-dead\n".to_owned(),
        "after 1 attempt\n".to_owned(),
        "last error: the archive is down <cli-dead>\n".to_owned(),
    ] {
        assert!(listed.stdout.contains(&shown), "{shown}\n{listed:#?}");
    }
    assert!(listed.stderr.ends_with("1 dead task\n"), "{listed:#?}");
    let listed = cli(&["dead", "--json"]).await;
    listed.expect_code(0);
    let json: Value = serde_json::from_str(&listed.stdout).expect("JSON");
    let task = dead[0].task.as_ref().expect("the task decodes");
    assert_eq!(json.as_array().map(Vec::len), Some(1), "{listed:#?}");
    assert_eq!(json[0]["id"], id.as_str());
    assert_eq!(json[0]["command"], AFTER_SEND);
    assert_eq!(json[0]["key"], "cli-dead");
    assert_eq!(json[0]["sdk_app_id"], APP_ID);
    assert_eq!(json[0]["attempts"], 1);
    assert_eq!(json[0]["last_error"], "the archive is down <cli-dead>");
    assert_eq!(
        json[0]["body"],
        serde_json::from_str::<Value>(task.body.get()).expect("JSON")
    );
    assert!(json[0]["failed_at"]
        .as_str()
        .is_some_and(|at| at.ends_with('Z')));

    // Retried by its id: pending again, then run and done.
    let wrong = cli(&["retry", "01JZZZZZZZZZZZZZZZZZZZZZZZ"]).await;
    wrong.expect_code(1);
    assert!(
        wrong.stderr.contains("no dead task has the id"),
        "{wrong:#?}"
    );
    let retried = queue_cli(&["retry", &id], url, options).await;
    retried.expect_code(0);
    assert_eq!(retried.stdout, format!("queued {id} again\n"));
    let counts = backend.counts().await.expect("counts");
    assert_eq!((counts.pending, counts.failed), (1, 0), "{counts:?}");
    assert_eq!(
        run_tasks(backend, 4).await,
        ["cli-dead"],
        "the retry ran it"
    );

    // Two dead, retried with --all, run.
    push(backend, "cli-dead-2").await;
    push(backend, "cli-dead-3").await;
    fail_tasks(backend, 2).await;
    let retried = cli(&["retry", "--all"]).await;
    retried.expect_code(0);
    assert_eq!(retried.stdout, "queued 2 dead tasks again\n");
    let counts = backend.counts().await.expect("counts");
    assert_eq!((counts.pending, counts.failed), (2, 0), "{counts:?}");
    assert_eq!(run_tasks(backend, 6).await, ["cli-dead-2", "cli-dead-3"]);

    // One dead, purged: only with --yes.
    push(backend, "cli-dead-4").await;
    fail_tasks(backend, 1).await;
    let refused = cli(&["purge", "--failed"]).await;
    refused.expect_code(2);
    assert!(
        refused.stderr.contains("deletes 1 dead task for good") && refused.stderr.contains("--yes"),
        "{refused:#?}"
    );
    assert_eq!(backend.counts().await.expect("counts").failed, 1);
    let purged = cli(&["purge", "--failed", "--yes"]).await;
    purged.expect_code(0);
    assert_eq!(purged.stdout, "deleted 1 dead task\n");
    let stats = cli(&["stats", "--json"]).await;
    let counts: Value = serde_json::from_str(&stats.stdout).expect("JSON");
    assert_eq!(counts, counts_json(0, 0, 0, 6), "{stats:#?}");
    assert!(backend.failed_tasks(10).await.expect("failed").is_empty());
    let none = cli(&["dead"]).await;
    none.expect_code(0);
    assert_eq!(none.stdout, "");
    assert!(none.stderr.ends_with("0 dead tasks\n"), "{none:#?}");
    let none = cli(&["dead", "--json"]).await;
    assert_eq!(none.stdout, "[]\n");

    // The done tasks' rows: the worker deleted them; a purge asks for --yes too.
    let refused = cli(&["purge"]).await;
    refused.expect_code(2);
    assert!(refused.stderr.contains("--yes"), "{refused:#?}");
    let done = cli(&["purge", "--yes"]).await;
    done.expect_code(0);
    assert_eq!(done.stdout, "deleted 0 done tasks\n");
}

/// `queue purge --yes` on a row a done task left (as older versions of the crate did):
/// `mark_done` turns the one pending task into such a row.
async fn a_done_row_is_purged<B, F>(backend: &B, url: &str, mark_done: F)
where
    B: CallbackBackend,
    F: std::future::Future<Output = ()>,
{
    let before = backend.counts().await.expect("counts");
    push(backend, "cli-leftover").await;
    mark_done.await;
    let counts = backend.counts().await.expect("counts");
    assert_eq!(
        (counts.pending, counts.done),
        (0, before.done + 1),
        "{counts:?}"
    );
    queue_cli(&["purge"], url, &[]).await.expect_code(2);
    assert_eq!(backend.counts().await.expect("counts"), counts);
    let purged = queue_cli(&["purge", "--yes"], url, &[]).await;
    purged.expect_code(0);
    assert_eq!(purged.stdout, "deleted 1 done task\n");
    assert_eq!(backend.counts().await.expect("counts").done, before.done);
}

#[test]
fn queue_commands_on_an_sqlite_file() {
    let dir = TempDir::new("cli-sqlite");
    let path = dir.join("callbacks.db");
    let url = format!("sqlite://{}", path.display());
    System::new().block_on(async {
        let sqlite = SqliteQueue::open(&path).await.expect("open");
        queue_commands_on(&sqlite, &url, &[]).await;
        a_done_row_is_purged(&sqlite, &url, async {
            sqlx::query("UPDATE Jobs SET status = 'Done', done_at = strftime('%s', 'now')")
                .execute(sqlite.pool())
                .await
                .expect("the done row");
        })
        .await;
    });
}

fn redis_installed() -> bool {
    RedisServer::installed()
}

#[test]
fn queue_commands_on_redis() {
    if !redis_installed() {
        return;
    }
    let server = RedisServer::durable();
    let url = server.url();
    System::new().block_on(async {
        let redis = RedisQueue::connect(&url).await.expect("connect");
        queue_commands_on(&redis, &url, &[]).await;
    });
}

#[test]
fn a_redis_that_may_lose_tasks_is_opened_only_with_the_opt_in() {
    if !redis_installed() {
        return;
    }
    for (server, opt_in) in [
        (RedisServer::start(), "--accept-no-persistence"),
        (
            RedisServer::start_with(&["--appendonly", "yes", "--maxmemory-policy", "allkeys-lru"]),
            "--accept-eviction",
        ),
    ] {
        let url = server.url();
        let refused = run(&["queue", "stats", "--url", &url]);
        refused.expect_code(1);
        assert!(
            refused
                .stderr
                .contains(&format!("cannot open the queue at {url}"))
                && refused.stderr.contains(&format!("(here: {opt_in})")),
            "{refused:#?}"
        );
        let accepted = run(&["queue", "stats", "--url", &url, opt_in]);
        accepted.expect_code(0);
        assert!(accepted.stdout.starts_with("pending  0\n"), "{accepted:#?}");
    }
}

#[test]
fn queue_commands_on_redis_with_the_opt_in() {
    if !redis_installed() {
        return;
    }
    let server = RedisServer::start();
    let url = server.url();
    System::new().block_on(async {
        let redis = RedisQueue::builder(&url)
            .accept_no_persistence()
            .connect()
            .await
            .expect("connect");
        queue_commands_on(&redis, &url, &["--accept-no-persistence"]).await;
    });
}

#[test]
fn queue_commands_on_postgres() {
    let Some(server) = PostgresServer::start() else {
        return;
    };
    let url = server.url();
    System::new().block_on(async {
        let postgres = PostgresQueue::connect(&url).await.expect("connect");
        queue_commands_on(&postgres, &url, &[]).await;
        a_done_row_is_purged(&postgres, &url, async {
            sqlx::query("UPDATE apalis.jobs SET status = 'Done', done_at = now()")
                .execute(postgres.pool())
                .await
                .expect("the done row");
        })
        .await;
    });
}

#[test]
fn queue_urls_that_cannot_be_opened_are_clear_errors() {
    let unknown = run(&["queue", "stats", "--url", "mysql://app:s3cret@db/im"]);
    unknown.expect_code(2);
    for named in [
        "sqlite://",
        "redis://",
        "postgres://",
        "mysql://app:***@db/im",
    ] {
        assert!(unknown.stderr.contains(named), "{named}: {unknown:#?}");
    }
    assert!(!unknown.stderr.contains("s3cret"), "{unknown:#?}");

    let dir = TempDir::new("cli-missing");
    let missing = dir.join("typo.db");
    let url = format!("sqlite://{}", missing.display());
    let refused = run(&["queue", "stats", "--url", &url]);
    refused.expect_code(1);
    assert!(refused.stderr.contains("is not a file"), "{refused:#?}");
    assert!(!Path::new(&missing).exists(), "no empty queue was created");

    // A PostgreSQL that does not answer: the error names it, without the password.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("a free port")
        .port();
    let url = format!("postgres://app:s3cret@127.0.0.1:{port}/im");
    let down = run(&["queue", "dead", "--url", &url]);
    down.expect_code(1);
    assert!(
        down.stderr.contains(&format!(
            "cannot open the queue at postgres://app:***@127.0.0.1:{port}/im: "
        )),
        "{down:#?}"
    );
    assert!(!down.stderr.contains("s3cret"), "{down:#?}");

    // Nor a Redis.
    let url = format!("redis://:s3cret@127.0.0.1:{port}/0");
    let down = run(&["queue", "stats", "--url", &url]);
    down.expect_code(1);
    assert!(
        down.stderr.contains(&format!(
            "cannot open the queue at redis://:***@127.0.0.1:{port}/0: "
        )),
        "{down:#?}"
    );
    assert!(!down.stderr.contains("s3cret"), "{down:#?}");
}
