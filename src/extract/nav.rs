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
    /// The link text (or its `title=` when the text is empty), whitespace-collapsed.
    pub text: String,
    /// Absolute URL.
    pub url: Url,
}

static LINKS: LazyLock<Selector> =
    LazyLock::new(|| Selector::parse("a, option[value], [onclick]").expect("static selector"));
static WINDOW_OPEN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"(?:window\.open|location\.href\s*=|window\.location\s*=)\s*\(?\s*['"]([^'"]+)['"]"#,
    )
    .expect("static regex")
});

/// The navigation links of a page, in page order, each (text, URL) pair once: anchors
/// with text or a title; `<option>`s whose value is a URL (the label option has none);
/// `onclick="window.open('…')"` and `javascript:window.open('…')` targets. `mailto:`,
/// `javascript:void(0)` and `#` links are skipped.
pub fn nav_links(html: &str, base: &Url) -> Vec<NavLink> {
    let doc = Html::parse_document(super::bounded(html));
    let mut out = Vec::new();
    let mut seen = HashSet::new();
    for el in doc.select(&LINKS).take(MAX_NAV_LINKS) {
        let Some(link) = link_of(el, base) else {
            continue;
        };
        if seen.insert((link.text.clone(), link.url.to_string())) {
            out.push(link);
        }
    }
    out
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
    let t = collapse_ws(text);
    let mut best: Option<(ColumnClass, usize)> = None;
    for (class, list) in names {
        for name in list {
            let name = name.trim();
            if name.is_empty() || !t.contains(name) {
                continue;
            }
            let len = name.chars().count();
            if best.is_none_or(|(_, l)| len > l) {
                best = Some((*class, len));
            }
        }
    }
    best.map(|(c, _)| c)
}
