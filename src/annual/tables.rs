//! Reads the structure of a report from text: the six section headings and the grids of
//! tables 二, 三 and 四. Owns tokenising, row finding and cell parsing. Must not judge the
//! numbers (that is `checks`), and must not know about file formats (callers flatten them).
//!
//! Why tokens and markers: PDF extraction breaks labels and cells arbitrarily
//! ("社会公益\n\n组织", a label wrapped over three lines before its seven numbers). So the
//! region of a table is split into whitespace tokens, adjacent text tokens are glued back
//! together, and each row is found by a short marker ("国家秘密", "逾期不补正") searched in
//! format order from where the previous row ended; its numbers are the value tokens after it.

use std::sync::LazyLock;

use regex::Regex;

use super::{AnnualReport, Cell, EMPTY_CELL, Section, Table2, Table3, Table4};

/// How one row of table 三 is recognised.
pub(crate) struct RowDef {
    /// Stable key.
    pub key: &'static str,
    /// Chinese label.
    pub label: &'static str,
    /// Regex that finds the row's label in glued text.
    marker: &'static str,
}

/// The 25 rows of table 三 in the 2021 format, in order.
pub(crate) static TABLE3_ROWS: [RowDef; 25] = [
    RowDef {
        key: "new",
        label: "一、本年新收政府信息公开申请数量",
        marker: "本年新收",
    },
    RowDef {
        key: "carried_over",
        label: "二、上年结转政府信息公开申请数量",
        marker: "上年结转",
    },
    RowDef {
        key: "public",
        label: "（一）予以公开",
        marker: "予以公开",
    },
    RowDef {
        key: "partial",
        label: "（二）部分公开",
        marker: "部分公开",
    },
    RowDef {
        key: "withheld_state_secret",
        label: "（三）不予公开 1.属于国家秘密",
        marker: "国家秘密",
    },
    RowDef {
        key: "withheld_prohibited",
        label: "（三）不予公开 2.其他法律行政法规禁止公开",
        marker: "禁止公开",
    },
    RowDef {
        key: "withheld_security",
        label: "（三）不予公开 3.危及“三安全一稳定”",
        marker: "三安全一稳定",
    },
    RowDef {
        key: "withheld_third_party",
        label: "（三）不予公开 4.保护第三方合法权益",
        marker: "第三方合法权益",
    },
    RowDef {
        key: "withheld_internal",
        label: "（三）不予公开 5.属于三类内部事务信息",
        marker: "内部事务",
    },
    RowDef {
        key: "withheld_process",
        label: "（三）不予公开 6.属于四类过程性信息",
        marker: "过程性信息",
    },
    RowDef {
        key: "withheld_enforcement",
        label: "（三）不予公开 7.属于行政执法案卷",
        marker: "执法案卷",
    },
    RowDef {
        key: "withheld_inquiry",
        label: "（三）不予公开 8.属于行政查询事项",
        marker: "行政查询",
    },
    RowDef {
        key: "unable_not_held",
        label: "（四）无法提供 1.本机关不掌握相关政府信息",
        marker: "不掌握",
    },
    RowDef {
        key: "unable_needs_creation",
        label: "（四）无法提供 2.没有现成信息需要另行制作",
        marker: "另行制作",
    },
    RowDef {
        key: "unable_unclear",
        label: "（四）无法提供 3.补正后申请内容仍不明确",
        marker: "仍不明确",
    },
    RowDef {
        key: "rejected_petition",
        label: "（五）不予处理 1.信访举报投诉类申请",
        marker: "信访|举报投诉",
    },
    RowDef {
        key: "rejected_repeat",
        label: "（五）不予处理 2.重复申请",
        marker: "重复申请",
    },
    RowDef {
        key: "rejected_publication",
        label: "（五）不予处理 3.要求提供公开出版物",
        marker: "出版物",
    },
    RowDef {
        key: "rejected_mass",
        label: "（五）不予处理 4.无正当理由大量反复申请",
        marker: "大量反复",
    },
    RowDef {
        key: "rejected_confirm",
        label: "（五）不予处理 5.要求行政机关确认或重新出具已获取信息",
        marker: "确认或重新出具",
    },
    RowDef {
        key: "other_no_correction",
        label: "（六）其他处理 1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        marker: "逾期不补正",
    },
    RowDef {
        key: "other_no_fee",
        label: "（六）其他处理 2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        marker: "缴纳费用|收费通知",
    },
    RowDef {
        key: "other_other",
        label: "（六）其他处理 3.其他",
        marker: "其他",
    },
    RowDef {
        key: "total",
        label: "（七）总计",
        marker: "总计",
    },
    RowDef {
        key: "carry_forward",
        label: "四、结转下年度继续办理",
        marker: "结转下年度",
    },
];

