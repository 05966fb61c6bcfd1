//! Every default rule (rules/national.yaml and rules/local.yaml) on hand-built snapshots:
//! a site that passes beside a site that fails, with the exact findings, points after caps,
//! vetoes, scores, grades and ranks they yield. Also the scoring policy (caps, exempt
//! weeks, bonus, ties) and the promise that a site that could not be seen loses nothing.

use crate::support::d;
use govscore::config::{self, ExemptWeek, RuleSet};
use govscore::crawl::observe::{HomeFacts, PageMetaRecord};
use govscore::model::{ColumnClass, DateSource, Role, SiteStatus};
use govscore::report::model::{Evidence, Finding, SiteReport, VetoOut};
use govscore::store::{ColumnSnap, ItemSnap, PastCrawl, RunInfo, SiteSnap, Snapshot, StoredHit};
use std::collections::BTreeSet;

/// The 监测时间点 of most fixtures: a Wednesday.
const AS_OF: &str = "2023-03-15";
/// Two whole weeks before AS_OF: 2023-02-27 and 2023-03-06.
const SHORT_PERIOD: &str = "2023-02-27";
/// The quarter: ten whole weeks (2023-01-02 … 2023-03-06) before AS_OF.
const QUARTER: &str = "2023-01-01";

// ---------------------------------------------------------------- fixtures

fn column(slug: &str, name: &str, class: ColumnClass, dates: &[&str]) -> ColumnSnap {
    let url = format!("http://site.test/{slug}/");
    let items = dates
        .iter()
        .enumerate()
        .map(|(i, date)| ItemSnap {
            title: format!("{name}信息{}", i + 1),
            url: format!("{url}{}.html", i + 1),
            published: Some(d(date)),
            date_source: DateSource::List,
            url_date: None,
            pinned: false,
            first_seen_run: 1,
            first_seen_on: d(date),
        })
        .collect();
    ColumnSnap {
        id: 1,
        name: name.to_string(),
        class,
        url,
        assessable: true,
        reason: None,
        seen_back_to: None,
        items,
        history: Vec::new(),
    }
}

fn with_undated(mut col: ColumnSnap, n: usize) -> ColumnSnap {
    for k in 0..n {
        let i = col.items.len() + 1;
        col.items.push(ItemSnap {
            title: format!("{}无日期{}", col.name, k + 1),
            url: format!("{}{}.html", col.url, i),
            published: None,
            date_source: DateSource::None,
            url_date: None,
            pinned: false,
            first_seen_run: 1,
            first_seen_on: d(SHORT_PERIOD),
        });
    }
    col
}

fn unreadable(slug: &str, name: &str, class: ColumnClass) -> ColumnSnap {
    ColumnSnap {
        assessable: false,
        reason: Some("栏目页HTTP 404".to_string()),
        seen_back_to: None,
        ..column(slug, name, class, &[])
    }
}

fn site(id: &str, name: &str, role: Role, home: Option<&str>, cols: Vec<ColumnSnap>) -> SiteSnap {
    SiteSnap {
        id: id.to_string(),
        name: name.to_string(),
        role,
        url: format!("http://{id}.test/"),
        status: SiteStatus::Ok,
        status_reason: None,
        home: HomeFacts {
            latest_date: home.map(d),
            dated_entries: u32::from(home.is_some()),
            site_name: Some(name.to_string()),
            site_id_code: Some("4103220001".to_string()),
            ..HomeFacts::default()
        },
        columns: cols,
        pages: Vec::new(),
        annual: None,
        probes: Vec::new(),
        content: Default::default(),
        links: Vec::new(),
    }
}

fn dept(id: &str, name: &str, cols: Vec<ColumnSnap>) -> SiteSnap {
    site(id, name, Role::Department, Some(AS_OF), cols)
}

fn snapshot(period_start: &str, as_of: &str, sites: Vec<SiteSnap>) -> Snapshot {
    Snapshot {
        run: RunInfo {
            id: 7,
            as_of: d(as_of),
            observed_on: d(as_of),
            period_start: d(period_start),
            period_end: d(as_of),
        },
        sites,
    }
}

/// The built-in rule set reduced to the rules named: the default rules exactly as shipped,
/// with the built-in scoring settings.
fn builtin(ids: &[&str]) -> RuleSet {
    let mut set = config::builtin_rules();
    set.rules.retain(|r| ids.contains(&r.id.as_str()));
    assert_eq!(set.rules.len(), ids.len(), "every rule id exists: {ids:?}");
    set
}

fn score(snap: &Snapshot, rules: &RuleSet) -> Vec<SiteReport> {
    let assessed = govscore::rules::assess(snap, rules);
    govscore::score::compute(&assessed, rules)
}

fn by_id<'r>(reports: &'r [SiteReport], id: &str) -> &'r SiteReport {
    reports
        .iter()
        .find(|r| r.id == id)
        .unwrap_or_else(|| panic!("site {id} in the reports"))
}

fn ev(url: &str, title: &str, date: Option<&str>, excerpt: Option<&str>) -> Evidence {
    Evidence {
        url: url.to_string(),
        title: title.to_string(),
        date: date.map(str::to_string),
        excerpt: excerpt.map(str::to_string),
    }
}

fn finding(
    rule: &str,
    kind: &str,
    severity: &str,
    points: f64,
    message: &str,
    column: Option<&str>,
    evidence: Vec<Evidence>,
) -> Finding {
    Finding {
        rule: rule.to_string(),
        kind: kind.to_string(),
        severity: severity.to_string(),
        points,
        message: message.to_string(),
        column: column.map(str::to_string),
        evidence,
    }
}

fn points(r: &SiteReport) -> Vec<f64> {
    r.findings.iter().map(|f| f.points).collect()
}

fn messages(r: &SiteReport) -> Vec<&str> {
    r.findings.iter().map(|f| f.message.as_str()).collect()
}

fn assert_clean(r: &SiteReport) {
    assert!(r.findings.is_empty(), "{}: {:#?}", r.id, r.findings);
    assert!(r.vetoes.is_empty(), "{}: {:#?}", r.id, r.vetoes);
    assert_eq!(r.score, Some(100.0), "{}", r.id);
    assert_eq!(r.grade.as_deref(), Some("优秀"), "{}", r.id);
}

fn assert_vetoed(r: &SiteReport, rule: &str, message: &str) {
    assert_eq!(
        r.vetoes,
        vec![VetoOut {
            rule: rule.to_string(),
            message: message.to_string()
        }]
    );
    // A veto costs no points: the computed score is kept for reference.
    assert_eq!(r.score, Some(100.0));
    assert_eq!(r.grade.as_deref(), Some("不合格"));
}

// ------------------------------------------------------ coverage of the defaults

/// Every rule of rules/national.yaml and rules/local.yaml has a test in this file. A new
/// default rule without a test here fails this test.
const TESTED_RULES: &[&str] = &[
    "homepage-not-updated",
    "homepage-not-updated-warning",
    "columns-not-updated",
    "columns-long-stale",
    "stale-columns-warning",
    "blank-columns",
    "blank-columns-warning",
    "blank-column",
    "news-stale",
    "notice-policy-stale",
    "personnel-planning-stale",
    "undated-items",
    "backdated-items",
    "page-metadata",
    "news-twice-weekly",
    "party-twice-weekly",
    "weekly-quota-midweek",
    "notice-kept-current",
    "org-leaders-kept-current",
    "required-columns-found",
    // Tested here for the points they yield, and end to end in tests/it/annual.rs.
    "annual-report-missing",
    "annual-report-late",
    "annual-report-sections",
    "annual-report-arithmetic",
    // Tested on stored probe rows in tests/it/daemon.rs.
    "availability-veto",
    "availability-warning",
    // Content screening (issue 14); end to end in tests/it/screening.rs.
    "content-typos",
    "content-serious-errors",
    "content-sensitive-words",
    "content-hidden-links",
    "content-personal-data",
    // The two-run rule and the check stage are tested on the simulator in tests/it/links.rs.
    "dead-links",
];

#[test]
fn every_default_rule_is_covered_by_a_test_here() {
    let builtin: BTreeSet<String> = config::builtin_rules()
        .rules
        .iter()
        .map(|r| r.id.clone())
        .collect();
    let tested: BTreeSet<String> = TESTED_RULES.iter().map(|s| s.to_string()).collect();
    assert_eq!(builtin, tested);
}

// ------------------------------------------------------------ local cadence

#[test]
fn homepage_rule_notes_script_loaded_lists_for_manual_review_and_never_vetoes() {
    let mut scripted = dept(
        "js",
        "丁局",
        vec![column(
            "zxdt",
            "最新动态",
            ColumnClass::News,
            &["2023-02-01"],
        )],
    );
    scripted.home = HomeFacts {
        layout: govscore::extract::home::HomeLayout::ScriptLoaded,
        unreadable_reason: Some("首页信息列表由脚本加载生成，无法读取".to_string()),
        ..HomeFacts::default()
    };
    let snap = snapshot(SHORT_PERIOD, AS_OF, vec![scripted]);
    let reports = score(
        &snap,
        &builtin(&["homepage-not-updated", "homepage-not-updated-warning"]),
    );
    let r = by_id(&reports, "js");
    assert!(r.vetoes.is_empty());
    assert_eq!(r.score, Some(100.0));
    assert_eq!(r.findings.len(), 1, "{:#?}", r.findings);
    let f = &r.findings[0];
    assert_eq!(
        (
            f.rule.as_str(),
            f.kind.as_str(),
            f.severity.as_str(),
            f.points
        ),
        ("homepage-not-updated", "manual_review", "info", 0.0)
    );
    assert_eq!(
        f.message,
        "首页更新情况无法读取，需人工核查：首页信息列表由脚本加载生成，无法读取；供参考：二级页面最近更新于2023-02-01（最新动态，距监测时间点42天）"
    );
}

#[test]
fn required_columns_found_lists_a_missing_class_and_warns_with_the_names_tried() {
    let mut odd = dept(
        "odd",
        "丙局",
        vec![column(
            "zxdt",
            "最新动态",
            ColumnClass::News,
            &["2023-03-13"],
        )],
    );
    // The names the crawl looked for (a configured list replaces the built-in one).
    odd.home.unmatched_classes = vec![govscore::crawl::observe::UnmatchedClass {
        class: "party".to_string(),
        names_tried: vec!["党务公开".to_string(), "支部工作".to_string()],
    }];
    let snap = snapshot(
        SHORT_PERIOD,
        AS_OF,
        vec![
            dept(
                "both",
                "甲局",
                vec![
                    column("zxdt", "最新动态", ColumnClass::News, &["2023-03-13"]),
                    column("dwgk", "党务公开", ColumnClass::Party, &[]),
                ],
            ),
            odd,
            // Only department and town sites must have them.
            site(
                "portal",
                "孟津区人民政府",
                Role::Portal,
                Some(AS_OF),
                vec![],
            ),
        ],
    );
    let reports = score(&snap, &builtin(&["required-columns-found"]));
    assert_clean(by_id(&reports, "both"));
    assert_clean(by_id(&reports, "portal"));
    assert!(by_id(&reports, "portal").columns.is_empty());
    let r = by_id(&reports, "odd");
    assert_eq!(r.score, Some(100.0));
    assert_eq!(r.findings.len(), 1);
    let f = &r.findings[0];
    assert_eq!(
        (f.kind.as_str(), f.severity.as_str(), f.points),
        ("missing_column", "warn", 0.0)
    );
    assert_eq!(
        f.message,
        "首页导航中未找到党务公开类栏目（按名称“党务公开、支部工作”查找），需人工核查（可能是栏目名称不在查找名单中）"
    );
    assert!(
        f.evidence[0]
            .excerpt
            .as_deref()
            .unwrap()
            .contains("class: party")
    );
    let missing = r.columns.iter().find(|c| !c.found).expect("listed");
    assert_eq!(
        (
            missing.class.as_str(),
            missing.name.as_str(),
            missing.url.as_deref()
        ),
        ("party", "", None)
    );
    let json = serde_json::to_value(missing).unwrap();
    assert_eq!(json["name"], serde_json::Value::Null);
}

