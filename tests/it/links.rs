//! Dead links (issue 14 item 7) on the simulated district: the two-run rule, the good-link
//! cache, walls, external links, one request per link and run, and the finding's evidence.

use crate::support::{d, run_opts};
use chrono::NaiveDate;
use govscore::config::Settings;
use govscore::crawl::links::{LinkRow, LinkState};
use govscore::pipeline::{self, RunOutcome};
use govscore::sim::{DeadLinkKind, District, SimConfig, SimServer};
use std::path::Path;

const AS_OF: &str = "2023-03-15";

/// A small district (portal and eight subsites) with the deliberate dead links switched on.
async fn small_sim(dir: &Path) -> (SimServer, Settings) {
    let cfg = SimConfig {
        subsites: 8,
        ..SimConfig::new(d(AS_OF))
    };
    let server = SimServer::start(District::generate(&cfg), ([127, 0, 0, 1], 0).into())
        .await
        .expect("simulator starts on loopback");
    server.set_dead_links(true);
    let settings = govscore::config::load_str(&server.config_yaml(), "sim-config.yaml", dir)
        .unwrap_or_else(|d| panic!("{}", govscore::config::render_diagnostics(&d)));
    (server, settings)
}

async fn run(settings: &Settings, dir: &Path, name: &str, day: NaiveDate) -> RunOutcome {
    pipeline::run(settings, run_opts(dir, name, "govscore.db", day))
        .await
        .expect("run completes")
}

/// The dead-link part of a run's stored statistics.
fn link_stats(dir: &Path, run_id: i64) -> serde_json::Value {
    let conn = rusqlite::Connection::open(dir.join("govscore.db")).unwrap();
    let json: String = conn
        .query_row("SELECT stats_json FROM runs WHERE id = ?1", [run_id], |r| {
            r.get(0)
        })
        .unwrap();
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    v["dead_links"].clone()
}

/// Empties the page cache, so the next run reads every page again.
fn forget_pages(dir: &Path) {
    let conn = rusqlite::Connection::open(dir.join("govscore.db")).unwrap();
    conn.execute("DELETE FROM page_cache", []).unwrap();
}

/// (site, link URL, state) of every link of a run that did not answer well.
fn problems(dir: &Path, run_id: i64) -> Vec<(String, String, LinkState)> {
    let store = govscore::store::Store::open(&dir.join("govscore.db")).unwrap();
    let snap = store.snapshot(run_id).unwrap();
    let mut out: Vec<_> = snap
        .sites
        .iter()
        .flat_map(|s| {
            s.links
                .iter()
                .map(|l| (s.id.clone(), l.url.clone(), l.state))
        })
        .collect();
    out.sort();
    out
}

fn url_of(server: &SimServer, kind: DeadLinkKind, nth: usize) -> String {
    server
        .dead_links()
        .into_iter()
        .filter(|(l, _)| l.kind == kind)
        .nth(nth)
        .map(|(_, u)| u.to_string())
        .expect("the deliberate link exists")
}

