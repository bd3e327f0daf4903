//! Whether a Redis keeps the tasks it is given: its persistence and eviction settings, read
//! when a [`RedisQueue`](super::RedisQueue) connects, judged by [`judge`].

use redis::aio::ConnectionManager;

use super::backend_error::BackendError;
use crate::log::LogSafe;

/// The risks the app accepted ([`RedisQueueBuilder`](super::RedisQueueBuilder)'s opt-ins).
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Risks {
    pub(crate) no_persistence: bool,
    pub(crate) eviction: bool,
}

/// What the server says of its persistence and eviction; `None` where it did not say.
#[derive(Debug, Default, PartialEq, Eq)]
struct Durability {
    appendonly: Option<bool>,
    appendfsync: Option<String>,
    /// The `save` rules (`"3600 1 300 100"`; empty: no snapshots).
    save: Option<String>,
    maxmemory_policy: Option<String>,
}

/// Reads the server's settings and [judges](judge) them: the warnings are logged, a refusal
/// is returned.
pub(crate) async fn check_durability(
    conn: &mut ConnectionManager,
    risks: Risks,
) -> Result<(), BackendError> {
    let (durability, unread) = match config_get(conn).await {
        Ok(durability) => (durability, None),
        Err(config_err) => match info(conn).await {
            Ok(durability) => (durability, Some(format!("CONFIG GET failed: {config_err}"))),
            Err(info_err) => (
                Durability::default(),
                Some(format!(
                    "CONFIG GET failed: {config_err}; INFO failed: {info_err}"
                )),
            ),
        },
    };
    let verdict = judge(&durability, risks)?;
    if let Some(unread) = unread.filter(|_| verdict.unknown) {
        log::warn!(
            "Tencent IM callback queue: could not read all of Redis' persistence settings ({}): {}",
            LogSafe(&unread),
            UNKNOWN_ADVICE
        );
    }
    for warning in &verdict.warnings {
        log::warn!("Tencent IM callback queue: {warning}");
    }
    log::info!("Tencent IM callback queue on Redis: {}", verdict.summary);
    Ok(())
}

const UNKNOWN_ADVICE: &str = "make sure AOF is on (appendonly yes) and maxmemory-policy is \
     noeviction, or a Redis restart or eviction can lose callbacks answered OK";

async fn config_get(conn: &mut ConnectionManager) -> redis::RedisResult<Durability> {
    let get = |name: &'static str| {
        let mut conn = conn.clone();
        async move {
            let pair: Vec<String> = redis::cmd("CONFIG")
                .arg("GET")
                .arg(name)
                .query_async(&mut conn)
                .await?;
            Ok::<_, redis::RedisError>(pair.into_iter().nth(1))
        }
    };
    let appendonly = get("appendonly").await?;
    let appendfsync = get("appendfsync").await?;
    let save = get("save").await?;
    let maxmemory_policy = get("maxmemory-policy").await?;
    Ok(Durability {
        appendonly: appendonly.map(|value| value == "yes"),
        appendfsync,
        save,
        maxmemory_policy,
    })
}

/// The settings `INFO` shows (`aof_enabled`, `maxmemory_policy`), for a server whose
/// `CONFIG` is renamed or refused. `INFO` does not show the `save` rules.
async fn info(conn: &mut ConnectionManager) -> redis::RedisResult<Durability> {
    let text: String = redis::cmd("INFO")
        .arg("persistence")
        .query_async(conn)
        .await?;
    let memory: String = redis::cmd("INFO").arg("memory").query_async(conn).await?;
    let field = |text: &str, name: &str| {
        text.lines()
            .find_map(|line| line.strip_prefix(name)?.strip_prefix(':'))
            .map(|value| value.trim().to_owned())
    };
    Ok(Durability {
        appendonly: field(&text, "aof_enabled").map(|value| value == "1"),
        appendfsync: None,
        save: None,
        maxmemory_policy: field(&memory, "maxmemory_policy"),
    })
}

/// What [`judge`] found: warnings to log, a summary for the start-up line, and whether a
/// setting could not be read.
#[derive(Debug, Default)]
struct Verdict {
    warnings: Vec<String>,
    summary: String,
    unknown: bool,
}

