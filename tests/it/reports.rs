//! The report files supervisors read, print and forward (issue 6): snapshots of every
//! rendering of a hand-built Report, escaping of hostile crawled text in HTML, xlsx and CSV,
//! and a simulator run whose report.html renders offline in headless Chromium.

use crate::support::d;
use govscore::pipeline::{self, RunOptions};
use govscore::report::model::{
    ColumnReport, Evidence, Finding, GradeBandOut, PeriodOut, Report, SCHEMA, SiteReport,
    TrendPoint, VetoOut, WeekOut,
};
use govscore::report::{self, csv, html, md, tongbao, xlsx};
use govscore::sim::SiteBehavior;
use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;

const SCRIPT: &str = "<script>alert(1)</script>";
/// A hostile column name short enough for the crawler to keep (≤ 12 characters with 单位领导).
const CRAWLED: &str = "<script>";
const FORMULA: &str = "=HYPERLINK(\"http://evil.example/\",\"点我\")";

// ---------------------------------------------------------------------------------------
// A hand-built report with every case a renderer must handle.

fn week(start: &str, count: u32, required: Option<u32>, exempt: bool) -> WeekOut {
    WeekOut {
        week_start: start.into(),
        count,
        required,
        met: if exempt {
            None
        } else {
            required.map(|r| count >= r)
        },
        exempt,
        exempt_reason: exempt.then(|| "法定节假日免考周：春节".to_string()),
    }
}

fn ev(url: &str, title: &str, date: Option<&str>, excerpt: Option<&str>) -> Evidence {
    Evidence {
        url: url.into(),
        title: title.into(),
        date: date.map(Into::into),
        excerpt: excerpt.map(Into::into),
    }
}

fn finding(rule: &str, kind: &str, severity: &str, points: f64, message: &str) -> Finding {
    Finding {
        rule: rule.into(),
        kind: kind.into(),
        severity: severity.into(),
        points,
        message: message.into(),
        column: None,
        evidence: vec![],
    }
}

fn site(id: &str, name: &str, role: &str) -> SiteReport {
    SiteReport {
        id: id.into(),
        name: name.into(),
        role: role.into(),
        url: format!("http://www.example.gov.cn/{id}/"),
        status: "ok".into(),
        status_reason: None,
        score: None,
        grade: None,
        rank: None,
        rank_in_role: None,
        score_change: None,
        vetoes: vec![],
        columns: vec![],
        annual_report: None,
        findings: vec![],
        content: None,
    }
}

