//! The whole path through the API, kickoff to certified, with a return on the way.

use chrono::Duration;
use serde_json::{json, Value};

use crate::helpers::{requirement, requirement_keys, spawn_app, TestApp, World};

async fn requirement_now(app: &TestApp, world: &World, key: &str) -> Value {
    requirement(&app.case(&world.case_id).await, key)
}

#[actix_rt::test]
async fn a_unit_goes_from_kickoff_to_certified_through_the_api() {
    // Given a unit of 10 enrolled by its consultant, and a contact person of the unit
    let app = spawn_app().await;
    let world = app.given_a_case().await;
    let (consultant, case_id) = (&world.consultant.token, world.case_id.as_str());
    let contact = app
        .create_user("unit_contact", None, Some(&world.unit_id))
        .await;
    assert_eq!(
        requirement_now(&app, &world, "kickoff_held").await["current"],
        0
    );

    // Kickoff: a session three hours ahead cannot have attendance before it starts
    let kickoff = app
        .schedule_session_in(consultant, case_id, "kickoff", Duration::hours(3))
        .await;
    app.put_attendance(consultant, case_id, &kickoff, 9)
        .await
        .should_be_problem(422, Some("attended"));
    app.clock.advance(Duration::hours(3) + Duration::minutes(1));
    let session = app
        .put_attendance(consultant, case_id, &kickoff, 9)
        .await
        .should_be(200);
    assert_eq!(session.body["attended"], 9);
    let held = requirement_now(&app, &world, "kickoff_held").await;
    assert_eq!(
        (held["current"].clone(), held["met"].clone()),
        (json!(1), json!(true))
    );
    let case = app
        .transition(consultant, case_id, &json!({ "action": "advance" }))
        .await
        .should_be(200);
    assert_eq!(case.body["stage"], "value_workshops");
    assert_eq!(case.etag(), format!("\"{}\"", case.body["version"]));

    // Value workshops: one with 7 of 10 does not count, four with 8 do
    let workshops = requirement(&case.body, "workshops_held");
    assert_eq!(
        (workshops["current"].clone(), workshops["required"].clone()),
        (json!(0), json!(4))
    );
    app.hold_session(consultant, case_id, "workshop", 7).await;
    assert_eq!(
        requirement_now(&app, &world, "workshops_held").await["current"],
        0
    );
    for held in 1..=4 {
        app.hold_session(consultant, case_id, "workshop", 8).await;
        assert_eq!(
            requirement_now(&app, &world, "workshops_held").await["current"],
            held
        );
    }
    assert_eq!(
        requirement_now(&app, &world, "workshops_held").await["met"],
        true
    );
    let case = app
        .transition(consultant, case_id, &json!({ "action": "advance" }))
        .await
        .should_be(200);
    assert_eq!(case.body["stage"], "individual_reflection");

    // Individual reflection: 8 of 10 needed
    let reflections = requirement(&case.body, "reflections_completed");
    assert_eq!(
        (
            reflections["current"].clone(),
            reflections["required"].clone()
        ),
        (json!(0), json!(8))
    );
    let case = app
        .put_reflections(consultant, case_id, 7)
        .await
        .should_be(200);
    assert_eq!(
        requirement(&case.body, "reflections_completed")["met"],
        false
    );
    let case = app
        .put_reflections(consultant, case_id, 8)
        .await
        .should_be(200);
    assert_eq!(
        requirement(&case.body, "reflections_completed")["met"],
        true
    );
    let case = app
        .transition(consultant, case_id, &json!({ "action": "advance" }))
        .await
        .should_be(200);
    assert_eq!(case.body["stage"], "routine_integration");

    // Routine integration: evidence in all four areas, one added by the unit's contact
    assert_eq!(
        requirement_keys(&case.body),
        vec![
            "evidence_apt",
            "evidence_work_environment",
            "evidence_quality",
            "evidence_equality_plan"
        ]
    );
    for area in ["apt", "work_environment", "quality"] {
        app.add_evidence(consultant, case_id, area)
            .await
            .should_be(201);
    }
    let by_contact = app
        .add_evidence(&contact.token, case_id, "equality_plan")
        .await
        .should_be(201);
    assert_eq!(by_contact.body["added_by"], contact.id);
    let case = app.case(case_id).await;
    assert!(
        case["requirements"]
            .as_array()
            .expect("requirements")
            .iter()
            .all(|r| r["met"] == true),
        "{case}"
    );

    // Audit requested, then returned with two findings
    let body = json!({ "action": "request_audit", "auditor_id": world.auditor.id });
    let case = app
        .transition(consultant, case_id, &body)
        .await
        .should_be(200);
    assert_eq!(case.body["stage"], "audit");
    assert_eq!(case.body["auditor_id"], world.auditor.id);
    assert_eq!(requirement_keys(&case.body), vec!["audit_approved"]);
    let findings = json!([
        { "severity": "major", "area": "work_environment", "text": "SAM does not mention the topic" },
        { "severity": "minor", "text": "APT minutes are unsigned" },
    ]);
    let case = app.return_with(&world, findings).await.should_be(200);
    assert_eq!(case.body["stage"], "routine_integration");
    let resolved = requirement(&case.body, "findings_resolved");
    assert_eq!(
        (resolved["current"].clone(), resolved["required"].clone()),
        (json!(0), json!(2))
    );

    // The audit cannot be requested again until both findings are resolved
    let refused = app
        .transition(consultant, case_id, &body)
        .await
        .should_be_problem(422, None);
    assert_eq!(refused.unmet_keys(), vec!["findings_resolved"]);
    let listed = app
        .get_findings(consultant, case_id)
        .await
        .should_be(200)
        .items();
    assert_eq!(listed.len(), 2);
    for (i, finding) in listed.iter().enumerate() {
        let fid = finding["id"].as_str().expect("a finding id");
        let resolved = app
            .put_finding(consultant, case_id, fid, "Added to the SAM routine")
            .await
            .should_be(200);
        assert!(
            resolved.body["resolved_at"].is_string(),
            "{}",
            resolved.text
        );
        assert_eq!(
            requirement_now(&app, &world, "findings_resolved").await["current"],
            i as u64 + 1
        );
    }
    app.transition(consultant, case_id, &body)
        .await
        .should_be(200);

    // The auditor approves, with an observation
    let approve = json!({ "action": "approve", "findings": [{ "severity": "observation", "text": "Good routines" }] });
    let case = app
        .transition(&world.auditor.token, case_id, &approve)
        .await
        .should_be(200);
    assert_eq!(case.body["stage"], "certified");
    assert_eq!(case.body["status"], "certified");
    assert_eq!(case.body["certificate"]["status"], "valid");

    // And the history tells the whole story, in order
    let kinds: Vec<String> = app
        .get_events(consultant, case_id)
        .await
        .should_be(200)
        .items()
        .iter()
        .map(|e| e["kind"].as_str().expect("a kind").to_string())
        .collect();
    let mut expected = vec![
        "enrolled",
        "session_scheduled",
        "attendance_recorded",
        "stage_advanced",
    ];
    expected.extend(["session_scheduled", "attendance_recorded"].repeat(5));
    expected.extend([
        "stage_advanced",
        "reflections_recorded",
        "reflections_recorded",
        "stage_advanced",
    ]);
    expected.extend(["evidence_added"; 4]);
    expected.extend([
        "audit_requested",
        "returned",
        "finding_resolved",
        "finding_resolved",
    ]);
    expected.extend(["audit_requested", "approved"]);
    assert_eq!(kinds, expected);
    assert_eq!(case.body["version"], expected.len());
}

