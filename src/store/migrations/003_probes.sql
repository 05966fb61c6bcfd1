-- Availability probes of each site's home page (daemon), notification de-duplication,
-- and where each run's report files were written (dashboard downloads).
CREATE TABLE probes (
    id          INTEGER PRIMARY KEY,
    site_id     TEXT NOT NULL,
    at          TEXT NOT NULL,            -- RFC 3339 UTC
    ok          INTEGER NOT NULL,         -- 1 reachable (a wall counts as reachable), 0 failed
    status      INTEGER,                  -- HTTP status when one was received
    reason      TEXT NOT NULL,            -- supervisor-facing reason, e.g. 连接超时
    elapsed_ms  INTEGER NOT NULL
);
CREATE INDEX probes_site_at ON probes(site_id, at);

CREATE TABLE notifications (
    key        TEXT PRIMARY KEY,          -- what the alert is about, e.g. veto:jyj:stale-columns
    last_sent  TEXT NOT NULL              -- RFC 3339 UTC
);

ALTER TABLE runs ADD COLUMN report_dir TEXT;
