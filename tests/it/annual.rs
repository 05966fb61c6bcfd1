//! The annual report through the whole pipeline: found on the site, on time / late /
//! missing / not_due / unknown per CONTRACT §3, complete and adding up, with findings.
//! The simulator gives the ground truth for timeliness; a small local site serves an
//! inconsistent report, an attachment-only report and an image-only one.

use crate::support::{d, sim_and_settings};
use axum::Router;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;
use chrono::{Datelike, NaiveDate};
use govscore::annual::parse_title;
use govscore::model::{ColumnClass, Role};
use govscore::pipeline::{self, RunOptions};
use govscore::report::model::{Report, SiteReport};
use govscore::sim::{District, SimConfig, SimServer, SiteBehavior};
use std::collections::BTreeMap;
use std::path::Path;

fn options(dir: &Path, as_of: NaiveDate, tag: &str) -> RunOptions {
    RunOptions {
        out: Some(dir.join(format!("report-{tag}"))),
        db: Some(dir.join("govscore.db")),
        observed_on: Some(as_of),
        ..RunOptions::new(as_of)
    }
}

/// report.json as written (the contract), not the in-memory struct.
fn read_report(dir: &Path, tag: &str) -> Report {
    let text = std::fs::read_to_string(dir.join(format!("report-{tag}/report.json")))
        .expect("report.json written");
    serde_json::from_str(&text).expect("report.json parses")
}

fn site_of<'a>(report: &'a Report, id: &str) -> &'a SiteReport {
    report
        .sites
        .iter()
        .find(|s| s.id == id)
        .expect("site in report")
}

fn annual(site: &SiteReport) -> &serde_json::Value {
    site.annual_report
        .as_ref()
        .unwrap_or_else(|| panic!("{}: annual_report is null", site.id))
}

fn annual_findings<'a>(
    site: &'a SiteReport,
    rule: &str,
) -> Vec<&'a govscore::report::model::Finding> {
    site.findings.iter().filter(|f| f.rule == rule).collect()
}

/// The simulator's truth: each site's latest report publish date (None = not published).
fn published_reports(district: &District, as_of: NaiveDate) -> BTreeMap<String, Option<NaiveDate>> {
    let year = as_of.year() - 1;
    district
        .sites
        .iter()
        .map(|s| {
            let date = s
                .column(ColumnClass::AnnualReport)
                .into_iter()
                .flat_map(|c| c.visible_items(as_of))
                .filter(|i| i.date <= as_of)
                .filter(|i| parse_title(&i.title).is_some_and(|t| t.year == year))
                .map(|i| i.date)
                .min();
            (s.id.clone(), date)
        })
        .collect()
}

fn deadline(role: Role, year: i32) -> NaiveDate {
    match role {
        Role::Portal => NaiveDate::from_ymd_opt(year, 3, 31).expect("date"),
        _ => NaiveDate::from_ymd_opt(year, 1, 31).expect("date"),
    }
}

