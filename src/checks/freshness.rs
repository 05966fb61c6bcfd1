//! Freshness: days between a column's (or the home page's) newest dated item on or before
//! as_of and as_of, and which columns are stale under their class windows. A column or
//! home page with no dated item counts as not updated (未注明信息发布时间的视为不更新,
//! 国办发〔2015〕15号). Measures only; windows and outcomes come from the rules.

use super::last_update;
use crate::crawl::observe::HomeFacts;
use crate::model::ColumnClass;
use crate::store::{ColumnSnap, SiteSnap};
use chrono::NaiveDate;
use std::collections::BTreeMap;

/// Days since the column's last update, or None when it has no dated item on or before
/// as_of (the national rules count that as not updated).
pub fn days_since_update(col: &ColumnSnap, as_of: NaiveDate) -> Option<i64> {
    last_update(col, as_of).map(|d| (as_of - d).num_days())
}

/// Whether the column is stale under a window of `max_days`: its newest item is more than
/// `max_days` days before as_of, or it has none. Exactly `max_days` old is still fresh.
pub fn is_stale(col: &ColumnSnap, as_of: NaiveDate, max_days: u32) -> bool {
    days_since_update(col, as_of).is_none_or(|days| days > i64::from(max_days))
}

/// The newest date the home page shows on or before as_of (a later date is ignored, as
/// every window is).
pub fn homepage_last_update(home: &HomeFacts, as_of: NaiveDate) -> Option<NaiveDate> {
    home.latest_date.filter(|d| *d <= as_of)
}

/// Days since the home page's last update, or None when it shows no date.
pub fn homepage_days_since_update(home: &HomeFacts, as_of: NaiveDate) -> Option<i64> {
    homepage_last_update(home, as_of).map(|d| (as_of - d).num_days())
}

/// Whether the home page is stale under a window of `max_days` (no date counts as stale).
pub fn homepage_is_stale(home: &HomeFacts, as_of: NaiveDate, max_days: u32) -> bool {
    homepage_days_since_update(home, as_of).is_none_or(|days| days > i64::from(max_days))
}

/// The readable columns of a site that are stale under their class window, with that
/// window, in column order. Columns of classes without a window are not counted, nor are
/// columns that could not be read.
pub fn stale_columns<'s>(
    site: &'s SiteSnap,
    windows: &BTreeMap<ColumnClass, u32>,
    as_of: NaiveDate,
) -> Vec<(&'s ColumnSnap, u32)> {
    site.columns
        .iter()
        .filter(|c| c.assessable)
        .filter_map(|c| windows.get(&c.class).map(|d| (c, *d)))
        .filter(|(c, d)| is_stale(c, as_of, *d))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::fixtures::{column, d, dated, item, site, unreadable};

    #[test]
    fn days_since_update_counts_from_the_newest_date_on_or_before_as_of() {
        let col = column(
            "最新动态",
            ColumnClass::News,
            dated(&["2023-03-20", "2023-03-01", "2023-02-20"]),
        );
        // The 03-20 item lies after as_of and is ignored.
        assert_eq!(days_since_update(&col, d("2023-03-15")), Some(14));
        assert_eq!(
            days_since_update(
                &column("x", ColumnClass::News, vec![item("u", None)]),
                d("2023-03-15")
            ),
            None
        );
    }

    #[test]
    fn exactly_the_window_is_fresh_and_one_day_more_is_stale() {
        let col = column("最新动态", ColumnClass::News, dated(&["2023-03-01"]));
        assert!(!is_stale(&col, d("2023-03-15"), 14));
        assert!(is_stale(&col, d("2023-03-16"), 14));
    }

    #[test]
    fn a_column_with_only_undated_items_is_stale() {
        let col = column("最新动态", ColumnClass::News, vec![item("u", None)]);
        assert!(is_stale(&col, d("2023-03-15"), 14));
    }

    #[test]
    fn homepage_window_ignores_future_dates_and_counts_no_date_as_stale() {
        let fresh = site(vec![], Some("2023-03-05"));
        assert_eq!(
            homepage_days_since_update(&fresh.home, d("2023-03-15")),
            Some(10)
        );
        assert!(!homepage_is_stale(&fresh.home, d("2023-03-15"), 10));
        assert!(homepage_is_stale(&fresh.home, d("2023-03-15"), 9));
        let future = site(vec![], Some("2023-03-16"));
        assert_eq!(homepage_last_update(&future.home, d("2023-03-15")), None);
        assert!(homepage_is_stale(&future.home, d("2023-03-15"), 14));
        let none = site(vec![], None);
        assert!(homepage_is_stale(&none.home, d("2023-03-15"), 14));
    }

    #[test]
    fn stale_columns_judges_each_class_by_its_window_and_skips_the_rest() {
        let as_of = d("2023-03-15");
        let s = site(
            vec![
                column("最新动态", ColumnClass::News, dated(&["2023-03-01"])), // 14 d: fresh
                column("工作动态", ColumnClass::News, dated(&["2023-02-28"])), // 15 d: stale
                column("通知公告", ColumnClass::Notice, dated(&["2022-09-12"])), // 184 d: stale
                column("政策文件", ColumnClass::Policy, dated(&["2022-09-13"])), // 183 d: fresh
                column("机构概况", ColumnClass::Org, vec![]), // no window: not counted
                unreadable("规划计划", ColumnClass::News),    // unreadable: not counted
                column("要闻动态", ColumnClass::News, vec![]), // blank: stale
            ],
            Some("2023-03-15"),
        );
        let windows: BTreeMap<ColumnClass, u32> = [
            (ColumnClass::News, 14),
            (ColumnClass::Notice, 183),
            (ColumnClass::Policy, 183),
        ]
        .into_iter()
        .collect();
        let got: Vec<(String, u32)> = stale_columns(&s, &windows, as_of)
            .into_iter()
            .map(|(c, w)| (c.name.clone(), w))
            .collect();
        assert_eq!(
            got,
            vec![
                ("工作动态".to_string(), 14),
                ("通知公告".to_string(), 183),
                ("要闻动态".to_string(), 14)
            ]
        );
    }
}
