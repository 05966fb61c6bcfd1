//! Availability: the share of failed home-page probes over a look-back window (国办秘函
//! 〔2019〕19号 "站点无法访问": monitored for a week, at least 20 visits a day, 15 s limit,
//! failing 5% or more of the visits is a veto).
//!
//! Measures only: returns the counts and the failed probes; the rule decides what a ratio
//! costs. Must not probe (the daemon does) and must not read the system clock: the window
//! ends with the run's as_of.

use crate::store::Probe;
use chrono::{DateTime, NaiveDate, Utc};

/// Probes per day the notice requires; a window needs half of `days * MIN_PROBES_PER_DAY`
/// probes before it is judged at all.
pub const MIN_PROBES_PER_DAY: u32 = 20;

/// What the probes of one window show.
#[derive(Debug, Clone, PartialEq)]
pub struct Availability<'p> {
    /// Window start (inclusive).
    pub from: DateTime<Utc>,
    /// Window end (exclusive).
    pub to: DateTime<Utc>,
    /// Probes in the window.
    pub total: usize,
    /// Failed probes in the window, oldest first.
    pub failed: Vec<&'p Probe>,
    /// Whether there are enough probes to judge (`total >= days * 20 / 2`).
    pub enough: bool,
}

impl Availability<'_> {
    /// Failed share, 0 when there are no probes.
    pub fn fail_ratio(&self) -> f64 {
        if self.total == 0 {
            0.0
        } else {
            self.failed.len() as f64 / self.total as f64
        }
    }
}

/// The window of `days` UTC days ending with `as_of` (the same days the snapshot loads).
pub fn window(as_of: NaiveDate, days: u32) -> (DateTime<Utc>, DateTime<Utc>) {
    let to = as_of
        .checked_add_days(chrono::Days::new(1))
        .unwrap_or(as_of)
        .and_time(chrono::NaiveTime::MIN)
        .and_utc();
    (to - chrono::Duration::days(i64::from(days)), to)
}

/// Measures the probes of one site over the `days` days ending with `as_of`.
pub fn measure(probes: &[Probe], as_of: NaiveDate, days: u32) -> Availability<'_> {
    let (from, to) = window(as_of, days);
    let in_window: Vec<&Probe> = probes
        .iter()
        .filter(|p| p.at >= from && p.at < to)
        .collect();
    let needed = (days as usize * MIN_PROBES_PER_DAY as usize).div_ceil(2);
    Availability {
        from,
        to,
        total: in_window.len(),
        enough: in_window.len() >= needed,
        failed: in_window.into_iter().filter(|p| !p.ok).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn probes(n: usize, fail_every: usize, start: &str) -> Vec<Probe> {
        let t0 = DateTime::parse_from_rfc3339(start)
            .unwrap()
            .with_timezone(&Utc);
        (0..n)
            .map(|i| {
                let ok = fail_every == 0 || i % fail_every != 0;
                Probe {
                    site_id: "s".into(),
                    at: t0 + chrono::Duration::hours(i as i64),
                    ok,
                    status: ok.then_some(200),
                    reason: if ok {
                        "HTTP 200 正常"
                    } else {
                        "连接超时"
                    }
                    .into(),
                    elapsed_ms: 5,
                }
            })
            .collect()
    }

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn one_failure_in_ten_over_a_week_is_a_ten_percent_ratio() {
        // 7 days of hourly probes ending 2023-01-15.
        let p = probes(168, 10, "2023-01-09T00:00:00Z");
        let a = measure(&p, d("2023-01-15"), 7);
        assert_eq!(a.total, 168);
        assert_eq!(a.failed.len(), 17);
        assert!(a.enough);
        assert!(a.fail_ratio() >= 0.05);
    }

    #[test]
    fn too_few_probes_are_not_enough_evidence() {
        // 69 probes < 7*20/2 = 70: not judged, whatever the failures.
        let p = probes(69, 2, "2023-01-12T00:00:00Z");
        let a = measure(&p, d("2023-01-15"), 7);
        assert!(!a.enough);
        let p = probes(70, 2, "2023-01-12T00:00:00Z");
        assert!(measure(&p, d("2023-01-15"), 7).enough);
    }

    #[test]
    fn probes_outside_the_window_are_ignored() {
        let p = probes(48, 1, "2023-01-16T00:00:00Z"); // after as_of
        let a = measure(&p, d("2023-01-15"), 7);
        assert_eq!(a.total, 0);
        assert_eq!(a.fail_ratio(), 0.0);
    }
}
