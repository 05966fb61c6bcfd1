//! Judges a parsed report: missing sections, bad cells, the 勾稽关系 R1–R4 of the 2021 format,
//! the R5 carry-over warning between two years, and typo warnings. Must not parse tables
//! (that is `tables`); a sum that involves a bad or missing cell is not checked, because the
//! cell is already reported as CELL and guessing its value would invent a second error.

use super::tables::{ParseNotes, TABLE4_BLOCKS};
use super::{AnnualReport, Cell, Problem, ProblemSeverity, TABLE3_COLUMNS};

fn problem(
    rule: &str,
    severity: ProblemSeverity,
    table: Option<&str>,
    row: Option<&str>,
    column: Option<&str>,
    message: String,
) -> Problem {
    Problem {
        rule: rule.to_string(),
        severity,
        table: table.map(str::to_string),
        row: row.map(str::to_string),
        column: column.map(str::to_string),
        message,
    }
}

/// Adds every problem of one report (not R5, which needs two years). A report whose tables
/// cannot be read reliably, or that is not an annual report at all, gets `manual_review`
/// and no error: nothing is claimed about what could not be read.
pub(crate) fn run_all(r: &mut AnnualReport, notes: &ParseNotes) {
    let mut out = Vec::new();
    // No title, at most one heading and no more than a couple of table 三 labels (a stray
    // "总计" in a README): not an annual report.
    let nothing = r.title.is_none()
        && r.sections_found.len() <= 1
        && r.table3.rows.iter().filter(|row| row.found).count() < 3;
    if nothing {
        r.manual_review = Some(
            "未识别出年报的标题、章节和表格：该文件不是政府信息公开工作年度报告，或其文字无法读取，需人工核查"
                .to_string(),
        );
        r.problems = out;
        return;
    }
    if let Some(why) = &notes.unreadable {
        r.manual_review = Some(why.clone());
        out.extend(typos(&notes.prose));
        r.problems = out;
        return;
    }
    let circular = r.form.circular_zh();
    for s in &r.sections_missing {
        out.push(problem(
            "SECTIONS",
            ProblemSeverity::Error,
            None,
            None,
            None,
            format!("缺少必备章节“{}”", s.label_zh()),
        ));
    }
    for t in &notes.tables_missing {
        out.push(problem(
            "SECTIONS",
            ProblemSeverity::Error,
            Some(t),
            None,
            None,
            format!("未找到{t}的数据，请核对报告是否按{circular}格式填报"),
        ));
    }
    for (t, row) in &notes.rows_missing {
        out.push(problem(
            "CELL",
            ProblemSeverity::Error,
            Some(t),
            Some(row),
            None,
            format!("{t} 未找到“{row}”行（按{circular}表样）"),
        ));
    }
    for f in &notes.faults {
        out.push(problem(
            "CELL",
            ProblemSeverity::Error,
            Some(f.table),
            Some(&f.row),
            Some(&f.column),
            format!("{} {} {}列：{}", f.table, f.row, f.column, f.reason),
        ));
    }
    for (t, n, rows) in &notes.blanks {
        let shown: Vec<&str> = rows.iter().take(3).map(String::as_str).collect();
        out.push(problem(
            "BLANK",
            ProblemSeverity::Warning,
            Some(t),
            None,
            None,
            format!(
                "{t}有{n}个空白单元格（{}{}），无数据应填0；核对勾稽关系时空白按0计算，空白的合计栏不核对",
                shown.join("、"),
                if rows.len() > 3 { "等" } else { "" }
            ),
        ));
    }
    for (t, what) in &notes.deviations {
        out.push(problem(
            "LAYOUT",
            ProblemSeverity::Warning,
            Some(t),
            None,
            None,
            format!("{t}与{circular}表样不一致：{what}"),
        ));
    }
    arithmetic(r, &mut out);
    out.extend(typos(&notes.prose));
    r.problems = out;
}

/// A cell as an addend: a blank cell counts as 0; None when it is not a valid number.
fn addend(c: &Cell) -> Option<i64> {
    match c {
        Cell::Int(n) => Some(*n),
        Cell::Blank => Some(0),
        _ => None,
    }
}

/// A cell that is itself a total: a blank total was not filled in, so nothing is checked
/// against it.
fn total(c: &Cell) -> Option<i64> {
    c.as_int()
}

/// Sum of addends, or None when any is not a valid number.
fn sum<'a>(cells: impl IntoIterator<Item = &'a Cell>) -> Option<i64> {
    cells.into_iter().map(addend).sum()
}

/// Sum of totals (blank totals make it unknown).
fn sum_totals<'a>(cells: impl IntoIterator<Item = &'a Cell>) -> Option<i64> {
    cells.into_iter().map(total).sum()
}

