DROP INDEX cases_by_status;
CREATE INDEX cases_by_status ON cases (status, id);
