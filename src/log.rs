//! What every log line and timestamp of the crate goes through: [`LogSafe`] for text that
//! came from a request, and [`unix_now`], the one reading of the wall clock.

use std::{
    fmt,
    time::{Duration, SystemTime, UNIX_EPOCH},
};

/// The time since the Unix epoch now (zero for a clock set before 1970).
#[cfg(any(feature = "queue", feature = "test-util"))]
pub(crate) fn unix_now() -> Duration {
    since_epoch(SystemTime::now())
}

/// The time from the Unix epoch to `at` (zero before 1970).
pub(crate) fn since_epoch(at: SystemTime) -> Duration {
    at.duration_since(UNIX_EPOCH).unwrap_or_default()
}

/// Milliseconds since the Unix epoch at `at`, saturating.
#[cfg(feature = "queue")]
pub(crate) fn unix_millis(at: SystemTime) -> u64 {
    u64::try_from(since_epoch(at).as_millis()).unwrap_or(u64::MAX)
}

/// Shows text that came from a request (a command, a handler's error, a serde message) in
/// a log line with its control characters, line and paragraph separators and
/// bidirectional overrides escaped (as `escape_debug` writes them), so that a request can
/// neither forge lines nor reorder what a log viewer shows. Quotes and backslashes stay.
pub(crate) struct LogSafe<T>(pub(crate) T);

impl<T: fmt::Display> fmt::Display for LogSafe<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        struct Escaping<'a, 'b>(&'a mut fmt::Formatter<'b>);

        impl fmt::Write for Escaping<'_, '_> {
            fn write_str(&mut self, text: &str) -> fmt::Result {
                let unsafe_char =
                    |c: char| !matches!(c, '"' | '\'' | '\\') && c.escape_debug().len() > 1;
                let mut rest = text;
                while let Some(at) = rest.find(unsafe_char) {
                    let c = rest[at..].chars().next().unwrap_or_default();
                    self.0.write_str(&rest[..at])?;
                    write!(self.0, "{}", c.escape_debug())?;
                    rest = &rest[at + c.len_utf8()..];
                }
                self.0.write_str(rest)
            }
        }

        fmt::write(&mut Escaping(f), format_args!("{}", self.0))
    }
}

#[cfg(test)]
mod tests {
    use super::LogSafe;

    #[test]
    fn log_safe_escapes_line_breaks_and_other_control_characters() {
        assert_eq!(
            LogSafe("a\nb\r\nc\u{1b}[31m").to_string(),
            "a\\nb\\r\\nc\\u{1b}[31m"
        );
        assert_eq!(
            LogSafe("Group.CallbackSendMsgException").to_string(),
            "Group.CallbackSendMsgException"
        );
        assert_eq!(LogSafe("").to_string(), "");
    }

    #[test]
    fn log_safe_escapes_separators_and_bidirectional_overrides() {
        assert_eq!(
            LogSafe("Group.X\u{202e}gnp.exe\u{2028}b\u{2029}c\u{2066}d\u{2069}").to_string(),
            "Group.X\\u{202e}gnp.exe\\u{2028}b\\u{2029}c\\u{2066}d\\u{2069}"
        );
        for c in ('\u{202a}'..='\u{202e}').chain('\u{2066}'..='\u{2069}') {
            assert!(!LogSafe(c).to_string().contains(c), "{:?}", c);
        }
        // Quotes, backslashes and ordinary non-ASCII text stay as they are.
        assert_eq!(
            LogSafe("\"a\" \\ 'b' 群组").to_string(),
            "\"a\" \\ 'b' 群组"
        );
    }
}
