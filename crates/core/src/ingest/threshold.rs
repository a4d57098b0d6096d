//! Server thresholds: the reports of Dokploy's metrics agent (`AlertPayload`: `ServerType`,
//! `Type`, `Value`, `Threshold`, `Message`, `Timestamp`, `Token`, bare or wrapped in tRPC's
//! `{"json": …}` envelope), and the hysteresis that turns a stream of them into alerts and
//! recoveries.
//!
//! Each server and metric has the state key `threshold/<server>/<cpu|memory>`, whose state
//! is `alert` or `ok`. [`decide`] says what one report does to it:
//!
//! - `Value ≥ Threshold` while not alerting: an alert (severity `warning`, or `critical`
//!   when the value is [`CRITICAL_ABOVE`] points or more over the threshold, the headroom
//!   that separates "busy" from "about to fall over");
//! - `Value < Threshold − margin` while alerting: a recovery (severity `ok`);
//! - anything else keeps the state, and makes no event: a value between the two lines
//!   neither raises nor clears, so a metric hovering around its threshold does not flap;
//! - an alert within the cool-off after a recovery is held back: no event, the key stays
//!   `ok`, and the first report past the cool-off that is still over the threshold alerts.
//!
//! Dokploy's agent itself reports only values over the threshold, on every check; other
//! senders may report any value.

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};
use ulid::Ulid;

use super::cut;
use crate::FieldError;
use crate::event::{Event, EventInput, MAX_MESSAGE_LEN};
use crate::monitor;
use crate::time::{self, Millis};

/// The event type of every threshold alert and recovery.
pub const EVENT_TYPE: &str = "server.threshold";
/// The state of a key whose metric is over its threshold.
pub const ALERT: &str = "alert";
/// The state of a key whose metric is back to normal.
pub const OK: &str = "ok";
/// An alert is `critical` when the value is at least this many points over the threshold.
pub const CRITICAL_ABOVE: f64 = 10.0;
/// The default hysteresis margin, in percentage points.
pub const DEFAULT_MARGIN: f64 = 5.0;
/// The default cool-off after a recovery, in seconds.
pub const DEFAULT_COOL_OFF_SECS: u32 = 300;

/// What a report measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Metric {
    Cpu,
    Memory,
}

impl Metric {
    /// The form used in labels and state keys.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Cpu => "cpu",
            Self::Memory => "memory",
        }
    }

    /// The form used in titles and in Dokploy's payload.
    pub fn label(self) -> &'static str {
        match self {
            Self::Cpu => "CPU",
            Self::Memory => "Memory",
        }
    }
}

/// Which kind of Dokploy server the agent runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ServerType {
    Dokploy,
    Remote,
}

impl ServerType {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Dokploy => "dokploy",
            Self::Remote => "remote",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Dokploy => "Dokploy",
            Self::Remote => "Remote",
        }
    }
}

/// One checked report.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    pub server_type: ServerType,
    pub metric: Metric,
    /// Percent.
    pub value: f64,
    /// Percent.
    pub threshold: f64,
    pub message: String,
    /// The agent's `Timestamp`, as sent.
    pub timestamp: Option<String>,
}

/// The payload inside tRPC's `{"json": …}` envelope, or the payload itself.
fn unwrap(payload: &Value) -> &Value {
    match payload.get("json") {
        Some(inner @ Value::Object(_)) => inner,
        _ => payload,
    }
}

/// The payload's `Token`, or `""` when there is none: the caller looks up whatever this
/// gives, so that a missing, malformed and unknown token take the same path.
pub fn token(payload: &Value) -> &str {
    unwrap(payload)
        .get("Token")
        .and_then(Value::as_str)
        .unwrap_or("")
}

