//! Storage of the annual reports a run found (`annual_reports`, migration 004).
//!
//! Owns: writing one [`AnnualObservation`] per searched site and reading it back for the
//! snapshot. Must not: search, fetch or judge reports.

use super::{Store, StoreError};
use crate::crawl::annual::{AnnualCheck, AnnualObservation, AnnualRead};
use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, params};
use std::collections::HashMap;

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

impl Store {
    /// Records one site's annual-report read: the observation of this run and, when the
    /// read can be reused by later runs, the check it came from (replacing the site's
    /// earlier check; a read without one forgets it, so the next run reads again).
    pub fn record_annual_read(&self, run_id: i64, read: &AnnualRead) -> Result<(), StoreError> {
        self.record_annual(run_id, &read.site_id, &read.observation)?;
        match &read.check {
            Some(c) => self.conn.execute(
                "INSERT OR REPLACE INTO annual_checks (site_id, year, inputs, checked_on, run_id)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![
                    read.site_id,
                    c.year,
                    c.inputs,
                    c.checked_on.to_string(),
                    run_id
                ],
            )?,
            None => self.conn.execute(
                "DELETE FROM annual_checks WHERE site_id = ?1",
                params![read.site_id],
            )?,
        };
        Ok(())
    }

    /// Each site's last annual-report check, with what it found, by site id. Checks whose
    /// observation no longer reads back are left out (that site is read again).
    pub fn annual_checks(&self) -> Result<HashMap<String, AnnualCheck>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT c.site_id, c.year, c.inputs, c.checked_on, a.json
             FROM annual_checks c
             JOIN annual_reports a ON a.run_id = c.run_id AND a.site_id = c.site_id",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, i32>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
            ))
        })?;
        let mut out = HashMap::new();
        for row in rows {
            let (site_id, year, inputs, checked_on, json) = row?;
            let (Ok(checked_on), Ok(observation)) = (
                NaiveDate::parse_from_str(&checked_on, "%Y-%m-%d"),
                serde_json::from_str::<AnnualObservation>(&json),
            ) else {
                continue;
            };
            out.insert(
                site_id,
                AnnualCheck {
                    year,
                    inputs,
                    checked_on,
                    observation,
                },
            );
        }
        Ok(out)
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
        assert_eq!(load(&store.conn, run, "jyj").unwrap(), Some(obs.clone()));
        assert_eq!(load(&store.conn, run, "other").unwrap(), None);

        // A read with its check is remembered by site; one without forgets the check.
        let check = AnnualCheck {
            year: 2022,
            inputs: "abc".into(),
            checked_on: day,
            observation: obs.clone(),
        };
        let read = |site: &str, check: Option<AnnualCheck>| AnnualRead {
            site_id: site.into(),
            observation: obs.clone(),
            check,
        };
        store
            .record_annual_read(run, &read("jyj", Some(check.clone())))
            .unwrap();
        store
            .record_annual_read(run, &read("czj", Some(check.clone())))
            .unwrap();
        let later = store.begin_run(day, day, (day, day)).unwrap();
        store.record_annual_read(later, &read("czj", None)).unwrap();
        let checks = store.annual_checks().unwrap();
        assert_eq!(checks.len(), 1);
        assert_eq!(checks.get("jyj"), Some(&check));
    }
}
