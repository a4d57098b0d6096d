//! What several providers need: reading settings, the `api_base` override, truncation and
//! escaping, request builders, URL-form helpers and reading JSON answers. No I/O.

use std::time::Duration;

use serde_json::{Map, Value};
use tocsin_core::FieldError;
use tocsin_core::channel::ChannelConfig;
use tocsin_core::event::{Event, Severity};
use tocsin_core::outbound::{HttpRequest, HttpResponse, excerpt};

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

/// `api_base` when set, else `default`; without a trailing slash.
pub fn api_base<'a>(config: &'a ChannelConfig, default: &'a str) -> &'a str {
    config
        .str_setting("api_base")
        .filter(|s| !s.is_empty())
        .unwrap_or(default)
        .trim_end_matches('/')
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

/// The title to show: the event's title, or its type when it has none.
pub fn title(event: &Event) -> &str {
    if event.title.trim().is_empty() {
        &event.event_type
    } else {
        &event.title
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
