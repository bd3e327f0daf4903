//! [`enqueue`]: the handler that answers an after-callback OK once it is queued.

use actix_web::{web, HttpRequest};
use serde_json::value::RawValue;

use super::{error::QueueError, push::CallbackQueue, task::CallbackTask};
use crate::{
    error::{rejected, CallbackError},
    model::AnyEvent,
    reply::Ack,
    request::CallbackRequest,
    scan::Scan,
    telemetry,
};

/// The handler of a queued callback route: pushes the callback into the app's
/// [`CallbackQueue`] (from `web::Data<CallbackQueue>`) and answers OK only once the task
/// is committed; a push that fails or exceeds the budget is a [`QueueError`], answered
/// `FAIL` (the duplicate claim, with [`CallbackConfig::dedup`](crate::CallbackConfig::dedup),
/// is then released, so a redelivery is queued).
///
/// The body is queued as Tencent sent it, checked only to be JSON (a body that is not is
/// answered [`CallbackError::InvalidJson`], 400); it is decoded into its event once, by the
/// worker ([`CallbackTask::event`]).
///
/// Callbacks whose reply Tencent reads (every `*.CallbackBefore*`,
/// `Sns.CallbackPrevFriendAdd`, `Sns.CallbackPrevFriendResponse`, `Chatbot.*`) are never
/// queued: route them to handlers of their own on the same URL, before this one; one that
/// reaches it is answered `FAIL` (Tencent then goes on as it does when no reply comes)
/// and logged.
///
/// ```
/// use actix_tim_callback::{command, model::group::BeforeSendMsg, queue::enqueue, reply::{BeforeSendReply, GroupCodes}, Callback};
/// use actix_web::{test, web, App};
///
/// async fn before_send(_: Callback<BeforeSendMsg>) -> BeforeSendReply<GroupCodes> {
///     BeforeSendReply::allow()
/// }
///
/// # actix_web::rt::System::new().block_on(async {
/// let app = test::init_service(App::new().service(
///     web::scope("/im/callback")
///         .wrap(actix_tim_callback::TimCallback::new(actix_tim_callback::CallbackConfig::new(1400000000)))
///         .route("", web::post().guard(command::<BeforeSendMsg>()).to(before_send))
///         .route("", web::post().to(enqueue)),
/// )).await;
/// // No `CallbackQueue` in the app's data: the request is answered FAIL, and the log says
/// // what to add.
/// let req = actix_tim_callback::testkit::TestCallback::group_after_send_msg().path("/im/callback").to_request();
/// let res = test::call_service(&app, req).await;
/// assert_eq!(res.status(), 500);
/// # });
/// ```
pub async fn enqueue(req: HttpRequest) -> actix_web::Result<Ack> {
    let state = CallbackRequest::get(&req)?;
    let command = state.command().unwrap_or_default();
    let refuse = |err: QueueError| {
        telemetry::push_failed(err.kind());
        log::error!("Tencent IM callback not queued: {err}");
        err
    };
    let Some(queue) = req.app_data::<web::Data<CallbackQueue>>() else {
        return Err(refuse(QueueError::NotConfigured).into());
    };
    if AnyEvent::reads_reply(command) {
        return Err(refuse(QueueError::ReplyRead {
            command: command.to_owned(),
        })
        .into());
    }
    let body = body_as_sent(state.body()).map_err(|err| rejected(&req, err))?;
    let scan = Scan::of(state.body().as_ref());
    state
        .check_body_command(scan.as_ref().and_then(Scan::command))
        .map_err(|err| rejected(&req, err))?;
    let task = CallbackTask::with_body(
        state.meta(),
        command,
        body,
        state.received_at(),
        state.key().to_owned(),
    );
    // The request's span, for the worker's to link to.
    #[cfg(feature = "opentelemetry")]
    let task = CallbackTask {
        traceparent: state.traceparent(),
        tracestate: state.tracestate(),
        ..task
    };
    queue.push(task).await?;
    Ok(Ack)
}

/// The body as JSON text, checked to be one JSON value (what a task stores).
fn body_as_sent(body: &[u8]) -> Result<Box<RawValue>, CallbackError> {
    let invalid = |message: String| CallbackError::InvalidJson {
        path: ".".to_owned(),
        message,
    };
    let text = std::str::from_utf8(body).map_err(|err| invalid(err.to_string()))?;
    RawValue::from_string(text.to_owned()).map_err(|err| invalid(err.to_string()))
}
