//! Black-box tests of the REST API (shared/API.md), each against a freshly spawned app
//! with its own database: SQLite by default, PostgreSQL with
//! `STEGVIS_TEST_BACKEND=postgres`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test that cannot go on should stop loudly"
)]

mod helpers;

mod access_audit;
mod adjudication_pages;
mod admin_lists;
mod appeal_forms;
mod appeal_pages;
mod appeals;
mod auth;
mod bad_headers_and_paths;
mod bad_input;
mod certificate_diploma;
mod certificate_pdf;
mod certificates;
mod certification_path;
mod cohort_pages;
mod cohorts;
mod concurrency;
mod confirm_pages;
mod credential_status;
mod decision;
mod demo;
mod durability;
mod enrolment;
mod event_pages;
mod events;
mod evidence_and_findings;
mod evidence_files;
mod flow_pages;
mod fuzzing_regressions;
mod group_commit;
mod health;
mod history;
mod idempotency;
mod idempotency_edges;
mod list_pages;
mod metrics;
mod names;
mod oidc;
mod open_events;
mod organisations;
mod overdue;
mod page_language;
mod pages;
mod paging;
mod password_reset;
mod people_pages;
mod personal_data;
mod plan_event_lists;
mod plan_pages;
mod plans;
mod programme_pages;
mod programme_paths;
mod programmes;
mod raw_sql;
mod registry;
mod reports;
mod roles;
mod scale;
mod session_pages;
mod sessions;
mod status;
mod surveillance;
mod tenancy;
mod thresholds;
mod throttling;
mod transitions;
mod user_lifecycle;
mod verification_page;
mod web_csrf;
mod web_security;
mod web_session;
mod web_tenancy;
mod workshop_request_pages;
mod workshop_requests;
