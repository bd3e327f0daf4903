//! The operator console (feature `console`) in process, over a real SQLite queue in a temp
//! dir: HTTP Basic, the counts and dead tasks it shows (HTML-escaped), the retry actions
//! and their CSRF token, a custom mount path.
//!
//! Waits have deadlines only to turn a hang into a failure.

mod common;

use std::sync::{
    atomic::{AtomicBool, Ordering},
    Arc,
};

use actix_tim_callback::queue::{
    CallbackBackend, CallbackTask, Console, ConsoleAuth, ConsoleAuthError, QueueCounts,
    QueueWorker, SqliteQueue,
};
use actix_web::{
    body::MessageBody,
    dev::{Service, ServiceResponse},
    http::{header, StatusCode},
    test, App,
};
use base64::Engine as _;

use common::queue::{quick_retry, sample_task, wait_for_counts, Runs, TempDir};

const USER: &str = "admin";
const PASSWORD: &str = "correct horse battery staple";
const COMMAND: &str = "Group.CallbackAfterSendMsg";
/// A key and an error an attacker could have chosen: they must be shown as text.
const EVIL_KEY: &str = "<script>alert('key')</script>";

fn basic(user: &str, password: &str) -> String {
    let pair = format!("{user}:{password}");
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(pair)
    )
}

fn console(sqlite: &SqliteQueue, path: &str) -> Console<SqliteQueue> {
    Console::new(
        path,
        sqlite.clone(),
        ConsoleAuth::basic(USER, PASSWORD).expect("credentials"),
    )
}

/// A worker whose handler fails (with an error that quotes the task's key, markup and
/// all) until `healthy` is set, after two attempts each; every run recorded.
fn flaky_worker(sqlite: &SqliteQueue, healthy: &Arc<AtomicBool>, runs: &Runs) -> QueueWorker {
    let (healthy, runs) = (healthy.clone(), runs.clone());
    sqlite.worker("console", quick_retry(2), move |task: CallbackTask| {
        runs.record(&task);
        let result = if healthy.load(Ordering::SeqCst) {
            Ok(())
        } else {
            Err(std::io::Error::other(format!(
                "the archive refused <b>{}</b> & gave up",
                task.key
            )))
        };
        std::future::ready(result)
    })
}

async fn text<B: MessageBody>(res: ServiceResponse<B>) -> String {
    String::from_utf8(test::read_body(res).await.to_vec()).expect("UTF-8")
}

/// GETs `uri` with the credentials; its status and page.
async fn get<S, B>(app: &S, uri: &str) -> (StatusCode, String)
where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    let req = test::TestRequest::get()
        .uri(uri)
        .insert_header((header::AUTHORIZATION, basic(USER, PASSWORD)))
        .to_request();
    let res = test::call_service(app, req).await;
    let status = res.status();
    (status, text(res).await)
}

/// POSTs the form `form` to `uri` with the credentials.
async fn post<S, B>(app: &S, uri: &str, form: &[(&str, &str)]) -> ServiceResponse<B>
where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    let req = test::TestRequest::post()
        .uri(uri)
        .insert_header((header::AUTHORIZATION, basic(USER, PASSWORD)))
        .set_form(form)
        .to_request();
    test::call_service(app, req).await
}

/// The value of the response's header `name` (empty when it has none).
fn header_of<B>(res: &ServiceResponse<B>, name: header::HeaderName) -> &str {
    res.headers()
        .get(name)
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default()
}

/// The value of the first hidden input `name` on `page`.
fn hidden(page: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let at = page.find(&marker).expect("the hidden input") + marker.len();
    page[at..].split('"').next().expect("a value").to_owned()
}

/// The counts the page shows.
fn shown_counts(page: &str) -> [u64; 4] {
    ["pending", "running", "failed", "done"].map(|name| {
        let marker = format!("<td id=\"{name}\">");
        let at = page.find(&marker).expect("the count") + marker.len();
        page[at..]
            .split('<')
            .next()
            .and_then(|count| count.parse().ok())
            .expect("a number")
    })
}

fn as_array(counts: QueueCounts) -> [u64; 4] {
    [counts.pending, counts.running, counts.failed, counts.done]
}