fn fixture() -> Report {
    let weeks = ["2023-01-02", "2023-01-09", "2023-01-16", "2023-01-23"];
    let mut portal = site("portal", "测试区人民政府", "portal");
    portal.score = Some(97.0);
    portal.grade = Some("优秀".into());
    portal.rank = Some(1);
    portal.rank_in_role = Some(1);
    portal.score_change = Some(2.0);
    portal.columns = vec![ColumnReport {
        name: "最新动态".into(),
        class: "news".into(),
        url: Some("http://www.example.gov.cn/portal/zxdt/".into()),
        found: true,
        assessable: true,
        reason: None,
        items_total: 40,
        last_update: Some("2023-03-14".into()),
        weekly: vec![
            week(weeks[0], 3, Some(2), false),
            week(weeks[1], 1, Some(2), false),
            week(weeks[2], 6, Some(2), false),
            week(weeks[3], 0, Some(2), true),
        ],
        matched_name: None,
    }];
    portal.annual_report = Some(serde_json::json!({
        "year": 2022, "status": "late", "url": "http://www.example.gov.cn/portal/nb/2022.html",
        "title": "测试区人民政府2022年政府信息公开工作年度报告", "published": "2023-02-10",
        "deadline": "2023-01-31", "sections_missing": ["（六）存在的主要问题及改进情况"],
        "arithmetic_errors": [{"rule": "R1", "message": "主动公开合计与分项之和不符"}]
    }));
    let mut cadence = finding(
        "news-twice-weekly",
        "cadence",
        "deduct",
        -1.0,
        "最新动态 2023-01-09 当周更新1篇，要求不少于2篇",
    );
    cadence.column = Some("最新动态".into());
    cadence.evidence = vec![
        ev(
            "http://www.example.gov.cn/portal/zxdt/",
            "最新动态",
            None,
            Some("统计区间 2023-01-09 至 2023-01-15，共1篇"),
        ),
        ev(
            "http://www.example.gov.cn/portal/zxdt/a1.html",
            "我区召开春季植树动员会",
            Some("2023-01-10"),
            None,
        ),
    ];
    let mut annual = finding(
        "annual-report-on-time",
        "annual_report",
        "deduct",
        -2.0,
        "2022年度报告逾期发布（2023-02-10，截止2023-01-31）",
    );
    annual.evidence = vec![ev(
        "http://www.example.gov.cn/portal/nb/2022.html",
        "测试区人民政府2022年政府信息公开工作年度报告",
        Some("2023-02-10"),
        None,
    )];
    let mut meta = finding(
        "meta-tags",
        "metadata",
        "warn",
        0.0,
        "3个页面缺少SiteName标签",
    );
    meta.evidence = vec![ev(
        "http://www.example.gov.cn/portal/zxdt/a2.html",
        FORMULA,
        Some("2023-02-01"),
        Some("@SUM(1+1)"),
    )];
    portal.findings = vec![cadence, meta, annual];

    let mut dept = site("fgw", "测试区发展和改革委员会", "department");
    dept.score = Some(58.0);
    dept.grade = Some("不合格".into());
    dept.rank = Some(3);
    dept.rank_in_role = Some(1);
    dept.score_change = Some(-12.5);
    dept.vetoes = vec![VetoOut {
        rule: "blank-column-veto".into(),
        message: "通知公告栏目为空白栏目".into(),
    }];
    dept.columns = vec![ColumnReport {
        name: format!("通知公告{SCRIPT}"),
        class: "notice".into(),
        url: Some("javascript:alert(2)".into()),
        found: true,
        assessable: true,
        reason: None,
        items_total: 0,
        last_update: None,
        weekly: weeks.iter().map(|w| week(w, 0, Some(1), false)).collect(),
        matched_name: None,
    }];
    let mut blank = finding(
        "blank-column-veto",
        "blank_column",
        "veto",
        0.0,
        "通知公告栏目为空白栏目，未发布任何信息",
    );
    blank.column = Some(format!("通知公告{SCRIPT}"));
    blank.evidence = vec![ev(
        "javascript:alert(3)",
        &format!("通知公告{SCRIPT}"),
        None,
        Some("栏目列表无任何条目"),
    )];
    let mut backdated = finding(
        "backdated",
        "backdated",
        "deduct",
        -2.0,
        "“关于印发某某办法的通知”标注日期早于首次发现日期30天",
    );
    backdated.evidence = vec![ev(
        "http://www.example.gov.cn/fgw/tzgg/b1.html",
        "关于印发某某办法的通知",
        Some("2023-01-05"),
        Some("首次发现于2023-02-04"),
    )];
    let typo = finding("typo", "typo", "info", 0.0, "“人民政付”疑为错别字");
    dept.findings = vec![blank, backdated, typo];

    let mut town = site("hyz", "测试区横水镇人民政府", "town");
    town.status = "partial".into();
    town.status_reason = Some("1个栏目无法读取".into());
    town.score = Some(88.0);
    town.grade = Some("良好".into());
    town.rank = Some(2);
    town.rank_in_role = Some(1);
    town.columns = vec![ColumnReport {
        name: "政策文件".into(),
        class: "policy".into(),
        url: Some("http://www.example.gov.cn/hyz/zcwj/".into()),
        found: true,
        assessable: false,
        reason: Some("HTTP 404".into()),
        items_total: 0,
        last_update: None,
        weekly: vec![],
        matched_name: None,
    }];

    let mut blocked = site("wall", "测试区某某局", "department");
    blocked.status = "blocked".into();
    blocked.status_reason = Some("HTTP 521 反爬验证（加速乐）".into());

    Report {
        schema: SCHEMA.into(),
        district: "测试区".into(),
        as_of: "2023-03-15".into(),
        period: PeriodOut {
            start: "2023-01-01".into(),
            end: "2023-03-15".into(),
        },
        run_id: 7,
        generated_at: "2023-03-15T10:20:30+08:00".into(),
        sites: vec![portal, town, dept, blocked],
        trend: vec![
            TrendPoint {
                run_id: 3,
                as_of: "2022-12-15".into(),
                average_score: Some(85.0),
                pass_rate: Some(1.0),
                assessed: 3,
            },
            TrendPoint {
                run_id: 5,
                as_of: "2023-02-15".into(),
                average_score: Some(83.5),
                pass_rate: Some(1.0),
                assessed: 3,
            },
            TrendPoint {
                run_id: 7,
                as_of: "2023-03-15".into(),
                average_score: Some(81.0),
                pass_rate: Some(2.0 / 3.0),
                assessed: 3,
            },
        ],
        grade_bands: [
            ("优秀", 90.0),
            ("良好", 80.0),
            ("合格", 60.0),
            ("不合格", 0.0),
        ]
        .into_iter()
        .map(|(name, min)| GradeBandOut {
            name: name.into(),
            min,
        })
        .collect(),
        partial_run: None,
    }
}

