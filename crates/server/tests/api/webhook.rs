//! The exact request the webhook kind sends, checked against an independent implementation
//! of Standard Webhooks.

use hmac::{Hmac, Mac};
use serde_json::json;
use sha2::Sha256;

use crate::helpers::*;

const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

#[tokio::test]
async fn sends_the_generic_json_signed_per_standard_webhooks() {
    let app = spawn_app().await;
    app.webhook_with(json!({"name": "ops", "kind": "webhook", "settings": {"url": app.receiver.url("/hooks/tocsin?team=ops")},
        "secrets": {"signing_secret": SECRET}, "events": ["deploy.*"]}))
        .await;
    let event_id = app.emit(deploy_event()).await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let got = app.receiver.wait_for(1).await;
    let r = &got[0];
    let delivery_id = app.only_delivery_of(&event_id).await;

    assert_eq!(r.method, "POST");
    assert_eq!(r.path, "/hooks/tocsin?team=ops");
    assert_eq!(r.header("content-type"), Some("application/json"));
    assert_eq!(r.header("x-tocsin-event"), Some("deploy.success"));
    assert!(r.header("user-agent").unwrap().starts_with("Tocsin/"));
    assert_eq!(r.header("webhook-id"), Some(delivery_id.as_str()));
    let ts: i64 = r.header("webhook-timestamp").unwrap().parse().unwrap();
    assert_eq!(ts, app.clock_secs());

    // Standard Webhooks, verified by the reference implementation.
    let verifier = standardwebhooks::Webhook::new(SECRET).unwrap();
    verifier
        .verify(&r.body, &r.headers)
        .expect("valid webhook-signature");
    let mut tampered = r.body.to_vec();
    tampered[0] = b' ';
    assert!(verifier.verify(&tampered, &r.headers).is_err());

    // X-Signature-256: hex HMAC-SHA256 of the body under the decoded key.
    use base64::Engine as _;
    let key = base64::engine::general_purpose::STANDARD
        .decode(&SECRET[6..])
        .unwrap();
    let mut mac = Hmac::<Sha256>::new_from_slice(&key).unwrap();
    mac.update(&r.body);
    let want = format!("sha256={}", hex::encode(mac.finalize().into_bytes()));
    assert_eq!(r.header("x-signature-256"), Some(want.as_str()));

    let body = r.json();
    assert_eq!(body["event"], "deploy.success");
    assert_eq!(body["id"], event_id);
    assert_eq!(body["title"], "Deploy Success");
    assert_eq!(body["message"], "my-app deployed");
    assert_eq!(body["severity"], "info");
    assert_eq!(body["status"], "success");
    assert_eq!(body["application"], json!({"name": "my-app"}));
    assert_eq!(body["project"], json!({"name": "shop"}));
    assert_eq!(body["environment"], json!({"name": "production"}));
    assert_eq!(body["deployment"]["commit"], "abc123");
    assert_eq!(body["source"]["cluster"], "eu-1");
    assert_eq!(
        body["data"],
        json!({"commit": "abc123", "duration_seconds": 45})
    );
    app.stop().await;
}

#[tokio::test]
async fn the_dokploy_preset_sends_title_message_and_timestamp_only() {
    let app = spawn_app().await;
    app.webhook_with(json!({"name": "d", "kind": "webhook",
        "settings": {"url": app.receiver.url("/d"), "template": "dokploy"}, "events": ["*"]}))
        .await;
    app.emit(deploy_event()).await;
    let got = app.receiver.wait_for(1).await;
    assert_eq!(
        got[0].json(),
        json!({"title": "Deploy Success", "message": "my-app deployed", "timestamp": "2026-11-23T10:00:00Z"})
    );
    app.stop().await;
}

#[tokio::test]
async fn a_custom_template_takes_both_placeholder_styles_and_missing_values_render_empty() {
    let app = spawn_app().await;
    let template = r#"{"text": "${applicationName} @ {{ data.commit }}: {{ message }}", "who": "${data.missing.deeply}", "env": "{{ source.environment }}"}"#;
    app.webhook_with(json!({"name": "c", "kind": "webhook", "events": ["*"],
        "settings": {"url": app.receiver.url("/c"), "template": template, "method": "PUT", "headers": {"X-Team": "ops"}}}))
        .await;
    let mut event = deploy_event();
    event["message"] = json!("quote \" and\nnewline");
    app.emit(event).await;
    let got = app.receiver.wait_for(1).await;
    assert_eq!(got[0].method, "PUT");
    assert_eq!(got[0].header("x-team"), Some("ops"));
    assert_eq!(
        got[0].json(),
        json!({"text": "my-app @ abc123: quote \" and\nnewline", "who": "", "env": "production"})
    );
    app.stop().await;
}

#[tokio::test]
async fn a_text_body_is_sent_as_rendered() {
    let app = spawn_app().await;
    app.webhook_with(json!({"name": "t", "kind": "webhook", "events": ["*"],
        "settings": {"url": app.receiver.url("/t"), "content_type": "text/plain", "template": "{{ title }}: {{ message }}"}}))
        .await;
    app.emit(deploy_event()).await;
    let got = app.receiver.wait_for(1).await;
    assert_eq!(got[0].header("content-type"), Some("text/plain"));
    assert_eq!(&got[0].body[..], b"Deploy Success: my-app deployed");
    app.stop().await;
}

impl TestApp {
    pub fn clock_secs(&self) -> i64 {
        use tocsin_server::clock::Clock;
        self.clock.now().div_euclid(1000)
    }
}
