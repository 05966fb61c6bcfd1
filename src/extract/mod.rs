//! Pure extraction from fetched pages: dates, page metadata, column lists, pagination,
//! articles, navigation links and visible text.
//!
//! Everything here takes already-decoded `&str` HTML (or XML) and returns facts. This module
//! must not do I/O, must not be async and must not panic on hostile input: every parser
//! bounds its work (see [`MAX_HTML_BYTES`]) and returns "nothing found" instead of failing.
//! Byte decoding lives in `charset`; fetching lives in `crawl`.

pub mod article;
pub mod charset;
pub mod dates;
pub mod home;
pub mod lists;
pub mod meta;
pub mod nav;
pub mod pagination;
pub mod text;

/// The most HTML any extractor looks at. Longer inputs are cut (at a character boundary):
/// real list and article pages are far below this, and the cap bounds parse time on
/// hostile or runaway pages (inline base64 images can push pages past 1 MB).
pub const MAX_HTML_BYTES: usize = 4 * 1024 * 1024;

/// Cuts `s` to at most `max` bytes without splitting a character.
pub(crate) fn truncate_str(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while end > 0 && !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// The deepest tag nesting any extractor accepts. Real government pages nest a few dozen
/// levels; the HTML parser's scope checks cost time proportional to the depth for every
/// tag, so a hostile page of 50 000 nested `<div>`s would take quadratic time. Input is cut
/// where its nesting first exceeds this.
pub const MAX_NESTING: usize = 2_000;

/// Elements that never hold content or whose end tag is optional: they do not count
/// towards [`MAX_NESTING`] (a page of unclosed `<li>`/`<p>`/`<td>` is ordinary).
const NO_DEPTH: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr", "li", "p", "td", "th", "tr", "option", "dt", "dd", "thead", "tbody", "tfoot",
    "html", "head", "body", "colgroup", "optgroup", "rt", "rp", "!doctype",
];

/// A tag that opens or closes a nesting level: outside `<script>`/`<style>` text, not a
/// void, self-closed or [`NO_DEPTH`] element.
struct NestingTag<'a> {
    /// Where the tag is in the input.
    range: std::ops::Range<usize>,
    /// Its name as written.
    name: &'a str,
    /// An end tag.
    closing: bool,
}

/// A tag as written: `<name …>`, `</name …>` or `<name …/>`.
struct RawTag<'a> {
    range: std::ops::Range<usize>,
    name: &'a str,
    closing: bool,
    self_closing: bool,
}

/// The tags of an input in order, as the pattern `<(/?)([A-Za-z][A-Za-z0-9]*)[^<>]*?(/?)>`
/// finds them (a `<` that opens no such tag is text), by a byte scan: one pass, no
/// allocation (every page read goes through here, and a regex with captures was a fifth of
/// the screening stage's time).
fn raw_tags(html: &str) -> impl Iterator<Item = RawTag<'_>> + '_ {
    let b = html.as_bytes();
    let mut at = 0;
    std::iter::from_fn(move || {
        while let Some(off) = b[at..].iter().position(|&c| c == b'<') {
            let start = at + off;
            at = start + 1;
            let mut j = start + 1;
            let closing = b.get(j) == Some(&b'/');
            j += usize::from(closing);
            if !b.get(j).is_some_and(u8::is_ascii_alphabetic) {
                continue;
            }
            let name_start = j;
            while b.get(j).is_some_and(u8::is_ascii_alphanumeric) {
                j += 1;
            }
            let Some(k) = b[j..].iter().position(|&c| c == b'<' || c == b'>') else {
                continue;
            };
            let end = j + k;
            if b[end] == b'<' {
                continue;
            }
            at = end + 1;
            return Some(RawTag {
                range: start..end + 1,
                name: &html[name_start..j],
                closing,
                self_closing: end > j && b[end - 1] == b'/',
            });
        }
        at = b.len();
        None
    })
}

/// The [`NestingTag`]s of an input, in order.
fn nesting_tags(html: &str) -> impl Iterator<Item = NestingTag<'_>> + '_ {
    let mut raw_text_end: Option<&'static str> = None;
    raw_tags(html).filter_map(move |t| {
        let is = |n: &str| t.name.eq_ignore_ascii_case(n);
        if let Some(end) = raw_text_end {
            // Inside <script>/<style>: only its end tag matters.
            if t.closing && is(end) {
                raw_text_end = None;
            }
            return None;
        }
        if !t.closing && (is("script") || is("style")) {
            raw_text_end = Some(if is("script") { "script" } else { "style" });
            return None;
        }
        if NO_DEPTH.iter().any(|n| is(n)) || t.self_closing {
            return None;
        }
        Some(NestingTag {
            range: t.range,
            name: t.name,
            closing: t.closing,
        })
    })
}

/// A page parsed once for several readers (the article, its links, its hidden links): the
/// input cut by `bounded` and its HTML tree. Not `Send`: parse, read and drop it between
/// two awaits.
pub struct Parsed<'a> {
    /// The input as parsed (a prefix of the page: positions in it are positions in the page).
    pub html: &'a str,
    /// Its tree.
    pub doc: scraper::Html,
}

