//! The `pushbullet` kind: a note (or a link, when the event has one) pushed through
//! Pushbullet's `/v2/pushes` with the access token in the `Access-Token` header.
//!
//! URL form: Apprise's `pbul://access_token[/device_iden|/#channel_tag|/email]`; a channel
//! sends to one target, or to all of the account's devices when it names none.

use serde_json::{Map, Value, json};
use tocsin_core::FieldError;
use tocsin_core::channel::{ChannelConfig, Secrets};
use tocsin_core::event::Severity;
use tocsin_core::outbound::{HttpResponse, Outcome};

use crate::classify::{describe, retry_after, until_reset};
use crate::common::{self, Counted, encode_segment, json_body, setting, shown};
use crate::schema::{FieldSpec, FieldType, KindSchema};
use crate::{Message, Outbound, Provider};

pub struct Pushbullet;

const DEFAULT_API_BASE: &str = "https://api.pushbullet.com";

/// [K] unverified: Pushbullet documents no length limits; these keep a push readable and
/// its request modest.
const MAX_TITLE_CHARS: usize = 250;
const MAX_BODY_CHARS: usize = 16_384;

/// The three ways a push can be aimed, exactly one at a time.
const TARGETS: [&str; 3] = ["device_iden", "channel_tag", "email"];

pub static SCHEMA: KindSchema = KindSchema {
    kind: "pushbullet",
    label: "Pushbullet",
    description: "Push notes to your devices, a friend's email or a channel through Pushbullet.",
    url_schemes: &["pbul"],
    fields: &[
        FieldSpec {
            name: "device_iden",
            label: "Device",
            help: "The iden of one of your devices; with no device, channel or email, every device gets the push.",
            field_type: FieldType::String,
            secret: false,
            required: false,
            default: None,
        },
        FieldSpec {
            name: "channel_tag",
            label: "Channel tag",
            help: "The tag of a channel you own, to push to its subscribers (instead of a device or email).",
            field_type: FieldType::String,
            secret: false,
            required: false,
            default: None,
        },
        FieldSpec {
            name: "email",
            label: "Email",
            help: "Push to the Pushbullet user with this email address (instead of a device or channel).",
            field_type: FieldType::String,
            secret: false,
            required: false,
            default: None,
        },
        common::api_base_field(
            "Pushbullet's API, https://api.pushbullet.com unless you go through a proxy.",
        ),
        FieldSpec {
            name: "access_token",
            label: "Access token",
            help: "An access token from Pushbullet's Settings → Account page (o.…).",
            field_type: FieldType::String,
            secret: true,
            required: true,
            default: None,
        },
    ],
};

/// Apprise options that mean nothing to a Tocsin channel and are skipped when read.
const IGNORED_OPTIONS: &[&str] = &[
    "format", "overflow", "emojis", "verify", "rto", "cto", "tz", "store",
];

fn plain(text: &str) -> bool {
    !text.is_empty() && !text.chars().any(|c| c.is_whitespace() || c.is_control())
}

fn check(config: &mut ChannelConfig) -> Result<(), FieldError> {
    let token = common::required_secret(config, "access_token")?;
    if !plain(token) {
        return Err(FieldError::new(
            "secrets.access_token",
            "must be a Pushbullet access token like o.abc123…, without spaces",
        ));
    }
    // A channel tag is often written as `#tag`; Pushbullet wants it without the `#`.
    if let Some(tag) = setting(config, "channel_tag") {
        let tag = tag.trim_start_matches('#').to_owned();
        if !plain(&tag) || tag.contains('/') {
            return Err(FieldError::new(
                "settings.channel_tag",
                "must be a channel tag such as my-alerts, without spaces",
            ));
        }
        config
            .settings
            .insert("channel_tag".into(), Value::String(tag));
    }
    if let Some(device) = setting(config, "device_iden")
        && (!plain(device) || device.contains('/'))
    {
        return Err(FieldError::new(
            "settings.device_iden",
            "must be a device iden such as ujpah72o0sjAoRtnM0jc, without spaces",
        ));
    }
    if let Some(email) = setting(config, "email") {
        let shaped = email
            .split_once('@')
            .is_some_and(|(local, domain)| !local.is_empty() && domain.contains('.'));
        if !plain(email) || !shaped {
            return Err(FieldError::new(
                "settings.email",
                "must be an email address such as ops@example.com",
            ));
        }
    }
    let chosen: Vec<&str> = TARGETS
        .into_iter()
        .filter(|name| setting(config, name).is_some())
        .collect();
    if let [_, second, ..] = chosen.as_slice() {
        return Err(FieldError::new(
            format!("settings.{second}"),
            format!(
                "a push goes to one target: set only one of {}, or make one channel per target",
                chosen.join(", ")
            ),
        ));
    }
    Ok(())
}

