//! Charset detection and decoding of fetched bytes (crates.md R2, cms-patterns.md §6).
//!
//! Owns the one decision "which encoding are these bytes in", in this order:
//! byte-order mark → `charset` of the HTTP `Content-Type` → `<meta charset>` /
//! `<meta http-equiv="Content-Type" content="…; charset=…">` in the first 1024 bytes
//! (then, as a fallback, the first 4096) → a chardetng guess with the `cn` TLD hint.
//! Labels go through `encoding_rs::Encoding::for_label`, so `gb2312`/`gbk` get the
//! GBK decoder, which also reads GB18030 sequences.
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
    if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        return run(encoding, &bytes[bom_len..]);
    }
    let encoding = content_type
        .and_then(header_charset)
        .or_else(|| meta_charset(bytes))
        .unwrap_or_else(|| sniff(bytes));
    run(encoding, bytes)
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
    Decoded {
        text: text.into_owned(),
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

    #[test]
    fn empty_input_decodes_to_empty_text() {
        let d = decode(&[], None);
        assert_eq!(d.text, "");
        assert!(!d.had_errors);
    }
}
