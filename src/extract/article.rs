//! Article page extraction: title, publish date (with where it came from), metadata,
//! attachments and body text (a page's links are read by `nav::links_of`).
//!
//! Date order: `PubDate` meta > the visible 发布时间/发布日期/日期 line > the URL date.
//! Attachments come from links (by extension, or `downfile.jsp?filename=x.pdf`) and from
//! TRS `var file_appendix='<a href=…>'` strings inside scripts. Pure: attachments are
//! listed, never downloaded.

use super::dates::{date_from_url, find_labeled_date};
use super::meta::PageMeta;
use super::text::{collapse_ws, element_text};
use crate::model::DateSource;
use chrono::NaiveDate;
use regex::Regex;
use scraper::{ElementRef, Html, Selector};
use std::collections::HashSet;
use std::sync::LazyLock;
use url::Url;

/// The most links read from one article page.
pub const MAX_LINKS: usize = 5_000;

/// The file type of an attachment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AttachmentKind {
    /// `.pdf`
    Pdf,
    /// `.doc`
    Doc,
    /// `.docx`
    Docx,
    /// `.xls`
    Xls,
    /// `.xlsx`
    Xlsx,
    /// `.wps` (Kingsoft WPS)
    Wps,
    /// `.ofd` (the Chinese fixed-layout format)
    Ofd,
}

impl AttachmentKind {
    /// The kind of a file name's extension (case-insensitive).
    pub fn from_file_name(name: &str) -> Option<AttachmentKind> {
        let ext = name.rsplit_once('.')?.1.trim().to_ascii_lowercase();
        Some(match ext.as_str() {
            "pdf" => AttachmentKind::Pdf,
            "doc" => AttachmentKind::Doc,
            "docx" => AttachmentKind::Docx,
            "xls" => AttachmentKind::Xls,
            "xlsx" => AttachmentKind::Xlsx,
            "wps" => AttachmentKind::Wps,
            "ofd" => AttachmentKind::Ofd,
            _ => return None,
        })
    }
}

/// A downloadable file linked from an article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    /// Absolute URL.
    pub url: Url,
    /// The link text (or the file name when the link has no text).
    pub name: String,
    /// The file type.
    pub kind: AttachmentKind,
}

/// What an article page says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Article {
    /// `ArticleTitle` meta, else `h1`/`.title`, else the first segment of `<title>`.
    pub title: Option<String>,
    /// The publish date.
    pub date: Option<NaiveDate>,
    /// Where `date` came from (`ArticleMeta`, `ArticleText`, `Url` or `None`).
    pub date_source: DateSource,
    /// The page's metadata tags.
    pub meta: PageMeta,
    /// Attachments, in page order, each URL once.
    pub attachments: Vec<Attachment>,
    /// The visible body text (the article container when found, else `<body>`),
    /// whitespace-collapsed.
    pub text: String,
}

static A_HREF: LazyLock<Selector> =
    LazyLock::new(|| Selector::parse("a[href]").expect("static selector"));
static SCRIPT: LazyLock<Selector> =
    LazyLock::new(|| Selector::parse("script").expect("static selector"));
static BODY: LazyLock<Selector> =
    LazyLock::new(|| Selector::parse("body").expect("static selector"));
static TITLE: LazyLock<Selector> =
    LazyLock::new(|| Selector::parse("title").expect("static selector"));
static HEADINGS: LazyLock<Vec<Selector>> = LazyLock::new(|| {
    ["h1", ".title", ".article-title", ".xl_title"]
        .iter()
        .map(|s| Selector::parse(s).expect("static selector"))
        .collect()
});
/// Article body containers seen on TRS, Hanweb, Guangdong, VSB, Epoint and Chongqing sites,
/// most specific first.
static CONTAINERS: LazyLock<Vec<Selector>> = LazyLock::new(|| {
    [
        "#zoom",
        ".TRS_Editor",
        ".trs_editor_view",
        ".Custom_UnionStyle",
        ".zwxl-article",
        ".v_news_content",
        ".ewb-article-detail",
        ".articleBox",
        ".article-content",
        ".article",
        "article",
        ".content",
    ]
    .iter()
    .map(|s| Selector::parse(s).expect("static selector"))
    .collect()
});
static FILE_APPENDIX: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?s)file_appendix\s*=\s*(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)")"#)
        .expect("static regex")
});

