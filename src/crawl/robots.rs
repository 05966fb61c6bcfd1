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

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

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

/// One [`RobotsPolicy`] per host, each computed at most once.
#[derive(Debug, Default)]
pub struct RobotsCache {
    hosts: Mutex<HashMap<HostKey, Arc<OnceCell<Arc<RobotsPolicy>>>>>,
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
