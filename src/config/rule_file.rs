//! Rule files (`rules/*.yaml`): validates `settings` and `rules` of every file, reporting
//! every problem at once, and assembles the `RuleSet`. Defaults for the scoring settings
//! live here (`default_*`). It must not evaluate rules or read config.yaml.

use super::diagnostic::{Diagnostic, did_you_mean};
use super::types::*;
use super::yaml::{self, Fields, Kind, Node, Reporter};
use crate::model::{ColumnClass, Role};
use chrono::{Datelike, NaiveDate};
use std::collections::{BTreeMap, HashMap};

/// The keys a rule file may have at its top level.
const FILE_KEYS: &[&str] = &["settings", "rules", "holidays"];
/// The keys of `settings`.
const SETTINGS_KEYS: &[&str] = &[
    "period",
    "grades",
    "bonus",
    "exempt_weeks",
    "annual_report_deadlines",
    "category_caps",
    "holiday_exempt_weekdays",
];
/// The keys of one rule.
const RULE_KEYS: &[&str] = &[
    "id",
    "title",
    "source",
    "doc",
    "roles",
    "classes",
    "check",
    "params",
    "severity",
    "points",
    "weight",
    "cap_per_column",
    "cap",
    "category",
];
/// Every check name (CheckSpec::name()).
pub(crate) const CHECK_NAMES: &[&str] = &[
    "cadence",
    "freshness",
    "homepage_freshness",
    "blank_column",
    "stale_columns",
    "blank_columns",
    "metadata",
    "undated",
    "backdated",
    "annual_report",
    "availability",
    "midweek_quota",
    "required_columns",
    "typos",
    "serious_errors",
    "sensitive_words",
    "hidden_links",
    "pii",
    "dead_links",
];

/// The default grade bands (优秀 ≥ 90, 良好 ≥ 80, 合格 ≥ 60, 不合格 ≥ 0).
pub(crate) fn default_grades() -> Vec<GradeBand> {
    [
        ("优秀", 90.0),
        ("良好", 80.0),
        ("合格", 60.0),
        ("不合格", 0.0),
    ]
    .into_iter()
    .map(|(n, m)| GradeBand {
        name: n.to_string(),
        min: m,
    })
    .collect()
}

/// The default annual-report deadlines: portal 03-31, department and town 01-31.
pub(crate) fn default_deadlines() -> BTreeMap<Role, (u32, u32)> {
    BTreeMap::from([
        (Role::Portal, (3, 31)),
        (Role::Department, (1, 31)),
        (Role::Town, (1, 31)),
    ])
}

/// Default of `settings.holiday_exempt_weekdays`: a week is exempt when official holidays
/// fall on at least this many of its Monday–Friday days (【假设】, see rules/local.yaml).
pub(crate) const DEFAULT_HOLIDAY_EXEMPT_WEEKDAYS: u32 = 3;

/// The rule set with default settings and no rules.
pub(crate) fn empty_rule_set() -> RuleSet {
    RuleSet {
        period: PeriodKind::Quarter,
        grades: default_grades(),
        bonus: BonusPolicy {
            cap: 30.0,
            above: 80.0,
        },
        exempt_weeks: Vec::new(),
        holidays: None,
        holiday_exempt_weekdays: DEFAULT_HOLIDAY_EXEMPT_WEEKDAYS,
        annual_deadlines: default_deadlines(),
        category_caps: BTreeMap::new(),
        rules: Vec::new(),
    }
}

fn role_options() -> Vec<(&'static str, Role)> {
    Role::ALL.iter().map(|r| (r.as_str(), *r)).collect()
}

pub(crate) fn class_options() -> Vec<(&'static str, ColumnClass)> {
    ColumnClass::ALL.iter().map(|c| (c.as_str(), *c)).collect()
}

/// Accumulates rule files into one `RuleSet`, remembering where each setting and rule id
/// was first written so duplicates point back at it.
pub(crate) struct RuleLoader {
    set: RuleSet,
    setting_origin: HashMap<&'static str, (String, usize)>,
    rule_origin: HashMap<String, (String, usize)>,
    category_cap_origin: BTreeMap<String, (String, usize, usize)>,
    /// Every problem across all files.
    pub diags: Vec<Diagnostic>,
}

