//! The `resend` kind: the email of [`crate::mail`] posted as JSON to Resend's `/emails`
//! with a bearer API key, the delivery id as its `Idempotency-Key` so that a retry after a
//! lost answer does not send the email twice.
//!
//! URL form: Apprise's `resend://api_key:sender_name@sender.domain/to1@x.com/to2@y.com`
//! (the sender address split around the `@` of the URL), with `cc`, `bcc`, `reply`, `from`
//! (a sender with a display name), `name`, `subject_prefix` and `api_base` as query
//! options. `resend://api_key@sender@domain/…` is read too.

use std::time::Duration;

use serde_json::{Map, Value, json};
use tocsin_core::FieldError;
use tocsin_core::channel::{ChannelConfig, Secrets};
use tocsin_core::outbound::{HttpResponse, Outcome};

use crate::classify::{describe, retry_after};
use crate::common::{self, encode_segment, json_body, setting, shown};
use crate::mail;
use crate::schema::{FieldSpec, FieldType, KindSchema};
use crate::{Message, Outbound, Provider};

pub struct Resend;

const DEFAULT_API_BASE: &str = "https://api.resend.com";

/// Resend takes at most this many `to` addresses in one email.
const MAX_TO: usize = 50;
const MAX_PREFIX_CHARS: usize = 100;
/// Resend takes an `Idempotency-Key` of 1 to 256 characters.
const MAX_IDEMPOTENCY_KEY: usize = 256;

/// How long to wait after a spent daily quota when Resend does not say: the quota is
/// counted over the last 24 hours, so some room comes back within the hour.
const DAILY_QUOTA_BACKOFF: Duration = Duration::from_secs(3_600);

