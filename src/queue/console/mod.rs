//! [`Console`]: the queue's operator console (feature `console`), a few server-rendered
//! pages the app mounts at a path of its own, behind the HTTP Basic credentials it gives
//! ([`ConsoleAuth`]): the counts, the dead tasks with their last error, a retry per task
//! and for all.
//!
//! Every number and list on its pages is the backend's own ([`CallbackBackend::counts`],
//! [`failed_tasks`](CallbackBackend::failed_tasks)), and its actions are the backend's
//! ([`retry_task`](CallbackBackend::retry_task),
//! [`retry_failed`](CallbackBackend::retry_failed)): one console for SQLite, Redis and
//! PostgreSQL alike.
//!
//! Why not apalis-board (1.0): it registers an apalis storage itself (ours are sealed inside
//! the backends, and store each task as the bytes of a [`CallbackTask`](super::CallbackTask)),
//! reads its counts with apalis' own queries (our workers delete a task once it is done and
//! keep the done count themselves, and the Redis backend acks by itself), has no retry of a
//! dead task, no authentication and an open `PUT` that pushes tasks, and its page is a
//! prebuilt WebAssembly bundle with root-absolute asset paths, which does not mount under a
//! path such as `/queue/`. What it would add (its JSON API) is not what an operator of this
//! queue needs; a small console over [`CallbackBackend`] is.
//!
//! The pages need no JavaScript and load nothing from elsewhere. Everything they print that
//! came from the network (commands, keys, errors, bodies) is HTML-escaped. The actions are
//! `POST` forms carrying a random token of the console's, and a request that a browser marks
//! as cross-site is refused: browsers resend Basic credentials by themselves.

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

use super::{backend::CallbackBackend, backend_error::BackendError, failed::FailedTask};
use page::{Now, Overview, Retried};

/// How many dead tasks the overview lists, by default.
const DEAD_TASKS_SHOWN: usize = 100;

/// How many retried tasks and actions the console remembers.
const REMEMBERED: usize = 50;

/// The largest action form the console reads.
const FORM_LIMIT: usize = 4096;

/// The console's HTTP Basic challenge.
const CHALLENGE: &str = "Basic realm=\"TIM callback queue\", charset=\"UTF-8\"";

/// What the console's pages may load and do: nothing from elsewhere, their inline style,
/// forms posted to themselves, never in a frame.
const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; style-src 'unsafe-inline'; \
     form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// Why [`ConsoleAuth::basic`] refused credentials.
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
/// its dead tasks (command, key, arrival, attempts, last error, when it failed) with a
/// Retry button each and a Retry all, and the tasks retried from this console with what
/// became of them; `<path>/task/<id>` shows one dead task with its body. A request without
/// the credentials is answered 401 with a Basic challenge; a failing backend, 503 with its
/// error (logged).
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
    memory: Arc<Mutex<Memory>>,
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
            memory: Arc::default(),
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
            memory: self.memory.clone(),
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
            memory: self.memory,
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
    memory: Arc<Mutex<Memory>>,
}

impl<B: CallbackBackend> Inner<B> {
    fn memory(&self) -> std::sync::MutexGuard<'_, Memory> {
        self.memory
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The overview page, from the backend's counts and dead tasks.
    async fn overview(&self) -> Result<String, BackendError> {
        let counts = self.backend.counts().await?;
        let dead = self.backend.failed_tasks(self.limit).await?;
        // A retried task no longer dead is done once nothing can be it any more: the
        // dead list is whole and nothing is pending or running.
        let whole = dead.len() as u64 >= counts.failed;
        let idle = counts.pending == 0 && counts.running == 0;
        let memory = self.memory();
        let retried: Vec<Retried<'_>> = memory
            .retried
            .iter()
            .map(|task| Retried {
                id: &task.id,
                command: task.command.as_deref(),
                key: task.key.as_deref(),
                at: task.at,
                now: if dead.iter().any(|failed| failed.id == task.id) {
                    Now::FailedAgain
                } else if whole && idle {
                    Now::Done
                } else {
                    Now::QueuedOrDone
                },
            })
            .collect();
        let actions: Vec<(SystemTime, &str)> = memory
            .actions
            .iter()
            .map(|(at, text)| (*at, text.as_str()))
            .collect();
        Ok(page::overview(&Overview {
            counts,
            dead: &dead,
            retried: &retried,
            actions: &actions,
            token: &self.auth.token,
        }))
    }

    /// Retries the dead task `id`, remembered with its command and key.
    async fn retry(&self, id: &str) -> Result<(), BackendError> {
        let dead = self.backend.failed_tasks(self.limit).await?;
        let listed = dead.into_iter().find(|failed| failed.id == id);
        if self.backend.retry_task(id).await? {
            let mut memory = self.memory();
            let (command, key) = listed.map_or((None, None), command_and_key);
            memory.act(match (&command, &key) {
                (Some(command), Some(key)) => {
                    format!("Retried task {id} ({command}, key {key}): queued again.")
                }
                _ => format!("Retried task {id}: queued again."),
            });
            memory.retried(id.to_owned(), command, key);
        } else {
            self.memory().act(format!(
                "Retry of task {id}: no dead task has this id (retried or purged already); nothing done."
            ));
        }
        Ok(())
    }

    /// Retries every dead task; the listed ones are remembered.
    async fn retry_all(&self) -> Result<(), BackendError> {
        let dead = self.backend.failed_tasks(self.limit).await?;
        let count = self.backend.retry_failed().await?;
        let mut memory = self.memory();
        memory.act(format!("Retried all dead tasks: {count} queued again."));
        for failed in dead.into_iter().rev() {
            let id = failed.id.clone();
            let (command, key) = command_and_key(failed);
            memory.retried(id, command, key);
        }
        Ok(())
    }
}

fn command_and_key(failed: FailedTask) -> (Option<String>, Option<String>) {
    failed
        .task
        .map_or((None, None), |task| (Some(task.command), Some(task.key)))
}

/// What a console remembers (in this process): the tasks it retried and its last actions,
/// the latest first.
#[derive(Default)]
struct Memory {
    retried: VecDeque<RetriedTask>,
    actions: VecDeque<(SystemTime, String)>,
}

impl Memory {
    fn act(&mut self, text: String) {
        self.actions.push_front((SystemTime::now(), text));
        self.actions.truncate(REMEMBERED);
    }

    fn retried(&mut self, id: String, command: Option<String>, key: Option<String>) {
        self.retried.retain(|task| task.id != id);
        self.retried.push_front(RetriedTask {
            id,
            command,
            key,
            at: SystemTime::now(),
        });
        self.retried.truncate(REMEMBERED);
    }
}

/// A task retried from the console.
struct RetriedTask {
    id: String,
    command: Option<String>,
    key: Option<String>,
    at: SystemTime,
}

/// Why a request was refused.
#[derive(Debug, Clone, Copy)]
enum Refused {
    NoCredentials,
    WrongCredentials,
    CrossSite,
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
        return Refused::CrossSite.response(&req);
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
