//! Stay inside: which addresses the crawler may connect to (issue 15 item 7).
//!
//! A host the config names (a configured site's host) may be anything, loopback and
//! private networks included: the simulator, tests and intranet deployments name such
//! hosts on purpose. Every other host (a discovered subsite, a redirect target, an
//! external link to be checked) must resolve to public addresses only: never loopback,
//! private, link-local, CGNAT, multicast or reserved ones, so a page cannot steer the
//! crawler into the network it runs in.
//!
//! The decision is made where names become addresses: [`GuardedResolver`] is the HTTP
//! client's DNS resolver (so the checked address is the one connected to, with no second
//! lookup to race), and [`AddressPolicy::literal_refused`] covers IP-literal URLs, which
//! skip DNS. Lookups go through [`Lookup`], which tests replace with a stub.

use std::collections::HashSet;
use std::fmt;
use std::future::Future;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::pin::Pin;
use std::sync::Arc;

use url::{Host, Url};

/// Whether `ip` is a public unicast address.
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => is_public_v4(v4),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => is_public_v4(v4),
            None => is_public_v6(v6),
        },
    }
}

fn is_public_v4(ip: Ipv4Addr) -> bool {
    let [a, b, c, _] = ip.octets();
    !(ip.is_unspecified()
        || ip.is_loopback()
        || ip.is_private()
        || ip.is_link_local()
        || ip.is_broadcast()
        || ip.is_documentation()
        || ip.is_multicast()
        || a == 0
        // 100.64.0.0/10 shared address space (CGNAT)
        || (a == 100 && (64..=127).contains(&b))
        // 192.0.0.0/24 IETF protocol assignments
        || (a == 192 && b == 0 && c == 0)
        // 198.18.0.0/15 benchmarking
        || (a == 198 && (b == 18 || b == 19))
        // 240.0.0.0/4 reserved
        || a >= 240)
}

fn is_public_v6(ip: Ipv6Addr) -> bool {
    let first = ip.segments()[0];
    !(ip.is_unspecified()
        || ip.is_loopback()
        || ip.is_multicast()
        // fc00::/7 unique local
        || (first & 0xfe00) == 0xfc00
        // fe80::/10 link-local
        || (first & 0xffc0) == 0xfe80
        // 2001:db8::/32 documentation
        || (first == 0x2001 && ip.segments()[1] == 0x0db8)
        // ::ffff:0:0/96 handled by the caller; 64:ff9b::/96 NAT64 may embed anything
        || first == 0x0064)
}

/// The hosts that may have non-public addresses: those the config names.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AddressPolicy {
    named: HashSet<String>,
}

impl AddressPolicy {
    /// A policy allowing non-public addresses for `hosts` (host names or IP literals as
    /// in URLs, any case; ports do not matter).
    pub fn new<I, S>(hosts: I) -> AddressPolicy
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        AddressPolicy {
            named: hosts.into_iter().map(|h| normalise(h.as_ref())).collect(),
        }
    }

    /// Whether a connection to `ip` for `host` is allowed.
    pub fn permits(&self, host: &str, ip: IpAddr) -> bool {
        is_public(ip) || self.named.contains(&normalise(host))
    }

    /// For an IP-literal URL, whether its address is refused; `None` for a URL whose host
    /// is a name (the resolver decides) or that has no host.
    pub fn literal_refused(&self, url: &Url) -> Option<NonPublicAddress> {
        let ip = match url.host()? {
            Host::Ipv4(v4) => IpAddr::V4(v4),
            Host::Ipv6(v6) => IpAddr::V6(v6),
            Host::Domain(_) => return None,
        };
        let host = url.host_str().unwrap_or_default();
        (!self.permits(host, ip)).then(|| NonPublicAddress {
            host: host.to_string(),
            addrs: vec![ip],
        })
    }
}

fn normalise(host: &str) -> String {
    host.trim_start_matches('[')
        .trim_end_matches(']')
        .trim_end_matches('.')
        .to_ascii_lowercase()
}

/// A host that resolves only to addresses the crawler may not connect to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NonPublicAddress {
    /// The host asked for.
    pub host: String,
    /// What it resolved to.
    pub addrs: Vec<IpAddr>,
}

impl fmt::Display for NonPublicAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let addrs: Vec<String> = self.addrs.iter().map(IpAddr::to_string).collect();
        write!(
            f,
            "{} resolves only to non-public addresses ({}); not fetched: only hosts named in the config may be on loopback or private networks",
            self.host,
            addrs.join(", ")
        )
    }
}

impl std::error::Error for NonPublicAddress {}

/// Turns a host name into addresses (the system resolver, or a stub in tests).
pub trait Lookup: Send + Sync {
    /// The addresses of `host`.
    fn lookup(&self, host: &str) -> LookupFuture;
}

