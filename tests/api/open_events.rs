//! Open events with public sign-up: places and the waitlist, refusals that change
//! nothing, who sees which event, attendance that counts for the attending unit's
//! case, and the erasure of registrants by `stegvis jobs run --at`.

use awc::http::Method;
use chrono::Duration;
use serde_json::{json, Value};

use crate::certificates::run_jobs_at;
use crate::helpers::{requirement, spawn_app, Reply, TestApp, PASSWORD};
use crate::web_session::{csrf_of, Web};

/// A week after the tests' start, 09.00–12.00 Stockholm time.
const STARTS: &str = "2026-03-09T08:00:00Z";
const ENDS: &str = "2026-03-09T11:00:00Z";

fn event_body(kind: &str, capacity: Option<u32>, open_to: Value) -> Value {
    let mut body = json!({
        "title": "Lärträff 1: normer och bemötande",
        "kind": kind,
        "starts_at": STARTS,
        "ends_at": ENDS,
        "location": "Stadshuset, Helsingborg",
        "description": "Vi går igenom hur vi når de sista 20 procenten.",
        "open_to": open_to,
    });
    if let Some(c) = capacity {
        body["capacity"] = json!(c);
    }
    body
}

async fn create_event(app: &TestApp, body: &Value) -> Reply {
    app.post(&app.admin.token, "/events", body).await
}

async fn sign_up(app: &TestApp, event_id: &str, body: &Value) -> Reply {
    let path = format!("/api/v1/events/{event_id}/registrations");
    app.call(Method::POST, &path, None, &[], Some(body)).await
}

fn person(name: &str, email: &str) -> Value {
    json!({ "name": name, "email": email })
}

/// The admin's token now: moving the clock or running the jobs (which clean up tokens
/// by the process's own clock) ends earlier ones.
async fn admin(app: &TestApp) -> String {
    app.login(&app.admin.email, PASSWORD).await
}

async fn registrations(app: &TestApp, event_id: &str) -> Vec<Value> {
    app.get(
        &admin(app).await,
        &format!("/events/{event_id}/registrations"),
    )
    .await
    .should_be(200)
    .body
    .as_array()
    .expect("a list of registrations")
    .clone()
}

/// The subjects of the outbox's mails to `email`.
async fn subjects_to(app: &TestApp, email: &str) -> Vec<String> {
    app.get(&app.admin.token, "/admin/mail?limit=200")
        .await
        .should_be(200)
        .items()
        .into_iter()
        .filter(|m| m["recipient"] == email)
        .map(|m| m["subject"].as_str().unwrap_or_default().to_string())
        .collect()
}

