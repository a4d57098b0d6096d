//! End-to-end checks of the guarded client against tiny HTTP servers on loopback
//! addresses. Only 127.0.0.0/8 is ever connected to: hostile addresses are covered by the
//! decision tests in `guard` and `tocsin_core::address`, which open no connection.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tocsin_core::address::AddressPolicy;
use tocsin_core::outbound::HttpRequest;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

use super::{HttpTransport, TransportError};

/// One request as the test server received it.
#[derive(Debug, Clone)]
struct Received {
    method: String,
    /// Path and query.
    target: String,
    /// Names in lower case, in order.
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Received {
    fn header_values(&self, name: &str) -> Vec<&str> {
        self.headers
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .collect()
    }
}

type Handler = Arc<dyn Fn(&Received) -> Vec<u8> + Send + Sync>;

/// An HTTP/1.1 server answering each request on its own connection with `handler`.
struct TestServer {
    addr: SocketAddr,
    connections: Arc<AtomicUsize>,
    received: Arc<Mutex<Vec<Received>>>,
}

impl TestServer {
    async fn start(bind: &str, handler: Handler) -> TestServer {
        let listener = TcpListener::bind(bind).await.unwrap();
        let addr = listener.local_addr().unwrap();
        let connections = Arc::new(AtomicUsize::new(0));
        let received = Arc::new(Mutex::new(Vec::new()));
        let (count, log) = (Arc::clone(&connections), Arc::clone(&received));
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                count.fetch_add(1, Ordering::SeqCst);
                let (handler, log) = (Arc::clone(&handler), Arc::clone(&log));
                tokio::spawn(async move {
                    let _ = read_request(stream, handler, log).await;
                });
            }
        });
        TestServer {
            addr,
            connections,
            received,
        }
    }

    async fn ok(body: &'static [u8]) -> TestServer {
        Self::start("127.0.0.1:0", Arc::new(move |_| response(200, &[], body))).await
    }

    fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    fn connections(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }

    fn received(&self) -> Vec<Received> {
        self.received.lock().unwrap().clone()
    }
}

async fn read_request(
    mut stream: TcpStream,
    handler: Handler,
    log: Arc<Mutex<Vec<Received>>>,
) -> Option<()> {
    let mut buf = Vec::new();
    let head_end = loop {
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        let mut chunk = [0u8; 4096];
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let mut request_line = lines.next()?.split(' ');
    let method = request_line.next()?.to_owned();
    let target = request_line.next()?.to_owned();
    let headers: Vec<(String, String)> = lines
        .filter(|l| !l.is_empty())
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let length: usize = headers
        .iter()
        .find(|(k, _)| k == "content-length")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    let mut body = buf[head_end..].to_vec();
    while body.len() < length {
        let mut chunk = [0u8; 4096];
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            break;
        }
        body.extend_from_slice(&chunk[..n]);
    }
    let req = Received {
        method,
        target,
        headers,
        body,
    };
    let answer = handler(&req);
    log.lock().unwrap().push(req);
    stream.write_all(&answer).await.ok()?;
    stream.shutdown().await.ok()?;
    Some(())
}

fn response(status: u16, headers: &[(&str, &str)], body: &[u8]) -> Vec<u8> {
    let mut out = format!(
        "HTTP/1.1 {status} X\r\ncontent-length: {}\r\nconnection: close\r\n",
        body.len()
    );
    for (k, v) in headers {
        out.push_str(&format!("{k}: {v}\r\n"));
    }
    out.push_str("\r\n");
    let mut out = out.into_bytes();
    out.extend_from_slice(body);
    out
}

fn transport(allow: &[&str]) -> HttpTransport {
    transport_with_timeout(allow, Duration::from_secs(10))
}

fn transport_with_timeout(allow: &[&str], timeout: Duration) -> HttpTransport {
    let entries: Vec<String> = allow.iter().map(|e| e.to_string()).collect();
    HttpTransport::new(AddressPolicy::parse(&entries).unwrap(), timeout).unwrap()
}

fn get(url: &str) -> HttpRequest {
    HttpRequest {
        method: "GET".into(),
        url: url.into(),
        headers: vec![],
        body: vec![],
    }
}

/// Gives a connection the guard should have prevented time to show up at a listener.
async fn settle() {
    tokio::time::sleep(Duration::from_millis(50)).await;
}

#[tokio::test]
async fn refuses_loopback_before_connecting() {
    let server = TestServer::ok(b"hello").await;
    let err = transport(&[])
        .send(&get(&server.url("/hook")))
        .await
        .unwrap_err();
    match &err {
        TransportError::Refused(r) => assert_eq!(r.reason, "loopback"),
        other => panic!("unexpected {other:?}"),
    }
    assert!(!err.is_retryable());
    settle().await;
    assert_eq!(server.connections(), 0);
}

