//! report.html: ONE self-contained page for supervisors — inline CSS and SVG, no script, no
//! external request of any kind (a Content-Security-Policy meta tag forbids them too), so it
//! renders offline on an intranet and prints on A4. Sections: overview, ranking, charts,
//! units not assessable, then per unit its weekly-update heatmap, annual report and
//! findings grouped by kind with evidence links.
//!
//! Every string from the model is escaped with [`esc`]; only http(s) URLs become links.
//! This file renders; it must not compute scores or judge anything.

use super::charts::{self, Bar};
use super::common::{
    AnnualView, Overview, TIE_NOTE, by_role, class_zh, failing_grade, findings_by_kind, is_http,
    is_judged, kind_zh, percent, role_zh, score_text, severity_zh, signed, status_zh,
    unjudged_text,
};
use super::model::{ColumnReport, Report, SiteReport};
use std::fmt::Write;
use std::io;
use std::path::Path;

/// Escapes text for HTML element content and quoted attribute values.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() && c != '\n' && c != '\t' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// `<a href>` to `url` showing `text`, or the escaped text alone when `url` is not http(s).
fn link(text: &str, url: &str) -> String {
    if is_http(url) {
        format!(
            r#"<a href="{}" rel="noopener noreferrer" target="_blank">{}</a>"#,
            esc(url),
            esc(text)
        )
    } else {
        esc(text)
    }
}

fn change_cell(v: Option<f64>) -> String {
    match v {
        Some(x) if x >= 0.05 => format!(
            r#"<span class="up">▲{}</span>"#,
            signed(v).trim_start_matches('+')
        ),
        Some(x) if x <= -0.05 => format!(
            r#"<span class="down">▼{}</span>"#,
            signed(v).trim_start_matches('-')
        ),
        Some(_) => "持平".to_string(),
        None => "—".to_string(),
    }
}

