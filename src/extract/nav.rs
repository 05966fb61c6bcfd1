//! Navigation links of a page (anchors, `<select>` subsite dropdowns, `window.open` links)
//! and the classification of a link text into a column class.
//!
//! Used by site and column discovery. Pure: it lists and names links, it never decides
//! which ones to crawl.

use super::text::{collapse_ws, element_text};
use crate::model::ColumnClass;
use regex::Regex;
use scraper::{ElementRef, Html, Selector};
use std::collections::{BTreeMap, HashSet};
use std::sync::LazyLock;
use url::Url;

/// The most links read from one page.
pub const MAX_NAV_LINKS: usize = 10_000;

/// A link a page offers, with the text a reader sees.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NavLink {
    /// The link text (or its `title=`, or its image's `alt`, when the text is empty),
    /// whitespace-collapsed.
    pub text: String,
    /// Absolute URL.
    pub url: Url,
}

static LINKS: LazyLock<Selector> =
    LazyLock::new(|| Selector::parse("a, option[value], [onclick]").expect("static selector"));
static IMG: LazyLock<Selector> =
    LazyLock::new(|| Selector::parse("img[alt]").expect("static selector"));
static WINDOW_OPEN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"(?:window\.open|location\.href\s*=|window\.location\s*=)\s*\(?\s*['"]([^'"]+)['"]"#,
    )
    .expect("static regex")
});

/// The navigation links of a page, in page order, each (text, URL) pair once: anchors
/// with text or a title (or, for image buttons, an `<img alt>`); `<option>`s whose value is a URL (the label option has none);
/// `onclick="window.open('…')"` and `javascript:window.open('…')` targets. `mailto:`,
/// `javascript:void(0)` and `#` links are skipped.
pub fn nav_links(html: &str, base: &Url) -> Vec<NavLink> {
    links_of(&super::Parsed::new(html), base)
}

/// Like [`nav_links`], from a page already parsed.
pub fn links_of(page: &super::Parsed<'_>, base: &Url) -> Vec<NavLink> {
    let mut out = Vec::new();
    each_link(&page.doc, base, |_, link| out.push(link));
    out
}

/// Calls `f` with each link element of `doc` and its link, each (text, URL) pair once.
fn each_link<'d>(doc: &'d Html, base: &Url, mut f: impl FnMut(ElementRef<'d>, NavLink)) {
    let mut seen = HashSet::new();
    for el in doc.select(&LINKS).take(MAX_NAV_LINKS) {
        let Some(link) = link_of(el, base) else {
            continue;
        };
        if seen.insert((link.text.clone(), link.url.to_string())) {
            f(el, link);
        }
    }
}

/// How many ancestors of a link are searched for its section's label.
const MAX_SECTION_DEPTH: usize = 6;

/// Like [`nav_links`], each link with the label of the page section holding it: the text
/// of the nearest ancestor (up to `MAX_SECTION_DEPTH` levels) that says something besides
/// its links — a `<h3>部门网站</h3>` heading, tab names, a `<select>`'s label option.
/// None when no ancestor near the link has such text.
pub fn nav_links_with_sections(html: &str, base: &Url) -> Vec<(NavLink, Option<String>)> {
    let doc = Html::parse_document(super::bounded(html));
    let mut out = Vec::new();
    // Each ancestor's label is computed once (a page's links share their containers).
    let mut labels = std::collections::HashMap::new();
    each_link(&doc, base, |el, link| {
        let mut section = None;
        for anc in el
            .ancestors()
            .filter_map(ElementRef::wrap)
            .take(MAX_SECTION_DEPTH)
        {
            let label = labels
                .entry(anc.id())
                .or_insert_with(|| label_text(anc))
                .clone();
            if label.chars().filter(|c| !c.is_ascii_punctuation()).count() >= 2 {
                section = Some(label);
                break;
            }
        }
        out.push((link, section));
    });
    out
}

