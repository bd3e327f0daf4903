//! Tencent's callback signature: `Sign = lowercase_hex(sha256(token + RequestTime))`.

use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

/// The `Sign` Tencent sends for `token` and `request_time` (Unix seconds, as written in
/// the query string).
///
/// With a token configured, `Sign = lowercase_hex(sha256(token + RequestTime))`: plain
/// concatenation, `RequestTime` in Unix seconds. Useful to sign requests in tests or by
/// hand. Tencent's documented example:
///
/// ```
/// assert_eq!(
///     actix_tim_callback::sign("xxxxyyyy", "1669872112"),
///     "17773bc39a671d7b9aa835458704d2a6db81360a5940292b587d6d760d484061"
/// );
/// ```
///
/// In a shell:
///
/// ```sh
/// TOKEN='your token'
/// T=$(date +%s)
/// S=$(printf '%s%s' "$TOKEN" "$T" | sha256sum | cut -d' ' -f1)
/// curl -sS "http://127.0.0.1:8080/im/callback?SdkAppid=1400000000&CallbackCommand=Group.CallbackSendMsgException&contenttype=json&ClientIP=127.0.0.1&OptPlatform=RESTAPI&RequestTime=$T&Sign=$S" \
///   --data-binary @tests/fixtures/send_msg_exception.json
/// ```
///
/// The signature covers only the token and the second, not the body, the command or the
/// app id: anyone who sees one signed URL can reuse it until the replay window closes.
/// Keep the window short, use HTTPS, keep full URLs out of access logs, and turn on
/// [duplicate suppression](crate::CallbackConfig::dedup), which answers a replay with the
/// first delivery's reply.
pub fn sign(token: &str, request_time: &str) -> String {
    let hex = SigningKey::new(token).expected_sign(request_time);
    String::from_utf8_lossy(&hex).into_owned()
}

/// The token, hashed up to the point where `RequestTime` is appended: the token itself is
/// not kept in memory as text, and a check costs one SHA-256 block.
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
        let mut hasher = self.token_prefix.clone();
        hasher.update(request_time.as_bytes());
        let mut hex = [0u8; 64];
        // 32 bytes always fit 64 hex digits.
        let _ = hex::encode_to_slice(hasher.finalize(), &mut hex);
        hex
    }

    /// Whether `sign` is the lowercase hex digest for `request_time`, compared in constant
    /// time (`ct_eq` compares the lengths, which are public, first).
    pub(crate) fn verify(&self, request_time: &str, sign: &str) -> bool {
        let expected = self.expected_sign(request_time);
        bool::from(sign.as_bytes().ct_eq(&expected[..]))
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
        assert!(!key.verify("01669872112", DOC_SIGN));
        assert!(!key.verify(DOC_TIME, &DOC_SIGN.to_uppercase()));
        assert!(!key.verify(DOC_TIME, &DOC_SIGN[..63]));
        assert!(!key.verify(DOC_TIME, &format!("{DOC_SIGN}0")));
        assert!(!key.verify(DOC_TIME, ""));
    }

    #[test]
    fn key_is_reusable_across_checks() {
        let key = SigningKey::new(DOC_TOKEN);
        assert!(key.verify(DOC_TIME, DOC_SIGN));
        assert!(key.verify("1", &sign(DOC_TOKEN, "1")));
        assert!(key.verify(DOC_TIME, DOC_SIGN));
    }
}
