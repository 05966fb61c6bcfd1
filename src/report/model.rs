//! The canonical report document (report.json, CONTRACT §3). Every other format is
//! rendered from this model; field names and meanings here are the outside contract.

use serde::{Deserialize, Serialize};

/// The schema id written to report.json.
pub const SCHEMA: &str = "govscore.report/1";

/// report.json.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// Always [`SCHEMA`].
    pub schema: String,
    /// The assessed area.
    pub district: String,
    /// The 监测时间点, YYYY-MM-DD.
    pub as_of: String,
    /// The assessment period.
    pub period: PeriodOut,
    /// The run that produced it (extension).
    pub run_id: i64,
    /// When the report was generated, RFC 3339 (extension).
    pub generated_at: String,
    /// Sites, ranked ones first by rank, then the others.
    pub sites: Vec<SiteReport>,
    /// The district's results in earlier runs, oldest first, this run last (extension).
    #[serde(default)]
    pub trend: Vec<TrendPoint>,
    /// The grade bands in force, highest first (extension); the last one is the failing
    /// band that 合格率 counts against. Empty in reports written before it existed.
    #[serde(default)]
    pub grade_bands: Vec<GradeBandOut>,
    /// Set when the report was made from a run that was interrupted or never finished
    /// (`--allow-partial`): why its data is partial. Every format shows it (extension).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partial_run: Option<String>,
}

/// A grade band: a score at or above `min` (and not vetoed) earns `name`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GradeBandOut {
    /// 优秀 / 良好 / 合格 / 不合格 …
    pub name: String,
    /// Lowest score of the band.
    pub min: f64,
}

/// One run's district-wide result, for the trend chart.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrendPoint {
    /// Run id.
    pub run_id: i64,
    /// Its as_of.
    pub as_of: String,
    /// Mean score of the assessable sites.
    pub average_score: Option<f64>,
    /// 合格率 as the overview counts it: the share of judged sites (the scored ones and the
    /// unreachable ones graded by the availability veto) not in the failing band (0..1).
    pub pass_rate: Option<f64>,
    /// Sites assessable (scored).
    pub assessed: u32,
}

/// The period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PeriodOut {
    /// First day.
    pub start: String,
    /// Last day.
    pub end: String,
}

/// One site's result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SiteReport {
    /// Config id.
    pub id: String,
    /// Name.
    pub name: String,
    /// portal | department | town.
    pub role: String,
    /// Home page.
    pub url: String,
    /// ok | partial | blocked | unreachable.
    pub status: String,
    /// Why, when not ok.
    pub status_reason: Option<String>,
    /// Score, null when not assessable.
    pub score: Option<f64>,
    /// Grade, null when not assessable.
    pub grade: Option<String>,
    /// Rank among scored sites, null when not scored; ties share a rank (并列).
    pub rank: Option<u32>,
    /// Rank among the scored sites of the same role (CONTRACT §3).
    #[serde(default)]
    pub rank_in_role: Option<u32>,
    /// Score change against the latest run of the previous period of the same length
    /// (extension; null when there is none or either score is null).
    #[serde(default)]
    pub score_change: Option<f64>,
    /// The vetoes hit.
    pub vetoes: Vec<VetoOut>,
    /// Columns.
    pub columns: Vec<ColumnReport>,
    /// The annual report status (null until that check runs).
    pub annual_report: Option<serde_json::Value>,
    /// Findings.
    pub findings: Vec<Finding>,
    /// Content screening of the period (issue 14): what was screened and every hit, personal
    /// data masked. Absent when nothing was screened (screening off, site not assessable).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content: Option<ContentOut>,
}

/// What content screening read of one site and what it found.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ContentOut {
    /// Article pages screened (title and body).
    pub pages_screened: u32,
    /// Items of which only the title was screened (page off scope or unreadable).
    pub titles_only: u32,
    /// Attachments screened.
    pub attachments_screened: u32,
    /// Documents not (fully) screened, with the reason.
    pub not_screened: Vec<NotScreenedOut>,
    /// Every hit, newest article first.
    pub hits: Vec<ContentHitOut>,
}

