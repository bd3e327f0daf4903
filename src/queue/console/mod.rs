//! [`Console`]: the queue's operator console (feature `console`), server-rendered pages the
//! app mounts at a path of its own, behind the HTTP Basic credentials it gives
//! ([`ConsoleAuth`]; there is no open console): the pending, running, failed (dead) and done
//! counts, the dead tasks with their command, key, arrival, attempts and last error, a
//! retry per task and one for all.
//!
//! Every number and list on its pages is the backend's own ([`CallbackBackend::counts`],
//! [`failed_tasks`](CallbackBackend::failed_tasks)), and so are its actions
//! ([`retry_task`](CallbackBackend::retry_task),
//! [`retry_failed`](CallbackBackend::retry_failed)): one console for SQLite, Redis and
//! PostgreSQL alike.
//!
//! # Why not apalis-board
//!
//! apalis-board 1.0 (with apalis-board-api 1.0, read from its crates.io sources) was
//! weighed and is not used, on any backend:
//!
//! - Its UI is a prebuilt Leptos/WebAssembly bundle whose `index.html` sets
//!   `<base href="/">`, loads its script and wasm from root-absolute paths and calls its API
//!   at `/api/v1`: it cannot be mounted under a path of the app's such as `/queue/`, and it
//!   needs JavaScript.
//! - Its API registers an apalis storage (`ApiBuilder::register(queue, storage)`, needing
//!   apalis' `ListTasks`, `Metrics`, `FetchById`, `TaskSink`…), while this crate's storages
//!   live inside its backends and hold each task as the bytes of a
//!   [`CallbackTask`](super::CallbackTask), which apalis' codec does not decode. Its counts
//!   are apalis' queries over the stored rows, but this crate's workers delete a task once
//!   it is done (keeping the done count themselves) and ack Redis tasks by themselves: its
//!   done counts would not see them, and its own table marks Redis support as partial.
//! - It has no retry of a dead task (its routes read tasks, workers and stats, and a `PUT`
//!   pushes a new task) and no authentication of its own.
//!
//! What the operator of this queue needs is the dead-task surface of [`CallbackBackend`],
//! which every backend has; a small console over it serves the three backends alike, with
//! no frontend build.
//!
//! # Security
//!
//! A request without the credentials is answered 401 with a Basic challenge; they are
//! compared in constant time. The pages need no JavaScript, load nothing from elsewhere, are
//! never cached (`Cache-Control: no-store`) nor framed, and everything they print that came
//! from the network (commands, keys, errors, bodies) is HTML-escaped. The actions are
//! `POST` forms carrying a random token of the console's (a browser resends Basic
//! credentials to any site's form by itself); a post without it, or that the browser marks
//! as cross-site (`Sec-Fetch-Site`, else `Origin`), is refused with 403.

mod page;

use std::{
    collections::VecDeque,
    fmt,
    sync::{Arc, Mutex},
    time::SystemTime,
};

use actix_web::{
    dev::{AppService, HttpServiceFactory},
    http::{header, StatusCode},
    web, HttpRequest, HttpResponse,
};
use base64::Engine as _;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use super::{backend::CallbackBackend, backend_error::BackendError};
use page::Overview;

/// How many dead tasks the overview lists, by default.
const DEAD_TASKS_SHOWN: usize = 100;

/// How many of its last actions the console shows.
const REMEMBERED: usize = 10;

/// The largest action form the console reads.
const FORM_LIMIT: usize = 4096;

/// The console's HTTP Basic challenge.
const CHALLENGE: &str = "Basic realm=\"TIM callback queue\", charset=\"UTF-8\"";

/// What the console's pages may load and do: nothing from elsewhere, their inline style,
/// forms posted to themselves, never in a frame.
const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; style-src 'unsafe-inline'; \
     form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// Why [`ConsoleAuth::basic`] refused credentials.
///
/// ```
/// use actix_tim_callback::queue::{ConsoleAuth, ConsoleAuthError};
///
/// let password = std::env::var("CONSOLE_PASSWORD").unwrap_or_default();
/// match ConsoleAuth::basic("admin", &password) {
///     Ok(_auth) => { /* mount the console */ }
///     Err(ConsoleAuthError::EmptyPassword) => eprintln!("no console: set CONSOLE_PASSWORD"),
///     Err(err) => eprintln!("no console: {err}"),
/// }
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConsoleAuthError {
    /// The password is empty (or only spaces): the console is never open.
    #[error("the queue console's password is empty: set one (the console is never open)")]
    EmptyPassword,
    /// The user name is empty or has a `:`, which HTTP Basic cannot carry.
    #[error("the queue console's user name is empty or has a ':' (HTTP Basic cannot carry it)")]
    InvalidUser,
    /// The operating system gave no randomness for the console's secrets.
    #[error("no randomness from the operating system for the queue console's secrets: {0}")]
    Randomness(String),
}

