//! Reliability under faults: receivers that fail for a while, refuse connections, never
//! answer or answer slowly, and channels that cannot render. Each test checks what a
//! recording receiver on 127.0.0.1 got against what the delivery log says.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri};
use serde_json::{Value, json};
use tokio::net::TcpListener;

use crate::helpers::*;

/// How the receiver answers on one path.
#[derive(Clone, Copy, Debug)]
enum Mode {
    Ok,
    Status(u16),
    /// 200 after this long.
    Delay(Duration),
}

/// One request the receiver got.
#[derive(Clone, Debug)]
struct Hit {
    path: String,
    /// The `webhook-id` header: the delivery id.
    id: String,
    status: u16,
}

#[derive(Default)]
struct Inner {
    modes: Mutex<HashMap<String, Mode>>,
    hits: Mutex<Vec<Hit>>,
    /// Requests being answered right now, and the most at once, per path.
    open: Mutex<HashMap<String, (usize, usize)>>,
}

/// A receiver that answers each path as told and records every request.
#[derive(Clone)]
struct Faulty {
    addr: SocketAddr,
    inner: Arc<Inner>,
}

impl Faulty {
    async fn start() -> Self {
        Self::on(TcpListener::bind("127.0.0.1:0").await.unwrap())
    }

    fn on(listener: TcpListener) -> Self {
        let inner = Arc::new(Inner::default());
        let addr = listener.local_addr().unwrap();
        let app = Router::new().fallback(answer).with_state(inner.clone());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        Self { addr, inner }
    }

    fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    fn set(&self, path: &str, mode: Mode) {
        self.inner
            .modes
            .lock()
            .unwrap()
            .insert(path.to_owned(), mode);
    }

    fn hits(&self, path: &str) -> Vec<Hit> {
        let hits = self.inner.hits.lock().unwrap();
        hits.iter().filter(|h| h.path == path).cloned().collect()
    }

    /// Delivery id → the statuses it was answered, in order.
    fn answers(&self, path: &str) -> HashMap<String, Vec<u16>> {
        let mut by_id: HashMap<String, Vec<u16>> = HashMap::new();
        for h in self.hits(path) {
            by_id.entry(h.id).or_default().push(h.status);
        }
        by_id
    }

    fn most_at_once(&self, path: &str) -> usize {
        let open = self.inner.open.lock().unwrap();
        open.get(path).map_or(0, |(_, most)| *most)
    }
}

async fn answer(State(inner): State<Arc<Inner>>, uri: Uri, headers: HeaderMap) -> StatusCode {
    let path = uri.path().to_owned();
    let mode = inner
        .modes
        .lock()
        .unwrap()
        .get(&path)
        .copied()
        .unwrap_or(Mode::Ok);
    let status = match mode {
        Mode::Ok | Mode::Delay(_) => 200,
        Mode::Status(code) => code,
    };
    inner.hits.lock().unwrap().push(Hit {
        path: path.clone(),
        id: headers
            .get("webhook-id")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned(),
        status,
    });
    {
        let mut open = inner.open.lock().unwrap();
        let entry = open.entry(path.clone()).or_default();
        entry.0 += 1;
        entry.1 = entry.1.max(entry.0);
    }
    if let Mode::Delay(d) = mode {
        tokio::time::sleep(d).await;
    }
    inner.open.lock().unwrap().get_mut(&path).unwrap().0 -= 1;
    StatusCode::from_u16(status).unwrap()
}

/// A listener that accepts connections and never reads or answers; counts connections.
async fn black_hole() -> (SocketAddr, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let accepted = Arc::new(AtomicUsize::new(0));
    let count = accepted.clone();
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((socket, _)) = listener.accept().await {
            count.fetch_add(1, Ordering::SeqCst);
            held.push(socket);
        }
    });
    (addr, accepted)
}

/// Moves the test clock on with real time, so that leases and due times pass as they
/// would in production. Stops when the handle is dropped (aborted).
fn tick(app: &TestApp) -> tokio::task::JoinHandle<()> {
    let clock = app.clock.clone();
    tokio::spawn(async move {
        loop {
            tokio::time::sleep(Duration::from_millis(50)).await;
            clock.advance(Duration::from_millis(50));
        }
    })
}

fn event(kind: &str, n: usize) -> Value {
    json!({"type": kind, "title": format!("{kind} {n}"), "source": {"application": "rel"},
        "data": {"n": n}})
}

async fn post_all(app: &TestApp, kind: &str, count: usize) -> Vec<String> {
    let mut ids = Vec::new();
    for n in 0..count {
        let accepted = app.emit(event(kind, n)).await;
        ids.push(accepted["id"].as_str().unwrap().to_owned());
    }
    ids
}

