-- Appeals and complaints. A case knows since when its return or suspension in force
-- may be appealed and which appeal is open; the appeals and complaints themselves are
-- kept here for the admins' lists (their events are in the case histories). Nothing
-- is deleted: a decision fills in the outcome.
ALTER TABLE cases ADD COLUMN appealable_since TIMESTAMP;
ALTER TABLE cases ADD COLUMN open_appeal_id TEXT;
-- A suspension or a return in force before this migration may be appealed too.
UPDATE cases SET appealable_since = updated_at
  WHERE status = 'suspended'
     OR (status IN ('active', 'paused') AND stage NOT IN ('audit', 'certified')
         AND auditor_id IS NOT NULL);
CREATE TABLE appeals (
  id TEXT PRIMARY KEY NOT NULL,
  case_id TEXT NOT NULL REFERENCES cases (id),
  ground TEXT NOT NULL,
  text TEXT NOT NULL,
  filed_by TEXT NOT NULL REFERENCES users (id),
  filed_at TIMESTAMP NOT NULL,
  outcome TEXT,
  comment TEXT,
  decided_by TEXT REFERENCES users (id),
  decided_at TIMESTAMP
);
CREATE INDEX appeals_by_filing ON appeals (filed_at, id);
CREATE INDEX appeals_by_case ON appeals (case_id);
-- A complaint about a certified unit names its case (by the certificate's code);
-- one about the certifying body names none. The e-mail is for the outcome only.
CREATE TABLE complaints (
  id TEXT PRIMARY KEY NOT NULL,
  case_id TEXT REFERENCES cases (id),
  certificate_code TEXT,
  text TEXT NOT NULL,
  email TEXT,
  language TEXT NOT NULL,
  received_at TIMESTAMP NOT NULL,
  outcome TEXT,
  comment TEXT,
  decided_by TEXT REFERENCES users (id),
  decided_at TIMESTAMP
);
CREATE INDEX complaints_by_receipt ON complaints (received_at, id);
-- The optional separate certification decision: with `admin`, the auditor's approval
-- recommends (the case stays in audit, `recommended_at` set) and an admin decides.
ALTER TABLE programmes ADD COLUMN decision_by TEXT NOT NULL DEFAULT 'auditor';
ALTER TABLE cases ADD COLUMN recommended_at TIMESTAMP;
