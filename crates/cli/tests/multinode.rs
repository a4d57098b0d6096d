//! Several nodes on one PostgreSQL: two `tocsin serve` processes share a database (and a
//! schema of their own on the server `TOCSIN_TEST_DATABASE_URL` names), events are posted
//! to both in turn, and a recording receiver counts every `webhook-id` (the delivery id).
//!
//! 1. Normal running: every accepted event arrives exactly once.
//! 2. One node is killed with SIGKILL mid-run: every accepted event still arrives (the
//!    other node takes back the dead node's deliveries when their leases run out); only
//!    deliveries that were in flight at the kill may arrive twice, and how many is reported.
//!
//! Run with `--nocapture` to see the counts.

use std::collections::{HashMap, HashSet};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::HeaderMap;
use serde_json::{Value, json};

mod common;
use common::{free_port, wait_healthy};

#[path = "../../store/tests/support/pg_schema.rs"]
mod pg_schema;

const TOKEN: &str = "multinode-test-token-0123456789";
const NORMAL_EVENTS: usize = 10_000;
const KILL_EVENTS: usize = 3_000;
const POSTERS: usize = 8;

#[derive(Default)]
struct Seen {
    /// `webhook-id` → how many times it arrived, and when first.
    deliveries: Mutex<HashMap<String, (u32, Instant)>>,
    /// Event ids that arrived.
    events: Mutex<HashSet<String>>,
    in_flight: Mutex<u32>,
    /// How long the receiver takes to answer, in milliseconds.
    delay_ms: AtomicU64,
}

struct InFlight(Arc<Seen>);

impl Drop for InFlight {
    fn drop(&mut self) {
        *self.0.in_flight.lock().unwrap() -= 1;
    }
}

async fn receive(State(seen): State<Arc<Seen>>, headers: HeaderMap, body: Bytes) -> &'static str {
    if let Some(id) = headers.get("webhook-id").and_then(|v| v.to_str().ok()) {
        seen.deliveries
            .lock()
            .unwrap()
            .entry(id.to_owned())
            .or_insert((0, Instant::now()))
            .0 += 1;
    }
    if let Some(id) = serde_json::from_slice::<Value>(&body)
        .ok()
        .and_then(|v| v["id"].as_str().map(String::from))
    {
        seen.events.lock().unwrap().insert(id);
    }
    *seen.in_flight.lock().unwrap() += 1;
    let _guard = InFlight(seen.clone());
    let delay = seen.delay_ms.load(Ordering::Relaxed);
    if delay > 0 {
        tokio::time::sleep(Duration::from_millis(delay)).await;
    }
    "ok"
}

/// The master key all nodes share (a test key, 32 bytes in hex).
const SECRET_KEY: &str = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

fn tocsin(database_url: &str, data_dir: &std::path::Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_tocsin"));
    command
        .env("TOCSIN_DATABASE_URL", database_url)
        .env("TOCSIN_DATA_DIR", data_dir)
        // Every node seals and opens secrets under the same master key.
        .env("TOCSIN_SECRET_KEY", SECRET_KEY)
        .env("TOCSIN_LOG", "error")
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    command
}

fn start_node(port: u16, database_url: &str, data_dir: &std::path::Path) -> Child {
    tocsin(database_url, data_dir)
        .arg("serve")
        .env("TOCSIN_LISTEN", format!("127.0.0.1:{port}"))
        .env("TOCSIN_ADMIN_TOKEN", TOKEN)
        .env("TOCSIN_ALLOW_PRIVATE", "127.0.0.0/8")
        .env("TOCSIN_DELIVERY__TIMEOUT_SECS", "2")
        .env("TOCSIN_DELIVERY__LEASE_SECS", "3")
        .env("TOCSIN_DELIVERY__CONCURRENCY", "32")
        // Thousands of events from one application: more than the default ingest budget.
        .env("TOCSIN_API__EVENTS_PER_MINUTE_PER_APPLICATION", "0")
        .env("TOCSIN_API__REQUESTS_PER_MINUTE_PER_TOKEN", "0")
        .spawn()
        .expect("the tocsin binary starts")
}

