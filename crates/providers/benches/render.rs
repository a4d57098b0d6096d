//! What building one request costs, per channel kind (`cargo bench -p tocsin-providers
//! --bench render`): the provider renders the shared sample event (`src/testing.rs`) for a
//! channel configured as the API configures it. No I/O: the request is built, not sent.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use serde_json::{Map, Value};
// `testing.rs` names these through `crate::`.
use tocsin_providers::{Identity, Kind, Message, Outbound, Provider, configure, schema};

#[path = "../src/testing.rs"]
mod testing;

/// One channel of each kind, as an API body would create it.
const CHANNELS: &[&str] = &[
    r#"{"name": "webhook", "kind": "webhook", "settings": {"url": "https://bench.example.org/hooks/in"}}"#,
    r#"{"name": "slack", "kind": "slack", "secrets": {"webhook_url": "https://bench.example.org/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX"}}"#,
    r#"{"name": "mattermost", "kind": "mattermost", "secrets": {"webhook_url": "https://bench.example.org/hooks/xjb4pamwbtdrpkn8oq7hoaysmh"}, "settings": {"channel": "town-square"}}"#,
    r#"{"name": "rocketchat", "kind": "rocketchat", "secrets": {"webhook_url": "https://bench.example.org/hooks/6oYTSTvF5QPf9s3xM/Kr2uDqBP7TdMx4PEGJzLaQYbt3k8RKW9"}}"#,
    r#"{"name": "googlechat", "kind": "googlechat", "secrets": {"webhook_url": "https://bench.example.org/v1/spaces/AAAAo1kK2Rw/messages?key=AIzaSyDdI0hCZtE6vySjMm&token=Xq3vN2pR7-Ab_cD9eF0gH1%3D"}, "settings": {"incident_threads": true}}"#,
    r#"{"name": "pagerduty", "kind": "pagerduty", "secrets": {"routing_key": "0123456789abcdef0123456789abcdef"}, "settings": {"api_base": "https://bench.example.org"}}"#,
    r#"{"name": "opsgenie", "kind": "opsgenie", "secrets": {"api_key": "3f2a8c1e-5b7d-4e9a-8c2f-1a2b3c4d5e6f"}, "settings": {"api_base": "https://bench.example.org"}}"#,
    r#"{"name": "twilio", "kind": "twilio", "secrets": {"auth_token": "f0e1d2c3b4a5968778695a4b3c2d1e0f"}, "settings": {"account_sid": "AC0123456789abcdef0123456789abcdef", "from": "+15551234567", "to": "+15557654321", "api_base": "https://bench.example.org"}}"#,
    r#"{"name": "gotify", "kind": "gotify", "settings": {"server_url": "https://bench.example.org", "priority": 5}, "secrets": {"app_token": "AKm3xR9.tZ2QpLw"}}"#,
    r#"{"name": "ntfy", "kind": "ntfy", "settings": {"server_url": "https://bench.example.org", "topic": "tocsin-alerts"}, "secrets": {"access_token": "tk_AgQdq7mVBoFD37zQVN29RhuMzNIz2"}}"#,
    r#"{"name": "pushover", "kind": "pushover", "settings": {"api_base": "https://bench.example.org"}, "secrets": {"user_key": "uQiRzpo4DXghDmr9QzzfQu27cmVRsG", "api_token": "azGDORePK8gMaC0QOYAMyEEuzJnyUi"}}"#,
    r#"{"name": "pushbullet", "kind": "pushbullet", "settings": {"api_base": "https://bench.example.org"}, "secrets": {"access_token": "o.Zx9mQ2LkP4vR7tY1uW3eA5sD8fG0hJ6k"}}"#,
    r#"{"name": "telegram", "kind": "telegram", "settings": {"api_base": "https://bench.example.org", "chat_id": "-1001234567890", "message_thread_id": 42}, "secrets": {"bot_token": "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"}}"#,
    r#"{"name": "matrix", "kind": "matrix", "settings": {"homeserver": "https://bench.example.org", "room_id": "!ops:example.org"}, "secrets": {"access_token": "syt_dG9jc2lu_test"}}"#,
    r#"{"name": "zulip", "kind": "zulip", "settings": {"site": "https://bench.example.org", "bot_email": "alerts-bot@example.zulipchat.com", "stream": "ops", "topic": "deploys"}, "secrets": {"api_key": "lqn6mpwpam6VZzbCW0o7olmk3hwbQSKx"}}"#,
    r#"{"name": "signal", "kind": "signal", "settings": {"server": "https://bench.example.org", "from_number": "+4912345678", "recipients": "+4967890123"}}"#,
    r#"{"name": "discord", "kind": "discord", "secrets": {"webhook_url": "https://bench.example.org/api/webhooks/123456789012345678/tok_EN-abc"}}"#,
    r#"{"name": "teams", "kind": "teams", "secrets": {"webhook_url": "https://bench.example.org/workflows/abc123/triggers/manual/paths/invoke?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=testsig"}}"#,
    r#"{"name": "lark", "kind": "lark", "secrets": {"webhook_url": "https://bench.example.org/open-apis/bot/v2/hook/2d6e8b1c-7a3f-4e0b-9c51-5f0e3a8d7b42", "signing_secret": "lark-signing-secret"}}"#,
    r#"{"name": "webex", "kind": "webex", "secrets": {"webhook_url": "https://bench.example.org/v1/webhooks/incoming/abc123"}}"#,
    r#"{"name": "resend", "kind": "resend", "settings": {"from": "Tocsin <alerts@example.com>", "to": "ops@example.com", "api_base": "https://bench.example.org"}, "secrets": {"api_key": "re_test_123"}}"#,
    r#"{"name": "ses", "kind": "ses", "settings": {"region": "eu-west-1", "access_key_id": "AKIAIOSFODNN7EXAMPLE", "from": "alerts@example.com", "to": "ops@example.com", "api_base": "https://bench.example.org"}, "secrets": {"secret_access_key": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"}}"#,
    r#"{"name": "email", "kind": "email", "settings": {"server": "smtp.example.org", "port": 587, "security": "starttls", "from": "alerts@example.org", "to": "ops@example.org"}, "secrets": {"username": "alerts", "password": "bench-password"}}"#,
];

