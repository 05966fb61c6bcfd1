//! Tests of config and rule loading against the fixtures in tests/fixtures/config/ and the
//! repository's config.yaml and rules/.

use super::*;
use crate::model::{ColumnClass, Role};
use std::path::{Path, PathBuf};

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/config")
        .join(name)
}

fn errors_of(name: &str) -> Vec<Diagnostic> {
    match load(&fixture(name)) {
        Ok(_) => panic!("{name} should not validate"),
        Err(d) => d,
    }
}

/// The diagnostic whose message contains `needle`, or a failure listing them all.
fn find<'a>(diags: &'a [Diagnostic], needle: &str) -> &'a Diagnostic {
    diags
        .iter()
        .find(|d| d.message.contains(needle))
        .unwrap_or_else(|| {
            panic!(
                "no diagnostic contains {needle:?}:\n{}",
                render_diagnostics(diags)
            )
        })
}

#[test]
fn misspelled_columns_key_points_at_it_with_did_you_mean() {
    let diags = errors_of("typo_key.yaml");
    assert_eq!(diags.len(), 1, "{}", render_diagnostics(&diags));
    let d = &diags[0];
    assert!(d.file.ends_with("typo_key.yaml"));
    assert_eq!((d.line, d.column), (7, 5));
    assert_eq!(d.message, "网站 `portal` 中有未知的键 `colums`");
    assert_eq!(d.help.as_deref(), Some("是否应为 `columns`？"));
    let shown = d.to_string();
    assert!(
        shown.contains("typo_key.yaml:7:5: 错误：网站 `portal` 中有未知的键 `colums`"),
        "{shown}"
    );
    assert!(
        shown.contains("  7 |     colums:\n    |     ^^^^^^\n  = 提示：是否应为 `columns`？"),
        "{shown}"
    );
}

#[test]
fn duplicate_site_id_points_at_the_second_and_names_the_first_line() {
    let diags = errors_of("duplicate_id.yaml");
    let d = find(&diags, "网站编号 `portal` 重复");
    assert_eq!((d.line, d.column), (7, 9));
    assert!(
        d.help.as_deref().unwrap_or_default().contains("第 3 行"),
        "{d}"
    );
}

#[test]
fn relative_and_non_http_urls_are_rejected() {
    let diags = errors_of("bad_url.yaml");
    assert_eq!(diags.len(), 2, "{}", render_diagnostics(&diags));
    let rel = find(&diags, "缺少 http:// 或 https://");
    assert_eq!((rel.line, rel.column), (6, 10));
    assert!(rel.message.contains("网站 `portal`"));
    assert_eq!(
        rel.help.as_deref(),
        Some("应写作 `http://www.mengjin.gov.cn/`？")
    );
    let ftp = find(&diags, "不是 http:// 或 https:// 网址");
    assert_eq!((ftp.line, ftp.column), (10, 10));
    assert_eq!(ftp.help.as_deref(), Some("应写作 `http://127.0.0.1/`？"));
}

/// The site URL of a config with one portal.
fn one_site_url(url: &str) -> Result<Settings, Vec<Diagnostic>> {
    let cfg = format!(
        "district: 孟津区\nsites:\n  - id: portal\n    name: 孟津区人民政府\n    role: portal\n    url: \"{url}\"\n"
    );
    let dir = tempfile::tempdir().expect("tempdir");
    load_str(&cfg, "config.yaml", dir.path())
}

