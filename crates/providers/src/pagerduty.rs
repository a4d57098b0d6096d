//! The `pagerduty` kind: PagerDuty Events API v2. An alert triggers (or updates) the
//! incident named by the event's incident key; its recovery resolves that same incident.
//!
//! URL form (Apprise): `pagerduty://{routing_key}@{apikey}/{source}/{component}` with
//! `region`, `group`, `class`, `click`, `api_base` and `+name=value` custom details as query
//! parameters. Apprise's `{apikey}` (a REST API key) is not needed by the Events API and is
//! ignored; Tocsin prints the region's Events API host in its place.

use serde_json::{Map, Value, json};
use tocsin_core::FieldError;
use tocsin_core::channel::{ChannelConfig, Secrets};
use tocsin_core::event::{Event, Severity};
use tocsin_core::outbound::{HttpResponse, Outcome};
use tocsin_core::time::to_rfc3339;

use crate::common::{self, api_base_field};
use crate::schema::{DefaultValue, FieldSpec, FieldType, KindSchema};
use crate::{Message, Outbound, Provider, classify};

pub struct PagerDuty;

const REGIONS: &[&str] = &["us", "eu"];
const US_HOST: &str = "events.pagerduty.com";
const EU_HOST: &str = "events.eu.pagerduty.com";
const ENQUEUE_PATH: &str = "/v2/enqueue";

/// `payload.summary` limit.
const SUMMARY_MAX: usize = 1_024;
/// Length of an Events API v2 integration key.
const ROUTING_KEY_LEN: usize = 32;

/// Settings that name a part of `payload`, and the event labels each falls back to.
const SOURCE_LABELS: &[&str] = &["host", "hostname", "server", "instance", "application"];
const COMPONENT_LABELS: &[&str] = &["component", "service", "application"];
const GROUP_LABELS: &[&str] = &["group", "project", "cluster", "environment"];

/// Query parameters Apprise adds to every URL; they mean nothing to this kind.
const APPRISE_GENERIC: &[&str] = &[
    "format", "overflow", "emojis", "verify", "rto", "cto", "tz", "store", "image",
];

pub static SCHEMA: KindSchema = KindSchema {
    kind: "pagerduty",
    label: "PagerDuty",
    description: "Triggers a PagerDuty incident through an Events API v2 integration and resolves it when the event recovers.",
    url_schemes: &["pagerduty"],
    fields: &[
        FieldSpec {
            name: "routing_key",
            label: "Integration key",
            help: "The 32-character Integration Key of an \"Events API v2\" integration (Service → Integrations), also called the routing key.",
            field_type: FieldType::String,
            secret: true,
            required: true,
            default: None,
        },
        FieldSpec {
            name: "region",
            label: "Region",
            help: "Where the PagerDuty account lives: us (events.pagerduty.com) or eu (events.eu.pagerduty.com). Ignored when an API base URL is set.",
            field_type: FieldType::Choice { options: REGIONS },
            secret: false,
            required: false,
            default: Some(DefaultValue::Str("us")),
        },
        api_base_field(
            "Send to this base URL instead of the region's Events API host (a proxy, a test receiver); /v2/enqueue is appended.",
        ),
        FieldSpec {
            name: "source",
            label: "Source",
            help: "payload.source: the affected system, e.g. a host name. Empty: the event's host, server, instance or application label.",
            field_type: FieldType::String,
            secret: false,
            required: false,
            default: None,
        },
        FieldSpec {
            name: "component",
            label: "Component",
            help: "payload.component. Empty: the event's component, service or application label.",
            field_type: FieldType::String,
            secret: false,
            required: false,
            default: None,
        },
        FieldSpec {
            name: "group",
            label: "Group",
            help: "payload.group. Empty: the event's group, project, cluster or environment label.",
            field_type: FieldType::String,
            secret: false,
            required: false,
            default: None,
        },
        FieldSpec {
            name: "class",
            label: "Class",
            help: "payload.class. Empty: the event type, e.g. deploy.failure.",
            field_type: FieldType::String,
            secret: false,
            required: false,
            default: None,
        },
        FieldSpec {
            name: "link",
            label: "Link",
            help: "A link added to every incident (a runbook, a dashboard), besides the event's own link.",
            field_type: FieldType::Url,
            secret: false,
            required: false,
            default: None,
        },
        FieldSpec {
            name: "details",
            label: "Custom details",
            help: "Extra entries for payload.custom_details, e.g. {\"team\": \"ops\"}.",
            field_type: FieldType::Map,
            secret: false,
            required: false,
            default: None,
        },
    ],
};

