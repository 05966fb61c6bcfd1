//! Undated items: entries of a column with no publish date from the list, the article or
//! the URL. The national rules count them as not updated (未注明信息发布时间的视为不更新,
//! 国办发〔2015〕15号); cadence and freshness already ignore them, this check lists them.
//! Measures only.

use crate::store::{ColumnSnap, ItemSnap};

/// The column's items without a publish date, in list order. An unreadable column has
/// none: nothing was seen.
pub fn undated_items(col: &ColumnSnap) -> Vec<&ItemSnap> {
    if !col.assessable {
        return Vec::new();
    }
    col.items.iter().filter(|i| i.published.is_none()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::fixtures::{column, item, unreadable};
    use crate::model::ColumnClass;

    #[test]
    fn only_items_without_a_date_are_listed_in_list_order() {
        let col = column(
            "最新动态",
            ColumnClass::News,
            vec![
                item("a", Some("2023-01-05")),
                item("b", None),
                item("c", Some("2023-01-04")),
                item("d", None),
            ],
        );
        let urls: Vec<&str> = undated_items(&col).iter().map(|i| i.url.as_str()).collect();
        assert_eq!(
            urls,
            vec!["http://site.test/a/b.html", "http://site.test/a/d.html"]
        );
    }

    #[test]
    fn a_fully_dated_column_has_no_undated_items() {
        let col = column(
            "最新动态",
            ColumnClass::News,
            vec![item("a", Some("2023-01-05"))],
        );
        assert!(undated_items(&col).is_empty());
    }

    #[test]
    fn an_unreadable_column_reports_nothing() {
        let mut col = unreadable("最新动态", ColumnClass::News);
        col.items.push(item("a", None));
        assert!(undated_items(&col).is_empty());
    }
}
