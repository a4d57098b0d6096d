//! The `ntfy` kind: a message published to a topic on ntfy.sh or a self-hosted ntfy server.
//!
//! Messages go out through ntfy's JSON publish (`POST` to the server root with the topic in
//! the body) rather than the header publish to `/{topic}`: titles, tags and links then travel
//! as UTF-8 JSON, so no header has to be RFC 2047-encoded and a title with `é` or an emoji
//! arrives exactly as written. Only the `Authorization` header is sent, and it is ASCII.
//!
//! URL forms: Apprise's `ntfy://topic`, `ntfys://[user:pass@|tk_token@]host[:port]/topic`
//! (options as query parameters, e.g. `?priority=high&xtags=backup`), and ntfy's own topic
//! URL `https://ntfy.sh/topic` (or `https://host/path/topic` for a server under a path).

use std::time::Duration;

use serde_json::{Map, Value, json};
use tocsin_core::FieldError;
use tocsin_core::channel::{ChannelConfig, Secrets};
use tocsin_core::event::{Event, Severity};
use tocsin_core::outbound::{HttpResponse, Outcome};

use crate::classify::{describe, retry_after};
use crate::common::{self, Counted, encode_segment, int_setting, json_body, setting, shown};
use crate::schema::{DefaultValue, FieldSpec, FieldType, KindSchema};
use crate::{Message, Outbound, Provider};

pub struct Ntfy;

const DEFAULT_SERVER: &str = "https://ntfy.sh";
const CLOUD_HOST: &str = "ntfy.sh";
const DEFAULT_PRIORITY: i64 = 3;
/// ntfy's "high" and "max"/"urgent" priorities.
const WARNING_PRIORITY: i64 = 4;
const CRITICAL_PRIORITY: i64 = 5;

/// ntfy turns a longer message into an attachment.
const MAX_MESSAGE_BYTES: usize = 4_096;
/// [K] unverified: ntfy documents no title limit; kept short so that the JSON body stays
/// well under the size ntfy reads for a JSON publish.
const MAX_TITLE_CHARS: usize = 250;

pub static SCHEMA: KindSchema = KindSchema {
    kind: "ntfy",
    label: "ntfy",
    description: "Publish to a topic on ntfy.sh or your own ntfy server.",
    url_schemes: &["ntfy", "ntfys"],
    fields: &[
        FieldSpec {
            name: "server_url",
            label: "Server URL",
            help: "The ntfy server, e.g. https://ntfy.example.com; ntfy.sh when left empty.",
            field_type: FieldType::Url,
            secret: false,
            required: false,
            default: Some(DefaultValue::Str(DEFAULT_SERVER)),
        },
        FieldSpec {
            name: "topic",
            label: "Topic",
            help: "The topic to publish to: 1 to 64 letters, digits, `-` or `_`. Without access control, anyone who knows it can read it.",
            field_type: FieldType::String,
            secret: false,
            required: true,
            default: None,
        },
        FieldSpec {
            name: "priority",
            label: "Priority",
            help: "Priority of an ordinary message, 1 (min) to 5 (max). Warnings are raised to at least 4 (high) and critical alerts to 5.",
            field_type: FieldType::Integer { min: 1, max: 5 },
            secret: false,
            required: false,
            default: Some(DefaultValue::Int(DEFAULT_PRIORITY)),
        },
        FieldSpec {
            name: "tags",
            label: "Tags",
            help: "Extra tags, comma-separated, e.g. `backup,eu-1`; emoji short codes such as `warning` show as icons.",
            field_type: FieldType::String,
            secret: false,
            required: false,
            default: None,
        },
        FieldSpec {
            name: "click",
            label: "Click URL",
            help: "Where tapping the notification leads; the event's own link when left empty.",
            field_type: FieldType::Url,
            secret: false,
            required: false,
            default: None,
        },
        FieldSpec {
            name: "icon_url",
            label: "Icon URL",
            help: "A JPEG or PNG shown beside the notification; Tocsin's icon when left empty.",
            field_type: FieldType::Url,
            secret: false,
            required: false,
            default: None,
        },
        FieldSpec {
            name: "username",
            label: "User name",
            help: "For a server that asks for a user name and password (with secrets.password); leave empty when using an access token.",
            field_type: FieldType::String,
            secret: false,
            required: false,
            default: None,
        },
        FieldSpec {
            name: "access_token",
            label: "Access token",
            help: "A token (tk_…) from the ntfy account page, for protected topics.",
            field_type: FieldType::String,
            secret: true,
            required: false,
            default: None,
        },
        FieldSpec {
            name: "password",
            label: "Password",
            help: "The password of settings.username.",
            field_type: FieldType::String,
            secret: true,
            required: false,
            default: None,
        },
    ],
};

