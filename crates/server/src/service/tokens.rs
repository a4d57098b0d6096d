//! API tokens and who they stand for: the admin token from the environment, and tokens
//! stored as SHA-256 hashes, each with scopes and optionally bound to a tenant. Every
//! operation takes the [`Principal`] that asks for it; [`Principal::require`] is the one
//! place a scope is checked, [`Principal::sees`] the one place a tenant is.

use std::fmt;

use rand::RngCore;
use serde::{Deserialize, Serialize};
use subtle::ConstantTimeEq;
use tocsin_core::FieldError;
use tocsin_core::channel::{check_label_value, check_name};
use tocsin_core::id::new_id;
use tocsin_core::time::to_rfc3339;
use tocsin_store::{Mutation, StoredToken};
use ulid::Ulid;
use utoipa::ToSchema;

use super::{ServiceError, ServiceResult, audit};
use crate::state::{AppState, token_hash};

/// What a token may do. `admin` may do everything; a `…:write` scope includes the
/// `…:read` scope of the same resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Scope {
    /// Everything, server-wide settings included (sender profiles, metrics tokens, mute
    /// windows, the audit log of every tenant).
    Admin,
    ChannelsRead,
    /// Create, change, delete and test channels.
    ChannelsWrite,
    RulesRead,
    RulesWrite,
    /// Post events and ingest payloads.
    EventsWrite,
    /// Read events, deliveries and monitor states.
    DeliveriesRead,
    /// Retry deliveries.
    DeliveriesWrite,
    /// Create, list and revoke API tokens (never with more scopes than one's own).
    TokensWrite,
}

impl Scope {
    pub const ALL: [Scope; 9] = [
        Self::Admin,
        Self::ChannelsRead,
        Self::ChannelsWrite,
        Self::RulesRead,
        Self::RulesWrite,
        Self::EventsWrite,
        Self::DeliveriesRead,
        Self::DeliveriesWrite,
        Self::TokensWrite,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Self::Admin => "admin",
            Self::ChannelsRead => "channels:read",
            Self::ChannelsWrite => "channels:write",
            Self::RulesRead => "rules:read",
            Self::RulesWrite => "rules:write",
            Self::EventsWrite => "events:write",
            Self::DeliveriesRead => "deliveries:read",
            Self::DeliveriesWrite => "deliveries:write",
            Self::TokensWrite => "tokens:write",
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.name() == name)
    }

    /// Whether holding `self` grants `other`.
    fn grants(self, other: Scope) -> bool {
        self == other
            || self == Self::Admin
            || matches!(
                (self, other),
                (Self::ChannelsWrite, Self::ChannelsRead)
                    | (Self::RulesWrite, Self::RulesRead)
                    | (Self::DeliveriesWrite, Self::DeliveriesRead)
            )
    }
}

impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Who makes a request: a token's id and name, its scopes and its tenant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    /// The stored token; `None` for `TOCSIN_ADMIN_TOKEN` and for the server itself.
    pub token_id: Option<Ulid>,
    pub name: String,
    pub scopes: Vec<Scope>,
    /// A tenant-bound principal sees and manages only that tenant's objects.
    pub tenant: Option<String>,
}

impl Principal {
    /// A global admin: `TOCSIN_ADMIN_TOKEN`, or the server acting on its own behalf.
    pub fn admin(name: impl Into<String>) -> Self {
        Self {
            token_id: None,
            name: name.into(),
            scopes: vec![Scope::Admin],
            tenant: None,
        }
    }

    fn from_stored(t: StoredToken) -> Self {
        let mut scopes: Vec<Scope> = t.scopes.iter().filter_map(|s| Scope::parse(s)).collect();
        // A tenant-bound token is never an admin, whatever was stored.
        if t.tenant.is_some() {
            scopes.retain(|s| *s != Scope::Admin);
        }
        Self {
            token_id: Some(t.id),
            name: t.name,
            scopes,
            tenant: t.tenant,
        }
    }

    pub fn has(&self, scope: Scope) -> bool {
        self.scopes.iter().any(|held| held.grants(scope))
    }

    /// Fails with 403 naming the scope when the principal lacks it.
    pub fn require(&self, scope: Scope) -> ServiceResult<()> {
        if self.has(scope) {
            Ok(())
        } else {
            Err(ServiceError::Forbidden(format!(
                "this token lacks the scope `{scope}`, which this needs"
            )))
        }
    }

    /// Whether the principal may see an object owned by `tenant` (`None`: global). A
    /// tenant-bound principal sees only its tenant's; others see everything.
    pub fn sees(&self, tenant: Option<&str>) -> bool {
        match &self.tenant {
            None => true,
            Some(own) => tenant == Some(own.as_str()),
        }
    }

