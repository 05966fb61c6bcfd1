//! The resolved configuration: what every later stage sees. Built only by
//! `config::load*` from the raw YAML model after validation; defaults live there, in one
//! place. Nothing here is read from disk or parsed.

use crate::model::{ColumnClass, Role};
use chrono::NaiveDate;
use std::collections::BTreeMap;
use std::path::PathBuf;
use url::Url;

/// A validated config.yaml plus the rule set it names.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The config file this came from (None for built-in settings such as `demo`).
    pub config_path: Option<PathBuf>,
    /// Display name of the assessed area (`district`).
    pub district: String,
    /// The time zone every window is computed in (`timezone`, default Asia/Shanghai).
    pub timezone: chrono_tz::Tz,
    /// The configured sites, in config order.
    pub sites: Vec<SiteConfig>,
    /// Also assess subsites linked from the portal's navigation (`discover`).
    pub discover: bool,
    /// Links discovery must leave out whatever it would decide (`discover_exclude`): a
    /// unit name (the link text contains it), a host (`jyj.example.gov.cn`, subdomains
    /// too) or a URL prefix (`http://…/bm/jyj/`).
    pub discover_exclude: Vec<String>,
    /// Links discovery takes although its scope rules would leave them out
    /// (`discover_include`), written the same way; an exclusion wins over an inclusion.
    pub discover_include: Vec<String>,
    /// Link texts per column class (built-in names, replaced per class by `column_classes`).
    pub column_classes: BTreeMap<ColumnClass, Vec<String>>,
    /// Crawl politeness and limits (`crawl`).
    pub crawl: CrawlSettings,
    /// The SQLite database path (`storage.database`), resolved from the config's folder.
    pub database: PathBuf,
    /// The reports folder (`reports.dir`), resolved from the config's folder.
    pub reports_dir: PathBuf,
    /// The daemon's assessment schedule (`schedule.assess`), a validated crontab line.
    pub schedule_assess: String,
    /// Daemon behaviour (`daemon`): catch-up, retention, probes.
    pub daemon: DaemonSettings,
    /// Notifications (`notify`): webhooks and their repeat interval.
    pub notify: NotifySettings,
    /// The dashboard (`serve`).
    pub serve: ServeSettings,
    /// Content screening and dead links (`screening`).
    pub screening: ScreeningSettings,
    /// The rules in force.
    pub rules: RuleSet,
}

/// One configured site (`sites[]`).
#[derive(Debug, Clone, PartialEq)]
pub struct SiteConfig {
    /// Unique id, `[a-z0-9_-]+`.
    pub id: String,
    /// Display name, e.g. 孟津区人民政府.
    pub name: String,
    /// portal | department | town.
    pub role: Role,
    /// The home page.
    pub url: Url,
    /// Pinned columns; each pins its list page for its class.
    pub columns: Vec<ColumnPin>,
    /// Who should act on this site's warnings (`contacts`, e.g. 张三 13800000000); named in
    /// notifications. Empty when not configured.
    pub contacts: Vec<String>,
}

/// Daemon behaviour (`daemon`). Defaults live in `DaemonSettings::default`.
#[derive(Debug, Clone, PartialEq)]
pub struct DaemonSettings {
    /// Run an assessment at start-up when a scheduled one was missed while the daemon was
    /// down (`catch_up`, default true).
    pub catch_up: bool,
    /// Runs older than this many days are deleted from the database (`retention_days`,
    /// default 90; 0 keeps everything).
    pub retention_days: u32,
    /// Report folders kept (newest first) under reports.dir (`keep_reports`, default 30;
    /// 0 keeps every folder).
    pub keep_reports: u32,
    /// Availability probes of each home page per day (`probes_per_day`, default 24, at least
    /// 20 per 国办秘函〔2019〕19号; 0 disables probing).
    pub probes_per_day: u32,
    /// Seconds a running assessment gets to stop after SIGTERM (`grace_s`, default 30).
    pub grace_s: u64,
}

impl Default for DaemonSettings {
    fn default() -> Self {
        DaemonSettings {
            catch_up: true,
            retention_days: 90,
            keep_reports: 30,
            probes_per_day: 24,
            grace_s: 30,
        }
    }
}

/// Notifications (`notify`).
#[derive(Debug, Clone, PartialEq)]
pub struct NotifySettings {
    /// Webhooks to post to (`webhooks`).
    pub webhooks: Vec<Webhook>,
    /// Hours before the same alert is sent again (`repeat_hours`, default 24).
    pub repeat_hours: u32,
}

