//! Rules: the list, creating and editing one (event patterns from the catalogue or typed,
//! matchers, minimum severity, channels, template, quiet hours, digest), deleting, and the
//! explain view: where an event would go and why not elsewhere.

use std::collections::{BTreeMap, BTreeSet};

use askama::Template;
use axum::Router;
use axum::extract::Path;
use axum::http::Uri;
use axum::response::IntoResponse;
use axum::routing::get;
use tocsin_core::event::{EventInput, Severity};
use tocsin_store::EventQuery;

use super::channels::{EventBox, names};
use super::{Ctx, Page, UiState, done, form, html};
use crate::service::rules::{self, Explanation, RuleInput};
use crate::service::{EventView, RuleView, ServiceError, events, mute_windows, parse_id};

pub fn routes() -> Router<UiState> {
    Router::new()
        .route("/ui/rules", get(list).post(create))
        .route("/ui/rules/new", get(new_form))
        .route("/ui/rules/{id}", get(edit_form).post(update))
        .route("/ui/rules/{id}/delete", axum::routing::post(delete))
        .route("/ui/explain", get(explain_page).post(explain))
}

#[derive(Template)]
#[template(path = "ui/rules.html")]
struct ListPage {
    c: Ctx,
    rules: Vec<RuleView>,
    channels: BTreeMap<String, String>,
}

async fn list(mut c: Ctx) -> Page {
    c.nav = "rules";
    let rules = rules::list(c.app(), &c.principal)
        .await
        .map_err(|e| c.fail(e))?;
    let channels = names(&c).await?;
    Ok(html(&ListPage { c, rules, channels }))
}

pub struct Choice {
    pub id: String,
    pub name: String,
    pub checked: bool,
}

#[derive(Template)]
#[template(path = "ui/rule_form.html")]
struct FormPage {
    c: Ctx,
    id: Option<String>,
    name: String,
    enabled: bool,
    groups: Vec<(String, Vec<EventBox>)>,
    patterns: String,
    matchers: String,
    min_severity: String,
    severities: Vec<&'static str>,
    channels: Vec<Choice>,
    windows: Vec<Choice>,
    template: String,
    digest: String,
    repeat_interval: String,
    error: Option<String>,
}

/// What the form shows; from a stored rule or from what was posted.
struct Values {
    name: String,
    enabled: bool,
    events: Vec<String>,
    matchers: String,
    min_severity: String,
    channels: BTreeSet<String>,
    mute: BTreeSet<String>,
    template: String,
    digest: String,
    repeat_interval: String,
}

impl From<&RuleView> for Values {
    fn from(r: &RuleView) -> Self {
        let matchers = r
            .match_labels
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .chain(r.matchers.iter().cloned())
            .collect::<Vec<_>>()
            .join("\n");
        Self {
            name: r.name.clone(),
            enabled: r.enabled,
            events: r.events.clone(),
            matchers,
            min_severity: r
                .min_severity
                .map(|s| s.as_str().to_owned())
                .unwrap_or_default(),
            channels: r.channels.iter().cloned().collect(),
            mute: r.mute.iter().cloned().collect(),
            template: r.template.clone().unwrap_or_default(),
            digest: r.digest.clone().unwrap_or_default(),
            repeat_interval: r.repeat_interval.clone().unwrap_or_default(),
        }
    }
}

impl From<&form::Form> for Values {
    fn from(f: &form::Form) -> Self {
        let mut events: Vec<String> = f.all("ev").into_iter().map(String::from).collect();
        events.extend(split_patterns(f.get("patterns").unwrap_or_default()));
        Self {
            name: f.get("name").unwrap_or_default().to_owned(),
            enabled: f.has("enabled"),
            events,
            matchers: f.get("matchers").unwrap_or_default().to_owned(),
            min_severity: f.get("min_severity").unwrap_or_default().to_owned(),
            channels: f.all("channel").into_iter().map(String::from).collect(),
            mute: f.all("mute").into_iter().map(String::from).collect(),
            template: f.get("template").unwrap_or_default().to_owned(),
            digest: f.get("digest").unwrap_or_default().to_owned(),
            repeat_interval: f.get("repeat_interval").unwrap_or_default().to_owned(),
        }
    }
}

