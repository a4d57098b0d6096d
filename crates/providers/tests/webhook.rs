//! The webhook kind's requests, pinned: a change of wire format shows up as a diff.

use serde_json::{Map, Value, json};
use tocsin_core::event::{Event, EventInput};
use tocsin_core::outbound::{HttpResponse, Outcome};
use tocsin_providers::{Kind, Message, Outbound, configure, from_url};

const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const NOW: i64 = 1_795_428_005_000;

fn event() -> Event {
    let input: EventInput = serde_json::from_value(json!({
        "type": "deploy.failure", "title": "Deploy Failed", "message": "build \"api\" broke\nsee log",
        "severity": "critical", "source": {"application": "api", "project": "shop", "environment": "production"},
        "data": {"commit": "abc123", "error": "exit code 2"}, "occurred_at": "2026-11-23T10:00:00Z"}))
    .unwrap();
    Event::parse(
        input,
        ulid::Ulid::from_string("01KAQ5Q0000000000000000000").unwrap(),
        NOW,
    )
    .unwrap()
}

fn settings(v: Value) -> Map<String, Value> {
    v.as_object().unwrap().clone()
}

fn secrets() -> Map<String, Value> {
    settings(json!({"signing_secret": SECRET}))
}

/// The request as plain JSON, body parsed when it is JSON.
fn render(settings_value: Value) -> Value {
    let config = configure(Kind::Webhook, settings(settings_value), secrets(), None).unwrap();
    let e = event();
    let identity = tocsin_providers::Identity::default();
    let message = Message {
        event: &e,
        delivery_id: "01KAQ5Q1111111111111111111",
        now: NOW,
        identity: &identity,
        attachments: &[],
    };
    let Ok(Outbound::Http(req)) = Kind::Webhook.provider().render(&config, &message) else {
        panic!("the webhook kind renders an HTTP request");
    };
    let body = serde_json::from_slice(&req.body)
        .unwrap_or_else(|_| Value::String(String::from_utf8(req.body.clone()).unwrap()));
    json!({"method": req.method, "url": req.url, "headers": req.headers, "body": body})
}

#[test]
fn renders_the_generic_preset_signed() {
    insta::assert_json_snapshot!(
        "webhook_generic",
        render(json!({"url": "https://hooks.example.com/in"}))
    );
}

#[test]
fn renders_the_slack_discord_and_teams_presets() {
    for preset in ["slack", "discord", "teams", "n8n", "ringcentral", "dokploy"] {
        let request = render(json!({"url": "https://hooks.example.com/in", "template": preset}));
        insta::assert_json_snapshot!(format!("webhook_{preset}"), request["body"]);
    }
}

#[test]
fn renders_a_text_template_with_custom_method_and_headers() {
    let request = render(
        json!({"url": "https://hooks.example.com/in", "method": "put",
        "headers": {"X-Team": "ops"}, "content_type": "text/plain", "template": "${title}: {{ message }}"}),
    );
    assert_eq!(request["method"], "PUT");
    assert_eq!(
        request["body"],
        "Deploy Failed: build \"api\" broke\nsee log"
    );
    let headers = request["headers"].as_array().unwrap();
    assert!(headers.contains(&json!(["X-Team", "ops"])));
    assert!(headers.contains(&json!(["Content-Type", "text/plain"])));
}