#[actix_rt::test]
async fn places_then_the_waitlist_and_a_cancellation_moves_the_first_up() {
    // Given an event open to all with two places
    let app = spawn_app().await;
    let event = create_event(&app, &event_body("learning_meeting", Some(2), json!("all")))
        .await
        .should_be(201);
    let id = event.id();
    assert_eq!(event.body["seats_left"], 2);
    assert_eq!(event.body["open_to"], "all");
    // When three sign up, without logging in
    let mut receipts = Vec::new();
    for (name, email) in [
        ("Anna Berg", "anna@example.se"),
        ("Bo Ek", "bo@example.se"),
        ("Cecilia Öst", "cecilia@example.se"),
    ] {
        receipts.push(
            sign_up(&app, &id, &person(name, email))
                .await
                .should_be(201)
                .body,
        );
    }
    // Then two have a place, the third waits, each told so by mail
    let statuses: Vec<&str> = receipts
        .iter()
        .map(|r| r["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, ["confirmed", "confirmed", "waitlisted"]);
    assert_eq!(
        subjects_to(&app, "cecilia@example.se").await,
        ["Du står på väntelistan: Lärträff 1: normer och bemötande"]
    );
    // And the public view counts them but names nobody
    let public = app
        .public_get(&format!("/api/v1/events/{id}"))
        .await
        .should_be(200);
    assert_eq!(
        (
            public.body["confirmed"].clone(),
            public.body["waitlisted"].clone(),
            public.body["seats_left"].clone()
        ),
        (json!(2), json!(1), json!(0))
    );
    assert!(!public.text.contains("anna@example.se") && !public.text.contains("Anna"));

    // When a wrong token tries to cancel, nothing happens
    let first = receipts[0]["id"].as_str().unwrap();
    let path = format!("/api/v1/events/{id}/registrations/{first}?token=00ff");
    app.call(Method::DELETE, &path, None, &[], None)
        .await
        .should_be(404);
    // And without token or log-in it is 401
    let bare = format!("/api/v1/events/{id}/registrations/{first}");
    app.call(Method::DELETE, &bare, None, &[], None)
        .await
        .should_be(401);
    // When the admin cancels the first registration
    app.delete(
        &app.admin.token,
        &format!("/events/{id}/registrations/{first}"),
    )
    .await
    .should_be(204);
    // Then the waitlisted moves up and is told
    let rows = registrations(&app, &id).await;
    let statuses: Vec<&str> = rows.iter().map(|r| r["status"].as_str().unwrap()).collect();
    assert_eq!(statuses, ["cancelled", "confirmed", "confirmed"]);
    assert!(subjects_to(&app, "cecilia@example.se")
        .await
        .contains(&"Du har fått en plats: Lärträff 1: normer och bemötande".to_string()));
    // And cancelling again changes nothing
    app.delete(
        &app.admin.token,
        &format!("/events/{id}/registrations/{first}"),
    )
    .await
    .should_be(204);
    assert_eq!(registrations(&app, &id).await.len(), 3);
    // And the CSV lists them with Swedish headings
    let csv = app
        .get(&app.admin.token, &format!("/events/{id}/registrations.csv"))
        .await
        .should_be(200);
    assert!(csv.text.contains("Namn;E-post"), "{}", csv.text);
    assert!(csv.text.contains("Cecilia Öst;cecilia@example.se"));
}

#[actix_rt::test]
async fn duplicates_late_sign_ups_and_a_capacity_below_the_confirmed_change_nothing() {
    let app = spawn_app().await;
    let mut body = event_body("learning_meeting", Some(3), json!("all"));
    body["registration_closes_at"] = json!("2026-03-05T12:00:00Z");
    let id = create_event(&app, &body).await.should_be(201).id();
    sign_up(&app, &id, &person("Anna Berg", "Anna@Example.se"))
        .await
        .should_be(201);
    sign_up(&app, &id, &person("Bo Ek", "bo@example.se"))
        .await
        .should_be(201);
    // The same address in other letters: the first registration stands
    let again = sign_up(&app, &id, &person("Anna B", "anna@example.SE"))
        .await
        .should_be_problem(409, None);
    assert!(
        again.text.contains("first registration stands"),
        "{}",
        again.text
    );
    // Fewer places than the confirmed
    app.patch(
        &app.admin.token,
        &format!("/events/{id}"),
        &json!({ "capacity": 1 }),
    )
    .await
    .should_be_problem(409, None);
    // After sign-up closes
    app.clock.advance(Duration::days(4));
    sign_up(&app, &id, &person("Cecilia Öst", "cecilia@example.se"))
        .await
        .should_be_problem(409, None);
    // Nothing changed
    let rows = registrations(&app, &id).await;
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0]["name"], "Anna Berg");
    let event = app
        .public_get(&format!("/api/v1/events/{id}"))
        .await
        .should_be(200);
    assert_eq!(
        (
            event.body["capacity"].clone(),
            event.body["registration_open"].clone()
        ),
        (json!(3), json!(false))
    );
}

#[actix_rt::test]
async fn bad_events_and_bad_sign_ups_name_the_field_and_change_nothing() {
    let app = spawn_app().await;
    let org = app.create_organisation("Helsingborgs stad").await;
    let other = app.create_organisation("Region Skåne").await;
    let other_unit = app.create_unit(&other, 10).await;
    let cases: [(Value, &str); 6] = [
        (json!({ "ends_at": "2026-03-09T07:00:00Z" }), "ends_at"),
        (
            json!({ "registration_closes_at": "2026-03-10T00:00:00Z" }),
            "registration_closes_at",
        ),
        (json!({ "open_to": ["no-such-org"] }), "open_to[0]"),
        (json!({ "capacity": 0 }), "capacity"),
        (json!({ "kind": "party" }), "kind"),
        (json!({ "title": "  " }), "title"),
    ];
    for (change, field) in cases {
        let mut body = event_body("kickoff", None, json!([org]));
        for (k, v) in change.as_object().unwrap() {
            body[k] = v.clone();
        }
        create_event(&app, &body)
            .await
            .should_be_problem(422, Some(field));
    }
    let listed = app.get(&app.admin.token, "/events").await.should_be(200);
    assert!(listed.items().is_empty());

    let id = create_event(&app, &event_body("kickoff", None, json!([org])))
        .await
        .should_be(201)
        .id();
    let sign_ups: [(Value, &str); 5] = [
        (
            json!({ "name": "A", "email": "not-an-address", "organisation_id": org }),
            "email",
        ),
        (
            json!({ "name": "A", "email": "a@example.se", "organisation_id": "nope" }),
            "organisation_id",
        ),
        (
            json!({ "name": "A", "email": "a@example.se", "organisation_id": org, "unit_id": other_unit }),
            "unit_id",
        ),
        (
            json!({ "name": "A", "email": "a@example.se", "unit_id": other_unit }),
            "organisation_id",
        ),
        (
            json!({ "name": "\u{202e}A", "email": "a@example.se", "organisation_id": org }),
            "name",
        ),
    ];
    for (body, field) in sign_ups {
        sign_up(&app, &id, &body)
            .await
            .should_be_problem(422, Some(field));
    }
    assert!(registrations(&app, &id).await.is_empty());
    // A name is kept NFC-normalised
    let decomposed = "Cecilia O\u{308}st";
    sign_up(
        &app,
        &id,
        &json!({ "name": decomposed, "email": "c@example.se", "organisation_id": org }),
    )
    .await
    .should_be(201);
    assert_eq!(registrations(&app, &id).await[0]["name"], "Cecilia Öst");
}

