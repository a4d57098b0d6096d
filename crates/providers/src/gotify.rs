//! The `gotify` kind: a message posted to a self-hosted Gotify server's `/message` endpoint
//! with an application token in the `X-Gotify-Key` header.
//!
//! URL forms: Apprise's `gotify://host[:port][/path]/token` and `gotifys://…` (options as
//! query parameters, e.g. `?priority=high`), and Gotify's own
//! `https://host[/path]/message?token=…`.

use serde_json::{Map, Value, json};
use tocsin_core::FieldError;
use tocsin_core::channel::{ChannelConfig, Secrets};
use tocsin_core::event::{Event, Severity};
use tocsin_core::outbound::{HttpResponse, Outcome};

use crate::classify::{by_status_saying, describe};
use crate::common::{self, int_setting, json_body, shown};
use crate::schema::{DefaultValue, FieldSpec, FieldType, KindSchema};
use crate::{Message, Outbound, Provider};

pub struct Gotify;

const DEFAULT_PRIORITY: i64 = 5;

/// The least priority of a warning and of a critical alert. Gotify's Android app notifies
/// with sound from 4 to 7 and pops up from 8 to 10 [D third-party doc].
const WARNING_PRIORITY: i64 = 7;
const CRITICAL_PRIORITY: i64 = 8;

/// [K] unverified: Gotify documents no length limit. The message is capped so that it fits a
/// MySQL `TEXT` column (65,535 bytes), the smallest store Gotify runs on.
const MAX_MESSAGE_BYTES: usize = 65_535;

pub static SCHEMA: KindSchema = KindSchema {
    kind: "gotify",
    label: "Gotify",
    description: "Push messages through your own Gotify server.",
    url_schemes: &["gotify", "gotifys"],
    fields: &[
        FieldSpec {
            name: "server_url",
            label: "Server URL",
            help: "Your Gotify server, e.g. https://gotify.example.com (with its path if it is served under one).",
            field_type: FieldType::Url,
            secret: false,
            required: true,
            default: None,
        },
        FieldSpec {
            name: "priority",
            label: "Priority",
            help: "Priority of an ordinary message, 0 to 10. Warnings are raised to at least 7 and critical alerts to at least 8.",
            field_type: FieldType::Integer { min: 0, max: 10 },
            secret: false,
            required: false,
            default: Some(DefaultValue::Int(DEFAULT_PRIORITY)),
        },
        FieldSpec {
            name: "decoration",
            label: "Decoration",
            help: "Start each title with an emoji for the severity: 🚨 critical, ⚠️ warning, ℹ️ info, ✅ recovered.",
            field_type: FieldType::Boolean,
            secret: false,
            required: false,
            default: Some(DefaultValue::Bool(false)),
        },
        FieldSpec {
            name: "app_token",
            label: "Application token",
            help: "The token of a Gotify application (Apps → create application).",
            field_type: FieldType::String,
            secret: true,
            required: true,
            default: None,
        },
    ],
};

/// Apprise's names for Gotify priorities.
const PRIORITY_NAMES: &[(&str, i64)] = &[
    ("low", 0),
    ("moderate", 3),
    ("normal", 5),
    ("high", 8),
    ("emergency", 10),
];

/// Apprise options that mean nothing to a Tocsin channel and are skipped when read.
const IGNORED_OPTIONS: &[&str] = &[
    "format", "overflow", "emojis", "verify", "rto", "cto", "tz", "store", "image",
];

fn priority_from_text(text: &str) -> Option<i64> {
    let text = text.trim().to_ascii_lowercase();
    if let Ok(n) = text.parse::<i64>() {
        return (0..=10).contains(&n).then_some(n);
    }
    PRIORITY_NAMES
        .iter()
        .find(|(name, _)| *name == text)
        .map(|(_, n)| *n)
}

/// The priority a message of `severity` gets on a channel whose ordinary priority is `base`.
fn priority_for(base: i64, severity: Severity) -> i64 {
    match severity {
        Severity::Critical => base.max(CRITICAL_PRIORITY),
        Severity::Warning => base.max(WARNING_PRIORITY),
        Severity::Info | Severity::Ok => base,
    }
}

/// The emoji a decorated title starts with.
fn severity_mark(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical => "🚨",
        Severity::Warning => "⚠️",
        Severity::Info => "ℹ️",
        Severity::Ok => "✅",
    }
}

