//! Which network addresses Tocsin may connect to: the SSRF decision.
//!
//! A receiver URL comes from a user, so without a guard Tocsin could be pointed at the
//! cloud metadata service, at the database on localhost or at anything else on the private
//! network it runs in. This module owns the decision alone: [`forbidden_reason`] says why
//! an address is not public, [`AddressPolicy`] adds the operator's allow-list
//! (`TOCSIN_ALLOW_PRIVATE`) on top. It does no resolving and no connecting; the server's
//! transports ask it about every address they are about to use (IP literals in URLs and
//! every address a host name resolves to).

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use ipnet::{IpNet, Ipv4Net};

use crate::FieldError;

/// The field named in errors about the allow-list.
const FIELD: &str = "allow_private";

/// Why `ip` must not be connected to without an explicit allow-list entry, or `None` when
/// it is a public address.
///
/// IPv4-mapped IPv6 addresses (`::ffff:127.0.0.1`) are judged as the IPv4 address they
/// carry, and so are the IPv6 forms that embed an IPv4 address (NAT64, 6to4, IPv4-compatible,
/// IPv4-translated), because the network may turn them back into that IPv4 address.
pub fn forbidden_reason(ip: IpAddr) -> Option<&'static str> {
    match ip.to_canonical() {
        IpAddr::V4(v4) => forbidden_v4(v4),
        IpAddr::V6(v6) => forbidden_v6(v6),
    }
}

fn in_v4(ip: Ipv4Addr, net: [u8; 4], prefix: u32) -> bool {
    let mask = u32::MAX.checked_shl(32 - prefix).unwrap_or(0);
    u32::from(ip) & mask == u32::from(Ipv4Addr::from(net)) & mask
}

fn forbidden_v4(ip: Ipv4Addr) -> Option<&'static str> {
    // Most specific ranges first: the metadata address sits inside link-local, the
    // broadcast address inside the reserved block.
    const RANGES: &[([u8; 4], u32, &str)] = &[
        ([169, 254, 169, 254], 32, "cloud metadata"),
        ([255, 255, 255, 255], 32, "broadcast"),
        ([0, 0, 0, 0], 8, "unspecified"),
        ([127, 0, 0, 0], 8, "loopback"),
        ([10, 0, 0, 0], 8, "private network"),
        ([172, 16, 0, 0], 12, "private network"),
        ([192, 168, 0, 0], 16, "private network"),
        ([169, 254, 0, 0], 16, "link-local"),
        ([100, 64, 0, 0], 10, "shared address space (CGNAT)"),
        ([192, 0, 0, 0], 24, "IETF protocol assignments"),
        ([192, 0, 2, 0], 24, "documentation"),
        ([198, 51, 100, 0], 24, "documentation"),
        ([203, 0, 113, 0], 24, "documentation"),
        ([198, 18, 0, 0], 15, "benchmarking"),
        ([224, 0, 0, 0], 4, "multicast"),
        ([240, 0, 0, 0], 4, "reserved"),
    ];
    RANGES
        .iter()
        .find(|(net, prefix, _)| in_v4(ip, *net, *prefix))
        .map(|(_, _, reason)| *reason)
}

fn in_v6(ip: Ipv6Addr, net: [u16; 8], prefix: u32) -> bool {
    let mask = u128::MAX.checked_shl(128 - prefix).unwrap_or(0);
    u128::from(ip) & mask == u128::from(Ipv6Addr::from(net)) & mask
}

/// The IPv4 address in the low 32 bits of `ip`.
fn low_v4(ip: Ipv6Addr) -> Ipv4Addr {
    // Truncation keeps exactly the low 32 bits, which is the point.
    Ipv4Addr::from(u128::from(ip) as u32)
}

