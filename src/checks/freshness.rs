//! Freshness: days between a column's (or the home page's) newest dated item on or before
//! as_of and as_of, and which columns are stale under their class windows. A column or
//! home page with no dated item counts as not updated (未注明信息发布时间的视为不更新,
//! 国办发〔2015〕15号). The home page is judged by the case it falls in
//! ([`homepage_verdict`]): its own dated items, its 二级页面 when it is navigation only, or
//! not at all (需人工核查) when its lists are loaded by script. Measures only; windows and
//! outcomes come from the rules.

use super::{last_update, newest_item};
use crate::crawl::observe::HomeFacts;
use crate::extract::home::HomeLayout;
use crate::model::ColumnClass;
use crate::store::{ColumnSnap, ItemSnap, SiteSnap};
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

/// What the 首页不更新 rule judged by (国办秘函〔2019〕19号: "首页仅为导航页的，以其二级页面
///是否更新为准").
#[derive(Debug, Clone, PartialEq)]
pub enum HomeBasis<'s> {
    /// The dated items the home page shows.
    HomeItems,
    /// A navigation-only home page: the newest item among the columns it links to (its
    /// 二级页面), with that column; None when no column shows a dated item.
    Secondary(Option<(&'s ColumnSnap, &'s ItemSnap)>),
}

