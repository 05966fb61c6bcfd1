//! What an incremental run remembers between runs, by URL: the validators of home and list
//! pages with what was read from them, and the dates and meta tags read from articles.
//!
//! Policy (why it is safe): a home page answering 304 saves only its own parse (its facts
//! and the columns found on it, for at most `MAX_REUSE_DAYS`), never a column's walk: a
//! column not shown on the home page can publish without the home page changing, so every
//! column's first list page is requested again, conditionally, on every run. A list page
//! answering 304 reuses that column's previous walk. Articles do not change their date.
//!
//! A home or first list page sent without validators (no ETag, no Last-Modified: dynamic
//! pages, and the simulator's single-page columns) cannot be asked conditionally: it is
//! read again on every run, and a body identical to the one read before (same
//! [`body_hash`]) counts as a 304: the stored parse is reused, nothing is parsed again.

use super::observe::{AttachmentRecord, HomeFacts, PageMetaRecord};
use crate::model::{ColumnClass, DateSource, ListItem};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// Longest a home page's previous parse is reused on the strength of a 304.
pub const MAX_REUSE_DAYS: i64 = 7;

/// One remembered page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CachedPage {
    /// The page.
    pub url: String,
    /// ETag.
    pub etag: Option<String>,
    /// Last-Modified.
    pub last_modified: Option<String>,
    /// The observation day of the run that read it.
    pub fetched_on: NaiveDate,
    /// What was read.
    pub payload: Payload,
}

/// What was read from a page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Payload {
    /// A home page: its facts, the columns found on it and its meta tags.
    Home {
        /// Home facts.
        home: HomeFacts,
        /// Columns found (name, class, list URL), pinned ones included.
        columns: Vec<(String, ColumnClass, String)>,
        /// Meta tags.
        meta: PageMetaRecord,
        /// The site name read from it (discovered sites).
        name: String,
        /// [`body_hash`] of the page read (absent in pages stored by older versions).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        body: Option<String>,
    },
    /// A column's first list page and the whole walk made from it.
    Column {
        /// Items of the walk.
        items: Vec<ListItem>,
        /// List pages read.
        pages: u32,
        /// How far back the walk went.
        walked_back_to: NaiveDate,
        /// Meta tags of the first page.
        meta: PageMetaRecord,
        /// [`body_hash`] of the first page (absent in pages stored by older versions).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        body: Option<String>,
    },
    /// An article's date, meta tags and attachments.
    Article {
        /// Publish date.
        date: Option<NaiveDate>,
        /// Where it came from.
        date_source: DateSource,
        /// Meta tags.
        meta: PageMetaRecord,
        /// Documents it links.
        #[serde(default)]
        attachments: Vec<AttachmentRecord>,
    },
}

impl Payload {
    /// The stored kind.
    pub fn kind(&self) -> &'static str {
        match self {
            Payload::Home { .. } => "home",
            Payload::Column { .. } => "column",
            Payload::Article { .. } => "article",
        }
    }
}

/// The cache a run starts from, by URL.
pub type PageCache = HashMap<String, CachedPage>;

/// A fingerprint of a page's body, to tell an unchanged page sent without validators.
pub fn body_hash(bytes: &[u8]) -> String {
    use std::hash::{Hash, Hasher};
    // SipHash with fixed keys: stable for one build; a toolchain that changes it only
    // makes the next run parse each page once more.
    let mut h = std::hash::DefaultHasher::new();
    bytes.hash(&mut h);
    format!("{:016x}-{}", h.finish(), bytes.len())
}

impl CachedPage {
    /// Whether `bytes` are the very body this home or list page was read from.
    pub fn same_body(&self, bytes: &[u8]) -> bool {
        let stored = match &self.payload {
            Payload::Home { body, .. } | Payload::Column { body, .. } => body.as_deref(),
            Payload::Article { .. } => None,
        };
        stored.is_some_and(|b| b == body_hash(bytes))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_body_is_recognised_and_a_changed_or_unknown_one_is_not() {
        let page = |body: Option<String>| CachedPage {
            url: "http://x/zwgk/".into(),
            etag: None,
            last_modified: None,
            fetched_on: NaiveDate::from_ymd_opt(2023, 3, 15).unwrap(),
            payload: Payload::Column {
                items: Vec::new(),
                pages: 1,
                walked_back_to: NaiveDate::from_ymd_opt(2023, 1, 1).unwrap(),
                meta: PageMetaRecord::default(),
                body,
            },
        };
        let read = page(Some(body_hash(b"<html>a</html>")));
        assert!(read.same_body(b"<html>a</html>"));
        assert!(!read.same_body(b"<html>b</html>"));
        // Stored before bodies were fingerprinted: never taken for unchanged.
        assert!(!page(None).same_body(b"<html>a</html>"));
        // Stored and read back: the fingerprint survives.
        let json = serde_json::to_string(&read.payload).unwrap();
        assert_eq!(
            serde_json::from_str::<Payload>(&json).unwrap(),
            read.payload
        );
    }
}
