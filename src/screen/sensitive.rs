//! 敏感词: dictionaries per category, matched after normalisation, compiled once into one
//! Aho–Corasick automaton per screener.
//!
//! Dictionary syntax (a UTF-8 text file per category, and the built-in spam lists):
//! one term a line; `#` at the start of a line makes it a comment; blank lines are ignored;
//! `term | allowed context | another` lists texts around the term in which it is not a hit
//! (each must contain the term). Terms and texts are normalised the same way: NFKC (which
//! also folds full-width letters and digits to half-width), lower case, and every character
//! that is neither a letter, a digit nor a CJK ideograph dropped — so spaces or symbols
//! inserted between characters (`法*轮`, `b e t 3 6 5`) do not hide a term, nor do quotation
//! marks (“激情裸聊”敲诈 reads as 激情裸聊敲诈). Sentence punctuation (，。、；：？！ and their
//! half-width forms, 《》, brackets, …, —) is kept: a term never matches across it (办法，轮流
//! and 办法,轮流 are no hits for 法轮). Every normalised character remembers the original one it
//! came from, so hits show the original line, column and context.

use std::path::Path;

use aho_corasick::{AhoCorasick, MatchKind};
use unicode_normalization::UnicodeNormalization;

use super::{Hit, HitKind, Stream};

/// Characters kept as they are: a term never matches across them. Quotation marks are not
/// among them (they are dropped like other symbols).
fn is_barrier(c: char) -> bool {
    matches!(
        c,
        '，' | '。'
            | ','
            | ';'
            | ':'
            | '?'
            | '!'
            | '('
            | ')'
            | '、'
            | '；'
            | '：'
            | '？'
            | '！'
            | '《'
            | '》'
            | '（'
            | '）'
            | '【'
            | '】'
            | '〔'
            | '〕'
            | '〈'
            | '〉'
            | '…'
            | '—'
    )
}

/// Appends the normalised form of `c` to `out` (nothing for a filler character).
fn normalize_char(c: char, out: &mut Vec<char>) {
    match c {
        // Fast paths: characters NFKC leaves alone (the unified ideographs, not the
        // compatibility ones), and ASCII.
        'a'..='z' | '0'..='9' | '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}' => {
            out.push(c);
            return;
        }
        'A'..='Z' => {
            out.push(c.to_ascii_lowercase());
            return;
        }
        _ if is_barrier(c) => {
            out.push(c);
            return;
        }
        _ if c.is_ascii() => return,
        _ => {}
    }
    for d in std::iter::once(c).nfkc() {
        for l in d.to_lowercase() {
            if l.is_alphanumeric() {
                out.push(l);
            }
        }
    }
}

/// `chars` normalised, with the index in `chars` each normalised character came from.
pub(crate) fn normalize(chars: impl IntoIterator<Item = char>) -> (Vec<char>, Vec<usize>) {
    let mut norm = Vec::new();
    let mut origin = Vec::new();
    for (i, c) in chars.into_iter().enumerate() {
        let before = norm.len();
        normalize_char(c, &mut norm);
        origin.extend(std::iter::repeat_n(i, norm.len() - before));
    }
    (norm, origin)
}

fn normalized_string(s: &str) -> String {
    normalize(s.chars()).0.into_iter().collect()
}

/// One category's dictionary.
#[derive(Debug, Clone)]
pub(crate) struct Category {
    pub name: String,
    pub serious: bool,
    /// The file (or the built-in list's source).
    pub source: String,
    /// A built-in spam category (暗链 by text or URL).
    pub spam: bool,
}

/// One term.
#[derive(Debug, Clone)]
struct Term {
    category: usize,
    /// 1-based line in its dictionary.
    line: usize,
    /// Allowed contexts, normalised, with the character offset of the term in each.
    allowed: Vec<(Vec<char>, usize)>,
}

/// The compiled dictionaries of a screener.
pub(crate) struct Dictionaries {
    pub categories: Vec<Category>,
    terms: Vec<Term>,
    matcher: Option<AhoCorasick>,
}

