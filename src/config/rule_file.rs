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
const FILE_KEYS: &[&str] = &["settings", "rules"];
/// The keys of `settings`.
const SETTINGS_KEYS: &[&str] = &[
    "period",
    "grades",
    "bonus",
    "exempt_weeks",
    "annual_report_deadlines",
    "category_caps",
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
                r.at_loc(
                    yaml::Loc {
                        line: e.line,
                        col: e.col,
                        len: 1,
                    },
                    format!("YAML syntax error: {}", e.message),
                    None,
                );
            }
            Ok(None) => {
                r.at_loc(
                    yaml::Loc {
                        line: 1,
                        col: 1,
                        len: 1,
                    },
                    "the rule file is empty",
                    Some("add `rules:` with at least one rule, or remove the file".into()),
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
                    format!("`settings.category_caps` names category `{name}`, which no rule uses"),
                );
                d.line = *line;
                d.column = *col;
                let help = if used.is_empty() {
                    "set `category:` on the rules it should cap".to_string()
                } else {
                    format!("the rules' categories are: {}", {
                        let mut u = used.clone();
                        u.sort();
                        u.dedup();
                        u.join(", ")
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
        let Some(f) = r.fields(root, FILE_KEYS, "in a rule file") else {
            return;
        };
        if f.get("settings").is_none() && f.get("rules").is_none() {
            r.at(
                root,
                "a rule file needs `rules:` (and optionally `settings:`)",
                None,
            );
        }
        if let Some(s) = f.get("settings") {
            self.settings(r, s);
        }
        if let Some(list) = f.get("rules")
            && let Some(items) = r.seq(list, "rules", "in a rule file")
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
                format!("`settings.{key}` is set in more than one rule file"),
                Some(format!("it is already set at {file}:{line}; keep one")),
            );
            return false;
        }
        self.setting_origin
            .insert(key, (r.file().to_string(), k.loc.line));
        true
    }

    fn settings(&mut self, r: &mut Reporter, node: &Node) {
        let ctx = "in `settings`";
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
            && let Some(b) = r.fields(v, &["cap", "above"], "in `settings.bonus`")
        {
            let cap = b
                .get("cap")
                .and_then(|n| r.number(n, "cap", "in `settings.bonus`"));
            let above = b
                .get("above")
                .and_then(|n| r.number(n, "above", "in `settings.bonus`"));
            if let Some(c) = cap {
                if c < 0.0 {
                    r.at(
                        b.get("cap").unwrap_or(v),
                        "`cap` in `settings.bonus` must be ≥ 0",
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
                let ictx = "in `settings.exempt_weeks`";
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
        if self.claim(r, "category_caps", &f)
            && let Some(v) = f.get("category_caps")
        {
            let cctx = "in `settings.category_caps`";
            match &v.kind {
                yaml::Kind::Map(entries) => {
                    for (k, n) in entries {
                        let Some(name) = k.scalar() else {
                            r.at(k, format!("category names must be plain text {cctx}"), None);
                            continue;
                        };
                        let Some(cap) = r.number(n, name, cctx) else {
                            continue;
                        };
                        if cap < 0.0 {
                            r.at(n, format!("the cap of `{name}` {cctx} must be ≥ 0"), None);
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
                    format!(
                        "expected a mapping of category → points {cctx}, found {}",
                        v.describe()
                    ),
                    Some("for example `category_caps: {信息更新: 40}`".into()),
                ),
            }
        }
        if self.claim(r, "annual_report_deadlines", &f)
            && let Some(v) = f.get("annual_report_deadlines")
        {
            let dctx = "in `settings.annual_report_deadlines`";
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
            Some(id) => format!("in rule `{id}`"),
            None => "in a rule".to_string(),
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
                    format!(
                        "rule id `{id}` may use only lowercase letters a-z, digits 0-9 and `-`"
                    ),
                    Some(format!("for example `{}`", slug(id))),
                );
                ok = false;
            } else if let Some((file, line)) = self.rule_origin.get(id) {
                r.at(
                    n,
                    format!("duplicate rule id `{id}`"),
                    Some(format!(
                        "the first rule with this id is at {file}:{line}; give each rule its own id"
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
                    format!("unknown check `{name}` {ctx}"),
                    Some(did_you_mean(&name, CHECK_NAMES)),
                );
                return None;
            }
            Some(name)
        });
        let spec = check
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
        let points_node = f.get("points");
        let points = points_node.map(|n| r.number(n, "points", ctx));
        let cap = f.get("cap").map(|n| positive(r, n, "cap", ctx));
        let cap_per_column = f
            .get("cap_per_column")
            .map(|n| positive(r, n, "cap_per_column", ctx));
        let category = f.get("category").and_then(|n| r.string(n, "category", ctx));
        let mut points_value = 0.0;
        if let Some(sev) = severity {
            match (sev, points, points_node) {
                (Severity::Deduct | Severity::Bonus, None, _) => {
                    r.at(
                        node,
                        format!("missing required key `points` {ctx}"),
                        Some(format!(
                            "a {} rule needs `points:` greater than 0",
                            sev.as_str()
                        )),
                    );
                    ok = false;
                }
                (Severity::Deduct | Severity::Bonus, Some(Some(p)), Some(n)) => {
                    if p <= 0.0 {
                        r.at(
                            n,
                            format!(
                                "`points` {ctx} must be greater than 0 for a {} rule",
                                sev.as_str()
                            ),
                            None,
                        );
                        ok = false;
                    }
                    points_value = p;
                }
                (_, Some(Some(p)), Some(n)) if p != 0.0 => {
                    r.at(
                        n,
                        format!("`points` {ctx} only applies to deduct and bonus rules"),
                        Some(format!(
                            "remove `points:` or set `severity: deduct`; a {} rule costs no points",
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
            format!("`{key}` {ctx} must be greater than 0"),
            Some(format!("remove `{key}:` for no limit")),
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

fn date(r: &mut Reporter, n: &Node, key: &str, ctx: &str) -> Option<NaiveDate> {
    let s = r.string(n, key, ctx)?;
    match NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d") {
        Ok(d) => Some(d),
        Err(_) => {
            r.at(
                n,
                format!("`{key}` {ctx} must be a date like 2023-01-23, found `{s}`"),
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
            format!("`{key}` {ctx} must be a month-day like \"03-31\", found `{s}`"),
            None,
        );
    }
    parsed
}

fn grades(r: &mut Reporter, n: &Node) -> Option<Vec<GradeBand>> {
    let ctx = "in `settings.grades`";
    let items = r.seq(n, "grades", "in `settings`")?;
    if items.is_empty() {
        r.at(
            n,
            "`settings.grades` needs at least one band",
            Some("for example `- {name: 合格, min: 0}`".into()),
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
                            "grade `{name}` has min {min}, not below the previous band's {}",
                            prev.min
                        ),
                        Some("list the bands from the highest `min` to the lowest".into()),
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
                "the last grade band `{}` has min {}; it must be 0 so every score gets a grade",
                last.name, last.min
            ),
            Some("add a last band such as `- {name: 不合格, min: 0}`".into()),
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
    let pctx = format!("in `params` of check `{check}` {ctx}");
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
                format!("missing required param `{key}` for check `{check}` {ctx}"),
                Some(if has_params {
                    format!("add `{key}: …` to `params`")
                } else {
                    format!("add `params: {{{key}: …}}`")
                }),
            );
        }
        v
    };
    let at_least_one = |r: &mut Reporter, n: &Node, key: &str| -> Option<u32> {
        let v = r.u32(n, key, pctx)?;
        if v == 0 {
            r.at(n, format!("`{key}` {pctx} must be at least 1"), None);
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
                        format!("`fail_ratio` {pctx} must be above 0 and at most 1, found {v}"),
                        Some("write a share, e.g. 0.05 for 5%".into()),
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
                            format!("`weekday` {pctx} must be 1 (Monday) to 7 (Sunday), found {v}"),
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
            format!("`windows` {ctx} must map column classes to days, e.g. {{news: 14}}"),
            None,
        );
        return None;
    };
    let opts = class_options();
    let mut out = BTreeMap::new();
    let mut ok = true;
    for (k, v) in entries {
        let class = r.choice(k, "class", &format!("in `windows` {ctx}"), &opts);
        let days = r.u32(v, "windows", ctx);
        match (class, days) {
            (Some(c), Some(d)) if d > 0 => {
                out.insert(c, d);
            }
            (Some(_), Some(_)) => {
                r.at(
                    v,
                    format!("days in `windows` {ctx} must be at least 1"),
                    None,
                );
                ok = false;
            }
            _ => ok = false,
        }
    }
    if out.is_empty() && ok {
        r.at(
            n,
            format!("`windows` {ctx} must name at least one class"),
            None,
        );
        ok = false;
    }
    ok.then_some(out)
}
