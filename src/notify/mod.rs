//! E-mail notifications that are never lost.
//!
//! A command writes its outbox rows in the same transaction as its events
//! ([`enqueue`]); the [`worker`] inside `stegvis serve` claims due rows with a lease,
//! renders them from `templates/email/{sv,en}` ([`render`]), attaches a calendar
//! invitation where a session is concerned ([`calendar`]), and hands them to the
//! configured [`transport`]. Failures are retried with exponential backoff, then the
//! row is dead until an admin retries it. Reminders come from the periodic jobs
//! (`app::reminders`), which enqueue through the same path.

pub mod calendar;
pub mod complaints;
pub mod enqueue;
pub mod message;
pub mod open_events;
pub mod outbox_rows;
pub mod payload;
pub mod plans;
pub mod recipients;
pub mod render;
pub mod samples;
pub mod transport;
pub mod webhook;
pub mod words;
pub mod worker;
pub mod workshops;

pub use enqueue::{enqueue, NotifyContext};
pub use worker::{dispatch_all_pending, dispatch_pending, Delivery, Mailer};

use crate::store::StoreError;

/// Why writing or sending mail failed; never caused by a client's input.
#[derive(Debug, thiserror::Error)]
pub enum NotifyError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("database: {0}")]
    Query(#[from] diesel::result::Error),
    #[error("mail payload: {0}")]
    Payload(#[source] serde_json::Error),
    #[error("mail transport: {0}")]
    Transport(String),
    #[error("certificate: {0}")]
    Certificate(#[from] crate::certificate::CertificateError),
}
