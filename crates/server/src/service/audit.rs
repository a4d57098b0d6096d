//! The audit log: every change of configuration, who made it, and the
//! `audit.<resource>.<action>` event that announces it, so that rules can notify people of
//! configuration changes. The entry and its event (with the event's deliveries) are
//! written in one transaction.
//!
//! No loops: recording a change is not itself a change; an audit event's deliveries
//! change nothing; and clients cannot post these types (`catalog::is_tocsin_audit`), so
//! the trail cannot be forged.

use serde::{Deserialize, Serialize};
use serde_json::json;
use tocsin_core::event::{Event, Severity};
use tocsin_core::id::new_id;
use tocsin_core::routing::route;
use tocsin_core::time::to_rfc3339;
use tocsin_store::{Audit, AuditEntry, AuditQuery, Mutation, NewDelivery};
use utoipa::{IntoParams, ToSchema};

use super::tokens::{Principal, Scope};
use super::{ServiceError, ServiceResult, parse_id};
use crate::state::AppState;

/// A change to record.
pub struct Change<'a> {
    /// `<resource>.<action>`: `channel.created`, `token.revoked`, …
    pub action: &'static str,
    pub target_id: String,
    /// The tenant of the changed object.
    pub tenant: Option<&'a str>,
    /// What changed, in words; never a secret.
    pub summary: String,
}

/// Makes `mutation` and records it as `change`, with its `audit.*` event, in one
/// transaction: a change is never made without its entry. False when a delete found
/// nothing (and nothing was written).
pub(crate) async fn apply(
    state: &AppState,
    principal: &Principal,
    mutation: Mutation<'_>,
    change: Change<'_>,
) -> ServiceResult<bool> {
    let entry = prepare(state, principal, change).await?;
    let done = state
        .store
        .record_audit(Some(mutation), &entry.audit())
        .await?;
    if done && !entry.deliveries.is_empty() {
        state.wake.notify_one();
    }
    Ok(done)
}

/// Records a change that has been committed on its own (mute windows, sender profiles,
/// metrics tokens, retries), with its `audit.*` event. A failure is logged, not returned:
/// the change itself is done and must not be reported as failed.
pub async fn record(state: &AppState, principal: &Principal, change: Change<'_>) {
    let written = match prepare(state, principal, change).await {
        Ok(entry) => state
            .store
            .record_audit(None, &entry.audit())
            .await
            .map(|_| {
                if !entry.deliveries.is_empty() {
                    state.wake.notify_one();
                }
            })
            .map_err(ServiceError::from),
        Err(e) => Err(e),
    };
    if let Err(e) = written {
        tracing::error!(error = %e, "could not write an audit entry");
    }
}

/// An audit entry with its event and the event's deliveries, ready to be written.
struct Prepared {
    entry: AuditEntry,
    event: Event,
    deliveries: Vec<NewDelivery>,
}

impl Prepared {
    fn audit(&self) -> Audit<'_> {
        Audit {
            entry: &self.entry,
            event: &self.event,
            deliveries: &self.deliveries,
        }
    }
}

/// The entry and its event, routed through the rules as they are before the change.
async fn prepare(
    state: &AppState,
    principal: &Principal,
    change: Change<'_>,
) -> ServiceResult<Prepared> {
    let now = state.now();
    let entry_id = new_id();
    let event_type = format!("audit.{}", change.action);
    let destructive = change.action.ends_with(".deleted") || change.action.ends_with(".revoked");
    let mut source =
        std::collections::BTreeMap::from([("application".to_owned(), "tocsin".to_owned())]);
    if let Some(tenant) = change.tenant {
        source.insert("customer".into(), tenant.to_owned());
    }
    let event = Event {
        id: new_id(),
        event_type,
        title: capitalised(&change.summary),
        message: format!("{} by {}", change.summary, principal.name),
        severity: if destructive {
            Severity::Warning
        } else {
            Severity::Info
        },
        source,
        data: json!({
            "action": change.action,
            "target_id": change.target_id,
            "actor": {
                "id": principal.token_id.map(|id| id.to_string()),
                "name": principal.name,
            },
            "audit_id": entry_id.to_string(),
        }),
        idempotency_key: None,
        state_key: None,
        state: None,
        occurred_at: now,
        received_at: now,
    };
    let snapshot = state.routing.get(state.store.as_ref()).await?;
    let deliveries: Vec<NewDelivery> = route(
        &event,
        &snapshot.rules,
        &snapshot.gates(),
        &snapshot.mute_windows,
    )
    .into_iter()
    .map(|r| NewDelivery {
        id: new_id(),
        channel_id: r.channel,
        recipients: r.recipients,
        template: r.template,
        rules: r.rules,
    })
    .collect();
    let entry = AuditEntry {
        id: entry_id,
        at: now,
        actor_id: principal.token_id,
        actor_name: principal.name.clone(),
        tenant: change.tenant.map(String::from),
        action: change.action.to_owned(),
        target_id: change.target_id,
        summary: change.summary,
        event_id: Some(event.id),
    };
    Ok(Prepared {
        entry,
        event,
        deliveries,
    })
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// One entry of the audit log.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuditView {
    pub id: String,
    pub at: String,
    /// The token that made the change (`null` for `TOCSIN_ADMIN_TOKEN`) and its name.
    pub actor_id: Option<String>,
    pub actor_name: String,
    pub tenant: Option<String>,
    /// `channel.created`, `rule.updated`, `token.revoked`, …
    pub action: String,
    pub target_id: String,
    pub summary: String,
    /// The `audit.*` event that announced the change.
    pub event_id: Option<String>,
}

#[derive(Debug, Default, Deserialize, IntoParams)]
pub struct AuditParams {
    /// Only entries older than this id (paging).
    pub before: Option<String>,
    /// At most this many (default 50, at most 500).
    pub limit: Option<u32>,
}

/// The audit log, newest first: everything for an admin, the tenant's own entries for a
/// tenant-bound token that may read its channels or rules.
pub async fn list(
    state: &AppState,
    principal: &Principal,
    params: AuditParams,
) -> ServiceResult<Vec<AuditView>> {
    match &principal.tenant {
        None => principal.require(Scope::Admin)?,
        Some(_) if principal.has(Scope::ChannelsRead) || principal.has(Scope::RulesRead) => {}
        Some(_) => {
            return Err(ServiceError::Forbidden(
                "this token lacks the scope `channels:read` or `rules:read`, which this needs"
                    .into(),
            ));
        }
    }
    let query = AuditQuery {
        tenant: principal.tenant.clone(),
        before: params.before.map(|b| parse_id("before", &b)).transpose()?,
        limit: crate::api::page_limit(params.limit),
    };
    Ok(state
        .store
        .list_audit(&query)
        .await?
        .into_iter()
        .map(|a| AuditView {
            id: a.id.to_string(),
            at: to_rfc3339(a.at),
            actor_id: a.actor_id.map(|id| id.to_string()),
            actor_name: a.actor_name,
            tenant: a.tenant,
            action: a.action,
            target_id: a.target_id,
            summary: a.summary,
            event_id: a.event_id.map(|id| id.to_string()),
        })
        .collect())
}
