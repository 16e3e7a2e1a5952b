//! Attendance and reflection thresholds against an independent formula: a count
//! reaches `pct` % of the headcount exactly when `100 × count ≥ pct × headcount`.
//! Counts are generated around that boundary (not all or nothing), and the judge is
//! `decide` itself, so whatever rounding it uses must agree with the formula. Then the
//! same boundary over HTTP for 80 % of 11 (8.8: 8 is short, 9 is enough).

use chrono::{TimeZone, Utc};
use proptest::prelude::*;
use serde_json::json;
use stegvis::domain::command::{Command, Transition};
use stegvis::domain::decide::{decide, Facts};
use stegvis::domain::error::DomainError;
use stegvis::domain::programme::ProgrammeRules;
use stegvis::domain::requirements::{CaseFacts, HeldSession};
use stegvis::domain::stage::{Stage, Status};
use stegvis::domain::state::CaseState;
use stegvis::domain::{Actor, Role, SessionKind};

use crate::helpers::spawn_app;

/// The independent rule.
fn reaches(count: u32, pct: u32, headcount: u32) -> bool {
    100 * u64::from(count) >= u64::from(pct) * u64::from(headcount)
}

fn state_in(stage: Stage) -> CaseState {
    CaseState {
        stage,
        status: Status::Active,
        version: 5,
        consultant_id: Some("cons".into()),
        cycle: 1,
        stage_entered_at: Utc.with_ymd_and_hms(2026, 1, 1, 8, 0, 0).unwrap(),
        ..CaseState::blank()
    }
}

/// Whether the case's consultant may advance from `stage` on these facts.
fn advance(stage: Stage, rules: &ProgrammeRules, facts: &CaseFacts) -> Result<(), DomainError> {
    let consultant = Actor {
        id: "cons".into(),
        role: Role::Consultant,
        organisation_id: None,
        unit_id: None,
    };
    let command = Command::Transition {
        transition: Transition::Advance,
        comment: None,
    };
    let now = Utc.with_ymd_and_hms(2026, 2, 1, 8, 0, 0).unwrap();
    decide(
        &state_in(stage),
        &consultant,
        &command,
        Facts {
            rules,
            counts: facts,
        },
        now,
    )
    .map(|_| ())
}

/// (headcount, pct, count) with the count within 3 of the exact boundary.
fn near_the_boundary() -> impl Strategy<Value = (u32, u32, u32)> {
    (1u32..=2000, 1u32..=100, -3i64..=3).prop_map(|(headcount, pct, delta)| {
        let exact = i64::from(headcount) * i64::from(pct) / 100;
        let count = (exact + delta).clamp(0, i64::from(headcount)) as u32;
        (headcount, pct, count)
    })
}

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 2000,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn a_workshop_counts_exactly_when_100_times_attended_reaches_pct_times_headcount(
        (headcount, pct, attended) in near_the_boundary(),
        workshops in 1u32..=6,
    ) {
        let rules = ProgrammeRules {
            workshops_required: workshops,
            attendance_threshold_pct: pct,
            ..ProgrammeRules::inclusion_standard()
        }
        .with_flat_path();
        // Every workshop but one well attended; the last one at the generated count.
        let mut attendance = vec![headcount; workshops as usize - 1];
        attendance.push(attended);
        let facts = CaseFacts {
            headcount,
            sessions: attendance
                .into_iter()
                .map(|attended| HeldSession {
                    kind: SessionKind::Workshop,
                    attended,
                    documented: false,
                })
                .collect(),
            ..CaseFacts::default()
        };
        let outcome = advance(Stage::ValueWorkshops, &rules, &facts);
        if reaches(attended, pct, headcount) {
            prop_assert!(outcome.is_ok(), "{attended} of {headcount} at {pct} %: {outcome:?}");
        } else {
            prop_assert!(
                matches!(outcome, Err(DomainError::RequirementsUnmet(_))),
                "{attended} of {headcount} at {pct} % is short: {outcome:?}"
            );
        }
    }

    #[test]
    fn reflections_suffice_exactly_when_100_times_completed_reaches_pct_times_headcount(
        (headcount, pct, completed) in near_the_boundary(),
    ) {
        let rules = ProgrammeRules {
            reflection_threshold_pct: pct,
            ..ProgrammeRules::inclusion_standard()
        }
        .with_flat_path();
        let facts = CaseFacts {
            headcount,
            reflections_completed: completed,
            ..CaseFacts::default()
        };
        let outcome = advance(Stage::IndividualReflection, &rules, &facts);
        if reaches(completed, pct, headcount) {
            prop_assert!(outcome.is_ok(), "{completed} of {headcount} at {pct} %: {outcome:?}");
        } else {
            prop_assert!(
                matches!(outcome, Err(DomainError::RequirementsUnmet(_))),
                "{completed} of {headcount} at {pct} % is short: {outcome:?}"
            );
        }
    }
}

#[test]
fn the_generator_reaches_both_sides_of_the_boundary() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::{Config, RngSeed, TestRunner};
    let mut runner = TestRunner::new(Config {
        rng_seed: RngSeed::Fixed(18),
        ..Config::default()
    });
    let (mut short, mut enough, mut exact) = (0, 0, 0);
    for _ in 0..2000 {
        let (headcount, pct, count) = near_the_boundary()
            .new_tree(&mut runner)
            .expect("a value")
            .current();
        if reaches(count, pct, headcount) {
            enough += 1;
        } else {
            short += 1;
        }
        if 100 * u64::from(count) == u64::from(pct) * u64::from(headcount) {
            exact += 1;
        }
    }
    assert!(
        short > 500 && enough > 500,
        "short {short}, enough {enough}"
    );
    assert!(exact > 10, "exactly on the boundary {exact} times");
}

#[actix_rt::test]
async fn eighty_percent_of_eleven_needs_nine_attendees_over_http() {
    let app = spawn_app().await;
    let world = app.given_a_case().await;
    let unit = app.create_unit(&world.organisation_id, 11).await;
    let case = app
        .enrol(&world.consultant.token, &unit)
        .await
        .should_be(201)
        .id();
    let token = &world.consultant.token;
    app.hold_session(token, &case, "kickoff", 9).await;
    app.transition(token, &case, &json!({ "action": "advance" }))
        .await
        .should_be(200);
    // Four workshops at 8 of 11 (72.7 %): none counts.
    let mut sessions = Vec::new();
    for _ in 0..4 {
        sessions.push(app.hold_session(token, &case, "workshop", 8).await);
    }
    let refused = app
        .transition(token, &case, &json!({ "action": "advance" }))
        .await
        .should_be_problem(422, None);
    assert_eq!(refused.unmet_keys(), vec!["workshops_held"]);
    let held = crate::helpers::requirement(&app.case(&case).await, "workshops_held");
    assert_eq!(held["current"], 0, "8 of 11 is short of 80 %: {held}");
    assert_eq!(held["required"], 4);
    // At 9 of 11 (81.8 %) each counts.
    for sid in &sessions {
        app.put_attendance(token, &case, sid, 9)
            .await
            .should_be(200);
    }
    let held = crate::helpers::requirement(&app.case(&case).await, "workshops_held");
    assert_eq!(held["current"], 4, "9 of 11 reaches 80 %: {held}");
    app.transition(token, &case, &json!({ "action": "advance" }))
        .await
        .should_be(200);
    assert_eq!(app.case(&case).await["stage"], "individual_reflection");
}
