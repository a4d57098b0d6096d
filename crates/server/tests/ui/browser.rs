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

/// The HTTP status of posting an event with `token`.
async fn api_status(app: &crate::helpers::TestApp, token: &str) -> u16 {
    app.client
        .post(format!("{}/api/v1/events", app.base))
        .bearer_auth(token)
        .json(&json!({"type": "ci.token_check", "title": "token check"}))
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

/// At a phone's width (390 px) the page scrolls only down, never sideways.
async fn assert_fits_phone(b: &Browser, path: &str) {
    b.resize(390, 844).await;
    let widths = b
        .script("return [document.documentElement.scrollWidth, window.innerWidth]")
        .await;
    b.resize(1280, 900).await;
    let (page, screen) = (widths[0].as_u64().unwrap(), widths[1].as_u64().unwrap());
    assert!(
        page <= screen,
        "{path} is {page} px wide on a {screen} px screen"
    );
}

/// Every form control of the page has a label a screen reader reads, no element jumps
/// the tab order, and the first stop is the link that skips to the content.
async fn assert_accessible(b: &Browser, path: &str) {
    let unlabelled = b
        .script(
            "return [...document.querySelectorAll('input:not([type=hidden]), select, textarea')]\
               .filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label') \
                 && !e.getAttribute('aria-labelledby'))\
               .map(e => e.name || e.id || e.outerHTML)",
        )
        .await;
    assert_eq!(
        unlabelled,
        json!([]),
        "{path}: form controls without a label"
    );
    let jumps = b
        .script("return document.querySelectorAll('[tabindex]:not([tabindex=\"0\"]):not([tabindex=\"-1\"])').length")
        .await;
    assert_eq!(
        jumps,
        json!(0),
        "{path}: a positive tabindex breaks the focus order"
    );
    let first = b
        .script(
            "return [...document.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea, summary')]\
               .filter(e => !e.disabled)[0].className",
        )
        .await;
    if path != "/ui/login" {
        assert_eq!(
            first,
            json!("skip"),
            "{path}: the first stop skips to the content"
        );
    }
}

/// `23.11.2026, 14:05:07 CET`
fn is_german_date(text: &str) -> bool {
    let b = text.as_bytes();
    text.len() >= 20
        && b[2] == b'.'
        && b[5] == b'.'
        && &text[10..12] == ", "
        && text[..2].chars().all(|c| c.is_ascii_digit())
        && text[6..10].chars().all(|c| c.is_ascii_digit())
}

/// `2026/11/23 14:05:07 CET`
fn is_japanese_date(text: &str) -> bool {
    let b = text.as_bytes();
    text.len() >= 18
        && b[4] == b'/'
        && b[7] == b'/'
        && b[10] == b' '
        && text[..4].chars().all(|c| c.is_ascii_digit())
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

    // API tokens: one is created, its secret shown once, then revoked after a confirmation;
    // another, made through the API, stays.
    let kept = app
        .client
        .post(format!("{}/api/v1/tokens", app.base))
        .bearer_auth(TOKEN)
        .json(&json!({"name": "monitoring", "scopes": ["deliveries:read"]}))
        .send()
        .await
        .unwrap();
    assert!(kept.status().is_success());
    b.goto(&ui("/ui/tokens")).await;
    b.wait_text("h1", "API tokens").await;
    b.wait_text("#own-tenant", "every tenant").await;
    b.fill("#tk-name", "ci deploy").await;
    b.click("input[name='scope'][value='events:write']").await;
    b.click("#create-token").await;
    b.wait_text("#created-token", "ci deploy").await;
    let secret = b
        .script("return document.querySelector('#new-secret').value")
        .await
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert!(secret.starts_with("tsn_"), "the new token is shown");
    b.click("#copy-new-secret").await;
    b.wait_text("#copy-new-secret", "Copied").await;
    assert_eq!(
        api_status(&app, &secret).await,
        202,
        "the new token posts events"
    );
    // The screenshot, a CI artifact, shows the card but not the token itself.
    b.script("document.querySelector('#new-secret').value = 'tsn_…'")
        .await;
    b.screenshot("16-api-token-created", 1280).await;
    b.goto(&ui("/ui/tokens")).await;
    b.wait_text("#token-list", "ci deploy").await;
    assert!(!b.source().await.contains(&secret), "shown only once");
    b.screenshot("17-api-tokens", 1280).await;
    b.click("a[aria-label='Revoke ci deploy']").await;
    b.wait_text("h1", "Revoke ci deploy?").await;
    b.click("#confirm-revoke").await;
    b.wait_text(".flash", "revoked").await;
    let after = b.text("#token-list").await;
    assert!(
        after.contains("monitoring") && !after.contains("ci deploy"),
        "{after}"
    );
    assert_eq!(
        api_status(&app, &secret).await,
        401,
        "a revoked token is refused"
    );

    // A secret held as a reference says where its value comes from.
    let referenced: Value = app
        .client
        .post(format!("{}/api/v1/channels", app.base))
        .bearer_auth(TOKEN)
        .json(&json!({"name": "ops telegram", "kind": "telegram",
                      "settings": {"chat_id": "-1001234567890"},
                      "secrets": {"bot_token": "${env:TOCSIN_UI_BOT_TOKEN}"}}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let referenced_id = referenced["id"].as_str().expect("created").to_owned();
    b.goto(&ui(&format!("/ui/channels/{referenced_id}"))).await;
    b.wait_text(
        ".secret-ref",
        "from environment variable TOCSIN_UI_BOT_TOKEN",
    )
    .await;
    b.screenshot("18-secret-reference", 1280).await;

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

    // The tokens page at phone width; then every page: labelled controls, the tab order,
    // nothing wider than a phone's screen.
    b.goto(&ui("/ui/tokens")).await;
    b.wait_text("h1", "API トークン").await;
    b.screenshot("19-tokens-ja-phone", 390).await;
    for path in [
        "/ui/channels",
        "/ui/channels/new",
        "/ui/channels/new/webhook",
        "/ui/channels/new/email",
        "/ui/rules/new",
        "/ui/deliveries",
        "/ui/events",
        "/ui/explain",
        "/ui/quiet-hours",
        "/ui/threshold-tokens",
        "/ui/tokens",
        "/ui/preferences",
    ] {
        b.goto(&ui(path)).await;
        b.find("main h1").await;
        assert_accessible(&b, path).await;
        assert_fits_phone(&b, path).await;
    }

    // German and Berlin time, picked on the preferences page: dates, numbers and
    // durations as German writes them, in the picked zone.
    b.goto(&ui("/ui/preferences")).await;
    b.script("document.querySelector('#p-lang').value = 'de'; document.querySelector('#p-tz').value = 'Europe/Berlin';")
        .await;
    b.click("#save-preferences").await;
    b.wait_text("h1", "Einstellungen").await;
    let sample = b.wait_text("#sample-time", "1.234.567").await;
    assert!(sample.contains("2 Min. 3 s"), "{sample}");
    assert!(
        sample.contains(" CET") || sample.contains(" CEST"),
        "Berlin's zone is named: {sample}"
    );
    b.goto(&ui("/ui/tokens")).await;
    let created = b.text("#token-list time").await;
    assert!(
        is_german_date(&created),
        "a German date, dd.mm.yyyy, hh:mm:ss: {created}"
    );
    b.screenshot("20-tokens-de", 1280).await;
    // Japanese again, through the switcher: the same instant as Japanese writes it.
    b.click("details.menu summary").await;
    b.click("details.menu a[lang='ja']").await;
    b.wait_text("h1", "API トークン").await;
    let created = b.text("#token-list time").await;
    assert!(is_japanese_date(&created), "yyyy/mm/dd h:mm:ss: {created}");
    b.goto(&ui("/ui/preferences")).await;
    b.wait_text("#sample-time", "1,234,567").await;
    b.wait_text("#sample-time", "2 分 3 秒").await;

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
