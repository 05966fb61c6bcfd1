//! tongbao.md: the 情况通报 a 政务公开办 sends after a check — 一、基本情况 (figures),
//! 二、存在问题 (naming units and their problems, vetoed units first), 三、整改要求 (with a
//! deadline for the office to fill in), then the rankings per role as an 附件. Written in the
//! register of an official notice: Chinese dates (2023年2月15日), no file names, rule ids or
//! tool wording. Filled only from the [`Report`] and the same figures as the other reports
//! ([`Overview`]); crawled text is Markdown-escaped. Renders only; judges nothing.

use super::common::{
    Overview, by_role, failing_grade, findings_by_kind, is_judged, kind_zh, percent, score_text,
    unjudged_text,
};
use super::md::md_escape;
use super::model::{Finding, Report, SiteReport};
use std::fmt::Write;
use std::io;
use std::path::Path;

/// Messages quoted per kind per unit before "等N处".
const QUOTED_PER_KIND: usize = 3;

/// Units named as 得分居前 per role group at most.
const PRAISED_PER_GROUP: usize = 3;

/// The deadline placeholder the supervisor replaces.
pub const DEADLINE_PLACEHOLDER: &str = "【____年__月__日】";

/// `2023-02-15` → `2023年2月15日`; anything else unchanged.
pub fn zh_date(iso: &str) -> String {
    match chrono::NaiveDate::parse_from_str(iso, "%Y-%m-%d") {
        Ok(d) => d.format("%Y年%-m月%-d日").to_string(),
        Err(_) => iso.to_string(),
    }
}

/// Every `YYYY-MM-DD` in `text` written as a Chinese date (`当周` stays).
fn zh_dates_in(text: &str) -> String {
    static RE: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    let re = RE.get_or_init(|| {
        regex::Regex::new(r"(\d{4}-\d{2}-\d{2}) ?").unwrap_or_else(|e| panic!("{e}"))
    });
    re.replace_all(text, |c: &regex::Captures<'_>| zh_date(&c[1]))
        .into_owned()
}

/// The units of a group scoring above every other unit of it: the best (at most
/// [`PRAISED_PER_GROUP`]) cut only where the score drops, never inside a tie; none when the
/// group's best are all tied with the rest.
fn praised<'a>(sites: &[&'a SiteReport]) -> Vec<&'a SiteReport> {
    let mut ranked: Vec<&SiteReport> = sites
        .iter()
        .copied()
        .filter(|x| x.score.is_some() && x.vetoes.is_empty())
        .collect();
    ranked.sort_by(|a, b| b.score.unwrap_or(0.0).total_cmp(&a.score.unwrap_or(0.0)));
    // Every scored unit of the group counts as "the others" (vetoed ones included); a unit
    // is never praised only for being the one site that could be scored.
    let judged = sites.iter().filter(|x| x.score.is_some()).count();
    let mut best = Vec::new();
    for k in (1..=PRAISED_PER_GROUP.min(ranked.len())).rev() {
        let last = ranked[k - 1].score.unwrap_or(0.0);
        let next_above = ranked
            .get(k)
            .is_some_and(|x| x.score.unwrap_or(0.0) >= last);
        if k < judged && !next_above {
            best = ranked[..k].to_vec();
            break;
        }
    }
    best
}