impl Default for NotifySettings {
    fn default() -> Self {
        NotifySettings {
            webhooks: Vec::new(),
            repeat_hours: 24,
        }
    }
}

/// One webhook (`notify.webhooks[]`).
#[derive(Debug, Clone, PartialEq)]
pub struct Webhook {
    /// Where to POST.
    pub url: Url,
    /// Payload format (`format`, default generic).
    pub format: WebhookFormat,
    /// Events sent to it (`events`; default every event).
    pub events: Vec<NotifyEvent>,
}

/// A webhook payload format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WebhookFormat {
    /// `{"event", "title", "text", "data"}` JSON.
    Generic,
    /// 钉钉 robot: `{"msgtype":"markdown","markdown":{"title","text"}}`.
    Dingtalk,
    /// 企业微信 robot: `{"msgtype":"markdown","markdown":{"content"}}`.
    Wecom,
}

/// What a notification is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NotifyEvent {
    /// An assessment finished (summary).
    RunFinished,
    /// A site got a veto it did not have before.
    Veto,
    /// An early warning: a mid-week cadence shortfall, or a site going unreachable.
    Warning,
}

impl NotifyEvent {
    /// Every event.
    pub const ALL: [NotifyEvent; 3] = [
        NotifyEvent::RunFinished,
        NotifyEvent::Veto,
        NotifyEvent::Warning,
    ];

    /// The YAML spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            NotifyEvent::RunFinished => "run_finished",
            NotifyEvent::Veto => "veto",
            NotifyEvent::Warning => "warning",
        }
    }
}

/// The dashboard (`serve`).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ServeSettings {
    /// Bearer token required on every request (`token`); without one the dashboard binds
    /// loopback addresses only.
    pub token: Option<String>,
}

/// A column pinned in config (`sites[].columns[]`).
#[derive(Debug, Clone, PartialEq)]
pub struct ColumnPin {
    /// The column's name as shown on the site.
    pub name: String,
    /// Its class.
    pub class: ColumnClass,
    /// Its list page.
    pub url: Url,
}

/// Crawl politeness and limits (`crawl`). Every limit is a named value enforced by the
/// crawler with a held permit or a timer.
#[derive(Debug, Clone, PartialEq)]
pub struct CrawlSettings {
    /// Pause between two requests to one host, in milliseconds (`delay_ms`, default 500).
    pub delay_ms: u64,
    /// Requests in flight per host (`per_host_concurrency`, default 2).
    pub per_host_concurrency: usize,
    /// Requests in flight overall (`global_concurrency`, default 16).
    pub global_concurrency: usize,
    /// Per-request timeout in seconds (`timeout_s`, default 15).
    pub timeout_s: u64,
    /// Retries after a timeout or 5xx (`retries`, default 2).
    pub retries: u32,
    /// Largest body read, in bytes (`max_body_bytes`, default 8 MiB).
    pub max_body_bytes: usize,
    /// Most list pages walked per column (`max_pages_per_column`, default 50).
    pub max_pages_per_column: u32,
    /// Most article pages fetched per column to find dates (`max_articles_per_column`, default 60).
    pub max_articles_per_column: u32,
    /// Obey robots.txt (`respect_robots`, default true).
    pub respect_robots: bool,
    /// Contact put in the User-Agent (`contact`, default "see config.yaml crawl.contact").
    pub contact: String,
}

impl CrawlSettings {
    /// The one User-Agent sent on every request: `govscore/<version> (+<contact>)`.
    pub fn user_agent(&self) -> String {
        format!("govscore/{} (+{})", env!("CARGO_PKG_VERSION"), self.contact)
    }
}

impl Default for CrawlSettings {
    fn default() -> Self {
        CrawlSettings {
            delay_ms: 500,
            per_host_concurrency: 2,
            global_concurrency: 16,
            timeout_s: 15,
            retries: 2,
            max_body_bytes: 8 * 1024 * 1024,
            max_pages_per_column: 50,
            max_articles_per_column: 60,
            respect_robots: true,
            contact: "govscore operator, see crawl.contact".to_string(),
        }
    }
}