/// The text of an element without its links (anchors, URL options, onclick elements).
fn label_text(el: ElementRef<'_>) -> String {
    super::text::element_text_skipping(el, |e| {
        let v = e.value();
        match v.name() {
            "a" => true,
            "option" => v.attr("value").is_some_and(looks_like_url),
            _ => v.attr("onclick").is_some(),
        }
    })
}

fn link_of(el: ElementRef<'_>, base: &Url) -> Option<NavLink> {
    let v = el.value();
    let target = match v.name() {
        "option" => {
            let value = v.attr("value")?.trim();
            if !looks_like_url(value) {
                return None;
            }
            if value.to_ascii_lowercase().starts_with("www.") {
                format!("http://{value}")
            } else {
                value.to_string()
            }
        }
        _ => {
            let href = v.attr("href").map(str::trim).unwrap_or("");
            let from_script = |s: &str| WINDOW_OPEN.captures(s).map(|c| c[1].trim().to_string());
            if href.to_ascii_lowercase().starts_with("javascript:") {
                from_script(href).or_else(|| v.attr("onclick").and_then(from_script))?
            } else if href.is_empty() || href.starts_with('#') {
                v.attr("onclick").and_then(from_script)?
            } else if v.name() == "a" {
                href.to_string()
            } else {
                // Other elements only count through their onclick.
                v.attr("onclick").and_then(from_script)?
            }
        }
    };
    let lower = target.to_ascii_lowercase();
    if lower.starts_with("mailto:") || lower.starts_with("javascript:") || target.starts_with('#') {
        return None;
    }
    let mut url = base.join(&target).ok()?;
    if !matches!(url.scheme(), "http" | "https") {
        return None;
    }
    url.set_fragment(None);
    let mut text = element_text(el);
    if text.is_empty() {
        text = v.attr("title").map(collapse_ws).unwrap_or_default();
    }
    if text.is_empty() {
        // Image buttons: portals often draw column links as pictures with an alt text.
        text = el
            .select(&IMG)
            .find_map(|img| {
                img.value()
                    .attr("alt")
                    .map(collapse_ws)
                    .filter(|a| !a.is_empty())
            })
            .unwrap_or_default();
    }
    if text.is_empty() {
        return None;
    }
    Some(NavLink { text, url })
}

/// Whether an `<option value>` is a link rather than a label or a code.
fn looks_like_url(value: &str) -> bool {
    let lower = value.to_ascii_lowercase();
    lower.starts_with("http://")
        || lower.starts_with("https://")
        || value.starts_with("//")
        || value.starts_with('/')
        || value.starts_with("./")
        || value.starts_with("../")
        || lower.starts_with("www.") && value.contains('.')
}

/// The column class of a link text: the text (trimmed) equals or contains one of a class's
/// names; when several classes match, the longest matching name wins (so `政府信息公开年报`
/// beats a shorter name that it also contains). Ties go to the class listed first.
pub fn classify(text: &str, names: &BTreeMap<ColumnClass, Vec<String>>) -> Option<ColumnClass> {
    matched_name(text, names).map(|(c, _)| c)
}

