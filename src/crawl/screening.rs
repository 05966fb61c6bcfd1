//! The content screening stage of a run (issue 14 item 1): after the crawl and the annual
//! reports, for each assessable site, the items published in the assessment period — their
//! titles, article bodies and attachments (PDF, DOCX, XLSX) — are screened with the run's one
//! [`Screener`] for 错别字, 格式差错, 严重表述错误, 敏感词, personal data and (on article
//! pages) 暗链; every document's result is stored (`store::screening`).
//!
//! Politeness and cost: pages go through the run's [`Fetcher`] (scope, robots, delays) and its
//! requests are counted apart from the crawl's ([`ScreeningStats`]). An article the walker
//! fetched in this run is screened from the walker's page ([`Screening::article_read`]) and
//! never requested again; another site listing it takes its links from the walker's read
//! ([`super::walker::RunArticles`]). In a later run an article screened before is reused without a
//! request for [`RECHECK_DAYS`]; after that it is asked for conditionally (ETag /
//! Last-Modified), and an unchanged answer (304, or the same bytes) reuses the stored result.
//! Attachments are read up to `screening.attachment_max_bytes`; DOC/WPS/XLS/OFD are listed as
//! not screened with the reason. Items of the 年报 column are left to the annual-report stage,
//! which reads them (and checks their wording) already.
//!
//! Must not: judge (checks::content and the rules do), or store unmasked personal data (the
//! screener masks it; the store masks again).

use super::fetch::{FetchOutcome, Fetcher, Page, Validators};
use crate::config::Settings;
use crate::extract::Parsed;
use crate::extract::article::{Article, AttachmentKind, article_of};
use crate::extract::nav::links_of;
use crate::model::ColumnClass;
use crate::pipeline::{Db, RunError, StoreThread};
use crate::screen::{Hit, HitKind, Screener};
use crate::store::{DocStatus, NewDoc, PriorDoc, ScreenDoc, SiteSnap, StoredHit};
use chrono::NaiveDate;
use futures::StreamExt;
use serde::Serialize;
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use url::Url;

/// An article screened in an earlier run is reused without any request for this many days
/// (articles rarely change once published); after that it is asked for conditionally.
pub const RECHECK_DAYS: i64 = 30;

/// What the stage did in one run (requests counted apart from the crawl's).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct ScreeningStats {
    /// HTTP requests the stage sent (article pages and attachments).
    pub requests: u64,
    /// Body bytes it read.
    pub bytes: u64,
    /// Article pages screened in this run (fetched by the stage or the walker).
    pub pages_screened: u64,
    /// Article pages whose earlier result was reused (unchanged or recently screened).
    pub pages_reused: u64,
    /// Items of which only the title could be screened.
    pub titles_only: u64,
    /// Attachments screened.
    pub attachments_screened: u64,
    /// Documents not screened (format, size, unreadable), each stored with its reason.
    pub not_screened: u64,
    /// Hits found in this run's new screenings.
    pub hits: u64,
}

/// An article page the walker fetched in this run, already screened.
#[derive(Clone)]
struct Walked {
    title: String,
    hash: String,
    etag: Option<String>,
    last_modified: Option<String>,
    hits: Vec<Hit>,
    attachments: Vec<(Url, String, AttachmentKind)>,
}

/// The screening of one run: its screener (built once) and the article pages the walker
/// fetched. Create it before the crawl; hand it to the walker; call `Screening::run` after
/// the annual reports.
pub struct Screening {
    screener: Option<Arc<Screener>>,
    max_bytes: usize,
    /// The dead-link check's settings: the links of the article pages this stage reads are
    /// handed to it (it runs after this stage).
    dead_links: crate::config::DeadLinkSettings,
    walked: Mutex<HashMap<String, Walked>>,
    /// Home pages the walker read in this run, screened for hidden links.
    homes: Mutex<HashMap<String, Walked>>,
}

/// The title a home page's screening is stored under.
const HOME_TITLE: &str = "网站首页";

impl Screening {
    /// The run's screening, or an error naming the dictionary that cannot be read. With
    /// `screening.enabled: false` nothing is screened and nothing is kept.
    pub fn new(settings: &Settings) -> Result<Screening, String> {
        let s = &settings.screening;
        let screener = if s.enabled {
            Some(Arc::new(Screener::from_settings(s)?))
        } else {
            None
        };
        Ok(Screening {
            screener,
            max_bytes: s.attachment_max_bytes,
            dead_links: s.dead_links.clone(),
            walked: Mutex::new(HashMap::new()),
            homes: Mutex::new(HashMap::new()),
        })
    }

