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
