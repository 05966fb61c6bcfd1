//! Charset detection and decoding of fetched bytes (crates.md R2, cms-patterns.md §6).
//!
//! Owns the one decision "which encoding are these bytes in", in this order:
//! byte-order mark → `charset` of the HTTP `Content-Type` → `<meta charset>` /
//! `<meta http-equiv="Content-Type" content="…; charset=…">` in the first 1024 bytes
//! (then, as a fallback, the first 4096) → a chardetng guess with the `cn` TLD hint.
//! Labels go through `encoding_rs::Encoding::for_label`, so `gb2312`/`gbk` get the
//! GBK decoder, which also reads GB18030 sequences.
//!
//! Before any of that, UTF-32 and UTF-16 are recognised by their byte-order mark or, without
//! one, by the pattern of NUL bytes markup leaves in them; in every other encoding a NUL is
//! stray (a CMS bug) and is dropped. Invalid sequences decode lossily (U+FFFD) and are
//! flagged; [`unreadable_reason`] says when what came out is not text at all.
//!
//! Pure: no I/O, no network, never panics on any input. It must not treat words in the
//! page's text (a font name such as `仿宋_GB2312`) as a charset signal: only a `charset`
//! parameter inside a `<meta>` tag counts.

use chardetng::{EncodingDetector, Iso2022JpDetection, Utf8Detection};
use encoding_rs::{Encoding, UTF_8, WINDOWS_1252};

/// Bytes decoded to text, with the encoding used and whether any byte sequence was invalid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    /// The decoded text (invalid sequences become U+FFFD).
    pub text: String,
    /// The canonical name of the encoding used, e.g. `UTF-8` or `GBK`.
    pub encoding: &'static str,
    /// True when the decoder met malformed input (a garbled page is itself a finding).
    pub had_errors: bool,
}

/// How far into the document the `<meta>` prescan looks first (the HTML standard's 1024).
const META_PRESCAN_BYTES: usize = 1024;
/// The fallback prescan length, for legacy pages with long `<head>` preambles.
const META_FALLBACK_BYTES: usize = 4096;

/// Decodes `bytes` following the order in the module docs. `content_type` is the raw
/// `Content-Type` header value, if any.
pub fn decode(bytes: &[u8], content_type: Option<&str>) -> Decoded {
    if let Some(wide) = Wide::by_bom(bytes).or_else(|| Wide::by_nuls(bytes)) {
        return wide.decode(bytes);
    }
    if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        return run(encoding, &bytes[bom_len..]);
    }
    let declared = content_type.and_then(header_charset);
    if let Some(utf16) =
        declared.filter(|e| *e == encoding_rs::UTF_16LE || *e == encoding_rs::UTF_16BE)
    {
        return run(utf16, bytes);
    }
    let stripped;
    let bytes = if bytes.contains(&0) {
        stripped = bytes
            .iter()
            .copied()
            .filter(|b| *b != 0)
            .collect::<Vec<u8>>();
        &stripped[..]
    } else {
        bytes
    };
    let encoding = declared
        .or_else(|| meta_charset(bytes))
        .unwrap_or_else(|| sniff(bytes));
    run(encoding, bytes)
}

/// How many leading characters [`unreadable_reason`] looks at.
const READABILITY_SAMPLE_CHARS: usize = 8192;
/// The share of control characters and U+FFFD above which decoded bytes are not text.
const MAX_GARBAGE_PERCENT: usize = 10;

/// Why `decoded` is not text at all (a binary body, a compressed body served as HTML,
/// an encoding nothing recognises), in Chinese for the report; `None` when it is text.
/// Looks at the first `READABILITY_SAMPLE_CHARS` characters: control characters other
/// than whitespace and U+FFFD replacement characters must stay under
/// `MAX_GARBAGE_PERCENT` percent.
pub fn unreadable_reason(decoded: &Decoded) -> Option<String> {
    let (total, garbage) = garbage_count(&decoded.text);
    (total > 0 && garbage * 100 > total * MAX_GARBAGE_PERCENT).then(|| {
        format!(
            "内容无法解码为文本(按 {} 解码，{}% 为乱码或控制字符)",
            decoded.encoding,
            garbage * 100 / total
        )
    })
}

