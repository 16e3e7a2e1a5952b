//! Random histories: whatever anyone asks, in whatever order, the path holds.
//!
//! Each case is a sequence of commands from random actors with random facts (sometimes
//! met, sometimes not). Every command goes through `decide`; the events of the ones it
//! accepts go through `evolve`. After every step the invariants below must hold.

use std::collections::BTreeSet;

use chrono::{DateTime, Duration, TimeZone, Utc};
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, RngSeed, TestCaseError, TestRunner};

use super::command::{
    Command, NamedUser, NewFinding, SessionChanges, SessionDocumentation, SessionSnapshot,
    Transition,
};
use super::decide::{decide, Facts};
use super::error::DomainError;
use super::event::{Change, Event};
use super::evolve::evolve;
use super::programme::ProgrammeRules;
use super::requirements::{evaluate, unmet, CaseFacts, HeldSession};
use super::stage::{Stage, Status};
use super::state::CaseState;
use super::values::{Actor, Measure, Role, SessionKind, Severity};

/// Who may send a command: (id, role). The consultant's id appears twice, once with the
/// auditor role, to try the four-eyes rule.
const ACTORS: [(&str, Role); 8] = [
    ("adm", Role::Admin),
    ("cons", Role::Consultant),
    ("cons2", Role::Consultant),
    ("aud", Role::Auditor),
    ("aud2", Role::Auditor),
    ("cons", Role::Auditor),
    ("coord", Role::Coordinator),
    ("uc", Role::UnitContact),
];

/// The only stage changes the path has.
const PATH: [(Stage, Stage); 7] = [
    (Stage::Kickoff, Stage::ValueWorkshops),
    (Stage::ValueWorkshops, Stage::IndividualReflection),
    (Stage::IndividualReflection, Stage::RoutineIntegration),
    (Stage::RoutineIntegration, Stage::Audit),
    (Stage::Audit, Stage::Certified),
    (Stage::Audit, Stage::RoutineIntegration),
    (Stage::Certified, Stage::ValueWorkshops),
];

fn base() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 1, 1, 8, 0, 0).unwrap()
}

fn actor(index: usize) -> Actor {
    let (id, role) = ACTORS[index];
    Actor {
        id: id.into(),
        role,
        organisation_id: None,
        unit_id: None,
    }
}

/// One command of a random history.
#[derive(Debug, Clone)]
struct Step {
    moving: Move,
    facts: CaseFacts,
    /// Time passed since the step before.
    minutes: i64,
}

/// What a step asks for.
#[derive(Debug, Clone)]
#[expect(
    clippy::large_enum_variant,
    reason = "test data, built once per step; boxing would only add noise"
)]
enum Move {
    /// Any command, from anyone.
    Any { actor: usize, command: Command },
    /// Whatever would move the case on from where it stands, from whoever would
    /// send it; `pick` chooses among the ways on. Without these, random histories
    /// seldom reach an audit, let alone a certificate.
    Forward { pick: u8 },
}

fn actor_index(id: &str, role: Role) -> usize {
    ACTORS
        .iter()
        .position(|(i, r)| *i == id && *r == role)
        .unwrap_or(0)
}

/// The command that would move `state` on, and who sends it.
fn forward(state: &CaseState, pick: u8) -> (usize, Command) {
    let steer = |transition, comment: Option<&str>| Command::Transition {
        transition,
        comment: comment.map(String::from),
    };
    let consultant = 1;
    let admin = 0;
    if state.version == 0 {
        return (consultant, Command::Enrol { consultant: None });
    }
    match (state.status, state.stage) {
        (Status::Paused, _) => (consultant, steer(Transition::Resume, None)),
        (Status::Active, Stage::RoutineIntegration) => {
            let auditor = match pick % 3 {
                0 => "aud2",
                _ => "aud",
            };
            let named = NamedUser {
                id: auditor.into(),
                role: Some(Role::Auditor),
            };
            (
                consultant,
                steer(
                    Transition::RequestAudit {
                        auditor: Some(named),
                    },
                    None,
                ),
            )
        }
        (Status::Active, Stage::Audit) => {
            let auditor = actor_index(state.auditor_id.as_deref().unwrap_or(""), Role::Auditor);
            let transition = if pick % 4 == 3 {
                Transition::Return {
                    findings: vec![NewFinding {
                        id: "f-0".into(),
                        severity: Severity::Minor,
                        area: None,
                        text: "Needs work".into(),
                    }],
                }
            } else {
                Transition::Approve { findings: vec![] }
            };
            (auditor, steer(transition, None))
        }
        (Status::Active, _) => (consultant, steer(Transition::Advance, None)),
        (Status::Certified, _) => match pick % 3 {
            0 => (consultant, steer(Transition::Renew, None)),
            1 => (admin, steer(Transition::Suspend, Some("Complaint"))),
            _ => (admin, Command::Expire),
        },
        (Status::Suspended, _) => match pick % 3 {
            0 => (admin, steer(Transition::Reinstate, None)),
            1 => (admin, steer(Transition::Revoke, Some("Fraud"))),
            _ => (admin, Command::Expire),
        },
        (Status::Expired, _) => (consultant, steer(Transition::Renew, None)),
        // Nothing moves these on; try anyway.
        (Status::Withdrawn | Status::Revoked, _) => (admin, steer(Transition::Renew, None)),
    }
}

