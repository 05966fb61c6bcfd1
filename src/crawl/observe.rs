//! What the crawl of one site observed, handed to the store's single writer. Plain data:
//! no I/O here. A site or column that could not be read carries its reason, so later
//! stages can say "无法检测" instead of deducting for what was not seen.

use crate::model::{ColumnClass, ListItem, Role, SiteStatus};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Everything one run saw of one site.
#[derive(Debug, Clone, PartialEq)]
pub struct SiteObservation {
    /// The site's config id.
    pub site_id: String,
    /// Display name.
    pub name: String,
    /// Role.
    pub role: Role,
    /// Home page URL.
    pub url: String,
    /// Assessability (CONTRACT §3).
    pub status: SiteStatus,
    /// Why, when not ok (Chinese, e.g. "HTTP 521 反爬验证(加速乐)").
    pub status_reason: Option<String>,
    /// Facts read from the home page.
    pub home: HomeFacts,
    /// The columns found (configured or discovered), read or not.
    pub columns: Vec<ColumnObservation>,
    /// Every request that did not yield a page.
    pub failures: Vec<FailureRecord>,
    /// The standard meta tags of the pages read (home, first list pages, sampled articles).
    pub pages: Vec<PageMetaRecord>,
    /// What the next incremental run may reuse.
    pub cache_updates: Vec<super::cache::CachedPage>,
    /// Home and list pages fetched and parsed by this run (reused ones not counted).
    pub pages_parsed: u32,
    /// Document links (PDF, DOC, DOCX, XLS, XLSX, WPS, OFD) found in lists and in the
    /// articles read, with the page they were found on.
    pub attachments: Vec<AttachmentRecord>,
    /// The distinct links of the pages read (for the dead-link check).
    pub links: super::links::SiteLinks,
}

impl SiteObservation {
    /// Every page the run showed of the site, read or reused (home, first list pages,
    /// sampled articles, every listed item), as link keys (no fragment).
    pub fn seen_pages(&self) -> std::collections::HashSet<String> {
        let key = |u: &str| u.split('#').next().unwrap_or(u).to_string();
        self.pages
            .iter()
            .map(|p| key(&p.url))
            .chain(
                self.columns
                    .iter()
                    .flat_map(|c| c.items.iter().map(|i| key(&i.url))),
            )
            .collect()
    }
}

/// A document linked from a list or an article (`var file_appendix`, downfile.jsp …).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttachmentRecord {
    /// The article (or list page) it belongs to.
    pub article_url: String,
    /// The document.
    pub url: String,
    /// Its link text or file name.
    pub name: String,
    /// pdf | doc | docx | xls | xlsx | wps | ofd.
    pub kind: String,
}

impl AttachmentRecord {
    /// The records of an article's attachments.
    pub fn of_article(
        article_url: &str,
        a: &crate::extract::article::Article,
    ) -> Vec<AttachmentRecord> {
        a.attachments
            .iter()
            .map(|x| AttachmentRecord {
                article_url: article_url.to_string(),
                url: x.url.to_string(),
                name: x.name.clone(),
                kind: format!("{:?}", x.kind).to_ascii_lowercase(),
            })
            .collect()
    }
}

/// The 《政府网站发展指引》 meta tags one page carried (None = absent).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PageMetaRecord {
    /// The page.
    pub url: String,
    /// home | list | article.
    pub kind: String,
    /// SiteName.
    pub site_name: Option<String>,
    /// SiteDomain.
    pub site_domain: Option<String>,
    /// SiteIDCode.
    pub site_id_code: Option<String>,
    /// ColumnName.
    pub column_name: Option<String>,
    /// ArticleTitle.
    pub article_title: Option<String>,
    /// PubDate as written.
    pub pub_date: Option<String>,
    /// ContentSource.
    pub content_source: Option<String>,
    /// The page title (for evidence).
    pub title: Option<String>,
}

impl PageMetaRecord {
    /// The record of a page's meta tags.
    pub fn from_meta(
        url: &str,
        kind: &str,
        meta: &crate::extract::meta::PageMeta,
        title: Option<String>,
    ) -> Self {
        PageMetaRecord {
            url: url.to_string(),
            kind: kind.to_string(),
            site_name: meta.site_name.clone(),
            site_domain: meta.site_domain.clone(),
            site_id_code: meta.site_id_code.clone(),
            column_name: meta.column_name.clone(),
            article_title: meta.article_title.clone(),
            pub_date: meta.pub_date_raw.clone(),
            content_source: meta.content_source.clone(),
            title,
        }
    }
}

/// Facts from a site's home page.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct HomeFacts {
    /// The newest date of an item the home page shows (on or before the observation day);
    /// dates not attached to an item (a clock, "今天是…") are not counted.
    pub latest_date: Option<NaiveDate>,
    /// How many dated items the home page shows.
    pub dated_entries: u32,
    /// The page's SiteName meta, when present.
    pub site_name: Option<String>,
    /// The page's SiteIDCode meta, when present.
    pub site_id_code: Option<String>,
    /// Which case of 首页不更新 applies (dated items, navigation only, script-loaded lists).
    /// Rows stored before it existed read as `Dated` (judged by `latest_date`, as then).
    #[serde(default)]
    pub layout: crate::extract::home::HomeLayout,
    /// The newest dated item the home page shows on or before the observation day.
    #[serde(default)]
    pub latest_item: Option<Box<crate::extract::home::HomeItem>>,
    /// Why the home page's lists could not be read (`ScriptLoaded`).
    #[serde(default)]
    pub unreadable_reason: Option<String>,
    /// Item rows the home page shows without any date.
    #[serde(default)]
    pub undated_items: u32,
    /// The column classes no link of the home page matched, each with the names tried
    /// (configured or built-in), for the required-columns rule.
    #[serde(default)]
    pub unmatched_classes: Vec<UnmatchedClass>,
    /// For each column found by name in the navigation: its list URL and the column name
    /// (built-in or configured) its link text matched.
    #[serde(default)]
    pub matched_names: Vec<(String, String)>,
    /// The list URLs of the site's columns that the home page links to (its 二级页面).
    #[serde(default)]
    pub linked_columns: Vec<String>,
}

/// A column class the site's navigation showed no link for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnmatchedClass {
    /// The class (config spelling).
    pub class: String,
    /// The link texts looked for.
    pub names_tried: Vec<String>,
}

/// One column of a site as this run saw it.
#[derive(Debug, Clone, PartialEq)]
pub struct ColumnObservation {
    /// The column's name (link text or pinned name).
    pub name: String,
    /// Its class.
    pub class: ColumnClass,
    /// Its list page.
    pub url: String,
    /// False when its list could not be read.
    pub assessable: bool,
    /// Why not assessable, or why its walk was cut (Chinese).
    pub reason: Option<String>,
    /// When the walk was cut before it reached the period start (a later page failed, the
    /// page limit, a pager whose next page cannot be derived): the oldest day it fully saw
    /// the list up to. Only windows starting after this day were wholly seen
    /// (CONTRACT §3 `weekly`). `None` for a complete walk.
    pub seen_back_to: Option<NaiveDate>,
    /// List pages read.
    pub pages: u32,
    /// The items seen, deduplicated by URL, in list order.
    pub items: Vec<ListItem>,
}

/// A request that did not yield a page.
#[derive(Debug, Clone, PartialEq)]
pub struct FailureRecord {
    /// The URL requested.
    pub url: String,
    /// blocked | failed | skipped.
    pub outcome: String,
    /// Why (Chinese).
    pub reason: String,
}
