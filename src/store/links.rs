//! Storage of links and their checks (`links`, `link_places`, migration 010).
//!
//! Owns: writing the links a run found per site (with the first page each is on), the
//! check stage's reads and verdicts, and loading the links that did not answer well for the
//! snapshot. Every per-run query is a range of a primary key or of `link_places_link`;
//! every per-link one goes by primary key or the unique URL. Must not fetch or judge.

use super::{Store, StoreError};
use crate::crawl::links::{LinkRow, LinkState, SiteLinks, Verdict};
use chrono::NaiveDate;
use rusqlite::{Connection, Transaction, params};

/// A link of a site that did not answer well in a run, with where it was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkProblem {
    /// The link.
    pub url: String,
    /// suspect | dead | unknown.
    pub state: LinkState,
    /// HTTP status of its request, when one came back.
    pub status: Option<u16>,
    /// Why (Chinese).
    pub reason: String,
    /// Day of the first failure of its current streak.
    pub first_failed: Option<NaiveDate>,
    /// The first page of the site it was found on.
    pub page_url: String,
    /// That page's title.
    pub page_title: Option<String>,
    /// The link text.
    pub text: String,
    /// Pages of the site read in the run that carry it.
    pub pages: u32,
}

fn date(s: Option<String>) -> Option<NaiveDate> {
    s.and_then(|s| NaiveDate::parse_from_str(&s, "%Y-%m-%d").ok())
}

/// Writes a site's links of one run (inside the site's transaction). A link already stored
/// for the run and site (a later stage adding pages) adds its pages to the count.
pub(super) fn record(
    tx: &Transaction<'_>,
    run_id: i64,
    site_id: &str,
    links: &SiteLinks,
) -> Result<(), StoreError> {
    if links.dropped > 0 {
        tracing::warn!(
            site = site_id,
            dropped = links.dropped,
            "网站链接数超过每站上限 {}，其余链接本次未检查",
            crate::crawl::links::MAX_LINKS_PER_SITE
        );
    }
    for link in links.links() {
        tx.prepare_cached("INSERT INTO links (url) VALUES (?1) ON CONFLICT(url) DO NOTHING")?
            .execute([&link.url])?;
        let link_id: i64 = tx
            .prepare_cached("SELECT id FROM links WHERE url = ?1")?
            .query_row([&link.url], |r| r.get(0))?;
        tx.prepare_cached(
            "INSERT INTO link_places
                (run_id, site_id, link_id, page_url, page_title, link_text, pages)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
             ON CONFLICT(run_id, site_id, link_id) DO UPDATE SET pages = pages + excluded.pages",
        )?
        .execute(params![
            run_id,
            site_id,
            link_id,
            link.place.page_url,
            link.place.page_title,
            link.place.text,
            link.pages
        ])?;
    }
    Ok(())
}

/// Carries into `run_id` the problem links (suspect, dead, unknown) of the site's latest
/// earlier run that sit on pages this run saw but did not read again — a home or list page
/// answering 304, an article read from the cache (`seen`: the pages and items the run
/// showed). Without it a dead link on an unchanged page, or in an article read once, could
/// never fail on a second run, and a dead link would leave the report whenever its page was
/// not re-read. A link found again on a page read now keeps that fresh place.
pub(super) fn carry_forward(
    tx: &Transaction<'_>,
    run_id: i64,
    site_id: &str,
    links: &SiteLinks,
    seen: &std::collections::HashSet<String>,
) -> Result<(), StoreError> {
    let previous: Option<i64> = tx
        .prepare_cached("SELECT MAX(run_id) FROM link_places WHERE site_id = ?1 AND run_id < ?2")?
        .query_row(params![site_id, run_id], |r| r.get(0))?;
    let Some(previous) = previous else {
        return Ok(());
    };
    let mut stmt = tx.prepare_cached(
        "SELECT link_id, page_url, page_title, link_text, pages FROM link_places
         WHERE run_id = ?1 AND site_id = ?2 AND state IN ('suspect', 'dead', 'unknown')",
    )?;
    let rows = stmt
        .query_map(params![previous, site_id], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, Option<String>>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, u32>(4)?,
            ))
        })?
        .collect::<Result<Vec<_>, _>>()?;
    for (link_id, page_url, title, text, pages) in rows {
        if links.has_page(&page_url) || !seen.contains(&page_url) {
            continue;
        }
        tx.prepare_cached(
            "INSERT OR IGNORE INTO link_places
                (run_id, site_id, link_id, page_url, page_title, link_text, pages)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )?
        .execute(params![
            run_id, site_id, link_id, page_url, title, text, pages
        ])?;
    }
    Ok(())
}

