//! Every channel kind through the real dispatch path: the request a local recording server
//! receives is exactly the request the provider renders (method, path and query, headers,
//! body).

use serde_json::Value;
use tocsin_providers::{Kind, Message, Outbound};

use crate::helpers::*;

/// One channel per kind, sending to `{BASE}`, the receiver.
const CHANNELS: &[&str] = &[
    r#"{"name": "webhook", "kind": "webhook", "settings": {"url": "{BASE}/hooks/in"}}"#,
];

async fn check(channel: &str) {
    let app = spawn_app().await;
    let body: Value = serde_json::from_str(&channel.replace("{BASE}", &app.receiver.url(""))).unwrap();
    let kind = body["kind"].as_str().unwrap().to_owned();
    let mut body = body;
    body["events"] = serde_json::json!(["*"]);
    let channel_id = app.webhook_with(body).await;
    let accepted = app.emit(deploy_event()).await;
    let got = app.receiver.wait_for(1).await;
    let received = &got[0];

    // What the provider renders for the same event, delivery and instant.
    let event_id = accepted["id"].as_str().unwrap().parse().unwrap();
    let event = app.app_state.store.get_event(event_id).await.unwrap().unwrap();
    let channel = app.app_state.store.get_channel(channel_id.parse().unwrap()).await.unwrap().unwrap();
    let delivery_id = app.only_delivery_of(accepted["id"].as_str().unwrap()).await;
    let message = Message {
        event: &event,
        delivery_id: &delivery_id,
        now: {
            use tocsin_server::clock::Clock;
            app.clock.now()
        },
        identity: &app.app_state.identity,
    };
    let provider = Kind::parse(&kind).unwrap().provider();
    let Outbound::Http(expected) = provider.render(&channel.config, &message).unwrap();

    assert_eq!(received.method, expected.method, "{kind}: method");
    assert_eq!(app.receiver.url(&received.path), expected.url, "{kind}: path and query");
    for (name, value) in &expected.headers {
        assert_eq!(received.header(name), Some(value.as_str()), "{kind}: header {name}");
    }
    assert_eq!(&received.body[..], &expected.body[..], "{kind}: body");
    app.delivery_when(&delivery_id, |d| d["status"] == "delivered").await;
    app.stop().await;
}

#[tokio::test]
async fn every_kind_sends_exactly_what_its_provider_renders() {
    let covered: Vec<String> = CHANNELS
        .iter()
        .map(|c| serde_json::from_str::<Value>(c).unwrap()["kind"].as_str().unwrap().to_owned())
        .collect();
    for kind in Kind::ALL {
        assert!(covered.iter().any(|c| c == kind.name()), "no channel for kind {}", kind.name());
    }
    for channel in CHANNELS {
        check(channel).await;
    }
}
