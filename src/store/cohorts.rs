//! Cohorts (programme rounds) and their member organisations.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::schema::{cohort_organisations, cohorts, organisations};
use super::DbConnection;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = cohorts)]
pub struct CohortRow {
    pub id: String,
    pub name: String,
    pub programme_id: String,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    pub created_by: String,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = cohort_organisations)]
pub struct MemberRow {
    pub cohort_id: String,
    pub organisation_id: String,
    pub added_at: NaiveDateTime,
}

pub fn insert(conn: &mut DbConnection, row: &CohortRow) -> QueryResult<()> {
    diesel::insert_into(cohorts::table)
        .values(row.clone())
        .execute(conn)
        .map(|_| ())
}

pub fn insert_member(conn: &mut DbConnection, row: &MemberRow) -> QueryResult<()> {
    diesel::insert_into(cohort_organisations::table)
        .values(row.clone())
        .execute(conn)
        .map(|_| ())
}

pub fn by_id(conn: &mut DbConnection, id: &str) -> QueryResult<Option<CohortRow>> {
    cohorts::table
        .find(id)
        .select(CohortRow::as_select())
        .first(conn)
        .optional()
}

/// One page of cohorts by id; with `organisation_id`, only those it belongs to.
pub fn list(
    conn: &mut DbConnection,
    organisation_id: Option<&str>,
    after: Option<&str>,
    limit: i64,
) -> QueryResult<Vec<CohortRow>> {
    let mut query = cohorts::table.select(CohortRow::as_select()).into_boxed();
    if let Some(org) = organisation_id {
        let member_of = cohort_organisations::table
            .filter(cohort_organisations::organisation_id.eq(org.to_string()))
            .select(cohort_organisations::cohort_id);
        query = query.filter(cohorts::id.eq_any(member_of));
    }
    if let Some(after) = after {
        query = query.filter(cohorts::id.gt(after.to_string()));
    }
    query.order(cohorts::id.asc()).limit(limit).load(conn)
}

/// The member organisations of a cohort as `(id, name)`, by name.
pub fn members(conn: &mut DbConnection, cohort_id: &str) -> QueryResult<Vec<(String, String)>> {
    cohort_organisations::table
        .inner_join(organisations::table)
        .filter(cohort_organisations::cohort_id.eq(cohort_id))
        .order((organisations::name.asc(), organisations::id.asc()))
        .select((organisations::id, organisations::name))
        .load(conn)
}

/// Whether the organisation is a member of the cohort.
pub fn is_member(
    conn: &mut DbConnection,
    cohort_id: &str,
    organisation_id: &str,
) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        cohort_organisations::table
            .filter(cohort_organisations::cohort_id.eq(cohort_id))
            .filter(cohort_organisations::organisation_id.eq(organisation_id)),
    ))
    .get_result(conn)
}
