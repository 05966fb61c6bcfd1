//! The body of `govscore screen FILE_OR_URL [--json]`: read a file or GET a URL with the
//! annual-report command's reader, flatten it to text with the annual-report text readers
//! (PDF, DOCX, HTML, text), screen it and print every hit. Exit codes: 0 nothing serious,
//! 2 a serious hit or a document that cannot be screened automatically (a scan: 需人工核查),
//! 3 the input cannot be read or is not a supported format, 1 unexpected failure.

use serde::Serialize;

use super::{Hit, has_serious, screen_text};
use crate::annual::{AnnualError, decode_text, docx_text, html_text, pdf_text};

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
    if json {
        let doc = JsonOut {
            schema: "govscore.screen/1",
            source: input,
            serious,
            hits: &hits,
        };
        match serde_json::to_string_pretty(&doc) {
            Ok(s) => println!("{s}"),
            Err(e) => {
                eprintln!("无法输出JSON：{e}");
                return 1;
            }
        }
    } else {
        print!("{}", render(input, &hits));
    }
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

/// The text of a document: `%PDF` → PDF text layer, a zip → DOCX, markup → HTML text, else
/// decoded plain text. `hint` (file name, URL or Content-Type) only tells HTML from text.
pub fn document_text(bytes: &[u8], hint: &str) -> Result<String, AnnualError> {
    let head = &bytes[..bytes.len().min(1024)];
    if head.windows(5).any(|w| w == b"%PDF-") {
        return pdf_text(bytes);
    }
    if bytes.starts_with(b"PK\x03\x04") {
        return docx_text(bytes);
    }
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return Err(AnnualError::Unsupported(
            "旧版Word(.doc)或WPS文件，请另存为DOCX或PDF".into(),
        ));
    }
    if head.starts_with(b"\x89PNG") || head.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return Err(AnnualError::Unsupported(
            "图片文件（图片版，需人工核查）".into(),
        ));
    }
    let text = decode_text(bytes);
    let hint = hint.to_ascii_lowercase();
    let start: String = text
        .chars()
        .take(2048)
        .collect::<String>()
        .to_ascii_lowercase();
    if hint.contains("html")
        || hint.ends_with(".htm")
        || start.contains("<html")
        || start.contains("<body")
        || start.contains("<p>")
        || start.contains("<div")
    {
        Ok(html_text(&text))
    } else {
        Ok(text)
    }
}