/// Runs the standard district as of `as_of` with one department behind a wall, and checks
/// every site's status and annual findings against the simulator's truth.
async fn sim_statuses_match_ground_truth(as_of: NaiveDate) {
    let tmp = tempfile::tempdir().unwrap();
    let (server, settings) = sim_and_settings(as_of, tmp.path()).await;
    let truth = published_reports(server.district(), as_of);
    // A blocked site: its report exists, but nothing may be judged.
    let blocked = server
        .district()
        .sites
        .iter()
        .find(|s| {
            s.role == Role::Department
                && truth[&s.id].is_some_and(|p| p <= deadline(s.role, as_of.year()))
        })
        .map(|s| s.id.clone())
        .expect("an on-time department");
    server.set_behavior(&blocked, SiteBehavior::Wall521);
    pipeline::run(&settings, options(tmp.path(), as_of, "sim"))
        .await
        .expect("run completes");
    let report = read_report(tmp.path(), "sim");

    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    let mut inconsistent = 0;
    let mut deviating = 0;
    for sim_site in &server.district().sites {
        let site = site_of(&report, &sim_site.id);
        let a = annual(site);
        let status = a["status"].as_str().expect("status string");
        *counts.entry(status).or_default() += 1;
        assert_eq!(a["year"], as_of.year() - 1, "{}", site.id);
        let dl = deadline(sim_site.role, as_of.year());
        assert_eq!(a["deadline"], dl.to_string(), "{}", site.id);
        let missing = annual_findings(site, "annual-report-missing");
        let late = annual_findings(site, "annual-report-late");
        if site.id == blocked {
            assert_eq!(site.status, "blocked");
            assert_eq!(status, "unknown");
            assert!(
                site.findings.is_empty(),
                "blocked site has findings: {:?}",
                site.findings
            );
            continue;
        }
        let expected = match truth[&sim_site.id] {
            None if as_of > dl => "missing",
            None => "not_due",
            Some(p) if p > dl => "late",
            Some(_) => "on_time",
        };
        assert_eq!(status, expected, "{}: {a}", site.id);
        match expected {
            "missing" => {
                assert_eq!(missing.len(), 1, "{}", site.id);
                assert_eq!(missing[0].kind, "annual_report");
                assert_eq!(missing[0].severity, "deduct");
                assert_eq!(missing[0].points, -5.0);
                assert!(
                    missing[0].message.contains("未发布"),
                    "{}",
                    missing[0].message
                );
                assert!(a["url"].is_null());
                assert!(late.is_empty());
            }
            "late" => {
                let published = truth[&sim_site.id].expect("late report has a date");
                let days = (published - dl).num_days();
                assert_eq!(a["published"], published.to_string());
                assert_eq!(a["days_late"], days, "{}", site.id);
                // One point per started week late, capped at 4.
                let weeks = ((days + 6) / 7).min(4) as f64;
                let lost: f64 = late.iter().map(|f| f.points).sum();
                assert_eq!(lost, -weeks, "{}", site.id);
                assert!(late[0].message.contains(&published.to_string()));
                assert_eq!(
                    late[0].evidence[0].date.as_deref(),
                    Some(published.to_string().as_str())
                );
                assert!(missing.is_empty());
            }
            _ => {
                assert!(
                    missing.is_empty() && late.is_empty(),
                    "{}: {:?}",
                    site.id,
                    site.findings
                );
                assert_eq!(
                    a["published"],
                    truth[&sim_site.id].expect("on time").to_string()
                );
                let title = a["title"].as_str().expect("title");
                assert!(title.starts_with(&sim_site.name), "{} {title}", site.id);
            }
        }
        // The simulator's reports are complete and add up, except the one unit whose
        // report has a 总计 one too high: exactly R1 (总计 column) and R2 (that row).
        if a["url"].is_string() {
            assert_eq!(
                a["sections_missing"],
                serde_json::json!([]),
                "{}: {a}",
                site.id
            );
            let arithmetic = annual_findings(site, "annual-report-arithmetic");
            if sim_site.annual_inconsistent {
                let rules: Vec<&str> = a["arithmetic_errors"]
                    .as_array()
                    .expect("array")
                    .iter()
                    .filter_map(|e| e["rule"].as_str())
                    .collect();
                assert_eq!(rules, vec!["R1", "R2"], "{}: {a}", site.id);
                assert_eq!(arithmetic.len(), 2);
                assert!(arithmetic.iter().all(|f| f.points == -0.5));
                assert!(
                    arithmetic[1].message.contains("填报为"),
                    "{}",
                    arithmetic[1].message
                );
                inconsistent += 1;
            } else {
                assert_eq!(
                    a["arithmetic_errors"],
                    serde_json::json!([]),
                    "{}: {a}",
                    site.id
                );
                assert!(arithmetic.is_empty());
            }
            assert_eq!(a["format"], "html");
            assert!(a["manual_review"].is_null(), "{}: {a}", site.id);
            // The national form applied (CONTRACT §3): the 2021 form for these years.
            assert_eq!(a["form"], "2021", "{}: {a}", site.id);
            let layout: Vec<&str> = a["problems"]
                .as_array()
                .expect("problems")
                .iter()
                .filter(|p| p["rule"] == "LAYOUT")
                .filter_map(|p| p["message"].as_str())
                .collect();
            if sim_site.annual_layout_deviates {
                // The old single （六） row and a misprinted label: two warnings, no error.
                assert_eq!(layout.len(), 2, "{}: {a}", site.id);
                assert!(layout.iter().any(|m| m.contains("2.其他法律行政止公开")));
                deviating += 1;
            } else {
                assert!(layout.is_empty(), "{}: {layout:?}", site.id);
            }
        }
    }
    let deviates: Vec<&str> = server
        .district()
        .sites
        .iter()
        .filter(|s| s.annual_layout_deviates)
        .map(|s| s.id.as_str())
        .collect();
    assert_eq!(
        deviates.len(),
        1,
        "one simulated unit deviates from the form"
    );
    // Its report was read unless it is the blocked site or the one without a report.
    let unread = deviates[0] == blocked || truth[deviates[0]].is_none();
    assert_eq!(deviating, usize::from(!unread), "{deviates:?}");
    assert_eq!(
        inconsistent, 1,
        "exactly one simulated report is inconsistent"
    );
    assert_eq!(counts.get("late"), Some(&1), "{counts:?}");
    assert_eq!(counts.get("missing"), Some(&1), "{counts:?}");
    assert_eq!(counts.get("unknown"), Some(&1), "{counts:?}");
    assert_eq!(
        counts.get("on_time"),
        Some(&(server.district().sites.len() - 3)),
        "{counts:?}"
    );
}

