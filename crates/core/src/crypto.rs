//! Secrets at rest: sealing a secret value under the master key with XChaCha20-Poly1305,
//! and opening it again.
//!
//! A sealed value is self-describing text: `enc:v1:<key id>:<base64url(nonce ‖ ciphertext)>`.
//! The nonce is 24 random bytes, fresh for every seal. The associated data binds the value
//! to the header, its owner (`channel/<id>`, `profile/<id>`) and its field name, so a
//! sealed value copied to another row or field does not open. The key id (from a hash of
//! the key) says which key sealed a value, so a wrong key is reported as such rather than
//! as tampering.
//!
//! This module knows nothing about where keys come from (the server reads
//! `TOCSIN_SECRET_KEY` or the key file) or where sealed values go (the store).

use std::fmt;

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE_NO_PAD};
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use sha2::{Digest, Sha256};

/// What every sealed value starts with.
pub const SEALED_PREFIX: &str = "enc:";
const V1: &str = "enc:v1:";
const NONCE_LEN: usize = 24;
const TAG_LEN: usize = 16;
const KEY_LEN: usize = 32;

/// Why a value could not be opened, or a key not read. Never carries a secret.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CryptoError {
    #[error("the value is not sealed")]
    NotSealed,
    #[error("the value is sealed in an unknown format `{0}`; a newer Tocsin wrote it")]
    UnknownVersion(String),
    #[error("the value was sealed with key {found}, not with this key ({expected})")]
    WrongKey { expected: String, found: String },
    #[error("the sealed value is damaged")]
    Malformed,
    #[error("the sealed value does not authenticate: it was changed or moved to another row")]
    Forged,
    #[error("the key is not 32 bytes in base64 or hex ({0}); make one with `tocsin keys generate`")]
    BadKey(String),
}

/// The 32-byte master key that seals every secret. `Debug` shows only its id.
#[derive(Clone)]
pub struct MasterKey {
    bytes: [u8; KEY_LEN],
    id: String,
}

impl MasterKey {
    /// A new random key.
    pub fn generate() -> Self {
        Self::from_bytes(rand::random())
    }

    pub fn from_bytes(bytes: [u8; KEY_LEN]) -> Self {
        let digest = Sha256::new()
            .chain_update(b"tocsin master key id\0")
            .chain_update(bytes)
            .finalize();
        let id = hex::encode(&digest[..4]);
        Self { bytes, id }
    }

    /// Reads a key written as standard base64 (padded or not) or as 64 hex digits;
    /// surrounding whitespace is ignored.
    pub fn parse(text: &str) -> Result<Self, CryptoError> {
        let text = text.trim();
        let decoded = if text.len() == 2 * KEY_LEN && text.bytes().all(|b| b.is_ascii_hexdigit()) {
            hex::decode(text).map_err(|_| CryptoError::BadKey("not hex".into()))?
        } else {
            STANDARD
                .decode(text)
                .or_else(|_| STANDARD_NO_PAD.decode(text))
                .map_err(|_| CryptoError::BadKey("neither base64 nor hex".into()))?
        };
        let bytes: [u8; KEY_LEN] = decoded
            .as_slice()
            .try_into()
            .map_err(|_| CryptoError::BadKey(format!("{} bytes", decoded.len())))?;
        Ok(Self::from_bytes(bytes))
    }

    /// The key as standard base64, the form `TOCSIN_SECRET_KEY` and the key file take.
    pub fn encode(&self) -> String {
        STANDARD.encode(self.bytes)
    }

    /// A short public name of the key (8 hex digits of a hash), stored with each value.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// Seals `plaintext` for field `field` of `owner`.
    pub fn seal(&self, owner: &str, field: &str, plaintext: &str) -> String {
        let header = format!("{V1}{}:", self.id);
        let nonce_bytes: [u8; NONCE_LEN] = rand::random();
        let nonce = XNonce::from(nonce_bytes);
        let aad = associated_data(&header, owner, field);
        let ciphertext = self
            .cipher()
            .encrypt(
                &nonce,
                Payload {
                    msg: plaintext.as_bytes(),
                    aad: &aad,
                },
            )
            // Encryption fails only for messages longer than the cipher's limit (256 GiB).
            .unwrap_or_default();
        let mut blob = Vec::with_capacity(NONCE_LEN + ciphertext.len());
        blob.extend_from_slice(&nonce_bytes);
        blob.extend_from_slice(&ciphertext);
        format!("{header}{}", URL_SAFE_NO_PAD.encode(blob))
    }

