//! Scoring: applies each rule's caps to the raw findings, totals deductions and bonus,
//! applies vetoes and grade bands, and ranks the sites. Pure: the same snapshot and rules
//! always give the same scorecards.

use crate::config::{RuleSet, Severity};
use crate::report::model::{Evidence, Finding, GradeBandOut, SiteReport, VetoOut};
use crate::rules::SiteAssessment;
use std::collections::HashMap;

/// Full marks of the deduction part.
pub const FULL_MARKS: f64 = 100.0;

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// Turns assessments into site reports with score, grade and rank. Sites that are not
/// assessable get null score, grade and rank and no findings.
pub fn compute(assessments: &[SiteAssessment<'_>], rules: &RuleSet) -> Vec<SiteReport> {
    let mut reports: Vec<SiteReport> = assessments.iter().map(|a| score_site(a, rules)).collect();
    rank(&mut reports);
    reports
}

/// Points below this are a cap's rounding rest, not a deduction.
const EPSILON: f64 = 0.005;

fn score_site(a: &SiteAssessment<'_>, rules: &RuleSet) -> SiteReport {
    let site = a.site;
    let mut per_rule: HashMap<usize, f64> = HashMap::new();
    let mut per_rule_col: HashMap<(usize, String), f64> = HashMap::new();
    let mut per_category: HashMap<&str, f64> = HashMap::new();
    let mut deducted = 0.0;
    let mut vetoes = Vec::new();
    let mut findings: Vec<Finding> = Vec::new();
    // Bonus findings wait until the deduction score is known (bonus counts only above
    // `bonus.above`, and at most `bonus.cap` in all).
    let mut bonus_pending: Vec<(usize, f64)> = Vec::new();
    for f in &a.findings {
        let rule = &rules.rules[f.rule];
        // A result that could not be judged is information only (需人工核查).
        let severity = if f.kind == crate::rules::MANUAL_REVIEW_KIND {
            Severity::Info
        } else {
            rule.severity
        };
        let mut points = 0.0;
        let wanted = f.cost.unwrap_or(rule.points);
        let mut capped = false;
        if matches!(severity, Severity::Deduct | Severity::Bonus) {
            let mut allowed = wanted;
            let used_rule = per_rule.entry(f.rule).or_default();
            if let Some(cap) = rule.cap {
                allowed = allowed.min((cap - *used_rule).max(0.0));
            }
            if let (Some(cap), Some((key, _))) = (rule.cap_per_column, &f.column) {
                let used_col = per_rule_col.entry((f.rule, key.clone())).or_default();
                allowed = allowed.min((cap - *used_col).max(0.0));
                *used_col += allowed;
            }
            if severity == Severity::Deduct
                && let Some(cat) = rule.category.as_deref()
                && let Some(cap) = rules.category_caps.get(cat)
            {
                let used_cat = per_category.entry(cat).or_default();
                allowed = allowed.min((cap - *used_cat).max(0.0));
                *used_cat += allowed;
            }
            *used_rule += allowed;
            capped = allowed < wanted - EPSILON;
            if severity == Severity::Deduct {
                deducted += allowed;
                points = -allowed;
            } else {
                bonus_pending.push((findings.len(), allowed));
            }
        }
        if severity == Severity::Veto {
            vetoes.push(VetoOut {
                rule: rule.id.clone(),
                message: f.message.clone(),
            });
        }
        let column = f.column.as_ref().map(|(_, name)| name.clone());
        if rule.severity == Severity::Deduct && capped && points.abs() < EPSILON {
            // Past a cap the occurrence costs nothing: it is named in the evidence of the
            // rule's last charged finding ("已达扣分上限"), never shown as a 0-point deduction.
            let note = cap_note(
                f,
                f.evidence.first().and_then(|e| e.date.clone()),
                "已达扣分上限，不再扣分".to_string(),
            );
            let charged = |x: &Finding| x.rule == rule.id && x.points < 0.0;
            let host = findings
                .iter()
                .rposition(|x| charged(x) && x.column == column)
                .or_else(|| findings.iter().rposition(charged));
            if let Some(i) = host {
                findings[i].evidence.push(note);
                continue;
            }
            findings.push(Finding {
                rule: rule.id.clone(),
                kind: f.kind.to_string(),
                severity: Severity::Info.as_str().to_string(),
                points: 0.0,
                message: format!("{}（已达扣分上限，不再扣分）", f.message),
                column,
                evidence: f.evidence.clone(),
            });
            continue;
        }
        let mut evidence = f.evidence.clone();
        if capped && rule.severity == Severity::Deduct {
            evidence.push(cap_note(
                f,
                None,
                format!(
                    "已达扣分上限：本条应扣{}分，按{}分计",
                    round2(wanted),
                    round2(-points)
                ),
            ));
        }
        findings.push(Finding {
            rule: rule.id.clone(),
            kind: f.kind.to_string(),
            severity: severity.as_str().to_string(),
            points: round2(points),
            message: f.message.clone(),
            column,
            evidence,
        });
    }
    let base = (FULL_MARKS - deducted).max(0.0);
    let mut bonus = 0.0;
    if base > rules.bonus.above {
        for (i, wanted) in bonus_pending {
            let granted = wanted.min((rules.bonus.cap - bonus).max(0.0));
            bonus += granted;
            findings[i].points = round2(granted);
        }
    }
    let assessable = site.status.assessable();
    let score = assessable.then(|| round2(base + bonus));
    let vetoed = !vetoes.is_empty();
    // An unreachable site has no score; the availability veto still grades it in the failing
    // band (CONTRACT §3), and it counts in 合格率.
    let grade = match score {
        Some(s) => Some(grade_for(s, vetoed, rules)),
        None if vetoed => Some(grade_for(0.0, true, rules)),
        None => None,
    };
    SiteReport {
        id: site.id.clone(),
        name: site.name.clone(),
        role: site.role.as_str().to_string(),
        url: site.url.clone(),
        status: site.status.as_str().to_string(),
        status_reason: site.status_reason.clone(),
        score,
        grade,
        rank: None,
        rank_in_role: None,
        score_change: None,
        vetoes,
        columns: a.columns.clone(),
        annual_report: None,
        findings,
        content: crate::checks::content::summary(a.site),
    }
}

/// The evidence line that names a finding charged less than it costs because a cap was
/// reached ("已达扣分上限").
fn cap_note(f: &crate::rules::RawFinding, date: Option<String>, excerpt: String) -> Evidence {
    Evidence {
        url: f
            .evidence
            .first()
            .map(|e| e.url.clone())
            .unwrap_or_default(),
        title: f.message.clone(),
        date,
        excerpt: Some(excerpt),
    }
}

/// The grade band of a score; a vetoed site gets the lowest band (不合格) whatever its score.
pub fn grade_for(score: f64, vetoed: bool, rules: &RuleSet) -> String {
    let lowest = rules
        .grades
        .last()
        .map(|g| g.name.clone())
        .unwrap_or_else(|| "不合格".to_string());
    if vetoed {
        return lowest;
    }
    rules
        .grades
        .iter()
        .find(|g| score >= g.min)
        .map(|g| g.name.clone())
        .unwrap_or(lowest)
}

/// The configured grade bands, for the reports (合格率 counts every band but the lowest).
pub fn grade_bands(rules: &RuleSet) -> Vec<GradeBandOut> {
    rules
        .grades
        .iter()
        .map(|g| GradeBandOut {
            name: g.name.clone(),
            min: g.min,
        })
        .collect()
}

/// Ranks the scored sites, overall (`rank`) and within their role (`rank_in_role`).
///
/// Order: sites without a veto before vetoed ones, then by score, highest first. Equal
/// scores (and the same veto state) share a rank, 并列 (1, 2, 2, 4). Tied sites are listed
/// by fewer 预警 (warnings) first, then in the order of the configuration (the district's
/// own list of units). Sites without a score (无法检测, or unreachable) are not ranked and
/// follow in their original order.
pub fn rank(reports: &mut [SiteReport]) {
    let warnings = |r: &SiteReport| r.findings.iter().filter(|f| f.severity == "warn").count();
    // A stable sort keeps the configuration order among full ties.
    reports.sort_by(|a, b| {
        let key = |r: &SiteReport| (r.score.is_none(), !r.vetoes.is_empty());
        key(a)
            .cmp(&key(b))
            .then_with(|| {
                b.score
                    .unwrap_or(f64::MIN)
                    .total_cmp(&a.score.unwrap_or(f64::MIN))
            })
            .then_with(|| warnings(a).cmp(&warnings(b)))
    });
    let ranks = ranks_of(reports.iter());
    for (r, k) in reports.iter_mut().zip(ranks) {
        r.rank = k;
    }
    let roles: Vec<String> = reports.iter().map(|r| r.role.clone()).collect();
    for role in &roles {
        let idx: Vec<usize> = (0..reports.len())
            .filter(|i| &reports[*i].role == role)
            .collect();
        let ranks = ranks_of(idx.iter().map(|i| &reports[*i]));
        for (i, k) in idx.into_iter().zip(ranks) {
            reports[i].rank_in_role = k;
        }
    }
}

/// Competition ranks (1, 2, 2, 4) of already ordered sites; None for unscored ones.
fn ranks_of<'a>(sites: impl Iterator<Item = &'a SiteReport>) -> Vec<Option<u32>> {
    let mut prev: Option<(bool, f64, u32)> = None;
    sites
        .enumerate()
        .map(|(i, r)| {
            let score = r.score?;
            let vetoed = !r.vetoes.is_empty();
            let rank = match prev {
                Some((pv, ps, pr)) if pv == vetoed && ps == score => pr,
                _ => i as u32 + 1,
            };
            prev = Some((vetoed, score, rank));
            Some(rank)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(id: &str, role: &str, score: Option<f64>, warnings: usize, vetoed: bool) -> SiteReport {
        let warn = Finding {
            rule: "w".into(),
            kind: "stale".into(),
            severity: "warn".into(),
            points: 0.0,
            message: String::new(),
            column: None,
            evidence: vec![],
        };
        SiteReport {
            id: id.into(),
            name: id.into(),
            role: role.into(),
            url: String::new(),
            status: "ok".into(),
            status_reason: None,
            score,
            grade: score.map(|_| "优秀".to_string()),
            rank: None,
            rank_in_role: None,
            score_change: None,
            vetoes: if vetoed {
                vec![VetoOut {
                    rule: "v".into(),
                    message: String::new(),
                }]
            } else {
                vec![]
            },
            columns: vec![],
            annual_report: None,
            findings: vec![warn; warnings],
            content: None,
        }
    }

    #[test]
    fn ties_share_a_rank_are_ordered_by_fewer_warnings_then_config_order_and_ranked_per_role() {
        let mut v = vec![
            site("d1", "department", Some(100.0), 2, false),
            site("t1", "town", Some(100.0), 0, false),
            site("blocked", "department", None, 0, false),
            site("d2", "department", Some(100.0), 0, false),
            site("d3", "department", Some(95.0), 0, false),
            site("vetoed", "town", Some(99.0), 0, true),
            site("t2", "town", Some(90.0), 0, false),
        ];
        rank(&mut v);
        let got: Vec<(&str, Option<u32>, Option<u32>)> = v
            .iter()
            .map(|s| (s.id.as_str(), s.rank, s.rank_in_role))
            .collect();
        assert_eq!(
            got,
            vec![
                // Three tied at 100: one rank, fewer warnings first, then config order.
                ("t1", Some(1), Some(1)),
                ("d2", Some(1), Some(1)),
                ("d1", Some(1), Some(1)),
                ("d3", Some(4), Some(3)),
                ("t2", Some(5), Some(2)),
                // A vetoed site follows every unvetoed one whatever its score.
                ("vetoed", Some(6), Some(3)),
                // Not scored: not ranked.
                ("blocked", None, None),
            ]
        );
    }
}
