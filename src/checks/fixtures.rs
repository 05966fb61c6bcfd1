//! Hand-built snapshot pieces for the checks' unit tests: a column, its items, a site.
//! Test-only; nothing here is compiled into the binary.

use crate::crawl::observe::HomeFacts;
use crate::model::{ColumnClass, DateSource, Role, SiteStatus};
use crate::store::{ColumnSnap, ItemSnap, SiteSnap};
use chrono::NaiveDate;

/// A date from `YYYY-MM-DD` (test literals only).
pub fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("test date literal")
}

/// An item dated `published` (None = undated), seen from run 1.
pub fn item(slug: &str, published: Option<&str>) -> ItemSnap {
    ItemSnap {
        title: format!("信息{slug}"),
        url: format!("http://site.test/a/{slug}.html"),
        published: published.map(d),
        date_source: if published.is_some() {
            DateSource::List
        } else {
            DateSource::None
        },
        url_date: None,
        pinned: false,
        first_seen_run: 1,
        first_seen_on: d("2023-01-01"),
    }
}

/// Items dated on each of `dates`, slugs numbered from 1.
pub fn dated(dates: &[&str]) -> Vec<ItemSnap> {
    dates
        .iter()
        .enumerate()
        .map(|(i, s)| item(&format!("{}-{}", s, i + 1), Some(s)))
        .collect()
}

/// A readable column.
pub fn column(name: &str, class: ColumnClass, items: Vec<ItemSnap>) -> ColumnSnap {
    ColumnSnap {
        id: 1,
        name: name.to_string(),
        class,
        url: format!("http://site.test/{name}/"),
        assessable: true,
        reason: None,
        seen_back_to: None,
        items,
        history: Vec::new(),
    }
}

/// A column whose list could not be read.
pub fn unreadable(name: &str, class: ColumnClass) -> ColumnSnap {
    ColumnSnap {
        assessable: false,
        reason: Some("HTTP 404".to_string()),
        seen_back_to: None,
        ..column(name, class, Vec::new())
    }
}

/// An `ok` department site with these columns and a home page last dated `home_latest`.
pub fn site(columns: Vec<ColumnSnap>, home_latest: Option<&str>) -> SiteSnap {
    SiteSnap {
        id: "dept".to_string(),
        name: "测试局".to_string(),
        role: Role::Department,
        url: "http://site.test/".to_string(),
        status: SiteStatus::Ok,
        status_reason: None,
        home: HomeFacts {
            latest_date: home_latest.map(d),
            dated_entries: u32::from(home_latest.is_some()),
            site_name: None,
            site_id_code: None,
            ..HomeFacts::default()
        },
        columns,
        pages: Vec::new(),
        annual: None,
        probes: Vec::new(),
        content: Default::default(),
        links: Vec::new(),
    }
}
