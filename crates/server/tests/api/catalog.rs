use serde_json::{Value, json};

use crate::helpers::*;

fn types_where(catalogue: &Value, flag: &str) -> Vec<String> {
    catalogue["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e[flag] == true)
        .map(|e| e["type"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn the_catalogue_lists_every_well_known_type_with_its_defaults() {
    let app = spawn_app().await;
    let (status, catalogue) = app.get("/api/v1/catalog/events").await;
    assert_eq!(status, 200, "{catalogue}");
    let events = catalogue["events"].as_array().unwrap();
    let names: Vec<&str> = events.iter().map(|e| e["type"].as_str().unwrap()).collect();
    for name in [
        "deploy.started",
        "deploy.success",
        "deploy.failure",
        "deploy.cancelled",
        "build.triggered",
        "build.success",
        "build.failure",
        "service.health.down",
        "service.health.recovered",
        "service.started",
        "service.stopped",
        "backup.success",
        "backup.failure",
        "quota.warning",
        "quota.exceeded",
        "ssl.expiring",
        "server.threshold",
        "system.restart",
        "system.cleanup",
        "dns.health_alert",
        "dns.health_recovered",
        "mailbox.quota_alert",
        "mailbox.quota_recovered",
        "mailbox.send_limit_alert",
        "mailbox.send_limit_recovered",
        "audit.domain.delete",
        "audit.mailbox.delete",
        "audit.settings.admin_password_update",
        "notification.test",
    ] {
        assert!(names.contains(&name), "{name} is missing");
    }
    let backup = events
        .iter()
        .find(|e| e["type"] == "backup.failure")
        .unwrap();
    assert_eq!(backup["group"], "backup");
    let description = backup["description"].as_str().unwrap();
    assert!(description.contains("database and volume"), "{description}");
    assert!(description.contains("source.backup_type"), "{description}");
    let test = events
        .iter()
        .find(|e| e["type"] == "notification.test")
        .unwrap();
    assert!(
        test["description"]
            .as_str()
            .unwrap()
            .contains("never routed")
    );

    let defaults = types_where(&catalogue, "default");
    assert_eq!(
        defaults,
        [
            "deploy.success",
            "deploy.failure",
            "service.health.down",
            "service.health.recovered",
            "backup.failure",
            "quota.warning",
            "quota.exceeded",
            "ssl.expiring",
        ]
    );
    assert_eq!(catalogue["presets"]["defaults"], json!(defaults));
    let destructive = types_where(&catalogue, "destructive");
    assert_eq!(catalogue["presets"]["destructive"], json!(destructive));
    for name in [
        "audit.domain.delete",
        "audit.mailbox.delete",
        "audit.settings.admin_password_update",
    ] {
        assert!(destructive.iter().any(|d| d == name), "{name}");
    }
    assert!(destructive.iter().all(|d| d.starts_with("audit.")));
    app.stop().await;
}

#[tokio::test]
async fn a_channel_created_without_events_subscribes_to_the_defaults() {
    let app = spawn_app().await;
    let (status, ch) = app
        .post(
            "/api/v1/channels",
            json!({"name": "ops", "kind": "webhook", "settings": {"url": app.receiver.url("/ops")}}),
        )
        .await;
    assert_eq!(status, 201, "{ch}");
    let (_, catalogue) = app.get("/api/v1/catalog/events").await;
    assert_eq!(ch["events"], catalogue["presets"]["defaults"]);

    let mut started = deploy_event();
    started["type"] = json!("deploy.started");
    assert_eq!(app.emit(started).await["deliveries"], 0);
    let mut failed = deploy_event();
    failed["type"] = json!("deploy.failure");
    assert_eq!(app.emit(failed).await["deliveries"], 1);
    let got = app.receiver.wait_for(1).await;
    assert_eq!(got[0].json()["event"], "deploy.failure");
    app.stop().await;
}

#[tokio::test]
async fn an_empty_event_list_still_subscribes_to_nothing() {
    let app = spawn_app().await;
    let id = app.webhook("quiet", &[]).await;
    let (_, ch) = app.get(&format!("/api/v1/channels/{id}")).await;
    assert_eq!(ch["events"], json!(null));
    let mut failed = deploy_event();
    failed["type"] = json!("deploy.failure");
    assert_eq!(app.emit(failed).await["deliveries"], 0);
    app.stop().await;
}

#[tokio::test]
async fn a_filter_without_events_still_means_every_type() {
    let app = spawn_app().await;
    let id = app
        .webhook_with(json!({"name": "prod", "kind": "webhook",
            "settings": {"url": app.receiver.url("/prod")}, "match": {"environment": "production"}}))
        .await;
    let (_, ch) = app.get(&format!("/api/v1/channels/{id}")).await;
    assert_eq!(ch["events"], json!(["*"]));
    app.stop().await;
}

#[tokio::test]
async fn presets_expand_when_channels_and_rules_are_saved() {
    let app = spawn_app().await;
    let (_, catalogue) = app.get("/api/v1/catalog/events").await;
    let destructive = catalogue["presets"]["destructive"].as_array().unwrap();

    let id = app.webhook("audit", &["@destructive", "deploy.*"]).await;
    let (_, ch) = app.get(&format!("/api/v1/channels/{id}")).await;
    let events = ch["events"].as_array().unwrap();
    assert_eq!(&events[..destructive.len()], destructive.as_slice());
    assert_eq!(events[destructive.len()], "deploy.*");

    let (status, rule) = app
        .post(
            "/api/v1/rules",
            json!({"name": "usual", "events": ["@defaults", "deploy.success"], "channels": [id]}),
        )
        .await;
    assert_eq!(status, 201, "{rule}");
    assert_eq!(
        rule["events"], catalogue["presets"]["defaults"],
        "expanded once, without repeats"
    );

    let mut deleted = deploy_event();
    deleted["type"] = json!("audit.domain.delete");
    deleted["severity"] = json!("warning");
    assert_eq!(app.emit(deleted).await["deliveries"], 1);

    let (status, err) = app
        .post(
            "/api/v1/rules",
            json!({"name": "bad", "events": ["deploy.*", "@everything"], "channels": [id]}),
        )
        .await;
    assert_eq!(status, 422, "{err}");
    assert_eq!(err["error"]["field"], "events[1]");
    assert!(
        err["error"]["message"]
            .as_str()
            .unwrap()
            .contains("@defaults"),
        "{err}"
    );
    app.stop().await;
}
