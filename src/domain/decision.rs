//! The optional separate certification decision. A programme whose `decision_by` is
//! `admin` splits the auditor's approval in two: the auditor recommends (the case
//! stays in audit, `recommended_at` set) and an admin who neither audits nor runs the
//! case decides — certify (the ordinary `approved`, which issues the certificate) or
//! return (the ordinary `returned`). Programmes deciding by `auditor` (the default)
//! keep the auditor's approval as it was.

use super::event::Change;
pub use super::outcomes::{DecisionBy, DecisionOutcome};
use super::programme::ProgrammeRules;
use super::state::CaseState;
use chrono::{DateTime, Utc};

/// The change a decision causes on a recommended case.
pub fn decide_certification(
    state: &CaseState,
    rules: &ProgrammeRules,
    outcome: DecisionOutcome,
    now: DateTime<Utc>,
) -> Change {
    // The recommendation already counted the round and kept its findings.
    match outcome {
        DecisionOutcome::Certify => Change::Approved {
            round: state.audit_round,
            findings: Vec::new(),
            next_surveillance_due: Some(rules.next_surveillance(now)),
        },
        DecisionOutcome::Return => {
            let to = rules.path.before_audit();
            Change::Returned {
                to,
                round: state.audit_round,
                findings: Vec::new(),
                stage_due_at: rules.due_at(to, now),
            }
        }
    }
}
