ALTER TABLE cases DROP COLUMN recommended_at;
ALTER TABLE programmes DROP COLUMN decision_by;
DROP TABLE complaints;
DROP TABLE appeals;
ALTER TABLE cases DROP COLUMN open_appeal_id;
ALTER TABLE cases DROP COLUMN appealable_since;