/// Like [`classify`], with the name that matched (reported, so an operator sees why a link
/// was taken for a column).
pub fn matched_name<'n>(
    text: &str,
    names: &'n BTreeMap<ColumnClass, Vec<String>>,
) -> Option<(ColumnClass, &'n str)> {
    let t = collapse_ws(text);
    let mut best: Option<(ColumnClass, &'n str, usize)> = None;
    for (class, list) in names {
        for name in list {
            let name = name.trim();
            if name.is_empty() || !t.contains(name) {
                continue;
            }
            let len = name.chars().count();
            if best.is_none_or(|(_, _, l)| len > l) {
                best = Some((*class, name, len));
            }
        }
    }
    best.map(|(c, n, _)| (c, n))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(s: &str) -> Url {
        Url::parse(s).expect("test url")
    }

    #[test]
    fn nav_links_reads_anchors_options_and_window_open_targets_in_page_order() {
        let html = include_str!("../../tests/fixtures/extract/portal_nav.html");
        let got: Vec<(String, String)> =
            nav_links(html, &url("http://www.yunxiqu.gov.cn/index.html"))
                .into_iter()
                .map(|l| (l.text, l.url.to_string()))
                .collect();
        let want: Vec<(String, String)> = [
            ("首页", "http://www.yunxiqu.gov.cn/"),
            ("工作动态", "http://www.yunxiqu.gov.cn/zwgk/gzdt/"),
            ("通知公告", "http://www.yunxiqu.gov.cn/zwgk/tzgg/"),
            (
                "政府信息公开年报",
                "http://www.yunxiqu.gov.cn/zwgk/zfxxgknb/",
            ),
            ("互动交流", "http://www.yunxiqu.gov.cn/hdjl/"),
            ("政务服务", "http://www.yunxiqu.gov.cn/zwfw/index.html"),
            ("领导之窗", "https://www.yunxiqu.gov.cn/ldzc/"),
            ("云溪区人民政府", "http://www.yunxiqu.gov.cn/"),
            ("云溪经济开发区管理委员会", "http://www.yxkfq.gov.cn/"),
            ("区教育局", "http://www.yunxiqu.gov.cn/zwgk/bmxxgk/jyj/"),
            ("区卫生健康局", "https://wjw.yunxiqu.gov.cn/"),
        ]
        .iter()
        .map(|(t, u)| (t.to_string(), u.to_string()))
        .collect();
        assert_eq!(got, want);
    }

    #[test]
    fn nav_links_survives_hostile_input() {
        let base = url("http://x.gov.cn/");
        assert!(nav_links("", &base).is_empty());
        let garbage: String = (0u32..20_000)
            .filter_map(|i| char::from_u32((i * 7919) % 0xD7FF))
            .collect();
        let _ = nav_links(&garbage, &base);
        assert!(
            nav_links(
                "<a href='http://[::1'>坏链接</a><option value='//'>x</option>",
                &base
            )
            .is_empty()
        );
    }

    fn builtin() -> BTreeMap<ColumnClass, Vec<String>> {
        ColumnClass::ALL
            .into_iter()
            .map(|c| (c, c.builtin_names().iter().map(|n| n.to_string()).collect()))
            .collect()
    }

    #[test]
    fn classify_matches_equal_or_containing_text_with_longest_name_winning() {
        let names = builtin();
        assert_eq!(classify("工作动态", &names), Some(ColumnClass::News));
        assert_eq!(
            classify("  区教育局工作动态 ", &names),
            Some(ColumnClass::News)
        );
        assert_eq!(classify("通知公告", &names), Some(ColumnClass::Notice));
        assert_eq!(
            classify("政府信息公开年报", &names),
            Some(ColumnClass::AnnualReport)
        );
        assert_eq!(classify("领导之窗", &names), Some(ColumnClass::Leaders));
        assert_eq!(classify("首页", &names), None);
        assert_eq!(classify("", &names), None);
        // Two classes match: the longer name decides.
        let mut custom = BTreeMap::new();
        custom.insert(ColumnClass::News, vec!["公开".to_string()]);
        custom.insert(
            ColumnClass::Party,
            vec!["党务公开".to_string(), String::new()],
        );
        assert_eq!(classify("党务公开", &custom), Some(ColumnClass::Party));
        assert_eq!(classify("政务公开", &custom), Some(ColumnClass::News));
        // The common variants are built in, and the matched name is told.
        for (text, class, name) in [
            ("党建动态", ColumnClass::Party, "党建动态"),
            ("党的建设", ColumnClass::Party, "党的建设"),
            ("党风廉政建设", ColumnClass::Party, "党风廉政"),
            ("政务要闻", ColumnClass::News, "政务要闻"),
            ("公告公示", ColumnClass::Notice, "公告公示"),
            ("区教育局工作动态", ColumnClass::News, "工作动态"),
        ] {
            assert_eq!(matched_name(text, &names), Some((class, name)), "{text}");
        }
    }
}
