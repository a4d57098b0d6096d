//! What the fault tests share (crash.rs, storage_fault.rs): recording receivers that count
//! every delivery by its `webhook-id` and by its event id, a seeded random number
//! generator, and the report lines that `.ci/run` prints after the tests.

#![allow(dead_code)]

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use serde_json::Value;

#[derive(Default)]
struct Inner {
    /// `webhook-id` (the delivery id) → how many times it arrived.
    deliveries: Mutex<HashMap<String, u32>>,
    /// Event id → how many times it arrived.
    events: Mutex<HashMap<String, u32>>,
    /// Requests received but not yet answered.
    in_flight: AtomicU32,
    /// How long each answer takes, in milliseconds.
    delay_ms: AtomicU64,
    /// While set, every request is answered 503 and not counted.
    refuse: AtomicBool,
    /// Requests answered 503 because of `refuse`.
    refused: AtomicU64,
}

/// A webhook receiver on 127.0.0.1 that records what arrives.
#[derive(Clone)]
pub struct Recorder {
    pub url: String,
    inner: Arc<Inner>,
}

struct InFlight(Arc<Inner>);

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.in_flight.fetch_sub(1, Ordering::SeqCst);
    }
}

async fn receive(State(inner): State<Arc<Inner>>, headers: HeaderMap, body: Bytes) -> StatusCode {
    if inner.refuse.load(Ordering::SeqCst) {
        inner.refused.fetch_add(1, Ordering::SeqCst);
        return StatusCode::SERVICE_UNAVAILABLE;
    }
    // What arrived counts as seen by the receiver, answered or not.
    if let Some(id) = headers.get("webhook-id").and_then(|v| v.to_str().ok()) {
        *inner
            .deliveries
            .lock()
            .unwrap()
            .entry(id.to_owned())
            .or_default() += 1;
    }
    if let Some(id) = serde_json::from_slice::<Value>(&body)
        .ok()
        .and_then(|v| v["id"].as_str().map(String::from))
    {
        *inner.events.lock().unwrap().entry(id).or_default() += 1;
    }
    inner.in_flight.fetch_add(1, Ordering::SeqCst);
    let _guard = InFlight(inner.clone());
    let delay = inner.delay_ms.load(Ordering::SeqCst);
    if delay > 0 {
        tokio::time::sleep(Duration::from_millis(delay)).await;
    }
    StatusCode::OK
}

impl Recorder {
    /// Binds 127.0.0.1:0 and serves on the current runtime.
    pub async fn start() -> Recorder {
        let inner = Arc::new(Inner::default());
        let app = Router::new().fallback(receive).with_state(inner.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/hook", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        Recorder { url, inner }
    }

    pub fn set_delay(&self, delay: Duration) {
        self.inner
            .delay_ms
            .store(delay.as_millis() as u64, Ordering::SeqCst);
    }

    /// While `refuse` holds, answer 503 to everything (the channel's deliveries retry).
    pub fn set_refuse(&self, refuse: bool) {
        self.inner.refuse.store(refuse, Ordering::SeqCst);
    }

    pub fn refused(&self) -> u64 {
        self.inner.refused.load(Ordering::SeqCst)
    }

    pub fn in_flight(&self) -> u32 {
        self.inner.in_flight.load(Ordering::SeqCst)
    }

    /// Accepted event ids that never arrived here.
    pub fn missing<'a>(&self, accepted: impl IntoIterator<Item = &'a String>) -> usize {
        let got = self.inner.events.lock().unwrap();
        accepted
            .into_iter()
            .filter(|id| !got.contains_key(*id))
            .count()
    }

    /// Distinct deliveries (`webhook-id`s) that arrived, and how many arrivals repeated one.
    pub fn arrivals(&self) -> (usize, u32) {
        let got = self.inner.deliveries.lock().unwrap();
        (got.len(), got.values().map(|n| n - 1).sum())
    }

    /// Waits until every accepted event arrived here or `within` passes; returns how many
    /// did not.
    pub async fn wait_for(&self, accepted: &[String], within: Duration) -> usize {
        let deadline = Instant::now() + within;
        loop {
            let missing = self.missing(accepted);
            if missing == 0 || Instant::now() > deadline {
                return missing;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

/// SplitMix64: a small, seeded generator, so that a failing run's schedule can be repeated
/// from the seed it printed.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `low..high`.
    pub fn between(&mut self, low: u64, high: u64) -> u64 {
        low + self.next_u64() % (high - low).max(1)
    }
}

/// The seed from `name` in the environment, or one taken from the clock.
pub fn seed(name: &str) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_nanos() as u64)
                .unwrap_or(1)
        })
}

/// The report file `target/tmp/<name>`, which `.ci/run` prints after the tests.
pub fn report_path(name: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join(name)
}

/// Prints a line of the report (seen with `--nocapture`) and appends it to the file.
pub fn report(file: &std::path::Path, line: &str) {
    use std::io::Write;
    println!("{line}");
    if let Ok(mut f) = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(file)
    {
        let _ = writeln!(f, "{line}");
    }
}

/// Creates a webhook channel for every event, answering its id.
pub async fn create_channel(
    client: &reqwest::Client,
    base: &str,
    token: &str,
    name: &str,
    url: &str,
    retry_schedule: Option<Value>,
) -> String {
    let mut body = serde_json::json!({"name": name, "kind": "webhook",
        "settings": {"url": url}, "events": ["*"]});
    if let Some(schedule) = retry_schedule {
        body["retry_schedule"] = schedule;
    }
    let r = client
        .post(format!("{base}/api/v1/channels"))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201, "creating channel {name}");
    let v: Value = r.json().await.unwrap();
    v["id"].as_str().unwrap().to_owned()
}
