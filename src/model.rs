//! The shared vocabulary of govscore: roles, column classes, list items, date provenance
//! and site status. Every stage speaks these types; none of them does I/O.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::fmt;

/// What kind of unit a site belongs to (CONTRACT §2 `role`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// 区人民政府门户网站.
    Portal,
    /// 部门 (a bureau or office of the district government).
    Department,
    /// 乡镇 / 街道.
    Town,
}

impl Role {
    /// All roles, in display order.
    pub const ALL: [Role; 3] = [Role::Portal, Role::Department, Role::Town];

    /// The config/report spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Portal => "portal",
            Role::Department => "department",
            Role::Town => "town",
        }
    }

    /// The label shown to supervisors.
    pub fn label_zh(self) -> &'static str {
        match self {
            Role::Portal => "门户网站",
            Role::Department => "部门",
            Role::Town => "乡镇/街道",
        }
    }

    /// Parses the config spelling.
    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The class of a column (CONTRACT §2 "Column classes"). A class decides which rules
/// apply to a column; a site may have several columns of one class.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ColumnClass {
    /// 动态/要闻.
    News,
    /// 党务公开.
    Party,
    /// 通知公告.
    Notice,
    /// 政策文件.
    Policy,
    /// 机构概况.
    Org,
    /// 单位领导.
    Leaders,
    /// 人事信息.
    Personnel,
    /// 规划计划.
    Planning,
    /// 政府信息公开年报.
    AnnualReport,
}

impl ColumnClass {
    /// All classes, in display order.
    pub const ALL: [ColumnClass; 9] = [
        ColumnClass::News,
        ColumnClass::Party,
        ColumnClass::Notice,
        ColumnClass::Policy,
        ColumnClass::Org,
        ColumnClass::Leaders,
        ColumnClass::Personnel,
        ColumnClass::Planning,
        ColumnClass::AnnualReport,
    ];

    /// The config/report spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            ColumnClass::News => "news",
            ColumnClass::Party => "party",
            ColumnClass::Notice => "notice",
            ColumnClass::Policy => "policy",
            ColumnClass::Org => "org",
            ColumnClass::Leaders => "leaders",
            ColumnClass::Personnel => "personnel",
            ColumnClass::Planning => "planning",
            ColumnClass::AnnualReport => "annual_report",
        }
    }

    /// Parses the config spelling.
    pub fn parse(s: &str) -> Option<ColumnClass> {
        ColumnClass::ALL.into_iter().find(|c| c.as_str() == s)
    }

    /// A short Chinese label for reports.
    pub fn label_zh(self) -> &'static str {
        match self {
            ColumnClass::News => "动态要闻类",
            ColumnClass::Party => "党务公开类",
            ColumnClass::Notice => "通知公告类",
            ColumnClass::Policy => "政策文件类",
            ColumnClass::Org => "机构概况类",
            ColumnClass::Leaders => "领导信息类",
            ColumnClass::Personnel => "人事信息类",
            ColumnClass::Planning => "规划计划类",
            ColumnClass::AnnualReport => "信息公开年报类",
        }
    }

    /// The built-in link texts of the class (CONTRACT §2 table). A link text matches when
    /// it equals or contains one of them.
    pub fn builtin_names(self) -> &'static [&'static str] {
        match self {
            ColumnClass::News => &[
                "最新动态",
                "工作动态",
                "部门动态",
                "乡镇动态",
                "政务动态",
                "要闻动态",
                "政务要闻",
                "工作要闻",
                "单位动态",
                "街道动态",
            ],
            ColumnClass::Party => &["党务公开", "党建工作", "党建动态", "党的建设", "党风廉政"],
            ColumnClass::Notice => &["通知公告", "公示公告", "公告公示", "通知通告"],
            ColumnClass::Policy => &["政策文件", "规范性文件"],
            ColumnClass::Org => &["机构概况", "机构职能", "单位概况"],
            ColumnClass::Leaders => &["单位领导", "领导信息", "领导之窗"],
            ColumnClass::Personnel => &["人事信息", "人事任免"],
            ColumnClass::Planning => &["规划计划"],
            ColumnClass::AnnualReport => &[
                "政府信息公开年报",
                "政府信息公开年度报告",
                "年度报告",
                "年报",
            ],
        }
    }
}

