//! The workshop-request pages: a unit's contact asks through the form and sees their
//! requests; staff see the queue with open requests first and book a request as a
//! session on the unit's case or as an open event, or decline it after being asked;
//! another organisation finds nothing; bad input is shown next to its field with
//! nothing changed. The clock stands at 2 March 2026.

use serde_json::{json, Value};

use crate::helpers::{spawn_app, TestApp, TestUser, World};
use crate::pages::page;
use crate::web_session::Web;

fn has_form(text: &str, id: &str) -> bool {
    text.contains(&format!("id=\"{id}\" class=\"stacked\""))
}

/// A case and its unit's contact.
async fn contact(app: &TestApp) -> (World, TestUser) {
    let world = app.given_a_case().await;
    let contact = app
        .create_user("unit_contact", None, Some(&world.unit_id))
        .await;
    (world, contact)
}

/// A request by `who` over the API.
async fn asked(app: &TestApp, who: &TestUser, audience: &str) -> String {
    app.post(
        &who.token,
        "/workshop-requests",
        &json!({ "audience": audience, "wished_dates": ["2026-03-20"] }),
    )
    .await
    .should_be(201)
    .id()
}

async fn request(app: &TestApp, id: &str) -> Value {
    app.get(&app.admin.token, &format!("/workshop-requests/{id}"))
        .await
        .should_be(200)
        .body
}

async fn all_requests(app: &TestApp) -> String {
    app.get(&app.admin.token, "/workshop-requests?limit=200")
        .await
        .should_be(200)
        .text
}

#[actix_rt::test]
async fn a_contact_asks_through_the_form_and_staff_see_the_queue_open_first() {
    let app = spawn_app().await;
    let (world, contact) = contact(&app).await;
    // An older request, already declined
    let old = asked(&app, &contact, "Ledningsgruppen").await;
    app.post(
        &app.admin.token,
        &format!("/workshop-requests/{old}/decline"),
        &json!({ "reason": "Inga lediga datum." }),
    )
    .await
    .should_be(200);

    // The contact asks through the form
    let mut web = Web::login(&app, &contact.email).await;
    let list = web.get("/workshop-requests").await;
    assert_eq!(list.status, 200);
    assert!(has_form(&list.text, "workshop-request"), "{}", list.text);
    let sent = web
        .post(
            "/workshop-requests",
            &[
                ("audience", "Lokalvårdarna på kvällsskiftet"),
                ("wished_dates[0]", "2026-03-20"),
                ("wished_dates[1]", ""),
                ("wished_dates[2]", "2026-03-12"),
                ("perspectives", "Normer, Bemötande"),
                ("message", "Gärna kl. 15."),
            ],
        )
        .await;
    assert_eq!(sent.status, 303, "{}", sent.text);
    let location = sent.header("location").unwrap();
    let id = location
        .trim_start_matches("/workshop-requests/")
        .to_string();
    let made = request(&app, &id).await;
    assert_eq!(made["status"], "open");
    assert_eq!(made["unit_id"], world.unit_id.as_str());
    assert_eq!(made["wished_dates"], json!(["2026-03-12", "2026-03-20"]));
    assert_eq!(made["perspectives"], json!(["Normer", "Bemötande"]));
    assert_eq!(made["message"], "Gärna kl. 15.");

    // Their list shows both with their status; their request's page has no staff forms
    let theirs = web.get("/workshop-requests").await;
    assert!(
        theirs.text.contains("Lokalvårdarna på kvällsskiftet") && theirs.text.contains("Avböjd")
    );
    let shown = web.get(&location).await;
    assert_eq!(shown.status, 200);
    assert!(shown.text.contains("Normer, Bemötande") && shown.text.contains("Öppen"));
    assert!(
        !has_form(&shown.text, "workshop-accept") && !has_form(&shown.text, "workshop-decline")
    );

    // Staff's queue: the open one first, no form to ask; the request's page has both
    let queue = page(&app, &world.consultant.token, "/workshop-requests")
        .await
        .should_be(200);
    assert!(!has_form(&queue.text, "workshop-request"));
    let open = queue.text.find("Lokalvårdarna på kvällsskiftet").unwrap();
    let declined = queue.text.find("Ledningsgruppen").unwrap();
    assert!(open < declined, "open requests first");
    let staff = page(&app, &world.consultant.token, &location)
        .await
        .should_be(200);
    assert!(has_form(&staff.text, "workshop-accept") && has_form(&staff.text, "workshop-decline"));

    // Another organisation's coordinator finds neither
    let elsewhere = app.create_organisation("Herrljunga kommun").await;
    let stranger = app.create_user("coordinator", Some(&elsewhere), None).await;
    let list = page(&app, &stranger.token, "/workshop-requests")
        .await
        .should_be(200);
    assert!(!list.text.contains("Lokalvårdarna"));
    page(&app, &stranger.token, &location).await.should_be(404);
    page(&app, &app.admin.token, "/workshop-requests/no-such-request")
        .await
        .should_be(404);
}

