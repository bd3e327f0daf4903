//! The URL metadata of a callback: the query string the IM backend adds to the URL.

use std::{borrow::Cow, cell::Cell};

use actix_web::{dev::Payload, FromRequest, HttpMessage, HttpRequest};

use crate::{error::CallbackError, model::Platform};

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
    /// `RequestTime`: when the IM backend signed the request, in Unix seconds (present when
    /// callback authentication is on).
    pub request_time: Option<u64>,
}

/// The parameters the middleware reads, borrowed from the query string where possible.
#[derive(Debug, Default)]
pub(crate) struct RawQuery<'a> {
    pub(crate) app_id: Param<'a>,
    pub(crate) command: Param<'a>,
    pub(crate) client_ip: Param<'a>,
    pub(crate) platform: Param<'a>,
    pub(crate) request_time: Param<'a>,
    pub(crate) sign: Param<'a>,
}

/// One parameter: absent, one value, or given several times with different values.
#[derive(Debug, Default)]
pub(crate) enum Param<'a> {
    #[default]
    Absent,
    Value(Cow<'a, str>),
    Conflicting,
}

impl<'a> Param<'a> {
    fn add(&mut self, value: Cow<'a, str>) {
        *self = match std::mem::take(self) {
            Param::Absent => Param::Value(value),
            Param::Value(first) if first == value => Param::Value(first),
            Param::Value(_) | Param::Conflicting => Param::Conflicting,
        };
    }

    /// The value; of conflicting values none is trusted.
    pub(crate) fn value(&self) -> Option<&str> {
        match self {
            Param::Value(value) => Some(value),
            Param::Absent | Param::Conflicting => None,
        }
    }
}

impl<'a> RawQuery<'a> {
    /// Parses a query string. Names match without regard to ASCII case, so `sdkappid`
    /// cannot smuggle a second app id past a check of `SdkAppid`.
    pub(crate) fn parse(query: &'a str) -> Self {
        let mut raw = RawQuery::default();
        for (name, value) in form_urlencoded::parse(query.as_bytes()) {
            let slot = match name.as_bytes() {
                n if n.eq_ignore_ascii_case(b"SdkAppid") => &mut raw.app_id,
                n if n.eq_ignore_ascii_case(b"CallbackCommand") => &mut raw.command,
                n if n.eq_ignore_ascii_case(b"ClientIP") => &mut raw.client_ip,
                n if n.eq_ignore_ascii_case(b"OptPlatform") => &mut raw.platform,
                n if n.eq_ignore_ascii_case(b"RequestTime") => &mut raw.request_time,
                n if n.eq_ignore_ascii_case(b"Sign") => &mut raw.sign,
                _ => continue,
            };
            slot.add(value);
        }
        raw
    }

    /// The metadata handed to handlers, once the request is verified. Of conflicting
    /// values of an informational parameter none is kept.
    pub(crate) fn into_meta(self, sdk_app_id: u64, request_time: Option<u64>) -> CallbackMeta {
        let owned = |param: Param<'_>| param.value().map(str::to_owned);
        CallbackMeta {
            sdk_app_id,
            platform: self.platform.value().map(Platform::from),
            command: owned(self.command),
            client_ip: owned(self.client_ip),
            request_time,
        }
    }
}

/// Parses a whole decimal number made of ASCII digits only (no sign, no spaces).
pub(crate) fn parse_decimal(value: &str) -> Option<u64> {
    if value.is_empty() || !value.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    value.parse().ok()
}

/// What the middleware leaves in the request extensions for the extractors and guards.
#[derive(Debug)]
pub(crate) struct Verified {
    pub(crate) meta: CallbackMeta,
    pub(crate) body_limit: usize,
    /// Set by the crate's extractors: a handler was routed, so an empty `404` or `405`
    /// is the handler's answer, not a command without a route.
    pub(crate) extracted: Cell<bool>,
}

impl Verified {
    pub(crate) fn new(meta: CallbackMeta, body_limit: usize) -> Self {
        Self {
            meta,
            body_limit,
            extracted: Cell::new(false),
        }
    }
}

impl FromRequest for CallbackMeta {
    type Error = CallbackError;
    type Future = std::future::Ready<Result<Self, CallbackError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let meta = req
            .extensions()
            .get::<Verified>()
            .map(|verified| {
                verified.extracted.set(true);
                verified.meta.clone()
            })
            .ok_or_else(|| crate::extract::middleware_missing(req));
        std::future::ready(meta)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_tencent_query_and_decodes_percent_escapes() {
        let raw = RawQuery::parse(
            "SdkAppid=1400000000&CallbackCommand=Group.CallbackSendMsgException&contenttype=json&ClientIP=%3A%3A1&OptPlatform=iOS&RequestTime=1669872112&Sign=ab",
        );
        assert_eq!(raw.app_id.value(), Some("1400000000"));
        assert_eq!(raw.client_ip.value(), Some("::1"));
        assert_eq!(raw.sign.value(), Some("ab"));
        let meta = raw.into_meta(1400000000, Some(1669872112));
        assert_eq!(
            meta.command.as_deref(),
            Some("Group.CallbackSendMsgException")
        );
        assert_eq!(meta.platform, Some(Platform::Ios));
        assert_eq!(meta.request_time, Some(1669872112));
    }

    #[test]
    fn repeated_names_in_any_case_conflict_unless_equal() {
        assert!(matches!(
            RawQuery::parse("SdkAppid=1&sdkappid=2").app_id,
            Param::Conflicting
        ));
        assert_eq!(
            RawQuery::parse("SdkAppid=1&SDKAPPID=1").app_id.value(),
            Some("1")
        );
        assert!(matches!(
            RawQuery::parse("SdkAppid=1&SdkAppid=2&SdkAppid=1").app_id,
            Param::Conflicting
        ));
    }

    #[test]
    fn decimal_numbers_are_digits_only() {
        assert_eq!(parse_decimal("1400000000"), Some(1400000000));
        assert_eq!(parse_decimal("+1"), None);
        assert_eq!(parse_decimal(" 1"), None);
        assert_eq!(parse_decimal(""), None);
        assert_eq!(parse_decimal("-1"), None);
        assert_eq!(parse_decimal("18446744073709551616"), None);
    }
}
