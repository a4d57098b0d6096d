//! Sender profiles: set once, used by every email channel that names them or, as the
//! default, by those without sender fields of their own.

use serde_json::{Value, json};

use crate::helpers::*;

async fn resend_profile(app: &TestApp, from: &str, default: bool) -> String {
    let (status, p) = app
        .post(
            "/api/v1/profiles",
            json!({"name": "resend", "kind": "resend", "is_default": default,
            "settings": {"from": from, "api_base": app.receiver.url("")},
            "secrets": {"api_key": "re_profile_key"}}),
        )
        .await;
    assert_eq!(status, 201, "{p}");
    assert_eq!(p["secrets"], json!({"api_key": "set"}));
    p["id"].as_str().unwrap().to_owned()
}

fn sent_from(r: &Received) -> Value {
    r.json()["from"].clone()
}

#[tokio::test]
async fn a_channel_with_only_recipients_sends_with_the_default_profile() {
    let app = spawn_app().await;
    let profile = resend_profile(&app, "alerts@example.com", true).await;
    let channel = app
        .webhook_with(json!({"name": "ops mail", "kind": "resend", "settings": {"to": "ops@example.com"}, "events": ["*"]}))
        .await;
    let (_, ch) = app.get(&format!("/api/v1/channels/{channel}")).await;
    assert_eq!(
        ch["settings"],
        json!({"to": "ops@example.com"}),
        "the profile's fields are not copied into the channel"
    );

    app.emit(deploy_event()).await;
    let got = app.receiver.wait_for(1).await;
    assert_eq!(got[0].path, "/emails");
    assert_eq!(
        got[0].header("authorization"),
        Some("Bearer re_profile_key")
    );
    assert_eq!(sent_from(&got[0]), "\"Tocsin\" <alerts@example.com>");
    assert_eq!(got[0].json()["to"], json!(["ops@example.com"]));

    // Changing the profile changes every channel that uses it.
    let (status, _) = app
        .call(
            "PATCH",
            &format!("/api/v1/profiles/{profile}"),
            Some(json!({"settings": {"from": "noc@example.com"}})),
        )
        .await;
    assert_eq!(status, 200);
    app.emit(deploy_event()).await;
    let got = app.receiver.wait_for(2).await;
    assert_eq!(sent_from(&got[1]), "\"Tocsin\" <noc@example.com>");
    assert_eq!(
        got[1].header("authorization"),
        Some("Bearer re_profile_key"),
        "secrets left out are kept"
    );
    app.stop().await;
}

#[tokio::test]
async fn a_channel_names_its_profile_and_its_own_fields_win() {
    let app = spawn_app().await;
    resend_profile(&app, "default@example.com", true).await;
    let named = resend_profile(&app, "named@example.com", false).await;
    app.webhook_with(json!({"name": "a", "kind": "resend", "events": ["*"],
        "settings": {"to": "a@example.com", "profile": named}}))
        .await;
    app.webhook_with(json!({"name": "b", "kind": "resend", "events": ["*"],
        "settings": {"to": "b@example.com", "from": "own@example.com", "profile": named}}))
        .await;
    app.emit(deploy_event()).await;
    let got = app.receiver.wait_for(2).await;
    let mut froms: Vec<String> = got
        .iter()
        .map(|r| sent_from(r).as_str().unwrap().to_owned())
        .collect();
    froms.sort();
    assert_eq!(
        froms,
        [
            "\"Tocsin\" <named@example.com>",
            "\"Tocsin\" <own@example.com>"
        ]
    );
    app.stop().await;
}

#[tokio::test]
async fn a_profile_in_use_cannot_be_deleted_and_says_by_whom() {
    let app = spawn_app().await;
    let profile = resend_profile(&app, "alerts@example.com", false).await;
    let channel = app
        .webhook_with(json!({"name": "ops mail", "kind": "resend", "settings": {"to": "ops@example.com", "profile": profile}}))
        .await;
    let (status, err) = app
        .call("DELETE", &format!("/api/v1/profiles/{profile}"), None)
        .await;
    assert_eq!(status, 409, "{err}");
    let message = err["error"]["message"].as_str().unwrap();
    assert!(
        message.contains("ops mail") && message.contains(&channel),
        "{message}"
    );
    app.call("DELETE", &format!("/api/v1/channels/{channel}"), None)
        .await;
    let (status, _) = app
        .call("DELETE", &format!("/api/v1/profiles/{profile}"), None)
        .await;
    assert_eq!(status, 204);
    app.stop().await;
}

