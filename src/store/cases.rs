//! Case rows: the folded state of each case, and the lists people filter.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::case_write::WriteState;
use super::rows::{CaseRow, ProgrammeRow, UnitRow};
use super::schema::{cases, programmes, units};
use super::DbConnection;
use crate::domain::policy::Visibility;

/// A case with the unit and programme version it belongs to.
pub type CaseParts = (CaseRow, UnitRow, ProgrammeRow);

/// What a case list is narrowed to.
#[derive(Debug, Clone)]
pub struct CaseFilter {
    pub visibility: Visibility,
    pub organisation_id: Option<String>,
    pub unit_id: Option<String>,
    pub stage: Option<String>,
    pub status: Option<String>,
    pub consultant_id: Option<String>,
    pub auditor_id: Option<String>,
    /// `Some(true)`: only overdue cases as of `now`; `Some(false)`: only the others.
    pub overdue: Option<bool>,
    pub now: NaiveDateTime,
}

/// The SQL condition of an overdue case, as of `now`.
pub type Overdue = diesel::dsl::And<
    diesel::dsl::And<
        diesel::dsl::Eq<cases::status, &'static str>,
        diesel::dsl::IsNotNull<cases::stage_due_at>,
    >,
    diesel::dsl::Lt<cases::stage_due_at, NaiveDateTime>,
>;

/// `domain::is_overdue` in SQL, for every query that filters or counts overdue cases:
/// active, with a stage deadline before `now`. It is never NULL (a case without a
/// deadline is plainly not overdue), so its negation selects exactly the others.
pub fn overdue(now: NaiveDateTime) -> Overdue {
    cases::status
        .eq("active")
        .and(cases::stage_due_at.is_not_null())
        .and(cases::stage_due_at.lt(now))
}

pub fn insert(conn: &mut DbConnection, row: &CaseRow) -> QueryResult<()> {
    diesel::insert_into(cases::table)
        .values(row.clone())
        .execute(conn)
        .map(|_| ())
}

/// Many cases in few statements (bulk loads such as the scale fixture).
pub fn insert_many(conn: &mut DbConnection, rows: Vec<CaseRow>) -> QueryResult<usize> {
    insert_in_chunks!(conn, cases::table, rows)
}

pub fn by_id(conn: &mut DbConnection, id: &str) -> QueryResult<Option<CaseParts>> {
    on_backend!(conn, |c| cases::table
        .inner_join(units::table)
        .inner_join(programmes::table)
        .filter(cases::id.eq(id))
        .select((
            CaseRow::as_select(),
            UnitRow::as_select(),
            ProgrammeRow::as_select(),
        ))
        .get_result(c)
        .optional())
}

/// One page of cases matching `filter`, by id.
pub fn list(
    conn: &mut DbConnection,
    filter: &CaseFilter,
    after: Option<&str>,
    limit: i64,
) -> QueryResult<Vec<CaseParts>> {
    let mut query = cases::table
        .inner_join(units::table)
        .inner_join(programmes::table)
        .select((
            CaseRow::as_select(),
            UnitRow::as_select(),
            ProgrammeRow::as_select(),
        ))
        .into_boxed();
    match &filter.visibility {
        Visibility::Everything => {}
        Visibility::Organisation(org) => {
            query = query.filter(cases::organisation_id.eq(org.clone()))
        }
        Visibility::Unit { unit_id, .. } => {
            query = query.filter(cases::unit_id.eq(unit_id.clone()))
        }
        Visibility::Nothing => return Ok(Vec::new()),
    }
    if let Some(org) = &filter.organisation_id {
        query = query.filter(cases::organisation_id.eq(org.clone()));
    }
    if let Some(unit) = &filter.unit_id {
        query = query.filter(cases::unit_id.eq(unit.clone()));
    }
    if let Some(stage) = &filter.stage {
        query = query.filter(cases::stage.eq(stage.clone()));
    }
    if let Some(status) = &filter.status {
        query = query.filter(cases::status.eq(status.clone()));
    }
    if let Some(consultant) = &filter.consultant_id {
        query = query.filter(cases::consultant_id.eq(consultant.clone()));
    }
    if let Some(auditor) = &filter.auditor_id {
        query = query.filter(cases::auditor_id.eq(auditor.clone()));
    }
    match filter.overdue {
        Some(true) => query = query.filter(overdue(filter.now)),
        Some(false) => query = query.filter(diesel::dsl::not(overdue(filter.now))),
        None => {}
    }
    if let Some(after) = after {
        query = query.filter(cases::id.gt(after.to_string()));
    }
    query.order(cases::id.asc()).limit(limit).load(conn)
}

