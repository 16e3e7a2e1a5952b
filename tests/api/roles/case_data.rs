//! Sessions, reflections, evidence and findings: who may write them.

use serde_json::json;

use super::*;
use crate::helpers::spawn_app;

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