impl RuleLoader {
    pub fn new() -> RuleLoader {
        RuleLoader {
            set: empty_rule_set(),
            setting_origin: HashMap::new(),
            rule_origin: HashMap::new(),
            category_cap_origin: BTreeMap::new(),
            diags: Vec::new(),
        }
    }

    /// Validates one rule file's text and merges it.
    pub fn add(&mut self, file: &str, src: &str) {
        let mut r = Reporter::new(file, src);
        match yaml::parse(src) {
            Err(e) => {
                r.syntax_error(&e);
            }
            Ok(None) => {
                r.at_loc(
                    yaml::Loc {
                        line: 1,
                        col: 1,
                        len: 1,
                    },
                    "规则文件是空的",
                    Some("添加 `rules:` 并至少写一条规则，或删除这个文件".into()),
                );
            }
            Ok(Some(root)) => self.file(&mut r, &root),
        }
        self.diags.append(&mut r.into_sorted());
    }

    /// The assembled rule set, or every problem found.
    pub fn finish(mut self) -> Result<RuleSet, Vec<Diagnostic>> {
        // A cap on a category no rule uses is a misspelling: it would silently cap nothing.
        let used: Vec<&str> = self
            .set
            .rules
            .iter()
            .filter_map(|r| r.category.as_deref())
            .collect();
        for (name, (file, line, col)) in &self.category_cap_origin {
            if !used.contains(&name.as_str()) {
                let mut d = Diagnostic::file_level(
                    file,
                    format!("`settings.category_caps` 中的类别 `{name}` 没有任何规则使用"),
                );
                d.line = *line;
                d.column = *col;
                let help = if used.is_empty() {
                    "请在要封顶的规则上设置 `category:`".to_string()
                } else {
                    format!("规则中的类别有：{}", {
                        let mut u = used.clone();
                        u.sort();
                        u.dedup();
                        u.join("、")
                    })
                };
                self.diags.push(d.with_help(help));
            }
        }
        if self.diags.is_empty() {
            Ok(self.set)
        } else {
            Err(self.diags)
        }
    }

    fn file(&mut self, r: &mut Reporter, root: &Node) {
        let Some(f) = r.fields(root, FILE_KEYS, "规则文件") else {
            return;
        };
        if f.get("settings").is_none() && f.get("rules").is_none() && f.get("holidays").is_none() {
            r.at(
                root,
                "规则文件需要 `rules:`（`settings:` 可选），或 `holidays:`",
                None,
            );
        }
        if self.claim(r, "holidays", &f)
            && let Some(h) = f.get("holidays")
            && let Some(cal) = super::holidays::parse(r, h)
        {
            self.set.holidays = Some(cal);
        }
        if let Some(s) = f.get("settings") {
            self.settings(r, s);
        }
        if let Some(list) = f.get("rules")
            && let Some(items) = r.seq(list, "rules", "规则文件")
        {
            for item in items {
                if let Some(rule) = self.rule(r, item) {
                    self.set.rules.push(rule);
                }
            }
        }
    }

    /// Whether this file may set `key`; reports a second file setting it.
    fn claim(&mut self, r: &mut Reporter, key: &'static str, f: &Fields) -> bool {
        let Some(k) = f.key_node(key) else {
            return false;
        };
        if let Some((file, line)) = self.setting_origin.get(key) {
            r.at(
                k,
                format!("`settings.{key}` 在多个规则文件中设置"),
                Some(format!("{file}:{line} 已经设置过；只保留一处")),
            );
            return false;
        }
        self.setting_origin
            .insert(key, (r.file().to_string(), k.loc.line));
        true
    }

