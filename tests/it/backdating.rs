//! Backdating (补发/倒签) across runs: the simulator serves the district as it stood on each
//! day; an item that appears on a later day with a date well before an earlier crawl is
//! reported with that crawl as evidence.

use crate::support::d;
use govscore::model::ColumnClass;
use govscore::pipeline::{self, RunOptions};
use govscore::sim::{District, SimConfig, SimServer};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_item_published_late_with_an_old_date_is_reported_as_backdated() {
    let as_of = d("2023-03-15");
    let mut district = District::generate(&SimConfig::new(as_of));
    let site_id = district
        .sites
        .iter()
        .find(|s| s.role == govscore::model::Role::Department)
        .unwrap()
        .id
        .clone();
    let path = district
        .mark_backdated(&site_id, ColumnClass::News, 10)
        .expect("an item to backdate");
    let item = district
        .site(&site_id)
        .unwrap()
        .column(ColumnClass::News)
        .unwrap()
        .items
        .iter()
        .find(|i| i.path == path)
        .unwrap()
        .clone();
    assert!(item.visible_from > item.date);
    let server = SimServer::start(district, ([127, 0, 0, 1], 0).into())
        .await
        .unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let settings = govscore::config::load_str(&server.config_yaml(), "c.yaml", tmp.path()).unwrap();
    // Day 1: after the item's date (beyond the 3-day tolerance) but before it went online.
    let day1 = item.date + chrono::Days::new(5);
    assert!(day1 < item.visible_from);
    server.set_today(day1);
    let run = |day: chrono::NaiveDate, name: &str| RunOptions {
        out: Some(tmp.path().join(name)),
        db: Some(tmp.path().join("db")),
        observed_on: Some(day),
        ..RunOptions::new(day)
    };
    let first = pipeline::run(&settings, run(day1, "r1")).await.unwrap();
    let s1 = first.report.sites.iter().find(|s| s.id == site_id).unwrap();
    assert!(s1.findings.iter().all(|f| f.kind != "backdated"));
    // Day 2: the item is online, dated 10 days before.
    server.set_today(as_of);
    let second = pipeline::run(&settings, run(as_of, "r2")).await.unwrap();
    let s2 = second
        .report
        .sites
        .iter()
        .find(|s| s.id == site_id)
        .unwrap();
    let found: Vec<_> = s2
        .findings
        .iter()
        .filter(|f| f.kind == "backdated")
        .collect();
    assert_eq!(found.len(), 1, "{:?}", s2.findings);
    let f = found[0];
    assert_eq!(f.rule, "backdated-items");
    assert_eq!(f.severity, "warn");
    assert_eq!(f.evidence[0].title, item.title);
    assert_eq!(
        f.evidence[0].date.as_deref(),
        Some(item.date.to_string().as_str())
    );
    assert!(f.message.contains(&day1.to_string()), "{}", f.message);
    assert!(f.message.contains(&as_of.to_string()), "{}", f.message);
    // No other site has a backdated finding: ordinary items appear on their own date.
    let others = second
        .report
        .sites
        .iter()
        .filter(|s| s.id != site_id)
        .flat_map(|s| s.findings.iter())
        .filter(|f| f.kind == "backdated")
        .count();
    assert_eq!(others, 0);
    server.shutdown().await;
}
