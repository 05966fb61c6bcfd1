//! Hostile and broken input (issue 15): it never costs a unit points, never kills a run,
//! never leaves a lie in the database.

use crate::support::{d, run_opts, sim_and_settings};
use govscore::pipeline;
use govscore::sim::SiteBehavior;

/// A home page in UTF-16 without a mark, or with a stray NUL in its first KiB, is read as
/// the same page served cleanly: same status, findings and score as in a clean run. A home
/// page that is not text at all is not assessable ("无法读取"), never read as empty (which
/// would be a 首页不更新 veto and a blank column on every count).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn utf16_and_stray_nul_home_pages_read_as_clean_ones_and_an_undecodable_one_is_not_assessable()
 {
    let as_of = d("2023-03-15");
    let tmp = tempfile::tempdir().unwrap();
    let (server, settings) = sim_and_settings(as_of, tmp.path()).await;
    let clean = pipeline::run(&settings, run_opts(tmp.path(), "clean", "clean.db", as_of))
        .await
        .unwrap();
    let ids: Vec<String> = server
        .district()
        .sites
        .iter()
        .map(|s| s.id.clone())
        .collect();
    // The portal (whose home page is also where subsites are found) and two subsites.
    let (utf16, nul, garbage) = (&ids[0], &ids[1], &ids[2]);
    server.set_behavior(utf16, SiteBehavior::HomeUtf16);
    server.set_behavior(nul, SiteBehavior::HomeStrayNul);
    server.set_behavior(garbage, SiteBehavior::HomeUndecodable);
    let faulty = pipeline::run(
        &settings,
        run_opts(tmp.path(), "faulty", "faulty.db", as_of),
    )
    .await
    .unwrap();
    let site = |o: &pipeline::RunOutcome, id: &str| {
        let s = o.report.sites.iter().find(|s| s.id == *id).unwrap();
        serde_json::to_value(s).unwrap()
    };
    for id in [utf16, nul] {
        assert_eq!(site(&faulty, id), site(&clean, id), "{id}");
    }
    let clean_garbage = site(&clean, garbage);
    assert!(clean_garbage["score"].is_number());
    let g = site(&faulty, garbage);
    assert_eq!(g["status"], "blocked", "{g}");
    let reason = g["status_reason"].as_str().unwrap();
    assert!(reason.contains("无法读取"), "{reason}");
    assert!(g["score"].is_null());
    assert_eq!(g["findings"], serde_json::json!([]));
    assert_eq!(g["vetoes"], serde_json::json!([]));
    server.shutdown().await;
}