#[actix_rt::test]
async fn bad_input_is_shown_next_to_its_fields_and_changes_nothing() {
    let app = spawn_app().await;
    let (world, contact) = contact(&app).await;
    let mut web = Web::login(&app, &contact.email).await;
    let before = all_requests(&app).await;

    // No audience and an unreadable date, both named, what was typed kept
    let refused = web
        .post(
            "/workshop-requests",
            &[
                ("audience", " "),
                ("wished_dates[0]", "2026-03-20"),
                ("wished_dates[1]", "nästa fredag"),
            ],
        )
        .await;
    assert_eq!(refused.status, 422, "{}", refused.text);
    assert!(refused
        .text
        .contains("id=\"workshop-request-audience-error\""));
    assert!(
        refused
            .text
            .contains("id=\"workshop-request-wished_dates-1--error\""),
        "{}",
        refused.text
    );
    assert!(refused.text.contains("value=\"nästa fredag\""));
    // A date that has passed, in the third field, is named there
    let refused = web
        .post(
            "/workshop-requests",
            &[("audience", "Alla"), ("wished_dates[2]", "2026-01-10")],
        )
        .await;
    assert_eq!(refused.status, 422, "{}", refused.text);
    assert!(
        refused
            .text
            .contains("id=\"workshop-request-wished_dates-2--error\""),
        "{}",
        refused.text
    );
    // No date at all
    let refused = web
        .post("/workshop-requests", &[("audience", "Alla")])
        .await;
    assert_eq!(refused.status, 422);
    assert!(refused
        .text
        .contains("id=\"workshop-request-wished_dates-0--error\""));
    assert_eq!(all_requests(&app).await, before, "no request was made");

    // Booking: an unreadable time, an end before the start, an unknown kind of booking
    let id = asked(&app, &contact, "Alla på enheten").await;
    let open = request(&app, &id).await;
    let mut staff = Web::login(&app, &world.consultant.email).await;
    let accept = format!("/workshop-requests/{id}/accept");
    for (fields, field) in [
        (
            vec![
                ("schedule_as", "session"),
                ("starts_at", "i morgon"),
                ("ends_at", "2026-03-12T11:00"),
            ],
            "workshop-accept-starts_at-error",
        ),
        (
            vec![
                ("schedule_as", "event"),
                ("starts_at", "2026-03-12T11:00"),
                ("ends_at", "2026-03-12T09:00"),
            ],
            "workshop-accept-ends_at-error",
        ),
        (
            vec![
                ("schedule_as", "webinar"),
                ("starts_at", "2026-03-12T09:00"),
                ("ends_at", "2026-03-12T11:00"),
            ],
            "workshop-accept-schedule_as-error",
        ),
    ] {
        let refused = staff.post(&accept, &fields).await;
        assert_eq!(refused.status, 422, "{fields:?}: {}", refused.text);
        assert!(
            refused.text.contains(&format!("id=\"{field}\"")),
            "{fields:?}: {}",
            refused.text
        );
    }
    // A blank reason is refused before the question
    let refused = staff
        .post(
            &format!("/workshop-requests/{id}/decline"),
            &[("reason", " ")],
        )
        .await;
    assert_eq!(refused.status, 422);
    assert!(refused
        .text
        .contains("id=\"workshop-decline-reason-error\""));
    // The unit's contact may not book it
    let refused = web
        .post(
            &accept,
            &[
                ("schedule_as", "session"),
                ("starts_at", "2026-03-12T09:00"),
                ("ends_at", "2026-03-12T11:00"),
            ],
        )
        .await;
    assert_eq!(refused.status, 403);
    assert_eq!(request(&app, &id).await, open, "the request is still open");
    let events = app
        .get(&app.admin.token, "/events?limit=200")
        .await
        .should_be(200)
        .body;
    assert_eq!(events["items"], json!([]), "no event was made");
}

