//! Given a history, when a command arrives, then these events, or this refusal.

use chrono::{DateTime, Duration, TimeZone, Utc};

use super::command::{
    Command, NamedUser, NewFinding, SessionChanges, SessionDocumentation, SessionSnapshot,
    Transition,
};
use super::decide::{decide, is_web_link, Facts, MAX_TEXT};
use super::error::DomainError;
use super::event::{Change, Event};
use super::evolve::evolve_all;
use super::programme::ProgrammeRules;
use super::requirements::{CaseFacts, HeldSession};
use super::stage::{Stage, Status};
use super::state::CaseState;
use super::values::{Actor, Measure, Role, SessionKind, Severity};

pub(super) const CONSULTANT: &str = "cons-1";
const OTHER_CONSULTANT: &str = "cons-2";
pub(super) const AUDITOR: &str = "aud-1";
const OTHER_AUDITOR: &str = "aud-2";
pub(super) const ADMIN: &str = "adm-1";

// ---- time -------------------------------------------------------------------------

pub(super) fn day(n: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 3, 3, 9, 0, 0).unwrap() + Duration::days(n)
}

/// Later than every event of every history below.
pub(super) fn now() -> DateTime<Utc> {
    day(90)
}

// ---- actors -----------------------------------------------------------------------

pub(super) fn user(role: Role, id: &str) -> Actor {
    Actor {
        id: id.into(),
        role,
        organisation_id: None,
        unit_id: None,
    }
}

pub(super) fn admin() -> Actor {
    user(Role::Admin, ADMIN)
}

pub(super) fn consultant() -> Actor {
    user(Role::Consultant, CONSULTANT)
}

pub(super) fn auditor() -> Actor {
    user(Role::Auditor, AUDITOR)
}

fn named(id: &str, role: Option<Role>) -> NamedUser {
    NamedUser {
        id: id.into(),
        role,
    }
}

// ---- facts ------------------------------------------------------------------------

/// A unit of ten people that has done nothing yet.
pub(super) fn nothing_done() -> CaseFacts {
    CaseFacts {
        headcount: 10,
        ..CaseFacts::default()
    }
}

/// Sessions of `kind` held with these attendances.
fn held(kind: SessionKind, attended: &[u32]) -> Vec<HeldSession> {
    attended
        .iter()
        .map(|a| HeldSession {
            kind,
            attended: *a,
            documented: false,
        })
        .collect()
}

/// Every requirement of every stage met.
pub(super) fn everything_done() -> CaseFacts {
    CaseFacts {
        headcount: 10,
        sessions: held(SessionKind::Kickoff, &[10])
            .into_iter()
            .chain(held(SessionKind::Workshop, &[10, 9, 8, 8]))
            .collect(),
        reflections_completed: 8,
        trained_completed: 0,
        evidence_by_area: ProgrammeRules::inclusion_standard()
            .routine_areas
            .into_iter()
            .map(|area| (area, 1))
            .collect(),
        last_return_findings: 0,
        last_return_findings_resolved: 0,
        plan_actions: 1,
    }
}

// ---- given / when / then ----------------------------------------------------------

pub(super) fn given(events: Vec<Event>) -> CaseState {
    evolve_all(CaseState::blank(), &events)
}

pub(super) fn when(
    state: &CaseState,
    actor: &Actor,
    command: Command,
    facts: &CaseFacts,
    now: DateTime<Utc>,
) -> Result<Vec<Event>, DomainError> {
    let rules = ProgrammeRules::inclusion_standard();
    decide(
        state,
        actor,
        &command,
        Facts {
            rules: &rules,
            counts: facts,
        },
        now,
    )
}

/// The one event a command caused.
pub(super) fn then_one(result: Result<Vec<Event>, DomainError>) -> Event {
    let events = result.unwrap_or_else(|error| panic!("expected one event, got {error:?}"));
    assert_eq!(events.len(), 1, "expected one event, got {events:?}");
    events.into_iter().next().unwrap()
}

/// The refusal a command met.
pub(super) fn then_err(result: Result<Vec<Event>, DomainError>) -> DomainError {
    match result {
        Ok(events) => panic!("expected a refusal, got {events:?}"),
        Err(error) => error,
    }
}

/// The command was refused as invalid, naming exactly these fields.
pub(super) fn then_invalid(result: Result<Vec<Event>, DomainError>, fields: &[&str]) {
    match then_err(result) {
        DomainError::Invalid(errors) => {
            let named: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
            assert_eq!(named, fields, "{errors:?}");
            assert!(errors.iter().all(|e| !e.message.is_empty()));
        }
        other => panic!("expected Invalid({fields:?}), got {other:?}"),
    }
}

fn then_not_allowed(
    result: Result<Vec<Event>, DomainError>,
    action: &'static str,
    stage: Stage,
    status: Status,
) {
    assert_eq!(
        then_err(result),
        DomainError::NotAllowed {
            action,
            stage,
            status
        }
    );
}

/// `state` after the events a successful command caused.
pub(super) fn and_then(state: &CaseState, result: Result<Vec<Event>, DomainError>) -> CaseState {
    let events = result.unwrap_or_else(|error| panic!("expected events, got {error:?}"));
    evolve_all(state.clone(), &events)
}

// ---- commands ---------------------------------------------------------------------

fn transition(transition: Transition) -> Command {
    Command::Transition {
        transition,
        comment: None,
    }
}

fn with_comment(transition: Transition, comment: &str) -> Command {
    Command::Transition {
        transition,
        comment: Some(comment.into()),
    }
}

fn request_audit(auditor: &str) -> Command {
    transition(Transition::RequestAudit {
        auditor: Some(named(auditor, Some(Role::Auditor))),
    })
}

fn finding(id: &str, severity: Severity, area: Option<&str>, text: &str) -> NewFinding {
    NewFinding {
        id: id.into(),
        severity,
        area: area.map(String::from),
        text: text.into(),
    }
}

fn minor(id: &str) -> NewFinding {
    finding(
        id,
        Severity::Minor,
        Some("apt"),
        "Minutes do not mention the plan",
    )
}

fn approve(findings: Vec<NewFinding>) -> Command {
    transition(Transition::Approve { findings })
}

fn return_with(findings: Vec<NewFinding>) -> Command {
    transition(Transition::Return { findings })
}

fn session() -> SessionSnapshot {
    SessionSnapshot {
        id: "s-1".into(),
        kind: SessionKind::Workshop,
        title: "Workshop 1".into(),
        starts_at: day(20),
        ends_at: day(20) + Duration::hours(2),
        location: Some("Room 1".into()),
        attended: None,
        cancelled: false,
        sequence: 0,
        documentation: SessionDocumentation::default(),
    }
}

fn withdraw() -> Transition {
    Transition::Withdraw {
        sessions: Vec::new(),
    }
}

fn attendance(session: SessionSnapshot, attended: u32) -> Command {
    Command::RecordAttendance { session, attended }
}

fn evidence(area: &str, description: &str, link: Option<&str>) -> Command {
    Command::AddEvidence {
        evidence_id: "e-1".into(),
        area: area.into(),
        description: description.into(),
        link: link.map(String::from),
        file: None,
    }
}

/// One of each command that records work on a case.
fn data_commands() -> Vec<Command> {
    vec![
        Command::ScheduleSession {
            session_id: "s-2".into(),
            kind: SessionKind::Workshop,
            title: "Workshop 2".into(),
            starts_at: day(100),
            ends_at: day(100) + Duration::hours(2),
            location: None,
            documentation: SessionDocumentation::default(),
        },
        Command::ChangeSession {
            session: session(),
            changes: SessionChanges {
                title: Some("Renamed".into()),
                ..SessionChanges::default()
            },
        },
        Command::CancelSession { session: session() },
        attendance(session(), 8),
        Command::RecordMeasure {
            measure: Measure::Reflections,
            completed: 5,
        },
        evidence("apt", "APT minutes", None),
        Command::ResolveFinding {
            finding_id: "f-1".into(),
            resolution: "Fixed".into(),
        },
    ]
}

