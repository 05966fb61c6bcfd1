//! Reads the structure of a report from text: the six section headings and the grids of
//! tables 二, 三 and 四. Owns tokenising, row finding and cell parsing. Must not judge the
//! numbers (that is `checks`), and must not know about file formats (callers flatten them).
//!
//! Why tokens and markers: PDF extraction breaks labels and cells arbitrarily
//! ("社会公益\n\n组织", a label wrapped over three lines before its seven numbers). So the
//! region of a table is split into whitespace tokens, adjacent text tokens are glued back
//! together, and each row is found by a short marker ("国家秘密", "逾期不补正") searched in
//! format order from where the previous row ended; its numbers are the value tokens after it.

use std::collections::HashMap;
use std::sync::LazyLock;

use regex::Regex;

use super::{AnnualReport, Cell, EMPTY_CELL, Form, Section, Table2, Table2Row, Table3, Table4};

/// How one row of table 三 is recognised.
pub(crate) struct RowDef {
    /// Stable key.
    pub key: &'static str,
    /// Chinese label.
    pub label: &'static str,
    /// Regex that finds the row's label in glued text.
    marker: &'static str,
    /// A looser regex tried when `marker` is not found: a label with a typo or in other
    /// words ("2.其他法律行政止公开"); a row found by it is a layout warning.
    alt: &'static str,
}

/// The 25 rows of table 三 in the 2021 format, in order.
static TABLE3_ROWS: [RowDef; 25] = [
    RowDef {
        key: "new",
        label: "一、本年新收政府信息公开申请数量",
        marker: "本年新收",
        alt: "",
    },
    RowDef {
        key: "carried_over",
        label: "二、上年结转政府信息公开申请数量",
        marker: "上年结转",
        alt: "",
    },
    RowDef {
        key: "public",
        label: "（一）予以公开",
        marker: "予以公开",
        alt: "",
    },
    RowDef {
        key: "partial",
        label: "（二）部分公开",
        marker: "部分公开",
        alt: "",
    },
    RowDef {
        key: "withheld_state_secret",
        label: "（三）不予公开 1.属于国家秘密",
        marker: "国家秘密",
        alt: "",
    },
    RowDef {
        key: "withheld_prohibited",
        label: "（三）不予公开 2.其他法律行政法规禁止公开",
        marker: "禁止公开",
        alt: "其他法律|行政法规",
    },
    RowDef {
        key: "withheld_security",
        label: "（三）不予公开 3.危及“三安全一稳定”",
        marker: "三安全一稳定",
        alt: "三安全|一稳定",
    },
    RowDef {
        key: "withheld_third_party",
        label: "（三）不予公开 4.保护第三方合法权益",
        marker: "第三方合法权益",
        alt: "第三方",
    },
    RowDef {
        key: "withheld_internal",
        label: "（三）不予公开 5.属于三类内部事务信息",
        marker: "内部事务",
        alt: "内部",
    },
    RowDef {
        key: "withheld_process",
        label: "（三）不予公开 6.属于四类过程性信息",
        marker: "过程性信息",
        alt: "过程性",
    },
    RowDef {
        key: "withheld_enforcement",
        label: "（三）不予公开 7.属于行政执法案卷",
        marker: "执法案卷",
        alt: "案卷",
    },
    RowDef {
        key: "withheld_inquiry",
        label: "（三）不予公开 8.属于行政查询事项",
        marker: "行政查询",
        alt: "查询",
    },
    RowDef {
        key: "unable_not_held",
        label: "（四）无法提供 1.本机关不掌握相关政府信息",
        marker: "不掌握",
        alt: "掌握",
    },
    RowDef {
        key: "unable_needs_creation",
        label: "（四）无法提供 2.没有现成信息需要另行制作",
        marker: "另行制作",
        alt: "现成信息",
    },
    RowDef {
        key: "unable_unclear",
        label: "（四）无法提供 3.补正后申请内容仍不明确",
        marker: "仍不明确",
        alt: "不明确",
    },
    RowDef {
        key: "rejected_petition",
        label: "（五）不予处理 1.信访举报投诉类申请",
        marker: "信访|举报投诉",
        alt: "",
    },
    RowDef {
        key: "rejected_repeat",
        label: "（五）不予处理 2.重复申请",
        marker: "重复申请",
        alt: "",
    },
    RowDef {
        key: "rejected_publication",
        label: "（五）不予处理 3.要求提供公开出版物",
        marker: "出版物",
        alt: "出版",
    },
    RowDef {
        key: "rejected_mass",
        label: "（五）不予处理 4.无正当理由大量反复申请",
        marker: "大量反复",
        alt: "反复申请",
    },
    RowDef {
        key: "rejected_confirm",
        label: "（五）不予处理 5.要求行政机关确认或重新出具已获取信息",
        marker: "确认或重新出具",
        alt: "重新出具|确认或",
    },
    RowDef {
        key: "other_no_correction",
        label: "（六）其他处理 1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        marker: "逾期不补正",
        alt: "不补正",
    },
    RowDef {
        key: "other_no_fee",
        label: "（六）其他处理 2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        marker: "缴纳费用|收费通知",
        alt: "",
    },
    RowDef {
        key: "other_other",
        label: "（六）其他处理 3.其他",
        marker: "其他",
        alt: "",
    },
    RowDef {
        key: "total",
        label: "（七）总计",
        marker: "总计",
        alt: "",
    },
    RowDef {
        key: "carry_forward",
        label: "四、结转下年度继续办理",
        marker: "结转下年度",
        alt: "",
    },
];

