//! [`enqueue`]: the handler that answers an after-callback OK once it is queued.

use actix_web::{web, HttpRequest};

use super::{counters, error::QueueError, push::CallbackQueue, task::CallbackTask};
use crate::{extract::Callback, model::AnyEvent, reply::Ack, request::CallbackRequest};

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
/// use actix_tim_callback::{command, enqueue, model::group::BeforeSendMsg, BeforeSendReply, Callback, GroupCodes};
/// use actix_web::web;
///
/// async fn before_send(_: Callback<BeforeSendMsg>) -> BeforeSendReply<GroupCodes> {
///     BeforeSendReply::allow()
/// }
///
/// cfg.route("", web::post().guard(command::<BeforeSendMsg>()).to(before_send))
///     .route("", web::post().to(enqueue));
/// # }
/// ```
pub async fn enqueue(
    req: HttpRequest,
    cb: Callback<AnyEvent>,
    queue: web::Data<CallbackQueue>,
) -> Result<Ack, QueueError> {
    let command = cb.meta.command.as_deref().unwrap_or(cb.event.command());
    if AnyEvent::reads_reply(command) {
        let err = QueueError::ReplyRead {
            command: command.to_owned(),
        };
        counters::push_failed(err.kind());
        log::error!("Tencent IM callback not queued: {err}");
        return Err(err);
    }
    let task = task_from_request(&req, command).map_err(|err| {
        counters::push_failed(err.kind());
        log::error!("Tencent IM callback not queued: {err}");
        err
    })?;
    queue.push(task).await?;
    Ok(Ack)
}

/// The task of a verified callback: its metadata, the body exactly as Tencent sent it (with
/// the fields the model does not type), when it arrived, its duplicate key (the one the
/// middleware claims it under).
fn task_from_request(req: &HttpRequest, command: &str) -> Result<CallbackTask, QueueError> {
    let state = CallbackRequest::get(req).map_err(|err| QueueError::Encode(err.to_string()))?;
    let event =
        serde_json::from_slice(state.body()).map_err(|err| QueueError::Encode(err.to_string()))?;
    Ok(CallbackTask::with_body(
        state.meta(),
        command,
        event,
        state.received_at(),
        state.key().to_owned(),
    ))
}