    fn settings(&mut self, r: &mut Reporter, node: &Node) {
        let ctx = "`settings` ";
        let Some(f) = r.fields(node, SETTINGS_KEYS, ctx) else {
            return;
        };
        if self.claim(r, "period", &f)
            && let Some(v) = f.get("period")
            && let Some(p) = r.choice(
                v,
                "period",
                ctx,
                &[
                    ("week", PeriodKind::Week),
                    ("month", PeriodKind::Month),
                    ("quarter", PeriodKind::Quarter),
                    ("year", PeriodKind::Year),
                ],
            )
        {
            self.set.period = p;
        }
        if self.claim(r, "grades", &f)
            && let Some(v) = f.get("grades")
            && let Some(g) = grades(r, v)
        {
            self.set.grades = g;
        }
        if self.claim(r, "bonus", &f)
            && let Some(v) = f.get("bonus")
            && let Some(b) = r.fields(v, &["cap", "above"], "`settings.bonus` ")
        {
            let cap = b
                .get("cap")
                .and_then(|n| r.number(n, "cap", "`settings.bonus` "));
            let above = b
                .get("above")
                .and_then(|n| r.number(n, "above", "`settings.bonus` "));
            if let Some(c) = cap {
                if c < 0.0 {
                    r.at(
                        b.get("cap").unwrap_or(v),
                        "`settings.bonus` 中的 `cap` 应不小于 0",
                        None,
                    );
                }
                self.set.bonus.cap = c;
            }
            if let Some(a) = above {
                self.set.bonus.above = a;
            }
        }
        if self.claim(r, "exempt_weeks", &f)
            && let Some(v) = f.get("exempt_weeks")
            && let Some(items) = r.seq(v, "exempt_weeks", ctx)
        {
            let mut weeks = Vec::new();
            for item in items {
                let ictx = "`settings.exempt_weeks` ";
                let Some(e) = r.fields(item, &["week", "name"], ictx) else {
                    continue;
                };
                let week = r
                    .required(&e, "week", ictx)
                    .and_then(|n| date(r, n, "week", ictx));
                let name = r
                    .required(&e, "name", ictx)
                    .and_then(|n| r.string(n, "name", ictx));
                if let (Some(day), Some(name)) = (week, name) {
                    let monday = day
                        - chrono::Duration::days(i64::from(day.weekday().num_days_from_monday()));
                    weeks.push(ExemptWeek {
                        week_start: monday,
                        name,
                    });
                }
            }
            weeks.sort_by_key(|w| w.week_start);
            self.set.exempt_weeks = weeks;
        }
        if self.claim(r, "holiday_exempt_weekdays", &f)
            && let Some(v) = f.get("holiday_exempt_weekdays")
            && let Some(n) = r.u32(v, "holiday_exempt_weekdays", ctx)
        {
            if !(1..=5).contains(&n) {
                r.at(
                    v,
                    format!(
                        "`holiday_exempt_weekdays` {ctx} must be 1 to 5 (days of Monday–Friday)"
                    ),
                    None,
                );
            }
            self.set.holiday_exempt_weekdays = n;
        }
        if self.claim(r, "category_caps", &f)
            && let Some(v) = f.get("category_caps")
        {
            let cctx = "`settings.category_caps` ";
            match &v.kind {
                yaml::Kind::Map(entries) => {
                    for (k, n) in entries {
                        let Some(name) = k.scalar() else {
                            r.at(k, format!("{cctx}中的类别名应为普通文字"), None);
                            continue;
                        };
                        let Some(cap) = r.number(n, name, cctx) else {
                            continue;
                        };
                        if cap < 0.0 {
                            r.at(n, format!("{cctx}中 `{name}` 的上限应不小于 0"), None);
                            continue;
                        }
                        self.set.category_caps.insert(name.to_string(), cap);
                        self.category_cap_origin.insert(
                            name.to_string(),
                            (r.file().to_string(), k.loc.line, k.loc.col),
                        );
                    }
                }
                _ => r.at(
                    v,
                    format!("{cctx}应为“类别 → 分值”的映射，实际是 {}", v.describe()),
                    Some("例如 `category_caps: {信息更新: 40}`".into()),
                ),
            }
        }
        if self.claim(r, "annual_report_deadlines", &f)
            && let Some(v) = f.get("annual_report_deadlines")
        {
            let dctx = "`settings.annual_report_deadlines` ";
            if let Some(d) = r.fields(v, &["portal", "department", "town"], dctx) {
                for role in Role::ALL {
                    if let Some(n) = d.get(role.as_str())
                        && let Some(md) = month_day(r, n, role.as_str(), dctx)
                    {
                        self.set.annual_deadlines.insert(role, md);
                    }
                }
            }
        }
    }

