//! Helpers every renderer shares: Chinese labels, the overview numbers (合格率, grade
//! distribution, change against the previous run), the lenient view of `annual_report`,
//! URL safety and display widths. Pure functions over the [`Report`] model; this file must
//! not escape for any output format (each renderer escapes for its own syntax).

use super::model::{Finding, Report, SiteReport};
use serde_json::Value;

/// The failing grade of reports written without `grade_bands` (the default lowest band).
pub const FAILING_GRADE: &str = "不合格";

/// The grade that counts against 合格率: the lowest configured band (every vetoed site gets
/// it), so renaming the bands in the rules keeps 合格率 right.
pub fn failing_grade(r: &Report) -> &str {
    r.grade_bands
        .last()
        .map_or(FAILING_GRADE, |g| g.name.as_str())
}

/// Whether a site was judged: it has a grade (a score, or the availability veto of an
/// unreachable site). A site without one is 无法检测: left out of ranking and 合格率.
pub fn is_judged(x: &SiteReport) -> bool {
    x.grade.is_some()
}

/// "无法检测（reason）" for a site that was not judged, naming why.
pub fn unjudged_text(x: &SiteReport) -> String {
    let reason = x
        .status_reason
        .clone()
        .unwrap_or_else(|| status_zh(&x.status).to_string());
    format!("无法检测（{reason}）")
}

/// The role groups of the rankings, in report order: the portal apart, then 部门, then
/// 乡镇（街道）.
pub const ROLE_GROUPS: [(&str, &str); 3] = [
    ("portal", "区政府门户网站"),
    ("department", "部门网站"),
    ("town", "乡镇（街道）网站"),
];

/// The sites of each role group that has any, in report (rank) order; sites of an unknown
/// role come last under their own label.
pub fn by_role(r: &Report) -> Vec<(&'static str, Vec<&SiteReport>)> {
    group_by_role(&r.sites, |x| x.role.as_str())
}

