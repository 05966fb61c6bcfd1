//! report.xlsx: four sheets for supervisors who sort and filter — 汇总 (ranking),
//! 扣分明细 (one row per finding, first evidence as a hyperlink), 栏目更新 (one row per
//! site × column × week) and 年度报告. Every sheet has a formatted, frozen header row, an
//! autofilter and column widths that fit Chinese text (CJK counts 2).
//!
//! Safety: crawled text is always written as a string cell (never a formula, so a title
//! starting with `=` stays text), with control characters removed and cut to Excel's cell
//! limit; only http(s) URLs become hyperlinks. Renders only; judges nothing.

use super::common::{
    AnnualView, by_role, class_zh, display_width, is_http, kind_zh, severity_zh, status_zh,
    unjudged_text,
};
use super::model::Report;
use rust_xlsxwriter::{Color, Format, FormatBorder, Url, Workbook, Worksheet, XlsxError};
use std::io;
use std::path::Path;

/// Excel's limit on the characters in one cell.
const MAX_CELL_CHARS: usize = 32_767;
/// Widest column, in Excel character units.
const MAX_COLUMN_WIDTH: usize = 60;

/// Sheet names, in order.
pub const SHEETS: [&str; 4] = ["汇总", "扣分明细", "栏目更新", "年度报告"];

/// A cell value.
enum Cell {
    Text(String),
    Num(f64),
    /// A hyperlink (url, shown text); written as text when the URL is not http(s).
    Link(String, String),
    Empty,
}

fn t(s: impl Into<String>) -> Cell {
    Cell::Text(s.into())
}

fn opt_num(v: Option<f64>) -> Cell {
    v.map_or(Cell::Empty, Cell::Num)
}

fn clean(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() && c != '\n' { ' ' } else { c })
        .take(MAX_CELL_CHARS)
        .collect()
}

/// A new sheet in "low memory" mode: each row goes to a temporary file as soon as the next
/// one starts, so a district of thousands of sites is never held as cells (only its
/// distinct strings, in the shared string table).
fn add_sheet(wb: &mut Workbook) -> Result<&mut Worksheet, XlsxError> {
    wb.add_worksheet_with_low_memory()
}

/// Writes one sheet: header, rows (made as they are written), widths, frozen header,
/// autofilter.
fn sheet(
    ws: &mut Worksheet,
    name: &str,
    header: &[&str],
    rows: impl IntoIterator<Item = Vec<Cell>>,
) -> Result<(), XlsxError> {
    ws.set_name(name)?;
    let head = Format::new()
        .set_bold()
        .set_background_color(Color::RGB(0xDDEBF7))
        .set_border(FormatBorder::Thin);
    let number = Format::new().set_num_format("0.0");
    let mut widths: Vec<usize> = header.iter().map(|h| display_width(h) + 2).collect();
    for (c, h) in header.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &head)?;
    }
    let mut written = 0u32;
    for row in rows {
        written += 1;
        let r = written;
        for (c, cell) in row.iter().enumerate() {
            let col = c as u16;
            let shown = match cell {
                Cell::Text(s) => {
                    let s = clean(s);
                    ws.write_string(r, col, &s)?;
                    s
                }
                Cell::Num(v) => {
                    ws.write_number_with_format(r, col, *v, &number)?;
                    format!("{v:.1}")
                }
                Cell::Link(url, text) => {
                    let text = clean(text);
                    let linked = is_http(url)
                        && ws
                            .write_url_with_text(r, col, Url::new(url.as_str()), &text)
                            .is_ok();
                    if !linked {
                        // Not http(s), too long or over Excel's link limit: plain text.
                        ws.write_string(r, col, &text)?;
                    }
                    text
                }
                Cell::Empty => String::new(),
            };
            // Wrapped multi-line cells are as wide as their longest line.
            let w = shown.lines().map(display_width).max().unwrap_or(0) + 2;
            if let Some(slot) = widths.get_mut(c) {
                *slot = (*slot).max(w);
            }
        }
    }
    for (c, w) in widths.iter().enumerate() {
        ws.set_column_width(c as u16, (*w).min(MAX_COLUMN_WIDTH) as f64)?;
    }
    ws.set_freeze_panes(1, 0)?;
    let last_col = header.len().saturating_sub(1) as u16;
    ws.autofilter(0, 0, written, last_col)?;
    Ok(())
}

