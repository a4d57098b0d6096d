//! Crash safety: the server is killed (SIGKILL) while deliveries are in flight and started
//! again on the same database. Every event it accepted must still be delivered.

use std::collections::{HashMap, HashSet};
use std::net::TcpListener as StdListener;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use serde_json::{Value, json};

const TOKEN: &str = "crash-test-token-0123456789";

#[derive(Default)]
struct Seen {
    /// Event id → how many times its delivery arrived.
    events: Mutex<HashMap<String, u32>>,
    /// Requests received but not yet answered.
    in_flight: Mutex<u32>,
}

/// Counts a request as in flight until it is answered or its connection drops.
struct InFlight(Arc<Seen>);

impl Drop for InFlight {
    fn drop(&mut self) {
        *self.0.in_flight.lock().unwrap() -= 1;
    }
}

async fn receive(State(seen): State<Arc<Seen>>, body: Bytes) -> &'static str {
    // What arrived counts as seen by the receiver, answered or not.
    let id = serde_json::from_slice::<Value>(&body)
        .ok()
        .and_then(|v| v["id"].as_str().map(String::from));
    if let Some(id) = id {
        *seen.events.lock().unwrap().entry(id).or_default() += 1;
    }
    *seen.in_flight.lock().unwrap() += 1;
    let _guard = InFlight(seen.clone());
    // Slow enough that a kill catches deliveries on the wire.
    tokio::time::sleep(Duration::from_millis(150)).await;
    "ok"
}

fn free_port() -> u16 {
    StdListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn start_server(port: u16, data_dir: &std::path::Path) -> Child {
    Command::new(env!("CARGO_BIN_EXE_tocsin"))
        .arg("serve")
        .env("TOCSIN_LISTEN", format!("127.0.0.1:{port}"))
        .env("TOCSIN_DATA_DIR", data_dir)
        .env("TOCSIN_ADMIN_TOKEN", TOKEN)
        .env("TOCSIN_ALLOW_PRIVATE", "127.0.0.0/8")
        .env("TOCSIN_DELIVERY__TIMEOUT_SECS", "2")
        .env("TOCSIN_DELIVERY__LEASE_SECS", "3")
        .env("TOCSIN_DELIVERY__CONCURRENCY", "16")
        // Rounds of 150 events from one application: more than the default ingest budget.
        .env("TOCSIN_API__EVENTS_PER_MINUTE_PER_APPLICATION", "0")
        .env("TOCSIN_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("the tocsin binary starts")
}

async fn wait_healthy(client: &reqwest::Client, base: &str) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while Instant::now() < deadline {
        if let Ok(r) = client.get(format!("{base}/healthz")).send().await
            && r.status() == 200
        {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the server did not become healthy");
}

/// Posts `count` events one after another, stopping early when the server goes away;
/// returns the ids of those answered 202.
async fn post_events(
    client: &reqwest::Client,
    base: &str,
    from: usize,
    count: usize,
) -> Vec<String> {
    let mut accepted = Vec::new();
    for i in from..from + count {
        let r = client
            .post(format!("{base}/api/v1/events"))
            .bearer_auth(TOKEN)
            .json(&json!({"type": "deploy.success", "title": format!("deploy {i}"), "source": {"application": "crash"}}))
            .send()
            .await;
        match r {
            Ok(r) if r.status() == 202 => {
                let body: Value = r.json().await.unwrap();
                accepted.push(body["id"].as_str().unwrap().to_owned());
            }
            // The server was killed under this request: not accepted, nothing promised.
            _ => break,
        }
    }
    accepted
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_accepted_event_is_delivered_after_a_sigkill() {
    let seen = Arc::new(Seen::default());
    let app = Router::new().fallback(receive).with_state(seen.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let receiver = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });

    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::new();
    let mut server = start_server(port, dir.path());
    wait_healthy(&client, &base).await;
    let r = client
        .post(format!("{base}/api/v1/channels"))
        .bearer_auth(TOKEN)
        .json(&json!({"name": "crash", "kind": "webhook", "settings": {"url": format!("http://{receiver}/hook")}, "events": ["*"]}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);

    let mut accepted: HashSet<String> = HashSet::new();
    let mut killed_in_flight = 0;
    for round in 0..3 {
        // Post a burst, wait until some deliveries are on the wire, and kill mid-flight.
        let poster = {
            let (client, base) = (client.clone(), base.clone());
            tokio::spawn(async move { post_events(&client, &base, round * 1000, 150).await })
        };
        let deadline = Instant::now() + Duration::from_secs(10);
        while *seen.in_flight.lock().unwrap() == 0 && Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
        killed_in_flight += *seen.in_flight.lock().unwrap();
        server.kill().unwrap(); // SIGKILL
        server.wait().unwrap();
        accepted.extend(poster.await.unwrap());
        server = start_server(port, dir.path());
        wait_healthy(&client, &base).await;
    }
    accepted.extend(post_events(&client, &base, 9000, 50).await);
    assert!(
        killed_in_flight > 0,
        "the kills caught deliveries in flight"
    );

    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let missing = {
            let got = seen.events.lock().unwrap();
            accepted.iter().filter(|id| !got.contains_key(*id)).count()
        };
        if missing == 0 {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "{missing} of {} accepted events were never delivered",
            accepted.len()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    server.kill().unwrap();
    server.wait().unwrap();
    let got = seen.events.lock().unwrap();
    let duplicates: u32 = got.values().map(|n| n - 1).sum();
    println!(
        "crash safety: {} events accepted across 3 SIGKILLs ({killed_in_flight} requests in flight at the kills), 0 lost, {duplicates} delivered twice",
        accepted.len()
    );
}
