//! Message templates of the generic `webhook` channel: the presets (`generic`, `slack`,
//! `discord`, `teams`, `n8n`, `ringcentral`, `dokploy`), user templates in MiniJinja syntax
//! (with `${name}` placeholders accepted as a shorthand for `{{ name }}`), the variables an
//! event offers them, and the limits that keep a hostile template from hurting the server.
//!
//! Rendering for a JSON body escapes every printed string for use *inside* a JSON string, so
//! `"text": "{{ title }}"` stays valid whatever the title holds; `{{ value|tojson }}` prints a
//! complete JSON value (quotes included) and maps and lists print as compact JSON. Missing
//! variables print as nothing, even through chains like `data.a.b`. Besides MiniJinja's
//! built-in filters, templates can use `mrkdwn` (escapes `&`, `<` and `>` for Slack) and
//! `truncate(n)` (at most `n` characters, ending in `…` when cut).

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;
use std::io;
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use minijinja::value::{Enumerator, Object, Serde, Value as JinjaValue, ValueKind};
use minijinja::{AutoEscape, Environment, ErrorKind, Output, State, UndefinedBehavior};
use serde_json::{Map, Value, json};
use ulid::Ulid;

use crate::event::{Event, Severity};
use crate::{FieldError, time};

mod generic;

/// How many parsed templates [`Template::cached`] keeps.
pub const CACHED: usize = 256;

/// The preset names a `template` setting may hold instead of a template text.
pub const PRESETS: &[&str] = &[
    "generic",
    "slack",
    "discord",
    "teams",
    "n8n",
    "ringcentral",
    "dokploy",
];

const FIELD: &str = "template";
/// Work budget of one render: enough for any sensible template, small enough that a loop over
/// millions of items stops within milliseconds.
const FUEL: u64 = 100_000;
/// Largest body a template may produce.
const MAX_OUTPUT: usize = 256 * 1024;
/// The same source is compiled twice, once per body format, because the escaping of captured
/// output (`{% set %}` blocks, macros) is fixed when a template is compiled.
const JSON_TEMPLATE: &str = "body.json";
const TEXT_TEMPLATE: &str = "body.txt";
/// The custom auto-escape mode of JSON bodies, read back by [`format_value`].
const JSON_ESCAPE: &str = "json-string";

/// What kind of body a template produces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyFormat {
    /// Printed strings are JSON-escaped and the result must parse as JSON.
    Json,
    /// Printed strings are written as they are.
    Text,
}

/// A compiled template: a preset or a user's text.
#[derive(Clone)]
pub struct Template {
    env: Environment<'static>,
    preset: Option<&'static str>,
}

impl Template {
    /// `source` is a preset name (see [`PRESETS`]) or a template text. `${name}` and
    /// `${a.b}` placeholders are turned into `{{ name }}` and `{{ a.b }}` first.
    pub fn parse(source: &str) -> Result<Template, FieldError> {
        let name = source.trim();
        if let Some(preset) = PRESETS.iter().copied().find(|p| *p == name) {
            let env = environment(Cow::Borrowed(preset_source(preset))).map_err(syntax_error)?;
            return Ok(Template {
                env,
                preset: Some(preset),
            });
        }
        if name.is_empty() {
            return Err(FieldError::new(
                FIELD,
                format!(
                    "is empty; give a preset name ({}) or a template text",
                    PRESETS.join(", ")
                ),
            ));
        }
        let text = convert_placeholders(source);
        let env = environment(Cow::Owned(text)).map_err(syntax_error)?;
        Ok(Template { env, preset: None })
    }

    /// The preset this template is, if it is one.
    pub fn preset(&self) -> Option<&'static str> {
        self.preset
    }

    /// [`Template::parse`] through a small process-wide cache of parsed templates: dispatch
    /// renders the same few templates for delivery after delivery, and parsing one costs
    /// several times more than rendering it. The cache holds at most [`CACHED`] templates
    /// and starts over when full; a template that does not parse is not kept.
    pub fn cached(source: &str) -> Result<Arc<Template>, FieldError> {
        static CACHE: OnceLock<Mutex<HashMap<String, Arc<Template>>>> = OnceLock::new();
        let cache = CACHE.get_or_init(Mutex::default);
        if let Some(t) = cache
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(source)
        {
            return Ok(t.clone());
        }
        let template = Arc::new(Template::parse(source)?);
        let mut cache = cache.lock().unwrap_or_else(PoisonError::into_inner);
        if cache.len() >= CACHED {
            cache.clear();
        }
        cache.insert(source.to_owned(), template.clone());
        Ok(template)
    }

    /// The body for `event`. Presets always produce JSON, whatever `format` says. With
    /// [`BodyFormat::Json`] a result that is not valid JSON is an error. The `generic`
    /// preset, the webhook default, is written without the engine (same bytes; see
    /// `template/generic.rs`).
    pub fn render(
        &self,
        event: &Event,
        delivery_id: &str,
        format: BodyFormat,
    ) -> Result<String, FieldError> {
        if self.preset == Some("generic") {
            return generic::render(event);
        }
        self.render_with_engine(event, delivery_id, format)
    }

    /// [`Template::render`] through the template engine, whatever the template is.
    fn render_with_engine(
        &self,
        event: &Event,
        delivery_id: &str,
        format: BodyFormat,
    ) -> Result<String, FieldError> {
        let format = if self.preset.is_some() {
            BodyFormat::Json
        } else {
            format
        };
        let name = match format {
            BodyFormat::Json => JSON_TEMPLATE,
            BodyFormat::Text => TEXT_TEMPLATE,
        };
        let template = self
            .env
            .get_template(name)
            .map_err(|e| FieldError::new(FIELD, format!("cannot be rendered: {e}")))?;
        let context = JinjaValue::from_object(Variables {
            event: event.clone(),
            delivery_id: delivery_id.to_owned(),
            data: OnceLock::new(),
        });
        let mut out = CappedBuffer::default();
        let rendered = template.render_captured_to(context, &mut out);
        if out.overflowed {
            return Err(too_large());
        }
        rendered.map_err(render_error)?;
        let body = String::from_utf8(out.buf).map_err(|_| {
            FieldError::new(FIELD, "produces text that is not valid UTF-8".to_owned())
        })?;
        if format == BodyFormat::Json {
            check_json(&body)?;
        }
        Ok(body)
    }

    /// Renders against a built-in sample event (every common field and label filled) and
    /// checks the result, so that a template that cannot work is refused when it is saved.
    pub fn check(&self, format: BodyFormat) -> Result<(), FieldError> {
        self.render(&sample_event(), "sample-delivery", format)
            .map(drop)
            .map_err(|e| {
                FieldError::new(
                    e.field,
                    format!("{} (checked with a sample event)", e.message),
                )
            })
    }

    /// Whether `name` is one of the [`PRESETS`].
    pub fn is_preset(name: &str) -> bool {
        PRESETS.contains(&name)
    }
}

