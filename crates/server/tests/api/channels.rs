use serde_json::json;

use crate::helpers::*;

#[tokio::test]
async fn creates_a_webhook_channel_and_never_echoes_its_secret() {
    let app = spawn_app().await;
    let secret = "whsec_c2VjcmV0LWtleS1mb3ItdGVzdHMtMDEyMzQ1Njc4OQ==";
    let (status, ch) = app
        .post(
            "/api/v1/channels",
            json!({"name": "ops", "kind": "webhook",
            "settings": {"url": app.receiver.url("/hook")}, "secrets": {"signing_secret": secret},
            "events": ["deploy.*"], "match": {"environment": "production"}}),
        )
        .await;
    assert_eq!(status, 201, "{ch}");
    assert!(!ch.to_string().contains(secret));
    assert_eq!(
        ch["secrets"],
        json!({"signing_secret": "set", "url": "set"})
    );
    assert_eq!(ch["kind"], "webhook");
    assert_eq!(ch["enabled"], true);
    assert_eq!(ch["settings"]["method"], "POST");
    assert_eq!(ch["events"], json!(["deploy.*"]));
    assert_eq!(ch["match"], json!({"environment": "production"}));
    assert_eq!(ch["retry_schedule"], json!(["0s", "30s", "2m", "5m"]));
    assert!(
        ch.get("signing_secret").is_none(),
        "a given secret is not shown back"
    );
    let (_, fetched) = app
        .get(&format!("/api/v1/channels/{}", ch["id"].as_str().unwrap()))
        .await;
    assert_eq!(
        fetched["secrets"],
        json!({"signing_secret": "set", "url": "set"})
    );
    assert!(!fetched.to_string().contains(secret));
    app.stop().await;
}

#[tokio::test]
async fn a_webhooks_url_token_and_header_values_are_write_only() {
    let app = spawn_app().await;
    let token = "urlTokenValue0123456789";
    let bearer = "Bearer headerTokenValue0123456789";
    let (status, ch) = app
        .post(
            "/api/v1/channels",
            json!({"name": "hook", "kind": "webhook", "events": ["*"],
            "settings": {"url": app.receiver.url(&format!("/hook?token={token}")),
                "headers": {"Authorization": bearer, "X-Team": "ops"}}}),
        )
        .await;
    assert_eq!(status, 201, "{ch}");
    let id = ch["id"].as_str().unwrap().to_owned();
    assert_eq!(ch["settings"]["url"], app.receiver.url("/hook?token=***"));
    assert_eq!(
        ch["settings"]["headers"],
        json!({"Authorization": "set", "X-Team": "set"})
    );
    assert_eq!(ch["secrets"]["url"], "set");
    assert_eq!(ch["secrets"]["headers"], "set");
    let (_, fetched) = app.get(&format!("/api/v1/channels/{id}")).await;
    let (_, listed) = app.get("/api/v1/channels").await;
    for shown in [&ch, &fetched, &listed] {
        let text = shown.to_string();
        assert!(
            !text.contains(token) && !text.contains("headerTokenValue"),
            "{text}"
        );
    }

    // An update that changes something else keeps them; "set" keeps one header, a new
    // value replaces another, a header left out goes.
    let (status, updated) = app
        .call(
            "PATCH",
            &format!("/api/v1/channels/{id}"),
            Some(json!({"name": "renamed"})),
        )
        .await;
    assert_eq!(status, 200, "{updated}");
    app.emit(json!({"type": "a.b", "title": "t"})).await;
    let got = app.receiver.wait_for(1).await;
    assert_eq!(got[0].path, format!("/hook?token={token}"));
    assert_eq!(got[0].header("authorization"), Some(bearer));
    assert_eq!(got[0].header("x-team"), Some("ops"));
    let (status, updated) = app
        .call(
            "PATCH",
            &format!("/api/v1/channels/{id}"),
            Some(json!({"settings": {"url": fetched["settings"]["url"],
                "headers": {"Authorization": "set", "X-Api-Key": "newKeyValue0123"}}})),
        )
        .await;
    assert_eq!(status, 200, "{updated}");
    assert_eq!(
        updated["settings"]["headers"],
        json!({"Authorization": "set", "X-Api-Key": "set"})
    );
    assert!(!updated.to_string().contains("newKeyValue0123"));
    app.emit(json!({"type": "a.b", "title": "t"})).await;
    let got = app.receiver.wait_for(2).await;
    assert_eq!(got[1].path, format!("/hook?token={token}"));
    assert_eq!(got[1].header("authorization"), Some(bearer));
    assert_eq!(got[1].header("x-api-key"), Some("newKeyValue0123"));
    assert_eq!(got[1].header("x-team"), None);

    // Credentials in the URL itself are refused, without echoing them.
    let (status, err) = app
        .post(
            "/api/v1/channels",
            json!({"name": "creds", "kind": "webhook",
            "settings": {"url": format!("http://ops:pwValue0123@{}/hook", app.receiver.addr)}}),
        )
        .await;
    assert_eq!(status, 422, "{err}");
    assert!(!err.to_string().contains("pwValue0123"), "{err}");
    // So are they in the base URLs of other kinds, which are not secret.
    let (status, err) = app
        .post(
            "/api/v1/channels",
            json!({"name": "creds", "kind": "telegram",
            "settings": {"api_base": format!("http://ops:pwValue0123@{}", app.receiver.addr),
                "chat_id": "-100123"},
            "secrets": {"bot_token": "123456789:AAE-token"}}),
        )
        .await;
    assert_eq!(status, 422, "{err}");
    assert!(!err.to_string().contains("pwValue0123"), "{err}");
    app.stop().await;
}