// ---- strategies -------------------------------------------------------------------

fn any_actor() -> impl Strategy<Value = usize> {
    // The assigned auditor and the consultant act most, so histories get somewhere.
    prop_oneof![
        2 => Just(0usize),
        3 => Just(1usize),
        1 => Just(2usize),
        3 => Just(3usize),
        1 => Just(4usize),
        1 => Just(5usize),
        1 => Just(6usize),
        1 => Just(7usize),
    ]
}

fn named_user() -> impl Strategy<Value = Option<NamedUser>> {
    let user = |id: &str, role: Option<Role>| {
        Some(NamedUser {
            id: id.into(),
            role,
        })
    };
    prop_oneof![
        4 => Just(user("aud", Some(Role::Auditor))),
        1 => Just(user("aud2", Some(Role::Auditor))),
        1 => Just(user("cons", Some(Role::Auditor))),
        2 => Just(user("cons", Some(Role::Consultant))),
        1 => Just(user("cons2", Some(Role::Consultant))),
        1 => Just(user("adm", Some(Role::Admin))),
        1 => Just(user("ghost", None)),
        1 => Just(None),
    ]
}

fn facts() -> impl Strategy<Value = CaseFacts> {
    let met = || prop::bool::weighted(0.75);
    (1u32..=12, met(), met(), met(), met(), met(), 0u32..3).prop_map(
        |(headcount, kickoff, workshops, reflections, evidence, resolved, findings)| {
            let areas = ProgrammeRules::inclusion_standard().routine_areas;
            let evidenced = if evidence {
                areas.len()
            } else {
                areas.len() - 1
            };
            CaseFacts {
                headcount,
                sessions: (0..u32::from(kickoff))
                    .map(|_| HeldSession {
                        kind: SessionKind::Kickoff,
                        attended: headcount,
                        documented: false,
                    })
                    .chain((0..if workshops { 4 } else { 3 }).map(|_| HeldSession {
                        kind: SessionKind::Workshop,
                        attended: headcount,
                        documented: false,
                    }))
                    .collect(),
                reflections_completed: if reflections { headcount } else { 0 },
                trained_completed: 0,
                evidence_by_area: areas.into_iter().take(evidenced).map(|a| (a, 1)).collect(),
                last_return_findings: findings,
                last_return_findings_resolved: if resolved {
                    findings
                } else {
                    findings.saturating_sub(1)
                },
                plan_actions: 0,
            }
        },
    )
}

fn text() -> impl Strategy<Value = String> {
    prop_oneof![4 => Just("Needs work".to_string()), 1 => Just("  ".to_string())]
}

fn area() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("apt".to_string()),
        Just("quality".to_string()),
        Just("equality_plan".to_string()),
        Just("sports".to_string()),
    ]
}

fn findings() -> impl Strategy<Value = Vec<NewFinding>> {
    let severity = prop_oneof![
        Just(Severity::Major),
        Just(Severity::Minor),
        Just(Severity::Observation),
    ];
    prop::collection::vec((severity, prop::option::of(area()), text()), 0..4).prop_map(|items| {
        items
            .into_iter()
            .enumerate()
            .map(|(i, (severity, area, text))| NewFinding {
                id: format!("f-{i}"),
                severity,
                area,
                text,
            })
            .collect()
    })
}

fn comment() -> impl Strategy<Value = Option<String>> {
    prop_oneof![
        2 => Just(None),
        3 => Just(Some("The reason".to_string())),
        1 => Just(Some("   ".to_string())),
    ]
}