/// [`by_role`] of any list of sites (the dashboard's stored scorecards), `role` naming each
/// one's role; the order within a group is the list's.
pub fn group_by_role<T>(sites: &[T], role: impl Fn(&T) -> &str) -> Vec<(&'static str, Vec<&T>)> {
    let mut out: Vec<(&'static str, Vec<&T>)> = ROLE_GROUPS
        .iter()
        .map(|(r, label)| (*label, sites.iter().filter(|x| role(x) == *r).collect()))
        .collect();
    let other: Vec<&T> = sites
        .iter()
        .filter(|x| !ROLE_GROUPS.iter().any(|(r, _)| role(x) == *r))
        .collect();
    out.push(("其他网站", other));
    out.retain(|(_, v)| !v.is_empty());
    out
}

/// How ties are shown, for the legends of every ranking.
pub const TIE_NOTE: &str = "得分相同的单位并列同一名次（并列），并按预警条数少者在前、再按单位清单顺序排列；无法检测的单位不参加排名。";

/// The usual grade bands, best first; grades outside this list are shown after them.
const GRADE_ORDER: [&str; 4] = ["优秀", "良好", "合格", FAILING_GRADE];

/// Finding kinds in the order reports group them.
const KIND_ORDER: [&str; 14] = [
    "availability",
    "annual_report",
    "blank_column",
    "stale",
    "cadence",
    "backdated",
    "undated",
    "metadata",
    "serious_error",
    "hidden_link",
    "sensitive",
    "pii",
    "typo",
    "dead_link",
];

/// District-wide numbers for an overview.
#[derive(Debug, Clone, PartialEq)]
pub struct Overview {
    /// Sites in the report.
    pub total: usize,
    /// Sites with a score.
    pub assessable: usize,
    /// Sites with a grade: the scored ones plus unreachable ones graded by the
    /// availability veto. 合格率 is over these.
    pub judged: usize,
    /// Sites without a score (blocked, unreachable), for manual review.
    pub not_assessable: usize,
    /// Share of judged sites not in the failing (lowest) band (0..1); None with none.
    pub pass_rate: Option<f64>,
    /// Mean score of the assessable sites.
    pub average: Option<f64>,
    /// (grade, sites) in band order; only grades that occur.
    pub grades: Vec<(String, usize)>,
    /// Judged sites with at least one veto.
    pub vetoed: usize,
    /// Findings that cost points (points < 0).
    pub deductions: usize,
    /// The previous run's mean score from `trend`, when there is one.
    pub previous_average: Option<f64>,
    /// The previous run's 合格率 from `trend`, when there is one.
    pub previous_pass_rate: Option<f64>,
    /// The previous run's as_of from `trend`, when there is one.
    pub previous_as_of: Option<String>,
    /// Sites whose score went up against the previous period.
    pub improved: usize,
    /// Sites whose score went down against the previous period.
    pub declined: usize,
}

impl Overview {
    /// Computes the overview of `r`.
    pub fn of(r: &Report) -> Overview {
        let scored: Vec<&SiteReport> = r.sites.iter().filter(|s| s.score.is_some()).collect();
        let assessable = scored.len();
        // 合格率 counts every judged site — an unreachable one vetoed by the availability
        // rule included — and leaves out those that could not be judged.
        let judged: Vec<&SiteReport> = r.sites.iter().filter(|s| is_judged(s)).collect();
        let fail = failing_grade(r);
        let passing = judged
            .iter()
            .filter(|s| s.grade.as_deref() != Some(fail))
            .count();
        let pass_rate = (!judged.is_empty()).then(|| passing as f64 / judged.len() as f64);
        let average = (assessable > 0)
            .then(|| scored.iter().filter_map(|s| s.score).sum::<f64>() / assessable as f64);
        let mut grades: Vec<(String, usize)> = Vec::new();
        for s in &judged {
            let g = s.grade.clone().unwrap_or_else(|| "—".to_string());
            match grades.iter_mut().find(|(name, _)| *name == g) {
                Some((_, n)) => *n += 1,
                None => grades.push((g, 1)),
            }
        }
        // Configured band order (the usual names for reports written without bands).
        let order: Vec<&str> = if r.grade_bands.is_empty() {
            GRADE_ORDER.to_vec()
        } else {
            r.grade_bands.iter().map(|g| g.name.as_str()).collect()
        };
        grades.sort_by_key(|(g, _)| order.iter().position(|x| x == g).unwrap_or(order.len()));
        // The trend ends with this run; the point before it is the previous run.
        let previous = r
            .trend
            .iter()
            .rev()
            .find(|p| p.run_id != r.run_id && p.as_of.as_str() <= r.as_of.as_str());
        Overview {
            total: r.sites.len(),
            assessable,
            judged: judged.len(),
            not_assessable: r.sites.len() - assessable,
            pass_rate,
            average,
            grades,
            vetoed: judged.iter().filter(|s| !s.vetoes.is_empty()).count(),
            deductions: r
                .sites
                .iter()
                .flat_map(|s| &s.findings)
                .filter(|f| f.points < 0.0)
                .count(),
            previous_average: previous.and_then(|p| p.average_score),
            previous_pass_rate: previous.and_then(|p| p.pass_rate),
            previous_as_of: previous.map(|p| p.as_of.clone()),
            improved: r
                .sites
                .iter()
                .filter(|s| s.score_change.is_some_and(|c| c > 0.0))
                .count(),
            declined: r
                .sites
                .iter()
                .filter(|s| s.score_change.is_some_and(|c| c < 0.0))
                .count(),
        }
    }

    /// Mean score minus the previous run's, when both exist.
    pub fn average_change(&self) -> Option<f64> {
        Some(self.average? - self.previous_average?)
    }
}

/// A share as a percentage with one decimal, "—" when unknown.
pub fn percent(v: Option<f64>) -> String {
    v.map_or("—".to_string(), |x| format!("{:.1}%", x * 100.0))
}

/// A signed change with one decimal ("+1.5", "-2.0", "0.0"), "—" when unknown.
pub fn signed(v: Option<f64>) -> String {
    match v {
        None => "—".to_string(),
        Some(x) if x.abs() < 0.05 => "0.0".to_string(),
        Some(x) => format!("{x:+.1}"),
    }
}

/// A score with one decimal, "—" when null.
pub fn score_text(v: Option<f64>) -> String {
    v.map_or("—".to_string(), |x| format!("{x:.1}"))
}

/// The warning every format shows first when the report is made from a partial run.
pub fn partial_notice(r: &super::model::Report) -> Option<String> {
    r.partial_run.as_ref().map(|why| format!("注意：{why}"))
}

/// Whether `url` may become a link: http(s) only, so `javascript:` or `data:` never do.
pub fn is_http(url: &str) -> bool {
    let lower = url.trim_start().to_ascii_lowercase();
    (lower.starts_with("http://") || lower.starts_with("https://"))
        && !url.chars().any(|c| c.is_control() || c.is_whitespace())
}

/// Chinese label of a finding kind; unknown kinds are shown as they are.
pub fn kind_zh(kind: &str) -> &str {
    match kind {
        "cadence" => "更新频次",
        "stale" => "栏目不更新",
        "blank_column" => "空白栏目",
        "annual_report" => "年度报告",
        "undated" => "未注明日期",
        "metadata" => "网页标签",
        "backdated" => "疑似倒签",
        "availability" => "可用性",
        "typo" => "错别字及格式差错",
        "serious_error" => "严重表述错误",
        "sensitive" => "敏感词",
        "hidden_link" => "暗链",
        "pii" => "个人信息泄露",
        "dead_link" => "链接不可用",
        other => other,
    }
}

/// Not-screened documents listed per site in report.html and report.md; the rest are counted.
pub const NOT_SCREENED_LISTED: usize = 10;

/// One line on what content screening read of a site: "内容筛查：文章12篇（另有1条仅筛查标题），
/// 附件3个，发现问题2处；4个文件未筛查".
pub fn content_summary(c: &super::model::ContentOut) -> String {
    let mut s = format!("内容筛查：文章{}篇", c.pages_screened);
    if c.titles_only > 0 {
        s.push_str(&format!("（另有{}条仅筛查标题）", c.titles_only));
    }
    s.push_str(&format!(
        "，附件{}个，发现问题{}处",
        c.attachments_screened,
        c.hits.len()
    ));
    let files = c
        .not_screened
        .iter()
        .filter(|n| !n.reason.ends_with("仅筛查标题"))
        .count();
    if files > 0 {
        s.push_str(&format!("；{files}个文件未筛查"));
    }
    s
}

/// Chinese label of a severity.
pub fn severity_zh(sev: &str) -> &'static str {
    match sev {
        "veto" => "单项否决",
        "deduct" => "扣分",
        "warn" => "预警",
        "bonus" => "加分",
        _ => "提示",
    }
}

