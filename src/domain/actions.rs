//! The actions of a case and the rules `decide` applies to each before its input:
//! the case must be enrolled (or not, for enrolment), stand where the action applies,
//! and the person's assignment must allow it. `decide` runs these checks first, and
//! [`admits`] runs them for a page's offer, so the two cannot drift apart; what is
//! left to `decide` is the command's input and the stage's requirements.

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::command::{Command, SessionSnapshot, Transition};
use super::conflict::ConflictCode;
use super::error::{DomainError, FieldCode, FieldError};
use super::path::Path;
use super::stage::{Stage, Status};
use super::state::CaseState;
use super::values::{Actor, Role};

/// One thing that can be done with a case: a command, without its input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CaseAction {
    Enrol,
    ScheduleSession,
    ChangeSession,
    /// Writes a session's audience, themes or notes (also once it is held).
    DocumentSession,
    CancelSession,
    RecordAttendance,
    RecordMeasure,
    AddEvidence,
    ResolveFinding,
    Advance,
    RequestAudit,
    Approve,
    Return,
    Pause,
    Resume,
    Withdraw,
    Suspend,
    Reinstate,
    Revoke,
    Renew,
    /// The periodic job's; never offered to a person.
    Expire,
    /// An admin's, from the programme: never offered on a case page.
    MigrateProgramme,
    /// The assigned auditor's surveillance of a certified case.
    RecordSurveillance,
    /// The periodic job's; never offered to a person.
    LapseSurveillance,
    /// An independent admin's certification decision on a recommended case.
    Decide,
    /// The unit's appeal of a return or suspension (its own form, not an offer).
    FileAppeal,
    /// An independent admin's decision on an appeal.
    DecideAppeal,
    /// A public complaint about the unit, recorded on its case.
    ReceiveComplaint,
    /// An independent admin's decision on a complaint about the unit.
    DecideComplaint,
}

impl CaseAction {
    /// The actions people take, in the order pages show them.
    pub const OFFERED: [CaseAction; 21] = [
        CaseAction::Enrol,
        CaseAction::ScheduleSession,
        CaseAction::ChangeSession,
        CaseAction::DocumentSession,
        CaseAction::CancelSession,
        CaseAction::RecordAttendance,
        CaseAction::RecordMeasure,
        CaseAction::AddEvidence,
        CaseAction::ResolveFinding,
        CaseAction::Advance,
        CaseAction::RequestAudit,
        CaseAction::Approve,
        CaseAction::Return,
        CaseAction::Pause,
        CaseAction::Resume,
        CaseAction::Withdraw,
        CaseAction::Suspend,
        CaseAction::Reinstate,
        CaseAction::Revoke,
        CaseAction::Renew,
        CaseAction::RecordSurveillance,
    ];

    /// The action a command asks for.
    pub fn of(command: &Command) -> CaseAction {
        match command {
            Command::Enrol { .. } => CaseAction::Enrol,
            Command::ScheduleSession { .. } => CaseAction::ScheduleSession,
            Command::ChangeSession { changes, .. }
                if !changes.reschedules() && changes.documents() =>
            {
                CaseAction::DocumentSession
            }
            Command::ChangeSession { .. } => CaseAction::ChangeSession,
            Command::CancelSession { .. } => CaseAction::CancelSession,
            // A correction is the same person's work as the recording it corrects.
            Command::RecordAttendance { .. } | Command::CorrectAttendance { .. } => {
                CaseAction::RecordAttendance
            }
            Command::RecordMeasure { .. } => CaseAction::RecordMeasure,
            Command::AddEvidence { .. } => CaseAction::AddEvidence,
            Command::ResolveFinding { .. } | Command::CorrectResolution { .. } => {
                CaseAction::ResolveFinding
            }
            Command::Expire => CaseAction::Expire,
            Command::MigrateProgramme { .. } => CaseAction::MigrateProgramme,
            Command::RecordSurveillance { .. } => CaseAction::RecordSurveillance,
            Command::LapseSurveillance { .. } => CaseAction::LapseSurveillance,
            Command::FileAppeal { .. } => CaseAction::FileAppeal,
            Command::Decide { .. } => CaseAction::Decide,
            Command::DecideAppeal { .. } => CaseAction::DecideAppeal,
            Command::ReceiveComplaint { .. } => CaseAction::ReceiveComplaint,
            Command::DecideComplaint { .. } => CaseAction::DecideComplaint,
            Command::Transition { transition, .. } => match transition {
                Transition::Advance => CaseAction::Advance,
                Transition::RequestAudit { .. } => CaseAction::RequestAudit,
                Transition::Approve { .. } => CaseAction::Approve,
                Transition::Return { .. } => CaseAction::Return,
                Transition::Pause => CaseAction::Pause,
                Transition::Resume => CaseAction::Resume,
                Transition::Withdraw { .. } => CaseAction::Withdraw,
                Transition::Suspend => CaseAction::Suspend,
                Transition::Reinstate => CaseAction::Reinstate,
                Transition::Revoke => CaseAction::Revoke,
                Transition::Renew => CaseAction::Renew,
            },
        }
    }