/// The credentials of a [`Console`]: HTTP Basic, one user and password, compared in
/// constant time. Only keyed SHA-256 digests of them are kept.
///
/// A browser asks for them once and resends them with every request to the console; use a
/// long random password, and HTTPS (a reverse proxy's) anywhere but on loopback: Basic
/// credentials travel in clear.
///
/// ```
/// use actix_tim_callback::queue::{ConsoleAuth, ConsoleAuthError};
///
/// let auth = ConsoleAuth::basic("admin", "a long random password")?;
/// assert!(matches!(ConsoleAuth::basic("admin", ""), Err(ConsoleAuthError::EmptyPassword)));
/// # drop(auth);
/// # Ok::<(), ConsoleAuthError>(())
/// ```
#[derive(Clone)]
pub struct ConsoleAuth {
    /// The random key of the digests.
    key: [u8; 32],
    user: [u8; 32],
    password: [u8; 32],
    /// The random token of the console's forms (hex).
    token: String,
}

impl ConsoleAuth {
    /// HTTP Basic with `user` and `password`; refuses an empty password (or one of spaces
    /// only) and a user name that is empty or has a `:`.
    pub fn basic(user: &str, password: &str) -> Result<Self, ConsoleAuthError> {
        if password.trim().is_empty() {
            return Err(ConsoleAuthError::EmptyPassword);
        }
        if user.is_empty() || user.contains(':') {
            return Err(ConsoleAuthError::InvalidUser);
        }
        let mut secret = [0u8; 64];
        getrandom::fill(&mut secret)
            .map_err(|err| ConsoleAuthError::Randomness(err.to_string()))?;
        let mut key = [0u8; 32];
        key.copy_from_slice(&secret[..32]);
        let mut auth = Self {
            key,
            user: [0; 32],
            password: [0; 32],
            token: hex::encode(&secret[32..]),
        };
        auth.user = auth.digest(user.as_bytes());
        auth.password = auth.digest(password.as_bytes());
        Ok(auth)
    }

    fn digest(&self, bytes: &[u8]) -> [u8; 32] {
        let digest = Sha256::new()
            .chain_update(self.key)
            .chain_update(bytes)
            .finalize();
        let mut out = [0u8; 32];
        out.copy_from_slice(&digest);
        out
    }

    /// Whether the request carries the credentials.
    fn check(&self, req: &HttpRequest) -> Result<(), Refused> {
        let header = req
            .headers()
            .get(header::AUTHORIZATION)
            .ok_or(Refused::NoCredentials)?;
        let (scheme, encoded) = header
            .to_str()
            .ok()
            .and_then(|value| value.trim().split_once(' '))
            .ok_or(Refused::WrongCredentials)?;
        if !scheme.eq_ignore_ascii_case("basic") {
            return Err(Refused::WrongCredentials);
        }
        let encoded = encoded.trim();
        let decoded = base64::engine::general_purpose::STANDARD
            .decode(encoded)
            .or_else(|_| base64::engine::general_purpose::STANDARD_NO_PAD.decode(encoded))
            .map_err(|_| Refused::WrongCredentials)?;
        let colon = decoded
            .iter()
            .position(|&byte| byte == b':')
            .ok_or(Refused::WrongCredentials)?;
        let (user, password) = (&decoded[..colon], &decoded[colon + 1..]);
        let matches =
            self.digest(user).ct_eq(&self.user) & self.digest(password).ct_eq(&self.password);
        if bool::from(matches) {
            Ok(())
        } else {
            Err(Refused::WrongCredentials)
        }
    }

    /// Whether `token` is the token of the console's forms.
    fn token_matches(&self, token: &str) -> bool {
        bool::from(token.as_bytes().ct_eq(self.token.as_bytes()))
    }
}

impl fmt::Debug for ConsoleAuth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ConsoleAuth")
            .field("scheme", &"Basic")
            .finish_non_exhaustive()
    }
}