impl<'a> Parsed<'a> {
    /// Parses `html` (cut by `bounded`).
    pub fn new(html: &'a str) -> Parsed<'a> {
        let html = bounded(html);
        Parsed {
            html,
            doc: scraper::Html::parse_document(html),
        }
    }
}

/// Whether `html` has at most `depth` `<`s: then no tag can be nested deeper than `depth`
/// (each level is opened by a tag, each tag starts with a `<`), and the tag scan is skipped
/// (a count of one byte is far cheaper than the scan, and most pages are small).
fn fewer_tags_than(html: &str, depth: usize) -> bool {
    html.len() <= depth || html.bytes().filter(|&b| b == b'<').count() <= depth
}

/// Cuts an HTML input to [`MAX_HTML_BYTES`], and at the first point where its tag nesting
/// exceeds [`MAX_NESTING`].
pub(crate) fn bounded(html: &str) -> &str {
    let html = truncate_str(html, MAX_HTML_BYTES);
    if fewer_tags_than(html, MAX_NESTING) {
        return html;
    }
    let mut depth: usize = 0;
    for tag in nesting_tags(html) {
        if tag.closing {
            depth = depth.saturating_sub(1);
        } else {
            depth += 1;
            if depth > MAX_NESTING {
                return &html[..tag.range.start];
            }
        }
    }
    html
}

/// The deepest nesting the list reader's input keeps (deeper tags are dropped, their content
/// kept): far beyond what real pages use (a few dozen levels), shallow enough that the
/// parser's scope checks stay cheap.
pub const FLAT_NESTING: usize = 256;

/// Like [`bounded`] for the size, but instead of cutting a page at runaway nesting it drops
/// the tags nested deeper than [`FLAT_NESTING`] (and their end tags), keeping their content
/// at that depth: a list inside 2 000 `<div>`s is still read. Links are never dropped (an
/// `<a>` cannot hold another, so it adds no depth); rows (`li`, `tr`, `dd`) add none either.
/// Linear in the input, no recursion; borrows the input when nothing is dropped.
pub(crate) fn flattened(html: &str) -> std::borrow::Cow<'_, str> {
    let html = truncate_str(html, MAX_HTML_BYTES);
    if fewer_tags_than(html, FLAT_NESTING) {
        return std::borrow::Cow::Borrowed(html);
    }
    let mut depth: usize = 0;
    let mut dropped: usize = 0;
    let mut out: Option<String> = None;
    let mut copied_to = 0;
    for tag in nesting_tags(html).filter(|t| !t.name.eq_ignore_ascii_case("a")) {
        let drop = if tag.closing {
            if dropped > 0 {
                dropped -= 1;
                true
            } else {
                depth = depth.saturating_sub(1);
                false
            }
        } else if depth >= FLAT_NESTING {
            dropped += 1;
            true
        } else {
            depth += 1;
            false
        };
        if drop {
            let buf = out.get_or_insert_with(|| String::with_capacity(html.len()));
            buf.push_str(&html[copied_to..tag.range.start]);
            copied_to = tag.range.end;
        }
    }
    match out {
        None => std::borrow::Cow::Borrowed(html),
        Some(mut buf) => {
            buf.push_str(&html[copied_to..]);
            std::borrow::Cow::Owned(buf)
        }
    }
}

/// `count` strings of up to `max_pieces - 1` pieces each, drawn from `pieces` by a
/// fixed-seed xorshift generator: random inputs for tests that hold a scanner to the pattern
/// or definition it implements.
#[cfg(test)]
fn random_inputs(pieces: &[&str], count: usize, max_pieces: u64) -> Vec<String> {
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    (0..count)
        .map(|_| {
            let mut s = String::new();
            for _ in 0..(x % max_pieces) {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                s.push_str(pieces[(x % pieces.len() as u64) as usize]);
            }
            x = x.wrapping_add(1);
            s
        })
        .collect()
}

/// Holds `scan` to `oracle`, the pattern or definition it implements: on the `fixed`
/// inputs, on `count` random strings of up to `max_pieces - 1` `pieces` ([`random_inputs`]),
/// and with `real_pages` on every real page of `../shared/realworld/`.
#[cfg(test)]
pub(crate) fn assert_matches_oracle<T: PartialEq + std::fmt::Debug>(
    fixed: &[&str],
    (pieces, count, max_pieces): (&[&str], usize, u64),
    real_pages: bool,
    scan: impl Fn(&str) -> T,
    oracle: impl Fn(&str) -> T,
) {
    for input in fixed {
        assert_eq!(scan(input), oracle(input), "{input:?}");
    }
    for input in random_inputs(pieces, count, max_pieces) {
        assert_eq!(scan(&input), oracle(&input), "{input:?}");
    }
    if real_pages {
        for (path, html) in realworld_html() {
            assert_eq!(scan(&html), oracle(&html), "{}", path.display());
        }
    }
}

