//! findings.csv: one row per finding, UTF-8 with a BOM so Excel on Chinese Windows opens it
//! as UTF-8. Text cells that a spreadsheet would read as a formula (starting with = + - @,
//! tab or CR) are prefixed with `'` (CSV formula injection). Renders only; judges nothing.

use super::model::Report;
use std::io;
use std::path::Path;

/// The header row.
pub const HEADER: [&str; 11] = [
    "单位",
    "单位ID",
    "规则",
    "类别",
    "性质",
    "分值",
    "问题描述",
    "栏目",
    "证据标题",
    "证据日期",
    "证据链接",
];

/// Joins several pieces of evidence in one cell (the first piece comes first).
const JOIN: &str = "；";

/// Makes a text cell safe to open in a spreadsheet: a leading = + - @ (or tab/CR) turns the
/// cell into a formula there, so such cells get a leading `'`.
pub fn neutralise(s: &str) -> String {
    match s.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{s}"),
        _ => s.to_string(),
    }
}

/// Renders findings.csv (with the BOM).
pub fn render(r: &Report) -> io::Result<Vec<u8>> {
    let mut out = Vec::with_capacity(16 * 1024);
    out.extend_from_slice("\u{feff}".as_bytes());
    let mut w = ::csv::WriterBuilder::new()
        .terminator(::csv::Terminator::CRLF)
        .from_writer(out);
    w.write_record(HEADER).map_err(io::Error::other)?;
    for site in &r.sites {
        for f in &site.findings {
            let titles: Vec<&str> = f.evidence.iter().map(|e| e.title.as_str()).collect();
            let dates: Vec<&str> = f
                .evidence
                .iter()
                .map(|e| e.date.as_deref().unwrap_or(""))
                .collect();
            let links: Vec<&str> = f.evidence.iter().map(|e| e.url.as_str()).collect();
            let dates = if dates.iter().all(|d| d.is_empty()) {
                String::new()
            } else {
                dates.join(JOIN)
            };
            let text = [
                site.name.as_str(),
                site.id.as_str(),
                f.rule.as_str(),
                super::common::kind_zh(&f.kind),
                super::common::severity_zh(&f.severity),
            ]
            .map(neutralise);
            // Points are our own number, written plainly so a spreadsheet sums them.
            let points = format!("{}", f.points);
            let tail = [
                f.message.clone(),
                f.column.clone().unwrap_or_default(),
                titles.join(JOIN),
                dates,
                links.join(" "),
            ]
            .map(|s| neutralise(&s));
            let row: Vec<&str> = text
                .iter()
                .map(String::as_str)
                .chain(std::iter::once(points.as_str()))
                .chain(tail.iter().map(String::as_str))
                .collect();
            w.write_record(&row).map_err(io::Error::other)?;
        }
    }
    if let Some(notice) = super::common::partial_notice(r) {
        // One last row, so a reader of the findings alone learns the run was partial.
        let mut row = vec![String::new(); HEADER.len()];
        row[0] = "全部单位".to_string();
        row[4] = super::common::severity_zh("info").to_string();
        row[5] = "0".to_string();
        row[6] = neutralise(&notice);
        w.write_record(&row).map_err(io::Error::other)?;
    }
    w.into_inner().map_err(|e| io::Error::other(e.to_string()))
}

/// Writes findings.csv into `dir`.
pub fn write(report: &Report, dir: &Path) -> io::Result<()> {
    super::write_atomic(&dir.join("findings.csv"), &render(report)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_starts_are_prefixed_and_plain_text_is_not() {
        assert_eq!(neutralise("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(neutralise("+1"), "'+1");
        assert_eq!(neutralise("-1"), "'-1");
        assert_eq!(neutralise("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(neutralise("最新动态"), "最新动态");
        assert_eq!(neutralise(""), "");
    }
}