/// The operator console of a queue backend: an actix service to mount at a path of the
/// app's ([`new`](Self::new)), behind HTTP Basic ([`ConsoleAuth`]).
///
/// Its overview (`<path>/`) shows the backend's counts (pending, running, failed, done),
/// the console's last actions, and the dead tasks (command, key, arrival, attempts, last
/// error, when it failed) with a Retry button each and a Retry all; a retry is answered
/// with a redirect (303) back to the overview. `<path>/task/<id>` shows one dead task with
/// its body. A request without the credentials is answered 401 with a Basic challenge; a
/// failing backend, 503 with its error (logged).
///
/// Build it once, outside `HttpServer::new`, and clone it into each worker's app: the
/// clones share what the console remembers.
///
/// ```no_run
/// use actix_tim_callback::queue::{CallbackBackend, Console, ConsoleAuth};
/// use actix_web::{App, HttpServer};
///
/// async fn serve<B: CallbackBackend + Send>(backend: B, password: &str) -> std::io::Result<()> {
///     let auth = ConsoleAuth::basic("admin", password).map_err(std::io::Error::other)?;
///     let console = Console::new("/queue", backend, auth);
///     HttpServer::new(move || App::new().service(console.clone()))
///         .bind("127.0.0.1:8080")?
///         .run()
///         .await
/// }
/// ```
pub struct Console<B: CallbackBackend> {
    path: String,
    backend: B,
    auth: Arc<ConsoleAuth>,
    limit: usize,
    actions: Arc<Mutex<VecDeque<(SystemTime, String)>>>,
}

impl<B: CallbackBackend> Console<B> {
    /// The console of `backend`, served at `path` (e.g. `/queue`: the overview is at
    /// `/queue/`, and `/queue` redirects there) to requests with `auth`'s credentials.
    ///
    /// ```
    /// # fn mount<B: actix_tim_callback::queue::CallbackBackend>(backend: B) -> Result<(), Box<dyn std::error::Error>> {
    /// use actix_tim_callback::queue::{Console, ConsoleAuth};
    /// use actix_web::App;
    ///
    /// let console = Console::new("/queue", backend, ConsoleAuth::basic("admin", "secret")?);
    /// let app = App::new().service(console);
    /// # drop(app);
    /// # Ok(())
    /// # }
    /// ```
    pub fn new(path: &str, backend: B, auth: ConsoleAuth) -> Self {
        let path = path.trim_end_matches('/');
        let path = if path.is_empty() || path.starts_with('/') {
            path.to_owned()
        } else {
            format!("/{path}")
        };
        Self {
            path,
            backend,
            auth: Arc::new(auth),
            limit: DEAD_TASKS_SHOWN,
            actions: Arc::default(),
        }
    }

    /// How many dead tasks the overview lists (the latest failures first; 100 by default).
    /// Their count is always the backend's whole count.
    ///
    /// ```
    /// # fn mount<B: actix_tim_callback::queue::CallbackBackend>(backend: B) -> Result<(), Box<dyn std::error::Error>> {
    /// use actix_tim_callback::queue::{Console, ConsoleAuth};
    ///
    /// let console = Console::new("/queue", backend, ConsoleAuth::basic("admin", "secret")?)
    ///     .dead_tasks_shown(500);
    /// # drop(console);
    /// # Ok(())
    /// # }
    /// ```
    #[must_use]
    pub fn dead_tasks_shown(mut self, limit: usize) -> Self {
        self.limit = limit.max(1);
        self
    }
}

impl<B: CallbackBackend> Clone for Console<B> {
    fn clone(&self) -> Self {
        Self {
            path: self.path.clone(),
            backend: self.backend.clone(),
            auth: self.auth.clone(),
            limit: self.limit,
            actions: self.actions.clone(),
        }
    }
}

impl<B: CallbackBackend> fmt::Debug for Console<B> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Console")
            .field("path", &self.path)
            .field("backend", &self.backend)
            .field("auth", &self.auth)
            .field("dead_tasks_shown", &self.limit)
            .finish_non_exhaustive()
    }
}

impl<B: CallbackBackend> HttpServiceFactory for Console<B> {
    fn register(self, config: &mut AppService) {
        let has_path = !self.path.is_empty();
        let inner = web::Data::new(Inner {
            backend: self.backend,
            auth: self.auth,
            limit: self.limit,
            actions: self.actions,
        });
        let mut scope = web::scope(&self.path)
            .app_data(inner)
            .route("/", web::get().to(overview::<B>))
            .route("/", web::post().to(act::<B>))
            .route("/task/{id}", web::get().to(task_page::<B>))
            .default_service(web::to(not_found::<B>));
        if has_path {
            scope = scope.route("", web::get().to(add_slash::<B>));
        }
        scope.register(config);
    }
}

