//! List shapes that decide how far a column walk must go (issue 10 items 3, 4, 7, 10),
//! given to a few TRS departments of the standard district after it is generated:
//!
//! - [`WalkShape::UnmarkedPin`]: an item from months ago pinned to the top of 最新动态
//!   without any 置顶 mark (the list looks unsorted on page one);
//! - [`WalkShape::Unsorted`]: a 最新动态 list out of date order — an item from months ago
//!   sits in the middle of page one;
//! - [`WalkShape::GotoPager`]: 最新动态 paged only by a script pager, a `<select>` plus
//!   `javascript:gotoCurrentPage('1')` links (0-based page numbers, `index_{k}.html`);
//! - [`WalkShape::Countdown`]: 最新动态 paged by a countdown pager (`var purl`,
//!   `maxPageNum = N`; page two is `index_{N-1}.html`, the last page `index_1.html`); with
//!   [`super::ColumnBehavior::NotFoundFromPage2`] its later pages fail;
//! - [`WalkShape::ReportOnPage2`]: the 政府信息公开年报 column holds more than a page of
//!   later documents (政务公开工作要点 and the like, all before the quarter), so the
//!   latest report is on page two (only when `as_of` leaves room for them).
//!
//! Items keep their dates: the ground truth (`visible_items`, `weekly_counts`,
//! `last_update`) is unchanged; only list order, marks and pagers change.

use super::{District, ListLayout, PAGE_SIZE, PagerQuirk, SimColumn, SimItem, WalkShape};
use crate::model::{ColumnClass, Role};
use chrono::{Datelike, Days, NaiveDate, NaiveTime};

/// Days before `as_of` an "old" item lies: before the start of any quarter containing
/// `as_of` (a quarter has at most 92 days).
const OLD_DAYS: u64 = 100;

/// Documents added before the report in the [`WalkShape::ReportOnPage2`] column: more
/// than one list page.
const REPORT_FILLERS: usize = PAGE_SIZE + 2;

/// Gives the shapes to the last suitable departments (so the first ones, used by the demo
/// and by tests for other purposes, keep their layout).
pub(super) fn apply(district: &mut District) {
    let as_of = district.as_of;
    let mut next_doc = district
        .sites
        .iter()
        .flat_map(|s| s.columns.iter().flat_map(|c| c.items.iter()))
        .map(|i| i.doc_id)
        .max()
        .unwrap_or(0)
        + 1;
    let candidates: Vec<usize> = (0..district.sites.len())
        .rev()
        .filter(|&s| suitable(district, s, as_of))
        .collect();
    let shapes = [
        WalkShape::UnmarkedPin,
        WalkShape::Unsorted,
        WalkShape::GotoPager,
        WalkShape::Countdown,
    ];
    for (shape, &s) in shapes.iter().zip(&candidates) {
        let site = &mut district.sites[s];
        let Some(col) = site
            .columns
            .iter_mut()
            .find(|c| c.class == ColumnClass::News)
        else {
            continue;
        };
        let old = as_of - Days::new(OLD_DAYS);
        match shape {
            WalkShape::UnmarkedPin => {
                // The newest old item goes to the top, pinned (it still counts).
                if let Some(k) = col.items.iter().position(|i| i.date <= old && !i.undated) {
                    let mut item = col.items.remove(k);
                    item.pinned = true;
                    col.items.insert(0, item);
                }
            }
            WalkShape::Unsorted => {
                if let Some(k) = col.items.iter().position(|i| i.date <= old && !i.undated) {
                    let item = col.items.remove(k);
                    col.items.insert(5.min(col.items.len()), item);
                }
            }
            _ => {}
        }
        col.walk_shape = *shape;
    }
    // The report shape goes to the next department that has last year's report.
    for &s in candidates.iter().skip(shapes.len()) {
        let site = &mut district.sites[s];
        let name = site.name.clone();
        let Some(col) = site
            .columns
            .iter_mut()
            .find(|c| c.class == ColumnClass::AnnualReport)
        else {
            continue;
        };
        if report_on_page_two(col, &name, as_of, &mut next_doc) {
            break;
        }
    }
}

/// A TRS department with a plain 最新动态 of at least three pages and a 年报 column.
fn suitable(district: &District, s: usize, as_of: NaiveDate) -> bool {
    let site = &district.sites[s];
    site.role == Role::Department
        && site.cms == super::Cms::Trs
        && !site.charset_gbk
        && site.columns.iter().all(|c| {
            c.pager_quirk == PagerQuirk::None
                && c.short_weeks.is_empty()
                && c.items.iter().all(|i| !i.undated && !i.is_offsite())
        })
        && site.column(ColumnClass::AnnualReport).is_some()
        && site.column(ColumnClass::News).is_some_and(|c| {
            c.layout == ListLayout::TrsList
                && c.page_count(as_of) >= 3
                && c.items.iter().all(|i| !i.pinned)
        })
}

/// Adds [`REPORT_FILLERS`] documents published after the latest report and before the
/// quarter, so the report moves to page two. False (nothing done) when the column has no
/// report for last year or `as_of` leaves no room.
fn report_on_page_two(
    col: &mut SimColumn,
    unit: &str,
    as_of: NaiveDate,
    next_doc: &mut u64,
) -> bool {
    let latest = as_of.year() - 1;
    let Some(report) = col
        .items
        .iter()
        .filter(|i| i.title.contains(&format!("{latest}年")))
        .map(|i| i.date)
        .max()
    else {
        return false;
    };
    let last = as_of - Days::new(OLD_DAYS);
    let span = (last - report).num_days();
    if span < REPORT_FILLERS as i64 {
        return false;
    }
    let dir = col.dir().to_string();
    for n in 0..REPORT_FILLERS {
        let offset = 1 + span * n as i64 / REPORT_FILLERS as i64;
        let date = report + Days::new(offset as u64);
        let doc_id = *next_doc;
        *next_doc += 1;
        col.items.push(SimItem {
            title: format!(
                "{unit}{}年政务公开工作要点落实情况（第{}期）",
                as_of.year(),
                n + 1
            ),
            path: format!(
                "{dir}{}/t{}_{doc_id}.html",
                date.format("%Y%m"),
                date.format("%Y%m%d")
            ),
            date,
            time: NaiveTime::from_hms_opt(10, 0, 0).unwrap_or_default(),
            visible_from: date,
            pinned: false,
            doc_id,
            undated: false,
        });
    }
    col.items.sort_by(|a, b| {
        b.pinned
            .cmp(&a.pinned)
            .then(b.date.cmp(&a.date))
            .then(b.doc_id.cmp(&a.doc_id))
    });
    col.walk_shape = WalkShape::ReportOnPage2;
    true
}
