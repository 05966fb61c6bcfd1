//! 格式差错: 发文字号 year brackets (GB/T 9704-2012 §7.2.5: 机关代字 + 〔年份〕 + 序号 + 号) and
//! punctuation by GB/T 15834-2011 — a half-width period beside 。, doubled ，。、, a half-width
//! comma between Chinese characters, and unpaired “” 《》 （） within a paragraph. ……, ——
//! and ？！ are correct and not matched.

use std::sync::LazyLock;

use regex::Regex;

use super::{Hit, HitKind, Stream, is_han};

const GB9704: &str = "GB/T 9704-2012 §7.2.5";
const GB15834: &str = "GB/T 15834-2011";

/// A year in brackets other than 〔〕 between an issuing body's abbreviation and a number + 号.
static DOC_NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\p{Han}([【\[［(（]((?:19|20)\d{2})[】\]］)）](\d+)号)").expect("static regex")
});

/// Doubled or mixed sentence punctuation.
static PUNCT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\.。|。\.|，{2,}|。{2,}|、{2,}|[，；：、]。|。[，；、]").expect("static regex")
});

/// 发文字号 whose year is not in 六角括号.
pub(crate) fn doc_number_hits(s: &Stream) -> Vec<Hit> {
    DOC_NUMBER
        .captures_iter(&s.text)
        .filter_map(|m| {
            let (whole, year, num) = (m.get(1)?, m.get(2)?, m.get(3)?);
            let (a, b) = (s.char_at(whole.start()), s.char_at(whole.end()));
            Some(s.hit(
                HitKind::Format,
                a,
                b,
                format!(
                    "发文字号年份应使用六角括号，改为“〔{}〕{}号”",
                    year.as_str(),
                    num.as_str()
                ),
                &format!("发文字号（{GB9704}）"),
            ))
        })
        .collect()
}

/// Punctuation slips.
pub(crate) fn punctuation_hits(s: &Stream) -> Vec<Hit> {
    let mut out = Vec::new();
    for m in PUNCT.find_iter(&s.text) {
        let (a, b) = (s.char_at(m.start()), s.char_at(m.end()));
        let found = m.as_str();
        let suggestion = if found.contains('.') {
            "句号与半角句点“.”重复，删去“.”".to_string()
        } else if found.starts_with('。') && found.chars().count() >= 3 {
            "省略号应为“……”".to_string()
        } else if found
            .chars()
            .collect::<std::collections::HashSet<_>>()
            .len()
            > 1
        {
            format!("标点“{found}”连用，只保留一个")
        } else {
            format!(
                "标点“{}”重复，只保留一个",
                &found[..found.len() / found.chars().count()]
            )
        };
        out.push(s.hit(
            HitKind::Format,
            a,
            b,
            suggestion,
            &format!("标点（{GB15834}）"),
        ));
    }
    let c = &s.chars;
    for i in 1..c.len().saturating_sub(1) {
        if c[i] == ',' && is_han(c[i - 1]) && is_han(c[i + 1]) {
            out.push(s.hit(
                HitKind::Format,
                i,
                i + 1,
                "中文语句中的半角逗号“,”应为全角“，”".to_string(),
                &format!("标点（{GB15834}）"),
            ));
        }
    }
    out.extend(unpaired_hits(s));
    out
}

const PAIRS: [(char, char); 3] = [('“', '”'), ('《', '》'), ('（', '）')];

/// Openers without a closer and closers without an opener, per paragraph and per kind of
/// pair, reported on lines of prose only ([`in_prose`]). An opener left open at a paragraph's end may be closed at the start of the next one
/// (a quotation whose line ends in 。), before any new opener of its kind. A closer after a
/// 序次语 at the start of a line (1） a） 一）) needs no opener.
fn unpaired_hits(s: &Stream) -> Vec<Hit> {
    let c = &s.chars;
    let mut out = Vec::new();
    let mut start = 0;
    let mut pending: [Vec<usize>; 3] = Default::default();
    for &end in &s.para_ends {
        let mut open: [Vec<usize>; 3] = Default::default();
        for (i, &ch) in c.iter().enumerate().take(end).skip(start) {
            for (k, &(o, cl)) in PAIRS.iter().enumerate() {
                if ch == o {
                    out.extend(
                        pending[k]
                            .drain(..)
                            .filter_map(|p| unpaired(s, p, o, cl, true)),
                    );
                    open[k].push(i);
                } else if ch == cl
                    && open[k].pop().is_none()
                    && pending[k].pop().is_none()
                    && !is_list_number(s, i)
                {
                    out.extend(unpaired(s, i, o, cl, false));
                }
            }
        }
        for (k, &(o, cl)) in PAIRS.iter().enumerate() {
            out.extend(
                pending[k]
                    .drain(..)
                    .filter_map(|p| unpaired(s, p, o, cl, true)),
            );
            pending[k] = std::mem::take(&mut open[k]);
        }
        start = end;
    }
    for (k, &(o, cl)) in PAIRS.iter().enumerate() {
        out.extend(
            pending[k]
                .iter()
                .filter_map(|&p| unpaired(s, p, o, cl, true)),
        );
    }
    out
}

/// Whether the line of character `i` reads as prose: it has sentence punctuation. Titles,
/// menus and list rows (often cut short: 喜迎“十八大 09-13, 更多》) are not judged.
fn in_prose(s: &Stream, i: usize) -> bool {
    let line = s.pos[i].0;
    let a = s.pos[..i]
        .iter()
        .rposition(|p| p.0 != line)
        .map_or(0, |j| j + 1);
    let b = s.pos[i..]
        .iter()
        .position(|p| p.0 != line)
        .map_or(s.pos.len(), |j| i + j);
    s.chars[a..b].iter().any(|c| "，。；：！？、".contains(*c))
}

/// Whether the opener at `i` starts a title cut short in a list: before any sentence
/// punctuation comes "..."/"…" or a list date (09-13).
fn truncated(s: &Stream, i: usize) -> bool {
    let rest = &s.text[s.offsets[i + 1] as usize..];
    let stop = rest
        .find(['，', '。', '；', '：', '！', '？'])
        .unwrap_or(rest.len());
    TRUNCATED.is_match(&rest[..stop])
}

static TRUNCATED: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\.\.\.|…|\d{1,2}-\d{1,2}").expect("static regex"));

fn unpaired(s: &Stream, i: usize, o: char, cl: char, opener: bool) -> Option<Hit> {
    let more_link = !opener && i >= 2 && s.chars[i - 2..i] == ['更', '多'];
    if !in_prose(s, i) || (opener && truncated(s, i)) || more_link {
        return None;
    }
    let suggestion = if opener {
        format!("“{o}”在本段中没有对应的“{cl}”，请补全或删去")
    } else {
        format!("“{cl}”在本段中没有对应的“{o}”，请补全或删去")
    };
    Some(s.hit(
        HitKind::Format,
        i,
        i + 1,
        suggestion,
        &format!("标点成对使用（{GB15834}）"),
    ))
}

/// Whether the closer at `i` ends a 序次语 that starts its line: 1） a） 一）.
fn is_list_number(s: &Stream, i: usize) -> bool {
    let c = &s.chars;
    let mut j = i;
    while j > 0
        && i - j < 3
        && (c[j - 1].is_ascii_alphanumeric() || "一二三四五六七八九十".contains(c[j - 1]))
    {
        j -= 1;
        if j == 0 || s.pos[j].1 == 1 || s.pos[j - 1].0 != s.pos[j].0 {
            return s.pos[j].0 == s.pos[i].0;
        }
    }
    false
}