/// Checks a payload (bare or in its envelope), naming the first field that is wrong.
pub fn parse(payload: &Value) -> Result<Report, FieldError> {
    let body = unwrap(payload).as_object().ok_or_else(|| {
        FieldError::new(
            "Type",
            "the body must be the metrics agent's alert payload: an object with `Type`, `Value` and `Threshold`",
        )
    })?;
    let server_type = match body.get("ServerType") {
        None | Some(Value::Null) => ServerType::Dokploy,
        Some(Value::String(s)) if s.eq_ignore_ascii_case("dokploy") => ServerType::Dokploy,
        Some(Value::String(s)) if s.eq_ignore_ascii_case("remote") => ServerType::Remote,
        _ => {
            return Err(FieldError::new(
                "ServerType",
                "must be \"Dokploy\" or \"Remote\"",
            ));
        }
    };
    let metric = match body.get("Type").and_then(Value::as_str) {
        Some(t) if t.eq_ignore_ascii_case("cpu") => Metric::Cpu,
        Some(t) if t.eq_ignore_ascii_case("memory") => Metric::Memory,
        _ => return Err(FieldError::new("Type", "must be \"CPU\" or \"Memory\"")),
    };
    let value = percent(body, "Value")?;
    let threshold = percent(body, "Threshold")?;
    if threshold <= 0.0 || threshold > 100.0 {
        return Err(FieldError::new(
            "Threshold",
            "must be a percentage above 0 and at most 100",
        ));
    }
    let message = match body.get("Message") {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(m)) => cut(m, MAX_MESSAGE_LEN),
        Some(_) => return Err(FieldError::new("Message", "must be a string")),
    };
    let timestamp = match body.get("Timestamp") {
        None | Some(Value::Null) => None,
        Some(Value::String(t)) if t.len() <= 64 => Some(t.clone()),
        Some(_) => {
            return Err(FieldError::new(
                "Timestamp",
                "must be a time as text (RFC 3339), at most 64 characters",
            ));
        }
    };
    Ok(Report {
        server_type,
        metric,
        value,
        threshold,
        message,
        timestamp,
    })
}

fn percent(body: &Map<String, Value>, field: &str) -> Result<f64, FieldError> {
    body.get(field)
        .and_then(Value::as_f64)
        .filter(|v| v.is_finite() && *v >= 0.0)
        .ok_or_else(|| FieldError::new(field, "is required, a percentage (a number from 0)"))
}

/// The state key of a server's metric.
pub fn state_key(server: &str, metric: Metric) -> String {
    format!("threshold/{server}/{}", metric.as_str())
}

/// How a server's metrics tokens tune the hysteresis.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Settings {
    /// How far below the threshold, in percentage points, a value must fall to recover.
    pub margin: f64,
    /// How long after a recovery a new alert is held back, in milliseconds.
    pub cool_off_ms: Millis,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            margin: DEFAULT_MARGIN,
            cool_off_ms: Millis::from(DEFAULT_COOL_OFF_SECS) * 1000,
        }
    }
}

/// What is known of a key before a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Current {
    /// No state yet: the metric has never been reported over its threshold.
    Unknown,
    /// Back to normal since this time.
    Ok { since: Millis },
    /// Over the threshold (or any other bad state an event gave the key).
    Alerting,
}

impl Current {
    /// From the key's monitor state: its state and since when it holds.
    pub fn from_state(state: Option<(&str, Millis)>) -> Self {
        match state {
            None => Self::Unknown,
            Some((s, since)) if monitor::is_good(s) => Self::Ok { since },
            Some(_) => Self::Alerting,
        }
    }

    /// The state as the API shows it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Alerting => ALERT,
            Self::Unknown | Self::Ok { .. } => OK,
        }
    }
}

/// What one report does to its key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// Crossed up: an alert event. `critical` when far over the threshold.
    Alert { critical: bool },
    /// Fell below threshold − margin: a recovery event.
    Recover,
    /// Over the threshold, but within the cool-off after a recovery: no event until then.
    HeldBack { until: Millis },
    /// No change: no event.
    Keep,
}

impl Decision {
    /// The key's state after the report.
    pub fn state_after(self, current: Current) -> &'static str {
        match self {
            Self::Alert { .. } => ALERT,
            Self::Recover => OK,
            Self::HeldBack { .. } | Self::Keep => current.as_str(),
        }
    }
}

/// The hysteresis: what a report of `value` against `threshold` does to a key in `current`
/// at `now`.
pub fn decide(
    value: f64,
    threshold: f64,
    settings: Settings,
    current: Current,
    now: Millis,
) -> Decision {
    match current {
        Current::Alerting if value < threshold - settings.margin => Decision::Recover,
        Current::Alerting => Decision::Keep,
        _ if value < threshold => Decision::Keep,
        Current::Ok { since } if now < since.saturating_add(settings.cool_off_ms) => {
            Decision::HeldBack {
                until: since.saturating_add(settings.cool_off_ms),
            }
        }
        _ => Decision::Alert {
            critical: value >= threshold + CRITICAL_ABOVE,
        },
    }
}

