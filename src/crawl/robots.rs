//! robots.txt policy per host (crates.md R7).
//!
//! Owns turning one robots.txt response into a [`RobotsPolicy`] (allow/disallow for our
//! User-Agent token, Crawl-delay) and the per-host cache that makes sure robots.txt is
//! fetched once per host even when many requests race for it. It does no HTTP itself:
//! the fetcher fetches robots.txt with the same User-Agent and politeness as any page and
//! hands the result here.
//!
//! Policy (RFC 9309 §2.3.1): 2xx → parse; 4xx ("unavailable") → allow all; 5xx
//! ("unreachable") → disallow all for that host this run, with a note: the site is then
//! not assessable ("robots.txt 无法读取"), never read as empty. The fetcher leaves walls
//! and `Retry-After` throttling on robots.txt to the page fetch (which names them), and
//! allows all on network errors and unparsable files, with a note.
//!
//! Caching between runs (RFC 9309 §2.4): a robots.txt read (2xx or 4xx) is stored with its
//! validators and a lifetime — `Cache-Control: max-age` or `Expires` when the server sends
//! them (`no-store`: not stored; `no-cache`: asked again every run), else 24 hours, never
//! more than [`MAX_ROBOTS_LIFETIME`]. Within its lifetime a later run uses it without a
//! request; after it, robots.txt is asked again, conditionally when it had validators (a
//! 304 renews it). A server error or a network failure is never stored.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, Utc};

use texting_robots::Robot;
use tokio::sync::OnceCell;

use super::politeness::HostKey;

/// The most we let a robots.txt Crawl-delay slow one host down.
pub const MAX_CRAWL_DELAY: Duration = Duration::from_secs(60);

/// The robots.txt rules in force for one host.
#[derive(Debug)]
pub struct RobotsPolicy {
    robot: Option<Robot>,
    crawl_delay: Option<Duration>,
    note: Option<String>,
    /// robots.txt answered a server error: nothing may be fetched from the host.
    unreadable: bool,
}

impl RobotsPolicy {
    /// A policy that allows everything, with an optional note on why.
    pub fn allow_all(note: Option<String>) -> RobotsPolicy {
        RobotsPolicy {
            robot: None,
            crawl_delay: None,
            note,
            unreadable: false,
        }
    }

    /// A policy that disallows everything because robots.txt could not be read, with why.
    pub fn unreadable(note: String) -> RobotsPolicy {
        RobotsPolicy {
            robot: None,
            crawl_delay: None,
            note: Some(note),
            unreadable: true,
        }
    }

    /// True when robots.txt answered a server error and the host is off limits this run.
    pub fn is_unreadable(&self) -> bool {
        self.unreadable
    }

    /// The policy for a robots.txt answered with `status` and `body`, read for the
    /// User-Agent product token `agent` (e.g. `govscore`).
    pub fn from_response(agent: &str, status: u16, body: &[u8]) -> RobotsPolicy {
        match status {
            200..=299 => match Robot::new(agent, body) {
                Ok(robot) => {
                    let crawl_delay = robot
                        .delay
                        .filter(|d| d.is_finite() && *d > 0.0)
                        .map(|d| Duration::from_secs_f32(d).min(MAX_CRAWL_DELAY));
                    RobotsPolicy {
                        robot: Some(robot),
                        crawl_delay,
                        note: None,
                        unreadable: false,
                    }
                }
                Err(e) => RobotsPolicy::allow_all(Some(format!(
                    "robots.txt 无法解析，按允许抓取处理: {e}"
                ))),
            },
            404 | 410 => RobotsPolicy::allow_all(None),
            500..=599 => RobotsPolicy::unreadable(format!(
                "robots.txt 无法读取(HTTP {status})，按 RFC 9309 本次不抓取该站"
            )),
            other => RobotsPolicy::allow_all(Some(format!(
                "robots.txt 返回 HTTP {other}，按允许抓取处理"
            ))),
        }
    }

