use serde_json::json;

use crate::helpers::*;

#[tokio::test]
async fn health_readiness_and_metrics_need_no_token() {
    let app = spawn_app().await;
    app.webhook("a", &["*"]).await;
    app.emit(deploy_event()).await;
    app.receiver.wait_for(1).await;
    let get = |path: &'static str| app.client.get(format!("{}{path}", app.base)).send();
    assert_eq!(get("/healthz").await.unwrap().status(), 200);
    assert_eq!(get("/readyz").await.unwrap().status(), 200);
    let metrics = eventually(|| async {
        let text = get("/metrics").await.unwrap().text().await.unwrap();
        text.contains("tocsin_delivery_attempts_total")
            .then_some(text)
    })
    .await;
    for name in [
        "# TYPE tocsin_events_received_total counter",
        "tocsin_delivery_attempts_total{kind=\"webhook\",outcome=\"delivered\"}",
        "# TYPE tocsin_delivery_attempt_duration_seconds histogram",
        "tocsin_queue_depth{status=\"pending\"}",
        "# TYPE tocsin_group_commit_events histogram",
        "tocsin_group_commit_events_count",
    ] {
        assert!(metrics.contains(name), "{name} missing from:\n{metrics}");
    }
    app.stop().await;
}

#[tokio::test]
async fn unknown_routes_answer_with_a_json_404() {
    let app = spawn_app().await;
    let (status, body) = app.get("/api/v1/nothing-here").await;
    assert_eq!(status, 404);
    assert_eq!(body["error"]["code"], "not_found");
    app.stop().await;
}

#[tokio::test]
async fn the_openapi_document_describes_every_route() {
    let app = spawn_app().await;
    let (status, doc) = app.get("/api/v1/openapi.json").await;
    assert_eq!(status, 200);
    for path in [
        "/api/v1/events",
        "/api/v1/events/{id}",
        "/api/v1/channels",
        "/api/v1/channels/{id}",
        "/api/v1/channels/test",
        "/api/v1/channels/{id}/test",
        "/api/v1/channels/{id}/deliveries",
        "/api/v1/rules",
        "/api/v1/rules/{id}",
        "/api/v1/rules/explain",
        "/api/v1/catalog/events",
        "/api/v1/deliveries",
        "/api/v1/deliveries/{id}",
        "/api/v1/deliveries/{id}/retry",
        "/api/v1/kinds",
        "/api/v1/ingest/alertmanager",
        "/api/v1/states",
    ] {
        assert!(doc["paths"].get(path).is_some(), "{path} is not documented");
    }
    assert_eq!(
        doc["components"]["securitySchemes"]["bearer"],
        json!({"type": "http", "scheme": "bearer"})
    );
    app.stop().await;
}

#[test]
fn the_openapi_document_is_pinned() {
    let doc = serde_json::to_value(tocsin_server::api::openapi()).unwrap();
    insta::assert_json_snapshot!("openapi", doc, {".info.version" => "[version]"});
}

#[tokio::test]
async fn serves_the_icon_messages_point_to() {
    let app = spawn_app_with(|c| c.public_url = Some("https://tocsin.example.com/".into())).await;
    assert_eq!(
        app.app_state.identity.icon_url.as_deref(),
        Some("https://tocsin.example.com/static/icon.png")
    );
    let r = app
        .client
        .get(format!("{}/static/icon.png", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "image/png");
    let bytes = r.bytes().await.unwrap();
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");
    app.stop().await;
}
