//! The SMTP transport: hands an [`EmailMessage`] to the SMTP server a channel names, through
//! the same address policy as the HTTP client.
//!
//! How the address is pinned while the name is verified: the host is resolved once by
//! [`resolve_checked`], and lettre connects to the vetted socket address itself (an IP, so
//! it never resolves the name a second time and DNS rebinding cannot slip another address
//! in). TLS, implicit (`tls`) or after a required STARTTLS (`starttls`), is set up with
//! `TlsParameters` for the host *name* as configured, so the certificate is checked against
//! that name, not against the IP. Plain SMTP (`none`) is refused unless the operator
//! allow-listed the host or its network: it would carry the password in clear.
//!
//! Connections are kept per server settings and address, a few at a time, and closed after
//! a while unused. A connection goes back to the pool only after a message went through
//! cleanly: one that failed, or that the timeout cut off in the middle of an exchange, is
//! closed, so a later delivery never reads a reply meant for an earlier one. lettre's own
//! pool would return such a connection, which is why it is not used.
//!
//! Passwords are never logged and never part of an error: errors are scrubbed of the
//! password before they leave this module.

use std::error::Error as StdError;
use std::fmt;
use std::io;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use lettre::Message;
use lettre::address::Envelope;
use lettre::message::header::ContentType;
use lettre::message::header::{HeaderName, HeaderValue};
use lettre::message::{Attachment, Mailbox, MultiPart};
use lettre::transport::smtp::Error as LettreError;
use lettre::transport::smtp::authentication::{Credentials, Mechanism};
use lettre::transport::smtp::client::{AsyncSmtpConnection, Certificate, TlsParameters};
use lettre::transport::smtp::extension::ClientId;
use lettre::transport::smtp::response::Response;
use tocsin_core::address::{AddressPolicy, Refusal};
use tocsin_core::outbound::{EmailMessage, SmtpSecurity, SmtpServer};
use tokio::task::JoinHandle;

use super::guard::{Lookup, SystemLookup};
use super::{TransportError, resolve_checked};

/// How long an unused connection stays open. Servers drop idle clients after a few minutes
/// (RFC 5321 suggests 5); closing first spares a failed NOOP on reuse.
pub const DEFAULT_IDLE_TIMEOUT: Duration = Duration::from_secs(60);

/// Idle connections kept per server (settings and address).
const MAX_IDLE_PER_SERVER: usize = 4;
/// Idle connections kept over all servers.
const MAX_IDLE: usize = 64;
/// How long a pooled connection may take to answer the NOOP that checks it is still alive.
const REUSE_CHECK_TIMEOUT: Duration = Duration::from_secs(2);
/// How long closing a connection politely (QUIT) may take.
const QUIT_TIMEOUT: Duration = Duration::from_secs(2);

/// Headers the transport writes from the message itself; an extra header may not set them.
const RESERVED_HEADERS: &[&str] = &[
    "from",
    "sender",
    "to",
    "cc",
    "bcc",
    "reply-to",
    "subject",
    "date",
    "message-id",
    "mime-version",
    "content-type",
    "content-transfer-encoding",
];

/// What the server said when it accepted the message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SmtpReceipt {
    /// The reply code, 250 as a rule.
    pub code: u16,
    /// The reply text (`2.0.0 Ok: queued as 4F2A1`), lines joined by spaces.
    pub text: String,
}

impl fmt::Display for SmtpReceipt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&reply_line(self.code, &self.text))
    }
}

impl From<&Response> for SmtpReceipt {
    fn from(response: &Response) -> Self {
        Self {
            code: u16::from(response.code()),
            text: response.message().collect::<Vec<_>>().join(" "),
        }
    }
}

