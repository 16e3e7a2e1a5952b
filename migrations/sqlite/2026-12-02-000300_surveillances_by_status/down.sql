DROP INDEX cases_by_next_surveillance;
CREATE INDEX cases_by_next_surveillance ON cases (next_surveillance_due);
