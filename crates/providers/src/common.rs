//! What several providers need: reading settings, the `api_base` override, truncation and
//! escaping, severity marks and label text, request builders, URL-form helpers and reading
//! JSON answers. No I/O.

use std::time::Duration;

use serde_json::{Map, Value};
use tocsin_core::FieldError;
use tocsin_core::channel::ChannelConfig;
use tocsin_core::event::{Event, Severity};
use tocsin_core::outbound::{HttpRequest, HttpResponse, excerpt};

use crate::Identity;
use crate::schema::{FieldSpec, FieldType};

/// The `api_base` field of a kind whose service has a fixed host: EU regions, self-hosted
/// API servers, proxies, and tests point it elsewhere.
pub const fn api_base_field(help: &'static str) -> FieldSpec {
    FieldSpec {
        name: "api_base",
        label: "API base URL",
        help,
        field_type: FieldType::Url,
        secret: false,
        required: false,
        default: None,
    }
}

/// The `profile` field of the email kinds: a sender profile to take the server,
/// credentials and from address from (`/api/v1/profiles`).
pub const PROFILE_FIELD: FieldSpec = FieldSpec {
    name: "profile",
    label: "Sender profile",
    help: "The id of a sender profile to send with; leave empty to give the sender fields here, or to use the default profile of this kind.",
    field_type: FieldType::String,
    secret: false,
    required: false,
    default: None,
};

/// `api_base` when set, else `default`; without a trailing slash.
pub fn api_base<'a>(config: &'a ChannelConfig, default: &'a str) -> &'a str {
    config
        .str_setting("api_base")
        .filter(|s| !s.is_empty())
        .unwrap_or(default)
        .trim_end_matches('/')
}

/// Checks `settings.server_url` of a self-hosted server: a URL without credentials, query
/// or fragment. `credentials` says where credentials go instead; `example` is a base URL.
pub fn check_server_url(text: &str, credentials: &str, example: &str) -> Result<(), FieldError> {
    let field = "settings.server_url";
    let url = url::Url::parse(text)
        .map_err(|e| FieldError::new(field, format!("is not a valid URL ({e})")))?;
    if !url.username().is_empty() || url.password().is_some() {
        return Err(FieldError::new(
            field,
            format!("must not carry credentials; {credentials}"),
        ));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(FieldError::new(
            field,
            format!("must be the server's base URL without a query, e.g. {example}"),
        ));
    }
    Ok(())
}

/// The server URL of an Apprise URL as stored: `scheme`, the URL's host and port, and the
/// path `prefix`, without a trailing slash. `service` names the server in the error.
pub fn server_url(
    scheme: &str,
    url: &url::Url,
    prefix: &[String],
    service: &str,
) -> Result<String, FieldError> {
    let host = url
        .host_str()
        .filter(|h| !h.is_empty())
        .ok_or_else(|| FieldError::new("url", format!("needs the {service} server's host name")))?;
    let port = url.port().map(|p| format!(":{p}")).unwrap_or_default();
    let path: String = prefix
        .iter()
        .map(|s| format!("/{}", encode_segment(s)))
        .collect();
    let text = format!("{scheme}://{host}{port}{path}");
    let parsed = url::Url::parse(&text)
        .map_err(|e| FieldError::new("url", format!("does not name a valid server ({e})")))?;
    Ok(parsed.as_str().trim_end_matches('/').to_owned())
}

/// A string setting, if set and not empty.
pub fn setting<'a>(config: &'a ChannelConfig, name: &str) -> Option<&'a str> {
    config.str_setting(name).filter(|s| !s.is_empty())
}

pub fn int_setting(config: &ChannelConfig, name: &str) -> Option<i64> {
    config.settings.get(name).and_then(Value::as_i64)
}

pub fn bool_setting(config: &ChannelConfig, name: &str) -> bool {
    config
        .settings
        .get(name)
        .and_then(Value::as_bool)
        .unwrap_or(false)
}

/// A secret the schema marks required; a missing one means the stored channel is broken.
pub fn required_secret<'a>(config: &'a ChannelConfig, name: &str) -> Result<&'a str, FieldError> {
    config
        .secrets
        .expose(name)
        .filter(|s| !s.is_empty())
        .ok_or_else(|| FieldError::new(format!("secrets.{name}"), "is required"))
}

pub fn required_setting<'a>(config: &'a ChannelConfig, name: &str) -> Result<&'a str, FieldError> {
    setting(config, name).ok_or_else(|| FieldError::new(format!("settings.{name}"), "is required"))
}

