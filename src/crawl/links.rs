//! Dead links (issue 14 item 7): the links on the pages a run reads, and their check.
//!
//! Owns:
//! - collection: [`SiteLinks`] gathers, per site, each distinct link of the pages read (the
//!   `<a href>`, `<option value>` and `window.open` targets that
//!   [`nav_links`](crate::extract::nav::nav_links) lists),
//!   resolved against its page, fragment dropped, http(s) only (so `javascript:`, `mailto:`
//!   and `tel:` never count), each with the first page it was found on (URL, title, link
//!   text) and the number of pages carrying it. Images and iframes are not collected: every
//!   page repeats the same logos and banners, and a broken picture is not a link a visitor
//!   follows (each would cost a request for little);
//! - the check stage (`run_stage`, one call from the pipeline after the crawl): each
//!   distinct link of the run checked at most once through the run's polite [`Fetcher`]
//!   ([`Fetcher::check_link`]: a GET reading at most 16 KiB — HEAD is answered 405/403/404
//!   by many government CMSs and WAFs that serve the page to a GET, and walls answer GETs the
//!   way they answer visitors), a link that answered well not checked again for
//!   `recheck_days`, and the two-run rule ([`judge`]). A page the crawl (or the annual
//!   reader) itself read in the run answered well, or answered 404, 410 or 5xx
//!   ([`Fetcher::earlier_answer`]): a link to it is not requested again.
//!
//! A link is *dead* only when its check failed on two runs in a row (404/410, 5xx after the
//! fetcher's retries, DNS failure, timeout); the first failure is *suspect*. A wall
//! (412/521/challenge), throttling, robots.txt refusal or any other failure is *unknown*,
//! never dead, and neither counts nor clears a failure streak. Links off the configured
//! and discovered hosts are *not checked* unless `screening.dead_links.external` is true;
//! then only public addresses ([`Fetcher::address_refusal`]) are asked, with the same
//! politeness. Must not judge (the `dead_links` check and its rule do) nor parse beyond the
//! link list.

use super::fetch::{EarlierAnswer, Failure, FetchOutcome, Fetcher, SkipReason};
use crate::extract::nav::NavLink;
use chrono::NaiveDate;
use futures::StreamExt;
use regex::Regex;
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;
use url::Url;

/// Most distinct links kept per site and run; further ones are counted in
/// [`SiteLinks::dropped`], not checked.
pub const MAX_LINKS_PER_SITE: usize = 5_000;

/// Where a link was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkPlace {
    /// The page carrying the link.
    pub page_url: String,
    /// That page's `<title>`.
    pub page_title: Option<String>,
    /// The link text a reader sees.
    pub text: String,
}

/// One distinct link of a site in a run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundLink {
    /// The link, absolute, without fragment.
    pub url: String,
    /// The first page it was found on.
    pub place: LinkPlace,
    /// Pages of the site read in this run that carry it.
    pub pages: u32,
}

/// The distinct links of one site's pages read in a run. The default collects; one made
/// with `SiteLinks::off` ignores every page (the check is switched off).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SiteLinks {
    links: Vec<FoundLink>,
    index: HashMap<String, usize>,
    /// The pages added (their keys), each with its `<title>`.
    pages: HashMap<String, Option<String>>,
    off: bool,
    /// Links left out because the site had [`MAX_LINKS_PER_SITE`] already.
    pub dropped: u32,
}

impl SiteLinks {
    /// A collector for a run with these settings: one that ignores every page when the
    /// dead-link check is switched off (`screening.dead_links.enabled: false`).
    pub fn for_settings(settings: &crate::config::DeadLinkSettings) -> SiteLinks {
        SiteLinks {
            off: !settings.enabled,
            ..SiteLinks::default()
        }
    }

    /// Adds the links of a page read (parses its links). The crawl takes them from the
    /// parse it already made ([`SiteLinks::add_links`]); the tests add pages whole.
    #[cfg(test)]
    pub(crate) fn add_page(&mut self, page_url: &Url, html: &str) {
        if self.off {
            return;
        }
        let links = crate::extract::nav::nav_links(html, page_url);
        self.add_links(page_url, html, &links);
    }

    /// Adds the links of a page whose link list the caller already has (`links` from
    /// [`nav_links`](crate::extract::nav::nav_links) of `html`). A page added twice counts
    /// once.
    pub fn add_links(&mut self, page_url: &Url, html: &str, links: &[NavLink]) {
        self.add(page_url, || page_title(html), links);
    }

