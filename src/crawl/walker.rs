//! The site walker: reads a site's home page, finds its columns by name (or takes the
//! pinned ones), walks each column's list across pagination back to the period start,
//! and dates undated items from their article pages. Produces a `SiteObservation`.
//!
//! Must not: judge anything, or leave the configured hosts (the `Fetcher`'s scope refuses).
//! A home page that cannot be read makes the whole site not assessable at once, so an
//! unreachable site costs one timeout, not one per column.

use super::cache::{CachedPage, MAX_REUSE_DAYS, PageCache, Payload, body_hash};
use super::fetch::{Failure, FetchOutcome, Fetcher, Page, SkipReason, Validators, text_key};
use super::observe::{
    AttachmentRecord, ColumnObservation, FailureRecord, HomeFacts, PageMetaRecord, SiteObservation,
    UnmatchedClass,
};
use crate::config::{Settings, SiteConfig};
use crate::extract::article::{AttachmentKind, extract_article};
use crate::extract::home::{HomeItem, read_home};
use crate::extract::lists::{ListReading, read_list, read_list_and_links};
use crate::extract::meta::PageMeta;
use crate::extract::nav::{NavLink, matched_name, nav_links};
use crate::extract::pagination::{PageRequest, Pager, detect};
use crate::model::{ColumnClass, DateSource, ListItem, SiteStatus};
use chrono::NaiveDate;
use regex::Regex;
use std::collections::{HashSet, VecDeque};
use std::sync::LazyLock;
use url::Url;

/// Longest link text still taken for a column name; longer texts are article titles.
const MAX_COLUMN_NAME_CHARS: usize = 12;

/// What a walk needs besides the site.
pub struct WalkContext<'a> {
    /// The run's fetcher (politeness, scope, walls).
    pub fetcher: &'a Fetcher,
    /// Settings (column names, crawl limits).
    pub settings: &'a Settings,
    /// The period start: list walking stops at items older than this.
    pub since: NaiveDate,
    /// The day the crawl looks at the sites (home page dates after it are ignored).
    pub observed_on: NaiveDate,
    /// Every configured site's home URL, so a column under another site's folder is left
    /// to that site.
    pub site_roots: Vec<Url>,
    /// Ids of sites found by discovery: named from their home page's SiteName or title.
    pub discovered: HashSet<String>,
    /// What earlier runs read, by URL (incremental runs); empty for a full crawl.
    pub cache: PageCache,
    /// The run's content screening: every article page fetched is handed to it, so the
    /// screening stage never requests it again (None: not screened).
    pub screening: Option<&'a super::screening::Screening>,
    /// The article pages the run's walkers read, so that an article two sites list is
    /// requested once.
    pub articles: &'a RunArticles,
}

/// What a walker's read of an article page gave, or the failure.
type ArticleRead = Result<ArticleFacts, FailureRecord>;

/// An article page as a walker read it.
#[derive(Clone)]
struct ArticleFacts {
    date: Option<NaiveDate>,
    date_source: DateSource,
    meta: PageMetaRecord,
    attachments: Vec<AttachmentRecord>,
    /// The page's links, for the dead-link check of another site that takes this read;
    /// None when the check is off or the run's allowance for them was spent.
    links: Option<std::sync::Arc<PageLinks>>,
}

/// A page's links as the dead-link check collects them, held compactly (a run holds many).
pub(crate) struct PageLinks {
    /// The page (after redirects).
    pub url: Url,
    /// Its `<title>`.
    pub title: Option<Box<str>>,
    /// Each link's URL and text.
    links: Box<[(Box<str>, Box<str>)]>,
}

impl PageLinks {
    fn new(url: Url, title: Option<String>, links: &[NavLink]) -> PageLinks {
        PageLinks {
            url,
            title: title.map(String::into_boxed_str),
            links: links
                .iter()
                .map(|l| (l.url.as_str().into(), l.text.as_str().into()))
                .collect(),
        }
    }

    /// The links as [`SiteLinks`](super::links::SiteLinks) takes them.
    pub fn links(&self) -> Vec<NavLink> {
        self.links
            .iter()
            .filter_map(|(url, text)| {
                Some(NavLink {
                    url: Url::parse(url).ok()?,
                    text: text.to_string(),
                })
            })
            .collect()
    }

    /// Bytes held.
    fn size(&self) -> usize {
        self.title.as_ref().map_or(0, |t| t.len())
            + self
                .links
                .iter()
                .map(|(u, t)| std::mem::size_of::<(Box<str>, Box<str>)>() + u.len() + t.len())
                .sum::<usize>()
    }
}

/// Most bytes of page links [`RunArticles`] holds for other sites; past it a site that
/// needs an article another site's walk read requests it again for its links. Every walk's
/// reads are held until the allowance is spent (which will be shared is not known when they
/// are read): about 2,500 of the simulator's article pages, 200 of a real portal's.
const MAX_HELD_LINK_BYTES: usize = 4 << 20;

/// The article pages the walkers of one run read, by URL: a department's article that the
/// portal reposts under the same URL is requested by the first walker that needs it (for
/// its date or the metadata sample); a second walker waits for that read and takes its
/// result, links included, so that the page's links count for both sites as they would
/// had each read it. The screening stage takes the links the same way for a site whose
/// walker did not need the page. Holds no page body; the links only up to
/// `MAX_HELD_LINK_BYTES`. The reads are dropped when the crawl is done, the links when
/// the screening is.
#[derive(Default)]
pub struct RunArticles {
    /// By [`text_key`] of the URL (16 bytes instead of the URL: a run reads many).
    reads: std::sync::Mutex<
        std::collections::HashMap<u128, std::sync::Arc<tokio::sync::OnceCell<ArticleRead>>>,
    >,
    link_bytes: std::sync::atomic::AtomicUsize,
    /// [`text_key`]s of (site id, page URL) of the article pages whose links a walk added
    /// to its site.
    linked: std::sync::Mutex<HashSet<u128>>,
    /// After the crawl ([`RunArticles::crawl_done`]): the held links alone, by
    /// [`text_key`] of the page URL, for the screening stage.
    held: std::sync::Mutex<std::collections::HashMap<u128, std::sync::Arc<PageLinks>>>,
}

/// The key of the links of `url` collected for `site_id`.
fn linked_key(site_id: &str, url: &str) -> u128 {
    text_key(&format!("{site_id}\n{url}"))
}

impl RunArticles {
    /// The read of `url`, created empty on first use.
    fn cell(&self, url: &str) -> std::sync::Arc<tokio::sync::OnceCell<ArticleRead>> {
        self.reads
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .entry(text_key(url))
            .or_default()
            .clone()
    }

    /// The crawl is over: the reads are dropped but for their held links, which the
    /// screening stage takes for sites whose walk did not read the page.
    pub fn crawl_done(&self) {
        let reads = std::mem::take(&mut *self.reads.lock().unwrap_or_else(|e| e.into_inner()));
        let held = reads
            .into_iter()
            .filter_map(|(key, read)| Some((key, read.get()?.as_ref().ok()?.links.clone()?)))
            .collect();
        *self.held.lock().unwrap_or_else(|e| e.into_inner()) = held;
    }

