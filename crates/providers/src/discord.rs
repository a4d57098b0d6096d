//! The `discord` kind: a channel webhook (`POST …/api/webhooks/{id}/{token}?wait=true`) that
//! carries one embed per event, coloured by severity, with the source labels as inline
//! fields and mentions switched off.
//!
//! URL forms: Apprise's `discord://{webhook_id}/{webhook_token}/?thread=…&botname=…`, the
//! webhook URL itself (`https://discord.com/api/webhooks/{id}/{token}`), and
//! `discord://?webhook=<URL>` for a webhook on any other host (proxies, self-hosted
//! Discord-compatible servers, tests).

use serde_json::{Map, Value, json};
use tocsin_core::FieldError;
use tocsin_core::channel::{ChannelConfig, Secrets};
use tocsin_core::event::Event;
use tocsin_core::outbound::{HttpResponse, Outcome};
use url::Url;

use crate::common;
use crate::schema::{DefaultValue, FieldSpec, FieldType, KindSchema};
use crate::{Message, Outbound, Pace, Provider};

pub struct Discord;

pub static SCHEMA: KindSchema = KindSchema {
    kind: "discord",
    label: "Discord",
    description: "A Discord channel webhook: one embed per event, coloured by severity, with the source labels as fields.",
    url_schemes: &["discord"],
    fields: &[
        FieldSpec {
            name: "webhook_url",
            label: "Webhook URL",
            help: "From the channel's Integrations → Webhooks, e.g. https://discord.com/api/webhooks/123456789012345678/abcDEF…",
            field_type: FieldType::Url,
            secret: true,
            required: true,
            default: None,
        },
        FieldSpec {
            name: "thread_id",
            label: "Thread ID",
            help: "Post into this thread of the webhook's channel (forum channels need one).",
            field_type: FieldType::String,
            secret: false,
            required: false,
            default: None,
        },
        FieldSpec {
            name: "username",
            label: "Username",
            help: "The sender name shown instead of Tocsin's (at most 80 characters; Discord refuses names containing \"discord\" or \"clyde\").",
            field_type: FieldType::String,
            secret: false,
            required: false,
            default: None,
        },
        FieldSpec {
            name: "icon_url",
            label: "Avatar URL",
            help: "The sender avatar shown instead of Tocsin's icon.",
            field_type: FieldType::Url,
            secret: false,
            required: false,
            default: None,
        },
        FieldSpec {
            name: "decoration",
            label: "Decoration",
            help: "Start the title with a coloured emoji for the severity.",
            field_type: FieldType::Boolean,
            secret: false,
            required: false,
            default: Some(DefaultValue::Bool(true)),
        },
        FieldSpec {
            name: "silent",
            label: "Silent",
            help: "Post without a push notification (Discord's SUPPRESS_NOTIFICATIONS flag).",
            field_type: FieldType::Boolean,
            secret: false,
            required: false,
            default: Some(DefaultValue::Bool(false)),
        },
    ],
};

const DEFAULT_HOST: &str = "discord.com";
/// Hosts Discord serves webhooks from (the others are legacy or client channels).
const NATIVE_HOSTS: &[&str] = &[
    "discord.com",
    "discordapp.com",
    "ptb.discord.com",
    "canary.discord.com",
];
const URL_HELP: &str = "must be a Discord webhook URL like https://discord.com/api/webhooks/123456789012345678/abcDEF…";
const APPRISE_HELP: &str = "must look like discord://{webhook_id}/{webhook_token}, e.g. discord://123456789012345678/abcDEF…";

// Limits of a message, in characters (Part C item 5).
const TITLE_MAX: usize = 256;
const DESCRIPTION_MAX: usize = 4_096;
const FIELD_NAME_MAX: usize = 256;
const FIELD_VALUE_MAX: usize = 1_024;
const FIELDS_MAX: usize = 25;
const FOOTER_MAX: usize = 2_048;
const EMBED_TOTAL_MAX: usize = 6_000;
const USERNAME_MAX: usize = 80;
/// The SUPPRESS_NOTIFICATIONS message flag.
const FLAG_SILENT: u64 = 4_096;

