//! The `telegram` kind: a bot posts to one chat (optionally one forum topic) through the
//! Bot API's `sendMessage`, as HTML.
//!
//! URL forms: Apprise's `tgram://{bot_token}/{chat_id}[:{thread_id}]` with the token's colon
//! written `%3A` (a bare colon reads as a port), and the Bot API's own
//! `https://api.telegram.org/bot{token}/sendMessage?chat_id=…`.

use serde_json::{Map, Value, json};
use tocsin_core::FieldError;
use tocsin_core::channel::{ChannelConfig, Secrets};
use tocsin_core::event::Event;
use tocsin_core::outbound::{HttpResponse, Outcome};

use crate::common::{
    self, api_base, api_base_field, escape_html, int_setting, json_body, query_pairs,
    required_secret, required_setting,
};
use crate::schema::{DefaultValue, FieldSpec, FieldType, KindSchema};
use crate::{Message, Outbound, Pace, Provider, classify};

pub struct Telegram;

const DEFAULT_API: &str = "https://api.telegram.org";
const NATIVE_HOST: &str = "api.telegram.org";

/// `text` may hold 4,096 characters after entity parsing. Telegram counts UTF-16 code units,
/// so the budget is kept in those.
const TEXT_LIMIT: usize = 4_096;
const TITLE_LIMIT: usize = 256;
/// The labels block never takes more than this, so that the message keeps most of the room.
const LABELS_LIMIT: usize = 1_000;
/// A link longer than this is left out rather than eat the message's room.
const LINK_LIMIT: usize = 1_000;

pub static SCHEMA: KindSchema = KindSchema {
    kind: "telegram",
    label: "Telegram",
    description: "A Telegram chat, group, channel or forum topic, through a bot (Bot API sendMessage).",
    url_schemes: &["tgram"],
    fields: &[
        FieldSpec {
            name: "chat_id",
            label: "Chat ID",
            help: "A numeric chat id (groups and channels look like -1001234567890) or a public channel's @username. The bot must be a member.",
            field_type: FieldType::String,
            secret: false,
            required: true,
            default: None,
        },
        FieldSpec {
            name: "message_thread_id",
            label: "Topic ID",
            help: "Post into this forum topic of a supergroup (message_thread_id).",
            field_type: FieldType::Integer {
                min: 1,
                max: i64::MAX,
            },
            secret: false,
            required: false,
            default: None,
        },
        FieldSpec {
            name: "silent",
            label: "Silent",
            help: "Deliver without a notification sound.",
            field_type: FieldType::Boolean,
            secret: false,
            required: false,
            default: Some(DefaultValue::Bool(false)),
        },
        api_base_field(
            "The Bot API server; defaults to https://api.telegram.org. Set it for a local Bot API server or a proxy.",
        ),
        FieldSpec {
            name: "bot_token",
            label: "Bot token",
            help: "The token @BotFather gave for the bot, like 123456789:AAE…",
            field_type: FieldType::String,
            secret: true,
            required: true,
            default: None,
        },
    ],
};

