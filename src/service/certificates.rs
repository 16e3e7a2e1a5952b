//! Issuing certificates inside the approve transaction, following the case's status
//! (suspend, reinstate, revoke, expire), downloads and public verification.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use serde::Serialize;
use sha2::{Digest, Sha256};
use utoipa::ToSchema;

use super::case_views::{Certificate, CertificateProgramme};
use super::{from_db, to_db, AppState};
use crate::certificate::credential::{self, CredentialSubject};
use crate::certificate::pdf::{self, CertificateText};
use crate::certificate::{looks_like_code, verification_code};
use crate::domain::certificate::{number, validity, CertificateStatus};
use crate::domain::event::{Change, Event};
use crate::error::AppError;
use crate::store::cases::CaseParts;
use crate::store::certificates::{self as rows, CertificateRow, NewCertificateRow};
use crate::store::rows::CaseRow;
use crate::store::{ids, organisations, programmes, users, DbConnection};

/// The certificate view of a stored row, as of `today`.
pub fn view(row: &CertificateRow, public_url: &str, today: NaiveDate) -> Certificate {
    let stored = CertificateStatus::parse(&row.status).unwrap_or(CertificateStatus::Valid);
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

pub fn verify_url(public_url: &str, code: &str) -> String {
    format!("{}/verify/{code}", public_url.trim_end_matches('/'))
}

fn display(day: NaiveDate) -> String {
    day.format("%Y-%m-%d").to_string()
}

/// Issues the certificate of an approved case: number, code, validity, PDF, credential.
fn issue(
    conn: &mut DbConnection,
    state: &AppState,
    parts: &CaseParts,
    case: &CaseRow,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let (_, unit, programme) = parts;
    let organisation = organisations::by_id(conn, &unit.organisation_id)?
        .ok_or_else(|| AppError::Internal("the case's organisation is missing".into()))?;
    let rules = programmes::rules_of(programme)?;
    let today = now.date_naive();
    let previous = rows::current_of_case(conn, &case.id)?;
    let previous_until = previous
        .as_ref()
        .filter(|p| matches!(p.status.as_str(), "valid" | "suspended"))
        .map(|p| p.valid_until);
    let (valid_from, valid_until) = validity(today, previous_until, rules.validity_months);
    let first_certified_on = rows::first_certified_on(conn, &case.id)?.unwrap_or(today);
    let sequence = rows::next_number(conn, today.year())?;
    let number = number(today.year(), sequence, 0);
    let code = verification_code();
    let public_url = &state.settings.server.public_url;
    let url = verify_url(public_url, &code);
    let auditor_name = match &case.auditor_id {
        Some(id) => users::by_id(conn, id)?.map(|u| u.name).unwrap_or_default(),
        None => String::new(),
    };
    let kit = &state.certificates;
    let pdf = pdf::render(&CertificateText {
        number: &number,
        unit_name: &unit.name,
        department: unit.department.as_deref(),
        organisation_name: &organisation.name,
        programme_name: &programme.name,
        programme_version: programme.version,
        valid_from: display(valid_from),
        valid_until: display(valid_until),
        first_certified_on: display(first_certified_on),
        issuer: &kit.issuer,
        auditor_name: &auditor_name,
        verify_url: &url,
        issued_at: now,
    })
    .map_err(|e| AppError::Internal(e.to_string()))?;
    let criteria = format!(
        "Kickoff held; {} value workshops each attended by at least {} % of the unit; individual reflection completed by at least {} %; evidence in the routine areas {}; approved by an independent auditor.",
        rules.workshops_required,
        rules.attendance_threshold_pct,
        rules.reflection_threshold_pct,
        rules.routine_areas.join(", ")
    );
    let document = credential::document(&CredentialSubject {
        verify_url: &url,
        issuer_url: public_url.trim_end_matches('/'),
        issuer_name: &kit.issuer,
        number: &number,
        unit_id: &unit.id,
        unit_name: &unit.name,
        organisation_name: &organisation.name,
        programme_key: &programme.key,
        programme_name: &programme.name,
        programme_version: programme.version,
        criteria,
        issued_at: now,
        valid_from,
        valid_until,
    });
    let jwt = credential::sign(&kit.keys, &document);
    rows::insert(
        conn,
        &NewCertificateRow {
            id: ids::new_id(),
            case_id: case.id.clone(),
            cycle: case.cycle,
            number,
            revision: 0,
            verification_code: code,
            status: CertificateStatus::Valid.as_str().into(),
            issued_at: to_db(now),
            valid_from,
            valid_until,
            first_certified_on,
            auditor_id: case.auditor_id.clone(),
            unit_id: unit.id.clone(),
            unit_name: unit.name.clone(),
            organisation_name: organisation.name,
            programme_id: programme.id.clone(),
            programme_key: programme.key.clone(),
            programme_name: programme.name.clone(),
            programme_version: programme.version,
            issuer: kit.issuer.clone(),
            pdf_sha256: hex::encode(Sha256::digest(&pdf)),
            pdf,
            credential: jwt,
            status_changed_at: None,
            status_reason: None,
        },
    )?;
    Ok(())
}

/// What the case's new events mean for its certificates; runs in the command's transaction.
pub fn follow(
    conn: &mut DbConnection,
    state: &AppState,
    parts: &CaseParts,
    case: &CaseRow,
    events: &[Event],
) -> Result<(), AppError> {
    for event in events {
        let status = match &event.change {
            Change::Approved { .. } => {
                issue(conn, state, parts, case, event.at)?;
                continue;
            }
            Change::Suspended => CertificateStatus::Suspended,
            Change::Reinstated => CertificateStatus::Valid,
            Change::Revoked => CertificateStatus::Revoked,
            Change::Expired => CertificateStatus::Expired,
            _ => continue,
        };
        if let Some(current) = rows::current_of_case(conn, &case.id)? {
            rows::set_status(
                conn,
                &current.id,
                status.as_str(),
                event.comment.as_deref(),
                to_db(event.at),
            )?;
        }
    }
    Ok(())
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

/// What anyone holding a code may learn: no e-mails, no names of people.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Verification {
    pub status: CertificateStatus,
    pub number: String,
    pub unit_name: String,
    pub organisation_name: String,
    pub programme: CertificateProgramme,
    pub valid_from: NaiveDate,
    pub valid_until: NaiveDate,
    pub issuer: String,
}

/// Looks a code up; `NotFound` for an unknown or malformed code.
pub fn verify(state: &AppState, code: &str) -> Result<Verification, AppError> {
    let code = code.trim().to_ascii_uppercase();
    if !looks_like_code(&code) {
        return Err(AppError::NotFound);
    }
    let mut conn = state.store.conn()?;
    let row = rows::by_code(&mut conn, &code)?.ok_or(AppError::NotFound)?;
    let stored = CertificateStatus::parse(&row.status).unwrap_or(CertificateStatus::Valid);
    Ok(Verification {
        status: stored.as_of(row.valid_until, state.now().date_naive()),
        number: row.number,
        unit_name: row.unit_name,
        organisation_name: row.organisation_name,
        programme: CertificateProgramme {
            key: row.programme_key,
            name: row.programme_name,
            version: row.programme_version,
        },
        valid_from: row.valid_from,
        valid_until: row.valid_until,
        issuer: row.issuer,
    })
}

/// Counts unknown verification codes per client address and minute, against enumeration.
#[derive(Default)]
pub struct MissLimiter(Mutex<HashMap<IpAddr, (i64, u32)>>);

impl MissLimiter {
    /// True while `ip` may still look codes up this minute.
    pub fn allows(&self, ip: IpAddr, minute: i64, limit: u32) -> bool {
        let map = self.0.lock().unwrap_or_else(|e| e.into_inner());
        map.get(&ip)
            .is_none_or(|(m, count)| *m != minute || *count < limit)
    }

    /// Records an unknown code from `ip`.
    pub fn miss(&self, ip: IpAddr, minute: i64) {
        let mut map = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if map.len() > 100_000 {
            map.retain(|_, (m, _)| *m == minute);
        }
        let entry = map.entry(ip).or_insert((minute, 0));
        if entry.0 != minute {
            *entry = (minute, 0);
        }
        entry.1 += 1;
    }
}

/// The current certificate of a case the actor may see, with its stored row.
fn current_row(
    state: &AppState,
    actor: &crate::domain::Actor,
    case_id: &str,
) -> Result<CertificateRow, AppError> {
    let mut conn = state.store.conn()?;
    super::cases::visible_case(&mut conn, actor, case_id)?;
    rows::current_of_case(&mut conn, case_id)?.ok_or(AppError::NotFound)
}

/// `GET /cases/{id}/certificate`.
pub fn of_case(
    state: &AppState,
    actor: &crate::domain::Actor,
    case_id: &str,
) -> Result<Certificate, AppError> {
    let row = current_row(state, actor, case_id)?;
    Ok(view(
        &row,
        &state.settings.server.public_url,
        state.now().date_naive(),
    ))
}

/// The stored PDF of the case's current certificate, with a file name.
pub fn pdf_of_case(
    state: &AppState,
    actor: &crate::domain::Actor,
    case_id: &str,
) -> Result<(String, Vec<u8>), AppError> {
    let row = current_row(state, actor, case_id)?;
    let mut conn = state.store.conn()?;
    Ok((
        format!("{}.pdf", row.number),
        rows::pdf(&mut conn, &row.id)?,
    ))
}

/// The stored signed credential of the case's current certificate.
pub fn credential_of_case(
    state: &AppState,
    actor: &crate::domain::Actor,
    case_id: &str,
) -> Result<String, AppError> {
    let row = current_row(state, actor, case_id)?;
    let mut conn = state.store.conn()?;
    Ok(rows::credential(&mut conn, &row.id)?)
}

/// Marks every certificate past its last valid day as expired; a certified or
/// suspended case whose current certificate ran out becomes expired too. Returns how
/// many certificates expired.
pub fn expire_due(state: &AppState) -> Result<usize, AppError> {
    let now = state.now();
    let due = {
        let mut conn = state.store.conn()?;
        rows::past_expiry(&mut conn, now.date_naive(), 100_000)?
    };
    for certificate in &due {
        let case_status = {
            let mut conn = state.store.conn()?;
            let current = rows::current_of_case(&mut conn, &certificate.case_id)?;
            let case = crate::store::cases::by_id(&mut conn, &certificate.case_id)?;
            let is_current = current.is_some_and(|c| c.id == certificate.id);
            case.filter(|_| is_current).map(|(case, _, _)| case.status)
        };
        match case_status.as_deref() {
            Some("certified") | Some("suspended") => {
                super::cases::expire(state, &certificate.case_id)?
            }
            _ => state.store.write(|conn| {
                rows::set_status(
                    conn,
                    &certificate.id,
                    CertificateStatus::Expired.as_str(),
                    None,
                    to_db(now),
                )
                .map_err(AppError::from)
            })?,
        }
    }
    Ok(due.len())
}
