//! Signing in: an API token is exchanged for a session cookie, signed with a key the
//! process draws at start (HMAC-SHA256). The cookie holds the token's SHA-256 (never the
//! token), an expiry and a nonce; every request looks the token up again, so a revoked
//! token ends its sessions. The CSRF token of a session is the HMAC of its nonce; a form
//! that posts without it is refused before any handler runs.
//!
//! The key lives in memory: a restart signs everyone out, and several nodes behind a load
//! balancer need sticky sessions. Stateless cookies need no table and no migration.

use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::Sha256;
use subtle::ConstantTimeEq;

use crate::service::tokens::{self, Principal};
use crate::state::AppState;

pub const SESSION_COOKIE: &str = "tocsin_session";
/// The nonce that binds the sign-in form to the browser that loaded it.
pub const LOGIN_COOKIE: &str = "tocsin_login";
/// How long a session lasts.
pub const SESSION_SECS: i64 = 12 * 3600;

/// The process's signing key.
#[derive(Clone)]
pub struct SessionKey([u8; 32]);

impl SessionKey {
    pub fn random() -> Self {
        let mut key = [0u8; 32];
        rand::rng().fill_bytes(&mut key);
        Self(key)
    }

    fn mac(&self, purpose: &str, text: &str) -> String {
        // HMAC takes a key of any length.
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&self.0)
            .unwrap_or_else(|_| unreachable!("HMAC accepts every key length"));
        mac.update(purpose.as_bytes());
        mac.update(b"\0");
        mac.update(text.as_bytes());
        hex::encode(mac.finalize().into_bytes())
    }

    fn verify(&self, purpose: &str, text: &str, mac_hex: &str) -> bool {
        bool::from(self.mac(purpose, text).as_bytes().ct_eq(mac_hex.as_bytes()))
    }

    /// A new session for a token's hash: the cookie's value.
    pub fn issue(&self, token_hash: &[u8; 32], now_ms: i64) -> String {
        let expires = now_ms / 1000 + SESSION_SECS;
        let payload = format!("{}.{expires}.{}", hex::encode(token_hash), nonce());
        let mac = self.mac("session", &payload);
        format!("{payload}.{mac}")
    }

    /// The session a cookie holds, when its signature holds and it has not expired.
    pub fn open(&self, cookie: &str, now_ms: i64) -> Option<Session> {
        let (payload, mac) = cookie.rsplit_once('.')?;
        if !self.verify("session", payload, mac) {
            return None;
        }
        let mut parts = payload.split('.');
        let hash_hex = parts.next()?;
        let expires: i64 = parts.next()?.parse().ok()?;
        let nonce = parts.next()?;
        if expires <= now_ms / 1000 {
            return None;
        }
        let mut token_hash = [0u8; 32];
        hex::decode_to_slice(hash_hex, &mut token_hash).ok()?;
        Some(Session {
            token_hash,
            csrf: self.mac("csrf", nonce),
        })
    }

    /// A fresh nonce for the sign-in form, and the CSRF value the form carries.
    pub fn login_nonce(&self) -> (String, String) {
        let n = nonce();
        let csrf = self.mac("login", &n);
        (n, csrf)
    }

    pub fn check_login_csrf(&self, nonce: &str, given: &str) -> bool {
        !nonce.is_empty() && self.verify("login", nonce, given)
    }
}

fn nonce() -> String {
    let mut bytes = [0u8; 16];
    rand::rng().fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// A signed-in browser.
#[derive(Debug, Clone)]
pub struct Session {
    pub token_hash: [u8; 32],
    /// What every form of this session must carry in `_csrf`.
    pub csrf: String,
}

impl Session {
    pub fn check_csrf(&self, given: &str) -> bool {
        bool::from(self.csrf.as_bytes().ct_eq(given.as_bytes()))
    }

    /// Who the session's token stands for now; `None` when it was revoked.
    pub async fn principal(&self, state: &AppState) -> Option<Principal> {
        tokens::authenticate_hash(state, &self.token_hash)
            .await
            .ok()
            .flatten()
    }
}

/// The value of cookie `name` in a request's `Cookie` headers.
pub fn cookie<'a>(headers: &'a http::HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// A `Set-Cookie` value: HttpOnly, SameSite=Lax (links from a notification into the UI
/// keep the session; cross-site posts do not carry it), under `/ui`, `Secure` over HTTPS.
pub fn set_cookie(name: &str, value: &str, max_age: i64, secure: bool) -> String {
    format!(
        "{name}={value}; Path=/ui; Max-Age={max_age}; HttpOnly; SameSite=Lax{}",
        if secure { "; Secure" } else { "" }
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_session_opens_only_with_its_signature_and_before_it_expires() {
        let key = SessionKey::random();
        let cookie = key.issue(&[7; 32], 1_000_000);
        let session = key.open(&cookie, 1_000_000).expect("opens");
        assert_eq!(session.token_hash, [7; 32]);
        assert!(key.open(&cookie, 1_000_000 + SESSION_SECS * 1000).is_none());
        let forged = cookie.replacen("07", "08", 1);
        assert!(key.open(&forged, 1_000_000).is_none());
        assert!(SessionKey::random().open(&cookie, 1_000_000).is_none());
    }

    #[test]
    fn each_session_has_its_own_csrf_token() {
        let key = SessionKey::random();
        let a = key.open(&key.issue(&[1; 32], 0), 0).unwrap();
        let b = key.open(&key.issue(&[1; 32], 0), 0).unwrap();
        assert_ne!(a.csrf, b.csrf);
        assert!(a.check_csrf(&a.csrf.clone()));
        assert!(!a.check_csrf(&b.csrf));
    }
}
