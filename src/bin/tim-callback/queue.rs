//! The `queue` subcommands on an opened backend: the same on SQLite, Redis and PostgreSQL.

use actix_tim_callback::queue::{BackendError, CallbackBackend, FailedTask};
use serde_json::json;

use crate::{args::QueueCommand, failure::Failure, output, rfc3339};

/// Runs `command` on `backend`.
pub(crate) async fn run<B: CallbackBackend>(
    backend: B,
    command: QueueCommand,
) -> Result<(), Failure> {
    match command {
        QueueCommand::Stats { json, .. } => stats(&backend, json).await,
        QueueCommand::Dead { limit, json, .. } => dead(&backend, limit, json).await,
        QueueCommand::Retry { ids, all, .. } => retry(&backend, &ids, all).await,
        QueueCommand::Purge { failed, yes, .. } => purge(&backend, failed, yes).await,
    }
}

/// A failed call of the backend.
fn failed(what: &str) -> impl FnOnce(BackendError) -> Failure + '_ {
    move |err| Failure::Failed(format!("{what} failed: {err}"))
}

/// `1 task`, `2 tasks`: `count` of `noun` (which takes an `s` in the plural).
fn count(count: u64, noun: &str) -> String {
    if count == 1 {
        format!("1 {noun}")
    } else {
        format!("{count} {noun}s")
    }
}

/// `queue stats`: the four counts.
async fn stats<B: CallbackBackend>(backend: &B, json: bool) -> Result<(), Failure> {
    let counts = backend
        .counts()
        .await
        .map_err(failed("counting the tasks"))?;
    if json {
        output::line(json!({
                "pending": counts.pending,
                "running": counts.running,
                "failed": counts.failed,
                "done": counts.done,
        }))?;
    } else {
        output::write(format_args!(
            "pending  {}\nrunning  {}\nfailed   {}\ndone     {}\n",
            counts.pending, counts.running, counts.failed, counts.done
        ))?;
    }
    Ok(())
}

/// `queue dead`: the dead tasks, the latest failure first.
async fn dead<B: CallbackBackend>(backend: &B, limit: usize, json: bool) -> Result<(), Failure> {
    let tasks = backend
        .failed_tasks(limit)
        .await
        .map_err(failed("listing the dead tasks"))?;
    if json {
        let tasks: Vec<serde_json::Value> = tasks.iter().map(as_json).collect();
        output::line(serde_json::Value::Array(tasks))?;
    } else {
        for (n, task) in tasks.iter().enumerate() {
            let separator = if n > 0 { "\n" } else { "" };
            output::write(format_args!("{separator}{}", as_text(task)))?;
        }
    }
    let shown = tasks.len() as u64;
    if shown == limit as u64 {
        // There may be more: say how many.
        let total = backend
            .counts()
            .await
            .map_err(failed("counting the tasks"))?
            .failed;
        if total > shown {
            eprintln!(
                "the latest {shown} of {} (--limit to see more)",
                count(total, "dead task")
            );
            return Ok(());
        }
    }
    eprintln!("{}", count(shown, "dead task"));
    Ok(())
}

/// A dead task as `queue dead` prints it: its id and command, then one field a line.
fn as_text(failed: &FailedTask) -> String {
    let failed_at = failed
        .failed_at
        .map_or_else(|| "at an unknown time".to_owned(), rfc3339::format);
    let attempts = count(u64::from(failed.attempts), "attempt");
    match &failed.task {
        Some(task) => format!(
            "{}  {}\n  key:        {}\n  arrived:    {}\n  failed:     {failed_at} after {attempts}\n  last error: {}\n",
            failed.id,
            task.command,
            task.key,
            rfc3339::format(task.received_at()),
            failed.last_error,
        ),
        None => format!(
            "{}  (the stored task cannot be decoded)\n  failed:     {failed_at} after {attempts}\n  last error: {}\n",
            failed.id, failed.last_error,
        ),
    }
}

/// A dead task as `queue dead --json` prints it (`null` for what an undecodable task
/// does not have).
fn as_json(failed: &FailedTask) -> serde_json::Value {
    let task = failed.task.as_ref();
    json!({
        "id": failed.id,
        "command": task.map(|task| &task.command),
        "key": task.map(|task| &task.key),
        "sdk_app_id": task.map(|task| task.sdk_app_id),
        "received_at": task.map(|task| rfc3339::format(task.received_at())),
        "failed_at": failed.failed_at.map(rfc3339::format),
        "attempts": failed.attempts,
        "last_error": failed.last_error,
        "body": task.map(|task| &task.body),
    })
}

/// `queue retry`: the named dead tasks, or all, queued again.
async fn retry<B: CallbackBackend>(backend: &B, ids: &[String], all: bool) -> Result<(), Failure> {
    if all {
        let retried = backend
            .retry_failed()
            .await
            .map_err(failed("retrying the dead tasks"))?;
        output::line(format_args!("queued {} again", count(retried, "dead task")))?;
        return Ok(());
    }
    let mut missing = Vec::new();
    for id in ids {
        let what = format!("retrying {id}");
        if backend.retry_task(id).await.map_err(failed(&what))? {
            output::line(format_args!("queued {id} again"))?;
        } else {
            eprintln!("no dead task has the id {id}");
            missing.push(id.as_str());
        }
    }
    if missing.is_empty() {
        Ok(())
    } else {
        Err(Failure::Failed(format!(
            "not retried: {} (retried or purged already, or not an id of `queue dead`)",
            missing.join(", ")
        )))
    }
}

/// `queue purge`: with `yes`, the dead tasks (`failed`) or the leftovers of done tasks;
/// without, what it would delete.
async fn purge<B: CallbackBackend>(
    backend: &B,
    failed_too: bool,
    yes: bool,
) -> Result<(), Failure> {
    match (failed_too, yes) {
        (false, false) => Err(Failure::Usage(
            "purge deletes the rows older versions of the crate kept of done tasks (the \
             worker deletes them now); add --yes to delete them, or --failed --yes for the \
             dead tasks"
                .to_owned(),
        )),
        (false, true) => {
            let purged = backend
                .purge_done()
                .await
                .map_err(failed("purging the done tasks"))?;
            output::line(format_args!("deleted {}", count(purged, "done task")))?;
            Ok(())
        }
        (true, false) => {
            let dead = backend
                .counts()
                .await
                .map_err(failed("counting the tasks"))?
                .failed;
            Err(Failure::Usage(format!(
                "purge --failed deletes {} for good (`queue dead` lists them, `queue retry \
                 --all` runs them again); add --yes to delete them",
                count(dead, "dead task")
            )))
        }
        (true, true) => {
            let purged = backend
                .purge_failed()
                .await
                .map_err(failed("purging the dead tasks"))?;
            output::line(format_args!("deleted {}", count(purged, "dead task")))?;
            Ok(())
        }
    }
}
