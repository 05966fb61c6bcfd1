-- A column whose list walk was cut before the period start (a later page failed, the page
-- limit, an underivable script pager) keeps what it read: the day the list was fully seen
-- back to. Only weeks starting after it are judged (CONTRACT §3 `weekly`). NULL: complete.
ALTER TABLE run_columns ADD COLUMN seen_back_to TEXT;
