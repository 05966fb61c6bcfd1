-- Incremental runs: the validators (ETag / Last-Modified) of home and list pages and what
-- was read from them, and the dates and meta tags read from article pages, by URL.
CREATE TABLE page_cache (
    url            TEXT PRIMARY KEY,
    kind           TEXT NOT NULL,       -- home | column | article
    etag           TEXT,
    last_modified  TEXT,
    fetched_on     TEXT NOT NULL,       -- observation day of the run that read it
    payload        TEXT NOT NULL        -- JSON, see crawl::cache
);
