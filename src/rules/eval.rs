//! Rule evaluation over a run snapshot.

use super::holidays::week_exemption;
use crate::checks::cadence::{self, Window};
use crate::checks::freshness::{self, days_since_update, is_stale};
use crate::checks::metadata::{self, MetaProblem};
use crate::checks::{Period, last_update, newest_item};
use crate::checks::{blank, undated};
use crate::config::{CadenceUnit, CheckSpec, Rule, RuleSet, Severity};
use crate::model::ColumnClass;
use crate::report::model::{ColumnReport, Evidence, WeekOut};
use crate::store::{ColumnSnap, ItemSnap, RunInfo, SiteSnap, Snapshot};
use chrono::{Datelike, NaiveDate};

/// A finding before caps: what one occurrence of a rule costs.
#[derive(Debug, Clone, PartialEq)]
pub struct RawFinding {
    /// Index of the rule in the rule set.
    pub rule: usize,
    /// Finding kind (CONTRACT §3).
    pub kind: &'static str,
    /// The column concerned (its URL is the key for per-column caps).
    pub column: Option<(String, String)>,
    /// Chinese message.
    pub message: String,
    /// Evidence.
    pub evidence: Vec<Evidence>,
    /// What this occurrence costs before caps, when it is not the rule's `points` (a cadence
    /// rule's `weight` ÷ windows judged; an annual report's weeks late × `points`).
    pub cost: Option<f64>,
}

/// The measured columns and raw findings of one site.
#[derive(Debug, Clone)]
pub struct SiteAssessment<'a> {
    /// The site.
    pub site: &'a SiteSnap,
    /// Column measurements for the report.
    pub columns: Vec<ColumnReport>,
    /// Findings before caps, in rule order then occurrence order.
    pub findings: Vec<RawFinding>,
}

fn fmt_date(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

fn item_evidence(i: &ItemSnap) -> Evidence {
    Evidence {
        url: i.url.clone(),
        title: i.title.clone(),
        date: i.published.map(fmt_date),
        excerpt: None,
    }
}

fn column_evidence(col: &ColumnSnap, note: String) -> Evidence {
    Evidence {
        url: col.url.clone(),
        title: col.name.clone(),
        date: None,
        excerpt: Some(note),
    }
}

/// Evaluates every rule over every assessable site. Sites that are blocked or unreachable
/// get their columns listed and no findings: nothing is judged that was not seen.
pub fn assess<'a>(snap: &'a Snapshot, rules: &RuleSet) -> Vec<SiteAssessment<'a>> {
    snap.sites
        .iter()
        .map(|site| assess_one(&snap.run, site, rules))
        .collect()
}

/// [`assess`] for one site of `run` (a run scored site by site, never held whole).
pub fn assess_one<'a>(run: &RunInfo, site: &'a SiteSnap, rules: &RuleSet) -> SiteAssessment<'a> {
    let period = Period {
        start: run.period_start,
        end: run.as_of,
    };
    assess_site(site, rules, period)
}

/// The weekly cadence rule that fills `required`/`met` for a column: the first weekly
/// cadence rule applying to the site's role and the column's class.
fn weekly_rule<'r>(rules: &'r RuleSet, site: &SiteSnap, class: ColumnClass) -> Option<&'r Rule> {
    rules.rules.iter().find(|r| {
        matches!(
            r.check,
            CheckSpec::Cadence {
                per: CadenceUnit::Week,
                ..
            }
        ) && r.applies_to_role(site.role)
            && r.applies_to_class(class)
            && r.severity != Severity::Info
    })
}

fn is_exempt(rules: &RuleSet, week_start: NaiveDate) -> bool {
    week_exemption(rules, week_start).is_some()
}

