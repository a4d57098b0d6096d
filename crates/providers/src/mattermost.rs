//! The `mattermost` kind: a message posted to a Mattermost incoming webhook. Mattermost
//! renders Slack's attachments, so the message has Slack's shape in Markdown: a headline
//! with a severity emoji and the event's linked title, and one attachment with the
//! severity's colour bar, the message, the source labels as fields and the event type and
//! time as its footer.
//!
//! URL forms: the webhook itself, `https://chat.example.com/hooks/{key}` (taken as a
//! Mattermost channel without a scheme of its own when the host is `mattermost.…`, as
//! Apprise does), and Apprise's `mmosts://[botname@]host[:port][/path]/{key}` (`mmost://`
//! for plain HTTP) with `?channel=town-square`.

use serde_json::{Map, Value, json};
use tocsin_core::FieldError;
use tocsin_core::channel::{ChannelConfig, Secrets};
use tocsin_core::event::Event;
use tocsin_core::outbound::{HttpResponse, Outcome};

use crate::classify::{by_status_saying, describe};
use crate::common::{self, encode_segment, setting, shown, truncate, with_query};
use crate::schema::{FieldSpec, FieldType, KindSchema};
use crate::slack::{
    IGNORED_OPTIONS, SLACK_SENDER_KEYS, Sender, apprise_options, attachment, defuse_mentions,
    hook_parts, host_port, json_text, parse_webhook_url, path_of, post_json, safe_link,
    sender_option, sender_query, severity_emoji, single_target, target_list, webhook_url,
    webhook_url_field,
};
use crate::{Message, Outbound, Provider};

pub struct Mattermost;

/// [K] unverified: Mattermost caps a post's message at 16,383 characters (server 5.0 and
/// later; 4,000 before); the attachment's text is kept under that too.
const TEXT_LIMIT: usize = 16_000;
const TITLE_LIMIT: usize = 250;

pub static SCHEMA: KindSchema = KindSchema {
    kind: "mattermost",
    label: "Mattermost",
    description: "A Mattermost channel, through an incoming webhook: the event with a severity colour bar, its labels and its link.",
    url_schemes: &["mmost", "mmosts"],
    fields: &[
        webhook_url_field(
            "The incoming webhook's URL, https://chat.example.com/hooks/…; anyone who has it can post.",
        ),
        FieldSpec {
            name: "channel",
            label: "Channel",
            help: "Post to this channel (its name, e.g. town-square) or user (@name) instead of the webhook's own. A webhook locked to its channel refuses this.",
            field_type: FieldType::String,
            secret: false,
            required: false,
            default: None,
        },
        FieldSpec {
            name: "username",
            label: "Sender name",
            help: "The name shown as the sender; Tocsin's when empty. Shown only if the server lets integrations override user names.",
            field_type: FieldType::String,
            secret: false,
            required: false,
            default: None,
        },
        FieldSpec {
            name: "icon_url",
            label: "Sender icon URL",
            help: "The picture shown beside the sender; Tocsin's icon when empty. Shown only if the server lets integrations override profile pictures.",
            field_type: FieldType::Url,
            secret: false,
            required: false,
            default: None,
        },
        FieldSpec {
            name: "icon_emoji",
            label: "Sender emoji",
            help: "An emoji shown as the sender's picture instead of an icon, e.g. rotating_light.",
            field_type: FieldType::String,
            secret: false,
            required: false,
            default: None,
        },
    ],
};

/// Backslash-escapes what would change a title's Markdown (emphasis, links, code).
fn escape_markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '\\' | '`' | '*' | '_' | '[' | ']' | '~' | '|') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// The request body for `event`. The message and labels are left as Markdown (sources write
/// it on purpose); only mentions of everyone are defused.
fn body(event: &Event, sender: &Sender<'_>) -> Value {
    let title = escape_markdown(&defuse_mentions(&truncate(
        common::title(event),
        TITLE_LIMIT,
    )));
    let headline = match safe_link(event) {
        Some(link) => format!("{} **[{title}]({link})**", severity_emoji(event)),
        None => format!("{} **{title}**", severity_emoji(event)),
    };
    let mut attachment = attachment(event, TEXT_LIMIT, defuse_mentions);
    attachment["footer"] = json!(event.event_type);
    attachment["ts"] = json!(event.occurred_at.div_euclid(1000));
    let mut body = json!({"text": headline, "attachments": [attachment]});
    sender.apply(&mut body, SLACK_SENDER_KEYS);
    body
}

/// Mattermost wants a channel's name (`town-square`), not `#town-square`; users keep `@`.
fn channel_name(target: &str) -> String {
    target.trim_start_matches('#').to_owned()
}

