//! Aggregates for the pipeline report: counts by stage and status, no rows loaded.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::dsl::count_star;
use diesel::prelude::*;

use super::schema::{cases, certificates};
use super::DbConnection;
use crate::domain::policy::Visibility;

/// Which cases a report counts: what the caller may see, optionally one organisation.
#[derive(Debug, Clone)]
pub struct Scope {
    pub visibility: Visibility,
    pub organisation_id: Option<String>,
}

macro_rules! scoped {
    ($query:expr, $scope:expr) => {{
        let mut query = $query.into_boxed();
        match &$scope.visibility {
            Visibility::Everything => {}
            Visibility::Organisation(org) => {
                query = query.filter(cases::organisation_id.eq(org.clone()))
            }
            Visibility::Unit { unit_id, .. } => {
                query = query.filter(cases::unit_id.eq(unit_id.clone()))
            }
            Visibility::Nothing => query = query.filter(cases::id.is_null()),
        }
        if let Some(org) = &$scope.organisation_id {
            query = query.filter(cases::organisation_id.eq(org.clone()));
        }
        query
    }};
}

/// Live cases (active, paused, certified, suspended) per stage.
pub fn live_by_stage(conn: &mut DbConnection, scope: &Scope) -> QueryResult<Vec<(String, i64)>> {
    scoped!(
        cases::table
            .group_by(cases::stage)
            .select((cases::stage, count_star())),
        scope
    )
    .filter(cases::status.eq_any(["active", "paused", "certified", "suspended"]))
    .load(conn)
}

/// Cases per status.
pub fn by_status(conn: &mut DbConnection, scope: &Scope) -> QueryResult<Vec<(String, i64)>> {
    scoped!(
        cases::table
            .group_by(cases::status)
            .select((cases::status, count_star())),
        scope
    )
    .load(conn)
}

/// Active cases past their stage deadline.
pub fn overdue(conn: &mut DbConnection, scope: &Scope, now: NaiveDateTime) -> QueryResult<i64> {
    scoped!(cases::table, scope)
        .filter(super::cases::overdue(now))
        .select(count_star())
        .first(conn)
}

/// Valid certificates whose last day falls between `from` and `until`.
pub fn expiring(
    conn: &mut DbConnection,
    scope: &Scope,
    from: NaiveDate,
    until: NaiveDate,
) -> QueryResult<i64> {
    scoped!(cases::table.inner_join(certificates::table), scope)
        .filter(certificates::status.eq("valid"))
        .filter(certificates::valid_until.ge(from))
        .filter(certificates::valid_until.le(until))
        .select(count_star())
        .first(conn)
}