/// Every command there is, each in one valid-looking form.
fn every_command() -> Vec<Command> {
    let mut commands = vec![
        Command::Enrol { consultant: None },
        Command::Expire,
        transition(Transition::Advance),
        request_audit(AUDITOR),
        approve(vec![]),
        return_with(vec![minor("f-1")]),
        transition(Transition::Pause),
        transition(Transition::Resume),
        transition(withdraw()),
        with_comment(Transition::Suspend, "Complaint under review"),
        transition(Transition::Reinstate),
        with_comment(Transition::Revoke, "Fraudulent evidence"),
        transition(Transition::Renew),
    ];
    commands.extend(data_commands());
    commands
}

// ---- histories --------------------------------------------------------------------

pub(super) fn ev(at: DateTime<Utc>, actor: &str, change: Change) -> Event {
    Event {
        at,
        actor_id: Some(actor.into()),
        comment: None,
        change,
    }
}

fn advanced(at: DateTime<Utc>, from: Stage, to: Stage, due_days: i64) -> Event {
    ev(
        at,
        CONSULTANT,
        Change::StageAdvanced {
            from,
            to,
            stage_due_at: Some(at + Duration::days(due_days)),
        },
    )
}

fn in_kickoff() -> Vec<Event> {
    vec![ev(
        day(0),
        CONSULTANT,
        Change::Enrolled {
            consultant_id: Some(CONSULTANT.into()),
            stage_due_at: Some(day(30)),
        },
    )]
}

fn in_value_workshops() -> Vec<Event> {
    let mut history = in_kickoff();
    history.push(advanced(
        day(10),
        Stage::Kickoff,
        Stage::ValueWorkshops,
        120,
    ));
    history
}

fn in_individual_reflection() -> Vec<Event> {
    let mut history = in_value_workshops();
    history.push(advanced(
        day(40),
        Stage::ValueWorkshops,
        Stage::IndividualReflection,
        60,
    ));
    history.push(ev(
        day(45),
        CONSULTANT,
        Change::ReflectionsRecorded { completed: 9 },
    ));
    history
}

fn in_routine_integration() -> Vec<Event> {
    let mut history = in_individual_reflection();
    history.push(advanced(
        day(50),
        Stage::IndividualReflection,
        Stage::RoutineIntegration,
        120,
    ));
    history
}

pub(super) fn in_audit() -> Vec<Event> {
    let mut history = in_routine_integration();
    history.push(ev(
        day(70),
        CONSULTANT,
        Change::AuditRequested {
            from: Stage::RoutineIntegration,
            auditor_id: AUDITOR.into(),
            stage_due_at: Some(day(100)),
        },
    ));
    history
}

pub(super) fn returned_once() -> Vec<Event> {
    let mut history = in_audit();
    history.push(ev(
        day(75),
        AUDITOR,
        Change::Returned {
            to: Stage::RoutineIntegration,
            round: 1,
            findings: vec![minor("f-1")],
            stage_due_at: Some(day(195)),
        },
    ));
    history
}

pub(super) fn certified() -> Vec<Event> {
    let mut history = in_audit();
    history.push(ev(
        day(80),
        AUDITOR,
        Change::Approved {
            round: 1,
            findings: vec![],
            next_surveillance_due: Some(
                ProgrammeRules::inclusion_standard().next_surveillance(day(80)),
            ),
        },
    ));
    history
}

fn then_also(
    mut history: Vec<Event>,
    at: DateTime<Utc>,
    actor: &str,
    change: Change,
) -> Vec<Event> {
    history.push(ev(at, actor, change));
    history
}

fn suspended() -> Vec<Event> {
    then_also(certified(), day(85), ADMIN, Change::Suspended)
}

fn expired() -> Vec<Event> {
    then_also(certified(), day(85), ADMIN, Change::Expired)
}

fn revoked() -> Vec<Event> {
    then_also(certified(), day(85), ADMIN, Change::Revoked)
}

fn withdrawn() -> Vec<Event> {
    then_also(in_value_workshops(), day(85), CONSULTANT, Change::Withdrawn)
}

fn paused(history: Vec<Event>, at: DateTime<Utc>) -> Vec<Event> {
    then_also(history, at, CONSULTANT, Change::Paused)
}

// ---- the histories fold as expected -----------------------------------------------

#[test]
fn the_histories_fold_into_the_states_the_tests_assume() {
    let cases = [
        (in_kickoff(), Stage::Kickoff, Status::Active, 1),
        (
            in_value_workshops(),
            Stage::ValueWorkshops,
            Status::Active,
            2,
        ),
        (
            in_individual_reflection(),
            Stage::IndividualReflection,
            Status::Active,
            4,
        ),
        (
            in_routine_integration(),
            Stage::RoutineIntegration,
            Status::Active,
            5,
        ),
        (in_audit(), Stage::Audit, Status::Active, 6),
        (
            returned_once(),
            Stage::RoutineIntegration,
            Status::Active,
            7,
        ),
        (certified(), Stage::Certified, Status::Certified, 7),
        (suspended(), Stage::Certified, Status::Suspended, 8),
        (expired(), Stage::Certified, Status::Expired, 8),
        (revoked(), Stage::Certified, Status::Revoked, 8),
        (withdrawn(), Stage::ValueWorkshops, Status::Withdrawn, 3),
        (paused(in_audit(), day(75)), Stage::Audit, Status::Paused, 7),
    ];
    for (history, stage, status, version) in cases {
        let state = given(history);
        assert_eq!(
            (state.stage, state.status, state.version),
            (stage, status, version)
        );
        assert_eq!(state.consultant_id.as_deref(), Some(CONSULTANT));
    }
    assert_eq!(given(in_audit()).auditor_id.as_deref(), Some(AUDITOR));
    assert_eq!(given(certified()).stage_due_at, None);
}

// ---- enrol ------------------------------------------------------------------------

#[test]
fn a_consultant_enrolling_assigns_themself() {
    let blank = CaseState::blank();
    let event = then_one(when(
        &blank,
        &consultant(),
        Command::Enrol { consultant: None },
        &nothing_done(),
        day(0),
    ));
    assert_eq!(
        event,
        Event {
            at: day(0),
            actor_id: Some(CONSULTANT.into()),
            comment: None,
            change: Change::Enrolled {
                consultant_id: Some(CONSULTANT.into()),
                stage_due_at: Some(day(30)),
            },
        }
    );
    let state = evolve_all(blank, &[event]);
    assert_eq!(state.stage, Stage::Kickoff);
    assert_eq!(state.status, Status::Active);
    assert_eq!(state.version, 1);
    assert_eq!(state.cycle, 1);
    assert_eq!(state.consultant_id.as_deref(), Some(CONSULTANT));
    assert_eq!(state.stage_entered_at, day(0));
    assert_eq!(state.stage_due_at, Some(day(30)));
}

#[test]
fn a_consultant_naming_themself_is_assigned() {
    let event = then_one(when(
        &CaseState::blank(),
        &consultant(),
        Command::Enrol {
            consultant: Some(named(CONSULTANT, Some(Role::Consultant))),
        },
        &nothing_done(),
        day(0),
    ));
    assert!(matches!(
        event.change,
        Change::Enrolled { consultant_id: Some(id), .. } if id == CONSULTANT
    ));
}

#[test]
fn a_consultant_may_not_enrol_a_unit_for_another_consultant() {
    let result = when(
        &CaseState::blank(),
        &consultant(),
        Command::Enrol {
            consultant: Some(named(OTHER_CONSULTANT, Some(Role::Consultant))),
        },
        &nothing_done(),
        day(0),
    );
    then_invalid(result, &["consultant_id"]);
}

#[test]
fn an_admin_may_enrol_without_a_consultant() {
    let event = then_one(when(
        &CaseState::blank(),
        &admin(),
        Command::Enrol { consultant: None },
        &nothing_done(),
        day(0),
    ));
    assert_eq!(
        event.change,
        Change::Enrolled {
            consultant_id: None,
            stage_due_at: Some(day(30)),
        }
    );
    assert_eq!(event.actor_id.as_deref(), Some(ADMIN));
}

#[test]
fn an_admin_may_name_the_consultant() {
    let event = then_one(when(
        &CaseState::blank(),
        &admin(),
        Command::Enrol {
            consultant: Some(named(OTHER_CONSULTANT, Some(Role::Consultant))),
        },
        &nothing_done(),
        day(0),
    ));
    assert!(matches!(
        event.change,
        Change::Enrolled { consultant_id: Some(id), .. } if id == OTHER_CONSULTANT
    ));
}

