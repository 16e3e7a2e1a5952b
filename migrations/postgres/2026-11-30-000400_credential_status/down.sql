ALTER TABLE organisations DROP COLUMN public_registry;
DROP INDEX certificates_by_suspension_entry;
DROP INDEX certificates_by_revocation_entry;
ALTER TABLE certificates DROP COLUMN suspension_index;
ALTER TABLE certificates DROP COLUMN suspension_list;
ALTER TABLE certificates DROP COLUMN revocation_index;
ALTER TABLE certificates DROP COLUMN revocation_list;
DROP TABLE status_lists;