/// Chinese label of a site role.
pub fn role_zh(role: &str) -> &'static str {
    crate::model::Role::parse(role).map_or("未知", |r| r.label_zh())
}

/// Chinese label of a site status.
pub fn status_zh(status: &str) -> &'static str {
    crate::model::SiteStatus::parse(status).map_or("未知", |s| s.label_zh())
}

/// Chinese label of a column class.
pub fn class_zh(class: &str) -> &'static str {
    crate::model::ColumnClass::parse(class).map_or("未知", |c| c.label_zh())
}

/// Chinese label of an annual-report status (CONTRACT §3).
pub fn annual_status_zh(status: &str) -> &str {
    match status {
        "on_time" => "按时发布",
        "late" => "逾期发布",
        "missing" => "未发布",
        "not_due" => "未到发布期限",
        "unknown" => "无法检测",
        other => other,
    }
}

/// Findings grouped by kind in report order (known kinds first, then the others by name);
/// within a group the findings keep their order.
pub fn findings_by_kind(findings: &[Finding]) -> Vec<(&str, Vec<&Finding>)> {
    let mut groups: Vec<(&str, Vec<&Finding>)> = Vec::new();
    for f in findings {
        match groups.iter_mut().find(|(k, _)| *k == f.kind) {
            Some((_, v)) => v.push(f),
            None => groups.push((f.kind.as_str(), vec![f])),
        }
    }
    groups.sort_by(|(a, _), (b, _)| {
        let pa = KIND_ORDER.iter().position(|k| k == a);
        let pb = KIND_ORDER.iter().position(|k| k == b);
        match (pa, pb) {
            (Some(x), Some(y)) => x.cmp(&y),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => a.cmp(b),
        }
    });
    groups
}