/// The 首页不更新 verdict of one site under a window of `max_days`.
#[derive(Debug, Clone, PartialEq)]
pub enum HomeVerdict<'s> {
    /// Updated within the window.
    Fresh(HomeBasis<'s>),
    /// Not updated within the window: the newest date seen (None: nothing dated).
    Stale(HomeBasis<'s>, Option<NaiveDate>),
    /// Cannot be judged (lists loaded by script, or no 二级页面 could be read): 需人工核查,
    /// never a veto. Carries the reason and the 二级页面 figure as information.
    Unreadable(String, Option<(&'s ColumnSnap, &'s ItemSnap)>),
    /// The home page already shows items dated after as_of: it has changed since the
    /// 监测时间点 (an assessment "as of" a past day), so its state then cannot be seen.
    ChangedSince,
}

/// The 二级页面 of a site: its readable columns that the home page links to (all its
/// readable columns when the home page links none of them, e.g. only pinned ones).
pub fn secondary_pages(site: &SiteSnap) -> Vec<&ColumnSnap> {
    let readable = site.columns.iter().filter(|c| c.assessable);
    let linked: Vec<&ColumnSnap> = readable
        .clone()
        .filter(|c| site.home.linked_columns.contains(&c.url))
        .collect();
    if linked.is_empty() {
        readable.collect()
    } else {
        linked
    }
}

/// The newest item on or before as_of among the 二级页面.
pub fn newest_secondary(site: &SiteSnap, as_of: NaiveDate) -> Option<(&ColumnSnap, &ItemSnap)> {
    secondary_pages(site)
        .into_iter()
        .filter_map(|c| newest_item(c, as_of).map(|i| (c, i)))
        .max_by_key(|(_, i)| i.published)
}

/// Judges the home page by the case it falls in: its own dated items; for a
/// navigation-only page its 二级页面; for script-loaded lists nothing (需人工核查).
pub fn homepage_verdict(site: &SiteSnap, as_of: NaiveDate, max_days: u32) -> HomeVerdict<'_> {
    let within =
        |d: Option<NaiveDate>| d.is_some_and(|d| (as_of - d).num_days() <= i64::from(max_days));
    match site.home.layout {
        HomeLayout::Dated => {
            if site.home.latest_date.is_some_and(|d| d > as_of) {
                return HomeVerdict::ChangedSince;
            }
            let last = homepage_last_update(&site.home, as_of);
            if within(last) {
                HomeVerdict::Fresh(HomeBasis::HomeItems)
            } else {
                HomeVerdict::Stale(HomeBasis::HomeItems, last)
            }
        }
        HomeLayout::Navigation => {
            if !site.columns.iter().any(|c| c.assessable) {
                return HomeVerdict::Unreadable(
                    "首页为导航页，其链接的二级页面（栏目）均未能读取".to_string(),
                    None,
                );
            }
            let newest = newest_secondary(site, as_of);
            let last = newest.and_then(|(_, i)| i.published);
            if within(last) {
                HomeVerdict::Fresh(HomeBasis::Secondary(newest))
            } else {
                HomeVerdict::Stale(HomeBasis::Secondary(newest), last)
            }
        }
        HomeLayout::ScriptLoaded => HomeVerdict::Unreadable(
            site.home
                .unreadable_reason
                .clone()
                .unwrap_or_else(|| "首页信息列表由脚本生成，无法读取".to_string()),
            newest_secondary(site, as_of),
        ),
    }
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
    fn a_navigation_only_home_page_is_judged_by_its_secondary_pages() {
        let as_of = d("2023-03-15");
        let mut s = site(
            vec![
                column(
                    "工作动态",
                    ColumnClass::News,
                    dated(&["2023-03-06", "2023-02-27"]),
                ),
                column("通知公告", ColumnClass::Notice, dated(&["2023-01-10"])),
                unreadable("党务公开", ColumnClass::Party),
            ],
            None,
        );
        s.home.layout = HomeLayout::Navigation;
        // Columns updated within 14 days: no veto although the home page shows no date.
        match homepage_verdict(&s, as_of, 14) {
            HomeVerdict::Fresh(HomeBasis::Secondary(Some((col, item)))) => {
                assert_eq!(col.name, "工作动态");
                assert_eq!(item.published, Some(d("2023-03-06")));
            }
            other => panic!("{other:?}"),
        }
        // Three weeks later the same columns are stale: the 二级页面 is named.
        match homepage_verdict(&s, d("2023-03-21"), 14) {
            HomeVerdict::Stale(HomeBasis::Secondary(Some((col, _))), last) => {
                assert_eq!(col.name, "工作动态");
                assert_eq!(last, Some(d("2023-03-06")));
            }
            other => panic!("{other:?}"),
        }
        // Only the columns the home page links to are its 二级页面.
        s.home.linked_columns = vec![s.columns[1].url.clone()];
        match homepage_verdict(&s, as_of, 14) {
            HomeVerdict::Stale(HomeBasis::Secondary(Some((col, _))), _) => {
                assert_eq!(col.name, "通知公告");
            }
            other => panic!("{other:?}"),
        }
        // No column readable: nothing to judge by.
        let mut none = site(vec![unreadable("工作动态", ColumnClass::News)], None);
        none.home.layout = HomeLayout::Navigation;
        assert!(matches!(
            homepage_verdict(&none, as_of, 14),
            HomeVerdict::Unreadable(_, None)
        ));
    }

    #[test]
    fn script_loaded_home_lists_are_never_judged_stale() {
        let mut s = site(
            vec![column(
                "工作动态",
                ColumnClass::News,
                dated(&["2022-12-01"]),
            )],
            None,
        );
        s.home.layout = HomeLayout::ScriptLoaded;
        s.home.unreadable_reason = Some("首页信息列表由脚本加载生成，无法读取".into());
        match homepage_verdict(&s, d("2023-03-15"), 14) {
            HomeVerdict::Unreadable(reason, Some((col, _))) => {
                assert!(reason.contains("脚本"));
                assert_eq!(col.name, "工作动态");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn dated_home_pages_keep_their_window_and_a_later_page_is_not_judged() {
        let s = site(vec![], Some("2023-03-01"));
        assert!(matches!(
            homepage_verdict(&s, d("2023-03-15"), 14),
            HomeVerdict::Fresh(HomeBasis::HomeItems)
        ));
        assert_eq!(
            homepage_verdict(&s, d("2023-03-16"), 14),
            HomeVerdict::Stale(HomeBasis::HomeItems, Some(d("2023-03-01")))
        );
        assert_eq!(
            homepage_verdict(&s, d("2023-02-20"), 14),
            HomeVerdict::ChangedSince
        );
        let none = site(vec![], None);
        assert_eq!(
            homepage_verdict(&none, d("2023-03-16"), 14),
            HomeVerdict::Stale(HomeBasis::HomeItems, None)
        );
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
