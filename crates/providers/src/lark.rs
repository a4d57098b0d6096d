//! The `lark` kind: a Lark or Feishu group's custom bot webhook
//! (`POST https://open.larksuite.com/open-apis/bot/v2/hook/{token}`, or `open.feishu.cn` in
//! China). The message is an interactive card whose header colour shows the severity, with
//! every piece of event text as `plain_text` so that nothing in it can mention people or
//! inject markup. When the bot has "signature verification" on, each message carries
//! `timestamp` and `sign`. Lark answers errors with HTTP 200 and a non-zero `code`.
//!
//! URL forms: Apprise's `lark://{token}/` and `feishu://{token}/` (with `?secret=` for the
//! signing secret), the webhook URL itself, and `lark://?webhook=<URL>` for a webhook on any
//! other host (proxies, tests).

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde_json::{Map, Value, json};
use tocsin_core::FieldError;
use tocsin_core::channel::{ChannelConfig, Secrets};
use tocsin_core::event::{Event, Severity};
use tocsin_core::outbound::{HttpResponse, Outcome};
use tocsin_core::signing::SigningSecret;
use url::Url;

use crate::common::{self, chars_fitting, json_size};
use crate::schema::{FieldSpec, FieldType, KindSchema};
use crate::{Identity, Message, Outbound, Provider};

pub struct Lark;

pub static SCHEMA: KindSchema = KindSchema {
    kind: "lark",
    label: "Lark / Feishu",
    description: "A Lark or Feishu group's custom bot: a card per event with a header coloured by severity, optionally signed.",
    url_schemes: &["lark", "feishu"],
    fields: &[
        FieldSpec {
            name: "webhook_url",
            label: "Webhook URL",
            help: "The custom bot's webhook, e.g. https://open.larksuite.com/open-apis/bot/v2/hook/… (Lark) or https://open.feishu.cn/open-apis/bot/v2/hook/… (Feishu).",
            field_type: FieldType::Url,
            secret: true,
            required: true,
            default: None,
        },
        FieldSpec {
            name: "signing_secret",
            label: "Signing secret",
            help: "Only when the bot's security settings have \"Set signature verification\" on: the secret shown there. Leave empty otherwise.",
            field_type: FieldType::String,
            secret: true,
            required: false,
            default: None,
        },
    ],
};

const LARK_HOST: &str = "open.larksuite.com";
const FEISHU_HOST: &str = "open.feishu.cn";
const HOOK_PATH: &str = "/open-apis/bot/v2/hook/";
const URL_HELP: &str = "must be a Lark or Feishu bot webhook URL like https://open.larksuite.com/open-apis/bot/v2/hook/… or https://open.feishu.cn/open-apis/bot/v2/hook/…";
const APPRISE_HELP: &str = "must look like lark://{token} or feishu://{token}, the token being the last part of the bot's webhook URL";

/// A body over 20 KB is refused; Apprise keeps to 19,985 bytes, and so does Tocsin.
const BODY_MAX_BYTES: usize = 19_985;
const TITLE_MAX: usize = 1_024;
const MESSAGE_MAX: usize = 16_000;
const LABEL_MAX: usize = 256;
/// How many bytes the labels may take in all, so that the message keeps most of the room.
const LABELS_MAX_BYTES: usize = 3_000;
/// The code Lark answers when a bot sends too often.
const RATE_LIMITED: i64 = 11_232;
/// The signing key is `timestamp + "\n" + secret`, and the HMAC used here takes keys of 16
/// to 128 bytes; a ten-digit timestamp and its newline leave 5 to 117 for the secret.
const SECRET_MIN: usize = 5;
const SECRET_MAX: usize = 117;

/// The host's kind of service and the token, when the webhook is exactly
/// `https://{open.larksuite.com|open.feishu.cn}/open-apis/bot/v2/hook/{token}`.
fn canonical_parts(url: &Url) -> Option<(&'static str, String)> {
    if url.scheme() != "https"
        || url.port().is_some()
        || url.query().is_some()
        || url.fragment().is_some()
        || !url.username().is_empty()
    {
        return None;
    }
    let scheme = match url.host_str()? {
        LARK_HOST => "lark",
        FEISHU_HOST => "feishu",
        _ => return None,
    };
    let token = url.path().strip_prefix(HOOK_PATH)?;
    (common::is_path_token(token) && canonical_url(scheme, token) == url.as_str())
        .then(|| (scheme, token.to_owned()))
}

