-- A workshop request accepted as an open event names the event.
ALTER TABLE workshop_requests ADD COLUMN event_id TEXT;
