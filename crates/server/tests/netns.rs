//! Guard tests that really connect: redirects to private targets, resolver answers that
//! change between lookups (DNS rebinding), names with private and loopback answers, SMTP to
//! a private host, and the send-time checks of one delivery attempt.
//!
//! They run inside a network namespace that has nothing but a loopback interface, so that
//! even a bug in the guard cannot reach a real private host or the metadata service: from
//! in there, 10.0.0.0/8 and 169.254.169.254 have no route. The test
//! `run_inside_a_loopback_only_network_namespace` re-executes this test binary under
//! `unshare -n` with `TOCSIN_TEST_NETNS` set; the `netns_` tests do their work only in that
//! inner run (outside it they say so and return). Where namespaces are not permitted the
//! outer test fails when `CI` is set, and prints a loud skip otherwise.
//!
//! Host names resolve through a [`StaticLookup`] table or a lookup of this file's own, never
//! through DNS.

use std::net::{IpAddr, SocketAddr};
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use serde_json::{Map, Value};
use tocsin_core::address::AddressPolicy;
use tocsin_core::channel::ChannelConfig;
use tocsin_core::event::Event;
use tocsin_core::outbound::{EmailMessage, HttpRequest, Outcome, SmtpSecurity, SmtpServer};
use tocsin_providers::{Identity, Kind, Message};
use tocsin_server::dispatch::attempt;
use tocsin_server::transport::{
    HttpTransport, Lookup, LookupFuture, SmtpError, SmtpTransport, StaticLookup, TransportError,
    Transports,
};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

const MARKER: &str = "TOCSIN_TEST_NETNS";

#[test]
fn run_inside_a_loopback_only_network_namespace() {
    if std::env::var_os(MARKER).is_some() {
        // This is the inner run: the `netns_` tests do the work.
        return;
    }
    let in_ci = std::env::var_os("CI").is_some();
    let probe = Command::new("unshare")
        .args(["-n", "--", "sh", "-c", "ip link set lo up"])
        .output();
    let permitted = matches!(&probe, Ok(out) if out.status.success());
    if !permitted {
        let why = match &probe {
            Ok(out) => String::from_utf8_lossy(&out.stderr).trim().to_owned(),
            Err(e) => e.to_string(),
        };
        assert!(
            !in_ci,
            "CI must run the network-namespace tests, but `unshare -n` + `ip link set lo up` \
             failed: {why} (run as root, or install util-linux and iproute2)"
        );
        eprintln!(
            "\n!!!!!!!! SKIPPED: the SSRF tests that really connect need a network namespace \
             (`unshare -n`, `ip`), which is not permitted here: {why}. CI runs them. !!!!!!!!\n"
        );
        return;
    }
    let exe = std::env::current_exe().expect("the test binary's path");
    let status = Command::new("unshare")
        .args([
            "-n",
            "--",
            "sh",
            "-c",
            "ip link set lo up && exec \"$0\" \"$@\"",
        ])
        .arg(exe)
        .args(["netns_", "--test-threads", "2"])
        .env(MARKER, "1")
        .status()
        .expect("unshare runs");
    assert!(
        status.success(),
        "the tests inside the namespace failed (their output is above)"
    );
}

/// True inside the namespace. Checks that the namespace really has only loopback, so a
/// test never runs with a real network by mistake.
fn inside() -> bool {
    if std::env::var_os(MARKER).is_none() {
        eprintln!(
            "runs inside the namespace only (see run_inside_a_loopback_only_network_namespace)"
        );
        return false;
    }
    // /proc/self/net follows the process's network namespace (/sys/class/net would show
    // the namespace sysfs was mounted in).
    let interfaces: Vec<String> = std::fs::read_to_string("/proc/self/net/dev")
        .expect("/proc/self/net/dev")
        .lines()
        .skip(2)
        .filter_map(|line| line.split(':').next())
        .map(|name| name.trim().to_owned())
        .collect();
    assert_eq!(
        interfaces,
        vec!["lo".to_owned()],
        "the namespace must have only loopback"
    );
    true
}