    /// Adds the links of a page whose `<title>` and link list the caller already has.
    /// A page added twice counts once.
    pub fn add_links_titled(&mut self, page_url: &Url, title: Option<&str>, links: &[NavLink]) {
        self.add(page_url, || title.map(str::to_string), links);
    }

    /// Adds the links of a later part of a page already added, found on that page under
    /// its title: the further records of a Hanweb column page, which its `dataproxy.jsp`
    /// answers by POST (a URL a supervisor cannot open). A link already found counts no
    /// further page (the part is no page of its own). A page not added yet is added as a
    /// page without a title.
    pub fn add_part(&mut self, page_url: &Url, links: &[NavLink]) {
        if self.off {
            return;
        }
        let page = link_key(page_url).unwrap_or_else(|| page_url.to_string());
        match self.pages.get(&page) {
            Some(title) => {
                let title = title.clone();
                self.add_to(page, title, links, false);
            }
            None => self.add_links_titled(page_url, None, links),
        }
    }

    fn add(&mut self, page_url: &Url, title: impl FnOnce() -> Option<String>, links: &[NavLink]) {
        if self.off {
            return;
        }
        let page = link_key(page_url).unwrap_or_else(|| page_url.to_string());
        let std::collections::hash_map::Entry::Vacant(entry) = self.pages.entry(page.clone())
        else {
            return;
        };
        let title = entry.insert(title()).clone();
        self.add_to(page, title, links, true);
    }

    /// Adds `links` found on `page` (its key); `counts` whether a link found before counts
    /// one more page.
    fn add_to(&mut self, page: String, title: Option<String>, links: &[NavLink], counts: bool) {
        let mut on_page = HashSet::new();
        for link in links {
            let Some(url) = link_key(&link.url) else {
                continue;
            };
            if url == page || !on_page.insert(url.clone()) {
                continue;
            }
            if let Some(&i) = self.index.get(&url) {
                if counts {
                    self.links[i].pages += 1;
                }
                continue;
            }
            if self.links.len() >= MAX_LINKS_PER_SITE {
                self.dropped += 1;
                continue;
            }
            self.index.insert(url.clone(), self.links.len());
            self.links.push(FoundLink {
                url,
                place: LinkPlace {
                    page_url: page.clone(),
                    page_title: title.clone(),
                    text: link.text.clone(),
                },
                pages: 1,
            });
        }
    }

    /// Whether pages are ignored (the dead-link check is switched off).
    pub fn is_off(&self) -> bool {
        self.off
    }

    /// The links, in the order first found.
    pub fn links(&self) -> &[FoundLink] {
        &self.links
    }

    /// Whether no link was found.
    pub fn is_empty(&self) -> bool {
        self.links.is_empty()
    }

    /// Whether the links of `page_url` were collected (the page was read in this run).
    pub fn has_page(&self, page_url: &str) -> bool {
        self.pages.contains_key(page_url)
    }
}

/// The key a link is checked and stored under: http(s) only, fragment dropped.
pub fn link_key(url: &Url) -> Option<String> {
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return None;
    }
    let mut u = url.clone();
    u.set_fragment(None);
    Some(u.to_string())
}

static TITLE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?is)<title[^>]*>(.*?)</title>").expect("valid regex"));

pub(crate) fn page_title(html: &str) -> Option<String> {
    let t = crate::extract::text::collapse_ws(&TITLE.captures(html)?[1]);
    (!t.is_empty()).then_some(t)
}

/// What one run made of a link.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LinkState {
    /// Requested this run and answered well.
    Ok,
    /// Answered well within `recheck_days`: not requested this run.
    Cached,
    /// Failed this run, for the first time in a row.
    Suspect,
    /// Failed on this run and the one before (or more in a row).
    Dead,
    /// Could not be judged (wall, throttling, robots.txt, other failure).
    Unknown,
    /// Not requested: another host while external links are off, or a non-public address.
    NotChecked,
}

impl LinkState {
    /// The stored spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            LinkState::Ok => "ok",
            LinkState::Cached => "cached",
            LinkState::Suspect => "suspect",
            LinkState::Dead => "dead",
            LinkState::Unknown => "unknown",
            LinkState::NotChecked => "not_checked",
        }
    }

    /// The state stored as `s`.
    pub fn parse(s: &str) -> Option<LinkState> {
        [
            LinkState::Ok,
            LinkState::Cached,
            LinkState::Suspect,
            LinkState::Dead,
            LinkState::Unknown,
            LinkState::NotChecked,
        ]
        .into_iter()
        .find(|l| l.as_str() == s)
    }
}