    fn rule(&mut self, r: &mut Reporter, node: &Node) -> Option<Rule> {
        // The rule's id names it in every message, so read it before the keys.
        let ctx = match node.peek("id").and_then(Node::scalar) {
            Some(id) => format!("规则 `{id}` "),
            None => "一条规则".to_string(),
        };
        let ctx = ctx.as_str();
        let f = r.fields(node, RULE_KEYS, ctx)?;
        let id_node = r.required(&f, "id", ctx);
        let id = id_node.and_then(|n| r.string(n, "id", ctx));
        let mut ok = id.is_some();
        if let (Some(id), Some(n)) = (&id, id_node) {
            if !valid_rule_id(id) {
                r.at(
                    n,
                    format!("规则编号 `{id}` 只能使用小写字母 a-z、数字 0-9 和 `-`"),
                    Some(format!("例如 `{}`", slug(id))),
                );
                ok = false;
            } else if let Some((file, line)) = self.rule_origin.get(id) {
                r.at(
                    n,
                    format!("规则编号 `{id}` 重复"),
                    Some(format!(
                        "{file}:{line} 的规则已使用这个编号；每条规则的编号须各不相同"
                    )),
                );
                ok = false;
            } else {
                self.rule_origin
                    .insert(id.clone(), (r.file().to_string(), n.loc.line));
            }
        }
        let title = r
            .required(&f, "title", ctx)
            .and_then(|n| r.string(n, "title", ctx));
        let source = f
            .get("source")
            .and_then(|n| r.string(n, "source", ctx))
            .unwrap_or_default();
        let doc = f
            .get("doc")
            .and_then(|n| r.string(n, "doc", ctx))
            .unwrap_or_default();
        let roles = match f.get("roles") {
            Some(n) => list_of(r, n, "roles", "role", ctx, &role_options()),
            None => Some(Vec::new()),
        };
        let classes = match f.get("classes") {
            Some(n) => list_of(r, n, "classes", "class", ctx, &class_options()),
            None => Some(Vec::new()),
        };
        let check_node = r.required(&f, "check", ctx);
        let check = check_node.and_then(|n| {
            let name = r.string(n, "check", ctx)?;
            if !CHECK_NAMES.contains(&name.as_str()) {
                r.at(
                    n,
                    format!("{ctx}中有未知的检查项 `{name}`"),
                    Some(did_you_mean(&name, CHECK_NAMES)),
                );
                return None;
            }
            Some(name)
        });
        let spec = check
            .clone()
            .and_then(|name| params(r, &name, f.get("params"), check_node.unwrap_or(node), ctx));
        let severity = r.required(&f, "severity", ctx).and_then(|n| {
            r.choice(
                n,
                "severity",
                ctx,
                &[
                    ("veto", Severity::Veto),
                    ("deduct", Severity::Deduct),
                    ("warn", Severity::Warn),
                    ("bonus", Severity::Bonus),
                    ("info", Severity::Info),
                ],
            )
        });
        let weight = f.get("weight").map(|n| positive(r, n, "weight", ctx));
        let points_node = f.get("points");
        let points = points_node.map(|n| r.number(n, "points", ctx));
        let cap = f.get("cap").map(|n| positive(r, n, "cap", ctx));
        let cap_per_column = f
            .get("cap_per_column")
            .map(|n| positive(r, n, "cap_per_column", ctx));
        let category = f.get("category").and_then(|n| r.string(n, "category", ctx));
        if let (Some(Some(_)), Some(n)) = (weight, f.get("weight"))
            && (check.as_deref() != Some("cadence") || severity != Some(Severity::Deduct))
        {
            r.at(
                n,
                format!("`weight` {ctx} only applies to deduct rules with `check: cadence`"),
                Some("remove `weight:` or use `points:` per occurrence".into()),
            );
            ok = false;
        }
        let mut points_value = 0.0;
        if let Some(sev) = severity {
            match (sev, points, points_node) {
                // A cadence rule with `weight` sets its cost per window from the weight.
                (Severity::Deduct, None, _) if matches!(weight, Some(Some(_))) => {}
                (Severity::Deduct | Severity::Bonus, None, _) => {
                    r.at(
                        node,
                        format!("{ctx}缺少必填项 `points`"),
                        Some(format!("{} 规则需要大于 0 的 `points:`", sev.as_str())),
                    );
                    ok = false;
                }
                (Severity::Deduct | Severity::Bonus, Some(Some(p)), Some(n)) => {
                    if p <= 0.0 {
                        r.at(
                            n,
                            format!("{ctx}中的 `points` 应大于 0（{} 规则）", sev.as_str()),
                            None,
                        );
                        ok = false;
                    }
                    points_value = p;
                }
                (_, Some(Some(p)), Some(n)) if p != 0.0 => {
                    r.at(
                        n,
                        format!("{ctx}中的 `points` 只适用于扣分（deduct）和加分（bonus）规则"),
                        Some(format!(
                            "删除 `points:`，或设置 `severity: deduct`；{} 规则不扣分",
                            sev.as_str()
                        )),
                    );
                    ok = false;
                }
                _ => {}
            }
        }
        if matches!(spec, Some(CheckSpec::RequiredColumns))
            && matches!(&classes, Some(c) if c.is_empty())
        {
            r.at(
                check_node.unwrap_or(node),
                format!("check `required_columns` {ctx} needs the classes it requires"),
                Some(
                    "add `classes: [news, party]` (the classes every site of `roles` must have)"
                        .to_string(),
                ),
            );
            ok = false;
        }
        if matches!(points, Some(None))
            || matches!(cap, Some(None))
            || matches!(cap_per_column, Some(None))
            || matches!(weight, Some(None))
        {
            ok = false;
        }
        let (Some(id), Some(title), Some(roles), Some(classes), Some(check), Some(severity), true) =
            (id, title, roles, classes, spec, severity, ok)
        else {
            return None;
        };
        Some(Rule {
            origin: Origin {
                file: r.file().to_string(),
                line: id_node.map(|n| n.loc.line).unwrap_or(0),
            },
            id,
            title,
            doc,
            source,
            roles,
            classes,
            check,
            severity,
            points: points_value,
            weight: weight.flatten(),
            cap: cap.flatten(),
            cap_per_column: cap_per_column.flatten(),
            category,
        })
    }
}

