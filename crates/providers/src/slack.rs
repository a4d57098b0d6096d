//! The `slack` kind: a message posted to a Slack incoming webhook. A headline with a
//! severity emoji and the event's linked title (what notifications show), and one attachment
//! with the severity's colour bar, the message, the source labels as fields and the event
//! type and time as its footer.
//!
//! Also home of what the Slack-compatible webhooks (Mattermost, Rocket.Chat) share with it:
//! the webhook-URL secret, the sender overrides, the severity emoji, label fields, link and
//! mention safety.
//!
//! URL forms: the webhook itself, `https://hooks.slack.com/services/T…/B…/…` (and GovSlack's
//! `hooks.slack-gov.com`), and Apprise's `slack://[botname@]T…/B…/…[/#channel]` with options
//! as query parameters (`?to=#ops`, `?mode=gov-hook`, and `?api_base=` for a proxy or a test
//! server in front of the webhook).

use serde_json::{Map, Value, json};
use tocsin_core::FieldError;
use tocsin_core::channel::{ChannelConfig, Secrets};
use tocsin_core::event::{Event, Severity};
use tocsin_core::outbound::{HttpResponse, Outcome};

use crate::classify::{by_status_saying, describe};
use crate::common::{
    self, color_hex, encode_segment, escape_mrkdwn, query_pairs, required_secret, setting, shown,
    truncate, with_query,
};
use crate::schema::{FieldSpec, FieldType, KindSchema};
use crate::{Identity, Message, Outbound, Pace, Provider};

pub struct Slack;

/// Where a `slack://` URL's three tokens go unless the URL says otherwise.
const DEFAULT_BASE: &str = "https://hooks.slack.com/services";
const GOV_BASE: &str = "https://hooks.slack-gov.com/services";
const NATIVE_HOSTS: &[&str] = &["hooks.slack.com", "hooks.slack-gov.com"];

/// [K] unverified: Slack truncation limits. `text` is cut past about 40,000 characters and
/// Slack advises keeping it under 4,000; the message stays below that after escaping grows
/// it a little.
const TEXT_LIMIT: usize = 3_500;
const TITLE_LIMIT: usize = 250;

pub static SCHEMA: KindSchema = KindSchema {
    kind: "slack",
    label: "Slack",
    description: "A Slack channel, through an incoming webhook: the event with a severity colour bar, its labels and its link.",
    url_schemes: &["slack"],
    fields: &[
        webhook_url_field(
            "The incoming webhook's URL, https://hooks.slack.com/services/T…/B…/…; anyone who has it can post.",
        ),
        FieldSpec {
            name: "channel",
            label: "Channel",
            help: "Post to this channel (#name) or user (@name) instead of the webhook's own. Only legacy webhooks honour it; a Slack app's webhook always posts where it was installed.",
            field_type: FieldType::String,
            secret: false,
            required: false,
            default: None,
        },
        FieldSpec {
            name: "username",
            label: "Sender name",
            help: "The name shown as the sender; Tocsin's when empty. A Slack app's webhook shows the app's name instead.",
            field_type: FieldType::String,
            secret: false,
            required: false,
            default: None,
        },
        FieldSpec {
            name: "icon_url",
            label: "Sender icon URL",
            help: "The picture shown beside the sender; Tocsin's icon when empty. A Slack app's webhook shows the app's icon instead.",
            field_type: FieldType::Url,
            secret: false,
            required: false,
            default: None,
        },
        FieldSpec {
            name: "icon_emoji",
            label: "Sender emoji",
            help: "An emoji shown as the sender's picture instead of an icon, e.g. :rotating_light:.",
            field_type: FieldType::String,
            secret: false,
            required: false,
            default: None,
        },
    ],
};

// ---------------------------------------------------------------------------------------
// What the Slack-compatible webhook kinds share.
// ---------------------------------------------------------------------------------------

/// The `webhook_url` secret of a kind whose webhook URL is its credential.
pub(crate) const fn webhook_url_field(help: &'static str) -> FieldSpec {
    FieldSpec {
        name: "webhook_url",
        label: "Webhook URL",
        help,
        field_type: FieldType::Url,
        secret: true,
        required: true,
        default: None,
    }
}

/// Apprise options that mean nothing to a Tocsin channel and are skipped when read.
pub(crate) const IGNORED_OPTIONS: &[&str] = &[
    "format",
    "overflow",
    "emojis",
    "verify",
    "rto",
    "cto",
    "tz",
    "store",
    "image",
    "avatar",
    "footer",
    "timestamp",
    "blocks",
];

