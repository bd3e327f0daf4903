//! Routing each `CallbackCommand` to its own handler on the one callback URL.

use std::future::Future;

use actix_web::{
    guard::{Guard, GuardContext},
    web, Route,
};

use crate::{
    extract::Callback, model::CallbackEvent, query::Query, reply::Answer, request::CallbackRequest,
};

/// A guard that matches callbacks whose `CallbackCommand` is `E::COMMAND`.
///
/// All commands arrive on the one URL; give each typed handler its own route:
///
/// ```
/// use actix_tim_callback::{command, Ack, Callback, CallbackConfig, TimCallback};
/// use actix_tim_callback::model::group;
/// use actix_web::{web, App};
///
/// async fn on_exception(cb: Callback<group::SendMsgException>) -> Ack {
///     Ack
/// }
///
/// let app = App::new().service(
///     web::scope("/im/callback")
///         .wrap(TimCallback::new(CallbackConfig::new(1400000000)))
///         .route("", web::post().guard(command::<group::SendMsgException>()).to(on_exception))
///         // Other commands on the same path: more `.route("", ...)` lines. Commands
///         // with no route are answered OK and logged by the middleware.
/// );
/// # actix_web::rt::System::new().block_on(async {
/// # let app = actix_web::test::init_service(app).await;
/// # let req = actix_tim_callback::testkit::TestCallback::send_msg_exception().path("/im/callback").to_request();
/// # assert_eq!(actix_web::test::call_service(&app, req).await.status(), 200);
/// # });
/// ```
pub fn command<E: CallbackEvent>() -> CommandGuard {
    CommandGuard {
        command: E::COMMAND,
    }
}

/// The route of `handler`, the typed handler of one command: `POST`, [`command::<E>()`]
/// as its guard, and a handler that takes the [`Callback<E>`] and answers with `E`'s own
/// reply type ([`CallbackEvent::Reply`]), or a `Result` of it. The event type is read from
/// the handler's argument; a handler that answers with another family's reply (a group
/// before-send with one-to-one codes) does not build.
///
/// ```
/// use actix_tim_callback::{model::group::BeforeSendMsg, on, reply::{BeforeSendReply, GroupCodes}, Callback, CallbackConfig, TimCallback};
/// use actix_web::{web, App};
///
/// async fn before_send(_: Callback<BeforeSendMsg>) -> BeforeSendReply<GroupCodes> {
///     BeforeSendReply::allow()
/// }
///
/// let app = App::new().service(
///     web::scope("/im/callback")
///         .wrap(TimCallback::new(CallbackConfig::new(1400000000)))
///         .route("", on(before_send)),
/// );
/// # actix_web::rt::System::new().block_on(async {
/// # let app = actix_web::test::init_service(app).await;
/// # let req = actix_tim_callback::testkit::TestCallback::group_before_send_msg().path("/im/callback").to_request();
/// # assert_eq!(actix_web::test::read_body(actix_web::test::call_service(&app, req).await).await, r#"{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":""}"#);
/// # });
/// ```
///
/// With other codes the handler is refused at build time:
///
/// ```compile_fail
/// use actix_tim_callback::{model::group::BeforeSendMsg, on, reply::{BeforeSendReply, C2cCodes}, Callback};
///
/// async fn before_send(_: Callback<BeforeSendMsg>) -> BeforeSendReply<C2cCodes> {
///     BeforeSendReply::allow()
/// }
///
/// let route = on(before_send);
/// ```
///
/// A handler that takes more extractors routes with `web::post().guard(command::<E>())`.
pub fn on<E, F, Fut>(handler: F) -> Route
where
    E: CallbackEvent + 'static,
    F: Fn(Callback<E>) -> Fut + Clone + 'static,
    Fut: Future + 'static,
    Fut::Output: Answer<E::Reply> + 'static,
{
    web::post().guard(command::<E>()).to(handler)
}

/// A guard that matches callbacks whose `CallbackCommand` is `name` (see [`command`]).
pub fn command_named(name: &'static str) -> CommandGuard {
    CommandGuard { command: name }
}

/// The guard made by [`command`] and [`command_named`].
///
/// It reads the command the middleware verified, and marks the request as routed when it
/// matches, so that the middleware never mistakes the handler's own empty `404` for a
/// command without a route. Without the middleware it reads the query string itself. A
/// request without `CallbackCommand` matches no command guard.
#[derive(Debug, Clone, Copy)]
pub struct CommandGuard {
    command: &'static str,
}

impl Guard for CommandGuard {
    fn check(&self, ctx: &GuardContext<'_>) -> bool {
        if let Some(matched) = CallbackRequest::matches_command(&ctx.req_data(), self.command) {
            return matched;
        }
        let query = ctx.head().uri.query().unwrap_or_default();
        Query::parse(query).command.value() == Some(self.command)
    }
}