    /// Forgets everything (the crawl and the screening are over).
    pub fn clear(&self) {
        std::mem::take(&mut *self.reads.lock().unwrap_or_else(|e| e.into_inner()));
        std::mem::take(&mut *self.linked.lock().unwrap_or_else(|e| e.into_inner()));
        std::mem::take(&mut *self.held.lock().unwrap_or_else(|e| e.into_inner()));
        self.link_bytes
            .store(0, std::sync::atomic::Ordering::Relaxed);
    }

    /// Whether a walk of `site_id` added the links of the article page `url` to its site.
    pub(crate) fn has_links(&self, site_id: &str, url: &str) -> bool {
        self.linked
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .contains(&linked_key(site_id, url))
    }

    /// The links of the article page `url` a walk read, when they are held (after
    /// [`RunArticles::crawl_done`]).
    pub(crate) fn held_links(&self, url: &str) -> Option<std::sync::Arc<PageLinks>> {
        self.held
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(&text_key(url))
            .cloned()
    }

    fn note_links(&self, site_id: &str, url: &Url) {
        self.linked
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(linked_key(site_id, url.as_str()));
    }

    /// `links` held for other walks, unless that would pass [`MAX_HELD_LINK_BYTES`].
    fn hold(&self, links: PageLinks) -> Option<std::sync::Arc<PageLinks>> {
        use std::sync::atomic::Ordering::Relaxed;
        let bytes = links.size();
        if self.link_bytes.fetch_add(bytes, Relaxed) + bytes > MAX_HELD_LINK_BYTES {
            self.link_bytes.fetch_sub(bytes, Relaxed);
            return None;
        }
        Some(std::sync::Arc::new(links))
    }
}

/// Walks one site.
pub async fn crawl_site(ctx: &WalkContext<'_>, site: &SiteConfig) -> SiteObservation {
    let mut obs = SiteObservation {
        site_id: site.id.clone(),
        name: site.name.clone(),
        role: site.role,
        url: site.url.to_string(),
        status: SiteStatus::Ok,
        status_reason: None,
        home: HomeFacts::default(),
        columns: Vec::new(),
        failures: Vec::new(),
        pages: Vec::new(),
        cache_updates: Vec::new(),
        pages_parsed: 0,
        attachments: Vec::new(),
        links: super::links::SiteLinks::for_settings(&ctx.settings.screening.dead_links),
    };
    let cached_home = ctx.cache.get(site.url.as_str());
    // The portal's home page read by `discover: true` in this run is not asked again.
    let outcome = ctx
        .fetcher
        .get_kept(&site.url, validators(cached_home).as_ref())
        .await;
    // 304, or the very body read before from a page sent without validators.
    let unchanged = match &outcome {
        FetchOutcome::NotModified { .. } => true,
        FetchOutcome::Fetched(page) => cached_home.is_some_and(|c| c.same_body(&page.bytes)),
        _ => false,
    };
    let home = match outcome {
        _ if unchanged && reuse_site(ctx, cached_home) => {
            // Unchanged home page: its own parse (facts, columns found on it) is reused, but
            // never a column's walk: a column not shown on the home page can change without
            // the home page changing, so every column's first list page is requested again
            // (conditionally; a 304 there reuses that column's walk).
            if let Some(CachedPage {
                payload:
                    Payload::Home {
                        home,
                        columns,
                        meta,
                        name,
                        ..
                    },
                ..
            }) = cached_home
            {
                obs.home = home.clone();
                obs.name = name.clone();
                obs.pages.push(meta.clone());
                for (cname, class, url) in columns {
                    if let Ok(u) = Url::parse(url) {
                        let col = walk_column(ctx, cname, *class, &u, &mut obs).await;
                        obs.columns.push(col);
                    }
                }
            }
            sample_articles(ctx, &mut obs).await;
            finish_status(&mut obs);
            return obs;
        }
        FetchOutcome::Fetched(page) => page,
        FetchOutcome::NotModified { .. } => {
            // A 304 we cannot use (cache too old): read the page again unconditionally.
            match ctx.fetcher.get(&site.url, None).await {
                FetchOutcome::Fetched(page) => page,
                other => return not_assessable(obs, site, other),
            }
        }
        other => return not_assessable(obs, site, other),
    };
    obs.pages_parsed += 1;
    obs.home = home_facts(&home, ctx.observed_on);
    let home_meta = page_meta(&home, "home");
    if ctx.discovered.contains(&site.id)
        && let Some(name) = discovered_name(&home_meta, &site.name)
    {
        obs.name = name;
    }
    obs.pages.push(home_meta.clone());

    let mut columns: Vec<(String, ColumnClass, Url)> = site
        .columns
        .iter()
        .map(|p| (p.name.clone(), p.class, p.url.clone()))
        .collect();
    // The home page's navigation, parsed once for the columns, the 信息公开 page and the
    // list of columns the home page links; the same parse is screened for hidden links.
    let home_links = {
        let parsed = crate::extract::Parsed::new(&home.text);
        if let Some(s) = ctx.screening {
            s.home_read(&home, &parsed);
        }
        crate::extract::nav::links_of(&parsed, &home.url)
    };
    obs.links.add_links(&home.url, &home.text, &home_links);
    for (name, class, url, matched) in discover_columns(ctx, site, &home.url, &home_links, None) {
        obs.home.matched_names.push((url.to_string(), matched));
        columns.push((name, class, url));
    }
    let report_columns =
        info_annual_columns(ctx, site, &home.url, &home_links, &columns, &mut obs).await;
    columns.extend(report_columns);
    obs.home.unmatched_classes = unmatched_classes(ctx, &columns);
    let linked: HashSet<String> = home_links.iter().map(|l| super::page_key(&l.url)).collect();
    obs.home.linked_columns = columns
        .iter()
        .filter(|(_, _, u)| linked.contains(&super::page_key(u)))
        .map(|(_, _, u)| u.to_string())
        .collect();
    obs.cache_updates.push(CachedPage {
        url: site.url.to_string(),
        etag: home.etag.clone(),
        last_modified: home.last_modified.clone(),
        fetched_on: ctx.observed_on,
        payload: Payload::Home {
            home: obs.home.clone(),
            columns: columns
                .iter()
                .map(|(n, c, u)| (n.clone(), *c, u.to_string()))
                .collect(),
            meta: home_meta,
            name: obs.name.clone(),
            body: Some(body_hash(&home.bytes)),
        },
    });

    for (name, class, url) in columns {
        let col = walk_column(ctx, &name, class, &url, &mut obs).await;
        obs.columns.push(col);
    }
    sample_articles(ctx, &mut obs).await;
    finish_status(&mut obs);
    obs
}

