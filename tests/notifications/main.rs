//! Black-box tests of e-mail notifications: the app sends to a real SMTP server on
//! loopback, and the tests drive the outbox worker and the periodic jobs step by
//! step on a manual clock. SQLite by default, PostgreSQL with
//! `STEGVIS_TEST_BACKEND=postgres`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test that cannot go on should stop loudly"
)]

mod helpers;

mod admin;
mod appeals;
mod calendar;
mod crash;
mod instances;
mod mail_content;
mod open_events;
mod outages;
mod password_reset;
mod plans;
mod recipients;
mod reminders;
mod transports;
mod webhooks;
mod workshop_requests;
