//! `tocsin-bench`: how fast `tocsin serve` accepts events and delivers them to a local
//! webhook receiver on this machine, and how much memory it uses doing so.
//!
//! Phases, each against a fresh `tocsin serve` process in a temporary directory:
//!
//! 1. raw limit: this tool's client posting the event body straight to its own receiver,
//!    the ceiling any figure below can reach on this machine;
//! 2. phase A: ingest N events while the server delivers them at the same time; ingest
//!    rate and latency, end-to-end delivery rate, memory;
//! 3. phase B: ingest N events while the receiver holds every delivery (so they queue),
//!    stop the server, start it again on the same data and measure how fast it drains
//!    the queue to a receiver that answers at once.

mod load;
mod nodes;
mod receiver;
mod server;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use bytes::Bytes;
use clap::Parser;
use rand::distr::{Alphanumeric, SampleString};
use reqwest::StatusCode;
use serde_json::json;

use crate::load::{Load, LoadReport};
use crate::receiver::{Deliveries, Receiver};
use crate::server::{Launch, MemorySampler, Server, memory};

/// A delivery phase gives up when no new delivery arrived for this long.
const STALL: Duration = Duration::from_secs(30);
const START_TIMEOUT: Duration = Duration::from_secs(30);
const STOP_TIMEOUT: Duration = Duration::from_secs(30);
const SETTLE: Duration = Duration::from_secs(3);

#[derive(Parser)]
#[command(
    name = "tocsin-bench",
    about = "Measures `tocsin serve` against a local webhook receiver: events accepted per \
             second, deliveries per second, ingest latency and memory.",
    after_help = "Build the server first, in release mode:\n\n    \
                  cargo build --release -p tocsin\n    \
                  cargo run --release -p tocsin-bench -- --events 20000 --concurrency 32\n\n\
                  Everything runs on 127.0.0.1; the server's data lives in a temporary \
                  directory that is deleted at the end."
)]
struct Args {
    /// Events posted in each phase.
    #[arg(long, default_value_t = 20_000, value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    events: u32,
    /// Requests in flight at once (keep-alive connections).
    #[arg(long, default_value_t = 32, value_parser = clap::value_parser!(u32).range(1..=1024))]
    concurrency: u32,
    /// The `tocsin` binary [default: target/release/tocsin].
    #[arg(long)]
    binary: Option<PathBuf>,
    /// The whole run stops after this many seconds.
    #[arg(long, default_value_t = 600, value_parser = clap::value_parser!(u64).range(10..=3600))]
    timeout_secs: u64,
    /// Instead of the SQLite phases: measure 1 to `--nodes` nodes sharing this PostgreSQL
    /// database (a user that may create schemas; each run gets a schema of its own).
    #[arg(long, env = "TOCSIN_BENCH_DATABASE_URL")]
    database_url: Option<String>,
    /// With --database-url: the most nodes to measure.
    #[arg(long, default_value_t = 2, value_parser = clap::value_parser!(u32).range(1..=8))]
    nodes: u32,
}

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    runtime.block_on(async {
        let limit = Duration::from_secs(args.timeout_secs);
        let deadline = Instant::now() + limit;
        match tokio::time::timeout(limit, run(&args, deadline)).await {
            Ok(result) => result,
            Err(_) => bail!("the run did not finish within {limit:?}; stopped"),
        }
    })
}

