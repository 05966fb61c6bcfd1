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
    for sim_site in &server.district().sites {
        let site = report
            .sites
            .iter()
            .find(|s| s.id == sim_site.id)
            .expect("site in report");
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
        }
    }
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

async fn local_site() -> (String, tokio::task::JoinHandle<()>) {
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
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind loopback");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    let task = tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    (base, task)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn inconsistent_report_yields_arithmetic_findings_and_attachment_and_image_reports_are_read_or_flagged()
 {
    let (base, task) = local_site().await;
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
    task.abort();
}
