//! Optimistic concurrency: `If-Match` on transitions, and many clients at once.

use awc::http::Method;
use futures::future::join_all;
use serde_json::json;

use crate::helpers::{spawn_app, TestApp, World};

async fn a_case_ready_to_advance(app: &TestApp) -> (World, String) {
    let world = app.given_a_case().await;
    app.hold_session(&world.consultant.token, &world.case_id, "kickoff", 9)
        .await;
    let etag = app
        .get_case(&app.admin.token, &world.case_id)
        .await
        .should_be(200)
        .etag();
    (world, etag)
}

#[actix_rt::test]
async fn get_case_sends_the_version_as_etag() {
    let app = spawn_app().await;
    let (world, etag) = a_case_ready_to_advance(&app).await;
    let case = app.case(&world.case_id).await;
    assert_eq!(etag, format!("\"{}\"", case["version"]));
}

#[actix_rt::test]
async fn a_transition_without_if_match_is_428_and_changes_nothing() {
    let app = spawn_app().await;
    let (world, etag) = a_case_ready_to_advance(&app).await;
    let reply = app
        .post_transition(
            &world.consultant.token,
            &world.case_id,
            None,
            &json!({ "action": "advance" }),
        )
        .await;
    reply.should_be_problem(428, None);
    assert_eq!(
        app.get_case(&app.admin.token, &world.case_id)
            .await
            .should_be(200)
            .etag(),
        etag
    );
}

#[actix_rt::test]
async fn a_transition_with_a_stale_if_match_is_412_and_changes_nothing() {
    // Given a case read at one version, then changed by another write
    let app = spawn_app().await;
    let (world, stale) = a_case_ready_to_advance(&app).await;
    app.schedule_session(&world.consultant.token, &world.case_id, "workshop", 2)
        .await;
    let current = app.case(&world.case_id).await;
    // When the consultant advances with the old ETag
    let reply = app
        .post_transition(
            &world.consultant.token,
            &world.case_id,
            Some(&stale),
            &json!({ "action": "advance" }),
        )
        .await;
    // Then it is 412 and the case is as it was
    reply.should_be_problem(412, None);
    assert_eq!(app.case(&world.case_id).await, current);
}

#[actix_rt::test]
async fn a_weak_etag_is_accepted_and_success_answers_the_new_etag() {
    let app = spawn_app().await;
    let (world, etag) = a_case_ready_to_advance(&app).await;
    let weak = format!("W/{etag}");
    let reply = app
        .post_transition(
            &world.consultant.token,
            &world.case_id,
            Some(&weak),
            &json!({ "action": "advance" }),
        )
        .await;
    let reply = reply.should_be(200);
    assert_eq!(reply.body["stage"], "value_workshops");
    assert_ne!(reply.etag(), etag);
    assert_eq!(reply.etag(), format!("\"{}\"", reply.body["version"]));
    assert_eq!(
        app.get_case(&app.admin.token, &world.case_id)
            .await
            .should_be(200)
            .etag(),
        reply.etag()
    );
}

#[actix_rt::test]
async fn sixteen_clients_advancing_with_the_same_etag_get_one_200_and_fifteen_412() {
    // Given a case ready to advance, read once
    let app = spawn_app().await;
    let (world, etag) = a_case_ready_to_advance(&app).await;
    let version = app.version(&world.case_id).await;
    let path = format!("/api/v1/cases/{}/transitions", world.case_id);
    let body = json!({ "action": "advance" });
    let headers = [("If-Match", etag.as_str())];
    // When sixteen clients send the same advance at once
    let replies = join_all((0..16).map(|_| {
        app.call(
            Method::POST,
            &path,
            Some(&world.consultant.token),
            &headers,
            Some(&body),
        )
    }))
    .await;
    // Then exactly one wins and the others are told the case moved on
    let statuses: Vec<u16> = replies.iter().map(|r| r.status.as_u16()).collect();
    assert_eq!(
        statuses.iter().filter(|s| **s == 200).count(),
        1,
        "{statuses:?}"
    );
    assert_eq!(
        statuses.iter().filter(|s| **s == 412).count(),
        15,
        "{statuses:?}"
    );
    // And the history shows one stage_advanced, the version one more
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
    assert_eq!(app.version(&world.case_id).await, version + 1);
}

#[actix_rt::test]
async fn sixteen_pieces_of_evidence_at_once_each_get_their_own_version() {
    let app = spawn_app().await;
    let world = app.given_a_case_in("routine_integration").await;
    let version = app.version(&world.case_id).await;
    let replies = join_all(
        (0..16).map(|_| app.add_evidence(&world.consultant.token, &world.case_id, "quality")),
    )
    .await;
    for reply in replies {
        reply.should_be(201);
    }
    assert_eq!(app.version(&world.case_id).await, version + 16);
    let events = app
        .get_events(&app.admin.token, &world.case_id)
        .await
        .should_be(200)
        .items();
    let seqs: Vec<u64> = events
        .iter()
        .map(|e| e["seq"].as_u64().expect("a seq"))
        .collect();
    assert_eq!(seqs, (1..=version + 16).collect::<Vec<_>>());
    for pair in events.windows(2) {
        assert_eq!(
            pair[1]["prev_hash"], pair[0]["hash"],
            "the chain holds under concurrency"
        );
    }
}

#[actix_rt::test]
async fn eight_clients_enrolling_the_same_unit_at_once_create_one_case() {
    let app = spawn_app().await;
    let org = app.create_organisation("Org").await;
    let unit = app.create_unit(&org, 10).await;
    let consultant = app.create_user("consultant", None, None).await;
    let programme_id = app.default_programme_id().await;
    let body = json!({ "unit_id": unit, "programme_id": programme_id });
    let replies = join_all((0..8).map(|_| app.post_cases(&consultant.token, &body))).await;
    let statuses: Vec<u16> = replies.iter().map(|r| r.status.as_u16()).collect();
    assert_eq!(
        statuses.iter().filter(|s| **s == 201).count(),
        1,
        "{statuses:?}"
    );
    assert_eq!(
        statuses.iter().filter(|s| **s == 409).count(),
        7,
        "{statuses:?}"
    );
    assert_eq!(
        app.get_cases(&app.admin.token, "")
            .await
            .should_be(200)
            .items()
            .len(),
        1
    );
}