/// The settings that are plain strings, in the order the URL form prints them.
const TEXT_SETTINGS: &[&str] = &["source", "component", "group", "class"];

fn base(config: &ChannelConfig) -> String {
    let host = match common::setting(config, "region") {
        Some("eu") => EU_HOST,
        _ => US_HOST,
    };
    match common::setting(config, "api_base") {
        Some(_) => common::api_base(config, "").to_owned(),
        None => format!("https://{host}"),
    }
}

/// The first of `labels` the event carries.
fn label<'a>(event: &'a Event, labels: &[&str]) -> Option<&'a str> {
    labels
        .iter()
        .find_map(|name| event.source.get(*name))
        .map(String::as_str)
        .filter(|v| !v.trim().is_empty())
}

fn severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical => "critical",
        Severity::Warning => "warning",
        // `ok` events resolve instead of triggering; `info` is the mildest trigger.
        Severity::Info | Severity::Ok => "info",
    }
}

/// `Title: message` on one line, within PagerDuty's limit.
fn summary(event: &Event) -> String {
    let title = event.title.trim();
    let message = event
        .message
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let text = match (title.is_empty(), message.is_empty()) {
        (false, false) => format!("{title}: {message}"),
        (false, true) => title.to_owned(),
        (true, _) => message,
    };
    common::truncate(&text, SUMMARY_MAX)
}

fn trigger(config: &ChannelConfig, message: &Message<'_>, routing_key: &str) -> Value {
    let event = message.event;
    let pick = |name: &str, labels: &[&str]| -> Option<String> {
        common::setting(config, name)
            .or_else(|| label(event, labels))
            .map(str::to_owned)
    };
    let source = pick("source", SOURCE_LABELS).unwrap_or_else(|| message.identity.name.clone());
    let mut custom = Map::new();
    if !event.message.trim().is_empty() {
        custom.insert("message".into(), Value::String(event.message.clone()));
    }
    custom.insert("event_type".into(), Value::String(event.event_type.clone()));
    if !event.source.is_empty() {
        custom.insert("source".into(), json!(event.source));
    }
    if event.data.as_object().is_some_and(|d| !d.is_empty()) {
        custom.insert("data".into(), event.data.clone());
    }
    if let Some(Value::Object(extra)) = config.settings.get("details") {
        custom.extend(extra.clone());
    }
    let mut payload = Map::new();
    payload.insert("summary".into(), Value::String(summary(event)));
    payload.insert("source".into(), Value::String(source));
    payload.insert(
        "severity".into(),
        Value::String(severity(event.severity).into()),
    );
    payload.insert(
        "timestamp".into(),
        Value::String(to_rfc3339(event.occurred_at)),
    );
    if let Some(component) = pick("component", COMPONENT_LABELS) {
        payload.insert("component".into(), Value::String(component));
    }
    if let Some(group) = pick("group", GROUP_LABELS) {
        payload.insert("group".into(), Value::String(group));
    }
    let class = common::setting(config, "class").unwrap_or(&event.event_type);
    payload.insert("class".into(), Value::String(class.to_owned()));
    payload.insert("custom_details".into(), Value::Object(custom));

    let mut links = Vec::new();
    if let Some(href) = event.link() {
        links.push(json!({"href": href, "text": "Details"}));
    }
    if let Some(href) = common::setting(config, "link") {
        links.push(json!({"href": href, "text": "Link"}));
    }
    let mut body = json!({
        "routing_key": routing_key,
        "event_action": "trigger",
        "dedup_key": event.incident_key(),
        "payload": payload,
        "client": message.identity.name,
    });
    if !links.is_empty() {
        body["links"] = Value::Array(links);
    }
    body
}

