//! Webhook event kinds: the stable names integrators subscribe to, and which of them
//! each change to a case raises. New kinds (plan and event changes) are added here;
//! a name, once published, never changes meaning.

use super::certificate::{effect_of, CertificateEffect, CertificateStatus};
use super::event::Change;

/// One kind of webhook event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EventKind {
    /// A case was enrolled (it enters its first stage).
    CaseEnrolled,
    /// A case moved from one stage to another (advance, audit requested, approved,
    /// returned, renewed, moved to another programme version).
    CaseStageChanged,
    /// A case was paused, resumed or withdrawn.
    CaseStatusChanged,
    CertificateIssued,
    CertificateSuspended,
    CertificateReinstated,
    CertificateRevoked,
    CertificateExpired,
    /// An action of a plan was added or changed, or followed up.
    PlanActionChanged,
}

impl EventKind {
    /// Every kind, in the order the documentation lists them.
    pub const ALL: [EventKind; 9] = [
        EventKind::CaseEnrolled,
        EventKind::CaseStageChanged,
        EventKind::CaseStatusChanged,
        EventKind::CertificateIssued,
        EventKind::CertificateSuspended,
        EventKind::CertificateReinstated,
        EventKind::CertificateRevoked,
        EventKind::CertificateExpired,
        EventKind::PlanActionChanged,
    ];

    /// The published name, e.g. `case.stage_changed`.
    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::CaseEnrolled => "case.enrolled",
            EventKind::CaseStageChanged => "case.stage_changed",
            EventKind::CaseStatusChanged => "case.status_changed",
            EventKind::CertificateIssued => "certificate.issued",
            EventKind::CertificateSuspended => "certificate.suspended",
            EventKind::CertificateReinstated => "certificate.reinstated",
            EventKind::CertificateRevoked => "certificate.revoked",
            EventKind::CertificateExpired => "certificate.expired",
            EventKind::PlanActionChanged => "plan.action_changed",
        }
    }

    pub fn parse(s: &str) -> Option<EventKind> {
        EventKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// True for the kinds about a certificate (their data names it).
    pub fn is_certificate(self) -> bool {
        self.as_str().starts_with("certificate.")
    }
}

/// The webhook events one change raises, case events before certificate events.
pub fn kinds_of(change: &Change) -> Vec<EventKind> {
    let mut kinds = Vec::new();
    match change {
        Change::Enrolled { .. } => kinds.push(EventKind::CaseEnrolled),
        Change::Paused | Change::Resumed { .. } | Change::Withdrawn => {
            kinds.push(EventKind::CaseStatusChanged)
        }
        _ => {
            if let (Some(from), Some(to)) = change.stages() {
                if from != to {
                    kinds.push(EventKind::CaseStageChanged);
                }
            }
        }
    }
    match effect_of(change) {
        Some(CertificateEffect::Issue) => kinds.push(EventKind::CertificateIssued),
        Some(CertificateEffect::SetStatus(status)) => kinds.push(match status {
            CertificateStatus::Valid => EventKind::CertificateReinstated,
            CertificateStatus::Suspended => EventKind::CertificateSuspended,
            CertificateStatus::Revoked => EventKind::CertificateRevoked,
            CertificateStatus::Expired => EventKind::CertificateExpired,
        }),
        None => {}
    }
    kinds
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Stage;

    #[test]
    fn every_name_parses_back_to_its_kind() {
        for kind in EventKind::ALL {
            assert_eq!(EventKind::parse(kind.as_str()), Some(kind));
        }
        assert_eq!(EventKind::parse("case.unknown"), None);
    }

    #[test]
    fn an_advance_is_a_stage_change_and_an_approval_also_issues() {
        let advanced = Change::StageAdvanced {
            from: Stage::Kickoff,
            to: Stage::ValueWorkshops,
            stage_due_at: None,
        };
        assert_eq!(kinds_of(&advanced), vec![EventKind::CaseStageChanged]);
        let approved = Change::Approved {
            round: 1,
            findings: vec![],
            next_surveillance_due: None,
        };
        assert_eq!(
            kinds_of(&approved),
            vec![EventKind::CaseStageChanged, EventKind::CertificateIssued]
        );
        assert_eq!(
            kinds_of(&Change::Revoked),
            vec![EventKind::CertificateRevoked]
        );
        assert_eq!(
            kinds_of(&Change::ReflectionsRecorded { completed: 3 }),
            vec![]
        );
    }
}