#[tokio::test]
async fn refuses_mapped_and_numeric_spellings_of_loopback() {
    let server = TestServer::ok(b"hello").await;
    let port = server.addr.port();
    let t = transport(&[]);
    for url in [
        format!("http://[::ffff:7f00:1]:{port}/"),
        format!("http://[::ffff:127.0.0.1]:{port}/"),
        format!("http://2130706433:{port}/"),
        format!("http://0x7f.1:{port}/"),
    ] {
        let err = t.send(&get(&url)).await.unwrap_err();
        assert!(matches!(err, TransportError::Refused(_)), "{url}: {err:?}");
    }
    settle().await;
    assert_eq!(server.connections(), 0);
}

#[tokio::test]
async fn delivers_the_exact_request_when_the_allow_list_permits() {
    let server = TestServer::start(
        "127.0.0.1:0",
        Arc::new(|_| response(201, &[("X-Reply", "yes")], b"created")),
    )
    .await;
    let req = HttpRequest {
        method: "POST".into(),
        url: server.url("/hooks/abc?token=s3cret&x=1"),
        headers: vec![
            ("Content-Type".into(), "application/json".into()),
            ("X-Custom".into(), "one".into()),
            ("X-Custom".into(), "two".into()),
        ],
        body: br#"{"text":"deploy done"}"#.to_vec(),
    };
    let resp = transport(&["127.0.0.0/8"]).send(&req).await.unwrap();
    assert_eq!(resp.status, 201);
    assert_eq!(resp.body, b"created");
    assert_eq!(resp.header("x-reply"), Some("yes"));
    assert!(resp.headers.iter().all(|(k, _)| *k == k.to_lowercase()));

    let received = server.received();
    assert_eq!(received.len(), 1);
    let got = &received[0];
    assert_eq!(got.method, "POST");
    assert_eq!(got.target, "/hooks/abc?token=s3cret&x=1");
    assert_eq!(got.header_values("content-type"), ["application/json"]);
    assert_eq!(got.header_values("x-custom"), ["one", "two"]);
    assert_eq!(
        got.header_values("user-agent"),
        [concat!("Tocsin/", env!("CARGO_PKG_VERSION"))]
    );
    assert_eq!(got.body, br#"{"text":"deploy done"}"#);
}

#[tokio::test]
async fn a_provider_user_agent_replaces_the_default() {
    let server = TestServer::ok(b"").await;
    let mut req = get(&server.url("/"));
    req.headers.push(("User-Agent".into(), "Custom/1".into()));
    transport(&["127.0.0.1"]).send(&req).await.unwrap();
    assert_eq!(
        server.received()[0].header_values("user-agent"),
        ["Custom/1"]
    );
}

#[tokio::test]
async fn refuses_localhost_by_name_without_the_allow_list() {
    let server = TestServer::ok(b"hello").await;
    let url = format!("http://localhost:{}/", server.addr.port());
    let err = transport(&[]).send(&get(&url)).await.unwrap_err();
    match &err {
        TransportError::Refused(r) => {
            assert_eq!(r.reason, "loopback");
            assert_eq!(r.host, "localhost");
        }
        other => panic!("unexpected {other:?}"),
    }
    settle().await;
    assert_eq!(server.connections(), 0);
}

#[tokio::test]
async fn reaches_localhost_when_the_name_is_allowed() {
    let server = TestServer::ok(b"hello").await;
    let url = format!("http://LocalHost:{}/by-name", server.addr.port());
    let resp = transport(&["localhost"]).send(&get(&url)).await.unwrap();
    assert_eq!(resp.status, 200);
    assert_eq!(resp.body, b"hello");
    assert_eq!(server.received()[0].target, "/by-name");
}

#[tokio::test]
async fn refuses_a_redirect_to_an_address_outside_the_allow_list() {
    // 127.0.0.2 is loopback: harmless to reach should the guard fail.
    let target = TestServer::start("127.0.0.2:0", Arc::new(|_| response(200, &[], b"no"))).await;
    let location = target.url("/stolen");
    let origin = TestServer::start(
        "127.0.0.1:0",
        Arc::new(move |_| response(302, &[("Location", &location)], b"")),
    )
    .await;
    let err = transport(&["127.0.0.1/32"])
        .send(&get(&origin.url("/start")))
        .await
        .unwrap_err();
    match &err {
        TransportError::Refused(r) => {
            assert_eq!(r.ip.to_string(), "127.0.0.2");
            assert_eq!(r.reason, "loopback");
        }
        other => panic!("unexpected {other:?}"),
    }
    assert_eq!(origin.received().len(), 1);
    settle().await;
    assert_eq!(target.connections(), 0);
}

#[tokio::test]
async fn follows_a_redirect_on_the_same_host() {
    let server = TestServer::start(
        "127.0.0.1:0",
        Arc::new(|req| {
            if req.target == "/old" {
                response(308, &[("Location", "/new")], b"")
            } else {
                response(200, &[], b"moved here")
            }
        }),
    )
    .await;
    let mut req = get(&server.url("/old"));
    req.method = "POST".into();
    req.body = b"payload".to_vec();
    let resp = transport(&["127.0.0.1"]).send(&req).await.unwrap();
    assert_eq!(resp.status, 200);
    assert_eq!(resp.body, b"moved here");
    let received = server.received();
    assert_eq!(received.len(), 2);
    assert_eq!(received[1].target, "/new");
    assert_eq!(received[1].method, "POST");
    assert_eq!(received[1].body, b"payload");
}

#[tokio::test]
async fn returns_a_redirect_to_another_host_instead_of_following_it() {
    let other = TestServer::start("127.0.0.2:0", Arc::new(|_| response(200, &[], b"no"))).await;
    let location = other.url("/elsewhere");
    let origin = TestServer::start(
        "127.0.0.1:0",
        Arc::new(move |_| response(301, &[("Location", &location)], b"")),
    )
    .await;
    let resp = transport(&["127.0.0.0/8"])
        .send(&get(&origin.url("/")))
        .await
        .unwrap();
    assert_eq!(resp.status, 301);
    assert_eq!(
        resp.header("location"),
        Some(other.url("/elsewhere").as_str())
    );
    settle().await;
    assert_eq!(other.connections(), 0);
}

#[tokio::test]
async fn stops_after_three_redirects() {
    let server = TestServer::start(
        "127.0.0.1:0",
        Arc::new(|req| {
            let next = format!("{}x", req.target);
            response(302, &[("Location", &next)], b"")
        }),
    )
    .await;
    let err = transport(&["127.0.0.1"])
        .send(&get(&server.url("/")))
        .await
        .unwrap_err();
    assert!(matches!(err, TransportError::Other(_)), "{err:?}");
    assert_eq!(server.received().len(), 4);
}

#[tokio::test]
async fn times_out_when_the_receiver_never_answers() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let held = Arc::new(Mutex::new(Vec::new()));
    let keep = Arc::clone(&held);
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            keep.lock().unwrap().push(stream);
        }
    });
    let t = transport_with_timeout(&["127.0.0.1"], Duration::from_millis(300));
    let started = std::time::Instant::now();
    let err = t
        .send(&get(&format!("http://{addr}/slow")))
        .await
        .unwrap_err();
    assert!(matches!(err, TransportError::Timeout), "{err:?}");
    assert!(err.is_retryable());
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_eq!(held.lock().unwrap().len(), 1);
}

