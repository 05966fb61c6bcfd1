//! One full assessment: crawl every site, store what was seen, check, judge, score and
//! write the reports. `run` and `demo` call this; the daemon will too.

use crate::config::SiteConfig;
use crate::config::{PeriodKind, Settings};
use crate::crawl::fetch::{Fetcher, Scope};
use crate::crawl::observe::SiteObservation;
use crate::crawl::walker::{WalkContext, crawl_site};
use crate::report::model::{PeriodOut, Report, SCHEMA};
use crate::store::{RunStatus, Scorecard, Store, StoreError};
use chrono::{Datelike, NaiveDate, Utc};
use futures::StreamExt;
use std::path::PathBuf;

/// What a run needs beyond the settings.
#[derive(Clone)]
pub struct RunOptions {
    /// The 监测时间点.
    pub as_of: NaiveDate,
    /// First day of the period (default from the rules' period).
    pub since: Option<NaiveDate>,
    /// Exact report folder (default `<reports>/<YYYYMMDD-HHMMSS>-<run id>/`).
    pub out: Option<PathBuf>,
    /// Database file (default the config's).
    pub db: Option<PathBuf>,
    /// The day the crawl looks at the sites (default today in the configured time zone).
    pub observed_on: Option<NaiveDate>,
    /// Cancels the run (daemon shutdown): sites not yet crawled are dropped, the run is
    /// stored as interrupted and `RunError::Interrupted` is returned.
    pub cancel: Option<tokio_util::sync::CancellationToken>,
    /// Called after each site is crawled with (sites done, sites total).
    pub progress: Option<Progress>,
    /// Write the report files (false for `govscore crawl`: crawl, store and score only).
    pub write_reports: bool,
}

/// A progress callback: (sites done, sites total).
pub type Progress = std::sync::Arc<dyn Fn(usize, usize) + Send + Sync>;

impl RunOptions {
    /// Options for an assessment as of `as_of` with every default.
    pub fn new(as_of: NaiveDate) -> RunOptions {
        RunOptions {
            as_of,
            since: None,
            out: None,
            db: None,
            observed_on: None,
            cancel: None,
            progress: None,
            write_reports: true,
        }
    }
}

impl std::fmt::Debug for RunOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RunOptions")
            .field("as_of", &self.as_of)
            .field("since", &self.since)
            .field("out", &self.out)
            .field("db", &self.db)
            .field("observed_on", &self.observed_on)
            .finish_non_exhaustive()
    }
}

/// What a run produced.
#[derive(Debug, Clone)]
pub struct RunOutcome {
    /// Run id in the database.
    pub run_id: i64,
    /// Where the reports are (None when they were not written).
    pub report_dir: Option<PathBuf>,
    /// The report.
    pub report: Report,
    /// Crawl statistics.
    pub stats: crate::crawl::fetch::FetchStats,
    /// The dead-link check's counts and its own requests (not in `stats`).
    pub links: crate::crawl::links::LinkStats,
    /// List and home pages parsed (pages reused from an earlier run are not counted).
    pub pages_parsed: u64,
    /// Items first seen in this run.
    pub items_new: i64,
    /// Items this run saw that earlier runs had already stored.
    pub items_known: i64,
    /// What discovery (`discover: true`) included and left out, with the reasons.
    pub discovery: Vec<crate::crawl::discover::Decision>,
    /// What content screening did (its requests are not in `stats`).
    pub screening: crate::crawl::screening::ScreeningStats,
}

impl RunOutcome {
    /// CONTRACT exit code: 0 when every site is ok, 2 when some site is not.
    pub fn exit_code(&self) -> i32 {
        if self.report.sites.iter().all(|s| s.status == "ok") {
            0
        } else {
            2
        }
    }
}

/// Why a run failed as a whole.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RunError {
    /// The database could not be used.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The HTTP client could not be built.
    #[error("无法启动抓取程序：{0}")]
    Fetcher(String),
    /// Reports could not be written.
    #[error("无法把报告写入 {dir}：{source}（请检查该目录是否存在且可写）")]
    Write {
        /// Folder.
        dir: PathBuf,
        /// Cause.
        source: std::io::Error,
    },
    /// The run was cancelled (shutdown); what was crawled is stored, the run is marked
    /// interrupted.
    #[error("第 {run_id} 次检查在完成前被中断（已抓取的内容已保存，本次检查记为已中断）")]
    Interrupted {
        /// The run.
        run_id: i64,
    },
    /// A blocking database or file task could not complete (the runtime is shutting down).
    #[error("数据库或文件写入任务未能完成：{0}")]
    Blocking(String),
    /// A screening dictionary (`screening:` in config.yaml) could not be loaded.
    #[error("无法加载内容筛查词典：{0}")]
    Screening(String),
    /// `--since` after `--as-of`.
    #[error("--since {since} 晚于 --as-of {as_of}")]
    BadPeriod {
        /// since.
        since: NaiveDate,
        /// as_of.
        as_of: NaiveDate,
    },
}

