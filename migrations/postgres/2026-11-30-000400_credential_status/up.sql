-- Credential status: every certificate holds one entry in a revocation and one in a
-- suspension Bitstring Status List (W3C); the lists are named here, the bits follow
-- from the certificates' statuses. Certificates issued before this change get their
-- entries (and a re-signed credential) at start-up.
CREATE TABLE status_lists (
    id TEXT PRIMARY KEY NOT NULL,
    purpose TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
ALTER TABLE certificates ADD COLUMN revocation_list TEXT REFERENCES status_lists (id);
ALTER TABLE certificates ADD COLUMN revocation_index INTEGER;
ALTER TABLE certificates ADD COLUMN suspension_list TEXT REFERENCES status_lists (id);
ALTER TABLE certificates ADD COLUMN suspension_index INTEGER;
CREATE UNIQUE INDEX certificates_by_revocation_entry ON certificates (revocation_list, revocation_index);
CREATE UNIQUE INDEX certificates_by_suspension_entry ON certificates (suspension_list, suspension_index);
-- The public registry lists only organisations that opted in.
ALTER TABLE organisations ADD COLUMN public_registry BOOLEAN NOT NULL DEFAULT FALSE;
