//! Appeals and complaints as kept for the admins' lists; never deleted, a decision
//! fills in the outcome.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::{appeals, complaints};
use super::DbConnection;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = appeals)]
pub struct AppealRow {
    pub id: String,
    pub case_id: String,
    pub ground: String,
    pub text: String,
    pub filed_by: String,
    pub filed_at: NaiveDateTime,
    pub outcome: Option<String>,
    pub comment: Option<String>,
    pub decided_by: Option<String>,
    pub decided_at: Option<NaiveDateTime>,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = complaints)]
pub struct ComplaintRow {
    pub id: String,
    pub case_id: Option<String>,
    pub certificate_code: Option<String>,
    pub text: String,
    /// The complainant's address, for the outcome only: admins see it, logs never.
    pub email: Option<String>,
    pub language: String,
    pub received_at: NaiveDateTime,
    pub outcome: Option<String>,
    pub comment: Option<String>,
    pub decided_by: Option<String>,
    pub decided_at: Option<NaiveDateTime>,
}

/// An outcome as written: what, why, by whom and when.
pub struct Decision<'a> {
    pub outcome: &'a str,
    pub comment: Option<&'a str>,
    pub decided_by: &'a str,
    pub decided_at: NaiveDateTime,
}

pub fn insert_appeal(conn: &mut DbConnection, row: &AppealRow) -> QueryResult<()> {
    diesel::insert_into(appeals::table)
        .values(row.clone())
        .execute(conn)
        .map(|_| ())
}

pub fn appeal(conn: &mut DbConnection, id: &str) -> QueryResult<Option<AppealRow>> {
    appeals::table
        .find(id)
        .select(AppealRow::as_select())
        .first(conn)
        .optional()
}

/// One page of appeals by id (oldest first), optionally only the undecided.
pub fn appeals(
    conn: &mut DbConnection,
    open_only: bool,
    after: Option<&str>,
    limit: i64,
) -> QueryResult<Vec<AppealRow>> {
    let mut query = appeals::table.select(AppealRow::as_select()).into_boxed();
    if open_only {
        query = query.filter(appeals::outcome.is_null());
    }
    if let Some(after) = after {
        query = query.filter(appeals::id.gt(after.to_string()));
    }
    query.order(appeals::id.asc()).limit(limit).load(conn)
}

/// Writes an appeal's outcome if it has none yet; the number of rows written.
pub fn decide_appeal(
    conn: &mut DbConnection,
    id: &str,
    decision: &Decision<'_>,
) -> QueryResult<usize> {
    diesel::update(appeals::table.find(id).filter(appeals::outcome.is_null()))
        .set((
            appeals::outcome.eq(decision.outcome),
            appeals::comment.eq(decision.comment),
            appeals::decided_by.eq(decision.decided_by),
            appeals::decided_at.eq(decision.decided_at),
        ))
        .execute(conn)
}

pub fn insert_complaint(conn: &mut DbConnection, row: &ComplaintRow) -> QueryResult<()> {
    diesel::insert_into(complaints::table)
        .values(row.clone())
        .execute(conn)
        .map(|_| ())
}

pub fn complaint(conn: &mut DbConnection, id: &str) -> QueryResult<Option<ComplaintRow>> {
    complaints::table
        .find(id)
        .select(ComplaintRow::as_select())
        .first(conn)
        .optional()
}

/// One page of complaints by id (oldest first), optionally only the undecided.
pub fn complaints(
    conn: &mut DbConnection,
    open_only: bool,
    after: Option<&str>,
    limit: i64,
) -> QueryResult<Vec<ComplaintRow>> {
    let mut query = complaints::table
        .select(ComplaintRow::as_select())
        .into_boxed();
    if open_only {
        query = query.filter(complaints::outcome.is_null());
    }
    if let Some(after) = after {
        query = query.filter(complaints::id.gt(after.to_string()));
    }
    query.order(complaints::id.asc()).limit(limit).load(conn)
}

/// Writes a complaint's outcome if it has none yet; the number of rows written.
pub fn decide_complaint(
    conn: &mut DbConnection,
    id: &str,
    decision: &Decision<'_>,
) -> QueryResult<usize> {
    diesel::update(
        complaints::table
            .find(id)
            .filter(complaints::outcome.is_null()),
    )
    .set((
        complaints::outcome.eq(decision.outcome),
        complaints::comment.eq(decision.comment),
        complaints::decided_by.eq(decision.decided_by),
        complaints::decided_at.eq(decision.decided_at),
    ))
    .execute(conn)
}
