//! The government page metadata of 《政府网站发展指引》 (`<meta name="SiteIDCode">`,
//! `ColumnName`, `ArticleTitle`, `PubDate`, `ContentSource`…).
//!
//! Read with a tolerant tag scanner rather than the DOM, because real pages put these tags
//! before `<head>`, swap attribute order, use single quotes or lower case names. Only the
//! first [`META_SCAN_BYTES`] are scanned. Must not judge whether the metadata is complete;
//! checks do that.

use super::dates::parse_date;
use chrono::NaiveDate;
use regex::Regex;
use std::sync::LazyLock;

/// How much of a page is scanned for `<meta>` tags. The tags belong in `<head>`; a generous
/// window tolerates saved pages with scripts and styles before it.
pub const META_SCAN_BYTES: usize = 64 * 1024;

static META_TAG: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?is)<meta\b[^>]*>").expect("static regex"));
static ATTR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?is)([a-z_:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>/]+))"#)
        .expect("static regex")
});
static PUB_DATE_PREFIX: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^\s*(\d{4}\s*[-/.]\s*\d{1,2}\s*[-/.]\s*\d{1,2}|\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日)",
    )
    .expect("static regex")
});

/// The metadata tags of one page. Absent, empty and literal `null` values are `None`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PageMeta {
    /// `SiteName`, e.g. `云溪区人民政府`.
    pub site_name: Option<String>,
    /// `SiteDomain`, as written (with or without scheme).
    pub site_domain: Option<String>,
    /// `SiteIDCode`, the 10-character 网站标识码.
    pub site_id_code: Option<String>,
    /// `ColumnName`.
    pub column_name: Option<String>,
    /// `ColumnType` (free text, not a controlled vocabulary).
    pub column_type: Option<String>,
    /// `ArticleTitle`, the best title source on article pages.
    pub article_title: Option<String>,
    /// `PubDate` as written.
    pub pub_date_raw: Option<String>,
    /// `ContentSource` (来源), often `本网`.
    pub content_source: Option<String>,
    /// `PubDate` parsed (`2022-05-23 16:42`, with seconds, date only, slashes).
    pub pub_date: Option<NaiveDate>,
}

impl PageMeta {
    /// Reads the metadata tags of a page. The first tag of each name wins; names are matched
    /// case-insensitively; attribute order and quoting do not matter.
    pub fn parse(html: &str) -> PageMeta {
        let head = super::truncate_str(html, META_SCAN_BYTES);
        let mut meta = PageMeta::default();
        for tag in META_TAG.find_iter(head) {
            let mut name = None;
            let mut content = None;
            for a in ATTR.captures_iter(tag.as_str()) {
                let key = a[1].to_ascii_lowercase();
                let value = a
                    .get(2)
                    .or_else(|| a.get(3))
                    .or_else(|| a.get(4))
                    .map(|m| m.as_str());
                match key.as_str() {
                    "name" if name.is_none() => name = value.map(|v| v.trim().to_ascii_lowercase()),
                    "content" if content.is_none() => content = value,
                    _ => {}
                }
            }
            let (Some(name), Some(content)) = (name, content) else {
                continue;
            };
            let Some(value) = clean_value(content) else {
                continue;
            };
            let slot = match name.as_str() {
                "sitename" => &mut meta.site_name,
                "sitedomain" => &mut meta.site_domain,
                "siteidcode" => &mut meta.site_id_code,
                "columnname" => &mut meta.column_name,
                "columntype" => &mut meta.column_type,
                "articletitle" => &mut meta.article_title,
                "pubdate" => &mut meta.pub_date_raw,
                "contentsource" => &mut meta.content_source,
                _ => continue,
            };
            if slot.is_none() {
                *slot = Some(value);
            }
        }
        meta.pub_date = meta.pub_date_raw.as_deref().and_then(parse_pub_date);
        meta
    }
}

