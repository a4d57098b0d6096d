//! The `signal` kind: a message from a registered number to people and groups, through a
//! self-hosted signal-cli-rest-api (`POST /v2/send`), optionally behind Basic auth.
//!
//! URL forms: Apprise's `signal://[user[:password]@]{host}[:port]/{from}/{to}…` (`signals://`
//! for HTTPS), where a target is a phone number or a group (`@{id}` or `group.{id}`); with no
//! target the message goes to the sender's own number ("Note to Self").

use serde_json::{Map, Value, json};
use tocsin_core::FieldError;
use tocsin_core::channel::{ChannelConfig, Secrets};
use tocsin_core::event::Event;
use tocsin_core::outbound::{HttpResponse, Outcome};

use crate::common::{self, json_body, query_pairs, required_setting, truncate};
use crate::schema::{FieldSpec, FieldType, KindSchema};
use crate::{Message, Outbound, Provider, classify};

pub struct Signal;

/// [K] unverified: Signal clients show about 2,000 characters inline and send longer text
/// as an attachment; a notification stays within that.
const MESSAGE_CHARS: usize = 2_000;
const TITLE_CHARS: usize = 256;
const LABELS_CHARS: usize = 500;
const LINK_CHARS: usize = 500;

pub static SCHEMA: KindSchema = KindSchema {
    kind: "signal",
    label: "Signal",
    description: "Signal messages to people or groups, through your signal-cli-rest-api server.",
    url_schemes: &["signal", "signals"],
    fields: &[
        FieldSpec {
            name: "server",
            label: "signal-cli-rest-api URL",
            help: "Where signal-cli-rest-api listens, e.g. http://signal-api:8080.",
            field_type: FieldType::Url,
            secret: false,
            required: true,
            default: None,
        },
        FieldSpec {
            name: "from_number",
            label: "Sender number",
            help: "The number registered with signal-cli, in international form, e.g. +4912345678.",
            field_type: FieldType::String,
            secret: false,
            required: true,
            default: None,
        },
        FieldSpec {
            name: "recipients",
            label: "Recipients",
            help: "Phone numbers (+4967890…) and group ids (group.…), comma-separated. Empty: a note to the sender's own number.",
            field_type: FieldType::String,
            secret: false,
            required: false,
            default: None,
        },
        FieldSpec {
            name: "username",
            label: "User name",
            help: "For a reverse proxy in front of the API that asks for Basic auth.",
            field_type: FieldType::String,
            secret: false,
            required: false,
            default: None,
        },
        FieldSpec {
            name: "password",
            label: "Password",
            help: "The Basic auth password of the reverse proxy.",
            field_type: FieldType::String,
            secret: true,
            required: false,
            default: None,
        },
    ],
};

