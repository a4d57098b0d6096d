//! The `zulip` kind: a bot posts to a channel (stream) topic, or sends a direct message,
//! through `POST /api/v1/messages` with a form body and Basic auth (bot email, API key).
//!
//! URL form: Apprise's `zulip://{bot}@{organization}/{api_key}/{stream}?topic=…`, where the
//! organization `acme` means `acme.zulipchat.com` and the bot `alerts` means
//! `alerts-bot@acme.zulipchat.com`; a self-hosted server is named by its full host, and a bot
//! email of another shape is written whole (`%40` for its `@`). Targets with an `@` are
//! users to message directly.

use serde_json::{Map, Value};
use tocsin_core::FieldError;
use tocsin_core::channel::{ChannelConfig, Secrets};
use tocsin_core::event::Event;
use tocsin_core::outbound::{HttpResponse, Outcome};

use crate::common::{
    self, json_body, query_pairs, required_secret, required_setting, truncate, truncate_bytes,
};
use crate::schema::{FieldSpec, FieldType, KindSchema};
use crate::{Message, Outbound, Provider, classify};

pub struct Zulip;

const CLOUD_DOMAIN: &str = "zulipchat.com";
/// Apprise's stream when a URL names none.
const DEFAULT_STREAM: &str = "general";
const TOPIC_CHARS: usize = 60;
const CONTENT_BYTES: usize = 10_000;
const TITLE_CHARS: usize = 256;
/// The labels line never takes more than this, so that the message keeps most of the room.
const LABELS_BYTES: usize = 1_500;
const LINK_BYTES: usize = 1_000;

pub static SCHEMA: KindSchema = KindSchema {
    kind: "zulip",
    label: "Zulip",
    description: "A Zulip channel topic or direct message, posted by a bot.",
    url_schemes: &["zulip"],
    fields: &[
        FieldSpec {
            name: "site",
            label: "Server URL",
            help: "Your Zulip organization, e.g. https://example.zulipchat.com or https://zulip.example.com.",
            field_type: FieldType::Url,
            secret: false,
            required: true,
            default: None,
        },
        FieldSpec {
            name: "bot_email",
            label: "Bot email",
            help: "The bot's email address, e.g. alerts-bot@example.zulipchat.com (Personal settings → Bots).",
            field_type: FieldType::String,
            secret: false,
            required: true,
            default: None,
        },
        FieldSpec {
            name: "stream",
            label: "Channel",
            help: "The channel (stream) to post to, e.g. ops. Give this or users.",
            field_type: FieldType::String,
            secret: false,
            required: false,
            default: None,
        },
        FieldSpec {
            name: "topic",
            label: "Topic",
            help: "The topic within the channel (at most 60 characters). Empty: each event's title.",
            field_type: FieldType::String,
            secret: false,
            required: false,
            default: None,
        },
        FieldSpec {
            name: "users",
            label: "Users",
            help: "Send a direct message to these users instead of a channel: their emails, comma-separated.",
            field_type: FieldType::String,
            secret: false,
            required: false,
            default: None,
        },
        FieldSpec {
            name: "api_key",
            label: "API key",
            help: "The bot's API key.",
            field_type: FieldType::String,
            secret: true,
            required: true,
            default: None,
        },
    ],
};

