//! The 政府信息公开工作年度报告 parser and checker.
//!
//! Owns: turning one annual report (PDF, DOCX, HTML or plain text) into an [`AnnualReport`]:
//! its title, unit and year, the national [`Form`] it follows (国办公开办函〔2019〕60号 for
//! the reports of 2019 and 2020, 〔2021〕30号 since; recognised by headers and headings, the
//! year deciding only ties), which of the six required section headings it has, the numeric
//! grids of tables 二, 三 and 四 in that form, and every [`Problem`]: missing sections, bad
//! cells, the 勾稽关系 R1–R4 (errors), the R5 carry-over between two years, blank cells,
//! layout deviations from the form and typos in prose (warnings). A report whose tables
//! cannot be read reliably (cells run together) or that is no annual report at all gets
//! [`AnnualReport::manual_review`] and no error. It also owns the `govscore annual-report`
//! command body ([`cli`]).
//!
//! Must not: crawl sites, decide whether a report was published on time, or score anything.
//! Those belong to `crawl`, `checks` and `rules`; they call [`parse_bytes`] / [`parse_title`].
//!
//! Architecture: every input format is first flattened to text lines (a table row becomes one
//! line whose cells are separated by spaces, an empty cell becomes [`EMPTY_CELL`]), then one
//! text parser ([`parse_text`]) reads the sections and grids, so PDF, DOCX and HTML give the
//! same grids for the same report.

mod checks;
pub(crate) mod cli;
mod docx;
pub(crate) use docx::entity_text;
mod html;
mod pdf;
mod render;
mod tables;
mod title;

#[cfg(test)]
mod tests;

use serde::{Serialize, Serializer};

pub use checks::{check_r5, has_errors};
pub use cli::cli;
pub use docx::{docx_text, parse_docx};
pub use html::{html_text, parse_html};
pub use pdf::{PdfReader, pdf_text, pdf_text_using};
pub use render::render_text;
pub use title::{TitleInfo, parse_title};

/// The placeholder a flattened table row carries for an empty cell (so that an empty cell
/// stays in its column instead of shifting the numbers after it). A private-use character:
/// it never occurs in real report text.
pub const EMPTY_CELL: &str = "\u{F8FF}";

/// Errors that stop a report from being read at all (a report that is read but wrong is an
/// [`AnnualReport`] with [`Problem`]s, not an error).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum AnnualError {
    /// The PDF has no text layer: it is a scan.
    #[error("PDF中没有可提取的文字（图片版，需人工核查）")]
    NoText,
    /// The PDF text extractor failed.
    #[error("无法从PDF中提取文字：{0}。请确认文件是完整的PDF，或改用HTML/DOCX版本核查")]
    Pdf(String),
    /// The PDF text extractor did not finish in time.
    #[error("PDF文字提取超过{0}秒未完成，请人工核查该文件")]
    PdfTimeout(u64),
    /// The DOCX archive could not be opened or has no `word/document.xml`.
    #[error("无法读取DOCX文件：{0}。请确认文件是Word 2007及以上格式（.docx），不是.doc/.wps")]
    Docx(String),
    /// A format this parser cannot read (old binary .doc, .wps, images…).
    #[error("不支持的文件格式：{0}。请提供PDF、DOCX、HTML或纯文本版本")]
    Unsupported(String),
}

/// One of the six section headings the 2021 format requires, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Section {
    /// 一、总体情况
    Overview,
    /// 二、主动公开政府信息情况
    Proactive,
    /// 三、收到和处理政府信息公开申请情况
    Requests,
    /// 四、政府信息公开行政复议、行政诉讼情况
    Review,
    /// 五、存在的主要问题及改进情况
    Problems,
    /// 六、其他需要报告的事项
    Other,
}

impl Section {
    /// All six, in report order.
    pub const ALL: [Section; 6] = [
        Section::Overview,
        Section::Proactive,
        Section::Requests,
        Section::Review,
        Section::Problems,
        Section::Other,
    ];

    /// The heading as the national format prints it.
    pub fn label_zh(self) -> &'static str {
        match self {
            Section::Overview => "一、总体情况",
            Section::Proactive => "二、主动公开政府信息情况",
            Section::Requests => "三、收到和处理政府信息公开申请情况",
            Section::Review => "四、政府信息公开行政复议、行政诉讼情况",
            Section::Problems => "五、存在的主要问题及改进情况",
            Section::Other => "六、其他需要报告的事项",
        }
    }
}

