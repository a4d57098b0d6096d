//! Channels: the list, adding by kind (a form drawn from the provider's schema) or by URL,
//! test sends before and after saving, editing (secrets show only that they are set),
//! enabling, deleting, and the events each channel subscribes to.

use std::collections::{BTreeMap, BTreeSet};

use askama::Template;
use axum::Router;
use axum::extract::Path;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::{Map, Value};
use tocsin_core::catalog::{EVENT_TYPES, Preset};
use tocsin_core::delivery::DeliveryStatus;
use tocsin_providers::Kind;
use tocsin_providers::schema::{FieldType, KindSchema};
use tocsin_store::DeliveryQuery;

use super::form::Form;
use super::{Ctx, Page, UiState, done, html};
use crate::service::channels::{self, ChannelInput, TestResult};
use crate::service::{ChannelView, ServiceError, deliveries, parse_id};

pub fn routes() -> Router<UiState> {
    Router::new()
        .route("/ui/channels", get(list).post(create))
        .route("/ui/channels/new", get(pick_kind))
        .route("/ui/channels/new/{kind}", get(new_form))
        .route("/ui/channels/test", post(test_unsaved))
        .route("/ui/channels/{id}", get(edit_form).post(update))
        .route("/ui/channels/{id}/test", post(test_saved))
        .route("/ui/channels/{id}/toggle", post(toggle))
        .route("/ui/channels/{id}/delete", get(confirm_delete).post(delete))
}

/// The labels a channel's own subscription can filter on, as form fields.
pub const FILTER_LABELS: [&str; 4] = ["application", "project", "environment", "cluster"];

/// A kind's badge: two letters on a hue of its own.
pub struct KindBadge {
    pub kind: String,
    pub label: String,
    pub letters: String,
    pub hue: u32,
}

impl KindBadge {
    pub fn new(kind: &str) -> Self {
        let label = Kind::parse(kind)
            .map(|k| k.provider().schema().label.to_owned())
            .unwrap_or_else(|| kind.to_owned());
        let letters: String = label
            .chars()
            .filter(|c| c.is_alphanumeric())
            .take(2)
            .collect();
        let hue = kind
            .bytes()
            .fold(7u32, |h, b| h.wrapping_mul(31).wrapping_add(u32::from(b)))
            % 360;
        Self {
            kind: kind.to_owned(),
            label,
            letters,
            hue,
        }
    }
}

pub struct ChannelRow {
    pub view: ChannelView,
    pub badge: KindBadge,
    pub last_status: Option<DeliveryStatus>,
    pub last_at: Option<String>,
    pub failures: u64,
}

#[derive(Template)]
#[template(path = "ui/channels.html")]
struct ListPage {
    c: Ctx,
    rows: Vec<ChannelRow>,
}

async fn list(mut c: Ctx) -> Page {
    c.nav = "channels";
    let views = channels::list(c.app(), &c.principal)
        .await
        .map_err(|e| c.fail(e))?;
    let mut rows = Vec::with_capacity(views.len());
    for view in views {
        let id = parse_id("id", &view.id).map_err(|e| c.fail(e.into()))?;
        let last = deliveries::list(
            c.app(),
            &c.principal,
            DeliveryQuery {
                channel_id: Some(id),
                limit: 1,
                ..Default::default()
            },
        )
        .await
        .map_err(|e| c.fail(e))?;
        let failed = deliveries::list(
            c.app(),
            &c.principal,
            DeliveryQuery {
                channel_id: Some(id),
                status: Some(DeliveryStatus::Failed),
                limit: 500,
                ..Default::default()
            },
        )
        .await
        .map_err(|e| c.fail(e))?;
        rows.push(ChannelRow {
            badge: KindBadge::new(&view.kind),
            last_status: last.first().map(|d| d.status),
            last_at: last.first().map(|d| d.updated_at.clone()),
            failures: failed.len() as u64,
            view,
        });
    }
    Ok(html(&ListPage { c, rows }))
}

#[derive(Template)]
#[template(path = "ui/channel_kinds.html")]
struct KindsPage {
    c: Ctx,
    kinds: Vec<(KindBadge, String)>,
    name: String,
    error: Option<String>,
}