#[actix_rt::test]
async fn coordinators_see_the_events_open_to_them_and_only_staff_manage_them() {
    let app = spawn_app().await;
    let ours = app.create_organisation("Helsingborgs stad").await;
    let theirs = app.create_organisation("Region Skåne").await;
    let coordinator = app.create_user("coordinator", Some(&ours), None).await;
    let consultant = app.create_user("consultant", None, None).await;
    let for_all = create_event(&app, &event_body("kickoff", None, json!("all")))
        .await
        .should_be(201)
        .id();
    let for_us = create_event(&app, &event_body("kickoff", None, json!([ours])))
        .await
        .should_be(201)
        .id();
    let for_them = create_event(&app, &event_body("kickoff", None, json!([theirs])))
        .await
        .should_be(201)
        .id();
    let seen = app
        .get(&coordinator.token, "/events")
        .await
        .should_be(200)
        .ids();
    assert_eq!(seen.len(), 2);
    assert!(seen.contains(&for_all) && seen.contains(&for_us) && !seen.contains(&for_them));
    assert_eq!(
        app.get(&consultant.token, "/events?limit=2")
            .await
            .should_be(200)
            .items()
            .len(),
        2
    );
    // Coordinators neither create events nor read registrants
    create_event_as(&app, &coordinator.token)
        .await
        .should_be(403);
    app.get(
        &coordinator.token,
        &format!("/events/{for_us}/registrations"),
    )
    .await
    .should_be(403);
    // A consultant does
    create_event_as(&app, &consultant.token)
        .await
        .should_be(201);
    app.get(
        &consultant.token,
        &format!("/events/{for_them}/registrations"),
    )
    .await
    .should_be(200);
}

async fn create_event_as(app: &TestApp, token: &str) -> Reply {
    app.post(token, "/events", &event_body("kickoff", None, json!("all")))
        .await
}

