//! The optional separate certification decision. A programme whose `decision_by` is
//! `admin` splits the auditor's approval in two: the auditor recommends (the case
//! stays in audit, `recommended_at` set) and an admin who neither audits nor runs the
//! case decides — certify (the ordinary `approved`, which issues the certificate) or
//! return (the ordinary `returned`). Programmes deciding by `auditor` (the default)
//! keep the auditor's approval as it was.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::decide::due_at;
use super::event::Change;
use super::programme::ProgrammeRules;
use super::state::CaseState;

/// Who makes the certification decision.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DecisionBy {
    /// The auditor's approval certifies.
    #[default]
    Auditor,
    /// The auditor's approval recommends; an independent admin decides.
    Admin,
}

impl DecisionBy {
    pub fn as_str(self) -> &'static str {
        match self {
            DecisionBy::Auditor => "auditor",
            DecisionBy::Admin => "admin",
        }
    }

    pub fn parse(word: &str) -> Option<DecisionBy> {
        [DecisionBy::Auditor, DecisionBy::Admin]
            .into_iter()
            .find(|d| d.as_str() == word)
    }
}

/// What the admin decides on a recommended case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DecisionOutcome {
    /// Certify: the certificate is issued as on an auditor's approval.
    Certify,
    /// Send the case back to the stage before audit, as a return does.
    Return,
}

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
                stage_due_at: due_at(rules, to, now),
            }
        }
    }
}