/// The built-in spam categories: (category, source, lines in dictionary syntax). Only
/// wordings of spam itself: a government page reporting on gambling or pornography cases
/// (打击网络赌博, 扫黄打非, 警惕裸聊敲诈) must not hit, so words such as 赌场, 百家乐, 六合彩,
/// 在线博彩, 约炮, 色情直播 or 代开发票 alone (税务机关代开发票 is a tax service) are not here.
pub const BUILTIN_SPAM: &[(&str, &str, &[&str])] = &[
    (
        "博彩",
        "《中华人民共和国刑法》第三百零三条（赌博罪、开设赌场罪）；赌博网站广告用语",
        &[
            "真人荷官",
            "注册送彩金",
            "首存送彩金",
            "澳门新葡京",
            "新葡京娱乐",
            "葡京娱乐场",
            "威尼斯人娱乐",
            "太阳城娱乐",
            "金沙娱乐场",
            "皇冠体育投注",
            "亚博体育",
            "开元棋牌",
            "bet365",
        ],
    ),
    (
        "色情广告",
        "《中华人民共和国治安管理处罚法》第六十八条（利用计算机信息网络传播淫秽信息）；色情网站广告用语",
        &[
            "同城约炮",
            "激情裸聊 | 激情裸聊诈骗 | 激情裸聊敲诈",
            "裸聊直播",
            "无码高清",
            "看片神器",
            "午夜福利视频",
            "成人av",
            "av女优",
        ],
    ),
    (
        "代开发票",
        "《中华人民共和国发票管理办法》（禁止虚开、非法代开发票）；非法发票广告用语",
        &[
            "代开各类发票",
            "代开各种发票",
            "代开全国发票",
            "代开正规发票",
            "发票可验证",
            "验票后付款",
            "先验票后付款",
            "开票点数优惠",
        ],
    ),
];

/// Reads the lines of one dictionary into `terms`/`patterns`; problems as "file:line: …".
fn read_lines<'a>(
    lines: impl Iterator<Item = &'a str>,
    file: &str,
    category: usize,
    patterns: &mut Vec<String>,
    terms: &mut Vec<Term>,
    problems: &mut Vec<String>,
) {
    for (i, raw) in lines.enumerate() {
        let line = i + 1;
        let raw = raw.trim_start_matches('\u{feff}').trim();
        if raw.is_empty() || raw.starts_with('#') {
            continue;
        }
        let mut parts = raw.split('|').map(str::trim);
        let term = parts.next().unwrap_or_default();
        let norm = normalized_string(term);
        if norm.chars().count() < 2 {
            problems.push(format!(
                "{file}:{line}: 词条 `{term}` 规范化后不足两个字（只计文字和数字），会匹配大量正常文字"
            ));
            continue;
        }
        if norm.chars().any(is_barrier) {
            problems.push(format!(
                "{file}:{line}: 词条 `{term}` 含有句读标点（，。、；：？！等），标点两边的文字不会被当作一个词匹配"
            ));
            continue;
        }
        let mut allowed = Vec::new();
        for ctx in parts {
            let cn: Vec<char> = normalize(ctx.chars()).0;
            let tn: Vec<char> = norm.chars().collect();
            match cn.windows(tn.len()).position(|w| w == tn.as_slice()) {
                Some(k) => allowed.push((cn, k)),
                None => problems.push(format!(
                    "{file}:{line}: 允许的上下文 `{ctx}` 不包含词条 `{term}`（每个上下文都应包含词条本身）"
                )),
            }
        }
        patterns.push(norm);
        terms.push(Term {
            category,
            line,
            allowed,
        });
    }
}