#[actix_web::test]
async fn without_or_with_wrong_credentials_every_page_is_refused_with_a_challenge() {
    let dir = TempDir::new("console-auth");
    let sqlite = SqliteQueue::open(dir.join("queue.db")).await.expect("open");
    sqlite
        .callback_queue()
        .push(sample_task(COMMAND, "pending-1"))
        .await
        .expect("queued");
    let app = test::init_service(App::new().service(console(&sqlite, "/queue"))).await;
    let wrong = [
        None,
        Some(basic(USER, "wrong")),
        Some(basic("root", PASSWORD)),
        Some(basic(USER, "")),
        Some(basic(USER, &format!("{PASSWORD}x"))),
        Some(format!("Bearer {PASSWORD}")),
        Some("Basic !!not base64!!".to_owned()),
        Some(format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD.encode("no colon")
        )),
    ];
    for authorization in &wrong {
        for (method, uri) in [
            ("GET", "/queue/"),
            ("GET", "/queue"),
            ("GET", "/queue/task/x"),
            ("GET", "/queue/elsewhere"),
            ("POST", "/queue/"),
        ] {
            let mut req = if method == "GET" {
                test::TestRequest::get()
            } else {
                test::TestRequest::post().set_form([("action", "retry-all")])
            }
            .uri(uri);
            if let Some(value) = authorization {
                req = req.insert_header((header::AUTHORIZATION, value.as_str()));
            }
            let res = test::call_service(&app, req.to_request()).await;
            assert_eq!(res.status(), 401, "{method} {uri} with {authorization:?}");
            let challenge = res
                .headers()
                .get(header::WWW_AUTHENTICATE)
                .and_then(|value| value.to_str().ok())
                .unwrap_or_default();
            assert!(challenge.starts_with("Basic realm="), "{challenge:?}");
            assert_eq!(header_of(&res, header::CACHE_CONTROL), "no-store");
            let page = text(res).await;
            assert!(!page.contains("pending-1"), "{page}");
            assert!(!page.contains("<td id=\"pending\">"), "{page}");
        }
    }
    // The right ones open it.
    let (status, page) = get(&app, "/queue/").await;
    assert_eq!(status, 200, "{page}");
    assert_eq!(shown_counts(&page), [1, 0, 0, 0]);
}

// `test` is actix-web's module here.
#[actix_web::test]
async fn an_empty_password_or_an_unusable_user_is_refused_at_construction() {
    for password in ["", " ", "\t \n"] {
        assert!(
            matches!(
                ConsoleAuth::basic(USER, password),
                Err(ConsoleAuthError::EmptyPassword)
            ),
            "{password:?}"
        );
    }
    for user in ["", "ad:min"] {
        assert!(
            matches!(
                ConsoleAuth::basic(user, PASSWORD),
                Err(ConsoleAuthError::InvalidUser)
            ),
            "{user:?}"
        );
    }
    let err = ConsoleAuth::basic(USER, "").expect_err("refused");
    assert!(err.to_string().contains("password is empty"), "{err}");
    assert!(ConsoleAuth::basic(USER, "x").is_ok());
}

