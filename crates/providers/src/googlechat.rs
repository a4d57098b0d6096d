//! The `googlechat` kind: a card posted to a Google Chat space through an incoming webhook.
//! The card's header holds the title, severity and event type; then the message, the
//! severity (in its colour) and the source labels, and a button to the event's link. Threads
//! are optional: a fixed thread, or one per incident so that a recovery answers its alert.
//!
//! URL forms: the webhook itself,
//! `https://chat.googleapis.com/v1/spaces/{space}/messages?key=…&token=…`, and Apprise's
//! `gchat://{space}/{key}/{token}[/{thread_key}]` (`?api_base=` for a proxy or a test server,
//! `?incident_threads=yes`).

use serde_json::{Map, Value, json};
use tocsin_core::FieldError;
use tocsin_core::channel::{ChannelConfig, Secrets};
use tocsin_core::event::Event;
use tocsin_core::outbound::{HttpResponse, Outcome};

use crate::classify::{by_status_saying, describe};
use crate::common::{
    self, bool_setting, color_hex, encode_segment, escape_html, query_pairs, setting, shown,
    truncate, with_query,
};
use crate::schema::{DefaultValue, FieldSpec, FieldType, KindSchema};
use crate::slack::{
    IGNORED_OPTIONS, origin, parse_webhook_url, path_of, webhook_url, webhook_url_field,
};
use crate::{Identity, Message, Outbound, Pace, Provider};

pub struct GoogleChat;

const DEFAULT_BASE: &str = "https://chat.googleapis.com";
const NATIVE_HOST: &str = "chat.googleapis.com";

/// [K] unverified: Google documents about 4,096 characters of text and 32,000 bytes per
/// message; the message paragraph is cut well within both.
const TEXT_LIMIT: usize = 4_000;
const TITLE_LIMIT: usize = 250;
/// At most this many labels are shown, each value cut to `LABEL_LIMIT`.
const MAX_LABELS: usize = 10;
const LABEL_LIMIT: usize = 300;

pub static SCHEMA: KindSchema = KindSchema {
    kind: "googlechat",
    label: "Google Chat",
    description: "A Google Chat space, through an incoming webhook: the event as a card with its severity, labels and link, optionally threaded per incident.",
    url_schemes: &["gchat"],
    fields: &[
        webhook_url_field(
            "The space's webhook URL, https://chat.googleapis.com/v1/spaces/…/messages?key=…&token=… (Apps & integrations → Webhooks); anyone who has it can post.",
        ),
        FieldSpec {
            name: "thread_key",
            label: "Thread",
            help: "Post every message into this thread (any text naming it), rather than each in a thread of its own.",
            field_type: FieldType::String,
            secret: false,
            required: false,
            default: None,
        },
        FieldSpec {
            name: "incident_threads",
            label: "A thread per incident",
            help: "Post an alert and the recovery that resolves it (the same state_key, or the same type family and labels) into one thread.",
            field_type: FieldType::Boolean,
            secret: false,
            required: false,
            default: Some(DefaultValue::Bool(false)),
        },
    ],
};

/// Card text takes a little HTML: escape it, and keep line breaks.
fn card_text(text: &str) -> String {
    escape_html(text)
        .replace("\r\n", "<br>")
        .replace('\n', "<br>")
}

/// The card for `event`.
fn card(event: &Event, identity: &Identity) -> Value {
    let mut header = json!({
        "title": truncate(common::title(event), TITLE_LIMIT),
        "subtitle": format!("{} · {}", event.severity, event.event_type),
    });
    if let Some(icon) = &identity.icon_url {
        header["imageUrl"] = json!(icon);
        header["imageType"] = json!("CIRCLE");
    }
    let mut sections = Vec::new();
    if !event.message.trim().is_empty() {
        let text = card_text(&truncate(&event.message, TEXT_LIMIT));
        sections.push(json!({"widgets": [{"textParagraph": {"text": text}}]}));
    }
    let severity = format!(
        "<font color=\"{}\"><b>{}</b></font>",
        color_hex(event.severity),
        event.severity
    );
    let mut details = vec![json!({"decoratedText": {"topLabel": "severity", "text": severity}})];
    details.extend(event.source.iter().take(MAX_LABELS).map(|(name, value)| {
        json!({"decoratedText": {
            "topLabel": name,
            "text": card_text(&truncate(value, LABEL_LIMIT)),
            "wrapText": true,
        }})
    }));
    sections.push(json!({"widgets": details}));
    if let Some(link) = event
        .link()
        .and_then(|l| url::Url::parse(l).ok())
        .filter(|u| matches!(u.scheme(), "http" | "https"))
    {
        sections.push(json!({"widgets": [{"buttonList": {"buttons": [
            {"text": "Open", "onClick": {"openLink": {"url": link.as_str()}}}
        ]}}]}));
    }
    json!({"header": header, "sections": sections})
}