fn check_token(token: &str) -> Result<(), FieldError> {
    if token.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(FieldError::new(
            "secrets.app_token",
            "must be the application token shown in Gotify's Apps page, without spaces",
        ));
    }
    Ok(())
}

/// The message text: the event's message, its source labels, and its link.
fn message_text(event: &Event) -> String {
    let mut parts = Vec::new();
    if !event.message.trim().is_empty() {
        parts.push(event.message.clone());
    }
    if !event.source.is_empty() {
        parts.push(common::label_lines(event));
    }
    if let Some(link) = event.link() {
        parts.push(link.to_owned());
    }
    if parts.is_empty() {
        // Gotify requires a message; a title-only event repeats its title.
        return common::title(event).to_owned();
    }
    parts.join("\n\n")
}

impl Provider for Gotify {
    fn schema(&self) -> &'static KindSchema {
        &SCHEMA
    }

    fn prepare(&self, config: &mut ChannelConfig) -> Result<(), FieldError> {
        let server = common::required_setting(config, "server_url")?;
        common::check_server_url(
            server,
            "put the application token in secrets.app_token",
            "https://gotify.example.com",
        )?;
        let trimmed = server.trim_end_matches('/').to_owned();
        config
            .settings
            .insert("server_url".into(), Value::String(trimmed));
        check_token(common::required_secret(config, "app_token")?)
    }

    fn parse_url(&self, url: &url::Url) -> Result<ChannelConfig, FieldError> {
        let native = matches!(url.scheme(), "http" | "https");
        let scheme = match url.scheme() {
            "gotify" | "http" => "http",
            "gotifys" | "https" => "https",
            other => {
                return Err(FieldError::new(
                    "url",
                    format!("`{other}://` is not a Gotify URL; use gotifys://host/token"),
                ));
            }
        };
        if !url.username().is_empty() || url.password().is_some() {
            return Err(FieldError::new(
                "url",
                "Gotify takes no user name or password; give the application token as the last path segment",
            ));
        }
        let mut segments = common::path_segments(url);
        let mut settings = Map::new();
        let mut secrets = Secrets::new();
        let mut token = None;
        if native {
            if segments.last().map(String::as_str) != Some("message") {
                return Err(FieldError::new(
                    "url",
                    "must be Gotify's message URL, like https://gotify.example.com/message?token=…",
                ));
            }
            segments.pop();
        } else {
            token = segments.pop();
        }
        for (key, value) in common::query_pairs(url) {
            match key.as_str() {
                "priority" => {
                    let n = priority_from_text(&value).ok_or_else(|| {
                        FieldError::new(
                            "url",
                            format!(
                                "priority `{value}` is not 0 to 10 nor one of low, moderate, normal, high, emergency"
                            ),
                        )
                    })?;
                    settings.insert("priority".into(), Value::from(n));
                }
                "decoration" => {
                    let on = common::yes_no(&value).ok_or_else(|| {
                        FieldError::new(
                            "url",
                            format!("decoration `{value}` is neither yes nor no"),
                        )
                    })?;
                    settings.insert("decoration".into(), Value::Bool(on));
                }
                "token" if native => token = Some(value),
                k if IGNORED_OPTIONS.contains(&k) => {}
                _ => {
                    return Err(FieldError::new(
                        "url",
                        format!("has an option Gotify does not know: `{key}`"),
                    ));
                }
            }
        }
        let token = token.filter(|t| !t.is_empty()).ok_or_else(|| {
            FieldError::new(
                "url",
                if native {
                    "needs the application token as ?token=…"
                } else {
                    "needs the application token as its last path segment, e.g. gotifys://gotify.example.com/AbCdEf"
                },
            )
        })?;
        settings.insert(
            "server_url".into(),
            Value::String(common::server_url(scheme, url, &segments, "Gotify")?),
        );
        secrets.insert("app_token", token);
        Ok(ChannelConfig { settings, secrets })
    }

    fn accepts_native_url(&self, url: &url::Url) -> bool {
        // Gotify's documented form: `https://host/message?token=…` and nothing else.
        let segments = common::path_segments(url);
        let pairs = common::query_pairs(url);
        segments.last().map(String::as_str) == Some("message")
            && !pairs.is_empty()
            && pairs.iter().any(|(k, _)| k == "token")
            && pairs.iter().all(|(k, _)| k == "token" || k == "priority")
    }

    fn to_url(&self, config: &ChannelConfig, reveal: bool) -> String {
        let Some(Ok(server)) = common::setting(config, "server_url").map(url::Url::parse) else {
            return String::new();
        };
        let scheme = if server.scheme() == "http" {
            "gotify"
        } else {
            "gotifys"
        };
        let host = server.host_str().unwrap_or_default();
        let port = server.port().map(|p| format!(":{p}")).unwrap_or_default();
        let path = server.path().trim_end_matches('/');
        let token = shown(
            config.secrets.expose("app_token").unwrap_or_default(),
            reveal,
        );
        let priority = int_setting(config, "priority").unwrap_or(DEFAULT_PRIORITY);
        let decoration = if common::bool_setting(config, "decoration") {
            "&decoration=yes"
        } else {
            ""
        };
        format!("{scheme}://{host}{port}{path}/{token}?priority={priority}{decoration}")
    }

    fn render(
        &self,
        config: &ChannelConfig,
        message: &Message<'_>,
    ) -> Result<Outbound, FieldError> {
        let event = message.event;
        let server = common::required_setting(config, "server_url")?.trim_end_matches('/');
        let token = common::required_secret(config, "app_token")?;
        let base = int_setting(config, "priority").unwrap_or(DEFAULT_PRIORITY);
        let mut extras = json!({"client::display": {"contentType": "text/plain"}});
        if let Some(link) = event.link() {
            extras["client::notification"] = json!({"click": {"url": link}});
        }
        let title = if common::bool_setting(config, "decoration") {
            format!("{} {}", severity_mark(event.severity), common::title(event))
        } else {
            common::title(event).to_owned()
        };
        let body = json!({
            "title": title,
            "message": common::truncate_bytes(&message_text(event), MAX_MESSAGE_BYTES),
            "priority": priority_for(base, event.severity),
            "extras": extras,
        });
        Ok(Outbound::Http(common::json_request(
            "POST",
            format!("{server}/message"),
            vec![("X-Gotify-Key".into(), token.to_owned())],
            &body,
        )))
    }

    fn classify(&self, response: &HttpResponse) -> Outcome {
        let status = response.status;
        // Gotify answers errors with `{"error": "Unauthorized", "errorCode": 401,
        // "errorDescription": "…"}`.
        by_status_saying(response, || match json_body(response) {
            Some(body) if body.get("error").is_some() => {
                let text = |key: &str| body.get(key).and_then(Value::as_str).unwrap_or("");
                match (text("error"), text("errorDescription")) {
                    (error, "") => format!("Gotify {status}: {error}"),
                    ("", description) => format!("Gotify {status}: {description}"),
                    (error, description) => format!("Gotify {status} {error}: {description}"),
                }
            }
            _ => format!("Gotify {}", describe(response)),
        })
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use serde_json::json;

    use super::*;
    use crate::testing::{self, configure, render, response, sample_event, url_round_trip};

    const TOKEN: &str = "AKm3xR9.tZ2QpLw";

    fn channel() -> ChannelConfig {
        configure(
            &Gotify,
            json!({"server_url": "https://gotify.example.com"}),
            json!({"app_token": TOKEN}),
        )
        .unwrap()
    }

    /// An event longer than any service accepts, built directly because the shared fixture
    /// is refused by the event's own length checks.
    fn long_event() -> Event {
        let mut event = sample_event();
        event.title = "T".repeat(2_000);
        event.message = "M".repeat(70_000);
        event
    }

    #[test]
    fn renders_the_sample_event() {
        let request = render(&Gotify, &channel(), &sample_event());
        insta::assert_json_snapshot!("gotify_sample", testing::snapshot(&request));
    }

    #[test]
    fn renders_a_recovery_at_the_channel_priority() {
        let request = render(&Gotify, &channel(), &testing::recovery_event());
        insta::assert_json_snapshot!("gotify_recovery", testing::snapshot(&request));
    }

    #[test]
    fn raises_warnings_and_critical_alerts_above_the_channel_priority() {
        assert_eq!(priority_for(5, Severity::Info), 5);
        assert_eq!(priority_for(5, Severity::Ok), 5);
        assert_eq!(priority_for(5, Severity::Warning), 7);
        assert_eq!(priority_for(5, Severity::Critical), 8);
        assert_eq!(priority_for(0, Severity::Info), 0);
        assert_eq!(priority_for(10, Severity::Critical), 10);
        assert_eq!(priority_for(9, Severity::Warning), 9);
    }

    #[test]
    fn posts_under_the_servers_path_prefix() {
        let config = configure(
            &Gotify,
            json!({"server_url": "http://10.0.0.5:8080/gotify/", "priority": 2}),
            json!({"app_token": TOKEN}),
        )
        .unwrap();
        let request = render(&Gotify, &config, &testing::recovery_event());
        assert_eq!(request.url, "http://10.0.0.5:8080/gotify/message");
        let body: Value = serde_json::from_slice(&request.body).unwrap();
        assert_eq!(body["priority"], 2);
        assert!(body["extras"].get("client::notification").is_none());
    }

    #[test]
    fn sends_text_as_plain_text_without_escaping() {
        let request = render(&Gotify, &channel(), &sample_event());
        let body: Value = serde_json::from_slice(&request.body).unwrap();
        assert_eq!(body["title"], "Deploy failed: api <prod>");
        assert!(
            body["message"]
                .as_str()
                .unwrap()
                .starts_with("Build \"api\" broke at step 3 & stopped.\nSee the log.")
        );
        assert_eq!(
            body["extras"]["client::display"]["contentType"],
            "text/plain"
        );
    }

    #[test]
    fn decoration_marks_the_title_with_the_severity() {
        let config = configure(
            &Gotify,
            json!({"server_url": "https://gotify.example.com", "decoration": true}),
            json!({"app_token": TOKEN}),
        )
        .unwrap();
        let body: Value =
            serde_json::from_slice(&render(&Gotify, &config, &sample_event()).body).unwrap();
        assert_eq!(body["title"], "🚨 Deploy failed: api <prod>");
        let body: Value =
            serde_json::from_slice(&render(&Gotify, &config, &testing::recovery_event()).body)
                .unwrap();
        assert_eq!(body["title"], "✅ api is back");
    }

    #[test]
    fn caps_a_long_message() {
        let request = render(&Gotify, &channel(), &long_event());
        let body: Value = serde_json::from_slice(&request.body).unwrap();
        let text = body["message"].as_str().unwrap();
        assert!(text.len() <= MAX_MESSAGE_BYTES);
        assert!(text.ends_with('…'));
    }

    #[test]
    fn delivers_on_the_stored_message() {
        let ok = response(
            200,
            &[("content-type", "application/json")],
            r#"{"id":25,"appid":5,"message":"Backup done","title":"Backup","priority":5,"date":"2026-11-23T10:00:05Z"}"#,
        );
        assert_eq!(Gotify.classify(&ok), Outcome::Delivered);
    }

    #[test]
    fn fails_on_a_bad_token_with_gotifys_words() {
        let unauthorized = response(
            401,
            &[],
            r#"{"error":"Unauthorized","errorCode":401,"errorDescription":"you need to provide a valid access token or user credentials to access this api"}"#,
        );
        assert_eq!(
            Gotify.classify(&unauthorized),
            Outcome::failed(
                "Gotify 401 Unauthorized: you need to provide a valid access token or user credentials to access this api"
            )
        );
        let bad = response(
            400,
            &[],
            r#"{"error":"Bad Request","errorCode":400,"errorDescription":"Field 'message' is required"}"#,
        );
        assert_eq!(
            Gotify.classify(&bad),
            Outcome::failed("Gotify 400 Bad Request: Field 'message' is required")
        );
    }

    #[test]
    fn retries_server_errors_and_rate_limits() {
        assert_eq!(
            Gotify.classify(&response(502, &[], "Bad Gateway")),
            Outcome::Retry {
                reason: "Gotify HTTP 502: Bad Gateway".into(),
                after: None
            }
        );
        assert_eq!(
            Gotify.classify(&response(429, &[("Retry-After", "20")], "")),
            Outcome::Retry {
                reason: "Gotify HTTP 429".into(),
                after: Some(Duration::from_secs(20))
            }
        );
    }

    #[test]
    fn round_trips_the_apprise_url() {
        let (config, printed) = url_round_trip(
            &Gotify,
            &format!("gotifys://gotify.example.com:8443/sub/{TOKEN}?priority=high&decoration=yes"),
        );
        assert_eq!(
            config.str_setting("server_url"),
            Some("https://gotify.example.com:8443/sub")
        );
        assert_eq!(int_setting(&config, "priority"), Some(8));
        assert_eq!(config.secrets.expose("app_token"), Some(TOKEN));
        assert_eq!(
            printed,
            format!("gotifys://gotify.example.com:8443/sub/{TOKEN}?priority=8&decoration=yes")
        );
        let (again, _) = url_round_trip(&Gotify, &printed);
        assert_eq!(again, config);
        let masked = Gotify.to_url(&config, false);
        assert_eq!(
            masked,
            "gotifys://gotify.example.com:8443/sub/***?priority=8&decoration=yes"
        );
        assert!(!common::decode(&masked).contains(TOKEN));
    }

    #[test]
    fn reads_plain_http_and_default_priority() {
        let (config, printed) = url_round_trip(&Gotify, "gotify://192.168.1.4/Atoken");
        assert_eq!(config.str_setting("server_url"), Some("http://192.168.1.4"));
        assert_eq!(int_setting(&config, "priority"), Some(5));
        assert_eq!(printed, "gotify://192.168.1.4/Atoken?priority=5");
    }

    #[test]
    fn round_trips_gotifys_own_message_url() {
        let native =
            url::Url::parse(&format!("https://push.example.de/message?token={TOKEN}")).unwrap();
        assert!(Gotify.accepts_native_url(&native));
        let (config, printed) = url_round_trip(&Gotify, native.as_str());
        assert_eq!(
            config.str_setting("server_url"),
            Some("https://push.example.de")
        );
        assert_eq!(config.secrets.expose("app_token"), Some(TOKEN));
        let (again, _) = url_round_trip(&Gotify, &printed);
        assert_eq!(again, config);
        let other = url::Url::parse("https://hooks.example.com/message").unwrap();
        assert!(!Gotify.accepts_native_url(&other));
        let other = url::Url::parse("https://example.com/in?token=x").unwrap();
        assert!(!Gotify.accepts_native_url(&other));
    }

    #[test]
    fn refuses_malformed_urls() {
        let cases = [
            ("gotifys://gotify.example.com", "last path segment"),
            (
                "gotifys://gotify.example.com/tok?priority=11",
                "priority `11`",
            ),
            (
                "gotifys://gotify.example.com/tok?priority=loud",
                "priority `loud`",
            ),
            ("gotifys://gotify.example.com/tok?colour=red", "`colour`"),
            ("gotifys://user:pw@gotify.example.com/tok", "user name"),
            ("https://gotify.example.com/message", "?token="),
            ("https://gotify.example.com/hooks?token=x", "message URL"),
        ];
        for (text, words) in cases {
            let url = url::Url::parse(text).unwrap();
            let err = Gotify.parse_url(&url).expect_err(text);
            assert_eq!(err.field, "url", "{text}");
            assert!(err.message.contains(words), "{text}: {err}");
        }
    }

    #[test]
    fn names_the_wrong_field() {
        let cases = [
            (
                json!({}),
                json!({"app_token": TOKEN}),
                "settings.server_url",
            ),
            (
                json!({"server_url": "https://g.example.com"}),
                json!({}),
                "secrets.app_token",
            ),
            (
                json!({"server_url": "ftp://g.example.com"}),
                json!({"app_token": TOKEN}),
                "settings.server_url",
            ),
            (
                json!({"server_url": "https://u:p@g.example.com"}),
                json!({"app_token": TOKEN}),
                "settings.server_url",
            ),
            (
                json!({"server_url": "https://g.example.com/?token=x"}),
                json!({"app_token": TOKEN}),
                "settings.server_url",
            ),
            (
                json!({"server_url": "https://g.example.com", "priority": 11}),
                json!({"app_token": TOKEN}),
                "settings.priority",
            ),
            (
                json!({"server_url": "https://g.example.com", "priority": -1}),
                json!({"app_token": TOKEN}),
                "settings.priority",
            ),
            (
                json!({"server_url": "https://g.example.com", "decoration": "yes"}),
                json!({"app_token": TOKEN}),
                "settings.decoration",
            ),
            (
                json!({"server_url": "https://g.example.com", "markdown": true}),
                json!({"app_token": TOKEN}),
                "settings.markdown",
            ),
            (
                json!({"server_url": "https://g.example.com"}),
                json!({"app_token": "has space"}),
                "secrets.app_token",
            ),
            (
                json!({"server_url": "https://g.example.com", "app_token": TOKEN}),
                json!({}),
                "settings.app_token",
            ),
        ];
        for (settings, secrets, field) in cases {
            let err = configure(&Gotify, settings.clone(), secrets).expect_err(field);
            assert_eq!(err.field, field, "{settings}: {err}");
        }
    }
}