async fn pick_kind(mut c: Ctx) -> Page {
    c.nav = "channels";
    let kinds = kinds(&c);
    Ok(html(&KindsPage {
        c,
        kinds,
        name: String::new(),
        error: None,
    }))
}

fn kinds(c: &Ctx) -> Vec<(KindBadge, String)> {
    Kind::ALL
        .iter()
        .map(|k| {
            let s = k.provider().schema();
            (
                KindBadge::new(s.kind),
                c.tr.or(&format!("kind-{}-description", s.kind), s.description),
            )
        })
        .collect()
}

/// One field of the form, as drawn from the schema.
pub struct FieldRow {
    pub input: String,
    pub name: String,
    pub label: String,
    pub help: String,
    /// `text`, `textarea`, `url`, `number`, `checkbox`, `select`, `map`.
    pub widget: &'static str,
    pub secret: bool,
    pub required: bool,
    pub value: String,
    pub checked: bool,
    pub options: Vec<String>,
    pub min: String,
    pub max: String,
    /// A secret that is stored: the field may stay empty to keep it.
    pub is_set: bool,
    /// A stored secret that is a reference, in words: where its value is read from
    /// (the variable's name or the file's path is no secret; the value is never shown).
    pub reference: Option<String>,
    pub error: Option<String>,
}

pub struct EventBox {
    pub name: String,
    pub description: String,
    pub checked: bool,
}

pub struct FilterRow {
    pub name: &'static str,
    pub value: String,
}

#[derive(Template)]
#[template(path = "ui/channel_form.html")]
struct FormPage {
    c: Ctx,
    badge: KindBadge,
    /// Set when editing.
    id: Option<String>,
    name: String,
    enabled: bool,
    fields: Vec<FieldRow>,
    groups: Vec<(String, Vec<EventBox>)>,
    patterns: String,
    filters: Vec<FilterRow>,
    /// A message not tied to one field.
    error: Option<String>,
    name_error: Option<String>,
    test: Option<TestView>,
    recent: Vec<crate::service::DeliveryView>,
}

/// A test send's result, as the form shows it.
pub struct TestView {
    pub ok: bool,
    pub status: Option<u16>,
    pub error: Option<String>,
    pub duration_ms: u64,
}

impl From<TestResult> for TestView {
    fn from(r: TestResult) -> Self {
        Self {
            ok: r.ok,
            status: r.status,
            error: r.error,
            duration_ms: r.duration_ms,
        }
    }
}

#[derive(Template)]
#[template(path = "ui/channel_test.html")]
struct TestFragment<'a> {
    c: &'a Ctx,
    test: Option<TestView>,
    error: Option<String>,
}

fn schema_of(kind: &str) -> Option<&'static KindSchema> {
    Kind::parse(kind).map(|k| k.provider().schema())
}

fn field_rows(
    c: &Ctx,
    schema: &KindSchema,
    settings: &Map<String, Value>,
    secrets_set: &BTreeMap<String, String>,
    form: Option<&Form>,
) -> Vec<FieldRow> {
    schema
        .fields
        .iter()
        .map(|f| {
            let input = if f.secret {
                format!("x.{}", f.name)
            } else {
                format!("s.{}", f.name)
            };
            let (widget, options, min, max) = match &f.field_type {
                FieldType::String => ("text", vec![], String::new(), String::new()),
                FieldType::Text => ("textarea", vec![], String::new(), String::new()),
                FieldType::Url => ("url", vec![], String::new(), String::new()),
                FieldType::Integer { min, max } => {
                    ("number", vec![], min.to_string(), max.to_string())
                }
                FieldType::Boolean => ("checkbox", vec![], String::new(), String::new()),
                FieldType::Choice { options } => (
                    "select",
                    options.iter().map(|o| (*o).to_owned()).collect(),
                    String::new(),
                    String::new(),
                ),
                FieldType::Map => ("map", vec![], String::new(), String::new()),
            };
            let stored = settings.get(f.name);
            let default = f.default.map(|d| d.to_value());
            let (value, checked) = match form {
                Some(form) if !f.secret => (
                    form.get(&input).unwrap_or_default().to_owned(),
                    form.has(&input),
                ),
                Some(_) => (String::new(), false),
                None => {
                    let v = stored.or(default.as_ref());
                    (
                        v.map(value_text).unwrap_or_default(),
                        v.and_then(Value::as_bool).unwrap_or(false),
                    )
                }
            };
            FieldRow {
                name: f.name.to_owned(),
                label: field_label(c, schema, f),
                help: c
                    .tr
                    .or(&format!("field-{}-{}-help", schema.kind, f.name), f.help),
                widget,
                secret: f.secret,
                required: f.required,
                value: if f.secret { String::new() } else { value },
                checked,
                options,
                min,
                max,
                is_set: f.secret && secrets_set.contains_key(f.name),
                reference: secrets_set
                    .get(f.name)
                    .filter(|_| f.secret)
                    .and_then(|shown| reference_text(c, shown)),
                error: None,
                input,
            }
        })
        .collect()
}

