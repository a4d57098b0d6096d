//! Configuration as code: the channels and rules `tocsin.toml` declares are made to exist
//! as declared, at start, on SIGHUP and on `POST /api/v1/reload`.
//!
//! A declared object is found by the name it is declared under (stored beside it with a
//! hash of its declaration): a new name is created, a changed declaration updated, an
//! unchanged one left alone, and a name that was declared before and is gone now removed.
//! Objects made through the API or UI are never touched; the API refuses (409) to change
//! or delete declared ones, whose source is the file. Secret references (`${env:NAME}`,
//! `${file:/path}`) are stored as written; they are resolved where they are used.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;
use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};
use tocsin_core::FieldError;
use tocsin_core::mute::{MuteWindow, WhileMuted};
use tocsin_store::{Declared, DeclaredRow, Managed};
use ulid::Ulid;
use utoipa::ToSchema;

use super::channels::{self, ChannelInput};
use super::rules::{self, RuleInput};
use super::{Principal, Scope, ServiceError, ServiceResult};
use crate::declared::{DeclaredChannel, DeclaredRule};
use crate::state::AppState;

/// What one reconcile did, by object and name.
#[derive(Debug, Default, Serialize, ToSchema, PartialEq, Eq)]
pub struct ReconcileSummary {
    pub channels: ReconcileChanges,
    pub rules: ReconcileChanges,
    /// Declarations that could not be applied; everything else was.
    pub errors: Vec<ReconcileError>,
}

#[derive(Debug, Default, Serialize, ToSchema, PartialEq, Eq)]
pub struct ReconcileChanges {
    pub created: Vec<String>,
    pub updated: Vec<String>,
    pub removed: Vec<String>,
    pub unchanged: Vec<String>,
}

#[derive(Debug, Serialize, ToSchema, PartialEq, Eq)]
pub struct ReconcileError {
    /// `channel` or `rule`.
    pub object: String,
    pub name: String,
    pub message: String,
}

impl ReconcileSummary {
    fn error(&mut self, object: &str, name: &str, e: impl std::fmt::Display) {
        self.errors.push(ReconcileError {
            object: object.into(),
            name: name.into(),
            message: e.to_string(),
        });
    }
}

/// One reconcile at a time in this process: two at once could both create a new name.
static RUNNING: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// Reads the configuration file again and reconciles what it declares. Nothing changes
/// when the file cannot be read or is not valid. Only an admin may reload.
pub async fn reload(state: &AppState, principal: &Principal) -> ServiceResult<ReconcileSummary> {
    principal.require(Scope::Admin)?;
    let Some(path) = state.config.source.clone() else {
        return Err(ServiceError::Conflict(
            "Tocsin was started without a configuration file; there is nothing to reload".into(),
        ));
    };
    let config = crate::Config::load(Some(&path), figment::Figment::new())
        .map_err(|e| ServiceError::Invalid(FieldError::new("config", e.to_string())))?;
    reconcile(state, principal, &config.channels, &config.rules).await
}