/// What [`Lookup::lookup`] returns.
pub type LookupFuture = Pin<Box<dyn Future<Output = std::io::Result<Vec<IpAddr>>> + Send>>;

/// The system resolver (getaddrinfo on a blocking thread).
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemLookup;

impl Lookup for SystemLookup {
    fn lookup(&self, host: &str) -> LookupFuture {
        let host = host.to_string();
        Box::pin(async move {
            let addrs = tokio::net::lookup_host((host.as_str(), 0)).await?;
            Ok(addrs.map(|a| a.ip()).collect())
        })
    }
}

/// The HTTP client's DNS resolver: looks names up and keeps only the addresses the
/// policy permits; a name left with none fails with [`NonPublicAddress`].
#[derive(Clone)]
pub struct GuardedResolver {
    lookup: Arc<dyn Lookup>,
    policy: Arc<AddressPolicy>,
}

impl fmt::Debug for GuardedResolver {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("GuardedResolver")
            .field("policy", &self.policy)
            .finish_non_exhaustive()
    }
}

impl GuardedResolver {
    /// A resolver using `lookup` under `policy`.
    pub fn new(lookup: Arc<dyn Lookup>, policy: AddressPolicy) -> GuardedResolver {
        GuardedResolver {
            lookup,
            policy: Arc::new(policy),
        }
    }

    /// The policy in force.
    pub fn policy(&self) -> &AddressPolicy {
        &self.policy
    }

    /// The permitted addresses of `host`.
    pub async fn permitted(
        &self,
        host: &str,
    ) -> Result<Vec<IpAddr>, Box<dyn std::error::Error + Send + Sync>> {
        let all = self.lookup.lookup(host).await?;
        let ok: Vec<IpAddr> = all
            .iter()
            .copied()
            .filter(|ip| self.policy.permits(host, *ip))
            .collect();
        if ok.is_empty() && !all.is_empty() {
            return Err(Box::new(NonPublicAddress {
                host: host.to_string(),
                addrs: all,
            }));
        }
        Ok(ok)
    }

    /// Why `url` may not be fetched because of where it points, if so: an IP literal the
    /// policy refuses, or a name resolving only to such addresses. A name that does not
    /// resolve is not refused here (the fetch reports it as a DNS failure).
    pub async fn refusal(&self, url: &Url) -> Option<NonPublicAddress> {
        if let Some(refused) = self.policy.literal_refused(url) {
            return Some(refused);
        }
        let Some(Host::Domain(name)) = url.host() else {
            return None;
        };
        match self.permitted(name).await {
            Err(e) => e.downcast_ref::<NonPublicAddress>().cloned(),
            Ok(_) => None,
        }
    }
}

impl reqwest::dns::Resolve for GuardedResolver {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let this = self.clone();
        let host = name.as_str().to_string();
        Box::pin(async move {
            let ips = this.permitted(&host).await?;
            let addrs: reqwest::dns::Addrs =
                Box::new(ips.into_iter().map(|ip| SocketAddr::new(ip, 0)));
            Ok(addrs)
        })
    }
}

/// Whether a client error was this module refusing an address.
pub fn refused_in(err: &(dyn std::error::Error + 'static)) -> Option<NonPublicAddress> {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(err);
    while let Some(e) = source {
        if let Some(found) = e.downcast_ref::<NonPublicAddress>() {
            return Some(found.clone());
        }
        source = e.source();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().expect("ip")
    }

    #[test]
    fn public_and_non_public_addresses() {
        for public in ["1.2.3.4", "202.108.22.5", "8.8.8.8", "2400:da00::6666"] {
            assert!(is_public(ip(public)), "{public}");
        }
        for inside in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "172.31.255.255",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "255.255.255.255",
            "224.0.0.1",
            "198.18.0.1",
            "::1",
            "::",
            "fe80::1",
            "fd00::1",
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
            "2001:db8::1",
        ] {
            assert!(!is_public(ip(inside)), "{inside}");
        }
    }

    #[test]
    fn named_hosts_may_be_private_and_others_may_not() {
        let p = AddressPolicy::new(["127.0.0.1", "Intranet.Gov.CN"]);
        assert!(p.permits("127.0.0.1", ip("127.0.0.1")));
        assert!(p.permits("intranet.gov.cn", ip("10.0.0.8")));
        assert!(!p.permits("www.other.gov.cn", ip("10.0.0.8")));
        assert!(p.permits("www.other.gov.cn", ip("1.2.3.4")));
        let url = |s: &str| Url::parse(s).expect("url");
        // Same named host on another port: still named.
        assert_eq!(p.literal_refused(&url("http://127.0.0.1:18081/")), None);
        assert!(p.literal_refused(&url("http://192.168.0.1/")).is_some());
        assert!(p.literal_refused(&url("http://[::1]:8080/")).is_some());
        assert_eq!(p.literal_refused(&url("http://www.a.gov.cn/")), None);
    }
}