pub static SCHEMA: KindSchema = KindSchema {
    kind: "resend",
    label: "Resend",
    description: "Email through Resend's API: a plain-text and an HTML part for each event.",
    url_schemes: &["resend"],
    fields: &[
        crate::common::PROFILE_FIELD,
        FieldSpec {
            name: "from",
            label: "From",
            help: "The sender, on a domain verified in Resend, like alerts@example.com or Alerts <alerts@example.com>; a bare address is shown with Tocsin's name.",
            field_type: FieldType::String,
            secret: false,
            required: true,
            default: None,
        },
        FieldSpec {
            name: "to",
            label: "To",
            help: "One to 50 recipients, separated by commas.",
            field_type: FieldType::String,
            secret: false,
            required: true,
            default: None,
        },
        FieldSpec {
            name: "cc",
            label: "Cc",
            help: "Recipients to copy, separated by commas.",
            field_type: FieldType::String,
            secret: false,
            required: false,
            default: None,
        },
        FieldSpec {
            name: "bcc",
            label: "Bcc",
            help: "Hidden recipients, separated by commas.",
            field_type: FieldType::String,
            secret: false,
            required: false,
            default: None,
        },
        FieldSpec {
            name: "reply_to",
            label: "Reply-To",
            help: "Where replies go, when not to the sender; several separated by commas.",
            field_type: FieldType::String,
            secret: false,
            required: false,
            default: None,
        },
        FieldSpec {
            name: "subject_prefix",
            label: "Subject prefix",
            help: "Put before every subject, like [prod].",
            field_type: FieldType::String,
            secret: false,
            required: false,
            default: None,
        },
        common::api_base_field(
            "Resend's API, https://api.resend.com unless you go through a proxy.",
        ),
        FieldSpec {
            name: "api_key",
            label: "API key",
            help: "An API key (re_…) from resend.com/api-keys with at least sending access.",
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

fn list(config: &ChannelConfig, name: &str, required: bool) -> Result<Vec<String>, FieldError> {
    mail::mailbox_list(
        &format!("settings.{name}"),
        setting(config, name).unwrap_or_default(),
        required,
    )
}

fn check(config: &ChannelConfig) -> Result<(), FieldError> {
    let key = common::required_secret(config, "api_key")?;
    if key.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(FieldError::new(
            "secrets.api_key",
            "must be the API key from resend.com/api-keys (re_…), without spaces",
        ));
    }
    mail::check_mailbox("settings.from", common::required_setting(config, "from")?)?;
    if list(config, "to", true)?.len() > MAX_TO {
        return Err(FieldError::new(
            "settings.to",
            format!("has more than {MAX_TO} addresses, the most Resend takes in one email"),
        ));
    }
    for name in ["cc", "bcc", "reply_to"] {
        list(config, name, false)?;
    }
    if let Some(prefix) = setting(config, "subject_prefix") {
        if prefix.chars().any(char::is_control) {
            return Err(FieldError::new(
                "settings.subject_prefix",
                "must be one line, like [prod]",
            ));
        }
        if prefix.chars().count() > MAX_PREFIX_CHARS {
            return Err(FieldError::new(
                "settings.subject_prefix",
                format!("must be at most {MAX_PREFIX_CHARS} characters"),
            ));
        }
    }
    if let Some(base) = setting(config, "api_base") {
        common::http_url(
            base,
            "settings.api_base",
            "must be an http:// or https:// URL, like https://api.resend.com",
        )?;
    }
    Ok(())
}

/// Resend's error answer: `{"statusCode", "name", "message"}`.
struct ResendError {
    name: Option<String>,
    message: Option<String>,
}

fn error_of(response: &HttpResponse) -> ResendError {
    let body = json_body(response);
    let text = |key: &str| {
        body.as_ref()
            .and_then(|b| b.get(key))
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
    };
    ResendError {
        name: text("name"),
        message: text("message"),
    }
}

/// `Resend 422 validation_error: Invalid `to` field.`, or the status and body when the
/// answer is not Resend's.
fn reason(response: &HttpResponse, error: &ResendError) -> String {
    let status = response.status;
    match (&error.name, &error.message) {
        (Some(name), Some(message)) => format!("Resend {status} {name}: {message}"),
        (Some(name), None) => format!("Resend {status} {name}"),
        (None, Some(message)) => format!("Resend {status}: {message}"),
        (None, None) => format!("Resend {}", describe(response)),
    }
}

/// Resend's `ratelimit-reset`: seconds until the limit's window starts again.
fn ratelimit_reset(response: &HttpResponse) -> Option<Duration> {
    let secs: f64 = response.header("ratelimit-reset")?.trim().parse().ok()?;
    (secs.is_finite() && secs >= 0.0).then(|| Duration::from_secs_f64(secs))
}

/// The from address split for the URL form: `local` and `domain` of its address.
fn split_address(mailbox: &str) -> (&str, &str) {
    mail::address_of(mailbox)
        .rsplit_once('@')
        .unwrap_or((mail::address_of(mailbox), ""))
}

/// A path segment or query value as readable as it stays unambiguous: `@` (and `,` in
/// query values) are left as they are.
fn readable(text: &str) -> String {
    encode_segment(text).replace("%40", "@").replace("%2C", ",")
}

fn url_error(message: impl Into<String>) -> FieldError {
    FieldError::new("url", message)
}

/// The API key and the sender from the URL's authority: `key:local@domain` (Apprise),
/// `key@local@domain`, or the same after `resend:///`.
fn key_and_sender(url: &url::Url) -> Result<(String, String, Vec<String>), FieldError> {
    let host = common::decode(url.host_str().unwrap_or_default());
    let mut segments = common::path_segments(url);
    let (key, local, domain) = if host.is_empty() {
        // `resend:///key:local@domain/…`: the authority came as the first path segment.
        if segments.is_empty() {
            return Err(url_error(
                "needs the API key and the sender, like resend://re_123:alerts@example.com/you@example.com",
            ));
        }
        let first = segments.remove(0);
        let (key, sender) = first
            .split_once(':')
            .or_else(|| first.split_once('@'))
            .unwrap_or((first.as_str(), ""));
        let (local, domain) = sender.rsplit_once('@').unwrap_or((sender, ""));
        (key.to_owned(), local.to_owned(), domain.to_owned())
    } else {
        let user = common::decode(url.username());
        match url.password() {
            Some(local) => (user, common::decode(local), host),
            None => match user.split_once('@') {
                Some((key, local)) => (key.to_owned(), local.to_owned(), host),
                None => (user, String::new(), host),
            },
        }
    };
    if key.is_empty() {
        return Err(url_error(
            "needs the API key before the sender, like resend://re_123:alerts@example.com",
        ));
    }
    let sender = if local.is_empty() || domain.is_empty() {
        String::new()
    } else {
        format!("{local}@{domain}")
    };
    Ok((key, sender, segments))
}

fn normalised_list(text: &str) -> String {
    match mail::mailbox_list("url", text, false) {
        Ok(list) => list.join(", "),
        Err(_) => text.to_owned(),
    }
}

impl Provider for Resend {
    fn schema(&self) -> &'static KindSchema {
        &SCHEMA
    }

    /// The account and the sender; a channel then needs only recipients.
    fn profile_fields(&self) -> &'static [&'static str] {
        &["api_key", "from", "reply_to", "api_base"]
    }

    fn prepare(&self, config: &mut ChannelConfig) -> Result<(), FieldError> {
        check(config)
    }

    fn parse_url(&self, url: &url::Url) -> Result<ChannelConfig, FieldError> {
        if url.scheme() != "resend" {
            return Err(url_error(format!(
                "`{}://` is not a Resend URL; use resend://re_123:alerts@example.com/you@example.com",
                url.scheme()
            )));
        }
        let (key, sender, mut to) = key_and_sender(url)?;
        let (mut from, mut name) = (None, None);
        let mut settings = Map::new();
        for (key, value) in common::query_pairs(url) {
            match key.as_str() {
                "to" => to.push(value),
                "from" => from = Some(value),
                "name" => name = Some(value),
                "cc" | "bcc" => {
                    settings.insert(key, Value::String(normalised_list(&value)));
                }
                "reply" | "reply_to" => {
                    settings.insert("reply_to".into(), Value::String(normalised_list(&value)));
                }
                "subject_prefix" | "api_base" => {
                    settings.insert(key, Value::String(value));
                }
                k if IGNORED_OPTIONS.contains(&k) => {}
                _ => {
                    return Err(url_error(format!(
                        "has an option Tocsin's Resend channel does not support: `{key}`"
                    )));
                }
            }
        }
        // Apprise's rule: `from=` wins over the sender of the authority, `name=` names it.
        let from = from.unwrap_or(sender);
        if from.is_empty() {
            return Err(url_error(
                "needs the sender, like resend://re_123:alerts@example.com (alerts@example.com sends)",
            ));
        }
        let from = match name {
            Some(name) => mail::with_display_name(&from, &name),
            None => from,
        };
        // Apprise sends to the sender when no recipient is named.
        let to = if to.is_empty() {
            mail::address_of(&from).to_owned()
        } else {
            normalised_list(&to.join(","))
        };
        settings.insert("from".into(), Value::String(from));
        settings.insert("to".into(), Value::String(to));
        let mut secrets = Secrets::new();
        secrets.insert("api_key", key);
        Ok(ChannelConfig { settings, secrets })
    }

    fn to_url(&self, config: &ChannelConfig, reveal: bool) -> String {
        let key = shown(config.secrets.expose("api_key").unwrap_or_default(), reveal);
        let from = setting(config, "from").unwrap_or_default().trim();
        let (local, domain) = split_address(from);
        let path: String =
            mail::mailbox_list("to", setting(config, "to").unwrap_or_default(), false)
                .unwrap_or_default()
                .iter()
                .map(|m| format!("/{}", readable(m)))
                .collect();
        let mut query = Vec::new();
        if from != mail::address_of(from) {
            query.push(format!("from={}", readable(from)));
        }
        for (key, name) in [("cc", "cc"), ("bcc", "bcc"), ("reply", "reply_to")] {
            if let Some(value) = setting(config, name) {
                let list = mail::mailbox_list(name, value, false).unwrap_or_default();
                query.push(format!("{key}={}", readable(&list.join(","))));
            }
        }
        for name in ["subject_prefix", "api_base"] {
            if let Some(value) = setting(config, name) {
                query.push(format!("{name}={}", readable(value)));
            }
        }
        let query = if query.is_empty() {
            String::new()
        } else {
            format!("?{}", query.join("&"))
        };
        format!(
            "resend://{key}:{}@{}{path}{query}",
            encode_segment(local),
            encode_segment(domain)
        )
    }

    fn carries_attachments(&self, _config: &ChannelConfig) -> bool {
        true
    }

    fn render(
        &self,
        config: &ChannelConfig,
        message: &Message<'_>,
    ) -> Result<Outbound, FieldError> {
        check(config)?;
        let key = common::required_secret(config, "api_key")?;
        let from = common::required_setting(config, "from")?;
        let (to, cc, bcc) = mail::distinct_recipients(
            list(config, "to", true)?,
            list(config, "cc", false)?,
            list(config, "bcc", false)?,
        );
        let reply_to = list(config, "reply_to", false)?;
        let composed = mail::compose(message.event, message.identity);
        let mut body = json!({
            "from": mail::with_display_name(from, &message.identity.name),
            "to": to,
            "subject": mail::prefixed_subject(setting(config, "subject_prefix"), &composed.subject),
            "html": composed.html,
            "text": composed.text,
        });
        for (name, value) in [("cc", cc), ("bcc", bcc), ("reply_to", reply_to)] {
            if !value.is_empty() {
                body[name] = json!(value);
            }
        }
        if !message.attachments.is_empty() {
            // Resend's attachments: the bytes in base64 (`content`).
            let files = message.attachments.iter().map(|a| {
                json!({"filename": a.filename, "content_type": a.mime,
                    "content": mail::base64(&a.data)})
            });
            body["attachments"] = Value::Array(files.collect());
        }
        let headers: Map<String, Value> = composed
            .headers
            .into_iter()
            .map(|(k, v)| (k, Value::String(v)))
            .collect();
        body["headers"] = Value::Object(headers);
        let mut request_headers = vec![("Authorization".to_owned(), format!("Bearer {key}"))];
        // Delivery ids are ULIDs, well inside Resend's limit; a longer key would be refused
        // with a 400, so it is left out rather than sent.
        if (1..=MAX_IDEMPOTENCY_KEY).contains(&message.delivery_id.chars().count()) {
            request_headers.push(("Idempotency-Key".into(), message.delivery_id.to_owned()));
        }
        let base = common::api_base(config, DEFAULT_API_BASE);
        Ok(Outbound::Http(common::json_request(
            "POST",
            format!("{base}/emails"),
            request_headers,
            &body,
        )))
    }

    fn classify(&self, response: &HttpResponse) -> Outcome {
        let status = response.status;
        if (200..300).contains(&status) {
            return Outcome::Delivered;
        }
        let error = error_of(response);
        let reason = reason(response, &error);
        match (status, error.name.as_deref()) {
            // The monthly quota comes back only with the next month or a bigger plan.
            (429, Some("monthly_quota_exceeded")) => Outcome::Failed { reason },
            (429, Some("daily_quota_exceeded")) => Outcome::Retry {
                reason,
                after: Some(retry_after(response).unwrap_or(DAILY_QUOTA_BACKOFF)),
            },
            (429, _) => Outcome::Retry {
                reason,
                after: retry_after(response).or_else(|| ratelimit_reset(response)),
            },
            // The first attempt with this idempotency key is still being handled: asking
            // again later gets its answer.
            (409, Some("concurrent_idempotent_requests")) => Outcome::Retry {
                reason,
                after: retry_after(response),
            },
            (408, _) | (500.., _) => Outcome::Retry {
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
    use tocsin_core::outbound::HttpRequest;

    use super::*;
    use crate::Identity;
    use crate::testing::{
        self, configure, recovery_event, render, render_as, response, sample_event, url_round_trip,
    };

    const KEY: &str = "re_123456789_abcdefghijklmnopqrstuv";

    fn channel(settings: Value) -> ChannelConfig {
        let mut all = json!({"from": "alerts@example.com", "to": "ops@example.com"});
        all.as_object_mut()
            .unwrap()
            .extend(settings.as_object().unwrap().clone());
        configure(&Resend, all, json!({"api_key": KEY})).unwrap()
    }

    fn body(request: &HttpRequest) -> Value {
        serde_json::from_slice(&request.body).unwrap()
    }

    #[test]
    fn renders_the_sample_event_as_an_email() {
        let config = channel(
            json!({"cc": "Lead <lead@example.com>", "bcc": "audit@example.com",
            "reply_to": "oncall@example.com", "subject_prefix": "[prod]"}),
        );
        let request = render(&Resend, &config, &sample_event());
        insta::assert_json_snapshot!("resend_sample", testing::snapshot(&request));
    }

    #[test]
    fn renders_a_recovery_to_an_api_base() {
        let config = channel(json!({"api_base": "http://127.0.0.1:9000/"}));
        let request = render(&Resend, &config, &recovery_event());
        insta::assert_json_snapshot!("resend_recovery", testing::snapshot(&request));
    }

    #[test]
    fn sends_the_key_and_an_idempotency_key() {
        let request = render(&Resend, &channel(json!({})), &sample_event());
        assert_eq!(request.method, "POST");
        assert_eq!(request.url, "https://api.resend.com/emails");
        assert_eq!(
            request.header("authorization"),
            Some(format!("Bearer {KEY}").as_str())
        );
        assert_eq!(
            request.header("idempotency-key"),
            Some(testing::DELIVERY_ID)
        );
        assert_eq!(request.header("content-type"), Some("application/json"));
        let body = body(&request);
        assert!(body.get("cc").is_none() && body.get("bcc").is_none());
        assert!(body.get("reply_to").is_none());
    }

    #[test]
    fn sends_attachments_in_base64_and_nothing_more() {
        let config = channel(json!({}));
        let files = testing::sample_attachments();
        let with = testing::render_attaching(
            &Resend,
            &config,
            &sample_event(),
            &Identity::default(),
            &files,
        );
        let mut got = body(&with);
        let attached = got.as_object_mut().unwrap().remove("attachments");
        assert_eq!(
            attached,
            Some(json!([
                {"filename": "backup.log", "content_type": "text/plain", "content": "ZG9uZQo="},
                {"filename": "dump.bin", "content_type": "application/octet-stream",
                 "content": mail::base64(&files[1].data)},
            ]))
        );
        // Apart from them, the request is the one without attachments.
        let without = render(&Resend, &config, &sample_event());
        assert_eq!(got, body(&without));
    }

    #[test]
    fn names_a_bare_sender_after_the_identity() {
        let identity = Identity {
            name: "Acme \"Alerts\"".into(),
            icon_url: None,
        };
        let request = render_as(&Resend, &channel(json!({})), &sample_event(), &identity);
        assert_eq!(
            body(&request)["from"],
            "\"Acme \\\"Alerts\\\"\" <alerts@example.com>"
        );
        let config = channel(json!({"from": "Ops <alerts@example.com>"}));
        let request = render_as(&Resend, &config, &sample_event(), &identity);
        assert_eq!(body(&request)["from"], "Ops <alerts@example.com>");
    }

    #[test]
    fn names_each_address_once() {
        // Resend refuses an email whose cc or bcc repeats another list's address.
        let config = channel(json!({"to": "a@x.com", "cc": "A@x.com, b@x.com, c@x.com",
            "bcc": "c@x.com"}));
        let body = body(&render(&Resend, &config, &sample_event()));
        assert_eq!(body["to"], json!(["a@x.com"]));
        assert_eq!(body["cc"], json!(["b@x.com"]));
        assert_eq!(body["bcc"], json!(["c@x.com"]));
    }

    #[test]
    fn hostile_event_text_is_escaped_and_the_subject_kept_on_one_line() {
        let mut event = sample_event();
        event.title = "a\r\nBcc: victim@example.com <script>".into();
        event.message = "<img src=x onerror=alert(1)>".into();
        let body = body(&render(&Resend, &channel(json!({})), &event));
        assert_eq!(
            body["subject"],
            "[CRITICAL] a Bcc: victim@example.com <script>"
        );
        let html = body["html"].as_str().unwrap();
        assert!(!html.contains("<script>") && !html.contains("<img"));
        assert!(html.contains("&lt;img src=x onerror=alert(1)&gt;"));
    }

    #[test]
    fn keeps_the_long_event_within_limits() {
        let mut event = sample_event();
        event.title = "T".repeat(1_024);
        event.message = "M".repeat(65_536);
        let body = body(&render(&Resend, &channel(json!({})), &event));
        assert_eq!(
            body["subject"].as_str().unwrap().chars().count(),
            mail::MAX_SUBJECT_CHARS
        );
    }

    #[test]
    fn delivers_on_an_id() {
        let ok = response(200, &[], r#"{"id":"49a3999c-0ce1-4ea6-ab68-afcd6dc2e794"}"#);
        assert_eq!(Resend.classify(&ok), Outcome::Delivered);
    }

    #[test]
    fn fails_on_validation_and_key_errors_with_resends_words() {
        let cases = [
            (
                422,
                r#"{"statusCode":422,"name":"validation_error","message":"Invalid `to` field. The email address needs to follow the `email@example.com` or `Name <email@example.com>` format."}"#,
                "Resend 422 validation_error: Invalid `to` field. The email address needs to follow the `email@example.com` or `Name <email@example.com>` format.",
            ),
            (
                400,
                r#"{"statusCode":400,"name":"validation_error","message":"We found an error with one or more fields in the request."}"#,
                "Resend 400 validation_error: We found an error with one or more fields in the request.",
            ),
            (
                401,
                r#"{"statusCode":401,"name":"missing_api_key","message":"Missing API key in the authorization header."}"#,
                "Resend 401 missing_api_key: Missing API key in the authorization header.",
            ),
            (
                403,
                r#"{"statusCode":403,"name":"invalid_api_key","message":"API key is invalid."}"#,
                "Resend 403 invalid_api_key: API key is invalid.",
            ),
            (
                403,
                r#"{"statusCode":403,"name":"validation_error","message":"You can only send testing emails to your own email address (you@example.com)."}"#,
                "Resend 403 validation_error: You can only send testing emails to your own email address (you@example.com).",
            ),
            (
                409,
                r#"{"statusCode":409,"name":"invalid_idempotent_request","message":"Same idempotency key used with a different request payload."}"#,
                "Resend 409 invalid_idempotent_request: Same idempotency key used with a different request payload.",
            ),
            (
                429,
                r#"{"statusCode":429,"name":"monthly_quota_exceeded","message":"You have reached your monthly email sending quota."}"#,
                "Resend 429 monthly_quota_exceeded: You have reached your monthly email sending quota.",
            ),
            (404, "not json", "Resend HTTP 404: not json"),
        ];
        for (status, answer, expected) in cases {
            assert_eq!(
                Resend.classify(&response(status, &[], answer)),
                Outcome::failed(expected),
                "{answer}"
            );
        }
    }

    #[test]
    fn retries_the_rate_limit_when_resend_says() {
        let body = r#"{"statusCode":429,"name":"rate_limit_exceeded","message":"Too many requests. You can only make 2 requests per second."}"#;
        let reason = "Resend 429 rate_limit_exceeded: Too many requests. You can only make 2 requests per second.";
        assert_eq!(
            Resend.classify(&response(
                429,
                &[("retry-after", "1"), ("ratelimit-reset", "3")],
                body
            )),
            Outcome::Retry {
                reason: reason.into(),
                after: Some(Duration::from_secs(1)),
            }
        );
        assert_eq!(
            Resend.classify(&response(429, &[("ratelimit-reset", "3")], body)),
            Outcome::Retry {
                reason: reason.into(),
                after: Some(Duration::from_secs(3)),
            }
        );
        assert_eq!(
            Resend.classify(&response(429, &[], body)),
            Outcome::Retry {
                reason: reason.into(),
                after: None,
            }
        );
    }

    #[test]
    fn retries_a_spent_daily_quota_later() {
        let body = r#"{"statusCode":429,"name":"daily_quota_exceeded","message":"You have reached your daily email sending quota."}"#;
        let reason =
            "Resend 429 daily_quota_exceeded: You have reached your daily email sending quota.";
        assert_eq!(
            Resend.classify(&response(429, &[], body)),
            Outcome::Retry {
                reason: reason.into(),
                after: Some(DAILY_QUOTA_BACKOFF),
            }
        );
        assert_eq!(
            Resend.classify(&response(429, &[("retry-after", "7200")], body)),
            Outcome::Retry {
                reason: reason.into(),
                after: Some(Duration::from_secs(7_200)),
            }
        );
    }

    #[test]
    fn retries_server_errors_and_a_concurrent_idempotent_request() {
        assert_eq!(
            Resend.classify(&response(
                500,
                &[],
                r#"{"statusCode":500,"name":"internal_server_error","message":"An unexpected error occurred."}"#
            )),
            Outcome::retry("Resend 500 internal_server_error: An unexpected error occurred.")
        );
        assert_eq!(
            Resend.classify(&response(502, &[("retry-after", "30")], "")),
            Outcome::Retry {
                reason: "Resend HTTP 502".into(),
                after: Some(Duration::from_secs(30)),
            }
        );
        assert_eq!(
            Resend.classify(&response(
                409,
                &[],
                r#"{"statusCode":409,"name":"concurrent_idempotent_requests","message":"Same idempotency key used while original request is still in progress."}"#
            )),
            Outcome::retry(
                "Resend 409 concurrent_idempotent_requests: Same idempotency key used while original request is still in progress."
            )
        );
    }

    #[test]
    fn apprise_url_round_trips() {
        let (config, printed) = url_round_trip(
            &Resend,
            &format!(
                "resend://{KEY}:alerts@example.com/ops@example.com/dev@example.com?cc=lead@example.com&bcc=audit@example.com&reply=oncall@example.com&format=html"
            ),
        );
        assert_eq!(config.secrets.expose("api_key"), Some(KEY));
        assert_eq!(config.settings["from"], "alerts@example.com");
        assert_eq!(config.settings["to"], "ops@example.com, dev@example.com");
        assert_eq!(config.settings["cc"], "lead@example.com");
        assert_eq!(config.settings["bcc"], "audit@example.com");
        assert_eq!(config.settings["reply_to"], "oncall@example.com");
        assert_eq!(
            printed,
            format!(
                "resend://{KEY}:alerts@example.com/ops@example.com/dev@example.com?cc=lead@example.com&bcc=audit@example.com&reply=oncall@example.com"
            )
        );
        assert_eq!(url_round_trip(&Resend, &printed).0, config);
        let masked = Resend.to_url(&config, false);
        assert!(masked.starts_with("resend://***:alerts@example.com/"));
        assert!(!masked.contains(KEY));
    }

    #[test]
    fn reads_the_other_spellings_of_the_sender() {
        for text in [
            format!("resend://{KEY}@alerts@example.com/ops@example.com"),
            format!("resend:///{KEY}:alerts@example.com/ops@example.com"),
            format!("resend://{KEY}:alerts@example.com?to=ops@example.com"),
        ] {
            let (config, _) = url_round_trip(&Resend, &text);
            assert_eq!(config, channel(json!({})), "{text}");
        }
        let (config, printed) = url_round_trip(
            &Resend,
            &format!(
                "resend://{KEY}:alerts@example.com?name=Ops%20Team&api_base=http://127.0.0.1:9000&subject_prefix=%5Bci%5D"
            ),
        );
        assert_eq!(config.settings["from"], "\"Ops Team\" <alerts@example.com>");
        assert_eq!(config.settings["to"], "alerts@example.com");
        assert_eq!(config.settings["api_base"], "http://127.0.0.1:9000");
        assert_eq!(config.settings["subject_prefix"], "[ci]");
        assert_eq!(url_round_trip(&Resend, &printed).0, config);
    }

    #[test]
    fn refuses_malformed_urls() {
        let cases = [
            ("resend://example.com", "API key"),
            ("resend://re_1@example.com", "needs the sender"),
            ("resend:///", "needs the API key"),
            ("resend://re_1:a@example.com?priority=1", "`priority`"),
            ("mailto://re_1:a@example.com", "not a Resend URL"),
        ];
        for (text, expected) in cases {
            let url = url::Url::parse(text).unwrap();
            let err = Resend.parse_url(&url).expect_err(text);
            assert_eq!(err.field, "url", "{text}");
            assert!(err.message.contains(expected), "{text}: {err}");
        }
    }

    #[test]
    fn names_the_field_in_each_schema_error() {
        let many: Vec<String> = (0..51).map(|n| format!("u{n}@example.com")).collect();
        let cases = [
            (
                json!({"to": "a@x.com"}),
                json!({"api_key": KEY}),
                "settings.from",
                "is required",
            ),
            (
                json!({"from": "a@x.com"}),
                json!({"api_key": KEY}),
                "settings.to",
                "is required",
            ),
            (
                json!({"from": "a@x.com", "to": "b@y.com"}),
                json!({}),
                "secrets.api_key",
                "is required",
            ),
            (
                json!({"from": "a@x.com", "to": "b@y.com"}),
                json!({"api_key": "re_1 2"}),
                "secrets.api_key",
                "without spaces",
            ),
            (
                json!({"from": "nope", "to": "b@y.com"}),
                json!({"api_key": KEY}),
                "settings.from",
                "`nope`",
            ),
            (
                json!({"from": "a@x.com", "to": many.join(",")}),
                json!({"api_key": KEY}),
                "settings.to",
                "more than 50",
            ),
            (
                json!({"from": "a@x.com", "to": "b@y.com", "cc": "c@"}),
                json!({"api_key": KEY}),
                "settings.cc",
                "`c@`",
            ),
            (
                json!({"from": "a@x.com", "to": "b@y.com", "reply_to": "r"}),
                json!({"api_key": KEY}),
                "settings.reply_to",
                "`r`",
            ),
            (
                json!({"from": "a@x.com", "to": "b@y.com", "subject_prefix": "a\nb"}),
                json!({"api_key": KEY}),
                "settings.subject_prefix",
                "one line",
            ),
            (
                json!({"from": "a@x.com", "to": "b@y.com", "api_base": "ftp://x"}),
                json!({"api_key": KEY}),
                "settings.api_base",
                "http",
            ),
            (
                json!({"from": "a@x.com", "to": "b@y.com", "api_key": KEY}),
                json!({}),
                "settings.api_key",
                "secret",
            ),
        ];
        for (settings, secrets, field, message) in cases {
            let err = configure(&Resend, settings.clone(), secrets).expect_err(field);
            assert_eq!(err.field, field, "{settings}: {err}");
            assert!(err.message.contains(message), "{settings}: {err}");
        }
    }

    #[test]
    fn a_sender_profile_holds_everything_but_the_recipients() {
        for name in Resend.profile_fields() {
            assert!(SCHEMA.field(name).is_some(), "{name}");
        }
        for name in ["to", "cc", "bcc"] {
            assert!(!Resend.profile_fields().contains(&name));
        }
    }
}