    /// Called by the walker for every home page it reads: its source is screened for hidden
    /// links (暗链 are planted on home pages above all); the hits are stored with the site's
    /// other results when the stage runs. A home page answering 304 keeps its earlier result.
    pub fn home_read(&self, page: &Page, parsed: &Parsed<'_>) {
        let Some(screener) = &self.screener else {
            return;
        };
        let walked = Walked {
            title: HOME_TITLE.to_string(),
            hash: fnv1a(&page.bytes),
            etag: page.etag.clone(),
            last_modified: page.last_modified.clone(),
            hits: screener.hidden_links_of(parsed, &page.url),
            attachments: Vec::new(),
        };
        self.homes
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(page.url.to_string(), walked);
    }

    /// Called by the walker for every article page it fetches: the page is screened now
    /// (title, body, hidden links) and only the hits are kept, so the stage never requests
    /// it again and no page body is held until the stage runs.
    pub fn article_read(&self, page: &Page, parsed: &Parsed<'_>, article: &Article) {
        let Some(screener) = &self.screener else {
            return;
        };
        let title = article.title.clone().unwrap_or_default();
        let hits = screen_page(screener, parsed, &page.url, article, &title, article.date);
        let walked = Walked {
            title,
            hash: fnv1a(&page.bytes),
            etag: page.etag.clone(),
            last_modified: page.last_modified.clone(),
            hits,
            attachments: attachments_of(article),
        };
        self.walked
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(page.url.to_string(), walked);
    }

    /// Screens every assessable site of the stored run `run_id` and stores the results; each
    /// site's stored lists are loaded just before it is screened (the run is never held
    /// whole).
    pub(crate) async fn run(
        &self,
        fetcher: &Fetcher,
        db: &Db,
        run_id: i64,
        concurrency: usize,
        articles: &super::walker::RunArticles,
    ) -> Result<ScreeningStats, RunError> {
        let Some(screener) = &self.screener else {
            return Ok(ScreeningStats::default());
        };
        let before = fetcher.stats();
        // Each site's lists and earlier screenings are read through a connection of their
        // own while the results of the sites before are written through `db`.
        let reader = db.reader().await?;
        let (run, ids) = reader
            .call(move |s| -> Result<_, crate::store::StoreError> {
                Ok((s.run_info(run_id)?, s.run_site_ids_hosts_in_turn(run_id)?))
            })
            .await?;
        let (from, to) = (run.period_start, run.as_of);
        let shared = SharedReads {
            urls: reader
                .call(move |s| s.shared_item_urls(run_id, from, to))
                .await?,
            ..SharedReads::default()
        };
        let ctx = SiteCtx {
            fetcher,
            reader: &reader,
            screener,
            walked: &self.walked,
            homes: &self.homes,
            max_bytes: self.max_bytes,
            dead_links: &self.dead_links,
            run: &run,
            shared: &shared,
            articles,
        };
        let ctx = &ctx;
        let mut sites = futures::stream::iter(ids)
            .map(|id| async move {
                let at = ctx.run.clone();
                let site = ctx.reader.call(move |s| s.site_columns(&at, &id)).await?;
                match site.filter(|s| s.status.assessable()) {
                    Some(site) => screen_site(ctx, &site).await.map(Some),
                    None => Ok(None),
                }
            })
            .buffer_unordered(concurrency.max(1));
        // Each site's results are queued for a writer thread, so the sites in flight go on
        // while SQLite writes (a write awaited here would hold all of them meanwhile).
        let writer = StoreThread::start(db);
        let mut stats = ScreeningStats::default();
        let screened = async {
            while let Some(done) = sites.next().await {
                let Some(done) = done? else { continue };
                add(&mut stats, &done.stats);
                let SiteDone {
                    site_id,
                    docs,
                    reuse,
                    links,
                    ..
                } = done;
                writer
                    .write(move |s| {
                        s.record_screening(run_id, &site_id, &docs)?;
                        if !links.is_empty() {
                            s.record_links(run_id, &site_id, &links)?;
                        }
                        s.reuse_screenings(run_id, &site_id, &reuse)?;
                        Ok(())
                    })
                    .await?;
            }
            Ok::<_, RunError>(())
        }
        .await;
        drop(sites);
        // A failed write is the stage's error: the loop only saw the writer stop.
        writer.finish().await?;
        screened?;
        let spent = fetcher.stats().since(&before);
        stats.requests = spent.requests;
        stats.bytes = spent.bytes;
        tracing::info!(
            requests = stats.requests,
            screened = stats.pages_screened,
            reused = stats.pages_reused,
            hits = stats.hits,
            "内容筛查完成"
        );
        Ok(stats)
    }
}