/// Makes the declared channels and rules exist as declared, and removes the declared ones
/// the declarations no longer name. Every change goes through the service layer as
/// `principal` (the server uses an admin principal named `config file`), so it is checked
/// and audited like a change made through the API.
pub async fn reconcile(
    state: &AppState,
    principal: &Principal,
    channels: &[DeclaredChannel],
    rules: &[DeclaredRule],
) -> ServiceResult<ReconcileSummary> {
    principal.require(Scope::Admin)?;
    let _one = RUNNING.lock().await;
    let mut summary = ReconcileSummary::default();
    let stored_channels = by_name(state.store.list_declared(Managed::Channel).await?);
    let stored_rules = by_name(state.store.list_declared(Managed::Rule).await?);

    // Channels first: rules name them.
    let mut channel_ids: BTreeMap<String, Ulid> = BTreeMap::new();
    for declared in channels {
        let name = declared.name.as_str();
        let hash = hash(&json!(declared));
        let result = match stored_channels.get(name) {
            Some(row) if row.hash == hash => {
                summary.channels.unchanged.push(name.into());
                Ok(row.id)
            }
            Some(row) => update_channel(state, principal, row.id, declared, &hash)
                .await
                .map(|()| {
                    summary.channels.updated.push(name.into());
                    row.id
                }),
            None => create_channel(state, principal, declared, &hash)
                .await
                .inspect(|_| {
                    summary.channels.created.push(name.into());
                }),
        };
        match result {
            Ok(id) => {
                channel_ids.insert(name.to_owned(), id);
            }
            Err(e) => {
                // A declared channel that fails keeps what it was; rules may still name it.
                if let Some(row) = stored_channels.get(name) {
                    channel_ids.insert(name.to_owned(), row.id);
                }
                summary.error("channel", name, e);
            }
        }
    }

    // Mute windows are made through the API; declared rules name them by name or id.
    let windows = if rules
        .iter()
        .any(|r| r.mute.as_ref().is_some_and(|m| !m.is_empty()))
    {
        state.store.list_mute_windows().await?
    } else {
        Vec::new()
    };
    for declared in rules {
        let name = declared.name.as_str();
        let ids: Result<Vec<String>, String> = declared
            .channels
            .iter()
            .map(|c| match channel_ids.get(c) {
                Some(id) => Ok(id.to_string()),
                None if c.parse::<Ulid>().is_ok() => Ok(c.clone()),
                None => Err(format!("no channel named `{c}` is declared")),
            })
            .collect();
        let ids = ids.and_then(|ids| Ok((ids, mute_ids(declared, &windows)?)));
        let (ids, mute) = match ids {
            Ok(ids) => ids,
            Err(e) => {
                summary.error("rule", name, e);
                continue;
            }
        };
        // The channels' and windows' ids are part of what is declared: one made again gets
        // a new id, and its rules must follow it.
        let hash = if mute.is_empty() {
            hash(&json!({"rule": declared, "channel_ids": ids}))
        } else {
            hash(&json!({"rule": declared, "channel_ids": ids, "mute_ids": mute}))
        };
        let input = || rule_input(declared, &ids, &mute);
        let result = match stored_rules.get(name) {
            Some(row) if row.hash == hash => {
                summary.rules.unchanged.push(name.into());
                Ok(())
            }
            Some(row) => async {
                rules::apply_update(state, principal, row.id, input()?).await?;
                state
                    .store
                    .set_declared(Managed::Rule, row.id, Some((name, &hash)))
                    .await?;
                Ok::<(), ServiceError>(())
            }
            .await
            .map(|()| summary.rules.updated.push(name.into())),
            None => async {
                let declared = Declared { name, hash: &hash };
                rules::create_as(state, principal, input()?, Some(declared)).await?;
                Ok::<(), ServiceError>(())
            }
            .await
            .map(|()| summary.rules.created.push(name.into())),
        };
        if let Err(e) = result {
            summary.error("rule", name, e);
        }
    }

    // Removals last, rules before channels.
    let rule_names: BTreeSet<&str> = rules.iter().map(|r| r.name.as_str()).collect();
    for (name, row) in &stored_rules {
        if !rule_names.contains(name.as_str()) {
            match rules::apply_delete(state, principal, row.id).await {
                Ok(()) | Err(ServiceError::NotFound(_)) => summary.rules.removed.push(name.clone()),
                Err(e) => summary.error("rule", name, e),
            }
        }
    }
    let channel_names: BTreeSet<&str> = channels.iter().map(|c| c.name.as_str()).collect();
    for (name, row) in &stored_channels {
        if !channel_names.contains(name.as_str()) {
            match channels::apply_delete(state, principal, row.id).await {
                Ok(()) | Err(ServiceError::NotFound(_)) => {
                    summary.channels.removed.push(name.clone())
                }
                Err(e) => summary.error("channel", name, e),
            }
        }
    }
    Ok(summary)
}

fn by_name(rows: Vec<DeclaredRow>) -> BTreeMap<String, DeclaredRow> {
    rows.into_iter().map(|r| (r.name.clone(), r)).collect()
}

fn hash(value: &Value) -> String {
    hex::encode(Sha256::digest(value.to_string().as_bytes()))
}

fn parse(id: &str) -> ServiceResult<Ulid> {
    id.parse()
        .map_err(|_| ServiceError::Conflict(format!("the store returned a bad id `{id}`")))
}

async fn create_channel(
    state: &AppState,
    principal: &Principal,
    declared: &DeclaredChannel,
    hash: &str,
) -> ServiceResult<Ulid> {
    // Made already marked, in one transaction: a crash cannot leave an unmarked copy
    // that the next reconcile would not find and would make a second time.
    let marker = Declared {
        name: &declared.name,
        hash,
    };
    let input = channel_input(declared, None)?;
    let view = channels::create_as(state, principal, input, Some(marker)).await?;
    parse(&view.id)
}

async fn update_channel(
    state: &AppState,
    principal: &Principal,
    id: Ulid,
    declared: &DeclaredChannel,
    hash: &str,
) -> ServiceResult<()> {
    let previous = state.store.get_channel(id).await?;
    let input = channel_input(declared, previous.as_ref().map(|c| &c.config.settings))?;
    channels::apply_update(state, principal, id, input).await?;
    state
        .store
        .set_declared(Managed::Channel, id, Some((&declared.name, hash)))
        .await?;
    Ok(())
}

