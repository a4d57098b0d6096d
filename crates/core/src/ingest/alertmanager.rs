//! Alertmanager's webhook payload (version 4) as events, so that Tocsin can sit behind
//! Prometheus. Every alert of a notification becomes one event:
//!
//! - `type`: `alertmanager.<alertname>`, lowercased, every character other than a letter,
//!   digit, `_` or `-` turned into `_` (`HighCPU` → `alertmanager.highcpu`,
//!   `Node Down` → `alertmanager.node_down`); `alertmanager.alert` without an alertname;
//! - `source`: the alert's labels. A label whose name Tocsin does not accept is left out;
//!   values longer than 1,024 bytes are cut; beyond 64 labels, `alertname` and `severity`
//!   are kept first, then the others in name order. Every label stays in `data.labels`;
//! - `state_key`: `alertmanager/<fingerprint>`, `state`: `firing` or `resolved`, so that
//!   a repeated notification of a firing alert is suppressed and its resolution notifies as a
//!   recovery;
//! - `severity`: the `severity` label (`critical`, `warning`, `info`; also `error` and `page`
//!   as critical, `warn` as warning, `none` and `low` as info), `warning` when it is missing
//!   or unknown, and `ok` for a resolved alert;
//! - `title`: the `summary` annotation, else the alertname, prefixed with `Resolved: ` for a
//!   resolved alert; `message`: the `description` annotation;
//! - `data`: `url` (the `generatorURL`), the alert's `status`, `labels`, `annotations`,
//!   `startsAt`, `endsAt` and `fingerprint`, and the notification's `receiver`, `groupKey`
//!   and `externalURL`;
//! - `occurred_at`: `startsAt`, or `endsAt` for a resolved alert.
//!
//! The whole payload is checked before any event is made: one bad alert refuses them all,
//! naming the field (`alerts[2].fingerprint`).

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};
use ulid::Ulid;

use super::cut;
use crate::FieldError;
use crate::event::{
    Event, EventInput, MAX_KEY_LEN, MAX_LABEL_VALUE_LEN, MAX_LABELS, MAX_MESSAGE_LEN,
    MAX_TITLE_LEN, MAX_TYPE_LEN, is_label_name,
};
use crate::time::{self, Millis};

const TYPE_PREFIX: &str = "alertmanager.";
const STATE_KEY_PREFIX: &str = "alertmanager/";

/// The events of one webhook notification, in the order of its alerts. `new_id` gives each
/// event its id; `now` is when the payload was received.
pub fn events(
    payload: &Value,
    now: Millis,
    mut new_id: impl FnMut() -> Ulid,
) -> Result<Vec<Event>, FieldError> {
    let body = payload.as_object().ok_or_else(|| {
        FieldError::new(
            "version",
            "the body must be Alertmanager's webhook payload: an object with `version` and `alerts`",
        )
    })?;
    match body.get("version") {
        Some(Value::String(v)) if v == "4" => {}
        _ => {
            return Err(FieldError::new(
                "version",
                "must be \"4\", the webhook payload version Alertmanager sends",
            ));
        }
    }
    let notification = Notification {
        receiver: optional_text(body, "receiver", "")?,
        group_key: optional_text(body, "groupKey", "")?,
        external_url: optional_text(body, "externalURL", "")?,
    };
    let alerts = body
        .get("alerts")
        .and_then(Value::as_array)
        .ok_or_else(|| FieldError::new("alerts", "must be the list of alerts"))?;
    let inputs = alerts
        .iter()
        .enumerate()
        .map(|(i, alert)| {
            let prefix = format!("alerts[{i}]");
            let alert = Alert::parse(alert, &prefix)?;
            Ok((prefix, alert.into_input(&notification)))
        })
        .collect::<Result<Vec<_>, FieldError>>()?;
    inputs
        .into_iter()
        .map(|(prefix, input)| Event::parse(input, new_id(), now).map_err(|e| e.within(&prefix)))
        .collect()
}

