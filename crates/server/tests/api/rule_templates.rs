//! A rule's `template` replaces the template of the webhook channels it routes to, for the
//! events it takes; other events keep the channel's own.

use serde_json::json;

use crate::helpers::*;

#[tokio::test]
async fn a_rules_template_shapes_only_the_events_it_takes() {
    let app = spawn_app().await;
    let ch = app.webhook("hook", &["deploy.success"]).await;
    let (status, r) = app
        .post(
            "/api/v1/rules",
            json!({"name": "failures as text", "events": ["deploy.failure"], "channels": [ch],
                "template": "{\"text\": \"${title} on ${source.application}\"}"}),
        )
        .await;
    assert_eq!(status, 201, "{r}");
    assert!(r["template"].as_str().unwrap().contains("${title}"));

    let mut failure = deploy_event();
    failure["type"] = json!("deploy.failure");
    failure["title"] = json!("Deploy Failure");
    let failed = app.emit(failure).await;
    let got = app.receiver.wait_for(1).await;
    assert_eq!(got[0].json(), json!({"text": "Deploy Failure on my-app"}));
    let (_, event) = app
        .get(&format!(
            "/api/v1/events/{}",
            failed["id"].as_str().unwrap()
        ))
        .await;
    assert!(event["deliveries"][0]["template"].is_string(), "{event}");

    // The channel's own rule takes deploy.success: the channel's own (generic) template.
    app.emit(deploy_event()).await;
    let got = app.receiver.wait_for(2).await;
    let body = got[1].json();
    assert_eq!(body["title"], "Deploy Success", "{body}");
    assert_eq!(body["event"], "deploy.success", "{body}");

    // A preset name works too.
    let (status, _) = app
        .call(
            "PATCH",
            &format!("/api/v1/rules/{}", r["id"].as_str().unwrap()),
            Some(json!({"template": "slack"})),
        )
        .await;
    assert_eq!(status, 200);
    let mut failure = deploy_event();
    failure["type"] = json!("deploy.failure");
    app.emit(failure).await;
    let got = app.receiver.wait_for(3).await;
    let body = got[2].json();
    assert!(body.get("attachments").is_some(), "{body}");
}

#[tokio::test]
async fn a_template_is_checked_and_only_webhook_channels_take_one() {
    let app = spawn_app().await;
    let hook = app.webhook("hook", &["never.routed.here"]).await;
    let (status, err) = app
        .post(
            "/api/v1/rules",
            json!({"name": "r", "channels": [hook], "template": "{\"text\": {{ title }"}),
        )
        .await;
    assert_eq!(status, 422, "{err}");
    assert_eq!(err["error"]["field"], "template");

    let (status, slack) = app
        .post(
            "/api/v1/channels",
            json!({"name": "slack", "kind": "slack",
                "secrets": {"webhook_url": app.receiver.url("/services/T0/B0/X")},
                "events": ["never.routed.here"]}),
        )
        .await;
    assert_eq!(status, 201, "{slack}");
    let (status, err) = app
        .post(
            "/api/v1/rules",
            json!({"name": "r", "channels": [hook, slack["id"]], "template": "generic"}),
        )
        .await;
    assert_eq!(status, 422, "{err}");
    assert_eq!(err["error"]["field"], "template");
    assert!(
        err["error"]["message"]
            .as_str()
            .unwrap()
            .contains("only webhook channels"),
        "{err}"
    );
}

#[tokio::test]
async fn templates_over_the_work_or_size_limit_are_refused_on_save_and_fail_clearly_at_send() {
    let app = spawn_app().await;
    let endless =
        "{% for i in range(100000) %}{% for j in range(100000) %}x{% endfor %}{% endfor %}";
    let huge = "{{ 'x' * 1000000 }}";
    for (template, says) in [(endless, "too much work"), (huge, "larger than 256 KiB")] {
        let (status, err) = app
            .post(
                "/api/v1/channels",
                json!({"name": "t", "kind": "webhook", "settings": {"url": app.receiver.url("/t"),
                    "content_type": "text/plain", "template": template}}),
            )
            .await;
        assert_eq!(status, 422, "{err}");
        assert_eq!(err["error"]["field"], "settings.template", "{err}");
        assert!(
            err["error"]["message"].as_str().unwrap().contains(says),
            "{err}"
        );
    }
    let hook = app.webhook("hook", &["never.routed.here"]).await;
    for (template, says) in [(endless, "too much work"), (huge, "larger than 256 KiB")] {
        let (status, err) = app
            .post(
                "/api/v1/rules",
                json!({"name": "r", "channels": [hook], "template": template}),
            )
            .await;
        assert_eq!(status, 422, "{err}");
        assert_eq!(err["error"]["field"], "template", "{err}");
        assert!(
            err["error"]["message"].as_str().unwrap().contains(says),
            "{err}"
        );
    }

    // A template whose work or size depends on the event passes the check with the sample
    // event; an event that makes it too big fails its delivery with the reason, at once.
    app.webhook_with(json!({"name": "sized", "kind": "webhook", "events": ["load.*"],
            "settings": {"url": app.receiver.url("/sized"), "content_type": "text/plain",
                "template": "{% for i in range(data.loops|int) %}{% for j in range(data.loops|int) %}.{% endfor %}{% endfor %}{{ 'x' * (data.size|int) }}"}}))
        .await;
    for (data, says) in [
        (json!({"loops": 10000}), "too much work"),
        (json!({"size": 300000}), "larger than 256 KiB"),
    ] {
        let accepted = app
            .emit(json!({"type": "load.test", "title": "t", "data": data}))
            .await;
        let id = app.only_delivery_of(accepted["id"].as_str().unwrap()).await;
        let d = app.delivery_when(&id, |d| d["status"] == "failed").await;
        let attempts = d["attempts"].as_array().unwrap();
        assert_eq!(attempts.len(), 1, "not retried: {d}");
        let reason = attempts[0]["error"].to_string();
        assert!(reason.contains(says), "{d}");
    }
    assert!(app.receiver.received().is_empty(), "nothing was sent");
    app.stop().await;
}
