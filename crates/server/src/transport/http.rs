//! The HTTP client every provider's request goes through: a reqwest client wired to the
//! guard (resolver, redirect policy, no proxy), plus the translation of requests,
//! responses and errors to and from Tocsin's plain types.

use std::error::Error as StdError;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use http::{HeaderMap, HeaderName, HeaderValue, Method};
use tocsin_core::address::AddressPolicy;
use tocsin_core::outbound::{HttpRequest, HttpResponse};
use url::Url;

use super::TransportError;
use super::guard::{
    GuardedResolver, Lookup, SystemLookup, check_target, find_guard_error, lookup, redirect_policy,
};

/// How much of a response body is kept when nothing else is said: enough for any error
/// message a receiver sends back, little enough that a hostile receiver cannot fill memory.
pub const DEFAULT_MAX_BODY: usize = 64 * 1024;

const USER_AGENT: &str = concat!("Tocsin/", env!("CARGO_PKG_VERSION"));

/// The guarded HTTP client. Cheap to clone: clones share one connection pool.
#[derive(Clone)]
pub struct HttpTransport {
    client: reqwest::Client,
    policy: Arc<AddressPolicy>,
    resolver: Arc<dyn Lookup>,
    max_body: usize,
}

impl std::fmt::Debug for HttpTransport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HttpTransport")
            .field("policy", &self.policy)
            .field("max_body", &self.max_body)
            .finish_non_exhaustive()
    }
}

impl HttpTransport {
    /// A client that connects only where `policy` allows and gives up on a request (connect,
    /// send, and reading the response) after `timeout`.
    pub fn new(policy: AddressPolicy, timeout: Duration) -> Result<Self, TransportError> {
        Self::with_resolver(policy, timeout, Arc::new(SystemLookup))
    }

    /// As [`new`](Self::new), looking host names up with `resolver` instead of the system
    /// resolver (tests answer with the addresses they need; the policy still applies).
    pub fn with_resolver(
        policy: AddressPolicy,
        timeout: Duration,
        resolver: Arc<dyn Lookup>,
    ) -> Result<Self, TransportError> {
        let policy = Arc::new(policy);
        let client = reqwest::Client::builder()
            // Default features are off, so no system proxy is read either; this makes sure
            // of it: a proxy would connect on our behalf to addresses never checked.
            .no_proxy()
            .dns_resolver(GuardedResolver {
                policy: Arc::clone(&policy),
                resolver: Arc::clone(&resolver),
            })
            .redirect(redirect_policy(Arc::clone(&policy)))
            .timeout(timeout)
            .user_agent(USER_AGENT)
            .pool_idle_timeout(Duration::from_secs(90))
            .tls_backend_preconfigured(
                super::tls::client_config()
                    .map_err(|err| TransportError::Other(format!("cannot set up TLS: {err}")))?,
            )
            .build()
            .map_err(|err| {
                TransportError::Other(format!("cannot build the HTTP client: {}", chain(&err)))
            })?;
        Ok(Self {
            client,
            policy,
            resolver,
            max_body: DEFAULT_MAX_BODY,
        })
    }

    /// Keep at most `bytes` of each response body (the rest is not read).
    pub fn with_max_body(mut self, bytes: usize) -> Self {
        self.max_body = bytes;
        self
    }

    /// The policy this client enforces.
    pub fn policy(&self) -> &AddressPolicy {
        &self.policy
    }

    /// The addresses [`send`](Self::send) would connect to for `url`, decided the way `send`
    /// decides (scheme, IP-literal check, lookup through the same resolver, every address
    /// through the policy), without connecting to anything. An error is the one `send`
    /// would return before opening a connection.
    pub async fn vet(&self, url: &str) -> Result<Vec<SocketAddr>, TransportError> {
        let url = parse(url)?;
        check_target(&self.policy, &url)?;
        let port = url.port_or_known_default().unwrap_or(0);
        match url.host() {
            Some(url::Host::Domain(name)) => {
                Ok(lookup(&self.policy, self.resolver.as_ref(), name, port).await?)
            }
            Some(url::Host::Ipv4(ip)) => Ok(vec![SocketAddr::new(ip.into(), port)]),
            Some(url::Host::Ipv6(ip)) => Ok(vec![SocketAddr::new(ip.into(), port)]),
            None => Err(TransportError::InvalidUrl("the URL has no host".into())),
        }
    }

    /// Refuses plain `http://` to a host the operator did not allow-list: without TLS the
    /// request (and the secrets in it) can be read and changed on the way. `allow_http` is
    /// the channel's own exception, which only an admin may set.
    pub fn require_tls(&self, url: &str, allow_http: bool) -> Result<(), TransportError> {
        self.check_url(url, allow_http).map(drop)
    }

    /// [`require_tls`](Self::require_tls), giving back the parsed URL for
    /// [`send_to`](Self::send_to), so that a delivery parses and checks its URL once.
    pub fn check_url(&self, url: &str, allow_http: bool) -> Result<CheckedUrl, TransportError> {
        let url = parse(url)?;
        // An address the guard refuses anyway is named as such, not as a scheme problem.
        check_target(&self.policy, &url)?;
        if url.scheme() != "http" || allow_http {
            return Ok(CheckedUrl(url));
        }
        let host = url.host_str().unwrap_or_default();
        if self.policy.allows_plain_http(host) {
            return Ok(CheckedUrl(url));
        }
        Err(TransportError::PlainHttp(host.to_owned()))
    }

