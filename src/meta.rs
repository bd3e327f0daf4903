//! The URL metadata of a verified callback, and what the middleware leaves in the request
//! for the extractors and guards.

use std::{
    cell::{Cell, RefCell},
    future::Ready,
    rc::Rc,
};

use actix_web::{dev::Payload, FromRequest, HttpMessage, HttpRequest};

use crate::{config::Dedup, error::CallbackError, model::Platform};

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

/// What the middleware leaves in the request extensions.
#[derive(Debug)]
pub(crate) struct Verified {
    pub(crate) meta: CallbackMeta,
    pub(crate) body_limit: usize,
    /// Set by a matching command guard or by the crate's extractors: a handler was routed,
    /// so an empty `404` or `405` is its answer, not actix's "no route for this command".
    pub(crate) routed: Cell<bool>,
    /// With duplicate suppression: the settings, and where the extractor leaves the key
    /// it claimed, for the middleware to release if the handler fails.
    pub(crate) dedup: Option<(Dedup, Claimed)>,
}

/// The key a request claimed in the duplicate store, shared by the extractor that claims
/// it and the middleware that releases it.
pub(crate) type Claimed = Rc<RefCell<Option<String>>>;

impl Verified {
    pub(crate) fn new(
        meta: CallbackMeta,
        body_limit: usize,
        dedup: Option<(Dedup, Claimed)>,
    ) -> Self {
        Self {
            meta,
            body_limit,
            routed: Cell::new(false),
            dedup,
        }
    }
}

impl FromRequest for CallbackMeta {
    type Error = CallbackError;
    type Future = Ready<Result<Self, CallbackError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let meta = match req.extensions().get::<Verified>() {
            Some(verified) => {
                verified.routed.set(true);
                Ok(verified.meta.clone())
            }
            None => Err(CallbackError::MiddlewareMissing),
        };
        if meta.is_err() {
            crate::extract::log_middleware_missing(req);
        }
        std::future::ready(meta)
    }
}
