//! Tencent's callback signature: `Sign = lowercase_hex(sha256(token + RequestTime))`.

use std::cell::Cell;

use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

/// The `Sign` Tencent sends for `token` and `request_time` (Unix seconds, as written in
/// the query string).
///
/// Useful to sign requests in tests or by hand. Tencent's documented example:
///
/// ```
/// assert_eq!(
///     actix_tim_callback::sign("xxxxyyyy", "1669872112"),
///     "17773bc39a671d7b9aa835458704d2a6db81360a5940292b587d6d760d484061"
/// );
/// ```
pub fn sign(token: &str, request_time: &str) -> String {
    let hex = SigningKey::new(token).expected_sign(request_time);
    hex.iter().map(|&b| char::from(b)).collect()
}

/// The token, hashed up to the point where `RequestTime` is appended, so a check costs
/// one SHA-256 block and no allocation.
#[derive(Clone)]
pub(crate) struct SigningKey {
    token_prefix: Sha256,
}

impl SigningKey {
    pub(crate) fn new(token: &str) -> Self {
        let mut token_prefix = Sha256::new();
        token_prefix.update(token.as_bytes());
        Self { token_prefix }
    }

    fn expected_sign(&self, request_time: &str) -> [u8; 64] {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        let mut hasher = self.token_prefix.clone();
        hasher.update(request_time.as_bytes());
        let digest = hasher.finalize();
        let mut hex = [0u8; 64];
        for (pair, byte) in hex.chunks_exact_mut(2).zip(digest.iter()) {
            pair[0] = HEX[usize::from(byte >> 4)];
            pair[1] = HEX[usize::from(byte & 0x0f)];
        }
        hex
    }

    /// Whether `sign` is the lowercase hex digest for `request_time`, compared in
    /// constant time (the length, which is public, is compared first).
    #[cfg(test)]
    pub(crate) fn verify(&self, request_time: &str, sign: &str) -> bool {
        matches_hex(sign, &self.expected_sign(request_time))
    }

    /// [`verify`](Self::verify), hashing only when `request_time` differs from the one of
    /// the previous check recorded in `last`: callbacks of the same second share the
    /// `Sign`, so a burst costs one hash. The comparison is constant-time either way;
    /// whether the digest was cached only tells whether `RequestTime`, which is public,
    /// repeated.
    pub(crate) fn verify_cached(
        &self,
        request_time: &str,
        sign: &str,
        last: &Cell<LastSign>,
    ) -> bool {
        let mut entry = last.get();
        if entry.time() != Some(request_time.as_bytes()) {
            let expected = self.expected_sign(request_time);
            match LastSign::new(request_time, expected) {
                Some(new) => {
                    entry = new;
                    last.set(entry);
                }
                None => return matches_hex(sign, &expected),
            }
        }
        matches_hex(sign, &entry.expected)
    }
}

/// Constant-time comparison of `sign` with the expected hex digest, a word at a time.
fn matches_hex(sign: &str, expected: &[u8; 64]) -> bool {
    let Ok(sign) = <&[u8; 64]>::try_from(sign.as_bytes()) else {
        return false;
    };
    bool::from(words(sign).ct_eq(&words(expected)))
}

fn words(hex: &[u8; 64]) -> [u64; 8] {
    let mut words = [0; 8];
    for (word, bytes) in words.iter_mut().zip(hex.chunks_exact(8)) {
        *word = u64::from_ne_bytes(bytes.try_into().unwrap_or_default());
    }
    words
}

/// The last `RequestTime` a worker checked, with its expected `Sign`.
#[derive(Clone, Copy)]
pub(crate) struct LastSign {
    /// `RequestTime` as written (leading zeros change the digest); 20 digits hold any
    /// `u64`. Empty when nothing was checked yet: an empty `RequestTime` never gets here.
    time: [u8; 20],
    time_len: u8,
    expected: [u8; 64],
}

