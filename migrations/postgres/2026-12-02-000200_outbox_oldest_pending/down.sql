DROP INDEX outbox_pending_since;