/// `text` cut to at most `max` characters, ending in `…` when cut.
pub fn truncate(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        None => text.to_owned(),
        Some(_) if max == 0 => String::new(),
        Some(_) => {
            let (cut, _) = text.char_indices().nth(max - 1).unwrap_or((0, ' '));
            format!("{}…", &text[..cut])
        }
    }
}

/// `text` cut to at most `max` bytes on a character boundary, ending in `…` when cut.
pub fn truncate_bytes(text: &str, max: usize) -> String {
    if text.len() <= max {
        return text.to_owned();
    }
    let budget = max.saturating_sub('…'.len_utf8());
    let mut cut = budget.min(text.len());
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    format!("{}…", &text[..cut])
}

/// `text` cut to at most `max` UTF-16 code units (how Telegram and Twilio count), ending in
/// `…` when cut.
pub fn truncate_utf16(text: &str, max: usize) -> String {
    if text.encode_utf16().count() <= max {
        return text.to_owned();
    }
    let budget = max.saturating_sub(1);
    let mut used = 0;
    let mut cut = 0;
    for (i, c) in text.char_indices() {
        if used + c.len_utf16() > budget {
            break;
        }
        used += c.len_utf16();
        cut = i + c.len_utf8();
    }
    format!("{}…", &text[..cut])
}

/// Escapes `&`, `<`, `>` (Telegram HTML, Slack mrkdwn, Matrix) and quotes.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            _ => out.push(c),
        }
    }
    out
}

/// Escapes the three characters Slack's mrkdwn (and Mattermost/Rocket.Chat) treat as markup.
pub fn escape_mrkdwn(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// `#rrggbb` of a severity's colour.
pub fn color_hex(severity: Severity) -> String {
    format!("#{:06x}", severity.color())
}

/// A coloured mark of what happened, for chats that show Unicode emoji: a recovery and
/// `ok` are a check mark.
pub fn severity_mark(event: &Event) -> &'static str {
    if event.is_recovery() {
        return "✅";
    }
    match event.severity {
        Severity::Critical => "🔴",
        Severity::Warning => "🟠",
        Severity::Info => "🔵",
        Severity::Ok => "✅",
    }
}

/// A coloured circle of a severity, `ok` green.
pub fn severity_circle(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical => "🔴",
        Severity::Warning => "🟠",
        Severity::Info => "🔵",
        Severity::Ok => "🟢",
    }
}

/// The title to show: the event's title, or its type when it has none.
pub fn title(event: &Event) -> &str {
    if event.title.trim().is_empty() {
        &event.event_type
    } else {
        &event.title
    }
}

/// The event's link when it is an http(s) URL of at most 2,048 bytes, as cards and embeds
/// that refuse any other link want it.
pub fn web_link(event: &Event) -> Option<String> {
    let url = url::Url::parse(event.link()?.trim()).ok()?;
    (matches!(url.scheme(), "http" | "https") && url.as_str().len() <= 2_048)
        .then(|| url.to_string())
}

/// `Tocsin · deploy.failure`: who sent it, and what happened.
pub fn footer(identity: &Identity, event: &Event) -> String {
    if identity.name.trim().is_empty() {
        event.event_type.clone()
    } else {
        format!("{} · {}", identity.name, event.event_type)
    }
}

/// `Title\nmessage`, or whichever of the two is present.
pub fn title_and_message(event: &Event) -> String {
    match (
        event.title.trim().is_empty(),
        event.message.trim().is_empty(),
    ) {
        (false, false) => format!("{}\n{}", event.title, event.message),
        (false, true) => event.title.clone(),
        (true, _) => event.message.clone(),
    }
}

/// The event's source labels, one `key: value` a line.
pub fn label_lines(event: &Event) -> String {
    let lines: Vec<String> = event
        .source
        .iter()
        .map(|(k, v)| format!("{k}: {v}"))
        .collect();
    lines.join("\n")
}

/// What a service's length limit counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Counted {
    Chars,
    Bytes,
}

impl Counted {
    fn len(self, text: &str) -> usize {
        match self {
            Counted::Chars => text.chars().count(),
            Counted::Bytes => text.len(),
        }
    }

    /// `text` cut to at most `max` of these, ending in `…` when cut.
    pub fn truncate(self, text: &str, max: usize) -> String {
        match self {
            Counted::Chars => truncate(text, max),
            Counted::Bytes => truncate_bytes(text, max),
        }
    }
}

