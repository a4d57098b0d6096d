//! What the interfaces show of domain objects. Secrets appear only as `"set"`.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::{Map, Value};
use tocsin_core::channel::Channel;
use tocsin_core::delivery::{Attempt, Delivery, DeliveryStatus, RetrySchedule, format_duration};
use tocsin_core::event::{Event, Severity};
use tocsin_core::mute::WhileMuted;
use tocsin_core::rule::{Rule, split_matchers};
use tocsin_core::time::to_rfc3339;
use tocsin_providers::Kind;
use utoipa::ToSchema;

#[derive(Debug, Serialize, ToSchema)]
pub struct ChannelView {
    pub id: String,
    pub name: String,
    pub kind: String,
    #[schema(value_type = Object)]
    pub settings: Map<String, Value>,
    /// `{"name": "set"}` for every stored secret.
    #[schema(value_type = Object)]
    pub secrets: Value,
    /// The channel as a URL, secrets masked.
    pub url: String,
    pub enabled: bool,
    pub tags: Vec<String>,
    /// The channel's own subscription; absent when only standalone rules route to it.
    pub events: Option<Vec<String>>,
    #[serde(rename = "match")]
    pub match_labels: BTreeMap<String, String>,
    pub matchers: Vec<String>,
    pub min_severity: Option<Severity>,
    pub retry_schedule: Vec<String>,
    /// The tenant that owns the channel; `null` for a global one.
    pub tenant: Option<String>,
    /// The projects the channel is restricted to; empty: any.
    pub projects: Vec<String>,
    pub created_at: String,
    pub updated_at: String,
    /// Shown once, when Tocsin generated the webhook signing secret on create.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub signing_secret: Option<String>,
    /// `config` when the configuration file declares the channel (the API cannot change
    /// it), `api` when it was made through the API or UI.
    pub managed_by: String,
}

