-- Cheap reruns (issue 16 item 4).
-- robots.txt per host, kept for its lifetime between runs (RFC 9309 §2.4; crawl::robots).
CREATE TABLE robots_cache (
    host           TEXT PRIMARY KEY,    -- host:port
    status         INTEGER NOT NULL,    -- 2xx or 4xx
    body           BLOB NOT NULL,
    etag           TEXT,
    last_modified  TEXT,
    fetched_at     TEXT NOT NULL,       -- RFC 3339, UTC: read or renewed by a 304
    expires_at     TEXT NOT NULL        -- used without a request until then
);
-- The last check of each site's annual report: what it was made from (the candidates'
-- URLs, titles and dates, fingerprinted), when, and the run whose annual_reports row holds
-- the result. A later run with the same candidates within the reuse age reuses that row.
CREATE TABLE annual_checks (
    site_id     TEXT PRIMARY KEY,
    year        INTEGER NOT NULL,
    inputs      TEXT NOT NULL,
    checked_on  TEXT NOT NULL,          -- observation day of the run that read the report
    run_id      INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE
);
