//! Bitstring Status Lists: the lists by name, and each certificate's entry (list and
//! index) in the list of each purpose. The bits are not stored: they follow from the
//! certificates' statuses when a list is served.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::{certificates, status_lists};
use super::DbConnection;
use crate::domain::certificate::{CertificateStatus, StatusPurpose};

/// A status list as stored.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = status_lists)]
pub struct StatusListRow {
    pub id: String,
    pub purpose: String,
    pub created_at: NaiveDateTime,
    /// Indexes handed out so far.
    pub taken: i32,
}

pub fn insert(conn: &mut DbConnection, row: &StatusListRow) -> QueryResult<()> {
    diesel::insert_into(status_lists::table)
        .values(row.clone())
        .execute(conn)
        .map(|_| ())
}

pub fn by_id(conn: &mut DbConnection, id: &str) -> QueryResult<Option<StatusListRow>> {
    status_lists::table
        .find(id)
        .select(StatusListRow::as_select())
        .get_result(conn)
        .optional()
}

/// How many lists of `purpose` exist (list ids count up per purpose).
pub fn count_of(conn: &mut DbConnection, purpose: StatusPurpose) -> QueryResult<i64> {
    status_lists::table
        .filter(status_lists::purpose.eq(purpose.as_str()))
        .count()
        .get_result(conn)
}

/// The newest list of `purpose`, the one new entries go into.
pub fn newest_of(
    conn: &mut DbConnection,
    purpose: StatusPurpose,
) -> QueryResult<Option<StatusListRow>> {
    status_lists::table
        .filter(status_lists::purpose.eq(purpose.as_str()))
        .order((status_lists::created_at.desc(), status_lists::id.desc()))
        .select(StatusListRow::as_select())
        .first(conn)
        .optional()
}

/// Counts one more index of `list` as handed out.
pub fn note_taken(conn: &mut DbConnection, list: &str) -> QueryResult<()> {
    diesel::update(status_lists::table.find(list))
        .set(status_lists::taken.eq(status_lists::taken + 1))
        .execute(conn)
        .map(|_| ())
}

/// Whether `index` of `list` (of `purpose`) is taken: one look-up in the entry's
/// unique index.
pub fn is_taken(
    conn: &mut DbConnection,
    purpose: StatusPurpose,
    list: &str,
    index: i32,
) -> QueryResult<bool> {
    match purpose {
        StatusPurpose::Revocation => diesel::select(diesel::dsl::exists(
            certificates::table
                .filter(certificates::revocation_list.eq(list))
                .filter(certificates::revocation_index.eq(index)),
        ))
        .get_result(conn),
        StatusPurpose::Suspension => diesel::select(diesel::dsl::exists(
            certificates::table
                .filter(certificates::suspension_list.eq(list))
                .filter(certificates::suspension_index.eq(index)),
        ))
        .get_result(conn),
    }
}

/// The indexes taken in `list` (of `purpose`), with the status of the certificate
/// holding each.
pub fn entries(
    conn: &mut DbConnection,
    purpose: StatusPurpose,
    list: &str,
) -> QueryResult<Vec<(i32, CertificateStatus)>> {
    let rows: Vec<(Option<i32>, String)> = match purpose {
        StatusPurpose::Revocation => certificates::table
            .filter(certificates::revocation_list.eq(list))
            .select((certificates::revocation_index, certificates::status))
            .load(conn)?,
        StatusPurpose::Suspension => certificates::table
            .filter(certificates::suspension_list.eq(list))
            .select((certificates::suspension_index, certificates::status))
            .load(conn)?,
    };
    Ok(rows
        .into_iter()
        .filter_map(|(index, status)| Some((index?, CertificateStatus::parse(&status)?)))
        .collect())
}

/// A certificate's entry in one list of each purpose.
#[derive(Debug, Clone)]
pub struct StatusEntries {
    pub revocation: (String, i32),
    pub suspension: (String, i32),
}

/// Gives a certificate its entries and the credential that carries them.
pub fn set_entries(
    conn: &mut DbConnection,
    certificate_id: &str,
    entries: &StatusEntries,
    credential: &str,
) -> QueryResult<()> {
    diesel::update(certificates::table.find(certificate_id))
        .set((
            certificates::revocation_list.eq(Some(&entries.revocation.0)),
            certificates::revocation_index.eq(Some(entries.revocation.1)),
            certificates::suspension_list.eq(Some(&entries.suspension.0)),
            certificates::suspension_index.eq(Some(entries.suspension.1)),
            certificates::credential.eq(credential),
        ))
        .execute(conn)
        .map(|_| ())
}

/// Certificates issued before credentials carried their status (ids and credentials),
/// a batch at a time.
pub fn without_entries(conn: &mut DbConnection, limit: i64) -> QueryResult<Vec<(String, String)>> {
    certificates::table
        .filter(
            certificates::revocation_index
                .is_null()
                .or(certificates::suspension_index.is_null()),
        )
        .order(certificates::issued_at.asc())
        .limit(limit)
        .select((certificates::id, certificates::credential))
        .load(conn)
}