impl ChannelView {
    pub fn new(c: &Channel, own_rule: Option<&Rule>, default_schedule: &RetrySchedule) -> Self {
        let (match_labels, matchers) = own_rule
            .map(|r| split_matchers(&r.matchers))
            .unwrap_or_default();
        let url = Kind::parse(&c.kind)
            .map(|k| k.provider().to_url(&c.config, false))
            .unwrap_or_default();
        let schedule = c.retry_schedule.as_ref().unwrap_or(default_schedule);
        Self {
            id: c.id.to_string(),
            name: c.name.clone(),
            kind: c.kind.clone(),
            settings: c.config.settings.clone(),
            secrets: c.config.secrets.redacted(),
            url,
            enabled: c.enabled,
            tags: c.tags.clone(),
            events: own_rule.map(|r| r.events.iter().map(|p| p.as_str().to_owned()).collect()),
            match_labels,
            matchers,
            min_severity: own_rule.and_then(|r| r.min_severity),
            retry_schedule: schedule
                .to_json()
                .as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(|v| v.as_str().map(String::from))
                        .collect()
                })
                .unwrap_or_default(),
            tenant: c.tenant.clone(),
            projects: c.projects.clone(),
            created_at: to_rfc3339(c.created_at),
            updated_at: to_rfc3339(c.updated_at),
            signing_secret: None,
            managed_by: "api".into(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RuleView {
    pub id: String,
    pub name: String,
    pub events: Vec<String>,
    #[serde(rename = "match")]
    pub match_labels: BTreeMap<String, String>,
    pub matchers: Vec<String>,
    pub min_severity: Option<Severity>,
    pub channels: Vec<String>,
    pub enabled: bool,
    /// Replaces the recipients of the email channels the rule routes to.
    pub recipients: Option<String>,
    /// Mute window ids.
    pub mute: Vec<String>,
    pub while_muted: WhileMuted,
    pub critical_breaks_through: bool,
    /// `4h`-style, or `null` when the rule does not repeat.
    pub repeat_interval: Option<String>,
    /// Replaces the template of the webhook channels the rule routes to.
    pub template: Option<String>,
    /// `5m`-style digest window, or `null` when each event is sent on its own.
    pub digest: Option<String>,
    /// The tenant that owns the rule; `null` for a global one.
    pub tenant: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    /// `config` when the configuration file declares the rule (the API cannot change it),
    /// `api` when it was made through the API or UI.
    pub managed_by: String,
}

impl From<&Rule> for RuleView {
    fn from(r: &Rule) -> Self {
        let (match_labels, matchers) = split_matchers(&r.matchers);
        Self {
            id: r.id.to_string(),
            name: r.name.clone(),
            events: r.events.iter().map(|p| p.as_str().to_owned()).collect(),
            match_labels,
            matchers,
            min_severity: r.min_severity,
            channels: r.channels.iter().map(ToString::to_string).collect(),
            enabled: r.enabled,
            recipients: r.recipients.clone(),
            mute: r.mute.iter().map(ToString::to_string).collect(),
            while_muted: r.while_muted,
            critical_breaks_through: r.critical_breaks_through,
            repeat_interval: r.repeat_interval.map(format_duration),
            template: r.template.clone(),
            digest: r.digest.map(format_duration),
            tenant: r.tenant.clone(),
            created_at: to_rfc3339(r.created_at),
            updated_at: to_rfc3339(r.updated_at),
            managed_by: "api".into(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AttemptView {
    pub number: u32,
    pub started_at: String,
    pub duration_ms: u32,
    /// The receiver's HTTP status, when it answered.
    pub status_code: Option<u16>,
    /// The delivery's status after this attempt.
    pub outcome: DeliveryStatus,
    pub error: Option<String>,
    pub response_excerpt: Option<String>,
}

impl From<&Attempt> for AttemptView {
    fn from(a: &Attempt) -> Self {
        Self {
            number: a.number,
            started_at: to_rfc3339(a.started_at),
            duration_ms: a.duration_ms,
            status_code: a.status_code,
            outcome: a.outcome,
            error: a.error.clone(),
            response_excerpt: a.response_excerpt.clone(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DeliveryView {
    /// Also the `webhook-id` header: stable across retries.
    pub id: String,
    pub event_id: String,
    pub channel_id: String,
    pub status: DeliveryStatus,
    pub attempt_count: u32,
    pub next_attempt_at: Option<String>,
    pub last_error: Option<String>,
    /// Recipients a rule set in place of the channel's own.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recipients: Option<String>,
    /// A template a rule set in place of the channel's own.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub template: Option<String>,
    /// Set on a digest: when its window ends (it takes more events until then).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub digest_until: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    /// Present on single-delivery and event views.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attempts: Option<Vec<AttemptView>>,
}

impl DeliveryView {
    pub fn new(d: &Delivery, attempts: Option<&[Attempt]>) -> Self {
        Self {
            id: d.id.to_string(),
            event_id: d.event_id.to_string(),
            channel_id: d.channel_id.to_string(),
            status: d.status,
            attempt_count: d.attempts,
            next_attempt_at: d
                .next_attempt_at
                .filter(|_| !d.status.is_final())
                .map(to_rfc3339),
            last_error: d.last_error.clone(),
            recipients: d.recipients.clone(),
            template: d.template.clone(),
            digest_until: d.digest_until.map(to_rfc3339),
            created_at: to_rfc3339(d.created_at),
            updated_at: to_rfc3339(d.updated_at),
            attempts: attempts.map(|list| list.iter().map(AttemptView::from).collect()),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct EventView {
    pub id: String,
    #[serde(rename = "type")]
    pub event_type: String,
    pub title: String,
    pub message: String,
    pub severity: Severity,
    pub source: BTreeMap<String, String>,
    #[schema(value_type = Object)]
    pub data: Value,
    pub idempotency_key: Option<String>,
    pub state_key: Option<String>,
    pub state: Option<String>,
    pub occurred_at: String,
    pub received_at: String,
    /// Present on the single-event view.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deliveries: Option<Vec<DeliveryView>>,
}

impl EventView {
    pub fn new(e: &Event, deliveries: Option<&[(Delivery, Vec<Attempt>)]>) -> Self {
        Self {
            id: e.id.to_string(),
            event_type: e.event_type.clone(),
            title: e.title.clone(),
            message: e.message.clone(),
            severity: e.severity,
            source: e.source.clone(),
            data: e.data.clone(),
            idempotency_key: e.idempotency_key.clone(),
            state_key: e.state_key.clone(),
            state: e.state.clone(),
            occurred_at: to_rfc3339(e.occurred_at),
            received_at: to_rfc3339(e.received_at),
            deliveries: deliveries.map(|list| {
                list.iter()
                    .map(|(d, a)| DeliveryView::new(d, Some(a)))
                    .collect()
            }),
        }
    }
}
