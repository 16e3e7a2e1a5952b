//! Sessions of a case: scheduling, moving, cancelling, attendance.

use chrono::Duration;
use serde_json::json;

use crate::helpers::{spawn_app, time};

#[actix_rt::test]
async fn scheduling_a_session_answers_201_and_counts_as_a_new_version() {
    // Given a case at version 1
    let app = spawn_app().await;
    let world = app.given_a_case().await;
    assert_eq!(app.version(&world.case_id).await, 1);
    // When its consultant schedules a kickoff
    let body = json!({ "kind": "kickoff", "title": "Kickoff", "location": "Room 4",
                       "starts_at": "2026-03-10T09:00:00+01:00", "ends_at": "2026-03-10T11:00:00+01:00" });
    let reply = app
        .post_session(&world.consultant.token, &world.case_id, &body)
        .await;
    // Then the session is created, not held, not cancelled, and the case moved one version
    let reply = reply.should_be(201);
    assert!(reply.header("location").is_some(), "a Location header");
    assert_eq!(reply.body["case_id"], world.case_id);
    assert_eq!(reply.body["kind"], "kickoff");
    assert_eq!(reply.body["location"], "Room 4");
    assert_eq!(
        time(reply.body["starts_at"].as_str().expect("starts_at")),
        time("2026-03-10T08:00:00Z")
    );
    assert!(reply.body["attended"].is_null(), "{}", reply.text);
    assert_eq!(reply.body["cancelled"], false);
    assert_eq!(app.version(&world.case_id).await, 2);
    // And it is listed
    let listed = app
        .get_sessions(&world.consultant.token, &world.case_id)
        .await
        .should_be(200);
    assert_eq!(listed.ids(), vec![reply.id()]);
}

#[actix_rt::test]
async fn a_session_ending_before_it_starts_is_422_naming_ends_at() {
    let app = spawn_app().await;
    let world = app.given_a_case().await;
    let body = json!({ "kind": "workshop", "title": "Backwards",
                       "starts_at": "2026-03-10T11:00:00Z", "ends_at": "2026-03-10T10:00:00Z" });
    let reply = app
        .post_session(&world.consultant.token, &world.case_id, &body)
        .await;
    reply.should_be_problem(422, Some("ends_at"));
    let same = json!({ "kind": "workshop", "title": "Instant",
                       "starts_at": "2026-03-10T11:00:00Z", "ends_at": "2026-03-10T11:00:00Z" });
    let reply = app
        .post_session(&world.consultant.token, &world.case_id, &same)
        .await;
    reply.should_be_problem(422, Some("ends_at"));
    assert_eq!(app.version(&world.case_id).await, 1);
    assert!(app
        .get_sessions(&app.admin.token, &world.case_id)
        .await
        .should_be(200)
        .items()
        .is_empty());
}

#[actix_rt::test]
async fn an_unknown_session_kind_is_422_naming_kind() {
    let app = spawn_app().await;
    let world = app.given_a_case().await;
    let mut body = app.session_body("workshop", 1);
    body["kind"] = json!("party");
    let reply = app
        .post_session(&world.consultant.token, &world.case_id, &body)
        .await;
    reply.should_be_problem(422, Some("kind"));
}

#[actix_rt::test]
async fn attendance_for_a_session_that_has_not_started_is_422_until_it_has() {
    // Given a workshop in an hour
    let app = spawn_app().await;
    let world = app.given_a_case_in("value_workshops").await;
    let token = &world.consultant.token;
    let sid = app
        .schedule_session_in(token, &world.case_id, "workshop", Duration::hours(1))
        .await;
    let version = app.version(&world.case_id).await;
    // When attendance is recorded now, it is refused and nothing changes
    app.put_attendance(token, &world.case_id, &sid, 8)
        .await
        .should_be_problem(422, Some("attended"));
    assert_eq!(app.version(&world.case_id).await, version);
    // When the hour has come, it is accepted
    app.clock.advance(Duration::hours(1) + Duration::minutes(1));
    let reply = app
        .put_attendance(token, &world.case_id, &sid, 8)
        .await
        .should_be(200);
    assert_eq!(reply.body["attended"], 8);
    assert_eq!(app.version(&world.case_id).await, version + 1);
}

#[actix_rt::test]
async fn attendance_above_the_headcount_is_422() {
    let app = spawn_app().await;
    let world = app.given_a_case().await;
    let sid = app
        .schedule_session(&world.consultant.token, &world.case_id, "kickoff", -1)
        .await;
    let reply = app
        .put_attendance(&world.consultant.token, &world.case_id, &sid, 11)
        .await;
    reply.should_be_problem(422, Some("attended"));
    let sessions = app
        .get_sessions(&world.consultant.token, &world.case_id)
        .await
        .should_be(200);
    assert!(
        sessions.items()[0]["attended"].is_null(),
        "{}",
        sessions.text
    );
}

#[actix_rt::test]
async fn an_invalid_field_names_its_code_and_the_english_message() {
    // Given a case whose unit has 10 staff and a session that has started
    let app = spawn_app().await;
    let world = app.given_a_case().await;
    let sid = app
        .schedule_session(&world.consultant.token, &world.case_id, "kickoff", -1)
        .await;

    // When 11 are said to have attended
    let reply = app
        .put_attendance(&world.consultant.token, &world.case_id, &sid, 11)
        .await
        .should_be_problem(422, Some("attended"));

    // Then the error carries a stable code beside its English message
    let error = &reply.body["errors"][0];
    assert_eq!(error["field"], "attended", "{}", reply.text);
    assert_eq!(error["code"], "above_headcount", "{}", reply.text);
    assert_eq!(
        error["message"], "must be between 0 and the headcount (10)",
        "{}",
        reply.text
    );
}

