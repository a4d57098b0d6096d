//! Metrics tokens: what a server's metrics agent sends as `Token` with its threshold
//! reports. Each names the server its reports are about and tunes that server's hysteresis.
//! A token is shown once, when it is created; only its SHA-256 is stored.

use rand::RngCore;
use serde::{Deserialize, Serialize};
use subtle::ConstantTimeEq;
use tocsin_core::FieldError;
use tocsin_core::id::new_id;
use tocsin_core::ingest::threshold::{DEFAULT_COOL_OFF_SECS, DEFAULT_MARGIN, Settings};
use tocsin_core::time::{Millis, to_rfc3339};
use tocsin_store::MetricsToken;
use ulid::Ulid;
use utoipa::ToSchema;

use super::audit::{self, Change};
use super::{Principal, Scope, ServiceError, ServiceResult};
use crate::state::{AppState, token_hash};

const MAX_SERVER_LEN: usize = 128;
const MAX_MARGIN: f64 = 50.0;
const MAX_COOL_OFF_SECS: u32 = 7 * 24 * 3600;

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MetricsTokenInput {
    /// The server the agent runs on, as the `server` label of its events (e.g. `web-1`).
    pub server: Option<String>,
    /// How far, in percentage points, a value must fall below the threshold to count as a
    /// recovery. Default 5.
    pub margin: Option<f64>,
    /// For how long after a recovery a new alert is held back, in seconds. Default 300.
    pub cool_off_seconds: Option<u32>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MetricsTokenView {
    pub id: String,
    pub server: String,
    pub margin: f64,
    pub cool_off_seconds: u32,
    pub created_at: String,
    /// The token itself: 128 hex characters, shown only in the answer to its creation.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
}

impl From<&MetricsToken> for MetricsTokenView {
    fn from(t: &MetricsToken) -> Self {
        Self {
            id: t.id.to_string(),
            server: t.server.clone(),
            margin: t.margin,
            cool_off_seconds: t.cool_off_secs,
            created_at: to_rfc3339(t.created_at),
            token: None,
        }
    }
}

/// A new token as Dokploy makes them: 64 random bytes as 128 hex characters.
pub fn generate() -> String {
    let mut bytes = [0u8; 64];
    rand::rng().fill_bytes(&mut bytes);
    hex::encode(bytes)
}

fn check_server(server: Option<String>) -> Result<String, FieldError> {
    let server = server.map(|s| s.trim().to_owned()).unwrap_or_default();
    if server.is_empty() {
        return Err(FieldError::new(
            "server",
            "is required: the name of the server the agent runs on, e.g. \"web-1\"",
        ));
    }
    if server.len() > MAX_SERVER_LEN || server.contains('/') || server.chars().any(char::is_control)
    {
        return Err(FieldError::new(
            "server",
            format!(
                "must be at most {MAX_SERVER_LEN} characters, without `/` or control characters"
            ),
        ));
    }
    Ok(server)
}

/// Creates a token for a server; the answer carries the token, the only time it is shown.
/// Metrics tokens are server-wide: every operation on them takes `admin`.
pub async fn create(
    state: &AppState,
    principal: &Principal,
    input: MetricsTokenInput,
) -> ServiceResult<MetricsTokenView> {
    principal.require(Scope::Admin)?;
    let server = check_server(input.server)?;
    let margin = input.margin.unwrap_or(DEFAULT_MARGIN);
    if !(0.0..=MAX_MARGIN).contains(&margin) {
        return Err(FieldError::new(
            "margin",
            format!("must be a number of percentage points from 0 to {MAX_MARGIN}"),
        )
        .into());
    }
    let cool_off_secs = input.cool_off_seconds.unwrap_or(DEFAULT_COOL_OFF_SECS);
    if cool_off_secs > MAX_COOL_OFF_SECS {
        return Err(FieldError::new(
            "cool_off_seconds",
            format!("must be at most {MAX_COOL_OFF_SECS} (a week)"),
        )
        .into());
    }
    let token = generate();
    let stored = MetricsToken {
        id: new_id(),
        server,
        token_hash: hex::encode(token_hash(&token)),
        margin,
        cool_off_secs,
        created_at: state.now(),
    };
    state.store.create_metrics_token(&stored).await?;
    audit::record(
        state,
        principal,
        Change {
            action: "metrics_token.created",
            target_id: stored.id.to_string(),
            tenant: None,
            summary: format!("metrics token for server `{}` created", stored.server),
        },
    )
    .await;
    Ok(MetricsTokenView {
        token: Some(token),
        ..MetricsTokenView::from(&stored)
    })
}

pub async fn list(state: &AppState, principal: &Principal) -> ServiceResult<Vec<MetricsTokenView>> {
    principal.require(Scope::Admin)?;
    Ok(state
        .store
        .list_metrics_tokens()
        .await?
        .iter()
        .map(MetricsTokenView::from)
        .collect())
}

/// Deletes a token; its agent's reports are refused from then on.
pub async fn delete(state: &AppState, principal: &Principal, id: Ulid) -> ServiceResult<()> {
    principal.require(Scope::Admin)?;
    if state.store.delete_metrics_token(id).await? {
        audit::record(
            state,
            principal,
            Change {
                action: "metrics_token.deleted",
                target_id: id.to_string(),
                tenant: None,
                summary: "metrics token deleted".into(),
            },
        )
        .await;
        Ok(())
    } else {
        Err(ServiceError::NotFound("metrics token"))
    }
}

/// The server and settings a token stands for. Every token, malformed or not, is hashed
/// and looked up the same way, so the answer takes as long either way.
pub async fn authenticate(state: &AppState, token: &str) -> ServiceResult<Option<Server>> {
    let hash = hex::encode(token_hash(token));
    let found = state.store.find_metrics_token(&hash).await?;
    // The lookup is by equality of hashes, which an attacker cannot steer; the stored hash
    // is compared again in constant time so no backend's index behaviour matters.
    Ok(found
        .filter(|t| bool::from(t.token_hash.as_bytes().ct_eq(hash.as_bytes())))
        .map(|t| Server {
            name: t.server,
            settings: Settings {
                margin: t.margin,
                cool_off_ms: Millis::from(t.cool_off_secs) * 1000,
            },
        }))
}

/// What a metrics token stands for.
#[derive(Debug, Clone, PartialEq)]
pub struct Server {
    pub name: String,
    pub settings: Settings,
}
