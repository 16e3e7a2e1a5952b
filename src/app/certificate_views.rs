//! Certificates as the API and pages show them.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use super::error::AppError;
use crate::certificate::verify_url;
use crate::domain::certificate::CertificateStatus;
use crate::store::certificates::{self as rows, CertificateRow};
use crate::store::{from_db, DbConnection};

/// The programme a certificate was issued under.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CertificateProgramme {
    pub key: String,
    pub name: String,
    pub version: i32,
}

/// A certificate issued when the auditor approved.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Certificate {
    pub number: String,
    pub verification_code: String,
    pub verify_url: String,
    pub issued_at: DateTime<Utc>,
    pub valid_from: NaiveDate,
    pub valid_until: NaiveDate,
    pub status: CertificateStatus,
    pub auditor_id: Option<String>,
    pub programme: CertificateProgramme,
    pub first_certified_on: NaiveDate,
}

/// The certificate view of a stored row, as of `today`.
pub fn view(row: &CertificateRow, public_url: &str, today: NaiveDate) -> Certificate {
    let stored = row.status;
    Certificate {
        number: row.number.clone(),
        verification_code: row.verification_code.clone(),
        verify_url: verify_url(public_url, &row.verification_code),
        issued_at: from_db(row.issued_at),
        valid_from: row.valid_from,
        valid_until: row.valid_until,
        status: stored.as_of(row.valid_until, today),
        auditor_id: row.auditor_id.clone(),
        programme: CertificateProgramme {
            key: row.programme_key.clone(),
            name: row.programme_name.clone(),
            version: row.programme_version,
        },
        first_certified_on: row.first_certified_on,
    }
}

/// The current certificate of each case in `case_ids`, as views.
pub fn current_views(
    conn: &mut DbConnection,
    case_ids: &[&str],
    public_url: &str,
    today: NaiveDate,
) -> Result<HashMap<String, Certificate>, AppError> {
    Ok(rows::current_of_cases(conn, case_ids)?
        .iter()
        .map(|row| (row.case_id.clone(), view(row, public_url, today)))
        .collect())
}