/// The single （六）其他处理 row of the 2019 form (kept by some 2021 reports).
static OTHER_MERGED: RowDef = RowDef {
    key: "other",
    label: "（六）其他处理",
    marker: "其他处理",
    alt: "",
};

/// The rows of table 三 in form order: the 2021 rows, with the three （六）其他处理 rows
/// (`split_other`) or the single one of the 2019 form.
pub(crate) fn table3_rows(split_other: bool) -> Vec<&'static RowDef> {
    let mut out = Vec::with_capacity(25);
    for d in &TABLE3_ROWS {
        if d.key.starts_with("other_") {
            if split_other {
                out.push(d);
            } else if d.key == "other_no_correction" {
                out.push(&OTHER_MERGED);
            }
        } else {
            out.push(d);
        }
    }
    out
}

/// Which cell syntax a position accepts.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// A non-negative whole number.
    Int,
    /// A whole number that may be negative (本年增/减).
    Signed,
    /// 万元 with at most four decimals.
    Money,
    /// An amount that may carry its unit (采购总金额 "251000元").
    Amount,
}

/// One row of table 二 in a form.
pub(crate) struct Table2Def {
    key: &'static str,
    label: &'static str,
    marker: &'static str,
    columns: &'static [(&'static str, Kind)],
}

const DOCS_2021: &[(&str, Kind)] = &[
    ("本年制发件数", Kind::Int),
    ("本年废止件数", Kind::Int),
    ("现行有效件数", Kind::Int),
];
const ONE_2021: &[(&str, Kind)] = &[("本年处理决定数量", Kind::Int)];
const DOCS_2019: &[(&str, Kind)] = &[
    ("本年新制作数量", Kind::Int),
    ("本年新公开数量", Kind::Int),
    ("对外公开总数量", Kind::Int),
];
const ITEMS_2019: &[(&str, Kind)] = &[
    ("上一年项目数量", Kind::Int),
    ("本年增/减", Kind::Signed),
    ("处理决定数量", Kind::Int),
];

static TABLE2_2021: [Table2Def; 6] = [
    Table2Def {
        key: "rules",
        label: "规章",
        marker: "规章",
        columns: DOCS_2021,
    },
    Table2Def {
        key: "normative_docs",
        label: "行政规范性文件",
        marker: "规范性文件",
        columns: DOCS_2021,
    },
    Table2Def {
        key: "licensing",
        label: "行政许可",
        marker: "行政许可",
        columns: ONE_2021,
    },
    Table2Def {
        key: "penalty",
        label: "行政处罚",
        marker: "行政处罚",
        columns: ONE_2021,
    },
    Table2Def {
        key: "coercion",
        label: "行政强制",
        marker: "行政强制",
        columns: ONE_2021,
    },
    Table2Def {
        key: "fees",
        label: "行政事业性收费",
        marker: "事业性收费",
        columns: &[("本年收费金额", Kind::Money)],
    },
];

static TABLE2_2019: [Table2Def; 8] = [
    Table2Def {
        key: "rules",
        label: "规章",
        marker: "规章",
        columns: DOCS_2019,
    },
    Table2Def {
        key: "normative_docs",
        label: "规范性文件",
        marker: "规范性文件",
        columns: DOCS_2019,
    },
    Table2Def {
        key: "licensing",
        label: "行政许可",
        marker: "行政许可",
        columns: ITEMS_2019,
    },
    Table2Def {
        key: "other_services",
        label: "其他对外管理服务事项",
        marker: "对外管理服务",
        columns: ITEMS_2019,
    },
    Table2Def {
        key: "penalty",
        label: "行政处罚",
        marker: "行政处罚",
        columns: ITEMS_2019,
    },
    Table2Def {
        key: "coercion",
        label: "行政强制",
        marker: "行政强制",
        columns: ITEMS_2019,
    },
    Table2Def {
        key: "fees",
        label: "行政事业性收费",
        marker: "事业性收费",
        columns: &[("上一年项目数量", Kind::Int), ("本年增/减", Kind::Signed)],
    },
    Table2Def {
        key: "procurement",
        label: "政府集中采购",
        marker: "集中采购",
        columns: &[("采购项目数量", Kind::Int), ("采购总金额", Kind::Amount)],
    },
];