/// A field's label: the kind's own key (`field-slack-username`), else the name every
/// kind shares (`field-any-username`), which English keeps only where the kind's label is
/// the shared one (the locale test checks that every field has one of the two).
fn field_label(c: &Ctx, schema: &KindSchema, f: &tocsin_providers::schema::FieldSpec) -> String {
    c.tr.or(
        &format!("field-{}-{}", schema.kind, f.name),
        &c.tr.or(&format!("field-any-{}", f.name), f.label),
    )
}

/// What the API shows of a secret (`set`, or the reference itself) as words, when it is
/// a reference.
fn reference_text(c: &Ctx, shown: &str) -> Option<String> {
    match tocsin_core::secret_ref::SecretRef::parse(shown) {
        Ok(Some(tocsin_core::secret_ref::SecretRef::Env(name))) => {
            Some(c.t1("secret-from-env", "name", &name))
        }
        Ok(Some(tocsin_core::secret_ref::SecretRef::File(path))) => {
            Some(c.t1("secret-from-file", "path", &path.display().to_string()))
        }
        _ => None,
    }
}

/// A setting's value as a form field shows it; maps one `Name: value` per line.
fn value_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Object(m) => m
            .iter()
            .map(|(k, v)| format!("{k}: {}", v.as_str().unwrap_or_default()))
            .collect::<Vec<_>>()
            .join("\n"),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

pub fn event_groups(c: &Ctx, ticked: &BTreeSet<String>) -> Vec<(String, Vec<EventBox>)> {
    let mut groups: Vec<(String, Vec<EventBox>)> = Vec::new();
    for e in EVENT_TYPES.iter().filter(|e| e.name != "notification.test") {
        let item = EventBox {
            name: e.name.to_owned(),
            description: c.tr.or(
                &format!("event-{}", e.name.replace('.', "-")),
                e.description,
            ),
            checked: ticked.contains(e.name),
        };
        match groups.last_mut() {
            Some((g, items)) if *g == e.group => items.push(item),
            _ => groups.push((e.group.to_owned(), vec![item])),
        }
    }
    groups
}

fn defaults() -> BTreeSet<String> {
    Preset::Defaults.types().map(String::from).collect()
}

fn is_catalogued(name: &str) -> bool {
    EVENT_TYPES.iter().any(|e| e.name == name)
}

async fn new_form(mut c: Ctx, Path(kind): Path<String>) -> Page {
    c.nav = "channels";
    let Some(schema) = schema_of(&kind) else {
        return Err(c.fail(ServiceError::NotFound("kind")));
    };
    let fields = field_rows(&c, schema, &Map::new(), &BTreeMap::new(), None);
    let groups = event_groups(&c, &defaults());
    Ok(html(&FormPage {
        badge: KindBadge::new(schema.kind),
        id: None,
        name: String::new(),
        enabled: true,
        fields,
        groups,
        patterns: String::new(),
        filters: FILTER_LABELS
            .iter()
            .map(|name| FilterRow {
                name,
                value: String::new(),
            })
            .collect(),
        error: None,
        name_error: None,
        test: None,
        recent: Vec::new(),
        c,
    }))
}