/// Why a message could not be handed to the server.
#[derive(Debug, thiserror::Error)]
pub enum SmtpError {
    /// The address policy refused every address of the host. Never retried.
    #[error(transparent)]
    Refused(#[from] Refusal),
    /// The host name does not resolve. Never retried.
    #[error("{0}")]
    Dns(String),
    /// `security = "none"` for a host the operator did not allow. Never retried.
    #[error(
        "security \"none\" sends the message and the password unencrypted and is only allowed \
         for hosts on TOCSIN_ALLOW_PRIVATE: use starttls or tls, or add {host} to \
         TOCSIN_ALLOW_PRIVATE"
    )]
    PlainNotAllowed { host: String },
    /// The message cannot be written as an email (an address that does not parse, no
    /// recipient, a bad extra header). Never retried.
    #[error("invalid email: {0}")]
    InvalidMessage(String),
    /// The server answered with an error reply: 4xx is retried, 5xx is not.
    #[error("{}", reply_error_line(*.code, .text))]
    Reply { code: u16, text: String },
    /// `security = "starttls"` and the server does not offer STARTTLS. Never retried, and
    /// never sent in clear instead.
    #[error(
        "{host} does not offer STARTTLS, so nothing was sent (refusing to continue without \
         encryption); for implicit TLS, usually on port 465, use security \"tls\""
    )]
    NoStartTls { host: String },
    /// The server's certificate is not valid for its host name (or not trusted). Never
    /// retried: the certificate or the host name must change.
    #[error("the TLS certificate of {host} is not valid: {detail}")]
    Certificate { host: String, detail: String },
    /// TLS could not be set up on this side (no trusted roots, a bad extra root). Never
    /// retried.
    #[error("cannot set up TLS: {0}")]
    Tls(String),
    /// The server and Tocsin cannot agree (no common AUTH mechanism, a feature the message
    /// needs). Never retried.
    #[error("SMTP: {0}")]
    Protocol(String),
    /// The connection could not be opened (refused, reset, TLS handshake failed).
    #[error("could not connect: {0}")]
    Connect(String),
    /// The connection broke during the exchange, or a reply could not be read.
    #[error("the SMTP connection failed: {0}")]
    Network(String),
    /// No complete exchange within the timeout.
    #[error("no answer from the SMTP server within {} s", .0.as_secs_f32())]
    Timeout(Duration),
}

impl SmtpError {
    /// Whether sending the same message later may succeed: 4xx replies, connection errors
    /// and timeouts.
    pub fn is_retryable(&self) -> bool {
        match self {
            Self::Reply { code, .. } => (400..500).contains(code),
            Self::Connect(_) | Self::Network(_) | Self::Timeout(_) => true,
            Self::Refused(_)
            | Self::Dns(_)
            | Self::PlainNotAllowed { .. }
            | Self::InvalidMessage(_)
            | Self::NoStartTls { .. }
            | Self::Certificate { .. }
            | Self::Tls(_)
            | Self::Protocol(_) => false,
        }
    }

    /// The server's reply (`535 5.7.8 Authentication credentials invalid`), when the error is
    /// one.
    pub fn reply(&self) -> Option<String> {
        match self {
            Self::Reply { code, text } => Some(reply_line(*code, text)),
            _ => None,
        }
    }

    /// The reply code, when the server answered with an error.
    pub fn reply_code(&self) -> Option<u16> {
        match self {
            Self::Reply { code, .. } => Some(*code),
            _ => None,
        }
    }

    /// The same error with every occurrence of `secret` removed from its texts.
    fn scrubbed(self, secret: Option<&str>) -> Self {
        // Very short strings would mangle the message and are no secret worth hiding.
        let Some(secret) = secret.filter(|s| s.len() >= 3) else {
            return self;
        };
        let clean = |text: String| {
            if text.contains(secret) {
                text.replace(secret, "…")
            } else {
                text
            }
        };
        match self {
            Self::Dns(t) => Self::Dns(clean(t)),
            Self::InvalidMessage(t) => Self::InvalidMessage(clean(t)),
            Self::Reply { code, text } => Self::Reply {
                code,
                text: clean(text),
            },
            Self::Certificate { host, detail } => Self::Certificate {
                host,
                detail: clean(detail),
            },
            Self::Tls(t) => Self::Tls(clean(t)),
            Self::Protocol(t) => Self::Protocol(clean(t)),
            Self::Connect(t) => Self::Connect(clean(t)),
            Self::Network(t) => Self::Network(clean(t)),
            other => other,
        }
    }
}

fn reply_line(code: u16, text: &str) -> String {
    let text = text.trim();
    if text.is_empty() {
        code.to_string()
    } else {
        format!("{code} {text}")
    }
}

fn reply_error_line(code: u16, text: &str) -> String {
    format!("SMTP {}", reply_line(code, text))
}

impl From<TransportError> for SmtpError {
    fn from(err: TransportError) -> Self {
        match err {
            TransportError::Refused(refusal) => Self::Refused(refusal),
            TransportError::Dns(detail) => Self::Dns(detail),
            TransportError::Timeout => Self::Connect("the name lookup timed out".into()),
            other => Self::Connect(other.to_string()),
        }
    }
}

/// The SMTP client every email goes through. Cheap to clone: clones share one pool of
/// connections.
#[derive(Clone)]
pub struct SmtpTransport {
    policy: Arc<AddressPolicy>,
    resolver: Arc<dyn Lookup>,
    timeout: Duration,
    /// Trusted besides the platform's roots (tests, private CAs).
    extra_roots: Arc<Vec<Certificate>>,
    hello: ClientId,
    pool: Arc<Pool>,
}