/// Checks a webhook URL (`http(s)://host/…`, no credentials in it) and returns it parsed.
pub(crate) fn parse_webhook_url(text: &str) -> Result<url::Url, FieldError> {
    let field = "secrets.webhook_url";
    let url = url::Url::parse(text.trim())
        .map_err(|e| FieldError::new(field, format!("is not a valid URL ({e})")))?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none_or(str::is_empty) {
        return Err(FieldError::new(
            field,
            "must be an http:// or https:// URL with a host",
        ));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(FieldError::new(
            field,
            "must not carry a user name or password",
        ));
    }
    if url.fragment().is_some() {
        return Err(FieldError::new(field, "must not have a #fragment"));
    }
    Ok(url)
}

/// The channel's webhook URL, as `prepare` stored it.
pub(crate) fn webhook_url(config: &ChannelConfig) -> Result<url::Url, FieldError> {
    parse_webhook_url(required_secret(config, "webhook_url")?)
}

/// Splits a self-hosted webhook URL, `…/hooks/{token…}` with `tokens` segments after
/// `hooks` (Mattermost one, Rocket.Chat two), into the path before `hooks` and the tokens.
pub(crate) fn hook_parts(url: &url::Url, tokens: usize) -> Option<(Vec<String>, Vec<String>)> {
    let mut segments = common::path_segments(url);
    let at = segments.len().checked_sub(tokens + 1)?;
    if segments[at] != "hooks" {
        return None;
    }
    let tokens = segments.split_off(at + 1);
    segments.pop();
    Some((segments, tokens))
}

/// `host[:port]` of a URL.
pub(crate) fn host_port(url: &url::Url) -> String {
    let host = url.host_str().unwrap_or_default();
    match url.port() {
        Some(port) => format!("{host}:{port}"),
        None => host.to_owned(),
    }
}

/// `scheme://host[:port]` of a URL.
pub(crate) fn origin(url: &url::Url) -> String {
    format!("{}://{}", url.scheme(), host_port(url))
}

/// `/a/b` from segments (encoded), or the empty string.
pub(crate) fn path_of(segments: &[String]) -> String {
    segments
        .iter()
        .map(|s| format!("/{}", encode_segment(s)))
        .collect()
}

/// How a message presents its sender: the channel's overrides, else Tocsin's identity.
pub(crate) struct Sender<'a> {
    pub name: &'a str,
    pub icon_url: Option<&'a str>,
    pub icon_emoji: Option<&'a str>,
    pub channel: Option<&'a str>,
}

impl<'a> Sender<'a> {
    pub fn of(config: &'a ChannelConfig, identity: &'a Identity) -> Self {
        let icon_emoji = setting(config, "icon_emoji");
        Self {
            name: setting(config, "username").unwrap_or(&identity.name),
            // One picture: an emoji wins over an icon, the channel's over Tocsin's.
            icon_url: icon_emoji
                .is_none()
                .then(|| setting(config, "icon_url").or(identity.icon_url.as_deref()))
                .flatten(),
            icon_emoji,
            channel: setting(config, "channel"),
        }
    }
}

/// The body keys a service names the sender's fields by: name, emoji, icon, channel.
pub(crate) type SenderKeys = [&'static str; 4];

/// Slack's names, which Mattermost shares.
pub(crate) const SLACK_SENDER_KEYS: SenderKeys = ["username", "icon_emoji", "icon_url", "channel"];

impl Sender<'_> {
    /// Puts the sender into `body` under the service's `keys`; what is unset stays out.
    pub fn apply(&self, body: &mut Value, keys: SenderKeys) {
        let [name, emoji, icon, channel] = keys;
        body[name] = json!(self.name);
        for (key, value) in [
            (emoji, self.icon_emoji),
            (icon, self.icon_url),
            (channel, self.channel),
        ] {
            if let Some(value) = value {
                body[key] = json!(value);
            }
        }
    }
}

/// Reads a sender option (`username`, `icon_url`, `icon_emoji`) of a URL into settings;
/// false when `key` is not one.
pub(crate) fn sender_option(settings: &mut Map<String, Value>, key: &str, value: String) -> bool {
    if !matches!(key, "username" | "icon_url" | "icon_emoji") {
        return false;
    }
    if !value.is_empty() {
        settings.insert(key.to_owned(), Value::String(value));
    }
    true
}

/// `(name, value)` query pairs of the sender settings a URL form prints.
pub(crate) fn sender_query(config: &ChannelConfig) -> Vec<(String, String)> {
    ["icon_url", "icon_emoji"]
        .iter()
        .filter_map(|k| setting(config, k).map(|v| ((*k).to_owned(), v.to_owned())))
        .collect()
}

