-- Content screening (issue 14): what each run screened and what it found.
-- One row per document per run: an article page (its title and body), a title alone (an
-- item whose page is off the crawl scope or could not be read), or an attachment.
-- `screened_run` is the run that actually read and screened it; a later run that reuses the
-- result (unchanged document) copies the row and its hits with the same `screened_run`.
CREATE TABLE screen_docs (
    run_id        INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    site_id       TEXT NOT NULL,
    url           TEXT NOT NULL,          -- the document (article page or attachment)
    article_url   TEXT NOT NULL,          -- the article it belongs to (itself for a page)
    doc_kind      TEXT NOT NULL,          -- page | title | pdf | docx | xlsx | doc | xls | wps | ofd
    title         TEXT NOT NULL,          -- the article's title (personal data masked)
    published     TEXT,                   -- the item's publish date, YYYY-MM-DD
    status        TEXT NOT NULL,          -- screened | title_only | not_screened
    reason        TEXT,                   -- why not (fully) screened, in Chinese
    etag          TEXT,
    last_modified TEXT,
    hash          TEXT,                   -- FNV-1a 64 of the bytes screened
    screened_run  INTEGER NOT NULL,
    screened_on   TEXT NOT NULL,          -- observation day of the screening run
    PRIMARY KEY (run_id, site_id, url)
);
CREATE INDEX screen_docs_site ON screen_docs (site_id, url, run_id);

-- One row per hit. `found` and `context` never hold unmasked personal data.
CREATE TABLE screen_hits (
    run_id       INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    site_id      TEXT NOT NULL,
    url          TEXT NOT NULL,           -- the document the hit is in
    article_url  TEXT NOT NULL,
    title        TEXT NOT NULL,
    published    TEXT,
    kind         TEXT NOT NULL,           -- typo | doubled | format | personal_data | serious_error | sensitive | hidden_link
    category     TEXT NOT NULL,
    found        TEXT NOT NULL,
    context      TEXT NOT NULL,           -- ±15 characters
    line         INTEGER NOT NULL,
    col          INTEGER NOT NULL,
    suggestion   TEXT NOT NULL,
    source       TEXT NOT NULL,           -- the dictionary entry or rule that matched
    serious      INTEGER NOT NULL,
    seq          INTEGER NOT NULL         -- order within the document
);
CREATE INDEX screen_hits_run_site ON screen_hits (run_id, site_id);