impl fmt::Debug for SmtpTransport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SmtpTransport")
            .field("policy", &self.policy)
            .field("timeout", &self.timeout)
            .field("extra_roots", &self.extra_roots.len())
            .field("idle_timeout", &self.pool.idle_timeout)
            .finish_non_exhaustive()
    }
}

impl SmtpTransport {
    /// A transport that connects only where `policy` allows, trusts the platform's root
    /// certificates, and gives up on one message (lookup, connect, TLS, AUTH and transfer
    /// together) after `timeout`.
    pub fn new(policy: AddressPolicy, timeout: Duration) -> Self {
        Self {
            policy: Arc::new(policy),
            resolver: Arc::new(SystemLookup),
            timeout,
            extra_roots: Arc::new(Vec::new()),
            hello: ClientId::default(),
            pool: Pool::new(DEFAULT_IDLE_TIMEOUT),
        }
    }

    /// Looks host names up with `resolver` instead of the system resolver (tests answer
    /// with the addresses they need; the policy still applies to every answer).
    pub fn with_resolver(mut self, resolver: Arc<dyn Lookup>) -> Self {
        self.resolver = resolver;
        self
    }

    /// Also trusts the CA certificates in `pem` (one or more `CERTIFICATE` blocks), on top of
    /// the platform's roots. Verification stays on: this adds trust, it never removes checks.
    pub fn with_root_certificates_pem(mut self, pem: &[u8]) -> Result<Self, SmtpError> {
        let cert = Certificate::from_pem(pem)
            .map_err(|e| SmtpError::Tls(format!("the extra root certificate: {}", describe(&e))))?;
        Arc::make_mut(&mut self.extra_roots).push(cert);
        Ok(self)
    }

    /// Closes connections unused for `idle` (default [`DEFAULT_IDLE_TIMEOUT`]). Starts a new,
    /// empty pool.
    pub fn with_idle_timeout(mut self, idle: Duration) -> Self {
        self.pool = Pool::new(idle);
        self
    }

    /// The policy this transport enforces.
    pub fn policy(&self) -> &AddressPolicy {
        &self.policy
    }

    /// Hands `message` to `server` and returns the server's final reply.
    pub async fn send(
        &self,
        server: &SmtpServer,
        message: &EmailMessage,
    ) -> Result<SmtpReceipt, SmtpError> {
        let password = server.password.as_deref();
        let result = async {
            let email = compose(message)?;
            let exchange = async {
                let addrs = self.vetted_addresses(server).await?;
                self.deliver(server, &addrs, &email).await
            };
            match tokio::time::timeout(self.timeout, exchange).await {
                Ok(result) => result,
                // Whatever connection was in use is dropped with the future, never pooled.
                Err(_) => Err(SmtpError::Timeout(self.timeout)),
            }
        }
        .await;
        result.map_err(|e| e.scrubbed(password))
    }

    /// The addresses of the server that the policy allows, narrowed for plain SMTP to those
    /// the operator allowed explicitly.
    async fn vetted_addresses(&self, server: &SmtpServer) -> Result<Vec<SocketAddr>, SmtpError> {
        let host = bare_host(&server.host);
        if host.is_empty() {
            return Err(SmtpError::InvalidMessage("the SMTP host is empty".into()));
        }
        let addrs =
            resolve_checked(&self.policy, self.resolver.as_ref(), host, server.port).await?;
        match server.security {
            SmtpSecurity::None => plain_addresses(&self.policy, host, addrs),
            SmtpSecurity::Tls | SmtpSecurity::StartTls => Ok(addrs),
        }
    }

    async fn deliver(
        &self,
        server: &SmtpServer,
        addrs: &[SocketAddr],
        email: &Composed,
    ) -> Result<SmtpReceipt, SmtpError> {
        for addr in addrs {
            let key = PoolKey {
                server: server.clone(),
                addr: *addr,
            };
            while let Some(mut conn) = self.pool.take(&key) {
                let alive = tokio::time::timeout(REUSE_CHECK_TIMEOUT, conn.test_connected()).await;
                if matches!(alive, Ok(true)) {
                    tracing::debug!(host = %server.host, "reusing an SMTP connection");
                    return self.transmit(key, conn, email).await;
                }
                tracing::debug!(host = %server.host, "dropping a pooled SMTP connection that went away");
            }
        }
        let mut last_error = None;
        for addr in addrs {
            match self.connect(server, *addr).await {
                Ok(conn) => {
                    let key = PoolKey {
                        server: server.clone(),
                        addr: *addr,
                    };
                    return self.transmit(key, conn, email).await;
                }
                // Another address of the same host may be reachable (IPv6 and IPv4, say).
                Err(err @ (SmtpError::Connect(_) | SmtpError::Timeout(_))) => {
                    tracing::debug!(host = %server.host, %addr, error = %err, "SMTP connect failed");
                    last_error = Some(err);
                }
                Err(err) => return Err(err),
            }
        }
        Err(last_error.unwrap_or_else(|| SmtpError::Connect("no address to connect to".into())))
    }

