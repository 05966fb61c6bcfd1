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

/// robots.txt answering 500 (RFC 9309: unreachable → disallow all): the site is not
/// assessable with the reason "robots.txt 无法读取", costs nothing, and the other sites
/// are assessed as usual.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn robots_txt_500_makes_the_site_blocked_without_deductions() {
    let as_of = d("2023-03-15");
    let tmp = tempfile::tempdir().unwrap();
    let (server, settings) = sim_and_settings(as_of, tmp.path()).await;
    assert!(settings.crawl.respect_robots);
    let own_host = server
        .district()
        .sites
        .iter()
        .find(|s| s.host > 0)
        .expect("a subsite on a host of its own")
        .id
        .clone();
    server.set_behavior(&own_host, SiteBehavior::Robots500);
    let outcome = pipeline::run(&settings, run_opts(tmp.path(), "r", "db", as_of))
        .await
        .unwrap();
    let site = outcome
        .report
        .sites
        .iter()
        .find(|s| s.id == own_host)
        .unwrap();
    assert_eq!(site.status, "blocked");
    let reason = site.status_reason.as_deref().unwrap_or("");
    assert!(reason.contains("robots.txt 无法读取"), "{reason}");
    assert!(site.findings.is_empty(), "{:?}", site.findings);
    assert!(site.vetoes.is_empty());
    assert_eq!(site.score, None);
    let others_scored = outcome
        .report
        .sites
        .iter()
        .filter(|s| s.id != own_host)
        .all(|s| s.status != "blocked");
    assert!(others_scored);
    server.shutdown().await;
}

mod cli {
    use std::process::{Command, Stdio};

    const BIN: &str = env!("CARGO_BIN_EXE_govscore");

    /// `govscore rules list | true`: the reader is gone before govscore writes; it ends
    /// quietly instead of panicking with exit 101.
    #[test]
    fn a_closed_stdout_ends_quietly() {
        let (reader, writer) = std::io::pipe().unwrap();
        drop(reader);
        let out = Command::new(BIN)
            .args([
                "rules",
                "list",
                "--config",
                concat!(env!("CARGO_MANIFEST_DIR"), "/config.yaml"),
            ])
            .stdout(writer)
            .stderr(Stdio::piped())
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{err}");
        assert!(!err.contains("panicked"), "{err}");
    }

    /// Logs written to a file or journald (stderr not a terminal) carry no ANSI colours.
    #[test]
    fn logs_are_plain_when_stderr_is_not_a_terminal() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("config.yaml");
        // Port 9 on loopback refuses at once: a short crawl that logs.
        std::fs::write(
            &path,
            "district: 孟津区\nsites:\n  - id: portal\n    name: 孟津区人民政府\n    role: portal\n    url: http://127.0.0.1:9/\ncrawl:\n  retries: 0\nstorage:\n  database: d.db\n",
        )
        .unwrap();
        let out = Command::new(BIN)
            .args(["crawl", "--config"])
            .arg(&path)
            .env("RUST_LOG", "debug")
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("DEBUG"), "{err}");
        assert!(!err.contains('\u{1b}'), "ANSI escape in {err:?}");
    }
}

mod runs {
    use govscore::sim::{District, SimConfig, SimServer, SiteBehavior};
    use govscore::store::{RunRow, Store};
    use std::path::Path;
    use std::process::{Child, Command, Stdio};
    use std::time::{Duration, Instant};

    const BIN: &str = env!("CARGO_BIN_EXE_govscore");

    /// A portal and three subsites, one of which hangs (a 120 s client timeout keeps the
    /// run busy on it), and a config for it in `dir`.
    async fn hanging_district(dir: &Path) -> (SimServer, std::path::PathBuf) {
        let as_of = crate::support::d("2023-03-15");
        let cfg = SimConfig {
            subsites: 3,
            ..SimConfig::new(as_of)
        };
        let server = SimServer::start(District::generate(&cfg), ([127, 0, 0, 1], 0).into())
            .await
            .expect("simulator starts on loopback");
        let hanging = server.district().sites[1].id.clone();
        server.set_behavior(&hanging, SiteBehavior::Timeout);
        let yaml = server
            .config_yaml()
            .replace("timeout_s: 5", "timeout_s: 120");
        assert!(yaml.contains("timeout_s: 120"));
        let config = dir.join("config.yaml");
        std::fs::write(&config, yaml).unwrap();
        (server, config)
    }

