//! Bad input: a clear problem naming the field, never a 500, and nothing changes.

use awc::http::Method;
use chrono::Duration;
use serde_json::{json, Value};

use crate::helpers::{spawn_app, TestApp, World};

const PROBLEM: &str = "application/problem+json";

/// Sends raw bytes as JSON to `path` as `token`.
async fn send_raw(
    app: &TestApp,
    method: Method,
    path: &str,
    token: &str,
    bytes: Vec<u8>,
) -> crate::helpers::Reply {
    let path = format!("/api/v1{path}");
    app.call_raw(
        method,
        &path,
        Some(token),
        &[],
        Some((bytes, "application/json")),
    )
    .await
}

#[actix_rt::test]
async fn malformed_json_is_400_problem_json_and_creates_nothing() {
    let app = spawn_app().await;
    for bytes in [
        &b"{\"name\": "[..],
        b"{name: 'x'}",
        b"not json",
        b"{\"name\":\"x\"}}",
    ] {
        let reply = send_raw(
            &app,
            Method::POST,
            "/organisations",
            &app.admin.token,
            bytes.to_vec(),
        )
        .await;
        reply.should_be_problem(400, None);
    }
    assert!(app
        .get_organisations(&app.admin.token, "")
        .await
        .should_be(200)
        .items()
        .is_empty());
}

#[actix_rt::test]
async fn malformed_json_on_a_transition_is_400_and_changes_nothing() {
    let app = spawn_app().await;
    let world = app.given_a_case().await;
    let etag = app
        .get_case(&app.admin.token, &world.case_id)
        .await
        .should_be(200)
        .etag();
    let path = format!("/api/v1/cases/{}/transitions", world.case_id);
    let headers = [("If-Match", etag.as_str())];
    let body = Some((b"{\"action\": \"adv".to_vec(), "application/json"));
    let reply = app
        .call_raw(
            Method::POST,
            &path,
            Some(&world.consultant.token),
            &headers,
            body,
        )
        .await;
    reply.should_be_problem(400, None);
    assert_eq!(app.version(&world.case_id).await, 1);
}

#[actix_rt::test]
async fn a_body_over_256_kib_is_413_and_creates_nothing() {
    let app = spawn_app().await;
    let body = json!({ "name": "x".repeat(260 * 1024) });
    let reply = app.post_organisations(&app.admin.token, &body).await;
    reply.should_be_problem(413, None);
    assert!(app
        .get_organisations(&app.admin.token, "")
        .await
        .should_be(200)
        .items()
        .is_empty());
}

#[actix_rt::test]
async fn evidence_over_256_kib_is_413_not_422() {
    let app = spawn_app().await;
    let world = app.given_a_case_in("routine_integration").await;
    let version = app.version(&world.case_id).await;
    let body = json!({ "area": "apt", "description": "y".repeat(257 * 1024) });
    app.post_evidence(&world.consultant.token, &world.case_id, &body)
        .await
        .should_be_problem(413, None);
    assert_eq!(app.version(&world.case_id).await, version);
}

#[actix_rt::test]
async fn the_longest_notes_written_as_json_escapes_are_accepted_and_one_more_is_422() {
    // Given a case, and notes of 10,000 emoji written the way Python's json.dumps
    // writes them (`\ud83d\ude0d`, 12 bytes each: 120 KB of body)
    let app = spawn_app().await;
    let world = app.given_a_case().await;
    let body = |count: usize| {
        let mut session = app.session_body_in("kickoff", Duration::days(3));
        session["notes"] = json!("");
        let text = serde_json::to_string(&session).expect("a session body");
        let notes = "\\ud83d\\ude0d".repeat(count);
        text.replace("\"notes\":\"\"", &format!("\"notes\":\"{notes}\""))
            .into_bytes()
    };
    let path = format!("/api/v1/cases/{}/sessions", world.case_id);
    let post = |bytes: Vec<u8>| {
        app.call_raw(
            Method::POST,
            &path,
            Some(&world.consultant.token),
            &[],
            Some((bytes, "application/json")),
        )
    };
    // When one more than the limit is sent, it is refused on the field, not as too large
    post(body(10_001))
        .await
        .should_be_problem(422, Some("notes"));
    assert!(app
        .get_sessions(&world.consultant.token, &world.case_id)
        .await
        .should_be(200)
        .items()
        .is_empty());
    // Then the longest notes are stored whole
    let session = post(body(10_000)).await.should_be(201);
    assert_eq!(
        session.body["notes"].as_str().map(|n| n.chars().count()),
        Some(10_000)
    );
}

