//! The `matrix` kind: a message into one room through the client-server API
//! (`PUT …/rooms/{roomId}/send/m.room.message/{txnId}`), with the delivery id as the
//! transaction id so that a retry never posts twice.
//!
//! URL forms: Apprise's `matrixs://{access_token}@{host}[:port]/{!room:server}` (`matrix://`
//! for plain HTTP), and a client-server API URL
//! `https://{host}/_matrix/client/v3/rooms/{!room:server}/send/m.room.message`.
//! Rooms are named by id only: resolving a `#alias:server` would take a second request.

use serde_json::{Map, Value, json};
use tocsin_core::FieldError;
use tocsin_core::channel::{ChannelConfig, Secrets};
use tocsin_core::event::Event;
use tocsin_core::outbound::{HttpResponse, Outcome};

use crate::common::{
    self, escape_html, json_body, query_pairs, required_secret, required_setting, truncate,
    truncate_bytes,
};
use crate::schema::{DefaultValue, FieldSpec, FieldType, KindSchema};
use crate::{Message, Outbound, Provider, classify};

pub struct Matrix;

const MSGTYPES: &[&str] = &["notice", "text"];

/// [K] unverified: a whole event may take 64 KiB (canonical JSON, with the server's
/// signatures). The two renderings of the message stay far enough below that, even when
/// JSON escaping doubles the plain body.
const BODY_MESSAGE_BYTES: usize = 10_000;
const HTML_MESSAGE_BYTES: usize = 12_000;
const TITLE_CHARS: usize = 256;
/// The labels block in either rendering stays under this many bytes.
const LABELS_BYTES: usize = 2_000;
const LABEL_VALUE_CHARS: usize = 200;
/// A link longer than this is left out.
const LINK_BYTES: usize = 2_000;

pub static SCHEMA: KindSchema = KindSchema {
    kind: "matrix",
    label: "Matrix",
    description: "A Matrix room, through a bot account's access token (client-server API).",
    url_schemes: &["matrixs", "matrix"],
    fields: &[
        FieldSpec {
            name: "homeserver",
            label: "Homeserver URL",
            help: "The client API base of your homeserver, e.g. https://matrix.example.org.",
            field_type: FieldType::Url,
            secret: false,
            required: true,
            default: None,
        },
        FieldSpec {
            name: "room_id",
            label: "Room ID",
            help: "The room's internal id, like !abcdefg:example.org (Room settings → Advanced). Aliases (#room:example.org) are not accepted. The account must have joined the room.",
            field_type: FieldType::String,
            secret: false,
            required: true,
            default: None,
        },
        FieldSpec {
            name: "msgtype",
            label: "Message type",
            help: "notice (the convention for bots; clients do not notify as loudly) or text.",
            field_type: FieldType::Choice { options: MSGTYPES },
            secret: false,
            required: false,
            default: Some(DefaultValue::Str("notice")),
        },
        FieldSpec {
            name: "access_token",
            label: "Access token",
            help: "The access token of the account that posts (syt_… on Synapse).",
            field_type: FieldType::String,
            secret: true,
            required: true,
            default: None,
        },
    ],
};