/// Today in the configured time zone.
pub fn today(settings: &Settings) -> NaiveDate {
    Utc::now().with_timezone(&settings.timezone).date_naive()
}

/// The first day of the default period containing `as_of`.
pub fn period_start(kind: PeriodKind, as_of: NaiveDate) -> NaiveDate {
    match kind {
        PeriodKind::Week => crate::checks::cadence::week_start(as_of),
        PeriodKind::Month => as_of.with_day(1).unwrap_or(as_of),
        PeriodKind::Quarter => {
            let m = (as_of.month0() / 3) * 3 + 1;
            NaiveDate::from_ymd_opt(as_of.year(), m, 1).unwrap_or(as_of)
        }
        PeriodKind::Year => NaiveDate::from_ymd_opt(as_of.year(), 1, 1).unwrap_or(as_of),
    }
}

/// Runs one full assessment.
pub async fn run(settings: &Settings, opts: RunOptions) -> Result<RunOutcome, RunError> {
    let as_of = opts.as_of;
    let since = opts
        .since
        .unwrap_or_else(|| period_start(settings.rules.period, as_of));
    if since > as_of {
        return Err(RunError::BadPeriod { since, as_of });
    }
    let observed_on = opts.observed_on.unwrap_or_else(|| today(settings));
    let db = opts.db.clone().unwrap_or_else(|| settings.database.clone());
    let store = Db::open(db).await?;
    let run_id = store
        .call(move |s| s.begin_run(as_of, observed_on, (since, as_of)))
        .await?;
    let cancel = opts.cancel.clone().unwrap_or_default();
    // The WAL is checkpointed beside the writer, not inside its commits.
    let checkpointer = store
        .call(|s| Ok::<_, RunError>(s.checkpoint_elsewhere()))
        .await?
        .map_err(|e| tracing::warn!("{e}；检查点仍在写入时执行"))
        .ok();
    let writer = StoreThread::start(&store);
    // Whatever stage the run is in, a cancel (SIGTERM, SIGINT, daemon shutdown) or an
    // error ends it honestly in the database: never left `running`.
    let result = tokio::select! {
        biased;
        _ = cancel.cancelled() => Err(RunError::Interrupted { run_id }),
        r = run_stages(settings, &opts, &store, &writer, run_id, since, observed_on) => r,
    };
    // Every site handed to the writer is stored before the run's end is: a cancelled run
    // keeps what it crawled. A failed write is the run's error (the stages only saw the
    // writer stop).
    let result = match (writer.finish().await, result) {
        (Err(e), Err(RunError::Interrupted { run_id })) => {
            tracing::error!(
                run_id,
                "第 {run_id} 次检查中断时未能保存全部已抓取内容：{e}"
            );
            Err(RunError::Interrupted { run_id })
        }
        (Err(e), _) => Err(e),
        (Ok(()), result) => result,
    };
    if let Some(checkpointer) = checkpointer {
        match store.call(move |s| checkpointer.finish(s)).await {
            Ok(stats) => tracing::debug!(
                checkpoints = stats.checkpoints,
                frames = stats.frames,
                "WAL checkpoints beside the writer"
            ),
            Err(e) => tracing::warn!("WAL检查点线程未能正常结束：{e}"),
        }
    }
    let ending = match &result {
        Ok(_) => None,
        Err(RunError::Interrupted { .. }) => {
            Some((RunStatus::Interrupted, INTERRUPTED_REASON.to_string()))
        }
        Err(e) => Some((RunStatus::Failed, format!("运行出错：{e}"))),
    };
    if let Some((status, reason)) = ending {
        let ended = store
            .call(move |s| s.end_run(run_id, status, &serde_json::json!({}), Some(&reason)))
            .await;
        if let Err(e) = ended {
            // The run's own error (a full disk, say) is the one to report.
            tracing::error!(run_id, "无法记录第 {run_id} 次检查的结束状态：{e}");
        }
    }
    result
}

