//! Rate limits: the ingest budget per application and per token, and outbound pacing per
//! channel, all read from the manual clock.

use std::time::Duration;

use serde_json::{Value, json};

use crate::helpers::*;

fn event_of(application: Option<&str>) -> Value {
    let mut event = json!({"type": "deploy.success", "title": "Deploy Success"});
    if let Some(application) = application {
        event["source"] = json!({"application": application});
    }
    event
}

/// Posts an event; the status, the `Retry-After` header and the body.
async fn post_event(app: &TestApp, event: &Value) -> (u16, Option<String>, Value) {
    let resp = app
        .client
        .post(format!("{}/api/v1/events", app.base))
        .bearer_auth(TOKEN)
        .json(event)
        .send()
        .await
        .unwrap();
    let status = resp.status().as_u16();
    let retry_after = resp
        .headers()
        .get("retry-after")
        .map(|v| v.to_str().unwrap().to_owned());
    (status, retry_after, resp.json().await.unwrap())
}

async fn stored_events(app: &TestApp) -> usize {
    let (status, events) = app.get("/api/v1/events?limit=500").await;
    assert_eq!(status, 200, "{events}");
    events.as_array().unwrap().len()
}

#[tokio::test]
async fn the_101st_event_of_an_application_in_a_minute_is_refused_and_not_stored() {
    let app = spawn_app().await;
    for _ in 0..100 {
        let (status, _, body) = post_event(&app, &event_of(Some("my-app"))).await;
        assert_eq!(status, 202, "{body}");
    }
    let (status, retry_after, body) = post_event(&app, &event_of(Some("my-app"))).await;
    assert_eq!(status, 429, "{body}");
    // One event fits again every 600 ms: rounded up to a whole second.
    assert_eq!(retry_after.as_deref(), Some("1"));
    assert_eq!(body["error"]["code"], "rate_limited");
    let message = body["error"]["message"].as_str().unwrap();
    assert!(
        message.starts_with("application `my-app` sent more than 100 events in a minute; "),
        "{message}"
    );
    assert_eq!(stored_events(&app).await, 100);

    // Explain says so, without taking from the budget.
    let (_, why) = app
        .post("/api/v1/rules/explain", event_of(Some("my-app")))
        .await;
    let limited = why["rate_limited"]
        .as_str()
        .expect("explain reports the limit");
    assert!(limited.contains("`my-app`"), "{limited}");
    let (_, why) = app
        .post("/api/v1/rules/explain", event_of(Some("other-app")))
        .await;
    assert!(why.get("rate_limited").is_none(), "{why}");

    app.advance(Duration::from_secs(60));
    let (status, _, body) = post_event(&app, &event_of(Some("my-app"))).await;
    assert_eq!(status, 202, "{body}");
    assert_eq!(stored_events(&app).await, 101);
}

#[tokio::test]
async fn applications_have_budgets_of_their_own() {
    let app = spawn_app_with(|c| c.api.events_per_minute_per_application = 2).await;
    for _ in 0..2 {
        assert_eq!(post_event(&app, &event_of(Some("a"))).await.0, 202);
        assert_eq!(post_event(&app, &event_of(None)).await.0, 202);
    }
    let (status, retry_after, _) = post_event(&app, &event_of(Some("a"))).await;
    assert_eq!((status, retry_after.as_deref()), (429, Some("30")));
    assert_eq!(post_event(&app, &event_of(Some("b"))).await.0, 202);
    // Events without an application share one budget.
    let (status, _, body) = post_event(&app, &event_of(None)).await;
    assert_eq!(status, 429);
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .starts_with("events without source.application sent more than 2 in a minute"),
        "{body}"
    );
    app.advance(Duration::from_secs(30));
    assert_eq!(post_event(&app, &event_of(Some("a"))).await.0, 202);
    assert_eq!(post_event(&app, &event_of(Some("a"))).await.0, 429);
}

#[tokio::test]
async fn a_limit_of_0_accepts_every_event() {
    let app = spawn_app_with(|c| c.api.events_per_minute_per_application = 0).await;
    for _ in 0..120 {
        assert_eq!(post_event(&app, &event_of(Some("busy"))).await.0, 202);
    }
    assert_eq!(stored_events(&app).await, 120);
}