/// The event of an alert or a recovery of `server`; `None` for a decision that makes none.
pub fn event(
    report: &Report,
    server: &str,
    decision: Decision,
    id: Ulid,
    now: Millis,
) -> Result<Option<Event>, FieldError> {
    let (state, severity, verb) = match decision {
        Decision::Alert { critical: true } => (ALERT, "critical", "at"),
        Decision::Alert { critical: false } => (ALERT, "warning", "at"),
        Decision::Recover => (OK, "ok", "back to"),
        Decision::HeldBack { .. } | Decision::Keep => return Ok(None),
    };
    let title = format!(
        "Server {server} {} {verb} {} % (threshold {} %)",
        report.metric.label(),
        number(report.value),
        number(report.threshold),
    );
    let source = BTreeMap::from([
        ("server".to_owned(), server.to_owned()),
        ("type".to_owned(), report.metric.as_str().to_owned()),
        (
            "server_type".to_owned(),
            report.server_type.as_str().to_owned(),
        ),
    ]);
    let data = json!({
        "value": report.value,
        "threshold": report.threshold,
        "type": report.metric.as_str(),
        "server_type": report.server_type.as_str(),
        "timestamp": report.timestamp,
    });
    // The agent's clock may be off or its format odd; when its time does not parse, the
    // report counts as made when it arrived.
    let occurred_at = report
        .timestamp
        .as_deref()
        .filter(|t| time::parse_rfc3339(t).is_ok())
        .map(str::to_owned);
    let input = EventInput {
        event_type: Some(EVENT_TYPE.to_owned()),
        title: Some(title),
        message: Some(report.message.clone()),
        severity: Some(severity.to_owned()),
        source: Some(json!(source)),
        data: Some(data),
        idempotency_key: None,
        state_key: Some(state_key(server, report.metric)),
        state: Some(state.to_owned()),
        occurred_at,
    };
    Event::parse(input, id, now).map(Some)
}

