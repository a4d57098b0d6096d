//! `tocsin-bench`: how fast `tocsin serve` accepts events and delivers them to a local
//! webhook receiver on this machine, and how much memory it uses doing so.
//!
//! Phases, each against a fresh `tocsin serve` process with a fresh SQLite database in a
//! temporary directory (choose them with `--phases`):
//!
//! 1. raw limit (always): this tool's client posting the event body straight to its own
//!    receiver, the ceiling any figure below can reach on this machine;
//! 2. `ingest` (A): ingest N events while the server delivers them at the same time; ingest
//!    rate and latency, end-to-end delivery rate, memory idle and at peak;
//! 3. `latency`: events at a fixed rate for a set time, each 202 and each delivery timed:
//!    the latency from ingest to delivered;
//! 4. `queue` (B): ingest M events while the receiver holds every delivery (so they queue),
//!    read the memory with M queued, stop the server, start it again on the same data and
//!    measure how fast it drains the queue to a receiver that answers at once (dispatch),
//!    with as many deliveries in flight as the raw limit had connections (`--concurrency`).
//!
//! `tocsin-bench receiver` runs the receiver alone, for `scripts/compare-apprise.sh`;
//! `tocsin-bench soak` watches a server under a steady load for leaks (`soak.rs`).

mod load;
mod nodes;
mod receiver;
mod server;
mod soak;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use bytes::Bytes;
use clap::{Parser, Subcommand, ValueEnum};
use rand::distr::{Alphanumeric, SampleString};
use reqwest::StatusCode;
use serde_json::json;

use crate::load::{Load, LoadReport, Paced};
use crate::receiver::{Deliveries, Receiver, SEQ_MARKER};
use crate::server::{Cpu, Launch, Memory, MemorySampler, Server, WorkDir, cpu, memory};

/// A delivery phase gives up when no new delivery arrived for this long.
const STALL: Duration = Duration::from_secs(30);
const START_TIMEOUT: Duration = Duration::from_secs(30);
const STOP_TIMEOUT: Duration = Duration::from_secs(30);
const SETTLE: Duration = Duration::from_secs(3);

#[derive(Parser)]
#[command(
    name = "tocsin-bench",
    about = "Measures `tocsin serve` against a local webhook receiver: events accepted per \
             second, deliveries per second, latency from ingest to delivery, and memory.",
    after_help = "Build the server first, in release mode:\n\n    \
                  cargo build --release -p tocsin\n    \
                  cargo run --release -p tocsin-bench -- --events 20000 --concurrency 32\n\n\
                  Everything runs on 127.0.0.1; the server's data lives in a temporary \
                  directory that is deleted at the end."
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    args: Args,
}

#[derive(Subcommand)]
enum Command {
    /// Runs only the recording receiver on 127.0.0.1, prints its base URL, and serves until
    /// `--secs` pass or standard input closes. `GET /stats` counts what arrived.
    Receiver {
        /// Port on 127.0.0.1 (0: any free port).
        #[arg(long, default_value_t = 0)]
        port: u16,
        #[arg(long, default_value_t = 600, value_parser = clap::value_parser!(u64).range(1..=3600))]
        secs: u64,
    },
    /// Runs a release server for a long while at a steady rate (default 20 minutes at 100
    /// events/s, two channels), samples its memory, descriptors, connections and queue, and
    /// fails when any of them keeps growing (see RELIABILITY.md).
    Soak(soak::SoakArgs),
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Phase {
    Ingest,
    Latency,
    Queue,
}

#[derive(clap::Args)]
struct Args {
    /// Events posted in the ingest phase.
    #[arg(long, default_value_t = 20_000, value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    events: u32,
    /// Deliveries queued (and then drained) in the queue phase.
    #[arg(long, default_value_t = 100_000, value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    queued: u32,
    /// Requests in flight at once (keep-alive connections).
    #[arg(long, default_value_t = 32, value_parser = clap::value_parser!(u32).range(1..=1024))]
    concurrency: u32,
    /// Events a second in the latency phase.
    #[arg(long, default_value_t = 1_000, value_parser = clap::value_parser!(u32).range(1..=50_000))]
    rate: u32,
    /// How long the latency phase sends, in seconds.
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=300))]
    latency_secs: u64,
    /// Phases to run after the raw limit [default: all].
    #[arg(long, value_enum, value_delimiter = ',')]
    phases: Vec<Phase>,
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
    let cli = Cli::parse();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    runtime.block_on(async {
        match cli.command {
            Some(Command::Receiver { port, secs }) => {
                return serve_receiver(port, Duration::from_secs(secs)).await;
            }
            Some(Command::Soak(args)) => return soak::run(args).await,
            None => {}
        }
        let args = &cli.args;
        let limit = Duration::from_secs(args.timeout_secs);
        let deadline = Instant::now() + limit;
        match tokio::time::timeout(limit, run(args, deadline)).await {
            Ok(result) => result,
            Err(_) => bail!("the run did not finish within {limit:?}; stopped"),
        }
    })
}