#[test]
fn news_twice_weekly_deducts_its_weight_shared_over_the_weeks_judged_with_that_weeks_items_as_evidence()
 {
    let snap = snapshot(
        SHORT_PERIOD,
        AS_OF,
        vec![
            dept(
                "pass",
                "甲局",
                vec![column(
                    "zxdt",
                    "最新动态",
                    ColumnClass::News,
                    &["2023-02-27", "2023-03-01", "2023-03-06", "2023-03-12"],
                )],
            ),
            dept(
                "fail",
                "乙局",
                vec![column(
                    "zxdt",
                    "最新动态",
                    ColumnClass::News,
                    // 2 in the week of 02-27, 1 in the week of 03-06; the current week
                    // (03-13, not over by as_of) and items after as_of are not measured.
                    &[
                        "2023-02-28",
                        "2023-03-02",
                        "2023-03-07",
                        "2023-03-13",
                        "2023-03-20",
                    ],
                )],
            ),
            // The rule is for department and town sites: a portal is not held to it.
            site(
                "portal",
                "孟津区人民政府",
                Role::Portal,
                Some(AS_OF),
                vec![column("zxdt", "最新动态", ColumnClass::News, &[])],
            ),
        ],
    );
    let reports = score(&snap, &builtin(&["news-twice-weekly"]));
    assert_clean(by_id(&reports, "pass"));
    assert_clean(by_id(&reports, "portal"));
    let fail = by_id(&reports, "fail");
    assert_eq!(
        fail.findings,
        vec![finding(
            "news-twice-weekly",
            "cadence",
            "deduct",
            // weight 25 over the two weeks judged: 12.5 a missed week.
            -12.5,
            "最新动态2023-03-06 当周更新1篇，要求不少于2篇",
            Some("最新动态"),
            vec![
                ev(
                    "http://site.test/zxdt/3.html",
                    "最新动态信息3",
                    Some("2023-03-07"),
                    None
                ),
                ev(
                    "http://site.test/zxdt/",
                    "最新动态",
                    None,
                    Some("统计区间 2023-03-06 至 2023-03-12，共1篇")
                ),
            ]
        )]
    );
    assert_eq!(fail.score, Some(87.5));
    assert_eq!(fail.grade.as_deref(), Some("良好"));
    // The weekly table carries the rule's quota and whether each week met it.
    let weeks: Vec<(String, u32, Option<u32>, Option<bool>)> = fail.columns[0]
        .weekly
        .iter()
        .map(|w| (w.week_start.clone(), w.count, w.required, w.met))
        .collect();
    assert_eq!(
        weeks,
        vec![
            ("2023-02-27".to_string(), 2, Some(2), Some(true)),
            ("2023-03-06".to_string(), 1, Some(2), Some(false)),
        ]
    );
    // The portal has no cadence rule: required and met are null.
    let portal_weeks = &by_id(&reports, "portal").columns[0].weekly;
    assert!(
        portal_weeks
            .iter()
            .all(|w| w.required.is_none() && w.met.is_none())
    );
    // Equal scores share a rank; the next rank skips.
    assert_eq!(by_id(&reports, "pass").rank, Some(1));
    assert_eq!(by_id(&reports, "portal").rank, Some(1));
    assert_eq!(fail.rank, Some(3));
}

#[test]
fn party_twice_weekly_deducts_for_party_columns_only() {
    let snap = snapshot(
        SHORT_PERIOD,
        AS_OF,
        vec![
            site(
                "pass",
                "甲镇",
                Role::Town,
                Some(AS_OF),
                vec![
                    column(
                        "dwgk",
                        "党务公开",
                        ColumnClass::Party,
                        &["2023-02-27", "2023-02-28", "2023-03-06", "2023-03-07"],
                    ),
                    // A news column is not this rule's business.
                    column("zxdt", "最新动态", ColumnClass::News, &[]),
                ],
            ),
            site(
                "fail",
                "乙镇",
                Role::Town,
                Some(AS_OF),
                vec![column(
                    "dwgk",
                    "党务公开",
                    ColumnClass::Party,
                    &["2023-03-06", "2023-03-07"],
                )],
            ),
        ],
    );
    let reports = score(&snap, &builtin(&["party-twice-weekly"]));
    assert_clean(by_id(&reports, "pass"));
    let fail = by_id(&reports, "fail");
    assert_eq!(
        fail.findings,
        vec![finding(
            "party-twice-weekly",
            "cadence",
            "deduct",
            -12.5,
            "党务公开2023-02-27 当周更新0篇，要求不少于2篇",
            Some("党务公开"),
            vec![ev(
                "http://site.test/dwgk/",
                "党务公开",
                None,
                Some("统计区间 2023-02-27 至 2023-03-05，共0篇")
            )]
        )]
    );
    assert_eq!(fail.score, Some(87.5));
}

#[test]
fn cadence_weight_is_spent_once_per_rule_and_site_and_the_rest_is_named_in_evidence() {
    // The quarter to 2023-03-15: ten whole weeks, the 春节 week (01-23) exempt, nine judged.
    // Three empty columns: 最新动态 and 工作动态 (news), 党务公开 (party).
    let snap = snapshot(
        QUARTER,
        AS_OF,
        vec![dept(
            "idle",
            "丙局",
            vec![
                column("zxdt", "最新动态", ColumnClass::News, &[]),
                column("gzdt", "工作动态", ColumnClass::News, &[]),
                column("dwgk", "党务公开", ColumnClass::Party, &[]),
            ],
        )],
    );
    let reports = score(
        &snap,
        &builtin(&["news-twice-weekly", "party-twice-weekly"]),
    );
    let r = by_id(&reports, "idle");
    let per = |rule: &str, col: &str| -> Vec<f64> {
        r.findings
            .iter()
            .filter(|f| f.rule == rule && f.column.as_deref() == Some(col))
            .map(|f| f.points)
            .collect()
    };
    // 25 ÷ 9 = 2.78 a missed week (rounded for display; the score uses the exact sum).
    assert_eq!(per("news-twice-weekly", "最新动态"), vec![-2.78; 9]);
    assert_eq!(per("party-twice-weekly", "党务公开"), vec![-2.78; 9]);
    // The news rule's weight is spent on the first column: the second one's nine weeks
    // are named in the evidence of the last charged week, never as 0-point deductions.
    assert_eq!(per("news-twice-weekly", "工作动态"), Vec::<f64>::new());
    let capped: Vec<&str> = r
        .findings
        .iter()
        .flat_map(|f| &f.evidence)
        .filter(|e| e.excerpt.as_deref() == Some("已达扣分上限，不再扣分"))
        .map(|e| e.title.as_str())
        .collect();
    assert_eq!(capped.len(), 9);
    assert!(
        capped.iter().all(|t| t.starts_with("工作动态")),
        "{capped:?}"
    );
    assert!(r.findings.iter().all(|f| f.points != 0.0));
    assert_eq!(r.findings.len(), 18);
    assert_eq!(r.score, Some(50.0));
    assert_eq!(r.grade.as_deref(), Some("不合格"));
}

/// A department with a 最新动态 and a 党务公开 column over `[start, as_of]`: each gets two
/// items every Monday and Tuesday, except the Mondays of `news_missed` / `party_missed`
/// weeks (given as that week's Monday; `None` = every week missed).
fn two_column_site(
    start: &str,
    as_of: &str,
    news_missed: Option<&[&str]>,
    party_missed: Option<&[&str]>,
) -> Snapshot {
    let weeks: Vec<chrono::NaiveDate> = d(start)
        .iter_days()
        .take_while(|x| *x <= d(as_of))
        .filter(|x| chrono::Datelike::weekday(x) == chrono::Weekday::Mon)
        .collect();
    let dates = |missed: Option<&[&str]>| -> Vec<String> {
        let Some(missed) = missed else {
            return Vec::new();
        };
        weeks
            .iter()
            .filter(|m| !missed.iter().any(|x| d(x) == **m))
            .flat_map(|m| [*m, *m + chrono::Days::new(1)])
            .map(|x| x.to_string())
            .collect()
    };
    let news = dates(news_missed);
    let party = dates(party_missed);
    fn as_refs(v: &[String]) -> Vec<&str> {
        v.iter().map(String::as_str).collect()
    }
    snapshot(
        start,
        as_of,
        vec![site(
            "unit",
            "某局",
            Role::Department,
            Some(as_of),
            vec![
                column("zxdt", "最新动态", ColumnClass::News, &as_refs(&news)),
                column("dwgk", "党务公开", ColumnClass::Party, &as_refs(&party)),
            ],
        )],
    )
}

/// Issue 12 item 1: for any period of four weeks or more, missing every week of one
/// required column leaves a unit below 80, of both below 60; one missed week in a quarter
/// keeps it 优秀. Checked with the whole default rule set on a 4-week period, a quarter
/// and a year.
#[test]
fn cadence_weights_separate_units_for_a_month_a_quarter_and_a_year() {
    let rules = config::builtin_rules();
    let run = |start: &str, as_of: &str, news: Option<&[&str]>, party: Option<&[&str]>| {
        let reports = score(&two_column_site(start, as_of, news, party), &rules);
        let r = by_id(&reports, "unit").clone();
        (r.score.unwrap(), r.grade.unwrap())
    };
    // (period start, as_of): 4 whole weeks; a quarter; a year (each ends on a Sunday).
    let periods = [
        ("2023-05-08", "2023-06-04"),
        ("2023-04-03", "2023-07-02"),
        ("2023-01-02", "2023-12-31"),
    ];
    for (start, as_of) in periods {
        let ctx = format!("{start}..{as_of}");
        let (full, grade) = run(start, as_of, Some(&[]), Some(&[]));
        assert_eq!((full, grade.as_str()), (100.0, "优秀"), "{ctx}");
        // One column missing every week: below 80.
        let (s, g) = run(start, as_of, None, Some(&[]));
        assert!(s < 80.0 && g != "优秀" && g != "良好", "{ctx}: {s} {g}");
        let (s, g) = run(start, as_of, Some(&[]), None);
        assert!(s < 80.0 && g != "优秀" && g != "良好", "{ctx}: {s} {g}");
        // Both missing every week: below 60, 不合格.
        let (s, g) = run(start, as_of, None, None);
        assert!(s < 60.0, "{ctx}: {s}");
        assert_eq!(g, "不合格", "{ctx}");
    }
    // One missed week of one column in a quarter: still 优秀 (25 ÷ 12 judged weeks).
    let (s, g) = run("2023-04-03", "2023-07-02", Some(&["2023-06-12"]), Some(&[]));
    assert!(s >= 90.0, "{s}");
    assert_eq!(g, "优秀");
    assert_eq!(s, 97.92);
    // The same missed week costs a quarter of the weight in a 4-week period.
    let (s, _) = run("2023-05-08", "2023-06-04", Some(&["2023-05-15"]), Some(&[]));
    assert_eq!(s, 93.75);
}