    /// The action's name in a refusal ("advance is not possible when …").
    pub fn name(self) -> &'static str {
        match self {
            CaseAction::Enrol => "enrol",
            CaseAction::ScheduleSession => "schedule a session",
            CaseAction::ChangeSession => "change a session",
            CaseAction::DocumentSession => "document a session",
            CaseAction::CancelSession => "cancel a session",
            CaseAction::RecordAttendance => "record attendance",
            CaseAction::RecordMeasure => "record a measure",
            CaseAction::AddEvidence => "add evidence",
            CaseAction::ResolveFinding => "resolve a finding",
            CaseAction::Advance => "advance",
            CaseAction::RequestAudit => "request_audit",
            CaseAction::Approve => "approve",
            CaseAction::Return => "return",
            CaseAction::Pause => "pause",
            CaseAction::Resume => "resume",
            CaseAction::Withdraw => "withdraw",
            CaseAction::Suspend => "suspend",
            CaseAction::Reinstate => "reinstate",
            CaseAction::Revoke => "revoke",
            CaseAction::Renew => "renew",
            CaseAction::Expire => "expire",
            CaseAction::MigrateProgramme => "migrate to another programme version",
            CaseAction::RecordSurveillance => "record a surveillance",
            CaseAction::LapseSurveillance => "suspend for a lapsed surveillance",
            CaseAction::FileAppeal => "appeal",
            CaseAction::Decide => "decide on certification",
            CaseAction::DecideAppeal => "decide an appeal",
            CaseAction::ReceiveComplaint => "receive a complaint",
            CaseAction::DecideComplaint => "decide a complaint",
        }
    }
}

/// Enrolment applies to a blank case only, everything else to an enrolled one.
pub(crate) fn check_enrolment(state: &CaseState, action: CaseAction) -> Result<(), DomainError> {
    match (action, state.version) {
        (CaseAction::Enrol, 0) => Ok(()),
        (CaseAction::Enrol, _) => Err(DomainError::conflict(ConflictCode::AlreadyEnrolled)),
        (_, 0) => Err(DomainError::conflict(ConflictCode::NotEnrolled)),
        _ => Ok(()),
    }
}

fn not_allowed(action: CaseAction, state: &CaseState) -> DomainError {
    DomainError::NotAllowed {
        action: action.name(),
        stage: state.stage,
        status: state.status,
    }
}

fn require_active(state: &CaseState, action: CaseAction) -> Result<(), DomainError> {
    match state.status {
        Status::Active => Ok(()),
        Status::Paused => Err(DomainError::Paused),
        _ => Err(not_allowed(action, state)),
    }
}

fn require_status(
    state: &CaseState,
    action: CaseAction,
    statuses: &[Status],
) -> Result<(), DomainError> {
    if statuses.contains(&state.status) {
        Ok(())
    } else {
        Err(not_allowed(action, state))
    }
}

fn in_stage(state: &CaseState, action: CaseAction, stage: Stage) -> Result<(), DomainError> {
    require_active(state, action)?;
    if state.stage == stage {
        Ok(())
    } else {
        Err(not_allowed(action, state))
    }
}

/// Whether the case, where it stands (its stage and status), admits `action`.
pub(crate) fn check_standing(
    state: &CaseState,
    path: &Path,
    action: CaseAction,
) -> Result<(), DomainError> {
    use CaseAction::*;
    match action {
        // Their own rules (`appeals`) say what may be appealed and decided.
        Enrol | FileAppeal | DecideAppeal | ReceiveComplaint | DecideComplaint => Ok(()),
        ScheduleSession | ChangeSession | DocumentSession | CancelSession | RecordAttendance
        | RecordMeasure | AddEvidence | ResolveFinding => require_active(state, action),
        Advance => {
            require_active(state, action)?;
            match path.next_by_advance(state.stage) {
                Some(_) => Ok(()),
                None => Err(not_allowed(action, state)),
            }
        }
        RequestAudit => in_stage(state, action, path.before_audit()),
        MigrateProgramme => require_status(state, action, &[Status::Active, Status::Paused]),
        LapseSurveillance => require_status(state, action, &[Status::Certified]),
        RecordSurveillance => match state.status {
            Status::Certified => Ok(()),
            Status::Suspended if state.suspended_for_surveillance => Ok(()),
            _ => Err(not_allowed(action, state)),
        },
        Approve | Return => {
            in_stage(state, action, Stage::Audit)?;
            match state.recommended_at {
                Some(_) => Err(DomainError::conflict(ConflictCode::AwaitingDecision)),
                None => Ok(()),
            }
        }
        Decide => {
            in_stage(state, action, Stage::Audit)?;
            match state.recommended_at {
                Some(_) => Ok(()),
                None => Err(DomainError::conflict(ConflictCode::NoRecommendation)),
            }
        }
        Pause => require_status(state, action, &[Status::Active]),
        Resume => require_status(state, action, &[Status::Paused]),
        Withdraw => require_status(state, action, &[Status::Active, Status::Paused]),
        Suspend => require_status(state, action, &[Status::Certified]),
        Reinstate => require_status(state, action, &[Status::Suspended]),
        Revoke | Expire => require_status(state, action, &[Status::Certified, Status::Suspended]),
        Renew => require_status(state, action, &[Status::Certified, Status::Expired]),
    }
}