/// A percentage with at most one decimal: `91.2`, `80`.
fn number(value: f64) -> String {
    let text = format!("{value:.1}");
    text.strip_suffix(".0").map(str::to_owned).unwrap_or(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::Severity;

    const MIN: Millis = 60_000;

    fn settings() -> Settings {
        Settings {
            margin: 5.0,
            cool_off_ms: 5 * MIN,
        }
    }

    fn at(value: f64, current: Current, now: Millis) -> Decision {
        decide(value, 80.0, settings(), current, now)
    }

    #[test]
    fn alerts_when_crossing_up() {
        assert_eq!(
            at(85.5, Current::Unknown, 0),
            Decision::Alert { critical: false }
        );
        assert_eq!(
            at(80.0, Current::Unknown, 0),
            Decision::Alert { critical: false },
            "the threshold itself counts as over"
        );
        assert_eq!(
            at(90.0, Current::Ok { since: 0 }, 10 * MIN),
            Decision::Alert { critical: true },
            "ten points over is critical"
        );
        assert_eq!(
            at(89.9, Current::Ok { since: 0 }, 10 * MIN),
            Decision::Alert { critical: false }
        );
        assert_eq!(at(79.9, Current::Unknown, 0), Decision::Keep);
    }

    #[test]
    fn stays_alerting_while_over_or_in_the_band() {
        assert_eq!(at(95.0, Current::Alerting, 0), Decision::Keep);
        assert_eq!(at(78.0, Current::Alerting, 0), Decision::Keep);
        assert_eq!(
            at(75.0, Current::Alerting, 0),
            Decision::Keep,
            "exactly threshold − margin is still in the band"
        );
    }

    #[test]
    fn in_band_values_do_not_alert_either() {
        assert_eq!(at(78.0, Current::Ok { since: 0 }, 10 * MIN), Decision::Keep);
        assert_eq!(at(78.0, Current::Unknown, 0), Decision::Keep);
    }

    #[test]
    fn recovers_below_threshold_minus_margin() {
        assert_eq!(at(74.0, Current::Alerting, 0), Decision::Recover);
        assert_eq!(at(12.0, Current::Alerting, 0), Decision::Recover);
        assert_eq!(at(74.0, Current::Ok { since: 0 }, 0), Decision::Keep);
    }

    #[test]
    fn holds_back_an_alert_within_the_cool_off() {
        let recovered = Current::Ok { since: 100 * MIN };
        assert_eq!(
            at(91.0, recovered, 101 * MIN),
            Decision::HeldBack { until: 105 * MIN }
        );
        assert_eq!(
            at(91.0, recovered, 105 * MIN),
            Decision::Alert { critical: true }
        );
        let no_cool_off = Settings {
            cool_off_ms: 0,
            ..settings()
        };
        assert_eq!(
            decide(85.0, 80.0, no_cool_off, recovered, 100 * MIN),
            Decision::Alert { critical: false }
        );
    }

    #[test]
    fn a_held_back_or_unchanged_key_keeps_its_state() {
        assert_eq!(Decision::Keep.state_after(Current::Alerting), ALERT);
        assert_eq!(Decision::Keep.state_after(Current::Unknown), OK);
        assert_eq!(
            Decision::HeldBack { until: 1 }.state_after(Current::Ok { since: 0 }),
            OK
        );
        assert_eq!(Decision::Recover.state_after(Current::Alerting), OK);
    }

    #[test]
    fn reads_the_monitor_state_of_the_key() {
        assert_eq!(Current::from_state(None), Current::Unknown);
        assert_eq!(
            Current::from_state(Some(("ok", 5))),
            Current::Ok { since: 5 }
        );
        assert_eq!(Current::from_state(Some(("alert", 5))), Current::Alerting);
        assert_eq!(Current::from_state(Some(("down", 5))), Current::Alerting);
    }

    fn agent_payload() -> Value {
        json!({"ServerType": "Remote", "Type": "CPU", "Value": 91.2, "Threshold": 80.0,
            "Message": "CPU usage (91.20%) exceeded threshold (80.00%)",
            "Timestamp": "2026-11-23T10:00:00.123456Z", "Token": "abc"})
    }

    #[test]
    fn parses_the_payload_bare_or_in_its_envelope() {
        let bare = agent_payload();
        let wrapped = json!({"json": bare.clone()});
        assert_eq!(parse(&bare), parse(&wrapped));
        assert_eq!(token(&wrapped), "abc");
        assert_eq!(token(&json!({"json": {}})), "");
        let report = parse(&wrapped).unwrap();
        assert_eq!(report.server_type, ServerType::Remote);
        assert_eq!(report.metric, Metric::Cpu);
        assert_eq!(report.value, 91.2);
        let mut no_type = agent_payload();
        no_type.as_object_mut().unwrap().remove("ServerType");
        assert_eq!(parse(&no_type).unwrap().server_type, ServerType::Dokploy);
    }

    #[test]
    fn names_the_field_that_is_wrong() {
        let field = |patch: Value| {
            let mut p = agent_payload();
            for (k, v) in patch.as_object().unwrap() {
                p[k] = v.clone();
            }
            parse(&p).unwrap_err().field
        };
        assert_eq!(field(json!({"Type": "Disk"})), "Type");
        assert_eq!(field(json!({"Value": "91"})), "Value");
        assert_eq!(field(json!({"Value": -1})), "Value");
        assert_eq!(field(json!({"Threshold": 0})), "Threshold");
        assert_eq!(field(json!({"Threshold": 120})), "Threshold");
        assert_eq!(field(json!({"ServerType": "Cloud"})), "ServerType");
        assert_eq!(field(json!({"Message": 5})), "Message");
        assert_eq!(parse(&json!([1])).unwrap_err().field, "Type");
    }

    #[test]
    fn makes_alert_and_recovery_events() {
        let report = parse(&agent_payload()).unwrap();
        let alert = event(
            &report,
            "web-1",
            Decision::Alert { critical: false },
            Ulid::nil(),
            7,
        )
        .unwrap()
        .unwrap();
        assert_eq!(alert.event_type, "server.threshold");
        assert_eq!(alert.title, "Server web-1 CPU at 91.2 % (threshold 80 %)");
        assert_eq!(
            alert.message,
            "CPU usage (91.20%) exceeded threshold (80.00%)"
        );
        assert_eq!(alert.severity, Severity::Warning);
        assert_eq!(alert.state_key.as_deref(), Some("threshold/web-1/cpu"));
        assert_eq!(alert.state.as_deref(), Some("alert"));
        assert_eq!(alert.source["server"], "web-1");
        assert_eq!(alert.source["type"], "cpu");
        assert_eq!(alert.source["server_type"], "remote");
        assert_eq!(alert.data["value"], 91.2);
        assert_eq!(alert.data["timestamp"], "2026-11-23T10:00:00.123456Z");
        assert_ne!(alert.occurred_at, 7, "the agent's time is kept");

        let mut low = report.clone();
        low.value = 74.0;
        low.timestamp = Some("yesterday".into());
        let recovery = event(&low, "web-1", Decision::Recover, Ulid::nil(), 7)
            .unwrap()
            .unwrap();
        assert_eq!(recovery.severity, Severity::Ok);
        assert_eq!(recovery.state.as_deref(), Some("ok"));
        assert_eq!(
            recovery.title,
            "Server web-1 CPU back to 74 % (threshold 80 %)"
        );
        assert_eq!(recovery.occurred_at, 7, "an odd time counts as arrival");

        assert_eq!(
            event(&report, "web-1", Decision::Keep, Ulid::nil(), 7).unwrap(),
            None
        );
    }
}