#[test]
fn an_exempt_week_has_met_null_and_costs_nothing() {
    let make = || {
        snapshot(
            SHORT_PERIOD,
            AS_OF,
            vec![dept(
                "holiday",
                "丁局",
                vec![column(
                    "zxdt",
                    "最新动态",
                    ColumnClass::News,
                    &["2023-03-06", "2023-03-08"],
                )],
            )],
        )
    };
    let mut rules = builtin(&["news-twice-weekly"]);
    // Without the exemption the empty week of 02-27 costs half the weight (two weeks judged).
    let without = score(&make(), &rules);
    assert_eq!(points(by_id(&without, "holiday")), vec![-12.5]);

    rules.exempt_weeks.push(ExemptWeek {
        week_start: d("2023-02-27"),
        name: "测试假期".to_string(),
    });
    let with = score(&make(), &rules);
    let r = by_id(&with, "holiday");
    assert_clean(r);
    let weeks: Vec<(u32, Option<u32>, Option<bool>, bool)> = r.columns[0]
        .weekly
        .iter()
        .map(|w| (w.count, w.required, w.met, w.exempt))
        .collect();
    assert_eq!(
        weeks,
        vec![(0, Some(2), None, true), (2, Some(2), Some(true), false)]
    );
}

#[test]
fn exempt_weeks_written_in_the_rule_file_reach_the_rule_set() {
    let local = include_str!("../../rules/local.yaml").replace(
        "exempt_weeks: []",
        "exempt_weeks: [{week: 2023-03-01, name: 测试}]",
    );
    let rules = config::load_rules_from_sources(&[("local.yaml", &local)])
        .unwrap_or_else(|d| panic!("{}", config::render_diagnostics(&d)));
    assert_eq!(
        rules.exempt_weeks,
        vec![ExemptWeek {
            week_start: d("2023-02-27"),
            name: "测试".to_string()
        }]
    );
}

#[test]
fn weekly_quota_midweek_warns_from_thursday_when_a_column_is_short() {
    let sites = || {
        vec![
            dept(
                "ontrack",
                "甲局",
                vec![column(
                    "zxdt",
                    "最新动态",
                    ColumnClass::News,
                    &["2023-03-13", "2023-03-14"],
                )],
            ),
            dept(
                "behind",
                "乙局",
                vec![
                    // 03-17 lies after a Thursday as_of: not counted.
                    column(
                        "zxdt",
                        "最新动态",
                        ColumnClass::News,
                        &["2023-03-13", "2023-03-17"],
                    ),
                    column("dwgk", "党务公开", ColumnClass::Party, &["2023-03-10"]),
                ],
            ),
        ]
    };
    let rules = builtin(&["weekly-quota-midweek"]);

    let thursday = score(&snapshot(SHORT_PERIOD, "2023-03-16", sites()), &rules);
    assert_clean(by_id(&thursday, "ontrack"));
    let behind = by_id(&thursday, "behind");
    assert_eq!(
        behind.findings,
        vec![
            finding(
                "weekly-quota-midweek",
                "cadence",
                "warn",
                0.0,
                "最新动态本周（2023-03-13起）截至2023-03-16仅更新1篇，距每周2篇的要求尚差1篇",
                Some("最新动态"),
                vec![
                    ev(
                        "http://site.test/zxdt/1.html",
                        "最新动态信息1",
                        Some("2023-03-13"),
                        None
                    ),
                    ev(
                        "http://site.test/zxdt/",
                        "最新动态",
                        None,
                        Some("本周（2023-03-13起）已更新1篇")
                    ),
                ]
            ),
            finding(
                "weekly-quota-midweek",
                "cadence",
                "warn",
                0.0,
                "党务公开本周（2023-03-13起）截至2023-03-16仅更新0篇，距每周2篇的要求尚差2篇",
                Some("党务公开"),
                vec![ev(
                    "http://site.test/dwgk/",
                    "党务公开",
                    None,
                    Some("本周（2023-03-13起）已更新0篇")
                )]
            ),
        ]
    );
    // A warning costs nothing.
    assert_eq!(behind.score, Some(100.0));

    // On Wednesday it is too early to warn.
    let wednesday = score(&snapshot(SHORT_PERIOD, "2023-03-15", sites()), &rules);
    assert!(wednesday.iter().all(|r| r.findings.is_empty()));

    // In an exempt week nobody is warned.
    let mut exempt = rules.clone();
    exempt.exempt_weeks.push(ExemptWeek {
        week_start: d("2023-03-13"),
        name: "测试假期".to_string(),
    });
    let holiday = score(&snapshot(SHORT_PERIOD, "2023-03-16", sites()), &exempt);
    assert!(holiday.iter().all(|r| r.findings.is_empty()));
}

#[test]
fn notice_kept_current_warns_after_92_days() {
    let snap = snapshot(
        QUARTER,
        AS_OF,
        vec![
            // 92 days before 2023-03-15.
            dept(
                "pass",
                "甲局",
                vec![column(
                    "tzgg",
                    "通知公告",
                    ColumnClass::Notice,
                    &["2022-12-13"],
                )],
            ),
            dept(
                "fail",
                "乙局",
                vec![column(
                    "tzgg",
                    "通知公告",
                    ColumnClass::Notice,
                    &["2022-12-12"],
                )],
            ),
        ],
    );
    let reports = score(&snap, &builtin(&["notice-kept-current"]));
    assert_clean(by_id(&reports, "pass"));
    let fail = by_id(&reports, "fail");
    assert_eq!(
        fail.findings,
        vec![finding(
            "notice-kept-current",
            "stale",
            "warn",
            0.0,
            "通知公告最近更新于2022-12-12，已93天未更新（要求92天内更新）",
            Some("通知公告"),
            vec![ev(
                "http://site.test/tzgg/1.html",
                "通知公告信息1",
                Some("2022-12-12"),
                Some("通知公告最近一条，已93天未更新（要求92天内）")
            )]
        )]
    );
    assert_eq!(fail.score, Some(100.0));
}

#[test]
fn org_leaders_kept_current_warns_after_a_year_for_both_classes() {
    let snap = snapshot(
        QUARTER,
        AS_OF,
        vec![
            dept(
                "pass",
                "甲局",
                vec![
                    column("jggk", "机构概况", ColumnClass::Org, &["2022-03-15"]),
                    column("dwld", "单位领导", ColumnClass::Leaders, &["2022-03-15"]),
                ],
            ),
            dept(
                "fail",
                "乙局",
                vec![
                    column("jggk", "机构概况", ColumnClass::Org, &["2022-03-14"]),
                    // A column whose items carry no date counts as not updated (an empty
                    // one is blank: the blank-column rules judge it, not this one).
                    with_undated(column("dwld", "单位领导", ColumnClass::Leaders, &[]), 1),
                ],
            ),
        ],
    );
    let reports = score(&snap, &builtin(&["org-leaders-kept-current"]));
    assert_clean(by_id(&reports, "pass"));
    let fail = by_id(&reports, "fail");
    assert_eq!(
        messages(fail),
        vec![
            "机构概况最近更新于2022-03-14，已366天未更新（要求365天内更新）",
            "单位领导无注明日期的信息，视为未更新",
        ]
    );
    assert_eq!(
        fail.findings[1].evidence,
        vec![ev(
            "http://site.test/dwld/",
            "单位领导",
            None,
            Some("单位领导无注明日期的信息")
        )]
    );
    assert_eq!(points(fail), vec![0.0, 0.0]);
    assert!(fail.findings.iter().all(|f| f.severity == "warn"));
}

// ------------------------------------------------------- national vetoes

#[test]
fn homepage_not_updated_vetoes_after_14_days_and_keeps_the_score() {
    let snap = snapshot(
        QUARTER,
        AS_OF,
        vec![
            dept("pass", "甲局", vec![]),
            site("edge", "乙局", Role::Department, Some("2023-03-01"), vec![]),
            site(
                "stale",
                "丙局",
                Role::Department,
                Some("2023-02-28"),
                vec![],
            ),
            site("nodate", "丁局", Role::Department, None, vec![]),
            // A date after as_of: the home page has changed since the 监测时间点, so its
            // state on that day cannot be seen and nothing is judged (no false veto).
            site(
                "future",
                "戊局",
                Role::Department,
                Some("2023-03-20"),
                vec![],
            ),
        ],
    );
    let reports = score(&snap, &builtin(&["homepage-not-updated"]));
    assert_clean(by_id(&reports, "pass"));
    assert_clean(by_id(&reports, "edge"));
    let stale = by_id(&reports, "stale");
    let msg = "首页最近更新于2023-02-28，已15天未更新（要求14天内）";
    assert_eq!(
        stale.findings,
        vec![finding(
            "homepage-not-updated",
            "stale",
            "veto",
            0.0,
            msg,
            None,
            vec![ev("http://stale.test/", "丙局", Some("2023-02-28"), None)]
        )]
    );
    assert_vetoed(stale, "homepage-not-updated", msg);
    let nodate_msg = "首页未发现任何注明日期的信息（未注明发布时间的视为不更新）";
    assert_vetoed(
        by_id(&reports, "nodate"),
        "homepage-not-updated",
        nodate_msg,
    );
    assert_clean(by_id(&reports, "future"));
    // Vetoed sites rank after every site that is not, whatever their score.
    assert_eq!(by_id(&reports, "pass").rank, Some(1));
    assert_eq!(by_id(&reports, "edge").rank, Some(1));
    assert_eq!(by_id(&reports, "future").rank, Some(1));
    assert_eq!(stale.rank, Some(4));
}

#[test]
fn homepage_warning_fires_after_10_days_without_points() {
    let snap = snapshot(
        QUARTER,
        AS_OF,
        vec![
            site("pass", "甲局", Role::Department, Some("2023-03-05"), vec![]),
            site("fail", "乙局", Role::Department, Some("2023-03-04"), vec![]),
        ],
    );
    let reports = score(&snap, &builtin(&["homepage-not-updated-warning"]));
    assert_clean(by_id(&reports, "pass"));
    let fail = by_id(&reports, "fail");
    assert_eq!(
        fail.findings,
        vec![finding(
            "homepage-not-updated-warning",
            "stale",
            "warn",
            0.0,
            "首页最近更新于2023-03-04，已11天未更新（要求10天内）",
            None,
            vec![ev("http://fail.test/", "乙局", Some("2023-03-04"), None)]
        )]
    );
    assert!(fail.vetoes.is_empty());
    assert_eq!(fail.score, Some(100.0));
    assert_eq!(fail.grade.as_deref(), Some("优秀"));
}

/// News stale at 15 days, notice/policy stale at 184 days (a window plus one day).
const NEWS_STALE: &str = "2023-02-28";
const HALF_YEAR_STALE: &str = "2022-09-12";
const HALF_YEAR_FRESH: &str = "2022-09-13";
const YEAR_STALE: &str = "2022-03-14";
const YEAR_FRESH: &str = "2022-03-15";