impl Provider for PagerDuty {
    fn schema(&self) -> &'static KindSchema {
        &SCHEMA
    }

    fn prepare(&self, config: &mut ChannelConfig) -> Result<(), FieldError> {
        let key = common::required_secret(config, "routing_key")?;
        if key.chars().count() != ROUTING_KEY_LEN || !key.chars().all(|c| c.is_ascii_alphanumeric())
        {
            return Err(FieldError::new(
                "secrets.routing_key",
                "must be the 32-character Integration Key of an Events API v2 integration (letters and digits), found under Service → Integrations",
            ));
        }
        for name in TEXT_SETTINGS {
            if let Some(value) = config.str_setting(name)
                && value.chars().any(char::is_control)
            {
                return Err(FieldError::new(
                    format!("settings.{name}"),
                    "must be one line of text without control characters",
                ));
            }
        }
        if let Some(Value::Object(details)) = config.settings.get("details")
            && details.keys().any(|k| k.trim().is_empty())
        {
            return Err(FieldError::new(
                "settings.details",
                "has an empty name; give every custom detail a name",
            ));
        }
        Ok(())
    }

    fn parse_url(&self, url: &url::Url) -> Result<ChannelConfig, FieldError> {
        if url.scheme() != "pagerduty" {
            return Err(FieldError::new(
                "url",
                format!("`{}://` is not a PagerDuty URL", url.scheme()),
            ));
        }
        let host = url.host_str().map(common::decode).unwrap_or_default();
        let mut settings = Map::new();
        let mut details = Map::new();
        let mut routing_key = (!url.username().is_empty()).then(|| common::decode(url.username()));
        for (key, value) in common::query_pairs(url) {
            if let Some(name) = key.strip_prefix('+') {
                details.insert(name.to_owned(), Value::String(value));
                continue;
            }
            match key.to_ascii_lowercase().as_str() {
                "integrationkey" | "routing_key" => routing_key = Some(value),
                "region" => {
                    settings.insert("region".into(), Value::String(value.to_ascii_lowercase()));
                }
                "click" | "link" => {
                    settings.insert("link".into(), Value::String(value));
                }
                name @ ("source" | "component" | "group" | "class" | "api_base") => {
                    settings.insert(name.into(), Value::String(value));
                }
                // Apprise's REST API key: the Events API does not use it.
                "apikey" => {}
                name if APPRISE_GENERIC.contains(&name) => {}
                _ => {
                    return Err(FieldError::new(
                        "url",
                        format!(
                            "has an unknown option `{key}`; PagerDuty URLs take region, source, component, group, class, click, api_base and +name=value details"
                        ),
                    ));
                }
            }
        }
        let routing_key = match routing_key {
            Some(key) => key,
            // `pagerduty://KEY` alone: the key is all there is.
            None if !host.is_empty() && url.path().trim_matches('/').is_empty() => host.clone(),
            None => {
                return Err(FieldError::new(
                    "url",
                    "needs the Integration Key, e.g. pagerduty://0123456789abcdef0123456789abcdef@events.pagerduty.com",
                ));
            }
        };
        if !settings.contains_key("region") && host.eq_ignore_ascii_case(EU_HOST) {
            settings.insert("region".into(), Value::String("eu".into()));
        }
        let mut path = common::path_segments(url).into_iter();
        for name in ["source", "component"] {
            if let Some(value) = path.next()
                && !settings.contains_key(name)
            {
                settings.insert(name.into(), Value::String(value));
            }
        }
        if path.next().is_some() {
            return Err(FieldError::new(
                "url",
                "has too many path parts; write pagerduty://KEY@events.pagerduty.com/{source}/{component}",
            ));
        }
        if !details.is_empty() {
            settings.insert("details".into(), Value::Object(details));
        }
        let mut secrets = Secrets::new();
        secrets.insert("routing_key", routing_key);
        Ok(ChannelConfig { settings, secrets })
    }

    fn to_url(&self, config: &ChannelConfig, reveal: bool) -> String {
        let key = config.secrets.expose("routing_key").unwrap_or_default();
        let eu = common::setting(config, "region") == Some("eu");
        let host = if eu { EU_HOST } else { US_HOST };
        let mut pairs = Vec::new();
        if eu {
            pairs.push(("region".to_owned(), "eu".to_owned()));
        }
        for name in TEXT_SETTINGS {
            if let Some(value) = common::setting(config, name) {
                pairs.push(((*name).to_owned(), value.to_owned()));
            }
        }
        if let Some(link) = common::setting(config, "link") {
            pairs.push(("click".into(), link.to_owned()));
        }
        if let Some(base) = common::setting(config, "api_base") {
            pairs.push(("api_base".into(), base.to_owned()));
        }
        let mut query = common::query_string(&pairs);
        if let Some(Value::Object(details)) = config.settings.get("details") {
            for (name, value) in details {
                if !query.is_empty() {
                    query.push('&');
                }
                let value = value.as_str().unwrap_or_default();
                query.push_str(&format!(
                    "+{}={}",
                    common::encode_segment(name),
                    common::encode_segment(value)
                ));
            }
        }
        let mut url = format!("pagerduty://{}@{host}", common::shown(key, reveal));
        if !query.is_empty() {
            url.push('?');
            url.push_str(&query);
        }
        url
    }

    fn render(
        &self,
        config: &ChannelConfig,
        message: &Message<'_>,
    ) -> Result<Outbound, FieldError> {
        let routing_key = common::required_secret(config, "routing_key")?;
        let event = message.event;
        // The dedup key is the incident key: a retried trigger updates the same incident
        // instead of opening another, and the recovery resolves it.
        let body = if event.is_recovery() {
            json!({
                "routing_key": routing_key,
                "event_action": "resolve",
                "dedup_key": event.incident_key(),
            })
        } else {
            trigger(config, message, routing_key)
        };
        let url = format!("{}{ENQUEUE_PATH}", base(config));
        Ok(Outbound::Http(common::json_request(
            "POST",
            url,
            Vec::new(),
            &body,
        )))
    }

    fn classify(&self, response: &HttpResponse) -> Outcome {
        // A bare 429 carries no delay: the retry schedule's backoff applies (PagerDuty
        // suggests waiting about 30 seconds, which is the schedule's first step).
        classify::by_status_saying(response, || reason(response))
    }
}