/// Extracts an article page fetched from `url`.
pub fn extract_article(html: &str, url: &Url) -> Article {
    article_of(&super::Parsed::new(html), url)
}

/// Like [`extract_article`], from a page already parsed (its links or hidden links are
/// read from the same tree).
pub fn article_of(page: &super::Parsed<'_>, url: &Url) -> Article {
    let (html, doc) = (page.html, &page.doc);
    let meta = PageMeta::parse(html);
    let body = doc
        .select(&BODY)
        .next()
        .unwrap_or_else(|| doc.root_element());

    let title = meta
        .article_title
        .clone()
        .or_else(|| {
            HEADINGS
                .iter()
                .filter_map(|sel| doc.select(sel).map(element_text).find(|t| !t.is_empty()))
                .next()
        })
        .or_else(|| {
            let t = collapse_ws(
                &doc.select(&TITLE)
                    .next()
                    .map(element_text_raw)
                    .unwrap_or_default(),
            );
            let first = t
                .split(['_', '|'])
                .next()
                .unwrap_or("")
                .split(" - ")
                .next()
                .unwrap_or("")
                .trim();
            (!first.is_empty()).then(|| first.to_string())
        });

    // The whole body's text is read only when needed: for a date when the metadata has
    // none, or as the text when no content container has any.
    let mut body_text = None;
    let (date, date_source) = if let Some(d) = meta.pub_date {
        (Some(d), DateSource::ArticleMeta)
    } else if let Some(d) = find_labeled_date(body_text.insert(element_text(body))) {
        (Some(d), DateSource::ArticleText)
    } else if let Some(d) = date_from_url(url.as_str()) {
        (Some(d), DateSource::Url)
    } else {
        (None, DateSource::None)
    };

    let text = CONTAINERS
        .iter()
        .filter_map(|sel| doc.select(sel).next())
        .map(element_text)
        .find(|t| !t.is_empty())
        .unwrap_or_else(|| body_text.unwrap_or_else(|| element_text(body)));

    let mut attachments = Vec::new();
    let mut seen_files = HashSet::new();
    for a in doc.select(&A_HREF).take(MAX_LINKS) {
        let Some(link) = resolve(a, url) else {
            continue;
        };
        if let Some(att) = attachment(a, &link)
            && seen_files.insert(att.url.clone())
        {
            attachments.push(att);
        }
    }
    // Attachments that exist only inside a script string (TRS `file_appendix`).
    for script in doc.select(&SCRIPT).take(256) {
        let code: String = script.text().collect();
        for c in FILE_APPENDIX.captures_iter(&code) {
            let Some(m) = c.get(1).or_else(|| c.get(2)) else {
                continue;
            };
            let fragment = m.as_str().replace("\\'", "'").replace("\\\"", "\"");
            let frag = Html::parse_fragment(&fragment);
            for a in frag.select(&A_HREF).take(64) {
                let Some(link) = resolve(a, url) else {
                    continue;
                };
                if let Some(att) = attachment(a, &link)
                    && seen_files.insert(att.url.clone())
                {
                    attachments.push(att);
                }
            }
        }
    }

    Article {
        title,
        date,
        date_source,
        meta,
        attachments,
        text,
    }
}

/// The `<title>` text as written (it is hidden from [`element_text`]).
fn element_text_raw(el: ElementRef<'_>) -> String {
    el.text().collect()
}

