DROP TABLE access_events;
DROP TABLE password_links;