/// Replaces what changes from run to run (run id, generation time) with placeholders.
fn redact(text: &str, r: &Report) -> String {
    text.replace(&r.generated_at, "[generated_at]")
        .replace(&format!("运行编号：{}", r.run_id), "运行编号：[run_id]")
}

fn snapshot(name: &str, text: &str) {
    insta::with_settings!({snapshot_path => "../snapshots", prepend_module_to_snapshot => false}, {
        insta::assert_snapshot!(name, text);
    });
}

// ---------------------------------------------------------------------------------------
// A tiny xlsx reader: sharedStrings + sheet XML, enough to read our own workbooks back.

struct Xlsx {
    /// Sheet name → rows of cell text (numbers as written).
    sheets: Vec<(String, Vec<Vec<String>>)>,
    /// Sheet name → raw sheet XML.
    raw: BTreeMap<String, String>,
    /// Sheet name → its relationships XML (hyperlink targets), when any.
    rels: BTreeMap<String, String>,
    shared_xml: String,
}

fn zip_text(z: &mut zip::ZipArchive<std::io::Cursor<&[u8]>>, name: &str) -> Option<String> {
    let mut f = z.by_name(name).ok()?;
    let mut s = String::new();
    f.read_to_string(&mut s).ok()?;
    Some(s)
}

/// One XML event, owned, with entities resolved.
enum Ev {
    Open(String, BTreeMap<String, String>),
    Text(String),
    Close(String),
}

fn unescape(raw: &str) -> String {
    quick_xml::escape::unescape(raw)
        .map(|c| c.to_string())
        .unwrap_or_else(|_| raw.to_string())
}

/// The events of `xml`; an empty element yields Open then Close.
fn events(xml: &str) -> Vec<Ev> {
    use quick_xml::events::{BytesStart, Event};
    fn open(e: &BytesStart) -> Ev {
        let attrs = e
            .attributes()
            .flatten()
            .map(|a| (a.key.as_ref().to_string(), unescape(&a.value)))
            .collect();
        Ev::Open(e.name().as_ref().to_string(), attrs)
    }
    let mut out = Vec::new();
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut pending = String::new();
    let flush = |pending: &mut String, out: &mut Vec<Ev>| {
        if !pending.is_empty() {
            out.push(Ev::Text(unescape(pending)));
            pending.clear();
        }
    };
    loop {
        match reader.read_event().expect("well-formed xlsx XML") {
            Event::Start(e) => {
                flush(&mut pending, &mut out);
                out.push(open(&e));
            }
            Event::Empty(e) => {
                flush(&mut pending, &mut out);
                out.push(open(&e));
                out.push(Ev::Close(e.name().as_ref().to_string()));
            }
            // Text and entity references arrive separately; join them, then unescape.
            Event::Text(t) => pending.push_str(&t.into_inner()),
            Event::GeneralRef(r) => {
                pending.push('&');
                pending.push_str(&r.into_inner());
                pending.push(';');
            }
            Event::End(e) => {
                flush(&mut pending, &mut out);
                out.push(Ev::Close(e.name().as_ref().to_string()));
            }
            Event::Eof => break,
            _ => {}
        }
    }
    out
}

fn col_index(cell_ref: &str) -> usize {
    cell_ref
        .chars()
        .take_while(|c| c.is_ascii_alphabetic())
        .fold(0, |n, c| n * 26 + (c as usize - 'A' as usize + 1))
        - 1
}

