//! Certificates and their yearly number sequence. Nothing here is ever deleted.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use diesel::Connection;

use super::schema::{certificate_numbers, certificates};
use super::{is_unique_violation, DbConnection};
use crate::domain::certificate::CertificateStatus;

/// A certificate as stored, without its PDF bytes.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = certificates)]
pub struct CertificateRow {
    pub id: String,
    pub case_id: String,
    pub cycle: i32,
    pub number: String,
    pub revision: i32,
    pub verification_code: String,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub status: CertificateStatus,
    pub issued_at: NaiveDateTime,
    pub valid_from: NaiveDate,
    pub valid_until: NaiveDate,
    pub first_certified_on: NaiveDate,
    pub auditor_id: Option<String>,
    pub unit_id: String,
    pub unit_name: String,
    pub organisation_name: String,
    pub programme_id: String,
    pub programme_key: String,
    pub programme_name: String,
    pub programme_version: i32,
    pub issuer: String,
    pub pdf_sha256: String,
    pub status_changed_at: Option<NaiveDateTime>,
    pub status_reason: Option<String>,
}

/// A new certificate with its rendered PDF and signed credential.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = certificates)]
pub struct NewCertificateRow {
    pub id: String,
    pub case_id: String,
    pub cycle: i32,
    pub number: String,
    pub revision: i32,
    pub verification_code: String,
    #[diesel(deserialize_as = String, serialize_as = String)]
    pub status: CertificateStatus,
    pub issued_at: NaiveDateTime,
    pub valid_from: NaiveDate,
    pub valid_until: NaiveDate,
    pub first_certified_on: NaiveDate,
    pub auditor_id: Option<String>,
    pub unit_id: String,
    pub unit_name: String,
    pub organisation_name: String,
    pub programme_id: String,
    pub programme_key: String,
    pub programme_name: String,
    pub programme_version: i32,
    pub issuer: String,
    pub pdf: Vec<u8>,
    pub pdf_sha256: String,
    pub credential: String,
    pub status_changed_at: Option<NaiveDateTime>,
    pub status_reason: Option<String>,
    pub revocation_list: Option<String>,
    pub revocation_index: Option<i32>,
    pub suspension_list: Option<String>,
    pub suspension_index: Option<i32>,
}

pub fn insert(conn: &mut DbConnection, row: &NewCertificateRow) -> QueryResult<()> {
    diesel::insert_into(certificates::table)
        .values(row.clone())
        .execute(conn)
        .map(|_| ())
}

/// The next number in `year`'s sequence. The UPDATE takes the row lock, so concurrent
/// issuers on PostgreSQL queue behind each other; SQLite has one writer anyway.
pub fn next_number(conn: &mut DbConnection, year: i32) -> QueryResult<i32> {
    for _ in 0..3 {
        let bumped = diesel::update(certificate_numbers::table.find(year))
            .set(certificate_numbers::last.eq(certificate_numbers::last + 1))
            .execute(conn)?;
        if bumped == 1 {
            return certificate_numbers::table
                .find(year)
                .select(certificate_numbers::last)
                .get_result(conn);
        }
        // In a savepoint: on PostgreSQL a failed statement would abort the whole
        // transaction, and a concurrent first issuer of the year is expected.
        let inserted = conn.transaction(|c| {
            diesel::insert_into(certificate_numbers::table)
                .values((
                    certificate_numbers::year.eq(year),
                    certificate_numbers::last.eq(1),
                ))
                .execute(c)
        });
        match inserted {
            Ok(_) => return Ok(1),
            Err(e) if is_unique_violation(&e) => continue,
            Err(e) => return Err(e),
        }
    }
    Err(diesel::result::Error::RollbackTransaction)
}

/// Valid certificates whose last day is `from` or later and `until` or earlier:
/// (certificate id, case id, last day, number), by last day. The index
/// `certificates_by_expiry` finds them without reading the other certificates.
pub fn valid_until_between(
    conn: &mut DbConnection,
    from: NaiveDate,
    until: NaiveDate,
) -> QueryResult<Vec<(String, String, NaiveDate, String)>> {
    certificates::table
        .filter(certificates::status.eq("valid"))
        .filter(certificates::valid_until.ge(from))
        .filter(certificates::valid_until.le(until))
        .order((certificates::valid_until.asc(), certificates::id.asc()))
        .select((
            certificates::id,
            certificates::case_id,
            certificates::valid_until,
            certificates::number,
        ))
        .load(conn)
}