#[test]
fn url_forms_round_trip_and_mask_secrets() {
    let (kind, raw) = from_url(
        "jsons://user:p%40ss@hooks.example.com:8443/in?+X-Team=ops&method=PATCH&template=slack&q=1",
    )
    .unwrap();
    assert_eq!(kind, Kind::Webhook);
    let s: Map<String, Value> = raw
        .secrets
        .iter_exposed()
        .map(|(k, v)| (k.into(), v.into()))
        .collect();
    let config = configure(kind, raw.settings, s, None).unwrap();
    // The settings show the URL masked and only the header names; the secrets hold both.
    assert_eq!(
        config.settings["url"],
        "https://hooks.example.com:8443/in?q=***"
    );
    assert_eq!(
        config.secrets.expose("url"),
        Some("https://hooks.example.com:8443/in?q=1")
    );
    assert_eq!(config.settings["method"], "PATCH");
    assert_eq!(config.settings["template"], "slack");
    assert_eq!(
        config.settings["headers"],
        json!({"Authorization": "set", "X-Team": "set"})
    );
    let headers: Value = serde_json::from_str(config.secrets.expose("headers").unwrap()).unwrap();
    assert_eq!(
        headers,
        json!({"Authorization": "Basic dXNlcjpwQHNz", "X-Team": "ops"})
    );
    let masked = Kind::Webhook.provider().to_url(&config, false);
    assert_eq!(
        masked,
        "jsons://hooks.example.com:8443/in?q=***&method=PATCH&template=slack&+Authorization=***&+X-Team=***"
    );
    let revealed = Kind::Webhook.provider().to_url(&config, true);
    let (_, again) = from_url(&revealed).unwrap();
    let again_secrets = again
        .secrets
        .iter_exposed()
        .map(|(k, v)| (k.into(), v.into()))
        .collect();
    let again = configure(kind, again.settings, again_secrets, None).unwrap();
    assert_eq!(again.settings, config.settings);
    assert_eq!(again.secrets, config.secrets);

    let (_, plain) = from_url("https://hooks.example.com/in?token=abc").unwrap();
    assert_eq!(
        plain.settings["url"],
        "https://hooks.example.com/in?token=abc"
    );
    assert!(
        from_url("https://user:pw@hooks.example.com/in").is_err(),
        "credentials belong in a header"
    );
    assert!(from_url("gopher://x").is_err());
}

#[test]
fn generates_a_signing_secret_when_none_is_given() {
    let config = configure(
        Kind::Webhook,
        settings(json!({"url": "https://x.example/in"})),
        Map::new(),
        None,
    )
    .unwrap();
    assert!(
        config
            .secrets
            .expose("signing_secret")
            .unwrap()
            .starts_with("whsec_")
    );
}

#[test]
fn an_update_keeps_stored_secrets_unless_replaced() {
    let first = configure(
        Kind::Webhook,
        settings(json!({"url": "https://x.example/in"})),
        secrets(),
        None,
    )
    .unwrap();
    let kept = configure(
        Kind::Webhook,
        settings(json!({"url": "https://y.example/in"})),
        Map::new(),
        Some(&first),
    )
    .unwrap();
    assert_eq!(kept.secrets.expose("signing_secret"), Some(SECRET));
}

#[test]
fn classifies_answers_by_status() {
    let provider = Kind::Webhook.provider();
    let resp = |status, body: &str| HttpResponse {
        status,
        headers: vec![],
        body: body.as_bytes().to_vec(),
    };
    assert_eq!(provider.classify(&resp(202, "")), Outcome::Delivered);
    assert!(matches!(
        provider.classify(&resp(502, "")),
        Outcome::Retry { .. }
    ));
    assert_eq!(
        provider.classify(&resp(410, "gone")),
        Outcome::failed("HTTP 410: gone")
    );
}

/// A configuration from the API form, as an update would make it from `previous`.
fn update(
    settings_value: Value,
    previous: Option<&tocsin_core::channel::ChannelConfig>,
) -> tocsin_core::channel::ChannelConfig {
    configure(
        Kind::Webhook,
        settings(settings_value),
        Map::new(),
        previous,
    )
    .unwrap()
}