fn forbidden_v6(ip: Ipv6Addr) -> Option<&'static str> {
    if ip.is_unspecified() {
        return Some("unspecified");
    }
    if ip.is_loopback() {
        return Some("loopback");
    }
    // ::a.b.c.d (deprecated IPv4-compatible) and ::ffff:0:a.b.c.d (IPv4-translated):
    // refused outright, with the embedded address's reason when it has one.
    if in_v6(ip, [0; 8], 96) || in_v6(ip, [0, 0, 0, 0, 0xffff, 0, 0, 0], 96) {
        return Some(forbidden_v4(low_v4(ip)).unwrap_or("IPv4-compatible (deprecated)"));
    }
    // NAT64 well-known prefix: the translator connects to the embedded IPv4 address.
    if in_v6(ip, [0x64, 0xff9b, 0, 0, 0, 0, 0, 0], 96) {
        return forbidden_v4(low_v4(ip));
    }
    // 6to4: the IPv4 address of the relay sits in bits 16..48.
    if in_v6(ip, [0x2002, 0, 0, 0, 0, 0, 0, 0], 16) {
        let embedded = Ipv4Addr::from((u128::from(ip) >> 80) as u32);
        return forbidden_v4(embedded);
    }
    const RANGES: &[([u16; 8], u32, &str)] = &[
        // AWS's IPv6 instance metadata address (inside unique-local).
        (
            [0xfd00, 0x0ec2, 0, 0, 0, 0, 0, 0x0254],
            128,
            "cloud metadata",
        ),
        // Local-use NAT64 (RFC 8215): where the IPv4 address sits depends on the
        // operator's prefix length, so it cannot be checked.
        ([0x64, 0xff9b, 1, 0, 0, 0, 0, 0], 48, "NAT64 (local use)"),
        ([0x0100, 0, 0, 0, 0, 0, 0, 0], 64, "discard-only"),
        ([0x2001, 0, 0, 0, 0, 0, 0, 0], 32, "Teredo"),
        ([0x2001, 0x0002, 0, 0, 0, 0, 0, 0], 48, "benchmarking"),
        ([0x2001, 0x0db8, 0, 0, 0, 0, 0, 0], 32, "documentation"),
        ([0x3fff, 0, 0, 0, 0, 0, 0, 0], 20, "documentation"),
        ([0xfc00, 0, 0, 0, 0, 0, 0, 0], 7, "unique-local"),
        ([0xfe80, 0, 0, 0, 0, 0, 0, 0], 10, "link-local"),
        ([0xfec0, 0, 0, 0, 0, 0, 0, 0], 10, "site-local"),
        ([0xff00, 0, 0, 0, 0, 0, 0, 0], 8, "multicast"),
    ];
    if let Some((_, _, reason)) = RANGES
        .iter()
        .find(|(net, prefix, _)| in_v6(ip, *net, *prefix))
    {
        return Some(reason);
    }
    // Only 2000::/3 is handed out as global unicast; everything else is reserved.
    if !in_v6(ip, [0x2000, 0, 0, 0, 0, 0, 0, 0], 3) {
        return Some("reserved");
    }
    None
}

/// A connection the policy does not allow, with what to do about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// The host as written in the URL (an IP literal is written as the address).
    pub host: String,
    /// The address that was refused.
    pub ip: IpAddr,
    /// Why, in a few words: "loopback", "private network", "cloud metadata", …
    pub reason: &'static str,
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "refused to connect to {} ({})", self.ip, self.reason)?;
        if !self.host.is_empty() && self.host != self.ip.to_string() {
            write!(f, " for host {}", self.host)?;
        }
        f.write_str("; add it to TOCSIN_ALLOW_PRIVATE to allow it")
    }
}

impl std::error::Error for Refusal {}

/// The operator's exceptions to the SSRF guard: networks and host names that may be
/// reached even though they are not public (a Gotify or ntfy on the LAN, a test receiver on
/// localhost). The default allows nothing beyond public addresses.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AddressPolicy {
    nets: Vec<IpNet>,
    /// Exact host names, lower case, without a trailing dot.
    names: Vec<String>,
    /// From `*.lan` entries: `.lan`, matching any name that ends with it.
    suffixes: Vec<String>,
}

