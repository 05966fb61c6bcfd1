//! The crawler: fetching with politeness, walls, and the site walker.
//!
//! - [`address`]: which addresses may be connected to (named hosts vs public ones);
//! - [`fetch`]: the one HTTP client of a run ([`fetch::Fetcher`]) and its outcomes;
//! - [`politeness`]: the named concurrency limits and per-host delays, as held permits;
//! - [`robots`]: robots.txt policy and its per-host cache;
//! - [`wall`]: recognition of anti-bot walls (加速乐, 瑞数, wzws);
//! - [`walker`]: one site's home page, columns and list pages → [`observe::SiteObservation`];
//! - [`observe`]: what a crawl saw, as plain data for the store;
//! - [`annual`]: each site's 政府信息公开工作年度报告, found and read after the column crawl;
//! - [`links`]: the links of the pages read, and the dead-link check after the crawl.

pub mod address;
pub mod annual;
pub mod fetch;
#[cfg(feature = "tls-legacy")]
mod legacy_tls;
pub mod links;
pub mod observe;
pub mod politeness;
pub mod robots;
pub mod screening;
pub mod walker;
pub mod wall;

pub use fetch::{
    Failure, FetchInitError, FetchOutcome, FetchStats, Fetcher, Page, Scope, SkipReason, Validators,
};
pub use wall::Wall;
pub mod cache;
pub mod discover;

use regex::Regex;
use std::sync::LazyLock;
use url::Url;

/// A URL without its fragment and without a trailing index file: two links to one page
/// (`/zwgk/tzgg/` and `/zwgk/tzgg/index.html`) get the same key.
pub(crate) fn page_key(u: &Url) -> String {
    let mut u = u.clone();
    u.set_fragment(None);
    let s = u.to_string();
    for suffix in ["index.html", "index.htm", "index.shtml", "index.jhtml"] {
        if let Some(stripped) = s.strip_suffix(suffix) {
            return stripped.to_string();
        }
    }
    s
}

static ARTICLE_URL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)(/t\d{8}_\d+|/art/\d{4}/|/content/post_\d+|/[0-9a-f]{32}\.s?html|\.(pdf|docx?|xlsx?|wps|ofd)$)",
    )
    .expect("valid regex")
});

/// Whether a link points at an article or a document (TRS `t20230109_…`, Hanweb `/art/`,
/// Guangdong `content/post_…`, UUID `.shtml`, attachments) rather than a column or a site.
pub(crate) fn looks_like_article(url: &Url) -> bool {
    ARTICLE_URL.is_match(url.path())
}