fn add(total: &mut ScreeningStats, s: &ScreeningStats) {
    total.pages_screened += s.pages_screened;
    total.pages_reused += s.pages_reused;
    total.titles_only += s.titles_only;
    total.attachments_screened += s.attachments_screened;
    total.not_screened += s.not_screened;
    total.hits += s.hits;
}

struct SiteCtx<'a> {
    fetcher: &'a Fetcher,
    /// Reads only; the stage's writes go through the run's own connection.
    reader: &'a Db,
    screener: &'a Arc<Screener>,
    walked: &'a Mutex<HashMap<String, Walked>>,
    homes: &'a Mutex<HashMap<String, Walked>>,
    max_bytes: usize,
    dead_links: &'a crate::config::DeadLinkSettings,
    run: &'a crate::store::RunInfo,
    shared: &'a SharedReads,
    /// The walkers' article reads: the links of a page another site's walker read.
    articles: &'a super::walker::RunArticles,
}

/// Articles that several sites list (a department's article reposted on the portal), read
/// once in a run: the first site to reach one fetches and screens it, with its attachments;
/// the others wait for that and take the result. Only the run's shared URLs are kept here,
/// so memory does not grow with the run.
#[derive(Default)]
struct SharedReads {
    /// The run's article URLs that more than one site lists.
    urls: HashSet<String>,
    pages: Mutex<HashMap<String, Arc<tokio::sync::OnceCell<PageOutcome>>>>,
    attachments: Mutex<HashMap<String, Arc<tokio::sync::OnceCell<AttachmentOutcome>>>>,
}

impl SharedReads {
    /// The result cell of `url` in `map`, created empty on first use.
    fn cell<T>(
        map: &Mutex<HashMap<String, Arc<tokio::sync::OnceCell<T>>>>,
        url: &str,
    ) -> Arc<tokio::sync::OnceCell<T>> {
        map.lock()
            .unwrap_or_else(|e| e.into_inner())
            .entry(url.to_string())
            .or_default()
            .clone()
    }
}

/// What reading an article page gave.
enum PageOutcome {
    /// 304 to a conditional request: unchanged since the prior screening.
    NotModified,
    /// Fetched and read.
    Read(Box<PageRead>),
    /// Not readable, with the reason shown.
    Failed(String),
}

/// An article page fetched and read: its links for the dead-link check and, unless its
/// body was the one screened before, its screening.
struct PageRead {
    page_url: Url,
    html: String,
    links: Vec<crate::extract::nav::NavLink>,
    hash: String,
    etag: Option<String>,
    last_modified: Option<String>,
    /// Attachments, title and hits; None when the body is unchanged.
    screened: Option<Screened>,
}

/// A page's attachments (URL, name, kind), its title and its hits.
type Screened = (Vec<(Url, String, AttachmentKind)>, String, Vec<Hit>);

/// What reading an attachment gave: its validators and hash when it was downloaded, and its
/// hits or why it was not screened.
#[derive(Clone)]
struct AttachmentOutcome {
    hash: Option<String>,
    etag: Option<String>,
    last_modified: Option<String>,
    hits: Result<Vec<Hit>, String>,
}

struct SiteDone {
    site_id: String,
    docs: Vec<NewDoc>,
    reuse: Vec<PriorDoc>,
    stats: ScreeningStats,
    /// Links of the article pages this stage fetched, for the dead-link check.
    links: super::links::SiteLinks,
}

/// An item to screen: its URL, list title and publish date.
struct Item {
    url: String,
    title: String,
    published: NaiveDate,
    /// A column's own page (a single-page column such as 机构概况): the walker read it as the
    /// column's page.
    single_page: bool,
}

/// The site's items published in the period, each URL once, 年报 columns left out.
fn items_in_window(site: &SiteSnap, from: NaiveDate, to: NaiveDate) -> Vec<Item> {
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    // A column's own page listed as an item (single-page columns, wherever listed).
    let column_pages: HashSet<String> = site
        .columns
        .iter()
        .filter_map(|c| Url::parse(&c.url).ok())
        .map(|u| super::page_key(&u))
        .collect();
    for col in site
        .columns
        .iter()
        .filter(|c| c.assessable && c.class != ColumnClass::AnnualReport)
    {
        for item in &col.items {
            let Some(published) = item.published.filter(|d| *d >= from && *d <= to) else {
                continue;
            };
            if seen.insert(item.url.clone()) {
                let single_page = Url::parse(&item.url)
                    .is_ok_and(|u| column_pages.contains(&super::page_key(&u)));
                out.push(Item {
                    url: item.url.clone(),
                    title: item.title.clone(),
                    published,
                    single_page,
                });
            }
        }
    }
    out
}