/// The POST of `body` as JSON to the channel's webhook.
pub(crate) fn post_json(config: &ChannelConfig, body: &Value) -> Result<Outbound, FieldError> {
    let url = webhook_url(config)?;
    Ok(Outbound::Http(common::json_request(
        "POST",
        url.into(),
        Vec::new(),
        body,
    )))
}

/// The one target a URL names, from its path, fragment and `to=`/`channel=` options.
pub(crate) fn single_target(targets: Vec<String>) -> Result<Option<String>, FieldError> {
    let mut targets: Vec<String> = targets.into_iter().filter(|t| !t.is_empty()).collect();
    if targets.len() > 1 {
        return Err(FieldError::new(
            "url",
            format!(
                "names {} channels ({}); a Tocsin channel posts to one, so make one per target",
                targets.len(),
                targets.join(", ")
            ),
        ));
    }
    Ok(targets.pop())
}

/// An Apprise URL's options, and the `#channel` its fragment names. `slack://T/B/X/#ops?to=…`
/// puts the query inside the fragment, so a fragment's own `?…` is read as options too.
pub(crate) fn apprise_options(url: &url::Url) -> (Vec<(String, String)>, Option<String>) {
    let mut pairs = query_pairs(url);
    let Some(fragment) = url.fragment() else {
        return (pairs, None);
    };
    let (target, query) = fragment.split_once('?').unwrap_or((fragment, ""));
    if let Ok(inner) = url::Url::parse(&format!("x:?{query}")) {
        pairs.extend(query_pairs(&inner));
    }
    let target = common::decode(target);
    (pairs, (!target.is_empty()).then(|| format!("#{target}")))
}

/// Splits an Apprise target list (`#a,#b`, `a b`).
pub(crate) fn target_list(text: &str) -> Vec<String> {
    text.split([',', ' '])
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The shortcode of what happened; Slack, Mattermost and Rocket.Chat all know these.
pub(crate) fn severity_emoji(event: &Event) -> &'static str {
    if event.is_recovery() {
        return ":white_check_mark:";
    }
    match event.severity {
        Severity::Critical => ":rotating_light:",
        Severity::Warning => ":warning:",
        Severity::Info | Severity::Ok => ":information_source:",
    }
}

/// At most this many labels become fields, each value cut to `FIELD_VALUE_LIMIT`: an event
/// may carry 64 labels of 1,024 bytes, more than a chat message should hold.
const MAX_FIELDS: usize = 10;
const FIELD_VALUE_LIMIT: usize = 300;

/// The source labels as Slack-style attachment fields, each text passed through `text`
/// (the service's escaping).
pub(crate) fn label_fields(event: &Event, text: impl Fn(&str) -> String) -> Vec<Value> {
    event
        .source
        .iter()
        .take(MAX_FIELDS)
        .map(|(name, value)| {
            json!({
                "title": text(name),
                "value": text(&truncate(value, FIELD_VALUE_LIMIT)),
                "short": true,
            })
        })
        .collect()
}

/// A Slack-style attachment: the severity's colour bar, the message cut to `limit`
/// characters and the labels as fields, each text passed through `text` (the service's
/// escaping).
pub(crate) fn attachment(event: &Event, limit: usize, text: impl Fn(&str) -> String) -> Value {
    let mut attachment = json!({"color": color_hex(event.severity)});
    if !event.message.trim().is_empty() {
        attachment["text"] = json!(text(&truncate(&event.message, limit)));
    }
    let fields = label_fields(event, text);
    if !fields.is_empty() {
        attachment["fields"] = Value::Array(fields);
    }
    attachment
}

/// The event's link if it is an http(s) URL, with the characters that would end a Slack
/// `<url|label>` or a Markdown `[label](url)` percent-encoded (the URL parser already
/// encodes spaces, quotes and angle brackets).
pub(crate) fn safe_link(event: &Event) -> Option<String> {
    let url = url::Url::parse(event.link()?).ok()?;
    matches!(url.scheme(), "http" | "https").then(|| {
        url.as_str()
            .replace('|', "%7C")
            .replace('(', "%28")
            .replace(')', "%29")
    })
}