fn object(v: Option<&Value>) -> Map<String, Value> {
    v.and_then(Value::as_object).cloned().unwrap_or_default()
}

fn requests(c: &mut Criterion) {
    let event = testing::sample_event();
    let identity = Identity::default();
    let message = Message {
        event: &event,
        delivery_id: testing::DELIVERY_ID,
        now: testing::NOW,
        identity: &identity,
        attachments: &[],
    };
    let mut covered = Vec::new();
    for text in CHANNELS {
        let body: Value = serde_json::from_str(text).expect("a channel body");
        let name = body["kind"].as_str().expect("a kind");
        let kind = Kind::parse(name).expect("a known kind");
        let config = configure(
            kind,
            object(body.get("settings")),
            object(body.get("secrets")),
            None,
        )
        .unwrap_or_else(|e| panic!("{name}: {e}"));
        let provider: &dyn Provider = kind.provider();
        match provider.render(&config, &message) {
            Ok(Outbound::Http(_) | Outbound::Email { .. }) => {}
            Err(e) => panic!("{name}: {e}"),
        }
        covered.push(kind);
        c.bench_function(&format!("render {name}"), |b| {
            b.iter(|| provider.render(black_box(&config), black_box(&message)))
        });
    }
    let missing: Vec<&str> = Kind::ALL
        .iter()
        .filter(|k| !covered.contains(k))
        .map(|k| k.name())
        .collect();
    assert!(missing.is_empty(), "kinds without a bench: {missing:?}");
}

criterion_group!(benches, requests);
criterion_main!(benches);
