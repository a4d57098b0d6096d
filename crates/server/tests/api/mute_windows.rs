//! Mute windows (quiet hours): a rule muted by a window drops or holds what it takes while
//! the window is on, in the window's own time zone, and `critical` breaks through when the
//! rule allows it.

use std::time::Duration;

use serde_json::{Value, json};

use crate::helpers::*;

/// Weekday nights in Berlin, 22:00 to 07:00 (UTC+1 in December: 21:00 to 06:00 UTC).
fn berlin_nights() -> Value {
    json!({"name": "nights", "time_zone": "Europe/Berlin",
        "intervals": [{"days": ["mon", "tue", "wed", "thu", "fri"], "start": "22:00", "end": "07:00"}]})
}

async fn create_window(app: &TestApp, body: Value) -> String {
    let (status, w) = app.post("/api/v1/mute-windows", body).await;
    assert_eq!(status, 201, "{w}");
    w["id"].as_str().unwrap().to_owned()
}

/// A webhook channel to the receiver at `/{name}` that its own rule never routes to.
async fn quiet_channel(app: &TestApp, name: &str) -> String {
    app.webhook(name, &["never.routed.here"]).await
}

async fn rule(app: &TestApp, body: Value) -> Value {
    let (status, rule) = app.post("/api/v1/rules", body).await;
    assert_eq!(status, 201, "{rule}");
    rule
}

fn alert(title: &str, severity: &str) -> Value {
    json!({"type": "backup.failure", "title": title, "severity": severity,
        "source": {"application": "db"}})
}

