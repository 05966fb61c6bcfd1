-- Screening reruns in time linear in the documents (issue 16).
-- Reusing an article's earlier screening copies its page, attachments and hits by article
-- URL: without these, each copy walked every document and hit of the site's run.
CREATE INDEX screen_docs_article ON screen_docs (run_id, site_id, article_url);
DROP INDEX screen_hits_run_site;
CREATE INDEX screen_hits_article ON screen_hits (run_id, site_id, article_url);
-- A site's latest earlier screening (Store::prior_screenings); the (site_id, url, run_id)
-- index served a per-URL search over every run kept, which the store no longer makes.
DROP INDEX screen_docs_site;
CREATE INDEX screen_docs_site_run ON screen_docs (site_id, run_id);
