//! Cohorts: one programme round across several organisations, each member's cases
//! and progress on one page; staff see every row, a coordinator only their own.

use serde_json::{json, Value};

use crate::helpers::{spawn_app, Reply, TestApp};

async fn create(app: &TestApp, body: &Value) -> Reply {
    app.post(&app.admin.token, "/cohorts", body).await
}

async fn round(app: &TestApp, organisation_ids: &[&str]) -> Value {
    json!({
        "name": "Från vad till hur",
        "programme_id": app.default_programme_id().await,
        "period_start": "2026-01-15",
        "period_end": "2026-12-15",
        "organisation_ids": organisation_ids,
    })
}

#[actix_rt::test]
async fn a_cohort_shows_each_member_organisations_cases_and_a_coordinator_only_their_own() {
    // Given two organisations with a case each, in one round
    let app = spawn_app().await;
    let boras = app.given_a_case().await;
    let vanersborg = app.given_a_case().await;
    let body = round(&app, &[&boras.organisation_id, &vanersborg.organisation_id]).await;
    let created = create(&app, &body).await.should_be(201);
    let id = created.id();
    assert_eq!(
        created.header("location").as_deref(),
        Some(format!("/api/v1/cohorts/{id}").as_str())
    );

    // Then staff see both rows with their cases and progress
    let cohort = app
        .get(&boras.consultant.token, &format!("/cohorts/{id}"))
        .await
        .should_be(200)
        .body;
    let rows = cohort["organisations"].as_array().unwrap();
    assert_eq!(rows.len(), 2);
    let row = rows
        .iter()
        .find(|r| r["id"] == boras.organisation_id.as_str())
        .expect("Borås's row");
    assert_eq!(row["cases"][0]["id"], boras.case_id.as_str());
    assert_eq!(row["cases"][0]["stage"], "kickoff");
    assert_eq!(row["cases"][0]["status"], "active");
    assert!(row["cases"][0]["requirements_total"].as_u64().unwrap() >= 1);

    // And a coordinator of Borås sees only Borås's row, in the list too
    let coordinator = app
        .create_user("coordinator", Some(&boras.organisation_id), None)
        .await;
    let theirs = app
        .get(&coordinator.token, &format!("/cohorts/{id}"))
        .await
        .should_be(200)
        .body;
    let rows = theirs["organisations"].as_array().unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["id"], boras.organisation_id.as_str());
    let listed = app.get(&coordinator.token, "/cohorts").await.should_be(200);
    assert_eq!(listed.ids(), vec![id.clone()]);
    assert_eq!(
        listed.items()[0]["organisations"].as_array().unwrap().len(),
        1
    );

    // And a coordinator of an organisation outside the round does not find it
    let outside = app.create_organisation("Herrljunga kommun").await;
    let stranger = app.create_user("coordinator", Some(&outside), None).await;
    app.get(&stranger.token, &format!("/cohorts/{id}"))
        .await
        .should_be_problem(404, None);
    assert!(app
        .get(&stranger.token, "/cohorts")
        .await
        .should_be(200)
        .items()
        .is_empty());

    // Until it is added; adding it twice is a conflict
    let path = format!("/cohorts/{id}/organisations");
    app.post(
        &app.admin.token,
        &path,
        &json!({"organisation_id": outside}),
    )
    .await
    .should_be(200);
    app.post(
        &app.admin.token,
        &path,
        &json!({"organisation_id": outside}),
    )
    .await
    .should_be_problem(409, None);
    app.get(&stranger.token, &format!("/cohorts/{id}"))
        .await
        .should_be(200);
    app.post(&app.admin.token, &path, &json!({"organisation_id": "nope"}))
        .await
        .should_be_problem(422, Some("organisation_id"));
    app.post(
        &coordinator.token,
        &path,
        &json!({"organisation_id": outside}),
    )
    .await
    .should_be_problem(403, None);
}

#[actix_rt::test]
async fn bad_cohorts_name_their_field_and_change_nothing() {
    let app = spawn_app().await;
    let organisation = app.create_organisation("Borås Stad").await;
    let good = round(&app, &[&organisation]).await;
    let mut unknown = good.clone();
    unknown["organisation_ids"] = json!([organisation, "nope"]);
    create(&app, &unknown)
        .await
        .should_be_problem(422, Some("organisation_ids[1]"));
    let mut backwards = good.clone();
    backwards["period_end"] = json!("2025-12-31");
    create(&app, &backwards)
        .await
        .should_be_problem(422, Some("period_end"));
    let mut ancient = good.clone();
    ancient["period_start"] = json!("0001-01-01");
    create(&app, &ancient)
        .await
        .should_be_problem(422, Some("period_start"));
    let mut no_programme = good.clone();
    no_programme["programme_id"] = json!("nope");
    create(&app, &no_programme)
        .await
        .should_be_problem(422, Some("programme_id"));
    let mut blank = good.clone();
    blank["name"] = json!(" ");
    create(&app, &blank)
        .await
        .should_be_problem(422, Some("name"));
    assert!(app
        .get(&app.admin.token, "/cohorts")
        .await
        .should_be(200)
        .items()
        .is_empty());
    app.get(&app.admin.token, "/cohorts/nope")
        .await
        .should_be_problem(404, None);
    let coordinator = app
        .create_user("coordinator", Some(&organisation), None)
        .await;
    app.post(&coordinator.token, "/cohorts", &good)
        .await
        .should_be_problem(403, None);
}
