//! The queue a `queue` command is about: its URL (the scheme picks the backend), the URL
//! as it may be shown (without a password), and the backend opened.

use std::{future::Future, path::PathBuf, time::Duration};

use actix_tim_callback::queue::{BackendError, PostgresQueue, RedisQueue, SqliteQueue};

use crate::{
    args::{QueueArgs, StoreArgs},
    failure::Failure,
    queue,
};

/// How long opening a queue may take before the command gives up.
const OPEN_TIMEOUT: Duration = Duration::from_secs(15);

/// The URL forms, for the error that names an unknown scheme.
const FORMS: &str = "sqlite://PATH, redis://HOST[:PORT][/DB] (rediss://, redis+unix://SOCKET) \
                     or postgres://USER[:PASSWORD]@HOST[:PORT]/DB";

/// A queue's URL, by backend.
#[derive(Debug, PartialEq, Eq)]
enum Store {
    /// An SQLite file.
    Sqlite(PathBuf),
    /// A Redis server.
    Redis,
    /// A PostgreSQL database.
    Postgres,
}

impl Store {
    /// The backend of `url`, by its scheme.
    fn parse(url: &str) -> Result<Self, Failure> {
        let scheme = url.split_once(':').map_or("", |(scheme, _)| scheme);
        match scheme.to_ascii_lowercase().as_str() {
            "sqlite" => {
                let rest = &url[scheme.len() + 1..];
                let path = rest.strip_prefix("//").unwrap_or(rest);
                if path.is_empty() {
                    return Err(Failure::Usage(format!(
                        "{url:?} names no file: sqlite://PATH (relative) or sqlite:///PATH (absolute)"
                    )));
                }
                Ok(Self::Sqlite(PathBuf::from(path)))
            }
            "redis" | "rediss" | "redis+unix" | "unix" => Ok(Self::Redis),
            "postgres" | "postgresql" => Ok(Self::Postgres),
            _ => Err(Failure::Usage(format!(
                "{:?} is not a queue URL: use {FORMS}",
                redacted(url)
            ))),
        }
    }
}

/// `url` without its password (`user:***@`, `password=***`): the form errors and
/// progress lines show.
pub(crate) fn redacted(url: &str) -> String {
    let mut shown = url.to_owned();
    if let Some(start) = shown.find("://").map(|at| at + 3) {
        let authority_end = shown[start..]
            .find(['/', '?', '#'])
            .map_or(shown.len(), |end| start + end);
        if let Some(at) = shown[start..authority_end].rfind('@') {
            let user_info = &shown[start..start + at];
            if let Some(colon) = user_info.find(':') {
                shown.replace_range(start + colon + 1..start + at, "***");
            }
        }
    }
    if let Some(query) = shown.find('?') {
        let (head, tail) = shown.split_at(query + 1);
        let tail: Vec<String> = tail
            .split('&')
            .map(|pair| match pair.split_once('=') {
                Some((name, _)) if name.eq_ignore_ascii_case("password") => format!("{name}=***"),
                _ => pair.to_owned(),
            })
            .collect();
        shown = format!("{head}{}", tail.join("&"));
    }
    shown
}

/// `queue`: opens the queue of the command's URL and runs the command on it.
pub(crate) async fn run(args: QueueArgs) -> Result<(), Failure> {
    let store = args.command.store();
    let url = store.url.clone();
    let shown = redacted(&url);
    match Store::parse(&url)? {
        Store::Sqlite(path) => {
            // `SqliteQueue::open` creates a missing file: a mistyped path would show an
            // empty queue instead of an error.
            if !path.is_file() {
                return Err(Failure::Failed(format!(
                    "no queue at {shown}: {} is not a file",
                    path.display()
                )));
            }
            let sqlite = open(&shown, SqliteQueue::open(&path)).await?;
            queue::run(sqlite, args.command).await
        }
        Store::Redis => {
            let redis = open(&shown, redis_builder(store, &url).connect()).await?;
            queue::run(redis, args.command).await
        }
        Store::Postgres => {
            let postgres = open(&shown, PostgresQueue::connect(&url)).await?;
            queue::run(postgres, args.command).await
        }
    }
}