/// Parses a `PubDate` value; anything after the date (a time, seconds) is ignored.
fn parse_pub_date(raw: &str) -> Option<NaiveDate> {
    parse_date(raw).or_else(|| {
        PUB_DATE_PREFIX
            .captures(raw)
            .and_then(|c| parse_date(&c[1]))
    })
}

/// Decodes the few entities seen in meta content, collapses whitespace, drops `null`.
fn clean_value(raw: &str) -> Option<String> {
    let decoded = raw
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&nbsp;", " ")
        .replace("&amp;", "&");
    let v = super::text::collapse_ws(&decoded);
    if v.is_empty() || v.eq_ignore_ascii_case("null") {
        None
    } else {
        Some(v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TRS_ARTICLE: &str = include_str!("../../tests/fixtures/extract/trs_article.html");

    #[test]
    fn parse_reads_the_national_metadata_group() {
        let m = PageMeta::parse(TRS_ARTICLE);
        assert_eq!(
            m,
            PageMeta {
                site_name: Some("云溪区人民政府".into()),
                site_domain: Some("www.yunxiqu.gov.cn".into()),
                site_id_code: Some("3399990001".into()),
                column_name: Some("工作动态".into()),
                column_type: Some("工作动态".into()),
                article_title: Some("云溪区召开2022年安全生产工作推进会".into()),
                pub_date_raw: Some("2022-05-23 16:42".into()),
                content_source: Some("区应急管理局".into()),
                pub_date: NaiveDate::from_ymd_opt(2022, 5, 23),
            }
        );
    }

    #[test]
    fn parse_accepts_case_order_quote_and_format_variants() {
        let html = r#"<script>var a=1;</script>
            <META content="1101070001" NAME="SiteIDCode" />
            <meta name='pubdate' content='2022/05/23 10:30'>
            <meta name="contentSource" content="本网">
            <meta name="ColumnName" content="null"/>
            <meta name="ArticleTitle" content="关于&quot;双减&quot;的通知">
            <meta name="others" content="页面生成时间 2023-05-11 18:10:10">"#;
        let m = PageMeta::parse(html);
        assert_eq!(m.site_id_code.as_deref(), Some("1101070001"));
        assert_eq!(m.pub_date_raw.as_deref(), Some("2022/05/23 10:30"));
        assert_eq!(m.pub_date, NaiveDate::from_ymd_opt(2022, 5, 23));
        assert_eq!(m.content_source.as_deref(), Some("本网"));
        assert_eq!(m.column_name, None);
        assert_eq!(m.article_title.as_deref(), Some("关于\"双减\"的通知"));
        assert_eq!(m.site_name, None);
    }

    #[test]
    fn parse_reads_pub_date_with_seconds_and_date_only() {
        for (raw, want) in [
            ("2022-05-23 10:30:45", NaiveDate::from_ymd_opt(2022, 5, 23)),
            ("2025-11-20", NaiveDate::from_ymd_opt(2025, 11, 20)),
            ("2020-12-15 10:00:00", NaiveDate::from_ymd_opt(2020, 12, 15)),
            ("2022-05-23T10:30:45", NaiveDate::from_ymd_opt(2022, 5, 23)),
            ("2023-02-30 10:00", None),
            ("", None),
        ] {
            let html = format!(r#"<meta name="PubDate" content="{raw}">"#);
            assert_eq!(PageMeta::parse(&html).pub_date, want, "raw {raw:?}");
        }
    }

    #[test]
    fn parse_survives_hostile_input() {
        assert_eq!(PageMeta::parse(""), PageMeta::default());
        assert_eq!(PageMeta::parse("<meta"), PageMeta::default());
        assert_eq!(
            PageMeta::parse("<meta name=\"PubDate\" content=\"2022"),
            PageMeta::default()
        );
        let big = "<meta name=x content=y>".repeat(100_000);
        assert_eq!(PageMeta::parse(&big), PageMeta::default());
    }
}
