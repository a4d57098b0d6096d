//! Standalone rules: event patterns and label matchers routing to several channels. And
//! the explanation of where an event would go, and why not elsewhere.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use serde::{Deserialize, Serialize};
use tocsin_core::FieldError;
use tocsin_core::delivery::parse_duration;
use tocsin_core::event::{Event, EventInput, Severity};
use tocsin_core::id::new_id;
use tocsin_core::monitor;
use tocsin_core::mute::WhileMuted;
use tocsin_core::routing::{self, Gates, MuteWindows, Restriction};
use tocsin_core::rule::{Rule, RuleFilter, split_matchers};
use tocsin_core::time::to_rfc3339;
use tocsin_store::{Declared, Managed, Mutation, StoreError};
use ulid::Ulid;
use utoipa::ToSchema;

use super::audit::{self, Change};
use super::{Principal, RuleView, Scope, ServiceError, ServiceResult, double_option, parse_id};
use crate::state::AppState;

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RuleInput {
    pub name: Option<String>,
    /// Event type patterns (`deploy.*`, `backup.failure`); empty or absent means every type.
    pub events: Option<Vec<String>>,
    /// Source labels that must be equal.
    #[serde(rename = "match")]
    pub match_labels: Option<BTreeMap<String, String>>,
    /// Further matchers: `application=~api-.*`, `environment!=staging`.
    pub matchers: Option<Vec<String>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<Severity>)]
    pub min_severity: Option<Option<Severity>>,
    /// Channel ids.
    pub channels: Option<Vec<String>>,
    pub enabled: Option<bool>,
    /// Recipients (comma-separated addresses) that replace those of the email channels the
    /// rule routes to; `null` on update goes back to each channel's own.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub recipients: Option<Option<String>>,
    /// Mute window ids: while one of them is on, the rule does not notify.
    pub mute: Option<Vec<String>>,
    /// What the rule does with an event it takes while muted: `drop` it (the default) or
    /// `hold` it, its deliveries falling due when the window ends.
    pub while_muted: Option<WhileMuted>,
    /// Whether a `critical` event goes through a mute window (default false).
    pub critical_breaks_through: Option<bool>,
    /// While a `state_key` stays in the same bad state, notify again once this much time
    /// has passed since the rule's last notification for it (`30m`, `4h`, `1d`); `null`
    /// on update stops repeating.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub repeat_interval: Option<Option<String>>,
    /// A template (a preset name or a template text, as the webhook kind's `template`
    /// setting) that replaces the template of the webhook channels the rule routes to, for
    /// the events it takes; `null` on update goes back to each channel's own.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub template: Option<Option<String>>,
    /// Batch the events the rule takes per channel (`5m`, 30 s to 1 day): the first opens
    /// a window, and when it ends one message lists them (count, the first ten, a summary
    /// by type); `null` on update sends each event on its own again.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub digest: Option<Option<String>>,
    /// The tenant that owns the rule (set on create; a tenant-bound token's rules are
    /// always its tenant's). A tenant's rule names only that tenant's channels.
    pub tenant: Option<String>,
}

/// Shortest and longest `digest` window.
const DIGEST_MIN: Duration = Duration::from_secs(30);
const DIGEST_MAX: Duration = Duration::from_secs(86_400);

pub(crate) fn digest_window(text: &str) -> Result<Duration, FieldError> {
    parse_duration(text)
        .filter(|d| (DIGEST_MIN..=DIGEST_MAX).contains(d))
        .ok_or_else(|| {
            FieldError::new(
                "digest",
                format!("`{text}` is not a duration from 30s to 1d; write e.g. 5m or 1h"),
            )
        })
}

/// Shortest and longest `repeat_interval`.
const REPEAT_MIN: Duration = Duration::from_secs(60);
const REPEAT_MAX: Duration = Duration::from_secs(30 * 86_400);

pub(crate) fn repeat_interval(text: &str) -> Result<Duration, FieldError> {
    parse_duration(text)
        .filter(|d| (REPEAT_MIN..=REPEAT_MAX).contains(d))
        .ok_or_else(|| {
            FieldError::new(
                "repeat_interval",
                format!("`{text}` is not a duration from 1m to 30d; write e.g. 30m, 4h or 1d"),
            )
        })
}