#[test]
fn columns_not_updated_vetoes_at_exactly_five_stale_news_notice_policy_columns_not_four() {
    let five = dept(
        "five",
        "甲局",
        vec![
            column("dt1", "动态一", ColumnClass::News, &[NEWS_STALE]),
            column("dt2", "动态二", ColumnClass::News, &[NEWS_STALE]),
            column("dt3", "动态三", ColumnClass::News, &[NEWS_STALE]),
            column("tzgg", "通知公告", ColumnClass::Notice, &[HALF_YEAR_STALE]),
            // No dated item at all counts as not updated.
            with_undated(column("zcwj", "政策文件", ColumnClass::Policy, &[]), 1),
        ],
    );
    let four = dept(
        "four",
        "乙局",
        vec![
            column("dt1", "动态一", ColumnClass::News, &[NEWS_STALE]),
            column("dt2", "动态二", ColumnClass::News, &[NEWS_STALE]),
            column("dt3", "动态三", ColumnClass::News, &[NEWS_STALE]),
            column("tzgg", "通知公告", ColumnClass::Notice, &[HALF_YEAR_STALE]),
            // Fresh at exactly 183 days.
            column("zcwj", "政策文件", ColumnClass::Policy, &[HALF_YEAR_FRESH]),
            // Party columns are not among this veto's kinds.
            column("dwgk", "党务公开", ColumnClass::Party, &[NEWS_STALE]),
            // A column that could not be read is not counted.
            unreadable("gzdt", "工作动态", ColumnClass::News),
        ],
    );
    let reports = score(
        &snapshot(QUARTER, AS_OF, vec![five, four]),
        &builtin(&["columns-not-updated"]),
    );
    assert_clean(by_id(&reports, "four"));
    let r = by_id(&reports, "five");
    let msg = "超期未更新栏目5个，达到5个的限值";
    let news_ev = |slug: &str, name: &str| {
        ev(
            &format!("http://site.test/{slug}/1.html"),
            &format!("{name}信息1"),
            Some(NEWS_STALE),
            Some(&format!("{name}最近一条，已15天未更新（要求14天内）")),
        )
    };
    assert_eq!(
        r.findings,
        vec![finding(
            "columns-not-updated",
            "stale",
            "veto",
            0.0,
            msg,
            None,
            vec![
                news_ev("dt1", "动态一"),
                news_ev("dt2", "动态二"),
                news_ev("dt3", "动态三"),
                ev(
                    "http://site.test/tzgg/1.html",
                    "通知公告信息1",
                    Some(HALF_YEAR_STALE),
                    Some("通知公告最近一条，已184天未更新（要求183天内）")
                ),
                ev(
                    "http://site.test/zcwj/",
                    "政策文件",
                    None,
                    Some("政策文件无注明日期的信息")
                ),
            ]
        )]
    );
    assert_vetoed(r, "columns-not-updated", msg);
    assert_eq!(by_id(&reports, "four").rank, Some(1));
    assert_eq!(r.rank, Some(2));
}

/// `n` stale columns drawn in turn from news, party, notice, policy, personnel, planning,
/// each one day past its class window, plus an always-stale 机构概况 (no window).
fn stale_site(id: &str, n: usize) -> SiteSnap {
    let all = [
        ("dt1", "动态一", ColumnClass::News, NEWS_STALE),
        ("dw1", "党务一", ColumnClass::Party, NEWS_STALE),
        ("tz1", "通知一", ColumnClass::Notice, HALF_YEAR_STALE),
        ("zc1", "政策一", ColumnClass::Policy, HALF_YEAR_STALE),
        ("rs1", "人事一", ColumnClass::Personnel, YEAR_STALE),
        ("gh1", "规划一", ColumnClass::Planning, YEAR_STALE),
        ("dt2", "动态二", ColumnClass::News, NEWS_STALE),
        ("dw2", "党务二", ColumnClass::Party, NEWS_STALE),
        ("rs2", "人事二", ColumnClass::Personnel, YEAR_STALE),
        ("gh2", "规划二", ColumnClass::Planning, YEAR_STALE),
    ];
    let mut cols: Vec<ColumnSnap> = all
        .iter()
        .take(n)
        .map(|(slug, name, class, date)| column(slug, name, *class, &[date]))
        .collect();
    // Fresh columns of every kind, exactly at their windows, are never counted.
    cols.push(column("dt9", "动态九", ColumnClass::News, &["2023-03-01"]));
    cols.push(column(
        "zc9",
        "政策九",
        ColumnClass::Policy,
        &[HALF_YEAR_FRESH],
    ));
    cols.push(column(
        "gh9",
        "规划九",
        ColumnClass::Planning,
        &[YEAR_FRESH],
    ));
    cols.push(column("jg", "机构概况", ColumnClass::Org, &["2020-01-01"]));
    dept(id, id, cols)
}

#[test]
fn columns_long_stale_vetoes_at_ten_stale_columns_of_any_class_window_not_nine() {
    let reports = score(
        &snapshot(
            QUARTER,
            AS_OF,
            vec![stale_site("ten", 10), stale_site("nine", 9)],
        ),
        &builtin(&["columns-long-stale"]),
    );
    assert_clean(by_id(&reports, "nine"));
    let r = by_id(&reports, "ten");
    let msg = "超期未更新栏目10个，达到10个的限值";
    assert_vetoed(r, "columns-long-stale", msg);
    assert_eq!(r.findings.len(), 1);
    let f = &r.findings[0];
    assert_eq!(
        (f.kind.as_str(), f.severity.as_str(), f.points),
        ("stale", "veto", 0.0)
    );
    let titles: Vec<&str> = f.evidence.iter().map(|e| e.title.as_str()).collect();
    assert_eq!(
        titles,
        vec![
            "动态一信息1",
            "党务一信息1",
            "通知一信息1",
            "政策一信息1",
            "人事一信息1",
            "规划一信息1",
            "动态二信息1",
            "党务二信息1",
            "人事二信息1",
            "规划二信息1"
        ]
    );
    assert_eq!(
        f.evidence[4].excerpt.as_deref(),
        Some("人事一最近一条，已366天未更新（要求365天内）")
    );
}

#[test]
fn stale_columns_warning_fires_above_six_not_at_six() {
    let reports = score(
        &snapshot(
            QUARTER,
            AS_OF,
            vec![stale_site("seven", 7), stale_site("six", 6)],
        ),
        &builtin(&["stale-columns-warning"]),
    );
    assert_clean(by_id(&reports, "six"));
    let r = by_id(&reports, "seven");
    assert_eq!(messages(r), vec!["超期未更新栏目7个，达到7个的限值"]);
    assert_eq!(r.findings[0].severity, "warn");
    assert_eq!(r.findings[0].evidence.len(), 7);
    assert!(r.vetoes.is_empty());
    assert_eq!(r.score, Some(100.0));
}

fn blank_site(id: &str, blank: usize) -> SiteSnap {
    let mut cols: Vec<ColumnSnap> = (1..=blank)
        .map(|i| {
            column(
                &format!("k{i}"),
                &format!("空白{i}"),
                ColumnClass::Notice,
                &[],
            )
        })
        .collect();
    // Neither an unreadable column nor one holding only undated items is blank.
    cols.push(unreadable("bad", "无法读取", ColumnClass::Notice));
    cols.push(with_undated(
        column("wrq", "无日期", ColumnClass::Notice, &[]),
        1,
    ));
    cols.push(column("ok", "正常", ColumnClass::Notice, &[AS_OF]));
    dept(id, id, cols)
}

#[test]
fn blank_columns_vetoes_at_five_blank_columns_not_four() {
    let reports = score(
        &snapshot(
            QUARTER,
            AS_OF,
            vec![blank_site("five", 5), blank_site("four", 4)],
        ),
        &builtin(&["blank-columns"]),
    );
    assert_clean(by_id(&reports, "four"));
    let r = by_id(&reports, "five");
    let msg = "空白栏目5个，达到5个的限值";
    assert_eq!(
        r.findings,
        vec![finding(
            "blank-columns",
            "blank_column",
            "veto",
            0.0,
            msg,
            None,
            (1..=5)
                .map(|i| ev(
                    &format!("http://site.test/k{i}/"),
                    &format!("空白{i}"),
                    None,
                    Some("空白栏目")
                ))
                .collect()
        )]
    );
    assert_vetoed(r, "blank-columns", msg);
}

#[test]
fn blank_columns_warning_fires_above_two_not_at_two() {
    let reports = score(
        &snapshot(
            QUARTER,
            AS_OF,
            vec![blank_site("three", 3), blank_site("two", 2)],
        ),
        &builtin(&["blank-columns-warning"]),
    );
    assert_clean(by_id(&reports, "two"));
    let r = by_id(&reports, "three");
    assert_eq!(messages(r), vec!["空白栏目3个，达到3个的限值"]);
    assert_eq!(r.findings[0].severity, "warn");
    assert_eq!(r.score, Some(100.0));
}

// ----------------------------------------------------- national deductions

#[test]
fn blank_column_deducts_two_points_each_up_to_ten() {
    let reports = score(
        &snapshot(
            QUARTER,
            AS_OF,
            vec![blank_site("six", 6), blank_site("none", 0)],
        ),
        &builtin(&["blank-column"]),
    );
    assert_clean(by_id(&reports, "none"));
    let r = by_id(&reports, "six");
    assert_eq!(points(r), vec![-2.0, -2.0, -2.0, -2.0, -2.0]);
    assert_eq!(
        r.findings[0],
        finding(
            "blank-column",
            "blank_column",
            "deduct",
            -2.0,
            "空白1栏目为空白栏目，未发布任何信息",
            Some("空白1"),
            vec![ev(
                "http://site.test/k1/",
                "空白1",
                None,
                Some("栏目列表无任何条目")
            )]
        )
    );
    assert_eq!(r.score, Some(90.0));
    assert_eq!(r.grade.as_deref(), Some("优秀"));
}

#[test]
fn news_stale_deducts_two_points_per_news_column_past_14_days_up_to_ten() {
    let snap = snapshot(
        QUARTER,
        AS_OF,
        vec![
            dept(
                "pass",
                "甲局",
                vec![
                    column("zxdt", "最新动态", ColumnClass::News, &["2023-03-01"]),
                    // Not a news column: not this rule's business.
                    column("tzgg", "通知公告", ColumnClass::Notice, &["2020-01-01"]),
                ],
            ),
            dept(
                "fail",
                "乙局",
                vec![
                    column(
                        "zxdt",
                        "最新动态",
                        ColumnClass::News,
                        &[NEWS_STALE, "2023-01-05"],
                    ),
                    with_undated(column("gzdt", "工作动态", ColumnClass::News, &[]), 2),
                ],
            ),
            dept(
                "many",
                "丙局",
                (1..=6)
                    .map(|i| {
                        column(
                            &format!("dt{i}"),
                            &format!("动态{i}"),
                            ColumnClass::News,
                            &[NEWS_STALE],
                        )
                    })
                    .collect(),
            ),
        ],
    );
    let reports = score(&snap, &builtin(&["news-stale"]));
    assert_clean(by_id(&reports, "pass"));
    let fail = by_id(&reports, "fail");
    assert_eq!(
        fail.findings,
        vec![
            finding(
                "news-stale",
                "stale",
                "deduct",
                -2.0,
                "最新动态最近更新于2023-02-28，已15天未更新（要求14天内更新）",
                Some("最新动态"),
                vec![ev(
                    "http://site.test/zxdt/1.html",
                    "最新动态信息1",
                    Some(NEWS_STALE),
                    Some("最新动态最近一条，已15天未更新（要求14天内）")
                )]
            ),
            finding(
                "news-stale",
                "stale",
                "deduct",
                -2.0,
                "工作动态无注明日期的信息，视为未更新",
                Some("工作动态"),
                vec![ev(
                    "http://site.test/gzdt/",
                    "工作动态",
                    None,
                    Some("工作动态无注明日期的信息")
                )]
            ),
        ]
    );
    assert_eq!(fail.score, Some(96.0));
    let many = by_id(&reports, "many");
    // The sixth column is past the cap: named in the fifth's evidence, not a 0-point finding.
    assert_eq!(points(many), vec![-2.0, -2.0, -2.0, -2.0, -2.0]);
    let last = many.findings[4].evidence.last().unwrap();
    assert_eq!(last.excerpt.as_deref(), Some("已达扣分上限，不再扣分"));
    assert!(last.title.starts_with("动态6最近更新于"), "{}", last.title);
    assert_eq!(many.score, Some(90.0));
}

