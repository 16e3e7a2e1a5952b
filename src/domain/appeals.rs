//! Appeals and complaints: what a unit may appeal, and what an outcome does.
//!
//! An appeal contests the decision in force on the case: a return (the audit sent the
//! case back, and no audit has been asked for since) or a suspension (the certificate
//! is suspended now). Each return or suspension may be appealed once, and a case has
//! at most one open appeal. An upheld appeal undoes the decision where it still
//! stands: a returned case goes back to audit with the same auditor, a suspended
//! certificate is reinstated. A complaint changes nothing on the case; its outcome
//! is recorded (an admin who upholds one acts with the ordinary commands).

use super::conflict::ConflictCode;
use super::error::DomainError;
use super::event::Change;
pub use super::outcomes::{AppealGround, AppealOutcome, ComplaintOutcome};
use super::programme::ProgrammeRules;
use super::stage::{Stage, Status};
use super::state::CaseState;
use chrono::{DateTime, Utc};

/// Longest appeal or complaint text.
pub const MAX_STATEMENT: usize = 4000;

/// What the case's appellant could appeal now, if anything: a return still in force
/// (the case is active or paused outside audit and not yet certified) or a suspension
/// in force, neither appealed yet, and no appeal open.
pub fn appealable(state: &CaseState) -> Result<AppealGround, DomainError> {
    if state.open_appeal_id.is_some() {
        return Err(DomainError::conflict(ConflictCode::AppealOpen));
    }
    if state.appealable_since.is_none() {
        return Err(DomainError::conflict(ConflictCode::NothingToAppeal));
    }
    match state.status {
        Status::Suspended => Ok(AppealGround::Suspension),
        Status::Active | Status::Paused
            if !matches!(state.stage, Stage::Audit | Stage::Certified) =>
        {
            Ok(AppealGround::Return)
        }
        _ => Err(DomainError::conflict(ConflictCode::NothingToAppeal)),
    }
}

/// The changes an appeal's decision causes: the decision itself and, when upheld and
/// the contested decision still stands, its undoing.
pub fn decide_appeal(
    state: &CaseState,
    rules: &ProgrammeRules,
    appeal_id: &str,
    ground: AppealGround,
    outcome: AppealOutcome,
    now: DateTime<Utc>,
) -> Result<Vec<Change>, DomainError> {
    if state.open_appeal_id.as_deref() != Some(appeal_id) {
        return Err(DomainError::conflict(ConflictCode::AlreadyDecided));
    }
    let mut changes = vec![Change::AppealDecided {
        appeal_id: appeal_id.to_string(),
        ground,
        outcome,
    }];
    if outcome == AppealOutcome::Upheld {
        match (ground, state.status, &state.auditor_id) {
            (AppealGround::Suspension, Status::Suspended, _) => changes.push(Change::Reinstated),
            (AppealGround::Return, Status::Active | Status::Paused, Some(auditor_id))
                if !matches!(state.stage, Stage::Audit | Stage::Certified) =>
            {
                changes.push(Change::AuditRequested {
                    from: state.stage,
                    auditor_id: auditor_id.clone(),
                    stage_due_at: rules.due_at(Stage::Audit, now),
                });
            }
            // The decision no longer stands (the case moved on meanwhile): the outcome
            // is recorded and nothing else changes.
            _ => {}
        }
    }
    Ok(changes)
}
