//! `tocsin-bench soak`: a release `tocsin serve` under a moderate, steady load for a long
//! time, watched for slow leaks. Events go at a fixed rate to two webhook channels, each
//! pointing at its own recording receiver on 127.0.0.1. Every `--sample-secs` the tool
//! records the server's resident memory, open file descriptors, established TCP
//! connections, queue depth (deliveries pending or retrying, from `/metrics`) and how many
//! deliveries arrived.
//!
//! The verdict, over the second half of the run (the first half is warm-up: caches fill,
//! connection pools open): the least-squares slope of RSS, of the descriptor count and of
//! the connection count must stay under their limits, the queue depth under its bound, every
//! post must be answered 202, and every accepted event must reach both channels once the
//! load stops. A failed verdict exits non-zero.

use std::collections::{BTreeMap, HashSet};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use rand::distr::{Alphanumeric, SampleString};
use reqwest::StatusCode;
use serde_json::json;

use crate::create_channel;
use crate::receiver::Receiver;
use crate::server::{Launch, Server, memory};

#[derive(clap::Args)]
pub struct SoakArgs {
    /// How long the load runs, in seconds.
    #[arg(long, default_value_t = 1_200, value_parser = clap::value_parser!(u64).range(20..=86_400))]
    duration_secs: u64,
    /// Events a second (each goes to both channels).
    #[arg(long, default_value_t = 100, value_parser = clap::value_parser!(u32).range(1..=5_000))]
    rate: u32,
    /// Seconds between two samples.
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=600))]
    sample_secs: u64,
    /// Fail when resident memory grows faster than this over the second half, in KiB a minute
    /// (1 MiB a minute: what a leak of about 175 bytes per event does at 100 events/s).
    #[arg(long, default_value_t = 1_024.0)]
    max_rss_growth_kib_per_min: f64,
    /// Fail when open file descriptors grow faster than this over the second half, a minute.
    /// Pools open and close connections with the load, so the count wanders by tens; a leak
    /// of one descriptor per event at the default rate would add 6,000 a minute.
    #[arg(long, default_value_t = 5.0)]
    max_fd_growth_per_min: f64,
    /// Fail when established TCP connections grow faster than this over the second half, a minute.
    #[arg(long, default_value_t = 5.0)]
    max_tcp_growth_per_min: f64,
    /// Fail when deliveries pending or retrying exceed this in the second half
    /// [default: ten seconds of load, two channels].
    #[arg(long)]
    max_queue: Option<u64>,
    /// The `tocsin` binary [default: target/release/tocsin].
    #[arg(long)]
    binary: Option<PathBuf>,
}

/// One sample of the server.
#[derive(Debug, Clone, Copy)]
struct Sample {
    secs: f64,
    rss_kib: u64,
    fds: u64,
    tcp: u64,
    /// Deliveries pending or retrying.
    queued: u64,
    /// Deliveries claimed and on their way.
    sending: u64,
    accepted: u64,
    delivered: u64,
}

/// What the load has done so far.
#[derive(Default)]
struct Counts {
    accepted: AtomicU64,
    /// Answers other than 202, by kind.
    other: Mutex<BTreeMap<String, u64>>,
}

const TOKEN_LEN: usize = 40;
/// Tasks posting the load, each one request at a time: at most this many connections.
const POSTERS: usize = 16;
/// After the load stops, how long deliveries may take to catch up.
const DRAIN: Duration = Duration::from_secs(120);