    fn spawn_run(config: &Path, dir: &Path) -> Child {
        Command::new(BIN)
            .args([
                "run",
                "--as-of",
                "2023-03-15",
                "--observed-on",
                "2023-03-15",
            ])
            .arg("--config")
            .arg(config)
            .arg("--out")
            .arg(dir.join("out"))
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("govscore run starts")
    }

    fn runs(db: &Path) -> Vec<RunRow> {
        Store::open_read_only(db)
            .and_then(|s| s.runs(10))
            .unwrap_or_default()
    }

    /// Polls (async, so the simulator keeps serving) until a run is `running`.
    async fn wait_running(db: &Path) -> i64 {
        let start = Instant::now();
        loop {
            if let Some(r) = runs(db).iter().find(|r| r.status == "running") {
                // Let the crawl get going.
                tokio::time::sleep(Duration::from_millis(800)).await;
                return r.id;
            }
            assert!(start.elapsed() < Duration::from_secs(60), "no running run");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    async fn wait_exit(child: &mut Child) -> Option<i32> {
        let start = Instant::now();
        loop {
            if let Some(status) = child.try_wait().expect("wait") {
                return status.code();
            }
            if start.elapsed() > Duration::from_secs(60) {
                let _ = child.kill();
                panic!("govscore run did not exit after the signal");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    fn govscore(args: &[&str], config: &Path) -> (Option<i32>, String, String) {
        let out = Command::new(BIN)
            .args(args)
            .arg("--config")
            .arg(config)
            .output()
            .unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    }

    /// kill -9 in the middle of `run`: `score` refuses the run (exit 3) instead of ranking
    /// the one unit crawled as if it were the district; the next command that writes the
    /// database closes the run as interrupted, naming the dead process; `--allow-partial`
    /// scores it and every report format says the data is partial.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn kill_9_then_score_refuses_the_partial_run_and_a_writer_closes_it() {
        let tmp = tempfile::tempdir().unwrap();
        let (server, config) = hanging_district(tmp.path()).await;
        let db = tmp.path().join("data/govscore.db");
        let mut child = spawn_run(&config, tmp.path());
        let run_id = wait_running(&db).await;
        child.kill().unwrap(); // SIGKILL
        let _ = child.wait();
        let id = run_id.to_string();

        let (code, stdout, stderr) = govscore(
            &["score", "--db", db.to_str().unwrap(), "--run", &id],
            &config,
        );
        assert_eq!(code, Some(3), "{stdout}{stderr}");
        assert!(stderr.contains("--allow-partial"), "{stderr}");
        assert!(stdout.is_empty(), "nothing ranked: {stdout}");

        // Any writer closes it (here the store itself, as `run`, `crawl` and the daemon do).
        drop(Store::open(&db).unwrap());
        let row = runs(&db).into_iter().find(|r| r.id == run_id).unwrap();
        assert_eq!(row.status, "interrupted");
        let why = Store::open_read_only(&db)
            .unwrap()
            .run_incomplete(run_id)
            .unwrap()
            .unwrap();
        assert!(why.contains(&format!("pid {}", child.id())), "{why}");

        let (code, stdout, stderr) = govscore(
            &[
                "score",
                "--db",
                db.to_str().unwrap(),
                "--run",
                &id,
                "--allow-partial",
            ],
            &config,
        );
        assert_eq!(code, Some(0), "{stderr}");
        assert!(!stdout.is_empty());
        assert!(stderr.contains("数据不完整"), "{stderr}");

        let out = tmp.path().join("partial");
        let (code, _, stderr) = govscore(
            &[
                "report",
                "--db",
                db.to_str().unwrap(),
                "--run",
                &id,
                "--allow-partial",
                "--out",
                out.to_str().unwrap(),
            ],
            &config,
        );
        assert_eq!(code, Some(0), "{stderr}");
        for file in ["report.md", "tongbao.md", "report.html", "findings.csv"] {
            let text = std::fs::read_to_string(out.join(file)).unwrap();
            assert!(
                text.contains("数据不完整"),
                "{file} does not say the run was partial"
            );
        }
        let json: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(out.join("report.json")).unwrap())
                .unwrap();
        assert!(
            json["partial_run"]
                .as_str()
                .unwrap()
                .contains("interrupted")
        );
        server.shutdown().await;
    }

    /// SIGTERM and SIGINT mark the run interrupted, with the reason, before `run` exits.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sigterm_and_sigint_mark_the_run_interrupted_before_exit() {
        let tmp = tempfile::tempdir().unwrap();
        let (server, config) = hanging_district(tmp.path()).await;
        let db = tmp.path().join("data/govscore.db");
        for sig in ["-TERM", "-INT"] {
            let mut child = spawn_run(&config, tmp.path());
            let run_id = wait_running(&db).await;
            let sent = Command::new("kill")
                .args([sig, &child.id().to_string()])
                .status()
                .unwrap();
            assert!(sent.success());
            assert_eq!(wait_exit(&mut child).await, Some(1), "{sig}");
            let row = runs(&db).into_iter().find(|r| r.id == run_id).unwrap();
            assert_eq!(row.status, "interrupted", "{sig}");
            assert!(row.finished_at.is_some());
            let why = Store::open_read_only(&db)
                .unwrap()
                .run_incomplete(run_id)
                .unwrap()
                .unwrap();
            assert!(why.contains("停止信号"), "{why}");
        }
        server.shutdown().await;
    }
}

mod config {
    use std::path::Path;
    use std::process::{Command, Stdio};
    use std::time::{Duration, Instant};

    const BIN: &str = env!("CARGO_BIN_EXE_govscore");

    /// "Billion laughs" in under 4 KB: ten levels of ten aliases each (10^10 values once
    /// expanded; an unbounded reader needs gigabytes).
    fn alias_bomb() -> String {
        let mut s = String::from(
            "district: 孟津区\nlol: &a0 [\"哈哈哈哈哈哈哈哈\", \"哈哈哈哈哈哈哈哈\", \"哈哈哈哈哈哈哈哈\", \"哈哈哈哈哈哈哈哈\", \"哈哈哈哈哈哈哈哈\", \"哈哈哈哈哈哈哈哈\", \"哈哈哈哈哈哈哈哈\", \"哈哈哈哈哈哈哈哈\", \"哈哈哈哈哈哈哈哈\", \"哈哈哈哈哈哈哈哈\"]\n",
        );
        for i in 1..=10 {
            let refs = vec![format!("*a{}", i - 1); 10].join(", ");
            s.push_str(&format!("lol{i}: &a{i} [{refs}]\n"));
        }
        assert!(s.len() <= 4096, "{}", s.len());
        s
    }

    fn check(path: &Path) -> (Option<i32>, String) {
        let out = Command::new(BIN)
            .args(["check", "--config"])
            .arg(path)
            .output()
            .unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    }

    #[test]
    fn check_refuses_a_4kb_alias_bomb_at_the_alias_with_exit_3() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("config.yaml");
        std::fs::write(&path, alias_bomb()).unwrap();
        let (code, err) = check(&path);
        assert_eq!(code, Some(3), "{err}");
        assert!(err.contains("alias"), "{err}");
        // Refused at the alias that crosses the limit, on one of the last lines.
        assert!(
            err.contains("config.yaml:7:") || err.contains("config.yaml:8:"),
            "{err}"
        );
    }

    #[test]
    fn check_locates_invalid_utf8_in_config_and_rule_files_with_an_encoding_hint() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("config.yaml");
        let mut bytes = b"district: ".to_vec();
        bytes.extend_from_slice(&encoding_rs::GBK.encode("孟津区").0);
        bytes.push(b'\n');
        std::fs::write(&path, &bytes).unwrap();
        let (code, err) = check(&path);
        assert_eq!(code, Some(3), "{err}");
        assert!(err.contains("config.yaml:1:11"), "{err}");
        assert!(err.contains("UTF-8"), "{err}");
        assert!(!err.contains("fix the path"), "{err}");

        let rules = tmp.path().join("rules");
        std::fs::create_dir(&rules).unwrap();
        let mut rule = b"rules:\n  - id: x\n    title: ".to_vec();
        rule.extend_from_slice(&encoding_rs::GBK.encode("更新").0);
        rule.push(b'\n');
        std::fs::write(rules.join("local.yaml"), &rule).unwrap();
        std::fs::write(
            &path,
            "district: 孟津区\nsites:\n  - id: portal\n    name: 孟津区人民政府\n    role: portal\n    url: http://127.0.0.1:18080/\nrules: rules\n",
        )
        .unwrap();
        let (code, err) = check(&path);
        assert_eq!(code, Some(3), "{err}");
        assert!(err.contains("local.yaml:3:12"), "{err}");
        assert!(err.contains("UTF-8"), "{err}");
        assert!(!err.contains("fix the path"), "{err}");
    }