/// A document not (fully) screened.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NotScreenedOut {
    /// The document.
    pub url: String,
    /// The article's title.
    pub title: String,
    /// Why, in Chinese.
    pub reason: String,
}

/// One screening hit (错敏信息).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ContentHitOut {
    /// The document the hit is in (article page or attachment).
    pub url: String,
    /// The article's title.
    pub title: String,
    /// The article's publish date.
    pub date: Option<String>,
    /// Finding kind: typo | serious_error | sensitive | hidden_link | pii.
    pub kind: String,
    /// The category (错别字, 重复字词, 格式差错, 严重表述错误, 个人信息, a dictionary's category …).
    pub category: String,
    /// The text found (personal data masked).
    pub found: String,
    /// ±15 characters of context (personal data masked).
    pub context: String,
    /// Where: 标题/正文/附件 with line and character.
    pub place: String,
    /// What to do.
    pub suggestion: String,
    /// The dictionary entry or rule that matched.
    pub source: String,
    /// A serious hit.
    pub serious: bool,
}

/// A veto hit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VetoOut {
    /// Rule id.
    pub rule: String,
    /// Message.
    pub message: String,
}

/// One column's measurements.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ColumnReport {
    /// Name (null in JSON for a required class that was not found).
    #[serde(serialize_with = "null_if_empty", deserialize_with = "empty_if_null")]
    pub name: String,
    /// Class.
    pub class: String,
    /// List page (null when not found).
    pub url: Option<String>,
    /// Whether the column was found on the site.
    pub found: bool,
    /// Whether its list could be read.
    pub assessable: bool,
    /// Why not.
    pub reason: Option<String>,
    /// Items this run saw in the list, all dates.
    pub items_total: u32,
    /// Newest publish date on or before as_of.
    pub last_update: Option<String>,
    /// Every ISO week wholly inside the period, oldest first.
    pub weekly: Vec<WeekOut>,
    /// The column name (built-in or configured) the navigation link's text matched, for a
    /// column found by name (extension).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub matched_name: Option<String>,
}

/// One ISO week of a column.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WeekOut {
    /// Monday.
    pub week_start: String,
    /// Items published that week.
    pub count: u32,
    /// Required by the applicable cadence rule, null without one.
    pub required: Option<u32>,
    /// Whether met, null without a rule or when exempt.
    pub met: Option<bool>,
    /// An exempt (holiday) week.
    pub exempt: bool,
    /// Why the week is exempt: the holiday, its days off and the notice (extension).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exempt_reason: Option<String>,
}

/// A finding with its evidence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    /// Rule id.
    pub rule: String,
    /// cadence | stale | blank_column | annual_report | undated | metadata | backdated | availability | blocked …
    pub kind: String,
    /// veto | deduct | warn | bonus | info.
    pub severity: String,
    /// What it costs after caps (negative for deductions).
    pub points: f64,
    /// Chinese message a supervisor can act on.
    pub message: String,
    /// The column concerned, when any (extension).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub column: Option<String>,
    /// Evidence.
    pub evidence: Vec<Evidence>,
}

/// One piece of evidence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Evidence {
    /// Link.
    pub url: String,
    /// Title.
    pub title: String,
    /// Date, YYYY-MM-DD.
    pub date: Option<String>,
    /// Short excerpt or note.
    pub excerpt: Option<String>,
}

/// Writes an empty string as `null` (a column that was not found has no name).
fn null_if_empty<S: serde::Serializer>(v: &str, s: S) -> Result<S::Ok, S::Error> {
    if v.is_empty() {
        s.serialize_none()
    } else {
        s.serialize_str(v)
    }
}

/// Reads `null` as an empty string (see [`null_if_empty`]).
fn empty_if_null<'de, D: serde::Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(Option::<String>::deserialize(d)?.unwrap_or_default())
}