    /// Opens a value sealed for field `field` of `owner`.
    pub fn open(&self, owner: &str, field: &str, sealed: &str) -> Result<String, CryptoError> {
        let parts = Sealed::parse(sealed)?;
        if parts.key_id != self.id {
            return Err(CryptoError::WrongKey {
                expected: self.id.clone(),
                found: parts.key_id.to_owned(),
            });
        }
        let blob = URL_SAFE_NO_PAD
            .decode(parts.body)
            .map_err(|_| CryptoError::Malformed)?;
        if blob.len() < NONCE_LEN + TAG_LEN {
            return Err(CryptoError::Malformed);
        }
        let (nonce, ciphertext) = blob.split_at(NONCE_LEN);
        let nonce: [u8; NONCE_LEN] = nonce.try_into().map_err(|_| CryptoError::Malformed)?;
        let aad = associated_data(parts.header, owner, field);
        let plain = self
            .cipher()
            .decrypt(
                &XNonce::from(nonce),
                Payload {
                    msg: ciphertext,
                    aad: &aad,
                },
            )
            .map_err(|_| CryptoError::Forged)?;
        String::from_utf8(plain).map_err(|_| CryptoError::Malformed)
    }

    fn cipher(&self) -> XChaCha20Poly1305 {
        XChaCha20Poly1305::new(&self.bytes.into())
    }
}

impl fmt::Debug for MasterKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MasterKey").field("id", &self.id).finish()
    }
}

impl Drop for MasterKey {
    fn drop(&mut self) {
        zeroize::Zeroize::zeroize(&mut self.bytes);
    }
}

/// Whether a stored value is sealed (in any version), as opposed to plaintext left by an
/// older Tocsin.
pub fn is_sealed(value: &str) -> bool {
    value.starts_with(SEALED_PREFIX)
}

/// The id of the key that sealed a value.
pub fn key_id_of(sealed: &str) -> Result<&str, CryptoError> {
    Sealed::parse(sealed).map(|s| s.key_id)
}

/// The parts of a sealed value.
struct Sealed<'a> {
    /// `enc:v1:<key id>:`
    header: &'a str,
    key_id: &'a str,
    body: &'a str,
}

impl<'a> Sealed<'a> {
    fn parse(text: &'a str) -> Result<Self, CryptoError> {
        let Some(rest) = text.strip_prefix(SEALED_PREFIX) else {
            return Err(CryptoError::NotSealed);
        };
        let Some(rest) = rest.strip_prefix("v1:") else {
            let version = rest.split(':').next().unwrap_or_default();
            return Err(CryptoError::UnknownVersion(
                version.chars().take(16).collect(),
            ));
        };
        let (key_id, body) = rest.split_once(':').ok_or(CryptoError::Malformed)?;
        if key_id.is_empty() || !key_id.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(CryptoError::Malformed);
        }
        let header_len = V1.len() + key_id.len() + 1;
        Ok(Self {
            header: &text[..header_len],
            key_id,
            body,
        })
    }
}

fn associated_data(header: &str, owner: &str, field: &str) -> Vec<u8> {
    // Lengths first, so that no two (owner, field) pairs make the same bytes.
    let mut aad = Vec::with_capacity(header.len() + owner.len() + field.len() + 16);
    for part in [header, owner, field] {
        aad.extend_from_slice(&(part.len() as u32).to_be_bytes());
        aad.extend_from_slice(part.as_bytes());
    }
    aad
}

#[cfg(test)]
mod tests {
    use super::*;

    const OWNER: &str = "channel/01KAAAAAAAAAAAAAAAAAAAAAAA";

    #[test]
    fn crypto_round_trip() {
        let key = MasterKey::generate();
        let sealed = key.seal(OWNER, "bot_token", "123456:plain-value");
        assert!(sealed.starts_with(&format!("enc:v1:{}:", key.id())));
        assert!(!sealed.contains("plain-value"));
        assert!(is_sealed(&sealed));
        assert_eq!(key_id_of(&sealed).unwrap(), key.id());
        assert_eq!(
            key.open(OWNER, "bot_token", &sealed).unwrap(),
            "123456:plain-value"
        );
        // The empty string and non-ASCII text survive too.
        for text in ["", "päss wörd ✓"] {
            let s = key.seal(OWNER, "password", text);
            assert_eq!(key.open(OWNER, "password", &s).unwrap(), text);
        }
    }

