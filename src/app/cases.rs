//! Certification cases: enrolment, every command that changes a case, and the reads.
//!
//! A command runs in one transaction: load the case, authorise, check the version,
//! load the facts, `decide`, `evolve`, then write the case row (conditional on the
//! version), the hash-chained events and their projections together.

use chrono::{DateTime, Utc};

use super::case_views::{self, Case, CaseEvent};
use super::error::AppError;
use super::inputs::{self, Action as ApiAction, NewCase, TransitionRequest};
pub use super::pipeline::Precondition;
use super::pipeline::{execute, execute_in, target, Reactors, Subject};
use super::views::{CasePage, Evidence, Finding, Session};
use super::{from_db, paginate, to_db, AppState, PageRequest};
use crate::domain::command::{SessionChanges, SessionDocumentation};
use crate::domain::policy::{authorize, visibility, Action};
use crate::domain::{
    Actor, CaseFacts, Command, FieldCode, FieldError, Measure, NamedUser, NewFinding, Role,
    SessionSnapshot, Stage, Status, Transition,
};
use crate::store::cases::{CaseFilter, CaseParts};
use crate::store::rows::SessionRow;
use crate::store::{cases, events, facts, ids, organisations, programmes, users, DbConnection};

/// Loads a case the actor may see, or answers 404.
pub(crate) fn visible_case(
    conn: &mut DbConnection,
    actor: &Actor,
    id: &str,
) -> Result<CaseParts, AppError> {
    let parts = cases::by_id(conn, id)?.ok_or(AppError::NotFound)?;
    authorize(actor, Action::Read, &target(&parts.0))?;
    Ok(parts)
}

/// The case as the API shows it, built inside the command's transaction.
fn case_view(
    state: &AppState,
) -> impl Fn(&mut DbConnection, &CaseParts, Option<&CaseFacts>) -> Result<Case, AppError> + '_ {
    move |conn, parts, facts| case_views::build_one_with(conn, parts.clone(), facts.cloned(), state)
}

/// Enrols a unit in a programme: a new case at kickoff.
pub fn enrol(state: &AppState, actor: &Actor, input: NewCase) -> Result<Case, AppError> {
    let unknown_unit = || {
        AppError::Invalid(vec![FieldError::coded(
            "unit_id",
            FieldCode::UnknownUnit,
            "no unit has this id",
        )])
    };
    let (unit, programme) = {
        let mut conn = state.store.conn()?;
        let unit =
            organisations::unit_by_id(&mut conn, &input.unit_id)?.ok_or_else(unknown_unit)?;
        let programme = programmes::by_id(&mut conn, &input.programme_id)?.ok_or_else(|| {
            AppError::Invalid(vec![FieldError::coded(
                "programme_id",
                FieldCode::UnknownProgramme,
                "no programme has this id",
            )])
        })?;
        (unit, programme)
    };
    execute(
        state,
        actor,
        Subject::New(&unit, &programme),
        &Precondition::Any,
        |conn, _| {
            let consultant = match &input.consultant_id {
                Some(id) => Some(named_user(conn, id)?),
                None => None,
            };
            Ok(Command::Enrol { consultant })
        },
        |conn, parts, _| case_views::build_one(conn, parts.clone(), state),
    )
    .map_err(|e| match e {
        // A unit the actor may not see is, to them, no unit at all.
        AppError::NotFound => unknown_unit(),
        other => other,
    })
}

/// A user a command names, as the store knows them.
fn named_user(conn: &mut DbConnection, id: &str) -> Result<NamedUser, AppError> {
    Ok(NamedUser {
        id: id.to_string(),
        role: users::by_id(conn, id)?.map(|u| u.role),
    })
}

pub fn get(state: &AppState, actor: &Actor, id: &str) -> Result<Case, AppError> {
    let mut conn = state.store.conn()?;
    let parts = visible_case(&mut conn, actor, id)?;
    case_views::build_one(&mut conn, parts, state)
}

/// The filters of `GET /cases`, parsed.
#[derive(Debug, Clone, Default)]
pub struct CaseQuery {
    pub organisation_id: Option<String>,
    pub unit_id: Option<String>,
    pub stage: Option<Stage>,
    pub status: Option<Status>,
    pub overdue: Option<bool>,
    pub consultant_id: Option<String>,
    pub auditor_id: Option<String>,
}

