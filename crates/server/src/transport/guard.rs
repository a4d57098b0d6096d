//! The SSRF guard's hooks into the HTTP client: the check of a URL before it is sent, the
//! resolver that drops refused addresses, and the redirect policy that checks every hop.
//!
//! Architecture invariant: a connection is only ever opened to an address that passed
//! [`AddressPolicy::check`]. Host names reach the network only through
//! [`GuardedResolver`], and the client connects to exactly the addresses it returns (no
//! second lookup, so no DNS rebinding between check and connect); IP-literal hosts never
//! reach a resolver, so [`check_target`] and the redirect policy check them directly.
//! What to allow is decided in `tocsin_core::address`, not here.

use std::error::Error as StdError;
use std::fmt;
use std::future::Future;
use std::io;
use std::net::{IpAddr, SocketAddr};
use std::pin::Pin;
use std::sync::Arc;

use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use reqwest::redirect;
use tocsin_core::address::{AddressPolicy, Refusal};
use url::{Host, Url};

use super::TransportError;

/// Redirects followed at most for one request.
pub(crate) const MAX_REDIRECTS: usize = 3;

/// Why the guard stopped a request inside the client. Carried through reqwest's error
/// source chain and recognised again by the transport when it classifies the error.
#[derive(Debug)]
pub(crate) enum GuardError {
    Refused(Refusal),
    /// The name resolved to no address at all, or could not be resolved.
    NotResolved {
        host: String,
        detail: String,
    },
    UnsupportedScheme(String),
    NoHost,
    /// `user:password@` in the URL: never sent, and never followed in a redirect.
    Credentials,
    TooManyRedirects,
}

impl fmt::Display for GuardError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Refused(refusal) => refusal.fmt(f),
            Self::NotResolved { host, detail } => {
                write!(f, "host {host} does not resolve: {detail}")
            }
            Self::UnsupportedScheme(scheme) => {
                write!(f, "scheme {scheme:?} is not supported (use http or https)")
            }
            Self::NoHost => f.write_str("the URL has no host"),
            Self::Credentials => f.write_str(
                "the URL carries a user name or password; put credentials in the channel's \
                 secrets or headers instead",
            ),
            Self::TooManyRedirects => write!(f, "more than {MAX_REDIRECTS} redirects"),
        }
    }
}

impl StdError for GuardError {}

impl GuardError {
    pub(crate) fn to_transport_error(&self) -> TransportError {
        match self {
            Self::Refused(refusal) => TransportError::Refused(refusal.clone()),
            Self::NotResolved { .. } => TransportError::Dns(self.to_string()),
            Self::UnsupportedScheme(_) | Self::NoHost | Self::Credentials => {
                TransportError::InvalidUrl(self.to_string())
            }
            Self::TooManyRedirects => TransportError::Other(self.to_string()),
        }
    }
}

impl From<GuardError> for TransportError {
    fn from(err: GuardError) -> Self {
        err.to_transport_error()
    }
}

/// Checks a URL before anything is sent to it: scheme http or https, no credentials, a
/// host, and when the host is an IP literal, an address the policy allows. Host names are checked later, by
/// [`GuardedResolver`], against the addresses they resolve to.
///
/// The `url` crate has already normalised odd IPv4 spellings (`2130706433`, `0x7f.1`) into
/// IP literals, so they are caught here too.
pub(crate) fn check_target(policy: &AddressPolicy, url: &Url) -> Result<(), GuardError> {
    match url.scheme() {
        "http" | "https" => {}
        other => return Err(GuardError::UnsupportedScheme(other.to_owned())),
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(GuardError::Credentials);
    }
    let ip = match url.host() {
        None => return Err(GuardError::NoHost),
        Some(Host::Domain(_)) => return Ok(()),
        Some(Host::Ipv4(ip)) => IpAddr::V4(ip),
        Some(Host::Ipv6(ip)) => IpAddr::V6(ip),
    };
    // An IP literal is its own host name, written without brackets.
    policy
        .check(&ip.to_string(), ip)
        .map_err(GuardError::Refused)
}