/// Keys of the 21 leaf rows whose sum is （七）总计 (R3).
pub(crate) const TABLE3_LEAVES: std::ops::Range<usize> = 2..23;

static MARKERS: LazyLock<Vec<Regex>> = LazyLock::new(|| {
    TABLE3_ROWS
        .iter()
        .map(|d| Regex::new(d.marker).expect("static marker regex"))
        .collect()
});

/// Something that starts a new row inside a glued label: "3.其他", "（四）", "四、".
static ROW_START: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"\d{1,2}[.、]\p{Han}|（[一二三四五六七八九十]）|(?:^|[^\p{Han}])[一二三四五六七八九十]、",
    )
    .expect("static regex")
});

static NUMERIC: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^-?\d[\d,]*(?:\.\d+)?$").expect("static regex"));

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
        || PSEUDO_VALUES.contains(&tok)
        || (!tok.is_empty() && tok.chars().all(|c| HAN_NUMERALS.contains(c)))
}

/// The tokens of a text, with the token index each line starts at.
struct Tokens {
    toks: Vec<String>,
    /// (first token index, compact line text) per non-empty line.
    lines: Vec<(usize, String)>,
}

/// A PDF page number or running footer ("- 3 -", "第 3 页 共 5 页", "3/5"): dropped before
/// tokenising, because a page break inside a table would otherwise put its digits among the
/// cells.
static PAGE_NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*(?:[-—–]\s*\d{1,3}\s*[-—–]|第\s*\d{1,3}\s*页(?:\s*[,，/]?\s*共\s*\d{1,3}\s*页)?|\d{1,3}\s*/\s*\d{1,3})\s*$")
        .expect("static regex")
});

fn tokenize(text: &str) -> Tokens {
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

/// A token range glued into one searchable string.
struct Glued<'a> {
    toks: &'a [String],
    /// Index of `toks[0]` in the whole token list.
    base: usize,
    s: String,
    starts: Vec<usize>,
}

impl<'a> Glued<'a> {
    fn new(all: &'a [String], from: usize, to: usize) -> Glued<'a> {
        let toks = &all[from.min(all.len())..to.min(all.len()).max(from.min(all.len()))];
        let mut s = String::new();
        let mut starts = Vec::with_capacity(toks.len());
        for (i, t) in toks.iter().enumerate() {
            if i > 0 && (is_value(&toks[i - 1]) || is_value(t)) {
                s.push(' ');
            }
            starts.push(s.len());
            s.push_str(t);
        }
        Glued {
            toks,
            base: from,
            s,
            starts,
        }
    }

    /// Index (local) of the token that contains byte `pos`.
    fn tok_at(&self, pos: usize) -> usize {
        match self.starts.binary_search(&pos) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        }
    }

    fn byte_of(&self, local: usize) -> usize {
        self.starts.get(local).copied().unwrap_or(self.s.len())
    }