/// The thread a message goes to, if the channel threads.
fn thread_key(config: &ChannelConfig, event: &Event) -> Option<String> {
    match setting(config, "thread_key") {
        Some(key) => Some(key.to_owned()),
        None => bool_setting(config, "incident_threads").then(|| event.incident_key()),
    }
}

/// `…/spaces/{space}/messages?key=…&token=…` split into its parts: the base before
/// `/v1/spaces`, the space, the key, the token and a thread key if the URL names one.
struct Parts {
    base: String,
    space: String,
    key: String,
    token: String,
    thread: Option<String>,
}

fn parts(url: &url::Url) -> Result<Parts, FieldError> {
    let field = "secrets.webhook_url";
    let mut segments = common::path_segments(url);
    let n = segments.len();
    let shaped = n >= 4
        && segments[n - 4] == "v1"
        && segments[n - 3] == "spaces"
        && segments[n - 1] == "messages";
    if !shaped {
        return Err(FieldError::new(
            field,
            "must be the space's webhook URL, https://chat.googleapis.com/v1/spaces/…/messages?key=…&token=…",
        ));
    }
    let space = segments[n - 2].clone();
    segments.truncate(n - 4);
    let (mut key, mut token, mut thread) = (None, None, None);
    for (name, value) in query_pairs(url) {
        match name.as_str() {
            "key" => key = Some(value),
            "token" => token = Some(value),
            "threadKey" => thread = Some(value),
            // Tocsin sets the reply option itself when it threads.
            "messageReplyOption" => {}
            _ => {
                return Err(FieldError::new(
                    field,
                    format!("has a query parameter a Google Chat webhook does not take: `{name}`"),
                ));
            }
        }
    }
    let (Some(key), Some(token)) = (
        key.filter(|k| !k.is_empty()),
        token.filter(|t| !t.is_empty()),
    ) else {
        return Err(FieldError::new(
            field,
            "needs both key=… and token=…: copy the whole webhook URL",
        ));
    };
    Ok(Parts {
        base: format!("{}{}", origin(url), path_of(&segments)),
        space,
        key,
        token,
        thread: thread.filter(|t| !t.is_empty()),
    })
}

/// The webhook URL of `parts`, without a thread.
fn webhook_text(parts: &Parts) -> String {
    format!(
        "{}/v1/spaces/{}/messages?key={}&token={}",
        parts.base,
        encode_segment(&parts.space),
        encode_segment(&parts.key),
        encode_segment(&parts.token)
    )
}

