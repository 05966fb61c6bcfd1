//! The body of a simulated 政府信息公开工作年度报告, in the national format of
//! 国办公开办函〔2021〕30号 (regulations.md §3.2), modelled on 孟津区's real 2022 report;
//! the reports of 2019 and 2020 in the earlier form of 国办公开办函〔2019〕60号 (other 表二
//! columns, a single （六）其他处理 row, heading 五 worded 政府信息公开工作存在的…), and, for a
//! unit that does so, a 2021-form report that keeps the old single （六） row and misprints
//! a row label (as 洪泽区 did in 2023 and 2024).
//!
//! Owns: the six section headings, the prose, and tables whose numbers obey the 勾稽关系
//! R1–R4 (and R5 across years). Must not do I/O; the same (seed, unit, year) always gives
//! the same report.

use super::rng::SplitMix64;
use std::fmt::Write as _;

/// The six required section headings, in order.
pub const SECTIONS: [&str; 6] = [
    "一、总体情况",
    "二、主动公开政府信息情况",
    "三、收到和处理政府信息公开申请情况",
    "四、政府信息公开行政复议、行政诉讼情况",
    "五、存在的主要问题及改进情况",
    "六、其他需要报告的事项",
];

/// Heading 五 as the 2019 form words it.
pub const SECTION5_2019: &str = "五、政府信息公开工作存在的主要问题及改进情况";

/// The misprinted row label of the deviating layout (the real 洪泽区 misprint).
pub const MISPRINTED_LABEL: &str = "2.其他法律行政止公开";

/// Which layout a simulated report is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportLayout {
    /// 国办公开办函〔2021〕30号, as printed.
    Form2021,
    /// 国办公开办函〔2019〕60号 (reports of 2019 and 2020).
    Form2019,
    /// The 2021 form with the old single （六）其他处理 row kept and a row label misprinted.
    Deviating,
}

impl ReportLayout {
    /// The layout a unit's report for `year` is written in.
    pub fn of(year: i32, deviates: bool) -> ReportLayout {
        if year <= 2020 {
            ReportLayout::Form2019
        } else if deviates {
            ReportLayout::Deviating
        } else {
            ReportLayout::Form2021
        }
    }
}

/// The 21 leaf rows of 三、本年度办理结果, grouped as in the format: (group label, rows).
const RESULT_GROUPS: [(&str, &[&str]); 6] = [
    ("（一）予以公开", &[]),
    (
        "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
        &[],
    ),
    (
        "（三）不予公开",
        &[
            "1.属于国家秘密",
            "2.其他法律行政法规禁止公开",
            "3.危及“三安全一稳定”",
            "4.保护第三方合法权益",
            "5.属于三类内部事务信息",
            "6.属于四类过程性信息",
            "7.属于行政执法案卷",
            "8.属于行政查询事项",
        ],
    ),
    (
        "（四）无法提供",
        &[
            "1.本机关不掌握相关政府信息",
            "2.没有现成信息需要另行制作",
            "3.补正后申请内容仍不明确",
        ],
    ),
    (
        "（五）不予处理",
        &[
            "1.信访举报投诉类申请",
            "2.重复申请",
            "3.要求提供公开出版物",
            "4.无正当理由大量反复申请",
            "5.要求行政机关确认或重新出具已获取信息",
        ],
    ),
    (
        "（六）其他处理",
        &[
            "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
            "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
            "3.其他",
        ],
    ),
];

/// Applications carried over from `year` into the next year (natural persons only), so
/// next year's 上年结转 matches (R5).
fn carry_out(seed: u64, unit: &str, year: i32) -> u64 {
    let mut r = SplitMix64::derive(seed, &format!("{unit}/{year}/carry"));
    u64::from(r.chance(0.2))
}

/// Numbers of table 三: rows `new`, `prev`, 21 leaves, `next`, each with 6 applicant
/// columns (自然人, 商业企业, 科研机构, 社会公益组织, 法律服务机构, 其他).
struct Applications {
    new: [u64; 6],
    prev: [u64; 6],
    leaves: Vec<[u64; 6]>,
    next: [u64; 6],
}