#[actix_rt::test]
async fn attendance_counts_once_as_a_held_session_for_each_attending_units_case() {
    // Given a unit of 10 enrolled in kickoff, and a kickoff event open to all
    let app = spawn_app().await;
    let world = app.given_a_case().await;
    let id = create_event(&app, &event_body("kickoff", None, json!("all")))
        .await
        .should_be(201)
        .id();
    // And nine of the unit's staff and one from elsewhere sign up
    let mut ids = Vec::new();
    for n in 0..9 {
        let body = json!({ "name": format!("Person {n}"), "email": format!("p{n}@example.se"), "unit_id": world.unit_id });
        ids.push(sign_up(&app, &id, &body).await.should_be(201).id());
    }
    let outsider = sign_up(&app, &id, &person("Olle Utomstående", "olle@example.se"))
        .await
        .should_be(201)
        .id();
    // Attendance before the start is refused
    let attended = json!({ "attended": ids });
    app.put(
        &app.admin.token,
        &format!("/events/{id}/attendance"),
        &attended,
    )
    .await
    .should_be_problem(409, None);
    // When the event has been held and all ten attended
    app.clock.advance(Duration::days(7));
    let token = admin(&app).await;
    let consultant = app.login(&world.consultant.email, PASSWORD).await;
    let mut everyone = ids.clone();
    everyone.push(outsider);
    let event = app
        .put(
            &token,
            &format!("/events/{id}/attendance"),
            &json!({ "attended": everyone }),
        )
        .await
        .should_be(200);
    assert_eq!(event.body["attended"], 10);
    // Then the unit's case has the kickoff held with its nine attendees
    let case = app
        .get_case(&token, &world.case_id)
        .await
        .should_be(200)
        .body;
    let held = requirement(&case, "kickoff_held");
    assert_eq!(
        (held["current"].clone(), held["met"].clone()),
        (json!(1), json!(true))
    );
    let sessions = app
        .get_sessions(&consultant, &world.case_id)
        .await
        .should_be(200)
        .items();
    assert_eq!(sessions.len(), 1);
    assert_eq!(
        (sessions[0]["kind"].clone(), sessions[0]["attended"].clone()),
        (json!("kickoff"), json!(9))
    );
    // When attendance is recorded again with seven of the unit
    app.put(
        &token,
        &format!("/events/{id}/attendance"),
        &json!({ "attended": ids[..7] }),
    )
    .await
    .should_be(200);
    // Then the same session holds the new count: nothing is counted twice
    let sessions = app
        .get_sessions(&consultant, &world.case_id)
        .await
        .should_be(200)
        .items();
    assert_eq!(sessions.len(), 1);
    assert_eq!(sessions[0]["attended"], 7);
    // And an id that is no registration of the event names its place
    app.put(
        &token,
        &format!("/events/{id}/attendance"),
        &json!({ "attended": [ids[0], "nope"] }),
    )
    .await
    .should_be_problem(422, Some("attended[1]"));
    assert_eq!(
        app.get_sessions(&consultant, &world.case_id).await.items()[0]["attended"],
        7
    );
}

#[actix_rt::test]
async fn registrants_are_erased_after_the_retention_period_and_the_counts_stay() {
    let app = spawn_app().await;
    let id = create_event(&app, &event_body("learning_meeting", Some(1), json!("all")))
        .await
        .should_be(201)
        .id();
    sign_up(&app, &id, &person("Anna Berg", "anna@example.se"))
        .await
        .should_be(201);
    sign_up(&app, &id, &person("Bo Ek", "bo@example.se"))
        .await
        .should_be(201);
    // A day before the 30 days are up, nothing is erased
    let report = run_jobs_at(&app, "2026-04-08T10:59:00Z").await;
    assert_eq!(report["registrants_erased"], 0);
    assert_eq!(registrations(&app, &id).await[0]["name"], "Anna Berg");
    // 30 days after the end, names and addresses are gone and the counts stay
    let report = run_jobs_at(&app, "2026-04-08T11:00:00Z").await;
    assert_eq!(report["registrants_erased"], 2);
    let rows = registrations(&app, &id).await;
    assert!(rows
        .iter()
        .all(|r| r["name"].is_null() && r["email"].is_null()));
    let statuses: Vec<&str> = rows.iter().map(|r| r["status"].as_str().unwrap()).collect();
    assert_eq!(statuses, ["confirmed", "waitlisted"]);
    let event = app
        .public_get(&format!("/api/v1/events/{id}"))
        .await
        .should_be(200);
    assert_eq!(
        (
            event.body["confirmed"].clone(),
            event.body["waitlisted"].clone()
        ),
        (json!(1), json!(1))
    );
}

/// Gives the registration a cancel token the test knows (the real one is only in the
/// registrant's mail; tests/notifications follows the mail's link).
fn known_token(app: &TestApp, registration_id: &str) -> &'static str {
    use sha2::{Digest, Sha256};
    let token = "0123456789abcdef0123456789abcdef";
    let hash = hex::encode(Sha256::digest(token.as_bytes()));
    app.execute_sql(&format!(
        "UPDATE event_registrations SET token_hash = '{hash}' WHERE id = '{registration_id}'"
    ));
    token
}

