//! The whole path against the simulated district: crawl → store → cadence → score →
//! report.json, compared with the simulator's ground truth.

use crate::support::{d, sim_and_settings};
use govscore::config::{CheckSpec, Severity};
use govscore::pipeline::{self, RunOptions};
use govscore::report::model::Report;
use std::collections::BTreeMap;

fn options(dir: &std::path::Path, as_of: chrono::NaiveDate) -> RunOptions {
    crate::support::run_opts(dir, "report", "govscore.db", as_of)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn weekly_counts_and_deductions_equal_the_simulators_ground_truth() {
    let as_of = d("2023-03-15");
    let tmp = tempfile::tempdir().unwrap();
    let (server, mut settings) = sim_and_settings(as_of, tmp.path()).await;
    // Only the local rules: the deductions asserted below are exactly the cadence ones
    // (the local file's other rules are warnings that cost nothing).
    let local = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("rules/local.yaml");
    settings.rules = govscore::config::load_rules(&[local]).expect("local rules load");
    let outcome = pipeline::run(&settings, options(tmp.path(), as_of))
        .await
        .expect("run completes");

    // report.json on disk is the contract; read it back rather than trusting the struct.
    let text = std::fs::read_to_string(tmp.path().join("report/report.json")).unwrap();
    let report: Report = serde_json::from_str(&text).unwrap();
    assert_eq!(report, outcome.report);
    assert_eq!(report.schema, "govscore.report/1");
    assert_eq!(report.as_of, "2023-03-15");
    assert_eq!(report.period.start, "2023-01-01");
    let district = server.district();
    assert_eq!(report.sites.len(), district.sites.len());

    let mut sites_missing_weeks = 0;
    for sim_site in &district.sites {
        let site = report
            .sites
            .iter()
            .find(|s| s.id == sim_site.id)
            .unwrap_or_else(|| panic!("site {} missing from report", sim_site.id));
        assert_eq!(site.status, "ok", "{}: {:?}", site.id, site.status_reason);

        // Every simulated column with a list was found and its weeks match exactly.
        let mut expected_deduction = BTreeMap::<String, f64>::new();
        // A column linked under a name no built-in name matches is not found (it is
        // reported as a missing_column warning instead; see tests/it/verdicts.rs).
        for sim_col in sim_site.columns.iter().filter(|c| c.recognisable()) {
            let url = server
                .url_for(&sim_site.id, &sim_col.path)
                .unwrap()
                .to_string();
            let col = site
                .columns
                .iter()
                .find(|c| c.url.as_deref() == Some(url.as_str()))
                .unwrap_or_else(|| {
                    panic!("{}: column {} ({url}) not found", site.id, sim_col.name)
                });
            assert_eq!(col.class, sim_col.class.as_str());
            assert!(col.assessable, "{} {}", site.id, col.name);
            let truth: Vec<chrono::NaiveDate> = sim_col
                .visible_items(as_of)
                .iter()
                .map(|i| i.date)
                .filter(|x| *x <= as_of)
                .collect();
            let expected_last = truth.iter().max().map(|x| x.to_string());
            assert_eq!(col.last_update, expected_last, "{} {}", site.id, col.name);
            // 13 weeks of 2023-Q1 end on or before 2023-03-15: Jan 2 … Mar 6 (10 weeks).
            assert_eq!(col.weekly.len(), 10, "{} {}", site.id, col.name);
            for w in &col.weekly {
                let start = d(&w.week_start);
                let end = start + chrono::Days::new(6);
                let count = truth.iter().filter(|x| **x >= start && **x <= end).count() as u32;
                assert_eq!(
                    w.count, count,
                    "{} {} week {}",
                    site.id, col.name, w.week_start
                );
            }
            // The deduction the cadence rules must produce for this column.
            for rule in &settings.rules.rules {
                let CheckSpec::Cadence { min, .. } = rule.check else {
                    continue;
                };
                if rule.severity != Severity::Deduct
                    || !rule.applies_to_role(sim_site.role)
                    || !rule.applies_to_class(sim_col.class)
                {
                    continue;
                }
                // Holiday weeks (the 春节 week of 2023-01-23) are exempt; with a `weight` a
                // missed week costs weight ÷ the weeks judged.
                let judged: Vec<_> = col.weekly.iter().filter(|w| !w.exempt).collect();
                assert_eq!(judged.len(), 9, "{} {}", site.id, col.name);
                let missed = judged.iter().filter(|w| w.count < min).count() as f64;
                let per_week = rule.weight.map_or(rule.points, |w| w / judged.len() as f64);
                let mut pts = missed * per_week;
                if let Some(cap) = rule.cap_per_column {
                    pts = pts.min(cap);
                }
                *expected_deduction.entry(rule.id.clone()).or_default() += pts;
                let met: Vec<Option<bool>> = col.weekly.iter().map(|w| w.met).collect();
                let want: Vec<Option<bool>> = col
                    .weekly
                    .iter()
                    .map(|w| (!w.exempt).then_some(w.count >= min))
                    .collect();
                assert_eq!(met, want, "{} {}", site.id, col.name);
            }
        }
        let mut total = 0.0;
        for (id, pts) in &expected_deduction {
            let rule = settings.rules.rules.iter().find(|r| &r.id == id).unwrap();
            total += rule.cap.map_or(*pts, |c| pts.min(c));
        }
        if total > 0.0 {
            sites_missing_weeks += 1;
        }
        // Findings show points rounded to 0.01; the score uses the exact sum.
        let lost: f64 = site.findings.iter().map(|f| f.points).sum();
        assert!(
            (lost + total).abs() < 0.01 * site.findings.len() as f64 + 1e-9,
            "{}: findings cost {lost}, expected -{total}",
            site.id
        );
        assert_eq!(
            site.score,
            Some(((100.0 - total) * 100.0).round() / 100.0),
            "{}",
            site.id
        );
        assert!(site.rank.is_some());
    }
    assert!(
        sites_missing_weeks >= 3,
        "the simulator should contain sites that miss weeks, found {sites_missing_weeks}"
    );
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn repeating_a_run_on_the_same_database_stores_no_item_twice() {
    let as_of = d("2023-03-15");
    let tmp = tempfile::tempdir().unwrap();
    let (server, settings) = sim_and_settings(as_of, tmp.path()).await;
    let first = pipeline::run(&settings, options(tmp.path(), as_of))
        .await
        .unwrap();
    let store = govscore::store::Store::open(&tmp.path().join("govscore.db")).unwrap();
    let items_after_first = store.item_count().unwrap();
    assert!(
        items_after_first > 1000,
        "only {items_after_first} items stored"
    );
    drop(store);
    let second = pipeline::run(&settings, options(tmp.path(), as_of))
        .await
        .unwrap();
    assert_ne!(first.run_id, second.run_id);
    let store = govscore::store::Store::open(&tmp.path().join("govscore.db")).unwrap();
    assert_eq!(store.item_count().unwrap(), items_after_first);
    // The second run sees the same district, so it scores the same.
    let scores = |r: &Report| -> Vec<(String, Option<f64>)> {
        r.sites.iter().map(|s| (s.id.clone(), s.score)).collect()
    };
    assert_eq!(scores(&first.report), scores(&second.report));
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scores_are_recomputable_from_the_database_alone() {
    let as_of = d("2023-03-15");
    let tmp = tempfile::tempdir().unwrap();
    let (server, _) = sim_and_settings(as_of, tmp.path()).await;
    let config = tmp.path().join("config.yaml");
    std::fs::write(&config, server.config_yaml()).unwrap();
    let settings = govscore::config::load(&config).unwrap();
    let outcome = pipeline::run(&settings, options(tmp.path(), as_of))
        .await
        .unwrap();
    // The simulator is gone: only the database remains.
    server.shutdown().await;
    let store = govscore::store::Store::open_read_only(&tmp.path().join("govscore.db")).unwrap();
    let snapshot = store.snapshot(outcome.run_id).unwrap();
    // The stages before scoring load a site's columns and items only: the same as the
    // whole snapshot holds, without the parts only scoring reads.
    let run = store.run_info(outcome.run_id).unwrap();
    let mut with_pages = 0;
    for full in &snapshot.sites {
        let part = store.site_columns(&run, &full.id).unwrap().unwrap();
        assert_eq!(
            (&part.id, &part.status, &part.home, &part.columns),
            (&full.id, &full.status, &full.home, &full.columns)
        );
        assert!(part.pages.is_empty() && part.annual.is_none() && part.links.is_empty());
        with_pages += usize::from(!full.pages.is_empty() && full.annual.is_some());
    }
    assert!(with_pages > 0, "the whole snapshot has the parts left out");
    let mut again = pipeline::build_report(&settings, &snapshot, outcome.run_id);
    pipeline::add_history(&store, &settings, &mut again).unwrap();
    assert_eq!(again.sites, outcome.report.sites);
    assert_eq!(again.trend, outcome.report.trend);

    // An unreachable site graded by the availability veto (the failing band, no score)
    // counts in the trend's 合格率 as in the overview's, so 合格率由…变为… compares like
    // with like; the trend's mean and count stay with the scored sites.
    let fail = settings.rules.grades.last().unwrap().name.clone();
    let victim = outcome
        .report
        .sites
        .iter()
        .find(|s| s.score.is_some() && s.grade.as_deref() != Some(fail.as_str()))
        .unwrap()
        .id
        .clone();
    let mut writable = govscore::store::Store::open(&tmp.path().join("govscore.db")).unwrap();
    writable
        .save_scorecards(
            outcome.run_id,
            [govscore::store::Scorecard {
                site_id: &victim,
                score: None,
                grade: Some(&fail),
                rank: None,
                json: &serde_json::json!({}),
            }],
        )
        .unwrap();
    let mut vetoed = outcome.report.clone();
    for s in vetoed.sites.iter_mut().filter(|s| s.id == victim) {
        s.score = None;
        s.grade = Some(fail.clone());
    }
    pipeline::add_history(&writable, &settings, &mut vetoed).unwrap();
    let overview = govscore::report::common::Overview::of(&vetoed);
    let point = vetoed.trend.last().unwrap();
    assert_eq!(point.pass_rate, overview.pass_rate);
    assert_eq!(point.assessed as usize, overview.assessable);
    assert_eq!(overview.judged, overview.assessable + 1);

    // `govscore score --run N` prints the same scores.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_govscore"))
        .arg("score")
        .arg("--config")
        .arg(&config)
        .arg("--db")
        .arg(tmp.path().join("govscore.db"))
        .arg("--run")
        .arg(outcome.run_id.to_string())
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    for site in &outcome.report.sites {
        let line = text
            .lines()
            .find(|l| l.contains(&site.name))
            .unwrap_or_else(|| panic!("{} missing from:\n{text}", site.name));
        if let Some(score) = site.score {
            assert!(line.contains(&format!("{score:.1}")), "{line}");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn crawl_stores_without_reports_and_report_writes_them_from_the_database() {
    let as_of = d("2023-03-15");
    let tmp = tempfile::tempdir().unwrap();
    let (server, _) = sim_and_settings(as_of, tmp.path()).await;
    let config = tmp.path().join("config.yaml");
    std::fs::write(&config, server.config_yaml()).unwrap();
    let dir = tmp.path().to_path_buf();
    let out = tokio::task::spawn_blocking(move || {
        let bin = env!("CARGO_BIN_EXE_govscore");
        let crawl = std::process::Command::new(bin)
            .args(["crawl", "--as-of", "2023-03-15", "--config"])
            .arg(dir.join("config.yaml"))
            .output()
            .unwrap();
        let report = std::process::Command::new(bin)
            .args(["report", "--run", "1", "--config"])
            .arg(dir.join("config.yaml"))
            .arg("--out")
            .arg(dir.join("later"))
            .output()
            .unwrap();
        (crawl, report)
    })
    .await
    .unwrap();
    let (crawl, report) = out;
    let text = String::from_utf8_lossy(&crawl.stdout);
    assert_eq!(
        crawl.status.code(),
        Some(0),
        "{text}\n{}",
        String::from_utf8_lossy(&crawl.stderr)
    );
    assert!(text.contains("已抓取并入库"), "{text}");
    assert!(
        !tmp.path().join("reports").exists(),
        "crawl writes no report files"
    );
    assert_eq!(
        report.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&report.stderr)
    );
    for f in [
        "report.json",
        "report.md",
        "report.html",
        "report.xlsx",
        "findings.csv",
        "tongbao.md",
    ] {
        assert!(tmp.path().join("later").join(f).exists(), "{f}");
    }
    server.shutdown().await;
}
