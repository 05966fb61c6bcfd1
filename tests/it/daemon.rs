//! The daemon, probes, availability rule, webhooks, dashboard and systemd unit. The daemon
//! tests spawn the real binary against the simulated district on loopback; the schedule
//! runs every 3 seconds. Only generous time bounds are asserted.

use crate::support::d;
use chrono::{DateTime, Duration as CDuration, NaiveDate, Utc};
use govscore::pipeline::{self, RunOptions};
use govscore::sim::{District, SimConfig, SimServer, SiteBehavior};
use govscore::store::{Probe, Store};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_govscore");

/// A small district (portal + 3 subsites) so each run takes seconds.
async fn small_sim(as_of: NaiveDate) -> SimServer {
    let cfg = SimConfig {
        subsites: 3,
        ..SimConfig::new(as_of)
    };
    SimServer::start(District::generate(&cfg), ([127, 0, 0, 1], 0).into())
        .await
        .expect("simulator starts on loopback")
}

fn today_shanghai() -> NaiveDate {
    Utc::now()
        .with_timezone(&chrono_tz::Asia::Shanghai)
        .date_naive()
}

/// The simulator's config plus the daemon's sections.
fn daemon_yaml(server: &SimServer, extra: &str) -> String {
    format!(
        "{}schedule:\n  assess: \"*/3 * * * * *\"\ndaemon:\n  catch_up: false\n  grace_s: 5\n{extra}",
        server.config_yaml()
    )
}

fn spawn_daemon(config: &Path, log: &Path) -> Child {
    let log = std::fs::File::create(log).expect("log file");
    Command::new(BIN)
        .args(["daemon", "--config"])
        .arg(config)
        .env("RUST_LOG", "info")
        .env_remove("NOTIFY_SOCKET")
        .env_remove("WATCHDOG_USEC")
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .expect("daemon starts")
}

/// The daemon as systemd starts it: with a notify socket and a watchdog interval.
fn spawn_notified(config: &Path, sock: &Path, watchdog_usec: &str, log: &Path) -> Child {
    let log = std::fs::File::create(log).expect("log file");
    Command::new(BIN)
        .args(["daemon", "--config"])
        .arg(config)
        .env("NOTIFY_SOCKET", sock)
        .env("WATCHDOG_USEC", watchdog_usec)
        .env("WATCHDOG_PID", "")
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .expect("daemon starts")
}

fn signal(child: &Child, sig: &str) {
    let ok = Command::new("kill")
        .args([sig, &child.id().to_string()])
        .status()
        .expect("kill runs")
        .success();
    assert!(ok, "kill {sig} failed");
}