    /// Finds the row whose label matches `re` at or after byte `from`; returns its raw value
    /// tokens (up to `n`, fewer when the row runs short) and the byte where the row ends.
    fn row(&self, re: &Regex, from: usize, n: usize) -> Option<(Vec<String>, usize)> {
        let m = re.find_at(&self.s, from.min(self.s.len()))?;
        let ti = self.tok_at(m.end().saturating_sub(1));
        let tok_end = self.byte_of(ti) + self.toks[ti].len();
        let mut cont = self.s[m.end().min(tok_end)..tok_end].to_string();
        let mut k = ti + 1;
        while k < self.toks.len() && !is_value(&self.toks[k]) {
            cont.push_str(&self.toks[k]);
            if ROW_START.is_match(&cont) || cont.chars().count() > 120 {
                // The next row began before any number: this row has no values.
                return Some((Vec::new(), m.end()));
            }
            k += 1;
        }
        let mut vals = Vec::new();
        while vals.len() < n && k < self.toks.len() && is_value(&self.toks[k]) {
            vals.push(self.toks[k].clone());
            k += 1;
        }
        Some((vals, self.byte_of(k)))
    }
}

/// Which cell syntax a position accepts.
#[derive(Clone, Copy)]
pub(crate) enum Kind {
    Int,
    Money,
}

/// Parses one raw cell token. Bad text becomes `Invalid`; the reason is given by
/// [`cell_fault`].
pub(crate) fn parse_cell(raw: &str, kind: Kind) -> Cell {
    if raw == EMPTY_CELL {
        return Cell::Missing;
    }
    if cell_fault(raw, kind).is_some() {
        return Cell::Invalid(raw.to_string());
    }
    let clean: String = raw.chars().filter(|c| *c != ',').collect();
    match kind {
        Kind::Int => clean
            .parse::<i64>()
            .map(Cell::Int)
            .unwrap_or_else(|_| Cell::Invalid(raw.to_string())),
        Kind::Money => Cell::Money(clean),
    }
}