#[tokio::test]
async fn a_generated_signing_secret_is_shown_once() {
    let app = spawn_app().await;
    let (_, ch) = app
        .post(
            "/api/v1/channels",
            json!({"name": "ops", "kind": "webhook",
            "settings": {"url": app.receiver.url("/hook")}}),
        )
        .await;
    let shown = ch["signing_secret"].as_str().unwrap();
    assert!(shown.starts_with("whsec_"));
    let (_, fetched) = app
        .get(&format!("/api/v1/channels/{}", ch["id"].as_str().unwrap()))
        .await;
    assert!(!fetched.to_string().contains(shown));
    app.stop().await;
}

#[tokio::test]
async fn creates_a_channel_from_an_apprise_style_url() {
    let app = spawn_app().await;
    let url = format!(
        "json://{}/hooks/in?+X-Team=ops&method=put",
        app.receiver.addr
    );
    let (status, ch) = app
        .post(
            "/api/v1/channels",
            json!({"name": "u", "url": url, "events": ["*"]}),
        )
        .await;
    assert_eq!(status, 201, "{ch}");
    assert_eq!(ch["kind"], "webhook");
    assert_eq!(ch["settings"]["url"], app.receiver.url("/hooks/in"));
    assert_eq!(ch["settings"]["method"], "PUT");
    assert_eq!(ch["settings"]["headers"], json!({"X-Team": "set"}));
    assert_eq!(
        ch["url"],
        format!(
            "json://{}/hooks/in?method=PUT&+X-Team=***",
            app.receiver.addr
        )
    );
    app.emit(json!({"type": "a.b", "title": "t"})).await;
    let got = app.receiver.wait_for(1).await;
    assert_eq!(got[0].method, "PUT");
    assert_eq!(got[0].path, "/hooks/in");
    assert_eq!(got[0].header("x-team"), Some("ops"));
    app.stop().await;
}

