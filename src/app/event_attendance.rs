//! Attendance at an open event, and what it counts for: for each attending unit's
//! working case the event is a held session of its kind (a learning meeting can
//! satisfy a `sessions_held` requirement), with that unit's attendees as its
//! attendance. The session is scheduled and its attendance recorded through the case
//! command pipeline, so the history, requirements and mails follow; recording again
//! replaces the session's attendance (a case no longer attending gets 0).

use std::collections::HashSet;

use super::cases::{load_session, system_actor};
use super::error::AppError;
use super::event_inputs::{AttendanceRequest, Event};
use super::open_events::{kind_of, status_of, view};
use super::pipeline::{execute_in, Precondition, Reactors, Subject};
use super::{from_db, to_db, AppState};
use crate::domain::command::SessionDocumentation;
use crate::domain::open_events::{self as rules, RegistrationStatus};
use crate::domain::policy::{authorize, Action, Target};
use crate::domain::{Actor, Command, FieldCode, FieldError};
use crate::store::open_events::{self as store, EventRow};
use crate::store::{cases, ids, DbConnection};

/// The attended ids, each a live registration of the event (422 naming the first
/// that is not).
fn checked_attendees(
    conn: &mut DbConnection,
    event_id: &str,
    attended: &[String],
) -> Result<Vec<String>, AppError> {
    let registrations = store::registrations(conn, event_id)?;
    let mut seen = HashSet::new();
    for (i, id) in attended.iter().enumerate() {
        let live = match registrations.iter().find(|r| &r.id == id) {
            Some(r) => status_of(r)? != RegistrationStatus::Cancelled,
            None => false,
        };
        if !live {
            return Err(AppError::Invalid(vec![FieldError::coded(
                format!("attended[{i}]"),
                FieldCode::NotRegistered,
                "no live registration of this event has this id",
            )]));
        }
        seen.insert(id.clone());
    }
    Ok(attended
        .iter()
        .filter(|id| seen.remove(*id))
        .cloned()
        .collect())
}

/// Schedules the event as a session on the case unless it is there already; the
/// session's id.
fn session_on(
    conn: &mut DbConnection,
    reactors: &Reactors<'_>,
    event: &EventRow,
    case_id: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<String, AppError> {
    if let Some(id) = store::session_of(conn, &event.id, case_id)? {
        return Ok(id);
    }
    let session_id = ids::new_id();
    let kind = kind_of(event)?;
    execute_in(
        conn,
        reactors,
        &system_actor(),
        Subject::Case(case_id),
        &Precondition::None,
        now,
        &|_, _| {
            Ok(Command::ScheduleSession {
                session_id: session_id.clone(),
                kind,
                title: event.title.clone(),
                starts_at: from_db(event.starts_at),
                ends_at: from_db(event.ends_at),
                location: event.location.clone(),
                documentation: SessionDocumentation {
                    audience: event.audience.clone(),
                    themes: Vec::new(),
                    notes: None,
                },
            })
        },
    )?;
    store::insert_session(conn, &event.id, case_id, &session_id)?;
    Ok(session_id)
}

/// Records who attended (admins and consultants), once the event has started.
pub fn record(
    state: &AppState,
    actor: &Actor,
    event_id: &str,
    input: AttendanceRequest,
) -> Result<Event, AppError> {
    authorize(actor, Action::ManageEvents, &Target::DEPLOYMENT)?;
    let now = state.now();
    let reactors = Reactors::of(state);
    state.store.write(|conn| {
        let event = store::lock_event(conn, event_id)?.ok_or(AppError::NotFound)?;
        rules::check_attendance_time(now, from_db(event.starts_at))?;
        let attended = checked_attendees(conn, event_id, &input.attended)?;
        store::set_attended(conn, event_id, &attended, to_db(now))?;
        let mut attendees_cases = Vec::new();
        for registration in store::registrations(conn, event_id)? {
            if let (true, Some(unit_id)) = (registration.attended, &registration.unit_id) {
                attendees_cases.extend(cases::working_cases_of_unit(conn, unit_id)?);
            }
        }
        let previous = store::counted_cases(conn, event_id)?;
        let counts = rules::attendance_by_case(
            attendees_cases.iter().map(String::as_str),
            previous.iter().map(String::as_str),
        );
        for (case_id, count) in counts {
            let session_id = session_on(conn, &reactors, &event, case_id, now)?;
            execute_in(
                conn,
                &reactors,
                &system_actor(),
                Subject::Case(case_id),
                &Precondition::None,
                now,
                &|conn, (case, _, _)| {
                    Ok(Command::RecordAttendance {
                        session: load_session(conn, &case.id, &session_id)?,
                        attended: count,
                    })
                },
            )?;
        }
        let event = store::event(conn, event_id)?.ok_or(AppError::NotFound)?;
        view(conn, &event, now)
    })
}