#[test]
fn naming_a_consultant_who_is_not_one_is_invalid() {
    for role in [
        None,
        Some(Role::Auditor),
        Some(Role::Admin),
        Some(Role::UnitContact),
    ] {
        let result = when(
            &CaseState::blank(),
            &admin(),
            Command::Enrol {
                consultant: Some(named("someone", role)),
            },
            &nothing_done(),
            day(0),
        );
        then_invalid(result, &["consultant_id"]);
    }
}

#[test]
fn enrolling_an_enrolled_case_is_a_conflict() {
    for history in [in_kickoff(), certified(), withdrawn()] {
        let result = when(
            &given(history),
            &consultant(),
            Command::Enrol { consultant: None },
            &nothing_done(),
            now(),
        );
        assert!(matches!(then_err(result), DomainError::Conflict(_)));
    }
}

#[test]
fn every_other_command_on_a_case_never_enrolled_is_a_conflict() {
    for command in every_command() {
        if matches!(command, Command::Enrol { .. }) {
            continue;
        }
        let result = when(
            &CaseState::blank(),
            &admin(),
            command.clone(),
            &everything_done(),
            now(),
        );
        assert!(
            matches!(then_err(result), DomainError::Conflict(_)),
            "{command:?}"
        );
    }
}

// ---- sessions ---------------------------------------------------------------------

#[test]
fn scheduling_a_session_trims_its_title_and_drops_a_blank_location() {
    let event = then_one(when(
        &given(in_value_workshops()),
        &consultant(),
        Command::ScheduleSession {
            session_id: "s-9".into(),
            kind: SessionKind::Workshop,
            title: "  Workshop 2 ".into(),
            starts_at: day(100),
            ends_at: day(100) + Duration::hours(2),
            location: Some("   ".into()),
            documentation: SessionDocumentation::default(),
        },
        &nothing_done(),
        now(),
    ));
    assert_eq!(
        event.change,
        Change::SessionScheduled {
            session_id: "s-9".into(),
            session_kind: SessionKind::Workshop,
            title: "Workshop 2".into(),
            starts_at: day(100),
            ends_at: day(100) + Duration::hours(2),
            location: None,
            audience: None,
            themes: Vec::new(),
        }
    );
}

#[test]
fn a_session_must_end_after_it_starts() {
    for ends_at in [day(100), day(100) - Duration::minutes(1)] {
        let result = when(
            &given(in_kickoff()),
            &consultant(),
            Command::ScheduleSession {
                session_id: "s-9".into(),
                kind: SessionKind::Kickoff,
                title: "Kickoff".into(),
                starts_at: day(100),
                ends_at,
                location: None,
                documentation: SessionDocumentation::default(),
            },
            &nothing_done(),
            now(),
        );
        then_invalid(result, &["ends_at"]);
    }
}

#[test]
fn a_session_needs_a_title_of_at_most_200_characters() {
    for (title, ok) in [
        (" ".to_string(), false),
        ("x".repeat(201), false),
        ("x".repeat(200), true),
    ] {
        let result = when(
            &given(in_kickoff()),
            &consultant(),
            Command::ScheduleSession {
                session_id: "s-9".into(),
                kind: SessionKind::Kickoff,
                title,
                starts_at: day(100),
                ends_at: day(101),
                location: None,
                documentation: SessionDocumentation::default(),
            },
            &nothing_done(),
            now(),
        );
        if ok {
            then_one(result);
        } else {
            then_invalid(result, &["title"]);
        }
    }
}

#[test]
fn a_session_location_over_200_characters_is_invalid() {
    let result = when(
        &given(in_kickoff()),
        &consultant(),
        Command::ScheduleSession {
            session_id: "s-9".into(),
            kind: SessionKind::Kickoff,
            title: "Kickoff".into(),
            starts_at: day(100),
            ends_at: day(101),
            location: Some("x".repeat(201)),
            documentation: SessionDocumentation::default(),
        },
        &nothing_done(),
        now(),
    );
    then_invalid(result, &["location"]);
}

#[test]
fn changing_a_session_keeps_what_is_not_changed_and_bumps_its_sequence() {
    let mut earlier = session();
    earlier.sequence = 3;
    let event = then_one(when(
        &given(in_value_workshops()),
        &consultant(),
        Command::ChangeSession {
            session: earlier,
            changes: SessionChanges {
                starts_at: Some(day(21)),
                ends_at: Some(day(21) + Duration::hours(3)),
                ..SessionChanges::default()
            },
        },
        &nothing_done(),
        now(),
    ));
    assert_eq!(
        event.change,
        Change::SessionChanged {
            session_id: "s-1".into(),
            title: "Workshop 1".into(),
            starts_at: day(21),
            ends_at: day(21) + Duration::hours(3),
            location: Some("Room 1".into()),
            sequence: 4,
        }
    );
}

#[test]
fn changing_a_session_can_clear_its_location() {
    let event = then_one(when(
        &given(in_value_workshops()),
        &consultant(),
        Command::ChangeSession {
            session: session(),
            changes: SessionChanges {
                location: Some(None),
                ..SessionChanges::default()
            },
        },
        &nothing_done(),
        now(),
    ));
    assert!(matches!(
        event.change,
        Change::SessionChanged {
            location: None,
            sequence: 1,
            ..
        }
    ));
}

#[test]
fn changing_nothing_is_invalid() {
    let result = when(
        &given(in_value_workshops()),
        &consultant(),
        Command::ChangeSession {
            session: session(),
            changes: SessionChanges::default(),
        },
        &nothing_done(),
        now(),
    );
    then_invalid(result, &["title"]);
}

#[test]
fn moving_a_session_start_past_its_end_is_invalid() {
    let result = when(
        &given(in_value_workshops()),
        &consultant(),
        Command::ChangeSession {
            session: session(),
            changes: SessionChanges {
                starts_at: Some(day(20) + Duration::hours(2)),
                ..SessionChanges::default()
            },
        },
        &nothing_done(),
        now(),
    );
    then_invalid(result, &["ends_at"]);
}

#[test]
fn renaming_a_session_to_a_blank_title_is_invalid() {
    let result = when(
        &given(in_value_workshops()),
        &consultant(),
        Command::ChangeSession {
            session: session(),
            changes: SessionChanges {
                title: Some("  ".into()),
                ..SessionChanges::default()
            },
        },
        &nothing_done(),
        now(),
    );
    then_invalid(result, &["title"]);
}

#[test]
fn a_cancelled_or_held_session_can_be_neither_changed_nor_cancelled() {
    let mut cancelled = session();
    cancelled.cancelled = true;
    let mut held = session();
    held.attended = Some(8);
    for snapshot in [cancelled, held] {
        let change = Command::ChangeSession {
            session: snapshot.clone(),
            changes: SessionChanges {
                title: Some("Renamed".into()),
                ..SessionChanges::default()
            },
        };
        let cancel = Command::CancelSession { session: snapshot };
        for command in [change, cancel] {
            let result = when(
                &given(in_value_workshops()),
                &consultant(),
                command,
                &nothing_done(),
                now(),
            );
            assert!(matches!(then_err(result), DomainError::Conflict(_)));
        }
    }
}

#[test]
fn cancelling_a_session_bumps_its_sequence() {
    let mut snapshot = session();
    snapshot.sequence = 2;
    let event = then_one(when(
        &given(in_value_workshops()),
        &consultant(),
        Command::CancelSession { session: snapshot },
        &nothing_done(),
        now(),
    ));
    assert_eq!(
        event.change,
        Change::SessionCancelled {
            session_id: "s-1".into(),
            sequence: 3,
        }
    );
}

// ---- attendance and reflections ---------------------------------------------------

#[test]
fn attendance_is_recorded_once_the_session_has_started() {
    let mut started = session();
    started.starts_at = now();
    started.ends_at = now() + Duration::hours(2);
    let event = then_one(when(
        &given(in_value_workshops()),
        &consultant(),
        attendance(started, 10),
        &nothing_done(),
        now(),
    ));
    assert_eq!(
        event.change,
        Change::AttendanceRecorded {
            session_id: "s-1".into(),
            attended: 10,
        }
    );
}