#[actix_web::test]
async fn a_dead_task_is_listed_escaped_refused_without_the_token_and_retried_with_it() {
    let dir = TempDir::new("console-retry");
    let sqlite = SqliteQueue::open(dir.join("queue.db")).await.expect("open");
    let (healthy, runs) = (Arc::new(AtomicBool::new(false)), Runs::default());
    let worker = flaky_worker(&sqlite, &healthy, &runs);
    let task = sample_task(COMMAND, EVIL_KEY);
    let arrived = task.received_at();
    sqlite.callback_queue().push(task).await.expect("queued");
    wait_for_counts(&sqlite, "a dead task", |counts| counts.failed == 1).await;
    assert_eq!(runs.len(), 2, "two attempts");
    let app = test::init_service(App::new().service(console(&sqlite, "/queue"))).await;

    let (status, page) = get(&app, "/queue/").await;
    assert_eq!(status, 200, "{page}");
    assert_eq!(
        shown_counts(&page),
        as_array(sqlite.counts().await.expect("counts"))
    );
    assert_eq!(shown_counts(&page), [0, 0, 1, 0]);
    let dead = sqlite.failed_tasks(10).await.expect("dead tasks");
    let id = dead[0].id.clone();
    assert!(page.contains(&format!("<tr data-task=\"{id}\">")), "{page}");
    assert!(page.contains(&format!("<td>{COMMAND}</td>")), "{page}");
    assert!(
        page.contains("<td class=\"id\">&lt;script&gt;alert(&#39;key&#39;)&lt;/script&gt;</td>"),
        "the key, escaped: {page}"
    );
    assert!(page.contains("<td>2</td>"), "two attempts: {page}");
    assert!(
        page.contains(
            "the archive refused &lt;b&gt;&lt;script&gt;alert(&#39;key&#39;)&lt;/script&gt;&lt;/b&gt; &amp; gave up"
        ),
        "the error, escaped: {page}"
    );
    // Arrival, to the second, in UTC (the page's own format).
    let secs = arrived
        .duration_since(std::time::UNIX_EPOCH)
        .expect("after 1970")
        .as_secs();
    assert!(page.contains(&format!(
        "{:02}:{:02}:",
        secs % 86_400 / 3_600,
        secs % 3_600 / 60
    )));
    assert!(!page.contains("<script>"), "nothing unescaped: {page}");
    assert!(!page.contains("<b>"), "nothing unescaped: {page}");
    assert!(page.contains(">Retry</button>"), "{page}");
    assert!(page.contains("Retry all 1 dead task</button>"), "{page}");

    // The task's own page shows its body, escaped too.
    let (status, task_page) = get(&app, &format!("/queue/task/{id}")).await;
    assert_eq!(status, 200, "{task_page}");
    assert!(task_page.contains("&lt;script&gt;alert(&#39;key&#39;)"));
    assert!(task_page.contains("<h2>Body</h2>"), "{task_page}");
    assert!(task_page.contains("GroupId"), "{task_page}");
    assert!(!task_page.contains("<script>"), "{task_page}");
    let (status, _) = get(&app, "/queue/task/01JNOSUCHTASK").await;
    assert_eq!(status, 404);

    // Without the token, with a wrong one, or cross-site: refused, nothing retried.
    healthy.store(true, Ordering::SeqCst);
    let token = hidden(&page, "token");
    assert_eq!(token.len(), 64, "{token}");
    let wrong_token = "0".repeat(64);
    for form in [
        vec![("action", "retry"), ("task", id.as_str())],
        vec![("token", ""), ("action", "retry"), ("task", id.as_str())],
        vec![
            ("token", wrong_token.as_str()),
            ("action", "retry"),
            ("task", id.as_str()),
        ],
        vec![("token", &token[..63]), ("action", "retry-all")],
    ] {
        let res = post(&app, "/queue/", &form).await;
        assert_eq!(res.status(), 403, "{form:?}");
    }
    for (name, value) in [
        ("sec-fetch-site", "cross-site"),
        ("sec-fetch-site", "same-site"),
        ("origin", "https://evil.example"),
    ] {
        let req = test::TestRequest::post()
            .uri("/queue/")
            .insert_header((header::AUTHORIZATION, basic(USER, PASSWORD)))
            .insert_header((name, value))
            .set_form([("token", token.as_str()), ("action", "retry-all")])
            .to_request();
        assert_eq!(
            test::call_service(&app, req).await.status(),
            403,
            "{name}: {value}"
        );
    }
    let counts = sqlite.counts().await.expect("counts");
    assert_eq!(as_array(counts), [0, 0, 1, 0], "nothing retried");
    assert_eq!(sqlite.failed_tasks(10).await.expect("dead")[0].id, id);

    // With the token (and a same-origin browser's headers): run again, done.
    let req = test::TestRequest::post()
        .uri("/queue/")
        .insert_header((header::AUTHORIZATION, basic(USER, PASSWORD)))
        .insert_header(("sec-fetch-site", "same-origin"))
        .set_form([
            ("token", token.as_str()),
            ("action", "retry"),
            ("task", id.as_str()),
        ])
        .to_request();
    let res = test::call_service(&app, req).await;
    assert_eq!(res.status(), 303);
    assert_eq!(header_of(&res, header::LOCATION), "./");
    wait_for_counts(&sqlite, "the retried task done", |counts| counts.done == 1).await;
    assert_eq!(runs.len(), 3, "run once more");
    assert_eq!(runs.tasks()[2].key, EVIL_KEY);
    let (_, page) = get(&app, "/queue/").await;
    assert_eq!(shown_counts(&page), [0, 0, 0, 1]);
    assert!(!page.contains(&format!("data-task=\"{id}\"")), "{page}");
    assert!(page.contains("No task is dead."), "{page}");
    assert!(
        page.contains(&format!(
            "Task {id} ({COMMAND}, key &lt;script&gt;alert(&#39;key&#39;)&lt;/script&gt;) queued again."
        )),
        "{page}"
    );

    // Retried again (a second tab's button): nothing to do, and said so.
    let res = post(
        &app,
        "/queue/",
        &[("token", &token), ("action", "retry"), ("task", &id)],
    )
    .await;
    assert_eq!(res.status(), 303);
    let (_, page) = get(&app, "/queue/").await;
    assert!(
        page.contains(&format!(
            "Task {id} was not retried: no dead task has this id"
        )),
        "{page}"
    );
    assert_eq!(runs.len(), 3);
    worker.stop().await;
}