async fn screen_site(ctx: &SiteCtx<'_>, site: &SiteSnap) -> Result<SiteDone, RunError> {
    let run = ctx.run;
    let (run_id, site_id) = (run.id, site.id.clone());
    let prior = ctx
        .reader
        .call(move |s| s.prior_screenings(run_id, &site_id))
        .await?;
    let mut done = SiteDone {
        site_id: site.id.clone(),
        docs: Vec::new(),
        reuse: Vec::new(),
        stats: ScreeningStats::default(),
        links: super::links::SiteLinks::for_settings(ctx.dead_links),
    };
    let mut attachments_done = HashSet::new();
    for item in items_in_window(site, run.period_start, run.as_of) {
        screen_item(ctx, &prior, &item, &mut attachments_done, &mut done).await?;
    }
    screen_home(ctx, &prior, site, &mut done);
    Ok(done)
}

async fn screen_item(
    ctx: &SiteCtx<'_>,
    prior: &HashMap<String, PriorDoc>,
    item: &Item,
    attachments_done: &mut HashSet<String>,
    done: &mut SiteDone,
) -> Result<(), RunError> {
    let run = ctx.run;
    if item.single_page {
        // Requested once already by the walker, as the column's page: not asked again.
        let reason = "单页栏目（如机构概况）的页面由栏目检查读取，仅筛查标题";
        title_only(ctx, item, reason, done);
        return Ok(());
    }
    let url = match Url::parse(&item.url) {
        Ok(u) if ctx.fetcher.in_scope(&u) => u,
        _ => {
            let reason = "文章页面不在本次检查范围内（站外链接），仅筛查标题";
            title_only(ctx, item, reason, done);
            return Ok(());
        }
    };
    let shared = ctx.shared.urls.contains(url.as_str());
    let walked = {
        let mut walked = ctx.walked.lock().unwrap_or_else(|e| e.into_inner());
        // A page other sites list stays for them.
        if shared {
            walked.get(url.as_str()).cloned()
        } else {
            walked.remove(url.as_str())
        }
    };
    if let Some(w) = walked {
        // The walker's page, screened when it was read: never requested again. Read by
        // another site's walker, its links count for this site too.
        if !done.links.is_off() && !ctx.articles.has_links(&done.site_id, url.as_str()) {
            match ctx.articles.held_links(url.as_str()) {
                Some(l) => done
                    .links
                    .add_links_titled(&l.url, l.title.as_deref(), &l.links()),
                // Past the run's allowance for held links: the page is read again.
                None => {
                    let unchanged = Some(w.hash.clone());
                    if let PageOutcome::Read(read) =
                        read_page(ctx, &url, None, true, unchanged, item).await?
                    {
                        done.links
                            .add_links(&read.page_url, &read.html, &read.links);
                    }
                }
            }
        }
        let doc = page_doc(item, &w.title, run, Some(w.hash), w.etag, w.last_modified);
        push_page(done, doc, &w.hits, item);
        return screen_attachments(ctx, item, &w.attachments, attachments_done, done).await;
    }
    let prior = prior
        .get(url.as_str())
        .filter(|p| p.doc.status == DocStatus::Screened);
    if let Some(p) = prior
        && (run.observed_on - p.doc.screened_on).num_days() <= RECHECK_DAYS
    {
        reuse(done, p);
        return Ok(());
    }
    let validators = prior.map(|p| Validators {
        etag: p.doc.etag.clone(),
        last_modified: p.doc.last_modified.clone(),
    });
    let links_on = !done.links.is_off();
    let (cell, own);
    let outcome = if shared {
        // Every listing site takes this read: it is made without this site's validators and
        // prior hash, so that the page is read and screened for all of them.
        cell = SharedReads::cell(&ctx.shared.pages, url.as_str());
        cell.get_or_try_init(|| read_page(ctx, &url, None, true, None, item))
            .await?
    } else {
        let unchanged = prior.and_then(|p| p.doc.hash.clone());
        own = read_page(ctx, &url, validators, links_on, unchanged, item).await?;
        &own
    };
    match outcome {
        // Only a conditional request, made with the prior's validators, answers 304.
        PageOutcome::NotModified => {
            if let Some(p) = prior {
                reuse(done, p);
            }
        }
        PageOutcome::Read(read) => {
            done.links
                .add_links(&read.page_url, &read.html, &read.links);
            let Some((atts, title, hits)) = &read.screened else {
                if let Some(p) = prior {
                    reuse(done, p);
                }
                return Ok(());
            };
            let doc = page_doc(
                item,
                title,
                run,
                Some(read.hash.clone()),
                read.etag.clone(),
                read.last_modified.clone(),
            );
            push_page(done, doc, hits, item);
            screen_attachments(ctx, item, atts, attachments_done, done).await?;
        }
        PageOutcome::Failed(why) => {
            let reason = format!("文章页面无法读取（{why}），仅筛查标题");
            title_only(ctx, item, &reason, done);
        }
    }
    Ok(())
}

