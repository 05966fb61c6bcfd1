//! config.yaml (CONTRACT §2): validates every key, reporting every problem at once, and
//! builds `Settings` with the defaults (which live here and in `CrawlSettings::default`).
//! It must not read rule files itself: it returns where they are, and `config::load_str`
//! loads them.

use super::rule_file::class_options;
use super::types::*;
use super::yaml::{Fields, Node, Reporter};
use crate::model::{ColumnClass, Role};
use croner::parser::{CronParser, Seconds, Year};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use url::Url;

/// Default SQLite database, relative to the config's folder.
pub(crate) const DEFAULT_DATABASE: &str = "data/govscore.db";
/// Default reports folder, relative to the config's folder.
pub(crate) const DEFAULT_REPORTS_DIR: &str = "reports";
/// Default daemon schedule: every day at 02:30.
pub(crate) const DEFAULT_SCHEDULE: &str = "30 2 * * *";
/// Default time zone.
pub(crate) const DEFAULT_TIMEZONE: chrono_tz::Tz = chrono_tz::Asia::Shanghai;

const TOP_KEYS: &[&str] = &[
    "district",
    "timezone",
    "sites",
    "discover",
    "discover_exclude",
    "discover_include",
    "column_classes",
    "crawl",
    "storage",
    "reports",
    "schedule",
    "rules",
    "daemon",
    "notify",
    "serve",
    "screening",
];
const SCREENING_KEYS: &[&str] = &[
    "enabled",
    "names",
    "sensitive",
    "friendly_hosts",
    "attachment_max_bytes",
    "dead_links",
];
const SENSITIVE_KEYS: &[&str] = &["category", "path", "serious"];
const DEAD_LINK_KEYS: &[&str] = &["enabled", "external", "recheck_days"];
const SITE_KEYS: &[&str] = &["id", "name", "role", "url", "columns", "contacts"];
const DAEMON_KEYS: &[&str] = &[
    "catch_up",
    "retention_days",
    "keep_reports",
    "probes_per_day",
    "grace_s",
];
const NOTIFY_KEYS: &[&str] = &["webhooks", "repeat_hours"];
const WEBHOOK_KEYS: &[&str] = &["url", "format", "events"];
const COLUMN_KEYS: &[&str] = &["name", "class", "url"];
const CRAWL_KEYS: &[&str] = &[
    "delay_ms",
    "per_host_concurrency",
    "global_concurrency",
    "timeout_s",
    "retries",
    "max_body_bytes",
    "max_pages_per_column",
    "max_articles_per_column",
    "respect_robots",
    "contact",
];

/// The crontab parser govscore uses everywhere: 5 fields, or 6 with seconds first; no
/// year field; weekdays the crontab way (0 or 7 = Sunday, 1 = Monday); day-of-month and
/// day-of-week combine with OR as in Vixie cron.
pub fn schedule_parser() -> CronParser {
    CronParser::builder()
        .seconds(Seconds::Optional)
        .year(Year::Disallowed)
        .dom_and_dow(false)
        .build()
}

/// Checks a crontab line; the error says what is wrong.
pub fn validate_cron(line: &str) -> Result<croner::Cron, String> {
    let fields = line.split_whitespace().count();
    if !line.trim_start().starts_with('@') && fields != 5 && fields != 6 {
        return Err(format!(
            "定时表达式应有 5 个字段（分 时 日 月 星期），或以秒开头的 6 个字段；`{line}` 有 {fields} 个"
        ));
    }
    schedule_parser()
        .parse(line)
        .map_err(|e| format!("`{line}` 不是有效的 crontab 表达式：{e}"))
}

