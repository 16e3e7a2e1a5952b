//! The public registry's rows: certificates not revoked or expired, of organisations
//! that opted in (`organisations.public_registry`). No people, no e-mail addresses.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::schema::{cases, certificates, organisations, units};
use super::DbConnection;
use crate::domain::certificate::CertificateStatus;

/// A certificate as the registry may show it.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = certificates)]
pub struct RegistryRow {
    pub id: String,
    pub case_id: String,
    pub number: String,
    pub verification_code: String,
    #[diesel(deserialize_as = String)]
    pub status: CertificateStatus,
    pub issued_at: NaiveDateTime,
    pub valid_from: NaiveDate,
    pub valid_until: NaiveDate,
    pub unit_name: String,
    pub organisation_name: String,
    pub programme_key: String,
    pub programme_name: String,
    pub programme_version: i32,
}

/// Valid or suspended certificates still in their period on `today`, of opted-in
/// organisations, by id (issue order).
pub fn listed(conn: &mut DbConnection, today: NaiveDate) -> QueryResult<Vec<RegistryRow>> {
    certificates::table
        .inner_join(cases::table.inner_join(units::table.inner_join(organisations::table)))
        .filter(organisations::public_registry.eq(true))
        .filter(certificates::status.eq_any(["valid", "suspended"]))
        .filter(certificates::valid_until.ge(today))
        .filter(certificates::valid_from.le(today))
        .order(certificates::id.asc())
        .select(RegistryRow::as_select())
        .load(conn)
}
