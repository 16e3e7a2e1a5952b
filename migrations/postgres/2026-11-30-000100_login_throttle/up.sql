-- Log-in throttling: one row per (account, client address) pair ("pair:…") with its
-- back-off, and one per client address ("addr:…") with its budget of failed attempts.
-- Rows are locked (a no-op UPDATE) while an attempt is admitted, so concurrent
-- guesses are counted one by one.
CREATE TABLE login_throttle (
    key TEXT PRIMARY KEY,
    failures INTEGER NOT NULL,
    window_start TIMESTAMP NOT NULL,
    last_failure_at TIMESTAMP NOT NULL,
    blocked_until TIMESTAMP
);
CREATE INDEX login_throttle_by_last_failure ON login_throttle (last_failure_at);
DROP TABLE login_failures;
