//! The pages of open events over plain HTTP: the public sign-up page (confirmed,
//! waitlisted, every refusal at once with the input kept, closed, CSRF keyed with the
//! pre-session cookie), and the staff pages (who may see them, the create form's bad
//! input, cancelling after asking, the places, attendance and the CSV).

use awc::http::Method;
use chrono::{Duration, SecondsFormat};
use serde_json::{json, Value};

use crate::helpers::{spawn_app, TestApp};
use crate::pages::page;
use crate::web_session::{csrf_of, Web};

fn at(app: &TestApp, hours: i64) -> String {
    (app.now() + Duration::hours(hours)).to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// An event a week ahead, 09.00–12.00 Stockholm time.
fn event_body(title: &str, capacity: Option<u32>, open_to: Value) -> Value {
    let mut body = json!({
        "title": title,
        "kind": "learning_meeting",
        "starts_at": "2026-03-09T08:00:00Z",
        "ends_at": "2026-03-09T11:00:00Z",
        "location": "Stadshuset, Helsingborg",
        "open_to": open_to,
    });
    if let Some(c) = capacity {
        body["capacity"] = json!(c);
    }
    body
}

async fn create_event(app: &TestApp, body: &Value) -> String {
    app.post(&app.admin.token, "/events", body)
        .await
        .should_be(201)
        .id()
}

async fn sign_up(app: &TestApp, event_id: &str, name: &str, email: &str) -> String {
    let path = format!("/api/v1/events/{event_id}/registrations");
    let body = json!({ "name": name, "email": email });
    app.call(Method::POST, &path, None, &[], Some(&body))
        .await
        .should_be(201)
        .id()
}

async fn registrations(app: &TestApp, event_id: &str) -> Vec<Value> {
    app.get(
        &app.admin.token,
        &format!("/events/{event_id}/registrations"),
    )
    .await
    .should_be(200)
    .body
    .as_array()
    .expect("a list")
    .clone()
}

fn statuses(rows: &[Value]) -> Vec<String> {
    rows.iter()
        .map(|r| r["status"].as_str().unwrap_or_default().to_string())
        .collect()
}

/// An event open to all that started an hour ago (sign-up open another hour), with
/// two confirmed registrations: what the staff forms act on.
pub(crate) async fn started_event(app: &TestApp) -> (String, [String; 2]) {
    let body = json!({
        "title": "Pågående lärträff",
        "kind": "learning_meeting",
        "starts_at": at(app, -1),
        "ends_at": at(app, 2),
        "registration_closes_at": at(app, 1),
        "open_to": "all",
    });
    let id = create_event(app, &body).await;
    let first = sign_up(app, &id, "Anna Berg", "anna@example.se").await;
    let second = sign_up(app, &id, "Bo Ek", "bo@example.se").await;
    (id, [first, second])
}

/// The sign-up page and its CSRF token, as a browser fetches it.
async fn form(web: &mut Web, path: &str) -> String {
    let page = web.get(path).await;
    assert_eq!(page.status, 200, "{path}: {}", page.text);
    csrf_of(&page.text)
}

#[actix_rt::test]
async fn the_public_page_signs_up_without_log_in_and_says_confirmed_waitlisted_or_already() {
    // Given an event with one place
    let app = spawn_app().await;
    let id = create_event(&app, &event_body("Lärträff 2", Some(1), json!("all"))).await;
    let path = format!("/events/{id}");
    let mut web = Web::anonymous(&app);
    let shown = web.get(&format!("{path}?lang=sv")).await;
    assert_eq!(shown.status, 200, "{}", shown.text);
    for expected in [
        "Lärträff 2",
        "Lärträff",
        "Stadshuset, Helsingborg",
        "1 av 1 platser kvar",
        "id=\"signup\"",
        "<label for=\"signup-email\">",
    ] {
        assert!(shown.text.contains(expected), "{expected}: {}", shown.text);
    }
    let csrf = csrf_of(&shown.text);
    let send = |name: &'static str, email: &'static str| {
        vec![
            ("name", name),
            ("email", email),
            ("organisation_id", ""),
            ("unit_id", ""),
            ("language", "sv"),
        ]
    };
    // When two sign up through the form
    let mut first = send("Anna Berg", "Anna@Example.se");
    first.push(("csrf", &csrf));
    let done = web.post_raw(&path, &first).await;
    // Then the first has the place and the second waits, each told a mail is coming
    assert_eq!(done.status, 200, "{}", done.text);
    assert!(
        done.text.contains("Tack, Anna Berg! Du har fått en plats.")
            && done.text.contains("anna@example.se"),
        "{}",
        done.text
    );
    let mut second = send("Bo Ek", "bo@example.se");
    second.push(("csrf", &csrf));
    let waiting = web.post_raw(&path, &second).await;
    assert_eq!(waiting.status, 200, "{}", waiting.text);
    assert!(
        waiting.text.contains("du står på väntelistan"),
        "{}",
        waiting.text
    );
    assert_eq!(
        statuses(&registrations(&app, &id).await),
        ["confirmed", "waitlisted"]
    );
    // And the page now says it is full, and the same address again is refused in a
    // sentence with what was typed kept
    let full = web.get(&path).await;
    assert!(
        full.text
            .contains("Fullt – anmäler du dig hamnar du på väntelistan."),
        "{}",
        full.text
    );
    let again = web.post_raw(&path, &first).await;
    assert_eq!(again.status, 409, "{}", again.text);
    assert!(
        again.text.contains("redan anmäld till träffen"),
        "{}",
        again.text
    );
    assert!(again.text.contains("value=\"Anna Berg\""), "{}", again.text);
    assert_eq!(registrations(&app, &id).await.len(), 2);
}

#[actix_rt::test]
async fn a_refused_sign_up_names_every_field_at_once_keeps_the_input_and_stores_nothing() {
    // Given an event open to one organisation only, read in English
    let app = spawn_app().await;
    let ours = app.create_organisation("Helsingborgs stad").await;
    app.create_organisation("Region Skåne").await;
    let id = create_event(&app, &event_body("Kickoff", None, json!([ours]))).await;
    let path = format!("/events/{id}");
    let mut web = Web::anonymous(&app);
    let shown = web.get(&format!("{path}?lang=en")).await;
    assert!(shown.text.contains("Helsingborgs stad"), "{}", shown.text);
    assert!(!shown.text.contains("Region Skåne"), "{}", shown.text);
    let csrf = csrf_of(&shown.text);
    // When the name is empty, the address is not one and no organisation is chosen
    let sent = web
        .post_raw(
            &path,
            &[
                ("name", " "),
                ("email", "not-an-address"),
                ("organisation_id", ""),
                ("unit_id", ""),
                ("language", "en"),
                ("csrf", &csrf),
            ],
        )
        .await;
    // Then each is named next to its field and linked from the summary, in English
    assert_eq!(sent.status, 422, "{}", sent.text);
    for field in ["name", "email", "organisation_id"] {
        let error = format!("id=\"signup-{field}-error\"");
        let link = format!("href=\"#signup-{field}\"");
        assert!(sent.text.contains(&error), "{error}: {}", sent.text);
        assert!(sent.text.contains(&link), "{link}: {}", sent.text);
    }
    assert!(
        sent.text
            .contains("aria-describedby=\"signup-email-hint signup-email-error\""),
        "{}",
        sent.text
    );
    assert!(
        sent.text.contains("must be an e-mail address"),
        "{}",
        sent.text
    );
    assert!(
        sent.text.contains("value=\"not-an-address\""),
        "{}",
        sent.text
    );
    assert!(registrations(&app, &id).await.is_empty());
}

#[actix_rt::test]
async fn the_sign_up_page_is_not_found_for_an_unknown_event_and_refuses_a_forged_form() {
    let app = spawn_app().await;
    let id = create_event(&app, &event_body("Lärträff 3", None, json!("all"))).await;
    let path = format!("/events/{id}");
    let mut web = Web::anonymous(&app);
    assert_eq!(web.get("/events/no-such-event").await.status, 404);
    let fields = [("name", "Anna Berg"), ("email", "anna@example.se")];
    // Without the pre-session cookie, without a token, and with another page's token
    let mut stranger = Web::anonymous(&app);
    assert_eq!(stranger.post_raw(&path, &fields).await.status, 403);
    let csrf = form(&mut web, &path).await;
    assert_eq!(web.post_raw(&path, &fields).await.status, 403);
    let mut other = Web::anonymous(&app);
    let other_csrf = form(&mut other, &path).await;
    let mut forged = fields.to_vec();
    forged.push(("csrf", &other_csrf));
    assert_eq!(web.post_raw(&path, &forged).await.status, 403);
    assert!(registrations(&app, &id).await.is_empty());
    // The same form with its own token signs up, so the refusals were the token's
    let mut sent = fields.to_vec();
    sent.push(("csrf", &csrf));
    assert_eq!(web.post_raw(&path, &sent).await.status, 200);
    assert_eq!(registrations(&app, &id).await.len(), 1);
}

#[actix_rt::test]
async fn a_closed_event_shows_why_and_no_form() {
    let app = spawn_app().await;
    let (id, _) = started_event(&app).await;
    let body = json!({
        "title": "Redan stängd", "kind": "kickoff", "capacity": 1,
        "starts_at": at(&app, -1), "ends_at": at(&app, 2), "open_to": "all",
    });
    let closed = create_event(&app, &body).await;
    let mut web = Web::anonymous(&app);
    let shown = web.get(&format!("/events/{closed}?lang=sv")).await;
    assert_eq!(shown.status, 200, "{}", shown.text);
    assert!(
        shown.text.contains("Anmälan till träffen har stängt."),
        "{}",
        shown.text
    );
    assert!(!shown.text.contains("id=\"signup\""), "{}", shown.text);
    // An event still open shows the form
    let open = web.get(&format!("/events/{id}")).await;
    assert!(open.text.contains("id=\"signup\""), "{}", open.text);
}

#[actix_rt::test]
async fn a_sign_up_after_the_page_was_opened_but_sign_up_closed_says_full_and_closed() {
    // Given an event with one place, taken, whose sign-up closes in an hour
    let app = spawn_app().await;
    let body = json!({
        "title": "Sista platsen", "kind": "learning_meeting", "capacity": 1,
        "starts_at": at(&app, 2), "ends_at": at(&app, 4),
        "registration_closes_at": at(&app, 1), "open_to": "all",
    });
    let id = create_event(&app, &body).await;
    sign_up(&app, &id, "Anna Berg", "anna@example.se").await;
    let path = format!("/events/{id}");
    let mut web = Web::anonymous(&app);
    let csrf = form(&mut web, &format!("{path}?lang=sv")).await;
    // When Bo sends the form after sign-up has closed
    app.clock.advance(Duration::hours(1));
    let late = web
        .post_raw(
            &path,
            &[
                ("name", "Bo Ek"),
                ("email", "bo@example.se"),
                ("language", "sv"),
                ("csrf", &csrf),
            ],
        )
        .await;
    // Then the page says it is full and closed, offers no form, and stores nothing
    assert_eq!(late.status, 409, "{}", late.text);
    assert!(
        late.text
            .contains("Alla platser är tagna och anmälan till träffen har stängt."),
        "{}",
        late.text
    );
    assert!(!late.text.contains("id=\"signup\""), "{}", late.text);
    assert_eq!(registrations(&app, &id).await.len(), 1);
}

#[actix_rt::test]
async fn staff_see_every_event_members_those_open_to_them_and_others_are_refused() {
    // Given an event open to one organisation
    let app = spawn_app().await;
    let ours = app.create_organisation("Helsingborgs stad").await;
    let theirs = app.create_organisation("Region Skåne").await;
    let id = create_event(
        &app,
        &event_body("Lärträff för oss", Some(30), json!([ours])),
    )
    .await;
    let consultant = app.create_user("consultant", None, None).await;
    let auditor = app.create_user("auditor", None, None).await;
    let member = app.create_user("coordinator", Some(&ours), None).await;
    let outsider = app.create_user("coordinator", Some(&theirs), None).await;
    // Then staff see it with its counts, the page link and the create form
    for token in [&app.admin.token, &consultant.token] {
        let list = page(&app, token, "/events?lang=sv").await.should_be(200);
        assert!(list.text.contains("Lärträff för oss"), "{}", list.text);
        assert!(list.text.contains(&format!("/events/{id}/manage")));
        assert!(list.text.contains("id=\"event\" class=\"stacked\""));
        assert!(list.text.contains("href=\"/events\""), "in the menu");
    }
    // And its coordinator sees it with a link to sign up, and not the staff's page
    let theirs_list = page(&app, &member.token, "/events").await.should_be(200);
    assert!(theirs_list.text.contains(&format!("href=\"/events/{id}\"")));
    assert!(!theirs_list.text.contains("/manage"));
    assert!(!theirs_list.text.contains("id=\"event\" class=\"stacked\""));
    page(&app, &member.token, &format!("/events/{id}/manage"))
        .await
        .should_be(403);
    // And a coordinator of another organisation sees nothing of it
    let other = page(&app, &outsider.token, "/events").await.should_be(200);
    assert!(!other.text.contains("Lärträff för oss"), "{}", other.text);
    // And an auditor is refused the page, an unknown event is not found
    page(&app, &auditor.token, "/events").await.should_be(403);
    page(&app, &app.admin.token, "/events/nope/manage")
        .await
        .should_be(404);
    let shown = page(&app, &app.admin.token, &format!("/events/{id}/manage"))
        .await
        .should_be(200);
    assert!(shown.text.contains("Lärträff för oss"), "{}", shown.text);
}

#[actix_rt::test]
async fn the_create_form_names_each_bad_field_creates_nothing_and_then_creates_for_a_cohort() {
    let app = spawn_app().await;
    let mut web = Web::login(&app, &app.admin.email).await;
    let csrf = web.csrf.clone();
    let bad = web
        .post_raw(
            "/events",
            &[
                ("title", "Lärträff"),
                ("kind", "party"),
                ("starts_at", "2026-09-09T12:00"),
                ("ends_at", "igår"),
                ("capacity", "tre"),
                ("open_to", "all"),
                ("csrf", &csrf),
            ],
        )
        .await;
    assert_eq!(bad.status, 422, "{}", bad.text);
    for field in ["kind", "ends_at", "capacity"] {
        let error = format!("id=\"event-{field}-error\"");
        assert!(bad.text.contains(&error), "{error}: {}", bad.text);
    }
    assert!(bad.text.contains("value=\"tre\""), "{}", bad.text);
    let backwards = web
        .post_raw(
            "/events",
            &[
                ("title", "Lärträff"),
                ("kind", "learning_meeting"),
                ("starts_at", "2026-09-09T12:00"),
                ("ends_at", "2026-09-09T09:00"),
                ("open_to", "organisations"),
                ("csrf", &csrf),
            ],
        )
        .await;
    assert_eq!(backwards.status, 422, "{}", backwards.text);
    assert!(backwards.text.contains("id=\"event-ends_at-error\""));
    let no_cohort = web
        .post_raw(
            "/events",
            &[
                ("title", "Lärträff"),
                ("kind", "learning_meeting"),
                ("starts_at", "2026-09-09T09:00"),
                ("ends_at", "2026-09-09T12:00"),
                ("open_to", "cohort"),
                ("cohort_id", ""),
                ("csrf", &csrf),
            ],
        )
        .await;
    assert_eq!(no_cohort.status, 422, "{}", no_cohort.text);
    assert!(no_cohort.text.contains("id=\"event-cohort_id-error\""));
    let listed = app.get(&app.admin.token, "/events").await.should_be(200);
    assert!(listed.items().is_empty());

    // When a valid event of a cohort is sent
    let cohort = app
        .post(
            &app.admin.token,
            "/cohorts",
            &json!({ "name": "Från vad till hur", "programme_id": app.default_programme_id().await,
                     "period_start": "2026-01-01", "period_end": "2026-12-31", "organisation_ids": [] }),
        )
        .await
        .should_be(201)
        .id();
    let made = web
        .post_raw(
            "/events",
            &[
                ("title", "Gemensam utbildningsdag"),
                ("kind", "training"),
                ("starts_at", "2026-09-09T09:00"),
                ("ends_at", "2026-09-09T16:00"),
                ("capacity", "40"),
                ("open_to", "cohort"),
                ("cohort_id", &cohort),
                ("csrf", &csrf),
            ],
        )
        .await;
    // Then it opens the event's page, and the event belongs to the cohort, 09.00 local
    assert_eq!(made.status, 303, "{}", made.text);
    let events = app
        .get(&app.admin.token, "/events")
        .await
        .should_be(200)
        .items();
    assert_eq!(events.len(), 1);
    assert_eq!(events[0]["cohort_id"], cohort.as_str());
    assert_eq!(events[0]["capacity"], 40);
    assert_eq!(events[0]["starts_at"], "2026-09-09T07:00:00Z");
    let location = made.header("location").expect("a redirect");
    assert_eq!(
        location,
        format!("/events/{}/manage", events[0]["id"].as_str().unwrap())
    );
}

#[actix_rt::test]
async fn staff_cancel_after_asking_and_the_first_waitlisted_moves_up() {
    // Given an event a week ahead with one place, Anna in it and Bo waiting
    let app = spawn_app().await;
    let id = create_event(&app, &event_body("Lärträff 4", Some(1), json!("all"))).await;
    let anna = sign_up(&app, &id, "Anna Berg", "anna@example.se").await;
    sign_up(&app, &id, "Bo Ek", "bo@example.se").await;
    let mut web = Web::login(&app, &app.admin.email).await;
    let csrf = web.csrf.clone();
    let shown = web.get(&format!("/events/{id}/manage?lang=sv")).await;
    assert_eq!(shown.status, 200, "{}", shown.text);
    assert!(shown.text.contains("Bo Ek") && shown.text.contains("Väntelista"));
    // When the admin cancels Anna's registration, the page asks first
    let cancel = format!("/events/{id}/registrations/{anna}/cancel");
    let asked = web.post_raw(&cancel, &[("csrf", &csrf)]).await;
    assert_eq!(asked.status, 200, "{}", asked.text);
    assert!(asked.text.contains("Ja, avboka anmälan"), "{}", asked.text);
    assert!(asked.text.contains("anna@example.se"), "{}", asked.text);
    assert_eq!(
        statuses(&registrations(&app, &id).await),
        ["confirmed", "waitlisted"]
    );
    let done = web
        .post_raw(&cancel, &[("step", "confirm"), ("csrf", &csrf)])
        .await;
    assert_eq!(done.status, 303, "{}", done.text);
    // Then Bo moves up
    assert_eq!(
        statuses(&registrations(&app, &id).await),
        ["cancelled", "confirmed"]
    );
}

#[actix_rt::test]
async fn staff_change_the_places_and_record_attendance_once_the_event_has_started() {
    // Given a started event with two places taken and Cecilia waiting
    let app = spawn_app().await;
    let (id, [anna, bo]) = started_event(&app).await;
    app.patch(
        &app.admin.token,
        &format!("/events/{id}"),
        &json!({ "capacity": 2 }),
    )
    .await
    .should_be(200);
    sign_up(&app, &id, "Cecilia Öst", "cecilia@example.se").await;
    let mut web = Web::login(&app, &app.admin.email).await;
    let csrf = web.csrf.clone();
    let capacity = format!("/events/{id}/capacity");
    // The places cannot go below the confirmed, nor be a word, said in Swedish
    let below = web
        .post_raw(&capacity, &[("capacity", "1"), ("csrf", &csrf)])
        .await;
    assert_eq!(below.status, 409, "{}", below.text);
    assert!(
        below.text.contains("Antalet platser kan inte vara färre"),
        "{}",
        below.text
    );
    let word = web
        .post_raw(&capacity, &[("capacity", "två"), ("csrf", &csrf)])
        .await;
    assert_eq!(word.status, 422, "{}", word.text);
    assert!(word.text.contains("id=\"capacity-capacity-error\""));
    assert!(word.text.contains("value=\"två\""));
    // Once started, nobody moves up into a seat at an event under way
    let more = web
        .post_raw(&capacity, &[("capacity", "5"), ("csrf", &csrf)])
        .await;
    assert_eq!(more.status, 303, "{}", more.text);
    assert_eq!(
        statuses(&registrations(&app, &id).await),
        ["confirmed", "confirmed", "waitlisted"]
    );
    // The attendance form has a box per confirmed registrant and records the ticked
    let shown = web.get(&format!("/events/{id}/manage")).await;
    assert!(shown.text.contains(&format!("id=\"attended-{anna}\"")));
    assert!(shown.text.contains(&format!("id=\"attended-{bo}\"")));
    let attendance = format!("/events/{id}/attendance");
    let recorded = web
        .post_raw(&attendance, &[("attended", &bo), ("csrf", &csrf)])
        .await;
    assert_eq!(recorded.status, 303, "{}", recorded.text);
    let attended: Vec<bool> = registrations(&app, &id)
        .await
        .iter()
        .map(|r| r["attended"].as_bool().unwrap_or_default())
        .collect();
    assert_eq!(attended, [false, true, false]);
    // And an id that is no registration of the event is refused, changing nothing
    let wrong = web
        .post_raw(&attendance, &[("attended", "nope"), ("csrf", &csrf)])
        .await;
    assert_eq!(wrong.status, 422, "{}", wrong.text);
    assert!(wrong.text.contains("id=\"attendance-message\""));
    let event = app.public_get(&format!("/api/v1/events/{id}")).await;
    assert_eq!(event.body["attended"], 1);
}

#[actix_rt::test]
async fn the_csv_is_headed_in_swedish_names_organisations_and_units_and_has_a_safe_file_name() {
    // Given a registrant of a named organisation and unit
    let app = spawn_app().await;
    let org = app.create_organisation("Borås stad").await;
    let unit = app.create_unit(&org, 12).await;
    let unit_name = app
        .get_unit(&app.admin.token, &unit)
        .await
        .should_be(200)
        .body["name"]
        .as_str()
        .expect("a name")
        .to_string();
    let id = create_event(&app, &event_body("Lärträff på Åsö", None, json!("all"))).await;
    let path = format!("/api/v1/events/{id}/registrations");
    let body = json!({ "name": "Örjan Åberg", "email": "orjan@example.se", "unit_id": unit });
    app.call(Method::POST, &path, None, &[], Some(&body))
        .await
        .should_be(201);
    // When staff download the CSV from the event's page
    let mut web = Web::login(&app, &app.admin.email).await;
    let csv = web
        .get(&format!("/events/{id}/registrations.csv?lang=sv"))
        .await;
    // Then the header is Swedish and the row names the organisation and the unit
    assert_eq!(csv.status, 200, "{}", csv.text);
    assert!(
        csv.text
            .contains("Namn;E-post;Organisation;Enhet;Status;Anmäld;Närvarade"),
        "{}",
        csv.text
    );
    let row = format!("Örjan Åberg;orjan@example.se;Borås stad;{unit_name};Bekräftad;");
    assert!(csv.text.contains(&row), "{}", csv.text);
    assert!(!csv.text.contains(&org), "no ids: {}", csv.text);
    let disposition = csv.header("content-disposition").expect("a file name");
    assert!(
        disposition.contains("filename=\"anmalningar-Lartraff-pa-Aso.csv\""),
        "{disposition}"
    );
    assert!(
        disposition.contains("filename*=UTF-8''anm%C3%A4lningar%20L%C3%A4rtr%C3%A4ff"),
        "{disposition}"
    );
    // And someone who is not staff gets no CSV
    let coordinator = app.create_user("coordinator", Some(&org), None).await;
    page(
        &app,
        &coordinator.token,
        &format!("/events/{id}/registrations.csv"),
    )
    .await
    .should_be(403);
}