#[actix_rt::test]
async fn numbers_sent_as_strings_are_422_naming_the_field() {
    // Given a unit and a case with a past session
    let app = spawn_app().await;
    let world = app.given_a_case().await;
    let token = &world.consultant.token;
    let sid = app
        .schedule_session(token, &world.case_id, "kickoff", -1)
        .await;
    let unit_before = app
        .get_unit(&app.admin.token, &world.unit_id)
        .await
        .should_be(200)
        .body;
    let version = app.version(&world.case_id).await;
    // When numbers come as strings, each is 422 naming its field
    let org = &world.organisation_id;
    app.post_units(token, org, &json!({ "name": "U", "headcount": "10" }))
        .await
        .should_be_problem(422, Some("headcount"));
    app.patch_unit(token, &world.unit_id, &json!({ "headcount": "12" }))
        .await
        .should_be_problem(422, Some("headcount"));
    let path = format!("/cases/{}/sessions/{sid}/attendance", world.case_id);
    app.put(token, &path, &json!({ "attended": "8" }))
        .await
        .should_be_problem(422, Some("attended"));
    let path = format!("/cases/{}/reflections", world.case_id);
    app.put(token, &path, &json!({ "completed": "8" }))
        .await
        .should_be_problem(422, Some("completed"));
    let programme = json!({ "key": "p", "name": "P", "workshops_required": "3" });
    app.post_programmes(&app.admin.token, &programme)
        .await
        .should_be_problem(422, Some("workshops_required"));
    // Then nothing changed
    assert_eq!(
        app.get_unit(&app.admin.token, &world.unit_id)
            .await
            .should_be(200)
            .body,
        unit_before
    );
    assert_eq!(app.version(&world.case_id).await, version);
    let units = app
        .get_units(&app.admin.token, &format!("?organisation_id={org}"))
        .await
        .should_be(200);
    assert_eq!(units.items().len(), 1);
}

#[actix_rt::test]
async fn times_without_an_offset_are_422_naming_the_field() {
    let app = spawn_app().await;
    let world = app.given_a_case().await;
    let token = &world.consultant.token;
    let no_offset = json!({ "kind": "kickoff", "title": "K", "starts_at": "2026-03-10T09:00:00",
                            "ends_at": "2026-03-10T11:00:00+01:00" });
    app.post_session(token, &world.case_id, &no_offset)
        .await
        .should_be_problem(422, Some("starts_at"));
    let date_only = json!({ "kind": "kickoff", "title": "K", "starts_at": "2026-03-10T09:00:00Z",
                            "ends_at": "2026-03-10" });
    app.post_session(token, &world.case_id, &date_only)
        .await
        .should_be_problem(422, Some("ends_at"));
    let sid = app
        .schedule_session(token, &world.case_id, "kickoff", 3)
        .await;
    let patch = json!({ "starts_at": "2026-03-12 09:00:00" });
    app.patch_session(token, &world.case_id, &sid, &patch)
        .await
        .should_be_problem(422, Some("starts_at"));
    let sessions = app
        .get_sessions(token, &world.case_id)
        .await
        .should_be(200)
        .items();
    assert_eq!(sessions.len(), 1, "only the valid session exists");
    assert_eq!(app.version(&world.case_id).await, 2);
}

#[actix_rt::test]
async fn unknown_fields_are_422_naming_them_and_change_nothing() {
    let app = spawn_app().await;
    let world: World = app.given_a_case().await;
    let admin = &app.admin.token;
    let unit_before = app
        .get_unit(admin, &world.unit_id)
        .await
        .should_be(200)
        .body;
    app.post_organisations(admin, &json!({ "name": "X", "colour": "red" }))
        .await
        .should_be_problem(422, Some("colour"));
    app.patch_unit(admin, &world.unit_id, &json!({ "hedcount": 3 }))
        .await
        .should_be_problem(422, Some("hedcount"));
    app.transition(
        admin,
        &world.case_id,
        &json!({ "action": "pause", "force": true }),
    )
    .await
    .should_be_problem(422, Some("force"));
    let mut session = app.session_body("kickoff", 1);
    session["room"] = json!("4");
    app.post_session(admin, &world.case_id, &session)
        .await
        .should_be_problem(422, Some("room"));
    app.post_token_raw(
        &json!({ "email": app.admin.email, "password": crate::helpers::PASSWORD, "otp": 1 }),
    )
    .await
    .should_be_problem(422, Some("otp"));
    assert_eq!(
        app.get_unit(admin, &world.unit_id)
            .await
            .should_be(200)
            .body,
        unit_before
    );
    assert_eq!(app.version(&world.case_id).await, 1);
    assert!(
        app.get_organisations(admin, "").await.should_be(200).ids()
            == vec![world.organisation_id.clone()]
    );
}