#[test]
fn mistyped_site_urls_are_errors_with_the_corrected_address() {
    for (url, problem, suggestion) in [
        (
            "www.mengjin.gov.cn",
            "缺少 http://",
            "http://www.mengjin.gov.cn",
        ),
        (
            "www.mengjin.gov.cn:8080/",
            "缺少 http://",
            "http://www.mengjin.gov.cn:8080/",
        ),
        (
            "http//www.mengjin.gov.cn/",
            "缺少 http://",
            "http://www.mengjin.gov.cn/",
        ),
        (
            "http:/www.mengjin.gov.cn/",
            "缺少 http://",
            "http://www.mengjin.gov.cn/",
        ),
        (
            "https//www.mengjin.gov.cn/",
            "缺少 http://",
            "https://www.mengjin.gov.cn/",
        ),
        (
            "http://www.mengjin.gov.cn/ 孟津",
            "含有空格",
            "http://www.mengjin.gov.cn/",
        ),
        (
            "www.mengjin.gov.cn 孟津区",
            "含有空格",
            "http://www.mengjin.gov.cn",
        ),
    ] {
        let diags = one_site_url(url).expect_err(url);
        assert_eq!(diags.len(), 1, "{url}: {}", render_diagnostics(&diags));
        let d = &diags[0];
        assert!(d.message.contains(problem), "{url}: {d}");
        assert_eq!((d.line, d.column), (6, 10), "{url}");
        assert_eq!(
            d.help.as_deref(),
            Some(format!("应写作 `{suggestion}`？").as_str()),
            "{url}"
        );
        assert!(!d.to_string().contains("http://http"), "{url}: {d}");
    }
    // Well-formed addresses pass, with surrounding blanks trimmed.
    for url in [
        "http://www.mengjin.gov.cn/",
        "HTTPS://www.mengjin.gov.cn/a/b.html?x=1",
        " http://127.0.0.1:18080/ ",
    ] {
        assert!(one_site_url(url).is_ok(), "{url}");
    }
}

#[test]
fn unknown_column_class_suggests_the_closest() {
    let diags = errors_of("unknown_class.yaml");
    assert_eq!(diags.len(), 1, "{}", render_diagnostics(&diags));
    let d = &diags[0];
    assert_eq!((d.line, d.column), (9, 16));
    assert!(d.message.contains("`class` 取值 `nwes` 无效"), "{d}");
    assert_eq!(d.help.as_deref(), Some("是否应为 `news`？"));
}

#[test]
fn bad_cron_line_is_reported_at_the_value() {
    let diags = errors_of("bad_cron.yaml");
    assert_eq!(diags.len(), 1, "{}", render_diagnostics(&diags));
    let d = &diags[0];
    assert_eq!((d.line, d.column), (8, 11));
    assert!(
        d.message.contains("schedule.assess") && d.message.contains("30 25 * * *"),
        "{d}"
    );
}

#[test]
fn cron_accepts_five_or_six_fields_with_crontab_weekdays() {
    assert!(validate_cron("30 2 * * *").is_ok());
    assert!(validate_cron("0 30 2 * * *").is_ok());
    assert!(validate_cron("0 2 * * 1").is_ok());
    assert!(validate_cron("30 2 * *").is_err());
    assert!(validate_cron("0 30 2 * * * 2024").is_err());
    assert!(validate_cron("61 2 * * *").is_err());
    assert!(validate_cron("").is_err());
}

#[test]
fn yaml_syntax_error_gives_its_position() {
    let diags = errors_of("syntax_error.yaml");
    assert_eq!(diags.len(), 1, "{}", render_diagnostics(&diags));
    let d = &diags[0];
    assert!(d.message.starts_with("YAML 语法错误"), "{d}");
    assert!(d.line >= 4 && d.line <= 6, "{d}");
    assert!(d.column >= 1);
}

#[test]
fn every_error_in_one_file_is_reported_at_once() {
    let diags = errors_of("many_errors.yaml");
    let tz = find(&diags, "未知的时区 `Asia/Shanghia`");
    assert_eq!((tz.line, tz.column), (2, 11));
    assert_eq!(tz.help.as_deref(), Some("是否应为 `Asia/Shanghai`？"));
    let id = find(&diags, "网站编号 `Portal`");
    assert_eq!((id.line, id.column), (4, 9));
    let role = find(&diags, "`role` 取值 `portl` 无效");
    assert_eq!(role.help.as_deref(), Some("是否应为 `portal`？"));
    assert_eq!(role.line, 6);
    let name = find(&diags, "网站 `town-a` 缺少必填项 `name`");
    assert_eq!(name.line, 8);
    let delay = find(&diags, "`crawl` 中的 `delay_ms` 应为不小于 0 的整数");
    assert_eq!((delay.line, delay.column), (12, 13));
    let key = find(&diags, "`crawl` 中有未知的键 `per_host_concurency`");
    assert_eq!(
        key.help.as_deref(),
        Some("是否应为 `per_host_concurrency`？")
    );
    let disc = find(&diags, "配置中的 `discover` 应为 `true` 或 `false`");
    assert_eq!(disc.line, 14);
    assert_eq!(diags.len(), 7, "{}", render_diagnostics(&diags));
    let text = render_diagnostics(&diags);
    assert!(text.ends_with("共发现 7 个问题\n"), "{text}");
}

