//! Every channel kind through the real dispatch path: the request a local recording server
//! receives is exactly the request the provider renders (method, path and query, headers,
//! body).

use serde_json::Value;
use tocsin_providers::{Kind, Message, Outbound};

use crate::helpers::*;

/// One channel per kind, sending to `{BASE}` (the receiver), with the answer the service
/// gives on success.
const CHANNELS: &[(&str, u16, &str)] = &[
    (
        r#"{"name": "webhook", "kind": "webhook", "settings": {"url": "{BASE}/hooks/in"}}"#,
        200,
        "ok",
    ),
    (
        r#"{"name": "slack", "kind": "slack", "secrets": {"webhook_url": "{BASE}/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX"}}"#,
        200,
        "ok",
    ),
    (
        r#"{"name": "mattermost", "kind": "mattermost", "secrets": {"webhook_url": "{BASE}/hooks/xjb4pamwbtdrpkn8oq7hoaysmh"}, "settings": {"channel": "town-square"}}"#,
        200,
        "ok",
    ),
    (
        r#"{"name": "rocketchat", "kind": "rocketchat", "secrets": {"webhook_url": "{BASE}/hooks/6oYTSTvF5QPf9s3xM/Kr2uDqBP7TdMx4PEGJzLaQYbt3k8RKW9"}}"#,
        200,
        r#"{"success":true}"#,
    ),
    (
        r#"{"name": "googlechat", "kind": "googlechat", "secrets": {"webhook_url": "{BASE}/v1/spaces/AAAAo1kK2Rw/messages?key=AIzaSyDdI0hCZtE6vySjMm&token=Xq3vN2pR7-Ab_cD9eF0gH1%3D"}, "settings": {"incident_threads": true}}"#,
        200,
        r#"{"name":"spaces/AAAAo1kK2Rw/messages/abc.abc"}"#,
    ),
    (
        r#"{"name": "pagerduty", "kind": "pagerduty", "secrets": {"routing_key": "0123456789abcdef0123456789abcdef"}, "settings": {"api_base": "{BASE}"}}"#,
        202,
        r#"{"status":"success","message":"Event processed","dedup_key":"k"}"#,
    ),
    (
        r#"{"name": "opsgenie", "kind": "opsgenie", "secrets": {"api_key": "3f2a8c1e-5b7d-4e9a-8c2f-1a2b3c4d5e6f"}, "settings": {"api_base": "{BASE}"}}"#,
        202,
        r#"{"result":"Request will be processed","took":0.3,"requestId":"r"}"#,
    ),
    (
        r#"{"name": "twilio", "kind": "twilio", "secrets": {"auth_token": "f0e1d2c3b4a5968778695a4b3c2d1e0f"}, "settings": {"account_sid": "AC0123456789abcdef0123456789abcdef", "from": "+15551234567", "to": "+15557654321", "api_base": "{BASE}"}}"#,
        201,
        r#"{"sid":"SM1","status":"queued"}"#,
    ),
    (
        r#"{"name": "gotify", "kind": "gotify", "settings": {"server_url": "{BASE}", "priority": 5}, "secrets": {"app_token": "AKm3xR9.tZ2QpLw"}}"#,
        200,
        r#"{"id":1,"appid":1,"message":"m","title":"t","priority":5,"date":"2026-11-23T10:00:00Z"}"#,
    ),
    (
        r#"{"name": "ntfy", "kind": "ntfy", "settings": {"server_url": "{BASE}", "topic": "tocsin-alerts"}, "secrets": {"access_token": "tk_AgQdq7mVBoFD37zQVN29RhuMzNIz2"}}"#,
        200,
        r#"{"id":"abc","time":1,"event":"message","topic":"tocsin-alerts"}"#,
    ),
    (
        r#"{"name": "pushover", "kind": "pushover", "settings": {"api_base": "{BASE}"}, "secrets": {"user_key": "uQiRzpo4DXghDmr9QzzfQu27cmVRsG", "api_token": "azGDORePK8gMaC0QOYAMyEEuzJnyUi"}}"#,
        200,
        r#"{"status":1,"request":"647d2300-702c-4b38-8b2f-d56326ae460b"}"#,
    ),
    (
        r#"{"name": "pushbullet", "kind": "pushbullet", "settings": {"api_base": "{BASE}"}, "secrets": {"access_token": "o.Zx9mQ2LkP4vR7tY1uW3eA5sD8fG0hJ6k"}}"#,
        200,
        r#"{"iden":"ujpah72o0","type":"note","active":true}"#,
    ),
    (
        r#"{"name": "telegram", "kind": "telegram", "settings": {"api_base": "{BASE}", "chat_id": "-1001234567890", "message_thread_id": 42}, "secrets": {"bot_token": "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"}}"#,
        200,
        r#"{"ok":true,"result":{"message_id":1}}"#,
    ),
    (
        r#"{"name": "matrix", "kind": "matrix", "settings": {"homeserver": "{BASE}", "room_id": "!ops:example.org"}, "secrets": {"access_token": "syt_dG9jc2lu_test"}}"#,
        200,
        r#"{"event_id":"$x"}"#,
    ),
    (
        r#"{"name": "zulip", "kind": "zulip", "settings": {"site": "{BASE}", "bot_email": "alerts-bot@example.zulipchat.com", "stream": "ops", "topic": "deploys"}, "secrets": {"api_key": "lqn6mpwpam6VZzbCW0o7olmk3hwbQSKx"}}"#,
        200,
        r#"{"result":"success","msg":"","id":1}"#,
    ),
    (
        r#"{"name": "signal", "kind": "signal", "settings": {"server": "{BASE}", "from_number": "+4912345678", "recipients": "+4967890123"}}"#,
        201,
        r#"{"timestamp":"1795428005123"}"#,
    ),
    (
        r#"{"name": "discord", "kind": "discord", "secrets": {"webhook_url": "{BASE}/api/webhooks/123456789012345678/tok_EN-abc"}}"#,
        200,
        r#"{"id":"1","type":0,"channel_id":"2"}"#,
    ),
    (
        r#"{"name": "teams", "kind": "teams", "secrets": {"webhook_url": "{BASE}/workflows/abc123/triggers/manual/paths/invoke?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=testsig"}}"#,
        202,
        "",
    ),
    (
        r#"{"name": "lark", "kind": "lark", "secrets": {"webhook_url": "{BASE}/open-apis/bot/v2/hook/2d6e8b1c-7a3f-4e0b-9c51-5f0e3a8d7b42", "signing_secret": "lark-signing-secret"}}"#,
        200,
        r#"{"code":0,"data":{},"msg":"success"}"#,
    ),
    (
        r#"{"name": "webex", "kind": "webex", "secrets": {"webhook_url": "{BASE}/v1/webhooks/incoming/abc123"}}"#,
        204,
        "",
    ),
    (
        r#"{"name": "resend", "kind": "resend", "settings": {"from": "Tocsin <alerts@example.com>", "to": "ops@example.com", "api_base": "{BASE}"}, "secrets": {"api_key": "re_test_123"}}"#,
        200,
        r#"{"id":"49a3999c-0ce1-4ea6-ab68-afcd6dc2e794"}"#,
    ),
    (
        r#"{"name": "ses", "kind": "ses", "settings": {"region": "eu-west-1", "access_key_id": "AKIAIOSFODNN7EXAMPLE", "from": "alerts@example.com", "to": "ops@example.com", "api_base": "{BASE}"}, "secrets": {"secret_access_key": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"}}"#,
        200,
        r#"{"MessageId":"0102018d3b1c7e5e-e2e-000000"}"#,
    ),
];

