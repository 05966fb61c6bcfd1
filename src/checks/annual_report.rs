//! The annual report check: was the 政府信息公开工作年度报告 for the year before `as_of`
//! published on the site, on time (条例 第四十九条: 部门 by 1月31日, 本级政府 by 3月31日;
//! deadlines from `RuleSet.annual_deadlines`), complete (the six headings of its national
//! form, 国办公开办函〔2019〕60号 or 〔2021〕30号) and adding up (R1–R4, CELL)? Also renders
//! the `annual_report` object of report.json (CONTRACT §3), `form` included.
//!
//! Must not: fetch or parse reports (`crawl::annual` did that and stored an
//! `AnnualObservation`), or decide what a problem costs (`rules` does). Pure over the
//! snapshot and `as_of`.

use crate::config::RuleSet;
use crate::crawl::annual::{FoundReport, ProblemRecord};
use crate::model::Role;
use crate::store::SiteSnap;
use chrono::{Datelike, NaiveDate};
use serde_json::json;

/// The CONTRACT §3 status of a site's annual report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AnnualStatus {
    /// Found, published on or before the deadline.
    OnTime,
    /// Found, published after the deadline.
    Late,
    /// Not found and the deadline has passed.
    Missing,
    /// Not found and the deadline has not passed.
    NotDue,
    /// The site (or its 年报 column) could not be assessed.
    Unknown,
}

impl AnnualStatus {
    /// The report.json spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            AnnualStatus::OnTime => "on_time",
            AnnualStatus::Late => "late",
            AnnualStatus::Missing => "missing",
            AnnualStatus::NotDue => "not_due",
            AnnualStatus::Unknown => "unknown",
        }
    }
}

/// The measured state of one site's annual report.
#[derive(Debug, Clone, PartialEq)]
pub struct AnnualState<'a> {
    /// The reported year (as_of's year − 1).
    pub year: i32,
    /// The publication deadline for the site's role.
    pub deadline: Option<NaiveDate>,
    /// The status.
    pub status: AnnualStatus,
    /// Days after the deadline it was published (late only).
    pub days_late: Option<i64>,
    /// The report, when found.
    pub report: Option<&'a FoundReport>,
    /// Why the status is unknown, or why the report needs a person to look at it.
    pub note: Option<String>,
}

