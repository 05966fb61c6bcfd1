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
    let (jsl, ruishu, slow) = (&ids[0], &ids[1], &ids[2]);
    server.set_behavior(jsl, SiteBehavior::Wall521);
    server.set_behavior(ruishu, SiteBehavior::Wall412);
    server.set_behavior(slow, SiteBehavior::Timeout);
    let requests_before = server.request_count();
    let outcome = pipeline::run(
        &settings,
        RunOptions {
            out: Some(tmp.path().join("r")),
            db: Some(tmp.path().join("db")),
            observed_on: Some(as_of),
            ..RunOptions::new(as_of)
        },
    )
    .await
    .unwrap();
    assert_eq!(outcome.exit_code(), 2, "some site is not ok");
    let site = |id: &str| outcome.report.sites.iter().find(|s| s.id == id).unwrap();
    for (id, status, reason) in [
        (jsl, "blocked", "521"),
        (ruishu, "blocked", "412"),
        (slow, "unreachable", "超时"),
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
    // walled site, and no retries at all (the timing-out site is retried once, counted
    // separately as a failure).
    assert_eq!(outcome.stats.blocked, 2);
    assert!(server.request_count() > requests_before);
    let md = std::fs::read_to_string(tmp.path().join("r/report.md")).unwrap();
    assert!(md.contains("无法检测的网站"));
    server.shutdown().await;
}
