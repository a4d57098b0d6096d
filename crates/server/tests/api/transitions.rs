//! Transitions: an event with a `state_key` and a `state` notifies only when the state
//! changes, and a return to a good state notifies as a recovery.

use std::time::Duration;

use serde_json::{Value, json};
use tocsin_server::clock::Clock;

use crate::helpers::*;

fn health(state: &str, n: u32) -> Value {
    let (event_type, severity) = if state == "up" {
        ("service.health.recovered", "ok")
    } else {
        ("service.health.down", "critical")
    };
    json!({"type": event_type, "title": format!("API is {state} (check {n})"),
        "severity": severity, "source": {"application": "api"},
        "state_key": "api/health", "state": state})
}

/// Waits a little, then says how many requests the receiver got in all.
async fn settled_count(app: &TestApp) -> usize {
    tokio::time::sleep(Duration::from_millis(300)).await;
    app.receiver.received().len()
}

#[tokio::test]
async fn down_down_up_up_down_delivers_three_notifications() {
    let app = spawn_app().await;
    app.webhook("ops", &["service.health.*"]).await;
    let mut answers = Vec::new();
    let mut expected = 0;
    for (n, state) in ["down", "down", "up", "up", "down"].into_iter().enumerate() {
        let accepted = app.emit(health(state, n as u32 + 1)).await;
        if accepted["deliveries"] == 1 {
            expected += 1;
            app.receiver.wait_for(expected).await;
        }
        answers.push(accepted);
        app.advance(Duration::from_secs(60));
    }

    let delivered: Vec<Value> = answers.iter().map(|a| a["deliveries"].clone()).collect();
    assert_eq!(delivered, [1, 0, 1, 0, 1]);
    for quiet in [&answers[1], &answers[3]] {
        assert_eq!(quiet["suppressed"], true, "{quiet}");
    }
    assert_eq!(answers[1]["reason"], "state unchanged (down)");
    assert_eq!(answers[3]["reason"], "state unchanged (up)");
    for loud in [&answers[0], &answers[2], &answers[4]] {
        assert!(loud.get("suppressed").is_none(), "{loud}");
        assert!(loud.get("reason").is_none(), "{loud}");
    }

    assert_eq!(settled_count(&app).await, 3);
    let bodies: Vec<Value> = app.receiver.received().iter().map(|r| r.json()).collect();
    let seen: Vec<(&str, &str, &str)> = bodies
        .iter()
        .map(|b| {
            (
                b["title"].as_str().unwrap(),
                b["severity"].as_str().unwrap(),
                b["status"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        seen,
        [
            ("API is down (check 1)", "critical", "error"),
            ("API is up (check 3)", "ok", "success"),
            ("API is down (check 5)", "critical", "error"),
        ]
    );

    // Every event is stored, the suppressed ones without deliveries.
    let (_, events) = app.get("/api/v1/events").await;
    assert_eq!(events.as_array().unwrap().len(), 5);
    let quiet_id = answers[1]["id"].as_str().unwrap();
    let (_, quiet) = app.get(&format!("/api/v1/events/{quiet_id}")).await;
    assert_eq!(quiet["state"], "down");
    assert_eq!(quiet["deliveries"], json!([]));
    app.stop().await;
}

#[tokio::test]
async fn a_first_good_state_is_quiet_and_keys_are_independent() {
    let app = spawn_app().await;
    app.webhook("ops", &["*"]).await;
    let up = app
        .emit(json!({"type": "backup.success", "title": "Backup ok",
            "state_key": "backup/nightly", "state": "OK"}))
        .await;
    assert_eq!(up["deliveries"], 0);
    assert_eq!(up["suppressed"], true);
    assert_eq!(
        up["reason"],
        "first state seen is a good one (OK): nothing was wrong"
    );

    let db = app
        .emit(json!({"type": "service.health.down", "title": "db down",
            "state_key": "db", "state": "down"}))
        .await;
    let web = app
        .emit(json!({"type": "service.health.down", "title": "web down",
            "state_key": "web", "state": "down"}))
        .await;
    assert_eq!(
        (db["deliveries"].clone(), web["deliveries"].clone()),
        (json!(1), json!(1))
    );
    app.receiver.wait_for(2).await;
    assert_eq!(settled_count(&app).await, 2);
    app.stop().await;
}

#[tokio::test]
async fn the_states_endpoint_lists_each_key_with_its_state_and_since_when() {
    let app = spawn_app().await;
    let (status, empty) = app.get("/api/v1/states").await;
    assert_eq!((status, empty), (200, json!([])));

    let first = app
        .emit(json!({"type": "service.health.down", "title": "x",
            "state_key": "api", "state": "down"}))
        .await;
    let since = tocsin_core::time::to_rfc3339(app.clock.now());
    app.advance(Duration::from_secs(90));
    let repeat = app
        .emit(json!({"type": "service.health.down", "title": "x",
            "state_key": "api", "state": "down"}))
        .await;
    let (_, states) = app.get("/api/v1/states").await;
    assert_eq!(
        states,
        json!([{"state_key": "api", "state": "down", "good": false, "since": since,
            "last_seen_at": tocsin_core::time::to_rfc3339(app.clock.now()),
            "last_event_id": repeat["id"]}])
    );
    assert_ne!(first["id"], repeat["id"]);
    app.stop().await;
}