#[test]
fn notice_policy_stale_deducts_five_points_per_column_past_183_days_up_to_ten() {
    let snap = snapshot(
        QUARTER,
        AS_OF,
        vec![
            dept(
                "pass",
                "甲局",
                vec![
                    column("tzgg", "通知公告", ColumnClass::Notice, &[HALF_YEAR_FRESH]),
                    column("zcwj", "政策文件", ColumnClass::Policy, &[HALF_YEAR_FRESH]),
                ],
            ),
            dept(
                "fail",
                "乙局",
                vec![
                    column("tzgg", "通知公告", ColumnClass::Notice, &[HALF_YEAR_STALE]),
                    column("zcwj", "政策文件", ColumnClass::Policy, &[HALF_YEAR_STALE]),
                    with_undated(column("gfxwj", "规范性文件", ColumnClass::Policy, &[]), 1),
                ],
            ),
        ],
    );
    let reports = score(&snap, &builtin(&["notice-policy-stale"]));
    assert_clean(by_id(&reports, "pass"));
    let fail = by_id(&reports, "fail");
    assert_eq!(
        messages(fail),
        vec![
            "通知公告最近更新于2022-09-12，已184天未更新（要求183天内更新）",
            "政策文件最近更新于2022-09-12，已184天未更新（要求183天内更新）",
        ]
    );
    assert_eq!(points(fail), vec![-5.0, -5.0]);
    // The third column is past the cap of 10: named in the evidence, costing nothing.
    let note = fail.findings[1].evidence.last().unwrap();
    assert_eq!(note.title, "规范性文件无注明日期的信息，视为未更新");
    assert_eq!(note.excerpt.as_deref(), Some("已达扣分上限，不再扣分"));
    assert_eq!(fail.score, Some(90.0));
}

#[test]
fn personnel_planning_stale_deducts_one_point_per_column_past_a_year_up_to_four() {
    let snap = snapshot(
        QUARTER,
        AS_OF,
        vec![
            dept(
                "pass",
                "甲局",
                vec![
                    column("rsxx", "人事信息", ColumnClass::Personnel, &[YEAR_FRESH]),
                    column("ghjh", "规划计划", ColumnClass::Planning, &[YEAR_FRESH]),
                ],
            ),
            dept(
                "fail",
                "乙局",
                vec![
                    column("rs1", "人事一", ColumnClass::Personnel, &[YEAR_STALE]),
                    column("rs2", "人事二", ColumnClass::Personnel, &[YEAR_STALE]),
                    column("gh1", "规划一", ColumnClass::Planning, &[YEAR_STALE]),
                    column("gh2", "规划二", ColumnClass::Planning, &[YEAR_STALE]),
                    with_undated(column("gh3", "规划三", ColumnClass::Planning, &[]), 1),
                ],
            ),
        ],
    );
    let reports = score(&snap, &builtin(&["personnel-planning-stale"]));
    assert_clean(by_id(&reports, "pass"));
    let fail = by_id(&reports, "fail");
    assert_eq!(
        fail.findings[0].message,
        "人事一最近更新于2022-03-14，已366天未更新（要求365天内更新）"
    );
    assert_eq!(points(fail), vec![-1.0, -1.0, -1.0, -1.0]);
    assert_eq!(fail.score, Some(96.0));
}

#[test]
fn undated_items_are_listed_per_column_as_a_warning() {
    let snap = snapshot(
        QUARTER,
        AS_OF,
        vec![
            dept(
                "pass",
                "甲局",
                vec![column("zxdt", "最新动态", ColumnClass::News, &[AS_OF])],
            ),
            dept(
                "fail",
                "乙局",
                vec![with_undated(
                    column("zxdt", "最新动态", ColumnClass::News, &[AS_OF]),
                    2,
                )],
            ),
        ],
    );
    let reports = score(&snap, &builtin(&["undated-items"]));
    assert_clean(by_id(&reports, "pass"));
    let fail = by_id(&reports, "fail");
    assert_eq!(
        fail.findings,
        vec![finding(
            "undated-items",
            "undated",
            "warn",
            0.0,
            "最新动态有2条信息未注明发布日期（未注明发布时间的视为不更新）",
            Some("最新动态"),
            vec![
                ev(
                    "http://site.test/zxdt/2.html",
                    "最新动态无日期1",
                    None,
                    None
                ),
                ev(
                    "http://site.test/zxdt/3.html",
                    "最新动态无日期2",
                    None,
                    None
                ),
            ]
        )]
    );
    assert_eq!(fail.score, Some(100.0));
}

#[test]
fn backdated_items_beyond_three_days_of_tolerance_are_warned_with_the_witness_crawl() {
    let mut col = column(
        "zxdt",
        "最新动态",
        ColumnClass::News,
        &["2023-03-04", "2023-03-05", "2023-03-10"],
    );
    // All three first appeared in run 3 on 03-15; run 2 read the list on 03-08, walking
    // back to 01-01, and did not list them.
    for i in &mut col.items {
        i.first_seen_run = 3;
        i.first_seen_on = d(AS_OF);
    }
    col.history = vec![
        PastCrawl {
            run_id: 1,
            observed_on: d("2023-03-01"),
            walked_back_to: d(QUARTER),
        },
        PastCrawl {
            run_id: 2,
            observed_on: d("2023-03-08"),
            walked_back_to: d(QUARTER),
        },
    ];
    let honest = column("zxdt", "最新动态", ColumnClass::News, &["2023-03-04"]);
    let snap = snapshot(
        QUARTER,
        AS_OF,
        vec![
            dept("fail", "乙局", vec![col]),
            dept("pass", "甲局", vec![honest]),
        ],
    );
    let reports = score(&snap, &builtin(&["backdated-items"]));
    assert_clean(by_id(&reports, "pass"));
    let fail = by_id(&reports, "fail");
    // 03-04 + 3 days = 03-07 < 03-08: backdated. 03-05 + 3 = 03-08: within tolerance.
    // 03-10 lies after the 03-08 crawl: nothing proves it late.
    assert_eq!(
        fail.findings,
        vec![finding(
            "backdated-items",
            "backdated",
            "warn",
            0.0,
            "最新动态《最新动态信息1》标注发布日期2023-03-04，但2023-03-08检查该栏目时尚未出现，首次发现于2023-03-15（晚11天），疑似补发或倒签",
            Some("最新动态"),
            vec![ev(
                "http://site.test/zxdt/1.html",
                "最新动态信息1",
                Some("2023-03-04"),
                Some("2023-03-08检查时列表中无此条；2023-03-15首次出现")
            )]
        )]
    );
    assert_eq!(fail.score, Some(100.0));
}

// ---------------------------------------------------------------- metadata

fn page(site: &str, path: &str, kind: &str) -> PageMetaRecord {
    let mut p = PageMetaRecord {
        url: format!("http://{site}.test/{path}"),
        kind: kind.to_string(),
        site_name: Some("孟津区测试局".to_string()),
        site_domain: Some(format!("{site}.test")),
        site_id_code: Some("4103220001".to_string()),
        title: Some(format!("{kind}:{path}")),
        ..PageMetaRecord::default()
    };
    match kind {
        "list" => p.column_name = Some("通知公告".to_string()),
        "article" => {
            p.article_title = Some("关于开展检查的通知".to_string());
            p.pub_date = Some("2023-03-10 09:30".to_string());
            p.content_source = Some("本网".to_string());
        }
        _ => {}
    }
    p
}

fn meta_site(id: &str, pages: Vec<PageMetaRecord>) -> SiteSnap {
    let mut s = dept(id, id, vec![]);
    s.pages = pages;
    s
}

#[test]
fn page_metadata_reports_one_finding_per_missing_or_malformed_tag() {
    let good = meta_site(
        "good",
        vec![
            page("good", "", "home"),
            page("good", "tzgg/", "list"),
            page("good", "tzgg/1.html", "article"),
            {
                let mut p = page("good", "tzgg/2.html", "article");
                p.site_id_code = Some("bm14000002".to_string());
                p.pub_date = Some("2023-03-10 09:30:15".to_string());
                p
            },
        ],
    );
    let mut home = page("bad", "", "home");
    home.site_id_code = None;
    let mut list = page("bad", "tzgg/", "list");
    list.site_id_code = Some("410322001".to_string());
    let mut article = page("bad", "tzgg/1.html", "article");
    article.pub_date = Some("2023/03/10".to_string());
    let bad = meta_site("bad", vec![home, list, article]);
    // Nothing recorded (e.g. a run from before the crawler kept page tags): not judged.
    let unseen = meta_site("unseen", vec![]);

    let reports = score(
        &snapshot(QUARTER, AS_OF, vec![good, bad, unseen]),
        &builtin(&["page-metadata"]),
    );
    assert_clean(by_id(&reports, "good"));
    assert_clean(by_id(&reports, "unseen"));
    let r = by_id(&reports, "bad");
    assert_eq!(
        r.findings,
        vec![
            finding(
                "page-metadata",
                "metadata",
                "deduct",
                -0.5,
                "1个页面缺少网站标识码(SiteIDCode)标签",
                None,
                vec![ev(
                    "http://bad.test/",
                    "home:",
                    None,
                    Some("首页未设置<meta name=\"SiteIDCode\">")
                )]
            ),
            finding(
                "page-metadata",
                "metadata",
                "deduct",
                -0.5,
                "1个页面的网站标识码(SiteIDCode)标签格式不正确（应为10位数字，或bm加8位数字）",
                None,
                vec![ev(
                    "http://bad.test/tzgg/",
                    "list:tzgg/",
                    None,
                    Some("栏目页的SiteIDCode标签值为“410322001”")
                )]
            ),
            finding(
                "page-metadata",
                "metadata",
                "deduct",
                -0.5,
                "1个页面的发布时间(PubDate)标签格式不正确（应为YYYY-MM-DD HH:MM[:SS]或YYYY-MM-DD）",
                None,
                vec![ev(
                    "http://bad.test/tzgg/1.html",
                    "article:tzgg/1.html",
                    None,
                    Some("文章页的PubDate标签值为“2023/03/10”")
                )]
            ),
        ]
    );
    assert_eq!(r.score, Some(98.5));
}

