//! Storage of the annual reports a run found (`annual_reports`, migration 004).
//!
//! Owns: writing one [`AnnualObservation`] per searched site and reading it back for the
//! snapshot. Must not: search, fetch or judge reports.

use super::{Store, StoreError};
use crate::crawl::annual::AnnualObservation;
use rusqlite::{Connection, OptionalExtension, params};

impl Store {
    /// Records what the run found of one site's annual report (replacing an earlier record
    /// of the same run and site).
    pub fn record_annual(
        &self,
        run_id: i64,
        site_id: &str,
        obs: &AnnualObservation,
    ) -> Result<(), StoreError> {
        let report = obs.report.as_ref();
        self.conn.execute(
            "INSERT OR REPLACE INTO annual_reports
                (run_id, site_id, year, found, url, title, published, json)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                run_id,
                site_id,
                obs.year,
                report.is_some(),
                report.map(|r| r.url.as_str()),
                report.map(|r| r.title.as_str()),
                report.and_then(|r| r.published).map(|d| d.to_string()),
                serde_json::to_string(obs).unwrap_or_else(|_| "{}".into()),
            ],
        )?;
        Ok(())
    }
}

/// The stored observation of one site in one run; `None` when the site was not searched
/// (blocked, unreachable, or a run stored before annual reports were read). A record that no
/// longer deserialises is treated as not searched rather than failing the whole snapshot.
pub(super) fn load(
    conn: &Connection,
    run_id: i64,
    site_id: &str,
) -> Result<Option<AnnualObservation>, StoreError> {
    let json: Option<String> = conn
        .query_row(
            "SELECT json FROM annual_reports WHERE run_id = ?1 AND site_id = ?2",
            params![run_id, site_id],
            |r| r.get(0),
        )
        .optional()?;
    Ok(json.and_then(|j| serde_json::from_str(&j).ok()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crawl::annual::FoundReport;
    use chrono::NaiveDate;

    #[test]
    fn recorded_annual_observation_reads_back_identical() {
        let store = Store::open_in_memory().unwrap();
        let day = NaiveDate::from_ymd_opt(2023, 2, 15).unwrap();
        let run = store.begin_run(day, day, (day, day)).unwrap();
        let obs = AnnualObservation {
            year: 2022,
            report: Some(FoundReport {
                form: None,
                url: "http://x/r.html".into(),
                title: "孟津区教育局2022年政府信息公开工作年度报告".into(),
                published: NaiveDate::from_ymd_opt(2023, 1, 20),
                column: Some("政府信息公开年报".into()),
                attachment: None,
                format: Some("html".into()),
                manual_review: None,
                sections_missing: vec!["六、其他需要报告的事项".into()],
                problems: Vec::new(),
                last_year_url: None,
            }),
        };
        store.record_annual(run, "jyj", &obs).unwrap();
        assert_eq!(load(&store.conn, run, "jyj").unwrap(), Some(obs));
        assert_eq!(load(&store.conn, run, "other").unwrap(), None);
    }
}