fn at() -> impl Strategy<Value = DateTime<Utc>> {
    (0i64..400).prop_map(|days| base() + Duration::days(days))
}

fn snapshot() -> impl Strategy<Value = SessionSnapshot> {
    (
        at(),
        -1i64..4,
        prop::option::of(0u32..14),
        prop::bool::weighted(0.2),
        0u32..5,
    )
        .prop_map(
            |(starts_at, hours, attended, cancelled, sequence)| SessionSnapshot {
                id: "s-1".into(),
                kind: SessionKind::Workshop,
                title: "Workshop".into(),
                starts_at,
                ends_at: starts_at + Duration::hours(hours),
                location: None,
                attended,
                cancelled,
                sequence,
                documentation: SessionDocumentation::default(),
            },
        )
}

fn data_command() -> BoxedStrategy<Command> {
    prop_oneof![
        (at(), -1i64..4, text(), prop::option::of(text())).prop_map(
            |(starts_at, hours, title, location)| Command::ScheduleSession {
                session_id: "s-2".into(),
                kind: SessionKind::Kickoff,
                title,
                starts_at,
                ends_at: starts_at + Duration::hours(hours),
                location,
                documentation: SessionDocumentation::default(),
            }
        ),
        (
            snapshot(),
            prop::option::of(text()),
            prop::option::of(at()),
            prop::option::of(prop::option::of(text())),
        )
            .prop_map(
                |(session, title, starts_at, location)| Command::ChangeSession {
                    session,
                    changes: SessionChanges {
                        title,
                        starts_at,
                        ends_at: None,
                        location,
                        ..SessionChanges::default()
                    },
                }
            ),
        snapshot().prop_map(|session| Command::CancelSession { session }),
        (snapshot(), 0u32..14)
            .prop_map(|(session, attended)| Command::RecordAttendance { session, attended }),
        (0u32..14).prop_map(|completed| Command::RecordMeasure {
            measure: Measure::Reflections,
            completed
        }),
        (
            area(),
            text(),
            prop::option::of(prop_oneof![
                Just("https://intra.example.se/a".to_string()),
                Just("ftp://intra.example.se/a".to_string()),
            ])
        )
            .prop_map(|(area, description, link)| Command::AddEvidence {
                evidence_id: "e-1".into(),
                area,
                description,
                link,
                file: None,
            }),
        text().prop_map(|resolution| Command::ResolveFinding {
            finding_id: "f-0".into(),
            resolution,
        }),
    ]
    .boxed()
}

fn transition_command() -> BoxedStrategy<Command> {
    let transition = prop_oneof![
        12 => Just(Transition::Advance),
        6 => named_user().prop_map(|auditor| Transition::RequestAudit { auditor }),
        6 => findings().prop_map(|findings| Transition::Approve { findings }),
        3 => findings().prop_map(|findings| Transition::Return { findings }),
        1 => Just(Transition::Pause),
        2 => Just(Transition::Resume),
        1 => Just(Transition::Withdraw { sessions: Vec::new() }),
        3 => Just(Transition::Suspend),
        3 => Just(Transition::Reinstate),
        1 => Just(Transition::Revoke),
        3 => Just(Transition::Renew),
    ];
    (transition, comment())
        .prop_map(|(transition, comment)| Command::Transition {
            transition,
            comment,
        })
        .boxed()
}

fn command() -> impl Strategy<Value = Command> {
    prop_oneof![
        1 => named_user().prop_map(|consultant| Command::Enrol { consultant }),
        4 => data_command(),
        14 => transition_command(),
        1 => Just(Command::Expire),
    ]
}

fn step() -> impl Strategy<Value = Step> {
    let moving = prop_oneof![
        2 => (any_actor(), command()).prop_map(|(actor, command)| Move::Any { actor, command }),
        1 => any::<u8>().prop_map(|pick| Move::Forward { pick }),
    ];
    (moving, facts(), 0i64..30 * 24 * 60).prop_map(|(moving, facts, minutes)| Step {
        moving,
        facts,
        minutes,
    })
}

