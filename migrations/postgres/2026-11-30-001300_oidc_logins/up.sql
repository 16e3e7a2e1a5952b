-- Single sign-on (docs/people.md): one row per OpenID Connect log-in under way,
-- keyed by the SHA-256 of its `state`, deleted when the callback consumes it (so a
-- replayed state finds nothing) or when it expires (10 minutes).
CREATE TABLE oidc_logins (
    state_hash TEXT PRIMARY KEY,
    provider TEXT NOT NULL,
    nonce TEXT NOT NULL,
    pkce_verifier TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL
);
CREATE INDEX oidc_logins_by_expiry ON oidc_logins (expires_at);
