//! Article page extraction: title, publish date (with where it came from), metadata,
//! attachments, body text and outgoing links.
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
    /// Every http(s) link of the page, absolute, in page order, each once.
    pub links: Vec<Url>,
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
    let html = super::bounded(html);
    let meta = PageMeta::parse(html);
    let doc = Html::parse_document(html);
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

    let body_text = element_text(body);
    let (date, date_source) = if let Some(d) = meta.pub_date {
        (Some(d), DateSource::ArticleMeta)
    } else if let Some(d) = find_labeled_date(&body_text) {
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
        .unwrap_or(body_text);

    let mut links = Vec::new();
    let mut seen_links = HashSet::new();
    let mut attachments = Vec::new();
    let mut seen_files = HashSet::new();
    for a in doc.select(&A_HREF).take(MAX_LINKS) {
        let Some(link) = resolve(a, url) else {
            continue;
        };
        if let Some(att) = attachment(a, &link) {
            if seen_files.insert(att.url.clone()) {
                attachments.push(att);
            }
        }
        if seen_links.insert(link.clone()) {
            links.push(link);
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
                if seen_links.insert(link.clone()) {
                    links.push(link);
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
        links,
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