/// Renders report.xlsx as bytes.
pub fn render(r: &Report) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();

    // One block per role (the portal apart, then 部门, then 乡镇/街道), each in rank order
    // with its rank within the role beside the overall one.
    let summary: Vec<Vec<Cell>> = by_role(r)
        .into_iter()
        .flat_map(|(label, sites)| sites.into_iter().map(move |x| (label, x)))
        .map(|(label, x)| {
            vec![
                t(label),
                x.rank_in_role.map_or(Cell::Empty, |v| Cell::Num(v as f64)),
                x.rank.map_or(Cell::Empty, |v| Cell::Num(v as f64)),
                t(&x.name),
                t(&x.id),
                opt_num(x.score),
                t(x.grade.clone().unwrap_or_else(|| unjudged_text(x))),
                Cell::Num(x.vetoes.len() as f64),
                Cell::Num(x.findings.iter().filter(|f| f.points < 0.0).count() as f64),
                opt_num(x.score_change),
                t(status_zh(&x.status)),
                t(x.status_reason.clone().unwrap_or_default()),
                Cell::Link(x.url.clone(), x.url.clone()),
            ]
        })
        .collect();
    sheet(
        add_sheet(&mut wb)?,
        SHEETS[0],
        &[
            "类型",
            "本类排名",
            "总排名",
            "单位",
            "单位ID",
            "得分",
            "等级",
            "单项否决",
            "扣分项",
            "较上期",
            "状态",
            "状态说明",
            "网址",
        ],
        summary,
    )?;

    // Findings and weekly rows are made as the sheet is written (a district has hundreds
    // of thousands of weekly rows).
    let findings = r.sites.iter().flat_map(|x| {
        x.findings.iter().map(move |f| {
            let first = f.evidence.first();
            let more = f.evidence.len().saturating_sub(1);
            vec![
                t(&x.name),
                t(&x.id),
                t(&f.rule),
                t(kind_zh(&f.kind)),
                t(severity_zh(&f.severity)),
                Cell::Num(f.points),
                t(&f.message),
                t(f.column.clone().unwrap_or_default()),
                t(first.map(|e| e.title.clone()).unwrap_or_default()),
                t(first.and_then(|e| e.date.clone()).unwrap_or_default()),
                first.map_or(Cell::Empty, |e| Cell::Link(e.url.clone(), e.url.clone())),
                if more > 0 {
                    t(format!("另有{more}条证据，见 report.html"))
                } else {
                    Cell::Empty
                },
            ]
        })
    });
    // The same columns as findings.csv, plus a note column.
    let findings_header: Vec<&str> = super::csv::HEADER.iter().copied().chain(["备注"]).collect();
    sheet(add_sheet(&mut wb)?, SHEETS[1], &findings_header, findings)?;

    let weeks = r.sites.iter().flat_map(|x| {
        x.columns.iter().flat_map(move |c| -> Vec<Vec<Cell>> {
            if !c.found || !c.assessable {
                let why = if c.found {
                    format!("无法检测：{}", c.reason.as_deref().unwrap_or("原因未知"))
                } else {
                    "未找到该栏目".to_string()
                };
                return vec![vec![
                    t(&x.name),
                    t(&x.id),
                    t(&c.name),
                    t(class_zh(&c.class)),
                    Cell::Empty,
                    Cell::Empty,
                    Cell::Empty,
                    Cell::Empty,
                    Cell::Empty,
                    t(why),
                ]];
            }
            c.weekly
                .iter()
                .map(|w| {
                    vec![
                        t(&x.name),
                        t(&x.id),
                        t(&c.name),
                        t(class_zh(&c.class)),
                        t(&w.week_start),
                        Cell::Num(f64::from(w.count)),
                        w.required.map_or(Cell::Empty, |v| Cell::Num(f64::from(v))),
                        t(match (w.exempt, w.met) {
                            (true, _) => "免检",
                            (false, Some(true)) => "达标",
                            (false, Some(false)) => "未达标",
                            (false, None) => "",
                        }),
                        t(if w.exempt { "是" } else { "否" }),
                        w.exempt_reason.as_deref().map_or(Cell::Empty, t),
                    ]
                })
                .collect()
        })
    });
    sheet(
        add_sheet(&mut wb)?,
        SHEETS[2],
        &[
            "单位",
            "单位ID",
            "栏目",
            "类别",
            "周起始日",
            "更新篇数",
            "要求篇数",
            "是否达标",
            "免检周",
            "说明",
        ],
        weeks,
    )?;

    let annual: Vec<Vec<Cell>> = r
        .sites
        .iter()
        .map(|x| match AnnualView::from_value(x.annual_report.as_ref()) {
            None => vec![
                t(&x.name),
                t(&x.id),
                Cell::Empty,
                t("—"),
                Cell::Empty,
                Cell::Empty,
                Cell::Empty,
                Cell::Empty,
                Cell::Empty,
            ],
            Some(a) => vec![
                t(&x.name),
                t(&x.id),
                a.year.map_or(Cell::Empty, |y| Cell::Num(y as f64)),
                t(a.status_label()),
                t(a.published.clone().unwrap_or_default()),
                t(a.deadline.clone().unwrap_or_default()),
                match (&a.url, &a.title) {
                    (Some(u), Some(title)) => Cell::Link(u.clone(), title.clone()),
                    (Some(u), None) => Cell::Link(u.clone(), u.clone()),
                    (None, Some(title)) => t(title),
                    (None, None) => Cell::Empty,
                },
                t(a.sections_missing.join("、")),
                t(a.arithmetic_errors
                    .iter()
                    .map(|e| format!("{} {}", e.rule, e.message).trim().to_string())
                    .collect::<Vec<_>>()
                    .join("\n")),
            ],
        })
        .collect();
    sheet(
        add_sheet(&mut wb)?,
        SHEETS[3],
        &[
            "单位",
            "单位ID",
            "年度",
            "状态",
            "发布日期",
            "截止日期",
            "标题",
            "缺少章节",
            "数据错误",
        ],
        annual,
    )?;
    if r.sites.iter().any(|x| x.content.is_some()) {
        content_sheet(&mut wb, r)?;
    }
    if let Some(notice) = super::common::partial_notice(r) {
        sheet(add_sheet(&mut wb)?, "说明", &["说明"], [vec![t(notice)]])?;
    }

    wb.save_to_buffer()
}