/// Where the rules come from, as written in config.yaml.
pub(crate) enum RulesSource<'n> {
    /// No `rules` key: the built-in rules.
    Builtin,
    /// A folder (or single file) path and the node it was written at.
    Path(PathBuf, &'n Node),
    /// A list of files, each with its node.
    Files(Vec<(PathBuf, &'n Node)>),
}

/// Validates the config tree. Returns the settings (with an empty rule set, filled in by
/// the caller) when this file had no problem, and where the rules come from either way.
pub(crate) fn settings<'n>(
    r: &mut Reporter,
    root: &'n Node,
    base_dir: &Path,
) -> (Option<Settings>, RulesSource<'n>) {
    let before = r.diags.len();
    let ctx = "配置";
    let Some(f) = r.fields(root, TOP_KEYS, ctx) else {
        return (None, RulesSource::Builtin);
    };
    let district = r
        .required(&f, "district", ctx)
        .and_then(|n| r.string(n, "district", ctx));
    let timezone = match f.get("timezone") {
        Some(n) => r
            .string(n, "timezone", ctx)
            .and_then(|s| match s.parse::<chrono_tz::Tz>() {
                Ok(tz) => Some(tz),
                Err(_) => {
                    let names = chrono_tz::TZ_VARIANTS.iter().map(|t| t.name());
                    let help = match super::diagnostic::suggest(&s, names) {
                        Some(c) => format!("是否应为 `{c}`？"),
                        None => "请使用 IANA 时区名，如 `Asia/Shanghai`".to_string(),
                    };
                    r.at(n, format!("未知的时区 `{s}`"), Some(help));
                    None
                }
            }),
        None => Some(DEFAULT_TIMEZONE),
    };
    let discover = match f.get("discover") {
        Some(n) => r.boolean(n, "discover", ctx),
        None => Some(false),
    };
    let sites = r.required(&f, "sites", ctx).and_then(|n| sites(r, n));
    if let (Some(true), Some(list), Some(n)) = (discover, &sites, f.get("sites"))
        && !list.iter().any(|s| s.role == Role::Portal)
    {
        r.at(
            n,
            "`discover: true` 需要一个 `role: portal` 的网站，才能从它发现子站",
            Some("添加 `role: portal` 的区人民政府门户网站，或设置 `discover: false`".into()),
        );
    }
    let discover_exclude = discover_patterns(r, f.get("discover_exclude"), "discover_exclude");
    let discover_include = discover_patterns(r, f.get("discover_include"), "discover_include");
    let column_classes = column_classes(r, f.get("column_classes"));
    let crawl = crawl(r, f.get("crawl"));
    let database = path_under(r, &f, "storage", "database", DEFAULT_DATABASE, base_dir);
    let reports_dir = path_under(r, &f, "reports", "dir", DEFAULT_REPORTS_DIR, base_dir);
    let schedule = schedule(r, f.get("schedule"));
    let rules = rules_source(r, f.get("rules"), base_dir);
    let daemon = daemon(r, f.get("daemon"));
    let notify = notify(r, f.get("notify"));
    let serve = serve(r, f.get("serve"));
    let screening = screening(r, f.get("screening"), base_dir);
    if r.diags.len() != before {
        return (None, rules);
    }
    let (
        Some(district),
        Some(timezone),
        Some(discover),
        Some(sites),
        Some(crawl),
        Some(schedule_assess),
        Some(daemon),
        Some(notify),
        Some(serve),
        Some(screening),
    ) = (
        district, timezone, discover, sites, crawl, schedule, daemon, notify, serve, screening,
    )
    else {
        return (None, rules);
    };
    let settings = Settings {
        config_path: None,
        district,
        timezone,
        sites,
        discover,
        discover_exclude,
        discover_include,
        column_classes,
        crawl,
        database,
        reports_dir,
        schedule_assess,
        daemon,
        notify,
        serve,
        screening,
        rules: super::rule_file::empty_rule_set(),
    };
    (Some(settings), rules)
}

/// Settings for the commands that need only the database (`score`, `report`, `serve`
/// with `--db` and no config file): every key at its default, the built-in rules, and
/// `district` as given (the caller reads it from what the run stored).
pub fn database_only(database: PathBuf, district: String) -> Settings {
    let mut r = Reporter::new("<built-in>", "");
    let defaults = (
        crawl(&mut r, None),
        schedule(&mut r, None),
        daemon(&mut r, None),
        notify(&mut r, None),
        serve(&mut r, None),
    );
    let (Some(crawl), Some(schedule_assess), Some(daemon), Some(notify), Some(serve)) = defaults
    else {
        // Unreachable: every section's default is valid (asserted by a unit test).
        unreachable!("the config defaults do not validate: {:?}", r.diags);
    };
    Settings {
        config_path: None,
        district,
        timezone: DEFAULT_TIMEZONE,
        sites: Vec::new(),
        discover: false,
        discover_exclude: Vec::new(),
        discover_include: Vec::new(),
        column_classes: column_classes(&mut r, None),
        crawl,
        database,
        reports_dir: PathBuf::from(DEFAULT_REPORTS_DIR),
        schedule_assess,
        daemon,
        notify,
        serve,
        screening: ScreeningSettings::default(),
        rules: super::builtin_rules(),
    }
}

/// An absolute http(s) URL with a host, written as nothing but the address: a missing or
/// misspelt scheme, a space or text after the address is an error with the corrected
/// address as suggestion.
fn url(r: &mut Reporter, n: &Node, key: &str, ctx: &str) -> Option<Url> {
    let raw = r.string(n, key, ctx)?;
    let s = raw.trim();
    let valid = |s: &str| {
        Url::parse(s).ok().filter(|u| {
            (u.scheme() == "http" || u.scheme() == "https")
                && u.host_str().is_some_and(|h| !h.is_empty())
        })
    };
    let lower = s.to_ascii_lowercase();
    if !s.contains(char::is_whitespace)
        && (lower.starts_with("http://") || lower.starts_with("https://"))
        && let Some(u) = valid(s)
    {
        return Some(u);
    }
    let problem = if s.is_empty() {
        "为空".to_string()
    } else if s.contains(char::is_whitespace) {
        "含有空格或空格后的多余文字".to_string()
    } else if !s.contains("://") {
        "缺少 http:// 或 https://".to_string()
    } else {
        "不是 http:// 或 https:// 网址".to_string()
    };
    let help = corrected_url(s)
        .filter(|c| valid(c).is_some())
        .map(|c| format!("应写作 `{c}`？"))
        .or_else(|| Some("请写完整网址，例如 `http://www.mengjin.gov.cn/`".into()));
    r.at(n, format!("{ctx}中的 `{key}` {problem}：`{s}`"), help);
    None
}

/// The address a mistyped URL most likely means: the text before the first space, with a
/// misspelt scheme (`http//`, `http:/`, `http:\\`, `hhtp://`) repaired or a missing one
/// added. None when nothing is left.
fn corrected_url(s: &str) -> Option<String> {
    let first = s.split_whitespace().next()?;
    let lower = first.to_ascii_lowercase();
    for (scheme, misspellings) in [
        (
            "https",
            &["https://", "https:/", "https//", "https:\\\\", "https:"][..],
        ),
        (
            "http",
            &[
                "http://",
                "http:/",
                "http//",
                "http:\\\\",
                "hhtp://",
                "htp://",
                "http:",
            ][..],
        ),
    ] {
        for m in misspellings {
            if lower.starts_with(m) {
                let rest = first[m.len()..].trim_start_matches(['/', '\\']);
                return (!rest.is_empty()).then(|| format!("{scheme}://{rest}"));
            }
        }
    }
    if first.contains("://") {
        // Another scheme (ftp://, file://): the host and path are kept, the scheme is http.
        let rest = first.split_once("://").map_or("", |(_, r)| r);
        return (!rest.is_empty()).then(|| format!("http://{rest}"));
    }
    Some(format!("http://{}", first.trim_start_matches('/')))
}

fn valid_site_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-')
}

