//! The URL metadata of a callback: the query string the IM backend adds to the URL.

use std::{
    borrow::Cow,
    cell::{Cell, RefCell},
};

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
        match self {
            Param::Absent => *self = Param::Value(value),
            Param::Value(first) if *first == value => {}
            Param::Value(_) => *self = Param::Conflicting,
            Param::Conflicting => {}
        }
    }

    /// The value; of conflicting values none is trusted.
    pub(crate) fn value(&self) -> Option<&str> {
        match self {
            Param::Value(value) => Some(value),
            Param::Absent | Param::Conflicting => None,
        }
    }
}

/// The bytes that end a pair (`&`), split it (`=`) or need decoding (`%`, `+`).
const SPECIAL: [bool; 256] = {
    let mut table = [false; 256];
    table[b'&' as usize] = true;
    table[b'=' as usize] = true;
    table[b'%' as usize] = true;
    table[b'+' as usize] = true;
    table
};

/// The index of the first special byte (see [`SPECIAL`]) at or after `at`, or the length
/// of `bytes`. Looks at eight bytes at a time: most of a query is names and values.
fn next_special(bytes: &[u8], mut at: usize) -> usize {
    const ONES: u64 = u64::from_ne_bytes([0x01; 8]);
    const HIGH: u64 = u64::from_ne_bytes([0x80; 8]);
    // The high bit of each byte of `word` equal to `byte`; the lowest one set is always
    // a true match (only the bytes above a match may be flagged falsely).
    let matches = |word: u64, byte: u8| {
        let x = word ^ (ONES * u64::from(byte));
        x.wrapping_sub(ONES) & !x & HIGH
    };
    while let Some(chunk) = bytes.get(at..at + 8) {
        let Ok(chunk) = <[u8; 8]>::try_from(chunk) else {
            break;
        };
        let word = u64::from_le_bytes(chunk);
        let found =
            matches(word, b'&') | matches(word, b'=') | matches(word, b'%') | matches(word, b'+');
        if found != 0 {
            return at + (found.trailing_zeros() / 8) as usize;
        }
        at += 8;
    }
    while let Some(&byte) = bytes.get(at) {
        if SPECIAL[usize::from(byte)] {
            return at;
        }
        at += 1;
    }
    bytes.len()
}

impl<'a> RawQuery<'a> {
    /// Parses a query string. Names match without regard to ASCII case, so `sdkappid`
    /// cannot smuggle a second app id past a check of `SdkAppid`.
    ///
    /// Decodes exactly as `application/x-www-form-urlencoded` (`form_urlencoded::parse`):
    /// pairs split on `&`, empty pairs skipped, `+` is a space, `%XX` escapes decoded, bad
    /// UTF-8 replaced. A pair without `%` or `+` (every pair Tencent sends) decodes to
    /// itself, so it is borrowed as it is without going through the decoder.
    pub(crate) fn parse(query: &'a str) -> Self {
        let mut raw = RawQuery::default();
        let bytes = query.as_bytes();
        let mut pair_start = 0;
        let mut equals = None;
        let mut encoded = false;
        let mut at = 0;
        // Jump from one special byte to the next: the rest of the query is copied as is.
        loop {
            let next = next_special(bytes, at);
            match bytes.get(next) {
                None => {
                    raw.add_pair(query, pair_start, next, equals, encoded);
                    return raw;
                }
                Some(b'&') => {
                    raw.add_pair(query, pair_start, next, equals, encoded);
                    pair_start = next + 1;
                    equals = None;
                    encoded = false;
                }
                Some(b'=') => {
                    equals = equals.or(Some(next));
                }
                Some(_) => encoded = true,
            }
            at = next + 1;
        }
    }

    /// Files the pair `query[start..end]`, whose first `=` is at `equals` and which
    /// holds a `%` or `+` when `encoded`.
    fn add_pair(
        &mut self,
        query: &'a str,
        start: usize,
        end: usize,
        equals: Option<usize>,
        encoded: bool,
    ) {
        // `&`, `=`, `%` and `+` are ASCII, so these are character boundaries.
        let pair = &query[start..end];
        if pair.is_empty() {
            return;
        }
        if encoded {
            if let Some((name, value)) = form_urlencoded::parse(pair.as_bytes()).next() {
                if let Some(slot) = self.slot(name.as_bytes()) {
                    slot.add(value);
                }
            }
            return;
        }
        let (name, value) = match equals {
            Some(at) => (&query[start..at], &query[at + 1..end]),
            None => (pair, ""),
        };
        if let Some(slot) = self.slot(name.as_bytes()) {
            slot.add(Cow::Borrowed(value));
        }
    }