impl Provider for Matrix {
    fn schema(&self) -> &'static KindSchema {
        &SCHEMA
    }

    fn prepare(&self, config: &mut ChannelConfig) -> Result<(), FieldError> {
        let token = required_secret(config, "access_token")?;
        if token.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(FieldError::new(
                "secrets.access_token",
                "must be the access token alone, without spaces or a `Bearer` prefix",
            ));
        }
        let room = check_room(required_setting(config, "room_id")?)?;
        config
            .settings
            .insert("room_id".into(), Value::String(room));
        let homeserver = required_setting(config, "homeserver")?;
        let parsed = url::Url::parse(homeserver)
            .map_err(|e| FieldError::new("settings.homeserver", format!("is not a URL ({e})")))?;
        if parsed.query().is_some() || parsed.fragment().is_some() {
            return Err(FieldError::new(
                "settings.homeserver",
                "must be the homeserver's base URL without a query, e.g. https://matrix.example.org",
            ));
        }
        if parsed.path().contains("/_matrix") {
            return Err(FieldError::new(
                "settings.homeserver",
                "must be the base URL only, without /_matrix/…, e.g. https://matrix.example.org",
            ));
        }
        let base = homeserver.trim_end_matches('/').to_owned();
        config
            .settings
            .insert("homeserver".into(), Value::String(base));
        Ok(())
    }

    fn parse_url(&self, url: &url::Url) -> Result<ChannelConfig, FieldError> {
        match url.scheme() {
            "matrixs" | "matrix" => parse_apprise(url),
            "https" | "http" => parse_native(url),
            other => Err(FieldError::new(
                "url",
                format!(
                    "`{other}://` is not a Matrix URL; use matrixs://ACCESS_TOKEN@HOMESERVER/!ROOM:SERVER"
                ),
            )),
        }
    }

    fn accepts_native_url(&self, url: &url::Url) -> bool {
        native_parts(url).is_some()
    }

    fn to_url(&self, config: &ChannelConfig, reveal: bool) -> String {
        let homeserver =
            common::setting(config, "homeserver").and_then(|h| url::Url::parse(h).ok());
        let Some(homeserver) = homeserver else {
            return String::new();
        };
        let scheme = if homeserver.scheme() == "http" {
            "matrix"
        } else {
            "matrixs"
        };
        let token = match config.secrets.expose("access_token") {
            Some(token) => common::shown(token, reveal),
            None => String::new(),
        };
        let mut text = format!(
            "{scheme}://{token}@{}",
            homeserver.host_str().unwrap_or_default()
        );
        if let Some(port) = homeserver.port() {
            text.push_str(&format!(":{port}"));
        }
        text.push_str(homeserver.path().trim_end_matches('/'));
        text.push('/');
        text.push_str(&encode_room(
            common::setting(config, "room_id").unwrap_or_default(),
        ));
        if let Some(msgtype) = common::setting(config, "msgtype").filter(|m| *m != "notice") {
            text.push_str(&format!("?msgtype={msgtype}"));
        }
        text
    }

    fn render(
        &self,
        config: &ChannelConfig,
        message: &Message<'_>,
    ) -> Result<Outbound, FieldError> {
        let token = required_secret(config, "access_token")?;
        let room = required_setting(config, "room_id")?;
        let homeserver = required_setting(config, "homeserver")?.trim_end_matches('/');
        let msgtype = common::setting(config, "msgtype").unwrap_or("notice");
        let event = message.event;
        let body = json!({
            "msgtype": format!("m.{msgtype}"),
            "body": plain_body(event),
            "format": "org.matrix.custom.html",
            "formatted_body": html_body(event),
        });
        // The delivery id stays the same across retries: the homeserver answers a repeated
        // transaction with the first event instead of posting it again.
        // [K] unverified: a resent txnId returns the first event_id rather than posting twice.
        let url = format!(
            "{homeserver}/_matrix/client/v3/rooms/{}/send/m.room.message/{}",
            common::encode_segment(room),
            common::encode_segment(message.delivery_id),
        );
        Ok(Outbound::Http(common::json_request(
            "PUT",
            url,
            vec![("Authorization".into(), format!("Bearer {token}"))],
            &body,
        )))
    }

    fn classify(&self, response: &HttpResponse) -> Outcome {
        classify_answer(response)
    }
}