pub fn list(
    state: &AppState,
    actor: &Actor,
    query: CaseQuery,
    page: PageRequest,
) -> Result<CasePage, AppError> {
    let now = state.now();
    let filter = CaseFilter {
        visibility: visibility(actor),
        organisation_id: query.organisation_id,
        unit_id: query.unit_id,
        stage: query.stage.map(|s| s.as_str().to_string()),
        status: query.status.map(|s| s.as_str().to_string()),
        consultant_id: query.consultant_id,
        auditor_id: query.auditor_id,
        overdue: query.overdue,
        now: to_db(now),
    };
    let mut conn = state.store.conn()?;
    let rows = cases::list(&mut conn, &filter, page.cursor.as_deref(), page.limit + 1)?;
    let (rows, next_cursor) = paginate(rows, page.limit, |(c, _, _)| c.id.clone());
    Ok(CasePage {
        items: case_views::build(&mut conn, rows, state)?,
        next_cursor,
    })
}

pub fn history(state: &AppState, actor: &Actor, id: &str) -> Result<Vec<CaseEvent>, AppError> {
    let mut conn = state.store.conn()?;
    visible_case(&mut conn, actor, id)?;
    Ok(events::of_case(&mut conn, id)?
        .into_iter()
        .map(CaseEvent::from)
        .collect())
}

pub fn sessions(state: &AppState, actor: &Actor, id: &str) -> Result<Vec<Session>, AppError> {
    let mut conn = state.store.conn()?;
    visible_case(&mut conn, actor, id)?;
    facts::sessions_of(&mut conn, id)?
        .into_iter()
        .map(Session::from_row)
        .collect()
}

pub fn evidence(state: &AppState, actor: &Actor, id: &str) -> Result<Vec<Evidence>, AppError> {
    let mut conn = state.store.conn()?;
    visible_case(&mut conn, actor, id)?;
    Ok(facts::evidence_of(&mut conn, id)?
        .into_iter()
        .map(Evidence::from)
        .collect())
}

pub fn findings(state: &AppState, actor: &Actor, id: &str) -> Result<Vec<Finding>, AppError> {
    let mut conn = state.store.conn()?;
    visible_case(&mut conn, actor, id)?;
    Ok(facts::findings_of(&mut conn, id)?
        .into_iter()
        .map(Finding::from)
        .collect())
}

fn snapshot(row: SessionRow) -> Result<SessionSnapshot, AppError> {
    let themes: Vec<String> = serde_json::from_str(&row.themes).map_err(|e| {
        AppError::Store(crate::store::StoreError::Corrupt(format!(
            "session {} themes: {e}",
            row.id
        )))
    })?;
    Ok(SessionSnapshot {
        documentation: SessionDocumentation {
            audience: row.audience,
            themes,
            notes: row.notes,
        },
        kind: row.kind,
        starts_at: from_db(row.starts_at),
        ends_at: from_db(row.ends_at),
        attended: row.attended.map(|a| a.max(0) as u32),
        sequence: row.sequence.max(0) as u32,
        id: row.id,
        title: row.title,
        location: row.location,
        cancelled: row.cancelled,
    })
}

pub(crate) fn load_session(
    conn: &mut DbConnection,
    case_id: &str,
    session_id: &str,
) -> Result<SessionSnapshot, AppError> {
    snapshot(facts::session(conn, case_id, session_id)?.ok_or(AppError::NotFound)?)
}

fn session_view(
    session_id: String,
) -> impl Fn(&mut DbConnection, &CaseParts, Option<&CaseFacts>) -> Result<Session, AppError> {
    move |conn, (case, _, _), _| {
        Session::from_row(facts::session(conn, &case.id, &session_id)?.ok_or(AppError::NotFound)?)
    }
}

fn utc(at: chrono::DateTime<chrono::FixedOffset>) -> DateTime<Utc> {
    crate::clock::to_micros(at.with_timezone(&Utc))
}