/// A link's stored history, as the check stage reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkRow {
    /// Row id.
    pub id: i64,
    /// The link.
    pub url: String,
    /// Day of its last request.
    pub checked_on: Option<NaiveDate>,
    /// Run of its last request.
    pub checked_run: Option<i64>,
    /// How its last request ended: ok | failed | unknown.
    pub outcome: Option<String>,
    /// HTTP status of its last request, when one came back.
    pub status: Option<u16>,
    /// Reason of its last request (Chinese).
    pub reason: Option<String>,
    /// Consecutive runs whose request failed.
    pub failed_runs: u32,
    /// Day of the first failure of that streak.
    pub first_failed: Option<NaiveDate>,
}

/// What one request of a link showed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Probe {
    /// A page (2xx, or 304).
    Answered {
        /// The status.
        status: u16,
    },
    /// A failure that makes a link dead when repeated.
    Failed {
        /// The HTTP status, when one came back.
        status: Option<u16>,
        /// Why (Chinese).
        reason: String,
    },
    /// Neither: nothing can be said of the link this run.
    Unknown {
        /// The HTTP status, when one came back.
        status: Option<u16>,
        /// Why (Chinese).
        reason: String,
    },
}

/// Sorts a fetch outcome into a [`Probe`]: 404/410, 5xx (after retries), DNS failures and
/// timeouts fail; walls, throttling (403/429), robots.txt, refused connections, TLS and
/// every other outcome are unknown — a visitor may well open such a link.
pub fn probe_of(outcome: &FetchOutcome) -> Probe {
    let reason = outcome.reason_zh();
    match outcome {
        FetchOutcome::Fetched(page) => Probe::Answered {
            status: page.status,
        },
        FetchOutcome::NotModified { .. } => Probe::Answered { status: 304 },
        FetchOutcome::Failed {
            failure: Failure::Http(code @ (404 | 410)),
            url,
            ..
        } if non_ascii_query(url) => Probe::Unknown {
            status: Some(*code),
            reason: format!(
                "{reason}；链接参数含中文，网页可能按 GBK 编码，浏览器访问的地址可能不同，需人工核查"
            ),
        },
        FetchOutcome::Failed { failure, .. } => match failure {
            Failure::Http(code @ (404 | 410 | 500..=599)) => Probe::Failed {
                status: Some(*code),
                reason,
            },
            Failure::Dns | Failure::Timeout => Probe::Failed {
                status: None,
                reason,
            },
            Failure::Http(code) | Failure::Throttled { status: code } => Probe::Unknown {
                status: Some(*code),
                reason,
            },
            _ => Probe::Unknown {
                status: None,
                reason,
            },
        },
        FetchOutcome::Blocked { status, .. } => Probe::Unknown {
            status: Some(*status),
            reason,
        },
        FetchOutcome::Skipped { reason: why, .. } => Probe::Unknown {
            status: None,
            reason: match why {
                SkipReason::OffScope => "重定向到检测范围之外，未继续检查".to_string(),
                _ => reason,
            },
        },
    }
}

/// Whether the query of `url` carries non-ASCII text (percent-encoded as UTF-8 here). A
/// browser encodes a query in the page's charset, so on a GBK page
/// (`downfile.jsp?filename=通知.xls`) it asks another address than ours: our 404 proves
/// nothing.
fn non_ascii_query(url: &Url) -> bool {
    url.query().is_some_and(|q| {
        q.as_bytes()
            .windows(3)
            .any(|w| w[0] == b'%' && matches!(w[1], b'8'..=b'9' | b'A'..=b'F' | b'a'..=b'f'))
    })
}

/// What the run made of one link, and what to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    /// The link's row id.
    pub link_id: i64,
    /// The run's state of the link.
    pub state: LinkState,
    /// Whether a response judged the link this run (its history row is then updated).
    pub requested: bool,
    /// Whether that response was the crawl's own (the page was read in this run), not a
    /// request of the dead-link stage.
    pub via_crawl: bool,
    /// ok | failed | unknown of the request (None when not requested).
    pub outcome: Option<&'static str>,
    /// HTTP status, when one came back.
    pub status: Option<u16>,
    /// Why (Chinese); empty when it answered well.
    pub reason: String,
    /// Consecutive failed runs after this one.
    pub failed_runs: u32,
    /// First day of the failure streak.
    pub first_failed: Option<NaiveDate>,
}