#[test]
fn page_metadata_lists_five_pages_of_evidence_and_counts_them_all() {
    let pages: Vec<PageMetaRecord> = (1..=7)
        .map(|i| {
            let mut p = page("many", &format!("a/{i}.html"), "article");
            p.content_source = None;
            p
        })
        .collect();
    let reports = score(
        &snapshot(QUARTER, AS_OF, vec![meta_site("many", pages)]),
        &builtin(&["page-metadata"]),
    );
    let r = by_id(&reports, "many");
    assert_eq!(r.findings.len(), 1);
    let f = &r.findings[0];
    assert_eq!(f.message, "7个页面缺少文章来源(ContentSource)标签");
    let urls: Vec<&str> = f.evidence.iter().map(|e| e.url.as_str()).collect();
    assert_eq!(
        urls,
        (1..=5)
            .map(|i| format!("http://many.test/a/{i}.html"))
            .collect::<Vec<_>>()
    );
    assert_eq!(r.score, Some(99.5));
}

#[test]
fn page_metadata_deductions_stop_at_three_points() {
    let bare = |path: &str, kind: &str| PageMetaRecord {
        url: format!("http://bare.test/{path}"),
        kind: kind.to_string(),
        ..PageMetaRecord::default()
    };
    let pages = vec![
        bare("", "home"),
        bare("tzgg/", "list"),
        bare("tzgg/1.html", "article"),
    ];
    let reports = score(
        &snapshot(QUARTER, AS_OF, vec![meta_site("bare", pages)]),
        &builtin(&["page-metadata"]),
    );
    let r = by_id(&reports, "bare");
    assert_eq!(
        messages(r),
        vec![
            "3个页面缺少网站名称(SiteName)标签",
            "3个页面缺少网站域名(SiteDomain)标签",
            "3个页面缺少网站标识码(SiteIDCode)标签",
            "1个页面缺少栏目名称(ColumnName)标签",
            "1个页面缺少文章标题(ArticleTitle)标签",
            "1个页面缺少发布时间(PubDate)标签",
        ]
    );
    // The seventh problem is past the cap of 3: in the sixth's evidence, costing nothing.
    assert_eq!(
        r.findings[5].evidence.last().unwrap().title,
        "1个页面缺少文章来源(ContentSource)标签"
    );
    // Without a page title the evidence names the page kind.
    assert_eq!(r.findings[3].evidence[0].title, "栏目页");
    assert_eq!(points(r), vec![-0.5, -0.5, -0.5, -0.5, -0.5, -0.5]);
    assert_eq!(r.score, Some(97.0));
}

// ------------------------------------------------------------ scoring policy

const BONUS_RULES: &str = r#"
settings:
  bonus: {cap: 5, above: 80}
rules:
  - id: test-blank-deduct
    title: 测试扣分
    source: 测试
    check: blank_column
    severity: deduct
    points: 10
  - id: test-undated-bonus
    title: 测试加分
    source: 测试
    check: undated
    severity: bonus
    points: 3
"#;

#[test]
fn bonus_counts_only_above_80_and_at_most_the_cap() {
    let rules = config::load_rules_from_sources(&[("bonus.yaml", BONUS_RULES)])
        .unwrap_or_else(|d| panic!("{}", config::render_diagnostics(&d)));
    let blank = |slug: &str| column(slug, slug, ColumnClass::Notice, &[]);
    let undated = |slug: &str| with_undated(column(slug, slug, ColumnClass::News, &[]), 1);
    let snap = snapshot(
        QUARTER,
        AS_OF,
        vec![
            // 100 − 10 = 90 > 80: +3 +3 capped at +5.
            dept("a", "甲", vec![blank("k1"), undated("u1"), undated("u2")]),
            // 100 − 20 = 80, not above 80: no bonus.
            dept("b", "乙", vec![blank("k1"), blank("k2"), undated("u1")]),
            // Nothing: 100.
            dept("c", "丙", vec![]),
            // 100 + 3.
            dept("d", "丁", vec![undated("u1")]),
            // 100 − 50 = 50: below 60 without a veto is 不合格 too.
            dept(
                "e",
                "戊",
                vec![
                    blank("k1"),
                    blank("k2"),
                    blank("k3"),
                    blank("k4"),
                    blank("k5"),
                ],
            ),
        ],
    );
    let reports = score(&snap, &rules);
    type Row<'a> = (&'a str, Option<f64>, Option<&'a str>, Option<u32>);
    let got: Vec<Row<'_>> = reports
        .iter()
        .map(|r| (r.id.as_str(), r.score, r.grade.as_deref(), r.rank))
        .collect();
    assert_eq!(
        got,
        vec![
            ("d", Some(103.0), Some("优秀"), Some(1)),
            ("c", Some(100.0), Some("优秀"), Some(2)),
            ("a", Some(95.0), Some("优秀"), Some(3)),
            ("b", Some(80.0), Some("良好"), Some(4)),
            ("e", Some(50.0), Some("不合格"), Some(5)),
        ]
    );
    // A finding's points are what it adds after the caps: +3, then +2 up to the cap of 5;
    // below the threshold a bonus finding adds nothing.
    let bonus_points = |id: &str| -> Vec<f64> {
        by_id(&reports, id)
            .findings
            .iter()
            .filter(|f| f.severity == "bonus")
            .map(|f| f.points)
            .collect()
    };
    assert_eq!(bonus_points("a"), vec![3.0, 2.0]);
    assert_eq!(bonus_points("b"), vec![0.0]);
}

const CATEGORY_CAP_RULES: &str = r#"
settings:
  category_caps: {信息更新: 6}
rules:
  - id: test-blank
    title: 空白栏目
    source: 测试
    check: blank_column
    severity: deduct
    points: 4
    category: 信息更新
  - id: test-undated
    title: 未注明日期
    source: 测试
    check: undated
    severity: deduct
    points: 1
    category: 网页规范
"#;

#[test]
fn a_category_cap_limits_the_deductions_of_all_rules_in_that_category() {
    let rules = config::load_rules_from_sources(&[("cats.yaml", CATEGORY_CAP_RULES)])
        .unwrap_or_else(|d| panic!("{}", config::render_diagnostics(&d)));
    let blank = |slug: &str| column(slug, slug, ColumnClass::Notice, &[]);
    let undated = |slug: &str| with_undated(column(slug, slug, ColumnClass::News, &[]), 1);
    let snap = snapshot(
        QUARTER,
        AS_OF,
        vec![dept(
            "a",
            "甲",
            vec![
                blank("k1"),
                blank("k2"),
                blank("k3"),
                undated("u1"),
                undated("u2"),
            ],
        )],
    );
    let reports = score(&snap, &rules);
    let pts: Vec<(String, f64)> = by_id(&reports, "a")
        .findings
        .iter()
        .map(|f| (f.rule.clone(), f.points))
        .collect();
    assert_eq!(
        pts,
        vec![
            ("test-blank".to_string(), -4.0),
            ("test-blank".to_string(), -2.0),
            ("test-undated".to_string(), -1.0),
            ("test-undated".to_string(), -1.0),
        ]
    );
    assert_eq!(by_id(&reports, "a").score, Some(92.0));
}

#[test]
fn a_category_cap_on_a_category_no_rule_uses_is_an_error() {
    let bad = CATEGORY_CAP_RULES.replace("{信息更新: 6}", "{信息跟新: 6}");
    let diags = config::load_rules_from_sources(&[("cats.yaml", &bad)]).unwrap_err();
    let text = config::render_diagnostics(&diags);
    assert!(text.contains("cats.yaml:3:"), "{text}");
    assert!(text.contains("信息跟新"), "{text}");
    assert!(text.contains("信息更新"), "{text}");
}

#[test]
fn a_blocked_or_unreachable_site_gets_no_findings_and_no_score() {
    // Under every default rule, a site that breaks all of them but could not be seen.
    let broken = |id: &str, status: SiteStatus| {
        let mut s = site(
            id,
            id,
            Role::Department,
            Some("2022-01-01"),
            (1..=6)
                .map(|i| {
                    column(
                        &format!("k{i}"),
                        &format!("空白{i}"),
                        ColumnClass::News,
                        &[],
                    )
                })
                .collect(),
        );
        s.status = status;
        s.status_reason = Some("HTTP 521 反爬验证(加速乐)".to_string());
        s.pages = vec![PageMetaRecord {
            url: format!("http://{id}.test/"),
            kind: "home".to_string(),
            ..PageMetaRecord::default()
        }];
        s
    };
    let snap = snapshot(
        QUARTER,
        "2023-03-16",
        vec![
            broken("blocked", SiteStatus::Blocked),
            broken("unreachable", SiteStatus::Unreachable),
            broken("seen", SiteStatus::Ok),
        ],
    );
    let reports = score(&snap, &config::builtin_rules());
    for id in ["blocked", "unreachable"] {
        let r = by_id(&reports, id);
        assert!(r.findings.is_empty(), "{id}: {:#?}", r.findings);
        assert!(r.vetoes.is_empty());
        assert_eq!((r.score, r.grade.as_deref(), r.rank), (None, None, None));
        // Its columns are still listed for manual review.
        assert_eq!(r.columns.len(), 6);
    }
    // The same site seen normally is judged by every kind of rule.
    let seen = by_id(&reports, "seen");
    let kinds: BTreeSet<&str> = seen.findings.iter().map(|f| f.kind.as_str()).collect();
    assert_eq!(
        kinds,
        [
            "blank_column",
            "cadence",
            "metadata",
            "missing_column",
            "stale"
        ]
        .into_iter()
        .collect()
    );
    assert_eq!(seen.rank, Some(1));
    assert_eq!(seen.grade.as_deref(), Some("不合格"));
    // Ranked sites come first, the unassessed after them.
    assert_eq!(reports[0].id, "seen");
}

#[test]
fn a_partial_site_loses_nothing_for_the_column_it_could_not_read() {
    // Two items every week of the quarter plus this week's, so the news column passes
    // every default rule; the party column could not be read.
    let mut dates = Vec::new();
    let mut day = d("2023-01-02");
    while day <= d(AS_OF) {
        dates.push(day.format("%Y-%m-%d").to_string());
        dates.push((day + chrono::Days::new(2)).format("%Y-%m-%d").to_string());
        day = day + chrono::Days::new(7);
    }
    let dates: Vec<&str> = dates.iter().map(String::as_str).collect();
    let mut s = dept(
        "partial",
        "甲局",
        vec![
            column("zxdt", "最新动态", ColumnClass::News, &dates),
            unreadable("dwgk", "党务公开", ColumnClass::Party),
        ],
    );
    s.status = SiteStatus::Partial;
    let reports = score(&snapshot(QUARTER, AS_OF, vec![s]), &config::builtin_rules());
    let r = by_id(&reports, "partial");
    assert_clean(r);
    let party = &r.columns[1];
    assert!(!party.assessable);
    assert_eq!(party.reason.as_deref(), Some("栏目页HTTP 404"));
    assert!(party.weekly.is_empty());
}

// ------------------------------------------------------------ report.json