fn applications(
    rng: &mut SplitMix64,
    seed: u64,
    unit: &str,
    year: i32,
    is_portal: bool,
) -> Applications {
    let mut new = [0u64; 6];
    let mut prev = [0u64; 6];
    let mut next = [0u64; 6];
    prev[0] = carry_out(seed, unit, year - 1);
    next[0] = carry_out(seed, unit, year);
    // At least as many applications as are carried into next year.
    new[0] = (if is_portal {
        rng.range(6, 16)
    } else {
        rng.range(0, 5)
    })
    .max(next[0]);
    new[1] = rng.range(0, if is_portal { 3 } else { 1 });
    new[5] = u64::from(rng.chance(0.1));
    let mut leaves = vec![[0u64; 6]; 21];
    // Leaf indexes: 0 予以公开, 1 部分公开, 2..10 不予公开, 10..13 无法提供, 13..18 不予处理, 18..21 其他处理.
    for c in 0..6 {
        let mut handled = new[c] + prev[c] - next[c];
        while handled > 0 {
            let leaf = match rng.range(0, 9) {
                0 => 1,
                1 => 10,
                2 => 13,
                3 => 18,
                _ => 0,
            };
            leaves[leaf][c] += 1;
            handled -= 1;
        }
    }
    Applications {
        new,
        prev,
        leaves,
        next,
    }
}

fn row_cells(out: &mut String, values: &[u64; 6]) {
    row_cells_off_by(out, values, 0);
}

/// A row's six cells and its 总计, the total written `off` too high.
fn row_cells_off_by(out: &mut String, values: &[u64; 6], off: u64) {
    for v in values {
        let _ = write!(out, "<td>{v}</td>");
    }
    let total: u64 = values.iter().sum::<u64>() + off;
    let _ = write!(out, "<td>{total}</td>");
}

fn p(out: &mut String, text: &str) {
    let _ = writeln!(out, "<p style=\"text-indent:2em;\">{text}</p>");
}

fn heading(out: &mut String, text: &str) {
    let _ = writeln!(
        out,
        "<p style=\"text-indent:2em;\"><strong>{text}</strong></p>"
    );
}

/// The HTML body (inside the article's content div) of `unit`'s report for `year`, in the
/// form of its year. `inconsistent`: the 总计 of 表三's first row is one more than its parts
/// (R2, and R1 on the 总计 column).
#[cfg(test)]
pub fn report_body(
    seed: u64,
    unit: &str,
    year: i32,
    is_portal: bool,
    inconsistent: bool,
) -> String {
    report_body_in(
        seed,
        unit,
        year,
        is_portal,
        inconsistent,
        ReportLayout::of(year, false),
    )
}