/// A site whose home page could not be read: not assessable, with the reason.
fn not_assessable(
    mut obs: SiteObservation,
    site: &SiteConfig,
    other: FetchOutcome,
) -> SiteObservation {
    obs.status = match other {
        // Seen but not readable: not assessable, and never "unreachable".
        FetchOutcome::Blocked { .. }
        | FetchOutcome::Failed {
            failure: Failure::Unreadable(_),
            ..
        }
        | FetchOutcome::Skipped {
            reason: SkipReason::RobotsUnreadable,
            ..
        } => SiteStatus::Blocked,
        _ => SiteStatus::Unreachable,
    };
    obs.status_reason = Some(format!("首页{}", other.reason_zh()));
    obs.failures.push(failure(&other));
    // Pinned columns are still listed so the report shows what could not be seen.
    for pin in &site.columns {
        obs.columns.push(ColumnObservation {
            name: pin.name.clone(),
            class: pin.class,
            url: pin.url.to_string(),
            assessable: false,
            reason: obs.status_reason.clone(),
            seen_back_to: None,
            pages: 0,
            items: Vec::new(),
        });
    }
    obs
}

/// Partial when some column could not be read, or was read only in part.
fn finish_status(obs: &mut SiteObservation) {
    if let Some(bad) = obs
        .columns
        .iter()
        .find(|c| !c.assessable)
        .or_else(|| obs.columns.iter().find(|c| c.reason.is_some()))
    {
        obs.status = SiteStatus::Partial;
        let what = if bad.assessable {
            "只读取了部分列表"
        } else {
            "无法检测"
        };
        obs.status_reason = Some(format!(
            "{}栏目{what}：{}",
            bad.name,
            bad.reason.clone().unwrap_or_default()
        ));
    }
}

fn validators(cached: Option<&CachedPage>) -> Option<Validators> {
    let c = cached?;
    if c.etag.is_none() && c.last_modified.is_none() {
        return None;
    }
    Some(Validators {
        etag: c.etag.clone(),
        last_modified: c.last_modified.clone(),
    })
}

/// Whether an unchanged home page lets its previous parse (facts, columns found) be reused.
fn reuse_site(ctx: &WalkContext<'_>, cached: Option<&CachedPage>) -> bool {
    cached.is_some_and(|c| {
        matches!(c.payload, Payload::Home { .. })
            && (ctx.observed_on - c.fetched_on).num_days() <= MAX_REUSE_DAYS
            && c.fetched_on <= ctx.observed_on
    })
}

/// A column's previous walk, when it went back far enough for this run's period.
fn cached_walk<'c>(
    ctx: &'c WalkContext<'_>,
    url: &str,
) -> Option<(&'c CachedPage, &'c [ListItem], u32)> {
    let c = ctx.cache.get(url)?;
    match &c.payload {
        Payload::Column {
            items,
            pages,
            walked_back_to,
            ..
        } if *walked_back_to <= ctx.since => Some((c, items.as_slice(), *pages)),
        _ => None,
    }
}

/// Reuses a column's previous walk without a request (the site's home page was unchanged).
fn reuse_column(
    ctx: &WalkContext<'_>,
    name: &str,
    class: ColumnClass,
    url: &str,
    obs: &mut SiteObservation,
) -> Option<ColumnObservation> {
    let (cached, items, pages) = cached_walk(ctx, url)?;
    if let Payload::Column { meta, .. } = &cached.payload {
        obs.pages.push(meta.clone());
    }
    Some(ColumnObservation {
        name: name.to_string(),
        class,
        url: url.to_string(),
        assessable: true,
        reason: None,
        seen_back_to: None,
        pages,
        items: items.to_vec(),
    })
}

fn failure(o: &FetchOutcome) -> FailureRecord {
    let outcome = match o {
        FetchOutcome::Blocked { .. } => "blocked",
        FetchOutcome::Skipped { .. } => "skipped",
        _ => "failed",
    };
    FailureRecord {
        url: o.url().to_string(),
        outcome: outcome.to_string(),
        reason: o.reason_zh(),
    }
}

/// The home page's facts: its dated items (the newest on or before the observation day),
/// which case of 首页不更新 applies, and its meta tags.
fn home_facts(page: &Page, observed_on: NaiveDate) -> HomeFacts {
    let read = read_home(&page.text, &page.url, observed_on);
    let seen: Vec<&HomeItem> = read
        .items
        .iter()
        .filter(|i| i.date <= observed_on)
        .collect();
    let latest_item = seen
        .iter()
        .max_by_key(|i| i.date)
        .map(|i| Box::new((*i).clone()));
    let meta = PageMeta::parse(&page.text);
    HomeFacts {
        latest_date: latest_item.as_ref().map(|i| i.date),
        dated_entries: seen.len() as u32,
        site_name: meta.site_name,
        site_id_code: meta.site_id_code,
        layout: read.layout,
        latest_item,
        unreadable_reason: read.reason,
        undated_items: read.undated_rows as u32,
        unmatched_classes: Vec::new(),
        matched_names: Vec::new(),
        linked_columns: Vec::new(),
    }
}

/// A discovered site's name: its SiteName meta, else its title's site part, else the link
/// text it was found by. A SiteName shared with the portal (copied templates) is ignored.
fn discovered_name(meta: &PageMetaRecord, link_text: &str) -> Option<String> {
    let site_name = meta
        .site_name
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty() && !n.ends_with("区人民政府") && !n.ends_with("县人民政府"));
    if let Some(n) = site_name {
        return Some(n.to_string());
    }
    let title = meta.title.as_deref()?.trim();
    let part = title
        .rsplit(['_', '-', '|', '—'])
        .map(str::trim)
        .find(|p| !p.is_empty())?;
    if part.is_empty() || part == link_text {
        None
    } else {
        Some(part.to_string())
    }
}

/// Whether `url` belongs to `root`'s site: same origin and under its folder.
fn under(root: &Url, url: &Url) -> bool {
    if root.origin() != url.origin() {
        return false;
    }
    let dir = match root.path().rfind('/') {
        Some(i) => &root.path()[..=i],
        None => "/",
    };
    url.path().starts_with(dir)
}

/// The configured site whose folder holds `url` most specifically is `site`.
fn belongs_to(ctx: &WalkContext<'_>, site: &Url, url: &Url) -> bool {
    if !under(site, url) {
        return false;
    }
    let depth = |u: &Url| u.path().len();
    !ctx.site_roots
        .iter()
        .any(|other| other != site && depth(other) > depth(site) && under(other, url))
}

