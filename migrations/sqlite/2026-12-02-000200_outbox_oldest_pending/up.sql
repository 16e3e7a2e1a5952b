-- /readyz and /metrics age the oldest pending mail on every call; with this index that
-- is one look-up, not a read of every pending row (a backlog can be 800,000 mails).
CREATE INDEX outbox_pending_since ON outbox (status, created_at);