impl AddressPolicy {
    /// Reads allow-list entries: CIDRs (`127.0.0.0/8`, `::1/128`), bare IP addresses
    /// (`192.168.1.5`, `::1`, `[::1]`), host names (`gotify.lan`) and wildcard names
    /// (`*.lan`, any name under `lan`). Blank entries are skipped.
    pub fn parse(entries: &[String]) -> Result<AddressPolicy, FieldError> {
        let mut policy = AddressPolicy::default();
        for entry in entries {
            let entry = entry.trim();
            if entry.is_empty() {
                continue;
            }
            policy.add(entry).map_err(|hint| {
                FieldError::new(
                    FIELD,
                    format!(
                        "'{entry}' is not a CIDR (10.0.0.0/8), an IP address (192.168.1.5) \
                         or a host name (gotify.lan, *.lan){hint}"
                    ),
                )
            })?;
        }
        Ok(policy)
    }

    /// Adds one trimmed, non-empty entry; on error returns a hint to append to the message.
    fn add(&mut self, entry: &str) -> Result<(), &'static str> {
        let unbracketed = entry
            .strip_prefix('[')
            .and_then(|e| e.strip_suffix(']'))
            .unwrap_or(entry);
        if let Ok(ip) = unbracketed.parse::<IpAddr>() {
            self.nets
                .push(canonical_net(IpNet::from(ip.to_canonical())));
            return Ok(());
        }
        if entry.contains('/') {
            if entry.contains("://") {
                return Err("; write the host name without a scheme or path");
            }
            let net: IpNet = entry.parse().map_err(|_| "")?;
            self.nets.push(canonical_net(net.trunc()));
            return Ok(());
        }
        if entry == "*" {
            return Err("; to allow every address list 0.0.0.0/0 and ::/0 explicitly");
        }
        match entry.strip_prefix("*.") {
            Some(rest) => {
                let name = host_name(rest).ok_or("")?;
                self.suffixes.push(format!(".{name}"));
            }
            None => {
                if entry.contains(':') {
                    return Err("; write the host name without a port");
                }
                let name = host_name(entry).ok_or("")?;
                self.names.push(name);
            }
        }
        Ok(())
    }

    /// Whether the host name (as written in the URL) is on the allow-list, exactly or
    /// under a wildcard. Case and a trailing dot do not matter.
    pub fn allows_host(&self, host: &str) -> bool {
        let host = host.trim_end_matches('.').to_ascii_lowercase();
        if host.is_empty() {
            return false;
        }
        self.names.contains(&host) || self.suffixes.iter().any(|s| host.ends_with(s.as_str()))
    }

    /// Whether `ip` falls inside an allowed network.
    pub fn allows_ip(&self, ip: IpAddr) -> bool {
        let canonical = ip.to_canonical();
        self.nets
            .iter()
            .any(|n| n.contains(&canonical) || n.contains(&ip))
    }

    /// May Tocsin connect to `ip`, reached through `host` (the host as written in the URL)?
    /// Yes when the address is public, inside an allowed network, or the host name is
    /// allowed.
    pub fn check(&self, host: &str, ip: IpAddr) -> Result<(), Refusal> {
        match forbidden_reason(ip) {
            None => Ok(()),
            Some(_) if self.allows_ip(ip) || self.allows_host(host) => Ok(()),
            Some(reason) => Err(Refusal {
                host: host.to_owned(),
                ip,
                reason,
            }),
        }
    }

    /// Whether plain HTTP (or plain SMTP) may be used to reach `host`, as written in the
    /// URL: an IP literal inside an allowed network, or an allowed host name. Everything
    /// else must use TLS.
    pub fn allows_plain_http(&self, host: &str) -> bool {
        let bare = host
            .strip_prefix('[')
            .and_then(|h| h.strip_suffix(']'))
            .unwrap_or(host);
        match bare.parse::<IpAddr>() {
            Ok(ip) => self.allows_ip(ip),
            Err(_) => self.allows_host(bare),
        }
    }

    /// True when the policy allows nothing beyond public addresses.
    pub fn is_empty(&self) -> bool {
        self.nets.is_empty() && self.names.is_empty() && self.suffixes.is_empty()
    }
}

