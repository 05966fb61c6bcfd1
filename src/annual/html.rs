//! Flattens an HTML report page to text lines for the text parser: block elements become
//! lines, each `<tr>` becomes one line of space-separated cells (an empty cell becomes
//! [`EMPTY_CELL`]). Must not judge anything; scripts and styles are dropped. Never recurses
//! on the input's depth.

use scraper::{ElementRef, Html, Node};

use super::{AnnualReport, EMPTY_CELL, parse_text};

const BLOCKS: &[&str] = &[
    "p",
    "div",
    "br",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "ul",
    "ol",
    "section",
    "article",
    "header",
    "footer",
    "center",
    "blockquote",
    "pre",
    "hr",
    "dt",
    "dd",
    "caption",
];

/// Parses and checks a report page: real `<table>` markup or `<p>` text.
pub fn parse_html(html: &str) -> AnnualReport {
    parse_text(&html_text(html))
}

/// The text lines of an HTML page as the parser reads them (exposed for callers that want
/// to show or store the text).
pub fn html_text(html: &str) -> String {
    let doc = Html::parse_document(html);
    let mut out = Lines::default();
    walk(doc.root_element(), &mut out);
    // The <title> goes last: it often carries a site suffix ("…年度报告_XX区人民政府"), so a
    // heading in the body is the better title; the <title> is only the fallback.
    out.br();
    if let Some(t) = doc
        .root_element()
        .descendent_elements()
        .find(|e| e.value().name() == "title")
    {
        out.cur = t.text().collect::<String>();
        out.br();
    }
    out.finish()
}

#[derive(Default)]
struct Lines {
    lines: Vec<String>,
    cur: String,
}

impl Lines {
    fn br(&mut self) {
        let l = std::mem::take(&mut self.cur);
        if !l.trim().is_empty() {
            self.lines.push(l.trim().to_string());
        }
    }
    fn finish(mut self) -> String {
        self.br();
        self.lines.join("\n")
    }
}

fn cell_text(e: ElementRef<'_>) -> String {
    e.text()
        .flat_map(|t| t.chars())
        .filter(|c| !c.is_whitespace())
        .collect()
}

/// Flattens the element's subtree in document order without recursion (a page nested
/// 30,000 elements deep must not exhaust the stack): scripts and styles are skipped, a
/// table becomes its rows, a block element breaks the line before and after itself.
fn walk(root: ElementRef<'_>, out: &mut Lines) {
    // (node, closing): a node is pushed again as closing to break the line after a block.
    let mut stack = vec![(*root, false)];
    while let Some((node, closing)) = stack.pop() {
        if closing {
            out.br();
            continue;
        }
        if let Node::Text(t) = node.value() {
            out.cur.push_str(t);
            continue;
        }
        if let Some(e) = ElementRef::wrap(node) {
            match e.value().name() {
                "script" | "style" | "noscript" | "template" | "title" => continue,
                "table" => {
                    out.br();
                    table(e, out);
                    out.br();
                    continue;
                }
                name if BLOCKS.contains(&name) => {
                    out.br();
                    stack.push((node, true));
                }
                _ => {}
            }
        }
        stack.extend(node.children().rev().map(|c| (c, false)));
    }
}

fn table(t: ElementRef<'_>, out: &mut Lines) {
    for row in t.descendent_elements().filter(|d| d.value().name() == "tr") {
        // Skip rows of nested tables: they are read as part of their own table's cells.
        let mut anc = row.parent();
        let mut nested = false;
        while let Some(a) = anc {
            if let Some(ae) = ElementRef::wrap(a)
                && ae.value().name() == "table"
            {
                nested = ae.id() != t.id();
                break;
            }
            anc = a.parent();
        }
        if nested {
            continue;
        }
        let cells: Vec<String> = row
            .child_elements()
            .filter(|c| matches!(c.value().name(), "td" | "th"))
            .map(|c| {
                let s = cell_text(c);
                if s.is_empty() {
                    EMPTY_CELL.to_string()
                } else {
                    s
                }
            })
            .collect();
        if !cells.is_empty() {
            out.lines.push(cells.join(" "));
        }
    }
}