fn sites(r: &mut Reporter, n: &Node) -> Option<Vec<SiteConfig>> {
    let items = r.seq(n, "sites", "配置")?;
    if items.is_empty() {
        r.at(
            n,
            "`sites` 为空",
            Some("至少添加 `role: portal` 的区人民政府门户网站".into()),
        );
        return None;
    }
    let roles: Vec<(&str, Role)> = Role::ALL.iter().map(|r| (r.as_str(), *r)).collect();
    let mut out = Vec::new();
    let mut seen: Vec<(String, usize)> = Vec::new();
    let mut ok = true;
    for (i, item) in items.iter().enumerate() {
        // Name the site by its id in every message, so read the id before the keys.
        let ctx = match item.peek("id").and_then(Node::scalar) {
            Some(id) => format!("网站 `{id}` "),
            None => format!("第 {} 个网站", i + 1),
        };
        let ctx = ctx.as_str();
        let Some(f) = r.fields(item, SITE_KEYS, ctx) else {
            ok = false;
            continue;
        };
        let id_node = f.get("id");
        let id = r
            .required(&f, "id", ctx)
            .and_then(|x| r.string(x, "id", ctx));
        if let (Some(id), Some(idn)) = (&id, id_node) {
            if !valid_site_id(id) {
                r.at(
                    idn,
                    format!("网站编号 `{id}` 只能使用小写字母 a-z、数字 0-9、`_` 和 `-`"),
                    Some(format!("例如 `{}`", super::rule_file::slug(id))),
                );
                ok = false;
            } else if let Some((_, line)) = seen.iter().find(|(s, _)| s == id) {
                r.at(
                    idn,
                    format!("网站编号 `{id}` 重复"),
                    Some(format!(
                        "第 {line} 行的网站已使用这个编号；每个网站的编号须各不相同"
                    )),
                );
                ok = false;
            } else {
                seen.push((id.clone(), idn.loc.line));
            }
        }
        let name = r
            .required(&f, "name", ctx)
            .and_then(|x| r.string(x, "name", ctx));
        let role = r
            .required(&f, "role", ctx)
            .and_then(|x| r.choice(x, "role", ctx, &roles));
        let u = r
            .required(&f, "url", ctx)
            .and_then(|x| url(r, x, "url", ctx));
        let columns = match f.get("columns") {
            Some(c) if c.is_null() => Some(Vec::new()),
            Some(c) => columns(r, c, ctx),
            None => Some(Vec::new()),
        };
        let contacts = match f.get("contacts") {
            Some(c) => string_list(r, c, "contacts", ctx),
            None => Some(Vec::new()),
        };
        match (id, name, role, u, columns, contacts) {
            (Some(id), Some(name), Some(role), Some(url), Some(columns), Some(contacts)) => out
                .push(SiteConfig {
                    id,
                    name,
                    role,
                    url,
                    columns,
                    contacts,
                }),
            _ => ok = false,
        }
    }
    ok.then_some(out)
}