/// One arithmetic error of an annual report.
#[derive(Debug, Clone, PartialEq)]
pub struct AnnualError {
    /// Rule id (R1…R5, CELL…).
    pub rule: String,
    /// Message.
    pub message: String,
}

/// A lenient reading of `SiteReport.annual_report` (a JSON value another check fills):
/// missing or mistyped fields become None/empty instead of failing the report.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct AnnualView {
    /// The report year.
    pub year: Option<i64>,
    /// on_time | late | missing | not_due | unknown (or whatever the check wrote).
    pub status: Option<String>,
    /// Where it was found.
    pub url: Option<String>,
    /// Its title.
    pub title: Option<String>,
    /// Publish date.
    pub published: Option<String>,
    /// Deadline.
    pub deadline: Option<String>,
    /// Required headings not found.
    pub sections_missing: Vec<String>,
    /// Arithmetic errors.
    pub arithmetic_errors: Vec<AnnualError>,
}

impl AnnualView {
    /// Reads the value; None for null or anything that is not an object.
    pub fn from_value(v: Option<&Value>) -> Option<AnnualView> {
        let obj = v?.as_object()?;
        let text = |k: &str| -> Option<String> {
            match obj.get(k)? {
                Value::String(s) => Some(s.clone()),
                Value::Number(n) => Some(n.to_string()),
                _ => None,
            }
        };
        let sections_missing = obj
            .get("sections_missing")
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .map(|x| x.as_str().map_or_else(|| x.to_string(), str::to_string))
                    .collect()
            })
            .unwrap_or_default();
        let arithmetic_errors = obj
            .get("arithmetic_errors")
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .map(|e| AnnualError {
                        rule: e
                            .get("rule")
                            .and_then(Value::as_str)
                            .unwrap_or("")
                            .to_string(),
                        message: e
                            .get("message")
                            .and_then(Value::as_str)
                            .map_or_else(|| e.to_string(), str::to_string),
                    })
                    .collect()
            })
            .unwrap_or_default();
        Some(AnnualView {
            year: obj.get("year").and_then(Value::as_i64),
            status: text("status"),
            url: text("url"),
            title: text("title"),
            published: text("published"),
            deadline: text("deadline"),
            sections_missing,
            arithmetic_errors,
        })
    }

    /// The status in Chinese, "—" when absent.
    pub fn status_label(&self) -> String {
        self.status
            .as_deref()
            .map_or("—".to_string(), |s| annual_status_zh(s).to_string())
    }

    /// One line for tables: "年报年度 状态，问题…".
    pub fn problems_text(&self) -> String {
        let mut parts = Vec::new();
        if !self.sections_missing.is_empty() {
            parts.push(format!("缺少章节：{}", self.sections_missing.join("、")));
        }
        for e in &self.arithmetic_errors {
            if e.rule.is_empty() {
                parts.push(e.message.clone());
            } else {
                parts.push(format!("{} {}", e.rule, e.message));
            }
        }
        parts.join("；")
    }
}

