ALTER TABLE open_events DROP COLUMN cohort_id;