fn assess_site<'a>(site: &'a SiteSnap, rules: &RuleSet, period: Period) -> SiteAssessment<'a> {
    let as_of = period.end;
    let columns = site
        .columns
        .iter()
        .map(|col| {
            let min = weekly_rule(rules, site, col.class).and_then(|r| match r.check {
                CheckSpec::Cadence { min, .. } => Some(min),
                _ => None,
            });
            let weekly = if col.assessable {
                cadence::weekly(col, period)
                    .into_iter()
                    .map(|w| {
                        let exempt_reason = week_exemption(rules, w.start);
                        let exempt = exempt_reason.is_some();
                        let count = w.items.len() as u32;
                        WeekOut {
                            week_start: fmt_date(w.start),
                            count,
                            required: min,
                            met: if exempt {
                                None
                            } else {
                                min.map(|m| count >= m)
                            },
                            exempt,
                            exempt_reason,
                        }
                    })
                    .collect()
            } else {
                Vec::new()
            };
            ColumnReport {
                name: col.name.clone(),
                class: col.class.as_str().to_string(),
                url: Some(col.url.clone()),
                found: true,
                assessable: col.assessable,
                reason: col.reason.clone(),
                items_total: col.items.len() as u32,
                last_update: last_update(col, as_of).map(fmt_date),
                weekly,
                matched_name: site
                    .home
                    .matched_names
                    .iter()
                    .find(|(url, _)| *url == col.url)
                    .map(|(_, n)| n.clone()),
            }
        })
        .collect::<Vec<ColumnReport>>();
    let mut columns = columns;
    if site.status.assessable() {
        columns.extend(not_found_columns(rules, site));
    }

    let mut findings = Vec::new();
    // An unreachable site is judged by the availability rule alone (CONTRACT §3); a
    // blocked one by nothing.
    let availability_only = site.status == crate::model::SiteStatus::Unreachable;
    if site.status.assessable() || availability_only {
        for (idx, rule) in rules.rules.iter().enumerate() {
            if availability_only && !matches!(rule.check, CheckSpec::Availability { .. }) {
                continue;
            }
            if rule.applies_to_role(site.role) {
                eval_rule(idx, rule, rules, site, period, &mut findings);
            }
        }
    }
    SiteAssessment {
        site,
        columns,
        findings: one_finding_per_fact(findings, rules),
    }
}

/// One fact, one finding: a warning whose fact (same check, same column or the whole site)
/// also has a veto or a deduction is dropped — the stronger outcome stands alone (e.g. a
/// 通知公告 column 183 days old is deducted, not also warned at 92 days; a home page 20
/// days old is vetoed, not also warned at 10). Cadence findings are about different weeks
/// and are kept.
fn one_finding_per_fact(findings: Vec<RawFinding>, rules: &RuleSet) -> Vec<RawFinding> {
    let strong = |f: &RawFinding| {
        matches!(
            rules.rules[f.rule].severity,
            Severity::Veto | Severity::Deduct
        )
    };
    // The fact: the check that measured it and the column (None = the whole site).
    let fact = |f: &RawFinding| {
        (
            rules.rules[f.rule].check.name(),
            f.column.as_ref().map(|(url, _)| url.clone()),
        )
    };
    let covered: Vec<_> = findings
        .iter()
        .filter(|f| strong(f) && f.kind != "cadence")
        .map(fact)
        .collect();
    findings
        .iter()
        .filter(|f| {
            rules.rules[f.rule].severity != Severity::Warn
                || f.kind == "cadence"
                || !covered.contains(&fact(f))
        })
        .cloned()
        .collect()
}

/// Columns a column rule looks at: assessable columns of the rule's classes.
fn rule_columns<'s>(rule: &Rule, site: &'s SiteSnap) -> impl Iterator<Item = &'s ColumnSnap> {
    site.columns
        .iter()
        .filter(move |c| c.assessable && rule.applies_to_class(c.class))
}

fn col_key(col: &ColumnSnap) -> Option<(String, String)> {
    Some((col.url.clone(), col.name.clone()))
}

