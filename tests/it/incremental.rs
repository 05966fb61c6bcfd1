//! Incremental runs: conditional GETs and reuse of earlier walks make a second run over an
//! unchanged district cheap, without changing what it reports; a changed district is seen.

use crate::support::{d, sim_and_settings};
use govscore::pipeline::{self, RunOptions};
use std::collections::BTreeMap;

fn opts(dir: &std::path::Path, name: &str, as_of: chrono::NaiveDate) -> RunOptions {
    crate::support::run_opts(dir, name, "govscore.db", as_of)
}

/// The simulator's district as of `as_of` and a first run over it (database in `dir`).
async fn first_run(
    as_of: chrono::NaiveDate,
    dir: &std::path::Path,
) -> (
    govscore::sim::SimServer,
    govscore::config::Settings,
    pipeline::RunOutcome,
) {
    let (server, settings) = sim_and_settings(as_of, dir).await;
    let run = pipeline::run(&settings, opts(dir, "r1", as_of))
        .await
        .unwrap();
    (server, settings, run)
}

/// The requests of a run as the simulator logged them, `METHOD URL` → count.
fn asked(server: &govscore::sim::SimServer) -> BTreeMap<String, u32> {
    server.request_log().into_iter().collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rerun_over_an_unchanged_district_asks_only_each_home_and_first_list_page_once() {
    let (as_of, tmp) = (d("2023-03-15"), tempfile::tempdir().unwrap());
    let (server, settings, first) = first_run(as_of, tmp.path()).await;
    server.reset_request_log();
    let second = pipeline::run(&settings, opts(tmp.path(), "r2", as_of))
        .await
        .unwrap();
    println!(
        "first run: {} requests, {} pages parsed, {} new items; second run: {} requests ({} × 304), {} pages parsed, {} new, {} known",
        first.stats.requests,
        first.pages_parsed,
        first.items_new,
        second.stats.requests,
        second.stats.not_modified,
        second.pages_parsed,
        second.items_new,
        second.items_known
    );
    // Exactly one request per home page and per column's first list page; robots.txt is
    // fresh (read minutes ago), articles and annual reports were read before.
    let mut expected: BTreeMap<String, u32> = BTreeMap::new();
    for site in &first.report.sites {
        *expected.entry(format!("GET {}", site.url)).or_default() += 1;
        for col in site.columns.iter().filter_map(|c| c.url.as_ref()) {
            *expected.entry(format!("GET {col}")).or_default() += 1;
        }
    }
    assert_eq!(asked(&server), expected);
    assert_eq!(second.stats.requests as usize, expected.len());
    // Pages with validators answer 304; the simulator's single-page columns (机构概况,
    // 单位领导) send none, so they are read, found identical, and not parsed again.
    let single_pages = server
        .district()
        .sites
        .iter()
        .flat_map(|s| &s.columns)
        .filter(|c| c.layout == govscore::sim::ListLayout::SinglePage)
        .count();
    assert!(single_pages > 0);
    assert_eq!(
        second.stats.not_modified as usize,
        expected.len() - single_pages
    );
    assert_eq!(second.pages_parsed, 0);
    assert_eq!(second.items_new, 0);
    assert_eq!(second.items_known, first.items_new);
    // Same district, same verdict, the annual reports' included.
    let strip = |r: &govscore::report::model::Report| {
        r.sites
            .iter()
            .map(|s| {
                (
                    s.id.clone(),
                    s.score,
                    s.columns.clone(),
                    s.findings.len(),
                    s.annual_report.clone(),
                )
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(strip(&first.report), strip(&second.report));

    // A day later robots.txt has expired: asked again, conditionally (304), once per host.
    let db = rusqlite::Connection::open(tmp.path().join("govscore.db")).unwrap();
    let expired = db
        .execute(
            "UPDATE robots_cache SET expires_at = '2023-03-14T00:00:00+00:00'",
            [],
        )
        .unwrap();
    let hosts: std::collections::BTreeSet<String> = first
        .report
        .sites
        .iter()
        .filter_map(|s| url::Url::parse(&s.url).ok())
        .map(|u| format!("{}:{:?}", u.host_str().unwrap_or(""), u.port()))
        .collect();
    assert_eq!(expired, hosts.len());
    server.reset_request_log();
    let third = pipeline::run(&settings, opts(tmp.path(), "r3", as_of))
        .await
        .unwrap();
    let robots: Vec<String> = asked(&server)
        .into_keys()
        .filter(|k| k.ends_with("/robots.txt"))
        .collect();
    assert_eq!(robots.len(), expired);
    assert_eq!(third.stats.requests as usize, expected.len() + expired);
    assert_eq!(
        third.stats.not_modified as usize,
        expected.len() - single_pages + expired
    );
    assert_eq!(strip(&first.report), strip(&third.report));
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn annual_reports_are_read_again_once_their_check_is_older_than_the_reuse_age() {
    let (as_of, tmp) = (d("2023-03-15"), tempfile::tempdir().unwrap());
    let (server, settings, first) = first_run(as_of, tmp.path()).await;
    let reports: Vec<String> = first
        .report
        .sites
        .iter()
        .filter_map(|s| s.annual_report.as_ref()?.get("url")?.as_str())
        .map(|u| format!("GET {u}"))
        .collect();
    assert!(!reports.is_empty());
    // Observed eight days later, the district unchanged: the earlier checks are too old to
    // reuse, so every report is read again (and the home pages parsed again).
    server.reset_request_log();
    let later = crate::support::run_opts(tmp.path(), "r2", "govscore.db", as_of);
    let second = pipeline::run(
        &settings,
        pipeline::RunOptions {
            observed_on: Some(as_of + chrono::Days::new(8)),
            ..later
        },
    )
    .await
    .unwrap();
    let log = asked(&server);
    for r in &reports {
        assert_eq!(log.get(r), Some(&1), "{r} read again");
    }
    assert!(second.pages_parsed as usize >= first.report.sites.len());
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_run_after_the_district_changed_sees_the_new_items() {
    let as_of = d("2023-03-15");
    let later = d("2023-03-22");
    let tmp = tempfile::tempdir().unwrap();
    let district = govscore::sim::District::generate(&govscore::sim::SimConfig {
        future_days: 10,
        ..govscore::sim::SimConfig::new(as_of)
    });
    let server = govscore::sim::SimServer::start(district, ([127, 0, 0, 1], 0).into())
        .await
        .unwrap();
    server.set_today(as_of);
    let settings = govscore::config::load_str(&server.config_yaml(), "c.yaml", tmp.path()).unwrap();
    pipeline::run(&settings, opts(tmp.path(), "r1", as_of))
        .await
        .unwrap();
    server.set_today(later);
    let second = pipeline::run(&settings, opts(tmp.path(), "r2", later))
        .await
        .unwrap();
    assert!(
        second.items_new > 0,
        "new items published after the first run are seen"
    );
    for sim_site in &server.district().sites {
        let site = second
            .report
            .sites
            .iter()
            .find(|s| s.id == sim_site.id)
            .unwrap();
        for sim_col in sim_site.columns.iter().filter(|c| c.recognisable()) {
            let url = server
                .url_for(&sim_site.id, &sim_col.path)
                .unwrap()
                .to_string();
            let col = site
                .columns
                .iter()
                .find(|c| c.url.as_deref() == Some(url.as_str()))
                .unwrap();
            let truth = sim_col
                .visible_items(later)
                .iter()
                .map(|i| i.date)
                .filter(|x| *x <= later)
                .max();
            assert_eq!(
                col.last_update,
                truth.map(|x| x.to_string()),
                "{} {}",
                site.id,
                col.name
            );
        }
    }
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_site_shows_its_change_against_the_previous_period_of_the_same_length() {
    let as_of = d("2023-03-15");
    let before = d("2022-12-28"); // inside the previous period (2022-10-19 … 2022-12-31)
    let tmp = tempfile::tempdir().unwrap();
    let server = govscore::sim::SimServer::start(
        govscore::sim::District::generate(&govscore::sim::SimConfig::new(as_of)),
        ([127, 0, 0, 1], 0).into(),
    )
    .await
    .unwrap();
    let settings = govscore::config::load_str(&server.config_yaml(), "c.yaml", tmp.path()).unwrap();
    server.set_today(before);
    let first = pipeline::run(&settings, opts(tmp.path(), "r1", before))
        .await
        .unwrap();
    assert!(first.report.sites.iter().all(|s| s.score_change.is_none()));
    server.set_today(as_of);
    let second = pipeline::run(&settings, opts(tmp.path(), "r2", as_of))
        .await
        .unwrap();
    let mut compared = 0;
    for s in &second.report.sites {
        let prev = first.report.sites.iter().find(|p| p.id == s.id).unwrap();
        match (s.score, prev.score) {
            (Some(now), Some(then)) => {
                let want = ((now - then) * 100.0).round() / 100.0;
                assert_eq!(s.score_change, Some(want), "{}", s.id);
                compared += 1;
            }
            _ => assert_eq!(s.score_change, None),
        }
    }
    assert_eq!(compared, second.report.sites.len());
    // The district trend lists both runs, oldest first.
    let runs: Vec<i64> = second.report.trend.iter().map(|t| t.run_id).collect();
    assert_eq!(runs, vec![first.run_id, second.run_id]);
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_run_requests_no_url_twice() {
    let (as_of, tmp) = (d("2023-03-15"), tempfile::tempdir().unwrap());
    let (server, settings, run) = first_run(as_of, tmp.path()).await;
    assert!(run.stats.requests > 0);
    // The only requests not answered 200: the page a lying pager declares past the list's
    // last real page (404), asked once per such column (see sim::minimum) and counted as
    // the list's end, not as a failure.
    let lying = server
        .district()
        .sites
        .iter()
        .flat_map(|s| &s.columns)
        .filter(|c| matches!(c.pager_quirk, govscore::sim::PagerQuirk::Overstates(_)))
        .count();
    assert!(lying > 0);
    assert_eq!(run.stats.list_ends as usize, lying);
    assert_eq!(run.stats.failed, 0);
    assert_eq!(
        server.repeated_requests(),
        Vec::<(String, u32)>::new(),
        "URLs requested more than once in one run"
    );
    // A rerun over the same database asks each URL once as well.
    server.reset_request_log();
    pipeline::run(&settings, opts(tmp.path(), "r2", as_of))
        .await
        .unwrap();
    assert_eq!(server.repeated_requests(), Vec::<(String, u32)>::new());
    server.shutdown().await;
}