/// A history opens with an enrolment attempt, then up to 40 random commands.
fn history() -> impl Strategy<Value = Vec<Step>> {
    let enrolling = prop_oneof![
        2 => Just(0usize),
        3 => Just(1usize),
        1 => Just(2usize),
        1 => Just(6usize),
    ];
    let consultant = prop_oneof![
        2 => Just(None),
        4 => Just(Some(NamedUser {
            id: "cons".into(),
            role: Some(Role::Consultant),
        })),
        1 => named_user(),
    ];
    let enrol = (enrolling, consultant, facts()).prop_map(|(actor, consultant, facts)| Step {
        moving: Move::Any {
            actor,
            command: Command::Enrol { consultant },
        },
        facts,
        minutes: 0,
    });
    (enrol, prop::collection::vec(step(), 5..40)).prop_map(|(first, rest)| {
        let mut steps = vec![first];
        steps.extend(rest);
        steps
    })
}

// ---- the invariants ---------------------------------------------------------------

/// What a history went through, to show the generator reaches every corner.
#[derive(Debug, Default)]
struct Seen {
    event_kinds: BTreeSet<&'static str>,
    stage_changes: BTreeSet<(Stage, Stage)>,
    refusals: BTreeSet<&'static str>,
}

fn refusal_name(error: &DomainError) -> &'static str {
    match error {
        DomainError::RequirementsUnmet(_) => "requirements_unmet",
        DomainError::NotAllowed { .. } => "not_allowed",
        DomainError::Paused => "paused",
        DomainError::Invalid(_) => "invalid",
        DomainError::Conflict(_) => "conflict",
        DomainError::NotAssignedAuditor => "not_assigned_auditor",
    }
}

fn transition_of(command: &Command) -> Option<&Transition> {
    match command {
        Command::Transition { transition, .. } => Some(transition),
        _ => None,
    }
}

/// Runs `steps` against a blank case, checking every invariant after every step.
fn run(steps: &[Step], seen: &mut Seen) -> Result<(), TestCaseError> {
    let rules = ProgrammeRules::inclusion_standard();
    let mut state = CaseState::blank();
    let mut applied: u64 = 0;
    let mut now = base();
    let mut ended: Option<CaseState> = None;
    for (i, step) in steps.iter().enumerate() {
        now += Duration::minutes(step.minutes);
        let (who, command) = match &step.moving {
            Move::Any { actor, command } => (*actor, command.clone()),
            Move::Forward { pick } => forward(&state, *pick),
        };
        let actor = actor(who);
        let facts = Facts {
            rules: &rules,
            counts: &step.facts,
        };
        let result = decide(&state, &actor, &command, facts, now);
        prop_assert_eq!(
            &result,
            &decide(&state, &actor, &command, facts, now),
            "decide is a function of its inputs"
        );
        match result {
            Err(error) => {
                seen.refusals.insert(refusal_name(&error));
            }
            Ok(events) => {
                // (e) a rejected command is an error, never Ok(vec![]).
                prop_assert!(
                    !events.is_empty(),
                    "step {}: Ok(vec![]) for {:?}",
                    i,
                    command
                );
                // (c) once withdrawn or revoked, every further command is refused.
                prop_assert!(
                    ended.is_none(),
                    "step {}: {:?} accepted on a {} case",
                    i,
                    command,
                    state.status.as_str()
                );
                for event in &events {
                    let before = state.clone();
                    state = evolve(state, event);
                    applied += 1;
                    check_event(
                        &before,
                        &state,
                        event,
                        &actor,
                        &command,
                        &step.facts,
                        &rules,
                        now,
                    )?;
                    seen.event_kinds.insert(event.change.kind());
                    if before.stage != state.stage {
                        seen.stage_changes.insert((before.stage, state.stage));
                    }
                }
            }
        }
        // (d) the version counts the events applied.
        prop_assert_eq!(state.version, applied, "step {}", i);
        // (c) ... and the state never changes again.
        if let Some(final_state) = &ended {
            prop_assert_eq!(&state, final_state, "step {}", i);
        }
        if matches!(state.status, Status::Withdrawn | Status::Revoked) && state.version > 0 {
            ended.get_or_insert_with(|| state.clone());
        }
        check_state(&state)?;
    }
    Ok(())
}