/// One numeric cell of a table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cell {
    /// A whole number (negative only where the form allows it, 本年增/减).
    Int(i64),
    /// A money amount (万元) as decimal text with at most four decimals, e.g. "0.1234".
    Money(String),
    /// The row ran out of numbers, or the row was not found.
    Missing,
    /// The report left the cell blank (a table cell with nothing in it): counted as 0 in the
    /// arithmetic, except where the cell is itself a total (then that sum is not checked).
    Blank,
    /// The cell holds something that is not an acceptable number (its raw text).
    Invalid(String),
}

impl Cell {
    /// The whole number, when the cell is a valid one.
    pub fn as_int(&self) -> Option<i64> {
        match self {
            Cell::Int(n) => Some(*n),
            _ => None,
        }
    }
}

impl std::fmt::Display for Cell {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Cell::Int(n) => write!(f, "{n}"),
            Cell::Money(s) => f.write_str(s),
            Cell::Missing => f.write_str("（缺）"),
            Cell::Blank => f.write_str("（空）"),
            Cell::Invalid(s) => write!(f, "“{s}”"),
        }
    }
}

/// JSON: a number, a decimal string, `null` (missing), `""` (blank), or
/// `{"invalid": "raw text"}`.
impl Serialize for Cell {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Cell::Int(n) => s.serialize_i64(*n),
            Cell::Money(m) => s.serialize_str(m),
            Cell::Missing => s.serialize_none(),
            Cell::Blank => s.serialize_str(""),
            Cell::Invalid(raw) => {
                use serde::ser::SerializeMap;
                let mut map = s.serialize_map(Some(1))?;
                map.serialize_entry("invalid", raw)?;
                map.end()
            }
        }
    }
}

/// The national report form a report follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Form {
    /// 国办公开办函〔2019〕60号 (the reports of 2019 and 2020).
    #[serde(rename = "2019")]
    Y2019,
    /// 国办公开办函〔2021〕30号 (the reports of 2021 on).
    #[serde(rename = "2021")]
    Y2021,
}

impl Form {
    /// "2019" or "2021", as report.json spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            Form::Y2019 => "2019",
            Form::Y2021 => "2021",
        }
    }

    /// The circular that set the form, for messages.
    pub fn circular_zh(self) -> &'static str {
        match self {
            Form::Y2019 => "国办公开办函〔2019〕60号",
            Form::Y2021 => "国办公开办函〔2021〕30号",
        }
    }
}

/// One row of table 二 (its columns depend on the form).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Table2Row {
    /// Stable key: `rules`, `normative_docs`, `licensing`, `other_services`, `penalty`,
    /// `coercion`, `fees`, `procurement`.
    pub key: &'static str,
    /// The row label as the form prints it.
    pub label: &'static str,
    /// The column labels.
    pub columns: Vec<&'static str>,
    /// Whether the row was found in the report.
    pub found: bool,
    /// One cell per column (`Missing` when the row was not found).
    pub values: Vec<Cell>,
}

/// Table 二: 主动公开政府信息情况 (第二十条 items), the rows of the report's form in order.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Table2 {
    /// The rows in form order.
    pub rows: Vec<Table2Row>,
}

impl Table2 {
    /// The row with this key.
    pub fn row(&self, key: &str) -> Option<&Table2Row> {
        self.rows.iter().find(|r| r.key == key)
    }
}

/// The seven columns of table 三.
pub const TABLE3_COLUMNS: [&str; 7] = [
    "自然人",
    "商业企业",
    "科研机构",
    "社会公益组织",
    "法律服务机构",
    "其他",
    "总计",
];

/// The five columns of each block of table 四.
pub const TABLE4_COLUMNS: [&str; 5] = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"];

/// One row of table 三.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Table3Row {
    /// Stable key, e.g. `new`, `carried_over`, `public`, `withheld_state_secret`, `total`.
    pub key: &'static str,
    /// The Chinese label as supervisors know it, e.g. "（三）不予公开 1.属于国家秘密".
    pub label: &'static str,
    /// Whether the row was found in the report.
    pub found: bool,
    /// 自然人, 商业企业, 科研机构, 社会公益组织, 法律服务机构, 其他, 总计.
    pub values: [Cell; 7],
}

/// Table 三: 收到和处理政府信息公开申请情况: the rows of the report's form in order (25 in
/// the 2021 form, 23 in the 2019 form or when a 2021 report keeps the single （六）其他处理
/// row); a row the report lacks has `found: false` and `Missing` cells.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Table3 {
    /// The rows in form order.
    pub rows: Vec<Table3Row>,
}

impl Table3 {
    /// The row with this key.
    pub fn row(&self, key: &str) -> Option<&Table3Row> {
        self.rows.iter().find(|r| r.key == key)
    }

    /// The 25 rows of the 2021 form, none found.
    pub fn empty() -> Table3 {
        Table3::empty_of(&tables::table3_rows(true))
    }