/// `[a-z0-9-]+`.
fn valid_rule_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// A suggested id: lowercase, other characters turned into `-`.
pub(crate) fn slug(s: &str) -> String {
    let out: String = s
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    let t = out.trim_matches('-');
    if t.is_empty() {
        "my-id".into()
    } else {
        t.to_string()
    }
}

fn positive(r: &mut Reporter, n: &Node, key: &str, ctx: &str) -> Option<f64> {
    let v = r.number(n, key, ctx)?;
    if v <= 0.0 {
        r.at(
            n,
            format!("{ctx}中的 `{key}` 应大于 0"),
            Some(format!("不设上限请删除 `{key}:`")),
        );
        return None;
    }
    Some(v)
}

fn list_of<T: Copy + PartialEq>(
    r: &mut Reporter,
    n: &Node,
    key: &str,
    what: &str,
    ctx: &str,
    options: &[(&str, T)],
) -> Option<Vec<T>> {
    let items = r.seq(n, key, ctx)?;
    let mut out = Vec::new();
    let mut ok = true;
    for item in items {
        match r.choice(item, what, ctx, options) {
            Some(v) if !out.contains(&v) => out.push(v),
            Some(_) => {}
            None => ok = false,
        }
    }
    ok.then_some(out)
}

pub(super) fn date(r: &mut Reporter, n: &Node, key: &str, ctx: &str) -> Option<NaiveDate> {
    let s = r.string(n, key, ctx)?;
    match NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d") {
        Ok(d) => Some(d),
        Err(_) => {
            r.at(
                n,
                format!("{ctx}中的 `{key}` 应为日期（如 2023-01-23），实际是 `{s}`"),
                None,
            );
            None
        }
    }
}

fn month_day(r: &mut Reporter, n: &Node, key: &str, ctx: &str) -> Option<(u32, u32)> {
    let s = r.string(n, key, ctx)?;
    let parsed = s.trim().split_once('-').and_then(|(m, d)| {
        let (m, d) = (m.parse::<u32>().ok()?, d.parse::<u32>().ok()?);
        // A non-leap year: a deadline must exist every year.
        NaiveDate::from_ymd_opt(2023, m, d).map(|_| (m, d))
    });
    if parsed.is_none() {
        r.at(
            n,
            format!("{ctx}中的 `{key}` 应为月-日（如 \"03-31\"），实际是 `{s}`"),
            None,
        );
    }
    parsed
}