/// Fetches an article page and reads it: parsing and screening run on a worker thread
/// (this stage is polled on the pipeline's own thread, and would otherwise use one core).
/// The page is screened unless its body hashes to `unchanged`.
async fn read_page(
    ctx: &SiteCtx<'_>,
    url: &Url,
    validators: Option<Validators>,
    links_on: bool,
    unchanged: Option<String>,
    item: &Item,
) -> Result<PageOutcome, RunError> {
    let page = match ctx
        .fetcher
        .get_unless_failed(url, validators.as_ref())
        .await
    {
        FetchOutcome::Fetched(page) => page,
        FetchOutcome::NotModified { .. } if validators.is_some() => {
            return Ok(PageOutcome::NotModified);
        }
        other => return Ok(PageOutcome::Failed(other.reason_zh())),
    };
    let screener = Arc::clone(ctx.screener);
    let (list_title, published) = (item.title.clone(), item.published);
    crate::pipeline::on_worker(move || {
        // One parse for the links, the article and its hidden links.
        let parsed = Parsed::new(&page.text);
        let links = if links_on {
            links_of(&parsed, &page.url)
        } else {
            Vec::new()
        };
        let hash = fnv1a(&page.bytes);
        let screened = (unchanged.as_deref() != Some(hash.as_str())).then(|| {
            let article = article_of(&parsed, &page.url);
            let title = article.title.clone().unwrap_or(list_title);
            let hits = screen_page(
                &screener,
                &parsed,
                &page.url,
                &article,
                &title,
                Some(published),
            );
            (attachments_of(&article), title, hits)
        });
        drop(parsed);
        PageOutcome::Read(Box::new(PageRead {
            page_url: page.url,
            html: page.text,
            links,
            hash,
            etag: page.etag,
            last_modified: page.last_modified,
            screened,
        }))
    })
    .await
}

/// The home page's hidden links: from the walker's read in this run, or (a 304, a page
/// cache hit) the earlier result. Stored as a document of kind `home` dated the day the
/// page was looked at; not counted among the article pages.
fn screen_home(
    ctx: &SiteCtx<'_>,
    prior: &HashMap<String, PriorDoc>,
    site: &SiteSnap,
    done: &mut SiteDone,
) {
    let Ok(url) = Url::parse(&site.url) else {
        return;
    };
    let read = ctx
        .homes
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .remove(url.as_str());
    let run = ctx.run;
    let item = Item {
        url: url.to_string(),
        title: HOME_TITLE.to_string(),
        published: run.observed_on,
        single_page: false,
    };
    match read {
        Some(w) => {
            let mut doc = page_doc(&item, &w.title, run, Some(w.hash), w.etag, w.last_modified);
            doc.doc_kind = "home".into();
            done.stats.hits += w.hits.len() as u64;
            let hits = w.hits.iter().map(|h| stored(h, &doc, &item)).collect();
            done.docs.push(NewDoc { doc, hits });
        }
        None => {
            if let Some(p) = prior.get(item.url.as_str()) {
                done.reuse.push(p.clone());
            }
        }
    }
}

fn reuse(done: &mut SiteDone, p: &PriorDoc) {
    done.stats.pages_reused += 1;
    done.reuse.push(p.clone());
}

fn page_doc(
    item: &Item,
    title: &str,
    run: &crate::store::RunInfo,
    hash: Option<String>,
    etag: Option<String>,
    last_modified: Option<String>,
) -> ScreenDoc {
    ScreenDoc {
        url: item.url.clone(),
        article_url: item.url.clone(),
        doc_kind: "page".into(),
        title: if title.is_empty() {
            item.title.clone()
        } else {
            title.to_string()
        },
        published: Some(item.published),
        status: DocStatus::Screened,
        reason: None,
        etag,
        last_modified,
        hash,
        screened_run: run.id,
        screened_on: run.observed_on,
    }
}