/// As of February 2021 the report due is 2020's, written in the 2019 form: checked against
/// that form (its heading 五, 表二 columns and single （六） row), with nothing missing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sim_2020_reports_are_checked_against_the_2019_form() {
    let as_of = d("2021-02-15");
    let tmp = tempfile::tempdir().unwrap();
    let (server, settings) = sim_and_settings(as_of, tmp.path()).await;
    pipeline::run(&settings, options(tmp.path(), as_of, "y2020"))
        .await
        .expect("run completes");
    let report = read_report(tmp.path(), "y2020");
    let mut read = 0;
    for sim_site in &server.district().sites {
        let site = site_of(&report, &sim_site.id);
        let a = annual(site);
        if !a["url"].is_string() {
            continue;
        }
        read += 1;
        assert_eq!(a["year"], 2020);
        assert_eq!(a["form"], "2019", "{}: {a}", site.id);
        assert_eq!(
            a["sections_missing"],
            serde_json::json!([]),
            "{}: {a}",
            site.id
        );
        assert!(a["manual_review"].is_null(), "{}: {a}", site.id);
        let errors: Vec<&serde_json::Value> = a["problems"]
            .as_array()
            .expect("problems")
            .iter()
            .filter(|p| p["severity"] == "error")
            .collect();
        if sim_site.annual_inconsistent {
            // The unit whose latest report has a 总计 one too high, in this form too.
            let rules: Vec<&str> = errors.iter().filter_map(|p| p["rule"].as_str()).collect();
            assert_eq!(rules, vec!["R1", "R2"], "{}", site.id);
        } else {
            assert!(errors.is_empty(), "{}: {errors:?}", site.id);
        }
    }
    assert!(read > 10, "the 2020 reports were read ({read})");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sim_as_of_february_gives_one_late_one_missing_and_a_blocked_site_unknown() {
    sim_statuses_match_ground_truth(d("2023-02-15")).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sim_as_of_april_judges_the_portal_against_march_31() {
    sim_statuses_match_ground_truth(d("2023-04-15")).await;
}

/// The portal before 3月31日: `not_due` while its report is not online, `on_time` once it
/// is. The simulator publishes the portal's report in January, so the district is generated
/// as of 2023-01-03 (before any 2022 report) with two months of future items, then shown
/// again on 2023-03-15.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn portal_is_not_due_before_publishing_and_on_time_after_before_march_31() {
    let start = d("2023-01-03");
    let mut cfg = SimConfig::new(start);
    cfg.subsites = 4;
    cfg.future_days = 80;
    let server = SimServer::start(District::generate(&cfg), ([127, 0, 0, 1], 0).into())
        .await
        .expect("simulator starts");
    let tmp = tempfile::tempdir().unwrap();
    let settings = govscore::config::load_str(&server.config_yaml(), "sim.yaml", tmp.path())
        .expect("sim config valid");

    pipeline::run(&settings, options(tmp.path(), start, "jan"))
        .await
        .expect("january run");
    let jan = read_report(tmp.path(), "jan");
    for site in &jan.sites {
        assert_eq!(
            annual(site)["status"],
            "not_due",
            "{}: {}",
            site.id,
            annual(site)
        );
        assert!(
            site.findings.iter().all(|f| f.kind != "annual_report"),
            "{}: {:?}",
            site.id,
            site.findings
        );
    }

    let march = d("2023-03-15");
    server.set_today(march);
    let truth = published_reports(server.district(), march);
    let portal_published = truth["portal"].expect("the sim publishes the portal report");
    assert!(portal_published < d("2023-03-31"));
    pipeline::run(&settings, options(tmp.path(), march, "mar"))
        .await
        .expect("march run");
    let mar = read_report(tmp.path(), "mar");
    let portal = mar.sites.iter().find(|s| s.id == "portal").expect("portal");
    let a = annual(portal);
    assert_eq!(a["status"], "on_time", "{a}");
    assert_eq!(a["deadline"], "2023-03-31");
    assert_eq!(a["published"], portal_published.to_string());
    assert_eq!(a["title"], "孟津区人民政府2022年政府信息公开工作年度报告");
}

// ---------------------------------------------------------------------------------------
// A small local site: an inconsistent report, an attachment-only one, an image-only one.

const SEED_HTML: &str = include_str!("../fixtures/annual/seed_2022.html");
const SEED_PDF: &[u8] = include_bytes!("../fixtures/annual/seed_2022.pdf");
/// The seed's 本年新收 row; the copy served moves one application from 商业企业 2 to 3
/// without changing the 总计, so R2 (and R1 for 商业企业) break.
const NEW_ROW: &str =
    "<td colspan=\"3\">一、本年新收政府信息公开申请数量</td><td>12</td><td>2</td>";
const NEW_ROW_BAD: &str =
    "<td colspan=\"3\">一、本年新收政府信息公开申请数量</td><td>12</td><td>3</td>";

fn html(body: String) -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], body)
}

fn home(name: &str) -> String {
    format!(
        "<html><head><meta charset=\"utf-8\"><title>{name}</title></head><body>\
         <ul class=\"nav\"><li><a href=\"zfxxgknb/\">政府信息公开年报</a></li></ul>\
         <div class=\"news\">2023-04-10 工作动态</div></body></html>"
    )
}

