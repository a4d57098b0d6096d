//! `repeat_interval`: while a `state_key` stays in the same bad state, a rule notifies
//! again once the interval has passed since its last notification for the key.

use std::time::Duration;

use serde_json::{Value, json};

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

const MINUTE: Duration = Duration::from_secs(60);

#[tokio::test]
async fn a_persisting_bad_state_is_repeated_every_interval_and_a_recovery_stops_it() {
    let app = spawn_app().await;
    let hourly = app.webhook("hourly", &["never.routed.here"]).await;
    let once = app.webhook("once", &["never.routed.here"]).await;
    let (status, r) = app
        .post(
            "/api/v1/rules",
            json!({"name": "repeat hourly", "events": ["service.health.*"],
                "channels": [hourly], "repeat_interval": "1h"}),
        )
        .await;
    assert_eq!(status, 201, "{r}");
    assert_eq!(r["repeat_interval"], "1h");
    let (status, _) = app
        .post(
            "/api/v1/rules",
            json!({"name": "no repeat", "events": ["service.health.*"], "channels": [once]}),
        )
        .await;
    assert_eq!(status, 201);

    // A check every 20 minutes: down for two hours and a quarter, then up, then up again.
    let states = [
        "down", "down", "down", "down", "down", "down", "down", "up", "up",
    ];
    let mut answers = Vec::new();
    for (n, state) in states.into_iter().enumerate() {
        answers.push(app.emit(health(state, n as u32)).await);
        app.advance(20 * MINUTE);
    }
    let deliveries: Vec<&Value> = answers.iter().map(|a| &a["deliveries"]).collect();
    // 0 min: the transition reaches both; 60 and 120 min: the hourly rule repeats; 140 min:
    // the recovery reaches both; the second "up" is quiet.
    assert_eq!(deliveries, [2, 0, 0, 1, 0, 0, 1, 2, 0]);
    assert!(answers[3].get("suppressed").is_none(), "{}", answers[3]);
    assert_eq!(answers[1]["suppressed"], true);
    assert_eq!(answers[8]["reason"], "state unchanged (up)");

    app.receiver.wait_for(6).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let mut got: Vec<(String, String)> = app
        .receiver
        .received()
        .iter()
        .map(|r| {
            (
                r.path.clone(),
                r.json()["title"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    got.sort();
    assert_eq!(
        got,
        [
            ("/hourly", "API is down (check 0)"),
            ("/hourly", "API is down (check 3)"),
            ("/hourly", "API is down (check 6)"),
            ("/hourly", "API is up (check 7)"),
            ("/once", "API is down (check 0)"),
            ("/once", "API is up (check 7)"),
        ]
        .map(|(p, t)| (p.to_owned(), t.to_owned()))
    );
}

#[tokio::test]
async fn repeat_interval_is_checked_and_can_be_cleared() {
    let app = spawn_app().await;
    let ch = app.webhook("a", &["never.routed.here"]).await;
    for bad in ["soon", "10s", "90d"] {
        let (status, err) = app
            .post(
                "/api/v1/rules",
                json!({"name": "r", "channels": [ch], "repeat_interval": bad}),
            )
            .await;
        assert_eq!(status, 422, "{bad}: {err}");
        assert_eq!(err["error"]["field"], "repeat_interval");
    }
    let (_, r) = app
        .post(
            "/api/v1/rules",
            json!({"name": "r", "channels": [ch], "repeat_interval": "4h"}),
        )
        .await;
    let path = format!("/api/v1/rules/{}", r["id"].as_str().unwrap());
    let (status, r) = app
        .call("PATCH", &path, Some(json!({"repeat_interval": null})))
        .await;
    assert_eq!(status, 200, "{r}");
    assert_eq!(r["repeat_interval"], Value::Null);
}