fn push_page(done: &mut SiteDone, doc: ScreenDoc, hits: &[Hit], item: &Item) {
    done.stats.pages_screened += 1;
    done.stats.hits += hits.len() as u64;
    let hits = hits.iter().map(|h| stored(h, &doc, item)).collect();
    done.docs.push(NewDoc { doc, hits });
}

/// Screens the list title alone (the page is off scope or unreadable).
fn title_only(ctx: &SiteCtx<'_>, item: &Item, reason: &str, done: &mut SiteDone) {
    let run = ctx.run;
    let hits = ctx.screener.text(&item.title, Some(item.published));
    let doc = ScreenDoc {
        url: item.url.clone(),
        article_url: item.url.clone(),
        doc_kind: "title".into(),
        title: item.title.clone(),
        published: Some(item.published),
        status: DocStatus::TitleOnly,
        reason: Some(reason.to_string()),
        etag: None,
        last_modified: None,
        hash: None,
        screened_run: run.id,
        screened_on: run.observed_on,
    };
    done.stats.titles_only += 1;
    done.stats.hits += hits.len() as u64;
    let hits = hits.iter().map(|h| stored(h, &doc, item)).collect();
    done.docs.push(NewDoc { doc, hits });
}

/// The hits of an article page: its title (line 1) and body text, then its hidden links.
fn screen_page(
    screener: &Screener,
    parsed: &Parsed<'_>,
    url: &Url,
    article: &Article,
    title: &str,
    published: Option<NaiveDate>,
) -> Vec<Hit> {
    let text = format!("{title}\n{}", article.text);
    let mut hits = screener.text(&text, published);
    hits.extend(screener.hidden_links_of(parsed, url));
    hits
}

fn attachments_of(article: &Article) -> Vec<(Url, String, AttachmentKind)> {
    article
        .attachments
        .iter()
        .map(|a| (a.url.clone(), a.name.clone(), a.kind))
        .collect()
}

fn ext(kind: AttachmentKind) -> String {
    format!("{kind:?}").to_ascii_lowercase()
}

async fn screen_attachments(
    ctx: &SiteCtx<'_>,
    item: &Item,
    attachments: &[(Url, String, AttachmentKind)],
    attachments_done: &mut HashSet<String>,
    done: &mut SiteDone,
) -> Result<(), RunError> {
    let run = ctx.run;
    // The attachments of an article other sites list are read once for all of them.
    let shared = ctx.shared.urls.contains(&item.url);
    for (url, name, kind) in attachments {
        if !attachments_done.insert(url.to_string()) {
            continue;
        }
        let read = if shared {
            SharedReads::cell(&ctx.shared.attachments, url.as_str())
                .get_or_try_init(|| read_attachment(ctx, item, url, name, *kind))
                .await?
                .clone()
        } else {
            read_attachment(ctx, item, url, name, *kind).await?
        };
        let mut doc = ScreenDoc {
            url: url.to_string(),
            article_url: item.url.clone(),
            doc_kind: ext(*kind),
            title: item.title.clone(),
            published: Some(item.published),
            status: DocStatus::NotScreened,
            reason: None,
            etag: read.etag,
            last_modified: read.last_modified,
            hash: read.hash,
            screened_run: run.id,
            screened_on: run.observed_on,
        };
        match read.hits {
            Ok(hits) => {
                doc.status = DocStatus::Screened;
                done.stats.attachments_screened += 1;
                done.stats.hits += hits.len() as u64;
                let hits = hits.iter().map(|h| stored(h, &doc, item)).collect();
                done.docs.push(NewDoc { doc, hits });
            }
            Err(reason) => {
                doc.reason = Some(reason);
                done.stats.not_screened += 1;
                done.docs.push(NewDoc {
                    doc,
                    hits: Vec::new(),
                });
            }
        }
    }
    Ok(())
}

