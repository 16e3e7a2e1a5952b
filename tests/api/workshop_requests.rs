//! Workshop requests: a unit's contact or a coordinator asks, staff accept by
//! scheduling a workshop session on the unit's live case or decline with a reason.

use serde_json::{json, Value};

use crate::helpers::{spawn_app, Reply, TestApp, TestUser, World};

fn request_body() -> Value {
    json!({
        "audience": "Lokalvårdarna på nattskiftet",
        "wished_dates": ["2026-03-20", "2026-03-12"],
        "perspectives": ["Normer", "Bemötande"],
        "message": "Gärna på förmiddagen."
    })
}

async fn ask(app: &TestApp, who: &TestUser, body: &Value) -> Reply {
    app.post(&who.token, "/workshop-requests", body).await
}

fn accept_body() -> Value {
    json!({
        "starts_at": "2026-03-12T09:00:00+01:00",
        "ends_at": "2026-03-12T11:00:00+01:00",
        "location": "Storgatan 1"
    })
}

/// A case and its unit's contact, who asks for a workshop.
async fn asked(app: &TestApp) -> (World, TestUser, String) {
    let world = app.given_a_case().await;
    let contact = app
        .create_user("unit_contact", None, Some(&world.unit_id))
        .await;
    let id = ask(app, &contact, &request_body())
        .await
        .should_be(201)
        .id();
    (world, contact, id)
}

#[actix_rt::test]
async fn a_unit_contact_asks_and_the_consultant_accepts_by_scheduling_a_workshop_on_the_case() {
    // Given a unit contact's request
    let app = spawn_app().await;
    let (world, contact, id) = asked(&app).await;
    let request = app
        .get(&contact.token, &format!("/workshop-requests/{id}"))
        .await
        .should_be(200)
        .body;
    assert_eq!(request["status"], "open");
    assert_eq!(request["unit_id"], world.unit_id.as_str());
    assert_eq!(request["organisation_id"], world.organisation_id.as_str());
    assert_eq!(request["wished_dates"], json!(["2026-03-12", "2026-03-20"]));

    // When the case's consultant accepts it
    let accepted = app
        .post(
            &world.consultant.token,
            &format!("/workshop-requests/{id}/accept"),
            &accept_body(),
        )
        .await
        .should_be(200)
        .body;

    // Then the request names the session, which is a workshop on the case
    assert_eq!(accepted["status"], "accepted");
    assert_eq!(accepted["case_id"], world.case_id.as_str());
    let sessions = app
        .get_sessions(&app.admin.token, &world.case_id)
        .await
        .should_be(200)
        .body;
    let session = sessions
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == accepted["session_id"])
        .expect("the session is on the case");
    assert_eq!(session["kind"], "workshop");
    assert_eq!(session["title"], "Lokalvårdarna på nattskiftet");

    // And deciding it again is a conflict
    app.post(
        &app.admin.token,
        &format!("/workshop-requests/{id}/decline"),
        &json!({"reason": "Too late"}),
    )
    .await
    .should_be_problem(409, None);
    app.post(
        &world.consultant.token,
        &format!("/workshop-requests/{id}/accept"),
        &accept_body(),
    )
    .await
    .should_be_problem(409, None);
}

#[actix_rt::test]
async fn a_declined_request_keeps_its_reason_and_a_blank_reason_is_refused() {
    let app = spawn_app().await;
    let (_, contact, id) = asked(&app).await;
    let path = format!("/workshop-requests/{id}/decline");
    app.post(&app.admin.token, &path, &json!({"reason": "   "}))
        .await
        .should_be_problem(422, Some("reason"));
    app.post(&app.admin.token, &path, &json!({}))
        .await
        .should_be_problem(422, None);

    let declined = app
        .post(
            &app.admin.token,
            &path,
            &json!({"reason": "Inga lediga datum i vår."}),
        )
        .await
        .should_be(200)
        .body;
    assert_eq!(declined["status"], "declined");
    assert_eq!(declined["reason"], "Inga lediga datum i vår.");
    let open = app
        .get(&contact.token, "/workshop-requests?status=open")
        .await
        .should_be(200);
    assert!(open.items().is_empty());
    let declined = app
        .get(&contact.token, "/workshop-requests?status=declined")
        .await
        .should_be(200);
    assert_eq!(declined.ids(), vec![id]);
}

#[actix_rt::test]
async fn bad_requests_name_their_field_and_change_nothing() {
    let app = spawn_app().await;
    let world = app.given_a_case().await;
    let contact = app
        .create_user("unit_contact", None, Some(&world.unit_id))
        .await;
    let cases: [(Value, &str); 5] = [
        (
            json!({"audience": "  ", "wished_dates": ["2026-03-20"]}),
            "audience",
        ),
        (
            json!({"audience": "Alla", "wished_dates": ["2026-03-20", "2026-03-01"]}),
            "wished_dates[1]",
        ),
        (
            json!({"audience": "Alla", "wished_dates": ["2026-03-02"]}),
            "wished_dates[0]",
        ),
        (
            json!({"audience": "Alla", "wished_dates": []}),
            "wished_dates",
        ),
        (
            json!({"audience": "Alla", "wished_dates": ["2026-03-20"], "unit_id": "nope"}),
            "unit_id",
        ),
    ];
    for (body, field) in cases {
        ask(&app, &contact, &body)
            .await
            .should_be_problem(422, Some(field));
    }
    ask(
        &app,
        &contact,
        &json!({"audience": "Alla", "wished_dates": ["20 mars"]}),
    )
    .await
    .should_be_problem(422, None);
    let all = app
        .get(&app.admin.token, "/workshop-requests")
        .await
        .should_be(200);
    assert!(all.items().is_empty(), "{}", all.text);
}