/// Apprise options that mean nothing to a Tocsin channel and are skipped when read.
const IGNORED_OPTIONS: &[&str] = &[
    "format", "overflow", "emojis", "verify", "rto", "cto", "tz", "store", "image", "mode",
];

/// Priority names ntfy and Apprise accept.
fn priority_from_text(text: &str) -> Option<i64> {
    let n = match text.trim().to_ascii_lowercase().as_str() {
        "1" | "min" => 1,
        "2" | "low" | "moderate" => 2,
        "3" | "default" | "normal" => 3,
        "4" | "high" => 4,
        "5" | "max" | "urgent" | "emergency" => 5,
        _ => return None,
    };
    Some(n)
}

fn priority_for(base: i64, severity: Severity) -> i64 {
    match severity {
        Severity::Critical => base.max(CRITICAL_PRIORITY),
        Severity::Warning => base.max(WARNING_PRIORITY),
        Severity::Info | Severity::Ok => base,
    }
}

/// The emoji short code ntfy shows for a severity.
fn severity_tag(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical => "rotating_light",
        Severity::Warning => "warning",
        Severity::Info => "information_source",
        Severity::Ok => "white_check_mark",
    }
}

fn valid_topic(topic: &str) -> bool {
    (1..=64).contains(&topic.len())
        && topic
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

fn check_topic(topic: &str, field: &str) -> Result<(), FieldError> {
    if valid_topic(topic) {
        Ok(())
    } else {
        Err(FieldError::new(
            field,
            format!(
                "`{topic}` is not an ntfy topic: use 1 to 64 letters, digits, `-` or `_`, e.g. tocsin-alerts"
            ),
        ))
    }
}

fn check_credentials(config: &ChannelConfig) -> Result<(), FieldError> {
    let token = config.secrets.expose("access_token");
    let password = config.secrets.expose("password");
    let username = setting(config, "username");
    if let Some(token) = token {
        if username.is_some() || password.is_some() {
            return Err(FieldError::new(
                "secrets.access_token",
                "use either an access token or a user name and password, not both",
            ));
        }
        if token.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(FieldError::new(
                "secrets.access_token",
                "must be an ntfy access token like tk_AgQdq7mVBoFD37zQVN29RhuMzNIz2, without spaces",
            ));
        }
    }
    match (username, password) {
        (Some(user), Some(_)) => {
            if user.contains(':') || user.chars().any(char::is_control) {
                return Err(FieldError::new(
                    "settings.username",
                    "must not contain `:` or control characters",
                ));
            }
            Ok(())
        }
        (Some(_), None) => Err(FieldError::new(
            "secrets.password",
            "is required with settings.username",
        )),
        (None, Some(_)) => Err(FieldError::new(
            "settings.username",
            "is required with secrets.password",
        )),
        (None, None) => Ok(()),
    }
}