#[actix_rt::test]
async fn missing_or_mistyped_required_fields_are_422_naming_them() {
    let app = spawn_app().await;
    let world = app.given_a_case().await;
    let admin = &app.admin.token;
    let org = &world.organisation_id;
    app.post_organisations(admin, &json!({}))
        .await
        .should_be_problem(422, Some("name"));
    app.post_organisations(admin, &json!({ "name": 42 }))
        .await
        .should_be_problem(422, Some("name"));
    app.post_units(admin, org, &json!({ "name": "U" }))
        .await
        .should_be_problem(422, Some("headcount"));
    app.post_units(admin, org, &json!({ "name": "U", "headcount": 5.5 }))
        .await
        .should_be_problem(422, Some("headcount"));
    let session = json!({ "kind": "kickoff", "title": "K", "starts_at": "2026-03-10T09:00:00Z" });
    app.post_session(admin, &world.case_id, &session)
        .await
        .should_be_problem(422, Some("ends_at"));
    app.transition(admin, &world.case_id, &json!({}))
        .await
        .should_be_problem(422, Some("action"));
    let evidence = json!({ "area": "apt" });
    app.post_evidence(admin, &world.case_id, &evidence)
        .await
        .should_be_problem(422, Some("description"));
    assert_eq!(app.version(&world.case_id).await, 1);
}

/// Bodies that are wrong in every way but valid JSON, plus one that is not JSON.
fn garbage() -> Vec<Value> {
    vec![
        Value::Null,
        json!([]),
        json!("string"),
        json!(7),
        json!({ "id": { "nested": [1, 2, 3] }, "action": 1, "headcount": -5, "attended": 1e300 }),
        json!({ "headcount": 99999999999999999999u128 as f64, "attended": -1, "completed": true }),
        json!({ "action": "advance", "findings": "all of them", "auditor_id": [] }),
        json!({ "email": "\u{0000}", "password": "", "name": "\u{202e}", "role": null }),
    ]
}

#[actix_rt::test]
async fn no_bad_input_to_any_write_endpoint_gets_a_500() {
    let app = spawn_app().await;
    let world = app.given_a_case_in("routine_integration").await;
    let sid = app
        .get_sessions(&app.admin.token, &world.case_id)
        .await
        .should_be(200)
        .ids()[0]
        .clone();
    let etag = app
        .get_case(&app.admin.token, &world.case_id)
        .await
        .should_be(200)
        .etag();
    let version = app.version(&world.case_id).await;
    let c = format!("/api/v1/cases/{}", world.case_id);
    let endpoints = [
        (Method::POST, "/api/v1/auth/token".to_string()),
        (Method::POST, "/api/v1/users".to_string()),
        (Method::POST, "/api/v1/organisations".to_string()),
        (
            Method::POST,
            format!("/api/v1/organisations/{}/units", world.organisation_id),
        ),
        (Method::PATCH, format!("/api/v1/units/{}", world.unit_id)),
        (Method::POST, "/api/v1/programmes".to_string()),
        (Method::POST, "/api/v1/cases".to_string()),
        (Method::POST, format!("{c}/sessions")),
        (Method::PATCH, format!("{c}/sessions/{sid}")),
        (Method::PUT, format!("{c}/sessions/{sid}/attendance")),
        (Method::PUT, format!("{c}/reflections")),
        (Method::POST, format!("{c}/evidence")),
        (Method::POST, format!("{c}/transitions")),
    ];
    for (method, path) in &endpoints {
        for body in garbage() {
            let headers = [("If-Match", etag.as_str())];
            let reply = app
                .call(
                    method.clone(),
                    path,
                    Some(&app.admin.token),
                    &headers,
                    Some(&body),
                )
                .await;
            let status = reply.status.as_u16();
            assert!(
                (400..500).contains(&status),
                "{method} {path} {body}: {status} {}",
                reply.text
            );
            let content_type = reply.header("content-type").unwrap_or_default();
            assert!(
                content_type.starts_with(PROBLEM),
                "{method} {path} {body}: {content_type}"
            );
        }
    }
    assert_eq!(
        app.version(&world.case_id).await,
        version,
        "no garbage changed the case"
    );
}
