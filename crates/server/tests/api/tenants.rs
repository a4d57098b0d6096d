//! Tenants: a tenant-bound token sees and manages only its tenant's channels, rules,
//! deliveries and events; another tenant's are not found, and never named. A tenant's
//! channel receives only its customer's events; a channel's projects restrict it too.

use serde_json::{Value, json};

use crate::helpers::*;

const EVERYTHING: &[&str] = &[
    "channels:write",
    "rules:write",
    "events:write",
    "deliveries:write",
    "tokens:write",
];

fn hook(app: &TestApp, name: &str, events: &[&str]) -> Value {
    json!({"name": name, "kind": "webhook",
        "settings": {"url": app.receiver.url(&format!("/{name}"))}, "events": events})
}

fn event_of(customer: Option<&str>) -> Value {
    let mut e = deploy_event();
    if let Some(c) = customer {
        e["source"]["customer"] = json!(c);
    }
    e
}

/// Two tenants and a global channel: (acme's token, globex's channel id, globex's rule id).
async fn two_tenants(app: &TestApp) -> (String, String, String) {
    let acme = app.token(EVERYTHING, Some("acme")).await;
    let mut theirs = hook(app, "globex-secret-name", &["*"]);
    theirs["tenant"] = json!("globex");
    let globex_channel = app.webhook_with(theirs).await;
    let (status, rule) = app
        .post(
            "/api/v1/rules",
            json!({"name": "globex-rule", "channels": [globex_channel], "tenant": "globex"}),
        )
        .await;
    assert_eq!(status, 201, "{rule}");
    assert_eq!(rule["tenant"], "globex");
    app.webhook("global-ops", &["deploy.*"]).await;
    (
        acme,
        globex_channel,
        rule["id"].as_str().unwrap().to_owned(),
    )
}

fn leaks(body: &Value, ids: &[&str]) -> bool {
    let text = body.to_string();
    text.contains("globex") || ids.iter().any(|id| text.contains(id))
}

#[tokio::test]
async fn a_tenant_cannot_see_or_touch_another_tenants_channels_and_rules() {
    let app = spawn_app().await;
    let (acme, channel, rule) = two_tenants(&app).await;
    let ids = [channel.as_str(), rule.as_str()];

    let (status, list) = app.call_as(&acme, "GET", "/api/v1/channels", None).await;
    assert_eq!(
        (status, list.clone()),
        (200, json!([])),
        "not even the global one"
    );
    let (_, list) = app.call_as(&acme, "GET", "/api/v1/rules", None).await;
    assert_eq!(list, json!([]));

    for (method, path, body) in [
        ("GET", format!("/api/v1/channels/{channel}"), None),
        (
            "PATCH",
            format!("/api/v1/channels/{channel}"),
            Some(json!({"name": "mine now"})),
        ),
        ("POST", format!("/api/v1/channels/{channel}/test"), None),
        (
            "GET",
            format!("/api/v1/channels/{channel}/deliveries"),
            None,
        ),
        ("DELETE", format!("/api/v1/channels/{channel}"), None),
        ("GET", format!("/api/v1/rules/{rule}"), None),
        (
            "PATCH",
            format!("/api/v1/rules/{rule}"),
            Some(json!({"name": "mine now"})),
        ),
        ("DELETE", format!("/api/v1/rules/{rule}"), None),
    ] {
        let (status, err) = app.call_as(&acme, method, &path, body).await;
        assert_eq!(status, 404, "{method} {path}: {err}");
        assert!(!leaks(&err, &ids), "{method} {path}: {err}");
    }
    // A rule of acme cannot name globex's channel: it does not exist for acme.
    let (status, err) = app
        .call_as(
            &acme,
            "POST",
            "/api/v1/rules",
            Some(json!({"name": "steal", "channels": [channel]})),
        )
        .await;
    assert_eq!(status, 422, "{err}");
    assert_eq!(
        err["error"]["message"],
        "channels: names a channel that does not exist"
    );
    // Nothing changed.
    let (_, theirs) = app.get(&format!("/api/v1/channels/{channel}")).await;
    assert_eq!(theirs["name"], "globex-secret-name");
    assert_eq!(app.get(&format!("/api/v1/rules/{rule}")).await.0, 200);
    assert!(app.receiver.received().is_empty(), "no test was sent");

    // What acme creates is acme's, and only acme's.
    let (status, mine) = app
        .call_as(
            &acme,
            "POST",
            "/api/v1/channels",
            Some(hook(&app, "acme-ops", &["*"])),
        )
        .await;
    assert_eq!(status, 201, "{mine}");
    assert_eq!(mine["tenant"], "acme");
    let mine = mine["id"].as_str().unwrap().to_owned();
    let (status, err) = app
        .call_as(
            &acme,
            "PATCH",
            &format!("/api/v1/channels/{mine}"),
            Some(json!({"tenant": "globex"})),
        )
        .await;
    assert_eq!(status, 422, "{err}");
    let (status, err) = app
        .call_as(
            &acme,
            "POST",
            "/api/v1/channels",
            Some(json!({"name": "x", "kind": "webhook", "tenant": "globex",
                "settings": {"url": app.receiver.url("/x")}})),
        )
        .await;
    assert_eq!(status, 422, "{err}");
    let (status, rule) = app
        .call_as(
            &acme,
            "POST",
            "/api/v1/rules",
            Some(json!({"name": "acme rule", "channels": [mine]})),
        )
        .await;
    assert_eq!(status, 201, "{rule}");
    assert_eq!(rule["tenant"], "acme");
    // The admin cannot make a rule of one tenant route to another's channel either.
    let (status, err) = app
        .post(
            "/api/v1/rules",
            json!({"name": "mixed", "channels": [mine], "tenant": "globex"}),
        )
        .await;
    assert_eq!(status, 422, "{err}");

    let (_, list) = app.call_as(&acme, "GET", "/api/v1/channels", None).await;
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert!(!leaks(&list, &ids), "{list}");
    // The admin sees everything.
    let (_, all) = app.get("/api/v1/channels").await;
    assert_eq!(all.as_array().unwrap().len(), 3);
    app.stop().await;
}

