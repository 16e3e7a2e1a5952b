//! What a stage asks of a case before it may leave it.

use std::collections::BTreeMap;

use serde::Serialize;
use utoipa::ToSchema;

use super::path::RequirementSpec;
use super::programme::ProgrammeRules;
use super::stage::Stage;
use super::values::{Measure, SessionKind};

/// One requirement of the current stage, with how far the case has come.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Requirement {
    pub key: String,
    pub description: String,
    pub met: bool,
    pub current: u32,
    pub required: u32,
    /// What the requirement is, for putting it in the user's words.
    #[serde(skip)]
    #[schema(ignore)]
    pub words: RequirementWords,
}

/// What a requirement asks, as the pages put it in words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RequirementWords {
    Sessions {
        session_kind: SessionKind,
        attendance_pct: Option<u32>,
        documented: bool,
    },
    Share {
        measure: Measure,
        pct: u32,
    },
    Evidence {
        area: String,
    },
    FindingsResolved,
    AuditApproved,
    ActionPlan,
}

/// One session of the current cycle that was held: not cancelled, attendance recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HeldSession {
    pub kind: SessionKind,
    pub attended: u32,
    /// Notes on what the group worked on have been written.
    pub documented: bool,
}

/// The counts a case's requirements are judged on, for its current cycle.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CaseFacts {
    pub headcount: u32,
    /// Sessions held in this cycle (not cancelled, attendance of at least one recorded).
    pub sessions: Vec<HeldSession>,
    pub reflections_completed: u32,
    pub trained_completed: u32,
    /// Evidence items per routine area.
    pub evidence_by_area: BTreeMap<String, u32>,
    /// Findings of the last audit round that returned the case, and how many are resolved.
    pub last_return_findings: u32,
    pub last_return_findings_resolved: u32,
    /// Actions of the action plans linked to the case (any status).
    pub plan_actions: u32,
}

impl CaseFacts {
    /// The count of `measure`.
    pub fn measure(&self, measure: Measure) -> u32 {
        match measure {
            Measure::Reflections => self.reflections_completed,
            Measure::Trained => self.trained_completed,
        }
    }
}

/// The smallest count that reaches `pct` percent of `of` (rounding up).
pub fn threshold(of: u32, pct: u32) -> u32 {
    ((u64::from(of) * u64::from(pct)).div_ceil(100)) as u32
}

fn requirement(
    key: impl Into<String>,
    description: String,
    current: u32,
    required: u32,
    words: RequirementWords,
) -> Requirement {
    Requirement {
        key: key.into(),
        description,
        met: current >= required,
        current,
        required,
        words,
    }
}

/// The key of a `sessions_held` requirement: today's names for kickoff and workshops.
fn sessions_key(kind: SessionKind) -> String {
    match kind {
        SessionKind::Kickoff => "kickoff_held".into(),
        SessionKind::Workshop => "workshops_held".into(),
        other => format!("{}_sessions_held", other.as_str()),
    }
}

/// One requirement of the library, judged on `facts`.
fn judge(spec: &RequirementSpec, facts: &CaseFacts) -> Vec<Requirement> {
    match spec {
        RequirementSpec::SessionsHeld {
            session_kind,
            count,
            attendance_pct,
            documented,
        } => {
            let needed = attendance_pct.map(|pct| threshold(facts.headcount, pct).max(1));
            let held = facts
                .sessions
                .iter()
                .filter(|s| {
                    s.kind == *session_kind
                        && s.attended >= needed.unwrap_or(1)
                        && (s.documented || !documented)
                })
                .count() as u32;
            let words = RequirementWords::Sessions {
                session_kind: *session_kind,
                attendance_pct: *attendance_pct,
                documented: *documented,
            };
            let description = match (session_kind, attendance_pct, documented) {
                (SessionKind::Kickoff, None, false) if *count == 1 => {
                    "A kickoff session held with attendance recorded".to_string()
                }
                (SessionKind::Workshop, Some(pct), false) => format!(
                    "{count} workshops held, each attended by at least {pct} % of the headcount ({} of {})",
                    needed.unwrap_or(1),
                    facts.headcount
                ),
                _ => {
                    let mut text = format!(
                        "{count} {} sessions held with attendance recorded",
                        session_kind.as_str().replace('_', " ")
                    );
                    if let Some(pct) = attendance_pct {
                        text.push_str(&format!(
                            ", each attended by at least {pct} % of the headcount ({} of {})",
                            needed.unwrap_or(1),
                            facts.headcount
                        ));
                    }
                    if *documented {
                        text.push_str(", each documented with notes");
                    }
                    text
                }
            };
            vec![requirement(
                sessions_key(*session_kind),
                description,
                held,
                *count,
                words,
            )]
        }
        RequirementSpec::ShareOfStaff { measure, pct } => {
            let (key, description) = match measure {
                Measure::Reflections => (
                    "reflections_completed",
                    format!(
                        "Individual reflections completed by at least {pct} % of the headcount"
                    ),
                ),
                Measure::Trained => (
                    "staff_trained",
                    format!("Staff trained: at least {pct} % of the headcount"),
                ),
            };
            vec![requirement(
                key,
                description,
                facts.measure(*measure),
                threshold(facts.headcount, *pct).max(1),
                RequirementWords::Share {
                    measure: *measure,
                    pct: *pct,
                },
            )]
        }
        RequirementSpec::EvidenceInAreas { areas } => areas
            .iter()
            .map(|area| {
                requirement(
                    format!("evidence_{area}"),
                    format!("Evidence in the routine area {area}"),
                    facts.evidence_by_area.get(area).copied().unwrap_or(0),
                    1,
                    RequirementWords::Evidence { area: area.clone() },
                )
            })
            .collect(),
        // Met by a linked plan with at least one action, whatever its status: the plan
        // is made, not yet carried out.
        RequirementSpec::ActionPlan => vec![requirement(
            "action_plan",
            "An action plan linked to the case, with at least one action".into(),
            facts.plan_actions.min(1),
            1,
            RequirementWords::ActionPlan,
        )],
    }
}