/// The id and token of a webhook on discord.com.
struct Parts {
    id: String,
    token: String,
}

/// `id` and `token` when `url` is exactly `https://discord.com/api/webhooks/{id}/{token}`.
fn canonical_parts(url: &Url) -> Option<Parts> {
    if url.scheme() != "https"
        || url.host_str() != Some(DEFAULT_HOST)
        || url.port().is_some()
        || url.query().is_some()
        || url.fragment().is_some()
        || !url.username().is_empty()
    {
        return None;
    }
    match common::path_segments(url).as_slice() {
        [api, webhooks, id, token] if api == "api" && webhooks == "webhooks" => {
            let parts = Parts {
                id: id.clone(),
                token: token.clone(),
            };
            (canonical_url(&parts) == url.as_str()).then_some(parts)
        }
        _ => None,
    }
}

fn canonical_url(parts: &Parts) -> String {
    format!(
        "https://{DEFAULT_HOST}/api/webhooks/{}/{}",
        common::encode_segment(&parts.id),
        common::encode_segment(&parts.token)
    )
}

/// Reads a webhook URL: http(s) with a host; on Discord's own hosts also the
/// `/api/webhooks/{id}/{token}` path.
fn parse_webhook_url(text: &str, field: &str) -> Result<Url, FieldError> {
    let url = common::http_url(text, field, URL_HELP)?;
    let on_discord = url
        .host_str()
        .is_some_and(|h| NATIVE_HOSTS.contains(&h.to_ascii_lowercase().as_str()));
    if on_discord && !has_webhook_path(&url) {
        return Err(FieldError::new(
            field,
            format!("{URL_HELP} (the path must be /api/webhooks/{{id}}/{{token}})"),
        ));
    }
    Ok(url)
}

fn has_webhook_path(url: &Url) -> bool {
    let segments = common::path_segments(url);
    matches!(segments.as_slice(), [api, webhooks, id, token]
        if api == "api" && webhooks == "webhooks" && !id.is_empty() && !token.is_empty())
}

