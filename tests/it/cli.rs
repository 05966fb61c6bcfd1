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
    assert!(err.contains("did you mean `columns`"), "{err}");
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
