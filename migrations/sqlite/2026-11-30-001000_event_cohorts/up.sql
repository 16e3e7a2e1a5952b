-- An open event may belong to a cohort (a programme round across several
-- organisations): it is then open to the cohort's member organisations, those added
-- later included, as far as `open_to` also admits them.
ALTER TABLE open_events ADD COLUMN cohort_id TEXT REFERENCES cohorts (id);