impl LastSign {
    fn new(request_time: &str, expected: [u8; 64]) -> Option<Self> {
        let mut time = [0; 20];
        time.get_mut(..request_time.len())?
            .copy_from_slice(request_time.as_bytes());
        Some(Self {
            time,
            time_len: request_time.len() as u8,
            expected,
        })
    }

    fn time(&self) -> Option<&[u8]> {
        (self.time_len > 0).then(|| &self.time[..usize::from(self.time_len)])
    }
}

impl Default for LastSign {
    fn default() -> Self {
        Self {
            time: [0; 20],
            time_len: 0,
            expected: [0; 64],
        }
    }
}

impl std::fmt::Debug for LastSign {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never show a digest.
        f.debug_struct("LastSign").finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC_TOKEN: &str = "xxxxyyyy";
    const DOC_TIME: &str = "1669872112";
    const DOC_SIGN: &str = "17773bc39a671d7b9aa835458704d2a6db81360a5940292b587d6d760d484061";

    #[test]
    fn tencent_documented_example() {
        assert_eq!(sign(DOC_TOKEN, DOC_TIME), DOC_SIGN);
        assert!(SigningKey::new(DOC_TOKEN).verify(DOC_TIME, DOC_SIGN));
    }

    #[test]
    fn english_page_typo_token_does_not_match() {
        assert_ne!(sign("xxxyyy", DOC_TIME), DOC_SIGN);
        assert!(!SigningKey::new("xxxyyy").verify(DOC_TIME, DOC_SIGN));
    }

    #[test]
    fn rejects_other_times_uppercase_and_truncated_signs() {
        let key = SigningKey::new(DOC_TOKEN);
        assert!(!key.verify("1669872113", DOC_SIGN));
        assert!(!key.verify(DOC_TIME, &DOC_SIGN.to_uppercase()));
        assert!(!key.verify(DOC_TIME, &DOC_SIGN[..63]));
        assert!(!key.verify(DOC_TIME, &format!("{DOC_SIGN}0")));
        assert!(!key.verify(DOC_TIME, ""));
    }

    #[test]
    fn cached_checks_agree_with_fresh_ones() {
        let key = SigningKey::new(DOC_TOKEN);
        let last = Cell::new(LastSign::default());
        // First check fills the cache, the second uses it; wrong signs fail either way.
        for _ in 0..2 {
            assert!(key.verify_cached(DOC_TIME, DOC_SIGN, &last));
            assert!(!key.verify_cached(DOC_TIME, &DOC_SIGN.to_uppercase(), &last));
            assert!(!key.verify_cached(DOC_TIME, &DOC_SIGN[..63], &last));
            assert!(!key.verify_cached(DOC_TIME, "", &last));
        }
        // Another second, then back: the cache follows the time as written.
        let other = sign(DOC_TOKEN, "1669872113");
        assert!(key.verify_cached("1669872113", &other, &last));
        assert!(!key.verify_cached("1669872113", DOC_SIGN, &last));
        assert!(!key.verify_cached(DOC_TIME, &other, &last));
        assert!(key.verify_cached(DOC_TIME, DOC_SIGN, &last));
        // Leading zeros are part of what is hashed; too long to cache still checks.
        assert!(!key.verify_cached("01669872112", DOC_SIGN, &last));
        let long = "000000000001669872112";
        assert!(key.verify_cached(long, &sign(DOC_TOKEN, long), &last));
        assert!(!key.verify_cached(long, DOC_SIGN, &last));
        assert!(key.verify_cached(DOC_TIME, DOC_SIGN, &last));
    }

    #[test]
    fn key_is_reusable_across_checks() {
        let key = SigningKey::new(DOC_TOKEN);
        assert!(key.verify(DOC_TIME, DOC_SIGN));
        assert!(key.verify("1", &sign(DOC_TOKEN, "1")));
        assert!(key.verify(DOC_TIME, DOC_SIGN));
    }
}
