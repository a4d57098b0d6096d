//! The `twilio` kind: one SMS (or WhatsApp message) through Twilio's Messages API to one
//! recipient per channel.
//!
//! URL form (Apprise): `twilio://{AccountSid}:{AuthToken}@{FromPhoneNo}/{ToPhoneNo}` with
//! `apikey` (an API key SID used in place of the Account SID to log in), `from`, `to` and
//! `api_base` as query parameters; a `w:` or `whatsapp:` prefix on a number sends through
//! WhatsApp.

use serde_json::{Map, Value};
use tocsin_core::FieldError;
use tocsin_core::channel::{ChannelConfig, Secrets};
use tocsin_core::event::Event;
use tocsin_core::outbound::{HttpResponse, Outcome};

use crate::common::{self, api_base_field};
use crate::schema::{FieldSpec, FieldType, KindSchema};
use crate::{Message, Outbound, Pace, Provider, classify};

pub struct Twilio;

const DEFAULT_BASE: &str = "https://api.twilio.com";
const WHATSAPP: &str = "whatsapp:";

/// Twilio refuses longer bodies (errors 21617, 21658).
const BODY_MAX: usize = 1_600;
/// The labels line and the link share the body with the message; beyond these they are
/// left out rather than crowd it out.
const LABELS_MAX: usize = 300;
const LINK_MAX: usize = 500;

/// E.164 allows at most 15 digits; fewer than 8 is no international number.
const PHONE_DIGITS: std::ops::RangeInclusive<usize> = 8..=15;
const SHORT_CODE_DIGITS: std::ops::RangeInclusive<usize> = 5..=6;

/// Query parameters Apprise adds to every URL; they mean nothing to this kind.
const APPRISE_GENERIC: &[&str] = &[
    "format", "overflow", "emojis", "verify", "rto", "cto", "tz", "store",
];

pub static SCHEMA: KindSchema = KindSchema {
    kind: "twilio",
    label: "Twilio SMS",
    description: "Sends each notification as an SMS or WhatsApp message to one phone number through Twilio.",
    url_schemes: &["twilio"],
    fields: &[
        FieldSpec {
            name: "account_sid",
            label: "Account SID",
            help: "Your Account SID from the Twilio Console: AC followed by 32 hexadecimal characters.",
            field_type: FieldType::String,
            secret: false,
            required: true,
            default: None,
        },
        FieldSpec {
            name: "auth_token",
            label: "Auth token",
            help: "The account's Auth Token, or the secret of the API key named below.",
            field_type: FieldType::String,
            secret: true,
            required: true,
            default: None,
        },
        FieldSpec {
            name: "api_key_sid",
            label: "API key SID",
            help: "Optional: log in with this API key (SK…) instead of the Account SID; the auth token is then the key's secret.",
            field_type: FieldType::String,
            secret: false,
            required: false,
            default: None,
        },
        FieldSpec {
            name: "from",
            label: "From",
            help: "Your Twilio number in international form (+15551234567), a 5–6 digit short code, or a Messaging Service SID (MG…). Prefix whatsapp: to send through WhatsApp.",
            field_type: FieldType::String,
            secret: false,
            required: true,
            default: None,
        },
        FieldSpec {
            name: "to",
            label: "To",
            help: "The one phone number this channel texts, in international form (+15557654321); prefix whatsapp: for WhatsApp. To reach several people, make a channel for each.",
            field_type: FieldType::String,
            secret: false,
            required: true,
            default: None,
        },
        api_base_field(
            "Send to this base URL instead of https://api.twilio.com (a proxy, a test receiver); /2010-04-01/Accounts/{AccountSid}/Messages.json is appended.",
        ),
    ],
};

/// Whether `text` names WhatsApp (`whatsapp:` or Apprise's `w:`), and the rest.
fn strip_channel(text: &str) -> (bool, &str) {
    let text = text.trim();
    for prefix in [WHATSAPP, "w:"] {
        if text
            .get(..prefix.len())
            .is_some_and(|p| p.eq_ignore_ascii_case(prefix))
        {
            return (true, text[prefix.len()..].trim());
        }
    }
    (false, text)
}

