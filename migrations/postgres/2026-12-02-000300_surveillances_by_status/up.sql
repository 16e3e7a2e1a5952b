-- The jobs look for certified cases whose surveillance is due; suspended ones keep
-- their past date, and at a million cases they outnumber the certified ones due. With
-- the status first (and the id in it) the jobs read only the entries they want.
DROP INDEX cases_by_next_surveillance;
CREATE INDEX cases_by_next_surveillance ON cases (status, next_surveillance_due, id);
