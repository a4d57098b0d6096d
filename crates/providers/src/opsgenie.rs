//! The `opsgenie` kind: the Opsgenie Alert API. An alert is created with the event's
//! incident key as its `alias`, so that repeats count on one open alert and the recovery
//! closes it by alias.
//!
//! URL form (Apprise): `opsgenie://{apikey}/@{user}/#{team}/*{schedule}/^{escalation}` with
//! `region`, `priority`, `tags`, `entity`, `to`, `api_base` and `+name=value` details as
//! query parameters.

use serde_json::{Map, Value, json};
use tocsin_core::FieldError;
use tocsin_core::channel::{ChannelConfig, Secrets};
use tocsin_core::event::{Event, Severity};
use tocsin_core::outbound::{HttpResponse, Outcome};

use crate::common::{self, api_base_field};
use crate::schema::{DefaultValue, FieldSpec, FieldType, KindSchema};
use crate::{Message, Outbound, Provider, classify};

pub struct Opsgenie;

const REGIONS: &[&str] = &["us", "eu"];
const US_BASE: &str = "https://api.opsgenie.com";
const EU_BASE: &str = "https://api.eu.opsgenie.com";
const PRIORITIES: &[&str] = &["P1", "P2", "P3", "P4", "P5"];

const MESSAGE_MAX: usize = 130;
const DESCRIPTION_MAX: usize = 15_000;
const ALIAS_MAX: usize = 512;
// [K] unverified: the limits below come from Opsgenie's Alert API reference, not from a
// source checked for Tocsin: source 100, entity 512, note 25,000, tags 20 of 50 characters,
// details 8,000 characters in all, responders 50.
const SOURCE_MAX: usize = 100;
const ENTITY_MAX: usize = 512;
const NOTE_MAX: usize = 25_000;
const TAGS_MAX: usize = 20;
const TAG_MAX: usize = 50;
const DETAILS_MAX: usize = 8_000;
const DETAIL_VALUE_MAX: usize = 1_000;
const RESPONDERS_MAX: usize = 50;

/// Query parameters Apprise adds to every URL; they mean nothing to this kind.
const APPRISE_GENERIC: &[&str] = &[
    "format", "overflow", "emojis", "verify", "rto", "cto", "tz", "store", "batch",
];

pub static SCHEMA: KindSchema = KindSchema {
    kind: "opsgenie",
    label: "Opsgenie",
    description: "Creates an Opsgenie alert per incident through an API integration and closes it when the event recovers.",
    url_schemes: &["opsgenie"],
    fields: &[
        FieldSpec {
            name: "api_key",
            label: "API key",
            help: "The API key of an Opsgenie \"API\" integration (Settings → Integrations), sent as `Authorization: GenieKey …`.",
            field_type: FieldType::String,
            secret: true,
            required: true,
            default: None,
        },
        FieldSpec {
            name: "region",
            label: "Region",
            help: "Where the Opsgenie account lives: us (api.opsgenie.com) or eu (api.eu.opsgenie.com). Ignored when an API base URL is set.",
            field_type: FieldType::Choice { options: REGIONS },
            secret: false,
            required: false,
            default: Some(DefaultValue::Str("us")),
        },
        api_base_field(
            "Send to this base URL instead of the region's API host (a proxy, a test receiver); /v2/alerts is appended.",
        ),
        FieldSpec {
            name: "priority",
            label: "Priority",
            help: "The same priority for every alert. Empty: from the event's severity (critical → P1, warning → P3, info → P5).",
            field_type: FieldType::Choice {
                options: PRIORITIES,
            },
            secret: false,
            required: false,
            default: None,
        },
        FieldSpec {
            name: "responders",
            label: "Responders",
            help: "Who to notify besides the integration's team, comma-separated: @user (user name or id), #team, *schedule, ^escalation; a bare name is a user. E.g. #Ops Team, @jane@example.com",
            field_type: FieldType::String,
            secret: false,
            required: false,
            default: None,
        },
        FieldSpec {
            name: "tags",
            label: "Tags",
            help: "Tags for every alert, comma-separated, e.g. tocsin, production. The event's severity is added.",
            field_type: FieldType::String,
            secret: false,
            required: false,
            default: None,
        },
        FieldSpec {
            name: "entity",
            label: "Entity",
            help: "The alert's entity (the domain it is about). Empty: the event's application label.",
            field_type: FieldType::String,
            secret: false,
            required: false,
            default: None,
        },
        FieldSpec {
            name: "details",
            label: "Details",
            help: "Extra custom properties for every alert, e.g. {\"team\": \"ops\"}.",
            field_type: FieldType::Map,
            secret: false,
            required: false,
            default: None,
        },
    ],
};