    /// Sends the request and returns the status, the headers and the first `max_body`
    /// bytes of the body.
    ///
    /// When the body breaks off after the status arrived (timeout, reset), the response is
    /// returned with the part that was read: the receiver has answered, and its status is
    /// what decides whether the delivery succeeded.
    pub async fn send(&self, req: &HttpRequest) -> Result<HttpResponse, TransportError> {
        let url = parse(&req.url)?;
        check_target(&self.policy, &url)?;
        self.send_to(CheckedUrl(url), req).await
    }

    /// [`send`](Self::send) to a URL [`check_url`](Self::check_url) parsed and checked from
    /// `req.url`.
    pub async fn send_to(
        &self,
        CheckedUrl(url): CheckedUrl,
        req: &HttpRequest,
    ) -> Result<HttpResponse, TransportError> {
        debug_assert_eq!(
            url.as_str(),
            Url::parse(&req.url).map(String::from).unwrap_or_default()
        );
        let method = Method::from_bytes(req.method.as_bytes()).map_err(|_| {
            TransportError::InvalidRequest(format!("{:?} is not an HTTP method", req.method))
        })?;
        let headers = header_map(&req.headers)?;

        let mut response = self
            .client
            .request(method, url.clone())
            .headers(headers)
            .body(req.body.clone())
            .send()
            .await
            .map_err(|err| classify(err, &url))?;

        let status = response.status().as_u16();
        let headers = response
            .headers()
            .iter()
            .map(|(name, value)| {
                (
                    name.as_str().to_owned(),
                    String::from_utf8_lossy(value.as_bytes()).into_owned(),
                )
            })
            .collect();
        let mut body = Vec::new();
        while body.len() < self.max_body {
            match response.chunk().await {
                Ok(Some(chunk)) => {
                    let room = self.max_body - body.len();
                    body.extend_from_slice(&chunk[..chunk.len().min(room)]);
                }
                Ok(None) => break,
                Err(err) => {
                    tracing::debug!(
                        status,
                        error = %classify(err, &url),
                        "response body broke off; keeping what was read"
                    );
                    break;
                }
            }
        }
        Ok(HttpResponse {
            status,
            headers,
            body,
        })
    }
}

/// A URL that passed [`HttpTransport::check_url`]: parsed, and its target allowed.
#[derive(Clone)]
pub struct CheckedUrl(Url);

impl std::fmt::Debug for CheckedUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Scheme, host and port only: the path and query may hold tokens.
        f.debug_tuple("CheckedUrl")
            .field(&self.0.origin().ascii_serialization())
            .finish()
    }
}

fn parse(url: &str) -> Result<Url, TransportError> {
    Url::parse(url)
        .map_err(|err| TransportError::InvalidUrl(format!("the URL is not valid: {err}")))
}

/// The provider's headers, in order, repeated names kept. Every value is marked sensitive
/// (kept out of `Debug` output and of HTTP/2 header compression tables).
fn header_map(headers: &[(String, String)]) -> Result<HeaderMap, TransportError> {
    let mut map = HeaderMap::with_capacity(headers.len());
    for (name, value) in headers {
        let header = HeaderName::from_bytes(name.as_bytes()).map_err(|_| {
            TransportError::InvalidRequest(format!("{name:?} is not a valid header name"))
        })?;
        // The value may be a credential: the error names the header only.
        let mut value = HeaderValue::from_str(value).map_err(|_| {
            TransportError::InvalidRequest(format!("the value of header {header} is not valid"))
        })?;
        value.set_sensitive(true);
        map.append(header, value);
    }
    Ok(map)
}

/// Sorts a reqwest error into what the caller can act on.
fn classify(err: reqwest::Error, url: &Url) -> TransportError {
    let err = err.without_url();
    if let Some(guard) = find_guard_error(&err) {
        return guard.to_transport_error();
    }
    // Scheme, host and port only: the path and query may hold tokens.
    let detail = format!(
        "{}: {}",
        url.origin().ascii_serialization(),
        redact(chain(&err), url)
    );
    if err.is_timeout() {
        TransportError::Timeout
    } else if err.is_builder() {
        TransportError::InvalidRequest(detail)
    } else if err.is_connect() {
        TransportError::Connect(detail)
    } else {
        TransportError::Other(detail)
    }
}

/// The messages of the error's causes, outermost first. reqwest's own message ("error
/// sending request") and hyper's wrapper ("client error (Connect)") say nothing their
/// causes do not.
fn chain(err: &reqwest::Error) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut current: Option<&(dyn StdError + 'static)> = err.source();
    while let Some(e) = current {
        let message = e.to_string();
        if !message.starts_with("client error (") && parts.last() != Some(&message) {
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

/// Removes the URL's path, query and credentials from `message`, should a cause ever quote
/// them: they may hold tokens.
fn redact(mut message: String, url: &Url) -> String {
    let mut secrets = vec![url.as_str().to_owned()];
    let tail = &url[url::Position::BeforePath..];
    if tail.len() > 1 {
        secrets.push(tail.to_owned());
    }
    secrets.extend(url.password().map(str::to_owned));
    secrets.push(url.username().to_owned());
    // Very short strings would mangle the message and are no secret worth hiding.
    for secret in secrets.into_iter().filter(|s| s.len() >= 3) {
        if message.contains(&secret) {
            message = message.replace(&secret, "…");
        }
    }
    message
}