#[tokio::test]
async fn bad_profiles_and_channels_without_a_sender_are_refused() {
    let app = spawn_app().await;
    let cases = [
        (
            json!({"kind": "resend", "settings": {"from": "a@example.com"}, "secrets": {"api_key": "k"}}),
            "name",
        ),
        (
            json!({"name": "p", "kind": "slack", "settings": {}}),
            "kind",
        ),
        (
            json!({"name": "p", "kind": "resend", "settings": {"from": "a@example.com", "to": "x@example.com"}, "secrets": {"api_key": "k"}}),
            "settings.to",
        ),
        (
            json!({"name": "p", "kind": "resend", "settings": {"from": "not an address"}, "secrets": {"api_key": "k"}}),
            "settings.from",
        ),
        (
            json!({"name": "p", "kind": "resend", "settings": {"from": "a@example.com"}}),
            "secrets.api_key",
        ),
    ];
    for (body, field) in cases {
        let (status, err) = app.post("/api/v1/profiles", body.clone()).await;
        assert_eq!(status, 422, "{body}: {err}");
        assert_eq!(err["error"]["field"], field, "{body}: {err}");
    }
    let (_, list) = app.get("/api/v1/profiles").await;
    assert_eq!(list, json!([]));

    // No default profile: a channel with only recipients lacks its sender.
    let (status, err) = app
        .post(
            "/api/v1/channels",
            json!({"name": "m", "kind": "resend", "settings": {"to": "ops@example.com"}}),
        )
        .await;
    assert_eq!(status, 422, "{err}");
    let (status, err) = app
        .post(
            "/api/v1/channels",
            json!({"name": "m", "kind": "resend",
            "settings": {"to": "ops@example.com", "profile": "01JD0000000000000000000000"}}),
        )
        .await;
    assert_eq!(
        (status, err["error"]["field"].as_str()),
        (422, Some("settings.profile")),
        "{err}"
    );
    app.stop().await;
}

#[tokio::test]
async fn a_rule_overrides_an_email_channels_recipients() {
    let app = spawn_app().await;
    resend_profile(&app, "alerts@example.com", true).await;
    let mail = app
        .webhook_with(json!({"name": "mail", "kind": "resend", "settings": {"to": "ops@example.com"}, "events": ["deploy.*"]}))
        .await;
    let (status, rule) = app
        .post(
            "/api/v1/rules",
            json!({"name": "failures to on-call", "events": ["deploy.failure"],
            "channels": [mail], "recipients": "oncall@example.com, lead@example.com"}),
        )
        .await;
    assert_eq!(status, 201, "{rule}");
    assert_eq!(rule["recipients"], "oncall@example.com, lead@example.com");

    app.emit(json!({"type": "deploy.failure", "title": "failed"}))
        .await;
    let got = app.receiver.wait_for(1).await;
    assert_eq!(
        got[0].json()["to"],
        json!(["oncall@example.com", "lead@example.com"])
    );
    app.emit(json!({"type": "deploy.success", "title": "ok"}))
        .await;
    let got = app.receiver.wait_for(2).await;
    assert_eq!(
        got[1].json()["to"],
        json!(["ops@example.com"]),
        "other events keep the channel's own"
    );

    let hook = app.webhook("hook", &[]).await;
    let (status, err) = app
        .post(
            "/api/v1/rules",
            json!({"name": "r", "channels": [hook], "recipients": "x@example.com"}),
        )
        .await;
    assert_eq!(
        (status, err["error"]["field"].as_str()),
        (422, Some("recipients")),
        "{err}"
    );
    let (status, err) = app
        .post(
            "/api/v1/rules",
            json!({"name": "r", "channels": [mail], "recipients": "not an address"}),
        )
        .await;
    assert_eq!(
        (status, err["error"]["field"].as_str()),
        (422, Some("recipients")),
        "{err}"
    );
    app.stop().await;
}
