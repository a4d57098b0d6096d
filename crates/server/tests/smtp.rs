//! The SMTP transport against a real SMTP server: aiosmtpd (PyPI), started by each test on
//! 127.0.0.1 through `tests/smtp_server.py`, with a test CA and certificates made here.
//!
//! aiosmtpd is required: without it these tests fail (`pip install aiosmtpd`), they are
//! never skipped.

use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use rcgen::{BasicConstraints, CertificateParams, CertifiedIssuer, DnType, IsCa, KeyPair};
use serde_json::Value;
use tocsin_core::address::AddressPolicy;
use tocsin_core::outbound::{EmailMessage, SmtpSecurity, SmtpServer};
use tocsin_server::transport::{SmtpError, SmtpReceipt, SmtpTransport};

const USER: &str = "tocsin";
const PASSWORD: &str = "s3cret-pass";
/// Longest any one send may take in these tests before the test fails.
const SEND_LIMIT: Duration = Duration::from_secs(20);
/// Longest the server may take to start.
const START_LIMIT: Duration = Duration::from_secs(20);

/// A test CA and two server certificates it signed: one for `localhost`, one for another name.
struct Certs {
    dir: tempfile::TempDir,
    ca_pem: String,
}

impl Certs {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let mut ca = CertificateParams::new(Vec::<String>::new()).unwrap();
        ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        ca.distinguished_name
            .push(DnType::CommonName, "Tocsin test CA");
        let ca = CertifiedIssuer::self_signed(ca, KeyPair::generate().unwrap()).unwrap();
        for (name, san) in [("localhost", "localhost"), ("wrong", "wrong.example")] {
            let key = KeyPair::generate().unwrap();
            let cert = CertificateParams::new(vec![san.to_owned()])
                .unwrap()
                .signed_by(&key, &ca)
                .unwrap();
            std::fs::write(dir.path().join(format!("{name}.crt")), cert.pem()).unwrap();
            std::fs::write(dir.path().join(format!("{name}.key")), key.serialize_pem()).unwrap();
        }
        Self {
            ca_pem: ca.pem(),
            dir,
        }
    }

    fn pair(&self, name: &str) -> (PathBuf, PathBuf) {
        (
            self.dir.path().join(format!("{name}.crt")),
            self.dir.path().join(format!("{name}.key")),
        )
    }
}

#[derive(Clone, Copy)]
enum Mode {
    Plain,
    StartTls,
    Tls,
}

/// One aiosmtpd process; stopped when dropped.
struct MailServer {
    child: Child,
    // Held open: the server stops when it sees EOF.
    _stdin: ChildStdin,
    port: u16,
    dir: tempfile::TempDir,
}

struct Options<'a> {
    mode: Mode,
    cert: Option<(PathBuf, PathBuf)>,
    auth: bool,
    exclude_auth: &'a [&'a str],
}

