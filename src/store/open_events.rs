//! Open events, their registrations and the sessions their attendance made on units'
//! cases. What the numbers mean (seats, waitlist, erasure) is decided in
//! `domain::open_events`.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::{event_registrations, event_sessions, open_events};
use super::DbConnection;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = open_events)]
pub struct EventRow {
    pub id: String,
    pub title: String,
    pub kind: String,
    pub starts_at: NaiveDateTime,
    pub ends_at: NaiveDateTime,
    pub location: Option<String>,
    pub description: Option<String>,
    pub audience: Option<String>,
    pub capacity: Option<i32>,
    /// `all`, or a JSON array of organisation ids.
    pub open_to: String,
    pub registration_closes_at: NaiveDateTime,
    pub created_by: String,
    pub created_at: NaiveDateTime,
    pub reminded_at: Option<NaiveDateTime>,
    pub attendance_recorded_at: Option<NaiveDateTime>,
    /// The cohort the event belongs to: then open to its member organisations.
    pub cohort_id: Option<String>,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = event_registrations)]
pub struct RegistrationRow {
    pub id: String,
    pub event_id: String,
    /// Null once erased.
    pub name: Option<String>,
    pub email: Option<String>,
    /// The address in lower case while the registration is live: one per event.
    pub email_key: Option<String>,
    pub organisation_id: Option<String>,
    pub unit_id: Option<String>,
    pub language: String,
    pub status: String,
    /// SHA-256 of the cancel link's token.
    pub token_hash: String,
    pub registered_at: NaiveDateTime,
    pub cancelled_at: Option<NaiveDateTime>,
    pub attended: bool,
    pub erased_at: Option<NaiveDateTime>,
}

pub fn insert_event(conn: &mut DbConnection, row: &EventRow) -> QueryResult<()> {
    diesel::insert_into(open_events::table)
        .values(row.clone())
        .execute(conn)
        .map(|_| ())
}

pub fn event(conn: &mut DbConnection, id: &str) -> QueryResult<Option<EventRow>> {
    open_events::table
        .find(id)
        .select(EventRow::as_select())
        .first(conn)
        .optional()
}

/// Takes the event's write lock for the rest of the transaction, so that two sign-ups
/// never both take the last seat (a no-op UPDATE, as for the throttle's rows).
pub fn lock_event(conn: &mut DbConnection, id: &str) -> QueryResult<Option<EventRow>> {
    diesel::update(open_events::table.find(id))
        .set(open_events::id.eq(id))
        .execute(conn)?;
    event(conn, id)
}

/// Every event, by start and then id (a deployment holds dozens a year).
pub fn events(conn: &mut DbConnection) -> QueryResult<Vec<EventRow>> {
    open_events::table
        .select(EventRow::as_select())
        .order((open_events::starts_at.asc(), open_events::id.asc()))
        .load(conn)
}

pub fn set_capacity(conn: &mut DbConnection, id: &str, capacity: Option<i32>) -> QueryResult<()> {
    diesel::update(open_events::table.find(id))
        .set(open_events::capacity.eq(capacity))
        .execute(conn)
        .map(|_| ())
}

pub fn insert_registration(conn: &mut DbConnection, row: &RegistrationRow) -> QueryResult<()> {
    diesel::insert_into(event_registrations::table)
        .values(row.clone())
        .execute(conn)
        .map(|_| ())
}

pub fn registration(
    conn: &mut DbConnection,
    event_id: &str,
    id: &str,
) -> QueryResult<Option<RegistrationRow>> {
    event_registrations::table
        .find(id)
        .filter(event_registrations::event_id.eq(event_id))
        .select(RegistrationRow::as_select())
        .first(conn)
        .optional()
}

/// Every registration of the event, in the order they signed up.
pub fn registrations(conn: &mut DbConnection, event_id: &str) -> QueryResult<Vec<RegistrationRow>> {
    event_registrations::table
        .filter(event_registrations::event_id.eq(event_id))
        .select(RegistrationRow::as_select())
        .order((
            event_registrations::registered_at.asc(),
            event_registrations::id.asc(),
        ))
        .load(conn)
}

/// True when a live registration of the event has this address (lower case).
pub fn is_registered(
    conn: &mut DbConnection,
    event_id: &str,
    email_key: &str,
) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        event_registrations::table
            .filter(event_registrations::event_id.eq(event_id))
            .filter(event_registrations::email_key.eq(email_key)),
    ))
    .get_result(conn)
}

/// How many registrations of the event have this status.
pub fn count(conn: &mut DbConnection, event_id: &str, status: &str) -> QueryResult<i64> {
    event_registrations::table
        .filter(event_registrations::event_id.eq(event_id))
        .filter(event_registrations::status.eq(status))
        .count()
        .get_result(conn)
}