#[test]
fn attendance_in_the_future_is_invalid() {
    let mut upcoming = session();
    upcoming.starts_at = now() + Duration::seconds(1);
    upcoming.ends_at = now() + Duration::hours(2);
    let result = when(
        &given(in_value_workshops()),
        &consultant(),
        attendance(upcoming, 5),
        &nothing_done(),
        now(),
    );
    then_invalid(result, &["attended"]);
}

#[test]
fn attendance_above_the_headcount_is_invalid() {
    let result = when(
        &given(in_value_workshops()),
        &consultant(),
        attendance(session(), 11),
        &nothing_done(),
        now(),
    );
    then_invalid(result, &["attended"]);
}

#[test]
fn attendance_of_a_cancelled_session_is_a_conflict() {
    let mut cancelled = session();
    cancelled.cancelled = true;
    let result = when(
        &given(in_value_workshops()),
        &consultant(),
        attendance(cancelled, 5),
        &nothing_done(),
        now(),
    );
    assert!(matches!(then_err(result), DomainError::Conflict(_)));
}

#[test]
fn reflections_are_recorded_as_a_count_up_to_the_headcount() {
    let state = given(in_individual_reflection());
    let result = when(
        &state,
        &consultant(),
        Command::RecordMeasure {
            measure: Measure::Reflections,
            completed: 10,
        },
        &nothing_done(),
        now(),
    );
    assert_eq!(
        and_then(&state, result).reflections_completed,
        10,
        "the state keeps the latest count"
    );
}

#[test]
fn reflections_above_the_headcount_are_invalid() {
    let result = when(
        &given(in_individual_reflection()),
        &consultant(),
        Command::RecordMeasure {
            measure: Measure::Reflections,
            completed: 11,
        },
        &nothing_done(),
        now(),
    );
    then_invalid(result, &["completed"]);
}

// ---- evidence and findings --------------------------------------------------------

#[test]
fn evidence_in_a_routine_area_is_added_with_its_description_trimmed() {
    let event = then_one(when(
        &given(in_routine_integration()),
        &user(Role::UnitContact, "uc-1"),
        evidence(
            "quality",
            "  Quality handbook, chapter 3 ",
            Some("https://intra.example.se/q?v=3"),
        ),
        &nothing_done(),
        now(),
    ));
    assert_eq!(
        event.change,
        Change::EvidenceAdded {
            evidence_id: "e-1".into(),
            area: "quality".into(),
            description: "Quality handbook, chapter 3".into(),
            link: Some("https://intra.example.se/q?v=3".into()),
            file: None,
        }
    );
    assert_eq!(event.actor_id.as_deref(), Some("uc-1"));
}

#[test]
fn evidence_in_an_unknown_area_is_invalid() {
    for area in ["sports", "", "APT"] {
        let result = when(
            &given(in_routine_integration()),
            &consultant(),
            evidence(area, "Minutes", None),
            &nothing_done(),
            now(),
        );
        then_invalid(result, &["area"]);
    }
}

#[test]
fn evidence_needs_a_description_of_at_most_max_text_characters() {
    for description in [" \n ".to_string(), "x".repeat(MAX_TEXT + 1)] {
        let result = when(
            &given(in_routine_integration()),
            &consultant(),
            evidence("apt", &description, None),
            &nothing_done(),
            now(),
        );
        then_invalid(result, &["description"]);
    }
}

#[test]
fn evidence_with_a_link_that_is_not_a_web_address_is_invalid() {
    for link in [
        "ftp://files.example.se/a",
        "javascript:alert(1)",
        "https://",
        "https:///path",
        "https://intra.example.se/a b",
        "intra.example.se",
    ] {
        assert!(!is_web_link(link), "{link}");
        let result = when(
            &given(in_routine_integration()),
            &consultant(),
            evidence("apt", "Minutes", Some(link)),
            &nothing_done(),
            now(),
        );
        then_invalid(result, &["link"]);
    }
    assert!(is_web_link("http://intra.example.se"));
    assert!(is_web_link("https://intra.example.se/a/b?c=d#e"));
}

#[test]
fn resolving_a_finding_records_the_resolution() {
    let event = then_one(when(
        &given(returned_once()),
        &consultant(),
        Command::ResolveFinding {
            finding_id: "f-1".into(),
            resolution: " Plan added to the APT agenda ".into(),
        },
        &nothing_done(),
        now(),
    ));
    assert_eq!(
        event.change,
        Change::FindingResolved {
            finding_id: "f-1".into(),
            resolution: "Plan added to the APT agenda".into(),
        }
    );
}

#[test]
fn resolving_a_finding_without_a_resolution_is_invalid() {
    let result = when(
        &given(returned_once()),
        &consultant(),
        Command::ResolveFinding {
            finding_id: "f-1".into(),
            resolution: "   ".into(),
        },
        &nothing_done(),
        now(),
    );
    then_invalid(result, &["resolution"]);
}

#[test]
fn recording_work_changes_neither_stage_nor_status() {
    let state = given(in_value_workshops());
    for command in data_commands() {
        let after = and_then(
            &state,
            when(
                &state,
                &consultant(),
                command.clone(),
                &nothing_done(),
                now(),
            ),
        );
        assert_eq!(
            (after.stage, after.status),
            (state.stage, state.status),
            "{command:?}"
        );
        assert_eq!(after.stage_due_at, state.stage_due_at, "{command:?}");
        assert_eq!(after.version, state.version + 1, "{command:?}");
    }
}

#[test]
fn a_paused_case_refuses_recording_work_with_paused() {
    let state = given(paused(in_value_workshops(), day(60)));
    for command in data_commands() {
        let result = when(
            &state,
            &consultant(),
            command.clone(),
            &nothing_done(),
            now(),
        );
        assert_eq!(then_err(result), DomainError::Paused, "{command:?}");
    }
}

#[test]
fn a_case_that_is_not_active_refuses_recording_work_as_not_allowed() {
    for history in [certified(), suspended(), expired(), revoked(), withdrawn()] {
        let state = given(history);
        for command in data_commands() {
            let result = when(&state, &admin(), command.clone(), &nothing_done(), now());
            match then_err(result) {
                DomainError::NotAllowed { stage, status, .. } => {
                    assert_eq!((stage, status), (state.stage, state.status))
                }
                other => panic!("{command:?} on {:?}: {other:?}", state.status),
            }
        }
    }
}

// ---- advance ----------------------------------------------------------------------

#[test]
fn advancing_from_kickoff_with_a_held_kickoff_enters_value_workshops() {
    let state = given(in_kickoff());
    let mut facts = nothing_done();
    facts.sessions = held(SessionKind::Kickoff, &[1]);
    let result = when(
        &state,
        &consultant(),
        transition(Transition::Advance),
        &facts,
        day(5),
    );
    let event = then_one(result.clone());
    assert_eq!(
        event.change,
        Change::StageAdvanced {
            from: Stage::Kickoff,
            to: Stage::ValueWorkshops,
            stage_due_at: Some(day(125)),
        }
    );
    let after = and_then(&state, result);
    assert_eq!(after.stage, Stage::ValueWorkshops);
    assert_eq!(after.stage_entered_at, day(5));
    assert_eq!(after.stage_due_at, Some(day(125)));
}

#[test]
fn advancing_from_kickoff_without_a_held_kickoff_names_the_unmet_requirement() {
    let result = when(
        &given(in_kickoff()),
        &consultant(),
        transition(Transition::Advance),
        &nothing_done(),
        now(),
    );
    match then_err(result) {
        DomainError::RequirementsUnmet(unmet) => {
            assert_eq!(unmet.len(), 1);
            assert_eq!(unmet[0].key, "kickoff_held");
            assert!(!unmet[0].met);
            assert_eq!((unmet[0].current, unmet[0].required), (0, 1));
        }
        other => panic!("expected RequirementsUnmet, got {other:?}"),
    }
}

