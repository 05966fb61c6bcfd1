//! Reads a DOCX report: unzips `word/document.xml` and flattens it to text lines (a `w:p`
//! paragraph is a line; a `w:tr` table row is one line of space-separated cells, an empty
//! cell is [`EMPTY_CELL`]). Must not judge anything; old binary .doc/.wps are refused.

use std::io::Read;

use quick_xml::Reader;
use quick_xml::events::Event;

use super::{AnnualError, AnnualReport, EMPTY_CELL, parse_text};

/// The largest `word/document.xml` read (a guard against zip bombs).
const MAX_DOCUMENT_XML: u64 = 64 * 1024 * 1024;

/// Parses and checks a DOCX report.
pub fn parse_docx(bytes: &[u8]) -> Result<AnnualReport, AnnualError> {
    Ok(parse_text(&docx_text(bytes)?))
}

/// The text lines of a DOCX document as the parser reads them.
pub fn docx_text(bytes: &[u8]) -> Result<String, AnnualError> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|e| AnnualError::Docx(format!("不是有效的zip压缩包（{e}）")))?;
    let file = zip
        .by_name("word/document.xml")
        .map_err(|_| AnnualError::Docx("压缩包中没有word/document.xml".into()))?;
    let mut xml = String::new();
    file.take(MAX_DOCUMENT_XML)
        .read_to_string(&mut xml)
        .map_err(|e| AnnualError::Docx(format!("word/document.xml无法读取（{e}）")))?;
    flatten(&xml)
}

/// The text of an XML entity or character reference (`&amp;` …, `&#20013;`); an unknown
/// entity is dropped.
pub(crate) fn entity_text(r: &quick_xml::events::BytesRef<'_>) -> String {
    match r.resolve_char_ref() {
        Ok(Some(c)) => c.to_string(),
        _ => match r.as_ref() {
            "amp" => "&".into(),
            "lt" => "<".into(),
            "gt" => ">".into(),
            "quot" => "\"".into(),
            "apos" => "'".into(),
            _ => String::new(),
        },
    }
}

fn flatten(xml: &str) -> Result<String, AnnualError> {
    let mut reader = Reader::from_str(xml);
    let mut lines: Vec<String> = Vec::new();
    let mut para = String::new();
    // Table state: depth of w:tbl, current row cells, current cell text.
    let mut tbl_depth = 0usize;
    let mut row: Vec<String> = Vec::new();
    let mut cell = String::new();
    let mut in_text = false;
    // A `w:vMerge` continuation cell is the lower part of a vertically merged cell: it carries
    // no content of its own and is dropped, like a rowspan-covered cell in HTML.
    let mut merged_continuation = false;
    loop {
        let ev = reader
            .read_event()
            .map_err(|e| AnnualError::Docx(format!("word/document.xml格式错误（{e}）")))?;
        match ev {
            Event::Start(e) => match e.name().0 {
                "w:tbl" => tbl_depth += 1,
                "w:tr" if tbl_depth == 1 => row.clear(),
                "w:tc" if tbl_depth == 1 => {
                    cell.clear();
                    merged_continuation = false;
                }
                "w:t" => in_text = true,
                _ => {}
            },
            Event::Empty(e) => match e.name().0 {
                "w:tab" => para.push(' '),
                "w:vMerge" if tbl_depth == 1 => {
                    let restart = e
                        .attributes()
                        .flatten()
                        .any(|a| a.key.0 == "w:val" && a.value.as_ref() == "restart");
                    merged_continuation = !restart;
                }
                "w:br" | "w:cr" if tbl_depth == 0 => {
                    lines.push(std::mem::take(&mut para));
                }
                _ => {}
            },
            Event::Text(t) if in_text => para.push_str(t.as_ref()),
            Event::GeneralRef(r) if in_text => para.push_str(&entity_text(&r)),
            Event::End(e) => match e.name().0 {
                "w:t" => in_text = false,
                "w:p" => {
                    let p = std::mem::take(&mut para);
                    if tbl_depth == 0 {
                        lines.push(p);
                    } else {
                        cell.extend(p.chars().filter(|c| !c.is_whitespace()));
                    }
                }
                "w:tc" if tbl_depth == 1 => {
                    let c = std::mem::take(&mut cell);
                    if !(merged_continuation && c.is_empty()) {
                        row.push(if c.is_empty() {
                            EMPTY_CELL.to_string()
                        } else {
                            c
                        });
                    }
                }
                "w:tr" if tbl_depth == 1 => lines.push(std::mem::take(&mut row).join(" ")),
                "w:tbl" => tbl_depth = tbl_depth.saturating_sub(1),
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    if !para.is_empty() {
        lines.push(para);
    }
    Ok(lines.join("\n"))
}