    /// Whether `url` (absolute) may be fetched.
    pub fn allowed(&self, url: &url::Url) -> bool {
        if self.unreadable {
            return false;
        }
        match &self.robot {
            Some(robot) => robot.allowed(url.as_str()),
            None => true,
        }
    }

    /// The Crawl-delay for our agent, capped at [`MAX_CRAWL_DELAY`].
    pub fn crawl_delay(&self) -> Option<Duration> {
        self.crawl_delay
    }

    /// Why the policy is "allow all" despite a robots.txt problem, if it is.
    pub fn note(&self) -> Option<&str> {
        self.note.as_deref()
    }
}

/// How long a robots.txt is used without asking, when its response says nothing (RFC 9309
/// §2.4: "SHOULD NOT use the cached version for more than 24 hours").
pub const DEFAULT_ROBOTS_LIFETIME: Duration = Duration::from_secs(24 * 3600);

/// The longest lifetime given to a stored robots.txt, whatever its cache headers say.
pub const MAX_ROBOTS_LIFETIME: Duration = Duration::from_secs(7 * 24 * 3600);

/// A robots.txt as stored between runs, for its host.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredRobots {
    /// `host:port`.
    pub host: String,
    /// The final status (2xx or 4xx).
    pub status: u16,
    /// The body (at most the fetcher's robots.txt cap).
    pub body: Vec<u8>,
    /// ETag.
    pub etag: Option<String>,
    /// Last-Modified.
    pub last_modified: Option<String>,
    /// When it was last read or confirmed unchanged (304).
    pub fetched_at: DateTime<Utc>,
    /// Until when it is used without asking.
    pub expires_at: DateTime<Utc>,
}

impl StoredRobots {
    /// Whether it may be used at `now` without a request.
    pub fn fresh(&self, now: DateTime<Utc>) -> bool {
        self.fetched_at <= now && now < self.expires_at
    }

    /// Whether it can be asked conditionally.
    pub fn has_validators(&self) -> bool {
        self.etag.is_some() || self.last_modified.is_some()
    }

    /// The policy it says.
    pub fn policy(&self, agent: &str) -> RobotsPolicy {
        RobotsPolicy::from_response(agent, self.status, &self.body)
    }
}

/// The lifetime a robots.txt response's `Cache-Control` / `Expires` headers give it at
/// `now`: `None` when it must not be stored (`no-store`), zero when it must be asked again
/// each time (`no-cache`, `max-age=0`, an `Expires` in the past), else the header's (at
/// most [`MAX_ROBOTS_LIFETIME`]) or [`DEFAULT_ROBOTS_LIFETIME`].
pub fn robots_lifetime(
    cache_control: Option<&str>,
    expires: Option<&str>,
    now: DateTime<Utc>,
) -> Option<Duration> {
    let mut max_age: Option<u64> = None;
    for directive in cache_control.unwrap_or("").split(',') {
        let d = directive.trim().to_ascii_lowercase();
        if d == "no-store" {
            return None;
        }
        if d == "no-cache" {
            return Some(Duration::ZERO);
        }
        if let Some(v) = d.strip_prefix("max-age=") {
            max_age = v.trim_matches('"').parse().ok().or(Some(0));
        }
    }
    let lifetime = match (max_age, expires) {
        (Some(secs), _) => Duration::from_secs(secs),
        (None, Some(e)) => match DateTime::parse_from_rfc2822(e.trim()) {
            Ok(at) => (at.with_timezone(&Utc) - now)
                .to_std()
                .unwrap_or(Duration::ZERO),
            // An invalid Expires means "already expired" (RFC 9111 §5.3).
            Err(_) => Duration::ZERO,
        },
        (None, None) => DEFAULT_ROBOTS_LIFETIME,
    };
    Some(lifetime.min(MAX_ROBOTS_LIFETIME))
}

