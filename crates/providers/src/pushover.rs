//! The `pushover` kind: a message posted as a form to Pushover's `/1/messages.json`, with the
//! application token and the user (or group) key in the body.
//!
//! URL form: Apprise's `pover://user_key@api_token[/device…]` with options as query
//! parameters (`?priority=high&sound=siren`, and `retry` (or Apprise's `interval`) with
//! `expire` for emergency priority).

use std::time::Duration;

use serde_json::{Map, Value};
use tocsin_core::FieldError;
use tocsin_core::channel::{ChannelConfig, Secrets};
use tocsin_core::event::{Event, Severity};
use tocsin_core::outbound::{HttpResponse, Outcome};

use crate::classify::{describe, retry_after, until_reset};
use crate::common::{self, Counted, encode_segment, int_setting, json_body, setting, shown};
use crate::schema::{DefaultValue, FieldSpec, FieldType, KindSchema};
use crate::{Message, Outbound, Provider};

pub struct Pushover;

const DEFAULT_API_BASE: &str = "https://api.pushover.net";
const DEFAULT_PRIORITY: i64 = 0;
const HIGH: i64 = 1;
const EMERGENCY: i64 = 2;

const MAX_MESSAGE_CHARS: usize = 1_024;
const MAX_TITLE_CHARS: usize = 250;
const MAX_URL_CHARS: usize = 512;
const URL_TITLE: &str = "Open link";

/// Pushover asks clients to wait at least this long before retrying after a 5xx.
const SERVER_ERROR_BACKOFF: Duration = Duration::from_secs(5);