/// Keeps the addresses the policy allows for `host`. When every address is refused, the
/// first refusal is returned so the error names a concrete address and reason.
pub(crate) fn vet_addresses(
    policy: &AddressPolicy,
    host: &str,
    addrs: impl IntoIterator<Item = SocketAddr>,
) -> Result<Vec<SocketAddr>, GuardError> {
    let mut allowed = Vec::new();
    let mut first_refusal = None;
    for addr in addrs {
        match policy.check(host, addr.ip()) {
            Ok(()) => allowed.push(addr),
            Err(refusal) => {
                tracing::debug!(
                    host,
                    ip = %refusal.ip,
                    reason = refusal.reason,
                    "dropped a resolved address the address policy refuses"
                );
                first_refusal.get_or_insert(refusal);
            }
        }
    }
    match (allowed.is_empty(), first_refusal) {
        (false, _) => Ok(allowed),
        (true, Some(refusal)) => Err(GuardError::Refused(refusal)),
        (true, None) => Err(GuardError::NotResolved {
            host: host.to_owned(),
            detail: "no addresses".into(),
        }),
    }
}

/// The answers of a name lookup, boxed so that [`Lookup`] stays object safe.
pub type LookupFuture<'a> = Pin<Box<dyn Future<Output = io::Result<Vec<SocketAddr>>> + Send + 'a>>;

/// Turns a host name into addresses: the system resolver ([`SystemLookup`]) in the server,
/// a table of answers in tests, so that a name resolving to a private address can be tested
/// without any DNS. Whatever it answers still goes through the policy.
pub trait Lookup: Send + Sync + fmt::Debug {
    fn lookup<'a>(&'a self, host: &'a str, port: u16) -> LookupFuture<'a>;
}

/// `getaddrinfo`, through tokio: honours `/etc/hosts` and the host's resolver setup.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemLookup;

impl Lookup for SystemLookup {
    fn lookup<'a>(&'a self, host: &'a str, port: u16) -> LookupFuture<'a> {
        Box::pin(async move { Ok(tokio::net::lookup_host((host, port)).await?.collect()) })
    }
}

/// A fixed table of answers, for tests: a name resolves to exactly the addresses listed
/// (case-insensitive, trailing dot ignored), any other name does not resolve. No DNS.
#[derive(Debug, Clone, Default)]
pub struct StaticLookup {
    answers: std::collections::HashMap<String, Vec<IpAddr>>,
}

impl StaticLookup {
    pub fn new<'a>(answers: impl IntoIterator<Item = (&'a str, Vec<IpAddr>)>) -> Self {
        Self {
            answers: answers
                .into_iter()
                .map(|(name, ips)| (normalise_name(name), ips))
                .collect(),
        }
    }
}

fn normalise_name(name: &str) -> String {
    name.trim_end_matches('.').to_ascii_lowercase()
}

impl Lookup for StaticLookup {
    fn lookup<'a>(&'a self, host: &'a str, port: u16) -> LookupFuture<'a> {
        let answer = self.answers.get(&normalise_name(host)).map(|ips| {
            ips.iter()
                .map(|ip| SocketAddr::new(*ip, port))
                .collect::<Vec<_>>()
        });
        Box::pin(async move {
            answer.ok_or_else(|| io::Error::new(io::ErrorKind::NotFound, "name not in the table"))
        })
    }
}

/// Resolves `host` with `resolver` and keeps only the addresses the policy allows. IP
/// literals are checked without a lookup. Ports are `port` on every address.
///
/// Also for transports other than HTTP (SMTP): connect to exactly the addresses returned.
pub async fn resolve_checked(
    policy: &AddressPolicy,
    resolver: &dyn Lookup,
    host: &str,
    port: u16,
) -> Result<Vec<SocketAddr>, TransportError> {
    let bare = host
        .strip_prefix('[')
        .and_then(|h| h.strip_suffix(']'))
        .unwrap_or(host);
    if let Ok(ip) = bare.parse::<IpAddr>() {
        policy.check(bare, ip).map_err(TransportError::Refused)?;
        return Ok(vec![SocketAddr::new(ip, port)]);
    }
    Ok(lookup(policy, resolver, host, port).await?)
}

pub(crate) async fn lookup(
    policy: &AddressPolicy,
    resolver: &dyn Lookup,
    host: &str,
    port: u16,
) -> Result<Vec<SocketAddr>, GuardError> {
    let addrs = resolver
        .lookup(host, port)
        .await
        .map_err(|err| GuardError::NotResolved {
            host: host.to_owned(),
            detail: err.to_string(),
        })?;
    vet_addresses(policy, host, addrs)
}

/// The client's only resolver: the configured [`Lookup`], filtered by the address policy.
pub(crate) struct GuardedResolver {
    pub(crate) policy: Arc<AddressPolicy>,
    pub(crate) resolver: Arc<dyn Lookup>,
}

impl Resolve for GuardedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let policy = Arc::clone(&self.policy);
        let resolver = Arc::clone(&self.resolver);
        Box::pin(async move {
            // Port 0: the client puts the URL's port (or the scheme's default) in its place.
            let addrs = lookup(&policy, resolver.as_ref(), name.as_str(), 0).await?;
            let addrs: Addrs = Box::new(addrs.into_iter());
            Ok(addrs)
        })
    }
}

