//! Property tests over programme paths: for any valid path and any sequence of
//! commands and counts, a case only moves along its path, one stage at a time, and
//! leaves a stage (certification included) only with that stage's requirements met.

use chrono::{DateTime, Duration, TimeZone, Utc};
use proptest::prelude::*;

use super::command::{Command, NamedUser, NewFinding, Transition};
use super::decide::{decide, Facts};
use super::event::Change;
use super::evolve::evolve;
use super::path::{Path, RequirementSpec, StagePlan};
use super::programme::ProgrammeRules;
use super::requirements::{evaluate, unmet, CaseFacts, HeldSession};
use super::stage::{Stage, Status};
use super::state::CaseState;
use super::values::{Actor, Measure, Role, SessionKind, Severity};

const AREAS: [&str; 3] = ["apt", "quality", "plan"];
const KINDS: [SessionKind; 3] = [
    SessionKind::Mapping,
    SessionKind::Supervision,
    SessionKind::Training,
];

fn requirement() -> impl Strategy<Value = RequirementSpec> {
    prop_oneof![
        (
            0usize..3,
            1u32..4,
            prop::option::of(1u32..=100),
            any::<bool>()
        )
            .prop_map(|(kind, count, attendance_pct, documented)| {
                RequirementSpec::SessionsHeld {
                    session_kind: KINDS[kind],
                    count,
                    attendance_pct,
                    documented,
                }
            }),
        (any::<bool>(), 1u32..=100).prop_map(|(trained, pct)| RequirementSpec::ShareOfStaff {
            measure: if trained {
                Measure::Trained
            } else {
                Measure::Reflections
            },
            pct,
        }),
        (1usize..=3).prop_map(|n| RequirementSpec::EvidenceInAreas {
            areas: AREAS[..n].iter().map(|a| a.to_string()).collect(),
        }),
    ]
}

/// A valid path: kickoff, any of the three optional stages, audit; each with up to
/// three requirements of different slots.
fn path() -> impl Strategy<Value = Path> {
    let stage = || prop::collection::vec(requirement(), 0..3);
    (
        stage(),
        prop::option::of(stage()),
        prop::option::of(stage()),
        prop::option::of(stage()),
    )
        .prop_map(|(kickoff, workshops, reflection, routine)| {
            let mut plans = vec![plan(Stage::Kickoff, kickoff)];
            for (stage, reqs) in [
                (Stage::ValueWorkshops, workshops),
                (Stage::IndividualReflection, reflection),
                (Stage::RoutineIntegration, routine),
            ] {
                if let Some(reqs) = reqs {
                    plans.push(plan(stage, reqs));
                }
            }
            plans.push(plan(Stage::Audit, Vec::new()));
            Path::from_plans(plans).expect("a generated path is valid")
        })
}

/// A stage plan without two requirements in one slot (which a path refuses).
fn plan(stage: Stage, reqs: Vec<RequirementSpec>) -> StagePlan {
    let mut kept: Vec<RequirementSpec> = Vec::new();
    for req in reqs {
        let clash = kept.iter().any(|k| {
            std::mem::discriminant(k) == std::mem::discriminant(&req)
                && match (k, &req) {
                    (
                        RequirementSpec::SessionsHeld {
                            session_kind: a, ..
                        },
                        RequirementSpec::SessionsHeld {
                            session_kind: b, ..
                        },
                    ) => a == b,
                    (
                        RequirementSpec::ShareOfStaff { measure: a, .. },
                        RequirementSpec::ShareOfStaff { measure: b, .. },
                    ) => a == b,
                    _ => true,
                }
        });
        if !clash {
            kept.push(req);
        }
    }
    StagePlan {
        stage,
        deadline_days: 30,
        requirements: kept,
    }
}

/// Random counts: sessions of the library's kinds, measures, evidence, findings.
fn facts() -> impl Strategy<Value = CaseFacts> {
    (
        1u32..12,
        prop::collection::vec((0usize..3, 0u32..12, any::<bool>()), 0..6),
        0u32..12,
        0u32..12,
        0usize..=3,
    )
        .prop_map(
            |(headcount, sessions, reflections, trained, areas)| CaseFacts {
                headcount,
                sessions: sessions
                    .into_iter()
                    .map(|(kind, attended, documented)| HeldSession {
                        kind: KINDS[kind],
                        attended: attended.clamp(1, headcount),
                        documented,
                    })
                    .collect(),
                reflections_completed: reflections.min(headcount),
                trained_completed: trained.min(headcount),
                evidence_by_area: AREAS[..areas].iter().map(|a| (a.to_string(), 1)).collect(),
                last_return_findings: 0,
                last_return_findings_resolved: 0,
                plan_actions: 0,
            },
        )
}

