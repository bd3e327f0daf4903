//! The operator console (feature `console`) in a real headless Chromium, driven through
//! `chromedriver` with fantoccini: the page loads with the credentials, shows a dead task,
//! its Retry button runs it again and the page then shows it done; without the password the
//! console is refused. On SQLite, and on Redis and PostgreSQL when their servers are
//! installed.
//!
//! Each test starts its own `chromedriver` (on a loopback port it picks) and its app server
//! (on another), and is skipped, with a note, when `chromium` or `chromedriver` is not
//! installed (Debian: `apt-get install chromium chromium-driver`). The browsers run one at
//! a time. Waits have deadlines only to turn a hang into a failure.

mod common;

use std::{
    io::{BufRead, BufReader},
    net::SocketAddr,
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    sync::{
        atomic::{AtomicBool, Ordering},
        mpsc, Arc, Mutex,
    },
};

use actix_tim_callback::queue::{CallbackBackend, CallbackTask, Console, ConsoleAuth};
use fantoccini::{Client, ClientBuilder, Locator};
use futures_util::FutureExt as _;
use hyper_util::client::legacy::connect::HttpConnector;

use common::{
    net::{exchange, TestServer},
    queue::{quick_retry, sample_task, wait_for_counts, Runs, TempDir, DEADLINE},
};

const USER: &str = "admin";
/// Letters and digits only: it goes into the page's URL as is.
const PASSWORD: &str = "Browser0Console0Password";
const COMMAND: &str = "Group.CallbackAfterSendMsg";
/// Markup in a key: the browser must show it as text.
const KEY: &str = "<b>browser-key</b>";

/// One browser at a time (the machine's cores are shared).
static BROWSER: Mutex<()> = Mutex::new(());

/// `name` on the `PATH`, if installed.
fn installed(name: &str) -> Option<PathBuf> {
    std::env::split_paths(&std::env::var_os("PATH")?)
        .map(|dir| dir.join(name))
        .find(|path| path.is_file())
}

/// Chromium and chromedriver, or a note saying why the test is skipped.
fn browser() -> Option<(PathBuf, PathBuf)> {
    let chromium = installed("chromium").or_else(|| installed("chromium-browser"));
    match (chromium, installed("chromedriver")) {
        (Some(chromium), Some(driver)) => Some((chromium, driver)),
        _ => {
            eprintln!(
                "note: chromium or chromedriver is not installed (Debian: apt-get install \
                 chromium chromium-driver): the browser test is skipped"
            );
            None
        }
    }
}

/// A `chromedriver` child process on a loopback port of its choosing, killed when dropped.
struct ChromeDriver {
    child: Child,
    port: u16,
}

impl ChromeDriver {
    fn start(path: &Path) -> Self {
        let mut child = Command::new(path)
            // Port 0: chromedriver picks a free one and says which.
            .args(["--port=0", "--allowed-ips=127.0.0.1"])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("chromedriver starts");
        let stdout = child.stdout.take().expect("its stdout");
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let port = line
                    .split("started successfully on port ")
                    .nth(1)
                    .and_then(|rest| rest.trim_end_matches('.').trim().parse::<u16>().ok());
                if let Some(port) = port {
                    let _ = tx.send(port);
                }
                // Keep reading: chromedriver must not block on a full pipe.
            }
        });
        match rx.recv_timeout(DEADLINE) {
            Ok(port) => Self { child, port },
            Err(_) => {
                let _ = child.kill();
                let _ = child.wait();
                panic!("chromedriver did not say its port");
            }
        }
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// A session of a headless Chromium with a profile in `profile`.
    async fn session(&self, chromium: &Path, profile: &Path) -> Client {
        let capabilities = serde_json::json!({
            "goog:chromeOptions": {
                "binary": chromium,
                "args": [
                    "--headless=new",
                    // Root in a container has no user namespace for the sandbox.
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-dev-shm-usage",
                    "--no-first-run",
                    "--disable-extensions",
                    format!("--user-data-dir={}", profile.display()),
                ],
            },
        });
        let serde_json::Value::Object(capabilities) = capabilities else {
            unreachable!("an object")
        };
        ClientBuilder::new(HttpConnector::new())
            .capabilities(capabilities)
            .connect(&self.url())
            .await
            .expect("a chromedriver session")
    }
}

impl Drop for ChromeDriver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The console of `backend` in a real browser. Runs the scenario with the browser's session
/// closed afterwards whatever happens (a failing assertion included), so that no Chromium
/// outlives the test.
fn in_chromium<B, F, Fut>(label: &str, open: F)
where
    B: CallbackBackend + Send,
    F: FnOnce() -> Fut,
    Fut: std::future::Future<Output = B>,
{
    let Some((chromium, driver)) = browser() else {
        return;
    };
    let _one_at_a_time = BROWSER
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let driver = ChromeDriver::start(&driver);
    let profile = TempDir::new(&format!("console-chromium-{label}"));
    actix_web::rt::System::new().block_on(async {
        let backend = open().await;
        let client = driver.session(&chromium, &profile.0).await;
        let outcome = std::panic::AssertUnwindSafe(scenario(&client, &backend))
            .catch_unwind()
            .await;
        let closed = client.close().await;
        if let Err(panic) = outcome {
            std::panic::resume_unwind(panic);
        }
        closed.expect("the session closes");
    });
}

/// The text of the element `css` finds.
async fn text_of(client: &Client, css: &str) -> String {
    client
        .find(Locator::Css(css))
        .await
        .unwrap_or_else(|err| panic!("{css}: {err}"))
        .text()
        .await
        .expect("its text")
}

