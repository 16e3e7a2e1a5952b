//! The optional separate certification decision: on a programme with `decision_by:
//! admin`, the auditor's approval recommends and an admin who did not audit the case
//! decides, issuing the certificate as an approval does. Programmes deciding by the
//! auditor are unchanged.

use serde_json::{json, Value};

use crate::appeals::{kinds, make_admin};
use crate::helpers::{spawn_app, TestApp, TestUser, World};

/// A case in audit on version 2 of the default programme, which an admin decides.
pub(crate) async fn a_case_decided_by_an_admin(app: &TestApp) -> World {
    let world = app.given_a_case_in("audit").await;
    let v1 = app.default_programme_id().await;
    let v2 = app
        .post_programmes(
            &app.admin.token,
            &json!({"key": "inclusion-standard", "name": "Inclusion standard, separate decision", "decision_by": "admin"}),
        )
        .await
        .should_be(201)
        .body;
    assert_eq!(v2["decision_by"], "admin");
    app.post(
        &app.admin.token,
        &format!("/programmes/{v1}/migrate"),
        &json!({"to_version": 2}),
    )
    .await
    .should_be(200);
    let case = app.case(&world.case_id).await;
    assert_eq!(
        (case["programme"]["version"].clone(), case["stage"].clone()),
        (json!(2), json!("audit"))
    );
    world
}

pub(crate) async fn approve(app: &TestApp, world: &World) -> Value {
    app.transition(
        &world.auditor.token,
        &world.case_id,
        &json!({"action": "approve", "findings": [{"severity": "observation", "text": "Kan fördjupas."}]}),
    )
    .await
    .should_be(200)
    .body
}

async fn decide(
    app: &TestApp,
    who: &TestUser,
    case_id: &str,
    body: &Value,
) -> crate::helpers::Reply {
    app.post(&who.token, &format!("/cases/{case_id}/decision"), body)
        .await
}

#[actix_rt::test]
async fn the_default_programme_decides_by_the_auditor_as_before() {
    let app = spawn_app().await;
    let programme = app
        .get_programme(&app.admin.token, &app.default_programme_id().await)
        .await
        .should_be(200)
        .body;
    assert_eq!(programme["decision_by"], "auditor");
    let world = app.given_a_case_in("audit").await;
    let case = approve(&app, &world).await;
    assert_eq!(case["status"], "certified");
    assert!(case["recommended_at"].is_null());
    decide(
        &app,
        &app.admin,
        &world.case_id,
        &json!({"outcome": "certify"}),
    )
    .await
    .should_be_problem(409, None);
}

#[actix_rt::test]
async fn the_auditors_approval_recommends_and_an_admin_who_did_not_audit_certifies() {
    // Given a case in audit on a programme an admin decides
    let app = spawn_app().await;
    let world = a_case_decided_by_an_admin(&app).await;

    // An early decision has nothing to decide on
    decide(
        &app,
        &app.admin,
        &world.case_id,
        &json!({"outcome": "certify"}),
    )
    .await
    .should_be_problem(409, None);

    // When the auditor approves, the case stays in audit, recommended, with no certificate
    let case = approve(&app, &world).await;
    assert_eq!(case["stage"], "audit");
    assert_eq!(case["status"], "active");
    assert!(case["recommended_at"].is_string(), "{case}");
    assert!(case["certificate"].is_null());
    // The auditor cannot approve or return again while the decision is awaited
    approve_again_is_409(&app, &world).await;

    // Only an admin who neither audited nor runs the case decides
    let bad = [json!({"outcome": "maybe"}), json!({})];
    for body in bad {
        decide(&app, &app.admin, &world.case_id, &body)
            .await
            .should_be_problem(422, Some("outcome"));
    }
    decide(
        &app,
        &world.consultant,
        &world.case_id,
        &json!({"outcome": "certify"}),
    )
    .await
    .should_be_problem(403, None);
    make_admin(&app, &world.auditor);
    decide(
        &app,
        &world.auditor,
        &world.case_id,
        &json!({"outcome": "certify"}),
    )
    .await
    .should_be_problem(403, None);
    assert!(app.case(&world.case_id).await["certificate"].is_null());

    // The independent admin certifies: the certificate is issued as on an approval
    let case = decide(
        &app,
        &app.admin,
        &world.case_id,
        &json!({"outcome": "certify", "comment": "Rekommendationen följs."}),
    )
    .await
    .should_be(200)
    .body;
    assert_eq!(case["status"], "certified");
    assert_eq!(case["stage"], "certified");
    assert!(case["recommended_at"].is_null());
    assert_eq!(case["certificate"]["status"], "valid");
    assert!(case["next_surveillance_due"].is_string());
    let kinds = kinds(&app, &world.case_id).await;
    assert_eq!(kinds[kinds.len() - 2..], ["recommended", "approved"]);
    let events = app
        .get_events(&app.admin.token, &world.case_id)
        .await
        .should_be(200)
        .body;
    let last = events.as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["actor_id"], json!(app.admin.id));
    assert_eq!(last["comment"], "Rekommendationen följs.");
    // The recommendation's finding is kept
    let findings = app
        .get_findings(&app.admin.token, &world.case_id)
        .await
        .should_be(200)
        .items();
    assert_eq!(findings.len(), 1);
}

async fn approve_again_is_409(app: &TestApp, world: &World) {
    app.transition(
        &world.auditor.token,
        &world.case_id,
        &json!({"action": "approve"}),
    )
    .await
    .should_be_problem(409, None);
}

#[actix_rt::test]
async fn an_admin_who_returns_sends_the_case_back_and_the_unit_may_appeal() {
    let app = spawn_app().await;
    let world = a_case_decided_by_an_admin(&app).await;
    approve(&app, &world).await;
    let case = decide(
        &app,
        &app.admin,
        &world.case_id,
        &json!({"outcome": "return", "comment": "Underlaget räcker inte."}),
    )
    .await
    .should_be(200)
    .body;
    assert_eq!(case["stage"], "routine_integration");
    assert!(case["certificate"].is_null());
    let kinds = kinds(&app, &world.case_id).await;
    assert_eq!(kinds[kinds.len() - 2..], ["recommended", "returned"]);
    app.post(
        &world.consultant.token,
        &format!("/cases/{}/appeals", world.case_id),
        &json!({"text": "Revisorn rekommenderade certifiering."}),
    )
    .await
    .should_be(201);
}
