ALTER TABLE evidence DROP COLUMN file_name;
ALTER TABLE evidence DROP COLUMN file_media_type;
ALTER TABLE evidence DROP COLUMN file_size;
ALTER TABLE evidence DROP COLUMN file_sha256;