pub async fn run(args: SoakArgs) -> anyhow::Result<()> {
    let binary = crate::resolve_binary(args.binary.as_deref())?;
    let token = Alphanumeric.sample_string(&mut rand::rng(), TOKEN_LEN);
    let work = crate::server::WorkDir::new("tocsin-soak-")?;
    let receivers = [Receiver::start().await?, Receiver::start().await?];
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(POSTERS)
        .timeout(Duration::from_secs(30))
        .build()?;
    let launch = Launch {
        binary: &binary,
        token: &token,
        env: &[("TOCSIN_LOG", "warn")],
    };
    let log = work.path().join("serve.log");
    let mut server = Server::spawn(&launch, &work.path().join("data"), &log)?;
    server.wait_ready(&client, Duration::from_secs(30)).await?;
    for (name, receiver) in ["soak-a", "soak-b"].iter().zip(&receivers) {
        create_channel(&client, &server, &token, name, &receiver.url("/hook")).await?;
    }
    let duration = Duration::from_secs(args.duration_secs);
    let every = Duration::from_secs(args.sample_secs);
    let max_queue = args.max_queue.unwrap_or(u64::from(args.rate) * 2 * 10);
    println!(
        "soak: {} at {} events/s to 2 webhook channels, a sample every {}; server pid {}, {}",
        secs(duration),
        args.rate,
        secs(every),
        server.pid,
        binary.display()
    );

    let counts = Arc::new(Counts::default());
    let started = Instant::now();
    let load = tokio::spawn(load(
        client.clone(),
        server.url("/api/v1/events"),
        token.clone(),
        args.rate,
        started + duration,
        counts.clone(),
    ));
    println!("{}", header());
    let mut samples = Vec::new();
    let mut next = started;
    while next <= started + duration {
        tokio::time::sleep_until(next.into()).await;
        let s = sample(&client, &server, &token, &receivers, &counts, started).await?;
        println!("{}", row(&s));
        samples.push(s);
        next += every;
    }
    load.await.context("the load task failed")?;

    // The load has stopped: every accepted event must reach both channels.
    let accepted = counts.accepted.load(Ordering::SeqCst);
    let expected = accepted as usize * 2;
    let drain_started = Instant::now();
    let mut delivered = delivered_count(&receivers);
    while delivered < expected && drain_started.elapsed() < DRAIN {
        tokio::time::sleep(Duration::from_millis(200)).await;
        delivered = delivered_count(&receivers);
    }
    let drained_in = drain_started.elapsed();
    let last = sample(&client, &server, &token, &receivers, &counts, started).await?;
    let log_tail = server.log_tail(10);
    server.stop(Duration::from_secs(30)).await?;

    println!();
    println!("samples:");
    println!("{}", header());
    for s in &samples {
        println!("{}", row(s));
    }
    println!(
        "{}  (after the load, drained in {:.1} s)",
        row(&last),
        drained_in.as_secs_f64()
    );

    let second_half: Vec<Sample> = samples
        .iter()
        .copied()
        .filter(|s| s.secs >= duration.as_secs_f64() / 2.0)
        .collect();
    if second_half.len() < 3 {
        bail!(
            "only {} samples in the second half: run longer or sample more often",
            second_half.len()
        );
    }
    let per_min = |f: fn(&Sample) -> u64| slope(&second_half, f) * 60.0;
    let rss_slope = per_min(|s| s.rss_kib);
    let fd_slope = per_min(|s| s.fds);
    let tcp_slope = per_min(|s| s.tcp);
    let peak_queue = second_half.iter().map(|s| s.queued).max().unwrap_or(0);
    let other = counts.other.lock().map(|o| o.clone()).unwrap_or_default();
    let duplicates: u64 = receivers
        .iter()
        .map(|r| {
            let d = r.deliveries();
            d.requests.saturating_sub(d.distinct as u64)
        })
        .sum();

    let mut checks = Vec::new();
    let mut check = |ok: bool, line: String| {
        checks.push((ok, line));
    };
    check(
        rss_slope <= args.max_rss_growth_kib_per_min,
        format!(
            "RSS slope over the second half: {rss_slope:+.1} KiB/min (limit {} KiB/min); {} → {} MiB",
            args.max_rss_growth_kib_per_min,
            mib(second_half[0].rss_kib),
            mib(second_half[second_half.len() - 1].rss_kib),
        ),
    );
    check(
        fd_slope <= args.max_fd_growth_per_min,
        format!(
            "open file descriptors slope: {fd_slope:+.2}/min (limit {}/min); {} → {}",
            args.max_fd_growth_per_min,
            second_half[0].fds,
            second_half[second_half.len() - 1].fds
        ),
    );
    check(
        tcp_slope <= args.max_tcp_growth_per_min,
        format!(
            "established TCP connections slope: {tcp_slope:+.2}/min (limit {}/min); {} → {}",
            args.max_tcp_growth_per_min,
            second_half[0].tcp,
            second_half[second_half.len() - 1].tcp
        ),
    );
    check(
        peak_queue <= max_queue,
        format!(
            "queue depth (pending + retrying) in the second half: at most {peak_queue} (bound {max_queue})"
        ),
    );
    check(
        other.is_empty(),
        format!("posts answered other than 202: {other:?}"),
    );
    check(
        delivered >= expected,
        format!(
            "deliveries: {delivered} of {expected} ({accepted} events × 2 channels), {duplicates} repeats, \
             drained {:.1} s after the load stopped",
            drained_in.as_secs_f64()
        ),
    );
    println!();
    let failed = checks.iter().filter(|(ok, _)| !ok).count();
    for (ok, line) in &checks {
        println!("{} {line}", if *ok { "ok  " } else { "FAIL" });
    }
    if failed > 0 {
        println!("server log ends with:\n{log_tail}");
        bail!("soak verdict: FAIL ({failed} of {} checks)", checks.len());
    }
    println!(
        "soak verdict: PASS ({} checks, {} s, {accepted} events)",
        checks.len(),
        duration.as_secs()
    );
    Ok(())
}