/// Follows at most [`MAX_REDIRECTS`] redirects, each one checked like the first request:
/// scheme, IP-literal host against the policy (a host name goes through
/// [`GuardedResolver`] when the client connects to it).
///
/// Only redirects that stay on the same host are followed; a redirect to another host
/// ends the request and the 3xx response is returned as it is. Providers put credentials
/// in custom headers (`X-Gotify-Key`, API keys, …) that reqwest does not strip on a
/// cross-host hop, and a receiver that moved should be fixed in the channel's settings
/// anyway. For the same reason an https → http downgrade is not followed.
pub(crate) fn redirect_policy(policy: Arc<AddressPolicy>) -> redirect::Policy {
    redirect::Policy::custom(move |attempt| {
        // `previous` starts with the original URL: its length is the number of hops so far.
        if attempt.previous().len() > MAX_REDIRECTS {
            return attempt.error(GuardError::TooManyRedirects);
        }
        if let Err(err) = check_target(&policy, attempt.url()) {
            return attempt.error(err);
        }
        let Some(previous) = attempt.previous().last() else {
            return attempt.follow();
        };
        let next = attempt.url();
        let same_host = next.host_str() == previous.host_str();
        let downgrade = previous.scheme() == "https" && next.scheme() != "https";
        if same_host && !downgrade {
            attempt.follow()
        } else {
            attempt.stop()
        }
    })
}