impl fmt::Debug for Template {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Template")
            .field("preset", &self.preset)
            .finish_non_exhaustive()
    }
}

/// The names of the variables a template sees, in the order a JSON object keeps them.
const VARIABLES: &[&str] = &[
    "applicationName",
    "buildLink",
    "clusterName",
    "color",
    "colorHex",
    "customerName",
    "data",
    "date",
    "delivery_id",
    "environmentName",
    "errorMessage",
    "event",
    "eventType",
    "id",
    "idempotency_key",
    "link",
    "message",
    "occurred_at",
    "projectName",
    "serverName",
    "severity",
    "source",
    "state",
    "state_key",
    "status",
    "timestamp",
    "title",
    "type",
];

/// The variables a template sees for `event`, as one JSON object.
pub fn variables(event: &Event, delivery_id: &str) -> Value {
    let vars: Map<String, Value> = VARIABLES
        .iter()
        .filter_map(|name| Some(((*name).to_owned(), variable(event, delivery_id, name)?)))
        .collect();
    Value::Object(vars)
}

/// One variable of [`variables`]; `None` for a name that is not one.
fn variable(event: &Event, delivery_id: &str, name: &str) -> Option<Value> {
    let label = |key: &str| json!(event.source.get(key).cloned().unwrap_or_default());
    Some(match name {
        "id" => json!(event.id.to_string()),
        "delivery_id" => json!(delivery_id),
        "type" | "event" | "eventType" => json!(event.event_type),
        "title" => json!(event.title),
        "message" => json!(event.message),
        "severity" => json!(event.severity.as_str()),
        "source" => json!(event.source),
        "data" => event.data.clone(),
        "occurred_at" | "timestamp" => json!(time::to_rfc3339(event.occurred_at)),
        "date" => json!(human_date(event.occurred_at)),
        "state_key" => json!(event.state_key),
        "state" => json!(event.state),
        "idempotency_key" => json!(event.idempotency_key),
        "applicationName" => label("application"),
        "projectName" => label("project"),
        "environmentName" => label("environment"),
        "clusterName" => label("cluster"),
        "serverName" => label("server"),
        "customerName" => label("customer"),
        "status" => json!(status(event)),
        "errorMessage" => json!(error_message(&event.data)),
        "link" | "buildLink" => json!(event.link().unwrap_or_default()),
        "color" => json!(event.severity.color()),
        "colorHex" => json!(format!("#{:06x}", event.severity.color())),
        _ => return None,
    })
}

/// The context of one render: the same values as [`variables`], each made when the
/// template reads it. A template reads a handful of the variables, and making all of them
/// and converting them for the engine cost more than the render itself. `data` alone is
/// kept once made: the `generic` preset reads it about fifteen times, and each time copied
/// the event's data and converted it anew (keeping every variable costs more than it saves
/// for templates that read each once).
#[derive(Debug)]
struct Variables {
    event: Event,
    delivery_id: String,
    data: OnceLock<JinjaValue>,
}

impl Object for Variables {
    fn get_value(self: &Arc<Self>, key: &JinjaValue) -> Option<JinjaValue> {
        let key = key.as_str()?;
        if key == "data" {
            let data = self
                .data
                .get_or_init(|| JinjaValue::from(Serde(&self.event.data)));
            return Some(data.clone());
        }
        let value = variable(&self.event, &self.delivery_id, key)?;
        Some(JinjaValue::from(Serde(value)))
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        Enumerator::Str(VARIABLES)
    }
}

fn human_date(ms: time::Millis) -> String {
    match jiff::Timestamp::from_millisecond(ms) {
        Ok(ts) => ts.strftime("%Y-%m-%d %H:%M:%S UTC").to_string(),
        Err(_) => time::to_rfc3339(ms),
    }
}

/// `data.status` when the source gave one, otherwise the outcome the event type names.
fn status(event: &Event) -> String {
    if let Some(Value::String(s)) = event.data.get("status") {
        return s.clone();
    }
    let last = event
        .event_type
        .rsplit('.')
        .next()
        .unwrap_or(&event.event_type);
    match last {
        "failure" | "failed" | "fail" | "error" | "down" => "error".to_owned(),
        "success" | "succeeded" | "recovered" | "resolved" | "up" | "ok" => "success".to_owned(),
        other => other.to_owned(),
    }
}

fn error_message(data: &Value) -> String {
    let value = ["error", "error_message"]
        .iter()
        .find_map(|key| data.get(key).filter(|v| !v.is_null()));
    match value {
        None => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(Value::Object(map)) => match map.get("message") {
            Some(Value::String(s)) => s.clone(),
            _ => Value::Object(map.clone()).to_string(),
        },
        Some(other) => other.to_string(),
    }
}