#[tokio::test]
async fn a_closed_port_is_a_retryable_connect_error_without_the_path() {
    let port = {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        listener.local_addr().unwrap().port()
    };
    let url = format!("http://127.0.0.1:{port}/hooks/secret-path?token=hunter22");
    let err = transport(&["127.0.0.1"])
        .send(&get(&url))
        .await
        .unwrap_err();
    assert!(matches!(err, TransportError::Connect(_)), "{err:?}");
    assert!(err.is_retryable());
    let text = format!("{err} {err:?}");
    assert!(!text.contains("secret-path"), "{text}");
    assert!(!text.contains("hunter22"), "{text}");
}

#[tokio::test]
async fn an_unresolvable_name_is_a_dns_error_not_retried() {
    let err = transport(&[])
        .send(&get("http://nonexistent.invalid/hook?token=hunter22"))
        .await
        .unwrap_err();
    assert!(matches!(err, TransportError::Dns(_)), "{err:?}");
    assert!(!err.is_retryable());
    assert!(err.to_string().contains("nonexistent.invalid"));
    assert!(!err.to_string().contains("hunter22"));
}

#[tokio::test]
async fn refusals_do_not_quote_the_path() {
    let err = transport(&[])
        .send(&get("http://127.0.0.1:9/hooks/secret-path?token=hunter22"))
        .await
        .unwrap_err();
    let text = format!("{err} {err:?}");
    assert!(text.contains("TOCSIN_ALLOW_PRIVATE"), "{text}");
    assert!(
        !text.contains("secret-path") && !text.contains("hunter22"),
        "{text}"
    );
}