async fn run(args: &Args, deadline: Instant) -> anyhow::Result<()> {
    let binary = resolve_binary(args.binary.as_deref())?;
    let events = args.events as usize;
    let concurrency = args.concurrency as usize;
    // Declared first so it is dropped last, after every server process is gone.
    let dir = tempfile::Builder::new()
        .prefix("tocsin-bench-")
        .tempdir()
        .context("cannot create a temporary directory")?;
    let token = Alphanumeric.sample_string(&mut rand::rng(), 40);
    let token = token.as_str();
    let receiver = Receiver::start().await?;
    let client = reqwest::Client::builder()
        .no_proxy()
        .pool_max_idle_per_host(concurrency)
        .timeout(Duration::from_secs(30))
        .build()
        .context("cannot build the HTTP client")?;
    let body = Bytes::from(serde_json::to_vec(&json!({
        "type": "deploy.success",
        "title": "Deploy Success",
        "message": "bench",
        "source": {"application": "bench"},
    }))?);
    let load = |url: String, token: Option<String>, expect| Load {
        client: &client,
        url,
        token,
        body: body.clone(),
        count: events,
        concurrency,
        expect,
        deadline,
    };

    eprintln!(
        "tocsin-bench: {events} events, concurrency {concurrency}, {} CPUs, server {}",
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        binary.display()
    );

    if let Some(database_url) = &args.database_url {
        let setup = nodes::Setup {
            binary: &binary,
            token,
            database_url,
            nodes: args.nodes as usize,
            events,
            concurrency,
            body: body.clone(),
            client: &client,
            dir: dir.path(),
            deadline,
        };
        return nodes::run(&setup, &receiver).await;
    }

    // Raw limit.
    eprintln!("raw limit: posting to the receiver directly …");
    let raw = load::run(load(receiver.url("/raw"), None, StatusCode::OK)).await;
    require_some(&raw, "raw limit")?;

    // Phase A: ingest with deliveries running.
    eprintln!("phase A: ingest while delivering …");
    let plain = Launch {
        binary: &binary,
        token,
        env: &[],
    };
    let mut a = Server::spawn(&plain, &dir.path().join("a"), &dir.path().join("a.log"))?;
    a.wait_ready(&client, START_TIMEOUT).await?;
    tokio::time::sleep(Duration::from_secs(1)).await;
    let idle = memory(a.pid)?;
    create_channel(&client, &a, token, &receiver.url("/hook")).await?;
    receiver.reset();
    let sampler = MemorySampler::start(a.pid);
    let ingest_a = load::run(load(
        a.url("/api/v1/events"),
        Some(token.to_owned()),
        StatusCode::ACCEPTED,
    ))
    .await;
    require_some(&ingest_a, "phase A ingest")?;
    let delivered_a = receiver.wait_for(ingest_a.ok, STALL, deadline).await;
    let peak_sampled = sampler.finish().await;
    tokio::time::sleep(SETTLE).await;
    let after = memory(a.pid)?;
    a.stop(STOP_TIMEOUT).await?;
    drop(a);

    // Phase B: fill the queue while every delivery is held, then drain it after a restart.
    eprintln!("phase B: ingest while deliveries are held …");
    let held_env = [
        // Held deliveries must neither time out nor lose their lease while the queue fills.
        ("TOCSIN_DELIVERY__TIMEOUT_SECS", "300"),
        ("TOCSIN_DELIVERY__LEASE_SECS", "360"),
        // Stop quickly: in-flight (held) deliveries are given back to the queue.
        ("TOCSIN_DELIVERY__SHUTDOWN_GRACE_SECS", "1"),
    ];
    let holding = Launch {
        binary: &binary,
        token,
        env: &held_env,
    };
    let data_b = dir.path().join("b");
    let mut b = Server::spawn(&holding, &data_b, &dir.path().join("b1.log"))?;
    b.wait_ready(&client, START_TIMEOUT).await?;
    create_channel(&client, &b, token, &receiver.url("/hook")).await?;
    receiver.reset();
    receiver.hold();
    let ingest_b = load::run(load(
        b.url("/api/v1/events"),
        Some(token.to_owned()),
        StatusCode::ACCEPTED,
    ))
    .await;
    require_some(&ingest_b, "phase B ingest")?;
    let stopped_in = b.stop(STOP_TIMEOUT).await?;
    drop(b);
    let held = receiver.held();
    receiver.answer();
    receiver.reset();

    eprintln!("phase B: draining the queue after a restart …");
    let spawned = Instant::now();
    let mut c = Server::spawn(&holding, &data_b, &dir.path().join("b2.log"))?;
    c.wait_ready(&client, START_TIMEOUT).await?;
    let ready_in = spawned.elapsed();
    let sampler = MemorySampler::start(c.pid);
    let drained = receiver.wait_for(ingest_b.ok, STALL, deadline).await;
    let drain_peak = sampler.finish().await;
    let drain_hwm = memory(c.pid)?.hwm_kib;
    c.stop(STOP_TIMEOUT).await?;
    drop(c);

    // The table.
    let raw_rate = raw.per_second();
    let ratio = |rate: f64| format!("{:.0} %", 100.0 * rate / raw_rate);
    let mut t = Table::default();
    t.row(
        "raw limit: client → receiver directly",
        format!("{raw_rate:.0} req/s"),
        "100 %".into(),
    );
    t.row(
        "A ingest, delivering meanwhile",
        format!("{:.0} events/s", ingest_a.per_second()),
        ratio(ingest_a.per_second()),
    );
    latency_rows(&mut t, "A", &ingest_a);
    let (e2e, e2e_rate) = rate_since(&delivered_a, ingest_a.started);
    t.row(
        "A deliveries, first POST → last delivery",
        format!(
            "{e2e_rate:.0} deliveries/s{}",
            completeness(&delivered_a, ingest_a.ok)
        ),
        ratio(e2e_rate),
    );
    let lag = delivered_a
        .last
        .map(|l| l.saturating_duration_since(ingest_a.started + ingest_a.elapsed));
    t.row(
        "A last delivery after the last 202",
        lag.map_or("-".into(), |l| format!("{:.2} s", l.as_secs_f64())),
        String::new(),
    );
    t.row(
        "A duplicate deliveries",
        duplicates(&delivered_a),
        String::new(),
    );
    t.row(
        "B ingest, deliveries held",
        format!("{:.0} events/s", ingest_b.per_second()),
        ratio(ingest_b.per_second()),
    );
    latency_rows(&mut t, "B", &ingest_b);
    let (_, drain_rate) = rate_since(&drained, spawned);
    t.row(
        "B drain after restart, start → last delivery",
        format!(
            "{drain_rate:.0} deliveries/s{}",
            completeness(&drained, ingest_b.ok)
        ),
        ratio(drain_rate),
    );
    t.row(
        "B duplicate deliveries",
        duplicates(&drained),
        String::new(),
    );
    t.row(
        "memory RSS idle (A, 1 s after start)",
        mib(idle.rss_kib),
        String::new(),
    );
    t.row(
        "memory RSS peak under load (A)",
        format!("{} (VmHWM {})", mib(peak_sampled), mib(after.hwm_kib)),
        String::new(),
    );
    t.row(
        &format!("memory RSS {}s after the load (A)", SETTLE.as_secs()),
        mib(after.rss_kib),
        String::new(),
    );
    t.row(
        "memory RSS peak while draining (B)",
        format!("{} (VmHWM {})", mib(drain_peak), mib(drain_hwm)),
        String::new(),
    );

    println!();
    println!(
        "tocsin-bench — {events} events per phase, concurrency {concurrency}, {} CPUs shared by client, receiver and server",
        std::thread::available_parallelism().map_or(0, |n| n.get()),
    );
    println!();
    t.print();
    println!();
    println!(
        "A: e2e window {:.2} s. B: {held} deliveries were held in flight when the server was \
         stopped (SIGTERM, stopped in {:.2} s); the restarted server answered /healthz after \
         {:.2} s and delivered its first queued delivery {} after it was started (both \
         included in the drain time).",
        e2e.as_secs_f64(),
        stopped_in.as_secs_f64(),
        ready_in.as_secs_f64(),
        drained.first.map_or("-".into(), |f| format!(
            "{:.2} s",
            f.saturating_duration_since(spawned).as_secs_f64()
        )),
    );
    for (phase, report) in [("raw", &raw), ("A", &ingest_a), ("B", &ingest_b)] {
        if !report.other.is_empty() {
            println!("{phase}: unexpected answers: {:?}", report.other);
        }
    }
    Ok(())
}