/// Something that starts a row label: "3.其他", "1、申请人", "（四）", "四、".
static ROW_LEAD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:\d{1,2}[.、]|（[一二三四五六七八九十]）|[一二三四五六七八九十]、)")
        .expect("static regex")
});

static NUMERIC: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^-?\d[\d,]*(?:\.\d+)?$").expect("static regex"));

/// An amount with its unit: "251000元", "25.1万元".
static AMOUNT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(\d[\d,]*(?:\.\d+)?)(?:万?元)$").expect("static regex"));

const HAN_NUMERALS: &str = "零〇○一二三四五六七八九十百千万两";

/// Tokens that sit where a number belongs although they are not numbers.
const PSEUDO_VALUES: [&str; 8] = ["-", "—", "——", "/", "／", "无", "空", "－"];

/// Normalises what PDFs and word processors vary: full-width digits and brackets, NBSP.
pub(crate) fn normalize(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            '(' => '（',
            ')' => '）',
            '．' => '.',
            '－' | '−' => '-',
            '\u{a0}' | '\u{3000}' => ' ',
            _ => c,
        })
        .collect()
}

/// Whether a token stands where a cell value belongs.
pub(crate) fn is_value(tok: &str) -> bool {
    tok == EMPTY_CELL
        || NUMERIC.is_match(tok)
        || AMOUNT.is_match(tok)
        || PSEUDO_VALUES.contains(&tok)
        || (!tok.is_empty() && tok.chars().all(|c| HAN_NUMERALS.contains(c)))
}

/// The tokens of a text, with the token index each line starts at.
pub(crate) struct Tokens {
    pub toks: Vec<String>,
    /// (first token index, compact line text) per non-empty line.
    pub lines: Vec<(usize, String)>,
}

/// A PDF page number or running footer ("- 3 -", "第 3 页 共 5 页", "3/5"): dropped before
/// tokenising, because a page break inside a table would otherwise put its digits among the
/// cells.
static PAGE_NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*(?:[-—–]\s*\d{1,3}\s*[-—–]|第\s*\d{1,3}\s*页(?:\s*[,，/]?\s*共\s*\d{1,3}\s*页)?|\d{1,3}\s*/\s*\d{1,3})\s*$")
        .expect("static regex")
});

pub(crate) fn tokenize(text: &str) -> Tokens {
    let mut toks = Vec::new();
    let mut lines = Vec::new();
    for line in text.lines() {
        if PAGE_NUMBER.is_match(line) {
            continue;
        }
        let start = toks.len();
        let mut compact = String::new();
        for t in line.split_whitespace() {
            toks.push(t.to_string());
            compact.push_str(t);
        }
        if !compact.is_empty() {
            lines.push((start, compact));
        }
    }
    Tokens { toks, lines }
}

/// The text tokens of a range glued into one searchable string (value tokens left out, so
/// a label wrapped around its numbers — "5.要求行政机关确认或重新出 / 1 0 0 0 0 0 1 /
/// 具已获取信息" — reads as one label).
struct Labels {
    s: String,
    /// (byte offset in `s`, token index) per text token, in order.
    at: Vec<(usize, usize)>,
}

impl Labels {
    fn new(toks: &[String], from: usize, to: usize) -> Labels {
        let mut s = String::new();
        let mut at = Vec::new();
        for (i, t) in toks.iter().enumerate().take(to).skip(from) {
            if !is_value(t) {
                at.push((s.len(), i));
                s.push_str(t);
            }
        }
        Labels { s, at }
    }

    /// The token holding byte `pos`.
    fn tok(&self, pos: usize) -> usize {
        let k = match self.at.binary_search_by_key(&pos, |(b, _)| *b) {
            Ok(k) => k,
            Err(k) => k.saturating_sub(1),
        };
        self.at.get(k).map(|(_, t)| *t).unwrap_or(0)
    }
}

/// How one row is looked for.
struct RowSpec<'a> {
    marker: &'a Regex,
    alt: Option<&'a Regex>,
    n: usize,
}

/// One row as found: its raw value tokens (up to `n`), the label text as printed, whether
/// the looser marker found it, and whether the row had more numbers than columns.
struct RowHit {
    raw: Vec<String>,
    label: String,
    via_alt: bool,
}