/// Breaks `@all`, `@channel`, `@here` and `@everyone` with a zero-width space, so that an
/// event's text cannot notify a whole channel on Mattermost or Rocket.Chat. (Slack needs
/// `<!channel>` for that, which escaping already defuses.) `@here.` ends a sentence and is
/// a mention; `mail@here.com` and `@channel-ops` are not.
pub(crate) fn defuse_mentions(text: &str) -> String {
    const WIDE: &[&str] = &["all", "channel", "here", "everyone"];
    fn word_char(c: char) -> bool {
        c.is_alphanumeric() || matches!(c, '_' | '-')
    }
    fn ends_word(after: &str) -> bool {
        let mut chars = after.chars();
        match chars.next() {
            Some(c) if word_char(c) => false,
            Some('.') => !chars.next().is_some_and(word_char),
            _ => true,
        }
    }
    let mut out = String::with_capacity(text.len());
    let mut previous = None;
    for (i, c) in text.char_indices() {
        out.push(c);
        if c == '@' && !previous.is_some_and(word_char) {
            let rest = &text[i + 1..];
            let wide = WIDE.iter().any(|word| {
                rest.get(..word.len())
                    .is_some_and(|head| head.eq_ignore_ascii_case(word))
                    && ends_word(&rest[word.len()..])
            });
            if wide {
                out.push('\u{200B}');
            }
        }
        previous = Some(c);
    }
    out
}

