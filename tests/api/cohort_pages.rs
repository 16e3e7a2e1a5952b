//! The cohort pages: staff see every member's progress and the forms; a coordinator
//! sees their own organisation's row and no form; a cohort without their
//! organisation is not found.

use serde_json::json;

use crate::helpers::{spawn_app, Reply, TestApp};
use crate::pages::page;

/// The organisation's name, as the admin reads it.
async fn name_of(app: &TestApp, organisation_id: &str) -> String {
    app.get_organisation(&app.admin.token, organisation_id)
        .await
        .should_be(200)
        .body["name"]
        .as_str()
        .expect("a name")
        .to_string()
}

#[actix_rt::test]
async fn the_cohort_page_shows_each_members_progress_and_a_coordinator_only_their_own_row() {
    // Given a round of two organisations with a case each
    let app = spawn_app().await;
    let boras = app.given_a_case().await;
    let vanersborg = app.given_a_case().await;
    let body = json!({
        "name": "Från vad till hur",
        "programme_id": app.default_programme_id().await,
        "period_start": "2026-01-15",
        "period_end": "2026-12-15",
        "organisation_ids": [boras.organisation_id, vanersborg.organisation_id],
    });
    let id = app
        .post(&app.admin.token, "/cohorts", &body)
        .await
        .should_be(201)
        .id();
    let shows = |reply: &Reply, name: &str| reply.text.contains(name);
    let boras_name = name_of(&app, &boras.organisation_id).await;
    let vanersborg_name = name_of(&app, &vanersborg.organisation_id).await;

    // Then the admin's list offers the form and the cohort page shows both rows
    let list = page(&app, &app.admin.token, "/cohorts")
        .await
        .should_be(200);
    assert!(
        list.text.contains("id=\"cohort\" class=\"stacked\""),
        "{}",
        list.text
    );
    assert!(list.text.contains(&format!("/cohorts/{id}")));
    let shown = page(&app, &app.admin.token, &format!("/cohorts/{id}"))
        .await
        .should_be(200);
    assert!(shows(&shown, &boras_name) && shows(&shown, &vanersborg_name));
    assert!(shown.text.contains(&format!("/cases/{}", boras.case_id)));
    assert!(shown.text.contains("Uppstart"), "the stage in Swedish");

    // And Borås's coordinator sees only Borås's row, and no form
    let coordinator = app
        .create_user("coordinator", Some(&boras.organisation_id), None)
        .await;
    let theirs = page(&app, &coordinator.token, &format!("/cohorts/{id}"))
        .await
        .should_be(200);
    assert!(shows(&theirs, &boras_name));
    assert!(!shows(&theirs, &vanersborg_name), "{}", theirs.text);
    assert!(!theirs.text.contains("class=\"stacked\""));
    let list = page(&app, &coordinator.token, "/cohorts")
        .await
        .should_be(200);
    assert!(!list.text.contains("id=\"cohort\" class=\"stacked\""));

    // And a coordinator outside the round does not find it
    let outside = app.create_organisation("Herrljunga kommun").await;
    let stranger = app.create_user("coordinator", Some(&outside), None).await;
    page(&app, &stranger.token, &format!("/cohorts/{id}"))
        .await
        .should_be(404);
}
