//! `spawn_app()` and the recording receiver.

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};
use tocsin_server::clock::ManualClock;
use tocsin_server::{Application, Config};

pub const TOKEN: &str = "test-admin-token-0123456789";

/// What the receiver answers to one request.
#[derive(Debug, Clone)]
pub enum Reply {
    Status(u16, &'static str),
    /// 429 with `Retry-After: <secs>`.
    RetryAfter(u64),
    /// Never answers (until the test ends).
    Hang,
    /// This status with a body that quotes the request's path and query, as error pages
    /// often do.
    Echo(u16),
    /// This status with a body that quotes the whole request line and every request
    /// header, as debugging endpoints and some error pages do.
    EchoAll(u16),
}

/// A request the receiver saw.
#[derive(Debug, Clone)]
pub struct Received {
    pub method: String,
    pub path: String,
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl Received {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).expect("the body is JSON")
    }
}

#[derive(Default)]
struct ReceiverState {
    seen: Mutex<Vec<Received>>,
    script: Mutex<VecDeque<Reply>>,
}

/// An HTTP server on 127.0.0.1 that records every request and answers from a script
/// (200 "ok" once the script is used up).
#[derive(Clone)]
pub struct Receiver {
    pub addr: SocketAddr,
    state: Arc<ReceiverState>,
}

