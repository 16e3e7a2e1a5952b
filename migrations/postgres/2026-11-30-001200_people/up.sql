-- People (docs/people.md): set-password links (reset and welcome), kept only as the
-- SHA-256 of the token; a newer link or a use deletes the user's other links.
CREATE TABLE password_links (
    token_hash TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id),
    purpose TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL
);
CREATE INDEX password_links_by_user ON password_links (user_id);
-- The access audit: sign-ins, failed sign-ins, sign-outs, account changes, password
-- resets, exports and erasures. Never a password or a token; a failed sign-in of an
-- unknown address keeps only the address masked.
CREATE TABLE access_events (
    id TEXT PRIMARY KEY,
    at TIMESTAMP NOT NULL,
    kind TEXT NOT NULL,
    actor_id TEXT,
    subject_id TEXT,
    subject_hint TEXT,
    client TEXT,
    detail TEXT
);
CREATE INDEX access_events_by_at ON access_events (at);
CREATE INDEX access_events_by_subject ON access_events (subject_id);
