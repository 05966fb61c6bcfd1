//! Personal data (《政府信息公开条例》第十五条; masking as in the domain notes): 18-digit
//! 身份证号 with a valid province prefix, birth date and GB 11643 check digit; 11-digit mobile
//! numbers 1[3-9]…; bank card numbers of 16–19 digits passing the Luhn check with a bank-card
//! word nearby. Found on the original lines, then masked in place with the same number of
//! characters (ID `41*************123`, mobile `138****1234`, card `6222***********1234`).
//! Digits may be ASCII or full-width. Landlines are not personal data and not matched.

use chrono::NaiveDate;

use super::{Hit, HitKind, Stream};

/// Province codes (the first two digits) of 身份证号: GB/T 2260 provinces, 71 台湾, 81 香港,
/// 82 澳门, 83 (台湾居民居住证).
const PROVINCES: &[u32] = &[
    11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52,
    53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 83,
];

/// Words before a mobile number (same line) that make it a published contact number.
const CONTACT_LABELS: &[&str] = &[
    "电话",
    "联系人",
    "联系方式",
    "手机",
    "热线",
    "咨询",
    "拨打",
    "致电",
    "报名",
    "传真",
];

/// Words that make a Luhn-valid digit run a bank card number (same line before it, or one
/// of the 5 lines above: a table header).
const BANK_WORDS: &[&str] = &[
    "银行卡",
    "卡号",
    "账号",
    "帐号",
    "银行账户",
    "开户行",
    "储蓄卡",
    "借记卡",
    "信用卡",
    "社保卡",
];

/// Whether `id` (18 characters) is a valid 身份证号: province, birth date, check digit.
pub fn valid_id_number(id: &str) -> bool {
    let c: Vec<char> = id.chars().collect();
    if c.len() != 18 || !c[..17].iter().all(|x| x.is_ascii_digit()) {
        return false;
    }
    let d: Vec<u32> = c[..17].iter().filter_map(|x| x.to_digit(10)).collect();
    if !PROVINCES.contains(&(d[0] * 10 + d[1])) {
        return false;
    }
    let num = |r: std::ops::Range<usize>| r.fold(0u32, |acc, i| acc * 10 + d[i]);
    let year = num(6..10);
    if !(1900..=2099).contains(&year)
        || NaiveDate::from_ymd_opt(year as i32, num(10..12), num(12..14)).is_none()
    {
        return false;
    }
    const W: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = d.iter().zip(W).map(|(a, b)| a * b).sum();
    let check = b"10X98765432"[(sum % 11) as usize] as char;
    c[17].to_ascii_uppercase() == check
}

/// The Luhn check of a digit string.
pub fn luhn_valid(digits: &str) -> bool {
    let mut sum = 0;
    for (i, ch) in digits.chars().rev().enumerate() {
        let Some(mut d) = ch.to_digit(10) else {
            return false;
        };
        if i % 2 == 1 {
            d *= 2;
            if d > 9 {
                d -= 9;
            }
        }
        sum += d;
    }
    !digits.is_empty() && sum % 10 == 0
}

/// An ID number masked: first 2 and last 3 characters kept.
pub fn mask_id(id: &str) -> String {
    mask(id, 2, 3)
}

/// A mobile number masked: first 3 and last 4 digits kept.
pub fn mask_mobile(m: &str) -> String {
    mask(m, 3, 4)
}

/// A full-width digit or Ｘ as its ASCII form; any other character as it is.
fn half_width(c: char) -> char {
    match c {
        '０'..='９' | 'Ｘ' | 'ｘ' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        _ => c,
    }
}

fn mask(s: &str, head: usize, tail: usize) -> String {
    let n = s.chars().count();
    s.chars()
        .enumerate()
        .map(|(i, c)| if i < head || i + tail >= n { c } else { '*' })
        .collect()
}

/// Which personal data a digit run is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pii {
    Id,
    Mobile { labelled: bool },
    BankCard,
}

/// One personal-data span on a line.
struct Span {
    line: usize,
    col: usize,
    len: usize,
    what: Pii,
}