/// Waits a little, then lists (path, title) of everything the receiver got.
async fn settled(app: &TestApp) -> Vec<(String, String)> {
    tokio::time::sleep(Duration::from_millis(300)).await;
    app.receiver
        .received()
        .iter()
        .map(|r| {
            (
                r.path.clone(),
                r.json()["title"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn got(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(p, t)| (p.to_string(), t.to_string()))
        .collect()
}

#[tokio::test]
async fn a_night_window_drops_holds_and_lets_critical_through_in_berlin_time() {
    let app = spawn_app().await;
    // Monday 2026-11-30, 20:30 UTC: 21:30 in Berlin, before the night starts.
    app.advance_to("2026-11-30T20:30:00Z");
    let nights = create_window(&app, berlin_nights()).await;
    let (drop, hold, through) = (
        quiet_channel(&app, "drop").await,
        quiet_channel(&app, "hold").await,
        quiet_channel(&app, "through").await,
    );
    rule(
        &app,
        json!({"name": "drop at night", "events": ["backup.*"], "channels": [drop],
        "mute": [nights]}),
    )
    .await;
    let held = rule(
        &app,
        json!({"name": "hold at night", "events": ["backup.*"],
        "channels": [hold], "mute": [nights], "while_muted": "hold"}),
    )
    .await;
    assert_eq!(held["mute"], json!([nights]));
    assert_eq!(held["while_muted"], "hold");
    assert_eq!(held["critical_breaks_through"], false);
    rule(
        &app,
        json!({"name": "critical at night", "events": ["backup.*"],
        "channels": [through], "mute": [nights], "critical_breaks_through": true}),
    )
    .await;

    // 21:30 Berlin: not muted, every channel hears it.
    assert_eq!(app.emit(alert("evening", "warning")).await["deliveries"], 3);
    app.receiver.wait_for(3).await;

    // 22:30 Berlin: the warning is dropped twice and held once; the critical one also
    // breaks through on the channel whose rule allows it.
    app.advance_to("2026-11-30T21:30:00Z");
    assert_eq!(
        app.emit(alert("night warning", "warning")).await["deliveries"],
        1
    );
    let critical = app.emit(alert("night critical", "critical")).await;
    assert_eq!(critical["deliveries"], 2);
    app.receiver.wait_for(4).await;

    // The held delivery waits for the window's end: 07:00 Berlin is 06:00 UTC.
    let (_, event) = app
        .get(&format!(
            "/api/v1/events/{}",
            critical["id"].as_str().unwrap()
        ))
        .await;
    let waits: Vec<&Value> = event["deliveries"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["channel_id"] == hold.as_str())
        .collect();
    assert_eq!(waits.len(), 1, "{event}");
    assert_eq!(waits[0]["status"], "pending");
    assert_eq!(waits[0]["next_attempt_at"], "2026-12-01T06:00:00Z");

    // 06:59 Berlin: still nothing more.
    app.advance_to("2026-12-01T05:59:00Z");
    assert_eq!(
        sorted(settled(&app).await),
        got(&[
            ("/drop", "evening"),
            ("/hold", "evening"),
            ("/through", "evening"),
            ("/through", "night critical"),
        ])
    );

    // 07:00 Berlin: the held two arrive.
    app.advance_to("2026-12-01T06:00:00Z");
    app.receiver.wait_for(6).await;
    let all = settled(&app).await;
    assert_eq!(all.len(), 6);
    assert_eq!(
        sorted(all[4..].to_vec()),
        got(&[("/hold", "night critical"), ("/hold", "night warning")])
    );
}

fn sorted(mut list: Vec<(String, String)>) -> Vec<(String, String)> {
    list.sort();
    list
}

#[tokio::test]
async fn the_same_night_is_judged_in_each_windows_own_time_zone() {
    let app = spawn_app().await;
    // Monday 2026-11-30, 21:30 UTC: 22:30 in Berlin (night), 21:30 in London (evening).
    app.advance_to("2026-11-30T21:30:00Z");
    let berlin = create_window(&app, berlin_nights()).await;
    let mut london = berlin_nights();
    london["name"] = json!("london nights");
    london["time_zone"] = json!("Europe/London");
    let london = create_window(&app, london).await;
    let (b, l) = (
        quiet_channel(&app, "berlin").await,
        quiet_channel(&app, "london").await,
    );
    rule(
        &app,
        json!({"name": "berlin", "channels": [b], "mute": [berlin]}),
    )
    .await;
    rule(
        &app,
        json!({"name": "london", "channels": [l], "mute": [london]}),
    )
    .await;
    assert_eq!(app.emit(alert("late", "warning")).await["deliveries"], 1);
    app.receiver.wait_for(1).await;
    assert_eq!(settled(&app).await, got(&[("/london", "late")]));

    // An hour later it is night in London too.
    app.advance(Duration::from_secs(3600));
    assert_eq!(app.emit(alert("later", "warning")).await["deliveries"], 0);
}

#[tokio::test]
async fn explain_says_which_window_mutes_a_rule_and_until_when() {
    let app = spawn_app().await;
    app.advance_to("2026-11-30T21:30:00Z");
    let nights = create_window(&app, berlin_nights()).await;
    let (a, b) = (
        quiet_channel(&app, "a").await,
        quiet_channel(&app, "b").await,
    );
    let dropping = rule(
        &app,
        json!({"name": "drop", "channels": [a], "mute": [nights]}),
    )
    .await;
    let holding = rule(
        &app,
        json!({"name": "hold", "channels": [b], "mute": [nights],
        "while_muted": "hold"}),
    )
    .await;
    let (status, why) = app
        .post("/api/v1/rules/explain", alert("night", "warning"))
        .await;
    assert_eq!(status, 200, "{why}");
    let verdict = |id: &Value| {
        why["rules"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["id"] == *id)
            .cloned()
            .unwrap()
    };
    let dropped = verdict(&dropping["id"]);
    assert_eq!(dropped["matched"], false);
    assert_eq!(
        dropped["reason"],
        "muted by nights until 2026-12-01T06:00:00Z; the rule drops what it takes while muted"
    );
    let held = verdict(&holding["id"]);
    assert_eq!(held["matched"], true);
    assert_eq!(
        held["held"],
        "muted by nights until 2026-12-01T06:00:00Z; held until then"
    );
    let channels = why["channels"].as_array().unwrap();
    assert_eq!(channels.len(), 1, "{why}");
    assert_eq!(channels[0]["id"], b.as_str());
    assert_eq!(channels[0]["held_until"], "2026-12-01T06:00:00Z");
}

#[tokio::test]
async fn mute_windows_are_created_read_changed_and_deleted_when_unused() {
    let app = spawn_app().await;
    let id = create_window(&app, berlin_nights()).await;
    let (status, w) = app.get(&format!("/api/v1/mute-windows/{id}")).await;
    assert_eq!(status, 200);
    assert_eq!(w["time_zone"], "Europe/Berlin");
    assert_eq!(
        w["intervals"],
        json!([{"days": ["mon", "tue", "wed", "thu", "fri"], "start": "22:00", "end": "07:00"}])
    );
    let (status, w) = app
        .call(
            "PATCH",
            &format!("/api/v1/mute-windows/{id}"),
            Some(json!({"time_zone": "America/New_York",
                "intervals": [{"days": ["sat", "sun"], "start": "00:00", "end": "24:00"}]})),
        )
        .await;
    assert_eq!(status, 200, "{w}");
    assert_eq!(w["name"], "nights");
    assert_eq!(w["time_zone"], "America/New_York");
    let (_, list) = app.get("/api/v1/mute-windows").await;
    assert_eq!(list.as_array().unwrap().len(), 1);

    // A rule names it: it cannot go.
    let ch = quiet_channel(&app, "a").await;
    let r = rule(
        &app,
        json!({"name": "weekend", "channels": [ch], "mute": [id]}),
    )
    .await;
    let path = format!("/api/v1/mute-windows/{id}");
    let (status, err) = app.call("DELETE", &path, None).await;
    assert_eq!(status, 409, "{err}");
    assert!(
        err["error"]["message"]
            .as_str()
            .unwrap()
            .contains("weekend"),
        "{err}"
    );
    let (status, _) = app
        .call(
            "PATCH",
            &format!("/api/v1/rules/{}", r["id"].as_str().unwrap()),
            Some(json!({"mute": []})),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(app.call("DELETE", &path, None).await.0, 204);
    assert_eq!(app.get(&path).await.0, 404);
}

#[tokio::test]
async fn bad_mute_windows_and_rules_naming_missing_windows_are_refused() {
    let app = spawn_app().await;
    let refused = |body: Value| async {
        let (status, err) = app.post("/api/v1/mute-windows", body).await;
        assert_eq!(status, 422, "{err}");
        err["error"]["field"].as_str().unwrap().to_owned()
    };
    let mut bad_zone = berlin_nights();
    bad_zone["time_zone"] = json!("Mars/Olympus_Mons");
    assert_eq!(refused(bad_zone).await, "time_zone");
    let mut bad_day = berlin_nights();
    bad_day["intervals"][0]["days"] = json!(["mon", "someday"]);
    assert_eq!(refused(bad_day).await, "intervals[0].days[1]");
    let mut bad_time = berlin_nights();
    bad_time["intervals"][0]["end"] = json!("7am");
    assert_eq!(refused(bad_time).await, "intervals[0].end");
    assert_eq!(
        refused(json!({"name": "x", "time_zone": "UTC", "intervals": []})).await,
        "intervals"
    );

    let ch = quiet_channel(&app, "a").await;
    let (status, err) = app
        .post(
            "/api/v1/rules",
            json!({"name": "r", "channels": [ch], "mute": ["01ARZ3NDEKTSV4RRFFQ69G5FAV"]}),
        )
        .await;
    assert_eq!(status, 422, "{err}");
    assert_eq!(err["error"]["field"], "mute[0]");
    let (status, err) = app
        .post(
            "/api/v1/rules",
            json!({"name": "r", "channels": [ch], "while_muted": "later"}),
        )
        .await;
    assert_eq!(status, 422, "{err}");
}
