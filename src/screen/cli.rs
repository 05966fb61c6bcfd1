//! The body of `govscore screen FILE_OR_URL [--json] [--config FILE] [--date DATE]`: read a
//! file or GET a URL with the annual-report command's reader, flatten it to text with the
//! annual-report text readers (PDF, DOCX, HTML, text), screen it with the run's screener (the
//! district's tables when a config is used) and print every hit; an HTML document is also
//! screened for hidden links (暗链, positions in its source). Exit codes: 0 nothing serious,
//! 2 a serious hit or a document that cannot be screened automatically (a scan: 需人工核查),
//! 3 the input cannot be read or is not a supported format, 1 unexpected failure.

use serde::Serialize;

use super::{Hit, HitKind, Screener, has_serious};
use crate::annual::{AnnualError, Format, docx_text, html_text, pdf_text, sniff};

/// The `--json` document.
#[derive(Serialize)]
struct JsonOut<'a> {
    schema: &'static str,
    source: &'a str,
    serious: bool,
    hits: &'a [Hit],
}

/// Runs the command with `screener`, judging titles as of `published` (default today);
/// returns the process exit code.
pub fn cli(
    input: &str,
    json: bool,
    screener: &Screener,
    published: Option<chrono::NaiveDate>,
) -> i32 {
    let (bytes, hint) = match crate::annual::cli::read_input(input) {
        Ok(v) => v,
        Err(msg) => {
            eprintln!("{msg}");
            return 3;
        }
    };
    let mut html = None;
    let text = match sniff(&bytes, &hint).and_then(|f| match f {
        Format::Html(h) => {
            let text = html_text(&h);
            html = Some(h);
            Ok(text)
        }
        other => format_text(&bytes, other),
    }) {
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
    let mut hits = screener.text(&text, published);
    if let Some(html) = html {
        hits.extend(screener.hidden_links(&html, &page_url(input)));
    }
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
        let (place, around) = if h.kind == HitKind::HiddenLink {
            ("网页源代码第", "链接文字")
        } else {
            ("第", "上下文")
        };
        out.push_str(&format!(
            "{place}{}行第{}列 [{}{}] “{}”：{}\n    {around}：…{}…\n    依据：{}\n",
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
    format_text(bytes, sniff(bytes, hint)?)
}

fn format_text(bytes: &[u8], format: Format) -> Result<String, AnnualError> {
    Ok(match format {
        Format::Pdf => pdf_text(bytes)?,
        Format::Docx => docx_text(bytes)?,
        Format::Html(html) => html_text(&html),
        Format::Text(text) => text,
    })
}

/// The page's address: the URL given, or the file as a `file:` URL (its relative links are
/// then never 暗链; only absolute http(s) links are judged).
fn page_url(input: &str) -> url::Url {
    url::Url::parse(input)
        .ok()
        .filter(|u| matches!(u.scheme(), "http" | "https"))
        .or_else(|| {
            std::path::absolute(input)
                .ok()
                .and_then(|p| url::Url::from_file_path(p).ok())
        })
        .unwrap_or_else(|| url::Url::parse("file:///document.html").expect("static URL"))
}