#[actix_web::test]
async fn retry_all_runs_every_dead_task_again() {
    let dir = TempDir::new("console-retry-all");
    let sqlite = SqliteQueue::open(dir.join("queue.db")).await.expect("open");
    let (healthy, runs) = (Arc::new(AtomicBool::new(false)), Runs::default());
    let worker = flaky_worker(&sqlite, &healthy, &runs);
    let queue = sqlite.callback_queue();
    for key in ["all-a", "all-b", "all-c"] {
        queue.push(sample_task(COMMAND, key)).await.expect("queued");
    }
    wait_for_counts(&sqlite, "three dead tasks", |counts| counts.failed == 3).await;
    let app = test::init_service(App::new().service(console(&sqlite, "/queue/"))).await;
    let (_, page) = get(&app, "/queue/").await;
    assert_eq!(shown_counts(&page), [0, 0, 3, 0]);
    for key in ["all-a", "all-b", "all-c"] {
        assert!(
            page.contains(&format!("<td class=\"id\">{key}</td>")),
            "{page}"
        );
    }
    assert!(page.contains("Retry all 3 dead tasks</button>"), "{page}");

    healthy.store(true, Ordering::SeqCst);
    let token = hidden(&page, "token");
    let res = post(
        &app,
        "/queue/",
        &[("token", &token), ("action", "retry-all")],
    )
    .await;
    assert_eq!(res.status(), 303);
    let counts = wait_for_counts(&sqlite, "every task done", |counts| counts.done == 3).await;
    assert_eq!(as_array(counts), [0, 0, 0, 3]);
    assert_eq!(runs.len(), 9, "two failed attempts each, then one more");
    let (_, page) = get(&app, "/queue/").await;
    assert_eq!(shown_counts(&page), [0, 0, 0, 3]);
    assert!(page.contains("3 dead tasks queued again."), "{page}");
    assert!(page.contains("No task is dead."), "{page}");

    // An unknown action is refused, with the token too.
    let res = post(&app, "/queue/", &[("token", &token), ("action", "purge")]).await;
    assert_eq!(res.status(), 400);
    worker.stop().await;
}

