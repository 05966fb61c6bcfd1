//! Metadata compliance: the 网页标签 of 《政府网站发展指引》（国办发〔2017〕47号）. Every page
//! must carry `SiteName`, `SiteDomain` and `SiteIDCode`; column (list) pages also
//! `ColumnName`; article pages also `ArticleTitle`, `PubDate` and `ContentSource`.
//! `SiteIDCode` must match `^(\d{10}|bm\d{8})$` and `PubDate` must read
//! `YYYY-MM-DD HH:MM[:SS]` or `YYYY-MM-DD`.
//!
//! This check measures only: it groups the pages the crawler recorded
//! (`SiteSnap.pages`) by tag and problem. It must not fetch pages, parse HTML (the crawler
//! and `extract::meta` did that) or decide what a problem costs (`rules` does).

use crate::crawl::observe::PageMetaRecord;
use chrono::{NaiveDate, NaiveDateTime};
use regex::Regex;
use std::sync::LazyLock;

/// The 网站标识码 format (regulations.md §2.2): 10 digits (6-digit 行政区划代码 + 4-digit
/// sequence) for local sites, `bm` + 8 digits for State Council departments.
pub const SITE_ID_CODE_PATTERN: &str = r"^(\d{10}|bm\d{8})$";

static SITE_ID_CODE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(SITE_ID_CODE_PATTERN).expect("static regex"));

/// One of the 网页标签 this check requires.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum MetaTag {
    /// `SiteName` (every page).
    SiteName,
    /// `SiteDomain` (every page).
    SiteDomain,
    /// `SiteIDCode` (every page; format checked).
    SiteIdCode,
    /// `ColumnName` (list pages).
    ColumnName,
    /// `ArticleTitle` (article pages).
    ArticleTitle,
    /// `PubDate` (article pages; format checked).
    PubDate,
    /// `ContentSource` (article pages).
    ContentSource,
}

impl MetaTag {
    /// Every required tag, in the order findings are reported.
    pub const ALL: [MetaTag; 7] = [
        MetaTag::SiteName,
        MetaTag::SiteDomain,
        MetaTag::SiteIdCode,
        MetaTag::ColumnName,
        MetaTag::ArticleTitle,
        MetaTag::PubDate,
        MetaTag::ContentSource,
    ];

    /// The `<meta name>` as the 指引 spells it.
    pub fn meta_name(self) -> &'static str {
        match self {
            MetaTag::SiteName => "SiteName",
            MetaTag::SiteDomain => "SiteDomain",
            MetaTag::SiteIdCode => "SiteIDCode",
            MetaTag::ColumnName => "ColumnName",
            MetaTag::ArticleTitle => "ArticleTitle",
            MetaTag::PubDate => "PubDate",
            MetaTag::ContentSource => "ContentSource",
        }
    }

    /// The Chinese name used in messages.
    pub fn label_zh(self) -> &'static str {
        match self {
            MetaTag::SiteName => "网站名称",
            MetaTag::SiteDomain => "网站域名",
            MetaTag::SiteIdCode => "网站标识码",
            MetaTag::ColumnName => "栏目名称",
            MetaTag::ArticleTitle => "文章标题",
            MetaTag::PubDate => "发布时间",
            MetaTag::ContentSource => "文章来源",
        }
    }

    /// Whether a page of this kind (`home` | `list` | `article`) must carry the tag.
    /// Pages of any other kind are held to the site tags only.
    pub fn required_on(self, kind: &str) -> bool {
        match self {
            MetaTag::SiteName | MetaTag::SiteDomain | MetaTag::SiteIdCode => true,
            MetaTag::ColumnName => kind == "list",
            MetaTag::ArticleTitle | MetaTag::PubDate | MetaTag::ContentSource => kind == "article",
        }
    }

    /// The tag's value on a page, as recorded.
    pub fn value(self, page: &PageMetaRecord) -> Option<&str> {
        match self {
            MetaTag::SiteName => page.site_name.as_deref(),
            MetaTag::SiteDomain => page.site_domain.as_deref(),
            MetaTag::SiteIdCode => page.site_id_code.as_deref(),
            MetaTag::ColumnName => page.column_name.as_deref(),
            MetaTag::ArticleTitle => page.article_title.as_deref(),
            MetaTag::PubDate => page.pub_date.as_deref(),
            MetaTag::ContentSource => page.content_source.as_deref(),
        }
    }

    /// Whether a present value is well-formed. Only `SiteIDCode` and `PubDate` have a
    /// format; any other non-empty value is accepted.
    pub fn well_formed(self, value: &str) -> bool {
        match self {
            MetaTag::SiteIdCode => valid_site_id_code(value),
            MetaTag::PubDate => valid_pub_date(value),
            _ => !value.trim().is_empty(),
        }
    }

    /// What a well-formed value looks like, for messages (None when any value will do).
    pub fn expected_format(self) -> Option<&'static str> {
        match self {
            MetaTag::SiteIdCode => Some("应为10位数字，或bm加8位数字"),
            MetaTag::PubDate => Some("应为YYYY-MM-DD HH:MM[:SS]或YYYY-MM-DD"),
            _ => None,
        }
    }
}