/// The reason stored for a run stopped by a signal or a shutdown.
pub const INTERRUPTED_REASON: &str = "收到停止信号(SIGTERM/SIGINT 或服务停止)，运行中止";

/// The run's database, used only from blocking threads: SQLite writes and report files
/// never stall the async workers that run the probes, the crawl and the signal handlers.
#[derive(Clone)]
pub(crate) struct Db(std::sync::Arc<std::sync::Mutex<Store>>);

impl Db {
    async fn open(path: PathBuf) -> Result<Db, RunError> {
        let store = blocking(move || Store::open(&path)).await??;
        Ok(Db(std::sync::Arc::new(std::sync::Mutex::new(store))))
    }

    /// A read-only view of the database as it is now ([`Store::open_snapshot`]).
    async fn snapshot(&self) -> Result<Db, RunError> {
        self.another(Store::open_snapshot).await
    }

    /// A second, read-only connection to the database, each read its own transaction (it
    /// sees what was committed before it): a stage reads through it while it writes through
    /// this one, so the two go on at the same time (SQLite's WAL allows one writer beside
    /// readers).
    pub(crate) async fn reader(&self) -> Result<Db, RunError> {
        self.another(Store::open_read_only).await
    }

    /// Another connection to the same database file, made by `open`.
    async fn another(
        &self,
        open: fn(&std::path::Path) -> Result<Store, StoreError>,
    ) -> Result<Db, RunError> {
        let path = self
            .0
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .path()
            .to_path_buf();
        let store = blocking(move || open(&path)).await??;
        Ok(Db(std::sync::Arc::new(std::sync::Mutex::new(store))))
    }

    /// Runs `f` on the store on a blocking thread.
    pub(crate) async fn call<T, E>(
        &self,
        f: impl FnOnce(&mut Store) -> Result<T, E> + Send + 'static,
    ) -> Result<T, RunError>
    where
        T: Send + 'static,
        E: Into<RunError> + Send + 'static,
    {
        let db = self.0.clone();
        blocking(move || {
            let mut store = db.lock().unwrap_or_else(|p| p.into_inner());
            f(&mut store).map_err(Into::into)
        })
        .await?
    }
}

/// Runs `f` on one of the runtime's worker threads: CPU work of a stage that is polled on
/// the pipeline's own thread (parsing and screening a page), so that it uses every core.
/// Keep `f` short (a page, not a site): it holds the worker meanwhile.
pub(crate) async fn on_worker<T: Send + 'static>(
    f: impl FnOnce() -> T + Send + 'static,
) -> Result<T, RunError> {
    joined(tokio::spawn(async move { f() }).await)
}

/// Runs `f` on tokio's blocking pool; a panic in it is resumed here.
pub(crate) async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> T + Send + 'static,
) -> Result<T, RunError> {
    joined(tokio::task::spawn_blocking(f).await)
}

/// The result of a finished task; a panic in it is resumed here.
fn joined<T>(r: Result<T, tokio::task::JoinError>) -> Result<T, RunError> {
    r.map_err(|e| match e.try_into_panic() {
        Ok(panic) => std::panic::resume_unwind(panic),
        Err(e) => RunError::Blocking(e.to_string()),
    })
}

/// A write the writer makes on the store.
type WriteJob = Box<dyn FnOnce(&mut Store) -> Result<(), StoreError> + Send>;

/// Writes queued at most; the crawl waits only when the writer is this far behind.
const WRITE_QUEUE: usize = 64;

/// Why a write could not be queued: the writer stopped on an error, which
/// [`StoreThread::finish`] returns.
const WRITER_STOPPED: &str = "数据库写入已因错误停止";

/// One blocking thread doing a store's work in the order it is handed over, taking the
/// store for each job. The run's writes go through one (the writer): the crawl hands a
/// site's observation over and goes on, so neither parsing nor fetching waits for SQLite;
/// the first failed write stops it, the jobs queued after it are dropped and
/// [`StoreThread::finish`] returns the error. Reads go through one too (the writer's own
/// for the run's stored lists, another for the page cache): one thread's allocations,
/// where a blocking task per site would spread them over as many threads (and allocator
/// arenas) as sites run at once.
pub(crate) struct StoreThread {
    tx: tokio::sync::mpsc::Sender<WriteJob>,
    thread: tokio::task::JoinHandle<Result<(), StoreError>>,
}

