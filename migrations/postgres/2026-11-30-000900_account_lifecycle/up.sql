-- Account lifecycle (docs/people.md): a deactivated user keeps their history but
-- cannot sign in by any route; deactivating deletes their tokens in the same write.
ALTER TABLE users ADD COLUMN active BOOLEAN NOT NULL DEFAULT TRUE;