impl Provider for Telegram {
    fn schema(&self) -> &'static KindSchema {
        &SCHEMA
    }

    /// About 1 message per second per chat and about 20 per minute per group [K]: a group or
    /// channel (a negative id or an `@username`) gets one message every 3 seconds, so it
    /// keeps both; a private chat one a second.
    fn pace(&self, config: &ChannelConfig) -> Option<Pace> {
        let group = common::setting(config, "chat_id")
            .is_some_and(|chat| chat.starts_with('-') || chat.starts_with('@'));
        Some(if group {
            Pace::new(std::time::Duration::from_secs(3), 1)
        } else {
            Pace::ONE_PER_SECOND
        })
    }

    fn prepare(&self, config: &mut ChannelConfig) -> Result<(), FieldError> {
        let token = required_secret(config, "bot_token")?;
        let token = check_token(token)
            .ok_or_else(|| {
                FieldError::new(
                    "secrets.bot_token",
                    "must be a bot token like 123456789:AAEhBP0av28… as @BotFather gives it",
                )
            })?
            .to_owned();
        config.secrets.insert("bot_token", token);
        let chat = required_setting(config, "chat_id")?;
        let chat = check_chat(chat).ok_or_else(|| {
            FieldError::new(
                "settings.chat_id",
                "must be a numeric chat id (e.g. -1001234567890) or a channel username like @mychannel",
            )
        })?;
        config
            .settings
            .insert("chat_id".into(), Value::String(chat));
        Ok(())
    }

    fn parse_url(&self, url: &url::Url) -> Result<ChannelConfig, FieldError> {
        match url.scheme() {
            "tgram" => parse_apprise(url),
            "https" | "http" => parse_native(url),
            other => Err(FieldError::new(
                "url",
                format!("`{other}://` is not a Telegram URL; use tgram://BOT_TOKEN/CHAT_ID"),
            )),
        }
    }

    fn accepts_native_url(&self, url: &url::Url) -> bool {
        url.scheme() == "https"
            && url.host_str() == Some(NATIVE_HOST)
            && url.path().starts_with("/bot")
    }

    fn to_url(&self, config: &ChannelConfig, reveal: bool) -> String {
        let token = match config.secrets.expose("bot_token") {
            // The colon is written `%3A`: a bare one would read as a port.
            Some(token) if reveal => common::encode_segment(token),
            _ => "***".to_owned(),
        };
        let mut target = common::setting(config, "chat_id")
            .unwrap_or_default()
            .to_owned();
        if let Some(thread) = int_setting(config, "message_thread_id") {
            target.push_str(&format!(":{thread}"));
        }
        let mut query = Vec::new();
        if common::bool_setting(config, "silent") {
            query.push(("silent".to_owned(), "yes".to_owned()));
        }
        if let Some(base) = common::setting(config, "api_base") {
            query.push(("api_base".to_owned(), base.to_owned()));
        }
        common::with_query(format!("tgram://{token}/{}", encode_chat(&target)), &query)
    }

    fn render(
        &self,
        config: &ChannelConfig,
        message: &Message<'_>,
    ) -> Result<Outbound, FieldError> {
        let token = required_secret(config, "bot_token")?;
        let chat = required_setting(config, "chat_id")?;
        let mut body = Map::new();
        body.insert("chat_id".into(), chat_value(chat));
        if let Some(thread) = int_setting(config, "message_thread_id") {
            body.insert("message_thread_id".into(), Value::from(thread));
        }
        body.insert("text".into(), Value::String(html_text(message.event)));
        body.insert("parse_mode".into(), Value::String("HTML".into()));
        body.insert(
            "link_preview_options".into(),
            json!({ "is_disabled": true }),
        );
        if common::bool_setting(config, "silent") {
            body.insert("disable_notification".into(), Value::Bool(true));
        }
        let url = format!("{}/bot{token}/sendMessage", api_base(config, DEFAULT_API));
        Ok(Outbound::Http(common::json_request(
            "POST",
            url,
            Vec::new(),
            &Value::Object(body),
        )))
    }

    fn classify(&self, response: &HttpResponse) -> Outcome {
        classify_answer(response)
    }
}

/// The token without an optional `bot` prefix, if it has the `<digits>:<key>` shape.
fn check_token(token: &str) -> Option<&str> {
    let token = token.trim();
    let token = token.strip_prefix("bot").unwrap_or(token);
    let (id, key) = token.split_once(':')?;
    let id_ok = !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit());
    let key_ok = !key.is_empty()
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    (id_ok && key_ok).then_some(token)
}

/// A chat id as Telegram takes it: a whole number, or `@username` (a bare username gets
/// its `@`, as Apprise does).
fn check_chat(chat: &str) -> Option<String> {
    let chat = chat.trim();
    let digits = chat.strip_prefix('-').unwrap_or(chat);
    if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        return chat.parse::<i64>().ok().map(|n| n.to_string());
    }
    let name = chat.strip_prefix('@').unwrap_or(chat);
    let name_ok = name.len() >= 2
        && name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
    name_ok.then(|| format!("@{name}"))
}

/// Numeric ids go out as numbers, usernames as strings.
fn chat_value(chat: &str) -> Value {
    chat.parse::<i64>()
        .map_or_else(|_| Value::String(chat.to_owned()), Value::from)
}

/// A chat (and `:thread`) as a path segment: `@` and `:` stay readable.
fn encode_chat(target: &str) -> String {
    common::encode_segment(target)
        .replace("%40", "@")
        .replace("%3A", ":")
}