/// `--binary`, or `target/release/tocsin`, or the `tocsin` beside this program.
fn resolve_binary(given: Option<&Path>) -> anyhow::Result<PathBuf> {
    let candidates: Vec<PathBuf> = match given {
        Some(path) => vec![path.to_owned()],
        None => {
            let mut c = vec![PathBuf::from("target/release/tocsin")];
            if let Some(dir) = std::env::current_exe()?.parent() {
                c.push(dir.join("tocsin"));
            }
            c
        }
    };
    for candidate in &candidates {
        if candidate.is_file() {
            return candidate
                .canonicalize()
                .with_context(|| format!("cannot resolve {}", candidate.display()));
        }
    }
    bail!(
        "no tocsin binary at {}; build it first with `cargo build --release -p tocsin` or \
         name it with --binary",
        candidates[0].display()
    )
}

async fn create_channel(
    client: &reqwest::Client,
    server: &Server,
    token: &str,
    target: &str,
) -> anyhow::Result<()> {
    let response = client
        .post(server.url("/api/v1/channels"))
        .bearer_auth(token)
        .json(&json!({
            "name": "bench",
            "kind": "webhook",
            "settings": {"url": target},
            "events": ["*"],
        }))
        .send()
        .await
        .context("cannot create the webhook channel")?;
    let status = response.status();
    if status != StatusCode::CREATED {
        let text = response.text().await.unwrap_or_default();
        bail!("creating the webhook channel answered {status}: {text}");
    }
    Ok(())
}