impl StoreThread {
    pub(crate) fn start(db: &Db) -> StoreThread {
        let (tx, mut rx) = tokio::sync::mpsc::channel::<WriteJob>(WRITE_QUEUE);
        let db = db.clone();
        let thread = tokio::task::spawn_blocking(move || {
            while let Some(job) = rx.blocking_recv() {
                let mut store = db.0.lock().unwrap_or_else(|p| p.into_inner());
                job(&mut store)?;
            }
            Ok(())
        });
        StoreThread { tx, thread }
    }

    /// Queues `job`, waiting only while the queue is full.
    pub(crate) async fn write(
        &self,
        job: impl FnOnce(&mut Store) -> Result<(), StoreError> + Send + 'static,
    ) -> Result<(), RunError> {
        self.tx
            .send(Box::new(job))
            .await
            .map_err(|_| RunError::Blocking(WRITER_STOPPED.to_string()))
    }

    /// Runs `read` after everything queued so far and returns its result; a failed read
    /// is the caller's error and does not stop the thread.
    async fn read<T: Send + 'static>(
        &self,
        read: impl FnOnce(&mut Store) -> Result<T, StoreError> + Send + 'static,
    ) -> Result<T, RunError> {
        let (reply, answer) = tokio::sync::oneshot::channel();
        self.write(move |s| {
            let _ = reply.send(read(s));
            Ok(())
        })
        .await?;
        Ok(answer
            .await
            .map_err(|_| RunError::Blocking(WRITER_STOPPED.to_string()))??)
    }

    /// Waits until everything queued so far is written.
    async fn flush(&self) -> Result<(), RunError> {
        let (done, written) = tokio::sync::oneshot::channel();
        self.write(move |_| {
            let _ = done.send(());
            Ok(())
        })
        .await?;
        written
            .await
            .map_err(|_| RunError::Blocking(WRITER_STOPPED.to_string()))
    }

    /// Writes what is queued, stops the thread and returns the first failed write's error.
    pub(crate) async fn finish(self) -> Result<(), RunError> {
        drop(self.tx);
        joined(self.thread.await)?.map_err(RunError::from)
    }
}

/// What every site's walk shares.
struct Crawl {
    fetcher: Fetcher,
    settings: std::sync::Arc<Settings>,
    /// The run's content screening: each walk hands it the pages it reads.
    screening: crate::crawl::screening::Screening,
    /// The article pages the walks read (an article two sites list is read once).
    articles: crate::crawl::walker::RunArticles,
    since: NaiveDate,
    observed_on: NaiveDate,
}

/// Walks one site on its own task: loads the part of the page cache the site can reuse,
/// then walks it. `roots` are the configured home pages on the site's origin (a column
/// under another site's folder is left to that site).
async fn walk_site(
    crawl: std::sync::Arc<Crawl>,
    cache: std::sync::Arc<StoreThread>,
    site: SiteConfig,
    roots: Vec<url::Url>,
    discovered: bool,
) -> Result<SiteObservation, RunError> {
    let (root, pins) = (
        site.url.clone(),
        site.columns
            .iter()
            .map(|c| c.url.clone())
            .collect::<Vec<_>>(),
    );
    let cache = cache
        .read(move |s| s.load_site_page_cache(&root, &pins.iter().collect::<Vec<_>>()))
        .await?;
    let ctx = WalkContext {
        fetcher: &crawl.fetcher,
        settings: &crawl.settings,
        since: crawl.since,
        observed_on: crawl.observed_on,
        site_roots: roots,
        discovered: discovered.then(|| site.id.clone()).into_iter().collect(),
        cache,
        screening: Some(&crawl.screening),
        articles: &crawl.articles,
    };
    Ok(crawl_site(&ctx, &site).await)
}

/// The origin of a URL as text (`http://host:port`).
fn origin_of(url: &url::Url) -> &str {
    &url[..url::Position::BeforePath]
}

