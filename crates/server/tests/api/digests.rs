//! Digests: a rule with `"digest": "5m"` batches the events it takes per channel; when the
//! window that the first one opened ends, one message lists them.

use std::time::Duration;

use serde_json::{Value, json};

use crate::helpers::*;

fn event(event_type: &str, title: &str) -> Value {
    json!({"type": event_type, "title": title, "severity": "warning",
        "source": {"application": "db", "environment": "production"}})
}

async fn settled_count(app: &TestApp) -> usize {
    tokio::time::sleep(Duration::from_millis(300)).await;
    app.receiver.received().len()
}

#[tokio::test]
async fn events_in_a_window_arrive_as_one_message_when_it_ends() {
    let app = spawn_app().await;
    let ch = app.webhook("digest", &["never.routed.here"]).await;
    let (status, r) = app
        .post(
            "/api/v1/rules",
            json!({"name": "batched", "events": ["backup.*", "deploy.failure"],
                "channels": [ch], "digest": "5m"}),
        )
        .await;
    assert_eq!(status, 201, "{r}");
    assert_eq!(r["digest"], "5m");

    // 0:00 to 4:59: four events, each accepted, none sent yet.
    let first = app.emit(event("backup.failure", "backup 1 failed")).await;
    assert_eq!(first["deliveries"], 1);
    app.emit(event("deploy.failure", "deploy failed")).await;
    app.emit(event("backup.failure", "backup 2 failed")).await;
    app.advance(Duration::from_secs(299));
    app.emit(event("backup.failure", "backup 3 failed")).await;
    assert_eq!(settled_count(&app).await, 0);
    let (_, e) = app
        .get(&format!("/api/v1/events/{}", first["id"].as_str().unwrap()))
        .await;
    let digest = &e["deliveries"][0];
    assert_eq!(digest["status"], "pending", "{e}");
    assert_eq!(digest["digest_until"], digest["next_attempt_at"]);

    // 5:00: the window ends, one message with all four.
    app.advance(Duration::from_secs(1));
    let got = app.receiver.wait_for(1).await;
    let body = got[0].json();
    assert_eq!(body["event"], "tocsin.digest", "{body}");
    assert_eq!(
        body["title"],
        "4 events: backup.failure × 3, deploy.failure × 1"
    );
    assert_eq!(
        body["message"],
        "• [warning] backup 1 failed\n• [warning] deploy failed\n• [warning] backup 2 failed\n\
         • [warning] backup 3 failed\nBy type: backup.failure × 3, deploy.failure × 1"
    );
    assert_eq!(body["source"]["environment"], "production");
    assert_eq!(settled_count(&app).await, 1);

    // 5:01: a new window; a lone event in it arrives as itself at 10:01.
    app.advance(Duration::from_secs(1));
    app.emit(event("deploy.failure", "deploy failed again"))
        .await;
    app.advance(Duration::from_secs(299));
    assert_eq!(settled_count(&app).await, 1);
    app.advance(Duration::from_secs(1));
    let got = app.receiver.wait_for(2).await;
    let body = got[1].json();
    assert_eq!(body["event"], "deploy.failure", "{body}");
    assert_eq!(body["title"], "deploy failed again");
}

#[tokio::test]
async fn a_digest_window_is_checked() {
    let app = spawn_app().await;
    let ch = app.webhook("a", &["never.routed.here"]).await;
    for bad in ["5", "1s", "2d"] {
        let (status, err) = app
            .post(
                "/api/v1/rules",
                json!({"name": "r", "channels": [ch], "digest": bad}),
            )
            .await;
        assert_eq!(status, 422, "{bad}: {err}");
        assert_eq!(err["error"]["field"], "digest");
    }
}
