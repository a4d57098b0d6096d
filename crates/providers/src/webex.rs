//! The `webex` kind: a Webex space, through an incoming webhook
//! (`POST https://webexapis.com/v1/webhooks/incoming/{token}`) or as a bot through the
//! Messages API (`POST {api_base}/v1/messages` with a bearer token and a room id). The
//! message is Markdown: the title in bold behind a severity emoji, the message, the source
//! labels and a link. Event text is HTML-escaped so that it cannot mention anyone
//! (`<@all>`).
//!
//! URL forms: Apprise's `webex://{token}/` (also `wxteams://`) for a webhook and
//! `webex://{bot_token}/{room_id}/?mode=bot` for a bot, the webhook URL itself, and
//! `webex://?webhook=<URL>` for a webhook on any other host (proxies, tests).

use serde_json::{Map, Value, json};
use tocsin_core::FieldError;
use tocsin_core::channel::{ChannelConfig, Secrets};
use tocsin_core::event::Event;
use tocsin_core::outbound::{HttpResponse, Outcome};
use url::Url;

use crate::common;
use crate::schema::{FieldSpec, FieldType, KindSchema};
use crate::{Identity, Message, Outbound, Provider};

pub struct Webex;

pub static SCHEMA: KindSchema = KindSchema {
    kind: "webex",
    label: "Webex",
    description: "A Webex space, through an incoming webhook or as a bot: a Markdown message per event.",
    url_schemes: &["webex", "wxteams"],
    fields: &[
        FieldSpec {
            name: "webhook_url",
            label: "Webhook URL",
            help: "From the Incoming Webhooks app, e.g. https://webexapis.com/v1/webhooks/incoming/Y2lzY29zcGFyazovL3Vz…; leave empty to post as a bot.",
            field_type: FieldType::Url,
            secret: true,
            required: false,
            default: None,
        },
        FieldSpec {
            name: "bot_token",
            label: "Bot access token",
            help: "To post as a bot instead of a webhook: the bot's access token from developer.webex.com (My Apps). Needs a room id.",
            field_type: FieldType::String,
            secret: true,
            required: false,
            default: None,
        },
        FieldSpec {
            name: "room_id",
            label: "Room ID",
            help: "With a bot token: the id of the space to post in; the bot must be a member of it.",
            field_type: FieldType::String,
            secret: false,
            required: false,
            default: None,
        },
        common::api_base_field(
            "With a bot token: the Messages API base URL. Default https://webexapis.com.",
        ),
    ],
};

const DEFAULT_API_BASE: &str = "https://webexapis.com";
const WEBHOOK_HOST: &str = "webexapis.com";
const LEGACY_HOST: &str = "api.ciscospark.com";
const HOOK_PATH: &str = "/v1/webhooks/incoming/";
const URL_HELP: &str = "must be a Webex incoming webhook URL like https://webexapis.com/v1/webhooks/incoming/Y2lzY29zcGFyazovL3Vz…";
const APPRISE_HELP: &str = "must look like webex://{webhook_token} for a webhook or webex://{bot_token}/{room_id} for a bot";

// [K] unverified: Apprise keeps webhook messages to 1,000 characters; the Messages API
// takes 7,439 bytes. Both are counted in bytes here, which is the stricter reading.
const WEBHOOK_MAX_BYTES: usize = 1_000;
const BOT_MAX_BYTES: usize = 7_439;
const TITLE_MAX: usize = 200;
const LABEL_MAX: usize = 256;
const FALLBACK_MAX_BYTES: usize = 1_000;

#[derive(Debug, Clone, Copy, PartialEq)]
enum Mode {
    Webhook,
    Bot,
}

/// The token when the webhook is exactly `https://webexapis.com/v1/webhooks/incoming/{token}`.
fn canonical_token(url: &Url) -> Option<String> {
    if url.scheme() != "https"
        || url.host_str() != Some(WEBHOOK_HOST)
        || url.port().is_some()
        || url.query().is_some()
        || url.fragment().is_some()
        || !url.username().is_empty()
    {
        return None;
    }
    let token = url.path().strip_prefix(HOOK_PATH)?;
    (common::is_path_token(token) && canonical_url(token) == url.as_str()).then(|| token.to_owned())
}