/// One [`RobotsPolicy`] per host, each computed at most once; with what earlier runs
/// stored, and what this run read, for the next.
#[derive(Debug, Default)]
pub struct RobotsCache {
    hosts: Mutex<HashMap<HostKey, Arc<OnceCell<Arc<RobotsPolicy>>>>>,
    /// What earlier runs stored, by `host:port`.
    stored: Mutex<HashMap<String, StoredRobots>>,
    /// Read or renewed in this run, by `host:port`.
    updates: Mutex<HashMap<String, StoredRobots>>,
}

impl RobotsCache {
    /// An empty cache.
    pub fn new() -> RobotsCache {
        RobotsCache::default()
    }

    /// The policy for `host`, running `load` only the first time (concurrent callers for
    /// the same host wait for that one load).
    pub async fn get_or_load<F, Fut>(&self, host: &HostKey, load: F) -> Arc<RobotsPolicy>
    where
        F: FnOnce() -> Fut,
        Fut: std::future::Future<Output = RobotsPolicy>,
    {
        let cell = {
            let mut hosts = self.hosts.lock().unwrap_or_else(|p| p.into_inner());
            hosts.entry(host.clone()).or_default().clone()
        };
        cell.get_or_init(|| async { Arc::new(load().await) })
            .await
            .clone()
    }

    /// Adds what earlier runs stored (before the first request of the run).
    pub fn restore(&self, stored: Vec<StoredRobots>) {
        let mut map = self.stored.lock().unwrap_or_else(|p| p.into_inner());
        map.extend(stored.into_iter().map(|r| (r.host.clone(), r)));
    }

    /// What an earlier run stored for `host`.
    pub fn stored(&self, host: &HostKey) -> Option<StoredRobots> {
        let map = self.stored.lock().unwrap_or_else(|p| p.into_inner());
        map.get(&host.to_string()).cloned()
    }

    /// Records a robots.txt read or renewed in this run.
    pub fn record(&self, robots: StoredRobots) {
        let mut map = self.updates.lock().unwrap_or_else(|p| p.into_inner());
        map.insert(robots.host.clone(), robots);
    }

    /// The robots.txt read or renewed in this run, to store.
    pub fn updates(&self) -> Vec<StoredRobots> {
        let map = self.updates.lock().unwrap_or_else(|p| p.into_inner());
        let mut out: Vec<StoredRobots> = map.values().cloned().collect();
        out.sort_by(|a, b| a.host.cmp(&b.host));
        out
    }

