//! tongbao.md: the draft 通报 a 政务公开办 circulates after a check — 一、总体情况 (numbers),
//! 二、存在的主要问题 (naming units and their problems, vetoed units first), 三、整改要求
//! (with a placeholder deadline for the supervisor to edit). Filled only from the
//! [`Report`]; crawled text is Markdown-escaped. Renders only; judges nothing.

use super::common::{
    FAILING_GRADE, Overview, findings_by_kind, kind_zh, percent, score_text, status_zh,
};
use super::md::md_escape;
use super::model::{Report, SiteReport};
use std::fmt::Write;
use std::io;
use std::path::Path;

/// Messages quoted per kind per unit before "等N处".
const QUOTED_PER_KIND: usize = 3;

/// The deadline placeholder the supervisor replaces.
pub const DEADLINE_PLACEHOLDER: &str = "【____年__月__日】";

/// Renders tongbao.md.
pub fn render(r: &Report) -> String {
    let ov = Overview::of(r);
    let district = md_escape(&r.district);
    let mut s = String::new();
    let _ = writeln!(s, "# 关于{district}政府网站检查情况的通报\n");
    if let Some(notice) = super::common::partial_notice(r) {
        let _ = writeln!(s, "> **{}**\n", md_escape(&notice));
    }
    s.push_str("各乡镇人民政府、街道办事处，区人民政府各部门：\n\n");
    let _ = writeln!(
        s,
        "　　按照政府网站监管工作要求，对全区{}个政府网站{}至{}期间的运行情况进行了检查（监测时间点：{}）。现将有关情况通报如下。\n",
        ov.total,
        md_escape(&r.period.start),
        md_escape(&r.period.end),
        md_escape(&r.as_of)
    );

    s.push_str("## 一、总体情况\n\n");
    let mut p = format!(
        "　　本次共检查政府网站{}个，其中可检测{}个",
        ov.total, ov.assessable
    );
    if ov.not_assessable > 0 {
        let _ = write!(
            p,
            "，因反爬拦截或无法访问等原因无法自动检测{}个（已转人工核查）",
            ov.not_assessable
        );
    }
    p.push('。');
    if ov.assessable > 0 {
        let _ = write!(
            p,
            "可检测网站平均得分{}分，合格率{}。",
            score_text(ov.average),
            percent(ov.pass_rate)
        );
        let grades: Vec<String> = ov
            .grades
            .iter()
            .map(|(g, n)| format!("{}{}个", md_escape(g), n))
            .collect();
        let _ = write!(p, "其中{}。", grades.join("、"));
    }
    if ov.vetoed > 0 {
        let _ = write!(
            p,
            "{}个网站触发单项否决，等级直接评定为“{FAILING_GRADE}”。",
            ov.vetoed
        );
    } else {
        p.push_str("未发现触发单项否决的网站。");
    }
    if let Some(prev) = &ov.previous_as_of {
        let change = match ov.average_change() {
            Some(c) if c >= 0.05 => format!("平均得分上升{c:.1}分"),
            Some(c) if c <= -0.05 => format!("平均得分下降{:.1}分", -c),
            Some(_) => "平均得分持平".to_string(),
            None => "平均得分无法比较".to_string(),
        };
        let _ = write!(
            p,
            "与上次检查（{}）相比，{}，合格率由{}变为{}；{}个单位得分提升，{}个单位得分下降。",
            md_escape(prev),
            change,
            percent(ov.previous_pass_rate),
            percent(ov.pass_rate),
            ov.improved,
            ov.declined
        );
    }
    s.push_str(&p);
    s.push_str("\n\n");
    let top: Vec<String> = r
        .sites
        .iter()
        .filter(|x| x.rank.is_some() && x.vetoes.is_empty())
        .take(3)
        .map(|x| format!("{}（{}分）", md_escape(&x.name), score_text(x.score)))
        .collect();
    if !top.is_empty() {
        let _ = writeln!(s, "　　得分居前的单位：{}。\n", top.join("、"));
    }

    s.push_str("## 二、存在的主要问题\n\n");
    let vetoed: Vec<&SiteReport> = r.sites.iter().filter(|x| !x.vetoes.is_empty()).collect();
    let mut deducted: Vec<&SiteReport> = r
        .sites
        .iter()
        .filter(|x| x.vetoes.is_empty() && x.findings.iter().any(|f| f.points < 0.0))
        .collect();
    // Lowest score first: the units that most need to act lead the list.
    deducted.sort_by(|a, b| {
        a.score
            .unwrap_or(0.0)
            .total_cmp(&b.score.unwrap_or(0.0))
            .then_with(|| a.name.cmp(&b.name))
    });
    let warned: Vec<&SiteReport> = r
        .sites
        .iter()
        .filter(|x| {
            x.vetoes.is_empty()
                && !x.findings.iter().any(|f| f.points < 0.0)
                && x.findings.iter().any(|f| f.severity == "warn")
        })
        .collect();
    let others: Vec<&SiteReport> = r.sites.iter().filter(|x| x.score.is_none()).collect();
    let mut n = 0;
    let mut heading = |s: &mut String, title: &str| {
        n += 1;
        let _ = writeln!(s, "### （{}）{title}\n", zh_number(n));
    };
    if vetoed.is_empty() && deducted.is_empty() && warned.is_empty() && others.is_empty() {
        s.push_str("　　本次检查未发现扣分问题。\n\n");
    }
    if !vetoed.is_empty() {
        heading(&mut s, "触发单项否决的网站");
        for (i, x) in vetoed.iter().enumerate() {
            let reasons: Vec<String> = x.vetoes.iter().map(|v| md_escape(&v.message)).collect();
            let _ = writeln!(
                s,
                "{}. **{}**：{}。",
                i + 1,
                md_escape(&x.name),
                reasons.join("；")
            );
            let rest = problems(x, |f| f.severity != "veto" && f.points < 0.0);
            if !rest.is_empty() {
                let _ = writeln!(s, "   此外，{rest}。");
            }
        }
        s.push('\n');
    }
    if !deducted.is_empty() {
        heading(&mut s, "存在扣分问题的网站");
        for (i, x) in deducted.iter().enumerate() {
            let lost: f64 = x.findings.iter().map(|f| f.points.min(0.0)).sum();
            let _ = writeln!(
                s,
                "{}. **{}**（得分{}，扣{:.1}分）：{}。",
                i + 1,
                md_escape(&x.name),
                score_text(x.score),
                -lost,
                problems(x, |f| f.points < 0.0)
            );
        }
        s.push('\n');
    }
    if !warned.is_empty() {
        heading(&mut s, "需关注的问题（预警，未扣分）");
        for (i, x) in warned.iter().enumerate() {
            let _ = writeln!(
                s,
                "{}. **{}**：{}。",
                i + 1,
                md_escape(&x.name),
                problems(x, |f| f.severity == "warn")
            );
        }
        s.push('\n');
    }
    if !others.is_empty() {
        heading(&mut s, "无法自动检测的网站");
        for (i, x) in others.iter().enumerate() {
            let _ = writeln!(
                s,
                "{}. **{}**：{}{}，请所属单位核实网站访问情况。",
                i + 1,
                md_escape(&x.name),
                status_zh(&x.status),
                x.status_reason
                    .as_deref()
                    .map(|r| format!("（{}）", md_escape(r)))
                    .unwrap_or_default()
            );
        }
        s.push('\n');
    }

    s.push_str("## 三、整改要求\n\n");
    let _ = writeln!(
        s,
        "　　请上述存在问题的单位对照本通报及检查报告（report.html、report.xlsx）逐项整改，于{DEADLINE_PLACEHOLDER}前将整改情况书面报区政务公开办。"
    );
    s.push_str("\n　　各单位要落实网站内容保障责任，按要求及时更新动态要闻、通知公告、政策文件、党务公开等栏目，杜绝空白栏目和长期不更新栏目；按时发布政府信息公开工作年度报告。无法自动检测的网站所属单位请核实网站访问情况并配合人工核查。区政务公开办将适时组织复查，复查结果纳入年度考核。\n\n");
    let _ = writeln!(s, "{}政务公开办\n\n{DEADLINE_PLACEHOLDER}", district);
    s
}

/// "更新频次：msg1；msg2；msg3等5处；栏目不更新：…" for the findings that pass `keep`.
fn problems(x: &SiteReport, keep: impl Fn(&super::model::Finding) -> bool) -> String {
    let kept: Vec<super::model::Finding> = x.findings.iter().filter(|f| keep(f)).cloned().collect();
    let mut parts = Vec::new();
    for (kind, list) in findings_by_kind(&kept) {
        let quoted: Vec<String> = list
            .iter()
            .take(QUOTED_PER_KIND)
            .map(|f| md_escape(&f.message))
            .collect();
        let more = if list.len() > QUOTED_PER_KIND {
            format!("等{}处", list.len())
        } else {
            String::new()
        };
        parts.push(format!(
            "{}问题：{}{more}",
            md_escape(kind_zh(kind)),
            quoted.join("；")
        ));
    }
    parts.join("；")
}

fn zh_number(n: usize) -> &'static str {
    ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"]
        .get(n.saturating_sub(1))
        .copied()
        .unwrap_or("十")
}

/// Writes tongbao.md into `dir`.
pub fn write(report: &Report, dir: &Path) -> io::Result<()> {
    super::write_atomic(&dir.join("tongbao.md"), render(report).as_bytes())
}