fn read_xlsx(bytes: &[u8]) -> Xlsx {
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("xlsx is a zip");
    let shared_xml = zip_text(&mut z, "xl/sharedStrings.xml").unwrap_or_default();
    let mut shared = Vec::new();
    let (mut cur, mut in_t) = (None::<String>, false);
    for ev in events(&shared_xml) {
        match ev {
            Ev::Open(n, _) if n == "si" => cur = Some(String::new()),
            Ev::Open(n, _) if n == "t" => in_t = true,
            Ev::Text(t) if in_t => cur.get_or_insert_with(String::new).push_str(&t),
            Ev::Close(n) if n == "si" => shared.push(cur.take().unwrap_or_default()),
            Ev::Close(n) if n == "t" => in_t = false,
            _ => {}
        }
    }
    let workbook = zip_text(&mut z, "xl/workbook.xml").expect("workbook.xml");
    let wb_rels = zip_text(&mut z, "xl/_rels/workbook.xml.rels").expect("workbook rels");
    let targets: BTreeMap<String, String> = events(&wb_rels)
        .into_iter()
        .filter_map(|ev| match ev {
            Ev::Open(n, a) if n == "Relationship" => Some((a["Id"].clone(), a["Target"].clone())),
            _ => None,
        })
        .collect();
    let order: Vec<(String, String)> = events(&workbook)
        .into_iter()
        .filter_map(|ev| match ev {
            Ev::Open(n, a) if n == "sheet" => Some((a["name"].clone(), a["r:id"].clone())),
            _ => None,
        })
        .collect();
    let mut out = Xlsx {
        sheets: vec![],
        raw: BTreeMap::new(),
        rels: BTreeMap::new(),
        shared_xml: shared_xml.clone(),
    };
    for (name, rid) in order {
        let target = targets[&rid].trim_start_matches('/').to_string();
        let path = if target.starts_with("xl/") {
            target
        } else {
            format!("xl/{target}")
        };
        let xml = zip_text(&mut z, &path).expect("sheet xml");
        let file = path.rsplit('/').next().unwrap().to_string();
        if let Some(rels) = zip_text(&mut z, &format!("xl/worksheets/_rels/{file}.rels")) {
            out.rels.insert(name.clone(), rels);
        }
        let mut rows: BTreeMap<usize, BTreeMap<usize, String>> = BTreeMap::new();
        let mut cell: Option<(usize, usize, Option<String>)> = None;
        let mut in_v = false;
        let mut value = String::new();
        for ev in events(&xml) {
            match ev {
                Ev::Open(n, a) if n == "c" => {
                    let r = &a["r"];
                    let row: usize = r
                        .trim_start_matches(|c: char| c.is_ascii_alphabetic())
                        .parse()
                        .unwrap();
                    cell = Some((row, col_index(r), a.get("t").cloned()));
                    value.clear();
                }
                Ev::Open(n, _) if n == "v" || n == "t" => in_v = true,
                Ev::Text(t) if in_v => value.push_str(&t),
                Ev::Close(n) if n == "v" || n == "t" => in_v = false,
                Ev::Close(n) if n == "c" => {
                    if let Some((row, col, t)) = cell.take() {
                        let shown = match t.as_deref() {
                            Some("s") => shared[value.parse::<usize>().unwrap()].clone(),
                            _ => value.clone(),
                        };
                        rows.entry(row).or_default().insert(col, shown);
                    }
                }
                _ => {}
            }
        }
        let grid = rows
            .values()
            .map(|cols| {
                let width = cols.keys().max().map_or(0, |m| m + 1);
                (0..width)
                    .map(|i| cols.get(&i).cloned().unwrap_or_default())
                    .collect()
            })
            .collect();
        out.raw.insert(name.clone(), xml);
        out.sheets.push((name, grid));
    }
    out
}

impl Xlsx {
    fn grid_text(&self) -> String {
        let mut s = String::new();
        for (name, rows) in &self.sheets {
            s.push_str(&format!("## {name}\n"));
            for r in rows {
                s.push_str(&r.join(" | ").replace('\n', "⏎"));
                s.push('\n');
            }
        }
        s
    }

    fn sheet(&self, name: &str) -> &Vec<Vec<String>> {
        &self.sheets.iter().find(|(n, _)| n == name).unwrap().1
    }
}

// ---------------------------------------------------------------------------------------
// Snapshots of every rendering of the hand-built report.

#[test]
fn report_md_matches_snapshot() {
    let r = fixture();
    snapshot("report_md", &redact(&md::render(&r), &r));
}

#[test]
fn findings_csv_matches_snapshot_and_starts_with_a_bom() {
    let r = fixture();
    let bytes = csv::render(&r).unwrap();
    assert!(
        bytes.starts_with("\u{feff}".as_bytes()),
        "findings.csv needs a UTF-8 BOM"
    );
    let text = String::from_utf8(bytes).unwrap();
    let body = text.trim_start_matches('\u{feff}');
    assert!(body.starts_with(
        "单位,单位ID,规则,类别,性质,分值,问题描述,栏目,证据标题,证据日期,证据链接\r\n"
    ));
    // One row per finding.
    let findings: usize = r.sites.iter().map(|s| s.findings.len()).sum();
    let rows = ::csv::Reader::from_reader(body.as_bytes())
        .records()
        .count();
    assert_eq!(rows, findings);
    snapshot("findings_csv", &redact(body, &r));
}