#[tokio::test]
async fn bad_channels_are_refused_with_the_field_to_fix_and_nothing_is_saved() {
    let app = spawn_app().await;
    let url = app.receiver.url("/hook");
    let cases = [
        (json!({"kind": "webhook", "settings": {"url": url}}), "name"),
        (
            json!({"name": "x", "kind": "carrier-pigeon", "settings": {}}),
            "kind",
        ),
        (json!({"name": "x", "settings": {"url": url}}), "kind"),
        (
            json!({"name": "x", "kind": "webhook", "settings": {}}),
            "settings.url",
        ),
        (
            json!({"name": "x", "kind": "webhook", "settings": {"url": "ftp://x/y"}}),
            "settings.url",
        ),
        (
            json!({"name": "x", "kind": "webhook", "settings": {"url": url, "colour": 1}}),
            "settings.colour",
        ),
        (
            json!({"name": "x", "kind": "webhook", "settings": {"url": url, "signing_secret": "whsec_x"}}),
            "settings.signing_secret",
        ),
        (
            json!({"name": "x", "kind": "webhook", "settings": {"url": url}, "secrets": {"signing_secret": "nope"}}),
            "secrets.signing_secret",
        ),
        (
            json!({"name": "x", "kind": "webhook", "settings": {"url": url, "method": "GET"}}),
            "settings.method",
        ),
        (
            json!({"name": "x", "kind": "webhook", "settings": {"url": url, "headers": {"Host": "evil"}}}),
            "settings.headers.Host",
        ),
        (
            json!({"name": "x", "kind": "webhook", "settings": {"url": url, "template": "{\"a\": {{ title }"}}),
            "settings.template",
        ),
        (
            json!({"name": "x", "kind": "webhook", "settings": {"url": url, "template": "{\"a\": {{ title }}}"}}),
            "settings.template",
        ),
        (
            json!({"name": "x", "kind": "webhook", "settings": {"url": url}, "events": ["deploy success"]}),
            "events[0]",
        ),
        (
            json!({"name": "x", "kind": "webhook", "settings": {"url": url}, "matchers": ["app=~("]}),
            "matchers[0]",
        ),
        (
            json!({"name": "x", "kind": "webhook", "settings": {"url": url}, "retry_schedule": ["soon"]}),
            "retry_schedule",
        ),
        (json!({"name": "x", "url": "carrier://pigeon"}), "url"),
    ];
    for (body, field) in cases {
        let (status, err) = app.post("/api/v1/channels", body.clone()).await;
        assert_eq!(status, 422, "{body}: {err}");
        assert_eq!(err["error"]["field"], field, "{body}: {err}");
    }
    let (_, list) = app.get("/api/v1/channels").await;
    assert_eq!(list, json!([]));
    app.stop().await;
}

#[tokio::test]
async fn patch_changes_what_is_given_and_keeps_secrets() {
    let app = spawn_app().await;
    let secret = "whsec_c2VjcmV0LWtleS1mb3ItdGVzdHMtMDEyMzQ1Njc4OQ==";
    let id = app
        .webhook_with(
            json!({"name": "ops", "kind": "webhook", "settings": {"url": app.receiver.url("/a")},
            "secrets": {"signing_secret": secret}, "events": ["deploy.*"]}),
        )
        .await;
    let path = format!("/api/v1/channels/{id}");
    let (status, ch) = app
        .call(
            "PATCH",
            &path,
            Some(
                json!({"name": "ops-2", "settings": {"url": app.receiver.url("/b")},
            "retry_schedule": ["0s", "10s"]}),
            ),
        )
        .await;
    assert_eq!(status, 200, "{ch}");
    assert_eq!(ch["name"], "ops-2");
    assert_eq!(ch["events"], json!(["deploy.*"]));
    assert_eq!(ch["retry_schedule"], json!(["0s", "10s"]));
    let stored = app
        .app_state
        .store
        .get_channel(id.parse().unwrap())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.config.secrets.expose("signing_secret"), Some(secret));

    let (_, ch) = app
        .call(
            "PATCH",
            &path,
            Some(json!({"events": null, "retry_schedule": null})),
        )
        .await;
    assert_eq!(ch["events"], json!(null));
    assert_eq!(ch["retry_schedule"], json!(["0s", "30s", "2m", "5m"]));
    let accepted = app.emit(deploy_event()).await;
    assert_eq!(accepted["deliveries"], 0, "the subscription was removed");

    let (status, err) = app
        .call("PATCH", &path, Some(json!({"kind": "slack"})))
        .await;
    assert_eq!(status, 422, "{err}");
    let (status, err) = app
        .call("PATCH", &path, Some(json!({"settings": {"url": null}})))
        .await;
    assert_eq!(
        (status, err["error"]["field"].as_str()),
        (422, Some("settings.url"))
    );
    app.stop().await;
}

