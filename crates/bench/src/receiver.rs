//! The recording receiver: a local HTTP endpoint that answers `200 ok` as fast as it can
//! and counts what reaches it. `/hook` is the webhook channel's target and records distinct
//! `webhook-id` headers; `/raw` only counts, for the client-to-receiver limit.
//!
//! In hold mode `/hook` does not answer until released (or [`HOLD_MAX`] passes), so that
//! deliveries stay in flight and the rest wait in the server's queue.
//!
//! A delivery whose body carries a [`SEQ_MARKER`] number has its arrival time kept, for
//! the latency from ingest to delivery. Any other path counts as `/raw` (Apprise posts to
//! `/`), and `GET /stats` reports the counts, for the comparison script.

use std::collections::{HashMap, HashSet};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use anyhow::Context;
use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::{get, post};
use bytes::Bytes;
use tokio::sync::watch;

/// Marks an event's sequence number in its message: `bench-seq-<n>`.
pub const SEQ_MARKER: &str = "bench-seq-";

/// Longest a held request waits for its release.
const HOLD_MAX: Duration = Duration::from_secs(300);

pub struct Receiver {
    addr: SocketAddr,
    hold: AtomicBool,
    release: watch::Sender<bool>,
    raw: AtomicU64,
    requests: AtomicU64,
    held: AtomicU64,
    without_id: AtomicU64,
    seen: Mutex<Seen>,
    /// First arrival of each sequence number.
    arrivals: Mutex<HashMap<u64, Instant>>,
}

/// Distinct `webhook-id`s answered with 200 and when the first and the latest new one came.
#[derive(Default)]
struct Seen {
    ids: HashSet<String>,
    first: Option<Instant>,
    last: Option<Instant>,
}

/// What `/hook` has answered since the last [`Receiver::reset`].
#[derive(Debug, Clone, Copy)]
pub struct Deliveries {
    pub distinct: usize,
    pub requests: u64,
    pub without_id: u64,
    pub first: Option<Instant>,
    pub last: Option<Instant>,
}

impl Receiver {
    /// Binds 127.0.0.1:0 and serves in the background.
    pub async fn start() -> anyhow::Result<Arc<Receiver>> {
        Self::start_on(0).await
    }