const CSS: &str = r#"
:root{--ink:#222;--muted:#666;--line:#d0d7de;--blue:#2e6da4;--red:#c0392b}
*{box-sizing:border-box}
body{margin:0 auto;max-width:1100px;padding:16px 24px;color:var(--ink);line-height:1.55;
 font-family:"Microsoft YaHei","PingFang SC","Noto Sans CJK SC","Source Han Sans SC","WenQuanYi Micro Hei",SimSun,sans-serif;font-size:14px}
h1{font-size:24px;margin:8px 0 4px;text-align:center}
h2{font-size:19px;border-bottom:2px solid var(--blue);padding-bottom:3px;margin-top:28px}
h3{font-size:16px;margin:18px 0 6px}
h4{font-size:14px;margin:12px 0 4px}
.meta{color:var(--muted);text-align:center;margin:0 0 12px}
nav.toc{background:#f6f8fa;border:1px solid var(--line);padding:6px 12px;margin:10px 0}
nav.toc a{margin-right:14px}
a{color:var(--blue)}
table{border-collapse:collapse;width:100%;margin:6px 0 10px}
th,td{border:1px solid var(--line);padding:3px 6px;text-align:left;vertical-align:top}
th{background:#eef3f8;font-weight:600}
td.num,th.num{text-align:right;white-space:nowrap}
.cards{display:flex;flex-wrap:wrap;gap:8px;margin:8px 0}
.card{border:1px solid var(--line);border-radius:4px;padding:6px 12px;min-width:120px}
.card b{display:block;font-size:20px}
.card span{color:var(--muted);font-size:12px}
.up{color:#1e7e34}.down{color:var(--red)}
.veto{color:var(--red);font-weight:600}
.fail td{background:#fdf0ef}
.unit{border-top:1px solid var(--line);margin-top:18px}
.unit dl{display:grid;grid-template-columns:max-content 1fr max-content 1fr;gap:2px 12px;margin:6px 0}
.unit dt{color:var(--muted)}.unit dd{margin:0;word-break:break-all}
table.heat{width:auto;font-size:12px}
table.heat td{text-align:center;min-width:34px;padding:2px 3px}
table.heat td.name{text-align:left;min-width:0;white-space:nowrap}
.c0{background:#f4f4f4;color:#999}.c1{background:#d6e6f5}.c2{background:#a9cbe8}
.c3{background:#6aa3d5;color:#fff}.c4{background:#2e6da4;color:#fff}
td.miss{outline:2px solid var(--red);outline-offset:-2px;color:var(--red);font-weight:600}
td.ex{background:repeating-linear-gradient(45deg,#eee,#eee 4px,#fff 4px,#fff 8px);color:var(--muted)}
td.na{color:var(--muted);text-align:left}
.legend span{display:inline-block;padding:0 6px;margin-right:6px;border:1px solid var(--line);font-size:12px}
ul.ev{margin:2px 0;padding-left:18px}
.muted{color:var(--muted)}
footer{color:var(--muted);font-size:12px;margin-top:30px;border-top:1px solid var(--line);padding-top:6px}
svg.chart{max-width:100%;height:auto;font-family:inherit}
@page{size:A4;margin:14mm 12mm}
@media print{
 body{max-width:none;padding:0;font-size:10.5pt}
 nav.toc{display:none}
 a{color:inherit;text-decoration:none}
 h2{break-after:avoid}
 thead{display:table-header-group}
 tr,.card,svg.chart,table.heat{break-inside:avoid}
 .unit{break-before:page;border-top:none}
 *{-webkit-print-color-adjust:exact;print-color-adjust:exact}
}
"#;

/// Renders report.html.
pub fn render(r: &Report) -> String {
    let mut out = Vec::new();
    render_to(r, &mut out).expect("writing to memory");
    String::from_utf8(out).expect("the page is built from strings")
}

/// Writes report.html to `out`, unit by unit (the page of a province's run is tens of
/// megabytes; it is never held whole).
pub fn render_to(r: &Report, out: &mut dyn io::Write) -> io::Result<()> {
    let ov = Overview::of(r);
    let district = esc(&r.district);
    let mut s = String::with_capacity(64 * 1024);
    let _ = write!(
        s,
        r##"<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="referrer" content="no-referrer">
<title>{district}政府网站检查报告（{as_of}）</title>
<style>{CSS}</style>
</head>
<body>
<h1>{district}政府网站检查报告</h1>
<p class="meta">检查期间：{start} 至 {end}　监测时间点：{as_of}　生成时间：{generated}　运行编号：{run_id}</p>
<nav class="toc">目录：<a href="#overview">总体情况</a><a href="#ranking">得分排名</a><a href="#charts">图表</a><a href="#unassessable">无法检测</a><a href="#units">各单位明细</a></nav>
"##,
        as_of = esc(&r.as_of),
        start = esc(&r.period.start),
        end = esc(&r.period.end),
        generated = esc(&super::common::generated_at_text(&r.generated_at)),
        run_id = r.run_id,
    );
    if let Some(notice) = super::common::partial_notice(r) {
        let _ = writeln!(
            s,
            r#"<p class="meta" style="color:#b00000;font-weight:bold">{}</p>"#,
            esc(&notice)
        );
    }
    overview(&mut s, r, &ov);
    ranking(&mut s, r);
    charts_section(&mut s, r);
    unassessable(&mut s, r);
    s.push_str("<section id=\"units\">\n<h2>五、各单位明细</h2>\n");
    for (i, site) in r.sites.iter().enumerate() {
        out.write_all(s.as_bytes())?;
        s.clear();
        unit(&mut s, i, site);
    }
    s.push_str("</section>\n");
    let _ = write!(
        s,
        "<footer>本报告由 govscore 依据 report.json 生成；“无法检测”的网站未扣分，需人工核查。证据链接指向被检查网站，离线查看时可能无法打开。</footer>\n</body>\n</html>\n"
    );
    out.write_all(s.as_bytes())
}

fn overview(s: &mut String, r: &Report, ov: &Overview) {
    s.push_str("<section id=\"overview\">\n<h2>一、总体情况</h2>\n<div class=\"cards\">");
    let card = |s: &mut String, value: String, label: &str| {
        let _ = write!(
            s,
            "<div class=\"card\"><b>{value}</b><span>{label}</span></div>"
        );
    };
    card(s, ov.total.to_string(), "检查网站（个）");
    card(s, ov.assessable.to_string(), "可检测（个）");
    card(s, ov.not_assessable.to_string(), "无法检测（个）");
    card(s, percent(ov.pass_rate), "合格率");
    card(s, score_text(ov.average), "平均得分");
    card(s, ov.vetoed.to_string(), "单项否决（个）");
    card(s, ov.deductions.to_string(), "扣分问题（条）");
    s.push_str("</div>\n");
    // Change against the previous run.
    match &ov.previous_as_of {
        Some(prev) => {
            let _ = writeln!(
                s,
                "<p>与上次检查（{}）相比：平均得分 {}（上次 {}），合格率 {}（上次 {}）；得分提升 {} 个单位，下降 {} 个单位。</p>",
                esc(prev),
                change_cell(ov.average_change()),
                score_text(ov.previous_average),
                percent(ov.pass_rate),
                percent(ov.previous_pass_rate),
                ov.improved,
                ov.declined
            );
        }
        None => {
            let _ = writeln!(
                s,
                "<p class=\"muted\">暂无上期检查数据，无法比较变化。{}</p>",
                if ov.improved + ov.declined > 0 {
                    format!(
                        "与上一周期相比：得分提升 {} 个单位，下降 {} 个单位。",
                        ov.improved, ov.declined
                    )
                } else {
                    String::new()
                }
            );
        }
    }
    // Grade distribution with its share of the assessable sites.
    s.push_str("<h3>等级分布</h3>\n<table style=\"width:auto\"><thead><tr><th>等级</th><th class=\"num\">单位数</th><th class=\"num\">占比</th></tr></thead><tbody>");
    if ov.grades.is_empty() {
        s.push_str("<tr><td colspan=\"3\" class=\"muted\">无可检测网站</td></tr>");
    }
    for (g, n) in &ov.grades {
        let share = (ov.judged > 0).then(|| *n as f64 / ov.judged as f64);
        let _ = write!(
            s,
            "<tr{}><td>{}</td><td class=\"num\">{n}</td><td class=\"num\">{}</td></tr>",
            if g == failing_grade(r) {
                " class=\"fail\""
            } else {
                ""
            },
            esc(g),
            percent(share)
        );
    }
    s.push_str("</tbody></table>\n");
    let fail = esc(failing_grade(r));
    let _ = writeln!(
        s,
        "<p class=\"muted\">合格率 = 已评定等级的网站中等级不为“{fail}”（最低一档）的比例；触发单项否决的网站等级为“{fail}”，因“站点无法访问”否决的网站没有得分，但计入合格率。无法检测的网站 {} 个，不计入合格率（原因见第四部分）。本期共 {} 个网站。</p>\n</section>",
        ov.total - ov.judged,
        r.sites.len()
    );
}

fn ranking(s: &mut String, r: &Report) {
    let _ = writeln!(
        s,
        "<section id=\"ranking\">\n<h2>二、得分排名</h2>\n<p class=\"muted\">{}</p>",
        TIE_NOTE
    );
    let fail = failing_grade(r);
    let index = |x: &SiteReport| r.sites.iter().position(|y| std::ptr::eq(x, y)).unwrap_or(0);
    for (label, sites) in by_role(r) {
        let _ = writeln!(
            s,
            "<h3>{}</h3>\n<table><thead><tr><th class=\"num\">本类排名</th><th class=\"num\">总排名</th><th>单位</th><th class=\"num\">得分</th><th>等级</th><th class=\"num\">单项否决</th><th class=\"num\">较上期</th></tr></thead><tbody>",
            esc(label)
        );
        for x in sites {
            let failing = !x.vetoes.is_empty() || x.grade.as_deref() == Some(fail);
            let grade = match &x.grade {
                Some(g) => esc(g),
                None => format!("<span class=\"muted\">{}</span>", esc(&unjudged_text(x))),
            };
            let _ = writeln!(
                s,
                "<tr{}><td class=\"num\">{}</td><td class=\"num\">{}</td><td><a href=\"#unit-{}\">{}</a></td><td class=\"num\">{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
                if failing { " class=\"fail\"" } else { "" },
                x.rank_in_role.map_or("—".into(), |v| v.to_string()),
                x.rank.map_or("—".into(), |v| v.to_string()),
                index(x),
                esc(&x.name),
                score_text(x.score),
                grade,
                if x.vetoes.is_empty() {
                    "0".to_string()
                } else {
                    format!("<span class=\"veto\">{}</span>", x.vetoes.len())
                },
                change_cell(x.score_change)
            );
        }
        s.push_str("</tbody></table>\n");
    }
    s.push_str("</section>\n");
}

fn charts_section(s: &mut String, r: &Report) {
    let bars: Vec<Bar> = r
        .sites
        .iter()
        .filter_map(|x| {
            Some(Bar {
                label: x.name.clone(),
                value: x.score?,
                grade: x.grade.clone(),
                failing: !x.vetoes.is_empty() || x.grade.as_deref() == Some(failing_grade(r)),
            })
        })
        .collect();
    s.push_str("<section id=\"charts\">\n<h2>三、图表</h2>\n<h3>各单位得分</h3>\n");
    if bars.is_empty() {
        s.push_str("<p class=\"muted\">无可检测网站。</p>\n");
    } else {
        s.push_str(&charts::score_bars(&bars));
        s.push('\n');
    }
    s.push_str("<h3>全区平均得分趋势</h3>\n");
    s.push_str(&charts::trend_line(&r.trend));
    s.push_str("\n</section>\n");
}

fn unassessable(s: &mut String, r: &Report) {
    s.push_str("<section id=\"unassessable\">\n<h2>四、无法检测的网站（需人工核查）</h2>\n");
    let others: Vec<(usize, &SiteReport)> = r
        .sites
        .iter()
        .enumerate()
        .filter(|(_, x)| x.score.is_none())
        .collect();
    if others.is_empty() {
        s.push_str("<p>无。所有网站均可检测。</p>\n</section>\n");
        return;
    }
    s.push_str("<p>以下网站本期无法自动检测（如反爬拦截、无法访问），没有得分、不参加排名，未予扣分，请人工打开核查。其中因“站点无法访问”触发单项否决的，等级评定为最低一档并计入合格率；其余不计入合格率。</p>\n<table><thead><tr><th>单位</th><th>网址</th><th>状态</th><th>原因</th></tr></thead><tbody>\n");
    for (i, x) in others {
        let _ = writeln!(
            s,
            "<tr><td><a href=\"#unit-{i}\">{}</a></td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&x.name),
            link(&x.url, &x.url),
            status_zh(&x.status),
            esc(x.status_reason.as_deref().unwrap_or("—"))
        );
    }
    s.push_str("</tbody></table>\n</section>\n");
}

fn unit(s: &mut String, i: usize, x: &SiteReport) {
    let _ = writeln!(
        s,
        "<article class=\"unit\" id=\"unit-{i}\">\n<h3>{}</h3>\n<dl><dt>网址</dt><dd>{}</dd><dt>类型</dt><dd>{}</dd><dt>状态</dt><dd>{}{}</dd><dt>得分</dt><dd>{}</dd><dt>等级</dt><dd>{}</dd><dt>排名</dt><dd>{}</dd><dt>较上期</dt><dd>{}</dd><dt>问题</dt><dd>{}</dd></dl>",
        esc(&x.name),
        link(&x.url, &x.url),
        role_zh(&x.role),
        status_zh(&x.status),
        x.status_reason
            .as_deref()
            .map(|r| format!("（{}）", esc(r)))
            .unwrap_or_default(),
        score_text(x.score),
        x.grade
            .as_deref()
            .map_or_else(|| esc(&unjudged_text(x)), esc),
        match (x.rank, x.rank_in_role) {
            (Some(all), Some(role)) => format!("总排名 {all}，{}第 {role} 名", role_zh(&x.role)),
            (Some(all), None) => all.to_string(),
            _ => "不参加排名".to_string(),
        },
        change_cell(x.score_change),
        if is_judged(x) {
            format!("{} 条", x.findings.len())
        } else {
            "—（无法检测，未作评判）".to_string()
        }
    );
    for v in &x.vetoes {
        let _ = writeln!(
            s,
            "<p class=\"veto\">单项否决：{}（规则 {}）</p>",
            esc(&v.message),
            esc(&v.rule)
        );
    }
    s.push_str("<h4>栏目每周更新情况</h4>\n");
    heatmap(s, &x.columns);
    s.push_str("<h4>政府信息公开工作年度报告</h4>\n");
    annual(s, x);
    if let Some(c) = &x.content {
        let _ = writeln!(
            s,
            "<h4>内容筛查（错敏信息）</h4>\n<p>{}。</p>",
            esc(&super::common::content_summary(c))
        );
        if !c.not_screened.is_empty() {
            s.push_str("<ul class=\"ev\">");
            for n in c
                .not_screened
                .iter()
                .take(super::common::NOT_SCREENED_LISTED)
            {
                let _ = write!(s, "<li>{}：{}</li>", link(&n.title, &n.url), esc(&n.reason));
            }
            if c.not_screened.len() > super::common::NOT_SCREENED_LISTED {
                let _ = write!(s, "<li>等{}个</li>", c.not_screened.len());
            }
            s.push_str("</ul>\n");
        }
    }
    s.push_str("<h4>问题清单</h4>\n");
    findings(s, x);
    s.push_str("</article>\n");
}

/// Weeks × columns table: the count of each week, colour by count; missed weeks outlined
/// red with ✗, exempt (holiday) weeks hatched with 免.
fn heatmap(s: &mut String, columns: &[ColumnReport]) {
    if columns.is_empty() {
        s.push_str("<p class=\"muted\">未识别到栏目。</p>\n");
        return;
    }
    let mut weeks: Vec<&str> = columns
        .iter()
        .flat_map(|c| c.weekly.iter().map(|w| w.week_start.as_str()))
        .collect();
    weeks.sort_unstable();
    weeks.dedup();
    s.push_str("<table class=\"heat\"><thead><tr><th>栏目</th><th>类别</th><th class=\"num\">最近更新</th>");
    for w in &weeks {
        let short = w.get(5..).unwrap_or(w);
        let _ = write!(s, "<th title=\"{}当周\">{}</th>", esc(w), esc(short));
    }
    s.push_str("</tr></thead><tbody>\n");
    for c in columns {
        let name = match &c.url {
            Some(u) => link(&c.name, u),
            None if !c.found => "—".to_string(),
            None => esc(&c.name),
        };
        let _ = write!(
            s,
            "<tr><td class=\"name\">{name}</td><td class=\"name\">{}</td><td class=\"num\">{}</td>",
            class_zh(&c.class),
            esc(c.last_update.as_deref().unwrap_or("—"))
        );
        if !c.found || !c.assessable {
            let why = if !c.found {
                "未找到该栏目".to_string()
            } else {
                format!("无法检测：{}", c.reason.as_deref().unwrap_or("原因未知"))
            };
            let _ = writeln!(
                s,
                "<td class=\"na\" colspan=\"{}\">{}</td></tr>",
                weeks.len().max(1),
                esc(&why)
            );
            continue;
        }
        for w in &weeks {
            match c.weekly.iter().find(|x| x.week_start == *w) {
                // A week a cut walk did not see wholly: not judged.
                None if c.reason.is_some() => {
                    let _ = write!(
                        s,
                        "<td class=\"na\" title=\"{}：{}\">—</td>",
                        esc("只读取了部分列表，该周未检测"),
                        esc(c.reason.as_deref().unwrap_or(""))
                    );
                }
                None => s.push_str("<td class=\"c0\">·</td>"),
                Some(wk) => {
                    let level = match wk.count {
                        0 => 0,
                        1 => 1,
                        2 => 2,
                        3 | 4 => 3,
                        _ => 4,
                    };
                    let req = wk
                        .required
                        .map(|r| format!("，要求{r}篇"))
                        .unwrap_or_default();
                    if wk.exempt {
                        let _ = write!(
                            s,
                            "<td class=\"ex\" title=\"{}当周{}篇（免检周：{}）\">{}免</td>",
                            esc(w),
                            wk.count,
                            esc(wk.exempt_reason.as_deref().unwrap_or("节假日")),
                            wk.count
                        );
                    } else if wk.met == Some(false) {
                        let _ = write!(
                            s,
                            "<td class=\"c{level} miss\" title=\"{}当周{}篇{req}，未达标\">{}✗</td>",
                            esc(w),
                            wk.count,
                            wk.count
                        );
                    } else {
                        let _ = write!(
                            s,
                            "<td class=\"c{level}\" title=\"{}当周{}篇{req}\">{}</td>",
                            esc(w),
                            wk.count,
                            wk.count
                        );
                    }
                }
            }
        }
        s.push_str("</tr>\n");
    }
    s.push_str("</tbody></table>\n<p class=\"legend\"><span class=\"c0\">0</span><span class=\"c1\">1</span><span class=\"c2\">2</span><span class=\"c3\">3–4</span><span class=\"c4\">≥5</span>篇/周　<span style=\"color:#c0392b;font-weight:600\">✗</span> 未达到更新要求　<span>免</span> 节假日免检周</p>\n");
    // The exempt weeks with the holiday that exempts them (the evidence of 免).
    let mut exempt: Vec<(&str, &str)> = columns
        .iter()
        .flat_map(|c| &c.weekly)
        .filter_map(|w| Some((w.week_start.as_str(), w.exempt_reason.as_deref()?)))
        .collect();
    exempt.sort_unstable();
    exempt.dedup();
    if !exempt.is_empty() {
        s.push_str("<ul class=\"ev muted\">");
        for (w, why) in exempt {
            let _ = write!(s, "<li>{}当周免考：{}</li>", esc(w), esc(why));
        }
        s.push_str("</ul>\n");
    }
}

fn annual(s: &mut String, x: &SiteReport) {
    let Some(a) = AnnualView::from_value(x.annual_report.as_ref()) else {
        s.push_str("<p>—</p>\n");
        return;
    };
    let title = match (&a.title, &a.url) {
        (Some(t), Some(u)) => link(t, u),
        (Some(t), None) => esc(t),
        (None, Some(u)) => link(u, u),
        (None, None) => "—".into(),
    };
    let _ = write!(
        s,
        "<table style=\"width:auto\"><tbody><tr><th>年度</th><td>{}</td><th>状态</th><td>{}</td></tr><tr><th>发布日期</th><td>{}</td><th>截止日期</th><td>{}</td></tr><tr><th>标题</th><td colspan=\"3\">{title}</td></tr>",
        a.year.map_or("—".into(), |y| y.to_string()),
        esc(&a.status_label()),
        esc(a.published.as_deref().unwrap_or("—")),
        esc(a.deadline.as_deref().unwrap_or("—")),
    );
    if !a.sections_missing.is_empty() {
        let _ = write!(
            s,
            "<tr><th>缺少章节</th><td colspan=\"3\">{}</td></tr>",
            esc(&a.sections_missing.join("、"))
        );
    }
    if !a.arithmetic_errors.is_empty() {
        s.push_str("<tr><th>数据错误</th><td colspan=\"3\"><ul class=\"ev\">");
        for e in &a.arithmetic_errors {
            let _ = write!(s, "<li>{} {}</li>", esc(&e.rule), esc(&e.message));
        }
        s.push_str("</ul></td></tr>");
    }
    s.push_str("</tbody></table>\n");
}

fn findings(s: &mut String, x: &SiteReport) {
    if x.findings.is_empty() {
        // A site that could not be seen is never "clean".
        if is_judged(x) {
            s.push_str("<p>未发现问题。</p>\n");
        } else {
            let _ = writeln!(
                s,
                "<p class=\"muted\">{}：本期未作评判、未予扣分，不参加排名和合格率统计，请人工打开网站核查。</p>",
                esc(&unjudged_text(x))
            );
        }
        return;
    }
    for (kind, list) in findings_by_kind(&x.findings) {
        let _ = writeln!(
            s,
            "<h4>{}（{}条）</h4>\n<table><thead><tr><th>性质</th><th class=\"num\">分值</th><th>问题描述</th><th>证据</th></tr></thead><tbody>",
            esc(kind_zh(kind)),
            list.len()
        );
        for f in list {
            let pts = if f.points != 0.0 {
                format!("{:+.1}", f.points)
            } else {
                "0".into()
            };
            let _ = write!(
                s,
                "<tr><td{}>{}</td><td class=\"num\">{pts}</td><td>{}<br><span class=\"muted\">规则：{}</span></td><td>",
                if f.severity == "veto" {
                    " class=\"veto\""
                } else {
                    ""
                },
                severity_zh(&f.severity),
                esc(&f.message),
                esc(&f.rule)
            );
            if f.evidence.is_empty() {
                s.push('—');
            } else {
                s.push_str("<ul class=\"ev\">");
                for e in &f.evidence {
                    let _ = write!(
                        s,
                        "<li>{} {}{}</li>",
                        esc(e.date.as_deref().unwrap_or("无日期")),
                        link(&e.title, &e.url),
                        e.excerpt
                            .as_deref()
                            .map(|t| format!("<br><span class=\"muted\">{}</span>", esc(t)))
                            .unwrap_or_default()
                    );
                }
                s.push_str("</ul>");
            }
            s.push_str("</td></tr>\n");
        }
        s.push_str("</tbody></table>\n");
    }
}

/// Writes report.html into `dir`.
pub fn write(report: &Report, dir: &Path) -> io::Result<()> {
    super::write_atomic_with(&dir.join("report.html"), |out| render_to(report, out))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn esc_neutralises_markup_and_quotes() {
        assert_eq!(
            esc(r#"<script>alert("x")</script>&'"#),
            "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;"
        );
    }

    #[test]
    fn only_http_urls_become_links() {
        assert_eq!(link("t", "javascript:alert(1)"), "t");
        assert!(
            link("t", "http://a.gov.cn/?a=1&b=\"")
                .contains("href=\"http://a.gov.cn/?a=1&amp;b=&quot;\"")
        );
    }
}