#[test]
fn the_url_and_header_values_are_sealed_and_shown_masked() {
    let token = "tok3nQueryValue9";
    let path_token = "B0a1b2c3d4e5f6a7b8c9d0e1";
    let config = update(
        json!({"url": format!("https://hooks.example.com/services/T0001AB/{path_token}/in?token={token}&team=ops"),
            "headers": {"Authorization": "Bearer hdr-secret-value", "X-Api-Key": "key-secret-value"}}),
        None,
    );
    let shown = config.settings.get("url").unwrap().as_str().unwrap();
    assert_eq!(
        shown,
        "https://hooks.example.com/services/T0001AB/***/in?token=***&team=***"
    );
    let printed = format!(
        "{:?}{}",
        config.settings,
        Kind::Webhook.provider().to_url(&config, false)
    );
    for secret in [token, path_token, "hdr-secret-value", "key-secret-value"] {
        assert!(!printed.contains(secret), "{secret} in {printed}");
    }
    // The request carries the real values.
    let e = event();
    let identity = tocsin_providers::Identity::default();
    let message = Message {
        event: &e,
        delivery_id: "d",
        now: NOW,
        identity: &identity,
        attachments: &[],
    };
    let Ok(Outbound::Http(req)) = Kind::Webhook.provider().render(&config, &message) else {
        panic!("renders");
    };
    assert!(
        req.url
            .ends_with(&format!("/{path_token}/in?token={token}&team=ops")),
        "{}",
        req.url
    );
    assert!(
        req.headers
            .contains(&("Authorization".into(), "Bearer hdr-secret-value".into()))
    );
    assert!(
        req.headers
            .contains(&("X-Api-Key".into(), "key-secret-value".into()))
    );

    // Giving the shown forms back keeps the stored values (the edit form's round trip),
    // preparing twice changes nothing, and a header left out is dropped.
    let again = update(
        json!({"url": shown, "headers": {"Authorization": "set", "X-Team": "ops"}}),
        Some(&config),
    );
    assert_eq!(again.secrets.expose("url"), config.secrets.expose("url"));
    let headers: Value = serde_json::from_str(again.secrets.expose("headers").unwrap()).unwrap();
    assert_eq!(
        headers,
        json!({"Authorization": "Bearer hdr-secret-value", "X-Team": "ops"})
    );
    let mut twice = again.clone();
    Kind::Webhook.provider().prepare(&mut twice).unwrap();
    assert_eq!(twice, again);
    // A new URL replaces the stored one; no headers remove the stored ones.
    let replaced = update(
        json!({"url": "https://other.example/in", "headers": null}),
        Some(&again),
    );
    assert_eq!(
        replaced.secrets.expose("url"),
        Some("https://other.example/in")
    );
    assert_eq!(replaced.settings["url"], "https://other.example/in");
    assert!(!replaced.secrets.contains("headers"));
    assert!(!replaced.settings.contains_key("headers"));
    // An update that leaves the settings as they are keeps everything.
    let same = update(Value::Object(again.settings.clone()), Some(&again));
    assert_eq!(same.secrets, again.secrets);
}

#[test]
fn credentials_in_the_url_are_refused_with_a_pointer_to_headers() {
    let err = configure(
        Kind::Webhook,
        settings(json!({"url": "https://user:pw-secret-value@hooks.example.com/in"})),
        Map::new(),
        None,
    )
    .unwrap_err();
    assert_eq!(err.field, "settings.url");
    assert!(
        err.message.contains("user name or password"),
        "{}",
        err.message
    );
    assert!(!err.message.contains("pw-secret-value"));
}

#[test]
fn attachments_go_into_a_json_object_body_before_signing() {
    let config = configure(
        Kind::Webhook,
        settings(json!({"url": "https://hooks.example.com/in"})),
        secrets(),
        None,
    )
    .unwrap();
    let e = event();
    let identity = tocsin_providers::Identity::default();
    let files = [tocsin_providers::Attachment {
        filename: "report.csv".into(),
        mime: "text/csv".into(),
        data: b"a,b\n1,2\n".to_vec(),
    }];
    let message = Message {
        event: &e,
        delivery_id: "01KAQ5Q1111111111111111111",
        now: NOW,
        identity: &identity,
        attachments: &files,
    };
    let provider = Kind::Webhook.provider();
    assert!(provider.carries_attachments(&config));
    let Ok(Outbound::Http(req)) = provider.render(&config, &message) else {
        panic!("the webhook kind renders an HTTP request");
    };
    let mut body: Value = serde_json::from_slice(&req.body).unwrap();
    assert_eq!(
        body["attachments"],
        json!([{"filename": "report.csv", "mimetype": "text/csv", "base64": "YSxiCjEsMgo="}])
    );
    let secret = tocsin_core::signing::SigningSecret::parse(SECRET).unwrap();
    let signature = req.header("webhook-signature").unwrap();
    let id = req.header("webhook-id").unwrap();
    assert!(secret.verify(id, NOW / 1000, &req.body, signature));
    // Without the attachments the body is what the preset renders alone.
    body.as_object_mut().unwrap().remove("attachments");
    assert_eq!(
        body,
        render(json!({"url": "https://hooks.example.com/in"}))["body"]
    );

    // A text body cannot carry them: the kind says so, and rendering refuses.
    let text = configure(
        Kind::Webhook,
        settings(
            json!({"url": "https://hooks.example.com/in", "content_type": "text/plain",
            "template": "{{ title }}"}),
        ),
        secrets(),
        None,
    )
    .unwrap();
    assert!(!provider.carries_attachments(&text));
    let refused = provider.render(&text, &message).unwrap_err();
    assert_eq!(refused.field, tocsin_providers::ATTACHMENTS_FIELD);
}