/// The deliveries of `events` (one each), by delivery id.
async fn deliveries_of(app: &TestApp, events: &[String]) -> Vec<String> {
    let mut ids = Vec::new();
    for e in events {
        ids.push(app.only_delivery_of(e).await);
    }
    ids
}

/// Each of `ids`, once `done` holds for all of them.
async fn all_when(app: &TestApp, ids: &[String], done: impl Fn(&Value) -> bool) -> Vec<Value> {
    let mut out = Vec::new();
    for id in ids {
        out.push(app.delivery_when(id, &done).await);
    }
    out
}

const STEPS: u32 = 3;

/// A shortened schedule: the first attempt at once, then every 2 s (plus up to 10 %).
fn short_schedule(c: &mut tocsin_server::Config) {
    c.delivery.retry_schedule = ["0s", "2s", "2s", "2s", "2s", "2s"]
        .map(String::from)
        .to_vec();
}

/// Steps the clock through `STEPS` failed attempts of every delivery in `ids`.
async fn fail_through_steps(app: &TestApp, ids: &[String]) {
    for step in 1..=STEPS {
        all_when(app, ids, |d| {
            d["attempt_count"] == step && d["status"] == "retrying"
        })
        .await;
        if step < STEPS {
            app.advance(Duration::from_millis(2_300));
        }
    }
}

/// After success: the clock runs on past the whole schedule and nothing more arrives.
async fn assert_no_more_requests(app: &TestApp, receiver: &Faulty, path: &str, seen: usize) {
    for _ in 0..10 {
        app.advance(Duration::from_secs(60));
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(
        receiver.hits(path).len(),
        seen,
        "nothing is sent again after success"
    );
}

#[tokio::test]
async fn an_outage_of_503s_over_several_retry_steps_ends_in_one_delivery_each() {
    let app = spawn_app_with(short_schedule).await;
    let receiver = Faulty::start().await;
    receiver.set("/down", Mode::Status(503));
    app.webhook_with(json!({"name": "down", "kind": "webhook",
        "settings": {"url": receiver.url("/down")}, "events": ["*"]}))
        .await;
    let events = post_all(&app, "deploy.success", 5).await;
    let ids = deliveries_of(&app, &events).await;

    fail_through_steps(&app, &ids).await;
    receiver.set("/down", Mode::Ok);
    app.advance(Duration::from_millis(2_300));
    let done = all_when(&app, &ids, |d| d["status"] == "delivered").await;

    for d in &done {
        let attempts = d["attempts"].as_array().unwrap();
        assert_eq!(attempts.len(), STEPS as usize + 1, "{d}");
        for a in &attempts[..STEPS as usize] {
            assert_eq!(a["status_code"], 503, "{d}");
            assert_eq!(a["outcome"], "retrying", "{d}");
            assert_eq!(a["error"], "HTTP 503", "{d}");
        }
        let last = &attempts[STEPS as usize];
        assert_eq!(last["status_code"], 200, "{d}");
        assert_eq!(last["outcome"], "delivered", "{d}");
        assert_eq!(last["error"], json!(null), "{d}");
        assert_eq!(d["next_attempt_at"], json!(null), "{d}");
    }
    let answers = receiver.answers("/down");
    assert_eq!(answers.len(), ids.len());
    for id in &ids {
        assert_eq!(
            answers[id],
            [503, 503, 503, 200],
            "every delivery lands exactly once, after the outage"
        );
    }
    let total = receiver.hits("/down").len();
    assert_no_more_requests(&app, &receiver, "/down", total).await;
    println!(
        "receiver outage (503): {} deliveries, {} requests, each landed once after {STEPS} failed attempts",
        ids.len(),
        total
    );
    app.stop().await;
}

#[tokio::test]
async fn an_outage_of_refused_connections_ends_in_one_delivery_each() {
    let app = spawn_app_with(short_schedule).await;
    // A port that was bound and closed: connections to it are refused.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    app.webhook_with(json!({"name": "gone", "kind": "webhook",
        "settings": {"url": format!("http://127.0.0.1:{port}/gone")}, "events": ["*"]}))
        .await;
    let events = post_all(&app, "deploy.success", 5).await;
    let ids = deliveries_of(&app, &events).await;

    fail_through_steps(&app, &ids).await;
    let failing = app.delivery_when(&ids[0], |_| true).await;
    for a in failing["attempts"].as_array().unwrap() {
        assert_eq!(a["status_code"], json!(null), "{failing}");
        let error = a["error"].as_str().unwrap_or_default();
        assert!(error.contains("refused"), "the reason is logged: {failing}");
    }

    // The receiver comes back on the same port.
    let receiver = Faulty::on(TcpListener::bind(("127.0.0.1", port)).await.unwrap());
    app.advance(Duration::from_millis(2_300));
    let done = all_when(&app, &ids, |d| d["status"] == "delivered").await;
    for d in &done {
        assert_eq!(d["attempt_count"], STEPS + 1, "{d}");
    }
    let answers = receiver.answers("/gone");
    for id in &ids {
        assert_eq!(answers[id], [200], "each delivery arrives exactly once");
    }
    let total = receiver.hits("/gone").len();
    assert_eq!(total, ids.len());
    assert_no_more_requests(&app, &receiver, "/gone", total).await;
    println!(
        "receiver outage (refused): {} deliveries, {STEPS} refused attempts each ({}), then one request each",
        ids.len(),
        failing["attempts"][0]["error"]
    );
    app.stop().await;
}