pub fn schedule_session(
    state: &AppState,
    actor: &Actor,
    case_id: &str,
    input: inputs::NewSession,
) -> Result<Session, AppError> {
    let session_id = ids::new_id();
    execute(
        state,
        actor,
        Subject::Case(case_id),
        &Precondition::None,
        |_, _| Ok(schedule_command(&session_id, &input)),
        session_view(session_id.clone()),
    )
}

/// The command that schedules `input` as session `session_id`: the API's, the pages'
/// and an accepted workshop request's.
pub(crate) fn schedule_command(session_id: &str, input: &inputs::NewSession) -> Command {
    Command::ScheduleSession {
        session_id: session_id.to_string(),
        kind: input.kind,
        title: input.title.clone().into(),
        starts_at: utc(input.starts_at),
        ends_at: utc(input.ends_at),
        location: input.location.clone().map(String::from),
        documentation: SessionDocumentation {
            audience: input.audience.clone().map(String::from),
            themes: input.themes.iter().map(|t| t.0.clone()).collect(),
            notes: input.notes.clone(),
        },
    }
}

pub fn change_session(
    state: &AppState,
    actor: &Actor,
    case_id: &str,
    session_id: &str,
    patch: inputs::SessionPatch,
) -> Result<Session, AppError> {
    execute(
        state,
        actor,
        Subject::Case(case_id),
        &Precondition::None,
        |conn, (case, _, _)| {
            Ok(Command::ChangeSession {
                session: load_session(conn, &case.id, session_id)?,
                changes: SessionChanges {
                    title: patch.title.clone().map(String::from),
                    starts_at: patch.starts_at.map(utc),
                    ends_at: patch.ends_at.map(utc),
                    location: patch.location.clone().map(|l| l.map(String::from)),
                    audience: patch.audience.clone().map(|a| a.map(String::from)),
                    themes: patch
                        .themes
                        .as_ref()
                        .map(|themes| themes.iter().map(|t| t.0.clone()).collect()),
                    notes: patch.notes.clone(),
                },
            })
        },
        session_view(session_id.to_string()),
    )
}

pub fn cancel_session(
    state: &AppState,
    actor: &Actor,
    case_id: &str,
    session_id: &str,
) -> Result<(), AppError> {
    execute(
        state,
        actor,
        Subject::Case(case_id),
        &Precondition::None,
        |conn, (case, _, _)| {
            Ok(Command::CancelSession {
                session: load_session(conn, &case.id, session_id)?,
            })
        },
        |_, _, _| Ok(()),
    )
}

pub fn record_attendance(
    state: &AppState,
    actor: &Actor,
    case_id: &str,
    session_id: &str,
    attended: i64,
) -> Result<Session, AppError> {
    execute(
        state,
        actor,
        Subject::Case(case_id),
        &Precondition::None,
        |conn, (case, _, _)| {
            Ok(Command::RecordAttendance {
                session: load_session(conn, &case.id, session_id)?,
                attended: u32::try_from(attended).map_err(|_| {
                    AppError::Invalid(vec![FieldError::coded(
                        "attended",
                        FieldCode::NotNegative,
                        "must be 0 or more",
                    )])
                })?,
            })
        },
        session_view(session_id.to_string()),
    )
}

/// Sets a count of the case's staff: reflections completed, or staff trained.
pub fn record_measure(
    state: &AppState,
    actor: &Actor,
    case_id: &str,
    measure: Measure,
    completed: i64,
) -> Result<Case, AppError> {
    execute(
        state,
        actor,
        Subject::Case(case_id),
        &Precondition::None,
        |_, _| {
            Ok(Command::RecordMeasure {
                measure,
                completed: u32::try_from(completed).map_err(|_| {
                    AppError::Invalid(vec![FieldError::coded(
                        "completed",
                        FieldCode::NotNegative,
                        "must be 0 or more",
                    )])
                })?,
            })
        },
        case_view(state),
    )
}

pub fn add_evidence(
    state: &AppState,
    actor: &Actor,
    case_id: &str,
    input: inputs::NewEvidence,
) -> Result<Evidence, AppError> {
    add_evidence_with(state, actor, case_id, input, None, |_| Ok(()))
}