/// An IPv6 network inside `::ffff:0:0/96` written as the IPv4 network it stands for, so it
/// matches the canonical addresses `check` compares against.
fn canonical_net(net: IpNet) -> IpNet {
    if let IpNet::V6(v6) = net
        && v6.prefix_len() >= 96
        && let IpAddr::V4(v4) = IpAddr::V6(v6.network()).to_canonical()
        && let Ok(v4net) = Ipv4Net::new(v4, v6.prefix_len() - 96)
    {
        return IpNet::V4(v4net);
    }
    net
}

/// A host name entry, normalised (lower case, IDNA, no trailing dot), or `None` when it is
/// not a plain DNS name.
fn host_name(entry: &str) -> Option<String> {
    let entry = entry.strip_suffix('.').unwrap_or(entry);
    if entry.is_empty() || entry.len() > 253 {
        return None;
    }
    let url::Host::Domain(name) = url::Host::parse(entry).ok()? else {
        return None;
    };
    let labels_ok = name.split('.').all(|label| {
        !label.is_empty()
            && label.len() <= 63
            && label
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    });
    labels_ok.then_some(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    fn policy(entries: &[&str]) -> AddressPolicy {
        let entries: Vec<String> = entries.iter().map(|e| e.to_string()).collect();
        AddressPolicy::parse(&entries).unwrap()
    }

    #[test]
    fn refuses_every_non_public_range_with_its_reason() {
        let cases: &[(&str, &str)] = &[
            // unspecified
            ("0.0.0.0", "unspecified"),
            ("0.1.2.3", "unspecified"),
            ("::", "unspecified"),
            // loopback
            ("127.0.0.1", "loopback"),
            ("127.255.255.254", "loopback"),
            ("::1", "loopback"),
            // private
            ("10.0.0.5", "private network"),
            ("10.255.255.255", "private network"),
            ("172.16.0.1", "private network"),
            ("172.31.255.255", "private network"),
            ("192.168.1.5", "private network"),
            // link-local and metadata
            ("169.254.0.1", "link-local"),
            ("169.254.169.253", "link-local"),
            ("169.254.169.254", "cloud metadata"),
            ("fe80::1", "link-local"),
            ("febf::1", "link-local"),
            ("fd00:ec2::254", "cloud metadata"),
            // CGNAT
            ("100.64.0.1", "shared address space (CGNAT)"),
            ("100.127.255.255", "shared address space (CGNAT)"),
            // unique-local and site-local
            ("fc00::1", "unique-local"),
            ("fdff:ffff::1", "unique-local"),
            ("fec0::1", "site-local"),
            // multicast, broadcast, reserved
            ("224.0.0.1", "multicast"),
            ("239.255.255.250", "multicast"),
            ("ff02::1", "multicast"),
            ("ff0e::1", "multicast"),
            ("255.255.255.255", "broadcast"),
            ("240.0.0.1", "reserved"),
            ("255.255.255.254", "reserved"),
            // documentation and benchmarking
            ("192.0.2.1", "documentation"),
            ("198.51.100.7", "documentation"),
            ("203.0.113.9", "documentation"),
            ("198.18.0.1", "benchmarking"),
            ("198.19.255.255", "benchmarking"),
            ("2001:db8::1", "documentation"),
            ("3fff::1", "documentation"),
            ("2001:2::1", "benchmarking"),
            ("192.0.0.8", "IETF protocol assignments"),
            // IPv6 forms that carry an IPv4 address
            ("::ffff:127.0.0.1", "loopback"),
            ("::ffff:7f00:1", "loopback"),
            ("::ffff:169.254.169.254", "cloud metadata"),
            ("::ffff:10.1.2.3", "private network"),
            ("::ffff:0.0.0.0", "unspecified"),
            ("::127.0.0.1", "loopback"),
            ("::10.0.0.1", "private network"),
            ("::8.8.8.8", "IPv4-compatible (deprecated)"),
            ("::ffff:0:169.254.169.254", "cloud metadata"),
            ("64:ff9b::127.0.0.1", "loopback"),
            ("64:ff9b::a9fe:a9fe", "cloud metadata"),
            ("64:ff9b::192.168.0.1", "private network"),
            ("64:ff9b:1::a00:1", "NAT64 (local use)"),
            ("2002:7f00:1::", "loopback"),
            ("2002:a9fe:a9fe::1", "cloud metadata"),
            ("2002:c0a8:101::", "private network"),
            ("2001::1", "Teredo"),
            ("2001:0:4136:e378:8000:63bf:3fff:fdd2", "Teredo"),
            // reserved IPv6 space outside 2000::/3
            ("100::1", "discard-only"),
            ("4000::1", "reserved"),
            ("e000::1", "reserved"),
        ];
        for (addr, reason) in cases {
            assert_eq!(
                forbidden_reason(ip(addr)),
                Some(*reason),
                "{addr} should be refused as {reason}"
            );
        }
    }

    #[test]
    fn allows_public_addresses() {
        for addr in [
            "1.1.1.1",
            "8.8.8.8",
            "93.184.216.34",
            "172.15.255.255",
            "172.32.0.0",
            "100.63.255.255",
            "100.128.0.0",
            "169.253.255.255",
            "169.255.0.0",
            "192.0.1.255",
            "192.0.3.0",
            "192.169.0.0",
            "198.17.255.255",
            "198.20.0.0",
            "223.255.255.255",
            "11.0.0.1",
            "126.255.255.255",
            "128.0.0.1",
            "2606:4700:4700::1111",
            "2a00:1450:4001:80b::200e",
            "2001:4860:4860::8888",
            "::ffff:8.8.8.8",
            "64:ff9b::8.8.8.8",
            "2002:808:808::1",
        ] {
            assert_eq!(forbidden_reason(ip(addr)), None, "{addr} should be public");
        }
    }

    #[test]
    fn default_policy_refuses_private_and_allows_public() {
        let p = AddressPolicy::default();
        assert!(p.is_empty());
        assert!(p.check("example.com", ip("93.184.216.34")).is_ok());
        assert!(p.check("example.com", ip("2606:4700:4700::1111")).is_ok());
        let refusal = p.check("example.com", ip("10.0.0.5")).unwrap_err();
        assert_eq!(refusal.reason, "private network");
        assert_eq!(refusal.ip, ip("10.0.0.5"));
        assert_eq!(refusal.host, "example.com");
        assert!(p.check("localhost", ip("127.0.0.1")).is_err());
        assert!(p.check("::ffff:127.0.0.1", ip("::ffff:127.0.0.1")).is_err());
    }

    #[test]
    fn refusal_says_what_to_do() {
        let r = Refusal {
            host: "example.com".into(),
            ip: ip("10.0.0.5"),
            reason: "private network",
        };
        assert_eq!(
            r.to_string(),
            "refused to connect to 10.0.0.5 (private network) for host example.com; \
             add it to TOCSIN_ALLOW_PRIVATE to allow it"
        );
        let literal = Refusal {
            host: "169.254.169.254".into(),
            ip: ip("169.254.169.254"),
            reason: "cloud metadata",
        };
        assert_eq!(
            literal.to_string(),
            "refused to connect to 169.254.169.254 (cloud metadata); \
             add it to TOCSIN_ALLOW_PRIVATE to allow it"
        );
    }

    #[test]
    fn allow_list_cidrs_and_ips_let_their_addresses_through() {
        let p = policy(&[
            "127.0.0.0/8",
            "::1/128",
            "192.168.1.5",
            "fd00::/8",
            "[fe80::1]",
        ]);
        let allowed = [
            "127.0.0.1",
            "127.8.9.10",
            "::ffff:127.0.0.1",
            "::1",
            "192.168.1.5",
            "::ffff:192.168.1.5",
            "fd12::1",
            "fe80::1",
        ];
        for addr in allowed {
            assert!(p.check("x.example", ip(addr)).is_ok(), "{addr} allowed");
        }
        let refused = [
            "192.168.1.6",
            "10.0.0.1",
            "169.254.169.254",
            "fc00::1",
            "fe80::2",
        ];
        for addr in refused {
            assert!(p.check("x.example", ip(addr)).is_err(), "{addr} refused");
        }
    }

    #[test]
    fn allow_list_cidr_with_host_bits_covers_its_network() {
        let p = policy(&["10.1.2.3/16"]);
        assert!(p.check("h", ip("10.1.200.1")).is_ok());
        assert!(p.check("h", ip("10.2.0.1")).is_err());
    }

    #[test]
    fn allow_list_mapped_entries_match_plain_ipv4() {
        let p = policy(&["::ffff:10.0.0.0/104", "::ffff:192.168.7.7"]);
        assert!(p.check("h", ip("10.9.9.9")).is_ok());
        assert!(p.check("h", ip("192.168.7.7")).is_ok());
        assert!(p.check("h", ip("11.0.0.1")).is_ok()); // public anyway
        assert!(p.check("h", ip("192.168.7.8")).is_err());
    }

    #[test]
    fn allow_list_host_names_are_exact_and_case_insensitive() {
        let p = policy(&["Gotify.LAN", "localhost"]);
        assert!(p.allows_host("gotify.lan"));
        assert!(p.allows_host("GOTIFY.lan."));
        assert!(p.allows_host("localhost"));
        assert!(!p.allows_host("other.lan"));
        assert!(!p.allows_host("x.gotify.lan"));
        assert!(!p.allows_host("gotify.lan.evil.example"));
        assert!(p.check("gotify.lan", ip("192.168.1.20")).is_ok());
        assert!(p.check("localhost", ip("127.0.0.1")).is_ok());
        assert!(p.check("other.lan", ip("192.168.1.20")).is_err());
    }

    #[test]
    fn allow_list_wildcards_match_subdomains_only() {
        let p = policy(&["*.lan"]);
        assert!(p.allows_host("gotify.lan"));
        assert!(p.allows_host("a.b.lan"));
        assert!(p.allows_host("NTFY.Lan"));
        assert!(!p.allows_host("lan"));
        assert!(!p.allows_host("evillan"));
        assert!(!p.allows_host("gotify.lan.example.com"));
        assert!(p.check("ntfy.lan", ip("10.0.0.7")).is_ok());
        assert!(p.check("ntfy.example", ip("10.0.0.7")).is_err());
    }

    #[test]
    fn allowing_a_name_does_not_allow_its_address_for_other_names() {
        let p = policy(&["gotify.lan"]);
        assert!(p.check("gotify.lan", ip("10.0.0.2")).is_ok());
        assert!(p.check("10.0.0.2", ip("10.0.0.2")).is_err());
        assert!(p.check("evil.example", ip("10.0.0.2")).is_err());
    }

    #[test]
    fn plain_http_only_to_allowed_hosts_and_networks() {
        let p = policy(&["127.0.0.0/8", "gotify.lan", "[::1]"]);
        assert!(p.allows_plain_http("127.0.0.1"));
        assert!(p.allows_plain_http("[::1]"));
        assert!(p.allows_plain_http("GOTIFY.lan"));
        assert!(!p.allows_plain_http("localhost"));
        assert!(!p.allows_plain_http("93.184.216.34"));
        assert!(!p.allows_plain_http("hooks.example.com"));
        assert!(!AddressPolicy::default().allows_plain_http("127.0.0.1"));
    }

    #[test]
    fn blank_entries_are_skipped() {
        let p = policy(&["", "  ", " 127.0.0.1 "]);
        assert!(p.check("h", ip("127.0.0.1")).is_ok());
    }

    #[test]
    fn bad_entries_are_named_in_the_error() {
        for bad in [
            "10.0.0.0/33",
            "not a host",
            "http://gotify.lan/",
            "gotify.lan:8080",
            "*",
            "*.",
            "a.*.lan",
            "::1/200",
            "[::1",
            "exa_mple..lan",
            "host/24",
        ] {
            let entries = vec![bad.to_string()];
            let err = AddressPolicy::parse(&entries).unwrap_err();
            assert_eq!(err.field, "allow_private");
            assert!(err.message.contains(bad), "{bad}: {}", err.message);
        }
    }
}
