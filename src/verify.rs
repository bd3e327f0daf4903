//! The checks of a callback's query string: app id, then (with a token) the replay window
//! and the signature. Pure: the time is an argument, so tests need no clock.

use crate::{
    config::CallbackConfig,
    error::CallbackError,
    meta::CallbackMeta,
    model::Platform,
    query::{parse_decimal, Param, Query},
};

/// Which configured token signed a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TokenUsed {
    Current,
    Previous,
}

impl TokenUsed {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::Current => "current",
            Self::Previous => "previous",
        }
    }
}

/// Checks `query` against `config` at `now` (Unix seconds) and returns the metadata the
/// handlers get, and which token signed the request when tokens are configured.
pub(crate) fn verify(
    config: &CallbackConfig,
    query: &Query<'_>,
    now: u64,
) -> Result<(CallbackMeta, Option<TokenUsed>), CallbackError> {
    let app_id = match &query.app_id {
        Param::Absent => return Err(CallbackError::MissingAppId),
        param => param
            .value()
            .and_then(parse_decimal)
            .ok_or(CallbackError::InvalidAppId)?,
    };
    let Some(app) = config.app_of(app_id) else {
        return Err(CallbackError::ForeignAppId { received: app_id });
    };
    let (request_time, token) = match app.keys.as_slice() {
        [] => (None, None),
        keys => {
            let (time, sign) = match (&query.request_time, &query.sign) {
                (Param::Absent, _) | (_, Param::Absent) => {
                    return Err(CallbackError::MissingSignature)
                }
                (time, sign) => (
                    time.value().ok_or(CallbackError::InvalidRequestTime)?,
                    sign.value().ok_or(CallbackError::ConflictingSign)?,
                ),
            };
            let seconds = parse_decimal(time).ok_or(CallbackError::InvalidRequestTime)?;
            check_window(seconds, now, config.replay_window.as_secs())?;
            // Each comparison is constant-time; which token matched is no secret.
            let token = match keys.iter().position(|key| key.verify(time, sign)) {
                Some(0) => TokenUsed::Current,
                Some(_) => TokenUsed::Previous,
                None => return Err(CallbackError::WrongSignature),
            };
            (Some(seconds), Some(token))
        }
    };
    let command = match &query.command {
        Param::Absent => None,
        Param::Value(command) if !command.is_empty() => Some(command.clone().into_owned()),
        Param::Value(_) | Param::Conflicting => return Err(CallbackError::InvalidCommand),
    };
    // Of conflicting values of an informational parameter none is kept.
    let owned = |param: &Param<'_>| param.value().map(str::to_owned);
    let meta = CallbackMeta {
        sdk_app_id: app_id,
        command,
        client_ip: owned(&query.client_ip),
        platform: query.platform.value().map(Platform::from),
        request_time,
    };
    Ok((meta, token))
}

fn check_window(request_time: u64, now: u64, window: u64) -> Result<(), CallbackError> {
    let skew = i128::from(now) - i128::from(request_time);
    if skew.unsigned_abs() > u128::from(window) {
        let skew_secs = i64::try_from(skew).unwrap_or(if skew > 0 { i64::MAX } else { i64::MIN });
        return Err(CallbackError::ExpiredSignature {
            skew_secs,
            window_secs: window,
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::sign;

    const NOW: u64 = 1_669_872_112;
    const TOKEN: &str = "token";

    fn config() -> CallbackConfig {
        CallbackConfig::new(1400000000)
            .token(TOKEN)
            .replay_window(Duration::from_secs(60))
    }

    fn signed(time: u64) -> String {
        format!(
            "SdkAppid=1400000000&CallbackCommand=C&ClientIP=%3A%3A1&OptPlatform=Web&RequestTime={time}&Sign={}",
            sign(TOKEN, &time.to_string())
        )
    }

    fn check(config: &CallbackConfig, query: &str) -> Result<CallbackMeta, CallbackError> {
        verify(config, &Query::parse(query), NOW).map(|(meta, _)| meta)
    }

    #[test]
    fn accepts_a_signed_request_inside_the_window_at_both_edges() {
        for time in [NOW - 60, NOW, NOW + 60] {
            let meta = check(&config(), &signed(time)).expect("accepted");
            assert_eq!(meta.sdk_app_id, 1400000000);
            assert_eq!(meta.command.as_deref(), Some("C"));
            assert_eq!(meta.client_ip.as_deref(), Some("::1"));
            assert_eq!(meta.platform, Some(Platform::Web));
            assert_eq!(meta.request_time, Some(time));
        }
    }

    #[test]
    fn rejects_outside_the_window_with_the_skew() {
        let err = check(&config(), &signed(NOW - 61)).unwrap_err();
        assert!(matches!(
            err,
            CallbackError::ExpiredSignature {
                skew_secs: 61,
                window_secs: 60
            }
        ));
        let err = check(&config(), &signed(NOW + 61)).unwrap_err();
        assert!(matches!(
            err,
            CallbackError::ExpiredSignature { skew_secs: -61, .. }
        ));
    }

    #[test]
    fn each_broken_part_has_its_own_error() {
        let good = signed(NOW);
        let cases = [
            (good.replace("SdkAppid=1400000000&", ""), 40301),
            (good.replace("SdkAppid=1400000000", "SdkAppid=14x"), 40302),
            (format!("{good}&sdkappid=1"), 40302),
            (
                good.replace("SdkAppid=1400000000", "SdkAppid=1400000001"),
                40303,
            ),
            (
                good.split("&Sign=").next().unwrap_or_default().to_owned(),
                40101,
            ),
            (format!("{good}&RequestTime=1"), 40102),
            (format!("{good}&Sign=00"), 40105),
            (good.replace("&Sign=", "&Sign=0"), 40104),
        ];
        for (query, code) in cases {
            let err = check(&config(), &query).unwrap_err();
            assert_eq!(err.error_code(), code, "{query}: {err:?}");
        }
        assert!(matches!(
            check(
                &config(),
                &good.replace("SdkAppid=1400000000", "SdkAppid=1400000001")
            ),
            Err(CallbackError::ForeignAppId {
                received: 1400000001
            })
        ));
    }

    #[test]
    fn previous_tokens_are_accepted_and_told_apart() {
        let config = config().previous_token("old").previous_token("older");
        let signed_with = |token: &str| {
            format!(
                "SdkAppid=1400000000&RequestTime={NOW}&Sign={}",
                sign(token, &NOW.to_string())
            )
        };
        let used = |token: &str| {
            verify(&config, &Query::parse(&signed_with(token)), NOW).map(|(_, used)| used)
        };
        assert_eq!(used(TOKEN).ok(), Some(Some(TokenUsed::Current)));
        assert_eq!(used("old").ok(), Some(Some(TokenUsed::Previous)));
        assert_eq!(used("older").ok(), Some(Some(TokenUsed::Previous)));
        assert!(matches!(used("oldest"), Err(CallbackError::WrongSignature)));
        // Without previous tokens, the old one is refused.
        let old = verify(&self::config(), &Query::parse(&signed_with("old")), NOW);
        assert!(matches!(old, Err(CallbackError::WrongSignature)));
    }

    #[test]
    fn without_a_token_the_time_is_not_reported_as_verified() {
        let config = CallbackConfig::new(1400000000);
        let meta = check(&config, &signed(NOW - 3600)).expect("no signature check");
        assert_eq!(meta.request_time, None);
    }
}
