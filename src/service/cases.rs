//! Certification cases: enrolment, every command that changes a case, and the reads.
//!
//! A command runs in one transaction: load the case, authorise, check the version,
//! load the facts, `decide`, `evolve`, then write the case row (conditional on the
//! version), the hash-chained events and their projections together.

use chrono::{DateTime, Utc};

use super::case_views::{self, Case, CaseEvent};
use super::projection::{chain, persist, row_with_state};
use super::views::{CasePage, Evidence, Finding, Session};
use super::{from_db, paginate, to_db, AppState, PageRequest};
use crate::api::inputs::{self, Action as ApiAction, NewCase, TransitionRequest};
use crate::domain::command::SessionChanges;
use crate::domain::evolve::evolve_all;
use crate::domain::hash::GENESIS_HASH;
use crate::domain::policy::{authorize, visibility, Action, Target};
use crate::domain::{
    decide, Actor, CaseFacts, CaseState, Command, Facts, NamedUser, NewFinding, Role, SessionKind,
    SessionSnapshot, Stage, Status, Transition,
};
use crate::error::AppError;
use crate::notify::NotifyContext;
use crate::store::cases::{CaseFilter, CaseParts};
use crate::store::rows::{CaseRow, SessionRow};
use crate::store::{
    cases, events, facts, ids, is_unique_violation, organisations, programmes, users, DbConnection,
};

/// What the client sent in `If-Match`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Precondition {
    /// Not sent: fine for data commands; a transition answers 428.
    None,
    /// `*`: any version.
    Any,
    Version(i64),
    /// Sent, but not a version this server ever issued.
    Unmatchable(String),
}

pub(crate) fn target(case: &CaseRow) -> Target<'_> {
    Target {
        organisation_id: Some(&case.organisation_id),
        unit_id: Some(&case.unit_id),
        consultant_id: case.consultant_id.as_deref(),
        auditor_id: case.auditor_id.as_deref(),
    }
}

fn state_of(row: &CaseRow) -> Result<CaseState, AppError> {
    let corrupt = |what: &str| AppError::Internal(format!("case {} has an unknown {what}", row.id));
    Ok(CaseState {
        stage: Stage::parse(&row.stage).ok_or_else(|| corrupt("stage"))?,
        status: Status::parse(&row.status).ok_or_else(|| corrupt("status"))?,
        version: row.version.max(0) as u64,
        consultant_id: row.consultant_id.clone(),
        auditor_id: row.auditor_id.clone(),
        cycle: row.cycle.max(1) as u32,
        stage_entered_at: from_db(row.stage_entered_at),
        stage_due_at: row.stage_due_at.map(from_db),
        paused_at: row.paused_at.map(from_db),
        reflections_completed: row.reflections_completed.max(0) as u32,
        audit_round: row.audit_round.max(0) as u32,
    })
}

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

/// Runs one command against a case in one transaction and answers with `respond`.
/// Without a precondition, a lost race with another writer is retried.
fn run<R: Send>(
    state: &AppState,
    actor: &Actor,
    case_id: &str,
    action: Action,
    precondition: &Precondition,
    build: impl Fn(&mut DbConnection, &CaseParts) -> Result<Command, AppError> + Sync,
    respond: impl Fn(&mut DbConnection, &CaseParts, Option<&CaseFacts>) -> Result<R, AppError> + Sync,
) -> Result<R, AppError> {
    let mut attempts = 0;
    loop {
        attempts += 1;
        let now = state.now();
        let outcome = state.store.write(|conn| {
            cases::lock(conn, case_id)?;
            let parts = cases::by_id(conn, case_id)?.ok_or(AppError::NotFound)?;
            authorize(actor, action, &target(&parts.0))?;
            match precondition {
                Precondition::Version(v) if *v != parts.0.version => {
                    return Err(AppError::PreconditionFailed {
                        sent: v.to_string(),
                    })
                }
                Precondition::Unmatchable(sent) => {
                    return Err(AppError::PreconditionFailed { sent: sent.clone() })
                }
                _ => {}
            }
            let command = build(conn, &parts)?;
            let (case, _, programme) = &parts;
            let rules = programmes::rules_of(programme)?;
            let counts = case_views::facts_of(conn, std::slice::from_ref(&parts))?
                .remove(&case.id)
                .unwrap_or_default();
            let before = state_of(case)?;
            let decided = decide(
                &before,
                actor,
                &command,
                Facts {
                    rules: &rules,
                    counts: &counts,
                },
                now,
            )?;
            let after = evolve_all(before, &decided);
            let event_rows = chain(&case.id, case.version, &case.last_hash, &decided);
            let last_hash = event_rows
                .last()
                .map_or(case.last_hash.clone(), |e| e.hash.clone());
            let row = row_with_state(case, &after, &programme.key, last_hash, now);
            persist(conn, &row, case.version, &event_rows, &decided)?;
            super::certificates::follow(conn, state, &parts, &row, &decided)?;
            let notify = NotifyContext {
                case: &row,
                unit: &parts.1,
                programme,
                settings: &state.settings,
            };
            crate::notify::enqueue(conn, &notify, &decided, now)?;
            // The unit and programme do not change with a command, and the counts only
            // with events that project to rows: no need to read them again.
            let unchanged = !decided.iter().any(super::projection::changes_facts);
            let parts = (row, parts.1.clone(), parts.2.clone());
            respond(conn, &parts, unchanged.then_some(&counts))
        });
        match outcome {
            Err(AppError::PreconditionFailed { .. })
                if *precondition == Precondition::None && attempts < 5 =>
            {
                continue
            }
            other => return other,
        }
    }
}

