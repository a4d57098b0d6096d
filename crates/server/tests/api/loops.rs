use serde_json::json;

use crate::helpers::*;

#[tokio::test]
async fn a_posted_test_event_is_stored_but_never_routed() {
    let app = spawn_app().await;
    app.webhook("all", &["*"]).await;
    let mut test = deploy_event();
    test["type"] = json!("notification.test");
    let accepted = app.emit(test).await;
    assert_eq!(accepted["deliveries"], 0, "{accepted}");
    let (status, stored) = app
        .get(&format!(
            "/api/v1/events/{}",
            accepted["id"].as_str().unwrap()
        ))
        .await;
    assert_eq!(status, 200);
    assert_eq!(stored["type"], "notification.test");
    assert_eq!(stored["deliveries"], json!([]));
    app.stop().await;
}

#[tokio::test]
async fn tocsins_own_events_are_never_routed() {
    let app = spawn_app().await;
    app.webhook("all", &["*", "tocsin.*"]).await;
    let mut own = deploy_event();
    own["type"] = json!("tocsin.delivery.failed");
    own["severity"] = json!("critical");
    assert_eq!(app.emit(own).await["deliveries"], 0);
    // Routing goes on for everything else.
    assert_eq!(app.emit(deploy_event()).await["deliveries"], 1);
    app.receiver.wait_for(1).await;
    assert_eq!(app.receiver.received().len(), 1);
    app.stop().await;
}

#[tokio::test]
async fn a_channel_test_reaches_only_the_channel_under_test() {
    let app = spawn_app().await;
    let tested = app.webhook("tested", &[]).await;
    app.webhook("bystander", &["*"]).await;
    let (status, result) = app
        .post(&format!("/api/v1/channels/{tested}/test"), json!({}))
        .await;
    assert_eq!(status, 200, "{result}");
    assert_eq!(result["ok"], true, "{result}");
    let got = app.receiver.wait_for(1).await;
    assert_eq!(got[0].path, "/tested");
    let (_, deliveries) = app.get("/api/v1/deliveries").await;
    assert_eq!(deliveries, json!([]), "a test creates no delivery");

    // The test is recorded as a notification.test event, never routed to the bystander.
    let event_id = result["event_id"]
        .as_str()
        .expect("the test send is recorded");
    let (_, event) = app.get(&format!("/api/v1/events/{event_id}")).await;
    assert_eq!(event["type"], "notification.test");
    assert_eq!(event["deliveries"], json!([]));
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    assert_eq!(
        app.receiver.received().len(),
        1,
        "the bystander heard nothing"
    );
    app.stop().await;
}