/// What every alert of a notification shares.
struct Notification {
    receiver: Option<String>,
    group_key: Option<String>,
    external_url: Option<String>,
}

/// One alert, checked.
struct Alert {
    resolved: bool,
    labels: BTreeMap<String, String>,
    annotations: BTreeMap<String, String>,
    starts_at: String,
    starts_at_ms: Millis,
    ends_at: Option<(String, Millis)>,
    generator_url: Option<String>,
    fingerprint: String,
}

impl Alert {
    fn parse(value: &Value, prefix: &str) -> Result<Self, FieldError> {
        let at = |field: &str| format!("{prefix}.{field}");
        let alert = value
            .as_object()
            .ok_or_else(|| FieldError::new(prefix, "must be an alert object"))?;
        let resolved = match alert.get("status").and_then(Value::as_str) {
            Some("firing") => false,
            Some("resolved") => true,
            _ => {
                return Err(FieldError::new(
                    at("status"),
                    "must be \"firing\" or \"resolved\"",
                ));
            }
        };
        let labels = text_map(alert.get("labels"), &at("labels"))?;
        let annotations = text_map(alert.get("annotations"), &at("annotations"))?;
        let starts_at = alert
            .get("startsAt")
            .and_then(Value::as_str)
            .ok_or_else(|| FieldError::new(at("startsAt"), "is required, an RFC 3339 time"))?
            .to_owned();
        let starts_at_ms =
            time::parse_rfc3339(&starts_at).map_err(|m| FieldError::new(at("startsAt"), m))?;
        let ends_at = match optional_text(alert, "endsAt", prefix)? {
            None => None,
            Some(text) => {
                let ms =
                    time::parse_rfc3339(&text).map_err(|m| FieldError::new(at("endsAt"), m))?;
                Some((text, ms))
            }
        };
        let generator_url = optional_text(alert, "generatorURL", prefix)?;
        let fingerprint = optional_text(alert, "fingerprint", prefix)?
            .filter(|f| !f.is_empty())
            .ok_or_else(|| {
                FieldError::new(
                    at("fingerprint"),
                    "is required: it identifies the alert across notifications",
                )
            })?;
        if STATE_KEY_PREFIX.len() + fingerprint.len() > MAX_KEY_LEN {
            return Err(FieldError::new(
                at("fingerprint"),
                format!(
                    "is longer than {} bytes",
                    MAX_KEY_LEN - STATE_KEY_PREFIX.len()
                ),
            ));
        }
        Ok(Self {
            resolved,
            labels,
            annotations,
            starts_at,
            starts_at_ms,
            ends_at,
            generator_url,
            fingerprint,
        })
    }

    fn into_input(self, notification: &Notification) -> EventInput {
        let alertname = self
            .labels
            .get("alertname")
            .map(String::as_str)
            .filter(|n| !n.is_empty());
        let title = self
            .annotations
            .get("summary")
            .map(String::as_str)
            .filter(|s| !s.trim().is_empty())
            .or(alertname)
            .unwrap_or("Alertmanager alert");
        let title = if self.resolved {
            format!("Resolved: {title}")
        } else {
            title.to_owned()
        };
        let message = self
            .annotations
            .get("description")
            .cloned()
            .unwrap_or_default();
        let severity = if self.resolved {
            "ok"
        } else {
            severity_of(self.labels.get("severity").map(String::as_str))
        };
        let occurred_at = match &self.ends_at {
            Some((text, ms)) if self.resolved && *ms >= self.starts_at_ms => text.clone(),
            _ => self.starts_at.clone(),
        };
        let status = if self.resolved { "resolved" } else { "firing" };
        let mut data = Map::new();
        if let Some(url) = self.generator_url.as_ref().filter(|u| !u.is_empty()) {
            data.insert("url".into(), json!(url));
        }
        data.insert("status".into(), json!(status));
        data.insert("labels".into(), json!(self.labels));
        data.insert("annotations".into(), json!(self.annotations));
        data.insert("startsAt".into(), json!(self.starts_at));
        if let Some((text, _)) = &self.ends_at {
            data.insert("endsAt".into(), json!(text));
        }
        data.insert("fingerprint".into(), json!(self.fingerprint));
        for (key, value) in [
            ("receiver", &notification.receiver),
            ("groupKey", &notification.group_key),
            ("externalURL", &notification.external_url),
        ] {
            if let Some(v) = value {
                data.insert(key.into(), json!(v));
            }
        }
        EventInput {
            event_type: Some(event_type(alertname)),
            title: Some(cut(&title, MAX_TITLE_LEN)),
            message: Some(cut(&message, MAX_MESSAGE_LEN)),
            severity: Some(severity.to_owned()),
            source: Some(json!(source_labels(&self.labels))),
            data: Some(Value::Object(data)),
            idempotency_key: None,
            state_key: Some(format!("{STATE_KEY_PREFIX}{}", self.fingerprint)),
            state: Some(status.to_owned()),
            occurred_at: Some(occurred_at),
        }
    }
}

