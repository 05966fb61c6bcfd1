//! Content screening of one document's text: 错别字 (a sourced dictionary of confusable forms
//! with the contexts that make them right, and doubled words), 格式差错 (发文字号 brackets,
//! punctuation by GB/T 15834-2011), personal data (条例 第十五条: 身份证号, mobile numbers,
//! bank card numbers), 严重表述错误 (names that must be written exactly: `names.rs`) and 敏感词
//! (dictionaries per category: `sensitive.rs`), each hit with its line, column, context and a
//! Chinese suggestion; and 暗链 in an HTML page (`hidden.rs`).
//!
//! Owns: the [`Screener`] (the dictionaries of a run, compiled once), pure functions over
//! text and HTML, the district's names table and dictionary file formats, and the
//! `govscore screen` command body ([`cli`]). Must not: fetch (except `cli`'s one document),
//! store or score anything; read document formats itself (it uses the text readers of
//! [`crate::annual`]); reading `config.yaml` is `crate::config`'s.
//!
//! Architecture: personal data is found first on the original lines and masked in place
//! (masking keeps every character's position), so no later context can show it; then the
//! masked lines are joined into one stream without whitespace (PDF and wrapped text break
//! words and sentences across lines), every stream character remembering its line and
//! column, and the text checks run over that stream. The 敏感词 pass normalises the stream
//! once more (NFKC, width, case, fillers dropped), each normalised character remembering
//! its stream character.

mod cli;
mod format;
mod hidden;
mod names;
mod pii;
mod sensitive;
mod typos;

use std::sync::LazyLock;

use serde::Serialize;

pub use cli::{cli, document_text, render};
pub use names::BUILTIN_FORMULATIONS;
pub use pii::{luhn_valid, mask_id, mask_mobile, valid_id_number};
pub use sensitive::BUILTIN_SPAM;
pub use typos::{Confusable, DICTIONARY};

/// Characters of context shown on each side of a hit.
pub const CONTEXT_CHARS: usize = 15;

/// What a hit is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum HitKind {
    /// A confusable form from the dictionary (错别字).
    Typo,
    /// A doubled word or character (重复字词).
    Doubled,
    /// A format slip: 发文字号 brackets, punctuation (格式差错).
    Format,
    /// Personal data: 身份证号, mobile number, bank card number (个人信息).
    PersonalData,
    /// A name, title or fixed formulation written wrongly (严重表述错误).
    SeriousError,
    /// A term of a sensitive-word dictionary (敏感词); reports name its category only.
    Sensitive,
    /// A hidden link off government hosts or to spam (暗链).
    HiddenLink,
}

impl HitKind {
    /// The Chinese label.
    pub fn label_zh(self) -> &'static str {
        match self {
            HitKind::Typo => "错别字",
            HitKind::Doubled => "重复字词",
            HitKind::Format => "格式差错",
            HitKind::PersonalData => "个人信息",
            HitKind::SeriousError => "严重表述错误",
            HitKind::Sensitive => "敏感词",
            HitKind::HiddenLink => "暗链",
        }
    }
}

/// One finding in a document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Hit {
    /// What it is.
    pub kind: HitKind,
    /// 1-based line of the document text where the hit starts.
    pub line: usize,
    /// 1-based column (in characters) on that line.
    pub column: usize,
    /// The text found (personal data masked).
    pub found: String,
    /// Up to [`CONTEXT_CHARS`] characters either side, whitespace removed, personal data masked.
    pub context: String,
    /// What to do, in Chinese.
    pub suggestion: String,
    /// Whether the hit is serious (a reason for exit code 2): personal data except an office's
    /// labelled contact number, 严重表述错误, 暗链, and 敏感词 of a dictionary marked serious.
    pub serious: bool,
    /// The rule or dictionary entry that matched, with its source.
    pub source: String,
    /// The dictionary category of a 敏感词 or spam 暗链 hit (博彩, 政治敏感 …): what the
    /// 通报 names instead of the term or URL itself.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
}

/// The screened text as one whitespace-free stream of characters, each with its position.
pub(crate) struct Stream {
    /// The characters.
    pub chars: Vec<char>,
    /// (line, column), both 1-based, of each character.
    pub pos: Vec<(u32, u32)>,
    /// The characters as a string, for pattern matching.
    pub text: String,
    /// Byte offset in `text` of each character (plus the total length at the end).
    pub offsets: Vec<u32>,
    /// Indices of characters that end a line whose text ends a paragraph (see [`Stream::new`]).
    pub para_ends: Vec<usize>,
}

impl Stream {
    /// Joins `lines` without whitespace. A paragraph ends after a line whose last character
    /// is 。！？ or at the end; a line without final punctuation is a wrapped part of the
    /// next one.
    fn new(lines: &[String]) -> Stream {
        let mut chars = Vec::new();
        let mut pos = Vec::new();
        let mut para_ends = Vec::new();
        for (li, line) in lines.iter().enumerate() {
            for (ci, c) in line.chars().enumerate() {
                if !c.is_whitespace() {
                    chars.push(c);
                    pos.push((to_u32(li + 1), to_u32(ci + 1)));
                }
            }
            if matches!(line.trim_end().chars().last(), Some('。' | '！' | '？')) {
                para_ends.push(chars.len());
            }
        }
        para_ends.push(chars.len());
        let text: String = chars.iter().collect();
        let mut offsets: Vec<u32> = text.char_indices().map(|(i, _)| to_u32(i)).collect();
        offsets.push(to_u32(text.len()));
        Stream {
            chars,
            pos,
            text,
            offsets,
            para_ends,
        }
    }

