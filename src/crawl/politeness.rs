//! Host politeness: the named concurrency limits and the per-host delay.
//!
//! Owns, as held permits and timers:
//! - `global_concurrency`: requests in flight over the whole run (one semaphore);
//! - `per_host_concurrency`: requests in flight per host (one semaphore per host);
//! - the per-host delay between two request *starts* (`delay_ms`, raised to the host's
//!   robots.txt Crawl-delay when that is larger).
//!
//! It does no HTTP and knows nothing about pages. Order of acquisition, chosen so that a
//! host sleeping out its delay never holds a global slot: host permit → host start lock →
//! sleep until the last start plus the delay → global permit → record the start → release the lock.

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::{AcquireError, OwnedSemaphorePermit, Semaphore};
use tokio::time::Instant;
use url::Url;

/// A host as politeness and robots.txt see it: lower-cased host name and port.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct HostKey {
    /// Lower-cased host name or IP literal.
    pub host: String,
    /// The port, explicit or the scheme's default.
    pub port: u16,
}

impl HostKey {
    /// The host of `url`, or `None` for URLs without a host or known port.
    pub fn of(url: &Url) -> Option<HostKey> {
        Some(HostKey {
            host: url.host_str()?.to_ascii_lowercase(),
            port: url.port_or_known_default()?,
        })
    }
}

impl fmt::Display for HostKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.host, self.port)
    }
}

/// The permits that let one request run; dropping it frees both slots.
#[derive(Debug)]
pub struct RequestPermit {
    _host: OwnedSemaphorePermit,
    _global: OwnedSemaphorePermit,
}

#[derive(Debug)]
struct HostState {
    permits: Arc<Semaphore>,
    /// When the last request started; the lock serialises starts. The next may start at
    /// `last_start + delay`, with the delay read at that moment, so a Crawl-delay learnt
    /// from robots.txt also spaces the first page after the robots.txt request.
    last_start: tokio::sync::Mutex<Option<Instant>>,
    /// The delay between starts for this host.
    delay: Mutex<Duration>,
}

/// The limits of one run, shared by every request.
#[derive(Debug)]
pub struct Politeness {
    global: Arc<Semaphore>,
    per_host: usize,
    default_delay: Duration,
    hosts: Mutex<HashMap<HostKey, Arc<HostState>>>,
}

impl Politeness {
    /// Limits with `global` requests in flight overall, `per_host` per host (both at
    /// least 1) and `delay` between two starts on one host.
    pub fn new(global: usize, per_host: usize, delay: Duration) -> Politeness {
        Politeness {
            global: Arc::new(Semaphore::new(global.max(1))),
            per_host: per_host.max(1),
            default_delay: delay,
            hosts: Mutex::new(HashMap::new()),
        }
    }

    fn host(&self, key: &HostKey) -> Arc<HostState> {
        let mut hosts = self.hosts.lock().unwrap_or_else(|p| p.into_inner());
        hosts
            .entry(key.clone())
            .or_insert_with(|| {
                Arc::new(HostState {
                    permits: Arc::new(Semaphore::new(self.per_host)),
                    last_start: tokio::sync::Mutex::new(None),
                    delay: Mutex::new(self.default_delay),
                })
            })
            .clone()
    }

    /// Raises the host's delay to `delay` when that is larger (a robots.txt Crawl-delay).
    pub fn raise_delay(&self, key: &HostKey, delay: Duration) {
        let state = self.host(key);
        let mut current = state.delay.lock().unwrap_or_else(|p| p.into_inner());
        if delay > *current {
            *current = delay;
        }
    }

    /// The delay currently in force for `key`.
    pub fn delay(&self, key: &HostKey) -> Duration {
        let state = self.host(key);
        let delay = state.delay.lock().unwrap_or_else(|p| p.into_inner());
        *delay
    }

    /// Waits until a request to `key` may start and returns the permits it must hold
    /// until its response body is read. Fails only if the limits were closed, which this
    /// type never does.
    pub async fn acquire(&self, key: &HostKey) -> Result<RequestPermit, AcquireError> {
        let state = self.host(key);
        let host_permit = state.permits.clone().acquire_owned().await?;
        let mut last = state.last_start.lock().await;
        if let Some(at) = *last {
            let delay = *state.delay.lock().unwrap_or_else(|p| p.into_inner());
            tokio::time::sleep_until(at + delay).await;
        }
        let global_permit = self.global.clone().acquire_owned().await?;
        *last = Some(Instant::now());
        drop(last);
        Ok(RequestPermit {
            _host: host_permit,
            _global: global_permit,
        })
    }
}