    /// The tenant that objects this principal creates belong to: its own, or, for a
    /// global principal, the one asked for.
    pub fn owner_for(&self, asked: Option<&str>, field: &str) -> ServiceResult<Option<String>> {
        match (&self.tenant, asked) {
            (None, None) => Ok(None),
            (None, Some(t)) => {
                check_label_value(field, t)?;
                Ok(Some(t.to_owned()))
            }
            (Some(own), None) => Ok(Some(own.clone())),
            (Some(own), Some(t)) if t == own => Ok(Some(own.clone())),
            (Some(own), Some(_)) => Err(FieldError::new(
                field,
                format!("a token of tenant `{own}` acts only for tenant `{own}`"),
            )
            .into()),
        }
    }
}

/// Finds the principal a bearer token stands for. A stored token is looked up in the
/// database on every request, so a revoked one stops working at once on every node.
pub async fn authenticate(state: &AppState, token: &str) -> ServiceResult<Option<Principal>> {
    authenticate_hash(state, &token_hash(token)).await
}

/// Finds the principal of a token by its SHA-256 (the UI's session holds only that).
pub async fn authenticate_hash(
    state: &AppState,
    hash: &[u8; 32],
) -> ServiceResult<Option<Principal>> {
    if let Some(admin) = &state.admin_token_hash
        && bool::from(admin.ct_eq(hash))
    {
        return Ok(Some(Principal::admin("TOCSIN_ADMIN_TOKEN")));
    }
    // Looking a hash up by equality leaks nothing useful about the token: an attacker
    // cannot steer the hash prefix.
    let Some(stored) = state.store.find_token(&hex::encode(hash)).await? else {
        return Ok(None);
    };
    // `last_used_at` to the minute: one write a minute per token, not one per request.
    let now = state.now();
    if stored.last_used_at.is_none_or(|at| now - at >= 60_000)
        && let Err(e) = state.store.touch_token(stored.id, now).await
    {
        tracing::warn!(error = %e, "could not record when a token was last used");
    }
    Ok(Some(Principal::from_stored(stored)))
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
            scopes: vec![Scope::Admin.name().into()],
            tenant: None,
            created_at: state.now(),
            last_used_at: None,
        })
        .await?;
    Ok(Some(token))
}

/// A token to create.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TokenInput {
    pub name: String,
    /// `admin`, `channels:read`, `channels:write`, `rules:read`, `rules:write`,
    /// `events:write`, `deliveries:read`, `deliveries:write`, `tokens:write`.
    pub scopes: Vec<String>,
    /// Bind the token to this tenant; a tenant-bound token's own tokens are always its
    /// tenant's.
    #[serde(default)]
    pub tenant: Option<String>,
}

/// A token as listed: never the token nor its hash.
#[derive(Debug, Serialize, ToSchema, PartialEq, Eq)]
pub struct TokenView {
    pub id: String,
    pub name: String,
    pub scopes: Vec<String>,
    pub tenant: Option<String>,
    pub created_at: String,
    pub last_used_at: Option<String>,
}

/// A token just created: the only answer that shows it.
#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedToken {
    pub id: String,
    pub name: String,
    pub scopes: Vec<String>,
    pub tenant: Option<String>,
    pub created_at: String,
    /// The token itself, shown only here: keep it.
    pub token: String,
}

fn view(t: &StoredToken) -> TokenView {
    TokenView {
        id: t.id.to_string(),
        name: t.name.clone(),
        scopes: t.scopes.clone(),
        tenant: t.tenant.clone(),
        created_at: to_rfc3339(t.created_at),
        last_used_at: t.last_used_at.map(to_rfc3339),
    }
}

fn parse_scopes(names: &[String]) -> Result<Vec<Scope>, FieldError> {
    let mut scopes = Vec::with_capacity(names.len());
    for (i, name) in names.iter().enumerate() {
        let scope = Scope::parse(name).ok_or_else(|| {
            let known: Vec<&str> = Scope::ALL.iter().map(|s| s.name()).collect();
            FieldError::new(
                format!("scopes[{i}]"),
                format!("unknown scope `{name}`; scopes: {}", known.join(", ")),
            )
        })?;
        if !scopes.contains(&scope) {
            scopes.push(scope);
        }
    }
    if scopes.is_empty() {
        return Err(FieldError::new("scopes", "name at least one scope"));
    }
    Ok(scopes)
}