/// The sheet of content screening hits, written when screening ran (issue 14).
pub const CONTENT_SHEET: &str = "错敏信息";

/// 错敏信息: one row per screening hit (personal data masked), site by site in report order.
fn content_sheet(wb: &mut Workbook, r: &Report) -> Result<(), XlsxError> {
    // Made as they are written (low-memory sheet).
    let rows = r
        .sites
        .iter()
        .flat_map(|x| {
            x.content
                .iter()
                .flat_map(|c| c.hits.iter())
                .map(move |h| (x, h))
        })
        .map(|(x, h)| {
            vec![
                t(&x.name),
                t(&x.id),
                t(&h.title),
                t(h.date.clone().unwrap_or_default()),
                Cell::Link(h.url.clone(), h.url.clone()),
                t(kind_zh(&h.kind)),
                t(&h.category),
                t(&h.place),
                t(&h.context),
                t(&h.suggestion),
                t(if h.serious { "是" } else { "否" }),
            ]
        });
    sheet(
        add_sheet(wb)?,
        CONTENT_SHEET,
        &[
            "单位",
            "单位ID",
            "页面标题",
            "发布日期",
            "链接",
            "类型",
            "类别",
            "位置",
            "上下文（个人信息已脱敏）",
            "建议",
            "严重",
        ],
        rows,
    )
}

/// Writes report.xlsx into `dir`.
pub fn write(report: &Report, dir: &Path) -> io::Result<()> {
    let bytes = render(report).map_err(|e| io::Error::other(format!("report.xlsx: {e}")))?;
    super::write_atomic(&dir.join("report.xlsx"), &bytes)
}
