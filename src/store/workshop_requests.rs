//! Workshop requests as kept for staff's queue and the requesters' lists; never
//! deleted, a decision fills in the outcome.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::{cases, workshop_requests};
use super::DbConnection;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = workshop_requests)]
pub struct WorkshopRequestRow {
    pub id: String,
    pub organisation_id: String,
    pub unit_id: Option<String>,
    pub requested_by: String,
    pub audience: String,
    /// A JSON list of `YYYY-MM-DD`.
    pub wished_dates: String,
    /// A JSON list of perspectives, as a session's themes.
    pub perspectives: String,
    pub message: Option<String>,
    pub status: String,
    pub requested_at: NaiveDateTime,
    pub decided_by: Option<String>,
    pub decided_at: Option<NaiveDateTime>,
    pub reason: Option<String>,
    pub case_id: Option<String>,
    pub session_id: Option<String>,
    /// The open event an accepted request became, when accepted as one.
    pub event_id: Option<String>,
}

/// What a list of requests is narrowed to.
#[derive(Debug, Clone, Default)]
pub struct RequestFilter {
    /// Only this organisation's requests (a requester's own list).
    pub organisation_id: Option<String>,
    /// Only requests about this unit.
    pub unit_id: Option<String>,
    pub status: Option<String>,
}

/// How a request was decided.
pub struct Outcome<'a> {
    pub status: &'a str,
    pub decided_by: &'a str,
    pub decided_at: NaiveDateTime,
    pub reason: Option<&'a str>,
    pub case_id: Option<&'a str>,
    pub session_id: Option<&'a str>,
    pub event_id: Option<&'a str>,
}

pub fn insert(conn: &mut DbConnection, row: &WorkshopRequestRow) -> QueryResult<()> {
    diesel::insert_into(workshop_requests::table)
        .values(row.clone())
        .execute(conn)
        .map(|_| ())
}

pub fn by_id(conn: &mut DbConnection, id: &str) -> QueryResult<Option<WorkshopRequestRow>> {
    workshop_requests::table
        .find(id)
        .select(WorkshopRequestRow::as_select())
        .first(conn)
        .optional()
}

/// One page of requests, open ones first, then by id.
pub fn list(
    conn: &mut DbConnection,
    filter: &RequestFilter,
    after: Option<&str>,
    limit: i64,
) -> QueryResult<Vec<WorkshopRequestRow>> {
    let mut query = workshop_requests::table
        .select(WorkshopRequestRow::as_select())
        .into_boxed();
    if let Some(org) = &filter.organisation_id {
        query = query.filter(workshop_requests::organisation_id.eq(org.clone()));
    }
    if let Some(unit) = &filter.unit_id {
        query = query.filter(workshop_requests::unit_id.eq(unit.clone()));
    }
    if let Some(status) = &filter.status {
        query = query.filter(workshop_requests::status.eq(status.clone()));
    }
    if let Some(after) = after {
        query = query.filter(workshop_requests::id.gt(after.to_string()));
    }
    query
        .order(workshop_requests::id.asc())
        .limit(limit)
        .load(conn)
}

/// Writes the outcome of a request still open; the number of rows written.
pub fn decide(conn: &mut DbConnection, id: &str, outcome: &Outcome<'_>) -> QueryResult<usize> {
    diesel::update(
        workshop_requests::table
            .find(id)
            .filter(workshop_requests::status.eq("open")),
    )
    .set((
        workshop_requests::status.eq(outcome.status),
        workshop_requests::decided_by.eq(outcome.decided_by),
        workshop_requests::decided_at.eq(outcome.decided_at),
        workshop_requests::reason.eq(outcome.reason),
        workshop_requests::case_id.eq(outcome.case_id),
        workshop_requests::session_id.eq(outcome.session_id),
        workshop_requests::event_id.eq(outcome.event_id),
    ))
    .execute(conn)
}

/// The unit's live case (active, paused, certified or suspended), the newest first
/// when it has several programmes running.
pub fn live_case_of_unit(conn: &mut DbConnection, unit_id: &str) -> QueryResult<Option<String>> {
    cases::table
        .filter(cases::unit_id.eq(unit_id))
        .filter(cases::status.eq_any(["active", "paused", "certified", "suspended"]))
        .order(cases::created_at.desc())
        .select(cases::id)
        .first(conn)
        .optional()
}