/// The fixture plus a town whose site could not be reached and that the availability rule
/// vetoed: no score, graded in the failing band, counted in 合格率.
fn fixture_with_unreachable_veto() -> Report {
    let mut r = fixture();
    let mut down = site("lcz", "测试区麻屯镇人民政府", "town");
    down.status = "unreachable".into();
    down.status_reason = Some("连接超时（重试2次后仍失败）".into());
    down.grade = Some("不合格".into());
    let message = "近7天首页探测168次，无法访问20次，占11.9%（限值5%）";
    down.vetoes = vec![VetoOut {
        rule: "availability-veto".into(),
        message: message.into(),
    }];
    let mut veto = finding("availability-veto", "availability", "veto", 0.0, message);
    veto.evidence = vec![
        ev(
            "http://www.example.gov.cn/lcz/",
            "测试区麻屯镇人民政府",
            Some("2023-03-14 02:00 UTC"),
            Some("连接超时"),
        ),
        ev(
            "http://www.example.gov.cn/lcz/",
            "测试区麻屯镇人民政府",
            None,
            Some("2023-03-08 00:00至2023-03-15 00:00 UTC共探测168次，失败20次"),
        ),
    ];
    down.findings = vec![veto];
    r.sites.push(down);
    r
}

/// The `<article>` of one unit in report.html.
fn unit_article(page: &str, name: &str) -> String {
    let at = page.find(&format!("<h3>{name}</h3>")).expect(name);
    let start = page[..at].rfind("<article").unwrap();
    let end = at + page[at..].find("</article>").unwrap() + "</article>".len();
    page[start..end].to_string()
}

/// The `### name` section of one unit in report.md.
fn unit_section(md: &str, name: &str) -> String {
    let start = md.find(&format!("### {name}\n\n- 网址")).expect(name);
    let end = md[start + 4..]
        .find("\n### ")
        .map_or(md.len(), |e| start + 4 + e);
    md[start..end].to_string()
}

#[test]
fn unit_detail_of_an_unassessable_site_and_of_an_availability_veto_match_snapshots() {
    let r = fixture_with_unreachable_veto();
    let page = html::render(&r);
    let blocked = unit_article(&page, "测试区某某局");
    assert!(
        blocked.contains("无法检测（HTTP 521 反爬验证（加速乐））"),
        "{blocked}"
    );
    assert!(!blocked.contains("未发现问题"), "{blocked}");
    assert!(blocked.contains("不参加排名"), "{blocked}");
    let down = unit_article(&page, "测试区麻屯镇人民政府");
    assert!(down.contains("单项否决"), "{down}");
    assert!(down.contains("<dt>等级</dt><dd>不合格</dd>"), "{down}");
    assert!(!down.contains("未发现问题"), "{down}");
    snapshot("unit_detail_unassessable_html", &blocked);
    snapshot("unit_detail_availability_veto_html", &down);

    let text = md::render(&r);
    let blocked = unit_section(&text, "测试区某某局");
    assert!(!blocked.contains("未发现问题"), "{blocked}");
    snapshot("unit_detail_unassessable_md", &blocked);
    snapshot(
        "unit_detail_availability_veto_md",
        &unit_section(&text, "测试区麻屯镇人民政府"),
    );

    // 合格率: the vetoed unreachable site counts (2 of 4 judged pass), the blocked one not.
    let ov = govscore::report::common::Overview::of(&r);
    assert_eq!((ov.judged, ov.pass_rate), (4, Some(0.5)));
    let t = tongbao::render(&r);
    assert!(
        t.contains("合格率50.0%（1个无法检测的网站未评定等级，不计入合格率）"),
        "{t}"
    );
    assert!(
        t.contains("**测试区麻屯镇人民政府**：近7天首页探测168次"),
        "{t}"
    );
    snapshot("tongbao_md_unreachable_veto", &redact(&t, &r));
}

#[test]
fn tongbao_md_matches_snapshot_names_vetoed_units_first_and_leaves_a_deadline_to_fill() {
    let r = fixture();
    let text = tongbao::render(&r);
    assert!(text.starts_with("# 关于测试区政府网站检查情况的通报"));
    assert!(text.contains("## 一、基本情况"));
    let problems =
        &text[text.find("## 二、存在问题").unwrap()..text.find("## 三、整改要求").unwrap()];
    // Chinese dates, no ISO dates, file names or rule ids.
    assert!(text.contains("以2023年3月15日为监测时间点"), "{text}");
    assert!(text.contains("2023年1月1日至2023年3月15日"), "{text}");
    let iso = regex::Regex::new(r"\d{4}-\d{2}-\d{2}").unwrap();
    assert!(!iso.is_match(&text), "{text}");
    for tool in [
        "report.html",
        "report.xlsx",
        ".md",
        "news-twice-weekly",
        "规则 ",
    ] {
        assert!(!text.contains(tool), "{tool} in {text}");
    }
    // The 合格率 counts the configured lowest band: renaming the bands keeps it right.
    let mut renamed = fixture();
    for x in &mut renamed.sites {
        if x.grade.as_deref() == Some("不合格") {
            x.grade = Some("差".into());
        }
    }
    renamed.grade_bands.last_mut().unwrap().name = "差".into();
    assert!(tongbao::render(&renamed).contains("合格率66.7%"));
    let vetoed = problems.find("测试区发展和改革委员会").unwrap();
    let deducted = problems.find("测试区人民政府").unwrap();
    assert!(vetoed < deducted, "the vetoed unit must be named first");
    assert!(
        problems.contains("测试区某某局"),
        "not-assessable unit named"
    );
    assert!(text.contains(tongbao::DEADLINE_PLACEHOLDER));
    assert!(text.contains("合格率66.7%"));
    snapshot("tongbao_md", &redact(&text, &r));
}