/// Of the first [`READABILITY_SAMPLE_CHARS`] characters of `text`: how many there are, and
/// how many are control characters other than `\t \n \r \f` (C0, DEL and C1) or U+FFFD.
/// A byte scan (every fetched page goes through here): a character is counted at its first
/// byte; C1 controls are `C2 80`–`C2 9F` and U+FFFD is `EF BF BD` in UTF-8.
fn garbage_count(text: &str) -> (usize, usize) {
    let b = text.as_bytes();
    let (mut total, mut garbage) = (0usize, 0usize);
    let mut i = 0;
    while i < b.len() && total < READABILITY_SAMPLE_CHARS {
        let c = b[i];
        total += 1;
        let (bad, width) = match c {
            b'\t' | b'\n' | b'\r' | 0x0c => (false, 1),
            0x00..=0x1f | 0x7f => (true, 1),
            0x20..=0x7e => (false, 1),
            0xc2 => (matches!(b.get(i + 1), Some(0x80..=0x9f)), 2),
            0xc0..=0xdf => (false, 2),
            0xef => (b.get(i + 1..i + 3) == Some(&[0xbf, 0xbd]), 3),
            0xe0..=0xef => (false, 3),
            _ => (false, 4),
        };
        garbage += usize::from(bad);
        i += width;
    }
    (total, garbage)
}

/// A wide Unicode encoding: UTF-16 (which encoding_rs decodes) or UTF-32 (which it does not).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Wide {
    Utf16Le,
    Utf16Be,
    Utf32Le,
    Utf32Be,
}

/// How many leading bytes the NUL-pattern test looks at.
const NUL_SAMPLE_BYTES: usize = 1024;

impl Wide {
    /// A UTF-32 or UTF-16 byte-order mark (UTF-32LE's `FF FE 00 00` checked before
    /// UTF-16LE's `FF FE`).
    fn by_bom(bytes: &[u8]) -> Option<Wide> {
        if bytes.starts_with(&[0xFF, 0xFE, 0, 0]) {
            Some(Wide::Utf32Le)
        } else if bytes.starts_with(&[0, 0, 0xFE, 0xFF]) {
            Some(Wide::Utf32Be)
        } else if bytes.starts_with(&[0xFF, 0xFE]) {
            Some(Wide::Utf16Le)
        } else if bytes.starts_with(&[0xFE, 0xFF]) {
            Some(Wide::Utf16Be)
        } else {
            None
        }
    }

    /// UTF-32/UTF-16 without a mark, from where the NULs fall in the first KiB: the ASCII
    /// of markup leaves a NUL in every high byte (UTF-16) or in the top two bytes of every
    /// BMP character (UTF-32), while the low bytes are almost never NUL. CJK text without
    /// markup has few NULs, so UTF-16 needs only a quarter of its high bytes NUL.
    fn by_nuls(bytes: &[u8]) -> Option<Wide> {
        let head = &bytes[..bytes.len().min(NUL_SAMPLE_BYTES)];
        if head.len() < 8 || !head.contains(&0) {
            return None;
        }
        let share = |modulus: usize, rest: usize| {
            let at: Vec<u8> = head
                .iter()
                .enumerate()
                .filter(|(i, _)| i % modulus == rest)
                .map(|(_, b)| *b)
                .collect();
            at.iter().filter(|b| **b == 0).count() * 100 / at.len().max(1)
        };
        let q = [share(4, 0), share(4, 1), share(4, 2), share(4, 3)];
        if q[2] >= 90 && q[3] >= 90 && q[0] <= 10 {
            return Some(Wide::Utf32Le);
        }
        if q[0] >= 90 && q[1] >= 90 && q[3] <= 10 {
            return Some(Wide::Utf32Be);
        }
        let (even, odd) = (share(2, 0), share(2, 1));
        if odd >= 25 && even <= 5 {
            Some(Wide::Utf16Le)
        } else if even >= 25 && odd <= 5 {
            Some(Wide::Utf16Be)
        } else {
            None
        }
    }