    /// Notes recorded for hosts whose robots.txt could not be read or parsed.
    pub fn notes(&self) -> Vec<(HostKey, String)> {
        let hosts = self.hosts.lock().unwrap_or_else(|p| p.into_inner());
        let mut notes: Vec<(HostKey, String)> = hosts
            .iter()
            .filter_map(|(host, cell)| {
                let note = cell.get()?.note()?.to_string();
                Some((host.clone(), note))
            })
            .collect();
        notes.sort();
        notes
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use url::Url;

    fn url(s: &str) -> Url {
        Url::parse(s).expect("test url")
    }

    #[test]
    fn disallow_for_star_applies_to_us() {
        let p = RobotsPolicy::from_response(
            "govscore",
            200,
            b"User-agent: *\nDisallow: /private/\nCrawl-delay: 2\n",
        );
        assert!(!p.allowed(&url("http://a.gov.cn/private/x.html")));
        assert!(p.allowed(&url("http://a.gov.cn/zwgk/")));
        assert_eq!(p.crawl_delay(), Some(Duration::from_secs(2)));
        assert!(p.note().is_none());
    }

    #[test]
    fn crawl_delay_is_capped() {
        let p = RobotsPolicy::from_response("govscore", 200, b"User-agent: *\nCrawl-delay: 3600\n");
        assert_eq!(p.crawl_delay(), Some(MAX_CRAWL_DELAY));
    }

    #[test]
    fn missing_robots_allows_all_without_note() {
        let p = RobotsPolicy::from_response("govscore", 404, b"");
        assert!(p.allowed(&url("http://a.gov.cn/private/")));
        assert!(p.note().is_none());
    }

    #[test]
    fn server_error_disallows_all_with_note() {
        let p = RobotsPolicy::from_response("govscore", 500, b"");
        assert!(!p.allowed(&url("http://a.gov.cn/")));
        assert!(p.is_unreadable());
        assert!(p.note().is_some_and(|n| n.contains("500")));
    }

    #[test]
    fn client_errors_allow_all() {
        for status in [401, 403, 404, 410, 429] {
            let p = RobotsPolicy::from_response("govscore", status, b"");
            assert!(p.allowed(&url("http://a.gov.cn/private/")), "{status}");
            assert!(!p.is_unreadable());
        }
    }

    #[test]
    fn robots_lifetime_follows_the_cache_headers_within_bounds() {
        let now = DateTime::parse_from_rfc3339("2023-03-15T08:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let h = |cc: Option<&str>, ex: Option<&str>| robots_lifetime(cc, ex, now);
        assert_eq!(h(None, None), Some(DEFAULT_ROBOTS_LIFETIME));
        assert_eq!(
            h(Some("public, max-age=3600"), None),
            Some(Duration::from_secs(3600))
        );
        assert_eq!(h(Some("max-age=31536000"), None), Some(MAX_ROBOTS_LIFETIME));
        assert_eq!(h(Some("no-cache"), None), Some(Duration::ZERO));
        assert_eq!(h(Some("private, no-store"), None), None);
        // max-age wins over Expires; Expires alone counts from now.
        assert_eq!(
            h(Some("max-age=60"), Some("Wed, 15 Mar 2023 20:00:00 GMT")),
            Some(Duration::from_secs(60))
        );
        assert_eq!(
            h(None, Some("Wed, 15 Mar 2023 20:00:00 GMT")),
            Some(Duration::from_secs(12 * 3600))
        );
        assert_eq!(
            h(None, Some("Tue, 14 Mar 2023 20:00:00 GMT")),
            Some(Duration::ZERO)
        );
        assert_eq!(h(None, Some("0")), Some(Duration::ZERO));
    }

    #[test]
    fn a_stored_robots_txt_is_fresh_only_within_its_lifetime() {
        let at = |s: &str| DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc);
        let stored = StoredRobots {
            host: "a.gov.cn:80".into(),
            status: 200,
            body: b"User-agent: *\nDisallow: /private/\n".to_vec(),
            etag: None,
            last_modified: Some("Wed, 01 Mar 2023 00:00:00 GMT".into()),
            fetched_at: at("2023-03-15T08:00:00Z"),
            expires_at: at("2023-03-16T08:00:00Z"),
        };
        assert!(stored.fresh(at("2023-03-15T20:00:00Z")));
        assert!(!stored.fresh(at("2023-03-16T08:00:00Z")));
        // A clock set back before the read: not trusted.
        assert!(!stored.fresh(at("2023-03-14T08:00:00Z")));
        assert!(stored.has_validators());
        assert!(
            !stored
                .policy("govscore")
                .allowed(&url("http://a.gov.cn/private/x"))
        );
    }

    #[tokio::test]
    async fn cache_loads_once_per_host() {
        let cache = RobotsCache::new();
        let host = HostKey::of(&url("http://a.gov.cn/")).expect("host");
        let loads = std::sync::atomic::AtomicUsize::new(0);
        for _ in 0..3 {
            cache
                .get_or_load(&host, || async {
                    loads.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                    RobotsPolicy::allow_all(Some("x".into()))
                })
                .await;
        }
        assert_eq!(loads.load(std::sync::atomic::Ordering::SeqCst), 1);
        assert_eq!(cache.notes().len(), 1);
    }
}
