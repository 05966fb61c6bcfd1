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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::fixtures::{column, item, site, unreadable};

    #[test]
    fn a_readable_column_without_items_is_blank_and_one_with_an_undated_item_is_not() {
        assert!(is_blank(&column("通知公告", ColumnClass::Notice, vec![])));
        assert!(!is_blank(&column(
            "通知公告",
            ColumnClass::Notice,
            vec![item("x", None)]
        )));
    }

    #[test]
    fn an_unreadable_column_is_never_blank() {
        assert!(!is_blank(&unreadable("通知公告", ColumnClass::Notice)));
    }

    #[test]
    fn blank_columns_lists_exactly_the_blank_ones_of_the_accepted_classes() {
        let s = site(
            vec![
                column("最新动态", ColumnClass::News, vec![]),
                column(
                    "党务公开",
                    ColumnClass::Party,
                    vec![item("p", Some("2023-01-03"))],
                ),
                column("通知公告", ColumnClass::Notice, vec![]),
                unreadable("政策文件", ColumnClass::Policy),
                column("人事信息", ColumnClass::Personnel, vec![]),
            ],
            Some("2023-01-03"),
        );
        let names = |v: Vec<&ColumnSnap>| v.iter().map(|c| c.name.clone()).collect::<Vec<_>>();
        assert_eq!(
            names(blank_columns(&s, |_| true)),
            vec!["最新动态", "通知公告", "人事信息"]
        );
        assert_eq!(
            names(blank_columns(&s, |c| c == ColumnClass::Notice)),
            vec!["通知公告"]
        );
    }
}