impl MailServer {
    fn start(options: Options<'_>) -> Self {
        require_aiosmtpd();
        let dir = tempfile::tempdir().unwrap();
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/smtp_server.py");
        let mut cmd = Command::new("python3");
        cmd.arg(script)
            .arg("--dir")
            .arg(dir.path())
            .arg("--mode")
            .arg(match options.mode {
                Mode::Plain => "plain",
                Mode::StartTls => "starttls",
                Mode::Tls => "tls",
            });
        if let Some((cert, key)) = &options.cert {
            cmd.arg("--cert").arg(cert).arg("--key").arg(key);
        }
        if options.auth {
            cmd.arg("--auth");
        }
        for mechanism in options.exclude_auth {
            cmd.arg("--exclude-auth").arg(mechanism);
        }
        let mut child = cmd
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("python3 must be installed to run the SMTP tests");
        let stdin = child.stdin.take().unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut line = String::new();
            let _ = BufReader::new(stdout).read_line(&mut line);
            let _ = tx.send(line);
        });
        let line = rx.recv_timeout(START_LIMIT).unwrap_or_default();
        let Some(port) = line
            .trim()
            .strip_prefix("PORT ")
            .and_then(|p| p.parse().ok())
        else {
            let _ = child.kill();
            let output = child.wait_with_output().unwrap();
            panic!(
                "the test SMTP server did not start (stdout {line:?}): {}",
                String::from_utf8_lossy(&output.stderr)
            );
        };
        Self {
            child,
            _stdin: stdin,
            port,
            dir,
        }
    }

    fn plain() -> Self {
        Self::start(Options {
            mode: Mode::Plain,
            cert: None,
            auth: false,
            exclude_auth: &[],
        })
    }

    /// The messages received so far, in order.
    fn messages(&self) -> Vec<Value> {
        let mut found: Vec<(u32, Value)> = std::fs::read_dir(self.dir.path())
            .unwrap()
            .filter_map(|entry| {
                let name = entry.ok()?.file_name().into_string().ok()?;
                let n = name
                    .strip_prefix("message-")?
                    .strip_suffix(".json")?
                    .parse()
                    .ok()?;
                let text = std::fs::read_to_string(self.dir.path().join(&name)).ok()?;
                Some((n, serde_json::from_str(&text).unwrap()))
            })
            .collect();
        found.sort_by_key(|(n, _)| *n);
        found.into_iter().map(|(_, v)| v).collect()
    }

    /// Connection events (`open`/`close` with the client's peer address).
    fn connections(&self) -> Vec<Value> {
        std::fs::read_to_string(self.dir.path().join("connections.jsonl"))
            .unwrap_or_default()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    }

    fn opened(&self) -> usize {
        self.connections()
            .iter()
            .filter(|e| e["event"] == "open")
            .count()
    }

    fn server(&self, security: SmtpSecurity) -> SmtpServer {
        SmtpServer {
            host: "localhost".into(),
            port: self.port,
            security,
            username: None,
            password: None,
        }
    }
}

impl Drop for MailServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn require_aiosmtpd() {
    let output = Command::new("python3")
        .args(["-c", "import aiosmtpd"])
        .output()
        .expect("python3 must be installed to run the SMTP tests");
    assert!(
        output.status.success(),
        "the SMTP tests need aiosmtpd: install it with `pip install aiosmtpd` ({})",
        String::from_utf8_lossy(&output.stderr).trim()
    );
}

fn policy(entries: &[&str]) -> AddressPolicy {
    let entries: Vec<String> = entries.iter().map(|e| e.to_string()).collect();
    AddressPolicy::parse(&entries).unwrap()
}

/// A transport allowed to reach localhost, trusting the test CA.
fn transport(certs: &Certs) -> SmtpTransport {
    SmtpTransport::new(policy(&["localhost"]), Duration::from_secs(10))
        .with_root_certificates_pem(certs.ca_pem.as_bytes())
        .unwrap()
}

fn email(id: &str) -> EmailMessage {
    EmailMessage {
        from: "Tocsin <tocsin@example.com>".into(),
        to: vec!["ops@example.com".into()],
        cc: vec![],
        bcc: vec![],
        reply_to: None,
        subject: "Deploy Success".into(),
        text: "my-app deployed".into(),
        html: "<p>my-app deployed</p>".into(),
        headers: vec![],
        message_id: id.into(),
        attachments: vec![],
    }
}

async fn send(
    transport: &SmtpTransport,
    server: &SmtpServer,
    message: &EmailMessage,
) -> Result<SmtpReceipt, SmtpError> {
    tokio::time::timeout(SEND_LIMIT, transport.send(server, message))
        .await
        .expect("the send finished in time")
}

fn header<'a>(message: &'a Value, name: &str) -> Vec<&'a str> {
    message["parsed"]["headers"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|h| h[0].as_str().unwrap().eq_ignore_ascii_case(name))
        .map(|h| h[1].as_str().unwrap())
        .collect()
}