impl Provider for Zulip {
    fn schema(&self) -> &'static KindSchema {
        &SCHEMA
    }

    fn prepare(&self, config: &mut ChannelConfig) -> Result<(), FieldError> {
        let key = required_secret(config, "api_key")?;
        if key
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || c == ':')
        {
            return Err(FieldError::new(
                "secrets.api_key",
                "must be the bot's API key alone (letters and digits), as Zulip shows it under Bots",
            ));
        }
        let site = required_setting(config, "site")?;
        let parsed = url::Url::parse(site)
            .map_err(|e| FieldError::new("settings.site", format!("is not a URL ({e})")))?;
        if parsed.path() != "/" || parsed.query().is_some() || parsed.fragment().is_some() {
            return Err(FieldError::new(
                "settings.site",
                "must be the server's address alone, without a path, e.g. https://example.zulipchat.com",
            ));
        }
        let site = site.trim_end_matches('/').to_owned();
        config.settings.insert("site".into(), Value::String(site));
        let email = required_setting(config, "bot_email")?.trim();
        if !is_email(email) {
            return Err(FieldError::new(
                "settings.bot_email",
                "must be the bot's email address, e.g. alerts-bot@example.zulipchat.com",
            ));
        }
        let email = email.to_owned();
        config
            .settings
            .insert("bot_email".into(), Value::String(email));

        let stream = common::setting(config, "stream")
            .map(|s| s.trim().trim_start_matches('#').trim().to_owned());
        let users = common::setting(config, "users").map(split_users);
        match (&stream, &users) {
            (None, None) => {
                return Err(FieldError::new(
                    "settings.stream",
                    "is required: name the channel to post to (or set settings.users for direct messages)",
                ));
            }
            (Some(_), Some(_)) => {
                return Err(FieldError::new(
                    "settings.users",
                    "cannot be combined with settings.stream: a channel posts either to a channel or to users",
                ));
            }
            _ => {}
        }
        if let Some(stream) = stream {
            if stream.is_empty() || stream.chars().any(char::is_control) {
                return Err(FieldError::new(
                    "settings.stream",
                    "must be a channel name, e.g. ops",
                ));
            }
            config
                .settings
                .insert("stream".into(), Value::String(stream));
        }
        if let Some(users) = users {
            if let Some(bad) = users.iter().find(|u| !is_email(u)) {
                return Err(FieldError::new(
                    "settings.users",
                    format!("`{bad}` is not an email address; list users' emails, comma-separated"),
                ));
            }
            if common::setting(config, "topic").is_some() {
                return Err(FieldError::new(
                    "settings.topic",
                    "applies to channels only; direct messages have no topic",
                ));
            }
            config
                .settings
                .insert("users".into(), Value::String(users.join(",")));
        }
        if let Some(topic) = common::setting(config, "topic") {
            let count = topic.chars().count();
            if count > TOPIC_CHARS {
                return Err(FieldError::new(
                    "settings.topic",
                    format!("is {count} characters long; Zulip allows at most {TOPIC_CHARS}"),
                ));
            }
        }
        Ok(())
    }

    fn parse_url(&self, url: &url::Url) -> Result<ChannelConfig, FieldError> {
        if url.scheme() != "zulip" {
            return Err(FieldError::new(
                "url",
                format!(
                    "`{}://` is not a Zulip URL; use zulip://BOT@ORGANIZATION/API_KEY/CHANNEL",
                    url.scheme()
                ),
            ));
        }
        parse_apprise(url)
    }

    fn to_url(&self, config: &ChannelConfig, reveal: bool) -> String {
        let Some(site) = common::setting(config, "site").and_then(|s| url::Url::parse(s).ok())
        else {
            return String::new();
        };
        let host = site.host_str().unwrap_or_default();
        let mut server = host.to_owned();
        if let Some(port) = site.port() {
            server.push_str(&format!(":{port}"));
        }
        let email = common::setting(config, "bot_email").unwrap_or_default();
        // The short forms when they say the same: `alerts@acme` for
        // `alerts-bot@acme.zulipchat.com` on https://acme.zulipchat.com.
        let bot = match email.split_once('@') {
            Some((local, domain)) if domain.eq_ignore_ascii_case(&server) => {
                // Reading adds `-bot` back to a name that lacks it and keeps one that has it.
                match local.strip_suffix("-bot") {
                    Some(short) if !short.ends_with("-bot") => common::encode_segment(short),
                    _ => common::encode_segment(local),
                }
            }
            _ => common::encode_segment(email),
        };
        let organization = match server.strip_suffix(&format!(".{CLOUD_DOMAIN}")) {
            Some(org) if !org.contains('.') => org.to_owned(),
            _ => server,
        };
        let key = config
            .secrets
            .expose("api_key")
            .map(|k| common::shown(k, reveal))
            .unwrap_or_default();
        let targets: Vec<String> = match common::setting(config, "users") {
            Some(users) => split_users(users)
                .iter()
                .map(|u| common::encode_segment(u).replace("%40", "@"))
                .collect(),
            None => vec![common::encode_segment(
                common::setting(config, "stream").unwrap_or_default(),
            )],
        };
        let mut query = Vec::new();
        if let Some(topic) = common::setting(config, "topic") {
            query.push(("topic".to_owned(), topic.to_owned()));
        }
        if site.scheme() == "http" {
            query.push(("secure".to_owned(), "no".to_owned()));
        }
        common::with_query(
            format!("zulip://{bot}@{organization}/{key}/{}", targets.join("/")),
            &query,
        )
    }

    fn render(
        &self,
        config: &ChannelConfig,
        message: &Message<'_>,
    ) -> Result<Outbound, FieldError> {
        let key = required_secret(config, "api_key")?;
        let email = required_setting(config, "bot_email")?;
        let site = required_setting(config, "site")?.trim_end_matches('/');
        let event = message.event;
        let content = content(event);
        let url = format!("{site}/api/v1/messages");
        let auth = vec![("Authorization".to_owned(), common::basic_auth(email, key))];
        let request = match common::setting(config, "users") {
            Some(users) => {
                // A JSON list of emails: the form every server version reads.
                let to = Value::from(split_users(users)).to_string();
                common::form_request(
                    url,
                    auth,
                    &[("type", "private"), ("to", &to), ("content", &content)],
                )
            }
            None => {
                let stream = required_setting(config, "stream")?;
                let topic = match common::setting(config, "topic") {
                    Some(topic) => topic.to_owned(),
                    None => {
                        // A topic is one line.
                        let title = common::title(event).split_whitespace().collect::<Vec<_>>();
                        truncate(&title.join(" "), TOPIC_CHARS)
                    }
                };
                // `stream` and `topic` rather than `channel`: older servers know only these.
                common::form_request(
                    url,
                    auth,
                    &[
                        ("type", "stream"),
                        ("to", stream),
                        ("topic", &topic),
                        ("content", &content),
                    ],
                )
            }
        };
        Ok(Outbound::Http(request))
    }

    fn classify(&self, response: &HttpResponse) -> Outcome {
        classify_answer(response)
    }
}