/// The body in the given layout (numbers are the same whatever the layout).
pub fn report_body_in(
    seed: u64,
    unit: &str,
    year: i32,
    is_portal: bool,
    inconsistent: bool,
    layout: ReportLayout,
) -> String {
    let old_form = layout == ReportLayout::Form2019;
    let mut rng = SplitMix64::derive(seed, &format!("{unit}/{year}/report"));
    let mut out = String::with_capacity(16 * 1024);
    let circular = if old_form {
        "国办公开办函〔2019〕60号"
    } else {
        "国办公开办函〔2021〕30号"
    };
    p(
        &mut out,
        &format!(
            "本报告是根据《中华人民共和国政府信息公开条例》（以下简称《条例》）和《国务院办公厅政府信息与政务公开办公室关于印发〈中华人民共和国政府信息公开工作年度报告格式〉的通知》（{circular}）要求，由{unit}编制。本报告所列数据的统计期限自{year}年1月1日起至{year}年12月31日止。"
        ),
    );

    heading(&mut out, SECTIONS[0]);
    let published = rng.range(
        if is_portal { 2500 } else { 120 },
        if is_portal { 4200 } else { 600 },
    );
    p(&mut out, "（一）主动公开");
    p(
        &mut out,
        &format!(
            "一是充分发挥政府网站在信息公开中的平台作用。{year}年，{unit}共公开各类信息{published}条，其中“最新动态”“党务公开”栏目坚持每周更新不低于两篇，“机构概况”“单位领导”“通知公告”等栏目做到及时更新。二是深入推进政府信息公开，建立了{year}年政务公开工作要点台账，明确了工作要点、责任单位和完成时限。"
        ),
    );
    p(&mut out, "（二）依申请公开");
    let apps = applications(&mut rng, seed, unit, year, is_portal);
    let new_total: u64 = apps.new.iter().sum();
    p(
        &mut out,
        &format!(
            "{year}年，{unit}共收到政府信息公开申请{new_total}件，均在法定期限内答复，未发生因依申请公开引发的行政复议被纠错情况。"
        ),
    );
    p(&mut out, "（三）政府信息管理");
    p(
        &mut out,
        "严把信息质量关，建立规范的信息采集、审核和发布制度，分级管理，严格把关，未经审核的信息不得在网上发布，严禁涉密信息上网。",
    );
    p(&mut out, "（四）政府信息公开平台建设");
    p(
        &mut out,
        "按照《国务院办公厅政府信息与政务公开办公室关于规范政府信息公开平台有关事项的通知》（国办公开办函〔2019〕61号）要求，不断完善政府信息公开平台，及时充实平台信息公开内容。",
    );
    p(&mut out, "（五）监督保障");
    p(
        &mut out,
        "按照《政府网站与政务新媒体检查指引》要求，定期开展网站内容自查，做好敏感词、严重错别字筛查工作，坚持先审后发，确保发布内容准确。",
    );

    heading(&mut out, SECTIONS[1]);
    let made = if is_portal { rng.range(2, 8) } else { 0 };
    let repealed = if is_portal { rng.range(0, made) } else { 0 };
    let valid = if is_portal { rng.range(made, 40) } else { 0 };
    let permits = if is_portal {
        rng.range(3000, 6000)
    } else {
        rng.range(0, 300)
    };
    let penalties = if is_portal {
        rng.range(100, 300)
    } else {
        rng.range(0, 40)
    };
    out.push_str(
        "<table border=\"1\" cellspacing=\"0\" cellpadding=\"0\" width=\"100%\" class=\"nbbg\">\n",
    );
    if old_form {
        table2_2019(&mut out, made, valid, permits, penalties);
    } else {
        out.push_str("<tr><td colspan=\"4\">第二十条第（一）项</td></tr>\n");
        out.push_str("<tr><td>信息内容</td><td>本年制发件数</td><td>本年废止件数</td><td>现行有效件数</td></tr>\n");
        out.push_str("<tr><td>规章</td><td>0</td><td>0</td><td>0</td></tr>\n");
        let _ = writeln!(
            out,
            "<tr><td>行政规范性文件</td><td>{made}</td><td>{repealed}</td><td>{valid}</td></tr>"
        );
        out.push_str("<tr><td colspan=\"4\">第二十条第（五）项</td></tr>\n");
        out.push_str("<tr><td>信息内容</td><td colspan=\"3\">本年处理决定数量</td></tr>\n");
        let _ = writeln!(
            out,
            "<tr><td>行政许可</td><td colspan=\"3\">{permits}</td></tr>"
        );
        out.push_str("<tr><td colspan=\"4\">第二十条第（六）项</td></tr>\n");
        out.push_str("<tr><td>信息内容</td><td colspan=\"3\">本年处理决定数量</td></tr>\n");
        let _ = writeln!(
            out,
            "<tr><td>行政处罚</td><td colspan=\"3\">{penalties}</td></tr>"
        );
        out.push_str("<tr><td>行政强制</td><td colspan=\"3\">0</td></tr>\n");
        out.push_str("<tr><td colspan=\"4\">第二十条第（八）项</td></tr>\n");
        out.push_str(
            "<tr><td>信息内容</td><td colspan=\"3\">本年收费金额（单位：万元）</td></tr>\n",
        );
        out.push_str("<tr><td>行政事业性收费</td><td colspan=\"3\">0</td></tr>\n");
    }
    out.push_str("</table>\n");

    heading(&mut out, SECTIONS[2]);
    out.push_str(
        "<table border=\"1\" cellspacing=\"0\" cellpadding=\"0\" width=\"100%\" class=\"nbbg\">\n",
    );
    out.push_str("<tr><td colspan=\"3\" rowspan=\"3\">（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）</td><td colspan=\"7\">申请人情况</td></tr>\n");
    out.push_str("<tr><td rowspan=\"2\">自然人</td><td colspan=\"5\">法人或其他组织</td><td rowspan=\"2\">总计</td></tr>\n");
    out.push_str("<tr><td>商业企业</td><td>科研机构</td><td>社会公益组织</td><td>法律服务机构</td><td>其他</td></tr>\n");
    out.push_str("<tr><td colspan=\"3\">一、本年新收政府信息公开申请数量</td>");
    row_cells_off_by(&mut out, &apps.new, u64::from(inconsistent));
    out.push_str("</tr>\n<tr><td colspan=\"3\">二、上年结转政府信息公开申请数量</td>");
    row_cells(&mut out, &apps.prev);
    out.push_str("</tr>\n");
    let mut leaf = 0usize;
    let mut first = true;
    let merged_other = layout != ReportLayout::Form2021;
    for (label, rows) in RESULT_GROUPS {
        let lead = if first {
            if merged_other {
                "<td rowspan=\"20\">三、本年度办理结果</td>"
            } else {
                "<td rowspan=\"22\">三、本年度办理结果</td>"
            }
        } else {
            ""
        };
        first = false;
        if merged_other && label == "（六）其他处理" {
            // One row for the three leaves of the 2021 form.
            let mut merged = [0u64; 6];
            for l in &apps.leaves[leaf..leaf + rows.len()] {
                for c in 0..6 {
                    merged[c] += l[c];
                }
            }
            let _ = write!(out, "<tr><td colspan=\"2\">{label}</td>");
            row_cells(&mut out, &merged);
            out.push_str("</tr>\n");
            leaf += rows.len();
        } else if rows.is_empty() {
            let _ = write!(out, "<tr>{lead}<td colspan=\"2\">{label}</td>");
            row_cells(&mut out, &apps.leaves[leaf]);
            out.push_str("</tr>\n");
            leaf += 1;
        } else {
            for (k, row) in rows.iter().enumerate() {
                let group = if k == 0 {
                    format!("<td rowspan=\"{}\">{label}</td>", rows.len())
                } else {
                    String::new()
                };
                let row = if layout == ReportLayout::Deviating
                    && *row == "2.其他法律行政法规禁止公开"
                {
                    MISPRINTED_LABEL
                } else {
                    row
                };
                let _ = write!(
                    out,
                    "<tr>{}{group}<td>{row}</td>",
                    if k == 0 { lead } else { "" }
                );
                row_cells(&mut out, &apps.leaves[leaf]);
                out.push_str("</tr>\n");
                leaf += 1;
            }
        }
    }
    let mut total = [0u64; 6];
    for l in &apps.leaves {
        for c in 0..6 {
            total[c] += l[c];
        }
    }
    out.push_str("<tr><td colspan=\"2\">（七）总计</td>");
    row_cells(&mut out, &total);
    out.push_str("</tr>\n<tr><td colspan=\"3\">四、结转下年度继续办理</td>");
    row_cells(&mut out, &apps.next);
    out.push_str("</tr>\n</table>\n");

    heading(&mut out, SECTIONS[3]);
    let mut blocks = [[0u64; 5]; 3];
    for b in &mut blocks {
        if rng.chance(0.15) {
            b[rng.index(4)] += 1;
        }
        b[4] = b[..4].iter().sum();
    }
    out.push_str(
        "<table border=\"1\" cellspacing=\"0\" cellpadding=\"0\" width=\"100%\" class=\"nbbg\">\n",
    );
    out.push_str("<tr><td colspan=\"5\">行政复议</td><td colspan=\"10\">行政诉讼</td></tr>\n");
    out.push_str("<tr><td rowspan=\"2\">结果维持</td><td rowspan=\"2\">结果纠正</td><td rowspan=\"2\">其他结果</td><td rowspan=\"2\">尚未审结</td><td rowspan=\"2\">总计</td><td colspan=\"5\">未经复议直接起诉</td><td colspan=\"5\">复议后起诉</td></tr>\n");
    out.push_str("<tr>");
    for _ in 0..2 {
        out.push_str(
            "<td>结果维持</td><td>结果纠正</td><td>其他结果</td><td>尚未审结</td><td>总计</td>",
        );
    }
    out.push_str("</tr>\n<tr>");
    for b in &blocks {
        for v in b {
            let _ = write!(out, "<td>{v}</td>");
        }
    }
    out.push_str("</tr>\n</table>\n");

    heading(&mut out, if old_form { SECTION5_2019 } else { SECTIONS[4] });
    p(
        &mut out,
        &format!(
            "{year}年，{unit}的政府信息公开工作取得了一定成效，但仍存在政务公开意识不强、公开深度不够、部分栏目更新不够及时等问题。下一步，将进一步加强业务培训，压实工作责任，确保{}年政务公开工作取得新的实效。",
            year + 1
        ),
    );

    heading(&mut out, SECTIONS[5]);
    p(
        &mut out,
        "（一）进一步完善政府信息公开制度。层层落实责任，严格按照《条例》要求在规定时限内更新信息，确保信息公开的及时性、准确性和有效性。",
    );
    p(
        &mut out,
        "（二）进一步加强业务能力培训。组织开展面向信息公开工作人员的专业培训，提高政策解读、舆情研判和回应引导能力。",
    );
    p(
        &mut out,
        &format!(
            "（三）按照《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）规定，{year}年度{unit}未收取信息处理费。"
        ),
    );
    out
}

