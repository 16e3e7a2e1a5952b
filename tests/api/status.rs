//! The status beside the stage: pause, resume, withdraw, suspend, reinstate, revoke, renew.

use serde_json::{json, Value};

use crate::helpers::{requirement_keys, spawn_app, TestApp, World};

async fn act(app: &TestApp, token: &str, world: &World, action: &str) -> crate::helpers::Reply {
    app.transition(token, &world.case_id, &json!({ "action": action }))
        .await
}

/// Every kind of write on a case, as its consultant; each answers `status`, and the
/// case's version stays where it was.
async fn every_write_is(app: &TestApp, world: &World, status: u16) {
    let (token, case_id) = (&world.consultant.token, world.case_id.as_str());
    let version = app.version(case_id).await;
    let session = app.session_body("workshop", -1);
    let evidence = json!({ "area": "apt", "description": "APT minutes" });
    let writes: Vec<(&str, crate::helpers::Reply)> = vec![
        (
            "schedule a session",
            app.post_session(token, case_id, &session).await,
        ),
        (
            "record reflections",
            app.put_reflections(token, case_id, 5).await,
        ),
        (
            "add evidence",
            app.post_evidence(token, case_id, &evidence).await,
        ),
        ("advance", act(app, token, world, "advance").await),
        ("pause", act(app, token, world, "pause").await),
    ];
    for (what, reply) in writes {
        assert_eq!(reply.status.as_u16(), status, "{what}: {}", reply.text);
    }
    assert_eq!(app.version(case_id).await, version, "nothing changed");
}

#[actix_rt::test]
async fn a_paused_case_refuses_every_action_but_resume_and_withdraw_with_409() {
    // Given a case in value_workshops with a session waiting for attendance
    let app = spawn_app().await;
    let world = app.given_a_case_in("value_workshops").await;
    let token = &world.consultant.token;
    let sid = app
        .schedule_session(token, &world.case_id, "workshop", -1)
        .await;
    // When it is paused
    let paused = act(&app, token, &world, "pause").await.should_be(200);
    assert_eq!(paused.body["status"], "paused");
    assert_eq!(paused.body["stage"], "value_workshops");
    // Then writes are 409 and change nothing, attendance included
    every_write_is(&app, &world, 409).await;
    app.put_attendance(token, &world.case_id, &sid, 8)
        .await
        .should_be_problem(409, None);
    // And resume brings it back to active, where writes work again
    let resumed = act(&app, token, &world, "resume").await.should_be(200);
    assert_eq!(resumed.body["status"], "active");
    app.put_attendance(token, &world.case_id, &sid, 8)
        .await
        .should_be(200);
}

#[actix_rt::test]
async fn resuming_an_active_case_is_409() {
    let app = spawn_app().await;
    let world = app.given_a_case().await;
    act(&app, &world.consultant.token, &world, "resume")
        .await
        .should_be_problem(409, None);
}

#[actix_rt::test]
async fn a_withdrawn_case_is_final() {
    // Given a paused case that is withdrawn
    let app = spawn_app().await;
    let world = app.given_a_case().await;
    let token = &world.consultant.token;
    act(&app, token, &world, "pause").await.should_be(200);
    let withdrawn = act(&app, token, &world, "withdraw").await.should_be(200);
    assert_eq!(withdrawn.body["status"], "withdrawn");
    // Then every write is 409, and so are resume and withdraw
    every_write_is(&app, &world, 409).await;
    for action in ["resume", "withdraw", "renew"] {
        act(&app, token, &world, action)
            .await
            .should_be_problem(409, None);
    }
    act(&app, &app.admin.token, &world, "resume")
        .await
        .should_be_problem(409, None);
}

#[actix_rt::test]
async fn suspending_or_revoking_without_a_reason_is_422_naming_comment() {
    let app = spawn_app().await;
    let world = app.given_a_case_in("certified").await;
    let version = app.version(&world.case_id).await;
    for action in ["suspend", "revoke"] {
        for comment in [Value::Null, json!(""), json!("   ")] {
            let body = json!({ "action": action, "comment": comment });
            let reply = app
                .transition(&app.admin.token, &world.case_id, &body)
                .await;
            reply.should_be_problem(422, Some("comment"));
        }
    }
    assert_eq!(app.version(&world.case_id).await, version);
    assert_eq!(app.case(&world.case_id).await["status"], "certified");
}