async fn serve_receiver(port: u16, limit: Duration) -> anyhow::Result<()> {
    let receiver = Receiver::start_on(port).await?;
    println!("{}", receiver.url(""));
    // Ends when the time is up or whoever started us closes our standard input.
    let stdin_closed = tokio::task::spawn_blocking(|| {
        let mut sink = Vec::new();
        let _ = std::io::Read::read_to_end(&mut std::io::stdin(), &mut sink);
    });
    tokio::select! {
        _ = tokio::time::sleep(limit) => {}
        _ = stdin_closed => {}
    }
    Ok(())
}

/// Everything one run shares.
struct Run<'a> {
    binary: &'a Path,
    dir: &'a Path,
    token: &'a str,
    client: reqwest::Client,
    receiver: std::sync::Arc<Receiver>,
}

impl Run<'_> {
    /// Starts a server on the data directory `name` (fresh unless used before), writing its
    /// output to `log`.log, and waits until it answers.
    async fn server(&self, name: &str, log: &str, env: &[(&str, &str)]) -> anyhow::Result<Server> {
        let launch = Launch {
            binary: self.binary,
            token: self.token,
            env,
        };
        let mut server = Server::spawn(
            &launch,
            &self.dir.join(name),
            &self.dir.join(format!("{log}.log")),
        )?;
        server.wait_ready(&self.client, START_TIMEOUT).await?;
        Ok(server)
    }
}