fn tags(config: &ChannelConfig) -> Vec<String> {
    setting(config, "tags")
        .unwrap_or_default()
        .split(',')
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The message: the event's text with its source labels below, at most `max` bytes.
fn message_text(event: &Event, max: usize) -> String {
    if event.message.trim().is_empty() && event.source.is_empty() {
        // ntfy requires a message; a title-only event repeats its title.
        return common::truncate_bytes(common::title(event), max);
    }
    common::message_and_labels(event, max, Counted::Bytes)
}

fn url_error(message: impl Into<String>) -> FieldError {
    FieldError::new("url", message)
}

impl Provider for Ntfy {
    fn schema(&self) -> &'static KindSchema {
        &SCHEMA
    }

    fn prepare(&self, config: &mut ChannelConfig) -> Result<(), FieldError> {
        let server = setting(config, "server_url")
            .unwrap_or(DEFAULT_SERVER)
            .to_owned();
        common::check_server_url(
            &server,
            "use secrets.access_token, or settings.username with secrets.password",
            "https://ntfy.example.com",
        )?;
        config.settings.insert(
            "server_url".into(),
            Value::String(server.trim_end_matches('/').to_owned()),
        );
        check_topic(common::required_setting(config, "topic")?, "settings.topic")?;
        check_credentials(config)
    }

    fn parse_url(&self, url: &url::Url) -> Result<ChannelConfig, FieldError> {
        let native = matches!(url.scheme(), "http" | "https");
        let scheme = match url.scheme() {
            "ntfy" | "http" => "http",
            "ntfys" | "https" => "https",
            other => {
                return Err(url_error(format!(
                    "`{other}://` is not an ntfy URL; use ntfys://host/topic"
                )));
            }
        };
        let host = url.host_str().unwrap_or_default().to_owned();
        let mut segments = common::path_segments(url);
        let mut settings = Map::new();
        let mut secrets = Secrets::new();
        let (server, topic) = if native {
            let topic = segments.pop().ok_or_else(|| {
                url_error("must name a topic, like https://ntfy.sh/tocsin-alerts")
            })?;
            (common::server_url(scheme, url, &segments, "ntfy")?, topic)
        } else {
            match segments.len() {
                // `ntfy://topic`: the topic on ntfy.sh.
                0 => (DEFAULT_SERVER.to_owned(), common::decode(&host)),
                // ntfy.sh only answers on https.
                1 if host.eq_ignore_ascii_case(CLOUD_HOST) => {
                    (DEFAULT_SERVER.to_owned(), segments.remove(0))
                }
                1 => (
                    common::server_url(scheme, url, &[], "ntfy")?,
                    segments.remove(0),
                ),
                _ => {
                    return Err(url_error(
                        "names more than one topic; a Tocsin channel publishes to one topic, so make one channel per topic",
                    ));
                }
            }
        };
        check_topic(&topic, "url")?;
        settings.insert("server_url".into(), Value::String(server));
        settings.insert("topic".into(), Value::String(topic));

        let mut token_auth = false;
        let mut token = None;
        for (key, value) in common::query_pairs(url) {
            match key.as_str() {
                "priority" => {
                    let n = priority_from_text(&value).ok_or_else(|| {
                        url_error(format!(
                            "priority `{value}` is not 1 to 5 nor one of min, low, default, high, max"
                        ))
                    })?;
                    settings.insert("priority".into(), Value::from(n));
                }
                "xtags" | "tags" | "tag" => {
                    settings.insert("tags".into(), Value::String(value));
                }
                "click" => {
                    settings.insert("click".into(), Value::String(value));
                }
                "avatar_url" | "icon" => {
                    settings.insert("icon_url".into(), Value::String(value));
                }
                "token" => token = Some(value),
                "auth" => match value.to_ascii_lowercase().as_str() {
                    "token" => token_auth = true,
                    "basic" => {}
                    _ => {
                        return Err(url_error(format!(
                            "auth `{value}` is neither `token` nor `basic`"
                        )));
                    }
                },
                k if IGNORED_OPTIONS.contains(&k) => {}
                _ => {
                    return Err(url_error(format!(
                        "has an option Tocsin's ntfy channel does not support: `{key}`"
                    )));
                }
            }
        }
        let user = common::decode(url.username());
        let password = url.password().map(common::decode);
        match (user.is_empty(), password) {
            (true, _) => {}
            (false, None) if token_auth || user.starts_with("tk_") => token = Some(user),
            (false, Some(pw)) if token_auth => token = Some(pw),
            (false, password) => {
                settings.insert("username".into(), Value::String(user));
                if let Some(pw) = password.filter(|p| !p.is_empty()) {
                    secrets.insert("password", pw);
                }
            }
        }
        if let Some(token) = token.filter(|t| !t.is_empty()) {
            secrets.insert("access_token", token);
        }
        Ok(ChannelConfig { settings, secrets })
    }

    fn accepts_native_url(&self, url: &url::Url) -> bool {
        // Only ntfy.sh is recognisable; a self-hosted server looks like any other site.
        url.scheme() == "https"
            && url
                .host_str()
                .is_some_and(|h| h.eq_ignore_ascii_case(CLOUD_HOST))
            && matches!(common::path_segments(url).as_slice(), [topic] if valid_topic(topic))
    }

    fn to_url(&self, config: &ChannelConfig, reveal: bool) -> String {
        let Ok(server) = url::Url::parse(setting(config, "server_url").unwrap_or(DEFAULT_SERVER))
        else {
            return String::new();
        };
        let path = server.path().trim_end_matches('/');
        // A server under a path has no Apprise form; ntfy's own topic URL carries it.
        let scheme = match (path.is_empty(), server.scheme()) {
            (false, scheme) => scheme,
            (true, "http") => "ntfy",
            (true, _) => "ntfys",
        };
        let mut query = vec![(
            "priority".to_owned(),
            int_setting(config, "priority")
                .unwrap_or(DEFAULT_PRIORITY)
                .to_string(),
        )];
        let mut userinfo = String::new();
        if let Some(token) = config.secrets.expose("access_token") {
            userinfo = format!("{}@", shown(token, reveal));
            if !reveal || !token.starts_with("tk_") {
                query.push(("auth".into(), "token".into()));
            }
        } else if let Some(user) = setting(config, "username") {
            let password = config.secrets.expose("password").unwrap_or_default();
            userinfo = format!("{}:{}@", encode_segment(user), shown(password, reveal));
        }
        for (name, key) in [
            ("tags", "xtags"),
            ("click", "click"),
            ("icon_url", "avatar_url"),
        ] {
            if let Some(value) = setting(config, name) {
                query.push((key.to_owned(), value.to_owned()));
            }
        }
        let host = server.host_str().unwrap_or_default();
        let port = server.port().map(|p| format!(":{p}")).unwrap_or_default();
        let topic = encode_segment(setting(config, "topic").unwrap_or_default());
        format!(
            "{scheme}://{userinfo}{host}{port}{path}/{topic}?{}",
            common::query_string(&query)
        )
    }

    fn render(
        &self,
        config: &ChannelConfig,
        message: &Message<'_>,
    ) -> Result<Outbound, FieldError> {
        let event = message.event;
        let server = setting(config, "server_url")
            .unwrap_or(DEFAULT_SERVER)
            .trim_end_matches('/');
        let topic = common::required_setting(config, "topic")?;
        let base = int_setting(config, "priority").unwrap_or(DEFAULT_PRIORITY);
        let mut all_tags = vec![severity_tag(event.severity).to_owned()];
        all_tags.extend(tags(config));
        let mut body = json!({
            "topic": topic,
            "title": common::truncate(common::title(event), MAX_TITLE_CHARS),
            "message": message_text(event, MAX_MESSAGE_BYTES),
            "priority": priority_for(base, event.severity),
            "tags": all_tags,
        });
        if let Some(link) = setting(config, "click").or(event.link()) {
            body["click"] = json!(link);
            body["actions"] = json!([{"action": "view", "label": "Open link", "url": link}]);
        }
        if let Some(icon) = setting(config, "icon_url").or(message.identity.icon_url.as_deref()) {
            body["icon"] = json!(icon);
        }
        let mut headers = Vec::new();
        if let Some(token) = config.secrets.expose("access_token") {
            headers.push(("Authorization".to_owned(), format!("Bearer {token}")));
        } else if let (Some(user), Some(password)) = (
            setting(config, "username"),
            config.secrets.expose("password"),
        ) {
            headers.push((
                "Authorization".to_owned(),
                common::basic_auth(user, password),
            ));
        }
        Ok(Outbound::Http(common::json_request(
            "POST",
            format!("{server}/"),
            headers,
            &body,
        )))
    }

    fn classify(&self, response: &HttpResponse) -> Outcome {
        let status = response.status;
        if (200..300).contains(&status) {
            return Outcome::Delivered;
        }
        // ntfy answers errors with `{"code": 42901, "http": 429, "error": "…", "link": "…"}`.
        let body = json_body(response);
        let code = body
            .as_ref()
            .and_then(|b| b.get("code"))
            .and_then(Value::as_i64);
        let error = body
            .as_ref()
            .and_then(|b| b.get("error"))
            .and_then(Value::as_str);
        let reason = match (error, code) {
            (Some(error), Some(code)) => format!("ntfy {status}: {error} (code {code})"),
            (Some(error), None) => format!("ntfy {status}: {error}"),
            _ => format!("ntfy {}", describe(response)),
        };
        match status {
            429 => {
                // 42901: the visitor's request bucket is empty; it refills one request every
                // 5 seconds. 42908: the daily message quota is used up; waiting an hour is
                // a guess at when trying again makes sense [K].
                let floor = match code {
                    Some(42908) => Duration::from_secs(3600),
                    _ => Duration::from_secs(5),
                };
                Outcome::Retry {
                    reason,
                    after: Some(retry_after(response).map_or(floor, |d| d.max(floor))),
                }
            }
            408 | 500.. => Outcome::Retry {
                reason,
                after: retry_after(response),
            },
            _ => Outcome::Failed { reason },
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::Identity;
    use crate::testing::{
        self, configure, render, render_as, response, sample_event, url_round_trip,
    };

    const TOKEN: &str = "tk_AgQdq7mVBoFD37zQVN29RhuMzNIz2";

    fn channel() -> ChannelConfig {
        configure(
            &Ntfy,
            json!({"topic": "tocsin-alerts"}),
            json!({"access_token": TOKEN}),
        )
        .unwrap()
    }

    fn body(request: &tocsin_core::outbound::HttpRequest) -> Value {
        serde_json::from_slice(&request.body).unwrap()
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
    fn renders_the_sample_event_as_a_json_publish() {
        let identity = Identity {
            name: "Tocsin".into(),
            icon_url: Some("https://tocsin.example.com/static/icon.png".into()),
        };
        let request = render_as(&Ntfy, &channel(), &sample_event(), &identity);
        insta::assert_json_snapshot!("ntfy_sample", testing::snapshot(&request));
    }

    #[test]
    fn renders_a_recovery_with_basic_auth_on_a_self_hosted_server() {
        let config = configure(
            &Ntfy,
            json!({"server_url": "http://ntfy.internal:8080/", "topic": "ops", "priority": 2,
                "tags": "api, prod", "username": "tocsin"}),
            json!({"password": "s3cret"}),
        )
        .unwrap();
        let request = render(&Ntfy, &config, &testing::recovery_event());
        insta::assert_json_snapshot!("ntfy_recovery", testing::snapshot(&request));
    }

    #[test]
    fn raises_warnings_and_critical_alerts_above_the_channel_priority() {
        assert_eq!(priority_for(3, Severity::Info), 3);
        assert_eq!(priority_for(3, Severity::Ok), 3);
        assert_eq!(priority_for(3, Severity::Warning), 4);
        assert_eq!(priority_for(1, Severity::Critical), 5);
        assert_eq!(priority_for(5, Severity::Info), 5);
    }

    #[test]
    fn channel_settings_override_the_link_and_icon() {
        let config = configure(
            &Ntfy,
            json!({"topic": "t", "click": "https://status.example.com/",
                "icon_url": "https://example.com/bell.png"}),
            json!({}),
        )
        .unwrap();
        let identity = Identity {
            name: "Tocsin".into(),
            icon_url: Some("https://tocsin.example.com/static/icon.png".into()),
        };
        let request = render_as(&Ntfy, &config, &sample_event(), &identity);
        let body = body(&request);
        assert_eq!(body["click"], "https://status.example.com/");
        assert_eq!(body["icon"], "https://example.com/bell.png");
        assert_eq!(request.url, "https://ntfy.sh/");
        assert!(request.header("authorization").is_none());
    }

    #[test]
    fn sends_text_in_json_so_no_header_needs_encoding() {
        let mut event = sample_event();
        event.title = "Déploiement échoué 🚨 <prod>".into();
        let request = render(&Ntfy, &channel(), &event);
        for (name, value) in &request.headers {
            assert!(value.is_ascii(), "{name}: {value}");
        }
        let body = body(&request);
        assert_eq!(body["title"], "Déploiement échoué 🚨 <prod>");
        assert!(
            body["message"]
                .as_str()
                .unwrap()
                .starts_with("Build \"api\" broke at step 3 & stopped.")
        );
    }

    #[test]
    fn keeps_a_long_event_within_ntfys_limits() {
        let request = render(&Ntfy, &channel(), &long_event());
        let body = body(&request);
        let message = body["message"].as_str().unwrap();
        assert!(message.len() <= MAX_MESSAGE_BYTES, "{}", message.len());
        assert!(message.ends_with("project: shop"), "the labels stay");
        assert!(message.contains('…'));
        assert!(body["title"].as_str().unwrap().chars().count() <= MAX_TITLE_CHARS);
    }

    #[test]
    fn a_title_only_event_still_has_a_message() {
        let mut event = sample_event();
        event.message.clear();
        event.source.clear();
        let body = body(&render(&Ntfy, &channel(), &event));
        assert_eq!(body["message"], "Deploy failed: api <prod>");
    }

    #[test]
    fn delivers_on_the_published_message() {
        let ok = response(
            200,
            &[],
            r#"{"id":"sPs71M8A2T","time":1795428005,"expires":1795471205,"event":"message","topic":"tocsin-alerts","title":"x","message":"y","priority":5}"#,
        );
        assert_eq!(Ntfy.classify(&ok), Outcome::Delivered);
    }

    #[test]
    fn fails_on_refused_credentials_with_ntfys_words() {
        let unauthorized = response(
            401,
            &[],
            r#"{"code":40101,"http":401,"error":"unauthorized","link":"https://ntfy.sh/docs/publish/#authentication"}"#,
        );
        assert_eq!(
            Ntfy.classify(&unauthorized),
            Outcome::failed("ntfy 401: unauthorized (code 40101)")
        );
        let forbidden = response(403, &[], r#"{"code":40301,"http":403,"error":"forbidden"}"#);
        assert_eq!(
            Ntfy.classify(&forbidden),
            Outcome::failed("ntfy 403: forbidden (code 40301)")
        );
    }

    #[test]
    fn retries_rate_limits_after_the_bucket_refills() {
        let too_many = response(
            429,
            &[],
            r#"{"code":42901,"http":429,"error":"limit reached: too many requests"}"#,
        );
        assert_eq!(
            Ntfy.classify(&too_many),
            Outcome::Retry {
                reason: "ntfy 429: limit reached: too many requests (code 42901)".into(),
                after: Some(Duration::from_secs(5))
            }
        );
        let quota = response(
            429,
            &[],
            r#"{"code":42908,"http":429,"error":"limit reached: daily message quota reached"}"#,
        );
        assert_eq!(
            Ntfy.classify(&quota),
            Outcome::Retry {
                reason: "ntfy 429: limit reached: daily message quota reached (code 42908)".into(),
                after: Some(Duration::from_secs(3600))
            }
        );
        let with_header = response(429, &[("Retry-After", "30")], "");
        assert_eq!(
            Ntfy.classify(&with_header),
            Outcome::Retry {
                reason: "ntfy HTTP 429".into(),
                after: Some(Duration::from_secs(30))
            }
        );
        assert_eq!(
            Ntfy.classify(&response(503, &[], "")),
            Outcome::Retry {
                reason: "ntfy HTTP 503".into(),
                after: None
            }
        );
    }

    #[test]
    fn round_trips_the_apprise_url_with_a_token() {
        let text = format!(
            "ntfys://{TOKEN}@ntfy.example.com/tocsin-alerts?priority=high&xtags=backup,eu-1"
        );
        let (config, printed) = url_round_trip(&Ntfy, &text);
        assert_eq!(
            config.str_setting("server_url"),
            Some("https://ntfy.example.com")
        );
        assert_eq!(config.str_setting("topic"), Some("tocsin-alerts"));
        assert_eq!(int_setting(&config, "priority"), Some(4));
        assert_eq!(config.secrets.expose("access_token"), Some(TOKEN));
        let (again, _) = url_round_trip(&Ntfy, &printed);
        assert_eq!(again, config);
        let masked = Ntfy.to_url(&config, false);
        assert!(!masked.contains(TOKEN), "{masked}");
        assert!(masked.starts_with("ntfys://***@ntfy.example.com/tocsin-alerts?"));
    }

    #[test]
    fn round_trips_basic_auth_and_a_topic_on_ntfy_sh() {
        let (config, printed) =
            url_round_trip(&Ntfy, "ntfy://alice:pa%3Ass@ntfy.local:8080/ops?auth=basic");
        assert_eq!(
            config.str_setting("server_url"),
            Some("http://ntfy.local:8080")
        );
        assert_eq!(config.str_setting("username"), Some("alice"));
        assert_eq!(config.secrets.expose("password"), Some("pa:ss"));
        assert_eq!(url_round_trip(&Ntfy, &printed).0, config);
        let masked = Ntfy.to_url(&config, false);
        assert_eq!(masked, "ntfy://alice:***@ntfy.local:8080/ops?priority=3");

        let (cloud, printed) = url_round_trip(&Ntfy, "ntfy://my_topic");
        assert_eq!(cloud.str_setting("server_url"), Some("https://ntfy.sh"));
        assert_eq!(cloud.str_setting("topic"), Some("my_topic"));
        assert_eq!(printed, "ntfys://ntfy.sh/my_topic?priority=3");
        assert_eq!(url_round_trip(&Ntfy, &printed).0, cloud);
    }

    #[test]
    fn round_trips_ntfys_own_topic_url() {
        let native = url::Url::parse("https://ntfy.sh/tocsin-alerts").unwrap();
        assert!(Ntfy.accepts_native_url(&native));
        let (config, printed) = url_round_trip(&Ntfy, native.as_str());
        assert_eq!(config.str_setting("server_url"), Some("https://ntfy.sh"));
        assert_eq!(url_round_trip(&Ntfy, &printed).0, config);
        assert!(!Ntfy.accepts_native_url(&url::Url::parse("https://ntfy.sh/").unwrap()));
        assert!(!Ntfy.accepts_native_url(&url::Url::parse("https://example.com/t").unwrap()));

        // A server under a path prints as its topic URL.
        let (prefixed, printed) = url_round_trip(
            &Ntfy,
            &format!("https://{TOKEN}@example.com/ntfy/ops?priority=5"),
        );
        assert_eq!(
            prefixed.str_setting("server_url"),
            Some("https://example.com/ntfy")
        );
        assert_eq!(
            printed,
            format!("https://{TOKEN}@example.com/ntfy/ops?priority=5")
        );
        assert_eq!(url_round_trip(&Ntfy, &printed).0, prefixed);
    }

    #[test]
    fn refuses_malformed_urls() {
        let cases = [
            ("ntfys://ntfy.example.com/a/b", "more than one topic"),
            ("ntfys://ntfy.example.com/bad.topic", "not an ntfy topic"),
            ("ntfys://ntfy.example.com/t?priority=9", "priority `9`"),
            ("ntfys://ntfy.example.com/t?delay=10m", "`delay`"),
            ("ntfys://ntfy.example.com/t?auth=magic", "auth `magic`"),
            ("https://ntfy.example.com/", "must name a topic"),
        ];
        for (text, words) in cases {
            let url = url::Url::parse(text).unwrap();
            let err = Ntfy.parse_url(&url).expect_err(text);
            assert_eq!(err.field, "url", "{text}");
            assert!(err.message.contains(words), "{text}: {err}");
        }
    }

    #[test]
    fn names_the_wrong_field() {
        let cases = [
            (json!({}), json!({}), "settings.topic"),
            (json!({"topic": "a b"}), json!({}), "settings.topic"),
            (
                json!({"topic": "t", "priority": 0}),
                json!({}),
                "settings.priority",
            ),
            (
                json!({"topic": "t", "priority": 6}),
                json!({}),
                "settings.priority",
            ),
            (
                json!({"topic": "t", "priority": "high"}),
                json!({}),
                "settings.priority",
            ),
            (
                json!({"topic": "t", "server_url": "ntfy.sh"}),
                json!({}),
                "settings.server_url",
            ),
            (
                json!({"topic": "t", "server_url": "https://u:p@ntfy.sh"}),
                json!({}),
                "settings.server_url",
            ),
            (
                json!({"topic": "t", "click": "not a url"}),
                json!({}),
                "settings.click",
            ),
            (
                json!({"topic": "t", "username": "bob"}),
                json!({}),
                "secrets.password",
            ),
            (
                json!({"topic": "t"}),
                json!({"password": "pw"}),
                "settings.username",
            ),
            (
                json!({"topic": "t", "username": "bob"}),
                json!({"password": "pw", "access_token": TOKEN}),
                "secrets.access_token",
            ),
            (
                json!({"topic": "t"}),
                json!({"access_token": "tk_ x"}),
                "secrets.access_token",
            ),
            (
                json!({"topic": "t", "actions": "x"}),
                json!({}),
                "settings.actions",
            ),
            (
                json!({"topic": "t", "access_token": TOKEN}),
                json!({}),
                "settings.access_token",
            ),
        ];
        for (settings, secrets, field) in cases {
            let err = configure(&Ntfy, settings.clone(), secrets).expect_err(field);
            assert_eq!(err.field, field, "{settings}: {err}");
        }
    }
}