fn columns(r: &mut Reporter, n: &Node, site_ctx: &str) -> Option<Vec<ColumnPin>> {
    let items = r.seq(n, "columns", site_ctx)?;
    let classes = class_options();
    let mut out = Vec::new();
    let mut ok = true;
    for item in items {
        let ctx = format!("{} 的一个栏目", site_ctx.trim_end());
        let Some(f) = r.fields(item, COLUMN_KEYS, &ctx) else {
            ok = false;
            continue;
        };
        let name = r
            .required(&f, "name", &ctx)
            .and_then(|x| r.string(x, "name", &ctx));
        let class = r
            .required(&f, "class", &ctx)
            .and_then(|x| r.choice(x, "class", &ctx, &classes));
        let u = r
            .required(&f, "url", &ctx)
            .and_then(|x| url(r, x, "url", &ctx));
        match (name, class, u) {
            (Some(name), Some(class), Some(url)) => out.push(ColumnPin { name, class, url }),
            _ => ok = false,
        }
    }
    ok.then_some(out)
}

fn column_classes(r: &mut Reporter, n: Option<&Node>) -> BTreeMap<ColumnClass, Vec<String>> {
    let mut map: BTreeMap<ColumnClass, Vec<String>> = ColumnClass::ALL
        .iter()
        .map(|c| {
            (
                *c,
                c.builtin_names().iter().map(|s| s.to_string()).collect(),
            )
        })
        .collect();
    let Some(n) = n else { return map };
    if n.is_null() {
        return map;
    }
    let Some(items) = r.seq(n, "column_classes", "配置") else {
        return map;
    };
    let classes = class_options();
    let mut seen: Vec<(ColumnClass, usize)> = Vec::new();
    for item in items {
        let ctx = "`column_classes` ";
        let Some(f) = r.fields(item, &["class", "names"], ctx) else {
            continue;
        };
        let cnode = r.required(&f, "class", ctx);
        let class = cnode.and_then(|x| r.choice(x, "class", ctx, &classes));
        let names = r.required(&f, "names", ctx).and_then(|x| {
            let list = r.seq(x, "names", ctx)?;
            if list.is_empty() {
                r.at(x, format!("{ctx}中的 `names` 为空"), Some("列出这一类栏目的链接文字，如 [最新动态, 工作动态]；删除这一项则使用内置名称".into()));
                return None;
            }
            let v: Vec<Option<String>> = list.iter().map(|s| r.string(s, "names", ctx)).collect();
            v.into_iter().collect::<Option<Vec<String>>>()
        });
        if let (Some(class), Some(cn)) = (class, cnode) {
            if let Some((_, line)) = seen.iter().find(|(c, _)| *c == class) {
                r.at(
                    cn,
                    format!("栏目类别 `{class}` 在 `column_classes` 中出现了两次"),
                    Some(format!("第 {line} 行已列出；请把名称合并到一项中")),
                );
                continue;
            }
            seen.push((class, cn.loc.line));
            if let Some(names) = names {
                map.insert(class, names);
            }
        }
    }
    map
}