#[tokio::test]
async fn delivers_over_plain_smtp_to_an_allow_listed_host() {
    let certs = Certs::new();
    let server = MailServer::plain();
    let receipt = send(
        &transport(&certs),
        &server.server(SmtpSecurity::None),
        &email("plain1"),
    )
    .await
    .unwrap();
    assert_eq!(receipt.code, 250);
    assert_eq!(receipt.to_string(), "250 2.0.0 Ok: queued");
    let messages = server.messages();
    assert_eq!(messages.len(), 1);
    assert_eq!(messages[0]["mail_from"], "tocsin@example.com");
    assert_eq!(
        messages[0]["rcpt_tos"],
        serde_json::json!(["ops@example.com"])
    );
    assert_eq!(messages[0]["tls"], false);
}

#[tokio::test]
async fn delivers_over_required_starttls_checking_the_certificate_against_the_name() {
    let certs = Certs::new();
    let server = MailServer::start(Options {
        mode: Mode::StartTls,
        cert: Some(certs.pair("localhost")),
        auth: false,
        exclude_auth: &[],
    });
    let receipt = send(
        &transport(&certs),
        &server.server(SmtpSecurity::StartTls),
        &email("starttls1"),
    )
    .await
    .unwrap();
    assert_eq!(receipt.code, 250);
    let messages = server.messages();
    assert_eq!(messages.len(), 1);
    assert_eq!(messages[0]["tls"], true);
}

#[tokio::test]
async fn delivers_over_implicit_tls() {
    let certs = Certs::new();
    let server = MailServer::start(Options {
        mode: Mode::Tls,
        cert: Some(certs.pair("localhost")),
        auth: false,
        exclude_auth: &[],
    });
    let receipt = send(
        &transport(&certs),
        &server.server(SmtpSecurity::Tls),
        &email("tls1"),
    )
    .await
    .unwrap();
    assert_eq!(receipt.code, 250);
    let messages = server.messages();
    assert_eq!(messages.len(), 1);
    assert_eq!(messages[0]["tls"], true);
}

#[tokio::test]
async fn never_downgrades_when_the_server_offers_no_starttls() {
    let certs = Certs::new();
    let server = MailServer::plain();
    let mut smtp = server.server(SmtpSecurity::StartTls);
    smtp.username = Some(USER.into());
    smtp.password = Some(PASSWORD.into());
    let err = send(&transport(&certs), &smtp, &email("nostarttls"))
        .await
        .unwrap_err();
    assert!(matches!(err, SmtpError::NoStartTls { .. }), "{err}");
    assert!(!err.is_retryable());
    assert!(err.to_string().contains("does not offer STARTTLS"), "{err}");
    assert!(server.messages().is_empty());
}

#[tokio::test]
async fn refuses_a_certificate_for_another_name() {
    let certs = Certs::new();
    for (mode, security) in [
        (Mode::Tls, SmtpSecurity::Tls),
        (Mode::StartTls, SmtpSecurity::StartTls),
    ] {
        let server = MailServer::start(Options {
            mode,
            cert: Some(certs.pair("wrong")),
            auth: false,
            exclude_auth: &[],
        });
        let err = send(
            &transport(&certs),
            &server.server(security),
            &email("wrongname"),
        )
        .await
        .unwrap_err();
        assert!(matches!(err, SmtpError::Certificate { .. }), "{err}");
        assert!(!err.is_retryable());
        let text = err.to_string();
        assert!(
            text.starts_with("the TLS certificate of localhost is not valid"),
            "{text}"
        );
        assert!(server.messages().is_empty());
    }
}

#[tokio::test]
async fn refuses_a_certificate_from_an_untrusted_ca() {
    let certs = Certs::new();
    let server = MailServer::start(Options {
        mode: Mode::Tls,
        cert: Some(certs.pair("localhost")),
        auth: false,
        exclude_auth: &[],
    });
    // The platform's roots only: the test CA is unknown.
    let transport = SmtpTransport::new(policy(&["localhost"]), Duration::from_secs(10));
    let err = send(
        &transport,
        &server.server(SmtpSecurity::Tls),
        &email("untrusted"),
    )
    .await
    .unwrap_err();
    assert!(matches!(err, SmtpError::Certificate { .. }), "{err}");
    assert!(!err.is_retryable());
    assert!(server.messages().is_empty());
}