/// Refuses a server that may lose tasks (unless its risk was accepted), else says what a
/// crash can lose.
fn judge(durability: &Durability, risks: Risks) -> Result<Verdict, BackendError> {
    let mut verdict = Verdict::default();
    match durability.maxmemory_policy.as_deref() {
        Some(policy) if policy.starts_with("allkeys-") => {
            if !risks.eviction {
                return Err(BackendError::UnsafeStore {
                    setting: "maxmemory-policy",
                    value: policy.to_owned(),
                    risk: "under memory pressure Redis evicts any key, queued callbacks answered OK among them",
                    fix: "Set maxmemory-policy noeviction (pushes then fail and are answered FAIL when memory is full), or accept the risk with RedisQueue::builder(url).accept_eviction()",
                });
            }
            verdict.warnings.push(format!(
                "maxmemory-policy {policy} (accepted): under memory pressure Redis evicts queued callbacks answered OK"
            ));
        }
        Some(policy) if policy.starts_with("volatile-") => verdict.warnings.push(format!(
            "maxmemory-policy {policy} evicts keys with a TTL under memory pressure: the queue's \
             idempotency keys, so a redelivered callback could be queued twice (tasks have no TTL and stay)"
        )),
        Some(_) => {}
        None => verdict.unknown = true,
    }
    let snapshots = durability.save.as_deref().map(save_rules);
    match (durability.appendonly, &snapshots) {
        (Some(true), _) => {
            if durability.appendfsync.as_deref() == Some("no") {
                verdict.warnings.push(
                    "appendfsync no: a crash of the machine loses the callbacks answered OK that the \
                     OS had not written yet (about 30 s of them); appendfsync everysec loses at most about 1 s"
                        .to_owned(),
                );
            }
        }
        (Some(false), Some(rules)) if rules.is_empty() => {
            if !risks.no_persistence {
                return Err(BackendError::UnsafeStore {
                    setting: "appendonly",
                    value: "no (and save \"\")".to_owned(),
                    risk: "Redis persists nothing, so a Redis restart loses every queued callback answered OK and not yet processed",
                    fix: "Set appendonly yes (appendfsync everysec loses at most about 1 s on a crash), or accept the risk with RedisQueue::builder(url).accept_no_persistence()",
                });
            }
            verdict.warnings.push(
                "no persistence (accepted): a Redis restart loses every queued callback answered OK and not yet processed"
                    .to_owned(),
            );
        }
        (Some(false), Some(rules)) => {
            let longest = rules.iter().map(|rule| rule.0).max().unwrap_or(0);
            let shortest = rules.iter().map(|rule| rule.0).min().unwrap_or(0);
            verdict.warnings.push(format!(
                "Redis persists by RDB snapshots only (save \"{}\", appendonly no): a Redis crash loses \
                 the callbacks answered OK since the last snapshot, up to {longest} s of them \
                 ({shortest} s under steady load); appendonly yes loses at most about 1 s",
                durability.save.as_deref().unwrap_or_default()
            ));
        }
        (Some(false), None) | (None, _) => verdict.unknown = true,
    }
    verdict.summary = format!(
        "appendonly {}{}, save \"{}\", maxmemory-policy {}",
        match durability.appendonly {
            Some(true) => "yes",
            Some(false) => "no",
            None => "unknown",
        },
        durability
            .appendfsync
            .as_deref()
            .filter(|_| durability.appendonly == Some(true))
            .map(|fsync| format!(" (appendfsync {fsync})"))
            .unwrap_or_default(),
        durability.save.as_deref().unwrap_or("unknown"),
        durability.maxmemory_policy.as_deref().unwrap_or("unknown"),
    );
    Ok(verdict)
}