/// The ids of the running (active or paused) cases on programme version `programme_id`.
pub fn running_on(conn: &mut DbConnection, programme_id: &str) -> QueryResult<Vec<String>> {
    cases::table
        .filter(cases::programme_id.eq(programme_id))
        .filter(cases::status.eq_any(["active", "paused"]))
        .order(cases::id.asc())
        .select(cases::id)
        .load(conn)
}

/// The certified cases whose surveillance was due before `at`.
pub fn surveillance_due_before(
    conn: &mut DbConnection,
    at: NaiveDateTime,
) -> QueryResult<Vec<String>> {
    Ok(surveillances_due_before(conn, at)?
        .into_iter()
        .map(|(id, _)| id)
        .collect())
}

/// The certified cases whose surveillance was due before `at`, with when it was due.
pub fn surveillances_due_before(
    conn: &mut DbConnection,
    at: NaiveDateTime,
) -> QueryResult<Vec<(String, NaiveDateTime)>> {
    cases::table
        .filter(cases::status.eq("certified"))
        .filter(cases::next_surveillance_due.lt(at))
        .order(cases::id.asc())
        .select((cases::id, cases::next_surveillance_due.assume_not_null()))
        .load(conn)
}

/// Writes the case's new state if nobody changed it since `expected_version`;
/// returns the number of rows written (0: someone else won).
pub fn update_state(
    conn: &mut DbConnection,
    row: &CaseRow,
    expected_version: i64,
) -> QueryResult<usize> {
    let update = WriteState {
        row,
        expected: expected_version,
    };
    on_backend!(conn, |c| update.execute(c))
}

/// Takes the case row's write lock for the rest of the transaction, so concurrent
/// commands on one case queue instead of racing. On PostgreSQL a `SELECT … FOR NO KEY
/// UPDATE` (no new row version, unlike the no-op UPDATE it replaced); on SQLite there is
/// nothing to take: every write transaction runs on the one writer (or under its mutex),
/// so no other write can touch the case before this one commits.
pub fn lock(conn: &mut DbConnection, id: &str) -> QueryResult<usize> {
    match conn {
        DbConnection::Sqlite(_) => Ok(1),
        DbConnection::Pg(c) => cases::table
            .filter(cases::id.eq(id))
            .select(cases::id)
            .for_no_key_update()
            .load::<String>(c)
            .map(|rows| rows.len()),
    }
}

/// The unit's active cases still working towards certification: where an open
/// event's attendance counts as a held session.
pub fn working_cases_of_unit(conn: &mut DbConnection, unit_id: &str) -> QueryResult<Vec<String>> {
    cases::table
        .filter(cases::unit_id.eq(unit_id))
        .filter(cases::live_key.is_not_null())
        .filter(cases::status.eq("active"))
        .filter(cases::stage.ne("certified"))
        .order(cases::id.asc())
        .select(cases::id)
        .load(conn)
}

/// The units of an organisation with a live case (active, paused, certified or
/// suspended): an enrolment form does not offer them again.
pub fn units_with_live_case(
    conn: &mut DbConnection,
    organisation_id: &str,
) -> QueryResult<Vec<String>> {
    cases::table
        .inner_join(units::table)
        .filter(units::organisation_id.eq(organisation_id))
        .filter(cases::status.eq_any(["active", "paused", "certified", "suspended"]))
        .select(cases::unit_id)
        .distinct()
        .load(conn)
}
