//! What an incremental run remembers between runs, by URL: the validators of home and list
//! pages with what was read from them, and the dates and meta tags read from articles.
//!
//! Policy (why it is safe): a home page answering 304 saves only its own parse (its facts
//! and the columns found on it, for at most `MAX_REUSE_DAYS`), never a column's walk: a
//! column not shown on the home page can publish without the home page changing, so every
//! column's first list page is requested again, conditionally, on every run. A list page
//! answering 304 reuses that column's previous walk. Articles do not change their date.

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