fn eval_rule(
    idx: usize,
    rule: &Rule,
    rules: &RuleSet,
    site: &SiteSnap,
    period: Period,
    out: &mut Vec<RawFinding>,
) {
    let as_of = period.end;
    match &rule.check {
        CheckSpec::Cadence { per, min } => {
            for col in rule_columns(rule, site) {
                let windows: Vec<Window<'_>> = match per {
                    CadenceUnit::Week => cadence::weekly(col, period),
                    CadenceUnit::Month => cadence::monthly(col, period),
                };
                let judged: Vec<Window<'_>> = windows
                    .into_iter()
                    .filter(|w| *per == CadenceUnit::Month || !is_exempt(rules, w.start))
                    .collect();
                // With a `weight`, missing every judged window costs the weight: each
                // missed window costs weight ÷ windows judged, whatever the period's length.
                let cost = rule.weight.map(|w| w / judged.len().max(1) as f64);
                for w in judged {
                    let count = w.items.len() as u32;
                    if count >= *min {
                        continue;
                    }
                    let when = match per {
                        CadenceUnit::Week => format!("{} 当周", fmt_date(w.start)),
                        CadenceUnit::Month => format!("{}", w.start.format("%Y年%m月")),
                    };
                    let mut evidence: Vec<Evidence> =
                        w.items.iter().map(|i| item_evidence(i)).collect();
                    evidence.push(column_evidence(
                        col,
                        format!(
                            "统计区间 {} 至 {}，共{}篇",
                            fmt_date(w.start),
                            fmt_date(w.end),
                            count
                        ),
                    ));
                    out.push(RawFinding {
                        rule: idx,
                        kind: "cadence",
                        column: col_key(col),
                        message: format!(
                            "{}{}更新{}篇，要求不少于{}篇",
                            col.name, when, count, min
                        ),
                        evidence,
                        cost,
                    });
                }
            }
        }
        CheckSpec::Freshness { max_days } => {
            for col in rule_columns(rule, site) {
                // A blank column is judged as blank (one fact, one count), not also stale.
                if blank::is_blank(col) || !is_stale(col, as_of, *max_days) {
                    continue;
                }
                out.push(stale_finding(idx, col, as_of, *max_days));
            }
        }
        CheckSpec::HomepageFreshness { max_days } => {
            if let Some(f) = homepage_finding(idx, rule, site, as_of, *max_days) {
                out.push(f);
            }
        }
        CheckSpec::BlankColumn => {
            for col in rule_columns(rule, site) {
                if blank::is_blank(col) {
                    out.push(RawFinding {
                        rule: idx,
                        kind: "blank_column",
                        column: col_key(col),
                        message: format!("{}栏目为空白栏目，未发布任何信息", col.name),
                        evidence: vec![column_evidence(col, "栏目列表无任何条目".to_string())],
                        cost: None,
                    });
                }
            }
        }
        CheckSpec::StaleColumns { windows, at_least } => {
            // Blank columns count toward the blank-column veto line only, not this one too.
            let mut stale = freshness::stale_columns(site, windows, as_of);
            stale.retain(|(c, _)| !blank::is_blank(c));
            if stale.len() as u32 >= *at_least {
                out.push(RawFinding {
                    rule: idx,
                    kind: "stale",
                    column: None,
                    message: format!("超期未更新栏目{}个，达到{}个的限值", stale.len(), at_least),
                    evidence: stale
                        .iter()
                        .map(|(c, d)| stale_evidence(c, as_of, *d))
                        .collect(),
                    cost: None,
                });
            }
        }
        CheckSpec::BlankColumns { at_least } => {
            let blank = blank::blank_columns(site, |class| rule.applies_to_class(class));
            if blank.len() as u32 >= *at_least {
                out.push(RawFinding {
                    rule: idx,
                    kind: "blank_column",
                    column: None,
                    message: format!("空白栏目{}个，达到{}个的限值", blank.len(), at_least),
                    evidence: blank
                        .iter()
                        .map(|c| column_evidence(c, "空白栏目".to_string()))
                        .collect(),
                    cost: None,
                });
            }
        }
        CheckSpec::Undated => {
            for col in rule_columns(rule, site) {
                let undated = undated::undated_items(col);
                if undated.is_empty() {
                    continue;
                }
                out.push(RawFinding {
                    rule: idx,
                    kind: "undated",
                    column: col_key(col),
                    message: format!(
                        "{}有{}条信息未注明发布日期（未注明发布时间的视为不更新）",
                        col.name,
                        undated.len()
                    ),
                    evidence: undated.iter().map(|i| item_evidence(i)).collect(),
                    cost: None,
                });
            }
        }
        CheckSpec::MidweekQuota { min, weekday } => {
            // On a Sunday the week has ended and the cadence rule judges it: the running
            // week alone is warned, never a week that is also deducted.
            let day = as_of.weekday().number_from_monday();
            if day < *weekday || day == 7 {
                return;
            }
            let monday = cadence::week_start(as_of);
            if is_exempt(rules, monday) {
                return;
            }
            for col in rule_columns(rule, site).filter(|c| c.seen_from(monday)) {
                let items = crate::checks::items_between(col, monday, as_of);
                if (items.len() as u32) < *min {
                    let mut evidence: Vec<Evidence> =
                        items.iter().map(|i| item_evidence(i)).collect();
                    evidence.push(column_evidence(
                        col,
                        format!("本周（{}起）已更新{}篇", fmt_date(monday), items.len()),
                    ));
                    out.push(RawFinding {
                        rule: idx,
                        kind: "cadence",
                        column: col_key(col),
                        message: format!(
                            "{}本周（{}起）截至{}仅更新{}篇，距每周{}篇的要求尚差{}篇",
                            col.name,
                            fmt_date(monday),
                            fmt_date(as_of),
                            items.len(),
                            min,
                            *min as usize - items.len()
                        ),
                        evidence,
                        cost: None,
                    });
                }
            }
        }
        CheckSpec::Backdated { tolerance_days } => {
            for col in rule_columns(rule, site) {
                for b in crate::checks::backdated::backdated(col, *tolerance_days) {
                    out.push(RawFinding {
                        rule: idx,
                        kind: "backdated",
                        column: col_key(col),
                        message: format!(
                            "{}《{}》标注发布日期{}，但{}检查该栏目时尚未出现，首次发现于{}（晚{}天），疑似补发或倒签",
                            col.name,
                            b.item.title,
                            b.item.published.map(fmt_date).unwrap_or_default(),
                            fmt_date(b.absent_on),
                            fmt_date(b.item.first_seen_on),
                            b.days_late
                        ),
                        evidence: vec![Evidence {
                            url: b.item.url.clone(),
                            title: b.item.title.clone(),
                            date: b.item.published.map(fmt_date),
                            excerpt: Some(format!(
                                "{}检查时列表中无此条；{}首次出现",
                                fmt_date(b.absent_on),
                                fmt_date(b.item.first_seen_on)
                            )),
                        }],
                        cost: None,
                    });
                }
            }
        }
        CheckSpec::RequiredColumns => {
            for class in missing_classes(rule, site) {
                out.push(missing_column_finding(idx, rule, site, class));
            }
        }
        CheckSpec::AnnualReport { aspect } => {
            let state = crate::checks::annual_report::assess(site, rules, as_of);
            out.extend(annual_findings(idx, *aspect, rule.points, site, &state));
        }
        CheckSpec::Typos
        | CheckSpec::SeriousErrors
        | CheckSpec::SensitiveWords
        | CheckSpec::HiddenLinks
        | CheckSpec::Pii => {
            for o in crate::checks::content::measure(&rule.check, site) {
                out.push(RawFinding {
                    rule: idx,
                    kind: o.kind,
                    column: None,
                    message: o.message,
                    evidence: o.evidence,
                    cost: None,
                });
            }
        }
        CheckSpec::Metadata => {
            for issue in metadata::issues(&site.pages) {
                out.push(metadata_finding(idx, &issue));
            }
        }
        CheckSpec::DeadLinks => {
            let m = crate::checks::dead_links::measure(site);
            out.extend(m.dead.into_iter().map(|link| RawFinding {
                rule: idx,
                kind: "dead_link",
                column: None,
                message: crate::checks::dead_links::message(link),
                evidence: crate::checks::dead_links::evidence(link),
                cost: None,
            }));
        }
        CheckSpec::Availability { days, fail_ratio } => {
            let a = crate::checks::availability::measure(&site.probes, as_of, *days);
            // Too few probes is not evidence of anything: no finding, never a false veto.
            if !a.enough || a.fail_ratio() < *fail_ratio {
                return;
            }
            let mut evidence: Vec<Evidence> = a
                .failed
                .iter()
                .take(20)
                .map(|p| Evidence {
                    url: site.url.clone(),
                    title: site.name.clone(),
                    date: Some(p.at.format("%Y-%m-%d %H:%M UTC").to_string()),
                    excerpt: Some(p.reason.clone()),
                })
                .collect();
            evidence.push(Evidence {
                url: site.url.clone(),
                title: site.name.clone(),
                date: None,
                excerpt: Some(format!(
                    "{}至{}共探测{}次，失败{}次",
                    a.from.format("%Y-%m-%d %H:%M"),
                    a.to.format("%Y-%m-%d %H:%M UTC"),
                    a.total,
                    a.failed.len()
                )),
            });
            out.push(RawFinding {
                rule: idx,
                kind: "availability",
                column: None,
                message: format!(
                    "近{}天首页探测{}次，无法访问{}次，占{:.1}%（限值{:.0}%）",
                    days,
                    a.total,
                    a.failed.len(),
                    a.fail_ratio() * 100.0,
                    fail_ratio * 100.0
                ),
                evidence,
                cost: None,
            });
        }
    }
}