/// The Redis queue's builder with the risks the options accept.
fn redis_builder(store: &StoreArgs, url: &str) -> actix_tim_callback::queue::RedisQueueBuilder {
    let mut builder = RedisQueue::builder(url);
    if store.accept_no_persistence {
        builder = builder.accept_no_persistence();
    }
    if store.accept_eviction {
        builder = builder.accept_eviction();
    }
    builder
}

/// The option of this command that accepts the risk `err` refuses, if any.
fn opt_in(err: &BackendError) -> Option<&'static str> {
    match err {
        BackendError::UnsafeStore {
            setting: "maxmemory-policy",
            ..
        } => Some("--accept-eviction"),
        BackendError::UnsafeStore { .. } => Some("--accept-no-persistence"),
        _ => None,
    }
}

/// Waits for a backend to open, with a progress line and a deadline; its error names the
/// queue.
async fn open<B>(
    shown: &str,
    opening: impl Future<Output = Result<B, BackendError>>,
) -> Result<B, Failure> {
    eprintln!("opening the queue at {shown}");
    match actix_web::rt::time::timeout(OPEN_TIMEOUT, opening).await {
        Ok(Ok(backend)) => Ok(backend),
        Ok(Err(err)) => Err(Failure::Failed(format!(
            "cannot open the queue at {shown}: {err}{}",
            opt_in(&err)
                .map(|option| format!(" (here: {option})"))
                .unwrap_or_default()
        ))),
        Err(_) => Err(Failure::Failed(format!(
            "cannot open the queue at {shown}: no answer within {} s",
            OPEN_TIMEOUT.as_secs()
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_scheme_picks_the_backend() {
        assert_eq!(
            Store::parse("sqlite://callbacks.db").ok(),
            Some(Store::Sqlite("callbacks.db".into()))
        );
        assert_eq!(
            Store::parse("sqlite:///var/lib/q.db").ok(),
            Some(Store::Sqlite("/var/lib/q.db".into()))
        );
        assert_eq!(
            Store::parse("sqlite:q.db").ok(),
            Some(Store::Sqlite("q.db".into()))
        );
        assert_eq!(Store::parse("redis://127.0.0.1/0").ok(), Some(Store::Redis));
        assert_eq!(
            Store::parse("redis+unix:///tmp/r.sock").ok(),
            Some(Store::Redis)
        );
        assert_eq!(
            Store::parse("postgresql://u@h/db").ok(),
            Some(Store::Postgres)
        );
        for url in ["mysql://u:secret@h/db", "callbacks.db", "sqlite://"] {
            let Err(Failure::Usage(message)) = Store::parse(url) else {
                panic!("{url} is refused");
            };
            assert!(!message.contains("secret"), "{message}");
        }
        let Err(Failure::Usage(message)) = Store::parse("mysql://h/db") else {
            panic!("an unknown scheme is refused");
        };
        for scheme in ["sqlite://", "redis://", "postgres://"] {
            assert!(message.contains(scheme), "{message}");
        }
    }

    #[test]
    fn passwords_are_not_shown() {
        assert_eq!(
            redacted("postgres://app:s3cret@db:5432/im"),
            "postgres://app:***@db:5432/im"
        );
        assert_eq!(
            redacted("redis://:s3cret@h:6379/0"),
            "redis://:***@h:6379/0"
        );
        assert_eq!(redacted("redis://user@h/0"), "redis://user@h/0");
        assert_eq!(
            redacted("postgres://h/db?user=a&password=s3cret&sslmode=disable"),
            "postgres://h/db?user=a&password=***&sslmode=disable"
        );
        assert_eq!(redacted("sqlite://q.db"), "sqlite://q.db");
        assert_eq!(
            redacted("postgres://a:b@c@h/db"),
            "postgres://a:***@h/db",
            "the last @ ends the user info"
        );
    }
}