/// `add_evidence` with a file already checked; `store` runs after the event is written
/// and before its transaction commits (its failure rolls the event back).
pub(crate) fn add_evidence_with(
    state: &AppState,
    actor: &Actor,
    case_id: &str,
    input: inputs::NewEvidence,
    file: Option<crate::domain::file_type::EvidenceFile>,
    store: impl Fn(&Evidence) -> Result<(), AppError> + Sync,
) -> Result<Evidence, AppError> {
    let evidence_id = ids::new_id();
    execute(
        state,
        actor,
        Subject::Case(case_id),
        &Precondition::None,
        |_, _| {
            Ok(Command::AddEvidence {
                evidence_id: evidence_id.clone(),
                area: input.area.trim().to_string(),
                description: input.description.clone(),
                link: input
                    .link
                    .as_deref()
                    .map(str::trim)
                    .filter(|l| !l.is_empty())
                    .map(String::from),
                file: file.clone(),
            })
        },
        |conn, _, _| {
            let evidence = facts::evidence_item(conn, &evidence_id)?
                .map(Evidence::from)
                .ok_or(AppError::NotFound)?;
            store(&evidence)?;
            Ok(evidence)
        },
    )
}

pub fn resolve_finding(
    state: &AppState,
    actor: &Actor,
    case_id: &str,
    finding_id: &str,
    resolution: &str,
) -> Result<Finding, AppError> {
    execute(
        state,
        actor,
        Subject::Case(case_id),
        &Precondition::None,
        |conn, (case, _, _)| {
            facts::finding(conn, &case.id, finding_id)?.ok_or(AppError::NotFound)?;
            Ok(Command::ResolveFinding {
                finding_id: finding_id.to_string(),
                resolution: resolution.to_string(),
            })
        },
        |conn, (case, _, _), _| {
            facts::finding(conn, &case.id, finding_id)?
                .map(Finding::from)
                .ok_or(AppError::NotFound)
        },
    )
}

fn findings_of(input: &TransitionRequest) -> Vec<NewFinding> {
    new_findings(input.findings.as_deref().unwrap_or_default())
}

/// Findings as the auditor wrote them, each with a new id.
fn new_findings(input: &[inputs::FindingInput]) -> Vec<NewFinding> {
    input
        .iter()
        .map(|f| NewFinding {
            id: ids::new_id(),
            severity: f.severity,
            area: f.area.as_deref().map(str::trim).map(String::from),
            text: f.text.clone(),
        })
        .collect()
}

/// Moves a case along its path (or changes its status), if the If-Match version is current.
pub fn transition(
    state: &AppState,
    actor: &Actor,
    case_id: &str,
    precondition: Precondition,
    input: TransitionRequest,
) -> Result<Case, AppError> {
    let takes_findings = matches!(input.action, ApiAction::Approve | ApiAction::Return);
    if input.findings.is_some() && !takes_findings {
        return Err(AppError::Invalid(vec![FieldError::coded(
            "findings",
            FieldCode::FindingsOnlyOnDecisions,
            "only approve and return take findings",
        )]));
    }
    if input.auditor_id.is_some() && input.action != ApiAction::RequestAudit {
        return Err(AppError::Invalid(vec![FieldError::coded(
            "auditor_id",
            FieldCode::AuditorOnlyOnRequest,
            "only request_audit names an auditor",
        )]));
    }
    let findings = findings_of(&input);
    execute(
        state,
        actor,
        Subject::Case(case_id),
        &precondition,
        |conn, _| {
            let transition = match input.action {
                ApiAction::Advance => Transition::Advance,
                ApiAction::RequestAudit => Transition::RequestAudit {
                    auditor: match &input.auditor_id {
                        Some(id) => Some(named_user(conn, id)?),
                        None => None,
                    },
                },
                ApiAction::Approve => Transition::Approve {
                    findings: findings.clone(),
                },
                ApiAction::Return => Transition::Return {
                    findings: findings.clone(),
                },
                ApiAction::Pause => Transition::Pause,
                ApiAction::Resume => Transition::Resume,
                ApiAction::Withdraw => Transition::Withdraw {
                    sessions: facts::sessions_of(conn, case_id)?
                        .into_iter()
                        .map(snapshot)
                        .collect::<Result<_, _>>()?,
                },
                ApiAction::Suspend => Transition::Suspend,
                ApiAction::Reinstate => Transition::Reinstate,
                ApiAction::Revoke => Transition::Revoke,
                ApiAction::Renew => Transition::Renew,
            };
            Ok(Command::Transition {
                transition,
                comment: input.comment.clone(),
            })
        },
        case_view(state),
    )
}