fn parse_thread(text: &str) -> Result<i64, FieldError> {
    text.trim()
        .parse::<i64>()
        .ok()
        .filter(|n| *n > 0)
        .ok_or_else(|| {
            FieldError::new(
                "url",
                format!(
                    "the topic id `{text}` must be a whole number, e.g. tgram://TOKEN/CHAT_ID:42"
                ),
            )
        })
}

/// `tgram://{token}/{chat}[:{thread}]?silent=yes&topic=…&api_base=…`
fn parse_apprise(url: &url::Url) -> Result<ChannelConfig, FieldError> {
    let host = url.host_str().map(common::decode).unwrap_or_default();
    if host.is_empty() {
        return Err(FieldError::new(
            "url",
            "needs the bot token: tgram://BOT_TOKEN/CHAT_ID",
        ));
    }
    if !host.contains(':') {
        return Err(FieldError::new(
            "url",
            "the bot token must be whole, with its colon written %3A: tgram://123456789%3AAAE…/CHAT_ID",
        ));
    }
    let mut targets = common::path_segments(url);
    let mut settings = Map::new();
    let mut thread = None;
    for (key, value) in query_pairs(url) {
        match key.as_str() {
            "to" => targets.extend(
                value
                    .split([',', ' '])
                    .filter(|s| !s.is_empty())
                    .map(str::to_owned),
            ),
            "topic" | "thread" if !value.is_empty() => thread = Some(parse_thread(&value)?),
            "silent" => {
                settings.insert(
                    "silent".into(),
                    Value::Bool(common::yes_no(&value) == Some(true)),
                );
            }
            "api_base" => {
                settings.insert("api_base".into(), Value::String(value));
            }
            // Apprise's other options (image, detect, preview, mdv, …) do not apply.
            _ => {}
        }
    }
    let target = match targets.as_slice() {
        [] => {
            return Err(FieldError::new(
                "url",
                "needs a chat id: tgram://BOT_TOKEN/CHAT_ID",
            ));
        }
        [one] => one.clone(),
        _ => {
            return Err(FieldError::new(
                "url",
                "names several chats; a channel sends to one chat, so make one channel per chat",
            ));
        }
    };
    let chat = match target.rsplit_once(':') {
        Some((chat, topic)) => {
            thread = Some(parse_thread(topic)?);
            chat.to_owned()
        }
        None => target,
    };
    settings.insert("chat_id".into(), Value::String(chat));
    if let Some(thread) = thread {
        settings.insert("message_thread_id".into(), Value::from(thread));
    }
    let mut secrets = Secrets::new();
    secrets.insert("bot_token", host);
    Ok(ChannelConfig { settings, secrets })
}

/// `https://api.telegram.org/bot{token}/sendMessage?chat_id=…&message_thread_id=…`
fn parse_native(url: &url::Url) -> Result<ChannelConfig, FieldError> {
    let segments = common::path_segments(url);
    let token = match segments.as_slice() {
        [first, method] if method.eq_ignore_ascii_case("sendMessage") => {
            first.strip_prefix("bot").map(str::to_owned)
        }
        [first] => first.strip_prefix("bot").map(str::to_owned),
        _ => None,
    }
    .filter(|t| !t.is_empty())
    .ok_or_else(|| {
        FieldError::new(
            "url",
            "must look like https://api.telegram.org/bot<TOKEN>/sendMessage?chat_id=<CHAT_ID>",
        )
    })?;
    let mut settings = Map::new();
    for (key, value) in query_pairs(url) {
        match key.as_str() {
            "chat_id" => {
                settings.insert("chat_id".into(), Value::String(value));
            }
            "message_thread_id" => {
                settings.insert(
                    "message_thread_id".into(),
                    Value::from(parse_thread(&value)?),
                );
            }
            "disable_notification" => {
                settings.insert(
                    "silent".into(),
                    Value::Bool(common::yes_no(&value) == Some(true)),
                );
            }
            _ => {}
        }
    }
    if !settings.contains_key("chat_id") {
        return Err(FieldError::new(
            "url",
            "needs the chat: add ?chat_id=<CHAT_ID> to the Bot API URL",
        ));
    }
    let host = url.host_str().unwrap_or_default();
    if host != NATIVE_HOST || url.scheme() != "https" || url.port().is_some() {
        let mut base = format!("{}://{host}", url.scheme());
        if let Some(port) = url.port() {
            base.push_str(&format!(":{port}"));
        }
        settings.insert("api_base".into(), Value::String(base));
    }
    let mut secrets = Secrets::new();
    secrets.insert("bot_token", token);
    Ok(ChannelConfig { settings, secrets })
}