/// Columns found by name in a page's navigation (the home page's, or the 信息公开 page's
/// for `only` the 年报 class), for classes not pinned in config, each with the column name
/// its link text matched. `links` are the navigation links of the page at `page_url`.
fn discover_columns(
    ctx: &WalkContext<'_>,
    site: &SiteConfig,
    page_url: &Url,
    links: &[NavLink],
    only: Option<ColumnClass>,
) -> Vec<(String, ColumnClass, Url, String)> {
    let pinned: HashSet<ColumnClass> = site.columns.iter().map(|c| c.class).collect();
    let mut seen: HashSet<String> = site
        .columns
        .iter()
        .map(|c| super::page_key(&c.url))
        .collect();
    let mut out = Vec::new();
    for link in links {
        let text = link.text.trim();
        if text.is_empty() || text.chars().count() > MAX_COLUMN_NAME_CHARS {
            continue;
        }
        if super::looks_like_article(&link.url) {
            continue;
        }
        let Some((class, matched)) = matched_name(text, &ctx.settings.column_classes) else {
            continue;
        };
        if only.is_some_and(|o| o != class) {
            continue;
        }
        if pinned.contains(&class) || !belongs_to(ctx, &site.url, &link.url) {
            continue;
        }
        if super::page_key(&link.url) == super::page_key(page_url) {
            continue;
        }
        if seen.insert(super::page_key(&link.url)) {
            out.push((
                text.to_string(),
                class,
                link.url.clone(),
                matched.to_string(),
            ));
        }
    }
    out
}

/// A list page's links with its entries that are not among them: the entries a script
/// holds (Hanweb `<datastore>` records, a `dataproxy.jsp` answer) are no `<a>` of the page,
/// yet a removed article there is as dead a link as in a TRS list.
fn with_entries(mut links: Vec<NavLink>, items: &[ListItem]) -> Vec<NavLink> {
    let on_page: HashSet<&str> = links.iter().map(|l| l.url.as_str()).collect();
    let entries: Vec<NavLink> = items
        .iter()
        .filter(|i| !on_page.contains(i.url.as_str()))
        .filter_map(|i| {
            Some(NavLink {
                text: i.title.clone(),
                url: Url::parse(&i.url).ok()?,
            })
        })
        .collect();
    links.extend(entries);
    links
}

/// Link texts of the 政府信息公开 platform page, from which a site's 年报 column is often
/// reached only (not from the home page's own navigation).
const INFO_PAGE_NAMES: &[&str] = &["政府信息公开", "信息公开", "政务公开", "政府信息公开专栏"];

/// The 年报 columns of the site's 信息公开 page, when the home page links one and they are
/// not among `known`: the annual report is looked for there too (issue 10 item 10). One
/// request; a failure is recorded and leaves the home page's columns as they are.
async fn info_annual_columns(
    ctx: &WalkContext<'_>,
    site: &SiteConfig,
    home_url: &Url,
    home_links: &[NavLink],
    known: &[(String, ColumnClass, Url)],
    obs: &mut SiteObservation,
) -> Vec<(String, ColumnClass, Url)> {
    if site
        .columns
        .iter()
        .any(|c| c.class == ColumnClass::AnnualReport)
    {
        return Vec::new();
    }
    let known_keys: HashSet<String> = known
        .iter()
        .map(|(_, _, u)| super::page_key(u))
        .chain([super::page_key(home_url)])
        .collect();
    let Some(link) = home_links.iter().find(|l| {
        INFO_PAGE_NAMES.contains(&l.text.trim())
            && belongs_to(ctx, &site.url, &l.url)
            && !known_keys.contains(&super::page_key(&l.url))
    }) else {
        return Vec::new();
    };
    let page = match ctx.fetcher.get(&link.url, None).await {
        FetchOutcome::Fetched(p) => p,
        other => {
            obs.failures.push(failure(&other));
            return Vec::new();
        }
    };
    obs.pages_parsed += 1;
    let links = nav_links(&page.text, &page.url);
    obs.links.add_links(&page.url, &page.text, &links);
    discover_columns(
        ctx,
        site,
        &page.url,
        &links,
        Some(ColumnClass::AnnualReport),
    )
    .into_iter()
    .filter(|(_, _, u, _)| !known_keys.contains(&super::page_key(u)))
    .map(|(name, class, url, _)| (name, class, url))
    .collect()
}

/// The classes no column was found (or pinned) for, with the names that were looked for.
fn unmatched_classes(
    ctx: &WalkContext<'_>,
    columns: &[(String, ColumnClass, Url)],
) -> Vec<UnmatchedClass> {
    ColumnClass::ALL
        .into_iter()
        .filter(|c| !columns.iter().any(|(_, class, _)| class == c))
        .map(|c| UnmatchedClass {
            class: c.as_str().to_string(),
            names_tried: ctx
                .settings
                .column_classes
                .get(&c)
                .cloned()
                .unwrap_or_default(),
        })
        .collect()
}

