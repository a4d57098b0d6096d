//! The load generator: `count` POSTs of one JSON body by `concurrency` tasks sharing one
//! keep-alive client, each task sending its next request as soon as the previous answered.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use bytes::Bytes;
use reqwest::StatusCode;
use reqwest::header::{AUTHORIZATION, CONTENT_TYPE};

pub struct Load<'a> {
    pub client: &'a reqwest::Client,
    pub url: String,
    pub token: Option<String>,
    pub body: Bytes,
    pub count: usize,
    pub concurrency: usize,
    pub expect: StatusCode,
    /// No request starts after this.
    pub deadline: Instant,
}

pub struct LoadReport {
    /// Requests answered with the expected status.
    pub ok: usize,
    /// Every other outcome (`HTTP 429`, `timeout`, …) and how often.
    pub other: BTreeMap<String, usize>,
    pub started: Instant,
    pub elapsed: Duration,
    /// Latency of every request, sorted.
    latencies: Vec<Duration>,
}

impl LoadReport {
    pub fn per_second(&self) -> f64 {
        self.ok as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }

    pub fn failed(&self) -> usize {
        self.other.values().sum()
    }

    /// The `p`th percentile latency (0–100).
    pub fn percentile(&self, p: f64) -> Duration {
        percentile(&self.latencies, p)
    }
}

pub async fn run(load: Load<'_>) -> LoadReport {
    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..load.concurrency.max(1) {
        let next = next.clone();
        let client = load.client.clone();
        let url = load.url.clone();
        let auth = load.token.as_ref().map(|t| format!("Bearer {t}"));
        let body = load.body.clone();
        let (count, expect, deadline) = (load.count, load.expect, load.deadline);
        tasks.spawn(async move {
            let mut ok = 0;
            let mut other: BTreeMap<String, usize> = BTreeMap::new();
            let mut latencies = Vec::new();
            while next.fetch_add(1, Ordering::Relaxed) < count && Instant::now() < deadline {
                let mut request = client
                    .post(&url)
                    .header(CONTENT_TYPE, "application/json")
                    .body(body.clone());
                if let Some(auth) = &auth {
                    request = request.header(AUTHORIZATION, auth);
                }
                let sent = Instant::now();
                let outcome = match request.send().await {
                    // Read the whole answer, so the connection goes back to the pool.
                    Ok(response) => {
                        let status = response.status();
                        match response.bytes().await {
                            Ok(_) if status == expect => Ok(()),
                            Ok(_) => Err(format!("HTTP {}", status.as_u16())),
                            Err(e) => Err(error_kind(&e)),
                        }
                    }
                    Err(e) => Err(error_kind(&e)),
                };
                latencies.push(sent.elapsed());
                match outcome {
                    Ok(()) => ok += 1,
                    Err(kind) => *other.entry(kind).or_default() += 1,
                }
            }
            (ok, other, latencies)
        });
    }
    let mut report = LoadReport {
        ok: 0,
        other: BTreeMap::new(),
        started,
        elapsed: Duration::ZERO,
        latencies: Vec::with_capacity(load.count),
    };
    while let Some(joined) = tasks.join_next().await {
        match joined {
            Ok((ok, other, latencies)) => {
                report.ok += ok;
                for (kind, n) in other {
                    *report.other.entry(kind).or_default() += n;
                }
                report.latencies.extend(latencies);
            }
            Err(e) => *report.other.entry(format!("task: {e}")).or_default() += 1,
        }
    }
    report.elapsed = started.elapsed();
    report.latencies.sort_unstable();
    report
}

fn error_kind(e: &reqwest::Error) -> String {
    if e.is_timeout() {
        "timeout".into()
    } else if e.is_connect() {
        "connect error".into()
    } else if e.is_body() || e.is_decode() {
        "body error".into()
    } else {
        "request error".into()
    }
}

/// A fixed-rate load: `rate` requests a second for `count` requests, each with its own body
/// (`body(seq)`), started on schedule whether or not earlier ones have been answered.
pub struct Paced<'a> {
    pub client: &'a reqwest::Client,
    pub url: String,
    pub token: String,
    pub rate: u32,
    pub count: u64,
    pub body: &'a (dyn Fn(u64) -> Bytes + Sync),
    pub expect: StatusCode,
    /// No request starts after this.
    pub deadline: Instant,
}

pub struct PacedReport {
    pub load: LoadReport,
    /// When each request answered as expected was sent, by sequence number.
    pub sent: Vec<(u64, Instant)>,
}

/// Requests answered late are still waited for; at most this many are in flight at once
/// (past it the schedule slips, and the report shows it in its elapsed time).
const PACED_IN_FLIGHT: usize = 2_048;

pub async fn paced(load: Paced<'_>) -> PacedReport {
    let started = Instant::now();
    let period = Duration::from_secs_f64(1.0 / f64::from(load.rate.max(1)));
    let auth = format!("Bearer {}", load.token);
    let permits = Arc::new(tokio::sync::Semaphore::new(PACED_IN_FLIGHT));
    let mut tasks = tokio::task::JoinSet::new();
    for seq in 0..load.count {
        let due = started + period.mul_f64(seq as f64);
        tokio::time::sleep_until(due.into()).await;
        if Instant::now() >= load.deadline {
            break;
        }
        let Ok(permit) = permits.clone().acquire_owned().await else {
            break;
        };
        let request = load
            .client
            .post(&load.url)
            .header(CONTENT_TYPE, "application/json")
            .header(AUTHORIZATION, &auth)
            .body((load.body)(seq));
        let expect = load.expect;
        tasks.spawn(async move {
            let sent = Instant::now();
            let outcome = match request.send().await {
                Ok(response) => {
                    let status = response.status();
                    match response.bytes().await {
                        Ok(_) if status == expect => Ok(()),
                        Ok(_) => Err(format!("HTTP {}", status.as_u16())),
                        Err(e) => Err(error_kind(&e)),
                    }
                }
                Err(e) => Err(error_kind(&e)),
            };
            drop(permit);
            (seq, sent, sent.elapsed(), outcome)
        });
    }
    let mut report = PacedReport {
        load: LoadReport {
            ok: 0,
            other: BTreeMap::new(),
            started,
            elapsed: Duration::ZERO,
            latencies: Vec::with_capacity(load.count as usize),
        },
        sent: Vec::with_capacity(load.count as usize),
    };
    while let Some(joined) = tasks.join_next().await {
        match joined {
            Ok((seq, sent, latency, outcome)) => {
                report.load.latencies.push(latency);
                match outcome {
                    Ok(()) => {
                        report.load.ok += 1;
                        report.sent.push((seq, sent));
                    }
                    Err(kind) => *report.load.other.entry(kind).or_default() += 1,
                }
            }
            Err(e) => *report.load.other.entry(format!("task: {e}")).or_default() += 1,
        }
    }
    report.load.elapsed = started.elapsed();
    report.load.latencies.sort_unstable();
    report
}

/// The `p`th percentile (0–100) of sorted durations.
pub fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = (p / 100.0 * (sorted.len() - 1) as f64).round() as usize;
    sorted[rank.min(sorted.len() - 1)]
}
