//! Corrections: an attendance figure or a finding's resolution saved against the
//! wrong item is put right by a new event in the history (with its reason), never by
//! changing what was written. A correction may clear the value, so the item can be
//! filled in again, or set the right one.

use chrono::{DateTime, Utc};

use super::actions::{session_admits, CaseAction};
use super::command::SessionSnapshot;
use super::error::{DomainError, FieldCode, FieldError};
use super::event::Change;
use super::free_text::{check_text, MAX_TEXT};

/// A correction's reason, kept as the event's comment: required, not too long.
fn check_reason(reason: &str, errors: &mut Vec<FieldError>) -> Option<String> {
    match check_text("reason", reason, MAX_TEXT) {
        Ok(reason) => Some(reason),
        Err(DomainError::Invalid(found)) => {
            errors.extend(found);
            None
        }
        Err(_) => None,
    }
}

/// Corrects a session's attendance: `attended` is the right figure, or none to clear
/// it. Every bad field is named at once.
pub fn correct_attendance(
    session: &SessionSnapshot,
    attended: Option<u32>,
    reason: &str,
    headcount: u32,
    now: DateTime<Utc>,
) -> Result<(Change, String), DomainError> {
    // Clearing needs no started session; setting a figure is recording one.
    if attended.is_some() || session.cancelled {
        session_admits(CaseAction::RecordAttendance, session.into(), now)?;
    }
    let mut errors = Vec::new();
    if attended == session.attended {
        errors.push(FieldError::coded(
            "attended",
            FieldCode::NothingToChange,
            "is the figure already recorded",
        ));
    } else if let Some(n) = attended.filter(|n| *n > headcount) {
        errors.push(
            FieldError::coded(
                "attended",
                FieldCode::AboveHeadcount,
                format!("must be between 0 and the headcount ({headcount}), not {n}"),
            )
            .with("headcount", headcount),
        );
    }
    let reason = check_reason(reason, &mut errors);
    match reason {
        Some(reason) if errors.is_empty() => Ok((
            Change::AttendanceCorrected {
                session_id: session.id.clone(),
                attended,
            },
            reason,
        )),
        _ => Err(DomainError::Invalid(errors)),
    }
}

/// Corrects a finding's resolution: `resolution` is the right text, or none to open
/// the finding again. `current` is the resolution it has now.
pub fn correct_resolution(
    finding_id: &str,
    current: Option<&str>,
    resolution: Option<&str>,
    reason: &str,
) -> Result<(Change, String), DomainError> {
    let mut errors = Vec::new();
    let resolution = resolution.map(str::trim).filter(|r| !r.is_empty());
    if resolution == current.map(str::trim) {
        errors.push(FieldError::coded(
            "resolution",
            FieldCode::NothingToChange,
            "is the resolution already recorded",
        ));
    }
    let resolution = match resolution.map(|r| check_text("resolution", r, MAX_TEXT)) {
        Some(Ok(r)) => Some(r),
        Some(Err(DomainError::Invalid(found))) => {
            errors.extend(found);
            None
        }
        _ => None,
    };
    let reason = check_reason(reason, &mut errors);
    match reason {
        Some(reason) if errors.is_empty() => Ok((
            Change::ResolutionCorrected {
                finding_id: finding_id.to_string(),
                resolution,
            },
            reason,
        )),
        _ => Err(DomainError::Invalid(errors)),
    }
}