fn crawl(r: &mut Reporter, n: Option<&Node>) -> Option<CrawlSettings> {
    let mut c = CrawlSettings::default();
    let Some(n) = n else { return Some(c) };
    if n.is_null() {
        return Some(c);
    }
    let ctx = "`crawl` ";
    let f = r.fields(n, CRAWL_KEYS, ctx)?;
    let before = r.diags.len();
    let positive = |r: &mut Reporter, f: &Fields, key: &str| -> Option<u64> {
        let node = f.get(key)?;
        let v = r.uint(node, key, ctx)?;
        if v == 0 {
            r.at(node, format!("{ctx}中的 `{key}` 至少应为 1"), None);
            return None;
        }
        Some(v)
    };
    if let Some(v) = f.get("delay_ms").and_then(|x| r.uint(x, "delay_ms", ctx)) {
        c.delay_ms = v;
    }
    if let Some(v) = positive(r, &f, "per_host_concurrency") {
        c.per_host_concurrency = usize::try_from(v).unwrap_or(usize::MAX);
    }
    if let Some(v) = positive(r, &f, "global_concurrency") {
        c.global_concurrency = usize::try_from(v).unwrap_or(usize::MAX);
    }
    if let Some(v) = positive(r, &f, "timeout_s") {
        c.timeout_s = v;
    }
    if let Some(v) = f.get("retries").and_then(|x| r.u32(x, "retries", ctx)) {
        c.retries = v;
    }
    if let Some(v) = positive(r, &f, "max_body_bytes") {
        c.max_body_bytes = usize::try_from(v).unwrap_or(usize::MAX);
    }
    if let Some(v) = positive(r, &f, "max_pages_per_column") {
        c.max_pages_per_column = u32::try_from(v).unwrap_or(u32::MAX);
    }
    if let Some(v) = positive(r, &f, "max_articles_per_column") {
        c.max_articles_per_column = u32::try_from(v).unwrap_or(u32::MAX);
    }
    if let Some(v) = f
        .get("respect_robots")
        .and_then(|x| r.boolean(x, "respect_robots", ctx))
    {
        c.respect_robots = v;
    }
    if let Some(v) = f.get("contact").and_then(|x| r.string(x, "contact", ctx)) {
        c.contact = v;
    }
    (r.diags.len() == before).then_some(c)
}

/// `section.key` as a path resolved from `base_dir`, or the default.
fn path_under(
    r: &mut Reporter,
    f: &Fields,
    section: &str,
    key: &str,
    default: &str,
    base_dir: &Path,
) -> PathBuf {
    let written = f.get(section).filter(|n| !n.is_null()).and_then(|n| {
        let sf = r.fields(n, &[key], &format!("`{section}` "))?;
        let v = sf.get(key)?;
        r.string(v, key, &format!("`{section}` "))
    });
    resolve(base_dir, written.as_deref().unwrap_or(default))
}

pub(crate) fn resolve(base_dir: &Path, p: &str) -> PathBuf {
    let p = Path::new(p);
    if p.is_absolute() {
        p.to_path_buf()
    } else {
        base_dir.join(p)
    }
}

fn schedule(r: &mut Reporter, n: Option<&Node>) -> Option<String> {
    let Some(n) = n.filter(|n| !n.is_null()) else {
        return Some(DEFAULT_SCHEDULE.to_string());
    };
    let f = r.fields(n, &["assess"], "`schedule` ")?;
    let Some(v) = f.get("assess") else {
        return Some(DEFAULT_SCHEDULE.to_string());
    };
    let line = r.string(v, "assess", "`schedule` ")?;
    match validate_cron(&line) {
        Ok(_) => Some(line.trim().to_string()),
        Err(msg) => {
            r.at(
                v,
                format!("schedule.assess 无效：{msg}"),
                Some(format!("例如 \"{DEFAULT_SCHEDULE}\" 表示每天 02:30 运行")),
            );
            None
        }
    }
}

fn rules_source<'n>(r: &mut Reporter, n: Option<&'n Node>, base_dir: &Path) -> RulesSource<'n> {
    let Some(n) = n.filter(|n| !n.is_null()) else {
        return RulesSource::Builtin;
    };
    if let Some(s) = n.scalar() {
        return RulesSource::Path(resolve(base_dir, s), n);
    }
    let Some(items) = r.seq(n, "rules", "配置") else {
        return RulesSource::Builtin;
    };
    let mut files = Vec::new();
    for item in items {
        if let Some(s) = r.string(item, "rules", "配置") {
            files.push((resolve(base_dir, &s), item));
        }
    }
    RulesSource::Files(files)
}