/// Content screening (`screening`, all optional): the district's dictionaries on top of the
/// built-in ones, what is screened, and the dead-link check.
#[derive(Debug, Clone, PartialEq)]
pub struct ScreeningSettings {
    /// Screen titles, article bodies and attachments of items in the window (`enabled`,
    /// default true).
    pub enabled: bool,
    /// The district's table of names that must be written exactly (`names`: a YAML file of
    /// leaders with titles and dates, official bodies, fixed formulations, each with its known
    /// wrong variants); None = only the built-in national formulations.
    pub names: Option<PathBuf>,
    /// Operator sensitive-word dictionaries (`sensitive`), one per category.
    pub sensitive: Vec<SensitiveDictionary>,
    /// Hosts whose links are never 暗链 although not under `*.gov.cn` (`friendly_hosts`:
    /// 友情链接, media, the district's own non-gov hosts); a host matches itself and its
    /// subdomains.
    pub friendly_hosts: Vec<String>,
    /// Largest attachment read for screening, in bytes (`attachment_max_bytes`, default 20 MiB).
    pub attachment_max_bytes: usize,
    /// The dead-link check (`dead_links`).
    pub dead_links: DeadLinkSettings,
}

impl Default for ScreeningSettings {
    fn default() -> Self {
        ScreeningSettings {
            enabled: true,
            names: None,
            sensitive: Vec::new(),
            friendly_hosts: Vec::new(),
            attachment_max_bytes: 20 * 1024 * 1024,
            dead_links: DeadLinkSettings::default(),
        }
    }
}

/// One operator dictionary of sensitive words (`screening.sensitive[]`).
#[derive(Debug, Clone, PartialEq)]
pub struct SensitiveDictionary {
    /// The category shown in reports instead of the term (e.g. 政治敏感, 低俗).
    pub category: String,
    /// The file: one term a line, resolved from the config's folder.
    pub path: PathBuf,
    /// Whether a hit is serious (`serious`, default true).
    pub serious: bool,
}

/// The dead-link check (`screening.dead_links`).
#[derive(Debug, Clone, PartialEq)]
pub struct DeadLinkSettings {
    /// Check links on the configured and discovered hosts (`enabled`, default true).
    pub enabled: bool,
    /// Also check links to other hosts, with the same politeness, public addresses only
    /// (`external`, default false).
    pub external: bool,
    /// Days a link that answered well is not checked again (`recheck_days`, default 7).
    pub recheck_days: u32,
}

impl Default for DeadLinkSettings {
    fn default() -> Self {
        DeadLinkSettings {
            enabled: true,
            external: false,
            recheck_days: 7,
        }
    }
}

/// Where a rule or setting was written, for messages and `rules explain`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Origin {
    /// The rule file (or `<built-in>/national.yaml` for embedded rules).
    pub file: String,
    /// 1-based line of the rule's `id:`.
    pub line: usize,
}

/// The rules in force plus the scoring policy (rule files' `settings`).
#[derive(Debug, Clone)]
pub struct RuleSet {
    /// Default assessment period when `--since` is not given (`settings.period`, default quarter).
    pub period: PeriodKind,
    /// Grade bands, highest `min` first (`settings.grades`).
    pub grades: Vec<GradeBand>,
    /// Bonus policy (`settings.bonus`).
    pub bonus: BonusPolicy,
    /// Weeks exempt from cadence rules (`settings.exempt_weeks`), as the Monday of each week.
    pub exempt_weeks: Vec<ExemptWeek>,
    /// The official holiday calendar (`holidays:` of a rule file, rules/holidays.yaml); None
    /// when no rule file gives one (then the built-in calendar applies, see
    /// `RuleSet::calendar`).
    pub holidays: Option<super::holidays::HolidayCalendar>,
    /// A week is exempt when official holidays fall on at least this many of its
    /// Monday–Friday days (`settings.holiday_exempt_weekdays`, default 3).
    pub holiday_exempt_weekdays: u32,
    /// Annual-report deadline per role as (month, day) of the year after the reported year
    /// (`settings.annual_report_deadlines`; default portal 03-31, department and town 01-31).
    pub annual_deadlines: BTreeMap<Role, (u32, u32)>,
    /// Most points the deductions of one category (a rule's `category`) can cost one site
    /// (`settings.category_caps`; categories not listed are not capped).
    pub category_caps: BTreeMap<String, f64>,
    /// The rules, in file order.
    pub rules: Vec<Rule>,
}

/// The default assessment period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PeriodKind {
    /// The ISO week containing as_of.
    Week,
    /// The calendar month containing as_of.
    Month,
    /// The calendar quarter containing as_of (default).
    Quarter,
    /// The calendar year containing as_of.
    Year,
}