#[test]
fn missing_required_keys_are_all_named() {
    let diags = load_str("sites: []\n", "c.yaml", Path::new("/tmp"))
        .err()
        .unwrap_or_default();
    find(&diags, "缺少必填项 `district`");
    find(&diags, "`sites` 为空");
    let empty = load_str("", "c.yaml", Path::new("/tmp"))
        .err()
        .unwrap_or_default();
    find(&empty, "缺少必填项 `sites`");
}

#[test]
fn bad_rule_check_name_and_params_are_reported_across_files() {
    let files = vec![
        fixture("bad_rules/10-check.yaml"),
        fixture("bad_rules/20-params.yaml"),
    ];
    let diags = load_rules(&files).expect_err("bad rules must not validate");
    let check = find(&diags, "规则 `news-twice-weekly` 中有未知的检查项 `cadnce`");
    assert!(check.file.ends_with("10-check.yaml"));
    assert_eq!((check.line, check.column), (4, 12));
    assert_eq!(check.help.as_deref(), Some("是否应为 `cadence`？"));

    let param = find(&diags, "的检查项 `cadence` 的 `params` 中有未知的键 `mni`");
    assert!(param.file.ends_with("20-params.yaml"));
    assert_eq!((param.line, param.column), (5, 25));
    assert_eq!(param.help.as_deref(), Some("是否应为 `min`？"));
    let missing = find(&diags, "的检查项 `cadence` 缺少必填参数 `min`");
    assert_eq!(missing.line, 5);

    let dup = find(&diags, "规则编号 `news-twice-weekly` 重复");
    assert_eq!((dup.line, dup.column), (8, 9));
    assert!(
        dup.help
            .as_deref()
            .unwrap_or_default()
            .contains("10-check.yaml:2"),
        "{dup}"
    );
    let ratio = find(&diags, "`fail_ratio`");
    assert_eq!(ratio.line, 11);
    let points = find(
        &diags,
        "规则 `news-twice-weekly` 中的 `points` 只适用于扣分（deduct）和加分（bonus）规则",
    );
    assert_eq!(points.line, 13);
    assert_eq!(diags.len(), 6, "{}", render_diagnostics(&diags));
}

#[test]
fn rule_settings_are_validated() {
    let src = "settings:\n  period: quartr\n  grades:\n    - {name: 优秀, min: 90}\n    - {name: 良好, min: 95}\n  annual_report_deadlines: {portal: \"02-30\"}\nrules: []\n";
    let diags = load_rules_from_sources(&[("s.yaml", src)]).expect_err("invalid settings");
    let period = find(&diags, "`period` 取值 `quartr` 无效");
    assert_eq!(period.help.as_deref(), Some("是否应为 `quarter`？"));
    let grade = find(&diags, "等级 `良好` 的 min 为 95");
    assert_eq!(grade.line, 5);
    let day = find(&diags, "月-日");
    assert_eq!(day.line, 6);
}

#[test]
fn a_setting_may_be_set_by_only_one_rule_file() {
    let a = "settings:\n  period: month\nrules: []\n";
    let b = "settings:\n  period: year\nrules: []\n";
    let diags = load_rules_from_sources(&[("a.yaml", a), ("b.yaml", b)]).expect_err("conflict");
    assert_eq!(diags.len(), 1);
    assert_eq!(diags[0].file, "b.yaml");
    assert_eq!((diags[0].line, diags[0].column), (2, 3));
    assert!(
        diags[0]
            .help
            .as_deref()
            .unwrap_or_default()
            .contains("a.yaml:2")
    );
}

#[test]
fn missing_rule_folder_is_reported_in_the_config() {
    let cfg = "district: 孟津区\nsites:\n  - {id: portal, name: 门户, role: portal, url: \"http://127.0.0.1/\"}\nrules: no-such-folder\n";
    let dir = tempfile::tempdir().expect("tempdir");
    let diags = load_str(cfg, "config.yaml", dir.path()).expect_err("missing folder");
    assert_eq!(diags.len(), 1);
    assert_eq!((diags[0].line, diags[0].column), (4, 8));
    assert!(diags[0].message.contains("规则目录 `") && diags[0].message.contains("不存在"));
    let cfg_list = "district: 孟津区\nsites:\n  - {id: portal, name: 门户, role: portal, url: \"http://127.0.0.1/\"}\nrules:\n  - gone.yaml\n";
    let diags = load_str(cfg_list, "config.yaml", dir.path()).expect_err("missing file");
    assert_eq!((diags[0].line, diags[0].column), (5, 5));
    assert!(diags[0].message.contains("规则文件") && diags[0].message.contains("gone.yaml"));
}