/// `discover_exclude` / `discover_include`: unit names, hosts or http(s) URL prefixes.
fn discover_patterns(r: &mut Reporter, n: Option<&Node>, key: &str) -> Vec<String> {
    let Some(n) = n else {
        return Vec::new();
    };
    let ctx = "配置文件";
    if n.is_null() {
        return Vec::new();
    }
    let Some(items) = r.seq(n, key, ctx) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for item in items {
        let Some(s) = r.string(item, key, ctx) else {
            continue;
        };
        let s = s.trim().to_string();
        let lower = s.to_ascii_lowercase();
        let bad = if s.is_empty() {
            Some("`{key}` 中有一项为空".to_string())
        } else if lower.contains("://") {
            match Url::parse(&s) {
                Ok(u) if matches!(u.scheme(), "http" | "https") && u.host_str().is_some() => None,
                _ => Some(format!("`{key}` 中的 `{s}` 不是 http(s) 网址")),
            }
        } else if s.contains('/') {
            Some(format!("`{key}` 中的 `{s}` 像是缺少 `http://` 的网址"))
        } else {
            None
        };
        match bad {
            Some(msg) => r.at(
                item,
                msg.replace("{key}", key),
                Some(
                    "请写单位名称（区教育局）、主机名（jyj.example.gov.cn）或网址前缀（http://www.example.gov.cn/bm/jyj/）"
                        .to_string(),
                ),
            ),
            None => out.push(s),
        }
    }
    out
}

/// A list of strings (null = empty).
fn string_list(r: &mut Reporter, n: &Node, key: &str, ctx: &str) -> Option<Vec<String>> {
    if n.is_null() {
        return Some(Vec::new());
    }
    let items = r.seq(n, key, ctx)?;
    let v: Vec<Option<String>> = items.iter().map(|s| r.string(s, key, ctx)).collect();
    v.into_iter().collect()
}

/// `daemon:` (all optional).
fn daemon(r: &mut Reporter, n: Option<&Node>) -> Option<DaemonSettings> {
    let mut d = DaemonSettings::default();
    let Some(n) = n.filter(|n| !n.is_null()) else {
        return Some(d);
    };
    let ctx = "`daemon` ";
    let f = r.fields(n, DAEMON_KEYS, ctx)?;
    let before = r.diags.len();
    if let Some(v) = f
        .get("catch_up")
        .and_then(|x| r.boolean(x, "catch_up", ctx))
    {
        d.catch_up = v;
    }
    if let Some(v) = f
        .get("retention_days")
        .and_then(|x| r.u32(x, "retention_days", ctx))
    {
        d.retention_days = v;
    }
    if let Some(v) = f
        .get("keep_reports")
        .and_then(|x| r.u32(x, "keep_reports", ctx))
    {
        d.keep_reports = v;
    }
    if let Some(x) = f.get("probes_per_day")
        && let Some(v) = r.u32(x, "probes_per_day", ctx)
    {
        if v != 0 && v < 20 {
            r.at(
                x,
                format!("{ctx}中的 `probes_per_day` 至少应为 20（国办秘函〔2019〕19号 按每天不少于 20 次访问统计一周），实际是 {v}"),
                Some("建议 24（每小时一次），或 0 表示不探测".into()),
            );
        } else if v > 1440 {
            r.at(
                x,
                format!("{ctx}中的 `probes_per_day` 至多为 1440（每分钟一次），实际是 {v}"),
                Some("建议 24（每小时一次）".into()),
            );
        } else {
            d.probes_per_day = v;
        }
    }
    if let Some(x) = f.get("grace_s")
        && let Some(v) = r.uint(x, "grace_s", ctx)
    {
        if v == 0 || v > 3600 {
            r.at(
                x,
                format!("{ctx}中的 `grace_s` 应在 1 到 3600 秒之间，实际是 {v}"),
                Some("30 秒足够让正在进行的抓取保存已取得的内容".into()),
            );
        } else {
            d.grace_s = v;
        }
    }
    (r.diags.len() == before).then_some(d)
}