fn check_room(room: &str) -> Result<String, FieldError> {
    let room = room.trim();
    if room.starts_with('#') {
        return Err(FieldError::new(
            "settings.room_id",
            "must be a room id like !abcdefg:example.org; room aliases (#room:example.org) are not resolved. Copy the internal room id from Room settings → Advanced",
        ));
    }
    let valid = room.len() > 1
        && room.starts_with('!')
        && !room.chars().any(|c| c.is_whitespace() || c.is_control());
    if valid {
        Ok(room.to_owned())
    } else {
        Err(FieldError::new(
            "settings.room_id",
            "must be a room id starting with `!`, like !abcdefg:example.org",
        ))
    }
}

/// A room id as a path segment of the URL form: `!` and `:` stay readable.
fn encode_room(room: &str) -> String {
    common::encode_segment(room)
        .replace("%21", "!")
        .replace("%3A", ":")
}

/// `matrixs://{token}@{host}[:port][/prefix]/{!room}?msgtype=text`
fn parse_apprise(url: &url::Url) -> Result<ChannelConfig, FieldError> {
    let host = url
        .host_str()
        .filter(|h| !h.is_empty())
        .ok_or_else(|| {
            FieldError::new(
                "url",
                "needs the homeserver: matrixs://ACCESS_TOKEN@matrix.example.org/!ROOM:SERVER",
            )
        })?
        .to_ascii_lowercase();
    if let Some(alias) = url.fragment() {
        return Err(room_alias_error(&format!("#{}", common::decode(alias))));
    }
    let mut token = None;
    let mut settings = Map::new();
    let mut targets = Vec::new();
    for (key, value) in query_pairs(url) {
        match key.as_str() {
            "token" if !value.is_empty() => token = Some(value),
            "msgtype" => {
                settings.insert("msgtype".into(), Value::String(value));
            }
            "to" => targets.extend(
                value
                    .split([',', ' '])
                    .filter(|s| !s.is_empty())
                    .map(str::to_owned),
            ),
            "mode" if !value.is_empty() && !value.eq_ignore_ascii_case("off") => {
                return Err(FieldError::new(
                    "url",
                    format!(
                        "webhook mode `{value}` is not supported; post with an access token instead"
                    ),
                ));
            }
            // Apprise's other options (image, discovery, version, …) do not apply.
            _ => {}
        }
    }
    if url.password().is_some() {
        return Err(FieldError::new(
            "url",
            "needs an access token, not a user name and password: matrixs://ACCESS_TOKEN@HOMESERVER/!ROOM:SERVER",
        ));
    }
    if !url.username().is_empty() {
        token = token.or_else(|| Some(common::decode(url.username())));
    }
    let token = token.ok_or_else(|| {
        FieldError::new(
            "url",
            "needs an access token: matrixs://ACCESS_TOKEN@HOMESERVER/!ROOM:SERVER",
        )
    })?;
    // Segments before the room are a path prefix of the homeserver (a reverse proxy).
    let segments = common::path_segments(url);
    let mut prefix = Vec::new();
    for segment in segments {
        if segment.starts_with(['!', '#', '@']) || !targets.is_empty() {
            targets.push(segment);
        } else {
            prefix.push(common::encode_segment(&segment));
        }
    }
    let room = match targets.as_slice() {
        [] => {
            return Err(FieldError::new(
                "url",
                "needs a room id: matrixs://ACCESS_TOKEN@HOMESERVER/!ROOM:SERVER",
            ));
        }
        [one] => one.clone(),
        _ => {
            return Err(FieldError::new(
                "url",
                "names several rooms; a channel posts to one room, so make one channel per room",
            ));
        }
    };
    if room.starts_with('#') {
        return Err(room_alias_error(&room));
    }
    if room.starts_with('@') {
        return Err(FieldError::new(
            "url",
            format!(
                "`{room}` is a user; direct messages are not supported, give the id of a room the user is in"
            ),
        ));
    }
    let scheme = if url.scheme() == "matrix" {
        "http"
    } else {
        "https"
    };
    let mut homeserver = format!("{scheme}://{host}");
    if let Some(port) = url.port() {
        homeserver.push_str(&format!(":{port}"));
    }
    for segment in prefix {
        homeserver.push('/');
        homeserver.push_str(&segment);
    }
    settings.insert("homeserver".into(), Value::String(homeserver));
    settings.insert("room_id".into(), Value::String(room));
    let mut secrets = Secrets::new();
    secrets.insert("access_token", token);
    Ok(ChannelConfig { settings, secrets })
}