/// Renders tongbao.md.
pub fn render(r: &Report) -> String {
    let ov = Overview::of(r);
    let district = md_escape(&r.district);
    let groups = by_role(r);
    let mut s = String::new();
    let _ = writeln!(s, "# 关于{district}政府网站检查情况的通报\n");
    if let Some(notice) = super::common::partial_notice(r) {
        let _ = writeln!(s, "> **{}**\n", md_escape(&notice));
    }
    s.push_str("各乡镇人民政府、街道办事处，区人民政府各部门：\n\n");
    let counts: Vec<String> = groups
        .iter()
        .map(|(label, v)| format!("{label}{}个", v.len()))
        .collect();
    let _ = writeln!(
        s,
        "　　按照政府网站监管工作要求，以{}为监测时间点，对全区{}个政府网站（{}）{}至{}期间的信息更新、栏目维护、政府信息公开工作年度报告发布等情况进行了检查。现将有关情况通报如下。\n",
        zh_date(&r.as_of),
        ov.total,
        counts.join("、"),
        zh_date(&r.period.start),
        zh_date(&r.period.end),
    );

    s.push_str("## 一、基本情况\n\n");
    let fail = md_escape(failing_grade(r));
    let mut p = format!(
        "　　本次共检查政府网站{}个，其中可检测{}个",
        ov.total, ov.assessable
    );
    let unjudged = ov.total - ov.judged;
    let unreachable_graded = ov.judged - ov.assessable;
    if ov.not_assessable > 0 {
        let _ = write!(
            p,
            "，因反爬拦截或无法访问等原因无法自动检测{}个",
            ov.not_assessable
        );
        if unreachable_graded > 0 {
            let _ = write!(
                p,
                "（其中{unreachable_graded}个因站点无法访问触发单项否决，等级评定为“{fail}”）"
            );
        }
    }
    p.push('。');
    if ov.assessable > 0 {
        let _ = write!(p, "可检测网站平均得分{}分。", score_text(ov.average));
    }
    if ov.judged > 0 {
        let grades: Vec<String> = ov
            .grades
            .iter()
            .map(|(g, n)| format!("“{}”{}个", md_escape(g), n))
            .collect();
        let _ = write!(
            p,
            "评定等级的网站{}个，其中{}，合格率{}",
            ov.judged,
            grades.join("、"),
            percent(ov.pass_rate)
        );
        if unjudged > 0 {
            let _ = write!(p, "（{unjudged}个无法检测的网站未评定等级，不计入合格率）");
        }
        p.push('。');
    }
    if ov.vetoed > 0 {
        let _ = write!(
            p,
            "{}个网站触发单项否决，等级直接评定为“{fail}”。",
            ov.vetoed
        );
    } else if ov.judged > 0 {
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
            zh_date(prev),
            change,
            percent(ov.previous_pass_rate),
            percent(ov.pass_rate),
            ov.improved,
            ov.declined
        );
    }
    s.push_str(&p);
    s.push_str("\n\n");
    let praise: Vec<String> = groups
        .iter()
        .filter_map(|(label, sites)| {
            let best = praised(sites);
            (!best.is_empty()).then(|| {
                let names: Vec<String> = best
                    .iter()
                    .map(|x| format!("{}（{}分）", md_escape(&x.name), score_text(x.score)))
                    .collect();
                format!("{label}中{}", names.join("、"))
            })
        })
        .collect();
    if !praise.is_empty() {
        let _ = writeln!(
            s,
            "　　{}得分居前，网站内容保障工作较好，予以通报表扬。\n",
            praise.join("；")
        );
    }

    s.push_str("## 二、存在问题\n\n");
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
    let others: Vec<&SiteReport> = r.sites.iter().filter(|x| !is_judged(x)).collect();
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
            let reasons: Vec<String> = x.vetoes.iter().map(|v| quote(&v.message)).collect();
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
                "{}. **{}**（得分{}分，扣{:.1}分）：{}。",
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
        heading(&mut s, "无法检测的网站");
        for (i, x) in others.iter().enumerate() {
            let _ = writeln!(
                s,
                "{}. **{}**：{}，本次未评定等级、未参加排名，请所属单位核实网站访问情况。",
                i + 1,
                md_escape(&x.name),
                md_escape(&unjudged_text(x)),
            );
        }
        s.push('\n');
    }

    s.push_str("## 三、整改要求\n\n");
    let _ = writeln!(
        s,
        "　　（一）请上述存在问题的单位对照本通报逐项整改，于{DEADLINE_PLACEHOLDER}前将整改情况书面报区政务公开办。\n"
    );
    s.push_str("　　（二）各单位要落实网站内容保障责任，安排专人负责，按要求及时更新动态要闻、通知公告、政策文件、党务公开等栏目，杜绝空白栏目和长期不更新栏目；按时发布政府信息公开工作年度报告。\n\n");
    s.push_str("　　（三）无法检测的网站所属单位请核实网站访问情况并配合人工核查。区政务公开办将适时组织复查，复查结果纳入年度考核。\n\n");
    let _ = writeln!(
        s,
        "　　附件：{district}政府网站检查得分排名\n\n{district}政务公开办\n\n{}\n",
        issue_date(r)
    );

    let _ = writeln!(s, "## 附件　{district}政府网站检查得分排名\n");
    s.push_str("得分相同的单位并列同一名次。无法检测的单位不参加排名。\n\n");
    for (label, sites) in &groups {
        let _ = writeln!(s, "### {label}\n");
        s.push_str("| 名次 | 单位 | 得分 | 等级 |\n|---:|---|---:|---|\n");
        for x in sites {
            let _ = writeln!(
                s,
                "| {} | {} | {} | {} |",
                x.rank_in_role.map_or("—".to_string(), |v| v.to_string()),
                md_escape(&x.name),
                x.score.map_or("—".to_string(), |v| format!("{v:.1}")),
                x.grade
                    .as_deref()
                    .map_or_else(|| md_escape(&unjudged_text(x)), md_escape),
            );
        }
        s.push('\n');
    }
    s
}