    fn decode(self, bytes: &[u8]) -> Decoded {
        let body = match Wide::by_bom(bytes) {
            Some(Wide::Utf32Le | Wide::Utf32Be) => &bytes[4..],
            Some(Wide::Utf16Le | Wide::Utf16Be) => &bytes[2..],
            None => bytes,
        };
        match self {
            Wide::Utf16Le => run(encoding_rs::UTF_16LE, body),
            Wide::Utf16Be => run(encoding_rs::UTF_16BE, body),
            Wide::Utf32Le | Wide::Utf32Be => {
                let mut text = String::with_capacity(body.len() / 4 + 1);
                let mut had_errors = body.len() % 4 != 0;
                for unit in body.chunks_exact(4) {
                    let unit: [u8; 4] = [unit[0], unit[1], unit[2], unit[3]];
                    let scalar = if self == Wide::Utf32Le {
                        u32::from_le_bytes(unit)
                    } else {
                        u32::from_be_bytes(unit)
                    };
                    match char::from_u32(scalar) {
                        Some('\0') => {}
                        Some(c) => text.push(c),
                        None => {
                            had_errors = true;
                            text.push(char::REPLACEMENT_CHARACTER);
                        }
                    }
                }
                if body.len() % 4 != 0 {
                    text.push(char::REPLACEMENT_CHARACTER);
                }
                Decoded {
                    text,
                    encoding: if self == Wide::Utf32Le {
                        "UTF-32LE"
                    } else {
                        "UTF-32BE"
                    },
                    had_errors,
                }
            }
        }
    }
}

/// True when a response with this `Content-Type` is text worth decoding: `text/*`, HTML,
/// XML and JSON/JavaScript. A missing header counts as textual (legacy servers often omit
/// it on HTML); binary attachments (PDF, DOCX, images) are not.
pub fn is_textual(content_type: Option<&str>) -> bool {
    let Some(ct) = content_type else {
        return true;
    };
    let mime = ct
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    if mime.is_empty() {
        return true;
    }
    mime.starts_with("text/")
        || mime.ends_with("+xml")
        || mime.ends_with("+json")
        || matches!(
            mime.as_str(),
            "application/xhtml+xml"
                | "application/xml"
                | "application/json"
                | "application/javascript"
                | "application/x-javascript"
                | "application/ecmascript"
        )
}

fn run(encoding: &'static Encoding, bytes: &[u8]) -> Decoded {
    let (text, had_errors) = encoding.decode_without_bom_handling(bytes);
    // A NUL in decoded UTF-16 is as stray as one in a byte encoding.
    let text = if text.contains('\0') {
        text.replace('\0', "")
    } else {
        text.into_owned()
    };
    Decoded {
        text,
        encoding: encoding.name(),
        had_errors,
    }
}

/// The encoding named by the `charset` parameter of a `Content-Type` value, if known.
fn header_charset(content_type: &str) -> Option<&'static Encoding> {
    content_type.split(';').skip(1).find_map(|param| {
        let (name, value) = param.split_once('=')?;
        if !name.trim().eq_ignore_ascii_case("charset") {
            return None;
        }
        let value = value.trim().trim_matches(|c| c == '"' || c == '\'').trim();
        Encoding::for_label(value.as_bytes())
    })
}

/// The encoding declared by a `<meta>` tag near the top of the document.
fn meta_charset(bytes: &[u8]) -> Option<&'static Encoding> {
    let first = &bytes[..bytes.len().min(META_PRESCAN_BYTES)];
    let found = prescan(first).or_else(|| {
        if bytes.len() > META_PRESCAN_BYTES {
            prescan(&bytes[..bytes.len().min(META_FALLBACK_BYTES)])
        } else {
            None
        }
    })?;
    // The HTML standard: a meta declaring UTF-16 means the document is really UTF-8
    // (it could not have been parsed as ASCII otherwise); x-user-defined means windows-1252.
    if found == encoding_rs::UTF_16BE || found == encoding_rs::UTF_16LE {
        Some(UTF_8)
    } else if found == encoding_rs::X_USER_DEFINED {
        Some(WINDOWS_1252)
    } else {
        Some(found)
    }
}

/// Scans `<meta …>` tags (outside comments) for a `charset=` attribute or parameter.
fn prescan(bytes: &[u8]) -> Option<&'static Encoding> {
    let lower = bytes.to_ascii_lowercase();
    let mut i = 0;
    while i < lower.len() {
        if lower[i..].starts_with(b"<!--") {
            i = match find(&lower[i + 4..], b"-->") {
                Some(end) => i + 4 + end + 3,
                None => return None,
            };
            continue;
        }
        if lower[i..].starts_with(b"<meta")
            && lower
                .get(i + 5)
                .is_some_and(|b| b.is_ascii_whitespace() || *b == b'/')
        {
            let end = find(&lower[i..], b">").map_or(lower.len(), |e| i + e);
            if let Some(enc) = charset_in_tag(&lower[i..end]) {
                return Some(enc);
            }
            i = end;
            continue;
        }
        i += 1;
    }
    None
}

