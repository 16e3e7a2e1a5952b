//! The case page's forms for sessions and measures over plain HTTP: every session
//! kind with audience, themes and notes; notes written after a session is held, shown
//! to whoever may see the case; the trained count where the path asks for it. Bad
//! input is refused naming the field and changes nothing.

use serde_json::json;

use crate::helpers::{random_hex, spawn_app, TestApp};
use crate::web_session::{assert_unchanged, snapshot, Web};

fn session_of(sessions: &serde_json::Value, title: &str) -> serde_json::Value {
    sessions
        .as_array()
        .or_else(|| sessions["items"].as_array())
        .expect("a list of sessions")
        .iter()
        .find(|s| s["title"] == title)
        .unwrap_or_else(|| panic!("{title} is listed: {sessions}"))
        .clone()
}

#[actix_rt::test]
async fn a_session_of_any_kind_is_scheduled_with_audience_themes_and_notes() {
    let app = spawn_app().await;
    let world = app.given_a_case().await;
    let mut web = Web::login(&app, &world.consultant.email).await;
    let case_page = format!("/cases/{}", world.case_id);
    let page = web.get(&case_page).await;
    assert_eq!(page.status, 200);
    for kind in [
        "kickoff",
        "workshop",
        "supervision",
        "coaching",
        "mapping",
        "training",
        "learning_meeting",
    ] {
        assert!(
            page.text.contains(&format!("<option value=\"{kind}\"")),
            "the schedule form offers {kind}"
        );
    }
    assert!(
        page.text
            .contains("Skriv om vad gruppen arbetade med – aldrig om en enskild person."),
        "the notes field says notes are about the group's work"
    );
    let sent = web
        .post(
            &format!("/cases/{}/sessions", world.case_id),
            &[
                ("kind", "training"),
                ("title", "MR-verkstad för lokalvården"),
                ("starts_at", "2026-04-01T10:00"),
                ("ends_at", "2026-04-01T12:00"),
                ("audience", "Lokalvårdare"),
                ("themes", "Demokrati\n\nLikvärdig service\n"),
                ("notes", "Gruppen gick igenom bemötande i receptionen."),
            ],
        )
        .await;
    assert_eq!(sent.status, 303, "{}", sent.text);
    let sessions = app
        .get(
            &app.admin.token,
            &format!("/cases/{}/sessions", world.case_id),
        )
        .await
        .should_be(200);
    let s = session_of(&sessions.body, "MR-verkstad för lokalvården");
    assert_eq!(s["kind"], "training");
    assert_eq!(s["audience"], "Lokalvårdare");
    assert_eq!(s["themes"], json!(["Demokrati", "Likvärdig service"]));
    assert_eq!(s["notes"], "Gruppen gick igenom bemötande i receptionen.");
    let shown = web.get(&case_page).await.text;
    assert!(
        shown.contains("Målgrupp: <span translate=\"no\">Lokalvårdare</span>"),
        "{shown}"
    );
    assert!(shown.contains("<span translate=\"no\">Demokrati, Likvärdig service</span>"));
}