async fn run(args: &Args, deadline: Instant) -> anyhow::Result<()> {
    let binary = resolve_binary(args.binary.as_deref())?;
    let phases: Vec<Phase> = if args.phases.is_empty() {
        vec![Phase::Ingest, Phase::Latency, Phase::Queue]
    } else {
        args.phases.clone()
    };
    let events = args.events as usize;
    let queued = args.queued as usize;
    let concurrency = args.concurrency as usize;
    // Declared first so it is dropped last, after every server process is gone.
    let dir = WorkDir::new("tocsin-bench-")?;
    let token = Alphanumeric.sample_string(&mut rand::rng(), 40);
    let client = reqwest::Client::builder()
        .no_proxy()
        .pool_max_idle_per_host(concurrency.max(64))
        .timeout(Duration::from_secs(30))
        .build()
        .context("cannot build the HTTP client")?;
    let r = Run {
        binary: &binary,
        dir: dir.path(),
        token: &token,
        client: client.clone(),
        receiver: Receiver::start().await?,
    };
    let body = Bytes::from(serde_json::to_vec(&json!({
        "type": "deploy.success",
        "title": "Deploy Success",
        "message": "bench",
        "source": {"application": "bench"},
    }))?);
    let load = |url: String, token: Option<String>, count: usize, expect| Load {
        client: &client,
        url,
        token,
        body: body.clone(),
        count,
        concurrency,
        expect,
        deadline,
    };

    eprintln!(
        "tocsin-bench: {events} events, {queued} queued, concurrency {concurrency}, latency at \
         {} events/s for {} s, {} CPUs, server {}",
        args.rate,
        args.latency_secs,
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        binary.display()
    );

    if let Some(database_url) = &args.database_url {
        let setup = nodes::Setup {
            binary: &binary,
            token: &token,
            database_url,
            nodes: args.nodes as usize,
            events,
            concurrency,
            body: body.clone(),
            client: &client,
            dir: dir.path(),
            deadline,
        };
        return nodes::run(&setup, &r.receiver).await;
    }

    // Raw limit.
    eprintln!("raw limit: posting to the receiver directly …");
    let raw = load::run(load(r.receiver.url("/raw"), None, events, StatusCode::OK)).await;
    require_some(&raw, "raw limit")?;
    let raw_rate = raw.per_second();
    let ratio = |rate: f64| format!("{:.0} %", 100.0 * rate / raw_rate);
    let mut t = Table::default();
    t.row(
        &format!("raw limit: client → receiver directly, {concurrency} connections"),
        format!("{raw_rate:.0} req/s"),
        "100 %".into(),
    );
    let mut idle: Option<Memory> = None;
    let mut notes: Vec<String> = Vec::new();
    let mut reports: Vec<(&str, LoadReport)> = Vec::new();

    if phases.contains(&Phase::Ingest) {
        eprintln!("ingest (A): {events} events while delivering …");
        let mut a = r.server("a", "a", &[]).await?;
        tokio::time::sleep(Duration::from_secs(1)).await;
        let idle_a = memory(a.pid)?;
        idle.get_or_insert(idle_a);
        create_channel(&client, &a, &token, "bench", &r.receiver.url("/hook")).await?;
        r.receiver.reset();
        let sampler = MemorySampler::start(a.pid);
        let cpu_before = cpu(a.pid)?;
        let ingest = load::run(load(
            a.url("/api/v1/events"),
            Some(token.clone()),
            events,
            StatusCode::ACCEPTED,
        ))
        .await;
        require_some(&ingest, "ingest (A)")?;
        let delivered = r.receiver.wait_for(ingest.ok, STALL, deadline).await;
        let a_cpu = cpu(a.pid)?.since(cpu_before);
        let peak = sampler.finish().await;
        tokio::time::sleep(SETTLE).await;
        let after = memory(a.pid)?;
        a.stop(STOP_TIMEOUT).await?;
        drop(a);

        t.row(
            "A ingest, delivering meanwhile (202 = committed)",
            format!("{:.0} events/s", ingest.per_second()),
            ratio(ingest.per_second()),
        );
        latency_rows(&mut t, "A", &ingest);
        let (e2e, e2e_rate) = rate_since(&delivered, ingest.started);
        t.row(
            "A deliveries, first POST → last delivery (server default concurrency)",
            format!(
                "{e2e_rate:.0} deliveries/s{}",
                completeness(&delivered, ingest.ok)
            ),
            ratio(e2e_rate),
        );
        let lag = delivered
            .last
            .map(|l| l.saturating_duration_since(ingest.started + ingest.elapsed));
        t.row(
            "A last delivery after the last 202",
            lag.map_or("-".into(), |l| format!("{:.2} s", l.as_secs_f64())),
            String::new(),
        );
        t.row(
            "A server CPU per event, accepted and delivered",
            per_item(a_cpu, ingest.ok as u64),
            String::new(),
        );
        t.row(
            "A duplicate deliveries",
            duplicates(&delivered),
            String::new(),
        );
        t.row(
            "memory RSS peak under load (A)",
            format!("{} (VmHWM {})", mib(peak), mib(after.hwm_kib)),
            String::new(),
        );
        t.row(
            &format!("memory RSS {}s after the load (A)", SETTLE.as_secs()),
            rss(&after),
            String::new(),
        );
        notes.push(format!("A: e2e window {:.2} s.", e2e.as_secs_f64()));
        reports.push(("A", ingest));
    }

    if phases.contains(&Phase::Latency) {
        let count = u64::from(args.rate) * args.latency_secs;
        eprintln!(
            "latency: {} events/s for {} s …",
            args.rate, args.latency_secs
        );
        let mut l = r.server("latency", "latency", &[]).await?;
        tokio::time::sleep(Duration::from_secs(1)).await;
        idle.get_or_insert(memory(l.pid)?);
        create_channel(&client, &l, &token, "bench", &r.receiver.url("/hook")).await?;
        r.receiver.reset();
        let make_body = |seq: u64| {
            Bytes::from(
                serde_json::to_vec(&json!({
                    "type": "deploy.success",
                    "title": "Deploy Success",
                    "message": format!("{SEQ_MARKER}{seq}"),
                    "source": {"application": "bench"},
                }))
                .unwrap_or_default(),
            )
        };
        let paced = load::paced(Paced {
            client: &client,
            url: l.url("/api/v1/events"),
            token: token.clone(),
            rate: args.rate,
            count,
            body: &make_body,
            expect: StatusCode::ACCEPTED,
            deadline,
        })
        .await;
        require_some(&paced.load, "latency")?;
        r.receiver
            .wait_for(paced.load.ok, Duration::from_secs(5), deadline)
            .await;
        let arrivals = r.receiver.arrivals();
        l.stop(STOP_TIMEOUT).await?;
        drop(l);
        let mut e2e: Vec<Duration> = paced
            .sent
            .iter()
            .filter_map(|(seq, sent)| {
                arrivals
                    .get(seq)
                    .map(|at| at.saturating_duration_since(*sent))
            })
            .collect();
        e2e.sort_unstable();
        let ms = |d: Duration| format!("{:.1}", d.as_secs_f64() * 1e3);
        let p = |q| ms(load::percentile(&e2e, q));
        t.row(
            &format!(
                "latency phase: {} events/s asked for {} s, sent at",
                args.rate, args.latency_secs
            ),
            format!("{:.0} events/s", paced.load.per_second()),
            String::new(),
        );
        latency_rows(&mut t, "latency phase", &paced.load);
        t.row(
            "ingest → delivered p50 / p95 / p99",
            format!("{} / {} / {} ms", p(50.0), p(95.0), p(99.0)),
            String::new(),
        );
        t.row(
            "ingest → delivered max, delivered of accepted",
            format!(
                "{} ms, {} of {}",
                e2e.last().map_or("-".into(), |d| ms(*d)),
                e2e.len(),
                paced.load.ok
            ),
            String::new(),
        );
    }

    if phases.contains(&Phase::Queue) {
        eprintln!("queue (B): {queued} events while deliveries are held …");
        // The server sends to the one bench channel with as many requests in flight as the
        // raw limit's client had connections, so that the drain and the raw limit compare.
        let workers = concurrency.to_string();
        let held_env = [
            ("TOCSIN_DELIVERY__CONCURRENCY", workers.as_str()),
            ("TOCSIN_DELIVERY__CHANNEL_CONCURRENCY", workers.as_str()),
            // Held deliveries must neither time out nor lose their lease while the queue fills.
            ("TOCSIN_DELIVERY__TIMEOUT_SECS", "300"),
            ("TOCSIN_DELIVERY__LEASE_SECS", "360"),
            // Stop quickly: in-flight (held) deliveries are given back to the queue.
            ("TOCSIN_DELIVERY__SHUTDOWN_GRACE_SECS", "1"),
        ];
        let mut b = r.server("b", "b1", &held_env).await?;
        tokio::time::sleep(Duration::from_secs(1)).await;
        idle.get_or_insert(memory(b.pid)?);
        create_channel(&client, &b, &token, "bench", &r.receiver.url("/hook")).await?;
        r.receiver.reset();
        r.receiver.hold();
        let sampler = MemorySampler::start(b.pid);
        let cpu_before = cpu(b.pid)?;
        let ingest = load::run(load(
            b.url("/api/v1/events"),
            Some(token.clone()),
            queued,
            StatusCode::ACCEPTED,
        ))
        .await;
        require_some(&ingest, "queue (B) ingest")?;
        let fill_cpu = cpu(b.pid)?.since(cpu_before);
        let fill_peak = sampler.finish().await;
        tokio::time::sleep(SETTLE).await;
        let full = memory(b.pid)?;
        let stopped_in = b.stop(STOP_TIMEOUT).await?;
        drop(b);
        let held = r.receiver.held();
        r.receiver.answer();
        r.receiver.reset();

        eprintln!(
            "queue (B): draining {} queued deliveries after a restart …",
            ingest.ok
        );
        let spawned = Instant::now();
        let mut c = r.server("b", "b2", &held_env).await?;
        let ready_in = spawned.elapsed();
        let sampler = MemorySampler::start(c.pid);
        let drained = r.receiver.wait_for(ingest.ok, STALL, deadline).await;
        // From the start of the process: its start-up is part of the drain.
        let drain_cpu = cpu(c.pid)?;
        let drain_peak = sampler.finish().await;
        let drain_hwm = memory(c.pid)?.hwm_kib;
        c.stop(STOP_TIMEOUT).await?;
        drop(c);

        t.row(
            &format!("B ingest of {queued}, deliveries held"),
            format!("{:.0} events/s", ingest.per_second()),
            ratio(ingest.per_second()),
        );
        latency_rows(&mut t, "B", &ingest);
        t.row(
            "B server CPU per event accepted",
            per_item(fill_cpu, ingest.ok as u64),
            String::new(),
        );
        let drain_rate = match (drained.first, drained.last) {
            (Some(first), Some(last)) if drained.distinct > 1 => {
                (drained.distinct - 1) as f64 / last.duration_since(first).as_secs_f64().max(1e-9)
            }
            _ => 0.0,
        };
        t.row(
            &format!(
                "dispatch: drain of the queue, first → last delivery, {concurrency} in flight"
            ),
            format!(
                "{drain_rate:.0} deliveries/s{}",
                completeness(&drained, ingest.ok)
            ),
            ratio(drain_rate),
        );
        let (_, restart_rate) = rate_since(&drained, spawned);
        t.row(
            "dispatch: drain including the restart, start → last delivery",
            format!("{restart_rate:.0} deliveries/s"),
            ratio(restart_rate),
        );
        t.row(
            "dispatch: server CPU per delivery",
            per_item(drain_cpu, drained.distinct as u64),
            String::new(),
        );
        t.row(
            "B duplicate deliveries",
            duplicates(&drained),
            String::new(),
        );
        t.row(
            &format!("memory RSS with {} queued deliveries (B)", ingest.ok),
            format!("{} (peak while filling {})", rss(&full), mib(fill_peak)),
            String::new(),
        );
        t.row(
            "memory RSS peak while draining (B)",
            format!("{} (VmHWM {})", mib(drain_peak), mib(drain_hwm)),
            String::new(),
        );
        notes.push(format!(
            "B: {held} deliveries were held in flight when the server was stopped (SIGTERM, \
             stopped in {:.2} s); the restarted server answered /healthz after {:.2} s and \
             delivered its first queued delivery {} after it was started.",
            stopped_in.as_secs_f64(),
            ready_in.as_secs_f64(),
            drained.first.map_or("-".into(), |f| format!(
                "{:.2} s",
                f.saturating_duration_since(spawned).as_secs_f64()
            )),
        ));
        reports.push(("B", ingest));
    }
    if let Some(idle) = idle {
        t.row(
            "memory RSS idle (1 s after start)",
            rss(&idle),
            String::new(),
        );
    }

    println!();
    println!(
        "tocsin-bench — {events} events (A), {queued} queued (B), concurrency {concurrency}, \
         {} CPUs shared by client, receiver and server",
        std::thread::available_parallelism().map_or(0, |n| n.get()),
    );
    println!();
    t.print();
    println!();
    for note in notes {
        println!("{note}");
    }
    if !raw.other.is_empty() {
        println!("raw: unexpected answers: {:?}", raw.other);
    }
    for (phase, report) in &reports {
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

/// Creates a webhook channel `name` for every event, aimed at `target`.
async fn create_channel(
    client: &reqwest::Client,
    server: &Server,
    token: &str,
    name: &str,
    target: &str,
) -> anyhow::Result<()> {
    let response = client
        .post(server.url("/api/v1/channels"))
        .bearer_auth(token)
        .json(&json!({
            "name": name,
            "kind": "webhook",
            "settings": {"url": target},
            "events": ["*"],
        }))
        .send()
        .await
        .with_context(|| format!("cannot create the webhook channel {name}"))?;
    let status = response.status();
    if status != StatusCode::CREATED {
        let text = response.text().await.unwrap_or_default();
        bail!("creating the webhook channel {name} answered {status}: {text}");
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

/// VmRSS with the part that is the process's own.
fn rss(m: &Memory) -> String {
    format!("{} ({} anonymous)", mib(m.rss_kib), mib(m.anon_kib))
}

/// CPU time and waits per item, e.g. "310 µs (40 % system), 1.2 waits; 3.1 s in all".
fn per_item(used: Cpu, items: u64) -> String {
    if items == 0 {
        return "-".into();
    }
    let secs = used.time.as_secs_f64();
    format!(
        "{:.0} µs ({:.0} % system), {:.1} waits; {secs:.1} s in all",
        secs * 1e6 / items as f64,
        used.system.as_secs_f64() * 100.0 / secs.max(1e-9),
        used.waits as f64 / items as f64,
    )
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
