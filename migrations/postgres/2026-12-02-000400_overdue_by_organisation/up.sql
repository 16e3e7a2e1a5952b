-- An organisation's overdue cases (its dashboard), by organisation, status and due
-- date, in the order the dashboard lists them: without it the database walked the
-- overdue cases of every organisation (2.7 s for one page at a million cases).
CREATE INDEX cases_overdue_by_organisation ON cases (organisation_id, status, stage_due_at, id);