    /// The given rows, none found.
    pub(crate) fn empty_of(defs: &[&tables::RowDef]) -> Table3 {
        Table3 {
            rows: defs
                .iter()
                .map(|d| Table3Row {
                    key: d.key,
                    label: d.label,
                    found: false,
                    values: std::array::from_fn(|_| Cell::Missing),
                })
                .collect(),
        }
    }

    /// The row keys of the 2021 form, in form order.
    pub fn keys() -> impl Iterator<Item = &'static str> {
        tables::table3_rows(true).into_iter().map(|d| d.key)
    }
}

impl Default for Table3 {
    fn default() -> Self {
        Table3::empty()
    }
}

/// Table 四: 政府信息公开行政复议、行政诉讼情况; each block is 结果维持, 结果纠正, 其他结果,
/// 尚未审结, 总计.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Table4 {
    /// 行政复议.
    pub review: [Cell; 5],
    /// 行政诉讼 未经复议直接起诉.
    pub litigation_direct: [Cell; 5],
    /// 行政诉讼 复议后起诉.
    pub litigation_after_review: [Cell; 5],
}

impl Default for Table4 {
    fn default() -> Self {
        Table4 {
            review: std::array::from_fn(|_| Cell::Missing),
            litigation_direct: std::array::from_fn(|_| Cell::Missing),
            litigation_after_review: std::array::from_fn(|_| Cell::Missing),
        }
    }
}

/// How bad a problem is. Only errors make `annual-report` exit 2.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ProblemSeverity {
    /// A missing section, an R1–R4 violation or a bad cell.
    Error,
    /// R5, typos in prose, blank cells, layout deviations from the form.
    Warning,
}

/// One thing wrong with a report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// R1 R2 R3 R4 R5 SECTIONS CELL BLANK LAYOUT TYPO (see [`rule_label_zh`]).
    pub rule: String,
    /// Error or warning.
    pub severity: ProblemSeverity,
    /// 表二 / 表三 / 表四, when the problem is in a table.
    pub table: Option<String>,
    /// The row label, when one row is concerned.
    pub row: Option<String>,
    /// The column label, when one column is concerned.
    pub column: Option<String>,
    /// The message for supervisors (Chinese), naming table, row, column and the numbers.
    pub message: String,
}

/// A parsed and checked annual report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AnnualReport {
    /// The report title line, when one was found.
    pub title: Option<String>,
    /// The reporting unit named by the title.
    pub unit: Option<String>,
    /// The reporting year named by the title.
    pub year: Option<i32>,
    /// The national form the report was checked against.
    pub form: Form,
    /// Why the report needs a person (人工核查) instead of an automatic verdict: its tables
    /// cannot be read reliably, or it is not an annual report at all. When set, no
    /// arithmetic, cell or section error is claimed.
    pub manual_review: Option<String>,
    /// Section headings found, in format order.
    pub sections_found: Vec<Section>,
    /// Section headings not found, in format order.
    pub sections_missing: Vec<Section>,
    /// Table 二.
    pub table2: Table2,
    /// Table 三.
    pub table3: Table3,
    /// Table 四.
    pub table4: Table4,
    /// Every problem found, errors and warnings.
    pub problems: Vec<Problem>,
}

/// Parses and checks a report given as text (PDF-extracted or plain).
pub fn parse_text(text: &str) -> AnnualReport {
    let (mut report, notes) = tables::parse_structure(text);
    checks::run_all(&mut report, &notes);
    report
}

/// The Chinese label of a problem code, for what people read (report.json keeps the code).
pub fn rule_label_zh(rule: &str) -> &'static str {
    match rule {
        "R1" => "勾稽关系（申请总数）",
        "R2" => "勾稽关系（行合计）",
        "R3" => "勾稽关系（办理结果合计）",
        "R4" => "勾稽关系（复议诉讼合计）",
        "R5" => "上下年度衔接",
        "SECTIONS" => "缺少章节或表格",
        "CELL" => "单元格错误",
        "BLANK" => "空白单元格",
        "LAYOUT" => "表样不一致",
        "TYPO" => "疑似错别字",
        _ => "其他问题",
    }
}

/// Parses and checks raw bytes, sniffing the format: `%PDF` → PDF, a zip → DOCX, markup →
/// HTML, else text (UTF-8, or GBK/GB18030 guessed by chardetng). `name_or_content_type` (a
/// file name, URL or Content-Type) only decides between HTML and plain text.
pub fn parse_bytes(bytes: &[u8], name_or_content_type: &str) -> Result<AnnualReport, AnnualError> {
    Ok(match sniff(bytes, name_or_content_type)? {
        Format::Pdf => return parse_pdf(bytes, PdfReader::Auto),
        Format::Docx => return parse_docx(bytes),
        Format::Html(text) => parse_html(&text),
        Format::Text(text) => parse_text(&text),
    })
}