/// Finds the rows in order. A row's numbers are the value tokens between the start of its
/// label and the start of the next found row's label, wherever the label wraps.
/// Also returns the token after the last number taken (where the rows end).
fn find_rows(
    toks: &[String],
    from: usize,
    to: usize,
    specs: &[RowSpec<'_>],
) -> (Vec<Option<RowHit>>, usize) {
    let to = to.min(toks.len());
    let from = from.min(to);
    let labels = Labels::new(toks, from, to);
    let mut cursor = 0;
    // (spec index, marker token, via alt)
    let mut hits: Vec<(usize, usize, bool)> = Vec::new();
    for (i, spec) in specs.iter().enumerate() {
        let next = specs
            .get(i + 1)
            .and_then(|n| n.marker.find_at(&labels.s, cursor))
            .map(|m| m.start());
        let found = |re: &Regex| {
            re.find_at(&labels.s, cursor)
                .filter(|m| next.is_none_or(|n| m.start() <= n))
        };
        let (m, via_alt) = match found(spec.marker) {
            Some(m) => (m, false),
            None => match spec.alt.and_then(found) {
                Some(m) => (m, true),
                None => continue,
            },
        };
        cursor = m.end();
        hits.push((i, labels.tok(m.start()), via_alt));
    }
    // Where each found row's label starts: back from its marker to a token that opens a row
    // label ("2.其他法律行政法规" before its numbers and "禁止公开"), never into the row before.
    let mut anchors = Vec::with_capacity(hits.len());
    for (k, &(_, tok, _)) in hits.iter().enumerate() {
        let floor = if k == 0 { from } else { hits[k - 1].1 + 1 };
        let anchor = (floor..=tok)
            .rev()
            .find(|&t| !is_value(&toks[t]) && ROW_LEAD.is_match(&toks[t]))
            .unwrap_or(tok);
        anchors.push(anchor.max(floor.min(tok)));
    }
    let mut out: Vec<Option<RowHit>> = specs.iter().map(|_| None).collect();
    let mut rows_end = from;
    for (k, &(i, _, via_alt)) in hits.iter().enumerate() {
        let end = anchors.get(k + 1).copied().unwrap_or(to);
        let span = &toks[anchors[k]..end.max(anchors[k])];
        let mut raw: Vec<String> = Vec::new();
        rows_end = anchors[k] + 1;
        for (j, t) in span.iter().enumerate() {
            if raw.len() == specs[i].n {
                break;
            }
            if is_value(t) {
                raw.push(t.clone());
                rows_end = anchors[k] + j + 1;
            }
        }
        let label: String = span
            .iter()
            .take_while(|t| !is_value(t))
            .map(String::as_str)
            .collect::<String>()
            .chars()
            .take(40)
            .collect();
        out[i] = Some(RowHit {
            raw,
            label,
            via_alt,
        });
    }
    (out, rows_end)
}

/// Parses one raw cell token. Bad text becomes `Invalid`; the reason is given by
/// [`cell_fault`].
pub(crate) fn parse_cell(raw: &str, kind: Kind) -> Cell {
    if raw == EMPTY_CELL {
        return Cell::Blank;
    }
    if cell_fault(raw, kind).is_some() {
        return Cell::Invalid(raw.to_string());
    }
    let clean: String = raw.chars().filter(|c| *c != ',').collect();
    match kind {
        Kind::Int | Kind::Signed => clean
            .parse::<i64>()
            .map(Cell::Int)
            .unwrap_or_else(|_| Cell::Invalid(raw.to_string())),
        Kind::Money => Cell::Money(clean),
        Kind::Amount => Cell::Money(raw.to_string()),
    }
}

/// Why a raw cell is not acceptable (Chinese), or None when it is. A blank cell is not a
/// fault here: blank cells are one warning per table ([`ParseNotes::blanks`]).
pub(crate) fn cell_fault(raw: &str, kind: Kind) -> Option<String> {
    if raw == EMPTY_CELL {
        return None;
    }
    if kind == Kind::Amount && AMOUNT.is_match(raw) {
        return None;
    }
    if !NUMERIC.is_match(raw) {
        return Some(format!("“{raw}”不是阿拉伯数字，应填写非负数字"));
    }
    if raw.starts_with('-') && kind != Kind::Signed {
        return Some(format!("“{raw}”为负数，数量不能为负"));
    }
    let clean: String = raw.chars().filter(|c| *c != ',').collect();
    match (kind, clean.split_once('.')) {
        (Kind::Int | Kind::Signed, Some(_)) => Some(format!("“{raw}”含小数，此处应填整数")),
        (Kind::Money, Some((_, dec))) if dec.len() > 4 => {
            Some(format!("“{raw}”超过4位小数（单位：万元，保留4位小数）"))
        }
        (Kind::Int | Kind::Signed, None) if clean.parse::<i64>().is_err() => {
            Some(format!("“{raw}”数值过大"))
        }
        _ => None,
    }
}

/// One bad cell seen while parsing, for `checks` to report.
#[derive(Debug, Clone)]
pub(crate) struct CellFault {
    pub table: &'static str,
    pub row: String,
    pub column: String,
    pub reason: String,
}

/// What parsing learned beyond the report fields.
#[derive(Debug, Default)]
pub(crate) struct ParseNotes {
    pub faults: Vec<CellFault>,
    /// (table, row label) of rows not found, when the table itself was found.
    pub rows_missing: Vec<(&'static str, String)>,
    /// Tables with no row found at all.
    pub tables_missing: Vec<&'static str>,
    /// Blank cells per table: (table, count, the rows they are in).
    pub blanks: Vec<(&'static str, usize, Vec<String>)>,
    /// Layout deviations from the form (table, description), each one warning.
    pub deviations: Vec<(&'static str, String)>,
    /// Why the tables cannot be read reliably, when they cannot.
    pub unreadable: Option<String>,
    /// The normalised text lines of prose (not tables), for the typo check.
    pub prose: String,
    /// Found rows with fewer numbers than columns, per table.
    short_rows: Vec<(&'static str, String)>,
    /// A number glued to its label or to other numbers ("属于国家秘密0000000", "0000000").
    glued: Option<String>,
}

/// The six headings: a numbered heading ("五、…") anywhere in a line, or an unnumbered one
/// as a short line of its own.
fn heading_regexes() -> &'static [(Section, Regex, Regex); 6] {
    static H: LazyLock<[(Section, Regex, Regex); 6]> = LazyLock::new(|| {
        let mk = |s: Section, num: &str, body: &str| {
            (
                s,
                Regex::new(&format!("{num}[、.，,：:]?(?:{body})")).expect("static regex"),
                Regex::new(&format!("^(?:{body})[^。]{{0,8}}$")).expect("static regex"),
            )
        };
        [
            mk(Section::Overview, "一", "总体情况|基本情况|概述"),
            mk(
                Section::Proactive,
                "二",
                "主动公开政府信息的?情况|主动公开情况",
            ),
            mk(
                Section::Requests,
                "三",
                "收到和处理政府信息公开申请的?情况|依申请公开情况",
            ),
            mk(
                Section::Review,
                "四",
                "(?:因)?政府信息公开(?:工作)?(?:被申请)?行政法?复议、?(?:和|及)?(?:提起)?行政诉讼的?情况",
            ),
            mk(
                Section::Problems,
                "五",
                "(?:政府信息公开工作)?存在的?(?:主要)?问题(?:及|和|与|以及)改进",
            ),
            mk(Section::Other, "六", "其他需要报告的事项"),
        ]
    });
    &H
}

/// Signals of each form in the compact text: table headers and row labels only one form
/// has, and the 2019 wording of heading 五.
const SIGNS_2019: [&str; 7] = [
    "本年新制作数量",
    "本年新公开数量",
    "对外公开总数量",
    "上一年项目数量",
    "其他对外管理服务事项",
    "采购总金额",
    "政府信息公开工作存在的主要问题",
];
const SIGNS_2021: [&str; 6] = [
    "本年制发件数",
    "本年废止件数",
    "现行有效件数",
    "本年处理决定数量",
    "本年收费金额",
    "逾期不补正",
];

/// The form by its headers and headings; the year decides only when they do not.
pub(crate) fn detect_form(compact: &str, year: Option<i32>) -> Form {
    let a = SIGNS_2019.iter().filter(|s| compact.contains(*s)).count();
    let b = SIGNS_2021.iter().filter(|s| compact.contains(*s)).count();
    match a.cmp(&b) {
        std::cmp::Ordering::Greater => Form::Y2019,
        std::cmp::Ordering::Less => Form::Y2021,
        std::cmp::Ordering::Equal => {
            if year.is_some_and(|y| y <= 2020) {
                Form::Y2019
            } else {
                Form::Y2021
            }
        }
    }
}

/// A unit name alone on a line (a title's first line or the 落款).
static UNIT_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\p{Han}{2,30}(?:人民政府办公室|人民政府办公厅|人民政府|办公室|办公厅|委员会|管委会|管理委员会|局|委|厅|署|院|镇|乡|街道办事处|办事处|街道|政府|实验区|开发区)$")
        .expect("static regex")
});

/// The report's title and unit: the first line that reads as a title (a unit alone on the
/// line before completes it); when the title names no unit, the 落款 (a unit line before
/// the closing date) names it.
fn title_and_unit(lines: &[(usize, String)]) -> Option<(String, super::TitleInfo)> {
    static DATE_LINE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^(?:\d{4}|[〇零○一二三四五六七八九]{4})年\d{1,2}月\d{1,2}日$")
            .expect("static regex")
    });
    let (k, title, mut info) = lines.iter().enumerate().find_map(|(k, (_, l))| {
        (l.chars().count() <= 80)
            .then(|| super::parse_title(l))
            .flatten()
            .map(|i| (k, l.clone(), i))
    })?;
    let mut title = title;
    if info.unit.is_empty() {
        let before = k
            .checked_sub(1)
            .map(|p| lines[p].1.as_str())
            .filter(|l| UNIT_LINE.is_match(l));
        let closing = lines.windows(2).rev().take(8).find_map(|w| {
            (UNIT_LINE.is_match(&w[0].1) && DATE_LINE.is_match(&w[1].1)).then(|| w[0].1.as_str())
        });
        if let Some(u) = before {
            title = format!("{u}{title}");
            info.unit = u.to_string();
        } else if let Some(u) = closing {
            info.unit = u.to_string();
        }
    }
    Some((title, info))
}