fn is_email(text: &str) -> bool {
    match text.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && !domain.is_empty()
                && !domain.contains('@')
                && !text.chars().any(|c| c.is_whitespace() || c.is_control())
        }
        None => false,
    }
}

fn split_users(text: &str) -> Vec<String> {
    text.split([',', ' ', '\n'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

/// `zulip://{bot}@{organization}/{api_key}/{stream or user…}?topic=…&token=…&to=…`
fn parse_apprise(url: &url::Url) -> Result<ChannelConfig, FieldError> {
    let usage = "zulip://BOT@ORGANIZATION/API_KEY/CHANNEL";
    let host = url
        .host_str()
        .filter(|h| !h.is_empty())
        .ok_or_else(|| FieldError::new("url", format!("needs the organization: {usage}")))?
        .to_ascii_lowercase();
    let bot = common::decode(url.username());
    if bot.is_empty() {
        return Err(FieldError::new(
            "url",
            format!("needs the bot's name before the organization: {usage}"),
        ));
    }
    let mut server = if host.contains('.') {
        host
    } else {
        format!("{host}.{CLOUD_DOMAIN}")
    };
    if let Some(port) = url.port() {
        server.push_str(&format!(":{port}"));
    }
    let email = if bot.contains('@') {
        bot
    } else {
        format!("{}-bot@{server}", bot.strip_suffix("-bot").unwrap_or(&bot))
    };

    let mut targets = common::path_segments(url);
    let mut key = None;
    let mut settings = Map::new();
    let mut secure = true;
    for (name, value) in query_pairs(url) {
        match name.as_str() {
            "token" if !value.is_empty() => key = Some(value),
            "to" => targets.extend(
                value
                    .split([',', ' ', '#', '/'])
                    .filter(|s| !s.is_empty())
                    .map(str::to_owned),
            ),
            "topic" if !value.is_empty() => {
                settings.insert("topic".into(), Value::String(value));
            }
            "secure" => secure = common::yes_no(&value) == Some(true),
            _ => {}
        }
    }
    let key = match key {
        Some(key) => key,
        None if !targets.is_empty() => targets.remove(0),
        None => {
            return Err(FieldError::new(
                "url",
                format!("needs the bot's API key: {usage}"),
            ));
        }
    };
    let (users, streams): (Vec<String>, Vec<String>) = targets
        .into_iter()
        .map(|t| t.trim_start_matches('#').to_owned())
        .filter(|t| !t.is_empty())
        .partition(|t| t.contains('@'));
    match (streams.as_slice(), users.is_empty()) {
        ([], true) => {
            settings.insert("stream".into(), Value::String(DEFAULT_STREAM.into()));
        }
        ([stream], true) => {
            settings.insert("stream".into(), Value::String(stream.clone()));
        }
        ([], false) => {
            settings.insert("users".into(), Value::String(users.join(",")));
        }
        ([_, _, ..], _) => {
            return Err(FieldError::new(
                "url",
                "names several channels; make one channel per Zulip channel",
            ));
        }
        ([_], false) => {
            return Err(FieldError::new(
                "url",
                "names both a channel and users; make one channel for each",
            ));
        }
    }
    let scheme = if secure { "https" } else { "http" };
    settings.insert("site".into(), Value::String(format!("{scheme}://{server}")));
    settings.insert("bot_email".into(), Value::String(email));
    let mut secrets = Secrets::new();
    secrets.insert("api_key", key);
    Ok(ChannelConfig { settings, secrets })
}

/// Turns every mention into a silent one (`@_**name**`): an event's text must not ping
/// `@**all**` or anyone else.
fn silence_mentions(text: &str) -> String {
    text.replace("@*", "@_*")
}

/// Short user text inside markup (the bold title, label values): markdown's own characters
/// are escaped, line breaks become spaces, mentions are silenced.
fn inline(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' | '*' | '_' | '`' | '[' | ']' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            _ => out.push(c),
        }
    }
    silence_mentions(&out)
}

/// The message in Zulip's markdown: the message body is kept as the source wrote it (it may
/// be markdown) with mentions silenced; within 10,000 bytes.
fn content(event: &Event) -> String {
    let head = format!(
        "{} **{}**",
        common::severity_mark(event),
        inline(&truncate(common::title(event).trim(), TITLE_CHARS))
    );
    let mut labels = Vec::new();
    let mut used = 0;
    for (key, value) in &event.source {
        let item = format!("**{}:** {}", inline(key), inline(&truncate(value, 200)));
        if used + item.len() > LABELS_BYTES {
            labels.push("…".to_owned());
            break;
        }
        used += item.len() + 3;
        labels.push(item);
    }
    let mut foot = format!("*{} · {}*", event.severity, inline(&event.event_type));
    if let Some(link) = event
        .link()
        .filter(|l| l.len() <= LINK_BYTES && !l.contains([')', ' ', '\n']))
    {
        foot.push_str(&format!(" · [Open]({link})"));
    }
    let mut tail = String::new();
    if !labels.is_empty() {
        tail.push_str(&labels.join(" · "));
        tail.push('\n');
    }
    tail.push_str(&foot);

    let mut out = head;
    let message = event.message.trim_end();
    if !message.is_empty() {
        // Two line breaks around the message.
        let room = CONTENT_BYTES.saturating_sub(out.len() + tail.len() + 3);
        let message = silence_mentions(message);
        // Silencing lengthens the text, so cut afterwards.
        out.push('\n');
        out.push_str(&truncate_bytes(&message, room));
    }
    out.push_str("\n\n");
    out.push_str(&tail);
    out
}

fn classify_answer(response: &HttpResponse) -> Outcome {
    let body = json_body(response);
    let field = |name: &str| body.as_ref().and_then(|b| b.get(name));
    let result = field("result").and_then(Value::as_str);
    let status = response.status;
    if (200..300).contains(&status) && result != Some("error") {
        return Outcome::Delivered;
    }
    let Some(msg) = field("msg").and_then(Value::as_str) else {
        return classify::by_status(response);
    };
    let code = field("code").and_then(Value::as_str);
    let mut reason = if (200..300).contains(&status) {
        format!("Zulip: {msg}")
    } else {
        format!("Zulip {status}: {msg}")
    };
    if let Some(code) = code {
        reason.push_str(&format!(" ({code})"));
    }
    // A wrong key, an unknown channel or user, a malformed request: only a change of the
    // channel helps.
    classify::retry_or_fail(response, reason, code == Some("RATE_LIMIT_HIT"), || {
        field("retry-after").and_then(common::seconds)
    })
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use serde_json::json;

    use super::*;
    use crate::testing::{self, *};

    const KEY: &str = "lqn6mpwpam6VZzbCW0o7olmk3hwbQSKx";

    fn channel() -> ChannelConfig {
        configure(
            &Zulip,
            json!({"site": "https://acme.zulipchat.com", "bot_email": "alerts-bot@acme.zulipchat.com",
                   "stream": "ops"}),
            json!({"api_key": KEY}),
        )
        .expect("a valid channel")
    }

    fn form(request: &tocsin_core::outbound::HttpRequest) -> Vec<(String, String)> {
        url::form_urlencoded::parse(&request.body)
            .into_owned()
            .collect()
    }

    fn form_value(request: &tocsin_core::outbound::HttpRequest, name: &str) -> String {
        form(request)
            .into_iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v)
            .unwrap_or_else(|| panic!("no {name}"))
    }

    #[test]
    fn posts_the_sample_event_to_a_topic_named_after_it() {
        let request = render(&Zulip, &channel(), &sample_event());
        insta::assert_json_snapshot!("zulip_sample", testing::snapshot(&request));
    }

    #[test]
    fn renders_a_recovery_with_a_check_mark() {
        let request = render(&Zulip, &channel(), &recovery_event());
        insta::assert_json_snapshot!("zulip_recovery", testing::snapshot(&request));
    }

    #[test]
    fn sends_direct_messages_to_users() {
        let config = configure(
            &Zulip,
            json!({"site": "http://127.0.0.1:9991/", "bot_email": "alerts-bot@zulip.example.com",
                   "users": "ana@example.com, bo@example.com"}),
            json!({"api_key": KEY}),
        )
        .unwrap();
        let request = render(&Zulip, &config, &sample_event());
        assert_eq!(request.url, "http://127.0.0.1:9991/api/v1/messages");
        assert_eq!(form_value(&request, "type"), "private");
        assert_eq!(
            form_value(&request, "to"),
            r#"["ana@example.com","bo@example.com"]"#
        );
        assert!(form(&request).iter().all(|(k, _)| k != "topic"));
    }

    #[test]
    fn a_fixed_topic_and_escaped_markup() {
        let config = configure(
            &Zulip,
            json!({"site": "https://acme.zulipchat.com", "bot_email": "alerts-bot@acme.zulipchat.com",
                   "stream": "ops", "topic": "deploys"}),
            json!({"api_key": KEY}),
        )
        .unwrap();
        let mut event = sample_event();
        event.title = "**all** <b> & @**all** [x](y)".into();
        event.message = "ping @**all** and @*ops* & <b>\"quoted\"</b>".into();
        let request = render(&Zulip, &config, &event);
        assert_eq!(form_value(&request, "topic"), "deploys");
        let content = form_value(&request, "content");
        assert!(
            content.starts_with("🔴 **\\*\\*all\\*\\* <b> & @\\*\\*all\\*\\* \\[x\\](y)**\n"),
            "{content}"
        );
        assert!(content.contains("ping @_**all** and @_*ops* & <b>\"quoted\"</b>"));
    }

    #[test]
    fn cuts_the_topic_from_a_long_title_to_60_characters() {
        let mut event = sample_event();
        event.title = "é".repeat(100);
        let topic = form_value(&render(&Zulip, &channel(), &event), "topic");
        assert_eq!(topic.chars().count(), 60);
        assert!(topic.ends_with('…'));
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
                .insert(format!("label{n:02}"), "*".repeat(1_024));
        }
        event
    }

    #[test]
    fn keeps_the_long_event_within_10000_bytes_and_60_characters() {
        let request = render(&Zulip, &channel(), &long_event());
        let content = form_value(&request, "content");
        assert!(content.len() <= CONTENT_BYTES, "{}", content.len());
        assert!(content.contains("M…"));
        assert_eq!(form_value(&request, "topic").chars().count(), TOPIC_CHARS);
    }

    #[test]
    fn keeps_the_longest_event_within_10000_bytes_and_60_characters() {
        for fill in ["M", "😀", "@*"] {
            let request = render(&Zulip, &channel(), &longest_event(fill));
            let content = form_value(&request, "content");
            assert!(content.len() <= CONTENT_BYTES, "{}", content.len());
            assert!(
                content.len() > CONTENT_BYTES - 10,
                "the message uses the room"
            );
            assert!(content.contains("…"));
            assert!(form_value(&request, "topic").chars().count() <= TOPIC_CHARS);
        }
    }

    #[test]
    fn delivers_on_success() {
        let answer = response(200, &[], r#"{"result":"success","msg":"","id":42}"#);
        assert_eq!(Zulip.classify(&answer), Outcome::Delivered);
    }

    #[test]
    fn fails_on_a_result_error_even_with_200() {
        let answer = response(
            200,
            &[],
            r#"{"result":"error","msg":"Stream 'nope' does not exist","code":"STREAM_DOES_NOT_EXIST","stream":"nope"}"#,
        );
        assert_eq!(
            Zulip.classify(&answer),
            Outcome::failed("Zulip: Stream 'nope' does not exist (STREAM_DOES_NOT_EXIST)")
        );
    }

    #[test]
    fn fails_on_a_bad_key_or_request() {
        let unauthorized = response(
            401,
            &[],
            r#"{"result":"error","msg":"Invalid API key","code":"INVALID_API_KEY"}"#,
        );
        assert_eq!(
            Zulip.classify(&unauthorized),
            Outcome::failed("Zulip 401: Invalid API key (INVALID_API_KEY)")
        );
        let bad = response(
            400,
            &[],
            r#"{"result":"error","msg":"Channel 'nope' does not exist","code":"STREAM_DOES_NOT_EXIST","stream":"nope"}"#,
        );
        assert_eq!(
            Zulip.classify(&bad),
            Outcome::failed("Zulip 400: Channel 'nope' does not exist (STREAM_DOES_NOT_EXIST)")
        );
    }

    #[test]
    fn retries_a_rate_limit_after_the_seconds_in_the_body() {
        let answer = response(
            429,
            &[
                ("Retry-After", "3"),
                ("X-RateLimit-Limit", "200"),
                ("X-RateLimit-Remaining", "0"),
                ("X-RateLimit-Reset", "1795428010"),
            ],
            r#"{"result":"error","msg":"API usage exceeded rate limit","retry-after":2.5,"code":"RATE_LIMIT_HIT"}"#,
        );
        assert_eq!(
            Zulip.classify(&answer),
            Outcome::Retry {
                reason: "Zulip 429: API usage exceeded rate limit (RATE_LIMIT_HIT)".into(),
                after: Some(Duration::from_millis(2_500)),
            }
        );
    }

    #[test]
    fn retries_server_errors() {
        assert_eq!(
            Zulip.classify(&response(502, &[], "<html>Bad Gateway</html>")),
            Outcome::Retry {
                reason: "HTTP 502: <html>Bad Gateway</html>".into(),
                after: None,
            }
        );
    }

    #[test]
    fn apprise_url_round_trips() {
        let text = format!("zulip://alerts@acme/{KEY}/ops");
        let (config, printed) = url_round_trip(&Zulip, &text);
        assert_eq!(config, channel());
        assert_eq!(printed, text);
        let masked = Zulip.to_url(&config, false);
        assert_eq!(masked, "zulip://alerts@acme/***/ops");
    }

    #[test]
    fn apprise_url_for_a_self_hosted_server_round_trips() {
        let text = format!(
            "zulip://notify%40chat.example.com@zulip.example.com:8443/{KEY}/%23deploys?topic=prod%20deploys&secure=no"
        );
        let (config, printed) = url_round_trip(&Zulip, &text);
        assert_eq!(config.settings["site"], "http://zulip.example.com:8443");
        assert_eq!(config.settings["bot_email"], "notify@chat.example.com");
        assert_eq!(config.settings["stream"], "deploys");
        assert_eq!(config.settings["topic"], "prod deploys");
        let (again, reprinted) = url_round_trip(&Zulip, &printed);
        assert_eq!(again, config);
        assert_eq!(reprinted, printed);
        assert!(!Zulip.to_url(&config, false).contains(KEY));
    }

    #[test]
    fn apprise_url_with_users_and_token_in_the_query_round_trips() {
        let text = format!(
            "zulip://alerts-bot@acme.zulipchat.com/ana@example.com?token={KEY}&to=bo@example.com"
        );
        let (config, printed) = url_round_trip(&Zulip, &text);
        assert_eq!(config.settings["site"], "https://acme.zulipchat.com");
        assert_eq!(
            config.settings["bot_email"],
            "alerts-bot@acme.zulipchat.com"
        );
        assert_eq!(config.settings["users"], "ana@example.com,bo@example.com");
        assert!(config.settings.get("stream").is_none());
        assert_eq!(
            printed,
            format!("zulip://alerts@acme/{KEY}/ana@example.com/bo@example.com")
        );
        let (again, _) = url_round_trip(&Zulip, &printed);
        assert_eq!(again, config);
    }

    #[test]
    fn apprise_url_without_a_channel_posts_to_general() {
        let (config, _) = url_round_trip(&Zulip, &format!("zulip://alerts@acme/{KEY}"));
        assert_eq!(config.settings["stream"], "general");
    }

    #[test]
    fn rejects_malformed_urls() {
        let cases = [
            ("zulip://acme/KEY/ops", "bot's name"),
            ("zulip://alerts@acme", "API key"),
            ("zulip://alerts@acme/KEY/ops/dev", "several channels"),
            (
                "zulip://alerts@acme/KEY/ops/ana@example.com",
                "both a channel and users",
            ),
            (
                "https://acme.zulipchat.com/api/v1/messages",
                "not a Zulip URL",
            ),
        ];
        for (text, expected) in cases {
            let url = url::Url::parse(text).unwrap();
            let err = Zulip.parse_url(&url).expect_err(text);
            assert_eq!(err.field, "url", "{text}");
            assert!(err.message.contains(expected), "{text}: {err}");
        }
    }

    #[test]
    fn names_the_field_in_each_schema_error() {
        let good = json!({"site": "https://acme.zulipchat.com",
                          "bot_email": "alerts-bot@acme.zulipchat.com", "stream": "ops"});
        let with = |key: &str, value: Value| {
            let mut settings = good.clone();
            settings[key] = value;
            settings
        };
        let key = json!({"api_key": KEY});
        let cases = [
            (good.clone(), json!({}), "secrets.api_key", "is required"),
            (
                json!({"site": "https://acme.zulipchat.com", "stream": "ops"}),
                key.clone(),
                "settings.bot_email",
                "is required",
            ),
            (
                with("bot_email", json!("alerts")),
                key.clone(),
                "settings.bot_email",
                "email address",
            ),
            (
                with("site", json!("https://acme.zulipchat.com/api/v1")),
                key.clone(),
                "settings.site",
                "without a path",
            ),
            (
                with("stream", Value::Null),
                key.clone(),
                "settings.stream",
                "is required",
            ),
            (
                with("users", json!("ana@example.com")),
                key.clone(),
                "settings.users",
                "cannot be combined",
            ),
            (
                json!({"site": "https://acme.zulipchat.com",
                       "bot_email": "alerts-bot@acme.zulipchat.com", "users": "ana, bo@x.org"}),
                key.clone(),
                "settings.users",
                "`ana` is not an email",
            ),
            (
                with("topic", json!("t".repeat(61))),
                key.clone(),
                "settings.topic",
                "at most 60",
            ),
            (
                with("priority", json!(1)),
                key.clone(),
                "settings.priority",
                "not a field",
            ),
            (
                good.clone(),
                json!({"api_key": "two words"}),
                "secrets.api_key",
                "API key alone",
            ),
        ];
        for (settings, secrets, field, message) in cases {
            let err = configure(&Zulip, settings.clone(), secrets).expect_err(field);
            assert_eq!(err.field, field, "{settings}: {err}");
            assert!(err.message.contains(message), "{err}");
        }
    }
}
