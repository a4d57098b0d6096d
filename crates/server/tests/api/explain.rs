use serde_json::{Value, json};

use crate::helpers::*;

async fn explain(app: &TestApp, event: Value) -> Value {
    let (status, body) = app.post("/api/v1/rules/explain", event).await;
    assert_eq!(status, 200, "{body}");
    body
}

fn rule<'a>(explained: &'a Value, id: &str) -> &'a Value {
    explained["rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == id)
        .unwrap_or_else(|| panic!("rule {id} is not explained: {explained}"))
}

async fn standalone(app: &TestApp, body: Value) -> String {
    let (status, rule) = app.post("/api/v1/rules", body).await;
    assert_eq!(status, 201, "{rule}");
    rule["id"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn explains_every_matcher_operator() {
    let app = spawn_app().await;
    let a = app.webhook("a", &[]).await;
    let mut ids = Vec::new();
    for (name, matcher) in [
        ("eq", "environment=production"),
        ("ne", "environment!=staging"),
        ("re", "environment=~prod.*"),
        ("nre", "environment!~stag.*"),
    ] {
        ids.push(
            standalone(
                &app,
                json!({"name": name, "matchers": [matcher], "channels": [a]}),
            )
            .await,
        );
    }

    let prod = explain(&app, deploy_event()).await;
    for id in &ids {
        assert_eq!(rule(&prod, id)["matched"], true, "{prod}");
        assert_eq!(rule(&prod, id)["reason"], json!(null));
    }
    assert_eq!(prod["channels"].as_array().unwrap().len(), 1, "{prod}");
    assert_eq!(prod["channels"][0]["id"], a);
    assert_eq!(prod["channels"][0]["name"], "a");
    assert_eq!(prod["channels"][0]["kind"], "webhook");
    assert_eq!(
        prod["channels"][0]["rules"],
        json!(ids),
        "each rule, one channel"
    );

    let mut staging = deploy_event();
    staging["source"]["environment"] = json!("staging");
    let staging = explain(&app, staging).await;
    for (id, matcher) in ids.iter().zip([
        "environment=production",
        "environment!=staging",
        "environment=~prod.*",
        "environment!~stag.*",
    ]) {
        let r = rule(&staging, id);
        assert_eq!(r["matched"], false);
        assert_eq!(
            r["reason"],
            format!("matcher {matcher} does not hold"),
            "{staging}"
        );
        assert_eq!(r["own_channel"], json!(null));
    }
    assert_eq!(staging["channels"], json!([]));
    app.stop().await;
}

#[tokio::test]
async fn explains_pattern_severity_and_disabled_rules() {
    let app = spawn_app().await;
    let own = app.webhook("backups", &["backup.*"]).await;
    let severe = standalone(
        &app,
        json!({"name": "severe", "min_severity": "critical", "channels": [own]}),
    )
    .await;
    let off = standalone(
        &app,
        json!({"name": "off", "enabled": false, "channels": [own]}),
    )
    .await;
    let explained = explain(&app, deploy_event()).await;
    let rules = explained["rules"].as_array().unwrap();
    assert_eq!(
        rules.len(),
        3,
        "standalone and the channel's own: {explained}"
    );
    let own_rule = rules.iter().find(|r| r["own_channel"] == own).unwrap();
    assert_eq!(own_rule["matched"], false);
    assert_eq!(own_rule["reason"], "no event pattern matches the type");
    assert_eq!(own_rule["name"], "channel backups");
    assert_eq!(
        rule(&explained, &severe)["reason"],
        "severity info is below critical"
    );
    assert_eq!(rule(&explained, &off)["reason"], "the rule is disabled");
    assert_eq!(explained["channels"], json!([]));
    assert_eq!(explained["skipped_channels"], json!([]));
    app.stop().await;
}

#[tokio::test]
async fn explains_a_disabled_channel_a_matching_rule_names() {
    let app = spawn_app().await;
    let on = app.webhook("on", &[]).await;
    let off = app
        .webhook_with(json!({"name": "off", "kind": "webhook", "enabled": false,
            "settings": {"url": app.receiver.url("/off")}, "events": ["deploy.*"]}))
        .await;
    let both = standalone(&app, json!({"name": "both", "channels": [on, off]})).await;
    let explained = explain(&app, deploy_event()).await;
    assert_eq!(rule(&explained, &both)["matched"], true);
    assert_eq!(
        explained["channels"],
        json!([{"id": on, "name": "on", "kind": "webhook", "rules": [both]}])
    );
    assert_eq!(
        explained["skipped_channels"],
        json!([{"id": off, "name": "off", "reason": "the channel is disabled"}])
    );
    app.stop().await;
}

#[tokio::test]
async fn explain_stores_and_sends_nothing() {
    let app = spawn_app().await;
    app.webhook("a", &["*"]).await;
    let explained = explain(&app, deploy_event()).await;
    assert_eq!(explained["channels"].as_array().unwrap().len(), 1);
    let (_, events) = app.get("/api/v1/events").await;
    assert_eq!(events, json!([]));
    let (_, deliveries) = app.get("/api/v1/deliveries").await;
    assert_eq!(deliveries, json!([]));
    // Give a wrongly queued delivery the time to arrive.
    app.advance(std::time::Duration::from_secs(1));
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert!(app.receiver.received().is_empty());
    app.stop().await;
}

#[tokio::test]
async fn explain_checks_the_event_as_ingest_does() {
    let app = spawn_app().await;
    let (status, err) = app
        .post("/api/v1/rules/explain", json!({"title": "no type"}))
        .await;
    assert_eq!(status, 422, "{err}");
    assert_eq!(err["error"]["field"], "type");
    let (status, err) = app
        .post(
            "/api/v1/rules/explain",
            json!({"type": "deploy.success", "title": "t", "severity": "loud"}),
        )
        .await;
    assert_eq!(status, 422, "{err}");
    assert_eq!(err["error"]["field"], "severity");
    app.stop().await;
}

#[tokio::test]
async fn explain_says_test_and_tocsin_events_are_never_routed() {
    let app = spawn_app().await;
    app.webhook("a", &["*"]).await;
    let mut test = deploy_event();
    test["type"] = json!("notification.test");
    let explained = explain(&app, test).await;
    assert_eq!(explained["channels"], json!([]));
    let reason = explained["never_routed"].as_str().unwrap();
    assert!(reason.contains("never routed"), "{reason}");
    assert_eq!(explained["rules"][0]["matched"], false);
    assert_eq!(explained["rules"][0]["reason"], reason);
    app.stop().await;
}
