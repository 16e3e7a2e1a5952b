DROP TABLE job_leases;
DROP TABLE reminders_sent;
DROP INDEX outbox_by_status;
ALTER TABLE outbox DROP COLUMN claimed_by;
ALTER TABLE outbox DROP COLUMN subject;
ALTER TABLE outbox DROP COLUMN message_id;