#[tokio::test]
async fn a_tenants_channel_receives_only_events_of_its_customer() {
    let app = spawn_app().await;
    let acme = app.token(EVERYTHING, Some("acme")).await;
    let (status, _) = app
        .call_as(
            &acme,
            "POST",
            "/api/v1/channels",
            Some(hook(&app, "acme", &["deploy.*"])),
        )
        .await;
    assert_eq!(status, 201);

    let other = app.emit(event_of(Some("globex"))).await;
    assert_eq!(other["deliveries"], 0);
    let none = app.emit(event_of(None)).await;
    assert_eq!(none["deliveries"], 0);
    let ours = app.emit(event_of(Some("acme"))).await;
    assert_eq!(ours["deliveries"], 1);

    // acme's own events are acme's: the customer is set, another is refused.
    let (status, err) = app
        .call_as(
            &acme,
            "POST",
            "/api/v1/events",
            Some(event_of(Some("globex"))),
        )
        .await;
    assert_eq!(status, 422, "{err}");
    assert_eq!(err["error"]["field"], "source.customer");
    let (status, posted) = app
        .call_as(&acme, "POST", "/api/v1/events", Some(event_of(None)))
        .await;
    assert_eq!(status, 202, "{posted}");
    assert_eq!(posted["deliveries"], 1);
    let (_, stored) = app
        .get(&format!(
            "/api/v1/events/{}",
            posted["id"].as_str().unwrap()
        ))
        .await;
    assert_eq!(stored["source"]["customer"], "acme");
    let got = app.receiver.wait_for(2).await;
    assert!(got.iter().all(|r| r.path == "/acme"));
    app.stop().await;
}