fn arithmetic(r: &AnnualReport, out: &mut Vec<Problem>) {
    let rows = &r.table3.rows;
    let find = |key: &str| rows.iter().find(|row| row.key == key && row.found);
    let (new, prev, tot, next) = (
        find("new"),
        find("carried_over"),
        find("total"),
        find("carry_forward"),
    );
    // R1: per column, 新收 + 上年结转 = （七）总计 + 结转下年度. In the 总计 column every cell
    // is a total.
    if let (Some(new), Some(prev), Some(tot), Some(next)) = (new, prev, tot, next) {
        for (c, col) in TABLE3_COLUMNS.iter().enumerate() {
            let part = |cell: &Cell| if c == 6 { total(cell) } else { addend(cell) };
            let lhs = part(&new.values[c])
                .zip(part(&prev.values[c]))
                .map(|(a, b)| a + b);
            let rhs = total(&tot.values[c])
                .zip(part(&next.values[c]))
                .map(|(a, b)| a + b);
            if let (Some(l), Some(rh)) = (lhs, rhs)
                && l != rh
            {
                out.push(problem(
                    "R1",
                    ProblemSeverity::Error,
                    Some("表三"),
                    None,
                    Some(col),
                    format!(
                        "表三 {col}列：第一项加第二项之和为{l}（本年新收{}+上年结转{}），\
                         第三项（七）总计加第四项之和为{rh}（总计{}+结转下年度{}），二者应相等",
                        new.values[c], prev.values[c], tot.values[c], next.values[c]
                    ),
                ));
            }
        }
    }
    // R2: per row, 总计 = the six applicant columns.
    for row in rows.iter().filter(|r| r.found) {
        if let (Some(s), Some(t)) = (sum(&row.values[..6]), total(&row.values[6]))
            && s != t
        {
            out.push(problem(
                "R2",
                ProblemSeverity::Error,
                Some("表三"),
                Some(row.label),
                Some("总计"),
                format!("表三 {} 总计列：各类申请人之和为{s}，填报为{t}", row.label),
            ));
        }
    }
    // R3: per column, （七）总计 = the leaf rows between （一）予以公开 and （七）总计.
    let first = rows.iter().position(|r| r.key == "public");
    let last = rows.iter().position(|r| r.key == "total");
    if let (Some(a), Some(b)) = (first, last)
        && rows[a..=b].iter().all(|r| r.found)
    {
        for (c, col) in TABLE3_COLUMNS.iter().enumerate() {
            let leaves = rows[a..b].iter().map(|r| &r.values[c]);
            let s = if c == 6 {
                sum_totals(leaves)
            } else {
                sum(leaves)
            };
            if let (Some(s), Some(t)) = (s, total(&rows[b].values[c]))
                && s != t
            {
                out.push(problem(
                    "R3",
                    ProblemSeverity::Error,
                    Some("表三"),
                    Some("（七）总计"),
                    Some(col),
                    format!("表三 第（七）项总计 {col}列：各项之和为{s}，填报为{t}"),
                ));
            }
        }
    }
    // R4: per block of table 四, 总计 = 维持 + 纠正 + 其他 + 尚未审结.
    let t4 = &r.table4;
    for (block, cells) in TABLE4_BLOCKS.iter().zip([
        &t4.review,
        &t4.litigation_direct,
        &t4.litigation_after_review,
    ]) {
        if let (Some(s), Some(t)) = (sum(&cells[..4]), total(&cells[4]))
            && s != t
        {
            out.push(problem(
                "R4",
                ProblemSeverity::Error,
                Some("表四"),
                Some(block),
                Some("总计"),
                format!("表四 {block} 总计列：结果维持、结果纠正、其他结果、尚未审结之和为{s}，填报为{t}"),
            ));
        }
    }
}

/// R5 (warning): this year's 上年结转 should equal last year's 结转下年度继续办理, per column.
/// None when they agree or either row is not readable.
pub fn check_r5(this_year: &AnnualReport, last_year: &AnnualReport) -> Option<Problem> {
    if this_year.manual_review.is_some() || last_year.manual_review.is_some() {
        return None;
    }
    let now = this_year.table3.row("carried_over")?;
    let before = last_year.table3.row("carry_forward")?;
    if !now.found || !before.found {
        return None;
    }
    let diffs: Vec<(usize, i64, i64)> = (0..7)
        .filter_map(|c| {
            let (a, b) = (now.values[c].as_int()?, before.values[c].as_int()?);
            (a != b).then_some((c, a, b))
        })
        .collect();
    if diffs.is_empty() {
        return None;
    }
    let detail: Vec<String> = diffs
        .iter()
        .map(|(c, a, b)| format!("{}列本年上年结转{a}，上年结转下年度{b}", TABLE3_COLUMNS[*c]))
        .collect();
    let years = match (this_year.year, last_year.year) {
        (Some(y), Some(p)) => format!("{y}年报告与{p}年报告"),
        _ => "本年报告与上年报告".into(),
    };
    Some(problem(
        "R5",
        ProblemSeverity::Warning,
        Some("表三"),
        Some("二、上年结转政府信息公开申请数量"),
        (diffs.len() == 1).then(|| TABLE3_COLUMNS[diffs[0].0]),
        format!("{years}衔接不一致：{}", detail.join("；")),
    ))
}

/// Whether any problem is an error (the CLI then exits 2).
pub fn has_errors(r: &AnnualReport) -> bool {
    r.problems
        .iter()
        .any(|p| p.severity == ProblemSeverity::Error)
}

/// Typo warnings over prose (never table text): the 错别字, doubled-word and 格式差错 checks
/// of [`crate::screen`] (one implementation), each as a TYPO warning with its context.
/// Personal data, names and dictionaries are the screening stage's, not the annual check's.
pub(crate) fn typos(text: &str) -> Vec<Problem> {
    use crate::screen::HitKind;
    crate::screen::screen_text(text)
        .into_iter()
        .filter(|h| matches!(h.kind, HitKind::Typo | HitKind::Doubled | HitKind::Format))
        .map(|h| {
            problem(
                "TYPO",
                ProblemSeverity::Warning,
                None,
                None,
                None,
                format!(
                    "{}“{}”：{}（…{}…；{}）",
                    h.kind.label_zh(),
                    h.found,
                    h.suggestion,
                    h.context,
                    h.source
                ),
            )
        })
        .collect()
}