    /// SIGHUP with an alias bomb: the daemon refuses the reload, keeps its config and
    /// keeps running (it used to be killed for memory).
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sighup_with_an_alias_bomb_keeps_the_daemon_and_its_config() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("config.yaml");
        // No site needs to answer: the schedule never fires during the test.
        std::fs::write(
            &path,
            "district: 孟津区\nsites:\n  - id: portal\n    name: 孟津区人民政府\n    role: portal\n    url: http://127.0.0.1:9/\nschedule:\n  assess: \"0 0 1 1 *\"\ndaemon:\n  catch_up: false\n",
        )
        .unwrap();
        let log = tmp.path().join("daemon.log");
        let mut child = Command::new(BIN)
            .args(["daemon", "--config"])
            .arg(&path)
            .env("RUST_LOG", "info")
            .env_remove("NOTIFY_SOCKET")
            .env_remove("WATCHDOG_USEC")
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(&log).unwrap())
            .spawn()
            .unwrap();
        let pid = child.id().to_string();
        let mut wait_log = |what: &str| {
            let start = Instant::now();
            loop {
                let text = std::fs::read_to_string(&log).unwrap_or_default();
                if text.contains(what) {
                    return text;
                }
                if let Ok(Some(status)) = child.try_wait() {
                    panic!("daemon exited ({status}) before logging {what:?}: {text}");
                }
                assert!(
                    start.elapsed() < Duration::from_secs(60),
                    "no {what:?} in the log: {text}"
                );
                std::thread::sleep(Duration::from_millis(100));
            }
        };
        wait_log("后台服务已启动");
        std::fs::write(&path, alias_bomb()).unwrap();
        let hup = Command::new("kill").args(["-HUP", &pid]).status().unwrap();
        assert!(hup.success());
        let text = wait_log("reload refused");
        assert!(text.contains("alias"), "{text}");
        assert!(
            child.try_wait().unwrap().is_none(),
            "the daemon keeps running"
        );
        let term = Command::new("kill")
            .args(["-TERM", &child.id().to_string()])
            .status()
            .unwrap();
        assert!(term.success());
        let start = Instant::now();
        let status = loop {
            if let Some(s) = child.try_wait().unwrap() {
                break s;
            }
            assert!(start.elapsed() < Duration::from_secs(60));
            std::thread::sleep(Duration::from_millis(100));
        };
        assert_eq!(status.code(), Some(0));
    }
}