/// `notify:` (all optional).
fn notify(r: &mut Reporter, n: Option<&Node>) -> Option<NotifySettings> {
    let mut out = NotifySettings::default();
    let Some(n) = n.filter(|n| !n.is_null()) else {
        return Some(out);
    };
    let ctx = "`notify` ";
    let f = r.fields(n, NOTIFY_KEYS, ctx)?;
    let before = r.diags.len();
    if let Some(x) = f.get("repeat_hours")
        && let Some(v) = r.u32(x, "repeat_hours", ctx)
    {
        if v == 0 {
            r.at(
                x,
                format!("{ctx}中的 `repeat_hours` 至少应为 1"),
                Some("24 表示未解决的告警每天重复一次".into()),
            );
        } else {
            out.repeat_hours = v;
        }
    }
    let formats = [
        ("generic", WebhookFormat::Generic),
        ("dingtalk", WebhookFormat::Dingtalk),
        ("wecom", WebhookFormat::Wecom),
    ];
    let events: Vec<(&str, NotifyEvent)> =
        NotifyEvent::ALL.iter().map(|e| (e.as_str(), *e)).collect();
    if let Some(list) = f
        .get("webhooks")
        .filter(|x| !x.is_null())
        .and_then(|x| r.seq(x, "webhooks", ctx))
    {
        for item in list {
            let wctx = "`notify` 的一个 webhook ";
            let Some(wf) = r.fields(item, WEBHOOK_KEYS, wctx) else {
                continue;
            };
            let u = r
                .required(&wf, "url", wctx)
                .and_then(|x| url(r, x, "url", wctx));
            let format = match wf.get("format") {
                Some(x) => r.choice(x, "format", wctx, &formats),
                None => Some(WebhookFormat::Generic),
            };
            let ev = match wf.get("events").filter(|x| !x.is_null()) {
                Some(x) => r.seq(x, "events", wctx).and_then(|items| {
                    let v: Vec<Option<NotifyEvent>> = items
                        .iter()
                        .map(|e| r.choice(e, "events", wctx, &events))
                        .collect();
                    v.into_iter().collect::<Option<Vec<_>>>()
                }),
                None => Some(NotifyEvent::ALL.to_vec()),
            };
            if let (Some(url), Some(format), Some(events)) = (u, format, ev) {
                out.webhooks.push(Webhook {
                    url,
                    format,
                    events,
                });
            }
        }
    }
    (r.diags.len() == before).then_some(out)
}

/// `serve:` (all optional).
fn serve(r: &mut Reporter, n: Option<&Node>) -> Option<ServeSettings> {
    let Some(n) = n.filter(|n| !n.is_null()) else {
        return Some(ServeSettings::default());
    };
    let ctx = "`serve` ";
    let f = r.fields(n, &["token"], ctx)?;
    let Some(x) = f.get("token").filter(|x| !x.is_null()) else {
        return Some(ServeSettings::default());
    };
    let token = r.string(x, "token", ctx)?;
    if token.trim().len() < 16 {
        r.at(
            x,
            format!("{ctx}中的 `token` 太短，不足以保护控制台（至少 16 个字符）"),
            Some("可以这样生成：`openssl rand -hex 24`".into()),
        );
        return None;
    }
    Some(ServeSettings {
        token: Some(token.trim().to_string()),
    })
}