/// Whether `principal` may see and revoke a token: its own tenant's (for a tenant-bound
/// principal), with no scope the principal lacks itself.
fn manages(principal: &Principal, t: &StoredToken) -> bool {
    principal.sees(t.tenant.as_deref())
        && t.scopes
            .iter()
            .all(|s| Scope::parse(s).is_none_or(|s| principal.has(s)))
}

pub async fn create(
    state: &AppState,
    principal: &Principal,
    input: TokenInput,
) -> ServiceResult<CreatedToken> {
    principal.require(Scope::TokensWrite)?;
    check_name(&input.name)?;
    let scopes = parse_scopes(&input.scopes)?;
    let tenant = principal.owner_for(input.tenant.as_deref(), "tenant")?;
    if tenant.is_some() && scopes.contains(&Scope::Admin) {
        return Err(FieldError::new(
            "scopes",
            "a tenant-bound token cannot have the scope `admin`",
        )
        .into());
    }
    // No escalation: a token grants only what its creator holds.
    if let Some(missing) = scopes.iter().find(|s| !principal.has(**s)) {
        return Err(ServiceError::Forbidden(format!(
            "this token lacks the scope `{missing}`, so it cannot grant it"
        )));
    }
    let token = generate();
    let stored = StoredToken {
        id: new_id(),
        name: input.name,
        token_hash: hex::encode(token_hash(&token)),
        scopes: scopes.iter().map(|s| s.name().to_owned()).collect(),
        tenant,
        created_at: state.now(),
        last_used_at: None,
    };
    audit::apply(
        state,
        principal,
        Mutation::CreateToken(&stored),
        audit::Change {
            action: "token.created",
            target_id: stored.id.to_string(),
            tenant: stored.tenant.as_deref(),
            summary: format!(
                "token `{}` created with scopes {}",
                stored.name,
                stored.scopes.join(", ")
            ),
        },
    )
    .await?;
    Ok(CreatedToken {
        id: stored.id.to_string(),
        name: stored.name,
        scopes: stored.scopes,
        tenant: stored.tenant,
        created_at: to_rfc3339(stored.created_at),
        token,
    })
}

pub async fn list(state: &AppState, principal: &Principal) -> ServiceResult<Vec<TokenView>> {
    principal.require(Scope::TokensWrite)?;
    Ok(state
        .store
        .list_tokens()
        .await?
        .iter()
        .filter(|t| manages(principal, t))
        .map(view)
        .collect())
}

/// Revokes a token: it stops authenticating at once.
pub async fn revoke(state: &AppState, principal: &Principal, id: Ulid) -> ServiceResult<()> {
    principal.require(Scope::TokensWrite)?;
    let token = state
        .store
        .get_token(id)
        .await?
        .filter(|t| manages(principal, t))
        .ok_or(ServiceError::NotFound("token"))?;
    let revoked = audit::apply(
        state,
        principal,
        Mutation::DeleteToken(id),
        audit::Change {
            action: "token.revoked",
            target_id: token.id.to_string(),
            tenant: token.tenant.as_deref(),
            summary: format!("token `{}` revoked", token.name),
        },
    )
    .await?;
    if !revoked {
        return Err(ServiceError::NotFound("token"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn write_scopes_grant_the_read_scope_of_their_resource_and_admin_grants_all() {
        let p = Principal {
            token_id: None,
            name: "t".into(),
            scopes: vec![Scope::ChannelsWrite],
            tenant: None,
        };
        assert!(p.has(Scope::ChannelsRead));
        assert!(!p.has(Scope::RulesRead));
        assert!(Principal::admin("a").has(Scope::TokensWrite));
        let err = p.require(Scope::RulesWrite).unwrap_err().to_string();
        assert!(err.contains("`rules:write`"), "{err}");
    }

    #[test]
    fn a_tenant_principal_sees_only_its_tenant() {
        let p = Principal {
            token_id: None,
            name: "t".into(),
            scopes: vec![],
            tenant: Some("acme".into()),
        };
        assert!(p.sees(Some("acme")));
        assert!(!p.sees(Some("globex")));
        assert!(!p.sees(None));
        assert!(Principal::admin("a").sees(Some("globex")));
    }

    #[test]
    fn a_stored_tenant_token_is_never_an_admin() {
        let p = Principal::from_stored(StoredToken {
            id: Ulid::nil(),
            name: "t".into(),
            token_hash: String::new(),
            scopes: vec!["admin".into(), "rules:read".into()],
            tenant: Some("acme".into()),
            created_at: 0,
            last_used_at: None,
        });
        assert_eq!(p.scopes, [Scope::RulesRead]);
    }
}