/// Parses and checks a PDF read by `reader`. With [`PdfReader::Auto`], pdftotext's reading
/// is used when its tables are complete; otherwise the built-in extractor's reading is tried
/// too and the one with the more complete tables wins.
pub fn parse_pdf(bytes: &[u8], reader: PdfReader) -> Result<AnnualReport, AnnualError> {
    if reader != PdfReader::Auto {
        return Ok(parse_text(&pdf_text_using(bytes, reader)?));
    }
    let first = pdf_text_using(bytes, PdfReader::PdfToText).map(|t| parse_text(&t));
    match &first {
        Ok(r) if completeness(r).0 => return first,
        // Out of time: the PDF goes to a person rather than to a second slow extractor.
        Err(AnnualError::PdfTimeout(_)) => return first,
        _ => {}
    }
    match (
        first,
        pdf_text_using(bytes, PdfReader::BuiltIn).map(|t| parse_text(&t)),
    ) {
        (Ok(a), Ok(b)) => Ok(if completeness(&b) > completeness(&a) {
            b
        } else {
            a
        }),
        (Ok(a), Err(_)) => Ok(a),
        (Err(_), Ok(b)) => Ok(b),
        (Err(AnnualError::Pdf(a)), Err(AnnualError::Pdf(b))) => {
            Err(AnnualError::Pdf(format!("{a}；{b}")))
        }
        (Err(_), Err(e)) => Err(e),
    }
}

/// How completely a reading got the tables: (complete, rows found, −errors).
fn completeness(r: &AnnualReport) -> (bool, usize, i64) {
    let rows = r.table2.rows.iter().filter(|x| x.found).count()
        + r.table3.rows.iter().filter(|x| x.found).count()
        + usize::from(r.table4.review.iter().any(|c| *c != Cell::Missing));
    let errors = r
        .problems
        .iter()
        .filter(|p| p.severity == ProblemSeverity::Error)
        .count();
    let complete = r.manual_review.is_none()
        && r.table2.rows.iter().all(|x| x.found)
        && r.table3.rows.iter().all(|x| x.found)
        && !r
            .problems
            .iter()
            .any(|p| p.rule == "SECTIONS" && p.table.is_some());
    (complete, rows, -(errors as i64))
}

/// Decodes bytes as UTF-8 (BOM or valid), else by chardetng's guess (GBK, GB18030, Big5…).
pub(crate) fn decode_text(bytes: &[u8]) -> String {
    if let Some((enc, bom_len)) = encoding_rs::Encoding::for_bom(bytes) {
        return enc
            .decode_without_bom_handling(&bytes[bom_len..])
            .0
            .into_owned();
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        return s.to_string();
    }
    let mut det = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    det.feed(bytes, true);
    let enc = det.guess(None, chardetng::Utf8Detection::Allow);
    enc.decode_without_bom_handling(bytes).0.into_owned()
}

fn find_sub(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// A document's format as [`sniff`] tells it, with the decoded text of the text formats.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Format {
    /// `%PDF` in the first 1 KB.
    Pdf,
    /// A zip archive (DOCX).
    Docx,
    /// Markup, decoded.
    Html(String),
    /// Plain text, decoded.
    Text(String),
}

/// Tells a document's format from its bytes (magic bytes win over the name: a ".pdf" URL
/// that serves an HTML error page is HTML); `name_or_content_type` (a file name, URL or
/// Content-Type) only decides between HTML and plain text. Old binary Word/WPS files and
/// images are refused. [`parse_bytes`] and `govscore screen` read documents through it.
pub fn sniff(bytes: &[u8], name_or_content_type: &str) -> Result<Format, AnnualError> {
    let hint = name_or_content_type.to_ascii_lowercase();
    let head = &bytes[..bytes.len().min(1024)];
    if find_sub(head, b"%PDF-").is_some() {
        return Ok(Format::Pdf);
    }
    if bytes.starts_with(b"PK\x03\x04") {
        return Ok(Format::Docx);
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
    let lower_head: String = text
        .chars()
        .take(4096)
        .collect::<String>()
        .to_ascii_lowercase();
    let looks_html = hint.contains("html")
        || hint.ends_with(".htm")
        || [
            "<html",
            "<body",
            "<table",
            "<p>",
            "<p ",
            "<div",
            "<!doctype",
        ]
        .iter()
        .any(|m| lower_head.contains(m));
    Ok(if looks_html {
        Format::Html(text)
    } else {
        Format::Text(text)
    })
}