/// `screening:` (all optional): the district's dictionaries (paths resolved from the
/// config's folder; a missing file is an error at its path), hosts whose links are never
/// 暗链, the attachment cap and the dead-link check.
fn screening(r: &mut Reporter, n: Option<&Node>, base_dir: &Path) -> Option<ScreeningSettings> {
    let mut out = ScreeningSettings::default();
    let Some(n) = n.filter(|n| !n.is_null()) else {
        return Some(out);
    };
    let ctx = "`screening` ";
    let f = r.fields(n, SCREENING_KEYS, ctx)?;
    let before = r.diags.len();
    if let Some(v) = f.get("enabled").and_then(|x| r.boolean(x, "enabled", ctx)) {
        out.enabled = v;
    }
    if let Some(x) = f.get("names").filter(|x| !x.is_null())
        && let Some(p) = r.string(x, "names", ctx)
    {
        let path = resolve(base_dir, p.trim());
        if dictionary_file_ok(r, x, &path, "名称表") {
            out.names = Some(path);
        }
    }
    if let Some(x) = f.get("sensitive").filter(|x| !x.is_null())
        && let Some(items) = r.seq(x, "sensitive", ctx)
    {
        let mut seen: Vec<(String, usize)> = Vec::new();
        for item in items {
            let ictx = "`screening.sensitive` 的一项";
            let Some(sf) = r.fields(item, SENSITIVE_KEYS, ictx) else {
                continue;
            };
            let category = r.required(&sf, "category", ictx).and_then(|c| {
                r.string(c, "category", ictx)
                    .map(|s| (s.trim().to_string(), c))
            });
            let path = r
                .required(&sf, "path", ictx)
                .and_then(|p| {
                    r.string(p, "path", ictx)
                        .map(|s| (resolve(base_dir, s.trim()), p))
                })
                .filter(|(p, node)| dictionary_file_ok(r, node, p, "敏感词词库"));
            let serious = match sf.get("serious") {
                Some(s) => r.boolean(s, "serious", ictx),
                None => Some(true),
            };
            if let Some((cat, node)) = &category {
                if let Some((_, line)) = seen.iter().find(|(c, _)| c == cat) {
                    r.at(
                        node,
                        format!("敏感词类别 `{cat}` 重复"),
                        Some(format!(
                            "第 {line} 行已有这个类别；同一类别的词请写在一个文件中"
                        )),
                    );
                    continue;
                }
                seen.push((cat.clone(), node.loc.line));
            }
            if let (Some((category, _)), Some((path, _)), Some(serious)) = (category, path, serious)
            {
                out.sensitive.push(SensitiveDictionary {
                    category,
                    path,
                    serious,
                });
            }
        }
    }
    if let Some(x) = f.get("friendly_hosts")
        && let Some(list) = string_list(r, x, "friendly_hosts", ctx)
    {
        let items: &[Node] = match &x.kind {
            super::yaml::Kind::Seq(items) => items,
            _ => &[],
        };
        for (h, node) in list.iter().zip(items) {
            match friendly_host(h) {
                Ok(host) => out.friendly_hosts.push(host),
                Err(help) => r.at(
                    node,
                    format!("{ctx}中 `friendly_hosts` 的 `{h}` 不是主机名"),
                    Some(help),
                ),
            }
        }
    }
    if let Some(x) = f.get("attachment_max_bytes")
        && let Some(v) = r.uint(x, "attachment_max_bytes", ctx)
    {
        if v == 0 {
            r.at(
                x,
                format!("{ctx}中的 `attachment_max_bytes` 至少应为 1"),
                Some("默认 20971520（20 MiB）；不筛查附件请不要设置为 0，而是关闭相应规则".into()),
            );
        } else {
            out.attachment_max_bytes = usize::try_from(v).unwrap_or(usize::MAX);
        }
    }
    if let Some(x) = f.get("dead_links").filter(|x| !x.is_null()) {
        let dctx = "`screening.dead_links` ";
        if let Some(df) = r.fields(x, DEAD_LINK_KEYS, dctx) {
            let d = &mut out.dead_links;
            if let Some(v) = df
                .get("enabled")
                .and_then(|y| r.boolean(y, "enabled", dctx))
            {
                d.enabled = v;
            }
            if let Some(v) = df
                .get("external")
                .and_then(|y| r.boolean(y, "external", dctx))
            {
                d.external = v;
            }
            if let Some(y) = df.get("recheck_days")
                && let Some(v) = r.u32(y, "recheck_days", dctx)
            {
                if v == 0 || v > 365 {
                    r.at(
                        y,
                        format!("{dctx}中的 `recheck_days` 应在 1 到 365 天之间，实际是 {v}"),
                        Some("默认 7：正常的链接 7 天内不再检查".into()),
                    );
                } else {
                    d.recheck_days = v;
                }
            }
        }
    }
    (r.diags.len() == before).then_some(out)
}

/// Whether a dictionary file written at `node` exists and is a file; reports it otherwise.
fn dictionary_file_ok(r: &mut Reporter, node: &Node, path: &Path, what: &str) -> bool {
    let problem = match std::fs::metadata(path) {
        Ok(m) if m.is_file() => return true,
        Ok(_) => format!("{what} `{}` 是一个目录，不是文件", path.display()),
        Err(_) => format!("{what} `{}` 不存在", path.display()),
    };
    r.at(
        node,
        problem,
        Some("请改正路径（相对路径从配置文件所在目录算起）".into()),
    );
    false
}

/// A `friendly_hosts` entry as a lower-case host name; a URL is an error whose help is
/// its host.
fn friendly_host(s: &str) -> Result<String, String> {
    let t = s.trim().trim_end_matches('.').to_ascii_lowercase();
    let valid = |h: &str| {
        !h.is_empty()
            && h.contains('.')
            && h.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.')
            && !h.starts_with(['.', '-'])
    };
    if valid(&t) {
        return Ok(t);
    }
    let host = Url::parse(&t)
        .ok()
        .and_then(|u| u.host_str().map(str::to_string))
        .or_else(|| {
            Url::parse(&format!("http://{t}"))
                .ok()?
                .host_str()
                .map(str::to_string)
        })
        .filter(|h| valid(h));
    Err(match host {
        Some(h) => format!("只写主机名：`{h}`（其子域名也包括在内）"),
        None => "请写主机名，例如 `www.people.com.cn`".into(),
    })
}