#[test]
fn builtin_rules_validate() {
    let set = load_rules_from_sources(BUILTIN_RULE_FILES)
        .unwrap_or_else(|d| panic!("built-in rules invalid:\n{}", render_diagnostics(&d)));
    let news = set
        .rules
        .iter()
        .find(|r| r.id == "news-twice-weekly")
        .expect("news rule");
    assert_eq!(
        news.check,
        CheckSpec::Cadence {
            per: CadenceUnit::Week,
            min: 2
        }
    );
    assert_eq!(news.severity, Severity::Deduct);
    assert_eq!(news.weight, Some(25.0));
    assert_eq!(news.cap_per_column, None);
    assert_eq!(news.cap, Some(25.0));
    assert_eq!(news.roles, vec![Role::Department, Role::Town]);
    assert_eq!(news.classes, vec![ColumnClass::News]);
    assert_eq!(news.category.as_deref(), Some("信息更新"));
    assert_eq!(news.origin.file, "<built-in>/local.yaml");
    let party = set
        .rules
        .iter()
        .find(|r| r.id == "party-twice-weekly")
        .expect("party rule");
    assert_eq!(party.classes, vec![ColumnClass::Party]);
    assert_eq!(set.period, PeriodKind::Quarter);
    assert_eq!(
        set.grades.iter().map(|g| g.min).collect::<Vec<_>>(),
        vec![90.0, 80.0, 60.0, 0.0]
    );
    assert_eq!(set.annual_deadlines.get(&Role::Portal), Some(&(3, 31)));
    assert_eq!(builtin_rules().rules.len(), set.rules.len());
}

#[test]
fn repository_config_loads_with_its_rules_folder() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("config.yaml");
    let s =
        load(&path).unwrap_or_else(|d| panic!("config.yaml invalid:\n{}", render_diagnostics(&d)));
    assert_eq!(s.district, "孟津区");
    assert!(s.discover);
    assert_eq!(s.sites.len(), 1);
    assert_eq!(s.sites[0].role, Role::Portal);
    assert_eq!(s.sites[0].url.as_str(), "http://www.mengjin.gov.cn/");
    assert_eq!(s.crawl.delay_ms, 1000);
    assert_eq!(s.crawl.timeout_s, 15);
    assert_eq!(s.schedule_assess, "30 2 * * *");
    assert_eq!(s.timezone, chrono_tz::Asia::Shanghai);
    assert_eq!(
        s.database,
        path.parent()
            .map(|p| p.join("data/govscore.db"))
            .unwrap_or_default()
    );
    assert!(s.rules.rules.iter().any(|r| r.id == "news-twice-weekly"));
    assert!(
        s.rules
            .rules
            .iter()
            .all(|r| r.origin.file.ends_with("local.yaml")
                || r.origin.file.ends_with("national.yaml"))
    );
    assert!(s.rules.rules.iter().any(|r| r.id == "homepage-not-updated"));
    assert_eq!(s.config_path.as_deref(), Some(path.as_path()));
}

#[test]
fn relative_paths_resolve_from_the_config_folder_and_rules_merge() {
    let path = fixture("with_rules/config.yaml");
    let base = fixture("with_rules");
    let s = load(&path).unwrap_or_else(|d| panic!("{}", render_diagnostics(&d)));
    assert_eq!(s.database, base.join("state/db.sqlite"));
    assert_eq!(s.reports_dir, base.join("reports"));
    // rules/a.yaml then rules/b.yaml (sorted); notes.txt is not a rule file.
    let ids: Vec<&str> = s.rules.rules.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(ids, vec!["news-weekly", "stale-notice"]);
    assert_eq!(s.rules.period, PeriodKind::Month);
    assert_eq!(s.rules.grades.len(), 2);
    // 2023-01-25 is a Wednesday: stored as that ISO week's Monday.
    assert_eq!(
        s.rules.exempt_weeks[0].week_start,
        chrono::NaiveDate::from_ymd_opt(2023, 1, 23).unwrap_or_default()
    );
    assert_eq!(s.rules.rules[0].origin.line, 6);
    assert!(s.rules.rules[0].origin.file.ends_with("a.yaml"));
}