    /// Sends one message on `conn`, and pools the connection when it went through cleanly.
    async fn transmit(
        &self,
        key: PoolKey,
        mut conn: AsyncSmtpConnection,
        email: &Composed,
    ) -> Result<SmtpReceipt, SmtpError> {
        let host = tls_name(&key.server.host).to_owned();
        match conn.send(&email.envelope, &email.bytes).await {
            Ok(response) => {
                if !conn.has_broken() {
                    self.pool.put(key, conn);
                }
                Ok(SmtpReceipt::from(&response))
            }
            // lettre has already sent QUIT and closed the connection.
            Err(err) => Err(classify(err, &host, Stage::Transfer)),
        }
    }

    /// Opens a connection to `addr` (vetted), secured as the server asks, authenticated
    /// when it has a user name.
    async fn connect(
        &self,
        server: &SmtpServer,
        addr: SocketAddr,
    ) -> Result<AsyncSmtpConnection, SmtpError> {
        let host = tls_name(&server.host);
        let implicit_tls = match server.security {
            SmtpSecurity::Tls => Some(self.tls_parameters(host)?),
            SmtpSecurity::StartTls | SmtpSecurity::None => None,
        };
        // The address, not the name: the one the policy checked is the one connected to.
        let mut conn = AsyncSmtpConnection::connect_tokio1(
            addr,
            Some(self.timeout),
            &self.hello,
            implicit_tls,
            None,
        )
        .await
        .map_err(|e| classify(e, host, Stage::Connect))?;

        if server.security == SmtpSecurity::StartTls {
            if !conn.can_starttls() {
                quit(conn).await;
                return Err(SmtpError::NoStartTls {
                    host: host.to_owned(),
                });
            }
            let parameters = self.tls_parameters(host)?;
            conn.starttls(parameters, &self.hello)
                .await
                .map_err(|e| classify(e, host, Stage::Connect))?;
        }

        if let Some(user) = server.username.as_deref().filter(|u| !u.is_empty()) {
            let credentials =
                Credentials::new(user.to_owned(), server.password.clone().unwrap_or_default());
            let mechanisms = [Mechanism::Plain, Mechanism::Login];
            if let Err(err) = conn.auth(&mechanisms, &credentials).await {
                quit(conn).await;
                return Err(classify(err, host, Stage::Auth));
            }
        }
        Ok(conn)
    }

    /// TLS settings that verify the certificate against `host` (a name, or an IP literal).
    fn tls_parameters(&self, host: &str) -> Result<TlsParameters, SmtpError> {
        let mut builder = TlsParameters::builder(host.to_owned());
        for root in self.extra_roots.iter() {
            builder = builder.add_root_certificate(root.clone());
        }
        builder
            .build_rustls()
            .map_err(|e| SmtpError::Tls(describe(&e)))
    }
}

/// Sends QUIT and closes, within a short time; errors do not matter any more.
async fn quit(mut conn: AsyncSmtpConnection) {
    let _ = tokio::time::timeout(QUIT_TIMEOUT, conn.abort()).await;
}

/// The host without IPv6 brackets or a trailing dot.
fn bare_host(host: &str) -> &str {
    let host = host.trim();
    let host = host
        .strip_prefix('[')
        .and_then(|h| h.strip_suffix(']'))
        .unwrap_or(host);
    host.strip_suffix('.').unwrap_or(host)
}

/// The name the server's certificate must be valid for.
fn tls_name(host: &str) -> &str {
    bare_host(host)
}

/// The addresses plain SMTP may use: all of them when the host name is allow-listed,
/// otherwise those inside an allow-listed network. Public addresses are allowed only
/// through an explicit entry: plain SMTP on the internet would expose the password.
fn plain_addresses(
    policy: &AddressPolicy,
    host: &str,
    addrs: Vec<SocketAddr>,
) -> Result<Vec<SocketAddr>, SmtpError> {
    let is_literal = host.parse::<IpAddr>().is_ok();
    if !is_literal && policy.allows_host(host) {
        return Ok(addrs);
    }
    let allowed: Vec<SocketAddr> = addrs
        .into_iter()
        .filter(|a| policy.allows_ip(a.ip()))
        .collect();
    if allowed.is_empty() {
        Err(SmtpError::PlainNotAllowed {
            host: host.to_owned(),
        })
    } else {
        Ok(allowed)
    }
}