/// Crawls every site, each walk a task of its own on the runtime's worker threads (so
/// parsing uses every core), at most `global_concurrency` at once; each finished site is
/// handed to the writer and the next one starts. Returns the pages parsed.
async fn crawl_sites(
    crawl: std::sync::Arc<Crawl>,
    cache: StoreThread,
    sites: Vec<SiteConfig>,
    discovered: &std::collections::HashSet<String>,
    writer: &StoreThread,
    run_id: i64,
    progress: Option<Progress>,
) -> Result<u64, RunError> {
    let mut roots: std::collections::HashMap<&str, Vec<url::Url>> = Default::default();
    for site in &sites {
        roots
            .entry(origin_of(&site.url))
            .or_default()
            .push(site.url.clone());
    }
    let cache = std::sync::Arc::new(cache);
    let total = sites.len();
    let limit = crawl.settings.crawl.global_concurrency.max(1);
    // Dropped on an error or a cancel: the walks still running are aborted.
    let mut walks = tokio::task::JoinSet::new();
    // Hosts take turns: the walks at once spread over as many hosts as they can.
    let mut waiting =
        crate::crawl::politeness::hosts_in_turn(&sites, |s| Some(s.url.clone())).into_iter();
    let (mut done, mut pages_parsed) = (0usize, 0u64);
    loop {
        while walks.len() < limit {
            let Some(site) = waiting.next() else { break };
            let on_origin = roots.get(origin_of(&site.url)).cloned().unwrap_or_default();
            walks.spawn(walk_site(
                crawl.clone(),
                cache.clone(),
                site.clone(),
                on_origin,
                discovered.contains(&site.id),
            ));
        }
        let Some(walked) = walks.join_next().await else {
            break;
        };
        let obs = joined(walked)??;
        done += 1;
        tracing::info!(site = %obs.site_id, status = obs.status.as_str(), "crawled {done}/{total}");
        pages_parsed += u64::from(obs.pages_parsed);
        let certificate = url::Url::parse(&obs.url)
            .ok()
            .and_then(|u| crawl.fetcher.certificate_problem(&u));
        let progress = progress.clone();
        writer
            .write(move |s| {
                s.record_site(run_id, &obs)?;
                if let Some(why) = certificate {
                    s.set_certificate_problem(run_id, &obs.site_id, &why)?;
                }
                if let Some(p) = progress {
                    p(done, total);
                }
                Ok(())
            })
            .await?;
    }
    Ok(pages_parsed)
}

/// Reads the annual report of every assessable site of the run, at most `concurrency`
/// sites at once, each site's stored lists loaded just before its search (the run is never
/// held whole); each observation is handed to the writer.
async fn read_annual_reports(
    crawl: &Crawl,
    writer: &StoreThread,
    run_id: i64,
    concurrency: usize,
) -> Result<(), RunError> {
    let (run, ids, checked) = writer
        .read(move |s| {
            Ok((
                s.run_info(run_id)?,
                s.run_site_ids_hosts_in_turn(run_id)?,
                s.annual_checks()?,
            ))
        })
        .await?;
    let checked = &checked;
    let run = std::sync::Arc::new(run);
    let mut reads = futures::stream::iter(ids)
        .map(|id| {
            let run = run.clone();
            async move {
                let at = run.clone();
                let site = writer.read(move |s| s.site_columns(&at, &id)).await?;
                let Some(site) = site.filter(|s| s.status.assessable()) else {
                    return Ok(None);
                };
                // A site's last check is reused while nothing it was made from changed.
                let read = crate::crawl::annual::read_site_checked(
                    &crawl.fetcher,
                    &site,
                    run.as_of,
                    run.observed_on,
                    &crawl.settings.district,
                    checked.get(&site.id),
                )
                .await;
                Ok::<_, RunError>(Some(read))
            }
        })
        .buffer_unordered(concurrency.max(1));
    while let Some(read) = reads.next().await {
        if let Some(read) = read? {
            writer
                .write(move |s| s.record_annual_read(run_id, &read))
                .await?;
        }
    }
    Ok(())
}

/// Checks, judges and scores a stored run site by site (only one site's items in memory at
/// a time), ranks the sites, stores each scorecard and adds the history.
fn score_run(store: &mut Store, settings: &Settings, run_id: i64) -> Result<Report, StoreError> {
    let run = store.run_info(run_id)?;
    let mut sites = Vec::new();
    for id in store.run_site_ids(run_id)? {
        if let Some(site) = store.site_snapshot(&run, &id)? {
            sites.push(site_report(settings, &run, &site));
        }
    }
    let mut report = report_of(settings, &run, run_id, sites);
    store.save_scorecards(
        run_id,
        report.sites.iter().map(|site| Scorecard {
            site_id: &site.id,
            score: site.score,
            grade: site.grade.as_deref(),
            rank: site.rank,
            json: site,
        }),
    )?;
    add_history(store, settings, &mut report)?;
    Ok(report)
}

