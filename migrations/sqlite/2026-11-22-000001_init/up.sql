-- Stegvis schema. Ids are opaque text, times are UTC timestamps, JSON is text:
-- the same shape on SQLite and PostgreSQL so one diesel code path serves both.

CREATE TABLE organisations (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    org_number TEXT,
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE units (
    id TEXT PRIMARY KEY,
    organisation_id TEXT NOT NULL REFERENCES organisations(id),
    name TEXT NOT NULL,
    department TEXT,
    headcount INTEGER NOT NULL,
    contact_email TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX units_by_organisation ON units (organisation_id, id);

CREATE TABLE users (
    id TEXT PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    role TEXT NOT NULL,
    organisation_id TEXT REFERENCES organisations(id),
    unit_id TEXT REFERENCES units(id),
    language TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX users_by_role ON users (role, id);
CREATE INDEX users_by_unit ON users (unit_id);

CREATE TABLE api_tokens (
    token_hash TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id),
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL
);
CREATE INDEX api_tokens_by_user ON api_tokens (user_id);

CREATE TABLE login_failures (
    id TEXT PRIMARY KEY,
    email TEXT NOT NULL,
    at TIMESTAMP NOT NULL
);
CREATE INDEX login_failures_by_email ON login_failures (email, at);

CREATE TABLE programmes (
    id TEXT PRIMARY KEY,
    key TEXT NOT NULL,
    name TEXT NOT NULL,
    version INTEGER NOT NULL,
    workshops_required INTEGER NOT NULL,
    attendance_threshold_pct INTEGER NOT NULL,
    reflection_threshold_pct INTEGER NOT NULL,
    routine_areas TEXT NOT NULL,
    validity_months INTEGER NOT NULL,
    stage_deadline_days TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (key, version)
);

CREATE TABLE cases (
    id TEXT PRIMARY KEY,
    unit_id TEXT NOT NULL REFERENCES units(id),
    organisation_id TEXT NOT NULL REFERENCES organisations(id),
    programme_id TEXT NOT NULL REFERENCES programmes(id),
    stage TEXT NOT NULL,
    status TEXT NOT NULL,
    version BIGINT NOT NULL,
    consultant_id TEXT REFERENCES users(id),
    auditor_id TEXT REFERENCES users(id),
    cycle INTEGER NOT NULL,
    stage_entered_at TIMESTAMP NOT NULL,
    stage_due_at TIMESTAMP,
    paused_at TIMESTAMP,
    reflections_completed INTEGER NOT NULL,
    audit_round INTEGER NOT NULL,
    last_hash TEXT NOT NULL,
    -- unit id + programme key while the case is live, NULL otherwise: at most one
    -- live case per unit and programme, enforced by the database.
    live_key TEXT UNIQUE,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX cases_by_organisation ON cases (organisation_id, id);
CREATE INDEX cases_by_unit ON cases (unit_id, id);
CREATE INDEX cases_by_stage ON cases (stage, id);
CREATE INDEX cases_by_status_due ON cases (status, stage_due_at);
CREATE INDEX cases_by_consultant ON cases (consultant_id, id);
CREATE INDEX cases_by_auditor ON cases (auditor_id, id);

CREATE TABLE case_events (
    case_id TEXT NOT NULL REFERENCES cases(id),
    seq BIGINT NOT NULL,
    at TIMESTAMP NOT NULL,
    actor_id TEXT,
    kind TEXT NOT NULL,
    from_stage TEXT,
    to_stage TEXT,
    comment TEXT,
    data TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL,
    PRIMARY KEY (case_id, seq)
);

CREATE TABLE sessions (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases(id),
    cycle INTEGER NOT NULL,
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    starts_at TIMESTAMP NOT NULL,
    ends_at TIMESTAMP NOT NULL,
    location TEXT,
    attended INTEGER,
    cancelled BOOLEAN NOT NULL,
    sequence INTEGER NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX sessions_by_case ON sessions (case_id, starts_at);

CREATE TABLE evidence (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases(id),
    cycle INTEGER NOT NULL,
    area TEXT NOT NULL,
    description TEXT NOT NULL,
    link TEXT,
    added_by TEXT NOT NULL,
    added_at TIMESTAMP NOT NULL
);
CREATE INDEX evidence_by_case ON evidence (case_id, added_at);

CREATE TABLE findings (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases(id),
    cycle INTEGER NOT NULL,
    round INTEGER NOT NULL,
    severity TEXT NOT NULL,
    area TEXT,
    text TEXT NOT NULL,
    resolution TEXT,
    resolved_at TIMESTAMP,
    resolved_by TEXT,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX findings_by_case ON findings (case_id, round);

CREATE TABLE idempotency_keys (
    user_id TEXT NOT NULL,
    key TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    status INTEGER,
    response_body TEXT,
    etag TEXT,
    location TEXT,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (user_id, key)
);
CREATE INDEX idempotency_keys_by_age ON idempotency_keys (created_at);

CREATE TABLE outbox (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    case_id TEXT,
    recipient TEXT NOT NULL,
    language TEXT NOT NULL,
    payload TEXT NOT NULL,
    status TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    next_attempt_at TIMESTAMP NOT NULL,
    lease_until TIMESTAMP,
    last_error TEXT,
    created_at TIMESTAMP NOT NULL,
    sent_at TIMESTAMP
);
CREATE INDEX outbox_due ON outbox (status, next_attempt_at);