/// A channel as the form describes it. `editing`: an emptied setting is removed.
fn input_from_form(schema: &KindSchema, form: &Form, editing: bool) -> ChannelInput {
    let mut settings = Map::new();
    let mut secrets = Map::new();
    for f in schema.fields {
        if f.secret {
            if let Some(v) = form.text(&format!("x.{}", f.name)) {
                secrets.insert(f.name.to_owned(), Value::String(v));
            }
            continue;
        }
        let key = format!("s.{}", f.name);
        let value = match &f.field_type {
            FieldType::Boolean => Some(Value::Bool(form.has(&key))),
            FieldType::Integer { .. } => form.text(&key).map(|t| {
                t.parse::<i64>()
                    .map(Value::from)
                    .unwrap_or(Value::String(t))
            }),
            FieldType::Map => form.text(&key).map(|t| {
                Value::Object(
                    t.lines()
                        .filter_map(|l| l.split_once(':'))
                        .map(|(k, v)| (k.trim().to_owned(), Value::String(v.trim().to_owned())))
                        .collect(),
                )
            }),
            _ => form.text(&key).map(Value::String),
        };
        match value {
            Some(v) => {
                settings.insert(f.name.to_owned(), v);
            }
            None if editing => {
                settings.insert(f.name.to_owned(), Value::Null);
            }
            None => {}
        }
    }
    let mut events: Vec<String> = form.all("ev").into_iter().map(String::from).collect();
    events.extend(
        form.get("patterns")
            .unwrap_or_default()
            .split([',', ' ', '\n'])
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(String::from),
    );
    let match_labels: BTreeMap<String, String> = FILTER_LABELS
        .iter()
        .filter_map(|l| form.text(&format!("f.{l}")).map(|v| ((*l).to_owned(), v)))
        .collect();
    ChannelInput {
        name: form.text("name"),
        kind: Some(schema.kind.to_owned()),
        settings: Some(settings),
        secrets: Some(secrets),
        events: Some(Some(events)),
        match_labels: Some(match_labels),
        enabled: Some(form.has("enabled")),
        ..Default::default()
    }
}

/// The form again with what was typed (never a secret) and the service's complaint
/// next to its field.
fn form_again(
    c: Ctx,
    schema: &'static KindSchema,
    form: &Form,
    id: Option<String>,
    secrets_set: &BTreeMap<String, String>,
    e: Option<ServiceError>,
    test: Option<TestView>,
) -> Response {
    let mut fields = field_rows(&c, schema, &Map::new(), secrets_set, Some(form));
    let mut error = None;
    let mut name_error = None;
    match e {
        Some(ServiceError::Invalid(f)) => {
            let message = if f.message == "is required" {
                c.t("error-required")
            } else {
                f.message.clone()
            };
            let target = f
                .field
                .strip_prefix("settings.")
                .or_else(|| f.field.strip_prefix("secrets."));
            match (target, f.field.as_str()) {
                (Some(name), _) if fields.iter().any(|r| r.name == name) => {
                    if let Some(row) = fields.iter_mut().find(|r| r.name == name) {
                        row.error = Some(message);
                    }
                }
                (_, "name") => name_error = Some(message),
                _ => error = Some(format!("{}: {message}", f.field)),
            }
        }
        Some(other) => error = Some(other.to_string()),
        None => {}
    }
    let ticked: BTreeSet<String> = form.all("ev").into_iter().map(String::from).collect();
    let status =
        if error.is_some() || name_error.is_some() || fields.iter().any(|f| f.error.is_some()) {
            http::StatusCode::UNPROCESSABLE_ENTITY
        } else {
            http::StatusCode::OK
        };
    let page = FormPage {
        badge: KindBadge::new(schema.kind),
        id,
        name: form.get("name").unwrap_or_default().to_owned(),
        enabled: form.has("enabled"),
        fields,
        groups: event_groups(&c, &ticked),
        patterns: form.get("patterns").unwrap_or_default().to_owned(),
        filters: FILTER_LABELS
            .iter()
            .map(|name| FilterRow {
                name,
                value: form
                    .get(&format!("f.{name}"))
                    .unwrap_or_default()
                    .to_owned(),
            })
            .collect(),
        error,
        name_error,
        test,
        recent: Vec::new(),
        c,
    };
    (status, html(&page)).into_response()
}