/// Every HTML page of `../shared/realworld/` (path, text decoded lossily as UTF-8), for tests
/// that hold a scanner to its pattern on real pages; empty (after saying so) when the corpus
/// is not beside the repository.
#[cfg(test)]
fn realworld_html() -> Vec<(std::path::PathBuf, String)> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/realworld");
    if !std::path::Path::new(dir).is_dir() {
        eprintln!("skipped the real pages: ../shared/realworld not found");
        return Vec::new();
    }
    let mut pages = Vec::new();
    let mut folders = vec![std::path::PathBuf::from(dir)];
    while let Some(folder) = folders.pop() {
        for e in std::fs::read_dir(&folder)
            .expect("read realworld")
            .flatten()
        {
            let path = e.path();
            if path.is_dir() {
                folders.push(path);
            } else if path.extension().is_some_and(|x| x == "html" || x == "htm") {
                let bytes = std::fs::read(&path).expect("read page");
                pages.push((path, String::from_utf8_lossy(&bytes).into_owned()));
            }
        }
    }
    assert!(!pages.is_empty(), "no HTML page in {dir}");
    pages
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The pattern [`raw_tags`] implements, as a regex: the oracle of its test.
    fn regex_tags(html: &str) -> Vec<(std::ops::Range<usize>, String, bool, bool)> {
        let re = regex::Regex::new(r"<(/?)([A-Za-z][A-Za-z0-9]*)[^<>]*?(/?)>").unwrap();
        re.captures_iter(html)
            .map(|c| {
                let range = c.get(0).unwrap().range();
                (range, c[2].to_string(), !c[1].is_empty(), !c[3].is_empty())
            })
            .collect()
    }

    fn scanned_tags(html: &str) -> Vec<(std::ops::Range<usize>, String, bool, bool)> {
        raw_tags(html)
            .map(|t| (t.range, t.name.to_string(), t.closing, t.self_closing))
            .collect()
    }

    #[test]
    fn the_tag_scan_finds_what_the_pattern_finds() {
        let fixed = [
            "",
            "<",
            ">",
            "<div>",
            "</div>",
            "<br/>",
            "<br />",
            "<img src=a.png/>",
            "</ div>",
            "< div>",
            "<1a>",
            "<a title=\"<b>\">x</a>",
            "<a<b>",
            "<<div>>",
            "</>",
            "<//a>",
            "<a/b>",
            "<DiV CLASS=x>文字</dIv>",
            "<p>a < b and c > d</p>",
            "<!-- <div> --><!DOCTYPE html>",
            "<script>if (a<b && c>d) {}</script>",
            "<a href='x'",
            "text <span>",
            "<h1/>",
        ];
        // Random inputs over the characters that matter; real pages when the shared corpus
        // is beside the repository.
        let chars = [
            "<", ">", "/", " ", "a", "Z", "9", "=", "\"", "'", "-", "!", "字", "\n",
        ];
        assert_matches_oracle(&fixed, (&chars, 3_000, 40), true, scanned_tags, regex_tags);
    }

    #[test]
    fn flattened_keeps_ordinary_pages_and_the_content_of_runaway_nesting() {
        let page = "<html><body><div><ul><li><a href=x>t</a></ul></div></body></html>";
        assert!(matches!(flattened(page), std::borrow::Cow::Borrowed(_)));
        let deep = format!(
            "{}<ul><li><a href=\"/a.html\">深层标题</a></li></ul>{}<p>后文</p>",
            "<div>".repeat(3_000),
            "</div>".repeat(3_000)
        );
        let flat = flattened(&deep);
        assert_eq!(flat.matches("<div>").count(), FLAT_NESTING);
        assert_eq!(flat.matches("</div>").count(), FLAT_NESTING);
        assert!(flat.contains("<li><a href=\"/a.html\">深层标题</a></li>"));
        assert!(flat.ends_with("<p>后文</p>"));
    }

    #[test]
    fn bounded_keeps_ordinary_pages_whole() {
        let page = format!(
            "<html><body>{}</body></html>",
            "<ul><li><a href=x>t</a><li><p>x</ul>".repeat(5_000)
        );
        assert_eq!(bounded(&page), page);
        let script = format!(
            "<script>{}</script><div>end</div>",
            "'<div>'+".repeat(5_000)
        );
        assert_eq!(bounded(&script), script);
    }

    #[test]
    fn bounded_cuts_runaway_nesting_and_size() {
        let deep = "<div>".repeat(MAX_NESTING + 10);
        assert_eq!(bounded(&deep).len(), "<div>".len() * MAX_NESTING);
        // At the bound (the tag count alone proves the page shallow) and one past it.
        let at = "<div>".repeat(MAX_NESTING);
        assert_eq!(bounded(&at), at);
        let past = "<div>".repeat(MAX_NESTING + 1);
        assert_eq!(bounded(&past), at);
        let flat_past = "<div>".repeat(FLAT_NESTING + 1);
        assert_eq!(flattened(&flat_past), "<div>".repeat(FLAT_NESTING));
        let big = "字".repeat(MAX_HTML_BYTES);
        let cut = bounded(&big);
        assert!(cut.len() <= MAX_HTML_BYTES && cut.len() > MAX_HTML_BYTES - 3);
    }
}
