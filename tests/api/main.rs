//! Black-box tests of the REST API (shared/API.md), each against a freshly spawned app
//! with its own database: SQLite by default, PostgreSQL with
//! `STEGVIS_TEST_BACKEND=postgres`.

mod helpers;

mod auth;
mod bad_input;
mod certificates;
mod certification_path;
mod concurrency;
mod durability;
mod enrolment;
mod events;
mod evidence_and_findings;
mod fuzzing_regressions;
mod health;
mod idempotency;
mod names;
mod organisations;
mod paging;
mod programmes;
mod reports;
mod roles;
mod sessions;
mod status;
mod tenancy;
mod throttling;
mod transitions;
mod web_security;