#[derive(Debug, Clone, Copy)]
enum Try {
    Advance,
    RequestAudit,
    Approve,
    Return,
}

fn tries() -> impl Strategy<Value = Vec<(Try, CaseFacts)>> {
    let one = prop_oneof![
        4 => Just(Try::Advance),
        2 => Just(Try::RequestAudit),
        1 => Just(Try::Approve),
        1 => Just(Try::Return),
    ];
    prop::collection::vec((one, facts()), 1..30)
}

fn at() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 1, 1, 8, 0, 0).unwrap()
}

fn person(id: &str, role: Role) -> Actor {
    Actor {
        id: id.into(),
        role,
        organisation_id: None,
        unit_id: None,
    }
}

fn command(t: Try) -> (Actor, Command) {
    let steer = |transition| Command::Transition {
        transition,
        comment: None,
    };
    let consultant = person("cons", Role::Consultant);
    let auditor = person("aud", Role::Auditor);
    match t {
        Try::Advance => (consultant, steer(Transition::Advance)),
        Try::RequestAudit => (
            consultant,
            steer(Transition::RequestAudit {
                auditor: Some(NamedUser {
                    id: "aud".into(),
                    role: Some(Role::Auditor),
                }),
            }),
        ),
        Try::Approve => (auditor, steer(Transition::Approve { findings: vec![] })),
        Try::Return => (
            auditor,
            steer(Transition::Return {
                findings: vec![NewFinding {
                    id: "f".into(),
                    severity: Severity::Minor,
                    area: None,
                    text: "Follow up".into(),
                }],
            }),
        ),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn a_case_moves_only_along_its_path_and_only_with_each_stage_met(
        path in path(),
        steps in tries(),
    ) {
        let rules = ProgrammeRules {
            path: path.clone(),
            routine_areas: AREAS.iter().map(|a| a.to_string()).collect(),
            ..ProgrammeRules::inclusion_standard()
        };
        let consultant = person("cons", Role::Consultant);
        let mut state = CaseState::blank();
        let mut now = at();
        let enrolled = decide(
            &state,
            &consultant,
            &Command::Enrol { consultant: None },
            Facts { rules: &rules, counts: &CaseFacts::default() },
            now,
        )
        .expect("enrolment");
        state = enrolled.iter().fold(state, evolve);
        let mut entered = vec![Stage::Kickoff];
        for (t, counts) in steps {
            now += Duration::hours(1);
            let (actor, cmd) = command(t);
            let Ok(events) = decide(&state, &actor, &cmd, Facts { rules: &rules, counts: &counts }, now) else {
                continue;
            };
            let before = state.clone();
            for event in &events {
                let (from, to) = event.change.stages();
                if let (Some(from), Some(to)) = (from, to) {
                    prop_assert!(path.contains(to), "{to:?} is not on {path:?}");
                    let leaving_forward = matches!(
                        event.change,
                        Change::StageAdvanced { .. } | Change::AuditRequested { .. }
                    );
                    if leaving_forward {
                        let next = path.next_by_advance(from).unwrap_or(Stage::Audit);
                        prop_assert_eq!(to, next, "skipped from {:?}", from);
                        let missing = unmet(evaluate(from, &rules, &counts));
                        prop_assert!(missing.is_empty(), "left {from:?} with {missing:?} unmet");
                        prop_assert_eq!(entered.last().copied(), Some(from));
                        entered.push(to);
                    }
                    if let Change::Approved { .. } = event.change {
                        prop_assert_eq!(from, Stage::Audit);
                        // Every stage of the path was entered, in order, before certifying.
                        let on_path: Vec<Stage> = path.stages().into_iter().filter(|s| *s != Stage::Certified).collect();
                        prop_assert!(entered.ends_with(&on_path) || entered.windows(on_path.len()).any(|w| w == on_path.as_slice()),
                            "certified after {entered:?}, path {on_path:?}");
                    }
                    if let Change::Returned { .. } = event.change {
                        prop_assert_eq!(to, path.before_audit());
                        entered.push(to);
                    }
                }
            }
            state = events.iter().fold(before, evolve);
            if state.status == Status::Certified {
                break;
            }
        }
    }
}
