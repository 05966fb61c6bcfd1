//! `discover: true`: the subsites linked from the simulated portal are found, named from
//! their own pages, given stable ids and roles, and assessed.

use crate::support::d;
use govscore::pipeline;
use govscore::sim::{District, SimConfig, SimServer};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_portal_only_config_with_discover_assesses_every_linked_subsite() {
    let as_of = d("2023-03-15");
    let tmp = tempfile::tempdir().unwrap();
    let server = SimServer::start(
        District::generate(&SimConfig::new(as_of)),
        ([127, 0, 0, 1], 0).into(),
    )
    .await
    .unwrap();
    let portal = server.district().portal().expect("portal").clone();
    let yaml = format!(
        "district: 孟津区\ndiscover: true\nsites:\n  - id: portal\n    name: {}\n    role: portal\n    url: {}\ncrawl:\n  delay_ms: 0\n  per_host_concurrency: 4\n  timeout_s: 5\n",
        portal.name,
        server.base_url()
    );
    let settings = govscore::config::load_str(&yaml, "config.yaml", tmp.path()).unwrap();
    let opts = crate::support::run_opts(tmp.path(), "report", "db.sqlite", as_of);
    let outcome = pipeline::run(&settings, opts).await.unwrap();
    // Discovery reads the portal's home page; its walk takes that page (no URL twice).
    assert_eq!(
        server.repeated_requests(),
        Vec::<(String, u32)>::new(),
        "URLs requested more than once in one run"
    );
    let report = &outcome.report;
    assert_eq!(report.sites.len(), server.district().sites.len());
    for sim_site in server.district().sites.iter().filter(|s| s.id != portal.id) {
        let url = server.site_url(&sim_site.id).unwrap().to_string();
        let site = report
            .sites
            .iter()
            .find(|s| s.url == url)
            .unwrap_or_else(|| panic!("{} ({url}) not discovered", sim_site.name));
        assert_eq!(site.name, sim_site.name, "named from its SiteName");
        assert_eq!(site.role, sim_site.role.as_str(), "{}", site.name);
        assert!(
            site.id
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
        );
        assert!(site.score.is_some(), "{} assessed", site.name);
    }
    // Ids are stable: a second discovery gives the same ids.
    server.reset_request_log();
    let opts = crate::support::run_opts(tmp.path(), "report2", "db.sqlite", as_of);
    let again = pipeline::run(&settings, opts).await.unwrap();
    let ids = |r: &govscore::report::model::Report| {
        let mut v: Vec<String> = r.sites.iter().map(|s| s.id.clone()).collect();
        v.sort();
        v
    };
    assert_eq!(ids(report), ids(&again.report));
    assert_eq!(server.repeated_requests(), Vec::<(String, u32)>::new());
    server.shutdown().await;
}
