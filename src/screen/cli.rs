//! The body of `govscore screen FILE_OR_URL [--json]`: read a file or GET a URL with the
//! annual-report command's reader, flatten it to text with the annual-report text readers
//! (PDF, DOCX, HTML, text), screen it and print every hit. Exit codes: 0 nothing serious,
//! 2 a serious hit or a document that cannot be screened automatically (a scan: 需人工核查),
//! 3 the input cannot be read or is not a supported format, 1 unexpected failure.

use serde::Serialize;

use super::{Hit, has_serious, screen_text};
use crate::annual::{AnnualError, Format, docx_text, html_text, pdf_text, sniff};

/// The `--json` document.
#[derive(Serialize)]
struct JsonOut<'a> {
    schema: &'static str,
    source: &'a str,
    serious: bool,
    hits: &'a [Hit],
}

/// Runs the command; returns the process exit code.
pub fn cli(input: &str, json: bool) -> i32 {
    let (bytes, hint) = match crate::annual::cli::read_input(input) {
        Ok(v) => v,
        Err(msg) => {
            eprintln!("{msg}");
            return 3;
        }
    };
    let text = match document_text(&bytes, &hint) {
        Ok(t) => t,
        Err(e @ AnnualError::NoText) => {
            eprintln!("无法自动筛查 {input}（需人工核查）：{e}");
            return 2;
        }
        Err(e) => {
            eprintln!("无法筛查 {input}：{e}");
            return 3;
        }
    };
    let hits = screen_text(&text);
    let serious = has_serious(&hits);
    let out = if json {
        let doc = JsonOut {
            schema: "govscore.screen/1",
            source: input,
            serious,
            hits: &hits,
        };
        match serde_json::to_string_pretty(&doc) {
            Ok(s) => s + "\n",
            Err(e) => {
                eprintln!("无法输出JSON：{e}");
                return 1;
            }
        }
    } else {
        render(input, &hits)
    };
    print!("{out}");
    if serious { 2 } else { 0 }
}

/// The text report of the hits.
pub fn render(input: &str, hits: &[Hit]) -> String {
    let mut out = format!("文件：{input}\n");
    let serious = hits.iter().filter(|h| h.serious).count();
    if hits.is_empty() {
        out.push_str("未发现问题。\n");
        return out;
    }
    out.push_str(&format!(
        "共发现{}处问题，其中严重{}处。\n",
        hits.len(),
        serious
    ));
    for h in hits {
        out.push_str(&format!(
            "第{}行第{}列 [{}{}] “{}”：{}\n    上下文：…{}…\n    依据：{}\n",
            h.line,
            h.column,
            h.kind.label_zh(),
            if h.serious { "·严重" } else { "" },
            h.found,
            h.suggestion,
            h.context,
            h.source
        ));
    }
    out
}

/// The text of a document as the annual-report readers give it: PDF text layer, DOCX
/// paragraphs and table rows, HTML blocks, or decoded plain text (format told by
/// [`crate::annual::sniff`]).
pub fn document_text(bytes: &[u8], hint: &str) -> Result<String, AnnualError> {
    Ok(match sniff(bytes, hint)? {
        Format::Pdf => pdf_text(bytes)?,
        Format::Docx => docx_text(bytes)?,
        Format::Html(html) => html_text(&html),
        Format::Text(text) => text,
    })
}