fn base(config: &ChannelConfig) -> String {
    match common::setting(config, "api_base") {
        Some(_) => common::api_base(config, "").to_owned(),
        None if common::setting(config, "region") == Some("eu") => EU_BASE.to_owned(),
        None => US_BASE.to_owned(),
    }
}

fn priority(config: &ChannelConfig, severity: Severity) -> &str {
    common::setting(config, "priority").unwrap_or(match severity {
        Severity::Critical => "P1",
        Severity::Warning => "P3",
        Severity::Info | Severity::Ok => "P5",
    })
}

/// Comma-separated entries of a list setting (names may hold spaces: "Ops Team").
fn list(text: &str) -> impl Iterator<Item = &str> {
    text.split([',', '\n'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

fn is_uuid(text: &str) -> bool {
    let groups: Vec<&str> = text.split('-').collect();
    groups.iter().map(|g| g.len()).eq([8, 4, 4, 4, 12])
        && groups
            .iter()
            .all(|g| g.chars().all(|c| c.is_ascii_hexdigit()))
}

/// One responder as Opsgenie takes it: `{"type": "team", "name": "ops"}`, or by `id` when
/// the reference is a UUID.
fn responder(entry: &str) -> Result<Value, String> {
    let (kind, name) = match entry.chars().next() {
        Some('@') => ("user", &entry[1..]),
        Some('#') => ("team", &entry[1..]),
        Some('*') => ("schedule", &entry[1..]),
        Some('^') => ("escalation", &entry[1..]),
        _ => ("user", entry),
    };
    if name.is_empty() {
        return Err(format!("has `{entry}` without a name after its prefix"));
    }
    let key = if is_uuid(name) {
        "id"
    } else if kind == "user" {
        "username"
    } else {
        "name"
    };
    Ok(json!({"type": kind, key: name}))
}

fn responders(config: &ChannelConfig) -> Result<Vec<Value>, FieldError> {
    let field = |m: String| FieldError::new("settings.responders", m);
    let entries: Vec<&str> = common::setting(config, "responders")
        .map(|t| list(t).collect())
        .unwrap_or_default();
    if entries.len() > RESPONDERS_MAX {
        return Err(field(format!(
            "names {} responders; Opsgenie takes at most {RESPONDERS_MAX}",
            entries.len()
        )));
    }
    entries
        .into_iter()
        .map(|e| responder(e).map_err(field))
        .collect()
}

fn tags(config: &ChannelConfig, event: &Event) -> Vec<Value> {
    let mut tags: Vec<String> = common::setting(config, "tags")
        .map(|t| list(t).map(|t| common::truncate(t, TAG_MAX)).collect())
        .unwrap_or_default();
    let severity = event.severity.as_str().to_owned();
    if !tags.contains(&severity) {
        tags.push(severity);
    }
    tags.into_iter().take(TAGS_MAX).map(Value::String).collect()
}

/// Custom properties: the event's labels and data, then the channel's own; Opsgenie takes
/// string values only, within a total size.
fn details(config: &ChannelConfig, event: &Event) -> Map<String, Value> {
    let mut entries: Vec<(String, String)> = vec![("event_type".into(), event.event_type.clone())];
    entries.extend(event.source.iter().map(|(k, v)| (k.clone(), v.clone())));
    if let Some(data) = event.data.as_object() {
        entries.extend(data.iter().map(|(k, v)| {
            let text = match v {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            (k.clone(), text)
        }));
    }
    if let Some(Value::Object(extra)) = config.settings.get("details") {
        entries.extend(
            extra
                .iter()
                .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_owned())),
        );
    }
    let mut out = Map::new();
    let mut used = 0;
    for (key, value) in entries {
        let value = common::truncate(&value, DETAIL_VALUE_MAX);
        let size = key.chars().count() + value.chars().count();
        if used + size > DETAILS_MAX {
            continue;
        }
        used += size;
        out.insert(key, Value::String(value));
    }
    out
}

/// The alert's headline: its title, or the first line of the message.
fn headline(event: &Event) -> String {
    let text = if event.title.trim().is_empty() {
        event.message.lines().next().unwrap_or_default()
    } else {
        event.title.trim()
    };
    common::truncate(text, MESSAGE_MAX)
}

/// The message, with the event's link on a line of its own when it has one.
fn description(event: &Event) -> String {
    let text = if event.message.trim().is_empty() {
        &event.title
    } else {
        &event.message
    };
    match event.link() {
        Some(link) if link.chars().count() < DESCRIPTION_MAX / 2 => {
            let room = DESCRIPTION_MAX - link.chars().count() - 2;
            format!("{}\n\n{link}", common::truncate(text, room))
        }
        _ => common::truncate(text, DESCRIPTION_MAX),
    }
}

fn create(config: &ChannelConfig, message: &Message<'_>) -> Result<Value, FieldError> {
    let event = message.event;
    let mut body = json!({
        "message": headline(event),
        "alias": common::truncate(&event.incident_key(), ALIAS_MAX),
        "description": description(event),
        "priority": priority(config, event.severity),
        "source": common::truncate(&message.identity.name, SOURCE_MAX),
        "tags": tags(config, event),
        "details": details(config, event),
    });
    let entity = common::setting(config, "entity")
        .or_else(|| event.source.get("application").map(String::as_str))
        .filter(|e| !e.trim().is_empty());
    if let Some(entity) = entity {
        body["entity"] = Value::String(common::truncate(entity, ENTITY_MAX));
    }
    let responders = responders(config)?;
    if !responders.is_empty() {
        body["responders"] = Value::Array(responders);
    }
    Ok(body)
}

fn close(message: &Message<'_>) -> Value {
    json!({
        "source": common::truncate(&message.identity.name, SOURCE_MAX),
        "note": common::truncate(&common::title_and_message(message.event), NOTE_MAX),
    })
}

/// Reads Apprise's priority words by their meaning. Apprise itself numbers them the other
/// way round (its `low` goes out as P1, Opsgenie's most urgent).
fn parse_priority(text: &str) -> Option<&'static str> {
    let text = text.trim().to_ascii_lowercase();
    let digit = text.strip_prefix('p').unwrap_or(&text);
    match digit {
        "1" => return Some("P1"),
        "2" => return Some("P2"),
        "3" => return Some("P3"),
        "4" => return Some("P4"),
        "5" => return Some("P5"),
        _ => {}
    }
    [
        ("e", "P1"),
        ("h", "P2"),
        ("n", "P3"),
        ("m", "P4"),
        ("l", "P5"),
    ]
    .into_iter()
    .find(|(initial, _)| text.starts_with(initial))
    .map(|(_, p)| p)
}

/// Path and query of an Apprise URL, putting back what a `#team` target split off as a
/// fragment (`opsgenie://key/#ops?region=eu` has the fragment `ops?region=eu`).
fn path_and_query(url: &url::Url) -> (Vec<String>, Vec<(String, String)>) {
    let mut path = common::path_segments(url);
    let mut query = common::query_pairs(url);
    if let Some(fragment) = url.fragment() {
        let (rest, tail_query) = fragment.split_once('?').unwrap_or((fragment, ""));
        let mut parts = rest.split('/');
        if let Some(team) = parts.next().filter(|t| !t.is_empty()) {
            path.push(format!("#{}", common::decode(team)));
        }
        path.extend(parts.filter(|p| !p.is_empty()).map(common::decode));
        if let Ok(extra) = url::Url::parse(&format!("x://h?{tail_query}")) {
            query.extend(common::query_pairs(&extra));
        }
    }
    (path, query)
}

impl Provider for Opsgenie {
    fn schema(&self) -> &'static KindSchema {
        &SCHEMA
    }

    fn prepare(&self, config: &mut ChannelConfig) -> Result<(), FieldError> {
        let key = common::required_secret(config, "api_key")?;
        if !key.chars().all(|c| c.is_ascii_graphic()) {
            return Err(FieldError::new(
                "secrets.api_key",
                "must be an Opsgenie API key (like 3f2a8c1e-5b7d-4e9a-8c2f-1a2b3c4d5e6f) without spaces",
            ));
        }
        responders(config)?;
        if let Some(entity) = config.str_setting("entity")
            && entity.chars().any(char::is_control)
        {
            return Err(FieldError::new(
                "settings.entity",
                "must be one line of text without control characters",
            ));
        }
        if let Some(Value::Object(details)) = config.settings.get("details")
            && details.keys().any(|k| k.trim().is_empty())
        {
            return Err(FieldError::new(
                "settings.details",
                "has an empty name; give every detail a name",
            ));
        }
        Ok(())
    }

    fn parse_url(&self, url: &url::Url) -> Result<ChannelConfig, FieldError> {
        if url.scheme() != "opsgenie" {
            return Err(FieldError::new(
                "url",
                format!("`{}://` is not an Opsgenie URL", url.scheme()),
            ));
        }
        let (path, query) = path_and_query(url);
        let mut api_key = url.host_str().map(common::decode).filter(|k| !k.is_empty());
        let mut settings = Map::new();
        let mut details = Map::new();
        let mut targets = path;
        for (key, value) in query {
            if let Some(name) = key.strip_prefix('+') {
                details.insert(name.to_owned(), Value::String(value));
                continue;
            }
            match key.to_ascii_lowercase().as_str() {
                "apikey" => api_key = Some(value),
                "region" => {
                    settings.insert("region".into(), Value::String(value.to_ascii_lowercase()));
                }
                "priority" => {
                    let p = parse_priority(&value).ok_or_else(|| {
                        FieldError::new(
                            "url",
                            format!(
                                "has priority `{value}`; use P1 (critical) to P5 (informational)"
                            ),
                        )
                    })?;
                    settings.insert("priority".into(), Value::String(p.into()));
                }
                "to" => targets.extend(list(&value).map(str::to_owned)),
                name @ ("tags" | "entity" | "api_base") => {
                    settings.insert(name.into(), Value::String(value));
                }
                "alias" => {
                    return Err(FieldError::new(
                        "url",
                        "sets `alias`, which Tocsin takes from each event's incident key so that a recovery closes its alert; remove it",
                    ));
                }
                name if APPRISE_GENERIC.contains(&name) => {}
                _ => {
                    return Err(FieldError::new(
                        "url",
                        format!(
                            "has an unknown option `{key}`; Opsgenie URLs take region, priority, tags, entity, to, api_base and +name=value details"
                        ),
                    ));
                }
            }
        }
        let api_key = api_key.ok_or_else(|| {
            FieldError::new(
                "url",
                "needs the API key as its host, e.g. opsgenie://3f2a8c1e-5b7d-4e9a-8c2f-1a2b3c4d5e6f/#ops",
            )
        })?;
        if !targets.is_empty() {
            settings.insert("responders".into(), Value::String(targets.join(",")));
        }
        if !details.is_empty() {
            settings.insert("details".into(), Value::Object(details));
        }
        let mut secrets = Secrets::new();
        secrets.insert("api_key", api_key);
        Ok(ChannelConfig { settings, secrets })
    }

    fn to_url(&self, config: &ChannelConfig, reveal: bool) -> String {
        let key = config.secrets.expose("api_key").unwrap_or_default();
        let mut pairs = Vec::new();
        if let Some(region) = common::setting(config, "region").filter(|r| *r != "us") {
            pairs.push(("region".to_owned(), region.to_owned()));
        }
        for name in ["priority", "tags", "entity", "api_base"] {
            if let Some(value) = common::setting(config, name) {
                pairs.push((name.to_owned(), value.to_owned()));
            }
        }
        // Responders go in `to=` rather than the path: a `#team` there would start a
        // fragment.
        if let Some(responders) = common::setting(config, "responders") {
            pairs.push(("to".into(), list(responders).collect::<Vec<_>>().join(",")));
        }
        let mut query = common::query_string(&pairs);
        if let Some(Value::Object(details)) = config.settings.get("details") {
            for (name, value) in details {
                if !query.is_empty() {
                    query.push('&');
                }
                query.push_str(&format!(
                    "+{}={}",
                    common::encode_segment(name),
                    common::encode_segment(value.as_str().unwrap_or_default())
                ));
            }
        }
        let mut url = format!("opsgenie://{}", common::shown(key, reveal));
        if !query.is_empty() {
            url.push_str("/?");
            url.push_str(&query);
        }
        url
    }

    fn render(
        &self,
        config: &ChannelConfig,
        message: &Message<'_>,
    ) -> Result<Outbound, FieldError> {
        let key = common::required_secret(config, "api_key")?;
        let event = message.event;
        let headers = vec![("Authorization".to_owned(), format!("GenieKey {key}"))];
        let alerts = format!("{}/v2/alerts", base(config));
        let (url, body) = if event.is_recovery() {
            // [K] unverified: an alias holding `/` is taken to work percent-encoded in the
            // path, as Uptime Kuma sends it (encodeURIComponent).
            let alias = common::encode_segment(&event.incident_key());
            (
                format!("{alerts}/{alias}/close?identifierType=alias"),
                close(message),
            )
        } else {
            (alerts, create(config, message)?)
        };
        Ok(Outbound::Http(common::json_request(
            "POST", url, headers, &body,
        )))
    }

    fn classify(&self, response: &HttpResponse) -> Outcome {
        // A bare 429 carries no delay: the retry schedule's backoff applies.
        classify::by_status_saying(response, || reason(response))
    }
}

