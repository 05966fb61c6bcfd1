//! Backdating (补发/倒签): an item whose publish date lies well before the first day
//! govscore could have seen it. The evidence is an earlier crawl of the same column that
//! walked back past the item's date, after that date plus the tolerance, and did not see it.
//! Posting a day or two late is normal; the tolerance absorbs that.

use crate::store::{ColumnSnap, ItemSnap, PastCrawl};
use chrono::{Days, NaiveDate};

/// One backdated item with the crawl that proves it.
#[derive(Debug, Clone, PartialEq)]
pub struct Backdated<'a> {
    /// The item.
    pub item: &'a ItemSnap,
    /// The latest earlier crawl that should have seen it and did not.
    pub absent_on: NaiveDate,
    /// Days between the claimed publish date and the first sighting.
    pub days_late: i64,
}

/// Items of `col` first seen in this run or earlier whose date is backdated beyond
/// `tolerance_days`, judged only by crawls that read the column.
pub fn backdated(col: &ColumnSnap, tolerance_days: u32) -> Vec<Backdated<'_>> {
    let mut out = Vec::new();
    for item in &col.items {
        let Some(published) = item.published else {
            continue;
        };
        let Some(limit) = published.checked_add_days(Days::new(u64::from(tolerance_days))) else {
            continue;
        };
        // A crawl strictly after published+tolerance, strictly before the first sighting,
        // whose walk reached back to the item's date: the item should have been listed.
        let witness: Option<&PastCrawl> = col
            .history
            .iter()
            .filter(|c| c.run_id < item.first_seen_run)
            .filter(|c| c.observed_on > limit && c.observed_on < item.first_seen_on)
            .filter(|c| c.walked_back_to <= published)
            .max_by_key(|c| c.observed_on);
        if let Some(w) = witness {
            out.push(Backdated {
                item,
                absent_on: w.observed_on,
                days_late: (item.first_seen_on - published).num_days(),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{ColumnClass, DateSource};

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn item(published: &str, first_seen_run: i64, first_seen_on: &str) -> ItemSnap {
        ItemSnap {
            title: format!("item {published}"),
            url: format!("http://x/{published}.html"),
            published: Some(d(published)),
            date_source: DateSource::List,
            url_date: None,
            pinned: false,
            first_seen_run,
            first_seen_on: d(first_seen_on),
        }
    }

    fn column(items: Vec<ItemSnap>, history: Vec<(i64, &str, &str)>) -> ColumnSnap {
        ColumnSnap {
            id: 1,
            name: "最新动态".into(),
            class: ColumnClass::News,
            url: "http://x/zxdt/".into(),
            assessable: true,
            reason: None,
            seen_back_to: None,
            items,
            history: history
                .into_iter()
                .map(|(run_id, on, back)| PastCrawl {
                    run_id,
                    observed_on: d(on),
                    walked_back_to: d(back),
                })
                .collect(),
        }
    }

    #[test]
    fn an_item_absent_from_a_crawl_well_after_its_date_is_backdated() {
        let col = column(
            vec![item("2023-01-09", 3, "2023-01-20")],
            vec![
                (1, "2023-01-10", "2023-01-01"),
                (2, "2023-01-16", "2023-01-01"),
            ],
        );
        let found = backdated(&col, 3);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].absent_on, d("2023-01-16"));
        assert_eq!(found[0].days_late, 11);
    }

    #[test]
    fn posting_within_the_tolerance_is_not_backdating() {
        // Crawled one day after the date (within 3 days) without the item: normal delay.
        let col = column(
            vec![item("2023-01-09", 2, "2023-01-12")],
            vec![(1, "2023-01-10", "2023-01-01")],
        );
        assert!(backdated(&col, 3).is_empty());
    }

    #[test]
    fn a_crawl_that_did_not_walk_back_to_the_date_proves_nothing() {
        let col = column(
            vec![item("2022-12-20", 2, "2023-01-20")],
            vec![(1, "2023-01-16", "2023-01-01")],
        );
        assert!(backdated(&col, 3).is_empty());
    }

    #[test]
    fn items_seen_from_the_first_crawl_are_never_backdated() {
        let col = column(vec![item("2023-01-02", 1, "2023-01-16")], vec![]);
        assert!(backdated(&col, 3).is_empty());
    }
}
