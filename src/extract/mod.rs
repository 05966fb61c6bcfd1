//! Pure extraction from fetched pages: dates, page metadata, column lists, pagination,
//! articles, navigation links and visible text.
//!
//! Everything here takes already-decoded `&str` HTML (or XML) and returns facts. This module
//! must not do I/O, must not be async and must not panic on hostile input: every parser
//! bounds its work (see [`MAX_HTML_BYTES`]) and returns "nothing found" instead of failing.
//! Byte decoding lives in `charset` (owned elsewhere); fetching lives in `crawl`.

pub mod article;
pub mod dates;
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

/// Cuts an HTML input to [`MAX_HTML_BYTES`].
pub(crate) fn bounded(html: &str) -> &str {
    truncate_str(html, MAX_HTML_BYTES)
}