/// Why a raw cell is not acceptable (Chinese), or None when it is.
pub(crate) fn cell_fault(raw: &str, kind: Kind) -> Option<String> {
    if raw == EMPTY_CELL {
        return Some("为空，无数据应填0".into());
    }
    if !NUMERIC.is_match(raw) {
        return Some(format!("“{raw}”不是阿拉伯数字，应填写非负数字"));
    }
    if raw.starts_with('-') {
        return Some(format!("“{raw}”为负数，数量不能为负"));
    }
    let clean: String = raw.chars().filter(|c| *c != ',').collect();
    match (kind, clean.split_once('.')) {
        (Kind::Int, Some(_)) => Some(format!("“{raw}”含小数，此处应填整数")),
        (Kind::Money, Some((_, dec))) if dec.len() > 4 => {
            Some(format!("“{raw}”超过4位小数（单位：万元，保留4位小数）"))
        }
        (Kind::Int, None) if clean.parse::<i64>().is_err() => Some(format!("“{raw}”数值过大")),
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

/// What parsing learned beyond the report fields: bad cells and rows not found.
#[derive(Debug, Default)]
pub(crate) struct ParseNotes {
    pub faults: Vec<CellFault>,
    /// (table, row label) of rows not found, when the table itself was found.
    pub rows_missing: Vec<(&'static str, String)>,
    /// Tables with no row found at all.
    pub tables_missing: Vec<&'static str>,
}

fn heading_regexes() -> &'static [(Section, Regex); 6] {
    static H: LazyLock<[(Section, Regex); 6]> = LazyLock::new(|| {
        let p = r"^(?:[一二三四五六七][、.，,：:]?)?";
        let mk = |s: Section, body: &str| {
            (
                s,
                Regex::new(&format!("{p}(?:{body})[^。]{{0,8}}$")).expect("static regex"),
            )
        };
        [
            mk(Section::Overview, "总体情况|基本情况|概述"),
            mk(Section::Proactive, "主动公开政府信息的?情况|主动公开情况"),
            mk(
                Section::Requests,
                "收到和处理政府信息公开申请的?情况|依申请公开情况",
            ),
            mk(
                Section::Review,
                "(?:因)?政府信息公开(?:工作)?(?:被申请)?行政复议、?(?:提起)?行政诉讼的?情况",
            ),
            mk(
                Section::Problems,
                "存在的?(?:主要)?问题(?:及|和|与|以及)改进",
            ),
            mk(Section::Other, "其他需要报告的事项"),
        ]
    });
    &H
}

/// Reads headings, title and grids; problems are added later by `checks` from the notes.
pub(crate) fn parse_structure(text: &str) -> (AnnualReport, ParseNotes) {
    let norm = normalize(text);
    let tk = tokenize(&norm);
    let mut notes = ParseNotes::default();

    // Headings: first line matching each section.
    let mut heading: [Option<usize>; 6] = [None; 6];
    for (start, compact) in &tk.lines {
        if compact.chars().count() > 40 {
            continue;
        }
        for (i, (_, re)) in heading_regexes().iter().enumerate() {
            if heading[i].is_none() && re.is_match(compact) {
                heading[i] = Some(*start);
                break;
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

    // Title: the first short line that reads as an annual-report title.
    let mut title = None;
    for (_, compact) in &tk.lines {
        if compact.chars().count() <= 80
            && let Some(info) = super::parse_title(compact)
        {
            title = Some((compact.clone(), info));
            break;
        }
    }

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
    let (table2, t2_cursor) = parse_table2(&tk.toks, t2_start, t2_end, &mut notes);

    // Table 三.
    let t3_start = heading[2].unwrap_or(t2_cursor);
    let t3_end = next_heading(t3_start, 3);
    let (table3, t3_cursor) = parse_table3(&tk.toks, t3_start, t3_end, &mut notes);

    // Table 四.
    let t4_start = heading[3].unwrap_or(t3_cursor);
    let t4_end = next_heading(t4_start, 4);
    let table4 = parse_table4(&tk.toks, t4_start, t4_end, &mut notes);

    let report = AnnualReport {
        title: title.as_ref().map(|(t, _)| t.clone()),
        unit: title
            .as_ref()
            .map(|(_, i)| i.unit.clone())
            .filter(|u| !u.is_empty()),
        year: title.as_ref().map(|(_, i)| i.year),
        sections_found,
        sections_missing,
        table2,
        table3,
        table4,
        problems: Vec::new(),
    };
    (report, notes)
}

fn cells<const N: usize>(
    raw: &[String],
    kind: Kind,
    table: &'static str,
    row: &str,
    columns: &[&str],
    notes: &mut ParseNotes,
) -> [Cell; N] {
    std::array::from_fn(|i| match raw.get(i) {
        Some(r) => {
            if let Some(reason) = cell_fault(r, kind) {
                notes.faults.push(CellFault {
                    table,
                    row: row.to_string(),
                    column: columns.get(i).unwrap_or(&"").to_string(),
                    reason,
                });
            }
            parse_cell(r, kind)
        }
        None => {
            notes.faults.push(CellFault {
                table,
                row: row.to_string(),
                column: columns.get(i).unwrap_or(&"").to_string(),
                reason: "缺少数据（该行数字不足或单元格为空，无数据应填0）".into(),
            });
            Cell::Missing
        }
    })
}

fn parse_table2(
    toks: &[String],
    from: usize,
    to: usize,
    notes: &mut ParseNotes,
) -> (Table2, usize) {
    static RE: LazyLock<[Regex; 6]> = LazyLock::new(|| {
        [
            "规章",
            "规范性文件",
            "行政许可",
            "行政处罚",
            "行政强制",
            "事业性收费",
        ]
        .map(|p| Regex::new(p).expect("static regex"))
    });
    const LABELS: [&str; 6] = [
        "规章",
        "行政规范性文件",
        "行政许可",
        "行政处罚",
        "行政强制",
        "行政事业性收费",
    ];
    let g = Glued::new(toks, from, to);
    let mut cursor = 0;
    let mut t = Table2::default();
    let mut found_any = false;
    let mut missing = Vec::new();
    let one = ["本年处理决定数量"];
    for (i, re) in RE.iter().enumerate() {
        let (n, kind) = match i {
            0 | 1 => (3, Kind::Int),
            5 => (1, Kind::Money),
            _ => (1, Kind::Int),
        };
        let Some((raw, end)) = g.row(re, cursor, n) else {
            missing.push(LABELS[i].to_string());
            continue;
        };
        found_any = true;
        cursor = end;
        match i {
            0 => {
                t.rules = Some(cells(
                    &raw,
                    kind,
                    "表二",
                    LABELS[i],
                    &super::TABLE2_DOC_COLUMNS,
                    notes,
                ))
            }
            1 => {
                t.normative_docs = Some(cells(
                    &raw,
                    kind,
                    "表二",
                    LABELS[i],
                    &super::TABLE2_DOC_COLUMNS,
                    notes,
                ))
            }
            2 => {
                t.licensing =
                    Some(cells::<1>(&raw, kind, "表二", LABELS[i], &one, notes)[0].clone())
            }
            3 => {
                t.penalty = Some(cells::<1>(&raw, kind, "表二", LABELS[i], &one, notes)[0].clone())
            }
            4 => {
                t.coercion = Some(cells::<1>(&raw, kind, "表二", LABELS[i], &one, notes)[0].clone())
            }
            _ => {
                t.fees = Some(
                    cells::<1>(&raw, kind, "表二", LABELS[i], &["本年收费金额"], notes)[0].clone(),
                )
            }
        }
    }
    if found_any {
        notes
            .rows_missing
            .extend(missing.into_iter().map(|l| ("表二", l)));
    } else {
        notes.tables_missing.push("表二");
    }
    let end_tok = g.base + g.tok_at(cursor);
    (t, if found_any { end_tok } else { from })
}

fn parse_table3(
    toks: &[String],
    from: usize,
    to: usize,
    notes: &mut ParseNotes,
) -> (Table3, usize) {
    let g = Glued::new(toks, from, to);
    let mut t = Table3::empty();
    let mut cursor = 0;
    let mut missing = Vec::new();
    for (i, def) in TABLE3_ROWS.iter().enumerate() {
        match g.row(&MARKERS[i], cursor, 7) {
            Some((raw, end)) => {
                cursor = end;
                t.rows[i].found = true;
                t.rows[i].values = cells(
                    &raw,
                    Kind::Int,
                    "表三",
                    def.label,
                    &super::TABLE3_COLUMNS,
                    notes,
                );
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
    let end_tok = g.base + g.tok_at(cursor);
    (t, if found_any { end_tok } else { from })
}

fn parse_table4(toks: &[String], from: usize, to: usize, notes: &mut ParseNotes) -> Table4 {
    let to = to.min(toks.len());
    let from = from.min(to);
    let region = &toks[from..to];
    // Numbers follow the last header cell.
    let start = region
        .iter()
        .rposition(|t| t.contains("总计") || t.contains("尚未审结") || t.contains("复议后起诉"))
        .map(|p| p + 1)
        .unwrap_or(0);
    let raw: Vec<String> = region[start..]
        .iter()
        .filter(|t| is_value(t))
        .take(15)
        .cloned()
        .collect();
    let mut t = Table4::default();
    if raw.is_empty() {
        notes.tables_missing.push("表四");
        return t;
    }
    const BLOCKS: [&str; 3] = TABLE4_BLOCKS;
    let chunk = |b: usize| -> Vec<String> { raw.iter().skip(b * 5).take(5).cloned().collect() };
    t.review = cells(
        &chunk(0),
        Kind::Int,
        "表四",
        BLOCKS[0],
        &super::TABLE4_COLUMNS,
        notes,
    );
    t.litigation_direct = cells(
        &chunk(1),
        Kind::Int,
        "表四",
        BLOCKS[1],
        &super::TABLE4_COLUMNS,
        notes,
    );
    t.litigation_after_review = cells(
        &chunk(2),
        Kind::Int,
        "表四",
        BLOCKS[2],
        &super::TABLE4_COLUMNS,
        notes,
    );
    t
}

/// The block labels of table 四, in field order.
pub(crate) const TABLE4_BLOCKS: [&str; 3] = [
    "行政复议",
    "行政诉讼（未经复议直接起诉）",
    "行政诉讼（复议后起诉）",
];