/// The first `charset = value` inside one (lower-cased) meta tag that names a known label.
fn charset_in_tag(tag: &[u8]) -> Option<&'static Encoding> {
    let mut from = 0;
    while let Some(pos) = find(&tag[from..], b"charset") {
        let mut j = from + pos + b"charset".len();
        from = j;
        while tag.get(j).is_some_and(|b| b.is_ascii_whitespace()) {
            j += 1;
        }
        if tag.get(j) != Some(&b'=') {
            continue;
        }
        j += 1;
        while tag
            .get(j)
            .is_some_and(|b| b.is_ascii_whitespace() || *b == b'"' || *b == b'\'')
        {
            j += 1;
        }
        let start = j;
        while tag
            .get(j)
            .is_some_and(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b':' | b'.'))
        {
            j += 1;
        }
        if let Some(enc) = Encoding::for_label(&tag[start..j]) {
            return Some(enc);
        }
    }
    None
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// chardetng's guess, told the pages are under `.cn` so GBK is the likely legacy encoding.
fn sniff(bytes: &[u8]) -> &'static Encoding {
    let mut detector = EncodingDetector::new(Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    detector.guess(Some(b"cn"), Utf8Detection::Allow)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gbk(s: &str) -> Vec<u8> {
        let (bytes, _, unmappable) = encoding_rs::GBK.encode(s);
        assert!(!unmappable, "test text must be GBK-encodable");
        bytes.into_owned()
    }

    const ARTICLE: &str = "孟津区人民政府关于开展2023年政务公开工作的通知。各乡镇人民政府、\
        区直各单位：为进一步做好政府信息公开工作，现将有关事项通知如下。";

    #[test]
    fn utf8_bom_wins_over_a_contradicting_header() {
        let mut bytes = vec![0xEF, 0xBB, 0xBF];
        bytes.extend_from_slice("通知公告".as_bytes());
        let d = decode(&bytes, Some("text/html; charset=gbk"));
        assert_eq!(d.encoding, "UTF-8");
        assert_eq!(d.text, "通知公告");
        assert!(!d.had_errors);
    }

    #[test]
    fn header_charset_wins_over_meta() {
        let html =
            format!("<html><head><meta charset=\"utf-8\"></head><body>{ARTICLE}</body></html>");
        let d = decode(&gbk(&html), Some("text/html; charset=GB2312"));
        assert_eq!(d.encoding, "GBK");
        assert!(d.text.contains("政务公开"));
        assert!(!d.had_errors);
    }

    #[test]
    fn quoted_header_charset_is_read() {
        let d = decode(&gbk(ARTICLE), Some("text/html; charset=\"gbk\""));
        assert_eq!(d.encoding, "GBK");
        assert_eq!(d.text, ARTICLE);
    }

    #[test]
    fn meta_charset_used_when_header_has_none() {
        let html = format!(
            "<html><head><meta charset='gb2312'><title>通知</title></head><body>{ARTICLE}</body></html>"
        );
        let d = decode(&gbk(&html), Some("text/html"));
        assert_eq!(d.encoding, "GBK");
        assert!(d.text.contains(ARTICLE));
    }

    #[test]
    fn http_equiv_content_type_meta_is_read() {
        let html = format!(
            "<HTML><HEAD><META HTTP-EQUIV=\"Content-Type\" CONTENT=\"text/html; charset=gb2312\">\
             </HEAD><BODY>{ARTICLE}</BODY></HTML>"
        );
        let d = decode(&gbk(&html), None);
        assert_eq!(d.encoding, "GBK");
        assert!(d.text.contains(ARTICLE));
    }

    #[test]
    fn meta_after_1024_bytes_found_by_the_4096_fallback() {
        let padding = format!("<!-- {} -->", "x".repeat(1500));
        let html = format!(
            "<html><head>{padding}<meta charset=\"gbk\"></head><body>{ARTICLE}</body></html>"
        );
        let d = decode(&gbk(&html), None);
        assert_eq!(d.encoding, "GBK");
        assert!(d.text.contains(ARTICLE));
    }

    #[test]
    fn meta_inside_a_comment_is_ignored() {
        let html = format!(
            "<html><head><!-- <meta charset=\"big5\"> --></head><body>{ARTICLE}</body></html>"
        );
        let d = decode(html.as_bytes(), None);
        assert_eq!(d.encoding, "UTF-8");
    }

    #[test]
    fn gbk_without_any_label_is_detected() {
        let html = format!("<html><body><p>{ARTICLE}</p><p>{ARTICLE}</p></body></html>");
        let d = decode(&gbk(&html), Some("text/html"));
        assert_eq!(d.encoding, "GBK");
        assert!(d.text.contains(ARTICLE));
        assert!(!d.had_errors);
    }

    #[test]
    fn font_name_gb2312_in_body_is_not_a_charset_signal() {
        let html = format!(
            "<html><head><title>通知</title></head><body>\
             <p style=\"font-family: 仿宋_GB2312; charset=gb2312\">{ARTICLE}</p>\
             <span>楷体_GB2312</span></body></html>"
        );
        let d = decode(html.as_bytes(), Some("text/html"));
        assert_eq!(d.encoding, "UTF-8");
        assert!(d.text.contains("仿宋_GB2312"));
        assert!(!d.had_errors);
    }

    #[test]
    fn garbled_bytes_are_flagged() {
        let d = decode(&[0x41, 0xFF, 0xFE, 0x42], Some("text/html; charset=utf-8"));
        assert_eq!(d.encoding, "UTF-8");
        assert!(d.had_errors);
    }

    #[test]
    fn unknown_header_label_falls_through_to_meta() {
        let html = format!("<meta charset=gbk><p>{ARTICLE}</p>");
        let d = decode(&gbk(&html), Some("text/html; charset=nonsense"));
        assert_eq!(d.encoding, "GBK");
    }

    #[test]
    fn textual_types() {
        assert!(is_textual(Some("text/html; charset=utf-8")));
        assert!(is_textual(Some("application/xhtml+xml")));
        assert!(is_textual(Some("application/xml")));
        assert!(is_textual(Some("application/rss+xml")));
        assert!(is_textual(Some("application/json")));
        assert!(is_textual(None));
        assert!(!is_textual(Some("application/pdf")));
        assert!(!is_textual(Some("image/png")));
        assert!(!is_textual(Some(
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        )));
    }

    fn utf16(s: &str, little: bool, bom: bool) -> Vec<u8> {
        let mut out = Vec::new();
        if bom {
            out.extend_from_slice(if little { &[0xFF, 0xFE] } else { &[0xFE, 0xFF] });
        }
        for unit in s.encode_utf16() {
            out.extend_from_slice(&if little {
                unit.to_le_bytes()
            } else {
                unit.to_be_bytes()
            });
        }
        out
    }

    fn utf32(s: &str, little: bool, bom: bool) -> Vec<u8> {
        let mut out = Vec::new();
        let units = bom.then_some('\u{feff}').into_iter().chain(s.chars());
        for c in units {
            let c = c as u32;
            out.extend_from_slice(&if little {
                c.to_le_bytes()
            } else {
                c.to_be_bytes()
            });
        }
        out
    }

    const HOME: &str = "<html><head><title>孟津区人民政府</title></head><body>\
        <ul><li><a href=\"/a.html\">关于开展政务公开工作的通知</a><span>2023-02-14</span></li></ul>\
        </body></html>";

    #[test]
    fn utf16_with_and_without_bom_in_both_orders_decodes() {
        for little in [true, false] {
            for bom in [true, false] {
                let d = decode(&utf16(HOME, little, bom), Some("text/html"));
                assert_eq!(d.text, HOME, "little={little} bom={bom}");
                assert!(d.encoding.starts_with("UTF-16"));
                assert!(!d.had_errors);
                assert_eq!(unreadable_reason(&d), None);
            }
        }
    }

    #[test]
    fn utf16_whose_meta_says_utf8_still_decodes_by_its_nuls() {
        let page = format!("<meta charset=\"utf-8\">{HOME}");
        let d = decode(&utf16(&page, true, false), Some("text/html; charset=utf-8"));
        assert_eq!(d.text, page);
        assert_eq!(d.encoding, "UTF-16LE");
    }

    #[test]
    fn utf16_header_is_honoured_for_cjk_text_with_few_nuls() {
        let text = format!("{ARTICLE}{ARTICLE}a");
        let d = decode(
            &utf16(&text, true, false),
            Some("text/html; charset=utf-16le"),
        );
        assert_eq!(d.text, text);
    }

    #[test]
    fn utf32_with_and_without_bom_in_both_orders_decodes() {
        for little in [true, false] {
            for bom in [true, false] {
                let d = decode(&utf32(HOME, little, bom), None);
                assert_eq!(d.text, HOME, "little={little} bom={bom}");
                assert!(d.encoding.starts_with("UTF-32"));
                assert!(!d.had_errors);
            }
        }
        let mut cut = utf32("通知", true, true);
        cut.push(0x41);
        let d = decode(&cut, None);
        assert_eq!(d.text, "通知\u{fffd}");
        assert!(d.had_errors);
    }

    #[test]
    fn a_stray_nul_in_the_first_kib_is_dropped_and_the_rest_decodes() {
        let mut bytes = b"<html><head>\0<title>".to_vec();
        bytes.extend_from_slice(&gbk("孟津区人民政府</title><meta charset=\"gbk\"></head>"));
        bytes.push(0);
        bytes.extend_from_slice(&gbk(&format!("<body>{ARTICLE}2023-02-14</body></html>")));
        let d = decode(&bytes, Some("text/html"));
        assert_eq!(d.encoding, "GBK");
        assert!(!d.text.contains('\0'));
        assert!(d.text.contains("<title>孟津区人民政府</title>"));
        assert!(d.text.contains(ARTICLE));
        assert_eq!(unreadable_reason(&d), None);
    }

    #[test]
    fn invalid_sequences_decode_lossily_and_the_page_stays_readable() {
        let mut bytes = HOME.as_bytes().to_vec();
        bytes.insert(20, 0xFF);
        let d = decode(&bytes, Some("text/html; charset=utf-8"));
        assert!(d.had_errors);
        assert!(d.text.contains("关于开展政务公开工作的通知"));
        assert_eq!(unreadable_reason(&d), None);
    }

    #[test]
    fn the_garbage_count_is_the_character_count() {
        // The definition, by characters: the oracle of the byte scan.
        fn by_chars(text: &str) -> (usize, usize) {
            let mut total = 0;
            let mut garbage = 0;
            for c in text.chars().take(READABILITY_SAMPLE_CHARS) {
                total += 1;
                let control = c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\u{c}');
                garbage += usize::from(control || c == char::REPLACEMENT_CHARACTER);
            }
            (total, garbage)
        }
        let pieces = [
            "a", "\t", "\n", "\r", "\u{c}", "\u{0}", "\u{1b}", "\u{7f}", "\u{80}", "\u{9f}",
            "\u{a0}", "é", "\u{fffd}", "\u{fffc}", "\u{fffe}", "字", "\u{ef00}", "😀", "\u{2028}",
        ];
        crate::extract::assert_matches_oracle(
            &[],
            (&pieces, 3_000, 50),
            false,
            garbage_count,
            by_chars,
        );
        // Past the sample: only its first characters count.
        let long = format!(
            "{}{}",
            "字".repeat(READABILITY_SAMPLE_CHARS),
            "\u{0}".repeat(100)
        );
        assert_eq!(garbage_count(&long), by_chars(&long));
        assert_eq!(garbage_count(&long), (READABILITY_SAMPLE_CHARS, 0));
    }

    #[test]
    fn binary_noise_is_unreadable_with_a_reason() {
        // A gzip stream served as text/html without Content-Encoding.
        let noise: Vec<u8> = (0u32..4096)
            .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
            .collect();
        let mut bytes = vec![0x1F, 0x8B, 0x08, 0x00];
        bytes.extend_from_slice(&noise);
        let d = decode(&bytes, Some("text/html"));
        let reason = unreadable_reason(&d).expect("noise is not text");
        assert!(reason.contains("无法解码为文本"), "{reason}");
    }

    #[test]
    fn empty_input_decodes_to_empty_text() {
        let d = decode(&[], None);
        assert_eq!(d.text, "");
        assert!(!d.had_errors);
    }
}
