-- Programmes as data: a programme's own path (JSON: its stages, deadlines and
-- requirements; NULL until the server writes the path of a programme made from flat
-- fields, at start-up) and a description. Sessions get an audience, themes (a JSON
-- list), notes on what the group worked on and when they were written. Cases count
-- the staff trained beside the reflections (a count, never names).
ALTER TABLE programmes ADD COLUMN path TEXT;
ALTER TABLE programmes ADD COLUMN description TEXT;
ALTER TABLE cases ADD COLUMN trained_completed INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sessions ADD COLUMN audience TEXT;
ALTER TABLE sessions ADD COLUMN themes TEXT NOT NULL DEFAULT '[]';
ALTER TABLE sessions ADD COLUMN notes TEXT;
ALTER TABLE sessions ADD COLUMN documented_at TIMESTAMP;