/// Downloads and screens one attachment of `item`: its hits, or why it was not screened.
async fn read_attachment(
    ctx: &SiteCtx<'_>,
    item: &Item,
    url: &Url,
    name: &str,
    kind: AttachmentKind,
) -> Result<AttachmentOutcome, RunError> {
    let mut read = AttachmentOutcome {
        hash: None,
        etag: None,
        last_modified: None,
        hits: Ok(Vec::new()),
    };
    read.hits = if !matches!(
        kind,
        AttachmentKind::Pdf | AttachmentKind::Docx | AttachmentKind::Xlsx
    ) {
        Err(format!(
            "附件“{name}”为.{}格式，暂无读取程序，未筛查",
            ext(kind)
        ))
    } else if !ctx.fetcher.in_scope(url) {
        Err(format!("附件“{name}”不在本次检查范围内，未筛查"))
    } else {
        match ctx.fetcher.get_unless_failed(url, None).await {
            FetchOutcome::Fetched(p) if p.bytes.len() > ctx.max_bytes => Err(format!(
                "附件“{name}”大小{}字节，超过筛查上限{}字节，未筛查",
                p.bytes.len(),
                ctx.max_bytes
            )),
            FetchOutcome::Fetched(p) => {
                read.hash = Some(fnv1a(&p.bytes));
                read.etag = p.etag.clone();
                read.last_modified = p.last_modified.clone();
                // Reading a document is CPU work (or a pdftotext child): off the
                // pipeline's thread.
                let screener = Arc::clone(ctx.screener);
                let (name, published) = (name.to_string(), item.published);
                crate::pipeline::blocking(move || {
                    attachment_text(&p.bytes, kind, &name)
                        .map(|text| screener.text(&text, Some(published)))
                        .map_err(|e| format!("附件“{name}”无法读取（{e}），未筛查"))
                })
                .await?
            }
            other => Err(format!(
                "附件“{name}”无法下载（{}），未筛查",
                other.reason_zh()
            )),
        }
    };
    Ok(read)
}

/// The text of an attachment: PDF and DOCX through the annual-report readers, XLSX cells
/// row by row.
fn attachment_text(bytes: &[u8], kind: AttachmentKind, name: &str) -> Result<String, String> {
    match kind {
        AttachmentKind::Xlsx => xlsx_text(bytes),
        _ => crate::screen::document_text(bytes, name).map_err(|e| e.to_string()),
    }
}

/// The largest XML part of an XLSX read (a guard against zip bombs).
const MAX_XLSX_PART: u64 = 64 * 1024 * 1024;

/// The cells of every sheet of an XLSX workbook, one line per row (cells separated by a
/// space), shared strings resolved.
pub fn xlsx_text(bytes: &[u8]) -> Result<String, String> {
    use quick_xml::events::Event;
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|e| format!("不是有效的XLSX文件（{e}）"))?;
    let mut part = |name: &str| -> Option<String> {
        let file = zip.by_name(name).ok()?;
        let mut s = String::new();
        file.take(MAX_XLSX_PART).read_to_string(&mut s).ok()?;
        Some(s)
    };
    let shared: Vec<String> = match part("xl/sharedStrings.xml") {
        Some(xml) => {
            let mut out = Vec::new();
            let mut r = quick_xml::Reader::from_str(&xml);
            let (mut cur, mut in_t) = (String::new(), false);
            loop {
                match r
                    .read_event()
                    .map_err(|e| format!("sharedStrings.xml格式错误（{e}）"))?
                {
                    Event::Start(e) if e.name().0 == "si" => cur.clear(),
                    Event::Start(e) if e.name().0 == "t" => in_t = true,
                    Event::End(e) if e.name().0 == "t" => in_t = false,
                    Event::End(e) if e.name().0 == "si" => out.push(std::mem::take(&mut cur)),
                    Event::Text(t) if in_t => cur.push_str(t.as_ref()),
                    Event::GeneralRef(g) if in_t => cur.push_str(&crate::annual::entity_text(&g)),
                    Event::Eof => break,
                    _ => {}
                }
            }
            out
        }
        None => Vec::new(),
    };
    let mut lines = Vec::new();
    for n in 1..=256 {
        let Some(xml) = part(&format!("xl/worksheets/sheet{n}.xml")) else {
            break;
        };
        let mut r = quick_xml::Reader::from_str(&xml);
        let (mut row, mut cell, mut shared_cell, mut in_text) =
            (Vec::<String>::new(), String::new(), false, false);
        loop {
            match r
                .read_event()
                .map_err(|e| format!("sheet{n}.xml格式错误（{e}）"))?
            {
                Event::Start(e) if e.name().0 == "row" => row.clear(),
                Event::Start(e) if e.name().0 == "c" => {
                    cell.clear();
                    shared_cell = e
                        .attributes()
                        .flatten()
                        .any(|a| a.key.0 == "t" && a.value.as_ref() == "s");
                }
                Event::Start(e) if matches!(e.name().0, "v" | "t") => in_text = true,
                Event::End(e) if matches!(e.name().0, "v" | "t") => in_text = false,
                Event::Text(t) if in_text => cell.push_str(t.as_ref()),
                Event::GeneralRef(g) if in_text => cell.push_str(&crate::annual::entity_text(&g)),
                Event::End(e) if e.name().0 == "c" => {
                    let v = if shared_cell {
                        cell.trim()
                            .parse::<usize>()
                            .ok()
                            .and_then(|i| shared.get(i).cloned())
                            .unwrap_or_default()
                    } else {
                        std::mem::take(&mut cell)
                    };
                    if !v.trim().is_empty() {
                        row.push(v.trim().to_string());
                    }
                }
                Event::End(e) if e.name().0 == "row" && !row.is_empty() => {
                    lines.push(row.join(" "));
                }
                Event::Eof => break,
                _ => {}
            }
        }
    }
    if lines.is_empty() && shared.is_empty() {
        return Err("工作簿中没有可读取的单元格".into());
    }
    Ok(lines.join("\n"))
}

