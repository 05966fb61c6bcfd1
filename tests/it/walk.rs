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

/// Every cadence finding about `col` names one of the weeks its `weekly` lists: nothing is
/// judged for a week the walk did not see wholly.
pub fn cadence_only_on_weeks_seen(s: &SiteReport, col: &govscore::report::model::ColumnReport) {
    let seen: Vec<&str> = col.weekly.iter().map(|w| w.week_start.as_str()).collect();
    for f in s
        .findings
        .iter()
        .filter(|f| f.kind == "cadence" && f.column.as_deref() == Some(col.name.as_str()))
    {
        assert!(
            seen.iter().any(|w| f.message.contains(w)),
            "{} {}: a finding about a week not seen wholly: {}",
            s.id,
            col.name,
            f.message
        );
    }
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
    // After a full page 1, a 404 is a failure (not the end of the list).
    assert!(second.stats.failed >= 1, "{:?}", second.stats);
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
    cadence_only_on_weeks_seen(s, col);
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
            cadence_only_on_weeks_seen(s, col);
        }
    }
    assert!(
        cut >= 10,
        "most 最新动态 need more than one page in a quarter: {cut}"
    );
    server.shutdown().await;
}

/// A list paged by a script whose page URL cannot be derived is read in part, with the
/// reason; a 年报 column linked only from the 信息公开 page is found and walked.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_underivable_script_pager_makes_the_column_partial_and_the_info_page_report_column_is_found()
 {
    use axum::Router;
    use axum::response::Html;
    use axum::routing::get;
    // 20 items, three a week from 2023-03-28 back, newest first.
    let items: String = (0..20i64)
        .map(|i| {
            let day = d("2023-03-28") - chrono::Days::new((i * 7 / 3) as u64);
            format!(
                "<li><a href=\"./t{}_{i}.html\" title=\"第{i}条工作动态标题文字\">第{i}条工作动态标题文字</a><span>{day}</span></li>",
                day.format("%Y%m%d")
            )
        })
        .collect();
    let news = format!(
        "<html><body><ul class=\"list\">{items}</ul><div class=\"page\">共9页 <a href=\"javascript:turnPage(2)\">下一页</a></div>\
         <script>function turnPage(p) {{ $('#list').load('/api/list', {{page: p}}); }}</script></body></html>"
    );
    let home = "<html><body><div class=\"nav\"><a href=\"/zxdt/\">最新动态</a><a href=\"/xxgk/\">信息公开</a></div><p>2023-03-28</p></body></html>";
    let info = "<html><body><div class=\"nav\"><a href=\"/xxgk/zcwj/\">政策文件</a><a href=\"/xxgk/nb/\">政府信息公开年报</a></div></body></html>";
    let reports = "<html><body><ul class=\"list\"><li><a href=\"./t20230120_1.html\" title=\"云溪区统计局2022年政府信息公开工作年度报告\">云溪区统计局2022年政府信息公开工作年度报告</a><span>2023-01-20</span></li></ul></body></html>";
    let app = Router::new()
        .route("/", get(move || async move { Html(home) }))
        .route("/zxdt/", get(move || async move { Html(news) }))
        .route("/xxgk/", get(move || async move { Html(info) }))
        .route("/xxgk/nb/", get(move || async move { Html(reports) }));
    let addr = crate::support::serve(app).await;
    let tmp = tempfile::tempdir().unwrap();
    let yaml = format!(
        "district: 云溪区\nsites:\n  - id: x\n    name: 云溪区统计局\n    role: department\n    url: http://{addr}/\ncrawl:\n  delay_ms: 0\n  respect_robots: false\n  retries: 0\n"
    );
    let settings = govscore::config::load_str(&yaml, "c.yaml", tmp.path()).unwrap();
    let as_of = d("2023-03-29");
    let outcome = pipeline::run(
        &settings,
        RunOptions {
            since: Some(d("2023-01-01")),
            out: Some(tmp.path().join("r")),
            db: Some(tmp.path().join("db")),
            observed_on: Some(as_of),
            ..RunOptions::new(as_of)
        },
    )
    .await
    .unwrap();
    let s = &outcome.report.sites[0];
    assert_eq!(s.status, "partial", "{:?}", s.status_reason);
    let col = s.columns.iter().find(|c| c.name == "最新动态").unwrap();
    assert!(col.assessable);
    assert_eq!(col.items_total, 20);
    assert!(
        col.reason
            .as_deref()
            .unwrap_or("")
            .contains("无法推导下一页地址"),
        "{:?}",
        col.reason
    );
    // Page 1 runs from 2023-03-28 back to 2023-02-12 (a Sunday): the weeks from 2023-02-13
    // to 2023-03-20 (the last one ending by as_of) are wholly seen, three items each.
    let weeks: Vec<(&str, u32)> = col
        .weekly
        .iter()
        .map(|w| (w.week_start.as_str(), w.count))
        .collect();
    assert_eq!(
        weeks,
        [
            ("2023-02-13", 3),
            ("2023-02-20", 3),
            ("2023-02-27", 3),
            ("2023-03-06", 3),
            ("2023-03-13", 3),
            ("2023-03-20", 3),
        ]
    );
    cadence_only_on_weeks_seen(s, col);
    // The 年报 column reached only from 信息公开.
    let nb = s
        .columns
        .iter()
        .find(|c| c.class == "annual_report")
        .expect("the 信息公开 page's 年报 column");
    assert_eq!(
        nb.url.as_deref(),
        Some(format!("http://{addr}/xxgk/nb/").as_str())
    );
    assert_eq!(nb.items_total, 1);
}

/// Sites are walked with hosts taking turns, not in the configured order (issue 16): a
/// district lists most of its sites on one host, and walks started in that order would all
/// wait on that host's politeness limit while the other hosts stayed idle. With one walk at
/// a time, the walk order is the order the sites are first stored in.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sites_are_walked_with_hosts_taking_turns() {
    let tmp = tempfile::tempdir().unwrap();
    let as_of = d("2023-03-15");
    let (_server, mut settings) = sim_and_settings(as_of, tmp.path()).await;
    settings.crawl.global_concurrency = 1;
    let db = tmp.path().join("db.sqlite");
    pipeline::run(
        &settings,
        RunOptions {
            out: Some(tmp.path().join("out")),
            db: Some(db.clone()),
            observed_on: Some(as_of),
            ..RunOptions::new(as_of)
        },
    )
    .await
    .expect("run completes");
    let host_of: std::collections::HashMap<String, String> = settings
        .sites
        .iter()
        .map(|s| {
            let host = format!("{}:{:?}", s.url.host_str().unwrap(), s.url.port());
            (s.id.clone(), host)
        })
        .collect();
    let hosts: std::collections::HashSet<&String> = host_of.values().collect();
    assert!(hosts.len() >= 3, "the simulated district has several hosts");
    let first_of = |ids: &[String]| -> std::collections::HashSet<String> {
        ids.iter()
            .take(hosts.len())
            .map(|id| host_of[id].clone())
            .collect()
    };
    let configured: Vec<String> = settings.sites.iter().map(|s| s.id.clone()).collect();
    assert!(
        first_of(&configured).len() < hosts.len(),
        "the configured order starts with several sites of one host"
    );
    let conn = rusqlite::Connection::open(&db).unwrap();
    let walked: Vec<String> = conn
        .prepare("SELECT id FROM sites ORDER BY rowid")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(walked.len(), configured.len(), "every site walked once");
    assert_eq!(
        first_of(&walked).len(),
        hosts.len(),
        "the first walks are one per host: {walked:?}"
    );
}