#[tokio::test]
async fn a_receiver_that_never_answers_does_not_hold_up_other_channels() {
    let app = spawn_app_with(|c| {
        c.delivery.timeout_secs = 8;
        c.delivery.lease_secs = 30;
        c.delivery.concurrency = 4;
        c.delivery.channel_concurrency = 2;
    })
    .await;
    let ticker = tick(&app);
    let (hole, connections) = black_hole().await;
    let receiver = Faulty::start().await;
    app.webhook_with(json!({"name": "hang", "kind": "webhook",
        "settings": {"url": format!("http://{hole}/hang")}, "events": ["hang.*"]}))
        .await;
    app.webhook_with(json!({"name": "fast", "kind": "webhook",
        "settings": {"url": receiver.url("/fast")}, "events": ["deploy.*"]}))
        .await;
    // The hanging channel's deliveries are queued first.
    let hanging = post_all(&app, "hang.test", 8).await;
    let hanging = deliveries_of(&app, &hanging).await;
    within(10, "the hanging channel is tried", || async {
        (connections.load(Ordering::SeqCst) >= 2).then_some(())
    })
    .await;
    let start = Instant::now();
    post_all(&app, "deploy.success", 10).await;
    within(10, "the fast channel's deliveries land", || async {
        (receiver.answers("/fast").len() == 10).then_some(())
    })
    .await;
    let fast_took = start.elapsed();
    // They landed while the hanging requests were still waiting for their timeout.
    let (_, first) = app.get(&format!("/api/v1/deliveries/{}", hanging[0])).await;
    let in_flight = connections.load(Ordering::SeqCst);
    assert_eq!(
        in_flight, 2,
        "the hanging channel holds no more than its bound: {first}"
    );

    // The hanging requests time out, are logged and retried later.
    let timed_out = within(20, "the hanging requests time out", || async {
        let mut out = Vec::new();
        for id in &hanging {
            let (_, d) = app.get(&format!("/api/v1/deliveries/{id}")).await;
            if d["status"] == "retrying" {
                out.push(d);
            }
        }
        (out.len() >= 2).then_some(out)
    })
    .await;
    for d in &timed_out {
        assert_eq!(d["last_error"], "the request timed out", "{d}");
    }
    assert!(
        receiver.answers("/fast").values().all(|a| a == &[200]),
        "each fast delivery arrived once"
    );
    ticker.abort();
    println!(
        "hanging receiver: 10 fast deliveries landed in {fast_took:?} while 2 requests hung (bound 2 of 4 workers); {} timed out after 8 s",
        timed_out.len()
    );
    app.stop().await;
}