fn room_alias_error(alias: &str) -> FieldError {
    FieldError::new(
        "url",
        format!(
            "`{alias}` is a room alias; Tocsin needs the room id (like !abcdefg:example.org, under Room settings → Advanced)"
        ),
    )
}

/// The homeserver base and the room of a client-server API send URL.
fn native_parts(url: &url::Url) -> Option<(String, String)> {
    if !matches!(url.scheme(), "https" | "http") {
        return None;
    }
    let path = url.path();
    let (prefix, rest) = path.split_once("/_matrix/client/")?;
    let segments: Vec<String> = rest.split('/').map(common::decode).collect();
    let room = match segments.as_slice() {
        [version, rooms, room, send, kind, ..]
            if matches!(version.as_str(), "v3" | "r0")
                && rooms == "rooms"
                && send == "send"
                && kind == "m.room.message" =>
        {
            room.clone()
        }
        _ => return None,
    };
    let mut base = format!("{}://{}", url.scheme(), url.host_str()?);
    if let Some(port) = url.port() {
        base.push_str(&format!(":{port}"));
    }
    base.push_str(prefix);
    Some((base, room))
}

/// `https://{host}/_matrix/client/v3/rooms/{room}/send/m.room.message[?access_token=…]`
fn parse_native(url: &url::Url) -> Result<ChannelConfig, FieldError> {
    let (homeserver, room) = native_parts(url).ok_or_else(|| {
        FieldError::new(
            "url",
            "must look like https://HOMESERVER/_matrix/client/v3/rooms/!ROOM:SERVER/send/m.room.message",
        )
    })?;
    let mut settings = Map::new();
    settings.insert("homeserver".into(), Value::String(homeserver));
    settings.insert("room_id".into(), Value::String(room));
    let mut secrets = Secrets::new();
    // The query form of the token is deprecated by the spec but still pasted around.
    if let Some((_, token)) = query_pairs(url)
        .into_iter()
        .find(|(k, v)| k == "access_token" && !v.is_empty())
    {
        secrets.insert("access_token", token);
    }
    Ok(ChannelConfig { settings, secrets })
}

/// Drops control characters other than line breaks and tabs: they show as nothing in a
/// chat, and JSON would spell each as six bytes.
fn printable(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_control() || matches!(c, '\n' | '\t'))
        .collect()
}

fn html_piece(c: char) -> String {
    match c {
        '\n' => "<br>".to_owned(),
        other => escape_html(other.encode_utf8(&mut [0; 4])),
    }
}

/// `text` HTML-escaped with line breaks as `<br>`, at most `max` bytes, ending in `…` when
/// cut (never inside an entity).
fn html_within(text: &str, max: usize) -> String {
    let full: String = text.chars().map(html_piece).collect();
    if full.len() <= max {
        return full;
    }
    let budget = max.saturating_sub('…'.len_utf8());
    let mut out = String::new();
    for piece in text.chars().map(html_piece) {
        if out.len() + piece.len() > budget {
            break;
        }
        out.push_str(&piece);
    }
    out.push('…');
    out
}

/// The source labels whose HTML lines fit in [`LABELS_BYTES`] (the plain lines are never
/// longer), and whether some were left out.
fn labels(event: &Event) -> (Vec<(String, String)>, bool) {
    let mut used = 0;
    let mut kept = Vec::new();
    for (key, value) in &event.source {
        let value = truncate(&printable(value), LABEL_VALUE_CHARS);
        let cost =
            escape_html(key).len() + escape_html(&value).len() + "<strong>:</strong> <br>".len();
        if used + cost > LABELS_BYTES {
            return (kept, true);
        }
        used += cost;
        kept.push((key.clone(), value));
    }
    (kept, false)
}