/// Posts events at `rate` a second until `until` from [`POSTERS`] tasks, one request at a
/// time each, so the load holds at most that many connections to the server (when the
/// server falls behind, the schedule slips and the posts are fewer).
async fn load(
    client: reqwest::Client,
    url: String,
    token: String,
    rate: u32,
    until: Instant,
    counts: Arc<Counts>,
) {
    let (due, next) = async_channel(POSTERS);
    let mut posters = tokio::task::JoinSet::new();
    for _ in 0..POSTERS {
        let (client, url, token, counts, next) = (
            client.clone(),
            url.clone(),
            token.clone(),
            counts.clone(),
            next.clone(),
        );
        posters.spawn(async move {
            while let Some(seq) = next.lock().await.recv().await {
                let request = client.post(&url).bearer_auth(&token).json(&json!({
                    "type": "deploy.success",
                    "title": format!("soak {seq}"),
                    "message": "a steady load, watched for leaks",
                    "source": {"application": "soak"},
                }));
                let answer = match request.send().await {
                    Ok(r) if r.status() == StatusCode::ACCEPTED => {
                        r.bytes().await.map(|_| ()).map_err(|e| e.to_string())
                    }
                    Ok(r) => Err(format!("HTTP {}", r.status().as_u16())),
                    Err(e) if e.is_timeout() => Err("timeout".to_owned()),
                    Err(e) if e.is_connect() => Err("connect".to_owned()),
                    Err(_) => Err("request".to_owned()),
                };
                match answer {
                    Ok(()) => {
                        counts.accepted.fetch_add(1, Ordering::SeqCst);
                    }
                    Err(kind) => {
                        if let Ok(mut other) = counts.other.lock() {
                            *other.entry(kind).or_default() += 1;
                        }
                    }
                }
            }
        });
    }
    let mut tick = tokio::time::interval(Duration::from_secs_f64(1.0 / f64::from(rate)));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut seq = 0u64;
    loop {
        tick.tick().await;
        if Instant::now() >= until {
            break;
        }
        seq += 1;
        if due.send(seq).await.is_err() {
            break;
        }
    }
    drop(due);
    while posters.join_next().await.is_some() {}
}

/// A queue many tasks take from: the receiving end shared behind a lock.
fn async_channel(
    capacity: usize,
) -> (
    tokio::sync::mpsc::Sender<u64>,
    Arc<tokio::sync::Mutex<tokio::sync::mpsc::Receiver<u64>>>,
) {
    let (tx, rx) = tokio::sync::mpsc::channel(capacity);
    (tx, Arc::new(tokio::sync::Mutex::new(rx)))
}

async fn sample(
    client: &reqwest::Client,
    server: &Server,
    token: &str,
    receivers: &[Arc<Receiver>],
    counts: &Counts,
    started: Instant,
) -> anyhow::Result<Sample> {
    let pid = server.pid;
    let (queued, sending) = queue_depth(client, server, token).await?;
    let sockets = socket_inodes(pid)?;
    Ok(Sample {
        secs: started.elapsed().as_secs_f64(),
        rss_kib: memory(pid)?.rss_kib,
        fds: std::fs::read_dir(format!("/proc/{pid}/fd"))
            .with_context(|| format!("cannot list /proc/{pid}/fd"))?
            .count() as u64,
        tcp: established(pid, &sockets)?,
        queued,
        sending,
        accepted: counts.accepted.load(Ordering::SeqCst),
        delivered: delivered_count(receivers) as u64,
    })
}

