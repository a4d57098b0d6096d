//! Crash safety under load: events are posted continuously to a real `tocsin serve`
//! (SQLite) with two subscribed webhook channels, each pointing at its own recording
//! receiver. The server is killed with SIGKILL at random moments (delays drawn from a seeded
//! generator; the seed is printed, and `TOCSIN_CRASH_SEED=<seed>` repeats the schedule) and
//! started again on the same database each time. At the end every event answered 202 must
//! have reached both channels. Repeats are allowed (at least once) and counted; losses
//! must be zero.
//!
//! The figures go to `target/tmp/crash-report.txt`, which `.ci/run` prints after the tests.
//! Run with `--nocapture` to see them here.

mod common;
mod faults;

use std::fs::OpenOptions;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use faults::{Recorder, Rng, report, report_path};
use serde_json::{Value, json};

const TOKEN: &str = "crash-test-token-0123456789";
/// SIGKILLs in one run.
const KILLS: usize = 4;
/// Tasks posting events, each one event at a time.
const POSTERS: usize = 4;
/// Pause of each poster between two events: at most ~200 events a second in all.
const POST_PAUSE: Duration = Duration::from_millis(20);

fn start_server(port: u16, data_dir: &std::path::Path) -> Child {
    let log = OpenOptions::new()
        .create(true)
        .append(true)
        .open(data_dir.join("server.log"))
        .unwrap();
    Command::new(env!("CARGO_BIN_EXE_tocsin"))
        .arg("serve")
        .env("TOCSIN_LISTEN", format!("127.0.0.1:{port}"))
        .env("TOCSIN_DATA_DIR", data_dir)
        .env("TOCSIN_ADMIN_TOKEN", TOKEN)
        .env("TOCSIN_ALLOW_PRIVATE", "127.0.0.0/8")
        .env("TOCSIN_DELIVERY__TIMEOUT_SECS", "2")
        .env("TOCSIN_DELIVERY__LEASE_SECS", "3")
        .env("TOCSIN_DELIVERY__CONCURRENCY", "16")
        // Thousands of events from one application: more than the default ingest budget.
        .env("TOCSIN_API__EVENTS_PER_MINUTE_PER_APPLICATION", "0")
        .env("TOCSIN_API__REQUESTS_PER_MINUTE_PER_TOKEN", "0")
        .env("TOCSIN_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .expect("the tocsin binary starts")
}

#[derive(Default)]
struct Posted {
    /// Ids of the events answered 202.
    accepted: Mutex<Vec<String>>,
    /// Accepted events that were not routed to both channels.
    unrouted: AtomicU64,
    /// Posts that got no 202 (the server was down or went down under them).
    not_accepted: AtomicU64,
}

/// Posts events until `stop` is set; a post that fails is not retried (nothing was
/// promised for it), the poster waits a moment and goes on with the next one.
async fn poster(
    client: reqwest::Client,
    base: String,
    number: usize,
    posted: Arc<Posted>,
    stop: Arc<AtomicBool>,
) {
    let mut i = 0;
    while !stop.load(Ordering::SeqCst) {
        let r = client
            .post(format!("{base}/api/v1/events"))
            .bearer_auth(TOKEN)
            .timeout(Duration::from_secs(10))
            .json(
                &json!({"type": "deploy.success", "title": format!("deploy {number}-{i}"),
                          "source": {"application": "crash"}}),
            )
            .send()
            .await;
        i += 1;
        let body = match r {
            Ok(r) if r.status() == 202 => r.json::<Value>().await.ok(),
            _ => None,
        };
        match body {
            Some(body) => {
                if body["deliveries"] != 2 {
                    posted.unrouted.fetch_add(1, Ordering::SeqCst);
                }
                posted
                    .accepted
                    .lock()
                    .unwrap()
                    .push(body["id"].as_str().unwrap().to_owned());
            }
            None => {
                posted.not_accepted.fetch_add(1, Ordering::SeqCst);
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        }
        tokio::time::sleep(POST_PAUSE).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_accepted_event_reaches_every_channel_across_random_sigkills_under_load() {
    let report_file = report_path("crash-report.txt");
    let _ = std::fs::remove_file(&report_file);
    let seed = faults::seed("TOCSIN_CRASH_SEED");
    let mut rng = Rng::new(seed);
    report(
        &report_file,
        &format!(
            "crash under load: seed {seed} (TOCSIN_CRASH_SEED={seed} repeats the kill delays)"
        ),
    );

    let receivers = [Recorder::start().await, Recorder::start().await];
    for r in &receivers {
        // Slow enough that a kill catches deliveries on the wire.
        r.set_delay(Duration::from_millis(30));
    }

    let dir = tempfile::tempdir().unwrap();
    let port = common::free_port();
    let base = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::new();
    let mut server = start_server(port, dir.path());
    common::wait_healthy(&client, &base, Duration::from_secs(30)).await;
    for (name, r) in ["crash-a", "crash-b"].iter().zip(&receivers) {
        faults::create_channel(&client, &base, TOKEN, name, &r.url, None).await;
    }

    let posted = Arc::new(Posted::default());
    let stop = Arc::new(AtomicBool::new(false));
    let posters: Vec<_> = (0..POSTERS)
        .map(|n| {
            tokio::spawn(poster(
                client.clone(),
                base.clone(),
                n,
                posted.clone(),
                stop.clone(),
            ))
        })
        .collect();

    let started = Instant::now();
    let mut delays = Vec::new();
    let mut in_flight_at_kills = 0;
    for _ in 0..KILLS {
        let delay = Duration::from_millis(rng.between(300, 3_000));
        delays.push(delay.as_millis());
        tokio::time::sleep(delay).await;
        in_flight_at_kills += receivers.iter().map(Recorder::in_flight).sum::<u32>();
        server.kill().unwrap(); // SIGKILL
        server.wait().unwrap();
        // Down for a moment: posts in between are refused, deliveries in flight are cut.
        tokio::time::sleep(Duration::from_millis(rng.between(0, 500))).await;
        server = start_server(port, dir.path());
        common::wait_healthy(&client, &base, Duration::from_secs(30)).await;
    }
    // Load goes on a while after the last restart.
    tokio::time::sleep(Duration::from_secs(1)).await;
    stop.store(true, Ordering::SeqCst);
    for p in posters {
        p.await.unwrap();
    }
    let load_secs = started.elapsed().as_secs_f64();
    let accepted = posted.accepted.lock().unwrap().clone();

    // Deliveries taken by a killed process come back when their lease (3 s) runs out, at
    // the next reap (every 5 s).
    let mut missing = Vec::new();
    for r in &receivers {
        missing.push(r.wait_for(&accepted, Duration::from_secs(120)).await);
    }
    server.kill().unwrap();
    server.wait().unwrap();

    report(
        &report_file,
        &format!(
            "crash under load: {KILLS} SIGKILLs after {delays:?} ms of running each, {} events accepted \
             ({} posts refused while the server was down or dying) in {load_secs:.1} s, \
             {in_flight_at_kills} deliveries on the wire at the kills",
            accepted.len(),
            posted.not_accepted.load(Ordering::SeqCst),
        ),
    );
    for (name, (r, lost)) in ["crash-a", "crash-b"]
        .iter()
        .zip(receivers.iter().zip(&missing))
    {
        let (distinct, repeats) = r.arrivals();
        report(
            &report_file,
            &format!(
                "crash under load: channel {name}: {distinct} deliveries received, {repeats} duplicates, {lost} lost"
            ),
        );
    }
    if missing.iter().any(|&m| m > 0) {
        let log = std::fs::read_to_string(dir.path().join("server.log")).unwrap_or_default();
        let tail: Vec<&str> = log.lines().rev().take(30).collect();
        eprintln!(
            "server log (last lines, newest first):\n{}",
            tail.join("\n")
        );
    }
    assert!(
        accepted.len() >= 100,
        "the load was too thin to prove anything: {} events accepted",
        accepted.len()
    );
    assert_eq!(
        posted.unrouted.load(Ordering::SeqCst),
        0,
        "every accepted event was routed to both channels"
    );
    assert_eq!(
        missing,
        [0, 0],
        "accepted events never delivered (channel a, channel b); seed {seed}"
    );
}
