//! Storage for the daemon and the dashboard: availability probes, notification
//! de-duplication, report folders of runs, run listing and pruning.
//!
//! Must not: probe, judge or send anything; it only stores and reads what the daemon and
//! the dashboard give it.

use super::{Store, StoreError};
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{OptionalExtension, params};
use std::path::{Path, PathBuf};

/// One availability probe of a site's home page.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Probe {
    /// The site's config id.
    pub site_id: String,
    /// When the probe started.
    pub at: DateTime<Utc>,
    /// Whether the site answered (an anti-bot wall counts as answering: the site opens in
    /// a browser, CONTRACT §3).
    pub ok: bool,
    /// The HTTP status, when one was received.
    pub status: Option<u16>,
    /// Why it failed (or what it answered), in Chinese, e.g. 连接超时.
    pub reason: String,
    /// How long the probe took.
    pub elapsed_ms: u64,
}

/// One stored run, for the daemon (catch-up) and the dashboard (history, downloads).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct RunRow {
    /// Run id.
    pub id: i64,
    /// When it started (RFC 3339 UTC).
    pub started_at: String,
    /// When it ended, if it did.
    pub finished_at: Option<String>,
    /// Its 监测时间点.
    pub as_of: String,
    /// running | finished | interrupted | failed.
    pub status: String,
    /// Where its report files were written, when known.
    pub report_dir: Option<PathBuf>,
}

/// One site's score in one run: (run id, as_of, score, grade).
pub type SiteScoreRow = (i64, String, Option<f64>, Option<String>);

/// How far back a run's snapshot loads probes, in days: the longest look-back an
/// availability rule can use.
pub const PROBE_LOOKBACK_DAYS: u64 = 31;

