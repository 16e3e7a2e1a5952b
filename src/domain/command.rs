//! What people ask the workflow to do with a case.

use chrono::{DateTime, Utc};

use super::outcomes::{AppealGround, AppealOutcome, ComplaintOutcome, DecisionOutcome};
use super::programme::ProgrammeRules;
use super::values::{Measure, Role, SessionKind, Severity};

/// A session as stored, for commands that change one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionSnapshot {
    pub id: String,
    pub kind: SessionKind,
    pub title: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub location: Option<String>,
    pub attended: Option<u32>,
    pub cancelled: bool,
    /// Who the session was shaped for, its themes and the notes on what the group
    /// worked on (never about an individual).
    pub documentation: SessionDocumentation,
    /// Bumped on every change so calendar invitations replace the earlier one.
    pub sequence: u32,
}

/// A finding as the auditor writes it, with the id the shell gave it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct NewFinding {
    pub id: String,
    pub severity: Severity,
    pub area: Option<String>,
    pub text: String,
}

/// A user a command names (an auditor, a consultant), as the shell found them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NamedUser {
    pub id: String,
    /// `None` when no user has that id.
    pub role: Option<Role>,
}

/// The actions of the transitions endpoint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Transition {
    Advance,
    RequestAudit {
        auditor: Option<NamedUser>,
    },
    Approve {
        findings: Vec<NewFinding>,
    },
    Return {
        findings: Vec<NewFinding>,
    },
    Pause,
    Resume,
    /// Carries the case's sessions: those still to come are cancelled with it.
    Withdraw {
        sessions: Vec<SessionSnapshot>,
    },
    Suspend,
    Reinstate,
    Revoke,
    Renew,
}

impl Transition {
    pub fn name(&self) -> &'static str {
        match self {
            Transition::Advance => "advance",
            Transition::RequestAudit { .. } => "request_audit",
            Transition::Approve { .. } => "approve",
            Transition::Return { .. } => "return",
            Transition::Pause => "pause",
            Transition::Resume => "resume",
            Transition::Withdraw { .. } => "withdraw",
            Transition::Suspend => "suspend",
            Transition::Reinstate => "reinstate",
            Transition::Revoke => "revoke",
            Transition::Renew => "renew",
        }
    }
}

/// What a session is about besides its time and place: its audience, themes and notes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SessionDocumentation {
    pub audience: Option<String>,
    pub themes: Vec<String>,
    pub notes: Option<String>,
}

/// A change to the fields of a session; `None` leaves a field as it is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SessionChanges {
    pub title: Option<String>,
    pub starts_at: Option<DateTime<Utc>>,
    pub ends_at: Option<DateTime<Utc>>,
    /// `Some(None)` clears the location.
    pub location: Option<Option<String>>,
    /// `Some(None)` clears the audience.
    pub audience: Option<Option<String>>,
    pub themes: Option<Vec<String>>,
    /// `Some(None)` clears the notes.
    pub notes: Option<Option<String>>,
}

impl SessionChanges {
    /// True when the time, place or title changes (the invitation is sent again).
    pub fn reschedules(&self) -> bool {
        self.title.is_some()
            || self.starts_at.is_some()
            || self.ends_at.is_some()
            || self.location.is_some()
    }

    /// True when the audience, themes or notes change.
    pub fn documents(&self) -> bool {
        self.audience.is_some() || self.themes.is_some() || self.notes.is_some()
    }
}

/// Everything that changes a case goes through one of these.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    Enrol {
        consultant: Option<NamedUser>,
    },
    ScheduleSession {
        session_id: String,
        kind: SessionKind,
        title: String,
        starts_at: DateTime<Utc>,
        ends_at: DateTime<Utc>,
        location: Option<String>,
        documentation: SessionDocumentation,
    },
    ChangeSession {
        session: SessionSnapshot,
        changes: SessionChanges,
    },
    CancelSession {
        session: SessionSnapshot,
    },
    RecordAttendance {
        session: SessionSnapshot,
        attended: u32,
    },
    /// Sets a count of the staff: reflections completed, or staff trained.
    RecordMeasure {
        measure: Measure,
        completed: u32,
    },
    AddEvidence {
        evidence_id: String,
        area: String,
        description: String,
        link: Option<String>,
        /// An uploaded file, already checked and stored.
        file: Option<super::file_type::EvidenceFile>,
    },
    ResolveFinding {
        finding_id: String,
        resolution: String,
    },
    /// Puts right an attendance figure saved against the wrong session: the right
    /// figure, or none to clear it; the reason goes into the history.
    CorrectAttendance {
        session: SessionSnapshot,
        attended: Option<u32>,
        reason: String,
    },
    /// Puts right a finding's resolution saved against the wrong finding: the right
    /// text, or none to open it again; `current` is the resolution it has now.
    CorrectResolution {
        finding_id: String,
        current: Option<String>,
        resolution: Option<String>,
        reason: String,
    },
    Transition {
        transition: Transition,
        comment: Option<String>,
    },
    /// The periodic job's: a certificate past its date.
    Expire,
    /// The assigned auditor's surveillance of a certified case: passed, or findings.
    RecordSurveillance {
        findings: Vec<NewFinding>,
        comment: Option<String>,
    },
    /// The periodic job's: a surveillance overdue past its grace, as of `as_of`,
    /// suspends the certificate.
    LapseSurveillance {
        as_of: DateTime<Utc>,
    },
    /// The unit's (its contact's or consultant's) appeal of the return or suspension
    /// in force.
    FileAppeal {
        appeal_id: String,
        text: String,
    },
    /// An independent admin's decision on the case's open appeal.
    DecideAppeal {
        appeal_id: String,
        ground: AppealGround,
        outcome: AppealOutcome,
        comment: Option<String>,
    },
    /// An independent admin's certification decision on a recommended case.
    Decide {
        outcome: DecisionOutcome,
        comment: Option<String>,
    },
    /// A public complaint about the case's certified unit, kept in its history.
    ReceiveComplaint {
        complaint_id: String,
    },
    /// An independent admin's decision on a complaint about the case's unit.
    DecideComplaint {
        complaint_id: String,
        outcome: ComplaintOutcome,
        comment: Option<String>,
    },
    /// Moves a running case to another version of its programme.
    MigrateProgramme {
        programme_id: String,
        version: u32,
        rules: Box<ProgrammeRules>,
    },
}

impl Command {
    /// True for the commands that must name the version they were made against
    /// (`If-Match`): a transition decided on a stale view would move the wrong case.
    pub fn requires_version(&self) -> bool {
        match self {
            Command::Transition { .. } => true,
            Command::Enrol { .. }
            | Command::ScheduleSession { .. }
            | Command::ChangeSession { .. }
            | Command::CancelSession { .. }
            | Command::RecordAttendance { .. }
            | Command::RecordMeasure { .. }
            | Command::MigrateProgramme { .. }
            | Command::RecordSurveillance { .. }
            | Command::LapseSurveillance { .. }
            | Command::FileAppeal { .. }
            | Command::Decide { .. }
            | Command::DecideAppeal { .. }
            | Command::ReceiveComplaint { .. }
            | Command::DecideComplaint { .. }
            | Command::AddEvidence { .. }
            | Command::ResolveFinding { .. }
            | Command::CorrectAttendance { .. }
            | Command::CorrectResolution { .. }
            | Command::Expire => false,
        }
    }
}
