//! SQLite storage: runs, sites, columns, items (with first/last seen), fetch failures and
//! scorecards. One writer (`Store`) per process writes a site's observations in one
//! transaction; `Snapshot` is the read-only view every check works from.
//!
//! Must not: crawl, judge or format. Items are keyed by (column, url) so repeating a run
//! never duplicates them.

mod annual;
mod checkpoint;
mod links;
mod owner;
mod probes;
mod robots;
mod screening;
mod snapshot;

pub use probes::{PROBE_LOOKBACK_DAYS, Probe, RunRow, SiteScoreRow};

pub use checkpoint::{CheckpointStats, Checkpointer};
pub use links::LinkProblem;
pub use screening::{
    DocStatus, NewDoc, PriorDoc, ScreenDoc, SiteContent, StoredHit, mask_personal,
};
pub use snapshot::{ColumnSnap, ItemSnap, PastCrawl, RunInfo, SiteSnap, Snapshot};

use crate::crawl::observe::SiteObservation;
use chrono::{NaiveDate, Utc};
use rusqlite::{Connection, OpenFlags, OptionalExtension, params};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Schema migrations, applied in order; `PRAGMA user_version` records how many ran.
/// Append only: a migration's position is its version.
const MIGRATIONS: &[&str] = &[
    include_str!("migrations/001_init.sql"),
    include_str!("migrations/002_page_meta.sql"),
    include_str!("migrations/003_page_cache.sql"),
    include_str!("migrations/004_attachments.sql"),
    include_str!("migrations/005_annual.sql"),
    include_str!("migrations/003_probes.sql"),
    include_str!("migrations/006_column_seen_back_to.sql"),
    include_str!("migrations/007_run_owner.sql"),
    include_str!("migrations/008_scale_indexes.sql"),
    include_str!("migrations/009_screen_hits.sql"),
    include_str!("migrations/010_link_checks.sql"),
    include_str!("migrations/011_rerun_cache.sql"),
    include_str!("migrations/012_screening_indexes.sql"),
    include_str!("migrations/013_items_last_seen.sql"),
];

/// How long a writer waits for a lock held by another process (daemon, dashboard, CLI).
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// One site's scorecard for `Store::save_scorecards`: the columns the history reads and the
/// site object of report.json.
pub struct Scorecard<'a, T> {
    /// The site's id.
    pub site_id: &'a str,
    /// Its score (none when not assessable).
    pub score: Option<f64>,
    /// Its grade.
    pub grade: Option<&'a str>,
    /// Its overall rank.
    pub rank: Option<u32>,
    /// What report.json says of it.
    pub json: &'a T,
}

/// Storage errors.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// The database file could not be opened or created.
    #[error(
        "无法打开数据库 {path}：{source}（请检查 storage.database 中的路径及其所在目录是否可写）"
    )]
    Open {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: rusqlite::Error,
    },
    /// The database was written by a newer govscore.
    #[error("数据库 {path} 的结构版本为 {found}，比本程序支持的版本（{known}）新；请升级 govscore")]
    TooNew {
        /// The file.
        path: PathBuf,
        /// Its version.
        found: i64,
        /// Ours.
        known: i64,
    },
    /// A query failed.
    #[error("数据库错误：{0}")]
    Sql(#[from] rusqlite::Error),
    /// A run id that does not exist.
    #[error("数据库中没有第 {0} 次检查")]
    NoSuchRun(i64),
}

/// Site id → score of one run.
pub type RunScores = std::collections::HashMap<String, f64>;

/// One past run for the trend: (run id, as_of, (score, grade) of its judged sites: the
/// scored ones, and the unreachable ones graded by the availability veto, without a score).
pub type HistoryRow = (i64, String, Vec<(Option<f64>, Option<String>)>);

/// Run status as stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RunStatus {
    /// Crawling or scoring.
    Running,
    /// Completed.
    Finished,
    /// Stopped by a signal before completing.
    Interrupted,
    /// Stopped by an error.
    Failed,
}

impl RunStatus {
    fn as_str(self) -> &'static str {
        match self {
            RunStatus::Running => "running",
            RunStatus::Finished => "finished",
            RunStatus::Interrupted => "interrupted",
            RunStatus::Failed => "failed",
        }
    }
}

/// The database handle (one writer).
pub struct Store {
    conn: Connection,
    path: PathBuf,
}