/// Asserts that the run requested no URL twice but the page answering 500 on every second
/// request, which the fetcher retried.
fn only_the_flaky_page_asked_twice(server: &SimServer) {
    let flaky = url_of(server, DeadLinkKind::Flaky, 0);
    assert_eq!(
        server.repeated_requests(),
        vec![(format!("GET {flaky}"), 2)],
        "URLs requested more than once in one run"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dead_link_is_reported_after_two_failing_runs_with_its_page_and_a_wall_never() {
    let tmp = tempfile::tempdir().unwrap();
    let (server, settings) = small_sim(tmp.path()).await;
    let links = server.dead_links();
    assert_eq!(links.len(), 4, "{links:?}");
    let portal = server.district().sites[0].id.clone();
    let dept = links[3].0.site_id.clone();
    let gone_portal = url_of(&server, DeadLinkKind::NotFound, 0);
    let gone_dept = url_of(&server, DeadLinkKind::NotFound, 1);
    let walled = url_of(&server, DeadLinkKind::Walled, 0);

    let first = run(&settings, tmp.path(), "r1", d(AS_OF)).await;
    // One failure is only suspect: no finding yet. The wall is unknown. The page that
    // answers 500 on every second request answered the fetcher's retry: fine.
    assert_eq!(
        problems(tmp.path(), first.run_id),
        vec![
            (dept.clone(), gone_dept.clone(), LinkState::Suspect),
            (portal.clone(), walled.clone(), LinkState::Unknown),
            (portal.clone(), gone_portal.clone(), LinkState::Suspect),
        ]
    );
    let dead_findings = |o: &RunOutcome| -> Vec<(String, govscore::report::model::Finding)> {
        o.report
            .sites
            .iter()
            .flat_map(|s| {
                s.findings
                    .iter()
                    .filter(|f| f.kind == "dead_link")
                    .map(|f| (s.id.clone(), f.clone()))
            })
            .collect()
    };
    assert!(dead_findings(&first).is_empty());

    // A week later the home pages are re-read or answer 304 (their problem links are
    // carried over): the removed pages fail again and are dead; the wall stays unknown.
    let day2 = d("2023-03-22");
    server.set_today(day2);
    let second = run(&settings, tmp.path(), "r2", day2).await;
    assert_eq!(
        problems(tmp.path(), second.run_id),
        vec![
            (dept.clone(), gone_dept.clone(), LinkState::Dead),
            (portal.clone(), walled.clone(), LinkState::Unknown),
            (portal.clone(), gone_portal.clone(), LinkState::Dead),
        ]
    );
    let found = dead_findings(&second);
    assert_eq!(found.len(), 2, "{found:#?}");
    let (site, f) = found.iter().find(|(s, _)| *s == portal).unwrap();
    assert_eq!(site, &portal);
    assert_eq!(f.rule, "dead-links");
    assert_eq!(f.severity, "deduct");
    assert!((f.points + 0.1).abs() < 1e-9, "{}", f.points);
    assert_eq!(
        f.message,
        "链接不可用：“创建全国文明城市专题（旧版）”（HTTP 404 错误），自2023-03-15起连续两次以上检查均无法访问"
    );
    let home = server.site_url(&portal).unwrap().to_string();
    assert_eq!(f.evidence[0].url, home);
    assert_eq!(f.evidence[0].title, "孟津区人民政府首页");
    assert_eq!(
        f.evidence[0].excerpt.as_deref(),
        Some("所在页面，链接文字“创建全国文明城市专题（旧版）”")
    );
    assert_eq!(f.evidence[1].url, gone_portal);
    assert_eq!(f.evidence[1].title, "创建全国文明城市专题（旧版）");
    assert_eq!(f.evidence[1].date.as_deref(), Some("2023-03-15"));
    let portal_report = second.report.sites.iter().find(|s| s.id == portal).unwrap();
    let first_portal = first.report.sites.iter().find(|s| s.id == portal).unwrap();
    assert_eq!(
        portal_report.score.map(|s| (s * 10.0).round() as i64),
        first_portal.score.map(|s| (s * 10.0).round() as i64 - 1),
        "the dead link costs the portal 0.1"
    );

    // Every report shows the finding through the generic findings path.
    let dir = tmp.path().join("r2");
    let read = |f: &str| std::fs::read_to_string(dir.join(f)).unwrap();
    assert!(read("report.json").contains("\"kind\": \"dead_link\""));
    for file in ["report.html", "findings.csv", "report.md"] {
        let text = read(file);
        assert!(text.contains(&gone_portal), "{file} names the dead URL");
        assert!(
            text.contains("创建全国文明城市专题（旧版）"),
            "{file} names the link"
        );
    }
    assert!(read("report.md").contains("链接不可用"));

    // Once the links are gone from the pages, nothing is reported.
    server.set_dead_links(false);
    let day3 = d("2023-03-29");
    server.set_today(day3);
    let third = run(&settings, tmp.path(), "r3", day3).await;
    assert!(dead_findings(&third).is_empty());
    assert_eq!(problems(tmp.path(), third.run_id), Vec::new());
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_link_failing_once_without_retries_is_suspect_and_cleared_when_it_answers() {
    let tmp = tempfile::tempdir().unwrap();
    let (server, mut settings) = small_sim(tmp.path()).await;
    settings.crawl.retries = 0;
    let portal = server.district().sites[0].id.clone();
    let flaky = url_of(&server, DeadLinkKind::Flaky, 0);
    let first = run(&settings, tmp.path(), "r1", d(AS_OF)).await;
    assert!(problems(tmp.path(), first.run_id).contains(&(
        portal.clone(),
        flaky.clone(),
        LinkState::Suspect
    )));
    let second = run(&settings, tmp.path(), "r2", d(AS_OF)).await;
    let now = problems(tmp.path(), second.run_id);
    assert!(
        !now.iter().any(|(_, u, _)| *u == flaky),
        "answered on the second run: cleared, never dead: {now:?}"
    );
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_link_that_answered_is_not_requested_again_for_seven_days() {
    let tmp = tempfile::tempdir().unwrap();
    let (server, settings) = small_sim(tmp.path()).await;
    let first = run(&settings, tmp.path(), "r1", d(AS_OF)).await;
    let s1 = link_stats(tmp.path(), first.run_id);
    assert!(s1["requested"].as_u64().unwrap() > 50, "{s1}");
    // The link checks' requests are counted apart from the crawl's and the screening's.
    assert_eq!(
        first.stats.requests + first.screening.requests + s1["requests"].as_u64().unwrap(),
        server.request_count()
    );
    // Three days later, every page read again (the page cache is emptied, so the links of
    // every page are collected again), only the links that did not answer well are asked
    // again (the two removed pages and the wall); every good link is trusted.
    forget_pages(tmp.path());
    let second = run(&settings, tmp.path(), "r2", d("2023-03-18")).await;
    let s2 = link_stats(tmp.path(), second.run_id);
    assert_eq!(
        (&s2["requested"], &s2["requests"]),
        (&3.into(), &3.into()),
        "{s2}"
    );
    assert!(s2["cached"].as_u64().unwrap() > 50, "{s2}");
    // Seven days after the first check every link is due again.
    forget_pages(tmp.path());
    let third = run(&settings, tmp.path(), "r3", d("2023-03-22")).await;
    let s3 = link_stats(tmp.path(), third.run_id);
    assert!(s3["requested"].as_u64().unwrap() > 50, "{s3}");
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_link_is_requested_once_per_run_however_many_pages_carry_it() {
    let tmp = tempfile::tempdir().unwrap();
    let (server, settings) = small_sim(tmp.path()).await;
    let first = run(&settings, tmp.path(), "r1", d(AS_OF)).await;
    only_the_flaky_page_asked_twice(&server);
    let s = link_stats(tmp.path(), first.run_id);
    // Links on many pages (navigation, footers) are counted once per site in `links`.
    assert!(s["links"].as_u64().unwrap() >= s["requested"].as_u64().unwrap());
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn links_to_other_hosts_are_not_requested_unless_enabled_and_then_only_public_ones() {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicU64, Ordering};
    // Another host: a loopback listener counting the connections it accepts.
    // (127.0.0.2: the config names 127.0.0.1, whose loopback address it may use.)
    let listener = tokio::net::TcpListener::bind("127.0.0.2:0").await.unwrap();
    let other = format!("http://{}/page.html", listener.local_addr().unwrap());
    let hits = Arc::new(AtomicU64::new(0));
    let counted = hits.clone();
    tokio::spawn(async move {
        while let Ok((_sock, _)) = listener.accept().await {
            counted.fetch_add(1, Ordering::Relaxed);
        }
    });
    let tmp = tempfile::tempdir().unwrap();
    let (server, settings) = small_sim(tmp.path()).await;
    let scope = govscore::crawl::Scope::new([server.base_url()]);
    let fetcher = govscore::crawl::Fetcher::new(&settings.crawl, scope).unwrap();
    let row = LinkRow {
        id: 1,
        url: other.clone(),
        checked_on: None,
        checked_run: None,
        outcome: None,
        status: None,
        reason: None,
        failed_runs: 0,
        first_failed: None,
    };
    let mut config = settings.screening.dead_links.clone();
    assert!(!config.external, "external links are off by default");
    let day = d(AS_OF);
    let v = govscore::crawl::links::check_one(&fetcher, &config, &row, 1, day).await;
    assert_eq!(v.state, LinkState::NotChecked);
    assert!(!v.requested);
    assert_eq!(v.reason, govscore::crawl::links::EXTERNAL_OFF);
    // Switched on, a host the config does not name on a loopback address is refused.
    config.external = true;
    let v = govscore::crawl::links::check_one(&fetcher, &config, &row, 1, day).await;
    assert_eq!(v.state, LinkState::NotChecked);
    assert!(v.reason.contains("127.0.0.2"), "{}", v.reason);
    assert_eq!(
        hits.load(Ordering::Relaxed),
        0,
        "no request left the configured hosts"
    );
    // A whole run over the district: the portal's 相关链接 (国务院, 省, 市 …) and the
    // footers' 备案 links are not checked.
    let outcome = run(&settings, tmp.path(), "r1", day).await;
    let s = link_stats(tmp.path(), outcome.run_id);
    assert!(
        s["not_checked"].as_u64().unwrap() >= govscore::sim::OTHER_GOVERNMENTS.len() as u64,
        "{s}"
    );
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn switched_off_the_stage_requests_nothing_and_keeps_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let (server, mut settings) = small_sim(tmp.path()).await;
    settings.screening.dead_links.enabled = false;
    let first = run(&settings, tmp.path(), "r1", d(AS_OF)).await;
    assert_eq!(
        first.stats.requests + first.screening.requests,
        server.request_count()
    );
    let s = link_stats(tmp.path(), first.run_id);
    assert_eq!(s["requests"], 0);
    assert_eq!(s["enabled"], false);
    assert_eq!(problems(tmp.path(), first.run_id), Vec::new());
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dead_link_on_an_unchanged_page_is_confirmed_from_the_pages_seen_again() {
    // The same day twice: every home page answers 304 and is not read again; its problem
    // links are carried into the second run and checked there.
    let tmp = tempfile::tempdir().unwrap();
    let (server, settings) = small_sim(tmp.path()).await;
    let gone_portal = url_of(&server, DeadLinkKind::NotFound, 0);
    run(&settings, tmp.path(), "r1", d(AS_OF)).await;
    let second = run(&settings, tmp.path(), "r2", d(AS_OF)).await;
    assert!(second.stats.not_modified > 0);
    let dead: Vec<String> = problems(tmp.path(), second.run_id)
        .into_iter()
        .filter(|(_, _, s)| *s == LinkState::Dead)
        .map(|(_, u, _)| u)
        .collect();
    assert_eq!(dead.len(), 2, "{dead:?}");
    assert!(dead.contains(&gone_portal));
    server.shutdown().await;
}

/// A portal's link to a subsite that this run could not see (its home page times out) is
/// not judged: the subsite is reported not assessable, and its outage is one fact — the
/// portal loses nothing for it, however many runs it lasts.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_link_to_a_site_the_run_could_not_see_is_unknown_not_dead() {
    let tmp = tempfile::tempdir().unwrap();
    let (server, mut settings) = small_sim(tmp.path()).await;
    settings.crawl.timeout_s = 1;
    settings.crawl.retries = 0;
    let portal = server.district().sites[0].id.clone();
    let down = server.district().sites[1].id.clone();
    server.set_behavior(&down, govscore::sim::SiteBehavior::Timeout);
    let home = server.site_url(&down).unwrap().to_string();
    let first = run(&settings, tmp.path(), "r1", d(AS_OF)).await;
    let second = run(&settings, tmp.path(), "r2", d(AS_OF)).await;
    for outcome in [&first, &second] {
        let site = outcome.report.sites.iter().find(|s| s.id == down).unwrap();
        assert_eq!(site.status, "unreachable");
        let states: Vec<LinkState> = problems(tmp.path(), outcome.run_id)
            .into_iter()
            .filter(|(s, u, _)| *s == portal && *u == home)
            .map(|(_, _, state)| state)
            .collect();
        assert_eq!(states, vec![LinkState::Unknown], "{home}");
    }
    let portal_report = second.report.sites.iter().find(|s| s.id == portal).unwrap();
    assert!(
        !portal_report
            .findings
            .iter()
            .any(|f| f.kind == "dead_link" && f.evidence.iter().any(|e| e.url == home)),
        "{:?}",
        portal_report.findings
    );
    server.shutdown().await;
}

/// A column whose list answers 404 to the crawl (a department's 机构概况 link left after a
/// redesign): the link to it is judged from the crawl's own answer — suspect on the first
/// run, with the page that carries it — and not requested again by the check.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_link_the_crawl_found_missing_is_judged_without_asking_again() {
    let tmp = tempfile::tempdir().unwrap();
    let (server, settings) = small_sim(tmp.path()).await;
    let dept = server.dead_links()[3].0.site_id.clone();
    server.set_column_behavior(
        &dept,
        govscore::model::ColumnClass::Org,
        govscore::sim::ColumnBehavior::NotFound,
    );
    let first = run(&settings, tmp.path(), "r1", d(AS_OF)).await;
    only_the_flaky_page_asked_twice(&server);
    let store = govscore::store::Store::open(&tmp.path().join("govscore.db")).unwrap();
    let snap = store.snapshot(first.run_id).unwrap();
    let site = snap.sites.iter().find(|s| s.id == dept).unwrap();
    let column = site
        .columns
        .iter()
        .find(|c| c.class == govscore::model::ColumnClass::Org)
        .unwrap();
    assert!(!column.assessable, "{column:?}");
    let link = site
        .links
        .iter()
        .find(|l| l.url == column.url)
        .unwrap_or_else(|| panic!("{:?}", site.links));
    assert_eq!((link.state, link.status), (LinkState::Suspect, Some(404)));
    assert_eq!(link.page_url, site.url, "found on the home page");
    assert!(
        link_stats(tmp.path(), first.run_id)["read_by_crawl"]
            .as_u64()
            .unwrap()
            > 0
    );
    server.shutdown().await;
}

/// A Hanweb column lists its articles as `<datastore>` records in a script, not as `<a>`
/// elements, and its further records come from `dataproxy.jsp` by POST: a removed article
/// there (the newest in the period, the oldest record the column page embeds, the first
/// record of the proxy's answer) is a dead link found on the column page, like one in a
/// TRS list.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_removed_article_in_a_hanweb_datastore_is_a_link_of_its_list_page() {
    use govscore::sim::ListLayout;
    let tmp = tempfile::tempdir().unwrap();
    let as_of = d(AS_OF);
    let server = SimServer::start(
        District::generate(&SimConfig::new(as_of)),
        ([127, 0, 0, 1], 0).into(),
    )
    .await
    .expect("simulator starts on loopback");
    let settings = govscore::config::load_str(&server.config_yaml(), "sim-config.yaml", tmp.path())
        .unwrap_or_else(|d| panic!("{}", govscore::config::render_diagnostics(&d)));
    let (site, column, per_page) = server
        .district()
        .sites
        .iter()
        .find_map(|s| {
            s.columns.iter().find_map(|c| match c.layout {
                // The records the column page embeds all fall in the period: the walk
                // asks the proxy for more.
                ListLayout::Hanweb { per_page }
                    if c.listed_items(as_of)
                        .get(3 * per_page - 1)
                        .is_some_and(|i| i.date >= d("2023-01-01")) =>
                {
                    Some((s.id.clone(), c.clone(), per_page))
                }
                _ => None,
            })
        })
        .expect("a Hanweb column whose walk asks dataproxy.jsp");
    let listed = column.listed_items(as_of);
    let recent = listed
        .iter()
        .find(|i| !i.pinned && i.date >= d("2023-01-01"))
        .expect("an item in the period");
    // The column page embeds the first 3 × per_page records.
    let oldest_embedded = listed[3 * per_page - 1];
    let first_proxied = listed[3 * per_page];
    assert!(recent.path != oldest_embedded.path);
    let column_url = server.url_for(&site, &column.path).unwrap();
    let gone: Vec<(String, String)> = [recent, oldest_embedded, first_proxied]
        .iter()
        .map(|i| {
            let url = server.url_for(&site, &i.path).unwrap();
            server.set_gone(&url);
            (url.to_string(), i.title.clone())
        })
        .collect();
    let html = reqwest::get(column_url.as_str())
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("<datastore>"), "a Hanweb column page");
    for (url, _) in &gone[..2] {
        assert!(
            !govscore::extract::nav::nav_links(&html, &column_url)
                .iter()
                .any(|l| l.url.as_str() == url),
            "{url} is no <a> of the column page"
        );
    }
    assert!(
        !html.contains(gone[2].0.as_str()),
        "the proxy serves the third"
    );
    server.reset_request_log();
    let first = run(&settings, tmp.path(), "r1", as_of).await;
    assert!(
        server
            .request_log()
            .iter()
            .any(|(r, _)| r.starts_with("POST ") && r.contains("dataproxy.jsp")),
        "the walk asked the proxy"
    );
    crate::support::assert_no_url_twice(&server);
    server.shutdown().await;
    let store = govscore::store::Store::open(&tmp.path().join("govscore.db")).unwrap();
    let snap = store.snapshot(first.run_id).unwrap();
    let links = &snap.sites.iter().find(|s| s.id == site).unwrap().links;
    for (url, title) in &gone {
        let link = links
            .iter()
            .find(|l| &l.url == url)
            .unwrap_or_else(|| panic!("{site} lacks the removed article {url}: {links:?}"));
        assert_eq!(
            (link.state, link.status),
            (LinkState::Suspect, Some(404)),
            "{link:?}"
        );
        assert_eq!(
            link.page_url,
            column_url.as_str(),
            "found on the column page"
        );
        assert_eq!(&link.text, title);
    }
}