    /// The character index of byte offset `b` of `text`.
    pub fn char_at(&self, b: usize) -> usize {
        self.offsets.partition_point(|&o| (o as usize) < b)
    }

    /// The stream text of characters `a..b`.
    pub fn slice(&self, a: usize, b: usize) -> String {
        self.chars[a..b.min(self.chars.len())].iter().collect()
    }

    /// The context of characters `a..b`: up to [`CONTEXT_CHARS`] either side.
    pub fn context(&self, a: usize, b: usize) -> String {
        self.slice(a.saturating_sub(CONTEXT_CHARS), b + CONTEXT_CHARS)
    }

    /// A hit over characters `a..b`.
    pub fn hit(&self, kind: HitKind, a: usize, b: usize, suggestion: String, source: &str) -> Hit {
        let (line, column) = self.pos[a];
        Hit {
            kind,
            line: line as usize,
            column: column as usize,
            found: self.slice(a, b),
            context: self.context(a, b),
            suggestion,
            serious: false,
            source: source.to_string(),
            category: None,
        }
    }
}

/// Positions are stored as u32 (a document of 4 G characters is far beyond any cap).
fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Whether `c` is a CJK ideograph.
pub(crate) fn is_han(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}' | '\u{F900}'..='\u{FAFF}')
}

/// Screens a document's text with the built-in dictionaries; hits in reading order (line,
/// column).
pub fn screen_text(text: &str) -> Vec<Hit> {
    static BUILTIN: LazyLock<Screener> = LazyLock::new(Screener::builtin);
    BUILTIN.text(text, None)
}

/// The dictionaries of one run, compiled once and shared by every page screened in it:
/// the built-in 错别字 dictionary (static), the 严重表述错误 names table (built-in national
/// formulations plus the district's `screening.names`), the 敏感词 dictionaries (built-in
/// spam lists plus the district's `screening.sensitive`) and the hosts whose hidden links
/// are not 暗链.
pub struct Screener {
    names: names::Compiled,
    sensitive: sensitive::Dictionaries,
    friendly_hosts: Vec<String>,
}

impl Screener {
    /// The built-in dictionaries only.
    pub fn builtin() -> Screener {
        Screener {
            names: names::Compiled::new(names::builtin())
                .unwrap_or_else(|e| panic!("built-in formulations: {e}")),
            sensitive: sensitive::Dictionaries::new(&[])
                .unwrap_or_else(|e| panic!("built-in spam lists: {e}")),
            friendly_hosts: Vec::new(),
        }
    }

    /// The built-in dictionaries plus the district's (`screening` in config.yaml); an
    /// unreadable or malformed file is an error naming the file and the line.
    pub fn from_settings(settings: &crate::config::ScreeningSettings) -> Result<Screener, String> {
        let mut table = names::builtin();
        let district = match &settings.names {
            Some(path) => names::load(path),
            None => Ok(names::Table::default()),
        };
        let sensitive = sensitive::Dictionaries::new(&settings.sensitive);
        let (district, sensitive) = match (district, sensitive) {
            (Ok(d), Ok(s)) => (d, s),
            (d, s) => {
                let errors: Vec<String> = [d.err(), s.err()].into_iter().flatten().collect();
                return Err(errors.join("\n"));
            }
        };
        table.variants.extend(district.variants);
        table.leaders.extend(district.leaders);
        Ok(Screener {
            names: names::Compiled::new(table)?,
            sensitive,
            friendly_hosts: settings.friendly_hosts.clone(),
        })
    }

    /// Screens a document's text published on `published` (a leader's title is judged by
    /// the title valid that day; without a date, today); hits in reading order.
    pub fn text(&self, text: &str, published: Option<chrono::NaiveDate>) -> Vec<Hit> {
        let day = published.unwrap_or_else(|| chrono::Local::now().date_naive());
        let (stream, mut hits) = pii::find_and_mask(text);
        hits.extend(typos::dictionary_hits(&stream));
        hits.extend(typos::doubled_hits(&stream));
        hits.extend(format::doc_number_hits(&stream));
        hits.extend(format::punctuation_hits(&stream));
        hits.extend(self.names.hits(&stream, day));
        hits.extend(self.sensitive.hits(&stream));
        hits.sort_by_key(|h| (h.line, h.column, h.kind));
        hits
    }

    /// Hidden links (暗链) in an HTML page at `page`: links hidden by CSS that point off
    /// government hosts or whose text or URL is spam; in document order.
    pub fn hidden_links(&self, html: &str, page: &url::Url) -> Vec<Hit> {
        self.hidden_links_of(&crate::extract::Parsed::new(html), page)
    }

    /// Like [`Screener::hidden_links`], from a page already parsed (cut as every reader
    /// cuts its input: `crate::extract::bounded`).
    pub fn hidden_links_of(&self, page: &crate::extract::Parsed<'_>, url: &url::Url) -> Vec<Hit> {
        hidden::hidden_links(self, page, url)
    }
}

/// Whether any hit is serious.
pub fn has_serious(hits: &[Hit]) -> bool {
    hits.iter().any(|h| h.serious)
}

#[cfg(test)]
mod tests;