#[tokio::test]
async fn authenticates_after_starttls() {
    let certs = Certs::new();
    let server = MailServer::start(Options {
        mode: Mode::StartTls,
        cert: Some(certs.pair("localhost")),
        auth: true,
        exclude_auth: &[],
    });
    let mut smtp = server.server(SmtpSecurity::StartTls);
    smtp.username = Some(USER.into());
    smtp.password = Some(PASSWORD.into());
    send(&transport(&certs), &smtp, &email("auth1"))
        .await
        .unwrap();
    let messages = server.messages();
    assert_eq!(messages.len(), 1);
    assert_eq!(messages[0]["authenticated"], true);
}

#[tokio::test]
async fn authenticates_with_login_when_plain_is_not_offered() {
    let certs = Certs::new();
    let server = MailServer::start(Options {
        mode: Mode::Tls,
        cert: Some(certs.pair("localhost")),
        auth: true,
        exclude_auth: &["PLAIN"],
    });
    let mut smtp = server.server(SmtpSecurity::Tls);
    smtp.username = Some(USER.into());
    smtp.password = Some(PASSWORD.into());
    send(&transport(&certs), &smtp, &email("login1"))
        .await
        .unwrap();
    let messages = server.messages();
    assert_eq!(messages.len(), 1);
    assert_eq!(messages[0]["authenticated"], true);
}

#[tokio::test]
async fn surfaces_a_rejected_login_as_a_permanent_535_without_the_password() {
    let certs = Certs::new();
    let server = MailServer::start(Options {
        mode: Mode::StartTls,
        cert: Some(certs.pair("localhost")),
        auth: true,
        exclude_auth: &[],
    });
    let mut smtp = server.server(SmtpSecurity::StartTls);
    smtp.username = Some(USER.into());
    smtp.password = Some("wrong-password".into());
    let err = send(&transport(&certs), &smtp, &email("auth2"))
        .await
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "SMTP 535 5.7.8 Authentication credentials invalid"
    );
    assert_eq!(err.reply_code(), Some(535));
    assert!(!err.is_retryable());
    assert!(!format!("{err} {err:?}").contains("wrong-password"));
    assert!(server.messages().is_empty());
}

