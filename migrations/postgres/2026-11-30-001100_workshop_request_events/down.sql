ALTER TABLE workshop_requests DROP COLUMN event_id;