/// `PagerDuty 400: Event object is invalid (payload.summary is missing)`.
fn reason(response: &HttpResponse) -> String {
    let status = response.status;
    // [K] unverified: the v2 error body is taken to have the v1 shape
    // `{"status": "invalid event", "message": "…", "errors": ["…"]}`.
    let Some(body) = common::json_body(response) else {
        return classify::service_status("PagerDuty", response);
    };
    let message = body
        .get("message")
        .and_then(Value::as_str)
        .or_else(|| body.get("status").and_then(Value::as_str))
        .unwrap_or("no message");
    let errors: Vec<&str> = body
        .get("errors")
        .and_then(Value::as_array)
        .map(|list| list.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let text = if errors.is_empty() {
        message.to_owned()
    } else {
        format!("{message} ({})", errors.join("; "))
    };
    format!(
        "PagerDuty {status}: {}",
        common::truncate(&text, classify::EXCERPT_CHARS)
    )
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use serde_json::json;

    use super::*;
    use crate::testing::{self, *};

    const KEY: &str = "0123456789abcdef0123456789abcdef";

    fn channel(settings: Value) -> ChannelConfig {
        configure(&PagerDuty, settings, json!({"routing_key": KEY})).expect("a valid channel")
    }

    fn body(request: &tocsin_core::outbound::HttpRequest) -> Value {
        serde_json::from_slice(&request.body).expect("a JSON body")
    }

    #[test]
    fn triggers_an_incident_for_the_sample_event() {
        let request = render(&PagerDuty, &channel(json!({})), &sample_event());
        insta::assert_json_snapshot!("pagerduty_trigger", testing::snapshot(&request));
    }

    #[test]
    fn resolves_the_incident_the_alert_opened() {
        let config = channel(json!({}));
        let alert = body(&render(&PagerDuty, &config, &alert_event()));
        let request = render(&PagerDuty, &config, &recovery_event());
        insta::assert_json_snapshot!("pagerduty_resolve", testing::snapshot(&request));
        let resolve = body(&request);
        assert_eq!(alert["event_action"], "trigger");
        assert_eq!(resolve["event_action"], "resolve");
        assert_eq!(resolve["dedup_key"], alert["dedup_key"]);
        assert_eq!(
            resolve["dedup_key"],
            "tocsin/service.health/application=api,environment=production"
        );
    }

    #[test]
    fn maps_severities_and_takes_settings_over_labels() {
        let config = channel(json!({"region": "EU", "source": "db-1.example.com",
            "component": "postgres", "group": "data", "class": "disk",
            "link": "https://runbooks.example.com/disk", "details": {"team": "ops"}}));
        let request = render(&PagerDuty, &config, &sample_event());
        assert_eq!(request.url, "https://events.eu.pagerduty.com/v2/enqueue");
        let body = body(&request);
        let payload = &body["payload"];
        assert_eq!(payload["severity"], "critical");
        assert_eq!(payload["source"], "db-1.example.com");
        assert_eq!(payload["component"], "postgres");
        assert_eq!(payload["group"], "data");
        assert_eq!(payload["class"], "disk");
        assert_eq!(payload["custom_details"]["team"], "ops");
        assert_eq!(
            body["links"],
            json!([{"href": "https://ci.example.com/builds/42", "text": "Details"},
                {"href": "https://runbooks.example.com/disk", "text": "Link"}])
        );

        for (severity, expected) in [("warning", "warning"), ("info", "info")] {
            let event =
                testing_event(json!({"type": "disk.full", "title": "x", "severity": severity}));
            let payload = body_of(&config, &event)["payload"].clone();
            assert_eq!(payload["severity"], expected);
            assert_eq!(payload["source"], "db-1.example.com");
        }
        // Neither a setting nor a label: the source falls back to Tocsin's own name.
        let bare = channel(json!({}));
        let event = testing_event(json!({"type": "disk.full", "title": "x"}));
        assert_eq!(body_of(&bare, &event)["payload"]["source"], "Tocsin");
        assert!(body_of(&bare, &event).get("links").is_none());
    }

    fn testing_event(input: Value) -> Event {
        let input = serde_json::from_value(input).expect("an event input");
        Event::parse(input, ulid::Ulid::nil(), testing::NOW).expect("an event")
    }

    /// The longest event Tocsin accepts. (`testing::long_event` exceeds the event limits
    /// and cannot be built.)
    fn longest_event() -> Event {
        testing_event(json!({"type": "backup.failure", "title": "T".repeat(1_024),
            "message": "M".repeat(65_536), "source": {"application": "a".repeat(1_024)}}))
    }

    fn body_of(config: &ChannelConfig, event: &Event) -> Value {
        body(&render(&PagerDuty, config, event))
    }

    #[test]
    fn a_state_back_to_normal_resolves_too() {
        let event = testing_event(json!({"type": "disk.usage", "title": "disk ok",
            "severity": "warning", "state_key": "db-1/disk", "state": "ok"}));
        let body = body_of(&channel(json!({})), &event);
        assert_eq!(
            body,
            json!({"routing_key": KEY, "event_action": "resolve", "dedup_key": "tocsin/db-1/disk"})
        );
    }

    #[test]
    fn sends_to_the_api_base_when_set() {
        let config = channel(json!({"api_base": "http://127.0.0.1:9000/", "region": "eu"}));
        let request = render(&PagerDuty, &config, &sample_event());
        assert_eq!(request.url, "http://127.0.0.1:9000/v2/enqueue");
    }

    #[test]
    fn accepts_202_and_any_2xx() {
        let accepted = response(
            202,
            &[("content-type", "application/json")],
            r#"{"status":"success","message":"Event processed","dedup_key":"tocsin/x"}"#,
        );
        assert_eq!(PagerDuty.classify(&accepted), Outcome::Delivered);
        assert_eq!(
            PagerDuty.classify(&response(200, &[], "")),
            Outcome::Delivered
        );
    }

    #[test]
    fn fails_an_invalid_event_with_pagerdutys_words() {
        let invalid = response(
            400,
            &[],
            r#"{"status":"invalid event","message":"Event object is invalid","errors":["'payload.summary' is missing or blank"]}"#,
        );
        assert_eq!(
            PagerDuty.classify(&invalid),
            Outcome::failed(
                "PagerDuty 400: Event object is invalid ('payload.summary' is missing or blank)"
            )
        );
        assert_eq!(
            PagerDuty.classify(&response(404, &[], "Not Found")),
            Outcome::failed("PagerDuty 404: Not Found")
        );
    }

    #[test]
    fn retries_a_429_with_backoff_and_5xx() {
        assert_eq!(
            PagerDuty.classify(&response(429, &[], "")),
            Outcome::Retry {
                reason: "PagerDuty 429".into(),
                after: None
            }
        );
        assert_eq!(
            PagerDuty.classify(&response(429, &[("Retry-After", "30")], "")),
            Outcome::Retry {
                reason: "PagerDuty 429".into(),
                after: Some(Duration::from_secs(30))
            }
        );
        assert_eq!(
            PagerDuty.classify(&response(503, &[], "Service Unavailable")),
            Outcome::Retry {
                reason: "PagerDuty 503: Service Unavailable".into(),
                after: None
            }
        );
    }

    #[test]
    fn apprise_url_round_trips_and_masks_the_key() {
        let text = format!(
            "pagerduty://{KEY}@myapikey/db-1.example.com/postgres?region=eu&group=data&class=disk&click=https%3A%2F%2Frunbooks.example.com%2Fdisk&+team=ops&image=no"
        );
        let (config, printed) = url_round_trip(&PagerDuty, &text);
        assert_eq!(config.secrets.expose("routing_key"), Some(KEY));
        assert_eq!(config.settings["region"], "eu");
        assert_eq!(config.settings["source"], "db-1.example.com");
        assert_eq!(config.settings["component"], "postgres");
        assert_eq!(config.settings["link"], "https://runbooks.example.com/disk");
        assert_eq!(config.settings["details"], json!({"team": "ops"}));
        let (again, _) = url_round_trip(&PagerDuty, &printed);
        assert_eq!(again, config);

        let masked = PagerDuty.to_url(&config, false);
        assert!(!masked.contains(KEY), "{masked}");
        assert!(masked.starts_with("pagerduty://***@events.eu.pagerduty.com?region=eu"));

        let (plain, printed) = url_round_trip(&PagerDuty, &format!("pagerduty://{KEY}"));
        assert_eq!(printed, format!("pagerduty://{KEY}@events.pagerduty.com"));
        assert_eq!(plain.settings["region"], "us");
        let (local, _) = url_round_trip(
            &PagerDuty,
            &format!("pagerduty://{KEY}@x?api_base=http%3A%2F%2F127.0.0.1%3A9000"),
        );
        assert_eq!(local.settings["api_base"], "http://127.0.0.1:9000");
    }

    #[test]
    fn refuses_malformed_urls() {
        let parse = |text: &str| PagerDuty.parse_url(&url::Url::parse(text).expect("a URL"));
        let err = parse("pagerduty://?region=eu").expect_err("no key");
        assert_eq!(err.field, "url");
        assert!(err.message.contains("Integration Key"), "{err}");
        let err = parse(&format!("pagerduty://{KEY}@x?colour=red")).expect_err("unknown option");
        assert!(err.message.contains("`colour`"), "{err}");
        let err = parse(&format!("pagerduty://{KEY}@x/a/b/c")).expect_err("too many parts");
        assert_eq!(err.field, "url");
        assert!(parse("slack://a/b/c").is_err());
        let config = parse("pagerduty://short@x").expect("parses; prepare checks the key");
        let secrets: Map<String, Value> = config
            .secrets
            .iter_exposed()
            .map(|(k, v)| (k.to_owned(), Value::String(v.to_owned())))
            .collect();
        let err = configure(
            &PagerDuty,
            Value::Object(config.settings),
            Value::Object(secrets),
        )
        .expect_err("a short key");
        assert_eq!(err.field, "secrets.routing_key");
    }

    #[test]
    fn names_the_field_of_each_configuration_error() {
        let cases = [
            (json!({}), json!({}), "secrets.routing_key"),
            (
                json!({}),
                json!({"routing_key": "abc"}),
                "secrets.routing_key",
            ),
            (
                json!({}),
                json!({"routing_key": "0123456789abcdef0123456789abcde!"}),
                "secrets.routing_key",
            ),
            (
                json!({"region": "asia"}),
                json!({"routing_key": KEY}),
                "settings.region",
            ),
            (
                json!({"api_base": "ftp://x"}),
                json!({"routing_key": KEY}),
                "settings.api_base",
            ),
            (
                json!({"link": "not a url"}),
                json!({"routing_key": KEY}),
                "settings.link",
            ),
            (
                json!({"source": "a\nb"}),
                json!({"routing_key": KEY}),
                "settings.source",
            ),
            (
                json!({"details": {"": "x"}}),
                json!({"routing_key": KEY}),
                "settings.details",
            ),
            (
                json!({"details": {"a": 1}}),
                json!({"routing_key": KEY}),
                "settings.details",
            ),
            (
                json!({"severity": "high"}),
                json!({"routing_key": KEY}),
                "settings.severity",
            ),
            (
                json!({"routing_key": KEY}),
                json!({}),
                "settings.routing_key",
            ),
        ];
        for (settings, secrets, field) in cases {
            let err =
                configure(&PagerDuty, settings.clone(), secrets).expect_err(&settings.to_string());
            assert_eq!(err.field, field, "{err}");
            assert!(!err.message.is_empty());
        }
    }

    #[test]
    fn a_long_event_fits_the_summary_limit() {
        let body = body_of(&channel(json!({})), &longest_event());
        let summary = body["payload"]["summary"].as_str().expect("a summary");
        assert_eq!(summary.chars().count(), SUMMARY_MAX);
        assert!(summary.ends_with('…'));
        assert!(body.to_string().len() < 512 * 1024);
        assert!(body["dedup_key"].as_str().expect("a key").chars().count() <= 255);
    }

    #[test]
    fn keeps_markup_characters_as_plain_text() {
        let body = body_of(&channel(json!({})), &sample_event());
        assert_eq!(
            body["payload"]["summary"],
            "Deploy failed: api <prod>: Build \"api\" broke at step 3 & stopped. See the log."
        );
        assert_eq!(
            body["payload"]["custom_details"]["message"],
            "Build \"api\" broke at step 3 & stopped.\nSee the log."
        );
    }

    #[test]
    fn renders_the_test_notification() {
        let test = Event::test(ulid::Ulid::nil(), testing::NOW);
        let body = body_of(&channel(json!({})), &test);
        assert_eq!(body["event_action"], "trigger");
        assert_eq!(
            body["payload"]["summary"],
            "Test Notification: Hi, from Tocsin 👋"
        );
        assert_eq!(body["payload"]["severity"], "info");
        assert_eq!(body["payload"]["source"], "tocsin");
    }
}