impl fmt::Display for ColumnClass {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where an item's publish date was read from. Recorded with every item so a supervisor
/// can see why govscore believes a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DateSource {
    /// A full date displayed in the list row.
    List,
    /// A `MM-DD` list date whose year came from the item URL's date.
    ListWithUrlYear,
    /// A `MM-DD` list date whose year was inferred from the day the page was fetched (the
    /// most recent such day on or before it; a descending list steps back across New Year).
    ListWithFetchYear,
    /// The article page's `PubDate` meta tag.
    ArticleMeta,
    /// The article page's visible 发布时间/发布日期 line.
    ArticleText,
    /// Only the date embedded in the URL (`t20220523_…`, `/art/2022/5/23/`).
    Url,
    /// No date anywhere: the item is undated.
    None,
}

impl DateSource {
    /// The stored spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            DateSource::List => "list",
            DateSource::ListWithUrlYear => "list_with_url_year",
            DateSource::ListWithFetchYear => "list_with_fetch_year",
            DateSource::ArticleMeta => "article_meta",
            DateSource::ArticleText => "article_text",
            DateSource::Url => "url",
            DateSource::None => "none",
        }
    }

    /// Parses the stored spelling.
    pub fn parse(s: &str) -> Option<DateSource> {
        [
            DateSource::List,
            DateSource::ListWithUrlYear,
            DateSource::ListWithFetchYear,
            DateSource::ArticleMeta,
            DateSource::ArticleText,
            DateSource::Url,
            DateSource::None,
        ]
        .into_iter()
        .find(|d| d.as_str() == s)
    }

    /// A Chinese label for reports.
    pub fn label_zh(self) -> &'static str {
        match self {
            DateSource::List => "列表日期",
            DateSource::ListWithUrlYear => "列表日期(年份取自链接)",
            DateSource::ListWithFetchYear => "列表日期(年份按抓取日推断)",
            DateSource::ArticleMeta => "正文PubDate标签",
            DateSource::ArticleText => "正文发布时间",
            DateSource::Url => "链接中的日期",
            DateSource::None => "无日期",
        }
    }
}

/// One entry of a column's list, as extracted from a list page (before any article fetch).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListItem {
    /// The full title (from `title=` when the visible text is truncated).
    pub title: String,
    /// Absolute URL of the item.
    pub url: String,
    /// The publish date, if the list (or the list plus the URL) gave one.
    pub date: Option<NaiveDate>,
    /// Where `date` came from; `DateSource::None` when `date` is `None`.
    pub date_source: DateSource,
    /// A date embedded in the URL, kept apart from the displayed date (it is a creation date).
    pub url_date: Option<NaiveDate>,
    /// Marked 置顶 in the list.
    pub pinned: bool,
}

/// The assessability of a site (CONTRACT §3 status table).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SiteStatus {
    /// Home page and every found column read.
    Ok,
    /// Home page read, some column could not be.
    Partial,
    /// An anti-bot wall on the home page.
    Blocked,
    /// DNS, TLS, connection errors or timeouts on the home page after retries.
    Unreachable,
}

impl SiteStatus {
    /// The report spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            SiteStatus::Ok => "ok",
            SiteStatus::Partial => "partial",
            SiteStatus::Blocked => "blocked",
            SiteStatus::Unreachable => "unreachable",
        }
    }

    /// Parses the stored spelling.
    pub fn parse(s: &str) -> Option<SiteStatus> {
        [
            SiteStatus::Ok,
            SiteStatus::Partial,
            SiteStatus::Blocked,
            SiteStatus::Unreachable,
        ]
        .into_iter()
        .find(|x| x.as_str() == s)
    }

    /// Whether the site is scored at all.
    pub fn assessable(self) -> bool {
        matches!(self, SiteStatus::Ok | SiteStatus::Partial)
    }

    /// A Chinese label for reports.
    pub fn label_zh(self) -> &'static str {
        match self {
            SiteStatus::Ok => "正常",
            SiteStatus::Partial => "部分栏目无法检测",
            SiteStatus::Blocked => "无法检测",
            SiteStatus::Unreachable => "无法访问",
        }
    }
}
