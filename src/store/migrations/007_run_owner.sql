-- Which process owns a run, so a run left `running` by a process that no longer exists
-- (kill -9, power loss, a full disk) is closed by the next command that writes the database.
ALTER TABLE runs ADD COLUMN owner_pid INTEGER;     -- the writing process
ALTER TABLE runs ADD COLUMN owner_host TEXT;       -- its host name
ALTER TABLE runs ADD COLUMN owner_start TEXT;      -- boot id and start time of that process (pid reuse)
ALTER TABLE runs ADD COLUMN end_reason TEXT;       -- why a run ended other than finished

-- Why a site's certificate did not verify in a run (its pages were then read without
-- verification and a 证书问题 finding is reported).
ALTER TABLE run_sites ADD COLUMN certificate_problem TEXT;