/// `alertmanager.<alertname>` in the characters an event type allows.
fn event_type(alertname: Option<&str>) -> String {
    let name: String = alertname
        .unwrap_or("alert")
        .chars()
        .map(|c| match c.to_ascii_lowercase() {
            c @ ('a'..='z' | '0'..='9' | '_' | '-') => c,
            _ => '_',
        })
        .take(MAX_TYPE_LEN - TYPE_PREFIX.len())
        .collect();
    format!("{TYPE_PREFIX}{name}")
}

fn severity_of(label: Option<&str>) -> &'static str {
    match label.map(str::to_ascii_lowercase).as_deref() {
        Some("critical" | "error" | "page") => "critical",
        Some("info" | "none" | "low") => "info",
        _ => "warning",
    }
}

/// The labels an event's source can hold: acceptable names, values cut, at most
/// `MAX_LABELS`, with `alertname` and `severity` first.
fn source_labels(labels: &BTreeMap<String, String>) -> BTreeMap<String, String> {
    let first = ["alertname", "severity"];
    let ordered = first
        .iter()
        .filter_map(|k| labels.get_key_value(*k))
        .chain(labels.iter().filter(|(k, _)| !first.contains(&k.as_str())));
    ordered
        .filter(|(k, _)| is_label_name(k))
        .take(MAX_LABELS)
        .map(|(k, v)| (k.clone(), cut(v, MAX_LABEL_VALUE_LEN)))
        .collect()
}

/// A map of text values (labels, annotations); absent or `null` is empty.
fn text_map(value: Option<&Value>, field: &str) -> Result<BTreeMap<String, String>, FieldError> {
    let map = match value {
        None | Some(Value::Null) => return Ok(BTreeMap::new()),
        Some(Value::Object(map)) => map,
        Some(_) => return Err(FieldError::new(field, "must be an object of text values")),
    };
    map.iter()
        .map(|(k, v)| match v {
            Value::String(s) => Ok((k.clone(), s.clone())),
            _ => Err(FieldError::new(format!("{field}.{k}"), "must be text")),
        })
        .collect()
}

