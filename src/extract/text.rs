//! Visible text of pages and elements: what a reader sees, without `<script>`, `<style>`,
//! `<noscript>` or `<template>` content, with whitespace (including full-width spaces and
//! `&nbsp;`) collapsed to single spaces.
//!
//! Pure and iterative (no recursion), so deeply nested hostile markup cannot overflow the
//! stack. Must not decide what a page *means*; other extractors do that.

use scraper::{ElementRef, Html, Node, Selector};
use std::sync::LazyLock;

/// Elements whose content is never visible text.
const HIDDEN: &[&str] = &["script", "style", "noscript", "template", "head", "title"];

/// Elements that separate words: their boundaries become spaces.
const BLOCKS: &[&str] = &[
    "p", "div", "br", "li", "tr", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "table", "ul",
    "ol", "dl", "dt", "dd", "section", "article", "header", "footer", "nav", "option",
];

static BODY: LazyLock<Selector> =
    LazyLock::new(|| Selector::parse("body").expect("static selector"));

/// The visible text of a whole page, whitespace-collapsed.
pub fn visible_text(html: &str) -> String {
    let doc = Html::parse_document(super::bounded(html));
    let root = doc
        .select(&BODY)
        .next()
        .unwrap_or_else(|| doc.root_element());
    element_text(root)
}

/// The visible text of one element, whitespace-collapsed. Block boundaries (`<p>`, `<div>`,
/// `<td>`, `<br>`…) become spaces; inline elements (`<span>`, `<em>`) join their text, as a
/// browser shows it.
pub fn element_text(el: ElementRef<'_>) -> String {
    element_text_skipping(el, |_| false)
}

/// Like [`element_text`], but also skips every element (and its subtree) for which `skip`
/// returns true. The root element itself is never skipped.
pub(crate) fn element_text_skipping(
    el: ElementRef<'_>,
    skip: impl Fn(ElementRef<'_>) -> bool,
) -> String {
    let mut raw = String::new();
    // `None` marks the end of a block element (emit a separator).
    let mut stack = vec![Some(*el)];
    let mut first = true;
    while let Some(entry) = stack.pop() {
        let Some(node) = entry else {
            raw.push(' ');
            continue;
        };
        match node.value() {
            Node::Text(t) => raw.push_str(t),
            Node::Element(e) => {
                let name = e.name();
                if !first {
                    if HIDDEN.contains(&name) {
                        continue;
                    }
                    if let Some(er) = ElementRef::wrap(node)
                        && skip(er)
                    {
                        continue;
                    }
                }
                first = false;
                let block = BLOCKS.contains(&name);
                if block {
                    raw.push(' ');
                    stack.push(None);
                }
                stack.extend(node.children().rev().map(Some));
            }
            Node::Document | Node::Fragment => {
                first = false;
                stack.extend(node.children().rev().map(Some));
            }
            _ => {}
        }
    }
    collapse_ws(&raw)
}

/// Collapses every run of whitespace (ASCII, full-width `\u{3000}`, no-break `\u{a0}`,
/// literal `&nbsp;`) into one space and trims.
pub fn collapse_ws(s: &str) -> String {
    let s = if s.contains("&nbsp;") {
        std::borrow::Cow::Owned(s.replace("&nbsp;", " "))
    } else {
        std::borrow::Cow::Borrowed(s)
    };
    let mut out = String::with_capacity(s.len());
    let mut pending = false;
    for ch in s.chars() {
        if ch.is_whitespace() || ch == '\u{3000}' || ch == '\u{a0}' {
            pending = true;
        } else {
            if pending && !out.is_empty() {
                out.push(' ');
            }
            pending = false;
            out.push(ch);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn visible_text_drops_scripts_styles_and_collapses_whitespace() {
        let html = "<html><head><title>标题</title><style>p{color:red}</style></head><body>\
                    <p>第一段\u{3000}\u{3000}文字</p><script>var x='隐藏';</script>\
                    <div>第二段&nbsp;文字</div><noscript>无脚本</noscript></body></html>";
        assert_eq!(visible_text(html), "第一段 文字 第二段 文字");
    }

    #[test]
    fn visible_text_separates_blocks_and_joins_inline_text() {
        let html = "<body><span>发布时间：</span><span>2022-05-23</span><p>云溪区<em>重要</em>会议</p></body>";
        assert_eq!(visible_text(html), "发布时间：2022-05-23 云溪区重要会议");
    }

    #[test]
    fn visible_text_survives_hostile_input() {
        assert_eq!(visible_text(""), "");
        let garbage: String = (0u32..5000)
            .filter_map(|i| char::from_u32((i * 7919) % 0x2FFF))
            .collect();
        let _ = visible_text(&garbage);
        // Nesting within the bound is read; runaway nesting is cut where it exceeds it.
        let deep = format!(
            "{}深{}",
            "<div><span>".repeat(900),
            "</span></div>".repeat(900)
        );
        assert!(visible_text(&deep).contains('深'));
        let runaway = format!(
            "<p>浅</p>{}深{}",
            "<div><span>".repeat(50_000),
            "</span></div>".repeat(50_000)
        );
        assert_eq!(visible_text(&runaway), "浅");
        let big = format!("<body>{}</body>", "<p>很长的页面内容</p>".repeat(60_000));
        assert!(big.len() > 1_000_000);
        assert!(visible_text(&big).starts_with("很长的页面内容"));
    }
}
