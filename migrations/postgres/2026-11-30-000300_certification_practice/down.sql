DROP INDEX cases_by_next_surveillance;
ALTER TABLE findings DROP COLUMN due_on;
ALTER TABLE cases DROP COLUMN suspended_for_surveillance;
ALTER TABLE cases DROP COLUMN next_surveillance_due;
ALTER TABLE programmes DROP COLUMN surveillance_grace_days;
ALTER TABLE programmes DROP COLUMN surveillance_months;
ALTER TABLE programmes DROP COLUMN finding_observation_days;
ALTER TABLE programmes DROP COLUMN finding_minor_days;
ALTER TABLE programmes DROP COLUMN finding_major_days;
