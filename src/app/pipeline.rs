//! The command pipeline: the one function every change to a case goes through,
//! enrolment included.
//!
//! lock (unless the command names its version) → load → check visibility → build the command → authorise (the policy's
//! action for that command) → check the version → load facts → `decide` → `evolve` →
//! persist the case row, the hash-chained events and their projections → reactors
//! (certificate issuance and status, outbox rows, webhook deliveries), all in the caller's transaction.
//! [`execute`] gives each command its own transaction; [`execute_in`] runs one inside
//! the caller's (the periodic jobs' batches, an open event's attendance). The scale
//! fixture decides its commands with the same domain functions but stores their rows
//! in batches (`app::scale`).

use chrono::{DateTime, Utc};

use super::case_views;
use super::error::AppError;
use super::projection::{chain, changes_facts, migrated_to, persist, row_with_state};
use super::AppState;
use crate::certificate::{issuance, CertificateKit};
use crate::config::Settings;
use crate::domain::evolve::evolve_all;
use crate::domain::hash::GENESIS_HASH;
use crate::domain::policy::{action_of, authorize, Action, Target};
use crate::domain::{decide, Actor, CaseFacts, CaseState, Command, Facts};
use crate::domain::{Stage, Status};
use crate::notify::NotifyContext;
use crate::store::cases::{self, CaseParts};
use crate::store::rows::{CaseRow, ProgrammeRow, UnitRow};
use crate::store::{from_db, ids, programmes, to_db, DbConnection};

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

/// The case a command runs against.
#[derive(Debug, Clone)]
pub enum Subject<'a> {
    /// A stored case, by id: locked and loaded in the transaction.
    Case(&'a str),
    /// A case not yet stored (enrolment): a blank state for this unit and programme.
    New(&'a UnitRow, &'a ProgrammeRow),
}

/// The side effects that follow a command in its transaction.
pub struct Reactors<'a> {
    pub certificates: &'a CertificateKit,
    pub settings: &'a Settings,
    /// The certificates issued, their PDFs pending until [`render_issued`] runs.
    pub issued: std::sync::Mutex<Vec<String>>,
}

impl<'a> Reactors<'a> {
    /// Every reactor, as a request runs them.
    pub fn of(state: &'a AppState) -> Reactors<'a> {
        Reactors {
            certificates: &state.certificates,
            settings: &state.settings,
            issued: std::sync::Mutex::default(),
        }
    }

    /// Takes the ids of the certificates issued so far.
    fn take_issued(&self) -> Vec<String> {
        std::mem::take(&mut *self.issued.lock().unwrap_or_else(|p| p.into_inner()))
    }
}

/// Hands the certificates the reactors issued to the PDF renderer, after their
/// transaction committed: the PDF is rendered outside the single writer, which would
/// otherwise wait for every render, and the approval is answered meanwhile.
pub(crate) fn render_issued(state: &AppState, reactors: &Reactors<'_>) {
    for id in reactors.take_issued() {
        state.renderer.render_later(id);
    }
}

/// What the policy sees of a case: where it sits and who is assigned to it.
pub(crate) fn target(case: &CaseRow) -> Target<'_> {
    Target {
        organisation_id: Some(&case.organisation_id),
        unit_id: Some(&case.unit_id),
        consultant_id: case.consultant_id.as_deref(),
        auditor_id: case.auditor_id.as_deref(),
        responsible_id: None,
    }
}

/// Runs one command in its own transaction and answers with `respond`. Without a
/// precondition, a lost race with another writer is retried.
pub(crate) fn execute<R: Send>(
    state: &AppState,
    actor: &Actor,
    subject: Subject<'_>,
    precondition: &Precondition,
    build: impl Fn(&mut DbConnection, &CaseParts) -> Result<Command, AppError> + Sync,
    respond: impl Fn(&mut DbConnection, &CaseParts, Option<&CaseFacts>) -> Result<R, AppError> + Sync,
) -> Result<R, AppError> {
    let reactors = Reactors::of(state);
    let mut attempts = 0;
    loop {
        attempts += 1;
        let now = state.now();
        // A retried attempt's transaction rolled back, and what it issued with it.
        reactors.take_issued();
        let outcome = state.store.write(|conn| {
            let (parts, facts) = execute_in(
                conn,
                &reactors,
                actor,
                subject.clone(),
                precondition,
                now,
                &build,
            )?;
            respond(conn, &parts, facts.as_ref())
        });
        match outcome {
            Err(AppError::PreconditionFailed { .. })
                if *precondition == Precondition::None && attempts < 5 =>
            {
                continue
            }
            other => {
                if other.is_ok() {
                    render_issued(state, &reactors);
                }
                return other;
            }
        }
    }
}

/// Runs one command inside the caller's transaction. Answers the case as written and,
/// when the command changed no counts, the facts it was decided on (so a response
/// need not read them again). Counted in `/metrics` by kind and outcome.
pub(crate) fn execute_in(
    conn: &mut DbConnection,
    reactors: &Reactors<'_>,
    actor: &Actor,
    subject: Subject<'_>,
    precondition: &Precondition,
    now: DateTime<Utc>,
    build: &(dyn Fn(&mut DbConnection, &CaseParts) -> Result<Command, AppError> + Sync),
) -> Result<(CaseParts, Option<CaseFacts>), AppError> {
    let kind = std::sync::OnceLock::new();
    let noting = |conn: &mut DbConnection, parts: &CaseParts| {
        build(conn, parts).inspect(|command| {
            let _ = kind.set(super::metrics::command_kind(command));
        })
    };
    let outcome = steps(conn, reactors, actor, subject, precondition, now, &noting);
    super::metrics::command(kind.get().copied(), &outcome);
    outcome
}

