-- Evidence as files (docs/api.md): the file's content lives in
-- `data_dir/evidence/{sha256}`; the row keeps what the history event recorded.
ALTER TABLE evidence ADD COLUMN file_sha256 TEXT;
ALTER TABLE evidence ADD COLUMN file_size BIGINT;
ALTER TABLE evidence ADD COLUMN file_media_type TEXT;
ALTER TABLE evidence ADD COLUMN file_name TEXT;