/// Where in the exchange an error happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stage {
    Connect,
    Auth,
    Transfer,
}

/// Sorts a lettre error into what the caller can act on.
fn classify(err: LettreError, host: &str, stage: Stage) -> SmtpError {
    if let Some(code) = err.status() {
        let text = err.source().map(|s| s.to_string()).unwrap_or_default();
        return SmtpError::Reply {
            code: u16::from(code),
            text,
        };
    }
    if let Some(tls) = certificate_error(&err) {
        return SmtpError::Certificate {
            host: host.to_owned(),
            detail: tls.to_string(),
        };
    }
    let detail = describe(&err);
    if err.is_tls() {
        return SmtpError::Tls(detail);
    }
    if err.is_client() {
        return match stage {
            Stage::Auth => SmtpError::Protocol(format!(
                "authentication: {detail} (Tocsin supports PLAIN and LOGIN)"
            )),
            Stage::Connect | Stage::Transfer => SmtpError::Protocol(detail),
        };
    }
    match stage {
        Stage::Connect => SmtpError::Connect(detail),
        Stage::Auth | Stage::Transfer => SmtpError::Network(detail),
    }
}

/// The rustls error behind a failed handshake, when it is about the server's certificate.
fn certificate_error<'a>(err: &'a (dyn StdError + 'static)) -> Option<&'a rustls::Error> {
    let mut current = Some(err);
    while let Some(e) = current {
        // tokio-rustls reports TLS errors as an io::Error carrying the rustls error, which
        // io::Error does not list as its source.
        let tls = e.downcast_ref::<rustls::Error>().or_else(|| {
            e.downcast_ref::<io::Error>()
                .and_then(io::Error::get_ref)
                .and_then(|inner| inner.downcast_ref::<rustls::Error>())
        });
        if let Some(
            tls @ (rustls::Error::InvalidCertificate(_) | rustls::Error::NoCertificatesPresented),
        ) = tls
        {
            return Some(tls);
        }
        current = e.source();
    }
    None
}

/// The messages of the error's causes, outermost first, without repeats; lettre's own
/// wording ("Connection error") adds nothing its causes do not say.
fn describe(err: &LettreError) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut current = err.source();
    while let Some(e) = current {
        let message = e.to_string();
        if !parts.iter().any(|p| p.contains(&message)) {
            parts.push(message);
        }
        current = e.source();
    }
    if parts.is_empty() {
        err.to_string()
    } else {
        parts.join(": ")
    }
}

/// A message ready for the wire: the envelope (Bcc included) and the formatted bytes (Bcc
/// left out).
struct Composed {
    envelope: Envelope,
    bytes: Vec<u8>,
}

/// Writes the email: multipart/alternative with the text and the HTML part (UTF-8) — inside
/// multipart/mixed with one part per attachment when there are any —, `Date`,
/// a `Message-ID` stable across retries, the addresses, an encoded `Subject`, and the extra
/// headers.
fn compose(message: &EmailMessage) -> Result<Composed, SmtpError> {
    if message.to.is_empty() && message.cc.is_empty() && message.bcc.is_empty() {
        return Err(SmtpError::InvalidMessage(
            "the message has no recipient (to, cc or bcc)".into(),
        ));
    }
    let mut builder = Message::builder()
        .from(mailbox("from", &message.from)?)
        .subject(one_line(&message.subject))
        .date_now()
        .message_id(Some(format!("<{}@tocsin>", id_part(&message.message_id))));
    for address in &message.to {
        builder = builder.to(mailbox("to", address)?);
    }
    for address in &message.cc {
        builder = builder.cc(mailbox("cc", address)?);
    }
    for address in &message.bcc {
        builder = builder.bcc(mailbox("bcc", address)?);
    }
    if let Some(address) = &message.reply_to {
        builder = builder.reply_to(mailbox("reply_to", address)?);
    }
    for (name, value) in &message.headers {
        builder = builder.raw_header(extra_header(name, value)?);
    }
    // Bcc goes into the envelope only: the builder drops the header once the envelope is set.
    let body = MultiPart::alternative_plain_html(message.text.clone(), message.html.clone());
    let body = if message.attachments.is_empty() {
        body
    } else {
        // multipart/mixed: the text and HTML first, then each file as an attachment part.
        let mut mixed = MultiPart::mixed().multipart(body);
        for file in &message.attachments {
            let kind = ContentType::parse(&file.mime).map_err(|_| {
                SmtpError::InvalidMessage(format!(
                    "attachment {:?}: {:?} is not a media type",
                    file.filename, file.mime
                ))
            })?;
            mixed = mixed.singlepart(
                Attachment::new(one_line(&file.filename)).body(file.data.clone(), kind),
            );
        }
        mixed
    };
    let email = builder
        .multipart(body)
        .map_err(|e| SmtpError::InvalidMessage(e.to_string()))?;
    Ok(Composed {
        envelope: email.envelope().clone(),
        bytes: email.formatted(),
    })
}

