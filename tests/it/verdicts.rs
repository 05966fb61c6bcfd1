//! Issue 10 items 1, 5 and 6 against the simulated district: no false 首页不更新 veto for
//! any home-page shape, a navigation-only home page judged (and vetoed) by its 二级页面,
//! a 党务公开 column that cannot be recognised reported as `found: false` with a
//! `missing_column` warning, and discovery leaving other governments out.

use crate::support::{d, run_opts, sim_and_settings};
use govscore::pipeline;
use govscore::sim::{District, HomeStyle, SimConfig, SimServer, UNRECOGNISED_PARTY_NAME};

const HOME_VETO: &str = "homepage-not-updated";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_home_page_shape_is_vetoed_and_an_unrecognised_party_column_is_reported() {
    let as_of = d("2023-03-15");
    let tmp = tempfile::tempdir().unwrap();
    let (server, settings) = sim_and_settings(as_of, tmp.path()).await;
    let outcome = pipeline::run(
        &settings,
        run_opts(tmp.path(), "report", "db.sqlite", as_of),
    )
    .await
    .expect("run completes");
    let district = server.district();
    for site in &outcome.report.sites {
        assert!(
            site.vetoes.iter().all(|v| v.rule != HOME_VETO),
            "{}: false 首页不更新 veto: {:?}",
            site.id,
            site.vetoes
        );
        assert!(
            site.findings.iter().all(|f| f.kind != "manual_review"),
            "{}: {:?}",
            site.id,
            site.findings
        );
    }
    // The one unit whose 党务公开 is linked under another name.
    let odd = district
        .sites
        .iter()
        .find(|s| s.columns.iter().any(|c| c.name == UNRECOGNISED_PARTY_NAME))
        .expect("the simulator has the shape");
    for sim_site in district
        .sites
        .iter()
        .filter(|s| s.role != govscore::model::Role::Portal)
    {
        let site = outcome
            .report
            .sites
            .iter()
            .find(|s| s.id == sim_site.id)
            .unwrap();
        let missing: Vec<_> = site
            .findings
            .iter()
            .filter(|f| f.kind == "missing_column")
            .collect();
        if sim_site.id != odd.id {
            assert!(missing.is_empty(), "{}: {missing:?}", site.id);
            continue;
        }
        let col = site
            .columns
            .iter()
            .find(|c| c.class == "party")
            .expect("party listed");
        assert!(!col.found && col.url.is_none(), "{col:?}");
        assert_eq!(missing.len(), 1, "{:?}", site.findings);
        let f = missing[0];
        assert_eq!(f.severity, "warn");
        assert_eq!(f.points, 0.0);
        assert!(f.message.contains("党务公开"), "{}", f.message);
        assert!(f.message.contains("需人工核查"), "{}", f.message);
        let how = f.evidence[0].excerpt.as_deref().unwrap_or("");
        assert!(
            how.contains("config.yaml") && how.contains("class: party"),
            "{how}"
        );
        // report.json writes the missing column's name as null.
        let json = std::fs::read_to_string(tmp.path().join("report/report.json")).unwrap();
        assert!(json.contains("\"name\":null") || json.contains("\"name\": null"));
        // The people's formats say it was not found, not an empty cell.
        let md = std::fs::read_to_string(tmp.path().join("report/report.md")).unwrap();
        assert!(
            md.contains("| — | 党务公开类 | 0 | — | 未找到该栏目（需人工核查） |"),
            "{md}"
        );
        let html = std::fs::read_to_string(tmp.path().join("report/report.html")).unwrap();
        assert!(html.contains("未找到该栏目"));
        // A found column tells which name it matched.
        let news = site.columns.iter().find(|c| c.class == "news").unwrap();
        assert_eq!(news.matched_name.as_deref(), Some("最新动态"));
    }
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_navigation_only_home_page_is_vetoed_by_its_stale_secondary_pages_with_them_as_evidence()
{
    // The district as it stood on 2023-03-15, assessed 26 days later: nothing is new.
    let generated = d("2023-03-15");
    let as_of = d("2023-04-10");
    let tmp = tempfile::tempdir().unwrap();
    let (server, settings) = sim_and_settings(generated, tmp.path()).await;
    let outcome = pipeline::run(
        &settings,
        run_opts(tmp.path(), "report", "db.sqlite", as_of),
    )
    .await
    .expect("run completes");
    let nav = server
        .district()
        .sites
        .iter()
        .find(|s| s.home_style() == HomeStyle::NavigationOnly)
        .expect("a navigation-only unit");
    let site = outcome
        .report
        .sites
        .iter()
        .find(|s| s.id == nav.id)
        .unwrap();
    let veto = site
        .findings
        .iter()
        .find(|f| f.rule == HOME_VETO)
        .unwrap_or_else(|| panic!("no veto: {:?}", site.findings));
    assert_eq!(veto.severity, "veto");
    assert!(veto.message.contains("导航页"), "{}", veto.message);
    assert!(veto.message.contains("二级页面"), "{}", veto.message);
    // The newest item of its columns is the evidence, and its 二级页面 are named.
    let newest = nav
        .columns
        .iter()
        .filter_map(|c| c.last_update(generated))
        .max()
        .unwrap();
    assert_eq!(veto.evidence[0].date, Some(newest.to_string()));
    assert!(
        veto.evidence[0]
            .excerpt
            .as_deref()
            .is_some_and(|e| e.contains("二级页面")),
        "{:?}",
        veto.evidence
    );
    let column_urls: Vec<String> = site.columns.iter().filter_map(|c| c.url.clone()).collect();
    assert!(
        veto.evidence
            .iter()
            .skip(1)
            .all(|e| column_urls.contains(&e.url)),
        "{:?}",
        veto.evidence
    );
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn discovery_takes_the_vertically_managed_unit_and_leaves_other_governments_out() {
    let as_of = d("2023-03-15");
    let tmp = tempfile::tempdir().unwrap();
    let server = SimServer::start(
        District::generate(&SimConfig::new(as_of)),
        ([127, 0, 0, 1], 0).into(),
    )
    .await
    .unwrap();
    let yaml = format!(
        "district: 孟津区\ndiscover: true\ndiscover_exclude: [区人民防空办公室]\nsites:\n  - id: portal\n    name: 孟津区人民政府\n    role: portal\n    url: {}\ncrawl:\n  delay_ms: 0\n  per_host_concurrency: 4\n  timeout_s: 5\n",
        server.base_url()
    );
    let settings = govscore::config::load_str(&yaml, "config.yaml", tmp.path()).unwrap();
    let fetcher = govscore::crawl::fetch::Fetcher::new(
        &settings.crawl,
        govscore::crawl::fetch::Scope::new(settings.sites.iter().map(|s| &s.url)),
    )
    .unwrap();
    let found = pipeline::discover_subsites(&fetcher, &settings).await;
    let decision = |name: &str| {
        found
            .decisions
            .iter()
            .find(|x| x.name == name)
            .unwrap_or_else(|| panic!("{name} not considered: {:?}", found.decisions))
    };
    for (_, name) in govscore::sim::OTHER_GOVERNMENTS {
        assert!(!decision(name).included, "{name}");
    }
    assert!(decision("洛阳市人民政府").reason.contains("市"));
    assert!(decision("新安县人民政府").reason.contains("其他区县"));
    let vertical = decision("洛阳市生态环境局孟津分局");
    assert!(
        vertical.included && vertical.reason.contains("站群"),
        "{vertical:?}"
    );
    let rfb = decision("区人民防空办公室");
    assert!(!rfb.included && rfb.reason.contains("discover_exclude"));
    // Every other unit of the district is included: 44 minus the one excluded by config.
    assert_eq!(found.sites.len(), server.district().sites.len() - 2);
    let text = govscore::crawl::discover::render_decisions(&found.decisions);
    assert!(text.contains("[排除] 河南省人民政府"), "{text}");
    server.shutdown().await;
}