/// Reads headings, title, form and grids; problems are added later by `checks`.
pub(crate) fn parse_structure(text: &str) -> (AnnualReport, ParseNotes) {
    let norm = normalize(text);
    let tk = tokenize(&norm);
    let mut notes = ParseNotes::default();

    // Headings: the first occurrence of each section, at the token it starts in.
    let mut heading: [Option<usize>; 6] = [None; 6];
    let mut heading_line: [Option<usize>; 6] = [None; 6];
    for (li, (start, compact)) in tk.lines.iter().enumerate() {
        for (i, (_, numbered, plain)) in heading_regexes().iter().enumerate() {
            if heading[i].is_some() {
                continue;
            }
            let at = numbered.find(compact).map(|m| m.start()).or_else(|| {
                (compact.chars().count() <= 40 && plain.is_match(compact)).then_some(0)
            });
            if let Some(byte) = at {
                // The token of the line that holds byte `byte` of the compact line.
                let mut off = 0;
                let mut t = *start;
                while t < tk.toks.len() && off + tk.toks[t].len() <= byte {
                    off += tk.toks[t].len();
                    t += 1;
                }
                heading[i] = Some(t);
                heading_line[i] = Some(li);
            }
        }
    }
    let sections_found: Vec<Section> = Section::ALL
        .iter()
        .zip(heading.iter())
        .filter(|(_, h)| h.is_some())
        .map(|(s, _)| *s)
        .collect();
    let sections_missing: Vec<Section> = Section::ALL
        .iter()
        .filter(|s| !sections_found.contains(s))
        .copied()
        .collect();

    let title = title_and_unit(&tk.lines);
    let compact: String = tk.toks.concat();
    let form = detect_form(&compact, title.as_ref().map(|(_, i)| i.year));

    let n = tk.toks.len();
    let next_heading = |from: usize, after: usize| -> usize {
        heading[after..]
            .iter()
            .flatten()
            .copied()
            .filter(|h| *h > from)
            .min()
            .unwrap_or(n)
    };

    // Table 二.
    let t2_start = heading[1]
        .or_else(|| tk.toks.iter().position(|t| t.contains("第二十条")))
        .unwrap_or(0);
    let t2_end = next_heading(t2_start, 2);
    let (table2, t2_cursor) = parse_table2(&tk.toks, t2_start, t2_end, form, &mut notes);

    // Table 三.
    let t3_start = heading[2].unwrap_or(t2_cursor);
    let t3_end = next_heading(t3_start, 3);
    let (table3, t3_cursor) = parse_table3(&tk.toks, t3_start, t3_end, form, &mut notes);

    // Table 四.
    let t4_start = heading[3].unwrap_or(t3_cursor);
    let t4_end = next_heading(t4_start, 4);
    let table4 = parse_table4(&tk.toks, t4_start, t4_end, &mut notes);

    notes.unreadable = unreadable(&notes);

    // Prose for the typo check: every line outside the tables (sections 二–四 hold the
    // tables; without those headings, the lines holding no number).
    let line_toks = |i: usize| -> &[String] {
        let end = tk.lines.get(i + 1).map(|l| l.0).unwrap_or(n);
        &tk.toks[tk.lines[i].0..end]
    };
    notes.prose = tk
        .lines
        .iter()
        .enumerate()
        .filter(|(i, _)| match (heading_line[1], heading_line[4]) {
            (Some(a), Some(b)) if a < b => *i <= a || *i >= b,
            _ => !line_toks(*i).iter().any(|t| is_value(t)),
        })
        .map(|(_, (_, l))| l.as_str())
        .collect::<Vec<_>>()
        .join("\n");

    let report = AnnualReport {
        title: title.as_ref().map(|(t, _)| t.clone()),
        unit: title
            .as_ref()
            .map(|(_, i)| i.unit.clone())
            .filter(|u| !u.is_empty()),
        year: title.as_ref().map(|(_, i)| i.year),
        form,
        manual_review: None,
        sections_found,
        sections_missing,
        table2,
        table3,
        table4,
        problems: Vec::new(),
    };
    (report, notes)
}

