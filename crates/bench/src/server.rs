//! One `tocsin serve` process under test: started with its own data directory, port and
//! admin token, stopped with SIGTERM, killed when dropped while still running.

use std::collections::VecDeque;
use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};

pub struct Server {
    child: Child,
    pub pid: u32,
    pub base: String,
    log: PathBuf,
}

/// What the processes of one run share.
pub struct Launch<'a> {
    pub binary: &'a Path,
    pub token: &'a str,
    /// Extra `TOCSIN_*` settings.
    pub env: &'a [(&'a str, &'a str)],
}

impl Server {
    /// Starts `tocsin serve` on a free port of 127.0.0.1 with `data_dir`, writing its
    /// output to `log`. The working directory is `data_dir`, so that no `tocsin.toml` of the
    /// caller's is read.
    pub fn spawn(launch: &Launch<'_>, data_dir: &Path, log: &Path) -> anyhow::Result<Server> {
        std::fs::create_dir_all(data_dir)
            .with_context(|| format!("cannot create {}", data_dir.display()))?;
        let port = free_port()?;
        let out = File::create(log).with_context(|| format!("cannot create {}", log.display()))?;
        let err = out.try_clone()?;
        let mut command = Command::new(launch.binary);
        for (key, _) in std::env::vars_os() {
            if key.to_string_lossy().starts_with("TOCSIN_") {
                command.env_remove(key);
            }
        }
        command
            .arg("serve")
            .current_dir(data_dir)
            .env("TOCSIN_LISTEN", format!("127.0.0.1:{port}"))
            .env("TOCSIN_DATA_DIR", data_dir)
            .env("TOCSIN_ADMIN_TOKEN", launch.token)
            .env("TOCSIN_ALLOW_PRIVATE", "127.0.0.0/8")
            // The load comes from one application and one token: measure, do not limit.
            .env("TOCSIN_API__EVENTS_PER_MINUTE_PER_APPLICATION", "0")
            .env("TOCSIN_API__REQUESTS_PER_MINUTE_PER_TOKEN", "0")
            .envs(launch.env.iter().copied())
            .stdin(Stdio::null())
            .stdout(out)
            .stderr(err);
        let child = command
            .spawn()
            .with_context(|| format!("cannot start {}", launch.binary.display()))?;
        Ok(Server {
            pid: child.id(),
            child,
            base: format!("http://127.0.0.1:{port}"),
            log: log.to_owned(),
        })
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Polls `/healthz` until it answers 200; fails when the process exits or `timeout`
    /// passes.
    pub async fn wait_ready(
        &mut self,
        client: &reqwest::Client,
        timeout: Duration,
    ) -> anyhow::Result<()> {
        let until = Instant::now() + timeout;
        let url = self.url("/healthz");
        while Instant::now() < until {
            if let Some(status) = self.child.try_wait()? {
                bail!(
                    "tocsin serve exited during start ({status}); its log ends with:\n{}",
                    self.log_tail(20)
                );
            }
            let probe = client
                .get(&url)
                .timeout(Duration::from_secs(1))
                .send()
                .await;
            if probe.is_ok_and(|r| r.status().is_success()) {
                return Ok(());
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        bail!(
            "tocsin serve did not answer {url} within {timeout:?}; its log ends with:\n{}",
            self.log_tail(20)
        )
    }

    /// Sends SIGTERM and waits for the exit; kills the process when it outlives `timeout`.
    /// Returns how long the graceful stop took.
    pub async fn stop(&mut self, timeout: Duration) -> anyhow::Result<Duration> {
        let started = Instant::now();
        if self.child.try_wait()?.is_some() {
            bail!(
                "tocsin serve had already exited; its log ends with:\n{}",
                self.log_tail(20)
            );
        }
        let pid = libc::pid_t::try_from(self.pid).context("process id out of range")?;
        // SAFETY: kill(2) takes plain integers; `pid` is our own child, which has not been
        // reaped yet (try_wait above saw it running), so the id cannot belong to another process.
        if unsafe { libc::kill(pid, libc::SIGTERM) } != 0 {
            bail!(
                "cannot send SIGTERM to {pid}: {}",
                std::io::Error::last_os_error()
            );
        }
        while started.elapsed() < timeout {
            if self.child.try_wait()?.is_some() {
                return Ok(started.elapsed());
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
        bail!("tocsin serve did not stop within {timeout:?} of SIGTERM and was killed")
    }

    /// The last `lines` lines of the process's output.
    pub fn log_tail(&self, lines: usize) -> String {
        let Ok(file) = File::open(&self.log) else {
            return String::from("(no log)");
        };
        let mut tail = VecDeque::with_capacity(lines);
        for line in BufReader::new(file).lines().map_while(Result::ok) {
            if tail.len() == lines {
                tail.pop_front();
            }
            tail.push_back(line);
        }
        Vec::from(tail).join("\n")
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// A port of 127.0.0.1 that was free a moment ago.
fn free_port() -> anyhow::Result<u16> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").context("cannot find a free port")?;
    Ok(listener.local_addr()?.port())
}

/// Resident memory of a process, from `/proc/<pid>/status`, in KiB.
#[derive(Debug, Clone, Copy, Default)]
pub struct Memory {
    /// VmRSS: resident now.
    pub rss_kib: u64,
    /// VmHWM: the highest resident size so far.
    pub hwm_kib: u64,
    /// RssAnon: the resident part that is the process's own (heap, stacks); the rest of
    /// VmRSS is mostly pages of the binary's file the kernel mapped in, shared with the
    /// page cache.
    pub anon_kib: u64,
}

pub fn memory(pid: u32) -> anyhow::Result<Memory> {
    let path = format!("/proc/{pid}/status");
    let text = std::fs::read_to_string(&path).with_context(|| format!("cannot read {path}"))?;
    let field = |name: &str| -> Option<u64> {
        text.lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
    };
    match (field("VmRSS:"), field("VmHWM:"), field("RssAnon:")) {
        (Some(rss_kib), Some(hwm_kib), Some(anon_kib)) => Ok(Memory {
            rss_kib,
            hwm_kib,
            anon_kib,
        }),
        _ => bail!("{path} has no VmRSS/VmHWM/RssAnon"),
    }
}

/// CPU a process has used so far, all its threads together, and how often its threads
/// gave up the CPU to wait (for a lock, a channel, a socket, the disk).
#[derive(Debug, Clone, Copy, Default)]
pub struct Cpu {
    /// User and system time, from `/proc/<pid>/stat`.
    pub time: Duration,
    /// The part of `time` spent in the kernel (system calls, page faults).
    pub system: Duration,
    /// `voluntary_ctxt_switches` summed over `/proc/<pid>/task/*/status`: threads that
    /// ended have left the sum, so this undercounts a process whose threads come and go.
    pub waits: u64,
}

impl Cpu {
    /// What was used between `earlier` and this reading.
    pub fn since(self, earlier: Cpu) -> Cpu {
        Cpu {
            time: self.time.saturating_sub(earlier.time),
            system: self.system.saturating_sub(earlier.system),
            waits: self.waits.saturating_sub(earlier.waits),
        }
    }
}

pub fn cpu(pid: u32) -> anyhow::Result<Cpu> {
    let path = format!("/proc/{pid}/stat");
    let stat = std::fs::read_to_string(&path).with_context(|| format!("cannot read {path}"))?;
    // The fields after the command name, which is in parentheses and may hold spaces:
    // utime and stime are the 14th and 15th fields of the line, the 12th and 13th here.
    let rest = stat
        .rfind(')')
        .map(|i| &stat[i + 1..])
        .with_context(|| format!("{path} has no command name"))?;
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let tick = |i: usize| -> anyhow::Result<u64> {
        fields
            .get(i)
            .and_then(|f| f.parse().ok())
            .with_context(|| format!("{path} has no field {}", i + 3))
    };
    // SAFETY: sysconf only reads a configuration value.
    let hz = unsafe { libc::sysconf(libc::_SC_CLK_TCK) }.max(1) as u64;
    let (user, system) = (tick(11)?, tick(12)?);
    let mut waits = 0;
    if let Ok(tasks) = std::fs::read_dir(format!("/proc/{pid}/task")) {
        for task in tasks.flatten() {
            let Ok(text) = std::fs::read_to_string(task.path().join("status")) else {
                continue;
            };
            waits += text
                .lines()
                .find_map(|l| l.strip_prefix("voluntary_ctxt_switches:"))
                .and_then(|v| v.trim().parse::<u64>().ok())
                .unwrap_or(0);
        }
    }
    Ok(Cpu {
        time: Duration::from_millis((user + system) * 1000 / hz),
        system: Duration::from_millis(system * 1000 / hz),
        waits,
    })
}

/// Samples a process's VmRSS every 100 ms in the background and keeps the highest.
pub struct MemorySampler {
    stop: tokio::sync::watch::Sender<bool>,
    task: tokio::task::JoinHandle<u64>,
}

impl MemorySampler {
    pub fn start(pid: u32) -> MemorySampler {
        let (stop, mut stopped) = tokio::sync::watch::channel(false);
        let task = tokio::spawn(async move {
            let mut peak = 0;
            let mut tick = tokio::time::interval(Duration::from_millis(100));
            loop {
                if let Ok(m) = memory(pid) {
                    peak = peak.max(m.rss_kib);
                }
                tokio::select! {
                    _ = tick.tick() => {}
                    _ = stopped.wait_for(|s| *s) => break,
                }
            }
            peak
        });
        MemorySampler { stop, task }
    }

    /// The highest VmRSS seen, in KiB.
    pub async fn finish(self) -> u64 {
        self.stop.send_replace(true);
        self.task.await.unwrap_or(0)
    }
}

/// A private temporary directory for one run, removed with everything in it when dropped.
/// (Not the `tempfile` crate: built together with `tocsin`, its `rustix` would enable
/// features of crates the server shares, which renames their symbols and leaves the
/// release binary's `link-order.txt` behind; see `scripts/link_order.py`.)
pub struct WorkDir(PathBuf);

impl WorkDir {
    pub fn new(prefix: &str) -> anyhow::Result<WorkDir> {
        use std::os::unix::fs::DirBuilderExt;
        let base = std::env::temp_dir();
        for _ in 0..16 {
            let suffix: u64 = rand::random();
            let path = base.join(format!("{prefix}{suffix:016x}"));
            match std::fs::DirBuilder::new().mode(0o700).create(&path) {
                Ok(()) => return Ok(WorkDir(path)),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
                Err(e) => {
                    return Err(e).with_context(|| format!("cannot create {}", path.display()));
                }
            }
        }
        bail!(
            "cannot find a free temporary directory name in {}",
            base.display()
        )
    }

    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for WorkDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