/// Length as Telegram counts it.
fn units(text: &str) -> usize {
    text.encode_utf16().count()
}

/// HTML text with its visible length (what Telegram counts) beside it. Every piece of user
/// text goes through `text`, which escapes it.
// [K] unverified: an unescaped `<`, `>` or `&` makes Telegram refuse the whole message
// ("can't parse entities").
#[derive(Default)]
struct Text {
    html: String,
    visible: usize,
}

impl Text {
    /// User text: escaped, counted.
    fn text(&mut self, plain: &str) -> &mut Self {
        self.html.push_str(&escape_html(plain));
        self.visible += units(plain);
        self
    }

    /// Markup: not counted.
    fn tag(&mut self, markup: &str) -> &mut Self {
        self.html.push_str(markup);
        self
    }
}

/// The message: a bold title behind a severity mark, the message, the source labels, the
/// severity and type, and the event's link; within Telegram's 4,096 characters.
fn html_text(event: &Event) -> String {
    let mut head = Text::default();
    head.text(common::severity_mark(event)).text(" ").tag("<b>");
    head.text(&common::truncate_utf16(common::title(event), TITLE_LIMIT))
        .tag("</b>");

    let mut tail = Text::default();
    let mut labels_left = LABELS_LIMIT;
    for (key, value) in &event.source {
        let line = units(key) + 2 + units(value);
        if line > labels_left {
            tail.text("…\n");
            break;
        }
        labels_left -= line;
        tail.tag("<b>")
            .text(key)
            .text(":")
            .tag("</b>")
            .text(" ")
            .text(value)
            .text("\n");
    }
    tail.tag("<i>")
        .text(&format!("{} · {}", event.severity, event.event_type))
        .tag("</i>");
    if let Some(link) = event.link().filter(|l| l.len() <= LINK_LIMIT) {
        tail.text("\n")
            .tag(&format!("<a href=\"{}\">", escape_html(link)))
            .text("Open")
            .tag("</a>");
    }

    // Two line breaks around the message, one before the labels.
    let separators = 3;
    let mut text = head;
    let message = event.message.trim_end();
    if !message.is_empty() && common::title(event) != message {
        let room = TEXT_LIMIT.saturating_sub(text.visible + tail.visible + separators);
        text.text("\n").text(&common::truncate_utf16(message, room));
    }
    text.text("\n\n");
    text.html.push_str(&tail.html);
    text.html
}