/// The periodic job's actor: recorded on the events it causes.
pub(crate) fn system_actor() -> Actor {
    Actor {
        id: "system".into(),
        role: Role::Admin,
        organisation_id: None,
        unit_id: None,
    }
}

/// Records, in the caller's transaction, that the case's certificate ran out (the
/// periodic job's command).
pub(crate) fn expire_in(
    conn: &mut DbConnection,
    reactors: &Reactors<'_>,
    case_id: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    execute_in(
        conn,
        reactors,
        &system_actor(),
        Subject::Case(case_id),
        &Precondition::None,
        now,
        &|_, _| Ok(Command::Expire),
    )
    .map(|_| ())
}

/// The assigned auditor's surveillance: passed without findings, or with findings
/// (each due by a date its severity sets). A passed one lifts a suspension that a
/// lapsed surveillance caused.
pub fn record_surveillance(
    state: &AppState,
    actor: &Actor,
    case_id: &str,
    input: inputs::SurveillanceRequest,
) -> Result<Case, AppError> {
    let findings: Vec<NewFinding> = match (input.outcome, input.findings) {
        (inputs::SurveillanceOutcome::Passed, None) => Vec::new(),
        (inputs::SurveillanceOutcome::Passed, Some(f)) if f.is_empty() => Vec::new(),
        (inputs::SurveillanceOutcome::Passed, Some(_)) => {
            return Err(AppError::Invalid(vec![FieldError::coded(
                "findings",
                FieldCode::FindingsOnlyOnDecisions,
                "a passed surveillance has no findings",
            )]))
        }
        (inputs::SurveillanceOutcome::Findings, f) => {
            let f = f.unwrap_or_default();
            if f.is_empty() {
                return Err(AppError::Invalid(vec![FieldError::coded(
                    "findings",
                    FieldCode::FindingNeeded,
                    "a surveillance with findings needs at least one",
                )]));
            }
            new_findings(&f)
        }
    };
    execute(
        state,
        actor,
        Subject::Case(case_id),
        &Precondition::None,
        |_, _| {
            Ok(Command::RecordSurveillance {
                findings: findings.clone(),
                comment: input.comment.clone(),
            })
        },
        case_view(state),
    )
}

/// An admin's certification decision on a case its auditor recommended (programmes
/// with `decision_by: admin`): certify issues the certificate as an approval does.
pub fn decide_certification(
    state: &AppState,
    actor: &Actor,
    case_id: &str,
    input: super::appeal_inputs::DecisionRequest,
) -> Result<Case, AppError> {
    execute(
        state,
        actor,
        Subject::Case(case_id),
        &Precondition::None,
        |_, _| {
            Ok(Command::Decide {
                outcome: input.outcome,
                comment: input.comment.clone(),
            })
        },
        case_view(state),
    )
}

/// The periodic job's, in the caller's transaction: suspends the case if its
/// surveillance lapsed as of `as_of`; false when it had not (or no longer had). A
/// refused command has written nothing (`decide` refuses before anything is stored),
/// so the caller's other commands stand.
pub(crate) fn lapse_surveillance_in(
    conn: &mut DbConnection,
    reactors: &Reactors<'_>,
    case_id: &str,
    as_of: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<bool, AppError> {
    let outcome = execute_in(
        conn,
        reactors,
        &system_actor(),
        Subject::Case(case_id),
        &Precondition::None,
        now,
        &|_, _| Ok(Command::LapseSurveillance { as_of }),
    );
    match outcome {
        Ok(_) => Ok(true),
        // Refused where it stands: recorded or reinstated meanwhile.
        Err(AppError::Domain(
            crate::domain::DomainError::Conflict(_) | crate::domain::DomainError::NotAllowed { .. },
        )) => Ok(false),
        Err(e) => Err(e),
    }
}
