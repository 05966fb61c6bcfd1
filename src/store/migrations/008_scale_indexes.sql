-- Lookups by column and by site, not by run (issue 16): a column's earlier runs (snapshot
-- loading) and a site's score history were scans of every run's rows.
CREATE INDEX run_columns_column ON run_columns(column_id, run_id);
CREATE INDEX scorecards_site ON scorecards(site_id, run_id);