    /// Binds 127.0.0.1:`port` (0: any free port) and serves in the background.
    pub async fn start_on(port: u16) -> anyhow::Result<Arc<Receiver>> {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", port))
            .await
            .context("cannot bind the receiver on 127.0.0.1")?;
        let addr = listener.local_addr()?;
        let receiver = Arc::new(Receiver {
            addr,
            hold: AtomicBool::new(false),
            release: watch::Sender::new(false),
            raw: AtomicU64::new(0),
            requests: AtomicU64::new(0),
            held: AtomicU64::new(0),
            without_id: AtomicU64::new(0),
            seen: Mutex::new(Seen::default()),
            arrivals: Mutex::default(),
        });
        let app = Router::new()
            .route("/hook", post(hook))
            .route("/raw", post(raw))
            .route("/stats", get(stats))
            .fallback(raw)
            .with_state(receiver.clone());
        tokio::spawn(async move {
            if let Err(e) = axum::serve(listener, app).await {
                eprintln!("receiver stopped: {e}");
            }
        });
        Ok(receiver)
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// Forgets everything counted so far.
    pub fn reset(&self) {
        self.raw.store(0, Ordering::SeqCst);
        self.requests.store(0, Ordering::SeqCst);
        self.held.store(0, Ordering::SeqCst);
        self.without_id.store(0, Ordering::SeqCst);
        *self.seen.lock().unwrap_or_else(PoisonError::into_inner) = Seen::default();
        self.arrivals
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clear();
    }

    /// When each sequence number first arrived, since the last reset.
    pub fn arrivals(&self) -> HashMap<u64, Instant> {
        self.arrivals
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Requests that reached `/raw` (or any path other than `/hook`) since the last reset.
    pub fn raw_count(&self) -> u64 {
        self.raw.load(Ordering::SeqCst)
    }

    /// From now on `/hook` requests wait instead of being answered.
    pub fn hold(&self) {
        self.release.send_replace(false);
        self.hold.store(true, Ordering::SeqCst);
    }

    /// Answers `/hook` again and lets the held requests go (with a 503; by then their
    /// sender has normally gone away).
    pub fn answer(&self) {
        self.hold.store(false, Ordering::SeqCst);
        self.release.send_replace(true);
    }

    /// Requests that were held since the last reset.
    pub fn held(&self) -> u64 {
        self.held.load(Ordering::SeqCst)
    }

    pub fn deliveries(&self) -> Deliveries {
        let seen = self.seen.lock().unwrap_or_else(PoisonError::into_inner);
        Deliveries {
            distinct: seen.ids.len(),
            requests: self.requests.load(Ordering::SeqCst),
            without_id: self.without_id.load(Ordering::SeqCst),
            first: seen.first,
            last: seen.last,
        }
    }

    /// Waits until `expected` distinct deliveries have arrived, no new one arrived for
    /// `stall`, or `deadline` passed; returns what arrived.
    pub async fn wait_for(
        &self,
        expected: usize,
        stall: Duration,
        deadline: Instant,
    ) -> Deliveries {
        let mut progress = (0, Instant::now());
        loop {
            let d = self.deliveries();
            let now = Instant::now();
            if d.distinct >= expected || now >= deadline {
                return d;
            }
            if d.distinct != progress.0 {
                progress = (d.distinct, now);
            } else if now.duration_since(progress.1) >= stall {
                return d;
            }
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    }
}

async fn hook(
    State(r): State<Arc<Receiver>>,
    headers: HeaderMap,
    body: Bytes,
) -> (StatusCode, &'static str) {
    if r.hold.load(Ordering::SeqCst) {
        r.held.fetch_add(1, Ordering::SeqCst);
        let mut released = r.release.subscribe();
        let _ = tokio::time::timeout(HOLD_MAX, released.wait_for(|go| *go)).await;
        return (StatusCode::SERVICE_UNAVAILABLE, "released");
    }
    r.requests.fetch_add(1, Ordering::SeqCst);
    if let Some(seq) = sequence(&body) {
        let now = Instant::now();
        r.arrivals
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .entry(seq)
            .or_insert(now);
    }
    match headers.get("webhook-id").and_then(|v| v.to_str().ok()) {
        Some(id) => {
            let now = Instant::now();
            let mut seen = r.seen.lock().unwrap_or_else(PoisonError::into_inner);
            if seen.ids.insert(id.to_owned()) {
                seen.first.get_or_insert(now);
                seen.last = Some(now);
            }
        }
        None => {
            r.without_id.fetch_add(1, Ordering::SeqCst);
        }
    }
    (StatusCode::OK, "ok")
}

async fn raw(State(r): State<Arc<Receiver>>, _body: Bytes) -> (StatusCode, &'static str) {
    r.raw.fetch_add(1, Ordering::SeqCst);
    (StatusCode::OK, "ok")
}

async fn stats(State(r): State<Arc<Receiver>>) -> axum::Json<serde_json::Value> {
    let d = r.deliveries();
    axum::Json(serde_json::json!({
        "raw": r.raw_count(),
        "hook_requests": d.requests,
        "hook_distinct": d.distinct,
    }))
}

/// The number after the first [`SEQ_MARKER`] in a body.
fn sequence(body: &[u8]) -> Option<u64> {
    let marker = SEQ_MARKER.as_bytes();
    let at = body.windows(marker.len()).position(|w| w == marker)? + marker.len();
    let digits = body[at..].iter().take_while(|b| b.is_ascii_digit()).count();
    std::str::from_utf8(&body[at..at + digits])
        .ok()?
        .parse()
        .ok()
}
