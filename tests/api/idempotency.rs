//! `Idempotency-Key` on POST: a replay answers the first response and changes nothing.

use serde_json::json;

use crate::helpers::spawn_app;

#[actix_rt::test]
async fn the_same_key_and_body_twice_creates_one_organisation_and_replays_the_answer() {
    // Given an organisation created with a key
    let app = spawn_app().await;
    let body = json!({ "name": "Helsingborgs stad", "org_number": "212000-0142" });
    let first = app
        .post_with_key(&app.admin.token, "/organisations", "key-1", &body)
        .await
        .should_be(201);
    // When the same request is sent again
    let second = app
        .post_with_key(&app.admin.token, "/organisations", "key-1", &body)
        .await;
    // Then the answer is the first one again
    assert_eq!(second.status, first.status);
    assert_eq!(second.body, first.body);
    assert_eq!(second.header("etag"), first.header("etag"));
    assert_eq!(second.header("location"), first.header("location"));
    // And there is one organisation
    let list = app
        .get_organisations(&app.admin.token, "")
        .await
        .should_be(200);
    assert_eq!(list.ids(), vec![first.id()]);
}

#[actix_rt::test]
async fn the_same_key_with_another_body_is_422_and_creates_nothing() {
    let app = spawn_app().await;
    app.post_with_key(
        &app.admin.token,
        "/organisations",
        "key-2",
        &json!({ "name": "First" }),
    )
    .await
    .should_be(201);
    let reply = app
        .post_with_key(
            &app.admin.token,
            "/organisations",
            "key-2",
            &json!({ "name": "Second" }),
        )
        .await;
    reply.should_be_problem(422, None);
    let list = app
        .get_organisations(&app.admin.token, "")
        .await
        .should_be(200);
    assert_eq!(list.items().len(), 1);
    assert_eq!(list.items()[0]["name"], "First");
}

#[actix_rt::test]
async fn a_key_is_scoped_to_the_caller() {
    // Given an admin and a consultant who happen to use the same key and body
    let app = spawn_app().await;
    let org = app.create_organisation("Org").await;
    let consultant = app.create_user("consultant", None, None).await;
    let path = format!("/organisations/{org}/units");
    let body = json!({ "name": "Same unit", "headcount": 5 });
    // When both post
    let by_admin = app
        .post_with_key(&app.admin.token, &path, "shared-key", &body)
        .await
        .should_be(201);
    let by_consultant = app
        .post_with_key(&consultant.token, &path, "shared-key", &body)
        .await
        .should_be(201);
    // Then two units exist
    assert_ne!(by_admin.id(), by_consultant.id());
    let units = app
        .get_units(&app.admin.token, &format!("?organisation_id={org}"))
        .await
        .should_be(200);
    assert_eq!(units.items().len(), 2);
}

#[actix_rt::test]
async fn an_enrolment_replayed_answers_the_same_case_and_etag() {
    let app = spawn_app().await;
    let org = app.create_organisation("Org").await;
    let unit = app.create_unit(&org, 10).await;
    let consultant = app.create_user("consultant", None, None).await;
    let body = json!({ "unit_id": unit, "programme_id": app.default_programme_id().await });
    let first = app
        .post_with_key(&consultant.token, "/cases", "enrol-1", &body)
        .await
        .should_be(201);
    let second = app
        .post_with_key(&consultant.token, "/cases", "enrol-1", &body)
        .await;
    // Not the 409 of a second live case: the first answer again
    let second = second.should_be(201);
    assert_eq!(second.body, first.body);
    assert_eq!(second.etag(), first.etag());
    let cases = app.get_cases(&app.admin.token, "").await.should_be(200);
    assert_eq!(cases.ids(), vec![first.id()]);
}

#[actix_rt::test]
async fn a_transition_replayed_with_its_key_changes_the_case_once() {
    // Given a case whose kickoff is held
    let app = spawn_app().await;
    let world = app.given_a_case().await;
    app.hold_session(&world.consultant.token, &world.case_id, "kickoff", 9)
        .await;
    let etag = app
        .get_case(&app.admin.token, &world.case_id)
        .await
        .should_be(200)
        .etag();
    let path = format!("/api/v1/cases/{}/transitions", world.case_id);
    let headers = [
        ("If-Match", etag.as_str()),
        ("Idempotency-Key", "advance-1"),
    ];
    let body = json!({ "action": "advance" });
    // When the same advance is sent twice with the same key and If-Match
    let send = || {
        app.call(
            awc::http::Method::POST,
            &path,
            Some(&world.consultant.token),
            &headers,
            Some(&body),
        )
    };
    let first = send().await.should_be(200);
    let second = send().await;
    // Then the second is the first answer again, not a 412
    let second = second.should_be(200);
    assert_eq!(second.body, first.body);
    assert_eq!(second.etag(), first.etag());
    // And the case advanced once
    let events = app
        .get_events(&app.admin.token, &world.case_id)
        .await
        .should_be(200)
        .items();
    assert_eq!(
        events
            .iter()
            .filter(|e| e["kind"] == "stage_advanced")
            .count(),
        1
    );
    assert_eq!(app.case(&world.case_id).await["stage"], "value_workshops");
}