#[actix_rt::test]
async fn an_approved_case_answers_its_certificate_and_none_before() {
    // Given a case in audit, which has no certificate yet
    let app = spawn_app().await;
    let world = app.given_a_case_in("audit").await;
    app.get_certificate(&world.consultant.token, &world.case_id)
        .await
        .should_be_problem(404, None);
    // When the auditor approves
    let approve = json!({ "action": "approve", "findings": [] });
    app.transition(&world.auditor.token, &world.case_id, &approve)
        .await
        .should_be(200);
    // Then the certificate is valid, signed off by that auditor, for the programme
    let cert = app
        .get_certificate(&world.consultant.token, &world.case_id)
        .await
        .should_be(200);
    assert_eq!(cert.body["status"], "valid");
    assert_eq!(cert.body["auditor_id"], world.auditor.id);
    assert_eq!(cert.body["programme"]["key"], "inclusion-standard");
    assert!(
        cert.body["number"].as_str().is_some_and(|n| !n.is_empty()),
        "{}",
        cert.text
    );
    assert!(
        cert.body["verification_code"]
            .as_str()
            .is_some_and(|c| !c.is_empty()),
        "{}",
        cert.text
    );
    // And the case carries the same certificate
    let case = app.case(&world.case_id).await;
    assert_eq!(case["certificate"]["number"], cert.body["number"]);
}

#[actix_rt::test]
async fn an_admin_can_drive_a_case_as_well_as_its_consultant() {
    // Given a case in kickoff
    let app = spawn_app().await;
    let world = app.given_a_case().await;
    let admin = &app.admin.token;
    // When the admin holds the sessions, records reflections and evidence, and steers
    app.hold_session(admin, &world.case_id, "kickoff", 10).await;
    app.transition(admin, &world.case_id, &json!({ "action": "advance" }))
        .await
        .should_be(200);
    for _ in 0..4 {
        app.hold_session(admin, &world.case_id, "workshop", 10)
            .await;
    }
    app.transition(admin, &world.case_id, &json!({ "action": "advance" }))
        .await
        .should_be(200);
    app.put_reflections(admin, &world.case_id, 10)
        .await
        .should_be(200);
    app.transition(admin, &world.case_id, &json!({ "action": "advance" }))
        .await
        .should_be(200);
    for area in ["apt", "work_environment", "quality", "equality_plan"] {
        app.add_evidence(admin, &world.case_id, area)
            .await
            .should_be(201);
    }
    let body = json!({ "action": "request_audit", "auditor_id": world.auditor.id });
    let case = app
        .transition(admin, &world.case_id, &body)
        .await
        .should_be(200);
    // Then the case is in audit
    assert_eq!(case.body["stage"], "audit");
}