/// Walks one column's list pages and returns what it saw. With an earlier walk in the
/// cache, page 1 is requested conditionally (304 → the earlier walk is reused), and a
/// changed list is walked only until a page whose entries were all seen before; the older
/// entries of the earlier walk complete it.
///
/// Where to stop is read from each page's dated, non-pinned items in list order
/// ([`page_reaches_start`]). The 年报 column is walked on all its pages (up to the page
/// limit): a report published later in the year sits on a later page. A walk cut before
/// the period start (a later page failed, the page limit, an underivable pager) keeps what
/// it read, with the reason and the day it saw back to ([`ColumnObservation::seen_back_to`]).
async fn walk_column(
    ctx: &WalkContext<'_>,
    name: &str,
    class: ColumnClass,
    url: &Url,
    obs: &mut SiteObservation,
) -> ColumnObservation {
    let limits = &ctx.settings.crawl;
    let previous = cached_walk(ctx, url.as_str());
    let walk_all = class == ColumnClass::AnnualReport;
    let mut col = ColumnObservation {
        name: name.to_string(),
        class,
        url: url.to_string(),
        assessable: true,
        reason: None,
        seen_back_to: None,
        pages: 0,
        items: Vec::new(),
    };
    let mut item_urls: HashSet<String> = HashSet::new();
    let mut requested: HashSet<String> = HashSet::new();
    let mut page_signatures: HashSet<Vec<String>> = HashSet::new();
    let mut queue: VecDeque<PageRequest> = VecDeque::new();
    let mut follow_next = false;
    let mut articles_fetched = 0u32;
    let mut first_page: Option<(Option<String>, Option<String>, PageMetaRecord, String)> = None;
    let mut completed_from_cache = false;
    let mut first_page_len = 0usize;
    let mut last_page_len = 0usize;
    // Whether a page read reached back before the period start, and how far back the
    // list was fully seen so far (for a cut walk).
    let mut reached_start = false;
    let mut seen_floor: Option<NaiveDate> = None;
    let mut unsorted_floor: Option<NaiveDate> = None;
    let mut cut: Option<String> = None;
    // The column's first page, where the records a POST pager answers are found for the
    // dead-link check.
    let mut list_page: Option<Url> = None;
    queue.push_back(PageRequest {
        url: url.clone(),
        form: None,
    });

    while let Some(req) = queue.pop_front() {
        let key = request_key(&req);
        if requested.contains(&key) {
            continue;
        }
        if col.pages >= limits.max_pages_per_column {
            cut = Some(format!(
                "已达每栏目翻页上限（{}页），更早的列表页未读取",
                limits.max_pages_per_column
            ));
            break;
        }
        requested.insert(key);
        let conditional = if col.pages == 0 {
            previous.and_then(|(c, _, _)| validators(Some(c)))
        } else {
            None
        };
        let outcome = match &req.form {
            Some(form) => ctx.fetcher.post_form(&req.url, form).await,
            None => ctx.fetcher.get(&req.url, conditional.as_ref()).await,
        };
        let page = match outcome {
            FetchOutcome::Fetched(p) => {
                // A first page sent without validators, with the very body read before:
                // as good as a 304.
                if col.pages == 0
                    && previous.is_some_and(|(c, _, _)| c.same_body(&p.bytes))
                    && let Some(reused) = reuse_column(ctx, name, class, url.as_str(), obs)
                {
                    return reused;
                }
                p
            }
            FetchOutcome::NotModified { .. } if col.pages == 0 => {
                if let Some(reused) = reuse_column(ctx, name, class, url.as_str(), obs) {
                    return reused;
                }
                // Not reusable after all: read it unconditionally.
                requested.remove(&request_key(&req));
                queue.push_front(req);
                continue;
            }
            FetchOutcome::Failed {
                failure: Failure::Http(404 | 410),
                ..
            } if col.pages > 0 && last_page_len < first_page_len => {
                // A pager that declares more pages than exist (TRS templates do): the
                // previous page was short, so it was the real last page.
                ctx.fetcher.count_list_end();
                break;
            }
            other => {
                obs.failures.push(failure(&other));
                if col.pages == 0 {
                    col.assessable = false;
                    col.reason = Some(format!("栏目页{}", other.reason_zh()));
                } else {
                    cut = Some(format!("第{}页{}", col.pages + 1, other.reason_zh()));
                }
                break;
            }
        };
        col.pages += 1;
        obs.pages_parsed += 1;
        if col.pages == 1 {
            let meta = page_meta(&page, "list");
            obs.pages.push(meta.clone());
            first_page = Some((
                page.etag.clone(),
                page.last_modified.clone(),
                meta,
                body_hash(&page.bytes),
            ));
        }
        let list = if !obs.links.is_off() {
            // One parse for the list and the links of the page.
            let (list, links) = read_list_and_links(&page.text, &page.url, Some(ctx.observed_on));
            let links = with_entries(links, &list.items);
            match (&req.form, &list_page) {
                // A `dataproxy.jsp` answer (POST): its records are the column page's.
                (Some(_), Some(first)) => obs.links.add_part(first, &links),
                _ => obs.links.add_links(&page.url, &page.text, &links),
            }
            if col.pages == 1 {
                list_page = Some(page.url.clone());
            }
            list
        } else {
            read_list(&page.text, &page.url, Some(ctx.observed_on))
        };
        let mut items = list.items;
        last_page_len = items.iter().filter(|i| !i.pinned).count();
        if col.pages == 1 {
            first_page_len = last_page_len;
        }
        let signature: Vec<String> = items.iter().map(|i| i.url.clone()).collect();
        if !signature.is_empty() && !page_signatures.insert(signature) {
            // The pager repeated a page: the list has ended.
            break;
        }
        if col.pages == 1 && items.is_empty() {
            if let Some(single) = single_page_item(&page, name, class) {
                col.items.push(single);
            } else if let ListReading::Unreadable(why) = list.reading {
                // Not blank: nothing could be seen (CONTRACT §3).
                col.assessable = false;
                col.reason = Some(format!("列表无法读取：{why}"));
            }
            break;
        }
        for item in &items {
            if let Some(kind) = document_kind(&item.url) {
                obs.attachments.push(AttachmentRecord {
                    article_url: page.url.to_string(),
                    url: item.url.clone(),
                    name: item.title.clone(),
                    kind,
                });
            }
        }
        date_from_articles(ctx, &mut items, &mut articles_fetched, walk_all, obs).await;
        let dates: Vec<NaiveDate> = items
            .iter()
            .filter(|i| !i.pinned)
            .filter_map(|i| i.date)
            .collect();
        let past_start = page_reaches_start(&dates, ctx.since);
        reached_start |= past_start;
        if let Some((floor, sorted)) = page_floor(&dates) {
            seen_floor = Some(floor);
            if !sorted {
                unsorted_floor = unsorted_floor.max(Some(floor));
            }
        }
        let empty = items.is_empty();
        // Every entry of this page was in the earlier walk: the rest of the list is too.
        let all_known = !empty
            && previous.is_some_and(|(_, old, _)| {
                items.iter().all(|i| old.iter().any(|o| o.url == i.url))
            });
        for item in items {
            if item_urls.insert(item.url.clone()) {
                col.items.push(item);
            }
        }
        if all_known && col.pages > 1 {
            if let Some((_, old, _)) = previous {
                for item in old {
                    if item_urls.insert(item.url.clone()) {
                        col.items.push(item.clone());
                    }
                }
            }
            completed_from_cache = true;
            break;
        }
        if (past_start && !walk_all) || empty {
            break;
        }
        if col.pages == 1 || follow_next {
            match detect(&page.text, &page.url) {
                Pager::Pages(pages) if col.pages == 1 => queue.extend(pages),
                Pager::Next(next) => {
                    follow_next = true;
                    queue.push_back(next);
                }
                Pager::Unknown(reason) if col.pages == 1 => {
                    cut = Some(reason);
                    break;
                }
                _ => {}
            }
        }
    }
    // A cut matters only while the period is not yet fully seen: the 年报 column walks on
    // past the period start, and what lies beyond is years old.
    if let Some(reason) = cut.filter(|_| !reached_start) {
        col.reason = Some(reason);
        // A page out of date order read earlier bounds what the later pages prove.
        let floor = seen_floor.max(unsorted_floor);
        col.seen_back_to = Some(floor.unwrap_or(ctx.observed_on));
    }
    if col.assessable
        && col.reason.is_none()
        && let Some((etag, last_modified, meta, body)) = first_page
    {
        let walked_back_to = if completed_from_cache {
            previous.map_or(ctx.since, |(c, _, _)| match &c.payload {
                Payload::Column { walked_back_to, .. } => (*walked_back_to).min(ctx.since),
                _ => ctx.since,
            })
        } else {
            ctx.since
        };
        obs.cache_updates.push(CachedPage {
            url: url.to_string(),
            etag,
            last_modified,
            fetched_on: ctx.observed_on,
            payload: Payload::Column {
                items: col.items.clone(),
                pages: col.pages,
                walked_back_to,
                meta,
                body: Some(body),
            },
        });
    }
    col
}

/// Most entries at the top of a list page taken for pinned ones without a 置顶 mark.
const MAX_UNMARKED_PINS: usize = 3;