fn canonical_url(token: &str) -> String {
    format!("https://{WEBHOOK_HOST}{HOOK_PATH}{token}")
}

/// What Webex issues as a webhook token: 80 to 160 letters and digits.
fn looks_like_webhook_token(text: &str) -> bool {
    (80..=160).contains(&text.len()) && text.bytes().all(|b| b.is_ascii_alphanumeric())
}

fn parse_webhook_url(text: &str, field: &str) -> Result<Url, FieldError> {
    common::hook_url(
        text,
        field,
        URL_HELP,
        &[WEBHOOK_HOST, LEGACY_HOST],
        HOOK_PATH,
    )
}

fn check_token(token: &str, field: &str) -> Result<(), FieldError> {
    if token.is_empty() || token.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(FieldError::new(
            field,
            "must be the bot's access token, without spaces",
        ));
    }
    Ok(())
}

fn mode(config: &ChannelConfig) -> Mode {
    if config.secrets.contains("bot_token") {
        Mode::Bot
    } else {
        Mode::Webhook
    }
}

fn web_link(event: &Event) -> Option<String> {
    let url = Url::parse(event.link()?.trim()).ok()?;
    if !matches!(url.scheme(), "http" | "https") || url.as_str().len() > 2_048 {
        return None;
    }
    // Parentheses would end a Markdown link target early.
    Some(url.as_str().replace('(', "%28").replace(')', "%29"))
}

/// Text as Webex Markdown shows it literally: `&`, `<` and `>` as entities, so that no
/// `<@all>` or `<@personEmail:…>` in event text mentions anyone.
fn escape(text: &str) -> String {
    common::escape_mrkdwn(text)
}

/// The bytes a character takes once escaped.
fn escaped_len(c: char) -> usize {
    match c {
        '&' => 5,
        '<' | '>' => 4,
        c => c.len_utf8(),
    }
}

/// The labels line, at most `room` bytes.
fn labels(event: &Event, room: usize) -> String {
    let mut line = format!("Severity: {}", event.severity);
    for (name, value) in &event.source {
        if value.trim().is_empty() {
            continue;
        }
        let part = format!(
            " · {}",
            escape(&common::truncate(&format!("{name}: {value}"), LABEL_MAX))
        );
        if line.len() + part.len() > room {
            break;
        }
        line.push_str(&part);
    }
    line
}

fn markdown(event: &Event, identity: &Identity, limit: usize, message_max: usize) -> String {
    let title = common::truncate(common::title(event), TITLE_MAX);
    let mut text = format!(
        "**{} {}**",
        common::severity_circle(event.severity),
        escape(&title)
    );
    if !event.message.trim().is_empty() {
        text.push_str("\n\n");
        text.push_str(&escape(&common::truncate(&event.message, message_max)));
    }
    text.push_str("\n\n");
    text.push_str(&labels(event, limit / 4));
    if let Some(link) = web_link(event).filter(|l| l.len() <= limit / 4) {
        text.push_str(&format!("\n\n[View details]({link})"));
    }
    // Webhooks and bots post under their own name: the sender's name goes in a footer.
    text.push_str("\n\n");
    if !identity.name.trim().is_empty() {
        text.push_str(&format!("{} · ", escape(&identity.name)));
    }
    text.push_str(&event.event_type);
    text
}

/// The Markdown with as much of the message as fits in `limit` bytes.
fn fitted_markdown(event: &Event, identity: &Identity, limit: usize) -> String {
    let full = markdown(event, identity, limit, event.message.chars().count());
    if full.len() <= limit {
        return full;
    }
    let overhead = markdown(event, identity, limit, 0).len();
    // Room for the message once escaped, less the three bytes of the cut marker.
    let room = limit.saturating_sub(overhead + 3);
    let mut used = 0;
    let fitting = event
        .message
        .chars()
        .take_while(|c| {
            used += escaped_len(*c);
            used <= room
        })
        .count();
    let text = markdown(event, identity, limit, fitting);
    // Only a title and labels of pathological length get here.
    common::truncate_bytes(&text, limit)
}

