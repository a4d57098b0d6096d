//! Scopes: for every scope, a request it allows and one it refuses with 403 naming the
//! scope needed; a refused request changes nothing.

use serde_json::{Value, json};

use crate::helpers::*;

struct Case {
    scope: &'static str,
    allowed: (&'static str, String, Option<Value>, u16),
    refused: (&'static str, String, Option<Value>, &'static str),
}

#[tokio::test]
async fn every_scope_allows_its_requests_and_refuses_others_naming_the_scope() {
    let app = spawn_app().await;
    let channel = app.webhook("ops", &["deploy.*"]).await;
    let event = app.emit(deploy_event()).await;
    let delivery = app.only_delivery_of(event["id"].as_str().unwrap()).await;
    let hook = |name: &str| {
        json!({"name": name, "kind": "webhook",
            "settings": {"url": app.receiver.url("/x")}, "events": []})
    };
    let cases = [
        Case {
            scope: "channels:read",
            allowed: ("GET", format!("/api/v1/channels/{channel}"), None, 200),
            refused: (
                "POST",
                "/api/v1/channels".into(),
                Some(hook("no")),
                "channels:write",
            ),
        },
        Case {
            scope: "channels:write",
            allowed: ("POST", "/api/v1/channels".into(), Some(hook("yes")), 201),
            refused: ("GET", "/api/v1/rules".into(), None, "rules:read"),
        },
        Case {
            scope: "rules:read",
            allowed: ("GET", "/api/v1/rules".into(), None, 200),
            refused: (
                "POST",
                "/api/v1/rules".into(),
                Some(json!({"name": "no", "channels": [channel]})),
                "rules:write",
            ),
        },
        Case {
            scope: "rules:write",
            allowed: (
                "POST",
                "/api/v1/rules".into(),
                Some(json!({"name": "yes", "channels": [channel]})),
                201,
            ),
            refused: (
                "DELETE",
                format!("/api/v1/channels/{channel}"),
                None,
                "channels:write",
            ),
        },
        Case {
            scope: "events:write",
            allowed: ("POST", "/api/v1/events".into(), Some(deploy_event()), 202),
            refused: ("GET", "/api/v1/events".into(), None, "deliveries:read"),
        },
        Case {
            scope: "deliveries:read",
            allowed: ("GET", format!("/api/v1/deliveries/{delivery}"), None, 200),
            refused: (
                "POST",
                format!("/api/v1/deliveries/{delivery}/retry"),
                None,
                "deliveries:write",
            ),
        },
        Case {
            scope: "deliveries:write",
            // Past the scope check: the delivery has not failed, so it is not retried.
            allowed: (
                "POST",
                format!("/api/v1/deliveries/{delivery}/retry"),
                None,
                409,
            ),
            refused: (
                "POST",
                "/api/v1/events".into(),
                Some(deploy_event()),
                "events:write",
            ),
        },
        Case {
            scope: "tokens:write",
            allowed: ("GET", "/api/v1/tokens".into(), None, 200),
            refused: ("GET", "/api/v1/profiles".into(), None, "admin"),
        },
        Case {
            scope: "admin",
            allowed: ("GET", "/api/v1/metrics-tokens".into(), None, 200),
            // Nothing is refused to an admin; a tenant-bound token never is one.
            refused: (
                "POST",
                "/api/v1/mute-windows".into(),
                Some(json!({"name": "n", "time_zone": "UTC",
                    "intervals": [{"days": ["mon"], "start": "22:00", "end": "07:00"}]})),
                "admin",
            ),
        },
    ];
    for case in cases {
        let token = app.token(&[case.scope], None).await;
        let (method, path, body, status) = case.allowed;
        let (got, answer) = app.call_as(&token, method, &path, body).await;
        assert_eq!(got, status, "{}: {method} {path}: {answer}", case.scope);

        let (method, path, body, needed) = case.refused;
        let token = if case.scope == "admin" {
            // An admin is refused nothing: check the refusal with a token lacking it.
            app.token(&["rules:write"], None).await
        } else {
            token
        };
        let (_, before_events) = app.get("/api/v1/events").await;
        let (_, before_channels) = app.get("/api/v1/channels").await;
        let (got, err) = app.call_as(&token, method, &path, body).await;
        assert_eq!(got, 403, "{}: {method} {path}: {err}", case.scope);
        assert_eq!(err["error"]["code"], "forbidden");
        let message = err["error"]["message"].as_str().unwrap();
        assert!(
            message.contains(&format!("`{needed}`")),
            "{}: {message}",
            case.scope
        );
        assert_eq!(app.get("/api/v1/events").await.1, before_events);
        assert_eq!(app.get("/api/v1/channels").await.1, before_channels);
    }
    app.stop().await;
}

#[tokio::test]
async fn server_wide_settings_need_admin() {
    let app = spawn_app().await;
    let all_but_admin = app
        .token(
            &[
                "channels:write",
                "rules:write",
                "events:write",
                "deliveries:write",
                "tokens:write",
            ],
            None,
        )
        .await;
    for (method, path, body) in [
        ("GET", "/api/v1/profiles", None),
        (
            "POST",
            "/api/v1/profiles",
            Some(json!({"name": "p", "kind": "email", "settings": {}})),
        ),
        ("GET", "/api/v1/metrics-tokens", None),
        (
            "POST",
            "/api/v1/metrics-tokens",
            Some(json!({"server": "web-1"})),
        ),
        (
            "POST",
            "/api/v1/mute-windows",
            Some(json!({"name": "n", "time_zone": "UTC", "intervals": []})),
        ),
        ("GET", "/api/v1/audit", None),
    ] {
        let (status, err) = app.call_as(&all_but_admin, method, path, body).await;
        assert_eq!(status, 403, "{method} {path}: {err}");
        assert!(
            err["error"]["message"]
                .as_str()
                .unwrap()
                .contains("`admin`")
        );
    }
    // Reading mute windows is part of reading rules.
    let (status, _) = app
        .call_as(&all_but_admin, "GET", "/api/v1/mute-windows", None)
        .await;
    assert_eq!(status, 200);
    app.stop().await;
}
