//! Appeals and complaints: what a unit may appeal, and what an outcome does.
//!
//! An appeal contests the decision in force on the case: a return (the audit sent the
//! case back, and no audit has been asked for since) or a suspension (the certificate
//! is suspended now). Each return or suspension may be appealed once, and a case has
//! at most one open appeal. An upheld appeal undoes the decision where it still
//! stands: a returned case goes back to audit with the same auditor, a suspended
//! certificate is reinstated. A complaint changes nothing on the case; its outcome
//! is recorded (an admin who upholds one acts with the ordinary commands).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::conflict::ConflictCode;
use super::decide::due_at;
use super::error::DomainError;
use super::event::Change;
use super::programme::ProgrammeRules;
use super::stage::{Stage, Status};
use super::state::CaseState;

/// The decision an appeal contests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AppealGround {
    /// The audit sent the case back.
    Return,
    /// The certificate was suspended (by an admin or for a lapsed surveillance).
    Suspension,
}

/// How an admin decided an appeal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AppealOutcome {
    /// The decision is undone where it still stands.
    Upheld,
    /// The decision stands.
    Rejected,
}

/// How an admin decided a complaint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ComplaintOutcome {
    /// The complaint was right; any action follows by the ordinary commands.
    Upheld,
    /// The complaint was unfounded.
    Rejected,
    /// Taken note of, with no finding either way.
    Noted,
}

macro_rules! words {
    ($ty:ty { $($variant:ident => $word:literal),+ $(,)? }) => {
        impl $ty {
            /// Every value, in the order forms list them.
            pub const ALL: &'static [$ty] = &[$(<$ty>::$variant),+];

            /// The value as stored and sent.
            pub fn as_str(self) -> &'static str {
                match self { $(<$ty>::$variant => $word),+ }
            }

            /// The value a stored or sent word names.
            pub fn parse(word: &str) -> Option<$ty> {
                Self::ALL.iter().copied().find(|v| v.as_str() == word)
            }
        }
    };
}

words!(AppealGround { Return => "return", Suspension => "suspension" });
words!(AppealOutcome { Upheld => "upheld", Rejected => "rejected" });
words!(ComplaintOutcome { Upheld => "upheld", Rejected => "rejected", Noted => "noted" });

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
                    stage_due_at: due_at(rules, Stage::Audit, now),
                });
            }
            // The decision no longer stands (the case moved on meanwhile): the outcome
            // is recorded and nothing else changes.
            _ => {}
        }
    }
    Ok(changes)
}
