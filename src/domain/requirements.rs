//! What a stage asks of a case before it may leave it.

use std::collections::BTreeMap;

use serde::Serialize;
use utoipa::ToSchema;

use super::programme::ProgrammeRules;
use super::stage::Stage;

/// One requirement of the current stage, with how far the case has come.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Requirement {
    pub key: String,
    pub description: String,
    pub met: bool,
    pub current: u32,
    pub required: u32,
}

/// The counts a case's requirements are judged on, for its current cycle.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CaseFacts {
    pub headcount: u32,
    /// Kickoff sessions, not cancelled, with attendance recorded.
    pub kickoff_sessions_held: u32,
    /// Attendance of each workshop held (not cancelled, attendance recorded).
    pub workshop_attendance: Vec<u32>,
    pub reflections_completed: u32,
    /// Evidence items per routine area.
    pub evidence_by_area: BTreeMap<String, u32>,
    /// Findings of the last audit round that returned the case, and how many are resolved.
    pub last_return_findings: u32,
    pub last_return_findings_resolved: u32,
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
) -> Requirement {
    Requirement {
        key: key.into(),
        description,
        met: current >= required,
        current,
        required,
    }
}

/// The requirements to leave `stage`, judged on `facts`.
pub fn evaluate(stage: Stage, rules: &ProgrammeRules, facts: &CaseFacts) -> Vec<Requirement> {
    match stage {
        Stage::Kickoff => vec![requirement(
            "kickoff_held",
            "A kickoff session held with attendance recorded".into(),
            facts.kickoff_sessions_held,
            1,
        )],
        Stage::ValueWorkshops => {
            let needed = threshold(facts.headcount, rules.attendance_threshold_pct).max(1);
            let held = facts
                .workshop_attendance
                .iter()
                .filter(|attended| **attended >= needed)
                .count() as u32;
            vec![requirement(
                "workshops_held",
                format!(
                    "{} workshops held, each attended by at least {} % of the headcount ({} of {})",
                    rules.workshops_required,
                    rules.attendance_threshold_pct,
                    needed,
                    facts.headcount
                ),
                held,
                rules.workshops_required,
            )]
        }
        Stage::IndividualReflection => vec![requirement(
            "reflections_completed",
            format!(
                "Individual reflections completed by at least {} % of the headcount",
                rules.reflection_threshold_pct
            ),
            facts.reflections_completed,
            threshold(facts.headcount, rules.reflection_threshold_pct).max(1),
        )],
        Stage::RoutineIntegration => {
            let mut reqs: Vec<Requirement> = rules
                .routine_areas
                .iter()
                .map(|area| {
                    requirement(
                        format!("evidence_{area}"),
                        format!("Evidence in the routine area {area}"),
                        facts.evidence_by_area.get(area).copied().unwrap_or(0),
                        1,
                    )
                })
                .collect();
            if facts.last_return_findings > 0 {
                reqs.push(requirement(
                    "findings_resolved",
                    "Every finding of the last audit resolved".into(),
                    facts.last_return_findings_resolved,
                    facts.last_return_findings,
                ));
            }
            reqs
        }
        Stage::Audit => vec![Requirement {
            key: "audit_approved".into(),
            description: "The assigned auditor approves".into(),
            met: false,
            current: 0,
            required: 1,
        }],
        Stage::Certified => Vec::new(),
    }
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

    #[test]
    fn a_workshop_counts_only_when_attendance_reaches_the_threshold() {
        let rules = ProgrammeRules::inclusion_standard();
        let mut f = facts(10);
        f.workshop_attendance = vec![8, 7, 10, 9, 8];
        let reqs = evaluate(Stage::ValueWorkshops, &rules, &f);
        assert_eq!(reqs[0].current, 4);
        assert!(reqs[0].met);
        f.workshop_attendance = vec![8, 7, 10, 9];
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