fn build(
    input: &RuleInput,
    previous: Option<&Rule>,
    tenant: Option<String>,
    now: i64,
) -> Result<Rule, FieldError> {
    let name = input
        .name
        .clone()
        .or_else(|| previous.map(|r| r.name.clone()))
        .ok_or_else(|| FieldError::new("name", "is required"))?;
    tocsin_core::channel::check_name(&name)?;
    let events = input
        .events
        .clone()
        .or_else(|| previous.map(|r| r.events.iter().map(|p| p.as_str().to_owned()).collect()))
        .unwrap_or_default();
    let (prev_exact, prev_others) = previous
        .map(|r| split_matchers(&r.matchers))
        .unwrap_or_default();
    let filter = RuleFilter::parse(
        &events,
        input.match_labels.as_ref().unwrap_or(&prev_exact),
        input.matchers.as_ref().unwrap_or(&prev_others),
    )?;
    let channels = match &input.channels {
        Some(list) => {
            let mut ids = Vec::with_capacity(list.len());
            for (i, text) in list.iter().enumerate() {
                let id = parse_id(&format!("channels[{i}]"), text)?;
                if !ids.contains(&id) {
                    ids.push(id);
                }
            }
            ids
        }
        None => previous.map(|r| r.channels.clone()).unwrap_or_default(),
    };
    if channels.is_empty() {
        return Err(FieldError::new("channels", "name at least one channel id"));
    }
    Ok(Rule {
        id: previous.map_or_else(new_id, |r| r.id),
        name,
        events: filter.events,
        matchers: filter.matchers,
        min_severity: match input.min_severity {
            Some(v) => v,
            None => previous.and_then(|r| r.min_severity),
        },
        channels,
        enabled: input
            .enabled
            .or(previous.map(|r| r.enabled))
            .unwrap_or(true),
        owner_channel: None,
        recipients: match &input.recipients {
            Some(Some(list)) => {
                tocsin_providers::mail::mailbox_list("recipients", list, true)?;
                Some(list.clone())
            }
            Some(None) => None,
            None => previous.and_then(|r| r.recipients.clone()),
        },
        mute: match &input.mute {
            Some(list) => {
                let mut ids = Vec::with_capacity(list.len());
                for (i, text) in list.iter().enumerate() {
                    let id = parse_id(&format!("mute[{i}]"), text)?;
                    if !ids.contains(&id) {
                        ids.push(id);
                    }
                }
                ids
            }
            None => previous.map(|r| r.mute.clone()).unwrap_or_default(),
        },
        while_muted: input
            .while_muted
            .or(previous.map(|r| r.while_muted))
            .unwrap_or_default(),
        critical_breaks_through: input
            .critical_breaks_through
            .or(previous.map(|r| r.critical_breaks_through))
            .unwrap_or(false),
        repeat_interval: match &input.repeat_interval {
            Some(Some(text)) => Some(repeat_interval(text)?),
            Some(None) => None,
            None => previous.and_then(|r| r.repeat_interval),
        },
        template: match &input.template {
            Some(Some(text)) => Some(text.clone()),
            Some(None) => None,
            None => previous.and_then(|r| r.template.clone()),
        },
        digest: match &input.digest {
            Some(Some(text)) => Some(digest_window(text)?),
            Some(None) => None,
            None => previous.and_then(|r| r.digest),
        },
        tenant,
        created_at: previous.map(|r| r.created_at).unwrap_or(now),
        updated_at: now,
    })
}

fn missing_channel(e: StoreError) -> ServiceError {
    match e {
        StoreError::NotFound("channel") => ServiceError::Invalid(FieldError::new(
            "channels",
            "names a channel that does not exist",
        )),
        other => other.into(),
    }
}

/// Recipients replace an email channel's `to`: every channel of such a rule must take them.
async fn check_recipients(state: &AppState, rule: &Rule) -> ServiceResult<()> {
    if rule.recipients.is_none() {
        return Ok(());
    }
    for channel in state.store.get_channels(&rule.channels).await? {
        let takes_recipients = tocsin_providers::Kind::parse(&channel.kind)
            .is_some_and(|k| !k.provider().profile_fields().is_empty());
        if !takes_recipients {
            return Err(FieldError::new(
                "recipients",
                format!(
                    "only email channels (email, resend, ses) take recipients; `{}` is a {} channel",
                    channel.name, channel.kind
                ),
            )
            .into());
        }
    }
    Ok(())
}

/// Every mute window the rule names must exist.
async fn check_mute(state: &AppState, rule: &Rule) -> ServiceResult<()> {
    for (i, id) in rule.mute.iter().enumerate() {
        if state.store.get_mute_window(*id).await?.is_none() {
            return Err(FieldError::new(
                format!("mute[{i}]"),
                "names a mute window that does not exist",
            )
            .into());
        }
    }
    Ok(())
}