/// Posts events `from..from + count`, event `i` to node `i % 2`, from `POSTERS` tasks.
/// Returns the ids answered 202, and how many of those had no delivery (routing missed).
async fn post_alternately(
    client: &reqwest::Client,
    nodes: &[String; 2],
    from: usize,
    count: usize,
) -> (Vec<String>, usize) {
    let mut tasks = Vec::new();
    for poster in 0..POSTERS {
        let (client, nodes) = (client.clone(), nodes.clone());
        tasks.push(tokio::spawn(async move {
            let mut accepted = Vec::new();
            let mut unrouted = 0;
            for i in (from + poster..from + count).step_by(POSTERS) {
                let r = client
                    .post(format!("{}/api/v1/events", nodes[i % 2]))
                    .bearer_auth(TOKEN)
                    .json(
                        &json!({"type": "deploy.success", "title": format!("deploy {i}"),
                                  "source": {"application": "multinode"}}),
                    )
                    .send()
                    .await;
                // A node killed under the request accepted nothing: no promise to keep.
                if let Ok(r) = r
                    && r.status() == 202
                    && let Ok(body) = r.json::<Value>().await
                {
                    if body["deliveries"] != 1 {
                        unrouted += 1;
                    }
                    accepted.push(body["id"].as_str().unwrap().to_owned());
                }
            }
            (accepted, unrouted)
        }));
    }
    let mut accepted = Vec::new();
    let mut unrouted = 0;
    for task in tasks {
        let (ids, n) = task.await.unwrap();
        accepted.extend(ids);
        unrouted += n;
    }
    (accepted, unrouted)
}

