use serde_json::json;

use crate::helpers::*;

#[tokio::test]
async fn every_api_route_needs_a_valid_bearer_token() {
    let app = spawn_app().await;
    for (method, path) in [
        ("GET", "/api/v1/channels"),
        ("POST", "/api/v1/events"),
        ("GET", "/api/v1/deliveries"),
    ] {
        let url = format!("{}{path}", app.base);
        let r = app
            .client
            .request(method.parse().unwrap(), &url)
            .json(&json!({}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 401, "{method} {path}");
        assert_eq!(r.headers()["www-authenticate"], "Bearer");
        let body: serde_json::Value = r.json().await.unwrap();
        assert_eq!(body["error"]["code"], "unauthorized");
        let r = app
            .client
            .request(method.parse().unwrap(), &url)
            .bearer_auth("wrong")
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 401);
    }
    let (_, events) = app.get("/api/v1/events").await;
    assert_eq!(events, json!([]), "nothing was accepted without a token");
    app.stop().await;
}

#[tokio::test]
async fn the_first_start_creates_an_admin_token_once() {
    let app = spawn_app_with(|c| c.admin_token = None).await;
    let token = app.first_admin_token.clone().expect("a token is created");
    assert!(token.starts_with("tsn_"));
    let r = app
        .client
        .get(format!("{}/api/v1/channels", app.base))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let again = tocsin_server::service::tokens::bootstrap_admin(&app.app_state)
        .await
        .unwrap();
    assert_eq!(again, None, "a second start creates no token");
    let stored = app.app_state.store.count_tokens().await.unwrap();
    assert_eq!(stored, 1);
    app.stop().await;
}