/// What every handler of a console shares.
struct Inner<B> {
    backend: B,
    auth: Arc<ConsoleAuth>,
    limit: usize,
    actions: Arc<Mutex<VecDeque<(SystemTime, String)>>>,
}

impl<B: CallbackBackend> Inner<B> {
    /// The overview page, from the backend's counts and dead tasks.
    async fn overview(&self) -> Result<String, BackendError> {
        let counts = self.backend.counts().await?;
        let dead = self.backend.failed_tasks(self.limit).await?;
        let actions = self.actions();
        let actions: Vec<(SystemTime, &str)> = actions
            .iter()
            .map(|(at, text)| (*at, text.as_str()))
            .collect();
        Ok(page::overview(&Overview {
            counts,
            dead: &dead,
            actions: &actions,
            token: &self.auth.token,
        }))
    }

    /// Retries the dead task `id`; the action is remembered with its command and key.
    async fn retry(&self, id: &str) -> Result<(), BackendError> {
        // Only for the words of the action: which task it was.
        let listed = self
            .backend
            .failed_tasks(self.limit)
            .await?
            .into_iter()
            .find(|failed| failed.id == id)
            .and_then(|failed| failed.task);
        let text = if self.backend.retry_task(id).await? {
            match listed {
                Some(task) => format!(
                    "Task {id} ({}, key {}) queued again.",
                    task.command, task.key
                ),
                None => format!("Task {id} queued again."),
            }
        } else {
            format!(
                "Task {id} was not retried: no dead task has this id (retried or purged already)."
            )
        };
        self.act(text);
        Ok(())
    }

    /// Retries every dead task.
    async fn retry_all(&self) -> Result<(), BackendError> {
        let count = self.backend.retry_failed().await?;
        self.act(match count {
            1 => "1 dead task queued again.".to_owned(),
            count => format!("{count} dead tasks queued again."),
        });
        Ok(())
    }

    fn actions(&self) -> std::sync::MutexGuard<'_, VecDeque<(SystemTime, String)>> {
        self.actions
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Remembers an action, the latest first.
    fn act(&self, text: String) {
        let mut actions = self.actions();
        actions.push_front((SystemTime::now(), text));
        actions.truncate(REMEMBERED);
    }
}

/// Why a request was refused.
#[derive(Debug, Clone, Copy)]
enum Refused {
    NoCredentials,
    WrongCredentials,
    /// A post that a browser marks as cross-site.
    CrossSite,
    /// A post without this console's token: a cross-site form, or a page of before a
    /// restart (each start has a token of its own).
    WrongToken,
}

impl Refused {
    fn response(self, req: &HttpRequest) -> HttpResponse {
        match self {
            Self::NoCredentials | Self::WrongCredentials => {
                if matches!(self, Self::WrongCredentials) {
                    log::warn!(
                        "queue console: refused wrong credentials from {}",
                        req.peer_addr().map_or_else(
                            || "an unknown peer".to_owned(),
                            |peer| peer.ip().to_string()
                        )
                    );
                }
                let mut res = html(
                    StatusCode::UNAUTHORIZED,
                    page::message(
                        "Authentication required",
                        "The queue console needs its user name and password.",
                    ),
                );
                res.headers_mut().insert(
                    header::WWW_AUTHENTICATE,
                    header::HeaderValue::from_static(CHALLENGE),
                );
                res
            }
            Self::CrossSite => {
                log::warn!("queue console: refused a cross-site action");
                html(
                    StatusCode::FORBIDDEN,
                    page::message(
                        "Cross-site request refused",
                        "The queue console takes actions only from its own pages.",
                    ),
                )
            }
            Self::WrongToken => {
                log::warn!("queue console: refused an action without the console's token");
                html(
                    StatusCode::FORBIDDEN,
                    page::message(
                        "Form refused",
                        "The form does not carry this console's token (a page from before a restart, or from another site): reload the console and try again.",
                    ),
                )
            }
        }
    }
}

/// A page of the console, with the headers that keep it out of caches and frames.
fn html(status: StatusCode, body: String) -> HttpResponse {
    HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .insert_header((header::X_FRAME_OPTIONS, "DENY"))
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .insert_header((header::REFERRER_POLICY, "no-referrer"))
        .insert_header((header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY))
        .body(body)
}

/// The 503 page of a backend error, logged.
fn unavailable(err: &BackendError) -> HttpResponse {
    log::error!("queue console: {err}");
    html(
        StatusCode::SERVICE_UNAVAILABLE,
        page::message("The queue is unavailable", &err.to_string()),
    )
}