/// The two-run rule: what a request's `probe` on `observed_on` makes of a link with history
/// `prev`. A failure after a failure is dead; an answer clears the streak; an unknown
/// neither counts nor clears it.
pub fn judge(prev: &LinkRow, probe: &Probe, observed_on: NaiveDate) -> Verdict {
    let base = Verdict {
        link_id: prev.id,
        state: LinkState::Ok,
        requested: true,
        via_crawl: false,
        outcome: Some("ok"),
        status: None,
        reason: String::new(),
        failed_runs: 0,
        first_failed: None,
    };
    match probe {
        Probe::Answered { status } => Verdict {
            status: Some(*status),
            ..base
        },
        Probe::Failed { status, reason } => {
            let failed_runs = prev.failed_runs + 1;
            Verdict {
                state: if failed_runs >= 2 {
                    LinkState::Dead
                } else {
                    LinkState::Suspect
                },
                outcome: Some("failed"),
                status: *status,
                reason: reason.clone(),
                failed_runs,
                first_failed: Some(
                    prev.first_failed
                        .filter(|_| prev.failed_runs > 0)
                        .unwrap_or(observed_on),
                ),
                ..base
            }
        }
        Probe::Unknown { status, reason } => Verdict {
            state: LinkState::Unknown,
            outcome: Some("unknown"),
            status: *status,
            reason: reason.clone(),
            failed_runs: prev.failed_runs,
            first_failed: prev.first_failed,
            ..base
        },
    }
}

/// The verdict on a link not requested this run.
fn unrequested(prev: &LinkRow, state: LinkState, reason: &str) -> Verdict {
    Verdict {
        link_id: prev.id,
        state,
        requested: false,
        via_crawl: false,
        outcome: None,
        status: prev.status,
        reason: reason.to_string(),
        failed_runs: prev.failed_runs,
        first_failed: prev.first_failed,
    }
}

/// Whether a link that answered well on its last request is still trusted on `observed_on`.
fn fresh_ok(prev: &LinkRow, observed_on: NaiveDate, recheck_days: u32) -> bool {
    prev.outcome.as_deref() == Some("ok")
        && prev.checked_on.is_some_and(|d| {
            let age = (observed_on - d).num_days();
            (0..i64::from(recheck_days)).contains(&age)
        })
}

/// The reason stored for a link to the home page of an assessed site this run could not see.
pub const UNSEEN_SITE: &str = "所链接的网站本次无法检测（见该网站的检查结果），不判断此链接";

/// The reason stored for a link to another host while external links are off.
pub const EXTERNAL_OFF: &str = "站外链接，未启用站外链接检查(screening.dead_links.external)";

/// Checks one link (at most one request, with the fetcher's retries).
pub async fn check_one(
    fetcher: &Fetcher,
    settings: &crate::config::DeadLinkSettings,
    prev: &LinkRow,
    run_id: i64,
    observed_on: NaiveDate,
) -> Verdict {
    if prev.checked_run == Some(run_id) {
        // Requested earlier in this run: its stored outcome stands.
        let state = match prev.outcome.as_deref() {
            Some("ok") => LinkState::Ok,
            Some("failed") if prev.failed_runs >= 2 => LinkState::Dead,
            Some("failed") => LinkState::Suspect,
            _ => LinkState::Unknown,
        };
        return unrequested(prev, state, prev.reason.as_deref().unwrap_or_default());
    }
    let Ok(url) = Url::parse(&prev.url) else {
        return unrequested(prev, LinkState::NotChecked, "链接地址无效");
    };
    if !fetcher.in_scope(&url) {
        if !settings.external {
            return unrequested(prev, LinkState::NotChecked, EXTERNAL_OFF);
        }
        if let Some(refused) = fetcher.address_refusal(&url).await {
            return unrequested(prev, LinkState::NotChecked, &refused.to_string());
        }
        fetcher.add_to_scope(&url);
    }
    match fetcher.earlier_answer(&url) {
        // Read by the crawl (or the annual-report reader) in this run: it answered.
        Some(EarlierAnswer::Answered) => {
            return Verdict {
                via_crawl: true,
                ..judge(prev, &Probe::Answered { status: 200 }, observed_on)
            };
        }
        // The crawl's own request was answered 404, 410 or 5xx (after its retries): the
        // answer a check would get, so the page is not requested again. A timeout is not
        // taken: the crawl reads whole pages, a check only their start.
        Some(EarlierAnswer::HttpError(earlier)) => {
            if let probe @ Probe::Failed { .. } = probe_of(&earlier) {
                return Verdict {
                    via_crawl: true,
                    ..judge(prev, &probe, observed_on)
                };
            }
        }
        None => {}
    }
    if fresh_ok(prev, observed_on, settings.recheck_days) {
        return unrequested(prev, LinkState::Cached, "");
    }
    let outcome = fetcher.check_link(&url).await;
    judge(prev, &probe_of(&outcome), observed_on)
}

