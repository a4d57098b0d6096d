//! The `rocketchat` kind: a message posted to a Rocket.Chat incoming webhook, in the
//! Slack-style shape Rocket.Chat renders: a headline with a severity emoji and the event's
//! linked title, and one attachment with the severity's colour bar, the message and the
//! source labels as fields.
//!
//! URL forms: the webhook itself, `https://chat.example.com/hooks/{id}/{token}` (when the
//! kind is named; a bare https URL is the webhook kind's), and Apprise's webhook form
//! `rockets://[botname:]{id}%2F{token}@host[:port]/[#channel|@user]` (`rocket://` for plain
//! HTTP; `?api_base=` for a server under a path). Apprise's user/password form logs in to the
//! REST API, which this kind does not do.

use serde_json::{Map, Value, json};
use tocsin_core::FieldError;
use tocsin_core::channel::{ChannelConfig, Secrets};
use tocsin_core::event::Event;
use tocsin_core::outbound::{HttpResponse, Outcome};

use crate::classify::{by_status_saying, describe};
use crate::common::{self, encode_segment, setting, shown, truncate, with_query};
use crate::schema::{FieldSpec, FieldType, KindSchema};
use crate::slack::{
    IGNORED_OPTIONS, Sender, apprise_options, attachment, defuse_mentions, hook_parts, host_port,
    json_text, origin, parse_webhook_url, path_of, post_json, safe_link, sender_option,
    sender_query, severity_emoji, single_target, target_list, webhook_url, webhook_url_field,
};
use crate::{Message, Outbound, Provider};

pub struct RocketChat;

/// [K] unverified: Rocket.Chat refuses a message longer than its `Message_MaxAllowedSize`
/// setting (5,000 characters by default); the attachment's text stays under that.
const TEXT_LIMIT: usize = 4_000;
const TITLE_LIMIT: usize = 250;