/// Database work runs off the async workers: while another process holds the database's
/// write lock, a run waits for it on a blocking thread and the runtime (one thread here)
/// keeps serving other tasks — probes, signals, the simulator itself.
#[test]
fn a_locked_database_does_not_stall_the_runtime() {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::{Duration, Instant};
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("locked.db");
    drop(govscore::store::Store::open(&db).unwrap());
    let ticks = Arc::new(AtomicUsize::new(0));
    // Another writer takes the lock and holds it until the runtime has ticked 20 times
    // (or 30 s pass: longer than the store's 10 s busy timeout, so a stalled runtime
    // fails the run).
    let (holder_ticks, holder_db) = (ticks.clone(), db.clone());
    let (locked_tx, locked_rx) = std::sync::mpsc::channel();
    let holder = std::thread::spawn(move || {
        let conn = rusqlite::Connection::open(&holder_db).unwrap();
        conn.execute_batch("BEGIN IMMEDIATE").unwrap();
        locked_tx.send(()).unwrap();
        let start = Instant::now();
        let seen = holder_ticks.load(Ordering::SeqCst);
        while holder_ticks.load(Ordering::SeqCst) < seen + 20
            && start.elapsed() < Duration::from_secs(30)
        {
            std::thread::sleep(Duration::from_millis(5));
        }
        let ticked = holder_ticks.load(Ordering::SeqCst) - seen;
        conn.execute_batch("COMMIT").unwrap();
        ticked
    });
    locked_rx.recv().unwrap();
    let outcome = rt.block_on(async move {
        let as_of = d("2023-03-15");
        let sim_dir = tempfile::tempdir().unwrap();
        let (server, settings) = sim_and_settings(as_of, sim_dir.path()).await;
        let ticker = tokio::spawn(async move {
            loop {
                ticks.fetch_add(1, Ordering::SeqCst);
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
        });
        let mut opts = run_opts(sim_dir.path(), "r", "unused", as_of);
        opts.db = Some(db);
        opts.write_reports = false;
        let outcome = pipeline::run(&settings, opts).await;
        ticker.abort();
        server.shutdown().await;
        outcome
    });
    let ticked = holder.join().unwrap();
    assert!(
        ticked >= 20,
        "the runtime stalled while the database was locked"
    );
    assert!(outcome.is_ok(), "{:?}", outcome.err());
}

/// A site whose certificate does not verify (self-signed here; an incomplete chain in the
/// field) is assessed, not "unreachable", and gets a 证书问题 warning that costs nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_site_with_a_bad_certificate_is_assessed_with_a_certificate_finding() {
    let as_of = d("2023-03-15");
    let tmp = tempfile::tempdir().unwrap();
    let (addr, _) = crate::fetch::certificates::self_signed_server(
        "<html><head><title>孟津区人民政府</title></head><body><ul><li><a href=\"/a.html\">关于开展政务公开工作的通知</a><span>2023-03-14</span></li></ul></body></html>",
    )
    .await;
    let yaml = format!(
        "district: 孟津区\nsites:\n  - id: portal\n    name: 孟津区人民政府\n    role: portal\n    url: https://{addr}/\ncrawl:\n  retries: 0\n  timeout_s: 5\n"
    );
    let settings = govscore::config::load_str(&yaml, "config.yaml", tmp.path()).unwrap();
    let outcome = pipeline::run(&settings, run_opts(tmp.path(), "r", "db", as_of))
        .await
        .unwrap();
    let site = &outcome.report.sites[0];
    assert_ne!(site.status, "unreachable", "{:?}", site.status_reason);
    assert!(site.score.is_some());
    let cert: Vec<_> = site
        .findings
        .iter()
        .filter(|f| f.rule == "certificate")
        .collect();
    assert_eq!(cert.len(), 1, "{:?}", site.findings);
    assert!(cert[0].message.contains("证书问题"));
    assert_eq!(cert[0].points, 0.0);
    // `score` from the database alone reproduces it.
    let store = govscore::store::Store::open_read_only(&tmp.path().join("db")).unwrap();
    let snapshot = store.snapshot(outcome.run_id).unwrap();
    let mut again = pipeline::build_report(&settings, &snapshot, outcome.run_id);
    pipeline::add_history(&store, &settings, &mut again).unwrap();
    assert!(
        again.sites[0]
            .findings
            .iter()
            .any(|f| f.rule == "certificate")
    );
}