/// `items` reordered so that hosts take turns: the first item of each host (hosts in the
/// order they first appear), then the second of each, and so on; items without a host
/// form one group of their own. Work started in this order keeps as many hosts busy as the
/// run's concurrency allows. In the configured order (a district's sites one after
/// another, most of them on one host) every task started would wait on that one host's
/// politeness limit while the other hosts stayed idle, and a province would be assessed
/// one host at a time.
pub fn hosts_in_turn<T>(
    items: impl IntoIterator<Item = T>,
    url_of: impl Fn(&T) -> Option<Url>,
) -> Vec<T> {
    let mut group: HashMap<Option<HostKey>, usize> = HashMap::new();
    let mut queues: Vec<std::collections::VecDeque<T>> = Vec::new();
    for item in items {
        let host = url_of(&item).and_then(|u| HostKey::of(&u));
        let i = *group.entry(host).or_insert_with(|| {
            queues.push(Default::default());
            queues.len() - 1
        });
        queues[i].push_back(item);
    }
    let mut out = Vec::with_capacity(queues.iter().map(|q| q.len()).sum());
    while !queues.is_empty() {
        queues.retain_mut(|q| {
            out.extend(q.pop_front());
            !q.is_empty()
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_take_turns_in_the_order_they_first_appear() {
        let urls = [
            "http://a.gov.cn/1",
            "http://a.gov.cn/2",
            "http://a.gov.cn/3",
            "not a url",
            "http://b.gov.cn/1",
            "http://a.gov.cn:8080/1",
            "http://B.gov.cn:80/2",
            "also not a url",
        ];
        let order = hosts_in_turn(urls, |u| Url::parse(u).ok());
        assert_eq!(
            order,
            [
                "http://a.gov.cn/1",
                "not a url",
                "http://b.gov.cn/1",
                "http://a.gov.cn:8080/1",
                "http://a.gov.cn/2",
                "also not a url",
                "http://B.gov.cn:80/2",
                "http://a.gov.cn/3",
            ]
        );
        assert!(hosts_in_turn(Vec::<&str>::new(), |u| Url::parse(u).ok()).is_empty());
    }

    fn key(s: &str) -> HostKey {
        HostKey::of(&Url::parse(s).expect("url")).expect("host")
    }

    #[test]
    fn host_key_uses_default_ports_and_lowercase() {
        assert_eq!(
            key("http://WWW.A.gov.cn/x"),
            key("http://www.a.gov.cn:80/y")
        );
        assert_ne!(key("http://a.gov.cn/"), key("https://a.gov.cn/"));
    }

    #[tokio::test]
    async fn starts_on_one_host_are_spaced_by_the_delay() {
        let p = Politeness::new(4, 4, Duration::from_millis(300));
        let k = key("http://a.gov.cn/");
        let t0 = Instant::now();
        let a = p.acquire(&k).await.expect("permit");
        let t1 = Instant::now();
        let b = p.acquire(&k).await.expect("permit");
        let t2 = Instant::now();
        assert!(t1 - t0 < Duration::from_millis(300));
        assert!(t2 - t1 >= Duration::from_millis(300));
        drop((a, b));
    }

    #[tokio::test]
    async fn raised_delay_applies_and_never_lowers() {
        let p = Politeness::new(4, 4, Duration::from_millis(100));
        let k = key("http://a.gov.cn/");
        p.raise_delay(&k, Duration::from_secs(2));
        p.raise_delay(&k, Duration::from_millis(50));
        assert_eq!(p.delay(&k), Duration::from_secs(2));
    }

    #[tokio::test]
    async fn delay_raised_after_a_start_spaces_the_next_start() {
        let p = Politeness::new(4, 4, Duration::ZERO);
        let k = key("http://a.gov.cn/");
        let t0 = Instant::now();
        drop(p.acquire(&k).await.expect("permit"));
        p.raise_delay(&k, Duration::from_millis(300));
        drop(p.acquire(&k).await.expect("permit"));
        assert!(Instant::now() - t0 >= Duration::from_millis(300));
    }

    #[tokio::test]
    async fn per_host_permits_are_held_until_dropped() {
        let p = Arc::new(Politeness::new(8, 1, Duration::ZERO));
        let k = key("http://a.gov.cn/");
        let first = p.acquire(&k).await.expect("permit");
        let p2 = p.clone();
        let k2 = k.clone();
        let second = tokio::spawn(async move { p2.acquire(&k2).await.is_ok() });
        tokio::time::sleep(Duration::from_millis(50)).await;
        assert!(!second.is_finished());
        drop(first);
        let got = tokio::time::timeout(Duration::from_secs(2), second).await;
        assert!(got.is_ok());
    }
}
