//! Transitions: who may take each.

use serde_json::json;

use super::*;
use crate::helpers::spawn_app;

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
