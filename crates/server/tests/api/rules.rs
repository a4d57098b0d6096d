use serde_json::json;

use crate::helpers::*;

#[tokio::test]
async fn a_rule_routes_to_several_channels_and_each_gets_an_event_once() {
    let app = spawn_app().await;
    let a = app.webhook("a", &["deploy.*"]).await;
    let b = app.webhook("b", &[]).await;
    let (status, rule) = app
        .post(
            "/api/v1/rules",
            json!({"name": "prod deploys", "events": ["deploy.*", "build.failure"],
            "match": {"environment": "production"}, "channels": [a, b]}),
        )
        .await;
    assert_eq!(status, 201, "{rule}");
    assert_eq!(rule["channels"], json!([a, b]));
    assert_eq!(app.emit(deploy_event()).await["deliveries"], 2);
    let got = app.receiver.wait_for(2).await;
    let mut paths: Vec<&str> = got.iter().map(|r| r.path.as_str()).collect();
    paths.sort();
    assert_eq!(paths, ["/a", "/b"]);

    let mut staging = deploy_event();
    staging["source"]["environment"] = json!("staging");
    assert_eq!(
        app.emit(staging).await["deliveries"],
        1,
        "only a's own subscription"
    );
    app.stop().await;
}

#[tokio::test]
async fn matchers_and_minimum_severity_filter_events() {
    let app = spawn_app().await;
    let a = app.webhook("a", &[]).await;
    app.post(
        "/api/v1/rules",
        json!({"name": "api alerts", "matchers": ["application=~api-.*", "environment!=staging"],
        "min_severity": "warning", "channels": [a]}),
    )
    .await;
    let emit = |app_name: &str, env: &str, sev: &str| {
        json!({"type": "service.health.down", "title": "down", "severity": sev,
            "source": {"application": app_name, "environment": env}})
    };
    assert_eq!(
        app.emit(emit("api-gw", "production", "critical")).await["deliveries"],
        1
    );
    assert_eq!(
        app.emit(emit("api-gw", "production", "info")).await["deliveries"],
        0
    );
    assert_eq!(
        app.emit(emit("api-gw", "staging", "critical")).await["deliveries"],
        0
    );
    assert_eq!(
        app.emit(emit("web", "production", "critical")).await["deliveries"],
        0
    );
    app.stop().await;
}

#[tokio::test]
async fn disabled_channels_and_rules_receive_nothing() {
    let app = spawn_app().await;
    let a = app.webhook("a", &["*"]).await;
    let b = app.webhook("b", &[]).await;
    let (_, rule) = app
        .post("/api/v1/rules", json!({"name": "r", "channels": [b]}))
        .await;
    let rule_id = rule["id"].as_str().unwrap();
    app.call(
        "PATCH",
        &format!("/api/v1/channels/{a}"),
        Some(json!({"enabled": false})),
    )
    .await;
    app.call(
        "PATCH",
        &format!("/api/v1/rules/{rule_id}"),
        Some(json!({"enabled": false})),
    )
    .await;
    assert_eq!(app.emit(deploy_event()).await["deliveries"], 0);
    app.call(
        "PATCH",
        &format!("/api/v1/rules/{rule_id}"),
        Some(json!({"enabled": true})),
    )
    .await;
    assert_eq!(app.emit(deploy_event()).await["deliveries"], 1);
    app.stop().await;
}

#[tokio::test]
async fn rules_are_listed_changed_and_deleted_but_not_a_channels_own() {
    let app = spawn_app().await;
    let a = app.webhook("a", &["*"]).await;
    let (_, rule) = app
        .post(
            "/api/v1/rules",
            json!({"name": "r", "events": ["backup.*"], "channels": [a]}),
        )
        .await;
    let id = rule["id"].as_str().unwrap();
    let (_, list) = app.get("/api/v1/rules").await;
    assert_eq!(
        list.as_array().unwrap().len(),
        1,
        "the channel's own rule is not listed: {list}"
    );
    let (status, changed) = app
        .call(
            "PATCH",
            &format!("/api/v1/rules/{id}"),
            Some(json!({"events": ["backup.failure"], "min_severity": "critical"})),
        )
        .await;
    assert_eq!(status, 200, "{changed}");
    assert_eq!(changed["events"], json!(["backup.failure"]));
    assert_eq!(changed["min_severity"], "critical");
    assert_eq!(changed["name"], "r");
    let (status, _) = app
        .call("DELETE", &format!("/api/v1/rules/{id}"), None)
        .await;
    assert_eq!(status, 204);
    let (status, _) = app.get(&format!("/api/v1/rules/{id}")).await;
    assert_eq!(status, 404);
    app.stop().await;
}

#[tokio::test]
async fn bad_rules_name_the_field_and_save_nothing() {
    let app = spawn_app().await;
    let a = app.webhook("a", &[]).await;
    let cases = [
        (json!({"channels": [a]}), "name"),
        (json!({"name": "r"}), "channels"),
        (json!({"name": "r", "channels": []}), "channels"),
        (json!({"name": "r", "channels": ["nope"]}), "channels[0]"),
        (
            json!({"name": "r", "channels": ["01JD0000000000000000000000"]}),
            "channels",
        ),
        (
            json!({"name": "r", "channels": [a], "events": ["a b"]}),
            "events[0]",
        ),
        (
            json!({"name": "r", "channels": [a], "matchers": ["environment"]}),
            "matchers[0]",
        ),
        (
            json!({"name": "r", "channels": [a], "match": {"bad label": "x"}}),
            "match.bad label",
        ),
    ];
    for (body, field) in cases {
        let (status, err) = app.post("/api/v1/rules", body.clone()).await;
        assert_eq!(status, 422, "{body}: {err}");
        assert_eq!(err["error"]["field"], field, "{body}: {err}");
    }
    let (status, err) = app
        .post(
            "/api/v1/rules",
            json!({"name": "r", "channels": [a], "min_severity": "fatal"}),
        )
        .await;
    assert_eq!(
        (status, err["error"]["code"].as_str()),
        (422, Some("invalid_body")),
        "{err}"
    );
    let (_, list) = app.get("/api/v1/rules").await;
    assert_eq!(list, json!([]));
    app.stop().await;
}