#[derive(Template)]
#[template(path = "ui/channel_created.html")]
struct CreatedPage {
    c: Ctx,
    id: String,
    name: String,
    signing_secret: String,
}

async fn create(mut c: Ctx, form: Form) -> Page {
    c.nav = "channels";
    // Added by pasting a URL.
    if let Some(url) = form.text("url") {
        let input = ChannelInput {
            name: form.text("name"),
            url: Some(url),
            ..Default::default()
        };
        return match channels::create(c.app(), &c.principal, input).await {
            Ok(view) => Ok(done(&format!("/ui/channels/{}", view.id), "created")),
            Err(e) => {
                let message = match e {
                    ServiceError::Invalid(f) => format!("{}: {}", f.field, f.message),
                    other => other.to_string(),
                };
                let kinds = kinds(&c);
                let page = KindsPage {
                    kinds,
                    name: form.get("name").unwrap_or_default().to_owned(),
                    error: Some(message),
                    c,
                };
                Ok((http::StatusCode::UNPROCESSABLE_ENTITY, html(&page)).into_response())
            }
        };
    }
    let Some(schema) = form.get("kind").and_then(schema_of) else {
        return Err(c.fail(ServiceError::NotFound("kind")));
    };
    let input = input_from_form(schema, &form, false);
    if form.get("action") == Some("test") {
        let result = channels::test_unsaved(c.app(), &c.principal, input).await;
        return Ok(match result {
            Ok(r) => form_again(
                c,
                schema,
                &form,
                None,
                &BTreeMap::new(),
                None,
                Some(r.into()),
            ),
            Err(e) => form_again(c, schema, &form, None, &BTreeMap::new(), Some(e), None),
        });
    }
    match channels::create(c.app(), &c.principal, input).await {
        Ok(view) => match view.signing_secret {
            // Shown once, as the API does: the receiver needs it to check signatures.
            Some(secret) => Ok(html(&CreatedPage {
                c,
                id: view.id,
                name: view.name,
                signing_secret: secret,
            })),
            None => Ok(done(&format!("/ui/channels/{}", view.id), "created")),
        },
        Err(e) => Ok(form_again(
            c,
            schema,
            &form,
            None,
            &BTreeMap::new(),
            Some(e),
            None,
        )),
    }
}

/// A test send from the add form, answered with the result fragment (htmx).
async fn test_unsaved(c: Ctx, form: Form) -> Page {
    let Some(schema) = form.get("kind").and_then(schema_of) else {
        return Err(c.fail(ServiceError::NotFound("kind")));
    };
    let input = input_from_form(schema, &form, false);
    let (test, error) = match channels::test_unsaved(c.app(), &c.principal, input).await {
        Ok(r) => (Some(r.into()), None),
        Err(ServiceError::Invalid(f)) => (None, Some(format!("{}: {}", f.field, f.message))),
        Err(e) => (None, Some(e.to_string())),
    };
    Ok(html(&TestFragment { c: &c, test, error }))
}

/// The stored secrets' names with what the API shows of each (`set` or a reference).
fn secrets_set(view: &ChannelView) -> BTreeMap<String, String> {
    view.secrets
        .as_object()
        .map(|m| {
            m.iter()
                .map(|(k, v)| (k.clone(), v.as_str().unwrap_or("set").to_owned()))
                .collect()
        })
        .unwrap_or_default()
}

async fn load(c: &Ctx, id: &str) -> Result<(ulid::Ulid, ChannelView), Response> {
    let id = parse_id("id", id).map_err(|_| c.fail(ServiceError::NotFound("channel")))?;
    let view = channels::get(c.app(), &c.principal, id)
        .await
        .map_err(|e| c.fail(e))?;
    Ok((id, view))
}

async fn edit_form(mut c: Ctx, Path(id): Path<String>) -> Page {
    c.nav = "channels";
    let (id, view) = load(&c, &id).await?;
    edit_page(c, id, view, None).await
}

