//! Column walks against the simulator's walk shapes (issue 10 items 3, 4, 7, 9, 10): an old
//! item pinned without a mark, a list out of date order, a `gotoCurrentPage` script pager
//! and a countdown pager are walked to the period start; a countdown pager whose page 2
//! fails leaves the column partial with only its wholly seen weeks judged; a report on
//! page 2 of its column is found; an unchanged home page still has every column asked.

use crate::support::{d, sim_and_settings};
use govscore::model::ColumnClass;
use govscore::pipeline::{self, RunOptions};
use govscore::report::model::SiteReport;
use govscore::sim::{ColumnBehavior, SimColumn, SimServer, WalkShape};

fn shaped(server: &SimServer, shape: WalkShape) -> (String, SimColumn) {
    server
        .district()
        .sites
        .iter()
        .flat_map(|s| s.columns.iter().map(move |c| (s, c)))
        .find(|(_, c)| c.walk_shape == shape)
        .map(|(s, c)| (s.id.clone(), c.clone()))
        .unwrap_or_else(|| panic!("the district has a column shaped {shape:?}"))
}

fn site<'r>(report: &'r govscore::report::model::Report, id: &str) -> &'r SiteReport {
    report.sites.iter().find(|s| s.id == id).unwrap()
}

/// Every week of `col` in the report equals the simulator's count for it.
fn weeks_match(
    server: &SimServer,
    id: &str,
    sim_col: &SimColumn,
    s: &SiteReport,
    as_of: chrono::NaiveDate,
) {
    let url = server.url_for(id, &sim_col.path).unwrap().to_string();
    let col = s
        .columns
        .iter()
        .find(|c| c.url.as_deref() == Some(url.as_str()))
        .unwrap_or_else(|| panic!("{id}: column {url} found"));
    let truth = sim_col.weekly_counts(as_of);
    for w in &col.weekly {
        let want = truth.get(&d(&w.week_start)).copied().unwrap_or(0) as u32;
        assert_eq!(w.count, want, "{id} {} week {}", col.name, w.week_start);
    }
    let last = sim_col.last_update(as_of).map(|x| x.to_string());
    assert_eq!(col.last_update, last, "{id} {}", col.name);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn walk_shapes_are_walked_to_the_period_start_and_a_failed_page_two_judges_only_seen_weeks() {
    let as_of = d("2023-11-20");
    let since = d("2023-07-01");
    let tmp = tempfile::tempdir().unwrap();
    let (server, settings) = sim_and_settings(as_of, tmp.path()).await;
    let opts = |name: &str| RunOptions {
        since: Some(since),
        out: Some(tmp.path().join(name)),
        db: Some(tmp.path().join(format!("{name}.db"))),
        observed_on: Some(as_of),
        ..RunOptions::new(as_of)
    };
    let first = pipeline::run(&settings, opts("r1")).await.unwrap();
    // Weeks wholly inside 2023-07-01 … 2023-11-20: 2023-07-03 … 2023-11-13.
    let all_weeks = 20;
    for shape in [
        WalkShape::UnmarkedPin,
        WalkShape::Unsorted,
        WalkShape::GotoPager,
        WalkShape::Countdown,
    ] {
        let (id, sim_col) = shaped(&server, shape);
        let s = site(&first.report, &id);
        assert_eq!(s.status, "ok", "{shape:?} {id}: {:?}", s.status_reason);
        assert!(s.vetoes.is_empty(), "{shape:?} {id}: {:?}", s.vetoes);
        let col = s.columns.iter().find(|c| c.class == "news").unwrap();
        assert!(
            col.assessable && col.reason.is_none(),
            "{shape:?}: {:?}",
            col.reason
        );
        assert_eq!(col.weekly.len(), all_weeks, "{shape:?} {id}");
        weeks_match(&server, &id, &sim_col, s, as_of);
        // The list holds more than the period: the walk went past page 1.
        assert!(sim_col.page_count(as_of) >= 3);
    }
    // The report on page 2 of its column is found.
    let (id, reports) = shaped(&server, WalkShape::ReportOnPage2);
    let report = reports
        .listed_items(as_of)
        .into_iter()
        .find(|i| i.title.contains("2022年政府信息公开工作年度报告"))
        .unwrap()
        .clone();
    let annual = site(&first.report, &id).annual_report.clone().unwrap();
    assert_eq!(
        annual["url"].as_str(),
        Some(server.url_for(&id, &report.path).unwrap().as_str()),
        "{id}: {annual}"
    );
    assert_ne!(annual["status"].as_str(), Some("missing"), "{id}: {annual}");

    // The countdown pager's page 2 fails: what page 1 showed is still counted.
    let (id, down) = shaped(&server, WalkShape::Countdown);
    server.set_column_behavior(&id, ColumnClass::News, ColumnBehavior::NotFoundFromPage2);
    let second = pipeline::run(&settings, opts("r2")).await.unwrap();
    let s = site(&second.report, &id);
    assert_eq!(s.status, "partial");
    assert!(s.vetoes.is_empty(), "{:?}", s.vetoes);
    let col = s.columns.iter().find(|c| c.class == "news").unwrap();
    assert!(col.assessable);
    let reason = col.reason.as_deref().unwrap_or("");
    assert!(
        reason.contains("第2页") && reason.contains("404"),
        "{reason}"
    );
    assert!(
        !col.weekly.is_empty() && col.weekly.len() < all_weeks,
        "only the weeks page 1 covers wholly: {:?}",
        col.weekly
    );
    weeks_match(&server, &id, &down, s, as_of);
    // The weeks left out are the oldest: page 1 shows the newest items.
    assert_eq!(
        col.weekly.last().map(|w| w.week_start.as_str()),
        Some("2023-11-13")
    );
    let seen: Vec<&str> = col.weekly.iter().map(|w| w.week_start.as_str()).collect();
    for f in s
        .findings
        .iter()
        .filter(|f| f.kind == "cadence" && f.column.as_deref() == Some(col.name.as_str()))
    {
        assert!(
            seen.iter().any(|w| f.message.contains(w)),
            "a finding about a week page 1 did not cover: {}",
            f.message
        );
    }
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unchanged_home_page_still_has_every_column_asked_and_new_items_counted() {
    let day1 = d("2023-03-21");
    let day2 = d("2023-03-22");
    let mut district = govscore::sim::District::generate(&govscore::sim::SimConfig {
        subsites: 6,
        ..govscore::sim::SimConfig::new(day2)
    });
    // A site whose home page looks the same on both days (no boxed column publishes on
    // day 2), whose annual report appears only on day 2: the report column is not on
    // the home page.
    let (id, report_path) = district
        .sites
        .iter()
        .filter(|s| {
            s.columns
                .iter()
                .filter(|c| c.class != ColumnClass::AnnualReport)
                .all(|c| c.visible_items(day1) == c.visible_items(day2))
        })
        .find_map(|s| {
            let col = s.column(ColumnClass::AnnualReport)?;
            let report = col
                .visible_items(day2)
                .into_iter()
                .find(|i| i.title.contains("2022年政府信息公开工作年度报告"))?;
            Some((
                s.id.clone(),
                report.path.clone(),
                (day2 - report.date).num_days(),
            ))
        })
        .map(|(id, path, lag)| {
            let marked = district.mark_backdated(&id, ColumnClass::AnnualReport, lag as u32);
            assert_eq!(marked.as_deref(), Some(path.as_str()));
            (id, path)
        })
        .expect("a site quiet on day 2 with a 2022 report");
    let server = SimServer::start(district, ([127, 0, 0, 1], 0).into())
        .await
        .unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let settings = govscore::config::load_str(&server.config_yaml(), "c.yaml", tmp.path()).unwrap();
    let home = server.site_url(&id).unwrap();
    let fetch_home = || async {
        reqwest::Client::builder()
            .no_proxy()
            .build()
            .unwrap()
            .get(home.clone())
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap()
    };
    server.set_today(day1);
    let home1 = fetch_home().await;
    let first = pipeline::run(
        &settings,
        crate::support::run_opts(tmp.path(), "r1", "db", day1),
    )
    .await
    .unwrap();
    server.set_today(day2);
    assert_eq!(home1, fetch_home().await, "the home page did not change");
    let second = pipeline::run(
        &settings,
        crate::support::run_opts(tmp.path(), "r2", "db", day2),
    )
    .await
    .unwrap();
    assert!(second.stats.not_modified > 0);
    let annual_col = |r: &govscore::report::model::Report| {
        site(r, &id)
            .columns
            .iter()
            .find(|c| c.class == "annual_report")
            .map(|c| c.items_total)
            .unwrap()
    };
    assert_eq!(annual_col(&second.report), annual_col(&first.report) + 1);
    assert!(second.items_new >= 1);
    let annual = site(&second.report, &id).annual_report.clone().unwrap();
    assert_eq!(
        annual["url"].as_str(),
        Some(server.url_for(&id, &report_path).unwrap().as_str()),
        "{annual}"
    );
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_page_limit_leaves_columns_partial_and_judges_only_the_weeks_seen() {
    let as_of = d("2023-03-15");
    let tmp = tempfile::tempdir().unwrap();
    let (server, mut settings) = sim_and_settings(as_of, tmp.path()).await;
    settings.crawl.max_pages_per_column = 1;
    let outcome = pipeline::run(
        &settings,
        crate::support::run_opts(tmp.path(), "r", "db", as_of),
    )
    .await
    .unwrap();
    let mut cut = 0;
    for sim_site in &server.district().sites {
        let s = site(&outcome.report, &sim_site.id);
        for sim_col in sim_site
            .columns
            .iter()
            .filter(|c| c.class == ColumnClass::News)
        {
            let url = server
                .url_for(&sim_site.id, &sim_col.path)
                .unwrap()
                .to_string();
            let col = s
                .columns
                .iter()
                .find(|c| c.url.as_deref() == Some(url.as_str()))
                .unwrap();
            let limited = col
                .reason
                .as_deref()
                .is_some_and(|r| r.contains("翻页上限"));
            if !limited {
                continue;
            }
            cut += 1;
            assert!(col.assessable, "{} {}", s.id, col.name);
            assert_eq!(s.status, "partial", "{}", s.id);
            assert!(
                col.weekly.len() < 10,
                "{} {}: {:?}",
                s.id,
                col.name,
                col.weekly
            );
            weeks_match(&server, &sim_site.id, sim_col, s, as_of);
            let seen: Vec<&str> = col.weekly.iter().map(|w| w.week_start.as_str()).collect();
            for f in s
                .findings
                .iter()
                .filter(|f| f.kind == "cadence" && f.column.as_deref() == Some(col.name.as_str()))
            {
                assert!(
                    seen.iter().any(|w| f.message.contains(w)),
                    "{}: a finding about a week not seen: {}",
                    s.id,
                    f.message
                );
            }
        }
    }
    assert!(
        cut >= 10,
        "most 最新动态 need more than one page in a quarter: {cut}"
    );
    server.shutdown().await;
}
