//! Events: something that happened in a source system. `EventInput` is what arrives at the
//! edge; `Event::parse` turns it into a valid `Event` or says which field is wrong.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use serde_json::Value;
use ulid::Ulid;
use utoipa::ToSchema;

use crate::FieldError;
use crate::time::{self, Millis};

// Limits of an event, in bytes (and in labels for `MAX_LABELS`). Adapters that build events
// from other payloads cut their text to these.
pub const MAX_TYPE_LEN: usize = 128;
pub const MAX_TITLE_LEN: usize = 1_024;
pub const MAX_MESSAGE_LEN: usize = 65_536;
pub const MAX_LABELS: usize = 64;
pub const MAX_LABEL_KEY_LEN: usize = 64;
pub const MAX_LABEL_VALUE_LEN: usize = 1_024;
pub const MAX_KEY_LEN: usize = 255;

/// How bad it is. Ordered: `ok` < `info` < `warning` < `critical`.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, ToSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// A recovery: something that was wrong is fine again.
    Ok,
    Info,
    Warning,
    Critical,
}

impl Severity {
    pub const ALL: [Severity; 4] = [Self::Ok, Self::Info, Self::Warning, Self::Critical];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Ok => "ok",
            Self::Info => "info",
            Self::Warning => "warning",
            Self::Critical => "critical",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Severity {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|sev| sev.as_str() == s)
            .ok_or_else(|| {
                format!("unknown severity `{s}`; use one of ok, info, warning, critical")
            })
    }
}

/// An event as a client sends it (`POST /api/v1/events`). Every field is checked by
/// [`Event::parse`]; unknown fields are refused so that a typo does not pass silently.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EventInput {
    /// Dotted event type, e.g. `deploy.success`.
    #[serde(rename = "type")]
    pub event_type: Option<String>,
    pub title: Option<String>,
    pub message: Option<String>,
    /// `ok`, `info` (default), `warning` or `critical`.
    pub severity: Option<String>,
    /// Labels of the source system: `application`, `project`, `environment`, `cluster`, …
    #[schema(value_type = Option<BTreeMap<String, String>>)]
    pub source: Option<Value>,
    /// Free JSON for templates.
    #[schema(value_type = Option<Object>)]
    pub data: Option<Value>,
    /// A repeated key answers with the first event and creates nothing.
    pub idempotency_key: Option<String>,
    pub state_key: Option<String>,
    pub state: Option<String>,
    /// RFC 3339; defaults to the time the event is received.
    pub occurred_at: Option<String>,
}

/// A valid event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    pub id: Ulid,
    pub event_type: String,
    pub title: String,
    pub message: String,
    pub severity: Severity,
    pub source: BTreeMap<String, String>,
    pub data: Value,
    pub idempotency_key: Option<String>,
    pub state_key: Option<String>,
    pub state: Option<String>,
    pub occurred_at: Millis,
    pub received_at: Millis,
}

impl Event {
    /// Validates `input` received at `now`, giving the event a new id.
    pub fn parse(input: EventInput, id: Ulid, now: Millis) -> Result<Event, FieldError> {
        let event_type = input
            .event_type
            .ok_or_else(|| FieldError::new("type", "is required, e.g. \"deploy.success\""))?;
        check_event_type(&event_type)?;
        let title = input.title.unwrap_or_default();
        check_len("title", &title, MAX_TITLE_LEN)?;
        let message = input.message.unwrap_or_default();
        check_len("message", &message, MAX_MESSAGE_LEN)?;
        if title.trim().is_empty() && message.trim().is_empty() {
            return Err(FieldError::new(
                "title",
                "an event needs a title or a message (or both)",
            ));
        }
        let severity = match input.severity {
            None => Severity::Info,
            Some(s) => s.parse().map_err(|m| FieldError::new("severity", m))?,
        };
        let source = parse_source(input.source)?;
        let data = match input.data {
            None | Some(Value::Null) => Value::Object(Default::default()),
            Some(v @ Value::Object(_)) => v,
            Some(_) => return Err(FieldError::new("data", "must be a JSON object")),
        };
        let idempotency_key = optional_key("idempotency_key", input.idempotency_key)?;
        let state_key = optional_key("state_key", input.state_key)?;
        let state = optional_key("state", input.state)?;
        if state.is_some() != state_key.is_some() {
            let missing = if state.is_some() {
                "state_key"
            } else {
                "state"
            };
            return Err(FieldError::new(
                missing,
                "state and state_key go together: give both or neither",
            ));
        }
        let occurred_at = match input.occurred_at {
            None => now,
            Some(text) => {
                time::parse_rfc3339(&text).map_err(|m| FieldError::new("occurred_at", m))?
            }
        };
        Ok(Event {
            id,
            event_type,
            title,
            message,
            severity,
            source,
            data,
            idempotency_key,
            state_key,
            state,
            occurred_at,
            received_at: now,
        })
    }