fn mailbox(field: &str, value: &str) -> Result<Mailbox, SmtpError> {
    value.trim().parse::<Mailbox>().map_err(|e| {
        SmtpError::InvalidMessage(format!("{field}: {value:?} is not an email address ({e})"))
    })
}

/// A subject on one line: line breaks and other control characters become spaces.
fn one_line(text: &str) -> String {
    let line: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    line.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The left part of the Message-ID: only characters that need no quoting.
fn id_part(id: &str) -> String {
    let part: String = id
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '+'))
        .collect();
    if part.is_empty() {
        "message".into()
    } else {
        part
    }
}

/// One extra header (`X-Tocsin-Event`, `List-Id`, …), checked so it cannot inject other
/// headers or override the ones the transport writes.
fn extra_header(name: &str, value: &str) -> Result<HeaderValue, SmtpError> {
    let invalid = |why: &str| SmtpError::InvalidMessage(format!("header {name:?}: {why}"));
    let name_ok = !name.is_empty()
        && name.len() <= 76
        && name.bytes().all(|b| b.is_ascii_graphic() && b != b':');
    if !name_ok {
        return Err(invalid("not a valid header name"));
    }
    if RESERVED_HEADERS.contains(&name.to_ascii_lowercase().as_str()) {
        return Err(invalid(
            "set by the transport from the message itself; it cannot be an extra header",
        ));
    }
    if value.chars().any(|c| c.is_control() && c != '\t') {
        return Err(invalid(
            "the value contains a line break or control character",
        ));
    }
    let name = HeaderName::new_from_ascii(name.to_owned())
        .map_err(|_| invalid("not a valid header name"))?;
    Ok(HeaderValue::new(name, value.to_owned()))
}

/// Which idle connections may serve a message: the same settings (credentials included) to
/// the same vetted address.
#[derive(Clone, PartialEq, Eq, Hash)]
struct PoolKey {
    server: SmtpServer,
    addr: SocketAddr,
}

struct Parked {
    key: PoolKey,
    conn: AsyncSmtpConnection,
    since: Instant,
}

/// Idle connections, oldest first.
struct Pool {
    idle: Mutex<Vec<Parked>>,
    idle_timeout: Duration,
    reaper: Mutex<Option<JoinHandle<()>>>,
}

impl Pool {
    fn new(idle_timeout: Duration) -> Arc<Self> {
        Arc::new(Self {
            idle: Mutex::new(Vec::new()),
            idle_timeout,
            reaper: Mutex::new(None),
        })
    }

    fn idle(&self) -> MutexGuard<'_, Vec<Parked>> {
        // The list stays consistent even if a holder panicked: every change is one call.
        self.idle.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The most recently parked connection for `key` that has not idled too long.
    fn take(&self, key: &PoolKey) -> Option<AsyncSmtpConnection> {
        let mut idle = self.idle();
        let i = idle
            .iter()
            .rposition(|p| &p.key == key && p.since.elapsed() < self.idle_timeout)?;
        Some(idle.remove(i).conn)
    }

    /// Parks a connection that just delivered a message, within the pool's bounds.
    fn put(self: &Arc<Self>, key: PoolKey, conn: AsyncSmtpConnection) {
        let mut closing = Vec::new();
        {
            let mut idle = self.idle();
            closing.extend(self.expired(&mut idle));
            let same: Vec<usize> = idle
                .iter()
                .enumerate()
                .filter(|(_, p)| p.key == key)
                .map(|(i, _)| i)
                .collect();
            if same.len() >= MAX_IDLE_PER_SERVER {
                closing.push(idle.remove(same[0]).conn);
            }
            if idle.len() >= MAX_IDLE {
                closing.push(idle.remove(0).conn);
            }
            idle.push(Parked {
                key,
                conn,
                since: Instant::now(),
            });
        }
        close_all(closing);
        self.start_reaper();
    }

    /// Removes the connections that idled too long.
    fn expired(&self, idle: &mut Vec<Parked>) -> Vec<AsyncSmtpConnection> {
        let keep = idle
            .iter()
            .position(|p| p.since.elapsed() < self.idle_timeout)
            .unwrap_or(idle.len());
        idle.drain(..keep).map(|p| p.conn).collect()
    }

