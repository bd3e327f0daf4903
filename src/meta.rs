//! The URL metadata of a verified callback.

use crate::model::Platform;

/// The query parameters of a verified callback request.
///
/// Read it from [`Callback::meta`](crate::Callback), or take it alone as a handler
/// argument. Every parameter but `SdkAppid` may be absent.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct CallbackMeta {
    /// `SdkAppid`: the application's SDKAppID, already checked by the middleware.
    pub sdk_app_id: u64,
    /// `CallbackCommand`, e.g. `Group.CallbackSendMsgException`.
    pub command: Option<String>,
    /// `ClientIP`: the address of the client that caused the event.
    pub client_ip: Option<String>,
    /// `OptPlatform`: the client's platform.
    pub platform: Option<Platform>,
    /// `RequestTime`: when the IM backend signed the request, in Unix seconds. `Some` only
    /// when a token is configured and the signature was checked; without a token the
    /// parameter is not trusted and not reported.
    pub request_time: Option<u64>,
}
