-- Webhooks (docs/operations.md): the endpoints an admin registered, and one delivery
-- per (event, endpoint), written in the command's transaction and sent by the
-- webhook worker with the outbox's leasing (claimed_by, lease_until) and back-off.
CREATE TABLE webhook_endpoints (
    id TEXT PRIMARY KEY,
    url TEXT NOT NULL,
    -- The event kinds it receives, space-separated (e.g. "case.stage_changed certificate.issued").
    events TEXT NOT NULL,
    -- "whsec_" + base64 of the key bytes, as the Standard Webhooks scheme writes it.
    secret TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE webhook_deliveries (
    -- Also the webhook-id header: the same on every attempt, so receivers can
    -- recognise a delivery they already handled.
    id TEXT PRIMARY KEY,
    endpoint_id TEXT NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
    event_type TEXT NOT NULL,
    -- The body, exactly as sent and signed.
    payload TEXT NOT NULL,
    status TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    next_attempt_at TIMESTAMP NOT NULL,
    lease_until TIMESTAMP,
    claimed_by TEXT,
    last_error TEXT,
    response_status INTEGER,
    created_at TIMESTAMP NOT NULL,
    sent_at TIMESTAMP
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (status, next_attempt_at);
CREATE INDEX webhook_deliveries_by_endpoint ON webhook_deliveries (endpoint_id, id);