    /// The event a "test channel" call sends.
    pub fn test(id: Ulid, now: Millis) -> Event {
        Event {
            id,
            event_type: "notification.test".into(),
            title: "Test Notification".into(),
            message: "Hi, from Tocsin 👋".into(),
            severity: Severity::Info,
            source: BTreeMap::from([("application".to_owned(), "tocsin".to_owned())]),
            data: Value::Object(Default::default()),
            idempotency_key: None,
            state_key: None,
            state: None,
            occurred_at: now,
            received_at: now,
        }
    }
}

impl Event {
    /// A link the source gave for the event (`data.url`, `data.link` or `data.build_link`).
    pub fn link(&self) -> Option<&str> {
        ["url", "link", "build_link"]
            .iter()
            .find_map(|key| self.data.get(key).and_then(Value::as_str))
            .filter(|s| !s.is_empty())
    }

    /// Whether the event says a problem is over: severity `ok`, or a state back to normal.
    /// Services with incidents (PagerDuty, Opsgenie) resolve instead of alerting.
    pub fn is_recovery(&self) -> bool {
        self.severity == Severity::Ok || self.state.as_deref().is_some_and(crate::monitor::is_good)
    }

    /// A key shared by the events of one incident, so that a recovery resolves what the
    /// alert opened: the `state_key` when given, else the type without its last word
    /// (`service.health.down` and `service.health.recovered` share `service.health`) with
    /// the source labels. At most 255 characters.
    pub fn incident_key(&self) -> String {
        let key = match &self.state_key {
            Some(k) => format!("tocsin/{k}"),
            None => {
                let family = self
                    .event_type
                    .rsplit_once('.')
                    .map_or(self.event_type.as_str(), |(head, _)| head);
                let labels: Vec<String> = self
                    .source
                    .iter()
                    .map(|(k, v)| format!("{k}={v}"))
                    .collect();
                format!("tocsin/{family}/{}", labels.join(","))
            }
        };
        match key.char_indices().nth(255) {
            Some((cut, _)) => key[..cut].to_owned(),
            None => key,
        }
    }
}

impl Severity {
    /// The colour chat services show beside a message of this severity (RGB).
    pub fn color(self) -> u32 {
        match self {
            Self::Critical => 0xE0_1E_5A,
            Self::Warning => 0xEC_B2_2E,
            Self::Ok => 0x2E_B6_7D,
            Self::Info => 0x36_C5_F0,
        }
    }
}

fn check_event_type(t: &str) -> Result<(), FieldError> {
    let valid_chars = t
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
    let valid_shape = !t.is_empty()
        && !t.starts_with('.')
        && !t.ends_with('.')
        && !t.contains("..")
        && t.len() <= MAX_TYPE_LEN;
    if valid_chars && valid_shape {
        Ok(())
    } else {
        Err(FieldError::new(
            "type",
            format!(
                "must be dotted words of letters, digits, `_` or `-` (e.g. \"deploy.success\"), at most {MAX_TYPE_LEN} characters"
            ),
        ))
    }
}

fn check_len(field: &str, value: &str, max: usize) -> Result<(), FieldError> {
    if value.len() > max {
        Err(FieldError::new(
            field,
            format!("is {} bytes long; the limit is {max}", value.len()),
        ))
    } else {
        Ok(())
    }
}

fn optional_key(field: &str, value: Option<String>) -> Result<Option<String>, FieldError> {
    match value {
        None => Ok(None),
        Some(v) if v.is_empty() => Err(FieldError::new(field, "must not be empty; leave it out")),
        Some(v) => check_len(field, &v, MAX_KEY_LEN).map(|_| Some(v)),
    }
}

/// Whether `key` may name a source label: letters, digits, `_`, `-` or `.`, at most
/// `MAX_LABEL_KEY_LEN` bytes.
pub fn is_label_name(key: &str) -> bool {
    !key.is_empty()
        && key.len() <= MAX_LABEL_KEY_LEN
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
}

