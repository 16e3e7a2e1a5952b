-- Certification practice: findings are due by a date set from their severity; a
-- certified case is due a surveillance every so many months, and a lapsed one
-- suspends it (a passed surveillance lifts only that kind of suspension).
ALTER TABLE programmes ADD COLUMN finding_major_days INTEGER NOT NULL DEFAULT 30;
ALTER TABLE programmes ADD COLUMN finding_minor_days INTEGER NOT NULL DEFAULT 60;
ALTER TABLE programmes ADD COLUMN finding_observation_days INTEGER NOT NULL DEFAULT 90;
ALTER TABLE programmes ADD COLUMN surveillance_months INTEGER NOT NULL DEFAULT 12;
ALTER TABLE programmes ADD COLUMN surveillance_grace_days INTEGER NOT NULL DEFAULT 60;
ALTER TABLE cases ADD COLUMN next_surveillance_due TIMESTAMP;
ALTER TABLE cases ADD COLUMN suspended_for_surveillance BOOLEAN NOT NULL DEFAULT 0;
ALTER TABLE findings ADD COLUMN due_on DATE;
CREATE INDEX cases_by_next_surveillance ON cases (next_surveillance_due);