#[test]
fn column_classes_replace_only_the_listed_classes() {
    let s = load(&fixture("with_rules/config.yaml"))
        .unwrap_or_else(|d| panic!("{}", render_diagnostics(&d)));
    assert_eq!(
        s.column_classes[&ColumnClass::News],
        vec!["要闻".to_string(), "本地新闻".to_string()]
    );
    let party: Vec<&str> = s.column_classes[&ColumnClass::Party]
        .iter()
        .map(String::as_str)
        .collect();
    assert_eq!(party, ColumnClass::Party.builtin_names());
    assert_eq!(s.column_classes.len(), ColumnClass::ALL.len());
}

#[test]
fn defaults_apply_when_optional_keys_are_absent() {
    let cfg = "district: 孟津区\nsites:\n  - id: portal\n    name: 门户\n    role: portal\n    url: https://127.0.0.1:8443/\n";
    let s = load_str(cfg, "c.yaml", Path::new("/srv/gov"))
        .unwrap_or_else(|d| panic!("{}", render_diagnostics(&d)));
    assert_eq!(s.crawl, CrawlSettings::default());
    assert_eq!(s.database, PathBuf::from("/srv/gov/data/govscore.db"));
    assert_eq!(s.reports_dir, PathBuf::from("/srv/gov/reports"));
    assert_eq!(s.schedule_assess, "30 2 * * *");
    assert!(!s.discover);
    assert_eq!(s.rules.rules.len(), builtin_rules().rules.len());
    assert!(s.config_path.is_none());
}

#[test]
fn unreadable_config_is_a_file_level_diagnostic() {
    let diags = load(&fixture("does-not-exist.yaml")).expect_err("missing file");
    assert_eq!(diags[0].line, 0);
    assert!(
        diags[0]
            .to_string()
            .contains("does-not-exist.yaml: 错误：无法读取配置文件")
    );
}

#[test]
fn rendered_diagnostics_snapshot() {
    let text = std::fs::read_to_string(fixture("many_errors.yaml")).unwrap_or_default();
    let diags = load_str(&text, "config.yaml", Path::new("/srv/gov")).expect_err("invalid config");
    insta::assert_snapshot!(render_diagnostics(&diags));
}

#[test]
fn rendered_rule_and_syntax_diagnostics_snapshot() {
    let read = |n: &str| std::fs::read_to_string(fixture(n)).unwrap_or_default();
    let (a, b) = (
        read("bad_rules/10-check.yaml"),
        read("bad_rules/20-params.yaml"),
    );
    let diags =
        load_rules_from_sources(&[("rules/10-check.yaml", &a), ("rules/20-params.yaml", &b)])
            .expect_err("invalid rules");
    let syntax = load_str(
        &read("syntax_error.yaml"),
        "config.yaml",
        Path::new("/srv/gov"),
    )
    .expect_err("invalid yaml");
    insta::assert_snapshot!(format!(
        "{}\n{}",
        render_diagnostics(&diags),
        render_diagnostics(&syntax)
    ));
}

#[test]
fn discover_needs_a_portal_and_rule_roles_are_checked() {
    let cfg = "district: 孟津区\ndiscover: true\nsites:\n  - {id: fgw, name: 发改委, role: department, url: \"http://127.0.0.1/\"}\n";
    let diags = load_str(cfg, "c.yaml", Path::new("/tmp")).expect_err("no portal");
    let d = find(&diags, "`discover: true` 需要一个 `role: portal` 的网站");
    assert_eq!(d.line, 4);

    let rules = "rules:\n  - id: r1\n    title: t\n    roles: [departmnt]\n    classes: [nwes]\n    check: blank_column\n    severity: warn\n";
    let diags = load_rules_from_sources(&[("r.yaml", rules)]).expect_err("bad role and class");
    let role = find(&diags, "规则 `r1` 中的 `role` 取值 `departmnt` 无效");
    assert_eq!((role.line, role.column), (4, 13));
    assert_eq!(role.help.as_deref(), Some("是否应为 `department`？"));
    let class = find(&diags, "规则 `r1` 中的 `class` 取值 `nwes` 无效");
    assert_eq!(class.help.as_deref(), Some("是否应为 `news`？"));
}