/// Waits for the child to exit within `limit`; kills it and panics otherwise.
fn wait_exit(child: &mut Child, limit: Duration) -> i32 {
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().expect("wait") {
            return status.code().unwrap_or(-1);
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            panic!("daemon did not exit within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn runs(db: &Path) -> Vec<govscore::store::RunRow> {
    match Store::open_read_only(db) {
        Ok(s) => s.runs(100).unwrap_or_default(),
        Err(_) => Vec::new(),
    }
}

/// Polls until `pred` holds on the stored runs (async so the simulator keeps serving).
async fn wait_runs(
    db: &Path,
    limit: Duration,
    what: &str,
    pred: impl Fn(&[govscore::store::RunRow]) -> bool,
) -> Vec<govscore::store::RunRow> {
    let start = Instant::now();
    loop {
        let r = runs(db);
        if pred(&r) {
            return r;
        }
        assert!(
            start.elapsed() < limit,
            "timed out waiting for {what}; runs: {r:?}"
        );
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}

fn finished(r: &[govscore::store::RunRow]) -> usize {
    r.iter().filter(|x| x.status == "finished").count()
}

/// (webhook name, JSON body) of every POST received.
type Received = Arc<Mutex<Vec<(String, serde_json::Value)>>>;

/// A loopback webhook receiver: records (path, JSON body) of every POST.
async fn webhook_server() -> (String, Received) {
    use axum::extract::{Path as P, State};
    let got: Received = Arc::default();
    let app = axum::Router::new()
        .route(
            "/hook/{name}",
            axum::routing::post(
                |State(got): State<Received>, P(name): P<String>, body: String| async move {
                    let v = serde_json::from_str(&body).unwrap_or(serde_json::Value::Null);
                    got.lock().unwrap().push((name, v));
                    "ok"
                },
            ),
        )
        .with_state(got.clone());
    let base = format!("http://{}/hook", crate::support::serve(app).await);
    (base, got)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn daemon_runs_on_schedule_probes_notifies_and_keeps_its_config_on_a_bad_reload() {
    let tmp = tempfile::tempdir().unwrap();
    let server = small_sim(today_shanghai()).await;
    let (hooks, got) = webhook_server().await;
    let extra = format!(
        "notify:\n  webhooks:\n    - {{url: \"{hooks}/generic\"}}\n    - {{url: \"{hooks}/ding\", format: dingtalk, events: [run_finished]}}\n    - {{url: \"{hooks}/wecom\", format: wecom, events: [run_finished]}}\n"
    );
    let config = tmp.path().join("config.yaml");
    std::fs::write(&config, daemon_yaml(&server, &extra)).unwrap();
    let db = tmp.path().join("data/govscore.db");
    let log = tmp.path().join("daemon.log");
    let mut child = spawn_daemon(&config, &log);

    wait_runs(&db, Duration::from_secs(120), "a first finished run", |r| {
        finished(r) >= 1
    })
    .await;

    // A second daemon on the same database is refused, naming the lock file.
    let second = Command::new(BIN)
        .args(["daemon", "--config"])
        .arg(&config)
        .output()
        .unwrap();
    assert_eq!(second.status.code(), Some(1));
    let err = String::from_utf8_lossy(&second.stderr);
    assert!(err.contains("govscore.db.lock"), "{err}");

    // Break the config and reload: the daemon logs every problem and keeps going.
    std::fs::write(&config, "district: 孟津区\nsites: []\nbogus_key: 1\n").unwrap();
    signal(&child, "-HUP");
    let before = finished(&runs(&db));
    let all = wait_runs(
        &db,
        Duration::from_secs(120),
        "a run after the bad reload",
        |r| finished(r) > before,
    )
    .await;
    assert!(finished(&all) >= 2);
    // Runs never overlap: at most one is running at a time.
    assert!(all.iter().filter(|r| r.status == "running").count() <= 1);
    // Every finished run has its own report folder, and reports/latest exists.
    for r in all.iter().filter(|r| r.status == "finished") {
        let dir = r.report_dir.as_ref().expect("report folder recorded");
        assert!(dir.join("report.json").is_file(), "{}", dir.display());
    }
    assert!(tmp.path().join("reports/latest/report.json").exists());

    // A valid new config is applied on SIGHUP: the next run uses it.
    let renamed = daemon_yaml(&server, &extra).replace("district: 孟津区", "district: 孟津区重载");
    assert!(renamed.contains("孟津区重载"));
    std::fs::write(&config, renamed).unwrap();
    signal(&child, "-HUP");
    let before = finished(&runs(&db));
    let after_good = wait_runs(
        &db,
        Duration::from_secs(120),
        "a run after the good reload",
        |r| finished(r) > before + 1,
    )
    .await;
    let last = after_good
        .iter()
        .filter(|r| r.status == "finished")
        .max_by_key(|r| r.id)
        .unwrap();
    let json =
        std::fs::read_to_string(last.report_dir.as_ref().unwrap().join("report.json")).unwrap();
    assert!(
        json.contains("\"district\": \"孟津区重载\""),
        "the reloaded config is in force"
    );

    signal(&child, "-TERM");
    assert_eq!(wait_exit(&mut child, Duration::from_secs(60)), 0);
    let log = std::fs::read_to_string(&log).unwrap();
    assert!(log.contains("configuration reloaded"), "{log}");
    assert!(log.contains("reload refused"), "{log}");
    assert!(log.contains("bogus_key"), "every problem is logged: {log}");

    // Probes: the first round runs at start-up, one per site.
    let store = Store::open_read_only(&db).unwrap();
    let far = Utc::now() + CDuration::days(1);
    let epoch = Utc::now() - CDuration::days(1);
    let portal = store.probes_between("portal", epoch, far).unwrap();
    assert!(!portal.is_empty(), "the portal was probed");
    assert!(portal.iter().all(|p| p.ok && p.status == Some(200)));

    // Webhooks: the run summary arrived in all three formats.
    let got = got.lock().unwrap().clone();
    let generic = got
        .iter()
        .find(|(n, v)| n == "generic" && v["event"] == "run_finished")
        .expect("generic run_finished payload");
    assert!(generic.1["text"].as_str().unwrap().contains("检查完成"));
    assert!(generic.1["key"].as_str().unwrap().starts_with("run:"));
    let ding = got
        .iter()
        .find(|(n, _)| n == "ding")
        .expect("dingtalk payload");
    assert_eq!(ding.1["msgtype"], "markdown");
    assert!(
        ding.1["markdown"]["title"]
            .as_str()
            .unwrap()
            .contains("检查完成")
    );
    assert!(
        ding.1["markdown"]["text"]
            .as_str()
            .unwrap()
            .contains("监测时间点")
    );
    let wecom = got
        .iter()
        .find(|(n, _)| n == "wecom")
        .expect("wecom payload");
    assert_eq!(wecom.1["msgtype"], "markdown");
    assert!(
        wecom.1["markdown"]["content"]
            .as_str()
            .unwrap()
            .contains("监测时间点")
    );
    // The run_finished-only hooks received nothing else.
    assert!(
        got.iter()
            .filter(|(n, _)| n != "generic")
            .all(|(_, v)| v["msgtype"] == "markdown")
    );
    // De-duplication: one summary per run, never two for the same run.
    let mut keys: Vec<&str> = got
        .iter()
        .filter(|(n, _)| n == "generic")
        .filter_map(|(_, v)| v["key"].as_str())
        .collect();
    let n = keys.len();
    keys.sort();
    keys.dedup();
    assert_eq!(keys.len(), n, "no alert sent twice: {keys:?}");
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_during_a_crawl_leaves_an_interrupted_run_and_a_restart_completes_the_next() {
    let tmp = tempfile::tempdir().unwrap();
    let server = small_sim(today_shanghai()).await;
    let hanging = server.district().sites[1].id.clone();
    server.set_behavior(&hanging, SiteBehavior::Timeout);
    // A long client timeout keeps the crawl busy on the hanging site.
    let yaml = daemon_yaml(&server, "").replace("timeout_s: 5", "timeout_s: 120");
    assert!(yaml.contains("timeout_s: 120"));
    let config = tmp.path().join("config.yaml");
    std::fs::write(&config, yaml).unwrap();
    let db = tmp.path().join("data/govscore.db");
    let mut child = spawn_daemon(&config, &tmp.path().join("d1.log"));

    wait_runs(&db, Duration::from_secs(60), "a running assessment", |r| {
        r.iter().any(|x| x.status == "running")
    })
    .await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    signal(&child, "-TERM");
    let start = Instant::now();
    // grace_s is 5; generous bound for a loaded machine.
    assert_eq!(wait_exit(&mut child, Duration::from_secs(30)), 0);
    assert!(start.elapsed() < Duration::from_secs(30));
    let after = runs(&db);
    assert!(
        after.iter().any(|r| r.status == "interrupted"),
        "interrupted run stored: {after:?}"
    );
    assert_eq!(finished(&after), 0);

    // The site recovers; a restarted daemon completes the next run.
    server.set_behavior(&hanging, SiteBehavior::Normal);
    let mut child = spawn_daemon(&config, &tmp.path().join("d2.log"));
    wait_runs(
        &db,
        Duration::from_secs(120),
        "a finished run after restart",
        |r| finished(r) >= 1,
    )
    .await;
    signal(&child, "-TERM");
    assert_eq!(wait_exit(&mut child, Duration::from_secs(60)), 0);
    server.shutdown().await;
}

fn probe(site: &str, at: DateTime<Utc>, ok: bool) -> Probe {
    Probe {
        site_id: site.into(),
        at,
        ok,
        status: ok.then_some(200),
        reason: if ok {
            "HTTP 200 正常"
        } else {
            "连接超时"
        }
        .into(),
        elapsed_ms: if ok { 30 } else { 15_000 },
    }
}

/// One run of the small district as of 2023-03-15, in `dir`.
async fn one_run(dir: &Path) -> (SimServer, govscore::config::Settings, i64) {
    let as_of = d("2023-03-15");
    let server = small_sim(as_of).await;
    let settings =
        govscore::config::load_str(&server.config_yaml(), "sim-config.yaml", dir).unwrap();
    let opts = RunOptions {
        observed_on: Some(as_of),
        ..RunOptions::new(as_of)
    };
    let outcome = pipeline::run(&settings, opts).await.expect("run completes");
    (server, settings, outcome.run_id)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn availability_rule_vetoes_a_site_failing_one_probe_in_ten_and_not_without_evidence() {
    let tmp = tempfile::tempdir().unwrap();
    let (server, settings, run_id) = one_run(tmp.path()).await;
    let ids: Vec<String> = server
        .district()
        .sites
        .iter()
        .map(|s| s.id.clone())
        .collect();
    let store = Store::open(&settings.database).unwrap();
    // Hourly probes over the 7 days ending 2023-03-15 (UTC).
    let t0 = DateTime::parse_from_rfc3339("2023-03-09T00:30:00Z")
        .unwrap()
        .with_timezone(&Utc);
    for i in 0..168 {
        let at = t0 + CDuration::hours(i);
        store
            .record_probe(&probe(&ids[0], at, i % 10 != 0))
            .unwrap(); // 1 in 10 fails
        store.record_probe(&probe(&ids[1], at, true)).unwrap(); // always up
        store
            .record_probe(&probe(&ids[2], at, i % 25 != 0))
            .unwrap(); // 4%: warning only
        if i < 30 {
            store.record_probe(&probe(&ids[3], at, false)).unwrap(); // too few to judge
        }
    }
    // A probe after as_of does not count.
    store
        .record_probe(&probe(&ids[1], t0 + CDuration::days(8), false))
        .unwrap();
    let snap = store.snapshot(run_id).unwrap();
    let report = pipeline::build_report(&settings, &snap, run_id);
    let site = |id: &str| report.sites.iter().find(|s| s.id == id).unwrap();
    let rules_of = |id: &str| -> Vec<String> {
        site(id)
            .findings
            .iter()
            .filter(|f| f.kind == "availability")
            .map(|f| f.rule.clone())
            .collect()
    };

    let failing = site(&ids[0]);
    assert!(failing.vetoes.iter().any(|v| v.rule == "availability-veto"));
    assert_eq!(failing.grade.as_deref(), Some("不合格"));
    let f = failing
        .findings
        .iter()
        .find(|f| f.rule == "availability-veto")
        .unwrap();
    assert!(f.message.contains("168次"), "{}", f.message);
    assert!(f.message.contains("17次"), "{}", f.message);
    // One fact, one finding: the veto stands alone, without the warning on the same probes.
    assert_eq!(rules_of(&ids[0]), vec!["availability-veto".to_string()]);

    assert!(rules_of(&ids[1]).is_empty());
    assert_eq!(rules_of(&ids[2]), vec!["availability-warning".to_string()]);
    assert!(
        rules_of(&ids[3]).is_empty(),
        "30 probes are not enough evidence"
    );

    // The veto becomes an alert naming the unit's contacts.
    let mut settings = settings;
    settings.sites[0].contacts = vec!["张三 13800000000".into()];
    let alerts = govscore::daemon::notify::alerts_for_run(&settings, &report);
    let veto = alerts
        .iter()
        .find(|a| a.key == format!("veto:{}:availability-veto", ids[0]))
        .expect("veto alert");
    assert_eq!(veto.event, govscore::config::NotifyEvent::Veto);
    assert!(veto.text.contains("张三 13800000000"), "{}", veto.text);
    assert!(
        !alerts
            .iter()
            .any(|a| a.key.starts_with(&format!("veto:{}:", ids[1])))
    );
    server.shutdown().await;
}

async fn get(url: &str, bearer: Option<&str>) -> (u16, String) {
    let client = reqwest::Client::new();
    let mut req = client.get(url);
    if let Some(t) = bearer {
        req = req.header("Authorization", format!("Bearer {t}"));
    }
    let resp = req.send().await.expect("dashboard answers");
    let status = resp.status().as_u16();
    (status, resp.text().await.unwrap_or_default())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dashboard_serves_the_latest_ranking_reports_and_requires_its_token() {
    let tmp = tempfile::tempdir().unwrap();
    let (server, settings, run_id) = one_run(tmp.path()).await;
    let serve = |token: Option<&str>| {
        let app = govscore::serve::router(govscore::serve::ServeState {
            token: token.map(String::from),
            ..govscore::serve::ServeState::new(&settings, &settings.database)
        });
        async move { format!("http://{}", crate::support::serve(app).await) }
    };
    let base = serve(None).await;
    let (code, html) = get(&format!("{base}/"), None).await;
    assert_eq!(code, 200);
    let (_, api) = get(&format!("{base}/api/latest"), None).await;
    let api: serde_json::Value = serde_json::from_str(&api).unwrap();
    assert_eq!(api["run"]["id"], run_id);
    let sites = api["sites"].as_array().unwrap();
    assert_eq!(sites.len(), server.district().sites.len());
    let first = sites[0]["name"].as_str().unwrap();
    assert_eq!(sites[0]["rank"], 1);
    assert!(html.contains(first), "ranking shows the first site");
    // As in the reports: one table per role, the portal first, each in rank order, with
    // the rank in the role (本类) beside the overall one.
    let headers = ["【区政府门户网站】", "【部门网站】", "【乡镇（街道）网站】"];
    let at: Vec<usize> = headers
        .iter()
        .map(|h| {
            html.find(h)
                .unwrap_or_else(|| panic!("no {h} table:\n{html}"))
        })
        .collect();
    assert!(at.windows(2).all(|w| w[0] < w[1]), "role tables in order");
    assert!(html.contains("<th>本类</th><th>总排名</th>"));
    for (role, from, to) in [
        ("portal", at[0], at[1]),
        ("department", at[1], at[2]),
        ("town", at[2], html.len()),
    ] {
        let names: Vec<&str> = sites
            .iter()
            .filter(|s| s["role"] == role)
            .map(|s| s["name"].as_str().unwrap())
            .collect();
        assert!(!names.is_empty(), "{role}");
        let table = &html[from..to];
        let found: Vec<usize> = names
            .iter()
            .map(|n| {
                table
                    .find(&format!(">{n}</a>"))
                    .unwrap_or_else(|| panic!("{n} not under {role}"))
            })
            .collect();
        assert!(
            found.windows(2).all(|w| w[0] < w[1]),
            "{role}: ranked order"
        );
        // The best of the role is first in it, 本类 1 whatever its overall rank.
        let best = sites
            .iter()
            .find(|s| s["role"] == role && s["rank_in_role"] == 1);
        if let Some(best) = best {
            let row = format!(
                "<tr><td>1</td><td>{}</td><td><a href=\"/site/",
                best["rank"]
            );
            assert!(table.contains(&row), "{role}: {row}");
        }
    }

    // A unit with a weekly cadence rule (a department or town) shows met/missed weeks.
    let judged = sites
        .iter()
        .find(|s| {
            s["columns"].as_array().into_iter().flatten().any(|c| {
                c["weekly"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .any(|w| w["met"].is_boolean())
            })
        })
        .expect("some unit has a weekly cadence rule");
    let id = judged["id"].as_str().unwrap();
    let (code, detail) = get(&format!("{base}/site/{id}"), None).await;
    assert_eq!(code, 200);
    assert!(detail.contains("每周更新"));
    assert!(
        detail.contains("class=\"met\"") || detail.contains("class=\"miss\""),
        "{detail}"
    );

    let (code, json) = get(&format!("{base}/runs/{run_id}/report.json"), None).await;
    assert_eq!(code, 200);
    assert!(json.contains("govscore.report/1"));
    let (code, _) = get(&format!("{base}/runs/{run_id}/config.yaml"), None).await;
    assert_eq!(code, 404, "only report files are served");
    let (code, _) = get(
        &format!("{base}/runs/{run_id}/..%2F..%2Fsim-config.yaml"),
        None,
    )
    .await;
    assert_eq!(code, 404);

    let token = "0123456789abcdef0123";
    let base = serve(Some(token)).await;
    assert_eq!(get(&format!("{base}/"), None).await.0, 401);
    assert_eq!(get(&format!("{base}/"), Some("wrong-token")).await.0, 401);
    assert_eq!(get(&format!("{base}/"), Some(token)).await.0, 200);
    assert_eq!(
        get(&format!("{base}/api/latest?token={token}"), None)
            .await
            .0,
        200
    );

    // The binary refuses a non-loopback bind without serve.token.
    let config = tmp.path().join("config.yaml");
    std::fs::write(&config, server.config_yaml()).unwrap();
    let out = Command::new(BIN)
        .args(["serve", "--listen", "0.0.0.0:0", "--config"])
        .arg(&config)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(3),
        "a refused address is invalid input"
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("拒绝在 0.0.0.0"), "{err}");
    assert!(err.contains("serve.token"), "{err}");
    server.shutdown().await;
}

fn unit_text() -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("systemd/govscore.service"))
        .expect("systemd/govscore.service exists")
}

#[test]
fn systemd_unit_has_the_key_settings_and_verifies() {
    let unit = unit_text();
    for line in [
        "Type=notify",
        "WatchdogSec=",
        "ExecStartPre=/usr/local/bin/govscore check",
        "ExecStart=/usr/local/bin/govscore daemon",
        "ExecReload=/bin/kill -HUP $MAINPID",
        "RestartPreventExitStatus=3",
        "DynamicUser=yes",
        "StateDirectory=govscore",
        "ProtectSystem=strict",
        "NoNewPrivileges=yes",
        "PrivateTmp=yes",
        "ProtectHome=yes",
        "RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX",
    ] {
        assert!(
            unit.lines().any(|l| l.trim().starts_with(line)),
            "unit lacks `{line}`"
        );
    }
    // `systemd-analyze verify` with the binary paths pointed at the built binary.
    let available = Command::new("systemd-analyze")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !available {
        eprintln!("systemd-analyze not available: verify skipped");
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let path: PathBuf = tmp.path().join("govscore.service");
    std::fs::write(&path, unit.replace("/usr/local/bin/govscore", BIN)).unwrap();
    let out = Command::new("systemd-analyze")
        .arg("verify")
        .arg(&path)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    let problems: Vec<&str> = err
        .lines()
        .filter(|l| l.contains("govscore.service"))
        .collect();
    assert!(out.status.success() && problems.is_empty(), "{err}");
}

#[test]
fn daemon_notify_and_serve_sections_are_validated_with_locations() {
    let base = "district: 孟津区\nsites:\n  - {id: a, name: 甲, role: portal, url: \"http://127.0.0.1:1/\", contacts: [张三]}\n";
    let ok = format!(
        "{base}daemon: {{probes_per_day: 48, retention_days: 30, catch_up: false}}\nnotify:\n  repeat_hours: 6\n  webhooks:\n    - {{url: \"http://127.0.0.1:9/h\", format: wecom, events: [veto]}}\nserve: {{token: \"0123456789abcdef\"}}\n"
    );
    let s = govscore::config::load_str(&ok, "c.yaml", Path::new(".")).unwrap();
    assert_eq!(s.daemon.probes_per_day, 48);
    assert!(!s.daemon.catch_up);
    assert_eq!(s.notify.repeat_hours, 6);
    assert_eq!(
        s.notify.webhooks[0].format,
        govscore::config::WebhookFormat::Wecom
    );
    assert_eq!(s.sites[0].contacts, vec!["张三".to_string()]);
    assert_eq!(s.serve.token.as_deref(), Some("0123456789abcdef"));

    let bad = format!(
        "{base}daemon: {{probes_per_day: 5, grace: 3}}\nnotify:\n  webhooks:\n    - {{url: \"http://127.0.0.1:9/h\", format: dingding}}\nserve: {{token: short}}\n"
    );
    let diags = govscore::config::load_str(&bad, "c.yaml", Path::new(".")).unwrap_err();
    let text = govscore::config::render_diagnostics(&diags);
    assert!(text.contains("probes_per_day"), "{text}");
    assert!(text.contains("grace_s"), "suggests the right key: {text}");
    assert!(text.contains("dingtalk"), "suggests the format: {text}");
    assert!(text.contains("token"), "{text}");
    assert!(diags.len() >= 4, "every problem at once: {text}");
}

/// The daemon speaks the sd_notify protocol to the socket systemd gives it: READY,
/// STATUS (next run, crawl progress), WATCHDOG pings when asked for, STOPPING.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn daemon_reports_ready_status_watchdog_and_stopping_over_notify_socket() {
    use std::os::unix::net::UnixDatagram;
    let tmp = tempfile::tempdir().unwrap();
    let server = small_sim(today_shanghai()).await;
    let config = tmp.path().join("config.yaml");
    std::fs::write(&config, daemon_yaml(&server, "")).unwrap();
    let sock_path = tmp.path().join("notify.sock");
    let sock = UnixDatagram::bind(&sock_path).unwrap();
    sock.set_read_timeout(Some(Duration::from_millis(200)))
        .unwrap();
    // Read continuously, as systemd does (an unread datagram queue would block the sender).
    let done = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let reader = {
        let done = done.clone();
        std::thread::spawn(move || {
            let mut messages = Vec::new();
            let mut buf = [0u8; 4096];
            loop {
                match sock.recv(&mut buf) {
                    Ok(n) => messages.push(String::from_utf8_lossy(&buf[..n]).to_string()),
                    Err(_) if done.load(std::sync::atomic::Ordering::SeqCst) => break,
                    Err(_) => {}
                }
            }
            messages
        })
    };
    let mut child = spawn_notified(&config, &sock_path, "2000000", &tmp.path().join("d.log"));
    let db = tmp.path().join("data/govscore.db");
    wait_runs(&db, Duration::from_secs(90), "a finished run", |r| {
        finished(r) >= 1
    })
    .await;
    signal(&child, "-TERM");
    assert_eq!(wait_exit(&mut child, Duration::from_secs(60)), 0);
    done.store(true, std::sync::atomic::Ordering::SeqCst);
    let all = reader.join().unwrap().join("\n");
    assert!(all.contains("READY=1"), "{all}");
    assert!(all.contains("STATUS=下次检查 "), "{all}");
    assert!(all.contains("STATUS=正在抓取 "), "{all}");
    assert!(all.contains("WATCHDOG=1"), "{all}");
    assert!(all.contains("STOPPING=1"), "{all}");
    server.shutdown().await;
}

/// A notify socket nobody reads (a stalled manager) must not stall the daemon: it still
/// runs on schedule and stops promptly on SIGTERM.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unread_notify_socket_does_not_stall_the_daemon() {
    use std::os::unix::net::UnixDatagram;
    let tmp = tempfile::tempdir().unwrap();
    let server = small_sim(today_shanghai()).await;
    let config = tmp.path().join("config.yaml");
    std::fs::write(&config, daemon_yaml(&server, "")).unwrap();
    let sock_path = tmp.path().join("notify.sock");
    let _sock = UnixDatagram::bind(&sock_path).unwrap(); // bound, never read
    let mut child = spawn_notified(&config, &sock_path, "200000", &tmp.path().join("d.log"));
    let db = tmp.path().join("data/govscore.db");
    wait_runs(&db, Duration::from_secs(90), "two finished runs", |r| {
        finished(r) >= 2
    })
    .await;
    signal(&child, "-TERM");
    assert_eq!(wait_exit(&mut child, Duration::from_secs(30)), 0);
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn probes_cover_the_discovered_subsites_of_the_latest_run() {
    let as_of = d("2023-03-15");
    let tmp = tempfile::tempdir().unwrap();
    let server = small_sim(as_of).await;
    let portal = server.district().portal().expect("portal").clone();
    // Only the portal is configured; discovery finds the three subsites from its navigation.
    let yaml = format!(
        "district: 孟津区\ndiscover: true\nsites:\n  - {{id: portal, name: {}, role: portal, url: \"{}\"}}\ncrawl: {{delay_ms: 0, timeout_s: 5}}\nstorage: {{database: govscore.db}}\n",
        portal.name,
        server.base_url()
    );
    let settings = govscore::config::load_str(&yaml, "config.yaml", tmp.path()).unwrap();
    let subsite_urls: Vec<String> = server
        .district()
        .sites
        .iter()
        .filter(|s| s.id != portal.id)
        .map(|s| server.site_url(&s.id).unwrap().to_string())
        .collect();
    assert_eq!(subsite_urls.len(), 3);

    // Before any run only the configured portal is known.
    let round = govscore::daemon::probe::probe_round(&settings)
        .await
        .unwrap();
    assert_eq!(round.len(), 1);
    assert_eq!(round[0].site_id, "portal");

    let opts = RunOptions {
        observed_on: Some(as_of),
        write_reports: false,
        ..RunOptions::new(as_of)
    };
    let outcome = pipeline::run(&settings, opts).await.expect("run completes");
    assert_eq!(
        outcome.report.sites.len(),
        4,
        "portal and three discovered subsites"
    );

    let round = govscore::daemon::probe::probe_round(&settings)
        .await
        .unwrap();
    assert_eq!(round.len(), 4, "{round:?}");
    for url in &subsite_urls {
        let site = outcome
            .report
            .sites
            .iter()
            .find(|s| &s.url == url)
            .unwrap_or_else(|| panic!("{url} discovered"));
        let probe = round
            .iter()
            .find(|p| p.site_id == site.id)
            .unwrap_or_else(|| panic!("{} ({url}) probed", site.id));
        assert!(probe.ok, "{probe:?}");
        assert_eq!(probe.status, Some(200));
    }

    // A discovered subsite that stops answering is a failed probe under its own id.
    let gone = server
        .district()
        .sites
        .iter()
        .find(|s| s.id != portal.id)
        .unwrap()
        .id
        .clone();
    server.set_behavior(&gone, SiteBehavior::Timeout);
    let mut quick = settings.clone();
    quick.crawl.timeout_s = 1;
    let round = govscore::daemon::probe::probe_round(&quick).await.unwrap();
    let gone_url = server.site_url(&gone).unwrap().to_string();
    let gone_id = &outcome
        .report
        .sites
        .iter()
        .find(|s| s.url == gone_url)
        .unwrap()
        .id;
    let probe = round
        .iter()
        .find(|p| &p.site_id == gone_id)
        .expect("probed");
    assert!(!probe.ok, "{probe:?}");
    server.shutdown().await;
}
