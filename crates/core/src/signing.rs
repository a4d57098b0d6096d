//! Signing of outbound webhooks: the Standard Webhooks scheme (`webhook-signature:
//! v1,<base64 HMAC-SHA256 of "id.timestamp.body">`, secret written `whsec_<base64>`) and the
//! GitHub-style `X-Signature-256: sha256=<hex>` over the body, both keyed by one
//! [`SigningSecret`]. The key stays wrapped in `secrecy` and never appears in `Debug` output.

use std::fmt;

use base64::Engine;
use base64::engine::DecodePaddingMode;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig, STANDARD};
use hmac::{Hmac, Mac};
use secrecy::{ExposeSecret, SecretSlice};
use sha2::Sha256;

use crate::FieldError;

type HmacSha256 = Hmac<Sha256>;

/// The prefix of a secret's text form, as in the Standard Webhooks specification.
pub const SECRET_PREFIX: &str = "whsec_";

/// The number of random bytes in a generated secret.
const GENERATED_LEN: usize = 32;
const MIN_LEN: usize = 16;
const MAX_LEN: usize = 128;
const FIELD: &str = "signing_secret";

/// Standard base64 that accepts the text with or without its trailing `=` padding, since
/// secrets are often copied without it.
const LENIENT_STANDARD: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new()
        .with_encode_padding(true)
        .with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// The key a channel signs its webhooks with.
#[derive(Clone)]
pub struct SigningSecret {
    key: SecretSlice<u8>,
}

impl SigningSecret {
    /// A new random secret of 32 bytes.
    pub fn generate() -> SigningSecret {
        let key: [u8; GENERATED_LEN] = rand::random();
        SigningSecret {
            key: key.to_vec().into(),
        }
    }

    /// Reads the `whsec_<base64>` text form.
    pub fn parse(text: &str) -> Result<SigningSecret, FieldError> {
        let text = text.trim();
        let Some(encoded) = text.strip_prefix(SECRET_PREFIX) else {
            return Err(FieldError::new(
                FIELD,
                "must start with `whsec_` followed by the key in base64, e.g. `whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw`; leave it out to have one generated",
            ));
        };
        let key = LENIENT_STANDARD.decode(encoded).map_err(|e| {
            FieldError::new(
                FIELD,
                format!(
                    "the part after `whsec_` is not standard base64 ({e}); use the letters A-Z, a-z, digits, `+` and `/`"
                ),
            )
        })?;
        if key.len() < MIN_LEN || key.len() > MAX_LEN {
            return Err(FieldError::new(
                FIELD,
                format!(
                    "the key is {} bytes long; it must be {MIN_LEN} to {MAX_LEN} bytes (32 is usual)",
                    key.len()
                ),
            ));
        }
        Ok(SigningSecret { key: key.into() })
    }

    /// The `whsec_<base64>` text form, for storage and for showing to the receiver's owner.
    pub fn to_whsec(&self) -> String {
        format!(
            "{SECRET_PREFIX}{}",
            STANDARD.encode(self.key.expose_secret())
        )
    }

    /// The `webhook-signature` header value for a message: `v1,<base64 signature>`.
    pub fn sign(&self, msg_id: &str, timestamp_secs: i64, body: &[u8]) -> String {
        let tag = self.standard_mac(msg_id, timestamp_secs, body).finalize();
        format!("v1,{}", STANDARD.encode(tag.into_bytes()))
    }

    /// The `X-Signature-256` header value: `sha256=<lower-case hex HMAC-SHA256 of the body>`.
    pub fn signature_256(&self, body: &[u8]) -> String {
        let mut mac = self.mac();
        mac.update(body);
        format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
    }

    /// Whether `header_value` (a space-separated list of `v1,<base64>` entries, as a
    /// `webhook-signature` header carries during a key rotation) holds a valid signature of
    /// the message. Entries of other versions are ignored. The comparison is in constant
    /// time. The timestamp's freshness is the caller's to check: this function does not
    /// read the clock.
    pub fn verify(
        &self,
        msg_id: &str,
        timestamp_secs: i64,
        body: &[u8],
        header_value: &str,
    ) -> bool {
        let mac = self.standard_mac(msg_id, timestamp_secs, body);
        header_value
            .split(' ')
            .filter_map(|entry| entry.split_once(','))
            .filter(|(version, _)| *version == "v1")
            .filter_map(|(_, signature)| STANDARD.decode(signature).ok())
            .any(|signature| mac.clone().verify_slice(&signature).is_ok())
    }