impl Store {
    /// Opens (creating if needed) the database, enables WAL and applies migrations.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            // A missing folder is created; a failure shows up as the open error below.
            let _ = std::fs::create_dir_all(dir);
        }
        let conn = Connection::open(path).map_err(|source| StoreError::Open {
            path: path.to_path_buf(),
            source,
        })?;
        let store = Self::init(conn, path)?;
        // Every command that writes the database closes what dead processes left open.
        for (run_id, reason) in store.close_abandoned_runs()? {
            tracing::warn!(run_id, "已关闭一次遗留为“运行中”的检查：{reason}");
        }
        Ok(store)
    }

    /// Marks `interrupted` every run left `running` by a process on this host that no
    /// longer exists (kill -9, power loss), with the reason; returns (run id, reason) of
    /// each. Runs of live processes, of other hosts, and of versions that recorded no
    /// owner are left alone: a run is never closed on a guess.
    pub fn close_abandoned_runs(&self) -> Result<Vec<(i64, String)>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT id, owner_pid, owner_host, owner_start FROM runs
             WHERE status = 'running' AND owner_pid IS NOT NULL AND owner_host IS NOT NULL",
        )?;
        let rows: Vec<(i64, u32, String, Option<String>)> = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
            .collect::<Result<_, _>>()?;
        let mut closed = Vec::new();
        for (id, pid, host, start) in rows {
            if owner::alive(pid, &host, start.as_deref()) != Some(false) {
                continue;
            }
            let reason = format!("运行进程(主机 {host}，pid {pid})已不存在，运行未完成");
            self.conn.execute(
                "UPDATE runs SET finished_at = ?1, status = 'interrupted', end_reason = ?2
                 WHERE id = ?3 AND status = 'running'",
                params![Utc::now().to_rfc3339(), reason, id],
            )?;
            closed.push((id, reason));
        }
        Ok(closed)
    }

    /// Records that `site_id`'s certificate did not verify in `run_id` (its pages were
    /// read without verification).
    pub fn set_certificate_problem(
        &self,
        run_id: i64,
        site_id: &str,
        why: &str,
    ) -> Result<(), StoreError> {
        self.conn.execute(
            "UPDATE run_sites SET certificate_problem = ?1 WHERE run_id = ?2 AND site_id = ?3",
            params![why, run_id, site_id],
        )?;
        Ok(())
    }

    /// Site id → why its certificate did not verify, for the sites of `run_id` that had one.
    pub fn certificate_problems(
        &self,
        run_id: i64,
    ) -> Result<std::collections::BTreeMap<String, String>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT site_id, certificate_problem FROM run_sites
             WHERE run_id = ?1 AND certificate_problem IS NOT NULL",
        )?;
        let rows = stmt.query_map([run_id], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Why a run is not a complete assessment: `None` for a finished run, else its status
    /// and the recorded reason (e.g. `interrupted：收到 SIGTERM，运行中止`).
    pub fn run_incomplete(&self, run_id: i64) -> Result<Option<String>, StoreError> {
        let (status, reason): (String, Option<String>) = self
            .conn
            .query_row(
                "SELECT status, end_reason FROM runs WHERE id = ?1",
                [run_id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?
            .ok_or(StoreError::NoSuchRun(run_id))?;
        let label = match status.as_str() {
            "finished" => return Ok(None),
            "running" => "运行未结束",
            "interrupted" => "运行被中止",
            "failed" => "运行失败",
            _ => "运行状态未知",
        };
        Ok(Some(match reason {
            Some(r) => format!("{label}({status})：{r}"),
            None => format!("{label}({status})"),
        }))
    }

    /// An in-memory database (tests, `annual-report`).
    pub fn open_in_memory() -> Result<Store, StoreError> {
        let conn = Connection::open_in_memory()?;
        Self::init(conn, Path::new(":memory:"))
    }

    /// Opens an existing database read-only (dashboard, `score --run`).
    pub fn open_read_only(path: &Path) -> Result<Store, StoreError> {
        let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY).map_err(
            |source| StoreError::Open {
                path: path.to_path_buf(),
                source,
            },
        )?;
        conn.busy_timeout(BUSY_TIMEOUT)?;
        Ok(Store {
            conn,
            path: path.to_path_buf(),
        })
    }

    fn init(mut conn: Connection, path: &Path) -> Result<Store, StoreError> {
        conn.busy_timeout(BUSY_TIMEOUT)?;
        // WAL lets the dashboard read while the daemon writes; in-memory databases ignore it.
        conn.query_row("PRAGMA journal_mode = WAL", [], |_| Ok(()))?;
        conn.execute_batch("PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;")?;
        let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        let known = MIGRATIONS.len() as i64;
        if version > known {
            return Err(StoreError::TooNew {
                path: path.to_path_buf(),
                found: version,
                known,
            });
        }
        for (i, sql) in MIGRATIONS.iter().enumerate().skip(version as usize) {
            let tx = conn.transaction()?;
            tx.execute_batch(sql)?;
            tx.pragma_update(None, "user_version", (i + 1) as i64)?;
            tx.commit()?;
        }
        Ok(Store {
            conn,
            path: path.to_path_buf(),
        })
    }

    /// Opens the database read-only and starts a read transaction on it: every read through
    /// the returned handle sees the database as it was now, whatever is written meanwhile
    /// (WAL snapshot). A run reads the page cache through one, so what each site's walk
    /// reuses does not depend on which other sites were stored before it.
    pub fn open_snapshot(path: &Path) -> Result<Store, StoreError> {
        let store = Self::open_read_only(path)?;
        store.conn.execute_batch("BEGIN")?;
        // The snapshot is taken at the transaction's first read.
        store
            .conn
            .query_row("SELECT COUNT(*) FROM page_cache", [], |_| Ok(()))?;
        Ok(store)
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Starts a run and returns its id.
    pub fn begin_run(
        &self,
        as_of: NaiveDate,
        observed_on: NaiveDate,
        period: (NaiveDate, NaiveDate),
    ) -> Result<i64, StoreError> {
        let me = owner::Owner::current();
        self.conn.execute(
            "INSERT INTO runs (started_at, as_of, observed_on, period_start, period_end, status,
                               owner_pid, owner_host, owner_start)
             VALUES (?1, ?2, ?3, ?4, ?5, 'running', ?6, ?7, ?8)",
            params![
                Utc::now().to_rfc3339(),
                as_of.to_string(),
                observed_on.to_string(),
                period.0.to_string(),
                period.1.to_string(),
                me.pid,
                me.host,
                me.start
            ],
        )?;
        Ok(self.conn.last_insert_rowid())
    }

    /// Marks a run finished, interrupted or failed, with its crawl statistics.
    pub fn finish_run(
        &self,
        run_id: i64,
        status: RunStatus,
        stats: &serde_json::Value,
    ) -> Result<(), StoreError> {
        self.end_run(run_id, status, stats, None)
    }

    /// Like [`Store::finish_run`], with the reason a run ended other than finished.
    pub fn end_run(
        &self,
        run_id: i64,
        status: RunStatus,
        stats: &serde_json::Value,
        reason: Option<&str>,
    ) -> Result<(), StoreError> {
        self.conn.execute(
            "UPDATE runs SET finished_at = ?1, status = ?2, stats_json = ?3, end_reason = ?4
             WHERE id = ?5",
            params![
                Utc::now().to_rfc3339(),
                status.as_str(),
                stats.to_string(),
                reason,
                run_id
            ],
        )?;
        Ok(())
    }

    /// Writes everything one run observed of one site, in one transaction.
    pub fn record_site(&mut self, run_id: i64, obs: &SiteObservation) -> Result<(), StoreError> {
        let observed_on: String = self.conn.query_row(
            "SELECT observed_on FROM runs WHERE id = ?1",
            [run_id],
            |r| r.get(0),
        )?;
        let tx = self.conn.transaction()?;
        tx.execute(
            "INSERT INTO sites (id, name, role, url) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT(id) DO UPDATE SET name = excluded.name, role = excluded.role, url = excluded.url",
            params![obs.site_id, obs.name, obs.role.as_str(), obs.url],
        )?;
        tx.execute(
            "INSERT OR REPLACE INTO run_sites (run_id, site_id, name, role, url, status, status_reason, home_json)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                run_id,
                obs.site_id,
                obs.name,
                obs.role.as_str(),
                obs.url,
                obs.status.as_str(),
                obs.status_reason,
                serde_json::to_string(&obs.home).unwrap_or_else(|_| "{}".into())
            ],
        )?;
        for col in &obs.columns {
            tx.prepare_cached(
                "INSERT INTO columns (site_id, url, name, class) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT(site_id, class, url) DO UPDATE SET name = excluded.name",
            )?
            .execute(params![obs.site_id, col.url, col.name, col.class.as_str()])?;
            let column_id: i64 = tx
                .prepare_cached(
                    "SELECT id FROM columns WHERE site_id = ?1 AND class = ?2 AND url = ?3",
                )?
                .query_row(params![obs.site_id, col.class.as_str(), col.url], |r| {
                    r.get(0)
                })?;
            tx.prepare_cached(
                "INSERT OR REPLACE INTO run_columns
                    (run_id, column_id, assessable, reason, pages, seen_back_to)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?
            .execute(params![
                run_id,
                column_id,
                col.assessable,
                col.reason,
                col.pages,
                col.seen_back_to.map(|d| d.to_string())
            ])?;
            for item in &col.items {
                // A later sighting may bring a better date (e.g. from the article page), so
                // the row is refreshed when it differs, but first_seen never moves. An
                // unchanged item (most of a rerun's) is not written again.
                let date = item.date.map(|d| d.to_string());
                let url_date = item.url_date.map(|d| d.to_string());
                let stored = tx
                    .prepare_cached(
                        "SELECT id, title, published, date_source, url_date, pinned
                         FROM items WHERE column_id = ?1 AND url = ?2",
                    )?
                    .query_row(params![column_id, item.url], |r| {
                        Ok((
                            r.get::<_, i64>(0)?,
                            r.get::<_, String>(1)? == item.title
                                && r.get::<_, Option<String>>(2)? == date
                                && r.get::<_, String>(3)? == item.date_source.as_str()
                                && r.get::<_, Option<String>>(4)? == url_date
                                && r.get::<_, bool>(5)? == item.pinned,
                        ))
                    })
                    .optional()?;
                let item_id = match stored {
                    Some((id, true)) => id,
                    Some((id, false)) => {
                        tx.prepare_cached(
                            "UPDATE items SET title = ?2, published = ?3, date_source = ?4,
                                url_date = ?5, pinned = ?6 WHERE id = ?1",
                        )?
                        .execute(params![
                            id,
                            item.title,
                            date,
                            item.date_source.as_str(),
                            url_date,
                            item.pinned
                        ])?;
                        id
                    }
                    None => {
                        tx.prepare_cached(
                            "INSERT INTO items (column_id, url, title, published, date_source,
                                url_date, pinned, first_seen_run, first_seen_on)
                             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                        )?
                        .execute(params![
                            column_id,
                            item.url,
                            item.title,
                            date,
                            item.date_source.as_str(),
                            url_date,
                            item.pinned,
                            run_id,
                            observed_on
                        ])?;
                        tx.last_insert_rowid()
                    }
                };
                tx.prepare_cached(
                    "INSERT OR IGNORE INTO run_items (run_id, item_id) VALUES (?1, ?2)",
                )?
                .execute(params![run_id, item_id])?;
            }
        }
        for page in &obs.pages {
            tx.prepare_cached(
                "INSERT OR REPLACE INTO page_meta (run_id, site_id, url, kind, json)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
            )?
            .execute(params![
                run_id,
                obs.site_id,
                page.url,
                page.kind,
                serde_json::to_string(page).unwrap_or_else(|_| "{}".into())
            ])?;
        }
        for c in &obs.cache_updates {
            tx.prepare_cached(
"INSERT OR REPLACE INTO page_cache (url, kind, etag, last_modified, fetched_on, payload)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)"
)?.execute(
                params![
                    c.url,
                    c.payload.kind(),
                    c.etag,
                    c.last_modified,
                    c.fetched_on.to_string(),
                    serde_json::to_string(&c.payload).unwrap_or_else(|_| "{}".into())
                ],
            )?;
        }
        for a in &obs.attachments {
            tx.prepare_cached(
                "INSERT OR IGNORE INTO attachments (run_id, site_id, article_url, url, name, kind)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?
            .execute(params![
                run_id,
                obs.site_id,
                a.article_url,
                a.url,
                a.name,
                a.kind
            ])?;
        }
        links::record(&tx, run_id, &obs.site_id, &obs.links)?;
        links::carry_forward(&tx, run_id, &obs.site_id, &obs.links, &obs.seen_pages())?;
        let now = Utc::now().to_rfc3339();
        for f in &obs.failures {
            tx.prepare_cached(
                "INSERT INTO fetch_failures (run_id, site_id, url, outcome, reason, at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?
            .execute(params![
                run_id,
                obs.site_id,
                f.url,
                f.outcome,
                f.reason,
                now
            ])?;
        }
        tx.commit()?;
        Ok(())
    }

    /// Stores a run's scorecards (each the site object of report.json) in one transaction:
    /// all of them or, when one cannot be written, none.
    pub fn save_scorecards<'a, T: serde::Serialize + 'a>(
        &mut self,
        run_id: i64,
        cards: impl IntoIterator<Item = Scorecard<'a, T>>,
    ) -> Result<(), StoreError> {
        let tx = self.conn.transaction()?;
        {
            let mut stmt = tx.prepare(
                "INSERT OR REPLACE INTO scorecards (run_id, site_id, score, grade, rank, json)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?;
            for card in cards {
                let json = serde_json::to_string(card.json)
                    .map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))?;
                stmt.execute(params![
                    run_id,
                    card.site_id,
                    card.score,
                    card.grade,
                    card.rank,
                    json
                ])?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// The newest finished run, if any.
    pub fn latest_run(&self) -> Result<Option<i64>, StoreError> {
        Ok(self
            .conn
            .query_row(
                "SELECT id FROM runs WHERE status = 'finished' ORDER BY id DESC LIMIT 1",
                [],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// Scores of the latest finished run (other than `exclude`) whose as_of lies in
    /// `[from, to]`: (run id, site id → score).
    pub fn scores_in(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        exclude: i64,
    ) -> Result<Option<(i64, RunScores)>, StoreError> {
        let run: Option<i64> = self
            .conn
            .query_row(
                "SELECT id FROM runs WHERE status = 'finished' AND id != ?3
                 AND as_of >= ?1 AND as_of <= ?2 ORDER BY as_of DESC, id DESC LIMIT 1",
                params![from.to_string(), to.to_string(), exclude],
                |r| r.get(0),
            )
            .optional()?;
        let Some(run) = run else { return Ok(None) };
        let mut stmt = self.conn.prepare(
            "SELECT site_id, score FROM scorecards WHERE run_id = ?1 AND score IS NOT NULL",
        )?;
        let rows = stmt.query_map([run], |r| Ok((r.get::<_, String>(0)?, r.get::<_, f64>(1)?)))?;
        let mut map = std::collections::HashMap::new();
        for row in rows {
            let (k, v) = row?;
            map.insert(k, v);
        }
        Ok(Some((run, map)))
    }

    /// District-wide results of the finished runs before `run_id` plus `run_id` itself,
    /// oldest first: (run id, as_of, scores and grades of its judged sites).
    pub fn score_history(&self, run_id: i64, limit: usize) -> Result<Vec<HistoryRow>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT id, as_of FROM runs WHERE (status = 'finished' AND id < ?1) OR id = ?1
             ORDER BY id DESC LIMIT ?2",
        )?;
        let runs: Vec<(i64, String)> = stmt
            .query_map(params![run_id, limit as i64], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })?
            .collect::<Result<_, _>>()?;
        let mut sc = self.conn.prepare(
            "SELECT score, grade FROM scorecards
             WHERE run_id = ?1 AND (score IS NOT NULL OR grade IS NOT NULL)",
        )?;
        let mut out = Vec::new();
        for (id, as_of) in runs.into_iter().rev() {
            let scores: Vec<(Option<f64>, Option<String>)> = sc
                .query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<Result<_, _>>()?;
            out.push((id, as_of, scores));
        }
        Ok(out)
    }

    /// The query plan SQLite makes for `sql` (`EXPLAIN QUERY PLAN`, one detail per line),
    /// for tests asserting that a statement goes by index. Parameters are left unbound
    /// (NULL): the plan does not depend on their values.
    #[cfg(test)]
    pub(crate) fn query_plan(&self, sql: &str) -> String {
        let mut stmt = self
            .conn
            .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
            .expect("statement prepares");
        let rows = stmt
            .raw_query()
            .mapped(|r| r.get::<_, String>(3))
            .collect::<Result<Vec<_>, _>>()
            .expect("plan rows read");
        rows.join("\n")
    }

    /// The part of the page cache one site's walk can reuse: the pages under the folder of
    /// its home page `root` (its home, the columns found on it, most articles), the pinned
    /// `columns`, and the columns and items outside that folder that its cached home and
    /// list pages name (articles kept elsewhere, e.g. Hanweb's `/art/…`). Read by the URL
    /// index, so a run's memory and time per site do not grow with the whole cache; a page
    /// missed here is simply fetched again.
    pub fn load_site_page_cache(
        &self,
        root: &url::Url,
        columns: &[&url::Url],
    ) -> Result<crate::crawl::cache::PageCache, StoreError> {
        use crate::crawl::cache::Payload;
        let mut out = crate::crawl::cache::PageCache::new();
        let folder = match root.path().rfind('/') {
            Some(i) => &root.path()[..=i],
            None => "/",
        };
        let prefix = format!("{}{folder}", &root[..url::Position::BeforePath]);
        // Every URL starting with `prefix` (ending in '/') sorts before it with '0'.
        let upper = format!("{}0", &prefix[..prefix.len() - 1]);
        let mut stmt = self.conn.prepare_cached(
            "SELECT url, etag, last_modified, fetched_on, payload FROM page_cache
             WHERE url >= ?1 AND url < ?2",
        )?;
        read_cache_rows(&mut stmt, params![prefix, upper], &mut out)?;
        let mut one = self.conn.prepare_cached(
            "SELECT url, etag, last_modified, fetched_on, payload FROM page_cache WHERE url = ?1",
        )?;
        // Columns first (pinned, then those of the cached home page), then the items their
        // cached walks list.
        let mut wanted: Vec<String> = columns.iter().map(|u| u.to_string()).collect();
        for round in 0..2 {
            for url in std::mem::take(&mut wanted) {
                if !out.contains_key(&url) {
                    read_cache_rows(&mut one, [&url], &mut out)?;
                }
            }
            for page in out.values() {
                match &page.payload {
                    Payload::Home { columns, .. } if round == 0 => {
                        wanted.extend(columns.iter().map(|(_, _, u)| u.clone()))
                    }
                    Payload::Column { items, .. } if round == 1 => {
                        wanted.extend(items.iter().map(|i| i.url.clone()))
                    }
                    _ => {}
                }
            }
            wanted.retain(|u| !out.contains_key(u));
        }
        for url in wanted {
            read_cache_rows(&mut one, [&url], &mut out)?;
        }
        Ok(out)
    }

    /// Items a run saw: (first seen in this run, already known).
    pub fn run_item_counts(&self, run_id: i64) -> Result<(i64, i64), StoreError> {
        Ok(self.conn.query_row(
            "SELECT COALESCE(SUM(i.first_seen_run = ?1), 0), COALESCE(SUM(i.first_seen_run != ?1), 0)
             FROM run_items ri JOIN items i ON i.id = ri.item_id WHERE ri.run_id = ?1",
            [run_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?)
    }

    /// The documents a run found for a site: (article url, document url, name, kind).
    pub fn attachments(
        &self,
        run_id: i64,
        site_id: &str,
    ) -> Result<Vec<crate::crawl::observe::AttachmentRecord>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT article_url, url, name, kind FROM attachments
             WHERE run_id = ?1 AND site_id = ?2 ORDER BY article_url, url",
        )?;
        let rows = stmt.query_map(params![run_id, site_id], |r| {
            Ok(crate::crawl::observe::AttachmentRecord {
                article_url: r.get(0)?,
                url: r.get(1)?,
                name: r.get(2)?,
                kind: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Total number of stored items (all runs).
    pub fn item_count(&self) -> Result<i64, StoreError> {
        Ok(self
            .conn
            .query_row("SELECT COUNT(*) FROM items", [], |r| r.get(0))?)
    }

    /// Loads the read-only view of one run.
    pub fn snapshot(&self, run_id: i64) -> Result<Snapshot, StoreError> {
        snapshot::load(&self.conn, run_id)
    }

    /// The run part of a snapshot, for loading it site by site ([`Store::site_snapshot`]).
    pub fn run_info(&self, run_id: i64) -> Result<RunInfo, StoreError> {
        snapshot::load_run(&self.conn, run_id)
    }

    /// Ids of the sites a run recorded, in the snapshot's order.
    pub fn run_site_ids(&self, run_id: i64) -> Result<Vec<String>, StoreError> {
        snapshot::site_ids(&self.conn, run_id)
    }

    /// The ids of the sites a run recorded, in the order a stage that requests their pages
    /// takes them: hosts in turn ([`crate::crawl::politeness::hosts_in_turn`]), each host's
    /// sites by id.
    pub fn run_site_ids_hosts_in_turn(&self, run_id: i64) -> Result<Vec<String>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT site_id, url FROM run_sites WHERE run_id = ?1 ORDER BY site_id",
        )?;
        let sites = stmt
            .query_map([run_id], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
            })?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(
            crate::crawl::politeness::hosts_in_turn(sites, |(_, url)| url::Url::parse(url).ok())
                .into_iter()
                .map(|(id, _)| id)
                .collect(),
        )
    }

    /// One site of a run as [`Store::snapshot`] holds it; `None` when the run did not
    /// record the site.
    pub fn site_snapshot(
        &self,
        run: &RunInfo,
        site_id: &str,
    ) -> Result<Option<SiteSnap>, StoreError> {
        snapshot::load_site(&self.conn, run, site_id, snapshot::SiteParts::All)
    }

    /// One site of a run with only its row, its columns and their items: what the stages
    /// before scoring (annual reports, screening) read. The rest of the site's state (earlier
    /// crawls, page metadata, stage results) is loaded once, for scoring.
    pub fn site_columns(
        &self,
        run: &RunInfo,
        site_id: &str,
    ) -> Result<Option<SiteSnap>, StoreError> {
        snapshot::load_site(
            &self.conn,
            run,
            site_id,
            snapshot::SiteParts::ColumnsAndItems,
        )
    }
}

/// Adds the page-cache rows `stmt` selects (url, etag, last_modified, fetched_on, payload)
/// to `out`. Rows that no longer parse (written by another version) are skipped: the page
/// is then simply fetched again.
fn read_cache_rows(
    stmt: &mut rusqlite::Statement<'_>,
    params: impl rusqlite::Params,
    out: &mut crate::crawl::cache::PageCache,
) -> Result<(), StoreError> {
    use crate::crawl::cache::{CachedPage, Payload};
    let rows = stmt.query_map(params, |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, Option<String>>(1)?,
            r.get::<_, Option<String>>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, String>(4)?,
        ))
    })?;
    for row in rows {
        let (url, etag, last_modified, fetched_on, payload) = row?;
        let (Ok(fetched_on), Ok(payload)) = (
            NaiveDate::parse_from_str(&fetched_on, "%Y-%m-%d"),
            serde_json::from_str::<Payload>(&payload),
        ) else {
            continue;
        };
        out.insert(
            url.clone(),
            CachedPage {
                url,
                etag,
                last_modified,
                fetched_on,
                payload,
            },
        );
    }
    Ok(())
}

#[cfg(test)]
mod page_cache_tests {
    use super::*;
    use crate::crawl::cache::{CachedPage, Payload};
    use crate::crawl::observe::{HomeFacts, PageMetaRecord};
    use crate::model::{ColumnClass, DateSource, ListItem};

    fn day() -> NaiveDate {
        NaiveDate::from_ymd_opt(2023, 3, 1).unwrap()
    }

    fn put(store: &Store, url: &str, payload: Payload) {
        let page = CachedPage {
            url: url.to_string(),
            etag: Some("\"e\"".into()),
            last_modified: None,
            fetched_on: day(),
            payload,
        };
        store
            .conn
            .execute(
                "INSERT INTO page_cache (url, kind, etag, last_modified, fetched_on, payload)
                 VALUES (?1, ?2, ?3, NULL, ?4, ?5)",
                params![
                    page.url,
                    page.payload.kind(),
                    page.etag,
                    page.fetched_on.to_string(),
                    serde_json::to_string(&page.payload).unwrap()
                ],
            )
            .unwrap();
    }

    fn article() -> Payload {
        Payload::Article {
            date: Some(day()),
            date_source: DateSource::ArticleText,
            meta: PageMetaRecord::default(),
            attachments: Vec::new(),
        }
    }

    fn item(url: &str) -> ListItem {
        ListItem {
            title: "通知".into(),
            url: url.into(),
            date: None,
            date_source: DateSource::None,
            url_date: None,
            pinned: false,
        }
    }

    fn column(items: &[&str]) -> Payload {
        Payload::Column {
            items: items.iter().map(|u| item(u)).collect(),
            pages: 1,
            walked_back_to: day(),
            meta: PageMetaRecord::default(),
            body: None,
        }
    }

    #[test]
    fn a_site_loads_its_folder_and_the_pages_its_cached_pages_name_but_no_other_site() {
        let store = Store::open_in_memory().unwrap();
        let home = |columns: &[&str]| Payload::Home {
            home: HomeFacts::default(),
            columns: columns
                .iter()
                .map(|u| ("动态".to_string(), ColumnClass::News, u.to_string()))
                .collect(),
            meta: PageMetaRecord::default(),
            name: "教育局".into(),
            body: None,
        };
        // The site at /bm/jyj/: its home, a column in its folder, a column on the 信息公开
        // host its home page names, a pinned column elsewhere, and articles in its folder
        // and under /art/ (named by its cached lists).
        put(
            &store,
            "http://x.gov.cn/bm/jyj/",
            home(&[
                "http://x.gov.cn/bm/jyj/tzgg/",
                "http://xxgk.x.gov.cn/jyj/nb/",
            ]),
        );
        put(
            &store,
            "http://x.gov.cn/bm/jyj/tzgg/",
            column(&[
                "http://x.gov.cn/bm/jyj/tzgg/1.html",
                "http://x.gov.cn/art/2023/3/1/art_1.html",
            ]),
        );
        put(&store, "http://x.gov.cn/bm/jyj/tzgg/1.html", article());
        put(&store, "http://x.gov.cn/art/2023/3/1/art_1.html", article());
        put(
            &store,
            "http://xxgk.x.gov.cn/jyj/nb/",
            column(&["http://xxgk.x.gov.cn/jyj/nb/2.html"]),
        );
        put(&store, "http://xxgk.x.gov.cn/jyj/nb/2.html", article());
        put(&store, "http://x.gov.cn/pinned/ldxx/", column(&[]));
        // Another site's pages: a sibling folder whose name starts the same, another one,
        // and the portal's home.
        put(&store, "http://x.gov.cn/bm/jyj2/", home(&[]));
        put(&store, "http://x.gov.cn/bm/wsj/", home(&[]));
        put(&store, "http://x.gov.cn/bm/wsj/3.html", article());
        put(&store, "http://x.gov.cn/", home(&[]));
        put(&store, "http://x.gov.cn/art/2023/3/1/art_9.html", article());

        let root = url::Url::parse("http://x.gov.cn/bm/jyj/").unwrap();
        let pinned = url::Url::parse("http://x.gov.cn/pinned/ldxx/").unwrap();
        let cache = store.load_site_page_cache(&root, &[&pinned]).unwrap();
        let mut urls: Vec<&str> = cache.keys().map(String::as_str).collect();
        urls.sort();
        assert_eq!(
            urls,
            [
                "http://x.gov.cn/art/2023/3/1/art_1.html",
                "http://x.gov.cn/bm/jyj/",
                "http://x.gov.cn/bm/jyj/tzgg/",
                "http://x.gov.cn/bm/jyj/tzgg/1.html",
                "http://x.gov.cn/pinned/ldxx/",
                "http://xxgk.x.gov.cn/jyj/nb/",
                "http://xxgk.x.gov.cn/jyj/nb/2.html",
            ]
        );
        assert_eq!(
            cache["http://x.gov.cn/bm/jyj/"].etag.as_deref(),
            Some("\"e\"")
        );
        // The other sites' pages are in the cache, not in this site's part.
        let all: i64 = store
            .conn
            .query_row("SELECT COUNT(*) FROM page_cache", [], |r| r.get(0))
            .unwrap();
        assert_eq!(all, 12);
    }
}

#[cfg(test)]
mod record_tests {
    use super::*;
    use crate::crawl::observe::{ColumnObservation, HomeFacts, SiteObservation};
    use crate::model::{ColumnClass, DateSource, ListItem, Role, SiteStatus};

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn site(items: Vec<ListItem>) -> SiteObservation {
        SiteObservation {
            site_id: "jyj".into(),
            name: "教育局".into(),
            role: Role::Department,
            url: "http://x.gov.cn/jyj/".into(),
            status: SiteStatus::Ok,
            status_reason: None,
            home: HomeFacts::default(),
            columns: vec![ColumnObservation {
                name: "工作动态".into(),
                class: ColumnClass::News,
                url: "http://x.gov.cn/jyj/gzdt/".into(),
                assessable: true,
                reason: None,
                seen_back_to: None,
                pages: 1,
                items,
            }],
            failures: Vec::new(),
            pages: Vec::new(),
            cache_updates: Vec::new(),
            pages_parsed: 0,
            attachments: Vec::new(),
            links: Default::default(),
        }
    }

    fn item(url: &str, date: Option<&str>, source: DateSource) -> ListItem {
        ListItem {
            title: "通知".into(),
            url: url.into(),
            date: date.map(d),
            date_source: source,
            url_date: None,
            pinned: false,
        }
    }

    fn row(store: &Store, url: &str) -> (Option<String>, String, i64, String) {
        store
            .conn
            .query_row(
                "SELECT published, date_source, first_seen_run, first_seen_on FROM items
                 WHERE url = ?1",
                [url],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .unwrap()
    }

    #[test]
    fn an_item_seen_again_keeps_its_first_sighting_and_takes_a_better_date() {
        let mut store = Store::open_in_memory().unwrap();
        let (a, b) = (
            "http://x.gov.cn/jyj/gzdt/a.html",
            "http://x.gov.cn/jyj/gzdt/b.html",
        );
        let day1 = d("2023-03-01");
        let r1 = store
            .begin_run(day1, day1, (d("2023-01-01"), day1))
            .unwrap();
        let first = site(vec![
            item(a, Some("2023-02-27"), DateSource::List),
            item(b, None, DateSource::None),
        ]);
        store.record_site(r1, &first).unwrap();
        let day2 = d("2023-03-08");
        let r2 = store
            .begin_run(day2, day2, (d("2023-01-01"), day2))
            .unwrap();
        // a unchanged; b now dated by its article page.
        let second = site(vec![
            item(a, Some("2023-02-27"), DateSource::List),
            item(b, Some("2023-02-28"), DateSource::ArticleText),
        ]);
        store.record_site(r2, &second).unwrap();
        assert_eq!(
            row(&store, a),
            (
                Some("2023-02-27".into()),
                "list".into(),
                r1,
                "2023-03-01".into()
            )
        );
        assert_eq!(
            row(&store, b),
            (
                Some("2023-02-28".into()),
                DateSource::ArticleText.as_str().into(),
                r1,
                "2023-03-01".into()
            )
        );
        // Each run lists both items, once.
        for run in [r1, r2] {
            let n: i64 = store
                .conn
                .query_row(
                    "SELECT COUNT(*) FROM run_items WHERE run_id = ?1",
                    [run],
                    |r| r.get(0),
                )
                .unwrap();
            assert_eq!(n, 2, "run {run}");
        }
        let items: i64 = store
            .conn
            .query_row("SELECT COUNT(*) FROM items", [], |r| r.get(0))
            .unwrap();
        assert_eq!(items, 2);
    }
}