/// What the dead-link stage of a run did: link counts by state, and its own requests
/// (apart from the crawl's).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkStats {
    /// Whether the stage ran (`screening.dead_links.enabled`).
    pub enabled: bool,
    /// Distinct links found on the pages read.
    pub links: u64,
    /// Links requested by the stage.
    pub requested: u64,
    /// Links the crawl itself read in this run (answered; not requested again).
    pub read_by_crawl: u64,
    /// Answered well.
    pub ok: u64,
    /// Answered well within `recheck_days`: not requested.
    pub cached: u64,
    /// First failure.
    pub suspect: u64,
    /// Failed on two runs in a row.
    pub dead: u64,
    /// Could not be judged.
    pub unknown: u64,
    /// Not requested (other hosts, non-public addresses).
    pub not_checked: u64,
    /// HTTP requests sent for link checks (retries, redirects and robots.txt included).
    pub requests: u64,
    /// Retries among them.
    pub retries: u64,
    /// Body bytes read.
    pub bytes: u64,
}

impl LinkStats {
    fn count(&mut self, v: &Verdict) {
        self.links += 1;
        self.requested += u64::from(v.requested && !v.via_crawl);
        self.read_by_crawl += u64::from(v.via_crawl);
        let n = match v.state {
            LinkState::Ok => &mut self.ok,
            LinkState::Cached => &mut self.cached,
            LinkState::Suspect => &mut self.suspect,
            LinkState::Dead => &mut self.dead,
            LinkState::Unknown => &mut self.unknown,
            LinkState::NotChecked => &mut self.not_checked,
        };
        *n += 1;
    }
}

/// The dead-link stage of a run: checks every distinct link the run's pages carry (stored
/// by the crawl), records the verdicts, and keeps the places of the links that did not
/// answer well (the others' places are dropped: they are evidence of nothing). Up to
/// `crawl.global_concurrency` links are checked at once, taken from the hosts in turn so
/// that one host's long list does not hold the others back; the fetcher's politeness
/// (per-host delay and concurrency) applies to every request. A link is requested once
/// however many pages and sites carry it.
pub(crate) async fn run_stage(
    fetcher: &Fetcher,
    settings: &crate::config::Settings,
    db: &crate::pipeline::Db,
    run_id: i64,
    observed_on: NaiveDate,
) -> Result<LinkStats, crate::pipeline::RunError> {
    let config = &settings.screening.dead_links;
    if !config.enabled {
        db.call(move |s| s.prune_link_places(run_id)).await?;
        return Ok(LinkStats::default());
    }
    let before = fetcher.stats();
    // A link to an assessed site that this run could not see (timeout, wall) is not judged
    // here: that site's own result says so, and one outage is one fact.
    let unseen: HashSet<String> = db
        .call(move |s| s.unassessable_homes(run_id))
        .await?
        .iter()
        .filter_map(|u| Url::parse(u).ok())
        .filter_map(|u| link_key(&u))
        .collect();
    let unseen = &unseen;
    let mut stats = LinkStats {
        enabled: true,
        ..LinkStats::default()
    };
    // The run's links a slice at a time (memory stays flat however many there are).
    let mut after = 0;
    loop {
        let rows = db
            .call(move |s| s.links_to_check(run_id, after, LINKS_PER_SLICE))
            .await?;
        let Some(last) = rows.iter().map(|r| r.id).max() else {
            break;
        };
        after = last;
        let mut checks = futures::stream::iter(super::politeness::hosts_in_turn(rows, |r| {
            Url::parse(&r.url).ok()
        }))
        .map(|row| async move {
            let to_unseen = Url::parse(&row.url)
                .ok()
                .and_then(|u| link_key(&u))
                .is_some_and(|k| unseen.contains(&k));
            if to_unseen {
                unrequested(&row, LinkState::Unknown, UNSEEN_SITE)
            } else {
                check_one(fetcher, config, &row, run_id, observed_on).await
            }
        })
        .buffer_unordered(settings.crawl.global_concurrency.max(1));
        let mut verdicts = Vec::with_capacity(VERDICTS_PER_WRITE);
        // Verdicts are queued for a writer thread, so the checks in flight go on while
        // SQLite writes; a slice's writes end before the next slice is read.
        let writer = crate::pipeline::StoreThread::start(db);
        let checked = async {
            loop {
                let next = checks.next().await;
                if let Some(v) = &next {
                    stats.count(v);
                }
                let done = next.is_none();
                verdicts.extend(next);
                if verdicts.len() >= VERDICTS_PER_WRITE || (done && !verdicts.is_empty()) {
                    let batch = std::mem::take(&mut verdicts);
                    writer
                        .write(move |s| s.record_link_checks(run_id, observed_on, &batch))
                        .await?;
                }
                if done {
                    break;
                }
            }
            Ok::<_, crate::pipeline::RunError>(())
        }
        .await;
        drop(checks);
        // A failed write is the stage's error: the loop only saw the writer stop.
        writer.finish().await?;
        checked?;
    }
    db.call(move |s| s.prune_link_places(run_id)).await?;
    let spent = fetcher.stats().since(&before);
    stats.requests = spent.requests;
    stats.retries = spent.retries;
    stats.bytes = spent.bytes;
    tracing::info!(
        links = stats.links,
        requested = stats.requested,
        dead = stats.dead,
        suspect = stats.suspect,
        unknown = stats.unknown,
        "链接检查完成"
    );
    Ok(stats)
}