/// An anchor's absolute http(s) URL, without fragment.
fn resolve(a: ElementRef<'_>, base: &Url) -> Option<Url> {
    let href = a.value().attr("href")?.trim();
    if href.is_empty() || href.starts_with('#') {
        return None;
    }
    let mut u = base.join(href).ok()?;
    if !matches!(u.scheme(), "http" | "https") {
        return None;
    }
    u.set_fragment(None);
    Some(u)
}

/// The attachment a link points to: by the path's extension, or by a `filename=`
/// parameter (`downfile.jsp?filename=2205231642.pdf`).
fn attachment(a: ElementRef<'_>, link: &Url) -> Option<Attachment> {
    let path_name = link
        .path_segments()
        .and_then(|mut s| s.next_back())
        .unwrap_or("")
        .to_string();
    let decoded_name = percent_decode(&path_name);
    let kind = AttachmentKind::from_file_name(&decoded_name).or_else(|| {
        link.query_pairs()
            .find(|(k, _)| k.eq_ignore_ascii_case("filename") || k.eq_ignore_ascii_case("file"))
            .and_then(|(_, v)| AttachmentKind::from_file_name(&v))
    })?;
    let text = element_text(a);
    let name = if !text.is_empty() {
        text
    } else if let Some(t) = a
        .value()
        .attr("title")
        .map(collapse_ws)
        .filter(|t| !t.is_empty())
    {
        t
    } else {
        decoded_name
    };
    Some(Attachment {
        url: link.clone(),
        name,
        kind,
    })
}