/// Waits until every accepted event arrived (or the deadline passes); returns how many did not.
async fn wait_delivered(seen: &Seen, accepted: &[String], within: Duration) -> usize {
    let deadline = Instant::now() + within;
    loop {
        let missing = {
            let got = seen.events.lock().unwrap();
            accepted.iter().filter(|id| !got.contains(*id)).count()
        };
        if missing == 0 || Instant::now() > deadline {
            return missing;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

fn arrivals(seen: &Seen) -> (usize, u32) {
    let got = seen.deliveries.lock().unwrap();
    let twice: u32 = got.values().map(|(n, _)| n - 1).sum();
    (got.len(), twice)
}

/// Deliveries that arrived more than once although their first arrival came after `instant`.
fn repeated_after(seen: &Seen, instant: Instant) -> usize {
    seen.deliveries
        .lock()
        .unwrap()
        .values()
        .filter(|(n, first)| *n > 1 && *first > instant)
        .count()
}

/// Prints a line of the report (seen with `--nocapture`) and appends it to
/// `target/tmp/multinode-report.txt`, which `.ci/run` shows after the tests.
fn report(line: &str) {
    use std::io::Write;
    println!("{line}");
    let path = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("multinode-report.txt");
    if let Ok(mut file) = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
    {
        let _ = writeln!(file, "{line}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_nodes_on_one_postgres_deliver_every_event_once_and_survive_a_sigkill() {
    let Some(schema) = pg_schema::TestSchema::create("multinode").await else {
        return;
    };
    let _ = std::fs::remove_file(
        std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("multinode-report.txt"),
    );
    let url = schema.url().to_owned();
    let seen = Arc::new(Seen::default());
    let app = Router::new().fallback(receive).with_state(seen.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let receiver = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });

    // Operators may migrate before starting nodes; the nodes then find the schema current.
    let dirs = [tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap()];
    let migrate = tocsin(&url, dirs[0].path())
        .arg("migrate")
        .status()
        .expect("tocsin migrate runs");
    assert!(migrate.success(), "tocsin migrate failed");

    let ports = [free_port(), free_port()];
    let nodes = ports.map(|port| format!("http://127.0.0.1:{port}"));
    let mut a = start_node(ports[0], &url, dirs[0].path());
    let mut b = start_node(ports[1], &url, dirs[1].path());
    let client = reqwest::Client::new();
    wait_healthy(&client, &nodes[0], Duration::from_secs(30)).await;
    wait_healthy(&client, &nodes[1], Duration::from_secs(30)).await;

    // Node B caches its (empty) routing first; the channel made on node A must reach it
    // through the database's announcement, or B's events would go nowhere.
    let (warm_up, _) = post_alternately(&client, &nodes, 1, 1).await;
    assert_eq!(warm_up.len(), 1);
    let r = client
        .post(format!("{}/api/v1/channels", nodes[0]))
        .bearer_auth(TOKEN)
        .json(&json!({"name": "recorder", "kind": "webhook",
                      "settings": {"url": format!("http://{receiver}/hook")}, "events": ["deploy.*"]}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    tokio::time::sleep(Duration::from_millis(500)).await;

    // 1. Normal running.
    let started = Instant::now();
    let (accepted, unrouted) = post_alternately(&client, &nodes, 0, NORMAL_EVENTS).await;
    let missing = wait_delivered(&seen, &accepted, Duration::from_secs(60)).await;
    let elapsed = started.elapsed();
    let (received, twice) = arrivals(&seen);
    report(&format!(
        "two nodes, normal running: {} events accepted ({unrouted} unrouted), {received} deliveries received, \
         {twice} duplicates, {missing} lost, in {:.1} s",
        accepted.len(),
        elapsed.as_secs_f64()
    ));
    assert_eq!(accepted.len(), NORMAL_EVENTS, "every post was accepted");
    assert_eq!(unrouted, 0, "both nodes routed every event to the channel");
    assert_eq!(missing, 0, "every accepted event arrived");
    assert_eq!(received, NORMAL_EVENTS, "one delivery per event");
    assert_eq!(twice, 0, "no delivery arrived twice in normal running");

    // 2. Node B dies mid-run. A slower receiver keeps deliveries on the wire at the kill.
    seen.delay_ms.store(20, Ordering::Relaxed);
    let poster = {
        let (client, nodes) = (client.clone(), nodes.clone());
        tokio::spawn(
            async move { post_alternately(&client, &nodes, NORMAL_EVENTS, KILL_EVENTS).await },
        )
    };
    let deadline = Instant::now() + Duration::from_secs(20);
    while arrivals(&seen).0 < NORMAL_EVENTS + KILL_EVENTS / 4 && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let in_flight_at_kill = *seen.in_flight.lock().unwrap();
    b.kill().unwrap(); // SIGKILL
    b.wait().unwrap();
    // Requests the dead node had already written may still be read a moment later.
    let killed_at = Instant::now() + Duration::from_millis(500);
    let (accepted_after, _) = poster.await.unwrap();
    seen.delay_ms.store(0, Ordering::Relaxed);
    // B's deliveries come back after their lease (3 s) at A's next reap (every 5 s).
    let missing = wait_delivered(&seen, &accepted_after, Duration::from_secs(60)).await;
    let (received, twice) = arrivals(&seen);
    report(&format!(
        "two nodes, one SIGKILLed: {} events accepted, {} deliveries received in all, {twice} duplicates \
         (sent by the killed node, not yet recorded; {in_flight_at_kill} requests were on the wire \
         at the kill), {missing} lost",
        accepted_after.len(),
        received - NORMAL_EVENTS,
    ));
    a.kill().unwrap();
    a.wait().unwrap();
    assert_eq!(missing, 0, "every accepted event arrived after the kill");
    // A repeat is a delivery the dead node had sent (so it first arrived before the kill)
    // but not yet recorded; nothing first sent after the kill arrives twice.
    assert_eq!(
        repeated_after(&seen, killed_at),
        0,
        "only deliveries in flight on the killed node arrived twice"
    );
    drop(schema);
}