/// Most pages listed as evidence of one metadata finding; the message gives the full count.
const METADATA_EVIDENCE_PAGES: usize = 5;

fn page_kind_zh(kind: &str) -> &'static str {
    match kind {
        "home" => "首页",
        "list" => "栏目页",
        "article" => "文章页",
        _ => "页面",
    }
}

/// One finding per (tag, problem) of a site, with up to [`METADATA_EVIDENCE_PAGES`] pages.
fn metadata_finding(idx: usize, issue: &metadata::MetaIssue<'_>) -> RawFinding {
    let tag = issue.tag;
    let n = issue.pages.len();
    // The evidence lists at most METADATA_EVIDENCE_PAGES pages; the message counts them all.
    let message = match issue.problem {
        MetaProblem::Missing => {
            format!("{}个页面缺少{}({})标签", n, tag.label_zh(), tag.meta_name())
        }
        MetaProblem::Malformed => format!(
            "{}个页面的{}({})标签格式不正确（{}）",
            n,
            tag.label_zh(),
            tag.meta_name(),
            tag.expected_format().unwrap_or("值无效")
        ),
    };
    let evidence = issue
        .pages
        .iter()
        .take(METADATA_EVIDENCE_PAGES)
        .map(|p| {
            let kind = page_kind_zh(&p.kind);
            let excerpt = match (issue.problem, tag.value(p)) {
                (MetaProblem::Malformed, Some(v)) => {
                    format!("{kind}的{}标签值为“{}”", tag.meta_name(), v)
                }
                _ => format!("{kind}未设置<meta name=\"{}\">", tag.meta_name()),
            };
            Evidence {
                url: p.url.clone(),
                title: p.title.clone().unwrap_or_else(|| kind.to_string()),
                date: None,
                excerpt: Some(excerpt),
            }
        })
        .collect();
    RawFinding {
        rule: idx,
        kind: "metadata",
        column: None,
        message,
        evidence,
        cost: None,
    }
}