#[tokio::test]
async fn caps_the_body_it_reads() {
    static BIG: [u8; 200 * 1024] = [b'a'; 200 * 1024];
    let server = TestServer::ok(&BIG).await;
    let resp = transport(&["127.0.0.1"])
        .send(&get(&server.url("/big")))
        .await
        .unwrap();
    assert_eq!(resp.status, 200);
    assert_eq!(resp.body.len(), super::DEFAULT_MAX_BODY);

    let resp = transport(&["127.0.0.1"])
        .with_max_body(1000)
        .send(&get(&server.url("/big")))
        .await
        .unwrap();
    assert_eq!(resp.body.len(), 1000);
}

#[tokio::test]
async fn rejects_other_schemes_and_bad_requests_without_retry() {
    let t = transport(&[]);
    for url in ["ftp://example.com/file", "file:///etc/passwd", "not a url"] {
        let err = t.send(&get(url)).await.unwrap_err();
        assert!(
            matches!(err, TransportError::InvalidUrl(_)),
            "{url}: {err:?}"
        );
        assert!(!err.is_retryable());
    }
    let server = TestServer::ok(b"").await;
    let t = transport(&["127.0.0.1"]);
    let mut bad_header = get(&server.url("/"));
    bad_header
        .headers
        .push(("X-Token".into(), "line\nbreak-secret".into()));
    let err = t.send(&bad_header).await.unwrap_err();
    assert!(matches!(err, TransportError::InvalidRequest(_)), "{err:?}");
    assert!(!err.to_string().contains("break-secret"));
    let mut bad_method = get(&server.url("/"));
    bad_method.method = "GE T".into();
    let err = t.send(&bad_method).await.unwrap_err();
    assert!(matches!(err, TransportError::InvalidRequest(_)), "{err:?}");
    settle().await;
    assert_eq!(server.connections(), 0);
}

/// The name of the test that runs in a child process with proxy variables set.
const PROXY_CHILD: &str = "proxy_variables_child";

#[tokio::test]
async fn ignores_proxy_environment_variables() {
    // Environment variables are process-wide, and setting them while other tests' threads
    // read them is unsound: the variables are set for a child process running one test.
    let proxy = TestServer::ok(b"from the proxy").await;
    let proxy_url = format!("http://{}", proxy.addr);
    let module = module_path!()
        .split_once("::")
        .map(|(_, rest)| rest)
        .unwrap_or(module_path!());
    let test_name = format!("{module}::{PROXY_CHILD}");
    let exe = std::env::current_exe().unwrap();
    let output = tokio::task::spawn_blocking(move || {
        let mut cmd = std::process::Command::new(exe);
        cmd.args(["--exact", &test_name, "--ignored", "--test-threads=1"]);
        for var in [
            "HTTP_PROXY",
            "http_proxy",
            "HTTPS_PROXY",
            "https_proxy",
            "ALL_PROXY",
            "all_proxy",
        ] {
            cmd.env(var, &proxy_url);
        }
        cmd.env_remove("NO_PROXY").env_remove("no_proxy");
        cmd.output().unwrap()
    })
    .await
    .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(stdout.contains("1 passed"), "{stdout}");
    settle().await;
    assert_eq!(proxy.connections(), 0);
}

#[tokio::test]
#[ignore = "run in a child process by ignores_proxy_environment_variables"]
async fn proxy_variables_child() {
    assert!(std::env::var_os("HTTP_PROXY").is_some());
    let server = TestServer::ok(b"direct").await;
    let resp = transport(&["127.0.0.1"])
        .send(&get(&server.url("/direct")))
        .await
        .unwrap();
    assert_eq!(resp.body, b"direct");
    assert_eq!(server.received()[0].target, "/direct");
}

#[tokio::test]
async fn a_checked_url_is_sent_as_checked_and_prints_only_its_origin() {
    let server = TestServer::ok(b"hello").await;
    let t = transport(&["127.0.0.0/8"]);
    let req = get(&server.url("/hook/s3cr3t-token?key=v4lue"));
    let checked = t.check_url(&req.url, false).expect("allowed");
    let shown = format!("{checked:?}");
    assert!(
        !shown.contains("s3cr3t") && !shown.contains("v4lue"),
        "{shown}"
    );
    assert!(shown.contains("127.0.0.1"), "{shown}");
    let response = t.send_to(checked, &req).await.expect("sent");
    assert_eq!((response.status, response.body), (200, b"hello".to_vec()));
    let received = server.received();
    assert_eq!(received.len(), 1);
    assert_eq!(received[0].target, "/hook/s3cr3t-token?key=v4lue");
    // The same errors as `require_tls`: a target the policy refuses, a URL that does not
    // parse.
    assert!(matches!(
        transport(&[]).check_url(&req.url, false),
        Err(TransportError::Refused(_))
    ));
    assert!(matches!(
        t.check_url("https://", false),
        Err(TransportError::InvalidUrl(_))
    ));
}
