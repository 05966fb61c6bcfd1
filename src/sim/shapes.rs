//! Shapes of real list pages given to the standard district after generation (issue 10):
//! - the Fujian province 集约化 template (`<dl><dd>` rows, `../shared/realworld/pingtan`) on
//!   every list column of one unit;
//! - a 政府信息公开年报 column listing a single report with no date in the list (its article
//!   carries the date): read as one entry, never blank, its report on time.
//!
//! Each goes to a fixed unit picked from the plain TRS units without the generator's random
//! numbers, so every other site stays exactly as generated. (A script-rendered list is a
//! run-time column behaviour, [`super::ColumnBehavior::ScriptRendered`], as the walls are:
//! it makes its site partial.)

use super::{District, ListDates, ListLayout, SimSite};
use crate::model::ColumnClass;

/// Gives the district its real-site shapes (a district too small for them keeps none).
pub(super) fn apply(d: &mut District) {
    let plain: Vec<usize> = d
        .sites
        .iter()
        .enumerate()
        .filter(|(_, s)| plain_trs_unit(s))
        .map(|(i, _)| i)
        .collect();
    let [.., single, dl] = plain[..] else {
        return;
    };
    let as_of = d.as_of;

    for c in d.sites[dl]
        .columns
        .iter_mut()
        .filter(|c| c.layout == ListLayout::TrsList)
    {
        c.layout = ListLayout::DlRows;
    }

    if let Some(c) = d.sites[single]
        .columns
        .iter_mut()
        .find(|c| c.class == ColumnClass::AnnualReport)
        && let Some(keep) = c.items.iter().position(|i| i.visible_from <= as_of)
    {
        let report = c.items.swap_remove(keep);
        c.items = vec![report];
        c.list_dates = ListDates::None;
    }
}

/// A 部门/乡镇 on the shared host with the plain TRS list template and no deliberate flaw:
/// every list is `TrsList` with full dates, nothing pinned or off-site, no missed week, a
/// 党务公开 with entries and at least two annual reports.
fn plain_trs_unit(s: &SimSite) -> bool {
    let lists = s
        .columns
        .iter()
        .filter(|c| !matches!(c.layout, ListLayout::SinglePage | ListLayout::Cards));
    s.role != crate::model::Role::Portal
        && s.cms == super::Cms::Trs
        && s.host == 0
        && !s.charset_gbk
        && s.meta_flaws.is_empty()
        && !s.annual_inconsistent
        && lists.clone().all(|c| {
            c.layout == ListLayout::TrsList
                && c.list_dates == ListDates::Iso
                && c.short_weeks.is_empty()
                && c.pager_quirk == super::PagerQuirk::None
                && c.items
                    .iter()
                    .all(|i| !i.pinned && !i.is_offsite() && !i.undated)
        })
        && lists
            .clone()
            .any(|c| c.class == ColumnClass::Party && !c.items.is_empty())
        && lists
            .clone()
            .any(|c| c.class == ColumnClass::AnnualReport && c.items.len() >= 2)
}

#[cfg(test)]
mod tests {
    use super::super::{ColumnBehavior, District, ListDates, ListLayout, SimConfig, SimServer};
    use crate::extract::lists::{ListReading, read_list};
    use crate::model::ColumnClass;
    use chrono::NaiveDate;

    fn as_of() -> NaiveDate {
        NaiveDate::from_ymd_opt(2023, 3, 15).expect("valid date")
    }

    /// (the `<dl>` unit, the single-report unit) of the standard district.
    fn shaped(d: &District) -> (String, String) {
        let dl: Vec<&str> = d
            .sites
            .iter()
            .filter(|s| s.columns.iter().any(|c| c.layout == ListLayout::DlRows))
            .map(|s| s.id.as_str())
            .collect();
        let single: Vec<&str> = d
            .sites
            .iter()
            .filter(|s| {
                s.columns.iter().any(|c| {
                    c.class == ColumnClass::AnnualReport
                        && c.layout == ListLayout::TrsList
                        && c.list_dates == ListDates::None
                })
            })
            .map(|s| s.id.as_str())
            .collect();
        assert_eq!((dl.len(), single.len()), (1, 1), "{dl:?} {single:?}");
        assert_ne!(dl[0], single[0]);
        (dl[0].to_string(), single[0].to_string())
    }