/// The API input that makes a channel exactly as declared: every field given, and on
/// update the settings the declaration no longer has removed.
fn channel_input(
    d: &DeclaredChannel,
    previous_settings: Option<&Map<String, Value>>,
) -> ServiceResult<ChannelInput> {
    let mut settings = d.settings.clone();
    if d.url.is_none()
        && let Some(previous) = previous_settings
    {
        for key in previous.keys() {
            settings.entry(key.clone()).or_insert(Value::Null);
        }
    }
    let filter_given = d.match_labels.is_some() || d.matchers.is_some() || d.min_severity.is_some();
    let events = match &d.events {
        Some(list) => Some(Some(list.clone())),
        None if filter_given => None,
        None => Some(Some(vec!["@defaults".to_owned()])),
    };
    let min_severity = d
        .min_severity
        .as_deref()
        .map(|s| {
            s.parse()
                .map_err(|m: String| FieldError::new("min_severity", m))
        })
        .transpose()?;
    Ok(ChannelInput {
        name: Some(d.name.clone()),
        kind: d.kind.clone(),
        url: d.url.clone(),
        settings: Some(settings),
        secrets: Some(d.secrets.clone()),
        events,
        match_labels: Some(d.match_labels.clone().unwrap_or_default()),
        matchers: Some(d.matchers.clone().unwrap_or_default()),
        min_severity,
        enabled: Some(d.enabled.unwrap_or(true)),
        tags: Some(d.tags.clone()),
        retry_schedule: Some(d.retry_schedule.as_ref().map(|s| json!(s))),
        // Declared channels are server-wide: no tenant, no projects.
        tenant: None,
        projects: None,
    })
}

/// The ids of the mute windows a declared rule names: an id stands for itself, a name
/// must be the name of exactly one window.
fn mute_ids(d: &DeclaredRule, windows: &[MuteWindow]) -> Result<Vec<String>, String> {
    d.mute
        .iter()
        .flatten()
        .map(|m| {
            let named: Vec<&MuteWindow> = windows.iter().filter(|w| w.name == *m).collect();
            match named.as_slice() {
                [w] => Ok(w.id.to_string()),
                [] if m.parse::<Ulid>().is_ok() => Ok(m.clone()),
                [] => Err(format!("no mute window is named `{m}`")),
                _ => Err(format!(
                    "{} mute windows are named `{m}`; name it by its id",
                    named.len()
                )),
            }
        })
        .collect()
}

/// The API input that makes a rule exactly as declared.
fn rule_input(
    d: &DeclaredRule,
    channel_ids: &[String],
    mute: &[String],
) -> ServiceResult<RuleInput> {
    let min_severity = d
        .min_severity
        .as_deref()
        .map(|s| {
            s.parse()
                .map_err(|m: String| FieldError::new("min_severity", m))
        })
        .transpose()?;
    Ok(RuleInput {
        name: Some(d.name.clone()),
        events: Some(d.events.clone()),
        match_labels: Some(d.match_labels.clone().unwrap_or_default()),
        matchers: Some(d.matchers.clone().unwrap_or_default()),
        min_severity: Some(min_severity),
        channels: Some(channel_ids.to_vec()),
        enabled: Some(d.enabled.unwrap_or(true)),
        recipients: Some(d.recipients.clone()),
        mute: Some(mute.to_vec()),
        while_muted: Some(
            d.while_muted
                .as_deref()
                .map(WhileMuted::parse)
                .transpose()
                .map_err(|m| FieldError::new("while_muted", m))?
                .unwrap_or_default(),
        ),
        critical_breaks_through: Some(d.critical_breaks_through.unwrap_or(false)),
        repeat_interval: Some(d.repeat_interval.clone()),
        template: Some(d.template.clone()),
        digest: Some(d.digest.clone()),
        tenant: None,
    })
}

/// The ids of the declared channels or rules.
pub async fn declared_ids(state: &AppState, object: Managed) -> ServiceResult<BTreeSet<Ulid>> {
    Ok(state
        .store
        .list_declared(object)
        .await?
        .into_iter()
        .map(|r| r.id)
        .collect())
}

/// Sets a view's `managed_by` to `config` when the object is declared.
pub async fn mark_view(
    state: &AppState,
    object: Managed,
    id: Ulid,
    managed_by: &mut String,
) -> ServiceResult<()> {
    if declared_ids(state, object).await?.contains(&id) {
        *managed_by = "config".into();
    }
    Ok(())
}

/// 409 for an object the configuration file declares.
pub async fn refuse_declared(state: &AppState, object: Managed, id: Ulid) -> ServiceResult<()> {
    if declared_ids(state, object).await?.contains(&id) {
        let what = match object {
            Managed::Channel => "channel",
            Managed::Rule => "rule",
        };
        return Err(ServiceError::Conflict(format!(
            "this {what} is managed by the configuration file; change it there and reload"
        )));
    }
    Ok(())
}