async fn edit_page(c: Ctx, id: ulid::Ulid, view: ChannelView, test: Option<TestView>) -> Page {
    let Some(schema) = schema_of(&view.kind) else {
        return Err(c.fail(ServiceError::NotFound("kind")));
    };
    let fields = field_rows(&c, schema, &view.settings, &secrets_set(&view), None);
    let events = view.events.clone().unwrap_or_default();
    let ticked: BTreeSet<String> = events.iter().cloned().collect();
    let patterns = events
        .iter()
        .filter(|e| !is_catalogued(e))
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    let recent = deliveries::list(
        c.app(),
        &c.principal,
        DeliveryQuery {
            channel_id: Some(id),
            limit: 10,
            ..Default::default()
        },
    )
    .await
    .map_err(|e| c.fail(e))?;
    Ok(html(&FormPage {
        badge: KindBadge::new(schema.kind),
        id: Some(view.id.clone()),
        name: view.name.clone(),
        enabled: view.enabled,
        fields,
        groups: event_groups(&c, &ticked),
        patterns,
        filters: FILTER_LABELS
            .iter()
            .map(|name| FilterRow {
                name,
                value: view.match_labels.get(*name).cloned().unwrap_or_default(),
            })
            .collect(),
        error: None,
        name_error: None,
        test,
        recent,
        c,
    }))
}

async fn update(mut c: Ctx, Path(id): Path<String>, form: Form) -> Page {
    c.nav = "channels";
    let (id, view) = load(&c, &id).await?;
    let Some(schema) = schema_of(&view.kind) else {
        return Err(c.fail(ServiceError::NotFound("kind")));
    };
    let input = input_from_form(schema, &form, true);
    match channels::update(c.app(), &c.principal, id, input).await {
        Ok(_) => Ok(done(&format!("/ui/channels/{id}"), "saved")),
        Err(e) => Ok(form_again(
            c,
            schema,
            &form,
            Some(view.id.clone()),
            &secrets_set(&view),
            Some(e),
            None,
        )),
    }
}

/// A test send through a saved channel: the fragment for htmx, the edit page otherwise.
async fn test_saved(mut c: Ctx, headers: HeaderMap, Path(id): Path<String>) -> Page {
    c.nav = "channels";
    let (id, view) = load(&c, &id).await?;
    let result = channels::test_saved(c.app(), &c.principal, id).await;
    if headers.contains_key("hx-request") {
        let (test, error) = match result {
            Ok(r) => (Some(r.into()), None),
            Err(e) => (None, Some(e.to_string())),
        };
        return Ok(html(&TestFragment { c: &c, test, error }));
    }
    let test = result.map_err(|e| c.fail(e))?;
    edit_page(c, id, view, Some(test.into())).await
}

async fn toggle(c: Ctx, Path(id): Path<String>, form: Form) -> Page {
    let (id, view) = load(&c, &id).await?;
    let enabled = !view.enabled;
    let input = ChannelInput {
        enabled: Some(enabled),
        ..Default::default()
    };
    channels::update(c.app(), &c.principal, id, input)
        .await
        .map_err(|e| c.fail(e))?;
    let back = match form.get("back") {
        Some("edit") => format!("/ui/channels/{id}"),
        _ => "/ui/channels".to_owned(),
    };
    Ok(done(&back, if enabled { "enabled" } else { "disabled" }))
}

#[derive(Template)]
#[template(path = "ui/channel_delete.html")]
struct DeletePage {
    c: Ctx,
    view: ChannelView,
}

async fn confirm_delete(mut c: Ctx, Path(id): Path<String>) -> Page {
    c.nav = "channels";
    let (_, view) = load(&c, &id).await?;
    Ok(html(&DeletePage { c, view }))
}

async fn delete(c: Ctx, Path(id): Path<String>) -> Page {
    let (id, _) = load(&c, &id).await?;
    channels::delete(c.app(), &c.principal, id)
        .await
        .map_err(|e| c.fail(e))?;
    Ok(done("/ui/channels", "deleted"))
}

/// Lets other pages name channels.
pub async fn names(c: &Ctx) -> Result<BTreeMap<String, String>, Response> {
    Ok(channels::list(c.app(), &c.principal)
        .await
        .map_err(|e| c.fail(e))?
        .into_iter()
        .map(|v| (v.id, v.name))
        .collect())
}
