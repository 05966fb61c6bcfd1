//! Cadence: how many items a column published in each ISO week (Monday start) or calendar
//! month of the period. Only windows lying wholly inside the period and ending on or before
//! as_of are measured (CONTRACT §3 `weekly`).

use super::{Period, items_between};
use crate::store::{ColumnSnap, ItemSnap};
use chrono::{Datelike, Days, Months, NaiveDate};

/// One measured window of a column.
#[derive(Debug, Clone, PartialEq)]
pub struct Window<'a> {
    /// First day (a Monday for weeks, the 1st for months).
    pub start: NaiveDate,
    /// Last day (a Sunday for weeks, the month's last day).
    pub end: NaiveDate,
    /// The items published in the window, oldest first.
    pub items: Vec<&'a ItemSnap>,
}

/// The Monday of the ISO week containing `d`.
pub fn week_start(d: NaiveDate) -> NaiveDate {
    d - Days::new(u64::from(d.weekday().num_days_from_monday()))
}

/// Mondays of every ISO week wholly inside the period (the week's Sunday on or before
/// `period.end`), oldest first.
pub fn weeks(period: Period) -> Vec<NaiveDate> {
    let mut out = Vec::new();
    let first = week_start(period.start);
    let mut monday = if first < period.start {
        first + Days::new(7)
    } else {
        first
    };
    while monday + Days::new(6) <= period.end {
        out.push(monday);
        monday = monday + Days::new(7);
    }
    out
}

/// Calendar months wholly inside the period, as (first day, last day), oldest first.
pub fn months(period: Period) -> Vec<(NaiveDate, NaiveDate)> {
    let mut out = Vec::new();
    let Some(mut first) = period.start.with_day(1) else {
        return out;
    };
    if first < period.start {
        first = first + Months::new(1);
    }
    loop {
        let last = first + Months::new(1) - Days::new(1);
        if last > period.end {
            break;
        }
        out.push((first, last));
        first = first + Months::new(1);
    }
    out
}

/// Items per ISO week for a column.
pub fn weekly(col: &ColumnSnap, period: Period) -> Vec<Window<'_>> {
    weeks(period)
        .into_iter()
        .map(|start| {
            let end = start + Days::new(6);
            Window {
                start,
                end,
                items: items_between(col, start, end),
            }
        })
        .collect()
}

/// Items per calendar month for a column.
pub fn monthly(col: &ColumnSnap, period: Period) -> Vec<Window<'_>> {
    months(period)
        .into_iter()
        .map(|(start, end)| Window {
            start,
            end,
            items: items_between(col, start, end),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn weeks_are_those_wholly_inside_the_period_and_ended_by_as_of() {
        // 2023-01-01 is a Sunday; 2023-02-15 a Wednesday.
        let w = weeks(Period {
            start: d("2023-01-01"),
            end: d("2023-02-15"),
        });
        assert_eq!(w.first(), Some(&d("2023-01-02")));
        assert_eq!(w.last(), Some(&d("2023-02-06")));
        assert_eq!(w.len(), 6);
    }

    #[test]
    fn a_week_ending_on_as_of_counts_and_one_starting_on_period_start_counts() {
        let w = weeks(Period {
            start: d("2023-01-02"),
            end: d("2023-01-15"),
        });
        assert_eq!(w, vec![d("2023-01-02"), d("2023-01-09")]);
    }

    #[test]
    fn months_are_calendar_months_wholly_inside() {
        let m = months(Period {
            start: d("2023-01-15"),
            end: d("2023-03-31"),
        });
        assert_eq!(
            m,
            vec![
                (d("2023-02-01"), d("2023-02-28")),
                (d("2023-03-01"), d("2023-03-31"))
            ]
        );
    }
}
