-- What each run found of each assessable site's 政府信息公开工作年度报告 (issue 5).
-- One row per (run, site) that was searched; `found` = 0 means searched and not found.
-- `json` is the full crawl::annual::AnnualObservation (sections, problems, manual review).
CREATE TABLE annual_reports (
    run_id     INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    site_id    TEXT NOT NULL,
    year       INTEGER NOT NULL,          -- the reported year (as_of's year - 1)
    found      INTEGER NOT NULL,
    url        TEXT,
    title      TEXT,
    published  TEXT,                      -- publish date shown for it, YYYY-MM-DD
    json       TEXT NOT NULL,
    PRIMARY KEY (run_id, site_id)
);