/// The stages of a run after it is recorded: crawl, annual reports, scores, reports; the
/// run is marked finished last.
async fn run_stages(
    settings: &Settings,
    opts: &RunOptions,
    store: &Db,
    writer: &StoreThread,
    run_id: i64,
    since: NaiveDate,
    observed_on: NaiveDate,
) -> Result<RunOutcome, RunError> {
    let scope = Scope::new(settings.sites.iter().map(|s| &s.url));
    let fetcher =
        Fetcher::new(&settings.crawl, scope).map_err(|e| RunError::Fetcher(e.to_string()))?;
    fetcher.restore_robots(store.call(|s| s.load_robots()).await?);
    let mut sites = settings.sites.clone();
    let mut discovered = std::collections::HashSet::new();
    let mut discovery = Vec::new();
    if settings.discover {
        let found_all = discover_subsites(&fetcher, settings).await;
        discovery = found_all.decisions;
        for found in found_all.sites {
            // A link on a page may point anywhere: only a public address (or a host the
            // config names) becomes a subsite.
            if let Some(refused) = fetcher.address_refusal(&found.url).await {
                tracing::warn!(site = %found.id, url = %found.url, "发现的子网站不予检查：{refused}");
                continue;
            }
            fetcher.add_to_scope(&found.url);
            discovered.insert(found.id.clone());
            sites.push(found);
        }
    }
    let crawl = std::sync::Arc::new(Crawl {
        fetcher: fetcher.clone(),
        settings: std::sync::Arc::new(settings.clone()),
        screening: crate::crawl::screening::Screening::new(settings)
            .map_err(RunError::Screening)?,
        articles: Default::default(),
        since,
        observed_on,
    });
    // The database as it was when the crawl started: each site's part of the page cache is
    // read from it, so no walk reuses a page another site of the same run stored. Its read
    // transaction ends with the crawl (held longer, it would keep the WAL from being
    // checkpointed while the later stages write, and every read would search a growing WAL).
    let cache = StoreThread::start(&store.snapshot().await?);
    let pages_parsed = crawl_sites(
        crawl.clone(),
        cache,
        sites,
        &discovered,
        writer,
        run_id,
        opts.progress.clone(),
    )
    .await?;
    crawl.articles.crawl_done();
    // The annual reports are read with the same fetcher once every site's lists are stored.
    writer.flush().await?;
    log_phase("crawl");
    read_annual_reports(&crawl, writer, run_id, settings.crawl.global_concurrency).await?;
    crawl.fetcher.forget_kept();
    let robots = crawl.fetcher.robots_to_store();
    writer.write(move |s| s.save_robots(&robots)).await?;
    writer.flush().await?;
    log_phase("annual reports");
    let stats = fetcher.stats();
    // Content screening (issue 14) after the crawl's counters are taken: its requests are
    // counted apart.
    let screened = crawl
        .screening
        .run(
            &fetcher,
            store,
            run_id,
            settings.crawl.global_concurrency,
            &crawl.articles,
        )
        .await?;
    crawl.articles.clear();
    log_phase("screening");
    // Dead links: their own requests, counted apart from the crawl's.
    let links =
        crate::crawl::links::run_stage(&fetcher, settings, store, run_id, observed_on).await?;
    log_phase("dead links");
    // What the crawl held (the fetcher's connections and kept pages) is freed before the
    // run is scored and its reports written.
    let owned = crawl.settings.clone();
    drop((crawl, fetcher));
    let mut report = store.call(move |s| score_run(s, &owned, run_id)).await?;
    log_phase("scores");
    let report_dir = if opts.write_reports {
        let dir = match &opts.out {
            Some(dir) => dir.clone(),
            None => settings.reports_dir.join(format!(
                "{}-{}",
                Utc::now()
                    .with_timezone(&settings.timezone)
                    .format("%Y%m%d-%H%M%S"),
                run_id
            )),
        };
        // The report moves to the writing thread and back: a district's report is tens of
        // megabytes at thousands of sites, and a copy of it would be the run's peak memory.
        let to = dir.clone();
        let written;
        (report, written) = blocking(move || {
            let written = crate::report::write_all(&report, &to);
            (report, written)
        })
        .await?;
        written.map_err(|source| RunError::Write {
            dir: dir.clone(),
            source,
        })?;
        log_phase("reports");
        // Stored absolute, so the dashboard finds it wherever it is started.
        let recorded = std::path::absolute(&dir).unwrap_or(dir.clone());
        store
            .call(move |s| s.set_report_dir(run_id, &recorded))
            .await?;
        if opts.out.is_none() {
            let (reports, to) = (settings.reports_dir.clone(), dir.clone());
            // A stale `latest` link is an inconvenience, not a failed run.
            if let Err(e) = blocking(move || crate::report::refresh_latest(&reports, &to)).await? {
                tracing::warn!(
                    "cannot refresh {}/latest: {e}",
                    settings.reports_dir.display()
                );
            }
        }
        Some(dir)
    } else {
        None
    };
    let (items_new, items_known) = store
        .call(move |s| {
            let mut recorded = serde_json::to_value(stats).unwrap_or_default();
            recorded["screening"] = serde_json::to_value(screened).unwrap_or_default();
            recorded["dead_links"] = serde_json::to_value(links).unwrap_or_default();
            s.finish_run(run_id, RunStatus::Finished, &recorded)?;
            s.run_item_counts(run_id)
        })
        .await?;
    Ok(RunOutcome {
        run_id,
        report_dir,
        report,
        stats,
        links,
        pages_parsed,
        items_new,
        items_known,
        discovery,
        screening: screened,
    })
}

