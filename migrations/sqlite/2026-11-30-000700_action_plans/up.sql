-- Action plans of an organisation (optionally linked to one of its cases), their
-- actions with a responsible person and a coordinator, and the follow-ups written on
-- them. Nothing is deleted: a dropped action keeps its row with status `dropped`.
-- Every change is also an event of the plan's hash-chained history (plan_events).
CREATE TABLE plans (
  id TEXT PRIMARY KEY NOT NULL,
  organisation_id TEXT NOT NULL REFERENCES organisations (id),
  case_id TEXT REFERENCES cases (id),
  title TEXT NOT NULL,
  period_start DATE NOT NULL,
  period_end DATE NOT NULL,
  created_at TIMESTAMP NOT NULL
);
CREATE INDEX plans_by_organisation ON plans (organisation_id, id);
CREATE INDEX plans_by_case ON plans (case_id);
CREATE TABLE plan_actions (
  id TEXT PRIMARY KEY NOT NULL,
  plan_id TEXT NOT NULL REFERENCES plans (id),
  title TEXT NOT NULL,
  description TEXT,
  status TEXT NOT NULL,
  due_on DATE,
  responsible_id TEXT NOT NULL REFERENCES users (id),
  coordinator_id TEXT REFERENCES users (id),
  created_at TIMESTAMP NOT NULL
);
CREATE INDEX plan_actions_by_plan ON plan_actions (plan_id, created_at, id);
CREATE INDEX plan_actions_by_due ON plan_actions (due_on);
CREATE TABLE plan_follow_ups (
  id TEXT PRIMARY KEY NOT NULL,
  action_id TEXT NOT NULL REFERENCES plan_actions (id),
  text TEXT NOT NULL,
  by_id TEXT NOT NULL REFERENCES users (id),
  at TIMESTAMP NOT NULL
);
CREATE INDEX plan_follow_ups_by_action ON plan_follow_ups (action_id, at, id);
-- The plan's history, chained as a case's is: each event's hash covers the one before.
CREATE TABLE plan_events (
  plan_id TEXT NOT NULL REFERENCES plans (id),
  seq BIGINT NOT NULL,
  at TIMESTAMP NOT NULL,
  actor_id TEXT,
  kind TEXT NOT NULL,
  data TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL,
  PRIMARY KEY (plan_id, seq)
);
-- Which action reminders went out (due in 7 days, overdue): one row per threshold,
-- written in the transaction that queues the mail, so a rerun sends nothing new.
CREATE TABLE plan_reminders_sent (
  key TEXT PRIMARY KEY NOT NULL,
  action_id TEXT NOT NULL REFERENCES plan_actions (id),
  sent_at TIMESTAMP NOT NULL
);