/// The rules about the person beyond the policy: only the case's assigned auditor
/// signs off its audit, and never its own consultant (four eyes).
pub(crate) fn check_person(
    state: &CaseState,
    actor: &Actor,
    action: CaseAction,
) -> Result<(), DomainError> {
    match action {
        CaseAction::Approve | CaseAction::Return | CaseAction::RecordSurveillance => {
            let assigned = state.auditor_id.as_deref() == Some(actor.id.as_str());
            let four_eyes = state.consultant_id.as_deref() != Some(actor.id.as_str());
            if actor.role == Role::Auditor && assigned && four_eyes {
                Ok(())
            } else {
                Err(DomainError::NotAssignedAuditor)
            }
        }
        _ => Ok(()),
    }
}

/// Every rule `decide` applies to `action` before it reads the command's input.
pub fn admits(
    state: &CaseState,
    path: &Path,
    actor: &Actor,
    action: CaseAction,
) -> Result<(), DomainError> {
    check_enrolment(state, action)?;
    check_standing(state, path, action)?;
    check_person(state, actor, action)
}

/// What the rules read of one session of a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionStanding {
    pub starts_at: DateTime<Utc>,
    pub cancelled: bool,
    pub attendance_recorded: bool,
}

impl From<&SessionSnapshot> for SessionStanding {
    fn from(session: &SessionSnapshot) -> Self {
        SessionStanding {
            starts_at: session.starts_at,
            cancelled: session.cancelled,
            attendance_recorded: session.attended.is_some(),
        }
    }
}

/// Whether one session admits `action` at `now`: a cancelled session takes nothing, a
/// held one (attendance recorded) is kept as it is, and attendance is recorded once
/// the session has started. Other actions are not about one session.
pub fn session_admits(
    action: CaseAction,
    session: SessionStanding,
    now: DateTime<Utc>,
) -> Result<(), DomainError> {
    let about_a_session = matches!(
        action,
        CaseAction::ChangeSession
            | CaseAction::DocumentSession
            | CaseAction::CancelSession
            | CaseAction::RecordAttendance
    );
    if about_a_session && session.cancelled {
        return Err(DomainError::conflict(ConflictCode::SessionCancelled));
    }
    match action {
        CaseAction::ChangeSession | CaseAction::CancelSession if session.attendance_recorded => {
            Err(DomainError::conflict(ConflictCode::SessionHeld))
        }
        CaseAction::RecordAttendance if session.starts_at > now => {
            Err(DomainError::field(FieldError::coded(
                "attended",
                FieldCode::NotStarted,
                "attendance can be recorded once the session has started",
            )))
        }
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use chrono::{Duration, TimeZone};

    use super::*;

    #[test]
    fn a_session_admits_what_its_standing_allows() {
        let now = Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap();
        let standing = |started: bool, cancelled: bool, held: bool| SessionStanding {
            starts_at: if started {
                now
            } else {
                now + Duration::microseconds(1)
            },
            cancelled,
            attendance_recorded: held,
        };
        use CaseAction::*;
        // (started, cancelled, held) -> (change, cancel, record attendance)
        let table = [
            ((false, false, false), [true, true, false]),
            ((true, false, false), [true, true, true]),
            ((true, false, true), [false, false, true]),
            ((true, true, false), [false, false, false]),
        ];
        for ((started, cancelled, held), expected) in table {
            let session = standing(started, cancelled, held);
            for (action, admitted) in [ChangeSession, CancelSession, RecordAttendance]
                .into_iter()
                .zip(expected)
            {
                let outcome = session_admits(action, session, now);
                assert_eq!(outcome.is_ok(), admitted, "{action:?} on {session:?}");
            }
            assert_eq!(session_admits(Advance, session, now), Ok(()));
        }
    }
}