fn require_some(report: &LoadReport, phase: &str) -> anyhow::Result<()> {
    if report.ok == 0 {
        bail!("{phase}: no request succeeded; answers: {:?}", report.other);
    }
    Ok(())
}

fn latency_rows(t: &mut Table, phase: &str, report: &LoadReport) {
    let ms = |p| format!("{:.1}", report.percentile(p).as_secs_f64() * 1e3);
    t.row(
        &format!("{phase} ingest latency p50 / p95 / p99"),
        format!("{} / {} / {} ms", ms(50.0), ms(95.0), ms(99.0)),
        String::new(),
    );
    t.row(
        &format!("{phase} ingest answers other than 202"),
        report.failed().to_string(),
        String::new(),
    );
}

/// The window from `start` to the last new delivery, and deliveries per second in it.
fn rate_since(d: &Deliveries, start: Instant) -> (Duration, f64) {
    let window = d
        .last
        .map_or(Duration::ZERO, |l| l.saturating_duration_since(start));
    let rate = d.distinct as f64 / window.as_secs_f64().max(1e-9);
    (window, if d.distinct == 0 { 0.0 } else { rate })
}

fn completeness(d: &Deliveries, expected: usize) -> String {
    if d.distinct >= expected {
        String::new()
    } else {
        format!(" (incomplete: {} of {expected})", d.distinct)
    }
}

fn duplicates(d: &Deliveries) -> String {
    let mut s = d.requests.saturating_sub(d.distinct as u64).to_string();
    if d.without_id > 0 {
        s.push_str(&format!(" ({} without webhook-id)", d.without_id));
    }
    s
}

fn mib(kib: u64) -> String {
    format!("{:.1} MiB", kib as f64 / 1024.0)
}

#[derive(Default)]
struct Table(Vec<[String; 3]>);

impl Table {
    fn row(&mut self, figure: &str, value: String, ratio: String) {
        self.0.push([figure.to_owned(), value, ratio]);
    }

    fn print(&self) {
        let header = ["figure", "value", "vs raw limit"];
        let width = |i: usize| {
            self.0
                .iter()
                .map(|r| r[i].chars().count())
                .chain([header[i].len()])
                .max()
                .unwrap_or(0)
        };
        let (w0, w1) = (width(0), width(1));
        let line = |r: [&str; 3]| {
            println!(
                "| {:<w0$} | {:>w1$} | {:>12} |",
                r[0],
                r[1],
                r[2],
                w0 = w0,
                w1 = w1
            );
        };
        line(header);
        println!(
            "|{}|{}|{}|",
            "-".repeat(w0 + 2),
            "-".repeat(w1 + 2),
            "-".repeat(14)
        );
        for r in &self.0 {
            line([&r[0], &r[1], &r[2]]);
        }
    }
}