/// `Opsgenie 422: Request body is not processable. Please check the errors. (message: …)`.
fn reason(response: &HttpResponse) -> String {
    let status = response.status;
    // [K] unverified: error bodies are `{"message": "…", "took": …, "requestId": "…"}`, with
    // an `errors` object on validation failures.
    let Some(body) = common::json_body(response) else {
        return classify::service_status("Opsgenie", response);
    };
    let message = body
        .get("message")
        .and_then(Value::as_str)
        .unwrap_or("no message");
    let errors: Vec<String> = body
        .get("errors")
        .and_then(Value::as_object)
        .map(|errors| {
            errors
                .iter()
                .map(|(k, v)| format!("{k}: {}", v.as_str().map_or(v.to_string(), str::to_owned)))
                .collect()
        })
        .unwrap_or_default();
    let text = if errors.is_empty() {
        message.to_owned()
    } else {
        format!("{message} ({})", errors.join("; "))
    };
    format!(
        "Opsgenie {status}: {}",
        common::truncate(&text, classify::EXCERPT_CHARS)
    )
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use serde_json::json;
    use tocsin_core::outbound::HttpRequest;

    use super::*;
    use crate::testing::{self, *};

    const KEY: &str = "3f2a8c1e-5b7d-4e9a-8c2f-1a2b3c4d5e6f";

    fn channel(settings: Value) -> ChannelConfig {
        configure(&Opsgenie, settings, json!({"api_key": KEY})).expect("a valid channel")
    }

    fn body(request: &HttpRequest) -> Value {
        serde_json::from_slice(&request.body).expect("a JSON body")
    }

    fn event(input: Value) -> Event {
        let input = serde_json::from_value(input).expect("an event input");
        Event::parse(input, ulid::Ulid::nil(), testing::NOW).expect("an event")
    }

    /// The longest event Tocsin accepts. (`testing::long_event` exceeds the event limits
    /// and cannot be built.)
    fn longest_event() -> Event {
        event(json!({"type": "backup.failure", "title": "T".repeat(1_024),
            "message": "M".repeat(65_536), "source": {"application": "a".repeat(1_024)},
            "data": {"url": format!("https://ci.example.com/{}", "x".repeat(900)),
                "log": "L".repeat(20_000)}}))
    }

    #[test]
    fn creates_an_alert_for_the_sample_event() {
        let request = render(&Opsgenie, &channel(json!({})), &sample_event());
        insta::assert_json_snapshot!("opsgenie_create", testing::snapshot(&request));
    }

    #[test]
    fn closes_the_alert_by_alias_on_recovery() {
        let config = channel(json!({}));
        let alert = body(&render(&Opsgenie, &config, &alert_event()));
        let request = render(&Opsgenie, &config, &recovery_event());
        insta::assert_json_snapshot!("opsgenie_close", testing::snapshot(&request));
        assert_eq!(
            alert["alias"],
            "tocsin/service.health/application=api,environment=production"
        );
        assert_eq!(
            request.url,
            "https://api.opsgenie.com/v2/alerts/tocsin%2Fservice.health%2Fapplication%3Dapi%2Cenvironment%3Dproduction/close?identifierType=alias"
        );
    }

    #[test]
    fn maps_severity_to_priority_unless_one_is_set() {
        let config = channel(json!({}));
        for (severity, expected) in [("critical", "P1"), ("warning", "P3"), ("info", "P5")] {
            let e = event(json!({"type": "disk.full", "title": "x", "severity": severity}));
            assert_eq!(body(&render(&Opsgenie, &config, &e))["priority"], expected);
        }
        let fixed = channel(json!({"priority": "p2"}));
        assert_eq!(fixed.settings["priority"], "P2");
        assert_eq!(
            body(&render(&Opsgenie, &fixed, &sample_event()))["priority"],
            "P2"
        );
    }

    #[test]
    fn sends_responders_tags_entity_and_details() {
        let config = channel(json!({"region": "eu",
            "responders": "@jane@example.com, #Ops Team, *on-call, ^4c9b6c1e-2a3d-4e5f-8a9b-0c1d2e3f4a5b, bob",
            "tags": "tocsin, production", "entity": "checkout", "details": {"team": "ops"}}));
        let request = render(&Opsgenie, &config, &sample_event());
        assert_eq!(request.url, "https://api.eu.opsgenie.com/v2/alerts");
        assert_eq!(
            request.header("authorization"),
            Some(&*format!("GenieKey {KEY}"))
        );
        let body = body(&request);
        assert_eq!(
            body["responders"],
            json!([
                {"type": "user", "username": "jane@example.com"},
                {"type": "team", "name": "Ops Team"},
                {"type": "schedule", "name": "on-call"},
                {"type": "escalation", "id": "4c9b6c1e-2a3d-4e5f-8a9b-0c1d2e3f4a5b"},
                {"type": "user", "username": "bob"},
            ])
        );
        assert_eq!(body["tags"], json!(["tocsin", "production", "critical"]));
        assert_eq!(body["entity"], "checkout");
        assert_eq!(body["details"]["team"], "ops");
        let local = channel(json!({"api_base": "http://127.0.0.1:9000"}));
        assert_eq!(
            render(&Opsgenie, &local, &sample_event()).url,
            "http://127.0.0.1:9000/v2/alerts"
        );
    }

    #[test]
    fn accepts_202() {
        let accepted = response(
            202,
            &[],
            r#"{"result":"Request will be processed","took":0.302,"requestId":"43a29c5c-3dbf-4fa4-9c26-f4f71023e120"}"#,
        );
        assert_eq!(Opsgenie.classify(&accepted), Outcome::Delivered);
    }

    #[test]
    fn fails_a_bad_key_or_invalid_alert_with_opsgenies_words() {
        let unauthorized = response(
            401,
            &[],
            r#"{"message":"Key format is not valid!","took":0.001,"requestId":"b7a6"}"#,
        );
        assert_eq!(
            Opsgenie.classify(&unauthorized),
            Outcome::failed("Opsgenie 401: Key format is not valid!")
        );
        let invalid = response(
            422,
            &[],
            r#"{"message":"Request body is not processable. Please check the errors.","errors":{"message":"Message can not be empty."},"took":0.0,"requestId":"c1"}"#,
        );
        assert_eq!(
            Opsgenie.classify(&invalid),
            Outcome::failed(
                "Opsgenie 422: Request body is not processable. Please check the errors. (message: Message can not be empty.)"
            )
        );
    }

    #[test]
    fn retries_when_throttled_or_down() {
        let throttled = response(
            429,
            &[],
            r#"{"message":"You are making too many requests! To avoid errors, we recommend you limit requests.","took":0.0,"requestId":"d2"}"#,
        );
        assert_eq!(
            Opsgenie.classify(&throttled),
            Outcome::Retry {
                reason: "Opsgenie 429: You are making too many requests! To avoid errors, we recommend you limit requests.".into(),
                after: None
            }
        );
        assert_eq!(
            Opsgenie.classify(&response(429, &[("Retry-After", "5")], "")),
            Outcome::Retry {
                reason: "Opsgenie 429".into(),
                after: Some(Duration::from_secs(5))
            }
        );
        assert_eq!(
            Opsgenie.classify(&response(502, &[], "Bad Gateway")),
            Outcome::Retry {
                reason: "Opsgenie 502: Bad Gateway".into(),
                after: None
            }
        );
    }

    #[test]
    fn apprise_url_round_trips_and_masks_the_key() {
        let text = format!(
            "opsgenie://{KEY}/@jane/*on-call/#ops/^escalate?region=eu&priority=emergency&tags=a,b&entity=shop&+team=ops&batch=no"
        );
        let (config, printed) = url_round_trip(&Opsgenie, &text);
        assert_eq!(config.secrets.expose("api_key"), Some(KEY));
        assert_eq!(config.settings["region"], "eu");
        assert_eq!(config.settings["priority"], "P1");
        assert_eq!(
            config.settings["responders"],
            "@jane,*on-call,#ops,^escalate"
        );
        assert_eq!(config.settings["tags"], "a,b");
        assert_eq!(config.settings["details"], json!({"team": "ops"}));
        let (again, _) = url_round_trip(&Opsgenie, &printed);
        assert_eq!(again, config);
        let masked = Opsgenie.to_url(&config, false);
        assert!(!masked.contains(KEY), "{masked}");
        assert!(masked.starts_with("opsgenie://***/?region=eu"), "{masked}");

        let (plain, printed) = url_round_trip(&Opsgenie, &format!("opsgenie://{KEY}"));
        assert_eq!(printed, format!("opsgenie://{KEY}"));
        assert_eq!(plain.settings["region"], "us");
        let (numbered, _) = url_round_trip(&Opsgenie, &format!("opsgenie://{KEY}?priority=4"));
        assert_eq!(numbered.settings["priority"], "P4");
    }

    #[test]
    fn refuses_malformed_urls() {
        let parse = |text: &str| Opsgenie.parse_url(&url::Url::parse(text).expect("a URL"));
        for (text, words) in [
            ("opsgenie:///#ops", "API key"),
            (&*format!("opsgenie://{KEY}?priority=urgent"), "P1"),
            (&*format!("opsgenie://{KEY}?alias=x"), "alias"),
            (&*format!("opsgenie://{KEY}?colour=red"), "`colour`"),
            ("pagerduty://x@y", "not an Opsgenie URL"),
        ] {
            let err = parse(text).expect_err(text);
            assert_eq!(err.field, "url");
            assert!(err.message.contains(words), "{text}: {err}");
        }
    }

    #[test]
    fn names_the_field_of_each_configuration_error() {
        let key = json!({"api_key": KEY});
        let cases = [
            (json!({}), json!({}), "secrets.api_key"),
            (
                json!({}),
                json!({"api_key": "has spaces in it"}),
                "secrets.api_key",
            ),
            (json!({"region": "apac"}), key.clone(), "settings.region"),
            (json!({"priority": "P6"}), key.clone(), "settings.priority"),
            (json!({"priority": 1}), key.clone(), "settings.priority"),
            (
                json!({"responders": "#, @jane"}),
                key.clone(),
                "settings.responders",
            ),
            (json!({"entity": "a\nb"}), key.clone(), "settings.entity"),
            (
                json!({"details": {"": "x"}}),
                key.clone(),
                "settings.details",
            ),
            (
                json!({"api_base": "api.opsgenie.com"}),
                key.clone(),
                "settings.api_base",
            ),
            (json!({"alias": "x"}), key.clone(), "settings.alias"),
            (json!({"api_key": KEY}), json!({}), "settings.api_key"),
        ];
        for (settings, secrets, field) in cases {
            let err =
                configure(&Opsgenie, settings.clone(), secrets).expect_err(&settings.to_string());
            assert_eq!(err.field, field, "{err}");
        }
    }

    #[test]
    fn a_long_event_fits_opsgenies_limits() {
        let config = channel(json!({"tags": "x".repeat(80)}));
        let body = body(&render(&Opsgenie, &config, &longest_event()));
        let chars = |v: &Value| v.as_str().expect("text").chars().count();
        assert_eq!(chars(&body["message"]), MESSAGE_MAX);
        assert_eq!(chars(&body["description"]), DESCRIPTION_MAX);
        assert!(
            body["description"]
                .as_str()
                .expect("text")
                .ends_with(&"x".repeat(900))
        );
        assert!(chars(&body["entity"]) <= ENTITY_MAX);
        assert!(
            body["tags"]
                .as_array()
                .expect("tags")
                .iter()
                .all(|t| chars(t) <= TAG_MAX)
        );
        let details = body["details"].as_object().expect("details");
        let size: usize = details
            .iter()
            .map(|(k, v)| k.chars().count() + chars(v))
            .sum();
        assert!(size <= DETAILS_MAX, "{size}");
        let recovery = event(json!({"type": "backup.ok", "title": "T".repeat(1_024),
            "message": "M".repeat(65_536), "severity": "ok"}));
        let close = super::close(&Message {
            event: &recovery,
            delivery_id: DELIVERY_ID,
            now: NOW,
            identity: &crate::Identity::default(),
            attachments: &[],
        });
        assert!(chars(&close["note"]) <= NOTE_MAX);
    }

    #[test]
    fn keeps_markup_characters_as_plain_text() {
        let body = body(&render(&Opsgenie, &channel(json!({})), &sample_event()));
        assert_eq!(body["message"], "Deploy failed: api <prod>");
        assert_eq!(
            body["description"],
            "Build \"api\" broke at step 3 & stopped.\nSee the log.\n\nhttps://ci.example.com/builds/42"
        );
    }

    #[test]
    fn renders_the_test_notification() {
        let test = Event::test(ulid::Ulid::nil(), testing::NOW);
        let body = body(&render(&Opsgenie, &channel(json!({})), &test));
        assert_eq!(body["message"], "Test Notification");
        assert_eq!(body["description"], "Hi, from Tocsin 👋");
        assert_eq!(body["priority"], "P5");
    }
}
