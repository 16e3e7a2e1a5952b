//! Each transition's refusals: unmet requirements, wrong stage, wrong people.

use serde_json::{json, Value};

use crate::helpers::{spawn_app, TestApp, World};

/// Sends `body` as the case's consultant and asserts the case did not change.
async fn refused(
    app: &TestApp,
    world: &World,
    token: &str,
    body: Value,
    status: u16,
) -> crate::helpers::Reply {
    let before = app.case(&world.case_id).await;
    let reply = app.transition(token, &world.case_id, &body).await;
    let reply = reply.should_be_problem(status, None);
    let after = app.case(&world.case_id).await;
    assert_eq!(
        after["version"], before["version"],
        "a refused {body} changes nothing"
    );
    assert_eq!(after["stage"], before["stage"]);
    assert_eq!(after["status"], before["status"]);
    reply
}

#[actix_rt::test]
async fn advancing_from_kickoff_without_a_held_kickoff_is_422_with_the_unmet_requirement() {
    let app = spawn_app().await;
    let world = app.given_a_case().await;
    // A kickoff scheduled but without attendance does not count
    app.schedule_session(&world.consultant.token, &world.case_id, "kickoff", -1)
        .await;
    let reply = refused(
        &app,
        &world,
        &world.consultant.token,
        json!({ "action": "advance" }),
        422,
    )
    .await;
    let unmet = reply.body["unmet"].as_array().expect("unmet").clone();
    assert_eq!(unmet.len(), 1, "{}", reply.text);
    assert_eq!(unmet[0]["key"], "kickoff_held");
    assert_eq!(unmet[0]["current"], 0);
    assert_eq!(unmet[0]["required"], 1);
    assert_eq!(unmet[0]["met"], false);
}

#[actix_rt::test]
async fn a_kickoff_with_zero_attended_is_not_held() {
    let app = spawn_app().await;
    let world = app.given_a_case().await;
    app.hold_session(&world.consultant.token, &world.case_id, "kickoff", 0)
        .await;
    let reply = refused(
        &app,
        &world,
        &world.consultant.token,
        json!({ "action": "advance" }),
        422,
    )
    .await;
    assert_eq!(reply.unmet_keys(), vec!["kickoff_held"]);
}

#[actix_rt::test]
async fn a_workshop_below_80_percent_attendance_does_not_count() {
    // Given a case in value_workshops with three workshops of 8 and one of 7 (headcount 10)
    let app = spawn_app().await;
    let world = app.given_a_case_in("value_workshops").await;
    let token = &world.consultant.token;
    for attended in [8, 8, 8, 7] {
        app.hold_session(token, &world.case_id, "workshop", attended)
            .await;
    }
    // A supervision session with full attendance is not a workshop
    app.hold_session(token, &world.case_id, "supervision", 10)
        .await;
    // When the consultant advances, it is refused: three of four
    let reply = refused(&app, &world, token, json!({ "action": "advance" }), 422).await;
    assert_eq!(reply.unmet_keys(), vec!["workshops_held"]);
    assert_eq!(reply.body["unmet"][0]["current"], 3);
    assert_eq!(reply.body["unmet"][0]["required"], 4);
}

#[actix_rt::test]
async fn advancing_with_reflections_below_80_percent_is_422() {
    let app = spawn_app().await;
    let world = app.given_a_case_in("individual_reflection").await;
    app.put_reflections(&world.consultant.token, &world.case_id, 7)
        .await
        .should_be(200);
    let reply = refused(
        &app,
        &world,
        &world.consultant.token,
        json!({ "action": "advance" }),
        422,
    )
    .await;
    assert_eq!(reply.unmet_keys(), vec!["reflections_completed"]);
    assert_eq!(reply.body["unmet"][0]["current"], 7);
    assert_eq!(reply.body["unmet"][0]["required"], 8);
}

#[actix_rt::test]
async fn advance_is_not_how_routine_integration_or_audit_is_left() {
    let app = spawn_app().await;
    let world = app.given_a_case_in("routine_integration").await;
    refused(
        &app,
        &world,
        &world.consultant.token,
        json!({ "action": "advance" }),
        409,
    )
    .await;
    app.drive_to(&world, "audit").await;
    refused(
        &app,
        &world,
        &world.consultant.token,
        json!({ "action": "advance" }),
        409,
    )
    .await;
}

#[actix_rt::test]
async fn requesting_an_audit_with_an_area_lacking_evidence_is_422_naming_that_area() {
    let app = spawn_app().await;
    let world = app.given_a_case_in("routine_integration").await;
    for area in ["apt", "work_environment", "equality_plan"] {
        app.add_evidence(&world.consultant.token, &world.case_id, area)
            .await
            .should_be(201);
    }
    let body = json!({ "action": "request_audit", "auditor_id": world.auditor.id });
    let reply = refused(&app, &world, &world.consultant.token, body, 422).await;
    assert_eq!(reply.unmet_keys(), vec!["evidence_quality"]);
}

#[actix_rt::test]
async fn requesting_an_audit_before_routine_integration_is_409() {
    let app = spawn_app().await;
    let world = app.given_a_case_in("individual_reflection").await;
    let body = json!({ "action": "request_audit", "auditor_id": world.auditor.id });
    refused(&app, &world, &world.consultant.token, body, 409).await;
}

