//! Availability probes: one GET of each site's home page, 15 s limit, no retry, at
//! spread and jittered intervals (`daemon.probes_per_day`, default 24 → about hourly).
//!
//! Must not judge: it stores what it saw; `checks::availability` measures the ratio and the
//! rules decide. An anti-bot wall is a site that opens in a browser, so it is stored as
//! reachable (CONTRACT §3).

use crate::config::{CrawlSettings, Settings};
use crate::crawl::fetch::{Failure, FetchOutcome, Fetcher, Scope};
use crate::store::Probe;
use chrono::Utc;
use std::time::{Duration, Instant};

/// The per-visit limit of 国办秘函〔2019〕19号: a page not open after 15 s is unreachable.
pub const PROBE_TIMEOUT_S: u64 = 15;

/// Time between two probe rounds for `per_day` rounds a day, before jitter.
pub fn base_interval(per_day: u32) -> Duration {
    Duration::from_secs(86_400 / u64::from(per_day.max(1)))
}

/// `base` jittered by up to ±25%, so rounds do not line up with a site's own cron jobs
/// and the `per_day` rounds still spread over the day.
pub fn jittered(base: Duration) -> Duration {
    let factor: f64 = rand::random_range(0.75..1.25);
    base.mul_f64(factor)
}

/// The crawl settings of a probe: the configured politeness and contact, one try, 15 s.
fn probe_settings(crawl: &CrawlSettings) -> CrawlSettings {
    CrawlSettings {
        timeout_s: PROBE_TIMEOUT_S.min(crawl.timeout_s.max(1)),
        retries: 0,
        ..crawl.clone()
    }
}

/// Turns one fetch of a home page into a probe row; None when the page was not requested
/// (robots, scope): that is no evidence either way.
pub fn probe_from_outcome(
    site_id: &str,
    at: chrono::DateTime<Utc>,
    outcome: &FetchOutcome,
    elapsed: Duration,
) -> Option<Probe> {
    let (ok, status) = match outcome {
        FetchOutcome::Fetched(page) => (true, Some(page.status)),
        FetchOutcome::NotModified { .. } => (true, Some(304)),
        // A wall answers: the site opens in a browser (CONTRACT §3).
        FetchOutcome::Blocked { status, .. } => (true, Some(*status)),
        // Rate limiting is about us, not about whether the site opens for the public.
        FetchOutcome::Failed {
            failure: Failure::Throttled { status },
            ..
        } => (true, Some(*status)),
        FetchOutcome::Failed {
            failure: Failure::Http(code),
            ..
        } => (false, Some(*code)),
        FetchOutcome::Failed { .. } => (false, None),
        FetchOutcome::Skipped { .. } => return None,
    };
    Some(Probe {
        site_id: site_id.to_string(),
        at,
        ok,
        status,
        reason: outcome.reason_zh(),
        elapsed_ms: u64::try_from(elapsed.as_millis()).unwrap_or(u64::MAX),
    })
}

/// A home page to probe: (site id, URL).
pub type Target = (String, url::Url);

/// The sites a probe round covers: every configured site, then — with `discover: true` —
/// every other site of the latest run (the discovered subsites, from its scorecards), so the
/// availability veto can apply to every home page that is assessed. A configured site wins
/// over a run's site with the same id or URL.
pub fn targets(settings: &Settings, latest_run_sites: &[Target]) -> Vec<Target> {
    let mut out: Vec<Target> = settings
        .sites
        .iter()
        .map(|s| (s.id.clone(), s.url.clone()))
        .collect();
    if settings.discover {
        for (id, url) in latest_run_sites {
            if !out.iter().any(|(i, u)| i == id || u == url) {
                out.push((id.clone(), url.clone()));
            }
        }
    }
    out
}

