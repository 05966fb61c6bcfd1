//! Scoring: applies each rule's caps to the raw findings, totals deductions and bonus,
//! applies vetoes and grade bands, and ranks the sites. Pure: the same snapshot and rules
//! always give the same scorecards.

use crate::config::{RuleSet, Severity};
use crate::report::model::{Finding, SiteReport, VetoOut};
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

fn score_site(a: &SiteAssessment<'_>, rules: &RuleSet) -> SiteReport {
    let site = a.site;
    let mut per_rule: HashMap<usize, f64> = HashMap::new();
    let mut per_rule_col: HashMap<(usize, String), f64> = HashMap::new();
    let mut per_category: HashMap<&str, f64> = HashMap::new();
    let mut deducted = 0.0;
    let mut vetoes = Vec::new();
    let mut findings = Vec::new();
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
        if matches!(severity, Severity::Deduct | Severity::Bonus) {
            let mut allowed = rule.points;
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
        findings.push(Finding {
            rule: rule.id.clone(),
            kind: f.kind.to_string(),
            severity: severity.as_str().to_string(),
            points: round2(points),
            message: f.message.clone(),
            column: f.column.as_ref().map(|(_, name)| name.clone()),
            evidence: f.evidence.clone(),
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
    let grade = score.map(|s| grade_for(s, !vetoes.is_empty(), rules));
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
        score_change: None,
        vetoes,
        columns: a.columns.clone(),
        annual_report: None,
        findings,
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

/// Ranks assessable sites: non-vetoed before vetoed, then by score descending; equal
/// scores share a rank (1, 2, 2, 4). Sites are reordered: ranked first, then the others in
/// their original order.
fn rank(reports: &mut [SiteReport]) {
    reports.sort_by(|a, b| {
        let key = |r: &SiteReport| (r.score.is_none(), !r.vetoes.is_empty());
        key(a).cmp(&key(b)).then_with(|| {
            b.score
                .unwrap_or(f64::MIN)
                .total_cmp(&a.score.unwrap_or(f64::MIN))
        })
    });
    let mut prev: Option<(bool, f64, u32)> = None;
    for (i, r) in reports.iter_mut().enumerate() {
        let Some(score) = r.score else { continue };
        let vetoed = !r.vetoes.is_empty();
        let rank = match prev {
            Some((pv, ps, pr)) if pv == vetoed && ps == score => pr,
            _ => i as u32 + 1,
        };
        r.rank = Some(rank);
        prev = Some((vetoed, score, rank));
    }
}
