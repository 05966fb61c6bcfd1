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

/// Items per ISO week for a column, for the weeks the run saw wholly (a column read only
/// in part leaves out its unseen weeks).
pub fn weekly(col: &ColumnSnap, period: Period) -> Vec<Window<'_>> {
    weeks(period)
        .into_iter()
        .filter(|start| col.seen_from(*start))
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

/// Items per calendar month for a column, for the months the run saw wholly.
pub fn monthly(col: &ColumnSnap, period: Period) -> Vec<Window<'_>> {
    months(period)
        .into_iter()
        .filter(|(start, _)| col.seen_from(*start))
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

    fn counts(windows: &[Window<'_>]) -> Vec<(NaiveDate, usize)> {
        windows.iter().map(|w| (w.start, w.items.len())).collect()
    }

    #[test]
    fn weekly_counts_items_by_publish_date_monday_to_sunday() {
        use crate::checks::fixtures::{column, dated, item};
        use crate::model::ColumnClass;
        // Period 2023-01-02 (Mon) .. 2023-01-22 (Sun): three whole weeks.
        let mut items = dated(&[
            "2023-01-02", // week 1, Monday
            "2023-01-08", // week 1, Sunday
            "2023-01-09", // week 2
            "2023-01-01", // before the period
            "2023-01-23", // after as_of
        ]);
        items.push(item("undated", None));
        let col = column("最新动态", ColumnClass::News, items);
        let w = weekly(
            &col,
            Period {
                start: d("2023-01-02"),
                end: d("2023-01-22"),
            },
        );
        assert_eq!(
            counts(&w),
            vec![
                (d("2023-01-02"), 2),
                (d("2023-01-09"), 1),
                (d("2023-01-16"), 0)
            ]
        );
        assert_eq!(w[0].end, d("2023-01-08"));
        // Items of a window come oldest first.
        let dates: Vec<_> = w[0].items.iter().map(|i| i.published).collect();
        assert_eq!(dates, vec![Some(d("2023-01-02")), Some(d("2023-01-08"))]);
    }

    #[test]
    fn monthly_counts_items_per_whole_calendar_month() {
        use crate::checks::fixtures::{column, dated};
        use crate::model::ColumnClass;
        let col = column(
            "通知公告",
            ColumnClass::Notice,
            dated(&["2023-01-31", "2023-02-01", "2023-02-28", "2023-03-10"]),
        );
        // March is not whole by as_of 2023-03-15: not measured.
        let m = monthly(
            &col,
            Period {
                start: d("2023-01-01"),
                end: d("2023-03-15"),
            },
        );
        assert_eq!(counts(&m), vec![(d("2023-01-01"), 1), (d("2023-02-01"), 2)]);
        assert_eq!(m[1].end, d("2023-02-28"));
    }

    #[test]
    fn the_week_containing_as_of_is_not_measured_until_its_sunday() {
        // as_of Saturday 2023-01-14: only the week of 01-02 is whole.
        assert_eq!(
            weeks(Period {
                start: d("2023-01-02"),
                end: d("2023-01-14"),
            }),
            vec![d("2023-01-02")]
        );
        assert_eq!(week_start(d("2023-01-15")), d("2023-01-09"));
        assert_eq!(week_start(d("2023-01-09")), d("2023-01-09"));
    }
}