/// `gchat://{space}/{key}/{token}[/{thread}]?…`
fn parse_apprise(url: &url::Url) -> Result<ChannelConfig, FieldError> {
    let mut segments = common::path_segments(url).into_iter();
    let mut space = common::decode(url.host_str().unwrap_or_default());
    let mut key = segments.next().unwrap_or_default();
    let mut token = segments.next().unwrap_or_default();
    let mut thread = segments.next();
    if segments.next().is_some() {
        return Err(FieldError::new(
            "url",
            "has more path segments than gchat://{space}/{key}/{token}/{thread}",
        ));
    }
    let mut settings = Map::new();
    let mut base = DEFAULT_BASE.to_owned();
    for (name, value) in query_pairs(url) {
        match name.to_ascii_lowercase().as_str() {
            "workspace" => space = value,
            "key" => key = value,
            "token" => token = value,
            "thread" | "threadkey" => thread = Some(value),
            "incident_threads" => {
                let on = matches!(value.to_ascii_lowercase().as_str(), "yes" | "true" | "1");
                settings.insert("incident_threads".into(), Value::Bool(on));
            }
            "api_base" => base = value.trim_end_matches('/').to_owned(),
            k if IGNORED_OPTIONS.contains(&k) => {}
            _ => {
                return Err(FieldError::new(
                    "url",
                    format!("has an option Google Chat does not know: `{name}`"),
                ));
            }
        }
    }
    if space.is_empty() || key.is_empty() || token.is_empty() {
        return Err(FieldError::new(
            "url",
            "needs the space, key and token, gchat://{space}/{key}/{token}",
        ));
    }
    if let Some(thread) = thread.filter(|t| !t.is_empty()) {
        settings.insert("thread_key".into(), Value::String(thread));
    }
    let text = webhook_text(&Parts {
        base,
        space,
        key,
        token,
        thread: None,
    });
    let mut secrets = Secrets::new();
    secrets.insert("webhook_url", parse_webhook_url(&text)?.as_str());
    Ok(ChannelConfig { settings, secrets })
}

