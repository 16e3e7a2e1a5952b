//! The aggregates of an organisation's overview, each one query over its cases.

use chrono::NaiveDateTime;
use diesel::dsl::count_star;
use diesel::prelude::*;

use super::rows::{CaseRow, UnitRow};
use super::schema::{case_events, cases, programmes, units};
use super::DbConnection;

/// How many cases of the organisation stand in each (stage, status).
pub fn stage_status_counts(
    conn: &mut DbConnection,
    organisation_id: &str,
) -> QueryResult<Vec<(String, String, i64)>> {
    cases::table
        .filter(cases::organisation_id.eq(organisation_id))
        .group_by((cases::stage, cases::status))
        .select((cases::stage, cases::status, count_star()))
        .load(conn)
}

/// An overdue case as the dashboard lists it: (case id, unit name, stage, due).
pub type OverdueRow = (String, String, String, Option<NaiveDateTime>);

/// The organisation's overdue cases (active, past the stage's deadline), the longest
/// overdue first.
pub fn overdue(
    conn: &mut DbConnection,
    organisation_id: &str,
    now: NaiveDateTime,
    limit: i64,
) -> QueryResult<Vec<OverdueRow>> {
    cases::table
        .inner_join(units::table)
        .filter(cases::organisation_id.eq(organisation_id))
        .filter(super::cases::overdue(now))
        .order((cases::stage_due_at.asc(), cases::id.asc()))
        .limit(limit)
        .select((cases::id, units::name, cases::stage, cases::stage_due_at))
        .load(conn)
}

/// How many of the organisation's cases are overdue.
pub fn overdue_count(
    conn: &mut DbConnection,
    organisation_id: &str,
    now: NaiveDateTime,
) -> QueryResult<i64> {
    cases::table
        .filter(cases::organisation_id.eq(organisation_id))
        .filter(super::cases::overdue(now))
        .count()
        .get_result(conn)
}

/// Every stage change of the organisation's cases, by case and in order:
/// (case id, when, the stage entered).
pub fn stage_changes(
    conn: &mut DbConnection,
    organisation_id: &str,
) -> QueryResult<Vec<(String, NaiveDateTime, String)>> {
    case_events::table
        .inner_join(cases::table.on(cases::id.eq(case_events::case_id)))
        .filter(cases::organisation_id.eq(organisation_id))
        .filter(case_events::to_stage.is_not_null())
        .order((case_events::case_id.asc(), case_events::seq.asc()))
        .select((
            case_events::case_id,
            case_events::at,
            case_events::to_stage.assume_not_null(),
        ))
        .load(conn)
}

/// Every case of the organisation with its unit and programme name and version, by
/// unit name.
pub fn all_cases(
    conn: &mut DbConnection,
    organisation_id: &str,
) -> QueryResult<Vec<(CaseRow, UnitRow, String, i32)>> {
    cases::table
        .inner_join(units::table)
        .inner_join(programmes::table)
        .filter(cases::organisation_id.eq(organisation_id))
        .order((units::name.asc(), cases::created_at.asc()))
        .select((
            CaseRow::as_select(),
            UnitRow::as_select(),
            programmes::name,
            programmes::version,
        ))
        .load(conn)
}