impl Provider for Signal {
    fn schema(&self) -> &'static KindSchema {
        &SCHEMA
    }

    fn prepare(&self, config: &mut ChannelConfig) -> Result<(), FieldError> {
        let server = required_setting(config, "server")?;
        let parsed = url::Url::parse(server)
            .map_err(|e| FieldError::new("settings.server", format!("is not a URL ({e})")))?;
        if parsed.query().is_some() || parsed.fragment().is_some() {
            return Err(FieldError::new(
                "settings.server",
                "must be the API's base URL without a query, e.g. http://signal-api:8080",
            ));
        }
        if parsed.path().trim_end_matches('/').ends_with("/v2/send") {
            return Err(FieldError::new(
                "settings.server",
                "must be the API's base URL without /v2/send, e.g. http://signal-api:8080",
            ));
        }
        if !parsed.username().is_empty() {
            return Err(FieldError::new(
                "settings.server",
                "must not carry credentials: set settings.username and secrets.password",
            ));
        }
        let server = server.trim_end_matches('/').to_owned();
        config
            .settings
            .insert("server".into(), Value::String(server));

        let from = required_setting(config, "from_number")?;
        let from = phone_number(from).ok_or_else(|| {
            FieldError::new(
                "settings.from_number",
                "must be a phone number in international form, like +4912345678",
            )
        })?;
        config
            .settings
            .insert("from_number".into(), Value::String(from));

        if let Some(list) = common::setting(config, "recipients") {
            let mut recipients = Vec::new();
            for item in split_list(list) {
                let recipient = recipient(&item).ok_or_else(|| {
                    FieldError::new(
                        "settings.recipients",
                        format!(
                            "`{item}` is neither a phone number (+4967890…) nor a group id (group.…)"
                        ),
                    )
                })?;
                recipients.push(recipient);
            }
            config
                .settings
                .insert("recipients".into(), Value::String(recipients.join(",")));
        }

        let has_password = config.secrets.expose("password").is_some();
        if has_password && common::setting(config, "username").is_none() {
            return Err(FieldError::new(
                "settings.username",
                "is required with secrets.password (Basic auth needs both)",
            ));
        }
        if let Some(user) = common::setting(config, "username")
            && (user.contains(':') || user.chars().any(char::is_control))
        {
            return Err(FieldError::new(
                "settings.username",
                "must not contain `:` or control characters",
            ));
        }
        Ok(())
    }

    fn parse_url(&self, url: &url::Url) -> Result<ChannelConfig, FieldError> {
        match url.scheme() {
            "signal" | "signals" => parse_apprise(url),
            other => Err(FieldError::new(
                "url",
                format!(
                    "`{other}://` is not a Signal URL; use signals://HOST/FROM_NUMBER/TO_NUMBER"
                ),
            )),
        }
    }

    fn to_url(&self, config: &ChannelConfig, reveal: bool) -> String {
        let Some(server) = common::setting(config, "server").and_then(|s| url::Url::parse(s).ok())
        else {
            return String::new();
        };
        let scheme = if server.scheme() == "https" {
            "signals"
        } else {
            "signal"
        };
        let mut text = format!("{scheme}://");
        if let Some(user) = common::setting(config, "username") {
            text.push_str(&common::encode_segment(user));
            if let Some(password) = config.secrets.expose("password") {
                text.push(':');
                text.push_str(&common::shown(password, reveal));
            }
            text.push('@');
        }
        text.push_str(server.host_str().unwrap_or_default());
        if let Some(port) = server.port() {
            text.push_str(&format!(":{port}"));
        }
        text.push_str(server.path().trim_end_matches('/'));
        text.push('/');
        text.push_str(common::setting(config, "from_number").unwrap_or_default());
        for recipient in common::setting(config, "recipients")
            .map(split_list)
            .unwrap_or_default()
        {
            text.push('/');
            match recipient.strip_prefix("group.") {
                Some(id) => {
                    text.push('@');
                    text.push_str(&common::encode_segment(id));
                }
                None => text.push_str(&recipient),
            }
        }
        text
    }

    fn render(
        &self,
        config: &ChannelConfig,
        message: &Message<'_>,
    ) -> Result<Outbound, FieldError> {
        let server = required_setting(config, "server")?.trim_end_matches('/');
        let from = required_setting(config, "from_number")?;
        let mut recipients = common::setting(config, "recipients")
            .map(split_list)
            .unwrap_or_default();
        if recipients.is_empty() {
            recipients.push(from.to_owned());
        }
        // `normal` always: a server whose default is `styled` would eat the `*`, `~`, `|`
        // and backticks of the event's text as markup.
        let body = json!({
            "number": from,
            "recipients": recipients,
            "message": text(message.event),
            "text_mode": "normal",
        });
        let mut headers = Vec::new();
        if let Some(user) = common::setting(config, "username") {
            let password = config.secrets.expose("password").unwrap_or_default();
            headers.push((
                "Authorization".to_owned(),
                common::basic_auth(user, password),
            ));
        }
        Ok(Outbound::Http(common::json_request(
            "POST",
            format!("{server}/v2/send"),
            headers,
            &body,
        )))
    }

    fn classify(&self, response: &HttpResponse) -> Outcome {
        classify_answer(response)
    }
}

/// `+` and the digits of a phone number written with spaces, dashes, dots or parentheses;
/// `None` unless it is one.
fn phone_number(text: &str) -> Option<String> {
    let text = text.trim();
    let digits: String = text
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '.' | '(' | ')' | '+'))
        .collect();
    let plus_ok = text.rfind('+').is_none_or(|i| i == 0);
    let valid =
        plus_ok && (6..=15).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit());
    valid.then(|| format!("+{digits}"))
}

/// A phone number or a group id as the API takes them (`+…`, `group.…`); Apprise's `@{id}`
/// names a group too.
fn recipient(text: &str) -> Option<String> {
    let text = text.trim();
    let group = text
        .strip_prefix("group.")
        .or_else(|| text.strip_prefix('@'))
        .filter(|id| {
            !id.is_empty()
                && id
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"+/=_-".contains(&b))
        });
    match group {
        Some(id) => Some(format!("group.{id}")),
        None => phone_number(text),
    }
}

