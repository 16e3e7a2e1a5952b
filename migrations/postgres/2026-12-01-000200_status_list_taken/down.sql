ALTER TABLE status_lists DROP COLUMN taken;
