//! Issuing a certificate inside the approve transaction and following the case's
//! status (suspend, reinstate, revoke, expire): the certificate reactor of the
//! command pipeline. The PDF is rendered after the commit ([`super::rendering`]).

use chrono::{DateTime, Datelike, Utc};

use super::credential::{self, CredentialSubject};
use super::status_list;
use super::{verification_code, verify_url, CertificateError, CertificateKit};
use crate::domain::certificate::{
    effect_of, number, validity, CertificateEffect, CertificateStatus,
};
use crate::domain::event::Event;
use crate::store::cases::CaseParts;
use crate::store::certificates::{self as rows, NewCertificateRow};
use crate::store::rows::CaseRow;
use crate::store::{ids, organisations, programmes, to_db, DbConnection};

/// Issues the certificate of an approved case: number, code, validity, credential; its
/// PDF pending. Answers the certificate's id.
fn issue(
    conn: &mut DbConnection,
    kit: &CertificateKit,
    parts: &CaseParts,
    case: &CaseRow,
    now: DateTime<Utc>,
) -> Result<String, CertificateError> {
    let (_, unit, programme) = parts;
    let organisation = organisations::by_id(conn, &unit.organisation_id)?
        .ok_or(CertificateError::Missing("the case's organisation"))?;
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
    let entries = status_list::allocate_entries(conn, kit.status_list_capacity, now)?;
    let code = verification_code();
    let public_url = &kit.public_url;
    let url = verify_url(public_url, &code);
    let criteria = rules.path.criteria();
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
        credential_status: status_list::credential_status(public_url, &entries),
    });
    let jwt = credential::sign(&kit.keys, &document);
    let id = ids::new_id();
    rows::insert(
        conn,
        &NewCertificateRow {
            id: id.clone(),
            case_id: case.id.clone(),
            cycle: case.cycle,
            number,
            revision: 0,
            verification_code: code,
            status: CertificateStatus::Valid,
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
            pdf_sha256: rows::PDF_PENDING.to_string(),
            pdf: Vec::new(),
            credential: jwt,
            status_changed_at: None,
            status_reason: None,
            revocation_list: Some(entries.revocation.0),
            revocation_index: Some(entries.revocation.1),
            suspension_list: Some(entries.suspension.0),
            suspension_index: Some(entries.suspension.1),
        },
    )?;
    Ok(id)
}

/// What the case's new events mean for its certificates (the domain's
/// [`effect_of`]); runs in the command's transaction. Answers the ids of the
/// certificates it issued, whose PDFs are pending.
pub fn follow(
    conn: &mut DbConnection,
    kit: &CertificateKit,
    parts: &CaseParts,
    case: &CaseRow,
    events: &[Event],
) -> Result<Vec<String>, CertificateError> {
    let mut issued = Vec::new();
    for event in events {
        match effect_of(&event.change) {
            Some(CertificateEffect::Issue) => issued.push(issue(conn, kit, parts, case, event.at)?),
            Some(CertificateEffect::SetStatus(status)) => {
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
            None => {}
        }
    }
    Ok(issued)
}