#[test]
fn advancing_from_value_workshops_needs_enough_well_attended_workshops() {
    let state = given(in_value_workshops());
    let mut facts = nothing_done();
    facts.sessions = held(SessionKind::Workshop, &[8, 8, 8, 7, 2]);
    match then_err(when(
        &state,
        &consultant(),
        transition(Transition::Advance),
        &facts,
        now(),
    )) {
        DomainError::RequirementsUnmet(unmet) => {
            assert_eq!(unmet.len(), 1);
            assert_eq!(unmet[0].key, "workshops_held");
            assert_eq!((unmet[0].current, unmet[0].required), (3, 4));
        }
        other => panic!("expected RequirementsUnmet, got {other:?}"),
    }
    facts.sessions.extend(held(SessionKind::Workshop, &[8]));
    let event = then_one(when(
        &state,
        &consultant(),
        transition(Transition::Advance),
        &facts,
        now(),
    ));
    assert_eq!(
        event.change.stages(),
        (
            Some(Stage::ValueWorkshops),
            Some(Stage::IndividualReflection)
        )
    );
}

#[test]
fn advancing_from_individual_reflection_needs_reflections_from_80_percent() {
    let state = given(in_individual_reflection());
    let mut facts = nothing_done();
    facts.reflections_completed = 7;
    match then_err(when(
        &state,
        &consultant(),
        transition(Transition::Advance),
        &facts,
        now(),
    )) {
        DomainError::RequirementsUnmet(unmet) => {
            assert_eq!(unmet[0].key, "reflections_completed");
            assert_eq!((unmet[0].current, unmet[0].required), (7, 8));
        }
        other => panic!("expected RequirementsUnmet, got {other:?}"),
    }
    facts.reflections_completed = 8;
    let event = then_one(when(
        &state,
        &consultant(),
        transition(Transition::Advance),
        &facts,
        now(),
    ));
    assert_eq!(
        event.change,
        Change::StageAdvanced {
            from: Stage::IndividualReflection,
            to: Stage::RoutineIntegration,
            stage_due_at: Some(now() + Duration::days(120)),
        }
    );
}

#[test]
fn advancing_is_not_how_routine_integration_audit_or_certified_are_left() {
    for (history, stage, status) in [
        (
            in_routine_integration(),
            Stage::RoutineIntegration,
            Status::Active,
        ),
        (in_audit(), Stage::Audit, Status::Active),
        (certified(), Stage::Certified, Status::Certified),
    ] {
        let result = when(
            &given(history),
            &admin(),
            transition(Transition::Advance),
            &everything_done(),
            now(),
        );
        then_not_allowed(result, "advance", stage, status);
    }
}

#[test]
fn a_paused_case_refuses_advance_with_paused() {
    let result = when(
        &given(paused(in_kickoff(), day(5))),
        &consultant(),
        transition(Transition::Advance),
        &everything_done(),
        now(),
    );
    assert_eq!(then_err(result), DomainError::Paused);
}

#[test]
fn a_paused_case_refuses_the_audit_transitions_with_paused() {
    let in_ri = given(paused(in_routine_integration(), day(60)));
    let result = when(
        &in_ri,
        &consultant(),
        request_audit(AUDITOR),
        &everything_done(),
        now(),
    );
    assert_eq!(then_err(result), DomainError::Paused);
    let in_audit = given(paused(in_audit(), day(75)));
    for command in [approve(vec![]), return_with(vec![minor("f-1")])] {
        let result = when(&in_audit, &auditor(), command, &everything_done(), now());
        assert_eq!(then_err(result), DomainError::Paused);
    }
}

#[test]
fn the_whole_path_runs_from_enrolment_to_certificate_through_one_return() {
    let facts = everything_done();
    let mut resolved = everything_done();
    resolved.last_return_findings = 1;
    resolved.last_return_findings_resolved = 1;
    let steps: Vec<(Actor, Command, &CaseFacts, Stage)> = vec![
        (
            consultant(),
            Command::Enrol { consultant: None },
            &facts,
            Stage::Kickoff,
        ),
        (
            consultant(),
            transition(Transition::Advance),
            &facts,
            Stage::ValueWorkshops,
        ),
        (
            consultant(),
            transition(Transition::Advance),
            &facts,
            Stage::IndividualReflection,
        ),
        (
            consultant(),
            transition(Transition::Advance),
            &facts,
            Stage::RoutineIntegration,
        ),
        (consultant(), request_audit(AUDITOR), &facts, Stage::Audit),
        (
            auditor(),
            return_with(vec![minor("f-1")]),
            &facts,
            Stage::RoutineIntegration,
        ),
        (
            consultant(),
            Command::ResolveFinding {
                finding_id: "f-1".into(),
                resolution: "Done".into(),
            },
            &resolved,
            Stage::RoutineIntegration,
        ),
        (
            consultant(),
            request_audit(AUDITOR),
            &resolved,
            Stage::Audit,
        ),
        (auditor(), approve(vec![]), &resolved, Stage::Certified),
    ];
    let mut state = CaseState::blank();
    for (i, (actor, command, facts, stage)) in steps.into_iter().enumerate() {
        let at = day(i as i64);
        state = and_then(&state, when(&state, &actor, command, facts, at));
        assert_eq!(state.stage, stage, "step {i}");
        assert_eq!(state.version, i as u64 + 1);
    }
    assert_eq!(state.status, Status::Certified);
    assert_eq!(state.audit_round, 2);
}

// ---- request audit ----------------------------------------------------------------

#[test]
fn requesting_an_audit_with_evidence_in_every_area_enters_audit() {
    let state = given(in_routine_integration());
    let result = when(
        &state,
        &consultant(),
        request_audit(AUDITOR),
        &everything_done(),
        now(),
    );
    assert_eq!(
        then_one(result.clone()).change,
        Change::AuditRequested {
            from: Stage::RoutineIntegration,
            auditor_id: AUDITOR.into(),
            stage_due_at: Some(now() + Duration::days(30)),
        }
    );
    let after = and_then(&state, result);
    assert_eq!(after.stage, Stage::Audit);
    assert_eq!(after.auditor_id.as_deref(), Some(AUDITOR));
}

#[test]
fn requesting_an_audit_without_evidence_in_every_area_names_each_missing_area() {
    let mut facts = everything_done();
    facts.evidence_by_area.remove("quality");
    facts.evidence_by_area.insert("equality_plan".into(), 0);
    let result = when(
        &given(in_routine_integration()),
        &consultant(),
        request_audit(AUDITOR),
        &facts,
        now(),
    );
    match then_err(result) {
        DomainError::RequirementsUnmet(unmet) => {
            let keys: Vec<&str> = unmet.iter().map(|r| r.key.as_str()).collect();
            assert_eq!(keys, ["evidence_quality", "evidence_equality_plan"]);
        }
        other => panic!("expected RequirementsUnmet, got {other:?}"),
    }
}

#[test]
fn after_a_return_an_audit_needs_every_finding_resolved() {
    let mut facts = everything_done();
    facts.last_return_findings = 2;
    facts.last_return_findings_resolved = 1;
    let result = when(
        &given(returned_once()),
        &consultant(),
        request_audit(AUDITOR),
        &facts,
        now(),
    );
    match then_err(result) {
        DomainError::RequirementsUnmet(unmet) => {
            assert_eq!(unmet.len(), 1);
            assert_eq!(unmet[0].key, "findings_resolved");
            assert_eq!((unmet[0].current, unmet[0].required), (1, 2));
        }
        other => panic!("expected RequirementsUnmet, got {other:?}"),
    }
}

#[test]
fn requesting_an_audit_without_naming_an_auditor_is_invalid() {
    let result = when(
        &given(in_routine_integration()),
        &consultant(),
        transition(Transition::RequestAudit { auditor: None }),
        &everything_done(),
        now(),
    );
    then_invalid(result, &["auditor_id"]);
}

#[test]
fn the_named_auditor_must_be_an_auditor() {
    for role in [None, Some(Role::Consultant), Some(Role::Admin)] {
        let result = when(
            &given(in_routine_integration()),
            &consultant(),
            transition(Transition::RequestAudit {
                auditor: Some(named("someone", role)),
            }),
            &everything_done(),
            now(),
        );
        then_invalid(result, &["auditor_id"]);
    }
}

#[test]
fn the_auditor_may_not_be_the_consultant() {
    let result = when(
        &given(in_routine_integration()),
        &admin(),
        transition(Transition::RequestAudit {
            auditor: Some(named(CONSULTANT, Some(Role::Auditor))),
        }),
        &everything_done(),
        now(),
    );
    then_invalid(result, &["auditor_id"]);
}