fn delivered_count(receivers: &[Arc<Receiver>]) -> usize {
    receivers.iter().map(|r| r.deliveries().distinct).sum()
}

/// `tocsin_queue_depth` from `/metrics`: (pending + retrying, sending).
async fn queue_depth(
    client: &reqwest::Client,
    server: &Server,
    token: &str,
) -> anyhow::Result<(u64, u64)> {
    let response = client
        .get(server.url("/metrics"))
        .bearer_auth(token)
        .send()
        .await
        .context("cannot read /metrics")?;
    let status = response.status();
    let text = response.text().await?;
    if !status.is_success() {
        bail!("/metrics answered {status}: {text}");
    }
    let gauge = |status: &str| -> u64 {
        let prefix = format!("tocsin_queue_depth{{status=\"{status}\"}} ");
        text.lines()
            .find_map(|l| l.strip_prefix(prefix.as_str()))
            .and_then(|v| v.trim().parse::<f64>().ok())
            .map_or(0, |v| v as u64)
    };
    Ok((gauge("pending") + gauge("retrying"), gauge("sending")))
}

/// The inodes of the sockets a process holds open (`socket:[inode]` in `/proc/<pid>/fd`).
fn socket_inodes(pid: u32) -> anyhow::Result<HashSet<u64>> {
    let mut inodes = HashSet::new();
    for entry in std::fs::read_dir(format!("/proc/{pid}/fd"))? {
        // A descriptor closed while we list: skip it.
        let Ok(target) = std::fs::read_link(entry?.path()) else {
            continue;
        };
        if let Some(inode) = target
            .to_str()
            .and_then(|t| t.strip_prefix("socket:["))
            .and_then(|t| t.strip_suffix(']'))
            .and_then(|t| t.parse().ok())
        {
            inodes.insert(inode);
        }
    }
    Ok(inodes)
}

/// How many of `sockets` are established TCP connections (`/proc/<pid>/net/tcp` and
/// `tcp6`: state `01`).
fn established(pid: u32, sockets: &HashSet<u64>) -> anyhow::Result<u64> {
    let mut n = 0;
    for table in ["tcp", "tcp6"] {
        let path = format!("/proc/{pid}/net/{table}");
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        for line in text.lines().skip(1) {
            let fields: Vec<&str> = line.split_whitespace().collect();
            // sl local rem st tx:rx tr:when retrnsmt uid timeout inode …
            if fields.len() > 9
                && fields[3] == "01"
                && fields[9]
                    .parse()
                    .is_ok_and(|inode| sockets.contains(&inode))
            {
                n += 1;
            }
        }
    }
    Ok(n)
}

/// Least-squares slope of `f` against time, per second.
fn slope(samples: &[Sample], f: fn(&Sample) -> u64) -> f64 {
    let n = samples.len() as f64;
    let mean_t = samples.iter().map(|s| s.secs).sum::<f64>() / n;
    let mean_y = samples.iter().map(|s| f(s) as f64).sum::<f64>() / n;
    let (mut num, mut den) = (0.0, 0.0);
    for s in samples {
        let dt = s.secs - mean_t;
        num += dt * (f(s) as f64 - mean_y);
        den += dt * dt;
    }
    if den == 0.0 { 0.0 } else { num / den }
}

fn header() -> String {
    format!(
        "{:>7} {:>9} {:>5} {:>5} {:>7} {:>7} {:>9} {:>10}",
        "t (s)", "RSS MiB", "fds", "tcp", "queued", "sending", "accepted", "delivered"
    )
}

fn row(s: &Sample) -> String {
    format!(
        "{:>7.0} {:>9} {:>5} {:>5} {:>7} {:>7} {:>9} {:>10}",
        s.secs,
        mib(s.rss_kib),
        s.fds,
        s.tcp,
        s.queued,
        s.sending,
        s.accepted,
        s.delivered
    )
}

fn mib(kib: u64) -> String {
    format!("{:.1}", kib as f64 / 1024.0)
}

fn secs(d: Duration) -> String {
    format!("{} s", d.as_secs())
}
