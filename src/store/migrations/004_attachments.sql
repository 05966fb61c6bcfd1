-- Documents (PDF, DOC, DOCX, XLS, XLSX, WPS, OFD) linked from lists and articles a run read.
CREATE TABLE attachments (
    run_id       INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    site_id      TEXT NOT NULL,
    article_url  TEXT NOT NULL,
    url          TEXT NOT NULL,
    name         TEXT NOT NULL,
    kind         TEXT NOT NULL,
    PRIMARY KEY (run_id, site_id, article_url, url)
);
