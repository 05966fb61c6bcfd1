//! Sites that cannot be seen are reported as not assessable with their reason — never as
//! "not updated": no cadence, blank-column, freshness or annual-report deductions.

use crate::support::{d, sim_and_settings};
use govscore::pipeline::{self, RunOptions};
use govscore::sim::SiteBehavior;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn walled_and_timing_out_subsites_are_not_assessable_and_cost_nothing() {
    let as_of = d("2023-03-15");
    let tmp = tempfile::tempdir().unwrap();
    let (server, mut settings) = sim_and_settings(as_of, tmp.path()).await;
    settings.crawl.timeout_s = 1;
    settings.crawl.retries = 1;
    let ids: Vec<String> = server
        .district()
        .sites
        .iter()
        .filter(|s| s.id != "portal")
        .map(|s| s.id.clone())
        .collect();
    let (jsl, ruishu, slow, wzws, throttled) = (&ids[0], &ids[1], &ids[2], &ids[3], &ids[4]);
    server.set_behavior(jsl, SiteBehavior::Wall521);
    server.set_behavior(ruishu, SiteBehavior::Wall412);
    server.set_behavior(slow, SiteBehavior::Timeout);
    server.set_behavior(wzws, SiteBehavior::Wzws);
    server.set_behavior(throttled, SiteBehavior::Throttle503);
    let requests_before = server.request_count();
    let outcome = pipeline::run(
        &settings,
        crate::support::run_opts(tmp.path(), "r", "db", as_of),
    )
    .await
    .unwrap();
    assert_eq!(outcome.exit_code(), 2, "some site is not ok");
    let site = |id: &str| outcome.report.sites.iter().find(|s| s.id == id).unwrap();
    for (id, status, reason) in [
        (jsl, "blocked", "521"),
        (ruishu, "blocked", "412"),
        (slow, "unreachable", "超时"),
        (wzws, "blocked", "wzws"),
        // 503 with a Retry-After (120 s) longer than govscore waits: given up at once.
        (throttled, "unreachable", "503"),
    ] {
        let s = site(id);
        assert_eq!(s.status, status, "{id}");
        let r = s.status_reason.as_deref().unwrap_or("");
        assert!(
            r.contains(reason),
            "{id}: reason {r:?} should name {reason}"
        );
        assert_eq!(s.score, None);
        assert_eq!(s.grade, None);
        assert_eq!(s.rank, None);
        assert!(s.findings.is_empty(), "{id}: {:?}", s.findings);
        assert!(s.vetoes.is_empty());
    }
    // A wall is recognised on the first response and not retried: one blocked outcome per
    // walled site.
    assert_eq!(outcome.stats.blocked, 3);
    assert!(server.request_count() > requests_before);
    let md = std::fs::read_to_string(tmp.path().join("r/report.md")).unwrap();
    assert!(md.contains("无法检测的网站"));
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_column_behind_a_wall_or_timing_out_on_page_2_makes_the_site_partial_without_deductions_for_it()
 {
    use govscore::model::ColumnClass;
    use govscore::sim::ColumnBehavior;
    let as_of = d("2023-03-15");
    let tmp = tempfile::tempdir().unwrap();
    let (server, mut settings) = sim_and_settings(as_of, tmp.path()).await;
    settings.crawl.timeout_s = 1;
    settings.crawl.retries = 0;
    // A department whose 党务公开 would otherwise be counted, and one whose 最新动态 needs a
    // second page within the period.
    let depts: Vec<String> = server
        .district()
        .sites
        .iter()
        .filter(|s| s.role == govscore::model::Role::Department)
        .filter(|s| {
            s.column(ColumnClass::News)
                .is_some_and(|c| c.page_count(as_of) > 1)
        })
        .map(|s| s.id.clone())
        .collect();
    let (walled, slow) = (&depts[0], &depts[1]);
    server.set_column_behavior(walled, ColumnClass::Party, ColumnBehavior::Wall412);
    server.set_column_behavior(slow, ColumnClass::News, ColumnBehavior::TimeoutOnPage2);
    let outcome = pipeline::run(
        &settings,
        crate::support::run_opts(tmp.path(), "r", "db", as_of),
    )
    .await
    .unwrap();
    let site = |id: &str| outcome.report.sites.iter().find(|s| s.id == id).unwrap();
    for id in [walled, slow] {
        assert_eq!(site(id).status, "partial", "{id}");
        assert!(site(id).score.is_some(), "a partial site is still scored");
    }
    // The walled column could not be read at all: nothing judged, nothing deducted.
    let s = site(walled);
    let col = s.columns.iter().find(|c| c.class == "party").unwrap();
    assert!(!col.assessable);
    assert!(
        col.reason.as_deref().unwrap_or("").contains("412"),
        "{:?}",
        col.reason
    );
    assert!(
        col.weekly.is_empty(),
        "no weeks are judged for an unreadable column"
    );
    assert!(
        s.findings
            .iter()
            .all(|f| f.column.as_deref() != Some(col.name.as_str())),
        "{walled}: nothing deducted for the column that could not be seen: {:?}",
        s.findings
    );
    // The column whose page 2 timed out keeps what page 1 showed: the weeks it covers
    // wholly, counted exactly; the older weeks are left out, never deducted.
    let s = site(slow);
    let col = s.columns.iter().find(|c| c.class == "news").unwrap();
    assert!(col.assessable, "page 1 was read");
    assert!(
        col.reason.as_deref().unwrap_or("").contains("第2页"),
        "{:?}",
        col.reason
    );
    assert!(
        !col.weekly.is_empty() && col.weekly.len() < 10,
        "only the weeks page 1 covers: {:?}",
        col.weekly
    );
    let sim_col = server
        .district()
        .site(slow)
        .unwrap()
        .column(ColumnClass::News)
        .unwrap();
    let truth = sim_col.weekly_counts(as_of);
    for w in &col.weekly {
        let want = truth.get(&d(&w.week_start)).copied().unwrap_or(0) as u32;
        assert_eq!(w.count, want, "{slow} week {}", w.week_start);
    }
    crate::walk::cadence_only_on_weeks_seen(s, col);
    server.shutdown().await;
}

/// A TRS pager that declares more pages than exist: a 404 after a short page ends the list;
/// a 404 after a full page means part of the list could not be read (the column is partial).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_404_past_a_short_last_page_ends_the_list_but_after_a_full_page_makes_it_partial() {
    use axum::Router;
    use axum::response::Html;
    use axum::routing::get;
    fn page(n: usize, first: usize, pages_declared: usize, cur: usize) -> String {
        let items: String = (0..n)
            .map(|i| {
                let day = 28 - (first + i) % 28;
                format!(
                    "<li><a href=\"./202303/t202303{day:02}_{}.html\" title=\"第{}条工作动态标题文字\">第{}条工作动态标题文字</a><span>2023-03-{day:02}</span></li>",
                    first + i,
                    first + i,
                    first + i
                )
            })
            .collect();
        format!(
            "<html><body><ul class=\"list\">{items}</ul><script>createPageHTML({pages_declared}, {cur}, \"index\", \"html\");</script></body></html>"
        )
    }
    let home = "<html><body><div class=\"nav\"><a href=\"/short/\">最新动态</a><a href=\"/full/\">工作动态</a></div><p>2023-03-14</p></body></html>";
    let app = Router::new()
        .route("/", get(move || async move { Html(home) }))
        .route("/short/", get(|| async { Html(page(20, 0, 4, 0)) }))
        .route(
            "/short/index_1.html",
            get(|| async { Html(page(5, 20, 4, 1)) }),
        )
        .route("/full/", get(|| async { Html(page(20, 100, 4, 0)) }))
        .route(
            "/full/index_1.html",
            get(|| async { Html(page(20, 120, 4, 1)) }),
        );
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
            since: Some(d("2023-02-01")),
            out: Some(tmp.path().join("r")),
            db: Some(tmp.path().join("db")),
            observed_on: Some(as_of),
            ..RunOptions::new(as_of)
        },
    )
    .await
    .unwrap();
    let site = &outcome.report.sites[0];
    let short = site.columns.iter().find(|c| c.name == "最新动态").unwrap();
    assert!(short.assessable, "{:?}", short.reason);
    assert_eq!(short.items_total, 25);
    let full = site.columns.iter().find(|c| c.name == "工作动态").unwrap();
    assert!(full.assessable, "page 1 was read");
    assert_eq!(full.items_total, 40);
    // Its two pages run 03-12 … 03-01 then 03-28 … 03-21 (out of order): nothing below
    // the newest date read is known to be complete, so no week is judged.
    assert!(full.weekly.is_empty(), "{:?}", full.weekly);
    assert!(
        full.reason.as_deref().unwrap_or("").contains("404"),
        "{:?}",
        full.reason
    );
    assert_eq!(site.status, "partial");
}
