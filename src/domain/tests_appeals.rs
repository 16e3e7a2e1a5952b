//! Appeals and complaints, given / when / then: what may be appealed, once, and what
//! an outcome does to the case.

use super::command::Command;
use super::conflict::ConflictCode;
use super::error::DomainError;
use super::event::Change;
use super::outcomes::{AppealGround, AppealOutcome, ComplaintOutcome};
use super::stage::{Stage, Status};
use super::state::CaseState;
use super::tests_decide::{
    admin, and_then, auditor, certified, consultant, day, ev, given, in_audit, nothing_done, now,
    returned_once, then_err, then_invalid, then_one, when, ADMIN, AUDITOR,
};
use super::values::Actor;

fn file(text: &str) -> Command {
    Command::FileAppeal {
        appeal_id: "ap-1".into(),
        text: text.into(),
    }
}

fn decide_appeal(ground: AppealGround, outcome: AppealOutcome) -> Command {
    Command::DecideAppeal {
        appeal_id: "ap-1".into(),
        ground,
        outcome,
        comment: Some("Prövat".into()),
    }
}

fn suspended() -> Vec<super::event::Event> {
    let mut history = certified();
    history.push(ev(day(90), ADMIN, Change::Suspended));
    history
}

fn after(state: &CaseState, actor: &Actor, command: Command) -> CaseState {
    and_then(state, when(state, actor, command, &nothing_done(), now()))
}

#[test]
fn a_returned_case_is_appealed_against_its_return_with_the_text_as_comment() {
    let state = given(returned_once());
    let event = then_one(when(
        &state,
        &consultant(),
        file("  Vi har rutinen.  "),
        &nothing_done(),
        now(),
    ));
    assert_eq!(
        event.change,
        Change::AppealFiled {
            appeal_id: "ap-1".into(),
            ground: AppealGround::Return,
        }
    );
    assert_eq!(event.comment.as_deref(), Some("Vi har rutinen."));
}

#[test]
fn a_case_with_no_return_or_suspension_in_force_has_nothing_to_appeal() {
    for history in [in_audit(), certified()] {
        let state = given(history);
        assert_eq!(
            then_err(when(
                &state,
                &consultant(),
                file("Varför?"),
                &nothing_done(),
                now()
            )),
            DomainError::conflict(ConflictCode::NothingToAppeal)
        );
    }
}

#[test]
fn a_blank_appeal_names_the_text() {
    let state = given(returned_once());
    then_invalid(
        when(&state, &consultant(), file("   "), &nothing_done(), now()),
        &["text"],
    );
}

#[test]
fn one_appeal_is_open_at_a_time_and_a_decided_return_is_not_appealed_again() {
    let state = after(&given(returned_once()), &consultant(), file("Nej"));
    assert_eq!(
        then_err(when(
            &state,
            &consultant(),
            file("Igen"),
            &nothing_done(),
            now()
        )),
        DomainError::conflict(ConflictCode::AppealOpen)
    );
    let state = after(
        &state,
        &admin(),
        decide_appeal(AppealGround::Return, AppealOutcome::Rejected),
    );
    assert_eq!(state.open_appeal_id, None);
    assert_eq!(
        then_err(when(
            &state,
            &consultant(),
            file("Igen"),
            &nothing_done(),
            now()
        )),
        DomainError::conflict(ConflictCode::NothingToAppeal)
    );
    assert_eq!(
        then_err(when(
            &state,
            &admin(),
            decide_appeal(AppealGround::Return, AppealOutcome::Upheld),
            &nothing_done(),
            now()
        )),
        DomainError::conflict(ConflictCode::AlreadyDecided)
    );
}

#[test]
fn an_upheld_appeal_of_a_return_puts_the_case_back_in_audit_with_its_auditor() {
    let state = after(&given(returned_once()), &consultant(), file("Nej"));
    let result = when(
        &state,
        &admin(),
        decide_appeal(AppealGround::Return, AppealOutcome::Upheld),
        &nothing_done(),
        now(),
    );
    let events = result.clone().unwrap();
    assert_eq!(events.len(), 2, "{events:?}");
    assert_eq!(events[0].comment.as_deref(), Some("Prövat"));
    assert!(matches!(
        &events[1].change,
        Change::AuditRequested { auditor_id, .. } if auditor_id == AUDITOR
    ));
    let state = and_then(&state, result);
    assert_eq!(state.stage, Stage::Audit);
    assert_eq!(state.auditor_id.as_deref(), Some(AUDITOR));
    // The assigned auditor decides again.
    assert!(when(
        &state,
        &auditor(),
        Command::Transition {
            transition: super::command::Transition::Approve { findings: vec![] },
            comment: None,
        },
        &super::tests_decide::everything_done(),
        now(),
    )
    .is_ok());
}

