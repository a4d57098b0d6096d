//! The retry schedule, driven by a clock the test moves: no real waiting.

use std::time::Duration;

use serde_json::{Value, json};
use tocsin_core::time::parse_rfc3339;

use crate::helpers::*;

fn due_at(d: &Value) -> i64 {
    parse_rfc3339(d["next_attempt_at"].as_str().unwrap()).unwrap()
}

async fn setup(app: &TestApp) -> String {
    app.webhook("r", &["*"]).await;
    let event = app.emit(deploy_event()).await;
    app.only_delivery_of(event["id"].as_str().unwrap()).await
}

/// Lets the dispatcher run a few polls and checks nothing more was sent.
async fn assert_quiet(app: &TestApp, requests: usize) {
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(
        app.receiver.received().len(),
        requests,
        "nothing is sent before it is due"
    );
}

#[tokio::test]
async fn retries_a_503_after_30_seconds_then_delivers() {
    let app = spawn_app().await;
    app.receiver.script([Reply::Status(503, "maintenance")]);
    let start = {
        use tocsin_server::clock::Clock;
        app.clock.now()
    };
    let id = setup(&app).await;
    let d = app.delivery_when(&id, |d| d["status"] == "retrying").await;
    let due = due_at(&d) - start;
    assert!(
        (30_000..=33_000).contains(&due),
        "due {due} ms after the first attempt"
    );
    assert_eq!(d["attempts"][0]["status_code"], 503);
    assert_eq!(d["attempts"][0]["error"], "HTTP 503: maintenance");
    assert_eq!(d["last_error"], "HTTP 503: maintenance");

    app.advance(Duration::from_secs(29));
    assert_quiet(&app, 1).await;
    app.advance(Duration::from_secs(4));
    let d = app.delivery_when(&id, |d| d["status"] == "delivered").await;
    assert_eq!(d["attempt_count"], 2);
    let got = app.receiver.received();
    assert_eq!(
        got[0].header("webhook-id"),
        got[1].header("webhook-id"),
        "the id is stable across retries"
    );
    assert_eq!(got[0].header("webhook-id"), Some(id.as_str()));
    app.stop().await;
}

#[tokio::test]
async fn honours_retry_after_on_a_429() {
    let app = spawn_app().await;
    app.receiver.script([Reply::RetryAfter(7)]);
    let id = setup(&app).await;
    let d = app.delivery_when(&id, |d| d["status"] == "retrying").await;
    let first = parse_rfc3339(d["attempts"][0]["started_at"].as_str().unwrap()).unwrap();
    let after = due_at(&d) - first - d["attempts"][0]["duration_ms"].as_i64().unwrap();
    assert_eq!(after, 7_000, "counted from the answer");
    app.advance(Duration::from_millis(6_900));
    assert_quiet(&app, 1).await;
    app.advance(Duration::from_secs(1));
    app.delivery_when(&id, |d| d["status"] == "delivered").await;
    app.stop().await;
}

#[tokio::test]
async fn fails_after_the_schedule_and_can_be_retried_by_hand() {
    let app = spawn_app().await;
    app.receiver.script([
        Reply::Status(500, "a"),
        Reply::Status(502, "b"),
        Reply::Status(503, "c"),
        Reply::Status(504, "d"),
    ]);
    let id = setup(&app).await;
    for (n, wait) in [(1, 30), (2, 120), (3, 300)] {
        app.delivery_when(&id, |d| {
            d["attempt_count"] == n && d["status"] == "retrying"
        })
        .await;
        app.advance(Duration::from_secs(wait + wait / 10 + 1));
    }
    let d = app.delivery_when(&id, |d| d["status"] == "failed").await;
    assert_eq!(d["attempt_count"], 4);
    let codes: Vec<&Value> = d["attempts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| &a["status_code"])
        .collect();
    assert_eq!(codes, [&json!(500), &json!(502), &json!(503), &json!(504)]);
    assert_eq!(d["attempts"][3]["outcome"], "failed");
    assert_eq!(d["next_attempt_at"], json!(null));

    let (_, failed) = app.get("/api/v1/deliveries?status=failed").await;
    assert_eq!(failed.as_array().unwrap().len(), 1);
    let (status, retried) = app
        .post(&format!("/api/v1/deliveries/{id}/retry"), json!({}))
        .await;
    assert_eq!(status, 200, "{retried}");
    let d = app.delivery_when(&id, |d| d["status"] == "delivered").await;
    assert_eq!(d["attempt_count"], 5);
    let (status, err) = app
        .post(&format!("/api/v1/deliveries/{id}/retry"), json!({}))
        .await;
    assert_eq!(status, 409, "{err}");
    assert_eq!(err["error"]["code"], "conflict");
    app.stop().await;
}

#[tokio::test]
async fn does_not_retry_a_404() {
    let app = spawn_app().await;
    app.receiver.script([Reply::Status(404, "no such hook")]);
    let id = setup(&app).await;
    let d = app.delivery_when(&id, |d| d["status"] == "failed").await;
    assert_eq!(d["attempt_count"], 1);
    assert_eq!(d["last_error"], "HTTP 404: no such hook");
    app.advance(Duration::from_secs(3600));
    assert_quiet(&app, 1).await;
    app.stop().await;
}

#[tokio::test]
async fn a_channels_own_schedule_overrides_the_default() {
    let app = spawn_app().await;
    app.receiver
        .script([Reply::Status(500, "a"), Reply::Status(500, "b")]);
    app.webhook_with(
        json!({"name": "r", "kind": "webhook", "settings": {"url": app.receiver.url("/r")},
        "events": ["*"], "retry_schedule": ["0s", "10s"]}),
    )
    .await;
    let event = app.emit(deploy_event()).await;
    let id = app.only_delivery_of(event["id"].as_str().unwrap()).await;
    app.delivery_when(&id, |d| d["status"] == "retrying").await;
    app.advance(Duration::from_secs(12));
    let d = app.delivery_when(&id, |d| d["status"] == "failed").await;
    assert_eq!(d["attempt_count"], 2);
    app.stop().await;
}

#[tokio::test]
async fn a_receiver_that_never_answers_times_out_and_is_retried() {
    let app = spawn_app().await;
    app.receiver.script([Reply::Hang]);
    let id = setup(&app).await;
    let d = app.delivery_when(&id, |d| d["status"] == "retrying").await;
    assert_eq!(d["last_error"], "the request timed out");
    assert_eq!(d["attempts"][0]["status_code"], json!(null));
    app.stop().await;
}

#[tokio::test]
async fn a_target_the_guard_refuses_fails_without_retrying() {
    let app = spawn_app_with(|c| c.allow_private.clear()).await;
    let id = setup(&app).await;
    let d = app.delivery_when(&id, |d| d["status"] == "failed").await;
    assert_eq!(d["attempt_count"], 1);
    assert!(
        d["last_error"].as_str().unwrap().contains("loopback"),
        "{d}"
    );
    assert!(app.receiver.received().is_empty());
    app.stop().await;
}