/// The pipeline's steps, from the lock to the reactors.
fn steps(
    conn: &mut DbConnection,
    reactors: &Reactors<'_>,
    actor: &Actor,
    subject: Subject<'_>,
    precondition: &Precondition,
    now: DateTime<Utc>,
    build: &(dyn Fn(&mut DbConnection, &CaseParts) -> Result<Command, AppError> + Sync),
) -> Result<(CaseParts, Option<CaseFacts>), AppError> {
    let (parts, stored) = match subject {
        Subject::Case(id) => {
            // A command that names the version it was decided for needs no lock: a
            // concurrent command that wins changes the version, and this one's UPDATE,
            // conditional on it, then writes nothing and answers 412, as it would
            // after queueing behind the lock. One round trip fewer on PostgreSQL.
            if !matches!(precondition, Precondition::Version(_)) {
                cases::lock(conn, id)?;
            }
            (cases::by_id(conn, id)?.ok_or(AppError::NotFound)?, true)
        }
        Subject::New(unit, programme) => (
            (
                blank_row(unit, programme, now),
                unit.clone(),
                programme.clone(),
            ),
            false,
        ),
    };
    let (case, _, programme) = &parts;
    authorize(actor, Action::Read, &target(case))?;
    let command = build(conn, &parts)?;
    authorize(actor, action_of(&command), &target(case))?;
    check_version(case.version, precondition, &command)?;
    let rules = programmes::rules_of(programme)?;
    let (before, counts) = if stored {
        let counts = case_views::facts_of(conn, std::slice::from_ref(&parts))?
            .remove(&case.id)
            .unwrap_or_default();
        (state_of(case), counts)
    } else {
        (CaseState::blank(), CaseFacts::default())
    };
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
    let mut row = row_with_state(case, &after, &programme.key, last_hash, now);
    if let Some(moved_to) = migrated_to(&decided) {
        row.programme_id = moved_to;
    }
    persist(
        conn,
        &row,
        stored.then_some(case.version),
        &event_rows,
        &decided,
        &rules,
    )?;
    let issued = issuance::follow(conn, reactors.certificates, &parts, &row, &decided)?;
    if !issued.is_empty() {
        reactors
            .issued
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .extend(issued);
    }
    let notify = NotifyContext {
        case: &row,
        unit: &parts.1,
        programme,
        settings: reactors.settings,
    };
    crate::notify::enqueue(conn, &notify, &decided, now)?;
    crate::notify::webhook::enqueue(conn, &row, &decided, now)?;
    let unchanged = stored && !decided.iter().any(changes_facts);
    let facts = unchanged.then_some(counts);
    Ok(((row, parts.1, parts.2), facts))
}

/// The domain's state of a stored case.
pub(crate) fn state_of(row: &CaseRow) -> CaseState {
    CaseState {
        stage: row.stage,
        status: row.status,
        version: row.version.max(0) as u64,
        consultant_id: row.consultant_id.clone(),
        auditor_id: row.auditor_id.clone(),
        cycle: row.cycle.max(1) as u32,
        stage_entered_at: from_db(row.stage_entered_at),
        stage_due_at: row.stage_due_at.map(from_db),
        paused_at: row.paused_at.map(from_db),
        reflections_completed: row.reflections_completed.max(0) as u32,
        trained_completed: row.trained_completed.max(0) as u32,
        audit_round: row.audit_round.max(0) as u32,
        next_surveillance_due: row.next_surveillance_due.map(from_db),
        suspended_for_surveillance: row.suspended_for_surveillance,
        appealable_since: row.appealable_since.map(from_db),
        open_appeal_id: row.open_appeal_id.clone(),
        recommended_at: row.recommended_at.map(from_db),
    }
}

/// Refuses a command whose If-Match does not name the case's current version; a
/// transition must name one.
fn check_version(
    version: i64,
    precondition: &Precondition,
    command: &Command,
) -> Result<(), AppError> {
    match precondition {
        Precondition::None if command.requires_version() => Err(AppError::PreconditionRequired),
        Precondition::Version(v) if *v != version => Err(AppError::PreconditionFailed {
            sent: v.to_string(),
        }),
        Precondition::Unmatchable(sent) => Err(AppError::PreconditionFailed { sent: sent.clone() }),
        _ => Ok(()),
    }
}

/// The row of a case about to be enrolled, before its first event.
pub(crate) fn blank_row(unit: &UnitRow, programme: &ProgrammeRow, now: DateTime<Utc>) -> CaseRow {
    CaseRow {
        id: ids::new_id(),
        unit_id: unit.id.clone(),
        organisation_id: unit.organisation_id.clone(),
        programme_id: programme.id.clone(),
        // Placeholders until the enrolment event decides them.
        stage: Stage::Kickoff,
        status: Status::Active,
        version: 0,
        consultant_id: None,
        auditor_id: None,
        cycle: 1,
        stage_entered_at: to_db(now),
        stage_due_at: None,
        paused_at: None,
        reflections_completed: 0,
        trained_completed: 0,
        audit_round: 0,
        next_surveillance_due: None,
        suspended_for_surveillance: false,
        appealable_since: None,
        open_appeal_id: None,
        recommended_at: None,
        last_hash: GENESIS_HASH.to_string(),
        live_key: None,
        created_at: to_db(now),
        updated_at: to_db(now),
    }
}
