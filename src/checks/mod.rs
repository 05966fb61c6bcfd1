//! Checks MEASURE: pure functions from a run's `Snapshot` to numbers with evidence
//! (items per week, days since the last update, blank columns …). They never decide what
//! a number costs; `rules` does that. Every window is computed from `as_of`, never from the
//! system clock, and items published after `as_of` are ignored everywhere.

pub mod annual_report;
pub mod availability;
pub mod backdated;
pub mod blank;
pub mod cadence;
pub mod content;
pub mod dead_links;
pub mod freshness;
pub mod metadata;
pub mod undated;

#[cfg(test)]
pub(crate) mod fixtures;

use crate::store::{ColumnSnap, ItemSnap};
use chrono::NaiveDate;

/// The assessment period: `[start, end]`, `end` being the 监测时间点 (as_of).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    /// First day.
    pub start: NaiveDate,
    /// Last day (as_of).
    pub end: NaiveDate,
}

/// Items of a column published in `[from, to]` (both inclusive), oldest first.
pub fn items_between(col: &ColumnSnap, from: NaiveDate, to: NaiveDate) -> Vec<&ItemSnap> {
    let mut v: Vec<&ItemSnap> = col
        .items
        .iter()
        .filter(|i| i.published.is_some_and(|d| d >= from && d <= to))
        .collect();
    v.sort_by_key(|i| i.published);
    v
}

/// The newest publish date on or before `as_of` (CONTRACT §3 `last_update`).
pub fn last_update(col: &ColumnSnap, as_of: NaiveDate) -> Option<NaiveDate> {
    col.items
        .iter()
        .filter_map(|i| i.published)
        .filter(|d| *d <= as_of)
        .max()
}

/// The newest item on or before `as_of`, for evidence.
pub fn newest_item(col: &ColumnSnap, as_of: NaiveDate) -> Option<&ItemSnap> {
    col.items
        .iter()
        .filter(|i| i.published.is_some_and(|d| d <= as_of))
        .max_by_key(|i| i.published)
}
