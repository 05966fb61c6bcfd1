-- Dead links (issue 14 item 7).
-- Every distinct link URL the runs found, with its last check: the two-run rule and the
-- recheck_days cache read it.
CREATE TABLE links (
    id            INTEGER PRIMARY KEY,
    url           TEXT NOT NULL UNIQUE,
    checked_on    TEXT,              -- day of the last request (the run's observed_on)
    checked_run   INTEGER,           -- run of the last request
    outcome       TEXT,              -- ok | failed | unknown
    status        INTEGER,           -- HTTP status of the last request, when one came back
    reason        TEXT,              -- why (Chinese)
    failed_runs   INTEGER NOT NULL DEFAULT 0,  -- consecutive runs whose request failed
    first_failed  TEXT               -- day of the first failure of that streak
);
-- Per run and site, each link with the first page it was found on and the run's verdict.
-- After the check only the links that did not answer well keep their row (evidence).
CREATE TABLE link_places (
    run_id        INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    site_id       TEXT NOT NULL,
    link_id       INTEGER NOT NULL REFERENCES links(id),
    page_url      TEXT NOT NULL,
    page_title    TEXT,
    link_text     TEXT NOT NULL,
    pages         INTEGER NOT NULL,  -- pages of the site read in the run carrying the link
    state         TEXT,              -- ok | cached | suspect | dead | unknown | not_checked
    status        INTEGER,
    reason        TEXT,
    first_failed  TEXT,
    PRIMARY KEY (run_id, site_id, link_id)
) WITHOUT ROWID;
-- The check stage writes each link's verdict to all its places of the run.
CREATE INDEX link_places_link ON link_places(run_id, link_id);
-- A site's places of its latest earlier run, carried into a run that did not re-read the page.
CREATE INDEX link_places_site ON link_places(site_id, run_id);