/// A slice of the run's (?1) distinct links: ids above ?2, at most ?3, in id order (a range
/// of the (run_id, link_id) index, so each slice costs its own rows only).
const LINKS_TO_CHECK: &str = "SELECT l.id, l.url, l.checked_on, l.checked_run, l.outcome, l.status,
            l.reason, l.failed_runs, l.first_failed
     FROM (SELECT DISTINCT link_id FROM link_places INDEXED BY link_places_link
           WHERE run_id = ?1 AND link_id > ?2 ORDER BY link_id LIMIT ?3) p
     CROSS JOIN links l ON l.id = p.link_id
     ORDER BY l.id";

/// A link's verdict, written to each of its places in the run. `INDEXED BY`: without
/// statistics SQLite (3.53) prefers the primary key's `run_id` prefix, a walk over every
/// place of the run for each link, and the stage grew with the square of the links.
const PLACE_VERDICT: &str = "UPDATE link_places INDEXED BY link_places_link
     SET state = ?1, status = ?2, reason = ?3, first_failed = ?4
     WHERE run_id = ?5 AND link_id = ?6";

impl Store {
    /// Stores links of pages read by a stage after the crawl (e.g. the screening stage's
    /// article pages) for `site_id` in `run_id`, in one transaction; the dead-link stage
    /// checks them with the crawl's when it runs after that stage.
    pub fn record_links(
        &mut self,
        run_id: i64,
        site_id: &str,
        links: &SiteLinks,
    ) -> Result<(), StoreError> {
        let tx = self.conn.transaction()?;
        record(&tx, run_id, site_id, links)?;
        tx.commit()?;
        Ok(())
    }