/// Logs (info) the end of a stage of a run with the process's resident memory then, for
/// profiling a large run (`RUST_LOG=govscore=info`).
fn log_phase(stage: &str) {
    // Linux reports it in /proc; elsewhere it is left out.
    let rss_kb = std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmRSS:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        });
    tracing::info!(stage, rss_mb = rss_kb.map(|k| k / 1024), "stage done");
}

/// The subsites linked from the configured portals' home pages (`discover: true`), with
/// every decision of the discovery scope.
pub async fn discover_subsites(
    fetcher: &Fetcher,
    settings: &Settings,
) -> crate::crawl::discover::Discovery {
    let scope = crate::crawl::discover::Scope {
        district: &settings.district,
        include: &settings.discover_include,
        exclude: &settings.discover_exclude,
    };
    let mut out = crate::crawl::discover::Discovery::default();
    let found = &mut out.sites;
    for portal in settings
        .sites
        .iter()
        .filter(|s| s.role == crate::model::Role::Portal)
    {
        // Kept for the portal's walk, which takes it instead of asking again.
        match fetcher.get_and_keep(&portal.url).await {
            crate::crawl::FetchOutcome::Fetched(page) => {
                let mut known = settings.sites.clone();
                known.extend(found.iter().cloned());
                let d = crate::crawl::discover::discover(
                    &page.url,
                    &page.text,
                    &known,
                    &settings.column_classes,
                    &scope,
                );
                found.extend(d.sites);
                out.decisions.extend(d.decisions);
            }
            other => tracing::warn!(
                portal = %portal.id,
                "cannot discover subsites: the portal home page could not be read: {}",
                other.reason_zh()
            ),
        }
    }
    out
}

/// How many past runs the trend shows.
const TREND_RUNS: usize = 12;

/// Adds what only the database knows: each site's change against the previous period of
/// the same length, the district's trend over past runs, and a 证书问题 finding for each
/// site whose certificate did not verify.
pub fn add_history(
    store: &Store,
    settings: &Settings,
    report: &mut Report,
) -> Result<(), StoreError> {
    add_certificate_findings(store, report)?;
    let parse = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
    if let (Some(start), Some(end)) = (parse(&report.period.start), parse(&report.period.end)) {
        let len = (end - start).num_days() + 1;
        let prev_end = start - chrono::Days::new(1);
        let prev_start = start - chrono::Days::new(len as u64);
        if let Some((_, prev)) = store.scores_in(prev_start, prev_end, report.run_id)? {
            for site in &mut report.sites {
                site.score_change = match (site.score, prev.get(&site.id)) {
                    (Some(now), Some(before)) => Some(((now - before) * 100.0).round() / 100.0),
                    _ => None,
                };
            }
        }
    }
    let fail = settings
        .rules
        .grades
        .last()
        .map(|g| g.name.clone())
        .unwrap_or_default();
    report.trend = store
        .score_history(report.run_id, TREND_RUNS)?
        .into_iter()
        .map(|(run_id, as_of, rows)| {
            // As in the report's overview: the mean over the scored sites, 合格率 over the
            // judged ones (an unreachable site vetoed by the availability rule included).
            let scores: Vec<f64> = rows.iter().filter_map(|(s, _)| *s).collect();
            let n = scores.len();
            let avg = (n > 0).then(|| {
                let mean = scores.iter().sum::<f64>() / n as f64;
                (mean * 100.0).round() / 100.0
            });
            let grades: Vec<&str> = rows.iter().filter_map(|(_, g)| g.as_deref()).collect();
            let passing = grades.iter().filter(|g| **g != fail).count();
            let pass = (!grades.is_empty()).then(|| passing as f64 / grades.len() as f64);
            crate::report::model::TrendPoint {
                run_id,
                as_of,
                average_score: avg,
                pass_rate: pass,
                assessed: n as u32,
            }
        })
        .collect();
    Ok(())
}