/// Whether a `SiteIDCode` value matches [`SITE_ID_CODE_PATTERN`] (surrounding spaces are
/// not tolerated: the tag must be exactly the code).
pub fn valid_site_id_code(value: &str) -> bool {
    SITE_ID_CODE.is_match(value)
}

/// Whether a `PubDate` value is `YYYY-MM-DD HH:MM`, `YYYY-MM-DD HH:MM:SS` or `YYYY-MM-DD`,
/// and names a real day and time (2023-02-30 or 24:10 are not).
pub fn valid_pub_date(value: &str) -> bool {
    let shape = |s: &str, pattern: &str| {
        s.len() == pattern.len()
            && s.bytes().zip(pattern.bytes()).all(|(c, p)| match p {
                b'9' => c.is_ascii_digit(),
                _ => c == p,
            })
    };
    if shape(value, "9999-99-99") {
        NaiveDate::parse_from_str(value, "%Y-%m-%d").is_ok()
    } else if shape(value, "9999-99-99 99:99") {
        NaiveDateTime::parse_from_str(value, "%Y-%m-%d %H:%M").is_ok()
    } else if shape(value, "9999-99-99 99:99:99") {
        NaiveDateTime::parse_from_str(value, "%Y-%m-%d %H:%M:%S").is_ok()
    } else {
        false
    }
}

/// What is wrong with a tag on a page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum MetaProblem {
    /// The page does not carry the tag (absent, empty or `null`).
    Missing,
    /// The page carries it with a value of the wrong format.
    Malformed,
}

/// One tag with one problem, and every page that has it, in page order.
#[derive(Debug, Clone, PartialEq)]
pub struct MetaIssue<'a> {
    /// The tag.
    pub tag: MetaTag,
    /// The problem.
    pub problem: MetaProblem,
    /// The pages concerned.
    pub pages: Vec<&'a PageMetaRecord>,
}