/// The rules one accepted event must have kept.
#[allow(clippy::too_many_arguments)]
fn check_event(
    before: &CaseState,
    after: &CaseState,
    event: &Event,
    actor: &Actor,
    command: &Command,
    facts: &CaseFacts,
    rules: &ProgrammeRules,
    now: DateTime<Utc>,
) -> Result<(), TestCaseError> {
    prop_assert_eq!(event.at, now);
    prop_assert_eq!(event.actor_id.as_deref(), Some(actor.id.as_str()));

    // (a) no stage is ever skipped, and the event names the move it makes.
    if before.stage != after.stage {
        prop_assert!(
            PATH.contains(&(before.stage, after.stage)),
            "{:?} moved {:?} -> {:?}",
            command,
            before.stage,
            after.stage
        );
    }
    match event.change.stages() {
        (_, _) if matches!(event.change, Change::Enrolled { .. }) => {
            prop_assert_eq!(before.version, 0);
            prop_assert_eq!(after.stage, Stage::Kickoff);
        }
        (Some(from), Some(to)) => {
            prop_assert_eq!(
                (from, to),
                (before.stage, after.stage),
                "{:?}",
                event.change
            );
        }
        _ => prop_assert_eq!(before.stage, after.stage, "{:?}", event.change),
    }

    // A stage is left forward only when its requirements are met.
    if matches!(
        transition_of(command),
        Some(Transition::Advance | Transition::RequestAudit { .. })
    ) {
        let missing = unmet(evaluate(before.stage, rules, facts));
        prop_assert!(
            missing.is_empty(),
            "left {:?} with {:?} unmet",
            before.stage,
            missing
        );
    }

    // (b) a case becomes certified only by its assigned auditor's approval, four eyes,
    // without a major finding; or, when suspended, by reinstatement.
    let becomes_certified = (after.stage == Stage::Certified && before.stage != Stage::Certified)
        || (after.status == Status::Certified && before.status != Status::Certified);
    if becomes_certified {
        match transition_of(command) {
            Some(Transition::Approve { findings }) => {
                prop_assert_eq!(before.stage, Stage::Audit);
                prop_assert_eq!(before.status, Status::Active);
                prop_assert_eq!(actor.role, Role::Auditor);
                prop_assert_eq!(before.auditor_id.as_deref(), Some(actor.id.as_str()));
                prop_assert_ne!(before.consultant_id.as_deref(), Some(actor.id.as_str()));
                prop_assert!(findings.iter().all(|f| f.severity != Severity::Major));
            }
            Some(Transition::Reinstate) => {
                prop_assert_eq!(
                    (before.stage, before.status),
                    (Stage::Certified, Status::Suspended)
                );
            }
            _ => prop_assert!(false, "{:?} certified the case", command),
        }
    }

    // A paused case takes nothing but resume and withdraw.
    if before.status == Status::Paused {
        prop_assert!(
            matches!(
                transition_of(command),
                Some(Transition::Resume | Transition::Withdraw { .. })
            ),
            "{:?} accepted on a paused case",
            command
        );
    }

    // A new cycle is exactly one more, and only by renewal.
    if after.cycle != before.cycle {
        prop_assert_eq!(after.cycle, before.cycle + 1);
        let renewed = matches!(event.change, Change::Renewed { .. });
        prop_assert!(renewed, "cycle changed by {:?}", event.change);
    }
    Ok(())
}

/// What every folded state must look like.
fn check_state(state: &CaseState) -> Result<(), TestCaseError> {
    if state.version == 0 {
        prop_assert_eq!(state, &CaseState::blank());
        return Ok(());
    }
    let holds_certificate = matches!(
        state.status,
        Status::Certified | Status::Suspended | Status::Expired | Status::Revoked
    );
    prop_assert_eq!(
        state.stage == Stage::Certified,
        holds_certificate,
        "stage {:?} with status {:?}",
        state.stage,
        state.status
    );
    if state.stage == Stage::Certified {
        prop_assert_eq!(state.stage_due_at, None);
    } else if state.status == Status::Active {
        prop_assert!(
            state.stage_due_at.is_some(),
            "every working stage has a deadline"
        );
    }
    match state.status {
        Status::Paused => prop_assert!(state.paused_at.is_some()),
        Status::Active => prop_assert_eq!(state.paused_at, None),
        // A case withdrawn while paused keeps the time it was paused.
        _ => {}
    }
    if state.stage == Stage::Audit {
        prop_assert!(state.auditor_id.is_some());
    }
    if let (Some(auditor), Some(consultant)) = (&state.auditor_id, &state.consultant_id) {
        prop_assert_ne!(auditor, consultant, "four eyes");
    }
    Ok(())
}

