//! Graceful shutdown under load: events are posted continuously to a real `tocsin serve`
//! while a slow receiver keeps deliveries in flight, then the process gets SIGTERM. It must
//! exit within its deadline, and after a restart on the same database every event it
//! answered 202 must arrive. The lease is longer than the test, so a delivery that was
//! neither finished nor given back at shutdown would not arrive in time.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::Write;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use serde_json::{Value, json};

mod common;
use common::{free_port, wait_healthy};

const TOKEN: &str = "shutdown-test-token-0123456789";
/// `delivery.shutdown_grace_secs` for the server under test.
const GRACE_SECS: u64 = 3;
/// How long the process may take from SIGTERM to exit: the grace period for deliveries
/// and requests in flight, plus a margin for a loaded machine.
const EXIT_DEADLINE: Duration = Duration::from_secs(GRACE_SECS + 7);
/// `delivery.lease_secs`: longer than the test, so only deliveries given back at shutdown
/// come back soon.
const LEASE_SECS: u64 = 600;

#[derive(Default)]
struct Seen {
    /// Event id → how many times its delivery arrived.
    events: Mutex<HashMap<String, u32>>,
    in_flight: Mutex<u32>,
    /// Slow requests (longer than the grace period) being answered right now.
    slow_in_flight: Mutex<u32>,
}

impl Seen {
    /// How many of `accepted` have not arrived.
    fn missing(&self, accepted: &HashSet<String>) -> usize {
        let got = self.events.lock().unwrap();
        accepted.iter().filter(|id| !got.contains_key(*id)).count()
    }
}

struct InFlight(Arc<Seen>);

impl Drop for InFlight {
    fn drop(&mut self) {
        *self.0.in_flight.lock().unwrap() -= 1;
    }
}

struct SlowInFlight(Arc<Seen>);

impl Drop for SlowInFlight {
    fn drop(&mut self) {
        *self.0.slow_in_flight.lock().unwrap() -= 1;
    }
}

async fn receive(State(seen): State<Arc<Seen>>, body: Bytes) -> &'static str {
    let event = serde_json::from_slice::<Value>(&body).unwrap_or_default();
    *seen.in_flight.lock().unwrap() += 1;
    let _guard = InFlight(seen.clone());
    // Slow enough that SIGTERM catches deliveries on the wire; every tenth event is slower
    // than the grace period, so shutdown must give it back rather than finish it.
    let slow = event["title"].as_str().is_some_and(|t| t.ends_with('7'));
    let _slow = slow.then(|| {
        *seen.slow_in_flight.lock().unwrap() += 1;
        SlowInFlight(seen.clone())
    });
    let wait = if slow { 6_000 } else { 200 };
    tokio::time::sleep(Duration::from_millis(wait)).await;
    // Counted once answered: what the server sees as delivered.
    if let Some(id) = event["id"].as_str() {
        *seen
            .events
            .lock()
            .unwrap()
            .entry(id.to_owned())
            .or_default() += 1;
    }
    "ok"
}

/// `delivery.concurrency` (and per channel) for the first run, which is stopped under load.
const CONCURRENCY: u32 = 16;
/// The same for the restart, which drains the backlog: the receiver answers at most
/// `concurrency / 0.78 s` deliveries a second (nine of ten take 0.2 s, one 6 s).
const RESTART_CONCURRENCY: u32 = 64;

