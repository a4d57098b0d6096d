//! API tokens: the admin token from the environment, and tokens stored as SHA-256 hashes.

use rand::RngCore;
use subtle::ConstantTimeEq;
use tocsin_core::id::new_id;
use tocsin_store::StoredToken;

use super::ServiceResult;
use crate::state::{AppState, token_hash};

/// Who made a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    pub name: String,
    pub scopes: Vec<String>,
}

/// Finds the principal a bearer token stands for.
pub async fn authenticate(state: &AppState, token: &str) -> ServiceResult<Option<Principal>> {
    let hash = token_hash(token);
    if let Some(admin) = &state.admin_token_hash
        && bool::from(admin.ct_eq(&hash))
    {
        return Ok(Some(Principal {
            name: "TOCSIN_ADMIN_TOKEN".into(),
            scopes: vec!["admin".into()],
        }));
    }
    // Looking a hash up by equality leaks nothing useful about the token: an attacker
    // cannot steer the hash prefix.
    Ok(state
        .store
        .find_token(&hex::encode(hash))
        .await?
        .map(|t| Principal {
            name: t.name,
            scopes: t.scopes,
        }))
}

/// A new random token: `tsn_` and 43 characters of base64url.
pub fn generate() -> String {
    use base64::Engine as _;
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    format!(
        "tsn_{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
    )
}

/// Creates the first admin token when no token exists and none comes from the environment.
/// Returns the token, to be shown once.
pub async fn bootstrap_admin(state: &AppState) -> ServiceResult<Option<String>> {
    if state.admin_token_hash.is_some() || state.store.count_tokens().await? > 0 {
        return Ok(None);
    }
    let token = generate();
    state
        .store
        .create_token(&StoredToken {
            id: new_id(),
            name: "first admin".into(),
            token_hash: hex::encode(token_hash(&token)),
            scopes: vec!["admin".into()],
            created_at: state.now(),
        })
        .await?;
    Ok(Some(token))
}