    #[test]
    fn the_standard_district_has_one_dl_unit_and_one_single_undated_report_column() {
        let d = District::generate(&SimConfig::new(as_of()));
        let (dl, single) = shaped(&d);
        let dl = d.site(&dl).expect("dl unit");
        // Every list of the unit is on the template, none left on the plain TRS one.
        assert!(
            dl.columns
                .iter()
                .all(|c| !matches!(c.layout, ListLayout::TrsList))
        );
        let single = d.site(&single).expect("single unit");
        let annual = single
            .columns
            .iter()
            .find(|c| c.class == ColumnClass::AnnualReport)
            .expect("annual column");
        assert_eq!(annual.items.len(), 1);
        assert!(!annual.items[0].undated, "its article carries the date");
        // The same seed gives the same shapes; a district too small for them has none.
        let again = District::generate(&SimConfig::new(as_of()));
        assert_eq!(shaped(&again), shaped(&d));
        let mut small = SimConfig::new(as_of());
        small.subsites = 3;
        let small = District::generate(&small);
        assert!(
            small
                .sites
                .iter()
                .all(|s| { s.columns.iter().all(|c| c.layout != ListLayout::DlRows) })
        );
    }

    /// The standard district served on loopback, a copy of it, and its two shaped units.
    async fn start() -> (SimServer, District, String, String) {
        let d = District::generate(&SimConfig::new(as_of()));
        let (dl, single) = shaped(&d);
        let srv = SimServer::start(d, ([127, 0, 0, 1], 0).into())
            .await
            .expect("server");
        let district = srv.district().clone();
        (srv, district, dl, single)
    }

    /// A unit's column of a class.
    fn column(d: &District, site: &str, class: ColumnClass) -> super::super::SimColumn {
        d.site(site)
            .and_then(|s| s.columns.iter().find(|c| c.class == class))
            .cloned()
            .unwrap_or_else(|| panic!("{site} has a {class:?} column"))
    }