#[tokio::test]
async fn sends_one_multipart_message_to_every_recipient_with_bcc_in_the_envelope_only() {
    let certs = Certs::new();
    let server = MailServer::plain();
    let message = EmailMessage {
        from: "Tocsin Alerts <alerts@example.com>".into(),
        to: vec![
            "ops@example.com".into(),
            "Dev Team <dev@example.com>".into(),
        ],
        cc: vec!["lead@example.com".into()],
        bcc: vec!["audit@example.com".into()],
        reply_to: Some("noreply@example.com".into()),
        subject: "[production] Déploiement réussi ✅".into(),
        text: "my-app a été déployé\nen 45 s".into(),
        html: "<h1>my-app</h1><p>a été déployé — en 45 s</p>".into(),
        headers: vec![
            ("X-Tocsin-Event".into(), "deploy.success".into()),
            (
                "List-Id".into(),
                "Tocsin production <production.tocsin>".into(),
            ),
        ],
        message_id: "01JDZX5Q3N8K2V7W9Y4T6R1M0P".into(),
        attachments: vec![],
    };
    send(
        &transport(&certs),
        &server.server(SmtpSecurity::None),
        &message,
    )
    .await
    .unwrap();
    let messages = server.messages();
    assert_eq!(messages.len(), 1);
    let got = &messages[0];

    // The envelope has everyone, Bcc included.
    assert_eq!(got["mail_from"], "alerts@example.com");
    assert_eq!(
        got["rcpt_tos"],
        serde_json::json!([
            "ops@example.com",
            "dev@example.com",
            "lead@example.com",
            "audit@example.com"
        ])
    );
    // The headers do not show the Bcc recipient.
    assert!(header(got, "Bcc").is_empty());
    assert!(!got["raw"].as_str().unwrap().contains("audit@example.com"));

    assert_eq!(header(got, "From"), ["Tocsin Alerts <alerts@example.com>"]);
    assert_eq!(
        header(got, "To"),
        ["ops@example.com, Dev Team <dev@example.com>"]
    );
    assert_eq!(header(got, "Cc"), ["lead@example.com"]);
    assert_eq!(header(got, "Reply-To"), ["noreply@example.com"]);
    assert_eq!(
        header(got, "Subject"),
        ["[production] Déploiement réussi ✅"]
    );
    assert_eq!(
        header(got, "Message-ID"),
        ["<01JDZX5Q3N8K2V7W9Y4T6R1M0P@tocsin>"]
    );
    assert_eq!(header(got, "Date").len(), 1);
    assert_eq!(header(got, "MIME-Version"), ["1.0"]);
    assert_eq!(header(got, "X-Tocsin-Event"), ["deploy.success"]);
    assert_eq!(
        header(got, "List-Id"),
        ["Tocsin production <production.tocsin>"]
    );
    // The raw subject is encoded: non-ASCII never goes on the wire as is.
    assert!(got["raw"].as_str().unwrap().is_ascii());

    assert_eq!(got["parsed"]["content_type"], "multipart/alternative");
    let parts = got["parsed"]["parts"].as_array().unwrap();
    assert_eq!(parts.len(), 2, "{parts:?}");
    assert_eq!(parts[0]["content_type"], "text/plain");
    assert_eq!(parts[0]["charset"], "utf-8");
    assert_eq!(
        parts[0]["content"]
            .as_str()
            .unwrap()
            .replace("\r\n", "\n")
            .trim_end(),
        "my-app a été déployé\nen 45 s"
    );
    assert_eq!(parts[1]["content_type"], "text/html");
    assert_eq!(parts[1]["charset"], "utf-8");
    assert_eq!(
        parts[1]["content"].as_str().unwrap().trim_end(),
        "<h1>my-app</h1><p>a été déployé — en 45 s</p>"
    );
}

#[tokio::test]
async fn attachments_follow_the_text_and_html_in_multipart_mixed() {
    use base64::Engine as _;
    use tocsin_core::outbound::Attachment;
    let certs = Certs::new();
    let server = MailServer::plain();
    let binary: Vec<u8> = (0..=255u8).cycle().take(5000).collect();
    let mut message = email("01JDZX5Q3N8K2V7W9Y4T6R1M0Q");
    message.attachments = vec![
        Attachment {
            filename: "backup.log".into(),
            mime: "text/plain".into(),
            data: b"line 1\nline 2\n".to_vec(),
        },
        Attachment {
            filename: "rapport été.pdf".into(),
            mime: "application/pdf".into(),
            data: binary.clone(),
        },
    ];
    send(
        &transport(&certs),
        &server.server(SmtpSecurity::None),
        &message,
    )
    .await
    .unwrap();
    let messages = server.messages();
    assert_eq!(messages.len(), 1);
    let got = &messages[0];
    assert_eq!(got["parsed"]["content_type"], "multipart/mixed");
    assert!(got["raw"].as_str().unwrap().is_ascii());
    let parts = got["parsed"]["parts"].as_array().unwrap();
    assert_eq!(parts.len(), 4, "{parts:?}");
    // The message itself first, as before: text, then HTML, neither an attachment.
    assert_eq!(parts[0]["content_type"], "text/plain");
    assert_eq!(
        parts[0]["content"].as_str().unwrap().trim_end(),
        "my-app deployed"
    );
    assert_eq!(parts[1]["content_type"], "text/html");
    assert!(parts[0]["disposition"].is_null() && parts[1]["disposition"].is_null());
    // Then the files, with their names, types and exact bytes.
    let b64 = base64::engine::general_purpose::STANDARD;
    for (part, (name, kind, bytes)) in parts[2..].iter().zip([
        ("backup.log", "text/plain", b"line 1\nline 2\n".to_vec()),
        ("rapport été.pdf", "application/pdf", binary),
    ]) {
        assert_eq!(part["disposition"], "attachment", "{part}");
        assert_eq!(part["filename"], name, "{part}");
        assert_eq!(part["content_type"], kind, "{part}");
        assert_eq!(b64.decode(part["base64"].as_str().unwrap()).unwrap(), bytes);
    }
}

