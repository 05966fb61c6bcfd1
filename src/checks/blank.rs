//! Blank columns (空白栏目): a found, readable column whose list has no item at all, dated
//! or not. A column that could not be read is never blank: nothing was seen. Measures
//! only; the per-column deduction and the ≥5 veto are rules.

use crate::model::ColumnClass;
use crate::store::{ColumnSnap, SiteSnap};

/// Whether a column is blank: its list was read and held no item.
pub fn is_blank(col: &ColumnSnap) -> bool {
    col.assessable && col.items.is_empty()
}

/// The blank columns of a site among those whose class `keep` accepts, in column order.
pub fn blank_columns(site: &SiteSnap, keep: impl Fn(ColumnClass) -> bool) -> Vec<&ColumnSnap> {
    site.columns
        .iter()
        .filter(|c| keep(c.class) && is_blank(c))
        .collect()
}