/// Why the tables cannot be trusted: numbers glued together, or many rows short of
/// numbers (a PDF whose blank cells vanished, a text rendering that ran cells together).
fn unreadable(notes: &ParseNotes) -> Option<String> {
    if let Some(g) = &notes.glued {
        return Some(format!(
            "表格单元格连在一起（如“{g}”），无法可靠区分各单元格的数字，需人工核查"
        ));
    }
    for t in ["表二", "表三", "表四"] {
        let short: Vec<&String> = notes
            .short_rows
            .iter()
            .filter(|(tt, _)| *tt == t)
            .map(|(_, r)| r)
            .collect();
        if short.len() >= 3 || (t == "表四" && !short.is_empty()) {
            return Some(format!(
                "{t}有{}行读到的数字少于列数（如“{}”），无法确定各数字所在的列，需人工核查",
                short.len(),
                short[0]
            ));
        }
    }
    None
}

/// Records a row's cells, its faults, blanks, shortness and glued numbers.
fn cells(
    raw: &[String],
    kinds: &[(&'static str, Kind)],
    table: &'static str,
    row: &str,
    notes: &mut ParseNotes,
) -> Vec<Cell> {
    if raw.len() < kinds.len() {
        notes.short_rows.push((table, row.to_string()));
    }
    let mut blanks = 0;
    let out: Vec<Cell> = kinds
        .iter()
        .enumerate()
        .map(|(i, (column, kind))| match raw.get(i) {
            Some(r) => {
                if r == EMPTY_CELL {
                    blanks += 1;
                }
                if notes.glued.is_none()
                    && r.len() >= 2
                    && r.starts_with('0')
                    && r.chars().all(|c| c.is_ascii_digit())
                {
                    notes.glued = Some(r.clone());
                }
                if let Some(reason) = cell_fault(r, *kind) {
                    notes.faults.push(CellFault {
                        table,
                        row: row.to_string(),
                        column: column.to_string(),
                        reason,
                    });
                }
                parse_cell(r, *kind)
            }
            None => {
                notes.faults.push(CellFault {
                    table,
                    row: row.to_string(),
                    column: column.to_string(),
                    reason: "缺少数据（该行数字不足）".into(),
                });
                Cell::Missing
            }
        })
        .collect();
    if blanks > 0 {
        match notes.blanks.iter_mut().find(|(t, _, _)| *t == table) {
            Some((_, n, rows)) => {
                *n += blanks;
                rows.push(row.to_string());
            }
            None => notes.blanks.push((table, blanks, vec![row.to_string()])),
        }
    }
    out
}

/// A label glued to its numbers ("1.属于国家秘密0000000"): the text rendering ran the cells
/// together.
fn glued_label(hit: &RowHit) -> Option<String> {
    static GLUED: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"\p{Han}{1,6}\d{4,}").expect("static regex"));
    GLUED.find(&hit.label).map(|m| m.as_str().to_string())
}