impl Provider for GoogleChat {
    fn schema(&self) -> &'static KindSchema {
        &SCHEMA
    }

    /// A space takes roughly 1 write per second from webhooks [K]; over its quota Google
    /// answers a bare 429 (`RESOURCE_EXHAUSTED`). [D Google Chat limits]
    fn pace(&self, _config: &ChannelConfig) -> Option<Pace> {
        Some(Pace::ONE_PER_SECOND)
    }

    /// Stores the webhook URL without a thread: a `threadKey` in the pasted URL becomes the
    /// `thread_key` setting, so that there is one place that says where messages go.
    fn prepare(&self, config: &mut ChannelConfig) -> Result<(), FieldError> {
        let parts = parts(&webhook_url(config)?)?;
        if let Some(thread) = &parts.thread
            && setting(config, "thread_key").is_none()
        {
            config
                .settings
                .insert("thread_key".into(), Value::String(thread.clone()));
        }
        if setting(config, "thread_key").is_some() && bool_setting(config, "incident_threads") {
            return Err(FieldError::new(
                "settings.incident_threads",
                "cannot be on with a fixed thread_key: choose one thread, or one per incident",
            ));
        }
        config.secrets.insert("webhook_url", webhook_text(&parts));
        Ok(())
    }

    fn parse_url(&self, url: &url::Url) -> Result<ChannelConfig, FieldError> {
        match url.scheme() {
            "gchat" => parse_apprise(url),
            "https" | "http" => {
                let mut secrets = Secrets::new();
                secrets.insert("webhook_url", url.as_str());
                Ok(ChannelConfig {
                    settings: Map::new(),
                    secrets,
                })
            }
            other => Err(FieldError::new(
                "url",
                format!(
                    "`{other}://` is not a Google Chat URL; use gchat://{{space}}/{{key}}/{{token}} or the webhook's https:// URL"
                ),
            )),
        }
    }

    fn accepts_native_url(&self, url: &url::Url) -> bool {
        url.host_str() == Some(NATIVE_HOST)
            && common::path_segments(url).first().map(String::as_str) == Some("v1")
    }

    fn to_url(&self, config: &ChannelConfig, reveal: bool) -> String {
        let Some(parts) = webhook_url(config).ok().and_then(|u| parts(&u).ok()) else {
            return String::new();
        };
        let mut path = vec![
            encode_segment(&parts.space),
            shown(&parts.key, reveal),
            shown(&parts.token, reveal),
        ];
        path.extend(setting(config, "thread_key").map(encode_segment));
        let mut query = Vec::new();
        if bool_setting(config, "incident_threads") {
            query.push(("incident_threads".to_owned(), "yes".to_owned()));
        }
        if parts.base != DEFAULT_BASE {
            query.push(("api_base".to_owned(), parts.base));
        }
        with_query(format!("gchat://{}", path.join("/")), &query)
    }

    fn render(
        &self,
        config: &ChannelConfig,
        message: &Message<'_>,
    ) -> Result<Outbound, FieldError> {
        let event = message.event;
        let mut url = webhook_url(config)?;
        let mut body = json!({
            // What notifications and clients without cards show.
            "fallbackText": truncate(common::title(event), TITLE_LIMIT),
            "cardsV2": [{"cardId": "tocsin", "card": card(event, message.identity)}],
        });
        if let Some(key) = thread_key(config, event) {
            url.query_pairs_mut()
                .append_pair("messageReplyOption", "REPLY_MESSAGE_FALLBACK_TO_NEW_THREAD");
            body["thread"] = json!({"threadKey": key});
        }
        let mut request = common::json_request("POST", url.into(), Vec::new(), &body);
        // The content type Google's own webhook samples send. [V apprise]
        request.headers[0].1 = "application/json; charset=UTF-8".into();
        Ok(Outbound::Http(request))
    }

    /// Google answers the created message on success and
    /// `{"error": {"code": 400, "message": "…", "status": "INVALID_ARGUMENT"}}` otherwise;
    /// a quota is a bare 429 `RESOURCE_EXHAUSTED`, left to the retry schedule's backoff.
    fn classify(&self, response: &HttpResponse) -> Outcome {
        by_status_saying(response, || {
            let error = common::json_body(response).and_then(|b| b.get("error").cloned());
            let text = |key: &str| {
                error
                    .as_ref()
                    .and_then(|e| e.get(key))
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_owned()
            };
            match (text("status"), text("message")) {
                (status, message) if status.is_empty() && message.is_empty() => describe(response),
                (status, message) if status.is_empty() => {
                    format!("Google Chat {}: {message}", response.status)
                }
                (status, message) => {
                    format!("Google Chat {} {status}: {message}", response.status)
                }
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::testing::{self, *};

    const HOOK: &str = "https://chat.googleapis.com/v1/spaces/AAAAo1kK2Rw/messages?key=AIzaSyDdI0hCZtE6vySjMm-WEfRq3CPzqKqqsHI&token=Xq3vN2pR7-Ab_cD9eF0gH1iJ2kL3mN4oP5qR6sT7uV8%3D";

    fn channel_with(settings: Value) -> ChannelConfig {
        configure(&GoogleChat, settings, json!({"webhook_url": HOOK})).expect("a valid channel")
    }

    #[test]
    fn renders_the_sample_event_as_a_card() {
        let request = render(&GoogleChat, &channel_with(json!({})), &sample_event());
        insta::assert_json_snapshot!("googlechat_sample", testing::snapshot(&request));
    }

    #[test]
    fn threads_an_incident_so_the_recovery_answers_the_alert() {
        let config = channel_with(json!({"incident_threads": true}));
        let alert = render(&GoogleChat, &config, &alert_event());
        let recovery = render(&GoogleChat, &config, &recovery_event());
        let key = "tocsin/service.health/application=api,environment=production";
        assert_eq!(body_of(&alert)["thread"]["threadKey"], key);
        assert_eq!(body_of(&recovery)["thread"]["threadKey"], key);
        assert_eq!(
            recovery.url,
            format!("{HOOK}&messageReplyOption=REPLY_MESSAGE_FALLBACK_TO_NEW_THREAD")
        );
        let plain = render(&GoogleChat, &channel_with(json!({})), &alert_event());
        assert_eq!(plain.url, HOOK);
        assert!(body_of(&plain).get("thread").is_none());
    }

    #[test]
    fn a_fixed_thread_takes_every_message() {
        let config = channel_with(json!({"thread_key": "deploys"}));
        let request = render(&GoogleChat, &config, &sample_event());
        assert_eq!(body_of(&request)["thread"]["threadKey"], "deploys");
        let err = configure(
            &GoogleChat,
            json!({"thread_key": "deploys", "incident_threads": true}),
            json!({"webhook_url": HOOK}),
        )
        .unwrap_err();
        assert_eq!(err.field, "settings.incident_threads");
    }

    #[test]
    fn a_thread_in_the_pasted_url_becomes_the_setting() {
        let config = configure(
            &GoogleChat,
            json!({}),
            json!({"webhook_url": format!("{HOOK}&threadKey=ops&messageReplyOption=REPLY_MESSAGE_OR_FAIL")}),
        )
        .unwrap();
        assert_eq!(config.settings["thread_key"], "ops");
        assert_eq!(config.secrets.expose("webhook_url"), Some(HOOK));
    }

    #[test]
    fn escapes_card_html_and_keeps_line_breaks() {
        let mut event = sample_event();
        event.message = "<users/all> & <b>bold</b>\nnext".into();
        event.data = json!({"url": "javascript:alert(1)"});
        let body = body_of(&render(&GoogleChat, &channel_with(json!({})), &event));
        let card = &body["cardsV2"][0]["card"];
        assert_eq!(
            card["sections"][0]["widgets"][0]["textParagraph"]["text"],
            "&lt;users/all&gt; &amp; &lt;b&gt;bold&lt;/b&gt;<br>next"
        );
        assert!(!body.to_string().contains("javascript"), "no button");
        // The header is plain text: shown as written.
        assert_eq!(card["header"]["title"], "Deploy failed: api <prod>");
    }

    #[test]
    fn shows_tocsins_icon_in_the_header() {
        let identity = Identity {
            name: "Tocsin".into(),
            icon_url: Some("https://tocsin.example.com/static/icon.png".into()),
        };
        let request = render_as(
            &GoogleChat,
            &channel_with(json!({})),
            &recovery_event(),
            &identity,
        );
        let header = &body_of(&request)["cardsV2"][0]["card"]["header"];
        assert_eq!(
            header["imageUrl"],
            "https://tocsin.example.com/static/icon.png"
        );
        assert_eq!(header["subtitle"], "ok · service.health.recovered");
    }

    #[test]
    fn keeps_a_long_event_within_the_message_limit() {
        let mut event = sample_event();
        event.title = "T".repeat(1_000);
        event.message = "<".repeat(70_000);
        event.source = (0..64)
            .map(|i| (format!("label{i:02}"), "v".repeat(1_024)))
            .collect();
        let request = render(&GoogleChat, &channel_with(json!({})), &event);
        // Escaping makes each `<` four bytes: 16,000 bytes of text, within 32,000 in all.
        assert!(request.body.len() < 32_000, "{}", request.body.len());
        let body = body_of(&request);
        let details = &body["cardsV2"][0]["card"]["sections"][1]["widgets"];
        assert_eq!(details.as_array().unwrap().len(), 1 + MAX_LABELS);
    }

    #[test]
    fn delivers_on_the_created_message() {
        let answer = response(
            200,
            &[("Content-Type", "application/json; charset=UTF-8")],
            r#"{"name":"spaces/AAAAo1kK2Rw/messages/abc.abc","sender":{"type":"BOT"}}"#,
        );
        assert_eq!(GoogleChat.classify(&answer), Outcome::Delivered);
    }

    #[test]
    fn fails_with_googles_own_error() {
        let answer = response(
            400,
            &[],
            r#"{"error":{"code":400,"message":"Invalid JSON payload received. Unknown name \"cards\"","status":"INVALID_ARGUMENT"}}"#,
        );
        assert_eq!(
            GoogleChat.classify(&answer),
            Outcome::failed(
                "Google Chat 400 INVALID_ARGUMENT: Invalid JSON payload received. Unknown name \"cards\""
            )
        );
        let revoked = response(
            403,
            &[],
            r#"{"error":{"code":403,"message":"The caller does not have permission","status":"PERMISSION_DENIED"}}"#,
        );
        assert!(matches!(
            GoogleChat.classify(&revoked),
            Outcome::Failed { .. }
        ));
        assert_eq!(
            GoogleChat.classify(&response(404, &[], "<html>Not Found</html>")),
            Outcome::failed("HTTP 404: <html>Not Found</html>")
        );
    }

    #[test]
    fn retries_a_429_with_the_schedules_backoff() {
        let answer = response(
            429,
            &[],
            r#"{"error":{"code":429,"message":"Resource has been exhausted (e.g. check quota).","status":"RESOURCE_EXHAUSTED"}}"#,
        );
        assert_eq!(
            GoogleChat.classify(&answer),
            Outcome::retry(
                "Google Chat 429 RESOURCE_EXHAUSTED: Resource has been exhausted (e.g. check quota)."
            )
        );
        assert!(matches!(
            GoogleChat.classify(&response(503, &[], "")),
            Outcome::Retry { .. }
        ));
    }

    #[test]
    fn takes_googles_own_webhook_url_natively() {
        let native = url::Url::parse(HOOK).unwrap();
        assert!(GoogleChat.accepts_native_url(&native));
        assert!(
            !GoogleChat
                .accepts_native_url(&url::Url::parse("https://chat.google.com/room/AAAA").unwrap())
        );
        let (config, printed) = url_round_trip(&GoogleChat, HOOK);
        assert_eq!(config, channel_with(json!({})));
        assert_eq!(
            printed,
            "gchat://AAAAo1kK2Rw/AIzaSyDdI0hCZtE6vySjMm-WEfRq3CPzqKqqsHI/Xq3vN2pR7-Ab_cD9eF0gH1iJ2kL3mN4oP5qR6sT7uV8%3D"
        );
        assert_eq!(url_round_trip(&GoogleChat, &printed).0, config);
        assert_eq!(
            GoogleChat.to_url(&config, false),
            "gchat://AAAAo1kK2Rw/***/***"
        );
    }

    #[test]
    fn apprise_url_round_trips_with_threads_and_a_base() {
        let text = "gchat://AAAAo1kK2Rw/k3y/t0ken/deploys";
        let (config, printed) = url_round_trip(&GoogleChat, text);
        assert_eq!(config.settings["thread_key"], "deploys");
        assert_eq!(printed, text);
        let text = "gchat://AAAAo1kK2Rw/k3y/t0ken?incident_threads=yes&api_base=http%3A%2F%2F127.0.0.1%3A8090";
        let (config, printed) = url_round_trip(&GoogleChat, text);
        assert_eq!(config.settings["incident_threads"], true);
        assert_eq!(
            config.secrets.expose("webhook_url"),
            Some("http://127.0.0.1:8090/v1/spaces/AAAAo1kK2Rw/messages?key=k3y&token=t0ken")
        );
        assert_eq!(printed, text);
        let (config, _) = url_round_trip(
            &GoogleChat,
            "gchat://AAAAo1kK2Rw/?key=k3y&token=t0ken&threadKey=x",
        );
        assert_eq!(config.settings["thread_key"], "x");
    }

    #[test]
    fn rejects_malformed_urls() {
        let cases = [
            ("gchat://AAAAo1kK2Rw/k3y", "space, key and token"),
            ("gchat://AAAAo1kK2Rw/k/t/th/extra", "more path segments"),
            ("gchat://AAAAo1kK2Rw/k/t?colour=red", "`colour`"),
            ("slack://AAAAo1kK2Rw/k/t", "not a Google Chat URL"),
        ];
        for (text, expected) in cases {
            let err = GoogleChat
                .parse_url(&url::Url::parse(text).unwrap())
                .expect_err(text);
            assert!(err.message.contains(expected), "{text}: {err}");
        }
    }

    #[test]
    fn checks_the_webhook_url_on_save() {
        for (hook, expected) in [
            (
                "https://chat.googleapis.com/v1/spaces/AAAA/messages?key=k",
                "key=… and token=…",
            ),
            (
                "https://chat.googleapis.com/v1/spaces/AAAA?key=k&token=t",
                "webhook URL",
            ),
            ("https://chat.google.com/room/AAAA", "webhook URL"),
            (
                "https://chat.googleapis.com/v1/spaces/AAAA/messages?key=k&token=t&foo=1",
                "`foo`",
            ),
        ] {
            let err =
                configure(&GoogleChat, json!({}), json!({"webhook_url": hook})).expect_err(hook);
            assert_eq!(err.field, "secrets.webhook_url");
            assert!(err.message.contains(expected), "{hook}: {err}");
        }
    }
}