fn list(rows: &[(&str, &str, &str)]) -> String {
    let mut out = String::from(
        "<html><head><meta charset=\"utf-8\"><title>政府信息公开年报</title></head><body><table class=\"gl_list\">",
    );
    for (href, title, date) in rows {
        out.push_str(&format!(
            "<tr><td><a href=\"{href}\">{title}</a></td><td>{date}</td></tr>"
        ));
    }
    out.push_str("</table></body></html>");
    out
}

fn article(title: &str, body: &str) -> String {
    format!(
        "<html><head><meta charset=\"utf-8\"><title>{title}</title></head><body>\
         <div class=\"article\"><h1>{title}</h1><div class=\"info\">发布日期：2023-01-18</div>\
         <div class=\"TRS_Editor\">{body}</div></div></body></html>"
    )
}

async fn local_site() -> String {
    let app = Router::new()
        .route("/", get(|| async { html(home("孟津区人民政府")) }))
        .route(
            "/zfxxgknb/",
            get(|| async {
                html(list(&[
                    ("./202303/t20230320_1.html", "孟津区人民政府2022年政府信息公开工作年度报告", "2023-03-20"),
                    ("./202301/t20230118_2.html", "孟津区统计局2022年政府信息公开工作年度报告", "2023-01-18"),
                    ("./202203/t20220325_3.html", "孟津区2022年政府网站工作年度报表", "2023-01-15"),
                ]))
            }),
        )
        .route(
            "/zfxxgknb/202303/t20230320_1.html",
            get(|| async { html(SEED_HTML.replace(NEW_ROW, NEW_ROW_BAD)) }),
        )
        .route("/bm/tjj/", get(|| async { html(home("孟津区统计局")) }))
        .route(
            "/bm/tjj/zfxxgknb/",
            get(|| async {
                html(list(&[(
                    "./202301/t20230118_9.html",
                    "孟津区统计局2022年政府信息公开工作年度报告",
                    "2023-01-18",
                )]))
            }),
        )
        .route(
            "/bm/tjj/zfxxgknb/202301/t20230118_9.html",
            get(|| async {
                html(article(
                    "孟津区统计局2022年政府信息公开工作年度报告",
                    "<p>附件：<a href=\"/bm/tjj/files/P020230118.pdf\">孟津区统计局2022年政府信息公开工作年度报告.pdf</a></p>",
                ))
            }),
        )
        .route(
            "/bm/tjj/files/P020230118.pdf",
            get(|| async { ([(header::CONTENT_TYPE, "application/pdf")], SEED_PDF) }),
        )
        .route("/bm/jyj/", get(|| async { html(home("孟津区教育局")) }))
        .route(
            "/bm/jyj/zfxxgknb/",
            get(|| async {
                // A legacy list that cuts titles short and has no title= attribute.
                html(list(&[(
                    "./202301/t20230112_5.html",
                    "孟津区教育局2022年政府信息公...",
                    "2023-01-12",
                )]))
            }),
        )
        .route(
            "/bm/jyj/zfxxgknb/202301/t20230112_5.html",
            get(|| async {
                html(article(
                    "孟津区教育局2022年政府信息公开工作年度报告",
                    "<p>附件：<a href=\"/bm/tjj/files/P020230118.pdf\">下载附件.pdf</a></p>",
                ))
            }),
        )
        .route("/bm/czj/", get(|| async { html(home("孟津区财政局")) }))
        .route(
            "/bm/czj/zfxxgknb/",
            get(|| async {
                html(list(&[(
                    "./202301/t20230116_7.html",
                    "孟津区财政局2022年政府信息公开工作年度报告（图片版）",
                    "2023-01-16",
                )]))
            }),
        )
        .route(
            "/bm/czj/zfxxgknb/202301/t20230116_7.html",
            get(|| async {
                html(article(
                    "孟津区财政局2022年政府信息公开工作年度报告（图片版）",
                    "<p><img src=\"/bm/czj/files/p1.jpg\"></p><p><img src=\"/bm/czj/files/p2.jpg\"></p>",
                ))
            }),
        );
    format!("http://{}", crate::support::serve(app).await)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn inconsistent_report_yields_arithmetic_findings_and_attachment_and_image_reports_are_read_or_flagged()
 {
    let base = local_site().await;
    let tmp = tempfile::tempdir().unwrap();
    let yaml = format!(
        "district: 孟津区\nsites:\n\
         \x20 - {{id: portal, name: 孟津区人民政府, role: portal, url: \"{base}/\"}}\n\
         \x20 - {{id: tjj, name: 孟津区统计局, role: department, url: \"{base}/bm/tjj/\"}}\n\
         \x20 - {{id: czj, name: 孟津区财政局, role: department, url: \"{base}/bm/czj/\"}}\n\
         \x20 - {{id: jyj, name: 孟津区教育局, role: department, url: \"{base}/bm/jyj/\"}}\n\
         crawl: {{delay_ms: 0, timeout_s: 5, contact: test}}\n\
         storage: {{database: db.sqlite}}\nreports: {{dir: reports}}\n"
    );
    let settings = govscore::config::load_str(&yaml, "local.yaml", tmp.path())
        .unwrap_or_else(|e| panic!("{}", govscore::config::render_diagnostics(&e)));
    let as_of = d("2023-04-15");
    pipeline::run(&settings, options(tmp.path(), as_of, "local"))
        .await
        .expect("run completes");
    let report = read_report(tmp.path(), "local");
    let site = |id: &str| report.sites.iter().find(|s| s.id == id).expect("site");

    // The portal: its own report (not the 统计局 one, not the 网站年度报表), on time, with
    // the broken row reported as R2 and as findings naming table, row and column.
    let portal = site("portal");
    let a = annual(portal);
    assert_eq!(a["status"], "on_time", "{a}");
    assert_eq!(a["url"], format!("{base}/zfxxgknb/202303/t20230320_1.html"));
    assert_eq!(a["published"], "2023-03-20");
    assert_eq!(a["sections_missing"], serde_json::json!([]));
    let errors = a["arithmetic_errors"].as_array().expect("array");
    assert!(
        errors.iter().any(|e| e["rule"] == "R2"
            && e["message"]
                .as_str()
                .is_some_and(|m| m.contains("本年新收"))),
        "{a}"
    );
    let findings = annual_findings(portal, "annual-report-arithmetic");
    assert_eq!(findings.len(), errors.len(), "one finding per error");
    assert!(
        findings
            .iter()
            .all(|f| f.kind == "annual_report" && f.points < 0.0)
    );
    let r2 = findings
        .iter()
        .find(|f| f.message.contains("R2"))
        .expect("an R2 finding");
    let ev = &r2.evidence[0];
    assert_eq!(ev.url, format!("{base}/zfxxgknb/202303/t20230320_1.html"));
    assert_eq!(ev.date.as_deref(), Some("2023-03-20"));
    assert!(
        ev.excerpt
            .as_deref()
            .is_some_and(|x| x.contains("表三") && x.contains("总计")),
        "{ev:?}"
    );
    let lost: f64 = findings.iter().map(|f| f.points).sum();
    assert!(lost >= -3.0, "capped at 3 points, lost {lost}");

    // 统计局: an attachment-only article; the PDF is read and the seed adds up.
    let tjj = annual(site("tjj"));
    assert_eq!(tjj["status"], "on_time", "{tjj}");
    assert_eq!(tjj["format"], "pdf", "{tjj}");
    assert_eq!(
        tjj["attachment"],
        format!("{base}/bm/tjj/files/P020230118.pdf")
    );
    assert_eq!(tjj["sections_missing"], serde_json::json!([]), "{tjj}");
    assert_eq!(tjj["arithmetic_errors"], serde_json::json!([]), "{tjj}");
    assert!(tjj["manual_review"].is_null(), "{tjj}");

    // 教育局: the list cut the title short; the article gives the full title.
    let jyj = annual(site("jyj"));
    assert_eq!(jyj["status"], "on_time", "{jyj}");
    assert_eq!(jyj["title"], "孟津区教育局2022年政府信息公开工作年度报告");
    assert_eq!(jyj["published"], "2023-01-12");
    assert_eq!(jyj["format"], "pdf", "{jyj}");

    // 财政局: image-only, found and on time, flagged for manual review, nothing deducted.
    let czj_site = site("czj");
    let czj = annual(czj_site);
    assert_eq!(czj["status"], "on_time", "{czj}");
    assert!(czj["manual_review"].is_string(), "{czj}");
    assert_eq!(czj["arithmetic_errors"], serde_json::json!([]));
    assert_eq!(czj["sections_missing"], serde_json::json!([]));
    assert!(
        czj_site.findings.iter().all(|f| f.kind != "annual_report"),
        "{:?}",
        czj_site.findings
    );
}

// ---- Real reports (../shared/realworld/annual/): expected values written by hand from the
// documents (the PDFs' printed tables, the HTML's cells). ----

mod realworld {
    use govscore::annual::{
        AnnualReport, Cell, Form, PdfReader, ProblemSeverity, parse_bytes, parse_pdf,
    };

    fn dir() -> Option<std::path::PathBuf> {
        let d = std::path::Path::new(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../shared/realworld/annual"
        ));
        if d.is_dir() {
            Some(d.to_path_buf())
        } else {
            println!("skipped: ../shared/realworld not found");
            None
        }
    }

    fn pdftotext_installed() -> bool {
        std::process::Command::new("pdftotext")
            .arg("-v")
            .output()
            .is_ok()
    }

    /// The report read by each PDF reader available here (pdftotext when installed, and
    /// the built-in extractor), with the reader's name.
    fn readings(name: &str) -> Vec<(&'static str, AnnualReport)> {
        let Some(d) = dir() else {
            return Vec::new();
        };
        let bytes = std::fs::read(d.join(name)).expect("read report");
        let mut out = vec![(
            "built-in",
            parse_pdf(&bytes, PdfReader::BuiltIn).expect("built-in reader reads it"),
        )];
        if pdftotext_installed() {
            out.push((
                "pdftotext",
                parse_pdf(&bytes, PdfReader::PdfToText).expect("pdftotext reads it"),
            ));
            out.push((
                "auto",
                parse_pdf(&bytes, PdfReader::Auto).expect("auto reads it"),
            ));
        } else {
            println!("pdftotext not installed: only the built-in reader is checked for {name}");
        }
        out
    }

    fn file(name: &str) -> Option<AnnualReport> {
        let d = dir()?;
        let bytes = std::fs::read(d.join(name)).expect("read report");
        Some(parse_bytes(&bytes, name).expect("parse"))
    }

    fn errors(r: &AnnualReport) -> Vec<(String, Option<String>)> {
        r.problems
            .iter()
            .filter(|p| p.severity == ProblemSeverity::Error)
            .map(|p| (p.rule.clone(), p.row.clone()))
            .collect()
    }

    fn warnings_of<'a>(r: &'a AnnualReport, rule: &str) -> Vec<&'a str> {
        r.problems
            .iter()
            .filter(|p| p.rule == rule && p.severity == ProblemSeverity::Warning)
            .map(|p| p.message.as_str())
            .collect()
    }

    fn row3(r: &AnnualReport, key: &str) -> Vec<Cell> {
        r.table3
            .row(key)
            .unwrap_or_else(|| panic!("row {key}"))
            .values
            .to_vec()
    }

    fn ints(v: &[i64]) -> Vec<Cell> {
        v.iter().map(|n| Cell::Int(*n)).collect()
    }

    #[test]
    fn huaian_2024_passes_with_no_error_by_every_reader() {
        for (reader, r) in readings("huaian-2024.pdf") {
            assert_eq!(r.form, Form::Y2021, "{reader}");
            assert_eq!(r.manual_review, None, "{reader}");
            assert_eq!(r.unit.as_deref(), Some("淮安市人民政府"), "{reader}");
            assert_eq!(r.year, Some(2024), "{reader}");
            assert!(r.sections_missing.is_empty(), "{reader}");
            assert!(r.problems.is_empty(), "{reader}: {:#?}", r.problems);
            // rejected_confirm: the label wrapped around its numbers in the PDF.
            for (key, v) in [
                ("new", [3001, 53, 0, 0, 61, 4, 3119]),
                ("carried_over", [34, 0, 0, 0, 0, 0, 34]),
                ("rejected_confirm", [1, 0, 0, 0, 0, 0, 1]),
                ("other_no_correction", [67, 3, 0, 0, 1, 0, 71]),
                ("other_no_fee", [6, 0, 0, 0, 0, 0, 6]),
                ("other_other", [108, 2, 0, 0, 0, 0, 110]),
                ("total", [2932, 53, 0, 0, 61, 4, 3050]),
                ("carry_forward", [103, 0, 0, 0, 0, 0, 103]),
            ] {
                assert_eq!(row3(&r, key), ints(&v), "{reader}: {key}");
            }
            assert_eq!(
                r.table4.review.to_vec(),
                ints(&[72, 64, 178, 37, 351]),
                "{reader}"
            );
            assert_eq!(
                r.table4.litigation_direct.to_vec(),
                ints(&[13, 4, 8, 1, 26])
            );
            assert_eq!(
                r.table4.litigation_after_review.to_vec(),
                ints(&[12, 1, 1, 6, 20])
            );
            let t2 = &r.table2;
            assert_eq!(
                t2.row("normative_docs").expect("row").values,
                ints(&[8, 26, 66])
            );
            assert_eq!(t2.row("penalty").expect("row").values, ints(&[3985758]));
            assert_eq!(
                t2.row("fees").expect("row").values,
                vec![Cell::Money("96171.6".into())],
                "{reader}"
            );
        }
    }

    #[test]
    fn hongze_2024_passes_with_its_layout_warnings() {
        for (reader, r) in readings("hongze-2024.pdf") {
            assert_eq!(r.form, Form::Y2021, "{reader}");
            assert_eq!(r.manual_review, None, "{reader}");
            assert_eq!(r.unit.as_deref(), Some("淮安市洪泽区人民政府"), "{reader}");
            assert!(errors(&r).is_empty(), "{reader}: {:#?}", r.problems);
            let layout = warnings_of(&r, "LAYOUT");
            assert_eq!(layout.len(), 2, "{reader}: {layout:#?}");
            assert!(
                layout
                    .iter()
                    .any(|m| m.contains("其他处理") && m.contains("一行"))
            );
            assert!(layout.iter().any(|m| m.contains("2.其他法律行政止公开")));
            // No table header is taken for a doubled word.
            assert!(
                warnings_of(&r, "TYPO").is_empty(),
                "{reader}: {:#?}",
                r.problems
            );
            // The kept single （六） row, and the typo'd row read as its row.
            assert_eq!(row3(&r, "other"), ints(&[0; 7]), "{reader}");
            assert_eq!(row3(&r, "withheld_prohibited"), ints(&[0; 7]));
            assert_eq!(row3(&r, "unable_not_held"), ints(&[31, 0, 0, 0, 0, 0, 31]));
            assert_eq!(
                row3(&r, "total"),
                ints(&[95, 0, 0, 0, 0, 0, 95]),
                "{reader}"
            );
            assert_eq!(r.table4.review.to_vec(), ints(&[1, 1, 0, 0, 2]), "{reader}");
            assert_eq!(r.table4.litigation_direct.to_vec(), ints(&[1, 0, 0, 0, 1]));
            assert_eq!(
                r.table4.litigation_after_review.to_vec(),
                ints(&[2, 0, 1, 0, 3])
            );
        }
    }

    #[test]
    fn hongze_2023_fails_with_exactly_its_two_table_four_errors() {
        for (reader, r) in readings("hongze-2023.pdf") {
            assert_eq!(r.form, Form::Y2021, "{reader}");
            assert_eq!(r.unit.as_deref(), Some("洪泽区人民政府"), "{reader}");
            assert_eq!(
                errors(&r),
                vec![
                    ("R4".to_string(), Some("行政复议".to_string())),
                    ("R4".to_string(), Some("行政诉讼（复议后起诉）".to_string())),
                ],
                "{reader}: {:#?}",
                r.problems
            );
            assert_eq!(
                r.table4.review.to_vec(),
                ints(&[10, 1, 0, 0, 0]),
                "{reader}"
            );
            assert_eq!(
                r.table4.litigation_after_review.to_vec(),
                ints(&[5, 0, 0, 0, 0])
            );
            assert_eq!(warnings_of(&r, "LAYOUT").len(), 2, "{reader}");
            assert_eq!(
                row3(&r, "total"),
                ints(&[21, 0, 0, 0, 0, 0, 21]),
                "{reader}"
            );
        }
    }

    #[test]
    fn shanghai_2019_passes_as_a_2019_form_report_with_one_blank_warning_per_table() {
        let Some(r) = file("shanghai-bgt-2019.html") else {
            return;
        };
        assert_eq!(r.form, Form::Y2019);
        assert_eq!(r.manual_review, None);
        assert_eq!(r.unit.as_deref(), Some("上海市人民政府办公厅"));
        assert!(r.sections_missing.is_empty(), "{:?}", r.sections_missing);
        assert!(errors(&r).is_empty(), "{:#?}", r.problems);
        let blanks: Vec<Option<&str>> = r
            .problems
            .iter()
            .filter(|p| p.rule == "BLANK")
            .map(|p| p.table.as_deref())
            .collect();
        assert_eq!(
            blanks,
            vec![Some("表三"), Some("表四")],
            "{:#?}",
            r.problems
        );
        // 表二 in the 2019 form's columns.
        let t2 = &r.table2;
        assert_eq!(t2.row("rules").expect("row").columns[0], "本年新制作数量");
        assert_eq!(t2.row("rules").expect("row").values, ints(&[13, 13, 524]));
        assert_eq!(
            t2.row("normative_docs").expect("row").values,
            ints(&[60, 60, 368])
        );
        assert_eq!(
            t2.row("other_services").expect("row").values,
            ints(&[0, 0, 0])
        );
        assert_eq!(t2.row("fees").expect("row").values, ints(&[0, 0]));
        assert_eq!(
            t2.row("procurement").expect("row").values,
            vec![Cell::Int(6), Cell::Money("251000元".into())]
        );
        // 表三: the single （六） row; blank cells stay blank (counted as 0 in the sums).
        assert_eq!(r.table3.rows.len(), 23);
        let b = Cell::Blank;
        let i = Cell::Int;
        assert_eq!(
            row3(&r, "new"),
            vec![i(821), i(35), b.clone(), b.clone(), i(2), i(1), i(859)]
        );
        assert_eq!(
            row3(&r, "public"),
            vec![i(258), i(12), b.clone(), b.clone(), i(1), i(1), b.clone()]
        );
        assert_eq!(row3(&r, "other"), vec![b.clone(); 7]);
        assert_eq!(
            row3(&r, "total"),
            vec![i(767), i(35), b.clone(), b.clone(), i(2), i(1), i(805)]
        );
        assert_eq!(
            r.table4.review.to_vec(),
            vec![i(5), b.clone(), b.clone(), i(2), i(7)]
        );
        assert_eq!(
            r.table4.litigation_direct.to_vec(),
            vec![i(8), b.clone(), b.clone(), i(1), i(9)]
        );
    }

    #[test]
    fn pingtan_text_renderings_need_manual_review_and_claim_no_error() {
        for name in [
            "pingtan-2019.page.txt",
            "pingtan-2020.page.txt",
            "pingtan-2022.page.txt",
        ] {
            let Some(r) = file(name) else {
                return;
            };
            let why = r.manual_review.clone().unwrap_or_default();
            assert!(
                why.contains("人工核查") && why.contains("连在一起"),
                "{name}: {why}"
            );
            assert!(errors(&r).is_empty(), "{name}: {:#?}", r.problems);
            assert_eq!(r.unit.as_deref(), Some("平潭综合实验区"), "{name}");
        }
        // The 2019 and 2020 reports follow the 2019 form; its heading 五 is found.
        if let Some(r) = file("pingtan-2019.page.txt") {
            assert_eq!(r.form, Form::Y2019);
            assert!(r.sections_missing.is_empty(), "{:?}", r.sections_missing);
        }
    }

    #[test]
    fn annual_report_command_exits_two_for_manual_review_and_says_why() {
        let Some(d) = dir() else {
            return;
        };
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_govscore"))
            .arg("annual-report")
            .arg(d.join("pingtan-2022.page.txt"))
            .output()
            .expect("run govscore");
        assert_eq!(out.status.code(), Some(2));
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(stdout.contains("需人工核查"), "{stdout}");
        let ok = std::process::Command::new(env!("CARGO_BIN_EXE_govscore"))
            .arg("annual-report")
            .arg(d.join("shanghai-bgt-2019.html"))
            .output()
            .expect("run govscore");
        assert_eq!(ok.status.code(), Some(0));
        let stdout = String::from_utf8_lossy(&ok.stdout);
        assert!(stdout.contains("适用表样：2019年版"), "{stdout}");
        assert!(stdout.contains("空白单元格（BLANK）"), "{stdout}");
    }
}

