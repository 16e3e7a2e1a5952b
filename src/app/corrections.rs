//! Corrections of what was saved against the wrong item: a session's attendance and a
//! finding's resolution. Each is a command with its reason (`domain::corrections`), so
//! the history shows what was corrected, by whom and why.

use super::cases::load_session;
use super::error::AppError;
use super::pipeline::{execute, Subject};
use super::views::{Finding, Session};
use super::AppState;
use crate::app::cases::Precondition;
use crate::domain::{Actor, Command, FieldCode, FieldError};
use crate::store::facts;

/// Sets a session's attendance to the right figure, or clears it (`None`).
pub fn correct_attendance(
    state: &AppState,
    actor: &Actor,
    case_id: &str,
    session_id: &str,
    attended: Option<i64>,
    reason: &str,
) -> Result<Session, AppError> {
    let attended = match attended.map(u32::try_from) {
        None => None,
        Some(Ok(n)) => Some(n),
        Some(Err(_)) => {
            return Err(AppError::Invalid(vec![FieldError::coded(
                "attended",
                FieldCode::NotNegative,
                "must be 0 or more",
            )]))
        }
    };
    execute(
        state,
        actor,
        Subject::Case(case_id),
        &Precondition::None,
        |conn, (case, _, _)| {
            Ok(Command::CorrectAttendance {
                session: load_session(conn, &case.id, session_id)?,
                attended,
                reason: reason.to_string(),
            })
        },
        |conn, (case, _, _), _| {
            Session::from_row(
                facts::session(conn, &case.id, session_id)?.ok_or(AppError::NotFound)?,
            )
        },
    )
}

/// Sets a finding's resolution to the right text, or opens the finding again (`None`).
pub fn correct_resolution(
    state: &AppState,
    actor: &Actor,
    case_id: &str,
    finding_id: &str,
    resolution: Option<String>,
    reason: &str,
) -> Result<Finding, AppError> {
    execute(
        state,
        actor,
        Subject::Case(case_id),
        &Precondition::None,
        |conn, (case, _, _)| {
            let current = facts::finding(conn, &case.id, finding_id)?
                .ok_or(AppError::NotFound)?
                .resolution;
            Ok(Command::CorrectResolution {
                finding_id: finding_id.to_string(),
                current,
                resolution: resolution.clone(),
                reason: reason.to_string(),
            })
        },
        |conn, (case, _, _), _| {
            facts::finding(conn, &case.id, finding_id)?
                .map(Finding::from)
                .ok_or(AppError::NotFound)
        },
    )
}