fn canonical_url(scheme: &str, token: &str) -> String {
    let host = if scheme == "feishu" {
        FEISHU_HOST
    } else {
        LARK_HOST
    };
    format!("https://{host}{HOOK_PATH}{token}")
}

fn parse_webhook_url(text: &str, field: &str) -> Result<Url, FieldError> {
    common::hook_url(text, field, URL_HELP, &[LARK_HOST, FEISHU_HOST], HOOK_PATH)
}

fn check_secret(secret: &str, field: &str) -> Result<(), FieldError> {
    let fits = (SECRET_MIN..=SECRET_MAX).contains(&secret.len());
    if !fits || secret.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(FieldError::new(
            field,
            format!(
                "must be the secret from the bot's \"Set signature verification\" setting: {SECRET_MIN} to {SECRET_MAX} characters without spaces"
            ),
        ));
    }
    Ok(())
}

/// Lark's signature: base64 of HMAC-SHA256 keyed by `timestamp + "\n" + secret` over an
/// empty message.
fn sign(secret: &str, timestamp: i64) -> Result<String, FieldError> {
    let invalid = || FieldError::new("secrets.signing_secret", "cannot be used as an HMAC key");
    // The core's signing key is the only HMAC-SHA256 at hand; it takes its key in the
    // `whsec_<base64>` form, and signs with `sha256=<hex>`.
    let key = format!("{timestamp}\n{secret}");
    let mac =
        SigningSecret::parse(&format!("whsec_{}", STANDARD.encode(key))).map_err(|_| invalid())?;
    let signature = mac.signature_256(b"");
    let hex = signature.strip_prefix("sha256=").ok_or_else(invalid)?;
    let bytes = decode_hex(hex).ok_or_else(invalid)?;
    Ok(STANDARD.encode(bytes))
}

fn decode_hex(hex: &str) -> Option<Vec<u8>> {
    if !hex.len().is_multiple_of(2) {
        return None;
    }
    (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok())
        .collect()
}

/// The header colour of a severity.
fn template(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical => "red",
        Severity::Warning => "orange",
        Severity::Info => "blue",
        Severity::Ok => "green",
    }
}

fn plain(text: impl Into<String>) -> Value {
    json!({"tag": "plain_text", "content": text.into()})
}

/// The labels as short fields, two to a row.
fn label_fields(event: &Event) -> Vec<Value> {
    let mut fields =
        vec![json!({"is_short": true, "text": plain(format!("Severity: {}", event.severity))})];
    let mut used = 0;
    for (name, value) in &event.source {
        if value.trim().is_empty() {
            continue;
        }
        let line = common::truncate(&format!("{name}: {value}"), LABEL_MAX);
        used += json_size(&line);
        if used > LABELS_MAX_BYTES {
            break;
        }
        fields.push(json!({"is_short": true, "text": plain(line)}));
    }
    fields
}

/// A message card (version 1 layout, which Lark takes from every client version).
fn card(event: &Event, identity: &Identity, message_max: usize) -> Value {
    let mut elements = Vec::new();
    if !event.message.trim().is_empty() {
        elements.push(
            json!({"tag": "div", "text": plain(common::truncate(&event.message, message_max))}),
        );
    }
    elements.push(json!({"tag": "div", "fields": label_fields(event)}));
    if let Some(link) = common::web_link(event) {
        elements.push(json!({"tag": "action", "actions": [{
            "tag": "button", "text": plain("View details"), "type": "primary", "url": link,
        }]}));
    }
    // A custom bot's name and avatar are set in Lark: the sender's name goes in a note.
    elements.push(json!({"tag": "note", "elements": [plain(common::footer(identity, event))]}));
    json!({
        "header": {
            "title": plain(common::truncate(common::title(event), TITLE_MAX)),
            "template": template(event.severity),
        },
        "elements": elements,
    })
}

fn payload(
    event: &Event,
    identity: &Identity,
    message_max: usize,
    signature: Option<&(String, String)>,
) -> Value {
    let mut body = Map::new();
    if let Some((timestamp, sign)) = signature {
        body.insert("timestamp".into(), Value::String(timestamp.clone()));
        body.insert("sign".into(), Value::String(sign.clone()));
    }
    body.insert("msg_type".into(), Value::String("interactive".into()));
    body.insert("card".into(), card(event, identity, message_max));
    Value::Object(body)
}