/// Decodes `%XX` escapes of a URL path segment (lossy on invalid UTF-8).
fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(h) = s
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(h);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(s: &str) -> Url {
        Url::parse(s).expect("test url")
    }

    #[test]
    fn trs_article_uses_meta_title_and_pubdate_and_finds_file_appendix_attachment() {
        let html = include_str!("../../tests/fixtures/extract/trs_article.html");
        let page = url("https://www.yunxiqu.gov.cn/zwgk/gzdt/202205/t20220523_4401127.html");
        let a = extract_article(html, &page);
        assert_eq!(
            a.title.as_deref(),
            Some("云溪区召开2022年安全生产工作推进会")
        );
        assert_eq!(a.date, NaiveDate::from_ymd_opt(2022, 5, 23));
        assert_eq!(a.date_source, DateSource::ArticleMeta);
        assert_eq!(a.meta.site_id_code.as_deref(), Some("3399990001"));
        assert_eq!(
            a.attachments,
            vec![Attachment {
                url: url("https://www.yunxiqu.gov.cn/zwgk/gzdt/202205/P020220523612345678902.pdf"),
                name: "附件：重点任务清单.pdf".into(),
                kind: AttachmentKind::Pdf,
            }]
        );
        // Body container only: no header, info line or footer text.
        assert_eq!(a.text, "5月23日，云溪区召开2022年安全生产工作推进会……");
    }

    #[test]
    fn hanweb_article_without_pubdate_uses_visible_publish_line_not_document_date() {
        let html = include_str!("../../tests/fixtures/extract/hanweb_article.html");
        let page = url("http://www.yunxiqu.gov.cn/art/2022/5/24/art_1229687456_59012345.html");
        let a = extract_article(html, &page);
        assert_eq!(
            a.title.as_deref(),
            Some("云溪区召开2022年安全生产工作推进会")
        );
        assert_eq!(a.date, NaiveDate::from_ymd_opt(2022, 5, 23));
        assert_eq!(a.date_source, DateSource::ArticleText);
        assert_eq!(
            a.attachments,
            vec![Attachment {
                url: url(
                    "http://www.yunxiqu.gov.cn/module/download/downfile.jsp?classid=0&filename=2205231642.pdf"
                ),
                name: "附件：重点任务清单.pdf".into(),
                kind: AttachmentKind::Pdf,
            }]
        );
        assert_eq!(
            a.text,
            "5月23日，云溪区召开2022年安全生产工作推进会…… 附件：重点任务清单.pdf"
        );
    }

    #[test]
    fn guangdong_article_reads_title_div_info_line_and_office_attachments() {
        let html = include_str!("../../tests/fixtures/extract/gd_article.html");
        let page = url("https://www.yunxiqu.gov.cn/zwgk/tzgg/content/post_1665156.html");
        let a = extract_article(html, &page);
        assert_eq!(a.title.as_deref(), Some("关于开展2022年防汛演练的通告"));
        assert_eq!(a.date, NaiveDate::from_ymd_opt(2022, 5, 23));
        assert_eq!(a.date_source, DateSource::ArticleText);
        let got: Vec<(&str, &str, AttachmentKind)> = a
            .attachments
            .iter()
            .map(|x| (x.url.as_str(), x.name.as_str(), x.kind))
            .collect();
        assert_eq!(
            got,
            vec![
                (
                    "https://www.yunxiqu.gov.cn/attachment/0/12/12345/1665156.docx",
                    "演练方案.docx",
                    AttachmentKind::Docx
                ),
                (
                    "https://www.yunxiqu.gov.cn/attachment/0/12/12346/1665156.xls",
                    "报名表",
                    AttachmentKind::Xls
                ),
                (
                    "https://www.yunxiqu.gov.cn/attachment/0/12/12347/%E5%90%8D%E5%8D%95.wps",
                    "名单",
                    AttachmentKind::Wps
                ),
            ]
        );
        assert!(a.text.starts_with("为做好汛期准备"));
    }

    #[test]
    fn article_date_falls_back_to_url_then_none_and_title_to_title_tag() {
        let html = include_str!("../../tests/fixtures/extract/undated_article.html");
        let a = extract_article(
            html,
            &url("http://hqz.yunxiqu.gov.cn/jggk/202301/t20230105_1.html"),
        );
        assert_eq!(a.title.as_deref(), Some("镇政府机构概况"));
        assert_eq!(a.date, NaiveDate::from_ymd_opt(2023, 1, 5));
        assert_eq!(a.date_source, DateSource::Url);
        assert!(a.attachments.is_empty());
        assert_eq!(
            a.text,
            "首页 红旗镇人民政府位于云溪区东部，下辖12个行政村。 成文日期：2021-03-01"
        );

        let a = extract_article(html, &url("http://hqz.yunxiqu.gov.cn/jggk/index.html"));
        assert_eq!(a.date, None);
        assert_eq!(a.date_source, DateSource::None);
    }

    #[test]
    fn attachment_kinds_are_read_case_insensitively() {
        assert_eq!(
            AttachmentKind::from_file_name("报告.PDF"),
            Some(AttachmentKind::Pdf)
        );
        assert_eq!(
            AttachmentKind::from_file_name("a.XLSX"),
            Some(AttachmentKind::Xlsx)
        );
        assert_eq!(
            AttachmentKind::from_file_name("a.ofd"),
            Some(AttachmentKind::Ofd)
        );
        assert_eq!(
            AttachmentKind::from_file_name("a.doc"),
            Some(AttachmentKind::Doc)
        );
        assert_eq!(AttachmentKind::from_file_name("a.html"), None);
        assert_eq!(AttachmentKind::from_file_name("pdf"), None);
    }

    #[test]
    fn hostile_articles_never_panic() {
        let page = url("http://x.gov.cn/a.html");
        let a = extract_article("", &page);
        assert_eq!((a.title, a.date, a.text.as_str()), (None, None, ""));
        let garbage: String = (0u32..20_000)
            .filter_map(|i| char::from_u32((i * 7919) % 0xD7FF))
            .collect();
        let _ = extract_article(&garbage, &page);
        let _ = extract_article("<script>var file_appendix='<a href=\"%zz.pdf", &page);
        let big = format!(
            "<body><div id=zoom>{}</div></body>",
            "<p>正文内容很长。</p>".repeat(60_000)
        );
        assert!(big.len() > 1_000_000);
        assert!(
            extract_article(&big, &page)
                .text
                .starts_with("正文内容很长。")
        );
    }
}
