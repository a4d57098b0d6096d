use std::time::Duration;

use serde_json::json;

use crate::helpers::*;

#[tokio::test]
async fn the_delivery_log_filters_by_status_channel_and_type() {
    let app = spawn_app().await;
    let a = app.webhook("a", &["deploy.*"]).await;
    let b = app.webhook("b", &["*"]).await;
    app.receiver
        .script([Reply::Status(400, "bad"), Reply::Status(400, "bad")]);
    app.emit(deploy_event()).await;
    app.emit(json!({"type": "backup.failure", "title": "backup"}))
        .await;
    app.receiver.wait_for(3).await;
    eventually(|| async {
        let (_, d) = app.get("/api/v1/deliveries?status=delivered").await;
        let (_, f) = app.get("/api/v1/deliveries?status=failed").await;
        (d.as_array().unwrap().len() + f.as_array().unwrap().len() == 3).then_some(())
    })
    .await;
    let (_, of_a) = app.get(&format!("/api/v1/deliveries?channel={a}")).await;
    assert_eq!(of_a.as_array().unwrap().len(), 1);
    let (_, of_b) = app.get(&format!("/api/v1/channels/{b}/deliveries")).await;
    assert_eq!(of_b.as_array().unwrap().len(), 2);
    let (_, backups) = app.get("/api/v1/deliveries?type=backup.failure").await;
    assert_eq!(backups.as_array().unwrap().len(), 1);
    assert_eq!(backups[0]["channel_id"], b);
    let (status, err) = app.get("/api/v1/deliveries?status=lost").await;
    assert_eq!(
        (status, err["error"]["field"].as_str()),
        (422, Some("status")),
        "{err}"
    );
    let (status, _) = app.get("/api/v1/deliveries?channel=x").await;
    assert_eq!(status, 422);
    app.stop().await;
}

#[tokio::test]
async fn the_log_keeps_the_newest_deliveries_per_channel() {
    let app = spawn_app_with(|c| {
        c.delivery.log_keep_per_channel = 3;
        c.delivery.log_prune_interval_secs = 1;
    })
    .await;
    let a = app.webhook("a", &["*"]).await;
    for i in 0..5 {
        app.emit(json!({"type": "x.y", "title": format!("n{i}")}))
            .await;
    }
    app.receiver.wait_for(5).await;
    let kept = eventually(|| async {
        let (_, list) = app.get(&format!("/api/v1/channels/{a}/deliveries")).await;
        (list.as_array().unwrap().len() == 3).then_some(list)
    })
    .await;
    let (_, events) = app.get("/api/v1/events").await;
    let newest: Vec<&serde_json::Value> = events.as_array().unwrap()[..3]
        .iter()
        .map(|e| &e["id"])
        .collect();
    let kept: Vec<&serde_json::Value> = kept
        .as_array()
        .unwrap()
        .iter()
        .map(|d| &d["event_id"])
        .collect();
    assert_eq!(kept, newest);
    app.stop().await;
}

#[tokio::test]
async fn shutdown_gives_a_delivery_in_flight_back_to_the_queue() {
    let app = spawn_app_with(|c| {
        c.delivery.timeout_secs = 30;
        c.delivery.lease_secs = 60;
        c.delivery.shutdown_grace_secs = 1;
    })
    .await;
    app.receiver.script([Reply::Hang]);
    app.webhook("a", &["*"]).await;
    let event = app.emit(deploy_event()).await;
    let id = app.only_delivery_of(event["id"].as_str().unwrap()).await;
    app.receiver.wait_for(1).await;
    let store = app.app_state.store.clone();
    let stopped = tokio::time::timeout(Duration::from_secs(10), app.stop()).await;
    assert!(stopped.is_ok(), "shutdown finishes within its grace period");
    let (delivery, attempts) = store
        .get_delivery(id.parse().unwrap())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        delivery.status.as_str(),
        "pending",
        "released, not left leased"
    );
    assert!(attempts.is_empty());
}
