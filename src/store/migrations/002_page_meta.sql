-- Meta tags of the pages a run read (home, list pages, sampled articles), for the
-- metadata compliance check.
CREATE TABLE page_meta (
    run_id   INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    site_id  TEXT NOT NULL,
    url      TEXT NOT NULL,
    kind     TEXT NOT NULL,
    json     TEXT NOT NULL,
    PRIMARY KEY (run_id, site_id, url)
);