async fn scenario<B: CallbackBackend + Send>(client: &Client, backend: &B) {
    // A handler that fails every attempt until told otherwise.
    let (healthy, runs) = (Arc::new(AtomicBool::new(false)), Runs::default());
    let worker = {
        let (healthy, runs) = (healthy.clone(), runs.clone());
        backend.worker("browser", quick_retry(2), move |task: CallbackTask| {
            runs.record(&task);
            let result = if healthy.load(Ordering::SeqCst) {
                Ok(())
            } else {
                Err(std::io::Error::other(format!(
                    "the archive refused <i>{}</i>",
                    task.key
                )))
            };
            std::future::ready(result)
        })
    };
    backend
        .callback_queue()
        .push(sample_task(COMMAND, KEY))
        .await
        .expect("queued");
    wait_for_counts(backend, "a dead task", |counts| counts.failed == 1).await;
    let id = backend.failed_tasks(1).await.expect("dead tasks")[0]
        .id
        .clone();

    let console = Console::new(
        "/queue",
        backend.clone(),
        ConsoleAuth::basic(USER, PASSWORD).expect("credentials"),
    );
    let server = TestServer::start(1, move |cfg| {
        cfg.service(console.clone());
    });
    let addr: SocketAddr = server.addr();

    // Without the password: refused, with the challenge (a browser would ask for them).
    let response = exchange(
        addr,
        format!("GET /queue/ HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n").as_bytes(),
        false,
    )
    .expect("an answer");
    assert_eq!(response.status, 401);
    assert!(response
        .header("www-authenticate")
        .is_some_and(|challenge| challenge.starts_with("Basic realm=")));
    assert!(!response.text().contains(&id), "{}", response.text());
    // In the browser, without the password or with a wrong one in the URL: nothing of the
    // queue (headless Chromium waits at its login prompt, with an empty page).
    for url in [
        format!("http://{addr}/queue/"),
        format!("http://{USER}:wrong@{addr}/queue/"),
    ] {
        client.goto(&url).await.expect("the navigation");
        let source = client.source().await.expect("the page");
        assert!(!source.contains("tim_callbacks"), "{url}: {source}");
        assert!(!source.contains(&id), "{url}: {source}");
    }

    // With the credentials: the counts and the dead task.
    client
        .goto(&format!("http://{USER}:{PASSWORD}@{addr}/queue/"))
        .await
        .expect("the page loads");
    assert_eq!(
        client.title().await.expect("a title"),
        "Callback queue tim_callbacks"
    );
    assert_eq!(text_of(client, "#failed").await, "1");
    assert_eq!(text_of(client, "#done").await, "0");
    let row = format!("tr[data-task=\"{id}\"]");
    let cells = client
        .find(Locator::Css(&row))
        .await
        .expect("the dead task's row")
        .find_all(Locator::Css("td"))
        .await
        .expect("its cells");
    let mut texts = Vec::new();
    for cell in &cells {
        texts.push(cell.text().await.expect("a cell's text"));
    }
    assert_eq!(texts[0], id, "{texts:?}");
    assert_eq!(texts[1], COMMAND, "{texts:?}");
    // The markup in the key and the error is shown as text, not rendered.
    assert_eq!(texts[2], KEY, "{texts:?}");
    assert_eq!(texts[4], "2", "attempts: {texts:?}");
    assert_eq!(
        texts[5],
        format!("the archive refused <i>{KEY}</i>"),
        "{texts:?}"
    );
    assert!(client.find(Locator::Css("b")).await.is_err(), "no <b>");
    assert_eq!(runs.len(), 2);

    // Its Retry button: the task runs again, and the page (the redirect's) shows it done.
    healthy.store(true, Ordering::SeqCst);
    client
        .find(Locator::Css(&format!("form[data-task=\"{id}\"] button")))
        .await
        .expect("the Retry button")
        .click()
        .await
        .expect("clicked");
    wait_for_counts(backend, "the retried task done", |counts| counts.done == 1).await;
    assert_eq!(runs.len(), 3, "run once more");
    let current = client.current_url().await.expect("a URL");
    assert_eq!(current.path(), "/queue/", "redirected back to the overview");
    client.refresh().await.expect("reloaded");
    assert_eq!(text_of(client, "#done").await, "1");
    assert_eq!(text_of(client, "#failed").await, "0");
    assert!(
        client.find(Locator::Css(&row)).await.is_err(),
        "no longer dead"
    );
    assert!(text_of(client, "body").await.contains("No task is dead."));
    assert!(text_of(client, "ul.actions")
        .await
        .contains(&format!("Task {id} ({COMMAND}, key {KEY}) queued again.")));

    drop(server);
    worker.stop().await;
}

#[test]
fn the_console_in_chromium_on_sqlite() {
    let dir = TempDir::new("console-browser-sqlite");
    let path = dir.join("queue.db");
    in_chromium("sqlite", || async move {
        actix_tim_callback::queue::SqliteQueue::open(path)
            .await
            .expect("open")
    });
}

#[cfg(all(feature = "queue-redis", feature = "redis"))]
#[test]
fn the_console_in_chromium_on_redis() {
    if installed("redis-server").is_none() {
        eprintln!("note: redis-server is not installed: the Redis browser test is skipped");
        return;
    }
    let server = common::redis::RedisServer::durable();
    let url = server.url();
    in_chromium("redis", || async move {
        actix_tim_callback::queue::RedisQueue::connect(&url)
            .await
            .expect("connect")
    });
}

#[cfg(feature = "queue-postgres")]
#[test]
fn the_console_in_chromium_on_postgres() {
    let Some(server) = common::postgres::PostgresServer::start() else {
        return;
    };
    let url = server.url();
    in_chromium("postgres", || async move {
        actix_tim_callback::queue::PostgresQueue::connect(&url)
            .await
            .expect("connect")
    });
}