/// The case as the API shows it, built inside the command's transaction.
fn case_view(
    state: &AppState,
) -> impl Fn(&mut DbConnection, &CaseParts, Option<&CaseFacts>) -> Result<Case, AppError> + '_ {
    move |conn, parts, facts| case_views::build_one_with(conn, parts.clone(), facts.cloned(), state)
}

/// Enrols a unit in a programme: a new case at kickoff.
pub fn enrol(state: &AppState, actor: &Actor, input: NewCase) -> Result<Case, AppError> {
    let now = state.now();
    state.store.write(|conn| {
        let unit = organisations::unit_by_id(conn, &input.unit_id)?
            .ok_or_else(|| AppError::invalid("unit_id", "no unit has this id"))?;
        authorize(
            actor,
            Action::Enrol,
            &Target {
                organisation_id: Some(&unit.organisation_id),
                unit_id: Some(&unit.id),
                ..Target::default()
            },
        )
        .map_err(|denied| match denied {
            crate::domain::policy::Denied::NotFound => {
                AppError::invalid("unit_id", "no unit has this id")
            }
            other => other.into(),
        })?;
        let programme = programmes::by_id(conn, &input.programme_id)?
            .ok_or_else(|| AppError::invalid("programme_id", "no programme has this id"))?;
        let consultant = match &input.consultant_id {
            Some(id) => Some(NamedUser {
                id: id.clone(),
                role: users::by_id(conn, id)?.and_then(|u| Role::parse(&u.role)),
            }),
            None => None,
        };
        let rules = programmes::rules_of(&programme)?;
        let counts = Default::default();
        let blank = CaseState::blank();
        let decided = decide(
            &blank,
            actor,
            &Command::Enrol { consultant },
            Facts {
                rules: &rules,
                counts: &counts,
            },
            now,
        )?;
        let after = evolve_all(blank, &decided);
        let base = CaseRow {
            id: ids::new_id(),
            unit_id: unit.id.clone(),
            organisation_id: unit.organisation_id.clone(),
            programme_id: programme.id.clone(),
            stage: String::new(),
            status: String::new(),
            version: 0,
            consultant_id: None,
            auditor_id: None,
            cycle: 1,
            stage_entered_at: to_db(now),
            stage_due_at: None,
            paused_at: None,
            reflections_completed: 0,
            audit_round: 0,
            last_hash: GENESIS_HASH.to_string(),
            live_key: None,
            created_at: to_db(now),
            updated_at: to_db(now),
        };
        let event_rows = chain(&base.id, 0, GENESIS_HASH, &decided);
        let last_hash = event_rows
            .last()
            .map_or(GENESIS_HASH.to_string(), |e| e.hash.clone());
        let row = row_with_state(&base, &after, &programme.key, last_hash, now);
        match cases::insert(conn, &row) {
            Err(e) if is_unique_violation(&e) => {
                return Err(AppError::Conflict(
                    "the unit already has a live case in this programme".into(),
                ))
            }
            other => other?,
        }
        super::projection::append(conn, &row, &event_rows, &decided)?;
        let notify = NotifyContext {
            case: &row,
            unit: &unit,
            programme: &programme,
            settings: &state.settings,
        };
        crate::notify::enqueue(conn, &notify, &decided, now)?;
        case_views::build_one(conn, (row, unit, programme), state)
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
    Ok(facts::sessions_of(&mut conn, id)?
        .into_iter()
        .map(Session::from)
        .collect())
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

fn snapshot(row: SessionRow) -> SessionSnapshot {
    SessionSnapshot {
        kind: SessionKind::parse(&row.kind).unwrap_or(SessionKind::Supervision),
        starts_at: from_db(row.starts_at),
        ends_at: from_db(row.ends_at),
        attended: row.attended.map(|a| a.max(0) as u32),
        sequence: row.sequence.max(0) as u32,
        id: row.id,
        title: row.title,
        location: row.location,
        cancelled: row.cancelled,
    }
}

fn load_session(
    conn: &mut DbConnection,
    case_id: &str,
    session_id: &str,
) -> Result<SessionSnapshot, AppError> {
    facts::session(conn, case_id, session_id)?
        .map(snapshot)
        .ok_or(AppError::NotFound)
}

fn session_view(
    session_id: String,
) -> impl Fn(&mut DbConnection, &CaseParts, Option<&CaseFacts>) -> Result<Session, AppError> {
    move |conn, (case, _, _), _| {
        facts::session(conn, &case.id, &session_id)?
            .map(Session::from)
            .ok_or(AppError::NotFound)
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
    run(
        state,
        actor,
        case_id,
        Action::ManageSessions,
        &Precondition::None,
        |_, _| {
            Ok(Command::ScheduleSession {
                session_id: session_id.clone(),
                kind: input.kind,
                title: input.title.clone(),
                starts_at: utc(input.starts_at),
                ends_at: utc(input.ends_at),
                location: input.location.clone(),
            })
        },
        session_view(session_id.clone()),
    )
}

pub fn change_session(
    state: &AppState,
    actor: &Actor,
    case_id: &str,
    session_id: &str,
    patch: inputs::SessionPatch,
) -> Result<Session, AppError> {
    run(
        state,
        actor,
        case_id,
        Action::ManageSessions,
        &Precondition::None,
        |conn, (case, _, _)| {
            Ok(Command::ChangeSession {
                session: load_session(conn, &case.id, session_id)?,
                changes: SessionChanges {
                    title: patch.title.clone(),
                    starts_at: patch.starts_at.map(utc),
                    ends_at: patch.ends_at.map(utc),
                    location: patch.location.clone(),
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
    run(
        state,
        actor,
        case_id,
        Action::ManageSessions,
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
    run(
        state,
        actor,
        case_id,
        Action::RecordProgress,
        &Precondition::None,
        |conn, (case, _, _)| {
            Ok(Command::RecordAttendance {
                session: load_session(conn, &case.id, session_id)?,
                attended: u32::try_from(attended)
                    .map_err(|_| AppError::invalid("attended", "must be 0 or more"))?,
            })
        },
        session_view(session_id.to_string()),
    )
}

pub fn record_reflections(
    state: &AppState,
    actor: &Actor,
    case_id: &str,
    completed: i64,
) -> Result<Case, AppError> {
    run(
        state,
        actor,
        case_id,
        Action::RecordProgress,
        &Precondition::None,
        |_, _| {
            Ok(Command::RecordReflections {
                completed: u32::try_from(completed)
                    .map_err(|_| AppError::invalid("completed", "must be 0 or more"))?,
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
    let evidence_id = ids::new_id();
    run(
        state,
        actor,
        case_id,
        Action::AddEvidence,
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
            })
        },
        |conn, _, _| {
            facts::evidence_item(conn, &evidence_id)?
                .map(Evidence::from)
                .ok_or(AppError::NotFound)
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
    run(
        state,
        actor,
        case_id,
        Action::ResolveFinding,
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

fn policy_action(action: ApiAction) -> Action {
    match action {
        ApiAction::Approve | ApiAction::Return => Action::SignOff,
        ApiAction::Suspend | ApiAction::Reinstate | ApiAction::Revoke => Action::Sanction,
        _ => Action::Steer,
    }
}

fn findings_of(input: &TransitionRequest) -> Vec<NewFinding> {
    input
        .findings
        .iter()
        .flatten()
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
        return Err(AppError::invalid(
            "findings",
            "only approve and return take findings",
        ));
    }
    if input.auditor_id.is_some() && input.action != ApiAction::RequestAudit {
        return Err(AppError::invalid(
            "auditor_id",
            "only request_audit names an auditor",
        ));
    }
    let findings = findings_of(&input);
    run(
        state,
        actor,
        case_id,
        policy_action(input.action),
        &precondition,
        |conn, _| {
            if precondition == Precondition::None {
                return Err(AppError::PreconditionRequired);
            }
            let transition = match input.action {
                ApiAction::Advance => Transition::Advance,
                ApiAction::RequestAudit => Transition::RequestAudit {
                    auditor: match &input.auditor_id {
                        Some(id) => Some(NamedUser {
                            id: id.clone(),
                            role: users::by_id(conn, id)?.and_then(|u| Role::parse(&u.role)),
                        }),
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
                ApiAction::Withdraw => Transition::Withdraw,
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
fn system_actor() -> Actor {
    Actor {
        id: "system".into(),
        role: Role::Admin,
        organisation_id: None,
        unit_id: None,
    }
}

/// Records that the case's certificate ran out (the periodic job's command).
pub fn expire(state: &AppState, case_id: &str) -> Result<(), AppError> {
    run(
        state,
        &system_actor(),
        case_id,
        Action::Sanction,
        &Precondition::None,
        |_, _| Ok(Command::Expire),
        |_, _, _| Ok(()),
    )
}
