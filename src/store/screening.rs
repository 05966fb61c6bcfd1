//! Storage of content screening (issue 14, migration 009): per run and site, every document
//! screened (or not, with the reason) and every hit with its evidence.
//!
//! Owns: writing the screening stage's results, reusing an earlier run's results for an
//! unchanged document, and reading them back for the snapshot. Must not: fetch, screen or
//! judge. Personal data is masked here once more before anything is written (the screener
//! masks it already; this is the storage boundary's guarantee that no unmasked 身份证号,
//! mobile or bank card number is ever stored).

use super::{Store, StoreError};
use crate::screen::{mask_id, mask_mobile, valid_id_number};
use chrono::NaiveDate;
use rusqlite::{Connection, params};
use std::collections::{HashMap, HashSet};

/// How far a document was screened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocStatus {
    /// Read and screened in full.
    Screened,
    /// Only its title (from the list) was screened: the page is off the crawl scope or
    /// could not be read.
    TitleOnly,
    /// Not screened (unsupported format, too big, not readable): see the reason.
    NotScreened,
}

impl DocStatus {
    /// Stored spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            DocStatus::Screened => "screened",
            DocStatus::TitleOnly => "title_only",
            DocStatus::NotScreened => "not_screened",
        }
    }

    fn parse(s: &str) -> DocStatus {
        match s {
            "screened" => DocStatus::Screened,
            "title_only" => DocStatus::TitleOnly,
            _ => DocStatus::NotScreened,
        }
    }
}

/// One hit as stored (found text and context masked).
#[derive(Debug, Clone, PartialEq)]
pub struct StoredHit {
    /// The document the hit is in (article page or attachment).
    pub url: String,
    /// The article the document belongs to.
    pub article_url: String,
    /// The article's title.
    pub title: String,
    /// The item's publish date.
    pub published: Option<NaiveDate>,
    /// typo | doubled | format | personal_data | serious_error | sensitive | hidden_link.
    pub kind: String,
    /// The category shown in reports (e.g. 错别字, 个人信息, a sensitive dictionary's name).
    pub category: String,
    /// The text found (personal data masked).
    pub found: String,
    /// ±15 characters around it (personal data masked).
    pub context: String,
    /// 1-based line in the screened text (line 1 of an article is its title).
    pub line: u32,
    /// 1-based column on that line.
    pub column: u32,
    /// What to do, in Chinese.
    pub suggestion: String,
    /// The dictionary entry or rule that matched, with its source.
    pub source: String,
    /// A serious hit (screen's `serious`).
    pub serious: bool,
}

/// One document as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct ScreenDoc {
    /// The document.
    pub url: String,
    /// The article it belongs to (itself for a page).
    pub article_url: String,
    /// page | title | pdf | docx | xlsx | doc | xls | wps | ofd.
    pub doc_kind: String,
    /// The article's title.
    pub title: String,
    /// The item's publish date.
    pub published: Option<NaiveDate>,
    /// How far it was screened.
    pub status: DocStatus,
    /// Why not (fully) screened.
    pub reason: Option<String>,
    /// ETag of the response screened.
    pub etag: Option<String>,
    /// Last-Modified of the response screened.
    pub last_modified: Option<String>,
    /// FNV-1a 64 (hex) of the bytes screened.
    pub hash: Option<String>,
    /// The run that screened it (earlier than the current one when reused).
    pub screened_run: i64,
    /// The observation day of that run.
    pub screened_on: NaiveDate,
}

/// What a run screened of one site (part of the snapshot the checks read).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SiteContent {
    /// Documents, in URL order.
    pub docs: Vec<ScreenDoc>,
    /// Hits, by document then position.
    pub hits: Vec<StoredHit>,
}

/// An earlier screening of a document, for reuse by a later run.
#[derive(Debug, Clone, PartialEq)]
pub struct PriorDoc {
    /// The latest earlier run that has a row for it.
    pub run_id: i64,
    /// The site it was stored under.
    pub site_id: String,
    /// The stored row.
    pub doc: ScreenDoc,
}

/// A document and its hits, to write.
#[derive(Debug, Clone, PartialEq)]
pub struct NewDoc {
    /// The document row.
    pub doc: ScreenDoc,
    /// Its hits.
    pub hits: Vec<StoredHit>,
}