fn ip(s: &str) -> IpAddr {
    s.parse().unwrap()
}

fn policy(entries: &[&str]) -> AddressPolicy {
    let entries: Vec<String> = entries.iter().map(|e| e.to_string()).collect();
    AddressPolicy::parse(&entries).unwrap()
}

fn get(url: &str) -> HttpRequest {
    HttpRequest {
        method: "GET".into(),
        url: url.into(),
        headers: Vec::new(),
        body: Vec::new(),
    }
}

/// A server on 127.0.0.1 answering every request, on its own connection (then closed),
/// with `answer(n)` for the n-th request; counts requests.
struct Server {
    addr: SocketAddr,
    requests: Arc<AtomicUsize>,
}

impl Server {
    async fn start(answer: impl Fn(usize) -> String + Send + Sync + 'static) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let requests = Arc::new(AtomicUsize::new(0));
        let count = Arc::clone(&requests);
        let answer = Arc::new(answer);
        tokio::spawn(async move {
            while let Ok((mut stream, _)) = listener.accept().await {
                let (count, answer) = (Arc::clone(&count), Arc::clone(&answer));
                tokio::spawn(async move {
                    let mut buf = Vec::new();
                    let mut chunk = [0u8; 4096];
                    while !buf.windows(4).any(|w| w == b"\r\n\r\n") {
                        match stream.read(&mut chunk).await {
                            Ok(0) | Err(_) => return,
                            Ok(n) => buf.extend_from_slice(&chunk[..n]),
                        }
                    }
                    let n = count.fetch_add(1, Ordering::SeqCst);
                    let _ = stream.write_all(answer(n).as_bytes()).await;
                    let _ = stream.shutdown().await;
                });
            }
        });
        Server { addr, requests }
    }

    fn requests(&self) -> usize {
        self.requests.load(Ordering::SeqCst)
    }
}