    /// Where the value of the parameter `name` goes; `None` for parameters the crate
    /// does not read.
    fn slot(&mut self, name: &[u8]) -> Option<&mut Param<'a>> {
        // Tell the names apart by length first: one comparison per pair, not six.
        let (slot, lowercase): (_, &[u8]) = match name.len() {
            4 => (&mut self.sign, b"sign"),
            8 if name[0] | 0x20 == b's' => (&mut self.app_id, b"sdkappid"),
            8 => (&mut self.client_ip, b"clientip"),
            11 if name[0] | 0x20 == b'o' => (&mut self.platform, b"optplatform"),
            11 => (&mut self.request_time, b"requesttime"),
            15 => (&mut self.command, b"callbackcommand"),
            _ => return None,
        };
        // The names are ASCII letters only, and for a letter `b | 0x20` is its lowercase;
        // no other byte maps to a lowercase letter, so this is `eq_ignore_ascii_case`.
        let matches = name.iter().zip(lowercase).all(|(b, l)| b | 0x20 == *l);
        matches.then_some(slot)
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
    if value.is_empty() {
        return None;
    }
    value.bytes().try_fold(0u64, |number, byte| {
        let digit = byte.wrapping_sub(b'0');
        if digit > 9 {
            return None;
        }
        number.checked_mul(10)?.checked_add(u64::from(digit))
    })
}

/// What the middleware leaves in the request extensions for the extractors and guards.
#[derive(Debug)]
pub(crate) struct Verified {
    /// The metadata parsed by the middleware, until the first extractor takes it (moved,
    /// not cloned); later readers parse the query string again.
    meta: RefCell<Option<CallbackMeta>>,
    sdk_app_id: u64,
    request_time: Option<u64>,
    pub(crate) body_limit: usize,
    /// Set by the crate's extractors: a handler was routed, so an empty `404` or `405`
    /// is the handler's answer, not a command without a route.
    pub(crate) extracted: Cell<bool>,
}

impl Verified {
    pub(crate) fn new(meta: CallbackMeta, body_limit: usize) -> Self {
        Self {
            sdk_app_id: meta.sdk_app_id,
            request_time: meta.request_time,
            meta: RefCell::new(Some(meta)),
            body_limit,
            extracted: Cell::new(false),
        }
    }

    /// Calls `f` with the request's `CallbackCommand` (`query` is the request's query
    /// string, read again only once the metadata was taken).
    pub(crate) fn with_command<R>(&self, query: &str, f: impl FnOnce(Option<&str>) -> R) -> R {
        if let Some(meta) = &*self.meta.borrow() {
            return f(meta.command.as_deref());
        }
        f(RawQuery::parse(query).command.value())
    }

    /// The metadata for an extractor: moved out the first time, parsed again from `query`
    /// (the same query string, so the same values) after that.
    pub(crate) fn take_meta(&self, query: &str) -> CallbackMeta {
        self.extracted.set(true);
        self.meta
            .borrow_mut()
            .take()
            .unwrap_or_else(|| RawQuery::parse(query).into_meta(self.sdk_app_id, self.request_time))
    }
}

impl FromRequest for CallbackMeta {
    type Error = CallbackError;
    type Future = std::future::Ready<Result<Self, CallbackError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let meta = req
            .extensions()
            .get::<Verified>()
            .map(|verified| verified.take_meta(req.query_string()))
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

    /// The decoding the crate had before its fast path: every pair through
    /// `form_urlencoded`.
    fn reference(query: &str) -> Vec<(&'static str, Option<String>, bool)> {
        let mut slots: Vec<(&'static str, Param<'_>)> = [
            "SdkAppid",
            "CallbackCommand",
            "ClientIP",
            "OptPlatform",
            "RequestTime",
            "Sign",
        ]
        .into_iter()
        .map(|name| (name, Param::Absent))
        .collect();
        for (name, value) in form_urlencoded::parse(query.as_bytes()) {
            if let Some((_, slot)) = slots
                .iter_mut()
                .find(|(known, _)| name.as_bytes().eq_ignore_ascii_case(known.as_bytes()))
            {
                slot.add(value);
            }
        }
        slots
            .into_iter()
            .map(|(name, param)| summary(name, &param))
            .collect()
    }

    fn summary(name: &'static str, param: &Param<'_>) -> (&'static str, Option<String>, bool) {
        (
            name,
            param.value().map(str::to_owned),
            matches!(param, Param::Conflicting),
        )
    }

    fn fast(query: &str) -> Vec<(&'static str, Option<String>, bool)> {
        let raw = RawQuery::parse(query);
        vec![
            summary("SdkAppid", &raw.app_id),
            summary("CallbackCommand", &raw.command),
            summary("ClientIP", &raw.client_ip),
            summary("OptPlatform", &raw.platform),
            summary("RequestTime", &raw.request_time),
            summary("Sign", &raw.sign),
        ]
    }

