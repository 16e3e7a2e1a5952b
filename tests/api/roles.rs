//! Who may write what: every role against every write endpoint, on a case they all see.

use serde_json::{json, Value};

use crate::helpers::{random_hex, spawn_app, Reply, TestApp, World, PASSWORD};

/// The seven people of the matrix; the coordinator and contact belong to the case's unit.
struct Cast(Vec<(&'static str, String)>);

impl Cast {
    async fn of(app: &TestApp, world: &World) -> Cast {
        let other_consultant = app.create_user("consultant", None, None).await;
        let other_auditor = app.create_user("auditor", None, None).await;
        let coordinator = app
            .create_user("coordinator", Some(&world.organisation_id), None)
            .await;
        let contact = app
            .create_user(
                "unit_contact",
                Some(&world.organisation_id),
                Some(&world.unit_id),
            )
            .await;
        Cast(vec![
            ("admin", app.admin.token.clone()),
            ("its consultant", world.consultant.token.clone()),
            ("other consultant", other_consultant.token),
            ("its auditor", world.auditor.token.clone()),
            ("other auditor", other_auditor.token),
            ("coordinator", coordinator.token),
            ("unit contact", contact.token),
        ])
    }

    fn token(&self, name: &str) -> &str {
        &self
            .0
            .iter()
            .find(|(n, _)| *n == name)
            .expect("a cast member")
            .1
    }
}

#[derive(Debug)]
enum Write<'a> {
    Schedule,
    Move(&'a str),
    Cancel(&'a str),
    Attendance(&'a str),
    Reflections,
    Evidence,
    Resolve(&'a str),
    Act(Value),
}

async fn attempt(app: &TestApp, world: &World, token: &str, write: &Write<'_>) -> Reply {
    let case = world.case_id.as_str();
    match write {
        Write::Schedule => {
            app.post_session(token, case, &app.session_body("workshop", -2))
                .await
        }
        Write::Move(sid) => {
            app.patch_session(token, case, sid, &json!({ "title": random_hex() }))
                .await
        }
        Write::Cancel(sid) => app.delete_session(token, case, sid).await,
        Write::Attendance(sid) => app.put_attendance(token, case, sid, 8).await,
        Write::Reflections => app.put_reflections(token, case, 8).await,
        Write::Evidence => app.add_evidence(token, case, "apt").await,
        Write::Resolve(fid) => {
            app.put_finding(token, case, fid, "Resolved at the APT")
                .await
        }
        Write::Act(body) => app.transition(token, case, body).await,
    }
}

/// Everyone not in `allowed` gets 403 for `write`, and the case does not change.
async fn everyone_else_is_forbidden(
    app: &TestApp,
    world: &World,
    cast: &Cast,
    allowed: &[&str],
    write: Write<'_>,
) {
    let version = app.version(&world.case_id).await;
    for (name, token) in cast.0.iter().filter(|(name, _)| !allowed.contains(name)) {
        let reply = attempt(app, world, token, &write).await;
        assert_eq!(
            reply.status.as_u16(),
            403,
            "{name} {write:?}: {}",
            reply.text
        );
    }
    assert_eq!(
        app.version(&world.case_id).await,
        version,
        "refused {write:?} changed the case"
    );
}

/// Each of `allowed` takes `write` successfully.
async fn each_may(app: &TestApp, world: &World, cast: &Cast, allowed: &[&str], write: Write<'_>) {
    for name in allowed {
        let reply = attempt(app, world, cast.token(name), &write).await;
        assert!(
            reply.status.is_success(),
            "{name} {write:?}: {} {}",
            reply.status,
            reply.text
        );
    }
}

const STEERING: [&str; 2] = ["admin", "its consultant"];

#[actix_rt::test]
async fn sessions_are_managed_only_by_the_admin_and_the_cases_consultant() {
    let app = spawn_app().await;
    let world = app.given_a_case_in("value_workshops").await;
    let cast = Cast::of(&app, &world).await;
    let sid = app
        .schedule_session(&world.consultant.token, &world.case_id, "workshop", -1)
        .await;
    let other = app
        .schedule_session(&world.consultant.token, &world.case_id, "workshop", -1)
        .await;
    for write in [
        Write::Schedule,
        Write::Move(&sid),
        Write::Attendance(&sid),
        Write::Cancel(&other),
    ] {
        everyone_else_is_forbidden(&app, &world, &cast, &STEERING, write).await;
    }
    for write in [
        Write::Schedule,
        Write::Move(&other),
        Write::Attendance(&sid),
    ] {
        each_may(&app, &world, &cast, &STEERING, write).await;
    }
    each_may(&app, &world, &cast, &["admin"], Write::Cancel(&other)).await;
    let third = app
        .schedule_session(&app.admin.token, &world.case_id, "workshop", 3)
        .await;
    each_may(
        &app,
        &world,
        &cast,
        &["its consultant"],
        Write::Cancel(&third),
    )
    .await;
}

#[actix_rt::test]
async fn reflections_are_recorded_only_by_the_admin_and_the_cases_consultant() {
    let app = spawn_app().await;
    let world = app.given_a_case_in("individual_reflection").await;
    let cast = Cast::of(&app, &world).await;
    everyone_else_is_forbidden(&app, &world, &cast, &STEERING, Write::Reflections).await;
    each_may(&app, &world, &cast, &STEERING, Write::Reflections).await;
}

#[actix_rt::test]
async fn evidence_is_added_by_the_admin_the_cases_consultant_and_the_units_contact() {
    let app = spawn_app().await;
    let world = app.given_a_case_in("routine_integration").await;
    let cast = Cast::of(&app, &world).await;
    let allowed = ["admin", "its consultant", "unit contact"];
    everyone_else_is_forbidden(&app, &world, &cast, &allowed, Write::Evidence).await;
    each_may(&app, &world, &cast, &allowed, Write::Evidence).await;
}

#[actix_rt::test]
async fn findings_are_resolved_only_by_the_admin_and_the_cases_consultant() {
    let app = spawn_app().await;
    let world = app.given_a_case_in("audit").await;
    let cast = Cast::of(&app, &world).await;
    let findings =
        json!([{ "severity": "minor", "text": "One" }, { "severity": "minor", "text": "Two" }]);
    app.return_with(&world, findings).await.should_be(200);
    let listed = app
        .get_findings(&app.admin.token, &world.case_id)
        .await
        .should_be(200)
        .ids();
    everyone_else_is_forbidden(&app, &world, &cast, &STEERING, Write::Resolve(&listed[0])).await;
    each_may(&app, &world, &cast, &["admin"], Write::Resolve(&listed[0])).await;
    each_may(
        &app,
        &world,
        &cast,
        &["its consultant"],
        Write::Resolve(&listed[1]),
    )
    .await;
}

#[actix_rt::test]
async fn steering_a_case_is_only_for_the_admin_and_its_consultant() {
    // Given a case whose kickoff is held
    let app = spawn_app().await;
    let world = app.given_a_case().await;
    let cast = Cast::of(&app, &world).await;
    app.hold_session(&world.consultant.token, &world.case_id, "kickoff", 9)
        .await;
    for action in ["advance", "pause", "withdraw"] {
        everyone_else_is_forbidden(
            &app,
            &world,
            &cast,
            &STEERING,
            Write::Act(json!({ "action": action })),
        )
        .await;
    }
    each_may(
        &app,
        &world,
        &cast,
        &["admin"],
        Write::Act(json!({ "action": "pause" })),
    )
    .await;
    everyone_else_is_forbidden(
        &app,
        &world,
        &cast,
        &STEERING,
        Write::Act(json!({ "action": "resume" })),
    )
    .await;
    each_may(
        &app,
        &world,
        &cast,
        &["its consultant"],
        Write::Act(json!({ "action": "resume" })),
    )
    .await;
    each_may(
        &app,
        &world,
        &cast,
        &["its consultant"],
        Write::Act(json!({ "action": "advance" })),
    )
    .await;
    each_may(
        &app,
        &world,
        &cast,
        &["admin"],
        Write::Act(json!({ "action": "withdraw" })),
    )
    .await;
}

#[actix_rt::test]
async fn requesting_the_audit_is_only_for_the_admin_and_its_consultant() {
    let app = spawn_app().await;
    let world = app.given_a_case_in("routine_integration").await;
    let cast = Cast::of(&app, &world).await;
    for area in ["apt", "work_environment", "quality", "equality_plan"] {
        app.add_evidence(&world.consultant.token, &world.case_id, area)
            .await
            .should_be(201);
    }
    let request = json!({ "action": "request_audit", "auditor_id": world.auditor.id });
    everyone_else_is_forbidden(&app, &world, &cast, &STEERING, Write::Act(request.clone())).await;
    each_may(&app, &world, &cast, &["admin"], Write::Act(request)).await;
}

#[actix_rt::test]
async fn approving_and_returning_is_only_for_the_assigned_auditor() {
    let app = spawn_app().await;
    let world = app.given_a_case_in("audit").await;
    let cast = Cast::of(&app, &world).await;
    let approve = json!({ "action": "approve", "findings": [] });
    let ret = json!({ "action": "return", "findings": [{ "severity": "minor", "text": "x" }] });
    everyone_else_is_forbidden(
        &app,
        &world,
        &cast,
        &["its auditor"],
        Write::Act(approve.clone()),
    )
    .await;
    everyone_else_is_forbidden(
        &app,
        &world,
        &cast,
        &["its auditor"],
        Write::Act(ret.clone()),
    )
    .await;
    each_may(&app, &world, &cast, &["its auditor"], Write::Act(ret)).await;
}

#[actix_rt::test]
async fn suspending_reinstating_and_revoking_are_the_admins_alone() {
    let app = spawn_app().await;
    let world = app.given_a_case_in("certified").await;
    let cast = Cast::of(&app, &world).await;
    let suspend = json!({ "action": "suspend", "comment": "Under review" });
    let revoke = json!({ "action": "revoke", "comment": "Abandoned" });
    everyone_else_is_forbidden(&app, &world, &cast, &["admin"], Write::Act(suspend.clone())).await;
    each_may(&app, &world, &cast, &["admin"], Write::Act(suspend)).await;
    everyone_else_is_forbidden(
        &app,
        &world,
        &cast,
        &["admin"],
        Write::Act(json!({ "action": "reinstate" })),
    )
    .await;
    everyone_else_is_forbidden(&app, &world, &cast, &["admin"], Write::Act(revoke.clone())).await;
    each_may(
        &app,
        &world,
        &cast,
        &["admin"],
        Write::Act(json!({ "action": "reinstate" })),
    )
    .await;
    each_may(&app, &world, &cast, &["admin"], Write::Act(revoke)).await;
}

#[actix_rt::test]
async fn renewing_is_only_for_the_admin_and_its_consultant() {
    let app = spawn_app().await;
    let world = app.given_a_case_in("certified").await;
    let cast = Cast::of(&app, &world).await;
    let renew = json!({ "action": "renew" });
    everyone_else_is_forbidden(&app, &world, &cast, &STEERING, Write::Act(renew.clone())).await;
    each_may(&app, &world, &cast, &["admin"], Write::Act(renew)).await;
}

#[actix_rt::test]
async fn the_deployment_level_writes_follow_the_role_table() {
    // Given the seven people around one case
    let app = spawn_app().await;
    let world = app.given_a_case().await;
    let cast = Cast::of(&app, &world).await;
    let programme_id = app.default_programme_id().await;
    let everyone = [
        "admin",
        "its consultant",
        "other consultant",
        "its auditor",
        "other auditor",
        "coordinator",
        "unit contact",
    ];
    let staff_writers = ["admin", "its consultant", "other consultant"];
    for name in everyone {
        let token = cast.token(name);
        let may = |who: &[&str]| {
            if who.contains(&name) {
                "allowed"
            } else {
                "403"
            }
        };
        let outcome = |reply: &Reply| {
            if reply.status.is_success() {
                "allowed"
            } else if reply.status == 403 {
                "403"
            } else {
                "other"
            }
        };
        // Organisations, users and programmes: the admin's
        let org = app
            .post_organisations(token, &json!({ "name": random_hex() }))
            .await;
        assert_eq!(
            outcome(&org),
            may(&["admin"]),
            "{name} creates an organisation: {}",
            org.text
        );
        let user = json!({ "email": format!("{}@example.se", random_hex()), "name": "N", "role": "auditor", "password": PASSWORD });
        let created = app.post_users(token, &user).await;
        assert_eq!(
            outcome(&created),
            may(&["admin"]),
            "{name} creates a user: {}",
            created.text
        );
        let listed = app.get_users(token, "").await;
        assert_eq!(
            outcome(&listed),
            may(&["admin"]),
            "{name} lists users: {}",
            listed.text
        );
        let programme = app
            .post_programmes(
                token,
                &json!({ "key": format!("p{}", random_hex()), "name": "P" }),
            )
            .await;
        assert_eq!(
            outcome(&programme),
            may(&["admin"]),
            "{name} creates a programme: {}",
            programme.text
        );
        // Units and enrolment: staff who consult
        let unit = app
            .post_units(
                token,
                &world.organisation_id,
                &json!({ "name": random_hex(), "headcount": 7 }),
            )
            .await;
        assert_eq!(
            outcome(&unit),
            may(&staff_writers),
            "{name} creates a unit: {}",
            unit.text
        );
        let patch = app
            .patch_unit(token, &world.unit_id, &json!({ "headcount": 10 }))
            .await;
        assert_eq!(
            outcome(&patch),
            may(&staff_writers),
            "{name} patches a unit: {}",
            patch.text
        );
        let fresh_unit = app.create_unit(&world.organisation_id, 5).await;
        let mut body = json!({ "unit_id": fresh_unit, "programme_id": programme_id });
        if name == "admin" {
            body["consultant_id"] = json!(world.consultant.id);
        }
        let enrolled = app.post_cases(token, &body).await;
        assert_eq!(
            outcome(&enrolled),
            may(&staff_writers),
            "{name} enrols a unit: {}",
            enrolled.text
        );
    }
}