fn environment(source: Cow<'static, str>) -> Result<Environment<'static>, minijinja::Error> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Chainable);
    env.set_fuel(Some(FUEL));
    env.set_auto_escape_callback(|name| {
        if name == JSON_TEMPLATE {
            AutoEscape::Custom(JSON_ESCAPE.into())
        } else {
            AutoEscape::None
        }
    });
    env.set_formatter(format_value);
    env.add_filter("mrkdwn", mrkdwn);
    env.add_filter("truncate", truncate);
    env.add_template_owned(JSON_TEMPLATE, source.clone())?;
    env.add_template_owned(TEXT_TEMPLATE, source)?;
    Ok(env)
}

/// How a printed value (`{{ … }}`) is written into the body.
fn format_value(
    out: &mut Output,
    state: &mut State,
    value: &JinjaValue,
) -> Result<(), minijinja::Error> {
    let json = matches!(state.auto_escape(), AutoEscape::Custom(mode) if mode == JSON_ESCAPE);
    let text: Cow<'_, str> = match value.kind() {
        ValueKind::Undefined | ValueKind::None => return Ok(()),
        // Already escaped (`|tojson`, `|safe`, captured output): written as it is.
        ValueKind::String if value.is_safe() => Cow::Borrowed(value.as_str().unwrap_or_default()),
        ValueKind::String => {
            let s = value.as_str().unwrap_or_default();
            if json {
                Cow::Owned(json_string_content(s))
            } else {
                Cow::Borrowed(s)
            }
        }
        ValueKind::Bool | ValueKind::Number | ValueKind::Seq | ValueKind::Map => {
            match serde_json::to_string(value) {
                Ok(s) => Cow::Owned(s),
                Err(_) => escaped_display(value, json),
            }
        }
        _ => escaped_display(value, json),
    };
    out.write_str(&text)
        .map_err(|_| minijinja::Error::new(ErrorKind::WriteFailure, "cannot write the body"))
}

fn escaped_display(value: &JinjaValue, json: bool) -> Cow<'static, str> {
    let text = value.to_string();
    Cow::Owned(if json {
        json_string_content(&text)
    } else {
        text
    })
}

/// `s` escaped for a JSON string, without the surrounding quotes.
fn json_string_content(s: &str) -> String {
    let quoted = Value::String(s.to_owned()).to_string();
    // A serialized JSON string always starts and ends with `"`.
    quoted[1..quoted.len() - 1].to_owned()
}

/// Escapes the three characters Slack's mrkdwn gives a meaning to.
fn mrkdwn(value: JinjaValue) -> String {
    let text = plain_text(&value);
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
    out
}

/// At most `length` characters (default 255), the last being `…` when the text was cut.
fn truncate(value: JinjaValue, length: Option<usize>) -> String {
    let text = plain_text(&value);
    let length = length.unwrap_or(255);
    if text.chars().count() <= length {
        return text;
    }
    let mut out: String = text.chars().take(length.saturating_sub(1)).collect();
    out.push('…');
    out
}

fn plain_text(value: &JinjaValue) -> String {
    if value.is_undefined() || value.is_none() {
        String::new()
    } else {
        value.to_string()
    }
}

