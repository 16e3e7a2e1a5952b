//! What happened to a case: the entries of its append-only history.

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::Value;

use super::command::NewFinding;
use super::outcomes::{AppealGround, AppealOutcome, ComplaintOutcome};
use super::stage::Stage;
use super::values::SessionKind;

/// One entry of a case's history, before it is numbered and hashed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    pub at: DateTime<Utc>,
    pub actor_id: Option<String>,
    pub comment: Option<String>,
    pub change: Change,
}

/// The change an event records; its name is the event's `kind`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Change {
    Enrolled {
        consultant_id: Option<String>,
        stage_due_at: Option<DateTime<Utc>>,
    },
    SessionScheduled {
        session_id: String,
        session_kind: SessionKind,
        title: String,
        starts_at: DateTime<Utc>,
        ends_at: DateTime<Utc>,
        location: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        audience: Option<String>,
        #[serde(skip_serializing_if = "Vec::is_empty")]
        themes: Vec<String>,
    },
    SessionChanged {
        session_id: String,
        title: String,
        starts_at: DateTime<Utc>,
        ends_at: DateTime<Utc>,
        location: Option<String>,
        sequence: u32,
    },
    SessionCancelled {
        session_id: String,
        sequence: u32,
    },
    /// The audience, themes or notes of a session written or changed.
    SessionDocumented {
        session_id: String,
        audience: Option<String>,
        themes: Vec<String>,
        notes: Option<String>,
    },
    AttendanceRecorded {
        session_id: String,
        attended: u32,
    },
    ReflectionsRecorded {
        completed: u32,
    },
    TrainedRecorded {
        completed: u32,
    },
    EvidenceAdded {
        evidence_id: String,
        area: String,
        description: String,
        link: Option<String>,
        /// Absent from evidence without a file (and from every event before files).
        #[serde(skip_serializing_if = "Option::is_none")]
        file: Option<super::file_type::EvidenceFile>,
    },
    FindingResolved {
        finding_id: String,
        resolution: String,
    },
    /// A session's attendance put right (none: cleared); the reason is the comment.
    AttendanceCorrected {
        session_id: String,
        attended: Option<u32>,
    },
    /// A finding's resolution put right (none: open again); the reason is the comment.
    ResolutionCorrected {
        finding_id: String,
        resolution: Option<String>,
    },
    StageAdvanced {
        #[serde(skip)]
        from: Stage,
        #[serde(skip)]
        to: Stage,
        stage_due_at: Option<DateTime<Utc>>,
    },
    AuditRequested {
        #[serde(skip)]
        from: Stage,
        auditor_id: String,
        stage_due_at: Option<DateTime<Utc>>,
    },
    Approved {
        round: u32,
        findings: Vec<NewFinding>,
        /// When the first surveillance is due.
        #[serde(skip_serializing_if = "Option::is_none")]
        next_surveillance_due: Option<DateTime<Utc>>,
    },
    /// The auditor's approval on a programme where an admin decides: the case stays
    /// in audit awaiting the decision.
    Recommended {
        round: u32,
        findings: Vec<NewFinding>,
    },
    /// A surveillance held: passed when `findings` is empty.
    SurveillanceRecorded {
        round: u32,
        findings: Vec<NewFinding>,
        next_surveillance_due: DateTime<Utc>,
    },
    /// A surveillance overdue past its grace: the certificate is suspended.
    SurveillanceLapsed,
    Returned {
        #[serde(skip)]
        to: Stage,
        round: u32,
        findings: Vec<NewFinding>,
        stage_due_at: Option<DateTime<Utc>>,
    },
    Paused,
    Resumed {
        stage_due_at: Option<DateTime<Utc>>,
    },
    Withdrawn,
    Suspended,
    Reinstated,
    Revoked,
    Renewed {
        #[serde(skip)]
        to: Stage,
        cycle: u32,
        stage_due_at: Option<DateTime<Utc>>,
    },
    Expired,
    /// An appeal filed against `ground`; its text is the event's comment.
    AppealFiled {
        appeal_id: String,
        ground: AppealGround,
    },
    /// An appeal decided; the admin's comment is the event's.
    AppealDecided {
        appeal_id: String,
        ground: AppealGround,
        outcome: AppealOutcome,
    },
    /// A public complaint about the unit (its text is kept with the complaint).
    ComplaintReceived {
        complaint_id: String,
    },
    ComplaintDecided {
        complaint_id: String,
        outcome: ComplaintOutcome,
    },
    /// Moved to another version of its programme, landing in `to`.
    ProgrammeMigrated {
        programme_id: String,
        version: u32,
        #[serde(skip)]
        from: Stage,
        #[serde(skip)]
        to: Stage,
        stage_due_at: Option<DateTime<Utc>>,
    },
}