/// The event's message with its source labels below, at most `max` characters or bytes;
/// empty when it has neither. When it must be cut, the message is cut so that the labels
/// stay, unless they would take more than half the room.
pub fn message_and_labels(event: &Event, max: usize, counted: Counted) -> String {
    let labels = label_lines(event);
    let text = event.message.trim_end();
    match (text.is_empty(), labels.is_empty()) {
        (true, _) => counted.truncate(&labels, max),
        (false, true) => counted.truncate(text, max),
        (false, false) => {
            let room = max.saturating_sub(counted.len(&labels) + 2);
            if room >= max / 2 {
                format!("{}\n\n{labels}", counted.truncate(text, room))
            } else {
                counted.truncate(&format!("{text}\n\n{labels}"), max)
            }
        }
    }
}

/// How many characters of `text` fit in `room` bytes of JSON string.
pub fn chars_fitting(text: &str, room: usize) -> usize {
    let mut used = 0;
    text.chars()
        .take_while(|c| {
            used += json_len(*c);
            used <= room
        })
        .count()
}

/// The bytes a character takes inside a JSON string, as serde_json writes it.
fn json_len(c: char) -> usize {
    match c {
        '"' | '\\' | '\n' | '\r' | '\t' | '\u{8}' | '\u{c}' => 2,
        c if (c as u32) < 0x20 => 6,
        c => c.len_utf8(),
    }
}

/// The bytes `text` takes inside a JSON string, quotes not counted.
pub fn json_size(text: &str) -> usize {
    text.chars().map(json_len).sum()
}

/// A JSON request.
pub fn json_request(
    method: &str,
    url: String,
    mut headers: Vec<(String, String)>,
    body: &Value,
) -> HttpRequest {
    headers.insert(0, ("Content-Type".into(), "application/json".into()));
    HttpRequest {
        method: method.into(),
        url,
        headers,
        // Serialising a `Value` cannot fail.
        body: serde_json::to_vec(body).unwrap_or_default(),
    }
}

/// An `application/x-www-form-urlencoded` POST.
pub fn form_request(
    url: String,
    mut headers: Vec<(String, String)>,
    pairs: &[(&str, &str)],
) -> HttpRequest {
    headers.insert(
        0,
        (
            "Content-Type".into(),
            "application/x-www-form-urlencoded".into(),
        ),
    );
    let body = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish();
    HttpRequest {
        method: "POST".into(),
        url,
        headers,
        body: body.into_bytes(),
    }
}

/// `Basic base64(user:password)`.
pub fn basic_auth(user: &str, password: &str) -> String {
    use base64::Engine as _;
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"))
    )
}

/// Percent-encodes one path segment (ids, tokens, room names).
pub fn encode_segment(text: &str) -> String {
    percent_encoding::utf8_percent_encode(text, SEGMENT).to_string()
}

const SEGMENT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// Percent-decodes a URL part.
pub fn decode(text: &str) -> String {
    percent_encoding::percent_decode_str(text)
        .decode_utf8_lossy()
        .into_owned()
}

/// The secret as written in a printed URL: itself when revealing, `***` otherwise.
pub fn shown(secret: &str, reveal: bool) -> String {
    if reveal {
        encode_segment(secret)
    } else {
        "***".to_owned()
    }
}

/// Query pairs as Apprise writes them: `+` is a literal plus, not a space.
pub fn query_pairs(url: &url::Url) -> Vec<(String, String)> {
    url.query()
        .unwrap_or("")
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            (decode(k), decode(v))
        })
        .collect()
}

/// The non-empty path segments of a URL, decoded.
pub fn path_segments(url: &url::Url) -> Vec<String> {
    url.path()
        .split('/')
        .filter(|s| !s.is_empty())
        .map(decode)
        .collect()
}