#[test]
fn an_audit_is_requested_only_from_routine_integration() {
    for (history, stage, status) in [
        (in_kickoff(), Stage::Kickoff, Status::Active),
        (
            in_individual_reflection(),
            Stage::IndividualReflection,
            Status::Active,
        ),
        (in_audit(), Stage::Audit, Status::Active),
        (certified(), Stage::Certified, Status::Certified),
    ] {
        let result = when(
            &given(history),
            &admin(),
            request_audit(AUDITOR),
            &everything_done(),
            now(),
        );
        then_not_allowed(result, "request_audit", stage, status);
    }
}

// ---- approve ----------------------------------------------------------------------

#[test]
fn the_assigned_auditor_approves_the_case_into_certified() {
    let state = given(in_audit());
    let findings = vec![
        minor("f-1"),
        finding(
            "f-2",
            Severity::Observation,
            None,
            "Good practice in onboarding",
        ),
    ];
    let result = when(
        &state,
        &auditor(),
        approve(findings.clone()),
        &everything_done(),
        now(),
    );
    let event = then_one(result.clone());
    assert_eq!(
        event.change,
        Change::Approved {
            round: 1,
            findings,
            next_surveillance_due: Some(
                ProgrammeRules::inclusion_standard().next_surveillance(now())
            ),
        }
    );
    assert_eq!(event.actor_id.as_deref(), Some(AUDITOR));
    let after = and_then(&state, result);
    assert_eq!(
        (after.stage, after.status),
        (Stage::Certified, Status::Certified)
    );
    assert_eq!(after.stage_due_at, None);
    assert_eq!(after.audit_round, 1);
}

#[test]
fn approving_with_a_major_finding_is_rejected() {
    let result = when(
        &given(in_audit()),
        &auditor(),
        approve(vec![
            minor("f-1"),
            finding(
                "f-2",
                Severity::Major,
                Some("equality_plan"),
                "No equality plan",
            ),
        ]),
        &everything_done(),
        now(),
    );
    then_invalid(result, &["findings[1].severity"]);
}

#[test]
fn only_the_assigned_auditor_may_approve_or_return() {
    let others = [
        user(Role::Auditor, OTHER_AUDITOR),
        admin(),
        consultant(),
        user(Role::Coordinator, "coord-1"),
        user(Role::UnitContact, "uc-1"),
        // the right id with the wrong role
        user(Role::Admin, AUDITOR),
    ];
    for actor in others {
        for command in [approve(vec![]), return_with(vec![minor("f-1")])] {
            let result = when(
                &given(in_audit()),
                &actor,
                command,
                &everything_done(),
                now(),
            );
            assert_eq!(
                then_err(result),
                DomainError::NotAssignedAuditor,
                "{actor:?}"
            );
        }
    }
}

#[test]
fn an_auditor_who_is_also_the_consultant_may_not_sign_off() {
    // decide never assigns such an auditor, but a history may hold one (e.g. imported).
    let history = vec![
        ev(
            day(0),
            ADMIN,
            Change::Enrolled {
                consultant_id: Some(AUDITOR.into()),
                stage_due_at: None,
            },
        ),
        ev(
            day(1),
            ADMIN,
            Change::AuditRequested {
                from: Stage::RoutineIntegration,
                auditor_id: AUDITOR.into(),
                stage_due_at: None,
            },
        ),
    ];
    for command in [approve(vec![]), return_with(vec![minor("f-1")])] {
        let result = when(
            &given(history.clone()),
            &auditor(),
            command,
            &everything_done(),
            now(),
        );
        assert_eq!(then_err(result), DomainError::NotAssignedAuditor);
    }
}

#[test]
fn each_invalid_finding_names_its_field() {
    let findings = vec![
        finding("f-1", Severity::Minor, Some("apt"), "   "),
        finding("f-2", Severity::Minor, Some("sports"), "Text"),
        finding(
            "f-3",
            Severity::Observation,
            None,
            &"x".repeat(MAX_TEXT + 1),
        ),
    ];
    for command in [approve(findings.clone()), return_with(findings)] {
        let result = when(
            &given(in_audit()),
            &auditor(),
            command,
            &everything_done(),
            now(),
        );
        then_invalid(
            result,
            &["findings[0].text", "findings[1].area", "findings[2].text"],
        );
    }
}

#[test]
fn more_than_100_findings_are_invalid() {
    let findings: Vec<NewFinding> = (0..101).map(|i| minor(&format!("f-{i}"))).collect();
    let result = when(
        &given(in_audit()),
        &auditor(),
        return_with(findings),
        &everything_done(),
        now(),
    );
    then_invalid(result, &["findings"]);
    let hundred: Vec<NewFinding> = (0..100).map(|i| minor(&format!("f-{i}"))).collect();
    then_one(when(
        &given(in_audit()),
        &auditor(),
        return_with(hundred),
        &everything_done(),
        now(),
    ));
}

#[test]
fn approval_and_return_happen_only_in_audit() {
    for (history, stage, status) in [
        (
            in_routine_integration(),
            Stage::RoutineIntegration,
            Status::Active,
        ),
        (certified(), Stage::Certified, Status::Certified),
    ] {
        let state = given(history);
        then_not_allowed(
            when(
                &state,
                &auditor(),
                approve(vec![]),
                &everything_done(),
                now(),
            ),
            "approve",
            stage,
            status,
        );
        then_not_allowed(
            when(
                &state,
                &auditor(),
                return_with(vec![minor("f-1")]),
                &everything_done(),
                now(),
            ),
            "return",
            stage,
            status,
        );
    }
}

// ---- return -----------------------------------------------------------------------

#[test]
fn return_without_findings_is_invalid() {
    let result = when(
        &given(in_audit()),
        &auditor(),
        return_with(vec![]),
        &everything_done(),
        now(),
    );
    then_invalid(result, &["findings"]);
}

#[test]
fn returning_sends_the_case_back_to_routine_integration() {
    let state = given(in_audit());
    let findings = vec![finding(
        "f-1",
        Severity::Major,
        Some("equality_plan"),
        "No equality plan",
    )];
    let result = when(
        &state,
        &auditor(),
        return_with(findings.clone()),
        &everything_done(),
        now(),
    );
    assert_eq!(
        then_one(result.clone()).change,
        Change::Returned {
            to: Stage::RoutineIntegration,
            round: 1,
            findings,
            stage_due_at: Some(now() + Duration::days(120)),
        }
    );
    let after = and_then(&state, result);
    assert_eq!(
        (after.stage, after.status),
        (Stage::RoutineIntegration, Status::Active)
    );
    assert_eq!(after.audit_round, 1);
    assert_eq!(after.stage_entered_at, now());
}

#[test]
fn audit_rounds_count_on_after_a_return() {
    let mut history = returned_once();
    history.push(ev(
        day(85),
        CONSULTANT,
        Change::AuditRequested {
            from: Stage::RoutineIntegration,
            auditor_id: OTHER_AUDITOR.into(),
            stage_due_at: None,
        },
    ));
    let state = given(history);
    let result = when(
        &state,
        &user(Role::Auditor, OTHER_AUDITOR),
        approve(vec![]),
        &everything_done(),
        now(),
    );
    assert_eq!(
        then_one(result).change,
        Change::Approved {
            round: 2,
            findings: vec![],
            next_surveillance_due: Some(
                ProgrammeRules::inclusion_standard().next_surveillance(now())
            ),
        }
    );
    // The auditor of the first round is no longer the assigned one.
    let result = when(
        &state,
        &auditor(),
        approve(vec![]),
        &everything_done(),
        now(),
    );
    assert_eq!(then_err(result), DomainError::NotAssignedAuditor);
}

// ---- pause and resume -------------------------------------------------------------

#[test]
fn pausing_an_active_case_pauses_it_in_its_stage() {
    let state = given(in_value_workshops());
    let after = and_then(
        &state,
        when(
            &state,
            &consultant(),
            transition(Transition::Pause),
            &nothing_done(),
            day(60),
        ),
    );
    assert_eq!(
        (after.stage, after.status),
        (Stage::ValueWorkshops, Status::Paused)
    );
    assert_eq!(after.paused_at, Some(day(60)));
    assert_eq!(after.stage_due_at, state.stage_due_at);
    assert!(
        !after.is_overdue(day(1000)),
        "a paused case is never overdue"
    );
}

