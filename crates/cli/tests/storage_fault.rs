//! Storage faults: the disk under the SQLite database fills up, for real. The server runs
//! in a mount namespace of its own (`unshare -m`) with its data directory on a small tmpfs;
//! the test fills that tmpfs with a ballast file (reached through `/proc/<pid>/root`) until
//! writes fail with ENOSPC, and later deletes the ballast to give the space back.
//!
//! While the disk is full:
//! - ingest answers 503 with the JSON error `storage_unavailable` (never 500, never 202 for
//!   an event that is not stored);
//! - the server stays up: `/healthz` and reads of the API answer;
//! - dispatch neither crash-loops nor spins: the process lives, uses little CPU and logs
//!   little.
//!
//! When the space is back: new events are accepted and delivered, and so is every event
//! accepted before or during the fault. Afterwards the API shows every stored event with
//! all its deliveries (one per channel), and no event that was refused.
//!
//! The mechanism needs `unshare` and the right to mount (root or CAP_SYS_ADMIN). Without it
//! the test is skipped with a message, except when `CI` is set: then it fails.
//!
//! The figures go to `target/tmp/storage-fault-report.txt`, which `.ci/run` prints.

mod common;
mod faults;

use std::collections::{BTreeMap, HashSet};
use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use faults::{Recorder, report, report_path};
use serde_json::{Value, json};

const TOKEN: &str = "storage-fault-token-0123456789";
/// The tmpfs under the database.
const TMPFS_SIZE: &str = "16m";
/// How long the server is watched while the disk is full, posting nothing.
const QUIET_WATCH: Duration = Duration::from_secs(5);

/// Whether this process may make a mount namespace with a tmpfs in it.
fn fault_mechanism() -> Result<(), String> {
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let out = Command::new("unshare")
        .args([
            "-m",
            "sh",
            "-c",
            "mount -t tmpfs -o size=1m tocsin-probe \"$1\" && touch \"$1/probe\"",
            "sh",
        ])
        .arg(dir.path())
        .output()
        .map_err(|e| format!("cannot run unshare: {e}"))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&out.stderr).trim().to_owned())
    }
}

/// `tocsin serve` with its data directory on a tmpfs of its own mount namespace.
struct FaultServer {
    child: Child,
    base: String,
    /// The data directory as this process sees it: through the server's root.
    data: PathBuf,
    log: PathBuf,
    _dirs: (tempfile::TempDir, tempfile::TempDir),
}