fn embed(event: &Event, decoration: bool) -> Value {
    let title = if decoration {
        format!(
            "{} {}",
            common::severity_circle(event.severity),
            common::title(event)
        )
    } else {
        common::title(event).to_owned()
    };
    let title = common::truncate(&title, TITLE_MAX);
    let footer = common::truncate(&event.event_type, FOOTER_MAX);
    let mut used = title.chars().count() + footer.chars().count();
    let mut embed = Map::new();
    embed.insert("title".into(), Value::String(title));
    if !event.message.trim().is_empty() {
        let description = common::truncate(&event.message, DESCRIPTION_MAX);
        used += description.chars().count();
        embed.insert("description".into(), Value::String(description));
    }
    if let Some(link) = common::web_link(event) {
        embed.insert("url".into(), Value::String(link));
    }
    embed.insert("color".into(), Value::from(event.severity.color()));
    let mut fields = Vec::new();
    let labels = std::iter::once(("Severity", event.severity.as_str()))
        .chain(event.source.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    for (name, value) in labels {
        // Discord refuses a field with an empty value.
        if value.trim().is_empty() {
            continue;
        }
        let name = common::truncate(name, FIELD_NAME_MAX);
        let value = common::truncate(value, FIELD_VALUE_MAX);
        let size = name.chars().count() + value.chars().count();
        if fields.len() == FIELDS_MAX || used + size > EMBED_TOTAL_MAX {
            break;
        }
        used += size;
        fields.push(json!({"name": name, "value": value, "inline": true}));
    }
    embed.insert("fields".into(), Value::Array(fields));
    embed.insert(
        "timestamp".into(),
        Value::String(tocsin_core::time::to_rfc3339(event.occurred_at)),
    );
    embed.insert("footer".into(), json!({ "text": footer }));
    Value::Object(embed)
}

/// The request URL: the webhook with `wait=true` (so that Discord answers with the stored
/// message, or an error, instead of a bare 204) and the thread.
fn request_url(webhook: &Url, thread_id: Option<&str>) -> String {
    let mut url = webhook.clone();
    let kept: Vec<(String, String)> = webhook
        .query_pairs()
        .filter(|(k, _)| k != "wait" && !(k == "thread_id" && thread_id.is_some()))
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    url.set_query(None);
    {
        let mut query = url.query_pairs_mut();
        query.extend_pairs(kept);
        query.append_pair("wait", "true");
        if let Some(thread) = thread_id {
            query.append_pair("thread_id", thread);
        }
    }
    url.to_string()
}

/// The first per-field error of a `50035 Invalid Form Body` answer, as
/// `embeds.0.title: Must be 256 or fewer in length.`.
fn first_form_error(errors: &Value, path: &mut Vec<String>) -> Option<String> {
    let map = errors.as_object()?;
    if let Some(first) = map
        .get("_errors")
        .and_then(Value::as_array)
        .and_then(|a| a.first())
    {
        let text = first
            .get("message")
            .and_then(Value::as_str)
            .or_else(|| first.get("code").and_then(Value::as_str))
            .unwrap_or("invalid");
        return Some(if path.is_empty() {
            text.to_owned()
        } else {
            format!("{}: {text}", path.join("."))
        });
    }
    for (key, value) in map {
        path.push(key.clone());
        if let Some(found) = first_form_error(value, path) {
            return Some(found);
        }
        path.pop();
    }
    None
}

fn reason(response: &HttpResponse, body: Option<&Value>) -> String {
    let status = response.status;
    let message = body
        .and_then(|b| b.get("message"))
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|m| !m.is_empty());
    let Some(message) = message else {
        return crate::classify::service_status("Discord", response);
    };
    let mut reason = format!("Discord {status}: {message}");
    if let Some(code) = body
        .and_then(|b| b.get("code"))
        .and_then(Value::as_i64)
        .filter(|c| *c != 0)
    {
        reason.push_str(&format!(" (code {code})"));
    }
    if let Some(detail) = body
        .and_then(|b| b.get("errors"))
        .and_then(|e| first_form_error(e, &mut Vec::new()))
    {
        reason.push_str(&format!(": {detail}"));
    }
    if body.and_then(|b| b.get("global")).and_then(Value::as_bool) == Some(true) {
        reason.push_str(" (global limit)");
    }
    reason
}