fn config() -> Config {
    Config {
        cases: 256,
        failure_persistence: None,
        rng_seed: RngSeed::Fixed(0x5735_6716),
        ..Config::default()
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn every_random_history_keeps_the_path_and_its_rules(steps in history()) {
        run(&steps, &mut Seen::default())?;
    }
}

/// Guards the property above against a generator that never gets anywhere.
#[test]
fn random_histories_reach_every_event_stage_change_and_refusal() {
    let mut runner = TestRunner::new(config());
    let strategy = history();
    let mut seen = Seen::default();
    let mut certified = 0;
    for _ in 0..256 {
        let steps = strategy.new_tree(&mut runner).unwrap().current();
        let mut this_one = Seen::default();
        run(&steps, &mut this_one).unwrap();
        if this_one.event_kinds.contains("approved") {
            certified += 1;
        }
        seen.event_kinds.extend(this_one.event_kinds);
        seen.stage_changes.extend(this_one.stage_changes);
        seen.refusals.extend(this_one.refusals);
    }
    assert!(
        certified >= 64,
        "only {certified} of 256 histories reached a certificate"
    );
    let every_kind = [
        "enrolled",
        "session_scheduled",
        "session_changed",
        "session_cancelled",
        "attendance_recorded",
        "reflections_recorded",
        "evidence_added",
        "finding_resolved",
        "stage_advanced",
        "audit_requested",
        "approved",
        "returned",
        "paused",
        "resumed",
        "withdrawn",
        "suspended",
        "reinstated",
        "revoked",
        "renewed",
        "expired",
    ];
    let missing: Vec<&str> = every_kind
        .into_iter()
        .filter(|kind| !seen.event_kinds.contains(kind))
        .collect();
    assert!(missing.is_empty(), "never produced: {missing:?}");
    assert_eq!(
        seen.stage_changes,
        PATH.into_iter().collect::<BTreeSet<_>>()
    );
    assert_eq!(seen.refusals.len(), 6, "refusals seen: {:?}", seen.refusals);
}

// ---- what a case offers -----------------------------------------------------------

use super::actions::CaseAction;
use super::available::available_actions;
use super::policy::{action_of, authorize, Target};

/// Where the cases of the offer property sit.
const PLACE: Target<'static> = Target {
    organisation_id: Some("org-a"),
    unit_id: Some("unit-a"),
    consultant_id: None,
    auditor_id: None,
    responsible_id: None,
};

/// Any state a case could be asked about, blank included, with any assignment.
fn any_state() -> impl Strategy<Value = CaseState> {
    // Active cases, and those in audit, most: that is where the rules differ most.
    let status = prop_oneof![4 => Just(0usize), 3 => 1..Status::ALL.len()];
    let stage = prop_oneof![1 => Just(4usize), 3 => 0..Stage::ALL.len()];
    (
        stage,
        status,
        prop::bool::weighted(0.1),
        prop::sample::select(vec![None, Some("cons"), Some("cons2")]),
        prop::sample::select(vec![None, Some("aud"), Some("aud2"), Some("cons")]),
        prop::option::of(at()),
        at(),
    )
        .prop_map(
            |(stage, status, blank, consultant, auditor, paused_at, due)| {
                if blank {
                    return CaseState::blank();
                }
                CaseState {
                    stage: Stage::ALL[stage],
                    status: Status::ALL[status],
                    version: 7,
                    consultant_id: consultant.map(String::from),
                    auditor_id: auditor.map(String::from),
                    cycle: 1,
                    stage_entered_at: base(),
                    stage_due_at: Some(due),
                    paused_at,
                    reflections_completed: 0,
                    trained_completed: 0,
                    audit_round: 1,
                    next_surveillance_due: None,
                    suspended_for_surveillance: false,
                    appealable_since: None,
                    open_appeal_id: None,
                    recommended_at: None,
                }
            },
        )
}

/// Anyone, in the case's own tenancy or another's.
fn any_tenant() -> impl Strategy<Value = Actor> {
    (any_actor(), prop::bool::weighted(0.7)).prop_map(|(index, home)| {
        let mut who = actor(index);
        let (org, unit) = if home {
            ("org-a", "unit-a")
        } else {
            ("org-b", "unit-b")
        };
        if matches!(who.role, Role::Coordinator | Role::UnitContact) {
            who.organisation_id = Some(org.into());
        }
        if who.role == Role::UnitContact {
            who.unit_id = Some(unit.into());
        }
        who
    })
}