#[tokio::test]
async fn a_451_reply_is_retryable_and_its_connection_is_not_reused() {
    let certs = Certs::new();
    let server = MailServer::plain();
    let transport = transport(&certs);
    let smtp = server.server(SmtpSecurity::None);
    let mut message = email("temp1");
    message.to = vec!["tempfail@example.com".into()];
    let err = send(&transport, &smtp, &message).await.unwrap_err();
    assert_eq!(err.to_string(), "SMTP 451 4.3.0 try again");
    assert_eq!(err.reply().as_deref(), Some("451 4.3.0 try again"));
    assert!(err.is_retryable());

    send(&transport, &smtp, &email("temp2")).await.unwrap();
    assert_eq!(server.messages().len(), 1);
    assert_eq!(server.opened(), 2, "{:?}", server.connections());
}

#[tokio::test]
async fn a_550_reply_is_permanent() {
    let certs = Certs::new();
    let server = MailServer::plain();
    let mut message = email("perm1");
    message.to = vec!["nobody@example.com".into()];
    let err = send(
        &transport(&certs),
        &server.server(SmtpSecurity::None),
        &message,
    )
    .await
    .unwrap_err();
    assert_eq!(err.to_string(), "SMTP 550 5.1.1 mailbox unavailable");
    assert!(!err.is_retryable());
    assert!(server.messages().is_empty());
}

#[tokio::test]
async fn reuses_one_connection_for_two_messages() {
    let certs = Certs::new();
    let server = MailServer::start(Options {
        mode: Mode::StartTls,
        cert: Some(certs.pair("localhost")),
        auth: true,
        exclude_auth: &[],
    });
    let transport = transport(&certs);
    let mut smtp = server.server(SmtpSecurity::StartTls);
    smtp.username = Some(USER.into());
    smtp.password = Some(PASSWORD.into());
    send(&transport, &smtp, &email("reuse1")).await.unwrap();
    // A clone shares the pool.
    send(&transport.clone(), &smtp, &email("reuse2"))
        .await
        .unwrap();
    let messages = server.messages();
    assert_eq!(messages.len(), 2);
    assert_eq!(messages[0]["peer"], messages[1]["peer"]);
    assert_eq!(server.opened(), 1, "{:?}", server.connections());

    // Other credentials are another pool entry: a new connection.
    let mut other = smtp.clone();
    other.password = Some("wrong-password".into());
    assert!(send(&transport, &other, &email("reuse3")).await.is_err());
    assert_eq!(server.opened(), 2, "{:?}", server.connections());
}