fn link(event: &Event) -> Option<&str> {
    event.link().filter(|l| l.len() <= LINK_BYTES)
}

/// The plain-text rendering, for clients without HTML and for notifications.
fn plain_body(event: &Event) -> String {
    let mut out = format!(
        "{} {}",
        common::severity_mark(event),
        truncate(&printable(common::title(event)), TITLE_CHARS)
    );
    let message = printable(event.message.trim_end());
    if !message.is_empty() {
        out.push('\n');
        out.push_str(&truncate_bytes(&message, BODY_MESSAGE_BYTES));
    }
    out.push_str("\n\n");
    let (labels, cut) = labels(event);
    for (key, value) in labels {
        out.push_str(&format!("{key}: {value}\n"));
    }
    if cut {
        out.push_str("…\n");
    }
    out.push_str(&format!("{} · {}", event.severity, event.event_type));
    if let Some(link) = link(event) {
        out.push('\n');
        out.push_str(link);
    }
    out
}

/// The HTML rendering: everything from the event escaped.
fn html_body(event: &Event) -> String {
    let mut out = format!(
        "{} <strong>{}</strong>",
        common::severity_mark(event),
        escape_html(&truncate(&printable(common::title(event)), TITLE_CHARS))
    );
    let message = printable(event.message.trim_end());
    if !message.is_empty() {
        out.push_str("<br>");
        out.push_str(&html_within(&message, HTML_MESSAGE_BYTES));
    }
    out.push_str("<br><br>");
    let (labels, cut) = labels(event);
    for (key, value) in labels {
        out.push_str(&format!(
            "<strong>{}:</strong> {}<br>",
            escape_html(&key),
            escape_html(&value)
        ));
    }
    if cut {
        out.push_str("…<br>");
    }
    out.push_str(&format!(
        "<em>{} · {}</em>",
        event.severity,
        escape_html(&event.event_type)
    ));
    if let Some(link) = link(event) {
        out.push_str(&format!("<br><a href=\"{}\">Open</a>", escape_html(link)));
    }
    out
}