/// A grade band: a score at or above `min` (and not vetoed) earns `name`.
#[derive(Debug, Clone, PartialEq)]
pub struct GradeBand {
    /// 优秀 / 良好 / 合格 / 不合格 …
    pub name: String,
    /// Lowest score of the band (inclusive).
    pub min: f64,
}

/// Bonus points: counted only when the deduction score is strictly above `above`, and at
/// most `cap` in total (national 19号: 30 points, only above 80).
#[derive(Debug, Clone, PartialEq)]
pub struct BonusPolicy {
    /// Most bonus points a site can gain.
    pub cap: f64,
    /// The score that must be exceeded before bonus counts.
    pub above: f64,
}

/// A week exempt from cadence rules (a holiday).
#[derive(Debug, Clone, PartialEq)]
pub struct ExemptWeek {
    /// The Monday of the exempt ISO week.
    pub week_start: NaiveDate,
    /// Why, e.g. 春节.
    pub name: String,
}

/// What a finding costs: the rule's outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Severity {
    /// 单项否决: the site is 不合格 whatever its score.
    Veto,
    /// Points deducted per occurrence.
    Deduct,
    /// 预警: shown, no points.
    Warn,
    /// Points added per occurrence (bonus policy applies).
    Bonus,
    /// For information only.
    Info,
}

impl Severity {
    /// The report spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Veto => "veto",
            Severity::Deduct => "deduct",
            Severity::Warn => "warn",
            Severity::Bonus => "bonus",
            Severity::Info => "info",
        }
    }

    /// A Chinese label.
    pub fn label_zh(self) -> &'static str {
        match self {
            Severity::Veto => "单项否决",
            Severity::Deduct => "扣分",
            Severity::Warn => "预警",
            Severity::Bonus => "加分",
            Severity::Info => "提示",
        }
    }
}

/// One rule: which subjects it applies to, the check it reads and the outcome.
#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    /// Unique id, `[a-z0-9-]+`, e.g. `news-twice-weekly`.
    pub id: String,
    /// Short Chinese title.
    pub title: String,
    /// Longer documentation (what it checks, why, source) for `rules explain`.
    pub doc: String,
    /// The document the rule comes from, e.g. 国办秘函〔2019〕19号.
    pub source: String,
    /// Roles it applies to; empty = every role.
    pub roles: Vec<Role>,
    /// Column classes it applies to; empty = every class (for column checks).
    pub classes: Vec<ColumnClass>,
    /// The check and its parameters.
    pub check: CheckSpec,
    /// The outcome.
    pub severity: Severity,
    /// Points per occurrence (deduct/bonus); 0 for veto/warn/info.
    pub points: f64,
    /// Cadence rules only: the points missing every judged window of the period costs one
    /// column (`weight`); each missed window then costs weight ÷ the windows judged, so the
    /// same negligence costs the same in a month, a quarter or a year. None = `points` per
    /// missed window.
    pub weight: Option<f64>,
    /// Most points this rule can cost (or add) one site; None = no cap.
    pub cap: Option<f64>,
    /// Most points this rule can cost one column; None = no cap.
    pub cap_per_column: Option<f64>,
    /// Category for per-category caps and grouping (e.g. 信息更新).
    pub category: Option<String>,
    /// Where the rule was written.
    pub origin: Origin,
}

impl Rule {
    /// Whether the rule applies to a site of this role.
    pub fn applies_to_role(&self, role: Role) -> bool {
        self.roles.is_empty() || self.roles.contains(&role)
    }

    /// Whether the rule applies to a column of this class.
    pub fn applies_to_class(&self, class: ColumnClass) -> bool {
        self.classes.is_empty() || self.classes.contains(&class)
    }
}

/// A cadence window unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CadenceUnit {
    /// ISO week, Monday start.
    Week,
    /// Calendar month.
    Month,
}