pub static SCHEMA: KindSchema = KindSchema {
    kind: "rocketchat",
    label: "Rocket.Chat",
    description: "A Rocket.Chat channel, through an incoming webhook integration: the event with a severity colour bar, its labels and its link.",
    url_schemes: &["rocket", "rockets"],
    fields: &[
        webhook_url_field(
            "The incoming webhook integration's URL, https://chat.example.com/hooks/…/…; anyone who has it can post.",
        ),
        FieldSpec {
            name: "channel",
            label: "Channel",
            help: "Post to this channel (#name) or user (@name) instead of the integration's own, if the integration allows it.",
            field_type: FieldType::String,
            secret: false,
            required: false,
            default: None,
        },
        FieldSpec {
            name: "username",
            label: "Sender name",
            help: "The name shown as the sender (Rocket.Chat's alias); Tocsin's when empty.",
            field_type: FieldType::String,
            secret: false,
            required: false,
            default: None,
        },
        FieldSpec {
            name: "icon_url",
            label: "Sender icon URL",
            help: "The picture shown beside the sender (Rocket.Chat's avatar); Tocsin's icon when empty.",
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

/// The request body for `event`. The message and labels are left as Markdown (sources write
/// it on purpose); only mentions of everyone are defused.
fn body(event: &Event, sender: &Sender<'_>) -> Value {
    let title = defuse_mentions(&truncate(common::title(event), TITLE_LIMIT));
    let headline = match safe_link(event) {
        Some(link) => format!("{} [{title}]({link})", severity_emoji(event)),
        None => format!("{} *{title}*", severity_emoji(event)),
    };
    let mut body = json!({
        "text": headline,
        "attachments": [attachment(event, TEXT_LIMIT, defuse_mentions)],
    });
    sender.apply(&mut body, ["alias", "emoji", "avatar", "channel"]);
    body
}

fn check_shape(url: &url::Url) -> Result<(), FieldError> {
    let field = "secrets.webhook_url";
    if hook_parts(url, 2).is_none() {
        return Err(FieldError::new(
            field,
            "must be the integration's webhook URL, https://chat.example.com/hooks/{id}/{token} (Administration → Integrations)",
        ));
    }
    if url.query().is_some() {
        return Err(FieldError::new(
            field,
            "must end at its path; a Rocket.Chat webhook URL has no query",
        ));
    }
    Ok(())
}

fn unknown_option(key: &str) -> FieldError {
    FieldError::new(
        "url",
        format!("has an option Rocket.Chat does not know: `{key}`"),
    )
}

/// `rockets://[botname:]{id}%2F{token}@host[:port]/[target][?options]`
fn parse_apprise(url: &url::Url, scheme: &str) -> Result<ChannelConfig, FieldError> {
    let user = common::decode(url.username());
    let password = url.password().map(common::decode);
    let mut settings = Map::new();
    // Apprise reads `user:webhook@` when the password looks like a webhook, else `webhook@`.
    let mut webhook = match password {
        Some(p) => {
            if !user.is_empty() {
                settings.insert("username".into(), Value::String(user));
            }
            p
        }
        None => user,
    };
    let mut base = None;
    let (options, fragment) = apprise_options(url);
    let mut targets = common::path_segments(url);
    targets.extend(fragment);
    for (key, value) in options {
        match key.as_str() {
            "to" => targets.extend(target_list(&value)),
            "channel" => targets.push(value),
            "webhook" => webhook = value,
            "mode" if value.is_empty() || value == "webhook" => {}
            "mode" => {
                return Err(FieldError::new(
                    "url",
                    format!(
                        "mode `{value}` logs in to Rocket.Chat's REST API; Tocsin's rocketchat kind posts through an incoming webhook (mode=webhook)"
                    ),
                ));
            }
            "api_base" => base = Some(value.trim_end_matches('/').to_owned()),
            k if sender_option(&mut settings, k, value.clone()) => {}
            k if IGNORED_OPTIONS.contains(&k) => {}
            _ => return Err(unknown_option(&key)),
        }
    }
    let Some((id, token)) = webhook
        .split_once('/')
        .filter(|(id, token)| !id.is_empty() && !token.is_empty() && !token.contains('/'))
    else {
        return Err(FieldError::new(
            "url",
            "needs the webhook as {id}%2F{token} before the host, e.g. rockets://AbC%2FxYz@chat.example.com; a user name and password (the REST API) is not supported",
        ));
    };
    if let Some(target) = single_target(targets)? {
        settings.insert("channel".into(), Value::String(target));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(FieldError::new(
            "url",
            "needs the Rocket.Chat server's host name",
        ));
    }
    let base = base.unwrap_or_else(|| format!("{scheme}://{}", host_port(url)));
    let text = format!(
        "{base}/hooks/{}/{}",
        encode_segment(id),
        encode_segment(token)
    );
    let mut secrets = Secrets::new();
    secrets.insert("webhook_url", parse_webhook_url(&text)?.as_str());
    Ok(ChannelConfig { settings, secrets })
}

/// The webhook URL as Rocket.Chat shows it; options in the query are ours.
fn parse_native(url: &url::Url) -> Result<ChannelConfig, FieldError> {
    let mut settings = Map::new();
    let mut targets = Vec::new();
    for (key, value) in common::query_pairs(url) {
        match key.as_str() {
            "channel" => targets.push(value),
            k if sender_option(&mut settings, k, value.clone()) => {}
            _ => return Err(unknown_option(&key)),
        }
    }
    if let Some(target) = single_target(targets)? {
        settings.insert("channel".into(), Value::String(target));
    }
    let mut webhook = parse_webhook_url(url.as_str())?;
    webhook.set_query(None);
    let mut secrets = Secrets::new();
    secrets.insert("webhook_url", webhook.as_str());
    Ok(ChannelConfig { settings, secrets })
}

impl Provider for RocketChat {
    fn schema(&self) -> &'static KindSchema {
        &SCHEMA
    }

    fn prepare(&self, config: &mut ChannelConfig) -> Result<(), FieldError> {
        let url = webhook_url(config)?;
        check_shape(&url)?;
        config.secrets.insert("webhook_url", url.as_str());
        Ok(())
    }

    fn parse_url(&self, url: &url::Url) -> Result<ChannelConfig, FieldError> {
        match url.scheme() {
            "rocket" => parse_apprise(url, "http"),
            "rockets" => parse_apprise(url, "https"),
            "http" | "https" => parse_native(url),
            other => Err(FieldError::new(
                "url",
                format!(
                    "`{other}://` is not a Rocket.Chat URL; use rockets://{{id}}%2F{{token}}@host or the webhook's https:// URL"
                ),
            )),
        }
    }

    fn to_url(&self, config: &ChannelConfig, reveal: bool) -> String {
        let Some((url, (prefix, tokens))) = webhook_url(config)
            .ok()
            .and_then(|url| hook_parts(&url, 2).map(|parts| (url, parts)))
        else {
            return String::new();
        };
        let scheme = if url.scheme() == "http" {
            "rocket"
        } else {
            "rockets"
        };
        let mut query = Vec::new();
        if !prefix.is_empty() {
            query.push((
                "api_base".to_owned(),
                format!("{}{}", origin(&url), path_of(&prefix)),
            ));
        }
        query.extend(sender_query(config));
        let user = setting(config, "username")
            .map(|u| format!("{}:", encode_segment(u)))
            .unwrap_or_default();
        let webhook = shown(&tokens.join("/"), reveal);
        let target = setting(config, "channel")
            .map(encode_segment)
            .unwrap_or_default();
        with_query(
            format!("{scheme}://{user}{webhook}@{}/{target}", host_port(&url)),
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

    /// Rocket.Chat answers `{"success": true}`, and `{"success": false, "error": "…"}` on
    /// failure, usually with 400 or 404 but possibly with 200 (an integration script may
    /// refuse a message). [K] Its REST rate limiter answers 429 with `X-RateLimit-Reset` as
    /// an instant in epoch milliseconds, which cannot become a delay without the clock, so
    /// the retry schedule decides unless `Retry-After` is given.
    fn classify(&self, response: &HttpResponse) -> Outcome {
        let error = || json_text(response, "error");
        let refused = common::json_body(response)
            .and_then(|body| body.get("success").and_then(Value::as_bool))
            == Some(false);
        if (200..300).contains(&response.status) && refused {
            return Outcome::failed(format!(
                "Rocket.Chat {}: {}",
                response.status,
                error().unwrap_or_else(|| "success: false".to_owned())
            ));
        }
        by_status_saying(response, || match error() {
            Some(error) => format!("Rocket.Chat {}: {error}", response.status),
            None => describe(response),
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

    const HOOK: &str =
        "https://chat.example.com/hooks/6oYTSTvF5QPf9s3xM/Kr2uDqBP7TdMx4PEGJzLaQYbt3k8RKW9";

    fn channel() -> ChannelConfig {
        configure(&RocketChat, json!({}), json!({"webhook_url": HOOK})).expect("a valid channel")
    }

    #[test]
    fn renders_the_sample_event() {
        let request = render(&RocketChat, &channel(), &sample_event());
        insta::assert_json_snapshot!("rocketchat_sample", testing::snapshot(&request));
    }

    #[test]
    fn renders_a_recovery_with_a_check_mark_and_green_bar() {
        let body = body_of(&render(&RocketChat, &channel(), &recovery_event()));
        assert_eq!(body["text"], ":white_check_mark: *api is back*");
        assert_eq!(body["attachments"][0]["color"], "#2eb67d");
    }

    #[test]
    fn defuses_mentions_of_everyone() {
        let mut event = sample_event();
        event.title = "@all hands".into();
        event.message = "@here: disk full".into();
        event.data = json!({});
        let body = body_of(&render(&RocketChat, &channel(), &event));
        assert_eq!(body["text"], ":rotating_light: *@\u{200B}all hands*");
        assert_eq!(body["attachments"][0]["text"], "@\u{200B}here: disk full");
    }

    #[test]
    fn sends_the_sender_as_alias_avatar_and_emoji() {
        let identity = Identity {
            name: "Tocsin".into(),
            icon_url: Some("https://tocsin.example.com/static/icon.png".into()),
        };
        let body = body_of(&render_as(
            &RocketChat,
            &channel(),
            &sample_event(),
            &identity,
        ));
        assert_eq!(body["alias"], "Tocsin");
        assert_eq!(body["avatar"], "https://tocsin.example.com/static/icon.png");
        let config = configure(
            &RocketChat,
            json!({"channel": "@alice", "username": "Deploys", "icon_emoji": ":ship:"}),
            json!({"webhook_url": HOOK}),
        )
        .unwrap();
        let body = body_of(&render_as(&RocketChat, &config, &sample_event(), &identity));
        assert_eq!(body["alias"], "Deploys");
        assert_eq!(body["emoji"], ":ship:");
        assert_eq!(body["channel"], "@alice");
        assert!(body.get("avatar").is_none());
    }

    #[test]
    fn keeps_a_long_message_under_the_message_limit() {
        let mut event = sample_event();
        event.message = "M".repeat(70_000);
        let body = body_of(&render(&RocketChat, &channel(), &event));
        let text = body["attachments"][0]["text"].as_str().unwrap();
        assert_eq!(text.chars().count(), TEXT_LIMIT);
    }

    #[test]
    fn delivers_on_success_true() {
        assert_eq!(
            RocketChat.classify(&response(200, &[], r#"{"success":true}"#)),
            Outcome::Delivered
        );
    }

    #[test]
    fn fails_on_success_false_even_with_200() {
        assert_eq!(
            RocketChat.classify(&response(
                200,
                &[],
                r#"{"success":false,"error":"Script rejected the message"}"#
            )),
            Outcome::failed("Rocket.Chat 200: Script rejected the message")
        );
        assert_eq!(
            RocketChat.classify(&response(
                404,
                &[],
                r#"{"success":false,"error":"Invalid integration id or token provided."}"#
            )),
            Outcome::failed("Rocket.Chat 404: Invalid integration id or token provided.")
        );
        assert_eq!(
            RocketChat.classify(&response(
                400,
                &[],
                r#"{"success":false,"error":"invalid-channel"}"#
            )),
            Outcome::failed("Rocket.Chat 400: invalid-channel")
        );
    }

    #[test]
    fn retries_rate_limits_and_server_errors() {
        let answer = response(
            429,
            &[
                ("X-RateLimit-Reset", "1795428065000"),
                ("Retry-After", "60"),
            ],
            r#"{"success":false,"error":"Error, too many requests. Please slow down. You must wait 60 seconds before trying this endpoint again. [error-too-many-requests]"}"#,
        );
        match RocketChat.classify(&answer) {
            Outcome::Retry { reason, after } => {
                assert!(reason.starts_with("Rocket.Chat 429: Error, too many requests"));
                assert_eq!(after, Some(Duration::from_secs(60)));
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(
            RocketChat.classify(&response(502, &[], "")),
            Outcome::retry("HTTP 502")
        );
    }

    #[test]
    fn apprise_url_round_trips() {
        let text = "rockets://Deploys:6oYTSTvF5QPf9s3xM%2FKr2uDqBP7TdMx4PEGJzLaQYbt3k8RKW9@chat.example.com/%23alerts?icon_emoji=%3Aship%3A";
        let (config, printed) = url_round_trip(&RocketChat, text);
        assert_eq!(config.secrets.expose("webhook_url"), Some(HOOK));
        assert_eq!(config.settings["channel"], "#alerts");
        assert_eq!(config.settings["username"], "Deploys");
        assert_eq!(printed, text);
        assert_eq!(
            RocketChat.to_url(&config, false),
            "rockets://Deploys:***@chat.example.com/%23alerts?icon_emoji=%3Aship%3A"
        );
    }

    #[test]
    fn apprise_url_reads_the_other_spellings() {
        let (config, printed) = url_round_trip(
            &RocketChat,
            "rocket://abc%2Fdef@10.0.0.7:3000/#ops?avatar=no",
        );
        assert_eq!(
            config.secrets.expose("webhook_url"),
            Some("http://10.0.0.7:3000/hooks/abc/def")
        );
        assert_eq!(config.settings["channel"], "#ops");
        assert_eq!(printed, "rocket://abc%2Fdef@10.0.0.7:3000/%23ops");
        let (config, _) = url_round_trip(
            &RocketChat,
            "rockets://chat.example.com/@bob?webhook=abc/def&mode=webhook",
        );
        assert_eq!(
            config.secrets.expose("webhook_url"),
            Some("https://chat.example.com/hooks/abc/def")
        );
        assert_eq!(config.settings["channel"], "@bob");
        let text =
            "rockets://abc%2Fdef@chat.example.com/?api_base=https%3A%2F%2Fchat.example.com%2Frc";
        let (config, printed) = url_round_trip(&RocketChat, text);
        assert_eq!(
            config.secrets.expose("webhook_url"),
            Some("https://chat.example.com/rc/hooks/abc/def")
        );
        assert_eq!(printed, text);
        let (native, printed) = url_round_trip(&RocketChat, HOOK);
        assert_eq!(native, channel());
        assert_eq!(url_round_trip(&RocketChat, &printed).0, native);
    }

    #[test]
    fn rejects_what_is_not_a_webhook() {
        let cases = [
            (
                "rockets://user:password@chat.example.com/%23general",
                "{id}%2F{token}",
            ),
            ("rockets://chat.example.com/%23general", "{id}%2F{token}"),
            (
                "rockets://a%2Fb@chat.example.com/?mode=basic",
                "mode `basic`",
            ),
            ("rockets://a%2Fb@chat.example.com/%23a/%23b", "2 channels"),
            ("rockets://a%2Fb@chat.example.com/?colour=red", "`colour`"),
            (
                "https://chat.example.com/api/v1/chat.postMessage",
                "webhook URL",
            ),
        ];
        for (text, expected) in cases {
            let err = RocketChat
                .parse_url(&url::Url::parse(text).unwrap())
                .and_then(|raw| {
                    let secrets = raw
                        .secrets
                        .iter_exposed()
                        .map(|(k, v)| (k.to_owned(), json!(v)))
                        .collect();
                    configure(
                        &RocketChat,
                        Value::Object(raw.settings),
                        Value::Object(secrets),
                    )
                })
                .expect_err(text);
            assert!(err.message.contains(expected), "{text}: {err}");
        }
    }

    #[test]
    fn checks_the_webhook_url_on_save() {
        for (hook, expected) in [
            (
                "https://chat.example.com/hooks/onlyone",
                "/hooks/{id}/{token}",
            ),
            ("https://chat.example.com/hooks/a/b?x=1", "no query"),
        ] {
            let err =
                configure(&RocketChat, json!({}), json!({"webhook_url": hook})).expect_err(hook);
            assert_eq!(err.field, "secrets.webhook_url");
            assert!(err.message.contains(expected), "{hook}: {err}");
        }
    }
}