/// A page's dates (list order) without the up to [`MAX_UNMARKED_PINS`] older entries at
/// its top that stand above newer ones (pinned without a 置顶 mark).
fn without_unmarked_pins(dates: &[NaiveDate]) -> &[NaiveDate] {
    let mut body = dates;
    for _ in 0..MAX_UNMARKED_PINS {
        match body {
            [first, second, ..] if first < second => body = &body[1..],
            _ => break,
        }
    }
    body
}

/// The part of a page's dates (list order) that runs newest first, once entries pinned
/// without a mark are set aside; `None` for a page out of date order.
fn sorted_body(dates: &[NaiveDate]) -> Option<&[NaiveDate]> {
    if is_ascending(dates) {
        return None;
    }
    let body = without_unmarked_pins(dates);
    body.windows(2).all(|w| w[0] >= w[1]).then_some(body)
}

/// Whether a list page, from its dated non-pinned items in list order, shows that the
/// walk has reached the period start: what later pages may hold ([`page_floor`]) lies
/// before the period (unless the page runs oldest first, where later pages are newer). A
/// page out of date order walks on: an old item pinned without a 置顶 mark, or a list out
/// of date order, must not end the walk early.
fn page_reaches_start(dates: &[NaiveDate], since: NaiveDate) -> bool {
    page_floor(dates).is_some_and(|(floor, _)| floor < since) && !is_ascending(dates)
}

/// A page running oldest first (at least two different dates).
fn is_ascending(dates: &[NaiveDate]) -> bool {
    dates.windows(2).all(|w| w[0] <= w[1]) && dates.first() < dates.last()
}

/// The newest date later pages of the list may hold (the list is complete after it), and
/// whether the page runs strictly newest first:
/// - in order (after unmarked pins): its last date;
/// - newest first but for a few entries out of place (re-dated entries, as on real TRS
///   lists): the oldest of its last [`TAIL_ENTRIES`] dates plus the biggest step the page
///   takes the wrong way (later pages may be that much out of place too), at least the
///   newest of those tail dates;
/// - out of order: its newest date (older dates may continue anywhere).
fn page_floor(dates: &[NaiveDate]) -> Option<(NaiveDate, bool)> {
    if let Some(last) = sorted_body(dates).and_then(|b| b.last()) {
        return Some((*last, true));
    }
    let body = without_unmarked_pins(dates);
    if mostly_newest_first(body) {
        let jitter = body
            .windows(2)
            .map(|w| (w[1] - w[0]).num_days())
            .max()
            .unwrap_or(0);
        let tail = &body[body.len().saturating_sub(TAIL_ENTRIES)..];
        let (lo, hi) = (tail.iter().min()?, tail.iter().max()?);
        return Some(((*lo + chrono::Duration::days(jitter)).max(*hi), false));
    }
    dates.iter().max().map(|d| (*d, false))
}

/// Entries at the end of a page that bound what later pages hold on a list that is newest
/// first but for a few entries out of place.
const TAIL_ENTRIES: usize = 3;

/// A page whose dates run newest first with at most one pair in five the other way round
/// (at least five pairs, so a short page is never taken for sorted by chance).
fn mostly_newest_first(dates: &[NaiveDate]) -> bool {
    let pairs = dates.len().saturating_sub(1);
    let rising = dates.windows(2).filter(|w| w[0] < w[1]).count();
    pairs >= 5 && rising * 5 <= pairs
}

/// Dates the undated entries of a list page: from an earlier run's reading of the article
/// (cache), else by reading the article page (bounded per column), else from the URL.
/// With `keep` (a 年报 column) the pages read are kept for the annual-report reader.
async fn date_from_articles(
    ctx: &WalkContext<'_>,
    items: &mut [ListItem],
    articles_fetched: &mut u32,
    keep: bool,
    obs: &mut SiteObservation,
) {
    let limits = &ctx.settings.crawl;
    for item in items.iter_mut().filter(|i| i.date.is_none()) {
        let Ok(article_url) = Url::parse(&item.url) else {
            continue;
        };
        if !ctx.cache.contains_key(article_url.as_str()) {
            if *articles_fetched >= limits.max_articles_per_column {
                break;
            }
            if !ctx.fetcher.in_scope(&article_url) {
                continue;
            }
            *articles_fetched += 1;
        }
        // Not recorded for the metadata check: that uses the same sample every run
        // (`sample_articles`), so an unchanged site scores the same.
        if let Some((Some(d), source, _)) = read_article(ctx, &article_url, keep, obs).await {
            item.date = Some(d);
            item.date_source = source;
        }
    }
    // Fall back to the URL's creation date only when nothing better exists.
    for item in items.iter_mut().filter(|i| i.date.is_none()) {
        if let Some(d) = item.url_date {
            item.date = Some(d);
            item.date_source = DateSource::Url;
        }
    }
}

/// An article's date, its source and meta tags: from the cache when an earlier run read
/// it (articles keep their date), else read now and remembered. Its attachments are
/// recorded either way. An article read earlier in this run (for a date, then for the
/// metadata sample) is not requested again. With `keep` the fetched page is kept for the
/// annual-report reader ([`Fetcher::get_and_keep`]). None when it could not be read (the
/// failure is recorded).
async fn read_article(
    ctx: &WalkContext<'_>,
    url: &Url,
    keep: bool,
    obs: &mut SiteObservation,
) -> Option<(Option<NaiveDate>, DateSource, PageMetaRecord)> {
    let earlier = obs
        .cache_updates
        .iter()
        .rev()
        .find(|c| c.url == url.as_str())
        .map(|c| (c, false))
        .or_else(|| ctx.cache.get(url.as_str()).map(|c| (c, true)));
    if let Some((
        CachedPage {
            payload:
                Payload::Article {
                    date,
                    date_source,
                    meta,
                    attachments,
                },
            ..
        },
        from_earlier_run,
    )) = earlier
    {
        let found = (*date, *date_source, meta.clone());
        // An article read in this run had its attachments recorded then.
        let attachments = if from_earlier_run {
            attachments.clone()
        } else {
            Vec::new()
        };
        obs.attachments.extend(attachments);
        return Some(found);
    }
    // Read once in the run, by the first walk that needs it; a page kept for the
    // annual-report reader stays kept for every site's reader.
    let articles = ctx.articles;
    let cell = articles.cell(url.as_str());
    let mut ours = false;
    let mut read = cell
        .get_or_init(|| {
            ours = true;
            fetch_article(ctx, url, keep, true, obs)
        })
        .await
        .clone();
    if !ours && read.is_ok() {
        if keep && !ctx.fetcher.is_kept(url) {
            // Another walk read it and did not keep it (it lists the page in another
            // column): read again, kept, for this site's annual-report reader.
            read = fetch_article(ctx, url, true, false, obs).await;
        } else if let Ok(facts) = &read
            && !obs.links.is_off()
        {
            // Another site's walk read it: its links count for this site too.
            match &facts.links {
                Some(l) => {
                    obs.links
                        .add_links_titled(&l.url, l.title.as_deref(), &l.links());
                    articles.note_links(&obs.site_id, url);
                }
                None => {
                    let _ = fetch_article(ctx, url, keep, false, obs).await;
                }
            }
        }
    }
    match read {
        Ok(facts) => {
            obs.attachments.extend(facts.attachments.iter().cloned());
            obs.cache_updates.push(CachedPage {
                url: url.to_string(),
                etag: None,
                last_modified: None,
                fetched_on: ctx.observed_on,
                payload: Payload::Article {
                    date: facts.date,
                    date_source: facts.date_source,
                    meta: facts.meta.clone(),
                    attachments: facts.attachments,
                },
            });
            Some((facts.date, facts.date_source, facts.meta))
        }
        Err(failure) => {
            obs.failures.push(failure);
            None
        }
    }
}

