//! Organisations and their units.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::rows::{OrganisationRow, UnitRow};
use super::schema::{organisations, units};
use super::DbConnection;
use crate::domain::policy::Visibility;

pub fn insert(conn: &mut DbConnection, row: &OrganisationRow) -> QueryResult<()> {
    diesel::insert_into(organisations::table)
        .values(row)
        .execute(conn)
        .map(|_| ())
}

pub fn by_id(conn: &mut DbConnection, id: &str) -> QueryResult<Option<OrganisationRow>> {
    organisations::table
        .find(id)
        .select(OrganisationRow::as_select())
        .get_result(conn)
        .optional()
}

/// Writes an organisation's name, number and registry choice.
pub fn update(conn: &mut DbConnection, row: &OrganisationRow) -> QueryResult<usize> {
    diesel::update(organisations::table.find(&row.id))
        .set((
            organisations::name.eq(&row.name),
            organisations::org_number.eq(&row.org_number),
            organisations::public_registry.eq(row.public_registry),
        ))
        .execute(conn)
}

/// One page of the organisations `visibility` allows, by id.
pub fn list(
    conn: &mut DbConnection,
    visibility: &Visibility,
    after: Option<&str>,
    limit: i64,
) -> QueryResult<Vec<OrganisationRow>> {
    let mut query = organisations::table
        .select(OrganisationRow::as_select())
        .into_boxed();
    match visibility {
        Visibility::Everything => {}
        Visibility::Organisation(org)
        | Visibility::Unit {
            organisation_id: org,
            ..
        } => {
            query = query.filter(organisations::id.eq(org.clone()));
        }
        Visibility::Nothing => return Ok(Vec::new()),
    }
    if let Some(after) = after {
        query = query.filter(organisations::id.gt(after.to_string()));
    }
    query.order(organisations::id.asc()).limit(limit).load(conn)
}

pub fn insert_unit(conn: &mut DbConnection, row: &UnitRow) -> QueryResult<()> {
    diesel::insert_into(units::table)
        .values(row)
        .execute(conn)
        .map(|_| ())
}

/// Many units in few statements (bulk loads such as the scale fixture).
pub fn insert_units(conn: &mut DbConnection, rows: Vec<UnitRow>) -> QueryResult<usize> {
    insert_in_chunks!(conn, units::table, rows)
}

pub fn unit_by_id(conn: &mut DbConnection, id: &str) -> QueryResult<Option<UnitRow>> {
    units::table
        .find(id)
        .select(UnitRow::as_select())
        .get_result(conn)
        .optional()
}

/// One page of the units `visibility` allows, optionally of one organisation.
pub fn list_units(
    conn: &mut DbConnection,
    visibility: &Visibility,
    organisation_id: Option<&str>,
    after: Option<&str>,
    limit: i64,
) -> QueryResult<Vec<UnitRow>> {
    let mut query = units::table.select(UnitRow::as_select()).into_boxed();
    match visibility {
        Visibility::Everything => {}
        Visibility::Organisation(org) => {
            query = query.filter(units::organisation_id.eq(org.clone()))
        }
        Visibility::Unit { unit_id, .. } => query = query.filter(units::id.eq(unit_id.clone())),
        Visibility::Nothing => return Ok(Vec::new()),
    }
    if let Some(org) = organisation_id {
        query = query.filter(units::organisation_id.eq(org.to_string()));
    }
    if let Some(after) = after {
        query = query.filter(units::id.gt(after.to_string()));
    }
    query.order(units::id.asc()).limit(limit).load(conn)
}

/// Writes the changed fields of a unit.
pub fn update_unit(conn: &mut DbConnection, row: &UnitRow, now: NaiveDateTime) -> QueryResult<()> {
    diesel::update(units::table.find(&row.id))
        .set((
            units::name.eq(&row.name),
            units::department.eq(&row.department),
            units::headcount.eq(row.headcount),
            units::contact_email.eq(&row.contact_email),
            units::updated_at.eq(now),
        ))
        .execute(conn)
        .map(|_| ())
}