#[test]
fn deduct_rule_without_points_is_rejected_and_defaults_fill_params() {
    let rules = "rules:\n  - id: r1\n    title: t\n    check: cadence\n    params: {min: 2}\n    severity: deduct\n  - id: r2\n    title: t\n    check: backdated\n    severity: veto\n  - id: r3\n    title: t\n    check: midweek_quota\n    params: {min: 2}\n    severity: warn\n";
    let diags = load_rules_from_sources(&[("r.yaml", rules)]).expect_err("missing points");
    assert_eq!(diags.len(), 1, "{}", render_diagnostics(&diags));
    assert!(diags[0].message.contains("规则 `r1` 缺少必填项 `points`"));
    assert_eq!(diags[0].line, 2);
    let ok = rules.replace("severity: deduct", "severity: deduct\n    points: 0.5");
    let set = load_rules_from_sources(&[("r.yaml", &ok)])
        .unwrap_or_else(|d| panic!("{}", render_diagnostics(&d)));
    assert_eq!(set.rules[0].points, 0.5);
    assert_eq!(
        set.rules[1].check,
        CheckSpec::Backdated { tolerance_days: 3 }
    );
    assert_eq!(
        set.rules[2].check,
        CheckSpec::MidweekQuota { min: 2, weekday: 4 }
    );
    assert_eq!(set.rules[1].points, 0.0);
}

/// A config over `rules/` in `dir`, loaded.
fn with_rules_folder(dir: &Path) -> Result<Settings, Vec<Diagnostic>> {
    let cfg = "district: 孟津区\nsites:\n  - {id: portal, name: 门户, role: portal, url: \"http://127.0.0.1/\"}\nrules: rules\n";
    load_str(cfg, "config.yaml", dir)
}

#[test]
fn yml_rule_files_are_read_like_yaml_ones() {
    let dir = tempfile::tempdir().expect("tempdir");
    let rules = dir.path().join("rules");
    std::fs::create_dir(&rules).unwrap();
    // Every built-in file under another ending: .yml, .YAML and .yaml.
    for (i, (name, text)) in BUILTIN_RULE_FILES.iter().enumerate() {
        let stem = name
            .trim_start_matches("<built-in>/")
            .trim_end_matches(".yaml");
        let ext = ["yml", "YAML", "yaml"][i % 3];
        std::fs::write(rules.join(format!("{stem}.{ext}")), text).unwrap();
    }
    // Editor leftovers are not rule files.
    std::fs::write(rules.join(".local.yml.swp"), "not yaml").unwrap();
    std::fs::write(rules.join("README.txt"), "说明").unwrap();
    let s = with_rules_folder(dir.path()).unwrap_or_else(|d| panic!("{}", render_diagnostics(&d)));
    assert_eq!(s.rules.rules.len(), builtin_rules().rules.len());
    assert!(s.rules.rules.iter().any(|r| r.id == "news-twice-weekly"));
}

