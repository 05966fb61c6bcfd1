//! The human output of `govscore annual-report`: the parsed grids and every problem, in
//! Chinese. Must not parse or judge; it only prints an [`AnnualReport`].

use std::fmt::Write;

use super::{
    AnnualReport, Cell, ProblemSeverity, Section, TABLE3_COLUMNS, TABLE4_COLUMNS, has_errors,
    rule_label_zh, tables::TABLE4_BLOCKS,
};

fn cells_line(cells: &[Cell]) -> String {
    cells
        .iter()
        .map(|c| format!("{:>6}", c.to_string()))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Renders the report for a terminal: title, sections, tables 二/三/四, then problems.
pub fn render_text(r: &AnnualReport) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "标题：{}", r.title.as_deref().unwrap_or("（未识别）"));
    let _ = writeln!(
        o,
        "单位：{}    年度：{}",
        r.unit.as_deref().unwrap_or("（未识别）"),
        r.year
            .map(|y| y.to_string())
            .unwrap_or_else(|| "（未识别）".into())
    );
    let _ = writeln!(o, "\n章节（{}/6）：", r.sections_found.len());
    for s in Section::ALL {
        let mark = if r.sections_found.contains(&s) {
            "✓"
        } else {
            "✗ 缺少"
        };
        let _ = writeln!(o, "  {mark} {}", s.label_zh());
    }

    let _ = writeln!(
        o,
        "\n适用表样：{}年版（{}）",
        r.form.as_str(),
        r.form.circular_zh()
    );
    if let Some(why) = &r.manual_review {
        let _ = writeln!(o, "需人工核查：{why}");
    }
    let no_tables =
        !r.table2.rows.iter().any(|x| x.found) && !r.table3.rows.iter().any(|x| x.found);
    if no_tables {
        let _ = writeln!(o, "\n未识别出表二、表三、表四（未读取任何表格数字）");
        return problems_and_verdict(r, o);
    }
    let _ = writeln!(o, "\n表二 主动公开政府信息情况");
    for row in &r.table2.rows {
        if row.found {
            let cells: Vec<String> = row
                .columns
                .iter()
                .zip(&row.values)
                .map(|(c, v)| format!("{c} {v}"))
                .collect();
            let _ = writeln!(o, "  {:<10} {}", row.label, cells.join("  "));
        } else {
            let _ = writeln!(o, "  {:<10} （未找到）", row.label);
        }
    }

    let _ = writeln!(o, "\n表三 收到和处理政府信息公开申请情况");
    let _ = writeln!(
        o,
        "  {}  | 项目",
        TABLE3_COLUMNS.map(|c| format!("{c:>6}")).join(" ")
    );
    for row in &r.table3.rows {
        if row.found {
            let _ = writeln!(o, "  {}  | {}", cells_line(&row.values), row.label);
        } else {
            let _ = writeln!(o, "  {:>48}  | {}", "（未找到）", row.label);
        }
    }

    let t4 = &r.table4;
    let _ = writeln!(o, "\n表四 政府信息公开行政复议、行政诉讼情况");
    let _ = writeln!(
        o,
        "  {}  | 类别",
        TABLE4_COLUMNS.map(|c| format!("{c:>6}")).join(" ")
    );
    for (label, cells) in TABLE4_BLOCKS.iter().zip([
        &t4.review,
        &t4.litigation_direct,
        &t4.litigation_after_review,
    ]) {
        let _ = writeln!(o, "  {}  | {label}", cells_line(cells));
    }

    problems_and_verdict(r, o)
}

fn problems_and_verdict(r: &AnnualReport, mut o: String) -> String {
    let errors = r
        .problems
        .iter()
        .filter(|p| p.severity == ProblemSeverity::Error)
        .count();
    let warnings = r.problems.len() - errors;
    let _ = writeln!(o, "\n问题：错误 {errors} 项，警告 {warnings} 项");
    for p in &r.problems {
        let sev = match p.severity {
            ProblemSeverity::Error => "错误",
            ProblemSeverity::Warning => "警告",
        };
        let _ = writeln!(
            o,
            "  [{sev}] {}（{}）：{}",
            rule_label_zh(&p.rule),
            p.rule,
            p.message
        );
    }
    let verdict = if r.manual_review.is_some() {
        "结论：需人工核查（未作自动判定）"
    } else if has_errors(r) {
        "结论：存在错误，需整改"
    } else {
        "结论：未发现错误"
    };
    let _ = writeln!(o, "\n{verdict}");
    o
}