/// A command for `action` whose input is valid, so that only the case and the person
/// can make `decide` refuse it (besides the stage's requirements).
fn valid_command(action: CaseAction, now: DateTime<Utc>) -> Command {
    let session = SessionSnapshot {
        id: "s-1".into(),
        kind: SessionKind::Workshop,
        title: "Workshop".into(),
        starts_at: now - Duration::hours(2),
        ends_at: now - Duration::hours(1),
        location: None,
        attended: None,
        cancelled: false,
        sequence: 0,
        documentation: SessionDocumentation::default(),
    };
    let steer = |transition| Command::Transition {
        transition,
        comment: None,
    };
    let with_reason = |transition| Command::Transition {
        transition,
        comment: Some("The reason".into()),
    };
    match action {
        CaseAction::Enrol => Command::Enrol { consultant: None },
        CaseAction::ScheduleSession => Command::ScheduleSession {
            session_id: "s-2".into(),
            kind: SessionKind::Workshop,
            title: "Workshop".into(),
            starts_at: now + Duration::days(1),
            ends_at: now + Duration::days(1) + Duration::hours(2),
            location: None,
            documentation: SessionDocumentation::default(),
        },
        CaseAction::ChangeSession => Command::ChangeSession {
            session,
            changes: SessionChanges {
                title: Some("Workshop 2".into()),
                ..SessionChanges::default()
            },
        },
        CaseAction::DocumentSession => Command::ChangeSession {
            session: session.clone(),
            changes: SessionChanges {
                notes: Some(Some("The group worked on its routines".into())),
                ..SessionChanges::default()
            },
        },
        CaseAction::CancelSession => Command::CancelSession { session },
        CaseAction::RecordAttendance => Command::RecordAttendance {
            session,
            attended: 0,
        },
        CaseAction::RecordMeasure => Command::RecordMeasure {
            measure: Measure::Reflections,
            completed: 0,
        },
        CaseAction::AddEvidence => Command::AddEvidence {
            evidence_id: "e-1".into(),
            area: "apt".into(),
            description: "Minutes".into(),
            link: None,
            file: None,
        },
        CaseAction::ResolveFinding => Command::ResolveFinding {
            finding_id: "f-1".into(),
            resolution: "Done".into(),
        },
        CaseAction::Advance => steer(Transition::Advance),
        CaseAction::RequestAudit => steer(Transition::RequestAudit {
            auditor: Some(NamedUser {
                id: "aud".into(),
                role: Some(Role::Auditor),
            }),
        }),
        CaseAction::Approve => steer(Transition::Approve { findings: vec![] }),
        CaseAction::Return => steer(Transition::Return {
            findings: vec![NewFinding {
                id: "f-2".into(),
                severity: Severity::Minor,
                area: None,
                text: "Needs work".into(),
            }],
        }),
        CaseAction::Pause => steer(Transition::Pause),
        CaseAction::Resume => steer(Transition::Resume),
        CaseAction::Withdraw => steer(Transition::Withdraw {
            sessions: Vec::new(),
        }),
        CaseAction::Suspend => with_reason(Transition::Suspend),
        CaseAction::Reinstate => steer(Transition::Reinstate),
        CaseAction::Revoke => with_reason(Transition::Revoke),
        CaseAction::Renew => steer(Transition::Renew),
        CaseAction::Expire => Command::Expire,
        CaseAction::RecordSurveillance => Command::RecordSurveillance {
            findings: vec![],
            comment: None,
        },
        CaseAction::LapseSurveillance => Command::LapseSurveillance { as_of: now },
        CaseAction::Decide => Command::Decide {
            outcome: crate::domain::DecisionOutcome::Certify,
            comment: None,
        },
        CaseAction::FileAppeal => Command::FileAppeal {
            appeal_id: "ap-1".into(),
            text: "We disagree".into(),
        },
        CaseAction::DecideAppeal => Command::DecideAppeal {
            appeal_id: "ap-1".into(),
            ground: crate::domain::AppealGround::Return,
            outcome: crate::domain::AppealOutcome::Rejected,
            comment: None,
        },
        CaseAction::ReceiveComplaint => Command::ReceiveComplaint {
            complaint_id: "co-1".into(),
        },
        CaseAction::DecideComplaint => Command::DecideComplaint {
            complaint_id: "co-1".into(),
            outcome: crate::domain::ComplaintOutcome::Noted,
            comment: None,
        },
        CaseAction::MigrateProgramme => Command::MigrateProgramme {
            programme_id: "p-2".into(),
            version: 2,
            rules: Box::new(ProgrammeRules::inclusion_standard()),
        },
    }
}