#[actix_rt::test]
async fn the_cancel_page_asks_first_refuses_a_forged_form_and_then_cancels() {
    // Given Anna with the one place and Bo waiting
    let app = spawn_app().await;
    let id = create_event(&app, &event_body("learning_meeting", Some(1), json!("all")))
        .await
        .should_be(201)
        .id();
    let anna = sign_up(&app, &id, &person("Anna Berg", "anna@example.se"))
        .await
        .should_be(201)
        .id();
    sign_up(&app, &id, &person("Bo Ek", "bo@example.se"))
        .await
        .should_be(201);
    let token = known_token(&app, &anna);
    let path = format!("/events/{id}/cancel/{anna}");
    // When Anna opens the link from her mail, it asks first
    let mut web = Web::anonymous(&app);
    let page = web.get(&format!("{path}?token={token}&lang=en")).await;
    assert_eq!(page.status, 200, "{}", page.text);
    assert!(
        page.text.contains("Do you want to cancel your place?"),
        "{}",
        page.text
    );
    assert!(page.text.contains("Lärträff 1: normer och bemötande"));
    assert!(page.text.contains("class=\"danger\""));
    // And a form without its CSRF token changes nothing
    let forged = web
        .post_raw(&path, &[("token", token), ("language", "en")])
        .await;
    assert_ne!(forged.status, 200, "{}", forged.text);
    assert_eq!(registrations(&app, &id).await[0]["status"], "confirmed");
    // When she confirms
    let done = web
        .post_raw(
            &path,
            &[
                ("token", token),
                ("language", "en"),
                ("csrf", &csrf_of(&page.text)),
            ],
        )
        .await;
    assert_eq!(done.status, 200, "{}", done.text);
    assert!(
        done.text.contains("Your place is cancelled."),
        "{}",
        done.text
    );
    // Then Bo has the place
    let statuses: Vec<String> = registrations(&app, &id)
        .await
        .iter()
        .map(|r| r["status"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(statuses, ["cancelled", "confirmed"]);
    // And a wrong token says the link does not work
    let wrong = web.get(&format!("{path}?token=ffff&lang=en")).await;
    assert_eq!(wrong.status, 404);
    assert!(
        wrong.text.contains("The link does not work."),
        "{}",
        wrong.text
    );
}

#[actix_rt::test]
async fn an_event_of_a_cohort_is_open_to_the_cohorts_organisations_those_added_later_too() {
    // Given a round of Borås, and Vänersborg outside it
    let app = spawn_app().await;
    let boras = app.create_organisation("Borås stad").await;
    let vanersborg = app.create_organisation("Vänersborgs kommun").await;
    let round = json!({
        "name": "Från vad till hur", "programme_id": app.default_programme_id().await,
        "period_start": "2026-01-01", "period_end": "2026-12-31", "organisation_ids": [boras],
    });
    let cohort = app
        .post(&app.admin.token, "/cohorts", &round)
        .await
        .should_be(201)
        .id();
    // An unknown cohort is refused, naming the field, and nothing is created
    let mut body = event_body("training", None, json!("all"));
    body["cohort_id"] = json!("no-such-cohort");
    create_event(&app, &body)
        .await
        .should_be_problem(422, Some("cohort_id"));
    assert!(app
        .get(&app.admin.token, "/events")
        .await
        .should_be(200)
        .items()
        .is_empty());
    // When the event is the round's
    body["cohort_id"] = json!(cohort);
    let event = create_event(&app, &body).await.should_be(201);
    assert_eq!(event.body["cohort_id"], cohort.as_str());
    let id = event.id();
    let without = create_event(&app, &event_body("kickoff", None, json!("all")))
        .await
        .should_be(201);
    assert_eq!(without.body["cohort_id"], Value::Null);
    // And the OpenAPI document declares it so: a nullable string
    let openapi = app.get_openapi().await.should_be(200);
    let declared = &openapi.body["components"]["schemas"]["Event"]["properties"]["cohort_id"];
    assert!(
        declared.to_string().contains("null") && declared.to_string().contains("string"),
        "{declared}"
    );
    // Then Borås's coordinator sees it, Vänersborg's does not and cannot sign up for it
    let ours = app.create_user("coordinator", Some(&boras), None).await;
    let theirs = app
        .create_user("coordinator", Some(&vanersborg), None)
        .await;
    let seen = |reply: Reply| -> bool { reply.ids().contains(&id) };
    assert!(seen(app.get(&ours.token, "/events").await.should_be(200)));
    assert!(!seen(
        app.get(&theirs.token, "/events").await.should_be(200)
    ));
    let person =
        |email: &str, org: &str| json!({ "name": "A B", "email": email, "organisation_id": org });
    sign_up(&app, &id, &person("v@example.se", &vanersborg))
        .await
        .should_be_problem(422, Some("organisation_id"));
    sign_up(&app, &id, &person("b@example.se", &boras))
        .await
        .should_be(201);
    // And once Vänersborg joins the round, its staff are admitted too
    app.post(
        &app.admin.token,
        &format!("/cohorts/{cohort}/organisations"),
        &json!({ "organisation_id": vanersborg }),
    )
    .await
    .should_be(200);
    assert!(seen(app.get(&theirs.token, "/events").await.should_be(200)));
    sign_up(&app, &id, &person("v@example.se", &vanersborg))
        .await
        .should_be(201);
}