fn parse_table2(
    toks: &[String],
    from: usize,
    to: usize,
    form: Form,
    notes: &mut ParseNotes,
) -> (Table2, usize) {
    static RES: LazyLock<Vec<Regex>> = LazyLock::new(|| {
        TABLE2_2021
            .iter()
            .chain(TABLE2_2019.iter())
            .map(|d| Regex::new(d.marker).expect("static regex"))
            .collect()
    });
    let (defs, offset): (&[Table2Def], usize) = match form {
        Form::Y2021 => (&TABLE2_2021, 0),
        Form::Y2019 => (&TABLE2_2019, TABLE2_2021.len()),
    };
    let specs: Vec<RowSpec<'_>> = defs
        .iter()
        .enumerate()
        .map(|(i, d)| RowSpec {
            marker: &RES[offset + i],
            alt: None,
            n: d.columns.len(),
        })
        .collect();
    let (hits, rows_end) = find_rows(toks, from, to, &specs);
    let mut t = Table2::default();
    let mut missing = Vec::new();
    for (d, hit) in defs.iter().zip(hits) {
        let (found, values) = match hit {
            Some(h) => {
                if notes.glued.is_none() {
                    notes.glued = glued_label(&h);
                }
                (true, cells(&h.raw, d.columns, "表二", d.label, notes))
            }
            None => {
                missing.push(d.label.to_string());
                (false, vec![Cell::Missing; d.columns.len()])
            }
        };
        t.rows.push(Table2Row {
            key: d.key,
            label: d.label,
            columns: d.columns.iter().map(|(c, _)| *c).collect(),
            found,
            values,
        });
    }
    let found_any = t.rows.iter().any(|r| r.found);
    if found_any {
        notes
            .rows_missing
            .extend(missing.into_iter().map(|l| ("表二", l)));
    } else {
        notes.tables_missing.push("表二");
    }
    (t, if found_any { rows_end } else { from })
}

const T3_COLS: [(&str, Kind); 7] = [
    ("自然人", Kind::Int),
    ("商业企业", Kind::Int),
    ("科研机构", Kind::Int),
    ("社会公益组织", Kind::Int),
    ("法律服务机构", Kind::Int),
    ("其他", Kind::Int),
    ("总计", Kind::Int),
];