/// A number as written by a person: `+1 (555) 123-4567`, `w:+44 20 7946 0958`. Returns
/// whether it names WhatsApp, and its digits.
fn number(text: &str) -> Result<(bool, String), String> {
    let (whatsapp, rest) = strip_channel(text);
    let rest = rest.strip_prefix('+').unwrap_or(rest);
    if rest.is_empty()
        || !rest
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '(' | ')' | '-' | '.'))
    {
        return Err(format!(
            "`{}` is not a phone number; write it in international form like +15551234567",
            text.trim()
        ));
    }
    let digits: String = rest.chars().filter(char::is_ascii_digit).collect();
    Ok((whatsapp, digits))
}

fn is_sid(text: &str, prefix: &str) -> bool {
    text.len() == 34
        && text
            .get(..2)
            .is_some_and(|p| p.eq_ignore_ascii_case(prefix))
        && text
            .get(2..)
            .is_some_and(|rest| rest.chars().all(|c| c.is_ascii_hexdigit()))
}

/// Where a message comes from, in Twilio's own spelling.
#[derive(Debug, PartialEq)]
enum Sender {
    /// `+15551234567` or `whatsapp:+15551234567`, sent as `From`.
    Number(String),
    /// A 5–6 digit short code, sent as `From`.
    ShortCode(String),
    /// `MG…`, sent as `MessagingServiceSid`.
    Service(String),
}

fn sender(text: &str) -> Result<(bool, Sender), String> {
    let (whatsapp, bare) = strip_channel(text);
    if bare.get(..2).is_some_and(|p| p.eq_ignore_ascii_case("MG")) {
        if !is_sid(bare, "MG") {
            return Err(format!(
                "`{bare}` is not a Messaging Service SID: MG followed by 32 hexadecimal characters"
            ));
        }
        return Ok((whatsapp, Sender::Service(format!("MG{}", &bare[2..]))));
    }
    let (whatsapp, digits) = number(text)?;
    if SHORT_CODE_DIGITS.contains(&digits.len()) {
        if whatsapp {
            return Err("is a short code, which cannot send WhatsApp messages".into());
        }
        return Ok((false, Sender::ShortCode(digits)));
    }
    if !PHONE_DIGITS.contains(&digits.len()) {
        return Err(format!(
            "`{text}` has {} digits; a phone number in international form has 8 to 15 (+15551234567), a short code 5 or 6",
            digits.len()
        ));
    }
    Ok((whatsapp, Sender::Number(format!("+{digits}"))))
}

fn recipient(text: &str) -> Result<(bool, String), String> {
    let (whatsapp, digits) = number(text)?;
    if !PHONE_DIGITS.contains(&digits.len()) {
        return Err(format!(
            "`{text}` has {} digits; write one phone number in international form like +15557654321",
            digits.len()
        ));
    }
    Ok((whatsapp, format!("+{digits}")))
}

fn with_channel(whatsapp: bool, number: &str) -> String {
    if whatsapp {
        format!("{WHATSAPP}{number}")
    } else {
        number.to_owned()
    }
}

/// `from` and `to` in their canonical form: WhatsApp on both sides when either names it.
fn endpoints(config: &ChannelConfig) -> Result<(Sender, String), FieldError> {
    let from = common::required_setting(config, "from")?;
    let to = common::required_setting(config, "to")?;
    let (from_wa, sender) = sender(from).map_err(|m| FieldError::new("settings.from", m))?;
    let (to_wa, to) = recipient(to).map_err(|m| FieldError::new("settings.to", m))?;
    let whatsapp = from_wa || to_wa;
    let sender = match sender {
        Sender::ShortCode(_) if whatsapp => {
            return Err(FieldError::new(
                "settings.from",
                "is a short code, which cannot send WhatsApp messages; use a WhatsApp-enabled number",
            ));
        }
        Sender::Number(n) => Sender::Number(with_channel(whatsapp, &n)),
        other => other,
    };
    Ok((sender, with_channel(whatsapp, &to)))
}

/// UTF-16 code units: how Twilio counts a body's length. [K] unverified: Twilio documents
/// "1,600 characters" without saying how characters outside the BMP count; counting them
/// as two keeps the body within the limit either way.
fn units(text: &str) -> usize {
    text.encode_utf16().count()
}