/// The guard's error inside a chain of error sources, if the guard caused it.
pub(crate) fn find_guard_error<'a>(err: &'a (dyn StdError + 'static)) -> Option<&'a GuardError> {
    let mut current = Some(err);
    while let Some(e) = current {
        if let Some(guard) = e.downcast_ref::<GuardError>() {
            return Some(guard);
        }
        current = e.source();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(s: &str) -> Url {
        Url::parse(s).unwrap()
    }

    fn policy(entries: &[&str]) -> AddressPolicy {
        let entries: Vec<String> = entries.iter().map(|e| e.to_string()).collect();
        AddressPolicy::parse(&entries).unwrap()
    }

    fn refusal_reason(policy: &AddressPolicy, u: &str) -> Option<&'static str> {
        match check_target(policy, &url(u)) {
            Err(GuardError::Refused(r)) => Some(r.reason),
            Ok(()) => None,
            Err(other) => panic!("{u}: unexpected {other}"),
        }
    }

    // These only exercise the decision: nothing here opens a connection.

    #[test]
    fn refuses_a_webhook_to_the_metadata_address() {
        let p = AddressPolicy::default();
        assert_eq!(
            refusal_reason(&p, "http://169.254.169.254/latest/meta-data/"),
            Some("cloud metadata")
        );
        assert_eq!(
            refusal_reason(&p, "http://[::ffff:169.254.169.254]/"),
            Some("cloud metadata")
        );
        assert_eq!(
            refusal_reason(&p, "http://[fd00:ec2::254]/"),
            Some("cloud metadata")
        );
    }

    #[test]
    fn refuses_ip_literals_in_every_spelling_the_url_parser_accepts() {
        let p = AddressPolicy::default();
        let cases = [
            ("http://127.0.0.1:8080/x", "loopback"),
            ("http://2130706433/", "loopback"),
            ("http://0x7f.1/", "loopback"),
            ("http://0177.0.0.1/", "loopback"),
            ("http://127.1/", "loopback"),
            ("http://[::1]/", "loopback"),
            ("http://[::ffff:7f00:1]/", "loopback"),
            ("http://[::ffff:127.0.0.1]/", "loopback"),
            ("https://10.0.0.5/", "private network"),
            ("http://0/", "unspecified"),
            ("http://[::]/", "unspecified"),
            ("http://[fe80::1]/", "link-local"),
            ("http://[fc00::1]/", "unique-local"),
            ("http://100.64.0.1/", "shared address space (CGNAT)"),
            ("http://[64:ff9b::a9fe:a9fe]/", "cloud metadata"),
            ("http://[2002:a00:1::]/", "private network"),
        ];
        for (u, reason) in cases {
            assert_eq!(refusal_reason(&p, u), Some(reason), "{u}");
        }
    }

    #[test]
    fn leaves_host_names_to_the_resolver_and_allows_public_literals() {
        let p = AddressPolicy::default();
        assert_eq!(
            refusal_reason(&p, "https://hooks.example.com/T/B/secret"),
            None
        );
        assert_eq!(refusal_reason(&p, "https://localhost/"), None);
        assert_eq!(refusal_reason(&p, "http://93.184.216.34/"), None);
        assert_eq!(refusal_reason(&p, "http://[2606:4700:4700::1111]/"), None);
    }

    #[test]
    fn allow_list_lets_literals_through() {
        let p = policy(&["10.0.0.0/8", "::1"]);
        assert_eq!(refusal_reason(&p, "http://10.1.2.3/"), None);
        assert_eq!(refusal_reason(&p, "http://[::1]:9000/"), None);
        assert_eq!(refusal_reason(&p, "http://127.0.0.1/"), Some("loopback"));
    }

    #[test]
    fn refuses_schemes_other_than_http_and_https() {
        let p = AddressPolicy::default();
        for u in [
            "file:///etc/passwd",
            "ftp://example.com/",
            "gopher://example.com/",
        ] {
            assert!(
                matches!(
                    check_target(&p, &url(u)),
                    Err(GuardError::UnsupportedScheme(_))
                ),
                "{u}"
            );
        }
    }

    #[test]
    fn resolver_drops_refused_addresses_and_keeps_allowed_ones() {
        let p = AddressPolicy::default();
        let addrs: Vec<SocketAddr> = vec![
            "10.0.0.1:0".parse().unwrap(),
            "93.184.216.34:0".parse().unwrap(),
            "[::ffff:169.254.169.254]:0".parse().unwrap(),
            "[2606:4700:4700::1111]:0".parse().unwrap(),
        ];
        let kept = vet_addresses(&p, "rebind.example", addrs).unwrap();
        assert_eq!(
            kept,
            vec![
                "93.184.216.34:0".parse::<SocketAddr>().unwrap(),
                "[2606:4700:4700::1111]:0".parse().unwrap()
            ]
        );
    }

    #[test]
    fn resolver_refuses_a_name_with_only_private_addresses() {
        let p = AddressPolicy::default();
        let addrs: Vec<SocketAddr> = vec![
            "169.254.169.254:0".parse().unwrap(),
            "10.0.0.1:0".parse().unwrap(),
        ];
        match vet_addresses(&p, "metadata.example", addrs) {
            Err(GuardError::Refused(r)) => {
                assert_eq!(r.reason, "cloud metadata");
                assert_eq!(r.host, "metadata.example");
            }
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn resolver_lets_allowed_names_resolve_to_private_addresses() {
        let p = policy(&["*.lan"]);
        let addrs: Vec<SocketAddr> = vec!["192.168.1.20:0".parse().unwrap()];
        assert_eq!(
            vet_addresses(&p, "gotify.lan", addrs.clone()).unwrap(),
            addrs
        );
        assert!(vet_addresses(&p, "gotify.example", addrs).is_err());
    }

    #[test]
    fn resolver_reports_no_addresses_as_unresolved() {
        let p = AddressPolicy::default();
        assert!(matches!(
            vet_addresses(&p, "empty.example", Vec::new()),
            Err(GuardError::NotResolved { .. })
        ));
    }

    #[tokio::test]
    async fn resolve_checked_applies_the_policy_to_literals_and_names() {
        let closed = AddressPolicy::default();
        for host in ["127.0.0.1", "[::1]", "::ffff:127.0.0.1", "localhost"] {
            assert!(
                matches!(
                    resolve_checked(&closed, &SystemLookup, host, 25).await,
                    Err(TransportError::Refused(_))
                ),
                "{host}"
            );
        }
        let open = policy(&["localhost", "::1"]);
        let addrs = resolve_checked(&open, &SystemLookup, "localhost", 25)
            .await
            .unwrap();
        assert!(!addrs.is_empty());
        assert!(addrs.iter().all(|a| a.port() == 25 && a.ip().is_loopback()));
        let addrs = resolve_checked(&open, &SystemLookup, "[::1]", 587)
            .await
            .unwrap();
        assert_eq!(addrs, vec!["[::1]:587".parse::<SocketAddr>().unwrap()]);
    }

    #[test]
    fn guard_errors_are_found_through_a_chain_of_sources() {
        #[derive(Debug)]
        struct Wrapper(GuardError);
        impl fmt::Display for Wrapper {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("wrapped")
            }
        }
        impl StdError for Wrapper {
            fn source(&self) -> Option<&(dyn StdError + 'static)> {
                Some(&self.0)
            }
        }
        let err = Wrapper(GuardError::TooManyRedirects);
        assert!(matches!(
            find_guard_error(&err),
            Some(GuardError::TooManyRedirects)
        ));
    }
}