pub use crate::textwidth::display_width;

/// Shortens `s` to at most `max` display columns, ending with "…" when cut.
pub fn truncate_width(s: &str, max: usize) -> String {
    if display_width(s) <= max {
        return s.to_string();
    }
    let mut out = String::new();
    let mut w = 0;
    for c in s.chars() {
        let cw = crate::textwidth::char_width(c);
        if w + cw + 1 > max {
            break;
        }
        out.push(c);
        w += cw;
    }
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_http_and_https_urls_become_links() {
        assert!(is_http("http://a.gov.cn/x"));
        assert!(is_http("HTTPS://a.gov.cn/"));
        assert!(!is_http("javascript:alert(1)"));
        assert!(!is_http("data:text/html,<script>"));
        assert!(!is_http(
            "http://a.gov.cn/\"onmouseover=x".replace('"', " ").as_str()
        ));
        assert!(!is_http("//a.gov.cn/"));
    }

    #[test]
    fn cjk_counts_double_for_column_widths() {
        assert_eq!(display_width("abc"), 3);
        assert_eq!(display_width("孟津区"), 6);
        assert_eq!(display_width("（一）"), 6);
        assert_eq!(truncate_width("孟津区人民政府办公室", 9), "孟津区人…");
        assert_eq!(truncate_width("孟津区", 6), "孟津区");
    }

    #[test]
    fn unknown_kinds_keep_their_name_and_sort_after_known_ones() {
        assert_eq!(kind_zh("backdated"), "疑似倒签");
        assert_eq!(kind_zh("mystery"), "mystery");
        let f = |kind: &str| Finding {
            rule: "r".into(),
            kind: kind.into(),
            severity: "deduct".into(),
            points: -1.0,
            message: String::new(),
            column: None,
            evidence: vec![],
        };
        let list = vec![f("mystery"), f("cadence"), f("stale"), f("cadence")];
        let groups = findings_by_kind(&list);
        let kinds: Vec<(&str, usize)> = groups.iter().map(|(k, v)| (*k, v.len())).collect();
        assert_eq!(kinds, vec![("stale", 1), ("cadence", 2), ("mystery", 1)]);
    }

    #[test]
    fn annual_view_tolerates_missing_and_mistyped_fields() {
        assert_eq!(AnnualView::from_value(None), None);
        assert_eq!(AnnualView::from_value(Some(&Value::Null)), None);
        let v: Value = serde_json::json!({"year": 2022, "status": "late",
            "sections_missing": ["（六）"], "arithmetic_errors": [{"rule": "R1", "message": "合计不符"}, 3]});
        let a = AnnualView::from_value(Some(&v)).unwrap();
        assert_eq!(a.year, Some(2022));
        assert_eq!(a.status_label(), "逾期发布");
        assert_eq!(a.url, None);
        assert_eq!(a.arithmetic_errors.len(), 2);
        assert_eq!(a.problems_text(), "缺少章节：（六）；R1 合计不符；3");
    }
}

/// The report's generation time for people: `2026-11-27 07:03`, in China Standard Time
/// (UTC+8, the zone of every report reader); the raw value when it does not parse.
pub fn generated_at_text(rfc3339: &str) -> String {
    match chrono::DateTime::parse_from_rfc3339(rfc3339) {
        Ok(t) => t
            .with_timezone(&chrono_tz::Asia::Shanghai)
            .format("%Y-%m-%d %H:%M")
            .to_string(),
        Err(_) => rfc3339.to_string(),
    }
}

#[cfg(test)]
mod generated_at_tests {
    use super::generated_at_text;

    #[test]
    fn generation_time_is_shown_in_china_standard_time() {
        assert_eq!(
            generated_at_text("2026-11-26T23:03:08.978423018+00:00"),
            "2026-11-27 07:03"
        );
        assert_eq!(generated_at_text("not a time"), "not a time");
    }
}
