-- Cheap reruns (issue 16 item 4): an item seen again unchanged is not written again.
-- When a run saw an item is in run_items; these two columns, rewritten for every item of
-- every run and never read, go.
ALTER TABLE items DROP COLUMN last_seen_run;
ALTER TABLE items DROP COLUMN last_seen_on;