/// Verdicts stored per transaction.
const VERDICTS_PER_WRITE: usize = 500;

/// Links loaded and checked at a time: about 10 MB of rows. Link ids follow the order
/// sites were stored, so a slice must span many sites (hosts) for the links in flight to
/// spread over hosts; slices of 5,000 (a few sites) made the stage three times slower.
const LINKS_PER_SLICE: usize = 50_000;

#[cfg(test)]
mod tests {
    use super::*;

    fn u(s: &str) -> Url {
        Url::parse(s).unwrap()
    }

    fn row(failed_runs: u32, first_failed: Option<&str>) -> LinkRow {
        LinkRow {
            id: 1,
            url: "http://a.gov.cn/x.html".into(),
            checked_on: None,
            checked_run: None,
            outcome: None,
            status: None,
            reason: None,
            failed_runs,
            first_failed: first_failed.map(|d| d.parse().unwrap()),
        }
    }

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn links_are_resolved_deduplicated_and_only_http() {
        let html = r##"<html><head><title> 通知公告 _孟津区 </title></head><body>
            <a href="a.html#top">甲</a> <a href="a.html">甲again</a>
            <a href="javascript:void(0)">无</a> <a href="mailto:x@a.gov.cn">信箱</a>
            <a href="tel:0379-123">电话</a> <a href="#">顶部</a>
            <a href="http://other.gov.cn/p?q=1#f">外站</a>
            <a href="/zwgk/tzgg/index.html">本页</a></body></html>"##;
        let mut links = SiteLinks::default();
        links.add_page(&u("http://a.gov.cn/zwgk/tzgg/index.html"), html);
        let got: Vec<(&str, &str)> = links
            .links()
            .iter()
            .map(|l| (l.url.as_str(), l.place.text.as_str()))
            .collect();
        assert_eq!(
            got,
            vec![
                ("http://a.gov.cn/zwgk/tzgg/a.html", "甲"),
                ("http://other.gov.cn/p?q=1", "外站"),
            ]
        );
        let first = &links.links()[0];
        assert_eq!(first.place.page_url, "http://a.gov.cn/zwgk/tzgg/index.html");
        assert_eq!(first.place.page_title.as_deref(), Some("通知公告 _孟津区"));
        assert_eq!(first.pages, 1);
        // Another page with the same link counts a page; the same page again does not.
        links.add_page(&u("http://a.gov.cn/zwgk/tzgg/b.html"), html);
        links.add_page(&u("http://a.gov.cn/zwgk/tzgg/b.html"), html);
        assert_eq!(links.links()[0].pages, 2);
        assert_eq!(
            links.links().len(),
            3,
            "index.html itself, linked from b.html"
        );
    }