async fn check(channel: &str, status: u16, answer: &'static str) {
    let app = spawn_app().await;
    app.receiver.script([Reply::Status(status, answer)]);
    let body: Value =
        serde_json::from_str(&channel.replace("{BASE}", &app.receiver.url(""))).unwrap();
    let kind = body["kind"].as_str().unwrap().to_owned();
    let mut body = body;
    body["events"] = serde_json::json!(["*"]);
    let channel_id = app.webhook_with(body).await;
    let accepted = app.emit(deploy_event()).await;
    let got = app.receiver.wait_for(1).await;
    let received = &got[0];

    // What the provider renders for the same event, delivery and instant.
    let event_id = accepted["id"].as_str().unwrap().parse().unwrap();
    let event = app
        .app_state
        .store
        .get_event(event_id)
        .await
        .unwrap()
        .unwrap();
    let channel = app
        .app_state
        .store
        .get_channel(channel_id.parse().unwrap())
        .await
        .unwrap()
        .unwrap();
    let delivery_id = app.only_delivery_of(accepted["id"].as_str().unwrap()).await;
    let message = Message {
        event: &event,
        delivery_id: &delivery_id,
        now: {
            use tocsin_server::clock::Clock;
            app.clock.now()
        },
        identity: &app.app_state.identity,
        attachments: &[],
    };
    let provider = Kind::parse(&kind).unwrap().provider();
    let Ok(Outbound::Http(expected)) = provider.render(&channel.config, &message) else {
        panic!("{kind}: not an HTTP request");
    };

    assert_eq!(received.method, expected.method, "{kind}: method");
    assert_eq!(
        app.receiver.url(&received.path),
        expected.url,
        "{kind}: path and query"
    );
    for (name, value) in &expected.headers {
        assert_eq!(
            received.header(name),
            Some(value.as_str()),
            "{kind}: header {name}"
        );
    }
    assert_eq!(&received.body[..], &expected.body[..], "{kind}: body");
    app.delivery_when(&delivery_id, |d| d["status"] == "delivered")
        .await;
    app.stop().await;
}

#[tokio::test]
async fn every_kind_sends_exactly_what_its_provider_renders() {
    let covered: Vec<String> = CHANNELS
        .iter()
        .map(|(c, _, _)| {
            serde_json::from_str::<Value>(c).unwrap()["kind"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    for kind in Kind::ALL {
        if kind.name() == "email" {
            continue; // SMTP, not HTTP: crates/server/tests/smtp.rs sends it to a real SMTP server.
        }
        assert!(
            covered.iter().any(|c| c == kind.name()),
            "no channel for kind {}",
            kind.name()
        );
    }
    for (channel, status, answer) in CHANNELS {
        check(channel, *status, answer).await;
    }
}
