//! The test that kills the process between the OK and the work, shared by the queue
//! tests of every backend: the test binary runs its own ignored `queue_child_server` test
//! as a child process (the server), answers callbacks through it, kills it with SIGKILL
//! while its worker holds tasks, starts it again and checks that every callback answered
//! OK was processed.

use std::{
    collections::BTreeSet,
    io::{self, BufRead, BufReader, Write},
    net::SocketAddr,
    path::{Path, PathBuf},
    process::{Command, Stdio},
    time::{Duration, Instant},
};

use actix_tim_callback::{
    queue::enqueue, queue::CallbackQueue, queue::CallbackTask, testkit::TestCallback,
    CallbackConfig, TimCallback,
};
use actix_web::{web, App, HttpServer};
use futures_util::future::BoxFuture;

use super::{net, queue::DEADLINE, APP_ID, OK_JSON, PATH};

/// The child's environment: where its queue is (an SQLite file, a PostgreSQL URL), the
/// file of processed sequence numbers, and whether the worker stalls (takes tasks and
/// never finishes them, as a process killed right after the OK would).
const CHILD_QUEUE: &str = "TIM_QUEUE_TEST_QUEUE";
const CHILD_DONE: &str = "TIM_QUEUE_TEST_DONE";
const CHILD_STALL: &str = "TIM_QUEUE_TEST_STALL";

/// How many distinct callbacks the test sends.
const CALLBACKS: u64 = 200;

/// In `queue_child_server`: where the child's queue is; `None` when the test runs on its
/// own (not as the child).
pub(crate) fn child_queue() -> Option<String> {
    std::env::var(CHILD_QUEUE).ok()
}

/// In the child: the worker's handler, which appends each task's `MsgSeq` (the number the
/// test gave the callback) to the done file, synced before the task is done; it never
/// finishes a task when the child was started to stall.
pub(crate) fn child_handler(
) -> impl Fn(CallbackTask) -> BoxFuture<'static, io::Result<()>> + Clone + Send + Sync + 'static {
    let done = PathBuf::from(std::env::var(CHILD_DONE).expect("the done file"));
    let stall = std::env::var(CHILD_STALL).is_ok();
    move |task: CallbackTask| {
        let done = done.clone();
        Box::pin(async move {
            if stall {
                std::future::pending::<()>().await;
            }
            let mut file = std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(&done)?;
            let body: serde_json::Value = serde_json::from_str(task.body.get())?;
            writeln!(file, "{}", body["MsgSeq"])?;
            file.sync_data()
        })
    }
}

/// In the child: serves `enqueue` into `queue` on a free port, prints the port for the
/// parent, and runs until killed.
pub(crate) async fn serve(queue: CallbackQueue) {
    let queue = web::Data::new(queue);
    let server = HttpServer::new(move || {
        App::new().app_data(queue.clone()).service(
            web::scope(PATH)
                .wrap(TimCallback::new(CallbackConfig::new(APP_ID)))
                .route("", web::post().to(enqueue)),
        )
    })
    .workers(1)
    .bind(("127.0.0.1", 0))
    .expect("bind");
    let port = server.addrs()[0].port();
    println!("LISTENING {port}");
    server.run().await.expect("serve");
}

/// The child process, killed (SIGKILL) when dropped.
struct Child(std::process::Child, u16);

impl Child {
    /// Runs this test binary's `queue_child_server` with the queue at `queue`, and waits
    /// for its port.
    fn start(queue: &str, done: &Path, stall: bool) -> Self {
        let mut command = Command::new(std::env::current_exe().expect("the test binary"));
        command
            .args([
                "queue_child_server",
                "--exact",
                "--ignored",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(CHILD_QUEUE, queue)
            .env(CHILD_DONE, done)
            .stdout(Stdio::piped())
            .stderr(Stdio::null());
        if stall {
            command.env(CHILD_STALL, "1");
        }
        let mut child = command.spawn().expect("start the child server");
        let stdout = child.stdout.take().expect("stdout");
        let mut lines = BufReader::new(stdout).lines();
        let port = loop {
            let line = lines
                .next()
                .expect("the child printed its port")
                .expect("read");
            // libtest prints the test's name on the same line.
            if let Some((_, port)) = line.split_once("LISTENING ") {
                break port.trim().parse().expect("a port");
            }
        };
        Self(child, port)
    }
}

impl Drop for Child {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// The test: distinct callbacks into a child whose worker stalls, SIGKILL, the child
/// started again at once (within the killed worker's 2 s heartbeat), and every callback
/// answered OK processed.
pub(crate) fn sigkill_between_ok_and_work_loses_nothing(queue: &str, done: &Path) {
    let child = Child::start(queue, done, true);
    let addr = SocketAddr::from(([127, 0, 0, 1], child.1));
    let mut acked = Vec::new();
    for i in 0..CALLBACKS {
        // Distinct callbacks: a distinct message sequence number each, sent until it is
        // answered OK, as Tencent redelivers (a push may go over its budget on a loaded
        // machine: answered FAIL, never OK).
        let cb = TestCallback::sample("Group.CallbackAfterSendMsg")
            .expect("a sample")
            .edit_json(|body| body["MsgSeq"] = serde_json::json!(i))
            .path(PATH);
        let request = net::request_bytes(
            "POST",
            &cb.uri(),
            &[("Content-Type", "application/json")],
            &cb.body_bytes(),
        );
        let started = Instant::now();
        loop {
            let res = net::exchange(addr, &request, false).expect("an answer");
            if res.status == 200 {
                assert_eq!(res.body, OK_JSON.as_bytes());
                acked.push(i);
                break;
            }
            assert_ne!(res.body, OK_JSON.as_bytes(), "an OK is answered 200");
            assert!(
                started.elapsed() < DEADLINE,
                "callback {i} never accepted: {} {}",
                res.status,
                String::from_utf8_lossy(&res.body)
            );
        }
    }
    // SIGKILL while the worker holds a batch it never finishes.
    drop(child);
    assert!(!done.exists(), "the stalled child wrote nothing");
    let child = Child::start(queue, done, false);
    let started = Instant::now();
    let processed = loop {
        let seqs: BTreeSet<u64> = std::fs::read_to_string(done)
            .unwrap_or_default()
            .lines()
            .filter_map(|line| line.parse().ok())
            .collect();
        if acked.iter().all(|i| seqs.contains(i)) || started.elapsed() > DEADLINE {
            break seqs;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let lost: Vec<_> = acked.iter().filter(|i| !processed.contains(i)).collect();
    assert!(
        lost.is_empty(),
        "every acked callback processed after the restart; lost: {lost:?}"
    );
    drop(child);
}
