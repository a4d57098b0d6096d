//! What the CLI tests share: a recording receiver on 127.0.0.1 and a real server on a
//! free port.

#![allow(dead_code)]

use std::collections::HashMap;
use std::net::TcpListener as StdListener;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{StatusCode, Uri};

/// What a receiver got, by path.
#[derive(Clone, Default)]
pub struct Receiver {
    pub base: String,
    seen: Arc<Mutex<Vec<(String, String)>>>,
    /// The headers of each request, in the order of `seen`.
    headers: Arc<Mutex<Vec<axum::http::HeaderMap>>>,
    counts: Arc<Mutex<HashMap<String, u32>>>,
}

impl Receiver {
    /// Requests seen so far: (path, body).
    pub fn requests(&self) -> Vec<(String, String)> {
        self.seen.lock().unwrap().clone()
    }

    /// The headers of each request seen so far, in order.
    pub fn headers(&self) -> Vec<axum::http::HeaderMap> {
        self.headers.lock().unwrap().clone()
    }

    pub fn paths(&self) -> Vec<String> {
        let mut p: Vec<String> = self.requests().into_iter().map(|r| r.0).collect();
        p.sort();
        p
    }

    /// `json://127.0.0.1:port/path`.
    pub fn json_url(&self, path: &str) -> String {
        format!("{}{path}", self.base.replace("http://", "json://"))
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }
}

/// Answers by path: `/fail…` 503, `/bad…` 400, `/flaky…` 503 the first time and 200 after,
/// anything else 200.
async fn receive(
    State(r): State<Receiver>,
    uri: Uri,
    headers: axum::http::HeaderMap,
    body: Bytes,
) -> StatusCode {
    let path = uri.path().to_owned();
    r.headers.lock().unwrap().push(headers);
    r.seen
        .lock()
        .unwrap()
        .push((path.clone(), String::from_utf8_lossy(&body).into_owned()));
    let n = {
        let mut counts = r.counts.lock().unwrap();
        let n = counts.entry(path.clone()).or_default();
        *n += 1;
        *n
    };
    if path.starts_with("/fail") {
        StatusCode::SERVICE_UNAVAILABLE
    } else if path.starts_with("/bad") {
        StatusCode::BAD_REQUEST
    } else if path.starts_with("/flaky") && n == 1 {
        StatusCode::SERVICE_UNAVAILABLE
    } else {
        StatusCode::OK
    }
}

/// Starts a receiver on its own thread; it lives as long as the test process.
pub fn receiver() -> Receiver {
    let listener = StdListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let receiver = Receiver {
        base: format!("http://{}", listener.local_addr().unwrap()),
        ..Default::default()
    };
    let state = receiver.clone();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async move {
            let listener = tokio::net::TcpListener::from_std(listener).unwrap();
            let app = Router::new().fallback(receive).with_state(state);
            axum::serve(listener, app).await.unwrap();
        });
    });
    receiver
}

pub fn free_port() -> u16 {
    StdListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Polls `/healthz` until it answers 200; panics after `within`.
pub async fn wait_healthy(client: &reqwest::Client, base: &str, within: Duration) {
    let deadline = Instant::now() + within;
    while Instant::now() < deadline {
        if let Ok(r) = client.get(format!("{base}/healthz")).send().await
            && r.status() == 200
        {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the server at {base} did not become healthy within {within:?}");
}

pub const TOKEN: &str = "cli-test-admin-token-0123456789";

/// A `tocsin serve` process, killed when dropped.
pub struct Server {
    pub child: Child,
    pub base: String,
    pub data_dir: tempfile::TempDir,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    pub fn start(config: Option<&std::path::Path>) -> Server {
        let data_dir = tempfile::tempdir().unwrap();
        let port = free_port();
        let mut command = Command::new(env!("CARGO_BIN_EXE_tocsin"));
        command.arg("serve");
        if let Some(c) = config {
            command.arg("--config").arg(c);
        }
        let child = command
            .env("TOCSIN_LISTEN", format!("127.0.0.1:{port}"))
            .env("TOCSIN_DATA_DIR", data_dir.path())
            .env("TOCSIN_ADMIN_TOKEN", TOKEN)
            .env("TOCSIN_ALLOW_PRIVATE", "127.0.0.0/8")
            .env("TOCSIN_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("the tocsin binary starts");
        let server = Server {
            child,
            base: format!("http://127.0.0.1:{port}"),
            data_dir,
        };
        server.wait_ready();
        server
    }

    fn wait_ready(&self) {
        let deadline = Instant::now() + Duration::from_secs(30);
        let addr = self.base.trim_start_matches("http://").to_owned();
        while Instant::now() < deadline {
            if std::net::TcpStream::connect(&addr).is_ok() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("the server did not start");
    }

    /// `tocsin …` aimed at this server with the admin token.
    pub fn cli(&self) -> assert_cmd::Command {
        let mut cmd = assert_cmd::Command::cargo_bin("tocsin").unwrap();
        cmd.env("TOCSIN_SERVER", &self.base)
            .env("TOCSIN_TOKEN", TOKEN)
            .env_remove("TOCSIN_ALLOW_PRIVATE");
        cmd
    }
}

/// `tocsin …` with a clean environment for sending.
pub fn tocsin() -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::cargo_bin("tocsin").unwrap();
    cmd.env_remove("TOCSIN_ALLOW_PRIVATE")
        .env_remove("TOCSIN_SERVER")
        .env_remove("TOCSIN_TOKEN");
    cmd
}
