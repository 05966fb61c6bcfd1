//! The read-only view of one run that checks work from. Loaded once after the crawl;
//! everything downstream of it is pure.

use super::StoreError;
use crate::crawl::observe::{HomeFacts, PageMetaRecord};
use crate::model::{ColumnClass, DateSource, Role, SiteStatus};
use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, params};

/// The run's identity and windows.
#[derive(Debug, Clone, PartialEq)]
pub struct RunInfo {
    /// Run id.
    pub id: i64,
    /// The 监测时间点.
    pub as_of: NaiveDate,
    /// The day the crawl looked at the sites.
    pub observed_on: NaiveDate,
    /// First day of the assessment period.
    pub period_start: NaiveDate,
    /// Last day of the assessment period (= as_of).
    pub period_end: NaiveDate,
}

/// Everything one run knows, per site.
#[derive(Debug, Clone, PartialEq)]
pub struct Snapshot {
    /// The run.
    pub run: RunInfo,
    /// Sites in the order they were recorded (sorted by id for determinism).
    pub sites: Vec<SiteSnap>,
}

/// One site in a run.
#[derive(Debug, Clone, PartialEq)]
pub struct SiteSnap {
    /// Config id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Role.
    pub role: Role,
    /// Home page.
    pub url: String,
    /// Assessability.
    pub status: SiteStatus,
    /// Why not ok.
    pub status_reason: Option<String>,
    /// Home page facts.
    pub home: HomeFacts,
    /// Columns in discovery order.
    pub columns: Vec<ColumnSnap>,
    /// Meta tags of the pages read, home first.
    pub pages: Vec<PageMetaRecord>,
    /// What the run found of the site's annual report; `None` when it was not searched
    /// (site not assessable, or a run stored before reports were read).
    pub annual: Option<crate::crawl::annual::AnnualObservation>,
    /// Availability probes of the home page in the `PROBE_LOOKBACK_DAYS` days ending with
    /// as_of, oldest first (stored by the daemon; empty for one-off runs).
    pub probes: Vec<super::Probe>,
    /// What the content screening stage screened and found (issue 14); empty when the
    /// stage did not run.
    pub content: super::SiteContent,
    /// Links of the site's pages that did not answer well in the run (dead-link check).
    pub links: Vec<super::LinkProblem>,
}

/// One column in a run.
#[derive(Debug, Clone, PartialEq)]
pub struct ColumnSnap {
    /// Column row id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// Class.
    pub class: ColumnClass,
    /// List page URL.
    pub url: String,
    /// Whether its list was read.
    pub assessable: bool,
    /// Why not assessable, or why its walk was cut.
    pub reason: Option<String>,
    /// A cut walk: the day the list was fully seen back to; only windows starting after
    /// it are judged. `None` for a complete walk.
    pub seen_back_to: Option<NaiveDate>,
    /// Items this run saw, newest first (undated last).
    pub items: Vec<ItemSnap>,
    /// Earlier runs that read this column, oldest first (for backdating).
    pub history: Vec<PastCrawl>,
}

impl ColumnSnap {
    /// Whether the run saw every item of the list published from `day` on: always for a
    /// complete walk; for a cut one only after the day it saw back to.
    pub fn seen_from(&self, day: NaiveDate) -> bool {
        self.seen_back_to.is_none_or(|d| day > d)
    }
}

/// An earlier run's look at a column.
#[derive(Debug, Clone, PartialEq)]
pub struct PastCrawl {
    /// Run id.
    pub run_id: i64,
    /// The day it looked.
    pub observed_on: NaiveDate,
    /// How far back its list walk went (that run's period start).
    pub walked_back_to: NaiveDate,
}

/// One item seen in a run.
#[derive(Debug, Clone, PartialEq)]
pub struct ItemSnap {
    /// Title.
    pub title: String,
    /// URL.
    pub url: String,
    /// Publish date.
    pub published: Option<NaiveDate>,
    /// Where the date came from.
    pub date_source: DateSource,
    /// Date embedded in the URL.
    pub url_date: Option<NaiveDate>,
    /// 置顶.
    pub pinned: bool,
    /// The first run that saw it.
    pub first_seen_run: i64,
    /// The day that run observed the site.
    pub first_seen_on: NaiveDate,
}