/// The classes a `required_columns` rule requires that the site has no column of.
fn missing_classes(rule: &Rule, site: &SiteSnap) -> Vec<ColumnClass> {
    rule.classes
        .iter()
        .copied()
        .filter(|c| !site.columns.iter().any(|col| col.class == *c))
        .collect()
}

/// A required class not found appears in `columns` with `found: false` (CONTRACT §3), once
/// per class however many rules require it.
fn not_found_columns(rules: &RuleSet, site: &SiteSnap) -> Vec<ColumnReport> {
    let mut classes: Vec<ColumnClass> = Vec::new();
    for rule in &rules.rules {
        if matches!(rule.check, CheckSpec::RequiredColumns) && rule.applies_to_role(site.role) {
            for c in missing_classes(rule, site) {
                if !classes.contains(&c) {
                    classes.push(c);
                }
            }
        }
    }
    classes
        .into_iter()
        .map(|c| ColumnReport {
            name: String::new(),
            class: c.as_str().to_string(),
            url: None,
            found: false,
            assessable: false,
            reason: Some(format!("未找到{}栏目", c.label_zh())),
            items_total: 0,
            last_update: None,
            weekly: Vec::new(),
            matched_name: None,
        })
        .collect()
}

/// The `missing_column` finding: which names were looked for and how to pin the column.
fn missing_column_finding(
    idx: usize,
    rule: &Rule,
    site: &SiteSnap,
    class: ColumnClass,
) -> RawFinding {
    let names: Vec<String> = site
        .home
        .unmatched_classes
        .iter()
        .find(|u| u.class == class.as_str())
        .map(|u| u.names_tried.clone())
        .unwrap_or_else(|| {
            class
                .builtin_names()
                .iter()
                .map(|n| n.to_string())
                .collect()
        });
    let review = if rule.severity == Severity::Deduct {
        ""
    } else {
        "，需人工核查（可能是栏目名称不在查找名单中）"
    };
    RawFinding {
        rule: idx,
        kind: "missing_column",
        column: None,
        message: format!(
            "首页导航中未找到{}栏目（按名称“{}”查找）{review}",
            class.label_zh(),
            names.join("、")
        ),
        evidence: vec![Evidence {
            url: site.url.clone(),
            title: site.name.clone(),
            date: None,
            excerpt: Some(format!(
                "如该栏目名称不同，请在 config.yaml 中该站点（id: {}）下指定：columns: [{{name: 栏目名称, class: {}, url: 栏目列表页地址}}]，或在 column_classes 中为 {} 类增加该名称",
                site.id,
                class.as_str(),
                class.as_str()
            )),
        }],
        cost: None,
    }
}

