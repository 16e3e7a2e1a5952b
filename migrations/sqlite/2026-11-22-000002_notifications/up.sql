-- Notifications: what the outbox worker needs to deliver each row exactly once
-- (a stable Message-ID, the claim token), what reminders were already sent, and
-- the lease that lets one instance at a time run the periodic jobs.
ALTER TABLE outbox ADD COLUMN message_id TEXT NOT NULL DEFAULT '';
ALTER TABLE outbox ADD COLUMN subject TEXT NOT NULL DEFAULT '';
ALTER TABLE outbox ADD COLUMN claimed_by TEXT;
CREATE INDEX outbox_by_status ON outbox (status, id);

CREATE TABLE reminders_sent (
    key TEXT PRIMARY KEY,
    case_id TEXT NOT NULL,
    sent_at TIMESTAMP NOT NULL
);

CREATE TABLE job_leases (
    name TEXT PRIMARY KEY,
    holder TEXT,
    lease_until TIMESTAMP
);
