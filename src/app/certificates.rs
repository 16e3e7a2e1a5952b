//! Certificates as the API shows them: views, downloads, public verification and the
//! expiry job. Issuance is the pipeline's certificate reactor (`certificate::issuance`).

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;

use chrono::NaiveDate;
use serde::Serialize;
use utoipa::ToSchema;

use super::certificate_views::{view, Certificate, CertificateProgramme};
use super::{to_db, AppState};
use crate::app::error::AppError;
use crate::app::pipeline::Reactors;
use crate::certificate::looks_like_code;
use crate::domain::certificate::{status_since, CertificateStatus};
use crate::domain::requirements::{evaluate, CaseFacts};
use crate::domain::{Requirement, Stage, Status};
use crate::store::certificates::{self as rows, CertificateRow};
use crate::store::DbConnection;

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
    /// The day the current status began (issue, suspension, reinstatement,
    /// revocation, or the day after the last valid day).
    pub status_since: NaiveDate,
}

/// Looks a code up on `conn` (one indexed read); `NotFound` for an unknown or
/// malformed code.
pub fn verify_on(
    conn: &mut DbConnection,
    state: &AppState,
    code: &str,
) -> Result<Verification, AppError> {
    let code = code.trim().to_ascii_uppercase();
    if !looks_like_code(&code) {
        return Err(AppError::NotFound);
    }
    let row = rows::by_code(conn, &code)?.ok_or(AppError::NotFound)?;
    let stored = row.status;
    let status = stored.as_of(row.valid_until, state.now().date_naive());
    Ok(Verification {
        status,
        status_since: status_since(
            stored,
            status,
            row.valid_until,
            row.status_changed_at.map(|at| at.date()),
            row.issued_at.date(),
        ),
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

/// What the programme of the certificate with `code` required, stage by stage (the
/// path the case was pinned to); empty for an unknown code.
pub fn requirements_of(
    state: &AppState,
    code: &str,
) -> Result<Vec<(Stage, Vec<Requirement>)>, AppError> {
    let code = code.trim().to_ascii_uppercase();
    let mut conn = state.store.conn()?;
    let Some(row) = rows::by_code(&mut conn, &code)? else {
        return Ok(Vec::new());
    };
    let Some(programme) = crate::store::programmes::by_id(&mut conn, &row.programme_id)? else {
        return Ok(Vec::new());
    };
    let rules = crate::store::programmes::rules_of(&programme)?;
    let facts = CaseFacts::default();
    Ok(rules
        .path
        .stages()
        .into_iter()
        .filter(|stage| *stage != Stage::Certified)
        .map(|stage| (stage, evaluate(stage, &rules, &facts)))
        .filter(|(_, reqs)| !reqs.is_empty())
        .collect())
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

/// The PDF of the case's current certificate, with a file name: as stored, or
/// rendered now when the approval left it pending.
pub fn pdf_of_case(
    state: &AppState,
    actor: &crate::domain::Actor,
    case_id: &str,
) -> Result<(String, Vec<u8>), AppError> {
    let row = current_row(state, actor, case_id)?;
    let pdf = crate::certificate::rendering::pdf_of(&state.store, &state.certificates, &row.id)?
        .ok_or(AppError::NotFound)?;
    Ok((format!("{}.pdf", row.number), pdf))
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

/// How many expiries (or lapsed surveillances) commit together. Each was its own
/// transaction (and fsync), 4.9 ms apiece: 2,090 at once took 10 s (docs/benchmarks.md,
/// "Scale"). A batch of 500 holds the SQLite writer for about 50 ms, once per night
/// when thousands fall due at once; 100 to a batch made the run a tenth slower.
const EXPIRY_BATCH: usize = 500;

/// Marks every certificate past its last valid day as expired; a certified or
/// suspended case whose current certificate ran out becomes expired too. Returns how
/// many certificates expired. Expiries commit a batch at a time, each batch all or
/// nothing; a batch committed stays committed if a later one fails.
pub fn expire_due(
    state: &AppState,
    as_of: chrono::DateTime<chrono::Utc>,
) -> Result<usize, AppError> {
    expire_due_in_batches(state, as_of, EXPIRY_BATCH)
}

/// [`expire_due`], committing `batch` expiries at a time (at least one).
pub fn expire_due_in_batches(
    state: &AppState,
    as_of: chrono::DateTime<chrono::Utc>,
    batch: usize,
) -> Result<usize, AppError> {
    let due = {
        let mut conn = state.store.conn()?;
        rows::past_expiry(&mut conn, as_of.date_naive(), 100_000)?
    };
    let reactors = Reactors::of(state);
    for batch in due.chunks(batch.max(1)) {
        // The case's event is recorded at the process's time, as every command's is;
        // the certificate's status change carries the as-of time it was due by.
        let now = state.now();
        state.store.write(|conn| {
            batch
                .iter()
                .try_for_each(|certificate| expire_one(conn, &reactors, certificate, as_of, now))
        })?;
    }
    Ok(due.len())
}

/// Expires one certificate in the caller's transaction: through the case's `Expire`
/// command when it is the current certificate of a certified or suspended case, else
/// by its status alone.
fn expire_one(
    conn: &mut DbConnection,
    reactors: &Reactors<'_>,
    certificate: &CertificateRow,
    as_of: chrono::DateTime<chrono::Utc>,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), AppError> {
    let current = rows::current_of_case(conn, &certificate.case_id)?;
    let is_current = current.is_some_and(|c| c.id == certificate.id);
    let case = crate::store::cases::by_id(conn, &certificate.case_id)?;
    match case.filter(|_| is_current).map(|(case, _, _)| case.status) {
        Some(Status::Certified | Status::Suspended) => {
            super::cases::expire_in(conn, reactors, &certificate.case_id, now)
        }
        _ => Ok(rows::set_status(
            conn,
            &certificate.id,
            CertificateStatus::Expired.as_str(),
            None,
            to_db(as_of),
        )?),
    }
}

/// Suspends every certificate whose surveillance is overdue past its programme's grace
/// as of `as_of`, [`EXPIRY_BATCH`] cases to a transaction; the number suspended.
pub fn lapse_surveillances(
    state: &AppState,
    as_of: chrono::DateTime<chrono::Utc>,
) -> Result<usize, AppError> {
    let due = {
        let mut conn = state.store.conn()?;
        // Only the cases past the shortest grace: the others' lapse would be refused,
        // and each refusal costs a command.
        let grace = crate::store::programmes::shortest_surveillance_grace(&mut conn)?.unwrap_or(0);
        let cutoff = as_of - chrono::Duration::days(i64::from(grace.max(0)));
        crate::store::cases::surveillance_due_before(&mut conn, to_db(cutoff))?
    };
    let reactors = Reactors::of(state);
    let mut lapsed = 0;
    for batch in due.chunks(EXPIRY_BATCH) {
        let now = state.now();
        lapsed += state.store.write(|conn| {
            batch.iter().try_fold(0, |n, case_id| {
                let suspended =
                    super::cases::lapse_surveillance_in(conn, &reactors, case_id, as_of, now)?;
                Ok::<_, AppError>(n + usize::from(suspended))
            })
        })?;
    }
    Ok(lapsed)
}