/// `govscore annual-report URL` (and `screen URL`) fetch with the crawl's fetcher: the
/// honest User-Agent after robots.txt, robots.txt obeyed, a 200 challenge page of an
/// anti-bot wall not taken for the document, and a body over the cap refused instead of
/// read into memory; each refusal exits 1 and says why.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_url_input_is_fetched_politely_and_bounded() {
    use std::sync::{Arc, Mutex};
    let seen: Arc<Mutex<Vec<(String, String)>>> = Arc::default();
    let log = seen.clone();
    let app = Router::new()
        .route(
            "/robots.txt",
            get(|| async { "User-agent: *\nDisallow: /private/\n" }),
        )
        .route(
            "/nb.txt",
            get(|| async { "云溪区2022年政府信息公开工作年度报告\n一、总体情况\n" }),
        )
        .route("/private/nb.txt", get(|| async { "不应被读取" }))
        .route(
            "/wall.html",
            get(|| async {
                (
                    [(header::CONTENT_TYPE, "text/html")],
                    "<html><head><script>$_ts=window['$_ts'];if(!$_ts)$_ts={};$_ts.nsd=1;</script></head><body></body></html>",
                )
            }),
        )
        .route(
            "/big.pdf",
            get(|| async {
                // 80 MiB in 1 MiB chunks, streamed (over govscore's 64 MiB cap).
                let chunk = axum::body::Bytes::from(vec![b'x'; 1024 * 1024]);
                let stream = futures::stream::iter(
                    (0..80).map(move |_| Ok::<_, std::io::Error>(chunk.clone())),
                );
                (
                    [(header::CONTENT_TYPE, "application/pdf")],
                    axum::body::Body::from_stream(stream),
                )
            }),
        )
        .layer(axum::middleware::from_fn(
            move |req: axum::extract::Request, next: axum::middleware::Next| {
                let ua = req
                    .headers()
                    .get(header::USER_AGENT)
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("")
                    .to_string();
                log.lock().unwrap().push((req.uri().path().to_string(), ua));
                next.run(req)
            },
        ));
    let addr = crate::support::serve(app).await;
    let run = |path: &'static str| async move {
        tokio::task::spawn_blocking(move || {
            std::process::Command::new(env!("CARGO_BIN_EXE_govscore"))
                .arg("annual-report")
                .arg(format!("http://{addr}{path}"))
                .output()
                .expect("run govscore")
        })
        .await
        .unwrap()
    };

    let ok = run("/nb.txt").await;
    assert_ne!(ok.status.code(), Some(1), "{ok:?}");
    let requests = seen.lock().unwrap().clone();
    let paths: Vec<&str> = requests.iter().map(|(p, _)| p.as_str()).collect();
    assert_eq!(paths, ["/robots.txt", "/nb.txt"]);
    for (path, ua) in &requests {
        assert!(ua.starts_with("govscore/"), "{path}: User-Agent {ua:?}");
    }

    for (path, why) in [
        ("/private/nb.txt", "robots.txt 禁止抓取"),
        ("/wall.html", "反爬验证(瑞数)"),
        ("/big.pdf", "超过读取上限"),
    ] {
        let out = run(path).await;
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{path}: {stderr}");
        assert!(stderr.contains(why), "{path}: {stderr}");
    }
    assert!(
        !seen
            .lock()
            .unwrap()
            .iter()
            .any(|(p, _)| p == "/private/nb.txt"),
        "a path robots.txt disallows was requested"
    );
}