#[test]
fn pausing_is_only_for_an_active_case() {
    for (history, stage, status) in [
        (paused(in_kickoff(), day(5)), Stage::Kickoff, Status::Paused),
        (certified(), Stage::Certified, Status::Certified),
        (withdrawn(), Stage::ValueWorkshops, Status::Withdrawn),
    ] {
        let result = when(
            &given(history),
            &admin(),
            transition(Transition::Pause),
            &nothing_done(),
            now(),
        );
        then_not_allowed(result, "pause", stage, status);
    }
}

#[test]
fn resume_moves_the_deadline_by_the_paused_time() {
    // In value workshops since day 10, due day 130, paused on day 60 and resumed on day 90.
    let state = given(paused(in_value_workshops(), day(60)));
    let result = when(
        &state,
        &consultant(),
        transition(Transition::Resume),
        &nothing_done(),
        day(90),
    );
    assert_eq!(
        then_one(result.clone()).change,
        Change::Resumed {
            stage_due_at: Some(day(160)),
        }
    );
    let after = and_then(&state, result);
    assert_eq!(after.status, Status::Active);
    assert_eq!(after.paused_at, None);
    assert_eq!(after.stage_due_at, Some(day(160)));
    assert_eq!(after.stage, Stage::ValueWorkshops);
}

#[test]
fn resuming_a_case_without_a_deadline_keeps_it_without_one() {
    let history = vec![
        ev(
            day(0),
            ADMIN,
            Change::Enrolled {
                consultant_id: None,
                stage_due_at: None,
            },
        ),
        ev(day(3), ADMIN, Change::Paused),
    ];
    let result = when(
        &given(history),
        &admin(),
        transition(Transition::Resume),
        &nothing_done(),
        now(),
    );
    assert_eq!(
        then_one(result).change,
        Change::Resumed { stage_due_at: None }
    );
}

#[test]
fn resuming_is_only_for_a_paused_case() {
    for (history, stage, status) in [
        (in_kickoff(), Stage::Kickoff, Status::Active),
        (suspended(), Stage::Certified, Status::Suspended),
    ] {
        let result = when(
            &given(history),
            &admin(),
            transition(Transition::Resume),
            &nothing_done(),
            now(),
        );
        then_not_allowed(result, "resume", stage, status);
    }
}

// ---- withdraw ---------------------------------------------------------------------

#[test]
fn an_active_or_paused_case_may_be_withdrawn() {
    for history in [in_audit(), paused(in_kickoff(), day(5))] {
        let state = given(history);
        let after = and_then(
            &state,
            when(
                &state,
                &consultant(),
                transition(withdraw()),
                &nothing_done(),
                now(),
            ),
        );
        assert_eq!(after.status, Status::Withdrawn);
        assert_eq!(after.stage, state.stage);
        assert!(!after.status.is_live());
    }
}

#[test]
fn withdrawing_cancels_the_sessions_still_to_come_and_keeps_the_rest() {
    // Given a case with sessions: to come, to come but cancelled, held, started
    let state = given(in_value_workshops());
    let at = |id: &str, starts: DateTime<Utc>| SessionSnapshot {
        id: id.into(),
        starts_at: starts,
        ends_at: starts + Duration::hours(2),
        ..session()
    };
    let upcoming = SessionSnapshot {
        sequence: 2,
        ..at("to-come", now() + Duration::days(3))
    };
    let cancelled = SessionSnapshot {
        cancelled: true,
        ..at("cancelled", now() + Duration::days(4))
    };
    let held = SessionSnapshot {
        attended: Some(8),
        ..at("held", now() - Duration::days(10))
    };
    let started = at("started", now() - Duration::hours(1));
    let later = at("later", now() + Duration::days(30));
    // When the consultant withdraws it
    let events = when(
        &state,
        &consultant(),
        transition(Transition::Withdraw {
            sessions: vec![upcoming, cancelled, held, started, later],
        }),
        &nothing_done(),
        now(),
    )
    .expect("withdrawn");
    // Then it is withdrawn, and the two sessions still to come are cancelled
    assert_eq!(events[0].change, Change::Withdrawn);
    assert_eq!(
        events[1..]
            .iter()
            .map(|e| e.change.clone())
            .collect::<Vec<_>>(),
        vec![
            Change::SessionCancelled {
                session_id: "to-come".into(),
                sequence: 3,
            },
            Change::SessionCancelled {
                session_id: "later".into(),
                sequence: 1,
            },
        ]
    );
    assert!(events.iter().all(|e| e.at == now()));
    assert_eq!(and_then(&state, Ok(events)).status, Status::Withdrawn);
}

#[test]
fn a_refused_withdrawal_cancels_nothing() {
    let result = when(
        &given(certified()),
        &admin(),
        transition(Transition::Withdraw {
            sessions: vec![SessionSnapshot {
                starts_at: now() + Duration::days(3),
                ends_at: now() + Duration::days(3) + Duration::hours(2),
                ..session()
            }],
        }),
        &nothing_done(),
        now(),
    );
    then_not_allowed(result, "withdraw", Stage::Certified, Status::Certified);
}

#[test]
fn withdraw_is_final() {
    let state = given(withdrawn());
    for command in every_command() {
        let result = when(&state, &admin(), command.clone(), &everything_done(), now());
        assert!(result.is_err(), "{command:?} after withdrawal: {result:?}");
    }
    then_not_allowed(
        when(
            &state,
            &admin(),
            transition(withdraw()),
            &nothing_done(),
            now(),
        ),
        "withdraw",
        Stage::ValueWorkshops,
        Status::Withdrawn,
    );
}

#[test]
fn a_certified_case_cannot_be_withdrawn() {
    for (history, status) in [
        (certified(), Status::Certified),
        (suspended(), Status::Suspended),
        (expired(), Status::Expired),
    ] {
        let result = when(
            &given(history),
            &admin(),
            transition(withdraw()),
            &nothing_done(),
            now(),
        );
        then_not_allowed(result, "withdraw", Stage::Certified, status);
    }
}

// ---- suspend, reinstate, revoke ---------------------------------------------------

#[test]
fn suspend_needs_a_reason() {
    let state = given(certified());
    let result = when(
        &state,
        &admin(),
        transition(Transition::Suspend),
        &nothing_done(),
        now(),
    );
    then_invalid(result, &["comment"]);
    let blank = when(
        &state,
        &admin(),
        with_comment(Transition::Suspend, "  \t"),
        &nothing_done(),
        now(),
    );
    then_invalid(blank, &["comment"]);
}

#[test]
fn suspending_a_certified_case_keeps_the_reason_on_the_event() {
    let state = given(certified());
    let result = when(
        &state,
        &admin(),
        with_comment(Transition::Suspend, "  Complaint under review "),
        &nothing_done(),
        now(),
    );
    let event = then_one(result.clone());
    assert_eq!(event.change, Change::Suspended);
    assert_eq!(event.comment.as_deref(), Some("Complaint under review"));
    let after = and_then(&state, result);
    assert_eq!(
        (after.stage, after.status),
        (Stage::Certified, Status::Suspended)
    );
    assert!(after.status.is_live());
}

#[test]
fn only_a_certified_case_may_be_suspended() {
    for (history, stage, status) in [
        (in_audit(), Stage::Audit, Status::Active),
        (suspended(), Stage::Certified, Status::Suspended),
        (expired(), Stage::Certified, Status::Expired),
    ] {
        let result = when(
            &given(history),
            &admin(),
            with_comment(Transition::Suspend, "Why"),
            &nothing_done(),
            now(),
        );
        then_not_allowed(result, "suspend", stage, status);
    }
}

#[test]
fn reinstating_a_suspended_case_certifies_it_again() {
    let state = given(suspended());
    let after = and_then(
        &state,
        when(
            &state,
            &admin(),
            transition(Transition::Reinstate),
            &nothing_done(),
            now(),
        ),
    );
    assert_eq!(
        (after.stage, after.status),
        (Stage::Certified, Status::Certified)
    );
}

