-- Workshop requests: a unit contact or a coordinator asks for a workshop; staff
-- accept it by scheduling a session on the unit's live case, or decline it with a
-- reason. Nothing is deleted: a decision fills in the outcome. Wished dates and
-- perspectives are JSON lists, as a session's themes are.
CREATE TABLE workshop_requests (
  id TEXT PRIMARY KEY NOT NULL,
  organisation_id TEXT NOT NULL REFERENCES organisations (id),
  unit_id TEXT REFERENCES units (id),
  requested_by TEXT NOT NULL REFERENCES users (id),
  audience TEXT NOT NULL,
  wished_dates TEXT NOT NULL,
  perspectives TEXT NOT NULL,
  message TEXT,
  status TEXT NOT NULL,
  requested_at TIMESTAMP NOT NULL,
  decided_by TEXT REFERENCES users (id),
  decided_at TIMESTAMP,
  reason TEXT,
  case_id TEXT REFERENCES cases (id),
  session_id TEXT
);
CREATE INDEX workshop_requests_by_status ON workshop_requests (status, id);
CREATE INDEX workshop_requests_by_organisation ON workshop_requests (organisation_id, id);
-- Cohorts: one programme round across several organisations (events may name one).
CREATE TABLE cohorts (
  id TEXT PRIMARY KEY NOT NULL,
  name TEXT NOT NULL,
  programme_id TEXT NOT NULL REFERENCES programmes (id),
  period_start DATE NOT NULL,
  period_end DATE NOT NULL,
  created_by TEXT NOT NULL REFERENCES users (id),
  created_at TIMESTAMP NOT NULL
);
CREATE TABLE cohort_organisations (
  cohort_id TEXT NOT NULL REFERENCES cohorts (id),
  organisation_id TEXT NOT NULL REFERENCES organisations (id),
  added_at TIMESTAMP NOT NULL,
  PRIMARY KEY (cohort_id, organisation_id)
);
CREATE INDEX cohort_organisations_by_organisation ON cohort_organisations (organisation_id);