/// The answer's JSON `key` as text, if the body is JSON and has it.
pub(crate) fn json_text(response: &HttpResponse, key: &str) -> Option<String> {
    common::json_body(response)?
        .get(key)
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

// ---------------------------------------------------------------------------------------
// Slack itself.
// ---------------------------------------------------------------------------------------

/// The request body for `event`.
fn body(event: &Event, sender: &Sender<'_>) -> Value {
    let title = escape_mrkdwn(&truncate(common::title(event), TITLE_LIMIT));
    let headline = match safe_link(event) {
        Some(link) => format!("{} *<{link}|{title}>*", severity_emoji(event)),
        None => format!("{} *{title}*", severity_emoji(event)),
    };
    let mut attachment = attachment(event, TEXT_LIMIT, escape_mrkdwn);
    attachment["footer"] = json!(event.event_type);
    attachment["ts"] = json!(event.occurred_at.div_euclid(1000));
    attachment["mrkdwn_in"] = json!(["text"]);
    let mut body = json!({"text": headline, "attachments": [attachment]});
    sender.apply(&mut body, SLACK_SENDER_KEYS);
    body
}

/// Checks the webhook URL's shape: the three tokens of an incoming webhook at the end of
/// its path, not a Workflow Builder trigger.
fn check_shape(url: &url::Url) -> Result<(), FieldError> {
    let field = "secrets.webhook_url";
    let segments = common::path_segments(url);
    if segments
        .first()
        .is_some_and(|s| s == "triggers" || s == "workflows")
    {
        return Err(FieldError::new(
            field,
            "is a Workflow Builder trigger, which takes the workflow's variables rather than a message; use an incoming webhook (https://hooks.slack.com/services/…), or the webhook kind with your own template",
        ));
    }
    if segments.len() < 3 {
        return Err(FieldError::new(
            field,
            "must be the whole webhook URL, https://hooks.slack.com/services/T…/B…/…",
        ));
    }
    if url.query().is_some() {
        return Err(FieldError::new(
            field,
            "must end at its path; a Slack webhook URL has no query",
        ));
    }
    Ok(())
}

/// A channel target as Apprise writes it: `#name`, `@user`, `+ID` (an id as is); a bare
/// name is a channel.
fn slack_target(target: &str) -> String {
    if let Some(id) = target.strip_prefix('+') {
        id.to_owned()
    } else if target.starts_with(['#', '@']) {
        target.to_owned()
    } else {
        format!("#{target}")
    }
}

/// `https://hooks.slack.com/services/T/B/X`, with our own options in the query if any.
fn parse_native(url: &url::Url) -> Result<ChannelConfig, FieldError> {
    let mut settings = Map::new();
    let mut channel = Vec::new();
    for (key, value) in query_pairs(url) {
        match key.as_str() {
            "channel" | "to" => channel.extend(target_list(&value)),
            k if sender_option(&mut settings, k, value.clone()) => {}
            k if IGNORED_OPTIONS.contains(&k) => {}
            _ => return Err(unknown_option(&key)),
        }
    }
    if let Some(target) = single_target(channel)? {
        settings.insert("channel".into(), Value::String(slack_target(&target)));
    }
    let mut webhook = url.clone();
    webhook.set_query(None);
    webhook.set_fragment(None);
    let mut secrets = Secrets::new();
    secrets.insert("webhook_url", webhook.as_str());
    Ok(ChannelConfig { settings, secrets })
}

/// `slack://[botname@]T/B/X[/#channel][?to=…&mode=gov-hook&api_base=…]`
fn parse_apprise(url: &url::Url) -> Result<ChannelConfig, FieldError> {
    let first = common::decode(url.host_str().unwrap_or_default());
    if first.starts_with("xox") {
        return Err(FieldError::new(
            "url",
            "holds a bot token (xox…); Tocsin's slack kind posts through an incoming webhook, so give slack://T…/B…/… or the webhook's https:// URL",
        ));
    }
    let mut segments = common::path_segments(url);
    if first.is_empty() || segments.len() < 2 {
        return Err(FieldError::new(
            "url",
            "needs the webhook's three tokens, slack://T…/B…/…",
        ));
    }
    let tokens = [first, segments.remove(0), segments.remove(0)];
    let (options, fragment) = apprise_options(url);
    let mut targets = segments;
    targets.extend(fragment);
    let mut settings = Map::new();
    let user = common::decode(url.username());
    if !user.is_empty() {
        settings.insert("username".into(), Value::String(user));
    }
    let mut base = DEFAULT_BASE.to_owned();
    for (key, value) in options {
        match key.as_str() {
            "to" | "channel" => targets.extend(target_list(&value)),
            "mode" => match value.as_str() {
                "" | "hook" => {}
                "gov-hook" => base = GOV_BASE.to_owned(),
                other => {
                    return Err(FieldError::new(
                        "url",
                        format!(
                            "mode `{other}` is not an incoming webhook; Tocsin's slack kind takes mode=hook or mode=gov-hook"
                        ),
                    ));
                }
            },
            "api_base" => base = value.trim_end_matches('/').to_owned(),
            k if sender_option(&mut settings, k, value.clone()) => {}
            k if IGNORED_OPTIONS.contains(&k) => {}
            _ => return Err(unknown_option(&key)),
        }
    }
    if let Some(target) = single_target(targets)? {
        settings.insert("channel".into(), Value::String(slack_target(&target)));
    }
    let path: Vec<String> = tokens.iter().map(|t| encode_segment(t)).collect();
    let mut secrets = Secrets::new();
    secrets.insert("webhook_url", format!("{base}/{}", path.join("/")));
    Ok(ChannelConfig { settings, secrets })
}

fn unknown_option(key: &str) -> FieldError {
    FieldError::new("url", format!("has an option Slack does not know: `{key}`"))
}

impl Provider for Slack {
    fn schema(&self) -> &'static KindSchema {
        &SCHEMA
    }

    /// About 1 message per second per webhook, short bursts allowed; beyond that 429 with
    /// `Retry-After`. [D api.slack.com/docs/rate-limits]
    fn pace(&self, _config: &ChannelConfig) -> Option<Pace> {
        Some(Pace::ONE_PER_SECOND)
    }

    fn prepare(&self, config: &mut ChannelConfig) -> Result<(), FieldError> {
        let url = webhook_url(config)?;
        check_shape(&url)?;
        config.secrets.insert("webhook_url", url.as_str());
        Ok(())
    }

    fn parse_url(&self, url: &url::Url) -> Result<ChannelConfig, FieldError> {
        match url.scheme() {
            "https" | "http" => parse_native(url),
            "slack" => parse_apprise(url),
            other => Err(FieldError::new(
                "url",
                format!(
                    "`{other}://` is not a Slack URL; use slack://T…/B…/… or the webhook's https:// URL"
                ),
            )),
        }
    }

    fn accepts_native_url(&self, url: &url::Url) -> bool {
        url.scheme() == "https"
            && url.host_str().is_some_and(|h| NATIVE_HOSTS.contains(&h))
            && common::path_segments(url).first().map(String::as_str) == Some("services")
    }

    fn to_url(&self, config: &ChannelConfig, reveal: bool) -> String {
        let Ok(url) = webhook_url(config) else {
            return String::new();
        };
        let mut segments = common::path_segments(&url);
        if segments.len() < 3 {
            return String::new();
        }
        let tokens = segments.split_off(segments.len() - 3);
        let base = format!("{}{}", origin(&url), path_of(&segments));
        let mut query = Vec::new();
        match base.as_str() {
            DEFAULT_BASE => {}
            GOV_BASE => query.push(("mode".to_owned(), "gov-hook".to_owned())),
            other => query.push(("api_base".to_owned(), other.to_owned())),
        }
        query.extend(sender_query(config));
        let user = setting(config, "username")
            .map(|u| format!("{}@", encode_segment(u)))
            .unwrap_or_default();
        let path: Vec<String> = tokens.iter().map(|t| shown(t, reveal)).collect();
        let channel = setting(config, "channel")
            .map(|c| format!("/{}", encode_segment(c)))
            .unwrap_or_default();
        with_query(format!("slack://{user}{}{channel}", path.join("/")), &query)
    }

    fn render(
        &self,
        config: &ChannelConfig,
        message: &Message<'_>,
    ) -> Result<Outbound, FieldError> {
        post_json(
            config,
            &body(message.event, &Sender::of(config, message.identity)),
        )
    }

    /// Slack answers `ok` (text/plain) on success and a bare error code otherwise, e.g.
    /// `invalid_token` (403: the webhook was revoked) or `no_service` (404: removed or
    /// disabled); 429 carries `Retry-After`.
    fn classify(&self, response: &HttpResponse) -> Outcome {
        let text = String::from_utf8_lossy(&response.body);
        let code = text.trim();
        if (200..300).contains(&response.status) {
            return if code == "ok" {
                Outcome::Delivered
            } else {
                let excerpt = common::body_text(response);
                let shown = if excerpt.is_empty() {
                    "an empty body".to_owned()
                } else {
                    excerpt
                };
                Outcome::failed(format!(
                    "Slack answered {} with {shown} instead of `ok`",
                    response.status
                ))
            };
        }
        by_status_saying(response, || {
            let plain_code = !code.is_empty()
                && code.len() <= 64
                && code.bytes().all(|b| b.is_ascii_lowercase() || b == b'_');
            if plain_code {
                format!("Slack {}: {code}", response.status)
            } else {
                describe(response)
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use serde_json::json;

    use super::*;
    use crate::testing::{self, *};

    const HOOK: &str =
        "https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX";

    fn channel() -> ChannelConfig {
        configure(&Slack, json!({}), json!({"webhook_url": HOOK})).expect("a valid channel")
    }

    /// The largest event Tocsin accepts, with a link and 64 long labels besides.
    fn largest_event() -> Event {
        let mut event = long_event();
        event.data = sample_event().data;
        event.source = (0..64)
            .map(|i| (format!("label{i:02}"), "v".repeat(1_024)))
            .collect();
        event
    }

    #[test]
    fn renders_the_sample_event() {
        let request = render(&Slack, &channel(), &sample_event());
        insta::assert_json_snapshot!("slack_sample", testing::snapshot(&request));
    }

    #[test]
    fn renders_a_recovery_with_a_check_mark_and_green_bar() {
        let body = body_of(&render(&Slack, &channel(), &recovery_event()));
        assert_eq!(body["text"], ":white_check_mark: *api is back*");
        assert_eq!(body["attachments"][0]["color"], "#2eb67d");
        assert_eq!(body["attachments"][0]["footer"], "service.health.recovered");
        assert_eq!(body["attachments"][0]["ts"], 1_795_428_300);
    }

    #[test]
    fn escapes_control_characters_in_event_text() {
        let mut event = sample_event();
        event.title = "<!channel> & <@U123>".into();
        event.message = "a <https://evil.example|click> b".into();
        event.source.insert("team".into(), "<!here>".into());
        let body = body_of(&render(&Slack, &channel(), &event));
        let text = body.to_string();
        assert!(!text.contains("<!"), "{text}");
        assert!(!text.contains("<@"), "{text}");
        assert!(
            body["text"]
                .as_str()
                .unwrap()
                .ends_with("|&lt;!channel&gt; &amp; &lt;@U123&gt;>*")
        );
        assert_eq!(
            body["attachments"][0]["text"],
            "a &lt;https://evil.example|click&gt; b"
        );
    }

    #[test]
    fn keeps_a_link_from_breaking_out_of_its_brackets() {
        let mut event = sample_event();
        event.data = json!({"url": "https://ci.example.com/a|b>c?x=<y>"});
        let body = body_of(&render(&Slack, &channel(), &event));
        let text = body["text"].as_str().unwrap();
        assert!(
            text.starts_with(":rotating_light: *<https://ci.example.com/a%7Cb%3Ec?x=%3Cy%3E|"),
            "{text}"
        );
        event.data = json!({"url": "javascript:alert(1)"});
        let body = body_of(&render(&Slack, &channel(), &event));
        assert_eq!(
            body["text"],
            ":rotating_light: *Deploy failed: api &lt;prod&gt;*"
        );
    }

    #[test]
    fn sends_the_channels_overrides_or_tocsins_identity() {
        let identity = Identity {
            name: "Tocsin".into(),
            icon_url: Some("https://tocsin.example.com/static/icon.png".into()),
        };
        let plain = body_of(&render_as(&Slack, &channel(), &sample_event(), &identity));
        assert_eq!(plain["username"], "Tocsin");
        assert_eq!(
            plain["icon_url"],
            "https://tocsin.example.com/static/icon.png"
        );
        assert!(plain.get("channel").is_none());
        assert!(plain.get("icon_emoji").is_none());

        let config = configure(
            &Slack,
            json!({"channel": "#ops", "username": "Deploys", "icon_emoji": ":ship:",
                   "icon_url": "https://example.com/i.png"}),
            json!({"webhook_url": HOOK}),
        )
        .unwrap();
        let custom = body_of(&render_as(&Slack, &config, &sample_event(), &identity));
        assert_eq!(custom["channel"], "#ops");
        assert_eq!(custom["username"], "Deploys");
        assert_eq!(custom["icon_emoji"], ":ship:");
        assert!(custom.get("icon_url").is_none(), "one picture: the emoji");
    }

    #[test]
    fn keeps_a_long_event_within_slacks_limits() {
        let request = render(&Slack, &channel(), &largest_event());
        let body = body_of(&request);
        let text = body["attachments"][0]["text"].as_str().unwrap();
        assert_eq!(text.chars().count(), TEXT_LIMIT);
        assert!(text.ends_with('…'));
        let headline = body["text"].as_str().unwrap();
        assert_eq!(headline.matches('T').count(), TITLE_LIMIT - 1, "{headline}");
        let fields = body["attachments"][0]["fields"].as_array().unwrap();
        assert_eq!(fields.len(), MAX_FIELDS);
        assert!(
            fields
                .iter()
                .all(|f| f["value"].as_str().unwrap().chars().count() <= 300)
        );
        assert!(request.body.len() < 10_000, "{}", request.body.len());
    }

    #[test]
    fn a_message_without_title_or_labels_still_reads() {
        let mut event = sample_event();
        event.title = String::new();
        event.source.clear();
        event.data = json!({});
        let body = body_of(&render(&Slack, &channel(), &event));
        assert_eq!(body["text"], ":rotating_light: *deploy.failure*");
        assert!(body["attachments"][0].get("fields").is_none());
    }

    #[test]
    fn delivers_only_on_ok() {
        assert_eq!(
            Slack.classify(&response(200, &[], "ok")),
            Outcome::Delivered
        );
        assert_eq!(
            Slack.classify(&response(200, &[], "<html>captive portal</html>")),
            Outcome::failed("Slack answered 200 with <html>captive portal</html> instead of `ok`")
        );
        assert_eq!(
            Slack.classify(&response(204, &[], "")),
            Outcome::failed("Slack answered 204 with an empty body instead of `ok`")
        );
    }

    #[test]
    fn fails_when_the_webhook_is_gone_or_the_payload_is_wrong() {
        for (status, code) in [
            (403, "invalid_token"),
            (404, "no_service"),
            (404, "channel_not_found"),
            (410, "channel_is_archived"),
            (400, "invalid_payload"),
            (403, "action_prohibited"),
        ] {
            assert_eq!(
                Slack.classify(&response(status, &[], code)),
                Outcome::failed(format!("Slack {status}: {code}"))
            );
        }
    }

    #[test]
    fn retries_a_429_after_slacks_retry_after() {
        assert_eq!(
            Slack.classify(&response(429, &[("Retry-After", "30")], "rate_limited")),
            Outcome::Retry {
                reason: "Slack 429: rate_limited".into(),
                after: Some(Duration::from_secs(30)),
            }
        );
        assert_eq!(
            Slack.classify(&response(500, &[], "rollup_error")),
            Outcome::retry("Slack 500: rollup_error")
        );
        assert_eq!(
            Slack.classify(&response(502, &[], "<html>Bad Gateway</html>")),
            Outcome::retry("HTTP 502: <html>Bad Gateway</html>")
        );
    }

    #[test]
    fn takes_slacks_own_webhook_urls_natively() {
        let yes = [
            HOOK,
            "https://hooks.slack-gov.com/services/T00000000/B00000000/XXXX",
        ];
        for text in yes {
            assert!(
                Slack.accepts_native_url(&url::Url::parse(text).unwrap()),
                "{text}"
            );
        }
        let no = [
            "https://hooks.slack.com/triggers/T0/1/abc",
            "https://example.com/services/T/B/X",
            "http://hooks.slack.com/services/T/B/X",
        ];
        for text in no {
            assert!(
                !Slack.accepts_native_url(&url::Url::parse(text).unwrap()),
                "{text}"
            );
        }
        let (config, printed) = url_round_trip(&Slack, HOOK);
        assert_eq!(config, channel());
        assert_eq!(
            printed,
            "slack://T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX"
        );
        let (gov, printed) = url_round_trip(
            &Slack,
            "https://hooks.slack-gov.com/services/T00000000/B00000000/XXXX?channel=%23ops",
        );
        assert_eq!(
            printed,
            "slack://T00000000/B00000000/XXXX/%23ops?mode=gov-hook"
        );
        assert_eq!(url_round_trip(&Slack, &printed).0, gov);
    }

    #[test]
    fn apprise_url_round_trips() {
        let text = "slack://Deploys@T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX/%23ops?icon_emoji=%3Aship%3A";
        let (config, printed) = url_round_trip(&Slack, text);
        assert_eq!(config.secrets.expose("webhook_url"), Some(HOOK));
        assert_eq!(config.settings["channel"], "#ops");
        assert_eq!(config.settings["username"], "Deploys");
        assert_eq!(config.settings["icon_emoji"], ":ship:");
        assert_eq!(printed, text);
        let masked = Slack.to_url(&config, false);
        assert_eq!(
            masked,
            "slack://Deploys@***/***/***/%23ops?icon_emoji=%3Aship%3A"
        );
    }

    #[test]
    fn apprise_url_reads_targets_modes_and_a_base() {
        let (config, _) = url_round_trip(&Slack, "slack://T0/B0/X0/#alerts?footer=no&image=yes");
        assert_eq!(config.settings["channel"], "#alerts");
        let (config, _) = url_round_trip(&Slack, "slack://T0/B0/X0?to=@alice");
        assert_eq!(config.settings["channel"], "@alice");
        let (config, _) = url_round_trip(&Slack, "slack://T0/B0/X0/ops");
        assert_eq!(config.settings["channel"], "#ops");
        let (config, _) = url_round_trip(&Slack, "slack://T0/B0/X0/+C0123?mode=gov-hook");
        assert_eq!(config.settings["channel"], "C0123");
        assert_eq!(
            config.secrets.expose("webhook_url"),
            Some("https://hooks.slack-gov.com/services/T0/B0/X0")
        );
        let text = "slack://T0/B0/X0?api_base=http%3A%2F%2F127.0.0.1%3A8099%2Fservices";
        let (config, printed) = url_round_trip(&Slack, text);
        assert_eq!(
            config.secrets.expose("webhook_url"),
            Some("http://127.0.0.1:8099/services/T0/B0/X0")
        );
        assert_eq!(printed, text);
    }

    #[test]
    fn rejects_what_is_not_an_incoming_webhook() {
        let cases = [
            ("slack://xoxb-1234-1234-abc/#general", "bot token"),
            ("slack://T0/B0", "three tokens"),
            ("slack://T0/B0/X0/%23a/%23b", "2 channels"),
            ("slack://T0/B0/X0?mode=bot", "mode `bot`"),
            ("slack://T0/B0/X0?colour=red", "`colour`"),
            ("discord://T0/B0/X0", "not a Slack URL"),
        ];
        for (text, expected) in cases {
            let err = Slack
                .parse_url(&url::Url::parse(text).unwrap())
                .expect_err(text);
            assert!(err.message.contains(expected), "{text}: {err}");
        }
    }

    #[test]
    fn checks_the_webhook_url_on_save() {
        let cases = [
            ("hooks.slack.com/services/T/B/X", "is not a valid URL"),
            (
                "ftp://hooks.slack.com/services/T/B/X",
                "http:// or https://",
            ),
            (
                "https://hooks.slack.com/triggers/T0/123/abc",
                "Workflow Builder",
            ),
            ("https://hooks.slack.com/services/T0", "whole webhook URL"),
            (
                "https://u:p@hooks.slack.com/services/T/B/X",
                "user name or password",
            ),
            ("https://hooks.slack.com/services/T/B/X?x=1", "no query"),
        ];
        for (hook, expected) in cases {
            let err = configure(&Slack, json!({}), json!({"webhook_url": hook})).expect_err(hook);
            assert_eq!(err.field, "secrets.webhook_url", "{hook}");
            assert!(err.message.contains(expected), "{hook}: {err}");
        }
        let err = configure(&Slack, json!({"webhook_url": HOOK}), json!({})).unwrap_err();
        assert_eq!(err.field, "settings.webhook_url");
        let trimmed = configure(
            &Slack,
            json!({}),
            json!({"webhook_url": format!(" {HOOK}\n")}),
        )
        .unwrap();
        assert_eq!(trimmed, channel());
    }

    #[test]
    fn mentions_of_everyone_are_broken_up() {
        assert_eq!(
            defuse_mentions("@all @Channel @here! @everyone"),
            "@\u{200B}all @\u{200B}Channel @\u{200B}here! @\u{200B}everyone"
        );
        assert_eq!(
            defuse_mentions("ping @here. (@all)"),
            "ping @\u{200B}here. (@\u{200B}all)"
        );
        assert_eq!(
            defuse_mentions("@alice @allison @channel-ops mail@here @here.com"),
            "@alice @allison @channel-ops mail@here @here.com"
        );
        assert_eq!(defuse_mentions("é@ä @"), "é@ä @");
    }
}
