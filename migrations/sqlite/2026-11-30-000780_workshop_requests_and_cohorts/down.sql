DROP TABLE cohort_organisations;
DROP TABLE cohorts;
DROP TABLE workshop_requests;
