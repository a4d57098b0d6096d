//! Channels: create (from fields or a URL), read, update, delete, and test-send.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use tocsin_core::FieldError;
use tocsin_core::catalog::Preset;
use tocsin_core::channel::{Channel, ChannelConfig, check_label_value, check_name};
use tocsin_core::delivery::RetrySchedule;
use tocsin_core::event::{Event, Severity};
use tocsin_core::id::new_id;
use tocsin_core::outbound::Outcome;
use tocsin_core::rule::{Rule, RuleFilter};
use tocsin_providers::{Kind, Message};
use tocsin_store::{Declared, DeliveryQuery, Mutation};
use ulid::Ulid;
use utoipa::ToSchema;

use super::audit::{self, Change};
use super::{
    ChannelView, DeliveryView, Principal, Scope, ServiceError, ServiceResult, deliveries,
    double_option, profiles, reconcile,
};
use crate::dispatch::attempt;
use crate::state::AppState;
use tocsin_store::Managed;

/// A channel as clients write it: `kind` with `settings` and `secrets`, or a `url`.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChannelInput {
    pub name: Option<String>,
    pub kind: Option<String>,
    /// The channel as a URL (`jsons://…`, `https://…`), instead of kind and settings.
    pub url: Option<String>,
    #[schema(value_type = Option<Object>)]
    pub settings: Option<Map<String, Value>>,
    /// Write-only; on update, a secret left out keeps its stored value.
    #[schema(value_type = Option<Object>)]
    pub secrets: Option<Map<String, Value>>,
    /// Event type patterns this channel subscribes to (`deploy.*`, or a preset: `@defaults`,
    /// `@destructive`). Left out on create (with no `match`, `matchers` or `min_severity`):
    /// the catalogue's defaults. `[]` subscribes to nothing; `null` on update removes the
    /// channel's own subscription.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<Vec<String>>)]
    pub events: Option<Option<Vec<String>>>,
    /// Source labels that must be equal, e.g. `{"environment": "production"}`.
    #[serde(rename = "match")]
    pub match_labels: Option<BTreeMap<String, String>>,
    /// Further matchers: `application=~api-.*`, `environment!=staging`.
    pub matchers: Option<Vec<String>>,
    pub min_severity: Option<Severity>,
    pub enabled: Option<bool>,
    pub tags: Option<Vec<String>>,
    /// Delays before each attempt, e.g. `["0s", "30s", "2m", "5m"]`; `null` on update goes
    /// back to the server's default.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<Vec<String>>)]
    pub retry_schedule: Option<Option<Value>>,
    /// The tenant that owns the channel (set on create; a tenant-bound token's channels
    /// are always its tenant's). A tenant's channel receives only events whose
    /// `source.customer` is the tenant.
    pub tenant: Option<String>,
    /// Restrict the channel to events of these `source.project` values; `[]`: any.
    pub projects: Option<Vec<String>>,
}

/// The answer to a test send.
#[derive(Debug, Serialize, ToSchema, PartialEq, Eq)]
pub struct TestResult {
    pub ok: bool,
    /// The service's HTTP status, when it answered.
    pub status: Option<u16>,
    /// What went wrong, in the service's own words where it gave any.
    pub error: Option<String>,
    pub duration_ms: u64,
    /// The `notification.test` event the send was recorded as (never routed).
    pub event_id: Option<String>,
}

fn parse_kind(name: &str) -> Result<Kind, FieldError> {
    Kind::parse(name).ok_or_else(|| {
        let known: Vec<&str> = Kind::ALL.iter().map(|k| k.name()).collect();
        FieldError::new(
            "kind",
            format!("unknown kind `{name}`; known kinds: {}", known.join(", ")),
        )
    })
}

/// A channel's kind with its settings and secrets as given, not yet checked.
type RawConfig = (Kind, Map<String, Value>, Map<String, Value>);

