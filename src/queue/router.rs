//! [`TaskRouter`]: a worker's handler made of typed handlers, one per command.

use std::{fmt, future::Future, sync::Arc};

use apalis::prelude::BoxDynError;
use futures_util::future::BoxFuture;

use super::task::CallbackTask;
use crate::{log::LogSafe, model::CallbackBody};

/// Whether a route's type takes a command ([`CallbackBody::accepts`]).
type Accepts = fn(&str) -> bool;
type Route = Arc<dyn Fn(CallbackTask) -> BoxFuture<'static, Result<(), BoxDynError>> + Send + Sync>;

/// The handler of a queue worker as typed handlers: each task goes to the first route
/// whose type takes its command (an event type such as
/// [`group::AfterSendMsg`](crate::model::group::AfterSendMsg), or
/// [`AnyEvent`](crate::model::AnyEvent) for all), decoded from the body as Tencent sent it,
/// with the task beside it (its [`key`](CallbackTask::key) for idempotent work, its
/// metadata). Give it to [`CallbackBackend::worker`](super::CallbackBackend::worker) with
/// [`into_handler`](Self::into_handler).
///
/// A task no route takes fails (it ends dead, listed by
/// [`failed_tasks`](super::CallbackBackend::failed_tasks) with an error naming its
/// command) unless [`otherwise`](Self::otherwise) handles it; a body that does not decode
/// into its route's type fails with the decoding error.
///
/// ```
/// use actix_tim_callback::model::{group, state};
/// use actix_tim_callback::queue::{CallbackTask, TaskRouter};
///
/// let handler = TaskRouter::new()
///     .on(|msg: group::AfterSendMsg, task: CallbackTask| async move {
///         println!("{} in {} ({})", msg.from_account, msg.group_id, task.key);
///         Ok::<_, std::io::Error>(())
///     })
///     .on(|change: state::StateChange, _task: CallbackTask| async move {
///         println!("{} {:?}", change.info.to_account, change.info.action);
///         Ok::<_, std::io::Error>(())
///     })
///     .otherwise(|task: CallbackTask| async move {
///         println!("not archived: {}", task.command);
///         Ok::<_, std::io::Error>(())
///     })
///     .into_handler();
/// # let task: CallbackTask = serde_json::from_str(r#"{"command":"State.StateChange",
/// #     "sdk_app_id":1400000000,"received_at_ms":0,"key":"k","body":{"CallbackCommand":
/// #     "State.StateChange","Info":{"Action":"Login","To_Account":"u1","Reason":"Register"}}}"#)?;
/// # actix_web::rt::System::new().block_on(handler(task))?;
/// // sqlite.worker("archive", Retry::default(), handler)
/// # Ok::<(), Box<dyn std::error::Error + Send + Sync>>(())
/// ```
#[derive(Clone, Default)]
#[must_use = "a router does nothing until its handler is given to a worker"]
pub struct TaskRouter {
    routes: Vec<(Accepts, Route)>,
    otherwise: Option<Route>,
}

impl fmt::Debug for TaskRouter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TaskRouter")
            .field("routes", &self.routes.len())
            .field("otherwise", &self.otherwise.is_some())
            .finish()
    }
}

impl TaskRouter {
    /// A router with no route.
    pub fn new() -> Self {
        Self::default()
    }

    /// Routes the tasks whose command `T` takes to `handler`, with the body decoded as `T`.
    pub fn on<T, F, Fut, E>(mut self, handler: F) -> Self
    where
        T: CallbackBody + Send + 'static,
        F: Fn(T, CallbackTask) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<(), E>> + Send + 'static,
        E: Into<BoxDynError> + Send + 'static,
    {
        let route: Route = Arc::new(move |task: CallbackTask| {
            let decoded = task.decode::<T>();
            match decoded {
                Ok(event) => {
                    let done = handler(event, task);
                    Box::pin(async move { done.await.map_err(Into::into) })
                }
                Err(err) => {
                    let err = format!(
                        "the body of {} does not decode as {}: {err}",
                        LogSafe(&task.command),
                        T::expected()
                    );
                    Box::pin(async move { Err(err.into()) })
                }
            }
        });
        self.routes.push((T::accepts, route));
        self
    }

    /// Handles the tasks no route takes (by default they fail).
    pub fn otherwise<F, Fut, E>(mut self, handler: F) -> Self
    where
        F: Fn(CallbackTask) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<(), E>> + Send + 'static,
        E: Into<BoxDynError> + Send + 'static,
    {
        self.otherwise = Some(Arc::new(move |task| {
            let done = handler(task);
            Box::pin(async move { done.await.map_err(Into::into) })
        }));
        self
    }

    /// The worker's handler: each task to its route.
    pub fn into_handler(
        self,
    ) -> impl Fn(CallbackTask) -> BoxFuture<'static, Result<(), BoxDynError>> + Send + Sync + 'static
    {
        move |task: CallbackTask| {
            let route = self
                .routes
                .iter()
                .find(|(accepts, _)| accepts(&task.command))
                .map(|(_, route)| route)
                .or(self.otherwise.as_ref());
            match route {
                Some(route) => route(task),
                None => {
                    let err = format!(
                        "no route of this worker takes {}: add one with TaskRouter::on, or TaskRouter::otherwise",
                        LogSafe(&task.command)
                    );
                    Box::pin(async move { Err(err.into()) })
                }
            }
        }
    }
}
