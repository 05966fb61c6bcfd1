//! Reads the reporting year and unit from an annual report's title. Owns the title patterns
//! of cms-patterns.md §4; must not fetch or parse report bodies.

use std::sync::LazyLock;

use regex::Regex;
use serde::Serialize;

/// What a title says about its report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TitleInfo {
    /// The reporting year (the year the report covers, not the publication year).
    pub year: i32,
    /// The unit the title names, e.g. "孟津区人民政府办公室"; empty when the title names none.
    pub unit: String,
}

impl TitleInfo {
    /// Whether the title can belong to the unit called `name` (a site's configured name):
    /// true when the title names no unit, or when one name contains the other after the
    /// generic endings 人民政府办公室 / 人民政府 / 办事处 are dropped ("区统计局" fits
    /// "孟津区统计局"; "孟津区统计局" does not fit "孟津区人民政府"). A government's office
    /// (人民政府办公室/办公厅) is a unit of its own: its report does not belong to the
    /// government (人民政府) itself, nor the government's to its office.
    pub fn matches_unit(&self, name: &str) -> bool {
        fn core(s: &str) -> String {
            let s: String = s.chars().filter(|c| !c.is_whitespace()).collect();
            let mut s = s.as_str();
            for suffix in [
                "人民政府办公室",
                "人民政府办公厅",
                "人民政府",
                "政府办公室",
                "政府办公厅",
                "办事处",
                "政府",
            ] {
                if let Some(rest) = s.strip_suffix(suffix) {
                    s = rest;
                    break;
                }
            }
            s.to_string()
        }
        /// A government's office (办公室/办公厅 of a 政府).
        fn is_office(s: &str) -> bool {
            let s: String = s.chars().filter(|c| !c.is_whitespace()).collect();
            ["政府办公室", "政府办公厅", "政府办"]
                .iter()
                .any(|e| s.ends_with(e))
        }
        if self.unit.is_empty() {
            return true;
        }
        if is_office(&self.unit) != is_office(name) {
            return false;
        }
        let (a, b) = (core(&self.unit), core(name));
        if a.is_empty() || b.is_empty() {
            return a == b;
        }
        a == b
            || (a.ends_with(&b) || b.ends_with(&a)) && {
                // "区统计局" vs "孟津区统计局": the shorter must still name a unit kind, not be a
                // bare place word that every unit of the district ends with.
                let shorter = if a.len() < b.len() { &a } else { &b };
                shorter.chars().count() >= 3
            }
    }
}

static YEAR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"((?:19|20)\d{2}|[〇零○Ｏ一二三四五六七八九]{4})\s*年度?").expect("static regex")
});
static SUFFIX: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:[（(][^（）()]{0,8}版[）)]|\.(?:pdf|docx?|wps|html?)|[_\-|—].*)$")
        .expect("static regex")
});
static KIND: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:政府)?信息公开(?:工作)?(?:年度报告|年报)$").expect("static regex")
});

fn han_year(s: &str) -> Option<i32> {
    if s.chars().all(|c| c.is_ascii_digit()) {
        return s.parse().ok();
    }
    let mut y = 0;
    for c in s.chars() {
        let d = match c {
            '〇' | '零' | '○' | 'Ｏ' => 0,
            '一' => 1,
            '二' => 2,
            '三' => 3,
            '四' => 4,
            '五' => 5,
            '六' => 6,
            '七' => 7,
            '八' => 8,
            '九' => 9,
            _ => return None,
        };
        y = y * 10 + d;
    }
    Some(y)
}

fn clean_unit(s: &str) -> String {
    let s = s.trim_matches(|c: char| c.is_whitespace() || "《》“”\"'：:、，,。·-_".contains(c));
    let s = s.strip_prefix("关于").unwrap_or(s);
    let s = s.strip_suffix("的").unwrap_or(s);
    s.to_string()
}

/// Parses an annual-report title: "{单位}{YYYY}年政府信息公开工作年度报告",
/// "{单位}{YYYY}年度…", "{YYYY}年{单位}政府信息公开工作年度报告", "…政府信息公开年度报告",
/// "…信息公开年报", with suffixes such as （图片版）（修订版）and a file extension tolerated.
/// Chinese-numeral years (二〇二二年) are accepted. Anything else, notably
/// 《政府网站工作年度报表》, gives None.
pub fn parse_title(title: &str) -> Option<TitleInfo> {
    let mut t: String = title.chars().filter(|c| !c.is_whitespace()).collect();
    // An archive's or CMS's field label before the title: "标题: …".
    for label in ["标题:", "标题：", "题目:", "题目："] {
        if let Some(rest) = t.strip_prefix(label) {
            t = rest.to_string();
        }
    }
    if let Some(rest) = t.strip_prefix("附件") {
        t = rest
            .trim_start_matches(|c: char| c.is_ascii_digit() || "：:.、".contains(c))
            .to_string();
    }
    // Strip suffixes repeatedly: "…报告（图片版）.pdf".
    loop {
        let stripped = SUFFIX.replace(&t, "").to_string();
        let stripped = stripped.trim_end_matches(['》', '"', '”']).to_string();
        if stripped == t {
            break;
        }
        t = stripped;
    }
    let t = t.trim_start_matches(['《', '"', '“']).to_string();
    let kind = KIND.find(&t)?;
    let head = &t[..kind.start()];
    let y = YEAR.captures(head)?;
    let (whole, ystr) = (y.get(0)?, y.get(1)?);
    let year = han_year(ystr.as_str())?;
    if !(2000..=2100).contains(&year) {
        return None;
    }
    let before = clean_unit(&head[..whole.start()]);
    let after = clean_unit(&head[whole.end()..]);
    let unit = if !before.is_empty() { before } else { after };
    Some(TitleInfo { year, unit })
}