/// The check a rule reads, with its parameters (YAML key `check` plus `params`).
#[derive(Debug, Clone, PartialEq)]
pub enum CheckSpec {
    /// `cadence`: at least `min` items per `per` window in each column; one occurrence per
    /// window wholly inside the period that falls short.
    Cadence {
        /// week | month.
        per: CadenceUnit,
        /// Items required per window.
        min: u32,
    },
    /// `freshness`: the column's newest item is no older than `max_days` before as_of; one
    /// occurrence per stale column (kind `stale`).
    Freshness {
        /// Allowed age in days.
        max_days: u32,
    },
    /// `homepage_freshness`: the home page shows an item dated within `max_days`.
    HomepageFreshness {
        /// Allowed age in days.
        max_days: u32,
    },
    /// `blank_column`: a found column with no item at all (kind `blank_column`).
    BlankColumn,
    /// `stale_columns`: the number of stale columns (each judged by its class window in
    /// `windows`) reaches `at_least`.
    StaleColumns {
        /// Days per class; classes not listed are not counted.
        windows: BTreeMap<ColumnClass, u32>,
        /// Threshold (inclusive).
        at_least: u32,
    },
    /// `blank_columns`: the number of blank columns reaches `at_least`.
    BlankColumns {
        /// Threshold (inclusive).
        at_least: u32,
    },
    /// `metadata`: required meta tags present and well-formed.
    Metadata,
    /// `undated`: items with no publish date anywhere.
    Undated,
    /// `backdated`: items first seen more than `tolerance_days` after their publish date
    /// although the column was crawled in between.
    Backdated {
        /// Days of normal publishing delay tolerated.
        tolerance_days: u32,
    },
    /// `annual_report`: the 政府信息公开工作年度报告 (which aspect: see `AnnualAspect`).
    AnnualReport {
        /// missing | late | sections | arithmetic.
        aspect: AnnualAspect,
    },
    /// `availability`: failed share of availability probes over `days` reaches `fail_ratio`.
    Availability {
        /// Look-back in days.
        days: u32,
        /// Failure share (0..1) that triggers the rule.
        fail_ratio: f64,
    },
    /// `required_columns`: each of the rule's classes must be found on a site of the
    /// rule's roles; one occurrence per class not found (kind `missing_column`).
    RequiredColumns,
    /// `midweek_quota`: by `weekday` (1=Mon … 7=Sun) a column has fewer than `min` items
    /// in the current week.
    MidweekQuota {
        /// Items required per week.
        min: u32,
        /// ISO weekday number from which the warning applies (default 4 = Thursday).
        weekday: u32,
    },
    /// `typos`: 错别字, 重复字词 and 格式差错 found by content screening in the period's
    /// titles, article bodies and attachments; one occurrence per hit (kind `typo`).
    Typos,
    /// `serious_errors`: 严重表述错误 (a name, title or fixed formulation written wrongly);
    /// one occurrence per hit (kind `serious_error`).
    SeriousErrors,
    /// `sensitive_words`: a term of a sensitive-word dictionary; one occurrence per hit
    /// (kind `sensitive`); messages name the category, never the term.
    SensitiveWords,
    /// `hidden_links`: 暗链 on article pages; one occurrence per hidden link target (kind
    /// `hidden_link`), its pages as evidence; messages never repeat the link.
    HiddenLinks,
    /// `pii`: personal data published (条例 第十五条); one occurrence per document with
    /// serious personal-data hits (kind `pii`), shown masked.
    Pii,
    /// `dead_links`: links of the pages read that failed on two runs in a row (404/410,
    /// 5xx, DNS failure, timeout); one occurrence per dead link (kind `dead_link`).
    DeadLinks,
}

impl CheckSpec {
    /// The YAML name of the check.
    pub fn name(&self) -> &'static str {
        match self {
            CheckSpec::Cadence { .. } => "cadence",
            CheckSpec::Freshness { .. } => "freshness",
            CheckSpec::HomepageFreshness { .. } => "homepage_freshness",
            CheckSpec::BlankColumn => "blank_column",
            CheckSpec::StaleColumns { .. } => "stale_columns",
            CheckSpec::BlankColumns { .. } => "blank_columns",
            CheckSpec::Metadata => "metadata",
            CheckSpec::Undated => "undated",
            CheckSpec::Backdated { .. } => "backdated",
            CheckSpec::AnnualReport { .. } => "annual_report",
            CheckSpec::Availability { .. } => "availability",
            CheckSpec::MidweekQuota { .. } => "midweek_quota",
            CheckSpec::RequiredColumns => "required_columns",
            CheckSpec::Typos => "typos",
            CheckSpec::SeriousErrors => "serious_errors",
            CheckSpec::SensitiveWords => "sensitive_words",
            CheckSpec::HiddenLinks => "hidden_links",
            CheckSpec::Pii => "pii",
            CheckSpec::DeadLinks => "dead_links",
        }
    }
}

/// Which aspect of the annual report a rule judges.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AnnualAspect {
    /// Not found after the deadline.
    Missing,
    /// Published after the deadline.
    Late,
    /// One of the six required sections is missing.
    Sections,
    /// A 勾稽关系 (R1–R4) violation or a non-numeric cell.
    Arithmetic,
}
