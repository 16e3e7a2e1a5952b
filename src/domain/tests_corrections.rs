//! Corrections, given–when–then: a figure or a resolution saved against the wrong item
//! is put right by a new event carrying the reason; bad corrections name every field.

use chrono::Duration;

use super::actions::CaseAction;
use super::command::{Command, SessionDocumentation, SessionSnapshot};
use super::conflict::ConflictCode;
use super::decide::check_transition_comment;
use super::error::DomainError;
use super::event::Change;
use super::tests_decide::{
    and_then, consultant, day, given, nothing_done, now, returned_once, then_err, then_invalid,
    then_one, when,
};
use super::values::SessionKind;

fn held_session(attended: Option<u32>) -> SessionSnapshot {
    SessionSnapshot {
        id: "s-9".into(),
        kind: SessionKind::Supervision,
        title: "Handledning 1".into(),
        starts_at: day(76),
        ends_at: day(76) + Duration::hours(2),
        location: None,
        attended,
        cancelled: false,
        sequence: 0,
        documentation: SessionDocumentation::default(),
    }
}

fn correct_attendance(attended: Option<u32>, reason: &str) -> Command {
    Command::CorrectAttendance {
        session: held_session(Some(8)),
        attended,
        reason: reason.into(),
    }
}

fn correct_resolution(current: &str, resolution: Option<&str>, reason: &str) -> Command {
    Command::CorrectResolution {
        finding_id: "f-1".into(),
        current: Some(current.into()),
        resolution: resolution.map(String::from),
        reason: reason.into(),
    }
}

#[test]
fn an_attendance_saved_on_the_wrong_session_is_cleared_by_a_new_event_with_its_reason() {
    let state = given(returned_once());
    let command = correct_attendance(None, "Belonged to the second session");
    let event = then_one(when(
        &state,
        &consultant(),
        command.clone(),
        &nothing_done(),
        now(),
    ));
    assert_eq!(
        event.change,
        Change::AttendanceCorrected {
            session_id: "s-9".into(),
            attended: None,
        }
    );
    assert_eq!(
        event.comment.as_deref(),
        Some("Belonged to the second session")
    );
    // The correction moves nothing on the path.
    let after = and_then(
        &state,
        when(&state, &consultant(), command, &nothing_done(), now()),
    );
    assert_eq!((after.stage, after.status), (state.stage, state.status));
}

#[test]
fn an_attendance_is_corrected_to_the_right_figure() {
    let event = then_one(when(
        &given(returned_once()),
        &consultant(),
        correct_attendance(Some(6), "Counted twice"),
        &nothing_done(),
        now(),
    ));
    assert_eq!(
        event.change,
        Change::AttendanceCorrected {
            session_id: "s-9".into(),
            attended: Some(6),
        }
    );
}

#[test]
fn a_correction_above_the_headcount_and_without_a_reason_names_both_fields() {
    let result = when(
        &given(returned_once()),
        &consultant(),
        correct_attendance(Some(11), "  "),
        &nothing_done(),
        now(),
    );
    then_invalid(result, &["attended", "reason"]);
}

#[test]
fn correcting_an_attendance_to_the_figure_it_has_is_refused() {
    let result = when(
        &given(returned_once()),
        &consultant(),
        correct_attendance(Some(8), "No change"),
        &nothing_done(),
        now(),
    );
    then_invalid(result, &["attended"]);
}

#[test]
fn a_cancelled_sessions_attendance_cannot_be_corrected() {
    let mut cancelled = held_session(None);
    cancelled.cancelled = true;
    let result = when(
        &given(returned_once()),
        &consultant(),
        Command::CorrectAttendance {
            session: cancelled,
            attended: Some(3),
            reason: "Wrong session".into(),
        },
        &nothing_done(),
        now(),
    );
    assert!(matches!(
        then_err(result),
        DomainError::Conflict(ConflictCode::SessionCancelled)
    ));
}

#[test]
fn a_resolution_saved_on_the_wrong_finding_opens_it_again_with_the_reason() {
    let event = then_one(when(
        &given(returned_once()),
        &consultant(),
        correct_resolution("Rewrote the plan", None, "Meant for the major finding"),
        &nothing_done(),
        now(),
    ));
    assert_eq!(
        event.change,
        Change::ResolutionCorrected {
            finding_id: "f-1".into(),
            resolution: None,
        }
    );
    assert_eq!(
        event.comment.as_deref(),
        Some("Meant for the major finding")
    );
}

#[test]
fn the_same_resolution_without_a_reason_names_both_fields() {
    let result = when(
        &given(returned_once()),
        &consultant(),
        correct_resolution("Rewrote the plan", Some(" Rewrote the plan "), ""),
        &nothing_done(),
        now(),
    );
    then_invalid(result, &["resolution", "reason"]);
}

#[test]
fn suspension_and_revocation_need_a_reason_before_a_page_asks_withdrawal_does_not() {
    for action in [CaseAction::Suspend, CaseAction::Revoke] {
        assert!(matches!(
            check_transition_comment(action, Some("   ")),
            Err(DomainError::Invalid(ref e)) if e[0].field == "comment"
        ));
        assert_eq!(
            check_transition_comment(action, Some(" Misuse ")).ok(),
            Some(Some("Misuse".to_string()))
        );
    }
    assert_eq!(
        check_transition_comment(CaseAction::Withdraw, None).ok(),
        Some(None)
    );
}