/// Kind, settings and secrets from the input: a URL, or kind with settings and secrets.
/// `previous` is the stored channel on update.
fn raw_config(input: &ChannelInput, previous: Option<&Channel>) -> Result<RawConfig, FieldError> {
    if let Some(url) = &input.url {
        let (kind, mut from_url) = tocsin_providers::from_url(url)?;
        if let Some(k) = &input.kind
            && parse_kind(k)? != kind
        {
            return Err(FieldError::new(
                "kind",
                format!("the URL is a `{}` channel", kind.name()),
            ));
        }
        if let Some(prev) = previous
            && prev.kind != kind.name()
        {
            return Err(FieldError::new(
                "url",
                "a channel's kind cannot change; create a new channel",
            ));
        }
        let mut secrets: Map<String, Value> = from_url
            .secrets
            .iter_exposed()
            .map(|(k, v)| (k.to_owned(), Value::String(v.to_owned())))
            .collect();
        secrets.extend(input.secrets.clone().unwrap_or_default());
        let mut settings = std::mem::take(&mut from_url.settings);
        settings.extend(input.settings.clone().unwrap_or_default());
        return Ok((kind, settings, secrets));
    }
    let kind = match (previous, &input.kind) {
        (Some(prev), Some(k)) if *k != prev.kind => {
            return Err(FieldError::new(
                "kind",
                "a channel's kind cannot change; create a new channel",
            ));
        }
        (Some(prev), _) => parse_kind(&prev.kind)?,
        (None, Some(k)) => parse_kind(k)?,
        (None, None) => {
            return Err(FieldError::new(
                "kind",
                "give `kind` with `settings`, or a channel `url`",
            ));
        }
    };
    let settings = match (previous, &input.settings) {
        (_, Some(s)) => merge_settings(previous.map(|p| &p.config.settings), s),
        (Some(prev), None) => prev.config.settings.clone(),
        (None, None) => Map::new(),
    };
    Ok((kind, settings, input.secrets.clone().unwrap_or_default()))
}

/// Kind and checked configuration from the input; sender fields may come from a profile.
async fn resolve_config(
    state: &AppState,
    principal: &Principal,
    input: &ChannelInput,
    previous: Option<&Channel>,
) -> ServiceResult<(Kind, ChannelConfig)> {
    let (kind, settings, secrets) = raw_config(input, previous)?;
    let config =
        profiles::configure_channel(state, kind, settings, secrets, previous.map(|p| &p.config))
            .await?;
    check_allow_http_permission(
        principal.has(Scope::Admin),
        &config,
        previous.map(|p| &p.config),
    )?;
    check_tls(state, kind, &config, input.url.is_some())?;
    Ok((kind, config))
}

/// Who may set `allow_http`: only an admin, since it lets a channel send secrets without
/// TLS. The one place that decides it; `caller_is_admin` comes from the caller's token.
/// Leaving the setting as it was is always allowed.
pub fn check_allow_http_permission(
    caller_is_admin: bool,
    config: &ChannelConfig,
    previous: Option<&ChannelConfig>,
) -> Result<(), FieldError> {
    let unchanged = config.allows_http() == previous.is_some_and(ChannelConfig::allows_http);
    if caller_is_admin || unchanged {
        return Ok(());
    }
    Err(FieldError::new(
        format!("settings.{}", tocsin_core::channel::ALLOW_HTTP),
        "only an admin may change this setting",
    ))
}

/// Refuses, when the channel is saved, a request the transport would refuse whatever the
/// address: plain `http://` to a host that is not allow-listed on a channel without
/// `allow_http`, another scheme, credentials in the URL.
/// The request is rendered for a sample event to find its URL; a configuration that cannot
/// render yet (an email kind waiting for its profile) is left to the send-time check.
fn check_tls(
    state: &AppState,
    kind: Kind,
    config: &ChannelConfig,
    from_url: bool,
) -> Result<(), FieldError> {
    let now = state.now();
    let event = Event::test(Ulid::nil(), now);
    let message = Message {
        event: &event,
        delivery_id: "check",
        now,
        identity: &state.identity,
        attachments: &[],
    };
    let Ok(tocsin_providers::Outbound::Http(request)) = kind.provider().render(config, &message)
    else {
        return Ok(());
    };
    match state
        .transport
        .require_tls(&request.url, config.allows_http())
    {
        // Addresses are judged when the request is sent: names resolve only then.
        Ok(()) | Err(crate::transport::TransportError::Refused(_)) => Ok(()),
        Err(err) => Err(FieldError::new(
            url_field(kind, config, &request.url, from_url),
            err.to_string(),
        )),
    }
}