    /// A part of a page (a Hanweb `dataproxy.jsp` answer) adds its new links to the page
    /// already added, under that page's title, and counts no further page for a link found
    /// before; a part of a page not added yet is added as a page.
    #[test]
    fn a_part_of_a_page_adds_its_links_to_that_page() {
        let nav = |pairs: &[(&str, &str)]| -> Vec<NavLink> {
            pairs
                .iter()
                .map(|(url, text)| NavLink {
                    url: u(url),
                    text: text.to_string(),
                })
                .collect()
        };
        let column = u("http://a.gov.cn/col/col1/index.html");
        let mut links = SiteLinks::default();
        links.add_links_titled(
            &column,
            Some("部门动态"),
            &nav(&[
                ("http://a.gov.cn/art/1.html", "一"),
                ("http://a.gov.cn/", "首页"),
            ]),
        );
        links.add_part(
            &column,
            &nav(&[
                ("http://a.gov.cn/", "首页"),
                ("http://a.gov.cn/art/2.html", "二"),
            ]),
        );
        let got: Vec<(&str, &str, Option<&str>, u32)> = links
            .links()
            .iter()
            .map(|l| {
                (
                    l.url.as_str(),
                    l.place.page_url.as_str(),
                    l.place.page_title.as_deref(),
                    l.pages,
                )
            })
            .collect();
        let col = column.as_str();
        assert_eq!(
            got,
            vec![
                ("http://a.gov.cn/art/1.html", col, Some("部门动态"), 1),
                ("http://a.gov.cn/", col, Some("部门动态"), 1),
                ("http://a.gov.cn/art/2.html", col, Some("部门动态"), 1),
            ]
        );
        let other = u("http://a.gov.cn/col/col2/index.html");
        links.add_part(&other, &nav(&[("http://a.gov.cn/", "首页")]));
        assert_eq!(links.links()[1].pages, 2, "a page of its own");
        let mut off = SiteLinks {
            off: true,
            ..SiteLinks::default()
        };
        off.add_part(&column, &nav(&[("http://a.gov.cn/", "首页")]));
        assert!(off.links().is_empty());
    }

