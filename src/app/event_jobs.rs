//! The periodic jobs of open events: the reminder the day before (once per event, to
//! every confirmed registrant) and the erasure of registrants' names and addresses
//! `events.retention_days` after the event (the registrations and their counts stay).

use chrono::{DateTime, Duration, Utc};

use super::error::AppError;
use super::{to_db, AppState};
use crate::domain::open_events::{self as rules, RegistrationStatus};
use crate::notify::open_events::{queue, Notice};
use crate::store::open_events as store;

/// Sends the reminder of every event starting within a day of `as_of` not reminded
/// yet; the number of mails written. Each event's mails and its mark commit together.
pub fn remind(state: &AppState, as_of: DateTime<Utc>) -> Result<usize, AppError> {
    let due = {
        let mut conn = state.store.conn()?;
        store::to_remind(&mut conn, to_db(as_of), to_db(as_of + Duration::hours(24)))?
    };
    let mut sent = 0;
    for event in due {
        if !rules::reminder_due(as_of, crate::store::from_db(event.starts_at)) {
            continue;
        }
        sent += state.store.write(|conn| -> Result<usize, AppError> {
            if !store::mark_reminded(conn, &event.id, to_db(state.now()))? {
                return Ok(0);
            }
            let mut sent = 0;
            for mut registration in store::registrations(conn, &event.id)? {
                if registration.status != RegistrationStatus::Confirmed.as_str() {
                    continue;
                }
                let token = super::open_events::token_for(conn, &mut registration)?;
                sent += queue(
                    conn,
                    &state.settings,
                    &event,
                    &registration,
                    Notice::Reminder,
                    &token,
                    state.now(),
                )?;
            }
            Ok(sent)
        })?;
    }
    Ok(sent)
}

/// Erases the names and addresses of registrants of events that ended
/// `events.retention_days` or more before `as_of`; the number erased.
pub fn erase(state: &AppState, as_of: DateTime<Utc>) -> Result<usize, AppError> {
    let cutoff = rules::erasure_cutoff(as_of, state.settings.events.retention_days);
    state.store.write(|conn| {
        store::erase_ended_before(conn, to_db(cutoff), to_db(state.now())).map_err(AppError::from)
    })
}