    async fn page(srv: &SimServer, site: &str, path: &str) -> (url::Url, String) {
        let url = srv.url_for(site, path).expect("url");
        let client = reqwest::Client::builder()
            .no_proxy()
            .build()
            .expect("client");
        let body = client
            .get(url.clone())
            .send()
            .await
            .expect("request")
            .text()
            .await
            .expect("body");
        (url, body)
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn served_shapes_read_as_their_entries_or_as_unreadable() {
        let (srv, district, dl, single) = start().await;
        // The `<dl>` lists: every entry with its date, in order.
        for c in district.site(&dl).expect("dl").columns.iter() {
            if c.layout != ListLayout::DlRows {
                continue;
            }
            let (url, body) = page(&srv, &dl, &c.path).await;
            assert!(body.contains("<dl>") && body.contains("<dd"), "{url}");
            let got: Vec<Option<NaiveDate>> = read_list(&body, &url, Some(as_of()))
                .items
                .iter()
                .map(|i| i.date)
                .collect();
            let want: Vec<Option<NaiveDate>> = c
                .listed_items(as_of())
                .iter()
                .take(super::super::PAGE_SIZE)
                .map(|i| Some(i.date))
                .collect();
            assert_eq!(got, want, "{url}");
        }
        // The single report: one undated entry.
        let annual = column(&district, &single, ColumnClass::AnnualReport);
        let (url, body) = page(&srv, &single, &annual.path).await;
        let list = read_list(&body, &url, Some(as_of()));
        assert_eq!(list.reading, ListReading::Read);
        assert_eq!(list.items.len(), 1, "{url}");
        assert_eq!(list.items[0].title, annual.items[0].title);
        assert_eq!(list.items[0].date, None);
        // A script-rendered list: no entry in the source, and it says so.
        let notice = column(&district, &dl, ColumnClass::Notice);
        srv.set_column_behavior(&dl, ColumnClass::Notice, ColumnBehavior::ScriptRendered);
        let (url, body) = page(&srv, &dl, &notice.path).await;
        let list = read_list(&body, &url, Some(as_of()));
        assert!(list.items.is_empty(), "{url}");
        assert!(
            matches!(list.reading, ListReading::Unreadable(_)),
            "{url}: {:?}",
            list.reading
        );
        srv.shutdown().await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn govscore_reports_the_shapes_with_no_false_blank_stale_or_veto() {
        let (srv, district, dl, single) = start().await;
        let scripted = district
            .sites
            .iter()
            .find(|s| s.role == crate::model::Role::Department && s.id != dl && s.id != single)
            .expect("another department")
            .id
            .clone();
        srv.set_column_behavior(
            &scripted,
            ColumnClass::Notice,
            ColumnBehavior::ScriptRendered,
        );
        let tmp = tempfile::tempdir().expect("tempdir");
        let settings = crate::config::load_str(&srv.config_yaml(), "sim.yaml", tmp.path())
            .expect("sim config");
        let opts = crate::pipeline::RunOptions {
            db: Some(tmp.path().join("db")),
            observed_on: Some(as_of()),
            write_reports: false,
            ..crate::pipeline::RunOptions::new(as_of())
        };
        let report = crate::pipeline::run(&settings, opts)
            .await
            .expect("run")
            .report;
        srv.shutdown().await;
        let site = |id: &str| {
            report
                .sites
                .iter()
                .find(|s| s.id == id)
                .unwrap_or_else(|| panic!("{id} reported"))
        };
        for id in [&dl, &single, &scripted] {
            let s = site(id);
            assert!(s.vetoes.is_empty(), "{id}: {:?}", s.vetoes);
            assert!(
                s.findings.iter().all(|f| f.kind != "blank_column"),
                "{id}: {:?}",
                s.findings
            );
        }
        // The `<dl>` unit: every list read, each count the simulator's.
        let s = site(&dl);
        assert_eq!(s.status, "ok", "{:?}", s.status_reason);
        let sim = district.site(&dl).expect("dl");
        for c in sim
            .columns
            .iter()
            .filter(|c| c.layout == ListLayout::DlRows)
        {
            let col = s
                .columns
                .iter()
                .find(|r| r.class == c.class.as_str())
                .expect("column reported");
            assert!(col.assessable, "{}", c.name);
            let want = c.last_update(as_of()).map(|d| d.to_string());
            assert_eq!(col.last_update, want, "{}", c.name);
        }
        // The single undated report: one item dated from its article, the report found.
        let s = site(&single);
        assert_eq!(s.status, "ok", "{:?}", s.status_reason);
        let annual = column(&district, &single, ColumnClass::AnnualReport);
        let col = s
            .columns
            .iter()
            .find(|c| c.class == "annual_report")
            .expect("annual column reported");
        assert!(col.assessable);
        assert_eq!(col.items_total, 1);
        assert_eq!(
            col.last_update,
            Some(annual.items[0].date.to_string()),
            "dated from its article"
        );
        let status = s
            .annual_report
            .as_ref()
            .and_then(|a| a.get("status"))
            .and_then(|v| v.as_str())
            .unwrap_or_default()
            .to_string();
        assert!(
            status == "on_time" || status == "late",
            "{}: report {:?} → {status}",
            single,
            annual.items[0].title
        );
        // The script-rendered 通知公告: 无法读取 with its reason, nothing deducted for it.
        let s = site(&scripted);
        assert_eq!(s.status, "partial");
        let col = s
            .columns
            .iter()
            .find(|c| c.class == "notice")
            .expect("notice reported");
        assert!(!col.assessable);
        assert!(
            col.reason
                .as_deref()
                .is_some_and(|r| r.contains("无法读取")),
            "{:?}",
            col.reason
        );
        assert!(col.weekly.is_empty());
        assert!(
            s.findings
                .iter()
                .filter(|f| f.severity == "deduct" || f.severity == "veto")
                .all(|f| !f.message.contains(&col.name)),
            "{:?}",
            s.findings
        );
    }
}