/// (id, URL) of every site of the latest run in the database; empty when there is no
/// database or run yet.
pub fn latest_run_sites(db: &std::path::Path) -> Vec<Target> {
    let read = || -> Result<Vec<Target>, crate::store::StoreError> {
        let store = crate::store::Store::open_read_only(db)?;
        let Some(run) = store.latest_run()? else {
            return Ok(Vec::new());
        };
        Ok(store
            .scorecards(run)?
            .iter()
            .filter_map(|card| {
                let id = card.get("id")?.as_str()?;
                let url = url::Url::parse(card.get("url")?.as_str()?).ok()?;
                Some((id.to_string(), url))
            })
            .collect())
    };
    if !db.is_file() {
        return Vec::new();
    }
    read().unwrap_or_else(|e| {
        tracing::warn!(error = %e, "无法读取最近一次检查的网站清单，只探测配置中的网站");
        Vec::new()
    })
}

/// Probes every site of [`targets`] once, concurrently within the crawl's politeness
/// limits.
pub async fn probe_round(settings: &Settings) -> Result<Vec<Probe>, String> {
    let targets = targets(settings, &latest_run_sites(&settings.database));
    let scope = Scope::new(targets.iter().map(|(_, u)| u));
    let fetcher =
        Fetcher::new(&probe_settings(&settings.crawl), scope).map_err(|e| e.to_string())?;
    let fetcher = &fetcher;
    let probes = futures::future::join_all(targets.iter().map(|(id, url)| async move {
        let at = Utc::now();
        let started = Instant::now();
        let outcome = fetcher.get(url, None).await;
        probe_from_outcome(id, at, &outcome, started.elapsed())
    }))
    .await;
    Ok(probes.into_iter().flatten().collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crawl::wall::Wall;

    fn url() -> url::Url {
        url::Url::parse("http://127.0.0.1:1/").unwrap()
    }

    #[test]
    fn a_wall_is_reachable_and_a_timeout_is_not() {
        let now = Utc::now();
        let wall = FetchOutcome::Blocked {
            url: url(),
            wall: Wall::Jsl,
            status: 521,
        };
        let p = probe_from_outcome("a", now, &wall, Duration::from_millis(3)).unwrap();
        assert!(p.ok);
        assert_eq!(p.status, Some(521));
        let timeout = FetchOutcome::Failed {
            url: url(),
            failure: Failure::Timeout,
            attempts: 1,
        };
        let p = probe_from_outcome("a", now, &timeout, Duration::from_secs(15)).unwrap();
        assert!(!p.ok);
        assert_eq!(p.reason, "连接超时");
        let e502 = FetchOutcome::Failed {
            url: url(),
            failure: Failure::Http(502),
            attempts: 1,
        };
        assert!(
            !probe_from_outcome("a", now, &e502, Duration::ZERO)
                .unwrap()
                .ok
        );
    }

    #[test]
    fn probe_rounds_spread_over_the_day() {
        assert_eq!(base_interval(24), Duration::from_secs(3600));
        for _ in 0..50 {
            let j = jittered(Duration::from_secs(3600));
            assert!(j >= Duration::from_secs(2700) && j <= Duration::from_secs(4500));
        }
    }

    #[test]
    fn discovered_sites_are_probed_only_with_discover_and_configured_ones_win() {
        let yaml = |discover: bool| {
            format!(
                "district: 孟津区\ndiscover: {discover}\nsites:\n  - {{id: portal, name: 门户, role: portal, url: \"http://127.0.0.1:1/\"}}\n"
            )
        };
        let dir = tempfile::tempdir().unwrap();
        let u = |s: &str| url::Url::parse(s).unwrap();
        let latest = vec![
            ("portal".to_string(), u("http://127.0.0.1:1/")),
            ("fgw".to_string(), u("http://127.0.0.1:2/")),
            ("other-id".to_string(), u("http://127.0.0.1:1/")),
        ];
        let on = crate::config::load_str(&yaml(true), "c.yaml", dir.path()).unwrap();
        let ids: Vec<String> = targets(&on, &latest)
            .into_iter()
            .map(|(id, _)| id)
            .collect();
        assert_eq!(ids, ["portal", "fgw"]);
        let off = crate::config::load_str(&yaml(false), "c.yaml", dir.path()).unwrap();
        assert_eq!(targets(&off, &latest).len(), 1);
    }
}