#[test]
fn report_json_carries_vetoes_findings_with_evidence_score_grade_and_rank() {
    let tmp = tempfile::tempdir().unwrap();
    let settings = config::load_str(
        "district: 孟津区\nsites:\n  - id: portal\n    name: 孟津区人民政府\n    role: portal\n    url: http://127.0.0.1:9/\n",
        "config.yaml",
        tmp.path(),
    )
    .unwrap_or_else(|d| panic!("{}", config::render_diagnostics(&d)));
    let mut blocked = dept("blocked", "乙局", vec![]);
    blocked.status = SiteStatus::Blocked;
    let snap = snapshot(
        QUARTER,
        AS_OF,
        vec![
            site(
                "stale",
                "甲局",
                Role::Department,
                Some("2023-02-20"),
                vec![column(
                    "zxdt",
                    "最新动态",
                    ColumnClass::News,
                    &["2023-02-20"],
                )],
            ),
            blocked,
        ],
    );
    let report = govscore::pipeline::build_report(&settings, &snap, 7);
    let json: serde_json::Value = serde_json::to_value(&report).unwrap();
    let sites = json["sites"].as_array().unwrap();
    let stale = sites.iter().find(|s| s["id"] == "stale").unwrap();
    assert_eq!(stale["status"], "ok");
    assert_eq!(stale["vetoes"][0]["rule"], "homepage-not-updated");
    assert_eq!(
        stale["vetoes"][0]["message"],
        "首页最近更新于2023-02-20，已23天未更新（要求14天内）"
    );
    assert_eq!(stale["grade"], "不合格");
    assert_eq!(stale["rank"], 1);
    // news-stale (−2) and the cadence rules (−1 per short week, 5 per column) cost points.
    assert!(stale["score"].as_f64().is_some_and(|s| s < 100.0));
    let findings = stale["findings"].as_array().unwrap();
    assert!(!findings.is_empty());
    for f in findings {
        for key in ["rule", "kind", "severity", "points", "message"] {
            assert!(!f[key].is_null(), "{key} in {f}");
        }
        let evidence = f["evidence"].as_array().unwrap();
        assert!(!evidence.is_empty(), "evidence of {f}");
        assert!(evidence.iter().all(|e| e["url"].is_string()));
    }
    let news = findings
        .iter()
        .find(|f| f["rule"] == "news-stale")
        .expect("news-stale finding");
    assert_eq!(news["points"], -2.0);
    assert_eq!(news["evidence"][0]["date"], "2023-02-20");

    let blocked = sites.iter().find(|s| s["id"] == "blocked").unwrap();
    assert_eq!(blocked["status"], "blocked");
    for key in ["score", "grade", "rank"] {
        assert!(blocked[key].is_null(), "{key}");
    }
    assert_eq!(blocked["findings"], serde_json::json!([]));
    assert_eq!(blocked["vetoes"], serde_json::json!([]));
}

#[test]
fn page_metadata_judges_the_pages_the_store_recorded_for_a_run() {
    use govscore::crawl::observe::SiteObservation;
    let mut store = govscore::store::Store::open_in_memory().expect("in-memory store");
    let run = store
        .begin_run(d(AS_OF), d(AS_OF), (d(QUARTER), d(AS_OF)))
        .expect("run starts");
    let mut bad = page("store", "tzgg/1.html", "article");
    bad.site_id_code = Some("bm1400000".to_string());
    bad.content_source = None;
    let obs = SiteObservation {
        site_id: "store".to_string(),
        name: "测试局".to_string(),
        role: Role::Department,
        url: "http://store.test/".to_string(),
        status: SiteStatus::Ok,
        status_reason: None,
        home: HomeFacts {
            latest_date: Some(d(AS_OF)),
            ..HomeFacts::default()
        },
        columns: Vec::new(),
        failures: Vec::new(),
        pages: vec![bad, page("store", "", "home")],
        cache_updates: Vec::new(),
        pages_parsed: 0,
        attachments: Vec::new(),
        links: Default::default(),
    };
    store.record_site(run, &obs).expect("site recorded");
    let snap = store.snapshot(run).expect("snapshot loads");
    let reports = score(&snap, &builtin(&["page-metadata"]));
    let r = by_id(&reports, "store");
    assert_eq!(
        messages(r),
        vec![
            "1个页面的网站标识码(SiteIDCode)标签格式不正确（应为10位数字，或bm加8位数字）",
            "1个页面缺少文章来源(ContentSource)标签",
        ]
    );
    assert_eq!(
        r.findings[0].evidence[0].url,
        "http://store.test/tzgg/1.html"
    );
    assert_eq!(r.score, Some(99.0));
}

// ------------------------------------------------------ annual report rules

fn with_report(
    id: &str,
    published: Option<&str>,
    sections_missing: &[&str],
    problems: usize,
) -> SiteSnap {
    use govscore::crawl::annual::{AnnualObservation, FoundReport, ProblemRecord};
    let mut s = dept(id, "测试局", vec![]);
    s.annual = Some(AnnualObservation {
        year: 2022,
        report: published.map(|p| FoundReport {
            form: None,
            url: format!("http://{id}.test/zfxxgknb/t20230120_1.html"),
            title: "测试局2022年政府信息公开工作年度报告".to_string(),
            published: Some(d(p)),
            column: Some("政府信息公开年报".to_string()),
            attachment: None,
            format: Some("html".to_string()),
            manual_review: None,
            sections_missing: sections_missing.iter().map(|x| x.to_string()).collect(),
            problems: (0..problems)
                .map(|i| ProblemRecord {
                    rule: "R2".to_string(),
                    severity: "error".to_string(),
                    table: Some("表三".to_string()),
                    row: Some(format!("第{i}行")),
                    column: Some("总计".to_string()),
                    message: format!("表三 第{i}行 总计列：各项之和为12，填报为13"),
                })
                .collect(),
            last_year_url: None,
        }),
    });
    s
}

#[test]
fn annual_report_rules_yield_their_points_with_caps() {
    let rules = builtin(&[
        "annual-report-missing",
        "annual-report-late",
        "annual-report-sections",
        "annual-report-arithmetic",
    ]);
    let snap = snapshot(
        QUARTER,
        AS_OF,
        vec![
            with_report("ontime", Some("2023-01-20"), &[], 0),
            // 2023-02-10 is 10 days after the 01-31 deadline: two started weeks.
            with_report("late", Some("2023-02-10"), &[], 0),
            with_report("missing", None, &[], 0),
            with_report(
                "sections",
                Some("2023-01-20"),
                &["五、存在的主要问题及改进情况", "六、其他需要报告的事项"],
                0,
            ),
            // Eight arithmetic errors at 0.5 each are capped at 3.
            with_report("sums", Some("2023-01-20"), &[], 8),
        ],
    );
    let reports = score(&snap, &rules);
    let pts = |id: &str, rule: &str| -> f64 {
        by_id(&reports, id)
            .findings
            .iter()
            .filter(|f| f.rule == rule)
            .map(|f| f.points)
            .sum()
    };
    assert!(by_id(&reports, "ontime").findings.is_empty());
    assert_eq!(pts("late", "annual-report-late"), -2.0);
    assert_eq!(pts("missing", "annual-report-missing"), -5.0);
    assert_eq!(pts("sections", "annual-report-sections"), -2.0);
    assert_eq!(pts("sums", "annual-report-arithmetic"), -3.0);
    assert_eq!(by_id(&reports, "sums").score, Some(97.0));
    let kinds: BTreeSet<&str> = reports
        .iter()
        .flat_map(|r| r.findings.iter().map(|f| f.kind.as_str()))
        .collect();
    assert_eq!(kinds, BTreeSet::from(["annual_report"]));
}

#[test]
fn a_home_page_that_changed_after_as_of_is_not_judged_for_freshness() {
    // Assessed "as of" 2023-03-15 from a crawl on 2023-04-20: the home page shows 04-18.
    let rules = builtin(&["homepage-not-updated", "homepage-not-updated-warning"]);
    let snap = snapshot(
        QUARTER,
        AS_OF,
        vec![
            dept_with_home("moved", Some("2023-04-18")),
            dept_with_home("stale", Some("2023-02-01")),
        ],
    );
    let reports = score(&snap, &rules);
    assert!(by_id(&reports, "moved").findings.is_empty());
    assert!(by_id(&reports, "moved").vetoes.is_empty());
    assert_eq!(by_id(&reports, "stale").vetoes.len(), 1);
}

fn dept_with_home(id: &str, home: Option<&str>) -> SiteSnap {
    site(id, id, Role::Department, home, vec![])
}

// ------------------------------------------------- one fact, one finding (issue 12 item 4)

#[test]
fn a_late_annual_report_is_one_finding_with_its_days_weeks_and_points() {
    let rules = builtin(&["annual-report-late"]);
    // 2023-02-10 is 10 days after the 01-31 deadline: two started weeks, 1 point each.
    let snap = snapshot(
        QUARTER,
        AS_OF,
        vec![with_report("late", Some("2023-02-10"), &[], 0)],
    );
    let reports = score(&snap, &rules);
    let r = by_id(&reports, "late");
    assert_eq!(r.findings.len(), 1);
    assert_eq!(r.findings[0].points, -2.0);
    assert_eq!(
        r.findings[0].message,
        "2022年政府信息公开工作年度报告于2023-02-10发布，晚于截止日期2023-01-31共10天（逾期2周，按逾期周数扣分）"
    );
}

#[test]
fn a_warning_and_a_deduction_on_the_same_column_become_the_deduction() {
    // 通知公告 184 days old: the national rule deducts (183 days); the local 92-day warning
    // on the same column is the same fact and is not listed again.
    let rules = builtin(&["notice-kept-current", "notice-policy-stale"]);
    let snap = snapshot(
        QUARTER,
        AS_OF,
        vec![
            dept(
                "old",
                "甲局",
                vec![column(
                    "tzgg",
                    "通知公告",
                    ColumnClass::Notice,
                    &[HALF_YEAR_STALE],
                )],
            ),
            // 100 days: only the warning applies.
            dept(
                "warned",
                "乙局",
                vec![column(
                    "tzgg",
                    "通知公告",
                    ColumnClass::Notice,
                    &["2022-12-05"],
                )],
            ),
        ],
    );
    let reports = score(&snap, &rules);
    let rules_of = |id: &str| -> Vec<(String, String)> {
        by_id(&reports, id)
            .findings
            .iter()
            .map(|f| (f.rule.clone(), f.severity.clone()))
            .collect()
    };
    assert_eq!(
        rules_of("old"),
        vec![("notice-policy-stale".to_string(), "deduct".to_string())]
    );
    assert_eq!(
        rules_of("warned"),
        vec![("notice-kept-current".to_string(), "warn".to_string())]
    );
}

#[test]
fn a_vetoed_home_page_is_not_also_warned() {
    let rules = builtin(&["homepage-not-updated", "homepage-not-updated-warning"]);
    let snap = snapshot(
        QUARTER,
        AS_OF,
        vec![
            dept_with_home("vetoed", Some("2023-02-20")),
            dept_with_home("warned", Some("2023-03-03")),
        ],
    );
    let reports = score(&snap, &rules);
    let v = by_id(&reports, "vetoed");
    assert_eq!(v.findings.len(), 1);
    assert_eq!(v.findings[0].severity, "veto");
    let w = by_id(&reports, "warned");
    assert_eq!(w.findings.len(), 1);
    assert_eq!(w.findings[0].severity, "warn");
}

#[test]
fn the_running_week_is_only_warned_and_an_ended_week_only_judged() {
    let rules = builtin(&["news-twice-weekly", "weekly-quota-midweek"]);
    let make = |as_of: &str| {
        snapshot(
            "2023-03-06",
            as_of,
            vec![dept(
                "short",
                "甲局",
                vec![column(
                    "zxdt",
                    "最新动态",
                    ColumnClass::News,
                    &["2023-03-07"],
                )],
            )],
        )
    };
    // Thursday 03-09: the week is running — warned, not deducted.
    let thu = score(&make("2023-03-09"), &rules);
    let sev: Vec<&str> = by_id(&thu, "short")
        .findings
        .iter()
        .map(|f| f.severity.as_str())
        .collect();
    assert_eq!(sev, vec!["warn"]);
    // Sunday 03-12: the week has ended — deducted once, no "尚差" warning beside it.
    let sun = score(&make("2023-03-12"), &rules);
    let f: Vec<(&str, &str)> = by_id(&sun, "short")
        .findings
        .iter()
        .map(|f| (f.rule.as_str(), f.severity.as_str()))
        .collect();
    assert_eq!(f, vec![("news-twice-weekly", "deduct")]);
}

