-- govscore schema v1. Dates are ISO 8601 text (YYYY-MM-DD), times RFC 3339 UTC.

CREATE TABLE runs (
    id            INTEGER PRIMARY KEY,
    started_at    TEXT NOT NULL,
    finished_at   TEXT,
    as_of         TEXT NOT NULL,
    observed_on   TEXT NOT NULL,          -- the day the crawl looked at the sites
    period_start  TEXT NOT NULL,
    period_end    TEXT NOT NULL,
    status        TEXT NOT NULL,          -- running | finished | interrupted | failed
    stats_json    TEXT NOT NULL DEFAULT '{}'
);

CREATE TABLE sites (
    id    TEXT PRIMARY KEY,
    name  TEXT NOT NULL,
    role  TEXT NOT NULL,
    url   TEXT NOT NULL
);

CREATE TABLE run_sites (
    run_id        INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    site_id       TEXT NOT NULL REFERENCES sites(id),
    name          TEXT NOT NULL,
    role          TEXT NOT NULL,
    url           TEXT NOT NULL,
    status        TEXT NOT NULL,          -- ok | partial | blocked | unreachable
    status_reason TEXT,
    home_json     TEXT NOT NULL DEFAULT '{}',   -- facts read from the home page
    PRIMARY KEY (run_id, site_id)
);

CREATE TABLE columns (
    id       INTEGER PRIMARY KEY,
    site_id  TEXT NOT NULL REFERENCES sites(id),
    url      TEXT NOT NULL,
    name     TEXT NOT NULL,
    class    TEXT NOT NULL,
    UNIQUE (site_id, class, url)
);

CREATE TABLE run_columns (
    run_id      INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    column_id   INTEGER NOT NULL REFERENCES columns(id),
    assessable  INTEGER NOT NULL,
    reason      TEXT,
    pages       INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (run_id, column_id)
);

CREATE TABLE items (
    id              INTEGER PRIMARY KEY,
    column_id       INTEGER NOT NULL REFERENCES columns(id),
    url             TEXT NOT NULL,
    title           TEXT NOT NULL,
    published       TEXT,                 -- publish date, NULL when undated
    date_source     TEXT NOT NULL,
    url_date        TEXT,
    pinned          INTEGER NOT NULL DEFAULT 0,
    first_seen_run  INTEGER NOT NULL,
    first_seen_on   TEXT NOT NULL,
    last_seen_run   INTEGER NOT NULL,
    last_seen_on    TEXT NOT NULL,
    UNIQUE (column_id, url)
);

CREATE TABLE run_items (
    run_id   INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    item_id  INTEGER NOT NULL REFERENCES items(id),
    PRIMARY KEY (run_id, item_id)
);

CREATE TABLE fetch_failures (
    id       INTEGER PRIMARY KEY,
    run_id   INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    site_id  TEXT NOT NULL,
    url      TEXT NOT NULL,
    outcome  TEXT NOT NULL,               -- blocked | failed | skipped
    reason   TEXT NOT NULL,
    at       TEXT NOT NULL
);

CREATE TABLE scorecards (
    run_id   INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    site_id  TEXT NOT NULL,
    score    REAL,
    grade    TEXT,
    rank     INTEGER,
    json     TEXT NOT NULL,
    PRIMARY KEY (run_id, site_id)
);

CREATE INDEX items_column_published ON items(column_id, published);
CREATE INDEX fetch_failures_run ON fetch_failures(run_id, site_id);