/// Finding kind of a rule's result that could not be judged and needs 人工核查: shown as
/// information, never a veto or a deduction whatever the rule's severity.
pub const MANUAL_REVIEW_KIND: &str = "manual_review";

/// The 首页不更新 finding (see `freshness::homepage_verdict` for the three cases). A home
/// page that cannot be read gets one 需人工核查 note from the veto rule, never a veto.
fn homepage_finding(
    idx: usize,
    rule: &Rule,
    site: &SiteSnap,
    as_of: NaiveDate,
    max_days: u32,
) -> Option<RawFinding> {
    use freshness::{HomeBasis, HomeVerdict};
    let secondary_evidence = |s: Option<(&ColumnSnap, &ItemSnap)>, note: String| match s {
        Some((col, item)) => Evidence {
            excerpt: Some(format!(
                "二级页面“{}”（{}）最近一条；{note}",
                col.name, col.url
            )),
            ..item_evidence(item)
        },
        None => Evidence {
            url: site.url.clone(),
            title: site.name.clone(),
            date: None,
            excerpt: Some(note),
        },
    };
    let (kind, message, evidence) = match freshness::homepage_verdict(site, as_of, max_days) {
        HomeVerdict::Fresh(_) | HomeVerdict::ChangedSince => return None,
        HomeVerdict::Stale(HomeBasis::HomeItems, last) => {
            let message = match last {
                Some(d) => format!(
                    "首页最近更新于{}，已{}天未更新（要求{}天内）",
                    fmt_date(d),
                    (as_of - d).num_days(),
                    max_days
                ),
                None => "首页未发现任何注明日期的信息（未注明发布时间的视为不更新）".to_string(),
            };
            let evidence = match &site.home.latest_item {
                Some(i) if last.is_some() => Evidence {
                    url: i.url.clone(),
                    title: i.title.clone(),
                    date: Some(fmt_date(i.date)),
                    excerpt: Some("首页所列最新一条信息".to_string()),
                },
                _ => Evidence {
                    url: site.url.clone(),
                    title: site.name.clone(),
                    date: last.map(fmt_date),
                    excerpt: None,
                },
            };
            ("stale", message, vec![evidence])
        }
        HomeVerdict::Stale(HomeBasis::Secondary(newest), last) => {
            let undated = if site.home.undated_items > 0 {
                format!("首页{}条信息未注明发布日期，", site.home.undated_items)
            } else {
                String::new()
            };
            let message = match (newest, last) {
                (Some((col, _)), Some(d)) => format!(
                    "首页为导航页（无注明日期的信息列表），{undated}按二级页面判断：二级页面最近更新于{}（{}），已{}天未更新（要求{}天内）",
                    fmt_date(d),
                    col.name,
                    (as_of - d).num_days(),
                    max_days
                ),
                _ => format!(
                    "首页为导航页（无注明日期的信息列表），{undated}按二级页面判断：其链接的栏目均无注明日期的信息，视为未更新"
                ),
            };
            let mut evidence = vec![secondary_evidence(
                newest,
                format!("首页为导航页，以二级页面的更新情况为准（要求{max_days}天内）"),
            )];
            evidence.extend(
                freshness::secondary_pages(site)
                    .into_iter()
                    .filter(|c| newest.is_none_or(|(n, _)| n.url != c.url))
                    .map(|c| {
                        column_evidence(
                            c,
                            match last_update(c, as_of) {
                                Some(d) => format!("二级页面，最近更新于{}", fmt_date(d)),
                                None => "二级页面，无注明日期的信息".to_string(),
                            },
                        )
                    }),
            );
            ("stale", message, evidence)
        }
        HomeVerdict::Unreadable(reason, newest) => {
            // One note per site: from the veto rule only (a warning rule on the same check
            // would repeat it).
            if rule.severity != Severity::Veto {
                return None;
            }
            let figure = match newest.and_then(|(c, i)| i.published.map(|d| (c, d))) {
                Some((c, d)) => format!(
                    "；供参考：二级页面最近更新于{}（{}，距监测时间点{}天）",
                    fmt_date(d),
                    c.name,
                    (as_of - d).num_days()
                ),
                None => String::new(),
            };
            (
                MANUAL_REVIEW_KIND,
                format!("首页更新情况无法读取，需人工核查：{reason}{figure}"),
                vec![secondary_evidence(newest, format!("首页：{reason}"))],
            )
        }
    };
    Some(RawFinding {
        rule: idx,
        kind,
        column: None,
        message,
        evidence,
        cost: None,
    })
}