#[test]
fn only_a_suspended_case_may_be_reinstated() {
    for (history, stage, status) in [
        (certified(), Stage::Certified, Status::Certified),
        (revoked(), Stage::Certified, Status::Revoked),
        (in_kickoff(), Stage::Kickoff, Status::Active),
    ] {
        let result = when(
            &given(history),
            &admin(),
            transition(Transition::Reinstate),
            &nothing_done(),
            now(),
        );
        then_not_allowed(result, "reinstate", stage, status);
    }
}

#[test]
fn revoke_needs_a_reason() {
    for history in [certified(), suspended()] {
        let result = when(
            &given(history),
            &admin(),
            transition(Transition::Revoke),
            &nothing_done(),
            now(),
        );
        then_invalid(result, &["comment"]);
    }
}

#[test]
fn a_certified_or_suspended_case_may_be_revoked() {
    for history in [certified(), suspended()] {
        let state = given(history);
        let result = when(
            &state,
            &admin(),
            with_comment(Transition::Revoke, "Fraud"),
            &nothing_done(),
            now(),
        );
        assert_eq!(then_one(result.clone()).comment.as_deref(), Some("Fraud"));
        let after = and_then(&state, result);
        assert_eq!(
            (after.stage, after.status),
            (Stage::Certified, Status::Revoked)
        );
        assert!(!after.status.is_live());
    }
}

#[test]
fn revoking_a_case_that_holds_no_certificate_is_not_allowed() {
    for (history, stage, status) in [
        (in_audit(), Stage::Audit, Status::Active),
        (expired(), Stage::Certified, Status::Expired),
        (revoked(), Stage::Certified, Status::Revoked),
    ] {
        let result = when(
            &given(history),
            &admin(),
            with_comment(Transition::Revoke, "Why"),
            &nothing_done(),
            now(),
        );
        then_not_allowed(result, "revoke", stage, status);
    }
}

#[test]
fn revocation_is_final() {
    let state = given(revoked());
    for command in every_command() {
        let result = when(&state, &admin(), command.clone(), &everything_done(), now());
        assert!(result.is_err(), "{command:?} after revocation: {result:?}");
    }
}

// ---- renew ------------------------------------------------------------------------

#[test]
fn renewal_starts_a_new_cycle_at_value_workshops() {
    let state = given(certified());
    assert_eq!(state.reflections_completed, 9);
    let result = when(
        &state,
        &consultant(),
        transition(Transition::Renew),
        &nothing_done(),
        now(),
    );
    assert_eq!(
        then_one(result.clone()).change,
        Change::Renewed {
            to: Stage::ValueWorkshops,
            cycle: 2,
            stage_due_at: Some(now() + Duration::days(120)),
        }
    );
    let after = and_then(&state, result);
    assert_eq!(
        (after.stage, after.status),
        (Stage::ValueWorkshops, Status::Active)
    );
    assert_eq!(after.cycle, 2);
    assert_eq!(after.auditor_id, None);
    assert_eq!(after.reflections_completed, 0);
    assert_eq!(after.stage_entered_at, now());
    assert_eq!(after.consultant_id.as_deref(), Some(CONSULTANT));
    assert_eq!(after.audit_round, 1, "audit rounds count over all cycles");
}

#[test]
fn an_expired_case_may_be_renewed() {
    let state = given(expired());
    let after = and_then(
        &state,
        when(
            &state,
            &consultant(),
            transition(Transition::Renew),
            &nothing_done(),
            now(),
        ),
    );
    assert_eq!(
        (after.stage, after.status, after.cycle),
        (Stage::ValueWorkshops, Status::Active, 2)
    );
}

#[test]
fn renewing_a_case_that_is_not_certified_or_expired_is_not_allowed() {
    for (history, stage, status) in [
        (in_audit(), Stage::Audit, Status::Active),
        (suspended(), Stage::Certified, Status::Suspended),
        (revoked(), Stage::Certified, Status::Revoked),
        (withdrawn(), Stage::ValueWorkshops, Status::Withdrawn),
    ] {
        let result = when(
            &given(history),
            &admin(),
            transition(Transition::Renew),
            &nothing_done(),
            now(),
        );
        then_not_allowed(result, "renew", stage, status);
    }
}

#[test]
fn a_renewed_case_needs_a_new_audit_by_a_newly_assigned_auditor() {
    let mut history = certified();
    history.push(ev(
        day(85),
        CONSULTANT,
        Change::Renewed {
            to: Stage::ValueWorkshops,
            cycle: 2,
            stage_due_at: None,
        },
    ));
    let state = given(history);
    // The old auditor is no longer assigned, and the case is not in audit.
    then_not_allowed(
        when(
            &state,
            &auditor(),
            approve(vec![]),
            &everything_done(),
            now(),
        ),
        "approve",
        Stage::ValueWorkshops,
        Status::Active,
    );
    // Renewal starts at value workshops: the kickoff is not repeated.
    let event = then_one(when(
        &state,
        &consultant(),
        transition(Transition::Advance),
        &everything_done(),
        now(),
    ));
    assert_eq!(
        event.change.stages(),
        (
            Some(Stage::ValueWorkshops),
            Some(Stage::IndividualReflection)
        )
    );
}

// ---- expire -----------------------------------------------------------------------

#[test]
fn expire_only_from_certified_or_suspended() {
    for history in [certified(), suspended()] {
        let state = given(history);
        let after = and_then(
            &state,
            when(&state, &admin(), Command::Expire, &nothing_done(), now()),
        );
        assert_eq!(
            (after.stage, after.status),
            (Stage::Certified, Status::Expired)
        );
        assert!(!after.status.is_live());
    }
    for (history, stage, status) in [
        (in_audit(), Stage::Audit, Status::Active),
        (paused(in_kickoff(), day(5)), Stage::Kickoff, Status::Paused),
        (expired(), Stage::Certified, Status::Expired),
        (revoked(), Stage::Certified, Status::Revoked),
        (withdrawn(), Stage::ValueWorkshops, Status::Withdrawn),
    ] {
        let result = when(
            &given(history),
            &admin(),
            Command::Expire,
            &nothing_done(),
            now(),
        );
        then_not_allowed(result, "expire", stage, status);
    }
}

#[test]
fn an_expired_case_accepts_only_renewal() {
    let state = given(expired());
    for command in every_command() {
        let result = when(
            &state,
            &consultant(),
            command.clone(),
            &everything_done(),
            now(),
        );
        let is_renew = matches!(
            command,
            Command::Transition {
                transition: Transition::Renew,
                ..
            }
        );
        assert_eq!(result.is_ok(), is_renew, "{command:?}: {result:?}");
    }
}

// ---- comments ---------------------------------------------------------------------

#[test]
fn a_comment_is_trimmed_onto_the_event_and_a_blank_one_is_dropped() {
    let state = given(in_kickoff());
    let event = then_one(when(
        &state,
        &consultant(),
        with_comment(Transition::Pause, "  Summer break "),
        &nothing_done(),
        now(),
    ));
    assert_eq!(event.comment.as_deref(), Some("Summer break"));
    let event = then_one(when(
        &state,
        &consultant(),
        with_comment(Transition::Pause, "   "),
        &nothing_done(),
        now(),
    ));
    assert_eq!(event.comment, None);
}

#[test]
fn a_comment_over_max_text_characters_is_invalid() {
    let result = when(
        &given(in_kickoff()),
        &consultant(),
        with_comment(Transition::Pause, &"x".repeat(MAX_TEXT + 1)),
        &nothing_done(),
        now(),
    );
    then_invalid(result, &["comment"]);
    let at_limit = when(
        &given(in_kickoff()),
        &consultant(),
        with_comment(Transition::Pause, &"å".repeat(MAX_TEXT)),
        &nothing_done(),
        now(),
    );
    then_one(at_limit);
}

#[test]
fn every_event_records_who_and_when() {
    let state = given(in_kickoff());
    let at = day(3) + Duration::minutes(17);
    let event = then_one(when(
        &state,
        &user(Role::Coordinator, "coord-1"),
        Command::RecordMeasure {
            measure: Measure::Reflections,
            completed: 1,
        },
        &nothing_done(),
        at,
    ));
    assert_eq!(event.at, at);
    assert_eq!(event.actor_id.as_deref(), Some("coord-1"));
}