#[test]
fn broken_links_folders_and_unreadable_rule_files_are_errors_not_skipped() {
    let dir = tempfile::tempdir().expect("tempdir");
    let rules = dir.path().join("rules");
    std::fs::create_dir(&rules).unwrap();
    std::fs::write(rules.join("national.yaml"), BUILTIN_RULE_FILES[2].1).unwrap();
    std::os::unix::fs::symlink("/nonexistent/local.yaml", rules.join("local.yaml")).unwrap();
    std::fs::create_dir(rules.join("old.yaml")).unwrap();
    let diags = with_rules_folder(dir.path()).expect_err("broken link");
    let shown = render_diagnostics(&diags);
    assert_eq!(diags.len(), 2, "{shown}");
    let link = find(&diags, "失效的链接");
    assert!(link.message.contains("/nonexistent/local.yaml"), "{link}");
    assert_eq!((link.line, link.column), (4, 8), "at `rules:`");
    assert!(find(&diags, "是一个目录").message.contains("old.yaml"));

    // The same problems in a list of files.
    let cfg = "district: 孟津区\nsites:\n  - {id: portal, name: 门户, role: portal, url: \"http://127.0.0.1/\"}\nrules:\n  - rules/national.yaml\n  - rules/local.yaml\n";
    let diags = load_str(cfg, "config.yaml", dir.path()).expect_err("broken link in a list");
    assert_eq!(diags.len(), 1, "{}", render_diagnostics(&diags));
    assert!(diags[0].message.contains("失效的链接"));
    assert_eq!((diags[0].line, diags[0].column), (6, 5));

    // A name that cannot be opened for reading (a socket: open() fails even for root).
    let socket = rules.join("socket.yaml");
    let _listener = std::os::unix::net::UnixListener::bind(&socket).unwrap();
    let diags = with_rules_folder(dir.path()).expect_err("a socket is no rule file");
    assert_eq!(diags.len(), 3, "{}", render_diagnostics(&diags));
    let unreadable = find(&diags, "无法读取");
    assert!(unreadable.message.contains("socket.yaml"), "{unreadable}");
    std::fs::remove_file(&socket).unwrap();

    // Unreadable by permissions (they do not apply to root: then this part is skipped).
    std::fs::remove_file(rules.join("local.yaml")).unwrap();
    std::fs::remove_dir(rules.join("old.yaml")).unwrap();
    let locked = rules.join("local.yaml");
    std::fs::write(&locked, BUILTIN_RULE_FILES[1].1).unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
    if std::fs::File::open(&locked).is_ok() {
        println!("skipped: running as root, a mode-000 file is still readable");
        return;
    }
    let diags = with_rules_folder(dir.path()).expect_err("unreadable");
    assert_eq!(diags.len(), 1, "{}", render_diagnostics(&diags));
    assert!(diags[0].message.contains("无法读取"), "{}", diags[0]);
    assert!(
        diags[0]
            .help
            .as_deref()
            .unwrap_or_default()
            .contains("chmod")
    );
}

#[test]
fn discover_scope_lists_are_read_and_bad_entries_are_located() {
    let ok = "district: 孟津区\ndiscover: true\ndiscover_exclude: [区人民防空办公室, \"http://127.0.0.1/bm/test/\"]\ndiscover_include: [gaj.luoyang.gov.cn]\nsites:\n  - {id: portal, name: 孟津区人民政府, role: portal, url: \"http://127.0.0.1/\"}\n";
    let s = load_str(ok, "c.yaml", Path::new("/tmp")).expect("valid");
    assert_eq!(
        s.discover_exclude,
        vec!["区人民防空办公室", "http://127.0.0.1/bm/test/"]
    );
    assert_eq!(s.discover_include, vec!["gaj.luoyang.gov.cn"]);

    let bad = "district: 孟津区\ndiscover: true\ndiscover_exclude:\n  - \"\"\n  - www.x.gov.cn/bm/\ndiscover_include: [\"ftp://x.gov.cn/\"]\nsites:\n  - {id: portal, name: 孟津区人民政府, role: portal, url: \"http://127.0.0.1/\"}\n";
    let diags = load_str(bad, "c.yaml", Path::new("/tmp")).expect_err("bad entries");
    assert_eq!(
        find(&diags, "配置文件中的 `discover_exclude` 应为文字").line,
        4
    );
    assert_eq!(find(&diags, "像是缺少 `http://` 的网址").line, 5);
    assert_eq!(
        find(
            &diags,
            "`discover_include` 中的 `ftp://x.gov.cn/` 不是 http(s) 网址"
        )
        .line,
        6
    );
    let typo = "district: 孟津区\ndiscover_exlude: [a]\nsites:\n  - {id: portal, name: 孟津区人民政府, role: portal, url: \"http://127.0.0.1/\"}\n";
    let diags = load_str(typo, "c.yaml", Path::new("/tmp")).expect_err("typo");
    assert!(render_diagnostics(&diags).contains("discover_exclude"));
}

const ONE_SITE: &str =
    "sites:\n  - {id: portal, name: 孟津区人民政府, role: portal, url: \"http://127.0.0.1/\"}\n";