impl Dictionaries {
    /// The built-in spam lists plus the operator's dictionaries; every problem of every
    /// file is returned at once.
    pub(crate) fn new(
        operator: &[crate::config::SensitiveDictionary],
    ) -> Result<Dictionaries, String> {
        let mut categories = Vec::new();
        let mut patterns = Vec::new();
        let mut terms = Vec::new();
        let mut problems = Vec::new();
        for (name, source, lines) in BUILTIN_SPAM {
            categories.push(Category {
                name: name.to_string(),
                serious: true,
                source: source.to_string(),
                spam: true,
            });
            let file = format!("<built-in>/{name}");
            let k = categories.len() - 1;
            read_lines(
                lines.iter().copied(),
                &file,
                k,
                &mut patterns,
                &mut terms,
                &mut problems,
            );
        }
        for d in operator {
            let file = d.path.display().to_string();
            match read_file(&d.path, &file) {
                Ok(text) => {
                    categories.push(Category {
                        name: d.category.clone(),
                        serious: d.serious,
                        source: file.clone(),
                        spam: false,
                    });
                    let k = categories.len() - 1;
                    read_lines(
                        text.lines(),
                        &file,
                        k,
                        &mut patterns,
                        &mut terms,
                        &mut problems,
                    );
                }
                Err(e) => problems.push(e),
            }
        }
        if !problems.is_empty() {
            return Err(problems.join("\n"));
        }
        let matcher = if patterns.is_empty() {
            None
        } else {
            Some(
                AhoCorasick::builder()
                    .match_kind(MatchKind::LeftmostLongest)
                    .build(&patterns)
                    .map_err(|e| format!("敏感词词库无法编译：{e}"))?,
            )
        };
        Ok(Dictionaries {
            categories,
            terms,
            matcher,
        })
    }

    /// Matches in normalised characters: (start, end, term index), allowed contexts removed.
    fn matches(&self, norm: &[char]) -> Vec<(usize, usize, usize)> {
        let Some(ac) = &self.matcher else {
            return Vec::new();
        };
        let text: String = norm.iter().collect();
        let mut offsets: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
        offsets.push(text.len());
        let at = |b: usize| offsets.partition_point(|&o| o < b);
        ac.find_iter(&text)
            .filter_map(|m| {
                let t = m.pattern().as_usize();
                let (a, b) = (at(m.start()), at(m.end()));
                let allowed = self.terms[t].allowed.iter().any(|(ctx, k)| {
                    a >= *k && norm.get(a - k..a - k + ctx.len()) == Some(ctx.as_slice())
                });
                (!allowed).then_some((a, b, t))
            })
            .collect()
    }

    /// 敏感词 hits in a stream.
    pub(crate) fn hits(&self, s: &Stream) -> Vec<Hit> {
        if self.matcher.is_none() {
            return Vec::new();
        }
        let (norm, origin) = normalize(s.chars.iter().copied());
        self.matches(&norm)
            .into_iter()
            .map(|(a, b, t)| {
                let term = &self.terms[t];
                let cat = &self.categories[term.category];
                let mut h = s.hit(
                    HitKind::Sensitive,
                    origin[a],
                    origin[b - 1] + 1,
                    format!("含“{}”类敏感词，请核实并删改", cat.name),
                    &format!(
                        "敏感词词库“{}”（{}，第{}行）",
                        cat.name, cat.source, term.line
                    ),
                );
                h.serious = cat.serious;
                h.category = Some(cat.name.clone());
                h
            })
            .collect()
    }

    /// The category of the first spam term in `text` (a link's text or URL), if any.
    pub(crate) fn spam_category(&self, text: &str) -> Option<&str> {
        let (norm, _) = normalize(text.chars());
        self.matches(&norm)
            .into_iter()
            .map(|(_, _, t)| &self.categories[self.terms[t].category])
            .find(|c| c.spam)
            .map(|c| c.name.as_str())
    }
}

/// A dictionary file as UTF-8 text; the error names the file.
fn read_file(path: &Path, file: &str) -> Result<String, String> {
    crate::config::yaml::read_text(
        path,
        file,
        "敏感词词库",
        "请检查 config.yaml 中 screening.sensitive 的路径",
    )
    .map_err(|d| crate::config::render_diagnostics(&[d]))
}
