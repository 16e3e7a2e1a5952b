DROP TABLE plan_reminders_sent;
DROP TABLE plan_events;
DROP TABLE plan_follow_ups;
DROP TABLE plan_actions;
DROP TABLE plans;