impl Change {
    /// The event's kind as stored and shown, e.g. `stage_advanced`.
    pub fn kind(&self) -> &'static str {
        match self {
            Change::Enrolled { .. } => "enrolled",
            Change::SessionScheduled { .. } => "session_scheduled",
            Change::SessionChanged { .. } => "session_changed",
            Change::SessionCancelled { .. } => "session_cancelled",
            Change::AttendanceRecorded { .. } => "attendance_recorded",
            Change::ReflectionsRecorded { .. } => "reflections_recorded",
            Change::TrainedRecorded { .. } => "trained_recorded",
            Change::SessionDocumented { .. } => "session_documented",
            Change::EvidenceAdded { .. } => "evidence_added",
            Change::FindingResolved { .. } => "finding_resolved",
            Change::AttendanceCorrected { .. } => "attendance_corrected",
            Change::ResolutionCorrected { .. } => "resolution_corrected",
            Change::StageAdvanced { .. } => "stage_advanced",
            Change::AuditRequested { .. } => "audit_requested",
            Change::Approved { .. } => "approved",
            Change::Recommended { .. } => "recommended",
            Change::SurveillanceRecorded { .. } => "surveillance_recorded",
            Change::SurveillanceLapsed => "surveillance_lapsed",
            Change::Returned { .. } => "returned",
            Change::Paused => "paused",
            Change::Resumed { .. } => "resumed",
            Change::Withdrawn => "withdrawn",
            Change::Suspended => "suspended",
            Change::Reinstated => "reinstated",
            Change::Revoked => "revoked",
            Change::Renewed { .. } => "renewed",
            Change::Expired => "expired",
            Change::ProgrammeMigrated { .. } => "programme_migrated",
            Change::AppealFiled { .. } => "appeal_filed",
            Change::AppealDecided { .. } => "appeal_decided",
            Change::ComplaintReceived { .. } => "complaint_received",
            Change::ComplaintDecided { .. } => "complaint_decided",
        }
    }

    /// The stages an event moves the case between, where it moves it.
    pub fn stages(&self) -> (Option<Stage>, Option<Stage>) {
        match self {
            Change::Enrolled { .. } => (None, Some(Stage::Kickoff)),
            Change::StageAdvanced { from, to, .. } => (Some(*from), Some(*to)),
            Change::AuditRequested { from, .. } => (Some(*from), Some(Stage::Audit)),
            Change::Approved { .. } => (Some(Stage::Audit), Some(Stage::Certified)),
            Change::Returned { to, .. } => (Some(Stage::Audit), Some(*to)),
            Change::Renewed { to, .. } => (Some(Stage::Certified), Some(*to)),
            Change::ProgrammeMigrated { from, to, .. } => (Some(*from), Some(*to)),
            _ => (None, None),
        }
    }

    /// The event's details as a JSON object, without its kind.
    pub fn data(&self) -> Value {
        let mut value = serde_json::to_value(self).unwrap_or(Value::Null);
        match value.as_object_mut() {
            Some(map) => {
                map.remove("kind");
                value
            }
            None => Value::Object(serde_json::Map::new()),
        }
    }
}