/// The setting that holds the URL a request goes to (`settings.url`, `settings.server_url`,
/// …), or `url` when the channel came as a URL.
fn url_field(kind: Kind, config: &ChannelConfig, request_url: &str, from_url: bool) -> String {
    let target = url::Url::parse(request_url).ok();
    let field = kind
        .provider()
        .schema()
        .fields
        .iter()
        .filter(|f| matches!(f.field_type, tocsin_providers::FieldType::Url))
        .find(|f| {
            config
                .str_setting(f.name)
                .and_then(|v| url::Url::parse(v).ok())
                .is_some_and(|u| u.host_str() == target.as_ref().and_then(|t| t.host_str()))
        })
        .map(|f| format!("settings.{}", f.name));
    match field {
        Some(f) => f,
        None if from_url => "url".to_owned(),
        None => "settings".to_owned(),
    }
}

/// On update, given settings replace stored ones key by key; `null` removes a key.
fn merge_settings(
    previous: Option<&Map<String, Value>>,
    given: &Map<String, Value>,
) -> Map<String, Value> {
    let mut merged = previous.cloned().unwrap_or_default();
    for (k, v) in given {
        if v.is_null() {
            merged.remove(k);
        } else {
            merged.insert(k.clone(), v.clone());
        }
    }
    merged
}

/// The channel's own rule, when the input subscribes it to events. `creating`: the channel
/// is new, so saying nothing of events means the catalogue's defaults.
fn own_rule(
    input: &ChannelInput,
    channel_id: Ulid,
    name: &str,
    previous: Option<&Rule>,
    creating: bool,
    tenant: Option<&str>,
    now: i64,
) -> Result<Option<Rule>, FieldError> {
    let events = match &input.events {
        // No event ticked: no subscription of its own (standalone rules may still route here).
        Some(None) => return Ok(None),
        Some(Some(list)) if list.is_empty() => return Ok(None),
        Some(Some(list)) => Some(list.clone()),
        None => previous.map(|r| r.events.iter().map(|p| p.as_str().to_owned()).collect()),
    };
    let filter_given =
        input.match_labels.is_some() || input.matchers.is_some() || input.min_severity.is_some();
    let events = match events {
        Some(e) => e,
        // A filter without patterns subscribes to every type.
        None if filter_given => vec!["*".to_owned()],
        // A new channel that says nothing of events gets the catalogue's defaults, the
        // way admin panels tick them for a new notification target.
        None if creating => vec![format!("@{}", Preset::Defaults.name())],
        None => return Ok(None),
    };
    let (prev_match, prev_matchers) = previous
        .map(|r| tocsin_core::rule::split_matchers(&r.matchers))
        .unwrap_or_default();
    let exact = input.match_labels.clone().unwrap_or(prev_match);
    let others = input.matchers.clone().unwrap_or(prev_matchers);
    let filter = RuleFilter::parse(&events, &exact, &others)?;
    Ok(Some(Rule {
        id: previous.map_or_else(new_id, |r| r.id),
        name: format!("channel {name}"),
        events: filter.events,
        matchers: filter.matchers,
        min_severity: input.min_severity.or(previous.and_then(|r| r.min_severity)),
        channels: vec![channel_id],
        enabled: true,
        owner_channel: Some(channel_id),
        recipients: None,
        mute: Vec::new(),
        while_muted: Default::default(),
        critical_breaks_through: false,
        repeat_interval: None,
        template: None,
        digest: None,
        tenant: tenant.map(String::from),
        created_at: previous.map(|r| r.created_at).unwrap_or(now),
        updated_at: now,
    }))
}

