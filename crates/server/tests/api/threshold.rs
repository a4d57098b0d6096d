//! `POST /api/v1/ingest/threshold` and `/api/v1/metrics-tokens`: Dokploy's metrics agent
//! reporting CPU and memory thresholds, with hysteresis and a cool-off.

use std::time::Duration;

use serde_json::{Value, json};

use crate::helpers::*;

const PATH: &str = "/api/v1/ingest/threshold";

/// The agent's `AlertPayload`, wrapped in tRPC's envelope as the agent sends it.
fn wrapped(token: &str, kind: &str, value: f64) -> Value {
    json!({"json": bare(token, kind, value)})
}

fn bare(token: &str, kind: &str, value: f64) -> Value {
    json!({
        "ServerType": "Remote",
        "Type": kind,
        "Value": value,
        "Threshold": 80.0,
        "Message": format!("{kind} usage ({value:.2}%) exceeded threshold (80.00%)"),
        "Timestamp": "2026-11-23T10:00:00.123456789Z",
        "Token": token,
    })
}

/// Posts a report as the agent does: no bearer token.
async fn report(app: &TestApp, body: Value) -> (u16, Value) {
    let r = app
        .client
        .post(format!("{}{PATH}", app.base))
        .json(&body)
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.json().await.unwrap())
}

/// A metrics token for `server`; returns the token.
async fn metrics_token(app: &TestApp, body: Value) -> String {
    let (status, created) = app.post("/api/v1/metrics-tokens", body).await;
    assert_eq!(status, 201, "{created}");
    created["token"].as_str().unwrap().to_owned()
}

async fn settled_count(app: &TestApp) -> usize {
    tokio::time::sleep(Duration::from_millis(300)).await;
    app.receiver.received().len()
}

#[tokio::test]
async fn a_token_is_shown_once_and_stored_only_as_its_hash() {
    let app = spawn_app().await;
    let (status, created) = app
        .post(
            "/api/v1/metrics-tokens",
            json!({"server": "web-1", "margin": 2.5, "cool_off_seconds": 60}),
        )
        .await;
    assert_eq!(status, 201, "{created}");
    let token = created["token"].as_str().unwrap().to_owned();
    assert_eq!(token.len(), 128);
    assert!(token.chars().all(|c| c.is_ascii_hexdigit()));
    assert_eq!(created["server"], "web-1");
    assert_eq!(created["margin"], 2.5);
    assert_eq!(created["cool_off_seconds"], 60);
    let id = created["id"].as_str().unwrap().to_owned();

    let (_, listed) = app.get("/api/v1/metrics-tokens").await;
    assert_eq!(listed.as_array().unwrap().len(), 1);
    assert_eq!(listed[0]["id"], id.as_str());
    assert!(listed[0].get("token").is_none(), "{listed}");

    let stored = app.app_state.store.list_metrics_tokens().await.unwrap();
    assert_eq!(
        stored[0].token_hash,
        hex::encode(tocsin_server::state::token_hash(&token))
    );
    for entry in std::fs::read_dir(&app.app_state.config.data_dir).unwrap() {
        let bytes = std::fs::read(entry.unwrap().path()).unwrap();
        assert!(
            !bytes.windows(token.len()).any(|w| w == token.as_bytes()),
            "the plain token is on disk"
        );
    }

    let (status, defaults) = app
        .post("/api/v1/metrics-tokens", json!({"server": "db-1"}))
        .await;
    assert_eq!(status, 201);
    assert_eq!(defaults["margin"], 5.0);
    assert_eq!(defaults["cool_off_seconds"], 300);
    assert_ne!(defaults["token"], token.as_str());

    let (status, _) = report(&app, wrapped(&token, "CPU", 50.0)).await;
    assert_eq!(status, 200);
    let (status, _) = app
        .call("DELETE", &format!("/api/v1/metrics-tokens/{id}"), None)
        .await;
    assert_eq!(status, 204);
    let (status, _) = report(&app, wrapped(&token, "CPU", 50.0)).await;
    assert_eq!(status, 401, "a deleted token is refused");
    let (status, _) = app
        .call("DELETE", &format!("/api/v1/metrics-tokens/{id}"), None)
        .await;
    assert_eq!(status, 404);
    app.stop().await;
}