/// Groups the problems of a site's pages: one issue per (tag, problem) that occurs, in
/// [`MetaTag::ALL`] order, missing before malformed. No pages, no issues: a site whose
/// pages were not read is not judged.
pub fn issues(pages: &[PageMetaRecord]) -> Vec<MetaIssue<'_>> {
    let mut out = Vec::new();
    for tag in MetaTag::ALL {
        let mut missing = Vec::new();
        let mut malformed = Vec::new();
        for page in pages.iter().filter(|p| tag.required_on(&p.kind)) {
            match tag.value(page) {
                None => missing.push(page),
                Some(v) if v.trim().is_empty() => missing.push(page),
                Some(v) if !tag.well_formed(v) => malformed.push(page),
                Some(_) => {}
            }
        }
        for (problem, pages) in [
            (MetaProblem::Missing, missing),
            (MetaProblem::Malformed, malformed),
        ] {
            if !pages.is_empty() {
                out.push(MetaIssue {
                    tag,
                    problem,
                    pages,
                });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(url: &str, kind: &str) -> PageMetaRecord {
        let mut p = PageMetaRecord {
            url: url.to_string(),
            kind: kind.to_string(),
            site_name: Some("孟津区人民政府".into()),
            site_domain: Some("www.mengjin.gov.cn".into()),
            site_id_code: Some("4103220001".into()),
            title: Some(format!("{kind} page")),
            ..PageMetaRecord::default()
        };
        match kind {
            "list" => p.column_name = Some("最新动态".into()),
            "article" => {
                p.article_title = Some("召开工作会议".into());
                p.pub_date = Some("2023-01-09 10:30".into());
                p.content_source = Some("本网".into());
            }
            _ => {}
        }
        p
    }

    fn compliant_site() -> Vec<PageMetaRecord> {
        vec![
            page("http://a/", "home"),
            page("http://a/zwdt/", "list"),
            page("http://a/zwdt/1.html", "article"),
        ]
    }

    fn summary(issues: &[MetaIssue<'_>]) -> Vec<(MetaTag, MetaProblem, Vec<String>)> {
        issues
            .iter()
            .map(|i| {
                (
                    i.tag,
                    i.problem,
                    i.pages.iter().map(|p| p.url.clone()).collect(),
                )
            })
            .collect()
    }

    #[test]
    fn a_compliant_site_has_no_issues() {
        assert!(issues(&compliant_site()).is_empty());
    }

    #[test]
    fn a_site_without_recorded_pages_is_not_judged() {
        assert!(issues(&[]).is_empty());
    }

    #[test]
    fn each_missing_or_bad_tag_is_one_issue_listing_every_page_concerned() {
        let mut home = page("http://b/", "home");
        home.site_id_code = None;
        let mut list = page("http://b/tzgg/", "list");
        list.site_id_code = Some("410322001".into()); // 9 digits
        list.column_name = None;
        let mut art1 = page("http://b/tzgg/1.html", "article");
        art1.site_id_code = None;
        art1.pub_date = Some("2023/01/09".into());
        art1.content_source = None;
        let mut art2 = page("http://b/tzgg/2.html", "article");
        art2.pub_date = None;
        art2.site_domain = None;
        let pages = vec![home, list, art1, art2];
        assert_eq!(
            summary(&issues(&pages)),
            vec![
                (
                    MetaTag::SiteDomain,
                    MetaProblem::Missing,
                    vec!["http://b/tzgg/2.html".into()]
                ),
                (
                    MetaTag::SiteIdCode,
                    MetaProblem::Missing,
                    vec!["http://b/".into(), "http://b/tzgg/1.html".into()]
                ),
                (
                    MetaTag::SiteIdCode,
                    MetaProblem::Malformed,
                    vec!["http://b/tzgg/".into()]
                ),
                (
                    MetaTag::ColumnName,
                    MetaProblem::Missing,
                    vec!["http://b/tzgg/".into()]
                ),
                (
                    MetaTag::PubDate,
                    MetaProblem::Missing,
                    vec!["http://b/tzgg/2.html".into()]
                ),
                (
                    MetaTag::PubDate,
                    MetaProblem::Malformed,
                    vec!["http://b/tzgg/1.html".into()]
                ),
                (
                    MetaTag::ContentSource,
                    MetaProblem::Missing,
                    vec!["http://b/tzgg/1.html".into()]
                ),
            ]
        );
    }

    #[test]
    fn column_and_article_tags_are_required_only_on_their_page_kinds() {
        // A home page without ColumnName/ArticleTitle is fine; so is a list page without
        // PubDate.
        let pages = vec![page("http://a/", "home"), page("http://a/zwdt/", "list")];
        assert!(issues(&pages).is_empty());
        // An article page without ColumnName is fine too.
        assert!(issues(&[page("http://a/1.html", "article")]).is_empty());
    }

    #[test]
    fn a_blank_value_counts_as_missing() {
        let mut home = page("http://a/", "home");
        home.site_name = Some("  ".into());
        assert_eq!(
            summary(&issues(&[home])),
            vec![(
                MetaTag::SiteName,
                MetaProblem::Missing,
                vec!["http://a/".into()]
            )]
        );
    }

    #[test]
    fn site_id_code_is_ten_digits_or_bm_and_eight_digits() {
        for ok in ["4103220001", "1304000009", "bm14000002", "bm29000002"] {
            assert!(valid_site_id_code(ok), "{ok}");
        }
        for bad in [
            "410322000",   // 9 digits
            "41032200011", // 11 digits
            "410322",      // 6-digit 组织单位 code, not a 网站标识码
            "BM14000002",  // upper case prefix
            "bm1400000",   // bm + 7
            "4103 220001", // space inside
            " 4103220001", // leading space
            "41032200O1",  // letter O
            "bm140000021", // bm + 9
        ] {
            assert!(!valid_site_id_code(bad), "{bad}");
        }
    }

    #[test]
    fn pub_date_accepts_minutes_seconds_or_date_only_and_real_days() {
        for ok in [
            "2023-01-09 10:30",
            "2023-01-09 10:30:59",
            "2023-01-09",
            "2024-02-29 00:00",
        ] {
            assert!(valid_pub_date(ok), "{ok}");
        }
        for bad in [
            "2023/01/09 10:30",
            "2023-1-9",
            "2023年01月09日",
            "2023-01-09T10:30",
            "2023-01-09 10",
            "2023-02-30",
            "2023-01-09 24:10",
            "2023-01-09 10:30:5",
            "09-01-2023",
            "",
        ] {
            assert!(!valid_pub_date(bad), "{bad}");
        }
    }
}
