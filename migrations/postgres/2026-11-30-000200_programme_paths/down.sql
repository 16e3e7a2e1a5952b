ALTER TABLE sessions DROP COLUMN documented_at;
ALTER TABLE sessions DROP COLUMN notes;
ALTER TABLE sessions DROP COLUMN themes;
ALTER TABLE sessions DROP COLUMN audience;
ALTER TABLE cases DROP COLUMN trained_completed;
ALTER TABLE programmes DROP COLUMN description;
ALTER TABLE programmes DROP COLUMN path;
