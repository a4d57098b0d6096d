use serde_json::json;

use crate::helpers::*;

#[tokio::test]
async fn accepts_the_contract_example_and_shows_its_delivery_with_attempts() {
    let app = spawn_app().await;
    app.webhook("ops", &["deploy.*"]).await;
    let accepted = app.emit(deploy_event()).await;
    assert_eq!(accepted["deliveries"], 1);
    let id = accepted["id"].as_str().unwrap();
    assert_eq!(id.len(), 26, "a ULID");

    app.receiver.wait_for(1).await;
    let event = eventually(|| async {
        let (_, e) = app.get(&format!("/api/v1/events/{id}")).await;
        (e["deliveries"][0]["status"] == "delivered").then_some(e)
    })
    .await;
    assert_eq!(event["type"], "deploy.success");
    assert_eq!(event["source"]["environment"], "production");
    assert_eq!(event["data"]["commit"], "abc123");
    assert_eq!(event["occurred_at"], "2026-11-23T10:00:00Z");
    let delivery = &event["deliveries"][0];
    assert_eq!(delivery["attempt_count"], 1);
    assert_eq!(delivery["attempts"][0]["number"], 1);
    assert_eq!(delivery["attempts"][0]["status_code"], 200);
    assert_eq!(delivery["attempts"][0]["outcome"], "delivered");
    assert_eq!(delivery["attempts"][0]["response_excerpt"], "ok");
    app.stop().await;
}

#[tokio::test]
async fn an_event_no_rule_takes_is_accepted_with_no_delivery() {
    let app = spawn_app().await;
    app.webhook("ops", &["backup.*"]).await;
    let accepted = app.emit(deploy_event()).await;
    assert_eq!(accepted["deliveries"], 0);
    app.stop().await;
}

#[tokio::test]
async fn a_repeated_idempotency_key_answers_with_the_first_event_and_creates_nothing() {
    let app = spawn_app().await;
    app.webhook("ops", &["*"]).await;
    let mut event = deploy_event();
    event["idempotency_key"] = json!("deploy-42");
    let first = app.emit(event.clone()).await;
    let second = app.emit(event).await;
    assert_eq!(first["id"], second["id"]);
    assert_eq!(second["deliveries"], 1);
    assert_eq!(second["duplicate"], true);
    app.receiver.wait_for(1).await;
    let (_, events) = app.get("/api/v1/events").await;
    assert_eq!(events.as_array().unwrap().len(), 1);
    let (_, deliveries) = app.get("/api/v1/deliveries").await;
    assert_eq!(deliveries.as_array().unwrap().len(), 1);
    app.stop().await;
}

#[tokio::test]
async fn bad_events_get_a_json_error_naming_the_problem_and_change_nothing() {
    let app = spawn_app().await;
    app.webhook("ops", &["*"]).await;
    let cases = [
        (
            json!({"title": "no type"}),
            422,
            "invalid_field",
            Some("type"),
        ),
        (
            json!({"type": "deploy success", "title": "x"}),
            422,
            "invalid_field",
            Some("type"),
        ),
        (
            json!({"type": "a.b", "title": "x", "severity": "fatal"}),
            422,
            "invalid_field",
            Some("severity"),
        ),
        (
            json!({"type": "a.b", "title": "x", "source": "app"}),
            422,
            "invalid_field",
            Some("source"),
        ),
        (
            json!({"type": "a.b", "title": "x", "occurred_at": "soon"}),
            422,
            "invalid_field",
            Some("occurred_at"),
        ),
        (
            json!({"type": "a.b", "title": "x", "colour": "red"}),
            422,
            "invalid_body",
            None,
        ),
        (json!({"type": 5, "title": "x"}), 422, "invalid_body", None),
        (json!(["not", "an", "object"]), 422, "invalid_body", None),
    ];
    for (body, status, code, field) in cases {
        let (got, err) = app.post("/api/v1/events", body.clone()).await;
        assert_eq!(got, status, "{body}: {err}");
        assert_eq!(err["error"]["code"], code, "{body}: {err}");
        assert!(
            err["error"]["message"].as_str().unwrap().len() > 10,
            "{err}"
        );
        if let Some(field) = field {
            assert_eq!(err["error"]["field"], field, "{body}: {err}");
        }
    }
    let (_, events) = app.get("/api/v1/events").await;
    assert_eq!(events, json!([]));
    assert!(app.receiver.received().is_empty());
    app.stop().await;
}

#[tokio::test]
async fn malformed_json_wrong_media_type_and_oversized_bodies_are_refused() {
    let app = spawn_app_with(|c| c.api.max_body_bytes = 4096).await;
    let url = format!("{}/api/v1/events", app.base);
    let send = |body: Vec<u8>, content_type: &'static str| {
        app.client
            .post(&url)
            .bearer_auth(TOKEN)
            .header("content-type", content_type)
            .body(body)
            .send()
    };
    let r = send(b"{\"type\": ".to_vec(), "application/json")
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    assert_eq!(
        r.json::<serde_json::Value>().await.unwrap()["error"]["code"],
        "invalid_json"
    );

    let r = send(b"type=a".to_vec(), "application/x-www-form-urlencoded")
        .await
        .unwrap();
    assert_eq!(r.status(), 415);
    assert_eq!(
        r.json::<serde_json::Value>().await.unwrap()["error"]["code"],
        "unsupported_media_type"
    );

    let big =
        serde_json::to_vec(&json!({"type": "a.b", "title": "x", "message": "y".repeat(10_000)}))
            .unwrap();
    let r = send(big, "application/json").await.unwrap();
    assert_eq!(r.status(), 413);
    assert_eq!(
        r.json::<serde_json::Value>().await.unwrap()["error"]["code"],
        "body_too_large"
    );

    let (_, events) = app.get("/api/v1/events").await;
    assert_eq!(events, json!([]));
    app.stop().await;
}

#[tokio::test]
async fn unknown_and_malformed_event_ids_are_not_found() {
    let app = spawn_app().await;
    let (status, err) = app.get("/api/v1/events/01JD0000000000000000000000").await;
    assert_eq!(status, 404);
    assert_eq!(err["error"]["code"], "not_found");
    let (status, err) = app.get("/api/v1/events/nope").await;
    assert_eq!(status, 404, "{err}");
    app.stop().await;
}

#[tokio::test]
async fn events_are_listed_newest_first_and_filtered_by_type() {
    let app = spawn_app().await;
    for t in ["deploy.success", "backup.failure", "deploy.failure"] {
        app.emit(json!({"type": t, "title": t})).await;
    }
    let (_, all) = app.get("/api/v1/events").await;
    let types: Vec<&str> = all
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["type"].as_str().unwrap())
        .collect();
    assert_eq!(
        types,
        ["deploy.failure", "backup.failure", "deploy.success"]
    );
    let (_, some) = app.get("/api/v1/events?type=backup.failure").await;
    assert_eq!(some.as_array().unwrap().len(), 1);
    let (_, page) = app.get("/api/v1/events?limit=1").await;
    assert_eq!(page.as_array().unwrap().len(), 1);
    app.stop().await;
}