fn classify_answer(response: &HttpResponse) -> Outcome {
    let body = json_body(response);
    let field = |name: &str| body.as_ref().and_then(|b| b.get(name));
    let ok = field("ok").and_then(Value::as_bool);
    if (200..300).contains(&response.status) && ok != Some(false) {
        return Outcome::Delivered;
    }
    let description = match field("description").and_then(Value::as_str) {
        Some(text) => text.to_owned(),
        None if ok == Some(false) => common::body_text(response),
        None => return classify::by_status(response),
    };
    let code = field("error_code")
        .and_then(Value::as_u64)
        .unwrap_or(u64::from(response.status));
    let parameters = field("parameters");
    let mut reason = format!("Telegram {code}: {description}");
    if let Some(new_chat) = parameters.and_then(|p| p.get("migrate_to_chat_id")) {
        reason.push_str(&format!(
            " (the group is now a supergroup: set settings.chat_id to {new_chat})"
        ));
    }
    // "chat not found", "bot was blocked by the user", "Unauthorized", a malformed request:
    // sending again cannot help.
    classify::retry_or_fail(response, reason, code == 429, || {
        parameters
            .and_then(|p| p.get("retry_after"))
            .and_then(common::seconds)
    })
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use serde_json::json;

    use super::*;
    use crate::testing::{self, *};

    const TOKEN: &str = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw";

    fn channel() -> ChannelConfig {
        configure(
            &Telegram,
            json!({"chat_id": "-1001234567890", "message_thread_id": 42}),
            json!({"bot_token": TOKEN}),
        )
        .expect("a valid channel")
    }

    fn text_of(request: &tocsin_core::outbound::HttpRequest) -> String {
        let body: Value = serde_json::from_slice(&request.body).expect("JSON");
        body["text"].as_str().expect("text").to_owned()
    }

    /// The text as the reader sees it: tags dropped, entities decoded.
    fn visible(html: &str) -> String {
        let mut out = String::new();
        let mut in_tag = false;
        for c in html.chars() {
            match c {
                '<' => in_tag = true,
                '>' if in_tag => in_tag = false,
                _ if !in_tag => out.push(c),
                _ => {}
            }
        }
        out.replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&amp;", "&")
    }

    #[test]
    fn renders_the_sample_event_as_html_into_the_topic() {
        let request = render(&Telegram, &channel(), &sample_event());
        insta::assert_json_snapshot!("telegram_sample", testing::snapshot(&request));
    }

    #[test]
    fn renders_a_recovery_with_a_check_mark() {
        let request = render(&Telegram, &channel(), &recovery_event());
        insta::assert_json_snapshot!("telegram_recovery", testing::snapshot(&request));
    }

    #[test]
    fn escapes_markup_in_user_text() {
        let text = text_of(&render(&Telegram, &channel(), &sample_event()));
        assert!(text.contains("Deploy failed: api &lt;prod&gt;"));
        assert!(text.contains("Build &quot;api&quot; broke at step 3 &amp; stopped."));
        assert!(!text.contains("<prod>"));
        assert!(text.contains("<a href=\"https://ci.example.com/builds/42\">Open</a>"));
    }

    /// `long_event` (the largest title and message Tocsin accepts) written with `fill`,
    /// with the sample's link and 64 labels of 1,024 characters.
    fn longest_event(fill: &str) -> Event {
        let mut event = long_event();
        event.message = fill.repeat(event.message.len() / fill.len());
        event.data = sample_event().data;
        for n in 0..64 {
            event
                .source
                .insert(format!("label{n:02}"), "v".repeat(1_024));
        }
        event
    }

    #[test]
    fn keeps_the_long_event_within_4096_characters() {
        let shown = visible(&text_of(&render(&Telegram, &channel(), &long_event())));
        assert!(units(&shown) <= TEXT_LIMIT, "{} units", units(&shown));
        assert!(shown.contains("M…") && shown.contains("T…"));
    }

    #[test]
    fn keeps_the_longest_event_within_4096_characters() {
        for fill in ["M", "😀"] {
            let text = text_of(&render(&Telegram, &channel(), &longest_event(fill)));
            let shown = visible(&text);
            assert!(units(&shown) <= TEXT_LIMIT, "{} units", units(&shown));
            assert!(units(&shown) > TEXT_LIMIT - 20, "the message uses the room");
            assert!(shown.contains(&format!("{fill}…")));
            assert!(shown.contains("T…"));
            assert!(shown.contains("\n…\n"), "labels that do not fit are cut");
        }
    }

    #[test]
    fn silent_channels_and_usernames() {
        let config = configure(
            &Telegram,
            json!({"chat_id": "mychannel", "silent": true,
                   "api_base": "http://127.0.0.1:8081/"}),
            json!({"bot_token": format!("bot{TOKEN}")}),
        )
        .unwrap();
        assert_eq!(config.settings["chat_id"], "@mychannel");
        assert_eq!(config.secrets.expose("bot_token"), Some(TOKEN));
        let request = render(&Telegram, &config, &sample_event());
        assert_eq!(
            request.url,
            format!("http://127.0.0.1:8081/bot{TOKEN}/sendMessage")
        );
        let body: Value = serde_json::from_slice(&request.body).unwrap();
        assert_eq!(body["chat_id"], "@mychannel");
        assert_eq!(body["disable_notification"], true);
        assert!(body.get("message_thread_id").is_none());
    }

    #[test]
    fn delivers_on_ok_true() {
        let answer = response(
            200,
            &[],
            r#"{"ok":true,"result":{"message_id":7,"chat":{"id":-1001234567890}}}"#,
        );
        assert_eq!(Telegram.classify(&answer), Outcome::Delivered);
    }

    #[test]
    fn fails_on_chat_not_found() {
        let answer = response(
            400,
            &[],
            r#"{"ok":false,"error_code":400,"description":"Bad Request: chat not found"}"#,
        );
        assert_eq!(
            Telegram.classify(&answer),
            Outcome::failed("Telegram 400: Bad Request: chat not found")
        );
    }

    #[test]
    fn fails_when_the_bot_was_blocked_or_the_token_is_wrong() {
        let blocked = response(
            403,
            &[],
            r#"{"ok":false,"error_code":403,"description":"Forbidden: bot was blocked by the user"}"#,
        );
        assert_eq!(
            Telegram.classify(&blocked),
            Outcome::failed("Telegram 403: Forbidden: bot was blocked by the user")
        );
        let unauthorized = response(
            401,
            &[],
            r#"{"ok":false,"error_code":401,"description":"Unauthorized"}"#,
        );
        assert_eq!(
            Telegram.classify(&unauthorized),
            Outcome::failed("Telegram 401: Unauthorized")
        );
    }

    #[test]
    fn fails_with_an_ok_false_even_on_200() {
        let answer = response(
            200,
            &[],
            r#"{"ok":false,"error_code":400,"description":"Bad Request: can't parse entities"}"#,
        );
        assert_eq!(
            Telegram.classify(&answer),
            Outcome::failed("Telegram 400: Bad Request: can't parse entities")
        );
    }

    #[test]
    fn names_the_new_chat_of_a_migrated_group() {
        let answer = response(
            400,
            &[],
            r#"{"ok":false,"error_code":400,"description":"Bad Request: group chat was upgraded to a supergroup chat","parameters":{"migrate_to_chat_id":-1009876543210}}"#,
        );
        assert_eq!(
            Telegram.classify(&answer),
            Outcome::failed(
                "Telegram 400: Bad Request: group chat was upgraded to a supergroup chat (the group is now a supergroup: set settings.chat_id to -1009876543210)"
            )
        );
    }

    #[test]
    fn retries_a_429_after_the_seconds_telegram_gives() {
        let answer = response(
            429,
            &[("Retry-After", "5")],
            r#"{"ok":false,"error_code":429,"description":"Too Many Requests: retry after 17","parameters":{"retry_after":17}}"#,
        );
        assert_eq!(
            Telegram.classify(&answer),
            Outcome::Retry {
                reason: "Telegram 429: Too Many Requests: retry after 17".into(),
                after: Some(Duration::from_secs(17)),
            }
        );
    }

    #[test]
    fn retries_server_errors() {
        let answer = response(
            502,
            &[],
            r#"{"ok":false,"error_code":502,"description":"Bad Gateway"}"#,
        );
        assert_eq!(
            Telegram.classify(&answer),
            Outcome::Retry {
                reason: "Telegram 502: Bad Gateway".into(),
                after: None,
            }
        );
        assert_eq!(
            Telegram.classify(&response(503, &[], "<html>down</html>")),
            Outcome::Retry {
                reason: "HTTP 503: <html>down</html>".into(),
                after: None,
            }
        );
    }

    #[test]
    fn apprise_url_round_trips() {
        let text =
            "tgram://123456789%3AAAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw/-1001234567890:42?silent=yes";
        let (config, printed) = url_round_trip(&Telegram, text);
        assert_eq!(config.settings["chat_id"], "-1001234567890");
        assert_eq!(config.settings["message_thread_id"], 42);
        assert_eq!(config.settings["silent"], true);
        assert_eq!(config.secrets.expose("bot_token"), Some(TOKEN));
        assert_eq!(printed, text);
        let (again, _) = url_round_trip(&Telegram, &printed);
        assert_eq!(again, config);
        let masked = Telegram.to_url(&config, false);
        assert_eq!(masked, "tgram://***/-1001234567890:42?silent=yes");
        assert!(!masked.contains("AAHdq"));
    }

    #[test]
    fn apprise_url_takes_topic_and_api_base_from_the_query() {
        let text = "tgram://bot123456789%3AAAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw/@ops_alerts?topic=9&api_base=http%3A%2F%2F127.0.0.1%3A8081&image=no";
        let (config, printed) = url_round_trip(&Telegram, text);
        assert_eq!(config.settings["chat_id"], "@ops_alerts");
        assert_eq!(config.settings["message_thread_id"], 9);
        assert_eq!(config.settings["api_base"], "http://127.0.0.1:8081");
        assert_eq!(config.secrets.expose("bot_token"), Some(TOKEN));
        let (again, _) = url_round_trip(&Telegram, &printed);
        assert_eq!(again, config);
    }

    #[test]
    fn native_bot_api_url_round_trips() {
        let native = url::Url::parse(&format!(
            "https://api.telegram.org/bot{TOKEN}/sendMessage?chat_id=-1001234567890&message_thread_id=42"
        ))
        .unwrap();
        assert!(Telegram.accepts_native_url(&native));
        assert!(!Telegram.accepts_native_url(
            &url::Url::parse("https://hooks.slack.com/services/T/B/C").unwrap()
        ));
        let (config, printed) = url_round_trip(&Telegram, native.as_str());
        assert_eq!(config, channel());
        let (again, _) = url_round_trip(&Telegram, &printed);
        assert_eq!(again, config);
        assert!(!Telegram.to_url(&config, false).contains("AAHdq"));
    }

    #[test]
    fn rejects_malformed_urls() {
        let cases = [
            ("tgram://123456789%3AAAHdq", "needs a chat id"),
            ("tgram://123456789%3AAAHdq/1/2", "several chats"),
            ("tgram://123456789/-100123", "colon written %3A"),
            ("tgram://123456789%3AAAHdq/-100:x", "must be a whole number"),
            (
                "https://api.telegram.org/bot123:ABC/sendMessage",
                "?chat_id=",
            ),
            ("https://api.telegram.org/getMe", "must look like"),
        ];
        for (text, expected) in cases {
            let url = url::Url::parse(text).unwrap();
            let err = Telegram.parse_url(&url).expect_err(text);
            assert_eq!(err.field, "url", "{text}");
            assert!(err.message.contains(expected), "{text}: {err}");
        }
    }

    #[test]
    fn names_the_field_in_each_schema_error() {
        let cases = [
            (
                json!({}),
                json!({"bot_token": TOKEN}),
                "settings.chat_id",
                "is required",
            ),
            (
                json!({"chat_id": "-100"}),
                json!({}),
                "secrets.bot_token",
                "is required",
            ),
            (
                json!({"chat_id": "-100"}),
                json!({"bot_token": "not-a-token"}),
                "secrets.bot_token",
                "@BotFather",
            ),
            (
                json!({"chat_id": "chat with spaces"}),
                json!({"bot_token": TOKEN}),
                "settings.chat_id",
                "@mychannel",
            ),
            (
                json!({"chat_id": "-100", "message_thread_id": 0}),
                json!({"bot_token": TOKEN}),
                "settings.message_thread_id",
                "whole number",
            ),
            (
                json!({"chat_id": "-100", "message_thread_id": "7"}),
                json!({"bot_token": TOKEN}),
                "settings.message_thread_id",
                "whole number",
            ),
            (
                json!({"chat_id": "-100", "api_base": "ftp://x"}),
                json!({"bot_token": TOKEN}),
                "settings.api_base",
                "http",
            ),
            (
                json!({"chat_id": "-100", "parse_mode": "HTML"}),
                json!({"bot_token": TOKEN}),
                "settings.parse_mode",
                "not a field",
            ),
            (
                json!({"chat_id": "-100", "bot_token": TOKEN}),
                json!({}),
                "settings.bot_token",
                "secret",
            ),
        ];
        for (settings, secrets, field, message) in cases {
            let err = configure(&Telegram, settings.clone(), secrets).expect_err(field);
            assert_eq!(err.field, field, "{settings}: {err}");
            assert!(err.message.contains(message), "{err}");
        }
    }

    #[test]
    fn a_group_is_paced_to_20_a_minute_and_a_private_chat_to_one_a_second() {
        assert_eq!(
            Telegram.pace(&channel()),
            Some(Pace::new(Duration::from_secs(3), 1))
        );
        let private = configure(
            &Telegram,
            json!({"chat_id": "123456789"}),
            json!({"bot_token": TOKEN}),
        )
        .expect("a valid channel");
        assert_eq!(Telegram.pace(&private), Some(Pace::ONE_PER_SECOND));
    }
}
