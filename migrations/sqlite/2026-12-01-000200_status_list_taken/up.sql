-- How many indexes of each status list are handed out, kept with the list so that
-- issuing a certificate does not count a list of up to 131,072 entries twice.
ALTER TABLE status_lists ADD COLUMN taken INTEGER NOT NULL DEFAULT 0;
UPDATE status_lists SET taken = (
    SELECT COUNT(*) FROM certificates c
    WHERE c.revocation_list = status_lists.id OR c.suspension_list = status_lists.id
);