impl AnnualState<'_> {
    /// The problems that count as arithmetic errors (R1–R4 and CELL errors); none when the
    /// report needs manual review (an unreadable or image-only body is not judged).
    pub fn arithmetic_errors(&self) -> Vec<&ProblemRecord> {
        self.report
            .filter(|r| r.manual_review.is_none())
            .map(|r| {
                r.problems
                    .iter()
                    .filter(|p| p.severity == "error")
                    .filter(|p| matches!(p.rule.as_str(), "R1" | "R2" | "R3" | "R4" | "CELL"))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Required headings missing; none when the report needs manual review.
    pub fn sections_missing(&self) -> &[String] {
        match self.report {
            Some(r) if r.manual_review.is_none() => &r.sections_missing,
            _ => &[],
        }
    }
}

/// The deadline for a role: (month, day) from the rules, in as_of's year.
pub fn deadline(rules: &RuleSet, role: Role, as_of: NaiveDate) -> Option<NaiveDate> {
    let (m, d) = rules.annual_deadlines.get(&role).copied().or(match role {
        Role::Portal => Some((3, 31)),
        Role::Department | Role::Town => Some((1, 31)),
    })?;
    NaiveDate::from_ymd_opt(as_of.year(), m, d)
}

fn fmt(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// Measures one site's annual report as of `as_of`.
pub fn assess<'a>(site: &'a SiteSnap, rules: &RuleSet, as_of: NaiveDate) -> AnnualState<'a> {
    let year = as_of.year() - 1;
    let deadline = deadline(rules, site.role, as_of);
    let unknown = |note: String| AnnualState {
        year,
        deadline,
        status: AnnualStatus::Unknown,
        days_late: None,
        report: None,
        note: Some(note),
    };
    if !site.status.assessable() {
        return unknown(format!(
            "网站无法检测（{}），年报情况需人工核查",
            site.status_reason
                .as_deref()
                .unwrap_or(site.status.label_zh())
        ));
    }
    let Some(obs) = site.annual.as_ref().filter(|o| o.year == year) else {
        return unknown("本次检测未读取年报".to_string());
    };
    // A report dated after as_of was not yet published "as of" that day (CONTRACT §3).
    let visible = obs
        .report
        .as_ref()
        .filter(|r| r.published.is_none_or(|p| p <= as_of));
    match visible {
        Some(report) => {
            let (status, days_late, mut note) = match (report.published, deadline) {
                (Some(p), Some(dl)) if p > dl => {
                    (AnnualStatus::Late, Some((p - dl).num_days()), None)
                }
                (Some(_), _) => (AnnualStatus::OnTime, None, None),
                (None, Some(dl)) if as_of > dl => (
                    AnnualStatus::OnTime,
                    None,
                    Some("年报未注明发布日期，是否按时发布需人工核实".to_string()),
                ),
                (None, _) => (AnnualStatus::OnTime, None, None),
            };
            if let Some(m) = &report.manual_review {
                note = Some(m.clone());
            }
            AnnualState {
                year,
                deadline,
                status,
                days_late,
                report: Some(report),
                note,
            }
        }
        None => {
            // Not found is proof only when every 年报 column of the site was read.
            if let Some(col) = site
                .columns
                .iter()
                .find(|c| c.class == crate::model::ColumnClass::AnnualReport && !c.assessable)
            {
                return unknown(format!(
                    "{}栏目无法读取（{}），年报情况需人工核查",
                    col.name,
                    col.reason.as_deref().unwrap_or("原因不明")
                ));
            }
            let status = match deadline {
                Some(dl) if as_of > dl => AnnualStatus::Missing,
                _ => AnnualStatus::NotDue,
            };
            AnnualState {
                year,
                deadline,
                status,
                days_late: None,
                report: None,
                note: None,
            }
        }
    }
}

/// The `annual_report` object of report.json (CONTRACT §3) plus extensions: `days_late`,
/// `problems` (every parser problem, warnings such as R5 included), `format`, `attachment`,
/// `manual_review` (why a person must look), `column`.
pub fn to_json(state: &AnnualState<'_>) -> serde_json::Value {
    let r = state.report;
    json!({
        "year": state.year,
        "status": state.status.as_str(),
        "url": r.map(|r| r.url.clone()),
        "title": r.map(|r| r.title.clone()),
        "published": r.and_then(|r| r.published).map(fmt),
        "deadline": state.deadline.map(fmt),
        "form": r.and_then(|r| r.form.clone()),
        "sections_missing": state.sections_missing(),
        "arithmetic_errors": state
            .arithmetic_errors()
            .iter()
            .map(|p| json!({"rule": p.rule, "message": p.message}))
            .collect::<Vec<_>>(),
        "days_late": state.days_late,
        "problems": r.map(|r| r.problems.clone()).unwrap_or_default(),
        "format": r.and_then(|r| r.format.clone()),
        "attachment": r.and_then(|r| r.attachment.clone()),
        "column": r.and_then(|r| r.column.clone()),
        "manual_review": state.note.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::RuleSet;
    use crate::crawl::annual::AnnualObservation;
    use crate::model::{ColumnClass, SiteStatus};
    use crate::store::ColumnSnap;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn rules() -> RuleSet {
        crate::config::builtin_rules()
    }

    fn report(published: &str) -> FoundReport {
        FoundReport {
            form: None,
            url: "http://x/r.html".into(),
            title: "孟津区教育局2022年政府信息公开工作年度报告".into(),
            published: Some(d(published)),
            column: Some("政府信息公开年报".into()),
            attachment: None,
            format: Some("html".into()),
            manual_review: None,
            sections_missing: vec![],
            problems: vec![
                ProblemRecord {
                    rule: "R1".into(),
                    severity: "error".into(),
                    table: Some("表三".into()),
                    row: None,
                    column: Some("自然人".into()),
                    message: "表三 自然人列：…".into(),
                },
                ProblemRecord {
                    rule: "R5".into(),
                    severity: "warning".into(),
                    table: Some("表三".into()),
                    row: None,
                    column: None,
                    message: "衔接不一致".into(),
                },
            ],
            last_year_url: None,
        }
    }

    fn site(role: Role, found: Option<FoundReport>) -> SiteSnap {
        SiteSnap {
            id: "s".into(),
            name: "孟津区教育局".into(),
            role,
            url: "http://x/".into(),
            status: SiteStatus::Ok,
            status_reason: None,
            home: Default::default(),
            columns: vec![ColumnSnap {
                id: 1,
                name: "政府信息公开年报".into(),
                class: ColumnClass::AnnualReport,
                url: "http://x/nb/".into(),
                assessable: true,
                reason: None,
                seen_back_to: None,
                items: vec![],
                history: vec![],
            }],
            pages: vec![],
            probes: vec![],
            content: Default::default(),
            links: vec![],
            annual: Some(AnnualObservation {
                year: 2022,
                report: found,
            }),
        }
    }

    #[test]
    fn department_report_on_the_deadline_is_on_time_and_a_day_after_is_late() {
        let r = rules();
        let s = site(Role::Department, Some(report("2023-01-31")));
        let st = assess(&s, &r, d("2023-02-15"));
        assert_eq!(st.status, AnnualStatus::OnTime);
        assert_eq!(st.deadline, Some(d("2023-01-31")));
        let s = site(Role::Department, Some(report("2023-02-07")));
        let st = assess(&s, &r, d("2023-02-15"));
        assert_eq!(st.status, AnnualStatus::Late);
        assert_eq!(st.days_late, Some(7));
    }

    #[test]
    fn not_found_is_not_due_before_the_deadline_and_missing_after() {
        let r = rules();
        let portal = site(Role::Portal, None);
        assert_eq!(
            assess(&portal, &r, d("2023-03-31")).status,
            AnnualStatus::NotDue
        );
        assert_eq!(
            assess(&portal, &r, d("2023-04-01")).status,
            AnnualStatus::Missing
        );
        let town = site(Role::Town, None);
        assert_eq!(
            assess(&town, &r, d("2023-02-01")).status,
            AnnualStatus::Missing
        );
    }

    #[test]
    fn a_portal_report_published_before_march_31_is_on_time_before_the_deadline() {
        let r = rules();
        let portal = site(Role::Portal, Some(report("2023-03-10")));
        let st = assess(&portal, &r, d("2023-03-15"));
        assert_eq!(st.status, AnnualStatus::OnTime);
        assert_eq!(st.deadline, Some(d("2023-03-31")));
    }

    #[test]
    fn blocked_site_or_unreadable_annual_column_is_unknown() {
        let r = rules();
        let mut s = site(Role::Department, None);
        s.status = SiteStatus::Blocked;
        s.annual = None;
        let st = assess(&s, &r, d("2023-02-15"));
        assert_eq!(st.status, AnnualStatus::Unknown);
        assert!(st.arithmetic_errors().is_empty());
        let mut s = site(Role::Department, None);
        s.columns[0].assessable = false;
        s.columns[0].reason = Some("栏目页HTTP 404".into());
        assert_eq!(
            assess(&s, &r, d("2023-02-15")).status,
            AnnualStatus::Unknown
        );
    }

    #[test]
    fn arithmetic_errors_are_r1_to_r4_and_cell_errors_not_warnings_nor_manual_review_reports() {
        let r = rules();
        let s = site(Role::Department, Some(report("2023-01-20")));
        let st = assess(&s, &r, d("2023-02-15"));
        let rules: Vec<&str> = st
            .arithmetic_errors()
            .iter()
            .map(|p| p.rule.as_str())
            .collect();
        assert_eq!(rules, ["R1"]);
        let j = to_json(&st);
        assert_eq!(j["status"], "on_time");
        assert_eq!(j["published"], "2023-01-20");
        assert_eq!(j["deadline"], "2023-01-31");
        assert_eq!(j["arithmetic_errors"][0]["rule"], "R1");
        assert_eq!(j["problems"].as_array().map(Vec::len), Some(2));

        let mut img = report("2023-01-20");
        img.manual_review = Some("图片版".into());
        img.sections_missing = vec!["一、总体情况".into()];
        let s = site(Role::Department, Some(img));
        let st = assess(&s, &r, d("2023-02-15"));
        assert!(st.arithmetic_errors().is_empty());
        assert!(st.sections_missing().is_empty());
        assert_eq!(to_json(&st)["manual_review"], "图片版");
    }

    #[test]
    fn a_report_dated_after_as_of_is_ignored_like_any_later_item() {
        let r = rules();
        let s = site(Role::Department, Some(report("2023-03-01")));
        let st = assess(&s, &r, d("2023-02-15"));
        assert_eq!(st.status, AnnualStatus::Missing);
        assert!(st.report.is_none());
    }
}
