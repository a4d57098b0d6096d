//! Sender profiles: an email server, its credentials and from address, set once and used by
//! the email channels that name it (`"profile": "<id>"`) or, for channels of its kind that
//! carry no sender fields of their own, by the kind's default profile.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use tocsin_core::FieldError;
use tocsin_core::channel::{ChannelConfig, check_name};
use tocsin_core::id::new_id;
use tocsin_core::profile::{SenderProfile, merge};
use tocsin_core::time::to_rfc3339;
use tocsin_providers::Kind;
use tocsin_store::ProfileDeletion;
use ulid::Ulid;
use utoipa::ToSchema;

use super::audit::{self, Change};
use super::{Principal, Scope, ServiceError, ServiceResult, parse_id};
use crate::state::AppState;

/// The channel setting that names a profile.
pub const PROFILE_SETTING: &str = "profile";
/// Stands in for a channel's recipients when a profile alone is checked.
const PLACEHOLDER_RECIPIENT: &str = "recipient@example.invalid";

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProfileInput {
    pub name: Option<String>,
    /// `email`, `resend` or `ses`.
    pub kind: Option<String>,
    /// Sender fields of the kind: server, port, security, from, region, …
    #[schema(value_type = Option<Object>)]
    pub settings: Option<Map<String, Value>>,
    /// Write-only credentials; on update, a secret left out keeps its stored value.
    #[schema(value_type = Option<Object>)]
    pub secrets: Option<Map<String, Value>>,
    /// Channels of this kind without sender fields of their own use the default profile.
    pub is_default: Option<bool>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ProfileView {
    pub id: String,
    pub name: String,
    pub kind: String,
    #[schema(value_type = Object)]
    pub settings: Map<String, Value>,
    /// `{"name": "set"}` for every stored secret.
    #[schema(value_type = Object)]
    pub secrets: Value,
    pub is_default: bool,
    pub created_at: String,
    pub updated_at: String,
}

impl From<&SenderProfile> for ProfileView {
    fn from(p: &SenderProfile) -> Self {
        Self {
            id: p.id.to_string(),
            name: p.name.clone(),
            kind: p.kind.clone(),
            settings: p.config.settings.clone(),
            secrets: p.config.secrets.redacted(),
            is_default: p.is_default,
            created_at: to_rfc3339(p.created_at),
            updated_at: to_rfc3339(p.updated_at),
        }
    }
}

fn profile_kind(name: &str) -> Result<Kind, FieldError> {
    let kinds: Vec<&str> = Kind::ALL
        .iter()
        .filter(|k| !k.provider().profile_fields().is_empty())
        .map(|k| k.name())
        .collect();
    Kind::parse(name)
        .filter(|k| !k.provider().profile_fields().is_empty())
        .ok_or_else(|| {
            FieldError::new(
                "kind",
                format!(
                    "`{name}` has no sender profiles; profiles are for {}",
                    kinds.join(", ")
                ),
            )
        })
}

/// Checks a profile's fields: only sender fields, and together with recipients they make a
/// complete channel of the kind.
fn check_profile(
    kind: Kind,
    settings: Map<String, Value>,
    secrets: Map<String, Value>,
    previous: Option<&ChannelConfig>,
) -> Result<ChannelConfig, FieldError> {
    let fields = kind.provider().profile_fields();
    for (section, map) in [("settings", &settings), ("secrets", &secrets)] {
        if let Some(name) = map.keys().find(|k| !fields.contains(&k.as_str())) {
            return Err(FieldError::new(
                format!("{section}.{name}"),
                format!(
                    "is not a sender field of `{}`; a profile holds {}",
                    kind.name(),
                    fields.join(", ")
                ),
            ));
        }
    }
    let mut with_recipient = settings;
    with_recipient.insert("to".into(), Value::String(PLACEHOLDER_RECIPIENT.into()));
    let checked = tocsin_providers::configure(kind, with_recipient, secrets, previous)?;
    Ok(only(fields, &checked))
}

/// The part of `config` made of `fields`.
fn only(fields: &[&str], config: &ChannelConfig) -> ChannelConfig {
    let mut out = ChannelConfig::default();
    for (k, v) in &config.settings {
        if fields.contains(&k.as_str()) {
            out.settings.insert(k.clone(), v.clone());
        }
    }
    for (k, v) in config.secrets.iter_exposed() {
        if fields.contains(&k) {
            out.secrets.insert(k, v);
        }
    }
    out
}

/// The profile a channel of `kind` with `config` uses: the one it names, else the kind's
/// default when the channel lacks sender fields the kind requires. `None` for kinds without
/// profiles and for channels with all their own sender fields.
pub async fn profile_for(
    state: &AppState,
    kind: Kind,
    config: &ChannelConfig,
) -> ServiceResult<Option<SenderProfile>> {
    let provider = kind.provider();
    let fields = provider.profile_fields();
    if fields.is_empty() {
        return Ok(None);
    }
    if let Some(id) = config.str_setting(PROFILE_SETTING) {
        let id = parse_id(&format!("settings.{PROFILE_SETTING}"), id)?;
        return match state.store.get_profile(id).await? {
            Some(p) if p.kind == kind.name() => Ok(Some(p)),
            Some(p) => Err(FieldError::new(
                format!("settings.{PROFILE_SETTING}"),
                format!(
                    "names a `{}` profile; a `{}` channel needs a `{}` profile",
                    p.kind,
                    kind.name(),
                    kind.name()
                ),
            )
            .into()),
            None => Err(FieldError::new(
                format!("settings.{PROFILE_SETTING}"),
                "names a sender profile that does not exist",
            )
            .into()),
        };
    }
    let schema = provider.schema();
    let lacks_required = fields.iter().any(|name| {
        schema.field(name).is_some_and(|f| f.required)
            && !config.settings.contains_key(*name)
            && !config.secrets.contains(name)
    });
    if lacks_required {
        Ok(state.store.default_profile(kind.name()).await?)
    } else {
        Ok(None)
    }
}

/// A channel's configuration ready to render: its own fields with its profile's filled in.
pub async fn complete(
    state: &AppState,
    kind: Kind,
    config: &ChannelConfig,
) -> ServiceResult<ChannelConfig> {
    Ok(match profile_for(state, kind, config).await? {
        Some(profile) => merge(config, &profile.config),
        None => config.clone(),
    })
}

/// Checks a channel whose sender fields may come from a profile: the merged configuration
/// must be valid; what is stored is the channel's own part, so that a change of the profile
/// reaches every channel that uses it.
pub async fn configure_channel(
    state: &AppState,
    kind: Kind,
    settings: Map<String, Value>,
    secrets: Map<String, Value>,
    previous: Option<&ChannelConfig>,
) -> ServiceResult<ChannelConfig> {
    let fields = kind.provider().profile_fields();
    if fields.is_empty() {
        return Ok(tocsin_providers::configure(
            kind, settings, secrets, previous,
        )?);
    }
    // The channel's own fields: what it gives now and what it stored before.
    let mut own = previous.cloned().unwrap_or_default();
    for (k, v) in &settings {
        if v.is_null() {
            own.settings.remove(k);
        } else {
            own.settings.insert(k.clone(), v.clone());
        }
    }
    for (k, v) in &secrets {
        match v.as_str() {
            Some(text) if !text.is_empty() => own.secrets.insert(k.clone(), text),
            _ => own.secrets.remove(k),
        }
    }
    let profile = profile_for(state, kind, &own).await?;
    let Some(profile) = profile else {
        return Ok(tocsin_providers::configure(
            kind, settings, secrets, previous,
        )?);
    };
    let merged = merge(&own, &profile.config);
    let secrets_map: Map<String, Value> = merged
        .secrets
        .iter_exposed()
        .map(|(k, v)| (k.to_owned(), Value::String(v.to_owned())))
        .collect();
    let checked = tocsin_providers::configure(kind, merged.settings, secrets_map, None)?;
    // Keep the profile's fields out of the channel unless the channel set them itself.
    let mut stored = checked;
    for field in fields {
        if !own.settings.contains_key(*field) {
            stored.settings.remove(*field);
        }
        if !own.secrets.contains(field) {
            stored.secrets.remove(field);
        }
    }
    Ok(stored)
}

fn change(profile: &SenderProfile, action: &'static str) -> Change<'static> {
    let verb = action.rsplit('.').next().unwrap_or(action);
    Change {
        action,
        target_id: profile.id.to_string(),
        tenant: None,
        summary: format!(
            "sender profile `{}` ({}) {verb}",
            profile.name, profile.kind
        ),
    }
}

/// Sender profiles are server-wide: every operation on them takes `admin`.
pub async fn create(
    state: &AppState,
    principal: &Principal,
    input: ProfileInput,
) -> ServiceResult<ProfileView> {
    principal.require(Scope::Admin)?;
    let now = state.now();
    let name = input
        .name
        .ok_or_else(|| FieldError::new("name", "is required"))?;
    check_name(&name)?;
    let kind_name = input
        .kind
        .ok_or_else(|| FieldError::new("kind", "is required: email, resend or ses"))?;
    let kind = profile_kind(&kind_name)?;
    let config = check_profile(
        kind,
        input.settings.unwrap_or_default(),
        input.secrets.unwrap_or_default(),
        None,
    )?;
    let profile = SenderProfile {
        id: new_id(),
        name,
        kind: kind.name().to_owned(),
        config,
        is_default: input.is_default.unwrap_or(false),
        created_at: now,
        updated_at: now,
    };
    state.store.create_profile(&profile).await?;
    audit::record(state, principal, change(&profile, "profile.created")).await;
    Ok(ProfileView::from(&profile))
}

async fn stored(state: &AppState, id: Ulid) -> ServiceResult<SenderProfile> {
    state
        .store
        .get_profile(id)
        .await?
        .ok_or(ServiceError::NotFound("sender profile"))
}

pub async fn get(state: &AppState, principal: &Principal, id: Ulid) -> ServiceResult<ProfileView> {
    principal.require(Scope::Admin)?;
    Ok(ProfileView::from(&stored(state, id).await?))
}

pub async fn list(state: &AppState, principal: &Principal) -> ServiceResult<Vec<ProfileView>> {
    principal.require(Scope::Admin)?;
    Ok(state
        .store
        .list_profiles()
        .await?
        .iter()
        .map(ProfileView::from)
        .collect())
}

/// Changes a profile: given settings replace stored ones key by key (`null` removes one),
/// secrets left out are kept. Every channel using it sends with the new values.
pub async fn update(
    state: &AppState,
    principal: &Principal,
    id: Ulid,
    input: ProfileInput,
) -> ServiceResult<ProfileView> {
    principal.require(Scope::Admin)?;
    let previous = stored(state, id).await?;
    if let Some(k) = &input.kind
        && *k != previous.kind
    {
        return Err(FieldError::new(
            "kind",
            "a profile's kind cannot change; create a new profile",
        )
        .into());
    }
    let kind = profile_kind(&previous.kind)?;
    let name = input.name.unwrap_or_else(|| previous.name.clone());
    check_name(&name)?;
    let mut settings = previous.config.settings.clone();
    for (k, v) in input.settings.unwrap_or_default() {
        if v.is_null() {
            settings.remove(&k);
        } else {
            settings.insert(k, v);
        }
    }
    let config = check_profile(
        kind,
        settings,
        input.secrets.unwrap_or_default(),
        Some(&previous.config),
    )?;
    let profile = SenderProfile {
        name,
        config,
        is_default: input.is_default.unwrap_or(previous.is_default),
        updated_at: state.now(),
        ..previous
    };
    state.store.update_profile(&profile).await?;
    audit::record(state, principal, change(&profile, "profile.updated")).await;
    Ok(ProfileView::from(&profile))
}

/// Deletes a profile no channel names; otherwise says which channels use it.
pub async fn delete(state: &AppState, principal: &Principal, id: Ulid) -> ServiceResult<()> {
    principal.require(Scope::Admin)?;
    let profile = stored(state, id).await?;
    match state.store.delete_profile(id).await? {
        ProfileDeletion::Deleted => {
            audit::record(state, principal, change(&profile, "profile.deleted")).await;
            Ok(())
        }
        ProfileDeletion::NotFound => Err(ServiceError::NotFound("sender profile")),
        ProfileDeletion::InUse(channels) => {
            let names: Vec<String> = channels
                .iter()
                .map(|(id, name)| format!("{name} ({id})"))
                .collect();
            Err(ServiceError::Conflict(format!(
                "the profile is used by {}; point them elsewhere first",
                names.join(", ")
            )))
        }
    }
}