fn redirect_to(location: &str) -> String {
    format!(
        "HTTP/1.1 302 Found\r\nLocation: {location}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    )
}

fn ok() -> String {
    "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok".to_owned()
}

#[tokio::test]
async fn netns_nothing_but_loopback_is_reachable() {
    if !inside() {
        return;
    }
    for target in ["10.0.0.1:80", "169.254.169.254:80", "[fd00::1]:80"] {
        let attempt = tokio::time::timeout(
            Duration::from_secs(2),
            tokio::net::TcpStream::connect(target),
        )
        .await;
        assert!(
            !matches!(attempt, Ok(Ok(_))),
            "{target} is reachable from the namespace"
        );
    }
}

#[tokio::test]
async fn netns_a_redirect_to_a_private_target_is_never_followed() {
    if !inside() {
        return;
    }
    let targets = [
        ("http://10.0.0.1/", "private network"),
        ("http://169.254.169.254/latest/meta-data/", "cloud metadata"),
        ("http://[::ffff:10.0.0.1]/", "private network"),
        ("http://0x7f000002/", "loopback"),
        ("http://[::1]/", "loopback"),
        ("http://0/", "unspecified"),
    ];
    // Only the receiver's own address is allowed: every other loopback address stays
    // refused.
    let http = HttpTransport::with_resolver(
        policy(&["127.0.0.1/32"]),
        Duration::from_secs(2),
        Arc::new(StaticLookup::default()),
    )
    .unwrap();
    for (location, reason) in targets {
        let server = Server::start({
            let location = location.to_owned();
            move |_| redirect_to(&location)
        })
        .await;
        let url = format!("http://{}/start", server.addr);
        match http.send(&get(&url)).await {
            Err(TransportError::Refused(r)) => assert_eq!(r.reason, reason, "{location}"),
            other => panic!("{location}: expected a refusal, got {other:?}"),
        }
        assert_eq!(server.requests(), 1, "{location}");
    }
}

#[tokio::test]
async fn netns_a_redirect_to_a_name_with_private_answers_is_refused_or_not_followed() {
    if !inside() {
        return;
    }
    let resolver = Arc::new(StaticLookup::new([
        ("receiver.test", vec![ip("127.0.0.1")]),
        ("internal.test", vec![ip("10.0.0.1")]),
    ]));
    let http =
        HttpTransport::with_resolver(policy(&["127.0.0.0/8"]), Duration::from_secs(2), resolver)
            .unwrap();
    // Same host, whose name now points at a private address: the hop resolves again.
    let server = Server::start(|_| redirect_to("http://internal.test/next")).await;
    let url = format!("http://receiver.test:{}/start", server.addr.port());
    let resp = http.send(&get(&url)).await.unwrap();
    assert_eq!(resp.status, 302, "another host's redirect is returned");
    assert_eq!(server.requests(), 1);
}

/// Answers 127.0.0.1 to the first lookup and private addresses to every later one: what a
/// DNS-rebinding attacker's name server does.
#[derive(Debug, Default)]
struct Rebinding {
    lookups: AtomicUsize,
}

impl Lookup for Rebinding {
    fn lookup<'a>(&'a self, _host: &'a str, port: u16) -> LookupFuture<'a> {
        let n = self.lookups.fetch_add(1, Ordering::SeqCst);
        let ips = if n == 0 {
            vec![ip("127.0.0.1")]
        } else {
            vec![ip("10.0.0.1"), ip("169.254.169.254")]
        };
        Box::pin(async move { Ok(ips.into_iter().map(|i| SocketAddr::new(i, port)).collect()) })
    }
}

#[tokio::test]
async fn netns_rebinding_answers_are_checked_at_every_lookup() {
    if !inside() {
        return;
    }
    let server = Server::start(|_| ok()).await;
    let rebinding = Arc::new(Rebinding::default());
    let http = HttpTransport::with_resolver(
        policy(&["127.0.0.0/8"]),
        Duration::from_secs(2),
        rebinding.clone(),
    )
    .unwrap();
    let url = format!("http://rebind.test:{}/", server.addr.port());
    let first = http.send(&get(&url)).await.unwrap();
    assert_eq!(first.status, 200);
    // The server closed the connection, so the next request looks the name up again, and
    // gets only private addresses.
    match http.send(&get(&url)).await {
        Err(TransportError::Refused(r)) => assert_eq!(r.reason, "private network"),
        other => panic!("expected a refusal, got {other:?}"),
    }
    assert!(rebinding.lookups.load(Ordering::SeqCst) >= 2);
    assert_eq!(server.requests(), 1);
}

#[tokio::test]
async fn netns_a_name_with_mixed_answers_connects_only_to_the_allowed_one() {
    if !inside() {
        return;
    }
    let server = Server::start(|_| ok()).await;
    let resolver = Arc::new(StaticLookup::new([(
        "mixed.test",
        vec![
            ip("10.0.0.1"),
            ip("169.254.169.254"),
            ip("fd00::1"),
            ip("127.0.0.1"),
        ],
    )]));
    let http =
        HttpTransport::with_resolver(policy(&["127.0.0.0/8"]), Duration::from_secs(2), resolver)
            .unwrap();
    let url = format!("http://mixed.test:{}/", server.addr.port());
    let resp = http.send(&get(&url)).await.unwrap();
    assert_eq!(resp.status, 200);
    assert_eq!(server.requests(), 1);
}

fn email() -> EmailMessage {
    EmailMessage {
        from: "tocsin@example.com".into(),
        to: vec!["ops@example.com".into()],
        cc: Vec::new(),
        bcc: Vec::new(),
        reply_to: None,
        subject: "ssrf".into(),
        text: "text".into(),
        html: String::new(),
        headers: Vec::new(),
        message_id: "<ssrf@example.com>".into(),
        attachments: vec![],
    }
}

#[tokio::test]
async fn netns_smtp_to_a_private_host_is_refused_before_connecting() {
    if !inside() {
        return;
    }
    // A listener on loopback that counts connections: nothing may connect to it.
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let connections = Arc::new(AtomicUsize::new(0));
    let count = Arc::clone(&connections);
    tokio::spawn(async move {
        while let Ok((_stream, _)) = listener.accept().await {
            count.fetch_add(1, Ordering::SeqCst);
        }
    });
    let resolver = Arc::new(StaticLookup::new([
        ("mail.internal.test", vec![ip("10.0.0.25")]),
        ("mail.loopback.test", vec![ip("127.0.0.1")]),
        ("mail.metadata.test", vec![ip("169.254.169.254")]),
    ]));
    let smtp = SmtpTransport::new(AddressPolicy::default(), Duration::from_secs(2))
        .with_resolver(resolver);
    let cases = [
        ("mail.internal.test", "private network"),
        ("mail.loopback.test", "loopback"),
        ("mail.metadata.test", "cloud metadata"),
        ("127.0.0.1", "loopback"),
        ("[::1]", "loopback"),
        ("10.0.0.25", "private network"),
    ];
    for (host, reason) in cases {
        let server = SmtpServer {
            host: host.into(),
            port,
            security: SmtpSecurity::StartTls,
            username: None,
            password: None,
        };
        match smtp.send(&server, &email()).await {
            Err(SmtpError::Refused(r)) => assert_eq!(r.reason, reason, "{host}"),
            other => panic!("{host}: expected a refusal, got {other:?}"),
        }
    }
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(connections.load(Ordering::SeqCst), 0);
}

fn webhook(url: &str, allow_http: bool) -> ChannelConfig {
    let mut settings = Map::new();
    settings.insert("url".into(), Value::String(url.into()));
    if allow_http {
        settings.insert("allow_http".into(), Value::Bool(true));
    }
    tocsin_providers::configure(Kind::Webhook, settings, Map::new(), None).unwrap()
}

async fn attempt_to(http: &HttpTransport, config: &ChannelConfig) -> Outcome {
    let smtp = SmtpTransport::new(http.policy().clone(), Duration::from_secs(2));
    let event = Event::test(ulid::Ulid::nil(), 1_795_428_000_000);
    let identity = Identity::default();
    let message = Message {
        event: &event,
        delivery_id: "netns",
        now: 1_795_428_000_000,
        identity: &identity,
        attachments: &[],
    };
    let transports = Transports { http, smtp: &smtp };
    attempt::run(
        transports,
        &tocsin_server::secrets::RefPolicy::default(),
        Kind::Webhook,
        config,
        &message,
    )
    .await
    .outcome
}

#[tokio::test]
async fn netns_a_delivery_attempt_applies_the_guard_and_the_https_rule() {
    if !inside() {
        return;
    }
    let server = Server::start(|_| ok()).await;
    let port = server.addr.port();
    let resolver = Arc::new(StaticLookup::new([
        ("receiver.test", vec![ip("127.0.0.1")]),
        ("internal.test", vec![ip("10.0.0.1")]),
    ]));
    let http =
        HttpTransport::with_resolver(policy(&["127.0.0.0/8"]), Duration::from_secs(2), resolver)
            .unwrap();

    // A name that resolves to a private address fails, even with allow_http.
    let outcome = attempt_to(
        &http,
        &webhook(&format!("http://internal.test:{port}/"), true),
    )
    .await;
    assert!(
        matches!(&outcome, Outcome::Failed { reason } if reason.contains("private network")),
        "{outcome:?}"
    );
    // Plain http to a name that is not allow-listed fails without allow_http, although its
    // address is allowed...
    let outcome = attempt_to(
        &http,
        &webhook(&format!("http://receiver.test:{port}/"), false),
    )
    .await;
    assert!(
        matches!(&outcome, Outcome::Failed { reason } if reason.contains("plain http://")),
        "{outcome:?}"
    );
    assert_eq!(server.requests(), 0);
    // ...and is delivered with it; an allow-listed literal needs nothing.
    let outcome = attempt_to(
        &http,
        &webhook(&format!("http://receiver.test:{port}/"), true),
    )
    .await;
    assert_eq!(outcome, Outcome::Delivered);
    let outcome = attempt_to(&http, &webhook(&format!("http://127.0.0.1:{port}/"), false)).await;
    assert_eq!(outcome, Outcome::Delivered);
    assert_eq!(server.requests(), 2);
}