fn stale_evidence(col: &ColumnSnap, as_of: NaiveDate, max_days: u32) -> Evidence {
    match newest_item(col, as_of) {
        Some(i) => Evidence {
            url: i.url.clone(),
            title: i.title.clone(),
            date: i.published.map(fmt_date),
            excerpt: Some(format!(
                "{}最近一条，已{}天未更新（要求{}天内）",
                col.name,
                days_since_update(col, as_of).unwrap_or_default(),
                max_days
            )),
        },
        None => column_evidence(col, format!("{}无注明日期的信息", col.name)),
    }
}

fn stale_finding(idx: usize, col: &ColumnSnap, as_of: NaiveDate, max_days: u32) -> RawFinding {
    let message = match last_update(col, as_of) {
        Some(d) => format!(
            "{}最近更新于{}，已{}天未更新（要求{}天内更新）",
            col.name,
            fmt_date(d),
            (as_of - d).num_days(),
            max_days
        ),
        None => format!("{}无注明日期的信息，视为未更新", col.name),
    };
    RawFinding {
        rule: idx,
        kind: "stale",
        column: col_key(col),
        message,
        evidence: vec![stale_evidence(col, as_of, max_days)],
        cost: None,
    }
}

/// The findings of one annual-report rule (kind `annual_report`): `missing` one finding,
/// `late` one finding costing `points` per started week late (`cap` bounds it), `sections`
/// one per missing heading, `arithmetic` one per R1–R4/CELL error. A report that needs
/// manual review (image-only, unreadable) gets no sections or arithmetic findings.
pub fn annual_findings(
    idx: usize,
    aspect: crate::config::AnnualAspect,
    points: f64,
    site: &SiteSnap,
    state: &crate::checks::annual_report::AnnualState<'_>,
) -> Vec<RawFinding> {
    use crate::checks::annual_report::AnnualStatus;
    use crate::config::AnnualAspect;
    let year = state.year;
    let deadline = state.deadline.map(fmt_date).unwrap_or_default();
    let report_evidence = |excerpt: Option<String>| -> Vec<Evidence> {
        state
            .report
            .map(|r| Evidence {
                url: r.attachment.clone().unwrap_or_else(|| r.url.clone()),
                title: r.title.clone(),
                date: r.published.map(fmt_date),
                excerpt,
            })
            .into_iter()
            .collect()
    };
    let finding = |message: String, evidence: Vec<Evidence>| RawFinding {
        rule: idx,
        kind: "annual_report",
        column: None,
        message,
        evidence,
        cost: None,
    };
    match aspect {
        AnnualAspect::Missing if state.status == AnnualStatus::Missing => {
            let cols: Vec<&ColumnSnap> = site
                .columns
                .iter()
                .filter(|c| c.class == ColumnClass::AnnualReport)
                .collect();
            let evidence = if cols.is_empty() {
                vec![Evidence {
                    url: site.url.clone(),
                    title: site.name.clone(),
                    date: None,
                    excerpt: Some(format!(
                        "网站未设置政府信息公开年报栏目，全站信息中也未找到{year}年年度报告"
                    )),
                }]
            } else {
                cols.iter()
                    .map(|c| {
                        column_evidence(
                            c,
                            format!(
                                "栏目共{}条信息，其中无{year}年政府信息公开工作年度报告",
                                c.items.len()
                            ),
                        )
                    })
                    .collect()
            };
            vec![finding(
                format!("未发布{year}年政府信息公开工作年度报告（发布截止日期{deadline}，已逾期）"),
                evidence,
            )]
        }
        AnnualAspect::Late if state.status == AnnualStatus::Late => {
            // One fact, one finding: the weeks late set what it costs (`points` per started
            // week, the rule's `cap` bounding it).
            let days = state.days_late.unwrap_or(0).max(1);
            let weeks = (days + 6) / 7;
            let published = state
                .report
                .and_then(|r| r.published)
                .map(fmt_date)
                .unwrap_or_default();
            let mut f = finding(
                format!(
                    "{year}年政府信息公开工作年度报告于{published}发布，晚于截止日期{deadline}共{days}天（逾期{weeks}周，按逾期周数扣分）"
                ),
                report_evidence(Some(format!(
                    "发布日期{published}，截止日期{deadline}，逾期{days}天，计{weeks}周"
                ))),
            );
            f.cost = Some(points * weeks as f64);
            vec![f]
        }
        AnnualAspect::Sections => state
            .sections_missing()
            .iter()
            .map(|s| {
                finding(
                    format!("{year}年政府信息公开工作年度报告缺少必备章节“{s}”"),
                    report_evidence(Some(format!(
                        "未找到章节标题“{s}”（国办公开办函〔2021〕30号格式要求六个部分）"
                    ))),
                )
            })
            .collect(),
        AnnualAspect::Arithmetic => state
            .arithmetic_errors()
            .iter()
            .map(|p| {
                let place: Vec<&str> = [p.table.as_deref(), p.row.as_deref(), p.column.as_deref()]
                    .into_iter()
                    .flatten()
                    .collect();
                let excerpt = if place.is_empty() {
                    format!("[{}] {}", p.rule, p.message)
                } else {
                    format!("[{}] {}：{}", p.rule, place.join(" / "), p.message)
                };
                finding(
                    format!(
                        "{year}年政府信息公开工作年度报告数据有误（{}）：{}",
                        p.rule, p.message
                    ),
                    report_evidence(Some(excerpt)),
                )
            })
            .collect(),
        _ => Vec::new(),
    }
}