/// The audit record of a change to `channel`: names and kinds only, never settings.
fn change<'a>(channel: &'a Channel, action: &'static str) -> Change<'a> {
    let verb = action.rsplit('.').next().unwrap_or(action);
    Change {
        action,
        target_id: channel.id.to_string(),
        tenant: channel.tenant.as_deref(),
        summary: format!("channel `{}` ({}) {verb}", channel.name, channel.kind),
    }
}

fn check_projects(projects: &[String]) -> Result<(), FieldError> {
    if projects.len() > 100 {
        return Err(FieldError::new("projects", "at most 100 projects"));
    }
    for (i, p) in projects.iter().enumerate() {
        check_label_value(&format!("projects[{i}]"), p)?;
    }
    Ok(())
}

/// The channel, when it exists and the principal may see it; otherwise not found, so that
/// another tenant's channel cannot be told from a missing one.
async fn visible(state: &AppState, principal: &Principal, id: Ulid) -> ServiceResult<Channel> {
    state
        .store
        .get_channel(id)
        .await?
        .filter(|c| principal.sees(c.tenant.as_deref()))
        .ok_or(ServiceError::NotFound("channel"))
}

fn check_tags(tags: &[String]) -> Result<(), FieldError> {
    if tags.len() > 50 {
        return Err(FieldError::new("tags", "at most 50 tags"));
    }
    for (i, t) in tags.iter().enumerate() {
        if t.is_empty() || t.len() > 64 || t.chars().any(|c| c.is_whitespace() || c == ',') {
            return Err(FieldError::new(
                format!("tags[{i}]"),
                "tags are single words of at most 64 characters, without commas",
            ));
        }
    }
    Ok(())
}

fn retry_schedule(
    value: Option<&Option<Value>>,
    previous: Option<&RetrySchedule>,
) -> Result<Option<RetrySchedule>, FieldError> {
    match value {
        None => Ok(previous.cloned()),
        Some(None) => Ok(None),
        Some(Some(v)) => RetrySchedule::parse(v).map(Some),
    }
}

pub async fn create(
    state: &AppState,
    principal: &Principal,
    input: ChannelInput,
) -> ServiceResult<ChannelView> {
    create_as(state, principal, input, None).await
}

/// As [`create`]; with `declared`, the channel is stored already marked as declared by
/// the configuration file, in the same transaction as the channel and its audit entry.
pub async fn create_as(
    state: &AppState,
    principal: &Principal,
    input: ChannelInput,
    declared: Option<Declared<'_>>,
) -> ServiceResult<ChannelView> {
    principal.require(Scope::ChannelsWrite)?;
    let tenant = principal.owner_for(input.tenant.as_deref(), "tenant")?;
    let projects = input.projects.clone().unwrap_or_default();
    check_projects(&projects)?;
    let now = state.now();
    let name = input
        .name
        .clone()
        .ok_or_else(|| FieldError::new("name", "is required"))?;
    check_name(&name)?;
    let (kind, config) = resolve_config(state, principal, &input, None).await?;
    let tags = input.tags.clone().unwrap_or_default();
    check_tags(&tags)?;
    let generated_secret = input
        .secrets
        .as_ref()
        .is_none_or(|s| !s.contains_key("signing_secret"))
        && input.url.is_none()
        && config.secrets.contains("signing_secret");
    let channel = Channel {
        id: new_id(),
        name,
        kind: kind.name().to_owned(),
        config,
        enabled: input.enabled.unwrap_or(true),
        tags,
        retry_schedule: retry_schedule(input.retry_schedule.as_ref(), None)?,
        tenant,
        projects,
        created_at: now,
        updated_at: now,
    };
    let rule = own_rule(
        &input,
        channel.id,
        &channel.name,
        None,
        true,
        channel.tenant.as_deref(),
        now,
    )?;
    audit::apply(
        state,
        principal,
        Mutation::CreateChannel {
            channel: &channel,
            own_rule: rule.as_ref(),
            declared,
        },
        change(&channel, "channel.created"),
    )
    .await?;
    state.routing.invalidate().await;
    let mut view = ChannelView::new(&channel, rule.as_ref(), &state.retry_schedule);
    if generated_secret {
        view.signing_secret = channel
            .config
            .secrets
            .expose("signing_secret")
            .map(String::from);
    }
    Ok(view)
}