fn grades(r: &mut Reporter, n: &Node) -> Option<Vec<GradeBand>> {
    let ctx = "`settings.grades` ";
    let items = r.seq(n, "grades", "`settings` ")?;
    if items.is_empty() {
        r.at(
            n,
            "`settings.grades` 至少需要一个等级",
            Some("例如 `- {name: 合格, min: 0}`".into()),
        );
        return None;
    }
    let mut out: Vec<(GradeBand, &Node)> = Vec::new();
    let mut ok = true;
    for item in items {
        let Some(f) = r.fields(item, &["name", "min"], ctx) else {
            ok = false;
            continue;
        };
        let name = r
            .required(&f, "name", ctx)
            .and_then(|x| r.string(x, "name", ctx));
        let min_node = r.required(&f, "min", ctx);
        let min = min_node.and_then(|x| r.number(x, "min", ctx));
        match (name, min, min_node) {
            (Some(name), Some(min), Some(mn)) => {
                if let Some((prev, _)) = out.last()
                    && min >= prev.min
                {
                    r.at(
                        mn,
                        format!(
                            "等级 `{name}` 的 min 为 {min}，没有低于上一等级的 {}",
                            prev.min
                        ),
                        Some("请按 `min` 从高到低列出等级".into()),
                    );
                    ok = false;
                }
                out.push((GradeBand { name, min }, mn));
            }
            _ => ok = false,
        }
    }
    if let Some((last, mn)) = out.last()
        && last.min != 0.0
        && ok
    {
        r.at(
            mn,
            format!(
                "最后一个等级 `{}` 的 min 为 {}；它必须为 0，每个得分才都有等级",
                last.name, last.min
            ),
            Some("在最后添加一个等级，如 `- {name: 不合格, min: 0}`".into()),
        );
        ok = false;
    }
    ok.then(|| out.into_iter().map(|(g, _)| g).collect())
}