fn parse_source(source: Option<Value>) -> Result<BTreeMap<String, String>, FieldError> {
    let map = match source {
        None | Some(Value::Null) => return Ok(BTreeMap::new()),
        Some(Value::Object(map)) => map,
        Some(_) => {
            return Err(FieldError::new(
                "source",
                "must be an object of labels, e.g. {\"application\": \"my-app\"}",
            ));
        }
    };
    if map.len() > MAX_LABELS {
        return Err(FieldError::new(
            "source",
            format!("has {} labels; the limit is {MAX_LABELS}", map.len()),
        ));
    }
    let mut labels = BTreeMap::new();
    for (key, value) in map {
        let field = format!("source.{key}");
        if !is_label_name(&key) {
            return Err(FieldError::new(
                field,
                format!(
                    "label names are letters, digits, `_`, `-` or `.`, at most {MAX_LABEL_KEY_LEN} characters"
                ),
            ));
        }
        let text = match value {
            Value::String(s) => s,
            Value::Number(n) => n.to_string(),
            Value::Bool(b) => b.to_string(),
            _ => {
                return Err(FieldError::new(
                    field,
                    "label values are strings (numbers and booleans are turned into text)",
                ));
            }
        };
        check_len(&field, &text, MAX_LABEL_VALUE_LEN)?;
        labels.insert(key, text);
    }
    Ok(labels)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn parse(v: Value) -> Result<Event, FieldError> {
        let input: EventInput = serde_json::from_value(v).unwrap();
        Event::parse(input, Ulid::nil(), 1_000)
    }

    #[test]
    fn parses_the_contract_example() {
        let e = parse(json!({"type": "deploy.success", "title": "Deploy Success",
            "message": "my-app deployed", "severity": "info",
            "source": {"application": "my-app", "environment": "production"},
            "data": {"commit": "abc123"}, "occurred_at": "2026-11-23T10:00:00Z"}))
        .unwrap();
        assert_eq!(e.event_type, "deploy.success");
        assert_eq!(e.source["application"], "my-app");
        assert_eq!(e.occurred_at, 1_795_428_000_000);
        assert_eq!(e.received_at, 1_000);
    }

    #[test]
    fn defaults_severity_and_time() {
        let e = parse(json!({"type": "backup.failure", "message": "disk full"})).unwrap();
        assert_eq!(e.severity, Severity::Info);
        assert_eq!(e.occurred_at, 1_000);
        assert_eq!(e.data, json!({}));
    }

    #[test]
    fn names_the_wrong_field() {
        let cases = [
            (json!({"title": "x"}), "type"),
            (json!({"type": "deploy..x", "title": "x"}), "type"),
            (json!({"type": "a b", "title": "x"}), "type"),
            (json!({"type": "a"}), "title"),
            (
                json!({"type": "a", "title": "x", "severity": "fatal"}),
                "severity",
            ),
            (
                json!({"type": "a", "title": "x", "source": ["a"]}),
                "source",
            ),
            (
                json!({"type": "a", "title": "x", "source": {"app": {"x": 1}}}),
                "source.app",
            ),
            (
                json!({"type": "a", "title": "x", "source": {"a b": "x"}}),
                "source.a b",
            ),
            (json!({"type": "a", "title": "x", "data": 3}), "data"),
            (
                json!({"type": "a", "title": "x", "occurred_at": "now"}),
                "occurred_at",
            ),
            (
                json!({"type": "a", "title": "x", "state": "down"}),
                "state_key",
            ),
            (
                json!({"type": "a", "title": "x", "idempotency_key": ""}),
                "idempotency_key",
            ),
        ];
        for (input, field) in cases {
            let err = parse(input.clone()).expect_err(&input.to_string());
            assert_eq!(err.field, field, "{input}: {err}");
        }
    }

    #[test]
    fn numeric_labels_become_text() {
        let e = parse(json!({"type": "a", "title": "x", "source": {"port": 8080}})).unwrap();
        assert_eq!(e.source["port"], "8080");
    }

    #[test]
    fn recoveries_and_incident_keys() {
        let down = parse(
            json!({"type": "service.health.down", "title": "x", "severity": "critical",
            "source": {"application": "api", "environment": "prod"}}),
        )
        .unwrap();
        let up = parse(
            json!({"type": "service.health.recovered", "title": "x", "severity": "ok",
            "source": {"application": "api", "environment": "prod"}}),
        )
        .unwrap();
        assert!(!down.is_recovery());
        assert!(up.is_recovery());
        assert_eq!(down.incident_key(), up.incident_key());
        assert_eq!(
            down.incident_key(),
            "tocsin/service.health/application=api,environment=prod"
        );
        let keyed =
            parse(json!({"type": "a.b", "title": "x", "state_key": "disk/sda", "state": "UP"}))
                .unwrap();
        assert!(keyed.is_recovery());
        assert_eq!(keyed.incident_key(), "tocsin/disk/sda");
        let linked =
            parse(json!({"type": "a.b", "title": "x", "data": {"link": "https://ci/1"}})).unwrap();
        assert_eq!(linked.link(), Some("https://ci/1"));
    }

    #[test]
    fn severities_are_ordered() {
        assert!(Severity::Critical > Severity::Warning);
        assert!(Severity::Warning > Severity::Info);
        assert!(Severity::Info > Severity::Ok);
    }
}
