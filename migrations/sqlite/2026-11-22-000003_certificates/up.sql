-- Certificates: issued inside the approve transaction, never deleted. The PDF is
-- rendered once at issuance and kept with its SHA-256; the signed credential too.
CREATE TABLE certificates (
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
    pdf BLOB NOT NULL,
    pdf_sha256 TEXT NOT NULL,
    credential TEXT NOT NULL,
    status_changed_at TIMESTAMP,
    status_reason TEXT
);
CREATE INDEX certificates_by_case ON certificates (case_id, issued_at);
CREATE INDEX certificates_by_expiry ON certificates (status, valid_until);

-- The last number given out per year, so numbers are sequential and never reused.
CREATE TABLE certificate_numbers (
    year INTEGER PRIMARY KEY,
    last INTEGER NOT NULL
);