#[tokio::test]
async fn a_slow_channel_with_a_backlog_does_not_starve_a_fast_one() {
    let app = spawn_app_with(|c| {
        c.delivery.timeout_secs = 10;
        c.delivery.lease_secs = 30;
        c.delivery.concurrency = 4;
        c.delivery.channel_concurrency = 2;
    })
    .await;
    let ticker = tick(&app);
    let receiver = Faulty::start().await;
    receiver.set("/slow", Mode::Delay(Duration::from_secs(3)));
    app.webhook_with(json!({"name": "slow", "kind": "webhook",
        "settings": {"url": receiver.url("/slow")}, "events": ["slow.*"]}))
        .await;
    app.webhook_with(json!({"name": "fast", "kind": "webhook",
        "settings": {"url": receiver.url("/fast")}, "events": ["deploy.*"]}))
        .await;
    // 12 slow deliveries, 3 s each: with every worker on them, 9 s of work or more.
    post_all(&app, "slow.test", 12).await;
    within(10, "the slow channel is busy", || async {
        (!receiver.hits("/slow").is_empty()).then_some(())
    })
    .await;
    let start = Instant::now();
    post_all(&app, "deploy.success", 20).await;
    within(6, "the fast channel's deliveries land", || async {
        (receiver.answers("/fast").len() == 20).then_some(())
    })
    .await;
    let fast_took = start.elapsed();
    let slow_seen = receiver.hits("/slow").len();
    assert!(
        slow_seen < 12,
        "the slow channel was still backed up ({slow_seen} of 12 sent)"
    );
    assert!(
        receiver.most_at_once("/slow") <= 2,
        "the slow channel had at most its bound in flight"
    );
    assert!(receiver.answers("/fast").values().all(|a| a == &[200]));
    ticker.abort();
    println!(
        "slow receiver: 20 fast deliveries landed in {fast_took:?} while the slow channel had sent {slow_seen} of 12 (at most {} at once)",
        receiver.most_at_once("/slow")
    );
    app.stop().await;
}

#[tokio::test]
async fn poison_channels_fail_with_a_reason_and_do_not_stall_the_queue() {
    let app = spawn_app().await;
    let receiver = Faulty::start().await;
    // A secret that refers to a variable nobody set.
    let secret = app
        .webhook_with(json!({"name": "secret", "kind": "webhook",
            "settings": {"url": receiver.url("/secret")}, "events": ["*"],
            "secrets": {"signing_secret": "${env:RELIABILITY_TEST_NEVER_SET_VARIABLE}"}}))
        .await;
    // A template that works when saved, then is changed to one that renders invalid JSON
    // for the events that come (the sample event it is checked with has no `data.n`).
    let template = app
        .webhook_with(json!({"name": "template", "kind": "webhook",
            "settings": {"url": receiver.url("/template")}, "events": ["*"]}))
        .await;
    let (status, changed) = app
        .call(
            "PATCH",
            &format!("/api/v1/channels/{template}"),
            Some(json!({"settings": {"url": receiver.url("/template"),
                "template": "{\"text\": \"${title}\"{% if data.n is defined %},{% endif %}}"}})),
        )
        .await;
    assert_eq!(status, 200, "{changed}");
    let healthy = app
        .webhook_with(json!({"name": "healthy", "kind": "webhook",
            "settings": {"url": receiver.url("/healthy")}, "events": ["deploy.*"]}))
        .await;

    // The poison deliveries are queued first, then events that also go to the healthy one.
    post_all(&app, "poison.test", 10).await;
    let mixed = post_all(&app, "deploy.success", 10).await;
    within(10, "the healthy channel gets every event", || async {
        (receiver.answers("/healthy").len() == 10).then_some(())
    })
    .await;
    assert!(receiver.answers("/healthy").values().all(|a| a == &[200]));

    let mut reasons: HashMap<String, String> = HashMap::new();
    for (channel, expected) in [
        (&secret, "RELIABILITY_TEST_NEVER_SET_VARIABLE"),
        (&template, "template"),
    ] {
        let list = within(10, "the poison deliveries fail", || async {
            let (_, list) = app
                .get(&format!("/api/v1/channels/{channel}/deliveries"))
                .await;
            let list = list.as_array().cloned().unwrap_or_default();
            (list.len() == 20 && list.iter().all(|d| d["status"] == "failed")).then_some(list)
        })
        .await;
        for d in &list {
            assert_eq!(d["attempt_count"], 1, "failed at once, not retried: {d}");
            let reason = d["last_error"].as_str().unwrap();
            assert!(reason.contains(expected), "a clear reason: {d}");
        }
        reasons.insert(expected.to_owned(), list[0]["last_error"].to_string());
    }
    // One attempt record carries the reason too.
    let id = {
        let (_, e) = app.get(&format!("/api/v1/events/{}", mixed[0])).await;
        e["deliveries"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["channel_id"] == json!(secret))
            .unwrap()["id"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let d = app.delivery_when(&id, |d| d["status"] == "failed").await;
    assert!(
        d["attempts"][0]["error"]
            .as_str()
            .unwrap()
            .contains("cannot read a secret"),
        "{d}"
    );
    assert!(receiver.hits("/secret").is_empty() && receiver.hits("/template").is_empty());
    let _ = healthy;
    println!(
        "poison channels: 20 + 20 deliveries failed at once ({reasons:?}); 10 of 10 healthy deliveries landed"
    );
    app.stop().await;
}