/// The SMS: `[CRITICAL] title`, the message, the labels and the link.
fn text(event: &Event) -> String {
    let tag = if event.is_recovery() {
        "RESOLVED".to_owned()
    } else {
        event.severity.as_str().to_ascii_uppercase()
    };
    let head = format!("[{tag}] {}", common::title_and_message(event));
    let mut tail = String::new();
    if !event.source.is_empty() {
        let labels: Vec<String> = event
            .source
            .iter()
            .map(|(k, v)| format!("{k}: {v}"))
            .collect();
        tail.push('\n');
        tail.push_str(&common::truncate(&labels.join(", "), LABELS_MAX));
    }
    if let Some(link) = event.link().filter(|l| l.chars().count() <= LINK_MAX) {
        tail.push('\n');
        tail.push_str(link);
    }
    format!(
        "{}{tail}",
        common::truncate_utf16(&head, BODY_MAX - units(&tail))
    )
}

fn check_sid(
    config: &ChannelConfig,
    name: &str,
    prefix: &str,
    what: &str,
) -> Result<(), FieldError> {
    match config.str_setting(name) {
        Some(sid) if !is_sid(sid, prefix) => Err(FieldError::new(
            format!("settings.{name}"),
            format!("must be {what}: {prefix} followed by 32 hexadecimal characters"),
        )),
        _ => Ok(()),
    }
}

