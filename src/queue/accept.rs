//! [`enqueue`]: the handler that answers an after-callback OK once it is queued.

use std::time::SystemTime;

use actix_web::{web, HttpRequest};
use sha2::{Digest, Sha256};

use super::{counters, error::QueueError, push::CallbackQueue, task::CallbackTask};
use crate::{extract::Callback, model::AnyEvent, reply::Ack, signature::lowercase_hex};

/// The handler of a queued callback route: pushes the callback into the app's
/// [`CallbackQueue`] (from `web::Data<CallbackQueue>`) and answers OK only once the task
/// is committed; a push that fails or exceeds the budget is a [`QueueError`], answered
/// `FAIL` (the duplicate claim, with [`CallbackConfig::dedup`](crate::CallbackConfig::dedup),
/// is then released, so a redelivery is queued).
///
/// Callbacks whose reply Tencent reads (every `*.CallbackBefore*`,
/// `Sns.CallbackPrevFriendAdd`, `Sns.CallbackPrevFriendResponse`, `Chatbot.*`) are never
/// queued: route them to handlers of their own on the same URL, before this one; one that
/// reaches it is answered `FAIL` (Tencent then goes on as it does when no reply comes)
/// and logged.
///
/// ```
/// # #[cfg(feature = "queue")]
/// # fn routes(cfg: &mut actix_web::web::ServiceConfig) {
/// use actix_tim_callback::{command, enqueue, model::GroupBeforeSendMsg, BeforeSendReply, Callback};
/// use actix_web::web;
///
/// async fn before_send(_: Callback<GroupBeforeSendMsg>) -> BeforeSendReply {
///     BeforeSendReply::allow()
/// }
///
/// cfg.route("", web::post().guard(command::<GroupBeforeSendMsg>()).to(before_send))
///     .route("", web::post().to(enqueue));
/// # }
/// ```
pub async fn enqueue(
    req: HttpRequest,
    cb: Callback<AnyEvent>,
    queue: web::Data<CallbackQueue>,
) -> Result<Ack, QueueError> {
    let command = cb.meta.command.as_deref().unwrap_or(cb.event.command());
    if tencent_reads_reply(command) {
        let err = QueueError::ReplyRead {
            command: command.to_owned(),
        };
        counters::push_failed(err.kind());
        log::error!("Tencent IM callback not queued: {err}");
        return Err(err);
    }
    let task = task_from_request(&req, &cb).map_err(|err| {
        counters::push_failed(err.kind());
        log::error!("Tencent IM callback not queued: {err}");
        err
    })?;
    queue.push(task).await?;
    Ok(Ack)
}

/// Whether Tencent acts on the reply of `command`, so that only its handler can answer it.
// INTEGRATION: replace with the catalogue's fact ("Tencent reads this reply").
fn tencent_reads_reply(command: &str) -> bool {
    const READ: [&str; 14] = [
        "C2C.CallbackBeforeSendMsg",
        "Group.CallbackBeforeCreateGroup",
        "Group.CallbackBeforeApplyJoinGroup",
        "Group.CallbackBeforeInviteJoinGroup",
        "Group.CallbackBeforeSendMsg",
        "Group.CallbackBeforeCreateTopic",
        "OfficialAccount.CallbackBeforeCreateOfficialAccount",
        "OfficialAccount.CallbackBeforeAddSubscriber",
        "OfficialAccount.CallbackBeforeSendMsg",
        "Sns.CallbackPrevFriendAdd",
        "Sns.CallbackPrevFriendResponse",
        "Chatbot.OnC2CSignalMessage",
        "ChatBot.OnAssignC2CMessage",
        "ChatBot.OnAssignGroupMessage",
    ];
    // Commands not in the catalogue yet: the families whose replies Tencent reads.
    READ.contains(&command)
        || command.contains(".CallbackBefore")
        || command.starts_with("Chatbot.")
        || command.starts_with("ChatBot.OnAssign")
}

/// The task of a verified callback: its metadata, the event, when it arrived, its
/// duplicate key.
// INTEGRATION: take the metadata, arrival time and duplicate key from the middleware's
// per-request state (`CallbackRequest::get(req)`: `.meta()`, `.received_at()`, `.key()`)
// once issue 14 lands; until then the arrival is now and the key a digest of the app id,
// the command and the event.
fn task_from_request(
    _req: &HttpRequest,
    cb: &Callback<AnyEvent>,
) -> Result<CallbackTask, QueueError> {
    let encode = |err: serde_json::Error| QueueError::Encode(err.to_string());
    let event = serde_json::to_vec(&cb.event).map_err(encode)?;
    let command = cb.meta.command.as_deref().unwrap_or(cb.event.command());
    let mut digest = Sha256::new();
    digest.update(cb.meta.sdk_app_id.to_string());
    digest.update([0]);
    digest.update(command);
    digest.update([0]);
    digest.update(&event);
    let key = lowercase_hex(&digest.finalize().into());
    let key = String::from_utf8_lossy(&key).into_owned();
    CallbackTask::new(&cb.meta, &cb.event, SystemTime::now(), key).map_err(encode)
}

#[cfg(test)]
mod tests {
    use super::tencent_reads_reply;
    use crate::model::AnyEvent;

    #[test]
    fn only_callbacks_whose_reply_tencent_reads_are_kept_out_of_the_queue() {
        let read: Vec<_> = AnyEvent::COMMANDS
            .into_iter()
            .filter(|command| tencent_reads_reply(command))
            .collect();
        assert_eq!(
            read,
            [
                "Sns.CallbackPrevFriendAdd",
                "Sns.CallbackPrevFriendResponse",
                "C2C.CallbackBeforeSendMsg",
                "Group.CallbackBeforeCreateGroup",
                "Group.CallbackBeforeApplyJoinGroup",
                "Group.CallbackBeforeInviteJoinGroup",
                "Group.CallbackBeforeSendMsg",
                "Group.CallbackBeforeCreateTopic",
                "Chatbot.OnC2CSignalMessage",
                "OfficialAccount.CallbackBeforeCreateOfficialAccount",
                "OfficialAccount.CallbackBeforeAddSubscriber",
                "OfficialAccount.CallbackBeforeSendMsg",
            ]
        );
        assert!(tencent_reads_reply("ChatBot.OnAssignC2CMessage"));
        assert!(!tencent_reads_reply("Group.CallbackAfterSendMsg"));
        assert!(!tencent_reads_reply("Future.Callback"));
    }
}
