//! API tokens and tenants: the tokens the signed-in principal manages (never a secret,
//! only names, scopes, tenant and times), creating one (its secret shown once), revoking
//! one after a confirmation, and the tenants: the principal's own, or for an admin every
//! tenant seen on channels, rules and tokens.

use std::collections::BTreeMap;

use askama::Template;
use axum::Router;
use axum::extract::Path;
use axum::response::IntoResponse;
use axum::routing::get;

use super::{Ctx, Page, UiState, done, form, html};
use crate::service::tokens::{self, CreatedToken, Scope, TokenInput, TokenView};
use crate::service::{ServiceError, channels, parse_id, rules};

pub fn routes() -> Router<UiState> {
    Router::new()
        .route("/ui/tokens", get(list).post(create))
        .route("/ui/tokens/{id}/revoke", get(confirm_revoke).post(revoke))
}

/// A scope as the form offers it.
pub struct ScopeBox {
    pub name: &'static str,
    /// The Fluent key of its description (`scope-channels-write`).
    pub key: String,
    pub checked: bool,
}

/// A tenant with what it owns, as far as the principal sees.
pub struct TenantRow {
    pub name: String,
    pub channels: u64,
    pub rules: u64,
    pub tokens: u64,
}

#[derive(Template)]
#[template(path = "ui/tokens.html")]
struct TokensPage {
    c: Ctx,
    /// `None` when the principal may not manage tokens (no `tokens:write`).
    tokens: Option<Vec<TokenView>>,
    tenants: Vec<TenantRow>,
    scopes: Vec<ScopeBox>,
    created: Option<CreatedToken>,
    error: Option<String>,
    name: String,
    tenant: String,
}

fn scope_key(name: &str) -> String {
    format!("scope-{}", name.replace(':', "-"))
}

fn message(c: &Ctx, e: &ServiceError) -> String {
    match e {
        ServiceError::Invalid(f) if f.message == "is required" => c.t("error-required"),
        ServiceError::Invalid(f) => format!("{}: {}", f.field, f.message),
        ServiceError::Forbidden(m) => c.forbidden(m),
        other => other.to_string(),
    }
}

/// Every tenant the principal may know of: its own, or for an admin the distinct tenants
/// of channels, rules and tokens.
async fn tenants(c: &Ctx, tokens: &[TokenView]) -> Result<Vec<TenantRow>, ServiceError> {
    fn row<'a>(seen: &'a mut BTreeMap<String, TenantRow>, name: &str) -> &'a mut TenantRow {
        seen.entry(name.to_owned()).or_insert_with(|| TenantRow {
            name: name.to_owned(),
            channels: 0,
            rules: 0,
            tokens: 0,
        })
    }
    let mut seen: BTreeMap<String, TenantRow> = BTreeMap::new();
    if let Some(own) = &c.principal.tenant {
        row(&mut seen, own);
    }
    if c.principal.tenant.is_none() && !c.principal.has(Scope::Admin) {
        return Ok(Vec::new());
    }
    if c.principal.has(Scope::ChannelsRead) {
        for ch in channels::list(c.app(), &c.principal).await? {
            if let Some(t) = &ch.tenant {
                row(&mut seen, t).channels += 1;
            }
        }
    }
    if c.principal.has(Scope::RulesRead) {
        for r in rules::list(c.app(), &c.principal).await? {
            if let Some(t) = &r.tenant {
                row(&mut seen, t).rules += 1;
            }
        }
    }
    for t in tokens {
        if let Some(name) = &t.tenant {
            row(&mut seen, name).tokens += 1;
        }
    }
    Ok(seen.into_values().collect())
}

async fn page(
    c: Ctx,
    created: Option<CreatedToken>,
    error: Option<String>,
    form: Option<&form::Form>,
) -> Page {
    let tokens = if c.principal.has(Scope::TokensWrite) {
        Some(
            tokens::list(c.app(), &c.principal)
                .await
                .map_err(|e| c.fail(e))?,
        )
    } else {
        None
    };
    let tenants = tenants(&c, tokens.as_deref().unwrap_or_default())
        .await
        .map_err(|e| c.fail(e))?;
    let ticked: Vec<&str> = form.map(|f| f.all("scope")).unwrap_or_default();
    // Only the scopes the principal holds can be granted; a tenant's token is never admin.
    let scopes = Scope::ALL
        .iter()
        .filter(|s| c.principal.has(**s))
        .filter(|s| !(c.principal.tenant.is_some() && **s == Scope::Admin))
        .map(|s| ScopeBox {
            name: s.name(),
            key: scope_key(s.name()),
            checked: ticked.contains(&s.name()),
        })
        .collect();
    let status = if error.is_some() {
        http::StatusCode::UNPROCESSABLE_ENTITY
    } else {
        http::StatusCode::OK
    };
    let name = form
        .and_then(|f| f.get("name"))
        .unwrap_or_default()
        .to_owned();
    let tenant = form
        .and_then(|f| f.get("tenant"))
        .unwrap_or_default()
        .to_owned();
    Ok((
        status,
        html(&TokensPage {
            c,
            tokens,
            tenants,
            scopes,
            created,
            error,
            name,
            tenant,
        }),
    )
        .into_response())
}

async fn list(mut c: Ctx) -> Page {
    c.nav = "api-tokens";
    page(c, None, None, None).await
}

async fn create(mut c: Ctx, f: form::Form) -> Page {
    c.nav = "api-tokens";
    let input = TokenInput {
        name: f.text("name").unwrap_or_default(),
        scopes: f.all("scope").into_iter().map(String::from).collect(),
        tenant: f.text("tenant"),
    };
    match tokens::create(c.app(), &c.principal, input).await {
        Ok(created) => page(c, Some(created), None, None).await,
        Err(
            e @ (ServiceError::Invalid(_) | ServiceError::Conflict(_) | ServiceError::Forbidden(_)),
        ) => {
            let m = message(&c, &e);
            page(c, None, Some(m), Some(&f)).await
        }
        Err(e) => Err(c.fail(e)),
    }
}

#[derive(Template)]
#[template(path = "ui/token_revoke.html")]
struct RevokePage {
    c: Ctx,
    token: TokenView,
    /// The token this session signed in with: revoking it signs out.
    own: bool,
}

async fn find(c: &Ctx, id: &str) -> Result<TokenView, axum::response::Response> {
    let not_found = || c.fail(ServiceError::NotFound("token"));
    let id = parse_id("id", id).map_err(|_| not_found())?;
    tokens::list(c.app(), &c.principal)
        .await
        .map_err(|e| c.fail(e))?
        .into_iter()
        .find(|t| t.id == id.to_string())
        .ok_or_else(not_found)
}

async fn confirm_revoke(mut c: Ctx, Path(id): Path<String>) -> Page {
    c.nav = "api-tokens";
    let token = find(&c, &id).await?;
    let own = c.principal.token_id.map(|t| t.to_string()) == Some(token.id.clone());
    Ok(html(&RevokePage { c, token, own }))
}

async fn revoke(c: Ctx, Path(id): Path<String>) -> Page {
    let id = parse_id("id", &id).map_err(|_| c.fail(ServiceError::NotFound("token")))?;
    tokens::revoke(c.app(), &c.principal, id)
        .await
        .map_err(|e| c.fail(e))?;
    Ok(done("/ui/tokens", "revoked"))
}