/// Requests and reads an article page: hands it to the screening and, for the dead-link
/// check, adds its links to the walk's site; with `hold`, also holds them for another
/// site that takes this read.
async fn fetch_article(
    ctx: &WalkContext<'_>,
    url: &Url,
    keep: bool,
    hold: bool,
    obs: &mut SiteObservation,
) -> ArticleRead {
    let fetched = if keep {
        ctx.fetcher.get_and_keep(url).await
    } else {
        ctx.fetcher.get(url, None).await
    };
    let p = match fetched {
        FetchOutcome::Fetched(p) => p,
        other => return Err(failure(&other)),
    };
    // One parse for the article, its screening and its links.
    let (a, links) = {
        let parsed = crate::extract::Parsed::new(&p.text);
        let a = crate::extract::article::article_of(&parsed, &p.url);
        if let Some(s) = ctx.screening {
            s.article_read(&p, &parsed, &a);
        }
        let mut held = None;
        if !obs.links.is_off() {
            let links = crate::extract::nav::links_of(&parsed, &p.url);
            let title = super::links::page_title(&p.text);
            obs.links.add_links_titled(&p.url, title.as_deref(), &links);
            ctx.articles.note_links(&obs.site_id, url);
            if hold {
                held = ctx
                    .articles
                    .hold(PageLinks::new(p.url.clone(), title, &links));
            }
        }
        (a, held)
    };
    let meta = PageMetaRecord::from_meta(p.url.as_str(), "article", &a.meta, a.title.clone());
    let attachments = AttachmentRecord::of_article(url.as_str(), &a);
    Ok(ArticleFacts {
        date: a.date,
        date_source: a.date_source,
        meta,
        attachments,
        links,
    })
}

/// Articles read per site for the metadata check.
const META_SAMPLE_ARTICLES: usize = 3;

/// Reads the newest in-scope article of the first columns (from the cache when an earlier
/// run read it), so every site has the same sample of article pages for the metadata check.
async fn sample_articles(ctx: &WalkContext<'_>, obs: &mut SiteObservation) {
    let wanted: Vec<(Url, bool)> = obs
        .columns
        .iter()
        .filter(|c| c.assessable)
        .filter_map(|c| {
            c.items
                .iter()
                .filter(|i| i.url != c.url)
                .filter_map(|i| Url::parse(&i.url).ok())
                .find(|u| ctx.fetcher.in_scope(u))
                .map(|u| (u, c.class == ColumnClass::AnnualReport))
        })
        .take(META_SAMPLE_ARTICLES)
        .collect();
    for (url, keep) in wanted {
        if let Some((_, _, meta)) = read_article(ctx, &url, keep, obs).await {
            obs.pages.push(meta);
        }
    }
}

fn page_meta(page: &Page, kind: &str) -> PageMetaRecord {
    let meta = PageMeta::parse(&page.text);
    let title = TITLE
        .captures(&page.text)
        .map(|c| crate::extract::text::collapse_ws(&c[1]));
    PageMetaRecord::from_meta(page.url.as_str(), kind, &meta, title)
}

static TITLE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?is)<title[^>]*>(.*?)</title>").expect("valid regex"));

/// The document kind of a link (by extension, or a `downfile.jsp?filename=x.pdf` name).
fn document_kind(url: &str) -> Option<String> {
    let u = Url::parse(url).ok()?;
    let from_query = u
        .query_pairs()
        .find(|(k, _)| k.eq_ignore_ascii_case("filename"))
        .map(|(_, v)| v.to_string());
    let name = from_query.unwrap_or_else(|| u.path().to_string());
    AttachmentKind::from_file_name(&name).map(|k| format!("{k:?}").to_ascii_lowercase())
}

fn request_key(req: &PageRequest) -> String {
    match &req.form {
        None => req.url.to_string(),
        Some(form) => format!(
            "{} {}",
            req.url,
            form.iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join("&")
        ),
    }
}

