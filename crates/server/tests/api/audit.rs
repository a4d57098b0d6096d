//! The audit log: every change of configuration is recorded without secrets, and emitted
//! as an `audit.*` event that rules can route.

use serde_json::json;

use crate::helpers::*;

#[tokio::test]
async fn every_change_is_in_the_audit_log_with_its_actor_and_no_secret() {
    let app = spawn_app().await;
    let (status, channel) = app
        .post(
            "/api/v1/channels",
            json!({"name": "ops", "kind": "webhook",
                "settings": {"url": app.receiver.url("/ops")},
                "secrets": {"signing_secret": "whsec_c2VjcmV0LXZhbHVlLW9mLW9wcw"}}),
        )
        .await;
    assert_eq!(status, 201);
    let id = channel["id"].as_str().unwrap().to_owned();
    app.call(
        "PATCH",
        &format!("/api/v1/channels/{id}"),
        Some(json!({"name": "ops2"})),
    )
    .await;
    let (_, rule) = app
        .post("/api/v1/rules", json!({"name": "r", "channels": [id]}))
        .await;
    let rule = rule["id"].as_str().unwrap().to_owned();
    app.call("DELETE", &format!("/api/v1/rules/{rule}"), None)
        .await;
    let (_, token) = app
        .post(
            "/api/v1/tokens",
            json!({"name": "ci", "scopes": ["channels:read"], "tenant": "acme"}),
        )
        .await;
    let plaintext = token["token"].as_str().unwrap().to_owned();
    let token_id = token["id"].as_str().unwrap().to_owned();
    app.call("DELETE", &format!("/api/v1/tokens/{token_id}"), None)
        .await;
    app.call("DELETE", &format!("/api/v1/channels/{id}"), None)
        .await;

    let (status, log) = app.get("/api/v1/audit").await;
    assert_eq!(status, 200, "{log}");
    let actions: Vec<&str> = log
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        [
            "channel.deleted",
            "token.revoked",
            "token.created",
            "rule.deleted",
            "rule.created",
            "channel.updated",
            "channel.created",
        ]
    );
    let first = &log[6];
    assert_eq!(first["actor_name"], "TOCSIN_ADMIN_TOKEN");
    assert_eq!(first["target_id"], id.as_str());
    assert_eq!(first["summary"], "channel `ops` (webhook) created");
    assert!(first["at"].is_string() && first["event_id"].is_string());
    let text = log.to_string();
    assert!(!text.contains("whsec_"), "{text}");
    assert!(!text.contains(&plaintext));
    assert_eq!(log[2]["tenant"], "acme");

    // A tenant token sees its tenant's entries, and the actor of its own changes.
    let acme = app
        .token(&["channels:write", "tokens:write"], Some("acme"))
        .await;
    app.call_as(
        &acme,
        "POST",
        "/api/v1/channels",
        Some(
            json!({"name": "acme", "kind": "webhook", "settings": {"url": app.receiver.url("/a")}}),
        ),
    )
    .await;
    let (status, theirs) = app.call_as(&acme, "GET", "/api/v1/audit", None).await;
    assert_eq!(status, 200, "{theirs}");
    let actions: Vec<&str> = theirs
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        [
            "channel.created",
            "token.created",
            "token.revoked",
            "token.created"
        ]
    );
    assert!(theirs[0]["actor_id"].is_string());
    assert!(
        theirs
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["tenant"] == "acme")
    );
    let events_only = app.token(&["events:write"], Some("acme")).await;
    let (status, _) = app
        .call_as(&events_only, "GET", "/api/v1/audit", None)
        .await;
    assert_eq!(status, 403);
    app.stop().await;
}

#[tokio::test]
async fn an_audit_event_reaches_a_channel_subscribed_to_it_and_only_such_a_channel() {
    let app = spawn_app().await;
    app.webhook("watch", &["audit.channel.*"]).await;
    app.webhook("everything", &["*"]).await;
    app.webhook("new", &["deploy.*"]).await;
    let got = app.receiver.wait_for(2).await;
    // "watch" hears of the two channels created after it: an audit event is routed by the
    // rules as they were before the change, in the change's own transaction.
    assert!(got.iter().all(|r| r.path == "/watch"), "{got:?}");
    let mut titles: Vec<String> = got
        .iter()
        .map(|r| {
            let body = r.json();
            assert_eq!(body["event"], "audit.channel.created");
            body["title"].as_str().unwrap().to_owned()
        })
        .collect();
    titles.sort();
    assert_eq!(
        titles,
        [
            "Channel `everything` (webhook) created",
            "Channel `new` (webhook) created",
        ]
    );
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(
        app.receiver.received().len(),
        2,
        "`*` does not take audit events"
    );

    // The audit event is stored, out of the feed unless asked for.
    let (_, feed) = app.get("/api/v1/events").await;
    assert_eq!(feed, json!([]));
    let (_, audit_events) = app.get("/api/v1/events?type=audit.channel.created").await;
    assert_eq!(audit_events.as_array().unwrap().len(), 3);
    assert_eq!(audit_events[0]["source"]["application"], "tocsin");

    // Clients cannot post Tocsin's audit events; a source's own audit types are fine.
    let (status, err) = app
        .post(
            "/api/v1/events",
            json!({"type": "audit.channel.deleted", "title": "forged"}),
        )
        .await;
    assert_eq!(status, 422, "{err}");
    assert_eq!(err["error"]["field"], "type");
    let (status, _) = app
        .post(
            "/api/v1/events",
            json!({"type": "audit.domain.delete", "title": "a source's own"}),
        )
        .await;
    assert_eq!(status, 202);
    app.stop().await;
}