fn error_reason(response: &HttpResponse) -> String {
    let status = response.status;
    let body = common::json_body(response);
    let message = body.as_ref().and_then(|b| {
        b.get("message")
            .and_then(Value::as_str)
            .filter(|m| !m.trim().is_empty())
            .or_else(|| {
                b.get("errors")
                    .and_then(Value::as_array)
                    .and_then(|e| e.first())
                    .and_then(|e| e.get("description"))
                    .and_then(Value::as_str)
            })
    });
    let tracking = body
        .as_ref()
        .and_then(|b| b.get("trackingId"))
        .and_then(Value::as_str);
    match (message, tracking) {
        (Some(m), Some(t)) => format!("Webex {status}: {} (trackingId {t})", m.trim()),
        (Some(m), None) => format!("Webex {status}: {}", m.trim()),
        (None, _) => crate::classify::service_status("Webex", response),
    }
}

fn parse_mode(value: &str) -> Result<Mode, FieldError> {
    let value = value.to_ascii_lowercase();
    if !value.is_empty() && "webhook".starts_with(&value) {
        Ok(Mode::Webhook)
    } else if !value.is_empty() && "bot".starts_with(&value) {
        Ok(Mode::Bot)
    } else {
        Err(FieldError::new(
            "url",
            format!("`mode` must be webhook or bot, not `{value}`"),
        ))
    }
}