fn date(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

fn bad(what: &str, value: &str) -> rusqlite::Error {
    rusqlite::Error::InvalidColumnType(
        0,
        format!("{what}: unexpected stored value {value:?}"),
        rusqlite::types::Type::Text,
    )
}

pub(super) fn load(conn: &Connection, run_id: i64) -> Result<Snapshot, StoreError> {
    let run = load_run(conn, run_id)?;
    let mut sites = Vec::new();
    for id in site_ids(conn, run_id)? {
        sites.extend(load_site(conn, &run, &id, SiteParts::All)?);
    }
    Ok(Snapshot { run, sites })
}

/// The run's identity and windows.
pub(super) fn load_run(conn: &Connection, run_id: i64) -> Result<RunInfo, StoreError> {
    conn.query_row(
        "SELECT as_of, observed_on, period_start, period_end FROM runs WHERE id = ?1",
        [run_id],
        |r| {
            let get = |i: usize| -> rusqlite::Result<NaiveDate> {
                let s: String = r.get(i)?;
                date(&s).ok_or_else(|| bad("date", &s))
            };
            Ok(RunInfo {
                id: run_id,
                as_of: get(0)?,
                observed_on: get(1)?,
                period_start: get(2)?,
                period_end: get(3)?,
            })
        },
    )
    .optional()?
    .ok_or(StoreError::NoSuchRun(run_id))
}

/// Ids of the sites a run recorded, sorted (the snapshot's order).
pub(super) fn site_ids(conn: &Connection, run_id: i64) -> Result<Vec<String>, StoreError> {
    let mut stmt =
        conn.prepare_cached("SELECT site_id FROM run_sites WHERE run_id = ?1 ORDER BY site_id")?;
    let rows = stmt.query_map([run_id], |r| r.get(0))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// What of a site's stored state a load reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SiteParts {
    /// The site's row (status, home page) and its columns with their items: what the
    /// annual-report and screening stages act on.
    ColumnsAndItems,
    /// Everything scoring reads besides: each column's earlier crawls, the page metadata,
    /// the annual-report reading, probes, screening results and link problems.
    All,
}

/// One site of a run with the `parts` asked for (everything the checks need with
/// [`SiteParts::All`]); `None` when the run did not record it. Every query is by site or by
/// column (indexed), so loading a run site by site costs the same per site however many
/// sites and runs the database holds.
pub(super) fn load_site(
    conn: &Connection,
    run: &RunInfo,
    site_id: &str,
    parts: SiteParts,
) -> Result<Option<SiteSnap>, StoreError> {
    let all = parts == SiteParts::All;
    let run_id = run.id;
    let site = conn
        .prepare_cached(
            "SELECT site_id, name, role, url, status, status_reason, home_json
             FROM run_sites WHERE run_id = ?1 AND site_id = ?2",
        )?
        .query_row(params![run_id, site_id], |r| {
            let role: String = r.get(2)?;
            let status: String = r.get(4)?;
            let home: String = r.get(6)?;
            Ok(SiteSnap {
                id: r.get(0)?,
                name: r.get(1)?,
                role: Role::parse(&role).ok_or_else(|| bad("role", &role))?,
                url: r.get(3)?,
                status: SiteStatus::parse(&status).ok_or_else(|| bad("status", &status))?,
                status_reason: r.get(5)?,
                home: serde_json::from_str(&home).unwrap_or_default(),
                columns: Vec::new(),
                pages: Vec::new(),
                annual: None,
                probes: Vec::new(),
                content: Default::default(),
                links: Vec::new(),
            })
        })
        .optional()?;
    let Some(mut site) = site else {
        return Ok(None);
    };

    // CROSS JOIN keeps SQLite's join order: the site's columns (or the column's items)
    // first, then the run's row by primary key; the other order scans every row of the run
    // per site (or per column), quadratic in the number of sites.
    let mut col_stmt = conn.prepare_cached(
        "SELECT c.id, c.name, c.class, c.url, rc.assessable, rc.reason, rc.seen_back_to
         FROM columns c CROSS JOIN run_columns rc ON rc.column_id = c.id
         WHERE rc.run_id = ?1 AND c.site_id = ?2 ORDER BY c.id",
    )?;
    let mut item_stmt = conn.prepare_cached(
        "SELECT i.title, i.url, i.published, i.date_source, i.url_date, i.pinned,
                i.first_seen_run, i.first_seen_on
         FROM items i CROSS JOIN run_items ri ON ri.item_id = i.id
         WHERE ri.run_id = ?1 AND i.column_id = ?2
         ORDER BY i.published IS NULL, i.published DESC, i.id",
    )?;
    // Earlier finished or interrupted runs in which the column's list was read, and how
    // far back each saw it (its period start, or later when its walk was cut).
    let mut hist_stmt = conn.prepare_cached(
        "SELECT r.id, r.observed_on, MAX(r.period_start, COALESCE(date(rc.seen_back_to, '+1 day'), ''))
         FROM run_columns rc JOIN runs r ON r.id = rc.run_id
         WHERE rc.column_id = ?1 AND rc.assessable = 1 AND r.id < ?2
         ORDER BY r.observed_on, r.id",
    )?;
    let mut page_stmt = conn.prepare_cached(
        "SELECT json FROM page_meta WHERE run_id = ?1 AND site_id = ?2
         ORDER BY CASE kind WHEN 'home' THEN 0 WHEN 'list' THEN 1 ELSE 2 END, url",
    )?;
    if all {
        let (probe_from, probe_to) = super::probes::snapshot_window(run.as_of);
        site.annual = super::annual::load(conn, run_id, &site.id)?;
        site.probes = super::probes::probes_between(conn, &site.id, probe_from, probe_to)?;
        site.content = super::screening::load(conn, run_id, &site.id)?;
        site.links = super::links::load_problems(conn, run_id, &site.id)?;
        let pages = page_stmt.query_map(params![run_id, site.id], |r| r.get::<_, String>(0))?;
        for json in pages {
            if let Ok(p) = serde_json::from_str(&json?) {
                site.pages.push(p);
            }
        }
    }
    let cols = col_stmt.query_map(params![run_id, site.id], |r| {
        let class: String = r.get(2)?;
        Ok(ColumnSnap {
            id: r.get(0)?,
            name: r.get(1)?,
            class: ColumnClass::parse(&class).ok_or_else(|| bad("class", &class))?,
            url: r.get(3)?,
            assessable: r.get(4)?,
            reason: r.get(5)?,
            seen_back_to: r.get::<_, Option<String>>(6)?.as_deref().and_then(date),
            items: Vec::new(),
            history: Vec::new(),
        })
    })?;
    for col in cols {
        let mut col = col?;
        let items = item_stmt.query_map(params![run_id, col.id], |r| {
            let published: Option<String> = r.get(2)?;
            let source: String = r.get(3)?;
            let url_date: Option<String> = r.get(4)?;
            let first_seen_on: String = r.get(7)?;
            Ok(ItemSnap {
                title: r.get(0)?,
                url: r.get(1)?,
                published: published.as_deref().and_then(date),
                date_source: DateSource::parse(&source)
                    .ok_or_else(|| bad("date_source", &source))?,
                url_date: url_date.as_deref().and_then(date),
                pinned: r.get(5)?,
                first_seen_run: r.get(6)?,
                first_seen_on: date(&first_seen_on)
                    .ok_or_else(|| bad("first_seen_on", &first_seen_on))?,
            })
        })?;
        for item in items {
            col.items.push(item?);
        }
        if !all {
            site.columns.push(col);
            continue;
        }
        let hist = hist_stmt.query_map(params![col.id, run_id], |r| {
            let observed: String = r.get(1)?;
            let since: String = r.get(2)?;
            Ok(PastCrawl {
                run_id: r.get(0)?,
                observed_on: date(&observed).ok_or_else(|| bad("observed_on", &observed))?,
                walked_back_to: date(&since).ok_or_else(|| bad("period_start", &since))?,
            })
        })?;
        for h in hist {
            col.history.push(h?);
        }
        site.columns.push(col);
    }
    Ok(Some(site))
}