/// A column page that is itself the content (机构概况, 单位领导 "概览页"): one item dated by
/// the page. A list page with no entries and no date of its own is a blank column.
fn single_page_item(page: &Page, name: &str, class: ColumnClass) -> Option<ListItem> {
    let article = extract_article(&page.text, &page.url);
    let single_page_class = matches!(class, ColumnClass::Org | ColumnClass::Leaders);
    if article.date.is_none() && !single_page_class {
        return None;
    }
    if article.text.chars().count() < 20 {
        return None;
    }
    Some(ListItem {
        title: article.title.unwrap_or_else(|| name.to_string()),
        url: page.url.to_string(),
        date: article.date,
        date_source: article.date_source,
        url_date: None,
        pinned: false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The links held for other walks stop at the allowance, and a cleared registry holds
    /// nothing and starts counting again.
    #[test]
    fn held_links_stop_at_the_allowance_and_clear_frees_them() {
        let page = |n: usize| {
            let links: Vec<NavLink> = (0..n)
                .map(|i| NavLink {
                    text: "链接".into(),
                    url: Url::parse(&format!("http://a.example/{i:06}.html")).unwrap(),
                })
                .collect();
            PageLinks::new(Url::parse("http://a.example/p.html").unwrap(), None, &links)
        };
        let fit = MAX_HELD_LINK_BYTES / page(1).size();
        // Held compactly, the links come back as they were.
        let links = vec![NavLink {
            text: "附件：统计表.xls".into(),
            url: Url::parse("http://a.example/down.jsp?filename=a%20b.xls").unwrap(),
        }];
        let url = Url::parse("http://a.example/p.html").unwrap();
        let held = PageLinks::new(url, Some("标题".into()), &links);
        assert_eq!(held.links(), links);
        assert_eq!(held.title.as_deref(), Some("标题"));
        let articles = RunArticles::default();
        assert!(articles.hold(page(fit * 2 / 3)).is_some());
        assert!(
            articles.hold(page(fit * 2 / 3)).is_none(),
            "past the allowance"
        );
        assert!(articles.hold(page(1)).is_some(), "a small page still fits");
        articles.note_links("s", &Url::parse("http://a.example/p.html").unwrap());
        assert!(articles.has_links("s", "http://a.example/p.html"));
        assert!(!articles.has_links("t", "http://a.example/p.html"));
        // After the crawl only the links of the reads that hold them are kept.
        let facts = |links| ArticleFacts {
            date: None,
            date_source: DateSource::Url,
            meta: PageMetaRecord::default(),
            attachments: Vec::new(),
            links,
        };
        let (read, failed, bare) = (
            "http://a.example/r",
            "http://a.example/f",
            "http://a.example/b",
        );
        let held = articles.hold(page(2)).unwrap();
        assert!(articles.cell(read).set(Ok(facts(Some(held)))).is_ok());
        let failure = FailureRecord {
            url: failed.into(),
            outcome: "failed".into(),
            reason: "HTTP 404".into(),
        };
        assert!(articles.cell(failed).set(Err(failure)).is_ok());
        assert!(articles.cell(bare).set(Ok(facts(None))).is_ok());
        articles.crawl_done();
        assert_eq!(articles.held_links(read).map(|l| l.links().len()), Some(2));
        assert!(articles.held_links(failed).is_none());
        assert!(articles.held_links(bare).is_none());
        assert!(articles.reads.lock().unwrap().is_empty());
        articles.clear();
        assert!(articles.held_links(read).is_none());
        assert!(!articles.has_links("s", "http://a.example/p.html"));
        assert!(articles.hold(page(fit * 2 / 3)).is_some());
    }

    #[test]
    fn column_key_ignores_index_file_and_fragment() {
        let a = Url::parse("http://x.gov.cn/zwgk/tzgg/index.html#top").unwrap();
        let b = Url::parse("http://x.gov.cn/zwgk/tzgg/").unwrap();
        assert_eq!(crate::crawl::page_key(&a), crate::crawl::page_key(&b));
    }

    #[test]
    fn under_requires_same_origin_and_folder() {
        let root = Url::parse("http://127.0.0.1:8080/bm/jyj/").unwrap();
        assert!(under(
            &root,
            &Url::parse("http://127.0.0.1:8080/bm/jyj/zxdt/").unwrap()
        ));
        assert!(!under(
            &root,
            &Url::parse("http://127.0.0.1:8080/bm/czj/zxdt/").unwrap()
        ));
        assert!(!under(
            &root,
            &Url::parse("http://127.0.0.1:8081/bm/jyj/zxdt/").unwrap()
        ));
        let portal = Url::parse("http://127.0.0.1:8080/").unwrap();
        assert!(under(
            &portal,
            &Url::parse("http://127.0.0.1:8080/bm/jyj/").unwrap()
        ));
    }

    fn days(list: &[&str]) -> Vec<NaiveDate> {
        list.iter()
            .map(|s| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap())
            .collect()
    }

    #[test]
    fn the_walk_stops_at_the_boundary_page_of_a_newest_first_list() {
        let since = days(&["2023-01-01"])[0];
        // Descending, the last before the period: the boundary page.
        assert!(page_reaches_start(
            &days(&["2023-01-09", "2023-01-03", "2022-12-28"]),
            since
        ));
        // Descending, all inside: walk on.
        assert!(!page_reaches_start(
            &days(&["2023-01-09", "2023-01-03", "2023-01-02"]),
            since
        ));
        // Every date before the period ends the walk.
        assert!(page_reaches_start(
            &days(&["2022-12-09", "2022-12-28", "2022-11-01"]),
            since
        ));
        // …unless the list runs oldest first (later pages are newer).
        assert!(!page_reaches_start(
            &days(&["2022-10-09", "2022-11-03", "2022-12-28"]),
            since
        ));
        // Nothing dated: no evidence, walk on.
        assert!(!page_reaches_start(&[], since));
    }

    #[test]
    fn a_page_newest_first_but_for_a_few_entries_out_of_place_is_seen_back_to_its_tail() {
        // 国家旅游局 市场推广 (../shared/realworld/cnta/zdgz/sctg/): re-dated entries at the
        // top and two swapped at the bottom.
        let cnta = days(&[
            "2017-10-14",
            "2017-10-10",
            "2017-10-15",
            "2017-10-11",
            "2017-10-14",
            "2017-10-05",
            "2017-10-04",
            "2017-10-03",
            "2017-10-03",
            "2017-09-27",
            "2017-09-27",
            "2017-09-26",
            "2017-09-26",
            "2017-09-26",
            "2017-09-17",
            "2017-09-15",
            "2017-08-28",
            "2017-08-27",
            "2017-08-24",
            "2017-08-25",
        ]);
        // Entries up to 5 days out of place (10-10 above 10-15): page 2 may still hold
        // entries up to 5 days newer than the tail's 08-24.
        assert_eq!(page_floor(&cnta), Some((days(&["2017-08-29"])[0], false)));
        assert!(!page_reaches_start(&cnta, days(&["2017-08-28"])[0]));
        assert!(page_reaches_start(&cnta, days(&["2017-08-30"])[0]));
        // Two runs newest first, the second a month newer: later pages may be a month
        // out of place too, so nothing on this page is known complete.
        let sawtooth = days(&[
            "2023-03-12",
            "2023-03-11",
            "2023-03-10",
            "2023-03-02",
            "2023-03-01",
            "2023-03-28",
            "2023-03-27",
            "2023-03-26",
            "2023-03-25",
            "2023-03-24",
            "2023-03-23",
        ]);
        assert_eq!(
            page_floor(&sawtooth),
            Some((days(&["2023-04-19"])[0], false))
        );
        // Half the pairs the other way round: no order to rely on.
        let shuffled = days(&[
            "2023-02-10",
            "2023-01-02",
            "2023-02-08",
            "2023-01-05",
            "2023-02-01",
            "2023-01-09",
            "2023-01-30",
        ]);
        assert_eq!(
            page_floor(&shuffled),
            Some((days(&["2023-02-10"])[0], false))
        );
    }

    #[test]
    fn an_unmarked_pinned_old_item_or_an_unsorted_page_does_not_stop_the_walk_early() {
        let since = days(&["2023-01-01"])[0];
        // An old item on top (pinned without a 置顶 mark), the rest newest first and
        // inside the period: walk on.
        let pinned = days(&["2022-06-01", "2023-02-10", "2023-02-03", "2023-01-20"]);
        assert!(!page_reaches_start(&pinned, since));
        assert_eq!(page_floor(&pinned), Some((days(&["2023-01-20"])[0], true)));
        // …and on its boundary page the walk stops.
        assert!(page_reaches_start(
            &days(&["2022-06-01", "2023-01-10", "2022-12-20"]),
            since
        ));
        // An old item in the middle of the page: out of order, walk on; only the newest
        // date bounds what the page proves.
        let unsorted = days(&["2023-02-10", "2023-02-03", "2022-06-01", "2023-01-20"]);
        assert!(!page_reaches_start(&unsorted, since));
        assert_eq!(
            page_floor(&unsorted),
            Some((days(&["2023-02-10"])[0], false))
        );
    }
}
