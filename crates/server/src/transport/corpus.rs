//! The SSRF corpus: hostile targets taken through the path a real channel takes — the
//! channel URL parsed and checked by its provider, the request rendered, then the guard's
//! decision on the request's URL (scheme, credentials, IP literal, and every address a name
//! resolves to) — without opening a single connection. Names resolve through a table
//! ([`StaticLookup`]), never through DNS, so "a name that resolves to a private address" is
//! tested with answers this file controls.
//!
//! The `url` crate (WHATWG parsing) turns `127.1`, `0x7f.1`, `2130706433` and `0177.0.0.1`
//! into `127.0.0.1` before anything else sees them; the corpus feeds the raw spellings in
//! and checks what comes out of the real path.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use serde_json::{Map, Value};
use tocsin_core::address::AddressPolicy;
use tocsin_core::event::Event;
use tocsin_providers::{Identity, Message, Outbound};

use super::{HttpTransport, StaticLookup, TransportError, resolve_checked};

/// What the real path decides for a target.
#[derive(Debug, PartialEq)]
enum Decision {
    /// The guard refused the address, for this reason.
    Refused(&'static str),
    /// Refused before any address was considered (scheme, credentials, shape): the message.
    Invalid(String),
    /// Allowed: the addresses a connection would go to.
    Allowed(Vec<IpAddr>),
}

fn ip(s: &str) -> IpAddr {
    s.parse().unwrap()
}

/// The answers of the resolver the corpus controls.
fn resolver() -> Arc<StaticLookup> {
    Arc::new(StaticLookup::new([
        ("internal.example", vec![ip("10.1.2.3")]),
        // What the resolver of a Google Cloud VM answers for its metadata server.
        ("metadata.google.internal", vec![ip("169.254.169.254")]),
        ("metadata.goog", vec![ip("169.254.169.254")]),
        ("public.example", vec![ip("93.184.216.34")]),
        (
            "mixed.example",
            vec![ip("10.0.0.1"), ip("93.184.216.34"), ip("::1")],
        ),
        ("all-private.example", vec![ip("10.0.0.1"), ip("127.0.0.1")]),
        ("ula.example", vec![ip("fd12:3456::1")]),
        ("mapped.example", vec![ip("::ffff:127.0.0.1")]),
        ("nat64.example", vec![ip("64:ff9b::a9fe:a9fe")]),
        ("localhost", vec![ip("127.0.0.1"), ip("::1")]),
        ("cgnat.example", vec![ip("100.100.100.200")]),
    ]))
}

fn transport(allow: &[&str]) -> HttpTransport {
    let entries: Vec<String> = allow.iter().map(|e| e.to_string()).collect();
    let policy = AddressPolicy::parse(&entries).unwrap();
    HttpTransport::with_resolver(policy, Duration::from_secs(1), resolver()).unwrap()
}

fn decision(result: Result<Vec<SocketAddr>, TransportError>) -> Decision {
    match result {
        Ok(addrs) => Decision::Allowed(addrs.iter().map(SocketAddr::ip).collect()),
        Err(TransportError::Refused(r)) => Decision::Refused(r.reason),
        Err(other) => Decision::Invalid(other.to_string()),
    }
}

/// A channel from its URL form, configured and rendered as the API and the dispatcher do,
/// and the guard's decision on where the request would go.
async fn decide_channel_url(http: &HttpTransport, text: &str) -> Decision {
    let (kind, raw) = match tocsin_providers::from_url(text) {
        Ok(parsed) => parsed,
        Err(e) => return Decision::Invalid(e.to_string()),
    };
    let secrets: Map<String, Value> = raw
        .secrets
        .iter_exposed()
        .map(|(k, v)| (k.to_owned(), Value::String(v.to_owned())))
        .collect();
    decide_config(http, kind, raw.settings, secrets).await
}

async fn decide_config(
    http: &HttpTransport,
    kind: tocsin_providers::Kind,
    settings: Map<String, Value>,
    secrets: Map<String, Value>,
) -> Decision {
    let config = match tocsin_providers::configure(kind, settings, secrets, None) {
        Ok(c) => c,
        Err(e) => return Decision::Invalid(e.to_string()),
    };
    let event = Event::test(ulid::Ulid::nil(), 1_795_428_000_000);
    let identity = Identity::default();
    let message = Message {
        event: &event,
        delivery_id: "corpus",
        now: 1_795_428_000_000,
        identity: &identity,
        attachments: &[],
    };
    match kind.provider().render(&config, &message) {
        Ok(Outbound::Http(request)) => decision(http.vet(&request.url).await),
        Ok(Outbound::Email { server, .. }) => {
            let host = server.host.trim_end_matches('.');
            decision(resolve_checked(http.policy(), &*resolver(), host, server.port).await)
        }
        Err(e) => Decision::Invalid(e.to_string()),
    }
}

/// Hostile channel URLs and the reason each is refused for, with the default policy.
const HOSTILE: &[(&str, &str)] = &[
    // Loopback, in every spelling the URL parser accepts.
    ("http://127.0.0.1/", "loopback"),
    ("https://127.0.0.1:8400/api/v1/events", "loopback"),
    ("http://127.1/", "loopback"),
    ("http://0x7f000001/", "loopback"),
    ("http://2130706433/", "loopback"),
    ("http://0177.0.0.1/", "loopback"),
    ("http://0x7f.1/", "loopback"),
    ("http://127.000.000.001/", "loopback"),
    ("http://127.255.255.254/", "loopback"),
    // Private networks, decimal, octal, hex and short forms.
    ("http://10.0.0.1/", "private network"),
    ("http://012.0.0.1/", "private network"),
    ("http://0xa.0xb.0xc.0xd/", "private network"),
    ("http://167772161/", "private network"),
    ("http://10.1/", "private network"),
    ("http://172.16.0.1/", "private network"),
    ("http://0xac100001/", "private network"),
    ("http://172.31.255.255/", "private network"),
    ("http://192.168.0.1/", "private network"),
    ("http://0300.0250.0.1/", "private network"),
    ("http://3232235521/", "private network"),
    ("http://192.168.1/", "private network"),
    // Unspecified: connecting to it reaches the local host.
    ("http://0.0.0.0/", "unspecified"),
    ("http://0/", "unspecified"),
    ("http://0.0.0.0:8400/", "unspecified"),
    ("http://[::]/", "unspecified"),
    // IPv6 loopback and the forms that carry an IPv4 address.
    ("http://[::1]/", "loopback"),
    ("http://[0:0:0:0:0:0:0:1]/", "loopback"),
    ("http://[::ffff:127.0.0.1]/", "loopback"),
    ("http://[::ffff:7f00:1]/", "loopback"),
    ("http://[::ffff:10.0.0.1]/", "private network"),
    ("http://[::127.0.0.1]/", "loopback"),
    ("http://[64:ff9b::7f00:1]/", "loopback"),
    ("http://[64:ff9b::a9fe:a9fe]/", "cloud metadata"),
    ("http://[2002:7f00:1::]/", "loopback"),
    ("http://[2002:a9fe:a9fe::]/", "cloud metadata"),
    ("http://[2002:c0a8:101::1]/", "private network"),
    ("http://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/", "Teredo"),
    // Cloud metadata and link-local.
    ("http://169.254.169.254/latest/meta-data/", "cloud metadata"),
    ("http://0xa9fea9fe/", "cloud metadata"),
    ("http://2852039166/", "cloud metadata"),
    ("http://[::ffff:169.254.169.254]/", "cloud metadata"),
    ("http://[fd00:ec2::254]/latest/meta-data/", "cloud metadata"),
    ("http://169.254.1.1/", "link-local"),
    ("http://[fe80::1]/", "link-local"),
    // Unique-local and other special IPv6 space.
    ("http://[fd00::1]/", "unique-local"),
    ("http://[fc00::1]/", "unique-local"),
    ("http://[fec0::1]/", "site-local"),
    ("http://[100::1]/", "discard-only"),
    // CGNAT (Alibaba Cloud's metadata service lives there), benchmarking, multicast,
    // broadcast, reserved.
    ("http://100.64.0.1/", "shared address space (CGNAT)"),
    ("http://100.100.100.200/", "shared address space (CGNAT)"),
    ("http://198.18.0.1/", "benchmarking"),
    ("http://198.19.255.255/", "benchmarking"),
    ("http://224.0.0.1/", "multicast"),
    ("http://[ff02::1]/", "multicast"),
    ("http://255.255.255.255/", "broadcast"),
    ("http://240.0.0.1/", "reserved"),
    ("http://192.0.2.1/", "documentation"),
    // The Apprise form of a webhook, with and without credentials (they become a header).
    ("jsons://127.0.0.1/hook", "loopback"),
    ("json://user:pass@10.0.0.1/hook", "private network"),
    // Other kinds whose server the user names.
    ("gotifys://127.0.0.1/AbCdEf123", "loopback"),
    ("gotify://169.254.169.254/AbCdEf123", "cloud metadata"),
    ("ntfys://10.0.0.5/alerts", "private network"),
    ("ntfy://[::1]/alerts", "loopback"),
    // Host names: the resolver's answers are judged, not the name.
    ("https://internal.example/hook", "private network"),
    (
        "http://metadata.google.internal/computeMetadata/v1/",
        "cloud metadata",
    ),
    ("http://metadata.goog/computeMetadata/v1/", "cloud metadata"),
    ("https://all-private.example/", "private network"),
    ("https://ula.example/", "unique-local"),
    ("https://mapped.example/", "loopback"),
    ("https://nat64.example/", "cloud metadata"),
    ("http://localhost:8400/", "loopback"),
    ("http://LOCALHOST./", "loopback"),
    ("https://cgnat.example/", "shared address space (CGNAT)"),
    // SMTP servers get the same policy.
    (
        "mailtos://user:pass@10.0.0.5?to=ops@example.com",
        "private network",
    ),
    (
        "mailtos://user:pass@internal.example?to=ops@example.com",
        "private network",
    ),
    (
        "mailtos://user:pass@127.0.0.1:465?to=ops@example.com",
        "loopback",
    ),
];

/// Targets refused before any address is looked at: schemes no kind sends to, credentials
/// in a plain URL. The part of the error that says why.
const INVALID: &[(&str, &str)] = &[
    (
        "file:///etc/passwd",
        "no channel kind uses the scheme `file://`",
    ),
    ("gopher://127.0.0.1:25/_HELO", "scheme `gopher://`"),
    ("ftp://example.com/", "scheme `ftp://`"),
    ("dict://127.0.0.1:11211/stat", "scheme `dict://`"),
    ("ldap://127.0.0.1/", "scheme `ldap://`"),
    ("http://user:pass@public.example/", "credentials"),
    ("https://admin@169.254.169.254/", "credentials"),
    ("http://", "is not a URL"),
    ("http://[::1/", "is not a URL"),
];

#[tokio::test]
async fn hostile_channel_urls_are_refused_with_their_reason() {
    let http = transport(&[]);
    assert!(HOSTILE.len() + INVALID.len() >= 40);
    let mut failures = Vec::new();
    for (url, reason) in HOSTILE {
        let got = decide_channel_url(&http, url).await;
        if got != Decision::Refused(reason) {
            failures.push(format!(
                "{url}: expected refused as {reason:?}, got {got:?}"
            ));
        }
    }
    for (url, why) in INVALID {
        match decide_channel_url(&http, url).await {
            Decision::Invalid(message) if message.contains(why) => {}
            got => failures.push(format!("{url}: expected invalid ({why}), got {got:?}")),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[tokio::test]
async fn hostile_webhook_settings_are_refused_like_their_url_form() {
    // The same targets given as `settings.url` of a webhook, which skips the URL form's own
    // checks (credentials in a plain URL): the guard must refuse them by itself.
    let http = transport(&[]);
    let mut failures = Vec::new();
    let webhook = tocsin_providers::Kind::Webhook;
    for (url, reason) in HOSTILE.iter().filter(|(u, _)| u.starts_with("http")) {
        let settings = Map::from_iter([("url".to_owned(), Value::String((*url).to_owned()))]);
        let got = decide_config(&http, webhook, settings, Map::new()).await;
        if got != Decision::Refused(reason) {
            failures.push(format!(
                "{url}: expected refused as {reason:?}, got {got:?}"
            ));
        }
    }
    for url in [
        "http://user:pass@public.example/",
        "https://user@93.184.216.34/",
    ] {
        let settings = Map::from_iter([("url".to_owned(), Value::String(url.to_owned()))]);
        match decide_config(&http, webhook, settings, Map::new()).await {
            Decision::Invalid(m) if m.contains("user name or password") => {}
            got => failures.push(format!(
                "{url}: expected refused for credentials, got {got:?}"
            )),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[tokio::test]
async fn public_targets_are_allowed_so_the_guard_is_not_refusing_everything() {
    let http = transport(&[]);
    let cases: &[(&str, &[&str])] = &[
        ("https://public.example/hook", &["93.184.216.34"]),
        ("http://93.184.216.34/", &["93.184.216.34"]),
        ("https://[2606:4700:4700::1111]/", &["2606:4700:4700::1111"]),
        ("http://172.32.0.1/", &["172.32.0.1"]),
        ("http://100.128.0.1/", &["100.128.0.1"]),
        ("http://[::ffff:8.8.8.8]/", &["::ffff:8.8.8.8"]),
        ("http://[64:ff9b::808:808]/", &["64:ff9b::808:808"]),
        ("jsons://public.example/hook", &["93.184.216.34"]),
        ("gotifys://public.example/AbCdEf123", &["93.184.216.34"]),
        (
            "mailtos://user:pass@public.example?to=ops@example.com",
            &["93.184.216.34"],
        ),
    ];
    for (url, addrs) in cases {
        let expected: Vec<IpAddr> = addrs.iter().map(|a| ip(a)).collect();
        assert_eq!(
            decide_channel_url(&http, url).await,
            Decision::Allowed(expected),
            "{url}"
        );
    }
}

#[tokio::test]
async fn a_name_with_public_and_private_answers_keeps_only_the_public_ones() {
    let http = transport(&[]);
    assert_eq!(
        decide_channel_url(&http, "https://mixed.example/hook").await,
        Decision::Allowed(vec![ip("93.184.216.34")])
    );
}

#[tokio::test]
async fn the_allow_list_lets_its_networks_and_names_through() {
    let http = transport(&["127.0.0.0/8", "internal.example", "fd00::/8"]);
    assert_eq!(
        decide_channel_url(&http, "http://127.1:9000/").await,
        Decision::Allowed(vec![ip("127.0.0.1")])
    );
    assert_eq!(
        decide_channel_url(&http, "https://internal.example/").await,
        Decision::Allowed(vec![ip("10.1.2.3")])
    );
    assert_eq!(
        decide_channel_url(&http, "https://ula.example/").await,
        Decision::Allowed(vec![ip("fd12:3456::1")])
    );
    // Everything else stays refused.
    assert_eq!(
        decide_channel_url(&http, "http://169.254.169.254/").await,
        Decision::Refused("cloud metadata")
    );
    assert_eq!(
        decide_channel_url(&http, "http://[::1]/").await,
        Decision::Refused("loopback")
    );
}

#[test]
fn plain_http_needs_the_allow_list_or_allow_http() {
    let open = transport(&["127.0.0.0/8", "gotify.lan"]);
    assert!(open.require_tls("http://127.0.0.1:9000/", false).is_ok());
    assert!(open.require_tls("http://gotify.lan/message", false).is_ok());
    assert!(
        open.require_tls("https://hooks.example.com/", false)
            .is_ok()
    );
    assert!(matches!(
        open.require_tls("http://hooks.example.com/", false),
        Err(TransportError::PlainHttp(host)) if host == "hooks.example.com"
    ));
    assert!(open.require_tls("http://hooks.example.com/", true).is_ok());
    // A refused address is reported as such, not as a scheme problem.
    let closed = transport(&[]);
    assert!(matches!(
        closed.require_tls("http://127.0.0.1/", false),
        Err(TransportError::Refused(r)) if r.reason == "loopback"
    ));
    assert!(matches!(
        closed.require_tls("http://169.254.169.254/", true),
        Err(TransportError::Refused(_))
    ));
}
