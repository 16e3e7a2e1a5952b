-- The certificate's PDF (tens of kilobytes) and signed credential move to the end of
-- the row. SQLite keeps a row's columns in order and spills a large row onto a chain
-- of overflow pages: with the PDF in the middle, every read of the columns after it
-- (the status and its date, read by each verification and by each command's answer)
-- walked the whole chain. With the bytes last, those reads stop before them.
-- PostgreSQL keeps large values out of line already, so only SQLite is rebuilt.
CREATE TABLE certificates_reordered (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases(id),
    cycle INTEGER NOT NULL,
    number TEXT NOT NULL UNIQUE,
    revision INTEGER NOT NULL,
    verification_code TEXT NOT NULL UNIQUE,
    status TEXT NOT NULL,
    issued_at TIMESTAMP NOT NULL,
    valid_from DATE NOT NULL,
    valid_until DATE NOT NULL,
    first_certified_on DATE NOT NULL,
    auditor_id TEXT,
    unit_id TEXT NOT NULL,
    unit_name TEXT NOT NULL,
    organisation_name TEXT NOT NULL,
    programme_id TEXT NOT NULL,
    programme_key TEXT NOT NULL,
    programme_name TEXT NOT NULL,
    programme_version INTEGER NOT NULL,
    issuer TEXT NOT NULL,
    pdf_sha256 TEXT NOT NULL,
    status_changed_at TIMESTAMP,
    status_reason TEXT,
    revocation_list TEXT REFERENCES status_lists (id),
    revocation_index INTEGER,
    suspension_list TEXT REFERENCES status_lists (id),
    suspension_index INTEGER,
    credential TEXT NOT NULL,
    pdf BLOB NOT NULL
);
INSERT INTO certificates_reordered (
    id, case_id, cycle, number, revision, verification_code, status, issued_at,
    valid_from, valid_until, first_certified_on, auditor_id, unit_id, unit_name,
    organisation_name, programme_id, programme_key, programme_name, programme_version,
    issuer, pdf_sha256, status_changed_at, status_reason, revocation_list,
    revocation_index, suspension_list, suspension_index, credential, pdf)
SELECT
    id, case_id, cycle, number, revision, verification_code, status, issued_at,
    valid_from, valid_until, first_certified_on, auditor_id, unit_id, unit_name,
    organisation_name, programme_id, programme_key, programme_name, programme_version,
    issuer, pdf_sha256, status_changed_at, status_reason, revocation_list,
    revocation_index, suspension_list, suspension_index, credential, pdf
FROM certificates;
DROP TABLE certificates;
ALTER TABLE certificates_reordered RENAME TO certificates;
CREATE INDEX certificates_by_case ON certificates (case_id, issued_at);
CREATE INDEX certificates_by_expiry ON certificates (status, valid_until);
CREATE UNIQUE INDEX certificates_by_revocation_entry ON certificates (revocation_list, revocation_index);
CREATE UNIQUE INDEX certificates_by_suspension_entry ON certificates (suspension_list, suspension_index);
