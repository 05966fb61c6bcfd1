//! Flattens an HTML report page to text lines for the text parser: block elements become
//! lines, each `<tr>` becomes one line of space-separated cells (an empty cell becomes
//! [`EMPTY_CELL`]). Must not judge anything; scripts and styles are dropped.

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

fn walk(e: ElementRef<'_>, out: &mut Lines) {
    let name = e.value().name();
    match name {
        "script" | "style" | "noscript" | "template" | "title" => return,
        "table" => {
            out.br();
            table(e, out);
            out.br();
            return;
        }
        _ => {}
    }
    let block = BLOCKS.contains(&name);
    if block {
        out.br();
    }
    for child in e.children() {
        if let Some(ce) = ElementRef::wrap(child) {
            walk(ce, out);
        } else if let Node::Text(t) = child.value() {
            out.cur.push_str(t);
        }
    }
    if block {
        out.br();
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