fn check_shape(url: &url::Url) -> Result<(), FieldError> {
    let field = "secrets.webhook_url";
    if hook_parts(url, 1).is_none() {
        return Err(FieldError::new(
            field,
            "must be the webhook's URL, https://chat.example.com/hooks/… (Integrations → Incoming Webhooks)",
        ));
    }
    if url.query().is_some() {
        return Err(FieldError::new(
            field,
            "must end at its path; a Mattermost webhook URL has no query",
        ));
    }
    Ok(())
}

fn unknown_option(key: &str) -> FieldError {
    FieldError::new(
        "url",
        format!("has an option Mattermost does not know: `{key}`"),
    )
}

impl Provider for Mattermost {
    fn schema(&self) -> &'static KindSchema {
        &SCHEMA
    }

    fn prepare(&self, config: &mut ChannelConfig) -> Result<(), FieldError> {
        let url = webhook_url(config)?;
        check_shape(&url)?;
        config.secrets.insert("webhook_url", url.as_str());
        if let Some(channel) = setting(config, "channel").map(channel_name) {
            config
                .settings
                .insert("channel".into(), Value::String(channel));
        }
        Ok(())
    }

    fn parse_url(&self, url: &url::Url) -> Result<ChannelConfig, FieldError> {
        let (scheme, native) = match url.scheme() {
            "mmost" => ("http", false),
            "mmosts" => ("https", false),
            "http" | "https" => (url.scheme(), true),
            other => {
                return Err(FieldError::new(
                    "url",
                    format!(
                        "`{other}://` is not a Mattermost URL; use mmosts://host/key or the webhook's https:// URL"
                    ),
                ));
            }
        };
        if url.host_str().is_none_or(str::is_empty) {
            return Err(FieldError::new(
                "url",
                "needs the Mattermost server's host name",
            ));
        }
        let mut settings = Map::new();
        let user = common::decode(url.username());
        if native && (!user.is_empty() || url.password().is_some()) {
            return Err(FieldError::new(
                "url",
                "must not carry a user name or password",
            ));
        }
        if !user.is_empty() {
            settings.insert("username".into(), Value::String(user));
        }
        let (prefix, key) = if native {
            let (prefix, mut tokens) = hook_parts(url, 1).ok_or_else(|| {
                FieldError::new(
                    "url",
                    "must be the webhook's URL, https://chat.example.com/hooks/…",
                )
            })?;
            (prefix, tokens.pop().unwrap_or_default())
        } else {
            let mut segments = common::path_segments(url);
            let key = segments.pop().ok_or_else(|| {
                FieldError::new(
                    "url",
                    "needs the webhook's key as its last path segment, e.g. mmosts://chat.example.com/abc123",
                )
            })?;
            (segments, key)
        };
        let (options, fragment) = apprise_options(url);
        let mut targets: Vec<String> = fragment.into_iter().collect();
        for (key, value) in options {
            match key.as_str() {
                "channel" | "channels" | "to" => targets.extend(target_list(&value)),
                k if sender_option(&mut settings, k, value.clone()) => {}
                k if IGNORED_OPTIONS.contains(&k) => {}
                _ => return Err(unknown_option(&key)),
            }
        }
        if let Some(target) = single_target(targets)? {
            settings.insert("channel".into(), Value::String(channel_name(&target)));
        }
        let webhook = format!(
            "{scheme}://{}{}/hooks/{}",
            host_port(url),
            path_of(&prefix),
            encode_segment(&key)
        );
        let mut secrets = Secrets::new();
        secrets.insert("webhook_url", parse_webhook_url(&webhook)?.as_str());
        Ok(ChannelConfig { settings, secrets })
    }

    fn accepts_native_url(&self, url: &url::Url) -> bool {
        // Apprise's rule: a webhook URL on a host named `mattermost.…`; other hosts are
        // indistinguishable from any webhook and stay with the webhook kind.
        url.host_str().is_some_and(|h| h.starts_with("mattermost.")) && hook_parts(url, 1).is_some()
    }

    fn to_url(&self, config: &ChannelConfig, reveal: bool) -> String {
        let Some((url, (prefix, tokens))) = webhook_url(config)
            .ok()
            .and_then(|url| hook_parts(&url, 1).map(|parts| (url, parts)))
        else {
            return String::new();
        };
        let scheme = if url.scheme() == "http" {
            "mmost"
        } else {
            "mmosts"
        };
        let host = host_port(&url);
        let user = setting(config, "username")
            .map(|u| format!("{}@", encode_segment(u)))
            .unwrap_or_default();
        let mut query = Vec::new();
        if let Some(channel) = setting(config, "channel") {
            query.push(("channel".to_owned(), channel.to_owned()));
        }
        query.extend(sender_query(config));
        let key = tokens.first().map(|k| shown(k, reveal)).unwrap_or_default();
        with_query(
            format!("{scheme}://{user}{host}{}/{key}", path_of(&prefix)),
            &query,
        )
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

    /// Mattermost answers `ok` on success and a JSON AppError otherwise
    /// (`{"id": "web.incoming_webhook.…", "message": "…", "status_code": 400}`); a disabled
    /// or unknown hook is a 400 or 404. [K] Its rate limiter, when on, answers 429 with
    /// `Retry-After` and `X-Ratelimit-*`.
    fn classify(&self, response: &HttpResponse) -> Outcome {
        by_status_saying(response, || {
            let Some(message) = json_text(response, "message") else {
                return describe(response);
            };
            match json_text(response, "id") {
                Some(id) => format!("Mattermost {}: {message} ({id})", response.status),
                None => format!("Mattermost {}: {message}", response.status),
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use serde_json::json;

    use super::*;
    use crate::Identity;
    use crate::testing::{self, *};

    const HOOK: &str = "https://chat.example.com/hooks/xjb4pamwbtdrpkn8oq7hoaysmh";

    fn channel() -> ChannelConfig {
        configure(&Mattermost, json!({}), json!({"webhook_url": HOOK})).expect("a valid channel")
    }

    #[test]
    fn renders_the_sample_event() {
        let request = render(&Mattermost, &channel(), &sample_event());
        insta::assert_json_snapshot!("mattermost_sample", testing::snapshot(&request));
    }

    #[test]
    fn renders_a_recovery_with_a_check_mark_and_green_bar() {
        let body = body_of(&render(&Mattermost, &channel(), &recovery_event()));
        assert_eq!(body["text"], ":white_check_mark: **api is back**");
        assert_eq!(body["attachments"][0]["color"], "#2eb67d");
        assert_eq!(body["attachments"][0]["text"], "Health check passes again.");
    }

    #[test]
    fn escapes_the_title_and_defuses_mentions_of_everyone() {
        let mut event = sample_event();
        event.title = "*api* [prod] @channel".into();
        event.message = "Paging @all: `make` broke **badly**".into();
        event.source.insert("team".into(), "@here".into());
        event.data = json!({});
        let body = body_of(&render(&Mattermost, &channel(), &event));
        assert_eq!(
            body["text"],
            ":rotating_light: **\\*api\\* \\[prod\\] @\u{200B}channel**"
        );
        assert_eq!(
            body["attachments"][0]["text"],
            "Paging @\u{200B}all: `make` broke **badly**"
        );
        let fields = body["attachments"][0]["fields"].as_array().unwrap();
        assert!(
            fields.contains(&json!({"title": "team", "value": "@\u{200B}here", "short": true}))
        );
    }

    #[test]
    fn sends_the_channels_overrides() {
        let config = configure(
            &Mattermost,
            json!({"channel": "#town-square", "username": "Deploys", "icon_url": "https://example.com/i.png"}),
            json!({"webhook_url": HOOK}),
        )
        .unwrap();
        assert_eq!(config.settings["channel"], "town-square");
        let body = body_of(&render_as(
            &Mattermost,
            &config,
            &sample_event(),
            &Identity::default(),
        ));
        assert_eq!(body["channel"], "town-square");
        assert_eq!(body["username"], "Deploys");
        assert_eq!(body["icon_url"], "https://example.com/i.png");
    }

    #[test]
    fn keeps_a_long_message_under_the_post_limit() {
        let mut event = sample_event();
        event.message = "M".repeat(70_000);
        let body = body_of(&render(&Mattermost, &channel(), &event));
        let text = body["attachments"][0]["text"].as_str().unwrap();
        assert_eq!(text.chars().count(), TEXT_LIMIT);
        assert!(text.ends_with('…'));
    }

    #[test]
    fn delivers_on_any_success() {
        assert_eq!(
            Mattermost.classify(&response(200, &[("Content-Type", "text/plain")], "ok")),
            Outcome::Delivered
        );
    }

    #[test]
    fn fails_with_mattermosts_own_error() {
        let answer = response(
            400,
            &[("Content-Type", "application/json")],
            r#"{"id":"web.incoming_webhook.disabled.app_error","message":"Incoming webhooks have been disabled by the system admin.","detailed_error":"","request_id":"8ny7o3","status_code":400}"#,
        );
        assert_eq!(
            Mattermost.classify(&answer),
            Outcome::failed(
                "Mattermost 400: Incoming webhooks have been disabled by the system admin. (web.incoming_webhook.disabled.app_error)"
            )
        );
        assert_eq!(
            Mattermost.classify(&response(404, &[], "404 page not found")),
            Outcome::failed("HTTP 404: 404 page not found")
        );
    }

    #[test]
    fn retries_a_429_after_its_retry_after() {
        let answer = response(
            429,
            &[("Retry-After", "2"), ("X-Ratelimit-Remaining", "0")],
            r#"{"id":"api.context.rate_limit.app_error","message":"Too many requests","status_code":429}"#,
        );
        assert_eq!(
            Mattermost.classify(&answer),
            Outcome::Retry {
                reason: "Mattermost 429: Too many requests (api.context.rate_limit.app_error)"
                    .into(),
                after: Some(Duration::from_secs(2)),
            }
        );
        assert_eq!(
            Mattermost.classify(&response(503, &[], "")),
            Outcome::retry("HTTP 503")
        );
    }

    #[test]
    fn apprise_url_round_trips() {
        let text = "mmosts://Deploys@chat.example.com:8443/team/xjb4pamwbtdrpkn8oq7hoaysmh?channel=town-square&icon_emoji=bell";
        let (config, printed) = url_round_trip(&Mattermost, text);
        assert_eq!(
            config.secrets.expose("webhook_url"),
            Some("https://chat.example.com:8443/team/hooks/xjb4pamwbtdrpkn8oq7hoaysmh")
        );
        assert_eq!(config.settings["channel"], "town-square");
        assert_eq!(config.settings["username"], "Deploys");
        assert_eq!(printed, text);
        assert_eq!(
            Mattermost.to_url(&config, false),
            "mmosts://Deploys@chat.example.com:8443/team/***?channel=town-square&icon_emoji=bell"
        );
        let (plain, printed) =
            url_round_trip(&Mattermost, "mmost://10.0.0.5/abc?to=%23ops&image=no");
        assert_eq!(
            plain.secrets.expose("webhook_url"),
            Some("http://10.0.0.5/hooks/abc")
        );
        assert_eq!(plain.settings["channel"], "ops");
        assert_eq!(printed, "mmost://10.0.0.5/abc?channel=ops");
    }

    #[test]
    fn takes_webhooks_on_a_mattermost_host_natively() {
        let native = url::Url::parse("https://mattermost.example.com/hooks/abc123").unwrap();
        assert!(Mattermost.accepts_native_url(&native));
        for other in [
            "https://chat.example.com/hooks/abc123",
            "https://mattermost.example.com/api/v4/posts",
            "https://hooks.slack.com/services/T/B/X",
        ] {
            assert!(
                !Mattermost.accepts_native_url(&url::Url::parse(other).unwrap()),
                "{other}"
            );
        }
        let (config, printed) = url_round_trip(&Mattermost, native.as_str());
        assert_eq!(config.secrets.expose("webhook_url"), Some(native.as_str()));
        assert_eq!(printed, "mmosts://mattermost.example.com/abc123");
        // Any host works when the kind is chosen by its API form.
        let (config, _) = url_round_trip(&Mattermost, HOOK);
        assert_eq!(config, channel());
    }

    #[test]
    fn rejects_malformed_urls() {
        let cases = [
            ("mmosts://chat.example.com", "key as its last path segment"),
            ("https://chat.example.com/abc", "/hooks/"),
            (
                "https://u:p@chat.example.com/hooks/abc",
                "user name or password",
            ),
            ("mmosts://chat.example.com/abc?channel=a,b", "2 channels"),
            (
                "mmosts://chat.example.com/abc?priority=urgent",
                "`priority`",
            ),
            ("slack://chat.example.com/abc", "not a Mattermost URL"),
        ];
        for (text, expected) in cases {
            let err = Mattermost
                .parse_url(&url::Url::parse(text).unwrap())
                .expect_err(text);
            assert!(err.message.contains(expected), "{text}: {err}");
        }
    }

    #[test]
    fn checks_the_webhook_url_on_save() {
        for (hook, expected) in [
            ("https://chat.example.com/", "/hooks/"),
            ("https://chat.example.com/hooks/abc?x=1", "no query"),
            ("chat.example.com/hooks/abc", "not a valid URL"),
        ] {
            let err =
                configure(&Mattermost, json!({}), json!({"webhook_url": hook})).expect_err(hook);
            assert_eq!(err.field, "secrets.webhook_url");
            assert!(err.message.contains(expected), "{hook}: {err}");
        }
    }
}