impl Drop for FaultServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl FaultServer {
    fn start() -> FaultServer {
        let data_dir = tempfile::tempdir().unwrap();
        let log_dir = tempfile::tempdir().unwrap();
        let log = log_dir.path().join("server.log");
        let port = common::free_port();
        // `unshare` and `sh` exec in turn: the child's pid is the server's.
        let child = Command::new("unshare")
            .args([
                "-m",
                "sh",
                "-c",
                "mount -t tmpfs -o size=\"$1\" tocsin-fault \"$2\" && shift 2 && exec \"$@\"",
                "sh",
                TMPFS_SIZE,
            ])
            .arg(data_dir.path())
            .arg(env!("CARGO_BIN_EXE_tocsin"))
            .arg("serve")
            .env("TOCSIN_LISTEN", format!("127.0.0.1:{port}"))
            .env("TOCSIN_DATA_DIR", data_dir.path())
            .env("TOCSIN_ADMIN_TOKEN", TOKEN)
            .env("TOCSIN_ALLOW_PRIVATE", "127.0.0.0/8")
            .env("TOCSIN_DELIVERY__TIMEOUT_SECS", "2")
            .env("TOCSIN_DELIVERY__LEASE_SECS", "5")
            // The check at the end reads every event's deliveries: keep them all in the log.
            .env("TOCSIN_DELIVERY__LOG_KEEP_PER_CHANNEL", "100000")
            .env("TOCSIN_API__EVENTS_PER_MINUTE_PER_APPLICATION", "0")
            .env("TOCSIN_API__REQUESTS_PER_MINUTE_PER_TOKEN", "0")
            .env("TOCSIN_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(File::create(&log).unwrap())
            .spawn()
            .expect("unshare starts");
        let data = PathBuf::from(format!("/proc/{}/root", child.id()))
            .join(data_dir.path().strip_prefix("/").unwrap());
        FaultServer {
            child,
            base: format!("http://127.0.0.1:{port}"),
            data,
            log,
            _dirs: (data_dir, log_dir),
        }
    }

    fn alive(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    /// CPU time used so far (user + system), from `/proc/<pid>/stat`.
    fn cpu(&self) -> Duration {
        let stat = std::fs::read_to_string(format!("/proc/{}/stat", self.child.id())).unwrap();
        // Fields after the command name (which is in parentheses): utime is the 12th, stime the 13th.
        let rest = &stat[stat.rfind(')').unwrap() + 2..];
        let fields: Vec<&str> = rest.split_whitespace().collect();
        let ticks: u64 = fields[11].parse::<u64>().unwrap() + fields[12].parse::<u64>().unwrap();
        // SAFETY: sysconf only reads a system constant.
        let per_sec = unsafe { libc_sysconf_clk_tck() };
        Duration::from_secs_f64(ticks as f64 / per_sec as f64)
    }

    fn log_lines(&self) -> usize {
        std::fs::read_to_string(&self.log)
            .map(|s| s.lines().count())
            .unwrap_or(0)
    }

    fn log_tail(&self, n: usize) -> String {
        let log = std::fs::read_to_string(&self.log).unwrap_or_default();
        let lines: Vec<&str> = log.lines().collect();
        lines[lines.len().saturating_sub(n)..].join("\n")
    }
}

/// `sysconf(_SC_CLK_TCK)`: the unit of `/proc/<pid>/stat` times.
unsafe fn libc_sysconf_clk_tck() -> i64 {
    unsafe extern "C" {
        fn sysconf(name: i32) -> i64;
    }
    // _SC_CLK_TCK is 2 on Linux.
    unsafe { sysconf(2) }
}

/// Fills the file system holding `path` with a file until it is full; returns the bytes.
fn fill(path: &Path) -> u64 {
    let mut file = File::create(path).expect("the ballast file can be created");
    let mut written = 0u64;
    for chunk in [1 << 20, 4096, 512] {
        let buffer = vec![0u8; chunk];
        loop {
            match file.write(&buffer) {
                Ok(0) => break,
                Ok(n) => written += n as u64,
                Err(e) => {
                    assert_eq!(
                        e.raw_os_error(),
                        Some(28),
                        "the ballast stops on ENOSPC, not: {e}"
                    );
                    break;
                }
            }
        }
    }
    written
}

/// Posts one event; returns the status and the body.
async fn post(client: &reqwest::Client, base: &str, title: &str) -> (u16, Value) {
    let r = client
        .post(format!("{base}/api/v1/events"))
        .bearer_auth(TOKEN)
        .timeout(Duration::from_secs(30))
        .json(
            &json!({"type": "deploy.success", "title": title, "source": {"application": "fault"}}),
        )
        .send()
        .await
        .expect("the server answers");
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

/// Checks a refusal: 503 with `{"error": {"code": "storage_unavailable", "message": …}}`.
fn assert_storage_unavailable(status: u16, body: &Value) {
    assert_eq!(status, 503, "a full disk answers 503, not {status}: {body}");
    assert_eq!(body["error"]["code"], "storage_unavailable", "{body}");
    assert!(
        body["error"]["message"]
            .as_str()
            .is_some_and(|m| !m.is_empty()),
        "{body}"
    );
}

async fn get(client: &reqwest::Client, base: &str, path: &str) -> (u16, Value) {
    let r = client
        .get(format!("{base}{path}"))
        .bearer_auth(TOKEN)
        .timeout(Duration::from_secs(10))
        .send()
        .await
        .expect("the server answers");
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

/// Every stored event, newest first, read page by page through the API.
async fn all_events(client: &reqwest::Client, base: &str) -> Vec<Value> {
    let mut events = Vec::new();
    let mut path = "/api/v1/events?limit=500".to_owned();
    loop {
        let (status, page) = get(client, base, &path).await;
        assert_eq!(status, 200, "{page}");
        let page = page.as_array().unwrap().clone();
        let Some(last) = page.last() else { break };
        path = format!(
            "/api/v1/events?limit=500&before={}",
            last["id"].as_str().unwrap()
        );
        events.extend(page);
    }
    events
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_disk_refuses_events_with_503_and_everything_recovers_when_space_returns() {
    if let Err(why) = fault_mechanism() {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI is set but the storage fault cannot be made (unshare -m and a tmpfs mount \
             are needed, as root): {why}"
        );
        eprintln!("skipped: cannot make the storage fault here (unshare -m, tmpfs): {why}");
        return;
    }
    let report_file = report_path("storage-fault-report.txt");
    let _ = std::fs::remove_file(&report_file);

    let receivers = [Recorder::start().await, Recorder::start().await];
    let client = reqwest::Client::new();
    let mut server = FaultServer::start();
    common::wait_healthy(&client, &server.base, Duration::from_secs(30)).await;
    let base = server.base.clone();
    // Short steps: deliveries that keep failing at the receivers, or whose attempts could
    // not be recorded, come round again soon; 20 steps outlast the test.
    let mut schedule = vec![json!("0s")];
    schedule.extend((0..19).map(|_| json!("5s")));
    for (name, r) in ["fault-a", "fault-b"].iter().zip(&receivers) {
        faults::create_channel(&client, &base, TOKEN, name, &r.url, Some(json!(schedule))).await;
    }

    // 1. Before the fault: events accepted while both receivers refuse them (503), so that
    //    their deliveries are still waiting when the disk fills.
    for r in &receivers {
        r.set_refuse(true);
    }
    let mut accepted: Vec<String> = Vec::new();
    let mut refused_titles: HashSet<String> = HashSet::new();
    for i in 0..40 {
        let (status, body) = post(&client, &base, &format!("before {i}")).await;
        assert_eq!(status, 202, "{body}");
        assert_eq!(body["deliveries"], 2, "{body}");
        accepted.push(body["id"].as_str().unwrap().to_owned());
    }
    let accepted_before = accepted.len();
    let deadline = Instant::now() + Duration::from_secs(30);
    while receivers.iter().any(|r| r.refused() == 0) {
        assert!(
            Instant::now() < deadline,
            "the first attempts never reached the receivers"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }

    // The server's CPU use at rest, to compare with its use on the full disk.
    let cpu_before_fault = server.cpu();
    tokio::time::sleep(QUIET_WATCH).await;
    let baseline_share =
        (server.cpu() - cpu_before_fault).as_secs_f64() / QUIET_WATCH.as_secs_f64();

    // 2. The disk fills.
    let ballast = server.data.join("ballast");
    let ballast_bytes = fill(&ballast);
    let fault_started = Instant::now();
    // Space SQLite already holds (its write-ahead log) may take some writes: post until
    // the store refuses, then a while longer.
    let mut statuses: BTreeMap<u16, u64> = BTreeMap::new();
    let mut first_refusal: Option<(usize, Instant)> = None;
    let mut accepted_during = 0;
    let mut i = 0;
    loop {
        let title = format!("during {i}");
        let (status, body) = post(&client, &base, &title).await;
        *statuses.entry(status).or_default() += 1;
        if status == 202 {
            assert_eq!(body["deliveries"], 2, "{body}");
            accepted.push(body["id"].as_str().unwrap().to_owned());
            accepted_during += 1;
        } else {
            assert_storage_unavailable(status, &body);
            refused_titles.insert(title);
            first_refusal.get_or_insert((i, Instant::now()));
        }
        i += 1;
        match first_refusal {
            Some((_, at)) if at.elapsed() > Duration::from_secs(3) => break,
            None if fault_started.elapsed() > Duration::from_secs(60) => panic!(
                "the store never refused an event on a full disk ({i} posted, all accepted); log:\n{}",
                server.log_tail(20)
            ),
            _ => {}
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let (posts_to_first_refusal, _) = first_refusal.unwrap();

    // The server stays up and serves what needs no writing.
    for path in ["/healthz", "/api/v1/events?limit=5", "/api/v1/channels"] {
        let r = client
            .get(format!("{base}{path}"))
            .bearer_auth(TOKEN)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "GET {path} while the disk is full");
    }
    // A write may still find room SQLite freed when a failed one rolled back: a 202 then
    // means stored, and the event must be delivered like any other.
    let (status, body) = post(&client, &base, "during probe").await;
    *statuses.entry(status).or_default() += 1;
    if status == 202 {
        accepted.push(body["id"].as_str().unwrap().to_owned());
        accepted_during += 1;
    } else {
        assert_storage_unavailable(status, &body);
        refused_titles.insert("during probe".to_owned());
    }

    // Left alone on a full disk, dispatch neither dies nor spins.
    let cpu_before = server.cpu();
    let lines_before = server.log_lines();
    tokio::time::sleep(QUIET_WATCH).await;
    let cpu_share = (server.cpu() - cpu_before).as_secs_f64() / QUIET_WATCH.as_secs_f64();
    let log_rate = (server.log_lines() - lines_before) as f64 / QUIET_WATCH.as_secs_f64();
    assert!(
        server.alive(),
        "the server exited on a full disk; log:\n{}",
        server.log_tail(20)
    );
    assert!(
        cpu_share < 0.5,
        "the server spins on a full disk: {:.0}% of a core; last lines of its log:\n{}",
        cpu_share * 100.0,
        server.log_tail(30)
    );
    assert!(
        log_rate < 20.0,
        "the server floods its log on a full disk: {log_rate:.0} lines/s; last lines:\n{}",
        server.log_tail(20)
    );
    let fault_secs = fault_started.elapsed().as_secs_f64();

    // 3. Space returns; the receivers take deliveries again.
    std::fs::remove_file(&ballast).unwrap();
    let recovered_at = Instant::now();
    for r in &receivers {
        r.set_refuse(false);
    }
    let mut first_accepted = None;
    let mut accepted_after = 0;
    let mut n = 0;
    while accepted_after < 40 {
        let title = format!("after {n}");
        n += 1;
        let (status, body) = post(&client, &base, &title).await;
        if status == 202 {
            assert_eq!(body["deliveries"], 2, "{body}");
            accepted.push(body["id"].as_str().unwrap().to_owned());
            accepted_after += 1;
            first_accepted.get_or_insert(recovered_at.elapsed());
        } else {
            assert_storage_unavailable(status, &body);
            assert!(
                first_accepted.is_none(),
                "ingest refused again after it had recovered: {body}"
            );
            refused_titles.insert(title);
            assert!(
                recovered_at.elapsed() < Duration::from_secs(30),
                "ingest did not recover within 30 s of the space coming back; log:\n{}",
                server.log_tail(20)
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
    let first_accepted = first_accepted.unwrap();

    // Everything accepted, before, during and after the fault, reaches both channels.
    let mut missing = Vec::new();
    for r in &receivers {
        missing.push(r.wait_for(&accepted, Duration::from_secs(120)).await);
    }
    let delivered_in = recovered_at.elapsed();
    assert!(server.alive(), "the server exited");

    // Nothing half-written: every stored event has its two deliveries, every accepted
    // event is stored, and no refused one is.
    let events = all_events(&client, &base).await;
    let mut incomplete = 0;
    for e in &events {
        let (status, full) = get(
            &client,
            &base,
            &format!("/api/v1/events/{}", e["id"].as_str().unwrap()),
        )
        .await;
        assert_eq!(status, 200, "{full}");
        if full["deliveries"].as_array().map_or(0, Vec::len) != 2 {
            incomplete += 1;
        }
    }
    let stored_ids: HashSet<&str> = events.iter().filter_map(|e| e["id"].as_str()).collect();
    let stored_titles: HashSet<&str> = events.iter().filter_map(|e| e["title"].as_str()).collect();
    let accepted_missing = accepted
        .iter()
        .filter(|id| !stored_ids.contains(id.as_str()))
        .count();
    let refused_stored = refused_titles
        .iter()
        .filter(|t| stored_titles.contains(t.as_str()))
        .count();

    let (got_a, dup_a) = receivers[0].arrivals();
    let (got_b, dup_b) = receivers[1].arrivals();
    report(
        &report_file,
        &format!(
            "storage fault (full tmpfs of {TMPFS_SIZE}, ballast {} KiB): {accepted_before} events accepted before; \
             on the full disk {} more were accepted from space SQLite held, then the first refusal came \
             after {posts_to_first_refusal} posts; answers during the fault {statuses:?}; \
             server idle on the full disk: {:.1}% CPU (before the fault {:.1}%), {log_rate:.1} log lines/s; \
             fault lasted {fault_secs:.1} s",
            ballast_bytes / 1024,
            accepted_during,
            cpu_share * 100.0,
            baseline_share * 100.0,
        ),
    );
    report(
        &report_file,
        &format!(
            "storage fault recovery: first event accepted {:.2} s after the space returned; all {} accepted \
             events delivered to both channels {:.1} s after; channel a {got_a} deliveries ({dup_a} duplicates), \
             channel b {got_b} ({dup_b} duplicates), lost {missing:?}; {} events stored, {incomplete} without \
             all their deliveries, {accepted_missing} accepted but not stored, {refused_stored} refused but stored",
            first_accepted.as_secs_f64(),
            accepted.len(),
            delivered_in.as_secs_f64(),
            events.len(),
        ),
    );
    assert_eq!(missing, [0, 0], "accepted events never delivered");
    assert_eq!(incomplete, 0, "stored events without all their deliveries");
    assert_eq!(
        accepted_missing, 0,
        "accepted events missing from the store"
    );
    assert_eq!(refused_stored, 0, "events answered 503 that were stored");
}