#[actix_rt::test]
async fn the_auditor_named_must_be_an_auditor_who_is_not_the_consultant() {
    // Given a case ready for audit, a second consultant, and the case's own consultant
    let app = spawn_app().await;
    let world = app.given_a_case_in("routine_integration").await;
    for area in ["apt", "work_environment", "quality", "equality_plan"] {
        app.add_evidence(&world.consultant.token, &world.case_id, area)
            .await
            .should_be(201);
    }
    let other_consultant = app.create_user("consultant", None, None).await;
    let candidates = [
        json!(other_consultant.id),
        json!(world.consultant.id),
        json!(app.admin.id),
        json!("no-such-user"),
        Value::Null,
    ];
    // When each is named, the answer is 422 naming auditor_id, and nothing changes
    for auditor_id in candidates {
        let body = json!({ "action": "request_audit", "auditor_id": auditor_id });
        let reply = refused(&app, &world, &world.consultant.token, body, 422).await;
        assert!(
            reply.error_fields().contains(&"auditor_id".into()),
            "{auditor_id}: {}",
            reply.text
        );
    }
    // And without any auditor_id it is the same
    let reply = refused(
        &app,
        &world,
        &world.consultant.token,
        json!({ "action": "request_audit" }),
        422,
    )
    .await;
    assert!(
        reply.error_fields().contains(&"auditor_id".into()),
        "{}",
        reply.text
    );
}

#[actix_rt::test]
async fn approving_with_a_major_finding_is_rejected() {
    let app = spawn_app().await;
    let world = app.given_a_case_in("audit").await;
    let body = json!({ "action": "approve", "findings": [
        { "severity": "minor", "text": "Small thing" },
        { "severity": "major", "text": "No equality plan routine" },
    ] });
    let reply = refused(&app, &world, &world.auditor.token, body, 422).await;
    let fields = reply.error_fields();
    assert!(
        fields.iter().any(|f| f.starts_with("findings")),
        "{}",
        reply.text
    );
    assert!(app.case(&world.case_id).await["certificate"].is_null());
}

#[actix_rt::test]
async fn returning_without_findings_is_rejected() {
    let app = spawn_app().await;
    let world = app.given_a_case_in("audit").await;
    for findings in [json!([]), Value::Null] {
        let body = json!({ "action": "return", "findings": findings });
        let reply = refused(&app, &world, &world.auditor.token, body, 422).await;
        assert!(
            reply.error_fields().contains(&"findings".into()),
            "{}",
            reply.text
        );
    }
}

#[actix_rt::test]
async fn a_finding_with_an_unknown_severity_is_422_naming_it() {
    let app = spawn_app().await;
    let world = app.given_a_case_in("audit").await;
    let body =
        json!({ "action": "return", "findings": [{ "severity": "catastrophic", "text": "x" }] });
    let reply = refused(&app, &world, &world.auditor.token, body, 422).await;
    assert!(
        reply
            .error_fields()
            .contains(&"findings[0].severity".into()),
        "{}",
        reply.text
    );
}

#[actix_rt::test]
async fn approve_and_return_outside_audit_are_409_for_the_assigned_auditor() {
    // Given a case returned to routine_integration by its auditor
    let app = spawn_app().await;
    let world = app.given_a_case_in("audit").await;
    app.return_with(
        &world,
        json!([{ "severity": "minor", "text": "Fix the minutes" }]),
    )
    .await
    .should_be(200);
    // Then the auditor can neither approve nor return it again now
    let approve = json!({ "action": "approve", "findings": [] });
    refused(&app, &world, &world.auditor.token, approve, 409).await;
    let ret = json!({ "action": "return", "findings": [{ "severity": "minor", "text": "Again" }] });
    refused(&app, &world, &world.auditor.token, ret, 409).await;
}

#[actix_rt::test]
async fn approve_and_return_by_anyone_but_the_assigned_auditor_are_403() {
    let app = spawn_app().await;
    let world = app.given_a_case_in("audit").await;
    let other_auditor = app.create_user("auditor", None, None).await;
    let approve = json!({ "action": "approve", "findings": [] });
    let ret = json!({ "action": "return", "findings": [{ "severity": "minor", "text": "x" }] });
    for token in [
        &app.admin.token,
        &world.consultant.token,
        &other_auditor.token,
    ] {
        refused(&app, &world, token, approve.clone(), 403).await;
        refused(&app, &world, token, ret.clone(), 403).await;
    }
}

#[actix_rt::test]
async fn an_unknown_action_is_422_naming_the_action() {
    let app = spawn_app().await;
    let world = app.given_a_case().await;
    let reply = refused(
        &app,
        &world,
        &world.consultant.token,
        json!({ "action": "teleport" }),
        422,
    )
    .await;
    assert!(
        reply.error_fields().contains(&"action".into()),
        "{}",
        reply.text
    );
}

#[actix_rt::test]
async fn a_returned_case_needs_every_finding_resolved_before_the_next_audit() {
    let app = spawn_app().await;
    let world = app.given_a_case_in("audit").await;
    let findings = json!([
        { "severity": "major", "area": "quality", "text": "No quality routine" },
        { "severity": "observation", "text": "Nice posters" },
    ]);
    app.return_with(&world, findings).await.should_be(200);
    // Resolving one of two is not enough
    let open = app
        .get_findings(&world.consultant.token, &world.case_id)
        .await
        .should_be(200)
        .items();
    let first = open[0]["id"].as_str().expect("an id");
    app.put_finding(&world.consultant.token, &world.case_id, first, "Done")
        .await
        .should_be(200);
    let body = json!({ "action": "request_audit", "auditor_id": world.auditor.id });
    let reply = refused(&app, &world, &world.consultant.token, body.clone(), 422).await;
    assert_eq!(reply.unmet_keys(), vec!["findings_resolved"]);
    assert_eq!(reply.body["unmet"][0]["current"], 1);
    assert_eq!(reply.body["unmet"][0]["required"], 2);
}