impl Receiver {
    pub async fn start() -> Self {
        let state = Arc::new(ReceiverState::default());
        let app = Router::new().fallback(record).with_state(state.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        Self { addr, state }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// The next answers, in order.
    pub fn script(&self, replies: impl IntoIterator<Item = Reply>) {
        self.state.script.lock().unwrap().extend(replies);
    }

    pub fn received(&self) -> Vec<Received> {
        self.state.seen.lock().unwrap().clone()
    }

    pub async fn wait_for(&self, n: usize) -> Vec<Received> {
        eventually(|| async { (self.received().len() >= n).then(|| self.received()) }).await
    }
}

async fn record(
    State(state): State<Arc<ReceiverState>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    state.seen.lock().unwrap().push(Received {
        method: method.to_string(),
        path: uri
            .path_and_query()
            .map(|p| p.to_string())
            .unwrap_or_default(),
        headers: headers.clone(),
        body,
    });
    let reply = state.script.lock().unwrap().pop_front();
    let quoted = uri
        .path_and_query()
        .map(|p| p.to_string())
        .unwrap_or_default();
    match reply {
        None => (StatusCode::OK, "ok").into_response(),
        Some(Reply::Status(code, body)) => {
            (StatusCode::from_u16(code).unwrap(), body).into_response()
        }
        Some(Reply::RetryAfter(secs)) => (
            StatusCode::TOO_MANY_REQUESTS,
            [("retry-after", secs.to_string())],
            "slow down",
        )
            .into_response(),
        Some(Reply::Echo(code)) => (
            StatusCode::from_u16(code).unwrap(),
            format!("{{\"error\":\"no such hook: {method} {quoted}\"}}"),
        )
            .into_response(),
        Some(Reply::EchoAll(code)) => {
            let headers: Vec<String> = headers
                .iter()
                .map(|(k, v)| format!("{k}: {}", String::from_utf8_lossy(v.as_bytes())))
                .collect();
            (
                StatusCode::from_u16(code).unwrap(),
                format!(
                    "bad request {method} {uri} with headers {}",
                    headers.join("; ")
                ),
            )
                .into_response()
        }
        Some(Reply::Hang) => {
            tokio::time::sleep(Duration::from_secs(3600)).await;
            StatusCode::OK.into_response()
        }
    }
}

/// Polls `check` until it yields a value, for at most 10 s.
pub async fn eventually<T, F, Fut>(check: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    within(10, "condition not met", check).await
}

/// Polls `check` until it yields a value, for at most `secs` seconds; the failure names
/// `what`.
pub async fn within<T, F, Fut>(secs: u64, what: &str, mut check: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let deadline = tokio::time::Instant::now() + Duration::from_secs(secs);
    loop {
        if let Some(v) = check().await {
            return v;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "{what}: not within {secs} s"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

pub struct TestApp {
    pub base: String,
    pub client: reqwest::Client,
    pub clock: ManualClock,
    pub receiver: Receiver,
    pub app_state: tocsin_server::state::AppState,
    pub shutdown: tocsin_server::app::ShutdownHandle,
    pub task: tokio::task::JoinHandle<anyhow::Result<()>>,
    pub first_admin_token: Option<String>,
    _dir: tempfile::TempDir,
}

pub fn test_config(dir: &std::path::Path) -> Config {
    let mut config = Config {
        listen: "127.0.0.1:0".parse().unwrap(),
        data_dir: dir.to_path_buf(),
        admin_token: Some(TOKEN.to_owned().into()),
        allow_private: vec!["127.0.0.0/8".into()],
        ..Config::default()
    };
    config.delivery.poll_interval_ms = 50;
    config.delivery.timeout_secs = 2;
    config.delivery.lease_secs = 5;
    config.delivery.shutdown_grace_secs = 2;
    config
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

pub async fn spawn_app_with(adjust: impl FnOnce(&mut Config)) -> TestApp {
    let dir = tempfile::tempdir().unwrap();
    let mut config = test_config(dir.path());
    adjust(&mut config);
    let clock = ManualClock::new(tocsin_core::time::now_millis());
    let app = Application::build_with_clock(config, Arc::new(clock.clone()))
        .await
        .unwrap();
    let base = format!("http://{}", app.local_addr());
    let app_state = app.state().clone();
    let shutdown = app.shutdown_handle();
    let first_admin_token = app.first_admin_token.clone();
    let task = tokio::spawn(app.run_until_stopped(false));
    TestApp {
        base,
        client: reqwest::Client::new(),
        clock,
        receiver: Receiver::start().await,
        app_state,
        shutdown,
        task,
        first_admin_token,
        _dir: dir,
    }
}

impl TestApp {
    pub async fn call(&self, method: &str, path: &str, body: Option<Value>) -> (u16, Value) {
        self.call_as(TOKEN, method, path, body).await
    }

    /// A call with another bearer token.
    pub async fn call_as(
        &self,
        token: &str,
        method: &str,
        path: &str,
        body: Option<Value>,
    ) -> (u16, Value) {
        let mut req = self
            .client
            .request(method.parse().unwrap(), format!("{}{path}", self.base))
            .bearer_auth(token);
        if let Some(body) = body {
            req = req.json(&body);
        }
        let resp = req.send().await.unwrap();
        let status = resp.status().as_u16();
        let text = resp.text().await.unwrap();
        let value = if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).unwrap_or(Value::String(text))
        };
        (status, value)
    }

    pub async fn post(&self, path: &str, body: Value) -> (u16, Value) {
        self.call("POST", path, Some(body)).await
    }

    pub async fn get(&self, path: &str) -> (u16, Value) {
        self.call("GET", path, None).await
    }

    /// A token made by the admin with `scopes`, bound to `tenant`; returns the token.
    pub async fn token(&self, scopes: &[&str], tenant: Option<&str>) -> String {
        let (status, body) = self
            .post(
                "/api/v1/tokens",
                json!({"name": format!("{scopes:?} {tenant:?}"), "scopes": scopes, "tenant": tenant}),
            )
            .await;
        assert_eq!(status, 201, "{body}");
        body["token"].as_str().unwrap().to_owned()
    }

    /// A webhook channel to the receiver, subscribed to `events`; returns its id.
    pub async fn webhook(&self, name: &str, events: &[&str]) -> String {
        self.webhook_with(json!({"name": name, "kind": "webhook",
            "settings": {"url": self.receiver.url(&format!("/{name}"))}, "events": events}))
            .await
    }

    pub async fn webhook_with(&self, body: Value) -> String {
        let (status, ch) = self.post("/api/v1/channels", body).await;
        assert_eq!(status, 201, "{ch}");
        ch["id"].as_str().unwrap().to_owned()
    }

    pub async fn emit(&self, event: Value) -> Value {
        let (status, body) = self.post("/api/v1/events", event).await;
        assert_eq!(status, 202, "{body}");
        body
    }

    /// The delivery with its attempts, once `done` holds for it.
    pub async fn delivery_when(&self, id: &str, done: impl Fn(&Value) -> bool) -> Value {
        eventually(|| async {
            let (_, d) = self.get(&format!("/api/v1/deliveries/{id}")).await;
            done(&d).then_some(d)
        })
        .await
    }

    /// The single delivery of an event, once the event has one.
    pub async fn only_delivery_of(&self, event_id: &str) -> String {
        let (_, e) = self.get(&format!("/api/v1/events/{event_id}")).await;
        let list = e["deliveries"].as_array().unwrap();
        assert_eq!(list.len(), 1, "{e}");
        list[0]["id"].as_str().unwrap().to_owned()
    }

    /// Moves the clock on and wakes the dispatcher.
    pub fn advance(&self, by: Duration) {
        self.clock.advance(by);
        self.app_state.wake.notify_one();
    }

    /// Moves the clock on to an RFC 3339 instant (which must not be in its past) and wakes
    /// the dispatcher.
    pub fn advance_to(&self, at: &str) {
        let at = tocsin_core::time::parse_rfc3339(at).unwrap();
        let now = tocsin_server::clock::Clock::now(&self.clock);
        assert!(at >= now, "the clock only moves forward");
        self.advance(Duration::from_millis((at - now) as u64));
    }

    pub async fn stop(self) {
        self.shutdown.shutdown();
        self.task.await.unwrap().unwrap();
    }
}

pub fn deploy_event() -> Value {
    json!({"type": "deploy.success", "title": "Deploy Success", "message": "my-app deployed",
        "severity": "info", "source": {"application": "my-app", "project": "shop",
        "environment": "production", "cluster": "eu-1"},
        "data": {"commit": "abc123", "duration_seconds": 45},
        "occurred_at": "2026-11-23T10:00:00Z"})
}