#[tokio::test]
async fn a_tenant_reads_only_its_own_deliveries_and_events() {
    let app = spawn_app().await;
    let (acme, channel, _) = two_tenants(&app).await;
    let (_, mine) = app
        .call_as(
            &acme,
            "POST",
            "/api/v1/channels",
            Some(hook(&app, "acme", &["*"])),
        )
        .await;
    let mine = mine["id"].as_str().unwrap().to_owned();
    let theirs = app.emit(event_of(Some("globex"))).await;
    let ours = app.emit(event_of(Some("acme"))).await;
    let their_event = theirs["id"].as_str().unwrap().to_owned();
    let their_delivery = app
        .get(&format!("/api/v1/channels/{channel}/deliveries"))
        .await
        .1[0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let ids = [
        channel.as_str(),
        their_event.as_str(),
        their_delivery.as_str(),
    ];

    let (_, deliveries) = app.call_as(&acme, "GET", "/api/v1/deliveries", None).await;
    let list = deliveries.as_array().unwrap();
    assert_eq!(list.len(), 1, "{deliveries}");
    assert_eq!(list[0]["channel_id"], mine.as_str());
    let (_, filtered) = app
        .call_as(
            &acme,
            "GET",
            &format!("/api/v1/deliveries?channel={channel}"),
            None,
        )
        .await;
    assert_eq!(filtered, json!([]));
    let (_, events) = app.call_as(&acme, "GET", "/api/v1/events", None).await;
    let listed: Vec<&str> = events
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_str().unwrap())
        .collect();
    assert_eq!(listed, [ours["id"].as_str().unwrap()]);
    assert!(!leaks(&events, &ids));
    // The acme event went to the global channel too: acme sees only its own delivery.
    let (_, event) = app
        .call_as(
            &acme,
            "GET",
            &format!("/api/v1/events/{}", ours["id"].as_str().unwrap()),
            None,
        )
        .await;
    let shown: Vec<&str> = event["deliveries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["channel_id"].as_str().unwrap())
        .collect();
    assert_eq!(shown, [mine.as_str()], "{event}");

    for (method, path) in [
        ("GET", format!("/api/v1/events/{their_event}")),
        ("GET", format!("/api/v1/deliveries/{their_delivery}")),
        ("POST", format!("/api/v1/deliveries/{their_delivery}/retry")),
    ] {
        let (status, err) = app.call_as(&acme, method, &path, None).await;
        assert_eq!(status, 404, "{method} {path}: {err}");
        assert!(!leaks(&err, &ids), "{err}");
    }
    let (_, states) = app.call_as(&acme, "GET", "/api/v1/states", None).await;
    assert_eq!(states, json!([]));
    app.stop().await;
}

#[tokio::test]
async fn a_project_restricted_channel_takes_only_its_projects_and_explain_says_why() {
    let app = spawn_app().await;
    let mut body = hook(&app, "shop-only", &["deploy.*"]);
    body["projects"] = json!(["shop", "wiki"]);
    let (status, channel) = app.post("/api/v1/channels", body).await;
    assert_eq!(status, 201, "{channel}");
    assert_eq!(channel["projects"], json!(["shop", "wiki"]));
    let mut blog = deploy_event();
    blog["source"]["project"] = json!("blog");
    assert_eq!(app.emit(blog.clone()).await["deliveries"], 0);
    assert_eq!(
        app.emit(deploy_event()).await["deliveries"],
        1,
        "project shop"
    );

    let (status, why) = app.post("/api/v1/rules/explain", blog).await;
    assert_eq!(status, 200, "{why}");
    assert_eq!(why["channels"], json!([]));
    assert_eq!(
        why["skipped_channels"][0]["reason"],
        "the channel takes only projects shop, wiki, the event's project is blog"
    );
    let (status, err) = app
        .post(
            "/api/v1/channels",
            json!({"name": "x", "kind": "webhook", "projects": [""],
                "settings": {"url": app.receiver.url("/x")}}),
        )
        .await;
    assert_eq!(status, 422);
    assert_eq!(err["error"]["field"], "projects[0]");
    app.stop().await;
}

#[tokio::test]
async fn explain_names_the_tenant_of_a_channel_that_does_not_take_an_event() {
    let app = spawn_app().await;
    let mut body = hook(&app, "acme", &["deploy.*"]);
    body["tenant"] = json!("acme");
    app.webhook_with(body).await;
    let (_, why) = app
        .post("/api/v1/rules/explain", event_of(Some("globex")))
        .await;
    assert_eq!(
        why["skipped_channels"][0]["reason"],
        "the channel belongs to tenant acme, the event's customer is globex"
    );
    // A tenant explains as its own events: its channel takes it.
    let acme = app.token(&["rules:read"], Some("acme")).await;
    let (status, why) = app
        .call_as(&acme, "POST", "/api/v1/rules/explain", Some(event_of(None)))
        .await;
    assert_eq!(status, 200, "{why}");
    assert_eq!(why["channels"][0]["name"], "acme");
    app.stop().await;
}

#[tokio::test]
async fn a_tenants_alertmanager_payload_becomes_its_events() {
    let app = spawn_app().await;
    let acme = app.token(EVERYTHING, Some("acme")).await;
    let (status, _) = app
        .call_as(
            &acme,
            "POST",
            "/api/v1/channels",
            Some(hook(&app, "acme", &["alertmanager.*"])),
        )
        .await;
    assert_eq!(status, 201);
    let alert = |labels: Value| {
        json!({"version": "4", "status": "firing", "receiver": "tocsin", "groupKey": "g",
            "alerts": [{"status": "firing", "labels": labels, "annotations": {},
                "startsAt": "2026-11-23T10:00:00Z", "endsAt": "0001-01-01T00:00:00Z",
                "fingerprint": "f1"}]})
    };
    let (status, err) = app
        .call_as(
            &acme,
            "POST",
            "/api/v1/ingest/alertmanager",
            Some(alert(
                json!({"alertname": "DiskFull", "customer": "globex"}),
            )),
        )
        .await;
    assert_eq!(status, 422, "{err}");
    assert_eq!(err["error"]["field"], "alerts[0].labels.customer");
    let (status, ok) = app
        .call_as(
            &acme,
            "POST",
            "/api/v1/ingest/alertmanager",
            Some(alert(json!({"alertname": "DiskFull"}))),
        )
        .await;
    assert_eq!(status, 202, "{ok}");
    assert_eq!(ok["deliveries"], 1);
    let got = app.receiver.wait_for(1).await;
    assert_eq!(got[0].path, "/acme");
    app.stop().await;
}
