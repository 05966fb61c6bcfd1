//! The 政府信息公开工作年度报告 parser and checker.
//!
//! Owns: turning one annual report (PDF, DOCX, HTML or plain text) into an [`AnnualReport`]:
//! its title, unit and year, which of the six required section headings it has, the
//! numeric grids of tables 二, 三 and 四 of the 2021 national format (国办公开办函〔2021〕30号),
//! and every [`Problem`]: missing sections, bad cells, the 勾稽关系 R1–R4, the R5 carry-over
//! warning between two years, and typo warnings. It also owns the `govscore annual-report`
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
pub use pdf::pdf_text;
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
    /// A non-negative whole number.
    Int(i64),
    /// A money amount (万元) as decimal text with at most four decimals, e.g. "0.1234".
    Money(String),
    /// The cell is empty or its row ran out of numbers.
    Missing,
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
            Cell::Missing => f.write_str("（空）"),
            Cell::Invalid(s) => write!(f, "“{s}”"),
        }
    }
}

/// JSON: a number, a decimal string, `null`, or `{"invalid": "raw text"}`.
impl Serialize for Cell {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Cell::Int(n) => s.serialize_i64(*n),
            Cell::Money(m) => s.serialize_str(m),
            Cell::Missing => s.serialize_none(),
            Cell::Invalid(raw) => {
                use serde::ser::SerializeMap;
                let mut map = s.serialize_map(Some(1))?;
                map.serialize_entry("invalid", raw)?;
                map.end()
            }
        }
    }
}

/// Table 二: 主动公开政府信息情况 (第二十条 items).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Table2 {
    /// 规章: 本年制发件数, 本年废止件数, 现行有效件数.
    pub rules: Option<[Cell; 3]>,
    /// 行政规范性文件: 本年制发件数, 本年废止件数, 现行有效件数.
    pub normative_docs: Option<[Cell; 3]>,
    /// 行政许可 本年处理决定数量.
    pub licensing: Option<Cell>,
    /// 行政处罚 本年处理决定数量.
    pub penalty: Option<Cell>,
    /// 行政强制 本年处理决定数量.
    pub coercion: Option<Cell>,
    /// 行政事业性收费 本年收费金额 (万元, up to four decimals).
    pub fees: Option<Cell>,
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

/// The three columns of the 第二十条第（一）项 rows of table 二.
pub const TABLE2_DOC_COLUMNS: [&str; 3] = ["本年制发件数", "本年废止件数", "现行有效件数"];

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

/// Table 三: 收到和处理政府信息公开申请情况. Always the 25 rows of [`tables::TABLE3_ROWS`] in
/// order; a row the report lacks has `found: false` and `Missing` cells.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Table3 {
    /// The 25 rows in format order.
    pub rows: Vec<Table3Row>,
}

impl Table3 {
    /// The row with this key.
    pub fn row(&self, key: &str) -> Option<&Table3Row> {
        self.rows.iter().find(|r| r.key == key)
    }

    /// The 25 rows, none found.
    pub fn empty() -> Table3 {
        Table3 {
            rows: tables::TABLE3_ROWS
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

    /// The row keys, in format order.
    pub fn keys() -> impl Iterator<Item = &'static str> {
        tables::TABLE3_ROWS.iter().map(|d| d.key)
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
    /// R5 and typos.
    Warning,
}

/// One thing wrong with a report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// R1 R2 R3 R4 R5 SECTIONS CELL TYPO.
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
    checks::run_all(&mut report, &notes, text);
    report
}

/// Parses and checks raw bytes, sniffing the format: `%PDF` → PDF, a zip → DOCX, markup →
/// HTML, else text (UTF-8, or GBK/GB18030 guessed by chardetng). `name_or_content_type` (a
/// file name, URL or Content-Type) only decides between HTML and plain text.
pub fn parse_bytes(bytes: &[u8], name_or_content_type: &str) -> Result<AnnualReport, AnnualError> {
    let hint = name_or_content_type.to_ascii_lowercase();
    let head = &bytes[..bytes.len().min(1024)];
    // Magic bytes win over the name: a ".pdf" URL that serves an HTML error page is HTML.
    if find_sub(head, b"%PDF-").is_some() {
        let text = pdf_text(bytes)?;
        return Ok(parse_text(&text));
    }
    if bytes.starts_with(b"PK\x03\x04") {
        return parse_docx(bytes);
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
    if looks_html {
        Ok(parse_html(&text))
    } else {
        Ok(parse_text(&text))
    }
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
/// images are refused. Used by `govscore screen`; the same rules as [`parse_bytes`].
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
