//! Complaints from anyone, signed in or not: about a certified unit (named by its
//! certificate's verification code; kept as an event of that unit's case) or about
//! the certifying body (kept only here). An admin decides; a complaint about a unit
//! by one who neither runs nor audits its case. The complainant's e-mail address is
//! for the outcome alone: only admins see it, and it is never logged.

use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use super::appeal_inputs::{ComplaintDecisionRequest, ComplaintRequest};
use super::cases::system_actor;
use super::error::AppError;
use super::pipeline::{execute, execute_in, target, Precondition, Reactors, Subject};
use super::{from_db, paginate, throttle, to_db, AppState, PageRequest};
use crate::domain::policy::{authorize, may, Action, Target};
use crate::domain::{Actor, Command, ComplaintOutcome, FieldCode, FieldError, Language};
use crate::store::appeals::{self as store, ComplaintRow, Decision, Standing};
use crate::store::{cases, certificates, ids, DbConnection};

/// What the complainant is told: that the complaint was received, and its id.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ComplaintReceipt {
    pub id: String,
    pub received_at: DateTime<Utc>,
}

/// A complaint as admins see it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Complaint {
    pub id: String,
    /// The case of the unit complained about; null for a complaint about the body.
    pub case_id: Option<String>,
    /// The verification code the complainant gave; null for the body.
    pub certificate_code: Option<String>,
    /// The complainant's statement, as given.
    pub text: String,
    /// Where the outcome is sent; null when none was given.
    pub email: Option<String>,
    pub language: Language,
    pub received_at: DateTime<Utc>,
    /// Null until decided.
    pub outcome: Option<ComplaintOutcome>,
    pub comment: Option<String>,
    pub decided_by: Option<String>,
    pub decided_at: Option<DateTime<Utc>>,
}

/// A page of complaints; follow `next_cursor` for the next.
#[derive(Debug, Serialize, ToSchema)]
pub struct ComplaintPage {
    pub items: Vec<Complaint>,
    /// Pass as `cursor` for the next page; null on the last page.
    pub next_cursor: Option<String>,
}

impl TryFrom<ComplaintRow> for Complaint {
    type Error = AppError;

    fn try_from(row: ComplaintRow) -> Result<Complaint, AppError> {
        let unknown =
            |what: &str| AppError::Internal(format!("complaint {} has an unknown {what}", row.id));
        Ok(Complaint {
            language: Language::parse(&row.language).ok_or_else(|| unknown("language"))?,
            outcome: match row.outcome.as_deref() {
                Some(word) => {
                    Some(ComplaintOutcome::parse(word).ok_or_else(|| unknown("outcome"))?)
                }
                None => None,
            },
            id: row.id,
            case_id: row.case_id,
            certificate_code: row.certificate_code,
            text: row.text,
            email: row.email,
            received_at: from_db(row.received_at),
            comment: row.comment,
            decided_by: row.decided_by,
            decided_at: row.decided_at.map(from_db),
        })
    }
}

fn view(conn: &mut DbConnection, id: &str) -> Result<Complaint, AppError> {
    store::complaint(conn, id)?
        .ok_or(AppError::NotFound)
        .and_then(Complaint::try_from)
}

/// The complaint's text and address, checked together so one answer names both.
fn checked(input: &ComplaintRequest) -> Result<(String, Option<String>), AppError> {
    let mut errors = Vec::new();
    let text = input.text.trim().to_string();
    if text.is_empty() {
        errors.push(FieldError::coded(
            "text",
            FieldCode::Required,
            "must not be empty",
        ));
    }
    let email = match &input.email {
        Some(email) => match email.check("email") {
            Ok(()) => Some(email.as_str().to_string()),
            Err(e) => {
                errors.push(e);
                None
            }
        },
        None => None,
    };
    if errors.is_empty() {
        Ok((text, email))
    } else {
        Err(AppError::Invalid(errors))
    }
}