/// A template replaces a webhook channel's own: every channel of such a rule must be a
/// webhook, and must still make a valid request with it (checked as the webhook kind checks
/// its `template` setting, against the channel's content type).
async fn check_template(state: &AppState, rule: &Rule) -> ServiceResult<()> {
    let Some(template) = &rule.template else {
        return Ok(());
    };
    for channel in state.store.get_channels(&rule.channels).await? {
        let kind = tocsin_providers::Kind::parse(&channel.kind);
        let Some(kind @ tocsin_providers::Kind::Webhook) = kind else {
            return Err(FieldError::new(
                "template",
                format!(
                    "only webhook channels take a template; `{}` is a {} channel",
                    channel.name, channel.kind
                ),
            )
            .into());
        };
        let mut config = channel.config.clone();
        config
            .settings
            .insert("template".into(), template.clone().into());
        kind.provider().prepare(&mut config).map_err(|e| {
            let message = match e.field.as_str() {
                "settings.template" => e.message,
                _ => format!("{} ({})", e.message, e.field),
            };
            FieldError::new("template", message)
        })?;
    }
    Ok(())
}

/// Every channel the rule names must be one the principal sees and, for a tenant's rule,
/// one of that tenant's. A channel the principal cannot see is reported as missing.
async fn check_channels(state: &AppState, principal: &Principal, rule: &Rule) -> ServiceResult<()> {
    let found = state.store.get_channels(&rule.channels).await?;
    for id in &rule.channels {
        let field = "channels";
        let channel = found
            .iter()
            .find(|c| c.id == *id)
            .filter(|c| principal.sees(c.tenant.as_deref()))
            .ok_or_else(|| FieldError::new(field, "names a channel that does not exist"))?;
        if let Some(tenant) = &rule.tenant
            && channel.tenant.as_ref() != Some(tenant)
        {
            return Err(FieldError::new(
                field,
                format!("a rule of tenant `{tenant}` names only channels of tenant `{tenant}`"),
            )
            .into());
        }
    }
    Ok(())
}

async fn check(state: &AppState, principal: &Principal, rule: &Rule) -> ServiceResult<()> {
    check_channels(state, principal, rule).await?;
    check_recipients(state, rule).await?;
    check_mute(state, rule).await?;
    check_template(state, rule).await
}

/// Makes the change to the rule with its audit entry; a channel that vanished in between
/// is reported on `channels`.
async fn audited(
    state: &AppState,
    principal: &Principal,
    mutation: Mutation<'_>,
    rule: &Rule,
    action: &'static str,
) -> ServiceResult<bool> {
    let verb = action.rsplit('.').next().unwrap_or(action);
    let change = Change {
        action,
        target_id: rule.id.to_string(),
        tenant: rule.tenant.as_deref(),
        summary: format!("rule `{}` {verb}", rule.name),
    };
    audit::apply(state, principal, mutation, change)
        .await
        .map_err(|e| match e {
            ServiceError::Store(e) => missing_channel(e),
            other => other,
        })
}

pub async fn create(
    state: &AppState,
    principal: &Principal,
    input: RuleInput,
) -> ServiceResult<RuleView> {
    create_as(state, principal, input, None).await
}

/// As [`create`]; with `declared`, the rule is stored already marked as declared by the
/// configuration file, in the same transaction as the rule and its audit entry.
pub async fn create_as(
    state: &AppState,
    principal: &Principal,
    input: RuleInput,
    declared: Option<Declared<'_>>,
) -> ServiceResult<RuleView> {
    principal.require(Scope::RulesWrite)?;
    let tenant = principal.owner_for(input.tenant.as_deref(), "tenant")?;
    let rule = build(&input, None, tenant, state.now())?;
    check(state, principal, &rule).await?;
    audited(
        state,
        principal,
        Mutation::CreateRule {
            rule: &rule,
            declared,
        },
        &rule,
        "rule.created",
    )
    .await?;
    state.routing.invalidate().await;
    Ok(RuleView::from(&rule))
}

/// Standalone rules only (a channel's own rule is read and changed through the channel),
/// and only those the principal sees: another tenant's rule is not found.
async fn standalone(state: &AppState, principal: &Principal, id: Ulid) -> ServiceResult<Rule> {
    match state.store.get_rule(id).await? {
        Some(rule) if rule.owner_channel.is_none() && principal.sees(rule.tenant.as_deref()) => {
            Ok(rule)
        }
        _ => Err(ServiceError::NotFound("rule")),
    }
}