#[actix_web::test]
async fn mounted_at_a_path_of_the_apps_with_its_pages_and_forms_under_it() {
    let dir = TempDir::new("console-path");
    let sqlite = SqliteQueue::open(dir.join("queue.db")).await.expect("open");
    let (healthy, runs) = (Arc::new(AtomicBool::new(false)), Runs::default());
    let worker = flaky_worker(&sqlite, &healthy, &runs);
    sqlite
        .callback_queue()
        .push(sample_task(COMMAND, "custom-path"))
        .await
        .expect("queued");
    wait_for_counts(&sqlite, "a dead task", |counts| counts.failed == 1).await;
    let app = test::init_service(
        App::new()
            .service(console(&sqlite, "ops/tim-queue/"))
            .route("/", actix_web::web::get().to(|| async { "the app" })),
    )
    .await;

    let (status, page) = get(&app, "/ops/tim-queue/").await;
    assert_eq!(status, 200, "{page}");
    assert_eq!(shown_counts(&page), [0, 0, 1, 0]);
    // Relative form actions and links: they stay under the mount path.
    assert!(
        page.contains("<form method=\"post\" action=\"./\""),
        "{page}"
    );
    assert!(!page.contains("action=\"/"), "{page}");
    let id = sqlite.failed_tasks(1).await.expect("dead")[0].id.clone();
    assert!(page.contains(&format!("href=\"task/{id}\"")), "{page}");
    let (status, task_page) = get(&app, &format!("/ops/tim-queue/task/{id}")).await;
    assert_eq!(status, 200);
    assert!(task_page.contains("action=\"../\""), "{task_page}");
    // Without the slash: redirected to the overview.
    let req = test::TestRequest::get()
        .uri("/ops/tim-queue")
        .insert_header((header::AUTHORIZATION, basic(USER, PASSWORD)))
        .to_request();
    let res = test::call_service(&app, req).await;
    assert_eq!(res.status(), 308);
    assert_eq!(header_of(&res, header::LOCATION), "tim-queue/");
    // Nothing of the console elsewhere; the app's own routes untouched.
    assert_eq!(get(&app, "/queue/").await.0, 404);
    assert_eq!(get(&app, "/").await, (StatusCode::OK, "the app".to_owned()));

    // The pages' headers: not cached, not framed, nothing loaded.
    let req = test::TestRequest::get()
        .uri("/ops/tim-queue/")
        .insert_header((header::AUTHORIZATION, basic(USER, PASSWORD)))
        .to_request();
    let res = test::call_service(&app, req).await;
    assert_eq!(header_of(&res, header::CACHE_CONTROL), "no-store");
    assert_eq!(
        header_of(&res, header::CONTENT_TYPE),
        "text/html; charset=utf-8"
    );
    let csp = header_of(&res, header::CONTENT_SECURITY_POLICY);
    assert!(csp.contains("default-src 'none'"), "{csp}");
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");

    // Retried from the form under the mount path: redirected back there, done.
    healthy.store(true, Ordering::SeqCst);
    let token = hidden(&page, "token");
    let res = post(
        &app,
        "/ops/tim-queue/",
        &[("token", &token), ("action", "retry"), ("task", &id)],
    )
    .await;
    assert_eq!(res.status(), 303);
    assert_eq!(header_of(&res, header::LOCATION), "./");
    wait_for_counts(&sqlite, "the retried task done", |counts| counts.done == 1).await;
    let (_, page) = get(&app, "/ops/tim-queue/").await;
    assert_eq!(shown_counts(&page), [0, 0, 0, 1]);
    worker.stop().await;
}

#[actix_web::test]
async fn each_console_has_a_token_of_its_own() {
    let dir = TempDir::new("console-tokens");
    let sqlite = SqliteQueue::open(dir.join("queue.db")).await.expect("open");
    let (healthy, runs) = (Arc::new(AtomicBool::new(false)), Runs::default());
    let worker = flaky_worker(&sqlite, &healthy, &runs);
    sqlite
        .callback_queue()
        .push(sample_task(COMMAND, "tokens"))
        .await
        .expect("queued");
    wait_for_counts(&sqlite, "a dead task", |counts| counts.failed == 1).await;
    // Two consoles of the same queue, each with its credentials (as two apps would).
    let app = test::init_service(
        App::new()
            .service(console(&sqlite, "/a"))
            .service(console(&sqlite, "/b")),
    )
    .await;
    let (_, a) = get(&app, "/a/").await;
    let (_, b) = get(&app, "/b/").await;
    let (token_a, token_b) = (hidden(&a, "token"), hidden(&b, "token"));
    assert_ne!(token_a, token_b);
    // One console's token is refused by the other; the same page again has the same one.
    assert_eq!(hidden(&get(&app, "/a/").await.1, "token"), token_a);
    healthy.store(true, Ordering::SeqCst);
    let res = post(&app, "/b/", &[("token", &token_a), ("action", "retry-all")]).await;
    assert_eq!(res.status(), 403);
    assert_eq!(sqlite.counts().await.expect("counts").failed, 1);
    let res = post(&app, "/b/", &[("token", &token_b), ("action", "retry-all")]).await;
    assert_eq!(res.status(), 303);
    wait_for_counts(&sqlite, "the task done", |counts| counts.done == 1).await;
    worker.stop().await;
}