/// Receives a public complaint from `client` (held to a throttle like log-ins).
pub fn file(
    state: &AppState,
    client: &str,
    input: ComplaintRequest,
) -> Result<ComplaintReceipt, AppError> {
    let (text, email) = checked(&input)?;
    let about = input.about.as_deref().map(str::trim).map(str::to_string);
    let case_id = match &about {
        Some(code) => {
            let mut conn = state.store.conn()?;
            let certificate = certificates::by_code(&mut conn, code)?.ok_or_else(|| {
                AppError::Invalid(vec![FieldError::coded(
                    "about",
                    FieldCode::UnknownCertificate,
                    "no certificate has this verification code",
                )])
            })?;
            Some(certificate.case_id)
        }
        None => None,
    };
    throttle::admit(state, &throttle::Keys::complaints(client))?;
    let now = state.now();
    let row = ComplaintRow {
        id: ids::new_id(),
        case_id: case_id.clone(),
        certificate_code: about,
        text,
        email,
        language: input.language.unwrap_or_default().as_str().to_string(),
        received_at: to_db(now),
        outcome: None,
        comment: None,
        decided_by: None,
        decided_at: None,
    };
    let reactors = Reactors::of(state);
    state.store.write(|conn| -> Result<(), AppError> {
        store::insert_complaint(conn, &row)?;
        if let Some(case_id) = &case_id {
            let complaint_id = row.id.clone();
            execute_in(
                conn,
                &reactors,
                &system_actor(),
                Subject::Case(case_id),
                &Precondition::None,
                now,
                &|_, _| {
                    Ok(Command::ReceiveComplaint {
                        complaint_id: complaint_id.clone(),
                    })
                },
            )?;
        }
        Ok(())
    })?;
    Ok(ComplaintReceipt {
        id: row.id,
        received_at: now,
    })
}

/// Decides an open complaint. About a unit: a command of its case (the policy refuses
/// its consultant and auditor); about the body: any admin, kept here alone.
pub fn decide(
    state: &AppState,
    actor: &Actor,
    id: &str,
    input: ComplaintDecisionRequest,
) -> Result<Complaint, AppError> {
    let row = {
        let mut conn = state.store.conn()?;
        store::complaint(&mut conn, id)?.ok_or(AppError::NotFound)?
    };
    authorize(actor, Action::Administer, &Target::DEPLOYMENT)?;
    if let Some(case_id) = row.case_id.as_deref() {
        return execute(
            state,
            actor,
            Subject::Case(case_id),
            &Precondition::None,
            |_, _| {
                Ok(Command::DecideComplaint {
                    complaint_id: row.id.clone(),
                    outcome: input.outcome,
                    comment: input.comment.clone(),
                })
            },
            |conn, _, _| view(conn, id),
        );
    }
    authorize(actor, Action::Adjudicate, &Target::DEPLOYMENT)?;
    let comment = input
        .comment
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty());
    let now = state.now();
    state.store.write(|conn| {
        let decision = Decision {
            outcome: input.outcome.as_str(),
            comment,
            decided_by: &actor.id,
            decided_at: to_db(now),
        };
        if store::decide_complaint(conn, id, &decision)? == 0 {
            return Err(AppError::Conflict(
                crate::domain::ConflictCode::AlreadyDecided,
            ));
        }
        let row = store::complaint(conn, id)?.ok_or(AppError::NotFound)?;
        crate::notify::complaints::queue_body_outcome(
            conn,
            &state.settings,
            &row,
            input.outcome,
            now,
        )?;
        Complaint::try_from(row)
    })
}

/// One complaint (admin).
pub fn get(state: &AppState, actor: &Actor, id: &str) -> Result<Complaint, AppError> {
    authorize(actor, Action::Administer, &Target::DEPLOYMENT)?;
    let mut conn = state.store.conn()?;
    view(&mut conn, id)
}

/// A complaint as the admins' page shows it, and whether `actor` may decide it: any
/// admin for one about the body; about a unit, an admin who neither runs nor audits
/// its case.
pub fn for_adjudication(
    state: &AppState,
    actor: &Actor,
    id: &str,
) -> Result<(Complaint, bool), AppError> {
    authorize(actor, Action::Administer, &Target::DEPLOYMENT)?;
    let mut conn = state.store.conn()?;
    let complaint = view(&mut conn, id)?;
    let may_decide = match complaint.case_id.as_deref() {
        Some(case_id) => {
            let (case, _, _) = cases::by_id(&mut conn, case_id)?.ok_or(AppError::NotFound)?;
            may(actor, Action::Adjudicate, &target(&case))
        }
        None => may(actor, Action::Adjudicate, &Target::DEPLOYMENT),
    };
    Ok((complaint, may_decide))
}

/// Every complaint, oldest first, as `standing` narrows them (admin).
pub fn list(
    state: &AppState,
    actor: &Actor,
    standing: Standing,
    page: PageRequest,
) -> Result<ComplaintPage, AppError> {
    authorize(actor, Action::Administer, &Target::DEPLOYMENT)?;
    let mut conn = state.store.conn()?;
    let rows = store::complaints(&mut conn, standing, page.cursor.as_deref(), page.limit + 1)?;
    let (rows, next_cursor) = paginate(rows, page.limit, |r| r.id.clone());
    Ok(ComplaintPage {
        items: rows
            .into_iter()
            .map(Complaint::try_from)
            .collect::<Result<_, _>>()?,
        next_cursor,
    })
}
