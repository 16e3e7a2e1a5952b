DROP TABLE event_sessions;
DROP TABLE event_registrations;
DROP TABLE open_events;
