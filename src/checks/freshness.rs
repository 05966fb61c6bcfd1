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