/// The stored spelling of a hit kind.
pub fn kind_str(kind: HitKind) -> &'static str {
    match kind {
        HitKind::Typo => "typo",
        HitKind::Doubled => "doubled",
        HitKind::Format => "format",
        HitKind::PersonalData => "personal_data",
        HitKind::SeriousError => "serious_error",
        HitKind::Sensitive => "sensitive",
        HitKind::HiddenLink => "hidden_link",
    }
}

fn stored(h: &Hit, doc: &ScreenDoc, item: &Item) -> StoredHit {
    StoredHit {
        url: doc.url.clone(),
        article_url: item.url.clone(),
        title: doc.title.clone(),
        published: Some(item.published),
        kind: kind_str(h.kind).to_string(),
        // A dictionary's own category (博彩, the district's 政治敏感 …) where the screener
        // names one; otherwise the kind's label.
        category: h
            .category
            .clone()
            .unwrap_or_else(|| h.kind.label_zh().to_string()),
        found: h.found.clone(),
        context: h.context.clone(),
        line: u32::try_from(h.line).unwrap_or(u32::MAX),
        column: u32::try_from(h.column).unwrap_or(u32::MAX),
        suggestion: h.suggestion.clone(),
        source: h.source.clone(),
        serious: h.serious,
    }
}

/// FNV-1a 64 of `bytes`, as 16 hex digits (stable across versions and platforms).
fn fnv1a(bytes: &[u8]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{h:016x}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn xlsx(shared: &[&str], rows: &[&[&str]]) -> Vec<u8> {
        use std::io::Write;
        let mut buf = std::io::Cursor::new(Vec::new());
        let mut z = zip::ZipWriter::new(&mut buf);
        let opt = zip::write::SimpleFileOptions::default();
        z.start_file("xl/sharedStrings.xml", opt).unwrap();
        let si: String = shared
            .iter()
            .map(|s| format!("<si><t>{s}</t></si>"))
            .collect();
        write!(z, "<?xml version=\"1.0\"?><sst>{si}</sst>").unwrap();
        z.start_file("xl/worksheets/sheet1.xml", opt).unwrap();
        let mut data = String::new();
        for row in rows {
            data.push_str("<row>");
            for c in *row {
                match c.strip_prefix('s') {
                    Some(i) => data.push_str(&format!("<c t=\"s\"><v>{i}</v></c>")),
                    None => data.push_str(&format!("<c><v>{c}</v></c>")),
                }
            }
            data.push_str("</row>");
        }
        write!(z, "<worksheet><sheetData>{data}</sheetData></worksheet>").unwrap();
        z.finish().unwrap();
        buf.into_inner()
    }

    #[test]
    fn xlsx_cells_are_read_row_by_row_with_shared_strings() {
        let bytes = xlsx(
            &["姓名", "身份证号", "张三", "410322199001011234", "A&amp;B"],
            &[&["s0", "s1"], &["s2", "s3", "5"], &["s4"]],
        );
        assert_eq!(
            xlsx_text(&bytes).unwrap(),
            "姓名 身份证号\n张三 410322199001011234 5\nA&B"
        );
        assert!(xlsx_text(b"not a zip").is_err());
    }

    #[test]
    fn the_hash_is_fnv1a() {
        // FNV-1a 64 test vectors.
        assert_eq!(fnv1a(b""), "cbf29ce484222325");
        assert_eq!(fnv1a(b"a"), "af63dc4c8601ec8c");
    }
}