impl Store {
    /// Writes the documents a run screened for a site and their hits, in one transaction
    /// (found text, context and titles masked once more).
    pub fn record_screening(
        &mut self,
        run_id: i64,
        site_id: &str,
        docs: &[NewDoc],
    ) -> Result<(), StoreError> {
        let tx = self.conn.transaction()?;
        for d in docs {
            insert_doc(&tx, run_id, site_id, &d.doc)?;
            tx.prepare_cached(
                "DELETE FROM screen_hits WHERE run_id = ?1 AND site_id = ?2 AND url = ?3",
            )?
            .execute(params![run_id, site_id, d.doc.url])?;
            for (seq, h) in d.hits.iter().enumerate() {
                insert_hit(&tx, run_id, site_id, h, seq)?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// Copies the documents of each earlier article page in `reused` (the page and its
    /// attachments) and their hits from the run that holds it into run `run_id`, keeping
    /// who screened them, in one transaction; returns how many documents were copied.
    pub fn reuse_screenings(
        &mut self,
        run_id: i64,
        site_id: &str,
        reused: &[PriorDoc],
    ) -> Result<usize, StoreError> {
        // The article URLs by the run and site holding them, each group copied by three
        // statements (the URLs as a JSON array).
        let mut groups: std::collections::BTreeMap<(i64, &str), Vec<&str>> = Default::default();
        for p in reused {
            groups
                .entry((p.run_id, p.site_id.as_str()))
                .or_default()
                .push(p.doc.url.as_str());
        }
        let tx = self.conn.transaction()?;
        let mut n = 0;
        for ((from_run, from_site), urls) in groups {
            let urls = serde_json::to_string(&urls).unwrap_or_else(|_| "[]".into());
            n += tx
                .prepare_cached(REUSE_DOCS)?
                .execute(params![run_id, site_id, from_run, from_site, urls])?;
            tx.prepare_cached(DROP_ARTICLE_HITS)?
                .execute(params![run_id, site_id, urls])?;
            tx.prepare_cached(REUSE_HITS)?
                .execute(params![run_id, site_id, from_run, from_site, urls])?;
        }
        tx.commit()?;
        Ok(n)
    }

    /// The site's article pages (rows of kind page or title) as screened or reused by its
    /// latest earlier run with a screening, by article URL: what this run may reuse. One
    /// run's rows, found by index, so the cost does not grow with the runs kept; an article
    /// only an older run screened (absent from that run) is read again. Loaded site by
    /// site, so a run holds one site's history at a time.
    pub fn prior_screenings(
        &self,
        run_id: i64,
        site_id: &str,
    ) -> Result<HashMap<String, PriorDoc>, StoreError> {
        let mut stmt = self.conn.prepare_cached(&prior_sql())?;
        let rows = stmt.query_map(params![run_id, site_id], |r| {
            Ok(PriorDoc {
                run_id: r.get(0)?,
                site_id: r.get(1)?,
                doc: doc_row(r, 2)?,
            })
        })?;
        let mut out = HashMap::new();
        for row in rows {
            let p = row?;
            out.insert(p.doc.url.clone(), p);
        }
        Ok(out)
    }

    /// URLs of the run's items published from `from` to `to` that more than one site lists
    /// (a department's article reposted on the portal): the screening reads each once and
    /// gives every listing site the result. One pass over the run's items.
    pub fn shared_item_urls(
        &self,
        run_id: i64,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<HashSet<String>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT i.url FROM run_items ri CROSS JOIN items i ON i.id = ri.item_id
             CROSS JOIN columns c ON c.id = i.column_id
             WHERE ri.run_id = ?1 AND i.published >= ?2 AND i.published <= ?3
             GROUP BY i.url HAVING COUNT(DISTINCT c.site_id) > 1",
        )?;
        let (from, to) = (from.to_string(), to.to_string());
        let rows = stmt.query_map(params![run_id, from, to], |r| r.get::<_, String>(0))?;
        rows.collect::<Result<_, _>>().map_err(Into::into)
    }

    /// What run `run_id` screened of one site.
    pub fn site_content(&self, run_id: i64, site_id: &str) -> Result<SiteContent, StoreError> {
        load(&self.conn, run_id, site_id)
    }
}

const DOC_COLUMNS: &str = "d.url, d.article_url, d.doc_kind, d.title, d.published, d.status, \
     d.reason, d.etag, d.last_modified, d.hash, d.screened_run, d.screened_on";

fn date(s: Option<String>) -> Option<NaiveDate> {
    s.and_then(|s| NaiveDate::parse_from_str(&s, "%Y-%m-%d").ok())
}

fn doc_row(r: &rusqlite::Row<'_>, at: usize) -> rusqlite::Result<ScreenDoc> {
    let status: String = r.get(at + 5)?;
    let on: String = r.get(at + 11)?;
    Ok(ScreenDoc {
        url: r.get(at)?,
        article_url: r.get(at + 1)?,
        doc_kind: r.get(at + 2)?,
        title: r.get(at + 3)?,
        published: date(r.get(at + 4)?),
        status: DocStatus::parse(&status),
        reason: r.get(at + 6)?,
        etag: r.get(at + 7)?,
        last_modified: r.get(at + 8)?,
        hash: r.get(at + 9)?,
        screened_run: r.get(at + 10)?,
        screened_on: date(Some(on)).unwrap_or_default(),
    })
}

/// Copies the documents of the articles ?5 (a JSON array of URLs) from an earlier run
/// (?3, ?4) into this one (?1, ?2).
const REUSE_DOCS: &str = "INSERT OR REPLACE INTO screen_docs
        (run_id, site_id, url, article_url, doc_kind, title, published, status,
         reason, etag, last_modified, hash, screened_run, screened_on)
     SELECT ?1, ?2, url, article_url, doc_kind, title, published, status,
         reason, etag, last_modified, hash, screened_run, screened_on
     FROM screen_docs WHERE run_id = ?3 AND site_id = ?4
         AND article_url IN (SELECT value FROM json_each(?5))";

/// Drops the hits of this run of the articles ?3 (before they are copied again).
const DROP_ARTICLE_HITS: &str = "DELETE FROM screen_hits WHERE run_id = ?1 AND site_id = ?2
     AND article_url IN (SELECT value FROM json_each(?3))";

/// Copies the hits of the articles ?5 from an earlier run (?3, ?4) into this one (?1, ?2).
const REUSE_HITS: &str = "INSERT INTO screen_hits
        (run_id, site_id, url, article_url, title, published, kind, category, found,
         context, line, col, suggestion, source, serious, seq)
     SELECT ?1, ?2, url, article_url, title, published, kind, category, found,
         context, line, col, suggestion, source, serious, seq
     FROM screen_hits WHERE run_id = ?3 AND site_id = ?4
         AND article_url IN (SELECT value FROM json_each(?5))";

/// The article pages of the site (?2) as its latest run before ?1 screened them.
fn prior_sql() -> String {
    format!(
        "SELECT d.run_id, d.site_id, {DOC_COLUMNS}
         FROM screen_docs d
         WHERE d.run_id = (SELECT MAX(run_id) FROM screen_docs
                           WHERE site_id = ?2 AND run_id < ?1)
           AND d.site_id = ?2 AND d.url = d.article_url"
    )
}

fn insert_doc(
    conn: &Connection,
    run_id: i64,
    site_id: &str,
    d: &ScreenDoc,
) -> Result<(), StoreError> {
    conn.prepare_cached(
        "INSERT OR REPLACE INTO screen_docs
            (run_id, site_id, url, article_url, doc_kind, title, published, status, reason,
             etag, last_modified, hash, screened_run, screened_on)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
    )?
    .execute(params![
        run_id,
        site_id,
        d.url,
        d.article_url,
        d.doc_kind,
        mask_personal(&d.title),
        d.published.map(|p| p.to_string()),
        d.status.as_str(),
        d.reason.as_deref().map(mask_personal),
        d.etag,
        d.last_modified,
        d.hash,
        d.screened_run,
        d.screened_on.to_string(),
    ])?;
    Ok(())
}

fn insert_hit(
    conn: &Connection,
    run_id: i64,
    site_id: &str,
    h: &StoredHit,
    seq: usize,
) -> Result<(), StoreError> {
    conn.prepare_cached(
        "INSERT INTO screen_hits
            (run_id, site_id, url, article_url, title, published, kind, category, found,
             context, line, col, suggestion, source, serious, seq)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
    )?
    .execute(params![
        run_id,
        site_id,
        h.url,
        h.article_url,
        mask_personal(&h.title),
        h.published.map(|p| p.to_string()),
        h.kind,
        h.category,
        mask_personal(&h.found),
        mask_personal(&h.context),
        h.line,
        h.column,
        mask_personal(&h.suggestion),
        h.source,
        h.serious,
        seq as i64,
    ])?;
    Ok(())
}

/// What run `run_id` screened of one site (snapshot part).
pub(super) fn load(
    conn: &Connection,
    run_id: i64,
    site_id: &str,
) -> Result<SiteContent, StoreError> {
    let mut out = SiteContent::default();
    let mut stmt = conn.prepare(&format!(
        "SELECT {DOC_COLUMNS} FROM screen_docs d WHERE d.run_id = ?1 AND d.site_id = ?2
         ORDER BY d.article_url, d.url = d.article_url DESC, d.url"
    ))?;
    for row in stmt.query_map(params![run_id, site_id], |r| doc_row(r, 0))? {
        out.docs.push(row?);
    }
    let mut stmt = conn.prepare(
        "SELECT url, article_url, title, published, kind, category, found, context, line, col,
                suggestion, source, serious
         FROM screen_hits WHERE run_id = ?1 AND site_id = ?2
         ORDER BY published DESC, article_url, url = article_url DESC, url, seq",
    )?;
    let rows = stmt.query_map(params![run_id, site_id], |r| {
        Ok(StoredHit {
            url: r.get(0)?,
            article_url: r.get(1)?,
            title: r.get(2)?,
            published: date(r.get(3)?),
            kind: r.get(4)?,
            category: r.get(5)?,
            found: r.get(6)?,
            context: r.get(7)?,
            line: r.get(8)?,
            column: r.get(9)?,
            suggestion: r.get(10)?,
            source: r.get(11)?,
            serious: r.get(12)?,
        })
    })?;
    for row in rows {
        out.hits.push(row?);
    }
    Ok(out)
}

/// `s` with every personal number masked as the domain notes say: a valid 18-digit
/// 身份证号 (`41*************123`), an 11-digit mobile number 1[3-9]… (`138****1234`) and a
/// 16–19 digit Luhn-valid card number (first 4 and last 4 kept), wherever they stand in a
/// run of digits (ASCII or full-width). Already masked text is left as it is.
pub fn mask_personal(s: &str) -> String {
    let mut chars: Vec<char> = s.chars().collect();
    let digit = |c: char| c.is_ascii_digit() || ('０'..='９').contains(&c);
    let half = |c: char| match c {
        '０'..='９' | 'Ｘ' | 'ｘ' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        _ => c,
    };
    let mut i = 0;
    while i < chars.len() {
        if !digit(chars[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() && digit(chars[i]) {
            i += 1;
        }
        // An ID number may end with X.
        let with_x = i < chars.len() && matches!(chars[i], 'X' | 'x' | 'Ｘ' | 'ｘ');
        let run: String = chars[start..i].iter().map(|c| half(*c)).collect();
        let n = run.len();
        let masked: Option<String> = if n == 17 && with_x {
            let id = format!("{run}X");
            valid_id_number(&id).then(|| mask_id(&id))
        } else if n == 18 && valid_id_number(&run) {
            Some(mask_id(&run))
        } else if n == 11 && run.starts_with('1') && matches!(run.as_bytes()[1], b'3'..=b'9') {
            Some(mask_mobile(&run))
        } else if (16..=19).contains(&n) && crate::screen::luhn_valid(&run) {
            Some(
                run.chars()
                    .enumerate()
                    .map(|(k, c)| if k < 4 || k >= n - 4 { c } else { '*' })
                    .collect(),
            )
        } else {
            None
        };
        if let Some(m) = masked {
            let end = if n == 17 && with_x { i + 1 } else { i };
            chars.splice(start..end, m.chars());
            i = start + m.chars().count();
        }
    }
    chars.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 11010519491231002X: 110105 (北京朝阳), 1949-12-31, sequence 002, check digit X
    /// (weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2 over the first 17 digits sum to 167;
    /// 167 mod 11 = 2 → X).
    const ID: &str = "11010519491231002X";

    #[test]
    fn personal_numbers_are_masked_wherever_they_stand() {
        assert_eq!(
            mask_personal(&format!("身份证号{ID}，电话13812341234。")),
            "身份证号11*************02X，电话138****1234。"
        );
        // A landline, a date and a number with a wrong check digit stay.
        let plain = "电话0379-67812345，2023年1月5日，110105194912310021";
        assert_eq!(mask_personal(plain), plain);
        // Masked text is stable.
        let once = mask_personal(ID);
        assert_eq!(mask_personal(&once), once);
    }

    #[test]
    fn screening_rows_round_trip_and_are_reused_by_a_later_run() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("t.db")).unwrap();
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let r1 = store
            .begin_run(
                d("2023-03-15"),
                d("2023-03-15"),
                (d("2023-01-01"), d("2023-03-15")),
            )
            .unwrap();
        let doc = ScreenDoc {
            url: "http://x/a.html".into(),
            article_url: "http://x/a.html".into(),
            doc_kind: "page".into(),
            title: "公示".into(),
            published: Some(d("2023-03-01")),
            status: DocStatus::Screened,
            reason: None,
            etag: None,
            last_modified: None,
            hash: Some("1".into()),
            screened_run: r1,
            screened_on: d("2023-03-15"),
        };
        let hit = StoredHit {
            url: doc.url.clone(),
            article_url: doc.url.clone(),
            title: "公示".into(),
            published: doc.published,
            kind: "personal_data".into(),
            category: "个人信息".into(),
            // Unmasked on purpose: the store masks it.
            found: ID.into(),
            context: format!("张三{ID}城关镇"),
            line: 3,
            column: 4,
            suggestion: "删除或去标识化".into(),
            source: "条例第十五条".into(),
            serious: true,
        };
        store
            .record_screening(
                r1,
                "portal",
                &[NewDoc {
                    doc: doc.clone(),
                    hits: vec![hit],
                }],
            )
            .unwrap();
        let c = store.site_content(r1, "portal").unwrap();
        assert_eq!(c.docs, vec![doc.clone()]);
        assert_eq!(c.hits[0].found, "11*************02X");
        assert_eq!(c.hits[0].context, "张三11*************02X城关镇");
        let r2 = store
            .begin_run(
                d("2023-03-16"),
                d("2023-03-16"),
                (d("2023-01-01"), d("2023-03-16")),
            )
            .unwrap();
        let prior = store.prior_screenings(r2, "portal").unwrap();
        assert!(store.prior_screenings(r2, "other").unwrap().is_empty());
        assert_eq!(prior["http://x/a.html"].run_id, r1);
        let reused = [prior["http://x/a.html"].clone()];
        assert_eq!(store.reuse_screenings(r2, "portal", &reused).unwrap(), 1);
        let c2 = store.site_content(r2, "portal").unwrap();
        assert_eq!(c2.docs[0].screened_run, r1);
        assert_eq!(c2.hits, c.hits);
    }

    #[test]
    fn reuse_and_history_go_by_index_whatever_the_runs_kept() {
        let store = Store::open_in_memory().unwrap();
        for (sql, index) in [
            (
                REUSE_DOCS,
                "screen_docs_article (run_id=? AND site_id=? AND article_url=?)",
            ),
            (
                DROP_ARTICLE_HITS,
                "screen_hits_article (run_id=? AND site_id=? AND article_url=?)",
            ),
            (
                REUSE_HITS,
                "screen_hits_article (run_id=? AND site_id=? AND article_url=?)",
            ),
            (
                &prior_sql(),
                "screen_docs_site_run (site_id=? AND run_id<?)",
            ),
        ] {
            let plan = store.query_plan(sql);
            assert!(plan.contains(index), "{sql}\n{plan}");
            // Only the list of URLs given is scanned (`json_each`), never a table.
            let scans_a_table = plan
                .lines()
                .any(|l| l.starts_with("SCAN") && !l.contains("json_each VIRTUAL TABLE"));
            assert!(!scans_a_table, "{sql}\n{plan}");
        }
    }
}