impl Provider for Twilio {
    fn schema(&self) -> &'static KindSchema {
        &SCHEMA
    }

    /// Messages are queued per sender, about 1 per second for a US long code [D]; a channel
    /// has one sender.
    fn pace(&self, _config: &ChannelConfig) -> Option<Pace> {
        Some(Pace::ONE_PER_SECOND)
    }

    fn prepare(&self, config: &mut ChannelConfig) -> Result<(), FieldError> {
        check_sid(
            config,
            "account_sid",
            "AC",
            "your Account SID from the Twilio Console",
        )?;
        check_sid(config, "api_key_sid", "SK", "an API key SID")?;
        let token = common::required_secret(config, "auth_token")?;
        if !token.chars().all(|c| c.is_ascii_alphanumeric()) {
            return Err(FieldError::new(
                "secrets.auth_token",
                "must be the Auth Token (or the API key's secret) from the Twilio Console: letters and digits only",
            ));
        }
        let (sender, to) = endpoints(config)?;
        let from = match sender {
            Sender::Number(n) | Sender::ShortCode(n) | Sender::Service(n) => n,
        };
        config.settings.insert("from".into(), Value::String(from));
        config.settings.insert("to".into(), Value::String(to));
        Ok(())
    }

    fn parse_url(&self, url: &url::Url) -> Result<ChannelConfig, FieldError> {
        if url.scheme() != "twilio" {
            return Err(FieldError::new(
                "url",
                format!("`{}://` is not a Twilio URL", url.scheme()),
            ));
        }
        let mut sid = (!url.username().is_empty()).then(|| common::decode(url.username()));
        let mut token = url.password().map(common::decode);
        let mut from = url.host_str().map(common::decode).filter(|h| !h.is_empty());
        let mut targets = common::path_segments(url);
        let mut settings = Map::new();
        for (key, value) in common::query_pairs(url) {
            match key.to_ascii_lowercase().as_str() {
                "sid" => sid = Some(value),
                "token" => token = Some(value),
                "from" | "source" => from = Some(value),
                "to" => targets.extend(
                    value
                        .split(',')
                        .filter(|s| !s.is_empty())
                        .map(str::to_owned),
                ),
                "apikey" => {
                    settings.insert("api_key_sid".into(), Value::String(value));
                }
                "api_base" => {
                    settings.insert("api_base".into(), Value::String(value));
                }
                "method" if "sms".starts_with(&value.to_ascii_lowercase()) => {}
                "method" => {
                    return Err(FieldError::new(
                        "url",
                        format!(
                            "asks for method `{value}`; Tocsin sends Twilio messages as SMS only"
                        ),
                    ));
                }
                name if APPRISE_GENERIC.contains(&name) => {}
                _ => {
                    return Err(FieldError::new(
                        "url",
                        format!(
                            "has an unknown option `{key}`; Twilio URLs take from, to, sid, token, apikey and api_base"
                        ),
                    ));
                }
            }
        }
        let (Some(sid), Some(token)) = (sid, token) else {
            return Err(FieldError::new(
                "url",
                "needs the Account SID and Auth Token, e.g. twilio://ACxxxx:token@+15551234567/+15557654321",
            ));
        };
        let from = from.ok_or_else(|| {
            FieldError::new(
                "url",
                "needs the sending number as its host, e.g. twilio://ACxxxx:token@+15551234567/+15557654321",
            )
        })?;
        let to = match targets.len() {
            1 => targets.remove(0),
            // As in Apprise: without a recipient the sending number texts itself.
            0 if matches!(sender(&from), Ok((_, Sender::Number(_)))) => from.clone(),
            0 => {
                return Err(FieldError::new(
                    "url",
                    "needs a recipient after the sending number, e.g. twilio://ACxxxx:token@12345/+15557654321",
                ));
            }
            n => {
                return Err(FieldError::new(
                    "url",
                    format!(
                        "names {n} recipients; a Twilio channel texts one number, so make a channel for each"
                    ),
                ));
            }
        };
        settings.insert("account_sid".into(), Value::String(sid));
        settings.insert("from".into(), Value::String(from));
        settings.insert("to".into(), Value::String(to));
        let mut secrets = Secrets::new();
        secrets.insert("auth_token", token);
        Ok(ChannelConfig { settings, secrets })
    }

    fn to_url(&self, config: &ChannelConfig, reveal: bool) -> String {
        let sid = common::setting(config, "account_sid").unwrap_or_default();
        let token = config.secrets.expose("auth_token").unwrap_or_default();
        // A WhatsApp prefix cannot stand in the host; Apprise's `w:` on the recipient says
        // the same for both sides.
        let from = common::setting(config, "from").unwrap_or_default();
        let from = from.strip_prefix(WHATSAPP).unwrap_or(from);
        let to = common::setting(config, "to").unwrap_or_default();
        let to = match to.strip_prefix(WHATSAPP) {
            Some(number) => format!("w:{number}"),
            None => to.to_owned(),
        };
        let url = format!(
            "twilio://{}:{}@{from}/{to}",
            common::encode_segment(sid),
            common::shown(token, reveal)
        );
        let mut pairs = Vec::new();
        if let Some(key) = common::setting(config, "api_key_sid") {
            pairs.push(("apikey".to_owned(), key.to_owned()));
        }
        if let Some(base) = common::setting(config, "api_base") {
            pairs.push(("api_base".to_owned(), base.to_owned()));
        }
        common::with_query(url, &pairs)
    }

    fn render(
        &self,
        config: &ChannelConfig,
        message: &Message<'_>,
    ) -> Result<Outbound, FieldError> {
        let sid = common::required_setting(config, "account_sid")?;
        let token = common::required_secret(config, "auth_token")?;
        let user = common::setting(config, "api_key_sid").unwrap_or(sid);
        let (sender, to) = endpoints(config)?;
        let url = format!(
            "{}/2010-04-01/Accounts/{}/Messages.json",
            common::api_base(config, DEFAULT_BASE),
            common::encode_segment(sid)
        );
        let body = text(message.event);
        let from = match &sender {
            Sender::Number(n) | Sender::ShortCode(n) => ("From", n.as_str()),
            Sender::Service(s) => ("MessagingServiceSid", s.as_str()),
        };
        let headers = vec![("Authorization".to_owned(), common::basic_auth(user, token))];
        Ok(Outbound::Http(common::form_request(
            url,
            headers,
            &[("To", &to), from, ("Body", &body)],
        )))
    }

    fn classify(&self, response: &HttpResponse) -> Outcome {
        let status = response.status;
        if (200..300).contains(&status) {
            return Outcome::Delivered;
        }
        let body = common::json_body(response);
        let code = body
            .as_ref()
            .and_then(|b| b.get("code"))
            .and_then(Value::as_i64);
        let reason = reason(response, body.as_ref(), code);
        // 20429: too many concurrent requests, always safe to retry.
        classify::retry_or_fail(response, reason, code == Some(20429), || None)
    }
}