#[actix_rt::test]
async fn staff_do_not_ask_and_requesters_do_not_decide() {
    let app = spawn_app().await;
    let (world, contact, id) = asked(&app).await;
    ask(&app, &world.consultant, &request_body())
        .await
        .should_be_problem(403, None);
    app.post(
        &contact.token,
        &format!("/workshop-requests/{id}/decline"),
        &json!({"reason": "no"}),
    )
    .await
    .should_be_problem(403, None);
}

#[actix_rt::test]
async fn a_coordinator_asks_for_the_organisation_and_accepting_needs_a_units_live_case() {
    // Given a coordinator's request for the organisation as a whole
    let app = spawn_app().await;
    let organisation = app.create_organisation("Göteborgs Stad").await;
    let unit = app.create_unit(&organisation, 12).await;
    let coordinator = app
        .create_user("coordinator", Some(&organisation), None)
        .await;
    let id = ask(&app, &coordinator, &request_body())
        .await
        .should_be(201)
        .id();
    let path = format!("/workshop-requests/{id}/accept");

    // Then accepting it without a unit, or for a unit without a live case, is a conflict
    app.post(&app.admin.token, &path, &accept_body())
        .await
        .should_be_problem(409, None);
    let mut body = accept_body();
    body["unit_id"] = json!(unit);
    app.post(&app.admin.token, &path, &body)
        .await
        .should_be_problem(409, None);

    // And once the unit is enrolled, it is accepted on that unit's case
    let consultant = app.create_user("consultant", None, None).await;
    let case_id = app
        .enrol(&consultant.token, &unit)
        .await
        .should_be(201)
        .id();
    let accepted = app
        .post(&app.admin.token, &path, &body)
        .await
        .should_be(200)
        .body;
    assert_eq!(accepted["case_id"], case_id.as_str());
}

#[actix_rt::test]
async fn another_organisations_requests_are_not_found() {
    let app = spawn_app().await;
    let (_, contact, id) = asked(&app).await;
    let other = app.create_organisation("Borås Stad").await;
    let coordinator = app.create_user("coordinator", Some(&other), None).await;
    app.get(&coordinator.token, &format!("/workshop-requests/{id}"))
        .await
        .should_be_problem(404, None);
    let theirs = app
        .get(&coordinator.token, "/workshop-requests")
        .await
        .should_be(200);
    assert!(theirs.items().is_empty());
    let mine = app
        .get(&contact.token, "/workshop-requests")
        .await
        .should_be(200);
    assert_eq!(mine.ids(), vec![id]);
    app.get(&contact.token, "/workshop-requests?status=maybe")
        .await
        .should_be_problem(422, Some("status"));
}

#[actix_rt::test]
async fn staff_accept_a_request_as_an_open_event_for_the_requesters_organisation() {
    // Given a coordinator's request for the organisation as a whole (no case needed)
    let app = spawn_app().await;
    let world = app.given_a_case().await;
    let coordinator = app
        .create_user("coordinator", Some(&world.organisation_id), None)
        .await;
    let id = ask(&app, &coordinator, &request_body())
        .await
        .should_be(201)
        .id();
    let path = format!("/workshop-requests/{id}/accept");

    // Bad input changes nothing: an end before the start, an unknown booking
    let mut backwards = accept_body();
    backwards["schedule_as"] = json!("event");
    backwards["ends_at"] = json!("2026-03-12T08:00:00+01:00");
    app.post(&app.admin.token, &path, &backwards)
        .await
        .should_be_problem(422, Some("ends_at"));
    let mut unknown = accept_body();
    unknown["schedule_as"] = json!("webinar");
    app.post(&app.admin.token, &path, &unknown)
        .await
        .should_be_problem(422, None);
    let still = app
        .get(&coordinator.token, &format!("/workshop-requests/{id}"))
        .await
        .should_be(200)
        .body;
    assert_eq!(still["status"], "open");
    let events = app
        .get(&app.admin.token, "/events")
        .await
        .should_be(200)
        .body;
    assert_eq!(events["items"], json!([]), "no event was made");

    // When staff accept it as an event
    let mut body = accept_body();
    body["schedule_as"] = json!("event");
    body["title"] = json!("Verkstad om bemötande");
    let accepted = app
        .post(&world.consultant.token, &path, &body)
        .await
        .should_be(200)
        .body;

    // Then the request names the event, open to the organisation, of kind workshop
    assert_eq!(accepted["status"], "accepted");
    assert_eq!(accepted["case_id"], Value::Null);
    assert_eq!(accepted["session_id"], Value::Null);
    let event_id = accepted["event_id"]
        .as_str()
        .expect("the event")
        .to_string();
    let event = app
        .get(&coordinator.token, &format!("/events/{event_id}"))
        .await
        .should_be(200)
        .body;
    assert_eq!(event["title"], "Verkstad om bemötande");
    assert_eq!(event["kind"], "workshop");
    assert_eq!(event["audience"], "Lokalvårdarna på nattskiftet");
    assert_eq!(event["open_to"], json!([world.organisation_id]));
    assert_eq!(event["location"], "Storgatan 1");
    // And it is decided: a second acceptance is a conflict and makes no event
    app.post(&world.consultant.token, &path, &body)
        .await
        .should_be_problem(409, None);
    let events = app
        .get(&app.admin.token, "/events")
        .await
        .should_be(200)
        .body;
    assert_eq!(events["items"].as_array().unwrap().len(), 1);
}
