-- The reminders read every active case's deadline on each run, in id order; with the
-- columns they need in the index, they read the index alone, not the cases' rows.
DROP INDEX cases_by_status;
CREATE INDEX cases_by_status ON cases (status, id, stage_due_at, cycle, stage, stage_entered_at);