fn start_server(
    port: u16,
    data_dir: &std::path::Path,
    log: &std::path::Path,
    concurrency: u32,
) -> Child {
    let log = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(log)
        .unwrap();
    Command::new(env!("CARGO_BIN_EXE_tocsin"))
        .arg("serve")
        .env("TOCSIN_LISTEN", format!("127.0.0.1:{port}"))
        .env("TOCSIN_DATA_DIR", data_dir)
        .env("TOCSIN_ADMIN_TOKEN", TOKEN)
        .env("TOCSIN_ALLOW_PRIVATE", "127.0.0.0/8")
        .env("TOCSIN_DELIVERY__TIMEOUT_SECS", "10")
        .env("TOCSIN_DELIVERY__LEASE_SECS", LEASE_SECS.to_string())
        .env("TOCSIN_DELIVERY__CONCURRENCY", concurrency.to_string())
        .env(
            "TOCSIN_DELIVERY__CHANNEL_CONCURRENCY",
            concurrency.to_string(),
        )
        .env(
            "TOCSIN_DELIVERY__SHUTDOWN_GRACE_SECS",
            GRACE_SECS.to_string(),
        )
        .env("TOCSIN_API__EVENTS_PER_MINUTE_PER_APPLICATION", "0")
        .env("TOCSIN_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .expect("the tocsin binary starts")
}

/// The text without terminal colour codes.
fn plain(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            for c in chars.by_ref() {
                if c == 'm' {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[derive(Default)]
struct Posted {
    accepted: Vec<String>,
    /// Answers other than 202, by status; 0 for a refused or broken connection.
    other: BTreeMap<u16, u32>,
}

/// Posts events one after another until `stop`; a fresh connection for each, so that a
/// closed listener shows as refused.
async fn post_until(base: String, worker: usize, stop: Arc<AtomicBool>) -> Posted {
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(0)
        .timeout(Duration::from_secs(20))
        .build()
        .unwrap();
    let mut posted = Posted::default();
    for i in 0.. {
        if stop.load(Ordering::SeqCst) {
            break;
        }
        let r = client
            .post(format!("{base}/api/v1/events"))
            .bearer_auth(TOKEN)
            .json(
                &json!({"type": "deploy.success", "title": format!("deploy {worker}-{i}"),
                "source": {"application": "shutdown"}}),
            )
            .send()
            .await;
        match r {
            Ok(r) if r.status() == 202 => {
                let body: Value = r.json().await.unwrap();
                posted
                    .accepted
                    .push(body["id"].as_str().unwrap().to_owned());
            }
            Ok(r) => *posted.other.entry(r.status().as_u16()).or_default() += 1,
            Err(_) => {
                *posted.other.entry(0).or_default() += 1;
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        }
    }
    posted
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_under_load_exits_in_time_and_loses_nothing() {
    let seen = Arc::new(Seen::default());
    let app = Router::new().fallback(receive).with_state(seen.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let receiver = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });

    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("server.log");
    let data = dir.path().join("data");
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::new();
    let mut server = start_server(port, &data, &log, CONCURRENCY);
    wait_healthy(&client, &base, Duration::from_secs(30)).await;
    let r = client
        .post(format!("{base}/api/v1/channels"))
        .bearer_auth(TOKEN)
        .json(&json!({"name": "shutdown", "kind": "webhook",
            "settings": {"url": format!("http://{receiver}/hook")}, "events": ["*"]}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);

    let stop = Arc::new(AtomicBool::new(false));
    let posters: Vec<_> = (0..4)
        .map(|w| tokio::spawn(post_until(base.clone(), w, stop.clone())))
        .collect();
    // A client that sends half a request and then nothing: shutdown must not wait for it.
    let mut stalled = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    stalled
        .write_all(b"POST /api/v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100\r\n")
        .unwrap();

    // Load for a while, then SIGTERM at a moment with deliveries on the wire, a slow one
    // among them.
    tokio::time::sleep(Duration::from_millis(1_000)).await;
    let deadline = Instant::now() + Duration::from_secs(15);
    while (*seen.in_flight.lock().unwrap() < 2 || *seen.slow_in_flight.lock().unwrap() == 0)
        && Instant::now() < deadline
    {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let in_flight_at_term = *seen.in_flight.lock().unwrap();
    assert!(
        in_flight_at_term > 0,
        "deliveries were in flight at SIGTERM ({} delivered so far; server {:?}); log:\n{}",
        seen.events.lock().unwrap().len(),
        server.try_wait(),
        std::fs::read_to_string(&log).unwrap_or_default()
    );

    let status = Command::new("kill")
        .args(["-TERM", &server.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let termed = Instant::now();
    let exit = loop {
        if let Some(exit) = server.try_wait().unwrap() {
            break exit;
        }
        if termed.elapsed() > EXIT_DEADLINE {
            server.kill().unwrap();
            server.wait().unwrap();
            panic!(
                "the server did not exit within {EXIT_DEADLINE:?} of SIGTERM; its log:\n{}",
                std::fs::read_to_string(&log).unwrap_or_default()
            );
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    let exit_took = termed.elapsed();
    assert!(
        exit.success(),
        "a clean exit: {exit}; log:\n{}",
        std::fs::read_to_string(&log).unwrap_or_default()
    );
    // The posters keep going a moment against the stopped server, then stop.
    tokio::time::sleep(Duration::from_millis(300)).await;
    stop.store(true, Ordering::SeqCst);
    drop(stalled);
    let mut accepted: HashSet<String> = HashSet::new();
    let mut other: BTreeMap<u16, u32> = BTreeMap::new();
    for p in posters {
        let p = p.await.unwrap();
        accepted.extend(p.accepted);
        for (status, n) in p.other {
            *other.entry(status).or_default() += n;
        }
    }
    // While stopping, ingest is refused (0) or answered with an error, never anything else.
    assert!(
        other.keys().all(|s| *s == 0 || *s == 503),
        "answers other than 202 while stopping: {other:?}"
    );
    let before_restart = seen.events.lock().unwrap().len();
    // What the dispatcher gave back: the slow deliveries the grace period did not cover.
    let server_log = plain(&std::fs::read_to_string(&log).unwrap_or_default());
    let released: u64 = server_log
        .lines()
        .filter(|l| l.contains("giving unfinished deliveries back"))
        .filter_map(|l| l.split("deliveries=").nth(1))
        .filter_map(|n| n.split_whitespace().next()?.parse::<u64>().ok())
        .sum();
    assert!(
        released > 0,
        "the slow delivery in flight was given back: {server_log}"
    );

    // Restart on the same database: everything accepted arrives, well before any lease
    // could run out. How many that is depends on how fast this machine took events in, so
    // the time allowed is three times what the receiver needs for the backlog, and at
    // least 30 s; both far below the 600 s lease.
    let backlog = seen.missing(&accepted);
    let receiver_needs =
        Duration::from_secs_f64(backlog as f64 * 0.78 / RESTART_CONCURRENCY as f64);
    let allowed = (receiver_needs * 3).max(Duration::from_secs(30));
    // Were it not, a delivery held by its lease could arrive in time too, and prove nothing.
    assert!(
        allowed < Duration::from_secs(LEASE_SECS / 2),
        "{backlog} accepted events due at the restart need {allowed:?}: too many for a {LEASE_SECS} s lease"
    );
    let restarted = Instant::now();
    let mut server = start_server(port, &data, &log, RESTART_CONCURRENCY);
    wait_healthy(&client, &base, Duration::from_secs(30)).await;
    let deadline = restarted + allowed;
    loop {
        let missing = seen.missing(&accepted);
        if missing == 0 {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "{missing} of {} accepted events were never delivered ({backlog} were due at the restart, {allowed:?} allowed)",
            accepted.len()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let drained = restarted.elapsed();
    server.kill().unwrap();
    server.wait().unwrap();
    let got = seen.events.lock().unwrap();
    let duplicates: u32 = got.values().map(|n| n - 1).sum();
    let unaccepted = got.keys().filter(|id| !accepted.contains(*id)).count();
    println!(
        "graceful shutdown: {} events accepted, {in_flight_at_term} deliveries in flight at SIGTERM, exit after {exit_took:?} (deadline {EXIT_DEADLINE:?}, grace {GRACE_SECS} s), {released} released, {before_restart} delivered before the restart, {backlog} after it within {drained:?} (allowed {allowed:?}), 0 lost, {duplicates} duplicates, {unaccepted} delivered events the client saw no 202 for; other answers {other:?}",
        accepted.len()
    );
}