#[actix_rt::test]
async fn notes_written_after_a_held_session_are_kept_and_shown_to_the_unit_contact() {
    let app = spawn_app().await;
    let world = app.given_a_case().await;
    let sid = app
        .hold_session(&world.consultant.token, &world.case_id, "supervision", 8)
        .await;
    let mut web = Web::login(&app, &world.consultant.email).await;
    let page = web.get(&format!("/cases/{}", world.case_id)).await;
    assert!(
        page.text.contains(&format!("id=\"notes-{sid}\"")),
        "a held session has a notes form"
    );
    let action = format!("/cases/{}/sessions/{sid}/notes", world.case_id);
    let before = snapshot(&app).await;
    let too_long = "a".repeat(10_001);
    let refused = web.post(&action, &[("notes", &too_long)]).await;
    assert_eq!(refused.status, 422, "{}", refused.text);
    assert!(refused.text.contains("id=\"notes-"), "the form comes back");
    assert_unchanged(&before, &snapshot(&app).await, "notes that are too long");
    let notes = "Chefsgruppen valde fokusområdet arbetsmiljö och planerade nästa steg.";
    let saved = web.post(&action, &[("notes", notes)]).await;
    assert_eq!(saved.status, 303, "{}", saved.text);
    let sessions = app
        .get(
            &app.admin.token,
            &format!("/cases/{}/sessions", world.case_id),
        )
        .await
        .should_be(200);
    let s = sessions
        .items()
        .into_iter()
        .find(|s| s["id"] == sid.as_str())
        .expect("the session");
    assert_eq!(s["notes"], notes);
    assert!(s["documented_at"].is_string());
    let contact = app
        .create_user("unit_contact", None, Some(&world.unit_id))
        .await;
    let mut contact_web = Web::login(&app, &contact.email).await;
    let seen = contact_web.get(&format!("/cases/{}", world.case_id)).await;
    assert_eq!(seen.status, 200);
    assert!(
        seen.text.contains(notes),
        "the unit contact reads the notes"
    );
    assert!(
        !seen.text.contains(&format!("id=\"notes-{sid}\"")),
        "but has no form to change them"
    );
}

/// A case on an RFSL-style programme (four trainings, 80 % trained) in its training
/// stage.
async fn in_training(app: &TestApp) -> (String, String) {
    let key = format!("hbtqi-{}", random_hex());
    let programme = app
        .post(
            &app.admin.token,
            "/programmes",
            &json!({"key": key, "name": "HBTQI-certifiering", "path": [
                {"stage": "kickoff", "deadline_days": 30, "requirements": [
                    {"kind": "sessions_held", "session_kind": "kickoff", "count": 1}]},
                {"stage": "value_workshops", "deadline_days": 180, "requirements": [
                    {"kind": "sessions_held", "session_kind": "training", "count": 4},
                    {"kind": "share_of_staff", "measure": "trained", "pct": 80}]},
                {"stage": "audit", "deadline_days": 30}]}),
        )
        .await
        .should_be(201)
        .id();
    let organisation = app.create_organisation("Region Väst").await;
    let unit = app.create_unit(&organisation, 10).await;
    let consultant = app.create_user("consultant", None, None).await;
    let case_id = app
        .post(
            &consultant.token,
            "/cases",
            &json!({"unit_id": unit, "programme_id": programme}),
        )
        .await
        .should_be(201)
        .id();
    app.hold_session(&consultant.token, &case_id, "kickoff", 5)
        .await;
    app.transition(&consultant.token, &case_id, &json!({"action": "advance"}))
        .await
        .should_be(200);
    (case_id, consultant.email)
}

#[actix_rt::test]
async fn the_trained_count_has_its_form_where_the_path_asks_for_it() {
    let app = spawn_app().await;
    let world = app.given_a_case().await;
    let mut web = Web::login(&app, &world.consultant.email).await;
    let page = web.get(&format!("/cases/{}", world.case_id)).await;
    assert!(
        !page.text.contains("id=\"trained\""),
        "the default path asks for no training"
    );
    let (case_id, consultant) = in_training(&app).await;
    let mut web = Web::login(&app, &consultant).await;
    let page = web.get(&format!("/cases/{case_id}")).await;
    assert!(page.text.contains("id=\"trained\""), "{}", page.text);
    assert!(!page.text.contains("id=\"reflections\""));
    let action = format!("/cases/{case_id}/measures/trained");
    let before = snapshot(&app).await;
    let refused = web.post(&action, &[("completed", "nio")]).await;
    assert_eq!(refused.status, 422);
    assert!(refused.text.contains("Ange ett heltal"), "{}", refused.text);
    let refused = web.post(&action, &[("completed", "11")]).await;
    assert_eq!(refused.status, 422, "more than the headcount");
    assert_unchanged(&before, &snapshot(&app).await, "a refused count");
    let saved = web.post(&action, &[("completed", "9")]).await;
    assert_eq!(saved.status, 303, "{}", saved.text);
    let page = web.get(&format!("/cases/{case_id}")).await;
    assert!(page.text.contains("9 av 8 utbildade"), "{}", page.text);
}