/// The newest certificate of a case: the one the case shows.
pub fn current_of_case(
    conn: &mut DbConnection,
    case_id: &str,
) -> QueryResult<Option<CertificateRow>> {
    on_backend!(conn, |c| certificates::table
        .filter(certificates::case_id.eq(case_id))
        .order((certificates::issued_at.desc(), certificates::number.desc()))
        .select(CertificateRow::as_select())
        .load(c))
    .map(|rows| rows.into_iter().next())
}

/// The newest certificate of each of `case_ids`.
pub fn current_of_cases(
    conn: &mut DbConnection,
    case_ids: &[&str],
) -> QueryResult<Vec<CertificateRow>> {
    if let [one] = case_ids {
        // One case (every command's answer): a statement the cache keeps.
        return Ok(current_of_case(conn, one)?.into_iter().collect());
    }
    let mut rows: Vec<CertificateRow> = certificates::table
        .filter(certificates::case_id.eq_any(case_ids))
        .order((
            certificates::case_id.asc(),
            certificates::issued_at.desc(),
            certificates::number.desc(),
        ))
        .select(CertificateRow::as_select())
        .load(conn)?;
    rows.dedup_by(|later, first| later.case_id == first.case_id);
    Ok(rows)
}

/// Every certificate of a case, oldest first.
pub fn all_of_case(conn: &mut DbConnection, case_id: &str) -> QueryResult<Vec<CertificateRow>> {
    certificates::table
        .filter(certificates::case_id.eq(case_id))
        .order(certificates::issued_at.asc())
        .select(CertificateRow::as_select())
        .load(conn)
}

pub fn by_code(conn: &mut DbConnection, code: &str) -> QueryResult<Option<CertificateRow>> {
    // Every public verification runs this: on the backend's own connection, whose
    // statement cache finds it by type.
    on_backend!(conn, |c| certificates::table
        .filter(certificates::verification_code.eq(code))
        .select(CertificateRow::as_select())
        .get_result(c)
        .optional())
}

/// The stored PDF of a certificate; empty while it is pending (see [`PDF_PENDING`]).
pub fn pdf(conn: &mut DbConnection, id: &str) -> QueryResult<Vec<u8>> {
    certificates::table
        .find(id)
        .select(certificates::pdf)
        .get_result(conn)
}

/// The `pdf_sha256` of a certificate issued before its PDF was rendered: the approve
/// transaction stores the certificate, its PDF follows after the commit.
pub const PDF_PENDING: &str = "";

/// One certificate, without its PDF bytes.
pub fn by_id(conn: &mut DbConnection, id: &str) -> QueryResult<Option<CertificateRow>> {
    certificates::table
        .find(id)
        .select(CertificateRow::as_select())
        .get_result(conn)
        .optional()
}

/// Stores the PDF of a certificate whose PDF is pending; false when it was not (it
/// was stored already, by whoever rendered it first).
pub fn store_pdf(conn: &mut DbConnection, id: &str, pdf: &[u8], sha256: &str) -> QueryResult<bool> {
    diesel::update(
        certificates::table
            .find(id)
            .filter(certificates::pdf_sha256.eq(PDF_PENDING)),
    )
    .set((
        certificates::pdf.eq(pdf),
        certificates::pdf_sha256.eq(sha256),
    ))
    .execute(conn)
    .map(|n| n == 1)
}

/// The stored signed credential of a certificate.
pub fn credential(conn: &mut DbConnection, id: &str) -> QueryResult<String> {
    certificates::table
        .find(id)
        .select(certificates::credential)
        .get_result(conn)
}

pub fn set_status(
    conn: &mut DbConnection,
    id: &str,
    status: &str,
    reason: Option<&str>,
    at: NaiveDateTime,
) -> QueryResult<()> {
    diesel::update(certificates::table.find(id))
        .set((
            certificates::status.eq(status),
            certificates::status_reason.eq(reason),
            certificates::status_changed_at.eq(Some(at)),
        ))
        .execute(conn)
        .map(|_| ())
}

/// Certificates still valid or suspended whose last valid day is before `today`.
pub fn past_expiry(
    conn: &mut DbConnection,
    today: NaiveDate,
    limit: i64,
) -> QueryResult<Vec<CertificateRow>> {
    certificates::table
        .filter(certificates::status.eq_any(["valid", "suspended"]))
        .filter(certificates::valid_until.lt(today))
        .order(certificates::valid_until.asc())
        .limit(limit)
        .select(CertificateRow::as_select())
        .load(conn)
}

/// The first certification date of a case, from its oldest certificate.
pub fn first_certified_on(
    conn: &mut DbConnection,
    case_id: &str,
) -> QueryResult<Option<NaiveDate>> {
    certificates::table
        .filter(certificates::case_id.eq(case_id))
        .order(certificates::issued_at.asc())
        .select(certificates::first_certified_on)
        .load(conn)
        .map(|days| days.into_iter().next())
}