impl Provider for Discord {
    fn schema(&self) -> &'static KindSchema {
        &SCHEMA
    }

    /// Limits are keyed per webhook id and token and announced in `X-RateLimit-*` headers
    /// [D docs.discord.com rate-limits]; a webhook takes about 5 requests per 2 seconds. [K]
    fn pace(&self, _config: &ChannelConfig) -> Option<Pace> {
        Some(Pace::new(std::time::Duration::from_secs(2), 5))
    }

    fn prepare(&self, config: &mut ChannelConfig) -> Result<(), FieldError> {
        let text = common::required_secret(config, "webhook_url")?;
        let mut url = parse_webhook_url(text, "secrets.webhook_url")?;
        // A thread given in the pasted URL becomes the setting, so that it shows and the
        // request carries it once.
        let thread_in_url = url
            .query_pairs()
            .find(|(k, _)| k == "thread_id")
            .map(|(_, v)| v.into_owned());
        if thread_in_url.is_some() || url.query_pairs().any(|(k, _)| k == "wait") {
            let kept: Vec<(String, String)> = url
                .query_pairs()
                .filter(|(k, _)| k != "thread_id" && k != "wait")
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect();
            url.set_query(None);
            if !kept.is_empty() {
                url.query_pairs_mut().extend_pairs(kept);
            }
        }
        if let Some(thread) = thread_in_url
            && common::setting(config, "thread_id").is_none()
        {
            config
                .settings
                .insert("thread_id".into(), Value::String(thread));
        }
        config.secrets.insert("webhook_url", url.to_string());
        if let Some(thread) = common::setting(config, "thread_id")
            && !thread.bytes().all(|b| b.is_ascii_digit())
        {
            return Err(FieldError::new(
                "settings.thread_id",
                "must be the thread's numeric id (right-click the thread → Copy Thread ID), e.g. 1234567890123456789",
            ));
        }
        if let Some(name) = common::setting(config, "username") {
            let lower = name.to_lowercase();
            if name.trim().is_empty() || name.chars().count() > USERNAME_MAX {
                return Err(FieldError::new(
                    "settings.username",
                    "must be 1 to 80 characters; leave it out to use Tocsin's name",
                ));
            }
            // Discord's documented rule for webhook names.
            if lower.contains("discord") || lower.contains("clyde") {
                return Err(FieldError::new(
                    "settings.username",
                    "must not contain \"discord\" or \"clyde\": Discord refuses such webhook names",
                ));
            }
        }
        Ok(())
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
            "discord" => {}
            other => {
                return Err(FieldError::new(
                    "url",
                    format!("`{other}://` is not a Discord URL; {APPRISE_HELP}"),
                ));
            }
        }
        let pairs = common::query_pairs(url);
        if let Some((_, webhook)) = pairs.iter().find(|(k, _)| k == "webhook") {
            let webhook = parse_webhook_url(webhook, "url")?;
            secrets.insert("webhook_url", webhook.to_string());
        } else {
            let id = url.host_str().map(common::decode).unwrap_or_default();
            let segments = common::path_segments(url);
            let token = match segments.as_slice() {
                [token] => token.clone(),
                _ => String::new(),
            };
            if id.is_empty() || token.is_empty() {
                return Err(FieldError::new("url", APPRISE_HELP));
            }
            if !id.bytes().all(|b| b.is_ascii_digit()) {
                return Err(FieldError::new(
                    "url",
                    format!("the webhook id `{id}` is not numeric; {APPRISE_HELP}"),
                ));
            }
            secrets.insert("webhook_url", canonical_url(&Parts { id, token }));
        }
        if !url.username().is_empty() {
            settings.insert(
                "username".into(),
                Value::String(common::decode(url.username())),
            );
        }
        for (key, value) in pairs {
            match key.as_str() {
                "botname" | "username" => {
                    settings.insert("username".into(), Value::String(value));
                }
                "thread" | "thread_id" => {
                    settings.insert("thread_id".into(), Value::String(value));
                }
                "avatar_url" | "icon_url" => {
                    settings.insert("icon_url".into(), Value::String(value));
                }
                "decoration" => {
                    settings.insert(
                        "decoration".into(),
                        Value::Bool(common::url_flag(&key, &value)?),
                    );
                }
                "silent" => {
                    settings.insert(
                        "silent".into(),
                        Value::Bool(common::url_flag(&key, &value)?),
                    );
                }
                "flags" => {
                    let flags: u64 = value.parse().map_err(|_| {
                        FieldError::new("url", format!("`flags` must be a number, not `{value}`"))
                    })?;
                    settings.insert("silent".into(), Value::Bool(flags & FLAG_SILENT != 0));
                }
                // Apprise's rendering options (tts, avatar, footer, image, format, …) have
                // no meaning here; Tocsin draws its own embed.
                _ => {}
            }
        }
        Ok(ChannelConfig { settings, secrets })
    }

    fn accepts_native_url(&self, url: &Url) -> bool {
        url.scheme() == "https"
            && url
                .host_str()
                .is_some_and(|h| NATIVE_HOSTS.contains(&h.to_ascii_lowercase().as_str()))
            && has_webhook_path(url)
    }

    fn to_url(&self, config: &ChannelConfig, reveal: bool) -> String {
        let webhook = config
            .secrets
            .expose("webhook_url")
            .and_then(|w| Url::parse(w).ok());
        let mut pairs: Vec<(String, String)> = Vec::new();
        let head = match webhook.as_ref().and_then(canonical_parts) {
            Some(parts) => format!(
                "discord://{}/{}/",
                common::encode_segment(&parts.id),
                common::shown(&parts.token, reveal)
            ),
            None => {
                let shown = match (&webhook, reveal) {
                    (Some(w), true) => w.to_string(),
                    _ => "***".to_owned(),
                };
                pairs.push(("webhook".into(), shown));
                "discord://".to_owned()
            }
        };
        if let Some(name) = common::setting(config, "username") {
            pairs.push(("botname".into(), name.to_owned()));
        }
        if let Some(thread) = common::setting(config, "thread_id") {
            pairs.push(("thread".into(), thread.to_owned()));
        }
        if let Some(icon) = common::setting(config, "icon_url") {
            pairs.push(("avatar_url".into(), icon.to_owned()));
        }
        if config.settings.get("decoration") == Some(&Value::Bool(false)) {
            pairs.push(("decoration".into(), "no".into()));
        }
        if common::bool_setting(config, "silent") {
            pairs.push(("silent".into(), "yes".into()));
        }
        if pairs.is_empty() {
            head
        } else {
            // `***` stays readable rather than percent-encoded.
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
        let event = message.event;
        let decoration = config
            .settings
            .get("decoration")
            .and_then(Value::as_bool)
            .unwrap_or(true);
        let username = common::setting(config, "username").unwrap_or(&message.identity.name);
        let mut body = Map::new();
        // Discord refuses an empty name; without one the webhook's own name shows.
        if !username.trim().is_empty() {
            body.insert(
                "username".into(),
                Value::String(common::truncate(username, USERNAME_MAX)),
            );
        }
        let avatar = common::setting(config, "icon_url").or(message.identity.icon_url.as_deref());
        if let Some(avatar) = avatar.filter(|a| !a.is_empty()) {
            body.insert("avatar_url".into(), Value::String(avatar.to_owned()));
        }
        // No @everyone, @here, user or role pings from event text.
        body.insert("allowed_mentions".into(), json!({ "parse": [] }));
        body.insert(
            "embeds".into(),
            Value::Array(vec![embed(event, decoration)]),
        );
        if common::bool_setting(config, "silent") {
            body.insert("flags".into(), Value::from(FLAG_SILENT));
        }
        let url = request_url(&webhook, common::setting(config, "thread_id"));
        Ok(Outbound::Http(common::json_request(
            "POST",
            url,
            Vec::new(),
            &Value::Object(body),
        )))
    }

    fn classify(&self, response: &HttpResponse) -> Outcome {
        let status = response.status;
        if (200..300).contains(&status) {
            return Outcome::Delivered;
        }
        let body = common::json_body(response);
        let reason = reason(response, body.as_ref());
        // 404 Unknown Webhook (10015), 401 Invalid Webhook Token, 400 Invalid Form Body: the
        // webhook or the message is wrong, and sending again cannot help.
        crate::classify::retry_or_fail(response, reason, false, || {
            // A 429's `retry_after` (float seconds) is the precise one; the header rounds it.
            body.as_ref()
                .filter(|_| status == 429)
                .and_then(|b| b.get("retry_after"))
                .and_then(common::seconds)
        })
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::Identity;
    use crate::testing::{self, *};

    const WEBHOOK: &str = "https://discord.com/api/webhooks/123456789012345678/tok_EN-abc";

    fn channel(settings: Value) -> ChannelConfig {
        configure(&Discord, settings, json!({ "webhook_url": WEBHOOK })).expect("valid channel")
    }

    fn body(request: &tocsin_core::outbound::HttpRequest) -> Value {
        serde_json::from_slice(&request.body).expect("a JSON body")
    }

    /// The longest event the API accepts, with as many long labels as it allows.
    fn longest_event() -> Event {
        let source: Map<String, Value> = (0..64)
            .map(|i| (format!("label{i:02}"), Value::String("v".repeat(1_024))))
            .collect();
        let input: tocsin_core::event::EventInput = serde_json::from_value(json!({
            "type": "backup.failure", "title": "T".repeat(1_024), "message": "M".repeat(65_536),
            "source": source, "data": {"url": "https://ci.example.com/1"}}))
        .expect("an event input");
        Event::parse(input, ulid::Ulid::nil(), NOW).expect("a valid event")
    }

    #[test]
    fn renders_an_embed_for_the_sample_event() {
        let request = render(&Discord, &channel(json!({})), &sample_event());
        insta::assert_json_snapshot!("discord_sample", testing::snapshot(&request));
    }

    #[test]
    fn renders_a_green_embed_for_a_recovery() {
        let request = render(&Discord, &channel(json!({})), &recovery_event());
        insta::assert_json_snapshot!("discord_recovery", testing::snapshot(&request));
    }

    #[test]
    fn posts_into_the_thread_with_the_channel_identity_and_silently() {
        let config = channel(json!({"thread_id": "998877", "username": "Ops bot",
            "icon_url": "https://example.com/bot.png", "decoration": false, "silent": true}));
        let request = render(&Discord, &config, &sample_event());
        assert_eq!(
            request.url,
            "https://discord.com/api/webhooks/123456789012345678/tok_EN-abc?wait=true&thread_id=998877"
        );
        let body = body(&request);
        assert_eq!(body["username"], "Ops bot");
        assert_eq!(body["avatar_url"], "https://example.com/bot.png");
        assert_eq!(body["flags"], 4096);
        assert_eq!(body["embeds"][0]["title"], "Deploy failed: api <prod>");
    }

    #[test]
    fn carries_the_identity_when_the_channel_sets_none() {
        let identity = Identity {
            name: "Tocsin EU".into(),
            icon_url: Some("https://tocsin.example.com/static/icon.png".into()),
        };
        let request = render_as(&Discord, &channel(json!({})), &sample_event(), &identity);
        let body = body(&request);
        assert_eq!(body["username"], "Tocsin EU");
        assert_eq!(
            body["avatar_url"],
            "https://tocsin.example.com/static/icon.png"
        );
    }

    #[test]
    fn takes_the_thread_from_a_pasted_url() {
        let config = configure(
            &Discord,
            json!({}),
            json!({"webhook_url": format!("{WEBHOOK}?thread_id=42&wait=false")}),
        )
        .unwrap();
        assert_eq!(config.str_setting("thread_id"), Some("42"));
        assert_eq!(config.secrets.expose("webhook_url"), Some(WEBHOOK));
        let request = render(&Discord, &config, &sample_event());
        assert!(request.url.ends_with("?wait=true&thread_id=42"));
    }

    #[test]
    fn keeps_user_text_as_is_and_switches_mentions_off() {
        let request = render(&Discord, &channel(json!({})), &sample_event());
        let body = body(&request);
        assert_eq!(body["allowed_mentions"], json!({"parse": []}));
        assert_eq!(body["embeds"][0]["title"], "🔴 Deploy failed: api <prod>");
        assert_eq!(
            body["embeds"][0]["description"],
            "Build \"api\" broke at step 3 & stopped.\nSee the log."
        );
    }

    #[test]
    fn keeps_the_longest_event_within_discord_limits() {
        let request = render(&Discord, &channel(json!({})), &longest_event());
        let body = body(&request);
        let embed = &body["embeds"][0];
        let chars = |v: &Value| v.as_str().map_or(0, |s| s.chars().count());
        assert_eq!(chars(&embed["title"]), TITLE_MAX);
        assert!(embed["title"].as_str().unwrap().ends_with('…'));
        assert_eq!(chars(&embed["description"]), DESCRIPTION_MAX);
        let fields = embed["fields"].as_array().unwrap();
        assert!(fields.len() <= FIELDS_MAX);
        let total = chars(&embed["title"])
            + chars(&embed["description"])
            + chars(&embed["footer"]["text"])
            + fields
                .iter()
                .map(|f| chars(&f["name"]) + chars(&f["value"]))
                .sum::<usize>();
        assert!(total <= EMBED_TOTAL_MAX, "{total}");
        assert!(fields.iter().all(|f| chars(&f["value"]) <= FIELD_VALUE_MAX));
    }

    #[test]
    fn renders_the_long_event_within_discord_limits() {
        let body = body(&render(&Discord, &channel(json!({})), &long_event()));
        let embed = &body["embeds"][0];
        assert_eq!(embed["title"].as_str().unwrap().chars().count(), TITLE_MAX);
        assert_eq!(
            embed["description"].as_str().unwrap().chars().count(),
            DESCRIPTION_MAX
        );
    }

    #[test]
    fn delivers_on_200_and_204() {
        assert_eq!(
            Discord.classify(&response(200, &[], r#"{"id":"1","type":0}"#)),
            Outcome::Delivered
        );
        assert_eq!(
            Discord.classify(&response(204, &[], "")),
            Outcome::Delivered
        );
    }

    #[test]
    fn retries_a_429_after_the_body_delay() {
        let answer = response(
            429,
            &[("Retry-After", "1"), ("X-RateLimit-Scope", "shared")],
            r#"{"message": "You are being rate limited.", "retry_after": 0.651, "global": false}"#,
        );
        assert_eq!(
            Discord.classify(&answer),
            Outcome::Retry {
                reason: "Discord 429: You are being rate limited.".into(),
                after: Some(Duration::from_millis(651)),
            }
        );
    }

    #[test]
    fn retries_a_global_429_after_the_header_delay() {
        let answer = response(
            429,
            &[("Retry-After", "3")],
            r#"{"message": "You are being rate limited.", "global": true}"#,
        );
        assert_eq!(
            Discord.classify(&answer),
            Outcome::Retry {
                reason: "Discord 429: You are being rate limited. (global limit)".into(),
                after: Some(Duration::from_secs(3)),
            }
        );
    }

    #[test]
    fn fails_on_an_unknown_webhook() {
        let answer = response(404, &[], r#"{"message": "Unknown Webhook", "code": 10015}"#);
        assert_eq!(
            Discord.classify(&answer),
            Outcome::failed("Discord 404: Unknown Webhook (code 10015)")
        );
    }

    #[test]
    fn fails_on_an_invalid_form_body_naming_the_field() {
        let answer = response(
            400,
            &[],
            r#"{"code": 50035, "errors": {"embeds": {"0": {"description": {"_errors": [{"code": "BASE_TYPE_MAX_LENGTH", "message": "Must be 4096 or fewer in length."}]}}}}, "message": "Invalid Form Body"}"#,
        );
        assert_eq!(
            Discord.classify(&answer),
            Outcome::failed(
                "Discord 400: Invalid Form Body (code 50035): embeds.0.description: Must be 4096 or fewer in length."
            )
        );
    }

    #[test]
    fn retries_a_server_error() {
        assert_eq!(
            Discord.classify(&response(502, &[], "<html>Bad Gateway</html>")),
            Outcome::Retry {
                reason: "Discord 502: <html>Bad Gateway</html>".into(),
                after: None
            }
        );
    }

    #[test]
    fn round_trips_the_apprise_form() {
        let text = "discord://123456789012345678/tok_EN-abc/?botname=Ops&thread=77&avatar_url=https%3A%2F%2Fexample.com%2Fa.png&decoration=no&silent=yes";
        let (config, printed) = url_round_trip(&Discord, text);
        assert_eq!(config.secrets.expose("webhook_url"), Some(WEBHOOK));
        assert_eq!(config.str_setting("username"), Some("Ops"));
        assert_eq!(config.str_setting("thread_id"), Some("77"));
        assert_eq!(
            config.str_setting("icon_url"),
            Some("https://example.com/a.png")
        );
        assert_eq!(config.settings["decoration"], false);
        assert_eq!(config.settings["silent"], true);
        let (again, _) = url_round_trip(&Discord, &printed);
        assert_eq!(again, config);
        let masked = Discord.to_url(&config, false);
        assert!(!masked.contains("tok_EN-abc"), "{masked}");
        assert!(
            masked.starts_with("discord://123456789012345678/***/"),
            "{masked}"
        );
    }

    #[test]
    fn reads_the_botname_before_the_id() {
        let (config, _) = url_round_trip(&Discord, "discord://Ops%20Bot@123/abc");
        assert_eq!(config.str_setting("username"), Some("Ops Bot"));
        assert_eq!(
            config.secrets.expose("webhook_url"),
            Some("https://discord.com/api/webhooks/123/abc")
        );
    }

    #[test]
    fn round_trips_the_native_url() {
        let url = Url::parse(&format!("{WEBHOOK}?thread_id=9")).unwrap();
        assert!(Discord.accepts_native_url(&url));
        let (config, printed) = url_round_trip(&Discord, url.as_str());
        assert_eq!(config.str_setting("thread_id"), Some("9"));
        assert_eq!(printed, "discord://123456789012345678/tok_EN-abc/?thread=9");
        let (again, _) = url_round_trip(&Discord, &printed);
        assert_eq!(again, config);
    }

    #[test]
    fn round_trips_a_webhook_on_another_host() {
        let text = "http://127.0.0.1:8080/api/webhooks/1/abc";
        assert!(!Discord.accepts_native_url(&Url::parse(text).unwrap()));
        let (config, printed) = url_round_trip(&Discord, text);
        assert_eq!(
            printed,
            "discord://?webhook=http%3A%2F%2F127.0.0.1%3A8080%2Fapi%2Fwebhooks%2F1%2Fabc"
        );
        let (again, _) = url_round_trip(&Discord, &printed);
        assert_eq!(again, config);
        assert_eq!(Discord.to_url(&config, false), "discord://?webhook=***");
    }

    #[test]
    fn refuses_malformed_urls() {
        for (text, needle) in [
            ("discord://123456", "discord://{webhook_id}/{webhook_token}"),
            ("discord://abc/def", "is not numeric"),
            ("discord://1/2/?silent=maybe", "`silent` must be yes or no"),
            ("discord://?webhook=ftp%3A%2F%2Fx", "Discord webhook URL"),
            (
                "https://discord.com/channels/1/2",
                "/api/webhooks/{id}/{token}",
            ),
        ] {
            let err = Discord
                .parse_url(&Url::parse(text).unwrap())
                .expect_err(text);
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
                json!({"webhook_url": "discord.com/api/webhooks/1/2"}),
                "secrets.webhook_url",
            ),
            (
                json!({"thread_id": "general"}),
                json!({"webhook_url": WEBHOOK}),
                "settings.thread_id",
            ),
            (
                json!({"username": "Discord Alerts"}),
                json!({"webhook_url": WEBHOOK}),
                "settings.username",
            ),
            (
                json!({"username": "x".repeat(81)}),
                json!({"webhook_url": WEBHOOK}),
                "settings.username",
            ),
            (
                json!({"icon_url": "not a url"}),
                json!({"webhook_url": WEBHOOK}),
                "settings.icon_url",
            ),
            (
                json!({"silent": "yes"}),
                json!({"webhook_url": WEBHOOK}),
                "settings.silent",
            ),
            (
                json!({"webhook_url": WEBHOOK}),
                json!({}),
                "settings.webhook_url",
            ),
            (
                json!({"colour": "red"}),
                json!({"webhook_url": WEBHOOK}),
                "settings.colour",
            ),
        ];
        for (settings, secrets, field) in cases {
            let err = configure(&Discord, settings.clone(), secrets).expect_err(field);
            assert_eq!(err.field, field, "{settings}: {err}");
        }
    }

    #[test]
    fn accepts_a_webhook_on_any_http_host() {
        let config = configure(
            &Discord,
            json!({}),
            json!({"webhook_url": "http://127.0.0.1:9000/hooks/discord"}),
        )
        .unwrap();
        let request = render(&Discord, &config, &sample_event());
        assert_eq!(request.url, "http://127.0.0.1:9000/hooks/discord?wait=true");
    }
}