/// Finds personal data, masks it in the lines and returns the stream of the masked lines
/// and the personal-data hits on it.
pub(crate) fn find_and_mask(text: &str) -> (Stream, Vec<Hit>) {
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let mut spans = Vec::new();
    for (li, line) in lines.iter().enumerate() {
        // Full-width digits (１３８…, common in Word drafts) are read as digits; one char for
        // one char, so positions stay those of the line.
        let c: Vec<char> = line.chars().map(half_width).collect();
        let mut i = 0;
        while i < c.len() {
            if !c[i].is_ascii_digit() || (i > 0 && c[i - 1].is_ascii_alphanumeric()) {
                i += 1;
                continue;
            }
            let mut j = i;
            while j < c.len() && c[j].is_ascii_digit() {
                j += 1;
            }
            if j - i == 17 && c.get(j).is_some_and(|x| *x == 'X' || *x == 'x') {
                j += 1;
            }
            let run: String = c[i..j].iter().collect();
            // Part of a larger token or a number (13512344432.52元, 1,234…) is no personal data.
            let digit_at = |k: usize| c.get(k).is_some_and(|x| x.is_ascii_digit());
            let bounded = c.get(j).is_none_or(|x| !x.is_ascii_alphanumeric())
                && !(matches!(c.get(j), Some('.' | ',')) && digit_at(j + 1))
                && !(i >= 2 && matches!(c[i - 1], '.' | ',') && digit_at(i - 2))
                && !matches!(c.get(j), Some('元' | '万' | '亿' | '%'));
            let before: String = c[i.saturating_sub(20)..i].iter().collect();
            let what = if !bounded {
                None
            } else if run.len() == 18 && valid_id_number(&run) {
                Some(Pii::Id)
            } else if run.len() == 11 && run.starts_with('1') && matches!(c[i + 1], '3'..='9') {
                Some(Pii::Mobile {
                    labelled: CONTACT_LABELS.iter().any(|l| before.contains(l)),
                })
            } else if (16..=19).contains(&run.len())
                && luhn_valid(&run)
                && lines[li.saturating_sub(5)..li]
                    .iter()
                    .map(String::as_str)
                    .chain([c[..i].iter().collect::<String>().as_str()])
                    .any(|l| BANK_WORDS.iter().any(|w| l.contains(w)))
            {
                Some(Pii::BankCard)
            } else {
                None
            };
            if let Some(what) = what {
                spans.push(Span {
                    line: li,
                    col: i,
                    len: j - i,
                    what,
                });
            }
            i = j;
        }
    }
    for sp in &spans {
        let (head, tail) = match sp.what {
            Pii::Id => (2, 3),
            Pii::Mobile { .. } => (3, 4),
            Pii::BankCard => (4, 4),
        };
        let mut c: Vec<char> = lines[sp.line].chars().collect();
        let run: String = c[sp.col..sp.col + sp.len].iter().collect();
        c.splice(sp.col..sp.col + sp.len, mask(&run, head, tail).chars());
        lines[sp.line] = c.into_iter().collect();
    }
    let stream = Stream::new(&lines);
    let hits = spans
        .iter()
        .map(|sp| {
            let a = stream
                .pos
                .partition_point(|&(l, c)| (l as usize, c as usize) < (sp.line + 1, sp.col + 1));
            let (suggestion, serious) = match sp.what {
                Pii::Id => ("公开前删除或隐藏身份证号（去标识化）", true),
                Pii::BankCard => ("公开前删除或隐藏银行卡号", true),
                Pii::Mobile { labelled: true } => (
                    "请确认是否为单位对外公布的联系电话；个人手机号应隐藏",
                    false,
                ),
                Pii::Mobile { labelled: false } => ("公开前删除或隐藏个人手机号", true),
            };
            let what = match sp.what {
                Pii::Id => "身份证号",
                Pii::BankCard => "银行卡号",
                Pii::Mobile { .. } => "手机号",
            };
            let mut h = stream.hit(
                HitKind::PersonalData,
                a,
                a + sp.len,
                suggestion.to_string(),
                &format!("个人信息：{what}（《政府信息公开条例》第十五条）"),
            );
            h.serious = serious;
            h
        })
        .collect();
    (stream, hits)
}