pub async fn get(state: &AppState, principal: &Principal, id: Ulid) -> ServiceResult<RuleView> {
    principal.require(Scope::RulesRead)?;
    let mut view = RuleView::from(&standalone(state, principal, id).await?);
    super::reconcile::mark_view(state, Managed::Rule, id, &mut view.managed_by).await?;
    Ok(view)
}

pub async fn list(state: &AppState, principal: &Principal) -> ServiceResult<Vec<RuleView>> {
    principal.require(Scope::RulesRead)?;
    let declared = super::reconcile::declared_ids(state, Managed::Rule).await?;
    Ok(state
        .store
        .list_rules()
        .await?
        .iter()
        .filter(|r| principal.sees(r.tenant.as_deref()))
        .map(|r| {
            let mut view = RuleView::from(r);
            if declared.contains(&r.id) {
                view.managed_by = "config".into();
            }
            view
        })
        .collect())
}

/// Changes a rule made through the API; one the configuration file declares is refused
/// (409).
pub async fn update(
    state: &AppState,
    principal: &Principal,
    id: Ulid,
    input: RuleInput,
) -> ServiceResult<RuleView> {
    principal.require(Scope::RulesWrite)?;
    super::reconcile::refuse_declared(state, Managed::Rule, id).await?;
    apply_update(state, principal, id, input).await
}

/// Changes a rule, whoever manages it (the reconciler uses this, as an admin principal, so
/// the change is audited like any other).
pub(crate) async fn apply_update(
    state: &AppState,
    principal: &Principal,
    id: Ulid,
    input: RuleInput,
) -> ServiceResult<RuleView> {
    principal.require(Scope::RulesWrite)?;
    let previous = standalone(state, principal, id).await?;
    if let Some(tenant) = &input.tenant
        && previous.tenant.as_ref() != Some(tenant)
    {
        return Err(
            FieldError::new("tenant", "a rule's tenant cannot change; create a new rule").into(),
        );
    }
    let rule = build(
        &input,
        Some(&previous),
        previous.tenant.clone(),
        state.now(),
    )?;
    check(state, principal, &rule).await?;
    audited(
        state,
        principal,
        Mutation::UpdateRule(&rule),
        &rule,
        "rule.updated",
    )
    .await?;
    state.routing.invalidate().await;
    Ok(RuleView::from(&rule))
}

/// Deletes a rule made through the API; one the configuration file declares is refused.
pub async fn delete(state: &AppState, principal: &Principal, id: Ulid) -> ServiceResult<()> {
    principal.require(Scope::RulesWrite)?;
    super::reconcile::refuse_declared(state, Managed::Rule, id).await?;
    apply_delete(state, principal, id).await
}

/// Deletes a rule, whoever manages it (the reconciler uses this).
pub(crate) async fn apply_delete(
    state: &AppState,
    principal: &Principal,
    id: Ulid,
) -> ServiceResult<()> {
    principal.require(Scope::RulesWrite)?;
    let rule = standalone(state, principal, id).await?;
    if !audited(
        state,
        principal,
        Mutation::DeleteRule(id),
        &rule,
        "rule.deleted",
    )
    .await?
    {
        return Err(ServiceError::NotFound("rule"));
    }
    state.routing.invalidate().await;
    Ok(())
}

/// Where an event would go, and why not elsewhere. Nothing is stored or sent.
#[derive(Debug, Serialize, ToSchema)]
pub struct Explanation {
    /// The channels that would receive the event, each once.
    pub channels: Vec<ExplainedChannel>,
    /// Every rule, standalone and channels' own, with whether it takes the event.
    pub rules: Vec<ExplainedRule>,
    /// Channels a rule that takes the event names, but that would not receive it.
    pub skipped_channels: Vec<SkippedChannel>,
    /// Why events of this type are never routed (`notification.test`, `tocsin.*`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub never_routed: Option<String>,
    /// Set when the event's application is over its ingest limit right now: posted, the
    /// event would be refused with 429.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rate_limited: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ExplainedChannel {
    pub id: String,
    pub name: String,
    pub kind: String,
    /// The rules that deliver the event to this channel.
    pub rules: Vec<String>,
    /// Set when every rule that delivers here is muted and holds the event: when the
    /// delivery would fall due.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub held_until: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ExplainedRule {
    pub id: String,
    pub name: String,
    /// The channel whose own subscription this rule is; `null` for a standalone rule.
    pub own_channel: Option<String>,
    pub matched: bool,
    /// Why the rule does not take the event (`muted by <window> until …` among others).
    pub reason: Option<String>,
    /// Set when the rule takes the event while muted and holds it: `muted by <window>
    /// until …; held until then`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub held: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SkippedChannel {
    pub id: String,
    pub name: String,
    pub reason: String,
}