pub fn set_status(
    conn: &mut DbConnection,
    id: &str,
    status: &str,
    cancelled_at: Option<NaiveDateTime>,
) -> QueryResult<()> {
    let target = event_registrations::table.find(id);
    if cancelled_at.is_some() {
        // A cancelled address may sign up again: it no longer holds its place.
        diesel::update(target)
            .set((
                event_registrations::status.eq(status),
                event_registrations::cancelled_at.eq(cancelled_at),
                event_registrations::email_key.eq(None::<String>),
            ))
            .execute(conn)
            .map(|_| ())
    } else {
        diesel::update(target)
            .set(event_registrations::status.eq(status))
            .execute(conn)
            .map(|_| ())
    }
}

/// Marks exactly `attended` of the event's registrations as having attended.
pub fn set_attended(
    conn: &mut DbConnection,
    event_id: &str,
    attended: &[String],
    at: NaiveDateTime,
) -> QueryResult<()> {
    diesel::update(event_registrations::table.filter(event_registrations::event_id.eq(event_id)))
        .set(event_registrations::attended.eq(false))
        .execute(conn)?;
    diesel::update(
        event_registrations::table
            .filter(event_registrations::event_id.eq(event_id))
            .filter(event_registrations::id.eq_any(attended)),
    )
    .set(event_registrations::attended.eq(true))
    .execute(conn)?;
    diesel::update(open_events::table.find(event_id))
        .set(open_events::attendance_recorded_at.eq(Some(at)))
        .execute(conn)
        .map(|_| ())
}

/// The session the event's attendance made on the case, if any.
pub fn session_of(
    conn: &mut DbConnection,
    event_id: &str,
    case_id: &str,
) -> QueryResult<Option<String>> {
    event_sessions::table
        .find((event_id, case_id))
        .select(event_sessions::session_id)
        .first(conn)
        .optional()
}

pub fn insert_session(
    conn: &mut DbConnection,
    event_id: &str,
    case_id: &str,
    session_id: &str,
) -> QueryResult<()> {
    diesel::insert_into(event_sessions::table)
        .values((
            event_sessions::event_id.eq(event_id),
            event_sessions::case_id.eq(case_id),
            event_sessions::session_id.eq(session_id),
        ))
        .execute(conn)
        .map(|_| ())
}

/// The cases the event's attendance counted for so far.
pub fn counted_cases(conn: &mut DbConnection, event_id: &str) -> QueryResult<Vec<String>> {
    event_sessions::table
        .filter(event_sessions::event_id.eq(event_id))
        .select(event_sessions::case_id)
        .load(conn)
}

/// Events starting in (from, until] not yet reminded.
pub fn to_remind(
    conn: &mut DbConnection,
    from: NaiveDateTime,
    until: NaiveDateTime,
) -> QueryResult<Vec<EventRow>> {
    open_events::table
        .filter(open_events::reminded_at.is_null())
        .filter(open_events::starts_at.gt(from))
        .filter(open_events::starts_at.le(until))
        .select(EventRow::as_select())
        .load(conn)
}

/// Marks the event reminded; false when another run did first.
pub fn mark_reminded(conn: &mut DbConnection, id: &str, at: NaiveDateTime) -> QueryResult<bool> {
    diesel::update(
        open_events::table
            .find(id)
            .filter(open_events::reminded_at.is_null()),
    )
    .set(open_events::reminded_at.eq(Some(at)))
    .execute(conn)
    .map(|n| n == 1)
}

/// Erases names and addresses of registrations of events that ended at or before
/// `ended_by`; the rows and their statuses stay. The number of registrations erased.
pub fn erase_ended_before(
    conn: &mut DbConnection,
    ended_by: NaiveDateTime,
    at: NaiveDateTime,
) -> QueryResult<usize> {
    let ended = open_events::table
        .filter(open_events::ends_at.le(ended_by))
        .select(open_events::id);
    diesel::update(
        event_registrations::table
            .filter(event_registrations::erased_at.is_null())
            .filter(event_registrations::event_id.eq_any(ended)),
    )
    .set((
        event_registrations::name.eq(None::<String>),
        event_registrations::email.eq(None::<String>),
        event_registrations::email_key.eq(None::<String>),
        event_registrations::erased_at.eq(Some(at)),
    ))
    .execute(conn)
}

/// The hashes of every cancel token the registration's mails carried.
pub fn set_token_hashes(conn: &mut DbConnection, id: &str, hashes: &str) -> QueryResult<()> {
    diesel::update(event_registrations::table.find(id))
        .set(event_registrations::token_hash.eq(hashes))
        .execute(conn)
        .map(|_| ())
}
