//! API tokens: created, listed (never shown again), used and revoked; no escalation.

use serde_json::json;

use crate::helpers::*;

#[tokio::test]
async fn a_token_is_created_listed_without_its_secret_used_and_revoked() {
    let app = spawn_app().await;
    let (status, created) = app
        .post(
            "/api/v1/tokens",
            json!({"name": "ci", "scopes": ["events:write", "channels:read"], "tenant": null}),
        )
        .await;
    assert_eq!(status, 201, "{created}");
    let token = created["token"].as_str().unwrap().to_owned();
    let id = created["id"].as_str().unwrap().to_owned();
    assert!(token.starts_with("tsn_"));
    assert_eq!(created["name"], "ci");
    assert_eq!(created["scopes"], json!(["events:write", "channels:read"]));
    assert_eq!(created["tenant"], json!(null));
    assert!(created["created_at"].is_string());

    let (status, _) = app.call_as(&token, "GET", "/api/v1/channels", None).await;
    assert_eq!(status, 200);
    let (_, list) = app.get("/api/v1/tokens").await;
    let text = list.to_string();
    assert!(!text.contains(&token), "the token is never shown again");
    assert!(!text.contains("token_hash") && !text.contains("\"token\""));
    let listed = list
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"] == id.as_str())
        .unwrap();
    assert_eq!(
        listed.as_object().unwrap().keys().collect::<Vec<_>>(),
        [
            "created_at",
            "id",
            "last_used_at",
            "name",
            "scopes",
            "tenant"
        ]
    );
    assert!(listed["last_used_at"].is_string(), "{listed}");
    // The database holds the token's SHA-256, never the token.
    let hash = hex::encode(tocsin_server::state::token_hash(&token));
    let data_dir = &app.app_state.config.data_dir;
    let stored: Vec<u8> = ["tocsin.db", "tocsin.db-wal"]
        .iter()
        .flat_map(|f| std::fs::read(data_dir.join(f)).unwrap_or_default())
        .collect();
    let stored = String::from_utf8_lossy(&stored);
    assert!(stored.contains(&hash), "the hash is stored");
    assert!(!stored.contains(&token), "the token is not");

    let (status, _) = app
        .call("DELETE", &format!("/api/v1/tokens/{id}"), None)
        .await;
    assert_eq!(status, 204);
    let (status, body) = app.call_as(&token, "GET", "/api/v1/channels", None).await;
    assert_eq!(status, 401, "a revoked token stops working at once: {body}");
    let (status, _) = app
        .call("DELETE", &format!("/api/v1/tokens/{id}"), None)
        .await;
    assert_eq!(status, 404);
    app.stop().await;
}

#[tokio::test]
async fn bad_token_requests_get_422_naming_the_field_and_create_nothing() {
    let app = spawn_app().await;
    for (body, field, words) in [
        (
            json!({"name": "x", "scopes": ["channels:read", "channels:admin"]}),
            "scopes[1]",
            "unknown scope `channels:admin`",
        ),
        (json!({"name": "x", "scopes": []}), "scopes", "at least one"),
        (json!({"name": "", "scopes": ["admin"]}), "name", "required"),
        (
            json!({"name": "x", "scopes": ["admin"], "tenant": "acme"}),
            "scopes",
            "tenant-bound",
        ),
    ] {
        let (status, err) = app.post("/api/v1/tokens", body.clone()).await;
        assert_eq!(status, 422, "{body}: {err}");
        assert_eq!(err["error"]["field"], field, "{err}");
        let message = err["error"]["message"].as_str().unwrap();
        assert!(message.contains(words), "{message}");
    }
    let (_, list) = app.get("/api/v1/tokens").await;
    assert_eq!(list, json!([]));
    app.stop().await;
}

#[tokio::test]
async fn a_token_grants_no_scope_it_lacks_and_a_tenants_token_stays_in_its_tenant() {
    let app = spawn_app().await;
    let acme = app
        .token(&["tokens:write", "channels:read"], Some("acme"))
        .await;
    let globex = app.token(&["channels:read"], Some("globex")).await;

    // No escalation.
    let (status, err) = app
        .call_as(
            &acme,
            "POST",
            "/api/v1/tokens",
            Some(json!({"name": "more", "scopes": ["channels:write"]})),
        )
        .await;
    assert_eq!(status, 403, "{err}");
    assert_eq!(err["error"]["code"], "forbidden");
    assert!(
        err["error"]["message"]
            .as_str()
            .unwrap()
            .contains("channels:write")
    );
    // Not for another tenant.
    let (status, err) = app
        .call_as(
            &acme,
            "POST",
            "/api/v1/tokens",
            Some(json!({"name": "x", "scopes": ["channels:read"], "tenant": "globex"})),
        )
        .await;
    assert_eq!(status, 422, "{err}");
    assert_eq!(err["error"]["field"], "tenant");
    // Its own tenant, by default.
    let (status, made) = app
        .call_as(
            &acme,
            "POST",
            "/api/v1/tokens",
            Some(json!({"name": "reader", "scopes": ["channels:read"], "tenant": null})),
        )
        .await;
    assert_eq!(status, 201, "{made}");
    assert_eq!(made["tenant"], "acme");

    // It lists and revokes only its tenant's tokens.
    let (_, list) = app.call_as(&acme, "GET", "/api/v1/tokens", None).await;
    let tenants: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["tenant"].as_str().unwrap())
        .collect();
    assert_eq!(tenants, ["acme", "acme"], "{list}");
    assert!(!list.to_string().contains("globex"));
    let (_, all) = app.get("/api/v1/tokens").await;
    let globex_id = all
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["tenant"] == "globex")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let (status, err) = app
        .call_as(
            &acme,
            "DELETE",
            &format!("/api/v1/tokens/{globex_id}"),
            None,
        )
        .await;
    assert_eq!(status, 404, "{err}");
    assert!(!err.to_string().contains("globex"));
    let (status, _) = app.call_as(&globex, "GET", "/api/v1/channels", None).await;
    assert_eq!(status, 200, "still works");
    // A token without tokens:write manages none.
    let (status, err) = app.call_as(&globex, "GET", "/api/v1/tokens", None).await;
    assert_eq!(status, 403);
    assert!(
        err["error"]["message"]
            .as_str()
            .unwrap()
            .contains("tokens:write")
    );
    app.stop().await;
}

#[tokio::test]
async fn each_token_has_its_own_request_budget() {
    let app = spawn_app_with(|c| c.api.requests_per_minute_per_token = 3).await;
    let first = app.token(&["channels:read"], None).await;
    let second = app.token(&["channels:read"], None).await;
    for _ in 0..3 {
        assert_eq!(
            app.call_as(&first, "GET", "/api/v1/channels", None).await.0,
            200
        );
    }
    let resp = app
        .client
        .get(format!("{}/api/v1/channels", app.base))
        .bearer_auth(&first)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 429);
    assert!(resp.headers().contains_key("retry-after"));
    let body: serde_json::Value = resp.json().await.unwrap();
    assert_eq!(body["error"]["code"], "rate_limited");
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("requests_per_minute_per_token")
    );
    assert_eq!(
        app.call_as(&second, "GET", "/api/v1/channels", None)
            .await
            .0,
        200,
        "another token is not held back"
    );
    app.stop().await;
}