/// A warning (no points) for each site whose certificate did not verify: the site was read
/// without verification and assessed, instead of being "unreachable" — browsers still
/// warn its visitors, which the supervisor should have fixed.
/// A site that speaks only TLS 1.0/1.1 (read with the `tls-legacy` feature) gets the same
/// warning, worded for the protocol.
fn add_certificate_findings(store: &Store, report: &mut Report) -> Result<(), StoreError> {
    let problems = store.certificate_problems(report.run_id)?;
    for site in &mut report.sites {
        let Some(why) = problems.get(&site.id) else {
            continue;
        };
        site.findings.push(crate::report::model::Finding {
            rule: "certificate".to_string(),
            kind: "availability".to_string(),
            severity: "warn".to_string(),
            points: 0.0,
            message: if crate::crawl::fetch::is_legacy_tls_problem(why) {
                format!(
                    "证书问题：{why}。主流浏览器已不再支持 TLS 1.0/1.1，访问者可能无法打开网站，请启用 TLS 1.2 或更高版本(本次检测以兼容旧协议的方式读取了网站内容)"
                )
            } else {
                format!(
                    "证书问题：{why}。浏览器访问时会提示“不安全”，请补全证书链或更换有效证书(本次检测在不验证证书的情况下读取了网站内容)"
                )
            },
            column: None,
            evidence: vec![crate::report::model::Evidence {
                url: site.url.clone(),
                title: site.name.clone(),
                date: None,
                excerpt: Some(why.clone()),
            }],
        });
    }
    Ok(())
}

/// Checks, judges and scores a stored run. Pure over the snapshot: `score --run N`
/// reproduces a run's scores from the database alone.
pub fn build_report(settings: &Settings, snapshot: &crate::store::Snapshot, run_id: i64) -> Report {
    let sites = snapshot
        .sites
        .iter()
        .map(|site| site_report(settings, &snapshot.run, site))
        .collect();
    report_of(settings, &snapshot.run, run_id, sites)
}

/// One site's checks, judgments and score (not yet ranked).
fn site_report(
    settings: &Settings,
    run: &crate::store::RunInfo,
    site: &crate::store::SiteSnap,
) -> crate::report::model::SiteReport {
    let assessment = crate::rules::assess_one(run, site, &settings.rules);
    let mut scored = crate::score::compute(std::slice::from_ref(&assessment), &settings.rules);
    let mut report = scored.pop().expect("one site scored");
    let state = crate::checks::annual_report::assess(site, &settings.rules, run.as_of);
    report.annual_report = Some(crate::checks::annual_report::to_json(&state));
    report
}

/// The report of a run from its sites' scores (in snapshot order), ranked.
fn report_of(
    settings: &Settings,
    run: &crate::store::RunInfo,
    run_id: i64,
    mut sites: Vec<crate::report::model::SiteReport>,
) -> Report {
    crate::score::rank(&mut sites);
    Report {
        schema: SCHEMA.to_string(),
        district: settings.district.clone(),
        as_of: run.as_of.to_string(),
        period: PeriodOut {
            start: run.period_start.to_string(),
            end: run.period_end.to_string(),
        },
        run_id,
        generated_at: Utc::now().to_rfc3339(),
        sites,
        trend: Vec::new(),
        grade_bands: crate::score::grade_bands(&settings.rules),
        partial_run: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_period_is_the_quarter_containing_as_of() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        assert_eq!(
            period_start(PeriodKind::Quarter, d("2023-02-15")),
            d("2023-01-01")
        );
        assert_eq!(
            period_start(PeriodKind::Quarter, d("2023-12-31")),
            d("2023-10-01")
        );
        assert_eq!(
            period_start(PeriodKind::Month, d("2023-02-15")),
            d("2023-02-01")
        );
        assert_eq!(
            period_start(PeriodKind::Week, d("2023-02-15")),
            d("2023-02-13")
        );
        assert_eq!(
            period_start(PeriodKind::Year, d("2023-02-15")),
            d("2023-01-01")
        );
    }
}