fn split_list(text: &str) -> Vec<String> {
    text.split([',', ' ', '\n'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

/// `signal[s]://[user[:password]@]{host}[:port][/prefix]/{from}/{to}…?from=…&to=…`
fn parse_apprise(url: &url::Url) -> Result<ChannelConfig, FieldError> {
    let usage = "signals://HOST/FROM_NUMBER/TO_NUMBER";
    let host = url
        .host_str()
        .filter(|h| !h.is_empty())
        .ok_or_else(|| {
            FieldError::new(
                "url",
                format!("needs the host of signal-cli-rest-api: {usage}"),
            )
        })?
        .to_ascii_lowercase();
    let mut from = None;
    let mut targets = Vec::new();
    for (name, value) in query_pairs(url) {
        match name.as_str() {
            "from" | "source" if !value.is_empty() => from = Some(value),
            "to" => targets.extend(split_list(&value)),
            // Apprise's batch and status options do not apply.
            _ => {}
        }
    }
    // Segments before the sender's number are a path prefix (a reverse proxy).
    let mut prefix = Vec::new();
    for segment in common::path_segments(url) {
        if from.is_none() {
            if phone_number(&segment).is_some() {
                from = Some(segment);
            } else {
                prefix.push(common::encode_segment(&segment));
            }
        } else {
            targets.push(segment);
        }
    }
    let from = from.ok_or_else(|| {
        FieldError::new(
            "url",
            format!("needs the sender's number after the host: {usage}"),
        )
    })?;
    let from = phone_number(&from).ok_or_else(|| {
        FieldError::new(
            "url",
            format!("`{from}` is not a phone number in international form, like +4912345678"),
        )
    })?;
    let mut recipients = Vec::new();
    for target in targets {
        let parsed = recipient(&target).ok_or_else(|| {
            FieldError::new(
                "url",
                format!("`{target}` is neither a phone number nor a group (@ID or group.ID)"),
            )
        })?;
        recipients.push(parsed);
    }
    let scheme = if url.scheme() == "signals" {
        "https"
    } else {
        "http"
    };
    let mut server = format!("{scheme}://{host}");
    if let Some(port) = url.port() {
        server.push_str(&format!(":{port}"));
    }
    for segment in prefix {
        server.push('/');
        server.push_str(&segment);
    }
    let mut settings = Map::new();
    settings.insert("server".into(), Value::String(server));
    settings.insert("from_number".into(), Value::String(from));
    if !recipients.is_empty() {
        settings.insert("recipients".into(), Value::String(recipients.join(",")));
    }
    let mut secrets = Secrets::new();
    if !url.username().is_empty() {
        settings.insert(
            "username".into(),
            Value::String(common::decode(url.username())),
        );
    }
    if let Some(password) = url.password().filter(|p| !p.is_empty()) {
        secrets.insert("password", common::decode(password));
    }
    Ok(ChannelConfig { settings, secrets })
}

/// Plain text: title behind a severity mark, message, labels, severity and type, link; at
/// most [`MESSAGE_CHARS`] characters.
fn text(event: &Event) -> String {
    let head = format!(
        "{} {}",
        common::severity_mark(event),
        truncate(common::title(event).trim(), TITLE_CHARS)
    );
    let mut tail = String::new();
    let mut used = 0;
    for (key, value) in &event.source {
        let line = format!("{key}: {}\n", truncate(value, 100));
        used += line.chars().count();
        if used > LABELS_CHARS {
            tail.push_str("…\n");
            break;
        }
        tail.push_str(&line);
    }
    tail.push_str(&format!("{} · {}", event.severity, event.event_type));
    if let Some(link) = event.link().filter(|l| l.chars().count() <= LINK_CHARS) {
        tail.push('\n');
        tail.push_str(link);
    }
    let mut out = head;
    let message = event.message.trim_end();
    if !message.is_empty() {
        let room = MESSAGE_CHARS.saturating_sub(out.chars().count() + tail.chars().count() + 3);
        out.push('\n');
        out.push_str(&truncate(message, room));
    }
    out.push_str("\n\n");
    out.push_str(&tail);
    out
}

fn classify_answer(response: &HttpResponse) -> Outcome {
    let status = response.status;
    if (200..300).contains(&status) {
        return Outcome::Delivered;
    }
    let body = json_body(response);
    let Some(error) = body
        .as_ref()
        .and_then(|b| b.get("error"))
        .and_then(Value::as_str)
    else {
        // A reverse proxy's page (401 from Basic auth, 502 while the API restarts).
        return classify::by_status(response);
    };
    // A 429 with challenge tokens is Signal's own rate limit; it lifts by itself after a
    // while, or at once when someone solves the captcha
    // (POST /v1/accounts/{number}/rate-limit-challenge).
    classify::by_status_saying(response, || format!("Signal {status}: {error}"))
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use serde_json::json;

    use super::*;
    use crate::testing::{self, *};

    const GROUP: &str = "group.ZHVkZS1ncm91cC1pZA==";

    fn channel() -> ChannelConfig {
        configure(
            &Signal,
            json!({"server": "https://signal.example.com", "from_number": "+4912345678",
                   "recipients": format!("+4967890123, {GROUP}"), "username": "tocsin"}),
            json!({"password": "s3cret/pass"}),
        )
        .expect("a valid channel")
    }

    #[test]
    fn sends_the_sample_event_as_plain_text() {
        let request = render(&Signal, &channel(), &sample_event());
        insta::assert_json_snapshot!("signal_sample", testing::snapshot(&request));
    }

    #[test]
    fn renders_a_recovery_with_a_check_mark() {
        let request = render(&Signal, &channel(), &recovery_event());
        insta::assert_json_snapshot!("signal_recovery", testing::snapshot(&request));
    }

    #[test]
    fn keeps_user_text_as_written() {
        let message = body_of(&render(&Signal, &channel(), &sample_event()))["message"]
            .as_str()
            .unwrap()
            .to_owned();
        assert!(message.contains("Deploy failed: api <prod>"));
        assert!(message.contains("Build \"api\" broke at step 3 & stopped.\nSee the log."));
    }

    #[test]
    fn without_recipients_sends_a_note_to_self_without_auth() {
        let config = configure(
            &Signal,
            json!({"server": "http://127.0.0.1:8080/", "from_number": "+49 (123) 456-78"}),
            json!({}),
        )
        .unwrap();
        assert_eq!(config.settings["from_number"], "+4912345678");
        let request = render(&Signal, &config, &sample_event());
        assert_eq!(request.url, "http://127.0.0.1:8080/v2/send");
        assert_eq!(body_of(&request)["recipients"], json!(["+4912345678"]));
        assert!(request.header("authorization").is_none());
    }

    /// `long_event` (the largest title and message Tocsin accepts) with the sample's link
    /// and 64 labels of 1,024 characters.
    fn longest_event() -> Event {
        let mut event = long_event();
        event.data = sample_event().data;
        for n in 0..64 {
            event
                .source
                .insert(format!("label{n:02}"), "v".repeat(1_024));
        }
        event
    }

    #[test]
    fn keeps_the_long_event_within_2000_characters() {
        let body = body_of(&render(&Signal, &channel(), &long_event()));
        let message = body["message"].as_str().unwrap();
        assert!(message.chars().count() <= MESSAGE_CHARS);
        assert!(message.contains("M…") && message.contains("T…"));
    }

    #[test]
    fn keeps_the_longest_event_within_2000_characters() {
        let body = body_of(&render(&Signal, &channel(), &longest_event()));
        let message = body["message"].as_str().unwrap();
        let count = message.chars().count();
        assert!(count <= MESSAGE_CHARS, "{count}");
        assert!(count > MESSAGE_CHARS - 10, "the message uses the room");
        assert!(message.contains("M…") && message.contains("T…") && message.contains("\n…\n"));
    }

    #[test]
    fn delivers_on_201() {
        let answer = response(201, &[], r#"{"timestamp":"1795428005123"}"#);
        assert_eq!(Signal.classify(&answer), Outcome::Delivered);
    }

    #[test]
    fn fails_on_a_refused_request() {
        let answer = response(
            400,
            &[],
            r#"{"error":"Couldn't process request - invalid phone number"}"#,
        );
        assert_eq!(
            Signal.classify(&answer),
            Outcome::failed("Signal 400: Couldn't process request - invalid phone number")
        );
        assert_eq!(
            Signal.classify(&response(401, &[], "Unauthorized")),
            Outcome::failed("HTTP 401: Unauthorized")
        );
    }

    #[test]
    fn retries_signals_rate_limit() {
        let answer = response(
            429,
            &[("Retry-After", "60")],
            r#"{"error":"Failed to send message due to rate limiting. Use the attached challenge tokens to lift the rate limit","challenge_tokens":["5f2a…"],"account":"+4912345678"}"#,
        );
        assert_eq!(
            Signal.classify(&answer),
            Outcome::Retry {
                reason: "Signal 429: Failed to send message due to rate limiting. Use the attached challenge tokens to lift the rate limit".into(),
                after: Some(Duration::from_secs(60)),
            }
        );
    }

    #[test]
    fn retries_server_errors() {
        assert_eq!(
            Signal.classify(&response(
                500,
                &[],
                r#"{"error":"Couldn't send: signal-cli daemon not reachable"}"#
            )),
            Outcome::Retry {
                reason: "Signal 500: Couldn't send: signal-cli daemon not reachable".into(),
                after: None,
            }
        );
        assert_eq!(
            Signal.classify(&response(502, &[], "")),
            Outcome::Retry {
                reason: "HTTP 502".into(),
                after: None,
            }
        );
    }

    #[test]
    fn apprise_url_round_trips() {
        let text = "signals://tocsin:s3cret%2Fpass@signal.example.com/+4912345678/+4967890123/@ZHVkZS1ncm91cC1pZA%3D%3D";
        let (config, printed) = url_round_trip(&Signal, text);
        assert_eq!(config, channel());
        assert_eq!(printed, text);
        let masked = Signal.to_url(&config, false);
        assert_eq!(
            masked,
            "signals://tocsin:***@signal.example.com/+4912345678/+4967890123/@ZHVkZS1ncm91cC1pZA%3D%3D"
        );
        assert!(!masked.contains("s3cret"));
    }

    #[test]
    fn apprise_url_with_port_prefix_and_query_round_trips() {
        let text =
            "signal://localhost:8080/signal/+4912345678?to=group.abc,%2B4967890123&batch=yes";
        let (config, printed) = url_round_trip(&Signal, text);
        assert_eq!(config.settings["server"], "http://localhost:8080/signal");
        assert_eq!(config.settings["from_number"], "+4912345678");
        assert_eq!(config.settings["recipients"], "group.abc,+4967890123");
        assert_eq!(
            printed,
            "signal://localhost:8080/signal/+4912345678/@abc/+4967890123"
        );
        let (again, _) = url_round_trip(&Signal, &printed);
        assert_eq!(again, config);
    }

    #[test]
    fn rejects_malformed_urls() {
        let cases = [
            ("signal://localhost:8080", "sender's number"),
            (
                "signal://localhost:8080/+4912345678/nobody",
                "`nobody` is neither",
            ),
            (
                "signal://localhost:8080/?from=12ab",
                "`12ab` is not a phone number",
            ),
            ("https://signal.example.com/v2/send", "not a Signal URL"),
        ];
        for (text, expected) in cases {
            let url = url::Url::parse(text).unwrap();
            let err = Signal.parse_url(&url).expect_err(text);
            assert_eq!(err.field, "url", "{text}");
            assert!(err.message.contains(expected), "{text}: {err}");
        }
    }

    #[test]
    fn names_the_field_in_each_schema_error() {
        let good = json!({"server": "http://signal-api:8080", "from_number": "+4912345678"});
        let with = |key: &str, value: Value| {
            let mut settings = good.clone();
            settings[key] = value;
            settings
        };
        let cases = [
            (
                json!({"from_number": "+4912345678"}),
                json!({}),
                "settings.server",
                "is required",
            ),
            (
                json!({"server": "http://signal-api:8080"}),
                json!({}),
                "settings.from_number",
                "is required",
            ),
            (
                with("from_number", json!("12-ab")),
                json!({}),
                "settings.from_number",
                "international form",
            ),
            (
                with("recipients", json!("+4967890123, bob")),
                json!({}),
                "settings.recipients",
                "`bob` is neither",
            ),
            (
                with("server", json!("http://signal-api:8080/v2/send")),
                json!({}),
                "settings.server",
                "without /v2/send",
            ),
            (
                with("server", json!("signal-api:8080")),
                json!({}),
                "settings.server",
                "http:// or https://",
            ),
            (
                good.clone(),
                json!({"password": "pw"}),
                "settings.username",
                "is required with secrets.password",
            ),
            (
                with("text_mode", json!("styled")),
                json!({}),
                "settings.text_mode",
                "not a field",
            ),
            (
                good.clone(),
                json!({"token": "x"}),
                "secrets.token",
                "not a field",
            ),
        ];
        for (settings, secrets, field, message) in cases {
            let err = configure(&Signal, settings.clone(), secrets).expect_err(field);
            assert_eq!(err.field, field, "{settings}: {err}");
            assert!(err.message.contains(message), "{err}");
        }
    }
}
