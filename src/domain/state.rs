//! What the workflow knows about one case between commands.

use chrono::{DateTime, Utc};

use super::stage::{Stage, Status};

/// The folded state of a case: the result of every event in its history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseState {
    pub stage: Stage,
    pub status: Status,
    /// The number of events in the history; 0 before enrolment.
    pub version: u64,
    pub consultant_id: Option<String>,
    pub auditor_id: Option<String>,
    pub cycle: u32,
    pub stage_entered_at: DateTime<Utc>,
    pub stage_due_at: Option<DateTime<Utc>>,
    pub paused_at: Option<DateTime<Utc>>,
    pub reflections_completed: u32,
    pub trained_completed: u32,
    /// Audit rounds held in this case, over all cycles (surveillances included).
    pub audit_round: u32,
    /// When the certified case's next surveillance is due.
    pub next_surveillance_due: Option<DateTime<Utc>>,
    /// Suspended because a surveillance lapsed (a passed one reinstates it), not by
    /// an admin.
    pub suspended_for_surveillance: bool,
    /// Since when a return or suspension in force may be appealed; cleared once it
    /// is appealed or no longer stands.
    pub appealable_since: Option<DateTime<Utc>>,
    /// The appeal filed and not yet decided.
    pub open_appeal_id: Option<String>,
    /// When the auditor recommended certification, on a programme where an admin
    /// decides; cleared when the case leaves audit.
    pub recommended_at: Option<DateTime<Utc>>,
}

impl CaseState {
    /// The state before enrolment; only `Command::Enrol` applies to it.
    pub fn blank() -> Self {
        CaseState {
            stage: Stage::Kickoff,
            status: Status::Active,
            version: 0,
            consultant_id: None,
            auditor_id: None,
            cycle: 1,
            stage_entered_at: DateTime::<Utc>::UNIX_EPOCH,
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
        }
    }

    /// An active case past its stage deadline; see [`is_overdue`].
    pub fn is_overdue(&self, now: DateTime<Utc>) -> bool {
        is_overdue(self.status, self.stage_due_at, now)
    }
}

impl CaseState {
    /// A certified case whose surveillance is overdue by more than `grace_days`.
    pub fn surveillance_lapsed(&self, grace_days: u32, now: DateTime<Utc>) -> bool {
        self.status == Status::Certified
            && self
                .next_surveillance_due
                .is_some_and(|due| due + chrono::Duration::days(i64::from(grace_days)) < now)
    }
}

/// The one definition of overdue: an active case whose stage deadline is before `now`
/// (due exactly now is not overdue yet; a paused case's clock stands still). Lists,
/// reports, the dashboard and reminders all ask this; `store::cases::overdue` says the
/// same in SQL.
pub fn is_overdue(status: Status, stage_due_at: Option<DateTime<Utc>>, now: DateTime<Utc>) -> bool {
    status == Status::Active && stage_due_at.is_some_and(|due| due < now)
}
