//! The fewest requests an assessment of a simulated district can make (the yardstick of
//! the scale benchmark, BENCHMARKS.md "The minimum of requests").
//!
//! Counted from the model, never from what govscore fetched: per host its robots.txt; per
//! site its home page, the metadata sample (up to [`META_SAMPLE`] articles, one per list
//! column with an on-site item) and, when its 年报 column lists a report, that report's
//! article; per column its list pages down to the page that ends the window (the first page
//! holding a dated, unpinned item older than the period start; every page when none does;
//! one page for a single-page column; for a Hanweb column the HTML page plus the data-proxy
//! batches of `3 × per_page` records needed) and one article per item in the window whose
//! list entry shows no date (lists without dates, leader cards, undated items).
//!
//! A pager that declares pages that do not exist (`Overstates`, a TRS `createPageHTML`
//! quirk) or serves page one for every page number (`RepeatsFirst`) costs one more list
//! request when the walk must go on past the list's last real page (no item ends the
//! window): the first declared page beyond it, answering 404 or page one again. Nothing on
//! the last real page proves it is the last (a short page is not proof: list readers drop
//! entries, and real lists vary in length), so any crawler following the site's own pager
//! asks it. These are the 404s a first run counts as failed requests (one per simulated
//! district: its lying pager); see BENCHMARKS.md "Scale".
//!
//! It is a lower bound, not a plan: articles a reader needs twice (a sampled article that
//! is also the newest undated one) are counted twice, and sites made unreadable by run-time
//! behaviours are counted as if readable.

use super::{District, ListDates, ListLayout, PAGE_SIZE, PagerQuirk, SimColumn, SimItem};
use crate::model::ColumnClass;
use chrono::NaiveDate;
use std::collections::BTreeSet;

/// Articles per site the metadata check samples (the walker's `META_SAMPLE_ARTICLES`).
pub const META_SAMPLE: usize = 3;

/// Hanweb records per data-proxy request, in `per_page` units (the jpage `group`).
const HANWEB_GROUP: usize = 3;

/// The minimum of requests, by kind.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MinimumRequests {
    /// One robots.txt per host.
    pub robots: usize,
    /// One home page per site.
    pub home_pages: usize,
    /// List pages (and Hanweb proxy batches) down to the page that ends the window.
    pub list_pages: usize,
    /// Articles read because their list entry shows no date.
    pub undated_articles: usize,
    /// Articles of the metadata sample.
    pub meta_sample: usize,
    /// Annual-report articles.
    pub annual_reports: usize,
}

impl MinimumRequests {
    /// All kinds together.
    pub fn total(&self) -> usize {
        self.robots
            + self.home_pages
            + self.list_pages
            + self.undated_articles
            + self.meta_sample
            + self.annual_reports
    }

    /// Adds another district's minimum.
    pub fn add(&mut self, other: &MinimumRequests) {
        self.robots += other.robots;
        self.home_pages += other.home_pages;
        self.list_pages += other.list_pages;
        self.undated_articles += other.undated_articles;
        self.meta_sample += other.meta_sample;
        self.annual_reports += other.annual_reports;
    }
}

impl District {
    /// The minimum of requests to assess the district as shown on `today` for the period
    /// starting `since` (see the module documentation).
    pub fn minimum_requests(&self, today: NaiveDate, since: NaiveDate) -> MinimumRequests {
        let hosts: BTreeSet<usize> = self.sites.iter().map(|s| s.host).collect();
        let mut m = MinimumRequests {
            robots: hosts.len(),
            home_pages: self.sites.len(),
            ..MinimumRequests::default()
        };
        for site in &self.sites {
            let mut sampled = 0;
            for col in &site.columns {
                let listed = col.listed_items(today);
                if col.layout == ListLayout::SinglePage {
                    m.list_pages += 1;
                    continue;
                }
                let (pages, in_window) = pages_to_window(col, &listed, since);
                m.list_pages += pages + past_the_end(col, &listed, since);
                m.undated_articles += listed[..in_window]
                    .iter()
                    .filter(|i| !i.is_offsite() && (i.undated || !list_shows_date(col)))
                    .count();
                if sampled < META_SAMPLE && listed.iter().any(|i| !i.is_offsite()) {
                    sampled += 1;
                }
                if col.class == ColumnClass::AnnualReport && !listed.is_empty() {
                    m.annual_reports += 1;
                }
            }
            m.meta_sample += sampled;
        }
        m
    }
}

/// The declared page past the list's last real page a walk asks to learn the list ended
/// (1), when the pager declares more pages than exist and no item ends the window.
fn past_the_end(col: &SimColumn, listed: &[&SimItem], since: NaiveDate) -> usize {
    let real = listed.len().div_ceil(PAGE_SIZE).max(1);
    let declares_more = match col.pager_quirk {
        PagerQuirk::None => false,
        PagerQuirk::Overstates(extra) => extra > 0,
        PagerQuirk::RepeatsFirst(declared) => declared > real,
    };
    let window_ends = listed
        .iter()
        .any(|i| !i.pinned && !i.undated && i.date < since);
    usize::from(declares_more && !window_ends && !matches!(col.layout, ListLayout::Hanweb { .. }))
}

/// Whether the column's list entries carry their dates.
fn list_shows_date(col: &SimColumn) -> bool {
    col.list_dates != ListDates::None && col.layout != ListLayout::Cards
}

/// List requests down to the page ending the window, and how many leading items of the
/// list those pages hold.
fn pages_to_window(col: &SimColumn, listed: &[&SimItem], since: NaiveDate) -> (usize, usize) {
    let boundary = listed
        .iter()
        .position(|i| !i.pinned && !i.undated && i.date < since);
    let per_request = match col.layout {
        ListLayout::Hanweb { per_page } => per_page.max(1) * HANWEB_GROUP,
        _ => PAGE_SIZE,
    };
    let all = listed.len().div_ceil(per_request).max(1);
    let pages = match boundary {
        Some(i) => (i / per_request + 1).min(all),
        None => all,
    };
    (pages, (pages * per_request).min(listed.len()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::SimConfig;

    #[test]
    fn a_lying_or_repeating_pager_walked_past_its_end_costs_one_more_list_request() {
        let as_of = NaiveDate::from_ymd_opt(2023, 3, 15).unwrap();
        let since = NaiveDate::from_ymd_opt(2023, 1, 1).unwrap();
        let mut district = District::generate(&SimConfig::new(as_of));
        let quirky: Vec<(usize, usize)> = district
            .sites
            .iter()
            .enumerate()
            .flat_map(|(s, site)| {
                site.columns
                    .iter()
                    .enumerate()
                    .filter(|(_, c)| c.pager_quirk != PagerQuirk::None)
                    .map(move |(c, _)| (s, c))
            })
            .collect();
        assert!(!quirky.is_empty());
        let with_quirks = district.minimum_requests(as_of, since).list_pages;
        for (s, c) in &quirky {
            district.sites[*s].columns[*c].pager_quirk = PagerQuirk::None;
        }
        let honest = district.minimum_requests(as_of, since).list_pages;
        // Each quirky column of the simulated district is young (every item inside the
        // window), so its walk goes past the last real page.
        assert_eq!(with_quirks, honest + quirky.len());
    }
}