    /// The real 嘉鱼县 home page (EmpireCMS, GB2312). Expected values written from the page:
    /// its first anchors are 设为首页 (`href=""` with a setHomePage onclick), 加入收藏
    /// (`javascript:window.external.AddFavorite`), 返回首页 and 首页 (the page itself), then
    /// the 嘉鱼县情 tab; its footer has a `mailto:` link; the 纪委举报网 tab is on another
    /// host (`219.138.168.126:8082`).
    #[test]
    fn jiayu_home_page_links_skip_scripts_mail_and_the_page_itself() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../shared/realworld/jiayu/index.html"
        );
        let Ok(bytes) = std::fs::read(path) else {
            println!("skipped: ../shared/realworld not found");
            return;
        };
        let text = crate::extract::charset::decode(&bytes, Some("text/html")).text;
        let mut links = SiteLinks::default();
        links.add_page(&u("http://www.jiayu.gov.cn/"), &text);
        let first = &links.links()[0];
        assert_eq!(first.url, "http://www.jiayu.gov.cn/jiayuxianqing/");
        assert_eq!(first.place.text, "嘉鱼县情");
        assert_eq!(
            first.place.page_title.as_deref(),
            Some("嘉鱼县人民政府门户网站")
        );
        let urls: Vec<&str> = links.links().iter().map(|l| l.url.as_str()).collect();
        assert!(urls.contains(&"http://219.138.168.126:8082/"));
        assert!(urls.contains(&"http://www.jiayu.gov.cn/jiayuzhengwu/zhengwudongtai/"));
        assert!(
            urls.iter()
                .all(|u| u.starts_with("http://") || u.starts_with("https://")),
            "{urls:?}"
        );
        assert!(!urls.iter().any(|u| u.contains("jyzw0715")));
        assert!(!urls.contains(&"http://www.jiayu.gov.cn/"));
    }

    #[test]
    fn switched_off_nothing_is_collected() {
        let off = crate::config::DeadLinkSettings {
            enabled: false,
            ..Default::default()
        };
        let mut links = SiteLinks::for_settings(&off);
        links.add_page(&u("http://a.gov.cn/"), r#"<a href="/x.html">x</a>"#);
        assert!(links.is_empty());
        let mut on = SiteLinks::for_settings(&Default::default());
        on.add_page(&u("http://a.gov.cn/"), r#"<a href="/x.html">x</a>"#);
        assert_eq!(on.links().len(), 1);
    }

    #[test]
    fn a_failure_is_suspect_two_are_dead_and_an_answer_clears() {
        let failed = Probe::Failed {
            status: Some(404),
            reason: "HTTP 404 错误".into(),
        };
        let first = judge(&row(0, None), &failed, d("2023-01-09"));
        assert_eq!(first.state, LinkState::Suspect);
        assert_eq!(first.failed_runs, 1);
        assert_eq!(first.first_failed, Some(d("2023-01-09")));
        let second = judge(&row(1, Some("2023-01-09")), &failed, d("2023-01-16"));
        assert_eq!(second.state, LinkState::Dead);
        assert_eq!(second.first_failed, Some(d("2023-01-09")));
        let back = judge(
            &row(2, Some("2023-01-09")),
            &Probe::Answered { status: 200 },
            d("2023-01-23"),
        );
        assert_eq!(back.state, LinkState::Ok);
        assert_eq!((back.failed_runs, back.first_failed), (0, None));
    }

    #[test]
    fn an_unknown_neither_counts_nor_clears_a_streak() {
        let wall = Probe::Unknown {
            status: Some(521),
            reason: "HTTP 521 反爬验证(加速乐)".into(),
        };
        let v = judge(&row(1, Some("2023-01-09")), &wall, d("2023-01-16"));
        assert_eq!(v.state, LinkState::Unknown);
        assert_eq!((v.failed_runs, v.first_failed), (1, Some(d("2023-01-09"))));
        assert_eq!(judge(&row(0, None), &wall, d("2023-01-16")).failed_runs, 0);
    }

    #[test]
    fn walls_throttling_and_robots_are_unknown_404_dns_timeout_5xx_fail() {
        let url = u("http://a.gov.cn/x");
        let failed = |failure| FetchOutcome::Failed {
            url: url.clone(),
            failure,
            attempts: 3,
        };
        for f in [
            Failure::Http(404),
            Failure::Http(410),
            Failure::Http(500),
            Failure::Http(503),
            Failure::Dns,
            Failure::Timeout,
        ] {
            assert!(matches!(probe_of(&failed(f)), Probe::Failed { .. }));
        }
        for f in [
            Failure::Http(401),
            Failure::Throttled { status: 403 },
            Failure::Connect,
            Failure::Tls,
        ] {
            assert!(matches!(probe_of(&failed(f)), Probe::Unknown { .. }));
        }
        let wall = FetchOutcome::Blocked {
            url: url.clone(),
            wall: crate::crawl::Wall::Ruishu,
            status: 412,
        };
        assert_eq!(
            probe_of(&wall),
            Probe::Unknown {
                status: Some(412),
                reason: "HTTP 412 反爬验证(瑞数)".into()
            }
        );
        // A 404 for a query with Chinese text may be our encoding, not the link.
        let gbk = FetchOutcome::Failed {
            url: u("http://a.gov.cn/downfile.jsp?filename=通知.xls"),
            failure: Failure::Http(404),
            attempts: 1,
        };
        assert!(matches!(probe_of(&gbk), Probe::Unknown { .. }));
        let plain = FetchOutcome::Failed {
            url: u("http://a.gov.cn/通知/a.html?id=1"),
            failure: Failure::Http(404),
            attempts: 1,
        };
        assert!(matches!(probe_of(&plain), Probe::Failed { .. }));
        let robots = FetchOutcome::Skipped {
            url,
            reason: SkipReason::RobotsDisallowed,
        };
        assert!(matches!(probe_of(&robots), Probe::Unknown { .. }));
    }

    #[test]
    fn a_good_answer_is_trusted_for_recheck_days() {
        let mut r = row(0, None);
        r.outcome = Some("ok".into());
        r.checked_on = Some(d("2023-01-09"));
        assert!(fresh_ok(&r, d("2023-01-09"), 7));
        assert!(fresh_ok(&r, d("2023-01-15"), 7));
        assert!(!fresh_ok(&r, d("2023-01-16"), 7));
        r.outcome = Some("unknown".into());
        assert!(!fresh_ok(&r, d("2023-01-10"), 7));
    }
}