#[tokio::test]
async fn metrics_tokens_need_the_bearer_token_and_valid_fields() {
    let app = spawn_app().await;
    let r = app
        .client
        .post(format!("{}/api/v1/metrics-tokens", app.base))
        .json(&json!({"server": "web-1"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    for (body, field) in [
        (json!({}), "server"),
        (json!({"server": "  "}), "server"),
        (json!({"server": "a/b"}), "server"),
        (json!({"server": "web-1", "margin": 60}), "margin"),
        (
            json!({"server": "web-1", "cool_off_seconds": 9_999_999}),
            "cool_off_seconds",
        ),
    ] {
        let (status, err) = app.post("/api/v1/metrics-tokens", body).await;
        assert_eq!(status, 422, "{err}");
        assert_eq!(err["error"]["field"], field, "{err}");
    }
    let (status, _) = app
        .post(
            "/api/v1/metrics-tokens",
            json!({"server": "web-1", "cooloff": 5}),
        )
        .await;
    assert_eq!(status, 422, "unknown fields are refused");
    let (_, listed) = app.get("/api/v1/metrics-tokens").await;
    assert_eq!(listed, json!([]));
    app.stop().await;
}

#[tokio::test]
async fn alerts_once_recovers_below_the_margin_and_holds_back_within_the_cool_off() {
    let app = spawn_app().await;
    app.webhook("ops", &["server.threshold"]).await;
    let token = metrics_token(&app, json!({"server": "web-1"})).await;

    let mut seen = Vec::new();
    for value in [50.0, 91.0, 95.0, 78.0, 74.0, 91.0] {
        let (status, body) = report(&app, wrapped(&token, "CPU", value)).await;
        assert_eq!(status, 200, "{body}");
        seen.push((
            value,
            !body["event"].is_null(),
            body["deliveries"].as_u64().unwrap(),
            body["state"].as_str().unwrap().to_owned(),
            body["suppressed"].as_bool().unwrap(),
        ));
        app.advance(Duration::from_secs(30));
    }
    let expected = [
        (50.0, false, 0, "ok", false),
        (91.0, true, 1, "alert", false),
        (95.0, false, 0, "alert", false),
        (78.0, false, 0, "alert", false),
        (74.0, true, 1, "ok", false),
        (91.0, false, 0, "ok", true),
    ];
    let expected: Vec<_> = expected
        .iter()
        .map(|(v, e, d, s, x)| (*v, *e, *d, s.to_string(), *x))
        .collect();
    assert_eq!(seen, expected);

    let got = app.receiver.wait_for(2).await;
    let alert = got[0].json();
    assert_eq!(alert["event"], "server.threshold");
    assert_eq!(alert["title"], "Server web-1 CPU at 91 % (threshold 80 %)");
    assert_eq!(
        alert["message"],
        "CPU usage (91.00%) exceeded threshold (80.00%)"
    );
    assert_eq!(alert["severity"], "critical", "11 points over");
    assert_eq!(alert["source"]["server"], "web-1");
    assert_eq!(alert["source"]["type"], "cpu");
    assert_eq!(alert["source"]["server_type"], "remote");
    let recovery = got[1].json();
    assert_eq!(
        recovery["title"],
        "Server web-1 CPU back to 74 % (threshold 80 %)"
    );
    assert_eq!(recovery["severity"], "ok");
    assert_eq!(
        settled_count(&app).await,
        2,
        "the held-back alert sent nothing"
    );

    // Past the cool-off (300 s after the recovery), the same report alerts.
    app.advance(Duration::from_secs(300));
    let (status, again) = report(&app, wrapped(&token, "CPU", 91.0)).await;
    assert_eq!(status, 200);
    assert_eq!(again["state"], "alert");
    assert_eq!(again["deliveries"], 1);
    assert_eq!(again["suppressed"], false);
    app.receiver.wait_for(3).await;
    assert_eq!(settled_count(&app).await, 3);

    let event_id = again["event"].as_str().unwrap();
    let (_, event) = app.get(&format!("/api/v1/events/{event_id}")).await;
    assert_eq!(event["state_key"], "threshold/web-1/cpu");
    assert_eq!(event["state"], "alert");
    assert_eq!(event["data"]["value"], 91.0);
    assert_eq!(event["data"]["threshold"], 80.0);
    assert_eq!(event["data"]["type"], "cpu");
    assert_eq!(event["data"]["timestamp"], "2026-11-23T10:00:00.123456789Z");
    let (_, events) = app.get("/api/v1/events").await;
    assert_eq!(
        events.as_array().unwrap().len(),
        3,
        "only changes are events"
    );
    app.stop().await;
}

#[tokio::test]
async fn a_token_without_cool_off_alerts_again_at_once() {
    let app = spawn_app().await;
    app.webhook("ops", &["server.threshold"]).await;
    let token = metrics_token(
        &app,
        json!({"server": "web-1", "margin": 5, "cool_off_seconds": 0}),
    )
    .await;
    let mut made = Vec::new();
    for value in [50.0, 91.0, 95.0, 78.0, 74.0, 91.0] {
        let (_, body) = report(&app, wrapped(&token, "CPU", value)).await;
        made.push(body["state"].as_str().unwrap().to_owned() + &body["deliveries"].to_string());
    }
    assert_eq!(made, ["ok0", "alert1", "alert0", "alert0", "ok1", "alert1"]);
    app.receiver.wait_for(3).await;
    assert_eq!(settled_count(&app).await, 3);
    app.stop().await;
}

#[tokio::test]
async fn takes_the_bare_payload_and_keeps_cpu_and_memory_apart() {
    let app = spawn_app().await;
    app.webhook("ops", &["server.threshold"]).await;
    let token = metrics_token(&app, json!({"server": "db-1"})).await;
    let mut memory = bare(&token, "Memory", 85.5);
    memory.as_object_mut().unwrap().remove("ServerType");
    let (status, body) = report(&app, memory).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["state"], "alert");
    assert_eq!(body["deliveries"], 1);
    let (_, cpu) = report(&app, bare(&token, "CPU", 85.5)).await;
    assert_eq!(cpu["deliveries"], 1, "another key: {cpu}");

    let got = app.receiver.wait_for(2).await;
    let first = got[0].json();
    assert_eq!(
        first["title"],
        "Server db-1 Memory at 85.5 % (threshold 80 %)"
    );
    assert_eq!(first["severity"], "warning");
    assert_eq!(first["source"]["type"], "memory");
    assert_eq!(first["source"]["server_type"], "dokploy");
    let (_, states) = app.get("/api/v1/states").await;
    let keys: Vec<_> = states
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["state_key"].as_str().unwrap())
        .collect();
    assert_eq!(keys, ["threshold/db-1/cpu", "threshold/db-1/memory"]);
    app.stop().await;
}

#[tokio::test]
async fn an_unknown_token_gets_401_and_nothing_is_stored() {
    let app = spawn_app().await;
    app.webhook("ops", &["*"]).await;
    let real = metrics_token(&app, json!({"server": "web-1"})).await;
    let unknown = "ab".repeat(64);
    let mut missing = wrapped(&real, "CPU", 95.0);
    missing["json"].as_object_mut().unwrap().remove("Token");
    let mut bodies = Vec::new();
    for payload in [
        wrapped(&unknown, "CPU", 95.0),
        bare(&unknown, "CPU", 95.0),
        wrapped("short", "CPU", 95.0),
        wrapped(&real[..127], "CPU", 95.0),
        missing,
        // A bad payload with a bad token: the token is checked first.
        wrapped(&unknown, "Disk", 95.0),
    ] {
        let (status, body) = report(&app, payload).await;
        assert_eq!(status, 401, "{body}");
        bodies.push(body);
    }
    assert!(bodies.windows(2).all(|w| w[0] == w[1]), "{bodies:?}");
    assert_eq!(bodies[0]["error"]["code"], "unauthorized");
    let (_, events) = app.get("/api/v1/events").await;
    assert_eq!(events, json!([]));
    let (_, states) = app.get("/api/v1/states").await;
    assert_eq!(states, json!([]));
    assert_eq!(settled_count(&app).await, 0);
    app.stop().await;
}

#[tokio::test]
async fn a_malformed_report_gets_422_naming_the_field() {
    let app = spawn_app().await;
    app.webhook("ops", &["*"]).await;
    let token = metrics_token(&app, json!({"server": "web-1"})).await;
    for (patch, field) in [
        (json!({"Type": "Disk"}), "Type"),
        (json!({"Value": "high"}), "Value"),
        (json!({"Value": null}), "Value"),
        (json!({"Threshold": 0}), "Threshold"),
        (json!({"ServerType": "Cloud"}), "ServerType"),
        (json!({"Message": ["x"]}), "Message"),
    ] {
        let mut payload = wrapped(&token, "CPU", 95.0);
        for (k, v) in patch.as_object().unwrap() {
            payload["json"][k] = v.clone();
        }
        let (status, body) = report(&app, payload).await;
        assert_eq!(status, 422, "{body}");
        assert_eq!(body["error"]["field"], field, "{body}");
    }
    let r = app
        .client
        .post(format!("{}{PATH}", app.base))
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    let (_, events) = app.get("/api/v1/events").await;
    assert_eq!(events, json!([]));
    assert_eq!(settled_count(&app).await, 0);
    app.stop().await;
}
