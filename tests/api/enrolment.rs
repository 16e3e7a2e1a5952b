//! Enrolling a unit: the new case, and at most one live case per unit and programme.

use serde_json::json;

use crate::helpers::{etag_of, requirement_keys, spawn_app, time, START};

#[actix_rt::test]
async fn a_consultant_enrolling_a_unit_gets_a_kickoff_case_assigned_to_themself() {
    // Given a unit of 10 and a consultant
    let app = spawn_app().await;
    let org = app.create_organisation("Järfälla kommun").await;
    let unit = app.create_unit(&org, 10).await;
    let consultant = app.create_user("consultant", None, None).await;
    // When the consultant enrols the unit
    let reply = app.enrol(&consultant.token, &unit).await;
    // Then a case is created in kickoff, active, version 1, theirs
    let reply = reply.should_be(201);
    assert!(reply.header("location").is_some(), "a Location header");
    let case = &reply.body;
    assert_eq!(case["stage"], "kickoff");
    assert_eq!(case["status"], "active");
    assert_eq!(case["version"], 1);
    assert_eq!(reply.etag(), etag_of(1));
    assert_eq!(case["consultant_id"], consultant.id);
    assert!(case["auditor_id"].is_null(), "no auditor yet: {case}");
    assert!(case["certificate"].is_null(), "no certificate yet: {case}");
    assert_eq!(case["cycle"], 1);
    assert_eq!(case["unit"]["id"], unit);
    assert_eq!(case["unit"]["organisation_id"], org);
    assert_eq!(case["unit"]["headcount"], 10);
    assert_eq!(case["programme"]["key"], "inclusion-standard");
    assert_eq!(case["programme"]["version"], 1);
    assert_eq!(
        time(case["stage_entered_at"].as_str().expect("stage_entered_at")),
        time(START)
    );
    assert!(time(case["stage_due_at"].as_str().expect("stage_due_at")) > time(START));
    assert_eq!(case["overdue"], false);
    // And its requirements are the kickoff's, not yet met
    assert_eq!(requirement_keys(case), vec!["kickoff_held"]);
    assert_eq!(case["requirements"][0]["met"], false);
    assert_eq!(case["requirements"][0]["current"], 0);
    assert_eq!(case["requirements"][0]["required"], 1);
    // And its history starts with the enrolment
    let events = app
        .get_events(&consultant.token, &reply.id())
        .await
        .should_be(200)
        .items();
    assert_eq!(events.len(), 1);
    assert_eq!(events[0]["kind"], "enrolled");
    assert_eq!(events[0]["actor_id"], consultant.id);
}

#[actix_rt::test]
async fn an_admin_enrolling_names_the_consultant() {
    let app = spawn_app().await;
    let org = app.create_organisation("Org").await;
    let unit = app.create_unit(&org, 10).await;
    let consultant = app.create_user("consultant", None, None).await;
    let programme_id = app.default_programme_id().await;
    let body =
        json!({ "unit_id": unit, "programme_id": programme_id, "consultant_id": consultant.id });
    let reply = app.post_cases(&app.admin.token, &body).await.should_be(201);
    assert_eq!(reply.body["consultant_id"], consultant.id);
}

#[actix_rt::test]
async fn naming_a_non_consultant_as_the_consultant_is_422() {
    let app = spawn_app().await;
    let org = app.create_organisation("Org").await;
    let unit = app.create_unit(&org, 10).await;
    let auditor = app.create_user("auditor", None, None).await;
    let programme_id = app.default_programme_id().await;
    let body =
        json!({ "unit_id": unit, "programme_id": programme_id, "consultant_id": auditor.id });
    let reply = app.post_cases(&app.admin.token, &body).await;
    reply.should_be_problem(422, Some("consultant_id"));
    let cases = app.get_cases(&app.admin.token, "").await.should_be(200);
    assert!(
        cases.items().is_empty(),
        "no case was created: {}",
        cases.text
    );
}

#[actix_rt::test]
async fn a_second_live_case_of_the_same_unit_and_programme_is_409_until_the_first_is_withdrawn() {
    // Given a unit with an active case
    let app = spawn_app().await;
    let world = app.given_a_case().await;
    // When it is enrolled again
    let again = app.enrol(&world.consultant.token, &world.unit_id).await;
    // Then that is 409
    again.should_be_problem(409, None);
    // And when the first case is paused it still counts as live
    app.transition(
        &world.consultant.token,
        &world.case_id,
        &json!({ "action": "pause" }),
    )
    .await
    .should_be(200);
    app.enrol(&world.consultant.token, &world.unit_id)
        .await
        .should_be_problem(409, None);
    // And once it is withdrawn, the unit may enrol again
    app.transition(
        &world.consultant.token,
        &world.case_id,
        &json!({ "action": "withdraw" }),
    )
    .await
    .should_be(200);
    let fresh = app
        .enrol(&world.consultant.token, &world.unit_id)
        .await
        .should_be(201);
    assert_ne!(fresh.id(), world.case_id);
    assert_eq!(fresh.body["stage"], "kickoff");
}

#[actix_rt::test]
async fn a_certified_case_is_live_and_blocks_a_new_enrolment() {
    let app = spawn_app().await;
    let world = app.given_a_case_in("certified").await;
    app.enrol(&world.consultant.token, &world.unit_id)
        .await
        .should_be_problem(409, None);
}

#[actix_rt::test]
async fn the_same_unit_may_be_enrolled_in_another_programme() {
    let app = spawn_app().await;
    let world = app.given_a_case().await;
    let other = app
        .post_programmes(
            &app.admin.token,
            &json!({ "key": "hbtq-plus", "name": "HBTQ+" }),
        )
        .await
        .should_be(201);
    let body = json!({ "unit_id": world.unit_id, "programme_id": other.id() });
    let reply = app
        .post_cases(&world.consultant.token, &body)
        .await
        .should_be(201);
    assert_eq!(reply.body["programme"]["key"], "hbtq-plus");
}

#[actix_rt::test]
async fn cases_can_be_listed_by_stage_status_and_organisation() {
    // Given one case in kickoff and another, of another organisation, paused in value_workshops
    let app = spawn_app().await;
    let first = app.given_a_case().await;
    let second = app.given_a_case_in("value_workshops").await;
    app.transition(
        &second.consultant.token,
        &second.case_id,
        &json!({ "action": "pause" }),
    )
    .await
    .should_be(200);
    let token = &app.admin.token;
    // Then each filter answers only its case
    let by_stage = app
        .get_cases(token, "?stage=value_workshops")
        .await
        .should_be(200)
        .ids();
    assert_eq!(by_stage, vec![second.case_id.clone()]);
    let by_status = app
        .get_cases(token, "?status=active")
        .await
        .should_be(200)
        .ids();
    assert_eq!(by_status, vec![first.case_id.clone()]);
    let query = format!("?organisation_id={}", first.organisation_id);
    let by_org = app.get_cases(token, &query).await.should_be(200).ids();
    assert_eq!(by_org, vec![first.case_id.clone()]);
}

#[actix_rt::test]
async fn an_unknown_case_is_404_problem_json() {
    let app = spawn_app().await;
    app.get_case(&app.admin.token, "no-such-case")
        .await
        .should_be_problem(404, None);
    app.get_events(&app.admin.token, "no-such-case")
        .await
        .should_be_problem(404, None);
}