pub async fn get(state: &AppState, principal: &Principal, id: Ulid) -> ServiceResult<ChannelView> {
    principal.require(Scope::ChannelsRead)?;
    let channel = visible(state, principal, id).await?;
    let rule = state.store.own_rule(id).await?;
    let mut view = ChannelView::new(&channel, rule.as_ref(), &state.retry_schedule);
    reconcile::mark_view(state, Managed::Channel, id, &mut view.managed_by).await?;
    Ok(view)
}

pub async fn list(state: &AppState, principal: &Principal) -> ServiceResult<Vec<ChannelView>> {
    principal.require(Scope::ChannelsRead)?;
    let channels = state.store.list_channels().await?;
    let declared = reconcile::declared_ids(state, Managed::Channel).await?;
    let mut views = Vec::with_capacity(channels.len());
    for c in channels
        .iter()
        .filter(|c| principal.sees(c.tenant.as_deref()))
    {
        let rule = state.store.own_rule(c.id).await?;
        let mut view = ChannelView::new(c, rule.as_ref(), &state.retry_schedule);
        if declared.contains(&c.id) {
            view.managed_by = "config".into();
        }
        views.push(view);
    }
    Ok(views)
}

/// Changes a channel made through the API; one the configuration file declares is refused
/// (409): the file is its source, and the next reload would undo the change.
pub async fn update(
    state: &AppState,
    principal: &Principal,
    id: Ulid,
    input: ChannelInput,
) -> ServiceResult<ChannelView> {
    principal.require(Scope::ChannelsWrite)?;
    reconcile::refuse_declared(state, Managed::Channel, id).await?;
    apply_update(state, principal, id, input).await
}

/// Changes a channel, whoever manages it (the reconciler uses this, as an admin principal,
/// so the change is audited like any other).
pub(crate) async fn apply_update(
    state: &AppState,
    principal: &Principal,
    id: Ulid,
    input: ChannelInput,
) -> ServiceResult<ChannelView> {
    principal.require(Scope::ChannelsWrite)?;
    let now = state.now();
    let previous = visible(state, principal, id).await?;
    if let Some(tenant) = &input.tenant
        && previous.tenant.as_ref() != Some(tenant)
    {
        return Err(FieldError::new(
            "tenant",
            "a channel's tenant cannot change; create a new channel",
        )
        .into());
    }
    let projects = input
        .projects
        .clone()
        .unwrap_or_else(|| previous.projects.clone());
    check_projects(&projects)?;
    let previous_rule = state.store.own_rule(id).await?;
    let name = input.name.clone().unwrap_or_else(|| previous.name.clone());
    check_name(&name)?;
    let (_, config) = resolve_config(state, principal, &input, Some(&previous)).await?;
    let tags = input.tags.clone().unwrap_or_else(|| previous.tags.clone());
    check_tags(&tags)?;
    let channel = Channel {
        name,
        config,
        enabled: input.enabled.unwrap_or(previous.enabled),
        tags,
        retry_schedule: retry_schedule(
            input.retry_schedule.as_ref(),
            previous.retry_schedule.as_ref(),
        )?,
        projects,
        updated_at: now,
        ..previous
    };
    let rule = own_rule(
        &input,
        id,
        &channel.name,
        previous_rule.as_ref(),
        false,
        channel.tenant.as_deref(),
        now,
    )?;
    audit::apply(
        state,
        principal,
        Mutation::UpdateChannel {
            channel: &channel,
            own_rule: rule.as_ref(),
        },
        change(&channel, "channel.updated"),
    )
    .await?;
    state.routing.invalidate().await;
    Ok(ChannelView::new(
        &channel,
        rule.as_ref(),
        &state.retry_schedule,
    ))
}