/// The date of issue: the day the report was made (China Standard Time), in Chinese.
fn issue_date(r: &Report) -> String {
    match chrono::DateTime::parse_from_rfc3339(&r.generated_at) {
        Ok(t) => t
            .with_timezone(&chrono_tz::Asia::Shanghai)
            .format("%Y年%-m月%-d日")
            .to_string(),
        Err(_) => zh_date(&r.as_of),
    }
}

/// A finding's message as the 通报 quotes it: escaped, dates in Chinese.
fn quote(message: &str) -> String {
    md_escape(&zh_dates_in(message))
}

/// "更新频次问题：msg1；msg2；msg3等5处；栏目不更新问题：…" for the findings that pass `keep`.
fn problems(x: &SiteReport, keep: impl Fn(&Finding) -> bool) -> String {
    let kept: Vec<Finding> = x.findings.iter().filter(|f| keep(f)).cloned().collect();
    let mut parts = Vec::new();
    for (kind, list) in findings_by_kind(&kept) {
        let quoted: Vec<String> = list
            .iter()
            .take(QUOTED_PER_KIND)
            .map(|f| quote(&f.message))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_written_the_chinese_way() {
        assert_eq!(zh_date("2023-02-15"), "2023年2月15日");
        assert_eq!(
            zh_dates_in("最新动态2023-03-06 当周更新1篇，截止2023-01-31"),
            "最新动态2023年3月6日当周更新1篇，截止2023年1月31日"
        );
    }

    fn scored(name: &str, score: f64) -> SiteReport {
        SiteReport {
            id: name.into(),
            name: name.into(),
            role: "department".into(),
            url: String::new(),
            status: "ok".into(),
            status_reason: None,
            score: Some(score),
            grade: Some("优秀".into()),
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

    #[test]
    fn only_units_scoring_above_the_rest_are_praised_never_a_slice_of_a_tie() {
        let names = |v: Vec<&SiteReport>| v.iter().map(|x| x.name.clone()).collect::<Vec<_>>();
        let (a, b, c, d) = (
            scored("甲", 100.0),
            scored("乙", 100.0),
            scored("丙", 100.0),
            scored("丁", 100.0),
        );
        // Four tied at the top: nobody is above the others.
        assert!(praised(&[&a, &b, &c, &d]).is_empty());
        let d = scored("丁", 90.0);
        // Three tied above a fourth: all three.
        assert_eq!(names(praised(&[&a, &b, &c, &d])), ["甲", "乙", "丙"]);
        let (c, e) = (scored("丙", 95.0), scored("戊", 95.0));
        // 100, 100, 95, 95, 90: the two at 100 (the cut falls where the score drops).
        assert_eq!(names(praised(&[&a, &b, &c, &e, &d])), ["甲", "乙"]);
        // A group of one has no others to be above.
        assert!(praised(&[&a]).is_empty());
    }
}