#[tokio::test]
async fn closes_connections_left_idle() {
    let certs = Certs::new();
    let server = MailServer::plain();
    let transport = transport(&certs).with_idle_timeout(Duration::from_millis(300));
    send(
        &transport,
        &server.server(SmtpSecurity::None),
        &email("idle1"),
    )
    .await
    .unwrap();
    let peer = server.messages()[0]["peer"].clone();
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let closed = server
            .connections()
            .iter()
            .any(|e| e["event"] == "close" && e["peer"] == peer);
        if closed {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the idle connection was not closed: {:?}",
            server.connections()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn refuses_loopback_without_the_allow_list_and_never_connects() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let port = listener.local_addr().unwrap().port();
    let transport = SmtpTransport::new(AddressPolicy::default(), Duration::from_secs(5));
    for (host, security) in [
        ("127.0.0.1", SmtpSecurity::None),
        ("localhost", SmtpSecurity::StartTls),
        ("[::ffff:127.0.0.1]", SmtpSecurity::Tls),
    ] {
        let smtp = SmtpServer {
            host: host.into(),
            port,
            security,
            username: Some(USER.into()),
            password: Some(PASSWORD.into()),
        };
        let err = send(&transport, &smtp, &email("ssrf")).await.unwrap_err();
        assert!(matches!(err, SmtpError::Refused(_)), "{host}: {err}");
        assert!(!err.is_retryable());
        let text = err.to_string();
        assert!(text.contains("loopback"), "{text}");
        assert!(text.contains("TOCSIN_ALLOW_PRIVATE"), "{text}");
    }
    match listener.accept() {
        Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
        other => panic!("something connected: {other:?}"),
    }
}

#[tokio::test]
async fn a_server_that_never_answers_times_out_as_retryable() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    // Accepts and then says nothing, not even the greeting.
    let silent = tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((stream, _)) = listener.accept().await {
            held.push(stream);
        }
    });
    let transport = SmtpTransport::new(policy(&["127.0.0.1"]), Duration::from_secs(1));
    let smtp = SmtpServer {
        host: "127.0.0.1".into(),
        port,
        security: SmtpSecurity::None,
        username: None,
        password: None,
    };
    let started = Instant::now();
    let err = send(&transport, &smtp, &email("slow")).await.unwrap_err();
    assert!(matches!(err, SmtpError::Timeout(_)), "{err}");
    assert!(err.is_retryable());
    assert!(started.elapsed() < Duration::from_secs(5));
    silent.abort();
}

/// The whole server, with its SMTP transport allowed to reach localhost.
struct App {
    base: String,
    client: reqwest::Client,
    shutdown: tocsin_server::app::ShutdownHandle,
    _dir: tempfile::TempDir,
}

const TOKEN: &str = "smtp-test-admin-token-0123456789";