#[test]
fn xlsx_read_back_as_a_grid_matches_snapshot() {
    let r = fixture();
    let book = read_xlsx(&xlsx::render(&r).unwrap());
    let names: Vec<&str> = book.sheets.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, xlsx::SHEETS);
    snapshot("report_xlsx_grid", &redact(&book.grid_text(), &r));
}

#[test]
fn xlsx_sheets_have_frozen_header_autofilter_and_widths_fitting_chinese() {
    let r = fixture();
    let book = read_xlsx(&xlsx::render(&r).unwrap());
    for (name, rows) in &book.sheets {
        let xml = &book.raw[name];
        assert!(
            xml.contains(r#"state="frozen""#) && xml.contains(r#"ySplit="1""#),
            "{name}: header row frozen"
        );
        let last_col = (b'A' + (rows[0].len() as u8) - 1) as char;
        assert!(
            xml.contains(&format!(
                r#"<autoFilter ref="A1:{last_col}{}"/>"#,
                rows.len()
            )),
            "{name}: autofilter over the whole table"
        );
    }
    // 单位 column of 汇总 (D): the longest name is 10 CJK characters = 20 columns wide.
    let xml = &book.raw["汇总"];
    let col_b = xml
        .split("<col ")
        .find(|c| c.contains(r#"min="4" max="4""#))
        .expect("width set for column D");
    let width: f64 = col_b
        .split("width=\"")
        .nth(1)
        .and_then(|w| w.split('"').next())
        .and_then(|w| w.parse().ok())
        .unwrap();
    assert!(
        width >= 20.0,
        "column D width {width} does not fit 10 CJK characters"
    );
    // 栏目更新: one row per site × column × week (plus a row for the unreadable column).
    let weeks: usize = r
        .sites
        .iter()
        .flat_map(|s| &s.columns)
        .map(|c| if c.assessable { c.weekly.len() } else { 1 })
        .sum();
    assert_eq!(book.sheet("栏目更新").len(), weeks + 1);
    // The first evidence of each finding is a hyperlink, and only http(s) links are made.
    let rels = &book.rels["扣分明细"];
    assert!(rels.contains("http://www.example.gov.cn/portal/zxdt/"));
    assert!(!rels.contains("javascript:"), "{rels}");
    assert!(book.raw["扣分明细"].contains("<hyperlink "));
}

#[test]
fn report_html_matches_snapshot_after_normalisation() {
    let r = fixture();
    snapshot("report_html", &redact(&html::render(&r), &r));
}

// ---------------------------------------------------------------------------------------
// Hostile crawled text.

fn assert_html_escapes_script(page: &str) {
    assert!(
        !page.to_ascii_lowercase().contains("<script"),
        "raw <script> in report.html"
    );
    assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(
        !page.contains("javascript:"),
        "a javascript: URL became a link"
    );
}

fn assert_html_makes_no_request(page: &str) {
    let lower = page.to_ascii_lowercase();
    for banned in [
        "<link", "<script", "<img", "<iframe", "<embed", "<object", "<source", "@import", "url(",
        " src=",
    ] {
        assert!(!lower.contains(banned), "report.html contains {banned}");
    }
    // Every href is on an <a>: in-page anchors or http(s) evidence links (navigation only).
    let re = regex::Regex::new(r#"<([a-zA-Z]+)\b[^>]*\shref="([^"]*)""#).unwrap();
    let mut hrefs = 0;
    for c in re.captures_iter(page) {
        hrefs += 1;
        assert_eq!(&c[1], "a", "href on <{}>", &c[1]);
        assert!(
            c[2].starts_with('#') || c[2].starts_with("http://") || c[2].starts_with("https://"),
            "unexpected href {}",
            &c[2]
        );
    }
    assert!(hrefs > 0);
    assert!(page.contains("Content-Security-Policy"));
}

#[test]
fn hand_built_script_title_is_escaped_in_html_xlsx_and_csv() {
    let r = fixture();
    let page = html::render(&r);
    assert_html_escapes_script(&page);
    assert_html_makes_no_request(&page);

    let book = read_xlsx(&xlsx::render(&r).unwrap());
    assert!(
        book.grid_text().contains(&format!("通知公告{SCRIPT}")),
        "the xlsx keeps the title as text"
    );
    assert!(!book.shared_xml.contains("<script>"));
    assert!(book.shared_xml.contains("&lt;script&gt;"));
    // A title starting with = is a string cell, never a formula.
    let findings = book.sheet("扣分明细");
    let row = findings
        .iter()
        .find(|r| r[8] == FORMULA)
        .expect("formula title row");
    assert_eq!(row[0], "测试区人民政府");
    assert!(!book.raw["扣分明细"].contains("<f>"));

    let text = String::from_utf8(csv::render(&r).unwrap()).unwrap();
    let mut rdr = ::csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let rows: Vec<::csv::StringRecord> = rdr.records().map(Result::unwrap).collect();
    let formula_row = rows.iter().find(|r| r[8].contains("HYPERLINK")).unwrap();
    assert_eq!(&formula_row[8], format!("'{FORMULA}"));
    for r in &rows {
        for cell in r.iter() {
            assert!(
                !(cell.starts_with(['=', '+', '@'])
                    || (cell.starts_with('-') && cell.parse::<f64>().is_err())),
                "cell {cell:?} would be read as a formula"
            );
        }
    }
    assert!(
        rows.iter().any(|r| r[8].contains(SCRIPT)),
        "CSV keeps the text itself"
    );
}

#[test]
fn report_without_annual_data_trend_or_assessable_sites_still_renders() {
    let mut r = fixture();
    r.trend.clear();
    for s in &mut r.sites {
        s.score = None;
        s.grade = None;
        s.rank = None;
        s.status = "unreachable".into();
        s.annual_report = None;
    }
    let page = html::render(&r);
    assert!(page.contains("暂无历史数据"));
    assert!(page.contains("无可检测网站"));
    let t = tongbao::render(&r);
    assert!(t.contains("可检测0个"));
    assert!(
        !t.contains("合格率"),
        "no 合格率 without assessable sites: {t}"
    );
    xlsx::render(&r).unwrap();
    csv::render(&r).unwrap();
}

// ---------------------------------------------------------------------------------------
// A simulator run: every file written, hostile column name escaped, Chromium renders it.

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn simulator_run_writes_every_format_escapes_crawled_text_and_renders_offline() {
    let as_of = d("2023-03-15");
    let tmp = tempfile::tempdir().unwrap();
    let mut district = govscore::sim::District::generate(&govscore::sim::SimConfig::new(as_of));
    // Every 单位领导 column carries a script tag in its name (the crawler keeps nav names of
    // at most 12 characters): it reaches the report through the crawled navigation, and
    // many of these columns are stale, so findings quote it too.
    let mut renamed = 0;
    for s in &mut district.sites {
        for c in &mut s.columns {
            if c.class == govscore::model::ColumnClass::Leaders {
                c.name = format!("{}{CRAWLED}", c.name);
                renamed += 1;
            }
        }
    }
    assert!(renamed > 0);
    let wall_id = district.sites.last().unwrap().id.clone();
    let server = govscore::sim::SimServer::start(district, ([127, 0, 0, 1], 0).into())
        .await
        .unwrap();
    server.set_behavior(&wall_id, SiteBehavior::Wall521);
    let settings = govscore::config::load_str(&server.config_yaml(), "sim.yaml", tmp.path())
        .unwrap_or_else(|d| panic!("{}", govscore::config::render_diagnostics(&d)));
    let out = tmp.path().join("report");
    let outcome = pipeline::run(
        &settings,
        RunOptions {
            out: Some(out.clone()),
            db: Some(tmp.path().join("govscore.db")),
            observed_on: Some(as_of),
            ..RunOptions::new(as_of)
        },
    )
    .await
    .expect("run completes");
    server.shutdown().await;
    for f in report::FILES {
        assert!(out.join(f).is_file(), "{f} not written");
    }
    let r = &outcome.report;
    let wall = r.sites.iter().find(|s| s.id == wall_id).unwrap();
    assert_eq!(wall.status, "blocked");
    assert!(
        r.sites
            .iter()
            .flat_map(|s| &s.findings)
            .any(|f| f.message.contains(CRAWLED)
                || f.column.as_deref().is_some_and(|c| c.contains(CRAWLED))
                || f.evidence.iter().any(|e| e.title.contains(CRAWLED))),
        "some finding should quote the hostile crawled column name: {:?}",
        r.sites
            .iter()
            .flat_map(|s| s
                .columns
                .iter()
                .map(|c| (c.name.as_str(), c.class.as_str())))
            .filter(|(_, c)| *c == "leaders")
            .take(5)
            .collect::<Vec<_>>()
    );

    let page = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(
        !page.to_ascii_lowercase().contains("<script"),
        "raw <script> in report.html"
    );
    assert!(page.contains("单位领导&lt;script&gt;"));
    assert_html_makes_no_request(&page);
    assert!(page.contains("无法检测的网站"));
    assert!(page.contains(&html::esc(&wall.name)));

    let book = read_xlsx(&std::fs::read(out.join("report.xlsx")).unwrap());
    assert!(book.grid_text().contains(CRAWLED));
    assert!(!book.shared_xml.contains("<script>"));
    let csv_text = std::fs::read_to_string(out.join("findings.csv")).unwrap();
    assert!(csv_text.starts_with('\u{feff}'));
    assert!(
        csv_text.contains(CRAWLED),
        "CSV keeps the quoted title as text"
    );
    let md_text = std::fs::read_to_string(out.join("report.md")).unwrap();
    assert!(!md_text.contains(CRAWLED), "report.md escapes markup");

    // The same simulator report with a full script title and a formula in real evidence.
    let mut r = outcome.report.clone();
    let f = r
        .sites
        .iter_mut()
        .flat_map(|s| s.findings.iter_mut())
        .find(|f| !f.evidence.is_empty())
        .expect("the simulator run has findings with evidence");
    f.evidence[0].title = format!("{FORMULA}{SCRIPT}");
    let out2 = tmp.path().join("report2");
    report::write_all(&r, &out2).unwrap();
    // The formats are written at the same time: each file whole, no temporary left.
    let mut names: Vec<String> = std::fs::read_dir(&out2)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    let mut formats = report::FILES.map(String::from).to_vec();
    formats.sort();
    assert_eq!(names, formats);
    assert_eq!(
        std::fs::read_to_string(out2.join("report.json")).unwrap(),
        serde_json::to_string_pretty(&r).unwrap()
    );
    let page = std::fs::read_to_string(out2.join("report.html")).unwrap();
    assert_html_escapes_script(&page);
    assert_html_makes_no_request(&page);
    let book = read_xlsx(&std::fs::read(out2.join("report.xlsx")).unwrap());
    assert!(book.grid_text().contains(&format!("{FORMULA}{SCRIPT}")));
    assert!(!book.shared_xml.contains(SCRIPT));
    let csv_text = std::fs::read_to_string(out2.join("findings.csv")).unwrap();
    let mut rdr = ::csv::Reader::from_reader(csv_text.trim_start_matches('\u{feff}').as_bytes());
    assert!(
        rdr.records()
            .map(Result::unwrap)
            .any(|row| row[8].starts_with(&format!("'{FORMULA}{SCRIPT}"))),
        "formula-looking title neutralised in findings.csv"
    );

    screenshot(&out.join("report.html"), tmp.path());
}

/// Renders `page` in headless Chromium and checks the screenshot is not blank.
fn screenshot(page: &Path, tmp: &Path) {
    let chromium = Path::new("/usr/bin/chromium");
    if !chromium.exists() {
        println!("skipped: chromium not installed");
        return;
    }
    let png = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/report-screenshot.png");
    let _ = std::fs::remove_file(&png);
    let profile = tmp.join("chromium-profile");
    let url = format!("file://{}", page.display());
    let status = std::process::Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(format!("--screenshot={}", png.display()))
        .arg("--window-size=1280,2000")
        .arg(&url)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .expect("chromium starts");
    assert!(status.success(), "chromium failed: {status}");
    let bytes = std::fs::read(&png).expect("screenshot written");
    assert!(bytes.starts_with(b"\x89PNG"), "not a PNG");
    // A blank 1280×2000 page compresses to a few KB; a page of tables, charts and CJK text
    // is far larger and uses nearly every byte value.
    let distinct = bytes
        .iter()
        .collect::<std::collections::BTreeSet<_>>()
        .len();
    assert!(
        bytes.len() > 60_000,
        "screenshot only {} bytes: blank?",
        bytes.len()
    );
    assert!(
        distinct > 200,
        "screenshot has only {distinct} distinct bytes: blank?"
    );
}