/// Whether the pipeline would let `decide` run `command` and `decide` not refuse it
/// for the case's standing or the person (unmet requirements still count as allowed).
fn accepted(state: &CaseState, who: &Actor, command: &Command, counts: &CaseFacts) -> bool {
    let target = Target {
        consultant_id: state.consultant_id.as_deref(),
        auditor_id: state.auditor_id.as_deref(),
        ..PLACE
    };
    let now = base() + Duration::days(500);
    let rules = ProgrammeRules::inclusion_standard();
    authorize(who, action_of(command), &target).is_ok()
        && matches!(
            decide(
                state,
                who,
                command,
                Facts {
                    rules: &rules,
                    counts,
                },
                now
            ),
            Ok(_) | Err(DomainError::RequirementsUnmet(_))
        )
}

fn standard_path() -> super::path::Path {
    ProgrammeRules::inclusion_standard().path
}

/// The offered actions of one random case, checked against `decide`.
fn check_offer(
    state: &CaseState,
    who: &Actor,
    counts: &CaseFacts,
) -> Result<Vec<CaseAction>, TestCaseError> {
    let offered = available_actions(state, &standard_path(), who, &PLACE);
    let now = base() + Duration::days(500);
    for action in CaseAction::OFFERED {
        let command = valid_command(action, now);
        prop_assert_eq!(CaseAction::of(&command), action);
        let decided = accepted(state, who, &command, counts);
        prop_assert_eq!(
            offered.contains(&action),
            decided,
            "{:?} for {:?} ({}) on {:?}",
            action,
            who.role,
            who.id,
            state
        );
    }
    Ok(offered)
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn a_case_offers_exactly_what_decide_would_not_refuse_for_its_standing_or_the_person(
        state in any_state(),
        who in any_tenant(),
        counts in facts(),
    ) {
        check_offer(&state, &who, &counts)?;
    }
}

/// Guards the property above against generators that never offer (or never withhold)
/// some action.
#[test]
fn random_cases_offer_and_withhold_every_action() {
    let mut runner = TestRunner::new(config());
    let strategy = (any_state(), any_tenant(), facts());
    let mut offered = BTreeSet::new();
    let mut withheld = BTreeSet::new();
    for _ in 0..2048 {
        let (state, who, counts) = strategy.new_tree(&mut runner).unwrap().current();
        let these = check_offer(&state, &who, &counts).unwrap();
        for action in CaseAction::OFFERED {
            let name = action.name();
            if these.contains(&action) {
                offered.insert(name);
            } else {
                withheld.insert(name);
            }
        }
    }
    let every: BTreeSet<&str> = CaseAction::OFFERED.iter().map(|a| a.name()).collect();
    assert_eq!(
        offered,
        every,
        "never offered: {:?}",
        every.difference(&offered)
    );
    assert_eq!(withheld, every);
}

#[test]
fn the_consultant_assigned_as_auditor_is_not_offered_the_sign_off() {
    let mut audit = CaseState::blank();
    audit.version = 9;
    audit.stage = Stage::Audit;
    audit.consultant_id = Some("cons".into());
    audit.auditor_id = Some("cons".into());
    let four_eyes = actor(5);
    assert_eq!(
        (four_eyes.id.as_str(), four_eyes.role),
        ("cons", Role::Auditor)
    );
    let offered = available_actions(&audit, &standard_path(), &four_eyes, &PLACE);
    assert!(!offered.contains(&CaseAction::Approve), "{offered:?}");
    audit.auditor_id = Some("aud".into());
    let offered = available_actions(&audit, &standard_path(), &actor(3), &PLACE);
    assert!(offered.contains(&CaseAction::Approve), "{offered:?}");
    assert!(offered.contains(&CaseAction::Return), "{offered:?}");
}

#[test]
fn expiry_is_never_offered_to_a_person() {
    let mut certified = CaseState::blank();
    certified.version = 9;
    certified.stage = Stage::Certified;
    certified.status = Status::Certified;
    let offered = available_actions(&certified, &standard_path(), &actor(0), &PLACE);
    assert!(offered.contains(&CaseAction::Revoke), "{offered:?}");
    assert!(!offered.contains(&CaseAction::Expire));
}