impl Provider for Webex {
    fn schema(&self) -> &'static KindSchema {
        &SCHEMA
    }

    fn prepare(&self, config: &mut ChannelConfig) -> Result<(), FieldError> {
        let webhook = config.secrets.expose("webhook_url").map(str::to_owned);
        let token = config.secrets.expose("bot_token");
        let room = common::setting(config, "room_id");
        match (webhook, token) {
            (Some(_), Some(_)) => Err(FieldError::new(
                "secrets.bot_token",
                "give either a webhook URL or a bot token with a room id, not both",
            )),
            (Some(webhook), None) => {
                if room.is_some() {
                    return Err(FieldError::new(
                        "settings.room_id",
                        "is used only with a bot token: remove it, or give secrets.bot_token instead of the webhook URL",
                    ));
                }
                let url = parse_webhook_url(&webhook, "secrets.webhook_url")?;
                config.secrets.insert("webhook_url", url.to_string());
                Ok(())
            }
            (None, Some(token)) => {
                check_token(token, "secrets.bot_token")?;
                match room {
                    Some(room) if room.chars().all(|c| !c.is_whitespace()) => Ok(()),
                    Some(_) => Err(FieldError::new(
                        "settings.room_id",
                        "must be a room id without spaces, e.g. Y2lzY29zcGFyazovL3VzL1JPT00v…",
                    )),
                    None => Err(FieldError::new(
                        "settings.room_id",
                        "is required with a bot token: the id of the space to post in, e.g. Y2lzY29zcGFyazovL3VzL1JPT00v…",
                    )),
                }
            }
            (None, None) => Err(FieldError::new(
                "secrets.webhook_url",
                "is required (or give secrets.bot_token and settings.room_id to post as a bot)",
            )),
        }
    }

    fn parse_url(&self, url: &Url) -> Result<ChannelConfig, FieldError> {
        let mut settings = Map::new();
        let mut secrets = Secrets::new();
        match url.scheme() {
            "http" | "https" => {
                let webhook = parse_webhook_url(url.as_str(), "url")?;
                secrets.insert("webhook_url", webhook.to_string());
                return Ok(ChannelConfig { settings, secrets });
            }
            "webex" | "wxteams" => {}
            other => {
                return Err(FieldError::new(
                    "url",
                    format!("`{other}://` is not a Webex URL; {APPRISE_HELP}"),
                ));
            }
        }
        let pairs = common::query_pairs(url);
        let query = |name: &str| {
            pairs
                .iter()
                .find(|(k, v)| k == name && !v.is_empty())
                .map(|(_, v)| v.clone())
        };
        if let Some(webhook) = query("webhook") {
            let webhook = parse_webhook_url(&webhook, "url")?;
            secrets.insert("webhook_url", webhook.to_string());
            return Ok(ChannelConfig { settings, secrets });
        }
        let token = query("token")
            .or_else(|| url.host_str().map(common::decode))
            .unwrap_or_default();
        if token.is_empty() {
            return Err(FieldError::new("url", APPRISE_HELP));
        }
        let mut rooms = common::path_segments(url);
        if let Some(to) = query("to") {
            rooms.extend(
                to.split(['/', ','])
                    .filter(|r| !r.is_empty())
                    .map(str::to_owned),
            );
        }
        let mode = match query("mode") {
            Some(m) => parse_mode(&m)?,
            None if !rooms.is_empty() => Mode::Bot,
            None if looks_like_webhook_token(&token) => Mode::Webhook,
            None => {
                return Err(FieldError::new(
                    "url",
                    "the token is not a webhook token (80 to 160 letters and digits); for a bot add the room: webex://{bot_token}/{room_id}, or add ?mode=webhook",
                ));
            }
        };
        match mode {
            Mode::Webhook => {
                if !rooms.is_empty() {
                    return Err(FieldError::new(
                        "url",
                        "a webhook posts to its own space: leave out the room ids, or use ?mode=bot with a bot token",
                    ));
                }
                if !common::is_path_token(&token) {
                    return Err(FieldError::new(
                        "url",
                        "the webhook token may hold only letters and digits",
                    ));
                }
                secrets.insert("webhook_url", canonical_url(&token));
            }
            Mode::Bot => {
                let room = match rooms.as_slice() {
                    [room] => room.clone(),
                    [] => {
                        return Err(FieldError::new(
                            "url",
                            "a bot needs the room to post in: webex://{bot_token}/{room_id}",
                        ));
                    }
                    _ => {
                        return Err(FieldError::new(
                            "url",
                            "a channel posts to one room: make one channel per room",
                        ));
                    }
                };
                secrets.insert("bot_token", token);
                settings.insert("room_id".into(), Value::String(room));
                if let Some(base) = query("api_base") {
                    settings.insert("api_base".into(), Value::String(base));
                }
            }
        }
        Ok(ChannelConfig { settings, secrets })
    }

    fn accepts_native_url(&self, url: &Url) -> bool {
        url.scheme() == "https"
            && matches!(url.host_str(), Some(WEBHOOK_HOST | LEGACY_HOST))
            && url
                .path()
                .strip_prefix(HOOK_PATH)
                .is_some_and(common::is_path_token)
    }

    fn to_url(&self, config: &ChannelConfig, reveal: bool) -> String {
        if let Some(token) = config.secrets.expose("bot_token") {
            let room = common::setting(config, "room_id").unwrap_or_default();
            let mut pairs = vec![("mode".to_owned(), "bot".to_owned())];
            if let Some(base) = common::setting(config, "api_base") {
                pairs.push(("api_base".to_owned(), base.to_owned()));
            }
            return format!(
                "webex://{}/{}/?{}",
                common::shown(token, reveal),
                common::encode_segment(room),
                common::query_string(&pairs)
            );
        }
        let webhook = config
            .secrets
            .expose("webhook_url")
            .and_then(|w| Url::parse(w).ok());
        match (webhook.as_ref().and_then(canonical_token), webhook, reveal) {
            (Some(token), _, _) => {
                format!("webex://{}/?mode=webhook", common::shown(&token, reveal))
            }
            (None, Some(webhook), true) => format!(
                "webex://?{}",
                common::query_string(&[("webhook".to_owned(), webhook.to_string())])
            ),
            (None, _, _) => "webex://?webhook=***".to_owned(),
        }
    }

    fn render(
        &self,
        config: &ChannelConfig,
        message: &Message<'_>,
    ) -> Result<Outbound, FieldError> {
        let event = message.event;
        let request = match mode(config) {
            Mode::Webhook => {
                let webhook = parse_webhook_url(
                    common::required_secret(config, "webhook_url")?,
                    "secrets.webhook_url",
                )?;
                let text = fitted_markdown(event, message.identity, WEBHOOK_MAX_BYTES);
                common::json_request(
                    "POST",
                    webhook.to_string(),
                    Vec::new(),
                    &json!({ "markdown": text }),
                )
            }
            Mode::Bot => {
                let token = common::required_secret(config, "bot_token")?;
                let room = common::required_setting(config, "room_id")?;
                let url = format!("{}/v1/messages", common::api_base(config, DEFAULT_API_BASE));
                let text = fitted_markdown(event, message.identity, BOT_MAX_BYTES);
                let fallback =
                    common::truncate_bytes(&common::title_and_message(event), FALLBACK_MAX_BYTES);
                common::json_request(
                    "POST",
                    url,
                    vec![("Authorization".into(), format!("Bearer {token}"))],
                    &json!({ "roomId": room, "markdown": text, "text": fallback }),
                )
            }
        };
        Ok(Outbound::Http(request))
    }

    fn classify(&self, response: &HttpResponse) -> Outcome {
        // 400 a refused message, 401 a bad token, 403/404 a room the bot is not in or a
        // deleted webhook: sending again cannot help.
        crate::classify::by_status_saying(response, || error_reason(response))
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::testing::{self, *};

    /// Webhook tokens are 80 to 160 letters and digits.
    fn hook_token() -> String {
        "Y2lzY29zcGFyazovL3VzL1dFQkhPT0svOTZhYmMyYWEtM2RjYy0xMWU1LWExNTItZmUzNDgxOWNkYzlh"
            .to_owned()
    }

    fn hook_url() -> String {
        format!(
            "https://webexapis.com/v1/webhooks/incoming/{}",
            hook_token()
        )
    }

    const BOT_TOKEN: &str = "NmQ5ZjY1YTQtYmFkMy00ZjI4_PF84_1eb65fdf-9643-417f-9974-ad72cae0e10f";
    const ROOM: &str =
        "Y2lzY29zcGFyazovL3VzL1JPT00vYmJjZWIxYWQtNDNmMS0zYjU4LTkxNDctZjE0YmIwYzRkMTU0";

    fn webhook_channel() -> ChannelConfig {
        configure(&Webex, json!({}), json!({ "webhook_url": hook_url() })).expect("valid channel")
    }

    fn bot_channel() -> ChannelConfig {
        configure(
            &Webex,
            json!({ "room_id": ROOM }),
            json!({ "bot_token": BOT_TOKEN }),
        )
        .expect("valid channel")
    }

    fn body(request: &tocsin_core::outbound::HttpRequest) -> Value {
        serde_json::from_slice(&request.body).expect("a JSON body")
    }

    fn longest_event() -> Event {
        let source: Map<String, Value> = (0..64)
            .map(|i| (format!("label{i:02}"), Value::String("&".repeat(1_024))))
            .collect();
        let input: tocsin_core::event::EventInput = serde_json::from_value(json!({
            "type": "backup.failure", "title": "<".repeat(1_024), "message": "&é".repeat(20_000),
            "source": source, "data": {"url": "https://ci.example.com/1"}}))
        .expect("an event input");
        Event::parse(input, ulid::Ulid::nil(), NOW).expect("a valid event")
    }

    #[test]
    fn token_fixture_is_a_webhook_token() {
        assert!(looks_like_webhook_token(&hook_token()));
    }

    #[test]
    fn renders_markdown_to_the_webhook_for_the_sample_event() {
        let request = render(&Webex, &webhook_channel(), &sample_event());
        insta::assert_json_snapshot!("webex_webhook_sample", testing::snapshot(&request));
    }

    #[test]
    fn renders_a_bot_message_for_the_sample_event() {
        let request = render(&Webex, &bot_channel(), &sample_event());
        insta::assert_json_snapshot!("webex_bot_sample", testing::snapshot(&request));
    }

    #[test]
    fn renders_a_recovery_with_a_green_mark() {
        let request = render(&Webex, &webhook_channel(), &recovery_event());
        insta::assert_json_snapshot!("webex_webhook_recovery", testing::snapshot(&request));
    }

    #[test]
    fn posts_as_a_bot_to_the_api_base() {
        let config = configure(
            &Webex,
            json!({ "room_id": ROOM, "api_base": "http://127.0.0.1:9000/" }),
            json!({ "bot_token": BOT_TOKEN }),
        )
        .unwrap();
        let request = render(&Webex, &config, &sample_event());
        assert_eq!(request.url, "http://127.0.0.1:9000/v1/messages");
        assert_eq!(
            request.header("authorization"),
            Some(format!("Bearer {BOT_TOKEN}").as_str())
        );
    }

    #[test]
    fn escapes_event_text_so_it_cannot_mention_anyone() {
        let mut event = sample_event();
        event.message = "ping <@all> & <@personEmail:boss@example.com>".into();
        let body = body(&render(&Webex, &webhook_channel(), &event));
        let text = body["markdown"].as_str().unwrap();
        assert!(text.starts_with("**🔴 Deploy failed: api &lt;prod&gt;**\n\n"));
        assert!(text.contains("ping &lt;@all&gt; &amp; &lt;@personEmail:boss@example.com&gt;"));
        assert!(!text.contains("<@"));
    }

    #[test]
    fn keeps_the_longest_event_within_the_webhook_and_bot_limits() {
        let event = longest_event();
        let request = render(&Webex, &webhook_channel(), &event);
        let text = body(&request)["markdown"].as_str().unwrap().to_owned();
        assert!(text.len() <= WEBHOOK_MAX_BYTES, "{}", text.len());

        let request = render(&Webex, &bot_channel(), &event);
        let body = body(&request);
        let text = body["markdown"].as_str().unwrap();
        assert!(text.len() <= BOT_MAX_BYTES, "{}", text.len());
        assert!(text.len() > BOT_MAX_BYTES - 16, "{}", text.len());
        assert!(
            text.contains("…\n\nSeverity: info"),
            "the message is the part cut"
        );
        assert!(body["text"].as_str().unwrap().len() <= FALLBACK_MAX_BYTES);
    }

    #[test]
    fn renders_the_long_event_within_the_webhook_and_bot_limits() {
        for (config, limit) in [
            (webhook_channel(), WEBHOOK_MAX_BYTES),
            (bot_channel(), BOT_MAX_BYTES),
        ] {
            let body = body(&render(&Webex, &config, &long_event()));
            let text = body["markdown"].as_str().unwrap();
            assert!(text.len() <= limit, "{}", text.len());
            assert!(text.ends_with("backup.failure"), "the footer stays");
        }
    }

    #[test]
    fn delivers_on_204_and_200() {
        assert_eq!(Webex.classify(&response(204, &[], "")), Outcome::Delivered);
        assert_eq!(
            Webex.classify(&response(200, &[], r#"{"id":"Y2lz","roomId":"Y2lz"}"#)),
            Outcome::Delivered
        );
    }

    #[test]
    fn retries_a_429_after_the_header_delay() {
        let answer = response(
            429,
            &[("Retry-After", "42")],
            r#"{"message":"Too Many Requests","errors":[{"description":"Too Many Requests"}],"trackingId":"ROUTER_6593B1B3-3A5E-01BB-0C4B-0AFE4A9B0C4B"}"#,
        );
        assert_eq!(
            Webex.classify(&answer),
            Outcome::Retry {
                reason: "Webex 429: Too Many Requests (trackingId ROUTER_6593B1B3-3A5E-01BB-0C4B-0AFE4A9B0C4B)".into(),
                after: Some(Duration::from_secs(42)),
            }
        );
    }

    #[test]
    fn fails_on_a_bad_token_or_unknown_room() {
        let answer = response(
            401,
            &[],
            r#"{"message":"The request requires a valid access token set in the Authorization request header.","errors":[{"description":"The request requires a valid access token set in the Authorization request header."}],"trackingId":"ROUTER_1"}"#,
        );
        assert_eq!(
            Webex.classify(&answer),
            Outcome::failed(
                "Webex 401: The request requires a valid access token set in the Authorization request header. (trackingId ROUTER_1)"
            )
        );
        let answer = response(
            404,
            &[],
            r#"{"errors":[{"description":"Could not find a room with provided ID."}]}"#,
        );
        assert_eq!(
            Webex.classify(&answer),
            Outcome::failed("Webex 404: Could not find a room with provided ID.")
        );
    }

    #[test]
    fn retries_a_server_error() {
        assert_eq!(
            Webex.classify(&response(
                503,
                &[("Retry-After", "60")],
                "Service Unavailable"
            )),
            Outcome::Retry {
                reason: "Webex 503: Service Unavailable".into(),
                after: Some(Duration::from_secs(60)),
            }
        );
    }

    #[test]
    fn round_trips_the_apprise_webhook_form() {
        for scheme in ["webex", "wxteams"] {
            let text = format!("{scheme}://{}", hook_token());
            let (config, printed) = url_round_trip(&Webex, &text);
            assert_eq!(
                config.secrets.expose("webhook_url"),
                Some(hook_url().as_str())
            );
            assert_eq!(printed, format!("webex://{}/?mode=webhook", hook_token()));
            let (again, _) = url_round_trip(&Webex, &printed);
            assert_eq!(again, config);
            assert_eq!(Webex.to_url(&config, false), "webex://***/?mode=webhook");
        }
    }

    #[test]
    fn round_trips_the_apprise_bot_form() {
        let text = format!("wxteams://{BOT_TOKEN}/{ROOM}/?api_base=http%3A%2F%2F127.0.0.1%3A9000");
        let (config, printed) = url_round_trip(&Webex, &text);
        assert_eq!(config.secrets.expose("bot_token"), Some(BOT_TOKEN));
        assert_eq!(config.str_setting("room_id"), Some(ROOM));
        assert_eq!(
            config.str_setting("api_base"),
            Some("http://127.0.0.1:9000")
        );
        let (again, _) = url_round_trip(&Webex, &printed);
        assert_eq!(again, config);
        let masked = Webex.to_url(&config, false);
        assert!(!masked.contains(BOT_TOKEN), "{masked}");
        assert!(
            masked.starts_with(&format!("webex://***/{ROOM}/?mode=bot")),
            "{masked}"
        );
    }

    #[test]
    fn round_trips_the_native_urls() {
        for host in ["webexapis.com", "api.ciscospark.com"] {
            let native = format!("https://{host}/v1/webhooks/incoming/{}", hook_token());
            assert!(Webex.accepts_native_url(&Url::parse(&native).unwrap()));
            let (config, printed) = url_round_trip(&Webex, &native);
            assert_eq!(config.secrets.expose("webhook_url"), Some(native.as_str()));
            let (again, _) = url_round_trip(&Webex, &printed);
            assert_eq!(again, config);
            assert!(!Webex.to_url(&config, false).contains(&hook_token()));
        }
    }

    #[test]
    fn round_trips_a_webhook_on_another_host() {
        let (config, printed) = url_round_trip(&Webex, "http://127.0.0.1:8080/webex");
        assert_eq!(
            printed,
            "webex://?webhook=http%3A%2F%2F127.0.0.1%3A8080%2Fwebex"
        );
        let (again, _) = url_round_trip(&Webex, &printed);
        assert_eq!(again, config);
        assert_eq!(Webex.to_url(&config, false), "webex://?webhook=***");
    }

    #[test]
    fn refuses_malformed_urls() {
        for (text, needle) in [
            ("webex://", "webex://{webhook_token}"),
            ("webex://shorttoken", "not a webhook token"),
            ("webex://tok/?mode=bot", "webex://{bot_token}/{room_id}"),
            ("webex://tok/room1/room2", "one channel per room"),
            (
                "webex://tok/room?mode=carrier",
                "`mode` must be webhook or bot",
            ),
            (
                "https://webexapis.com/v1/messages",
                "/v1/webhooks/incoming/{token}",
            ),
        ] {
            let err = Webex.parse_url(&Url::parse(text).unwrap()).expect_err(text);
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
                json!({"webhook_url": "webexapis.com/x"}),
                "secrets.webhook_url",
            ),
            (
                json!({}),
                json!({"webhook_url": hook_url(), "bot_token": BOT_TOKEN}),
                "secrets.bot_token",
            ),
            (
                json!({}),
                json!({"bot_token": BOT_TOKEN}),
                "settings.room_id",
            ),
            (
                json!({"room_id": ROOM}),
                json!({"webhook_url": hook_url()}),
                "settings.room_id",
            ),
            (
                json!({"room_id": ROOM}),
                json!({"bot_token": "two words"}),
                "secrets.bot_token",
            ),
            (
                json!({"room_id": ROOM, "api_base": "webexapis.com"}),
                json!({"bot_token": BOT_TOKEN}),
                "settings.api_base",
            ),
            (
                json!({"bot_token": BOT_TOKEN, "room_id": ROOM}),
                json!({}),
                "settings.bot_token",
            ),
            (
                json!({"room": ROOM}),
                json!({"bot_token": BOT_TOKEN}),
                "settings.room",
            ),
        ];
        for (settings, secrets, field) in cases {
            let err = configure(&Webex, settings.clone(), secrets).expect_err(field);
            assert_eq!(err.field, field, "{settings}: {err}");
        }
    }
}