fn parse_time(s: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

/// Probes of one site with `from <= at < to`, oldest first.
pub(super) fn probes_between(
    conn: &rusqlite::Connection,
    site_id: &str,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<Vec<Probe>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT at, ok, status, reason, elapsed_ms FROM probes
         WHERE site_id = ?1 AND at >= ?2 AND at < ?3 ORDER BY at",
    )?;
    let rows = stmt.query_map(params![site_id, from.to_rfc3339(), to.to_rfc3339()], |r| {
        let at: String = r.get(0)?;
        Ok((
            at,
            r.get::<_, bool>(1)?,
            r.get::<_, Option<u16>>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, i64>(4)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (at, ok, status, reason, elapsed) = row?;
        // A row with an unreadable time is skipped rather than failing the whole run.
        if let Some(at) = parse_time(&at) {
            out.push(Probe {
                site_id: site_id.to_string(),
                at,
                ok,
                status,
                reason,
                elapsed_ms: u64::try_from(elapsed).unwrap_or_default(),
            });
        }
    }
    Ok(out)
}

/// The probe window a run as of `as_of` loads: the `PROBE_LOOKBACK_DAYS` days ending with
/// `as_of` (UTC days).
pub(super) fn snapshot_window(as_of: NaiveDate) -> (DateTime<Utc>, DateTime<Utc>) {
    let end = as_of
        .checked_add_days(chrono::Days::new(1))
        .unwrap_or(as_of)
        .and_time(chrono::NaiveTime::MIN)
        .and_utc();
    let start = end - chrono::Duration::days(PROBE_LOOKBACK_DAYS as i64);
    (start, end)
}

impl Store {
    /// Stores one probe.
    pub fn record_probe(&self, p: &Probe) -> Result<(), StoreError> {
        self.conn.execute(
            "INSERT INTO probes (site_id, at, ok, status, reason, elapsed_ms)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                p.site_id,
                p.at.to_rfc3339(),
                p.ok,
                p.status,
                p.reason,
                i64::try_from(p.elapsed_ms).unwrap_or(i64::MAX)
            ],
        )?;
        Ok(())
    }

    /// Probes of one site with `from <= at < to`, oldest first.
    pub fn probes_between(
        &self,
        site_id: &str,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<Probe>, StoreError> {
        probes_between(&self.conn, site_id, from, to)
    }

    /// The newest probe of a site, if any.
    pub fn last_probe(&self, site_id: &str) -> Result<Option<Probe>, StoreError> {
        let at: Option<String> = self
            .conn
            .query_row(
                "SELECT at FROM probes WHERE site_id = ?1 ORDER BY at DESC LIMIT 1",
                [site_id],
                |r| r.get(0),
            )
            .optional()?;
        let Some(at) = at.as_deref().and_then(parse_time) else {
            return Ok(None);
        };
        Ok(probes_between(
            &self.conn,
            site_id,
            at,
            at + chrono::Duration::milliseconds(1),
        )?
        .pop())
    }

    /// Records where a run's report files were written.
    pub fn set_report_dir(&self, run_id: i64, dir: &Path) -> Result<(), StoreError> {
        self.conn.execute(
            "UPDATE runs SET report_dir = ?1 WHERE id = ?2",
            params![dir.to_string_lossy(), run_id],
        )?;
        Ok(())
    }

    /// Stored runs, newest first, at most `limit`.
    pub fn runs(&self, limit: usize) -> Result<Vec<RunRow>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT id, started_at, finished_at, as_of, status, report_dir FROM runs
             ORDER BY id DESC LIMIT ?1",
        )?;
        let rows = stmt.query_map([limit as i64], |r| {
            Ok(RunRow {
                id: r.get(0)?,
                started_at: r.get(1)?,
                finished_at: r.get(2)?,
                as_of: r.get(3)?,
                status: r.get(4)?,
                report_dir: r.get::<_, Option<String>>(5)?.map(PathBuf::from),
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// One stored run.
    pub fn run_row(&self, run_id: i64) -> Result<RunRow, StoreError> {
        self.conn
            .query_row(
                "SELECT id, started_at, finished_at, as_of, status, report_dir FROM runs
                 WHERE id = ?1",
                [run_id],
                |r| {
                    Ok(RunRow {
                        id: r.get(0)?,
                        started_at: r.get(1)?,
                        finished_at: r.get(2)?,
                        as_of: r.get(3)?,
                        status: r.get(4)?,
                        report_dir: r.get::<_, Option<String>>(5)?.map(PathBuf::from),
                    })
                },
            )
            .optional()?
            .ok_or(StoreError::NoSuchRun(run_id))
    }

    /// When the newest finished run started.
    pub fn last_finished_start(&self) -> Result<Option<DateTime<Utc>>, StoreError> {
        let s: Option<String> = self
            .conn
            .query_row(
                "SELECT started_at FROM runs WHERE status = 'finished' ORDER BY id DESC LIMIT 1",
                [],
                |r| r.get(0),
            )
            .optional()?;
        Ok(s.as_deref().and_then(parse_time))
    }

    /// Deletes runs (and, by cascade, what they recorded) and probes older than `before`;
    /// returns the report folders of the deleted runs and how many runs went.
    pub fn prune_before(&self, before: DateTime<Utc>) -> Result<(usize, Vec<PathBuf>), StoreError> {
        let cut = before.to_rfc3339();
        let mut stmt = self.conn.prepare(
            "SELECT report_dir FROM runs WHERE started_at < ?1 AND status != 'running'
             AND report_dir IS NOT NULL",
        )?;
        let dirs: Vec<PathBuf> = stmt
            .query_map([&cut], |r| r.get::<_, String>(0))?
            .collect::<Result<Vec<_>, _>>()?
            .into_iter()
            .map(PathBuf::from)
            .collect();
        let n = self.conn.execute(
            "DELETE FROM runs WHERE started_at < ?1 AND status != 'running'",
            [&cut],
        )?;
        self.conn
            .execute("DELETE FROM probes WHERE at < ?1", [&cut])?;
        Ok((n, dirs))
    }

    /// When an alert with this key was last sent.
    pub fn notification_sent_at(&self, key: &str) -> Result<Option<DateTime<Utc>>, StoreError> {
        let s: Option<String> = self
            .conn
            .query_row(
                "SELECT last_sent FROM notifications WHERE key = ?1",
                [key],
                |r| r.get(0),
            )
            .optional()?;
        Ok(s.as_deref().and_then(parse_time))
    }

    /// Records that an alert with this key was sent at `at`.
    pub fn mark_notified(&self, key: &str, at: DateTime<Utc>) -> Result<(), StoreError> {
        self.conn.execute(
            "INSERT INTO notifications (key, last_sent) VALUES (?1, ?2)
             ON CONFLICT(key) DO UPDATE SET last_sent = excluded.last_sent",
            params![key, at.to_rfc3339()],
        )?;
        Ok(())
    }

    /// The stored scorecards (report.json site objects) of a run, in rank order.
    pub fn scorecards(&self, run_id: i64) -> Result<Vec<serde_json::Value>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT json FROM scorecards WHERE run_id = ?1
             ORDER BY rank IS NULL, rank, site_id",
        )?;
        let rows = stmt.query_map([run_id], |r| r.get::<_, String>(0))?;
        let mut out = Vec::new();
        for json in rows {
            if let Ok(v) = serde_json::from_str(&json?) {
                out.push(v);
            }
        }
        Ok(out)
    }

    /// One site's scores over the finished runs, oldest first: (run id, as_of, score, grade).
    pub fn site_scores(
        &self,
        site_id: &str,
        limit: usize,
    ) -> Result<Vec<SiteScoreRow>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT r.id, r.as_of, s.score, s.grade FROM scorecards s JOIN runs r ON r.id = s.run_id
             WHERE s.site_id = ?1 AND r.status = 'finished' ORDER BY r.id DESC LIMIT ?2",
        )?;
        let mut rows: Vec<_> = stmt
            .query_map(params![site_id, limit as i64], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
            })?
            .collect::<Result<_, _>>()?;
        rows.reverse();
        Ok(rows)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn probe(site: &str, at: &str, ok: bool) -> Probe {
        Probe {
            site_id: site.into(),
            at: parse_time(at).expect("test time"),
            ok,
            status: ok.then_some(200),
            reason: if ok {
                "HTTP 200 正常".into()
            } else {
                "连接超时".into()
            },
            elapsed_ms: 12,
        }
    }

    #[test]
    fn probes_round_trip_within_their_window_only() {
        let s = Store::open_in_memory().unwrap();
        s.record_probe(&probe("a", "2023-01-09T01:00:00Z", true))
            .unwrap();
        s.record_probe(&probe("a", "2023-01-09T02:00:00Z", false))
            .unwrap();
        s.record_probe(&probe("a", "2023-01-10T02:00:00Z", true))
            .unwrap();
        s.record_probe(&probe("b", "2023-01-09T02:00:00Z", true))
            .unwrap();
        let got = s
            .probes_between(
                "a",
                parse_time("2023-01-09T00:00:00Z").unwrap(),
                parse_time("2023-01-10T00:00:00Z").unwrap(),
            )
            .unwrap();
        assert_eq!(got.len(), 2);
        assert!(got[0].ok && !got[1].ok);
        assert_eq!(got[1].reason, "连接超时");
        assert_eq!(
            s.last_probe("a").unwrap().unwrap().at,
            probe("a", "2023-01-10T02:00:00Z", true).at
        );
    }

    #[test]
    fn notification_keys_remember_when_they_were_sent() {
        let s = Store::open_in_memory().unwrap();
        assert_eq!(s.notification_sent_at("veto:a:x").unwrap(), None);
        let t = parse_time("2023-01-09T01:00:00Z").unwrap();
        s.mark_notified("veto:a:x", t).unwrap();
        s.mark_notified("veto:a:x", t + chrono::Duration::hours(1))
            .unwrap();
        assert_eq!(
            s.notification_sent_at("veto:a:x").unwrap(),
            Some(t + chrono::Duration::hours(1))
        );
    }

    /// A scorecard's report.json object, or one that cannot be written.
    enum Card {
        Fine(serde_json::Value),
        Unwritable,
    }

    impl serde::Serialize for Card {
        fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            match self {
                Card::Fine(v) => v.serialize(s),
                Card::Unwritable => Err(serde::ser::Error::custom("unwritable")),
            }
        }
    }

    #[test]
    fn a_runs_scorecards_are_stored_all_or_none() {
        let mut s = Store::open_in_memory().unwrap();
        let d = NaiveDate::from_ymd_opt(2023, 1, 9).unwrap();
        let run = s.begin_run(d, d, (d, d)).unwrap();
        let card = |site_id, rank, json| super::super::Scorecard {
            site_id,
            score: Some(90.0),
            grade: Some("优秀"),
            rank: Some(rank),
            json,
        };
        let (a, b) = (
            serde_json::json!({"id": "a"}),
            serde_json::json!({"id": "b"}),
        );
        let (fine_a, fine_b) = (Card::Fine(a.clone()), Card::Fine(b.clone()));
        // The second card fails: the first, already written in the transaction, goes too.
        let failing = [card("b", 2, &fine_b), card("a", 1, &Card::Unwritable)];
        assert!(s.save_scorecards(run, failing).is_err());
        assert!(s.scorecards(run).unwrap().is_empty());
        s.save_scorecards(run, [card("b", 2, &fine_b), card("a", 1, &fine_a)])
            .unwrap();
        assert_eq!(s.scorecards(run).unwrap(), vec![a, b]);
    }

    #[test]
    fn pruning_deletes_old_runs_with_their_rows_and_keeps_new_ones() {
        let mut s = Store::open_in_memory().unwrap();
        let d = NaiveDate::from_ymd_opt(2023, 1, 9).unwrap();
        let old = s.begin_run(d, d, (d, d)).unwrap();
        s.finish_run(
            old,
            super::super::RunStatus::Finished,
            &serde_json::json!({}),
        )
        .unwrap();
        s.set_report_dir(old, Path::new("/tmp/r-old")).unwrap();
        s.save_scorecards(
            old,
            [super::super::Scorecard {
                site_id: "a",
                score: Some(90.0),
                grade: Some("优秀"),
                rank: Some(1),
                json: &serde_json::json!({}),
            }],
        )
        .unwrap();
        // Everything stored so far is older than a cut one hour from now.
        let cut = Utc::now() + chrono::Duration::hours(1);
        let (n, dirs) = s.prune_before(cut).unwrap();
        assert_eq!(n, 1);
        assert_eq!(dirs, vec![PathBuf::from("/tmp/r-old")]);
        assert!(s.scorecards(old).unwrap().is_empty());
        let newer = s.begin_run(d, d, (d, d)).unwrap();
        let (n, _) = s
            .prune_before(Utc::now() - chrono::Duration::hours(1))
            .unwrap();
        assert_eq!(n, 0);
        assert_eq!(s.runs(10).unwrap()[0].id, newer);
    }
}