/// 表二 in the 2019 form: 新制作/新公开/对外公开总数量 for documents, 上一年项目数量/本年增/减/
/// 处理决定数量 for licences and penalties, 上一年项目数量/本年增/减 for fees, and the
/// 政府集中采购 block.
fn table2_2019(out: &mut String, made: u64, valid: u64, permits: u64, penalties: u64) {
    out.push_str("<tr><td colspan=\"4\">第二十条第（一）项</td></tr>\n");
    out.push_str("<tr><td>信息内容</td><td>本年新制作数量</td><td>本年新公开数量</td><td>对外公开总数量</td></tr>\n");
    out.push_str("<tr><td>规章</td><td>0</td><td>0</td><td>0</td></tr>\n");
    let _ = writeln!(
        out,
        "<tr><td>规范性文件</td><td>{made}</td><td>{made}</td><td>{valid}</td></tr>"
    );
    for (item, rows) in [
        (
            "第二十条第（五）项",
            [("行政许可", permits), ("其他对外管理服务事项", 0)],
        ),
        (
            "第二十条第（六）项",
            [("行政处罚", penalties), ("行政强制", 0)],
        ),
    ] {
        let _ = writeln!(out, "<tr><td colspan=\"4\">{item}</td></tr>");
        out.push_str("<tr><td>信息内容</td><td>上一年项目数量</td><td>本年增/减</td><td>处理决定数量</td></tr>\n");
        for (label, decided) in rows {
            let _ = writeln!(
                out,
                "<tr><td>{label}</td><td>0</td><td>0</td><td>{decided}</td></tr>"
            );
        }
    }
    out.push_str("<tr><td colspan=\"4\">第二十条第（八）项</td></tr>\n");
    out.push_str(
        "<tr><td>信息内容</td><td>上一年项目数量</td><td colspan=\"2\">本年增/减</td></tr>\n",
    );
    out.push_str("<tr><td>行政事业性收费</td><td>0</td><td colspan=\"2\">0</td></tr>\n");
    out.push_str("<tr><td colspan=\"4\">第二十条第（九）项</td></tr>\n");
    out.push_str(
        "<tr><td>信息内容</td><td>采购项目数量</td><td colspan=\"2\">采购总金额</td></tr>\n",
    );
    out.push_str("<tr><td>政府集中采购</td><td>0</td><td colspan=\"2\">0</td></tr>\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn report_body_has_all_six_sections_in_order() {
        let body = report_body(2022, "孟津区教育局", 2022, false, false);
        let mut last = 0;
        for s in SECTIONS {
            let at = body
                .find(s)
                .unwrap_or_else(|| panic!("missing section {s}"));
            assert!(at >= last, "section {s} out of order");
            last = at;
        }
    }

    #[test]
    fn application_numbers_satisfy_r1_r3_and_r5() {
        for year in 2019..2023 {
            for unit in ["孟津区人民政府", "城关镇人民政府", "孟津区统计局"] {
                let mut r = SplitMix64::derive(9, unit);
                let a = applications(&mut r, 9, unit, year, unit.contains("人民政府"));
                for c in 0..6 {
                    let total: u64 = a.leaves.iter().map(|l| l[c]).sum();
                    assert_eq!(
                        a.new[c] + a.prev[c],
                        total + a.next[c],
                        "R1 {unit} {year} col {c}"
                    );
                }
                let mut r2 = SplitMix64::derive(9, "next");
                let following = applications(&mut r2, 9, unit, year + 1, false);
                assert_eq!(following.prev, a.next, "R5 {unit} {year}");
            }
        }
    }

    #[test]
    fn a_2020_report_is_in_the_2019_form_and_is_checked_as_such() {
        let body = report_body(2022, "孟津区教育局", 2020, false, false);
        assert!(body.contains(SECTION5_2019));
        assert!(body.contains("本年新制作数量") && body.contains("采购总金额"));
        assert!(!body.contains("逾期不补正"));
        let r = crate::annual::parse_html(&body);
        assert_eq!(r.form, crate::annual::Form::Y2019);
        assert!(r.sections_missing.is_empty(), "{:?}", r.sections_missing);
        assert!(r.problems.is_empty(), "{:#?}", r.problems);
        assert_eq!(r.table3.rows.len(), 23);
        assert!(r.table2.rows.iter().all(|row| row.found));
        // The 2021 report of the same unit is in the 2021 form.
        let later =
            crate::annual::parse_html(&report_body(2022, "孟津区教育局", 2021, false, false));
        assert_eq!(later.form, crate::annual::Form::Y2021);
        assert!(later.problems.is_empty(), "{:#?}", later.problems);
    }

    #[test]
    fn a_deviating_layout_gives_layout_warnings_and_no_error() {
        let body = report_body_in(
            2022,
            "城关镇人民政府",
            2022,
            false,
            false,
            ReportLayout::Deviating,
        );
        assert!(body.contains(MISPRINTED_LABEL));
        let r = crate::annual::parse_html(&body);
        assert_eq!(r.form, crate::annual::Form::Y2021);
        let errors: Vec<_> = r
            .problems
            .iter()
            .filter(|p| p.severity == crate::annual::ProblemSeverity::Error)
            .collect();
        assert!(errors.is_empty(), "{errors:#?}");
        let layout: Vec<&str> = r
            .problems
            .iter()
            .filter(|p| p.rule == "LAYOUT")
            .map(|p| p.message.as_str())
            .collect();
        assert_eq!(layout.len(), 2, "{layout:#?}");
        assert!(layout.iter().any(|m| m.contains(MISPRINTED_LABEL)));
        assert!(layout.iter().any(|m| m.contains("其他处理")));
        // An inconsistent deviating report still has its arithmetic error.
        let bad = crate::annual::parse_html(&report_body_in(
            2022,
            "城关镇人民政府",
            2022,
            false,
            true,
            ReportLayout::Deviating,
        ));
        assert!(
            bad.problems.iter().any(|p| p.rule == "R2"),
            "{:#?}",
            bad.problems
        );
    }
}