/// Deletes a channel made through the API; one the configuration file declares is refused.
pub async fn delete(state: &AppState, principal: &Principal, id: Ulid) -> ServiceResult<()> {
    principal.require(Scope::ChannelsWrite)?;
    reconcile::refuse_declared(state, Managed::Channel, id).await?;
    apply_delete(state, principal, id).await
}

/// Deletes a channel, whoever manages it (the reconciler uses this).
pub(crate) async fn apply_delete(
    state: &AppState,
    principal: &Principal,
    id: Ulid,
) -> ServiceResult<()> {
    principal.require(Scope::ChannelsWrite)?;
    let channel = visible(state, principal, id).await?;
    let deleted = audit::apply(
        state,
        principal,
        Mutation::DeleteChannel(id),
        change(&channel, "channel.deleted"),
    )
    .await?;
    if !deleted {
        return Err(ServiceError::NotFound("channel"));
    }
    state.routing.invalidate().await;
    Ok(())
}

/// The channel's delivery log, newest first.
pub async fn deliveries(
    state: &AppState,
    principal: &Principal,
    id: Ulid,
    query: DeliveryQuery,
) -> ServiceResult<Vec<DeliveryView>> {
    principal.require(Scope::DeliveriesRead)?;
    visible(state, principal, id).await?;
    let query = DeliveryQuery {
        channel_id: Some(id),
        ..query
    };
    deliveries::list(state, principal, query).await
}

/// Sends a test message through a channel that is not saved.
pub async fn test_unsaved(
    state: &AppState,
    principal: &Principal,
    input: ChannelInput,
) -> ServiceResult<TestResult> {
    principal.require(Scope::ChannelsWrite)?;
    let (kind, config) = resolve_config(state, principal, &input, None).await?;
    let config = profiles::complete(state, kind, &config).await?;
    Ok(test_send(state, kind, &config, principal.tenant.as_deref()).await)
}

/// Sends a test message through a saved channel.
pub async fn test_saved(
    state: &AppState,
    principal: &Principal,
    id: Ulid,
) -> ServiceResult<TestResult> {
    principal.require(Scope::ChannelsWrite)?;
    let channel = visible(state, principal, id).await?;
    let kind = parse_kind(&channel.kind)?;
    let config = profiles::complete(state, kind, &channel.config).await?;
    Ok(test_send(state, kind, &config, channel.tenant.as_deref()).await)
}

/// Sends a test message; the `notification.test` event it is recorded as carries the
/// tenant as `source.customer`, so the tenant sees it among its events.
async fn test_send(
    state: &AppState,
    kind: Kind,
    config: &ChannelConfig,
    tenant: Option<&str>,
) -> TestResult {
    let now = state.now();
    let mut event = Event::test(new_id(), now);
    if let Some(tenant) = tenant {
        event.source.insert("customer".into(), tenant.to_owned());
    }
    let delivery_id = format!("test_{}", new_id());
    let message = Message {
        event: &event,
        delivery_id: &delivery_id,
        now,
        identity: &state.identity,
        attachments: &[],
    };
    // Recorded in the event feed as a `notification.test` with no delivery, so a test
    // shows up where people look; a store that cannot record it does not stop the test.
    let event_id = match state.store.insert_event(&event, &[]).await {
        Ok(_) => Some(event.id.to_string()),
        Err(e) => {
            tracing::warn!(error = %e, "could not record the test send");
            None
        }
    };
    let result = attempt::run(
        state.transports(),
        &state.secret_refs,
        kind,
        config,
        &message,
    )
    .await;
    TestResult {
        ok: result.outcome == Outcome::Delivered,
        status: result.status_code,
        error: result.outcome.reason().map(String::from),
        duration_ms: result.duration.as_millis() as u64,
        event_id,
    }
}