fn classify_answer(response: &HttpResponse) -> Outcome {
    let status = response.status;
    if (200..300).contains(&status) {
        return Outcome::Delivered;
    }
    let body = json_body(response);
    let field = |name: &str| body.as_ref().and_then(|b| b.get(name));
    let Some(errcode) = field("errcode").and_then(Value::as_str) else {
        return classify::by_status(response);
    };
    let reason = match field("error").and_then(Value::as_str) {
        Some(error) if !error.is_empty() => format!("Matrix {status}: {errcode}: {error}"),
        _ => format!("Matrix {status}: {errcode}"),
    };
    // M_FORBIDDEN (not in the room), M_UNKNOWN_TOKEN, M_NOT_FOUND: only a change of the
    // channel helps.
    classify::retry_or_fail(response, reason, errcode == "M_LIMIT_EXCEEDED", || {
        field("retry_after_ms")
            .and_then(Value::as_f64)
            .filter(|ms| ms.is_finite() && *ms >= 0.0)
            .map(|ms| std::time::Duration::from_secs_f64(ms / 1000.0))
    })
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use serde_json::json;

    use super::*;
    use crate::testing::{self, *};

    const TOKEN: &str = "syt_dG9jc2lu_QWxhcm1zQm90_0a1b2c";

    fn channel() -> ChannelConfig {
        configure(
            &Matrix,
            json!({"homeserver": "https://matrix.example.org", "room_id": "!ops:example.org"}),
            json!({"access_token": TOKEN}),
        )
        .expect("a valid channel")
    }

    #[test]
    fn puts_the_sample_event_with_the_delivery_id_as_transaction() {
        let request = render(&Matrix, &channel(), &sample_event());
        assert!(request.url.ends_with(&format!("/{DELIVERY_ID}")));
        insta::assert_json_snapshot!("matrix_sample", testing::snapshot(&request));
    }

    #[test]
    fn renders_a_recovery_with_a_check_mark() {
        let request = render(&Matrix, &channel(), &recovery_event());
        insta::assert_json_snapshot!("matrix_recovery", testing::snapshot(&request));
    }

    #[test]
    fn a_retry_reuses_the_transaction_id() {
        let first = render(&Matrix, &channel(), &sample_event());
        let again = render(&Matrix, &channel(), &sample_event());
        assert_eq!(first.url, again.url);
    }

    #[test]
    fn escapes_the_html_rendering_only() {
        let body = body_of(&render(&Matrix, &channel(), &sample_event()));
        let html = body["formatted_body"].as_str().unwrap();
        assert!(html.contains("Deploy failed: api &lt;prod&gt;"));
        assert!(html.contains("Build &quot;api&quot; broke at step 3 &amp; stopped.<br>See"));
        assert!(!html.contains("<prod>"));
        let plain = body["body"].as_str().unwrap();
        assert!(plain.contains("Deploy failed: api <prod>"));
        assert!(plain.contains("Build \"api\" broke at step 3 & stopped.\nSee"));
    }

    #[test]
    fn text_messages_and_plain_http_homeservers() {
        let config = configure(
            &Matrix,
            json!({"homeserver": "http://127.0.0.1:8008/", "room_id": " !r00m ",
                   "msgtype": "TEXT"}),
            json!({"access_token": TOKEN}),
        )
        .unwrap();
        let request = render(&Matrix, &config, &sample_event());
        assert_eq!(
            request.url,
            format!(
                "http://127.0.0.1:8008/_matrix/client/v3/rooms/%21r00m/send/m.room.message/{DELIVERY_ID}"
            )
        );
        assert_eq!(body_of(&request)["msgtype"], "m.text");
    }

    /// `long_event` (the largest title and message Tocsin accepts) written with `fill`,
    /// with the sample's link and 64 labels of 1,024 characters.
    fn longest_event(fill: &str) -> Event {
        let mut event = long_event();
        event.title = "<".repeat(event.title.len());
        event.message = fill.repeat(event.message.len() / fill.len());
        event.data = sample_event().data;
        for n in 0..64 {
            event
                .source
                .insert(format!("label{n:02}"), "\"".repeat(1_024));
        }
        event
    }

    #[test]
    fn keeps_the_long_event_under_64_kib() {
        let request = render(&Matrix, &channel(), &long_event());
        assert!(request.body.len() < 60_000, "{} bytes", request.body.len());
        let body = body_of(&request);
        assert!(body["body"].as_str().unwrap().contains("M…"));
        assert!(body["formatted_body"].as_str().unwrap().contains("M…"));
    }

    #[test]
    fn keeps_the_longest_event_under_64_kib() {
        for fill in ["M", "\"", "\\", "\u{1}", "😀"] {
            let request = render(&Matrix, &channel(), &longest_event(fill));
            assert!(
                request.body.len() < 60_000,
                "{fill:?}: {} bytes",
                request.body.len()
            );
            let body = body_of(&request);
            assert!(body["body"].as_str().unwrap().contains("…"));
            assert!(body["formatted_body"].as_str().unwrap().contains("…"));
        }
    }

    #[test]
    fn delivers_on_an_event_id() {
        let answer = response(200, &[], r#"{"event_id":"$YUwRidLecu:example.org"}"#);
        assert_eq!(Matrix.classify(&answer), Outcome::Delivered);
    }

    #[test]
    fn fails_when_not_in_the_room_or_the_token_is_unknown() {
        let forbidden = response(
            403,
            &[],
            r#"{"errcode":"M_FORBIDDEN","error":"User @tocsin:example.org not in room !ops:example.org"}"#,
        );
        assert_eq!(
            Matrix.classify(&forbidden),
            Outcome::failed(
                "Matrix 403: M_FORBIDDEN: User @tocsin:example.org not in room !ops:example.org"
            )
        );
        let unknown = response(
            401,
            &[],
            r#"{"errcode":"M_UNKNOWN_TOKEN","error":"Invalid access token passed.","soft_logout":false}"#,
        );
        assert_eq!(
            Matrix.classify(&unknown),
            Outcome::failed("Matrix 401: M_UNKNOWN_TOKEN: Invalid access token passed.")
        );
        let missing = response(
            404,
            &[],
            r#"{"errcode":"M_NOT_FOUND","error":"Unknown room"}"#,
        );
        assert_eq!(
            Matrix.classify(&missing),
            Outcome::failed("Matrix 404: M_NOT_FOUND: Unknown room")
        );
    }

    #[test]
    fn retries_a_rate_limit_after_retry_after_ms() {
        let answer = response(
            429,
            &[],
            r#"{"errcode":"M_LIMIT_EXCEEDED","error":"Too Many Requests","retry_after_ms":2000}"#,
        );
        assert_eq!(
            Matrix.classify(&answer),
            Outcome::Retry {
                reason: "Matrix 429: M_LIMIT_EXCEEDED: Too Many Requests".into(),
                after: Some(Duration::from_secs(2)),
            }
        );
        let newer = response(
            429,
            &[("Retry-After", "3")],
            r#"{"errcode":"M_LIMIT_EXCEEDED","error":"Too Many Requests"}"#,
        );
        assert_eq!(
            Matrix.classify(&newer),
            Outcome::Retry {
                reason: "Matrix 429: M_LIMIT_EXCEEDED: Too Many Requests".into(),
                after: Some(Duration::from_secs(3)),
            }
        );
    }

    #[test]
    fn retries_server_errors() {
        assert_eq!(
            Matrix.classify(&response(502, &[], "Bad Gateway")),
            Outcome::Retry {
                reason: "HTTP 502: Bad Gateway".into(),
                after: None,
            }
        );
        assert_eq!(
            Matrix.classify(&response(
                500,
                &[],
                r#"{"errcode":"M_UNKNOWN","error":"Internal server error"}"#
            )),
            Outcome::Retry {
                reason: "Matrix 500: M_UNKNOWN: Internal server error".into(),
                after: None,
            }
        );
    }

    #[test]
    fn apprise_url_round_trips() {
        let text = format!("matrixs://{TOKEN}@matrix.example.org/!ops:example.org");
        let (config, printed) = url_round_trip(&Matrix, &text);
        assert_eq!(config, channel());
        assert_eq!(printed, text);
        let masked = Matrix.to_url(&config, false);
        assert_eq!(masked, "matrixs://***@matrix.example.org/!ops:example.org");
        assert!(!masked.contains("syt_"));
    }

    #[test]
    fn apprise_url_with_port_prefix_and_options_round_trips() {
        let text = format!(
            "matrix://Matrix.Example.org:8008/chat/!ops:example.org?token={TOKEN}&msgtype=text&image=no"
        );
        let (config, printed) = url_round_trip(&Matrix, &text);
        assert_eq!(
            config.settings["homeserver"],
            "http://matrix.example.org:8008/chat"
        );
        assert_eq!(config.settings["room_id"], "!ops:example.org");
        assert_eq!(config.settings["msgtype"], "text");
        assert_eq!(config.secrets.expose("access_token"), Some(TOKEN));
        assert_eq!(
            printed,
            format!("matrix://{TOKEN}@matrix.example.org:8008/chat/!ops:example.org?msgtype=text")
        );
        let (again, _) = url_round_trip(&Matrix, &printed);
        assert_eq!(again, config);
    }

    #[test]
    fn native_client_api_url_round_trips() {
        let native = url::Url::parse(&format!(
            "https://matrix.example.org/_matrix/client/v3/rooms/%21ops%3Aexample.org/send/m.room.message?access_token={TOKEN}"
        ))
        .unwrap();
        assert!(Matrix.accepts_native_url(&native));
        assert!(!Matrix.accepts_native_url(
            &url::Url::parse("https://matrix.example.org/_matrix/client/versions").unwrap()
        ));
        let (config, printed) = url_round_trip(&Matrix, native.as_str());
        assert_eq!(config, channel());
        let (again, _) = url_round_trip(&Matrix, &printed);
        assert_eq!(again, config);
    }

    #[test]
    fn rejects_malformed_urls_and_room_aliases() {
        let cases = [
            (
                "matrixs://tok@matrix.example.org/#ops:example.org".to_owned(),
                "room alias",
            ),
            (
                "matrixs://tok@matrix.example.org/%23ops:example.org".to_owned(),
                "room alias",
            ),
            (
                "matrixs://matrix.example.org/!ops:example.org".to_owned(),
                "access token",
            ),
            (
                "matrixs://bot:password@matrix.example.org/!ops:example.org".to_owned(),
                "not a user name and password",
            ),
            (
                "matrixs://tok@matrix.example.org".to_owned(),
                "needs a room id",
            ),
            (
                "matrixs://tok@matrix.example.org/!a:x/!b:x".to_owned(),
                "several rooms",
            ),
            (
                "matrixs://tok@matrix.example.org/@alice:example.org".to_owned(),
                "is a user",
            ),
            (
                "matrixs://tok@example.org/?mode=t2bot".to_owned(),
                "webhook mode",
            ),
            (
                "https://matrix.example.org/rooms".to_owned(),
                "must look like",
            ),
        ];
        for (text, expected) in cases {
            let url = url::Url::parse(&text).unwrap();
            let err = Matrix.parse_url(&url).expect_err(&text);
            assert_eq!(err.field, "url", "{text}");
            assert!(err.message.contains(expected), "{text}: {err}");
        }
    }

    #[test]
    fn names_the_field_in_each_schema_error() {
        let good = json!({"homeserver": "https://m.example.org", "room_id": "!r:example.org"});
        let with = |key: &str, value: Value| {
            let mut settings = good.clone();
            settings[key] = value;
            settings
        };
        let token = json!({"access_token": TOKEN});
        let cases = [
            (
                json!({"room_id": "!r:x"}),
                token.clone(),
                "settings.homeserver",
                "is required",
            ),
            (
                good.clone(),
                json!({}),
                "secrets.access_token",
                "is required",
            ),
            (
                with("room_id", json!("#ops:example.org")),
                token.clone(),
                "settings.room_id",
                "room aliases",
            ),
            (
                with("room_id", json!("ops")),
                token.clone(),
                "settings.room_id",
                "starting with `!`",
            ),
            (
                with("homeserver", json!("matrix.example.org")),
                token.clone(),
                "settings.homeserver",
                "not a valid URL",
            ),
            (
                with(
                    "homeserver",
                    json!("https://m.example.org/_matrix/client/v3"),
                ),
                token.clone(),
                "settings.homeserver",
                "without /_matrix",
            ),
            (
                with("msgtype", json!("emote")),
                token.clone(),
                "settings.msgtype",
                "notice, text",
            ),
            (
                with("room", json!("!r:x")),
                token.clone(),
                "settings.room",
                "not a field",
            ),
            (
                good.clone(),
                json!({"access_token": format!("Bearer {TOKEN}")}),
                "secrets.access_token",
                "Bearer",
            ),
        ];
        for (settings, secrets, field, message) in cases {
            let err = configure(&Matrix, settings.clone(), secrets).expect_err(field);
            assert_eq!(err.field, field, "{settings}: {err}");
            assert!(err.message.contains(message), "{err}");
        }
    }
}