/// The `save` rules as (seconds, changes) pairs; rules that do not parse are left out.
fn save_rules(save: &str) -> Vec<(u64, u64)> {
    let numbers: Vec<u64> = save
        .split_whitespace()
        .filter_map(|n| n.parse().ok())
        .collect();
    numbers
        .chunks_exact(2)
        .map(|rule| (rule[0], rule[1]))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(appendonly: bool, save: &str, policy: &str) -> Durability {
        Durability {
            appendonly: Some(appendonly),
            appendfsync: Some("everysec".to_owned()),
            save: Some(save.to_owned()),
            maxmemory_policy: Some(policy.to_owned()),
        }
    }

    fn refusal(result: Result<Verdict, BackendError>) -> (&'static str, String) {
        match result {
            Err(BackendError::UnsafeStore { setting, .. }) => (
                setting,
                result.err().map(|e| e.to_string()).unwrap_or_default(),
            ),
            Err(other) => panic!("another error: {other}"),
            Ok(verdict) => panic!("accepted: {verdict:?}"),
        }
    }

    #[test]
    fn aof_and_noeviction_is_accepted_without_a_warning() {
        let verdict = judge(&settings(true, "3600 1", "noeviction"), Risks::default()).unwrap();
        assert!(verdict.warnings.is_empty(), "{verdict:?}");
        assert!(!verdict.unknown);
        assert_eq!(
            verdict.summary,
            "appendonly yes (appendfsync everysec), save \"3600 1\", maxmemory-policy noeviction"
        );
    }

    #[test]
    fn no_persistence_is_refused_with_the_setting_and_the_fix_unless_accepted() {
        let unsafe_store = settings(false, "", "noeviction");
        let (setting, message) = refusal(judge(&unsafe_store, Risks::default()));
        assert_eq!(setting, "appendonly");
        assert!(message.contains("appendonly yes"), "{message}");
        assert!(message.contains("accept_no_persistence()"), "{message}");
        let accepted = Risks {
            no_persistence: true,
            ..Risks::default()
        };
        let verdict = judge(&unsafe_store, accepted).unwrap();
        assert!(verdict.warnings[0].contains("(accepted)"), "{verdict:?}");
    }

    #[test]
    fn an_evicting_policy_is_refused_unless_accepted_a_volatile_one_warns() {
        let evicting = settings(true, "", "allkeys-lru");
        let (setting, message) = refusal(judge(&evicting, Risks::default()));
        assert_eq!(setting, "maxmemory-policy");
        assert!(message.contains("allkeys-lru"), "{message}");
        assert!(message.contains("noeviction"), "{message}");
        assert!(message.contains("accept_eviction()"), "{message}");
        let accepted = Risks {
            eviction: true,
            ..Risks::default()
        };
        assert_eq!(judge(&evicting, accepted).unwrap().warnings.len(), 1);
        let volatile = judge(&settings(true, "", "volatile-ttl"), Risks::default()).unwrap();
        assert!(
            volatile.warnings[0].contains("queued twice"),
            "{volatile:?}"
        );
    }

    #[test]
    fn snapshots_only_warn_how_many_seconds_a_crash_loses() {
        let verdict = judge(
            &settings(false, "3600 1 300 100 60 10000", "noeviction"),
            Risks::default(),
        )
        .unwrap();
        assert_eq!(verdict.warnings.len(), 1);
        assert!(
            verdict.warnings[0].contains("up to 3600 s of them (60 s under steady load)"),
            "{verdict:?}"
        );
    }

    #[test]
    fn settings_that_cannot_be_read_are_unknown_not_refused() {
        let verdict = judge(&Durability::default(), Risks::default()).unwrap();
        assert!(verdict.unknown);
        assert!(verdict.warnings.is_empty());
        // INFO says AOF is off but not whether snapshots are scheduled.
        let info = Durability {
            appendonly: Some(false),
            maxmemory_policy: Some("noeviction".to_owned()),
            ..Durability::default()
        };
        assert!(judge(&info, Risks::default()).unwrap().unknown);
    }

    #[test]
    fn appendfsync_no_warns() {
        let mut no_fsync = settings(true, "", "noeviction");
        no_fsync.appendfsync = Some("no".to_owned());
        let verdict = judge(&no_fsync, Risks::default()).unwrap();
        assert!(verdict.warnings[0].contains("about 30 s"), "{verdict:?}");
    }
}