#[actix_rt::test]
async fn a_certified_case_is_suspended_reinstated_and_revoked_by_the_admin() {
    // Given a certified case
    let app = spawn_app().await;
    let world = app.given_a_case_in("certified").await;
    let admin = &app.admin.token;
    let suspend = json!({ "action": "suspend", "comment": "Complaint under review" });
    // When the admin suspends it, its certificate is suspended too
    let case = app
        .transition(admin, &world.case_id, &suspend)
        .await
        .should_be(200);
    assert_eq!(case.body["status"], "suspended");
    assert_eq!(case.body["certificate"]["status"], "suspended");
    // And suspending again is 409
    app.transition(admin, &world.case_id, &suspend)
        .await
        .should_be_problem(409, None);
    // When reinstated it is certified and valid again
    let case = act(&app, admin, &world, "reinstate").await.should_be(200);
    assert_eq!(case.body["status"], "certified");
    assert_eq!(case.body["certificate"]["status"], "valid");
    act(&app, admin, &world, "reinstate")
        .await
        .should_be_problem(409, None);
    // When revoked it is final, and the record is kept
    let revoke = json!({ "action": "revoke", "comment": "Routines abandoned" });
    let case = app
        .transition(admin, &world.case_id, &revoke)
        .await
        .should_be(200);
    assert_eq!(case.body["status"], "revoked");
    assert_eq!(case.body["certificate"]["status"], "revoked");
    for action in ["reinstate", "renew", "pause", "withdraw"] {
        act(&app, admin, &world, action)
            .await
            .should_be_problem(409, None);
    }
    app.transition(admin, &world.case_id, &revoke)
        .await
        .should_be_problem(409, None);
    let events = app
        .get_events(admin, &world.case_id)
        .await
        .should_be(200)
        .items();
    let last = events.last().expect("events");
    assert_eq!(last["kind"], "revoked");
    assert_eq!(last["comment"], "Routines abandoned");
}

#[actix_rt::test]
async fn suspend_reinstate_and_revoke_of_an_active_case_are_409() {
    let app = spawn_app().await;
    let world = app.given_a_case().await;
    let admin = &app.admin.token;
    for action in ["suspend", "reinstate", "revoke", "renew"] {
        let body = json!({ "action": action, "comment": "Because" });
        app.transition(admin, &world.case_id, &body)
            .await
            .should_be_problem(409, None);
    }
}

#[actix_rt::test]
async fn a_revoked_case_lets_the_unit_enrol_again() {
    let app = spawn_app().await;
    let world = app.given_a_case_in("certified").await;
    let revoke = json!({ "action": "revoke", "comment": "Routines abandoned" });
    app.transition(&app.admin.token, &world.case_id, &revoke)
        .await
        .should_be(200);
    app.enrol(&world.consultant.token, &world.unit_id)
        .await
        .should_be(201);
}

#[actix_rt::test]
async fn renewing_a_certified_case_starts_a_new_cycle_at_value_workshops() {
    // Given a certified case
    let app = spawn_app().await;
    let world = app.given_a_case_in("certified").await;
    let before = app.case(&world.case_id).await;
    // When its consultant renews it
    let case = act(&app, &world.consultant.token, &world, "renew")
        .await
        .should_be(200);
    // Then it is a new cycle at value_workshops with fresh requirements
    assert_eq!(case.body["cycle"], 2);
    assert_eq!(case.body["stage"], "value_workshops");
    assert_eq!(requirement_keys(&case.body), vec!["workshops_held"]);
    assert_eq!(case.body["requirements"][0]["current"], 0);
    // And the old certificate stays valid until its date
    let certificate = app
        .get_certificate(&world.consultant.token, &world.case_id)
        .await
        .should_be(200);
    assert_eq!(certificate.body["status"], "valid");
    assert_eq!(certificate.body["number"], before["certificate"]["number"]);
}