/// `Twilio 400 (21211): The 'To' number … is not a valid phone number.`
fn reason(response: &HttpResponse, body: Option<&Value>, code: Option<i64>) -> String {
    let status = response.status;
    let prefix = match code {
        Some(code) => format!("Twilio {status} ({code})"),
        None => format!("Twilio {status}"),
    };
    let message = body
        .and_then(|b| b.get("message"))
        .and_then(Value::as_str)
        .map(|m| common::truncate(m, classify::EXCERPT_CHARS))
        .unwrap_or_else(|| common::body_text(response));
    if message.is_empty() {
        prefix
    } else {
        format!("{prefix}: {message}")
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use serde_json::json;

    use super::*;
    use crate::testing::{self, *};

    const SID: &str = "AC0123456789abcdef0123456789abcdef";
    const TOKEN: &str = "f0e1d2c3b4a5968778695a4b3c2d1e0f";

    fn channel(settings: Value) -> ChannelConfig {
        let mut all = json!({"account_sid": SID, "from": "+15551234567", "to": "+15557654321"});
        if let (Some(all), Value::Object(extra)) = (all.as_object_mut(), settings) {
            all.extend(extra);
        }
        configure(&Twilio, all, json!({"auth_token": TOKEN})).expect("a valid channel")
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

    fn event(input: Value) -> Event {
        let input = serde_json::from_value(input).expect("an event input");
        Event::parse(input, ulid::Ulid::nil(), testing::NOW).expect("an event")
    }

    /// The longest event Tocsin accepts. (`testing::long_event` exceeds the event limits
    /// and cannot be built.)
    fn longest_event(fill: &str) -> Event {
        event(
            json!({"type": "backup.failure", "title": fill.repeat(1_024 / fill.len()),
            "message": fill.repeat(65_536 / fill.len()),
            "source": {"application": "a".repeat(1_024)},
            "data": {"url": "https://ci.example.com/builds/42"}}),
        )
    }

    #[test]
    fn texts_the_sample_event() {
        let request = render(&Twilio, &channel(json!({})), &sample_event());
        insta::assert_json_snapshot!("twilio_sms", testing::snapshot(&request));
    }

    #[test]
    fn marks_a_recovery_as_resolved() {
        let request = render(&Twilio, &channel(json!({})), &recovery_event());
        assert_eq!(
            field(&request, "Body").as_deref(),
            Some(
                "[RESOLVED] api is back\nHealth check passes again.\napplication: api, environment: production"
            )
        );
    }

    #[test]
    fn logs_in_with_an_api_key_when_given() {
        let config = channel(json!({"api_key_sid": "SK0123456789abcdef0123456789abcdef",
            "api_base": "http://127.0.0.1:9000"}));
        let request = render(&Twilio, &config, &sample_event());
        assert_eq!(
            request.url,
            format!("http://127.0.0.1:9000/2010-04-01/Accounts/{SID}/Messages.json")
        );
        assert_eq!(
            request.header("authorization"),
            Some(&*common::basic_auth(
                "SK0123456789abcdef0123456789abcdef",
                TOKEN
            ))
        );
    }

    #[test]
    fn normalises_numbers_and_sends_whatsapp_on_both_sides() {
        let config =
            channel(json!({"from": "+1 (555) 123-4567", "to": "whatsapp:+44 20 7946 0958"}));
        assert_eq!(config.settings["from"], "whatsapp:+15551234567");
        assert_eq!(config.settings["to"], "whatsapp:+442079460958");
        let request = render(&Twilio, &config, &sample_event());
        assert_eq!(
            field(&request, "From").as_deref(),
            Some("whatsapp:+15551234567")
        );
        assert_eq!(
            field(&request, "To").as_deref(),
            Some("whatsapp:+442079460958")
        );

        let service = channel(json!({"from": "MG0123456789abcdef0123456789abcdef"}));
        let request = render(&Twilio, &service, &sample_event());
        assert_eq!(
            form(&request)[..2],
            [
                ("To".to_owned(), "+15557654321".to_owned()),
                (
                    "MessagingServiceSid".to_owned(),
                    "MG0123456789abcdef0123456789abcdef".to_owned()
                )
            ]
        );
        let short = channel(json!({"from": "12345"}));
        assert_eq!(
            field(&render(&Twilio, &short, &sample_event()), "From").as_deref(),
            Some("12345")
        );
    }

    #[test]
    fn accepts_201_queued() {
        let created = response(
            201,
            &[],
            r#"{"sid":"SM0123456789abcdef0123456789abcdef","status":"queued","body":"x"}"#,
        );
        assert_eq!(Twilio.classify(&created), Outcome::Delivered);
        assert_eq!(
            Twilio.classify(&response(200, &[], "{}")),
            Outcome::Delivered
        );
    }

    #[test]
    fn fails_with_twilios_code_and_message() {
        let invalid = response(
            400,
            &[],
            r#"{"code":21211,"message":"The 'To' number +1555 is not a valid phone number.","more_info":"https://www.twilio.com/docs/errors/21211","status":400}"#,
        );
        assert_eq!(
            Twilio.classify(&invalid),
            Outcome::failed(
                "Twilio 400 (21211): The 'To' number +1555 is not a valid phone number."
            )
        );
        let too_long = response(
            400,
            &[],
            r#"{"code":21617,"message":"The concatenated message body exceeds the 1600 character limit.","more_info":"https://www.twilio.com/docs/errors/21617","status":400}"#,
        );
        assert_eq!(
            Twilio.classify(&too_long),
            Outcome::failed(
                "Twilio 400 (21617): The concatenated message body exceeds the 1600 character limit."
            )
        );
        let unauthorized = response(
            401,
            &[],
            r#"{"code":20003,"message":"Authenticate","more_info":"https://www.twilio.com/docs/errors/20003","status":401}"#,
        );
        assert_eq!(
            Twilio.classify(&unauthorized),
            Outcome::failed("Twilio 401 (20003): Authenticate")
        );
    }

    #[test]
    fn retries_too_many_requests_after_retry_after() {
        let busy = response(
            429,
            &[("Retry-After", "3")],
            r#"{"code":20429,"message":"Too Many Requests","more_info":"https://www.twilio.com/docs/errors/20429","status":429}"#,
        );
        assert_eq!(
            Twilio.classify(&busy),
            Outcome::Retry {
                reason: "Twilio 429 (20429): Too Many Requests".into(),
                after: Some(Duration::from_secs(3))
            }
        );
        assert_eq!(
            Twilio.classify(&response(500, &[], "oops")),
            Outcome::Retry {
                reason: "Twilio 500: oops".into(),
                after: None
            }
        );
    }

    #[test]
    fn apprise_url_round_trips_and_masks_the_token() {
        let text = format!(
            "twilio://{SID}:{TOKEN}@15551234567/+15557654321?apikey=SK0123456789abcdef0123456789abcdef&format=text"
        );
        let (config, printed) = url_round_trip(&Twilio, &text);
        assert_eq!(config.settings["account_sid"], SID);
        assert_eq!(config.settings["from"], "+15551234567");
        assert_eq!(config.settings["to"], "+15557654321");
        assert_eq!(
            config.settings["api_key_sid"],
            "SK0123456789abcdef0123456789abcdef"
        );
        assert_eq!(config.secrets.expose("auth_token"), Some(TOKEN));
        let (again, _) = url_round_trip(&Twilio, &printed);
        assert_eq!(again, config);
        let masked = Twilio.to_url(&config, false);
        assert!(!masked.contains(TOKEN), "{masked}");
        assert!(masked.starts_with(&format!("twilio://{SID}:***@+15551234567/+15557654321")));

        // WhatsApp through a `w:` recipient; no recipient texts the sending number.
        let (wa, printed) = url_round_trip(
            &Twilio,
            &format!("twilio://{SID}:{TOKEN}@+15551234567/w:+15557654321"),
        );
        assert_eq!(wa.settings["from"], "whatsapp:+15551234567");
        assert_eq!(url_round_trip(&Twilio, &printed).0, wa);
        let (own, _) = url_round_trip(&Twilio, &format!("twilio://{SID}:{TOKEN}@15551234567"));
        assert_eq!(own.settings["to"], "+15551234567");
        let (local, _) = url_round_trip(
            &Twilio,
            &format!(
                "twilio://{SID}:{TOKEN}@15551234567/15557654321?api_base=http%3A%2F%2F127.0.0.1%3A9000"
            ),
        );
        assert_eq!(local.settings["api_base"], "http://127.0.0.1:9000");
    }

    #[test]
    fn refuses_malformed_urls() {
        let parse = |text: &str| Twilio.parse_url(&url::Url::parse(text).expect("a URL"));
        for (text, words) in [
            (
                format!("twilio://{SID}@15551234567/15557654321"),
                "Auth Token",
            ),
            (
                format!("twilio://{SID}:{TOKEN}@15551234567/15557654321/15550000000"),
                "one number",
            ),
            (format!("twilio://{SID}:{TOKEN}@12345"), "recipient"),
            (
                format!("twilio://{SID}:{TOKEN}@15551234567/15557654321?method=call"),
                "SMS only",
            ),
            (
                format!("twilio://{SID}:{TOKEN}@15551234567/15557654321?colour=red"),
                "`colour`",
            ),
            ("ntfy://host/topic".to_owned(), "not a Twilio URL"),
        ] {
            let err = parse(&text).expect_err(&text);
            assert_eq!(err.field, "url");
            assert!(err.message.contains(words), "{text}: {err}");
        }
    }

    #[test]
    fn names_the_field_of_each_configuration_error() {
        let base = json!({"account_sid": SID, "from": "+15551234567", "to": "+15557654321"});
        let with = |extra: Value| {
            let mut all = base.clone();
            if let (Some(all), Value::Object(extra)) = (all.as_object_mut(), extra) {
                all.extend(extra);
            }
            all
        };
        let token = json!({"auth_token": TOKEN});
        let cases = [
            (base.clone(), json!({}), "secrets.auth_token"),
            (
                base.clone(),
                json!({"auth_token": "not a token!"}),
                "secrets.auth_token",
            ),
            (
                json!({"from": "+15551234567", "to": "+15557654321"}),
                token.clone(),
                "settings.account_sid",
            ),
            (
                with(json!({"account_sid": "AC123"})),
                token.clone(),
                "settings.account_sid",
            ),
            (
                with(json!({"api_key_sid": "AC0123456789abcdef0123456789abcdef"})),
                token.clone(),
                "settings.api_key_sid",
            ),
            (
                with(json!({"from": "call me"})),
                token.clone(),
                "settings.from",
            ),
            (
                with(json!({"from": "+1234"})),
                token.clone(),
                "settings.from",
            ),
            (
                with(json!({"from": "12345", "to": "whatsapp:+15557654321"})),
                token.clone(),
                "settings.from",
            ),
            (
                with(json!({"from": "MG123"})),
                token.clone(),
                "settings.from",
            ),
            (
                with(json!({"to": "+1 555 0100 0100 0100 0100"})),
                token.clone(),
                "settings.to",
            ),
            (
                with(json!({"to": "+15557654321,+15550000000"})),
                token.clone(),
                "settings.to",
            ),
            (with(json!({"to": null})), token.clone(), "settings.to"),
            (
                with(json!({"region": "us"})),
                token.clone(),
                "settings.region",
            ),
            (
                with(json!({"api_base": "localhost:9000"})),
                token.clone(),
                "settings.api_base",
            ),
        ];
        for (settings, secrets, field) in cases {
            let err =
                configure(&Twilio, settings.clone(), secrets).expect_err(&settings.to_string());
            assert_eq!(err.field, field, "{err}");
        }
    }

    #[test]
    fn a_long_event_fits_in_1600_characters_and_keeps_its_link() {
        for fill in ["M", "é", "🚨"] {
            let request = render(&Twilio, &channel(json!({})), &longest_event(fill));
            let body = field(&request, "Body").expect("a body");
            assert!(units(&body) <= BODY_MAX, "{fill}: {}", units(&body));
            assert!(units(&body) > BODY_MAX - 2, "{fill}: {}", units(&body));
            assert!(
                body.ends_with("\nhttps://ci.example.com/builds/42"),
                "{fill}"
            );
            assert!(body.contains("…\napplication: "), "{fill}");
        }
    }

    #[test]
    fn keeps_markup_characters_as_plain_text() {
        let request = render(&Twilio, &channel(json!({})), &sample_event());
        assert_eq!(
            field(&request, "Body").as_deref(),
            Some(
                "[CRITICAL] Deploy failed: api <prod>\nBuild \"api\" broke at step 3 & stopped.\nSee the log.\napplication: api, environment: production, project: shop\nhttps://ci.example.com/builds/42"
            )
        );
    }

    #[test]
    fn renders_the_test_notification() {
        let test = Event::test(ulid::Ulid::nil(), testing::NOW);
        let request = render(&Twilio, &channel(json!({})), &test);
        assert_eq!(
            field(&request, "Body").as_deref(),
            Some("[INFO] Test Notification\nHi, from Tocsin 👋\napplication: tocsin")
        );
    }
}