#[tokio::test]
async fn an_alertmanager_payload_over_the_limit_stores_none_of_its_alerts() {
    let app = spawn_app_with(|c| c.api.events_per_minute_per_application = 2).await;
    let alert = |fingerprint: &str| {
        json!({"status": "firing", "labels": {"alertname": "DiskFull", "application": "db"},
            "annotations": {"summary": "Disk full"}, "startsAt": "2026-11-23T10:00:00Z",
            "endsAt": "0001-01-01T00:00:00Z", "fingerprint": fingerprint})
    };
    let payload = |alerts: Vec<Value>| {
        json!({"version": "4", "status": "firing", "receiver": "tocsin", "groupKey": "{}",
            "alerts": alerts})
    };
    let (status, body) = app
        .post("/api/v1/ingest/alertmanager", payload(vec![alert("f1")]))
        .await;
    assert_eq!(status, 202, "{body}");
    // One event of the budget of two is left: a payload of two alerts is refused whole.
    let (status, body) = app
        .post(
            "/api/v1/ingest/alertmanager",
            payload(vec![alert("f2"), alert("f3")]),
        )
        .await;
    assert_eq!(status, 429, "{body}");
    assert_eq!(body["error"]["code"], "rate_limited");
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .starts_with("application `db` sent more than 2 events in a minute"),
        "{body}"
    );
    assert_eq!(stored_events(&app).await, 1);

    app.advance(Duration::from_secs(30));
    let (status, body) = app
        .post("/api/v1/ingest/alertmanager", payload(vec![alert("f2")]))
        .await;
    assert_eq!(status, 202, "{body}");
    assert_eq!(stored_events(&app).await, 2);
}

#[tokio::test]
async fn a_token_over_its_request_budget_gets_429_until_the_budget_refills() {
    let app = spawn_app_with(|c| c.api.requests_per_minute_per_token = 3).await;
    for _ in 0..3 {
        assert_eq!(app.get("/api/v1/channels").await.0, 200);
    }
    let resp = app
        .client
        .get(format!("{}/api/v1/channels", app.base))
        .bearer_auth(TOKEN)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 429);
    assert_eq!(resp.headers()["retry-after"], "20");
    let body: Value = resp.json().await.unwrap();
    assert_eq!(body["error"]["code"], "rate_limited");
    // A wrong token is still told it is wrong, not that it is over a budget.
    let resp = app
        .client
        .get(format!("{}/api/v1/channels", app.base))
        .bearer_auth("not-a-token")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 401);

    app.advance(Duration::from_secs(20));
    assert_eq!(app.get("/api/v1/channels").await.0, 200);
}

/// Lets the dispatcher run a few polls and returns what the receiver saw at `path_prefix`.
async fn settled(app: &TestApp, path_prefix: &str) -> usize {
    tokio::time::sleep(Duration::from_millis(300)).await;
    app.receiver
        .received()
        .iter()
        .filter(|r| r.path.starts_with(path_prefix))
        .count()
}

async fn wait_for(app: &TestApp, path_prefix: &str, n: usize) {
    eventually(|| async {
        let seen = app
            .receiver
            .received()
            .iter()
            .filter(|r| r.path.starts_with(path_prefix))
            .count();
        (seen >= n).then_some(())
    })
    .await;
}

#[tokio::test]
async fn a_paced_channel_gets_one_message_a_second_and_nothing_fails() {
    let app = spawn_app().await;
    app.webhook_with(
        json!({"name": "slack", "kind": "slack", "events": ["deploy.*"],
        "secrets": {"webhook_url": app.receiver.url("/services/T0000/B0000/XXXXXXXX")}}),
    )
    .await;
    app.webhook("plain", &["deploy.*"]).await;
    let mut events = Vec::new();
    for _ in 0..3 {
        events.push(app.emit(deploy_event()).await);
    }

    // The unpaced webhook takes all three at once; Slack one.
    wait_for(&app, "/plain", 3).await;
    wait_for(&app, "/services/", 1).await;
    assert_eq!(settled(&app, "/services/").await, 1);
    let (_, waiting) = app.get("/api/v1/deliveries?status=pending").await;
    assert_eq!(waiting.as_array().unwrap().len(), 2, "{waiting}");

    app.advance(Duration::from_millis(999));
    assert_eq!(settled(&app, "/services/").await, 1);
    app.advance(Duration::from_millis(1));
    wait_for(&app, "/services/", 2).await;
    assert_eq!(settled(&app, "/services/").await, 2);
    app.advance(Duration::from_secs(1));
    wait_for(&app, "/services/", 3).await;
    assert_eq!(settled(&app, "/services/").await, 3);

    // Each delivery was sent once, on its first attempt: waiting is no attempt.
    for event in &events {
        let (_, e) = app
            .get(&format!("/api/v1/events/{}", event["id"].as_str().unwrap()))
            .await;
        for d in e["deliveries"].as_array().unwrap() {
            assert_eq!(d["status"], "delivered", "{d}");
            assert_eq!(d["attempts"].as_array().unwrap().len(), 1, "{d}");
        }
    }
}