/// A text field that may be absent or `null`. `prefix` is the path of `object`.
fn optional_text(
    object: &Map<String, Value>,
    field: &str,
    prefix: &str,
) -> Result<Option<String>, FieldError> {
    match object.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => {
            let path = if prefix.is_empty() {
                field.to_owned()
            } else {
                format!("{prefix}.{field}")
            };
            Err(FieldError::new(path, "must be text"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::Severity;

    /// A notification as Alertmanager sends it: one firing alert and one resolved, from
    /// the documented webhook payload (version 4).
    fn payload() -> Value {
        json!({
            "version": "4",
            "groupKey": "{}/{severity=~\"critical|warning\"}:{alertname=\"HostDown\"}",
            "truncatedAlerts": 0,
            "status": "firing",
            "receiver": "tocsin",
            "groupLabels": {"alertname": "HostDown"},
            "commonLabels": {"alertname": "HostDown", "job": "node"},
            "commonAnnotations": {},
            "externalURL": "http://alertmanager.example.com:9093",
            "alerts": [
                {
                    "status": "firing",
                    "labels": {
                        "alertname": "HostDown",
                        "instance": "db-1.example.com:9100",
                        "job": "node",
                        "severity": "critical"
                    },
                    "annotations": {
                        "summary": "Host db-1 is down",
                        "description": "db-1.example.com:9100 has not answered for 5 minutes."
                    },
                    "startsAt": "2026-11-23T09:55:00.123456789Z",
                    "endsAt": "0001-01-01T00:00:00Z",
                    "generatorURL": "http://prometheus.example.com:9090/graph?g0.expr=up+%3D%3D+0&g0.tab=1",
                    "fingerprint": "8c5a1d2e3f4b6a7c"
                },
                {
                    "status": "resolved",
                    "labels": {
                        "alertname": "HostDown",
                        "instance": "web-2.example.com:9100",
                        "job": "node",
                        "severity": "warning"
                    },
                    "annotations": {"summary": "Host web-2 is down"},
                    "startsAt": "2026-11-23T09:40:00Z",
                    "endsAt": "2026-11-23T09:58:30Z",
                    "generatorURL": "http://prometheus.example.com:9090/graph?g0.expr=up+%3D%3D+0&g0.tab=1",
                    "fingerprint": "1f2e3d4c5b6a7988"
                }
            ]
        })
    }

    fn parse(payload: &Value) -> Result<Vec<Event>, FieldError> {
        events(payload, 1_000, Ulid::new)
    }

    #[test]
    fn a_firing_alert_becomes_an_event_with_its_state() {
        let events = parse(&payload()).unwrap();
        assert_eq!(events.len(), 2);
        let e = &events[0];
        assert_eq!(e.event_type, "alertmanager.hostdown");
        assert_eq!(e.title, "Host db-1 is down");
        assert_eq!(
            e.message,
            "db-1.example.com:9100 has not answered for 5 minutes."
        );
        assert_eq!(e.severity, Severity::Critical);
        assert_eq!(
            e.state_key.as_deref(),
            Some("alertmanager/8c5a1d2e3f4b6a7c")
        );
        assert_eq!(e.state.as_deref(), Some("firing"));
        assert!(!e.is_recovery());
        assert_eq!(e.source["instance"], "db-1.example.com:9100");
        assert_eq!(e.source["alertname"], "HostDown");
        assert_eq!(e.source.len(), 4);
        assert_eq!(
            e.link(),
            Some("http://prometheus.example.com:9090/graph?g0.expr=up+%3D%3D+0&g0.tab=1")
        );
        assert_eq!(e.data["receiver"], "tocsin");
        assert_eq!(e.data["fingerprint"], "8c5a1d2e3f4b6a7c");
        assert_eq!(e.data["labels"]["job"], "node");
        assert_eq!(
            e.data["externalURL"],
            "http://alertmanager.example.com:9093"
        );
        assert_eq!(
            e.occurred_at,
            time::parse_rfc3339("2026-11-23T09:55:00.123Z").unwrap()
        );
        assert_eq!(e.received_at, 1_000);
    }

    #[test]
    fn a_resolved_alert_is_a_recovery_at_its_end() {
        let events = parse(&payload()).unwrap();
        let e = &events[1];
        assert_eq!(e.severity, Severity::Ok);
        assert_eq!(e.state.as_deref(), Some("resolved"));
        assert!(e.is_recovery());
        assert_eq!(e.title, "Resolved: Host web-2 is down");
        assert_eq!(e.message, "");
        assert_eq!(
            e.occurred_at,
            time::parse_rfc3339("2026-11-23T09:58:30Z").unwrap()
        );
    }

    #[test]
    fn falls_back_to_the_alertname_and_cleans_the_type() {
        let mut p = payload();
        p["alerts"][0]["labels"]["alertname"] = json!("Node.Disk Full");
        p["alerts"][0]["annotations"] = json!({});
        p["alerts"][0]["labels"]["severity"] = json!("page");
        let e = &parse(&p).unwrap()[0];
        assert_eq!(e.event_type, "alertmanager.node_disk_full");
        assert_eq!(e.title, "Node.Disk Full");
        assert_eq!(e.severity, Severity::Critical);

        p["alerts"][0]["labels"] = json!({});
        let e = &parse(&p).unwrap()[0];
        assert_eq!(e.event_type, "alertmanager.alert");
        assert_eq!(e.title, "Alertmanager alert");
        assert_eq!(e.severity, Severity::Warning);
    }

    #[test]
    fn keeps_the_source_within_the_label_limits() {
        let mut p = payload();
        let mut labels = Map::new();
        for i in 0..100 {
            labels.insert(format!("label_{i:03}"), json!("x"));
        }
        labels.insert("alertname".into(), json!("Many"));
        labels.insert("severity".into(), json!("info"));
        labels.insert("zz_long".into(), json!("v".repeat(5_000)));
        labels.insert("bad name".into(), json!("x"));
        p["alerts"][0]["labels"] = Value::Object(labels);
        let e = &parse(&p).unwrap()[0];
        assert_eq!(e.source.len(), MAX_LABELS);
        assert_eq!(e.source["alertname"], "Many");
        assert_eq!(e.source["severity"], "info");
        assert!(!e.source.contains_key("bad name"));
        assert!(!e.source.contains_key("zz_long"), "beyond the first 64");
        assert_eq!(e.data["labels"].as_object().unwrap().len(), 104);

        let mut p = payload();
        p["alerts"][0]["labels"]["instance"] = json!("v".repeat(5_000));
        let e = &parse(&p).unwrap()[0];
        assert!(e.source["instance"].len() <= MAX_LABEL_VALUE_LEN);
        assert!(e.source["instance"].ends_with('…'));
    }

    #[test]
    fn names_the_wrong_field_of_a_malformed_payload() {
        fn changed(edit: impl FnOnce(&mut Value)) -> Value {
            let mut p = payload();
            edit(&mut p);
            p
        }
        let cases = [
            (changed(|p| p["version"] = json!("3")), "version"),
            (
                changed(|p| {
                    p.as_object_mut().unwrap().remove("version");
                }),
                "version",
            ),
            (json!([1]), "version"),
            (changed(|p| p["alerts"] = json!({})), "alerts"),
            (
                changed(|p| p["alerts"][1]["status"] = json!("pending")),
                "alerts[1].status",
            ),
            (
                changed(|p| {
                    p["alerts"][1]
                        .as_object_mut()
                        .unwrap()
                        .remove("fingerprint");
                }),
                "alerts[1].fingerprint",
            ),
            (
                changed(|p| p["alerts"][0]["startsAt"] = json!("yesterday")),
                "alerts[0].startsAt",
            ),
            (
                changed(|p| p["alerts"][0]["endsAt"] = json!(3)),
                "alerts[0].endsAt",
            ),
            (
                changed(|p| p["alerts"][0]["labels"]["job"] = json!(1)),
                "alerts[0].labels.job",
            ),
            (
                changed(|p| p["alerts"][0]["annotations"] = json!("x")),
                "alerts[0].annotations",
            ),
            (changed(|p| p["alerts"][1] = json!("x")), "alerts[1]"),
        ];
        for (p, field) in cases {
            let err = parse(&p).expect_err(field);
            assert_eq!(err.field, field, "{err}");
        }
    }

    #[test]
    fn an_empty_notification_makes_no_events() {
        let mut p = payload();
        p["alerts"] = json!([]);
        assert_eq!(parse(&p).unwrap(), vec![]);
    }
}