fn split_patterns(text: &str) -> Vec<String> {
    text.split([',', ' ', '\n'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(String::from)
        .collect()
}

async fn form_page(c: Ctx, id: Option<String>, v: Values, error: Option<String>) -> Page {
    let channels = names(&c)
        .await?
        .into_iter()
        .map(|(id, name)| Choice {
            checked: v.channels.contains(&id),
            id,
            name,
        })
        .collect();
    let windows = mute_windows::list(c.app(), &c.principal)
        .await
        .map_err(|e| c.fail(e))?
        .into_iter()
        .map(|w| Choice {
            checked: v.mute.contains(&w.id),
            id: w.id,
            name: w.name,
        })
        .collect();
    let ticked: BTreeSet<String> = v.events.iter().cloned().collect();
    let patterns = v
        .events
        .iter()
        .filter(|e| {
            !tocsin_core::catalog::EVENT_TYPES
                .iter()
                .any(|t| t.name == e.as_str())
        })
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    let status = if error.is_some() {
        http::StatusCode::UNPROCESSABLE_ENTITY
    } else {
        http::StatusCode::OK
    };
    let page = FormPage {
        groups: super::channels::event_groups(&c, &ticked),
        id,
        name: v.name,
        enabled: v.enabled,
        patterns,
        matchers: v.matchers,
        min_severity: v.min_severity,
        severities: Severity::ALL.iter().map(|s| s.as_str()).collect(),
        channels,
        windows,
        template: v.template,
        digest: v.digest,
        repeat_interval: v.repeat_interval,
        error,
        c,
    };
    Ok((status, html(&page)).into_response())
}

async fn new_form(mut c: Ctx) -> Page {
    c.nav = "rules";
    let v = Values {
        name: String::new(),
        enabled: true,
        events: Vec::new(),
        matchers: String::new(),
        min_severity: String::new(),
        channels: BTreeSet::new(),
        mute: BTreeSet::new(),
        template: String::new(),
        digest: String::new(),
        repeat_interval: String::new(),
    };
    form_page(c, None, v, None).await
}

async fn edit_form(mut c: Ctx, Path(id): Path<String>) -> Page {
    c.nav = "rules";
    let rid = parse_id("id", &id).map_err(|_| c.fail(ServiceError::NotFound("rule")))?;
    let rule = rules::get(c.app(), &c.principal, rid)
        .await
        .map_err(|e| c.fail(e))?;
    form_page(c, Some(rule.id.clone()), Values::from(&rule), None).await
}

fn optional(text: &str) -> Option<Option<String>> {
    let t = text.trim();
    Some((!t.is_empty()).then(|| t.to_owned()))
}

fn input_from(f: &form::Form) -> Result<RuleInput, ServiceError> {
    let v = Values::from(f);
    let min_severity = match v.min_severity.as_str() {
        "" => None,
        s => Some(
            s.parse::<Severity>()
                .map_err(|m: String| tocsin_core::FieldError::new("min_severity", m))?,
        ),
    };
    Ok(RuleInput {
        name: Some(v.name.trim().to_owned()),
        events: Some(v.events),
        match_labels: Some(BTreeMap::new()),
        matchers: Some(
            v.matchers
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(String::from)
                .collect(),
        ),
        min_severity: Some(min_severity),
        channels: Some(v.channels.into_iter().collect()),
        enabled: Some(v.enabled),
        mute: Some(v.mute.into_iter().collect()),
        template: optional(&v.template),
        digest: optional(&v.digest),
        repeat_interval: optional(&v.repeat_interval),
        ..Default::default()
    })
}

fn message(e: &ServiceError) -> String {
    match e {
        ServiceError::Invalid(f) => format!("{}: {}", f.field, f.message),
        other => other.to_string(),
    }
}

async fn create(mut c: Ctx, f: form::Form) -> Page {
    c.nav = "rules";
    let result = match input_from(&f) {
        Ok(input) => rules::create(c.app(), &c.principal, input).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(rule) => Ok(done(&format!("/ui/rules/{}", rule.id), "created")),
        Err(e @ (ServiceError::Invalid(_) | ServiceError::Conflict(_))) => {
            let m = message(&e);
            form_page(c, None, Values::from(&f), Some(m)).await
        }
        Err(e) => Err(c.fail(e)),
    }
}

async fn update(mut c: Ctx, Path(id): Path<String>, f: form::Form) -> Page {
    c.nav = "rules";
    let rid = parse_id("id", &id).map_err(|_| c.fail(ServiceError::NotFound("rule")))?;
    let result = match input_from(&f) {
        Ok(input) => rules::update(c.app(), &c.principal, rid, input).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(_) => Ok(done(&format!("/ui/rules/{rid}"), "saved")),
        Err(e @ (ServiceError::Invalid(_) | ServiceError::Conflict(_))) => {
            let m = message(&e);
            form_page(c, Some(rid.to_string()), Values::from(&f), Some(m)).await
        }
        Err(e) => Err(c.fail(e)),
    }
}

async fn delete(c: Ctx, Path(id): Path<String>) -> Page {
    let rid = parse_id("id", &id).map_err(|_| c.fail(ServiceError::NotFound("rule")))?;
    rules::delete(c.app(), &c.principal, rid)
        .await
        .map_err(|e| c.fail(e))?;
    Ok(done("/ui/rules", "deleted"))
}

#[derive(Template)]
#[template(path = "ui/explain.html")]
struct ExplainPage {
    c: Ctx,
    json: String,
    recent: Vec<EventView>,
    picked: String,
    result: Option<Explanation>,
    error: Option<String>,
}

const SAMPLE: &str = r#"{
  "type": "deploy.failure",
  "title": "Deploy failed",
  "severity": "critical",
  "source": {"application": "api", "environment": "production"}
}"#;

/// An event as `POST /api/v1/events` takes it, from a stored one.
fn as_input(e: &EventView) -> String {
    let mut v = serde_json::json!({
        "type": e.event_type,
        "title": e.title,
        "severity": e.severity.as_str(),
        "source": e.source,
    });
    if !e.message.is_empty() {
        v["message"] = e.message.clone().into();
    }
    if !e.data.is_null() && e.data.as_object().is_none_or(|m| !m.is_empty()) {
        v["data"] = e.data.clone();
    }
    if let Some(k) = &e.state_key {
        v["state_key"] = k.clone().into();
        v["state"] = e.state.clone().into();
    }
    serde_json::to_string_pretty(&v).unwrap_or_default()
}

async fn recent(c: &Ctx) -> Result<Vec<EventView>, axum::response::Response> {
    events::list(
        c.app(),
        &c.principal,
        EventQuery {
            limit: 30,
            ..Default::default()
        },
    )
    .await
    .map_err(|e| c.fail(e))
}

async fn explain_page(mut c: Ctx, uri: Uri) -> Page {
    c.nav = "explain";
    let q = form::query(&uri);
    let picked = q.text("event").unwrap_or_default();
    let recent = recent(&c).await?;
    let mut json = SAMPLE.to_owned();
    if let Ok(id) = parse_id("event", &picked)
        && let Ok(e) = events::get(c.app(), &c.principal, id).await
    {
        json = as_input(&e);
    }
    Ok(html(&ExplainPage {
        c,
        json,
        recent,
        picked,
        result: None,
        error: None,
    }))
}

async fn explain(mut c: Ctx, f: form::Form) -> Page {
    c.nav = "explain";
    let json = f.get("event").unwrap_or_default().to_owned();
    let recent = recent(&c).await?;
    let (result, error) = match serde_json::from_str::<EventInput>(&json) {
        Err(e) => (None, Some(format!("{}: {e}", c.t("explain-bad-json")))),
        Ok(input) => match rules::explain(c.app(), &c.principal, input).await {
            Ok(r) => (Some(r), None),
            Err(e) => (None, Some(message(&e))),
        },
    };
    Ok(html(&ExplainPage {
        c,
        json,
        recent,
        picked: String::new(),
        result,
        error,
    }))
}
