//! The government page metadata of 《政府网站发展指引》 (`<meta name="SiteIDCode">`,
//! `ColumnName`, `ArticleTitle`, `PubDate`, `ContentSource`…).
//!
//! Read with a tolerant tag scanner rather than the DOM, because real pages put these tags
//! before `<head>`, swap attribute order, use single quotes or lower case names. Only the
//! first [`META_SCAN_BYTES`] are scanned. The scanner is a byte scan (every page read goes
//! through here; regexes with captures were a twentieth of the screening stage's time),
//! tested against the patterns it implements. Must not judge whether the metadata is
//! complete; checks do that.

use super::dates::parse_date;
use chrono::NaiveDate;
use regex::Regex;
use std::sync::LazyLock;

/// How much of a page is scanned for `<meta>` tags. The tags belong in `<head>`; a generous
/// window tolerates saved pages with scripts and styles before it.
pub const META_SCAN_BYTES: usize = 64 * 1024;

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
        for tag in meta_tags(head) {
            let mut name = None;
            let mut content = None;
            for (key, value) in attributes(tag) {
                if key.eq_ignore_ascii_case("name") && name.is_none() {
                    name = Some(value.trim().to_ascii_lowercase());
                } else if key.eq_ignore_ascii_case("content") && content.is_none() {
                    content = Some(value);
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

/// The `<meta …>` tags of `html`, as the pattern `(?i)<meta\b[^>]*>` finds them. The word
/// boundary after `meta` is read as: the next character is not a letter, digit or `_`.
fn meta_tags(html: &str) -> impl Iterator<Item = &str> + '_ {
    let b = html.as_bytes();
    let mut at = 0;
    std::iter::from_fn(move || {
        while let Some(off) = b[at..].iter().position(|&c| c == b'<') {
            let start = at + off;
            at = start + 1;
            let name_end = start + 5;
            if b.len() < name_end || !b[start + 1..name_end].eq_ignore_ascii_case(b"meta") {
                continue;
            }
            // `name_end` follows ASCII, so it is a character boundary.
            if html[name_end..]
                .chars()
                .next()
                .is_some_and(|c| c.is_alphanumeric() || c == '_')
            {
                continue;
            }
            // No `>` after this tag's start: no later tag can end either.
            let end = name_end + b[name_end..].iter().position(|&c| c == b'>')? + 1;
            at = end;
            return Some(&html[start..end]);
        }
        at = b.len();
        None
    })
}

/// The `key=value` attributes of a tag (keys as written, values without their quotes), as
/// the pattern `(?i)([a-z_:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>/]+))` finds them.
fn attributes(tag: &str) -> impl Iterator<Item = (&str, &str)> + '_ {
    let b = tag.as_bytes();
    let is_key = |c: u8| c.is_ascii_alphabetic() || matches!(c, b'_' | b':' | b'-');
    let skip_ws = |from: usize| {
        from + tag[from..]
            .chars()
            .take_while(|c| c.is_whitespace())
            .map(char::len_utf8)
            .sum::<usize>()
    };
    let mut at = 0;
    std::iter::from_fn(move || {
        while at < b.len() {
            if !is_key(b[at]) {
                at += 1;
                continue;
            }
            let key_start = at;
            let key_end = key_start + b[key_start..].iter().take_while(|&&c| is_key(c)).count();
            // Where a key fails, every start inside it fails the same way (the same text
            // follows it): the search goes on after it.
            at = key_end;
            let eq = skip_ws(key_end);
            if b.get(eq) != Some(&b'=') {
                continue;
            }
            let v = skip_ws(eq + 1);
            let value = match b.get(v) {
                Some(&q @ (b'"' | b'\'')) => b[v + 1..]
                    .iter()
                    .position(|&c| c == q)
                    .map(|len| (v + 1..v + 1 + len, v + len + 2)),
                Some(_) => {
                    let len: usize = tag[v..]
                        .chars()
                        .take_while(|&c| !c.is_whitespace() && !matches!(c, '"' | '\'' | '>' | '/'))
                        .map(char::len_utf8)
                        .sum();
                    (len > 0).then_some((v..v + len, v + len))
                }
                None => None,
            };
            if let Some((value, end)) = value {
                at = end;
                return Some((&tag[key_start..key_end], &tag[value]));
            }
        }
        None
    })
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
    let v = if raw.contains('&') {
        let decoded = raw
            .replace("&quot;", "\"")
            .replace("&#39;", "'")
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&nbsp;", " ")
            .replace("&amp;", "&");
        super::text::collapse_ws(&decoded)
    } else {
        super::text::collapse_ws(raw)
    };
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

    /// The patterns the scanner implements, as regexes: the oracle of its test.
    fn regex_meta(html: &str) -> Vec<(String, Vec<(String, String)>)> {
        let tag = Regex::new(r"(?is)<meta\b[^>]*>").unwrap();
        let attr =
            Regex::new(r#"(?is)([a-z_:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>/]+))"#).unwrap();
        tag.find_iter(html)
            .map(|t| {
                let attrs = attr
                    .captures_iter(t.as_str())
                    .map(|a| {
                        let v = a.get(2).or_else(|| a.get(3)).or_else(|| a.get(4));
                        (a[1].to_string(), v.unwrap().as_str().to_string())
                    })
                    .collect();
                (t.as_str().to_string(), attrs)
            })
            .collect()
    }

    fn scanned_meta(html: &str) -> Vec<(String, Vec<(String, String)>)> {
        meta_tags(html)
            .map(|t| {
                let attrs = attributes(t)
                    .map(|(k, v)| (k.to_string(), v.to_string()))
                    .collect();
                (t.to_string(), attrs)
            })
            .collect()
    }

    #[test]
    fn the_meta_scan_finds_what_the_patterns_find() {
        let fixed = [
            TRS_ARTICLE,
            "<meta>",
            "<meta",
            "<metaname=x>",
            "<meta_x a=b>",
            "<meta字 a=b>",
            "<META NAME=PubDate CONTENT='2022-05-23'/>",
            "<meta name = \"a\" content=\"b\">",
            "<meta name=\"unclosed content=x>",
            "<meta name=a/b content=c>",
            "<meta a= b c=>",
            "<meta http-equiv=\"X-UA-Compatible\" content=\"IE=edge\">",
            "<meta\nname=\n'x'\u{3000}content\u{3000}=\u{3000}值>",
            "x<<meta a=b><meta c=d",
            "<meta name=\"a\" name=\"b\" content=>",
        ];
        // Random inputs over the pieces that matter; real pages as the parser reads them
        // (their first META_SCAN_BYTES).
        let pieces = [
            "<meta", "<META", "<", ">", "/", " ", "\n", "\u{3000}", "=", "\"", "'", "-", "_", ":",
            "name", "content", "x", "字", "2022",
        ];
        let head = |html: &str| crate::extract::truncate_str(html, META_SCAN_BYTES).to_string();
        crate::extract::assert_matches_oracle(
            &fixed,
            (&pieces, 5_000, 40),
            true,
            |html| scanned_meta(&head(html)),
            |html| regex_meta(&head(html)),
        );
    }

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
