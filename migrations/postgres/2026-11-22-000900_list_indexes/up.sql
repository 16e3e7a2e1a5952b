-- Indexes for the list filters that had none in id order, and for the periodic
-- clean-ups (docs/benchmarks.md, "Scale").
CREATE INDEX cases_by_status ON cases (status, id);
CREATE INDEX api_tokens_by_expiry ON api_tokens (expires_at);
CREATE INDEX login_failures_by_time ON login_failures (at);