#[tokio::test]
async fn delete_removes_the_channel_and_its_subscription() {
    let app = spawn_app().await;
    let id = app.webhook("ops", &["*"]).await;
    let (status, _) = app
        .call("DELETE", &format!("/api/v1/channels/{id}"), None)
        .await;
    assert_eq!(status, 204);
    let (status, _) = app.get(&format!("/api/v1/channels/{id}")).await;
    assert_eq!(status, 404);
    let (status, _) = app
        .call("DELETE", &format!("/api/v1/channels/{id}"), None)
        .await;
    assert_eq!(status, 404);
    assert_eq!(app.emit(deploy_event()).await["deliveries"], 0);
    app.stop().await;
}

#[tokio::test]
async fn test_send_reports_success_and_the_receivers_own_error() {
    let app = spawn_app().await;
    let body =
        json!({"name": "t", "kind": "webhook", "settings": {"url": app.receiver.url("/probe")}});
    let (status, result) = app.post("/api/v1/channels/test", body.clone()).await;
    assert_eq!(status, 200);
    assert_eq!(result["ok"], true);
    assert_eq!(result["status"], 200);
    assert_eq!(result["error"], json!(null));
    let sent = app.receiver.received();
    assert_eq!(sent[0].json()["event"], "notification.test");

    app.receiver
        .script([Reply::Status(500, "database is on fire")]);
    let (_, result) = app.post("/api/v1/channels/test", body).await;
    assert_eq!(result["ok"], false);
    assert_eq!(result["status"], 500);
    assert_eq!(result["error"], "HTTP 500: database is on fire");
    assert!(result["duration_ms"].is_u64());
    let (_, list) = app.get("/api/v1/channels").await;
    assert_eq!(list, json!([]), "a test send saves nothing");

    let id = app.webhook("saved", &[]).await;
    let (_, result) = app
        .post(&format!("/api/v1/channels/{id}/test"), json!({}))
        .await;
    assert_eq!(result["ok"], true, "{result}");
    app.stop().await;
}

#[tokio::test]
async fn test_send_to_a_private_address_is_refused_without_the_allow_list() {
    // The receiver is on loopback: reachable only if the guard failed, and harmless then.
    let app = spawn_app_with(|c| c.allow_private.clear()).await;
    let body =
        json!({"name": "t", "kind": "webhook", "settings": {"url": app.receiver.url("/probe")}});
    let (_, result) = app.post("/api/v1/channels/test", body).await;
    assert_eq!(result["ok"], false);
    assert_eq!(result["status"], json!(null));
    let error = result["error"].as_str().unwrap();
    assert!(
        error.contains("refused") && error.contains("loopback"),
        "{error}"
    );
    assert!(app.receiver.received().is_empty());
    app.stop().await;
}

#[tokio::test]
async fn lists_kinds_with_their_field_schema() {
    let app = spawn_app().await;
    let (status, kinds) = app.get("/api/v1/kinds").await;
    assert_eq!(status, 200);
    let webhook = kinds
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["kind"] == "webhook")
        .unwrap();
    let url = webhook["fields"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["name"] == "url")
        .unwrap();
    assert_eq!(url["required"], true);
    assert_eq!(url["type"], "url");
    let secret = webhook["fields"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["name"] == "signing_secret")
        .unwrap();
    assert_eq!(secret["secret"], true);
    app.stop().await;
}