    #[test]
    fn crypto_uses_a_fresh_nonce_for_every_seal() {
        let key = MasterKey::generate();
        let a = key.seal(OWNER, "f", "same");
        let b = key.seal(OWNER, "f", "same");
        assert_ne!(a, b);
    }

    #[test]
    fn crypto_refuses_the_wrong_key_and_names_both_ids() {
        let key = MasterKey::generate();
        let other = MasterKey::generate();
        let sealed = key.seal(OWNER, "f", "value");
        let err = other.open(OWNER, "f", &sealed).unwrap_err();
        assert_eq!(
            err,
            CryptoError::WrongKey {
                expected: other.id().to_owned(),
                found: key.id().to_owned()
            }
        );
        // A different key that claims the same id still fails to authenticate.
        let forged_id = sealed.replacen(key.id(), other.id(), 1);
        assert_eq!(other.open(OWNER, "f", &forged_id), Err(CryptoError::Forged));
    }

    #[test]
    fn crypto_detects_a_tampered_ciphertext() {
        let key = MasterKey::generate();
        let sealed = key.seal(OWNER, "f", "value");
        let (head, body) = sealed.rsplit_once(':').unwrap();
        let mut blob = URL_SAFE_NO_PAD.decode(body).unwrap();
        for i in [0, NONCE_LEN, blob.len() - 1] {
            blob[i] ^= 1;
            let tampered = format!("{head}:{}", URL_SAFE_NO_PAD.encode(&blob));
            assert_eq!(key.open(OWNER, "f", &tampered), Err(CryptoError::Forged));
            blob[i] ^= 1;
        }
        let truncated = format!("{head}:{}", URL_SAFE_NO_PAD.encode(&blob[..20]));
        assert_eq!(
            key.open(OWNER, "f", &truncated),
            Err(CryptoError::Malformed)
        );
        assert_eq!(
            key.open(OWNER, "f", &format!("{head}:***")),
            Err(CryptoError::Malformed)
        );
    }

    #[test]
    fn crypto_binds_the_value_to_its_owner_and_field() {
        let key = MasterKey::generate();
        let sealed = key.seal(OWNER, "api_key", "value");
        assert_eq!(
            key.open("channel/01KBBBBBBBBBBBBBBBBBBBBBBB", "api_key", &sealed),
            Err(CryptoError::Forged)
        );
        assert_eq!(
            key.open(OWNER, "password", &sealed),
            Err(CryptoError::Forged)
        );
        assert_eq!(
            key.open("profile/01KAAAAAAAAAAAAAAAAAAAAAAA", "api_key", &sealed),
            Err(CryptoError::Forged)
        );
    }

    #[test]
    fn crypto_reports_plaintext_and_unknown_versions() {
        let key = MasterKey::generate();
        assert_eq!(key.open(OWNER, "f", "hunter2"), Err(CryptoError::NotSealed));
        assert!(!is_sealed("hunter2"));
        assert_eq!(
            key.open(OWNER, "f", "enc:v9:abcd:xyz"),
            Err(CryptoError::UnknownVersion("v9".into()))
        );
    }

    #[test]
    fn crypto_keys_parse_from_base64_and_hex() {
        let key = MasterKey::generate();
        let b64 = key.encode();
        assert_eq!(MasterKey::parse(&b64).unwrap().id(), key.id());
        assert_eq!(
            MasterKey::parse(&format!("  {}\n", b64.trim_end_matches('=')))
                .unwrap()
                .id(),
            key.id()
        );
        assert_eq!(
            MasterKey::parse(&hex::encode(key.bytes)).unwrap().id(),
            key.id()
        );
        assert!(matches!(
            MasterKey::parse("c2hvcnQ="),
            Err(CryptoError::BadKey(_))
        ));
        assert!(matches!(
            MasterKey::parse("not a key!"),
            Err(CryptoError::BadKey(_))
        ));
    }

    #[test]
    fn crypto_debug_shows_only_the_key_id() {
        let key = MasterKey::generate();
        let shown = format!("{key:?}");
        assert!(shown.contains(key.id()));
        assert!(!shown.contains(&key.encode()));
        assert!(!shown.contains(&hex::encode(key.bytes)));
    }
}
