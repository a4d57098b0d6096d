//! The flow of the issue, in a real browser against the real server and a recording
//! receiver: sign in, add a webhook channel, test it, save it, post an event, see the
//! delivery and its attempt, retry a failed one, switch to Japanese. Screenshots of the
//! main pages go to `target/ui-screenshots/`.

use serde_json::{Value, json};

use crate::helpers::{Reply, TOKEN, eventually, spawn_app};
use crate::webdriver::{self, Browser};

async fn post_event(app: &crate::helpers::TestApp, body: Value) -> Value {
    app.client
        .post(format!("{}/api/v1/events", app.base))
        .bearer_auth(TOKEN)
        .json(&body)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

async fn delivery_status(app: &crate::helpers::TestApp, event_id: &str) -> Option<String> {
    let event: Value = app
        .client
        .get(format!("{}/api/v1/events/{event_id}", app.base))
        .bearer_auth(TOKEN)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    event["deliveries"][0]["status"].as_str().map(String::from)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_person_adds_a_webhook_tests_it_follows_deliveries_and_reads_japanese() {
    if !webdriver::available() {
        return;
    }
    let app = spawn_app().await;
    let b = Browser::start().await;
    let ui = |path: &str| format!("{}{path}", app.base);

    // Signing in: the dashboard sends a stranger to the sign-in page first.
    b.goto(&ui("/")).await;
    b.find("input#token").await;
    assert!(b.url().await.contains("/ui/login"));
    b.screenshot("01-sign-in", 1280).await;
    b.fill("#token", "not-a-token").await;
    b.click("button[type=submit]").await;
    b.wait_text("#login-error", "not valid").await;
    b.fill("#token", TOKEN).await;
    b.click("button[type=submit]").await;
    b.wait_text("h1", "Channels").await;
    b.screenshot("02-channels-empty", 1280).await;

    // Adding a webhook channel from its schema form, testing it before saving.
    b.click("a[href='/ui/channels/new']").await;
    b.find("a[href='/ui/channels/new/webhook']").await;
    b.screenshot("03-add-channel-kinds", 1280).await;
    b.click("a[href='/ui/channels/new/webhook']").await;
    b.fill("#f-name", "ops").await;
    b.fill("#f-url", &app.receiver.url("/hook")).await;
    b.click("#test-unsaved").await;
    b.wait_text("#test-result", "delivered").await;
    let seen = app.receiver.wait_for(1).await;
    assert_eq!(seen[0].path, "/hook");
    assert!(String::from_utf8_lossy(&seen[0].body).contains("notification.test"));
    b.screenshot("04-add-webhook-tested", 1280).await;

    // A required field left empty is named next to the field, and nothing is saved.
    b.fill("#f-url", "").await;
    b.click("#save").await;
    b.wait_text("#f-url-error", "required").await;
    b.fill("#f-url", &app.receiver.url("/hook")).await;
    b.click("#save").await;
    // The generated signing secret is shown once; then the channel's page.
    b.find("#secret").await;
    b.click("a.button.primary").await;
    b.wait_text("h1", "ops").await;
    b.wait_text(".tag.ok", "set").await;
    // A test of the saved channel answers in place.
    b.click("#test-saved").await;
    b.wait_text("#test-result", "delivered").await;
    app.receiver.wait_for(2).await;

    // An event through the API reaches the channel (deploy.success is ticked by default).
    let accepted = post_event(
        &app,
        json!({"type": "deploy.success", "title": "Deploy of shop", "message": "v42 is live",
               "source": {"application": "shop", "environment": "production"}}),
    )
    .await;
    assert_eq!(accepted["deliveries"], 1, "{accepted}");
    app.receiver.wait_for(3).await;
    let id = accepted["id"].as_str().unwrap().to_owned();
    eventually(|| async {
        (delivery_status(&app, &id).await.as_deref() == Some("delivered")).then_some(())
    })
    .await;
    b.goto(&ui("/ui/deliveries")).await;
    b.wait_text("table.list", "deploy.success").await;
    b.wait_text("table.list", "Delivered").await;
    b.screenshot("05-deliveries", 1280).await;
    b.click("a.delivery-link").await;
    b.wait_text("ol.attempts", "HTTP 200").await;
    b.screenshot("06-delivery-attempts", 1280).await;

    // A failed delivery is retried by hand and then delivered.
    app.receiver
        .script([Reply::Status(400, "bad payload: missing field")]);
    let failing = post_event(
        &app,
        json!({"type": "deploy.failure", "title": "Deploy of shop failed", "severity": "critical",
               "source": {"application": "shop", "environment": "production"}}),
    )
    .await;
    let failing_id = failing["id"].as_str().unwrap().to_owned();
    eventually(|| async {
        (delivery_status(&app, &failing_id).await.as_deref() == Some("failed")).then_some(())
    })
    .await;
    b.goto(&ui("/ui/deliveries?status=failed")).await;
    b.wait_text("table.list", "Failed").await;
    b.click("a.delivery-link").await;
    b.wait_text("ol.attempts", "bad payload").await;
    b.screenshot("07-delivery-failed", 1280).await;
    b.click("#retry").await;
    b.wait_text(".flash", "queued again").await;
    app.receiver.wait_for(5).await;
    eventually(|| async {
        (delivery_status(&app, &failing_id).await.as_deref() == Some("delivered")).then_some(())
    })
    .await;

    // The channels list shows the last delivery and the failure count.
    b.goto(&ui("/ui/channels")).await;
    b.wait_text("table.list", "ops").await;
    b.screenshot("08-channels", 1280).await;
    // Turned off and on again from the list.
    b.click("button.switch").await;
    b.wait_text(".flash", "Disabled").await;
    b.wait_text("button.switch", "Off").await;
    b.click("button.switch").await;
    b.wait_text(".flash", "Enabled").await;

    // Events: the feed, a search, an event's page with its delivery.
    b.goto(&ui("/ui/events?q=failed")).await;
    b.wait_text("ul.feed", "Deploy of shop failed").await;
    assert!(!b.text("ul.feed").await.contains("v42 is live"));
    b.goto(&ui("/ui/events")).await;
    b.wait_text("ul.feed", "v42 is live").await;
    b.screenshot("09-events", 1280).await;
    b.goto(&ui(&format!("/ui/events/{id}"))).await;
    b.wait_text("main", "ops").await;
    b.screenshot("10-event", 1280).await;

    // Rules and the explain view.
    b.goto(&ui("/ui/rules/new")).await;
    b.fill("#r-name", "production failures").await;
    b.click("input[value='deploy.failure']").await;
    b.fill("#r-matchers", "environment=production").await;
    b.click("input[name='channel']").await;
    b.click("form.stack button.primary").await;
    b.wait_text(".flash", "Created").await;
    b.goto(&ui("/ui/rules")).await;
    b.wait_text("table.list", "production failures").await;
    b.screenshot("11-rules", 1280).await;
    b.goto(&ui(&format!("/ui/explain?event={failing_id}")))
        .await;
    b.click("form[action='/ui/explain'][method='post'] button")
        .await;
    b.wait_text("main", "would receive it").await;
    b.screenshot("12-explain", 1280).await;

    // Japanese, picked in the switcher and remembered.
    b.goto(&ui("/ui/channels")).await;
    b.click("details.menu summary").await;
    b.click("details.menu a[lang='ja']").await;
    b.wait_text("h1", "チャンネル").await;
    b.goto(&ui("/ui/deliveries")).await;
    b.wait_text("nav.side", "配信").await;
    b.wait_text("table.list", "配信済み").await;
    b.screenshot("13-deliveries-ja", 1280).await;
    b.goto(&ui("/ui/channels")).await;
    b.wait_text("h1", "チャンネル").await;
    b.screenshot("14-channels-ja-phone", 390).await;
    b.goto(&ui("/ui/channels/new/slack")).await;
    b.wait_text("main", "保存前にテスト").await;
    b.screenshot("15-add-slack-ja", 1280).await;

    // Signing out ends the session.
    b.click("header form[action='/ui/logout'] button").await;
    b.find("input#token").await;
    b.goto(&ui("/ui/channels")).await;
    b.find("input#token").await;

    // The screenshots are there for CI to keep.
    assert!(
        webdriver::screenshot_dir()
            .join("05-deliveries.png")
            .exists()
    );
}