/// The severity as the start of the title, since a push has no other way to show it.
fn severity_mark(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical => "🚨 ",
        Severity::Warning => "⚠️ ",
        Severity::Ok => "✅ ",
        Severity::Info => "",
    }
}

fn url_error(message: impl Into<String>) -> FieldError {
    FieldError::new("url", message)
}

/// Sorts an Apprise target into its field: `#tag` a channel, `a@b` an email, else a device.
fn target_field(target: &str) -> (&'static str, String) {
    if let Some(tag) = target.strip_prefix('#') {
        ("channel_tag", tag.to_owned())
    } else if target.contains('@') {
        ("email", target.to_owned())
    } else {
        ("device_iden", target.to_owned())
    }
}

impl Provider for Pushbullet {
    fn schema(&self) -> &'static KindSchema {
        &SCHEMA
    }

    fn prepare(&self, config: &mut ChannelConfig) -> Result<(), FieldError> {
        check(config)
    }

    fn parse_url(&self, url: &url::Url) -> Result<ChannelConfig, FieldError> {
        if url.scheme() != "pbul" {
            return Err(url_error(format!(
                "`{}://` is not a Pushbullet URL; use pbul://access_token",
                url.scheme()
            )));
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err(url_error(
                "takes the access token as its host, like pbul://o.abc123, not before `@`",
            ));
        }
        let token = common::decode(url.host_str().unwrap_or_default());
        if token.is_empty() {
            return Err(url_error("needs the access token, like pbul://o.abc123"));
        }
        let mut targets = common::path_segments(url);
        // `pbul://token/#tag`: the URL grammar reads a bare `#` as the start of a fragment.
        if let Some(tag) = url.fragment().filter(|f| !f.is_empty()) {
            targets.push(format!("#{}", common::decode(tag)));
        }
        let mut settings = Map::new();
        for (key, value) in common::query_pairs(url) {
            match key.as_str() {
                "to" => targets.extend(
                    value
                        .split(',')
                        .map(str::trim)
                        .filter(|t| !t.is_empty())
                        .map(str::to_owned),
                ),
                "api_base" => {
                    settings.insert("api_base".into(), Value::String(value));
                }
                k if IGNORED_OPTIONS.contains(&k) => {}
                _ => {
                    return Err(url_error(format!(
                        "has an option Tocsin's Pushbullet channel does not support: `{key}`"
                    )));
                }
            }
        }
        match targets.as_slice() {
            [] => {}
            [target] => {
                let (field, value) = target_field(target);
                settings.insert(field.into(), Value::String(value));
            }
            _ => {
                return Err(url_error(
                    "names more than one target; a Tocsin channel pushes to one device, channel or email, so make one channel per target",
                ));
            }
        }
        let mut secrets = Secrets::new();
        secrets.insert("access_token", token);
        Ok(ChannelConfig { settings, secrets })
    }

    fn to_url(&self, config: &ChannelConfig, reveal: bool) -> String {
        let token = shown(
            config.secrets.expose("access_token").unwrap_or_default(),
            reveal,
        );
        let target = if let Some(tag) = setting(config, "channel_tag") {
            format!("/{}", encode_segment(&format!("#{tag}")))
        } else if let Some(target) = setting(config, "email").or(setting(config, "device_iden")) {
            format!("/{}", encode_segment(target))
        } else {
            String::new()
        };
        let query = match setting(config, "api_base") {
            Some(base) => format!(
                "?{}",
                common::query_string(&[("api_base".to_owned(), base.to_owned())])
            ),
            None => String::new(),
        };
        format!("pbul://{token}{target}{query}")
    }

    fn render(
        &self,
        config: &ChannelConfig,
        message: &Message<'_>,
    ) -> Result<Outbound, FieldError> {
        let event = message.event;
        let token = common::required_secret(config, "access_token")?;
        let title = format!(
            "{}{}",
            severity_mark(event.severity),
            common::truncate(common::title(event), MAX_TITLE_CHARS)
        );
        let mut body = json!({
            "type": "note",
            "title": title,
            "body": common::message_and_labels(event, MAX_BODY_CHARS, Counted::Chars),
            // [K] Pushbullet treats pushes that share a client-set `guid` as one, so a
            // retried delivery does not push twice.
            "guid": message.delivery_id,
        });
        if let Some(link) = event.link() {
            body["type"] = json!("link");
            body["url"] = json!(link);
        }
        for name in TARGETS {
            if let Some(value) = setting(config, name) {
                body[name] = json!(value);
            }
        }
        let base = common::api_base(config, DEFAULT_API_BASE);
        Ok(Outbound::Http(common::json_request(
            "POST",
            format!("{base}/v2/pushes"),
            vec![("Access-Token".into(), token.to_owned())],
            &body,
        )))
    }

    fn classify(&self, response: &HttpResponse) -> Outcome {
        let status = response.status;
        if (200..300).contains(&status) {
            return Outcome::Delivered;
        }
        // Pushbullet answers errors with `{"error": {"code", "type", "message"}}`.
        let error = json_body(response).and_then(|b| b.get("error").cloned());
        let text = |key: &str| {
            error
                .as_ref()
                .and_then(|e| e.get(key))
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_owned()
        };
        let reason = match (text("code"), text("message")) {
            (code, message) if code.is_empty() && message.is_empty() => {
                format!("Pushbullet {}", describe(response))
            }
            (code, message) if message.is_empty() => format!("Pushbullet {status}: {code}"),
            (code, message) if code.is_empty() => format!("Pushbullet {status}: {message}"),
            (code, message) => format!("Pushbullet {status} {code}: {message}"),
        };
        match status {
            429 => Outcome::Retry {
                reason,
                after: retry_after(response).or_else(|| until_reset(response, "x-ratelimit-reset")),
            },
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
    use std::time::Duration;

    use serde_json::json;
    use tocsin_core::event::Event;

    use super::*;
    use crate::classify::http_date;
    use crate::testing::{self, configure, render, response, sample_event, url_round_trip};

    const TOKEN: &str = "o.Zx9mQ2LkP4vR7tY1uW3eA5sD8fG0hJ6k";

    fn channel(settings: Value) -> ChannelConfig {
        configure(&Pushbullet, settings, json!({"access_token": TOKEN})).unwrap()
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
    fn renders_the_sample_event_as_a_link_push() {
        let request = render(&Pushbullet, &channel(json!({})), &sample_event());
        insta::assert_json_snapshot!("pushbullet_sample", testing::snapshot(&request));
    }

    #[test]
    fn renders_a_recovery_as_a_note_to_a_channel() {
        let config = channel(json!({"channel_tag": "#ops-alerts",
            "api_base": "http://127.0.0.1:9000"}));
        let request = render(&Pushbullet, &config, &testing::recovery_event());
        insta::assert_json_snapshot!("pushbullet_recovery", testing::snapshot(&request));
    }

    #[test]
    fn aims_at_a_device_or_an_email() {
        let request = render(
            &Pushbullet,
            &channel(json!({"device_iden": "ujpah72o0sjAoRtnM0jc"})),
            &sample_event(),
        );
        assert_eq!(body(&request)["device_iden"], "ujpah72o0sjAoRtnM0jc");
        let request = render(
            &Pushbullet,
            &channel(json!({"email": "ops@example.com"})),
            &sample_event(),
        );
        assert_eq!(body(&request)["email"], "ops@example.com");
        assert!(body(&request).get("device_iden").is_none());
    }

    #[test]
    fn sends_text_as_plain_text_unescaped() {
        let body = body(&render(&Pushbullet, &channel(json!({})), &sample_event()));
        assert_eq!(body["title"], "🚨 Deploy failed: api <prod>");
        assert!(
            body["body"]
                .as_str()
                .unwrap()
                .starts_with("Build \"api\" broke at step 3 & stopped.\nSee the log.")
        );
    }

    #[test]
    fn keeps_a_long_event_readable() {
        let body = body(&render(&Pushbullet, &channel(json!({})), &long_event()));
        let text = body["body"].as_str().unwrap();
        assert!(text.chars().count() <= MAX_BODY_CHARS);
        assert!(text.ends_with("project: shop"), "the labels stay");
        assert!(body["title"].as_str().unwrap().chars().count() <= MAX_TITLE_CHARS + 2);
    }

    #[test]
    fn delivers_on_the_created_push() {
        let ok = response(
            200,
            &[],
            r#"{"active":true,"iden":"ujpah72o0sjAoRtnM0jc","created":1795428005.1,"modified":1795428005.1,"type":"note","dismissed":false,"direction":"self","title":"x","body":"y"}"#,
        );
        assert_eq!(Pushbullet.classify(&ok), Outcome::Delivered);
    }

    #[test]
    fn fails_on_a_bad_token_with_pushbullets_words() {
        let bad = response(
            401,
            &[],
            r#"{"error":{"code":"invalid_access_token","type":"invalid_request","message":"Access token is missing or invalid.","cat":"(=^‥^=)"}}"#,
        );
        assert_eq!(
            Pushbullet.classify(&bad),
            Outcome::failed(
                "Pushbullet 401 invalid_access_token: Access token is missing or invalid."
            )
        );
        let missing = response(
            404,
            &[],
            r#"{"error":{"code":"not_found","type":"invalid_request","message":"Device not found."}}"#,
        );
        assert_eq!(
            Pushbullet.classify(&missing),
            Outcome::failed("Pushbullet 404 not_found: Device not found.")
        );
        assert_eq!(
            Pushbullet.classify(&response(400, &[], "nope")),
            Outcome::failed("Pushbullet HTTP 400: nope")
        );
    }

    #[test]
    fn retries_a_rate_limit_when_it_resets() {
        let limited = response(
            429,
            &[
                ("Date", "Mon, 23 Nov 2026 10:00:05 GMT"),
                ("X-Ratelimit-Limit", "16384"),
                ("X-Ratelimit-Remaining", "0"),
                ("X-Ratelimit-Reset", "1795428605"),
            ],
            r#"{"error":{"code":"too_many_requests","type":"invalid_request","message":"You have been rate limited."}}"#,
        );
        assert_eq!(
            Pushbullet.classify(&limited),
            Outcome::Retry {
                reason: "Pushbullet 429 too_many_requests: You have been rate limited.".into(),
                after: Some(Duration::from_secs(600))
            }
        );
        assert_eq!(
            Pushbullet.classify(&response(502, &[], "")),
            Outcome::Retry {
                reason: "Pushbullet HTTP 502".into(),
                after: None
            }
        );
    }

    #[test]
    fn reads_http_dates() {
        assert_eq!(
            http_date("Sun, 06 Nov 1994 08:49:37 GMT"),
            Some(784_111_777)
        );
        assert_eq!(http_date("06 Nov 1994"), None);
    }

    #[test]
    fn round_trips_the_apprise_url_for_each_target() {
        for (text, field, value) in [
            (
                format!("pbul://{TOKEN}/%23ops-alerts"),
                "channel_tag",
                "ops-alerts",
            ),
            (
                format!("pbul://{TOKEN}/#ops-alerts"),
                "channel_tag",
                "ops-alerts",
            ),
            (
                format!("pbul://{TOKEN}/ops@example.com"),
                "email",
                "ops@example.com",
            ),
            (
                format!("pbul://{TOKEN}/ujpah72o0sjAoRtnM0jc"),
                "device_iden",
                "ujpah72o0sjAoRtnM0jc",
            ),
        ] {
            let (config, printed) = url_round_trip(&Pushbullet, &text);
            assert_eq!(config.str_setting(field), Some(value), "{text}");
            assert_eq!(config.secrets.expose("access_token"), Some(TOKEN));
            assert_eq!(url_round_trip(&Pushbullet, &printed).0, config, "{printed}");
            let masked = Pushbullet.to_url(&config, false);
            assert!(masked.starts_with("pbul://***"), "{masked}");
            assert!(!masked.contains(TOKEN));
        }
        let (all, printed) = url_round_trip(
            &Pushbullet,
            &format!("pbul://{TOKEN}?api_base=http%3A%2F%2F127.0.0.1%3A9000"),
        );
        assert_eq!(all.str_setting("api_base"), Some("http://127.0.0.1:9000"));
        assert_eq!(
            printed,
            format!("pbul://{TOKEN}?api_base=http%3A%2F%2F127.0.0.1%3A9000")
        );
    }

    #[test]
    fn refuses_malformed_urls() {
        let cases = [
            ("pbul:///device".to_owned(), "needs the access token"),
            (
                format!("pbul://{TOKEN}/phone/tablet"),
                "more than one target",
            ),
            (
                format!("pbul://{TOKEN}/phone?to=ops@example.com"),
                "more than one target",
            ),
            (format!("pbul://user@{TOKEN}"), "not before `@`"),
            (format!("pbul://{TOKEN}?sound=x"), "`sound`"),
            ("https://api.pushbullet.com/v2/pushes".to_owned(), "pbul://"),
        ];
        for (text, words) in cases {
            let url = url::Url::parse(&text).unwrap();
            let err = Pushbullet.parse_url(&url).expect_err(&text);
            assert_eq!(err.field, "url", "{text}");
            assert!(err.message.contains(words), "{text}: {err}");
        }
    }

    #[test]
    fn names_the_wrong_field() {
        let token = json!({"access_token": TOKEN});
        let cases = [
            (json!({}), json!({}), "secrets.access_token"),
            (
                json!({}),
                json!({"access_token": "o. x"}),
                "secrets.access_token",
            ),
            (
                json!({"device_iden": "a", "email": "ops@example.com"}),
                token.clone(),
                "settings.email",
            ),
            (
                json!({"email": "not-an-email"}),
                token.clone(),
                "settings.email",
            ),
            (
                json!({"channel_tag": "two words"}),
                token.clone(),
                "settings.channel_tag",
            ),
            (
                json!({"device_iden": "a/b"}),
                token.clone(),
                "settings.device_iden",
            ),
            (
                json!({"api_base": "ftp://x"}),
                token.clone(),
                "settings.api_base",
            ),
            (json!({"priority": 1}), token.clone(), "settings.priority"),
            (
                json!({"access_token": TOKEN}),
                json!({}),
                "settings.access_token",
            ),
        ];
        for (settings, secrets, field) in cases {
            let err = configure(&Pushbullet, settings.clone(), secrets).expect_err(field);
            assert_eq!(err.field, field, "{settings}: {err}");
        }
    }
}
