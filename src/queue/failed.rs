//! [`FailedTask`]: a task that failed all its attempts, as the backends list it.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use super::task::CallbackTask;

/// A task that failed all its [`Retry`](super::Retry) attempts (or could not be decoded),
/// kept by the backend until it is retried or purged: what
/// [`CallbackBackend::failed_tasks`](super::CallbackBackend::failed_tasks) returns.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct FailedTask {
    /// The backend's id of the task, for
    /// [`retry_task`](super::CallbackBackend::retry_task).
    pub id: String,
    /// The task; `None` when what the store holds cannot be decoded (a corrupted row, a
    /// format of a newer version): [`last_error`](Self::last_error) says why.
    pub task: Option<CallbackTask>,
    /// The attempts made.
    pub attempts: u32,
    /// The error of its last attempt, as the handler returned it.
    pub last_error: String,
    /// When it failed its last attempt, when the store says.
    pub failed_at: Option<SystemTime>,
}

impl FailedTask {
    /// A failed task from the fields a backend stores: its id, the task as stored, its
    /// attempts, its last result (`{"Err": "…"}` as apalis and this crate write it, or a
    /// bare message) and when it failed, in Unix seconds.
    pub(crate) fn from_stored(
        id: String,
        stored: &[u8],
        attempts: i64,
        last_result: Option<&str>,
        failed_at: Option<i64>,
    ) -> Self {
        let (task, undecodable) = match serde_json::from_slice::<CallbackTask>(stored) {
            Ok(task) => (Some(task), None),
            Err(err) => (
                None,
                Some(format!("the stored task cannot be decoded: {err}")),
            ),
        };
        let last_error = last_result
            .map(error_message)
            .or(undecodable)
            .unwrap_or_default();
        Self {
            id,
            task,
            attempts: u32::try_from(attempts).unwrap_or(0),
            last_error,
            failed_at: failed_at
                .and_then(|secs| u64::try_from(secs).ok())
                .map(|secs| UNIX_EPOCH + Duration::from_secs(secs)),
        }
    }
}

/// The message of a stored result: the `Err` of `{"Err": "…"}`, else the text as stored.
fn error_message(result: &str) -> String {
    #[derive(serde::Deserialize)]
    enum Stored {
        Err(String),
    }
    match serde_json::from_str::<Stored>(result) {
        Ok(Stored::Err(message)) => message,
        Err(_) => result.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_message_of_a_stored_error_and_of_an_undecodable_task() {
        let failed = FailedTask::from_stored(
            "01J".into(),
            b"not json",
            3,
            Some(r#"{"Err":"the archive is down"}"#),
            Some(1_700_000_000),
        );
        assert!(failed.task.is_none());
        assert_eq!(failed.last_error, "the archive is down");
        assert_eq!(failed.attempts, 3);
        assert_eq!(
            failed.failed_at,
            Some(UNIX_EPOCH + Duration::from_secs(1_700_000_000))
        );
        let failed = FailedTask::from_stored("01J".into(), b"{}", 1, None, None);
        assert!(
            failed
                .last_error
                .starts_with("the stored task cannot be decoded: missing field"),
            "{}",
            failed.last_error
        );
        assert_eq!(error_message("plain words"), "plain words");
    }
}