/// Turns `${name}` and `${a.b}` into `{{ name }}` and `{{ a.b }}`. A segment that is not a
/// plain name becomes a subscript (`${data.build-id}` → `{{ data["build-id"] }}`, `${a.0}` →
/// `{{ a[0] }}`); anything else after `${` is left alone.
fn convert_placeholders(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("${") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        match placeholder(after) {
            Some((expression, consumed)) => {
                out.push_str("{{ ");
                out.push_str(&expression);
                out.push_str(" }}");
                rest = &after[consumed..];
            }
            None => {
                out.push_str("${");
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The expression for the placeholder that `after` (the text following `${`) starts with, and
/// how many bytes of `after` it takes, closing `}` included.
fn placeholder(after: &str) -> Option<(String, usize)> {
    let end = after.find('}')?;
    let inner = after[..end].trim();
    let mut segments = inner.split('.');
    let first = segments.next()?;
    if !is_name(first) {
        return None;
    }
    let mut expression = first.to_owned();
    for segment in segments {
        if is_name(segment) {
            expression.push('.');
            expression.push_str(segment);
        } else if !segment.is_empty() && segment.bytes().all(|b| b.is_ascii_digit()) {
            expression.push_str(&format!("[{segment}]"));
        } else if !segment.is_empty()
            && segment
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
        {
            expression.push_str(&format!("[\"{segment}\"]"));
        } else {
            return None;
        }
    }
    Some((expression, end + 1))
}

fn is_name(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

fn syntax_error(err: minijinja::Error) -> FieldError {
    FieldError::new(FIELD, format!("has a syntax error{}", describe(&err)))
}

fn render_error(err: minijinja::Error) -> FieldError {
    if err.kind() == ErrorKind::OutOfFuel {
        return FieldError::new(
            FIELD,
            "takes too much work to render (a loop over too many items?); simplify it",
        );
    }
    FieldError::new(FIELD, format!("fails to render{}", describe(&err)))
}

/// ` on line N: what is wrong`.
fn describe(err: &minijinja::Error) -> String {
    let at = err
        .line()
        .map(|l| format!(" on line {l}"))
        .unwrap_or_default();
    match err.detail() {
        // The kind of a syntax error only repeats "syntax error".
        Some(detail) if err.kind() == ErrorKind::SyntaxError => format!("{at}: {detail}"),
        Some(detail) => format!("{at}: {}: {detail}", err.kind()),
        None => format!("{at}: {}", err.kind()),
    }
}

fn check_json(body: &str) -> Result<(), FieldError> {
    if body.trim().is_empty() {
        return Err(FieldError::new(
            FIELD,
            "produces an empty body, which is not valid JSON",
        ));
    }
    serde_json::from_str::<serde::de::IgnoredAny>(body)
        .map(drop)
        .map_err(|e| {
            FieldError::new(
                FIELD,
                format!(
                    "does not produce valid JSON: {e}, near `{}`; print values that may be missing or are not text with `|tojson`",
                    excerpt(body, e.line(), e.column())
                ),
            )
        })
}

/// Up to 40 characters of `body` before the given 1-based line and column.
fn excerpt(body: &str, line: usize, column: usize) -> String {
    let line_text = body.lines().nth(line.saturating_sub(1)).unwrap_or_default();
    let mut end = column.min(line_text.len());
    while !line_text.is_char_boundary(end) {
        end -= 1;
    }
    let before: Vec<char> = line_text[..end].chars().collect();
    let start = before.len().saturating_sub(40);
    before[start..].iter().collect()
}

fn too_large() -> FieldError {
    FieldError::new(
        FIELD,
        format!(
            "produces a body larger than {} KiB; print less of the event",
            MAX_OUTPUT / 1024
        ),
    )
}

/// Collects the rendered body and refuses to grow past [`MAX_OUTPUT`].
#[derive(Default)]
struct CappedBuffer {
    buf: Vec<u8>,
    overflowed: bool,
}

impl io::Write for CappedBuffer {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        if self.buf.len() + data.len() > MAX_OUTPUT {
            self.overflowed = true;
            return Err(io::Error::other("the body is too large"));
        }
        self.buf.extend_from_slice(data);
        Ok(data.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// The event [`Template::check`] renders: every common field, label and data key filled,
/// with a quote and a line break in the message.
fn sample_event() -> Event {
    let occurred_at = 1_795_428_000_000;
    Event {
        id: Ulid::from_parts(occurred_at as u64, 0x5EED_0000_0000_0000_0001),
        event_type: "deploy.failure".to_owned(),
        title: "Deploy failed: api".to_owned(),
        message: "Step \"test\" failed.\nSee the build log.".to_owned(),
        severity: Severity::Critical,
        source: [
            ("application", "api"),
            ("project", "shop"),
            ("environment", "production"),
            ("cluster", "eu-1"),
            ("server", "web-1"),
            ("customer", "acme"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect(),
        data: json!({
            "commit": "abc1234",
            "branch": "main",
            "duration_seconds": 45,
            "url": "https://ci.example.com/builds/42",
            "trigger": {"type": "push", "actor": "jane"},
            "error": "exit code 1",
        }),
        idempotency_key: Some("deploy-42".to_owned()),
        state_key: Some("deploy:api:production".to_owned()),
        state: Some("failed".to_owned()),
        occurred_at,
        received_at: occurred_at,
    }
}

fn preset_source(name: &str) -> &'static str {
    match name {
        "slack" => SLACK,
        "discord" => DISCORD,
        "teams" => TEAMS,
        "n8n" => N8N,
        "ringcentral" => RINGCENTRAL,
        "dokploy" => DOKPLOY,
        _ => GENERIC,
    }
}

// Presets are rendered as JSON bodies: a bare `{{ x }}` inside quotes is escaped for a JSON
// string; `|tojson` prints a whole JSON value.

const GENERIC: &str = r#"{
  "event": {{ type|tojson }},
  "id": {{ id|tojson }},
  "timestamp": {{ timestamp|tojson }},
  "severity": {{ severity|tojson }},
  "status": {{ status|tojson }},
  "title": {{ title|tojson }},
  "message": {{ message|tojson }},
  "source": {{ source|tojson }}
{%- if applicationName %},
  "application": {"name": {{ applicationName|tojson }}}
{%- endif %}
{%- if projectName %},
  "project": {"name": {{ projectName|tojson }}}
{%- endif %}
{%- if environmentName %},
  "environment": {"name": {{ environmentName|tojson }}}
{%- endif %}
{%- for key in ["commit", "branch", "duration_seconds", "url"] if data[key] is defined and data[key] is not none %}
{%- if loop.first %},
  "deployment": {
{%- endif %}{{ key|tojson }}: {{ data[key]|tojson }}{% if not loop.last %}, {% else %}}{% endif %}
{%- endfor %}
{%- if data.trigger is defined and data.trigger is not none %},
  "trigger": {% if data.trigger is mapping %}{{ data.trigger|tojson }}{% else %}{"type": {{ data.trigger|tojson }}}{% endif %}
{%- endif %}
{%- if errorMessage %},
  "error": {"message": {{ errorMessage|tojson }}}
{%- endif %},
  "data": {{ data|tojson }}
}"#;

const SLACK: &str = r#"{
  "text": "*{{ (title or type)|truncate(3000)|mrkdwn }}*{% if message %}\n{{ message|truncate(35000)|mrkdwn }}{% endif %}",
  "attachments": [
    {
      "color": "{{ colorHex }}",
      "fields": [
{%- for name, value in source|items %}
        {"title": "{{ name }}", "value": "{{ value|mrkdwn }}", "short": true}{% if not loop.last %},{% endif %}
{%- endfor %}
      ]
    }
  ]
}"#;

// Discord refuses embeds past its limits (title 256, description 4096, field value 1024, and
// 6000 characters in all), so long texts are cut and at most 10 labels are shown.
const DISCORD: &str = r#"{
  "embeds": [
    {
      "title": "{{ (title or type)|truncate(256) }}",
{%- if message %}
      "description": "{{ message|truncate(3500) }}",
{%- endif %}
      "color": {{ color }},
      "timestamp": "{{ timestamp }}",
      "footer": {"text": "{{ type }}"},
      "fields": [
{%- for name, value in (source|items)[:10] if value %}
        {"name": "{{ name }}", "value": "{{ value|truncate(100) }}", "inline": true}{% if not loop.last %},{% endif %}
{%- endfor %}
      ]
    }
  ],
  "allowed_mentions": {"parse": []}
}"#;

const TEAMS: &str = r#"{
  "type": "message",
  "attachments": [
    {
      "contentType": "application/vnd.microsoft.card.adaptive",
      "content": {
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "type": "AdaptiveCard",
        "version": "1.4",
        "body": [
          {"type": "TextBlock", "text": "{{ (title or type)|truncate(1000) }}", "weight": "Bolder", "size": "Medium", "wrap": true, "color": "{{ {"critical": "Attention", "warning": "Warning", "ok": "Good"}[severity] or "Default" }}"}
{%- if message %},
          {"type": "TextBlock", "text": "{{ message|truncate(20000) }}", "wrap": true}
{%- endif %}
{%- if source %},
          {"type": "FactSet", "facts": [
{%- for name, value in source|items %}
            {"title": "{{ name }}", "value": "{{ value }}"}{% if not loop.last %},{% endif %}
{%- endfor %}
          ]}
{%- endif %}
        ]
      }
    }
  ]
}"#;

const N8N: &str = r#"{
  "id": "{{ id }}",
  "deliveryId": "{{ delivery_id }}",
  "eventType": "{{ eventType }}",
  "title": "{{ title }}",
  "message": "{{ message }}",
  "severity": "{{ severity }}",
  "status": "{{ status }}",
  "timestamp": "{{ timestamp }}",
  "date": "{{ date }}",
  "applicationName": "{{ applicationName }}",
  "projectName": "{{ projectName }}",
  "environmentName": "{{ environmentName }}",
  "clusterName": "{{ clusterName }}",
  "serverName": "{{ serverName }}",
  "customerName": "{{ customerName }}",
  "errorMessage": "{{ errorMessage }}",
  "link": "{{ link }}",
  "buildLink": "{{ buildLink }}",
  "color": {{ color }},
  "colorHex": "{{ colorHex }}",
  "stateKey": {{ state_key|tojson }},
  "state": {{ state|tojson }},
  "idempotencyKey": {{ idempotency_key|tojson }},
  "source": {{ source|tojson }},
  "data": {{ data|tojson }}
}"#;

const RINGCENTRAL: &str = r#"{
  "activity": "Tocsin",
  "title": "**{{ title or type }}**",
  "body": "{{ message }}"
}"#;

const DOKPLOY: &str = r#"{
  "title": "{{ title }}",
  "message": "{{ message }}",
  "timestamp": "{{ timestamp }}"
}"#;

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    fn fixed_event() -> Event {
        Event {
            id: Ulid::from_string("01KAQ3Z5XJ8Y4W2V6T9R0N1M7P").unwrap(),
            event_type: "deploy.success".to_owned(),
            title: "Deploy Success".to_owned(),
            message: "my-app deployed".to_owned(),
            severity: Severity::Info,
            source: BTreeMap::from([
                ("application".to_owned(), "my-app".to_owned()),
                ("environment".to_owned(), "production".to_owned()),
                ("project".to_owned(), "shop".to_owned()),
            ]),
            data: json!({"commit": "abc123", "duration_seconds": 45, "trigger": "push"}),
            idempotency_key: None,
            state_key: None,
            state: None,
            occurred_at: 1_795_428_000_000,
            received_at: 1_795_428_000_500,
        }
    }

    fn hostile_event() -> Event {
        Event {
            id: Ulid::nil(),
            event_type: "backup.failed".to_owned(),
            title: String::new(),
            message: "He said \"hi\" \\ back\\slash\n\ttab\r\u{1}</script><b>&amp;</b> 🚨 {{ title }} {% if %} ${title} '\u{2028}"
                .to_owned(),
            severity: Severity::Critical,
            source: BTreeMap::from([
                ("application".to_owned(), "a\"p\\p\n".to_owned()),
                ("empty".to_owned(), String::new()),
                ("zz</script>".to_owned(), "🔥 {{ x }}".to_owned()),
            ]),
            data: json!({"error": {"code": 5, "message": "disk \"full\"\n"}, "url": "https://x.test/?a=1&b=<2>",
                "trigger": {"by": "cron \"nightly\""}, "commit": null, "nested": {"a": [1, "two\"", null]}}),
            idempotency_key: Some("k\"ey".to_owned()),
            state_key: Some("s\nk".to_owned()),
            state: Some("down".to_owned()),
            occurred_at: 0,
            received_at: 0,
        }
    }

    fn render(template: &str, event: &Event, format: BodyFormat) -> Result<String, FieldError> {
        Template::parse(template)?.render(event, "dlv_1", format)
    }

    fn render_json(template: &str, event: &Event) -> Value {
        let body = render(template, event, BodyFormat::Json).unwrap();
        serde_json::from_str(&body).unwrap_or_else(|e| panic!("{template}: {e}\n{body}"))
    }

    #[test]
    fn every_preset_renders_valid_json_for_the_sample_and_a_hostile_event() {
        for preset in PRESETS {
            let template = Template::parse(preset).unwrap();
            assert_eq!(template.preset(), Some(*preset));
            template.check(BodyFormat::Json).unwrap();
            template.check(BodyFormat::Text).unwrap();
            for event in [
                sample_event(),
                hostile_event(),
                fixed_event(),
                Event::test(Ulid::nil(), 0),
            ] {
                let body = render_json(preset, &event);
                assert!(body.is_object(), "{preset}: {body}");
            }
        }
    }

    #[test]
    fn presets_carry_the_hostile_text_unchanged() {
        let event = hostile_event();
        let dokploy = render_json("dokploy", &event);
        assert_eq!(dokploy["message"], json!(event.message));
        let n8n = render_json("n8n", &event);
        assert_eq!(n8n["message"], json!(event.message));
        assert_eq!(n8n["applicationName"], json!("a\"p\\p\n"));
        assert_eq!(n8n["stateKey"], json!("s\nk"));
        assert_eq!(n8n["errorMessage"], json!("disk \"full\"\n"));
        assert_eq!(n8n["status"], json!("error"));
        let generic = render_json("generic", &event);
        assert_eq!(generic["message"], json!(event.message));
        assert_eq!(generic["source"], json!(event.source));
        assert_eq!(generic["data"], event.data);
        assert_eq!(generic["error"], json!({"message": "disk \"full\"\n"}));
        assert_eq!(generic["trigger"], json!({"by": "cron \"nightly\""}));
        assert_eq!(
            generic["deployment"],
            json!({"url": "https://x.test/?a=1&b=<2>"})
        );
    }

    #[test]
    fn pins_the_dokploy_preset() {
        assert_eq!(
            render_json("dokploy", &fixed_event()),
            json!({"title": "Deploy Success", "message": "my-app deployed",
                "timestamp": "2026-11-23T10:00:00Z"})
        );
    }

    #[test]
    fn pins_the_generic_preset() {
        assert_eq!(
            render_json("generic", &fixed_event()),
            json!({
                "event": "deploy.success",
                "id": "01KAQ3Z5XJ8Y4W2V6T9R0N1M7P",
                "timestamp": "2026-11-23T10:00:00Z",
                "severity": "info",
                "status": "success",
                "title": "Deploy Success",
                "message": "my-app deployed",
                "source": {"application": "my-app", "environment": "production", "project": "shop"},
                "application": {"name": "my-app"},
                "project": {"name": "shop"},
                "environment": {"name": "production"},
                "deployment": {"commit": "abc123", "duration_seconds": 45},
                "trigger": {"type": "push"},
                "data": {"commit": "abc123", "duration_seconds": 45, "trigger": "push"},
            })
        );
    }

    #[test]
    fn generic_leaves_out_what_the_event_does_not_have() {
        let mut event = fixed_event();
        event.source.clear();
        event.data = json!({});
        let body = render_json("generic", &event);
        for key in [
            "application",
            "project",
            "environment",
            "deployment",
            "trigger",
            "error",
        ] {
            assert!(body.get(key).is_none(), "{key} in {body}");
        }
        assert_eq!(body["source"], json!({}));
    }

    #[test]
    fn slack_escapes_mrkdwn_and_colours_by_severity() {
        let mut event = fixed_event();
        event.title = "a < b & c".to_owned();
        event.message = "<!channel> >".to_owned();
        event.severity = Severity::Critical;
        let body = render_json("slack", &event);
        assert_eq!(
            body["text"],
            json!("*a &lt; b &amp; c*\n&lt;!channel&gt; &gt;")
        );
        assert_eq!(body["attachments"][0]["color"], json!("#e01e5a"));
        assert_eq!(
            body["attachments"][0]["fields"][0],
            json!({"title": "application", "value": "my-app", "short": true})
        );
    }

    #[test]
    fn discord_uses_an_integer_colour_and_mentions_nobody() {
        let mut event = fixed_event();
        event.severity = Severity::Ok;
        let body = render_json("discord", &event);
        let embed = &body["embeds"][0];
        assert_eq!(embed["color"], json!(0x2E_B6_7D));
        assert_eq!(embed["title"], json!("Deploy Success"));
        assert_eq!(embed["description"], json!("my-app deployed"));
        assert_eq!(embed["timestamp"], json!("2026-11-23T10:00:00Z"));
        assert_eq!(embed["fields"].as_array().unwrap().len(), 3);
        assert_eq!(body["allowed_mentions"], json!({"parse": []}));
    }

    #[test]
    fn discord_cuts_long_text_to_its_limits() {
        let mut event = fixed_event();
        event.title = "t".repeat(1000);
        event.message = "m".repeat(60_000);
        let body = render_json("discord", &event);
        assert_eq!(
            body["embeds"][0]["title"].as_str().unwrap().chars().count(),
            256
        );
        assert!(
            body["embeds"][0]["description"]
                .as_str()
                .unwrap()
                .ends_with('…')
        );
    }

    #[test]
    fn teams_sends_an_adaptive_card() {
        let body = render_json("teams", &fixed_event());
        let content = &body["attachments"][0]["content"];
        assert_eq!(body["type"], json!("message"));
        assert_eq!(content["type"], json!("AdaptiveCard"));
        assert_eq!(content["body"][0]["text"], json!("Deploy Success"));
        assert_eq!(content["body"][0]["weight"], json!("Bolder"));
        assert_eq!(content["body"][1]["text"], json!("my-app deployed"));
        assert_eq!(content["body"][2]["type"], json!("FactSet"));
        assert_eq!(
            content["body"][2]["facts"][0],
            json!({"title": "application", "value": "my-app"})
        );
    }

    #[test]
    fn ringcentral_and_n8n_have_their_shapes() {
        assert_eq!(
            render_json("ringcentral", &fixed_event()),
            json!({"activity": "Tocsin", "title": "**Deploy Success**", "body": "my-app deployed"})
        );
        let n8n = render_json("n8n", &fixed_event());
        assert_eq!(n8n["eventType"], json!("deploy.success"));
        assert_eq!(n8n["applicationName"], json!("my-app"));
        assert_eq!(n8n["serverName"], json!(""));
        assert_eq!(n8n["deliveryId"], json!("dlv_1"));
        assert_eq!(n8n["date"], json!("2026-11-23 10:00:00 UTC"));
        assert_eq!(n8n["stateKey"], Value::Null);
    }

    #[test]
    fn both_placeholder_styles_work() {
        let event = fixed_event();
        for template in [
            "app=${applicationName}",
            "app={{ applicationName }}",
            "app=${ applicationName }",
        ] {
            assert_eq!(
                render(template, &event, BodyFormat::Text).unwrap(),
                "app=my-app"
            );
        }
        assert_eq!(
            render("${data.commit}/${source.project}", &event, BodyFormat::Text).unwrap(),
            "abc123/shop"
        );
    }

    #[test]
    fn converts_placeholders_and_leaves_other_dollars_alone() {
        assert_eq!(convert_placeholders("${a.b}"), "{{ a.b }}");
        assert_eq!(
            convert_placeholders("${data.build-id}"),
            "{{ data[\"build-id\"] }}"
        );
        assert_eq!(
            convert_placeholders("${data.items.0}"),
            "{{ data.items[0] }}"
        );
        assert_eq!(
            convert_placeholders("cost: $5 ${} ${1x} ${a b}"),
            "cost: $5 ${} ${1x} ${a b}"
        );
        assert_eq!(convert_placeholders("${a"), "${a");
        assert_eq!(convert_placeholders("é${x}é"), "é{{ x }}é");
    }

    #[test]
    fn missing_variables_render_as_nothing() {
        let event = fixed_event();
        let text = "[{{ nope }}|{{ data.a.b.c }}|{{ state_key }}|{{ nope|mrkdwn }}|{{ nope|truncate(3) }}]";
        assert_eq!(render(text, &event, BodyFormat::Text).unwrap(), "[||||]");
        let json = r#"{"a": "{{ nope }}", "b": "{{ data.x.y }}", "c": {{ data.x.y|tojson }}}"#;
        assert_eq!(
            render_json(json, &event),
            json!({"a": "", "b": "", "c": null})
        );
    }

    #[test]
    fn json_bodies_escape_strings_and_print_structures_as_json() {
        let event = hostile_event();
        let text = r#"{"m": "{{ message }}", "s": {{ source }}, "d": {{ data }}, "n": {{ data.error.code }}, "t": {{ data.error is mapping }}, "q": {{ message|tojson }}}"#;
        let body = render_json(text, &event);
        assert_eq!(body["m"], json!(event.message));
        assert_eq!(body["q"], json!(event.message));
        assert_eq!(body["s"], json!(event.source));
        assert_eq!(body["d"], event.data);
        assert_eq!(body["n"], json!(5));
        assert_eq!(body["t"], json!(true));
    }

    #[test]
    fn captured_output_is_not_escaped_twice() {
        let text = r#"{% set line %}{{ title }}: {{ message }}{% endset %}{% macro q(v) %}<{{ v }}>{% endmacro %}{"line": "{{ line }}", "m": "{{ q(title) }}"}"#;
        let mut event = fixed_event();
        event.title = "a\"b".to_owned();
        let body = render_json(text, &event);
        assert_eq!(body["line"], json!("a\"b: my-app deployed"));
        assert_eq!(body["m"], json!("<a\"b>"));
    }

    #[test]
    fn text_bodies_leave_content_unescaped() {
        let event = hostile_event();
        assert_eq!(
            render("{{ message }}", &event, BodyFormat::Text).unwrap(),
            event.message
        );
        assert_eq!(
            render("{{ data.nested }}", &event, BodyFormat::Text).unwrap(),
            r#"{"a":[1,"two\"",null]}"#
        );
    }

    #[test]
    fn a_template_producing_invalid_json_fails_the_check() {
        let template = Template::parse(r#"{"title": {{ title }}}"#).unwrap();
        let err = template.check(BodyFormat::Json).unwrap_err();
        assert_eq!(err.field, "template");
        assert!(
            err.message.contains("does not produce valid JSON"),
            "{}",
            err.message
        );
        assert!(template.check(BodyFormat::Text).is_ok());
        let err = Template::parse("{% if false %}x{% endif %}")
            .unwrap()
            .check(BodyFormat::Json)
            .unwrap_err();
        assert!(err.message.contains("empty"), "{}", err.message);
    }

    #[test]
    fn a_syntax_error_names_the_field_and_the_line() {
        let err = Template::parse("{\n  \"a\": \"{{ title | }}\"\n}").unwrap_err();
        assert_eq!(err.field, "template");
        assert!(
            err.message.contains("syntax error on line 2"),
            "{}",
            err.message
        );
        let err = Template::parse("{% for x in y %}").unwrap_err();
        assert_eq!(err.field, "template");
        assert!(err.message.contains("line 1"), "{}", err.message);
    }

    #[test]
    fn an_empty_template_is_refused() {
        let err = Template::parse("  \n").unwrap_err();
        assert_eq!(err.field, "template");
        assert!(err.message.contains("generic"), "{}", err.message);
    }

    #[test]
    fn endless_work_runs_out_of_fuel() {
        let template = Template::parse(
            "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
        )
        .unwrap();
        let err = template
            .render(&fixed_event(), "d", BodyFormat::Text)
            .unwrap_err();
        assert_eq!(err.field, "template");
        assert!(err.message.contains("too much work"), "{}", err.message);
        let err = template.check(BodyFormat::Text).unwrap_err();
        assert!(err.message.contains("too much work"), "{}", err.message);
    }

    #[test]
    fn a_huge_body_is_refused() {
        let mut event = fixed_event();
        event.message = "x".repeat(60_000);
        let template = Template::parse("{% for i in range(8) %}{{ message }}{% endfor %}").unwrap();
        let err = template.render(&event, "d", BodyFormat::Text).unwrap_err();
        assert!(
            err.message.contains("larger than 256 KiB"),
            "{}",
            err.message
        );
    }

    #[test]
    fn huge_values_built_in_one_step_fail_cleanly() {
        for source in [
            "{{ 'x' * 1000000000 }}",
            "{% set s = 'x' * 100000 %}{{ s * 100000 }}",
            "{{ range(1000000000)|length }}",
            "{{ [1] * 1000000000 }}",
            "{{ 'a'|indent(1000000000) }}",
            "{{ ' '|center(1000000000) }}",
            "{{ ('x' * 100000)|replace('x', 'xxxxxxxxxx')|replace('x', 'xxxxxxxxxx') }}",
        ] {
            let started = std::time::Instant::now();
            let template = Template::parse(source).unwrap();
            let result = template.render(&fixed_event(), "d", BodyFormat::Text);
            assert!(result.is_err(), "{source} rendered");
            assert!(
                started.elapsed() < std::time::Duration::from_secs(2),
                "{source} took {:?}",
                started.elapsed()
            );
        }
    }

    #[test]
    fn runaway_recursion_fails_cleanly() {
        let template =
            Template::parse("{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}").unwrap();
        let err = template
            .render(&fixed_event(), "d", BodyFormat::Text)
            .unwrap_err();
        assert_eq!(err.field, "template");
    }

    #[test]
    fn cannot_load_other_templates() {
        for text in [
            r#"{% include "body.txt" %}"#,
            r#"{% extends "/etc/passwd" %}"#,
            r#"{% import "x" as y %}"#,
        ] {
            let err = Template::parse(text).unwrap_err();
            assert_eq!(err.field, "template", "{text}");
        }
    }

    #[test]
    fn offers_the_documented_variables() {
        let mut event = fixed_event();
        event.state_key = Some("api".to_owned());
        event.state = Some("up".to_owned());
        event.data = json!({"error_message": "boom", "build_link": "https://ci/1"});
        event
            .source
            .insert("customer".to_owned(), "acme".to_owned());
        let vars = variables(&event, "dlv_9");
        let expected = json!({
            "id": "01KAQ3Z5XJ8Y4W2V6T9R0N1M7P", "delivery_id": "dlv_9",
            "type": "deploy.success", "event": "deploy.success", "eventType": "deploy.success",
            "title": "Deploy Success", "message": "my-app deployed", "severity": "info",
            "occurred_at": "2026-11-23T10:00:00Z", "timestamp": "2026-11-23T10:00:00Z",
            "date": "2026-11-23 10:00:00 UTC", "state_key": "api", "state": "up",
            "idempotency_key": null, "applicationName": "my-app", "projectName": "shop",
            "environmentName": "production", "clusterName": "", "serverName": "",
            "customerName": "acme", "status": "success", "errorMessage": "boom",
            "link": "https://ci/1", "buildLink": "https://ci/1", "color": 0x36_C5_F0,
            "colorHex": "#36c5f0",
        });
        for (key, value) in expected.as_object().unwrap() {
            assert_eq!(&vars[key], value, "{key}");
        }
        assert_eq!(vars["source"], json!(event.source));
        assert_eq!(vars["data"], event.data);
        assert!(
            vars.get("error_message").is_none(),
            "data keys are not flattened"
        );
    }

    #[test]
    fn derives_the_status_from_the_event_type() {
        let cases = [
            ("deploy.failure", json!({}), "error"),
            ("monitor.down", json!({}), "error"),
            ("monitor.up", json!({}), "success"),
            ("backup.recovered", json!({}), "success"),
            ("cert.expiring", json!({}), "expiring"),
            ("single", json!({}), "single"),
            (
                "deploy.failure",
                json!({"status": "cancelled"}),
                "cancelled",
            ),
            ("deploy.failure", json!({"status": 3}), "error"),
        ];
        for (event_type, data, expected) in cases {
            let mut event = fixed_event();
            event.event_type = event_type.to_owned();
            event.data = data;
            assert_eq!(status(&event), expected, "{event_type}");
        }
    }

    #[test]
    fn recognises_presets() {
        assert!(Template::is_preset("slack"));
        assert!(!Template::is_preset("Slack"));
        assert!(!Template::is_preset("{{ title }}"));
        assert_eq!(
            Template::parse(" generic\n").unwrap().preset(),
            Some("generic")
        );
        assert_eq!(Template::parse("{{ title }}").unwrap().preset(), None);
    }

    #[test]
    fn presets_ignore_the_text_format() {
        let body = render("dokploy", &hostile_event(), BodyFormat::Text).unwrap();
        assert!(serde_json::from_str::<Value>(&body).is_ok(), "{body}");
    }

    #[test]
    fn a_template_can_be_shared_between_threads() {
        fn assert_send_sync<T: Send + Sync + Clone>() {}
        assert_send_sync::<Template>();
    }

    #[test]
    fn truncate_counts_characters() {
        assert_eq!(truncate(JinjaValue::from("héllo"), Some(5)), "héllo");
        assert_eq!(truncate(JinjaValue::from("héllo!"), Some(5)), "héll…");
        assert_eq!(truncate(JinjaValue::from("🚨🚨🚨"), Some(2)), "🚨…");
    }

    #[test]
    fn a_cached_template_is_parsed_once_and_renders_as_a_fresh_one() {
        let source = r#"{"cached": "{{ title }}"}"#;
        let first = Template::cached(source).unwrap();
        let again = Template::cached(source).unwrap();
        assert!(Arc::ptr_eq(&first, &again));
        let event = sample_event();
        assert_eq!(
            first.render(&event, "dlv_1", BodyFormat::Json).unwrap(),
            Template::parse(source)
                .unwrap()
                .render(&event, "dlv_1", BodyFormat::Json)
                .unwrap()
        );
        assert!(Template::cached("{% for x in y %}").is_err());
    }
}
