//! report.md: a readable Chinese summary for supervisors (ranking, not-assessable units,
//! then per unit its columns' weekly counts and every finding with evidence).

use super::common::{
    TIE_NOTE, by_role, class_zh, is_http, is_judged, role_zh, severity_zh, status_zh, unjudged_text,
};
use super::model::{Report, SiteReport};
use std::fmt::Write;
use std::io;
use std::path::Path;

/// Escapes text that came from a crawled site for Markdown tables and prose.
pub fn md_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '|' | '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}

/// A link only when the URL is http(s); anything else is shown as escaped text.
fn link(title: &str, url: &str) -> String {
    if is_http(url) {
        format!("[{}](<{}>)", md_escape(title), url.replace('>', "%3E"))
    } else {
        md_escape(title)
    }
}

fn opt<T: ToString>(v: &Option<T>) -> String {
    v.as_ref().map_or("—".to_string(), |x| x.to_string())
}

/// Renders report.md.
pub fn render(r: &Report) -> String {
    let mut s = String::new();
    let assessable: Vec<&SiteReport> = r.sites.iter().filter(|x| x.score.is_some()).collect();
    let others: Vec<&SiteReport> = r.sites.iter().filter(|x| x.score.is_none()).collect();
    let vetoed = assessable.iter().filter(|x| !x.vetoes.is_empty()).count();
    let _ = writeln!(s, "# {}政府网站检查报告\n", md_escape(&r.district));
    if let Some(notice) = super::common::partial_notice(r) {
        let _ = writeln!(s, "> **{}**\n", md_escape(&notice));
    }
    let _ = writeln!(
        s,
        "- 监测时间点：{}\n- 检查期间：{} 至 {}\n- 检查网站：{}个（可检测{}个，无法检测{}个）\n- 触发单项否决：{}个\n- 运行编号：{}\n",
        r.as_of,
        r.period.start,
        r.period.end,
        r.sites.len(),
        assessable.len(),
        others.len(),
        vetoed,
        r.run_id
    );
    let _ = writeln!(s, "## 一、得分排名\n\n{TIE_NOTE}\n");
    for (label, sites) in by_role(r) {
        let _ = writeln!(s, "### {label}\n");
        let _ = writeln!(
            s,
            "| 本类排名 | 总排名 | 单位 | 得分 | 等级 | 单项否决 | 扣分项 |"
        );
        let _ = writeln!(s, "|---:|---:|---|---:|---|---:|---:|");
        for x in sites {
            let deductions = x.findings.iter().filter(|f| f.points < 0.0).count();
            let _ = writeln!(
                s,
                "| {} | {} | {} | {} | {} | {} | {} |",
                opt(&x.rank_in_role),
                opt(&x.rank),
                md_escape(&x.name),
                x.score.map_or("—".into(), |v| format!("{v:.1}")),
                x.grade
                    .as_deref()
                    .map_or_else(|| md_escape(&unjudged_text(x)), md_escape),
                x.vetoes.len(),
                deductions
            );
        }
        s.push('\n');
    }
    if !others.is_empty() {
        let _ = writeln!(s, "\n## 二、无法检测的网站（需人工核查）\n");
        let _ = writeln!(s, "| 单位 | 状态 | 原因 |");
        let _ = writeln!(s, "|---|---|---|");
        for x in &others {
            let _ = writeln!(
                s,
                "| {} | {} | {} |",
                link(&x.name, &x.url),
                status_zh(&x.status),
                md_escape(x.status_reason.as_deref().unwrap_or("—"))
            );
        }
    }
    let _ = writeln!(s, "\n## 三、各单位明细\n");
    for x in &r.sites {
        let _ = writeln!(s, "### {}\n", md_escape(&x.name));
        let _ = writeln!(
            s,
            "- 网址：{}\n- 状态：{}{}\n- 得分：{}　等级：{}　排名：{}",
            link(&x.url, &x.url),
            status_zh(&x.status),
            x.status_reason
                .as_deref()
                .map(|r| format!("（{}）", md_escape(r)))
                .unwrap_or_default(),
            x.score.map_or("—".into(), |v| format!("{v:.1}")),
            x.grade
                .as_deref()
                .map_or_else(|| md_escape(&unjudged_text(x)), md_escape),
            match (x.rank, x.rank_in_role) {
                (Some(all), Some(role)) => format!("{all}（{}第{role}名）", role_zh(&x.role)),
                _ => "不参加排名".to_string(),
            }
        );
        for v in &x.vetoes {
            let _ = writeln!(s, "- **单项否决**：{}", md_escape(&v.message));
        }
        if !x.columns.is_empty() {
            let _ = writeln!(s, "\n| 栏目 | 类别 | 条目数 | 最近更新 | 每周更新（篇） |");
            let _ = writeln!(s, "|---|---|---:|---|---|");
            for c in &x.columns {
                let weeks: Vec<String> = c
                    .weekly
                    .iter()
                    .map(|w| match (w.exempt, w.met) {
                        (true, _) => format!("{}免", w.count),
                        (_, Some(false)) => format!("**{}✗**", w.count),
                        _ => w.count.to_string(),
                    })
                    .collect();
                let name = match &c.url {
                    Some(u) => link(&c.name, u),
                    None if !c.found => "—".to_string(),
                    None => md_escape(&c.name),
                };
                let tail = if !c.found {
                    "未找到该栏目（需人工核查）".to_string()
                } else if c.assessable {
                    match &c.reason {
                        // A walk cut short: only the weeks it saw wholly are listed.
                        Some(r) => format!(
                            "{}（只读取了部分列表：{}；未完整读取的周不检测）",
                            weeks.join(" "),
                            md_escape(r)
                        ),
                        None => weeks.join(" "),
                    }
                } else {
                    format!("无法检测：{}", md_escape(c.reason.as_deref().unwrap_or("")))
                };
                let _ = writeln!(
                    s,
                    "| {} | {} | {} | {} | {} |",
                    name,
                    class_zh(&c.class),
                    c.items_total,
                    opt(&c.last_update),
                    tail
                );
            }
        }
        if let Some(c) = &x.content {
            let _ = writeln!(s, "\n{}。", md_escape(&super::common::content_summary(c)));
            for n in c
                .not_screened
                .iter()
                .take(super::common::NOT_SCREENED_LISTED)
            {
                let _ = writeln!(s, "- {}：{}", link(&n.title, &n.url), md_escape(&n.reason));
            }
            if c.not_screened.len() > super::common::NOT_SCREENED_LISTED {
                let _ = writeln!(s, "- 等{}个", c.not_screened.len());
            }
        }
        if x.findings.is_empty() {
            // A site that could not be seen is never "clean".
            if is_judged(x) {
                let _ = writeln!(s, "\n未发现问题。\n");
            } else {
                let _ = writeln!(
                    s,
                    "\n{}：本期未作评判、未予扣分，不参加排名和合格率统计，请人工核查。\n",
                    md_escape(&unjudged_text(x))
                );
            }
            continue;
        }
        let _ = writeln!(s, "\n问题清单：\n");
        for (i, f) in x.findings.iter().enumerate() {
            let pts = if f.points != 0.0 {
                format!("（{:+.1}分）", f.points)
            } else {
                String::new()
            };
            let _ = writeln!(
                s,
                "{}. [{}] {}{}　规则：`{}`",
                i + 1,
                severity_zh(&f.severity),
                md_escape(&f.message),
                pts,
                f.rule
            );
            for e in &f.evidence {
                let _ = writeln!(
                    s,
                    "   - {} {}{}",
                    e.date.as_deref().unwrap_or("无日期"),
                    link(&e.title, &e.url),
                    e.excerpt
                        .as_deref()
                        .map(|x| format!("：{}", md_escape(x)))
                        .unwrap_or_default()
                );
            }
        }
        s.push('\n');
    }
    s
}

/// Writes report.md into `dir`.
pub fn write(report: &Report, dir: &Path) -> io::Result<()> {
    super::write_atomic(&dir.join("report.md"), render(report).as_bytes())
}