#[actix_rt::test]
async fn moving_a_session_changes_it_and_records_the_change() {
    let app = spawn_app().await;
    let world = app.given_a_case().await;
    let token = &world.consultant.token;
    let sid = app
        .schedule_session(token, &world.case_id, "kickoff", 5)
        .await;
    let body = json!({ "title": "Kickoff (moved)", "starts_at": "2026-03-20T09:00:00Z",
                       "ends_at": "2026-03-20T12:00:00Z" });
    let reply = app
        .patch_session(token, &world.case_id, &sid, &body)
        .await
        .should_be(200);
    assert_eq!(reply.body["title"], "Kickoff (moved)");
    assert_eq!(
        time(reply.body["ends_at"].as_str().expect("ends_at")),
        time("2026-03-20T12:00:00Z")
    );
    let events = app
        .get_events(token, &world.case_id)
        .await
        .should_be(200)
        .items();
    assert_eq!(events.last().expect("events")["kind"], "session_changed");
    assert_eq!(app.version(&world.case_id).await, 3);
}

#[actix_rt::test]
async fn moving_a_session_to_end_before_it_starts_is_422_and_changes_nothing() {
    let app = spawn_app().await;
    let world = app.given_a_case().await;
    let token = &world.consultant.token;
    let sid = app
        .schedule_session(token, &world.case_id, "kickoff", 5)
        .await;
    let before = app
        .get_sessions(token, &world.case_id)
        .await
        .should_be(200)
        .body;
    let body = json!({ "ends_at": "2026-03-01T09:00:00Z" });
    app.patch_session(token, &world.case_id, &sid, &body)
        .await
        .should_be_problem(422, Some("ends_at"));
    assert_eq!(
        app.get_sessions(token, &world.case_id)
            .await
            .should_be(200)
            .body,
        before
    );
}

#[actix_rt::test]
async fn a_deleted_session_stays_listed_as_cancelled_and_takes_no_attendance() {
    // Given a scheduled workshop
    let app = spawn_app().await;
    let world = app.given_a_case_in("value_workshops").await;
    let token = &world.consultant.token;
    let sid = app
        .schedule_session(token, &world.case_id, "workshop", -1)
        .await;
    // When it is deleted
    app.delete_session(token, &world.case_id, &sid)
        .await
        .should_be(204);
    // Then it is still listed, cancelled, and the history says so
    let sessions = app
        .get_sessions(token, &world.case_id)
        .await
        .should_be(200)
        .items();
    let session = sessions
        .iter()
        .find(|s| s["id"] == sid.as_str())
        .expect("still listed");
    assert_eq!(session["cancelled"], true);
    let events = app
        .get_events(token, &world.case_id)
        .await
        .should_be(200)
        .items();
    assert_eq!(events.last().expect("events")["kind"], "session_cancelled");
    // And it cannot take attendance, nor be deleted again
    app.put_attendance(token, &world.case_id, &sid, 9)
        .await
        .should_be_problem(409, None);
    app.delete_session(token, &world.case_id, &sid)
        .await
        .should_be_problem(409, None);
}

#[actix_rt::test]
async fn deleting_a_session_with_attendance_is_409() {
    let app = spawn_app().await;
    let world = app.given_a_case().await;
    let token = &world.consultant.token;
    let sid = app.hold_session(token, &world.case_id, "kickoff", 9).await;
    let version = app.version(&world.case_id).await;
    app.delete_session(token, &world.case_id, &sid)
        .await
        .should_be_problem(409, None);
    let sessions = app
        .get_sessions(token, &world.case_id)
        .await
        .should_be(200)
        .items();
    assert_eq!(sessions[0]["cancelled"], false);
    assert_eq!(sessions[0]["attended"], 9);
    assert_eq!(app.version(&world.case_id).await, version);
}

#[actix_rt::test]
async fn a_session_of_another_case_is_404_under_this_one() {
    let app = spawn_app().await;
    let first = app.given_a_case().await;
    let second = app.given_a_case().await;
    let sid = app
        .schedule_session(&second.consultant.token, &second.case_id, "kickoff", -1)
        .await;
    let admin = &app.admin.token;
    app.put_attendance(admin, &first.case_id, &sid, 5)
        .await
        .should_be_problem(404, None);
    app.delete_session(admin, &first.case_id, &sid)
        .await
        .should_be_problem(404, None);
    let body = json!({ "title": "Hijacked" });
    app.patch_session(admin, &first.case_id, &sid, &body)
        .await
        .should_be_problem(404, None);
    let sessions = app
        .get_sessions(admin, &second.case_id)
        .await
        .should_be(200)
        .items();
    assert!(sessions[0]["attended"].is_null());
    assert_eq!(sessions[0]["cancelled"], false);
}

#[actix_rt::test]
async fn a_session_may_be_recorded_after_the_fact_dated_before_the_enrolment() {
    let app = spawn_app().await;
    let world = app.given_a_case().await;
    let body = json!({ "kind": "kickoff", "title": "Held in January",
                       "starts_at": "2026-01-15T09:00:00Z", "ends_at": "2026-01-15T11:00:00Z" });
    let sid = app
        .post_session(&world.consultant.token, &world.case_id, &body)
        .await
        .should_be(201)
        .id();
    app.put_attendance(&world.consultant.token, &world.case_id, &sid, 10)
        .await
        .should_be(200);
    let case = app.case(&world.case_id).await;
    assert_eq!(case["requirements"][0]["met"], true, "{case}");
}
