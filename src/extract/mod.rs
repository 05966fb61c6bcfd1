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

static TAG: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(r"<(/?)([A-Za-z][A-Za-z0-9]*)[^<>]*?(/?)>").expect("static regex")
});

/// A tag that opens or closes a nesting level: outside `<script>`/`<style>` text, not a
/// void, self-closed or [`NO_DEPTH`] element.
struct NestingTag {
    /// Where the tag is in the input.
    range: std::ops::Range<usize>,
    /// Its lower-case name.
    name: String,
    /// An end tag.
    closing: bool,
}

/// The [`NestingTag`]s of an input, in order.
fn nesting_tags(html: &str) -> impl Iterator<Item = NestingTag> + '_ {
    let mut raw_text_end: Option<&'static str> = None;
    TAG.captures_iter(html).filter_map(move |c| {
        let range = c.get(0).map_or(0..0, |m| m.range());
        let name = c[2].to_ascii_lowercase();
        let closing = !c[1].is_empty();
        if let Some(end) = raw_text_end {
            // Inside <script>/<style>: only its end tag matters.
            if closing && name == end {
                raw_text_end = None;
            }
            return None;
        }
        if !closing && (name == "script" || name == "style") {
            raw_text_end = Some(if name == "script" { "script" } else { "style" });
            return None;
        }
        if NO_DEPTH.contains(&name.as_str()) || !c[3].is_empty() {
            return None;
        }
        Some(NestingTag {
            range,
            name,
            closing,
        })
    })
}

/// Cuts an HTML input to [`MAX_HTML_BYTES`], and at the first point where its tag nesting
/// exceeds [`MAX_NESTING`].
pub(crate) fn bounded(html: &str) -> &str {
    let html = truncate_str(html, MAX_HTML_BYTES);
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
    let mut depth: usize = 0;
    let mut dropped: usize = 0;
    let mut out: Option<String> = None;
    let mut copied_to = 0;
    for tag in nesting_tags(html).filter(|t| t.name != "a") {
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

#[cfg(test)]
mod tests {
    use super::*;

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
        let big = "字".repeat(MAX_HTML_BYTES);
        let cut = bounded(&big);
        assert!(cut.len() <= MAX_HTML_BYTES && cut.len() > MAX_HTML_BYTES - 3);
    }
}
