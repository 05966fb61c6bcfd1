//! Freshness: days between a column's newest item (on or before as_of) and as_of.

use super::last_update;
use crate::store::ColumnSnap;
use chrono::NaiveDate;

/// Days since the column's last update, or None when it has no dated item on or before
/// as_of (the national rules count that as not updated).
pub fn days_since_update(col: &ColumnSnap, as_of: NaiveDate) -> Option<i64> {
    last_update(col, as_of).map(|d| (as_of - d).num_days())
}

/// Whether the column is stale under a window of `max_days`.
pub fn is_stale(col: &ColumnSnap, as_of: NaiveDate, max_days: u32) -> bool {
    days_since_update(col, as_of).is_none_or(|days| days > i64::from(max_days))
}