/// Validates `params` for `check` into a `CheckSpec`. `anchor` is where missing-param
/// errors point when there is no `params` key.
fn params(
    r: &mut Reporter,
    check: &str,
    node: Option<&Node>,
    anchor: &Node,
    ctx: &str,
) -> Option<CheckSpec> {
    let allowed: &[&str] = match check {
        "cadence" => &["per", "min"],
        "freshness" | "homepage_freshness" => &["max_days"],
        "stale_columns" => &["windows", "at_least"],
        "blank_columns" => &["at_least"],
        "backdated" => &["tolerance_days"],
        "annual_report" => &["aspect"],
        "availability" => &["days", "fail_ratio"],
        "midweek_quota" => &["min", "weekday"],
        _ => &[],
    };
    let pctx = format!("{ctx}的检查项 `{check}` 的 `params` ");
    let pctx = pctx.as_str();
    let empty = Node {
        loc: anchor.loc,
        kind: Kind::Map(Vec::new()),
    };
    let (f, at) = match node {
        Some(n) if n.is_null() => (r.fields(&empty, allowed, pctx)?, n),
        Some(n) => (r.fields(n, allowed, pctx)?, n),
        None => (r.fields(&empty, allowed, pctx)?, anchor),
    };
    let before = r.diags.len();
    let has_params = node.is_some_and(|n| !n.is_null());
    let need = |r: &mut Reporter, key: &str| -> Option<&Node> {
        let v = f.get(key);
        if v.is_none() {
            r.at(
                at,
                format!("{ctx}的检查项 `{check}` 缺少必填参数 `{key}`"),
                Some(if has_params {
                    format!("在 `params` 中添加 `{key}: …`")
                } else {
                    format!("添加 `params: {{{key}: …}}`")
                }),
            );
        }
        v
    };
    let at_least_one = |r: &mut Reporter, n: &Node, key: &str| -> Option<u32> {
        let v = r.u32(n, key, pctx)?;
        if v == 0 {
            r.at(n, format!("{pctx}中的 `{key}` 至少应为 1"), None);
            return None;
        }
        Some(v)
    };
    let spec = match check {
        "cadence" => {
            let per = match f.get("per") {
                Some(n) => r.choice(
                    n,
                    "per",
                    pctx,
                    &[("week", CadenceUnit::Week), ("month", CadenceUnit::Month)],
                ),
                None => Some(CadenceUnit::Week),
            };
            let min = need(r, "min").and_then(|n| at_least_one(r, n, "min"));
            CheckSpec::Cadence {
                per: per?,
                min: min?,
            }
        }
        "freshness" => CheckSpec::Freshness {
            max_days: need(r, "max_days").and_then(|n| at_least_one(r, n, "max_days"))?,
        },
        "homepage_freshness" => CheckSpec::HomepageFreshness {
            max_days: need(r, "max_days").and_then(|n| at_least_one(r, n, "max_days"))?,
        },
        "blank_column" => CheckSpec::BlankColumn,
        "stale_columns" => {
            let windows = need(r, "windows").and_then(|n| windows(r, n, pctx));
            let at_least = need(r, "at_least").and_then(|n| at_least_one(r, n, "at_least"));
            CheckSpec::StaleColumns {
                windows: windows?,
                at_least: at_least?,
            }
        }
        "blank_columns" => CheckSpec::BlankColumns {
            at_least: need(r, "at_least").and_then(|n| at_least_one(r, n, "at_least"))?,
        },
        "metadata" => CheckSpec::Metadata,
        "undated" => CheckSpec::Undated,
        "required_columns" => CheckSpec::RequiredColumns,
        "typos" => CheckSpec::Typos,
        "serious_errors" => CheckSpec::SeriousErrors,
        "sensitive_words" => CheckSpec::SensitiveWords,
        "hidden_links" => CheckSpec::HiddenLinks,
        "pii" => CheckSpec::Pii,
        "dead_links" => CheckSpec::DeadLinks,
        "backdated" => CheckSpec::Backdated {
            tolerance_days: match f.get("tolerance_days") {
                Some(n) => r.u32(n, "tolerance_days", pctx)?,
                None => 3,
            },
        },
        "annual_report" => CheckSpec::AnnualReport {
            aspect: need(r, "aspect").and_then(|n| {
                r.choice(
                    n,
                    "aspect",
                    pctx,
                    &[
                        ("missing", AnnualAspect::Missing),
                        ("late", AnnualAspect::Late),
                        ("sections", AnnualAspect::Sections),
                        ("arithmetic", AnnualAspect::Arithmetic),
                    ],
                )
            })?,
        },
        "availability" => {
            let days = match f.get("days") {
                Some(n) => at_least_one(r, n, "days"),
                None => Some(7),
            };
            let ratio = need(r, "fail_ratio").and_then(|n| {
                let v = r.number(n, "fail_ratio", pctx)?;
                if !(v > 0.0 && v <= 1.0) {
                    r.at(
                        n,
                        format!("{pctx}中的 `fail_ratio` 应大于 0 且不大于 1，实际是 {v}"),
                        Some("写比例，如 0.05 表示 5%".into()),
                    );
                    return None;
                }
                Some(v)
            });
            CheckSpec::Availability {
                days: days?,
                fail_ratio: ratio?,
            }
        }
        "midweek_quota" => {
            let min = need(r, "min").and_then(|n| at_least_one(r, n, "min"));
            let weekday = match f.get("weekday") {
                Some(n) => r.u32(n, "weekday", pctx).and_then(|v| {
                    if (1..=7).contains(&v) {
                        Some(v)
                    } else {
                        r.at(
                            n,
                            format!(
                                "{pctx}中的 `weekday` 应为 1（星期一）到 7（星期日），实际是 {v}"
                            ),
                            None,
                        );
                        None
                    }
                }),
                None => Some(4),
            };
            CheckSpec::MidweekQuota {
                min: min?,
                weekday: weekday?,
            }
        }
        _ => return None,
    };
    (r.diags.len() == before).then_some(spec)
}

fn windows(r: &mut Reporter, n: &Node, ctx: &str) -> Option<BTreeMap<ColumnClass, u32>> {
    let Kind::Map(entries) = &n.kind else {
        r.at(
            n,
            format!("{ctx}中的 `windows` 应为栏目类别到天数的映射，如 {{news: 14}}"),
            None,
        );
        return None;
    };
    let opts = class_options();
    let mut out = BTreeMap::new();
    let mut ok = true;
    for (k, v) in entries {
        let class = r.choice(k, "class", &format!("{ctx}的 `windows` "), &opts);
        let days = r.u32(v, "windows", ctx);
        match (class, days) {
            (Some(c), Some(d)) if d > 0 => {
                out.insert(c, d);
            }
            (Some(_), Some(_)) => {
                r.at(v, format!("{ctx}的 `windows` 中的天数至少应为 1"), None);
                ok = false;
            }
            _ => ok = false,
        }
    }
    if out.is_empty() && ok {
        r.at(
            n,
            format!("{ctx}中的 `windows` 至少应列出一个栏目类别"),
            None,
        );
        ok = false;
    }
    ok.then_some(out)
}