#[test]
fn screening_defaults_and_good_values() {
    let dir = tempfile::tempdir().expect("tempdir");
    let s = load_str(
        &format!("district: 孟津区\n{ONE_SITE}"),
        "c.yaml",
        dir.path(),
    )
    .expect("valid");
    assert_eq!(s.screening, ScreeningSettings::default());
    assert!(s.screening.enabled && s.screening.dead_links.enabled);
    assert!(!s.screening.dead_links.external);
    assert_eq!(s.screening.dead_links.recheck_days, 7);
    assert_eq!(s.screening.attachment_max_bytes, 20 * 1024 * 1024);

    std::fs::create_dir(dir.path().join("dict")).expect("mkdir");
    std::fs::write(dir.path().join("dict/names.yaml"), "leaders: []\n").expect("write");
    std::fs::write(dir.path().join("dict/political.txt"), "某词\n").expect("write");
    std::fs::write(dir.path().join("dict/vulgar.txt"), "某词\n").expect("write");
    let cfg = format!(
        "district: 孟津区\n{ONE_SITE}screening:\n  enabled: false\n  names: dict/names.yaml\n  sensitive:\n    - {{category: 政治敏感, path: dict/political.txt}}\n    - {{category: 低俗, path: dict/vulgar.txt, serious: false}}\n  friendly_hosts: [www.people.com.cn, XINHUANET.com]\n  attachment_max_bytes: 1048576\n  dead_links: {{enabled: false, external: true, recheck_days: 3}}\n"
    );
    let s = load_str(&cfg, "c.yaml", dir.path()).expect("valid");
    let sc = &s.screening;
    assert!(!sc.enabled);
    assert_eq!(sc.names, Some(dir.path().join("dict/names.yaml")));
    assert_eq!(
        sc.sensitive,
        vec![
            SensitiveDictionary {
                category: "政治敏感".into(),
                path: dir.path().join("dict/political.txt"),
                serious: true
            },
            SensitiveDictionary {
                category: "低俗".into(),
                path: dir.path().join("dict/vulgar.txt"),
                serious: false
            },
        ]
    );
    assert_eq!(
        sc.friendly_hosts,
        vec!["www.people.com.cn", "xinhuanet.com"]
    );
    assert_eq!(sc.attachment_max_bytes, 1_048_576);
    assert_eq!(
        sc.dead_links,
        DeadLinkSettings {
            enabled: false,
            external: true,
            recheck_days: 3
        }
    );
}

#[test]
fn screening_bad_values_are_located() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("a.txt"), "x\n").expect("write");
    let cfg = format!(
        "district: 孟津区\n{ONE_SITE}screening:\n  enabeld: true\n  names: missing.yaml\n  sensitive:\n    - {{category: 博彩, path: a.txt, serious: yes}}\n    - {{category: 博彩, path: a.txt}}\n    - {{path: nowhere.txt}}\n  friendly_hosts: [\"http://www.people.com.cn/index.html\"]\n  attachment_max_bytes: 0\n  dead_links: {{recheck_day: 3, external: 1}}\n"
    );
    let diags = load_str(&cfg, "c.yaml", dir.path()).expect_err("bad screening");
    let shown = render_diagnostics(&diags);
    let typo = find(&diags, "`screening` 中有未知的键 `enabeld`");
    assert_eq!((typo.line, typo.column), (5, 3));
    assert_eq!(typo.help.as_deref(), Some("是否应为 `enabled`？"));
    let names = find(&diags, "名称表");
    assert_eq!(names.line, 6, "{shown}");
    assert!(names.message.contains("missing.yaml") && names.message.contains("不存在"));
    assert_eq!(find(&diags, "`serious` 应为 `true` 或 `false`").line, 8);
    let dup = find(&diags, "敏感词类别 `博彩` 重复");
    assert_eq!(dup.line, 9);
    assert!(dup.help.as_deref().unwrap_or_default().contains("第 8 行"));
    assert_eq!(find(&diags, "缺少必填项 `category`").line, 10);
    assert_eq!(find(&diags, "nowhere.txt").line, 10);
    let host = find(&diags, "不是主机名");
    assert_eq!(host.line, 11);
    assert_eq!(
        host.help.as_deref(),
        Some("只写主机名：`www.people.com.cn`（其子域名也包括在内）")
    );
    assert_eq!(find(&diags, "`attachment_max_bytes` 至少应为 1").line, 12);
    let dl = find(&diags, "`screening.dead_links` 中有未知的键 `recheck_day`");
    assert_eq!(dl.help.as_deref(), Some("是否应为 `recheck_days`？"));
    assert_eq!(find(&diags, "`external` 应为 `true` 或 `false`").line, 13);
    let zero =
        format!("district: 孟津区\n{ONE_SITE}screening:\n  dead_links:\n    recheck_days: 0\n");
    let diags = load_str(&zero, "c.yaml", dir.path()).expect_err("0 days");
    assert_eq!(find(&diags, "`recheck_days` 应在 1 到 365 天之间").line, 6);
}