impl App {
    async fn start() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let mut config = tocsin_server::Config {
            listen: "127.0.0.1:0".parse().unwrap(),
            data_dir: dir.path().to_path_buf(),
            admin_token: Some(TOKEN.to_owned().into()),
            allow_private: vec!["localhost".into()],
            ..Default::default()
        };
        config.delivery.poll_interval_ms = 50;
        config.delivery.shutdown_grace_secs = 2;
        let app = tocsin_server::Application::build(config).await.unwrap();
        let base = format!("http://{}", app.local_addr());
        let shutdown = app.shutdown_handle();
        tokio::spawn(app.run_until_stopped(false));
        Self {
            base,
            client: reqwest::Client::new(),
            shutdown,
            _dir: dir,
        }
    }

    async fn call(&self, method: &str, path: &str, body: Option<Value>) -> (u16, Value) {
        let mut req = self
            .client
            .request(method.parse().unwrap(), format!("{}{path}", self.base))
            .bearer_auth(TOKEN);
        if let Some(body) = body {
            req = req.json(&body);
        }
        let resp = tokio::time::timeout(SEND_LIMIT, req.send())
            .await
            .expect("the API answered in time")
            .unwrap();
        let status = resp.status().as_u16();
        (status, resp.json().await.unwrap_or(Value::Null))
    }

    /// The event once its first delivery reached a final state.
    async fn settled_event(&self, id: &str) -> Value {
        let deadline = Instant::now() + SEND_LIMIT;
        loop {
            let (status, event) = self
                .call("GET", &format!("/api/v1/events/{id}"), None)
                .await;
            assert_eq!(status, 200, "{event}");
            let state = event["deliveries"][0]["status"].as_str().unwrap_or("");
            if state == "delivered" || state == "failed" {
                return event;
            }
            assert!(
                Instant::now() < deadline,
                "the delivery did not settle: {event}"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

impl Drop for App {
    fn drop(&mut self) {
        self.shutdown.shutdown();
    }
}

/// An `email` channel to the test server, in plain SMTP (allowed: localhost is on the
/// allow-list); `to` may hold the magic recipients.
fn email_channel(server: &MailServer, to: &str) -> Value {
    serde_json::json!({
        "name": "ops mail",
        "kind": "email",
        "settings": {
            "host": "localhost",
            "port": server.port,
            "security": "none",
            "from": "alerts@example.com",
            "to": to,
            "bcc": "audit@example.com"
        }
    })
}

#[tokio::test]
async fn test_send_of_an_email_channel_reports_the_servers_reply() {
    let server = MailServer::plain();
    let app = App::start().await;

    let (status, result) = app
        .call(
            "POST",
            "/api/v1/channels/test",
            Some(email_channel(&server, "nobody@example.com")),
        )
        .await;
    assert_eq!(status, 200, "{result}");
    assert_eq!(result["ok"], false, "{result}");
    assert_eq!(result["status"], Value::Null, "{result}");
    assert_eq!(result["error"], "SMTP 550 5.1.1 mailbox unavailable");
    assert!(server.messages().is_empty());

    let (status, result) = app
        .call(
            "POST",
            "/api/v1/channels/test",
            Some(email_channel(&server, "ops@example.com, dev@example.com")),
        )
        .await;
    assert_eq!(status, 200, "{result}");
    assert_eq!(result["ok"], true, "{result}");
    assert_eq!(result["error"], Value::Null);
    let messages = server.messages();
    assert_eq!(messages.len(), 1);
    assert_eq!(
        messages[0]["rcpt_tos"],
        serde_json::json!(["ops@example.com", "dev@example.com", "audit@example.com"])
    );
    assert!(header(&messages[0], "Bcc").is_empty());
    assert_eq!(
        messages[0]["parsed"]["content_type"],
        "multipart/alternative"
    );
    let id = header(&messages[0], "Message-ID");
    assert!(id.len() == 1 && id[0].ends_with("@tocsin>"), "{id:?}");
}

#[tokio::test]
async fn deliveries_record_the_smtp_reply_and_fail_on_a_5xx() {
    let server = MailServer::plain();
    let app = App::start().await;
    for (to, events) in [
        ("ops@example.com", "deploy.*"),
        ("nobody@example.com", "backup.*"),
    ] {
        let mut channel = email_channel(&server, to);
        channel["events"] = serde_json::json!([events]);
        let (status, created) = app.call("POST", "/api/v1/channels", Some(channel)).await;
        assert_eq!(status, 201, "{created}");
    }

    let emit = |event_type: &str| {
        serde_json::json!({"type": event_type, "title": "Deploy Success",
            "message": "my-app deployed", "severity": "info",
            "source": {"application": "my-app", "environment": "production"}})
    };
    let (status, accepted) = app
        .call("POST", "/api/v1/events", Some(emit("deploy.success")))
        .await;
    assert_eq!(status, 202, "{accepted}");
    let event = app.settled_event(accepted["id"].as_str().unwrap()).await;
    let delivery = &event["deliveries"][0];
    assert_eq!(delivery["status"], "delivered", "{event}");
    let attempt = &delivery["attempts"][0];
    assert_eq!(attempt["status_code"], Value::Null);
    assert_eq!(attempt["response_excerpt"], "250 2.0.0 Ok: queued");
    // The Message-ID is the delivery id: a repeat can be recognised.
    let messages = server.messages();
    assert_eq!(messages.len(), 1);
    assert_eq!(
        header(&messages[0], "Message-ID"),
        [format!("<{}@tocsin>", delivery["id"].as_str().unwrap())]
    );

    let (status, accepted) = app
        .call("POST", "/api/v1/events", Some(emit("backup.failure")))
        .await;
    assert_eq!(status, 202, "{accepted}");
    let event = app.settled_event(accepted["id"].as_str().unwrap()).await;
    let delivery = &event["deliveries"][0];
    assert_eq!(delivery["status"], "failed", "{event}");
    assert_eq!(delivery["attempt_count"], 1, "{event}");
    assert_eq!(delivery["last_error"], "SMTP 550 5.1.1 mailbox unavailable");
    assert_eq!(
        delivery["attempts"][0]["response_excerpt"],
        "550 5.1.1 mailbox unavailable"
    );
    assert_eq!(server.messages().len(), 1);
}
