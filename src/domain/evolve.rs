//! Folding events into a case's state: no rules here, only bookkeeping.

use super::event::{Change, Event};
use super::stage::{Stage, Status};
use super::state::CaseState;

/// The state after `event`; infallible, since `decide` already judged it.
pub fn evolve(mut state: CaseState, event: &Event) -> CaseState {
    state.version += 1;
    let at = event.at;
    match &event.change {
        Change::Enrolled {
            consultant_id,
            stage_due_at,
        } => {
            state.stage = Stage::Kickoff;
            state.status = Status::Active;
            state.consultant_id = consultant_id.clone();
            state.stage_entered_at = at;
            state.stage_due_at = *stage_due_at;
        }
        Change::AppealFiled { appeal_id, .. } => {
            state.open_appeal_id = Some(appeal_id.clone());
            state.appealable_since = None;
        }
        Change::AppealDecided { .. } => state.open_appeal_id = None,
        Change::Recommended { round, .. } => {
            state.audit_round = *round;
            state.recommended_at = Some(at);
        }
        Change::ReflectionsRecorded { completed } => state.reflections_completed = *completed,
        Change::TrainedRecorded { completed } => state.trained_completed = *completed,
        Change::StageAdvanced {
            to, stage_due_at, ..
        } => enter(&mut state, *to, at, *stage_due_at),
        Change::AuditRequested {
            auditor_id,
            stage_due_at,
            ..
        } => {
            state.auditor_id = Some(auditor_id.clone());
            state.appealable_since = None;
            enter(&mut state, Stage::Audit, at, *stage_due_at);
        }
        Change::Approved {
            round,
            next_surveillance_due,
            ..
        } => {
            state.next_surveillance_due = *next_surveillance_due;
            state.appealable_since = None;
            state.audit_round = *round;
            state.status = Status::Certified;
            enter(&mut state, Stage::Certified, at, None);
        }
        Change::Returned {
            to,
            round,
            stage_due_at,
            ..
        } => {
            state.audit_round = *round;
            state.appealable_since = Some(at);
            enter(&mut state, *to, at, *stage_due_at);
        }
        Change::Paused => {
            state.status = Status::Paused;
            state.paused_at = Some(at);
        }
        Change::Resumed { stage_due_at } => {
            state.status = Status::Active;
            state.paused_at = None;
            state.stage_due_at = *stage_due_at;
        }
        Change::Withdrawn => {
            state.status = Status::Withdrawn;
            state.appealable_since = None;
            state.paused_at = None;
        }
        Change::Suspended => {
            state.status = Status::Suspended;
            state.appealable_since = Some(at);
        }
        Change::Reinstated => {
            state.status = Status::Certified;
            state.appealable_since = None;
            state.suspended_for_surveillance = false;
        }
        Change::SurveillanceRecorded {
            round,
            next_surveillance_due,
            ..
        } => {
            state.audit_round = *round;
            state.next_surveillance_due = Some(*next_surveillance_due);
        }
        Change::SurveillanceLapsed => {
            state.status = Status::Suspended;
            state.suspended_for_surveillance = true;
            state.appealable_since = Some(at);
        }
        Change::Revoked => {
            state.status = Status::Revoked;
            state.appealable_since = None;
        }
        Change::Expired => {
            state.status = Status::Expired;
            state.appealable_since = None;
        }
        Change::Renewed {
            to,
            cycle,
            stage_due_at,
        } => {
            state.cycle = *cycle;
            state.status = Status::Active;
            state.auditor_id = None;
            state.reflections_completed = 0;
            state.trained_completed = 0;
            state.next_surveillance_due = None;
            state.suspended_for_surveillance = false;
            state.appealable_since = None;
            enter(&mut state, *to, at, *stage_due_at);
        }
        Change::ProgrammeMigrated {
            to, stage_due_at, ..
        } => {
            if *to != state.stage {
                enter(&mut state, *to, at, *stage_due_at);
            }
        }
        Change::SessionScheduled { .. }
        | Change::SessionChanged { .. }
        | Change::SessionCancelled { .. }
        | Change::SessionDocumented { .. }
        | Change::AttendanceRecorded { .. }
        | Change::EvidenceAdded { .. }
        | Change::ComplaintReceived { .. }
        | Change::ComplaintDecided { .. }
        | Change::FindingResolved { .. }
        | Change::AttendanceCorrected { .. }
        | Change::ResolutionCorrected { .. } => {}
    }
    state
}

fn enter(
    state: &mut CaseState,
    stage: Stage,
    at: chrono::DateTime<chrono::Utc>,
    due: Option<chrono::DateTime<chrono::Utc>>,
) {
    state.stage = stage;
    state.recommended_at = None;
    state.stage_entered_at = at;
    state.stage_due_at = due;
}

/// The state after every event in `events`, in order.
pub fn evolve_all(state: CaseState, events: &[Event]) -> CaseState {
    events.iter().fold(state, evolve)
}