/// `(code, msg)` of a Lark answer, in its current (`code`/`msg`) or older
/// (`StatusCode`/`StatusMessage`) spelling.
fn status_of(body: &Value) -> Option<(i64, String)> {
    let code = body
        .get("code")
        .or_else(|| body.get("StatusCode"))
        .and_then(Value::as_i64)?;
    let msg = body
        .get("msg")
        .or_else(|| body.get("StatusMessage"))
        .and_then(Value::as_str)
        .unwrap_or_default()
        .trim()
        .to_owned();
    Some((code, msg))
}

impl Provider for Lark {
    fn schema(&self) -> &'static KindSchema {
        &SCHEMA
    }

    fn prepare(&self, config: &mut ChannelConfig) -> Result<(), FieldError> {
        let text = common::required_secret(config, "webhook_url")?;
        let url = parse_webhook_url(text, "secrets.webhook_url")?;
        config.secrets.insert("webhook_url", url.to_string());
        if let Some(secret) = config.secrets.expose("signing_secret") {
            check_secret(secret, "secrets.signing_secret")?;
        }
        Ok(())
    }

    fn parse_url(&self, url: &Url) -> Result<ChannelConfig, FieldError> {
        let mut secrets = Secrets::new();
        let pairs = common::query_pairs(url);
        let webhook = match url.scheme() {
            "http" | "https" => url.to_string(),
            scheme @ ("lark" | "feishu") => {
                let query = |name: &str| {
                    pairs
                        .iter()
                        .find(|(k, v)| k == name && !v.is_empty())
                        .map(|(_, v)| v.clone())
                };
                if let Some(webhook) = query("webhook") {
                    webhook
                } else {
                    let token = query("token")
                        .or_else(|| url.host_str().map(common::decode))
                        .unwrap_or_default();
                    if token.is_empty() || !common::path_segments(url).is_empty() {
                        return Err(FieldError::new("url", APPRISE_HELP));
                    }
                    if !common::is_path_token(&token) {
                        return Err(FieldError::new(
                            "url",
                            "the token may hold only letters, digits, `-` and `_`",
                        ));
                    }
                    canonical_url(scheme, &token)
                }
            }
            other => {
                return Err(FieldError::new(
                    "url",
                    format!("`{other}://` is not a Lark URL; {APPRISE_HELP}"),
                ));
            }
        };
        let webhook = parse_webhook_url(&webhook, "url")?;
        secrets.insert("webhook_url", webhook.to_string());
        if matches!(url.scheme(), "lark" | "feishu")
            && let Some((_, secret)) = pairs.iter().find(|(k, _)| k == "secret")
        {
            check_secret(secret, "url")?;
            secrets.insert("signing_secret", secret.clone());
        }
        Ok(ChannelConfig {
            settings: Map::new(),
            secrets,
        })
    }

    fn accepts_native_url(&self, url: &Url) -> bool {
        url.scheme() == "https"
            && matches!(url.host_str(), Some(LARK_HOST | FEISHU_HOST))
            && url
                .path()
                .strip_prefix(HOOK_PATH)
                .is_some_and(common::is_path_token)
    }

    fn to_url(&self, config: &ChannelConfig, reveal: bool) -> String {
        let webhook = config
            .secrets
            .expose("webhook_url")
            .and_then(|w| Url::parse(w).ok());
        let mut pairs = Vec::new();
        let head = match webhook.as_ref().and_then(canonical_parts) {
            Some((scheme, token)) => format!("{scheme}://{}/", common::shown(&token, reveal)),
            None => {
                let shown = match (&webhook, reveal) {
                    (Some(w), true) => w.to_string(),
                    _ => "***".to_owned(),
                };
                pairs.push(("webhook".to_owned(), shown));
                "lark://".to_owned()
            }
        };
        if let Some(secret) = config.secrets.expose("signing_secret") {
            let shown = if reveal { secret } else { "***" };
            pairs.push(("secret".to_owned(), shown.to_owned()));
        }
        if pairs.is_empty() {
            head
        } else {
            let query = common::query_string(&pairs).replace("%2A%2A%2A", "***");
            format!("{head}?{query}")
        }
    }

    fn render(
        &self,
        config: &ChannelConfig,
        message: &Message<'_>,
    ) -> Result<Outbound, FieldError> {
        let webhook = parse_webhook_url(
            common::required_secret(config, "webhook_url")?,
            "secrets.webhook_url",
        )?;
        let signature = match config.secrets.expose("signing_secret") {
            Some(secret) => {
                let timestamp = message.now.div_euclid(1_000);
                Some((timestamp.to_string(), sign(secret, timestamp)?))
            }
            None => None,
        };
        let event = message.event;
        let size = |payload: &Value| serde_json::to_vec(payload).map_or(0, |b| b.len());
        let mut body = payload(event, message.identity, MESSAGE_MAX, signature.as_ref());
        if size(&body) > BODY_MAX_BYTES {
            let overhead = size(&payload(event, message.identity, 0, signature.as_ref()));
            // Room for the message once escaped, less the three bytes of the cut marker.
            let room = BODY_MAX_BYTES.saturating_sub(overhead + 3);
            let fitting = chars_fitting(&event.message, room);
            body = payload(event, message.identity, fitting, signature.as_ref());
        }
        Ok(Outbound::Http(common::json_request(
            "POST",
            webhook.to_string(),
            Vec::new(),
            &body,
        )))
    }

    fn classify(&self, response: &HttpResponse) -> Outcome {
        let status = response.status;
        let body = common::json_body(response);
        let lark_status = body.as_ref().and_then(status_of);
        let reason = match &lark_status {
            Some((code, msg)) if msg.is_empty() => format!("Lark {code}"),
            Some((code, msg)) => format!("Lark {code}: {msg}"),
            None => crate::classify::service_status("Lark HTTP", response),
        };
        let code = lark_status.as_ref().map(|(code, _)| *code);
        if code == Some(RATE_LIMITED) {
            return Outcome::Retry {
                reason,
                after: crate::classify::retry_after(response),
            };
        }
        if (200..300).contains(&status) {
            // Lark reports refusals (bad signature, missing keyword, malformed body) with
            // HTTP 200 and a non-zero code.
            return match code {
                Some(code) if code != 0 => Outcome::Failed { reason },
                _ => Outcome::Delivered,
            };
        }
        crate::classify::by_status_saying(response, || reason)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{self, *};

    const LARK_HOOK: &str =
        "https://open.larksuite.com/open-apis/bot/v2/hook/2d6e8b1c-7a3f-4e0b-9c51-5f0e3a8d7b42";
    const FEISHU_HOOK: &str =
        "https://open.feishu.cn/open-apis/bot/v2/hook/2d6e8b1c-7a3f-4e0b-9c51-5f0e3a8d7b42";
    const SECRET: &str = "qBd7tXk1ZyH3pL9sVw2NcE";

    fn channel(secrets: Value) -> ChannelConfig {
        configure(&Lark, json!({}), secrets).expect("valid channel")
    }

    fn body(request: &tocsin_core::outbound::HttpRequest) -> Value {
        serde_json::from_slice(&request.body).expect("a JSON body")
    }

    fn longest_event() -> Event {
        let source: Map<String, Value> = (0..64)
            .map(|i| (format!("label{i:02}"), Value::String("<".repeat(1_024))))
            .collect();
        let input: tocsin_core::event::EventInput = serde_json::from_value(json!({
            "type": "backup.failure", "title": "\"".repeat(1_024), "message": "\u{2}é".repeat(20_000),
            "source": source, "data": {"url": "https://ci.example.com/1"}}))
        .expect("an event input");
        Event::parse(input, ulid::Ulid::nil(), NOW).expect("a valid event")
    }

    #[test]
    fn renders_a_card_for_the_sample_event() {
        let config = channel(json!({ "webhook_url": LARK_HOOK }));
        let request = render(&Lark, &config, &sample_event());
        insta::assert_json_snapshot!("lark_sample", testing::snapshot(&request));
    }

    #[test]
    fn renders_a_signed_green_card_for_a_recovery() {
        let config = channel(json!({ "webhook_url": FEISHU_HOOK, "signing_secret": SECRET }));
        let request = render(&Lark, &config, &recovery_event());
        insta::assert_json_snapshot!("lark_recovery_signed", testing::snapshot(&request));
    }

    #[test]
    fn signs_with_hmac_sha256_of_timestamp_and_secret() {
        // Computed apart: base64(HMAC-SHA256(key = "1795428005\nqBd7tXk1ZyH3pL9sVw2NcE", msg = "")).
        assert_eq!(
            sign(SECRET, 1_795_428_005).unwrap(),
            "ehpA/90A2vdpEUgDn54oLJmXlO9UN8JGsgnLKE8N2dA="
        );
        let config = channel(json!({ "webhook_url": LARK_HOOK, "signing_secret": SECRET }));
        let body = body(&render(&Lark, &config, &sample_event()));
        assert_eq!(body["timestamp"], "1795428005");
        assert_eq!(body["sign"], "ehpA/90A2vdpEUgDn54oLJmXlO9UN8JGsgnLKE8N2dA=");
    }

    #[test]
    fn keeps_user_text_plain_so_it_cannot_mention_anyone() {
        let config = channel(json!({ "webhook_url": LARK_HOOK }));
        let body = body(&render(&Lark, &config, &sample_event()));
        let card = &body["card"];
        assert_eq!(card["header"]["title"]["tag"], "plain_text");
        assert_eq!(
            card["header"]["title"]["content"],
            "Deploy failed: api <prod>"
        );
        assert_eq!(card["elements"][0]["text"]["tag"], "plain_text");
        assert_eq!(
            card["elements"][0]["text"]["content"],
            "Build \"api\" broke at step 3 & stopped.\nSee the log."
        );
    }

    #[test]
    fn keeps_the_longest_event_under_20_kb() {
        let config = channel(json!({ "webhook_url": LARK_HOOK, "signing_secret": SECRET }));
        let request = render(&Lark, &config, &longest_event());
        assert!(
            request.body.len() <= BODY_MAX_BYTES,
            "{}",
            request.body.len()
        );
        assert!(
            request.body.len() > BODY_MAX_BYTES - 16,
            "{}",
            request.body.len()
        );
        let body = body(&request);
        let message = body["card"]["elements"][0]["text"]["content"]
            .as_str()
            .unwrap();
        assert!(message.ends_with('…'));
    }

    #[test]
    fn renders_the_long_event_under_20_kb() {
        let config = channel(json!({ "webhook_url": LARK_HOOK }));
        let request = render(&Lark, &config, &long_event());
        assert!(
            request.body.len() <= BODY_MAX_BYTES,
            "{}",
            request.body.len()
        );
    }

    #[test]
    fn delivers_on_code_0() {
        for answer in [
            r#"{"code":0,"msg":"success","data":{}}"#,
            r#"{"StatusCode":0,"StatusMessage":"success"}"#,
            "",
        ] {
            assert_eq!(
                Lark.classify(&response(200, &[], answer)),
                Outcome::Delivered,
                "{answer}"
            );
        }
    }

    #[test]
    fn fails_on_an_error_sent_with_200() {
        assert_eq!(
            Lark.classify(&response(
                200,
                &[],
                r#"{"code":19021,"msg":"sign match fail or timestamp is not within one hour from current time","data":{}}"#
            )),
            Outcome::failed(
                "Lark 19021: sign match fail or timestamp is not within one hour from current time"
            )
        );
        assert_eq!(
            Lark.classify(&response(
                200,
                &[],
                r#"{"code":19024,"msg":"Key Words Not Found","data":{}}"#
            )),
            Outcome::failed("Lark 19024: Key Words Not Found")
        );
    }

    #[test]
    fn fails_on_a_bad_request() {
        assert_eq!(
            Lark.classify(&response(
                400,
                &[],
                r#"{"code":9499,"msg":"Bad Request","data":{}}"#
            )),
            Outcome::failed("Lark 9499: Bad Request")
        );
    }

    #[test]
    fn retries_when_frequency_limited() {
        assert_eq!(
            Lark.classify(&response(
                200,
                &[],
                r#"{"code":11232,"msg":"frequency limited psm[lark.oapi.app_platform_runtime]appID[1]","data":{}}"#
            )),
            Outcome::retry(
                "Lark 11232: frequency limited psm[lark.oapi.app_platform_runtime]appID[1]"
            )
        );
    }

    #[test]
    fn retries_a_server_error() {
        assert_eq!(
            Lark.classify(&response(503, &[("Retry-After", "30")], "")),
            Outcome::Retry {
                reason: "Lark HTTP 503".into(),
                after: Some(std::time::Duration::from_secs(30)),
            }
        );
    }

    #[test]
    fn round_trips_the_apprise_forms() {
        let (config, printed) = url_round_trip(
            &Lark,
            "lark://2d6e8b1c-7a3f-4e0b-9c51-5f0e3a8d7b42/?secret=qBd7tXk1ZyH3pL9sVw2NcE",
        );
        assert_eq!(config.secrets.expose("webhook_url"), Some(LARK_HOOK));
        assert_eq!(config.secrets.expose("signing_secret"), Some(SECRET));
        let (again, _) = url_round_trip(&Lark, &printed);
        assert_eq!(again, config);
        let masked = Lark.to_url(&config, false);
        assert_eq!(masked, "lark://***/?secret=***");

        let (config, printed) =
            url_round_trip(&Lark, "feishu://2d6e8b1c-7a3f-4e0b-9c51-5f0e3a8d7b42");
        assert_eq!(config.secrets.expose("webhook_url"), Some(FEISHU_HOOK));
        assert_eq!(printed, "feishu://2d6e8b1c-7a3f-4e0b-9c51-5f0e3a8d7b42/");
    }

    #[test]
    fn round_trips_the_native_urls() {
        for hook in [LARK_HOOK, FEISHU_HOOK] {
            assert!(Lark.accepts_native_url(&Url::parse(hook).unwrap()));
            let (config, printed) = url_round_trip(&Lark, hook);
            assert_eq!(config.secrets.expose("webhook_url"), Some(hook));
            let (again, _) = url_round_trip(&Lark, &printed);
            assert_eq!(again, config);
            assert!(!Lark.to_url(&config, false).contains("2d6e8b1c"));
        }
    }

    #[test]
    fn round_trips_a_webhook_on_another_host() {
        let text = "http://127.0.0.1:8080/open-apis/bot/v2/hook/abc";
        assert!(!Lark.accepts_native_url(&Url::parse(text).unwrap()));
        let (config, printed) = url_round_trip(&Lark, text);
        assert_eq!(
            printed,
            "lark://?webhook=http%3A%2F%2F127.0.0.1%3A8080%2Fopen-apis%2Fbot%2Fv2%2Fhook%2Fabc"
        );
        let (again, _) = url_round_trip(&Lark, &printed);
        assert_eq!(again, config);
        assert_eq!(Lark.to_url(&config, false), "lark://?webhook=***");
    }

    #[test]
    fn refuses_malformed_urls() {
        for (text, needle) in [
            ("lark://", "lark://{token}"),
            ("lark://tok/extra", "lark://{token}"),
            ("feishu://to%20ken", "letters, digits"),
            ("lark://tok?secret=a%20b", "signature verification"),
            (
                "https://open.feishu.cn/open-apis/bot/v3/x",
                "/open-apis/bot/v2/hook/{token}",
            ),
        ] {
            let err = Lark.parse_url(&Url::parse(text).unwrap()).expect_err(text);
            assert_eq!(err.field, "url", "{text}");
            assert!(err.message.contains(needle), "{text}: {}", err.message);
        }
    }

    #[test]
    fn validation_names_the_field() {
        let cases = [
            (json!({}), json!({}), "secrets.webhook_url"),
            (
                json!({}),
                json!({"webhook_url": "open.feishu.cn/x"}),
                "secrets.webhook_url",
            ),
            (
                json!({}),
                json!({"webhook_url": LARK_HOOK, "signing_secret": "abc"}),
                "secrets.signing_secret",
            ),
            (
                json!({"signing_secret": SECRET}),
                json!({"webhook_url": LARK_HOOK}),
                "settings.signing_secret",
            ),
            (
                json!({}),
                json!({"webhook_url": LARK_HOOK, "keyword": "x"}),
                "secrets.keyword",
            ),
        ];
        for (settings, secrets, field) in cases {
            let err = configure(&Lark, settings.clone(), secrets).expect_err(field);
            assert_eq!(err.field, field, "{settings}: {err}");
        }
    }
}