fn parse_table3(
    toks: &[String],
    from: usize,
    to: usize,
    form: Form,
    notes: &mut ParseNotes,
) -> (Table3, usize) {
    static SPLIT_SIGN: LazyLock<Regex> =
        LazyLock::new(|| Regex::new("逾期不补正|不补正|缴纳费用|收费通知").expect("static regex"));
    let region: String = toks[from.min(toks.len())..to.min(toks.len())].concat();
    // The three （六） rows of the 2021 form, or the single row of the 2019 form.
    let split = SPLIT_SIGN.is_match(&region);
    let defs = table3_rows(split);
    if form == Form::Y2021 && !split && region.contains("其他处理") {
        notes.deviations.push((
            "表三",
            "“（六）其他处理”仍按2019年旧表样填为一行（2021年表样分为“1.申请人无正当理由逾期不补正…”“2.申请人逾期未按收费通知要求缴纳费用…”“3.其他”三行），已按一行核对".to_string(),
        ));
    } else if form == Form::Y2019 && split {
        notes.deviations.push((
            "表三",
            "“（六）其他处理”按2021年新表样分为三行（2019年表样为一行），已按三行核对".to_string(),
        ));
    }
    // Table 三's markers by row key (`table3_rows` gives rows of TABLE3_ROWS and
    // OTHER_MERGED), compiled once for every report of every run.
    static REGS: LazyLock<HashMap<&'static str, (Regex, Option<Regex>)>> = LazyLock::new(|| {
        let regs: HashMap<_, _> = TABLE3_ROWS
            .iter()
            .chain([&OTHER_MERGED])
            .map(|d| {
                let marker = Regex::new(d.marker).expect("static marker regex");
                let alt = (!d.alt.is_empty()).then(|| Regex::new(d.alt).expect("static alt regex"));
                (d.key, (marker, alt))
            })
            .collect();
        assert_eq!(
            regs.len(),
            TABLE3_ROWS.len() + 1,
            "table 三's row keys are distinct"
        );
        regs
    });
    let specs: Vec<RowSpec<'_>> = defs
        .iter()
        .map(|d| &REGS[d.key])
        .map(|(m, a)| RowSpec {
            marker: m,
            alt: a.as_ref(),
            n: 7,
        })
        .collect();
    let (hits, rows_end) = find_rows(toks, from, to, &specs);
    let mut t = Table3::empty_of(&defs);
    let mut missing = Vec::new();
    for (i, (def, hit)) in defs.iter().zip(hits).enumerate() {
        match hit {
            Some(h) => {
                if notes.glued.is_none() {
                    notes.glued = glued_label(&h);
                }
                if h.via_alt {
                    notes.deviations.push((
                        "表三",
                        format!(
                            "行标签“{}”与表样“{}”不一致（疑似错字或改写），已按该行核对",
                            h.label.trim(),
                            def.label
                        ),
                    ));
                }
                t.rows[i].found = true;
                let v = cells(&h.raw, &T3_COLS, "表三", def.label, notes);
                t.rows[i].values = std::array::from_fn(|c| v[c].clone());
            }
            None => missing.push(def.label.to_string()),
        }
    }
    let found_any = t.rows.iter().any(|r| r.found);
    if found_any {
        notes
            .rows_missing
            .extend(missing.into_iter().map(|l| ("表三", l)));
    } else {
        notes.tables_missing.push("表三");
    }
    (t, if found_any { rows_end } else { from })
}

fn parse_table4(toks: &[String], from: usize, to: usize, notes: &mut ParseNotes) -> Table4 {
    let to = to.min(toks.len());
    let from = from.min(to);
    let region = &toks[from..to];
    let mut t = Table4::default();
    // The table is there only when its header is: 结果维持 … 总计.
    let header = region.concat();
    if !(header.contains("维持") || header.contains("复议后起诉")) {
        notes.tables_missing.push("表四");
        return t;
    }
    // Numbers follow the last header cell.
    let start = region
        .iter()
        .rposition(|t| {
            !is_value(t)
                && ["总计", "计", "审结", "维持", "纠正", "结果", "起诉"]
                    .iter()
                    .any(|h| t.contains(h))
        })
        .map(|p| p + 1)
        .unwrap_or(0);
    let raw: Vec<String> = region[start..]
        .iter()
        .skip_while(|t| !is_value(t))
        .take_while(|t| is_value(t))
        .take(15)
        .cloned()
        .collect();
    if raw.is_empty() {
        notes.tables_missing.push("表四");
        return t;
    }
    let cols: Vec<(&'static str, Kind)> = super::TABLE4_COLUMNS
        .iter()
        .map(|c| (*c, Kind::Int))
        .collect();
    let chunk = |b: usize| -> Vec<String> { raw.iter().skip(b * 5).take(5).cloned().collect() };
    let mut block = |b: usize| -> [Cell; 5] {
        let v = cells(&chunk(b), &cols, "表四", TABLE4_BLOCKS[b], notes);
        std::array::from_fn(|c| v[c].clone())
    };
    t.review = block(0);
    t.litigation_direct = block(1);
    t.litigation_after_review = block(2);
    t
}

/// The block labels of table 四, in field order.
pub(crate) const TABLE4_BLOCKS: [&str; 3] = [
    "行政复议",
    "行政诉讼（未经复议直接起诉）",
    "行政诉讼（复议后起诉）",
];