/// A 303 to the overview, from `<path>/` (where the forms post).
fn to_overview() -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, "./"))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .finish()
}

/// Whether a browser says the request comes from another site: `Sec-Fetch-Site` other
/// than `same-origin`, else (older browsers) an `Origin` that is not the request's host.
fn cross_site(req: &HttpRequest) -> bool {
    if let Some(site) = req.headers().get("sec-fetch-site") {
        return site.as_bytes() != b"same-origin";
    }
    let Some(origin) = req.headers().get(header::ORIGIN) else {
        return false;
    };
    let origin = origin.to_str().unwrap_or_default();
    let host = origin
        .split_once("://")
        .map_or("", |(_, host)| host)
        .trim_end_matches('/');
    !host.eq_ignore_ascii_case(req.connection_info().host())
}

async fn overview<B: CallbackBackend>(
    req: HttpRequest,
    inner: web::Data<Inner<B>>,
) -> HttpResponse {
    if let Err(refused) = inner.auth.check(&req) {
        return refused.response(&req);
    }
    match inner.overview().await {
        Ok(body) => html(StatusCode::OK, body),
        Err(err) => unavailable(&err),
    }
}

async fn act<B: CallbackBackend>(
    req: HttpRequest,
    inner: web::Data<Inner<B>>,
    payload: web::Payload,
) -> HttpResponse {
    if let Err(refused) = inner.auth.check(&req) {
        return refused.response(&req);
    }
    if cross_site(&req) {
        return Refused::CrossSite.response(&req);
    }
    let body = match payload.to_bytes_limited(FORM_LIMIT).await {
        Ok(Ok(body)) => body,
        Ok(Err(_)) => {
            return html(
                StatusCode::PAYLOAD_TOO_LARGE,
                page::message("Form too large", "The console's forms are small."),
            )
        }
        Err(err) => {
            return html(
                StatusCode::BAD_REQUEST,
                page::message("Unreadable form", &err.to_string()),
            )
        }
    };
    let (mut token, mut action, mut task) = (None, None, None);
    for (name, value) in form_urlencoded::parse(&body) {
        match &*name {
            "token" => token = Some(value.into_owned()),
            "action" => action = Some(value.into_owned()),
            "task" => task = Some(value.into_owned()),
            _ => {}
        }
    }
    if !token.is_some_and(|token| inner.auth.token_matches(&token)) {
        return Refused::WrongToken.response(&req);
    }
    let done = match (action.as_deref(), task) {
        (Some("retry"), Some(id)) => inner.retry(&id).await,
        (Some("retry-all"), _) => inner.retry_all().await,
        _ => {
            return html(
                StatusCode::BAD_REQUEST,
                page::message("Unknown action", "The console retries a task, or all."),
            )
        }
    };
    match done {
        Ok(()) => to_overview(),
        Err(err) => unavailable(&err),
    }
}

async fn task_page<B: CallbackBackend>(
    req: HttpRequest,
    inner: web::Data<Inner<B>>,
    id: web::Path<String>,
) -> HttpResponse {
    if let Err(refused) = inner.auth.check(&req) {
        return refused.response(&req);
    }
    match inner.backend.failed_tasks(inner.limit).await {
        Ok(dead) => match dead.iter().find(|failed| failed.id == *id) {
            Some(failed) => html(StatusCode::OK, page::task(failed, &inner.auth.token)),
            None => html(
                StatusCode::NOT_FOUND,
                page::message(
                    "No such dead task",
                    &format!(
                        "No dead task has the id {id} among the latest {}: it was retried or purged, or failed earlier than those.",
                        inner.limit
                    ),
                ),
            ),
        },
        Err(err) => unavailable(&err),
    }
}

/// `<path>` to `<path>/`, where the pages' relative links work.
async fn add_slash<B: CallbackBackend>(
    req: HttpRequest,
    inner: web::Data<Inner<B>>,
) -> HttpResponse {
    if let Err(refused) = inner.auth.check(&req) {
        return refused.response(&req);
    }
    let last = req.path().rsplit('/').next().unwrap_or_default();
    HttpResponse::PermanentRedirect()
        .insert_header((header::LOCATION, format!("{last}/")))
        .finish()
}

async fn not_found<B: CallbackBackend>(
    req: HttpRequest,
    inner: web::Data<Inner<B>>,
) -> HttpResponse {
    if let Err(refused) = inner.auth.check(&req) {
        return refused.response(&req);
    }
    html(
        StatusCode::NOT_FOUND,
        page::message(
            "Not found",
            "The console has its overview and its task pages.",
        ),
    )
}