/// Routes `input` as ingest would, through every rule (disabled ones too, to say so), and
/// answers with the decision and its reasons. The event is checked as on ingest.
///
/// A tenant-bound principal sees only its tenant's rules and channels, and the event is
/// explained as one of its tenant's (as it would be posted with that token).
pub async fn explain(
    state: &AppState,
    principal: &Principal,
    input: EventInput,
) -> ServiceResult<Explanation> {
    principal.require(Scope::RulesRead)?;
    let mut event = Event::parse(input, new_id(), state.now())?;
    super::events::bind_to_tenant(principal, &mut event)?;
    let channels: Vec<_> = state
        .store
        .list_channels()
        .await?
        .into_iter()
        .filter(|c| principal.sees(c.tenant.as_deref()))
        .collect();
    let mut rules: Vec<Rule> = state
        .store
        .list_rules()
        .await?
        .into_iter()
        .filter(|r| principal.sees(r.tenant.as_deref()))
        .collect();
    for channel in &channels {
        rules.extend(state.store.own_rule(channel.id).await?);
    }
    // The order routing reads them in, so that the same rule sets a channel's recipients.
    rules.sort_by_key(|r| r.id);
    let enabled: BTreeSet<Ulid> = channels
        .iter()
        .filter(|c| c.enabled)
        .map(|c| c.id)
        .collect();
    let restrictions: BTreeMap<Ulid, Restriction> = channels
        .iter()
        .map(|c| {
            (
                c.id,
                Restriction {
                    tenant: c.tenant.clone(),
                    projects: c.projects.clone(),
                },
            )
        })
        .collect();
    let gates = Gates {
        enabled: &enabled,
        restrictions: &restrictions,
    };
    let windows: MuteWindows = state
        .store
        .list_mute_windows()
        .await?
        .into_iter()
        .map(|w| (w.id, w))
        .collect();
    let why = routing::explain(&event, &rules, &gates, &windows);
    let application = event.source.get("application").map(String::as_str);
    let rate_limited = state
        .api_limits
        .events_wait(application, state.now())
        .map(|wait| {
            format!(
                "application `{}` is over its limit of {} events a minute: posted now, the event would be refused for {} s",
                application.unwrap_or("(none)"),
                state.api_limits.events_per_minute().unwrap_or_default(),
                wait.as_secs().max(1)
            )
        });
    let by_id: BTreeMap<Ulid, _> = channels.iter().map(|c| (c.id, c)).collect();
    Ok(Explanation {
        channels: why
            .targets
            .iter()
            .filter_map(|t| {
                let channel = by_id.get(&t.channel)?;
                Some(ExplainedChannel {
                    id: channel.id.to_string(),
                    name: channel.name.clone(),
                    kind: channel.kind.clone(),
                    rules: t.rules.iter().map(|r| r.rule.to_string()).collect(),
                    held_until: monitor::due(&t.rules, None, |_| None, event.received_at)
                        .filter(|due| due.at > event.received_at)
                        .map(|due| to_rfc3339(due.at)),
                })
            })
            .collect(),
        rules: why
            .rules
            .iter()
            .map(|v| ExplainedRule {
                id: v.rule.id.to_string(),
                name: v.rule.name.clone(),
                own_channel: v.rule.owner_channel.map(|c| c.to_string()),
                matched: v.refusal.is_none(),
                reason: v.refusal.as_ref().map(ToString::to_string),
                held: v.held.as_ref().map(ToString::to_string),
            })
            .collect(),
        skipped_channels: why
            .skipped
            .iter()
            .map(|s| match by_id.get(&s.channel) {
                Some(channel) => SkippedChannel {
                    id: channel.id.to_string(),
                    name: channel.name.clone(),
                    reason: s.reason.to_string(),
                },
                None => SkippedChannel {
                    id: s.channel.to_string(),
                    name: String::new(),
                    reason: "the channel does not exist".into(),
                },
            })
            .collect(),
        never_routed: why.never_routed.map(String::from),
        rate_limited,
    })
}