    fn standard_mac(&self, msg_id: &str, timestamp_secs: i64, body: &[u8]) -> HmacSha256 {
        let mut mac = self.mac();
        mac.update(msg_id.as_bytes());
        mac.update(b".");
        mac.update(timestamp_secs.to_string().as_bytes());
        mac.update(b".");
        mac.update(body);
        mac
    }

    fn mac(&self) -> HmacSha256 {
        // HMAC accepts keys of any length (long ones are hashed first), so this cannot fail.
        HmacSha256::new_from_slice(self.key.expose_secret())
            .expect("HMAC takes a key of any length")
    }
}

impl fmt::Debug for SigningSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SigningSecret(<redacted>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KNOWN_SECRET: &str = "whsec_dG9jc2luLWtub3duLWFuc3dlci1rZXktMzItYnl0ZXM=";
    const KNOWN_ID: &str = "msg_01KAQ3Z5XJ8Y4W2V6T9R0N1M7P";
    const KNOWN_TS: i64 = 1_795_428_000;
    const KNOWN_BODY: &[u8] = br#"{"type":"deploy.success","title":"Deploy \u00e9 \"ok\""}"#;

    fn known() -> SigningSecret {
        SigningSecret::parse(KNOWN_SECRET).unwrap()
    }

    fn now_secs() -> i64 {
        crate::time::now_millis() / 1000
    }

    fn headers(msg_id: &str, ts: i64, signature: &str) -> http::HeaderMap {
        let mut headers = http::HeaderMap::new();
        headers.insert("webhook-id", msg_id.parse().unwrap());
        headers.insert("webhook-timestamp", ts.to_string().parse().unwrap());
        headers.insert("webhook-signature", signature.parse().unwrap());
        headers
    }

    // Expected values computed independently with Python's hmac, hashlib and base64 modules.
    #[test]
    fn signs_a_pinned_message() {
        assert_eq!(
            known().sign(KNOWN_ID, KNOWN_TS, KNOWN_BODY),
            "v1,LpvzeLFyZEqbAW4V6ZbhDXLHFyTV3AVq30bwgAFZ68w="
        );
        assert_eq!(
            known().signature_256(KNOWN_BODY),
            "sha256=6a7c71295c97c5e48e5aa6521fde2bd737022cfca56c9a5803bbe81c7b6a7d5a"
        );
    }

    #[test]
    fn matches_the_example_of_the_specification() {
        let secret = SigningSecret::parse("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").unwrap();
        assert_eq!(
            secret.sign(
                "msg_p5jXN8AQM9LWM0D4loKWxJek",
                1_614_265_330,
                br#"{"test": 2432232314}"#
            ),
            "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
        );
    }

    #[test]
    fn the_reference_implementation_accepts_our_signature() {
        let secret = SigningSecret::generate();
        let ts = now_secs();
        let body = br#"{"event":"deploy.failure","message":"line 1\nline 2 \u00e9"}"#;
        let signature = secret.sign("msg_1", ts, body);

        let reference = standardwebhooks::Webhook::new(&secret.to_whsec()).unwrap();
        reference
            .verify(body, &headers("msg_1", ts, &signature))
            .unwrap();
        assert_eq!(reference.sign("msg_1", ts, body).unwrap(), signature);
    }

    #[test]
    fn accepts_a_signature_made_by_the_reference_implementation() {
        let reference = standardwebhooks::Webhook::new(KNOWN_SECRET).unwrap();
        let signature = reference.sign(KNOWN_ID, KNOWN_TS, KNOWN_BODY).unwrap();
        assert!(known().verify(KNOWN_ID, KNOWN_TS, KNOWN_BODY, &signature));
    }

    #[test]
    fn the_reference_implementation_refuses_a_tampered_body() {
        let secret = known();
        let ts = now_secs();
        let signature = secret.sign("msg_1", ts, b"{\"amount\":1}");
        let reference = standardwebhooks::Webhook::new(KNOWN_SECRET).unwrap();
        assert!(
            reference
                .verify(b"{\"amount\":100}", &headers("msg_1", ts, &signature))
                .is_err()
        );
    }

    #[test]
    fn refuses_a_tampered_message() {
        let secret = known();
        let signature = secret.sign(KNOWN_ID, KNOWN_TS, KNOWN_BODY);
        assert!(secret.verify(KNOWN_ID, KNOWN_TS, KNOWN_BODY, &signature));
        assert!(!secret.verify(KNOWN_ID, KNOWN_TS, b"{}", &signature));
        assert!(!secret.verify("msg_other", KNOWN_TS, KNOWN_BODY, &signature));
        assert!(!secret.verify(KNOWN_ID, KNOWN_TS + 1, KNOWN_BODY, &signature));
        let other = SigningSecret::generate();
        assert!(!other.verify(KNOWN_ID, KNOWN_TS, KNOWN_BODY, &signature));
    }

    #[test]
    fn verifies_any_entry_of_a_signature_list() {
        let secret = known();
        let good = secret.sign(KNOWN_ID, KNOWN_TS, KNOWN_BODY);
        let stale = SigningSecret::generate().sign(KNOWN_ID, KNOWN_TS, KNOWN_BODY);
        let list = format!("{stale} v1a,c2lnbmF0dXJl v1,not-base64! {good}");
        assert!(secret.verify(KNOWN_ID, KNOWN_TS, KNOWN_BODY, &list));
        assert!(!secret.verify(KNOWN_ID, KNOWN_TS, KNOWN_BODY, &stale));
    }

    #[test]
    fn refuses_empty_partial_and_other_version_signatures() {
        let secret = known();
        let good = secret.sign(KNOWN_ID, KNOWN_TS, KNOWN_BODY);
        let sig = good.trim_start_matches("v1,");
        for header in ["", "v1,", "v1", &good[..10], &format!("v2,{sig}"), sig] {
            assert!(
                !secret.verify(KNOWN_ID, KNOWN_TS, KNOWN_BODY, header),
                "accepted {header:?}"
            );
        }
    }

    #[test]
    fn round_trips_the_text_form() {
        let secret = SigningSecret::generate();
        let text = secret.to_whsec();
        assert!(text.starts_with("whsec_"));
        let again = SigningSecret::parse(&text).unwrap();
        assert_eq!(again.to_whsec(), text);
        assert_eq!(known().to_whsec(), KNOWN_SECRET);
    }

    #[test]
    fn generated_secrets_are_32_random_bytes() {
        let a = SigningSecret::generate();
        let b = SigningSecret::generate();
        assert_eq!(a.key.expose_secret().len(), 32);
        assert_ne!(a.to_whsec(), b.to_whsec());
    }

    #[test]
    fn accepts_a_secret_without_padding_or_with_surrounding_space() {
        let unpadded = KNOWN_SECRET.trim_end_matches('=');
        assert_eq!(
            SigningSecret::parse(unpadded).unwrap().to_whsec(),
            KNOWN_SECRET
        );
        let spaced = format!("  {KNOWN_SECRET}\n");
        assert_eq!(
            SigningSecret::parse(&spaced).unwrap().to_whsec(),
            KNOWN_SECRET
        );
    }

    #[test]
    fn debug_does_not_show_the_key() {
        let secret = known();
        let shown = format!("{secret:?} {secret:#?}");
        assert!(shown.contains("redacted"), "{shown}");
        assert!(!shown.contains("dG9jc2lu"), "{shown}");
        assert!(!shown.contains("116, 111"), "{shown}");
    }

    #[test]
    fn explains_what_is_wrong_with_a_secret() {
        let cases = [
            ("dG9jc2luLWtub3duLWFuc3dlci1rZXktMzItYnl0ZXM=", "whsec_"),
            ("whsec_not base64!", "base64"),
            ("whsec_c2hvcnQ=", "5 bytes"),
            ("whsec_", "0 bytes"),
        ];
        for (text, hint) in cases {
            let err = SigningSecret::parse(text).expect_err(text);
            assert_eq!(err.field, "signing_secret");
            assert!(err.message.contains(hint), "{text}: {}", err.message);
        }
        let long = format!("whsec_{}", STANDARD.encode([7u8; 129]));
        let err = SigningSecret::parse(&long).unwrap_err();
        assert!(err.message.contains("129 bytes"), "{}", err.message);
        let longest = format!("whsec_{}", STANDARD.encode([7u8; 128]));
        assert!(SigningSecret::parse(&longest).is_ok());
    }
}