#[test]
fn an_upheld_appeal_of_a_suspension_reinstates_and_a_rejected_one_changes_nothing() {
    let state = after(&given(suspended()), &consultant(), file("Obefogat"));
    let upheld = after(
        &state,
        &admin(),
        decide_appeal(AppealGround::Suspension, AppealOutcome::Upheld),
    );
    assert_eq!(upheld.status, Status::Certified);
    let rejected = after(
        &state,
        &admin(),
        decide_appeal(AppealGround::Suspension, AppealOutcome::Rejected),
    );
    assert_eq!(rejected.status, Status::Suspended);
}

#[test]
fn an_upheld_appeal_whose_decision_no_longer_stands_changes_only_the_record() {
    let state = after(&given(suspended()), &consultant(), file("Obefogat"));
    let reinstated = after(
        &state,
        &admin(),
        Command::Transition {
            transition: super::command::Transition::Reinstate,
            comment: None,
        },
    );
    let event = then_one(when(
        &reinstated,
        &admin(),
        decide_appeal(AppealGround::Suspension, AppealOutcome::Upheld),
        &nothing_done(),
        now(),
    ));
    assert!(matches!(event.change, Change::AppealDecided { .. }));
}

#[test]
fn a_complaint_and_its_outcome_are_events_that_change_nothing_else() {
    let state = given(certified());
    let received = after(
        &state,
        &admin(),
        Command::ReceiveComplaint {
            complaint_id: "co-1".into(),
        },
    );
    let decided = after(
        &received,
        &admin(),
        Command::DecideComplaint {
            complaint_id: "co-1".into(),
            outcome: ComplaintOutcome::Upheld,
            comment: None,
        },
    );
    assert_eq!(decided.version, state.version + 2);
    assert_eq!(
        CaseState {
            version: state.version,
            ..decided
        },
        state
    );
}

// ---- the separate certification decision ------------------------------------------

fn decided_by_admin(
    state: &CaseState,
    actor: &Actor,
    command: Command,
) -> Result<Vec<super::event::Event>, DomainError> {
    let mut rules = super::programme::ProgrammeRules::inclusion_standard();
    rules.decision_by = super::outcomes::DecisionBy::Admin;
    super::decide::decide(
        state,
        actor,
        &command,
        super::decide::Facts {
            rules: &rules,
            counts: &super::tests_decide::everything_done(),
        },
        now(),
    )
}

fn approve() -> Command {
    Command::Transition {
        transition: super::command::Transition::Approve { findings: vec![] },
        comment: None,
    }
}

fn certify() -> Command {
    Command::Decide {
        outcome: super::outcomes::DecisionOutcome::Certify,
        comment: None,
    }
}

#[test]
fn where_an_admin_decides_the_auditors_approval_recommends_and_the_case_stays_in_audit() {
    let state = given(in_audit());
    let result = decided_by_admin(&state, &auditor(), approve());
    let event = then_one(result.clone());
    assert_eq!(
        event.change,
        Change::Recommended {
            round: 1,
            findings: vec![]
        }
    );
    let state = and_then(&state, result);
    assert_eq!((state.stage, state.status), (Stage::Audit, Status::Active));
    assert_eq!(state.recommended_at, Some(now()));
    assert_eq!(
        then_err(decided_by_admin(&state, &auditor(), approve())),
        DomainError::conflict(ConflictCode::AwaitingDecision)
    );
}

#[test]
fn the_decision_certifies_as_an_approval_and_needs_a_recommendation() {
    let state = given(in_audit());
    assert_eq!(
        then_err(decided_by_admin(&state, &admin(), certify())),
        DomainError::conflict(ConflictCode::NoRecommendation)
    );
    let recommended = and_then(&state, decided_by_admin(&state, &auditor(), approve()));
    let result = decided_by_admin(&recommended, &admin(), certify());
    assert!(matches!(
        then_one(result.clone()).change,
        Change::Approved { round: 1, .. }
    ));
    let certified = and_then(&recommended, result);
    assert_eq!(certified.status, Status::Certified);
    assert_eq!(certified.recommended_at, None);
}
