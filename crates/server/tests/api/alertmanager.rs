//! `POST /api/v1/ingest/alertmanager`: Prometheus' Alertmanager in front of Tocsin.

use std::time::Duration;

use serde_json::{Value, json};

use crate::helpers::*;

const PATH: &str = "/api/v1/ingest/alertmanager";

/// A notification in Alertmanager's webhook shape (version 4) with one alert.
fn notification(status: &str) -> Value {
    let ends_at = if status == "resolved" {
        "2026-11-23T10:20:00Z"
    } else {
        "0001-01-01T00:00:00Z"
    };
    json!({
        "version": "4",
        "groupKey": "{}:{alertname=\"DiskFull\"}",
        "truncatedAlerts": 0,
        "status": status,
        "receiver": "tocsin",
        "groupLabels": {"alertname": "DiskFull"},
        "commonLabels": {"alertname": "DiskFull", "instance": "db-1:9100", "severity": "critical"},
        "commonAnnotations": {"summary": "Disk full on db-1"},
        "externalURL": "http://alertmanager.example.com:9093",
        "alerts": [{
            "status": status,
            "labels": {"alertname": "DiskFull", "instance": "db-1:9100",
                "mountpoint": "/var/lib/postgresql", "severity": "critical"},
            "annotations": {"summary": "Disk full on db-1",
                "description": "/var/lib/postgresql has 0.4% space left."},
            "startsAt": "2026-11-23T10:00:00.000Z",
            "endsAt": ends_at,
            "generatorURL": "http://prometheus.example.com:9090/graph?g0.expr=node_filesystem_avail_bytes",
            "fingerprint": "b0e5f3a2c1d49e87"
        }]
    })
}

async fn settled_count(app: &TestApp) -> usize {
    tokio::time::sleep(Duration::from_millis(300)).await;
    app.receiver.received().len()
}

#[tokio::test]
async fn firing_notifies_once_and_resolved_notifies_a_recovery() {
    let app = spawn_app().await;
    app.webhook("ops", &["alertmanager.*"]).await;

    let (status, first) = app.post(PATH, notification("firing")).await;
    assert_eq!(status, 202, "{first}");
    assert_eq!(first["deliveries"], 1);
    assert_eq!(first["events"].as_array().unwrap().len(), 1);
    let event_id = first["events"][0]["id"].as_str().unwrap().to_owned();
    let got = app.receiver.wait_for(1).await;
    let body = got[0].json();
    assert_eq!(body["event"], "alertmanager.diskfull");
    assert_eq!(body["title"], "Disk full on db-1");
    assert_eq!(body["message"], "/var/lib/postgresql has 0.4% space left.");
    assert_eq!(body["severity"], "critical");
    assert_eq!(body["status"], "firing");
    assert_eq!(body["source"]["instance"], "db-1:9100");

    let (_, event) = app.get(&format!("/api/v1/events/{event_id}")).await;
    assert_eq!(event["state_key"], "alertmanager/b0e5f3a2c1d49e87");
    assert_eq!(event["state"], "firing");
    assert_eq!(event["occurred_at"], "2026-11-23T10:00:00Z");
    assert_eq!(
        event["data"]["url"],
        "http://prometheus.example.com:9090/graph?g0.expr=node_filesystem_avail_bytes"
    );

    // Alertmanager repeats the notification while the alert fires: no new message.
    let (status, again) = app.post(PATH, notification("firing")).await;
    assert_eq!(status, 202);
    assert_eq!(again["deliveries"], 0);
    assert_eq!(again["events"][0]["suppressed"], true);
    assert_eq!(again["events"][0]["reason"], "state unchanged (firing)");
    assert_eq!(settled_count(&app).await, 1);

    let (status, resolved) = app.post(PATH, notification("resolved")).await;
    assert_eq!(status, 202);
    assert_eq!(resolved["deliveries"], 1);
    let got = app.receiver.wait_for(2).await;
    let body = got[1].json();
    assert_eq!(body["title"], "Resolved: Disk full on db-1");
    assert_eq!(body["severity"], "ok");
    assert_eq!(body["status"], "resolved");
    assert_eq!(settled_count(&app).await, 2);

    let (_, states) = app.get("/api/v1/states").await;
    assert_eq!(states[0]["state_key"], "alertmanager/b0e5f3a2c1d49e87");
    assert_eq!(states[0]["state"], "resolved");
    assert_eq!(states[0]["good"], true);
    app.stop().await;
}

#[tokio::test]
async fn a_malformed_payload_gets_a_json_error_and_changes_nothing() {
    let app = spawn_app().await;
    app.webhook("ops", &["*"]).await;
    let mut two_alerts = notification("firing");
    let mut bad = two_alerts["alerts"][0].clone();
    bad["status"] = json!("pending");
    bad["fingerprint"] = json!("0000000000000001");
    two_alerts["alerts"].as_array_mut().unwrap().push(bad);
    let mut no_fingerprint = notification("firing");
    no_fingerprint["alerts"][0]
        .as_object_mut()
        .unwrap()
        .remove("fingerprint");
    let mut old_version = notification("firing");
    old_version["version"] = json!("3");

    for (payload, field) in [
        (two_alerts, "alerts[1].status"),
        (no_fingerprint, "alerts[0].fingerprint"),
        (old_version, "version"),
        (json!({"version": "4"}), "alerts"),
    ] {
        let (status, body) = app.post(PATH, payload).await;
        assert_eq!(status, 422, "{body}");
        assert_eq!(body["error"]["code"], "invalid_field");
        assert_eq!(body["error"]["field"], field, "{body}");
    }
    let r = app
        .client
        .post(format!("{}{PATH}", app.base))
        .bearer_auth(TOKEN)
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);

    let (_, events) = app.get("/api/v1/events").await;
    assert_eq!(events, json!([]));
    let (_, states) = app.get("/api/v1/states").await;
    assert_eq!(states, json!([]));
    assert_eq!(settled_count(&app).await, 0);
    app.stop().await;
}

#[tokio::test]
async fn needs_the_api_token() {
    let app = spawn_app().await;
    let r = app
        .client
        .post(format!("{}{PATH}", app.base))
        .json(&notification("firing"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    app.stop().await;
}