    /// A task that closes idle connections when they expire, holding the pool only weakly;
    /// (re)started on demand, as the runtime that ran the last one may have ended.
    fn start_reaper(self: &Arc<Self>) {
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            return;
        };
        let mut reaper = self.reaper.lock().unwrap_or_else(|e| e.into_inner());
        if reaper.as_ref().is_some_and(|task| !task.is_finished()) {
            return;
        }
        let pool = Arc::downgrade(self);
        let tick =
            (self.idle_timeout / 4).clamp(Duration::from_millis(50), Duration::from_secs(15));
        *reaper = Some(runtime.spawn(async move {
            loop {
                tokio::time::sleep(tick).await;
                let Some(pool) = pool.upgrade() else { break };
                let expired = {
                    let mut idle = pool.idle();
                    pool.expired(&mut idle)
                };
                drop(pool);
                if !expired.is_empty() {
                    tracing::debug!(count = expired.len(), "closing idle SMTP connections");
                }
                for conn in expired {
                    quit(conn).await;
                }
            }
        }));
    }
}

/// Closes connections politely in the background (or just drops them outside a runtime).
fn close_all(conns: Vec<AsyncSmtpConnection>) {
    if conns.is_empty() {
        return;
    }
    if let Ok(runtime) = tokio::runtime::Handle::try_current() {
        runtime.spawn(async move {
            for conn in conns {
                quit(conn).await;
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy(entries: &[&str]) -> AddressPolicy {
        let entries: Vec<String> = entries.iter().map(|e| e.to_string()).collect();
        AddressPolicy::parse(&entries).unwrap()
    }

    fn addr(s: &str) -> SocketAddr {
        s.parse().unwrap()
    }

    fn message() -> EmailMessage {
        EmailMessage {
            from: "Tocsin <tocsin@example.com>".into(),
            to: vec![
                "ops@example.com".into(),
                "Dev Team <dev@example.com>".into(),
            ],
            cc: vec!["cc@example.com".into()],
            bcc: vec!["hidden@example.com".into()],
            reply_to: Some("noreply@example.com".into()),
            subject: "Déploiement réussi\r\nBcc: injected@example.com".into(),
            text: "my-app deployed".into(),
            html: "<p>my-app deployed</p>".into(),
            headers: vec![("X-Tocsin-Event".into(), "deploy.success".into())],
            message_id: "01JD0000000000000000000000".into(),
            attachments: vec![],
        }
    }

    fn head(bytes: &[u8]) -> String {
        let text = String::from_utf8_lossy(bytes);
        text.split("\r\n\r\n").next().unwrap().to_owned()
    }

    #[test]
    fn composes_bcc_into_the_envelope_only() {
        let composed = compose(&message()).unwrap();
        let rcpt: Vec<String> = composed
            .envelope
            .to()
            .iter()
            .map(|a| a.to_string())
            .collect();
        assert_eq!(
            rcpt,
            [
                "ops@example.com",
                "dev@example.com",
                "cc@example.com",
                "hidden@example.com"
            ]
        );
        assert_eq!(
            composed.envelope.from().unwrap().to_string(),
            "tocsin@example.com"
        );
        let text = String::from_utf8_lossy(&composed.bytes);
        assert!(!text.contains("hidden@example.com"), "{text}");
        assert!(!text.to_ascii_lowercase().contains("\nbcc:"), "{text}");
    }

    #[test]
    fn composes_the_headers_with_a_stable_message_id() {
        let composed = compose(&message()).unwrap();
        let head = head(&composed.bytes);
        assert!(
            head.contains("Message-ID: <01JD0000000000000000000000@tocsin>"),
            "{head}"
        );
        assert!(head.contains("\r\nDate: "), "{head}");
        assert!(head.contains("X-Tocsin-Event: deploy.success"), "{head}");
        assert!(head.contains("Reply-To: noreply@example.com"), "{head}");
        assert!(head.contains("MIME-Version: 1.0"), "{head}");
        assert!(head.contains("multipart/alternative"), "{head}");
        // The subject is encoded (non-ASCII) and its line break cannot start a header.
        assert!(head.contains("Subject: =?utf-8?"), "{head}");
        assert!(!head.contains("\r\nBcc:"), "{head}");
        let again = compose(&message()).unwrap();
        assert!(head_of(&again).contains("<01JD0000000000000000000000@tocsin>"));
    }

    fn head_of(c: &Composed) -> String {
        head(&c.bytes)
    }

    #[test]
    fn refuses_extra_headers_that_inject_or_override() {
        for (name, value) in [
            ("Bcc", "x@example.com"),
            ("subject", "other"),
            ("Message-ID", "<x@y>"),
            ("X-Ok", "a\r\nBcc: x@example.com"),
            ("X Bad", "v"),
            ("X-Bad:", "v"),
            ("", "v"),
        ] {
            let mut m = message();
            m.headers = vec![(name.into(), value.into())];
            let err = compose(&m).err().expect(name);
            assert!(matches!(err, SmtpError::InvalidMessage(_)), "{name}: {err}");
            assert!(!err.is_retryable());
        }
    }

    #[test]
    fn refuses_bad_addresses_and_messages_without_recipients() {
        let mut m = message();
        m.to = vec!["not an address".into()];
        let err = compose(&m).err().unwrap();
        assert!(err.to_string().contains("to: \"not an address\""), "{err}");

        let mut m = message();
        m.to.clear();
        m.cc.clear();
        m.bcc.clear();
        assert!(
            compose(&m)
                .err()
                .unwrap()
                .to_string()
                .contains("no recipient")
        );
    }

    #[test]
    fn message_id_keeps_only_safe_characters() {
        assert_eq!(id_part("test_01JD<>@\r\n x"), "test_01JDx");
        assert_eq!(id_part("<>"), "message");
    }

    #[test]
    fn plain_smtp_needs_an_explicit_allow_list_entry() {
        let public = vec![addr("93.184.216.34:25")];
        let err = plain_addresses(
            &AddressPolicy::default(),
            "mail.example.com",
            public.clone(),
        )
        .unwrap_err();
        assert!(matches!(err, SmtpError::PlainNotAllowed { .. }));
        assert!(err.to_string().contains("use starttls or tls"), "{err}");
        assert!(err.to_string().contains("mail.example.com"), "{err}");
        assert!(!err.is_retryable());

        // Allowed by name: every address.
        let p = policy(&["mail.example.com"]);
        assert_eq!(
            plain_addresses(&p, "mail.example.com", public.clone()).unwrap(),
            public
        );
        // Allowed by network: only the addresses inside it.
        let p = policy(&["10.0.0.0/8"]);
        let mixed = vec![addr("10.1.2.3:25"), addr("93.184.216.34:25")];
        assert_eq!(
            plain_addresses(&p, "relay.lan", mixed).unwrap(),
            vec![addr("10.1.2.3:25")]
        );
        // An IP literal is judged by its address, not as a name.
        let p = policy(&["127.0.0.1"]);
        assert!(plain_addresses(&p, "127.0.0.1", vec![addr("127.0.0.1:25")]).is_ok());
        assert!(plain_addresses(&AddressPolicy::default(), "93.184.216.34", public).is_err());
    }

    #[test]
    fn replies_read_like_the_server_wrote_them() {
        let err = SmtpError::Reply {
            code: 535,
            text: "5.7.8 Authentication credentials invalid".into(),
        };
        assert_eq!(
            err.to_string(),
            "SMTP 535 5.7.8 Authentication credentials invalid"
        );
        assert_eq!(
            err.reply().as_deref(),
            Some("535 5.7.8 Authentication credentials invalid")
        );
        assert!(!err.is_retryable());
        let temp = SmtpError::Reply {
            code: 451,
            text: "4.3.0 try again".into(),
        };
        assert!(temp.is_retryable());
        assert_eq!(
            SmtpError::Reply {
                code: 554,
                text: String::new()
            }
            .to_string(),
            "SMTP 554"
        );
        assert!(SmtpError::Timeout(Duration::from_secs(10)).is_retryable());
        assert!(SmtpError::Connect("refused".into()).is_retryable());
        assert!(!SmtpError::NoStartTls { host: "h".into() }.is_retryable());
    }

    #[test]
    fn errors_never_carry_the_password() {
        let err = SmtpError::Reply {
            code: 535,
            text: "bad password hunter22 for user".into(),
        }
        .scrubbed(Some("hunter22"));
        assert!(!err.to_string().contains("hunter22"), "{err}");
        let err = SmtpError::Network("x hunter22".into()).scrubbed(Some("hunter22"));
        assert!(!err.to_string().contains("hunter22"));
    }

    #[test]
    fn debug_output_hides_nothing_secret() {
        let t = SmtpTransport::new(AddressPolicy::default(), Duration::from_secs(5));
        let text = format!("{t:?}");
        assert!(text.contains("SmtpTransport"), "{text}");
    }

    #[test]
    fn bare_host_strips_brackets_and_the_trailing_dot() {
        assert_eq!(bare_host("[::1]"), "::1");
        assert_eq!(bare_host("smtp.example.com."), "smtp.example.com");
        assert_eq!(bare_host(" smtp.example.com "), "smtp.example.com");
    }
}
