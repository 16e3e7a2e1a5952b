-- Open events with public sign-up (kickoffs, learning meetings). `open_to` is `all`
-- or a JSON array of organisation ids. A registrant's name and e-mail are erased
-- (set to NULL, `erased_at` set) `events.retention_days` after the event; the row
-- and its status stay, so the counts do. The cancel token is kept as its SHA-256.
CREATE TABLE open_events (
  id TEXT PRIMARY KEY NOT NULL,
  title TEXT NOT NULL,
  kind TEXT NOT NULL,
  starts_at TIMESTAMP NOT NULL,
  ends_at TIMESTAMP NOT NULL,
  location TEXT,
  description TEXT,
  audience TEXT,
  capacity INTEGER,
  open_to TEXT NOT NULL,
  registration_closes_at TIMESTAMP NOT NULL,
  created_by TEXT NOT NULL REFERENCES users (id),
  created_at TIMESTAMP NOT NULL,
  reminded_at TIMESTAMP,
  attendance_recorded_at TIMESTAMP
);
CREATE INDEX open_events_by_start ON open_events (starts_at, id);
CREATE TABLE event_registrations (
  id TEXT PRIMARY KEY NOT NULL,
  event_id TEXT NOT NULL REFERENCES open_events (id),
  name TEXT,
  email TEXT,
  email_key TEXT,
  organisation_id TEXT REFERENCES organisations (id),
  unit_id TEXT REFERENCES units (id),
  language TEXT NOT NULL,
  status TEXT NOT NULL,
  token_hash TEXT NOT NULL,
  registered_at TIMESTAMP NOT NULL,
  cancelled_at TIMESTAMP,
  attended BOOLEAN NOT NULL DEFAULT FALSE,
  erased_at TIMESTAMP
);
CREATE INDEX event_registrations_by_event ON event_registrations (event_id, registered_at, id);
-- One live registration per address and event (the first stands).
CREATE UNIQUE INDEX event_registrations_one_per_address
  ON event_registrations (event_id, email_key);
-- The session an event's attendance made on a unit's case, so recording again
-- replaces that session's attendance instead of counting the event twice.
CREATE TABLE event_sessions (
  event_id TEXT NOT NULL REFERENCES open_events (id),
  case_id TEXT NOT NULL REFERENCES cases (id),
  session_id TEXT NOT NULL,
  PRIMARY KEY (event_id, case_id)
);