pub static SCHEMA: KindSchema = KindSchema {
    kind: "pushover",
    label: "Pushover",
    description: "Push notifications to phones and desktops through Pushover.",
    url_schemes: &["pover"],
    fields: &[
        FieldSpec {
            name: "priority",
            label: "Priority",
            help: "Priority of an ordinary message: -2 (none), -1 (quiet), 0 (normal), 1 (high) or 2 (emergency, repeated until acknowledged; needs retry and expire). Critical alerts are raised to at least 1; recoveries are sent at no more than 0.",
            field_type: FieldType::Integer { min: -2, max: 2 },
            secret: false,
            required: false,
            default: Some(DefaultValue::Int(DEFAULT_PRIORITY)),
        },
        FieldSpec {
            name: "retry",
            label: "Retry every (seconds)",
            help: "For priority 2: how often Pushover repeats the alert until someone acknowledges it, at least 30 seconds.",
            field_type: FieldType::Integer {
                min: 30,
                max: 10_800,
            },
            secret: false,
            required: false,
            default: None,
        },
        FieldSpec {
            name: "expire",
            label: "Stop after (seconds)",
            help: "For priority 2: when Pushover stops repeating an unacknowledged alert, 1 to 10800 seconds.",
            field_type: FieldType::Integer {
                min: 1,
                max: 10_800,
            },
            secret: false,
            required: false,
            default: None,
        },
        FieldSpec {
            name: "sound",
            label: "Sound",
            help: "A Pushover sound name such as pushover, siren or none; the user's default when left empty.",
            field_type: FieldType::String,
            secret: false,
            required: false,
            default: None,
        },
        FieldSpec {
            name: "device",
            label: "Devices",
            help: "Send only to these of the user's devices, comma-separated; all of them when left empty.",
            field_type: FieldType::String,
            secret: false,
            required: false,
            default: None,
        },
        common::api_base_field(
            "Pushover's API, https://api.pushover.net unless you go through a proxy.",
        ),
        FieldSpec {
            name: "user_key",
            label: "User key",
            help: "Your user key (or a group key) from the Pushover dashboard.",
            field_type: FieldType::String,
            secret: true,
            required: true,
            default: None,
        },
        FieldSpec {
            name: "api_token",
            label: "API token",
            help: "The API token of a Pushover application you created for Tocsin.",
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

fn priority_from_text(text: &str) -> Option<i64> {
    let n = match text.trim().to_ascii_lowercase().as_str() {
        "-2" | "low" | "lowest" => -2,
        "-1" | "moderate" | "quiet" => -1,
        "0" | "normal" => 0,
        "1" | "high" => 1,
        "2" | "emergency" => 2,
        _ => return None,
    };
    Some(n)
}

/// The priority a message of `severity` gets on a channel whose ordinary priority is `base`.
/// Critical alerts bypass quiet hours; recoveries never demand an acknowledgement.
fn priority_for(base: i64, severity: Severity) -> i64 {
    match severity {
        Severity::Critical => base.max(HIGH),
        Severity::Ok => base.min(DEFAULT_PRIORITY),
        Severity::Info | Severity::Warning => base,
    }
}

fn valid_name(text: &str, max: usize) -> bool {
    (1..=max).contains(&text.len())
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

fn devices(config: &ChannelConfig) -> Vec<&str> {
    setting(config, "device")
        .unwrap_or_default()
        .split(',')
        .map(str::trim)
        .filter(|d| !d.is_empty())
        .collect()
}

fn check_key(config: &ChannelConfig, name: &str, what: &str) -> Result<(), FieldError> {
    let key = common::required_secret(config, name)?;
    if key.bytes().all(|b| b.is_ascii_alphanumeric()) {
        Ok(())
    } else {
        Err(FieldError::new(
            format!("secrets.{name}"),
            format!("must be the {what} from pushover.net: letters and digits only"),
        ))
    }
}

fn check(config: &ChannelConfig) -> Result<(), FieldError> {
    check_key(config, "user_key", "user or group key")?;
    check_key(config, "api_token", "application's API token")?;
    if int_setting(config, "priority") == Some(EMERGENCY) {
        for (name, what) in [
            (
                "retry",
                "how often, in seconds (at least 30), to repeat the alert",
            ),
            ("expire", "after how many seconds (up to 10800) to stop"),
        ] {
            if int_setting(config, name).is_none() {
                return Err(FieldError::new(
                    format!("settings.{name}"),
                    format!("is required with priority 2 (emergency): {what}"),
                ));
            }
        }
    }
    if let Some(sound) = setting(config, "sound")
        && !valid_name(sound, 64)
    {
        return Err(FieldError::new(
            "settings.sound",
            "must be a Pushover sound name such as pushover, siren or none",
        ));
    }
    for device in devices(config) {
        if !valid_name(device, 25) {
            return Err(FieldError::new(
                "settings.device",
                format!(
                    "`{device}` is not a Pushover device name: up to 25 letters, digits, `_` or `-`, several separated by commas"
                ),
            ));
        }
    }
    Ok(())
}

/// The message: the event's text with its source labels below, at most `max` characters.
fn message_text(event: &Event, max: usize) -> String {
    if event.message.trim().is_empty() && event.source.is_empty() {
        // Pushover requires a message; a title-only event repeats its title.
        return common::truncate(common::title(event), max);
    }
    common::message_and_labels(event, max, Counted::Chars)
}

/// Pushover's own words: the `errors` list of its answer.
fn errors(body: Option<&Value>) -> Option<String> {
    let list = body?.get("errors")?.as_array()?;
    let words: Vec<&str> = list.iter().filter_map(Value::as_str).collect();
    (!words.is_empty()).then(|| words.join("; "))
}

impl Provider for Pushover {
    fn schema(&self) -> &'static KindSchema {
        &SCHEMA
    }

    fn prepare(&self, config: &mut ChannelConfig) -> Result<(), FieldError> {
        check(config)
    }

    fn parse_url(&self, url: &url::Url) -> Result<ChannelConfig, FieldError> {
        if url.scheme() != "pover" {
            return Err(FieldError::new(
                "url",
                format!(
                    "`{}://` is not a Pushover URL; use pover://user_key@api_token",
                    url.scheme()
                ),
            ));
        }
        let user = common::decode(url.username());
        let token = common::decode(url.host_str().unwrap_or_default());
        if user.is_empty() || token.is_empty() {
            return Err(FieldError::new(
                "url",
                "needs the user key and the API token, like pover://user_key@api_token",
            ));
        }
        if url.password().is_some() {
            return Err(FieldError::new(
                "url",
                "takes the user key before `@` and the API token after it, like pover://user_key@api_token",
            ));
        }
        let mut segments = common::path_segments(url);
        if let Some(group) = url.fragment().filter(|f| !f.is_empty()) {
            segments.push(format!("#{group}"));
        }
        if segments.iter().any(|s| s.starts_with('#')) {
            return Err(FieldError::new(
                "url",
                "a channel sends to one user or group: put the group key before `@`, like pover://group_key@api_token",
            ));
        }
        let mut settings = Map::new();
        if !segments.is_empty() {
            settings.insert("device".into(), Value::String(segments.join(",")));
        }
        for (key, value) in common::query_pairs(url) {
            match key.as_str() {
                "priority" => {
                    let n = priority_from_text(&value).ok_or_else(|| {
                        FieldError::new(
                            "url",
                            format!(
                                "priority `{value}` is not -2 to 2 nor one of low, moderate, normal, high, emergency"
                            ),
                        )
                    })?;
                    settings.insert("priority".into(), Value::from(n));
                }
                "retry" | "interval" | "expire" => {
                    let n: i64 = value.trim().parse().map_err(|_| {
                        FieldError::new("url", format!("{key} `{value}` is not a whole number"))
                    })?;
                    let name = if key == "expire" { "expire" } else { "retry" };
                    settings.insert(name.into(), Value::from(n));
                }
                "sound" => {
                    settings.insert("sound".into(), Value::String(value));
                }
                "to" => {
                    settings.insert("device".into(), Value::String(value));
                }
                "api_base" => {
                    settings.insert("api_base".into(), Value::String(value));
                }
                k if IGNORED_OPTIONS.contains(&k) => {}
                _ => {
                    return Err(FieldError::new(
                        "url",
                        format!(
                            "has an option Tocsin's Pushover channel does not support: `{key}`"
                        ),
                    ));
                }
            }
        }
        let mut secrets = Secrets::new();
        secrets.insert("user_key", user);
        secrets.insert("api_token", token);
        Ok(ChannelConfig { settings, secrets })
    }

    fn to_url(&self, config: &ChannelConfig, reveal: bool) -> String {
        let user = shown(
            config.secrets.expose("user_key").unwrap_or_default(),
            reveal,
        );
        let token = shown(
            config.secrets.expose("api_token").unwrap_or_default(),
            reveal,
        );
        let path: String = devices(config)
            .iter()
            .map(|d| format!("/{}", encode_segment(d)))
            .collect();
        let mut query = vec![(
            "priority".to_owned(),
            int_setting(config, "priority")
                .unwrap_or(DEFAULT_PRIORITY)
                .to_string(),
        )];
        for name in ["retry", "expire"] {
            if let Some(n) = int_setting(config, name) {
                query.push((name.to_owned(), n.to_string()));
            }
        }
        for name in ["sound", "api_base"] {
            if let Some(value) = setting(config, name) {
                query.push((name.to_owned(), value.to_owned()));
            }
        }
        format!(
            "pover://{user}@{token}{path}?{}",
            common::query_string(&query)
        )
    }

    fn render(
        &self,
        config: &ChannelConfig,
        message: &Message<'_>,
    ) -> Result<Outbound, FieldError> {
        let event = message.event;
        let token = common::required_secret(config, "api_token")?;
        let user = common::required_secret(config, "user_key")?;
        let base = int_setting(config, "priority").unwrap_or(DEFAULT_PRIORITY);
        let priority = priority_for(base, event.severity);
        let title = common::truncate(common::title(event), MAX_TITLE_CHARS);
        let text = message_text(event, MAX_MESSAGE_CHARS);
        let priority_text = priority.to_string();
        let timestamp = event.occurred_at.div_euclid(1000).to_string();
        let mut pairs: Vec<(&str, String)> = vec![
            ("token", token.to_owned()),
            ("user", user.to_owned()),
            ("title", title),
            ("message", text),
            ("priority", priority_text),
        ];
        if priority == EMERGENCY {
            for name in ["retry", "expire"] {
                let n = int_setting(config, name).ok_or_else(|| {
                    FieldError::new(
                        format!("settings.{name}"),
                        "is required with priority 2 (emergency)",
                    )
                })?;
                pairs.push((name, n.to_string()));
            }
        }
        if let Some(sound) = setting(config, "sound") {
            pairs.push(("sound", sound.to_owned()));
        }
        let devices = devices(config);
        if !devices.is_empty() {
            pairs.push(("device", devices.join(",")));
        }
        // A longer link would be refused; the message is still worth sending without it.
        if let Some(link) = event.link().filter(|l| l.chars().count() <= MAX_URL_CHARS) {
            pairs.push(("url", link.to_owned()));
            pairs.push(("url_title", URL_TITLE.to_owned()));
        }
        pairs.push(("timestamp", timestamp));
        let pairs: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let base_url = common::api_base(config, DEFAULT_API_BASE);
        Ok(Outbound::Http(common::form_request(
            format!("{base_url}/1/messages.json"),
            Vec::new(),
            &pairs,
        )))
    }

    fn classify(&self, response: &HttpResponse) -> Outcome {
        let status = response.status;
        let body = json_body(response);
        let words = errors(body.as_ref());
        if (200..300).contains(&status) {
            // Pushover can refuse a message with a 200 whose `status` is not 1.
            let refused = body
                .as_ref()
                .and_then(|b| b.get("status"))
                .and_then(Value::as_i64)
                .is_some_and(|s| s != 1);
            return if refused {
                Outcome::failed(format!(
                    "Pushover {status}: {}",
                    words.unwrap_or_else(|| common::body_text(response))
                ))
            } else {
                Outcome::Delivered
            };
        }
        let reason = match words {
            Some(words) => format!("Pushover {status}: {words}"),
            None if status == 429 => {
                "Pushover 429: the application's monthly message quota is used up".to_owned()
            }
            None => format!("Pushover {}", describe(response)),
        };
        match status {
            // The monthly quota is gone until `X-Limit-App-Reset`.
            429 => Outcome::Retry {
                reason,
                after: until_reset(response, "x-limit-app-reset").or_else(|| retry_after(response)),
            },
            500.. => Outcome::Retry {
                reason,
                after: Some(
                    retry_after(response)
                        .map_or(SERVER_ERROR_BACKOFF, |d| d.max(SERVER_ERROR_BACKOFF)),
                ),
            },
            // Pushover asks that no 4xx be retried (repeated ones get the address blocked),
            // 408 included.
            _ => Outcome::Failed { reason },
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::classify::http_date;
    use crate::testing::{self, configure, render, response, sample_event, url_round_trip};

    const USER: &str = "uQiRzpo4DXghDmr9QzzfQu27cmVRsG";
    const TOKEN: &str = "azGDORePK8gMaC0QOYAMyEEuzJnyUi";

    fn channel(settings: Value) -> ChannelConfig {
        configure(
            &Pushover,
            settings,
            json!({"user_key": USER, "api_token": TOKEN}),
        )
        .unwrap()
    }

    fn form(request: &tocsin_core::outbound::HttpRequest) -> Vec<(String, String)> {
        url::form_urlencoded::parse(&request.body)
            .into_owned()
            .collect()
    }

    fn field(request: &tocsin_core::outbound::HttpRequest, name: &str) -> Option<String> {
        form(request)
            .into_iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v)
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
    fn renders_the_sample_event_as_a_form() {
        let request = render(&Pushover, &channel(json!({})), &sample_event());
        insta::assert_json_snapshot!("pushover_sample", testing::snapshot(&request));
    }

    #[test]
    fn renders_an_emergency_with_retry_expire_sound_and_devices() {
        let config = channel(json!({"priority": 2, "retry": 60, "expire": 3600,
            "sound": "siren", "device": "phone, tablet", "api_base": "http://127.0.0.1:9000/"}));
        let request = render(&Pushover, &config, &sample_event());
        insta::assert_json_snapshot!("pushover_emergency", testing::snapshot(&request));
    }

    #[test]
    fn recoveries_never_demand_an_acknowledgement() {
        let config = channel(json!({"priority": 2, "retry": 60, "expire": 3600}));
        let request = render(&Pushover, &config, &testing::recovery_event());
        assert_eq!(field(&request, "priority").as_deref(), Some("0"));
        assert_eq!(field(&request, "retry"), None);
        assert_eq!(field(&request, "expire"), None);
        assert_eq!(field(&request, "url"), None);
    }

    #[test]
    fn raises_critical_alerts_to_high() {
        assert_eq!(priority_for(0, Severity::Critical), 1);
        assert_eq!(priority_for(-1, Severity::Critical), 1);
        assert_eq!(priority_for(2, Severity::Critical), 2);
        assert_eq!(priority_for(-1, Severity::Warning), -1);
        assert_eq!(priority_for(1, Severity::Ok), 0);
        assert_eq!(priority_for(-2, Severity::Ok), -2);
    }

    #[test]
    fn sends_plain_text_unescaped() {
        let request = render(&Pushover, &channel(json!({})), &sample_event());
        assert_eq!(
            field(&request, "title").as_deref(),
            Some("Deploy failed: api <prod>")
        );
        assert!(
            field(&request, "message")
                .unwrap()
                .starts_with("Build \"api\" broke at step 3 & stopped.\nSee the log.")
        );
        assert_eq!(field(&request, "html"), None);
    }

    #[test]
    fn keeps_a_long_event_within_pushovers_limits() {
        let mut event = long_event();
        event.data = json!({"url": format!("https://ci.example.com/{}", "x".repeat(600))});
        let request = render(&Pushover, &channel(json!({})), &event);
        let message = field(&request, "message").unwrap();
        assert!(message.chars().count() <= MAX_MESSAGE_CHARS);
        assert!(message.ends_with("project: shop"), "the labels stay");
        assert!(field(&request, "title").unwrap().chars().count() <= MAX_TITLE_CHARS);
        assert_eq!(
            field(&request, "url"),
            None,
            "an over-long link is left out"
        );
    }

    #[test]
    fn delivers_on_status_1() {
        let ok = response(
            200,
            &[("X-Limit-App-Remaining", "7496")],
            r#"{"status":1,"request":"647d2300-702c-4b38-8b2f-d56326ae460b"}"#,
        );
        assert_eq!(Pushover.classify(&ok), Outcome::Delivered);
        let emergency = response(
            200,
            &[],
            r#"{"status":1,"request":"647d2300-702c-4b38-8b2f-d56326ae460b","receipt":"rLqVuqTRh62UzxtmqiaLzQmVcPgiCy"}"#,
        );
        assert_eq!(Pushover.classify(&emergency), Outcome::Delivered);
    }

    #[test]
    fn fails_on_status_0_with_pushovers_errors() {
        let bad_user = response(
            400,
            &[],
            r#"{"user":"invalid","errors":["user identifier is not a valid user, group, or subscribed user key"],"status":0,"request":"5042853c-402d-4a18-abcb-168734a801de"}"#,
        );
        assert_eq!(
            Pushover.classify(&bad_user),
            Outcome::failed(
                "Pushover 400: user identifier is not a valid user, group, or subscribed user key"
            )
        );
        let two = response(
            400,
            &[],
            r#"{"token":"invalid","message":"cannot be blank","errors":["application token is invalid","message cannot be blank"],"status":0,"request":"x"}"#,
        );
        assert_eq!(
            Pushover.classify(&two),
            Outcome::failed("Pushover 400: application token is invalid; message cannot be blank")
        );
        let refused_with_200 = response(
            200,
            &[],
            r#"{"errors":["retry is invalid"],"status":0,"request":"x"}"#,
        );
        assert_eq!(
            Pushover.classify(&refused_with_200),
            Outcome::failed("Pushover 200: retry is invalid")
        );
        assert_eq!(
            Pushover.classify(&response(408, &[], "")),
            Outcome::failed("Pushover HTTP 408")
        );
    }

    #[test]
    fn retries_a_spent_quota_when_it_resets() {
        let quota = response(
            429,
            &[
                ("Date", "Mon, 23 Nov 2026 10:00:05 GMT"),
                ("X-Limit-App-Limit", "10000"),
                ("X-Limit-App-Remaining", "0"),
                ("X-Limit-App-Reset", "1796083200"),
            ],
            r#"{"errors":["application has exceeded its monthly message limit"],"status":0,"request":"x"}"#,
        );
        assert_eq!(
            Pushover.classify(&quota),
            Outcome::Retry {
                reason: "Pushover 429: application has exceeded its monthly message limit".into(),
                after: Some(Duration::from_secs(1_796_083_200 - 1_795_428_005))
            }
        );
        assert_eq!(
            Pushover.classify(&response(429, &[], "")),
            Outcome::Retry {
                reason: "Pushover 429: the application's monthly message quota is used up".into(),
                after: None
            }
        );
    }

    #[test]
    fn retries_server_errors_no_sooner_than_5_seconds() {
        assert_eq!(
            Pushover.classify(&response(500, &[], "Internal Server Error")),
            Outcome::Retry {
                reason: "Pushover HTTP 500: Internal Server Error".into(),
                after: Some(Duration::from_secs(5))
            }
        );
        assert_eq!(
            Pushover.classify(&response(503, &[("Retry-After", "60")], "")),
            Outcome::Retry {
                reason: "Pushover HTTP 503".into(),
                after: Some(Duration::from_secs(60))
            }
        );
    }

    #[test]
    fn reads_http_dates() {
        assert_eq!(
            http_date("Sun, 06 Nov 1994 08:49:37 GMT"),
            Some(784_111_777)
        );
        assert_eq!(
            http_date("Mon, 23 Nov 2026 10:00:05 GMT"),
            Some(1_795_428_005)
        );
        assert_eq!(
            http_date("Sat, 29 Feb 2020 00:00:00 GMT"),
            Some(1_582_934_400)
        );
        assert_eq!(http_date("yesterday"), None);
    }

    #[test]
    fn round_trips_the_apprise_url() {
        let text = format!(
            "pover://{USER}@{TOKEN}/phone/tablet?priority=emergency&interval=60&expire=3600&sound=siren"
        );
        let (config, printed) = url_round_trip(&Pushover, &text);
        assert_eq!(int_setting(&config, "priority"), Some(2));
        assert_eq!(int_setting(&config, "retry"), Some(60));
        assert_eq!(int_setting(&config, "expire"), Some(3600));
        assert_eq!(config.str_setting("device"), Some("phone,tablet"));
        assert_eq!(config.secrets.expose("user_key"), Some(USER));
        assert_eq!(config.secrets.expose("api_token"), Some(TOKEN));
        assert_eq!(
            printed,
            format!(
                "pover://{USER}@{TOKEN}/phone/tablet?priority=2&retry=60&expire=3600&sound=siren"
            )
        );
        assert_eq!(url_round_trip(&Pushover, &printed).0, config);
        let masked = Pushover.to_url(&config, false);
        assert!(
            masked.starts_with("pover://***@***/phone/tablet?"),
            "{masked}"
        );
        assert!(!masked.contains(USER) && !masked.contains(TOKEN));
    }

    #[test]
    fn round_trips_an_api_base() {
        let text = format!("pover://{USER}@{TOKEN}?api_base=http%3A%2F%2F127.0.0.1%3A9000");
        let (config, printed) = url_round_trip(&Pushover, &text);
        assert_eq!(
            config.str_setting("api_base"),
            Some("http://127.0.0.1:9000")
        );
        assert_eq!(int_setting(&config, "priority"), Some(0));
        assert_eq!(url_round_trip(&Pushover, &printed).0, config);
    }

    #[test]
    fn refuses_malformed_urls() {
        let cases = [
            (format!("pover://{TOKEN}"), "user key and the API token"),
            (format!("pover://{USER}:x@{TOKEN}"), "before `@`"),
            (
                format!("pover://{USER}@{TOKEN}/%23group"),
                "one user or group",
            ),
            (format!("pover://{USER}@{TOKEN}?priority=3"), "priority `3`"),
            (
                format!("pover://{USER}@{TOKEN}?expire=soon"),
                "expire `soon`",
            ),
            (format!("pover://{USER}@{TOKEN}?url_title=x"), "`url_title`"),
            (
                "https://api.pushover.net/1/messages.json".to_owned(),
                "pover://",
            ),
        ];
        for (text, words) in cases {
            let url = url::Url::parse(&text).unwrap();
            let err = Pushover.parse_url(&url).expect_err(&text);
            assert_eq!(err.field, "url", "{text}");
            assert!(err.message.contains(words), "{text}: {err}");
        }
    }

    #[test]
    fn names_the_wrong_field() {
        let keys = json!({"user_key": USER, "api_token": TOKEN});
        let cases = [
            (json!({}), json!({"api_token": TOKEN}), "secrets.user_key"),
            (json!({}), json!({"user_key": USER}), "secrets.api_token"),
            (json!({"priority": 3}), keys.clone(), "settings.priority"),
            (json!({"priority": -3}), keys.clone(), "settings.priority"),
            (json!({"priority": 2}), keys.clone(), "settings.retry"),
            (
                json!({"priority": 2, "retry": 60}),
                keys.clone(),
                "settings.expire",
            ),
            (json!({"retry": 10}), keys.clone(), "settings.retry"),
            (json!({"expire": 0}), keys.clone(), "settings.expire"),
            (json!({"expire": 10_801}), keys.clone(), "settings.expire"),
            (json!({"sound": "air horn"}), keys.clone(), "settings.sound"),
            (
                json!({"device": "phone,my phone"}),
                keys.clone(),
                "settings.device",
            ),
            (
                json!({"api_base": "api.pushover.net"}),
                keys.clone(),
                "settings.api_base",
            ),
            (json!({"html": 1}), keys.clone(), "settings.html"),
            (
                json!({}),
                json!({"user_key": "not a key", "api_token": TOKEN}),
                "secrets.user_key",
            ),
        ];
        for (settings, secrets, field) in cases {
            let err = configure(&Pushover, settings.clone(), secrets).expect_err(field);
            assert_eq!(err.field, field, "{settings}: {err}");
        }
    }
}