/// The requirements to leave `stage`, judged on `facts`: those the programme's path
/// sets for the stage; in the stage before audit, every finding of the last return
/// resolved; in audit, the auditor's approval.
pub fn evaluate(stage: Stage, rules: &ProgrammeRules, facts: &CaseFacts) -> Vec<Requirement> {
    if stage == Stage::Certified {
        return Vec::new();
    }
    if stage == Stage::Audit {
        return vec![Requirement {
            key: "audit_approved".into(),
            description: "The assigned auditor approves".into(),
            met: false,
            current: 0,
            required: 1,
            words: RequirementWords::AuditApproved,
        }];
    }
    let mut reqs: Vec<Requirement> = rules
        .path
        .requirements(stage)
        .iter()
        .flat_map(|spec| judge(spec, facts))
        .collect();
    if stage == rules.path.before_audit() && facts.last_return_findings > 0 {
        reqs.push(requirement(
            "findings_resolved",
            "Every finding of the last audit resolved".into(),
            facts.last_return_findings_resolved,
            facts.last_return_findings,
            RequirementWords::FindingsResolved,
        ));
    }
    reqs
}

/// The requirements among `reqs` that are not met.
pub fn unmet(reqs: Vec<Requirement>) -> Vec<Requirement> {
    reqs.into_iter().filter(|r| !r.met).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(headcount: u32) -> CaseFacts {
        CaseFacts {
            headcount,
            ..CaseFacts::default()
        }
    }

    fn workshops(attended: &[u32]) -> Vec<HeldSession> {
        attended
            .iter()
            .map(|a| HeldSession {
                kind: SessionKind::Workshop,
                attended: *a,
                documented: false,
            })
            .collect()
    }

    #[test]
    fn a_workshop_counts_only_when_attendance_reaches_the_threshold() {
        let rules = ProgrammeRules::inclusion_standard();
        let mut f = facts(10);
        f.sessions = workshops(&[8, 7, 10, 9, 8]);
        let reqs = evaluate(Stage::ValueWorkshops, &rules, &f);
        assert_eq!(reqs[0].current, 4);
        assert!(reqs[0].met);
        f.sessions = workshops(&[8, 7, 10, 9]);
        assert!(!evaluate(Stage::ValueWorkshops, &rules, &f)[0].met);
    }

    #[test]
    fn reflection_threshold_rounds_up() {
        let rules = ProgrammeRules::inclusion_standard();
        let mut f = facts(11);
        f.reflections_completed = 8;
        let req = &evaluate(Stage::IndividualReflection, &rules, &f)[0];
        assert_eq!(req.required, 9);
        assert!(!req.met);
    }

    #[test]
    fn routine_integration_needs_every_area_and_resolved_findings() {
        let rules = ProgrammeRules::inclusion_standard();
        let mut f = facts(10);
        for area in &rules.routine_areas {
            f.evidence_by_area.insert(area.clone(), 1);
        }
        assert!(evaluate(Stage::RoutineIntegration, &rules, &f)
            .iter()
            .all(|r| r.met));
        f.last_return_findings = 2;
        f.last_return_findings_resolved = 1;
        let unmet = unmet(evaluate(Stage::RoutineIntegration, &rules, &f));
        assert_eq!(unmet.len(), 1);
        assert_eq!(unmet[0].key, "findings_resolved");
    }
}
