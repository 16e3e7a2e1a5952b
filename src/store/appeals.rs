//! Appeals and complaints as kept for the admins' lists; never deleted, a decision
//! fills in the outcome.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::{appeals, cases, complaints, units};
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

/// Which appeals or complaints a list holds: all, those awaiting a decision, or the
/// decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    All,
    Open,
    Decided,
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

/// One page of appeals by id (oldest first), as `standing` narrows them.
pub fn appeals(
    conn: &mut DbConnection,
    standing: Standing,
    after: Option<&str>,
    limit: i64,
) -> QueryResult<Vec<AppealRow>> {
    let mut query = appeals::table.select(AppealRow::as_select()).into_boxed();
    match standing {
        Standing::All => {}
        Standing::Open => query = query.filter(appeals::outcome.is_null()),
        Standing::Decided => query = query.filter(appeals::outcome.is_not_null()),
    }
    if let Some(after) = after {
        query = query.filter(appeals::id.gt(after.to_string()));
    }
    query.order(appeals::id.asc()).limit(limit).load(conn)
}

/// Every appeal of one case, oldest first.
pub fn appeals_of_case(conn: &mut DbConnection, case_id: &str) -> QueryResult<Vec<AppealRow>> {
    appeals::table
        .filter(appeals::case_id.eq(case_id))
        .select(AppealRow::as_select())
        .order((appeals::filed_at.asc(), appeals::id.asc()))
        .load(conn)
}

/// The names of the units of `case_ids`, by case id: what the admins' lists show.
pub fn unit_names(
    conn: &mut DbConnection,
    case_ids: &[String],
) -> QueryResult<Vec<(String, String)>> {
    cases::table
        .inner_join(units::table)
        .filter(cases::id.eq_any(case_ids))
        .select((cases::id, units::name))
        .load(conn)
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

/// One page of complaints by id (oldest first), as `standing` narrows them.
pub fn complaints(
    conn: &mut DbConnection,
    standing: Standing,
    after: Option<&str>,
    limit: i64,
) -> QueryResult<Vec<ComplaintRow>> {
    let mut query = complaints::table
        .select(ComplaintRow::as_select())
        .into_boxed();
    match standing {
        Standing::All => {}
        Standing::Open => query = query.filter(complaints::outcome.is_null()),
        Standing::Decided => query = query.filter(complaints::outcome.is_not_null()),
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