/// A query string from pairs, values encoded.
pub fn query_string(pairs: &[(String, String)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| format!("{}={}", encode_segment(k), encode_segment(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// `text` with `?query` appended when there is any.
pub fn with_query(mut text: String, query: &[(String, String)]) -> String {
    if !query.is_empty() {
        text.push('?');
        text.push_str(&query_string(query));
    }
    text
}

/// An Apprise yes/no option: `yes`, `true`, `1`, `on` or `no`, `false`, `0`, `off`, in any
/// case; `None` for anything else.
pub fn yes_no(value: &str) -> Option<bool> {
    match value.to_ascii_lowercase().as_str() {
        "yes" | "true" | "1" | "on" => Some(true),
        "no" | "false" | "0" | "off" => Some(false),
        _ => None,
    }
}

/// A yes/no option `name` of a URL form, refused when it is neither.
pub fn url_flag(name: &str, value: &str) -> Result<bool, FieldError> {
    yes_no(value)
        .ok_or_else(|| FieldError::new("url", format!("`{name}` must be yes or no, not `{value}`")))
}

/// A token as webhook paths carry it: letters, digits, `-` and `_`, at least one.
pub fn is_path_token(text: &str) -> bool {
    !text.is_empty()
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// `text` as an `http(s)://` URL with a host; otherwise `help` as the error of `field`.
pub fn http_url(text: &str, field: &str, help: &str) -> Result<url::Url, FieldError> {
    let url = url::Url::parse(text.trim()).map_err(|_| FieldError::new(field, help))?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none_or(str::is_empty) {
        return Err(FieldError::new(field, help));
    }
    Ok(url)
}

/// A bot webhook URL (see [`http_url`]); on the service's own `hosts` its path must also be
/// `hook_path` followed by a token.
pub fn hook_url(
    text: &str,
    field: &str,
    help: &str,
    hosts: &[&str],
    hook_path: &str,
) -> Result<url::Url, FieldError> {
    let url = http_url(text, field, help)?;
    let on_service = url.host_str().is_some_and(|h| hosts.contains(&h));
    if on_service
        && !url
            .path()
            .strip_prefix(hook_path)
            .is_some_and(is_path_token)
    {
        return Err(FieldError::new(
            field,
            format!("{help} (the path must be {hook_path}{{token}})"),
        ));
    }
    Ok(url)
}

/// Settings from `(name, value)` pairs.
pub fn settings_of(pairs: impl IntoIterator<Item = (&'static str, Value)>) -> Map<String, Value> {
    pairs.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()
}

/// The answer's body as JSON, if it is JSON.
pub fn json_body(response: &HttpResponse) -> Option<Value> {
    serde_json::from_slice(&response.body).ok()
}

/// The answer's body as a short text, for error messages.
pub fn body_text(response: &HttpResponse) -> String {
    excerpt(
        &String::from_utf8_lossy(&response.body),
        crate::classify::EXCERPT_CHARS,
    )
}

/// Seconds (possibly fractional) from a JSON number or numeric string.
pub fn seconds(value: &Value) -> Option<Duration> {
    let secs = match value {
        Value::Number(n) => n.as_f64()?,
        Value::String(s) => s.trim().parse().ok()?,
        _ => return None,
    };
    (secs.is_finite() && secs >= 0.0).then(|| Duration::from_secs_f64(secs))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn truncation_marks_the_cut() {
        assert_eq!(truncate("hello", 5), "hello");
        assert_eq!(truncate("hello world", 5), "hell…");
        assert_eq!(truncate("héllo wörld", 6).chars().count(), 6);
        assert_eq!(truncate_bytes("héllo", 6), "héllo");
        assert_eq!(truncate_bytes("héllo!", 6), "hé…");
        assert!(truncate_bytes(&"é".repeat(100), 11).len() <= 11);
    }

    #[test]
    fn cuts_by_utf16_units() {
        assert_eq!(truncate_utf16("hello", 5), "hello");
        assert_eq!(truncate_utf16("a😀bc", 4), "a😀…");
        assert_eq!(truncate_utf16("a😀bc", 3), "a…");
        assert_eq!(truncate_utf16("ab😀c", 4), "ab…");
    }

    #[test]
    fn reads_apprise_yes_and_no() {
        assert_eq!(yes_no("Yes"), Some(true));
        assert_eq!(yes_no("off"), Some(false));
        assert_eq!(yes_no("maybe"), None);
        assert!(url_flag("silent", "maybe").is_err());
    }

    #[test]
    fn escapes() {
        assert_eq!(escape_html("<b>&\"</b>"), "&lt;b&gt;&amp;&quot;&lt;/b&gt;");
        assert_eq!(escape_mrkdwn("a <b> & c"), "a &lt;b&gt; &amp; c");
    }

    #[test]
    fn apprise_query_keeps_plus() {
        let url = url::Url::parse("x://h/p?+X-A=1&b=%20c").unwrap();
        assert_eq!(
            query_pairs(&url),
            vec![("+X-A".into(), "1".into()), ("b".into(), " c".into())]
        );
    }
}
