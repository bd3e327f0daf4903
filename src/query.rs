//! The query string the IM backend adds to the callback URL, parsed without actix.

use std::borrow::Cow;

/// The parameters the crate reads from a callback's query string.
///
/// Names match without regard to ASCII case, so that `sdkappid` cannot smuggle a second
/// app id past a check of `SdkAppid`; a parameter given twice with different values is
/// [`Param::Conflicting`] and none of its values is trusted.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Query<'a> {
    pub(crate) app_id: Param<'a>,
    pub(crate) command: Param<'a>,
    pub(crate) client_ip: Param<'a>,
    pub(crate) platform: Param<'a>,
    pub(crate) request_time: Param<'a>,
    pub(crate) sign: Param<'a>,
}

/// One parameter: absent, one value, or given several times with different values.
#[derive(Debug, Default, PartialEq, Eq)]
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
            Param::Value(_) | Param::Conflicting => *self = Param::Conflicting,
        }
    }

    /// The value, unless absent or conflicting.
    pub(crate) fn value(&self) -> Option<&str> {
        match self {
            Param::Value(value) => Some(value),
            Param::Absent | Param::Conflicting => None,
        }
    }
}

impl<'a> Query<'a> {
    /// Parses a query string as `application/x-www-form-urlencoded` (pairs split on `&`,
    /// empty pairs skipped, name and value split on the first `=`, `+` and `%XX`
    /// decoded).
    ///
    /// A query without `%` or `+` (every query Tencent sends) decodes to itself, so it is
    /// split as it is; the others go through `form_urlencoded`, whose decoding of each name
    /// and value is a measurable part of the callback path (`benches/README.md`).
    pub(crate) fn parse(query: &'a str) -> Self {
        let mut parsed = Query::default();
        if query.bytes().any(|byte| byte == b'%' || byte == b'+') {
            for (name, value) in form_urlencoded::parse(query.as_bytes()) {
                if let Some(slot) = parsed.slot(&name) {
                    slot.add(value);
                }
            }
            return parsed;
        }
        for pair in query.split('&').filter(|pair| !pair.is_empty()) {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            if let Some(slot) = parsed.slot(name) {
                slot.add(Cow::Borrowed(value));
            }
        }
        parsed
    }

    /// Where the value of the parameter `name` goes; `None` for parameters the crate
    /// does not read.
    fn slot(&mut self, name: &str) -> Option<&mut Param<'a>> {
        let is = |known: &str| name.eq_ignore_ascii_case(known);
        if is("SdkAppid") {
            Some(&mut self.app_id)
        } else if is("CallbackCommand") {
            Some(&mut self.command)
        } else if is("ClientIP") {
            Some(&mut self.client_ip)
        } else if is("OptPlatform") {
            Some(&mut self.platform)
        } else if is("RequestTime") {
            Some(&mut self.request_time)
        } else if is("Sign") {
            Some(&mut self.sign)
        } else {
            None
        }
    }
}

/// Parses a whole decimal number made of ASCII digits only (no sign, no spaces).
pub(crate) fn parse_decimal(value: &str) -> Option<u64> {
    if value.is_empty() || !value.bytes().all(|byte| byte.is_ascii_digit()) {
        return None;
    }
    value.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_tencent_query_and_decodes_percent_escapes() {
        let query = Query::parse(
            "SdkAppid=1400000000&CallbackCommand=Group.CallbackSendMsgException&contenttype=json&ClientIP=%3A%3A1&OptPlatform=iOS&RequestTime=1669872112&Sign=ab",
        );
        assert_eq!(query.app_id.value(), Some("1400000000"));
        assert_eq!(
            query.command.value(),
            Some("Group.CallbackSendMsgException")
        );
        assert_eq!(query.client_ip.value(), Some("::1"));
        assert_eq!(query.platform.value(), Some("iOS"));
        assert_eq!(query.request_time.value(), Some("1669872112"));
        assert_eq!(query.sign.value(), Some("ab"));
    }

    #[test]
    fn names_match_in_any_case_and_repeats_conflict_unless_equal() {
        assert_eq!(
            Query::parse("SdkAppid=1&sdkappid=2").app_id,
            Param::Conflicting
        );
        assert_eq!(
            Query::parse("SdkAppid=1&SDKAPPID=1").app_id.value(),
            Some("1")
        );
        assert_eq!(
            Query::parse("SdkAppid=1&SdkAppid=2&SdkAppid=1").app_id,
            Param::Conflicting
        );
        assert_eq!(Query::parse("S%64kAppid=7").app_id.value(), Some("7"));
        assert_eq!(Query::parse("Sign=a+b").sign.value(), Some("a b"));
    }

    #[test]
    fn unknown_and_partial_names_are_ignored() {
        let query = Query::parse("SdkAppidX=1&XSdkAppid=2&Sdkappi=3&=&&SdkAppid");
        assert_eq!(query.app_id.value(), Some(""));
        assert_eq!(query.sign, Param::Absent);
    }

    /// Every parameter as `form_urlencoded::parse` reads it, for comparison.
    fn reference(query: &str) -> Vec<(String, Option<String>, bool)> {
        let mut slots: Vec<(&str, Param<'_>)> = [
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
                .find(|(known, _)| name.eq_ignore_ascii_case(known))
            {
                slot.add(value);
            }
        }
        slots
            .into_iter()
            .map(|(name, param)| summary(name, &param))
            .collect()
    }

    fn summary(name: &str, param: &Param<'_>) -> (String, Option<String>, bool) {
        (
            name.to_owned(),
            param.value().map(str::to_owned),
            *param == Param::Conflicting,
        )
    }

    fn parsed(query: &str) -> Vec<(String, Option<String>, bool)> {
        let parsed = Query::parse(query);
        vec![
            summary("SdkAppid", &parsed.app_id),
            summary("CallbackCommand", &parsed.command),
            summary("ClientIP", &parsed.client_ip),
            summary("OptPlatform", &parsed.platform),
            summary("RequestTime", &parsed.request_time),
            summary("Sign", &parsed.sign),
        ]
    }

    proptest::proptest! {
        #[test]
        fn any_query_parses_as_form_urlencoded_does(
            tokens in proptest::collection::vec(
                proptest::sample::select(vec![
                    "SdkAppid", "sdkappid", "SDKAPPID", "CallbackCommand", "ClientIP",
                    "OptPlatform", "RequestTime", "requesttime", "Sign", "sign", "S%64kAppid",
                    "%53ign", "Sdk", "Appid", "=", "=", "&", "&", "+", "%", "%2", "%2B", "%26",
                    "%3D", "%FF", "%e4%bd%a0", "你", "1", "1400000000", "Group.X", " ",
                ]),
                0..16,
            )
        ) {
            let query = tokens.concat();
            proptest::prop_assert_eq!(parsed(&query), reference(&query));
        }
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
    }
}