    #[test]
    fn fast_path_decodes_like_form_urlencoded() {
        for query in [
            "",
            "&&&",
            "SdkAppid",
            "SdkAppid=",
            "SdkAppid=1=2",
            "sdkappid=1&SDKAPPID=1&SdkAppid=2",
            "Sdk%41ppid=1&SdkAppid=2",
            "S%64kAppid=7",
            "SdkAppid=%31%34",
            "ClientIP=%3A%3A1&OptPlatform=i+OS&Sign=a+b",
            "Sign=%zz&Sign=%25zz",
            "Sign=%FF&RequestTime=%E4%BD%A0",
            "CallbackCommand=Group.CallbackSendMsgException&callbackcommand=Group.CallbackSendMsgException",
            "clientIp=1&ClientIP=1&CLIENTIP=2",
            "OptPlatform=Web&RequestTimE=12&requesttime=12",
            "SdkAppidX=1&XSdkAppid=2&Sdkappi=3&SdkAppi%64=4",
            "=1&=&SdkAppid",
            "SdkAppid=1400000000&CallbackCommand=Group.CallbackSendMsgException&contenttype=json&ClientIP=10.0.0.7&OptPlatform=RESTAPI&RequestTime=1669872112&Sign=17773bc3",
        ] {
            assert_eq!(fast(query), reference(query), "query {query:?}");
        }
    }

    #[test]
    fn special_bytes_are_found_at_every_offset() {
        for offset in 0..40 {
            for special in ["&", "=", "%41", "+", "&Sign=x"] {
                let padding = "s".repeat(offset);
                for query in [
                    format!("Sign={padding}{special}y"),
                    format!("{padding}{special}Sign=1&Sign{special}"),
                    format!("SdkAppid=1&{padding}{special}"),
                ] {
                    assert_eq!(fast(&query), reference(&query), "query {query:?}");
                }
            }
            let text = "x".repeat(offset);
            assert_eq!(next_special(text.as_bytes(), 0), offset);
            assert_eq!(next_special(format!("{text}=").as_bytes(), 0), offset);
            assert_eq!(next_special(format!("{text}+&").as_bytes(), 0), offset);
        }
    }

    proptest::proptest! {
        #[test]
        fn any_query_decodes_like_form_urlencoded(
            tokens in proptest::collection::vec(
                proptest::sample::select(vec![
                    "SdkAppid", "sdkappid", "SDKAPPID", "CallbackCommand", "callbackCOMMAND",
                    "ClientIP", "clientip", "OptPlatform", "optplatform", "RequestTime",
                    "requesttime", "Sign", "sign", "SIGN", "S%64kAppid", "%53ign", "Si%67n",
                    "Sdk", "Appid", "Time", "=", "=", "&", "&", "+", "%", "%2", "%2B", "%26",
                    "%3D", "%FF", "%e4%bd%a0", "你", "1", "1400000000", "Group.X", "x", " ",
                ]),
                0..16,
            )
        ) {
            let query = tokens.concat();
            proptest::prop_assert_eq!(fast(&query), reference(&query));
        }
    }

    #[test]
    fn metadata_is_moved_once_then_parsed_again() {
        let query = "SdkAppid=1&CallbackCommand=C&ClientIP=%3A%3A1&OptPlatform=Web";
        let verified = Verified::new(RawQuery::parse(query).into_meta(1, Some(5)), 10);
        assert!(verified.with_command(query, |c| c == Some("C")));
        let first = verified.take_meta(query);
        assert!(verified.extracted.get());
        // Taken: the command and a second copy come from the query string again.
        assert!(verified.with_command(query, |c| c == Some("C")));
        assert_eq!(verified.take_meta(query), first);
        assert_eq!(first.client_ip.as_deref(), Some("::1"));
        assert_eq!(first.request_time, Some(5));
    }

    #[test]
    fn decimal_numbers_are_digits_only() {
        assert_eq!(parse_decimal("1400000000"), Some(1400000000));
        assert_eq!(parse_decimal("+1"), None);
        assert_eq!(parse_decimal(" 1"), None);
        assert_eq!(parse_decimal(""), None);
        assert_eq!(parse_decimal("-1"), None);
        assert_eq!(parse_decimal("18446744073709551616"), None);
        assert_eq!(parse_decimal("18446744073709551615"), Some(u64::MAX));
        assert_eq!(parse_decimal("000000000000000000000042"), Some(42));
        assert_eq!(parse_decimal("12a"), None);
        assert_eq!(parse_decimal("1/"), None);
        assert_eq!(parse_decimal("1:"), None);
    }
}