#[actix_rt::test]
async fn staff_book_a_request_as_a_session_or_an_event_and_decline_one_after_being_asked() {
    let app = spawn_app().await;
    let (world, contact) = contact(&app).await;
    let mut staff = Web::login(&app, &world.consultant.email).await;

    // As a session on the unit's case
    let first = asked(&app, &contact, "Kvällsskiftet").await;
    let booked = staff
        .post(
            &format!("/workshop-requests/{first}/accept"),
            &[
                ("schedule_as", "session"),
                ("title", ""),
                ("starts_at", "2026-03-12T09:00"),
                ("ends_at", "2026-03-12T11:00"),
                ("location", "Storgatan 1"),
            ],
        )
        .await;
    assert_eq!(booked.status, 303, "{}", booked.text);
    let done = request(&app, &first).await;
    assert_eq!(done["status"], "accepted");
    assert_eq!(done["case_id"], world.case_id.as_str());
    assert_eq!(done["event_id"], Value::Null);
    let sessions = app
        .get_sessions(&app.admin.token, &world.case_id)
        .await
        .body;
    assert!(sessions
        .as_array()
        .unwrap()
        .iter()
        .any(|s| s["id"] == done["session_id"] && s["kind"] == "workshop"));
    let shown = staff.get(&format!("/workshop-requests/{first}")).await;
    assert!(
        shown.text.contains(&format!("/cases/{}", world.case_id)) && shown.text.contains("Bokad")
    );

    // As an open event for the organisation
    let second = asked(&app, &contact, "Nattskiftet").await;
    let booked = staff
        .post(
            &format!("/workshop-requests/{second}/accept"),
            &[
                ("schedule_as", "event"),
                ("title", "Verkstad för nattskiftet"),
                ("starts_at", "2026-03-19T09:00"),
                ("ends_at", "2026-03-19T11:00"),
                ("location", ""),
            ],
        )
        .await;
    assert_eq!(booked.status, 303, "{}", booked.text);
    let done = request(&app, &second).await;
    assert_eq!(done["status"], "accepted");
    assert_eq!(done["session_id"], Value::Null);
    let event_id = done["event_id"].as_str().expect("an event").to_string();
    let event = app
        .get(&app.admin.token, &format!("/events/{event_id}"))
        .await
        .should_be(200)
        .body;
    assert_eq!(event["title"], "Verkstad för nattskiftet");
    assert_eq!(event["kind"], "workshop");
    assert_eq!(event["open_to"], json!([world.organisation_id]));

    // Declining asks first; the question changes nothing; the confirmation declines
    let third = asked(&app, &contact, "Ledningen").await;
    let decline = format!("/workshop-requests/{third}/decline");
    let question = staff
        .post(
            &decline,
            &[("step", "review"), ("reason", "Inga lediga datum i vår.")],
        )
        .await;
    assert_eq!(question.status, 200);
    assert!(
        question.text.contains("id=\"workshop-decline-confirm\""),
        "{}",
        question.text
    );
    assert_eq!(request(&app, &third).await["status"], "open");
    let declined = staff
        .post(
            &decline,
            &[("step", "confirm"), ("reason", "Inga lediga datum i vår.")],
        )
        .await;
    assert_eq!(declined.status, 303, "{}", declined.text);
    let done = request(&app, &third).await;
    assert_eq!(done["status"], "declined");
    assert_eq!(done["reason"], "Inga lediga datum i vår.");
    // Deciding it again is a conflict, in words
    let again = staff
        .post(&decline, &[("step", "confirm"), ("reason", "Igen.")])
        .await;
    assert_eq!(again.status, 409);
    assert!(again.text.contains("Det här är redan avgjort."));
}

#[actix_rt::test]
async fn a_coordinator_asks_for_the_whole_organisation_or_one_of_its_units() {
    let app = spawn_app().await;
    let world = app.given_a_case().await;
    let coordinator = app
        .create_user("coordinator", Some(&world.organisation_id), None)
        .await;
    let mut web = Web::login(&app, &coordinator.email).await;
    let list = web.get("/workshop-requests").await;
    assert!(
        list.text.contains(&format!("value=\"{}\"", world.unit_id)),
        "the organisation's units are offered: {}",
        list.text
    );
    for (unit, audience) in [
        ("", "Alla chefer"),
        (world.unit_id.as_str(), "Enhetens lag"),
    ] {
        let sent = web
            .post(
                "/workshop-requests",
                &[
                    ("audience", audience),
                    ("unit_id", unit),
                    ("wished_dates[0]", "2026-04-01"),
                ],
            )
            .await;
        assert_eq!(sent.status, 303, "{}", sent.text);
        let id = sent
            .header("location")
            .unwrap()
            .trim_start_matches("/workshop-requests/")
            .to_string();
        let made = request(&app, &id).await;
        assert_eq!(made["organisation_id"], world.organisation_id.as_str());
        let expected = if unit.is_empty() {
            Value::Null
        } else {
            json!(unit)
        };
        assert_eq!(made["unit_id"], expected, "{audience}");
    }
    // Another organisation's unit is refused next to its field
    let other = app.given_a_case().await;
    let before = all_requests(&app).await;
    let refused = web
        .post(
            "/workshop-requests",
            &[
                ("audience", "Fel enhet"),
                ("unit_id", &other.unit_id),
                ("wished_dates[0]", "2026-04-01"),
            ],
        )
        .await;
    assert_eq!(refused.status, 422, "{}", refused.text);
    assert!(refused
        .text
        .contains("id=\"workshop-request-unit_id-error\""));
    assert_eq!(all_requests(&app).await, before);
}
