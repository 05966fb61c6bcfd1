//! The binary's contract: exit codes and diagnostics of `check`.

use std::process::Command;

fn govscore() -> Command {
    Command::new(env!("CARGO_BIN_EXE_govscore"))
}

#[test]
fn check_accepts_the_repository_config() {
    let out = govscore()
        .args(["check", "--config"])
        .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/config.yaml"))
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn check_reports_a_misspelled_key_with_location_and_suggestion_and_exits_3() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("config.yaml");
    std::fs::write(
        &path,
        "district: 孟津区\nsites:\n  - id: portal\n    name: 孟津区人民政府\n    role: portal\n    url: http://127.0.0.1:18080/\n    colums:\n      - name: 最新动态\n        class: news\n        url: http://127.0.0.1:18080/zwdt/\n",
    )
    .unwrap();
    let out = govscore()
        .args(["check", "--config"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("config.yaml:7:5"), "{err}");
    assert!(err.contains("colums"), "{err}");
    assert!(err.contains("是否应为 `columns`"), "{err}");
}

#[test]
fn check_reports_every_problem_at_once() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("config.yaml");
    std::fs::write(
        &path,
        "district: 孟津区\nsites:\n  - id: portal\n    name: A\n    role: portl\n    url: not a url\n  - id: portal\n    name: B\n    role: town\n    url: http://127.0.0.1:1/\nschedule:\n  assess: \"61 2 * * *\"\n",
    )
    .unwrap();
    let out = govscore()
        .args(["check", "--config"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("config.yaml:5:"), "role: {err}");
    assert!(err.contains("config.yaml:6:"), "url: {err}");
    assert!(err.contains("config.yaml:7:"), "duplicate id: {err}");
    assert!(err.contains("config.yaml:12:"), "cron: {err}");
}

#[test]
fn a_missing_config_file_is_reported_with_exit_3() {
    let out = govscore()
        .args(["check", "--config", "/nonexistent/govscore.yaml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&out.stderr).contains("/nonexistent/govscore.yaml"));
}

/// A config whose only site refuses connections: a run finishes with it unreachable.
fn unreachable_district(dir: &std::path::Path) -> std::path::PathBuf {
    let path = dir.join("config.yaml");
    std::fs::write(
        &path,
        "district: 孟津区\nsites:\n  - {id: portal, name: 孟津区人民政府, role: portal, url: \"http://127.0.0.1:1/\"}\ncrawl: {retries: 0, timeout_s: 2}\nstorage: {database: data/govscore.db}\nreports: {dir: reports}\n",
    )
    .unwrap();
    path
}

fn code_and_stderr(out: &std::process::Output) -> (Option<i32>, String) {
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Runs govscore with `args` in `cwd` (no GOVSCORE_CONFIG); returns (exit code, stdout, stderr).
fn govscore_in(cwd: &std::path::Path, args: &[&str]) -> (Option<i32>, String, String) {
    let out = govscore()
        .args(args)
        .current_dir(cwd)
        .env_remove("GOVSCORE_CONFIG")
        .output()
        .unwrap();
    let (code, err) = code_and_stderr(&out);
    (code, String::from_utf8_lossy(&out.stdout).into_owned(), err)
}

#[test]
fn help_and_version_exit_0_and_help_documents_the_exit_codes() {
    let tmp = tempfile::tempdir().unwrap();
    let (code, help, _) = govscore_in(tmp.path(), &["--help"]);
    assert_eq!(code, Some(0));
    for line in [
        "退出码",
        "0  成功",
        "1  意外故障",
        "2  检查已完成",
        "3  输入无效",
    ] {
        assert!(help.contains(line), "{line}: {help}");
    }
    assert_eq!(govscore_in(tmp.path(), &["--version"]).0, Some(0));
    assert_eq!(govscore_in(tmp.path(), &["serve", "--help"]).0, Some(0));
}

#[test]
fn usage_errors_bad_dates_and_unknown_names_exit_3() {
    let tmp = tempfile::tempdir().unwrap();
    unreachable_district(tmp.path());
    let cases: [(&[&str], &str); 8] = [
        // clap usage errors: an unknown flag, a missing subcommand, a date or address that is none.
        (&["run", "--no-such-flag"], "--no-such-flag"),
        (&[], "Usage"),
        (&["run", "--as-of", "2023-13-01"], "YYYY-MM-DD"),
        (&["serve", "--listen", "not-an-address"], "not-an-address"),
        // --since after --as-of is refused before anything is crawled.
        (
            &["run", "--as-of", "2023-02-15", "--since", "2023-03-01"],
            "--since 2023-03-01 晚于监测时间点 2023-02-15",
        ),
        // An unknown rule names the closest one.
        (
            &["rules", "explain", "news-twice-weekli"],
            "没有规则 `news-twice-weekli`，是否想查看 `news-twice-weekly`？",
        ),
        // A database or an annual report that does not exist.
        (
            &["score", "--db", "/nonexistent/govscore.db"],
            "/nonexistent/govscore.db",
        ),
        (
            &["annual-report", "/nonexistent/nianbao.pdf"],
            "找不到文件 /nonexistent/nianbao.pdf",
        ),
    ];
    for (args, message) in cases {
        let (code, _, err) = govscore_in(tmp.path(), args);
        assert_eq!(code, Some(3), "{args:?}: {err}");
        assert!(err.contains(message), "{args:?}: {err}");
    }
    assert!(!tmp.path().join("data").exists(), "nothing was run");
}

#[test]
fn a_run_with_a_site_not_ok_exits_2_and_the_database_alone_serves_score_and_report() {
    let tmp = tempfile::tempdir().unwrap();
    unreachable_district(tmp.path());
    let (code, _, err) = govscore_in(tmp.path(), &["run", "--as-of", "2023-02-15"]);
    assert_eq!(
        code,
        Some(2),
        "the run finished with the portal unreachable: {err}"
    );
    let db = tmp.path().join("data/govscore.db");
    assert!(db.is_file());
    let db = db.to_str().unwrap();

    // score and report need only --db: run from a folder without config.yaml.
    let elsewhere = tempfile::tempdir().unwrap();
    let here = elsewhere.path();
    let (code, stdout, err) = govscore_in(here, &["score", "--db", db]);
    assert_eq!(code, Some(0), "{err}");
    assert!(stdout.contains("孟津区人民政府"), "{stdout}");
    assert!(stdout.contains("无法检测"), "status in Chinese: {stdout}");
    assert!(
        stdout.contains("孟津区 政府网站检查"),
        "district read from the stored report: {stdout}"
    );
    let (code, _, err) = govscore_in(
        here,
        &["report", "--run", "1", "--db", db, "--out", "again"],
    );
    assert_eq!(code, Some(0), "{err}");
    assert!(here.join("again/tongbao.md").is_file());

    // A run that does not exist is a wrong name (3).
    let (code, _, err) = govscore_in(here, &["score", "--run", "99", "--db", db]);
    assert_eq!(code, Some(3), "{err}");
    assert!(err.contains("没有第 99 次检查"), "{err}");

    // Reports that cannot be written are an unexpected failure (1), not invalid input.
    std::fs::write(here.join("a-file"), "").unwrap();
    let (code, _, err) = govscore_in(here, &["report", "--db", db, "--out", "a-file/reports"]);
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("无法把报告写入"), "{err}");
}

/// Starts `govscore serve` with `args` in `cwd` on a free loopback port; returns the child
/// and the dashboard's base URL (read from its start-up line).
fn start_dashboard(cwd: &std::path::Path, args: &[&str]) -> (std::process::Child, String) {
    use std::io::BufRead;
    let mut child = govscore()
        .arg("serve")
        .args(args)
        .args(["--listen", "127.0.0.1:0"])
        .current_dir(cwd)
        .env_remove("GOVSCORE_CONFIG")
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let mut lines = std::io::BufReader::new(stderr).lines();
    let base = loop {
        let line = lines
            .next()
            .expect("serve printed its address")
            .expect("stderr is text");
        if let Some(url) = line.split("http://").nth(1) {
            break format!("http://{}", url.trim_end_matches('/'));
        }
    };
    (child, base)
}

async fn get_text(url: &str) -> (u16, String) {
    let resp = reqwest::get(url).await.expect("dashboard answers");
    (
        resp.status().as_u16(),
        resp.text().await.unwrap_or_default(),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dashboard_started_from_another_folder_serves_every_report_of_a_run() {
    let tmp = tempfile::tempdir().unwrap();
    let district = tmp.path().join("district");
    std::fs::create_dir(&district).unwrap();
    unreachable_district(&district);
    // Run 1 writes its reports (relative config path, relative reports dir); run 2 only crawls.
    for cmd in ["run", "crawl"] {
        let out = govscore()
            .args([cmd, "--as-of", "2023-02-15", "--config", "config.yaml"])
            .current_dir(&district)
            .output()
            .unwrap();
        assert_eq!(
            out.status.code(),
            Some(2),
            "{cmd}: {}",
            code_and_stderr(&out).1
        );
    }
    let elsewhere = tmp.path().join("elsewhere");
    std::fs::create_dir(&elsewhere).unwrap();
    let (mut child, base) = start_dashboard(&elsewhere, &["--db", "../district/data/govscore.db"]);

    let (code, index) = get_text(&format!("{base}/")).await;
    assert_eq!(code, 200);
    for f in govscore::report::FILES {
        assert!(
            index.contains(&format!("/runs/1/{f}")),
            "{f} linked: {index}"
        );
        let (code, body) = get_text(&format!("{base}/runs/1/{f}")).await;
        assert_eq!(code, 200, "{f}: {body}");
    }
    let (_, tongbao) = get_text(&format!("{base}/runs/1/tongbao.md")).await;
    assert!(tongbao.contains("孟津区"), "{tongbao}");
    // Statuses and times in Chinese and in the configured time zone (no raw RFC 3339).
    // The unreachable unit was not judged: 无法检测 with the reason, as in the reports.
    assert!(index.contains("无法检测（首页"), "site status: {index}");
    assert!(!index.contains("unreachable"), "site status: {index}");
    assert!(index.contains("已完成"), "run status: {index}");
    assert!(index.contains("开始（Asia/Shanghai）"), "{index}");
    assert!(
        !index.contains("+00:00") && !index.contains(">finished<"),
        "{index}"
    );

    let (code, body) = get_text(&format!("{base}/runs/99/report.json")).await;
    assert_eq!(code, 404);
    assert!(body.contains("没有第99次检查"), "{body}");
    let (code, body) = get_text(&format!("{base}/runs/2/report.json")).await;
    assert_eq!(code, 404);
    assert!(body.contains("第2次检查没有写出报告"), "{body}");
    let (code, _) = get_text(&format!("{base}/runs/1/sim-config.yaml")).await;
    assert_eq!(code, 404, "only report files are served");
    let _ = child.kill();
    let _ = child.wait();
}

/// The `govscore …` lines of the README's `sh` blocks, comment removed, each with whether it
/// is run (not marked `# not run in tests`).
fn readme_command_lines(readme: &str) -> Vec<(String, bool)> {
    let mut out = Vec::new();
    let mut block: Option<bool> = None; // Some(is_sh) inside a fenced block
    for line in readme.lines() {
        let t = line.trim();
        if let Some(info) = t.strip_prefix("```") {
            block = match block {
                None => Some(info.trim() == "sh"),
                Some(_) => None,
            };
            continue;
        }
        if block == Some(true) && t.starts_with("govscore ") {
            let command = t.split(" #").next().unwrap_or(t).trim().to_string();
            out.push((command, !t.contains("not run in tests")));
        }
    }
    out
}

/// Runs one README line in `cwd`, killing it after `limit`; returns (exit code, stdout, stderr).
fn run_readme_line(
    line: &str,
    cwd: &std::path::Path,
    limit: std::time::Duration,
) -> (Option<i32>, String, String) {
    assert!(
        !line.contains(['"', '\'', '$', '|', '>', '<', '*']),
        "README example lines run in tests are plain words, no shell syntax: {line}"
    );
    let mut words = line.split_whitespace();
    assert_eq!(words.next(), Some("govscore"));
    let (out_path, err_path) = (cwd.join(".readme-stdout"), cwd.join(".readme-stderr"));
    let mut child = govscore()
        .args(words)
        .current_dir(cwd)
        .env_remove("GOVSCORE_CONFIG")
        .stdout(std::fs::File::create(&out_path).unwrap())
        .stderr(std::fs::File::create(&err_path).unwrap())
        .spawn()
        .unwrap();
    let started = std::time::Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "README line did not finish within {limit:?} (mark it `# not run in tests` if it serves until stopped): {line}"
            );
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    };
    (
        status.code(),
        std::fs::read_to_string(&out_path).unwrap_or_default(),
        std::fs::read_to_string(&err_path).unwrap_or_default(),
    )
}

#[test]
fn the_readme_examples_run_as_written() {
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(repo.join("README.md")).unwrap();
    let lines = readme_command_lines(&readme);
    let run: Vec<&str> = lines
        .iter()
        .filter(|(_, r)| *r)
        .map(|(l, _)| l.as_str())
        .collect();

    // Every command is documented with an example, and the ones that finish by themselves
    // on loopback are run.
    for cmd in [
        "check",
        "run",
        "crawl",
        "rules",
        "score",
        "report",
        "demo",
        "annual-report",
        "daemon",
        "serve",
        "sim",
    ] {
        assert!(
            lines
                .iter()
                .any(|(l, _)| l.split_whitespace().nth(1) == Some(cmd)),
            "README has no `govscore {cmd}` example"
        );
    }
    for prefix in [
        "govscore check",
        "govscore rules list",
        "govscore rules explain",
        "govscore demo",
        "govscore annual-report",
        "govscore score --db",
        "govscore report --db",
        "govscore serve --help",
    ] {
        assert!(
            run.iter().any(|l| l.starts_with(prefix)),
            "no README line run for `{prefix}`"
        );
    }
    // The demo runs once, first; the lines that read its database reuse it.
    let demo = run
        .iter()
        .position(|l| l.starts_with("govscore demo"))
        .unwrap();
    assert_eq!(
        run.iter()
            .filter(|l| l.starts_with("govscore demo"))
            .count(),
        1
    );
    let first_db_user = run
        .iter()
        .position(|l| l.contains("govscore-demo/"))
        .unwrap();
    assert!(
        demo < first_db_user,
        "the README runs the demo before reading its database"
    );

    // A scratch folder that has what a clone has at hand: the example config, rules, fixtures.
    let tmp = tempfile::tempdir().unwrap();
    for name in ["config.yaml", "rules", "tests"] {
        std::os::unix::fs::symlink(repo.join(name), tmp.path().join(name)).unwrap();
    }
    let order = std::iter::once(run[demo]).chain(
        run.iter()
            .enumerate()
            .filter(|(i, _)| *i != demo)
            .map(|(_, l)| *l),
    );
    for line in order {
        let (code, stdout, stderr) =
            run_readme_line(line, tmp.path(), std::time::Duration::from_secs(600));
        assert!(
            matches!(code, Some(0 | 2)),
            "`{line}` exited {code:?}\nstdout:\n{stdout}\nstderr:\n{stderr}"
        );
        assert!(!stdout.trim().is_empty(), "`{line}` printed nothing");
        if line.starts_with("govscore demo") {
            assert!(tmp.path().join("govscore-demo/govscore.db").is_file());
            // What the quiet first check read is printed too: the checked run's own
            // statistics are mostly 304s and reused screenings.
            let quiet = stdout
                .lines()
                .find_map(|l| l.strip_prefix("预检查完成：抓取请求 "))
                .and_then(|rest| rest.split(' ').next()?.parse::<u64>().ok());
            assert!(
                quiet.is_some_and(|n| n > 100),
                "the demo prints no statistics of its quiet first check:\n{stdout}"
            );
            assert!(
                tmp.path()
                    .join("govscore-demo/reports/latest/tongbao.md")
                    .is_file()
            );
            // The config the demo leaves behind names the database it used.
            let out = govscore()
                .args(["score", "--config", "govscore-demo/sim-config.yaml"])
                .current_dir(tmp.path())
                .output()
                .unwrap();
            let (code, err) = code_and_stderr(&out);
            assert_eq!(code, Some(0), "{err}");
            assert!(String::from_utf8_lossy(&out.stdout).contains("孟津区人民政府"));
            // The demo's reports show what its district plants (issue 14): slips, a wrong
            // formulation and a leader's former title, hidden links, ID numbers in a 公示
            // attachment (masked) and dead links (confirmed by its quiet first check).
            let json = std::fs::read_to_string(
                tmp.path().join("govscore-demo/reports/latest/report.json"),
            )
            .unwrap();
            let report: serde_json::Value = serde_json::from_str(&json).unwrap();
            let kinds: std::collections::BTreeSet<&str> = report["sites"]
                .as_array()
                .unwrap()
                .iter()
                .flat_map(|s| s["findings"].as_array().unwrap())
                .filter_map(|f| f["kind"].as_str())
                .collect();
            for kind in ["typo", "serious_error", "hidden_link", "pii", "dead_link"] {
                assert!(kinds.contains(kind), "the demo shows no {kind}: {kinds:?}");
            }
            for id in govscore::sim::slips::gongshi_ids() {
                assert!(
                    !json.contains(&id),
                    "an ID number unmasked in the demo's report"
                );
            }
            assert!(json.contains("41*************"), "masked ID numbers shown");
        }
        if let Some(out) = line
            .split(" --out ")
            .nth(1)
            .and_then(|r| r.split_whitespace().next())
        {
            assert!(
                tmp.path().join(out).join("report.json").is_file(),
                "`{line}` wrote its reports"
            );
        }
    }
}