#[test]
fn a_blank_column_counts_as_blank_not_also_as_stale() {
    // Issue 10 item 8: the empty 最新动态 is deducted as blank, not also as 2 weeks stale, and
    // counts toward the blank-column veto line only; the cadence rule still counts its weeks.
    let rules = builtin(&[
        "news-stale",
        "blank-column",
        "columns-not-updated",
        "news-twice-weekly",
    ]);
    let five_stale_one_blank = dept(
        "mixed",
        "甲局",
        vec![
            column("dt1", "动态一", ColumnClass::News, &[NEWS_STALE]),
            column("dt2", "动态二", ColumnClass::News, &[NEWS_STALE]),
            column("dt3", "动态三", ColumnClass::News, &[NEWS_STALE]),
            column("tzgg", "通知公告", ColumnClass::Notice, &[HALF_YEAR_STALE]),
            column("zxdt", "最新动态", ColumnClass::News, &[]),
        ],
    );
    let reports = score(
        &snapshot(SHORT_PERIOD, AS_OF, vec![five_stale_one_blank]),
        &rules,
    );
    let r = by_id(&reports, "mixed");
    // Four stale columns, not five: no veto.
    assert!(r.vetoes.is_empty(), "{:?}", r.vetoes);
    let of = |rule: &str| -> Vec<String> {
        r.findings
            .iter()
            .filter(|f| f.rule == rule)
            .map(|f| f.column.clone().unwrap_or_default())
            .collect()
    };
    assert_eq!(of("blank-column"), vec!["最新动态"]);
    assert!(!of("news-stale").contains(&"最新动态".to_string()));
    // Its two missed weeks are still counted by the local cadence rule (charged, or named
    // past the rule's cap in the evidence).
    let weeks: Vec<&str> = r
        .findings
        .iter()
        .filter(|f| f.rule == "news-twice-weekly")
        .flat_map(|f| {
            std::iter::once(f.message.as_str()).chain(f.evidence.iter().map(|e| e.title.as_str()))
        })
        .filter(|m| m.starts_with("最新动态2023-"))
        .collect();
    assert_eq!(
        weeks,
        vec![
            "最新动态2023-02-27 当周更新0篇，要求不少于2篇",
            "最新动态2023-03-06 当周更新0篇，要求不少于2篇"
        ]
    );
}

// ---------------------------------------------------- holiday weeks (issue 12 item 3)

#[test]
fn national_day_2022_and_spring_festival_2023_weeks_are_exempt_by_default_naming_the_holiday() {
    let rules = builtin(&["news-twice-weekly"]);
    // Two items every week except the 国庆 and 春节 weeks, which have none.
    let (start, as_of) = ("2022-09-26", "2023-02-05");
    let dates: Vec<String> = d(start)
        .iter_days()
        .take_while(|x| *x <= d(as_of))
        .filter(|x| chrono::Datelike::weekday(x) == chrono::Weekday::Wed)
        .filter(|x| *x != d("2022-10-05") && *x != d("2023-01-25"))
        .flat_map(|x| [x, x + chrono::Days::new(1)])
        .map(|x| x.to_string())
        .collect();
    let refs: Vec<&str> = dates.iter().map(String::as_str).collect();
    let snap = snapshot(
        start,
        as_of,
        vec![dept(
            "unit",
            "甲局",
            vec![column("zxdt", "最新动态", ColumnClass::News, &refs)],
        )],
    );
    let reports = score(&snap, &rules);
    let r = by_id(&reports, "unit");
    assert!(r.findings.is_empty(), "{:?}", r.findings);
    assert_eq!(r.score, Some(100.0));
    let exempt: Vec<(&str, &str)> = r.columns[0]
        .weekly
        .iter()
        .filter(|w| w.exempt)
        .map(|w| {
            (
                w.week_start.as_str(),
                w.exempt_reason.as_deref().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(exempt.len(), 2, "{exempt:?}");
    assert_eq!(exempt[0].0, "2022-10-03");
    assert!(
        exempt[0].1.contains("国庆节：2022-10-01至2022-10-07放假"),
        "{}",
        exempt[0].1
    );
    assert_eq!(exempt[1].0, "2023-01-23");
    assert!(
        exempt[1].1.contains("春节：2023-01-21至2023-01-27放假"),
        "{}",
        exempt[1].1
    );
    assert!(
        exempt[1]
            .1
            .contains("国务院办公厅关于2023年部分节假日安排的通知")
    );
}

// ------------------------------------------------------------ content screening

/// A stored screening hit on `page` (line 2 = the body's first line).
fn content_hit(kind: &str, page: &str, doc: &str, found: &str, serious: bool) -> StoredHit {
    StoredHit {
        url: doc.to_string(),
        article_url: page.to_string(),
        title: "关于做好安全生产工作的通知".to_string(),
        published: Some(d("2023-03-01")),
        kind: kind.to_string(),
        category: match kind {
            "personal_data" => "个人信息",
            "hidden_link" => "暗链",
            "sensitive" => "博彩",
            "serious_error" => "严重表述错误",
            _ => "错别字",
        }
        .to_string(),
        found: found.to_string(),
        context: format!("会议对工作进行了{found}，要求"),
        line: 2,
        column: 9,
        suggestion: "更正".to_string(),
        source: "测试".to_string(),
        serious,
    }
}

#[test]
fn content_rules_cost_what_the_rules_say_with_caps_and_only_serious_personal_data_counts() {
    let page = "http://site.test/zxdt/1.html";
    let docx = "http://site.test/zxdt/gs.docx";
    let clean = dept("clean", "甲局", vec![]);
    let mut slips = dept("slips", "乙局", vec![]);
    slips.content.hits = (0..12)
        .map(|_| content_hit("typo", page, page, "布署", false))
        .chain([
            content_hit("serious_error", page, page, "扫黑险恶", true),
            content_hit("sensitive", page, page, "某娱乐城", true),
            content_hit("hidden_link", page, page, "http://spam.example/", true),
            content_hit(
                "hidden_link",
                "http://site.test/zxdt/2.html",
                "http://site.test/zxdt/2.html",
                "http://spam.example/",
                true,
            ),
            content_hit("personal_data", page, docx, "41*************123", true),
            content_hit("personal_data", page, docx, "41*************456", true),
            // An office's labelled contact number is not a leak.
            content_hit("personal_data", page, page, "138****1234", false),
        ])
        .collect();
    let rules = builtin(&[
        "content-typos",
        "content-serious-errors",
        "content-sensitive-words",
        "content-hidden-links",
        "content-personal-data",
    ]);
    let reports = score(&snapshot(QUARTER, AS_OF, vec![clean, slips]), &rules);
    assert_clean(by_id(&reports, "clean"));
    let r = by_id(&reports, "slips");
    let count = |kind: &str| r.findings.iter().filter(|f| f.kind == kind).count();
    // Past the cap the occurrences are named in the last one's evidence (已达扣分上限).
    assert_eq!(count("typo"), 10);
    assert_eq!(count("serious_error"), 1);
    assert_eq!(count("sensitive"), 1);
    assert_eq!(
        count("hidden_link"),
        1,
        "one link on two pages is one finding"
    );
    assert_eq!(count("pii"), 1, "one document");
    let lost = |kind: &str| -> f64 {
        r.findings
            .iter()
            .filter(|f| f.kind == kind)
            .map(|f| f.points)
            .sum()
    };
    // 0.2 per typo capped at 2; warnings cost nothing; 2 per hidden link; 1 per document.
    assert!((lost("typo") + 2.0).abs() < 1e-9, "{}", lost("typo"));
    assert_eq!(lost("serious_error"), 0.0);
    assert_eq!(lost("sensitive"), 0.0);
    assert_eq!(lost("hidden_link"), -2.0);
    assert_eq!(lost("pii"), -1.0);
    assert!(r.vetoes.is_empty());
    assert_eq!(r.score, Some(95.0));
    let hidden = r.findings.iter().find(|f| f.kind == "hidden_link").unwrap();
    assert_eq!(hidden.evidence.len(), 2);
    assert!(
        !hidden.message.contains("spam.example"),
        "{}",
        hidden.message
    );
    let sensitive = r.findings.iter().find(|f| f.kind == "sensitive").unwrap();
    assert!(
        !sensitive.message.contains("某娱乐城"),
        "{}",
        sensitive.message
    );
    assert_eq!(
        sensitive.evidence,
        vec![ev(
            page,
            "关于做好安全生产工作的通知",
            Some("2023-03-01"),
            Some("…会议对工作进行了某娱乐城，要求…（正文第1行第9字）"),
        )]
    );
}

// ------------------------------------------------------------ dead links

fn link(
    site: &str,
    n: usize,
    state: govscore::crawl::links::LinkState,
) -> govscore::store::LinkProblem {
    govscore::store::LinkProblem {
        url: format!("http://{site}.test/old/{n}.html"),
        state,
        status: Some(404),
        reason: "HTTP 404 错误".to_string(),
        first_failed: Some(d("2023-03-08")),
        page_url: format!("http://{site}.test/"),
        page_title: Some("孟津区测试局".to_string()),
        text: format!("旧文件{n}"),
        pages: 1,
    }
}

#[test]
fn dead_links_cost_a_tenth_each_up_to_three_and_suspect_or_walled_links_nothing() {
    use govscore::crawl::links::LinkState;
    let mut dead = dept("dead", "dead", vec![]);
    dead.links = (1..=35).map(|n| link("dead", n, LinkState::Dead)).collect();
    let mut one = dept("one", "one", vec![]);
    one.links = vec![link("one", 1, LinkState::Dead)];
    let mut unsure = dept("unsure", "unsure", vec![]);
    unsure.links = vec![
        link("unsure", 1, LinkState::Suspect),
        link("unsure", 2, LinkState::Unknown),
    ];
    let reports = score(
        &snapshot(QUARTER, AS_OF, vec![dead, one, unsure]),
        &builtin(&["dead-links"]),
    );
    assert_clean(by_id(&reports, "unsure"));
    let r = by_id(&reports, "one");
    assert_eq!(
        r.findings,
        vec![finding(
            "dead-links",
            "dead_link",
            "deduct",
            -0.1,
            "链接不可用：“旧文件1”（HTTP 404 错误），自2023-03-08起连续两次以上检查均无法访问",
            None,
            vec![
                ev(
                    "http://one.test/",
                    "孟津区测试局",
                    None,
                    Some("所在页面，链接文字“旧文件1”")
                ),
                ev(
                    "http://one.test/old/1.html",
                    "旧文件1",
                    Some("2023-03-08"),
                    Some("失效链接：HTTP 404 错误，日期为首次检查失败日")
                ),
            ]
        )]
    );
    assert_eq!(r.score, Some(99.9));
    let r = by_id(&reports, "dead");
    assert_eq!(r.score, Some(97.0));
    let total: f64 = points(r).iter().sum();
    assert!((total + 3.0).abs() < 1e-9, "capped at 3: {total}");
}