    /// The home pages of the run's sites that could not be assessed (unreachable or behind
    /// a wall), as stored.
    pub fn unassessable_homes(&self, run_id: i64) -> Result<Vec<String>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT url FROM run_sites WHERE run_id = ?1 AND status IN ('unreachable', 'blocked')",
        )?;
        let rows = stmt.query_map([run_id], |r| r.get(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The distinct links the run found with an id above `after`, at most `limit` of them
    /// in id order, with their stored history: the stage takes a run's links a slice at a
    /// time (a province's run finds hundreds of thousands).
    pub fn links_to_check(
        &self,
        run_id: i64,
        after: i64,
        limit: usize,
    ) -> Result<Vec<LinkRow>, StoreError> {
        let mut stmt = self.conn.prepare_cached(LINKS_TO_CHECK)?;
        let rows = stmt.query_map(params![run_id, after, limit as i64], |r| {
            Ok(LinkRow {
                id: r.get(0)?,
                url: r.get(1)?,
                checked_on: date(r.get(2)?),
                checked_run: r.get(3)?,
                outcome: r.get(4)?,
                status: r.get(5)?,
                reason: r.get(6)?,
                failed_runs: r.get(7)?,
                first_failed: date(r.get(8)?),
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Stores the stage's verdicts: the history of each link requested, and the run's state
    /// on each place of each link.
    pub fn record_link_checks(
        &mut self,
        run_id: i64,
        observed_on: NaiveDate,
        verdicts: &[Verdict],
    ) -> Result<(), StoreError> {
        let tx = self.conn.transaction()?;
        let day = observed_on.to_string();
        for v in verdicts {
            let first_failed = v.first_failed.map(|d| d.to_string());
            if v.requested {
                tx.prepare_cached(
                    "UPDATE links SET checked_on = ?1, checked_run = ?2, outcome = ?3,
                        status = ?4, reason = ?5, failed_runs = ?6, first_failed = ?7
                     WHERE id = ?8",
                )?
                .execute(params![
                    day,
                    run_id,
                    v.outcome,
                    v.status,
                    v.reason,
                    v.failed_runs,
                    first_failed,
                    v.link_id
                ])?;
            }
            tx.prepare_cached(PLACE_VERDICT)?.execute(params![
                v.state.as_str(),
                v.status,
                v.reason,
                first_failed,
                run_id,
                v.link_id
            ])?;
        }
        tx.commit()?;
        Ok(())
    }

    /// Drops the run's places of links that answered well, were not checked, or were
    /// never judged (the stage switched off): only suspect, dead and unknown links keep
    /// their evidence.
    pub fn prune_link_places(&self, run_id: i64) -> Result<(), StoreError> {
        self.conn.execute(
            "DELETE FROM link_places WHERE run_id = ?1
             AND (state IS NULL OR state NOT IN ('suspect', 'dead', 'unknown'))",
            [run_id],
        )?;
        Ok(())
    }
}

/// The links of a site that did not answer well in a run (suspect, dead, unknown), by URL.
pub(super) fn load_problems(
    conn: &Connection,
    run_id: i64,
    site_id: &str,
) -> Result<Vec<LinkProblem>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT l.url, p.state, p.status, p.reason, p.first_failed, p.page_url, p.page_title,
                p.link_text, p.pages
         FROM link_places p CROSS JOIN links l ON l.id = p.link_id
         WHERE p.run_id = ?1 AND p.site_id = ?2 AND p.state IN ('suspect', 'dead', 'unknown')
         ORDER BY l.url",
    )?;
    let rows = stmt.query_map(params![run_id, site_id], |r| {
        let state: String = r.get(1)?;
        Ok((
            state,
            LinkProblem {
                url: r.get(0)?,
                state: LinkState::Unknown,
                status: r.get(2)?,
                reason: r.get::<_, Option<String>>(3)?.unwrap_or_default(),
                first_failed: date(r.get(4)?),
                page_url: r.get(5)?,
                page_title: r.get(6)?,
                text: r.get(7)?,
                pages: r.get(8)?,
            },
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (state, mut p) = row?;
        p.state = LinkState::parse(&state).unwrap_or(LinkState::Unknown);
        out.push(p);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crawl::links::LinkState;

    #[test]
    fn link_queries_use_indexes_not_scans() {
        let store = Store::open_in_memory().unwrap();
        for sql in [
            "UPDATE links SET outcome = 'ok' WHERE id = 2",
            "SELECT id FROM links WHERE url = 'x'",
            "SELECT l.url FROM link_places p CROSS JOIN links l ON l.id = p.link_id
             WHERE p.run_id = 1 AND p.site_id = 's' AND p.state IN ('dead')",
            "DELETE FROM link_places WHERE run_id = 1 AND state IS NULL",
            "SELECT MAX(run_id) FROM link_places WHERE site_id = 's' AND run_id < 5",
            "SELECT link_id, page_url FROM link_places
             WHERE run_id = 4 AND site_id = 's' AND state IN ('dead')",
        ] {
            let plan = store.query_plan(sql);
            assert!(
                !plan.lines().any(|l| l.starts_with("SCAN")),
                "{sql}\n{plan}"
            );
        }
        // A search on a prefix of the key is a scan of the run: the verdict of one link goes
        // to its places through both columns of the index.
        let slice = store.query_plan(LINKS_TO_CHECK);
        // A range of the index (the final sort is of the slice's rows only).
        assert!(
            slice.contains("link_places_link (run_id=? AND link_id>?)"),
            "{slice}"
        );
        let plan = store.query_plan(PLACE_VERDICT);
        assert!(
            plan.contains("link_places_link (run_id=? AND link_id=?)"),
            "{plan}"
        );
    }

    #[test]
    fn places_are_stored_checked_and_pruned_to_the_problem_links() {
        let mut store = Store::open_in_memory().unwrap();
        let day = NaiveDate::from_ymd_opt(2023, 1, 9).unwrap();
        let run = store.begin_run(day, day, (day, day)).unwrap();
        let mut links = SiteLinks::default();
        let page = url::Url::parse("http://a.gov.cn/").unwrap();
        links.add_page(
            &page,
            r#"<title>首页</title><a href="/ok.html">好</a><a href="/gone.html">旧文件</a>"#,
        );
        store.record_links(run, "s", &links).unwrap();
        // The same link from another stage adds pages, not a row.
        let mut more = SiteLinks::default();
        more.add_page(
            &url::Url::parse("http://a.gov.cn/art.html").unwrap(),
            r#"<a href="/gone.html">旧文件</a>"#,
        );
        store.record_links(run, "s", &more).unwrap();
        let rows = store.links_to_check(run, 0, 100).unwrap();
        assert_eq!(rows.len(), 2);
        // Slices of one: each link once, in id order, then nothing.
        let first = store.links_to_check(run, 0, 1).unwrap();
        let second = store.links_to_check(run, first[0].id, 1).unwrap();
        assert_eq!((first[0].id, second[0].id), (rows[0].id, rows[1].id));
        assert!(
            store
                .links_to_check(run, second[0].id, 1)
                .unwrap()
                .is_empty()
        );
        let verdicts: Vec<Verdict> = rows
            .iter()
            .map(|r| Verdict {
                link_id: r.id,
                state: if r.url.ends_with("gone.html") {
                    LinkState::Suspect
                } else {
                    LinkState::Ok
                },
                requested: true,
                via_crawl: false,
                outcome: Some("ok"),
                status: Some(404),
                reason: "HTTP 404 错误".into(),
                failed_runs: 1,
                first_failed: Some(day),
            })
            .collect();
        store.record_link_checks(run, day, &verdicts).unwrap();
        store.prune_link_places(run).unwrap();
        let problems = load_problems(&store.conn, run, "s").unwrap();
        assert_eq!(problems.len(), 1);
        let p = &problems[0];
        assert_eq!(p.url, "http://a.gov.cn/gone.html");
        assert_eq!(p.state, LinkState::Suspect);
        assert_eq!(p.page_url, "http://a.gov.cn/");
        assert_eq!(p.page_title.as_deref(), Some("首页"));
        assert_eq!((p.text.as_str(), p.pages), ("旧文件", 2));
        assert_eq!(p.first_failed, Some(day));
        let row = store
            .links_to_check(run, 0, 100)
            .unwrap()
            .into_iter()
            .find(|r| r.url.ends_with("gone.html"))
            .unwrap();
        assert_eq!((row.failed_runs, row.checked_run), (1, Some(run)));
    }
}
